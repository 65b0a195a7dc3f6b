/*
 * test_keys.c - key tables, names, the key bar and curses key mapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <curses.h>

#include "ui/keys.h"

enum { A_HELP = 1, A_SKIP, A_SHORT, A_BACK, A_QUIT };

static const struct ui_key_binding pick_keys[] = {
	{ UI_KEY_F(1), "Help", A_HELP },
	{ UI_KEY_F(2), "Skip", A_SKIP },
	{ UI_KEY_F(3), "Short", A_SHORT },
	{ UI_KEY_F(4), "Back", A_BACK },
	{ 'q', NULL, A_QUIT },
	{ 0 },
};

static void expect_row(const struct canvas *c, int y, const char *want)
{
	char *got = canvas_row_text(c, y);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_dispatch(void **unused)
{
	(void)unused;
	assert_int_equal(keys_dispatch(pick_keys, UI_KEY_F(2)), A_SKIP);
	assert_int_equal(keys_dispatch(pick_keys, 'q'), A_QUIT);
	assert_int_equal(keys_dispatch(pick_keys, 'Q'), A_QUIT);
	assert_int_equal(keys_dispatch(pick_keys, 'x'), UI_ACTION_NONE);
	assert_int_equal(keys_dispatch(pick_keys, UI_KEY_F(5)),
			 UI_ACTION_NONE);
	assert_int_equal(keys_dispatch(NULL, 'q'), UI_ACTION_NONE);
}

static void test_names(void **unused)
{
	char b[8];

	(void)unused;
	assert_int_equal(keys_name(UI_KEY_F(1), b, sizeof(b)), 2);
	assert_string_equal(b, "F1");
	keys_name(UI_KEY_F(12), b, sizeof(b));
	assert_string_equal(b, "F12");
	keys_name(UI_KEY_ENTER, b, sizeof(b));
	assert_string_equal(b, "Ent");
	keys_name(UI_KEY_ESC, b, sizeof(b));
	assert_string_equal(b, "Esc");
	keys_name('q', b, sizeof(b));
	assert_string_equal(b, "Q");
	keys_name(0x4ED3, b, sizeof(b));
	assert_string_equal(b, "仓");
	/* cut to the buffer, always terminated */
	assert_int_equal(keys_name(UI_KEY_F(12), b, 2), 1);
	assert_string_equal(b, "F");
	assert_int_equal(keys_name(UI_KEY_F(12), NULL, 0), 3);
}

static void test_bar_fits_width(void **unused)
{
	struct canvas *c = canvas_new(80, 1, false);

	(void)unused;
	keys_bar_draw(c, 0, pick_keys);
	expect_row(c, 0, "F1Help F2Skip F3Short F4Back"
			 "                                        "
			 "            ");
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_KEYBAR_KEY);
	assert_int_equal(canvas_role_at(c, 1, 0), UI_ROLE_KEYBAR_KEY);
	assert_int_equal(canvas_role_at(c, 2, 0), UI_ROLE_KEYBAR);
	assert_int_equal(canvas_role_at(c, 79, 0), UI_ROLE_KEYBAR);

	/* 20 columns: labels shortened to 4, then the last entry dropped */
	canvas_resize(c, 20, 1);
	keys_bar_draw(c, 0, pick_keys);
	expect_row(c, 0, "F1Help F2Skip F3Shor");
	canvas_resize(c, 27, 1);
	keys_bar_draw(c, 0, pick_keys);
	expect_row(c, 0, "F1Help F2Skip F3Shor F4Back");
	canvas_free(c);
}

static void test_bar_cjk_and_ascii(void **unused)
{
	static const struct ui_key_binding zh[] = {
		{ UI_KEY_ENTER, "确认拣货", 1 },
		{ UI_KEY_F(10), "退出登录", 2 },
		{ 0 },
	};
	struct canvas *c = canvas_new(20, 1, false);

	(void)unused;
	keys_bar_draw(c, 0, zh);
	/* 23 columns: each label loses a column in turn; a wide character
	 * cut in half leaves a blank */
	expect_row(c, 0, "Ent确认拣 F10退出登 ");
	canvas_free(c);

	c = canvas_new(20, 1, true);
	keys_bar_draw(c, 0, zh);
	expect_row(c, 0, "Ent?????? F10?????? ");
	canvas_free(c);
}

static void test_from_curses(void **unused)
{
	(void)unused;
	assert_int_equal(keys_from_curses(KEY_CODE_YES, KEY_F(2)),
			 UI_KEY_F(2));
	assert_int_equal(keys_from_curses(KEY_CODE_YES, KEY_UP), UI_KEY_UP);
	assert_int_equal(keys_from_curses(KEY_CODE_YES, KEY_ENTER),
			 UI_KEY_ENTER);
	assert_int_equal(keys_from_curses(KEY_CODE_YES, KEY_RESIZE),
			 UI_KEY_NONE);
	assert_int_equal(keys_from_curses(OK, '\r'), UI_KEY_ENTER);
	assert_int_equal(keys_from_curses(OK, '\n'), UI_KEY_ENTER);
	assert_int_equal(keys_from_curses(OK, 0x7f), UI_KEY_BACKSPACE);
	assert_int_equal(keys_from_curses(OK, 0x1b), UI_KEY_ESC);
	assert_int_equal(keys_from_curses(OK, 'a'), 'a');
	assert_int_equal(keys_from_curses(OK, 0x4ED3), 0x4ED3);
	assert_int_equal(keys_from_curses(OK, 0x03), UI_KEY_NONE);
	assert_int_equal(keys_from_curses(OK, 0x9b), UI_KEY_NONE);
	assert_int_equal(keys_from_curses(ERR, 0), UI_KEY_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bar_fits_width),
		cmocka_unit_test(test_bar_cjk_and_ascii),
		cmocka_unit_test(test_from_curses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
