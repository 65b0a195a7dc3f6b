/*
 * scr_lookup.c - the stock lookup screen. See scr_lookup.h.
 */
#include "ui/scr_lookup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/lookup.h"
#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/text.h"

enum lookup_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
	ACT_NEXT,
	ACT_PREV,
	ACT_SUMMARY,
};

static const struct ui_key_binding query_keys[] = {
	{ UI_KEY_ENTER, N_("Look up"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(2), N_("Summary"), ACT_SUMMARY },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding result_keys[] = {
	{ UI_KEY_PGDN, N_("More"), ACT_NEXT },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_ENTER, NULL, ACT_OK },
	{ UI_KEY_DOWN, NULL, ACT_NEXT },
	{ UI_KEY_UP, NULL, ACT_PREV },
	{ UI_KEY_PGUP, NULL, ACT_PREV },
	{ UI_KEY_F(2), NULL, ACT_SUMMARY },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

struct lookup {
	enum lookup_state state;
	int pending;
	struct gs1_date today;
	int w, h; /* the terminal's last known size, for paging */
	char query[FLOOR_CODE_MAX + 1];
	struct lookup_stock res; /* strings sanitised */
	int page;
	struct floor_input in;
	struct floor_msg msg;
};

static void *lookup_init(const void *params, struct wh_error *e)
{
	const struct lookup_params *p = params;
	struct lookup *v = calloc(1, sizeof(*v));

	if (!v) {
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (p)
		v->today = p->today;
	if (v->today.year < 1000) {
		v->today.year = 2000;
		v->today.month = 1;
		v->today.day = 1;
	}
	v->w = 20;
	v->h = 16;
	return v;
}

static void lookup_free(void *state)
{
	free(state);
}

/* --- paging ---------------------------------------------------------- */

struct geometry {
	int top;      /* first list row */
	int lines;    /* rows of one entry */
	int per_page; /* entries on a page */
	bool table;   /* one row per entry with a header (80 columns) */
};

static struct geometry geometry_of(int w, int h)
{
	struct geometry g = { .top = 3, .lines = 2 };
	int rows;

	if (w >= 60) {
		g.table = true;
		g.top = 4; /* the header is row 3 */
	}
	if (w >= 40)
		g.lines = 1;
	/* the input, the message and the key bar below the list */
	rows = h - 3 - g.top;
	g.per_page = rows / g.lines;
	if (g.per_page < 1)
		g.per_page = 1;
	return g;
}

int lookup_pages(const void *state, int w, int h)
{
	const struct lookup *v = state;
	struct geometry g = geometry_of(w, h);
	int n = v->state == LK_RESULT ? v->res.n : 0;

	return n <= 0 ? 1 : (n + g.per_page - 1) / g.per_page;
}

/* --- requests and answers -------------------------------------------- */

static void ask(struct lookup *v, struct ui_effects *fx, const char *query)
{
	struct ui_req *r = ui_req_stock(query);

	if (!r) {
		floor_msg_set(&v->msg, true, "%s", _("Out of memory"));
		ui_fx_beep(fx, false);
		return;
	}
	snprintf(v->query, sizeof(v->query), "%s", query);
	v->state = LK_LOADING;
	v->pending = LK_TAG_STOCK;
	floor_msg_clear(&v->msg);
	ui_fx_db_call(fx, LK_TAG_STOCK, r, ui_req_free);
}

static void keep(struct lookup *v, const struct lookup_stock *s)
{
	int i;

	v->res = *s;
	if (v->res.n < 0 || v->res.n > LOOKUP_MAX_ROWS)
		v->res.n = 0;
	floor_copy(v->res.title, sizeof(v->res.title), s->title);
	for (i = 0; i < v->res.n; i++) {
		struct lookup_stock_row *d = &v->res.row[i];
		const struct lookup_stock_row *o = &s->row[i];

		floor_copy(d->location, sizeof(d->location), o->location);
		floor_copy(d->location_kind, sizeof(d->location_kind),
			   o->location_kind);
		floor_copy(d->sku_code, sizeof(d->sku_code), o->sku_code);
		floor_copy(d->sku_name, sizeof(d->sku_name), o->sku_name);
		floor_copy(d->lot, sizeof(d->lot), o->lot);
		floor_copy(d->expiry, sizeof(d->expiry), o->expiry);
	}
}

static unsigned on_stock(struct lookup *v, const struct ui_db_result *db,
			 struct ui_effects *fx)
{
	const struct lookup_stock *s = db->result;

	if (!v->pending || db->tag != v->pending)
		return UI_IGNORED;
	v->pending = 0;
	if (db->err != WH_OK || !s) {
		v->state = LK_QUERY;
		floor_msg_db(&v->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (s->kind == LOOKUP_NONE) {
		v->state = LK_QUERY;
		floor_msg_set(&v->msg, true, _("Nothing known as %s"),
			      v->query);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	keep(v, s);
	v->page = 0;
	v->state = LK_RESULT;
	if (v->res.n == 0)
		floor_msg_set(&v->msg, false, "%s", _("No stock"));
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

/* --- input ----------------------------------------------------------- */

static unsigned take(struct lookup *v, const struct floor_scan *s,
		     struct ui_effects *fx)
{
	if (!s->code[0]) {
		floor_msg_set(&v->msg, true, "%s", _("Not a readable code"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	/* a GS1 scan names the item: every lot of it is shown */
	ask(v, fx, s->code);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned submit(struct lookup *v, struct ui_effects *fx)
{
	struct floor_scan s;

	if (floor_input_empty(&v->in)) {
		if (v->state == LK_RESULT) {
			v->state = LK_QUERY;
			floor_msg_clear(&v->msg);
			return UI_HANDLED | UI_REDRAW;
		}
		return UI_HANDLED;
	}
	if (!floor_scan_parse((const unsigned char *)v->in.s, strlen(v->in.s),
			      true, &v->today, &s)) {
		floor_msg_set(&v->msg, true, "%s", _("Not a readable code"));
		floor_input_clear(&v->in);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_input_clear(&v->in);
	return take(v, &s, fx);
}

static const struct ui_key_binding *keys_of(const struct lookup *v)
{
	return v->state == LK_RESULT ? result_keys : query_keys;
}

static unsigned lookup_key(struct lookup *v, int key, struct ui_effects *fx)
{
	int act = keys_dispatch(keys_of(v), key);
	int pages;

	if (v->pending) {
		if (act == ACT_CLOSE)
			ui_fx_pop(fx);
		return UI_HANDLED;
	}
	switch (act) {
	case ACT_OK:
		return submit(v, fx);
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	case ACT_SUMMARY:
		ui_fx_push(fx, LOOKUP_SCREEN_SUMMARY, 0);
		return UI_HANDLED;
	case ACT_BACK:
		if (!floor_input_empty(&v->in)) {
			floor_input_clear(&v->in);
		} else if (v->state == LK_RESULT) {
			v->state = LK_QUERY;
			floor_msg_clear(&v->msg);
		} else {
			ui_fx_pop(fx);
		}
		return UI_HANDLED | UI_REDRAW;
	case ACT_NEXT:
		pages = lookup_pages(v, v->w, v->h);
		if (v->page + 1 < pages)
			v->page++;
		else
			ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	case ACT_PREV:
		if (v->page > 0)
			v->page--;
		else
			ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	return floor_input_key(&v->in, key, fx) ? UI_HANDLED | UI_REDRAW
						 : UI_IGNORED;
}

static unsigned lookup_event(void *state, const struct ui_event *ev,
			     struct ui_effects *fx)
{
	struct lookup *v = state;
	struct floor_scan s;
	int pages;

	switch (ev->type) {
	case UI_EV_START:
	case UI_EV_RESIZE:
		if (ev->size.w > 0 && ev->size.h > 0) {
			v->w = ev->size.w;
			v->h = ev->size.h;
		}
		pages = lookup_pages(v, v->w, v->h);
		if (v->page >= pages)
			v->page = pages - 1;
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESUME:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_stock(v, &ev->db, fx);
	case UI_EV_KEY:
		return lookup_key(v, ev->key, fx);
	case UI_EV_SCAN:
		if (v->pending) {
			ui_fx_beep(fx, false);
			return UI_HANDLED;
		}
		if (!floor_read_scan(&ev->scan, &v->today, &v->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		floor_input_clear(&v->in);
		return take(v, &s, fx);
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

static void qty_text(char *buf, size_t n, const struct lookup_stock_row *r)
{
	snprintf(buf, n, "%" PRId64 "/%" PRId64 "/%" PRId64, r->on_hand,
		 r->allocated, r->on_hand - r->allocated);
}

/* What a row is named by: the SKU for a bin query, else the bin. */
static const char *where_of(const struct lookup *v,
			    const struct lookup_stock_row *r)
{
	return v->res.kind == LOOKUP_LOCATION ? r->sku_code : r->location;
}

static void draw_entry(const struct lookup *v, struct canvas *c,
		       const struct geometry *g, int y,
		       const struct lookup_stock_row *r)
{
	char qty[80], line[200];
	int qw;

	qty_text(qty, sizeof(qty), r);
	qw = text_width(qty);
	if (g->table) {
		char oh[24], al[24], av[24];

		snprintf(oh, sizeof(oh), "%" PRId64, r->on_hand);
		snprintf(al, sizeof(al), "%" PRId64, r->allocated);
		snprintf(av, sizeof(av), "%" PRId64,
			 r->on_hand - r->allocated);
		canvas_text(c, 0, y, 12, UI_ROLE_NORMAL, r->location);
		canvas_text(c, 13, y, 16, UI_ROLE_NORMAL, r->sku_code);
		canvas_text(c, 30, y, 12, UI_ROLE_NORMAL,
			    r->lot[0] ? r->lot : "-");
		canvas_text(c, 43, y, 10, UI_ROLE_NORMAL,
			    r->expiry[0] ? r->expiry : "-");
		canvas_text_aligned(c, 54, y, 8, UI_ROLE_NORMAL, TEXT_RIGHT,
				    oh);
		canvas_text_aligned(c, 63, y, 8, UI_ROLE_NORMAL, TEXT_RIGHT,
				    al);
		canvas_text_aligned(c, 72, y, 8, UI_ROLE_NORMAL, TEXT_RIGHT,
				    av);
		return;
	}
	if (g->lines == 1) {
		snprintf(line, sizeof(line), "%s %s %s", where_of(v, r),
			 r->lot[0] ? r->lot : "-",
			 r->expiry[0] ? r->expiry : "");
		canvas_text(c, 0, y, c->w - qw - 1, UI_ROLE_NORMAL, line);
		canvas_text_aligned(c, c->w - qw, y, qw, UI_ROLE_NORMAL,
				    TEXT_RIGHT, qty);
		return;
	}
	canvas_text(c, 0, y, c->w - qw - 1, UI_ROLE_NORMAL, where_of(v, r));
	canvas_text_aligned(c, c->w - qw, y, qw, UI_ROLE_NORMAL, TEXT_RIGHT,
			    qty);
	snprintf(line, sizeof(line), " %s %s", r->lot[0] ? r->lot : "-",
		 r->expiry);
	canvas_text(c, 0, y + 1, c->w, UI_ROLE_DIM, line);
}

static void draw_result(const struct lookup *v, struct canvas *c,
			int page, int last)
{
	struct geometry g = geometry_of(c->w, c->h);
	char line[200], tot[80];
	int i, y;

	canvas_text(c, 0, 1, c->w, UI_ROLE_SELECTED, v->res.title);
	snprintf(tot, sizeof(tot), "%" PRId64 "/%" PRId64 "/%" PRId64,
		 v->res.on_hand, v->res.allocated,
		 v->res.on_hand - v->res.allocated);
	snprintf(line, sizeof(line), _("Total %s (on hand/alloc/avail)"),
		 tot);
	canvas_text(c, 0, 2, c->w, UI_ROLE_DIM, line);
	if (g.table) {
		canvas_text(c, 0, 3, 12, UI_ROLE_DIM, _("Location"));
		canvas_text(c, 13, 3, 16, UI_ROLE_DIM, _("SKU"));
		canvas_text(c, 30, 3, 12, UI_ROLE_DIM, _("Lot"));
		canvas_text(c, 43, 3, 10, UI_ROLE_DIM, _("Expiry"));
		canvas_text_aligned(c, 54, 3, 8, UI_ROLE_DIM, TEXT_RIGHT,
				    _("On hand"));
		canvas_text_aligned(c, 63, 3, 8, UI_ROLE_DIM, TEXT_RIGHT,
				    _("Alloc"));
		canvas_text_aligned(c, 72, 3, 8, UI_ROLE_DIM, TEXT_RIGHT,
				    _("Avail"));
	}
	y = g.top;
	for (i = page * g.per_page;
	     i < v->res.n && i < (page + 1) * g.per_page &&
	     y + g.lines - 1 <= last;
	     i++, y += g.lines)
		draw_entry(v, c, &g, y, &v->res.row[i]);
}

static void lookup_draw(const void *state, struct canvas *c)
{
	const struct lookup *v = state;
	int pages = lookup_pages(v, c->w, c->h);
	int page = v->page < pages ? v->page : pages - 1;
	int in = c->h - 3;
	char right[32] = "";
	const char *hint = NULL;

	if (v->state == LK_RESULT && pages > 1)
		snprintf(right, sizeof(right), "%d/%d", page + 1, pages);
	canvas_status(c, 0, UI_ROLE_TITLE, _("Stock lookup"), right);
	if (v->state == LK_RESULT) {
		draw_result(v, c, page, in - 1);
		if (page + 1 < pages)
			hint = _("Down: more");
		else if (v->res.more)
			hint = _("More rows: narrow the search");
	} else if (v->state == LK_LOADING) {
		canvas_text(c, 0, 1, -1, UI_ROLE_DIM, _("Loading..."));
	} else {
		floor_wrap(c, 0, 1, c->w, in - 1, UI_ROLE_DIM,
			   _("Scan or type a SKU, barcode, bin or lot."));
	}
	floor_draw_input(c, in, &v->in,
			 v->state == LK_RESULT ? _("Scan to look up again")
					       : _("SKU, bin or lot"));
	floor_draw_msg(c, c->h - 2, 1, &v->msg, hint);
	keys_bar_draw(c, c->h - 1, keys_of(v));
}

enum lookup_state lookup_state_of(const void *state)
{
	return ((const struct lookup *)state)->state;
}

const char *lookup_message(const void *state)
{
	return ((const struct lookup *)state)->msg.text;
}

int lookup_page(const void *state)
{
	return ((const struct lookup *)state)->page;
}

const struct ui_screen_ops scr_lookup = {
	.name = "lookup",
	.init = lookup_init,
	.event = lookup_event,
	.draw = lookup_draw,
	.free = lookup_free,
};
