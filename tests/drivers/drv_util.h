/*
 * drv_util.h - shared helpers for the hardware-free driver tests:
 * collect events from a scanner handle through its poll()able fd.
 */
#ifndef WHARF_TESTS_DRV_UTIL_H
#define WHARF_TESTS_DRV_UTIL_H

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner/scanner.h"

struct drv_events {
	size_t n, cap;
	struct scan_event *ev;
};

static inline void drv_events_free(struct drv_events *d)
{
	free(d->ev);
	memset(d, 0, sizeof(*d));
}

static inline size_t drv_count(const struct drv_events *d, enum scan_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		n += d->ev[i].kind == k;
	return n;
}

/*
 * Polls the handle's fd and takes events until `want` of kind `k` have
 * arrived or timeout_ms passes. Returns how many of kind k were seen.
 */
static inline size_t drv_collect(scanner_t *s, struct drv_events *d,
				 enum scan_kind k, size_t want,
				 int timeout_ms)
{
	struct pollfd pfd = { .fd = scanner_fd(s), .events = POLLIN };
	uint64_t end = scanner_now_ms() + (uint64_t)timeout_ms;
	uint64_t now;

	while (drv_count(d, k) < want) {
		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 64;
			d->ev = realloc(d->ev, d->cap * sizeof(*d->ev));
			if (!d->ev)
				abort();
		}
		if (scanner_next(s, &d->ev[d->n])) {
			d->n++;
			continue;
		}
		now = scanner_now_ms();
		if (now >= end)
			break;
		poll(&pfd, 1, (int)(end - now));
	}
	return drv_count(d, k);
}

#endif
