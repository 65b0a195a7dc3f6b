/*
 * test_scr_pack.c - the pack screen's state machine with made-up events
 * and database answers: open by tote, refusals, every unit verified, the
 * carton suggested, a typed weight, print+ship, reprint and void; single-
 * item mode; interception at opening, by the ship refusal and by NOTIFY;
 * the exception queue; the layouts draw at 80x24, 40x8 and 20x16.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/req.h"
#include "ui/scr_pack.h"

#include "screen_driver.h"

static const struct pack_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	sd_open(d, &scr_pack, &params);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	sd_close(*state);
	free(*state);
	return 0;
}

/* Order 42, TB-1001, tote T0007 slot 2: 2 x SKU-A (small), 1 x SKU-B. */
static struct pack_order order(const char *state, bool intercepted)
{
	struct pack_order o = { .order_id = 42, .slot = 2, .units = 3,
				.picked = 3, .nlines = 2,
				.intercepted = intercepted };

	snprintf(o.order_no, sizeof(o.order_no), "TB-1001");
	snprintf(o.state, sizeof(o.state), "%s", state);
	snprintf(o.carrier, sizeof(o.carrier), "SF");
	snprintf(o.tote, sizeof(o.tote), "T0007");
	snprintf(o.putback, sizeof(o.putback), "T0007");
	snprintf(o.intercept_reason, sizeof(o.intercept_reason),
		 "refund requested");
	o.line[0] = (struct pack_line){ .line_id = 1, .sku_id = 5, .qty = 2,
					.picked = 2, .length_mm = 150,
					.width_mm = 100, .height_mm = 50,
					.weight_g = 300 };
	snprintf(o.line[0].sku_code, sizeof(o.line[0].sku_code), "SKU-A");
	/* untrusted: an escape sequence must not survive */
	snprintf(o.line[0].name, sizeof(o.line[0].name),
		 "奶粉\x1b[2J 800g");
	snprintf(o.line[0].barcode, sizeof(o.line[0].barcode),
		 "6900000000011");
	o.line[1] = (struct pack_line){ .line_id = 2, .sku_id = 6, .qty = 1,
					.picked = 1, .length_mm = 100,
					.width_mm = 80, .height_mm = 40,
					.weight_g = 200 };
	snprintf(o.line[1].sku_code, sizeof(o.line[1].sku_code), "SKU-B");
	snprintf(o.line[1].name, sizeof(o.line[1].name), "Wipes");
	snprintf(o.line[1].barcode, sizeof(o.line[1].barcode),
		 "6900000000028");
	return o;
}

static void open_with(struct screen_driver *f, struct pack_order o)
{
	const struct ui_req *r;
	int tag;

	sd_type(f, "T0007");
	assert_int_equal(pack_state_of(f->st), PACK_LOADING);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_OPEN);
	assert_string_equal(r->code, "T0007");
	sd_answer(f, tag, WH_OK, NULL, &o);
}

static void verify_ok(struct screen_driver *f, const char *code,
		      int64_t line, int64_t packed, int64_t qty, bool done)
{
	struct engine_pack_result pr = { .order_id = 42, .line_id = line,
					 .units = 1, .line_packed = packed,
					 .line_qty = qty,
					 .order_packed = done };
	const struct ui_req *r;
	int tag;

	sd_type(f, code);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_VERIFY);
	assert_int_equal(r->id, 42);
	assert_string_equal(r->code, code);
	assert_true(r->op[0]);
	snprintf(pr.sku_code, sizeof(pr.sku_code), "SKU-%c",
		 line == 1 ? 'A' : 'B');
	sd_answer(f, tag, WH_OK, NULL, &pr);
	assert_true(sd_beeped(f, true));
}

static void to_weight_step(struct screen_driver *f)
{
	const struct ui_req *r;
	int tag;

	open_with(f, order("picked", false));
	assert_int_equal(pack_state_of(f->st), PACK_VERIFY);
	assert_null(strchr(pack_order_of(f->st)->line[0].name, '\x1b'));
	/* a wrong item: the engine refuses, the order stays open */
	sd_type(f, "6900000000999");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_VERIFY);
	sd_answer(f, tag, WH_ERR_REFUSED,
		  "WRONG_ITEM: SKU-Z is not in order TB-1001", NULL);
	assert_int_equal(pack_state_of(f->st), PACK_VERIFY);
	assert_true(sd_beeped(f, false));
	assert_string_equal(pack_message(f->st),
			    "Wrong item: SKU-Z is not in order TB-1001");
	verify_ok(f, "6900000000011", 1, 1, 2, false);
	assert_int_equal(pack_order_of(f->st)->line[0].packed, 1);
	/* an extra unit is refused the same way */
	sd_type(f, "6900000000028");
	r = sd_req(f, &tag);
	sd_answer(f, tag, WH_ERR_REFUSED, "EXTRA_UNIT: 1 unit(s) of SKU-B "
		  "would be more than was ordered and picked", NULL);
	assert_int_equal(pack_state_of(f->st), PACK_VERIFY);
	assert_true(sd_beeped(f, false));
	verify_ok(f, "6900000000011", 1, 2, 2, false);
	verify_ok(f, "6900000000028", 2, 1, 1, true);
	assert_int_equal(pack_state_of(f->st), PACK_WEIGHT);
	/* 2 x 150x100x50 + 100x80x40 fits the C2 carton, not C1 */
	assert_string_equal(pack_carton(f->st), "C2");
}

