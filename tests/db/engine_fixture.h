/*
 * engine_fixture.h - a small warehouse for the engine's database tests.
 *
 * Owner: the engine tests. Header-only (static functions) because
 * tests/db/CMakeLists.txt builds each test_*.c on its own with the harness.
 *
 * ef_open() makes a fresh migrated database (th_create_db) and loads:
 *   warehouse W1: pick faces A-01..A-03 (walk 10, 20, 30), storage R-01,
 *     R-02 (walk 100, 110), dock RCV, quarantine Q-01, pack PACK, totes
 *     T01..T40 (8 slots); warehouse W2 with a pick face B-01 and TRANSIT.
 *   SKUs: FEFO1 (fefo, 365 d shelf life, 30 d must remain), FIFO1 (fifo),
 *     NONE1 (no lots). Barcodes: 6900000000011 (FEFO1 unit), 16900000000018
 *     (FEFO1 case of 12), 6900000000028 (FIFO1), NONE1 (NONE1).
 *   Lots: FEFO1 L1 (exp today+100), L2 (today+200), L0 (today+60),
 *     LX (today+10: inside the 30 d, past ship-by); FIFO1 F1 (received 10
 *     days ago), F2 (5 days ago).
 *   Shop S1 (taobao) on W1; users p1, p2 (picker), k1 (packer), r1
 *     (receiver), s1 (supervisor); station H1.
 * No stock: each test puts what it needs with ef_stock().
 */
#ifndef WHARF_TESTS_DB_ENGINE_FIXTURE_H
#define WHARF_TESTS_DB_ENGINE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "db/engine.h"
#include "harness.h"

static const char ef_sql[] =
	"INSERT INTO wharf.warehouse (code, name) VALUES ('W1', 'One'), "
	"  ('W2', 'Two');"
	"INSERT INTO wharf.zone (warehouse_id, code, name) "
	"  SELECT id, 'A', 'All' FROM wharf.warehouse;"
	"INSERT INTO wharf.location (warehouse_id, zone_id, code, kind, walk_seq) "
	"  SELECT w.id, z.id, l.code, l.kind::wharf.location_kind, l.seq "
	"  FROM wharf.warehouse w JOIN wharf.zone z ON z.warehouse_id = w.id "
	"  CROSS JOIN (VALUES ('A-01','pick',10), ('A-02','pick',20), "
	"   ('A-03','pick',30), ('R-01','storage',100), ('R-02','storage',110), "
	"   ('RCV','receiving',0), ('Q-01','quarantine',900), "
	"   ('PACK','pack',990)) AS l(code, kind, seq) WHERE w.code = 'W1';"
	"INSERT INTO wharf.location (warehouse_id, zone_id, code, kind, walk_seq) "
	"  SELECT w.id, z.id, l.code, l.kind::wharf.location_kind, l.seq "
	"  FROM wharf.warehouse w JOIN wharf.zone z ON z.warehouse_id = w.id "
	"  CROSS JOIN (VALUES ('B-01','pick',10), ('TRANSIT','transit',999)) "
	"  AS l(code, kind, seq) WHERE w.code = 'W2';"
	"INSERT INTO wharf.location (warehouse_id, zone_id, code, kind) "
	"  SELECT w.id, z.id, format('T%s', lpad(n::text, 2, '0')), 'tote' "
	"  FROM wharf.warehouse w JOIN wharf.zone z ON z.warehouse_id = w.id "
	"  CROSS JOIN generate_series(1, 40) n WHERE w.code = 'W1';"
	"INSERT INTO wharf.tote (warehouse_id, code, location_id, slots) "
	"  SELECT warehouse_id, code, id, 8 FROM wharf.location "
	"  WHERE kind = 'tote';"
	"INSERT INTO wharf.sku (code, name, lot_control, shelf_life_days, "
	"  min_remaining_days) VALUES ('FEFO1', 'Formula 1', 'fefo', 365, 30), "
	"  ('FIFO1', 'Cable 1', 'fifo', NULL, 0), "
	"  ('NONE1', 'Shirt 1', 'none', NULL, 0);"
	"INSERT INTO wharf.barcode (code, sku_id, pack_qty, kind) "
	"  SELECT b.code, s.id, b.pack, b.kind FROM (VALUES "
	"   ('6900000000011', 'FEFO1', 1, 'gtin'), "
	"   ('16900000000018', 'FEFO1', 12, 'case'), "
	"   ('6900000000028', 'FIFO1', 1, 'gtin'), "
	"   ('NONE1', 'NONE1', 1, 'internal')) AS b(code, sku, pack, kind) "
	"  JOIN wharf.sku s ON s.code = b.sku;"
	"INSERT INTO wharf.lot (sku_id, lot_code, expiry, first_received_at) "
	"  SELECT s.id, l.code, current_date + l.d, now() - l.age "
	"  FROM (VALUES ('FEFO1','L1',100,interval '3 days'), "
	"   ('FEFO1','L2',200,interval '2 days'), "
	"   ('FEFO1','L0',60,interval '9 days'), "
	"   ('FEFO1','LX',10,interval '30 days')) AS l(sku, code, d, age) "
	"  JOIN wharf.sku s ON s.code = l.sku;"
	"INSERT INTO wharf.lot (sku_id, lot_code, expiry, first_received_at) "
	"  SELECT s.id, l.code, NULL, now() - l.age "
	"  FROM (VALUES ('F1', interval '10 days'), ('F2', interval '5 days')) "
	"  AS l(code, age) CROSS JOIN wharf.sku s WHERE s.code = 'FIFO1';"
	"INSERT INTO wharf.shop (code, platform, name, warehouse_id) "
	"  SELECT 'S1', 'taobao', 'Shop 1', id FROM wharf.warehouse "
	"  WHERE code = 'W1';"
	"INSERT INTO wharf.app_user (login, display_name, role, pin_hash) "
	"  VALUES ('p1', 'Picker 1', 'picker', 'x'), "
	"  ('p2', 'Picker 2', 'picker', 'x'), ('k1', 'Packer', 'packer', 'x'), "
	"  ('r1', 'Receiver', 'receiver', 'x'), "
	"  ('s1', 'Supervisor', 'supervisor', 'x');"
	"INSERT INTO wharf.station (code, warehouse_id, kind) "
	"  SELECT 'H1', id, 'handheld' FROM wharf.warehouse WHERE code = 'W1';";

