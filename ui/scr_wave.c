/*
 * scr_wave.c - the wave release screen. See scr_wave.h.
 */
#include "ui/scr_wave.h"

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

#define MAX_LIMIT 99999
/* The unit limit is not on the form: the order and tote limits bound a
 * wave on the floor. */
#define ANY_UNITS 1000000

enum wave_action {
	ACT_OK = 1,
	ACT_BACK,
	ACT_CLOSE,
	ACT_UP,
	ACT_DOWN,
	ACT_LEFT,
	ACT_RIGHT,
};

static const struct ui_key_binding form_keys[] = {
	{ UI_KEY_ENTER, N_("Preview"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_UP, NULL, ACT_UP },
	{ UI_KEY_DOWN, NULL, ACT_DOWN },
	{ UI_KEY_TAB, NULL, ACT_DOWN },
	{ UI_KEY_LEFT, NULL, ACT_LEFT },
	{ UI_KEY_RIGHT, NULL, ACT_RIGHT },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding preview_keys[] = {
	{ UI_KEY_ENTER, N_("Release"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const struct ui_key_binding done_keys[] = {
	{ UI_KEY_ENTER, N_("New wave"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), NULL, ACT_CLOSE },
	{ 0 },
};

static const char *const strategy_label[] = {
	[WAVE_SINGLE_ITEM] = N_("Single item"),
	[WAVE_MULTI_ITEM] = N_("Multi item"),
	[WAVE_BY_CARRIER] = N_("By carrier"),
};

struct wave {
	enum wave_state state;
	int pending;
	enum wave_field field;
	struct ui_wave_req w;
	struct lookup_wave_preview preview;
	struct engine_wave_result res;
	struct floor_msg msg;
};

static void *wave_init(const void *params, struct wh_error *e)
{
	struct wave *v = calloc(1, sizeof(*v));

	(void)params;
	if (!v) {
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		return NULL;
	}
	v->w.strategy = WAVE_MULTI_ITEM;
	v->w.max_orders = 20;
	v->w.max_units = ANY_UNITS;
	v->w.max_totes = 4;
	v->w.slots_per_tote = 6;
	return v;
}

static void wave_free(void *state)
{
	free(state);
}

static void call(struct wave *v, struct ui_effects *fx, int tag,
		 enum ui_req_kind kind)
{
	struct ui_req *r = ui_req_wave(kind, &v->w);

	if (!r) {
		floor_msg_set(&v->msg, true, "%s", _("Out of memory"));
		ui_fx_beep(fx, false);
		return;
	}
	v->pending = tag;
	floor_msg_clear(&v->msg);
	ui_fx_db_call(fx, tag, r, ui_req_free);
}

static int32_t *number_of(struct wave *v, enum wave_field f)
{
	switch (f) {
	case WV_F_ORDERS:
		return &v->w.max_orders;
	case WV_F_TOTES:
		return &v->w.max_totes;
	case WV_F_SLOTS:
		return &v->w.slots_per_tote;
	default:
		return NULL;
	}
}

/* --- database answers ------------------------------------------------ */

static unsigned on_preview(struct wave *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct lookup_wave_preview *p = db->result;

	if (db->err != WH_OK || !p) {
		floor_msg_db(&v->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	v->preview = *p;
	if (p->orders <= 0) {
		floor_msg_set(&v->msg, true, "%s",
			      _("No orders ready for this wave"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	v->state = WV_PREVIEW;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_release(struct wave *v, const struct ui_db_result *db,
			   struct ui_effects *fx)
{
	const struct engine_wave_result *r = db->result;

	if (db->err != WH_OK || !r) {
		v->state = WV_FORM;
		floor_msg_db(&v->msg, db->msg, _("Database error"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (!r->wave_id) {
		v->state = WV_FORM;
		floor_msg_set(&v->msg, true, "%s",
			      _("No orders ready for this wave"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	v->res = *r;
	v->state = WV_DONE;
	ui_fx_beep(fx, true);
	return UI_HANDLED | UI_REDRAW;
}

/* --- input ----------------------------------------------------------- */

static const struct ui_key_binding *keys_of(const struct wave *v)
{
	switch (v->state) {
	case WV_PREVIEW:
		return preview_keys;
	case WV_DONE:
		return done_keys;
	default:
		return form_keys;
	}
}

static void strategy_step(struct wave *v, int d)
{
	v->w.strategy = (enum wave_strategy)(((int)v->w.strategy + d + 3) % 3);
}

/* A key editing the field under the cursor. */
static unsigned edit(struct wave *v, int key, struct ui_effects *fx)
{
	int32_t *n = number_of(v, v->field);
	size_t len;

	if (v->field == WV_F_STRATEGY && key >= '1' && key <= '3') {
		v->w.strategy = (enum wave_strategy)(key - '1');
		return UI_HANDLED | UI_REDRAW;
	}
	if (n && key >= '0' && key <= '9') {
		if ((int64_t)*n * 10 + (key - '0') > MAX_LIMIT) {
			ui_fx_beep(fx, false);
			return UI_HANDLED;
		}
		*n = *n * 10 + (key - '0');
		return UI_HANDLED | UI_REDRAW;
	}
	if (n && key == UI_KEY_BACKSPACE) {
		*n /= 10;
		return UI_HANDLED | UI_REDRAW;
	}
	if (v->field != WV_F_CARRIER)
		return UI_IGNORED;
	len = strlen(v->w.carrier);
	if (key == UI_KEY_BACKSPACE) {
		if (len)
			v->w.carrier[len - 1] = '\0';
		return UI_HANDLED | UI_REDRAW;
	}
	/* carrier codes are ASCII ("SF", "YTO") */
	if (key > ' ' && key < 0x7f) {
		if (len + 1 >= sizeof(v->w.carrier)) {
			ui_fx_beep(fx, false);
			return UI_HANDLED;
		}
		v->w.carrier[len] = (char)key;
		v->w.carrier[len + 1] = '\0';
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_IGNORED;
}

static unsigned preview(struct wave *v, struct ui_effects *fx)
{
	if (v->w.max_orders < 1 || v->w.max_totes < 1 ||
	    v->w.slots_per_tote < 1) {
		floor_msg_set(&v->msg, true, "%s",
			      _("Limits must be at least 1"));
		v->field = v->w.max_orders < 1	 ? WV_F_ORDERS
			   : v->w.max_totes < 1 ? WV_F_TOTES
						: WV_F_SLOTS;
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	call(v, fx, WV_TAG_PREVIEW, UI_REQ_WAVE_PREVIEW);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned wave_key(struct wave *v, int key, struct ui_effects *fx)
{
	int act = keys_dispatch(keys_of(v), key);

	if (v->pending) {
		if (act == ACT_CLOSE)
			ui_fx_pop(fx);
		return UI_HANDLED;
	}
	switch (act) {
	case ACT_CLOSE:
		ui_fx_pop(fx);
		return UI_HANDLED;
	case ACT_OK:
		if (v->state == WV_FORM)
			return preview(v, fx);
		if (v->state == WV_PREVIEW) {
			call(v, fx, WV_TAG_RELEASE, UI_REQ_WAVE_RELEASE);
			return UI_HANDLED | UI_REDRAW;
		}
		v->state = WV_FORM;
		floor_msg_clear(&v->msg);
		return UI_HANDLED | UI_REDRAW;
	case ACT_BACK:
		if (v->state == WV_FORM)
			ui_fx_pop(fx);
		v->state = WV_FORM;
		floor_msg_clear(&v->msg);
		return UI_HANDLED | UI_REDRAW;
	case ACT_UP:
		v->field = (enum wave_field)((v->field + WV_F_END - 1) %
					     WV_F_END);
		return UI_HANDLED | UI_REDRAW;
	case ACT_DOWN:
		v->field = (enum wave_field)((v->field + 1) % WV_F_END);
		return UI_HANDLED | UI_REDRAW;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (v->field != WV_F_STRATEGY)
			return UI_HANDLED;
		strategy_step(v, act == ACT_LEFT ? -1 : 1);
		return UI_HANDLED | UI_REDRAW;
	}
	if (v->state != WV_FORM)
		return UI_IGNORED;
	return edit(v, key, fx);
}

static unsigned wave_event(void *state, const struct ui_event *ev,
			   struct ui_effects *fx)
{
	struct wave *v = state;

	switch (ev->type) {
	case UI_EV_START:
	case UI_EV_RESUME:
	case UI_EV_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		if (!v->pending || ev->db.tag != v->pending)
			return UI_IGNORED;
		v->pending = 0;
		if (ev->db.tag == WV_TAG_PREVIEW)
			return on_preview(v, &ev->db, fx);
		return on_release(v, &ev->db, fx);
	case UI_EV_KEY:
		return wave_key(v, ev->key, fx);
	case UI_EV_SCAN:
		ui_fx_beep(fx, false);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

static void draw_form(const struct wave *v, struct canvas *c, int last)
{
	char val[64];
	const char *label[WV_F_END] = {
		_("Strategy"), _("Max orders"), _("Totes"),
		_("Slots per tote"), _("Carrier"),
	};
	int32_t nums[WV_F_END] = { 0, v->w.max_orders, v->w.max_totes,
				   v->w.slots_per_tote, 0 };
	bool totes = v->w.strategy != WAVE_SINGLE_ITEM;
	int f, y = 1, lw = c->w >= 40 ? 16 : 0;

	for (f = 0; f < WV_F_END && y <= last; f++) {
		enum ui_role role = f == (int)v->field ? UI_ROLE_SELECTED
			: (f == WV_F_TOTES || f == WV_F_SLOTS) && !totes
			? UI_ROLE_DIM : UI_ROLE_NORMAL;

		if (f == WV_F_STRATEGY)
			snprintf(val, sizeof(val), "< %s >",
				 _(strategy_label[v->w.strategy]));
		else if (f == WV_F_CARRIER)
			snprintf(val, sizeof(val), "%s",
				 v->w.carrier[0] ? v->w.carrier : _("any"));
		else
			snprintf(val, sizeof(val), "%d", (int)nums[f]);
		if (lw) {
			canvas_text(c, 0, y, lw, UI_ROLE_DIM, label[f]);
			canvas_text(c, lw + 1, y, c->w - lw - 1, role, val);
			y++;
		} else {
			/* a gun: label, then the value on its own row */
			canvas_text(c, 0, y++, c->w, UI_ROLE_DIM, label[f]);
			if (y <= last)
				canvas_text(c, 1, y++, c->w - 1, role, val);
		}
	}
}

static void draw_preview(const struct wave *v, struct canvas *c, int last)
{
	char buf[160], a[24], b[24];
	int y = 1;

	floor_draw_field(c, 0, y++, c->w, _("Strategy"),
			 _(strategy_label[v->w.strategy]));
	snprintf(a, sizeof(a), "%" PRId64, v->preview.orders);
	snprintf(b, sizeof(b), "%" PRId64, v->preview.units);
	snprintf(buf, sizeof(buf), _("%s orders, %s units"), a, b);
	if (y <= last)
		y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_SELECTED, buf);
	snprintf(a, sizeof(a), "%" PRId64, v->preview.eligible);
	snprintf(buf, sizeof(buf), _("%s orders ready in all"), a);
	if (y <= last)
		y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_DIM, buf);
	if (y <= last)
		floor_wrap(c, 0, y, c->w, last - y + 1, UI_ROLE_NORMAL,
			   _("Enter releases the wave."));
}

static void draw_done(const struct wave *v, struct canvas *c, int last)
{
	char buf[64], n[24];
	int y = 1;

	snprintf(n, sizeof(n), "%" PRId64, v->res.wave_id);
	snprintf(buf, sizeof(buf), _("Wave %s released"), n);
	y += floor_wrap(c, 0, y, c->w, 2, UI_ROLE_STATUS_OK, buf);
	snprintf(n, sizeof(n), "%" PRId64, v->res.orders);
	if (y <= last)
		floor_draw_field(c, 0, y++, c->w, _("Orders"), n);
	snprintf(n, sizeof(n), "%" PRId64, v->res.tasks);
	if (y <= last)
		floor_draw_field(c, 0, y++, c->w, _("Pick tasks"), n);
	snprintf(n, sizeof(n), "%" PRId64, v->res.totes);
	if (y <= last)
		floor_draw_field(c, 0, y++, c->w, _("Totes"), n);
	snprintf(n, sizeof(n), "%" PRId64, v->res.units);
	if (y <= last)
		floor_draw_field(c, 0, y++, c->w, _("Units"), n);
}

static void wave_draw(const void *state, struct canvas *c)
{
	const struct wave *v = state;
	int rows = floor_msg_rows(c, &v->msg, c->w < 40 ? 3 : 2);
	int last = c->h - 2 - rows;

	canvas_status(c, 0, UI_ROLE_TITLE, _("Wave release"),
		      v->pending ? _("Loading...") : "");
	switch (v->state) {
	case WV_FORM:
		draw_form(v, c, last);
		break;
	case WV_PREVIEW:
		draw_preview(v, c, last);
		break;
	case WV_DONE:
		draw_done(v, c, last);
		break;
	}
	floor_draw_msg(c, last + 1, rows, &v->msg,
		       v->state == WV_FORM ? _("Enter: preview") : NULL);
	keys_bar_draw(c, c->h - 1, keys_of(v));
}

enum wave_state wave_state_of(const void *state)
{
	return ((const struct wave *)state)->state;
}

const char *wave_message(const void *state)
{
	return ((const struct wave *)state)->msg.text;
}

enum wave_field wave_field_of(const void *state)
{
	return ((const struct wave *)state)->field;
}

const struct ui_screen_ops scr_wave = {
	.name = "wave",
	.init = wave_init,
	.event = wave_event,
	.draw = wave_draw,
	.free = wave_free,
};
