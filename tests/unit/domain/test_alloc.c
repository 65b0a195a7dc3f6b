/*
 * test_alloc.c - the allocation planner: eligibility, FEFO/FIFO, location
 * preference, several lines, and a randomized property check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/alloc.h"
#include "domain/shelf.h"

#define TODAY 20000 /* 2024-10-04 */
#define SKU 7
#define DAY 86400

static struct alloc_candidate face(int64_t loc, int64_t lot, int32_t walk,
				   int32_t expiry_in, int64_t avail)
{
	return (struct alloc_candidate){
	    .location_id = loc,
	    .sku_id = SKU,
	    .lot_id = lot,
	    .walk_seq = walk,
	    .kind = ALLOC_LOC_PICK,
	    .has_expiry = true,
	    .expiry_day = TODAY + expiry_in,
	    .first_received = 1700000000 + lot * DAY,
	    .available = avail,
	};
}

static struct alloc_candidate reserve(int64_t loc, int64_t lot, int32_t walk,
				      int32_t expiry_in, int64_t avail)
{
	struct alloc_candidate c = face(loc, lot, walk, expiry_in, avail);

	c.kind = ALLOC_LOC_RESERVE;
	return c;
}

static struct alloc_line line_of(int64_t qty, enum alloc_lot_control lc,
				 int32_t min_rem)
{
	return (struct alloc_line){
	    .line_id = 100,
	    .sku_id = SKU,
	    .qty = qty,
	    .lot_control = lc,
	    .min_remaining_days = min_rem,
	};
}

/* Plans one line; returns the number of picks, sets *shortfall. */
static size_t plan(const struct alloc_line *l, const struct alloc_candidate *c,
		   size_t n, struct alloc_pick *out, int64_t *shortfall)
{
	size_t n_out = 99;
	struct wh_error err = {0};

	assert_int_equal(
	    alloc_plan_line(l, TODAY, c, n, out, n, &n_out, shortfall, &err),
	    WH_OK);
	return n_out;
}

static void test_fefo_earliest_expiry_first(void **state)
{
	struct alloc_candidate c[] = {
	    reserve(1, 11, 100, 50, 10),
	    reserve(2, 12, 200, 20, 10),
	    reserve(3, 13, 300, 30, 10),
	};
	struct alloc_line l = line_of(15, ALLOC_LOT_FEFO, 10);
	struct alloc_pick p[3];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 3, p, &sh), 2);
	assert_int_equal(sh, 0);
	assert_int_equal(p[0].lot_id, 12);
	assert_int_equal(p[0].qty, 10);
	assert_int_equal(p[0].cand, 1);
	assert_int_equal(p[1].lot_id, 13);
	assert_int_equal(p[1].qty, 5);
	assert_int_equal(p[1].location_id, 3);
	assert_int_equal(p[1].line_id, 100);
}

/* Lot 11 was received first but expires last: FIFO and FEFO disagree. */
static void test_fifo_vs_fefo(void **state)
{
	struct alloc_candidate c[] = {
	    reserve(1, 12, 100, 20, 10),
	    reserve(2, 11, 200, 90, 10),
	};
	struct alloc_line fefo = line_of(5, ALLOC_LOT_FEFO, 0);
	struct alloc_line fifo = line_of(5, ALLOC_LOT_FIFO, 0);
	struct alloc_pick p[2];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&fefo, c, 2, p, &sh), 1);
	assert_int_equal(p[0].lot_id, 12);
	assert_int_equal(plan(&fifo, c, 2, p, &sh), 1);
	assert_int_equal(p[0].lot_id, 11);
	assert_int_equal(sh, 0);
}

/* FIFO still never ships a lot past its ship-by. */
static void test_fifo_respects_ship_by(void **state)
{
	struct alloc_candidate c[] = {
	    reserve(1, 11, 100, 5, 10), /* oldest, ship-by passed */
	    reserve(2, 12, 200, 90, 10),
	};
	struct alloc_line l = line_of(15, ALLOC_LOT_FIFO, 30);
	struct alloc_pick p[2];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 2, p, &sh), 1);
	assert_int_equal(p[0].lot_id, 12);
	assert_int_equal(p[0].qty, 10);
	assert_int_equal(sh, 5);
}

