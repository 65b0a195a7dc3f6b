/*
 * test_scr_login.c - the login state machine with made-up events and fake
 * database answers, the idle logout through the loop with a fake clock,
 * and the screen map of the station; no terminal, no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/keys.h"
#include "ui/loop.h"
#include "ui/req.h"
#include "ui/scr_count.h"
#include "ui/scr_login.h"
#include "ui/scr_lookup.h"
#include "ui/scr_menu.h"
#include "ui/station.h"

static void *login_new(int idle_ms, const char *notice)
{
	struct login_params p = { .station = "SH-HH-01", .idle_ms = idle_ms,
				  .notice = notice };
	struct wh_error e = { 0 };
	void *st = scr_login.init(&p, &e);

	assert_non_null(st);
	return st;
}

static unsigned key(void *st, int k, struct ui_effects *fx)
{
	struct ui_event ev = { .type = UI_EV_KEY };

	ev.key = k;
	return scr_login.event(st, &ev, fx);
}

static void type(void *st, const char *s, struct ui_effects *fx)
{
	for (; *s; s++)
		key(st, (unsigned char)*s, fx);
}

static char *draw(void *st, int w, int h)
{
	struct canvas *c = canvas_new(w, h, false);
	char *d;

	assert_non_null(c);
	scr_login.draw(st, c);
	d = canvas_dump(c);
	canvas_free(c);
	assert_non_null(d);
	return d;
}

static unsigned answer(void *st, enum wh_err err, const char *msg,
		       struct ui_login_result *r, struct ui_effects *fx)
{
	struct ui_event ev = { .type = UI_EV_DB_RESULT };

	ev.db.tag = LOGIN_TAG_LOGIN;
	ev.db.err = err;
	ev.db.msg = msg;
	ev.db.result = r;
	return scr_login.event(st, &ev, fx);
}

static void test_typed_badge_and_pin(void **unused)
{
	struct ui_effects fx;
	const struct ui_effect *e;
	const struct ui_req *req;
	void *st = login_new(0, NULL);
	char *d;

	(void)unused;
	ui_effects_init(&fx);
	assert_int_equal(login_state(st), LOGIN_BADGE);
	assert_string_equal(login_status(st), "Scan your badge");
	key(st, UI_KEY_ENTER, &fx); /* nothing typed: refused */
	assert_int_equal(login_state(st), LOGIN_BADGE);
	assert_non_null(ui_effects_find(&fx, UI_FX_BEEP_ERR));
	ui_effects_clear(&fx);
	type(st, "U10012", &fx);
	key(st, UI_KEY_BACKSPACE, &fx);
	key(st, UI_KEY_ENTER, &fx);
	assert_int_equal(login_state(st), LOGIN_PIN);
	assert_string_equal(login_badge(st), "U1001");
	type(st, "1234", &fx);
	d = draw(st, 20, 16);
	assert_null(strstr(d, "1234")); /* the PIN is never drawn */
	assert_non_null(strstr(d, "****"));
	assert_non_null(strstr(d, "U1001"));
	free(d);
	assert_null(ui_effects_find(&fx, UI_FX_DB_CALL));
	key(st, UI_KEY_ENTER, &fx);
	assert_int_equal(login_state(st), LOGIN_WAIT);
	e = ui_effects_find(&fx, UI_FX_DB_CALL);
	assert_non_null(e);
	assert_int_equal(e->db.tag, LOGIN_TAG_LOGIN);
	req = e->db.request;
	assert_int_equal(req->kind, UI_REQ_LOGIN);
	assert_string_equal(req->who, "U1001");
	assert_string_equal(req->pin, "1234");
	/* keys while the database checks are ignored */
	assert_int_equal(key(st, 'x', &fx), UI_IGNORED);
	ui_effects_clear(&fx);
	scr_login.free(st);
}

