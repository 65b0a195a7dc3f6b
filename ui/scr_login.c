/*
 * scr_login.c - badge + PIN login. See scr_login.h.
 */
#include "ui/scr_login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/req.h"
#include "ui/scr_menu.h"
#include "ui/text.h"

enum login_action {
	ACT_OK = 1,
	ACT_CLEAR,
	ACT_BACK,
	ACT_EXIT,
	ACT_ERASE,
};

static const struct ui_key_binding badge_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Clear"), ACT_CLEAR },
	{ UI_KEY_F(10), N_("Exit"), ACT_EXIT },
	{ UI_KEY_BACKSPACE, NULL, ACT_ERASE },
	{ 0 },
};

static const struct ui_key_binding pin_keys[] = {
	{ UI_KEY_ENTER, N_("OK"), ACT_OK },
	{ UI_KEY_ESC, N_("Back"), ACT_BACK },
	{ UI_KEY_F(10), N_("Exit"), ACT_EXIT },
	{ UI_KEY_BACKSPACE, NULL, ACT_ERASE },
	{ 0 },
};

static const struct ui_key_binding no_keys[] = { { 0 } };

struct login {
	enum login_state state;
	char *station;                  /* sanitised */
	char badge[LOGIN_FIELD_MAX + 1];
	char pin[LOGIN_PIN_MAX + 1];    /* wiped whenever it is left */
	size_t npin;                    /* characters typed (for the '*') */
	const char *hint;               /* msgid of an OK status, or NULL */
	char msg[WH_ERROR_MSG_MAX];     /* an error, sanitised; "" none */
	int idle_ms;
};

static void wipe_pin(struct login *l)
{
	explicit_bzero(l->pin, sizeof(l->pin));
	l->npin = 0;
}

static void set_error(struct login *l, const char *msg)
{
	char *s = text_sanitize(msg, strlen(msg), 0);

	snprintf(l->msg, sizeof(l->msg), "%s", s ? s : "?");
	free(s);
	l->hint = NULL;
}

static void set_hint(struct login *l, const char *msgid)
{
	l->msg[0] = '\0';
	l->hint = msgid;
}

static void *login_init(const void *params, struct wh_error *e)
{
	const struct login_params *p = params;
	struct login *l = calloc(1, sizeof(*l));
	const char *st = p && p->station ? p->station : "";

	if (!l)
		goto out_nomem;
	l->station = text_sanitize(st, strlen(st), 0);
	if (!l->station)
		goto out_free_l;
	l->idle_ms = p && p->idle_ms > 0 ? p->idle_ms : LOGIN_IDLE_DEFAULT_MS;
	if (p && p->notice && p->notice[0])
		set_error(l, p->notice);
	else
		set_hint(l, N_("Scan your badge"));
	return l;

out_free_l:
	free(l);
out_nomem:
	wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	return NULL;
}

static void login_free(void *state)
{
	struct login *l = state;

	if (!l)
		return;
	wipe_pin(l);
	free(l->station);
	free(l);
}

/* Appends the UTF-8 of cp to buf (cap bytes with the NUL) if it fits. */
static bool append_cp(char *buf, size_t cap, int cp)
{
	size_t len = strlen(buf), n;
	char enc[4];

	n = text_encode((uint32_t)cp, enc);
	if (!n || len + n >= cap)
		return false;
	memcpy(buf + len, enc, n);
	buf[len + n] = '\0';
	return true;
}

/* Removes the last UTF-8 character of buf. */
static void erase_last(char *buf)
{
	size_t len = strlen(buf);

	while (len > 0) {
		unsigned char c = (unsigned char)buf[--len];

		buf[len] = '\0';
		if ((c & 0xC0) != 0x80)
			break;
	}
}

static bool is_text_key(int key)
{
	return key >= 0x20 && key < UI_KEY_BASE &&
	       text_cp_displayable((uint32_t)key);
}

/* The badge from a scan or typing: sanitised, trimmed, cut. */
static void take_badge(struct login *l, const char *s, size_t n)
{
	char *clean = text_sanitize(s, n, 0);
	const char *p = clean ? clean : "";
	size_t len;

	while (*p == ' ')
		p++;
	len = strlen(p);
	while (len > 0 && p[len - 1] == ' ')
		len--;
	if (len > LOGIN_FIELD_MAX)
		len = LOGIN_FIELD_MAX;
	/* never cut a character in half */
	while (len > 0 && len < strlen(p) &&
	       ((unsigned char)p[len] & 0xC0) == 0x80)
		len--;
	memcpy(l->badge, p, len);
	l->badge[len] = '\0';
	free(clean);
}

