/*
 * test_wave.c - the wave planner: eligibility, urgency, limits, totes and
 * slots, consolidation, walk order, and a 10,000-order wave.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/wave.h"

#define T0 1700000000

/* Up to 64 orders with up to 4 allocations each, built per test. */
struct fixture {
	struct wave_order o[64];
	struct wave_alloc a[64][4];
	size_t n;
};

static struct wave_order *add(struct fixture *f, int64_t id, int64_t units)
{
	struct wave_order *o = &f->o[f->n];

	*o = (struct wave_order){
	    .order_id = id,
	    .priority = 0,
	    .carrier_id = 1,
	    .cutoff = WAVE_NO_CUTOFF,
	    .created = T0 + id,
	    .line_count = 1,
	    .units = units,
	    .allocs = f->a[f->n],
	    .n_allocs = 1,
	};
	f->a[f->n][0] = (struct wave_alloc){
	    .line_id = id * 10,
	    .sku_id = 1,
	    .location_id = 1,
	    .lot_id = 1,
	    .walk_seq = 100,
	    .qty = units,
	};
	f->n++;
	return o;
}

static void set_alloc(struct wave_order *o, size_t j, int64_t loc, int32_t walk,
		      int64_t sku, int64_t lot, int64_t qty)
{
	struct wave_alloc *a = (struct wave_alloc *)&o->allocs[j];

	*a = (struct wave_alloc){.line_id = o->order_id * 10 + (int64_t)j,
				 .sku_id = sku,
				 .location_id = loc,
				 .lot_id = lot,
				 .walk_seq = walk,
				 .qty = qty};
	if (j >= o->n_allocs)
		o->n_allocs = j + 1;
}

static struct wave_limits limits(enum wave_strategy s)
{
	return (struct wave_limits){.strategy = s,
				    .max_orders = 1000,
				    .max_units = 100000,
				    .max_totes = 100,
				    .slots_per_tote = 8};
}

static struct wave_plan *run(const struct fixture *f,
			     const struct wave_limits *l)
{
	struct wave_plan *p = NULL;
	struct wh_error err = {0};

	assert_int_equal(wave_plan(f->o, f->n, l, &p, &err), WH_OK);
	assert_non_null(p);
	return p;
}

static void test_urgency_order(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p;

	(void)state;
	add(&f, 1, 2);			   /* no cut-off, oldest */
	add(&f, 2, 2)->cutoff = T0 + 7200; /* later cut-off */
	add(&f, 3, 2)->cutoff = T0 + 3600;
	add(&f, 4, 2)->cutoff = T0 + 3600;
	f.o[3].priority = 5; /* same cut-off, more urgent */
	add(&f, 5, 2)->cutoff = T0 + 3600;
	f.o[4].created = T0 - 100; /* same cut-off, older than 3 */
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 5);
	assert_int_equal(p->orders[0].order_id, 4);
	assert_int_equal(p->orders[1].order_id, 5);
	assert_int_equal(p->orders[2].order_id, 3);
	assert_int_equal(p->orders[3].order_id, 2);
	assert_int_equal(p->orders[4].order_id, 1);
	assert_int_equal(p->orders[0].order, 3);
	wave_plan_free(p);
}

static void test_single_item_wave(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_SINGLE_ITEM);
	struct wave_plan *p;

	(void)state;
	add(&f, 1, 1);
	add(&f, 2, 3); /* one line, 3 units: not single */
	add(&f, 3, 1);
	set_alloc(&f.o[2], 0, 5, 50, 1, 1, 1);
	add(&f, 4, 1);
	add(&f, 5, 2);
	set_alloc(&f.o[4], 0, 1, 100, 1, 1, 1);
	set_alloc(&f.o[4], 1, 2, 200, 2, 1, 1); /* two lines */
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 3);
	assert_int_equal(p->units, 3);
	assert_int_equal(p->totes, 0);
	for (size_t i = 0; i < p->n_orders; i++) {
		assert_true(p->orders[i].order_id != 2 &&
			    p->orders[i].order_id != 5);
		assert_int_equal(p->orders[i].tote, 0);
		assert_int_equal(p->orders[i].slot, 0);
	}
	/* Orders 1 and 4 share (location 1, sku 1, lot 1): one task of 2. */
	assert_int_equal(p->n_tasks, 2);
	assert_int_equal(p->tasks[0].location_id, 5);
	assert_int_equal(p->tasks[0].qty, 1);
	assert_int_equal(p->tasks[1].location_id, 1);
	assert_int_equal(p->tasks[1].qty, 2);
	assert_int_equal(p->tasks[1].order_id, 0);
	assert_int_equal(p->tasks[1].tote, 0);
	wave_plan_free(p);
}

