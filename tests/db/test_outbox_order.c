/*
 * test_outbox_order.c - a stock level queued while an older one of the
 * same SKU is being pushed waits for that push to end, so the platform
 * is never left holding the older level (0017_outbox_order.sql).
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

/* How many of the shop's stock pushes of sku a claim hands out now. */
static int64_t claim(struct db *db, const char *sku)
{
	return ef_q1(db,
		     "SELECT count(*) FROM wharf.sync_outbox_claim("
		     "(SELECT id FROM wharf.shop WHERE code = 'S1'), 50, 120) c "
		     "JOIN wharf.sku s ON s.id = c.sku_id WHERE s.code = $1",
		     sku);
}

/* The newest stock push row of sku: its id. */
static int64_t newest(struct db *db, const char *sku)
{
	return ef_q1(db,
		     "SELECT max(o.id) FROM wharf.outbox o JOIN wharf.sku s "
		     "ON s.id = o.sku_id WHERE o.kind = 'stock_set' "
		     "AND s.code = $1",
		     sku);
}

/* The level of sku changes again: the sync queues it anew. */
static void level_changes(struct db *db, const char *sku)
{
	ef_q1(db,
	      "UPDATE wharf.stock_push sp SET qty = -1 FROM wharf.sku s "
	      "WHERE s.id = sp.sku_id AND s.code = $1 RETURNING 1",
	      sku);
	th_exec(db, "SELECT wharf.sync_enqueue_stock(id) FROM wharf.shop "
		    "WHERE code = 'S1'");
}

static void ack(struct db *db, int64_t id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT wharf.sync_outbox_ack(%lld)",
		 (long long)id);
	th_exec(db, sql);
}

static void test_newer_level_waits_for_older_push(void **state)
{
	struct db *db = ef_open("outbox_order", conninfo, sizeof(conninfo));
	int64_t first, second, third;
	char sql[256];

	(void)state;
	th_exec(db, "INSERT INTO wharf.shop_sku (shop_id, outer_code, sku_id) "
		    "SELECT sh.id, s.code, s.id FROM wharf.shop sh "
		    "CROSS JOIN wharf.sku s WHERE sh.code = 'S1' "
		    "AND s.code IN ('NONE1', 'FIFO1')");
	th_exec(db, "SELECT wharf.sync_enqueue_stock(id) FROM wharf.shop "
		    "WHERE code = 'S1'");
	first = newest(db, "NONE1");
	/* A pusher takes both SKUs' levels, and FIFO1's is through ... */
	assert_int_equal(claim(db, "NONE1"), 1);
	ack(db, newest(db, "FIFO1"));
	/* ... and while it pushes NONE1's, a newer level is queued: the
	 * one being pushed is superseded, the new one is due, yet nobody
	 * gets it until the older push has ended. */
	level_changes(db, "NONE1");
	second = newest(db, "NONE1");
	assert_true(second > first);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM wharf.outbox WHERE id = %lld "
		 "AND state = 'superseded' AND leased_until > now()",
		 (long long)first);
	assert_int_equal(th_int(db, sql), 1);
	assert_int_equal(claim(db, "NONE1"), 0);
	assert_int_equal(claim(db, "NONE1"), 0);
	/* Another SKU's new level is not held up by it. */
	level_changes(db, "FIFO1");
	assert_int_equal(claim(db, "FIFO1"), 1);
	/* The older push is acked: it stays superseded (it is never pushed
	 * again) with its ack recorded, and the newer level goes out. */
	ack(db, first);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM wharf.outbox WHERE id = %lld "
		 "AND state = 'superseded' AND acked_at IS NOT NULL "
		 "AND leased_until IS NULL",
		 (long long)first);
	assert_int_equal(th_int(db, sql), 1);
	assert_int_equal(claim(db, "NONE1"), 1);

	/* A failed push ends the wait as well, without being retried;
	 * and a pusher that died ends it when its lease runs out. */
	level_changes(db, "NONE1");
	third = newest(db, "NONE1");
	assert_int_equal(claim(db, "NONE1"), 0);
	snprintf(sql, sizeof(sql),
		 "SELECT wharf.sync_outbox_fail(%lld, 'timeout', false)",
		 (long long)second);
	th_exec(db, sql);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM wharf.outbox WHERE id = %lld "
		 "AND state = 'superseded' AND leased_until IS NULL",
		 (long long)second);
	assert_int_equal(th_int(db, sql), 1);
	assert_int_equal(claim(db, "NONE1"), 1);
	level_changes(db, "NONE1");
	assert_int_equal(claim(db, "NONE1"), 0);
	snprintf(sql, sizeof(sql),
		 "UPDATE wharf.outbox SET leased_until = now() - interval "
		 "'1 second' WHERE id = %lld",
		 (long long)third);
	th_exec(db, sql);
	assert_int_equal(claim(db, "NONE1"), 1);

	/* Each superseded row was claimed once, never again. */
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.outbox "
				    "WHERE state = 'superseded' "
				    "AND attempts <> 1"),
			 0);
	db_close(db);
	th_drop_db("outbox_order");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newer_level_waits_for_older_push),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
