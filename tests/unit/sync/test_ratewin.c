/* Token buckets, backoff, Retry-After, time parsing and window slicing
 * on a fake clock with a fake random source. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "sync/ratelimit.h"
#include "sync/synctime.h"
#include "sync/window.h"

static void test_bucket_amazon_get_orders(void **state)
{
	const struct sync_rate_preset *p;
	struct sync_bucket b;
	int64_t now = 1000, wait = -1;

	(void)state;
	p = sync_rate_preset_find("amazon.getOrders");
	assert_non_null(p);
	assert_true(p->rate > 0.0166 && p->rate < 0.0168);
	assert_int_equal(sync_bucket_init(&b, p->rate, p->burst, now, NULL),
			 WH_OK);
	/* The burst of 20 goes at once ... */
	for (int i = 0; i < 20; i++)
		assert_true(sync_bucket_take(&b, now, &wait));
	/* ... then one per 1/0.0167 s = 59.88 s. */
	assert_false(sync_bucket_take(&b, now, &wait));
	assert_int_equal(wait, 59881);
	assert_false(sync_bucket_take(&b, now + 59000, &wait));
	assert_int_equal(wait, 881);
	assert_true(sync_bucket_take(&b, now + 59881, &wait));
	assert_int_equal(wait, 0);
	/* A clock going backwards adds nothing. */
	assert_false(sync_bucket_take(&b, now, &wait));
	/* A long idle refills only up to the burst. */
	for (int i = 0; i < 20; i++)
		assert_true(sync_bucket_take(&b, now + 86400000, NULL));
	assert_false(sync_bucket_take(&b, now + 86400000, NULL));
}

