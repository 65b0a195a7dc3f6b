/*
 * test_scr_move.c - the move screen with made-up events and database
 * answers; no terminal, no database.
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
#include "db/replen_db.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/req.h"
#include "ui/scr_move.h"

#include "screen_driver.h"

static const struct move_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *f = calloc(1, sizeof(*f));
	struct ui_event ev = { .type = UI_EV_START };

	assert_non_null(f);
	sd_open(f, &scr_move, &params);
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
	scr_move.draw(f->st, c);
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

/* Bin, GS1 item with lot, quantity, bin: the move request; a refusal
 * naming the free units goes back to the quantity with the same op. */
static void test_flow(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_lot lot = { .lot_id = 9 };
	struct ui_move_result mr = { 0 };
	const struct ui_req *r;
	char op[ENGINE_OP_ID_SIZE], *dump;
	int tag;

	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "Move"));
	assert_null(strstr(dump, "eplenish"));
	free(dump);
	sd_type(f, "A-01-01");
	resolve_loc(f, 3, "A-01-01");
	assert_int_equal(move_state_of(f->st), MV_ITEM);
	sd_type(f, "[01]16900000000011[10]LX");
	resolve_sku(f, "fefo", 1);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_LOT);
	sd_answer(f, tag, WH_OK, NULL, &lot);
	assert_int_equal(move_state_of(f->st), MV_QTY);
	sd_type(f, "7");
	assert_int_equal(move_state_of(f->st), MV_TO);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	sd_type(f, "A-01-01"); /* the source itself */
	assert_int_equal(move_state_of(f->st), MV_TO);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	sd_type(f, "B-02-02");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_MOVE);
	assert_string_equal(r->loc, "A-01-01");
	assert_string_equal(r->loc2, "B-02-02");
	assert_int_equal(r->sku_id, 5);
	assert_int_equal(r->lot_id, 9);
	assert_int_equal(r->qty, 7);
	snprintf(op, sizeof(op), "%s", r->op);
	sd_answer(f, tag, WH_ERR_REFUSED,
	       "INSUFFICIENT_STOCK: 4 free units at the source, 7 asked",
	       NULL);
	assert_int_equal(move_state_of(f->st), MV_QTY);
	sd_type(f, "4");
	sd_type(f, "B-02-02");
	r = sd_req(f, &tag);
	assert_int_equal(r->qty, 4);
	assert_string_equal(r->op, op);
	sd_answer(f, tag, WH_OK, NULL, &mr);
	assert_int_equal(move_state_of(f->st), MV_DONE);
	dump = drawn(f, 40, 8);
	assert_non_null(strstr(dump, "Moved 4 from A-01-01 to B-02-02"));
	free(dump);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(move_state_of(f->st), MV_ITEM);
	sd_type(f, "SKU-000005");
	resolve_sku(f, "none", 1);
	sd_type(f, "1");
	sd_type(f, "B-02-02");
	r = sd_req(f, NULL);
	/* the next move is a new operation */
	assert_string_not_equal(r->op, op);
}

/* A bad destination goes back to the bin step; layouts draw clean. */
static void test_bad_location_and_layouts(void **state)
{
	struct screen_driver *f = *state;
	static const int sizes[][2] = { { 20, 16 }, { 40, 8 }, { 80, 24 } };
	int tag;
	size_t i;

	sd_type(f, "A-01-01");
	resolve_loc(f, 3, "A-01-01");
	sd_type(f, "SKU-000005");
	resolve_sku(f, "none", 1);
	sd_key(f, UI_KEY_ENTER); /* one */
	sd_type(f, "X-1");
	sd_req(f, &tag);
	sd_answer(f, tag, WH_ERR_REFUSED,
	       "BAD_LOCATION: location 77 cannot take stock here", NULL);
	assert_int_equal(move_state_of(f->st), MV_TO);
	assert_non_null(strstr(move_message(f->st), "cannot take stock"));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *dump = drawn(f, sizes[i][0], sizes[i][1]);

		assert_non_null(strstr(dump, "A-01-01"));
		assert_non_null(strstr(dump, "Scan the new bin"));
		assert_null(strchr(dump, '\x1b'));
		free(dump);
	}
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(move_state_of(f->st), MV_QTY);
}

