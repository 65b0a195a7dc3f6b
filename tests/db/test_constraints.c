/*
 * test_constraints.c - plain SQL that would break an invariant of
 * DESIGN.md section 4 fails, whoever sends it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

static char conninfo[512];
static struct db *db;

/* One warehouse (two bins, quarantine), a second warehouse, a FEFO SKU with
 * a good lot and an expired lot, a shop with a stricter shelf-life rule,
 * 10 units of the good lot in bin A-01 and one order line asking for 4. */
static const char fixture[] =
	"INSERT INTO wharf.warehouse (code, name) VALUES ('W1', 'One'), ('W2', 'Two');"
	"INSERT INTO wharf.location (warehouse_id, code, kind, walk_seq) VALUES"
	" (1, 'A-01', 'pick', 1), (1, 'A-02', 'storage', 2),"
	" (1, 'Q-01', 'quarantine', 9), (2, 'B-01', 'pick', 1);"
	"INSERT INTO wharf.sku (code, name, lot_control, shelf_life_days, min_remaining_days)"
	" VALUES ('S1', 'Formula', 'fefo', 720, 30), ('S2', 'Cable', 'none', NULL, 0);"
	"INSERT INTO wharf.lot (sku_id, lot_code, expiry) VALUES"
	" (1, 'GOOD', current_date + 400), (1, 'OLD', current_date - 1),"
	" (1, 'SOON', current_date + 20);"
	"INSERT INTO wharf.shop (code, platform, name, warehouse_id) VALUES"
	" ('SHOP', 'taobao', 'Shop', 1), ('STRICT', 'tmall', 'Strict', 1);"
	"UPDATE wharf.shop SET min_remaining_days = 500 WHERE code = 'STRICT';"
	"INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id, to_location_id, qty)"
	" VALUES (1, 'receive', 1, 1, 1, 10), (1, 'receive', 1, 2, 3, 5),"
	"        (1, 'receive', 1, 3, 1, 6), (1, 'receive', 2, NULL, 2, 7);"
	"INSERT INTO wharf.sales_order (warehouse_id, shop_id, platform_order_id)"
	" VALUES (1, 1, 'O-1'), (1, 2, 'O-STRICT');"
	"INSERT INTO wharf.order_line (order_id, line_no, sku_id, qty)"
	" VALUES (1, 1, 1, 4), (2, 1, 1, 2), (1, 2, 2, 1);";

