/*
 * test_shelf.c - day numbers, ISO dates and the ship-by rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/shelf.h"

static int32_t ymd(int32_t y, int m, int d)
{
	int32_t day = 0;

	assert_int_equal(shelf_day_from_ymd(y, m, d, &day, NULL), WH_OK);
	return day;
}

static int32_t iso(const char *s)
{
	int32_t day = 0;
	struct wh_error err = {0};

	assert_int_equal(shelf_day_parse(s, &day, &err), WH_OK);
	return day;
}

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2000, 1, 1), 10957);
	assert_int_equal(ymd(2000, 2, 29), 11016);
	assert_int_equal(ymd(2024, 2, 29), 19782);
	assert_int_equal(ymd(2038, 1, 19), 24855);
	assert_int_equal(ymd(1, 1, 1), SHELF_DAY_MIN);
	assert_int_equal(ymd(9999, 12, 31), SHELF_DAY_MAX);
	assert_int_equal(iso("2024-02-29"), 19782);
	assert_int_equal(iso("1970-01-01"), 0);
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(shelf_is_leap(2024));
	assert_true(shelf_is_leap(2000));
	assert_true(shelf_is_leap(1600));
	assert_false(shelf_is_leap(1900));
	assert_false(shelf_is_leap(2100));
	assert_false(shelf_is_leap(2023));
	assert_int_equal(shelf_days_in_month(2024, 2), 29);
	assert_int_equal(shelf_days_in_month(2023, 2), 28);
	assert_int_equal(shelf_days_in_month(1900, 2), 28);
	assert_int_equal(shelf_days_in_month(2000, 2), 29);
	assert_int_equal(shelf_days_in_month(2023, 4), 30);
	assert_int_equal(shelf_days_in_month(2023, 12), 31);
	assert_int_equal(shelf_days_in_month(2023, 0), 0);
	assert_int_equal(shelf_days_in_month(2023, 13), 0);
}

static void test_invalid_dates(void **state)
{
	int32_t day = 12345;
	struct wh_error err = {0};

	(void)state;
	assert_int_equal(shelf_day_from_ymd(2023, 2, 29, &day, &err),
			 WH_ERR_INVALID);
	assert_int_equal(err.code, WH_ERR_INVALID);
	assert_non_null(strstr(err.msg, "2023-02"));
	assert_int_equal(shelf_day_from_ymd(1900, 2, 29, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(2100, 2, 29, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(2024, 4, 31, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(2024, 13, 1, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(2024, 0, 1, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(2024, 1, 0, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(0, 1, 1, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_ymd(10000, 1, 1, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(day, 12345); /* untouched on error */
}

