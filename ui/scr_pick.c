/*
 * scr_pick.c - the pick screen. See scr_pick.h.
 */
#include "ui/scr_pick.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "db/lookup.h"
#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/text.h"

#define INTERCEPT_CHANNEL "wharf_intercept"
#define MAX_QTY 99999

enum pick_action {
	ACT_OK = 1,
	ACT_SHORT,
	ACT_SKIP,
	ACT_BACK,
	ACT_CLOSE,
	ACT_UP,
	ACT_DOWN,
};

static const struct ui_key_binding work_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_F(2), N_("Short"), ACT_SHORT },
	{ UI_KEY_F(3), N_("Skip"), ACT_SKIP },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding putback_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding idle_keys[] = {
	{ UI_KEY_ENTER, N_("Retry"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_CLOSE },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding entry_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Cancel"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding skip_keys[] = {
	{ UI_KEY_ENTER, N_("Skip"), ACT_OK },
	{ UI_KEY_ESC, N_("Cancel"), ACT_BACK },
	{ UI_KEY_UP, NULL, ACT_UP },
	{ UI_KEY_DOWN, NULL, ACT_DOWN },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding alert_keys[] = {
	{ UI_KEY_ENTER, N_("Next task"), ACT_OK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

/* Skip reasons: shown translated, stored in English in the audit log. */
static const char *const skip_reasons[] = {
	N_("Bin empty or blocked"),
	N_("Cannot reach"),
	N_("Item damaged"),
	N_("Other"),
};
#define NREASONS ((int)(sizeof(skip_reasons) / sizeof(skip_reasons[0])))

struct pick {
	enum pick_state state;
	enum pick_state back; /* where Esc returns from SHORT/SKIP */
	int pending;          /* tag of the call in flight, 0 none */
	struct gs1_date today;
	bool has_task;
	struct engine_task task; /* strings sanitised */
	char bin[LOOKUP_LOC_SIZE];     /* scanned bin */
	char item[FLOOR_CODE_MAX + 1]; /* scanned item code */
	char lot[LOOKUP_LOT_SIZE];     /* from the scan or typed */
	int32_t pack;                  /* units per scan of item */
	bool has_count;
	long count;                    /* GS1 count of the scan */
	char op[ENGINE_OP_ID_SIZE];
	int skip_sel;
	int64_t picked;                /* units picked on this task here */
	struct floor_input in;
	struct floor_msg msg;
	/* the interception alert */
	int64_t alert_order;
	char alert_bin[LOOKUP_LOC_SIZE];
	char alert_tote[33];
	int32_t alert_slot;
	int64_t alert_units; /* picked into the tote on this task */
	char alert_text[FLOOR_MSG_MAX];
};

static void *pick_init(const void *params, struct wh_error *e)
{
	const struct pick_params *p = params;
	struct pick *k = calloc(1, sizeof(*k));

	if (!k) {
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		return NULL;
	}
	k->state = PICK_CLAIMING;
	if (p)
		k->today = p->today;
	if (k->today.year < 1000) {
		k->today.year = 2000;
		k->today.month = 1;
		k->today.day = 1;
	}
	return k;
}

static void pick_free(void *state)
{
	free(state);
}

static bool is_putback(const struct pick *k)
{
	return k->has_task && strcmp(k->task.kind, "putback") == 0;
}

/* A fresh operation id for the next stock-changing call. */
static void new_op(struct pick *k)
{
	floor_new_op(k->op, sizeof(k->op));
}

static void call(struct pick *k, struct ui_effects *fx, int tag,
		 struct ui_req *r)
{
	floor_call(&k->msg, &k->pending, fx, tag, r);
}

static void claim(struct pick *k, struct ui_effects *fx)
{
	k->state = PICK_CLAIMING;
	k->has_task = false;
	floor_input_clear(&k->in);
	call(k, fx, PICK_TAG_CLAIM, ui_req_claim_task());
}

long pick_default_qty(const void *state)
{
	const struct pick *k = state;
	int64_t rem = k->task.qty;

	if (k->has_count && k->count > 0)
		return k->count;
	if (k->pack <= 1)
		return (long)rem;
	return rem / k->pack > 0 ? (long)(rem / k->pack) : 1;
}

static void copy_task(struct pick *k, const struct engine_task *t)
{
	k->task = *t;
	floor_copy(k->task.kind, sizeof(k->task.kind), t->kind);
	floor_copy(k->task.location_code, sizeof(k->task.location_code),
		   t->location_code);
	floor_copy(k->task.to_location_code,
		   sizeof(k->task.to_location_code), t->to_location_code);
	floor_copy(k->task.sku_code, sizeof(k->task.sku_code), t->sku_code);
	floor_copy(k->task.sku_name, sizeof(k->task.sku_name), t->sku_name);
	floor_copy(k->task.lot_code, sizeof(k->task.lot_code), t->lot_code);
	floor_copy(k->task.lot_expiry, sizeof(k->task.lot_expiry),
		   t->lot_expiry);
	floor_copy(k->task.tote_code, sizeof(k->task.tote_code), t->tote_code);
	k->has_task = true;
	k->bin[0] = k->item[0] = k->lot[0] = '\0';
	k->pack = 1;
	k->has_count = false;
	k->count = 0;
	k->picked = 0;
	new_op(k);
}

/* The interception alert for the current task; the task is abandoned. */
static void raise_alert(struct pick *k, struct ui_effects *fx,
			const char *why)
{
	k->alert_order = k->task.order_id;
	snprintf(k->alert_bin, sizeof(k->alert_bin), "%s",
		 k->task.location_code);
	snprintf(k->alert_tote, sizeof(k->alert_tote), "%s",
		 k->task.tote_code);
	k->alert_slot = k->task.slot;
	k->alert_units = k->picked;
	floor_copy(k->alert_text, sizeof(k->alert_text), why ? why : "");
	k->state = PICK_ALERT;
	k->has_task = false;
	k->pending = 0; /* an answer for the abandoned task is dropped */
	floor_input_clear(&k->in);
	floor_msg_clear(&k->msg);
	ui_fx_beep(fx, false);
}

/* --- database answers ------------------------------------------------ */

static unsigned on_claim(struct pick *k, const struct ui_db_result *db,
			 struct ui_effects *fx)
{
	if (db->err == WH_ERR_NOT_FOUND) {
		/* the last pick's message stays: the body says why idle */
		k->state = PICK_IDLE;
		if (k->msg.err)
			floor_msg_clear(&k->msg);
		return UI_HANDLED | UI_REDRAW;
	}
	if (db->err != WH_OK || !db->result) {
		k->state = PICK_IDLE;
		floor_msg_db(&k->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	copy_task(k, db->result);
	k->state = PICK_BIN;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_resolve(struct pick *k, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct lookup_code *lc = db->result;

	if (db->err != WH_OK || !lc) {
		floor_msg_db(&k->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (lc->kind != LOOKUP_SKU) {
		floor_msg_set(&k->msg, true, _("Unknown barcode %s"), k->item);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (lc->sku_id != k->task.sku_id) {
		char got[LOOKUP_CODE_SIZE];

		floor_copy(got, sizeof(got), lc->sku_code);
		floor_msg_set(&k->msg, true, _("Wrong item %s: expected %s"),
			      got, k->task.sku_code);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	k->pack = lc->pack_qty > 0 ? lc->pack_qty : 1;
	ui_fx_beep(fx, true);
	if (k->task.lot_code[0] && !k->lot[0]) {
		k->state = PICK_LOT;
		floor_msg_set(&k->msg, false, _("Scan the lot (%s)"),
			      k->task.lot_code);
	} else {
		k->state = PICK_QTY;
		if (k->pack > 1)
			floor_msg_set(&k->msg, false, _("Case of %d units"),
				      (int)k->pack);
		else
			floor_msg_clear(&k->msg);
	}
	return UI_HANDLED | UI_REDRAW;
}

/* Where a refused confirmation sends the picker. */
static void refused(struct pick *k, const struct ui_db_result *db,
		    struct ui_effects *fx)
{
	struct wh_error e = { .code = db->err };

	snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
	floor_msg_db(&k->msg, db->msg, _("Database error"));
	ui_fx_beep(fx, false);
	switch (engine_reason_of(&e)) {
	case ENGINE_R_WRONG_LOCATION:
		k->bin[0] = '\0';
		k->state = PICK_BIN;
		break;
	case ENGINE_R_WRONG_SKU:
	case ENGINE_R_UNKNOWN_BARCODE:
		k->item[0] = k->lot[0] = '\0';
		k->state = is_putback(k) ? PICK_QTY : PICK_ITEM;
		break;
	case ENGINE_R_WRONG_LOT:
	case ENGINE_R_LOT_REQUIRED:
	case ENGINE_R_LOT_EXPIRED:
		k->lot[0] = '\0';
		k->state = k->task.lot_code[0] ? PICK_LOT : PICK_ITEM;
		break;
	case ENGINE_R_TASK_CLOSED:
	case ENGINE_R_TASK_CLAIMED:
	case ENGINE_R_NO_TASK:
	case ENGINE_R_WRONG_TASK:
		claim(k, fx);
		break;
	default:
		/* a lost answer or a quantity to correct: same step, same
		 * operation id, so a retry is a replay */
		break;
	}
}

static bool intercepted(const struct ui_db_result *db)
{
	struct wh_error e = { .code = db->err };

	snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
	return engine_reason_of(&e) == ENGINE_R_INTERCEPTED;
}

static unsigned on_confirm(struct pick *k, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct ui_pick_result *pr = db->result;
	const struct engine_pick_result *r = pr ? &pr->pick : NULL;
	char tote[33];

	if (db->err != WH_OK || !r) {
		if (intercepted(db)) {
			raise_alert(k, fx, db->msg);
			return UI_HANDLED | UI_REDRAW;
		}
		refused(k, db, fx);
		return UI_HANDLED | UI_REDRAW;
	}
	ui_fx_beep(fx, true);
	k->picked += r->units;
	floor_copy(tote, sizeof(tote), r->tote_code);
	if (r->slot > 0)
		floor_msg_set(&k->msg, false, _("%" PRId64 " into %s slot %d"),
			      r->units, tote, (int)r->slot);
	else
		floor_msg_set(&k->msg, false, _("%" PRId64 " into %s"),
			      r->units, tote);
	if (r->remaining > 0) {
		k->task.qty = r->remaining;
		k->item[0] = k->lot[0] = '\0';
		k->has_count = false;
		k->state = PICK_ITEM;
		new_op(k);
		return UI_HANDLED | UI_REDRAW;
	}
	/* The engine claimed the next task with the pick; the message of
	 * the pick stays on screen above it (or says why we are idle). */
	if (pr->has_next) {
		copy_task(k, &pr->next);
		k->state = PICK_BIN;
	} else {
		k->has_task = false;
		k->state = PICK_IDLE;
		floor_input_clear(&k->in);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_putback(struct pick *k, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct engine_putback_result *r = db->result;

	if (db->err != WH_OK || !r) {
		refused(k, db, fx);
		if (k->state == PICK_ITEM)
			k->state = PICK_BIN;
		return UI_HANDLED | UI_REDRAW;
	}
	ui_fx_beep(fx, true);
	floor_msg_set(&k->msg, false, _("%" PRId64 " put back into %s"),
		      r->units, k->bin);
	if (r->remaining > 0) {
		k->task.qty = r->remaining;
		k->state = PICK_QTY;
		new_op(k);
		return UI_HANDLED | UI_REDRAW;
	}
	claim(k, fx);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_short(struct pick *k, const struct ui_db_result *db,
			 struct ui_effects *fx)
{
	const struct engine_short_result *r = db->result;

	if (db->err != WH_OK || !r) {
		if (intercepted(db)) {
			raise_alert(k, fx, db->msg);
			return UI_HANDLED | UI_REDRAW;
		}
		floor_msg_db(&k->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	ui_fx_beep(fx, true);
	floor_msg_set(&k->msg, false,
		      _("Short %" PRId64 ": %" PRId64 " found elsewhere"),
		      r->shortfall, r->reallocated);
	claim(k, fx);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_skip(struct pick *k, const struct ui_db_result *db,
			struct ui_effects *fx)
{
	if (db->err != WH_OK) {
		floor_msg_db(&k->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		k->state = k->back;
		return UI_HANDLED | UI_REDRAW;
	}
	floor_msg_set(&k->msg, false, "%s", _("Task skipped"));
	claim(k, fx);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_result(struct pick *k, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	if (!k->pending || db->tag != k->pending)
		return UI_IGNORED;
	k->pending = 0;
	switch (db->tag) {
	case PICK_TAG_CLAIM:
		return on_claim(k, db, fx);
	case PICK_TAG_RESOLVE:
		return on_resolve(k, db, fx);
	case PICK_TAG_CONFIRM:
		return on_confirm(k, db, fx);
	case PICK_TAG_PUTBACK:
		return on_putback(k, db, fx);
	case PICK_TAG_SHORT:
		return on_short(k, db, fx);
	case PICK_TAG_SKIP:
		return on_skip(k, db, fx);
	}
	return UI_IGNORED;
}

/* --- scans and typed entries ----------------------------------------- */

static void send_confirm(struct pick *k, long qty, struct ui_effects *fx)
{
	if (is_putback(k)) {
		call(k, fx, PICK_TAG_PUTBACK,
		     ui_req_putback(k->task.task_id, k->bin, (int32_t)qty,
				    k->op));
		return;
	}
	call(k, fx, PICK_TAG_CONFIRM,
	     ui_req_confirm_pick(k->task.task_id, k->bin, k->item,
				 k->lot[0] ? k->lot : NULL, (int32_t)qty,
				 k->op));
}

static unsigned take_scan(struct pick *k, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	switch (k->state) {
	case PICK_BIN:
		if (is_putback(k)) {
			/* any open bin: the engine says which are allowed */
			snprintf(k->bin, sizeof(k->bin), "%s", s->code);
			k->state = PICK_QTY;
			floor_msg_clear(&k->msg);
			ui_fx_beep(fx, true);
			break;
		}
		if (strcmp(s->code, k->task.location_code) != 0) {
			floor_msg_set(&k->msg, true, _("Wrong bin: go to %s"),
				      k->task.location_code);
			ui_fx_beep(fx, false);
			break;
		}
		snprintf(k->bin, sizeof(k->bin), "%s", s->code);
		k->state = PICK_ITEM;
		floor_msg_clear(&k->msg);
		ui_fx_beep(fx, true);
		break;
	case PICK_ITEM:
		if (!s->code[0]) {
			floor_msg_set(&k->msg, true, "%s",
				      _("Scan the item first"));
			ui_fx_beep(fx, false);
			break;
		}
		snprintf(k->item, sizeof(k->item), "%s", s->code);
		snprintf(k->lot, sizeof(k->lot), "%s", s->lot);
		k->has_count = s->has_count && s->count > 0 &&
			       s->count <= MAX_QTY;
		k->count = k->has_count ? s->count : 0;
		call(k, fx, PICK_TAG_RESOLVE, ui_req_resolve(k->item));
		break;
	case PICK_LOT:
		snprintf(k->lot, sizeof(k->lot), "%s",
			 s->lot[0] ? s->lot : s->code);
		k->state = PICK_QTY;
		floor_msg_clear(&k->msg);
		ui_fx_beep(fx, true);
		break;
	default:
		ui_fx_beep(fx, false);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned enter_qty(struct pick *k, struct ui_effects *fx)
{
	long qty;

	if (floor_input_empty(&k->in)) {
		qty = pick_default_qty(k);
	} else if (!floor_parse_qty(k->in.s, MAX_QTY, &qty)) {
		floor_msg_set(&k->msg, true, "%s", _("Type a quantity"));
		floor_input_clear(&k->in);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_input_clear(&k->in);
	send_confirm(k, qty, fx);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned enter_short(struct pick *k, struct ui_effects *fx)
{
	long found;

	if (!parse_long(k->in.s, 0, k->task.qty - 1, &found)) {
		floor_msg_set(&k->msg, true, _("Found: 0 to %" PRId64),
			      k->task.qty - 1);
		floor_input_clear(&k->in);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_input_clear(&k->in);
	call(k, fx, PICK_TAG_SHORT,
	     ui_req_short_pick(k->task.task_id, (int32_t)found, k->op));
	return UI_HANDLED | UI_REDRAW;
}

static unsigned enter_skip(struct pick *k, struct ui_effects *fx)
{
	call(k, fx, PICK_TAG_SKIP,
	     ui_req_skip_task(k->task.task_id, skip_reasons[k->skip_sel]));
	return UI_HANDLED | UI_REDRAW;
}

/* Enter: the typed line is a scan, a quantity, or an answer. */
static unsigned submit(struct pick *k, struct ui_effects *fx)
{
	struct floor_scan s;

	switch (k->state) {
	case PICK_IDLE:
		floor_msg_clear(&k->msg);
		claim(k, fx);
		return UI_HANDLED | UI_REDRAW;
	case PICK_ALERT:
		claim(k, fx);
		return UI_HANDLED | UI_REDRAW;
	case PICK_QTY:
		return enter_qty(k, fx);
	case PICK_SHORT:
		return enter_short(k, fx);
	case PICK_SKIP:
		return enter_skip(k, fx);
	case PICK_BIN:
	case PICK_ITEM:
	case PICK_LOT:
		if (floor_input_empty(&k->in))
			return UI_HANDLED;
		if (!floor_read_typed(&k->in, &k->today, &k->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(k, &s, fx);
	default:
		return UI_HANDLED;
	}
}

static const struct ui_key_binding *keys_of(const struct pick *k)
{
	switch (k->state) {
	case PICK_IDLE:
	case PICK_CLAIMING:
		return idle_keys;
	case PICK_SHORT:
		return entry_keys;
	case PICK_SKIP:
		return skip_keys;
	case PICK_ALERT:
		return alert_keys;
	default:
		return is_putback(k) ? putback_keys : work_keys;
	}
}

static void back(struct pick *k, struct ui_effects *fx)
{
	floor_msg_clear(&k->msg);
	switch (k->state) {
	case PICK_QTY:
		k->state = is_putback(k) ? PICK_BIN : PICK_ITEM;
		k->item[0] = k->lot[0] = '\0';
		break;
	case PICK_LOT:
	case PICK_ITEM:
		k->state = PICK_BIN;
		k->item[0] = k->lot[0] = '\0';
		break;
	case PICK_SHORT:
	case PICK_SKIP:
		k->state = k->back;
		break;
	default:
		ui_fx_pop(fx);
		break;
	}
}

static unsigned pick_key(struct pick *k, int key, struct ui_effects *fx)
{
	int act = keys_dispatch(keys_of(k), key);

	if (k->pending) { /* one call at a time */
		if (act == ACT_CLOSE) {
			ui_fx_pop(fx);
			return UI_HANDLED;
		}
		return UI_HANDLED;
	}
	if (k->state == PICK_SKIP && key >= '1' && key < '1' + NREASONS) {
		k->skip_sel = key - '1';
		return enter_skip(k, fx);
	}
	switch (act) {
	case ACT_OK:
		return submit(k, fx);
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	case ACT_BACK:
		if (!floor_input_empty(&k->in)) {
			floor_input_clear(&k->in);
			return UI_HANDLED | UI_REDRAW;
		}
		back(k, fx);
		return UI_HANDLED | UI_REDRAW;
	case ACT_SHORT:
		if (k->state < PICK_BIN || k->state > PICK_QTY)
			return UI_HANDLED;
		k->back = k->state;
		k->state = PICK_SHORT;
		floor_input_clear(&k->in);
		floor_msg_set(&k->msg, false, _("Units found? 0 to %" PRId64),
			      k->task.qty - 1);
		return UI_HANDLED | UI_REDRAW;
	case ACT_SKIP:
		if (k->state < PICK_BIN || k->state > PICK_QTY)
			return UI_HANDLED;
		k->back = k->state;
		k->state = PICK_SKIP;
		k->skip_sel = 0;
		floor_msg_clear(&k->msg);
		return UI_HANDLED | UI_REDRAW;
	case ACT_UP:
		k->skip_sel = (k->skip_sel + NREASONS - 1) % NREASONS;
		return UI_HANDLED | UI_REDRAW;
	case ACT_DOWN:
		k->skip_sel = (k->skip_sel + 1) % NREASONS;
		return UI_HANDLED | UI_REDRAW;
	}
	if (k->state == PICK_ALERT || k->state == PICK_SKIP ||
	    k->state == PICK_CLAIMING || k->state == PICK_IDLE)
		return UI_IGNORED;
	return floor_input_key(&k->in, key, fx) ? UI_HANDLED | UI_REDRAW
						 : UI_IGNORED;
}

static unsigned on_notify(struct pick *k, const struct ui_notify *n,
			  struct ui_effects *fx)
{
	long order;

	if (!n->channel || strcmp(n->channel, INTERCEPT_CHANNEL) != 0)
		return UI_IGNORED;
	if (!k->has_task || is_putback(k) || k->task.order_id <= 0 ||
	    !parse_long(n->payload, 1, LONG_MAX, &order) ||
	    (int64_t)order != k->task.order_id)
		return UI_IGNORED;
	raise_alert(k, fx, NULL);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned pick_event(void *state, const struct ui_event *ev,
			   struct ui_effects *fx)
{
	struct pick *k = state;
	struct floor_scan s;

	switch (ev->type) {
	case UI_EV_START:
		claim(k, fx);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESUME:
	case UI_EV_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_result(k, &ev->db, fx);
	case UI_EV_NOTIFY:
		return on_notify(k, &ev->notify, fx);
	case UI_EV_KEY:
		return pick_key(k, ev->key, fx);
	case UI_EV_SCAN:
		if (k->pending || k->state < PICK_BIN ||
		    k->state > PICK_LOT) {
			ui_fx_beep(fx, false);
			return UI_HANDLED;
		}
		if (!floor_read_scan(&ev->scan, &k->today, &k->msg, fx, &s))
			return UI_HANDLED | UI_REDRAW;
		return take_scan(k, &s, fx);
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

static const char *hint_of(const struct pick *k)
{
	switch (k->state) {
	case PICK_BIN:
		return _("Scan bin");
	case PICK_ITEM:
		return _("Scan item");
	case PICK_LOT:
		return _("Scan lot");
	case PICK_QTY:
		return _("Qty, Enter");
	case PICK_SHORT:
		return _("Units found");
	default:
		return NULL;
	}
}

static void draw_alert(const struct pick *k, struct canvas *c)
{
	char line[128];
	int y = 1, w = c->w - 2;

	canvas_fill(c, 0, 0, c->w, c->h, UI_ROLE_ALERT);
	canvas_text_aligned(c, 0, 0, c->w, UI_ROLE_ALERT, TEXT_CENTER,
			    _("!! INTERCEPTED !!"));
	if (c->h >= 12)
		y = 2;
	snprintf(line, sizeof(line), _("Order %" PRId64), k->alert_order);
	y += floor_wrap(c, 1, y, w, 1, UI_ROLE_ALERT,
			k->alert_order > 0 ? line : _("Order cancelled"));
	y += floor_wrap(c, 1, y, w, 2, UI_ROLE_ALERT,
			_("Stop: do not pick this task."));
	if (k->alert_units > 0) {
		snprintf(line, sizeof(line),
			 _("Put %" PRId64 " back from %s into:"),
			 k->alert_units, k->alert_tote);
		y += floor_wrap(c, 1, y, w, 2, UI_ROLE_ALERT, line);
	} else {
		y += floor_wrap(c, 1, y, w, 1, UI_ROLE_ALERT,
				_("Put back location:"));
	}
	canvas_text_aligned(c, 0, y++, c->w, UI_ROLE_ALERT, TEXT_CENTER,
			    k->alert_bin);
	if (k->alert_text[0] && y < c->h - 2) {
		char m[FLOOR_MSG_MAX];
		struct floor_msg fm;

		floor_msg_db(&fm, k->alert_text, "");
		snprintf(m, sizeof(m), "%s", fm.text);
		y += floor_wrap(c, 1, y, w, c->h - 2 - y, UI_ROLE_ALERT, m);
	}
	if (y < c->h - 1)
		floor_wrap(c, 1, c->h - 2, w, 1, UI_ROLE_ALERT,
			   _("Enter: next task"));
	keys_bar_draw(c, c->h - 1, alert_keys);
}

static void draw_skip(const struct pick *k, struct canvas *c, int top,
		      int last)
{
	char line[128];
	int i, y = top;

	canvas_text(c, 0, y++, -1, UI_ROLE_NORMAL, _("Skip: why?"));
	for (i = 0; i < NREASONS && y <= last; i++, y++) {
		snprintf(line, sizeof(line), "%d %s", i + 1,
			 _(skip_reasons[i]));
		canvas_text_aligned(c, 0, y, c->w,
				    i == k->skip_sel ? UI_ROLE_SELECTED
						     : UI_ROLE_NORMAL,
				    TEXT_LEFT, line);
	}
}

static void title(const struct pick *k, struct canvas *c)
{
	char right[48] = "";

	if (k->has_task && k->task.wave_total > 0)
		snprintf(right, sizeof(right), "%" PRId64 "/%" PRId64,
			 k->task.wave_done + 1 > k->task.wave_total
				 ? k->task.wave_total
				 : k->task.wave_done + 1,
			 k->task.wave_total);
	canvas_status(c, 0, UI_ROLE_TITLE,
		      is_putback(k) ? _("Put back") : _("Pick"), right);
}

/* "Go to BIN" or, for a put-back, "BIN <- TOTE". */
static void where(const struct pick *k, char *buf, size_t n)
{
	if (is_putback(k))
		snprintf(buf, n, _("Into %s"), k->task.to_location_code);
	else
		snprintf(buf, n, _("Go to %s"), k->task.location_code);
}

static void qty_text(const struct pick *k, char *buf, size_t n)
{
	snprintf(buf, n, "%" PRId64, k->task.qty);
}

static void tote_text(const struct pick *k, char *buf, size_t n)
{
	if (is_putback(k))
		snprintf(buf, n, _("From tote %s"), k->task.location_code);
	else if (k->task.slot > 0)
		snprintf(buf, n, _("Tote %s slot %d"), k->task.tote_code,
			 (int)k->task.slot);
	else
		snprintf(buf, n, _("Tote %s"), k->task.tote_code);
}

static void lot_text(const struct pick *k, char *buf, size_t n, bool exp)
{
	if (!k->task.lot_code[0])
		snprintf(buf, n, "%s", _("No lot"));
	else if (exp && k->task.lot_expiry[0])
		snprintf(buf, n, _("Lot %s exp %s"), k->task.lot_code,
			 k->task.lot_expiry);
	else
		snprintf(buf, n, _("Lot %s"), k->task.lot_code);
}

/* The quantity being entered, in units, for the QTY step. */
static void entry_text(const struct pick *k, char *buf, size_t n)
{
	long q = pick_default_qty(k);

	if (k->pack > 1)
		snprintf(buf, n, _("Enter = %ld x %d = %ld units"), q,
			 (int)k->pack, q * k->pack);
	else
		snprintf(buf, n, _("Enter = %ld"), q);
}

static void draw_handheld(const struct pick *k, struct canvas *c, int last)
{
	char buf[160];
	int y = 1, big;

	where(k, buf, sizeof(buf));
	canvas_status(c, y++, UI_ROLE_SELECTED, buf, NULL);
	canvas_text(c, 0, y++, -1, UI_ROLE_NORMAL, k->task.sku_code);
	y += floor_wrap(c, 0, y, c->w, c->h >= 16 ? 2 : 1, UI_ROLE_DIM,
			k->task.sku_name);
	lot_text(k, buf, sizeof(buf), false);
	canvas_text(c, 0, y++, -1, UI_ROLE_NORMAL, buf);
	if (k->task.lot_expiry[0] && c->h >= 16) {
		snprintf(buf, sizeof(buf), _("Exp %s"), k->task.lot_expiry);
		canvas_text(c, 0, y++, -1, UI_ROLE_NORMAL, buf);
	}
	qty_text(k, buf, sizeof(buf));
	big = last - y >= 5 ? 5 : last - y >= 3 ? 3 : 0;
	if (k->state == PICK_QTY && last - y >= 2) {
		char e[96];

		entry_text(k, e, sizeof(e));
		y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_SELECTED, e);
		big = last - y >= 5 ? 5 : last - y >= 3 ? 3 : 0;
	}
	if (big) {
		canvas_bigdigits(c, 0, y, big, UI_ROLE_NORMAL, buf);
		y += big;
	} else {
		char q[64];

		snprintf(q, sizeof(q), _("Qty %s"), buf);
		canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, q);
	}
	if (y <= last) {
		tote_text(k, buf, sizeof(buf));
		canvas_text(c, 0, y, -1, UI_ROLE_NORMAL, buf);
	}
}

static void draw_small(const struct pick *k, struct canvas *c, int last)
{
	char a[160], b[96];
	int y = 1;

	where(k, a, sizeof(a));
	tote_text(k, b, sizeof(b));
	canvas_status(c, y++, UI_ROLE_SELECTED, a, b);
	snprintf(a, sizeof(a), "%s %s", k->task.sku_code, k->task.sku_name);
	canvas_text(c, 0, y++, -1, UI_ROLE_NORMAL, a);
	lot_text(k, a, sizeof(a), true);
	if (y <= last) {
		qty_text(k, b, sizeof(b));
		canvas_text(c, 0, y, c->w - 12, UI_ROLE_NORMAL, a);
		snprintf(a, sizeof(a), _("Qty %s"), b);
		canvas_text_aligned(c, c->w - 12, y++, 12, UI_ROLE_SELECTED,
				    TEXT_RIGHT, a);
	}
	if (k->state == PICK_QTY && y <= last) {
		entry_text(k, a, sizeof(a));
		canvas_text(c, 0, y, -1, UI_ROLE_DIM, a);
	}
}

static void draw_desk(const struct pick *k, struct canvas *c, int last)
{
	char buf[160];
	int y = 2, lw = c->w - 30, bx;

	where(k, buf, sizeof(buf));
	canvas_status(c, 1, UI_ROLE_SELECTED, buf, NULL);
	floor_draw_field(c, 1, y++, lw, _("SKU"), k->task.sku_code);
	y += floor_wrap(c, 1, y, lw, 2, UI_ROLE_NORMAL, k->task.sku_name);
	floor_draw_field(c, 1, y++, lw, _("Lot"),
			 k->task.lot_code[0] ? k->task.lot_code : "-");
	floor_draw_field(c, 1, y++, lw, _("Expiry"),
			 k->task.lot_expiry[0] ? k->task.lot_expiry : "-");
	tote_text(k, buf, sizeof(buf));
	canvas_text(c, 1, y++, lw, UI_ROLE_NORMAL, buf);
	if (k->task.order_id > 0) {
		snprintf(buf, sizeof(buf), "%" PRId64, k->task.order_id);
		floor_draw_field(c, 1, y++, lw, _("Order"), buf);
	}
	if (k->state == PICK_QTY && y <= last) {
		entry_text(k, buf, sizeof(buf));
		canvas_text(c, 1, ++y, lw, UI_ROLE_SELECTED, buf);
	}
	qty_text(k, buf, sizeof(buf));
	bx = c->w - canvas_bigdigits_width(buf) - 2;
	canvas_text(c, lw + 2, 2, -1, UI_ROLE_DIM, _("Quantity"));
	if (last >= 8)
		canvas_bigdigits(c, bx > lw ? bx : lw + 2, 3, 5,
				 UI_ROLE_NORMAL, buf);
}

static void pick_draw(const void *state, struct canvas *c)
{
	const struct pick *k = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = floor_msg_rows(c, &k->msg,
				  lay == UI_LAYOUT_HANDHELD ? 4 : 2);
	int in = c->h - 2 - rows, last = in - 1;

	if (k->state == PICK_ALERT) {
		draw_alert(k, c);
		return;
	}
	title(k, c);
	if (k->state == PICK_SKIP) {
		draw_skip(k, c, 1, last);
	} else if (!k->has_task) {
		floor_wrap(c, 0, 2, c->w, 3, UI_ROLE_DIM,
			   k->state == PICK_CLAIMING
				   ? _("Finding a task...")
				   : _("No pick tasks right now"));
	} else if (lay == UI_LAYOUT_DESK || lay == UI_LAYOUT_WIDE) {
		draw_desk(k, c, last);
	} else if (lay == UI_LAYOUT_SMALL) {
		draw_small(k, c, last);
	} else {
		draw_handheld(k, c, last);
	}
	if (k->state >= PICK_BIN && k->state <= PICK_SHORT)
		floor_draw_input(c, in, &k->in, hint_of(k));
	floor_draw_msg(c, in + 1, rows, &k->msg,
		       k->state == PICK_IDLE ? _("Enter: check again") : NULL);
	keys_bar_draw(c, c->h - 1, keys_of(k));
}

enum pick_state pick_state_of(const void *state)
{
	return ((const struct pick *)state)->state;
}

const struct engine_task *pick_task_of(const void *state)
{
	const struct pick *k = state;

	return k->has_task ? &k->task : NULL;
}

const char *pick_message(const void *state)
{
	return ((const struct pick *)state)->msg.text;
}

const struct ui_screen_ops scr_pick = {
	.name = "pick",
	.init = pick_init,
	.event = pick_event,
	.draw = pick_draw,
	.free = pick_free,
};