static unsigned submit(struct login *l, struct ui_effects *fx)
{
	struct ui_req *r;

	if (!l->npin) {
		set_error(l, _("Type your PIN"));
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	r = ui_req_login(l->badge, l->pin);
	wipe_pin(l);
	if (!r) {
		set_error(l, _("Out of memory"));
		return UI_HANDLED | UI_REDRAW;
	}
	ui_fx_db_call(fx, LOGIN_TAG_LOGIN, r, ui_req_free);
	l->state = LOGIN_WAIT;
	set_hint(l, N_("Checking..."));
	return UI_HANDLED | UI_REDRAW;
}

static unsigned badge_key(struct login *l, int key, struct ui_effects *fx)
{
	switch (keys_dispatch(badge_keys, key)) {
	case ACT_OK:
		if (!l->badge[0]) {
			set_error(l, _("Scan or type your badge"));
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		take_badge(l, l->badge, strlen(l->badge));
		l->state = LOGIN_PIN;
		set_hint(l, N_("Type your PIN"));
		return UI_HANDLED | UI_REDRAW;
	case ACT_CLEAR:
		l->badge[0] = '\0';
		set_hint(l, N_("Scan your badge"));
		return UI_HANDLED | UI_REDRAW;
	case ACT_EXIT:
		ui_fx_quit(fx, UI_QUIT_EXIT);
		return UI_HANDLED;
	case ACT_ERASE:
		erase_last(l->badge);
		return UI_HANDLED | UI_REDRAW;
	}
	if (!is_text_key(key))
		return UI_IGNORED;
	if (!append_cp(l->badge, sizeof(l->badge), key))
		ui_fx_beep(fx, false);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned pin_key(struct login *l, int key, struct ui_effects *fx)
{
	switch (keys_dispatch(pin_keys, key)) {
	case ACT_OK:
		return submit(l, fx);
	case ACT_BACK:
		wipe_pin(l);
		l->badge[0] = '\0';
		l->state = LOGIN_BADGE;
		set_hint(l, N_("Scan your badge"));
		return UI_HANDLED | UI_REDRAW;
	case ACT_EXIT:
		wipe_pin(l);
		ui_fx_quit(fx, UI_QUIT_EXIT);
		return UI_HANDLED;
	case ACT_ERASE:
		erase_last(l->pin);
		if (l->npin)
			l->npin--;
		return UI_HANDLED | UI_REDRAW;
	}
	if (!is_text_key(key))
		return UI_IGNORED;
	if (!append_cp(l->pin, sizeof(l->pin), key))
		ui_fx_beep(fx, false);
	else
		l->npin++;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned on_result(struct login *l, const struct ui_db_result *db,
			  struct ui_effects *fx)
{
	const struct ui_login_result *r = db->result;

	if (db->tag != LOGIN_TAG_LOGIN || l->state != LOGIN_WAIT)
		return UI_IGNORED;
	if (db->err != WH_OK || !r) {
		struct floor_msg m;

		/* a refusal ("WRONG_PIN: ...") in the user's language, as on
		 * the floor screens; anything else in the database's words */
		floor_msg_db(&m, db->msg, _("Login failed"));
		set_error(l, m.text);
		l->state = LOGIN_PIN;
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	}
	l->state = LOGIN_DONE;
	set_hint(l, N_("Logged in"));
	ui_fx_beep(fx, true);
	ui_fx_idle_timer(fx, LOGIN_TIMER_IDLE, l->idle_ms);
	ui_fx_push(fx, LOGIN_SCREEN_MENU, r->user_id);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned login_event(void *state, const struct ui_event *ev,
			    struct ui_effects *fx)
{
	struct login *l = state;
	struct ui_req *r;

	switch (ev->type) {
	case UI_EV_KEY:
		if (l->state == LOGIN_BADGE)
			return badge_key(l, ev->key, fx);
		if (l->state == LOGIN_PIN)
			return pin_key(l, ev->key, fx);
		return UI_IGNORED;
	case UI_EV_SCAN:
		if (l->state != LOGIN_BADGE && l->state != LOGIN_PIN)
			return UI_IGNORED;
		wipe_pin(l);
		take_badge(l, (const char *)ev->scan.data, ev->scan.len);
		if (!l->badge[0]) {
			set_error(l, _("Empty scan: scan your badge"));
			ui_fx_beep(fx, false);
			return UI_HANDLED | UI_REDRAW;
		}
		l->state = LOGIN_PIN;
		set_hint(l, N_("Type your PIN"));
		ui_fx_beep(fx, true);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		return on_result(l, &ev->db, fx);
	case UI_EV_TIMER:
		if (ev->timer != LOGIN_TIMER_IDLE || l->state != LOGIN_DONE)
			return UI_IGNORED;
		r = ui_req_logout("idle");
		if (r)
			ui_fx_db_call(fx, LOGIN_TAG_LOGOUT, r, ui_req_free);
		ui_fx_quit(fx, UI_QUIT_LOGOUT);
		return UI_HANDLED;
	case UI_EV_RESUME:
		/* the menu went away without logging out: end the session */
		if (l->state != LOGIN_DONE)
			return UI_IGNORED;
		ui_fx_quit(fx, UI_QUIT_LOGOUT);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

/* A field of w columns: its text (the tail when too long) on INPUT. */
static void draw_field(struct canvas *c, int x, int y, int w,
		       const char *text, bool active)
{
	int tw = text_width(text);
	const char *p = text;

	canvas_fill(c, x, y, w, 1, UI_ROLE_INPUT);
	/* show the end of what was typed: that is where the cursor is */
	while (tw > w - 1 && *p) {
		uint32_t cp;
		size_t n = text_decode(p, strlen(p), &cp);
		int cw = text_cp_width(cp);

		tw -= cw > 0 ? cw : 0;
		p += n;
	}
	canvas_text(c, x, y, w, UI_ROLE_INPUT, p);
	if (active)
		canvas_cursor(c, x + (tw < w ? tw : w - 1), y);
}

static void draw_fields(const struct login *l, struct canvas *c, int x,
			int y, int w, bool compact)
{
	char stars[LOGIN_PIN_MAX + 1];
	const char *bl = _("Badge"), *pl = _("PIN");
	int lw = text_width(bl) > text_width(pl) ? text_width(bl)
						 : text_width(pl);
	size_t i;

	for (i = 0; i < l->npin && i < LOGIN_PIN_MAX; i++)
		stars[i] = '*';
	stars[i] = '\0';
	if (compact) {
		lw = lw + 1 < w / 2 ? lw + 1 : w / 2;
		canvas_text_aligned(c, x, y, lw, UI_ROLE_NORMAL, TEXT_LEFT, bl);
		draw_field(c, x + lw, y, w - lw, l->badge,
			   l->state == LOGIN_BADGE);
		if (l->state == LOGIN_BADGE)
			return;
		canvas_text_aligned(c, x, y + 1, lw, UI_ROLE_NORMAL, TEXT_LEFT,
				    pl);
		draw_field(c, x + lw, y + 1, w - lw, stars,
			   l->state == LOGIN_PIN);
		return;
	}
	canvas_text(c, x, y, w, UI_ROLE_NORMAL, bl);
	draw_field(c, x, y + 1, w, l->badge, l->state == LOGIN_BADGE);
	if (l->state == LOGIN_BADGE)
		return;
	canvas_text(c, x, y + 3, w, UI_ROLE_NORMAL, pl);
	draw_field(c, x, y + 4, w, stars, l->state == LOGIN_PIN);
}

static void login_draw(const void *state, struct canvas *c)
{
	const struct login *l = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	const struct ui_key_binding *keys = no_keys;

	canvas_status(c, 0, UI_ROLE_TITLE, _("wharf login"), l->station);
	if (lay == UI_LAYOUT_DESK || lay == UI_LAYOUT_WIDE) {
		int bw = c->w - 4 < 44 ? c->w - 4 : 44;
		int x = (c->w - bw) / 2, y = (c->h - 9) / 2;

		canvas_box(c, x, y, bw, 9, UI_ROLE_DIM);
		draw_fields(l, c, x + 2, y + 2, bw - 4, false);
	} else {
		draw_fields(l, c, 0, 2, c->w, c->h < 12);
	}
	if (l->msg[0])
		canvas_status(c, c->h - 2, UI_ROLE_STATUS_ERR, l->msg, NULL);
	else if (l->hint)
		canvas_status(c, c->h - 2, UI_ROLE_STATUS_OK, _(l->hint),
			      NULL);
	if (l->state == LOGIN_BADGE)
		keys = badge_keys;
	else if (l->state == LOGIN_PIN)
		keys = pin_keys;
	keys_bar_draw(c, c->h - 1, keys);
}

enum login_state login_state(const void *state)
{
	return ((const struct login *)state)->state;
}

const char *login_badge(const void *state)
{
	return ((const struct login *)state)->badge;
}

const char *login_status(const void *state)
{
	const struct login *l = state;

	if (l->msg[0])
		return l->msg;
	return l->hint ? _(l->hint) : "";
}

unsigned login_role_bits(const char *role)
{
	static const struct {
		const char *name;
		unsigned bits;
	} map[] = {
		{ "picker", MENU_ROLE_PICKER },
		{ "packer", MENU_ROLE_PACKER },
		{ "receiver", MENU_ROLE_RECEIVER },
		{ "supervisor", MENU_ROLE_SUPERVISOR },
		{ "admin", MENU_ROLE_ADMIN },
	};
	size_t i;

	for (i = 0; role && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(role, map[i].name) == 0)
			return map[i].bits;
	return 0;
}

const struct ui_screen_ops scr_login = {
	.name = "login",
	.init = login_init,
	.event = login_event,
	.draw = login_draw,
	.free = login_free,
};
