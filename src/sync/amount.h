/*
 * amount.h - money as int64 minor units and an ISO 4217 currency.
 *
 * Platforms send yuan strings ("200.07"), yuan JSON numbers (PDD), fen
 * integers (Douyin) and decimal strings beside a currency code (Amazon,
 * Shopify, Woo). Everything is parsed from decimal text with integer
 * arithmetic: no value passes through a binary double. A value that does
 * not fit exactly (more decimals than the currency has, beyond int64,
 * garbage) is WH_ERR_INVALID with a message quoting the text.
 */
#ifndef WHARF_SYNC_AMOUNT_H
#define WHARF_SYNC_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sync_money {
	int64_t minor;    /* amount in 10^-exponent units of currency */
	char currency[4]; /* "CNY", NUL-terminated */
};

/*
 * Minor-unit exponent of an ISO 4217 code: 0 (JPY, KRW, ...), 3 (KWD,
 * BHD, ...), 4 (CLF, UYW) or 2 for any other three upper-case letters.
 * Returns -1 when code is not three upper-case ASCII letters.
 */
int sync_currency_exponent(const char *code);

/*
 * Parses a plain decimal "-?digits(.digits)?" (no sign "+", no spaces,
 * no exponent) of len bytes into *minor units with exponent decimals:
 * ("200.1", 2) -> 20010, ("-0.5", 2) -> -50, ("200", 0) -> 200.
 * Extra trailing zeros are fine ("1.500" at 2), extra non-zero decimals
 * are not ("1.505" at 2).
 */
enum wh_err sync_amount_parse(const char *s, size_t len, int exponent,
			      int64_t *minor, struct wh_error *err);

/*
 * As sync_amount_parse() but accepts the full JSON number grammar,
 * including an exponent ("1.0E7", "2e-2"), for number tokens whose text
 * the parsers preserved (see sync_json_load()).
 */
enum wh_err sync_amount_parse_number(const char *s, size_t len, int exponent,
				     int64_t *minor, struct wh_error *err);

/* Decimal text plus currency code into *out (the code is validated). */
enum wh_err sync_money_parse(const char *amount, size_t len,
			     const char *currency, struct sync_money *out,
			     struct wh_error *err);

#endif