/* One value of a parameterized query (fails the test on error). */
static inline int64_t ef_q(struct db *db, const char *sql, int n,
			   const char *const *p)
{
	struct wh_error err;
	struct db_result *r;
	int64_t v;

	if (db_exec(db, sql, n, p, &r, &err) != WH_OK)
		fail_msg("%s\n  in: %s", err.msg, sql);
	if (db_result_rows(r) != 1)
		fail_msg("expected one row, got %d: %s", db_result_rows(r), sql);
	v = db_result_int64(r, 0, 0);
	db_result_free(r);
	return v;
}

/* The rows of a query with one id parameter $1 (fails the test on
 * error); the caller frees them. */
static inline struct db_result *ef_rows(struct db *db, const char *sql,
					int64_t id)
{
	struct wh_error err;
	struct db_result *r;
	char b[24];
	const char *p[] = { b };

	snprintf(b, sizeof(b), "%lld", (long long)id);
	if (db_exec(db, sql, 1, p, &r, &err) != WH_OK)
		fail_msg("%s\n  in: %s", err.msg, sql);
	return r;
}

static inline int64_t ef_q1(struct db *db, const char *sql, const char *a)
{
	const char *p[] = { a };

	return ef_q(db, sql, 1, p);
}

static inline struct db *ef_open(const char *prefix, char *conninfo,
				 size_t n)
{
	struct db *db;

	th_create_db(prefix, true, conninfo, n);
	db = th_connect(conninfo);
	th_exec(db, ef_sql);
	return db;
}

static inline int64_t ef_user(struct db *db, const char *login)
{
	return ef_q1(db, "SELECT id FROM wharf.app_user WHERE login = $1",
		     login);
}

static inline int64_t ef_wh(struct db *db, const char *code)
{
	return ef_q1(db, "SELECT id FROM wharf.warehouse WHERE code = $1",
		     code);
}

static inline int64_t ef_loc(struct db *db, const char *code)
{
	return ef_q1(db, "SELECT id FROM wharf.location WHERE code = $1",
		     code);
}

