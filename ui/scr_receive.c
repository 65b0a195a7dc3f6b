/*
 * scr_receive.c - the receive screen. See scr_receive.h.
 */
#include "ui/scr_receive.h"

#include <inttypes.h>
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

enum receive_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
	ACT_UP,
	ACT_DOWN,
};

static const struct ui_key_binding list_keys[] = {
	{ UI_KEY_ENTER, N_("Choose"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_UP, NULL, ACT_UP },
	{ UI_KEY_DOWN, NULL, ACT_DOWN },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding work_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding done_keys[] = {
	{ UI_KEY_ENTER, N_("Next item"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

struct receive {
	enum receive_state state;
	int pending;
	struct gs1_date today;
	struct lookup_po_list pos; /* strings sanitised */
	int sel;                   /* 0..pos.n: pos.n is "blind" */
	int64_t po_id;             /* 0 blind */
	char po_no[LOOKUP_LOC_SIZE];
	char item[FLOOR_CODE_MAX + 1];
	struct lookup_code sku; /* strings sanitised */
	char lot[LOOKUP_LOT_SIZE];
	char expiry[11];
	bool has_count;
	long count;
	char op[ENGINE_OP_ID_SIZE];
	struct engine_receive_result res; /* the last receipt, sanitised */
	long res_qty;
	bool label_printed;         /* its SSCC case label printed */
	char sscc[UI_SSCC_SIZE];    /* digits only */
	struct floor_input in;
	struct floor_msg msg;
};

static void *receive_init(const void *params, struct wh_error *e)
{
	const struct receive_params *p = params;
	struct receive *v = calloc(1, sizeof(*v));

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

static void receive_free(void *state)
{
	free(state);
}

static void new_op(struct receive *v)
{
	floor_new_op(v->op, sizeof(v->op));
}

static void call(struct receive *v, struct ui_effects *fx, int tag,
		 struct ui_req *r)
{
	floor_call(&v->msg, &v->pending, fx, tag, r);
}

long receive_default_qty(const void *state)
{
	const struct receive *v = state;

	return floor_scan_units(v->sku.pack_qty, v->has_count, v->count);
}

static bool needs_lot(const struct receive *v)
{
	return floor_needs_lot(v->sku.lot_control);
}

static bool needs_expiry(const struct receive *v)
{
	return strcmp(v->sku.lot_control, "fefo") == 0;
}

/* After the item: the first step still missing. */
static void next_step(struct receive *v)
{
	if (needs_lot(v) && !v->lot[0])
		v->state = RCV_LOT;
	else if (needs_expiry(v) && !v->expiry[0])
		v->state = RCV_EXPIRY;
	else
		v->state = RCV_QTY;
}

static void to_item(struct receive *v)
{
	v->state = RCV_ITEM;
	v->item[0] = v->lot[0] = v->expiry[0] = '\0';
	memset(&v->sku, 0, sizeof(v->sku));
	v->has_count = false;
	v->count = 0;
	floor_input_clear(&v->in);
	new_op(v);
}

/* --- database answers ------------------------------------------------ */

static unsigned on_pos(struct receive *v, const struct ui_db_result *db)
{
	const struct lookup_po_list *l = db->result;
	int i;

	v->state = RCV_PO;
	v->sel = 0;
	v->pos.n = 0;
	if (db->err != WH_OK || !l) {
		floor_msg_db(&v->msg, db->msg, _("Database error"));
		return UI_HANDLED | UI_REDRAW;
	}
	v->pos = *l;
	if (v->pos.n < 0 || v->pos.n > LOOKUP_MAX_POS)
		v->pos.n = 0;
	for (i = 0; i < v->pos.n; i++) {
		floor_copy(v->pos.po[i].po_no, sizeof(v->pos.po[i].po_no),
			   l->po[i].po_no);
		floor_copy(v->pos.po[i].supplier,
			   sizeof(v->pos.po[i].supplier), l->po[i].supplier);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_resolve(struct receive *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct lookup_code *lc = db->result;

	if (db->err != WH_OK || !lc) {
		floor_msg_db(&v->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (lc->kind != LOOKUP_SKU) {
		floor_msg_set(&v->msg, true, _("Unknown barcode %s"), v->item);
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
	if (!needs_lot(v))
		v->lot[0] = v->expiry[0] = '\0';
	ui_fx_beep(fx, true);
	floor_msg_clear(&v->msg);
	next_step(v);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_receive(struct receive *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct ui_receive_result *rr = db->result;
	const struct engine_receive_result *r = rr ? &rr->rcv : NULL;
	struct wh_error e = { .code = db->err };
	struct floor_msg why;

	if (db->err != WH_OK || !r) {
		snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
		floor_msg_db(&v->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		switch (engine_reason_of(&e)) {
		case ENGINE_R_LOT_MISMATCH:
		case ENGINE_R_EXPIRY_REQUIRED:
			v->expiry[0] = '\0';
			v->state = RCV_EXPIRY;
			break;
		case ENGINE_R_LOT_REQUIRED:
			v->lot[0] = '\0';
			v->state = RCV_LOT;
			break;
		case ENGINE_R_NOT_ON_PO:
		case ENGINE_R_NO_SKU:
			to_item(v);
			break;
		default:
			break;
		}
		return UI_HANDLED | UI_REDRAW;
	}
	v->res = *r;
	floor_copy(v->res.location_code, sizeof(v->res.location_code),
		   r->location_code);
	floor_copy(v->res.reason, sizeof(v->res.reason), r->reason);
	v->state = RCV_DONE;
	floor_msg_clear(&v->msg);
	v->label_printed = false;
	v->sscc[0] = '\0';
	if (rr->label_printed && strlen(rr->sscc) == UI_SSCC_SIZE - 1 &&
	    strspn(rr->sscc, "0123456789") == UI_SSCC_SIZE - 1) {
		v->label_printed = true;
		memcpy(v->sscc, rr->sscc, sizeof(v->sscc));
		floor_msg_set(&v->msg, false, _("Label printed: SSCC %s"),
			      v->sscc);
	} else if (rr->label_error[0]) {
		char msg[sizeof(rr->label_error)];

		/* the received struct is untrusted: it may lack a NUL */
		snprintf(msg, sizeof(msg), "%.*s",
			 (int)sizeof(rr->label_error) - 1, rr->label_error);
		floor_msg_db(&why, msg, _("Printer error"));
		floor_msg_set(&v->msg, true, _("Label not printed: %s"),
			      why.text);
	}
	ui_fx_beep(fx, !r->quarantined && !rr->label_error[0]);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_result(struct receive *v, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	if (!v->pending || db->tag != v->pending)
		return UI_IGNORED;
	v->pending = 0;
	switch (db->tag) {
	case RCV_TAG_POS:
		return on_pos(v, db);
	case RCV_TAG_RESOLVE:
		return on_resolve(v, db, fx);
	case RCV_TAG_RECEIVE:
		return on_receive(v, db, fx);
	}
	return UI_IGNORED;
}

/* --- input ----------------------------------------------------------- */

static unsigned take_scan(struct receive *v, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	switch (v->state) {
	case RCV_ITEM:
		if (!s->code[0]) {
			floor_msg_set(&v->msg, true, "%s",
				      _("Scan the item first"));
			ui_fx_beep(fx, false);
			break;
		}
		snprintf(v->item, sizeof(v->item), "%s", s->code);
		snprintf(v->lot, sizeof(v->lot), "%s", s->lot);
		snprintf(v->expiry, sizeof(v->expiry), "%s", s->expiry);
		v->has_count = s->has_count && s->count > 0 &&
			       s->count <= MAX_QTY;
		v->count = v->has_count ? s->count : 0;
		call(v, fx, RCV_TAG_RESOLVE, ui_req_resolve(v->item));
		break;
	case RCV_LOT:
		snprintf(v->lot, sizeof(v->lot), "%s",
			 s->lot[0] ? s->lot : s->code);
		if (s->expiry[0])
			snprintf(v->expiry, sizeof(v->expiry), "%s",
				 s->expiry);
		floor_msg_clear(&v->msg);
		next_step(v);
		break;
	default:
		ui_fx_beep(fx, false);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned submit(struct receive *v, struct ui_effects *fx)
{
	struct floor_scan s;
	long qty;

	switch (v->state) {
	case RCV_PO:
		if (v->sel < v->pos.n) {
			v->po_id = v->pos.po[v->sel].id;
			snprintf(v->po_no, sizeof(v->po_no), "%s",
				 v->pos.po[v->sel].po_no);
		} else {
			v->po_id = 0;
			v->po_no[0] = '\0';
		}
		floor_msg_clear(&v->msg);
		to_item(v);
		return UI_HANDLED | UI_REDRAW;
	case RCV_DONE:
		to_item(v);
		floor_msg_clear(&v->msg);
		return UI_HANDLED | UI_REDRAW;
	case RCV_EXPIRY:
		if (floor_input_empty(&v->in)) {
			/* a known lot keeps its own expiry */
			v->expiry[0] = '\0';
			v->state = RCV_QTY;
			return UI_HANDLED | UI_REDRAW;
		}
		if (!floor_parse_date(v->in.s, v->expiry)) {
			floor_msg_set(&v->msg, true, "%s",
				      _("Expiry: YYYY-MM-DD or YYMMDD"));
			floor_input_clear(&v->in);
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		floor_input_clear(&v->in);
		floor_msg_clear(&v->msg);
		v->state = RCV_QTY;
		return UI_HANDLED | UI_REDRAW;
	case RCV_QTY:
		if (floor_input_empty(&v->in)) {
			qty = receive_default_qty(v);
		} else if (!floor_parse_qty(v->in.s, MAX_QTY, &qty)) {
			floor_msg_set(&v->msg, true, "%s",
				      _("Type a quantity"));
			floor_input_clear(&v->in);
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		floor_input_clear(&v->in);
		v->res_qty = qty;
		call(v, fx, RCV_TAG_RECEIVE,
		     ui_req_receive_scan(v->po_id, v->sku.sku_id, v->item,
					 v->lot[0] ? v->lot : NULL,
					 v->expiry[0] ? v->expiry : NULL,
					 (int32_t)qty, NULL, v->op));
		return UI_HANDLED | UI_REDRAW;
	case RCV_ITEM:
	case RCV_LOT:
		if (floor_input_empty(&v->in))
			return UI_HANDLED;
		if (!floor_read_typed(&v->in, &v->today, &v->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(v, &s, fx);
	default:
		return UI_HANDLED;
	}
}

static const struct ui_key_binding *keys_of(const struct receive *v)
{
	switch (v->state) {
	case RCV_LOADING:
	case RCV_PO:
		return list_keys;
	case RCV_DONE:
		return done_keys;
	default:
		return work_keys;
	}
}

static void back(struct receive *v, struct ui_effects *fx)
{
	floor_msg_clear(&v->msg);
	switch (v->state) {
	case RCV_QTY:
	case RCV_EXPIRY:
	case RCV_LOT:
		to_item(v);
		break;
	case RCV_ITEM:
	case RCV_DONE:
		v->state = RCV_LOADING;
		call(v, fx, RCV_TAG_POS, ui_req_po_list());
		break;
	default:
		ui_fx_pop(fx);
		break;
	}
}

static unsigned receive_key(struct receive *v, int key, struct ui_effects *fx)
{
	int act = keys_dispatch(keys_of(v), key);

	if (v->pending) {
		if (act == ACT_CLOSE)
			ui_fx_pop(fx);
		return UI_HANDLED;
	}
	if (v->state == RCV_PO && key >= '1' && key <= '9' &&
	    key - '1' <= v->pos.n) {
		v->sel = key - '1';
		return submit(v, fx);
	}
	switch (act) {
	case ACT_OK:
		return submit(v, fx);
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	case ACT_BACK:
		if (!floor_input_empty(&v->in)) {
			floor_input_clear(&v->in);
			return UI_HANDLED | UI_REDRAW;
		}
		back(v, fx);
		return UI_HANDLED | UI_REDRAW;
	case ACT_UP:
		v->sel = (v->sel + v->pos.n) % (v->pos.n + 1);
		return UI_HANDLED | UI_REDRAW;
	case ACT_DOWN:
		v->sel = (v->sel + 1) % (v->pos.n + 1);
		return UI_HANDLED | UI_REDRAW;
	}
	if (v->state < RCV_ITEM || v->state > RCV_QTY)
		return UI_IGNORED;
	return floor_input_key(&v->in, key, fx) ? UI_HANDLED | UI_REDRAW
						 : UI_IGNORED;
}

static unsigned receive_event(void *state, const struct ui_event *ev,
			      struct ui_effects *fx)
{
	struct receive *v = state;
	struct floor_scan s;

	switch (ev->type) {
	case UI_EV_START:
		v->state = RCV_LOADING;
		call(v, fx, RCV_TAG_POS, ui_req_po_list());
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESUME:
	case UI_EV_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_result(v, &ev->db, fx);
	case UI_EV_KEY:
		return receive_key(v, ev->key, fx);
	case UI_EV_SCAN:
		if (v->pending ||
		    (v->state != RCV_ITEM && v->state != RCV_LOT)) {
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

static const char *hint_of(const struct receive *v)
{
	switch (v->state) {
	case RCV_ITEM:
		return _("Scan case or item");
	case RCV_LOT:
		return _("Lot");
	case RCV_EXPIRY:
		return _("Expiry YYYY-MM-DD");
	case RCV_QTY:
		return _("Units, Enter");
	default:
		return NULL;
	}
}

static void draw_pos(const struct receive *v, struct canvas *c, int top,
		     int last)
{
	char line[160];
	int i, first = 0, rows = last - top + 1;

	if (v->state == RCV_LOADING) {
		canvas_text(c, 0, top, -1, UI_ROLE_DIM, _("Loading..."));
		return;
	}
	if (rows < 1)
		return;
	if (v->sel >= rows)
		first = v->sel - rows + 1;
	for (i = first; i <= v->pos.n && top + i - first <= last; i++) {
		const struct lookup_po *p = &v->pos.po[i];

		if (i == v->pos.n)
			snprintf(line, sizeof(line), "%d %s", i + 1,
				 _("Blind receipt"));
		else if (c->w >= 40)
			snprintf(line, sizeof(line),
				 "%d %s %s (%" PRId64 ")", i + 1, p->po_no,
				 p->supplier, p->open_units);
		else
			snprintf(line, sizeof(line), "%d %s", i + 1,
				 p->po_no);
		canvas_text_aligned(c, 0, top + i - first, c->w,
				    i == v->sel ? UI_ROLE_SELECTED
						: UI_ROLE_NORMAL,
				    TEXT_LEFT, line);
	}
}

static void draw_done(const struct receive *v, struct canvas *c, int last)
{
	char line[200];
	int y = 1, w = c->w - 2;
	enum ui_role role = v->res.quarantined ? UI_ROLE_ALERT
					       : UI_ROLE_NORMAL;

	if (v->res.quarantined) {
		canvas_fill(c, 0, 1, c->w, last, UI_ROLE_ALERT);
		canvas_text_aligned(c, 0, y++, c->w, role, TEXT_CENTER,
				    _("!! QUARANTINE !!"));
		y += floor_wrap(c, 1, y, w, 2, role,
				_("Not sellable: do not put away to a bin."));
		snprintf(line, sizeof(line), "%s %s", _("Why:"),
			 v->res.reason);
		y += floor_wrap(c, 1, y, w, 3, role, line);
	} else {
		canvas_text(c, 1, y++, w, UI_ROLE_STATUS_OK, _("Received"));
	}
	snprintf(line, sizeof(line), "%ld x %s", v->res_qty,
		 v->sku.sku_code);
	if (y <= last)
		y += floor_wrap(c, 1, y, w, 1, role, line);
	if (v->lot[0] && y <= last) {
		snprintf(line, sizeof(line), _("Lot %s"), v->lot);
		y += floor_wrap(c, 1, y, w, 1, role, line);
	}
	if (y <= last) {
		snprintf(line, sizeof(line), _("Now in %s"),
			 v->res.location_code);
		y += floor_wrap(c, 1, y, w, 2, role, line);
	}
	if (v->label_printed && y <= last) {
		snprintf(line, sizeof(line), "SSCC %s", v->sscc);
		floor_wrap(c, 1, y, w, 2, role, line);
	}
}

static void draw_item(const struct receive *v, struct canvas *c, int last)
{
	char buf[160];
	int y = 1, w = c->w;

	if (v->state == RCV_ITEM) {
		floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_DIM,
			   _("Scan a case label (GS1) or an item barcode."));
		return;
	}
	floor_draw_field(c, 0, y++, w, _("SKU"), v->sku.sku_code);
	if (y <= last)
		y += floor_wrap(c, 0, y, w, c->h >= 16 ? 2 : 1,
				UI_ROLE_NORMAL, v->sku.sku_name);
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("Lot"),
				 v->lot[0] ? v->lot : "-");
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("Expiry"),
				 v->expiry[0] ? v->expiry : "-");
	if (y <= last && v->sku.pack_qty > 1) {
		snprintf(buf, sizeof(buf), _("Case of %d units"),
			 (int)v->sku.pack_qty);
		canvas_text(c, 0, y++, -1, UI_ROLE_DIM, buf);
	}
	if (v->state == RCV_QTY && y <= last) {
		snprintf(buf, sizeof(buf), _("Enter = %ld"),
			 receive_default_qty(v));
		canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, buf);
	}
}

static void receive_draw(const void *state, struct canvas *c)
{
	const struct receive *v = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = floor_msg_rows(c, &v->msg,
				  lay == UI_LAYOUT_HANDHELD ? 4 : 2);
	int in = c->h - 2 - rows, last = in - 1;
	const char *po = v->state <= RCV_PO ? ""
			 : v->po_id     ? v->po_no
					: _("Blind");

	canvas_status(c, 0, UI_ROLE_TITLE, _("Receive"), po);
	if (v->state <= RCV_PO) {
		canvas_text(c, 0, 1, -1, UI_ROLE_DIM, _("Purchase order:"));
		draw_pos(v, c, 2, c->h - 3);
		in = -1;
	} else if (v->state == RCV_DONE) {
		draw_done(v, c, c->h - 3);
		in = -1;
	} else {
		draw_item(v, c, last);
	}
	if (in >= 0)
		floor_draw_input(c, in, &v->in, hint_of(v));
	if (in >= 0)
		floor_draw_msg(c, in + 1, rows, &v->msg, NULL);
	else
		floor_draw_msg(c, c->h - 2, 1, &v->msg,
			       v->state == RCV_DONE ? _("Enter: next item")
						    : NULL);
	keys_bar_draw(c, c->h - 1, keys_of(v));
}

enum receive_state receive_state_of(const void *state)
{
	return ((const struct receive *)state)->state;
}

const char *receive_message(const void *state)
{
	return ((const struct receive *)state)->msg.text;
}

const char *receive_sscc(const void *state)
{
	const struct receive *v = state;

	return v->state == RCV_DONE && v->label_printed ? v->sscc : "";
}

bool receive_quarantined(const void *state)
{
	const struct receive *v = state;

	return v->state == RCV_DONE && v->res.quarantined;
}

const struct ui_screen_ops scr_receive = {
	.name = "receive",
	.init = receive_init,
	.event = receive_event,
	.draw = receive_draw,
	.free = receive_free,
};
