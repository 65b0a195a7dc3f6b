/*
 * scr_summary.c - the stock summary screen. See scr_summary.h.
 */
#include "ui/scr_summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/text.h"

#define NFIG 10
#define WIDE_LABEL 24
#define WIDE_COL 14

enum summary_action {
	ACT_NEXT = 1,
	ACT_PREV,
	ACT_REFRESH,
	ACT_CLOSE,
};

static const struct ui_key_binding summary_keys[] = {
	{ UI_KEY_ESC, N_("Back"), ACT_CLOSE },
	{ UI_KEY_TAB, N_("Next"), ACT_NEXT },
	{ 'r', N_("Refresh"), ACT_REFRESH },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 'q', NULL, ACT_CLOSE },
	{ UI_KEY_PGDN, NULL, ACT_NEXT },
	{ UI_KEY_RIGHT, NULL, ACT_NEXT },
	{ UI_KEY_DOWN, NULL, ACT_NEXT },
	{ UI_KEY_PGUP, NULL, ACT_PREV },
	{ UI_KEY_LEFT, NULL, ACT_PREV },
	{ UI_KEY_UP, NULL, ACT_PREV },
	{ 0 },
};

static const char *const fig_labels[NFIG] = {
	N_("Bins"),          N_("SKUs in stock"),     N_("Units on hand"),
	N_("Allocated"),     N_("Quarantined"),       N_("Lots expired"),
	N_("Lots near ship-by"), N_("SKUs below safety"), N_("Open orders"),
	N_("Exceptions"),
};

struct summary {
	struct stock_summary *s; /* NULL until the first answer */
	bool loading;
	char err[WH_ERROR_MSG_MAX]; /* last refresh error, sanitised */
	int page;
	int h; /* terminal height known to event(); 0 unknown */
};

static void *summary_init(const void *params, struct wh_error *e)
{
	struct summary *v = calloc(1, sizeof(*v));

	(void)params;
	if (!v)
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	return v;
}

static void summary_free(void *state)
{
	struct summary *v = state;

	if (!v)
		return;
	free(v->s);
	free(v);
}

static void figures_of(const struct warehouse_summary *w, long out[NFIG])
{
	long v[NFIG] = { w->bins,         w->skus,         w->on_hand,
			 w->allocated,    w->quarantined,  w->lots_expired,
			 w->lots_near,    w->below_safety, w->orders_open,
			 w->orders_exception };

	memcpy(out, v, sizeof(v));
}

/* Figures one page holds at height h (title, name, status, key bar). */
static int per_page(int h)
{
	int n = h > 0 ? h - 4 : NFIG;

	if (n < 1)
		n = 1;
	return n > NFIG ? NFIG : n;
}

static int pages_per_wh(int h)
{
	int per = per_page(h);

	return (NFIG + per - 1) / per;
}

int summary_pages(const void *state, int h)
{
	const struct summary *v = state;

	if (!v->s || v->s->nwarehouses < 1)
		return 1;
	return v->s->nwarehouses * pages_per_wh(h);
}

int summary_page(const void *state)
{
	return ((const struct summary *)state)->page;
}

static void sanitise_copy(char *dst, size_t cap, const char *src)
{
	char *s = text_sanitize(src, strnlen(src, cap), 0);

	snprintf(dst, cap, "%s", s ? s : "?");
	free(s);
}

static unsigned on_result(struct summary *v, const struct ui_db_result *db)
{
	const struct stock_summary *in = db->result;
	struct stock_summary *s;
	int i;

	if (db->tag != SUMMARY_TAG)
		return UI_IGNORED;
	v->loading = false;
	if (db->err != WH_OK || !in) {
		sanitise_copy(v->err, sizeof(v->err),
			      db->msg && db->msg[0] ? db->msg
						    : _("Database error"));
		return UI_HANDLED | UI_REDRAW;
	}
	s = malloc(sizeof(*s));
	if (!s) {
		snprintf(v->err, sizeof(v->err), "%s", _("Out of memory"));
		return UI_HANDLED | UI_REDRAW;
	}
	*s = *in;
	if (s->nwarehouses > SUMMARY_MAX_WAREHOUSES)
		s->nwarehouses = SUMMARY_MAX_WAREHOUSES;
	if (s->nwarehouses < 0)
		s->nwarehouses = 0;
	for (i = 0; i < s->nwarehouses; i++) {
		sanitise_copy(s->wh[i].code, sizeof(s->wh[i].code),
			      in->wh[i].code);
		sanitise_copy(s->wh[i].name, sizeof(s->wh[i].name),
			      in->wh[i].name);
	}
	sanitise_copy(s->server, sizeof(s->server), in->server);
	sanitise_copy(s->database, sizeof(s->database), in->database);
	sanitise_copy(s->schema_version, sizeof(s->schema_version),
		      in->schema_version);
	free(v->s);
	v->s = s;
	v->err[0] = '\0';
	if (v->page >= summary_pages(v, v->h))
		v->page = 0;
	return UI_HANDLED | UI_REDRAW;
}

static void refresh(struct summary *v, struct ui_effects *fx)
{
	struct ui_req *r;

	if (v->loading)
		return;
	r = ui_req_summary();
	if (!r) {
		snprintf(v->err, sizeof(v->err), "%s", _("Out of memory"));
		return;
	}
	v->loading = true;
	ui_fx_db_call(fx, SUMMARY_TAG, r, ui_req_free);
}

