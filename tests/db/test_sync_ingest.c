/*
 * test_sync_ingest.c - wharf.sync_ingest (0011_sync_ingest.sql) against
 * a real PostgreSQL: the set-based page ingest must leave exactly what
 * 0005's order-by-order ingest left (kept here as a reference function),
 * page after page, and return the same counts: first sights of every
 * kind (paid, unmapped SKU, no quantity, no lines, cancelled, shipped,
 * unknown status, unreadable, risk hold), an id twice in one page, then
 * updates, stale and repeated orders and a cancellation of an allocated
 * order (intercepted). Also: a bad order id fails the whole page, the
 * cursor only moves forward, and a table grown well past its statistics
 * is analyzed by the ingest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "db/seed.h"
#include "harness.h"

#define BIG 65536

static char conninfo[1024];
static struct db *db;

/* 0005's sync_ingest loop, one sync_upsert_order per item. */
static const char ref_fn[] =
	"CREATE FUNCTION public.ref_ingest(p_shop bigint, p_items jsonb) "
	"RETURNS jsonb LANGUAGE plpgsql AS $$\n"
	"DECLARE it jsonb; r jsonb; n_ins integer := 0; n_upd integer := 0;\n"
	"  n_same integer := 0; n_stale integer := 0; n_int integer := 0;\n"
	"  n_exc integer := 0;\n"
	"BEGIN\n"
	"  FOR it IN SELECT * FROM jsonb_array_elements(coalesce(p_items, "
	"'[]'))\n"
	"    ORDER BY (value->'order'->>'modified_at')::bigint NULLS FIRST\n"
	"  LOOP\n"
	"    r := wharf.sync_upsert_order(p_shop, it->'order', it->'raw');\n"
	"    CASE r->>'action'\n"
	"    WHEN 'inserted' THEN n_ins := n_ins + 1;\n"
	"    WHEN 'updated' THEN n_upd := n_upd + 1;\n"
	"    WHEN 'same' THEN n_same := n_same + 1;\n"
	"    ELSE n_stale := n_stale + 1;\n"
	"    END CASE;\n"
	"    IF (r->>'intercepted')::boolean THEN n_int := n_int + 1; END IF;\n"
	"    IF r->>'state' = 'exception' AND r->>'action' IN ('inserted', "
	"'updated') THEN n_exc := n_exc + 1; END IF;\n"
	"  END LOOP;\n"
	"  RETURN jsonb_build_object('inserted', n_ins, 'updated', n_upd,\n"
	"    'same', n_same, 'stale', n_stale, 'intercepted', n_int,\n"
	"    'exceptions', n_exc);\n"
	"END $$;";

/* Everything the ingest writes for the shop, ids left out. */
static const char snapshot_sql[] =
	"SELECT coalesce(jsonb_agg(x ORDER BY x->>'pid'), '[]')::text FROM ("
	" SELECT jsonb_build_object('pid', o.platform_order_id, 'state', "
	"  o.state, 'status', o.platform_status, 'reason', "
	"  o.exception_reason, 'icpt', o.intercepted_at IS NOT NULL, "
	"  'ireason', o.intercept_reason, 'buyer', o.buyer_nick, 'rn', "
	"  o.receiver_name, 'ph', o.receiver_phone, 'prov', o.province, "
	"  'city', o.city, 'dist', o.district, 'addr', o.address, 'zip', "
	"  o.zip, 'ctry', o.country, 'remark', o.remark, 'cur', o.currency, "
	"  'total', o.total_minor, 'paid', o.paid_at, 'pc', "
	"  o.platform_created_at, 'pm', o.platform_modified_at, 'raw', o.raw, "
	"  'wh', o.warehouse_id, 'lines', (SELECT coalesce(jsonb_agg("
	"   jsonb_build_object('no', l.line_no, 'lid', l.platform_line_id, "
	"   'sku', l.sku_id, 'psku', l.platform_sku, 'title', l.title, 'qty', "
	"   l.qty, 'price', l.unit_price_minor, 'refund', l.refund_state, "
	"   'alloc', l.qty_allocated, 'picked', l.qty_picked) "
	"   ORDER BY l.line_no), '[]') FROM wharf.order_line l "
	"   WHERE l.order_id = o.id)) AS x "
	" FROM wharf.sales_order o JOIN wharf.shop s ON s.id = o.shop_id "
	" WHERE s.code = 'TB-FLAGSHIP') q";

