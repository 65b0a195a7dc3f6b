/*
 * wedge.c - the keyboard-wedge state machine (see wedge.h).
 */
#include "drivers/scanner/wedge.h"

#include <stdlib.h>
#include <string.h>

#include "drivers/scanner/scan_queue.h"

enum wedge_state {
	W_IDLE,   /* nothing held */
	W_PREFIX, /* pm bytes of the prefix matched, held */
	W_SCAN,   /* inside a scan, collecting to the terminator */
	W_BURST,  /* timing candidate: fast bytes held */
	W_TYPING, /* a burst grew too long to be a scan: a paste */
};

struct wedge {
	struct wedge_config cfg;
	enum wedge_state st;
	size_t pm;
	uint64_t last;       /* arrival of the last byte held */
	size_t len, total;   /* bytes held in buf / seen in this scan */
	unsigned char buf[SCAN_DATA_MAX];
	size_t klen;         /* typed bytes not yet delivered */
	unsigned char kbuf[SCAN_DATA_MAX];
	uint64_t seq;
	struct scan_repeat rep;
	struct scan_event ev; /* scratch for the callback */
	wedge_cb cb;
	void *arg;
};

enum wh_err wedge_new(const struct wedge_config *cfg, struct wedge **out,
		      struct wh_error *e)
{
	struct wedge *w;
	size_t i;

	*out = NULL;
	if (cfg->suffix_len < 1 || cfg->suffix_len > SCANNER_AFFIX_MAX)
		return wh_error_set(e, WH_ERR_INVALID,
				    "wedge: 1 to %d terminator bytes needed",
				    SCANNER_AFFIX_MAX);
	if (cfg->prefix_len > SCANNER_AFFIX_MAX)
		return wh_error_set(e, WH_ERR_INVALID,
				    "wedge: prefix longer than %d bytes",
				    SCANNER_AFFIX_MAX);
	for (i = 0; i < cfg->prefix_len; i++)
		if (memchr(cfg->suffix, cfg->prefix[i], cfg->suffix_len))
			return wh_error_set(e, WH_ERR_INVALID,
				"wedge: prefix byte 0x%02x is a terminator",
				cfg->prefix[i]);
	if ((cfg->min_burst || cfg->prefix_len) && !cfg->gap_ms)
		return wh_error_set(e, WH_ERR_INVALID,
				    "wedge: gap_ms must be > 0");
	w = calloc(1, sizeof(*w));
	if (!w)
		return wh_error_set(e, WH_ERR_NOMEM, "wedge: out of memory");
	w->cfg = *cfg;
	*out = w;
	return WH_OK;
}

void wedge_free(struct wedge *w)
{
	free(w);
}

static bool is_term(const struct wedge *w, unsigned char b)
{
	return memchr(w->cfg.suffix, b, w->cfg.suffix_len) != NULL;
}

static void emit(struct wedge *w)
{
	w->ev.seq = ++w->seq;
	scan_repeat_note(&w->rep, &w->ev);
	w->cb(w->arg, &w->ev);
}

static void flush_keys(struct wedge *w, uint64_t now)
{
	if (!w->klen)
		return;
	scan_event_init(&w->ev, SCAN_EV_KEYS, w->cfg.source, now);
	scan_event_set_data(&w->ev, w->kbuf, w->klen);
	w->klen = 0;
	emit(w);
}

static void key(struct wedge *w, unsigned char b, uint64_t now)
{
	if (w->klen == sizeof(w->kbuf))
		flush_keys(w, now);
	w->kbuf[w->klen++] = b;
}

static void keys(struct wedge *w, const unsigned char *p, size_t n,
		 uint64_t now)
{
	while (n--)
		key(w, *p++, now);
}

static void hold(struct wedge *w, unsigned char b)
{
	if (w->len < sizeof(w->buf))
		w->buf[w->len++] = b;
	w->total++;
}

static void reset_buf(struct wedge *w)
{
	w->len = 0;
	w->total = 0;
}

