#include "sync/amount.h"

#include <stdbool.h>
#include <string.h>

#define SHOW_MAX 40 /* bytes of the offending text quoted in messages */

int sync_currency_exponent(const char *code)
{
	static const char *const zero[] = {
		"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
		"PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
		"XPF",
	};
	static const char *const three[] = {
		"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
	};
	static const char *const four[] = { "CLF", "UYW" };

	if (!code || strlen(code) != 3)
		return -1;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return -1;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (strcmp(code, zero[i]) == 0)
			return 0;
	for (size_t i = 0; i < sizeof(three) / sizeof(three[0]); i++)
		if (strcmp(code, three[i]) == 0)
			return 3;
	for (size_t i = 0; i < sizeof(four) / sizeof(four[0]); i++)
		if (strcmp(code, four[i]) == 0)
			return 4;
	return 2;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int show_len(size_t len)
{
	return len > SHOW_MAX ? SHOW_MAX : (int)len;
}

static enum wh_err parse(const char *s, size_t len, int exponent,
			 bool allow_exp, int64_t *minor, struct wh_error *err)
{
	size_t i = 0, int_start, int_end, frac_start = 0, frac_end = 0;
	size_t first, last;
	bool neg = false;
	long long shift, e10 = 0;
	uint64_t v = 0;

	*minor = 0;
	if (!s)
		return wh_error_set(err, WH_ERR_INVALID, "amount missing");
	if (exponent < 0 || exponent > 18)
		return wh_error_set(err, WH_ERR_INVALID,
				    "currency exponent %d out of range",
				    exponent);
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	int_start = i;
	while (i < len && is_digit(s[i]))
		i++;
	int_end = i;
	if (int_end == int_start)
		goto garbage;
	if (i < len && s[i] == '.') {
		frac_start = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		frac_end = i;
		if (frac_end == frac_start)
			goto garbage;
	}
	if (allow_exp && i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		size_t e0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		e0 = i;
		while (i < len && is_digit(s[i])) {
			if (e10 < 100000)
				e10 = e10 * 10 + (s[i] - '0');
			i++;
		}
		if (i == e0)
			goto garbage;
		if (eneg)
			e10 = -e10;
	}
	if (i != len)
		goto garbage;

	/*
	 * The value is the digit string D = int digits + frac digits times
	 * 10^(e10 - frac digits); in minor units shift by exponent more.
	 * Leading zeros add nothing and trailing zeros move into the shift,
	 * so the loop below sees only significant digits.
	 */
	shift = (long long)exponent + e10 -
		(long long)(frac_end - frac_start);
	first = int_start;
	last = frac_end ? frac_end : int_end; /* one past the last digit */
	while (first < last && (s[first] == '0' || s[first] == '.'))
		first++;
	while (last > first && (s[last - 1] == '0' || s[last - 1] == '.')) {
		if (s[last - 1] == '0')
			shift++;
		last--;
	}
	if (first == last)
		return WH_OK; /* zero, in any notation */
	if (shift < 0)
		return wh_error_set(err, WH_ERR_INVALID,
				    "amount \"%.*s\" has more than %d decimal "
				    "places", show_len(len), s, exponent);
	for (size_t k = first; k < last; k++) {
		if (s[k] == '.')
			continue;
		if (v > (UINT64_MAX - 9) / 10)
			goto range;
		v = v * 10 + (uint64_t)(s[k] - '0');
		if (v > (uint64_t)INT64_MAX)
			goto range;
	}
	for (; shift > 0; shift--) {
		if (v > (uint64_t)INT64_MAX / 10)
			goto range;
		v *= 10;
	}
	*minor = neg ? -(int64_t)v : (int64_t)v;
	return WH_OK;
garbage:
	return wh_error_set(err, WH_ERR_INVALID,
			    "amount \"%.*s\" is not a decimal number",
			    show_len(len), s);
range:
	return wh_error_set(err, WH_ERR_INVALID,
			    "amount \"%.*s\" is out of range", show_len(len),
			    s);
}

enum wh_err sync_amount_parse(const char *s, size_t len, int exponent,
			      int64_t *minor, struct wh_error *err)
{
	return parse(s, len, exponent, false, minor, err);
}

enum wh_err sync_amount_parse_number(const char *s, size_t len, int exponent,
				     int64_t *minor, struct wh_error *err)
{
	return parse(s, len, exponent, true, minor, err);
}

enum wh_err sync_money_parse(const char *amount, size_t len,
			     const char *currency, struct sync_money *out,
			     struct wh_error *err)
{
	int e = sync_currency_exponent(currency);

	out->minor = 0;
	out->currency[0] = '\0';
	if (e < 0)
		return wh_error_set(err, WH_ERR_INVALID,
				    "currency code \"%.8s\" is not ISO 4217",
				    currency ? currency : "");
	memcpy(out->currency, currency, 4);
	return parse(amount, len, e, false, &out->minor, err);
}