static void test_past_ship_by_only_stock_is_shortfall(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 29, 500),
	    reserve(2, 11, 200, 29, 500),
	};
	struct alloc_line l = line_of(3, ALLOC_LOT_FEFO, 30);
	struct alloc_pick p[2];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 2, p, &sh), 0);
	assert_int_equal(sh, 3);
	assert_int_equal(alloc_check(&l, &c[0], TODAY), ALLOC_REJECT_SHIP_BY);
	/* One more day of life and it qualifies. */
	c[0].expiry_day++;
	assert_int_equal(plan(&l, c, 2, p, &sh), 1);
	assert_int_equal(sh, 0);
}

static void test_expiry_day_boundary(void **state)
{
	struct alloc_candidate today[] = {face(1, 11, 100, 0, 5)};
	struct alloc_candidate tomorrow[] = {face(1, 11, 100, 1, 5)};
	struct alloc_line min0 = line_of(1, ALLOC_LOT_FEFO, 0);
	struct alloc_line min1 = line_of(1, ALLOC_LOT_FEFO, 1);
	struct alloc_line min30 = line_of(1, ALLOC_LOT_FEFO, 30);
	struct alloc_pick p[1];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&min0, today, 1, p, &sh), 1);
	assert_int_equal(plan(&min1, today, 1, p, &sh), 0);
	assert_int_equal(sh, 1);
	assert_int_equal(plan(&min1, tomorrow, 1, p, &sh), 1);
	assert_int_equal(plan(&min30, tomorrow, 1, p, &sh), 0);
	/* Expired yesterday: not even with min 0. */
	today[0].expiry_day = TODAY - 1;
	assert_int_equal(plan(&min0, today, 1, p, &sh), 0);
	assert_int_equal(sh, 1);
}

static void test_quarantine_never_chosen(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 10, 50),
	    reserve(2, 12, 200, 400, 2),
	};
	struct alloc_line l = line_of(5, ALLOC_LOT_FEFO, 0);
	struct alloc_pick p[2];
	int64_t sh;

	(void)state;
	c[0].quarantined = true;
	assert_int_equal(plan(&l, c, 2, p, &sh), 1);
	assert_int_equal(p[0].location_id, 2);
	assert_int_equal(p[0].qty, 2);
	assert_int_equal(sh, 3);
	assert_int_equal(alloc_check(&l, &c[0], TODAY),
			 ALLOC_REJECT_QUARANTINE);
	/* The only stock, quarantined: all short. */
	assert_int_equal(plan(&l, c, 1, p, &sh), 0);
	assert_int_equal(sh, 5);
}

static void test_lot_without_expiry(void **state)
{
	struct alloc_candidate c[] = {reserve(1, 11, 100, 0, 10)};
	struct alloc_line fefo = line_of(4, ALLOC_LOT_FEFO, 0);
	struct alloc_line fifo = line_of(4, ALLOC_LOT_FIFO, 30);
	struct alloc_line none = line_of(4, ALLOC_LOT_NONE, 30);
	struct alloc_pick p[1];
	int64_t sh;

	(void)state;
	c[0].has_expiry = false;
	c[0].expiry_day = TODAY - 1000; /* ignored without has_expiry */
	assert_int_equal(alloc_check(&fefo, &c[0], TODAY),
			 ALLOC_REJECT_NO_EXPIRY);
	assert_int_equal(plan(&fefo, c, 1, p, &sh), 0);
	assert_int_equal(sh, 4);
	assert_int_equal(plan(&fifo, c, 1, p, &sh), 1);
	assert_int_equal(plan(&none, c, 1, p, &sh), 1);
	assert_int_equal(sh, 0);
}

static void test_pick_face_preferred_within_lot(void **state)
{
	struct alloc_candidate c[] = {
	    reserve(1, 11, 100, 60, 1000),
	    face(2, 11, 900, 60, 3),
	};
	struct alloc_line l = line_of(5, ALLOC_LOT_FEFO, 0);
	struct alloc_pick p[2];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 2, p, &sh), 2);
	assert_int_equal(p[0].location_id, 2);
	assert_int_equal(p[0].qty, 3);
	assert_int_equal(p[1].location_id, 1);
	assert_int_equal(p[1].qty, 2);
}

/* Lot rank beats location kind: FEFO is not bent for convenience. */
static void test_lot_rank_beats_pick_face(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 12, 100, 90, 100),
	    reserve(2, 11, 500, 40, 100),
	};
	struct alloc_line l = line_of(5, ALLOC_LOT_FEFO, 0);
	struct alloc_pick p[2];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 2, p, &sh), 1);
	assert_int_equal(p[0].location_id, 2);
	assert_int_equal(p[0].lot_id, 11);
}