static void test_scan_badge_and_success(void **unused)
{
	struct ui_login_result r = { .user_id = 42 };
	struct ui_event ev = { .type = UI_EV_SCAN };
	struct ui_effects fx;
	const struct ui_effect *e;
	void *st = login_new(90000, NULL);

	(void)unused;
	ui_effects_init(&fx);
	ev.scan.data = (const unsigned char *)" U1001\x1b[2J ";
	ev.scan.len = strlen((const char *)ev.scan.data);
	scr_login.event(st, &ev, &fx);
	assert_int_equal(login_state(st), LOGIN_PIN);
	assert_string_equal(login_badge(st), "U1001"); /* sanitised, trimmed */
	assert_non_null(ui_effects_find(&fx, UI_FX_BEEP_OK));
	type(st, "1234", &fx);
	key(st, UI_KEY_ENTER, &fx);
	ui_effects_clear(&fx);
	answer(st, WH_OK, "", &r, &fx);
	assert_int_equal(login_state(st), LOGIN_DONE);
	e = ui_effects_find(&fx, UI_FX_PUSH_SCREEN);
	assert_non_null(e);
	assert_int_equal(e->push.screen, LOGIN_SCREEN_MENU);
	assert_int_equal(e->push.param, 42);
	e = ui_effects_find(&fx, UI_FX_START_TIMER);
	assert_non_null(e);
	assert_int_equal(e->timer.id, LOGIN_TIMER_IDLE);
	assert_int_equal(e->timer.ms, 90000);
	assert_true(e->timer.idle);
	ui_effects_clear(&fx);
	scr_login.free(st);
}

static void test_refusals(void **unused)
{
	struct ui_effects fx;
	void *st = login_new(0, NULL);
	char *d;

	(void)unused;
	ui_effects_init(&fx);
	type(st, "picker1", &fx);
	key(st, UI_KEY_ENTER, &fx);
	type(st, "9999", &fx);
	key(st, UI_KEY_ENTER, &fx);
	ui_effects_clear(&fx);
	/* the database's refusal, through the table of ui/refusal.c */
	answer(st, WH_ERR_REFUSED, "WRONG_PIN: wrong PIN (4 of 5 tries left)",
	       NULL, &fx);
	assert_int_equal(login_state(st), LOGIN_PIN);
	assert_string_equal(login_badge(st), "picker1");
	assert_string_equal(login_status(st), "Wrong PIN: 4 of 5 tries left");
	assert_non_null(ui_effects_find(&fx, UI_FX_BEEP_ERR));
	ui_effects_clear(&fx);
	type(st, "1234", &fx);
	key(st, UI_KEY_ENTER, &fx);
	answer(st, WH_ERR_REFUSED,
	       "USER_LOCKED: user picker1 is locked until 2026-11-25 "
	       "16:38\x1b]0;x\x07", NULL, &fx);
	assert_string_equal(login_status(st),
			    "Locked: picker1 until 2026-11-25 16:38");
	d = draw(st, 80, 24);
	assert_non_null(strstr(d, "Locked: picker1 until 2026-11-25 16:38"));
	free(d);
	/* not a refusal: the database's words, made safe */
	ui_effects_clear(&fx);
	type(st, "1234", &fx);
	key(st, UI_KEY_ENTER, &fx);
	answer(st, WH_ERR_DB, "server closed the connection\x1b[2J", NULL,
	       &fx);
	assert_string_equal(login_status(st), "server closed the connection");
	assert_int_equal(login_state(st), LOGIN_PIN);
	/* no words at all */
	ui_effects_clear(&fx);
	type(st, "1234", &fx);
	key(st, UI_KEY_ENTER, &fx);
	answer(st, WH_ERR_DB, "", NULL, &fx);
	assert_string_equal(login_status(st), "Login failed");
	/* Esc goes back to the badge, empty */
	key(st, UI_KEY_ESC, &fx);
	assert_int_equal(login_state(st), LOGIN_BADGE);
	assert_string_equal(login_badge(st), "");
	key(st, UI_KEY_F(10), &fx);
	assert_non_null(ui_effects_find(&fx, UI_FX_QUIT));
	ui_effects_clear(&fx);
	scr_login.free(st);
}

