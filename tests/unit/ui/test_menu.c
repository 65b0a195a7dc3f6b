/*
 * test_menu.c - the main menu state machine, driven with made-up events and
 * read back from the canvas; no terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/keys.h"
#include "ui/loop.h"
#include "ui/scr_menu.h"

static void *menu_new(unsigned roles, const char *user)
{
	struct menu_params p = { .roles = roles, .user = user };
	struct wh_error e = { 0 };
	void *st = scr_menu.init(&p, &e);

	assert_non_null(st);
	return st;
}

/* Sends key; returns the flags, effects left in fx for the caller. */
static unsigned key(void *st, int k, struct ui_effects *fx)
{
	struct ui_event ev = { .type = UI_EV_KEY };

	ev.key = k;
	return scr_menu.event(st, &ev, fx);
}

static char *draw(void *st, int w, int h, bool ascii)
{
	struct canvas *c = canvas_new(w, h, ascii);
	char *d;

	assert_non_null(c);
	scr_menu.draw(st, c);
	d = canvas_dump(c);
	canvas_free(c);
	assert_non_null(d);
	return d;
}

static void expect_draw(void *st, int w, int h, bool ascii, const char *want)
{
	char *d = draw(st, w, h, ascii);

	assert_string_equal(d, want);
	free(d);
}

static void test_roles(void **unused)
{
	(void)unused;
	assert_true(menu_item_allowed(MENU_PICK, MENU_ROLE_PICKER));
	assert_false(menu_item_allowed(MENU_PICK, MENU_ROLE_PACKER));
	assert_true(menu_item_allowed(MENU_PACK, MENU_ROLE_PACKER));
	assert_false(menu_item_allowed(MENU_WAVE, MENU_ROLE_PICKER));
	assert_true(menu_item_allowed(MENU_WAVE, MENU_ROLE_SUPERVISOR));
	assert_true(menu_item_allowed(MENU_RECEIVE, MENU_ROLE_ADMIN));
	assert_true(menu_item_allowed(MENU_STOCK, MENU_ROLE_PACKER));
	assert_false(menu_item_allowed(MENU_STOCK, 0));
	assert_true(menu_item_allowed(MENU_SCANNER_TEST, 0));
	assert_true(menu_item_allowed(MENU_LOGOUT, 0));
	assert_false(menu_item_allowed(MENU_ITEM_END, 0x1F));
}

static void test_draw_20x16_picker(void **unused)
{
	void *st = menu_new(MENU_ROLE_PICKER, "picker01");

	(void)unused;
	expect_draw(st, 20, 16, false,
		    "Main menu   picker01\n"
		    "1 Pick              \n"
		    "2 Count             \n"
		    "3 Stock lookup      \n"
		    "4 Scanner test      \n"
		    "5 Logout            \n"
		    "                    \n"
		    "                    \n"
		    "                    \n"
		    "                    \n"
		    "                    \n"
		    "                    \n"
		    "                    \n"
		    "                    \n"
		    "Choose a task       \n"
		    "EntOpen F10Logout   \n");
	scr_menu.free(st);
}

static void test_draw_40x8_and_80x24(void **unused)
{
	void *st = menu_new(MENU_ROLE_SUPERVISOR, "lead01");
	struct ui_effects fx = { 0 };
	struct canvas *c = canvas_new(80, 24, false);
	char *row;

	(void)unused;
	expect_draw(st, 40, 8, false,
		    "Main menu                         lead01\n"
		    "1 Pick              6 Stock lookup      \n"
		    "2 Receive           7 Pack              \n"
		    "3 Putaway           8 Wave release      \n"
		    "4 Count             9 Scanner test      \n"
		    "5 Move              0 Logout            \n"
		    "Choose a task                           \n"
		    "EntOpen F10Logout                       \n");
	key(st, UI_KEY_DOWN, &fx);
	scr_menu.draw(st, c);
	row = canvas_row_text(c, 7);
	assert_string_equal(row, "                  │ 2 Receive           "
				 "                  R  │                  ");
	free(row);
	row = canvas_row_text(c, 5);
	assert_string_equal(row, "                  ┌───────────────────────"
				 "───────────────────┐                  ");
	free(row);
	/* the selection is highlighted across the entry, not elsewhere */
	assert_int_equal(canvas_role_at(c, 22, 7), UI_ROLE_SELECTED);
	assert_int_equal(canvas_role_at(c, 58, 7), UI_ROLE_SELECTED);
	assert_int_equal(canvas_role_at(c, 22, 6), UI_ROLE_NORMAL);
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_TITLE);
	assert_int_equal(canvas_role_at(c, 0, 22), UI_ROLE_STATUS_OK);
	assert_int_equal(canvas_role_at(c, 0, 23), UI_ROLE_KEYBAR_KEY);
	canvas_free(c);
	ui_effects_clear(&fx);
	scr_menu.free(st);
}

