/*
 * test_engine_ops.c - every engine operation against a real PostgreSQL:
 * the happy path, each refusal with its reason code, and op_id replays.
 * Owner: the engine tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "engine_fixture.h"

#define CONN 512

struct t {
	char conninfo[CONN];
	struct db *db;
	int64_t w1;
	struct engine_actor picker, picker2, packer, receiver, sup;
};

static struct t *t_open(const char *prefix)
{
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->db = ef_open(prefix, t->conninfo, sizeof(t->conninfo));
	t->w1 = ef_wh(t->db, "W1");
	t->picker.user_id = ef_user(t->db, "p1");
	t->picker2.user_id = ef_user(t->db, "p2");
	t->packer.user_id = ef_user(t->db, "k1");
	t->receiver.user_id = ef_user(t->db, "r1");
	t->sup.user_id = ef_user(t->db, "s1");
	return t;
}

static void t_close(struct t *t, const char *prefix)
{
	ef_verify(t->db);
	db_close(t->db);
	th_drop_db(prefix);
	free(t);
}

static int64_t count_of(struct db *db, const char *sql, int64_t id)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", (long long)id);
	return ef_q1(db, sql, b);
}

static void allocate_ok(struct t *t, int64_t order, const char *want_state)
{
	struct engine_alloc_result a;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];

	if (engine_allocate(t->db, order, ef_op(op), NULL, &a, &err) != WH_OK)
		fail_msg("allocate: %s", err.msg);
	assert_string_equal(a.state, want_state);
}

/* Releases a multi-item wave and claims its first task as p1. */
static void wave_and_claim(struct t *t, struct engine_task *task)
{
	struct engine_wave_limits lim = {
	    .strategy = WAVE_MULTI_ITEM, .max_orders = 100,
	    .max_units = 1000, .max_totes = 10, .slots_per_tote = 8,
	};
	struct engine_wave_result w;
	struct wh_error err;

	if (engine_release_wave(t->db, t->w1, &lim, &t->sup, &w, &err) != WH_OK)
		fail_msg("release_wave: %s", err.msg);
	assert_true(w.wave_id > 0);
	if (engine_claim_task(t->db, &t->picker, t->w1, task, &err) != WH_OK)
		fail_msg("claim: %s", err.msg);
}

/* FEFO: earliest expiry first, pick face before storage, never a lot
 * past ship-by; partial allocation shows what is missing. */
static void test_allocate_fefo(void **state)
{
	(void)state;
	struct t *t = t_open("eng_alloc");
	struct engine_alloc_result a, b;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t o;

	ef_stock(t->db, "A-03", "FEFO1", "LX", 100); /* past ship-by */
	ef_stock(t->db, "A-02", "FEFO1", "L2", 100);
	ef_stock(t->db, "A-01", "FEFO1", "L1", 3);
	ef_stock(t->db, "R-01", "FEFO1", "L1", 50);
	ef_stock(t->db, "R-02", "FEFO1", "L1", 4);
	o = ef_order(t->db, "O1", "FEFO1", 5, NULL, 0, NULL, 0);
	assert_int_equal(engine_allocate(t->db, o, ef_op(op), NULL, &a, &err),
			 WH_OK);
	assert_string_equal(a.state, "allocated");
	assert_int_equal(a.missing, 0);
	/* L1 face (3) first, then the smallest storage row covering 2. */
	assert_int_equal(count_of(t->db,
		"SELECT count(*) FROM wharf.allocation a JOIN wharf.location l "
		"ON l.id = a.location_id JOIN wharf.lot ON lot.id = a.lot_id "
		"WHERE lot.lot_code = 'L1' AND ((l.code = 'A-01' AND a.qty = 3) "
		"OR (l.code = 'R-02' AND a.qty = 2)) AND a.order_line_id IN "
		"(SELECT id FROM wharf.order_line WHERE order_id = $1)", o), 2);

	/* Replay: same result, nothing new. */
	assert_int_equal(engine_allocate(t->db, o, op, NULL, &b, &err), WH_OK);
	assert_true(b.replayed);
	assert_string_equal(b.state, "allocated");
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.allocation "
		"WHERE order_line_id IN (SELECT id FROM wharf.order_line "
		"WHERE order_id = $1)", o), 2);

	/* More than the sellable stock: partial, never LX. */
	o = ef_order(t->db, "O2", "FEFO1", 200, NULL, 0, NULL, 0);
	assert_int_equal(engine_allocate(t->db, o, ef_op(op), NULL, &a, &err),
			 WH_OK);
	assert_string_equal(a.state, "partially_allocated");
	assert_int_equal(a.allocated, 52 + 100);
	assert_int_equal(a.missing, 200 - 152);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.allocation "
		"a JOIN wharf.lot ON lot.id = a.lot_id WHERE lot.lot_code = 'LX' "
		"AND $1::bigint > 0", o), 0);

	/* Unmapped SKU: exception with the reason. */
	o = ef_order(t->db, "O3", "NONE1", 1, NULL, 0, NULL, 0);
	th_exec(t->db, "UPDATE wharf.order_line SET sku_id = NULL, "
		"platform_sku = 'XYZ' WHERE order_id = (SELECT max(id) FROM "
		"wharf.sales_order)");
	assert_int_equal(engine_allocate(t->db, o, ef_op(op), NULL, &a, &err),
			 WH_OK);
	assert_string_equal(a.state, "exception");
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.sales_order "
		"WHERE id = $1 AND exception_reason LIKE 'unmapped SKU%'", o), 1);

	/* A picker may not allocate. */
	ef_refused(engine_allocate(t->db, o, ef_op(op), &t->picker, &a, &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	assert_int_equal(err.code, WH_ERR_PERM);
	t_close(t, "eng_alloc");
}

/* FIFO by first receipt; a shop's stricter shelf life is honoured. */
static void test_allocate_fifo_and_shop_rule(void **state)
{
	(void)state;
	struct t *t = t_open("eng_fifo");
	struct engine_alloc_result a;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t o;

	ef_stock(t->db, "A-01", "FIFO1", "F2", 10);
	ef_stock(t->db, "R-01", "FIFO1", "F1", 10);
	o = ef_order(t->db, "O1", "FIFO1", 4, NULL, 0, NULL, 0);
	allocate_ok(t, o, "allocated");
	/* F1 was received first: it wins over the pick face's F2. */
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.allocation "
		"a JOIN wharf.lot ON lot.id = a.lot_id WHERE lot.lot_code = 'F1' "
		"AND a.qty = 4 AND a.order_line_id IN (SELECT id FROM "
		"wharf.order_line WHERE order_id = $1)", o), 1);

	/* Shop S1 demands 150 days: only L2 (200 d) qualifies. */
	th_exec(t->db, "UPDATE wharf.shop SET min_remaining_days = 150");
	ef_stock(t->db, "A-01", "FEFO1", "L1", 10);
	ef_stock(t->db, "A-02", "FEFO1", "L2", 10);
	o = ef_order(t->db, "O2", "FEFO1", 3, NULL, 0, NULL, 0);
	assert_int_equal(engine_allocate(t->db, o, ef_op(op), NULL, &a, &err),
			 WH_OK);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.allocation "
		"a JOIN wharf.lot ON lot.id = a.lot_id WHERE lot.lot_code = 'L2' "
		"AND a.order_line_id IN (SELECT id FROM wharf.order_line WHERE "
		"order_id = $1)", o), 1);
	t_close(t, "eng_fifo");
}