/* Replenish mode: none needed, then a task walked through to the face. */
static void test_replenish(void **state)
{
	struct screen_driver *f = *state;
	struct replen_db_task t = { .task_id = 42, .sku_id = 5, .qty = 30 };
	struct replen_db_confirm_result cr = { .task_id = 42, .units = 30,
					       .done = true };
	struct replen_db_plan_result pr = { .tasks = 3, .units = 90 };
	const struct ui_req *r;
	char *dump;
	int tag;

	snprintf(t.from_code, sizeof(t.from_code), "R-01-01");
	snprintf(t.to_code, sizeof(t.to_code), "A-01-02");
	snprintf(t.sku_code, sizeof(t.sku_code), "SKU-000005");
	snprintf(t.lot_code, sizeof(t.lot_code), "L1");

	/* a supervisor plans */
	sd_key(f, UI_KEY_F(3));
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_REPLEN_PLAN);
	assert_true(r->op[0] != '\0');
	sd_answer(f, tag, WH_OK, NULL, &pr);
	assert_non_null(strstr(move_message(f->st), "3"));

	sd_key(f, UI_KEY_F(2));
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_REPLEN_CLAIM);
	sd_answer(f, tag, WH_ERR_NOT_FOUND, "no replenishment needed", NULL);
	assert_int_equal(move_state_of(f->st), MV_RP_CLAIM);
	assert_string_equal(move_message(f->st), "No replenishment needed");
	dump = drawn(f, 40, 8);
	assert_non_null(strstr(dump, "No replenishment needed"));
	free(dump);

	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_REPLEN_CLAIM);
	sd_answer(f, tag, WH_OK, NULL, &t);
	assert_int_equal(move_state_of(f->st), MV_RP_FROM);
	dump = drawn(f, 40, 8);
	assert_non_null(strstr(dump, "R-01-01"));
	free(dump);

	/* the wrong bin, then the right one */
	sd_type(f, "R-09-09");
	assert_true(sd_beeped(f, false));
	assert_int_equal(move_state_of(f->st), MV_RP_FROM);
	sd_type(f, "R-01-01");
	assert_int_equal(move_state_of(f->st), MV_RP_ITEM);

	/* the wrong item */
	sd_type(f, "6901234567892");
	{
		struct lookup_code lc = { .kind = LOOKUP_SKU, .sku_id = 6,
					  .pack_qty = 1 };

		r = sd_req(f, &tag);
		assert_int_equal(r->kind, UI_REQ_RESOLVE);
		sd_answer(f, tag, WH_OK, NULL, &lc);
	}
	assert_int_equal(move_state_of(f->st), MV_RP_ITEM);
	assert_non_null(strstr(move_message(f->st), "SKU-000005"));
	sd_type(f, "6901234567892");
	resolve_sku(f, "fefo", 1);
	assert_int_equal(move_state_of(f->st), MV_RP_LOT);
	sd_type(f, "L2");
	assert_int_equal(move_state_of(f->st), MV_RP_LOT);
	sd_type(f, "L1");
	assert_int_equal(move_state_of(f->st), MV_RP_QTY);
	sd_type(f, "31");
	assert_int_equal(move_state_of(f->st), MV_RP_QTY);
	sd_key(f, UI_KEY_ENTER); /* the remaining 30 */
	assert_int_equal(move_state_of(f->st), MV_RP_TO);
	sd_type(f, "A-01-02");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_REPLEN_CONFIRM);
	assert_int_equal(r->id, 42);
	assert_string_equal(r->loc, "R-01-01");
	assert_string_equal(r->loc2, "A-01-02");
	assert_string_equal(r->lot, "L1");
	assert_int_equal(r->qty, 30);
	sd_answer(f, tag, WH_OK, NULL, &cr);
	assert_int_equal(move_state_of(f->st), MV_RP_DONE);
	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "Moved 30"));
	free(dump);
	/* Enter: the next task */
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_REPLEN_CLAIM);
	sd_answer(f, tag, WH_ERR_NOT_FOUND, "none", NULL);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(move_state_of(f->st), MV_FROM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replenish, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_location_and_layouts,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
