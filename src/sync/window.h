/*
 * window.h - the time windows to ask a platform for updated orders.
 *
 * From the shop's watermark (the end of the last window fully read) back
 * off by an overlap, so late-indexed updates are read again (upserts are
 * idempotent), then cut [start, now) into windows no longer than the
 * platform allows (PDD 30 min; TOP 1 day, 30 min recommended). Pure.
 */
#ifndef WHARF_SYNC_WINDOW_H
#define WHARF_SYNC_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sync_window {
	int64_t start; /* UTC epoch seconds, inclusive */
	int64_t end;   /* exclusive; the next window starts here */
};

struct sync_window_spec {
	int64_t overlap;      /* seconds re-read before the watermark */
	int64_t max_window;   /* longest window the platform accepts, > 0 */
	int64_t max_lookback; /* furthest back it searches (TOP 90 d), or 0 */
	size_t max_windows;   /* at most this many per plan, > 0 */
};

#define SYNC_WINDOW_PDD ((struct sync_window_spec){ 300, 1800, 0, 48 })
#define SYNC_WINDOW_TOP \
	((struct sync_window_spec){ 300, 1800, 90 * 86400, 48 })

/*
 * Fills out[0..*n) (out holds spec->max_windows entries) with windows
 * covering [max(watermark - overlap, now - max_lookback, 0), now) in
 * order. When more would be needed than max_windows, the plan stops
 * early: after reading them the caller advances the watermark to the
 * last end and plans again. *n is 0 when there is nothing to read
 * (start >= now). WH_ERR_INVALID for a bad spec or times.
 */
enum wh_err sync_window_plan(int64_t watermark, int64_t now,
			     const struct sync_window_spec *spec,
			     struct sync_window *out, size_t *n,
			     struct wh_error *err);

#endif