/* The whole pick: every refusal, then a good scan and its replay. */
static void test_confirm_pick(void **state)
{
	(void)state;
	struct t *t = t_open("eng_pick");
	struct engine_task task, again;
	struct engine_pick_result res, rep;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE], op2[ENGINE_OP_ID_SIZE];
	int64_t o;

	ef_stock(t->db, "A-01", "FEFO1", "L1", 5);
	ef_stock(t->db, "A-01", "FEFO1", "L2", 5);
	ef_stock(t->db, "A-01", "FEFO1", "LX", 5);
	o = ef_order(t->db, "O1", "FEFO1", 3, NULL, 0, NULL, 0);
	allocate_ok(t, o, "allocated");
	wave_and_claim(t, &task);
	assert_string_equal(task.location_code, "A-01");
	assert_string_equal(task.lot_code, "L1");
	assert_string_equal(task.sku_code, "FEFO1");
	assert_int_equal(task.qty, 3);
	assert_int_equal(task.slot, 1);
	assert_int_equal(task.order_id, o);
	assert_int_equal(task.wave_total, 1);

	/* Claiming again returns the same task to the same picker; another
	 * picker gets nothing. */
	assert_int_equal(engine_claim_task(t->db, &t->picker, t->w1, &again,
					   &err), WH_OK);
	assert_int_equal(again.task_id, task.task_id);
	assert_int_equal(engine_claim_task(t->db, &t->picker2, t->w1, &again,
					   &err), WH_ERR_NOT_FOUND);

	struct engine_pick p = {
	    .task_id = task.task_id, .location_code = "A-02",
	    .barcode = "6900000000011", .lot_code = "L1", .qty = 1,
	    .op_id = ef_op(op),
	};
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_WRONG_LOCATION);
	assert_non_null(strstr(err.msg, "A-01"));
	p.location_code = "A-01";
	p.barcode = "6900000000028";
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_WRONG_SKU);
	p.barcode = "nope";
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_UNKNOWN_BARCODE);
	p.barcode = "6900000000011";
	p.lot_code = "L2"; /* later expiry: not acceptable under FEFO */
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_WRONG_LOT);
	assert_non_null(strstr(err.msg, "expected lot L1"));
	p.lot_code = "LX";
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_LOT_EXPIRED);
	p.lot_code = NULL;
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_LOT_REQUIRED);
	p.lot_code = "L1";
	p.qty = 4;
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_OVER_PICK);
	p.barcode = "16900000000018"; /* a case of 12 */
	p.qty = 1;
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_OVER_PICK);
	p.barcode = "6900000000011";
	ef_refused(engine_confirm_pick(t->db, &p, &t->packer, &res, &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker2, &res, &err),
		   &err, ENGINE_R_TASK_CLAIMED);
	/* No refusal left a trace. */
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.stock_move "
		"WHERE kind = 'pick' AND $1::bigint > 0", 1), 0);

	p.qty = 2;
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
			 WH_OK);
	assert_int_equal(res.units, 2);
	assert_int_equal(res.remaining, 1);
	assert_false(res.replayed);
	assert_string_equal(res.order_state, "picking");
	/* Replay: same answer, no second move. */
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &rep, &err),
			 WH_OK);
	assert_true(rep.replayed);
	assert_int_equal(rep.units, 2);
	assert_int_equal(rep.remaining, 1);
	assert_int_equal(count_of(t->db, "SELECT sum(qty_picked) FROM "
		"wharf.order_line WHERE order_id = $1", o), 2);
	/* The op id of a pick is not a pack's. */
	struct engine_pack_result pk;
	ef_refused(engine_pack_verify(t->db, o, "6900000000011", NULL, op,
				      &t->packer, &pk, &err),
		   &err, ENGINE_R_OP_CONFLICT);

	p.qty = 1;
	p.op_id = ef_op(op2);
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
			 WH_OK);
	assert_string_equal(res.task_state, "done");
	assert_string_equal(res.order_state, "picked");
	p.op_id = ef_op(op);
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_TASK_CLOSED);
	/* Stock went bin -> tote through the ledger. */
	assert_int_equal(count_of(t->db, "SELECT on_hand FROM wharf.stock s "
		"JOIN wharf.lot ON lot.id = s.lot_id JOIN wharf.location l ON "
		"l.id = s.location_id WHERE l.kind = 'tote' AND lot.lot_code = "
		"'L1' AND $1::bigint > 0", 1), 3);
	t_close(t, "eng_pick");
}

