/*
 * test_scr_pick.c - the pick screen's state machine with made-up events
 * and database answers; no terminal, no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/lookup.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/req.h"
#include "ui/scr_pick.h"

#include "screen_driver.h"

static const struct pick_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	sd_open(d, &scr_pick, &params);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	sd_close(*state);
	free(*state);
	return 0;
}

static struct engine_task task(int64_t id, const char *kind,
			       const char *bin, int64_t qty)
{
	struct engine_task t = { .task_id = id, .sku_id = 7, .qty = qty,
				 .slot = 3, .order_id = 42, .wave_id = 5,
				 .wave_done = 0, .wave_total = 2 };

	snprintf(t.kind, sizeof(t.kind), "%s", kind);
	snprintf(t.location_code, sizeof(t.location_code), "%s", bin);
	snprintf(t.to_location_code, sizeof(t.to_location_code), "T0001");
	snprintf(t.sku_code, sizeof(t.sku_code), "SKU-000007");
	/* untrusted: an escape sequence in the name must not survive */
	snprintf(t.sku_name, sizeof(t.sku_name), "Formula\x1b[2J 800g");
	snprintf(t.lot_code, sizeof(t.lot_code), "L1");
	snprintf(t.lot_expiry, sizeof(t.lot_expiry), "2027-03-01");
	snprintf(t.tote_code, sizeof(t.tote_code), "T0001");
	return t;
}

/* Start, and answer the claim with t. */
static void start_with(struct screen_driver *f, struct engine_task t)
{
	struct ui_event ev = { .type = UI_EV_START };
	const struct ui_req *r;
	int tag;

	sd_send(f, &ev);
	assert_int_equal(pick_state_of(f->st), PICK_CLAIMING);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_CLAIM_TASK);
	sd_answer(f, tag, WH_OK, NULL, &t);
}

static void resolve_answer(struct screen_driver *f, int64_t sku, int32_t pack)
{
	struct lookup_code lc = { .kind = LOOKUP_SKU, .sku_id = sku,
				  .pack_qty = pack };
	const struct ui_req *r;
	int tag;

	snprintf(lc.sku_code, sizeof(lc.sku_code), "SKU-%06d", (int)sku);
	snprintf(lc.lot_control, sizeof(lc.lot_control), "fefo");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_RESOLVE);
	sd_answer(f, tag, WH_OK, NULL, &lc);
}

static void test_happy_path_gs1(void **state)
{
	struct screen_driver *f = *state;
	struct ui_pick_result pr = {
		.pick = { .task_id = 1, .units = 2, .remaining = 0, .slot = 3 },
		.has_next = true, .next = task(9, "pick", "B-07", 4),
	};
	const struct engine_task *t;
	const struct ui_req *r;
	int tag;

	start_with(f, task(1, "pick", "A-01-02-1", 2));
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
	t = pick_task_of(f->st);
	assert_non_null(t);
	assert_null(strchr(t->sku_name, '\x1b'));
	/* wrong bin: refused, naming the right one, nothing sent */
	sd_type(f, "A-09-09-9");
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
	assert_true(sd_beeped(f, false));
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_non_null(strstr(pick_message(f->st), "A-01-02-1"));
	sd_type(f, "A-01-02-1");
	assert_int_equal(pick_state_of(f->st), PICK_ITEM);
	assert_true(sd_beeped(f, true));
	/* a GS1 scan: GTIN, lot and a count of 2 */
	sd_type(f, "[01]06900000000014[10]L1[30]2");
	r = sd_req(f, NULL);
	assert_string_equal(r->code, "06900000000014");
	resolve_answer(f, 7, 1);
	assert_int_equal(pick_state_of(f->st), PICK_QTY);
	assert_int_equal(pick_default_qty(f->st), 2);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(tag, PICK_TAG_CONFIRM);
	assert_int_equal(r->kind, UI_REQ_CONFIRM_PICK);
	assert_int_equal(r->id, 1);
	assert_string_equal(r->loc, "A-01-02-1");
	assert_string_equal(r->lot, "L1");
	assert_int_equal(r->qty, 2);
	assert_int_equal(strlen(r->op), ENGINE_OP_ID_SIZE - 1);
	snprintf(pr.pick.tote_code, sizeof(pr.pick.tote_code), "T0001");
	sd_answer(f, tag, WH_OK, NULL, &pr);
	/* done: the answer carries the next task, no claim goes out */
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
	t = pick_task_of(f->st);
	assert_int_equal(t->task_id, 9);
	assert_string_equal(t->location_code, "B-07");
	assert_null(strchr(t->sku_name, '\x1b'));
	assert_non_null(strstr(pick_message(f->st), "T0001 slot 3"));
}

