/*
 * test_scr_lookup.c - the stock lookup screen with made-up events and
 * database answers; no terminal, no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/engine.h"
#include "db/lookup.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/req.h"
#include "ui/scr_lookup.h"

#include "screen_driver.h"

static const struct lookup_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *f = calloc(1, sizeof(*f));
	struct ui_event ev = { .type = UI_EV_START };

	assert_non_null(f);
	sd_open(f, &scr_lookup, &params);
	ev.size.w = 20;
	ev.size.h = 16;
	sd_send(f, &ev);
	ui_effects_clear(&f->fx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct screen_driver *f = *state;

	sd_close(f);
	free(f);
	return 0;
}

/* The screen drawn at w x h, as text (caller frees). */
static char *drawn(struct screen_driver *f, int w, int h)
{
	struct canvas *c = canvas_new(w, h, false);
	char *dump;

	assert_non_null(c);
	scr_lookup.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(dump);
	canvas_free(c);
	return dump;
}

/* n rows of SKU-000005 in bins A-01..; an untrusted name. */
static void stock_answer(struct screen_driver *f, int n)
{
	struct lookup_stock *s = calloc(1, sizeof(*s));
	const struct ui_req *r;
	int tag, i;

	assert_non_null(s);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_STOCK);
	s->kind = LOOKUP_SKU;
	snprintf(s->title, sizeof(s->title), "SKU-000005 Milk\x1b]0;x\a");
	s->n = n;
	for (i = 0; i < n; i++) {
		snprintf(s->row[i].location, sizeof(s->row[i].location),
			 "A-%02d", i + 1);
		snprintf(s->row[i].sku_code, sizeof(s->row[i].sku_code),
			 "SKU-000005");
		snprintf(s->row[i].lot, sizeof(s->row[i].lot), "L%d", i);
		snprintf(s->row[i].expiry, sizeof(s->row[i].expiry),
			 "2027-01-%02d", i + 1);
		s->row[i].on_hand = 10 + i;
		s->row[i].allocated = 3;
		s->on_hand += 10 + i;
		s->allocated += 3;
	}
	sd_answer(f, tag, WH_OK, NULL, s);
	free(s);
}

static void test_paging(void **state)
{
	struct screen_driver *f = *state;
	const struct ui_effect *push;
	const struct ui_req *r;
	char *dump;

	sd_type(f, "[01]16900000000011[10]LX");
	r = sd_req(f, NULL);
	assert_string_equal(r->code, "16900000000011"); /* every lot */
	assert_int_equal(lookup_state_of(f->st), LK_LOADING);
	stock_answer(f, 12);
	assert_int_equal(lookup_state_of(f->st), LK_RESULT);
	assert_int_equal(lookup_pages(f->st, 20, 16), 3); /* 5 a page */
	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "1/3"));
	assert_non_null(strstr(dump, "A-01"));
	assert_non_null(strstr(dump, "10/3/7"));
	assert_non_null(strstr(dump, "2027-01-01"));
	assert_null(strstr(dump, "A-06"));
	assert_null(strchr(dump, '\x1b'));
	assert_null(strchr(dump, '\a'));
	free(dump);
	sd_key(f, UI_KEY_DOWN);
	sd_key(f, UI_KEY_PGDN);
	assert_int_equal(lookup_page(f->st), 2);
	sd_key(f, UI_KEY_DOWN); /* the last page: a beep */
	assert_int_equal(lookup_page(f->st), 2);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_BEEP_ERR));
	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "3/3"));
	assert_non_null(strstr(dump, "A-12"));
	assert_non_null(strstr(dump, "21/3/18"));
	free(dump);
	sd_key(f, UI_KEY_UP);
	assert_int_equal(lookup_page(f->st), 1);
	/* 80x24: a table, everything on one page */
	dump = drawn(f, 80, 24);
	assert_non_null(strstr(dump, "On hand"));
	assert_non_null(strstr(dump, "A-12"));
	assert_non_null(strstr(dump, "Total 186/36/150"));
	free(dump);
	sd_key(f, UI_KEY_F(2));
	push = ui_effects_find(&f->fx, UI_FX_PUSH_SCREEN);
	assert_non_null(push);
	assert_int_equal(push->push.screen, LOOKUP_SCREEN_SUMMARY);
}

static void test_unknown_empty_and_back(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_stock *none = calloc(1, sizeof(*none));
	int tag;

	assert_non_null(none);
	sd_type(f, "NOPE");
	sd_req(f, &tag);
	none->kind = LOOKUP_NONE;
	sd_answer(f, tag, WH_OK, NULL, none);
	assert_int_equal(lookup_state_of(f->st), LK_QUERY);
	assert_non_null(strstr(lookup_message(f->st), "NOPE"));
	sd_type(f, "B-01");
	sd_req(f, &tag);
	sd_answer(f, tag, WH_ERR_DB, "server closed the connection", NULL);
	assert_int_equal(lookup_state_of(f->st), LK_QUERY);
	sd_type(f, "B-01");
	sd_req(f, &tag);
	none->kind = LOOKUP_LOCATION;
	sd_answer(f, tag, WH_OK, NULL, none);
	assert_int_equal(lookup_state_of(f->st), LK_RESULT);
	assert_non_null(strstr(lookup_message(f->st), "No stock"));
	free(none);
	sd_type(f, "C-02"); /* typed in the result: a new query */
	assert_int_equal(lookup_state_of(f->st), LK_LOADING);
	sd_req(f, &tag);
	stock_answer(f, 1);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(lookup_state_of(f->st), LK_QUERY);
	sd_key(f, UI_KEY_ESC);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_POP_SCREEN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_empty_and_back,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