static void test_bucket_shopify(void **state)
{
	const struct sync_rate_preset *p;
	struct sync_bucket b;
	struct wh_error e;
	int64_t wait;

	(void)state;
	p = sync_rate_preset_find("shopify.standard");
	assert_non_null(p);
	assert_int_equal(sync_bucket_init(&b, p->rate, p->burst, 0, NULL),
			 WH_OK);
	assert_int_equal(sync_bucket_observe_shopify(&b, "39/40", 0, NULL),
			 WH_OK);
	assert_true(sync_bucket_take(&b, 0, NULL));
	assert_false(sync_bucket_take(&b, 0, &wait));
	assert_int_equal(wait, 500); /* leaks 2/s */
	assert_true(sync_bucket_take(&b, 500, NULL));
	assert_int_equal(sync_bucket_observe_shopify(&b, "40/80", 500, NULL),
			 WH_OK);
	assert_true(b.burst == 80);
	assert_int_equal(sync_bucket_observe_shopify(&b, "41/40", 0, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_bucket_observe_shopify(&b, "x/40", 0, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_bucket_observe_shopify(&b, "40", 0, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_bucket_observe_shopify(&b, NULL, 0, &e),
			 WH_ERR_INVALID);
	sync_bucket_drain(&b, 1000);
	assert_false(sync_bucket_take(&b, 1000, &wait));
	assert_int_equal(wait, 500);
	assert_null(sync_rate_preset_find("nope"));
	assert_int_equal(sync_bucket_init(&b, 0, 1, 0, &e), WH_ERR_INVALID);
	assert_int_equal(sync_bucket_init(&b, 1, 0.5, 0, &e), WH_ERR_INVALID);
}

static uint64_t fake_rand(void *ctx)
{
	return *(uint64_t *)ctx;
}

static void test_backoff(void **state)
{
	uint64_t r = UINT64_MAX;

	(void)state;
	/* With rnd at its top the ceiling shows: 100, 200, 400 ... cap. */
	assert_int_equal(sync_backoff_ms(0, 100, 30000, NULL, NULL), 100);
	r = 100;
	assert_int_equal(sync_backoff_ms(0, 100, 30000, fake_rand, &r), 100);
	r = 200;
	assert_int_equal(sync_backoff_ms(1, 100, 30000, fake_rand, &r), 200);
	r = 400;
	assert_int_equal(sync_backoff_ms(2, 100, 30000, fake_rand, &r), 400);
	r = 1000000;
	assert_int_equal(sync_backoff_ms(20, 100, 30000, fake_rand, &r),
			 1000000 % 30001);
	r = 0;
	assert_int_equal(sync_backoff_ms(5, 100, 30000, fake_rand, &r), 0);
	/* Huge attempt numbers do not overflow. */
	r = UINT64_MAX;
	assert_true(sync_backoff_ms(4000000000u, 100, 30000, fake_rand, &r) <=
		    30000);
	/* Full jitter: uniform over [0, ceiling]. */
	r = 201;
	assert_int_equal(sync_backoff_ms(1, 100, 30000, fake_rand, &r), 0);
	/* Retry-After wins when longer. */
	r = 0;
	assert_int_equal(sync_retry_delay_ms(0, 100, 30000, 5000, fake_rand,
					     &r), 5000);
	r = 399;
	assert_int_equal(sync_retry_delay_ms(3, 100, 30000, 0, fake_rand, &r),
			 399);
}

static void test_retry_after(void **state)
{
	int64_t d;
	struct wh_error e;
	/* Sun, 06 Nov 1994 08:49:37 GMT = 784111777 */
	const int64_t t = 784111777;

	(void)state;
	assert_int_equal(sync_retry_after_parse("120", 0, &d, NULL), WH_OK);
	assert_int_equal(d, 120000);
	assert_int_equal(sync_retry_after_parse(" 2 ", 0, &d, NULL), WH_OK);
	assert_int_equal(d, 2000);
	assert_int_equal(sync_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT",
						t - 30, &d, NULL), WH_OK);
	assert_int_equal(d, 30000);
	assert_int_equal(sync_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT",
						t + 30, &d, NULL), WH_OK);
	assert_int_equal(d, 0);
	assert_int_equal(sync_retry_after_parse("-1", 0, &d, &e),
			 WH_ERR_INVALID);
	/* Shopify sends decimal seconds ("2.0"). */
	assert_int_equal(sync_retry_after_parse("2.0", 0, &d, &e), WH_OK);
	assert_int_equal(d, 2000);
	assert_int_equal(sync_retry_after_parse("1.5", 0, &d, &e), WH_OK);
	assert_int_equal(d, 1500);
	assert_int_equal(sync_retry_after_parse("0.0125", 0, &d, &e), WH_OK);
	assert_int_equal(d, 12);
	assert_int_equal(sync_retry_after_parse("1.", 0, &d, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_retry_after_parse(".5", 0, &d, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_retry_after_parse("1.5s", 0, &d, &e),
			 WH_ERR_INVALID);
	/* The obsolete RFC 850 form is not accepted. */
	assert_int_equal(sync_retry_after_parse(
				 "Sunday, 06-Nov-94 08:49:37 GMT", 0, &d, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_retry_after_parse("Sun, 31 Feb 1994 08:49:37 GMT",
						0, &d, &e), WH_ERR_INVALID);
	assert_int_equal(sync_retry_after_parse("", 0, &d, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_retry_after_parse(NULL, 0, &d, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_retry_after_parse("99999999999999999999", 0, &d,
						&e), WH_ERR_INVALID);
}

static void test_time(void **state)
{
	static const struct {
		const char *s;
		int off;
		enum wh_err rc;
		int64_t want;
	} rows[] = {
		{ "2024-01-01 12:00:00", SYNC_TZ_CHINA, WH_OK, 1704081600 },
		{ "2024-01-01 12:00:00.000+0800", 0, WH_OK, 1704081600 },
		{ "2024-01-01T04:00:00Z", SYNC_TZ_CHINA, WH_OK, 1704081600 },
		{ "2024-01-01T04:00:00.123456Z", 0, WH_OK, 1704081600 },
		{ "2023-12-31T23:00:00-05:00", 0, WH_OK, 1704081600 },
		{ "2024-01-01T09:30:00+05:30", 0, WH_OK, 1704081600 },
		{ "2024-01-01T12:00:00+08", 0, WH_OK, 1704081600 },
		{ "2024-01-01T04:00:00", 0, WH_OK, 1704081600 },
		{ "2024-02-29 00:00:00", 0, WH_OK, 1709164800 },
		{ "1970-01-01 00:00:00", 0, WH_OK, 0 },
		{ "2023-02-29 00:00:00", 0, WH_ERR_INVALID, 0 },
		{ "2024-13-01 00:00:00", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01 24:00:00", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01 12:00", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01 12:00:00 ", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01 12:00:00+2", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01 12:00:00+24:00", 0, WH_ERR_INVALID, 0 },
		{ "2024-01-01 12:00:00.", 0, WH_ERR_INVALID, 0 },
		{ "1704081600", 0, WH_ERR_INVALID, 0 },
		{ "", 0, WH_ERR_INVALID, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t t = -1;
		enum wh_err rc = sync_time_parse(rows[i].s, strlen(rows[i].s),
						 rows[i].off, &t, NULL);

		if (rc != rows[i].rc || (rc == WH_OK && t != rows[i].want))
			fail_msg("%s: rc %d t %lld", rows[i].s, rc,
				 (long long)t);
	}
	assert_int_equal(sync_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(sync_days_from_civil(1969, 12, 31), -1);
}

static void test_windows(void **state)
{
	struct sync_window w[48];
	struct sync_window_spec spec = SYNC_WINDOW_PDD;
	const int64_t now = 1704081600;
	struct wh_error e;
	size_t n;

	(void)state;
	/* Caught up: one window from watermark - overlap to now. */
	assert_int_equal(sync_window_plan(now - 60, now, &spec, w, &n, NULL),
			 WH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].start, now - 360);
	assert_int_equal(w[0].end, now);
	/* Two hours behind: 30-minute windows, last one short, no gaps. */
	assert_int_equal(sync_window_plan(now - 7200, now, &spec, w, &n, NULL),
			 WH_OK);
	assert_int_equal(n, 5);
	assert_int_equal(w[0].start, now - 7500);
	for (size_t i = 0; i < n; i++) {
		assert_true(w[i].end - w[i].start <= 1800);
		assert_true(w[i].end > w[i].start);
		if (i)
			assert_int_equal(w[i].start, w[i - 1].end);
	}
	assert_int_equal(w[4].end, now);
	assert_int_equal(w[4].end - w[4].start, 300);
	/* Far behind: capped at max_windows; the caller plans again. */
	spec.max_windows = 4;
	assert_int_equal(sync_window_plan(now - 86400, now, &spec, w, &n,
					  NULL), WH_OK);
	assert_int_equal(n, 4);
	assert_int_equal(w[3].end, now - 86400 - 300 + 4 * 1800);
	/* Watermark in the future or at now - overlap: nothing or tiny. */
	spec = SYNC_WINDOW_PDD;
	assert_int_equal(sync_window_plan(now + 1000, now, &spec, w, &n, NULL),
			 WH_OK);
	assert_int_equal(n, 0);
	/* TOP: never older than 90 days, even from watermark 0. */
	spec = SYNC_WINDOW_TOP;
	assert_int_equal(sync_window_plan(0, now, &spec, w, &n, NULL), WH_OK);
	assert_int_equal(n, 48);
	assert_int_equal(w[0].start, now - 90 * 86400);
	/* Bad specs. */
	spec.max_window = 0;
	assert_int_equal(sync_window_plan(0, now, &spec, w, &n, &e),
			 WH_ERR_INVALID);
	spec = SYNC_WINDOW_PDD;
	assert_int_equal(sync_window_plan(-1, now, &spec, w, &n, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_window_plan(0, now, NULL, w, &n, &e),
			 WH_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_amazon_get_orders),
		cmocka_unit_test(test_bucket_shopify),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
