/*
 * count.h - cycle count variances and inventory accuracy.
 *
 * A blind count of one location produces counted lines per (sku, lot); the
 * system holds expected lines per (sku, lot). count_compare() matches them
 * and decides whether a supervisor must approve before the adjustment is
 * posted to the ledger. Pure: inputs are borrowed, the result is owned by
 * the caller and freed with count_result_free().
 *
 * MATCHING: lines are keyed by (sku_id, lot_id). Several lines with the
 * same key on one side are summed (a counter may scan the same lot twice).
 * A key only expected was not found (counted 0); a key only counted is
 * found stock (expected 0).
 *
 * VARIANCE = counted - expected (negative: missing units).
 *
 * THRESHOLD: a line "exceeds" when, among the tests that are enabled,
 *     abs:  |variance| > max_abs_units                (enabled if >= 0)
 *     pct:  |variance| * 10000 > max_pct_bp * expected (enabled if >= 0;
 *           basis points, 250 = 2.5 %; with expected 0 any variance
 *           exceeds)
 * any one exceeds (require_both = false) or all of them exceed
 * (require_both = true: small absolute noise on a slow mover, or a small
 * percentage of a large stock, then passes). With no test enabled any
 * non-zero variance exceeds. The result needs approval iff some line
 * exceeds.
 *
 * ACCURACY = counted-without-variance / counted, in basis points (integer,
 * floor), over count lines (sku x lot x location); count_tally also keeps
 * the location figure (locations with no variance at all / locations).
 */
#ifndef WHARF_DOMAIN_COUNT_H
#define WHARF_DOMAIN_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Quantities above this are refused, which keeps all arithmetic exact. */
#define COUNT_QTY_MAX ((int64_t)1000000000000) /* 10^12 */

struct count_qty {
	int64_t sku_id;
	int64_t lot_id; /* 0 without lots */
	int64_t qty;	/* 0..COUNT_QTY_MAX */
};

struct count_threshold {
	int64_t max_abs_units; /* < 0: test disabled */
	int32_t max_pct_bp;    /* basis points; < 0: test disabled */
	bool require_both;
};

struct count_variance {
	int64_t sku_id;
	int64_t lot_id;
	int64_t expected;
	int64_t counted;
	int64_t variance; /* counted - expected */
	bool exceeds;
};

/* Caller-owned; free with count_result_free(). */
struct count_result {
	struct count_variance *lines; /* sorted by sku_id, lot_id */
	size_t n_lines;
	size_t n_exact;	      /* lines with variance 0 */
	bool needs_approval;  /* some line exceeds */
	int64_t net_variance; /* sum of variances */
};

/*
 * Compares one location's expected and counted lines. On WH_OK *out is a
 * new result (with no lines when both inputs are empty). WH_ERR_INVALID
 * for a negative or too large quantity, a NULL array with n > 0, or a
 * max_pct_bp above 1000000 (10000 %); WH_ERR_NOMEM. On error *out is NULL.
 */
enum wh_err count_compare(const struct count_qty *expected, size_t n_expected,
			  const struct count_qty *counted, size_t n_counted,
			  const struct count_threshold *t,
			  struct count_result **out, struct wh_error *e);

/* Frees a result; NULL is a no-op. */
void count_result_free(struct count_result *r);

/* Whether one (expected, counted) pair exceeds t (rules above). */
bool count_exceeds(int64_t expected, int64_t counted,
		   const struct count_threshold *t);

/* Running totals for the accuracy figure. Zero-initialise. */
struct count_tally {
	uint64_t lines;
	uint64_t lines_exact;
	uint64_t locations;
	uint64_t locations_exact;
};

/* Adds one location's result to the tally. */
void count_tally_add(struct count_tally *t, const struct count_result *r);

/*
 * exact * 10000 / counted, floor, in basis points (9950 = 99.50 %);
 * -1 when counted is 0 (no accuracy without counts).
 */
int32_t count_accuracy_bp(uint64_t exact, uint64_t counted);

#endif
