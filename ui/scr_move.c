/*
 * scr_move.c - the move screen. See scr_move.h.
 */
#include "ui/scr_move.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/engine.h"
#include "db/lookup.h"
#include "db/replen_db.h"
#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/text.h"

#define MAX_QTY 999999

enum move_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
	ACT_REPLEN,
	ACT_PLAN,
};

static const struct ui_key_binding from_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_F(2), N_("Replenish"), ACT_REPLEN },
	{ UI_KEY_F(3), N_("Plan"), ACT_PLAN },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding rp_done_keys[] = {
	{ UI_KEY_ENTER, N_("Next task"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
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

struct move {
	enum move_state state;
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
	char to[LOOKUP_LOC_SIZE];
	long qty;
	char op[ENGINE_OP_ID_SIZE];
	struct replen_db_task task; /* replenish mode; strings sanitised */
	long rp_moved;		    /* units of the last confirm */
	long rp_left;		    /* units the task still wants */
	struct floor_input in;
	struct floor_msg msg;
};

static void *move_init(const void *params, struct wh_error *e)
{
	const struct move_params *p = params;
	struct move *v = calloc(1, sizeof(*v));

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

static void move_free(void *state)
{
	free(state);
}

static void new_op(struct move *v)
{
	floor_new_op(v->op, sizeof(v->op));
}

static void call(struct move *v, struct ui_effects *fx, int tag,
		 struct ui_req *r)
{
	floor_call(&v->msg, &v->pending, fx, tag, r);
}

static long default_qty(const struct move *v)
{
	return floor_scan_units(v->sku.pack_qty, v->has_count, v->count);
}

static bool needs_lot(const struct move *v)
{
	return floor_needs_lot(v->sku.lot_control);
}

/* The next item from the same place, under a new operation id. */
static void to_item(struct move *v)
{
	v->state = MV_ITEM;
	v->scanned[0] = v->lot[0] = v->expiry[0] = '\0';
	v->to[0] = '\0';
	memset(&v->sku, 0, sizeof(v->sku));
	v->lot_id = 0;
	v->has_count = false;
	v->count = 0;
	v->qty = 0;
	floor_input_clear(&v->in);
	new_op(v);
}

/* --- database answers ------------------------------------------------ */

static unsigned failed(struct move *v, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	floor_msg_db(&v->msg, db->msg, _("Database error"));
	ui_fx_beep(fx, false);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_from(struct move *v, const struct ui_db_result *db,
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

static unsigned on_item(struct move *v, const struct ui_db_result *db,
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
		v->state = MV_QTY;
	} else if (!v->lot[0]) {
		v->state = MV_LOT;
	} else {
		call(v, fx, MV_TAG_LOT, ui_req_lot(v->sku.sku_id, v->lot));
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_lot(struct move *v, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	const struct lookup_lot *l = db->result;

	if (db->err == WH_ERR_NOT_FOUND) {
		floor_msg_set(&v->msg, true, _("No lot %s of %s"), v->lot,
			      v->sku.sku_code);
		v->lot[0] = '\0';
		v->state = MV_LOT;
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (db->err != WH_OK || !l)
		return failed(v, db, fx);
	v->lot_id = l->lot_id;
	floor_copy(v->expiry, sizeof(v->expiry), l->expiry);
	floor_msg_clear(&v->msg);
	v->state = MV_QTY;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_move(struct move *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	struct wh_error e = { .code = db->err };

	if (db->err != WH_OK) {
		snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
		if (engine_reason_of(&e) == ENGINE_R_BAD_LOCATION) {
			v->to[0] = '\0';
			v->state = MV_TO;
		} else {
			v->state = MV_QTY;
		}
		/* the operation id stays: a retry replays, never doubles */
		return failed(v, db, fx);
	}
	v->state = MV_DONE;
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

/* --- replenish mode ------------------------------------------------- */

static bool in_replen(const struct move *v)
{
	return v->state >= MV_RP_CLAIM;
}

static void rp_claim(struct move *v, struct ui_effects *fx)
{
	memset(&v->task, 0, sizeof(v->task));
	v->scanned[0] = v->lot[0] = v->to[0] = '\0';
	memset(&v->sku, 0, sizeof(v->sku));
	v->has_count = false;
	v->count = 0;
	v->qty = 0;
	floor_input_clear(&v->in);
	v->state = MV_RP_CLAIM;
	new_op(v);
	call(v, fx, MV_TAG_RP_CLAIM,
	     ui_req_replen(UI_REQ_REPLEN_CLAIM, 0, NULL, NULL, NULL, NULL, 0,
			   NULL));
}

static unsigned on_rp_claim(struct move *v, const struct ui_db_result *db,
			    struct ui_effects *fx)
{
	const struct replen_db_task *t = db->result;

	if (db->err == WH_ERR_NOT_FOUND) {
		floor_msg_set(&v->msg, false, "%s",
			      _("No replenishment needed"));
		return UI_HANDLED | UI_REDRAW;
	}
	if (db->err != WH_OK || !t)
		return failed(v, db, fx);
	v->task = *t;
	floor_copy(v->task.from_code, sizeof(v->task.from_code),
		   t->from_code);
	floor_copy(v->task.to_code, sizeof(v->task.to_code), t->to_code);
	floor_copy(v->task.sku_code, sizeof(v->task.sku_code), t->sku_code);
	floor_copy(v->task.sku_name, sizeof(v->task.sku_name), t->sku_name);
	floor_copy(v->task.lot_code, sizeof(v->task.lot_code), t->lot_code);
	floor_copy(v->task.lot_expiry, sizeof(v->task.lot_expiry),
		   t->lot_expiry);
	v->rp_left = (long)t->qty;
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	v->state = MV_RP_FROM;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_rp_item(struct move *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct lookup_code *lc = db->result;

	if (db->err != WH_OK || !lc)
		return failed(v, db, fx);
	if (lc->kind != LOOKUP_SKU || lc->sku_id != v->task.sku_id) {
		floor_msg_set(&v->msg, true, _("Wrong item: take %s"),
			      v->task.sku_code);
		v->lot[0] = '\0';
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	v->sku = *lc;
	if (v->sku.pack_qty < 1)
		v->sku.pack_qty = 1;
	if (v->task.lot_code[0] && v->lot[0] &&
	    strcmp(v->lot, v->task.lot_code)) {
		floor_msg_set(&v->msg, true, _("Wrong lot: take lot %s"),
			      v->task.lot_code);
		v->lot[0] = '\0';
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	v->state = v->task.lot_code[0] && !v->lot[0] ? MV_RP_LOT : MV_RP_QTY;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_rp_confirm(struct move *v, const struct ui_db_result *db,
			      struct ui_effects *fx)
{
	const struct replen_db_confirm_result *r = db->result;
	struct wh_error e = { .code = db->err };

	if (db->err != WH_OK || !r) {
		snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
		switch (engine_reason_of(&e)) {
		case ENGINE_R_WRONG_LOCATION:
			v->to[0] = '\0';
			v->state = MV_RP_TO;
			break;
		case ENGINE_R_TASK_CLOSED:
		case ENGINE_R_NO_TASK:
		case ENGINE_R_TASK_CLAIMED:
			v->state = MV_RP_DONE;
			v->rp_moved = 0;
			v->rp_left = 0;
			break;
		default:
			v->state = MV_RP_QTY;
			break;
		}
		/* the operation id stays: a retry replays, never doubles */
		return failed(v, db, fx);
	}
	v->rp_moved = r->units;
	v->rp_left = r->remaining;
	v->task.qty = r->remaining;
	v->state = MV_RP_DONE;
	floor_msg_clear(&v->msg);
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_rp_plan(struct move *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct replen_db_plan_result *r = db->result;

	if (db->err != WH_OK || !r)
		return failed(v, db, fx);
	new_op(v);
	if (r->tasks == 0)
		floor_msg_set(&v->msg, false, "%s",
			      _("No replenishment needed"));
	else
		floor_msg_set(&v->msg, false,
			      _("%d replenishment tasks, %lld units"),
			      (int)r->tasks, (long long)r->units);
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned rp_scan(struct move *v, const struct floor_scan *s,
			struct ui_effects *fx)
{
	char code[LOOKUP_LOC_SIZE];

	switch (v->state) {
	case MV_RP_FROM:
		floor_copy(code, sizeof(code), s->code);
		if (strcmp(code, v->task.from_code)) {
			floor_msg_set(&v->msg, true, _("Wrong bin: go to %s"),
				      v->task.from_code);
			ui_fx_beep(fx, false);
			break;
		}
		floor_msg_clear(&v->msg);
		ui_fx_beep(fx, true);
		v->state = MV_RP_ITEM;
		break;
	case MV_RP_ITEM:
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		snprintf(v->lot, sizeof(v->lot), "%s", s->lot);
		v->has_count = s->has_count && s->count > 0 &&
			       s->count <= MAX_QTY;
		v->count = v->has_count ? s->count : 0;
		call(v, fx, MV_TAG_RP_ITEM, ui_req_resolve(s->code));
		break;
	case MV_RP_LOT:
		snprintf(v->lot, sizeof(v->lot), "%s",
			 s->lot[0] ? s->lot : s->code);
		if (strcmp(v->lot, v->task.lot_code)) {
			floor_msg_set(&v->msg, true,
				      _("Wrong lot: take lot %s"),
				      v->task.lot_code);
			v->lot[0] = '\0';
			ui_fx_beep(fx, false);
			break;
		}
		floor_msg_clear(&v->msg);
		v->state = MV_RP_QTY;
		break;
	case MV_RP_TO:
		floor_copy(v->to, sizeof(v->to), s->code);
		if (strcmp(v->to, v->task.to_code)) {
			floor_msg_set(&v->msg, true,
				      _("Wrong bin: put them in %s"),
				      v->task.to_code);
			v->to[0] = '\0';
			ui_fx_beep(fx, false);
			break;
		}
		floor_msg_clear(&v->msg);
		call(v, fx, MV_TAG_RP_CONFIRM,
		     ui_req_replen(UI_REQ_REPLEN_CONFIRM, v->task.task_id,
				   v->task.from_code, v->task.to_code,
				   v->scanned,
				   v->task.lot_code[0] ? v->lot : NULL,
				   (int32_t)(v->qty / v->sku.pack_qty),
				   v->op));
		break;
	default:
		ui_fx_beep(fx, false);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static long rp_default_qty(const struct move *v)
{
	long pack = v->sku.pack_qty > 0 ? v->sku.pack_qty : 1;
	long want = floor_scan_units(v->sku.pack_qty, v->has_count, v->count);

	if (pack == 1 || want > v->rp_left)
		return pack == 1 ? v->rp_left : pack;
	return want;
}

static unsigned rp_qty(struct move *v, struct ui_effects *fx)
{
	long qty, pack = v->sku.pack_qty > 0 ? v->sku.pack_qty : 1;

	if (floor_input_empty(&v->in)) {
		qty = rp_default_qty(v);
	} else if (!floor_parse_qty(v->in.s, MAX_QTY, &qty)) {
		floor_msg_set(&v->msg, true, "%s", _("Type a quantity"));
		floor_input_clear(&v->in);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_input_clear(&v->in);
	if (qty > v->rp_left || qty % pack) {
		if (qty > v->rp_left)
			floor_msg_set(&v->msg, true, _("At most %ld"),
				      v->rp_left);
		else
			floor_msg_set(&v->msg, true,
				      _("Type a multiple of %ld"), pack);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_msg_clear(&v->msg);
	v->qty = qty;
	v->state = MV_RP_TO;
	return UI_HANDLED | UI_REDRAW;
}

static void rp_back(struct move *v)
{
	floor_msg_clear(&v->msg);
	switch (v->state) {
	case MV_RP_TO:
		v->to[0] = '\0';
		v->state = MV_RP_QTY;
		break;
	case MV_RP_QTY:
	case MV_RP_LOT:
		v->lot[0] = v->scanned[0] = '\0';
		v->state = MV_RP_ITEM;
		break;
	case MV_RP_ITEM:
		v->state = MV_RP_FROM;
		break;
	default:
		/* the task stays claimed: F2 brings it back */
		v->state = MV_FROM;
		v->from[0] = '\0';
		new_op(v);
		break;
	}
}

static unsigned on_result(struct move *v, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	if (!v->pending || db->tag != v->pending)
		return UI_IGNORED;
	v->pending = 0;
	switch (db->tag) {
	case MV_TAG_FROM:
		return on_from(v, db, fx);
	case MV_TAG_ITEM:
		return on_item(v, db, fx);
	case MV_TAG_LOT:
		return on_lot(v, db, fx);
	case MV_TAG_MOVE:
		return on_move(v, db, fx);
	case MV_TAG_RP_CLAIM:
		return on_rp_claim(v, db, fx);
	case MV_TAG_RP_ITEM:
		return on_rp_item(v, db, fx);
	case MV_TAG_RP_CONFIRM:
		return on_rp_confirm(v, db, fx);
	case MV_TAG_RP_PLAN:
		return on_rp_plan(v, db, fx);
	}
	return UI_IGNORED;
}

/* --- input ----------------------------------------------------------- */

static unsigned take_scan(struct move *v, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	if (!s->code[0]) {
		floor_msg_set(&v->msg, true, "%s", _("Not a readable code"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (in_replen(v))
		return rp_scan(v, s, fx);
	switch (v->state) {
	case MV_FROM:
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		call(v, fx, MV_TAG_FROM, ui_req_resolve(s->code));
		break;
	case MV_ITEM:
		snprintf(v->scanned, sizeof(v->scanned), "%s", s->code);
		snprintf(v->lot, sizeof(v->lot), "%s", s->lot);
		v->has_count = s->has_count && s->count > 0 &&
			       s->count <= MAX_QTY;
		v->count = v->has_count ? s->count : 0;
		call(v, fx, MV_TAG_ITEM, ui_req_resolve(s->code));
		break;
	case MV_LOT:
		snprintf(v->lot, sizeof(v->lot), "%s",
			 s->lot[0] ? s->lot : s->code);
		call(v, fx, MV_TAG_LOT, ui_req_lot(v->sku.sku_id, v->lot));
		break;
	case MV_TO:
		floor_copy(v->to, sizeof(v->to), s->code);
		if (!strcmp(v->to, v->from)) {
			floor_msg_set(&v->msg, true, "%s",
				      _("Scan another bin than the source"));
			v->to[0] = '\0';
			ui_fx_beep(fx, false);
			break;
		}
		floor_msg_clear(&v->msg);
		call(v, fx, MV_TAG_MOVE,
		     ui_req_move(UI_REQ_MOVE, v->from, v->to, v->sku.sku_id,
				 v->lot_id, (int32_t)v->qty, v->op));
		break;
	default:
		ui_fx_beep(fx, false);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned submit(struct move *v, struct ui_effects *fx)
{
	struct floor_scan s;
	long qty;

	switch (v->state) {
	case MV_DONE:
		floor_msg_clear(&v->msg);
		to_item(v);
		return UI_HANDLED | UI_REDRAW;
	case MV_RP_CLAIM:
	case MV_RP_DONE:
		floor_msg_clear(&v->msg);
		if (v->state == MV_RP_DONE && v->rp_left > 0) {
			/* the rest of the same task */
			v->scanned[0] = v->lot[0] = v->to[0] = '\0';
			v->state = MV_RP_ITEM;
			new_op(v);
		} else {
			rp_claim(v, fx);
		}
		return UI_HANDLED | UI_REDRAW;
	case MV_RP_QTY:
		return rp_qty(v, fx);
	case MV_QTY:
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
		floor_msg_clear(&v->msg);
		v->qty = qty;
		v->state = MV_TO;
		return UI_HANDLED | UI_REDRAW;
	default:
		if (floor_input_empty(&v->in))
			return UI_HANDLED;
		if (!floor_read_typed(&v->in, &v->today, &v->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(v, &s, fx);
	}
}

static const struct ui_key_binding *keys_of(const struct move *v)
{
	switch (v->state) {
	case MV_FROM:
		return from_keys;
	case MV_DONE:
		return done_keys;
	case MV_RP_DONE:
		return rp_done_keys;
	default:
		return work_keys;
	}
}

static void back(struct move *v, struct ui_effects *fx)
{
	if (in_replen(v)) {
		rp_back(v);
		return;
	}
	floor_msg_clear(&v->msg);
	switch (v->state) {
	case MV_FROM:
		ui_fx_pop(fx);
		break;
	case MV_ITEM:
		v->state = MV_FROM;
		v->from[0] = '\0';
		break;
	case MV_TO:
		v->to[0] = '\0';
		v->state = MV_QTY;
		break;
	default:
		to_item(v);
		break;
	}
}

static unsigned move_key(struct move *v, int key, struct ui_effects *fx)
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
	case ACT_REPLEN:
		floor_msg_clear(&v->msg);
		rp_claim(v, fx);
		return UI_HANDLED | UI_REDRAW;
	case ACT_PLAN:
		floor_msg_clear(&v->msg);
		call(v, fx, MV_TAG_RP_PLAN,
		     ui_req_replen(UI_REQ_REPLEN_PLAN, 0, NULL, NULL, NULL,
				   NULL, 0, v->op));
		return UI_HANDLED | UI_REDRAW;
	case ACT_BACK:
		if (!floor_input_empty(&v->in))
			floor_input_clear(&v->in);
		else
			back(v, fx);
		return UI_HANDLED | UI_REDRAW;
	}
	if (v->state == MV_DONE || v->state == MV_RP_DONE ||
	    v->state == MV_RP_CLAIM)
		return UI_IGNORED;
	return floor_input_key(&v->in, key, fx) ? UI_HANDLED | UI_REDRAW
						 : UI_IGNORED;
}

static unsigned move_event(void *state, const struct ui_event *ev,
			      struct ui_effects *fx)
{
	struct move *v = state;
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
		return move_key(v, ev->key, fx);
	case UI_EV_SCAN:
		if (v->pending || v->state == MV_QTY ||
		    v->state == MV_DONE || v->state == MV_RP_QTY ||
		    v->state == MV_RP_DONE || v->state == MV_RP_CLAIM) {
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

static const char *hint_of(const struct move *v)
{
	switch (v->state) {
	case MV_FROM:
		return _("Scan where it is");
	case MV_ITEM:
		return _("Scan case or item");
	case MV_LOT:
		return _("Lot");
	case MV_TO:
		return _("Scan the new bin");
	case MV_QTY:
	case MV_RP_QTY:
		return _("Units, Enter");
	case MV_RP_FROM:
		return _("Scan where it is");
	case MV_RP_ITEM:
		return _("Scan case or item");
	case MV_RP_LOT:
		return _("Lot");
	case MV_RP_TO:
		return _("Scan the pick face");
	default:
		return NULL;
	}
}

static void draw_replen(const struct move *v, struct canvas *c, int last)
{
	char buf[200];
	int y = 1, w = c->w;

	if (v->state == MV_RP_CLAIM) {
		if (!v->msg.text[0] && y <= last)
			floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_DIM,
				   _("Looking for a replenishment task..."));
		return;
	}
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("From"), v->task.from_code);
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("SKU"), v->task.sku_code);
	if (y <= last && c->h >= 16)
		y += floor_wrap(c, 0, y, w, 2, UI_ROLE_NORMAL,
				v->task.sku_name);
	if (y <= last && v->task.lot_code[0])
		floor_draw_field(c, 0, y++, w, _("Lot"), v->task.lot_code);
	if (y <= last) {
		snprintf(buf, sizeof(buf), "%ld", v->state == MV_RP_DONE
					      ? v->rp_moved : v->rp_left);
		floor_draw_field(c, 0, y++, w, _("Qty"), buf);
	}
	if (y <= last)
		floor_draw_field(c, 0, y++, w, _("To"), v->task.to_code);
	if (v->state == MV_RP_QTY && y <= last) {
		snprintf(buf, sizeof(buf), _("Enter = %ld"),
			 rp_default_qty(v));
		canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, buf);
	}
	if (v->state == MV_RP_DONE && v->rp_moved > 0 && y <= last) {
		snprintf(buf, sizeof(buf), _("Moved %ld from %s to %s"),
			 v->rp_moved, v->task.from_code, v->task.to_code);
		floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_STATUS_OK, buf);
	}
}

static void draw_body(const struct move *v, struct canvas *c, int last)
{
	char buf[200];
	int y = 1, w = c->w;

	if (v->state == MV_FROM) {
		floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_DIM,
			   _("Scan the bin to move from."));
		return;
	}
	floor_draw_field(c, 0, y++, w, _("From"), v->from);
	if (v->state == MV_ITEM) {
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
	if (y <= last && v->state != MV_LOT)
		floor_draw_field(c, 0, y++, w, _("Lot"),
				 v->lot[0] ? v->lot : "-");
	if (v->state == MV_LOT)
		return;
	if (v->state == MV_QTY) {
		if (y <= last) {
			snprintf(buf, sizeof(buf), _("Enter = %ld"),
				 default_qty(v));
			canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, buf);
		}
		return;
	}
	if (y <= last) {
		snprintf(buf, sizeof(buf), "%ld", v->qty);
		floor_draw_field(c, 0, y++, w, _("Qty"), buf);
	}
	if (v->state == MV_DONE && y <= last) {
		snprintf(buf, sizeof(buf), _("Moved %ld from %s to %s"), v->qty,
			 v->from, v->to);
		floor_wrap(c, 0, y, w, last - y + 1, UI_ROLE_STATUS_OK, buf);
	}
}

static void move_draw(const void *state, struct canvas *c)
{
	const struct move *v = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = floor_msg_rows(c, &v->msg,
				  lay == UI_LAYOUT_HANDHELD ? 4 : 2);
	bool input = v->state != MV_DONE && v->state != MV_RP_DONE &&
		     v->state != MV_RP_CLAIM;
	int in = c->h - 2 - rows;

	if (in_replen(v))
		canvas_status(c, 0, UI_ROLE_TITLE, _("Replenish"),
			      v->task.to_code);
	else
		canvas_status(c, 0, UI_ROLE_TITLE, _("Move"),
			      v->state > MV_FROM ? v->from : "");
	if (!input) {
		rows = v->state == MV_RP_CLAIM ? 2 : 1;
		in = c->h - 1 - rows;
	}
	if (in_replen(v))
		draw_replen(v, c, in - 1);
	else
		draw_body(v, c, in - 1);
	if (input)
		floor_draw_input(c, in, &v->in, hint_of(v));
	else
		in--;
	floor_draw_msg(c, in + 1, rows, &v->msg,
		       v->state == MV_DONE ? _("Enter: next item")
		       : v->state == MV_RP_DONE ? _("Enter: next task")
		       : NULL);
	keys_bar_draw(c, c->h - 1, keys_of(v));
}

enum move_state move_state_of(const void *state)
{
	return ((const struct move *)state)->state;
}

const char *move_message(const void *state)
{
	return ((const struct move *)state)->msg.text;
}

bool move_busy(const void *state)
{
	return ((const struct move *)state)->pending != 0;
}

const struct ui_screen_ops scr_move = {
	.name = "move",
	.init = move_init,
	.event = move_event,
	.draw = move_draw,
	.free = move_free,
};
