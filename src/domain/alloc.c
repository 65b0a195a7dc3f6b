/*
 * alloc.c - the allocation planner; the rules are in alloc.h.
 *
 * For each line: the eligible rows are sorted once by (lot rank, location
 * kind, available descending, walk sequence, location, lot, index). A
 * group of equal (rank, kind) is then consumed as alloc.h rule 3 says:
 * while the largest remaining row cannot cover the need it is taken whole
 * (largest first); once one can, the smallest row that covers is taken and
 * the line is done. Because the group is sorted by available descending,
 * the rows that cover form a prefix of what is left, and the best fit is
 * the first row holding the smallest covering quantity - which is also the
 * lowest walk sequence among equals. O(n log n) per line.
 */
#include "domain/alloc.h"

#include <stdlib.h>

#include "domain/shelf.h"

enum alloc_verdict alloc_check(const struct alloc_line *line,
			       const struct alloc_candidate *cand,
			       int32_t today)
{
	if (cand->sku_id != line->sku_id)
		return ALLOC_REJECT_SKU;
	if (cand->available <= 0)
		return ALLOC_REJECT_EMPTY;
	if (cand->quarantined)
		return ALLOC_REJECT_QUARANTINE;
	if (cand->has_expiry) {
		if (!shelf_sellable(cand->expiry_day, line->min_remaining_days,
				    today))
			return ALLOC_REJECT_SHIP_BY;
	} else if (line->lot_control == ALLOC_LOT_FEFO) {
		return ALLOC_REJECT_NO_EXPIRY;
	}
	return ALLOC_OK;
}

const char *alloc_verdict_name(enum alloc_verdict v)
{
	switch (v) {
	case ALLOC_OK:
		return "ok";
	case ALLOC_REJECT_SKU:
		return "sku";
	case ALLOC_REJECT_EMPTY:
		return "empty";
	case ALLOC_REJECT_QUARANTINE:
		return "quarantine";
	case ALLOC_REJECT_SHIP_BY:
		return "ship-by";
	case ALLOC_REJECT_NO_EXPIRY:
		return "no-expiry";
	}
	return "unknown";
}

size_t alloc_max_picks(size_t n_lines, size_t n_cands)
{
	return n_lines > SIZE_MAX - n_cands ? SIZE_MAX : n_lines + n_cands;
}