static void test_verify_weigh_print_ship(void **state)
{
	struct screen_driver *f = *state;
	struct ui_pack_ship_result sr = { .shipment_id = 9, .bytes = 1000 };
	const struct ui_req *r;
	char op[ENGINE_OP_ID_SIZE];
	int tag;

	to_weight_step(f);
	/* Enter without a weight: asked for one, nothing sent */
	sd_key(f, UI_KEY_ENTER);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_true(sd_beeped(f, false));
	sd_type(f, "heavy");
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_int_equal(pack_state_of(f->st), PACK_WEIGHT);
	/* F5: the next carton; a scanned carton code chooses one */
	sd_key(f, UI_KEY_F(5));
	assert_string_equal(pack_carton(f->st), "C3");
	sd_type(f, "C2");
	assert_string_equal(pack_carton(f->st), "C2");
	sd_type(f, "1.25");
	assert_int_equal(pack_state_of(f->st), PACK_SHIPPING);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_SHIP);
	assert_int_equal(r->id, 42);
	assert_int_equal(r->qty, 1250);
	assert_string_equal(r->code, "C2");
	snprintf(op, sizeof(op), "%s", r->op);
	/* the printer was off: same step, same operation id for the retry */
	sd_answer(f, tag, WH_ERR_IO, "printer 127.0.0.1:9100 refused the "
		  "connection", NULL);
	assert_int_equal(pack_state_of(f->st), PACK_WEIGHT);
	assert_true(sd_beeped(f, false));
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_string_equal(r->op, op);
	assert_int_equal(r->qty, 1250);
	snprintf(sr.tracking, sizeof(sr.tracking), "SF100000000001");
	snprintf(sr.printer, sizeof(sr.printer), "tcp://127.0.0.1:9100");
	sd_answer(f, tag, WH_OK, NULL, &sr);
	assert_int_equal(pack_state_of(f->st), PACK_DONE);
	assert_non_null(strstr(pack_message(f->st), "SF100000000001"));
	/* F7 reprints */
	sd_key(f, UI_KEY_F(7));
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_REPRINT);
	assert_int_equal(r->id, 42);
	sd_answer(f, tag, WH_OK, NULL, &sr);
	assert_int_equal(pack_state_of(f->st), PACK_DONE);
	/* F8, Esc keeps it; F8, Enter voids: packable again */
	sd_key(f, UI_KEY_F(8));
	assert_int_equal(pack_state_of(f->st), PACK_VOID);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(pack_state_of(f->st), PACK_DONE);
	sd_key(f, UI_KEY_F(8));
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_VOID);
	assert_true(r->op[0]);
	{
		struct pack_order o = order("picked", false);

		sd_answer(f, tag, WH_OK, NULL, &o);
	}
	assert_int_equal(pack_state_of(f->st), PACK_VERIFY);
}

static void test_intercepted_at_first_scan(void **state)
{
	struct screen_driver *f = *state;
	struct canvas *c = canvas_new(80, 24, false);
	char *dump;

	assert_non_null(c);
	open_with(f, order("exception", true));
	assert_int_equal(pack_state_of(f->st), PACK_ALERT);
	assert_true(sd_beeped(f, false));
	/* scans do nothing but beep while the alert is up */
	{
		struct ui_event ev = { .type = UI_EV_SCAN };

		ev.scan.data = (const unsigned char *)"6900000000011";
		ev.scan.len = 13;
		sd_send(f, &ev);
		assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
		assert_true(sd_beeped(f, false));
	}
	scr_pack.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(dump);
	assert_non_null(strstr(dump, "INTERCEPTED"));
	assert_non_null(strstr(dump, "refund requested - 3 items, put back "
				     "to T0007"));
	assert_int_equal(canvas_role_at(c, 5, 5), UI_ROLE_ALERT);
	free(dump);
	canvas_free(c);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(pack_state_of(f->st), PACK_SCAN);
}

static void test_intercepted_before_print(void **state)
{
	struct screen_driver *f = *state;
	const struct ui_req *r;
	int tag;

	to_weight_step(f);
	sd_type(f, "850g");
	r = sd_req(f, &tag);
	assert_int_equal(r->qty, 850);
	sd_answer(f, tag, WH_ERR_REFUSED, "INTERCEPTED: order TB-1001 was "
		  "intercepted (refund requested): do not ship, put the units "
		  "back", NULL);
	assert_int_equal(pack_state_of(f->st), PACK_ALERT);
	assert_true(sd_beeped(f, false));
}

