/*
 * test_replenish.c - pick-face replenishment (0010_replenish.sql through
 * db/replen_db.h) on the demo data: four faces are run down below their
 * min, reserve gets an expired lot and quarantine a sellable one; planning
 * must make exactly the tasks the C planner (src/domain/replen.h) makes
 * from the same inputs, never use the expired or quarantined stock, be
 * idempotent per op_id and never order a face twice; a confirm moves the
 * stock through the ledger; the pick claim never hands out a
 * replenishment task; verify() and verify_engine() stay clean. Also the
 * SSCC of a received case: check digit, replay, missing prefix.
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
#include "db/replen_db.h"
#include "db/seed.h"
#include "domain/gs1.h"
#include "domain/replen.h"
#include "harness.h"

static char ci[512];
static struct db *db;
static int64_t wh, lead, picker, receiver;

static void op(char buf[ENGINE_OP_ID_SIZE])
{
	struct wh_error e;

	assert_int_equal(engine_op_id(buf, ENGINE_OP_ID_SIZE, &e), WH_OK);
}

static void verified(void)
{
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.verify()"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM "
				"wharf.verify_engine()"), 0);
}

/*
 * Runs four SH faces down (two FEFO SKUs with reserve, one FIFO, one
 * without lots, where the demo has them), to 5 units on hand; puts an
 * expired lot of the first SKU into reserve (earliest in FEFO order, so
 * the planner would take it first if it could) and a sellable lot into
 * quarantine.
 */
static void setup_faces(void)
{
	th_exec(db,
"CREATE TABLE replen_sku AS"
" SELECT DISTINCT ON (k.lot_control, st.sku_id) st.sku_id, k.lot_control,"
"   st.location_id AS face"
" FROM wharf.stock st JOIN wharf.location l ON l.id = st.location_id"
" JOIN wharf.sku k ON k.id = st.sku_id"
" WHERE st.warehouse_id = (SELECT id FROM wharf.warehouse WHERE code = 'SH')"
"   AND l.kind = 'pick' AND st.allocated = 0"
"   AND EXISTS (SELECT 1 FROM wharf.replen_sources(st.warehouse_id) r"
"               WHERE r.sku_id = st.sku_id AND r.available > 0)"
"   AND NOT EXISTS (SELECT 1 FROM wharf.stock o JOIN wharf.location ol"
"     ON ol.id = o.location_id WHERE o.sku_id = st.sku_id"
"     AND ol.kind = 'pick' AND o.location_id <> st.location_id"
"     AND o.warehouse_id = st.warehouse_id)"
"   AND NOT EXISTS (SELECT 1 FROM wharf.allocation a"
"     WHERE a.sku_id = st.sku_id)"
" ORDER BY k.lot_control, st.sku_id;"
"DELETE FROM replen_sku WHERE sku_id NOT IN (SELECT min(sku_id)"
" FROM replen_sku GROUP BY lot_control UNION SELECT max(sku_id)"
" FROM replen_sku WHERE lot_control = 'fefo');"
/* everything at the faces leaves but 5 units of the first row */
"INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
"  from_location_id, to_location_id, qty, reason)"
" SELECT st.warehouse_id, 'adjust', st.sku_id, st.lot_id, st.location_id,"
"  NULL, st.on_hand - CASE WHEN row_number() OVER (PARTITION BY st.sku_id"
"   ORDER BY st.id) = 1 THEN 5 ELSE 0 END, 'test: run the face down'"
" FROM wharf.stock st JOIN replen_sku r ON r.sku_id = st.sku_id"
"  AND r.face = st.location_id WHERE st.on_hand > 5;"
/* an expired lot in reserve, a sellable one in quarantine */
"INSERT INTO wharf.lot (sku_id, lot_code, expiry)"
" SELECT sku_id, 'XPIRED', current_date - 3 FROM replen_sku"
" WHERE lot_control = 'fefo' ORDER BY sku_id LIMIT 1;"
"INSERT INTO wharf.lot (sku_id, lot_code, expiry)"
" SELECT sku_id, 'QUAR', current_date + 900 FROM replen_sku"
" WHERE lot_control = 'fefo' ORDER BY sku_id LIMIT 1;"
"INSERT INTO wharf.stock_move (warehouse_id, kind, sku_id, lot_id,"
"  from_location_id, to_location_id, qty, reason)"
" SELECT l.warehouse_id, 'receive', lt.sku_id, lt.id, NULL,"
"  CASE lt.lot_code WHEN 'XPIRED' THEN (SELECT id FROM wharf.location"
"   WHERE warehouse_id = l.warehouse_id AND kind = 'storage'"
"   ORDER BY walk_seq LIMIT 1)"
"  ELSE l.id END, 500, 'test'"
" FROM wharf.lot lt CROSS JOIN wharf.location l"
" WHERE lt.lot_code IN ('XPIRED', 'QUAR') AND l.code = 'Q-01'"
"  AND l.warehouse_id = (SELECT id FROM wharf.warehouse WHERE code = 'SH');");
	assert_true(th_int(db, "SELECT count(*) FROM replen_sku") >= 2);
}

