/*
 * wave.c - the wave planner; the rules are in wave.h.
 *
 * Eligible orders are sorted by urgency and taken greedily; the selected
 * orders' allocations are copied into one task array, sorted by (walk,
 * location, sku, lot, tote, slot) and equal neighbours merged. O(n log n)
 * in orders plus allocations.
 */
#include "domain/wave.h"

#include <stdlib.h>

struct urgency {
	int64_t cutoff;
	int64_t created;
	int64_t order_id;
	int32_t priority;
	size_t i;
};

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int urgency_cmp(const void *pa, const void *pb)
{
	const struct urgency *a = pa, *b = pb;
	int c;

	if ((c = cmp_i64(a->cutoff, b->cutoff)))
		return c;
	if ((c = cmp_i64(b->priority, a->priority))) /* larger first */
		return c;
	if ((c = cmp_i64(a->created, b->created)))
		return c;
	if ((c = cmp_i64(a->order_id, b->order_id)))
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

static int task_cmp(const void *pa, const void *pb)
{
	const struct wave_task *a = pa, *b = pb;
	int c;

	if ((c = cmp_i64(a->walk_seq, b->walk_seq)))
		return c;
	if ((c = cmp_i64(a->location_id, b->location_id)))
		return c;
	if ((c = cmp_i64(a->sku_id, b->sku_id)))
		return c;
	if ((c = cmp_i64(a->lot_id, b->lot_id)))
		return c;
	if ((c = cmp_i64(a->tote, b->tote)))
		return c;
	return cmp_i64(a->slot, b->slot);
}

static bool same_task(const struct wave_task *a, const struct wave_task *b)
{
	return a->walk_seq == b->walk_seq && a->location_id == b->location_id &&
	       a->sku_id == b->sku_id && a->lot_id == b->lot_id &&
	       a->tote == b->tote && a->slot == b->slot;
}

const char *wave_strategy_name(enum wave_strategy s)
{
	switch (s) {
	case WAVE_SINGLE_ITEM:
		return "single-item";
	case WAVE_MULTI_ITEM:
		return "multi-item";
	case WAVE_BY_CARRIER:
		return "by-carrier";
	}
	return "unknown";
}

void wave_plan_free(struct wave_plan *plan)
{
	if (!plan)
		return;
	free(plan->orders);
	free(plan->tasks);
	free(plan);
}

static enum wh_err check_limits(const struct wave_limits *l, struct wh_error *e)
{
	if (l->strategy != WAVE_SINGLE_ITEM && l->strategy != WAVE_MULTI_ITEM &&
	    l->strategy != WAVE_BY_CARRIER)
		return wh_error_set(e, WH_ERR_INVALID, "unknown wave strategy");
	if (l->max_orders == 0 || l->max_units <= 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "wave limits must be positive");
	if (l->strategy != WAVE_SINGLE_ITEM &&
	    (l->max_totes == 0 || l->slots_per_tote == 0))
		return wh_error_set(e, WH_ERR_INVALID,
				    "a sort-while-pick wave needs totes and "
				    "slots");
	if (l->strategy != WAVE_SINGLE_ITEM &&
	    (l->max_totes > UINT32_MAX || l->slots_per_tote > UINT32_MAX))
		return wh_error_set(e, WH_ERR_INVALID,
				    "too many totes or slots");
	if (l->carrier_id < 0)
		return wh_error_set(e, WH_ERR_INVALID, "negative carrier id");
	return WH_OK;
}

/* Validates o and sets *allocated to the sum of its allocations. */
static enum wh_err check_order(const struct wave_order *o, size_t k,
			       int64_t *allocated, struct wh_error *e)
{
	int64_t sum = 0;

	if (o->units < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "order %lld: negative units",
				    (long long)o->order_id);
	if (o->n_allocs > 0 && !o->allocs)
		return wh_error_set(e, WH_ERR_INVALID,
				    "order index %zu: allocations missing", k);
	for (size_t j = 0; j < o->n_allocs; j++) {
		int64_t q = o->allocs[j].qty;

		if (q <= 0 || q > INT64_MAX - sum)
			return wh_error_set(e, WH_ERR_INVALID,
					    "order %lld: bad allocation "
					    "quantity",
					    (long long)o->order_id);
		sum += q;
	}
	*allocated = sum;
	return WH_OK;
}

static bool wants(const struct wave_limits *l, const struct wave_order *o,
		  int64_t allocated)
{
	if (o->units < 1 || allocated != o->units)
		return false;
	if (l->carrier_id != 0 && o->carrier_id != l->carrier_id)
		return false;
	switch (l->strategy) {
	case WAVE_SINGLE_ITEM:
		return o->units == 1;
	case WAVE_MULTI_ITEM:
		return o->units >= 2;
	case WAVE_BY_CARRIER:
		return true;
	}
	return false;
}

/* Takes orders from urg[0..n) into plan->orders by the limits. */
static void select_orders(const struct wave_order *orders,
			  const struct urgency *urg, size_t n,
			  const struct wave_limits *l, struct wave_plan *p)
{
	bool sorted = l->strategy != WAVE_SINGLE_ITEM;
	size_t cap = l->max_orders;
	int64_t carrier = l->carrier_id;

	if (sorted && l->max_totes <= SIZE_MAX / l->slots_per_tote &&
	    l->max_totes * l->slots_per_tote < cap)
		cap = l->max_totes * l->slots_per_tote;
	if (l->strategy == WAVE_BY_CARRIER && carrier == 0 && n > 0)
		carrier = orders[urg[0].i].carrier_id;
	p->carrier_id = carrier;

	for (size_t k = 0; k < n && p->n_orders < cap; k++) {
		const struct wave_order *o = &orders[urg[k].i];
		struct wave_pick_order *po = &p->orders[p->n_orders];

		if (carrier != 0 && o->carrier_id != carrier)
			continue;
		if (o->units > l->max_units - p->units)
			continue; /* too big for what is left; try smaller */
		po->order_id = o->order_id;
		po->order = urg[k].i;
		if (sorted) {
			po->tote =
			    (uint32_t)(p->n_orders / l->slots_per_tote + 1);
			po->slot =
			    (uint32_t)(p->n_orders % l->slots_per_tote + 1);
			p->totes = po->tote;
		} else {
			po->tote = 0;
			po->slot = 0;
		}
		p->units += o->units;
		p->n_orders++;
	}
}

/* Builds plan->tasks from the selected orders' allocations. */
static enum wh_err build_tasks(const struct wave_order *orders,
			       struct wave_plan *p, bool sorted,
			       struct wh_error *e)
{
	size_t n = 0, m = 0;

	for (size_t k = 0; k < p->n_orders; k++)
		n += orders[p->orders[k].order].n_allocs;
	if (n == 0)
		return WH_OK;
	p->tasks = malloc(n * sizeof(*p->tasks));
	if (!p->tasks)
		return wh_error_set(e, WH_ERR_NOMEM,
				    "wave planner: out of memory");
	for (size_t k = 0; k < p->n_orders; k++) {
		const struct wave_pick_order *po = &p->orders[k];
		const struct wave_order *o = &orders[po->order];

		for (size_t j = 0; j < o->n_allocs; j++) {
			const struct wave_alloc *a = &o->allocs[j];

			p->tasks[m++] = (struct wave_task){
			    .location_id = a->location_id,
			    .walk_seq = a->walk_seq,
			    .sku_id = a->sku_id,
			    .lot_id = a->lot_id,
			    .qty = a->qty,
			    .tote = po->tote,
			    .slot = po->slot,
			    .order_id = sorted ? o->order_id : 0,
			};
		}
	}
	qsort(p->tasks, n, sizeof(*p->tasks), task_cmp);
	m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && same_task(&p->tasks[m - 1], &p->tasks[i]))
			p->tasks[m - 1].qty += p->tasks[i].qty;
		else
			p->tasks[m++] = p->tasks[i];
	}
	p->n_tasks = m;
	return WH_OK;
}