static int setup(void **state)
{
	(void)state;
	th_create_db("t_constraints", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	th_exec(db, fixture);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	th_drop_db("t_constraints");
	return 0;
}

/* Runs sql inside a transaction that is always rolled back, expecting it
 * to fail with code; returns the message. */
static void expect_refused(const char *sql, enum wh_err code, const char *needle)
{
	char msg[512];

	th_exec(db, "BEGIN");
	assert_int_equal(th_exec_fails(db, sql, msg, sizeof(msg)), code);
	th_exec(db, "ROLLBACK");
	if (needle && !strstr(msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
}

static void test_ledger_drives_stock(void **state)
{
	(void)state;
	assert_int_equal(th_int(db, "SELECT on_hand FROM wharf.stock "
				    "WHERE location_id = 1 AND lot_id = 1"), 10);
	/* A lot-less SKU has one row with a NULL lot, found again by the
	 * NULLS NOT DISTINCT key when more arrives. */
	th_exec(db, "BEGIN");
	th_exec(db, "INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, "
		    "to_location_id, qty) VALUES (1, 'receive', 2, 2, 3)");
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.stock WHERE sku_id = 2"), 1);
	assert_int_equal(th_int(db, "SELECT on_hand FROM wharf.stock WHERE sku_id = 2"), 10);
	th_exec(db, "ROLLBACK");
}

static void test_ledger_is_append_only(void **state)
{
	(void)state;
	expect_refused("UPDATE wharf.stock_move SET qty = 99", WH_ERR_REFUSED,
		       "wharf.stock_move is append-only");
	expect_refused("DELETE FROM wharf.stock_move", WH_ERR_REFUSED,
		       "append-only");
	expect_refused("TRUNCATE wharf.stock_move", WH_ERR_REFUSED, "append-only");
	expect_refused("INSERT INTO wharf.audit_log (action) VALUES ('x'); "
		       "UPDATE wharf.audit_log SET action = 'y'",
		       WH_ERR_REFUSED, "wharf.audit_log is append-only");
}

static void test_no_overdraw(void **state)
{
	(void)state;
	/* 10 on hand: moving 11 out would make on_hand negative. */
	expect_refused("INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
		       " from_location_id, to_location_id, qty)"
		       " VALUES (1, 'move', 1, 1, 1, 2, 11)",
		       WH_ERR_REFUSED, "only 10 free");
	/* Taking from a bin that never held the lot. */
	expect_refused("INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
		       " from_location_id, qty) VALUES (1, 'ship', 1, 1, 2, 1)",
		       WH_ERR_REFUSED, "no stock");
	/* Negative on-hand breaks both bounds; either may be named. */
	expect_refused("UPDATE wharf.stock SET on_hand = -1 WHERE id = 1",
		       WH_ERR_REFUSED, "violates check constraint \"stock_");
	expect_refused("UPDATE wharf.stock SET allocated = on_hand + 1 WHERE id = 1",
		       WH_ERR_REFUSED, "stock_allocated_within_on_hand");
	expect_refused("INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
		       " to_location_id, qty) VALUES (1, 'receive', 1, 1, 1, 0)",
		       WH_ERR_REFUSED, "qty_check");
}

static void test_no_move_across_warehouses(void **state)
{
	(void)state;
	expect_refused("INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
		       " from_location_id, to_location_id, qty)"
		       " VALUES (1, 'move', 1, 1, 1, 4, 1)",
		       WH_ERR_REFUSED, "crosses warehouses");
}

static void test_no_double_allocation(void **state)
{
	(void)state;
	/* Two lines together wanting more units than the bin holds: the
	 * second allocation would reserve units already reserved. */
	th_exec(db, "BEGIN");
	th_exec(db, "INSERT INTO wharf.sales_order (warehouse_id, shop_id, platform_order_id)"
		    " VALUES (1, 1, 'O-2');"
		    "INSERT INTO wharf.order_line (order_id, line_no, sku_id, qty)"
		    " VALUES (3, 1, 1, 9);"
		    "INSERT INTO wharf.allocation (warehouse_id, order_line_id, location_id,"
		    " sku_id, lot_id, qty) VALUES (1, 1, 1, 1, 1, 4)");
	assert_int_equal(th_int(db, "SELECT allocated FROM wharf.stock "
				    "WHERE location_id = 1 AND lot_id = 1"), 4);
	assert_int_equal(th_exec_fails(db,
		"INSERT INTO wharf.allocation (warehouse_id, order_line_id, location_id,"
		" sku_id, lot_id, qty) SELECT 1, id, 1, 1, 1, 7 FROM wharf.order_line"
		" WHERE order_id = 3", NULL, 0), WH_ERR_REFUSED);
	th_exec(db, "ROLLBACK");
}

static void test_line_never_overallocated(void **state)
{
	(void)state;
	/* Line 1 asks for 4: 5 is refused by the line's CHECK. */
	expect_refused("INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		       " location_id, sku_id, lot_id, qty) VALUES (1, 1, 1, 1, 1, 5)",
		       WH_ERR_REFUSED, "order_line_check");
	/* An allocation of another SKU to the line. */
	expect_refused("INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		       " location_id, sku_id, lot_id, qty) VALUES (1, 1, 2, 2, NULL, 1)",
		       WH_ERR_REFUSED, "another sku");
	/* Allocated stock cannot leave the bin. */
	th_exec(db, "BEGIN");
	th_exec(db, "INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		    " location_id, sku_id, lot_id, qty) VALUES (1, 1, 1, 1, 1, 4)");
	assert_int_equal(th_exec_fails(db,
		"INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
		" from_location_id, to_location_id, qty) VALUES (1, 'move', 1, 1, 1, 2, 7)",
		NULL, 0), WH_ERR_REFUSED);
	th_exec(db, "ROLLBACK");
}

static void test_no_allocation_past_ship_by(void **state)
{
	(void)state;
	/* The expired lot sits in quarantine; even moved to a bin, it can
	 * never be reserved. */
	expect_refused("INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
		       " from_location_id, to_location_id, qty) VALUES (1, 'move', 1, 2, 3, 1, 5);"
		       "INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		       " location_id, sku_id, lot_id, qty) VALUES (1, 1, 1, 1, 2, 1)",
		       WH_ERR_REFUSED, "past its ship-by date");
	/* SOON expires in 20 days; the SKU wants 30 days left. */
	expect_refused("INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		       " location_id, sku_id, lot_id, qty) VALUES (1, 1, 1, 1, 3, 1)",
		       WH_ERR_REFUSED, "past its ship-by date");
	/* GOOD has 400 days, but the STRICT shop wants 500. */
	expect_refused("INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		       " location_id, sku_id, lot_id, qty) VALUES (1, 2, 1, 1, 1, 1)",
		       WH_ERR_REFUSED, "past its ship-by date");
}

