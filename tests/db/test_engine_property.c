/*
 * test_engine_property.c - (1) the SQL allocator and the C planner
 * (src/domain/alloc.h) agree on every order of the demo warehouse;
 * (2) thousands of random operations from many threads, with replays and
 * induced failures (calls rolled back mid-transaction and retried), leave
 * every invariant intact and the ledger balanced. Fixed seeds.
 * Owner: the engine tests.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/seed.h"
#include "domain/alloc.h"
#include "engine_fixture.h"

#define CONN 512
#define THREADS 8
#define OPS 300

static char conninfo[CONN];

static void test_alloc_matches_planner(void **state)
{
	(void)state;
	struct wh_error err;
	struct db *db;
	struct db_result *orders;
	int32_t today;
	int checked = 0, picks_total = 0;

	th_create_db("eng_plan", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	if (db_seed_demo(db, 1, NULL, NULL, &err) != WH_OK)
		fail_msg("seed: %s", err.msg);
	today = (int32_t)th_int(db, "SELECT current_date - DATE '1970-01-01'");
	orders = ef_rows(db, "SELECT id FROM wharf.sales_order "
			 "WHERE state = 'new' AND $1::int = 1 ORDER BY id", 1);
	for (int oi = 0; oi < db_result_rows(orders); oi++) {
		int64_t oid = db_result_int64(orders, oi, 0);
		struct db_result *lr = ef_rows(db,
			"SELECT l.id, l.sku_id, l.qty - l.qty_allocated - "
			"l.qty_picked, s.lot_control::text, greatest("
			"s.min_remaining_days, coalesce(sh.min_remaining_days, 0)) "
			"FROM wharf.order_line l JOIN wharf.sales_order o ON "
			"o.id = l.order_id JOIN wharf.shop sh ON sh.id = o.shop_id "
			"JOIN wharf.sku s ON s.id = l.sku_id WHERE o.id = $1 "
			"ORDER BY l.line_no, l.id", oid);
		struct db_result *cr = ef_rows(db,
			"SELECT st.location_id, st.sku_id, coalesce(st.lot_id, 0), "
			"loc.walk_seq, loc.kind = 'pick', lt.expiry IS NOT NULL, "
			"coalesce(lt.expiry - DATE '1970-01-01', 0), coalesce("
			"floor(extract(epoch FROM lt.first_received_at))::bigint, 0), "
			"st.on_hand - st.allocated, loc.kind NOT IN ('pick', "
			"'storage') OR loc.blocked OR loc.needs_count "
			"FROM wharf.stock st JOIN wharf.location loc ON loc.id = "
			"st.location_id LEFT JOIN wharf.lot lt ON lt.id = st.lot_id "
			"WHERE st.warehouse_id = (SELECT warehouse_id FROM "
			"wharf.sales_order WHERE id = $1) AND st.sku_id IN (SELECT "
			"sku_id FROM wharf.order_line WHERE order_id = $1) "
			"ORDER BY st.id", oid);
		size_t nl = (size_t)db_result_rows(lr);
		size_t nc = (size_t)db_result_rows(cr);
		struct alloc_line *lines = calloc(nl + 1, sizeof(*lines));
		struct alloc_candidate *cands = calloc(nc + 1, sizeof(*cands));
		size_t cap = alloc_max_picks(nl, nc) + 1, n_out;
		struct alloc_pick *picks = calloc(cap, sizeof(*picks));
		int64_t *shorts = calloc(nl + 1, sizeof(*shorts));
		struct engine_alloc_result a;
		char op[ENGINE_OP_ID_SIZE];

		assert_non_null(lines);
		assert_non_null(cands);
		assert_non_null(picks);
		assert_non_null(shorts);
		for (size_t i = 0; i < nl; i++) {
			const char *lc = db_result_text(lr, (int)i, 3);

			lines[i] = (struct alloc_line){
			    .line_id = db_result_int64(lr, (int)i, 0),
			    .sku_id = db_result_int64(lr, (int)i, 1),
			    .qty = db_result_int64(lr, (int)i, 2),
			    .lot_control = strcmp(lc, "fefo") == 0
						   ? ALLOC_LOT_FEFO
					   : strcmp(lc, "fifo") == 0
						   ? ALLOC_LOT_FIFO
						   : ALLOC_LOT_NONE,
			    .min_remaining_days =
				(int32_t)db_result_int64(lr, (int)i, 4),
			};
		}
		for (size_t i = 0; i < nc; i++) {
			int r = (int)i;

			cands[i] = (struct alloc_candidate){
			    .location_id = db_result_int64(cr, r, 0),
			    .sku_id = db_result_int64(cr, r, 1),
			    .lot_id = db_result_int64(cr, r, 2),
			    .walk_seq = (int32_t)db_result_int64(cr, r, 3),
			    .kind = strcmp(db_result_text(cr, r, 4), "t") == 0
					    ? ALLOC_LOC_PICK
					    : ALLOC_LOC_RESERVE,
			    .has_expiry =
				strcmp(db_result_text(cr, r, 5), "t") == 0,
			    .expiry_day = (int32_t)db_result_int64(cr, r, 6),
			    .first_received = db_result_int64(cr, r, 7),
			    .available = db_result_int64(cr, r, 8),
			    .quarantined =
				strcmp(db_result_text(cr, r, 9), "t") == 0,
			};
		}
		if (alloc_plan_order(lines, nl, today, cands, nc, picks, cap,
				     &n_out, shorts, &err) != WH_OK)
			fail_msg("plan: %s", err.msg);
		if (engine_allocate(db, oid, ef_op(op), NULL, &a, &err) != WH_OK)
			fail_msg("allocate %lld: %s", (long long)oid, err.msg);
		struct db_result *ar = ef_rows(db,
			"SELECT a.order_line_id, a.location_id, "
			"coalesce(a.lot_id, 0), a.qty FROM wharf.allocation a "
			"JOIN wharf.order_line l ON l.id = a.order_line_id WHERE "
			"l.order_id = $1 ORDER BY a.id", oid);
		if ((size_t)db_result_rows(ar) != n_out)
			fail_msg("order %lld: SQL made %d allocations, C %zu",
				 (long long)oid, db_result_rows(ar), n_out);
		for (size_t i = 0; i < n_out; i++) {
			int r = (int)i;

			assert_int_equal(db_result_int64(ar, r, 0),
					 picks[i].line_id);
			assert_int_equal(db_result_int64(ar, r, 1),
					 picks[i].location_id);
			assert_int_equal(db_result_int64(ar, r, 2),
					 picks[i].lot_id);
			assert_int_equal(db_result_int64(ar, r, 3),
					 picks[i].qty);
		}
		picks_total += (int)n_out;
		checked++;
		db_result_free(ar);
		free(shorts);
		free(picks);
		free(cands);
		free(lines);
		db_result_free(cr);
		db_result_free(lr);
	}
	db_result_free(orders);
	assert_true(checked >= 50);
	assert_true(picks_total >= 50);
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_plan");
}

/* Random operations ---------------------------------------------------------- */

