/*
 * wave.h - the wave planner: which allocated orders go out together, in
 * which tote slot, and the consolidated pick tasks for the wave.
 *
 * Pure: input arrays are borrowed and never modified; the result is a
 * struct wave_plan the caller owns and frees with wave_plan_free(). The
 * `release_wave` database function executes the plan (creates wave, tote
 * and pick_task rows) under locks.
 *
 * ELIGIBILITY (an order can be in a wave of this strategy)
 *   - it has units >= 1 and is fully allocated: the allocations'
 *     quantities sum to `units` (a partly allocated order waits; it is
 *     not silently half-picked);
 *   - SINGLE_ITEM: units == 1. One unit, not "one line": a single-item
 *     batch is picked in bulk and packed by scanning any unit, which then
 *     is the whole order; an order of one line x 3 units would need a
 *     count at the pack desk and goes to a MULTI_ITEM wave instead.
 *   - MULTI_ITEM: units >= 2 (sort-while-pick: each order gets a tote and
 *     a slot, and picks are put straight into the order's slot).
 *   - BY_CARRIER: any units, one carrier per wave (sort-while-pick as
 *     MULTI_ITEM). The carrier is limits.carrier_id, or when that is 0 the
 *     carrier of the most urgent eligible order.
 *   - with limits.carrier_id != 0, SINGLE_ITEM and MULTI_ITEM also take
 *     only that carrier's orders.
 *
 * URGENCY (the order in which eligible orders are considered)
 *   carrier cut-off ascending (WAVE_NO_CUTOFF last), then priority
 *   descending (a larger number is more urgent), then created ascending
 *   (oldest first), then order id ascending.
 *
 * LIMITS (all must be > 0; pass a large value for "no limit")
 *   At most max_orders orders and max_units units. For sort-while-pick
 *   strategies at most max_totes totes of slots_per_tote slots, one order
 *   per slot, so at most max_totes * slots_per_tote orders. Orders are
 *   taken in urgency order; an order that would break max_units is
 *   skipped and smaller, less urgent orders may still fill the wave; the
 *   plan stops when the order or slot limit is reached. SINGLE_ITEM waves
 *   use no totes or slots (max_totes and slots_per_tote are not checked).
 *
 * TOTES AND SLOTS: sort-while-pick orders are numbered in urgency order,
 * k = 0, 1, ...: tote = k / slots_per_tote + 1, slot = k % slots_per_tote
 * + 1 (both 1-based). SINGLE_ITEM orders have tote 0 and slot 0.
 *
 * TASKS: allocations of the selected orders consolidated per (location,
 * sku, lot) for SINGLE_ITEM, per (location, sku, lot, tote, slot)
 * otherwise, sorted by walk sequence, then location id, sku id, lot id,
 * tote, slot.
 */
#ifndef WHARF_DOMAIN_WAVE_H
#define WHARF_DOMAIN_WAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define WAVE_NO_CUTOFF INT64_MAX

enum wave_strategy {
	WAVE_SINGLE_ITEM,
	WAVE_MULTI_ITEM,
	WAVE_BY_CARRIER,
};

/* One allocation of an order line (an `allocation` row with its bin). */
struct wave_alloc {
	int64_t line_id;
	int64_t sku_id;
	int64_t location_id;
	int64_t lot_id;
	int32_t walk_seq;
	int64_t qty; /* > 0 */
};

struct wave_order {
	int64_t order_id;
	int32_t priority;   /* larger = more urgent */
	int64_t carrier_id; /* > 0 */
	/* Carrier cut-off, Unix seconds, or WAVE_NO_CUTOFF. */
	int64_t cutoff;
	int64_t created; /* Unix seconds */
	int32_t line_count;
	int64_t units; /* units ordered */
	/* Borrowed; n_allocs entries. */
	const struct wave_alloc *allocs;
	size_t n_allocs;
};

struct wave_limits {
	enum wave_strategy strategy;
	size_t max_orders;
	int64_t max_units;
	size_t max_totes;
	size_t slots_per_tote;
	int64_t carrier_id; /* 0 = any (BY_CARRIER: the most urgent's) */
};

struct wave_pick_order {
	int64_t order_id;
	size_t order;  /* index into the input order array */
	uint32_t tote; /* 1-based; 0 for SINGLE_ITEM */
	uint32_t slot; /* 1-based within the tote; 0 for SINGLE_ITEM */
};

struct wave_task {
	int64_t location_id;
	int32_t walk_seq;
	int64_t sku_id;
	int64_t lot_id;
	int64_t qty;
	uint32_t tote;	  /* 0 for SINGLE_ITEM */
	uint32_t slot;	  /* 0 for SINGLE_ITEM */
	int64_t order_id; /* the slot's order; 0 for SINGLE_ITEM */
};

/* Caller-owned; free with wave_plan_free(). */
struct wave_plan {
	struct wave_pick_order *orders; /* urgency order */
	size_t n_orders;
	struct wave_task *tasks; /* walk order */
	size_t n_tasks;
	int64_t units;	    /* sum over the selected orders */
	uint32_t totes;	    /* totes used; 0 for SINGLE_ITEM */
	int64_t carrier_id; /* restricted to; 0 = any carrier */
};

/*
 * Plans one wave. On WH_OK *out is a new plan (possibly with no orders when
 * nothing is eligible). Errors: WH_ERR_INVALID for a bad limit, an
 * allocation with qty <= 0, units < 0 or a NULL allocs with n_allocs > 0;
 * WH_ERR_NOMEM. On error *out is NULL.
 *
 * Example:
 *     struct wave_plan *p;
 *     rc = wave_plan(orders, n, &limits, &p, &err);
 *     ... for (i = 0; i < p->n_tasks; i++) emit(&p->tasks[i]); ...
 *     wave_plan_free(p);
 */
enum wh_err wave_plan(const struct wave_order *orders, size_t n_orders,
		      const struct wave_limits *limits, struct wave_plan **out,
		      struct wh_error *e);

/* Frees a plan; NULL is a no-op. */
void wave_plan_free(struct wave_plan *plan);

/* "single-item", "multi-item", "by-carrier". */
const char *wave_strategy_name(enum wave_strategy s);

#endif
