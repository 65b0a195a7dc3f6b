/*
 * test_pickpath.c - the serpentine formula and walk-order sorting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/pickpath.h"

static int32_t seq(int32_t a, int32_t b, int32_t l)
{
	int32_t s = -1;

	assert_int_equal(pickpath_serpentine(a, b, l, &s, NULL), WH_OK);
	return s;
}

static void test_formula_values(void **state)
{
	(void)state;
	assert_int_equal(seq(1, 1, 0), 10100);
	assert_int_equal(seq(1, 2, 1), 10201);
	assert_int_equal(seq(2, 3, 1), 29701);
	assert_int_equal(seq(2, 99, 0), 20100);
	assert_int_equal(seq(3, 1, 0), 30100);
	assert_int_equal(seq(9999, 99, 99), 99999999);
}

/* Odd aisles walk up the bays, even aisles down, levels bottom-up. */
static void test_serpentine_walk(void **state)
{
	(void)state;
	assert_true(seq(1, 1, 0) < seq(1, 2, 0));
	assert_true(seq(1, 2, 0) < seq(1, 2, 3));
	assert_true(seq(1, 2, 99) < seq(1, 3, 0));
	assert_true(seq(1, 40, 5) < seq(2, 40, 0)); /* aisle 1 before 2 */
	assert_true(seq(2, 40, 0) < seq(2, 39, 0)); /* even: descending */
	assert_true(seq(2, 2, 1) < seq(2, 1, 0));
	assert_true(seq(2, 1, 9) < seq(3, 1, 0));
	assert_true(seq(3, 1, 0) < seq(3, 2, 0)); /* odd: ascending */
	/* Aisles of different lengths still chain: 12 bays, then 40. */
	assert_true(seq(1, 12, 0) < seq(2, 40, 0));
	/* The whole grid is strictly increasing in walk order. */
	int32_t prev = -1;
	for (int32_t a = 1; a <= 6; a++)
		for (int32_t k = 1; k <= 99; k++) {
			int32_t b = a % 2 ? k : 100 - k;

			for (int32_t l = 0; l <= 99; l += 33) {
				int32_t s = seq(a, b, l);

				assert_true(s > prev);
				prev = s;
			}
		}
}

static void test_round_trip_and_range(void **state)
{
	int32_t s, a, b, l;
	struct wh_error err = {0};

	(void)state;
	for (a = 1; a <= 9999; a += 101)
		for (b = 1; b <= 99; b += 7)
			for (l = 0; l <= 99; l += 11) {
				int32_t a2, b2, l2;

				s = seq(a, b, l);
				assert_int_equal(pickpath_serpentine_decode(
						     s, &a2, &b2, &l2, NULL),
						 WH_OK);
				assert_true(a2 == a && b2 == b && l2 == l);
			}
	assert_int_equal(pickpath_serpentine(0, 1, 0, &s, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine(10000, 1, 0, &s, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine(1, 0, 0, &s, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine(1, 100, 0, &s, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine(1, 1, -1, &s, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine(1, 1, 100, &s, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine_decode(-5, &a, &b, &l, &err),
			 WH_ERR_INVALID);
	assert_int_equal(pickpath_serpentine_decode(9999, &a, &b, &l, &err),
			 WH_ERR_INVALID); /* aisle 0 */
	assert_int_equal(pickpath_serpentine_decode(10005, &a, &b, &l, &err),
			 WH_ERR_INVALID); /* bay 0 */
	assert_int_equal(
	    pickpath_serpentine_decode(INT32_MAX, &a, &b, &l, &err),
	    WH_ERR_INVALID);
}

static void test_sort_walk_order(void **state)
{
	struct pickpath_stop s[] = {
	    {.location_id = 9, .walk_seq = seq(2, 5, 0), .ref = 0},
	    {.location_id = 3, .walk_seq = seq(1, 7, 0), .ref = 1},
	    {.location_id = 4, .walk_seq = seq(2, 9, 0), .ref = 2},
	    {.location_id = 3, .walk_seq = seq(1, 7, 0), .ref = 3},
	    {.location_id = 1, .walk_seq = seq(1, 7, 0), .ref = 4},
	    {.location_id = 8, .walk_seq = seq(1, 2, 0), .ref = 5},
	};
	static const size_t want[] = {5, 4, 1, 3, 2, 0};

	(void)state;
	pickpath_sort(s, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(s[i].ref, want[i]);
	pickpath_sort(NULL, 0);
	pickpath_sort(s, 1);
	assert_int_equal(s[0].ref, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_formula_values),
	    cmocka_unit_test(test_serpentine_walk),
	    cmocka_unit_test(test_round_trip_and_range),
	    cmocka_unit_test(test_sort_walk_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