static void test_multi_item_slots(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p;

	(void)state;
	l.slots_per_tote = 3;
	for (int64_t id = 1; id <= 7; id++)
		add(&f, id, 2);
	add(&f, 8, 1); /* single-unit: not in a multi-item wave */
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 7);
	assert_int_equal(p->totes, 3);
	for (size_t k = 0; k < 7; k++) {
		assert_int_equal(p->orders[k].order_id, (int64_t)k + 1);
		assert_int_equal(p->orders[k].tote, k / 3 + 1);
		assert_int_equal(p->orders[k].slot, k % 3 + 1);
	}
	/* Same bin for all, but one task per slot. */
	assert_int_equal(p->n_tasks, 7);
	for (size_t k = 0; k < 7; k++) {
		assert_int_equal(p->tasks[k].tote, k / 3 + 1);
		assert_int_equal(p->tasks[k].slot, k % 3 + 1);
		assert_int_equal(p->tasks[k].order_id, (int64_t)k + 1);
		assert_int_equal(p->tasks[k].qty, 2);
	}
	wave_plan_free(p);
}

static void test_consolidate_within_slot_and_walk_order(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p;
	struct wave_order *o;

	(void)state;
	o = add(&f, 1, 6);
	/* Two lines of the same sku and lot from one bin, and two others. */
	set_alloc(o, 0, 30, 3000, 1, 1, 2);
	set_alloc(o, 1, 10, 1000, 2, 1, 1);
	set_alloc(o, 2, 30, 3000, 1, 1, 1);
	set_alloc(o, 3, 20, 2000, 3, 9, 2);
	o = add(&f, 2, 2);
	set_alloc(o, 0, 20, 2000, 3, 9, 2);
	p = run(&f, &l);
	assert_int_equal(p->n_tasks, 4);
	assert_int_equal(p->tasks[0].location_id, 10);
	assert_int_equal(p->tasks[1].location_id, 20);
	assert_int_equal(p->tasks[1].slot, 1);
	assert_int_equal(p->tasks[2].location_id, 20);
	assert_int_equal(p->tasks[2].slot, 2);
	assert_int_equal(p->tasks[2].order_id, 2);
	assert_int_equal(p->tasks[3].location_id, 30);
	assert_int_equal(p->tasks[3].qty, 3);
	for (size_t i = 1; i < p->n_tasks; i++)
		assert_true(p->tasks[i - 1].walk_seq <= p->tasks[i].walk_seq);
	wave_plan_free(p);
}

static void test_limits_exact(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p;

	(void)state;
	for (int64_t id = 1; id <= 10; id++)
		add(&f, id, 2);
	/* max_orders */
	l.max_orders = 5;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 5);
	assert_int_equal(p->orders[4].order_id, 5);
	wave_plan_free(p);
	/* max_units reached exactly: 4 orders x 2 = 8 */
	l = limits(WAVE_MULTI_ITEM);
	l.max_units = 8;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 4);
	assert_int_equal(p->units, 8);
	wave_plan_free(p);
	l.max_units = 9;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 4);
	assert_int_equal(p->units, 8);
	wave_plan_free(p);
	/* totes x slots: 2 x 3 = 6 */
	l = limits(WAVE_MULTI_ITEM);
	l.max_totes = 2;
	l.slots_per_tote = 3;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 6);
	assert_int_equal(p->totes, 2);
	assert_int_equal(p->orders[5].tote, 2);
	assert_int_equal(p->orders[5].slot, 3);
	wave_plan_free(p);
	/* SINGLE_ITEM ignores totes: 1 tote x 1 slot does not cap it. */
	f.n = 0;
	for (int64_t id = 1; id <= 10; id++)
		add(&f, id, 1);
	l = limits(WAVE_SINGLE_ITEM);
	l.max_totes = 1;
	l.slots_per_tote = 1;
	l.max_units = 7;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 7);
	assert_int_equal(p->units, 7);
	wave_plan_free(p);
}

