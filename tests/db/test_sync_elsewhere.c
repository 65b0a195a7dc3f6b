/*
 * test_sync_elsewhere.c - an order the platform says was shipped while
 * wharf still has it on the floor (the seller sent it from elsewhere) is
 * intercepted, at every step of the flow, and can never ship from here.
 * Owner: the sync tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static char conninfo[512];

/* The platform's view of order id in state (normalised), modified at t. */
static void platform_says(struct db *db, const char *id, const char *state,
			  long t)
{
	char order[512], ts[24];
	const char *p[] = { order };

	snprintf(ts, sizeof(ts), "%ld", t);
	snprintf(order, sizeof(order),
		 "{\"id\": \"%s\", \"state\": \"%s\", \"status_raw\": "
		 "\"TRADE_%s\", \"modified_at\": %s, \"lines\": [{\"line_id\": "
		 "\"%s-1\", \"sku_code\": \"NONE1\", \"qty\": 2}]}",
		 id, state, state, ts, id);
	ef_q(db,
	     "SELECT (wharf.sync_upsert_order(s.id, $1::jsonb, '{}'))"
	     "->>'order_id' FROM wharf.shop s WHERE s.code = 'S1'",
	     1, p);
}

static int64_t order_of(struct db *db, const char *id)
{
	return ef_q1(db, "SELECT id FROM wharf.sales_order WHERE "
			 "platform_order_id = $1", id);
}

/* Four orders, left allocated, released, half picked and fully picked;
 * then the platform says each was shipped. */
static void test_shipped_elsewhere_is_intercepted(void **state)
{
	static const char *const ids[] = { "E-ALLOC", "E-REL", "E-HALF",
					   "E-PICKED" };
	struct db *db = ef_open("sync_elsewhere", conninfo, sizeof(conninfo));
	struct engine_actor picker = { .user_id = ef_user(db, "p1") };
	struct engine_actor packer = { .user_id = ef_user(db, "k1") };
	struct engine_actor sup = { .user_id = ef_user(db, "s1") };
	struct engine_pending_result pr;
	struct engine_wave_result wr;
	struct engine_wave_limits lim = {
	    .strategy = WAVE_BY_CARRIER, .max_orders = 3, .max_units = 100,
	    .max_totes = 3, .slots_per_tote = 1,
	};
	struct engine_ship_result sr;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t w1 = ef_wh(db, "W1");

	(void)state;
	th_exec(db, "INSERT INTO wharf.shop_sku (shop_id, outer_code, sku_id) "
		    "SELECT sh.id, 'NONE1', s.id FROM wharf.shop sh, "
		    "wharf.sku s WHERE sh.code = 'S1' AND s.code = 'NONE1'");
	ef_stock(db, "A-01", "NONE1", NULL, 20);
	for (int i = 1; i < 4; i++)
		platform_says(db, ids[i], "READY_TO_SHIP", 1000);
	assert_int_equal(engine_allocate_pending(db, w1, 100, NULL, &pr, &err),
			 WH_OK);
	assert_int_equal(pr.allocated_orders, 3);
	assert_int_equal(engine_release_wave(db, w1, &lim, &sup, &wr, &err),
			 WH_OK);
	assert_int_equal(wr.orders, 3);
	/* E-ALLOC arrives after the wave: it stays allocated. */
	platform_says(db, ids[0], "READY_TO_SHIP", 1000);
	assert_int_equal(engine_allocate_pending(db, w1, 100, NULL, &pr, &err),
			 WH_OK);
	assert_int_equal(pr.allocated_orders, 1);
	/* Pick one unit of E-HALF and both of E-PICKED. */
	for (int k = 0; k < 2; k++) {
		const char *id = k ? "E-PICKED" : "E-HALF";
		struct engine_pick_result res;
		struct engine_pick p = {
		    .location_code = "A-01", .barcode = "NONE1",
		    .qty = k ? 2 : 1, .op_id = ef_op(op),
		};

		p.task_id = ef_q1(db, "SELECT t.id FROM wharf.pick_task t "
				      "JOIN wharf.sales_order o ON o.id = "
				      "t.order_id WHERE o.platform_order_id = "
				      "$1", id);
		assert_int_equal(engine_confirm_pick(db, &p, &picker, &res,
						     &err), WH_OK);
	}
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				    "WHERE state = 'picked'"), 1);

	for (int i = 0; i < 4; i++)
		platform_says(db, ids[i], "SHIPPED", 2000);

	/* Every one is out of the flow, nothing of them is reserved, and
	 * their picked units (three) have put-back tasks. */
	assert_int_equal(ef_q1(db, "SELECT count(*) FROM wharf.sales_order "
				   "WHERE intercepted_at IS NOT NULL AND "
				   "intercept_reason LIKE $1",
			       "shipped outside wharf: TRADE_SHIPPED"), 4);
	assert_int_equal(ef_q1(db, "SELECT count(*) FROM wharf.allocation a "
				   "JOIN wharf.order_line l ON l.id = "
				   "a.order_line_id JOIN wharf.sales_order o "
				   "ON o.id = l.order_id WHERE o.platform_order_id "
				   "LIKE $1", "E-%"), 0);
	assert_int_equal(ef_q1(db, "SELECT coalesce(sum(qty), 0) FROM "
				   "wharf.pick_task WHERE kind = $1 AND state "
				   "= 'open'", "putback"), 3);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.pick_task "
				    "WHERE kind = 'pick' AND state IN ('open', "
				    "'claimed')"), 0);
	/* The picked one can never leave from here. */
	assert_int_equal(engine_ship(db, order_of(db, "E-PICKED"), "SF", "T1",
				     100, ef_op(op), &packer, &sr, &err),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "INTERCEPTED"));
	/* The same news again changes nothing. */
	platform_says(db, "E-HALF", "SHIPPED", 2000);
	assert_int_equal(ef_q1(db, "SELECT count(*) FROM wharf.pick_task "
				   "WHERE kind = $1", "putback"), 2);
	ef_verify(db);
	db_close(db);
	th_drop_db("sync_elsewhere");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_elsewhere_is_intercepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