static void test_month_ends_step(void **state)
{
	static const struct {
		const char *a, *b;
	} next[] = {
	    {"2023-01-31", "2023-02-01"}, {"2023-02-28", "2023-03-01"},
	    {"2024-02-28", "2024-02-29"}, {"2024-02-29", "2024-03-01"},
	    {"2024-04-30", "2024-05-01"}, {"2024-12-31", "2025-01-01"},
	    {"1999-12-31", "2000-01-01"}, {"2000-02-29", "2000-03-01"},
	    {"2100-02-28", "2100-03-01"}, {"1969-12-31", "1970-01-01"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(next) / sizeof(next[0]); i++)
		assert_int_equal(iso(next[i].a) + 1, iso(next[i].b));
	/* Whole years: 366 days in a leap year, 365 otherwise. */
	assert_int_equal(ymd(2025, 1, 1) - ymd(2024, 1, 1), 366);
	assert_int_equal(ymd(2024, 1, 1) - ymd(2023, 1, 1), 365);
	assert_int_equal(ymd(2001, 1, 1) - ymd(2000, 1, 1), 366);
	assert_int_equal(ymd(2101, 1, 1) - ymd(2100, 1, 1), 365);
}

/* Every day of 0001..9999: to y-m-d, to text, back, and consecutive. */
static void test_round_trip_all_days(void **state)
{
	int32_t py = 0;
	int pm = 0, pd = 0;

	(void)state;
	for (int32_t day = SHELF_DAY_MIN; day <= SHELF_DAY_MAX; day++) {
		int32_t y, back;
		int m, d;
		char buf[SHELF_ISO_SIZE];

		assert_int_equal(shelf_day_to_ymd(day, &y, &m, &d, NULL),
				 WH_OK);
		if (day > SHELF_DAY_MIN) {
			/* The next calendar day of (py, pm, pd). */
			if (pd < shelf_days_in_month(py, pm)) {
				assert_true(y == py && m == pm && d == pd + 1);
			} else if (pm < 12) {
				assert_true(y == py && m == pm + 1 && d == 1);
			} else {
				assert_true(y == py + 1 && m == 1 && d == 1);
			}
		}
		py = y;
		pm = m;
		pd = d;
		if (day % 97 != 0 && day != SHELF_DAY_MAX &&
		    day != SHELF_DAY_MIN)
			continue; /* text round trip on a sample: it is slower
				   */
		assert_int_equal(shelf_day_format(day, buf, sizeof(buf), NULL),
				 WH_OK);
		assert_int_equal(shelf_day_parse(buf, &back, NULL), WH_OK);
		assert_int_equal(back, day);
	}
	assert_true(py == 9999 && pm == 12 && pd == 31);
}

static void test_parse_rejects(void **state)
{
	static const char *bad[] = {
	    "",		  "2024-2-29",	      "2024-02-29 ", " 2024-02-29",
	    "2024/02/29", "20240229",	      "2024-13-01",  "2024-00-10",
	    "0000-01-01", "+024-01-01",	      "2024-02-30",  "2023-02-29",
	    "2024-02-2x", "2024-02-29T00:00", "abcd-ef-gh",
	};
	int32_t day = 7;
	struct wh_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(shelf_day_parse(bad[i], &day, &err),
				 WH_ERR_INVALID);
	assert_int_equal(shelf_day_parse(NULL, &day, &err), WH_ERR_INVALID);
	assert_int_equal(day, 7);
}

static void test_format(void **state)
{
	char buf[SHELF_ISO_SIZE];
	char small[10] = "xxxxxxxxx";
	struct wh_error err = {0};

	(void)state;
	assert_int_equal(shelf_day_format(19782, buf, sizeof(buf), &err),
			 WH_OK);
	assert_string_equal(buf, "2024-02-29");
	assert_int_equal(
	    shelf_day_format(SHELF_DAY_MIN, buf, sizeof(buf), NULL), WH_OK);
	assert_string_equal(buf, "0001-01-01");
	assert_int_equal(shelf_day_format(-1, buf, sizeof(buf), NULL), WH_OK);
	assert_string_equal(buf, "1969-12-31");
	assert_int_equal(shelf_day_format(0, small, sizeof(small), &err),
			 WH_ERR_INVALID);
	assert_string_equal(small, "");
	assert_int_equal(
	    shelf_day_format(SHELF_DAY_MAX + 1, buf, sizeof(buf), &err),
	    WH_ERR_INVALID);
	assert_string_equal(buf, "");
	assert_int_equal(
	    shelf_day_format(SHELF_DAY_MIN - 1, buf, sizeof(buf), NULL),
	    WH_ERR_INVALID);
}

static void test_from_unix(void **state)
{
	int32_t day = 99;

	(void)state;
	assert_int_equal(shelf_day_from_unix(0, 0, &day, NULL), WH_OK);
	assert_int_equal(day, 0);
	assert_int_equal(shelf_day_from_unix(86399, 0, &day, NULL), WH_OK);
	assert_int_equal(day, 0);
	assert_int_equal(shelf_day_from_unix(-1, 0, &day, NULL), WH_OK);
	assert_int_equal(day, -1);
	assert_int_equal(shelf_day_from_unix(-86400, 0, &day, NULL), WH_OK);
	assert_int_equal(day, -1);
	assert_int_equal(shelf_day_from_unix(-86401, 0, &day, NULL), WH_OK);
	assert_int_equal(day, -2);
	/* 2024-03-01 16:00:00 UTC is 2024-03-02 00:00 in Shanghai. */
	assert_int_equal(shelf_day_from_unix(1709308800, 0, &day, NULL), WH_OK);
	assert_int_equal(day, ymd(2024, 3, 1));
	assert_int_equal(shelf_day_from_unix(1709308800, 28800, &day, NULL),
			 WH_OK);
	assert_int_equal(day, ymd(2024, 3, 2));
	assert_int_equal(shelf_day_from_unix(1709308799, 28800, &day, NULL),
			 WH_OK);
	assert_int_equal(day, ymd(2024, 3, 1));
	day = 5;
	assert_int_equal(shelf_day_from_unix(INT64_MAX, 0, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(shelf_day_from_unix(INT64_MIN, 0, &day, NULL),
			 WH_ERR_INVALID);
	assert_int_equal(day, 5);
}

static void test_effective_min(void **state)
{
	(void)state;
	assert_int_equal(shelf_effective_min(30, -1), 30);   /* no override */
	assert_int_equal(shelf_effective_min(30, 180), 180); /* stricter wins */
	assert_int_equal(shelf_effective_min(180, 30), 180); /* looser loses */
	assert_int_equal(shelf_effective_min(0, 0), 0);
	assert_int_equal(shelf_effective_min(-5, -1), 0);
	assert_int_equal(shelf_effective_min(-5, 7), 7);
}

/* The boundary the whole warehouse depends on. */
static void test_ship_by_boundary(void **state)
{
	const int32_t today = ymd(2024, 6, 15);

	(void)state;
	/* Expiring today: not expired; sellable only with min 0. */
	assert_false(shelf_expired(today, today));
	assert_true(shelf_sellable(today, 0, today));
	assert_false(shelf_sellable(today, 1, today));
	assert_false(shelf_sellable(today, 30, today));
	assert_int_equal(shelf_ship_by(today, 0), today);
	assert_int_equal(shelf_ship_by(today, 1), today - 1);

	/* Expiring tomorrow. */
	assert_true(shelf_sellable(today + 1, 0, today));
	assert_true(shelf_sellable(today + 1, 1, today)); /* last day */
	assert_false(shelf_sellable(today + 1, 2, today));
	assert_false(shelf_sellable(today + 1, 1, today + 1));

	/* Expired yesterday: never sellable, even with min 0. */
	assert_true(shelf_expired(today - 1, today));
	assert_false(shelf_sellable(today - 1, 0, today));

	/* 30 days: remaining must be at least 30. */
	assert_true(shelf_sellable(today + 30, 30, today));
	assert_false(shelf_sellable(today + 29, 30, today));
	assert_true(shelf_sellable(today + 31, 30, today));

	/* Across a leap day: expiry 2024-03-29, 30 days -> ship by 02-28. */
	assert_int_equal(shelf_ship_by(ymd(2024, 3, 29), 30), ymd(2024, 2, 28));
	assert_true(shelf_sellable(ymd(2024, 3, 29), 30, ymd(2024, 2, 28)));
	assert_false(shelf_sellable(ymd(2024, 3, 29), 30, ymd(2024, 2, 29)));

	/* Negative minimum counts as 0; no overflow at the extremes. */
	assert_int_equal(shelf_ship_by(today, -3), today);
	assert_int_equal(shelf_ship_by(INT32_MIN + 1, 5), INT32_MIN);
	assert_int_equal(shelf_ship_by(INT32_MAX, 0), INT32_MAX);
}

static void test_classify(void **state)
{
	const int32_t t = ymd(2025, 1, 10);

	(void)state;
	/* expiry t+40, min 30 -> ship-by t+10. */
	assert_int_equal(shelf_classify(t + 40, 30, t, 7), SHELF_OK);
	assert_int_equal(shelf_classify(t + 40, 30, t, 9), SHELF_OK);
	assert_int_equal(shelf_classify(t + 40, 30, t, 10), SHELF_NEAR);
	assert_int_equal(shelf_classify(t + 40, 30, t + 10, 0), SHELF_NEAR);
	assert_int_equal(shelf_classify(t + 40, 30, t + 11, 7),
			 SHELF_UNSHIPPABLE);
	assert_int_equal(shelf_classify(t + 40, 30, t + 40, 7),
			 SHELF_UNSHIPPABLE);
	assert_int_equal(shelf_classify(t + 40, 30, t + 41, 7), SHELF_EXPIRED);
	assert_int_equal(shelf_classify(t, 0, t, 0), SHELF_NEAR);
	assert_int_equal(shelf_classify(t, 0, t, -1), SHELF_OK);
	assert_int_equal(shelf_classify(t - 1, 0, t, 5), SHELF_EXPIRED);
	assert_string_equal(shelf_status_name(SHELF_OK), "ok");
	assert_string_equal(shelf_status_name(SHELF_NEAR), "near");
	assert_string_equal(shelf_status_name(SHELF_UNSHIPPABLE),
			    "unshippable");
	assert_string_equal(shelf_status_name(SHELF_EXPIRED), "expired");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_days),
	    cmocka_unit_test(test_leap_years),
	    cmocka_unit_test(test_invalid_dates),
	    cmocka_unit_test(test_month_ends_step),
	    cmocka_unit_test(test_round_trip_all_days),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_from_unix),
	    cmocka_unit_test(test_effective_min),
	    cmocka_unit_test(test_ship_by_boundary),
	    cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
