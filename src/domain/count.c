/*
 * count.c - cycle count variances; the rules are in count.h.
 *
 * Both sides are copied into one array tagged by side, sorted by key, and
 * each run of equal keys becomes one variance line.
 */
#include "domain/count.h"

#include <stdlib.h>

#define COUNT_PCT_BP_MAX 1000000

struct tagged {
	int64_t sku_id;
	int64_t lot_id;
	int64_t qty;
	int counted; /* 0 expected, 1 counted */
};

static int tagged_cmp(const void *pa, const void *pb)
{
	const struct tagged *a = pa, *b = pb;

	if (a->sku_id != b->sku_id)
		return a->sku_id < b->sku_id ? -1 : 1;
	if (a->lot_id != b->lot_id)
		return a->lot_id < b->lot_id ? -1 : 1;
	return 0;
}

bool count_exceeds(int64_t expected, int64_t counted,
		   const struct count_threshold *t)
{
	/* 128-bit: exact for any int64_t inputs and any int32_t bp. */
	__int128 v = (__int128)counted - expected;
	__int128 av = v < 0 ? -v : v;
	bool abs_on = t->max_abs_units >= 0, pct_on = t->max_pct_bp >= 0;
	bool abs_x, pct_x;

	if (av == 0)
		return false;
	if (!abs_on && !pct_on)
		return true;
	abs_x = abs_on && av > t->max_abs_units;
	pct_x = pct_on && av * 10000 > (__int128)t->max_pct_bp * expected;
	if (t->require_both)
		return (!abs_on || abs_x) && (!pct_on || pct_x);
	return abs_x || pct_x;
}

static enum wh_err copy_side(const struct count_qty *in, size_t n, int side,
			     struct tagged *out, struct wh_error *e)
{
	if (n > 0 && !in)
		return wh_error_set(e, WH_ERR_INVALID, "count lines missing");
	for (size_t i = 0; i < n; i++) {
		if (in[i].qty < 0 || in[i].qty > COUNT_QTY_MAX)
			return wh_error_set(e, WH_ERR_INVALID,
					    "sku %lld lot %lld: quantity %lld "
					    "out of range",
					    (long long)in[i].sku_id,
					    (long long)in[i].lot_id,
					    (long long)in[i].qty);
		out[i] = (struct tagged){in[i].sku_id, in[i].lot_id, in[i].qty,
					 side};
	}
	return WH_OK;
}

enum wh_err count_compare(const struct count_qty *expected, size_t n_expected,
			  const struct count_qty *counted, size_t n_counted,
			  const struct count_threshold *t,
			  struct count_result **out, struct wh_error *e)
{
	struct count_result *r;
	struct tagged *all = NULL;
	size_t n = n_expected + n_counted;
	enum wh_err rc;

	*out = NULL;
	if (n < n_expected || n > SIZE_MAX / sizeof(*all))
		return wh_error_set(e, WH_ERR_INVALID, "too many count lines");
	if (t->max_pct_bp > COUNT_PCT_BP_MAX)
		return wh_error_set(e, WH_ERR_INVALID,
				    "percentage threshold above 10000 %%");
	r = calloc(1, sizeof(*r));
	if (!r)
		return wh_error_set(e, WH_ERR_NOMEM, "count: out of memory");
	if (n == 0)
		goto out_ok;
	all = malloc(n * sizeof(*all));
	r->lines = malloc(n * sizeof(*r->lines));
	if (!all || !r->lines) {
		rc = wh_error_set(e, WH_ERR_NOMEM, "count: out of memory");
		goto out_fail;
	}
	rc = copy_side(expected, n_expected, 0, all, e);
	if (rc == WH_OK)
		rc = copy_side(counted, n_counted, 1, all + n_expected, e);
	if (rc != WH_OK)
		goto out_fail;
	qsort(all, n, sizeof(*all), tagged_cmp);

	for (size_t i = 0, j; i < n; i = j) {
		struct count_variance *v = &r->lines[r->n_lines++];

		*v = (struct count_variance){.sku_id = all[i].sku_id,
					     .lot_id = all[i].lot_id};
		for (j = i; j < n && tagged_cmp(&all[i], &all[j]) == 0; j++) {
			if (all[j].counted)
				v->counted += all[j].qty;
			else
				v->expected += all[j].qty;
		}
		/*
		 * Summed duplicates could pass the per-line limit; refuse
		 * rather than risk overflow in the percentage test.
		 */
		if (v->counted > COUNT_QTY_MAX || v->expected > COUNT_QTY_MAX) {
			rc = wh_error_set(e, WH_ERR_INVALID,
					  "sku %lld lot %lld: total out of "
					  "range",
					  (long long)v->sku_id,
					  (long long)v->lot_id);
			goto out_fail;
		}
		v->variance = v->counted - v->expected;
		v->exceeds = count_exceeds(v->expected, v->counted, t);
		if (v->variance == 0)
			r->n_exact++;
		if (v->exceeds)
			r->needs_approval = true;
		r->net_variance += v->variance;
	}
out_ok:
	free(all);
	*out = r;
	return WH_OK;
out_fail:
	free(all);
	count_result_free(r);
	return rc;
}

void count_result_free(struct count_result *r)
{
	if (!r)
		return;
	free(r->lines);
	free(r);
}

void count_tally_add(struct count_tally *t, const struct count_result *r)
{
	t->lines += r->n_lines;
	t->lines_exact += r->n_exact;
	t->locations++;
	if (r->n_exact == r->n_lines)
		t->locations_exact++;
}

int32_t count_accuracy_bp(uint64_t exact, uint64_t counted)
{
	if (counted == 0)
		return -1;
	if (exact >= counted)
		return 10000;
	/* 128-bit product: exact for every uint64_t input (GCC and Clang). */
	return (int32_t)((unsigned __int128)exact * 10000 / counted);
}
