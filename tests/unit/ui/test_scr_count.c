/*
 * test_scr_count.c - the blind count screen with made-up events and
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
#include "ui/scr_count.h"

#include "screen_driver.h"

static const struct count_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *f = calloc(1, sizeof(*f));
	struct ui_event ev = { .type = UI_EV_START };

	assert_non_null(f);
	sd_open(f, &scr_count, &params);
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
	scr_count.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(dump);
	canvas_free(c);
	return dump;
}

/* A location or SKU answer to the pending UI_REQ_RESOLVE. */
static void resolve_loc(struct screen_driver *f, int64_t id, const char *code)
{
	struct lookup_code lc = { .kind = LOOKUP_LOCATION, .location_id = id };
	const struct ui_req *r;
	int tag;

	snprintf(lc.location_code, sizeof(lc.location_code), "%s", code);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_RESOLVE);
	assert_string_equal(r->code, code);
	sd_answer(f, tag, WH_OK, NULL, &lc);
}

static void resolve_sku(struct screen_driver *f, const char *ctl, int32_t pack)
{
	struct lookup_code lc = { .kind = LOOKUP_SKU, .sku_id = 5,
				  .pack_qty = pack };
	const struct ui_req *r;
	int tag;

	snprintf(lc.sku_code, sizeof(lc.sku_code), "SKU-000005");
	snprintf(lc.sku_name, sizeof(lc.sku_name), "Milk\x1b[2J powder");
	snprintf(lc.lot_control, sizeof(lc.lot_control), "%s", ctl);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_RESOLVE);
	sd_answer(f, tag, WH_OK, NULL, &lc);
}

/* Bin, two scans of one lot add up, another item with a typed lot, a
 * zero; submit; the verdict shows no expected quantity. */
static void test_count_to_approval(void **state)
{
	struct screen_driver *f = *state;
	struct engine_count_result res = { .count_task_id = 4,
					   .variance = 37 };
	const struct ui_req *r;
	char op[ENGINE_OP_ID_SIZE], *dump;
	int tag;

	assert_int_equal(count_state_of(f->st), CT_BIN);
	sd_type(f, "A-03-04-1");
	resolve_loc(f, 31, "A-03-04-1");
	assert_int_equal(count_state_of(f->st), CT_ITEM);
	sd_type(f, "[01]16900000000011[10]LX[30]2");
	resolve_sku(f, "fefo", 6);
	assert_int_equal(count_state_of(f->st), CT_QTY);
	sd_key(f, UI_KEY_ENTER); /* the case: 6 x 2 */
	assert_int_equal(count_state_of(f->st), CT_ITEM);
	assert_int_equal(count_lines(f->st), 1);
	sd_type(f, "[01]16900000000011[10]LX");
	resolve_sku(f, "fefo", 1);
	sd_key(f, UI_KEY_ENTER); /* no count on the scan: a number is needed */
	assert_int_equal(count_state_of(f->st), CT_QTY);
	sd_type(f, "3");
	assert_int_equal(count_lines(f->st), 1);
	assert_non_null(strstr(count_message(f->st), "15 counted"));
	sd_type(f, "SKU-000005");
	resolve_sku(f, "fifo", 1);
	assert_int_equal(count_state_of(f->st), CT_LOT);
	sd_type(f, "L2");
	sd_type(f, "0");
	assert_int_equal(count_lines(f->st), 2);
	sd_key(f, UI_KEY_ENTER); /* empty line: submit? */
	assert_int_equal(count_state_of(f->st), CT_CONFIRM);
	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "Submit 2 lines"));
	free(dump);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_COUNT);
	assert_int_equal(r->id, 31);
	assert_int_equal(r->nlines, 2);
	assert_int_equal(r->lines[0].sku_id, 5);
	assert_string_equal(r->lines[0].lot, "LX");
	assert_int_equal(r->lines[0].counted, 15);
	assert_string_equal(r->lines[1].lot, "L2");
	assert_int_equal(r->lines[1].counted, 0);
	snprintf(op, sizeof(op), "%s", r->op);
	assert_int_equal(strlen(op), ENGINE_OP_ID_SIZE - 1);
	/* a lost answer: the retry is the same operation */
	sd_answer(f, tag, WH_ERR_DB, "connection lost", NULL);
	assert_int_equal(count_state_of(f->st), CT_ITEM);
	assert_int_equal(count_lines(f->st), 2);
	sd_key(f, UI_KEY_F(2));
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_string_equal(r->op, op);
	snprintf(res.state, sizeof(res.state), "pending_approval");
	sd_answer(f, tag, WH_OK, NULL, &res);
	assert_int_equal(count_state_of(f->st), CT_DONE);
	assert_int_equal(count_verdict_of(f->st), CT_APPROVAL);
	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "supervisor"));
	assert_null(strstr(dump, "37")); /* the variance stays hidden */
	free(dump);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(count_state_of(f->st), CT_BIN);
	assert_int_equal(count_lines(f->st), 0);
}

/* The verdicts, an empty bin, undo, and Esc twice to drop lines. */
static void test_verdicts_undo_drop(void **state)
{
	struct screen_driver *f = *state;
	struct engine_count_result res = { .count_task_id = 4 };
	int tag;

	sd_type(f, "B-01");
	resolve_loc(f, 2, "B-01");
	sd_key(f, UI_KEY_F(2)); /* nothing counted: the bin is empty */
	assert_int_equal(count_state_of(f->st), CT_CONFIRM);
	sd_key(f, UI_KEY_ENTER);
	sd_req(f, &tag);
	snprintf(res.state, sizeof(res.state), "counted");
	sd_answer(f, tag, WH_OK, NULL, &res);
	assert_int_equal(count_verdict_of(f->st), CT_ACCEPTED);
	{
		char *dump = drawn(f, 40, 8);

		assert_non_null(strstr(dump, "Count accepted"));
		free(dump);
	}
	sd_key(f, UI_KEY_ENTER);
	sd_type(f, "B-01");
	resolve_loc(f, 2, "B-01");
	sd_key(f, UI_KEY_ENTER); /* submit? */
	sd_key(f, UI_KEY_ENTER); /* yes */
	sd_req(f, &tag);
	snprintf(res.state, sizeof(res.state), "open");
	sd_answer(f, tag, WH_OK, NULL, &res);
	assert_int_equal(count_verdict_of(f->st), CT_RECOUNT);
	sd_key(f, UI_KEY_ENTER);
	sd_type(f, "B-01");
	resolve_loc(f, 2, "B-01");
	sd_type(f, "SKU-000005");
	resolve_sku(f, "none", 1);
	sd_type(f, "4");
	assert_int_equal(count_lines(f->st), 1);
	sd_key(f, UI_KEY_F(3));
	assert_int_equal(count_lines(f->st), 0);
	sd_type(f, "SKU-000005");
	resolve_sku(f, "none", 1);
	sd_type(f, "-1");
	assert_int_equal(count_state_of(f->st), CT_QTY);
	sd_type(f, "2");
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(count_state_of(f->st), CT_ITEM);
	assert_non_null(strstr(count_message(f->st), "Esc again"));
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(count_state_of(f->st), CT_BIN);
	assert_int_equal(count_lines(f->st), 0);
	sd_key(f, UI_KEY_ESC);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_POP_SCREEN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_count_to_approval, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verdicts_undo_drop,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