/* Case barcodes count their pack size; an earlier free lot at the same
 * bin is accepted and swapped in. */
static void test_pick_case_and_lot_swap(void **state)
{
	(void)state;
	struct t *t = t_open("eng_swap");
	struct engine_task task;
	struct engine_pick_result res;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t o;

	ef_stock(t->db, "A-01", "FEFO1", "L1", 30);
	o = ef_order(t->db, "O1", "FEFO1", 13, NULL, 0, NULL, 0);
	allocate_ok(t, o, "allocated");
	/* L0 arrives later at the same bin: earlier expiry, free. */
	ef_stock(t->db, "A-01", "FEFO1", "L0", 5);
	wave_and_claim(t, &task);
	struct engine_pick p = {
	    .task_id = task.task_id, .location_code = "A-01",
	    .barcode = "16900000000018", .lot_code = "L1", .qty = 1,
	    .op_id = ef_op(op),
	};
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
			 WH_OK);
	assert_int_equal(res.units, 12);
	assert_false(res.substituted);
	p.barcode = "06900000000011"; /* GTIN-14 form of the unit GTIN */
	p.lot_code = "L0";
	p.op_id = ef_op(op);
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
			 WH_OK);
	assert_true(res.substituted);
	assert_string_equal(res.task_state, "done");
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.audit_log "
		"WHERE action = 'pick_lot_substituted' AND $1::bigint > 0", 1), 1);
	t_close(t, "eng_swap");
}

