/*
 * scr_putaway.c - the putaway screen. See scr_putaway.h.
 */
#include "ui/scr_putaway.h"

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

enum putaway_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
};

static const struct ui_key_binding work_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding other_keys[] = {
	{ UI_KEY_ENTER, N_("Yes"), ACT_OK },
	{ UI_KEY_ESC, N_("No"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding done_keys[] = {
	{ UI_KEY_ENTER, N_("Next item"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

struct putaway {
	enum putaway_state state;
	int pending;
	struct gs1_date today;
	char from[LOOKUP_LOC_SIZE];   /* sanitised */
	char scanned[FLOOR_CODE_MAX + 1];
	struct lookup_code sku;       /* strings sanitised */
	char lot[LOOKUP_LOT_SIZE];
	int64_t lot_id;
	char expiry[LOOKUP_DATE_SIZE];
	bool has_count;
	long count;
	char suggested[LOOKUP_LOC_SIZE]; /* "" none */
	char to[LOOKUP_LOC_SIZE];
	long qty;
	char op[ENGINE_OP_ID_SIZE];
	struct floor_input in;
	struct floor_msg msg;
};

static void *putaway_init(const void *params, struct wh_error *e)
{
	const struct putaway_params *p = params;
	struct putaway *v = calloc(1, sizeof(*v));

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

static void putaway_free(void *state)
{
	free(state);
}

static void new_op(struct putaway *v)
{
	floor_new_op(v->op, sizeof(v->op));
}

static void call(struct putaway *v, struct ui_effects *fx, int tag,
		 struct ui_req *r)
{
	floor_call(&v->msg, &v->pending, fx, tag, r);
}

static long default_qty(const struct putaway *v)
{
	return floor_scan_units(v->sku.pack_qty, v->has_count, v->count);
}

static bool needs_lot(const struct putaway *v)
{
	return floor_needs_lot(v->sku.lot_control);
}

/* The next item from the same place, under a new operation id. */
static void to_item(struct putaway *v)
{
	v->state = PA_ITEM;
	v->scanned[0] = v->lot[0] = v->expiry[0] = '\0';
	v->suggested[0] = v->to[0] = '\0';
	memset(&v->sku, 0, sizeof(v->sku));
	v->lot_id = 0;
	v->has_count = false;
	v->count = 0;
	v->qty = 0;
	floor_input_clear(&v->in);
	new_op(v);
}

static void suggest(struct putaway *v, struct ui_effects *fx)
{
	call(v, fx, PA_TAG_SUGGEST, ui_req_suggest(v->sku.sku_id, v->lot_id));
}

/* --- database answers ------------------------------------------------ */

static unsigned failed(struct putaway *v, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	floor_msg_db(&v->msg, db->msg, _("Database error"));
	ui_fx_beep(fx, false);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_from(struct putaway *v, const struct ui_db_result *db,
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
	floor_copy(v->from, sizeof(v->from), lc->location_code);
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	to_item(v);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_item(struct putaway *v, const struct ui_db_result *db,
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
	if (!needs_lot(v)) {
		v->lot[0] = '\0';
		v->lot_id = 0;
		suggest(v, fx);
	} else if (!v->lot[0]) {
		v->state = PA_LOT;
	} else {
		call(v, fx, PA_TAG_LOT, ui_req_lot(v->sku.sku_id, v->lot));
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_lot(struct putaway *v, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	const struct lookup_lot *l = db->result;

	if (db->err == WH_ERR_NOT_FOUND) {
		floor_msg_set(&v->msg, true, _("No lot %s of %s"), v->lot,
			      v->sku.sku_code);
		v->lot[0] = '\0';
		v->state = PA_LOT;
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (db->err != WH_OK || !l)
		return failed(v, db, fx);
	v->lot_id = l->lot_id;
	floor_copy(v->expiry, sizeof(v->expiry), l->expiry);
	suggest(v, fx);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_suggest(struct putaway *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct ui_suggest_result *s = db->result;

	if (db->err != WH_OK || !s)
		return failed(v, db, fx);
	v->suggested[0] = '\0';
	if (s->location_id)
		floor_copy(v->suggested, sizeof(v->suggested),
			   s->location_code);
	if (!v->suggested[0])
		floor_msg_set(&v->msg, true, "%s",
			      _("No bin suggested: scan any bin"));
	v->state = PA_TO;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_putaway(struct putaway *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	struct wh_error e = { .code = db->err };

	if (db->err != WH_OK) {
		snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
		if (engine_reason_of(&e) == ENGINE_R_BAD_LOCATION) {
			v->to[0] = '\0';
			v->state = PA_TO;
		} else {
			v->state = PA_QTY;
		}
		/* the operation id stays: a retry replays, never doubles */
		return failed(v, db, fx);
	}
	v->state = PA_DONE;
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_result(struct putaway *v, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	if (!v->pending || db->tag != v->pending)
		return UI_IGNORED;
	v->pending = 0;
	switch (db->tag) {
	case PA_TAG_FROM:
		return on_from(v, db, fx);
	case PA_TAG_ITEM:
		return on_item(v, db, fx);
	case PA_TAG_LOT:
		return on_lot(v, db, fx);
	case PA_TAG_SUGGEST:
		return on_suggest(v, db, fx);
	case PA_TAG_PUTAWAY:
		return on_putaway(v, db, fx);
	}
	return UI_IGNORED;
}

/* --- input ----------------------------------------------------------- */

static unsigned take_scan(struct putaway *v, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	if (!s->code[0]) {
		floor_msg_set(&v->msg, true, "%s", _("Not a readable code"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	switch (v->state) {
	case PA_FROM:
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		call(v, fx, PA_TAG_FROM, ui_req_resolve(s->code));
		break;
	case PA_ITEM:
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		snprintf(v->lot, sizeof(v->lot), "%s", s->lot);
		v->has_count = s->has_count && s->count > 0 &&
			       s->count <= MAX_QTY;
		v->count = v->has_count ? s->count : 0;
		call(v, fx, PA_TAG_ITEM, ui_req_resolve(s->code));
		break;
	case PA_LOT:
		snprintf(v->lot, sizeof(v->lot), "%s",
			 s->lot[0] ? s->lot : s->code);
		call(v, fx, PA_TAG_LOT, ui_req_lot(v->sku.sku_id, v->lot));
		break;
	case PA_TO:
		floor_copy(v->to, sizeof(v->to), s->code);
		floor_msg_clear(&v->msg);
		if (v->suggested[0] && strcmp(v->to, v->suggested)) {
			v->state = PA_OTHER;
			ui_fx_beep(fx, false);
		} else {
			v->state = PA_QTY;
			ui_fx_beep(fx, true);
		}
		break;
	default:
		ui_fx_beep(fx, false);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned submit(struct putaway *v, struct ui_effects *fx)
{
	struct floor_scan s;
	long qty;

	switch (v->state) {
	case PA_OTHER:
		v->state = PA_QTY;
		return UI_HANDLED | UI_REDRAW;
	case PA_DONE:
		floor_msg_clear(&v->msg);
		to_item(v);
		return UI_HANDLED | UI_REDRAW;
	case PA_QTY:
		if (floor_input_empty(&v->in)) {
			qty = default_qty(v);
		} else if (!floor_parse_qty(v->in.s, MAX_QTY, &qty)) {
			floor_msg_set(&v->msg, true, "%s",
				      _("Type a quantity"));
			floor_input_clear(&v->in);
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		floor_input_clear(&v->in);
		v->qty = qty;
		call(v, fx, PA_TAG_PUTAWAY,
		     ui_req_move(UI_REQ_PUTAWAY, v->from, v->to, v->sku.sku_id,
				 v->lot_id, (int32_t)qty, v->op));
		return UI_HANDLED | UI_REDRAW;
	default:
		if (floor_input_empty(&v->in))
			return UI_HANDLED;
		if (!floor_read_typed(&v->in, &v->today, &v->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(v, &s, fx);
	}
}

static const struct ui_key_binding *keys_of(const struct putaway *v)
{
	switch (v->state) {
	case PA_OTHER:
		return other_keys;
	case PA_DONE:
		return done_keys;
	default:
		return work_keys;
	}
}

static void back(struct putaway *v, struct ui_effects *fx)
{
	floor_msg_clear(&v->msg);
	switch (v->state) {
	case PA_FROM:
		ui_fx_pop(fx);
		break;
	case PA_ITEM:
		v->state = PA_FROM;
		v->from[0] = '\0';
		break;
	case PA_OTHER:
		v->to[0] = '\0';
		v->state = PA_TO;
		break;
	default:
		to_item(v);
		break;
	}
}

static unsigned putaway_key(struct putaway *v, int key, struct ui_effects *fx)
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
	case ACT_BACK:
		if (!floor_input_empty(&v->in))
			floor_input_clear(&v->in);
		else
			back(v, fx);
		return UI_HANDLED | UI_REDRAW;
	}
	if (v->state == PA_OTHER || v->state == PA_DONE)
		return UI_IGNORED;
	return floor_input_key(&v->in, key, fx) ? UI_HANDLED | UI_REDRAW
						 : UI_IGNORED;
}

static unsigned putaway_event(void *state, const struct ui_event *ev,
			      struct ui_effects *fx)
{
	struct putaway *v = state;
	struct floor_scan s;

	switch (ev->type) {
	case UI_EV_START:
		new_op(v);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESUME:
	case UI_EV_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_result(v, &ev->db, fx);
	case UI_EV_KEY:
		return putaway_key(v, ev->key, fx);
	case UI_EV_SCAN:
		if (v->pending || v->state == PA_OTHER ||
		    v->state == PA_QTY || v->state == PA_DONE) {
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

static const char *hint_of(const struct putaway *v)
{
	switch (v->state) {
	case PA_FROM:
		return _("Scan where it is");
	case PA_ITEM:
		return _("Scan case or item");
	case PA_LOT:
		return _("Lot");
	case PA_TO:
		return _("Scan the bin");
	case PA_QTY:
		return _("Units, Enter");
	default:
		return NULL;
	}
}

static void draw_body(const struct putaway *v, struct canvas *c, int last)
{
	char buf[200];
	int y = 1, w = c->w;

	if (v->state == PA_FROM) {
		floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_DIM,
			   _("Scan the location the goods are in "
			     "(e.g. the dock)."));
		return;
	}
	floor_draw_field(c, 0, y++, w, _("From"), v->from);
	if (v->state == PA_ITEM) {
		if (y <= last)
			floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_DIM,
				   _("Scan a case label (GS1) or an item "
				     "barcode."));
		return;
	}
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("SKU"), v->sku.sku_code);
	if (y <= last && c->h >= 16)
		y += floor_wrap(c, 0, y, w, 2, UI_ROLE_NORMAL,
				v->sku.sku_name);
	if (y <= last && v->state != PA_LOT)
		floor_draw_field(c, 0, y++, w, _("Lot"),
				 v->lot[0] ? v->lot : "-");
	if (v->state == PA_LOT)
		return;
	if (y <= last && v->state == PA_TO) {
		if (v->suggested[0]) {
			snprintf(buf, sizeof(buf), _("Put into %s"),
				 v->suggested);
			y += floor_wrap(c, 0, y, w, 2, UI_ROLE_SELECTED, buf);
		}
		return;
	}
	if (v->state == PA_OTHER) {
		snprintf(buf, sizeof(buf), _("Use %s instead of %s?"), v->to,
			 v->suggested);
		if (y <= last)
			floor_wrap(c, 0, y, w, last - y + 1,
				   UI_ROLE_STATUS_ERR, buf);
		return;
	}
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("To"), v->to);
	if (v->state == PA_QTY && y <= last) {
		snprintf(buf, sizeof(buf), _("Enter = %ld"), default_qty(v));
		canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, buf);
	}
	if (v->state == PA_DONE && y <= last) {
		snprintf(buf, sizeof(buf), _("Put away %ld into %s"), v->qty,
			 v->to);
		floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_STATUS_OK, buf);
	}
}

static void putaway_draw(const void *state, struct canvas *c)
{
	const struct putaway *v = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = floor_msg_rows(c, &v->msg,
				  lay == UI_LAYOUT_HANDHELD ? 4 : 2);
	bool input = v->state != PA_OTHER && v->state != PA_DONE;
	int in = c->h - 2 - rows;

	canvas_status(c, 0, UI_ROLE_TITLE, _("Putaway"),
		      v->state > PA_FROM ? v->from : "");
	if (!input) {
		rows = 1;
		in = c->h - 2;
	}
	draw_body(v, c, in - 1);
	if (input)
		floor_draw_input(c, in, &v->in, hint_of(v));
	else
		in--;
	floor_draw_msg(c, in + 1, rows, &v->msg,
		       v->state == PA_DONE ? _("Enter: next item") : NULL);
	keys_bar_draw(c, c->h - 1, keys_of(v));
}

enum putaway_state putaway_state_of(const void *state)
{
	return ((const struct putaway *)state)->state;
}

const char *putaway_message(const void *state)
{
	return ((const struct putaway *)state)->msg.text;
}

bool putaway_busy(const void *state)
{
	return ((const struct putaway *)state)->pending != 0;
}

const struct ui_screen_ops scr_putaway = {
	.name = "putaway",
	.init = putaway_init,
	.event = putaway_event,
	.draw = putaway_draw,
	.free = putaway_free,
};