struct rnd_worker {
	int no;
	unsigned seed;
	int64_t w1;
	struct engine_actor picker, packer, sup, receiver;
	int64_t max_order;
	int done, refused, retried, replays, rollbacks, bad;
	char last_bad[WH_ERROR_MSG_MAX];
};

static int rnd(struct rnd_worker *w, int n)
{
	return (int)(rand_r(&w->seed) % (unsigned)n);
}

static void tally(struct rnd_worker *w, enum wh_err rc,
		  const struct wh_error *e)
{
	switch (rc) {
	case WH_OK:
		w->done++;
		break;
	case WH_ERR_REFUSED:
	case WH_ERR_NOT_FOUND:
		w->refused++;
		break;
	case WH_ERR_RETRY: /* contention outlasted the retries: no harm */
		w->retried++;
		break;
	default:
		w->bad++;
		snprintf(w->last_bad, sizeof(w->last_bad), "%s: %s",
			 wh_err_name(rc), e->msg);
	}
}

static int64_t one_id(struct db *db, const char *sql, int64_t arg)
{
	struct wh_error err;
	struct db_result *r;
	char b[24];
	const char *p[] = { b };
	int64_t v = 0;

	snprintf(b, sizeof(b), "%lld", (long long)arg);
	if (db_exec(db, sql, 1, p, &r, &err) != WH_OK)
		return 0;
	if (db_result_rows(r) == 1)
		v = db_result_int64(r, 0, 0);
	db_result_free(r);
	return v;
}

