/*
 * shelf.c - calendar days and the ship-by rule; see shelf.h.
 *
 * Day arithmetic uses Howard Hinnant's days_from_civil / civil_from_days
 * (public domain), which work in 400-year eras and need no tables.
 */
#include "domain/shelf.h"

#include <limits.h>

bool shelf_is_leap(int32_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int shelf_days_in_month(int32_t year, int month)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && shelf_is_leap(year))
		return 29;
	return len[month - 1];
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int32_t *year, int *month, int *mday)
{
	int64_t era, doe, yoe, y, doy, mp, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = mp < 10 ? mp + 3 : mp - 9;
	*month = (int)m;
	*year = (int32_t)(y + (m <= 2));
}

enum wh_err shelf_day_from_ymd(int32_t year, int month, int mday, int32_t *day,
			       struct wh_error *e)
{
	if (year < 1 || year > 9999)
		return wh_error_set(e, WH_ERR_INVALID,
				    "year %d outside 1..9999", (int)year);
	if (month < 1 || month > 12)
		return wh_error_set(e, WH_ERR_INVALID, "month %d outside 1..12",
				    month);
	if (mday < 1 || mday > shelf_days_in_month(year, month))
		return wh_error_set(e, WH_ERR_INVALID,
				    "day %d does not exist in %04d-%02d", mday,
				    (int)year, month);
	*day = (int32_t)days_from_civil(year, month, mday);
	return WH_OK;
}

enum wh_err shelf_day_to_ymd(int32_t day, int32_t *year, int *month, int *mday,
			     struct wh_error *e)
{
	if (day < SHELF_DAY_MIN || day > SHELF_DAY_MAX)
		return wh_error_set(e, WH_ERR_INVALID,
				    "day number %ld outside 0001..9999",
				    (long)day);
	civil_from_days(day, year, month, mday);
	return WH_OK;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

enum wh_err shelf_day_parse(const char *iso, int32_t *day, struct wh_error *e)
{
	int y, m, d;
	size_t n = 0;

	if (!iso)
		return wh_error_set(e, WH_ERR_INVALID, "no date");
	/* Bounded scan: a long string must not be read past its 11th byte. */
	while (n < SHELF_ISO_SIZE && iso[n])
		n++;
	if (n != SHELF_ISO_SIZE - 1 || iso[4] != '-' || iso[7] != '-')
		return wh_error_set(e, WH_ERR_INVALID,
				    "date is not YYYY-MM-DD");
	y = digits(iso, 4);
	m = digits(iso + 5, 2);
	d = digits(iso + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "date is not YYYY-MM-DD");
	return shelf_day_from_ymd(y, m, d, day, e);
}

static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

enum wh_err shelf_day_format(int32_t day, char *buf, size_t size,
			     struct wh_error *e)
{
	int32_t y;
	int m, d;
	enum wh_err rc;

	if (!buf || size < SHELF_ISO_SIZE) {
		if (buf && size > 0)
			buf[0] = '\0';
		return wh_error_set(e, WH_ERR_INVALID,
				    "date buffer needs %d bytes",
				    SHELF_ISO_SIZE);
	}
	rc = shelf_day_to_ymd(day, &y, &m, &d, e);
	if (rc != WH_OK) {
		buf[0] = '\0';
		return rc;
	}
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = '\0';
	return WH_OK;
}

enum wh_err shelf_day_from_unix(int64_t unix_seconds,
				int32_t utc_offset_seconds, int32_t *day,
				struct wh_error *e)
{
	/* Range-check first so the addition below cannot overflow. */
	const int64_t lim = (int64_t)SHELF_DAY_MAX * 86400 * 2;
	int64_t t, q;

	if (unix_seconds > lim || unix_seconds < -lim)
		return wh_error_set(e, WH_ERR_INVALID, "time out of range");
	t = unix_seconds + utc_offset_seconds;
	q = t / 86400;
	if (t % 86400 < 0)
		q--; /* floor, not truncation, before 1970 */
	if (q < SHELF_DAY_MIN || q > SHELF_DAY_MAX)
		return wh_error_set(e, WH_ERR_INVALID, "time out of range");
	*day = (int32_t)q;
	return WH_OK;
}

int32_t shelf_effective_min(int32_t sku_min, int32_t channel_min)
{
	int32_t m = sku_min > 0 ? sku_min : 0;

	return channel_min > m ? channel_min : m;
}

int32_t shelf_ship_by(int32_t expiry_day, int32_t min_remaining_days)
{
	int64_t v = (int64_t)expiry_day -
		    (min_remaining_days > 0 ? min_remaining_days : 0);

	return v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

bool shelf_sellable(int32_t expiry_day, int32_t min_remaining_days,
		    int32_t today)
{
	return today <= shelf_ship_by(expiry_day, min_remaining_days);
}

bool shelf_expired(int32_t expiry_day, int32_t today)
{
	return today > expiry_day;
}

enum shelf_status shelf_classify(int32_t expiry_day, int32_t min_remaining_days,
				 int32_t today, int32_t warn_days)
{
	int32_t ship_by = shelf_ship_by(expiry_day, min_remaining_days);

	if (shelf_expired(expiry_day, today))
		return SHELF_EXPIRED;
	if (today > ship_by)
		return SHELF_UNSHIPPABLE;
	if (warn_days >= 0 && (int64_t)ship_by - today <= warn_days)
		return SHELF_NEAR;
	return SHELF_OK;
}

const char *shelf_status_name(enum shelf_status s)
{
	switch (s) {
	case SHELF_OK:
		return "ok";
	case SHELF_NEAR:
		return "near";
	case SHELF_UNSHIPPABLE:
		return "unshippable";
	case SHELF_EXPIRED:
		return "expired";
	}
	return "unknown";
}