static void test_one_expiry_rule(void **state)
{
	(void)state;
	/* Sellable on day d iff d <= expiry - min_remaining. */
	assert_int_equal(th_int(db, "SELECT wharf.lot_sellable('2026-11-25', 0, '2026-11-25')::int"), 1);
	assert_int_equal(th_int(db, "SELECT wharf.lot_sellable('2026-11-25', 0, '2026-11-26')::int"), 0);
	assert_int_equal(th_int(db, "SELECT wharf.lot_sellable('2026-11-25', 1, '2026-11-25')::int"), 0);
	assert_int_equal(th_int(db, "SELECT wharf.lot_sellable('2026-11-25', 1, '2026-11-24')::int"), 1);
	assert_int_equal(th_int(db, "SELECT wharf.lot_sellable(NULL, 30, '2026-11-25')::int"), 1);
}

static void test_intercepted_never_shipped(void **state)
{
	(void)state;
	expect_refused("UPDATE wharf.sales_order SET intercepted_at = now(),"
		       " intercept_reason = 'refund requested' WHERE id = 1;"
		       "UPDATE wharf.sales_order SET state = 'shipped' WHERE id = 1",
		       WH_ERR_REFUSED, "was intercepted");
	/* Intercepting a packed order must also take it out of 'packed' in
	 * the same statement (the engine's intercept does): an intercepted
	 * order is never left packed, ready to leave. */
	expect_refused("UPDATE wharf.sales_order SET state = 'packed' WHERE id = 1;"
		       "UPDATE wharf.sales_order SET intercepted_at = now() WHERE id = 1",
		       WH_ERR_REFUSED, "was intercepted");
}

static void test_order_keys_and_states(void **state)
{
	(void)state;
	expect_refused("INSERT INTO wharf.sales_order (warehouse_id, shop_id, platform_order_id)"
		       " VALUES (1, 1, 'O-1')", WH_ERR_REFUSED, "duplicate key");
	expect_refused("UPDATE wharf.sales_order SET state = 'exception' WHERE id = 1",
		       WH_ERR_REFUSED, "sales_order_check");
	expect_refused("INSERT INTO wharf.sales_order (warehouse_id, shop_id, platform_order_id,"
		       " currency) VALUES (1, 1, 'O-9', 'rmb')",
		       WH_ERR_REFUSED, "currency_check");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_drives_stock),
		cmocka_unit_test(test_ledger_is_append_only),
		cmocka_unit_test(test_no_overdraw),
		cmocka_unit_test(test_no_move_across_warehouses),
		cmocka_unit_test(test_no_double_allocation),
		cmocka_unit_test(test_line_never_overallocated),
		cmocka_unit_test(test_no_allocation_past_ship_by),
		cmocka_unit_test(test_one_expiry_rule),
		cmocka_unit_test(test_intercepted_never_shipped),
		cmocka_unit_test(test_order_keys_and_states),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