static void rnd_order(struct rnd_worker *w, struct db *db)
{
	static const char *skus[] = { "NONE1", "FEFO1", "FIFO1" };
	char op[ENGINE_OP_ID_SIZE], pid[32], q1[8], q2[8];
	struct engine_alloc_result a, b;
	struct wh_error err;
	struct db_result *r;
	const char *p[5];
	enum wh_err rc;

	snprintf(pid, sizeof(pid), "P%d-%d", w->no, w->done + w->refused);
	snprintf(q1, sizeof(q1), "%d", 1 + rnd(w, 3));
	snprintf(q2, sizeof(q2), "%d", rnd(w, 3));
	p[0] = pid;
	p[1] = skus[rnd(w, 3)];
	p[2] = q1;
	p[3] = skus[rnd(w, 3)];
	p[4] = q2;
	rc = db_exec(db,
		     "WITH o AS (INSERT INTO wharf.sales_order (warehouse_id, "
		     " shop_id, platform_order_id, carrier) SELECT warehouse_id, "
		     " id, $1, 'SF' FROM wharf.shop WHERE code = 'S1' RETURNING id), "
		     "l AS (INSERT INTO wharf.order_line (order_id, line_no, sku_id, "
		     " qty) SELECT o.id, x.n, s.id, x.q FROM o, (VALUES (1, $2, "
		     " $3::int), (2, $4, $5::int)) x(n, c, q) JOIN wharf.sku s ON "
		     " s.code = x.c WHERE x.q > 0 RETURNING 1) "
		     "SELECT id, (SELECT count(*) FROM l) FROM o",
		     5, p, &r, &err);
	if (rc != WH_OK) {
		tally(w, rc, &err);
		return;
	}
	int64_t oid = db_result_int64(r, 0, 0);
	db_result_free(r);
	ef_op(op);
	rc = engine_allocate(db, oid, op, NULL, &a, &err);
	tally(w, rc, &err);
	if (rc == WH_OK && rnd(w, 2) == 0) {
		rc = engine_allocate(db, oid, op, NULL, &b, &err);
		tally(w, rc, &err);
		if (rc == WH_OK && (!b.replayed || strcmp(a.state, b.state) ||
				    a.allocated != b.allocated)) {
			w->bad++;
			snprintf(w->last_bad, sizeof(w->last_bad),
				 "allocate replay differs");
		}
		w->replays++;
	}
}

static void rnd_pick(struct rnd_worker *w, struct db *db, bool fail_first)
{
	struct engine_task t;
	struct engine_pick_result res, rep;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	enum wh_err rc;

	rc = engine_claim_task(db, &w->picker, w->w1, &t, &err);
	if (rc != WH_OK) {
		tally(w, rc, &err);
		return;
	}
	ef_op(op);
	if (strcmp(t.kind, "putback") == 0) {
		struct engine_putback_result pb;

		rc = engine_confirm_putback(db, t.task_id, t.to_location_code,
					    (int32_t)t.qty, op, &w->picker, &pb,
					    &err);
		tally(w, rc, &err);
		return;
	}
	if (rnd(w, 8) == 0) {
		struct engine_short_result sr;

		rc = engine_short_pick(db, t.task_id, rnd(w, (int)t.qty), op,
				       &w->picker, &sr, &err);
		tally(w, rc, &err);
		return;
	}
	struct engine_pick p = {
	    .task_id = t.task_id,
	    .location_code = rnd(w, 10) == 0 ? "R-02" : t.location_code,
	    .barcode = strcmp(t.sku_code, "NONE1") == 0 ? "NONE1"
		       : strcmp(t.sku_code, "FEFO1") == 0 ? "6900000000011"
							   : "6900000000028",
	    .lot_code = t.lot_code[0] ? t.lot_code : NULL,
	    .qty = 1 + rnd(w, (int)t.qty),
	    .op_id = op,
	};
	if (fail_first) {
		/* Induced failure: the call runs, then its transaction is
		 * lost. Nothing may remain; the retry is not a replay. */
		if (db_exec(db, "BEGIN", 0, NULL, NULL, &err) == WH_OK) {
			engine_confirm_pick(db, &p, &w->picker, &res, &err);
			db_exec(db, "ROLLBACK", 0, NULL, NULL, &err);
			w->rollbacks++;
		}
	}
	rc = engine_confirm_pick(db, &p, &w->picker, &res, &err);
	tally(w, rc, &err);
	if (rc == WH_OK && res.replayed) {
		w->bad++;
		snprintf(w->last_bad, sizeof(w->last_bad),
			 "a rolled-back pick was recorded");
	}
	if (rc == WH_OK && rnd(w, 3) == 0) {
		rc = engine_confirm_pick(db, &p, &w->picker, &rep, &err);
		tally(w, rc, &err);
		w->replays++;
		if (rc == WH_OK && (!rep.replayed || rep.units != res.units ||
				    rep.remaining != res.remaining)) {
			w->bad++;
			snprintf(w->last_bad, sizeof(w->last_bad),
				 "pick replay differs");
		}
	}
}