static void test_draw_ascii_scrolls_at_20x8(void **unused)
{
	void *st = menu_new(MENU_ROLE_ADMIN, "张三\x1b[2J");
	struct ui_effects fx = { 0 };
	int i;

	(void)unused;
	for (i = 0; i < 6; i++)
		key(st, UI_KEY_DOWN, &fx);
	assert_int_equal(menu_selected(st), MENU_PACK);
	/* 5 rows for 10 items: the list scrolls to keep 7 Pack visible;
	 * the user's name is sanitised, then shown as '?' in ASCII */
	expect_draw(st, 20, 8, true,
		    "Main menu       ????\n"
		    "3 Putaway           \n"
		    "4 Count             \n"
		    "5 Move              \n"
		    "6 Stock lookup      \n"
		    "7 Pack              \n"
		    "Choose a task       \n"
		    "EntOpen F10Logout   \n");
	assert_int_equal(fx.n, 0);
	scr_menu.free(st);
}

static void test_navigation(void **unused)
{
	void *st = menu_new(MENU_ROLE_PICKER, NULL);
	struct ui_effects fx = { 0 };

	(void)unused;
	assert_int_equal(menu_selected(st), MENU_PICK);
	assert_int_equal(key(st, UI_KEY_UP, &fx), UI_HANDLED | UI_REDRAW);
	assert_int_equal(menu_selected(st), MENU_LOGOUT); /* wraps */
	key(st, UI_KEY_DOWN, &fx);
	key(st, UI_KEY_DOWN, &fx);
	assert_int_equal(menu_selected(st), MENU_COUNT);
	key(st, UI_KEY_END, &fx);
	assert_int_equal(menu_selected(st), MENU_LOGOUT);
	key(st, UI_KEY_HOME, &fx);
	assert_int_equal(menu_selected(st), MENU_PICK);
	/* keys that mean nothing here */
	assert_int_equal(key(st, 'z', &fx), UI_IGNORED);
	assert_int_equal(key(st, 'r', &fx), UI_IGNORED); /* not a receiver */
	assert_int_equal(key(st, '9', &fx), UI_IGNORED); /* only 5 items */
	assert_int_equal(key(st, UI_KEY_F(3), &fx), UI_IGNORED);
	assert_int_equal(fx.n, 0);
	scr_menu.free(st);
}

static void expect_push(void *st, int k, enum menu_item want)
{
	struct ui_effects fx = { 0 };
	const struct ui_effect *e;

	assert_true(key(st, k, &fx) & UI_HANDLED);
	assert_int_equal(fx.n, 1);
	e = ui_effects_find(&fx, UI_FX_PUSH_SCREEN);
	assert_non_null(e);
	assert_int_equal(e->push.screen, want);
	assert_int_equal(e->push.param, 0);
	ui_effects_clear(&fx);
}

static void test_choose(void **unused)
{
	void *st = menu_new(MENU_ROLE_RECEIVER | MENU_ROLE_PACKER, "r");
	struct ui_effects fx = { 0 };

	(void)unused;
	/* Receive, Putaway, Count, Move, Stock lookup, Pack, Scanner test,
	 * Logout */
	expect_push(st, UI_KEY_ENTER, MENU_RECEIVE);
	expect_push(st, '2', MENU_PUTAWAY);
	assert_int_equal(menu_selected(st), MENU_PUTAWAY);
	expect_push(st, 'k', MENU_PACK);
	expect_push(st, 'S', MENU_STOCK);
	expect_push(st, 't', MENU_SCANNER_TEST);
	key(st, UI_KEY_DOWN, &fx);
	assert_int_equal(menu_selected(st), MENU_LOGOUT);
	key(st, UI_KEY_DOWN, &fx);
	assert_int_equal(fx.n, 0);
	expect_push(st, UI_KEY_ENTER, MENU_RECEIVE); /* Down wrapped */
	scr_menu.free(st);

	/* ten items: '0' is the tenth, Logout, which asks first */
	st = menu_new(MENU_ROLE_SUPERVISOR, "s");
	assert_true(key(st, '0', &fx) & UI_HANDLED);
	assert_int_equal(fx.n, 0);
	assert_int_equal(menu_selected(st), MENU_LOGOUT);
	assert_int_equal(menu_mode(st), MENU_CONFIRM_LOGOUT);
	scr_menu.free(st);
}

