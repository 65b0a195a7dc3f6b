#include "sync/window.h"

enum wh_err sync_window_plan(int64_t watermark, int64_t now,
			     const struct sync_window_spec *spec,
			     struct sync_window *out, size_t *n,
			     struct wh_error *err)
{
	int64_t start;

	*n = 0;
	if (!spec || spec->max_window <= 0 || spec->overlap < 0 ||
	    spec->max_lookback < 0 || spec->max_windows == 0)
		return wh_error_set(err, WH_ERR_INVALID,
				    "window spec needs max_window > 0, "
				    "overlap >= 0 and max_windows > 0");
	if (now < 0 || watermark < 0)
		return wh_error_set(err, WH_ERR_INVALID,
				    "negative watermark or time");
	start = watermark > spec->overlap ? watermark - spec->overlap : 0;
	if (spec->max_lookback && now > spec->max_lookback &&
	    start < now - spec->max_lookback)
		start = now - spec->max_lookback;
	while (start < now && *n < spec->max_windows) {
		int64_t end = now - start > spec->max_window ?
			      start + spec->max_window : now;

		out[*n].start = start;
		out[*n].end = end;
		(*n)++;
		start = end;
	}
	return WH_OK;
}