static void test_single_location_covers(void **state)
{
	/* Need 10: 12 and 10 both cover; 10 is the best fit. */
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 60, 4),
	    face(2, 11, 200, 60, 6),
	    face(3, 11, 300, 60, 12),
	    face(4, 11, 400, 60, 10),
	};
	struct alloc_line l = line_of(10, ALLOC_LOT_FEFO, 0);
	struct alloc_pick p[4];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 4, p, &sh), 1);
	assert_int_equal(p[0].location_id, 4);
	assert_int_equal(p[0].qty, 10);
	assert_int_equal(sh, 0);
}

static void test_fewest_locations_when_splitting(void **state)
{
	/* Need 10 from 4, 6, 7: largest first (7), then best fit for 3 (4). */
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 60, 4),
	    face(2, 11, 200, 60, 6),
	    face(3, 11, 300, 60, 7),
	};
	struct alloc_line l = line_of(10, ALLOC_LOT_FEFO, 0);
	struct alloc_pick p[3];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 3, p, &sh), 2);
	assert_int_equal(p[0].location_id, 3);
	assert_int_equal(p[0].qty, 7);
	assert_int_equal(p[1].location_id, 1);
	assert_int_equal(p[1].qty, 3);
}

static void test_walk_sequence_tie_break(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 11, 300, 60, 10),
	    face(2, 11, 200, 60, 10),
	    face(3, 11, 250, 60, 10),
	};
	struct alloc_line l = line_of(5, ALLOC_LOT_NONE, 0);
	struct alloc_pick p[3];
	int64_t sh;

	(void)state;
	assert_int_equal(plan(&l, c, 3, p, &sh), 1);
	assert_int_equal(p[0].location_id, 2);
	/* Splitting with equal sizes also walks in sequence. */
	l.qty = 25;
	assert_int_equal(plan(&l, c, 3, p, &sh), 3);
	assert_int_equal(p[0].location_id, 2);
	assert_int_equal(p[1].location_id, 3);
	assert_int_equal(p[2].location_id, 1);
	assert_int_equal(p[2].qty, 5);
}

static void test_two_lines_same_sku(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 30, 10),
	    reserve(2, 12, 200, 60, 10),
	};
	struct alloc_line l[2] = {
	    line_of(8, ALLOC_LOT_FEFO, 0),
	    line_of(8, ALLOC_LOT_FEFO, 0),
	};
	struct alloc_pick p[4];
	int64_t sh[2];
	size_t n;
	int64_t used[2] = {0, 0};

	(void)state;
	l[1].line_id = 101;
	assert_int_equal(alloc_plan_order(l, 2, TODAY, c, 2, p,
					  alloc_max_picks(2, 2), &n, sh, NULL),
			 WH_OK);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].line_id, 100);
	assert_int_equal(p[0].lot_id, 11);
	assert_int_equal(p[0].qty, 8);
	assert_int_equal(p[1].line_id, 101);
	assert_int_equal(p[1].line, 1);
	assert_int_equal(p[1].lot_id, 11);
	assert_int_equal(p[1].qty, 2);
	assert_int_equal(p[2].lot_id, 12);
	assert_int_equal(p[2].qty, 6);
	assert_int_equal(sh[0], 0);
	assert_int_equal(sh[1], 0);
	for (size_t i = 0; i < n; i++)
		used[p[i].cand] += p[i].qty;
	assert_true(used[0] <= 10 && used[1] <= 10);

	/* Asking for more than there is: the second line is short. */
	l[1].qty = 20;
	assert_int_equal(
	    alloc_plan_order(l, 2, TODAY, c, 2, p, 4, &n, sh, NULL), WH_OK);
	assert_int_equal(sh[0], 0);
	assert_int_equal(sh[1], 8);
}

static void test_other_sku_ignored(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 30, 10),
	    face(2, 21, 50, 30, 10),
	};
	struct alloc_line l[2] = {
	    line_of(4, ALLOC_LOT_FEFO, 0),
	    line_of(4, ALLOC_LOT_FIFO, 0),
	};
	struct alloc_pick p[4];
	int64_t sh[2];
	size_t n;

	(void)state;
	c[1].sku_id = 8;
	l[1].sku_id = 8;
	l[1].line_id = 200;
	assert_int_equal(alloc_check(&l[0], &c[1], TODAY), ALLOC_REJECT_SKU);
	assert_int_equal(
	    alloc_plan_order(l, 2, TODAY, c, 2, p, 4, &n, sh, NULL), WH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].location_id, 1);
	assert_int_equal(p[1].location_id, 2);
	assert_int_equal(p[1].line_id, 200);
}