static void rnd_pack_ship(struct rnd_worker *w, struct db *db)
{
	struct wh_error err;
	struct db_result *r;
	char op[ENGINE_OP_ID_SIZE], b[24], trk[40];
	const char *p[] = { b };
	enum wh_err rc;
	int64_t oid;

	snprintf(b, sizeof(b), "%d", rnd(w, 1000));
	rc = db_exec(db, "SELECT o.id, s.code, l.qty - l.qty_packed, "
		     "(SELECT lot.lot_code FROM wharf.picked_stock ps JOIN "
		     " wharf.lot ON lot.id = ps.lot_id WHERE ps.order_line_id = "
		     " l.id LIMIT 1) FROM wharf.sales_order o JOIN "
		     "wharf.order_line l ON l.order_id = o.id JOIN wharf.sku s ON "
		     "s.id = l.sku_id WHERE o.id = (SELECT id FROM "
		     "wharf.sales_order WHERE state = 'picked' ORDER BY "
		     "(id * 7919 + $1::int) % 1009 LIMIT 1)",
		     1, p, &r, &err);
	if (rc != WH_OK) {
		tally(w, rc, &err);
		return;
	}
	oid = db_result_rows(r) ? db_result_int64(r, 0, 0) : 0;
	for (int i = 0; i < db_result_rows(r); i++) {
		const char *sku = db_result_text(r, i, 1);
		const char *code = strcmp(sku, "NONE1") == 0 ? "NONE1"
				   : strcmp(sku, "FEFO1") == 0 ? "6900000000011"
								: "6900000000028";

		for (int u = 0; u < db_result_int64(r, i, 2); u++) {
			struct engine_pack_result pk;

			rc = engine_pack_verify(db, oid, code,
				db_result_is_null(r, i, 3)
					? NULL
					: db_result_text(r, i, 3),
				ef_op(op), &w->packer, &pk, &err);
			tally(w, rc, &err);
		}
	}
	db_result_free(r);
	if (!oid)
		return;
	struct engine_ship_result sr;
	snprintf(trk, sizeof(trk), "TRK%lld-%d", (long long)oid, w->no);
	rc = engine_ship(db, oid, "SF", trk, 500, ef_op(op), &w->packer, &sr,
			 &err);
	tally(w, rc, &err);
}

static void *rnd_worker_main(void *arg)
{
	struct rnd_worker *w = arg;
	struct wh_error err;
	struct db *db;
	char op[ENGINE_OP_ID_SIZE];

	if (db_connect(conninfo, &db, &err) != WH_OK) {
		w->bad++;
		return NULL;
	}
	for (int k = 0; k < OPS; k++) {
		int r = rnd(w, 100);
		enum wh_err rc;

		if (r < 22) {
			rnd_order(w, db);
		} else if (r < 28) {
			struct engine_wave_limits lim = {
			    .strategy = (enum wave_strategy)rnd(w, 3),
			    .max_orders = 20, .max_units = 60, .max_totes = 2,
			    .slots_per_tote = 8,
			};
			struct engine_wave_result wr;

			rc = engine_release_wave(db, w->w1, &lim, &w->sup, &wr,
						 &err);
			tally(w, rc, &err);
		} else if (r < 62) {
			rnd_pick(w, db, rnd(w, 10) == 0);
		} else if (r < 68) {
			struct engine_intercept_result ir;
			int64_t oid = 1 + rnd(w, (int)w->max_order + 40);

			rc = engine_intercept(db, oid, "random cancel",
					      ef_op(op), NULL, &ir, &err);
			tally(w, rc, &err);
		} else if (r < 84) {
			rnd_pack_ship(w, db);
		} else if (r < 90) {
			struct engine_receive_result rr;
			struct engine_receive rc2 = {
			    .warehouse_id = w->w1,
			    .sku_id = one_id(db, "SELECT id FROM wharf.sku WHERE "
					     "code = 'NONE1' AND $1::int = 1", 1),
			    .qty = 5 + rnd(w, 20),
			    .location_id = one_id(db, "SELECT id FROM "
						  "wharf.location WHERE code = "
						  "'A-01' AND $1::int = 1", 1),
			    .op_id = ef_op(op),
			};
			rc = engine_receive(db, &rc2, &w->receiver, &rr, &err);
			tally(w, rc, &err);
		} else if (r < 95) {
			struct engine_count_result cr;
			int64_t loc = one_id(db, "SELECT id FROM wharf.location "
					     "WHERE needs_count AND $1::int = 1 "
					     "ORDER BY id LIMIT 1", 1);
			if (!loc)
				continue;
			/* The counter finds what the books say, minus one
			 * unit of the first row now and then. */
			struct db_result *sr;
			char lb[24];
			const char *lp[] = { lb };
			snprintf(lb, sizeof(lb), "%lld", (long long)loc);
			if (db_exec(db, "SELECT s.sku_id, l.lot_code, s.on_hand "
				    "FROM wharf.stock s LEFT JOIN wharf.lot l ON "
				    "l.id = s.lot_id WHERE s.location_id = $1 AND "
				    "s.on_hand > 0 ORDER BY s.id LIMIT 8",
				    1, lp, &sr, &err) != WH_OK)
				continue;
			struct engine_count_line cl[8];
			int n = db_result_rows(sr);
			for (int i = 0; i < n; i++) {
				cl[i].sku_id = db_result_int64(sr, i, 0);
				cl[i].lot_code = db_result_is_null(sr, i, 1)
							 ? NULL
							 : db_result_text(sr, i, 1);
				cl[i].counted = (int32_t)db_result_int64(sr, i, 2) -
						(i == 0 && rnd(w, 2));
			}
			rc = engine_count(db, loc, cl, (size_t)n, 1, ef_op(op),
					  &w->picker, &cr, &err);
			tally(w, rc, &err);
			if (rc == WH_OK &&
			    strcmp(cr.state, "pending_approval") == 0) {
				bool rep;

				rc = engine_approve_count(db, cr.count_task_id,
							  ef_op(op), &w->sup,
							  &rep, &err);
				tally(w, rc, &err);
			}
			db_result_free(sr);
		} else {
			struct engine_pending_result pr;

			rc = engine_allocate_pending(db, w->w1, 10, NULL, &pr,
						     &err);
			tally(w, rc, &err);
		}
	}
	db_close(db);
	return NULL;
}