static void test_layouts(void **unused)
{
	struct ui_effects fx;
	void *st = login_new(0, "Logged out: no activity");
	char *d;

	(void)unused;
	ui_effects_init(&fx);
	d = draw(st, 20, 16);
	assert_non_null(strstr(d, "wharf login SH-HH-01\n"));
	assert_non_null(strstr(d, "\nBadge"));
	assert_non_null(strstr(d, "Logged out: no acti"));
	free(d);
	type(st, "U1001", &fx);
	key(st, UI_KEY_ENTER, &fx);
	d = draw(st, 40, 8); /* label and field on one row */
	assert_non_null(strstr(d, "\nBadge U1001"));
	assert_non_null(strstr(d, "\nPIN"));
	free(d);
	d = draw(st, 80, 24);
	assert_non_null(strstr(d, "U1001"));
	assert_non_null(strstr(d, "PIN"));
	free(d);
	ui_effects_clear(&fx);
	scr_login.free(st);
}

static void test_roles(void **unused)
{
	(void)unused;
	assert_int_equal(login_role_bits("picker"), MENU_ROLE_PICKER);
	assert_int_equal(login_role_bits("supervisor"), MENU_ROLE_SUPERVISOR);
	assert_int_equal(login_role_bits("admin"), MENU_ROLE_ADMIN);
	assert_int_equal(login_role_bits("nobody"), 0);
	assert_int_equal(login_role_bits(NULL), 0);
}

/* --- idle logout through the loop ------------------------------------ */

struct fake {
	uint64_t now;
	int logins, logouts;
	char last_reason[16];
};

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static enum wh_err fake_db(void *ctx, struct ui_loop *loop, uint64_t id,
			   void *request, struct wh_error *e)
{
	struct fake *f = ctx;
	struct ui_req *r = request;
	struct ui_login_result *res;

	(void)e;
	if (r->kind == UI_REQ_LOGIN) {
		f->logins++;
		res = calloc(1, sizeof(*res));
		res->user_id = 7;
		ui_req_free(r);
		ui_loop_db_done(loop, id, WH_OK, NULL, res);
		return WH_OK;
	}
	f->logouts++;
	snprintf(f->last_reason, sizeof(f->last_reason), "%s", r->reason);
	ui_req_free(r);
	ui_loop_db_done(loop, id, WH_OK, NULL, NULL);
	return WH_OK;
}

static void fake_free(void *ctx, void *result)
{
	(void)ctx;
	free(result);
}

static enum wh_err fake_open(void *ctx, int screen, int64_t param,
			     const struct ui_screen_ops **ops, void **state,
			     struct wh_error *e)
{
	struct station_session s = { .roles = MENU_ROLE_PICKER,
				     .user = "Wang" };

	(void)ctx;
	s.today.year = 2026;
	s.today.month = 11;
	s.today.day = 25;
	return station_open_screen(&s, screen, param, ops, state, e);
}

static void post_key(struct ui_loop *l, int k)
{
	struct ui_event ev = { .type = UI_EV_KEY };

	ev.key = k;
	ui_loop_post(l, &ev);
	ui_loop_process(l);
}

static void post_text(struct ui_loop *l, const char *s)
{
	for (; *s; s++)
		post_key(l, (unsigned char)*s);
}

static void test_idle_logout(void **unused)
{
	struct fake f = { .now = 1000 };
	struct ui_runner r = { .ctx = &f, .db_call = fake_db,
			       .free_result = fake_free,
			       .open_screen = fake_open, .now_ms = fake_now };
	struct ui_loop *l = ui_loop_new(&r);
	struct login_params p = { .station = "SH-HH-01", .idle_ms = 60000 };
	struct wh_error e = { 0 };
	struct canvas *c = canvas_new(20, 16, false);
	enum ui_quit_reason why;
	char *d;

	(void)unused;
	assert_int_equal(ui_loop_push(l, &scr_login, scr_login.init(&p, &e)),
			 WH_OK);
	ui_loop_process(l);
	post_text(l, "U1001");
	post_key(l, UI_KEY_ENTER);
	post_text(l, "1234");
	post_key(l, UI_KEY_ENTER);
	assert_int_equal(f.logins, 1);
	assert_int_equal(ui_loop_depth(l), 2);
	assert_ptr_equal(ui_loop_top(l), &scr_menu);
	/* activity keeps the session: 50 s, a key, 50 s more */
	f.now += 50000;
	ui_loop_process(l);
	post_key(l, UI_KEY_DOWN);
	f.now += 50000;
	ui_loop_process(l);
	assert_false(ui_loop_done(l, NULL));
	assert_int_equal(f.logouts, 0);
	/* a menu item opens its screen */
	post_key(l, '2'); /* Count */
	assert_int_equal(ui_loop_depth(l), 3);
	assert_ptr_equal(ui_loop_top(l), &scr_count);
	ui_loop_render(l, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "Count"));
	free(d);
	/* then 60 s without input: logged out, audited as idle */
	f.now += 60001;
	ui_loop_process(l);
	assert_true(ui_loop_done(l, &why));
	assert_int_equal(why, UI_QUIT_LOGOUT);
	assert_int_equal(f.logouts, 1);
	assert_string_equal(f.last_reason, "idle");
	canvas_free(c);
	ui_loop_free(l);
}