/* The last task: the pick's answer says there is nothing more to do. */
static void test_last_task_goes_idle(void **state)
{
	struct screen_driver *f = *state;
	struct ui_pick_result pr = {
		.pick = { .task_id = 1, .units = 2, .remaining = 0 },
	};
	int tag;

	start_with(f, task(1, "pick", "A-01", 2));
	sd_type(f, "A-01");
	sd_type(f, "6900000000014");
	resolve_answer(f, 7, 1);
	sd_type(f, "L1");
	sd_key(f, UI_KEY_ENTER);
	sd_req(f, &tag);
	snprintf(pr.pick.tote_code, sizeof(pr.pick.tote_code), "T0001");
	sd_answer(f, tag, WH_OK, NULL, &pr);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_int_equal(pick_state_of(f->st), PICK_IDLE);
	assert_null(pick_task_of(f->st));
	assert_non_null(strstr(pick_message(f->st), "T0001"));
	/* Enter asks again */
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(pick_state_of(f->st), PICK_CLAIMING);
}

static void test_wrong_item_and_lot(void **state)
{
	struct screen_driver *f = *state;
	struct ui_pick_result pr = {
		.pick = { .task_id = 1, .units = 1, .remaining = 1 },
	};
	char op[ENGINE_OP_ID_SIZE];
	const struct ui_req *r;
	int tag;

	start_with(f, task(1, "pick", "A-01", 2));
	sd_type(f, "A-01");
	/* another SKU: refused with the expected one */
	sd_type(f, "6900000000021");
	resolve_answer(f, 8, 1);
	assert_int_equal(pick_state_of(f->st), PICK_ITEM);
	assert_true(sd_beeped(f, false));
	assert_non_null(strstr(pick_message(f->st), "SKU-000007"));
	/* the right SKU without a lot: the lot step */
	sd_type(f, "6900000000014");
	resolve_answer(f, 7, 1);
	assert_int_equal(pick_state_of(f->st), PICK_LOT);
	sd_type(f, "L2");
	assert_int_equal(pick_state_of(f->st), PICK_QTY);
	assert_int_equal(pick_default_qty(f->st), 2);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_string_equal(r->lot, "L2");
	snprintf(op, sizeof(op), "%s", r->op);
	/* the engine refuses the lot, in the user's language (ui/refusal.h),
	 * back to the lot step */
	sd_answer(f, tag, WH_ERR_REFUSED,
	       "WRONG_LOT: expected lot L1 (exp 2027-03-01), scanned L2",
	       NULL);
	assert_int_equal(pick_state_of(f->st), PICK_LOT);
	assert_string_equal(pick_message(f->st), "Wrong lot: expected L1 "
			    "(exp 2027-03-01), scanned L2");
	assert_true(sd_beeped(f, false));
	sd_type(f, "L1");
	sd_type(f, "1");
	r = sd_req(f, &tag);
	assert_int_equal(r->qty, 1);
	/* a refused call committed nothing: the same op id is fine */
	assert_string_equal(r->op, op);
	sd_answer(f, tag, WH_OK, NULL, &pr);
	/* one left: scan the item again, with a new op id */
	assert_int_equal(pick_state_of(f->st), PICK_ITEM);
	assert_int_equal(pick_task_of(f->st)->qty, 1);
	sd_type(f, "6900000000014");
	resolve_answer(f, 7, 1);
	sd_type(f, "L1");
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, NULL);
	assert_string_not_equal(r->op, op);
	assert_int_equal(r->qty, 1);
}

