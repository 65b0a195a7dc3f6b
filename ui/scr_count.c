/*
 * scr_count.c - the blind cycle count screen. See scr_count.h.
 */
#include "ui/scr_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/engine.h"
#include "db/lookup.h"
#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/text.h"

#define MAX_QTY 999999

enum count_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
	ACT_SUBMIT,
	ACT_UNDO,
};

static const struct ui_key_binding item_keys[] = {
	{ UI_KEY_F(2), N_("Submit"), ACT_SUBMIT },
	{ UI_KEY_F(3), N_("Undo"), ACT_UNDO },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_ENTER, NULL, ACT_OK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding work_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding confirm_keys[] = {
	{ UI_KEY_ENTER, N_("Submit"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding done_keys[] = {
	{ UI_KEY_ENTER, N_("Next bin"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

struct count {
	enum count_state state;
	int pending;
	struct gs1_date today;
	int64_t bin_id;
	char bin[LOOKUP_LOC_SIZE]; /* sanitised */
	char scanned[FLOOR_CODE_MAX + 1];
	struct lookup_code sku;    /* the item being counted, sanitised */
	char lot[LOOKUP_LOT_SIZE];
	bool has_count;
	long count;
	struct ui_count_line line[UI_REQ_COUNT_MAX];
	char line_sku[UI_REQ_COUNT_MAX][LOOKUP_CODE_SIZE];
	size_t n;
	bool drop_armed; /* Esc once with lines: the next Esc drops them */
	enum count_verdict verdict;
	char op[ENGINE_OP_ID_SIZE];
	struct floor_input in;
	struct floor_msg msg;
};

static void *count_init(const void *params, struct wh_error *e)
{
	const struct count_params *p = params;
	struct count *v = calloc(1, sizeof(*v));

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
	return v;
}

static void count_free(void *state)
{
	free(state);
}

static void call(struct count *v, struct ui_effects *fx, int tag,
		 struct ui_req *r)
{
	floor_call(&v->msg, &v->pending, fx, tag, r);
}

/* A new bin: no lines, a new operation id. */
static void to_bin(struct count *v)
{
	struct wh_error e = { 0 };

	v->state = CT_BIN;
	v->bin_id = 0;
	v->bin[0] = '\0';
	v->n = 0;
	v->drop_armed = false;
	floor_input_clear(&v->in);
	if (engine_op_id(v->op, sizeof(v->op), &e) != WH_OK)
		v->op[0] = '\0';
}

static void to_item(struct count *v)
{
	v->state = CT_ITEM;
	v->scanned[0] = v->lot[0] = '\0';
	memset(&v->sku, 0, sizeof(v->sku));
	v->has_count = false;
	v->count = 0;
	v->drop_armed = false;
	floor_input_clear(&v->in);
}

static bool needs_lot(const struct count *v)
{
	return floor_needs_lot(v->sku.lot_control);
}

static long default_qty(const struct count *v)
{
	return v->has_count ? (long)v->sku.pack_qty * v->count : 0;
}

/* Adds qty of the current item/lot: to its line when it has one. */
static bool add_line(struct count *v, long qty, struct ui_effects *fx)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->line[i].sku_id == v->sku.sku_id &&
		    !strcmp(v->line[i].lot, v->lot))
			break;
	if (i == v->n && v->n == UI_REQ_COUNT_MAX) {
		floor_msg_set(&v->msg, true, "%s",
			      _("Too many lines: submit first"));
		ui_fx_beep(fx, false);
		return false;
	}
	if (i < v->n && v->line[i].counted + qty > MAX_QTY) {
		floor_msg_set(&v->msg, true, "%s", _("Type a quantity"));
		ui_fx_beep(fx, false);
		return false;
	}
	if (i == v->n) {
		memset(&v->line[i], 0, sizeof(v->line[i]));
		v->line[i].sku_id = v->sku.sku_id;
		snprintf(v->line[i].lot, sizeof(v->line[i].lot), "%s",
			 v->lot);
		snprintf(v->line_sku[i], sizeof(v->line_sku[i]), "%s",
			 v->sku.sku_code);
		v->n++;
	}
	v->line[i].counted += (int32_t)qty;
	floor_msg_set(&v->msg, false, _("%s: %d counted"), v->line_sku[i],
		      (int)v->line[i].counted);
	ui_fx_beep(fx, true);
	return true;
}

/* --- database answers ------------------------------------------------ */

static unsigned failed(struct count *v, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	floor_msg_db(&v->msg, db->msg, _("Database error"));
	ui_fx_beep(fx, false);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_bin(struct count *v, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	const struct lookup_code *lc = db->result;

	if (db->err != WH_OK || !lc)
		return failed(v, db, fx);
	if (lc->kind != LOOKUP_LOCATION) {
		floor_msg_set(&v->msg, true, _("%s is not a location"),
			      v->scanned);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	v->bin_id = lc->location_id;
	floor_copy(v->bin, sizeof(v->bin), lc->location_code);
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	to_item(v);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_item(struct count *v, const struct ui_db_result *db,
			struct ui_effects *fx)
{
	const struct lookup_code *lc = db->result;

	if (db->err != WH_OK || !lc)
		return failed(v, db, fx);
	if (lc->kind != LOOKUP_SKU) {
		floor_msg_set(&v->msg, true, _("Unknown barcode %s"),
			      v->scanned);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	v->sku = *lc;
	floor_copy(v->sku.sku_code, sizeof(v->sku.sku_code), lc->sku_code);
	floor_copy(v->sku.sku_name, sizeof(v->sku.sku_name), lc->sku_name);
	floor_copy(v->sku.lot_control, sizeof(v->sku.lot_control),
		   lc->lot_control);
	if (v->sku.pack_qty < 1)
		v->sku.pack_qty = 1;
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	if (!needs_lot(v))
		v->lot[0] = '\0';
	v->state = needs_lot(v) && !v->lot[0] ? CT_LOT : CT_QTY;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_count(struct count *v, const struct ui_db_result *db,
			 struct ui_effects *fx)
{
	const struct engine_count_result *r = db->result;

	if (db->err != WH_OK || !r) {
		/* lines and operation id stay: fix a line, or retry */
		v->state = CT_ITEM;
		return failed(v, db, fx);
	}
	if (!strcmp(r->state, "counted"))
		v->verdict = CT_ACCEPTED;
	else if (!strcmp(r->state, "pending_approval"))
		v->verdict = CT_APPROVAL;
	else
		v->verdict = CT_RECOUNT;
	v->state = CT_DONE;
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, v->verdict == CT_ACCEPTED);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_result(struct count *v, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	if (!v->pending || db->tag != v->pending)
		return UI_IGNORED;
	v->pending = 0;
	switch (db->tag) {
	case CT_TAG_BIN:
		return on_bin(v, db, fx);
	case CT_TAG_ITEM:
		return on_item(v, db, fx);
	case CT_TAG_COUNT:
		return on_count(v, db, fx);
	}
	return UI_IGNORED;
}

/* --- input ----------------------------------------------------------- */

static unsigned take_scan(struct count *v, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	if (!s->code[0]) {
		floor_msg_set(&v->msg, true, "%s", _("Not a readable code"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	switch (v->state) {
	case CT_BIN:
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		call(v, fx, CT_TAG_BIN, ui_req_resolve(s->code));
		break;
	case CT_ITEM:
		v->drop_armed = false;
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		snprintf(v->lot, sizeof(v->lot), "%s", s->lot);
		v->has_count = s->has_count && s->count > 0 &&
			       s->count <= MAX_QTY;
		v->count = v->has_count ? s->count : 0;
		call(v, fx, CT_TAG_ITEM, ui_req_resolve(s->code));
		break;
	case CT_LOT:
		snprintf(v->lot, sizeof(v->lot), "%s",
			 s->lot[0] ? s->lot : s->code);
		floor_msg_clear(&v->msg);
		v->state = CT_QTY;
		break;
	default:
		ui_fx_beep(fx, false);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned ask_submit(struct count *v)
{
	v->state = CT_CONFIRM;
	v->drop_armed = false;
	floor_input_clear(&v->in);
	floor_msg_clear(&v->msg);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned submit(struct count *v, struct ui_effects *fx)
{
	struct floor_scan s;
	long qty;

	switch (v->state) {
	case CT_CONFIRM:
		call(v, fx, CT_TAG_COUNT,
		     ui_req_count(v->bin_id, v->line, v->n, v->op));
		return UI_HANDLED | UI_REDRAW;
	case CT_DONE:
		floor_msg_clear(&v->msg);
		to_bin(v);
		return UI_HANDLED | UI_REDRAW;
	case CT_QTY:
		/* 0 is a count too: the item is not there */
		if (floor_input_empty(&v->in) && default_qty(v) > 0) {
			qty = default_qty(v);
		} else if (!strcmp(v->in.s, "0")) {
			qty = 0;
		} else if (!floor_parse_qty(v->in.s, MAX_QTY, &qty)) {
			floor_msg_set(&v->msg, true, "%s",
				      _("Type a quantity"));
			floor_input_clear(&v->in);
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		floor_input_clear(&v->in);
		if (add_line(v, qty, fx))
			to_item(v);
		return UI_HANDLED | UI_REDRAW;
	case CT_ITEM:
		if (floor_input_empty(&v->in))
			return ask_submit(v);
		/* fall through */
	default:
		if (floor_input_empty(&v->in))
			return UI_HANDLED;
		if (!floor_read_typed(&v->in, &v->today, &v->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(v, &s, fx);
	}
}

static const struct ui_key_binding *keys_of(const struct count *v)
{
	switch (v->state) {
	case CT_ITEM:
		return item_keys;
	case CT_CONFIRM:
		return confirm_keys;
	case CT_DONE:
		return done_keys;
	default:
		return work_keys;
	}
}

static void back(struct count *v, struct ui_effects *fx)
{
	floor_msg_clear(&v->msg);
	switch (v->state) {
	case CT_BIN:
		ui_fx_pop(fx);
		break;
	case CT_ITEM:
		if (v->n && !v->drop_armed) {
			v->drop_armed = true;
			floor_msg_set(&v->msg, true,
				      _("Esc again drops %d lines"),
				      (int)v->n);
			break;
		}
		to_bin(v);
		break;
	case CT_DONE:
		to_bin(v);
		break;
	default:
		to_item(v);
		break;
	}
}

static unsigned count_key(struct count *v, int key, struct ui_effects *fx)
{
	int act = keys_dispatch(keys_of(v), key);

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
	case ACT_SUBMIT:
		return ask_submit(v);
	case ACT_UNDO:
		if (!v->n) {
			ui_fx_beep(fx, false);
			return UI_HANDLED;
		}
		v->n--;
		floor_msg_set(&v->msg, false, _("Line removed: %s"),
			      v->line_sku[v->n]);
		return UI_HANDLED | UI_REDRAW;
	case ACT_BACK:
		if (!floor_input_empty(&v->in))
			floor_input_clear(&v->in);
		else
			back(v, fx);
		return UI_HANDLED | UI_REDRAW;
	}
	if (v->state == CT_CONFIRM || v->state == CT_DONE)
		return UI_IGNORED;
	return floor_input_key(&v->in, key, fx) ? UI_HANDLED | UI_REDRAW
						 : UI_IGNORED;
}

static unsigned count_event(void *state, const struct ui_event *ev,
			    struct ui_effects *fx)
{
	struct count *v = state;
	struct floor_scan s;

	switch (ev->type) {
	case UI_EV_START:
		to_bin(v);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESUME:
	case UI_EV_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_result(v, &ev->db, fx);
	case UI_EV_KEY:
		return count_key(v, ev->key, fx);
	case UI_EV_SCAN:
		if (v->pending || v->state == CT_QTY ||
		    v->state == CT_CONFIRM || v->state == CT_DONE) {
			ui_fx_beep(fx, false);
			return UI_HANDLED;
		}
		if (!floor_read_scan(&ev->scan, &v->today, &v->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(v, &s, fx);
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

static const char *hint_of(const struct count *v)
{
	switch (v->state) {
	case CT_BIN:
		return _("Scan the bin");
	case CT_ITEM:
		return _("Scan item, Enter: done");
	case CT_LOT:
		return _("Lot");
	case CT_QTY:
		return _("Units counted");
	default:
		return NULL;
	}
}

/* The counted lines, the last ones when they do not all fit. */
static void draw_lines(const struct count *v, struct canvas *c, int y,
		       int last)
{
	char buf[160], qty[24];
	size_t i, first = 0;
	int rows = last - y + 1, qw;

	if (rows < 1)
		return;
	if (v->n > (size_t)rows)
		first = v->n - (size_t)rows;
	for (i = first; i < v->n && y <= last; i++, y++) {
		snprintf(qty, sizeof(qty), "%d", (int)v->line[i].counted);
		qw = text_width(qty);
		snprintf(buf, sizeof(buf), "%s %s", v->line_sku[i],
			 v->line[i].lot);
		canvas_text(c, 0, y, c->w - qw - 1, UI_ROLE_NORMAL, buf);
		canvas_text_aligned(c, c->w - qw, y, qw, UI_ROLE_NORMAL,
				    TEXT_RIGHT, qty);
	}
}

static void draw_done(const struct count *v, struct canvas *c, int last)
{
	const char *say, *why;
	enum ui_role role;

	switch (v->verdict) {
	case CT_ACCEPTED:
		say = _("Count accepted");
		why = _("Stock of the bin is now what you counted.");
		role = UI_ROLE_STATUS_OK;
		break;
	case CT_APPROVAL:
		say = _("Sent for supervisor approval");
		why = _("The count differs: a supervisor will check it.");
		role = UI_ROLE_STATUS_ERR;
		break;
	default:
		say = _("Recount requested");
		why = _("Count the bin again.");
		role = UI_ROLE_STATUS_ERR;
		break;
	}
	floor_draw_field(c, 0, 1, c->w, _("Bin"), v->bin);
	if (last >= 2)
		floor_wrap(c, 0, 2, c->w, 2, role, say);
	if (last >= 4)
		floor_wrap(c, 0, 4, c->w, last - 3, UI_ROLE_NORMAL, why);
}

static void count_draw(const void *state, struct canvas *c)
{
	const struct count *v = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = floor_msg_rows(c, &v->msg,
				  lay == UI_LAYOUT_HANDHELD ? 3 : 2);
	bool input = v->state != CT_CONFIRM && v->state != CT_DONE;
	int in = c->h - 2 - rows, last, y = 1;
	char buf[160];

	canvas_status(c, 0, UI_ROLE_TITLE, _("Count"),
		      v->state > CT_BIN ? v->bin : "");
	if (!input) {
		rows = 1;
		in = c->h - 3;
	}
	last = in - 1;
	switch (v->state) {
	case CT_BIN:
		floor_wrap(c, 0, y, c->w, last, UI_ROLE_DIM,
			   _("Blind count: scan the bin, then every item "
			     "in it."));
		break;
	case CT_DONE:
		draw_done(v, c, c->h - 3);
		break;
	case CT_CONFIRM:
		snprintf(buf, sizeof(buf), _("Submit %d lines for %s?"),
			 (int)v->n, v->bin);
		y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_SELECTED, buf);
		if (!v->n && y <= last)
			y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_STATUS_ERR,
					_("Nothing counted: the bin is "
					  "empty"));
		draw_lines(v, c, y, c->h - 3);
		break;
	case CT_LOT:
	case CT_QTY:
		floor_draw_field(c, 0, y++, c->w, _("SKU"), v->sku.sku_code);
		if (y <= last && c->h >= 16)
			y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_NORMAL,
					v->sku.sku_name);
		if (y <= last && v->state == CT_QTY)
			floor_draw_field(c, 0, y++, c->w, _("Lot"),
					 v->lot[0] ? v->lot : "-");
		if (y <= last && v->state == CT_QTY && default_qty(v) > 0) {
			snprintf(buf, sizeof(buf), _("Enter = %ld"),
				 default_qty(v));
			canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, buf);
		}
		break;
	default:
		snprintf(buf, sizeof(buf), _("%d lines counted"), (int)v->n);
		canvas_text(c, 0, y++, c->w, UI_ROLE_DIM, buf);
		draw_lines(v, c, y, last);
		break;
	}
	if (input)
		floor_draw_input(c, in, &v->in, hint_of(v));
	floor_draw_msg(c, c->h - 2 - (input ? rows - 1 : 0), rows, &v->msg,
		       v->state == CT_CONFIRM ? _("Enter: submit")
		       : v->state == CT_DONE  ? _("Enter: next bin")
					      : NULL);
	keys_bar_draw(c, c->h - 1, keys_of(v));
}

enum count_state count_state_of(const void *state)
{
	return ((const struct count *)state)->state;
}

const char *count_message(const void *state)
{
	return ((const struct count *)state)->msg.text;
}

size_t count_lines(const void *state)
{
	return ((const struct count *)state)->n;
}

enum count_verdict count_verdict_of(const void *state)
{
	return ((const struct count *)state)->verdict;
}

const struct ui_screen_ops scr_count = {
	.name = "count",
	.init = count_init,
	.event = count_event,
	.draw = count_draw,
	.free = count_free,
};