/*
 * The pages, built from the demo's first two SKU codes (mapped in every
 * shop). %1$s and %2$s are those codes.
 */
static const char pages_sql[] =
	"CREATE TABLE public.page (n integer PRIMARY KEY, items jsonb);"
	"INSERT INTO public.page SELECT 1, format($j$[\n"
	" {\"order\": {\"id\": \"A1\", \"state\": \"READY_TO_SHIP\", "
	"  \"status_raw\": \"WAIT_SELLER_SEND_GOODS\", \"modified_at\": 1000, "
	"  \"created_at\": 900, \"paid_at\": 950, \"currency\": \"cny\", "
	"  \"buyer\": \"b1\", \"receiver_name\": \"r1\", \"phone\": \"p1\", "
	"  \"province\": \"Zhejiang\", \"city\": \"Hangzhou\", \"district\": "
	"  \"Xihu\", \"address\": \"1 Road\", \"zip\": \"310000\", "
	"  \"remark\": \"\", \"total\": 1234, \"lines\": ["
	"  {\"line_id\": \"L1\", \"sku_code\": \"%1$s\", \"title\": \"t\", "
	"   \"qty\": 2, \"unit_price\": 500},"
	"  {\"line_id\": \"L2\", \"sku_code\": \"%2$s\", \"qty\": 1, "
	"   \"unit_price\": 234}]}, \"raw\": {\"n\": 1}},\n"
	" {\"order\": {\"id\": \"A2\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 1001, \"lines\": ["
	"  {\"line_id\": \"L1\", \"sku_code\": \"%1$s\", \"qty\": 1},"
	"  {\"line_id\": \"L2\", \"sku_code\": \"NOPE-1\", \"qty\": 1}]}, "
	"  \"raw\": {\"n\": 2}},\n"
	" {\"order\": {\"id\": \"A3\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 1002, \"lines\": ["
	"  {\"line_id\": \"L1\", \"sku_code\": \"%1$s\", \"qty\": 0}]}, "
	"  \"raw\": {\"n\": 3}},\n"
	" {\"order\": {\"id\": \"A4\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 1003, \"lines\": []}, \"raw\": {\"n\": 4}},\n"
	" {\"order\": {\"id\": \"A5\", \"state\": \"CANCELLED\", "
	"  \"status_raw\": \"TRADE_CLOSED\", \"modified_at\": 1004, "
	"  \"lines\": [{\"line_id\": \"L1\", \"sku_code\": \"%1$s\", "
	"  \"qty\": 1}]}, \"raw\": {\"n\": 5}},\n"
	" {\"order\": {\"id\": \"A6\", \"state\": \"SHIPPED\", "
	"  \"modified_at\": 1005, \"lines\": [{\"line_id\": \"L1\", "
	"  \"sku_code\": \"%1$s\", \"qty\": 1}]}, \"raw\": {\"n\": 6}},\n"
	" {\"order\": {\"id\": \"A7\", \"state\": \"WEIRD\", "
	"  \"status_raw\": \"SOMETHING_NEW\", \"modified_at\": 1006, "
	"  \"lines\": [{\"line_id\": \"L1\", \"sku_code\": \"%1$s\", "
	"  \"qty\": 1}]}, \"raw\": {\"n\": 7}},\n"
	" {\"order\": {\"id\": \"A8\", \"state\": \"UNKNOWN\", \"error\": "
	"  \"bad json\", \"modified_at\": 1007}, \"raw\": {\"n\": 8}},\n"
	" {\"order\": {\"id\": \"A9\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 1100, \"lines\": [{\"line_id\": \"L1\", "
	"  \"sku_code\": \"%2$s\", \"qty\": 3}]}, \"raw\": {\"n\": 91}},\n"
	" {\"order\": {\"id\": \"A9\", \"state\": \"UNPAID\", "
	"  \"modified_at\": 900, \"lines\": [{\"line_id\": \"L1\", "
	"  \"sku_code\": \"%2$s\", \"qty\": 3}]}, \"raw\": {\"n\": 90}},\n"
	" {\"order\": {\"id\": \"A10\", \"state\": \"UNPAID\", "
	"  \"modified_at\": 1009, \"lines\": [{\"line_id\": \"L1\", "
	"  \"sku_code\": \"NOPE-2\", \"qty\": 1}]}, \"raw\": {\"n\": 10}},\n"
	" {\"order\": {\"id\": \"A11\", \"state\": \"READY_TO_SHIP\", "
	"  \"currency\": \"US\", \"country\": \"us\", \"lines\": ["
	"  {\"line_id\": \"L1\", \"sku_code\": \"%2$s\", \"qty\": 1}]}},\n"
	" {\"order\": {\"id\": \"A12\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 1011, \"lines\": ["
	"  {\"line_id\": \"L1\", \"platform_sku_id\": \"PSKU-9\", "
	"   \"qty\": 1}]}, \"raw\": {\"n\": 12}}\n"
	"]$j$, (SELECT code FROM wharf.sku ORDER BY id LIMIT 1), "
	"(SELECT code FROM wharf.sku ORDER BY id OFFSET 1 LIMIT 1))::jsonb;"
	"INSERT INTO public.page SELECT 2, format($j$[\n"
	" {\"order\": {\"id\": \"A1\", \"state\": \"READY_TO_SHIP\", "
	"  \"status_raw\": \"WAIT_SELLER_SEND_GOODS\", \"modified_at\": 1000, "
	"  \"lines\": []}, \"raw\": {\"n\": 1}},\n"
	" {\"order\": {\"id\": \"A2\", \"state\": \"CANCELLED\", "
	"  \"modified_at\": 500, \"lines\": []}, \"raw\": {\"n\": 2}},\n"
	" {\"order\": {\"id\": \"A9\", \"state\": \"REFUNDED\", "
	"  \"status_raw\": \"REFUND_SUCCESS\", \"modified_at\": 2000, "
	"  \"lines\": [{\"line_id\": \"L1\", \"sku_code\": \"%2$s\", "
	"  \"qty\": 3, \"refund\": \"REFUNDED\"}]}, \"raw\": {\"n\": 92}},\n"
	" {\"order\": {\"id\": \"A11\", \"state\": \"ON_HOLD\", "
	"  \"modified_at\": 2001, \"lines\": []}, \"raw\": {\"n\": 11}},\n"
	" {\"order\": {\"id\": \"A6\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 2002, \"lines\": []}, \"raw\": {\"n\": 66}},\n"
	" {\"order\": {\"id\": \"B1\", \"state\": \"READY_TO_SHIP\", "
	"  \"modified_at\": 2003, \"lines\": [{\"line_id\": \"L1\", "
	"  \"sku_code\": \"%1$s\", \"qty\": 1}]}, \"raw\": {\"n\": 101}}\n"
	"]$j$, (SELECT code FROM wharf.sku ORDER BY id LIMIT 1), "
	"(SELECT code FROM wharf.sku ORDER BY id OFFSET 1 LIMIT 1))::jsonb;";