static void test_case_counts_pack(void **state)
{
	struct screen_driver *f = *state;
	const struct ui_req *r;

	start_with(f, task(1, "pick", "A-01", 24));
	sd_type(f, "A-01");
	sd_type(f, "[01]16900000000011[10]L1");
	resolve_answer(f, 7, 12);
	assert_int_equal(pick_state_of(f->st), PICK_QTY);
	/* 24 to pick, a case of 12: two scans of the case */
	assert_int_equal(pick_default_qty(f->st), 2);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, NULL);
	assert_string_equal(r->code, "16900000000011");
	assert_int_equal(r->qty, 2);
}

static void test_bad_qty_typed(void **state)
{
	struct screen_driver *f = *state;

	start_with(f, task(1, "pick", "A-01", 2));
	sd_type(f, "A-01");
	sd_type(f, "[01]06900000000014[10]L1");
	resolve_answer(f, 7, 1);
	sd_type(f, "x1");
	assert_int_equal(pick_state_of(f->st), PICK_QTY);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_true(sd_beeped(f, false));
	/* Esc goes back a step */
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(pick_state_of(f->st), PICK_ITEM);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
	sd_key(f, UI_KEY_ESC);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_POP_SCREEN));
}

static void test_short_and_skip(void **state)
{
	struct screen_driver *f = *state;
	struct engine_short_result sr = { .task_id = 1, .found = 1,
					  .shortfall = 2, .reallocated = 2 };
	const struct ui_req *r;
	int tag;

	start_with(f, task(1, "pick", "A-01", 3));
	sd_key(f, UI_KEY_F(2));
	assert_int_equal(pick_state_of(f->st), PICK_SHORT);
	sd_type(f, "3"); /* not fewer than asked: refused here */
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_int_equal(pick_state_of(f->st), PICK_SHORT);
	sd_type(f, "1");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_SHORT_PICK);
	assert_int_equal(r->qty, 1);
	sd_answer(f, tag, WH_OK, NULL, &sr);
	assert_int_equal(pick_state_of(f->st), PICK_CLAIMING);
	assert_non_null(strstr(pick_message(f->st), "Short 2"));
	r = sd_req(f, &tag);
	{
		struct engine_task t = task(2, "pick", "A-02", 1);

		sd_answer(f, tag, WH_OK, NULL, &t);
	}
	/* skip: choose a reason, Esc first returns */
	sd_key(f, UI_KEY_F(3));
	assert_int_equal(pick_state_of(f->st), PICK_SKIP);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
	sd_key(f, UI_KEY_F(3));
	sd_key(f, UI_KEY_DOWN);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_SKIP_TASK);
	assert_int_equal(r->id, 2);
	assert_string_equal(r->reason, "Cannot reach");
	sd_answer(f, tag, WH_OK, NULL, NULL);
	assert_int_equal(pick_state_of(f->st), PICK_CLAIMING);
}