static unsigned summary_key(struct summary *v, int key, struct ui_effects *fx)
{
	int n = summary_pages(v, v->h);

	switch (keys_dispatch(summary_keys, key)) {
	case ACT_NEXT:
		v->page = (v->page + 1) % n;
		return UI_HANDLED | UI_REDRAW;
	case ACT_PREV:
		v->page = (v->page + n - 1) % n;
		return UI_HANDLED | UI_REDRAW;
	case ACT_REFRESH:
		refresh(v, fx);
		return UI_HANDLED | UI_REDRAW;
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	}
	return UI_IGNORED;
}

static unsigned summary_event(void *state, const struct ui_event *ev,
			      struct ui_effects *fx)
{
	struct summary *v = state;

	switch (ev->type) {
	case UI_EV_START:
		v->h = ev->size.h;
		refresh(v, fx);
		ui_fx_timer(fx, SUMMARY_TIMER, SUMMARY_REFRESH_MS, true);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESIZE:
		v->h = ev->size.h;
		if (v->page >= summary_pages(v, v->h))
			v->page = 0;
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_TIMER:
		if (ev->timer != SUMMARY_TIMER)
			return UI_IGNORED;
		refresh(v, fx);
		return UI_HANDLED;
	case UI_EV_DB_RESULT:
		return on_result(v, &ev->db);
	case UI_EV_KEY:
		return summary_key(v, ev->key, fx);
	case UI_EV_SCAN:
		ui_fx_beep(fx, false);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

/* "label ....... 123" in w columns at row y. */
static void draw_figure(struct canvas *c, int y, int w, const char *label,
			long value)
{
	char num[32];
	int nw;

	snprintf(num, sizeof(num), "%ld", value);
	nw = (int)strlen(num);
	canvas_text_aligned(c, 0, y, w - nw - 1 > 0 ? w - nw - 1 : 0,
			    UI_ROLE_NORMAL, TEXT_LEFT, label);
	canvas_text(c, w - nw, y, nw, UI_ROLE_NORMAL, num);
}

static void draw_wide(const struct summary *v, struct canvas *c, int y)
{
	const struct stock_summary *s = v->s;
	char line[64];
	int i, f;

	for (i = 0; i < s->nwarehouses; i++) {
		int x = WIDE_LABEL + WIDE_COL * i;

		canvas_text_aligned(c, x, y, WIDE_COL - 1, UI_ROLE_TITLE,
				    TEXT_RIGHT, s->wh[i].code);
		canvas_text_aligned(c, x, y + 1, WIDE_COL - 1, UI_ROLE_DIM,
				    TEXT_RIGHT, s->wh[i].name);
	}
	y += 2;
	for (f = 0; f < NFIG && y < c->h - 2; f++, y++) {
		canvas_text_aligned(c, 0, y, WIDE_LABEL - 1, UI_ROLE_NORMAL,
				    TEXT_LEFT, _(fig_labels[f]));
		for (i = 0; i < s->nwarehouses; i++) {
			long fig[NFIG];

			figures_of(&s->wh[i], fig);
			snprintf(line, sizeof(line), "%ld", fig[f]);
			canvas_text_aligned(c, WIDE_LABEL + WIDE_COL * i, y,
					    WIDE_COL - 1, UI_ROLE_NORMAL,
					    TEXT_RIGHT, line);
		}
	}
}

static void draw_paged(const struct summary *v, struct canvas *c)
{
	const struct stock_summary *s = v->s;
	int ppw = pages_per_wh(c->h), per = per_page(c->h);
	int page = v->page % (s->nwarehouses * ppw);
	const struct warehouse_summary *w = &s->wh[page / ppw];
	int first = (page % ppw) * per, f, y = 2;
	char head[200];
	long fig[NFIG];

	snprintf(head, sizeof(head), "%s %s", w->code, w->name);
	canvas_status(c, 1, UI_ROLE_SELECTED, head, NULL);
	figures_of(w, fig);
	for (f = first; f < NFIG && f < first + per && y < c->h - 2; f++)
		draw_figure(c, y++, c->w, _(fig_labels[f]), fig[f]);
}

static void summary_draw(const void *state, struct canvas *c)
{
	const struct summary *v = state;
	const struct stock_summary *s = v->s;
	char right[32] = "";
	int pages = summary_pages(v, c->h);

	if (s && s->nwarehouses > 0 && pages > 1)
		snprintf(right, sizeof(right), "%d/%d",
			 v->page % pages + 1, pages);
	canvas_status(c, 0, UI_ROLE_TITLE, _("Stock summary"), right);
	if (!s) {
		canvas_text(c, 0, 2, -1, UI_ROLE_DIM, _("Loading..."));
	} else if (s->nwarehouses == 0) {
		canvas_text(c, 0, 2, -1, UI_ROLE_NORMAL, _("No warehouse yet."));
	} else if (c->w >= WIDE_LABEL + WIDE_COL * s->nwarehouses &&
		   c->h >= NFIG + 6) {
		char line[256];

		snprintf(line, sizeof(line), "%s  %s  %s", s->server,
			 s->database, s->schema_version);
		canvas_text(c, 0, 1, -1, UI_ROLE_DIM, line);
		draw_wide(v, c, 3);
	} else {
		draw_paged(v, c);
	}
	if (v->err[0])
		canvas_status(c, c->h - 2, UI_ROLE_STATUS_ERR, v->err, NULL);
	else if (v->loading && s)
		canvas_status(c, c->h - 2, UI_ROLE_DIM, _("Refreshing..."),
			      NULL);
	keys_bar_draw(c, c->h - 1, summary_keys);
}

const struct ui_screen_ops scr_summary = {
	.name = "summary",
	.init = summary_init,
	.event = summary_event,
	.draw = summary_draw,
	.free = summary_free,
};