static void test_empty_inputs(void **state)
{
	struct alloc_line l = line_of(6, ALLOC_LOT_FEFO, 0);
	struct alloc_candidate c[] = {face(1, 11, 100, 30, 0)};
	struct alloc_pick p[1];
	int64_t sh = -1;
	size_t n = 99;

	(void)state;
	assert_int_equal(
	    alloc_plan_line(&l, TODAY, NULL, 0, NULL, 0, &n, &sh, NULL), WH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sh, 6);
	/* Zero available is not stock. */
	assert_int_equal(alloc_check(&l, &c[0], TODAY), ALLOC_REJECT_EMPTY);
	c[0].available = -3;
	assert_int_equal(plan(&l, c, 1, p, &sh), 0);
	assert_int_equal(sh, 6);
	/* Zero quantity: nothing to do. */
	l.qty = 0;
	c[0].available = 5;
	assert_int_equal(plan(&l, c, 1, p, &sh), 0);
	assert_int_equal(sh, 0);
	/* No lines. */
	n = 99;
	assert_int_equal(
	    alloc_plan_order(NULL, 0, TODAY, c, 1, p, 1, &n, NULL, NULL),
	    WH_OK);
	assert_int_equal(n, 0);
}

static void test_invalid_input(void **state)
{
	struct alloc_candidate c[] = {
	    face(1, 11, 100, 30, 2),
	    face(2, 11, 200, 30, 2),
	};
	struct alloc_line l = line_of(-1, ALLOC_LOT_FEFO, 0);
	struct alloc_pick p[2];
	struct wh_error err = {0};
	int64_t sh;
	size_t n = 99;

	(void)state;
	assert_int_equal(alloc_plan_line(&l, TODAY, c, 2, p, 2, &n, &sh, &err),
			 WH_ERR_INVALID);
	assert_int_equal(n, 0);
	l = line_of(3, ALLOC_LOT_FEFO, -1);
	assert_int_equal(alloc_plan_line(&l, TODAY, c, 2, p, 2, &n, &sh, &err),
			 WH_ERR_INVALID);
	l = line_of(3, (enum alloc_lot_control)9, 0);
	assert_int_equal(alloc_plan_line(&l, TODAY, c, 2, p, 2, &n, &sh, &err),
			 WH_ERR_INVALID);
	/* Output too small for the two picks needed. */
	l = line_of(3, ALLOC_LOT_FEFO, 0);
	assert_int_equal(alloc_plan_line(&l, TODAY, c, 2, p, 1, &n, &sh, &err),
			 WH_ERR_INVALID);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "output"));
	assert_int_equal(
	    alloc_plan_line(&l, TODAY, NULL, 2, p, 2, &n, &sh, &err),
	    WH_ERR_INVALID);
	assert_int_equal(
	    alloc_plan_order(&l, 1, TODAY, c, 2, p, 2, &n, NULL, &err),
	    WH_ERR_INVALID);
	assert_int_equal(alloc_max_picks(SIZE_MAX, 2), SIZE_MAX);
	assert_string_equal(alloc_verdict_name(ALLOC_REJECT_SHIP_BY),
			    "ship-by");
	assert_string_equal(alloc_verdict_name(ALLOC_OK), "ok");
}

/* --- randomized property check, fixed seed --- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: portable, same sequence everywhere. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717u) >> 33) % n;
}

/* The rule, written again independently of alloc_check(). */
static bool model_eligible(const struct alloc_line *l,
			   const struct alloc_candidate *c, int64_t left)
{
	if (c->sku_id != l->sku_id || left <= 0 || c->quarantined)
		return false;
	if (!c->has_expiry)
		return l->lot_control != ALLOC_LOT_FEFO;
	return (int64_t)c->expiry_day - l->min_remaining_days >= TODAY;
}

static int64_t model_rank(const struct alloc_line *l,
			  const struct alloc_candidate *c)
{
	if (l->lot_control == ALLOC_LOT_FEFO)
		return c->expiry_day;
	if (l->lot_control == ALLOC_LOT_FIFO)
		return c->first_received;
	return 0;
}

static size_t seen_picks, seen_short, seen_split;

