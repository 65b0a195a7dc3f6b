/*
 * test_pack.c - the pack desk's database functions (0007_pack.sql through
 * db/pack.h) on the demo data: a two-line order picked with the engine's
 * own functions, verified, shipped with its label, voided, shipped again;
 * the exception queue; lookups by tote, order and tracking number; an
 * intercepted order refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/engine.h"
#include "db/pack.h"
#include "db/seed.h"
#include "harness.h"

static char ci[512];
static struct db *db;
static int64_t packer, wh;
static int serial;

/* A two-line order of warehouse SH (2 + 1 units of two FEFO SKUs),
 * allocated, released in a wave by "lead" and picked by "picker1": the
 * same SQL calls a supervisor's and a picker's screens make. */
static int64_t make_picked(void)
{
	char sql[8192], no[32];

	snprintf(no, sizeof(no), "PK-%d", ++serial);
	snprintf(sql, sizeof(sql),
"DROP TABLE IF EXISTS pick_sku;"
"CREATE TEMP TABLE pick_sku AS SELECT s.sku_id, min(l.walk_seq) AS ws"
" FROM wharf.stock s JOIN wharf.location l ON l.id = s.location_id"
" JOIN wharf.sku k ON k.id = s.sku_id JOIN wharf.lot lt ON lt.id = s.lot_id"
" JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'"
" WHERE l.kind = 'pick' AND k.lot_control = 'fefo'"
"  AND s.on_hand - s.allocated >= 5"
"  AND wharf.lot_sellable(lt.expiry, k.min_remaining_days, current_date)"
" GROUP BY s.sku_id ORDER BY min(l.walk_seq) LIMIT 2;"
"WITH o AS (INSERT INTO wharf.sales_order (warehouse_id, shop_id,"
"  platform_order_id, state, carrier, receiver_name, receiver_phone,"
"  province, city, district, address)"
" SELECT w.id, (SELECT id FROM wharf.shop WHERE warehouse_id = w.id"
"  ORDER BY id LIMIT 1), '%s', 'new', 'SF', E'\\u674e\\u96f7\\u0007',"
"  '13800138000', E'\\u5e7f\\u4e1c\\u7701', E'\\u6df1\\u5733\\u5e02',"
"  E'\\u5357\\u5c71\\u533a', E'\\u79d1\\u6280\\u56ed 1 \\u53f7\\n2F'"
" FROM wharf.warehouse w WHERE w.code = 'SH' RETURNING id)"
"INSERT INTO wharf.order_line (order_id, line_no, platform_line_id, sku_id,"
"  platform_sku, title, qty, unit_price_minor)"
" SELECT o.id, p.n, 'L' || p.n, p.sku_id, k.code, k.name,"
"  CASE p.n WHEN 1 THEN 2 ELSE 1 END, 1000"
" FROM o CROSS JOIN (SELECT sku_id, row_number() OVER (ORDER BY ws) AS n"
"  FROM pick_sku) p JOIN wharf.sku k ON k.id = p.sku_id;"
"SELECT wharf.allocate(o.id, gen_random_uuid(),"
"  (SELECT id FROM wharf.app_user WHERE login = 'lead'))"
" FROM wharf.sales_order o WHERE o.platform_order_id = '%s';"
"SELECT wharf.write_wave(o.warehouse_id, 'multi_item',"
" (SELECT id FROM wharf.app_user WHERE login = 'lead'), NULL,"
" jsonb_build_object('orders', jsonb_build_array(jsonb_build_object("
"  'o', o.id, 't', 1, 's', 1)),"
"  'tasks', (SELECT jsonb_agg(jsonb_build_object('w', t.w, 'l', t.l,"
"   'k', t.k, 'q', t.q, 'n', t.n, 't', 1, 's', 1, 'o', o.id) ORDER BY t.w)"
"   FROM (SELECT row_number() OVER (ORDER BY loc.walk_seq, a.location_id,"
"     a.sku_id) AS w, a.location_id AS l, a.sku_id AS k, a.lot_id AS q,"
"     sum(a.qty) AS n FROM wharf.allocation a"
"    JOIN wharf.order_line ol ON ol.id = a.order_line_id"
"    JOIN wharf.location loc ON loc.id = a.location_id"
"    WHERE ol.order_id = o.id"
"    GROUP BY a.location_id, a.sku_id, a.lot_id, loc.walk_seq) t)))"
" FROM wharf.sales_order o WHERE o.platform_order_id = '%s';"
"SELECT wharf.confirm_pick(t.id, l.code, (SELECT b.code FROM wharf.barcode b"
"  WHERE b.sku_id = t.sku_id AND b.kind = 'gtin' ORDER BY b.code LIMIT 1),"
"  lt.lot_code, t.qty, gen_random_uuid(),"
"  (SELECT id FROM wharf.app_user WHERE login = 'picker1'), NULL)"
" FROM wharf.pick_task t JOIN wharf.location l ON l.id = t.location_id"
" LEFT JOIN wharf.lot lt ON lt.id = t.lot_id"
" JOIN wharf.sales_order o ON o.id = t.order_id"
" WHERE o.platform_order_id = '%s' AND t.kind = 'pick'"
" ORDER BY t.seq, t.id;",
		 no, no, no, no);
	th_exec(db, sql);
	snprintf(sql, sizeof(sql), "SELECT id FROM wharf.sales_order WHERE "
		 "platform_order_id = '%s' AND state = 'picked'", no);
	return th_int(db, sql);
}