/* The C planner's plan from the database's own inputs. */
static struct replen_plan *c_plan(void)
{
	struct db_result *r;
	struct wh_error e;
	struct replen_face *faces;
	struct alloc_candidate *src;
	struct replen_plan *p;
	char w[24];
	const char *pv[1] = { w };
	int n_f, n_s;
	int32_t today;

	snprintf(w, sizeof(w), "%lld", (long long)wh);
	assert_int_equal(db_exec(db, "SELECT * FROM wharf.replen_faces($1)", 1,
				 pv, &r, &e), WH_OK);
	n_f = db_result_rows(r);
	faces = calloc((size_t)n_f + 1, sizeof(*faces));
	assert_non_null(faces);
	for (int i = 0; i < n_f; i++) {
		faces[i] = (struct replen_face){
		    .location_id = db_result_int64(r, i, 0),
		    .sku_id = db_result_int64(r, i, 1),
		    .walk_seq = (int32_t)db_result_int64(r, i, 2),
		    .min_qty = db_result_int64(r, i, 3),
		    .max_qty = db_result_int64(r, i, 4),
		    .current = db_result_int64(r, i, 5),
		    .lot_control =
			(enum alloc_lot_control)db_result_int64(r, i, 6),
		    .min_remaining_days = (int32_t)db_result_int64(r, i, 7),
		};
	}
	db_result_free(r);
	assert_int_equal(db_exec(db, "SELECT * FROM wharf.replen_sources($1)",
				 1, pv, &r, &e), WH_OK);
	n_s = db_result_rows(r);
	src = calloc((size_t)n_s + 1, sizeof(*src));
	assert_non_null(src);
	for (int i = 0; i < n_s; i++) {
		src[i] = (struct alloc_candidate){
		    .location_id = db_result_int64(r, i, 0),
		    .sku_id = db_result_int64(r, i, 1),
		    .lot_id = db_result_int64(r, i, 2),
		    .walk_seq = (int32_t)db_result_int64(r, i, 3),
		    .kind = ALLOC_LOC_RESERVE,
		    .has_expiry = !strcmp(db_result_text(r, i, 4), "t"),
		    .expiry_day = (int32_t)db_result_int64(r, i, 5),
		    .first_received = db_result_int64(r, i, 6),
		    .available = db_result_int64(r, i, 7),
		};
	}
	db_result_free(r);
	today = (int32_t)th_int(db, "SELECT current_date - DATE '1970-01-01'");
	assert_int_equal(replen_plan(faces, (size_t)n_f, src, (size_t)n_s,
				     today, &p, &e), WH_OK);
	free(faces);
	free(src);
	return p;
}

static int setup(void **state)
{
	struct wh_error e;

	(void)state;
	th_create_db("replen", true, ci, sizeof(ci));
	db = th_connect(ci);
	if (db_seed_demo(db, 1, NULL, NULL, &e) != WH_OK)
		fail_msg("seed: %s", e.msg);
	wh = th_int(db, "SELECT id FROM wharf.warehouse WHERE code = 'SH'");
	lead = th_int(db, "SELECT id FROM wharf.app_user WHERE login = 'lead'");
	picker = th_int(db, "SELECT id FROM wharf.app_user "
			"WHERE login = 'picker1'");
	receiver = th_int(db, "SELECT id FROM wharf.app_user "
			  "WHERE login = 'receiver1'");
	setup_faces();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	th_drop_db("replen");
	return 0;
}

