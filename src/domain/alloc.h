/*
 * alloc.h - the allocation planner: which stock serves an order line.
 *
 * Pure: the caller (the `allocate` database function's C side, or a test)
 * reads candidate stock rows, calls the planner, and executes its decisions
 * in one transaction under row locks. The planner performs no I/O, keeps no
 * state, and allocates only internal scratch memory that it frees before
 * returning. Arrays passed in are borrowed and never modified; the output
 * array is caller-owned and sized by the caller (see alloc_max_picks()).
 *
 * ELIGIBILITY (alloc_check): a candidate row may serve a line iff
 *   - it holds the line's SKU, and available > 0;
 *   - it is not quarantined;
 *   - its lot has an expiry and is sellable on `today` by the ship-by rule
 *     of shelf.h (today <= expiry_day - min_remaining_days), or it has no
 *     expiry and the SKU is not FEFO (a FEFO lot with no recorded expiry
 *     cannot be proved in date, so it is refused: fix the lot, not the
 *     order). The ship-by rule applies to every lot that has an expiry,
 *     whatever the SKU's lot control.
 *
 * ORDER (which eligible rows are used first), outermost key first:
 *   1. lot rank: FEFO - earliest expiry day (= earliest ship-by, since the
 *      line has one min_remaining_days); FIFO - earliest first receipt;
 *      NONE - all rows share one rank.
 *   2. within a rank: pick faces before reserve (storage) locations.
 *   3. within a rank and kind, fewest locations: if some row alone covers
 *      what the line still needs, the smallest such row (best fit: it
 *      empties bins and keeps large stocks whole for large orders);
 *      otherwise the row with the most available (taking the largest
 *      first reaches the quantity with the fewest rows). Re-decided after
 *      every row taken, as the remaining need shrinks.
 *   4. walk sequence, then location id, then lot id: determinism.
 * The planner takes greedily in that order until the line is satisfied or
 * the eligible rows are exhausted; the rest is the shortfall.
 *
 * Quantities are integer base units; no floating point anywhere.
 */
#ifndef WHARF_DOMAIN_ALLOC_H
#define WHARF_DOMAIN_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum alloc_lot_control {
	ALLOC_LOT_NONE, /* no lots: location preference only */
	ALLOC_LOT_FIFO, /* earliest first receipt first */
	ALLOC_LOT_FEFO, /* earliest expiry (ship-by) first */
};

enum alloc_loc_kind {
	ALLOC_LOC_PICK,	   /* a pick face */
	ALLOC_LOC_RESERVE, /* storage / reserve */
};

/* One stock row (location x sku x lot) offered to the planner. */
struct alloc_candidate {
	int64_t location_id;
	int64_t sku_id;
	int64_t lot_id;	  /* 0 for SKUs without lots */
	int32_t walk_seq; /* location walk sequence, see pickpath.h */
	enum alloc_loc_kind kind;
	bool has_expiry;
	int32_t expiry_day;	/* shelf.h day number; ignored without expiry */
	int64_t first_received; /* lot's first receipt, Unix seconds */
	int64_t available;	/* on_hand - allocated; <= 0 is never used */
	bool quarantined;
};

/* One order line to serve. */
struct alloc_line {
	int64_t line_id;
	int64_t sku_id;
	int64_t qty; /* units wanted, >= 0 */
	enum alloc_lot_control lot_control;
	int32_t min_remaining_days; /* effective: shelf_effective_min() */
};

/* One decision: take qty of candidate cand for line line_id. */
struct alloc_pick {
	int64_t line_id;
	int64_t location_id;
	int64_t lot_id;
	int64_t qty; /* > 0 */
	size_t cand; /* index into the candidate array */
	size_t line; /* index into the line array (0 for alloc_plan_line) */
};

/* Why a candidate is not eligible for a line. */
enum alloc_verdict {
	ALLOC_OK,
	ALLOC_REJECT_SKU,   /* another SKU */
	ALLOC_REJECT_EMPTY, /* available <= 0 */
	ALLOC_REJECT_QUARANTINE,
	ALLOC_REJECT_SHIP_BY,	/* today > ship-by day */
	ALLOC_REJECT_NO_EXPIRY, /* FEFO SKU, lot without expiry */
};

/* The eligibility rule above, with the reason. */
enum alloc_verdict alloc_check(const struct alloc_line *line,
			       const struct alloc_candidate *cand,
			       int32_t today);

/* "ok", "sku", "empty", "quarantine", "ship-by", "no-expiry". */
const char *alloc_verdict_name(enum alloc_verdict v);

/*
 * An upper bound on the picks alloc_plan_order() can return: every pick
 * either finishes a line or empties a candidate, so n_lines + n_cands.
 * alloc_plan_line() needs at most n_cands (alloc_max_picks(0, n_cands)).
 * Saturates at SIZE_MAX.
 */
size_t alloc_max_picks(size_t n_lines, size_t n_cands);

/*
 * Plans one line. Writes at most out_cap picks to out (in the order taken,
 * which is the ORDER above), sets *n_out, and sets *shortfall to
 * line->qty - sum of the picks' qty. A shortfall is not an error.
 *
 * Errors: WH_ERR_INVALID for qty < 0, min_remaining_days < 0, an unknown
 * lot control, a NULL array with a non-zero count, or out_cap < the picks
 * needed (out_cap >= n_cands always
 * suffices); WH_ERR_NOMEM. On error *n_out is 0 and out's contents are
 * unspecified.
 *
 * Example:
 *     struct alloc_pick picks[8];
 *     size_t n;
 *     int64_t short_by;
 *     rc = alloc_plan_line(&line, today, cands, n_cands, picks, 8, &n,
 *                          &short_by, &err);
 */
enum wh_err alloc_plan_line(const struct alloc_line *line, int32_t today,
			    const struct alloc_candidate *cands, size_t n_cands,
			    struct alloc_pick *out, size_t out_cap,
			    size_t *n_out, int64_t *shortfall,
			    struct wh_error *e);

/*
 * Plans the lines of one order (any mix of SKUs, including several lines
 * of the same SKU) against one candidate set, lines in array order, each
 * seeing only what the earlier lines left: a candidate is never used
 * beyond its available quantity in total. shortfalls must hold n_lines
 * entries; shortfalls[i] belongs to lines[i]. Picks are grouped by line,
 * in line order. Errors as alloc_plan_line(); out_cap >= alloc_max_picks(
 * n_lines, n_cands) always suffices.
 */
enum wh_err alloc_plan_order(const struct alloc_line *lines, size_t n_lines,
			     int32_t today, const struct alloc_candidate *cands,
			     size_t n_cands, struct alloc_pick *out,
			     size_t out_cap, size_t *n_out, int64_t *shortfalls,
			     struct wh_error *e);

#endif