static int setup(void **state)
{
	struct seed_report rep;
	struct wh_error err = { 0 };

	(void)state;
	th_create_db("sync_ingest", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	if (db_seed_demo(db, 1, "2026-11-25", &rep, &err) != WH_OK) {
		fprintf(stderr, "seed: %s\n", err.msg);
		return -1;
	}
	th_exec(db, ref_fn);
	th_exec(db, pages_sql);
	/* Statistics as they are before a first sync. */
	th_exec(db, "ANALYZE wharf.sales_order; ANALYZE wharf.order_line;");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	th_drop_db("sync_ingest");
	return 0;
}

/*
 * Ingests page n with the reference (rolled back) and with
 * wharf.sync_ingest (committed); both must return and leave the same.
 */
static void same_as_reference(int n)
{
	static char ref_r[BIG], ref_s[BIG], new_r[BIG], new_s[BIG];
	char sql[512];

	th_exec(db, "BEGIN");
	snprintf(sql, sizeof(sql), "SELECT public.ref_ingest((SELECT id FROM "
		 "wharf.shop WHERE code = 'TB-FLAGSHIP'), (SELECT items FROM "
		 "public.page WHERE n = %d))::text", n);
	th_text(db, sql, ref_r, sizeof(ref_r));
	th_text(db, snapshot_sql, ref_s, sizeof(ref_s));
	th_exec(db, "ROLLBACK");

	th_exec(db, "BEGIN");
	snprintf(sql, sizeof(sql), "SELECT wharf.sync_ingest((SELECT id FROM "
		 "wharf.shop WHERE code = 'TB-FLAGSHIP'), (SELECT items FROM "
		 "public.page WHERE n = %d), 'orders', NULL)::text", n);
	th_text(db, sql, new_r, sizeof(new_r));
	th_text(db, snapshot_sql, new_s, sizeof(new_s));
	th_exec(db, "COMMIT");

	assert_string_equal(new_r, ref_r);
	assert_string_equal(new_s, ref_s);
}

static void test_pages_match_reference(void **unused)
{
	char buf[256];

	(void)unused;
	same_as_reference(1);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order o "
				"JOIN wharf.shop s ON s.id = o.shop_id WHERE "
				"s.code = 'TB-FLAGSHIP' AND "
				"o.platform_order_id ~ '^A[0-9]+$'"), 12);
	/* The cases really are what the page meant them to be. */
	th_text(db, "SELECT string_agg(platform_order_id || '=' || state, ' ' "
		"ORDER BY length(platform_order_id), platform_order_id) FROM "
		"wharf.sales_order WHERE platform_order_id ~ '^A[0-9]+$'", buf,
		sizeof(buf));
	assert_string_equal(buf, "A1=new A2=exception A3=exception "
			    "A4=exception A5=cancelled A6=on_hold "
			    "A7=exception A8=exception A9=new A10=exception "
			    "A11=new A12=exception");
	th_text(db, "SELECT exception_reason FROM wharf.sales_order WHERE "
		"platform_order_id = 'A12'", buf, sizeof(buf));
	assert_string_equal(buf, "unmapped SKU: line 1 (PSKU-9)");

	/* Allocate A1, A9 and A11, then page 2 updates and cancels. */
	th_exec(db, "SELECT wharf.allocate_pending(id, 100) FROM "
		"wharf.warehouse");
	assert_true(th_int(db, "SELECT count(*) FROM wharf.order_line l JOIN "
			   "wharf.sales_order o ON o.id = l.order_id WHERE "
			   "o.platform_order_id = 'A9' AND l.qty_allocated > "
			   "0") == 1);
	same_as_reference(2);
	/* Intercepted by the engine, its stock released. */
	th_text(db, "SELECT intercept_reason FROM wharf.sales_order WHERE "
		"platform_order_id = 'A9' AND intercepted_at IS NOT NULL", buf,
		sizeof(buf));
	assert_string_equal(buf, "refunded");
	assert_int_equal(th_int(db, "SELECT coalesce(sum(a.qty), 0) FROM "
				"wharf.allocation a JOIN wharf.order_line l ON "
				"l.id = a.order_line_id JOIN wharf.sales_order "
				"o ON o.id = l.order_id WHERE "
				"o.platform_order_id = 'A9'"), 0);

	/* The same pages again change nothing. */
	same_as_reference(1);
	same_as_reference(2);
	th_text(db, "SELECT wharf.sync_ingest((SELECT id FROM wharf.shop "
		"WHERE code = 'TB-FLAGSHIP'), (SELECT items FROM public.page "
		"WHERE n = 2), 'orders', NULL)->>'same'", buf, sizeof(buf));
	assert_string_equal(buf, "5");
}