static int64_t q_int(const char *fmt, int64_t id)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), fmt, (long long)id);
	return th_int(db, sql);
}

static void op(char buf[ENGINE_OP_ID_SIZE])
{
	struct wh_error e;

	assert_int_equal(engine_op_id(buf, ENGINE_OP_ID_SIZE, &e), WH_OK);
}

static void verified(void)
{
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.verify()"), 0);
}

/* Scans every unit of the order at the desk. */
static void pack_all(int64_t id)
{
	struct engine_actor who = { .user_id = packer };
	struct engine_pack_result r;
	struct pack_order *o = calloc(1, sizeof(*o));
	struct wh_error e;
	char o_id[ENGINE_OP_ID_SIZE];
	size_t i;
	int u;

	assert_non_null(o);
	assert_int_equal(pack_load(db, id, "en", o, &e), WH_OK);
	for (i = 0; i < o->nlines; i++)
		for (u = 0; u < o->line[i].qty - o->line[i].packed; u++) {
			op(o_id);
			assert_int_equal(engine_pack_verify(db, id,
				o->line[i].barcode, NULL, o_id, &who, &r, &e),
				WH_OK);
		}
	assert_true(r.order_packed);
	free(o);
}

static const unsigned char label[] = "^XA^FO0,0^GFA,2,2,1,FF00^FS\0^XZ";

static int64_t ship(int64_t id, char tracking[PACK_TRACKING_SIZE],
		    struct engine_ship_result *sr)
{
	struct engine_actor who = { .user_id = packer };
	struct wh_error e;
	char o_id[ENGINE_OP_ID_SIZE];
	struct pack_ship s = {
		.order_id = id, .carrier = "SF", .weight_g = 1250,
		.carton = "C2", .format = "zpl", .label = label,
		.label_len = sizeof(label), .op_id = o_id,
	};

	op(o_id);
	assert_int_equal(pack_issue_tracking(db, id, "SF", o_id, tracking, &e),
			 WH_OK);
	s.tracking = tracking;
	assert_int_equal(pack_ship_with_label(db, &s, &who, sr, &e), WH_OK);
	assert_false(sr->replayed);
	/* the same operation again: a replay, nothing new */
	{
		struct engine_ship_result again;

		assert_int_equal(pack_ship_with_label(db, &s, &who, &again,
						      &e), WH_OK);
		assert_true(again.replayed);
		assert_int_equal(again.shipment_id, sr->shipment_id);
	}
	return sr->shipment_id;
}

static int setup(void **state)
{
	struct wh_error e;

	(void)state;
	th_create_db("pack", true, ci, sizeof(ci));
	db = th_connect(ci);
	if (db_seed_demo(db, 1, NULL, NULL, &e) != WH_OK)
		fail_msg("seed: %s", e.msg);
	packer = th_int(db, "SELECT id FROM wharf.app_user "
			"WHERE login = 'packer1'");
	wh = th_int(db, "SELECT id FROM wharf.warehouse WHERE code = 'SH'");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	th_drop_db("pack");
	return 0;
}

