/*
 * test_replen.c - pick-face replenishment: trigger, quantity, FEFO from
 * reserve, competition between faces, refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/replen.h"

#define TODAY 20000
#define SKU 5

static struct replen_face face(int64_t loc, int64_t min, int64_t max,
			       int64_t cur)
{
	return (struct replen_face){.location_id = loc,
				    .sku_id = SKU,
				    .walk_seq = (int32_t)loc,
				    .min_qty = min,
				    .max_qty = max,
				    .current = cur,
				    .lot_control = ALLOC_LOT_FEFO,
				    .min_remaining_days = 10};
}

static struct alloc_candidate src(int64_t loc, int64_t lot, int32_t exp_in,
				  int64_t avail)
{
	return (struct alloc_candidate){.location_id = loc,
					.sku_id = SKU,
					.lot_id = lot,
					.walk_seq = (int32_t)loc,
					.kind = ALLOC_LOC_RESERVE,
					.has_expiry = true,
					.expiry_day = TODAY + exp_in,
					.first_received = 1700000000 + lot,
					.available = avail};
}

static struct replen_plan *run(const struct replen_face *f, size_t nf,
			       const struct alloc_candidate *s, size_t ns)
{
	struct replen_plan *p = NULL;
	struct wh_error err = {0};

	assert_int_equal(replen_plan(f, nf, s, ns, TODAY, &p, &err), WH_OK);
	assert_non_null(p);
	return p;
}

static void test_trigger_and_quantity(void **state)
{
	const struct replen_face f[] = {
	    face(1, 10, 50, 10), /* at min: replenish 40 */
	    face(2, 10, 50, 11), /* above min: nothing */
	    face(3, 0, 20, 0),	 /* empty, min 0: replenish 20 */
	    face(4, 0, 0, 0),	 /* max 0: a disabled face */
	};
	struct alloc_candidate s[] = {src(100, 1, 90, 1000)};
	struct replen_plan *p;

	(void)state;
	p = run(f, 4, s, 1);
	assert_int_equal(p->n_tasks, 2);
	/* Face 3 (0 of 20) is more depleted than face 1 (10 of 50). */
	assert_int_equal(p->tasks[0].to_location_id, 3);
	assert_int_equal(p->tasks[0].qty, 20);
	assert_int_equal(p->tasks[0].face, 2);
	assert_int_equal(p->tasks[1].to_location_id, 1);
	assert_int_equal(p->tasks[1].qty, 40);
	assert_int_equal(p->tasks[1].from_location_id, 100);
	assert_int_equal(p->tasks[1].source, 0);
	assert_int_equal(p->tasks[1].sku_id, SKU);
	assert_int_equal(p->n_faces, 4);
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(p->shortfall[k], 0);
	replen_plan_free(p);
}

static void test_fefo_from_reserve_only(void **state)
{
	const struct replen_face f[] = {face(1, 5, 30, 0)};
	struct alloc_candidate s[] = {
	    src(100, 1, 200, 100),
	    src(101, 2, 40, 12),
	    src(102, 3, 5, 100), /* past ship-by (min 10): never */
	    src(103, 4, 20, 100),
	    src(104, 5, 15, 100), /* a pick face: never a source */
	    src(105, 6, 12, 100), /* quarantined */
	};
	struct replen_plan *p;

	(void)state;
	s[4].kind = ALLOC_LOC_PICK;
	s[5].quarantined = true;
	p = run(f, 1, s, 6);
	assert_int_equal(p->n_tasks, 1);
	assert_int_equal(p->tasks[0].lot_id, 4);
	assert_int_equal(p->tasks[0].from_location_id, 103);
	assert_int_equal(p->tasks[0].qty, 30);
	replen_plan_free(p);

	s[3].available = 10; /* lot 4 runs out: lot 2 next, then lot 1 */
	p = run(f, 1, s, 6);
	assert_int_equal(p->n_tasks, 3);
	assert_int_equal(p->tasks[0].lot_id, 4);
	assert_int_equal(p->tasks[0].qty, 10);
	assert_int_equal(p->tasks[1].lot_id, 2);
	assert_int_equal(p->tasks[1].qty, 12);
	assert_int_equal(p->tasks[2].lot_id, 1);
	assert_int_equal(p->tasks[2].qty, 8);
	replen_plan_free(p);
}

static void test_faces_share_reserve(void **state)
{
	const struct replen_face f[] = {
	    face(1, 10, 40, 10), /* 1/4 full, wants 30 */
	    face(2, 10, 40, 0),	 /* empty, wants 40: served first */
	};
	struct alloc_candidate s[] = {src(100, 1, 90, 50)};
	struct replen_plan *p;

	(void)state;
	p = run(f, 2, s, 1);
	assert_int_equal(p->n_tasks, 2);
	assert_int_equal(p->tasks[0].to_location_id, 2);
	assert_int_equal(p->tasks[0].qty, 40);
	assert_int_equal(p->tasks[1].to_location_id, 1);
	assert_int_equal(p->tasks[1].qty, 10);
	assert_int_equal(p->shortfall[0], 20);
	assert_int_equal(p->shortfall[1], 0);
	replen_plan_free(p);
}

static void test_own_location_and_other_sku(void **state)
{
	const struct replen_face f[] = {face(1, 10, 40, 0)};
	struct alloc_candidate s[] = {
	    src(1, 1, 90, 50),	 /* the face itself, mislabelled */
	    src(100, 2, 90, 50), /* another SKU */
	};
	struct replen_plan *p;

	(void)state;
	s[1].sku_id = SKU + 1;
	p = run(f, 1, s, 2);
	assert_int_equal(p->n_tasks, 0);
	assert_int_equal(p->shortfall[0], 40);
	replen_plan_free(p);
}

static void test_empty_and_invalid(void **state)
{
	struct replen_face f[] = {face(1, 10, 40, 0)};
	struct replen_plan *p = NULL;
	struct wh_error err = {0};

	(void)state;
	p = run(NULL, 0, NULL, 0);
	assert_int_equal(p->n_tasks, 0);
	assert_int_equal(p->n_faces, 0);
	replen_plan_free(p);
	p = run(f, 1, NULL, 0);
	assert_int_equal(p->n_tasks, 0);
	assert_int_equal(p->shortfall[0], 40);
	replen_plan_free(p);
	replen_plan_free(NULL);

	f[0].max_qty = 5; /* max below min */
	assert_int_equal(replen_plan(f, 1, NULL, 0, TODAY, &p, &err),
			 WH_ERR_INVALID);
	assert_null(p);
	f[0] = face(1, 10, 40, -1);
	assert_int_equal(replen_plan(f, 1, NULL, 0, TODAY, &p, &err),
			 WH_ERR_INVALID);
	f[0] = face(1, 10, 40, 0);
	f[0].min_remaining_days = -1;
	assert_int_equal(replen_plan(f, 1, NULL, 0, TODAY, &p, &err),
			 WH_ERR_INVALID);
	assert_int_equal(replen_plan(NULL, 1, NULL, 0, TODAY, &p, &err),
			 WH_ERR_INVALID);
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trigger_and_quantity),
	    cmocka_unit_test(test_fefo_from_reserve_only),
	    cmocka_unit_test(test_faces_share_reserve),
	    cmocka_unit_test(test_own_location_and_other_sku),
	    cmocka_unit_test(test_empty_and_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