static void test_nothing_to_claim_first(void **state)
{
	struct engine_actor who = { .user_id = picker };
	struct replen_db_task t;
	struct wh_error e;

	(void)state;
	assert_int_equal(replen_db_claim(db, &who, wh, &t, &e),
			 WH_ERR_NOT_FOUND);
}

static void test_plan_matches_c_planner(void **state)
{
	struct engine_actor boss = { .user_id = lead };
	struct engine_actor who = { .user_id = picker };
	struct replen_db_plan_result pr, again;
	struct replen_plan *p = c_plan();
	struct db_result *r;
	struct wh_error e;
	char o[ENGINE_OP_ID_SIZE];
	int64_t units = 0;

	(void)state;
	assert_true(p->n_tasks >= 2);
	for (size_t i = 0; i < p->n_tasks; i++)
		units += p->tasks[i].qty;

	/* only a supervisor plans */
	op(o);
	assert_int_equal(replen_db_plan(db, wh, &who, o, &pr, &e),
			 WH_ERR_PERM);

	op(o);
	assert_int_equal(replen_db_plan(db, wh, &boss, o, &pr, &e), WH_OK);
	assert_false(pr.replayed);
	assert_int_equal(pr.tasks, (int32_t)p->n_tasks);
	assert_int_equal(pr.units, units);
	assert_true(pr.faces >= 2);

	/* the same tasks in the same order (face, then source) */
	assert_int_equal(db_exec(db,
		"SELECT location_id, to_location_id, sku_id,"
		" coalesce(lot_id, 0), qty FROM wharf.pick_task"
		" WHERE kind = 'replenish' AND state = 'open' ORDER BY id",
		0, NULL, &r, &e), WH_OK);
	assert_int_equal(db_result_rows(r), (int)p->n_tasks);
	for (size_t i = 0; i < p->n_tasks; i++) {
		assert_int_equal(db_result_int64(r, (int)i, 0),
				 p->tasks[i].from_location_id);
		assert_int_equal(db_result_int64(r, (int)i, 1),
				 p->tasks[i].to_location_id);
		assert_int_equal(db_result_int64(r, (int)i, 2),
				 p->tasks[i].sku_id);
		assert_int_equal(db_result_int64(r, (int)i, 3),
				 p->tasks[i].lot_id);
		assert_int_equal(db_result_int64(r, (int)i, 4),
				 p->tasks[i].qty);
	}
	db_result_free(r);
	replen_plan_free(p);

	/* never expired, never quarantine, always storage to pick face */
	assert_int_equal(th_int(db,
		"SELECT count(*) FROM wharf.pick_task t"
		" JOIN wharf.location f ON f.id = t.location_id"
		" JOIN wharf.location tl ON tl.id = t.to_location_id"
		" JOIN wharf.sku k ON k.id = t.sku_id"
		" LEFT JOIN wharf.lot lt ON lt.id = t.lot_id"
		" WHERE t.kind = 'replenish' AND (f.kind <> 'storage'"
		"  OR tl.kind <> 'pick' OR lt.lot_code IN ('XPIRED', 'QUAR')"
		"  OR NOT wharf.lot_sellable(lt.expiry, k.min_remaining_days,"
		"   current_date))"), 0);
	/* no face is ordered past its max (short faces stay short) */
	assert_int_equal(th_int(db,
		"SELECT count(*) FROM wharf.replen_faces((SELECT id FROM"
		" wharf.warehouse WHERE code = 'SH')) f"
		" JOIN replen_sku r ON r.sku_id = f.sku_id"
		"  AND r.face = f.location_id WHERE f.current > f.max_qty"),
		0);

	/* a replay changes nothing */
	assert_int_equal(replen_db_plan(db, wh, &boss, o, &again, &e), WH_OK);
	assert_true(again.replayed);
	assert_int_equal(again.tasks, pr.tasks);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.pick_task"
				" WHERE kind = 'replenish'"), pr.tasks);
	/* a new plan orders nothing twice */
	op(o);
	assert_int_equal(replen_db_plan(db, wh, &boss, o, &again, &e), WH_OK);
	assert_false(again.replayed);
	assert_int_equal(again.tasks, 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.pick_task"
				" WHERE kind = 'replenish'"), pr.tasks);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.audit_log"
				" WHERE action = 'plan_replenishment'"), 2);
	verified();

	/* the pick claim never hands out a replenishment task */
	assert_int_equal(th_int(db,
		"SELECT count(*) FROM (SELECT wharf.claim_task("
		"(SELECT id FROM wharf.app_user WHERE login = 'picker2'), NULL,"
		" (SELECT id FROM wharf.warehouse WHERE code = 'SH')) AS j) x"
		" WHERE j->>'kind' = 'replenish'"), 0);
}