static void test_intercepted_by_notify(void **state)
{
	struct screen_driver *f = *state;
	struct ui_event ev = { .type = UI_EV_NOTIFY };
	const struct ui_req *r;
	int tag;

	open_with(f, order("picked", false));
	ev.notify.channel = "wharf_intercept";
	ev.notify.payload = "43"; /* another order: nothing happens */
	assert_int_equal(sd_send(f, &ev), UI_IGNORED);
	ev.notify.payload = "42";
	sd_send(f, &ev);
	assert_int_equal(pack_state_of(f->st), PACK_ALERT);
	assert_true(sd_beeped(f, false));
	/* the order is reloaded for the put-back words */
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_OPEN);
	assert_int_equal(r->id, 42);
	{
		struct pack_order o = order("exception", true);

		sd_answer(f, tag, WH_OK, NULL, &o);
	}
	assert_int_equal(pack_state_of(f->st), PACK_ALERT);
}

static void test_single_item_mode(void **state)
{
	struct screen_driver *f = *state;
	struct pack_order o = order("packed", false);
	const struct ui_req *r;
	int tag;

	sd_key(f, UI_KEY_F(4));
	assert_true(pack_single_mode(f->st));
	sd_type(f, "[01]06900000000014[10]L1");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_SINGLE);
	assert_string_equal(r->code, "06900000000014");
	assert_string_equal(r->lot, "L1");
	assert_true(r->op[0]);
	sd_answer(f, tag, WH_ERR_NOT_FOUND,
		  "NO_ORDER: no single-item order waits for 06900000000011",
		  NULL);
	assert_int_equal(pack_state_of(f->st), PACK_SCAN);
	assert_true(sd_beeped(f, false));
	sd_type(f, "6900000000011");
	r = sd_req(f, &tag);
	o.nlines = 1;
	o.units = o.picked = o.packed = 1;
	o.line[0].qty = o.line[0].picked = o.line[0].packed = 1;
	sd_answer(f, tag, WH_OK, NULL, &o);
	assert_int_equal(pack_state_of(f->st), PACK_WEIGHT);
	assert_string_equal(pack_carton(f->st), "C1");
}

static void test_exception_queue(void **state)
{
	struct screen_driver *f = *state;
	const struct ui_req *r;
	int tag;

	open_with(f, order("picked", false));
	sd_key(f, UI_KEY_F(2));
	assert_int_equal(pack_state_of(f->st), PACK_EXCEPTION);
	sd_key(f, '2');
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PACK_EXCEPTION);
	assert_string_equal(r->reason, "Unit damaged");
	assert_int_equal(r->id, 42);
	sd_answer(f, tag, WH_OK, NULL, NULL);
	assert_int_equal(pack_state_of(f->st), PACK_SCAN);
	assert_null(pack_order_of(f->st));
	assert_non_null(strstr(pack_message(f->st), "TB-1001"));
}

static void test_not_ready_and_shipped(void **state)
{
	struct screen_driver *f = *state;
	struct pack_order o = order("released", false);

	open_with(f, o);
	assert_int_equal(pack_state_of(f->st), PACK_SCAN);
	assert_true(sd_beeped(f, false));
	assert_non_null(strstr(pack_message(f->st), "not ready"));
	o = order("shipped", false);
	o.shipment_id = 3;
	snprintf(o.tracking, sizeof(o.tracking), "SF100000000009");
	open_with(f, o);
	assert_int_equal(pack_state_of(f->st), PACK_DONE);
}

static void draw_at(struct screen_driver *f, int w, int h, const char *want)
{
	struct canvas *c = canvas_new(w, h, false);
	char *dump;

	assert_non_null(c);
	scr_pack.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(dump);
	assert_null(strchr(dump, '\x1b'));
	if (!strstr(dump, want))
		fail_msg("%dx%d lacks '%s':\n%s", w, h, want, dump);
	free(dump);
	canvas_free(c);
}

static void test_layouts(void **state)
{
	struct screen_driver *f = *state;

	draw_at(f, 80, 24, "Scan a tote");
	open_with(f, order("picked", false));
	verify_ok(f, "6900000000011", 1, 1, 2, false);
	draw_at(f, 80, 24, "SKU-A");
	draw_at(f, 80, 24, "Wipes");
	draw_at(f, 80, 24, "tote T0007 slot 2");
	draw_at(f, 40, 8, "SKU-A");
	draw_at(f, 20, 16, "1/2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verify_weigh_print_ship,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_intercepted_at_first_scan,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_intercepted_before_print,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_intercepted_by_notify,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_item_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exception_queue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_ready_and_shipped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_layouts, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
