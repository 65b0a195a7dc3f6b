/*
 * replen.c - pick-face replenishment; the rules are in replen.h.
 *
 * The faces that need stock become allocation lines (most depleted first)
 * and the reserve rows become candidates (pick-face rows get available 0,
 * which alloc_check() refuses); alloc_plan_order() then does the choosing,
 * so replenishment and order allocation can never disagree about which
 * stock is sellable or which comes first.
 */
#include "domain/replen.h"

#include <stdlib.h>

struct need {
	const struct replen_face *f;
	size_t i;
};

static int need_cmp(const void *pa, const void *pb)
{
	const struct need *a = pa, *b = pb;
	/* a.current / a.max < b.current / b.max, both max > 0 here. */
	__int128 l = (__int128)a->f->current * b->f->max_qty;
	__int128 r = (__int128)b->f->current * a->f->max_qty;

	if (l != r)
		return l < r ? -1 : 1;
	if (a->f->walk_seq != b->f->walk_seq)
		return a->f->walk_seq < b->f->walk_seq ? -1 : 1;
	if (a->f->location_id != b->f->location_id)
		return a->f->location_id < b->f->location_id ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static int i64_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

static enum wh_err check_face(const struct replen_face *f, size_t k,
			      struct wh_error *e)
{
	if (f->min_qty < 0 || f->max_qty < f->min_qty || f->current < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "face %zu (location %lld): need 0 <= min "
				    "<= max and current >= 0",
				    k, (long long)f->location_id);
	if (f->min_remaining_days < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "face %zu: negative minimum shelf life", k);
	return WH_OK;
}

void replen_plan_free(struct replen_plan *plan)
{
	if (!plan)
		return;
	free(plan->tasks);
	free(plan->shortfall);
	free(plan);
}

enum wh_err replen_plan(const struct replen_face *faces, size_t n_faces,
			const struct alloc_candidate *sources, size_t n_sources,
			int32_t today, struct replen_plan **out,
			struct wh_error *e)
{
	struct replen_plan *p;
	struct need *needs = NULL;
	struct alloc_line *lines = NULL;
	struct alloc_candidate *cands = NULL;
	struct alloc_pick *picks = NULL;
	int64_t *shorts = NULL;
	int64_t *face_locs = NULL;
	size_t n = 0, n_picks = 0, cap;
	enum wh_err rc = WH_OK;

	*out = NULL;
	if ((n_faces > 0 && !faces) || (n_sources > 0 && !sources))
		return wh_error_set(e, WH_ERR_INVALID,
				    "replenishment input "
				    "missing");
	for (size_t k = 0; k < n_faces; k++) {
		rc = check_face(&faces[k], k, e);
		if (rc != WH_OK)
			return rc;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return wh_error_set(e, WH_ERR_NOMEM,
				    "replenishment: out of memory");
	p->n_faces = n_faces;
	if (n_faces == 0)
		goto out_free;
	p->shortfall = calloc(n_faces, sizeof(*p->shortfall));
	needs = malloc(n_faces * sizeof(*needs));
	if (!p->shortfall || !needs)
		goto out_nomem;
	for (size_t k = 0; k < n_faces; k++) {
		const struct replen_face *f = &faces[k];

		if (f->current <= f->min_qty && f->current < f->max_qty)
			needs[n++] = (struct need){f, k};
	}
	if (n == 0)
		goto out_free;
	qsort(needs, n, sizeof(*needs), need_cmp);

	cap = alloc_max_picks(n, n_sources);
	lines = malloc(n * sizeof(*lines));
	shorts = malloc(n * sizeof(*shorts));
	picks = malloc(cap * sizeof(*picks));
	if (!lines || !shorts || !picks)
		goto out_nomem;
	if (n_sources > 0) {
		cands = malloc(n_sources * sizeof(*cands));
		if (!cands)
			goto out_nomem;
		for (size_t i = 0; i < n_sources; i++) {
			cands[i] = sources[i];
			if (cands[i].kind != ALLOC_LOC_RESERVE)
				cands[i].available = 0;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const struct replen_face *f = needs[k].f;

		lines[k] = (struct alloc_line){
		    .line_id = f->location_id,
		    .sku_id = f->sku_id,
		    .qty = f->max_qty - f->current,
		    .lot_control = f->lot_control,
		    .min_remaining_days = f->min_remaining_days,
		};
	}
	/*
	 * The face's own location must not feed it. A reserve row at a pick
	 * face's location is a data error, but costs little to guard.
	 */
	face_locs = malloc(n * sizeof(*face_locs));
	if (!face_locs)
		goto out_nomem;
	for (size_t k = 0; k < n; k++)
		face_locs[k] = needs[k].f->location_id;
	qsort(face_locs, n, sizeof(*face_locs), i64_cmp);
	for (size_t i = 0; i < n_sources; i++)
		if (bsearch(&cands[i].location_id, face_locs, n,
			    sizeof(*face_locs), i64_cmp))
			cands[i].available = 0;

	rc = alloc_plan_order(lines, n, today, cands, n_sources, picks, cap,
			      &n_picks, shorts, e);
	if (rc != WH_OK)
		goto out_free;
	if (n_picks > 0) {
		p->tasks = malloc(n_picks * sizeof(*p->tasks));
		if (!p->tasks)
			goto out_nomem;
	}
	for (size_t j = 0; j < n_picks; j++) {
		const struct replen_face *f = needs[picks[j].line].f;

		p->tasks[j] = (struct replen_task){
		    .sku_id = f->sku_id,
		    .lot_id = picks[j].lot_id,
		    .from_location_id = picks[j].location_id,
		    .to_location_id = f->location_id,
		    .qty = picks[j].qty,
		    .face = needs[picks[j].line].i,
		    .source = picks[j].cand,
		};
	}
	p->n_tasks = n_picks;
	for (size_t k = 0; k < n; k++)
		p->shortfall[needs[k].i] = shorts[k];
	goto out_free;

out_nomem:
	rc = wh_error_set(e, WH_ERR_NOMEM, "replenishment: out of memory");
out_free:
	free(face_locs);
	free(picks);
	free(cands);
	free(shorts);
	free(lines);
	free(needs);
	if (rc != WH_OK) {
		replen_plan_free(p);
		return rc;
	}
	*out = p;
	return WH_OK;
}
