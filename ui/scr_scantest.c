/*
 * scr_scantest.c - the scanner test screen. See scr_scantest.h.
 */
#include "ui/scr_scantest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/scan_classify.h"
#include "drivers/scanner/scan_format.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/text.h"

#define KEYBOARD_GS "<GS>"

enum scantest_action {
	ACT_SUBMIT = 1,
	ACT_CLEAR,
	ACT_CLOSE,
	ACT_ERASE,
};

static const struct ui_key_binding scantest_keys[] = {
	{ UI_KEY_ENTER, N_("Scan"), ACT_SUBMIT },
	{ UI_KEY_ESC, N_("Back"), ACT_CLEAR },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ UI_KEY_BACKSPACE, NULL, ACT_ERASE },
	{ 0 },
};

struct scantest {
	struct gs1_date today;
	char input[SCANTEST_INPUT_MAX + 1];
	unsigned long count;
	char *latest;                    /* details of the latest scan */
	char *history[SCANTEST_HISTORY]; /* one-liners, newest first */
};

/* A growing '\n'-separated text; on ENOMEM it stays NULL. */
struct buf {
	char *s;
	size_t len;
	bool failed;
};

static void add(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;
	char *p;

	if (b->failed)
		return;
	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || !(p = realloc(b->s, b->len + (size_t)k + 2))) {
		b->failed = true;
		return;
	}
	b->s = p;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)k;
	b->s[b->len++] = '\n';
	b->s[b->len] = '\0';
}

static void describe_gs1(struct buf *b, const struct gs1_result *r)
{
	struct scan_class sc;
	struct wh_error e = { 0 };
	size_t i;

	add(b, "%s %s", _("Form:"), gs1_form_name(r->form));
	if (r->symbol)
		add(b, "%s %s", _("Symbol:"), r->symbol);
	if (scan_classify(r, &scan_rules_default, &sc, &e) == WH_OK) {
		add(b, "%s %s", _("Class:"), scan_class_kind_name(sc.kind));
		if (sc.code_len && r->form == GS1_FORM_PLAIN) {
			char *code = text_sanitize(sc.code, sc.code_len, 0);

			add(b, "%s %s", _("Code:"), code ? code : "?");
			free(code);
		}
	} else {
		add(b, "%s %s", _("Class:"), e.msg);
	}
	for (i = 0; i < r->count; i++) {
		const struct gs1_element *el = &r->el[i];
		char *v = text_sanitize(el->typed[0] ? el->typed : el->raw,
					strlen(el->typed[0] ? el->typed
							    : el->raw), 0);

		add(b, "(%s) %s", el->ai, v ? v : "?");
		free(v);
	}
}

