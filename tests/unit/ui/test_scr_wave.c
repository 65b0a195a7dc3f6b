/*
 * test_scr_wave.c - the wave release screen with made-up events and
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
#include "ui/scr_wave.h"

#include "screen_driver.h"

static int setup(void **state)
{
	struct screen_driver *f = calloc(1, sizeof(*f));
	struct ui_event ev = { .type = UI_EV_START };

	assert_non_null(f);
	sd_open(f, &scr_wave, NULL);
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
	scr_wave.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(dump);
	canvas_free(c);
	return dump;
}

/* Edit the form, preview, release, result. */
static void test_release(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_wave_preview pv = { .orders = 2, .units = 8,
					  .eligible = 24 };
	struct engine_wave_result wr = { .wave_id = 7, .orders = 2,
					 .tasks = 5, .totes = 1, .units = 8 };
	const struct ui_req *r;
	char *dump;
	int tag;

	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "Multi item"));
	assert_non_null(strstr(dump, "Slots per tote"));
	free(dump);
	sd_key(f, UI_KEY_RIGHT); /* by carrier */
	sd_key(f, UI_KEY_DOWN);
	assert_int_equal(wave_field_of(f->st), WV_F_ORDERS);
	sd_key(f, UI_KEY_BACKSPACE);
	sd_key(f, UI_KEY_BACKSPACE);
	sd_key(f, '2');
	sd_key(f, UI_KEY_DOWN);
	sd_key(f, UI_KEY_DOWN);
	sd_key(f, UI_KEY_DOWN);
	assert_int_equal(wave_field_of(f->st), WV_F_CARRIER);
	sd_key(f, 'S');
	sd_key(f, 'F');
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_WAVE_PREVIEW);
	assert_int_equal(r->wave.strategy, WAVE_BY_CARRIER);
	assert_int_equal(r->wave.max_orders, 2);
	assert_int_equal(r->wave.max_totes, 4);
	assert_int_equal(r->wave.slots_per_tote, 6);
	assert_string_equal(r->wave.carrier, "SF");
	sd_answer(f, tag, WH_OK, NULL, &pv);
	assert_int_equal(wave_state_of(f->st), WV_PREVIEW);
	dump = drawn(f, 80, 24);
	assert_non_null(strstr(dump, "2 orders, 8 units"));
	assert_non_null(strstr(dump, "24 orders ready in all"));
	free(dump);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_WAVE_RELEASE);
	assert_string_equal(r->wave.carrier, "SF");
	sd_answer(f, tag, WH_OK, NULL, &wr);
	assert_int_equal(wave_state_of(f->st), WV_DONE);
	dump = drawn(f, 40, 8);
	assert_non_null(strstr(dump, "Wave 7 released"));
	assert_non_null(strstr(dump, "Pick tasks 5"));
	free(dump);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(wave_state_of(f->st), WV_FORM);
}

/* Nothing eligible, a zero limit, a refusal; digits pick a strategy. */
static void test_refusals(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_wave_preview none = { 0 };
	struct lookup_wave_preview pv = { .orders = 1, .units = 1,
					  .eligible = 1 };
	const struct ui_req *r;
	int tag;

	sd_key(f, '1');
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->wave.strategy, WAVE_SINGLE_ITEM);
	sd_answer(f, tag, WH_OK, NULL, &none);
	assert_int_equal(wave_state_of(f->st), WV_FORM);
	assert_non_null(strstr(wave_message(f->st), "No orders"));
	sd_key(f, UI_KEY_UP); /* wraps to the carrier */
	sd_key(f, UI_KEY_UP);
	sd_key(f, UI_KEY_BACKSPACE); /* slots: 6 -> 0 */
	assert_int_equal(wave_field_of(f->st), WV_F_SLOTS);
	sd_key(f, UI_KEY_ENTER);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_non_null(strstr(wave_message(f->st), "at least 1"));
	sd_key(f, '3');
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	sd_answer(f, tag, WH_OK, NULL, &pv);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_WAVE_RELEASE);
	sd_answer(f, tag, WH_ERR_REFUSED, "NO_TOTE: 3 totes free, 4 needed",
	       NULL);
	assert_int_equal(wave_state_of(f->st), WV_FORM);
	assert_non_null(strstr(wave_message(f->st), "3 totes free"));
	sd_key(f, UI_KEY_ESC);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_POP_SCREEN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