static void test_tracking_per_op(void **state)
{
	char a[PACK_TRACKING_SIZE], b[PACK_TRACKING_SIZE];
	char c[PACK_TRACKING_SIZE];
	char o1[ENGINE_OP_ID_SIZE], o2[ENGINE_OP_ID_SIZE];
	struct wh_error e;
	int64_t id = th_int(db, "SELECT min(id) FROM wharf.sales_order");
	size_t i;

	(void)state;
	op(o1);
	op(o2);
	assert_int_equal(pack_issue_tracking(db, id, "SF", o1, a, &e), WH_OK);
	assert_int_equal(pack_issue_tracking(db, id, "SF", o1, b, &e), WH_OK);
	assert_string_equal(a, b);
	assert_int_equal(pack_issue_tracking(db, id, "sf", o2, c, &e), WH_OK);
	assert_string_not_equal(a, c);
	/* SF + 12 digits */
	assert_int_equal(strlen(a), 14);
	assert_memory_equal(a, "SF", 2);
	for (i = 2; i < 14; i++)
		assert_true(a[i] >= '0' && a[i] <= '9');
	op(o2);
	assert_int_equal(pack_issue_tracking(db, id, "JD", o2, c, &e), WH_OK);
	assert_memory_equal(c, "JDV", 3);
	assert_int_equal(strlen(c), 15);
}

static void test_verify_refusals_and_ship_with_label(void **state)
{
	struct engine_actor who = { .user_id = packer };
	struct engine_pack_result r;
	struct engine_ship_result sr;
	struct pack_order *o = calloc(1, sizeof(*o));
	struct wh_error e;
	char o_id[ENGINE_OP_ID_SIZE], tracking[PACK_TRACKING_SIZE];
	char fmt[8], other[64], sql[512];
	unsigned char *data;
	size_t len;
	int64_t id = make_picked(), sh, found;

	(void)state;
	assert_non_null(o);
	assert_int_equal(pack_load(db, id, "zh_CN", o, &e), WH_OK);
	assert_int_equal(o->nlines, 2);
	assert_int_equal(o->units, 3);
	assert_int_equal(o->picked, 3);
	assert_false(o->intercepted);
	assert_string_equal(o->carrier, "SF");
	assert_true(o->tote[0] == 'T');
	assert_int_equal(o->slot, 1);

	/* a SKU that is not in the order */
	snprintf(sql, sizeof(sql), "SELECT code FROM wharf.barcode WHERE "
		 "kind = 'gtin' AND sku_id NOT IN (SELECT sku_id FROM "
		 "wharf.order_line WHERE order_id = %lld) ORDER BY code LIMIT 1",
		 (long long)id);
	th_text(db, sql, other, sizeof(other));
	op(o_id);
	assert_int_equal(engine_pack_verify(db, id, other, NULL, o_id, &who,
					    &r, &e), WH_ERR_REFUSED);
	assert_int_equal(engine_reason_of(&e), ENGINE_R_WRONG_ITEM);
	/* a lot the order does not hold */
	assert_int_equal(engine_pack_verify(db, id, o->line[1].barcode, "NOPE",
					    o_id, &who, &r, &e),
			 WH_ERR_REFUSED);
	assert_int_equal(engine_reason_of(&e), ENGINE_R_WRONG_LOT);
	/* the one-unit line twice */
	op(o_id);
	assert_int_equal(engine_pack_verify(db, id, o->line[1].barcode, NULL,
					    o_id, &who, &r, &e), WH_OK);
	op(o_id);
	assert_int_equal(engine_pack_verify(db, id, o->line[1].barcode, NULL,
					    o_id, &who, &r, &e),
			 WH_ERR_REFUSED);
	assert_int_equal(engine_reason_of(&e), ENGINE_R_EXTRA_UNIT);
	pack_all(id);

	sh = ship(id, tracking, &sr);
	assert_true(sr.outbox_id > 0);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.outbox WHERE "
			       "kind = 'ship_confirm' AND order_id = %lld", id),
			 1);
	assert_int_equal(pack_label_get(db, id, fmt, &data, &len, &e), WH_OK);
	assert_string_equal(fmt, "zpl");
	assert_int_equal(len, sizeof(label));
	assert_memory_equal(data, label, len);
	free(data);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.shipment WHERE id = "
			       "%lld AND carton = 'C2' AND weight_g = 1250 AND "
			       "state = 'shipped'", sh), 1);
	assert_int_equal(q_int("SELECT sum(qty) FROM wharf.shipment_content "
			       "WHERE shipment_id = %lld", sh), 3);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.audit_log WHERE "
			       "action = 'store_label' AND entity_id = %lld",
			       sh), 1);
	/* found again by its tracking number and by its order number */
	assert_int_equal(pack_find(db, wh, tracking, &found, &e), WH_OK);
	assert_int_equal(found, id);
	assert_int_equal(pack_load(db, id, "en", o, &e), WH_OK);
	assert_string_equal(o->state, "shipped");
	assert_string_equal(o->tracking, tracking);
	assert_int_equal(pack_find(db, wh, o->order_no, &found, &e), WH_OK);
	assert_int_equal(found, id);
	assert_int_equal(pack_find(db, wh, "NO-SUCH-THING", &found, &e),
			 WH_ERR_NOT_FOUND);
	verified();
	free(o);
}

