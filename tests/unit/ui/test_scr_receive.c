/*
 * test_scr_receive.c - the receive screen's state machine with made-up
 * events and database answers; no terminal, no database.
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
#include "ui/scr_receive.h"

#include "screen_driver.h"

static const struct receive_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	sd_open(d, &scr_receive, &params);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	sd_close(*state);
	free(*state);
	return 0;
}

/* Start and answer the PO list with one PO (untrusted supplier name). */
static void start(struct screen_driver *f)
{
	struct ui_event ev = { .type = UI_EV_START };
	struct lookup_po_list l = { .n = 1 };
	const struct ui_req *r;
	int tag;

	l.po[0].id = 77;
	snprintf(l.po[0].po_no, sizeof(l.po[0].po_no), "PO-0001");
	snprintf(l.po[0].supplier, sizeof(l.po[0].supplier), "Acme\x1b]0;x\a");
	l.po[0].open_units = 100;
	sd_send(f, &ev);
	assert_int_equal(receive_state_of(f->st), RCV_LOADING);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PO_LIST);
	sd_answer(f, tag, WH_OK, NULL, &l);
	assert_int_equal(receive_state_of(f->st), RCV_PO);
}

static void resolve(struct screen_driver *f, const char *ctl, int32_t pack)
{
	struct lookup_code lc = { .kind = LOOKUP_SKU, .sku_id = 5,
				  .pack_qty = pack };
	const struct ui_req *r;
	int tag;

	snprintf(lc.sku_code, sizeof(lc.sku_code), "SKU-000005");
	snprintf(lc.lot_control, sizeof(lc.lot_control), "%s", ctl);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_RESOLVE);
	sd_answer(f, tag, WH_OK, NULL, &lc);
}

static void test_gs1_case_quarantine(void **state)
{
	struct screen_driver *f = *state;
	struct ui_receive_result rr = { .rcv = { .receipt_id = 1, .qty = 24,
						 .quarantined = true } };
	const struct ui_req *r;
	struct canvas *c;
	char *dump;
	int tag;

	start(f);
	sd_key(f, UI_KEY_DOWN); /* the blind receipt */
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
	sd_type(f, "[01]16900000000011[17]240101[10]LX[30]2");
	r = sd_req(f, NULL);
	assert_string_equal(r->code, "16900000000011");
	resolve(f, "fefo", 12);
	/* lot and expiry came with the scan: straight to the quantity */
	assert_int_equal(receive_state_of(f->st), RCV_QTY);
	assert_int_equal(receive_default_qty(f->st), 24);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_RECEIVE);
	assert_int_equal(r->id, 0);
	assert_int_equal(r->sku_id, 5);
	assert_string_equal(r->lot, "LX");
	assert_string_equal(r->expiry, "2024-01-01");
	assert_int_equal(r->qty, 24);
	snprintf(rr.rcv.location_code, sizeof(rr.rcv.location_code), "Q-01");
	snprintf(rr.rcv.reason, sizeof(rr.rcv.reason), "expired 2024-01-01");
	sd_answer(f, tag, WH_OK, NULL, &rr);
	assert_int_equal(receive_state_of(f->st), RCV_DONE);
	assert_true(receive_quarantined(f->st));
	assert_non_null(ui_effects_find(&f->fx, UI_FX_BEEP_ERR));
	c = canvas_new(20, 16, false);
	assert_non_null(c);
	scr_receive.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(strstr(dump, "QUARANTINE"));
	assert_non_null(strstr(dump, "Q-01"));
	assert_int_equal(canvas_role_at(c, 0, 1), UI_ROLE_ALERT);
	free(dump);
	canvas_free(c);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
}

static void test_typed_lot_and_expiry_on_po(void **state)
{
	struct screen_driver *f = *state;
	const struct ui_req *r;
	char op[ENGINE_OP_ID_SIZE];
	int tag;

	start(f);
	sd_type(f, ""); /* Enter: the first PO */
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
	sd_type(f, "6900000000014");
	resolve(f, "fefo", 1);
	assert_int_equal(receive_state_of(f->st), RCV_LOT);
	sd_type(f, "L9");
	assert_int_equal(receive_state_of(f->st), RCV_EXPIRY);
	sd_type(f, "2027-02-30"); /* no such day */
	assert_int_equal(receive_state_of(f->st), RCV_EXPIRY);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_BEEP_ERR));
	sd_type(f, "270228");
	assert_int_equal(receive_state_of(f->st), RCV_QTY);
	sd_type(f, "0");
	assert_int_equal(receive_state_of(f->st), RCV_QTY);
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	sd_type(f, "7");
	r = sd_req(f, &tag);
	assert_int_equal(r->id, 77);
	assert_string_equal(r->expiry, "2027-02-28");
	assert_int_equal(r->qty, 7);
	snprintf(op, sizeof(op), "%s", r->op);
	assert_int_equal(strlen(op), ENGINE_OP_ID_SIZE - 1);
	/* the database knows this lot with another expiry */
	sd_answer(f, tag, WH_ERR_REFUSED,
	       "LOT_MISMATCH: lot L9 of SKU-000005 expires 2027-03-01, not "
	       "2027-02-28", NULL);
	assert_int_equal(receive_state_of(f->st), RCV_EXPIRY);
	assert_non_null(strstr(receive_message(f->st), "2027-03-01"));
	/* Enter alone: the lot's own expiry */
	sd_key(f, UI_KEY_ENTER);
	sd_type(f, "7");
	r = sd_req(f, NULL);
	assert_null(r->expiry);
	assert_string_equal(r->op, op);
}

