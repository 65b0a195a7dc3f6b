/*
 * test_scr_putaway.c - the putaway screen with made-up events and database
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
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/req.h"
#include "ui/scr_putaway.h"

#include "screen_driver.h"

static const struct putaway_params params = { .today = { 2026, 11, 25 } };

static int setup(void **state)
{
	struct screen_driver *f = calloc(1, sizeof(*f));
	struct ui_event ev = { .type = UI_EV_START };

	assert_non_null(f);
	sd_open(f, &scr_putaway, &params);
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
	scr_putaway.draw(f->st, c);
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

/* From the dock, a GS1 case with lot: suggestion, another bin declined,
 * then accepted; an engine refusal keeps the operation id. */
static void test_flow(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_lot lot = { .lot_id = 9 };
	struct ui_suggest_result sug = { .location_id = 40 };
	struct ui_move_result mr = { 0 };
	const struct ui_req *r;
	char op[ENGINE_OP_ID_SIZE], *dump;
	int tag;

	assert_int_equal(putaway_state_of(f->st), PA_FROM);
	sd_type(f, "RCV-01");
	resolve_loc(f, 3, "RCV-01");
	assert_int_equal(putaway_state_of(f->st), PA_ITEM);
	sd_type(f, "[01]16900000000011[10]LX[30]2");
	resolve_sku(f, "fefo", 12);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_LOT);
	assert_string_equal(r->lot, "LX");
	sd_answer(f, tag, WH_OK, NULL, &lot);
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_SUGGEST);
	assert_int_equal(r->sku_id, 5);
	assert_int_equal(r->lot_id, 9);
	snprintf(sug.location_code, sizeof(sug.location_code), "A-01-02");
	sd_answer(f, tag, WH_OK, NULL, &sug);
	assert_int_equal(putaway_state_of(f->st), PA_TO);
	dump = drawn(f, 20, 16);
	assert_non_null(strstr(dump, "Put into A-01-02"));
	assert_null(strchr(dump, '\x1b'));
	free(dump);
	sd_type(f, "B-09-09");
	assert_int_equal(putaway_state_of(f->st), PA_OTHER);
	dump = drawn(f, 80, 24);
	assert_non_null(strstr(dump, "Use B-09-09 instead of A-01-02?"));
	free(dump);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(putaway_state_of(f->st), PA_TO);
	sd_type(f, "B-09-09");
	sd_key(f, UI_KEY_ENTER); /* yes, that bin */
	assert_int_equal(putaway_state_of(f->st), PA_QTY);
	sd_key(f, UI_KEY_ENTER); /* the default: 12 x 2 */
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_PUTAWAY);
	assert_string_equal(r->loc, "RCV-01");
	assert_string_equal(r->loc2, "B-09-09");
	assert_int_equal(r->qty, 24);
	assert_int_equal(r->lot_id, 9);
	snprintf(op, sizeof(op), "%s", r->op);
	assert_int_equal(strlen(op), ENGINE_OP_ID_SIZE - 1);
	sd_answer(f, tag, WH_ERR_REFUSED,
	       "INSUFFICIENT_STOCK: 20 free units at the source, 24 asked",
	       NULL);
	assert_int_equal(putaway_state_of(f->st), PA_QTY);
	assert_non_null(strstr(putaway_message(f->st), "20 free units"));
	assert_null(strstr(putaway_message(f->st), "INSUFFICIENT"));
	sd_type(f, "20");
	r = sd_req(f, &tag);
	assert_int_equal(r->qty, 20);
	assert_string_equal(r->op, op); /* a retry, not a new operation */
	sd_answer(f, tag, WH_OK, NULL, &mr);
	assert_int_equal(putaway_state_of(f->st), PA_DONE);
	dump = drawn(f, 40, 8);
	assert_non_null(strstr(dump, "Put away 20 into B-09-09"));
	free(dump);
	sd_key(f, UI_KEY_ENTER);
	assert_int_equal(putaway_state_of(f->st), PA_ITEM);
	sd_type(f, "SKU-000005");
	resolve_sku(f, "none", 1);
	r = sd_req(f, NULL);
	assert_int_equal(r->kind, UI_REQ_SUGGEST);
	assert_int_equal(r->lot_id, 0);
}

/* Not a location, an unknown lot, no suggestion, busy while pending. */
static void test_refusals(void **state)
{
	struct screen_driver *f = *state;
	struct lookup_code sku = { .kind = LOOKUP_SKU };
	struct ui_suggest_result none = { 0 };
	const struct ui_req *r;
	int tag;

	sd_type(f, "SKU-1");
	r = sd_req(f, &tag);
	assert_true(putaway_busy(f->st));
	sd_key(f, 'x'); /* ignored while the answer is awaited */
	sd_answer(f, tag, WH_OK, NULL, &sku);
	assert_int_equal(putaway_state_of(f->st), PA_FROM);
	assert_non_null(strstr(putaway_message(f->st), "not a location"));
	sd_type(f, "RCV-01");
	resolve_loc(f, 3, "RCV-01");
	sd_type(f, "6900000000014");
	resolve_sku(f, "fifo", 1);
	assert_int_equal(putaway_state_of(f->st), PA_LOT);
	sd_type(f, "NOLOT");
	r = sd_req(f, &tag);
	assert_int_equal(r->kind, UI_REQ_LOT);
	sd_answer(f, tag, WH_ERR_NOT_FOUND, "no lot NOLOT", NULL);
	assert_int_equal(putaway_state_of(f->st), PA_LOT);
	assert_non_null(strstr(putaway_message(f->st), "NOLOT"));
	sd_type(f, "L1");
	r = sd_req(f, &tag);
	assert_string_equal(r->lot, "L1");
	{
		struct lookup_lot l = { .lot_id = 2 };

		sd_answer(f, tag, WH_OK, NULL, &l);
	}
	r = sd_req(f, &tag);
	assert_int_equal(r->lot_id, 2);
	sd_answer(f, tag, WH_OK, NULL, &none);
	assert_int_equal(putaway_state_of(f->st), PA_TO);
	assert_non_null(strstr(putaway_message(f->st), "scan any bin"));
	sd_type(f, "C-01");
	assert_int_equal(putaway_state_of(f->st), PA_QTY); /* no prompt */
	sd_type(f, "abc");
	assert_null(ui_effects_find(&f->fx, UI_FX_DB_CALL));
	assert_int_equal(putaway_state_of(f->st), PA_QTY);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(putaway_state_of(f->st), PA_ITEM);
	sd_key(f, UI_KEY_ESC);
	assert_int_equal(putaway_state_of(f->st), PA_FROM);
	sd_key(f, UI_KEY_ESC);
	assert_non_null(ui_effects_find(&f->fx, UI_FX_POP_SCREEN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