static void test_bad_id_fails_page(void **unused)
{
	char msg[512];
	int64_t before;

	(void)unused;
	before = th_int(db, "SELECT count(*) FROM wharf.sales_order");
	th_exec_fails(db, "SELECT wharf.sync_ingest((SELECT id FROM "
		      "wharf.shop WHERE code = 'JD-SELF'), jsonb_build_array("
		      "jsonb_build_object('order', jsonb_build_object('id', "
		      "'C1', 'state', 'READY_TO_SHIP')), jsonb_build_object("
		      "'order', jsonb_build_object('id', repeat('x', 65), "
		      "'state', 'READY_TO_SHIP'))), 'orders', NULL)", msg,
		      sizeof(msg));
	assert_non_null(strstr(msg, "BAD_ORDER"));
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order"),
			 before);
	th_exec_fails(db, "SELECT wharf.sync_ingest(-1, '[]', 'orders', NULL)",
		      msg, sizeof(msg));
	assert_non_null(strstr(msg, "NO_SHOP"));
}

static void test_watermark(void **unused)
{
	(void)unused;
	th_exec(db, "SELECT wharf.sync_ingest((SELECT id FROM wharf.shop WHERE "
		"code = 'PDD-MAIN'), '[]', 'orders', to_timestamp(2000))");
	th_exec(db, "SELECT wharf.sync_ingest((SELECT id FROM wharf.shop WHERE "
		"code = 'PDD-MAIN'), NULL, 'orders', to_timestamp(1000))");
	assert_int_equal(th_int(db, "SELECT extract(epoch FROM watermark)::int "
				"FROM wharf.sync_cursor c JOIN wharf.shop s ON "
				"s.id = c.shop_id WHERE s.code = 'PDD-MAIN'"),
			 2000);
}