static void test_intercept_notify(void **state)
{
	struct screen_driver *f = *state;
	struct ui_event n = { .type = UI_EV_NOTIFY };
	struct canvas *c;
	char *dump;
	int x, y, red = 0;

	start_with(f, task(1, "pick", "A-01-02-1", 2));
	sd_type(f, "A-01-02-1");
	/* another order: nothing happens */
	n.notify.channel = "wharf_intercept";
	n.notify.payload = "41";
	assert_int_equal(sd_send(f, &n), UI_IGNORED);
	n.notify.payload = "42x";
	assert_int_equal(sd_send(f, &n), UI_IGNORED);
	n.notify.payload = "42";
	sd_send(f, &n);
	assert_int_equal(pick_state_of(f->st), PICK_ALERT);
	assert_true(sd_beeped(f, false));
	assert_null(pick_task_of(f->st));
	c = canvas_new(20, 16, false);
	assert_non_null(c);
	scr_pick.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(strstr(dump, "INTERCEPTED"));
	assert_non_null(strstr(dump, "Order 42"));
	assert_non_null(strstr(dump, "A-01-02-1"));
	for (y = 0; y < c->h - 1; y++)
		for (x = 0; x < c->w; x++)
			red += canvas_role_at(c, x, y) == UI_ROLE_ALERT;
	assert_int_equal(red, c->w * (c->h - 1));
	free(dump);
	canvas_free(c);
	/* keys and scans are refused on the alert; Enter claims the next
	 * task */
	sd_key(f, 'X');
	assert_int_equal(pick_state_of(f->st), PICK_ALERT);
	{
		struct ui_event sc = { .type = UI_EV_SCAN };

		sc.scan.data = (const unsigned char *)"A-01-02-1";
		sc.scan.len = 9;
		sd_send(f, &sc);
		assert_true(sd_beeped(f, false));
		assert_int_equal(pick_state_of(f->st), PICK_ALERT);
	}
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(pick_state_of(f->st), PICK_CLAIMING);
}

static void test_intercept_refusal_and_putback(void **state)
{
	struct screen_driver *f = *state;
	struct engine_putback_result pb = { .task_id = 9, .units = 2 };
	const struct ui_req *r;
	int tag;

	start_with(f, task(1, "pick", "A-01", 2));
	sd_type(f, "A-01");
	sd_type(f, "[01]06900000000014[10]L1");
	resolve_answer(f, 7, 1);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	sd_answer(f, tag, WH_ERR_REFUSED,
	       "INTERCEPTED: order 42 was intercepted (refund): put the units "
	       "back", NULL);
	assert_int_equal(pick_state_of(f->st), PICK_ALERT);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	{
		struct engine_task t = task(9, "putback", "T0001", 2);

		snprintf(t.to_location_code, sizeof(t.to_location_code),
			 "A-01");
		sd_answer(f, tag, WH_OK, NULL, &t);
	}
	/* a put-back: the bin, then the quantity */
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
	sd_type(f, "A-05");
	assert_int_equal(pick_state_of(f->st), PICK_QTY);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PUTBACK);
	assert_string_equal(r->loc, "A-05");
	assert_int_equal(r->qty, 2);
	sd_answer(f, tag, WH_OK, NULL, &pb);
	assert_int_equal(pick_state_of(f->st), PICK_CLAIMING);
	/* NOTIFY for a put-back task's order does not raise the alert */
}

static void test_layouts(void **state)
{
	struct screen_driver *f = *state;
	static const int sizes[][2] = { { 20, 16 }, { 40, 8 }, { 80, 24 },
					{ 20, 8 } };
	size_t i;

	start_with(f, task(1, "pick", "A-01-02-1", 12));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct canvas *c = canvas_new(sizes[i][0], sizes[i][1], false);
		char *dump;

		assert_non_null(c);
		scr_pick.draw(f->st, c);
		dump = canvas_dump(c);
		assert_non_null(strstr(dump, "A-01-02-1"));
		assert_non_null(strstr(dump, "SKU-000007"));
		assert_null(strchr(dump, '\x1b'));
		free(dump);
		canvas_free(c);
	}
}

static void test_stale_answer_dropped(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_code lc = { .kind = LOOKUP_SKU, .sku_id = 7 };

	start_with(f, task(1, "pick", "A-01", 2));
	/* an answer nobody waits for changes nothing */
	assert_int_equal(sd_answer(f, PICK_TAG_RESOLVE, WH_OK, NULL, &lc),
			 UI_IGNORED);
	assert_int_equal(pick_state_of(f->st), PICK_BIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_happy_path_gs1, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_last_task_goes_idle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_item_and_lot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_case_counts_pack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_qty_typed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_short_and_skip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_intercept_notify, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_intercept_refusal_and_putback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_answer_dropped,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
