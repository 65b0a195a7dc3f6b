/*
 * test_count.c - cycle count variances, approval thresholds, accuracy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/count.h"

static const struct count_threshold abs5 = {5, -1, false};

static struct count_result *compare(const struct count_qty *exp, size_t ne,
				    const struct count_qty *cnt, size_t nc,
				    const struct count_threshold *t)
{
	struct count_result *r = NULL;

	assert_int_equal(count_compare(exp, ne, cnt, nc, t, &r, NULL), WH_OK);
	assert_non_null(r);
	return r;
}

static void test_matching_and_variance(void **state)
{
	const struct count_qty exp[] = {
	    {1, 10, 20}, /* counted right */
	    {1, 11, 8},	 /* 2 missing */
	    {2, 0, 5},	 /* not found at all */
	};
	const struct count_qty cnt[] = {
	    {3, 0, 4}, /* found stock, not expected */
	    {1, 10, 20},
	    {1, 11, 4},
	    {1, 11, 2}, /* same lot scanned twice: summed */
	};
	struct count_result *r;

	(void)state;
	r = compare(exp, 3, cnt, 4, &abs5);
	assert_int_equal(r->n_lines, 4);
	assert_int_equal(r->lines[0].sku_id, 1);
	assert_int_equal(r->lines[0].lot_id, 10);
	assert_int_equal(r->lines[0].variance, 0);
	assert_false(r->lines[0].exceeds);
	assert_int_equal(r->lines[1].expected, 8);
	assert_int_equal(r->lines[1].counted, 6);
	assert_int_equal(r->lines[1].variance, -2);
	assert_false(r->lines[1].exceeds);
	assert_int_equal(r->lines[2].sku_id, 2);
	assert_int_equal(r->lines[2].counted, 0);
	assert_int_equal(r->lines[2].variance, -5);
	assert_false(r->lines[2].exceeds); /* 5 is not above 5 */
	assert_int_equal(r->lines[3].sku_id, 3);
	assert_int_equal(r->lines[3].expected, 0);
	assert_int_equal(r->lines[3].variance, 4);
	assert_int_equal(r->n_exact, 1);
	assert_int_equal(r->net_variance, -3);
	assert_false(r->needs_approval);
	count_result_free(r);
}

static void test_abs_threshold(void **state)
{
	const struct count_qty exp[] = {{1, 1, 100}};
	const struct count_qty cnt[] = {{1, 1, 94}};
	struct count_result *r;

	(void)state;
	r = compare(exp, 1, cnt, 1, &abs5);
	assert_true(r->lines[0].exceeds);
	assert_true(r->needs_approval);
	count_result_free(r);
	assert_false(count_exceeds(100, 105, &abs5));
	assert_true(count_exceeds(100, 106, &abs5));
	assert_true(count_exceeds(100, 94, &abs5));
}

static void test_pct_threshold(void **state)
{
	const struct count_threshold pct = {-1, 250, false}; /* 2.5 % */

	(void)state;
	assert_false(count_exceeds(200, 205, &pct)); /* exactly 2.5 % */
	assert_true(count_exceeds(200, 206, &pct));
	assert_true(count_exceeds(200, 194, &pct));
	assert_false(count_exceeds(200, 200, &pct));
	/* Nothing expected: any difference is infinite percent. */
	assert_true(count_exceeds(0, 1, &pct));
	assert_false(count_exceeds(0, 0, &pct));
	/* Extremes do not overflow. */
	const struct count_threshold wide = {INT64_MAX, INT32_MAX, false};
	assert_false(count_exceeds(INT64_MAX, 0, &wide));
	assert_true(count_exceeds(1, INT64_MAX, &wide));
	assert_true(count_exceeds(INT64_MAX, INT64_MIN, &pct));
}

static void test_combined_thresholds(void **state)
{
	const struct count_threshold any = {10, 500, false};
	const struct count_threshold both = {10, 500, true};
	const struct count_threshold none = {-1, -1, false};

	(void)state;
	/* 3 of 20 = 15 %, 3 units: small noise on a slow mover. */
	assert_true(count_exceeds(20, 17, &any));
	assert_false(count_exceeds(20, 17, &both));
	/* 20 of 10000 = 0.2 %, 20 units. */
	assert_true(count_exceeds(10000, 10020, &any));
	assert_false(count_exceeds(10000, 10020, &both));
	/* 50 of 100: both exceeded. */
	assert_true(count_exceeds(100, 50, &both));
	/* No test enabled: every difference needs a supervisor. */
	assert_true(count_exceeds(100, 99, &none));
	assert_false(count_exceeds(100, 100, &none));
}

static void test_accuracy(void **state)
{
	const struct count_qty exp[] = {{1, 1, 10}, {2, 1, 10}};
	const struct count_qty ok[] = {{1, 1, 10}, {2, 1, 10}};
	const struct count_qty off[] = {{1, 1, 10}, {2, 1, 9}};
	struct count_tally t = {0};
	struct count_result *r;

	(void)state;
	r = compare(exp, 2, ok, 2, &abs5);
	count_tally_add(&t, r);
	count_result_free(r);
	r = compare(exp, 2, off, 2, &abs5);
	count_tally_add(&t, r);
	count_result_free(r);
	r = compare(NULL, 0, NULL, 0, &abs5); /* empty bin counted empty */
	assert_int_equal(r->n_lines, 0);
	assert_false(r->needs_approval);
	count_tally_add(&t, r);
	count_result_free(r);
	assert_int_equal(t.lines, 4);
	assert_int_equal(t.lines_exact, 3);
	assert_int_equal(t.locations, 3);
	assert_int_equal(t.locations_exact, 2);
	assert_int_equal(count_accuracy_bp(t.lines_exact, t.lines), 7500);
	assert_int_equal(count_accuracy_bp(t.locations_exact, t.locations),
			 6666);
	assert_int_equal(count_accuracy_bp(0, 0), -1);
	assert_int_equal(count_accuracy_bp(0, 7), 0);
	assert_int_equal(count_accuracy_bp(7, 7), 10000);
	assert_int_equal(count_accuracy_bp(UINT64_MAX - 1, UINT64_MAX), 9999);
}

static void test_invalid(void **state)
{
	const struct count_qty neg[] = {{1, 1, -1}};
	const struct count_qty big[] = {{1, 1, COUNT_QTY_MAX + 1}};
	const struct count_qty max2[] = {{1, 1, COUNT_QTY_MAX}, {1, 1, 1}};
	const struct count_threshold silly = {-1, 2000000, false};
	struct count_result *r = (struct count_result *)&r;
	struct wh_error err = {0};

	(void)state;
	assert_int_equal(count_compare(neg, 1, NULL, 0, &abs5, &r, &err),
			 WH_ERR_INVALID);
	assert_null(r);
	assert_int_equal(count_compare(NULL, 0, big, 1, &abs5, &r, &err),
			 WH_ERR_INVALID);
	assert_int_equal(count_compare(NULL, 0, max2, 2, &abs5, &r, &err),
			 WH_ERR_INVALID);
	assert_int_equal(count_compare(NULL, 1, NULL, 0, &abs5, &r, &err),
			 WH_ERR_INVALID);
	assert_int_equal(count_compare(NULL, 0, NULL, 0, &silly, &r, &err),
			 WH_ERR_INVALID);
	assert_null(r);
	count_result_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matching_and_variance),
	    cmocka_unit_test(test_abs_threshold),
	    cmocka_unit_test(test_pct_threshold),
	    cmocka_unit_test(test_combined_thresholds),
	    cmocka_unit_test(test_accuracy),
	    cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
