/*
 * synctime.h - the time formats marketplaces send, as UTC epoch seconds.
 *
 * Pure and independent of the process time zone (no TZ, no mktime).
 */
#ifndef WHARF_SYNC_SYNCTIME_H
#define WHARF_SYNC_SYNCTIME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SYNC_TZ_CHINA (8 * 3600) /* TOP, JD, PDD wall-clock times */

/* Days since 1970-01-01 of a proleptic Gregorian date (no checks). */
int64_t sync_days_from_civil(int64_t y, unsigned m, unsigned d);

/*
 * Parses "YYYY-MM-DD[ T]HH:MM:SS[.fraction][zone]" where zone is "Z",
 * "+HH:MM", "+HHMM" or "+HH" (or "-"). Without a zone the time is local
 * to default_offset seconds east of UTC (SYNC_TZ_CHINA for TOP and JD, 0
 * for WooCommerce's *_gmt fields). The fraction is dropped. Fields are
 * range-checked (Feb 30 is refused; second 60 is accepted as a leap).
 */
enum wh_err sync_time_parse(const char *s, size_t len, int default_offset,
			    int64_t *epoch, struct wh_error *err);

/*
 * Parses an IMF-fixdate HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT"), the
 * form RFC 9110 requires senders to use (Retry-After, Date).
 */
enum wh_err sync_http_date_parse(const char *s, size_t len, int64_t *epoch,
				 struct wh_error *err);

#endif