enum wh_err wave_plan(const struct wave_order *orders, size_t n_orders,
		      const struct wave_limits *limits, struct wave_plan **out,
		      struct wh_error *e)
{
	struct urgency *urg = NULL;
	struct wave_plan *p = NULL;
	enum wh_err rc;
	size_t n = 0;

	*out = NULL;
	rc = check_limits(limits, e);
	if (rc != WH_OK)
		return rc;
	if (n_orders > 0 && !orders)
		return wh_error_set(e, WH_ERR_INVALID, "orders missing");
	p = calloc(1, sizeof(*p));
	if (!p)
		return wh_error_set(e, WH_ERR_NOMEM,
				    "wave planner: out of memory");
	if (n_orders == 0)
		goto out_ok;
	urg = malloc(n_orders * sizeof(*urg));
	p->orders = malloc(n_orders * sizeof(*p->orders));
	if (!urg || !p->orders) {
		rc = wh_error_set(e, WH_ERR_NOMEM,
				  "wave planner: out of memory");
		goto out_fail;
	}
	for (size_t k = 0; k < n_orders; k++) {
		const struct wave_order *o = &orders[k];
		int64_t allocated = 0;

		rc = check_order(o, k, &allocated, e);
		if (rc != WH_OK)
			goto out_fail;
		if (!wants(limits, o, allocated))
			continue;
		urg[n++] = (struct urgency){
		    .cutoff = o->cutoff,
		    .created = o->created,
		    .order_id = o->order_id,
		    .priority = o->priority,
		    .i = k,
		};
	}
	qsort(urg, n, sizeof(*urg), urgency_cmp);
	select_orders(orders, urg, n, limits, p);
	rc = build_tasks(orders, p, limits->strategy != WAVE_SINGLE_ITEM, e);
	if (rc != WH_OK)
		goto out_fail;
out_ok:
	free(urg);
	*out = p;
	return WH_OK;
out_fail:
	free(urg);
	wave_plan_free(p);
	return rc;
}