/* Delivers the held bytes as a scan, or an error if too long. */
static void emit_scan(struct wedge *w, uint64_t now)
{
	flush_keys(w, now);
	if (w->total > SCAN_DATA_MAX) {
		scan_event_init(&w->ev, SCAN_EV_ERROR, w->cfg.source, now);
		scan_event_set_data(&w->ev, w->buf, w->len);
		w->ev.total_len = w->total;
		w->ev.err = WH_ERR_INVALID;
		scan_event_msg(&w->ev, "scan of %zu bytes exceeds %d",
			       w->total, SCAN_DATA_MAX);
	} else {
		scan_event_init(&w->ev, SCAN_EV_SCAN, w->cfg.source, now);
		scan_event_set_data(&w->ev, w->buf, w->len);
		if (w->cfg.aim == SCANNER_AIM_AUTO)
			scan_event_split_aim(&w->ev);
	}
	reset_buf(w);
	emit(w);
}

/* A started scan that will not be terminated: hand over what we have. */
static void emit_unterminated(struct wedge *w, uint64_t now, const char *why)
{
	flush_keys(w, now);
	scan_event_init(&w->ev, SCAN_EV_ERROR, w->cfg.source, now);
	scan_event_set_data(&w->ev, w->buf, w->len);
	w->ev.total_len = w->total;
	w->ev.err = WH_ERR_INVALID;
	scan_event_msg(&w->ev, "unterminated scan of %zu bytes (%s)",
		       w->total, why);
	reset_buf(w);
	emit(w);
}

static void process(struct wedge *w, unsigned char b, uint64_t now,
		    bool allow_prefix);

/* The held prefix bytes were not a prefix: replay them as plain input. */
static void unwind_prefix(struct wedge *w, uint64_t when)
{
	size_t i, pm = w->pm;

	w->st = W_IDLE;
	w->pm = 0;
	for (i = 0; i < pm; i++)
		process(w, w->cfg.prefix[i], when, i > 0);
}

static bool gap_exceeded(const struct wedge *w, uint64_t now)
{
	return now > w->last && now - w->last > w->cfg.gap_ms;
}

static bool scan_timed_out(const struct wedge *w, uint64_t now)
{
	return w->cfg.scan_timeout_ms && now > w->last &&
	       now - w->last > w->cfg.scan_timeout_ms;
}

static void start_scan(struct wedge *w, uint64_t now)
{
	w->st = W_SCAN;
	reset_buf(w);
	w->last = now;
}

static void process_idle(struct wedge *w, unsigned char b, uint64_t now,
			 bool allow_prefix)
{
	if (allow_prefix && w->cfg.prefix_len && b == w->cfg.prefix[0]) {
		w->last = now;
		if (w->cfg.prefix_len == 1) {
			start_scan(w, now);
		} else {
			w->st = W_PREFIX;
			w->pm = 1;
		}
	} else if (is_term(w, b)) {
		if (!w->cfg.all_scans)
			key(w, b, now);
	} else if (w->cfg.all_scans) {
		start_scan(w, now);
		hold(w, b);
	} else if (w->cfg.min_burst) {
		w->st = W_BURST;
		reset_buf(w);
		hold(w, b);
		w->last = now;
	} else {
		key(w, b, now);
	}
}

