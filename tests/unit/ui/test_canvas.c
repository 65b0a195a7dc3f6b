/*
 * test_canvas.c - drawing into the cell grid, read back as text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/canvas.h"
#include "ui/layout.h"

static void expect_row(const struct canvas *c, int y, const char *want)
{
	char *got = canvas_row_text(c, y);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void expect_dump(const struct canvas *c, const char *want)
{
	char *got = canvas_dump(c);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_blank_and_text(void **unused)
{
	struct canvas *c = canvas_new(20, 16, false);
	int w;

	(void)unused;
	assert_non_null(c);
	assert_int_equal(c->w, 20);
	assert_int_equal(c->h, 16);
	expect_row(c, 15, "                    ");
	w = canvas_text(c, 0, 0, -1, UI_ROLE_TITLE, "Pick 仓库");
	assert_int_equal(w, 9);
	expect_row(c, 0, "Pick 仓库           ");
	assert_int_equal(canvas_role_at(c, 5, 0), UI_ROLE_TITLE);
	assert_int_equal(canvas_role_at(c, 6, 0), UI_ROLE_TITLE);
	assert_int_equal(canvas_role_at(c, 9, 0), UI_ROLE_NORMAL);
	assert_int_equal(canvas_role_at(c, -1, 0), UI_ROLE_NORMAL);
	/* clipped to maxw and to the edge */
	assert_int_equal(canvas_text(c, 0, 1, 3, UI_ROLE_NORMAL, "abcdef"), 3);
	assert_int_equal(canvas_text(c, 17, 2, -1, UI_ROLE_NORMAL, "abcdef"),
			 3);
	expect_row(c, 1, "abc                 ");
	expect_row(c, 2, "                 abc");
	/* out of the grid: nothing, no crash */
	canvas_text(c, 0, 16, -1, UI_ROLE_NORMAL, "x");
	canvas_text(c, 0, -1, -1, UI_ROLE_NORMAL, "x");
	canvas_text(c, 25, 3, -1, UI_ROLE_NORMAL, "x");
	assert_null(canvas_row_text(c, 16));
	canvas_free(c);
	canvas_free(NULL);
}

static void test_wide_chars(void **unused)
{
	struct canvas *c = canvas_new(20, 3, false);

	(void)unused;
	/* a wide character with one column left becomes a blank */
	assert_int_equal(canvas_text(c, 17, 0, -1, UI_ROLE_NORMAL, "仓库"), 3);
	expect_row(c, 0, "                 仓 ");
	assert_int_equal(canvas_text(c, 0, 1, 3, UI_ROLE_NORMAL, "仓库"), 3);
	expect_row(c, 1, "仓                  ");
	/* overwriting either half of a wide character blanks the other */
	canvas_text(c, 0, 2, -1, UI_ROLE_NORMAL, "仓库");
	canvas_text(c, 1, 2, -1, UI_ROLE_NORMAL, "x");
	expect_row(c, 2, " x库                ");
	canvas_text(c, 3, 2, -1, UI_ROLE_NORMAL, "y");
	expect_row(c, 2, " x y                ");
	canvas_text(c, 0, 2, -1, UI_ROLE_NORMAL, "仓库");
	canvas_text(c, 1, 2, -1, UI_ROLE_NORMAL, "库");
	expect_row(c, 2, " 库                 ");
	/* combining marks stay in their base's cell */
	canvas_text(c, 10, 2, -1, UI_ROLE_NORMAL, "e\xcc\x81!");
	expect_row(c, 2, " 库       e\xcc\x81!        ");
	canvas_free(c);
}

static void test_never_stores_controls(void **unused)
{
	struct canvas *c = canvas_new(20, 1, false);
	char *row;

	(void)unused;
	canvas_text(c, 0, 0, -1, UI_ROLE_NORMAL,
		    "a\x1b[2Jb\xe2\x80\xae" "c\x07\xc2\x9b" "d\xff");
	row = canvas_row_text(c, 0);
	assert_non_null(row);
	assert_string_equal(row, "a[2Jbcd\xef\xbf\xbd            ");
	assert_null(strchr(row, 0x1b));
	free(row);
	canvas_free(c);
}

static void test_ascii_mode(void **unused)
{
	struct canvas *c = canvas_new(12, 4, true);

	(void)unused;
	canvas_text(c, 0, 0, -1, UI_ROLE_NORMAL, "仓A\xc3\xa9" "e\xcc\x81");
	canvas_text_aligned(c, 0, 1, 6, UI_ROLE_NORMAL, TEXT_LEFT,
			    "Receiving");
	canvas_box(c, 6, 1, 6, 3, UI_ROLE_DIM);
	expect_dump(c, "??A?e       \n"
		       "Recei~+----+\n"
		       "      |    |\n"
		       "      +----+\n");
	canvas_free(c);
}

static void test_box_and_lines(void **unused)
{
	struct canvas *c = canvas_new(8, 4, false);

	(void)unused;
	canvas_box(c, 0, 0, 8, 4, UI_ROLE_DIM);
	canvas_hline(c, 1, 2, 6, UI_ROLE_DIM);
	canvas_vline(c, 4, 1, 1, UI_ROLE_DIM);
	expect_dump(c, "┌──────┐\n"
		       "│   │  │\n"
		       "│──────│\n"
		       "└──────┘\n");
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_DIM);
	canvas_box(c, 0, 0, 1, 1, UI_ROLE_ALERT); /* too small: nothing */
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_DIM);
	canvas_free(c);
}