static void check_one_order(void)
{
	struct alloc_candidate c[40];
	struct alloc_line l[5];
	struct alloc_pick p[45];
	int64_t left[40], sh[5];
	size_t nc = rnd(41), nl = rnd(6), n;
	static const enum alloc_lot_control lcs[] = {
	    ALLOC_LOT_NONE, ALLOC_LOT_FIFO, ALLOC_LOT_FEFO};

	for (size_t i = 0; i < nc; i++) {
		c[i] = (struct alloc_candidate){
		    .location_id = 1 + rnd(12),
		    .sku_id = 1 + rnd(2),
		    .lot_id = 1 + rnd(6),
		    .walk_seq = (int32_t)rnd(1000),
		    .kind = rnd(2) ? ALLOC_LOC_PICK : ALLOC_LOC_RESERVE,
		    .has_expiry = rnd(8) != 0,
		    .expiry_day = TODAY - 5 + (int32_t)rnd(60),
		    .first_received = 1700000000 + rnd(20) * DAY,
		    .available = (int64_t)rnd(30) - 3,
		    .quarantined = rnd(6) == 0,
		};
		left[i] = c[i].available;
	}
	for (size_t k = 0; k < nl; k++)
		l[k] = (struct alloc_line){
		    .line_id = 500 + (int64_t)k,
		    .sku_id = 1 + rnd(2),
		    .qty = rnd(60),
		    .lot_control = lcs[rnd(3)],
		    .min_remaining_days = (int32_t)rnd(20),
		};
	assert_int_equal(alloc_plan_order(l, nl, TODAY, c, nc, p,
					  alloc_max_picks(nl, nc), &n, sh,
					  NULL),
			 WH_OK);
	assert_true(n <= alloc_max_picks(nl, nc));

	size_t j = 0;
	for (size_t k = 0; k < nl; k++) {
		int64_t eligible = 0, got = 0, worst = INT64_MIN;

		for (size_t i = 0; i < nc; i++)
			if (model_eligible(&l[k], &c[i], left[i]))
				eligible += left[i];
		for (; j < n && p[j].line == k; j++) {
			size_t i = p[j].cand;

			assert_true(i < nc);
			assert_int_equal(p[j].line_id, l[k].line_id);
			assert_true(model_eligible(&l[k], &c[i], left[i]));
			assert_true(p[j].qty > 0 && p[j].qty <= left[i]);
			assert_int_equal(p[j].location_id, c[i].location_id);
			assert_int_equal(p[j].lot_id, c[i].lot_id);
			left[i] -= p[j].qty;
			got += p[j].qty;
			if (model_rank(&l[k], &c[i]) > worst)
				worst = model_rank(&l[k], &c[i]);
		}
		assert_int_equal(got,
				 l[k].qty < eligible ? l[k].qty : eligible);
		assert_int_equal(sh[k], l[k].qty - got);
		seen_short += sh[k] > 0 && got > 0;
		/* Nothing of an earlier rank was left behind. */
		for (size_t i = 0; i < nc && got > 0; i++)
			if (model_eligible(&l[k], &c[i], left[i]))
				assert_true(model_rank(&l[k], &c[i]) >= worst);
	}
	assert_int_equal(j, n); /* picks grouped by line, in line order */
	seen_picks += n;
	seen_split += n > nl;
	for (size_t i = 0; i < nc; i++)
		assert_true(left[i] >=
			    (c[i].available < 0 ? c[i].available : 0));
}

static void test_property_random(void **state)
{
	(void)state;
	for (int round = 0; round < 5000; round++)
		check_one_order();
	/* The generator really exercised partial and split allocations. */
	assert_true(seen_picks > 5000);
	assert_true(seen_short > 100);
	assert_true(seen_split > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fefo_earliest_expiry_first),
	    cmocka_unit_test(test_fifo_vs_fefo),
	    cmocka_unit_test(test_fifo_respects_ship_by),
	    cmocka_unit_test(test_past_ship_by_only_stock_is_shortfall),
	    cmocka_unit_test(test_expiry_day_boundary),
	    cmocka_unit_test(test_quarantine_never_chosen),
	    cmocka_unit_test(test_lot_without_expiry),
	    cmocka_unit_test(test_pick_face_preferred_within_lot),
	    cmocka_unit_test(test_lot_rank_beats_pick_face),
	    cmocka_unit_test(test_single_location_covers),
	    cmocka_unit_test(test_fewest_locations_when_splitting),
	    cmocka_unit_test(test_walk_sequence_tie_break),
	    cmocka_unit_test(test_two_lines_same_sku),
	    cmocka_unit_test(test_other_sku_ignored),
	    cmocka_unit_test(test_empty_inputs),
	    cmocka_unit_test(test_invalid_input),
	    cmocka_unit_test(test_property_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