static inline int64_t ef_sku(struct db *db, const char *code)
{
	return ef_q1(db, "SELECT id FROM wharf.sku WHERE code = $1", code);
}

static inline int64_t ef_lot(struct db *db, const char *code)
{
	return ef_q1(db, "SELECT id FROM wharf.lot WHERE lot_code = $1", code);
}

/* Puts qty units of sku/lot (lot NULL: none) into a location, through the
 * ledger. */
static inline void ef_stock(struct db *db, const char *loc, const char *sku,
			    const char *lot, int qty)
{
	char q[16];
	const char *p[] = { loc, sku, lot, q };

	snprintf(q, sizeof(q), "%d", qty);
	ef_q(db,
	     "WITH m AS (INSERT INTO wharf.stock_move (warehouse_id, kind, "
	     " sku_id, lot_id, to_location_id, qty) "
	     " SELECT l.warehouse_id, 'receive', s.id, "
	     "  (SELECT id FROM wharf.lot WHERE lot_code = $3 AND sku_id = s.id), "
	     "  l.id, $4::int FROM wharf.location l, wharf.sku s "
	     " WHERE l.code = $1 AND s.code = $2 RETURNING 1) "
	     "SELECT count(*) FROM m",
	     4, p);
}

/* A new order of shop S1 with up to three lines (sku NULL ends). */
static inline int64_t ef_order(struct db *db, const char *platform_id,
			       const char *sku1, int q1, const char *sku2,
			       int q2, const char *sku3, int q3)
{
	const char *skus[] = { sku1, sku2, sku3 };
	int qs[] = { q1, q2, q3 };
	const char *p[4];
	char qbuf[16], idbuf[24], nbuf[8];
	int64_t id;

	p[0] = platform_id;
	id = ef_q(db,
		  "INSERT INTO wharf.sales_order (warehouse_id, shop_id, "
		  " platform_order_id, carrier) SELECT warehouse_id, id, $1, 'SF' "
		  "FROM wharf.shop WHERE code = 'S1' RETURNING id",
		  1, p);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	for (int i = 0; i < 3 && skus[i]; i++) {
		snprintf(qbuf, sizeof(qbuf), "%d", qs[i]);
		snprintf(nbuf, sizeof(nbuf), "%d", i + 1);
		p[0] = idbuf;
		p[1] = nbuf;
		p[2] = skus[i];
		p[3] = qbuf;
		ef_q(db,
		     "INSERT INTO wharf.order_line (order_id, line_no, sku_id, "
		     " platform_sku, qty) SELECT $1::bigint, $2::int, s.id, $3, "
		     " $4::int FROM wharf.sku s WHERE s.code = $3 RETURNING id",
		     4, p);
	}
	return id;
}

/* A fresh op id in buf (ENGINE_OP_ID_SIZE). */
static inline const char *ef_op(char *buf)
{
	struct wh_error err;

	if (engine_op_id(buf, ENGINE_OP_ID_SIZE, &err) != WH_OK)
		fail_msg("op id: %s", err.msg);
	return buf;
}

/* Every invariant of wharf.verify() and wharf.verify_engine() holds. */
static inline void ef_verify(struct db *db)
{
	struct wh_error err;
	struct db_result *r;

	if (db_exec(db,
		    "SELECT check_name, detail FROM wharf.verify() UNION ALL "
		    "SELECT check_name, detail FROM wharf.verify_engine()",
		    0, NULL, &r, &err) != WH_OK)
		fail_msg("verify: %s", err.msg);
	for (int i = 0; i < db_result_rows(r); i++)
		print_error("violation %s: %s\n", db_result_text(r, i, 0),
			    db_result_text(r, i, 1));
	int rows = db_result_rows(r);
	db_result_free(r);
	assert_int_equal(rows, 0);
}

/* Fails unless rc is a refusal with that reason code. */
static inline void ef_refused(enum wh_err rc, const struct wh_error *err,
			      enum engine_reason want)
{
	if (rc == WH_OK)
		fail_msg("expected %s, but it succeeded",
			 engine_reason_name(want));
	if (engine_reason_of(err) != want)
		fail_msg("expected %s, got %s (%s)", engine_reason_name(want),
			 wh_err_name(rc), err->msg);
}

#endif
