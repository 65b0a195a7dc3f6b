#include "sync/synctime.h"

#include <stdbool.h>
#include <string.h>

#define SHOW_MAX 40

int64_t sync_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dm[] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly n digits at s[*i]; returns false if they are not there. */
static bool digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;

	if (len - *i < (size_t)n)
		return false;
	for (int k = 0; k < n; k++) {
		char c = s[*i + k];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)n;
	*out = v;
	return true;
}

static bool lit(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return false;
	(*i)++;
	return true;
}

static int show(size_t len)
{
	return len > SHOW_MAX ? SHOW_MAX : (int)len;
}

static int64_t to_epoch(int y, int mo, int d, int h, int mi, int se)
{
	return sync_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + se;
}

enum wh_err sync_time_parse(const char *s, size_t len, int default_offset,
			    int64_t *epoch, struct wh_error *err)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0;
	long offset = default_offset;
	size_t i = 0;

	*epoch = 0;
	if (!s)
		return wh_error_set(err, WH_ERR_INVALID, "time missing");
	if (!digits(s, len, &i, 4, &y) || !lit(s, len, &i, '-') ||
	    !digits(s, len, &i, 2, &mo) || !lit(s, len, &i, '-') ||
	    !digits(s, len, &i, 2, &d))
		goto bad;
	if (!lit(s, len, &i, 'T') && !lit(s, len, &i, ' '))
		goto bad;
	if (!digits(s, len, &i, 2, &h) || !lit(s, len, &i, ':') ||
	    !digits(s, len, &i, 2, &mi) || !lit(s, len, &i, ':') ||
	    !digits(s, len, &i, 2, &se))
		goto bad;
	if (lit(s, len, &i, '.') || lit(s, len, &i, ',')) {
		size_t f0 = i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f0)
			goto bad;
	}
	if (i < len) {
		char sign = s[i];

		if (sign == 'Z' || sign == 'z') {
			offset = 0;
			i++;
		} else if (sign == '+' || sign == '-') {
			i++;
			if (!digits(s, len, &i, 2, &oh))
				goto bad;
			if (lit(s, len, &i, ':')) {
				if (!digits(s, len, &i, 2, &om))
					goto bad;
			} else if (i < len && !digits(s, len, &i, 2, &om)) {
				goto bad;
			}
			if (oh > 23 || om > 59)
				goto bad;
			offset = oh * 3600L + om * 60L;
			if (sign == '-')
				offset = -offset;
		} else {
			goto bad;
		}
	}
	if (i != len)
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > days_in_month(y, (unsigned)mo) || h > 23 ||
	    mi > 59 || se > 60)
		goto bad;
	*epoch = to_epoch(y, mo, d, h, mi, se) - offset;
	return WH_OK;
bad:
	return wh_error_set(err, WH_ERR_INVALID,
			    "time \"%.*s\" is not yyyy-MM-dd HH:mm:ss or "
			    "ISO 8601", show(len), s);
}

enum wh_err sync_http_date_parse(const char *s, size_t len, int64_t *epoch,
				 struct wh_error *err)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char days[] = "MonTueWedThuFriSatSun";
	int d, y, h, mi, se, mo = 0;
	size_t i = 0;
	bool ok = false;

	*epoch = 0;
	if (!s || len != 29)
		goto bad;
	for (int k = 0; k < 7; k++)
		if (memcmp(s, days + 3 * k, 3) == 0)
			ok = true;
	if (!ok)
		goto bad;
	i = 3;
	if (!lit(s, len, &i, ',') || !lit(s, len, &i, ' ') ||
	    !digits(s, len, &i, 2, &d) || !lit(s, len, &i, ' '))
		goto bad;
	for (int k = 0; k < 12; k++)
		if (memcmp(s + i, months + 3 * k, 3) == 0)
			mo = k + 1;
	if (!mo)
		goto bad;
	i += 3;
	if (!lit(s, len, &i, ' ') || !digits(s, len, &i, 4, &y) ||
	    !lit(s, len, &i, ' ') || !digits(s, len, &i, 2, &h) ||
	    !lit(s, len, &i, ':') || !digits(s, len, &i, 2, &mi) ||
	    !lit(s, len, &i, ':') || !digits(s, len, &i, 2, &se) ||
	    memcmp(s + i, " GMT", 4) != 0)
		goto bad;
	if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo) || h > 23 ||
	    mi > 59 || se > 60)
		goto bad;
	*epoch = to_epoch(y, mo, d, h, mi, se);
	return WH_OK;
bad:
	return wh_error_set(err, WH_ERR_INVALID,
			    "\"%.*s\" is not an HTTP date", s ? show(len) : 0,
			    s ? s : "");
}
