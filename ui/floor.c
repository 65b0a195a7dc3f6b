/*
 * floor.c - shared parts of the floor screens. See floor.h.
 */
#include "ui/floor.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "db/engine.h"
#include "ui/i18n.h"
#include "ui/refusal.h"
#include "ui/req.h"
#include "ui/keys.h"
#include "ui/text.h"

#define KEYBOARD_GS "<GS>"

bool floor_input_key(struct floor_input *in, int key, struct ui_effects *fx)
{
	size_t len = strlen(in->s), n;
	char enc[4];

	if (key == UI_KEY_BACKSPACE) {
		while (len > 0) {
			unsigned char c = (unsigned char)in->s[--len];

			in->s[len] = '\0';
			if ((c & 0xC0) != 0x80)
				break;
		}
		return true;
	}
	if (key < 0x20 || key >= UI_KEY_BASE ||
	    !text_cp_displayable((uint32_t)key))
		return false;
	n = text_encode((uint32_t)key, enc);
	if (!n || len + n > FLOOR_INPUT_MAX) {
		ui_fx_beep(fx, false);
		return true;
	}
	memcpy(in->s + len, enc, n);
	in->s[len + n] = '\0';
	return true;
}

void floor_input_clear(struct floor_input *in)
{
	in->s[0] = '\0';
}

bool floor_input_empty(const struct floor_input *in)
{
	return in->s[0] == '\0';
}

static void date_iso(const struct gs1_date *d, char out[11])
{
	snprintf(out, 11, "%04d-%02d-%02d", d->year % 10000, d->month % 100,
		 d->day % 100);
}

/* Plain text: printable ASCII only, spaces trimmed at both ends. */
static bool plain_code(const unsigned char *data, size_t len, char *out,
		       size_t cap)
{
	size_t i, a = 0, b = len;

	while (a < b && data[a] == ' ')
		a++;
	while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\r' ||
			 data[b - 1] == '\n'))
		b--;
	if (a == b || b - a >= cap)
		return false;
	for (i = a; i < b; i++)
		if (data[i] < 0x21 || data[i] > 0x7e)
			return false;
	memcpy(out, data + a, b - a);
	out[b - a] = '\0';
	return true;
}

bool floor_scan_parse(const unsigned char *data, size_t len, bool keyboard,
		      const struct gs1_date *today, struct floor_scan *out)
{
	struct gs1_result *r;
	struct gs1_options opt;
	struct scan_class *sc;
	struct wh_error e = { 0 };
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!data || !len)
		return false;
	r = malloc(sizeof(*r));
	sc = malloc(sizeof(*sc));
	if (!r || !sc)
		goto out;
	gs1_options_init(&opt, today->year, today->month, today->day);
	if (keyboard)
		opt.gs_subst = KEYBOARD_GS;
	if (gs1_parse((const char *)data, len, &opt, r, &e) == WH_OK &&
	    scan_classify(r, &scan_rules_default, sc, &e) == WH_OK &&
	    r->form != GS1_FORM_PLAIN && r->count > 0) {
		out->gs1 = true;
		out->kind = sc->kind;
		if (sc->gtin[0])
			snprintf(out->code, sizeof(out->code), "%s", sc->gtin);
		else if (sc->code_len && sc->code_len <= FLOOR_CODE_MAX &&
			 !memchr(sc->code, '\0', sc->code_len))
			snprintf(out->code, sizeof(out->code), "%s", sc->code);
		snprintf(out->lot, sizeof(out->lot), "%s", sc->lot);
		if (sc->has_expiry)
			date_iso(&sc->expiry, out->expiry);
		out->has_count = sc->has_count;
		out->count = (long)sc->count;
		ok = out->code[0] != '\0';
		/* a lot or date alone ("[10]L1") is a lot scan */
		if (!ok && out->lot[0])
			ok = true;
		goto out;
	}
	out->kind = SCAN_CLASS_UNKNOWN;
	ok = plain_code(data, len, out->code, sizeof(out->code));
out:
	if (!ok)
		memset(out, 0, sizeof(*out));
	free(r);
	free(sc);
	return ok;
}

void floor_msg_set(struct floor_msg *m, bool err, const char *fmt, ...)
{
	char buf[FLOOR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	floor_copy(m->text, sizeof(m->text), buf);
	m->err = err;
}

void floor_msg_clear(struct floor_msg *m)
{
	m->text[0] = '\0';
	m->err = false;
}

void floor_msg_db(struct floor_msg *m, const char *msg, const char *fallback)
{
	char tr[FLOOR_MSG_MAX];

	if (!msg || !msg[0]) {
		floor_msg_set(m, true, "%s", fallback);
		return;
	}
	if (refusal_translate(msg, tr, sizeof(tr))) {
		floor_copy(m->text, sizeof(m->text), tr);
		m->err = true;
		return;
	}
	/* not a format we know: the engine's English words */
	floor_copy(m->text, sizeof(m->text), refusal_words(msg));
	m->err = true;
}

void floor_copy(char *dst, size_t cap, const char *src)
{
	char *s;

	if (!cap)
		return;
	s = text_sanitize(src ? src : "", src ? strlen(src) : 0, 0);
	snprintf(dst, cap, "%s", s ? s : "?");
	free(s);
	/* never leave half a UTF-8 sequence at the cut */
	if (strlen(dst) == cap - 1) {
		size_t n = cap - 1;

		while (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)dst[n - 1] & 0x80))
			dst[n - 1] = '\0';
	}
}

bool floor_parse_qty(const char *s, long max, long *out)
{
	return s && s[0] && parse_long(s, 1, max, out);
}

