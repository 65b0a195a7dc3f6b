/*
 * pickpath.h - walking order through the warehouse.
 *
 * Every location carries a walk sequence (location.walk_seq): an integer,
 * smaller is visited earlier. A pick path is the tasks sorted by it. The
 * serpentine is encoded in the number itself, so sorting needs nothing
 * else and the database can ORDER BY walk_seq.
 *
 * SERPENTINE FORMULA (the seed data generator in SQL uses the same one)
 * For aisle a in 1..9999, bay b in 1..99, level l in 0..99:
 *
 *     walk_seq = a * 10000 + (a odd ? b : 100 - b) * 100 + l
 *
 * SQL:  a * 10000 + (CASE WHEN a % 2 = 1 THEN b ELSE 100 - b END) * 100 + l
 *
 * Odd aisles are walked with bay numbers ascending, even aisles with bay
 * numbers descending, so the picker leaves aisle 1 at its far end and
 * enters aisle 2 there; levels are visited bottom-up within a bay. The
 * fixed strides (100 per bay, 10000 per aisle) keep the formula free of
 * per-aisle bay counts: an aisle with 12 bays and one with 40 both sort
 * correctly, and the number decodes back (pickpath_serpentine_decode).
 * A location code A-01-02 names aisle 1, bay 2: its level is the caller's
 * (0 when the code has none). Maximum: 99,999,999, well inside int32.
 *
 * Pure functions, no allocation, no global state.
 */
#ifndef WHARF_DOMAIN_PICKPATH_H
#define WHARF_DOMAIN_PICKPATH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define PICKPATH_AISLE_MAX 9999
#define PICKPATH_BAY_MAX 99
#define PICKPATH_LEVEL_MAX 99

/*
 * Sets *seq to the serpentine walk sequence of (aisle, bay, level).
 * WH_ERR_INVALID unless aisle is 1..9999, bay 1..99 and level 0..99.
 * Example: pickpath_serpentine(2, 3, 1, &s, NULL) sets s = 29701.
 */
enum wh_err pickpath_serpentine(int32_t aisle, int32_t bay, int32_t level,
				int32_t *seq, struct wh_error *e);

/*
 * The inverse of pickpath_serpentine(). WH_ERR_INVALID when seq is not a
 * value pickpath_serpentine() can produce.
 */
enum wh_err pickpath_serpentine_decode(int32_t seq, int32_t *aisle,
				       int32_t *bay, int32_t *level,
				       struct wh_error *e);

/* One place to visit; ref is the caller's (e.g. an index into its tasks). */
struct pickpath_stop {
	int64_t location_id;
	int32_t walk_seq;
	size_t ref;
};

/*
 * Sorts stops in place into walking order: walk_seq, then location_id (two
 * locations sharing a sequence stay together), then ref, so the order is
 * total and the same on every run. NULL with n == 0 is fine.
 */
void pickpath_sort(struct pickpath_stop *stops, size_t n);

#endif
