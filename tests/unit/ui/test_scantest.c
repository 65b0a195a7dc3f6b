/*
 * test_scantest.c - the scanner test screen's formatting and flow, and the
 * stock summary screen's paging, with made-up events; no terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/scanner/scan_format.h"
#include "ui/keys.h"
#include "ui/req.h"
#include "ui/scr_scantest.h"
#include "ui/scr_summary.h"

static const struct gs1_date today = { 2026, 11, 25 };

static void test_visible(void **unused)
{
	char buf[64];
	size_t n;

	(void)unused;
	n = scan_format_visible((const unsigned char *)"A\x1d" "B\r", 4, buf,
			     sizeof(buf));
	assert_string_equal(buf, "A<GS>B<CR>");
	assert_int_equal(n, 10);
	scan_format_visible((const unsigned char *)"<\\\x7f\xe4", 4, buf,
			 sizeof(buf));
	assert_string_equal(buf, "\\x3C\\x5C<DEL>\\xE4");
	scan_format_visible((const unsigned char *)"\0x", 2, buf, sizeof(buf));
	assert_string_equal(buf, "<NUL>x");
	/* truncation: like snprintf, the full length, never a split item */
	n = scan_format_visible((const unsigned char *)"AB\x1d", 3, buf, 5);
	assert_int_equal(n, 6);
	assert_string_equal(buf, "AB");
}

static void test_describe_gs1(void **unused)
{
	static const unsigned char data[] =
		"0109506000134352" "17271231" "10LOT42\x1d" "3710";
	struct ui_scan s = { .data = data, .len = sizeof(data) - 1,
			     .aim = "]C1", .source = "fifo" };
	char *d = scantest_describe(&s, &today, 3);

	(void)unused;
	assert_non_null(d);
	assert_string_equal(d,
			    "#3 fifo AIM ]C1\n"
			    "Raw: 010950600013435217271231" "10LOT42<GS>3710\n"
			    "Form: element-string\n"
			    "Class: gs1-case\n"
			    "(01) 09506000134352\n"
			    "(17) 2027-12-31\n"
			    "(10) LOT42\n"
			    "(37) 10\n");
	free(d);
}

static void test_describe_plain_and_error(void **unused)
{
	struct ui_scan s = { .data = (const unsigned char *)"A-01-02",
			     .len = 7, .source = "serial" };
	char *d = scantest_describe(&s, &today, 1);

	(void)unused;
	assert_non_null(d);
	assert_non_null(strstr(d, "Form: plain\n"));
	assert_non_null(strstr(d, "Class: location\n"));
	assert_non_null(strstr(d, "Code: A-01-02\n"));
	free(d);
	s.data = (const unsigned char *)"]C10109506000134353";
	s.len = strlen((const char *)s.data);
	d = scantest_describe(&s, &today, 2);
	assert_non_null(d);
	assert_non_null(strstr(d, "GS1 error: AI 01: check digit"));
	free(d);
}

static void test_screen_keyboard(void **unused)
{
	struct scantest_params p = { .today = today };
	struct wh_error e = { 0 };
	struct ui_event ev = { .type = UI_EV_KEY };
	struct ui_effects fx;
	struct canvas *c = canvas_new(20, 16, false);
	void *st = scr_scantest.init(&p, &e);
	const char *typed = "0109506000134352" "10AB<GS>3710";
	char *d;

	(void)unused;
	assert_non_null(st);
	ui_effects_init(&fx);
	for (; *typed; typed++) {
		ev.key = (unsigned char)*typed;
		scr_scantest.event(st, &ev, &fx);
	}
	assert_int_equal(scantest_count(st), 0);
	ev.key = UI_KEY_ENTER;
	scr_scantest.event(st, &ev, &fx);
	assert_int_equal(scantest_count(st), 1);
	assert_non_null(ui_effects_find(&fx, UI_FX_BEEP_OK));
	assert_non_null(strstr(scantest_latest(st), "#1 keyboard AIM -"));
	assert_non_null(strstr(scantest_latest(st), "(10) AB\n"));
	scr_scantest.draw(st, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "Scanner test       1\n"));
	assert_non_null(strstr(d, "(01) 09506000134352 \n"));
	free(d);
	/* a second scan from a device moves the first to the history */
	{
		struct ui_event sev = { .type = UI_EV_SCAN };

		sev.scan.data = (const unsigned char *)"T000123";
		sev.scan.len = 7;
		sev.scan.source = "fifo";
		scr_scantest.event(st, &sev, &fx);
	}
	assert_int_equal(scantest_count(st), 2);
	assert_non_null(strstr(scantest_latest(st), "Class: tote"));
	canvas_resize(c, 80, 24);
	scr_scantest.draw(st, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "#1 keyboard AIM - Raw: 010950600013435210AB"));
	free(d);
	/* Esc on an empty line closes the screen */
	ui_effects_clear(&fx);
	ev.key = UI_KEY_ESC;
	scr_scantest.event(st, &ev, &fx);
	assert_non_null(ui_effects_find(&fx, UI_FX_POP_SCREEN));
	ui_effects_clear(&fx);
	canvas_free(c);
	scr_scantest.free(st);
}