static void test_confirm_moves_stock(void **state)
{
	struct engine_actor who = { .user_id = receiver };
	struct engine_actor other = { .user_id = picker };
	struct replen_db_task t, t2;
	struct replen_db_confirm_result cr;
	struct wh_error e;
	char o[ENGINE_OP_ID_SIZE], sql[1024], code[80];
	int64_t face0, src0, sku_before;
	struct replen_db_confirm c = { 0 };

	(void)state;
	assert_int_equal(replen_db_claim(db, &who, wh, &t, &e), WH_OK);
	assert_true(t.qty > 0);
	/* the same user gets the same task back; another one a different */
	assert_int_equal(replen_db_claim(db, &who, wh, &t2, &e), WH_OK);
	assert_int_equal(t2.task_id, t.task_id);
	assert_int_equal(replen_db_claim(db, &other, wh, &t2, &e), WH_OK);
	assert_int_not_equal(t2.task_id, t.task_id);

	snprintf(sql, sizeof(sql), "SELECT code FROM wharf.barcode WHERE "
		 "sku_id = %lld AND pack_qty = 1 ORDER BY code LIMIT 1",
		 (long long)t.sku_id);
	th_text(db, sql, code, sizeof(code));
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(on_hand), 0) FROM "
		 "wharf.stock s JOIN wharf.location l ON l.id = s.location_id "
		 "WHERE l.code = '%s' AND s.sku_id = %lld AND l.warehouse_id "
		 "= %lld", t.to_code, (long long)t.sku_id, (long long)wh);
	face0 = th_int(db, sql);
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(on_hand), 0) FROM "
		 "wharf.stock s JOIN wharf.location l ON l.id = s.location_id "
		 "WHERE l.code = '%s' AND s.sku_id = %lld AND l.warehouse_id "
		 "= %lld", t.from_code, (long long)t.sku_id, (long long)wh);
	src0 = th_int(db, sql);
	sku_before = th_int(db, "SELECT count(*) FROM wharf.stock_move "
			    "WHERE kind = 'replenish'");

	op(o);
	c = (struct replen_db_confirm){
		.task_id = t.task_id, .from_code = t.to_code,
		.to_code = t.to_code, .barcode = code,
		.lot_code = t.lot_code, .qty = 1, .op_id = o,
	};
	/* the wrong bin, the wrong lot, too many: refused, nothing moves */
	assert_int_equal(replen_db_confirm(db, &c, &who, &cr, &e),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(e.msg, "WRONG_LOCATION"));
	c.from_code = t.from_code;
	if (t.lot_code[0]) {
		c.lot_code = "NOPE";
		assert_int_equal(replen_db_confirm(db, &c, &who, &cr, &e),
				 WH_ERR_REFUSED);
		assert_non_null(strstr(e.msg, "WRONG_LOT"));
		c.lot_code = t.lot_code;
	}
	c.qty = (int32_t)t.qty + 1;
	assert_int_equal(replen_db_confirm(db, &c, &who, &cr, &e),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(e.msg, "OVER_PICK"));
	/* another user's task */
	c.qty = 1;
	assert_int_equal(replen_db_confirm(db, &c, &other, &cr, &e),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(e.msg, "TASK_CLAIMED"));

	/* part, then the rest */
	assert_int_equal(replen_db_confirm(db, &c, &who, &cr, &e), WH_OK);
	assert_int_equal(cr.units, 1);
	assert_int_equal(cr.remaining, t.qty - 1);
	assert_false(cr.replayed);
	assert_int_equal(replen_db_confirm(db, &c, &who, &cr, &e), WH_OK);
	assert_true(cr.replayed);
	op(o);
	c.qty = (int32_t)t.qty - 1;
	if (c.qty > 0) {
		assert_int_equal(replen_db_confirm(db, &c, &who, &cr, &e),
				 WH_OK);
		assert_true(cr.done);
		assert_int_equal(cr.remaining, 0);
	}
	assert_int_equal(th_int(db, sql), src0 - t.qty);
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(on_hand), 0) FROM "
		 "wharf.stock s JOIN wharf.location l ON l.id = s.location_id "
		 "WHERE l.code = '%s' AND s.sku_id = %lld AND l.warehouse_id "
		 "= %lld", t.to_code, (long long)t.sku_id, (long long)wh);
	assert_int_equal(th_int(db, sql), face0 + t.qty);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.stock_move "
				"WHERE kind = 'replenish'"),
			 sku_before + (t.qty > 1 ? 2 : 1));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM wharf.pick_task "
		 "WHERE id = %lld AND state = 'done'", (long long)t.task_id);
	assert_int_equal(th_int(db, sql), 1);
	verified();
}

