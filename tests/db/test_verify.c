/*
 * test_verify.c - wharf.verify() finds each kind of corruption a person
 * (or a bug) could leave behind, and nothing on a sound database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "db/seed.h"
#include "db/verify.h"
#include "harness.h"

static char conninfo[512];
static struct db *db;

struct found {
	int n;
	char checks[8][64];
};

static void collect(void *ctx, const char *check, const char *detail)
{
	struct found *f = ctx;

	(void)detail;
	if (f->n < 8)
		snprintf(f->checks[f->n], sizeof(f->checks[0]), "%s", check);
	f->n++;
}

static struct found verify(void)
{
	struct found f = { 0 };
	struct wh_error err;
	int violations;

	assert_int_equal(db_verify(db, collect, &f, &violations, &err), WH_OK);
	assert_int_equal(violations, f.n);
	return f;
}

static int setup(void **state)
{
	struct wh_error err;

	(void)state;
	th_create_db("t_verify", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	if (db_seed_demo(db, 1, NULL, NULL, &err) != WH_OK)
		fail_msg("seed: %s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	th_drop_db("t_verify");
	return 0;
}

static void test_sound_database_passes(void **state)
{
	(void)state;
	assert_int_equal(verify().n, 0);
}

/* Each corruption runs in a transaction that is rolled back after. */
static void expect_found(const char *corrupt, const char *check)
{
	struct found f;

	th_exec(db, "BEGIN");
	th_exec(db, corrupt);
	f = verify();
	th_exec(db, "ROLLBACK");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.checks[0], check);
}

static void test_hand_edited_stock_row(void **state)
{
	(void)state;
	expect_found("UPDATE wharf.stock SET on_hand = on_hand + 1 WHERE id = "
		     "(SELECT min(id) FROM wharf.stock WHERE on_hand > 0)",
		     "stock_matches_ledger");
	/* A stock row deleted by hand leaves ledger units nowhere. */
	expect_found("DELETE FROM wharf.stock WHERE id = "
		     "(SELECT min(id) FROM wharf.stock WHERE on_hand > 0 "
		     " AND allocated = 0)", "stock_matches_ledger");
}

static void test_allocation_bypassing_triggers(void **state)
{
	(void)state;
	/* With the trigger disabled (as a careless superuser might), an
	 * allocation no longer reaches stock.allocated: verify sees both
	 * sides of the mismatch. */
	struct found f;

	th_exec(db, "BEGIN");
	th_exec(db, "ALTER TABLE wharf.allocation DISABLE TRIGGER allocation_apply");
	th_exec(db, "INSERT INTO wharf.allocation (warehouse_id, order_line_id,"
		    " location_id, sku_id, lot_id, qty)"
		    " SELECT s.warehouse_id, l.id, s.location_id, s.sku_id, s.lot_id, 1"
		    " FROM wharf.order_line l JOIN wharf.stock s ON s.sku_id = l.sku_id"
		    " JOIN wharf.location loc ON loc.id = s.location_id AND loc.kind = 'pick'"
		    " JOIN wharf.lot ON lot.id = s.lot_id AND lot.expiry > current_date + 400"
		    " WHERE s.on_hand > 0 LIMIT 1");
	f = verify();
	th_exec(db, "ROLLBACK");
	assert_int_equal(f.n, 2);
	assert_string_equal(f.checks[0], "line_allocated_matches");
	assert_string_equal(f.checks[1], "stock_allocated_matches");
}

static void test_intercepted_and_shipped(void **state)
{
	(void)state;
	expect_found("ALTER TABLE wharf.sales_order DISABLE TRIGGER "
		     "sales_order_no_intercepted_ship;"
		     "UPDATE wharf.sales_order SET state = 'shipped',"
		     " intercepted_at = now() WHERE id = 1",
		     "intercepted_not_shipped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_database_passes),
		cmocka_unit_test(test_hand_edited_stock_row),
		cmocka_unit_test(test_allocation_bypassing_triggers),
		cmocka_unit_test(test_intercepted_and_shipped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