static void test_random_operations(void **state)
{
	(void)state;
	static struct rnd_worker ws[THREADS];
	pthread_t th[THREADS];
	struct db *db = ef_open("eng_prop", conninfo, sizeof(conninfo));
	int total = 0, rollbacks = 0, replays = 0;

	ef_stock(db, "A-01", "NONE1", NULL, 150);
	ef_stock(db, "R-01", "NONE1", NULL, 150);
	ef_stock(db, "A-02", "FEFO1", "L1", 100);
	ef_stock(db, "R-02", "FEFO1", "L2", 100);
	ef_stock(db, "A-03", "FEFO1", "L0", 40);
	ef_stock(db, "A-03", "FIFO1", "F2", 80);
	ef_stock(db, "R-01", "FIFO1", "F1", 80);
	th_exec(db, "INSERT INTO wharf.app_user (login, display_name, role, "
		"pin_hash) SELECT 'q' || n, 'Q', 'picker', 'x' FROM "
		"generate_series(1, 8) n");
	memset(ws, 0, sizeof(ws));
	for (int i = 0; i < THREADS; i++) {
		char login[8];

		snprintf(login, sizeof(login), "q%d", i + 1);
		ws[i].no = i;
		ws[i].seed = 20251125u + (unsigned)i;
		ws[i].w1 = ef_wh(db, "W1");
		ws[i].picker.user_id = ef_user(db, login);
		ws[i].packer.user_id = ef_user(db, "k1");
		ws[i].sup.user_id = ef_user(db, "s1");
		ws[i].receiver.user_id = ef_user(db, "r1");
		ws[i].max_order = THREADS * OPS / 5;
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, rnd_worker_main,
						&ws[i]), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++) {
		if (ws[i].bad)
			fail_msg("thread %d: %d bad outcomes, last: %s", i,
				 ws[i].bad, ws[i].last_bad);
		total += ws[i].done + ws[i].refused + ws[i].retried;
		rollbacks += ws[i].rollbacks;
		replays += ws[i].replays;
	}
	print_message("random ops: %d calls, %d replays, %d rolled back\n",
		      total, replays, rollbacks);
	assert_true(total >= THREADS * OPS);
	assert_true(th_int(db, "SELECT count(*) FROM wharf.sales_order WHERE "
			   "state = 'shipped'") > 0);
	/* The ledger balances: what came in minus what left is on hand. */
	assert_int_equal(th_int(db, "SELECT coalesce(sum(on_hand), 0) FROM "
				"wharf.stock"),
			 th_int(db, "SELECT coalesce(sum(CASE WHEN to_location_id "
				"IS NOT NULL THEN qty ELSE 0 END) - sum(CASE WHEN "
				"from_location_id IS NOT NULL THEN qty ELSE 0 END), "
				"0) FROM wharf.stock_move"));
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_prop");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_matches_planner),
		cmocka_unit_test(test_random_operations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