/* Pack verification, ship, the outbox, double ship and replays. */
static void test_pack_and_ship(void **state)
{
	(void)state;
	struct t *t = t_open("eng_ship");
	struct engine_task task;
	struct engine_pick_result res;
	struct engine_pack_result pk;
	struct engine_ship_result sh, sh2;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE], sop[ENGINE_OP_ID_SIZE];
	int64_t o;

	ef_stock(t->db, "A-01", "FEFO1", "L1", 5);
	ef_stock(t->db, "A-01", "FEFO1", "L0", 5); /* earlier: picked */
	o = ef_order(t->db, "O1", "FEFO1", 1, "NONE1", 1, NULL, 0);
	ef_stock(t->db, "A-02", "NONE1", NULL, 5);
	allocate_ok(t, o, "allocated");
	assert_int_equal(engine_ship(t->db, o, "SF", "SF1", 100, ef_op(op),
				     &t->packer, &sh, &err), WH_ERR_REFUSED);
	ef_refused(WH_ERR_REFUSED, &err, ENGINE_R_NOT_PACKED);
	wave_and_claim(t, &task);
	for (int i = 0; i < 2; i++) {
		struct engine_pick p = {
		    .task_id = task.task_id, .location_code = task.location_code,
		    .barcode = task.lot_code[0] ? "6900000000011" : "NONE1",
		    .lot_code = task.lot_code[0] ? task.lot_code : NULL,
		    .qty = 1, .op_id = ef_op(op),
		};
		if (engine_confirm_pick(t->db, &p, &t->picker, &res, &err))
			fail_msg("pick: %s", err.msg);
		if (i == 0 && engine_claim_task(t->db, &t->picker, t->w1, &task,
						&err))
			fail_msg("claim: %s", err.msg);
	}
	assert_string_equal(res.order_state, "picked");

	ef_refused(engine_pack_verify(t->db, o, "6900000000028", NULL,
				      ef_op(op), &t->packer, &pk, &err),
		   &err, ENGINE_R_WRONG_ITEM);
	ef_refused(engine_pack_verify(t->db, o, "6900000000011", "L2",
				      ef_op(op), &t->packer, &pk, &err),
		   &err, ENGINE_R_WRONG_LOT);
	ef_refused(engine_pack_verify(t->db, o, "6900000000011", "L0",
				      ef_op(op), &t->picker, &pk, &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	assert_int_equal(engine_pack_verify(t->db, o, "6900000000011", "L0",
					    ef_op(op), &t->packer, &pk, &err),
			 WH_OK);
	assert_false(pk.order_packed);
	assert_int_equal(pk.remaining, 1);
	ef_refused(engine_pack_verify(t->db, o, "6900000000011", "L0",
				      ef_op(op), &t->packer, &pk, &err),
		   &err, ENGINE_R_EXTRA_UNIT);
	assert_int_equal(engine_pack_verify(t->db, o, "NONE1", NULL, ef_op(op),
					    &t->packer, &pk, &err), WH_OK);
	assert_true(pk.order_packed);

	ef_refused(engine_ship(t->db, o, "SF", "SF1", 300, ef_op(sop),
			       &t->picker, &sh, &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	assert_int_equal(engine_ship(t->db, o, "SF", "SF1", 300, ef_op(sop),
				     &t->packer, &sh, &err), WH_OK);
	assert_int_equal(sh.units, 2);
	assert_true(sh.shipment_id > 0);
	assert_int_equal(engine_ship(t->db, o, "SF", "SF1", 300, sop,
				     &t->packer, &sh2, &err), WH_OK);
	assert_true(sh2.replayed);
	assert_int_equal(sh2.shipment_id, sh.shipment_id);
	ef_refused(engine_ship(t->db, o, "SF", "SF2", 300, ef_op(op),
			       &t->packer, &sh2, &err),
		   &err, ENGINE_R_ALREADY_SHIPPED);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.outbox "
		"WHERE order_id = $1 AND kind = 'ship_confirm' AND "
		"payload->>'tracking_no' = 'SF1' AND payload->>"
		"'platform_order_id' = 'O1' AND jsonb_array_length("
		"payload->'lines') = 2", o), 1);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.shipment "
		"WHERE order_id = $1", o), 1);
	assert_int_equal(count_of(t->db, "SELECT coalesce(sum(on_hand), 0) "
		"FROM wharf.stock s JOIN wharf.location l ON l.id = s.location_id "
		"WHERE l.kind = 'tote' AND $1::bigint > 0", 1), 0);
	t_close(t, "eng_ship");
}

/* Interception mid-flow: picks, packs and ships refused, stock released,
 * picked units put back, NOTIFY sent. */
static void test_intercept(void **state)
{
	(void)state;
	struct t *t = t_open("eng_icpt");
	struct engine_task task, pb;
	struct engine_pick_result res;
	struct engine_pack_result pk;
	struct engine_ship_result sh;
	struct engine_intercept_result ir, ir2;
	struct engine_putback_result pr;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE], iop[ENGINE_OP_ID_SIZE];
	int64_t o;
	/* A raw libpq listener: the db module has no NOTIFY reader yet. */
	PGconn *listener = PQconnectdb(t->conninfo);
	PGnotify *note;
	char want[24];

	assert_int_equal(PQstatus(listener), CONNECTION_OK);
	PQclear(PQexec(listener, "LISTEN wharf_intercept"));
	ef_stock(t->db, "A-01", "NONE1", NULL, 10);
	o = ef_order(t->db, "O1", "NONE1", 3, NULL, 0, NULL, 0);
	allocate_ok(t, o, "allocated");
	wave_and_claim(t, &task);
	struct engine_pick p = {
	    .task_id = task.task_id, .location_code = "A-01",
	    .barcode = "NONE1", .qty = 2, .op_id = ef_op(op),
	};
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
			 WH_OK);
	ef_refused(engine_intercept(t->db, o, "refund", ef_op(iop), &t->picker,
				    &ir, &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	assert_int_equal(engine_intercept(t->db, o, "buyer cancelled",
					  ef_op(iop), NULL, &ir, &err), WH_OK);
	assert_int_equal(ir.released, 1);
	assert_int_equal(ir.putback_tasks, 1);
	assert_int_equal(engine_intercept(t->db, o, "buyer cancelled", iop,
					  NULL, &ir2, &err), WH_OK);
	assert_true(ir2.replayed);
	assert_int_equal(ir2.released, 1);

	p.qty = 1;
	p.op_id = ef_op(op);
	ef_refused(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
		   &err, ENGINE_R_INTERCEPTED);
	ef_refused(engine_pack_verify(t->db, o, "NONE1", NULL, ef_op(op),
				      &t->packer, &pk, &err),
		   &err, ENGINE_R_INTERCEPTED);
	ef_refused(engine_ship(t->db, o, "SF", "X1", 1, ef_op(op), &t->packer,
			       &sh, &err),
		   &err, ENGINE_R_INTERCEPTED);
	/* The NOTIFY reached the other connection, naming the order. */
	note = NULL;
	for (int i = 0; i < 300 && !note; i++) {
		struct timespec ts = { 0, 10000000L };

		assert_int_equal(PQconsumeInput(listener), 1);
		note = PQnotifies(listener);
		if (!note)
			nanosleep(&ts, NULL);
	}
	assert_non_null(note);
	snprintf(want, sizeof(want), "%lld", (long long)o);
	assert_string_equal(note->relname, "wharf_intercept");
	assert_string_equal(note->extra, want);
	PQfreemem(note);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.allocation "
		"WHERE order_line_id IN (SELECT id FROM wharf.order_line WHERE "
		"order_id = $1)", o), 0);

	/* The put-back task comes first for the next claim. */
	assert_int_equal(engine_claim_task(t->db, &t->picker2, t->w1, &pb, &err),
			 WH_OK);
	assert_string_equal(pb.kind, "putback");
	assert_int_equal(pb.qty, 2);
	assert_string_equal(pb.to_location_code, "A-01");
	ef_refused(engine_confirm_putback(t->db, pb.task_id, "Q-01", 2,
					  ef_op(op), &t->picker2, &pr, &err),
		   &err, ENGINE_R_WRONG_LOCATION);
	assert_int_equal(engine_confirm_putback(t->db, pb.task_id, "A-01", 2,
						ef_op(op), &t->picker2, &pr,
						&err), WH_OK);
	assert_int_equal(pr.remaining, 0);
	assert_int_equal(count_of(t->db, "SELECT on_hand - allocated FROM "
		"wharf.stock s JOIN wharf.location l ON l.id = s.location_id "
		"WHERE l.code = 'A-01' AND $1::bigint > 0", 1), 10);
	PQfinish(listener);
	t_close(t, "eng_icpt");
}

