/* Amounts: decimal text to int64 minor units, with hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "sync/amount.h"

struct row {
	const char *text;
	int exponent;
	enum wh_err rc;
	int64_t minor;
};

static const struct row strict[] = {
	{ "200.07", 2, WH_OK, 20007 },
	{ "200", 2, WH_OK, 20000 },
	{ "200.1", 2, WH_OK, 20010 },
	{ "-0.5", 2, WH_OK, -50 },
	{ "0", 2, WH_OK, 0 },
	{ "-0", 2, WH_OK, 0 },
	{ "0.00", 2, WH_OK, 0 },
	{ "0.01", 2, WH_OK, 1 },
	{ "007.50", 2, WH_OK, 750 },
	{ "1.500", 2, WH_OK, 150 },      /* trailing zeros are exact */
	{ "100.00", 2, WH_OK, 10000 },
	{ "1000", 0, WH_OK, 1000 },       /* JPY */
	{ "1000.0", 0, WH_OK, 1000 },
	{ "1.234", 3, WH_OK, 1234 },      /* KWD */
	{ "92233720368547758.07", 2, WH_OK, INT64_MAX },
	{ "-92233720368547758.07", 2, WH_OK, -INT64_MAX },
	{ "0.1", 0, WH_ERR_INVALID, 0 },  /* too many decimals */
	{ "1.505", 2, WH_ERR_INVALID, 0 },
	{ "0.001", 2, WH_ERR_INVALID, 0 },
	{ "92233720368547758.08", 2, WH_ERR_INVALID, 0 }, /* overflow */
	{ "99999999999999999999999", 2, WH_ERR_INVALID, 0 },
	{ "", 2, WH_ERR_INVALID, 0 },
	{ "-", 2, WH_ERR_INVALID, 0 },
	{ ".5", 2, WH_ERR_INVALID, 0 },
	{ "5.", 2, WH_ERR_INVALID, 0 },
	{ "+5", 2, WH_ERR_INVALID, 0 },
	{ " 5", 2, WH_ERR_INVALID, 0 },
	{ "5 ", 2, WH_ERR_INVALID, 0 },
	{ "1,5", 2, WH_ERR_INVALID, 0 },
	{ "1e2", 2, WH_ERR_INVALID, 0 },  /* no exponent on strings */
	{ "NaN", 2, WH_ERR_INVALID, 0 },
	{ "inf", 2, WH_ERR_INVALID, 0 },
	{ "0x10", 2, WH_ERR_INVALID, 0 },
	{ "--1", 2, WH_ERR_INVALID, 0 },
	{ "1.2.3", 2, WH_ERR_INVALID, 0 },
	{ "¥12", 2, WH_ERR_INVALID, 0 },
};

static const struct row number[] = {
	{ "200.07", 2, WH_OK, 20007 },
	{ "1.0E7", 2, WH_OK, 1000000000 },
	{ "2e-2", 2, WH_OK, 2 },
	{ "12.5e1", 2, WH_OK, 12500 },
	{ "-1.5E+1", 2, WH_OK, -1500 },
	{ "0e999999", 2, WH_OK, 0 },
	{ "1e-3", 2, WH_ERR_INVALID, 0 },
	{ "1e99999", 2, WH_ERR_INVALID, 0 },
	{ "1e", 2, WH_ERR_INVALID, 0 },
	{ "1e+", 2, WH_ERR_INVALID, 0 },
	/* The text of a double that is not exactly 0.1: still exact here */
	{ "0.1", 2, WH_OK, 10 },
	{ "0.30000000000000004", 2, WH_ERR_INVALID, 0 },
};

static void run(const struct row *t, size_t n, bool allow_exp)
{
	for (size_t i = 0; i < n; i++) {
		struct wh_error e;
		int64_t v = 42;
		enum wh_err rc;

		wh_error_clear(&e);
		rc = allow_exp ?
			sync_amount_parse_number(t[i].text, strlen(t[i].text),
						 t[i].exponent, &v, &e) :
			sync_amount_parse(t[i].text, strlen(t[i].text),
					  t[i].exponent, &v, &e);
		if (rc != t[i].rc)
			fail_msg("\"%s\" exp %d: rc %d, want %d (%s)",
				 t[i].text, t[i].exponent, rc, t[i].rc,
				 e.msg);
		if (rc == WH_OK && v != t[i].minor)
			fail_msg("\"%s\": %lld, want %lld", t[i].text,
				 (long long)v, (long long)t[i].minor);
		if (rc) {
			assert_int_equal(v, 0);
			assert_true(strlen(e.msg) > 0);
		}
	}
}

static void test_strict(void **state)
{
	(void)state;
	run(strict, sizeof(strict) / sizeof(strict[0]), false);
}

static void test_number(void **state)
{
	(void)state;
	run(number, sizeof(number) / sizeof(number[0]), true);
}

static void test_messages(void **state)
{
	struct wh_error e;
	int64_t v;
	char huge[300];

	(void)state;
	assert_int_equal(sync_amount_parse("1.505", 5, 2, &v, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "more than 2 decimal places"));
	assert_int_equal(sync_amount_parse("abc", 3, 2, &v, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "not a decimal number"));
	assert_int_equal(sync_amount_parse("99999999999999999999", 20, 2, &v,
					   &e), WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "out of range"));
	/* A long input is quoted only in part. */
	memset(huge, '9', sizeof(huge));
	assert_int_equal(sync_amount_parse(huge, sizeof(huge), 2, &v, &e),
			 WH_ERR_INVALID);
	assert_true(strlen(e.msg) < 100);
	/* Length is honoured: no NUL needed, trailing bytes ignored. */
	assert_int_equal(sync_amount_parse("12.34xyz", 5, 2, &v, NULL), WH_OK);
	assert_int_equal(v, 1234);
	assert_int_equal(sync_amount_parse(NULL, 0, 2, &v, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(sync_amount_parse("1", 1, 19, &v, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(sync_amount_parse("1", 1, -1, &v, NULL),
			 WH_ERR_INVALID);
}

static void test_currency(void **state)
{
	struct sync_money m;
	struct wh_error e;

	(void)state;
	assert_int_equal(sync_currency_exponent("CNY"), 2);
	assert_int_equal(sync_currency_exponent("USD"), 2);
	assert_int_equal(sync_currency_exponent("EUR"), 2);
	assert_int_equal(sync_currency_exponent("JPY"), 0);
	assert_int_equal(sync_currency_exponent("KRW"), 0);
	assert_int_equal(sync_currency_exponent("KWD"), 3);
	assert_int_equal(sync_currency_exponent("BHD"), 3);
	assert_int_equal(sync_currency_exponent("CLF"), 4);
	assert_int_equal(sync_currency_exponent("usd"), -1);
	assert_int_equal(sync_currency_exponent("US"), -1);
	assert_int_equal(sync_currency_exponent("USDX"), -1);
	assert_int_equal(sync_currency_exponent(NULL), -1);
	assert_int_equal(sync_money_parse("19.99", 5, "USD", &m, NULL), WH_OK);
	assert_int_equal(m.minor, 1999);
	assert_string_equal(m.currency, "USD");
	assert_int_equal(sync_money_parse("1980", 4, "JPY", &m, NULL), WH_OK);
	assert_int_equal(m.minor, 1980);
	assert_int_equal(sync_money_parse("19.5", 4, "JPY", &m, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_money_parse("1.250", 5, "KWD", &m, NULL), WH_OK);
	assert_int_equal(m.minor, 1250);
	assert_int_equal(sync_money_parse("1", 1, "$$$", &m, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "ISO 4217"));
	assert_string_equal(m.currency, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_currency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