static void test_stale_task_cancelled(void **state)
{
	struct engine_actor boss = { .user_id = lead };
	struct replen_db_plan_result pr;
	struct wh_error e;
	char o[ENGINE_OP_ID_SIZE];
	int64_t id;

	(void)state;
	/* an open task's source bin is emptied behind its back */
	id = th_int(db, "SELECT min(id) FROM wharf.pick_task WHERE kind = "
		    "'replenish' AND state = 'open'");
	assert_true(id > 0);
	{
		char sql[1024];

		snprintf(sql, sizeof(sql),
			 "INSERT INTO wharf.stock_move (warehouse_id, kind,"
			 " sku_id, lot_id, from_location_id, qty, reason)"
			 " SELECT st.warehouse_id, 'adjust', st.sku_id,"
			 " st.lot_id, st.location_id, st.on_hand"
			 " - st.allocated, 'test' FROM wharf.stock st"
			 " JOIN wharf.pick_task t ON t.id = %lld"
			 " AND st.location_id = t.location_id"
			 " AND st.sku_id = t.sku_id"
			 " AND st.lot_id IS NOT DISTINCT FROM t.lot_id",
			 (long long)id);
		th_exec(db, sql);
		op(o);
		assert_int_equal(replen_db_plan(db, wh, &boss, o, &pr, &e),
				 WH_OK);
		assert_true(pr.cancelled >= 1);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM "
			 "wharf.pick_task WHERE id = %lld AND state = "
			 "'cancelled'", (long long)id);
		assert_int_equal(th_int(db, sql), 1);
	}
	verified();
}

static void test_sscc(void **state)
{
	struct engine_actor who = { .user_id = receiver };
	struct wh_error e;
	char o[ENGINE_OP_ID_SIZE], a[REPLEN_SSCC_SIZE], b[REPLEN_SSCC_SIZE];
	char c[REPLEN_SSCC_SIZE];

	(void)state;
	op(o);
	assert_int_equal(replen_db_issue_sscc(db, wh, 0, o, &who, a, &e),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(e.msg, "NO_GS1_PREFIX"));
	th_exec(db, "INSERT INTO wharf.gs1_prefix (warehouse_id,"
		" company_prefix, extension) SELECT id, '0614141', 3"
		" FROM wharf.warehouse WHERE code = 'SH'");
	assert_int_equal(replen_db_issue_sscc(db, wh, 0, o, &who, a, &e),
			 WH_OK);
	assert_int_equal(strlen(a), 18);
	assert_true(gs1_check_digit_ok(a, 18));
	assert_memory_equal(a, "30614141000000001", 17);
	assert_int_equal(replen_db_issue_sscc(db, wh, 0, o, &who, b, &e),
			 WH_OK);
	assert_string_equal(a, b);
	op(o);
	assert_int_equal(replen_db_issue_sscc(db, wh, 0, o, &who, c, &e),
			 WH_OK);
	assert_string_not_equal(a, c);
	assert_true(gs1_check_digit_ok(c, 18));
	/* the SQL check digit is gs1.h's */
	assert_int_equal(th_int(db, "SELECT wharf.gs1_check_digit("
				"'0950600013435')"),
			 gs1_check_digit("0950600013435", 13));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_to_claim_first),
		cmocka_unit_test(test_plan_matches_c_planner),
		cmocka_unit_test(test_confirm_moves_stock),
		cmocka_unit_test(test_stale_task_cancelled),
		cmocka_unit_test(test_sscc),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