static void test_unknown_and_no_lot(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_code none = { .kind = LOOKUP_NONE };
	const struct ui_req *r;
	int tag;

	start(f);
	sd_key(f, '2'); /* digit 2: blind */
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
	sd_type(f, "NOPE");
	r = sd_req(f, &tag);
	sd_answer(f, tag, WH_OK, NULL, &none);
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
	assert_non_null(strstr(receive_message(f->st), "NOPE"));
	sd_type(f, "SKU-000003");
	resolve(f, "none", 1);
	assert_int_equal(receive_state_of(f->st), RCV_QTY);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, NULL);
	assert_null(r->lot);
	assert_int_equal(r->qty, 1);
}

/* Receive a typed item without lot; answer with rr. */
static void receive_with(struct screen_driver *f,
			 const struct ui_receive_result *rr)
{
	struct ui_receive_result copy = *rr;
	const struct ui_req *r;
	int tag;

	start(f);
	sd_key(f, '2'); /* blind */
	sd_type(f, "06900000000014");
	r = sd_req(f, NULL);
	resolve(f, "none", 1);
	sd_key(f, UI_KEY_ENTER);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_RECEIVE);
	/* the scan goes along for the case label's GTIN */
	assert_string_equal(r->code, "06900000000014");
	sd_answer(f, tag, WH_OK, NULL, &copy);
	assert_int_equal(receive_state_of(f->st), RCV_DONE);
}

static void test_label_printed(void **state)
{
	struct screen_driver *f = *state;
	struct ui_receive_result rr = { .rcv = { .receipt_id = 3, .qty = 1 },
					.label_printed = true };
	struct canvas *c;
	char *dump;

	snprintf(rr.rcv.location_code, sizeof(rr.rcv.location_code),
		 "RCV-01");
	snprintf(rr.sscc, sizeof(rr.sscc), "%s", "069000001000000017");
	receive_with(f, &rr);
	assert_string_equal(receive_sscc(f->st), "069000001000000017");
	assert_string_equal(receive_message(f->st),
			    "Label printed: SSCC 069000001000000017");
	assert_null(ui_effects_find(&f->fx, UI_FX_BEEP_ERR));
	c = canvas_new(80, 24, false);
	assert_non_null(c);
	scr_receive.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(strstr(dump, "Received"));
	assert_non_null(strstr(dump, "Label printed: SSCC 069000001000000017"));
	free(dump);
	canvas_free(c);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
	assert_string_equal(receive_sscc(f->st), "");
}

static void test_label_not_printed(void **state)
{
	struct screen_driver *f = *state;
	struct ui_receive_result rr = { .rcv = { .receipt_id = 4, .qty = 1 } };
	struct canvas *c;
	char *dump;

	snprintf(rr.rcv.location_code, sizeof(rr.rcv.location_code),
		 "RCV-01");
	snprintf(rr.label_error, sizeof(rr.label_error), "%s",
		 "printer 127.0.0.1:9 refused the connection\x1b[2J");
	receive_with(f, &rr);
	/* the receipt stands; the label's failure is said plainly */
	assert_false(receive_quarantined(f->st));
	assert_string_equal(receive_sscc(f->st), "");
	assert_non_null(strstr(receive_message(f->st),
			       "Label not printed: printer 127.0.0.1:9 "
			       "refused the connection"));
	assert_null(strchr(receive_message(f->st), '\x1b'));
	assert_non_null(ui_effects_find(&f->fx, UI_FX_BEEP_ERR));
	c = canvas_new(80, 24, false);
	assert_non_null(c);
	scr_receive.draw(f->st, c);
	dump = canvas_dump(c);
	assert_non_null(strstr(dump, "Received"));
	assert_non_null(strstr(dump, "Now in RCV-01"));
	assert_non_null(strstr(dump, "Label not printed"));
	free(dump);
	canvas_free(c);
}

static void test_back(void **state)
{
	struct screen_driver *f = *state;
	const struct ui_req *r;

	start(f);
	sd_key(f, UI_KEY_ENTER);
	sd_type(f, "SKU-000003");
	resolve(f, "none", 1);
	assert_int_equal(receive_state_of(f->st), RCV_QTY);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(receive_state_of(f->st), RCV_ITEM);
	/* Esc from the item step goes back to the PO list */
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(receive_state_of(f->st), RCV_LOADING);
	r = sd_req(f, NULL);
	assert_int_equal(r->kind, UI_REQ_PO_LIST);
}

static void test_layouts(void **state)
{
	struct screen_driver *f = *state;
	static const int sizes[][2] = { { 20, 16 }, { 40, 8 }, { 80, 24 } };
	size_t i;

	start(f);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct canvas *c = canvas_new(sizes[i][0], sizes[i][1], false);
		char *dump;

		assert_non_null(c);
		scr_receive.draw(f->st, c);
		dump = canvas_dump(c);
		assert_non_null(strstr(dump, "PO-0001"));
		assert_non_null(strstr(dump, "Blind receipt"));
		assert_null(strchr(dump, '\x1b'));
		assert_null(strchr(dump, '\a'));
		free(dump);
		canvas_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gs1_case_quarantine,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_typed_lot_and_expiry_on_po, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_no_lot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_label_printed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_label_not_printed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layouts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