char *scantest_describe(const struct ui_scan *scan,
			const struct gs1_date *today, unsigned long seq)
{
	struct gs1_result *r = malloc(sizeof(*r));
	struct gs1_options opt;
	struct wh_error e = { 0 };
	struct buf b = { 0 };
	size_t need;
	char *vis;

	if (!r)
		return NULL;
	need = scan_format_visible(scan->data, scan->len, NULL, 0) + 1;
	vis = malloc(need);
	if (!vis) {
		free(r);
		return NULL;
	}
	scan_format_visible(scan->data, scan->len, vis, need);
	add(&b, "#%lu %s %s %s", seq,
	    scan->source && scan->source[0] ? scan->source : "?",
	    _("AIM"), scan->aim[0] ? scan->aim : "-");
	add(&b, "%s %s", _("Raw:"), vis);
	gs1_options_init(&opt, today->year, today->month, today->day);
	if (scan->aim[0])
		opt.aim = scan->aim;
	if (scan->source && strcmp(scan->source, "keyboard") == 0)
		opt.gs_subst = KEYBOARD_GS;
	if (gs1_parse((const char *)scan->data, scan->len, &opt, r, &e) ==
	    WH_OK) {
		describe_gs1(&b, r);
	} else {
		char *m = text_sanitize(e.msg, strlen(e.msg), 0);

		add(&b, "%s %s", _("GS1 error:"), m ? m : "?");
		free(m);
	}
	free(vis);
	free(r);
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static void *scantest_init(const void *params, struct wh_error *e)
{
	const struct scantest_params *p = params;
	struct scantest *t = calloc(1, sizeof(*t));

	if (!t) {
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (p)
		t->today = p->today;
	if (t->today.year < 1000) {
		t->today.year = 2000;
		t->today.month = 1;
		t->today.day = 1;
	}
	return t;
}

static void scantest_free(void *state)
{
	struct scantest *t = state;
	size_t i;

	if (!t)
		return;
	free(t->latest);
	for (i = 0; i < SCANTEST_HISTORY; i++)
		free(t->history[i]);
	free(t);
}

/* The first two lines of details as one line, for the history. */
static char *one_liner(const char *details)
{
	const char *nl = strchr(details, '\n');
	const char *nl2 = nl ? strchr(nl + 1, '\n') : NULL;
	size_t n = nl2 ? (size_t)(nl2 - details) : strlen(details);
	char *s = malloc(n + 1);
	size_t i;

	if (!s)
		return NULL;
	memcpy(s, details, n);
	s[n] = '\0';
	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			s[i] = ' ';
	return s;
}

static unsigned take_scan(struct scantest *t, const struct ui_scan *scan,
			  struct ui_effects *fx)
{
	char *d = scantest_describe(scan, &t->today, t->count + 1);
	size_t i;

	if (!d) {
		ui_fx_beep(fx, false);
		return UI_HANDLED;
	}
	t->count++;
	if (t->latest) {
		char *h = one_liner(t->latest);

		free(t->history[SCANTEST_HISTORY - 1]);
		for (i = SCANTEST_HISTORY - 1; i > 0; i--)
			t->history[i] = t->history[i - 1];
		t->history[0] = h;
	}
	free(t->latest);
	t->latest = d;
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned scantest_key(struct scantest *t, int key,
			     struct ui_effects *fx)
{
	struct ui_scan scan = { .source = "keyboard" };
	size_t len = strlen(t->input);
	unsigned flags;
	char enc[4];
	size_t n;

	switch (keys_dispatch(scantest_keys, key)) {
	case ACT_SUBMIT:
		if (!len)
			return UI_HANDLED;
		scan.data = (const unsigned char *)t->input;
		scan.len = len;
		flags = take_scan(t, &scan, fx);
		t->input[0] = '\0';
		return flags | UI_REDRAW;
	case ACT_CLEAR:
		if (!len) {
			ui_fx_pop(fx);
			return UI_HANDLED;
		}
		t->input[0] = '\0';
		return UI_HANDLED | UI_REDRAW;
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	case ACT_ERASE:
		while (len > 0) {
			unsigned char c = (unsigned char)t->input[--len];

			t->input[len] = '\0';
			if ((c & 0xC0) != 0x80)
				break;
		}
		return UI_HANDLED | UI_REDRAW;
	}
	if (key < 0x20 || key >= UI_KEY_BASE ||
	    !text_cp_displayable((uint32_t)key))
		return UI_IGNORED;
	n = text_encode((uint32_t)key, enc);
	if (!n || len + n > SCANTEST_INPUT_MAX) {
		ui_fx_beep(fx, false);
		return UI_HANDLED;
	}
	memcpy(t->input + len, enc, n);
	t->input[len + n] = '\0';
	return UI_HANDLED | UI_REDRAW;
}

static unsigned scantest_event(void *state, const struct ui_event *ev,
			       struct ui_effects *fx)
{
	struct scantest *t = state;

	switch (ev->type) {
	case UI_EV_SCAN:
		return take_scan(t, &ev->scan, fx);
	case UI_EV_KEY:
		return scantest_key(t, ev->key, fx);
	default:
		return UI_IGNORED;
	}
}

/* Draws s wrapped to c->w from row y, up to row last; returns next row. */
static int draw_wrapped(struct canvas *c, int y, int last, const char *s,
			enum ui_role role)
{
	struct text_lines l;
	size_t i;

	if (text_wrap(s, c->w, c->ascii ? TEXT_ASCII : 0, &l) != WH_OK)
		return y;
	for (i = 0; i < l.n && y <= last; i++)
		canvas_text(c, 0, y++, -1, role, l.line[i]);
	text_lines_free(&l);
	return y;
}

static void scantest_draw(const void *state, struct canvas *c)
{
	const struct scantest *t = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int y = 1, last = c->h - 4, in = c->h - 3, i, tw;
	char count[32];
	const char *p = t->input;

	snprintf(count, sizeof(count), "%lu", t->count);
	canvas_status(c, 0, UI_ROLE_TITLE, _("Scanner test"), count);
	if (c->h < 10) { /* 40x8: no room for a separate input row */
		in = c->h - 2;
		last = c->h - 3;
	}
	if (!t->latest)
		y = draw_wrapped(c, y, last,
				 _("Scan a barcode, or type one and press "
				   "Enter."), UI_ROLE_DIM);
	else
		y = draw_wrapped(c, y, last, t->latest, UI_ROLE_NORMAL);
	if (lay == UI_LAYOUT_DESK || lay == UI_LAYOUT_WIDE) {
		if (t->history[0] && y < last) {
			canvas_hline(c, 0, y++, c->w, UI_ROLE_DIM);
			for (i = 0; i < SCANTEST_HISTORY && t->history[i] &&
				    y <= last; i++)
				canvas_text(c, 0, y++, -1, UI_ROLE_DIM,
					    t->history[i]);
		}
	}
	canvas_fill(c, 0, in, c->w, 1, UI_ROLE_INPUT);
	canvas_text(c, 0, in, 2, UI_ROLE_INPUT, "> ");
	tw = text_width(p);
	while (tw > c->w - 3 && *p) { /* keep the end in view */
		uint32_t cp;
		size_t n = text_decode(p, strlen(p), &cp);
		int cw = text_cp_width(cp);

		tw -= cw > 0 ? cw : 0;
		p += n;
	}
	canvas_text(c, 2, in, c->w - 2, UI_ROLE_INPUT, p);
	canvas_cursor(c, 2 + tw, in);
	if (c->h >= 10)
		canvas_status(c, c->h - 2, UI_ROLE_STATUS_OK,
			      _("Type a scan, Enter"), NULL);
	keys_bar_draw(c, c->h - 1, scantest_keys);
}

unsigned long scantest_count(const void *state)
{
	return ((const struct scantest *)state)->count;
}

const char *scantest_latest(const void *state)
{
	const struct scantest *t = state;

	return t->latest ? t->latest : "";
}

const struct ui_screen_ops scr_scantest = {
	.name = "scantest",
	.init = scantest_init,
	.event = scantest_event,
	.draw = scantest_draw,
	.free = scantest_free,
};
