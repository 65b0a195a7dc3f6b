/*
 * replen.h - pick-face replenishment planning.
 *
 * Pick faces have a min and a max; when a face runs down to its min, a
 * task brings it back up to its max from reserve stock. Pure: inputs are
 * borrowed, the plan is owned by the caller and freed with
 * replen_plan_free().
 *
 * TRIGGER: a face needs replenishment iff current <= min_qty and
 * current < max_qty; it then wants max_qty - current units. `current`
 * must already include units on open replenishment tasks headed for the
 * face, or the planner will order them twice.
 *
 * SOURCES are stock rows as the allocation planner sees them (struct
 * alloc_candidate). Only reserve rows (ALLOC_LOC_RESERVE) are used - one
 * pick face never feeds another - and the face's own location never. The
 * choice among them is exactly alloc.h's: the same eligibility (no
 * quarantine, nothing past ship-by with the face's min_remaining_days, no
 * FEFO lot without expiry) and the same order (FEFO earliest expiry / FIFO
 * earliest receipt, then fewest locations, then walk sequence). Moving
 * stock that can no longer ship to a pick face would only hide it there.
 *
 * FACES COMPETING for the same reserve stock are served most-depleted
 * first: by current / max_qty ascending (compared exactly by
 * cross-multiplication), then walk sequence, then location id, then input
 * order. No reserve unit is planned twice.
 */
#ifndef WHARF_DOMAIN_REPLEN_H
#define WHARF_DOMAIN_REPLEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/alloc.h"

struct replen_face {
	int64_t location_id;
	int64_t sku_id;
	int32_t walk_seq;
	int64_t min_qty; /* >= 0 */
	int64_t max_qty; /* >= min_qty */
	int64_t current; /* >= 0: on hand + open inbound replenishment */
	enum alloc_lot_control lot_control;
	int32_t min_remaining_days; /* the SKU's, >= 0 */
};

struct replen_task {
	int64_t sku_id;
	int64_t lot_id;
	int64_t from_location_id;
	int64_t to_location_id;
	int64_t qty;   /* > 0 */
	size_t face;   /* index into the face array */
	size_t source; /* index into the source array */
};

/* Caller-owned; free with replen_plan_free(). */
struct replen_plan {
	struct replen_task *tasks; /* grouped by face, most depleted first */
	size_t n_tasks;
	int64_t *shortfall; /* n_faces entries: units wanted but not found */
	size_t n_faces;
};

/*
 * Plans replenishment for every face that needs it. On WH_OK *out is a new
 * plan. WH_ERR_INVALID for a face with negative or inconsistent quantities
 * or a negative min_remaining_days, or a NULL array with n > 0;
 * WH_ERR_NOMEM. On error *out is NULL.
 */
enum wh_err replen_plan(const struct replen_face *faces, size_t n_faces,
			const struct alloc_candidate *sources, size_t n_sources,
			int32_t today, struct replen_plan **out,
			struct wh_error *e);

/* Frees a plan; NULL is a no-op. */
void replen_plan_free(struct replen_plan *plan);

#endif