/* Receive: a new lot into a bin, a too-short-lived one into quarantine, a
 * PO line updated; putaway suggestion and moves. */
static void test_receive_putaway_move(void **state)
{
	(void)state;
	struct t *t = t_open("eng_recv");
	struct engine_receive_result rr, rr2;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE], op1[ENGINE_OP_ID_SIZE];
	char exp_good[11], exp_short[11];
	int64_t sku = ef_sku(t->db, "FEFO1"), loc, po, lot;
	bool rep;

	th_text(t->db, "SELECT (current_date + 300)::text", exp_good,
		sizeof(exp_good));
	th_text(t->db, "SELECT (current_date + 20)::text", exp_short,
		sizeof(exp_short));
	th_exec(t->db, "INSERT INTO wharf.supplier (code, name) VALUES "
		"('SUP', 'Supplier')");
	po = th_int(t->db, "INSERT INTO wharf.purchase_order (warehouse_id, "
		    "supplier_id, po_no) SELECT w.id, s.id, 'PO1' FROM "
		    "wharf.warehouse w, wharf.supplier s WHERE w.code = 'W1' "
		    "RETURNING id");
	th_exec(t->db, "INSERT INTO wharf.po_line (po_id, sku_id, qty_ordered) "
		"SELECT po.id, s.id, 20 FROM wharf.purchase_order po, wharf.sku s "
		"WHERE s.code = 'FEFO1'");
	struct engine_receive rc = {
	    .po_id = po, .warehouse_id = t->w1, .sku_id = sku,
	    .lot_code = "N1", .expiry = exp_good, .qty = 12,
	    .location_id = ef_loc(t->db, "RCV"), .op_id = ef_op(op1),
	};
	ef_refused(engine_receive(t->db, &rc, &t->picker, &rr, &err), &err,
		   ENGINE_R_ROLE_REFUSED);
	assert_int_equal(engine_receive(t->db, &rc, &t->receiver, &rr, &err),
			 WH_OK);
	assert_false(rr.quarantined);
	assert_string_equal(rr.location_code, "RCV");
	assert_int_equal(engine_receive(t->db, &rc, &t->receiver, &rr2, &err),
			 WH_OK);
	assert_true(rr2.replayed);
	assert_int_equal(rr2.receipt_id, rr.receipt_id);
	assert_int_equal(th_int(t->db, "SELECT qty_received FROM wharf.po_line"),
			 12);
	rc.lot_code = "N2";
	rc.expiry = exp_short; /* 20 days left, 30 must remain */
	rc.qty = 5;
	rc.op_id = ef_op(op);
	assert_int_equal(engine_receive(t->db, &rc, &t->receiver, &rr, &err),
			 WH_OK);
	assert_true(rr.quarantined);
	assert_string_equal(rr.location_code, "Q-01");
	assert_non_null(strstr(rr.reason, "short-lived"));
	assert_int_equal(th_int(t->db, "SELECT qty_received FROM wharf.po_line"),
			 17);
	rc.lot_code = NULL;
	rc.op_id = ef_op(op);
	ef_refused(engine_receive(t->db, &rc, &t->receiver, &rr, &err), &err,
		   ENGINE_R_LOT_REQUIRED);

	/* Putaway: the SKU+lot bin first, else the first empty bin. */
	lot = ef_lot(t->db, "N1");
	assert_int_equal(engine_suggest_putaway(t->db, t->w1, sku, lot, &loc,
						&err), WH_OK);
	assert_int_equal(loc, ef_loc(t->db, "A-01"));
	struct engine_move m = {
	    .from_location_id = ef_loc(t->db, "RCV"), .to_location_id = loc,
	    .sku_id = sku, .lot_id = lot, .qty = 12, .op_id = ef_op(op),
	};
	assert_int_equal(engine_putaway(t->db, &m, &t->receiver, &rep, &err),
			 WH_OK);
	ef_stock(t->db, "A-01", "NONE1", NULL, 1);
	assert_int_equal(engine_suggest_putaway(t->db, t->w1, sku, lot, &loc,
						&err), WH_OK);
	assert_int_equal(loc, ef_loc(t->db, "A-01"));
	assert_int_equal(engine_suggest_putaway(t->db, t->w1, sku, 0, &loc,
						&err), WH_OK);
	assert_int_equal(loc, ef_loc(t->db, "A-02"));
	m.from_location_id = loc = ef_loc(t->db, "A-01");
	m.to_location_id = ef_loc(t->db, "R-01");
	m.qty = 13;
	m.op_id = ef_op(op);
	ef_refused(engine_move(t->db, &m, &t->receiver, &rep, &err), &err,
		   ENGINE_R_INSUFFICIENT_STOCK);
	m.qty = 4;
	assert_int_equal(engine_move(t->db, &m, &t->receiver, &rep, &err),
			 WH_OK);
	assert_false(rep);
	assert_int_equal(engine_move(t->db, &m, &t->receiver, &rep, &err),
			 WH_OK);
	assert_true(rep);
	assert_int_equal(count_of(t->db, "SELECT on_hand FROM wharf.stock "
		"WHERE location_id = $1 AND lot_id IS NOT NULL", loc), 8);
	t_close(t, "eng_recv");
}

