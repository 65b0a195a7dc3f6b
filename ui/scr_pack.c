/*
 * scr_pack.c - the pack station. See scr_pack.h.
 */
#include "ui/scr_pack.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "domain/carton.h"
#include "domain/scale.h"
#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/text.h"

#define INTERCEPT_CHANNEL "wharf_intercept"

enum pack_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
	ACT_EXCEPTION,
	ACT_SINGLE,
	ACT_CARTON,
	ACT_SCALE,
	ACT_REPRINT,
	ACT_VOID,
	ACT_UP,
	ACT_DOWN,
};

static const struct ui_key_binding scan_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_F(4), N_("Single"), ACT_SINGLE },
	{ UI_KEY_ESC, N_("Back"), ACT_CLOSE },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding verify_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_F(2), N_("Exception"), ACT_EXCEPTION },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding weight_keys[] = {
	{ UI_KEY_ENTER, N_("Print"), ACT_OK },
	{ UI_KEY_F(5), N_("Carton"), ACT_CARTON },
	{ UI_KEY_F(6), N_("Scale"), ACT_SCALE },
	{ UI_KEY_F(2), N_("Exception"), ACT_EXCEPTION },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding done_keys[] = {
	{ UI_KEY_ENTER, N_("Next"), ACT_OK },
	{ UI_KEY_F(7), N_("Reprint"), ACT_REPRINT },
	{ UI_KEY_F(8), N_("Void"), ACT_VOID },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding confirm_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Cancel"), ACT_BACK },
	{ UI_KEY_UP, NULL, ACT_UP },
	{ UI_KEY_DOWN, NULL, ACT_DOWN },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding alert_keys[] = {
	{ UI_KEY_ENTER, N_("Next order"), ACT_OK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding busy_keys[] = {
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

/* Exception reasons: shown translated, stored in English. */
static const char *const exc_reasons[] = {
	N_("Unit missing"),
	N_("Unit damaged"),
	N_("Wrong unit in tote"),
	N_("Other"),
};
#define NREASONS ((int)(sizeof(exc_reasons) / sizeof(exc_reasons[0])))

struct pack {
	enum pack_state state;
	int pending; /* tag of the call in flight, 0 none */
	struct gs1_date today;
	bool single;		/* single-item mode */
	bool has_order;
	struct pack_order o;	/* strings sanitised */
	int64_t cur_line;	/* the line of the last good scan, 0 none */
	char op[ENGINE_OP_ID_SIZE];
	const struct carton *carton;
	bool oversize;
	int32_t weight_g;
	char tracking[PACK_TRACKING_SIZE];
	char printer[128];
	int exc_sel;
	struct floor_input in;
	struct floor_msg msg;
	char alert_text[FLOOR_MSG_MAX];
};

static void *pack_init(const void *params, struct wh_error *e)
{
	const struct pack_params *p = params;
	struct pack *k = calloc(1, sizeof(*k));

	if (!k) {
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		return NULL;
	}
	k->state = PACK_SCAN;
	if (p)
		k->today = p->today;
	if (k->today.year < 1000) {
		k->today.year = 2000;
		k->today.month = 1;
		k->today.day = 1;
	}
	return k;
}

static void pack_free(void *state)
{
	free(state);
}

static void new_op(struct pack *k)
{
	floor_new_op(k->op, sizeof(k->op));
}

static void call(struct pack *k, struct ui_effects *fx, int tag,
		 struct ui_req *r)
{
	floor_call(&k->msg, &k->pending, fx, tag, r);
}

static void copy_order(struct pack *k, const struct pack_order *o)
{
	size_t i;

	k->o = *o;
	floor_copy(k->o.order_no, sizeof(k->o.order_no), o->order_no);
	floor_copy(k->o.state, sizeof(k->o.state), o->state);
	floor_copy(k->o.intercept_reason, sizeof(k->o.intercept_reason),
		   o->intercept_reason);
	floor_copy(k->o.carrier, sizeof(k->o.carrier), o->carrier);
	floor_copy(k->o.tote, sizeof(k->o.tote), o->tote);
	floor_copy(k->o.putback, sizeof(k->o.putback), o->putback);
	floor_copy(k->o.tracking, sizeof(k->o.tracking), o->tracking);
	if (k->o.nlines > PACK_MAX_LINES)
		k->o.nlines = PACK_MAX_LINES;
	for (i = 0; i < k->o.nlines; i++) {
		struct pack_line *l = &k->o.line[i];

		floor_copy(l->sku_code, sizeof(l->sku_code),
			   o->line[i].sku_code);
		floor_copy(l->name, sizeof(l->name), o->line[i].name);
		floor_copy(l->barcode, sizeof(l->barcode), o->line[i].barcode);
	}
	k->has_order = true;
	k->cur_line = 0;
}

static void suggest_carton(struct pack *k)
{
	struct carton_item it[PACK_MAX_LINES];
	size_t i;

	for (i = 0; i < k->o.nlines; i++) {
		it[i].l_mm = k->o.line[i].length_mm;
		it[i].w_mm = k->o.line[i].width_mm;
		it[i].h_mm = k->o.line[i].height_mm;
		it[i].weight_g = k->o.line[i].weight_g;
		it[i].qty = k->o.line[i].qty;
	}
	k->carton = carton_suggest(it, k->o.nlines, &k->oversize);
}

static void to_weight(struct pack *k)
{
	k->state = PACK_WEIGHT;
	k->weight_g = 0;
	suggest_carton(k);
	floor_input_clear(&k->in);
	new_op(k);
}

static void to_scan(struct pack *k)
{
	k->state = PACK_SCAN;
	k->has_order = false;
	k->pending = 0;
	k->weight_g = 0;
	k->carton = NULL;
	k->tracking[0] = '\0';
	floor_input_clear(&k->in);
}

static void raise_alert(struct pack *k, struct ui_effects *fx,
			const char *why)
{
	k->state = PACK_ALERT;
	k->pending = 0; /* a late answer about this order is dropped */
	floor_copy(k->alert_text, sizeof(k->alert_text), why ? why : "");
	floor_input_clear(&k->in);
	floor_msg_clear(&k->msg);
	ui_fx_beep(fx, false);
}

static bool reason_is(const struct ui_db_result *db, enum engine_reason r)
{
	struct wh_error e = { .code = db->err };

	snprintf(e.msg, sizeof(e.msg), "%s", db->msg ? db->msg : "");
	return engine_reason_of(&e) == r;
}

static unsigned refuse(struct pack *k, const struct ui_db_result *db,
		       struct ui_effects *fx)
{
	if (reason_is(db, ENGINE_R_INTERCEPTED)) {
		raise_alert(k, fx, db->msg);
		return UI_HANDLED | UI_REDRAW;
	}
	floor_msg_db(&k->msg, db->msg, _("Database error"));
	ui_fx_beep(fx, false);
	return UI_HANDLED | UI_REDRAW;
}

/* Where an opened order goes: alert, verify, weigh, or done. */
static unsigned take_order(struct pack *k, const struct pack_order *o,
			   struct ui_effects *fx)
{
	copy_order(k, o);
	floor_input_clear(&k->in);
	if (k->o.intercepted) {
		raise_alert(k, fx, NULL);
		return UI_HANDLED | UI_REDRAW;
	}
	if (!strcmp(k->o.state, "shipped") && k->o.shipment_id > 0) {
		k->state = PACK_DONE;
		snprintf(k->tracking, sizeof(k->tracking), "%s",
			 k->o.tracking);
		floor_msg_set(&k->msg, false, _("Order %s has shipped: %s"),
			      k->o.order_no, k->tracking);
		ui_fx_beep(fx, true);
		return UI_HANDLED | UI_REDRAW;
	}
	if (!strcmp(k->o.state, "packed")) {
		ui_fx_beep(fx, true);
		floor_msg_set(&k->msg, false, "%s",
			      _("All units verified: weigh and print"));
		to_weight(k);
		return UI_HANDLED | UI_REDRAW;
	}
	if (strcmp(k->o.state, "picked") && strcmp(k->o.state, "picking")) {
		floor_msg_set(&k->msg, true,
			      _("Order %s is %s: not ready to pack"),
			      k->o.order_no, k->o.state);
		ui_fx_beep(fx, false);
		k->has_order = false;
		k->state = PACK_SCAN;
		return UI_HANDLED | UI_REDRAW;
	}
	ui_fx_beep(fx, true);
	k->state = PACK_VERIFY;
	floor_msg_set(&k->msg, false, _("Order %s: scan every unit"),
		      k->o.order_no);
	new_op(k);
	return UI_HANDLED | UI_REDRAW;
}

/* --- database answers ------------------------------------------------ */

static unsigned on_open(struct pack *k, const struct ui_db_result *db,
			struct ui_effects *fx)
{
	if (db->err != WH_OK || !db->result) {
		k->state = k->has_order ? k->state : PACK_SCAN;
		if (k->state == PACK_LOADING)
			k->state = PACK_SCAN;
		return refuse(k, db, fx);
	}
	return take_order(k, db->result, fx);
}

static struct pack_line *line_by_id(struct pack *k, int64_t id)
{
	size_t i;

	for (i = 0; i < k->o.nlines; i++)
		if (k->o.line[i].line_id == id)
			return &k->o.line[i];
	return NULL;
}

static unsigned on_verify(struct pack *k, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	const struct engine_pack_result *r = db->result;
	struct pack_line *l;
	char sku[PACK_CODE_SIZE];

	new_op(k); /* a refusal recorded nothing: the next scan is new */
	if (db->err != WH_OK || !r)
		return refuse(k, db, fx);
	ui_fx_beep(fx, true);
	l = line_by_id(k, r->line_id);
	if (l) {
		l->packed = (int32_t)r->line_packed;
		k->cur_line = l->line_id;
	}
	k->o.packed += (int32_t)r->units;
	floor_copy(sku, sizeof(sku), r->sku_code);
	floor_msg_set(&k->msg, false, _("%s: %" PRId64 " of %" PRId64),
		      sku, r->line_packed, r->line_qty);
	if (r->order_packed) {
		floor_msg_set(&k->msg, false, "%s",
			      _("All units verified: weigh and print"));
		to_weight(k);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_single(struct pack *k, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	const struct pack_order *o = db->result;

	new_op(k);
	if (db->err != WH_OK || !o) {
		k->state = PACK_SCAN;
		return refuse(k, db, fx);
	}
	copy_order(k, o);
	ui_fx_beep(fx, true);
	floor_msg_set(&k->msg, false, _("Single-item order %s: weigh and print"),
		      k->o.order_no);
	to_weight(k);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_ship(struct pack *k, const struct ui_db_result *db,
			struct ui_effects *fx, bool reprint)
{
	const struct ui_pack_ship_result *r = db->result;

	if (db->err != WH_OK || !r) {
		/* same step, same operation id: a retry is a replay */
		if (!reprint)
			k->state = PACK_WEIGHT;
		return refuse(k, db, fx);
	}
	ui_fx_beep(fx, true);
	floor_copy(k->tracking, sizeof(k->tracking), r->tracking);
	floor_copy(k->printer, sizeof(k->printer), r->printer);
	k->state = PACK_DONE;
	if (reprint)
		floor_msg_set(&k->msg, false, _("Reprinted %s to %s"),
			      k->tracking, k->printer);
	else
		floor_msg_set(&k->msg, false, _("Shipped %s: label to %s"),
			      k->tracking, k->printer);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_void(struct pack *k, const struct ui_db_result *db,
			struct ui_effects *fx)
{
	if (db->err != WH_OK || !db->result) {
		k->state = PACK_DONE;
		return refuse(k, db, fx);
	}
	copy_order(k, db->result);
	k->tracking[0] = '\0';
	k->state = PACK_VERIFY;
	ui_fx_beep(fx, true);
	floor_msg_set(&k->msg, false, "%s",
		      _("Shipment voided: scan every unit again"));
	new_op(k);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_exception(struct pack *k, const struct ui_db_result *db,
			     struct ui_effects *fx)
{
	char no[PACK_CODE_SIZE];

	if (db->err != WH_OK) {
		k->state = PACK_EXCEPTION;
		return refuse(k, db, fx);
	}
	snprintf(no, sizeof(no), "%s", k->o.order_no);
	ui_fx_beep(fx, true);
	to_scan(k);
	floor_msg_set(&k->msg, false, _("Order %s sent to the exception queue"),
		      no);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_scale(struct pack *k, const struct ui_db_result *db,
			 struct ui_effects *fx)
{
	const struct ui_pack_scale_result *r = db->result;
	char kg[32];

	if (db->err != WH_OK || !r)
		return refuse(k, db, fx);
	k->weight_g = r->grams;
	scale_format_kg(r->grams, kg, sizeof(kg));
	floor_input_clear(&k->in);
	snprintf(k->in.s, sizeof(k->in.s), "%d.%03d", (int)(r->grams / 1000),
		 (int)(r->grams % 1000));
	floor_msg_set(&k->msg, false, _("Scale: %s, Enter to print"), kg);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_result(struct pack *k, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	int tag = db->tag;

	if (!k->pending || tag != k->pending)
		return UI_IGNORED; /* an answer for an abandoned step */
	k->pending = 0;
	switch (tag) {
	case PACK_TAG_OPEN:
		return on_open(k, db, fx);
	case PACK_TAG_VERIFY:
		return on_verify(k, db, fx);
	case PACK_TAG_SINGLE:
		return on_single(k, db, fx);
	case PACK_TAG_SHIP:
		return on_ship(k, db, fx, false);
	case PACK_TAG_REPRINT:
		return on_ship(k, db, fx, true);
	case PACK_TAG_VOID:
		return on_void(k, db, fx);
	case PACK_TAG_EXCEPTION:
		return on_exception(k, db, fx);
	case PACK_TAG_SCALE:
		return on_scale(k, db, fx);
	default:
		return UI_IGNORED;
	}
}

/* --- scans and keys -------------------------------------------------- */

static unsigned open_code(struct pack *k, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	floor_msg_clear(&k->msg);
	floor_input_clear(&k->in);
	k->has_order = false;
	if (k->single) {
		new_op(k);
		k->state = PACK_LOADING;
		call(k, fx, PACK_TAG_SINGLE,
		     ui_req_pack(UI_REQ_PACK_SINGLE, 0, s->code,
				 s->lot[0] ? s->lot : NULL, 0, NULL, k->op));
		return UI_HANDLED | UI_REDRAW;
	}
	k->state = PACK_LOADING;
	call(k, fx, PACK_TAG_OPEN,
	     ui_req_pack(UI_REQ_PACK_OPEN, 0, s->code, NULL, 0, NULL, NULL));
	return UI_HANDLED | UI_REDRAW;
}

static unsigned ship(struct pack *k, struct ui_effects *fx)
{
	int32_t g;

	if (!floor_input_empty(&k->in)) {
		if (!scale_parse_typed(k->in.s, &g)) {
			floor_msg_set(&k->msg, true,
				      _("Not a weight: %s (e.g. 1.25 or 850g)"),
				      k->in.s);
			floor_input_clear(&k->in);
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		k->weight_g = g;
	}
	if (k->weight_g <= 0) {
		floor_msg_set(&k->msg, true, "%s",
			      _("Type the weight or press F6 for the scale"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	k->state = PACK_SHIPPING;
	floor_msg_set(&k->msg, false, "%s", _("Printing the label..."));
	call(k, fx, PACK_TAG_SHIP,
	     ui_req_pack(UI_REQ_PACK_SHIP, k->o.order_id,
			 k->carton ? k->carton->code : NULL, NULL,
			 k->weight_g, NULL, k->op));
	return UI_HANDLED | UI_REDRAW;
}

static unsigned take_scan(struct pack *k, const struct floor_scan *s,
			  struct ui_effects *fx)
{
	const struct carton *c;

	switch (k->state) {
	case PACK_SCAN:
	case PACK_DONE:
		return open_code(k, s, fx);
	case PACK_VERIFY:
		floor_input_clear(&k->in);
		call(k, fx, PACK_TAG_VERIFY,
		     ui_req_pack(UI_REQ_PACK_VERIFY, k->o.order_id, s->code,
				 s->lot[0] ? s->lot : NULL, 0, NULL, k->op));
		return UI_HANDLED | UI_REDRAW;
	case PACK_WEIGHT:
		c = carton_find(s->code);
		if (c) {
			k->carton = c;
			k->oversize = false;
			floor_input_clear(&k->in);
			floor_msg_set(&k->msg, false, _("Carton %s"), c->code);
			ui_fx_beep(fx, true);
			return UI_HANDLED | UI_REDRAW;
		}
		return ship(k, fx);
	default:
		ui_fx_beep(fx, false);
		return UI_HANDLED;
	}
}

static unsigned next_carton(struct pack *k)
{
	size_t i, n = carton_count();

	for (i = 0; i < n; i++)
		if (carton_at(i) == k->carton)
			break;
	k->carton = carton_at(i + 1 < n ? i + 1 : 0);
	k->oversize = false;
	floor_msg_set(&k->msg, false, _("Carton %s"), k->carton->code);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned enter(struct pack *k, struct ui_effects *fx)
{
	struct floor_scan s;

	switch (k->state) {
	case PACK_ALERT:
		to_scan(k);
		return UI_HANDLED | UI_REDRAW;
	case PACK_EXCEPTION:
		call(k, fx, PACK_TAG_EXCEPTION,
		     ui_req_pack(UI_REQ_PACK_EXCEPTION, k->o.order_id, NULL,
				 NULL, 0, exc_reasons[k->exc_sel], k->op));
		return UI_HANDLED | UI_REDRAW;
	case PACK_VOID:
		call(k, fx, PACK_TAG_VOID,
		     ui_req_pack(UI_REQ_PACK_VOID, k->o.order_id, NULL, NULL,
				 0, "voided at the pack desk", k->op));
		return UI_HANDLED | UI_REDRAW;
	case PACK_WEIGHT:
		/* a typed carton code chooses the carton; anything else is
		 * the weight */
		if (floor_input_empty(&k->in) || !carton_find(k->in.s))
			return ship(k, fx);
		break;
	case PACK_DONE:
		if (floor_input_empty(&k->in)) {
			to_scan(k);
			floor_msg_clear(&k->msg);
			return UI_HANDLED | UI_REDRAW;
		}
		break;
	default:
		break;
	}
	if (floor_input_empty(&k->in))
		return UI_HANDLED;
	if (!floor_scan_parse((const unsigned char *)k->in.s, strlen(k->in.s),
			      true, &k->today, &s)) {
		floor_msg_set(&k->msg, true, "%s", _("Not a readable code"));
		floor_input_clear(&k->in);
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	return take_scan(k, &s, fx);
}

static unsigned pack_key(struct pack *k, int key, struct ui_effects *fx)
{
	const struct ui_key_binding *keys;

	switch (k->state) {
	case PACK_SCAN:
		keys = scan_keys;
		break;
	case PACK_VERIFY:
		keys = verify_keys;
		break;
	case PACK_WEIGHT:
		keys = weight_keys;
		break;
	case PACK_DONE:
		keys = done_keys;
		break;
	case PACK_VOID:
	case PACK_EXCEPTION:
		keys = confirm_keys;
		break;
	case PACK_ALERT:
		keys = alert_keys;
		break;
	default:
		keys = busy_keys;
		break;
	}
	if (k->pending && keys_dispatch(keys, key) != ACT_CLOSE) {
		ui_fx_beep(fx, false);
		return UI_HANDLED;
	}
	switch (keys_dispatch(keys, key)) {
	case ACT_OK:
		return enter(k, fx);
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	case ACT_BACK:
		if (k->state == PACK_EXCEPTION) {
			k->state = k->o.packed >= k->o.units ? PACK_WEIGHT
							     : PACK_VERIFY;
		} else if (k->state == PACK_VOID) {
			k->state = PACK_DONE;
		} else {
			to_scan(k);
			floor_msg_clear(&k->msg);
		}
		return UI_HANDLED | UI_REDRAW;
	case ACT_SINGLE:
		k->single = !k->single;
		floor_msg_set(&k->msg, false, "%s",
			      k->single ? _("Single-item mode: scan an item")
					: _("Order mode: scan a tote or order"));
		return UI_HANDLED | UI_REDRAW;
	case ACT_EXCEPTION:
		k->state = PACK_EXCEPTION;
		k->exc_sel = 0;
		new_op(k);
		return UI_HANDLED | UI_REDRAW;
	case ACT_CARTON:
		return next_carton(k);
	case ACT_SCALE:
		floor_msg_set(&k->msg, false, "%s", _("Reading the scale..."));
		call(k, fx, PACK_TAG_SCALE,
		     ui_req_pack(UI_REQ_PACK_SCALE, 0, NULL, NULL, 0, NULL,
				 NULL));
		return UI_HANDLED | UI_REDRAW;
	case ACT_REPRINT:
		call(k, fx, PACK_TAG_REPRINT,
		     ui_req_pack(UI_REQ_PACK_REPRINT, k->o.order_id, NULL,
				 NULL, 0, NULL, NULL));
		return UI_HANDLED | UI_REDRAW;
	case ACT_VOID:
		k->state = PACK_VOID;
		new_op(k);
		return UI_HANDLED | UI_REDRAW;
	case ACT_UP:
		if (k->state == PACK_EXCEPTION && k->exc_sel > 0)
			k->exc_sel--;
		return UI_HANDLED | UI_REDRAW;
	case ACT_DOWN:
		if (k->state == PACK_EXCEPTION && k->exc_sel < NREASONS - 1)
			k->exc_sel++;
		return UI_HANDLED | UI_REDRAW;
	default:
		break;
	}
	if (k->state == PACK_EXCEPTION) {
		if (key >= '1' && key < '1' + NREASONS) {
			k->exc_sel = key - '1';
			return UI_HANDLED | UI_REDRAW;
		}
		return UI_IGNORED;
	}
	if (k->state == PACK_SCAN || k->state == PACK_VERIFY ||
	    k->state == PACK_WEIGHT || k->state == PACK_DONE)
		return floor_input_key(&k->in, key, fx) ? UI_HANDLED | UI_REDRAW
							 : UI_IGNORED;
	return UI_IGNORED;
}

static unsigned on_notify(struct pack *k, const struct ui_notify *n,
			  struct ui_effects *fx)
{
	long order;

	if (!n->channel || strcmp(n->channel, INTERCEPT_CHANNEL) != 0)
		return UI_IGNORED;
	if (!k->has_order || k->state == PACK_DONE ||
	    k->state == PACK_ALERT ||
	    !parse_long(n->payload, 1, LONG_MAX, &order) ||
	    (int64_t)order != k->o.order_id)
		return UI_IGNORED;
	/* the units are back in play: reload to show what to put back */
	k->o.intercepted = true;
	raise_alert(k, fx, NULL);
	call(k, fx, PACK_TAG_OPEN,
	     ui_req_pack(UI_REQ_PACK_OPEN, k->o.order_id, NULL, NULL, 0, NULL,
			 NULL));
	return UI_HANDLED | UI_REDRAW;
}

static unsigned pack_event(void *state, const struct ui_event *ev,
			   struct ui_effects *fx)
{
	struct pack *k = state;
	struct floor_scan s;

	switch (ev->type) {
	case UI_EV_START:
	case UI_EV_RESUME:
	case UI_EV_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_result(k, &ev->db, fx);
	case UI_EV_NOTIFY:
		return on_notify(k, &ev->notify, fx);
	case UI_EV_KEY:
		return pack_key(k, ev->key, fx);
	case UI_EV_SCAN:
		if (k->pending || (k->state != PACK_SCAN &&
				   k->state != PACK_VERIFY &&
				   k->state != PACK_WEIGHT &&
				   k->state != PACK_DONE)) {
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

static const struct ui_key_binding *keys_of(const struct pack *k)
{
	switch (k->state) {
	case PACK_SCAN:
		return scan_keys;
	case PACK_VERIFY:
		return verify_keys;
	case PACK_WEIGHT:
		return weight_keys;
	case PACK_DONE:
		return done_keys;
	case PACK_VOID:
	case PACK_EXCEPTION:
		return confirm_keys;
	default:
		return busy_keys;
	}
}

static const char *hint_of(const struct pack *k)
{
	switch (k->state) {
	case PACK_SCAN:
		return k->single ? _("Scan item (single-item)")
				 : _("Scan tote, order or tracking no");
	case PACK_VERIFY:
		return _("Scan each unit");
	case PACK_WEIGHT:
		return _("Weight in kg, Enter prints");
	case PACK_DONE:
		return _("Scan the next order");
	default:
		return NULL;
	}
}

static void draw_alert(const struct pack *k, struct canvas *c)
{
	char line[256];
	int y = 1, w = c->w - 2;

	canvas_fill(c, 0, 0, c->w, c->h, UI_ROLE_ALERT);
	canvas_text_aligned(c, 0, 0, c->w, UI_ROLE_ALERT, TEXT_CENTER,
			    _("!! INTERCEPTED !!"));
	if (c->h >= 12)
		y = 2;
	snprintf(line, sizeof(line), _("Order %s"), k->o.order_no);
	y += floor_wrap(c, 1, y, w, 1, UI_ROLE_ALERT, line);
	snprintf(line, sizeof(line), _("%s - %d items, put back to %s"),
		 k->o.intercept_reason[0] ? k->o.intercept_reason
					  : _("cancelled"),
		 (int)k->o.picked, k->o.putback[0] ? k->o.putback : "-");
	y += floor_wrap(c, 1, y, w, 3, UI_ROLE_ALERT, line);
	y += floor_wrap(c, 1, y, w, 2, UI_ROLE_ALERT,
			_("Do not ship. Do not print a label."));
	if (c->h >= 12 && k->o.putback[0]) {
		y++;
		canvas_text_aligned(c, 0, y++, c->w, UI_ROLE_ALERT,
				    TEXT_CENTER, k->o.putback);
	}
	if (k->alert_text[0] && y < c->h - 2) {
		struct floor_msg fm;

		floor_msg_db(&fm, k->alert_text, "");
		floor_wrap(c, 1, y, w, c->h - 2 - y, UI_ROLE_ALERT, fm.text);
	}
	if (c->h >= 10)
		floor_wrap(c, 1, c->h - 2, w, 1, UI_ROLE_ALERT,
			   _("Enter: next order"));
	keys_bar_draw(c, c->h - 1, alert_keys);
}

static void title(const struct pack *k, struct canvas *c)
{
	char right[96] = "";

	if (k->has_order)
		snprintf(right, sizeof(right), "%s %s", k->o.carrier,
			 k->o.order_no);
	canvas_status(c, 0, UI_ROLE_TITLE,
		      k->single ? _("Pack (single-item)") : _("Pack"), right);
}

static void order_line_text(const struct pack *k, char *buf, size_t n)
{
	if (k->o.tote[0] && k->o.slot > 0)
		snprintf(buf, n, _("Order %s  tote %s slot %d  %d/%d units"),
			 k->o.order_no, k->o.tote, (int)k->o.slot,
			 (int)k->o.packed, (int)k->o.units);
	else if (k->o.tote[0])
		snprintf(buf, n, _("Order %s  tote %s  %d/%d units"),
			 k->o.order_no, k->o.tote, (int)k->o.packed,
			 (int)k->o.units);
	else
		snprintf(buf, n, _("Order %s  %d/%d units"), k->o.order_no,
			 (int)k->o.packed, (int)k->o.units);
}

static void weight_text(const struct pack *k, char *buf, size_t n)
{
	char kg[32];

	if (k->weight_g > 0)
		scale_format_kg(k->weight_g, kg, sizeof(kg));
	else
		snprintf(kg, sizeof(kg), "-");
	snprintf(buf, n, _("Carton %s%s  weight %s"),
		 k->carton ? k->carton->code : "-",
		 k->oversize ? _(" (oversize)") : "", kg);
}

static void draw_exception(const struct pack *k, struct canvas *c, int top,
			   int last)
{
	char line[128];
	int i, y = top;

	canvas_text(c, 0, y++, -1, UI_ROLE_NORMAL,
		    _("Exception: why? (Enter)"));
	for (i = 0; i < NREASONS && y <= last; i++, y++) {
		snprintf(line, sizeof(line), "%d %s", i + 1,
			 _(exc_reasons[i]));
		canvas_text_aligned(c, 0, y, c->w,
				    i == k->exc_sel ? UI_ROLE_SELECTED
						    : UI_ROLE_NORMAL,
				    TEXT_LEFT, line);
	}
}

static void draw_lines(const struct pack *k, struct canvas *c, int y,
		       int last, int w, bool wide)
{
	char q[32];
	size_t i;

	if (wide && y <= last) {
		canvas_text(c, 1, y, 24, UI_ROLE_DIM, _("SKU"));
		canvas_text(c, 26, y, w - 36, UI_ROLE_DIM, _("Item"));
		canvas_text_aligned(c, w - 9, y, 9, UI_ROLE_DIM, TEXT_RIGHT,
				    _("Packed"));
		y++;
	}
	for (i = 0; i < k->o.nlines && y <= last; i++, y++) {
		const struct pack_line *l = &k->o.line[i];
		enum ui_role role = l->line_id == k->cur_line
					    ? UI_ROLE_SELECTED
				    : l->packed >= l->qty ? UI_ROLE_DIM
							  : UI_ROLE_NORMAL;

		snprintf(q, sizeof(q), "%d/%d", (int)l->packed, (int)l->qty);
		if (wide) {
			canvas_text_aligned(c, 1, y, 24, role, TEXT_LEFT,
					    l->sku_code);
			canvas_text_aligned(c, 26, y, w - 36, role, TEXT_LEFT,
					    l->name);
			canvas_text_aligned(c, w - 9, y, 9, role, TEXT_RIGHT,
					    q);
		} else {
			canvas_text_aligned(c, 0, y, c->w - 6, role,
					    TEXT_LEFT, l->sku_code);
			canvas_text_aligned(c, c->w - 6, y, 6, role,
					    TEXT_RIGHT, q);
		}
	}
}

/* The line to show big: the last scanned, else the first unfinished. */
static const struct pack_line *focus_line(const struct pack *k)
{
	size_t i;

	for (i = 0; i < k->o.nlines; i++)
		if (k->o.line[i].line_id == k->cur_line)
			return &k->o.line[i];
	for (i = 0; i < k->o.nlines; i++)
		if (k->o.line[i].packed < k->o.line[i].qty)
			return &k->o.line[i];
	return k->o.nlines ? &k->o.line[0] : NULL;
}

static void draw_desk(const struct pack *k, struct canvas *c, int last)
{
	const struct pack_line *f = focus_line(k);
	char buf[256];
	int y = 1, lw = c->w - 28, bx;

	order_line_text(k, buf, sizeof(buf));
	canvas_status(c, y++, UI_ROLE_SELECTED, buf, NULL);
	if (k->state == PACK_DONE || k->state == PACK_VOID) {
		canvas_text(c, 1, ++y, -1, UI_ROLE_DIM, _("Tracking number"));
		y++;
		canvas_text(c, 1, y++, -1, UI_ROLE_SELECTED, k->tracking);
		if (k->printer[0]) {
			snprintf(buf, sizeof(buf), _("Printer %s"),
				 k->printer);
			canvas_text(c, 1, y++, -1, UI_ROLE_DIM, buf);
		}
		if (k->state == PACK_VOID)
			floor_wrap(c, 1, ++y, c->w - 2, 2, UI_ROLE_STATUS_ERR,
				   _("Void this shipment? Enter: void, "
				     "Esc: keep"));
		return;
	}
	if (f && last - y >= 6) {
		/* the item in hand, big: code, name, packed/qty */
		canvas_text(c, 1, y++, lw, UI_ROLE_SELECTED, f->sku_code);
		y += floor_wrap(c, 1, y, lw, 2, UI_ROLE_NORMAL, f->name);
		snprintf(buf, sizeof(buf), "%d/%d", (int)f->packed,
			 (int)f->qty);
		bx = c->w - canvas_bigdigits_width(buf) - 2;
		canvas_bigdigits(c, bx > lw ? bx : lw, 1 + 1, 5,
				 UI_ROLE_NORMAL, buf);
		y = y < 8 ? 8 : y;
	}
	if (k->state == PACK_WEIGHT || k->state == PACK_SHIPPING) {
		weight_text(k, buf, sizeof(buf));
		canvas_text(c, 1, y++, -1, UI_ROLE_SELECTED, buf);
	}
	draw_lines(k, c, y, last, c->w, true);
}

static void draw_small(const struct pack *k, struct canvas *c, int last)
{
	char buf[256];
	int y = 1;

	snprintf(buf, sizeof(buf), "%s %d/%d", k->o.order_no,
		 (int)k->o.packed, (int)k->o.units);
	canvas_status(c, y++, UI_ROLE_SELECTED, buf, k->o.tote);
	if (k->state == PACK_DONE || k->state == PACK_VOID) {
		canvas_text(c, 0, y++, -1, UI_ROLE_SELECTED, k->tracking);
		if (k->state == PACK_VOID && y <= last)
			floor_wrap(c, 0, y, c->w, last - y + 1, UI_ROLE_STATUS_ERR,
				   _("Void? Enter: yes"));
		return;
	}
	if (k->state == PACK_WEIGHT || k->state == PACK_SHIPPING) {
		weight_text(k, buf, sizeof(buf));
		y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_SELECTED, buf);
	}
	draw_lines(k, c, y, last, c->w, false);
}

static void pack_draw(const void *state, struct canvas *c)
{
	const struct pack *k = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = floor_msg_rows(c, &k->msg,
				  lay == UI_LAYOUT_HANDHELD ? 4 : 2);
	int in = c->h - 2 - rows, last = in - 1;

	if (k->state == PACK_ALERT) {
		draw_alert(k, c);
		return;
	}
	title(k, c);
	if (k->state == PACK_EXCEPTION) {
		draw_exception(k, c, 1, last);
	} else if (!k->has_order) {
		floor_wrap(c, 0, 2, c->w, 3, UI_ROLE_DIM,
			   k->state == PACK_LOADING
				   ? _("Opening the order...")
			   : k->single ? _("Single-item mode: scan an item "
					   "to pack its oldest order")
				       : _("Scan a tote, an order number or a "
					   "tracking number"));
	} else if (lay == UI_LAYOUT_DESK || lay == UI_LAYOUT_WIDE) {
		draw_desk(k, c, last);
	} else {
		draw_small(k, c, last);
	}
	if (k->state == PACK_SCAN || k->state == PACK_VERIFY ||
	    k->state == PACK_WEIGHT || k->state == PACK_DONE)
		floor_draw_input(c, in, &k->in, hint_of(k));
	floor_draw_msg(c, in + 1, rows, &k->msg, NULL);
	keys_bar_draw(c, c->h - 1, keys_of(k));
}

enum pack_state pack_state_of(const void *state)
{
	return ((const struct pack *)state)->state;
}

const struct pack_order *pack_order_of(const void *state)
{
	const struct pack *k = state;

	return k->has_order ? &k->o : NULL;
}

const char *pack_message(const void *state)
{
	return ((const struct pack *)state)->msg.text;
}

const char *pack_carton(const void *state)
{
	const struct pack *k = state;

	return k->carton ? k->carton->code : "";
}

int32_t pack_weight(const void *state)
{
	return ((const struct pack *)state)->weight_g;
}

bool pack_single_mode(const void *state)
{
	return ((const struct pack *)state)->single;
}

const struct ui_screen_ops scr_pack = {
	.name = "pack",
	.init = pack_init,
	.event = pack_event,
	.draw = pack_draw,
	.free = pack_free,
};