static void test_void_returns_order_to_packable(void **state)
{
	struct engine_actor who = { .user_id = packer };
	struct engine_ship_result sr, sr2;
	struct wh_error e;
	char o_id[ENGINE_OP_ID_SIZE], t1[PACK_TRACKING_SIZE];
	char t2[PACK_TRACKING_SIZE], fmt[8];
	unsigned char *data;
	size_t len;
	int64_t id = make_picked(), sh, tote_units;

	(void)state;
	tote_units = q_int("SELECT sum(ps.qty) FROM wharf.picked_stock ps JOIN "
			   "wharf.order_line l ON l.id = ps.order_line_id "
			   "WHERE l.order_id = %lld", id);
	assert_int_equal(tote_units, 3);
	pack_all(id);
	sh = ship(id, t1, &sr);
	op(o_id);
	assert_int_equal(pack_void(db, id, "label smudged", o_id, &who, &e),
			 WH_OK);
	/* a replay changes nothing */
	assert_int_equal(pack_void(db, id, "label smudged", o_id, &who, &e),
			 WH_OK);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.sales_order WHERE "
			       "id = %lld AND state = 'picked'", id), 1);
	assert_int_equal(q_int("SELECT sum(qty_packed) + sum(qty_shipped) "
			       "FROM wharf.order_line WHERE order_id = %lld",
			       id), 0);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.shipment WHERE "
			       "id = %lld AND state = 'voided'", sh), 1);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.outbox WHERE "
			       "order_id = %lld AND state = 'superseded'", id),
			 1);
	assert_int_equal(q_int("SELECT sum(ps.qty) FROM wharf.picked_stock ps "
			       "JOIN wharf.order_line l ON l.id = "
			       "ps.order_line_id WHERE l.order_id = %lld", id),
			 tote_units);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.audit_log WHERE "
			       "action = 'void_shipment' AND entity_id = %lld",
			       id), 1);
	assert_int_equal(pack_label_get(db, id, fmt, &data, &len, &e),
			 WH_ERR_NOT_FOUND);
	verified();
	/* nothing left to void */
	op(o_id);
	assert_int_equal(pack_void(db, id, "again", o_id, &who, &e),
			 WH_ERR_REFUSED);

	/* packable again: verified and shipped with a new number */
	pack_all(id);
	ship(id, t2, &sr2);
	assert_string_not_equal(t1, t2);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.shipment WHERE "
			       "order_id = %lld", id), 2);
	verified();

	/* once the platform has the tracking number, no void here */
	th_exec(db, "UPDATE wharf.outbox SET state = 'done' WHERE state = "
		"'pending' AND kind = 'ship_confirm'");
	op(o_id);
	assert_int_equal(pack_void(db, id, "late", o_id, &who, &e),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(e.msg, "already has tracking"));
}