/* Short pick: reallocated from another bin as a new task; with nothing
 * left the order becomes an exception. The bin is flagged for a count. */
static void test_short_pick(void **state)
{
	(void)state;
	struct t *t = t_open("eng_short");
	struct engine_task task, next;
	struct engine_short_result sr;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t o;

	ef_stock(t->db, "A-01", "NONE1", NULL, 5);
	ef_stock(t->db, "R-01", "NONE1", NULL, 2);
	o = ef_order(t->db, "O1", "NONE1", 4, NULL, 0, NULL, 0);
	allocate_ok(t, o, "allocated");
	wave_and_claim(t, &task);
	assert_string_equal(task.location_code, "A-01");
	ef_refused(engine_short_pick(t->db, task.task_id, 4, ef_op(op),
				     &t->picker, &sr, &err),
		   &err, ENGINE_R_BAD_QTY);
	assert_int_equal(engine_short_pick(t->db, task.task_id, 1, ef_op(op),
					   &t->picker, &sr, &err), WH_OK);
	assert_int_equal(sr.found, 1);
	assert_int_equal(sr.shortfall, 3);
	assert_int_equal(sr.reallocated, 2);
	assert_int_equal(sr.missing, 1);
	assert_string_equal(sr.order_state, "exception");
	assert_true(sr.count_task_id > 0);
	assert_int_equal(th_int(t->db, "SELECT count(*) FROM wharf.location "
				"WHERE code = 'A-01' AND needs_count"), 1);
	assert_int_equal(engine_claim_task(t->db, &t->picker, t->w1, &next,
					   &err), WH_OK);
	assert_string_equal(next.location_code, "R-01");
	assert_int_equal(next.qty, 2);
	t_close(t, "eng_short");
}