static void test_status(void **unused)
{
	struct canvas *c = canvas_new(20, 4, false);

	(void)unused;
	canvas_status(c, 0, UI_ROLE_TITLE, "Menu", "picker01");
	canvas_status(c, 1, UI_ROLE_STATUS_OK, "Scan bin A-01-02-03",
		      "picker01");
	canvas_status(c, 2, UI_ROLE_STATUS_ERR, "Wrong lot, expected L42 now",
		      NULL);
	canvas_status(c, 3, UI_ROLE_STATUS_OK, NULL, "张三");
	expect_dump(c, "Menu        picker01\n"
		       "Scan bin A-01-02-03 \n"
		       "Wrong lot, expected…\n"
		       "                张三\n");
	assert_int_equal(canvas_role_at(c, 19, 1), UI_ROLE_STATUS_OK);
	assert_int_equal(canvas_role_at(c, 10, 0), UI_ROLE_TITLE);
	canvas_free(c);
}

static void test_bigdigits(void **unused)
{
	struct canvas *c = canvas_new(20, 5, true);

	(void)unused;
	assert_int_equal(canvas_bigdigits_width("12"), 7);
	assert_int_equal(canvas_bigdigits_width("1.5"), 9);
	assert_int_equal(canvas_bigdigits_width(""), 0);
	assert_int_equal(canvas_bigdigits(c, 0, 0, 5, UI_ROLE_NORMAL, "12"),
			 7);
	assert_int_equal(canvas_bigdigits(c, 8, 0, 3, UI_ROLE_NORMAL, "-8"),
			 7);
	expect_dump(c, " #  ###      _      \n"
		       "##    #  _  |_|     \n"
		       " #  ###     |_|     \n"
		       " #  #               \n"
		       "### ###             \n");
	canvas_free(c);

	c = canvas_new(8, 3, false);
	canvas_bigdigits(c, 0, 0, 3, UI_ROLE_INPUT, "07");
	expect_dump(c, "█▀█ ▀▀█ \n"
		       "█ █   █ \n"
		       "▀▀▀   ▀ \n");
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_INPUT);
	/* clipped at the edge */
	canvas_clear(c, UI_ROLE_NORMAL);
	assert_int_equal(canvas_bigdigits(c, 6, 0, 3, UI_ROLE_NORMAL, "1"), 3);
	expect_row(c, 1, "       █");
	canvas_free(c);
}

static void test_readback_80x24(void **unused)
{
	struct canvas *c = canvas_new(80, 24, false);
	char *dump;
	size_t lines = 0;
	const char *p;

	(void)unused;
	canvas_status(c, 0, UI_ROLE_TITLE, "Waves", "supervisor");
	canvas_box(c, 0, 1, 80, 22, UI_ROLE_DIM);
	canvas_text(c, 2, 2, 76, UI_ROLE_NORMAL, "W-0001  天猫  42 orders");
	canvas_status(c, 23, UI_ROLE_STATUS_OK, "Ready", NULL);
	dump = canvas_dump(c);
	assert_non_null(dump);
	for (p = dump; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 24);
	free(dump);
	/* 2 + 23 columns of text, 54 blanks, the right border */
	expect_row(c, 2, "│ W-0001  天猫  42 orders"
			 "                                                  "
			 "    │");
	assert_int_equal(canvas_role_at(c, 79, 0), UI_ROLE_TITLE);
	/* resizing clears */
	assert_int_equal(canvas_resize(c, 20, 16), WH_OK);
	expect_row(c, 0, "                    ");
	canvas_cursor(c, 3, 4);
	assert_int_equal(c->cursor_x, 3);
	canvas_cursor(c, 30, 4);
	assert_int_equal(c->cursor_x, -1);
	canvas_free(c);
}

static void test_layout(void **unused)
{
	(void)unused;
	assert_int_equal(ui_layout_classify(19, 16), UI_LAYOUT_TOO_SMALL);
	assert_int_equal(ui_layout_classify(20, 7), UI_LAYOUT_TOO_SMALL);
	assert_int_equal(ui_layout_classify(20, 8), UI_LAYOUT_HANDHELD);
	assert_int_equal(ui_layout_classify(20, 16), UI_LAYOUT_HANDHELD);
	assert_int_equal(ui_layout_classify(39, 30), UI_LAYOUT_HANDHELD);
	assert_int_equal(ui_layout_classify(40, 8), UI_LAYOUT_SMALL);
	assert_int_equal(ui_layout_classify(80, 23), UI_LAYOUT_SMALL);
	assert_int_equal(ui_layout_classify(80, 24), UI_LAYOUT_DESK);
	assert_int_equal(ui_layout_classify(119, 50), UI_LAYOUT_DESK);
	assert_int_equal(ui_layout_classify(120, 39), UI_LAYOUT_DESK);
	assert_int_equal(ui_layout_classify(120, 40), UI_LAYOUT_WIDE);
}

static void test_too_small(void **unused)
{
	struct canvas *c = canvas_new(15, 6, false);

	(void)unused;
	ui_layout_draw_too_small(c);
	expect_dump(c, "terminal too   \n"
		       "small (need    \n"
		       "20x8, have     \n"
		       "15x6)          \n"
		       "               \n"
		       "               \n");
	assert_int_equal(canvas_role_at(c, 0, 0), UI_ROLE_STATUS_ERR);
	/* even a 5x2 gets what fits */
	assert_int_equal(canvas_resize(c, 5, 2), WH_OK);
	ui_layout_draw_too_small(c);
	expect_dump(c, "termi\nnal  \n");
	canvas_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank_and_text),
		cmocka_unit_test(test_wide_chars),
		cmocka_unit_test(test_never_stores_controls),
		cmocka_unit_test(test_ascii_mode),
		cmocka_unit_test(test_box_and_lines),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_bigdigits),
		cmocka_unit_test(test_readback_80x24),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