/* A big urgent order that does not fit is skipped; smaller ones fill. */
static void test_units_skip_big_order(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p;

	(void)state;
	add(&f, 1, 4);
	add(&f, 2, 10)->priority = 1; /* most urgent, too big */
	add(&f, 3, 3);
	add(&f, 4, 2);
	l.max_units = 9;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 3);
	assert_int_equal(p->orders[0].order_id, 1);
	assert_int_equal(p->orders[1].order_id, 3);
	assert_int_equal(p->orders[2].order_id, 4);
	assert_int_equal(p->orders[2].slot, 3); /* slots stay dense */
	assert_int_equal(p->units, 9);
	wave_plan_free(p);
}

static void test_by_carrier(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_BY_CARRIER);
	struct wave_plan *p;

	(void)state;
	add(&f, 1, 1)->carrier_id = 7;
	add(&f, 2, 3)->carrier_id = 9;
	f.o[1].cutoff = T0 + 60; /* most urgent: carrier 9 */
	add(&f, 3, 2)->carrier_id = 9;
	add(&f, 4, 1)->carrier_id = 9;
	p = run(&f, &l);
	assert_int_equal(p->carrier_id, 9);
	assert_int_equal(p->n_orders, 3);
	assert_int_equal(p->orders[0].order_id, 2);
	assert_int_equal(p->orders[0].slot, 1);
	assert_int_equal(p->orders[2].slot, 3);
	wave_plan_free(p);
	l.carrier_id = 7;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 1);
	assert_int_equal(p->orders[0].order_id, 1);
	wave_plan_free(p);
	/* A carrier filter on a single-item wave. */
	l = limits(WAVE_SINGLE_ITEM);
	l.carrier_id = 9;
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 1);
	assert_int_equal(p->orders[0].order_id, 4);
	wave_plan_free(p);
}

static void test_not_fully_allocated_waits(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_BY_CARRIER);
	struct wave_plan *p;

	(void)state;
	add(&f, 1, 3)->n_allocs = 0; /* nothing allocated */
	add(&f, 2, 3);
	set_alloc(&f.o[1], 0, 1, 100, 1, 1, 2); /* 2 of 3 */
	add(&f, 3, 0)->n_allocs = 0;		/* an empty order */
	add(&f, 4, 2);
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 1);
	assert_int_equal(p->orders[0].order_id, 4);
	wave_plan_free(p);
}

static void test_empty_and_invalid(void **state)
{
	struct fixture f = {.n = 0};
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p = NULL;
	struct wh_error err = {0};

	(void)state;
	assert_int_equal(wave_plan(NULL, 0, &l, &p, &err), WH_OK);
	assert_int_equal(p->n_orders, 0);
	assert_int_equal(p->n_tasks, 0);
	assert_null(p->tasks);
	wave_plan_free(p);
	wave_plan_free(NULL);

	add(&f, 1, 1); /* nothing eligible for multi-item */
	p = run(&f, &l);
	assert_int_equal(p->n_orders, 0);
	wave_plan_free(p);

	l.max_orders = 0;
	assert_int_equal(wave_plan(f.o, f.n, &l, &p, &err), WH_ERR_INVALID);
	assert_null(p);
	l = limits(WAVE_MULTI_ITEM);
	l.slots_per_tote = 0;
	assert_int_equal(wave_plan(f.o, f.n, &l, &p, &err), WH_ERR_INVALID);
	l = limits(WAVE_MULTI_ITEM);
	l.max_units = 0;
	assert_int_equal(wave_plan(f.o, f.n, &l, &p, &err), WH_ERR_INVALID);
	l = limits(WAVE_MULTI_ITEM);
	l.strategy = (enum wave_strategy)42;
	assert_int_equal(wave_plan(f.o, f.n, &l, &p, &err), WH_ERR_INVALID);
	l = limits(WAVE_MULTI_ITEM);
	f.a[0][0].qty = 0;
	assert_int_equal(wave_plan(f.o, f.n, &l, &p, &err), WH_ERR_INVALID);
	assert_null(p);
	f.a[0][0].qty = 1;
	f.o[0].allocs = NULL;
	assert_int_equal(wave_plan(f.o, f.n, &l, &p, &err), WH_ERR_INVALID);
	assert_string_equal(wave_strategy_name(WAVE_BY_CARRIER), "by-carrier");
}