/* Counts: a small variance adjusts now, a large one waits for approval. */
static void test_count_adjust_transfer(void **state)
{
	(void)state;
	struct t *t = t_open("eng_count");
	struct engine_count_result cr;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t none = ef_sku(t->db, "NONE1"), fefo = ef_sku(t->db, "FEFO1");
	int64_t a1 = ef_loc(t->db, "A-01"), tr, units;
	bool rep;

	ef_stock(t->db, "A-01", "NONE1", NULL, 10);
	ef_stock(t->db, "A-01", "FEFO1", "L1", 4);
	struct engine_count_line small[] = { { none, NULL, 9 },
					     { fefo, "L1", 4 } };
	assert_int_equal(engine_count(t->db, a1, small, 2, 2, ef_op(op),
				      &t->picker, &cr, &err), WH_OK);
	assert_string_equal(cr.state, "counted");
	assert_int_equal(cr.variance, 1);
	assert_int_equal(count_of(t->db, "SELECT on_hand FROM wharf.stock WHERE "
		"location_id = $1 AND lot_id IS NULL", a1), 9);
	struct engine_count_line big[] = { { none, NULL, 1 } }; /* L1 lost */
	assert_int_equal(engine_count(t->db, a1, big, 1, 2, ef_op(op),
				      &t->picker, &cr, &err), WH_OK);
	assert_string_equal(cr.state, "pending_approval");
	assert_int_equal(cr.variance, 12);
	ef_refused(engine_approve_count(t->db, cr.count_task_id, ef_op(op),
					&t->picker, &rep, &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	assert_int_equal(engine_approve_count(t->db, cr.count_task_id,
					      ef_op(op), &t->sup, &rep, &err),
			 WH_OK);
	assert_int_equal(count_of(t->db, "SELECT sum(on_hand) FROM wharf.stock "
		"WHERE location_id = $1", a1), 1);

	ef_refused(engine_adjust(t->db, a1, none, 0, -5, "damaged", ef_op(op),
				 &t->sup, &rep, &err),
		   &err, ENGINE_R_INSUFFICIENT_STOCK);
	assert_int_equal(engine_adjust(t->db, a1, none, 0, 6, "found",
				       ef_op(op), &t->sup, &rep, &err), WH_OK);
	ef_refused(engine_adjust(t->db, a1, none, 0, 6, "found", ef_op(op),
				 &t->picker, &rep, &err),
		   &err, ENGINE_R_ROLE_REFUSED);

	struct engine_transfer_line tl[] = { { a1, none, 0, 5 } };
	assert_int_equal(engine_transfer_out(t->db, t->w1, ef_wh(t->db, "W2"),
					     tl, 1, ef_op(op), &t->sup, &tr,
					     &err), WH_OK);
	assert_int_equal(th_int(t->db, "SELECT on_hand FROM wharf.stock s JOIN "
				"wharf.location l ON l.id = s.location_id WHERE "
				"l.code = 'TRANSIT'"), 5);
	assert_int_equal(engine_transfer_in(t->db, tr, ef_loc(t->db, "B-01"),
					    ef_op(op), &t->receiver, &units,
					    &err), WH_OK);
	assert_int_equal(units, 5);
	assert_int_equal(th_int(t->db, "SELECT on_hand FROM wharf.stock s JOIN "
				"wharf.location l ON l.id = s.location_id WHERE "
				"l.code = 'B-01'"), 5);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.audit_log "
		"WHERE action IN ('count', 'approve_count', 'adjust', "
		"'transfer_out', 'transfer_in') AND $1::bigint > 0", 1), 6);
	t_close(t, "eng_count");
}

/* A single-item wave consolidates orders per bin; picks are credited line
 * by line. */