static void test_summary_paging(void **unused)
{
	struct stock_summary *s = calloc(1, sizeof(*s));
	struct ui_event ev = { .type = UI_EV_START };
	struct wh_error e = { 0 };
	struct ui_effects fx;
	struct canvas *c = canvas_new(20, 16, false);
	void *st = scr_summary.init(NULL, &e);
	const struct ui_effect *fxe;
	char *d;

	(void)unused;
	ui_effects_init(&fx);
	ev.size.w = 20;
	ev.size.h = 16;
	scr_summary.event(st, &ev, &fx);
	fxe = ui_effects_find(&fx, UI_FX_DB_CALL);
	assert_non_null(fxe);
	assert_int_equal(((const struct ui_req *)fxe->db.request)->kind,
			 UI_REQ_SUMMARY);
	assert_non_null(ui_effects_find(&fx, UI_FX_START_TIMER));
	ui_effects_clear(&fx);
	s->nwarehouses = 2;
	snprintf(s->wh[0].code, sizeof(s->wh[0].code), "SH");
	snprintf(s->wh[0].name, sizeof(s->wh[0].name), "上海\x1b[31m仓");
	s->wh[0].bins = 1000;
	snprintf(s->wh[1].code, sizeof(s->wh[1].code), "HZ");
	s->wh[1].orders_exception = 7;
	ev.type = UI_EV_DB_RESULT;
	ev.db.tag = SUMMARY_TAG;
	ev.db.err = WH_OK;
	ev.db.msg = "";
	ev.db.result = s;
	scr_summary.event(st, &ev, &fx);
	assert_int_equal(summary_pages(st, 16), 2);
	assert_int_equal(summary_pages(st, 8), 6);
	scr_summary.draw(st, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "SH 上海仓")); /* escape stripped */
	assert_non_null(strstr(d, "Bins            1000"));
	free(d);
	ev.type = UI_EV_KEY;
	ev.key = UI_KEY_TAB;
	scr_summary.event(st, &ev, &fx);
	assert_int_equal(summary_page(st), 1);
	canvas_clear(c, UI_ROLE_NORMAL);
	scr_summary.draw(st, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "Exceptions         7"));
	free(d);
	/* a refresh that fails keeps the figures, shows the error */
	ev.type = UI_EV_DB_RESULT;
	ev.db.tag = SUMMARY_TAG; /* the key above shares the union */
	ev.db.err = WH_ERR_DB;
	ev.db.msg = "server closed the connection";
	ev.db.result = NULL;
	scr_summary.event(st, &ev, &fx);
	canvas_clear(c, UI_ROLE_NORMAL);
	scr_summary.draw(st, c);
	d = canvas_dump(c);
	assert_non_null(strstr(d, "server closed the c"));

	assert_non_null(strstr(d, "Exceptions         7"));
	free(d);
	ui_effects_clear(&fx);
	free(s);
	canvas_free(c);
	scr_summary.free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_describe_gs1),
		cmocka_unit_test(test_describe_plain_and_error),
		cmocka_unit_test(test_screen_keyboard),
		cmocka_unit_test(test_summary_paging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