static void test_exception_queue(void **state)
{
	struct engine_actor who = { .user_id = packer };
	struct engine_actor picker = { 0 };
	struct engine_pack_result r;
	struct pack_order *o = calloc(1, sizeof(*o));
	struct wh_error e;
	char o_id[ENGINE_OP_ID_SIZE], reason[128], sql[256];
	int64_t id = make_picked();

	(void)state;
	assert_non_null(o);
	assert_int_equal(pack_load(db, id, "en", o, &e), WH_OK);
	op(o_id);
	assert_int_equal(engine_pack_verify(db, id, o->line[0].barcode, NULL,
					    o_id, &who, &r, &e), WH_OK);
	op(o_id);
	assert_int_equal(pack_exception(db, id, "  ", o_id, &who, &e),
			 WH_ERR_REFUSED);
	picker.user_id = th_int(db, "SELECT id FROM wharf.app_user WHERE "
				"login = 'picker1'");
	assert_int_equal(pack_exception(db, id, "Unit missing", o_id, &picker,
					&e), WH_ERR_PERM);
	assert_int_equal(pack_exception(db, id, "Unit missing", o_id, &who,
					&e), WH_OK);
	snprintf(sql, sizeof(sql), "SELECT state || ' ' || exception_reason "
		 "FROM wharf.sales_order WHERE id = %lld", (long long)id);
	th_text(db, sql, reason, sizeof(reason));
	assert_string_equal(reason, "exception pack: Unit missing");
	assert_int_equal(q_int("SELECT sum(qty_packed) FROM wharf.order_line "
			       "WHERE order_id = %lld", id), 0);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.audit_log WHERE "
			       "action = 'pack_exception' AND entity_id = "
			       "%lld", id), 1);
	/* no longer packable */
	op(o_id);
	assert_int_equal(engine_pack_verify(db, id, o->line[0].barcode, NULL,
					    o_id, &who, &r, &e),
			 WH_ERR_REFUSED);
	assert_int_equal(engine_reason_of(&e), ENGINE_R_NOT_PICKED);
	verified();
	free(o);
}

static void test_tote_lookup_and_intercept(void **state)
{
	struct engine_actor who = { .user_id = packer };
	struct engine_ship_result sr;
	struct pack_order *o = calloc(1, sizeof(*o));
	struct wh_error e;
	char o_id[ENGINE_OP_ID_SIZE], sql[256];
	int64_t id = make_picked(), found;
	struct pack_ship s = {
		.order_id = id, .carrier = "SF", .tracking = "SF000000000001",
		.weight_g = 900, .format = "zpl", .label = label,
		.label_len = sizeof(label), .op_id = o_id,
	};

	(void)state;
	assert_non_null(o);
	assert_int_equal(pack_load(db, id, "en", o, &e), WH_OK);
	assert_int_equal(pack_find(db, wh, o->tote, &found, &e), WH_OK);
	assert_int_equal(found, id);
	pack_all(id);
	snprintf(sql, sizeof(sql), "SELECT wharf.intercept(%lld, 'refund "
		 "requested', gen_random_uuid())", (long long)id);
	th_exec(db, sql);
	assert_int_equal(pack_load(db, id, "en", o, &e), WH_OK);
	assert_true(o->intercepted);
	assert_string_equal(o->intercept_reason, "refund requested");
	assert_int_equal(o->picked, 3);
	assert_string_equal(o->putback, o->tote);
	op(o_id);
	assert_int_equal(pack_ship_with_label(db, &s, &who, &sr, &e),
			 WH_ERR_REFUSED);
	assert_int_equal(engine_reason_of(&e), ENGINE_R_INTERCEPTED);
	assert_int_equal(q_int("SELECT count(*) FROM wharf.shipment WHERE "
			       "order_id = %lld", id), 0);
	verified();
	free(o);
}

static void test_label_data_sanitised(void **state)
{
	struct wh_error e;
	char *json;
	int64_t id = make_picked();

	(void)state;
	assert_int_equal(pack_label_data(db, id, "SF000000000002", 1250, &json,
					 &e), WH_OK);
	/* the bell in the name and the newline in the address are gone */
	assert_null(strchr(json, '\a'));
	assert_null(strstr(json, "\\u0007"));
	assert_null(strstr(json, "\\n"));
	assert_non_null(strstr(json, "\"tracking\": \"SF000000000002\""));
	assert_non_null(strstr(json, "\"weight_kg\": \"1.250\""));
	assert_non_null(strstr(json, "\"sort_code\""));
	assert_non_null(strstr(json, "13800138000"));
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracking_per_op),
		cmocka_unit_test(test_verify_refusals_and_ship_with_label),
		cmocka_unit_test(test_void_returns_order_to_packable),
		cmocka_unit_test(test_exception_queue),
		cmocka_unit_test(test_tote_lookup_and_intercept),
		cmocka_unit_test(test_label_data_sanitised),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