static void test_single_item_wave(void **state)
{
	(void)state;
	struct t *t = t_open("eng_single");
	struct engine_wave_limits lim = {
	    .strategy = WAVE_SINGLE_ITEM, .max_orders = 100,
	    .max_units = 1000, .max_totes = 1, .slots_per_tote = 1,
	};
	struct engine_wave_result w;
	struct engine_task task;
	struct engine_pick_result res;
	struct engine_pending_result pr;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];

	ef_stock(t->db, "A-01", "NONE1", NULL, 10);
	for (int i = 0; i < 5; i++) {
		char id[8];

		snprintf(id, sizeof(id), "S%d", i);
		ef_order(t->db, id, "NONE1", 1, NULL, 0, NULL, 0);
	}
	ef_order(t->db, "M1", "NONE1", 2, NULL, 0, NULL, 0);
	assert_int_equal(engine_allocate_pending(t->db, t->w1, 100, NULL, &pr,
						 &err), WH_OK);
	assert_int_equal(pr.orders, 6);
	assert_int_equal(pr.allocated_orders, 6);
	ef_refused(engine_release_wave(t->db, t->w1, &lim, &t->picker, &w,
				       &err),
		   &err, ENGINE_R_ROLE_REFUSED);
	assert_int_equal(engine_release_wave(t->db, t->w1, &lim, &t->sup, &w,
					     &err), WH_OK);
	assert_int_equal(w.orders, 5); /* M1 has two units */
	assert_int_equal(w.tasks, 1);
	assert_int_equal(engine_claim_task(t->db, &t->picker, t->w1, &task,
					   &err), WH_OK);
	assert_int_equal(task.qty, 5);
	assert_int_equal(task.order_id, 0);
	struct engine_pick p = {
	    .task_id = task.task_id, .location_code = "A-01",
	    .barcode = "NONE1", .qty = 5, .op_id = ef_op(op),
	};
	assert_int_equal(engine_confirm_pick(t->db, &p, &t->picker, &res, &err),
			 WH_OK);
	assert_int_equal(th_int(t->db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE state = 'picked'"), 5);
	assert_int_equal(th_int(t->db, "SELECT count(*) FROM wharf.wave WHERE "
				"state = 'done'"), 1);
	t_close(t, "eng_single");
}

/* confirm_pick_next: the confirm and the picker's next task in one call;
 * tasks go out oldest wave first, then by walk order; the wave counts
 * (kept in wharf.wave_tally) follow every pick. */
static void test_confirm_pick_next(void **state)
{
	(void)state;
	struct t *t = t_open("eng_next");
	struct engine_wave_limits lim = {
	    .strategy = WAVE_MULTI_ITEM, .max_orders = 100,
	    .max_units = 1000, .max_totes = 10, .slots_per_tote = 8,
	};
	struct engine_wave_result w1, w2;
	struct engine_task task, next, again;
	struct engine_pick_result res;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	bool has;
	int64_t o1, o2;

	ef_stock(t->db, "A-01", "NONE1", NULL, 10);
	ef_stock(t->db, "A-02", "FIFO1", "F1", 10);
	o1 = ef_order(t->db, "X1", "NONE1", 1, "FIFO1", 1, NULL, 0);
	allocate_ok(t, o1, "allocated");
	assert_int_equal(engine_release_wave(t->db, t->w1, &lim, &t->sup, &w1,
					     &err), WH_OK);
	o2 = ef_order(t->db, "X2", "NONE1", 1, NULL, 0, NULL, 0);
	allocate_ok(t, o2, "allocated");
	lim.strategy = WAVE_SINGLE_ITEM;
	lim.max_totes = 1;
	lim.slots_per_tote = 1;
	assert_int_equal(engine_release_wave(t->db, t->w1, &lim, &t->sup, &w2,
					     &err), WH_OK);
	assert_true(w2.wave_id > w1.wave_id);

	assert_int_equal(engine_claim_task(t->db, &t->picker, t->w1, &task,
					   &err), WH_OK);
	assert_int_equal(task.wave_id, w1.wave_id);
	assert_string_equal(task.location_code, "A-01");
	assert_int_equal(task.wave_done, 0);
	assert_int_equal(task.wave_total, 2);

	/* A refused confirm claims nothing. */
	struct engine_pick p = {
	    .task_id = task.task_id, .location_code = "A-02",
	    .barcode = "NONE1", .qty = 1, .op_id = ef_op(op),
	};
	ef_refused(engine_confirm_pick_next(t->db, &p, &t->picker, t->w1, &res,
					    &next, &has, &err),
		   &err, ENGINE_R_WRONG_LOCATION);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM "
				  "wharf.pick_task WHERE wave_id = $1::bigint "
				  "AND state = 'open'", w2.wave_id), 1);

	/* Wave 1's second task (walk 2) comes before wave 2's first. */
	p.location_code = "A-01";
	assert_int_equal(engine_confirm_pick_next(t->db, &p, &t->picker, t->w1,
						  &res, &next, &has, &err),
			 WH_OK);
	assert_string_equal(res.task_state, "done");
	assert_true(has);
	assert_int_equal(next.wave_id, w1.wave_id);
	assert_string_equal(next.location_code, "A-02");
	assert_string_equal(next.lot_code, "F1");
	assert_int_equal(next.wave_done, 1);
	assert_int_equal(next.wave_total, 2);

	struct engine_pick p2 = {
	    .task_id = next.task_id, .location_code = "A-02",
	    .barcode = "FIFO1", .lot_code = "F1", .qty = 1, .op_id = ef_op(op),
	};
	assert_int_equal(engine_confirm_pick_next(t->db, &p2, &t->picker,
						  t->w1, &res, &next, &has,
						  &err), WH_OK);
	assert_false(res.replayed);
	assert_true(has);
	assert_int_equal(next.wave_id, w2.wave_id);
	assert_int_equal(next.wave_done, 0);
	assert_int_equal(next.wave_total, 1);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.wave "
				  "WHERE id = $1::bigint AND state = 'done'",
				  w1.wave_id), 1);

	/* A replay changes nothing and reports the task now held. */
	assert_int_equal(engine_confirm_pick_next(t->db, &p2, &t->picker,
						  t->w1, &res, &again, &has,
						  &err), WH_OK);
	assert_true(res.replayed);
	assert_true(has);
	assert_int_equal(again.task_id, next.task_id);

	struct engine_pick p3 = {
	    .task_id = next.task_id, .location_code = "A-01",
	    .barcode = "NONE1", .qty = 1, .op_id = ef_op(op),
	};
	assert_int_equal(engine_confirm_pick_next(t->db, &p3, &t->picker,
						  t->w1, &res, &next, &has,
						  &err), WH_OK);
	assert_false(has);
	assert_int_equal(next.task_id, 0);
	assert_int_equal(count_of(t->db, "SELECT count(*) FROM wharf.wave "
				  "WHERE id = $1::bigint AND state = 'done'",
				  w2.wave_id), 1);
	t_close(t, "eng_next");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocate_fefo),
		cmocka_unit_test(test_allocate_fifo_and_shop_rule),
		cmocka_unit_test(test_confirm_pick),
		cmocka_unit_test(test_pick_case_and_lot_swap),
		cmocka_unit_test(test_pack_and_ship),
		cmocka_unit_test(test_intercept),
		cmocka_unit_test(test_receive_putaway_move),
		cmocka_unit_test(test_short_pick),
		cmocka_unit_test(test_count_adjust_transfer),
		cmocka_unit_test(test_single_item_wave),
		cmocka_unit_test(test_confirm_pick_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