/* The loop extensions the station uses: UI_EV_START once with the size,
 * the banner over any screen. */
static int starts, start_h;

static unsigned count_event(void *state, const struct ui_event *ev,
			    struct ui_effects *fx)
{
	(void)state;
	(void)fx;
	if (ev->type == UI_EV_START) {
		starts++;
		start_h = ev->size.h;
	}
	return UI_HANDLED;
}

static void count_draw(const void *state, struct canvas *c)
{
	(void)state;
	canvas_text(c, 0, 0, -1, UI_ROLE_TITLE, "screen title");
}

static const struct ui_screen_ops count_ops = {
	.name = "count", .event = count_event, .draw = count_draw,
};

static void test_loop_start_and_banner(void **unused)
{
	struct ui_loop *l = ui_loop_new(NULL);
	struct ui_event ev = { .type = UI_EV_RESIZE };
	struct canvas *c = canvas_new(20, 16, false);
	char *row;

	(void)unused;
	ev.size.w = 20;
	ev.size.h = 16;
	ui_loop_post(l, &ev); /* before any screen: the size is kept */
	ui_loop_push(l, &count_ops, NULL);
	ui_loop_process(l);
	ui_loop_process(l);
	assert_int_equal(starts, 1);
	assert_int_equal(start_h, 16);
	ui_loop_set_banner(l, "OFFLINE");
	ui_loop_render(l, c);
	row = canvas_row_text(c, 0);
	assert_string_equal(row, "OFFLINE             ");
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_ALERT);
	free(row);
	ui_loop_set_banner(l, NULL);
	ui_loop_render(l, c);
	row = canvas_row_text(c, 0);
	assert_string_equal(row, "screen title        ");
	free(row);
	canvas_free(c);
	ui_loop_free(l);
}

static void test_station_screens(void **unused)
{
	struct station_session s = { .roles = MENU_ROLE_PICKER, .user = "W" };
	const struct ui_screen_ops *ops;
	struct wh_error e = { 0 };
	void *state;

	(void)unused;
	assert_int_equal(station_open_screen(&s, MENU_PACK, 0, &ops, &state,
					     &e), WH_ERR_PERM);
	assert_int_equal(station_open_screen(&s, MENU_WAVE, 0, &ops, &state,
					     &e), WH_ERR_PERM);
	assert_null(state);
	assert_int_equal(station_open_screen(&s, MENU_COUNT, 0, &ops, &state,
					     &e), WH_OK);
	assert_string_equal(ops->name, "count");
	ops->free(state);
	assert_int_equal(station_open_screen(&s, MENU_STOCK, 0, &ops, &state,
					     &e), WH_OK);
	assert_string_equal(ops->name, "lookup");
	ops->free(state);
	/* the stock lookup's F2 */
	assert_int_equal(station_open_screen(&s, LOOKUP_SCREEN_SUMMARY, 0, &ops,
					     &state, &e), WH_OK);
	assert_string_equal(ops->name, "summary");
	ops->free(state);
	assert_int_equal(station_open_screen(&s, MENU_SCANNER_TEST, 0, &ops,
					     &state, &e), WH_OK);
	assert_string_equal(ops->name, "scantest");
	ops->free(state);
	assert_int_equal(station_open_screen(&s, 999, 0, &ops, &state, &e),
			 WH_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_badge_and_pin),
		cmocka_unit_test(test_scan_badge_and_success),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_idle_logout),
		cmocka_unit_test(test_loop_start_and_banner),
		cmocka_unit_test(test_station_screens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