static void test_logout_confirm(void **unused)
{
	void *st = menu_new(MENU_ROLE_PICKER, "p");
	struct ui_effects fx = { 0 };
	const struct ui_effect *e;
	char *d;

	(void)unused;
	assert_int_equal(key(st, UI_KEY_F(10), &fx), UI_HANDLED | UI_REDRAW);
	assert_int_equal(fx.n, 0);
	assert_int_equal(menu_mode(st), MENU_CONFIRM_LOGOUT);
	d = draw(st, 20, 16, false);
	assert_non_null(strstr(d, "Log out?"));
	assert_non_null(strstr(d, "EntYes EscNo"));
	free(d);
	/* menu keys do nothing while asking */
	assert_int_equal(key(st, '1', &fx), UI_IGNORED);
	assert_int_equal(key(st, UI_KEY_ESC, &fx), UI_HANDLED | UI_REDRAW);
	assert_int_equal(menu_mode(st), MENU_BROWSE);
	key(st, 'l', &fx);
	assert_int_equal(menu_mode(st), MENU_CONFIRM_LOGOUT);
	key(st, 'n', &fx);
	assert_int_equal(menu_mode(st), MENU_BROWSE);
	assert_int_equal(fx.n, 0);
	key(st, '5', &fx);
	assert_int_equal(menu_mode(st), MENU_CONFIRM_LOGOUT);
	assert_true(key(st, UI_KEY_ENTER, &fx) & UI_HANDLED);
	e = ui_effects_find(&fx, UI_FX_QUIT);
	assert_non_null(e);
	assert_int_equal(e->quit_reason, UI_QUIT_LOGOUT);
	ui_effects_clear(&fx);
	scr_menu.free(st);
}

static void test_scan_refused(void **unused)
{
	void *st = menu_new(MENU_ROLE_PICKER, "p");
	struct ui_effects fx = { 0 };
	struct ui_event ev = { .type = UI_EV_SCAN };
	char *d;

	(void)unused;
	ev.scan.data = (const unsigned char *)"A-01-02";
	ev.scan.len = 7;
	memcpy(ev.scan.aim, "]C0", 4);
	assert_int_equal(scr_menu.event(st, &ev, &fx),
			 UI_HANDLED | UI_REDRAW);
	assert_non_null(ui_effects_find(&fx, UI_FX_BEEP_ERR));
	assert_null(ui_effects_find(&fx, UI_FX_PUSH_SCREEN));
	d = draw(st, 40, 8, false);
	assert_non_null(strstr(d, "Choose a task before scanning"));
	free(d);
	ui_effects_clear(&fx);
	/* back from a pushed screen: the message is gone */
	ev.type = UI_EV_RESUME;
	assert_true(scr_menu.event(st, &ev, &fx) & UI_REDRAW);
	d = draw(st, 40, 8, false);
	assert_null(strstr(d, "before scanning"));
	free(d);
	/* other events are not the menu's business */
	ev.type = UI_EV_NOTIFY;
	ev.notify.channel = "order_intercepted";
	ev.notify.payload = "42";
	assert_int_equal(scr_menu.event(st, &ev, &fx), UI_IGNORED);
	assert_int_equal(fx.n, 0);
	scr_menu.free(st);
	scr_menu.free(NULL);
}

/* The loop draws the too-small message instead of the menu. */
static void test_too_small_through_loop(void **unused)
{
	struct ui_loop *l = ui_loop_new(NULL);
	struct canvas *c = canvas_new(19, 8, false);
	char *d;

	(void)unused;
	assert_int_equal(ui_loop_push(l, &scr_menu, menu_new(1, "p")), WH_OK);
	ui_loop_render(l, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "terminal too small"));
	assert_non_null(strstr(d, "(need 20x8, have"));
	assert_non_null(strstr(d, "19x8)"));
	assert_null(strstr(d, "Pick"));
	free(d);
	canvas_resize(c, 20, 8);
	ui_loop_render(l, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "1 Pick"));
	free(d);
	canvas_free(c);
	ui_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_draw_20x16_picker),
		cmocka_unit_test(test_draw_40x8_and_80x24),
		cmocka_unit_test(test_draw_ascii_scrolls_at_20x8),
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_logout_confirm),
		cmocka_unit_test(test_scan_refused),
		cmocka_unit_test(test_too_small_through_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