/* A table grown past twice its statistics is analyzed by the ingest. */
static void test_outgrown_stats_refreshed(void **unused)
{
	int64_t r0;

	(void)unused;
	th_exec(db, "ANALYZE wharf.sales_order");
	r0 = th_int(db, "SELECT relpages FROM pg_class WHERE oid = "
		    "'wharf.sales_order'::regclass");
	for (int p = 0; p < 6; p++) {
		char sql[1024];

		snprintf(sql, sizeof(sql), "SELECT wharf.sync_ingest((SELECT "
			 "id FROM wharf.shop WHERE code = 'TM-BABY'), (SELECT "
			 "jsonb_agg(jsonb_build_object('order', "
			 "jsonb_build_object('id', 'G%d-' || g, 'state', "
			 "'READY_TO_SHIP', 'modified_at', 1000 + g, 'lines', "
			 "'[]'::jsonb), 'raw', jsonb_build_object('pad', "
			 "repeat('x', 600)))) FROM generate_series(1, 200) g), "
			 "'orders', NULL)", p);
		th_exec(db, sql);
	}
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE platform_order_id LIKE 'G%'"), 1200);
	assert_true(th_int(db, "SELECT relpages FROM pg_class WHERE oid = "
			   "'wharf.sales_order'::regclass") > r0);
	assert_true(th_int(db, "SELECT relpages FROM pg_class WHERE oid = "
			   "'wharf.sales_order'::regclass") >= 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_match_reference),
		cmocka_unit_test(test_bad_id_fails_page),
		cmocka_unit_test(test_watermark),
		cmocka_unit_test(test_outgrown_stats_refreshed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
