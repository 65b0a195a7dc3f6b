/*
 * pickpath.c - walk sequences and the serpentine formula; see pickpath.h.
 */
#include "domain/pickpath.h"

#include <stdlib.h>

enum wh_err pickpath_serpentine(int32_t aisle, int32_t bay, int32_t level,
				int32_t *seq, struct wh_error *e)
{
	if (aisle < 1 || aisle > PICKPATH_AISLE_MAX)
		return wh_error_set(e, WH_ERR_INVALID, "aisle %d outside 1..%d",
				    (int)aisle, PICKPATH_AISLE_MAX);
	if (bay < 1 || bay > PICKPATH_BAY_MAX)
		return wh_error_set(e, WH_ERR_INVALID, "bay %d outside 1..%d",
				    (int)bay, PICKPATH_BAY_MAX);
	if (level < 0 || level > PICKPATH_LEVEL_MAX)
		return wh_error_set(e, WH_ERR_INVALID, "level %d outside 0..%d",
				    (int)level, PICKPATH_LEVEL_MAX);
	*seq = aisle * 10000 + (aisle % 2 == 1 ? bay : 100 - bay) * 100 + level;
	return WH_OK;
}

enum wh_err pickpath_serpentine_decode(int32_t seq, int32_t *aisle,
				       int32_t *bay, int32_t *level,
				       struct wh_error *e)
{
	int32_t a, b, l;

	if (seq < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "walk sequence %ld is negative", (long)seq);
	a = seq / 10000;
	b = seq / 100 % 100;
	l = seq % 100;
	if (a < 1 || a > PICKPATH_AISLE_MAX || b < 1)
		return wh_error_set(e, WH_ERR_INVALID,
				    "walk sequence %ld is not serpentine",
				    (long)seq);
	*aisle = a;
	*bay = a % 2 == 1 ? b : 100 - b;
	*level = l;
	return WH_OK;
}

static int stop_cmp(const void *pa, const void *pb)
{
	const struct pickpath_stop *a = pa, *b = pb;

	if (a->walk_seq != b->walk_seq)
		return a->walk_seq < b->walk_seq ? -1 : 1;
	if (a->location_id != b->location_id)
		return a->location_id < b->location_id ? -1 : 1;
	return (a->ref > b->ref) - (a->ref < b->ref);
}

void pickpath_sort(struct pickpath_stop *stops, size_t n)
{
	if (n > 1)
		qsort(stops, n, sizeof(*stops), stop_cmp);
}