static void process(struct wedge *w, unsigned char b, uint64_t now,
		    bool allow_prefix)
{
	switch (w->st) {
	case W_IDLE:
		process_idle(w, b, now, allow_prefix);
		return;
	case W_PREFIX:
		if (gap_exceeded(w, now)) {
			unwind_prefix(w, w->last);
			process(w, b, now, true);
		} else if (b == w->cfg.prefix[w->pm]) {
			w->last = now;
			if (++w->pm == w->cfg.prefix_len) {
				w->pm = 0;
				start_scan(w, now);
			}
		} else {
			unwind_prefix(w, now);
			process(w, b, now, true);
		}
		return;
	case W_SCAN:
		if (scan_timed_out(w, now)) {
			w->st = W_IDLE;
			emit_unterminated(w, now, "timed out");
			process(w, b, now, true);
		} else if (is_term(w, b)) {
			w->st = W_IDLE;
			if (w->total || !w->cfg.all_scans)
				emit_scan(w, now);
		} else {
			hold(w, b);
			w->last = now;
		}
		return;
	case W_BURST:
		if (gap_exceeded(w, now)) {
			w->st = W_IDLE;
			keys(w, w->buf, w->len, w->last);
			reset_buf(w);
			process(w, b, now, true);
		} else if (is_term(w, b)) {
			w->st = W_IDLE;
			if (w->total >= w->cfg.min_burst) {
				emit_scan(w, now);
			} else {
				keys(w, w->buf, w->len, now);
				reset_buf(w);
				key(w, b, now);
			}
		} else if (allow_prefix && w->cfg.prefix_len &&
			   b == w->cfg.prefix[0]) {
			w->st = W_IDLE;
			keys(w, w->buf, w->len, now);
			reset_buf(w);
			process(w, b, now, true);
		} else if (w->len == sizeof(w->buf)) {
			/* Too long for a scan: a paste. Type it all. */
			w->st = W_TYPING;
			keys(w, w->buf, w->len, now);
			reset_buf(w);
			key(w, b, now);
			w->last = now;
		} else {
			hold(w, b);
			w->last = now;
		}
		return;
	case W_TYPING:
		if (gap_exceeded(w, now)) {
			w->st = W_IDLE;
			process(w, b, now, true);
		} else {
			key(w, b, now);
			w->last = now;
		}
		return;
	}
}

static void begin(struct wedge *w, wedge_cb cb, void *arg)
{
	w->cb = cb;
	w->arg = arg;
}

void wedge_feed(struct wedge *w, const unsigned char *bytes, size_t n,
		uint64_t now_ms, wedge_cb cb, void *arg)
{
	size_t i;

	begin(w, cb, arg);
	for (i = 0; i < n; i++)
		process(w, bytes[i], now_ms, true);
	flush_keys(w, now_ms);
}

uint64_t wedge_deadline(const struct wedge *w)
{
	switch (w->st) {
	case W_PREFIX:
	case W_BURST:
		return w->last + w->cfg.gap_ms + 1;
	case W_SCAN:
		if (w->cfg.scan_timeout_ms)
			return w->last + w->cfg.scan_timeout_ms + 1;
		return UINT64_MAX;
	case W_IDLE:
	case W_TYPING:
		break;
	}
	return UINT64_MAX;
}

void wedge_tick(struct wedge *w, uint64_t now_ms, wedge_cb cb, void *arg)
{
	begin(w, cb, arg);
	/* Unwinding a prefix may leave a burst that is itself due. */
	while (wedge_deadline(w) <= now_ms) {
		switch (w->st) {
		case W_PREFIX:
			unwind_prefix(w, w->last);
			break;
		case W_BURST:
			w->st = W_IDLE;
			keys(w, w->buf, w->len, w->last);
			reset_buf(w);
			break;
		case W_SCAN:
			w->st = W_IDLE;
			emit_unterminated(w, now_ms, "timed out");
			break;
		case W_IDLE:
		case W_TYPING:
			break;
		}
	}
	if (w->st == W_TYPING && gap_exceeded(w, now_ms))
		w->st = W_IDLE;
	flush_keys(w, now_ms);
}

void wedge_flush(struct wedge *w, uint64_t now_ms, wedge_cb cb, void *arg)
{
	begin(w, cb, arg);
	switch (w->st) {
	case W_PREFIX:
		unwind_prefix(w, now_ms);
		wedge_flush(w, now_ms, cb, arg);
		return;
	case W_BURST:
		keys(w, w->buf, w->len, now_ms);
		reset_buf(w);
		break;
	case W_SCAN:
		if (w->total)
			emit_unterminated(w, now_ms, "input ended");
		break;
	case W_IDLE:
	case W_TYPING:
		break;
	}
	w->st = W_IDLE;
	flush_keys(w, now_ms);
}