/* 10,000 orders in one wave: correctness only, timing is for benchmarks. */
static void test_ten_thousand_orders(void **state)
{
	const size_t n = 10000, slots = 20;
	struct wave_order *o = calloc(n, sizeof(*o));
	struct wave_alloc *a = calloc(n * 4, sizeof(*a));
	int64_t *units_seen = calloc(n, sizeof(*units_seen));
	bool *slot_used = calloc(n, sizeof(*slot_used));
	struct wave_limits l = limits(WAVE_MULTI_ITEM);
	struct wave_plan *p = NULL;
	uint32_t r = 12345;
	int64_t total = 0;

	(void)state;
	assert_non_null(o);
	assert_non_null(a);
	assert_non_null(units_seen);
	assert_non_null(slot_used);
	for (size_t k = 0; k < n; k++) {
		size_t na = 1 + k % 4;

		o[k] =
		    (struct wave_order){.order_id = (int64_t)k + 1,
					.priority = (int32_t)(k % 3),
					.carrier_id = 1 + (int64_t)(k % 5),
					.cutoff = T0 + (int64_t)(k % 7) * 3600,
					.created = T0 - (int64_t)k,
					.line_count = (int32_t)na,
					.allocs = &a[k * 4],
					.n_allocs = na};
		for (size_t j = 0; j < na; j++) {
			int64_t loc;

			r = r * 1103515245u + 12345u;
			loc = 1 + (r >> 8) % 500;
			a[k * 4 + j] = (struct wave_alloc){
			    .line_id = (int64_t)(k * 4 + j),
			    .sku_id = loc % 50,
			    .location_id = loc,
			    .lot_id = 1 + loc % 3,
			    .walk_seq = (int32_t)(loc * 7 % 1000),
			    .qty = 1 + (int64_t)j,
			};
			o[k].units += a[k * 4 + j].qty;
		}
		if (o[k].units >= 2)
			total += o[k].units;
	}
	l.max_orders = n;
	l.max_totes = n / slots + 1;
	l.slots_per_tote = slots;
	l.max_units = total;
	assert_int_equal(wave_plan(o, n, &l, &p, NULL), WH_OK);
	/* Every order with >= 2 units (three in four) is in. */
	assert_int_equal(p->n_orders, n / 4 * 3);
	assert_int_equal(p->units, total);
	for (size_t k = 0; k < p->n_orders; k++) {
		size_t s =
		    (p->orders[k].tote - 1) * slots + p->orders[k].slot - 1;

		assert_true(p->orders[k].slot >= 1 &&
			    p->orders[k].slot <= slots);
		assert_int_equal(s, k);
		assert_false(slot_used[s]);
		slot_used[s] = true;
		if (k > 0)
			assert_true(o[p->orders[k - 1].order].cutoff <=
				    o[p->orders[k].order].cutoff);
	}
	for (size_t i = 0; i < p->n_tasks; i++) {
		const struct wave_task *t = &p->tasks[i];

		assert_true(t->qty > 0);
		units_seen[t->order_id - 1] += t->qty;
		if (i == 0)
			continue;
		assert_true(p->tasks[i - 1].walk_seq <= t->walk_seq);
		/* consolidated: no two tasks with the same key */
		assert_false(p->tasks[i - 1].location_id == t->location_id &&
			     p->tasks[i - 1].sku_id == t->sku_id &&
			     p->tasks[i - 1].lot_id == t->lot_id &&
			     p->tasks[i - 1].tote == t->tote &&
			     p->tasks[i - 1].slot == t->slot);
	}
	for (size_t k = 0; k < n; k++)
		assert_int_equal(units_seen[k],
				 o[k].units >= 2 ? o[k].units : 0);
	wave_plan_free(p);
	free(slot_used);
	free(units_seen);
	free(a);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_urgency_order),
	    cmocka_unit_test(test_single_item_wave),
	    cmocka_unit_test(test_multi_item_slots),
	    cmocka_unit_test(test_consolidate_within_slot_and_walk_order),
	    cmocka_unit_test(test_limits_exact),
	    cmocka_unit_test(test_units_skip_big_order),
	    cmocka_unit_test(test_by_carrier),
	    cmocka_unit_test(test_not_fully_allocated_waits),
	    cmocka_unit_test(test_empty_and_invalid),
	    cmocka_unit_test(test_ten_thousand_orders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