static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool floor_parse_date(const char *s, char iso[11])
{
	long y, m, d;
	char b[5];
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) &&
	    digits(s + 5, 2) && digits(s + 8, 2)) {
		memcpy(b, s, 4);
		b[4] = '\0';
		y = strtol(b, NULL, 10);
		m = (s[5] - '0') * 10 + (s[6] - '0');
		d = (s[8] - '0') * 10 + (s[9] - '0');
	} else if (strlen(s) == 6 && digits(s, 6)) {
		y = 2000 + (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[2] - '0') * 10 + (s[3] - '0');
		d = (s[4] - '0') * 10 + (s[5] - '0');
	} else {
		return false;
	}
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0))
		return false;
	snprintf(iso, 11, "%04ld-%02ld-%02ld", y, m, d);
	return true;
}

int floor_wrap(struct canvas *c, int x, int y, int w, int maxlines,
	       enum ui_role role, const char *s)
{
	struct text_lines l;
	size_t i;
	int n = 0;

	if (w < 1 || maxlines < 1 ||
	    text_wrap(s, w, c->ascii ? TEXT_ASCII : 0, &l) != WH_OK)
		return 0;
	for (i = 0; i < l.n && n < maxlines; i++, n++)
		canvas_text(c, x, y + n, w, role, l.line[i]);
	text_lines_free(&l);
	return n;
}

void floor_draw_input(struct canvas *c, int y, const struct floor_input *in,
		      const char *hint)
{
	const char *p = in->s;
	int tw = text_width(p);

	canvas_fill(c, 0, y, c->w, 1, UI_ROLE_INPUT);
	canvas_text(c, 0, y, 2, UI_ROLE_INPUT, "> ");
	if (!p[0] && hint) {
		canvas_text(c, 2, y, c->w - 2, UI_ROLE_INPUT, hint);
		canvas_cursor(c, 2, y);
		return;
	}
	while (tw > c->w - 3 && *p) { /* keep the end in view */
		uint32_t cp;
		size_t n = text_decode(p, strlen(p), &cp);
		int cw = text_cp_width(cp);

		tw -= cw > 0 ? cw : 0;
		p += n;
	}
	canvas_text(c, 2, y, c->w - 2, UI_ROLE_INPUT, p);
	canvas_cursor(c, 2 + tw, y);
}

int floor_msg_rows(const struct canvas *c, const struct floor_msg *m,
		   int max)
{
	struct text_lines l;
	int n;

	if (!m->text[0] || max <= 1 || c->w < 1 ||
	    text_wrap(m->text, c->w, 0, &l) != WH_OK)
		return 1;
	n = (int)l.n;
	text_lines_free(&l);
	return n < 1 ? 1 : n > max ? max : n;
}

void floor_draw_msg(struct canvas *c, int y, int rows,
		    const struct floor_msg *m, const char *hint)
{
	enum ui_role role = m->err ? UI_ROLE_STATUS_ERR : UI_ROLE_STATUS_OK;
	struct text_lines l;
	size_t i;

	if (!m->text[0]) {
		if (hint)
			canvas_status(c, y + rows - 1, UI_ROLE_DIM, hint,
				      NULL);
		return;
	}
	if (rows <= 1 || text_wrap(m->text, c->w, c->ascii ? TEXT_ASCII : 0,
				   &l) != WH_OK) {
		canvas_status(c, y, role, m->text, NULL);
		return;
	}
	canvas_fill(c, 0, y, c->w, rows, role);
	for (i = 0; i < l.n && (int)i < rows; i++)
		canvas_text(c, 0, y + (int)i, c->w, role, l.line[i]);
	text_lines_free(&l);
}

void floor_draw_field(struct canvas *c, int x, int y, int w,
		      const char *label, const char *value)
{
	int lw = canvas_text(c, x, y, w, UI_ROLE_DIM, label);

	if (lw < w)
		canvas_text(c, x + lw + 1, y, w - lw - 1, UI_ROLE_NORMAL,
			    value);
}

void floor_call(struct floor_msg *m, int *pending, struct ui_effects *fx,
		int tag, struct ui_req *r)
{
	if (!r) {
		floor_msg_set(m, true, "%s", _("Out of memory"));
		ui_fx_beep(fx, false);
		return;
	}
	*pending = tag;
	ui_fx_db_call(fx, tag, r, ui_req_free);
}

void floor_new_op(char *op, size_t n)
{
	struct wh_error e = { 0 };

	if (engine_op_id(op, n, &e) != WH_OK && n)
		op[0] = '\0';
}

bool floor_needs_lot(const char *lot_control)
{
	return lot_control[0] && strcmp(lot_control, "none") != 0;
}

long floor_scan_units(int32_t pack_qty, bool has_count, long count)
{
	long pack = pack_qty > 0 ? pack_qty : 1;

	return pack * (has_count && count > 0 ? count : 1);
}

static bool unreadable(struct floor_msg *m, struct ui_effects *fx)
{
	floor_msg_set(m, true, "%s", _("Not a readable code"));
	ui_fx_beep(fx, false);
	return false;
}

bool floor_read_typed(struct floor_input *in, const struct gs1_date *today,
		      struct floor_msg *m, struct ui_effects *fx,
		      struct floor_scan *out)
{
	bool ok = floor_scan_parse((const unsigned char *)in->s, strlen(in->s),
				   true, today, out);

	floor_input_clear(in);
	return ok || unreadable(m, fx);
}

bool floor_read_scan(const struct ui_scan *scan, const struct gs1_date *today,
		     struct floor_msg *m, struct ui_effects *fx,
		     struct floor_scan *out)
{
	return floor_scan_parse(scan->data, scan->len, false, today, out) ||
	       unreadable(m, fx);
}