/* A sortable copy of what the ORDER needs from one eligible row. */
struct elig {
	int64_t rank;
	int64_t left; /* available to this line */
	int64_t location_id;
	int64_t lot_id;
	int32_t walk_seq;
	int kind;
	size_t i;
};

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int elig_cmp(const void *pa, const void *pb)
{
	const struct elig *a = pa, *b = pb;
	int c;

	if ((c = cmp_i64(a->rank, b->rank)))
		return c;
	if ((c = cmp_i64(a->kind, b->kind)))
		return c;
	if ((c = cmp_i64(b->left, a->left))) /* descending */
		return c;
	if ((c = cmp_i64(a->walk_seq, b->walk_seq)))
		return c;
	if ((c = cmp_i64(a->location_id, b->location_id)))
		return c;
	if ((c = cmp_i64(a->lot_id, b->lot_id)))
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

static enum wh_err check_line(const struct alloc_line *l, size_t k,
			      struct wh_error *e)
{
	if (l->qty < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "line %zu: negative quantity", k);
	if (l->min_remaining_days < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "line %zu: negative minimum shelf life", k);
	if (l->lot_control != ALLOC_LOT_NONE &&
	    l->lot_control != ALLOC_LOT_FIFO &&
	    l->lot_control != ALLOC_LOT_FEFO)
		return wh_error_set(e, WH_ERR_INVALID,
				    "line %zu: unknown lot control", k);
	return WH_OK;
}

static int64_t rank_of(const struct alloc_line *l,
		       const struct alloc_candidate *c)
{
	switch (l->lot_control) {
	case ALLOC_LOT_FEFO:
		return c->expiry_day;
	case ALLOC_LOT_FIFO:
		return c->first_received;
	case ALLOC_LOT_NONE:
		break;
	}
	return 0;
}

/*
 * Plans line k against left[] (updated), appending to out. Returns WH_OK or
 * WH_ERR_INVALID when out is too small.
 */
static enum wh_err plan_one(const struct alloc_line *l, size_t k, int32_t today,
			    const struct alloc_candidate *cands, size_t n_cands,
			    int64_t *left, struct elig *el,
			    struct alloc_pick *out, size_t out_cap,
			    size_t *n_out, int64_t *shortfall,
			    struct wh_error *e)
{
	int64_t need = l->qty;
	size_t n = 0, g0, g1;

	for (size_t i = 0; i < n_cands && need > 0; i++) {
		if (left[i] <= 0 ||
		    alloc_check(l, &cands[i], today) != ALLOC_OK)
			continue;
		el[n].rank = rank_of(l, &cands[i]);
		el[n].left = left[i];
		el[n].location_id = cands[i].location_id;
		el[n].lot_id = cands[i].lot_id;
		el[n].walk_seq = cands[i].walk_seq;
		el[n].kind = cands[i].kind == ALLOC_LOC_PICK ? 0 : 1;
		el[n].i = i;
		n++;
	}
	if (n > 1)
		qsort(el, n, sizeof(*el), elig_cmp);

	for (g0 = 0; g0 < n && need > 0; g0 = g1) {
		size_t next = g0;

		for (g1 = g0 + 1; g1 < n && el[g1].rank == el[g0].rank &&
				  el[g1].kind == el[g0].kind;
		     g1++)
			;
		while (next < g1 && need > 0) {
			size_t take = next;
			int64_t q;

			if (el[next].left >= need) {
				/* Best fit: first of the smallest coverers. */
				for (size_t j = next + 1;
				     j < g1 && el[j].left >= need; j++)
					if (el[j].left < el[take].left)
						take = j;
			}
			if (*n_out >= out_cap)
				return wh_error_set(e, WH_ERR_INVALID,
						    "allocation output full "
						    "(%zu picks)",
						    out_cap);
			q = el[take].left < need ? el[take].left : need;
			out[*n_out] = (struct alloc_pick){
			    .line_id = l->line_id,
			    .location_id = el[take].location_id,
			    .lot_id = el[take].lot_id,
			    .qty = q,
			    .cand = el[take].i,
			    .line = k,
			};
			(*n_out)++;
			left[el[take].i] -= q;
			need -= q;
			if (take == next)
				next++;
		}
	}
	*shortfall = need;
	return WH_OK;
}

enum wh_err alloc_plan_order(const struct alloc_line *lines, size_t n_lines,
			     int32_t today, const struct alloc_candidate *cands,
			     size_t n_cands, struct alloc_pick *out,
			     size_t out_cap, size_t *n_out, int64_t *shortfalls,
			     struct wh_error *e)
{
	int64_t *left = NULL;
	struct elig *el = NULL;
	enum wh_err rc = WH_OK;

	*n_out = 0;
	if ((n_lines > 0 && (!lines || !shortfalls)) ||
	    (n_cands > 0 && !cands) || (out_cap > 0 && !out))
		return wh_error_set(e, WH_ERR_INVALID,
				    "allocation planner: array missing");
	for (size_t k = 0; k < n_lines; k++) {
		rc = check_line(&lines[k], k, e);
		if (rc != WH_OK)
			return rc;
	}
	if (n_lines == 0)
		return WH_OK;
	if (n_cands > 0) {
		left = malloc(n_cands * sizeof(*left));
		el = malloc(n_cands * sizeof(*el));
		if (!left || !el) {
			rc = wh_error_set(e, WH_ERR_NOMEM,
					  "allocation planner: out of memory");
			goto out_free;
		}
		for (size_t i = 0; i < n_cands; i++)
			left[i] = cands[i].available;
	}
	for (size_t k = 0; k < n_lines; k++) {
		rc = plan_one(&lines[k], k, today, cands, n_cands, left, el,
			      out, out_cap, n_out, &shortfalls[k], e);
		if (rc != WH_OK) {
			*n_out = 0;
			goto out_free;
		}
	}
out_free:
	free(el);
	free(left);
	return rc;
}

enum wh_err alloc_plan_line(const struct alloc_line *line, int32_t today,
			    const struct alloc_candidate *cands, size_t n_cands,
			    struct alloc_pick *out, size_t out_cap,
			    size_t *n_out, int64_t *shortfall,
			    struct wh_error *e)
{
	return alloc_plan_order(line, 1, today, cands, n_cands, out, out_cap,
				n_out, shortfall, e);
}
