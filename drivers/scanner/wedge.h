/*
 * wedge.h - keyboard-wedge framing: tells scans apart from typing.
 *
 * A pure state machine: no I/O, no clock of its own. The caller feeds
 * bytes with the time they arrived and calls wedge_tick() when
 * wedge_deadline() passes; complete events come out through a callback,
 * in input order.
 *
 * A scan is recognised by
 *  - a configured prefix (STX, or an F-key escape such as "\x1b[24~")
 *    followed by data and one of the terminator bytes (CR, LF, TAB...);
 *    the prefix and terminator are not part of the data; or
 *  - the timing fallback (min_burst > 0): at least min_burst bytes, each
 *    at most gap_ms after the previous, ended by a terminator that also
 *    comes within gap_ms; or
 *  - all_scans (a dedicated device: evdev, serial, FIFO): every
 *    terminated run of bytes is a scan; an empty run (the LF of CRLF) is
 *    ignored.
 * Everything else is typing and comes out as SCAN_EV_KEYS, verbatim.
 * Inside a scan every byte but a terminator is kept: GS 0x1D, NUL, ESC.
 * Identical consecutive scans are each delivered with repeat = n.
 * A prefixed scan left unterminated for scan_timeout_ms comes out as a
 * SCAN_EV_ERROR carrying the bytes read; an over-long scan as an ERROR
 * with total_len. In timing mode bytes wait at most gap_ms before they
 * are known to be typing.
 *
 * Ownership: wedge_new() allocates, wedge_free() frees (NULL ok). The
 * event passed to the callback is borrowed for the call only.
 */
#ifndef WHARF_DRIVERS_WEDGE_H
#define WHARF_DRIVERS_WEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner/scanner.h"

struct wedge_config {
	unsigned char prefix[SCANNER_AFFIX_MAX];
	size_t prefix_len;
	unsigned char suffix[SCANNER_AFFIX_MAX]; /* terminator byte set */
	size_t suffix_len;                       /* must be >= 1 */
	unsigned min_burst;       /* timing fallback N; 0 = off */
	unsigned gap_ms;          /* timing fallback T; prefix match window */
	unsigned scan_timeout_ms; /* 0 = wait forever for a terminator */
	bool all_scans;
	enum scanner_aim_mode aim;
	enum scan_source source;  /* stamped on every event */
};

struct wedge;

typedef void (*wedge_cb)(void *arg, const struct scan_event *ev);

/* WH_ERR_INVALID if the config is inconsistent (no terminator, a
 * prefix that starts with a terminator byte, gap_ms 0 with timing). */
enum wh_err wedge_new(const struct wedge_config *cfg, struct wedge **out,
		      struct wh_error *e);
void wedge_free(struct wedge *w);

/* Processes n bytes that arrived at now_ms (a monotonic clock). */
void wedge_feed(struct wedge *w, const unsigned char *bytes, size_t n,
		uint64_t now_ms, wedge_cb cb, void *arg);

/* Resolves whatever timed out by now_ms. Cheap; call it any time. */
void wedge_tick(struct wedge *w, uint64_t now_ms, wedge_cb cb, void *arg);

/* When wedge_tick() next has work, in now_ms units; UINT64_MAX: never. */
uint64_t wedge_deadline(const struct wedge *w);

/*
 * End of input (device closed): delivers held bytes as keys, or, for a
 * started scan, as an ERROR event with the bytes read.
 */
void wedge_flush(struct wedge *w, uint64_t now_ms, wedge_cb cb, void *arg);

#endif
