/*
 * test_allocate_batch.c - allocate_pending allocates a batch as if its
 * orders were allocated one after another (the C planner of
 * src/domain/alloc.h, each order seeing what the earlier ones left);
 * never-tried orders go before orders starved for stock; 16 concurrent
 * allocate_pending callers never reserve a unit twice. Fixed seeds.
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

#include "domain/alloc.h"
#include "engine_fixture.h"

#define CONN 512
#define THREADS 16

static char conninfo[CONN];

static int64_t pending(struct db *db, int64_t wh, int limit,
		       struct engine_pending_result *pr)
{
	struct wh_error err;

	if (engine_allocate_pending(db, wh, limit, NULL, pr, &err) != WH_OK)
		fail_msg("allocate_pending: %s", err.msg);
	return pr->orders;
}

static const char *state_of(struct db *db, int64_t order, char *buf,
			    size_t n)
{
	struct db_result *r = ef_rows(db, "SELECT state::text FROM "
				   "wharf.sales_order WHERE id = $1", order);

	snprintf(buf, n, "%s", db_result_text(r, 0, 0));
	db_result_free(r);
	return buf;
}

/* Orders that found no stock are retried after orders never tried, even
 * when they were tried before the new ones arrived; lines of a SKU whose
 * stock ran out within the batch wait. */
static void test_new_orders_first(void **state)
{
	(void)state;
	struct db *db = ef_open("alloc_fair", conninfo, sizeof(conninfo));
	int64_t w1 = ef_wh(db, "W1");
	struct engine_pending_result pr;
	int64_t starved[4], fresh[5];
	char st[32];

	ef_stock(db, "A-01", "NONE1", NULL, 3);
	for (int i = 0; i < 4; i++) {
		char id[16];

		snprintf(id, sizeof(id), "S%d", i);
		starved[i] = ef_order(db, id, "FIFO1", 1, NULL, 0, NULL, 0);
	}
	pending(db, w1, 10, &pr);
	assert_int_equal(pr.orders, 4);
	assert_int_equal(pr.allocated_orders, 0);
	for (int i = 0; i < 4; i++)
		assert_string_equal(state_of(db, starved[i], st, sizeof(st)),
				    "partially_allocated");

	/* Newer than the starved orders' last try. */
	for (int i = 0; i < 5; i++) {
		char id[16];

		snprintf(id, sizeof(id), "N%d", i);
		fresh[i] = ef_order(db, id, "NONE1", 1, NULL, 0, NULL, 0);
	}
	pending(db, w1, 5, &pr);
	assert_int_equal(pr.orders, 5);
	assert_int_equal(pr.allocated_orders, 3);
	assert_int_equal(pr.lines, 5);
	assert_int_equal(pr.units, 3);
	for (int i = 0; i < 5; i++)
		assert_string_equal(state_of(db, fresh[i], st, sizeof(st)),
				    i < 3 ? "allocated" : "partially_allocated");
	for (int i = 0; i < 4; i++)
		assert_string_equal(state_of(db, starved[i], st, sizeof(st)),
				    "partially_allocated");

	/* Then the starved ones, least recently tried first. */
	ef_stock(db, "R-01", "FIFO1", "F2", 2);
	pending(db, w1, 2, &pr);
	assert_int_equal(pr.orders, 2);
	assert_int_equal(pr.allocated_orders, 2);
	assert_string_equal(state_of(db, starved[0], st, sizeof(st)),
			    "allocated");
	assert_string_equal(state_of(db, starved[1], st, sizeof(st)),
			    "allocated");
	assert_string_equal(state_of(db, starved[2], st, sizeof(st)),
			    "partially_allocated");
	ef_verify(db);
	db_close(db);
	th_drop_db("alloc_fair");
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static enum alloc_lot_control lot_control(const char *s)
{
	return strcmp(s, "fefo") == 0	? ALLOC_LOT_FEFO
	       : strcmp(s, "fifo") == 0 ? ALLOC_LOT_FIFO
					: ALLOC_LOT_NONE;
}

/* One batch of 60 random orders (1-3 lines, two shops, one with a
 * stricter shelf-life rule) against stock spread over faces, storage, a
 * blocked bin and quarantine: the allocations are exactly the C
 * planner's, order after order, in that order. */
static void test_batch_matches_planner(void **state)
{
	(void)state;
	struct db *db = ef_open("alloc_plan", conninfo, sizeof(conninfo));
	int64_t w1 = ef_wh(db, "W1");
	static const char *const skus[] = { "FEFO1", "FIFO1", "NONE1" };
	struct engine_pending_result pr;
	struct wh_error err;
	uint32_t seed = 42;
	int32_t today;

	th_exec(db, "INSERT INTO wharf.shop (code, platform, name, "
		"warehouse_id, min_remaining_days) SELECT 'S2', 'tmall', "
		"'Strict', id, 150 FROM wharf.warehouse WHERE code = 'W1'");
	ef_stock(db, "A-01", "FEFO1", "L1", 7);
	ef_stock(db, "A-02", "FEFO1", "L2", 120);
	ef_stock(db, "A-03", "FEFO1", "LX", 40);
	ef_stock(db, "R-01", "FEFO1", "L1", 60);
	ef_stock(db, "R-02", "FEFO1", "L1", 6);
	ef_stock(db, "R-02", "FEFO1", "L0", 9);
	ef_stock(db, "Q-01", "FEFO1", "L0", 50);
	ef_stock(db, "A-01", "FIFO1", "F2", 50);
	ef_stock(db, "R-01", "FIFO1", "F1", 5);
	ef_stock(db, "R-02", "FIFO1", "F1", 8);
	ef_stock(db, "A-02", "FIFO1", "F2", 4);
	ef_stock(db, "A-03", "NONE1", NULL, 20);
	ef_stock(db, "A-01", "NONE1", NULL, 5);
	ef_stock(db, "R-01", "NONE1", NULL, 60);
	ef_stock(db, "R-02", "NONE1", NULL, 40);
	th_exec(db, "UPDATE wharf.location SET blocked = true "
		"WHERE code = 'A-03'");
	for (int i = 0; i < 60; i++) {
		const char *s[3];
		int q[3], n = 1 + (int)(rnd(&seed) % 3);
		char id[16];
		int64_t o;

		snprintf(id, sizeof(id), "P%d", i);
		for (int k = 0; k < 3; k++) {
			s[k] = k < n ? skus[rnd(&seed) % 3] : NULL;
			q[k] = 1 + (int)(rnd(&seed) % 9);
		}
		o = ef_order(db, id, s[0], q[0], s[1], q[1], s[2], q[2]);
		if (i % 4 == 1) {
			struct db_result *r = ef_rows(db,
				"UPDATE wharf.sales_order SET shop_id = (SELECT "
				"id FROM wharf.shop WHERE code = 'S2') WHERE id "
				"= $1 RETURNING id", o);
			db_result_free(r);
		}
	}
	today = (int32_t)th_int(db, "SELECT current_date - DATE '1970-01-01'");

	/* The planner's view, before the batch. */
	struct db_result *cr = ef_rows(db,
		"SELECT st.location_id, st.sku_id, coalesce(st.lot_id, 0), "
		"loc.walk_seq, loc.kind = 'pick', lt.expiry IS NOT NULL, "
		"coalesce(lt.expiry - DATE '1970-01-01', 0), coalesce("
		"floor(extract(epoch FROM lt.first_received_at))::bigint, 0), "
		"st.on_hand - st.allocated, loc.kind NOT IN ('pick', "
		"'storage') OR loc.blocked OR loc.needs_count "
		"FROM wharf.stock st JOIN wharf.location loc ON loc.id = "
		"st.location_id LEFT JOIN wharf.lot lt ON lt.id = st.lot_id "
		"WHERE st.warehouse_id = $1 ORDER BY st.id", w1);
	struct db_result *lr = ef_rows(db,
		"SELECT o.id, l.id, l.sku_id, l.qty, s.lot_control::text, "
		"greatest(s.min_remaining_days, coalesce(sh.min_remaining_days, "
		"0)) FROM wharf.sales_order o JOIN wharf.order_line l ON "
		"l.order_id = o.id JOIN wharf.shop sh ON sh.id = o.shop_id "
		"JOIN wharf.sku s ON s.id = l.sku_id WHERE o.warehouse_id = $1 "
		"ORDER BY o.updated_at, o.id, l.line_no, l.id", w1);
	size_t nc = (size_t)db_result_rows(cr);
	size_t nl = (size_t)db_result_rows(lr);
	struct alloc_candidate *cands = calloc(nc + 1, sizeof(*cands));
	struct alloc_line *lines = calloc(nl + 1, sizeof(*lines));
	int64_t *line_order = calloc(nl + 1, sizeof(*line_order));
	size_t cap = alloc_max_picks(nl, nc) + 1, n_exp = 0;
	struct alloc_pick *exp = calloc(nl * (nc + 1) + 1, sizeof(*exp));
	struct alloc_pick *picks = calloc(cap, sizeof(*picks));
	int64_t *shorts = calloc(nl + 1, sizeof(*shorts));

	assert_non_null(cands);
	assert_non_null(lines);
	assert_non_null(line_order);
	assert_non_null(exp);
	assert_non_null(picks);
	assert_non_null(shorts);
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
		    .has_expiry = strcmp(db_result_text(cr, r, 5), "t") == 0,
		    .expiry_day = (int32_t)db_result_int64(cr, r, 6),
		    .first_received = db_result_int64(cr, r, 7),
		    .available = db_result_int64(cr, r, 8),
		    .quarantined = strcmp(db_result_text(cr, r, 9), "t") == 0,
		};
	}
	for (size_t i = 0; i < nl; i++) {
		int r = (int)i;

		line_order[i] = db_result_int64(lr, r, 0);
		lines[i] = (struct alloc_line){
		    .line_id = db_result_int64(lr, r, 1),
		    .sku_id = db_result_int64(lr, r, 2),
		    .qty = db_result_int64(lr, r, 3),
		    .lot_control = lot_control(db_result_text(lr, r, 4)),
		    .min_remaining_days = (int32_t)db_result_int64(lr, r, 5),
		};
	}
	/* Order after order, each seeing what the earlier ones left. */
	for (size_t a = 0; a < nl;) {
		size_t b = a, n_out;

		while (b < nl && line_order[b] == line_order[a])
			b++;
		if (alloc_plan_order(&lines[a], b - a, today, cands, nc, picks,
				     cap, &n_out, shorts, &err) != WH_OK)
			fail_msg("plan: %s", err.msg);
		for (size_t k = 0; k < n_out; k++) {
			cands[picks[k].cand].available -= picks[k].qty;
			exp[n_exp++] = picks[k];
		}
		a = b;
	}

	pending(db, w1, 1000, &pr);
	assert_int_equal(pr.orders, 60);
	assert_int_equal(pr.lines, (int64_t)nl);
	struct db_result *ar = ef_rows(db,
		"SELECT a.order_line_id, a.location_id, coalesce(a.lot_id, 0), "
		"a.qty FROM wharf.allocation a WHERE a.warehouse_id = $1 "
		"ORDER BY a.id", w1);
	if ((size_t)db_result_rows(ar) != n_exp)
		fail_msg("SQL made %d allocations, C %zu", db_result_rows(ar),
			 n_exp);
	int64_t units = 0;
	for (size_t i = 0; i < n_exp; i++) {
		int r = (int)i;

		assert_int_equal(db_result_int64(ar, r, 0), exp[i].line_id);
		assert_int_equal(db_result_int64(ar, r, 1), exp[i].location_id);
		assert_int_equal(db_result_int64(ar, r, 2), exp[i].lot_id);
		assert_int_equal(db_result_int64(ar, r, 3), exp[i].qty);
		units += exp[i].qty;
	}
	assert_int_equal(pr.units, units);
	print_message("%zu allocations as planned\n", n_exp);
	assert_true(n_exp >= 40);
	/* Some orders went short, some lines were served from two rows. */
	assert_true(th_int(db, "SELECT count(*) FROM wharf.sales_order "
			   "WHERE state = 'partially_allocated'") > 0);
	assert_true(th_int(db, "SELECT count(*) FROM (SELECT order_line_id "
			   "FROM wharf.allocation GROUP BY 1 HAVING count(*) "
			   "> 1) x") > 0);
	db_result_free(ar);
	db_result_free(lr);
	db_result_free(cr);
	free(shorts);
	free(picks);
	free(exp);
	free(line_order);
	free(lines);
	free(cands);
	ef_verify(db);
	db_close(db);
	th_drop_db("alloc_plan");
}

struct worker {
	int64_t w1;
	int other;
	char last_error[WH_ERROR_MSG_MAX];
};

static void *pending_worker(void *arg)
{
	struct worker *w = arg;
	struct wh_error err;
	struct db *db;

	if (db_connect(conninfo, &db, &err) != WH_OK) {
		w->other++;
		return NULL;
	}
	for (int k = 0; k < 40; k++) {
		struct engine_pending_result pr;

		if (engine_allocate_pending(db, w->w1, 5, NULL, &pr, &err) !=
		    WH_OK) {
			w->other++;
			snprintf(w->last_error, sizeof(w->last_error), "%s",
				 err.msg);
		}
	}
	db_close(db);
	return NULL;
}

/* 16 connections run allocate_pending over 200 orders wanting more than
 * there is: every sellable unit is reserved exactly once. */
static void test_pending_race(void **state)
{
	(void)state;
	struct db *db = ef_open("alloc_race", conninfo, sizeof(conninfo));
	struct worker ws[THREADS];
	pthread_t th[THREADS];
	uint32_t seed = 7;

	ef_stock(db, "A-01", "NONE1", NULL, 40);
	ef_stock(db, "R-01", "NONE1", NULL, 30);
	ef_stock(db, "R-02", "NONE1", NULL, 10);
	ef_stock(db, "A-02", "FEFO1", "L1", 15);
	ef_stock(db, "R-01", "FEFO1", "L2", 10);
	ef_stock(db, "A-03", "FEFO1", "LX", 50);
	for (int i = 0; i < 200; i++) {
		char id[16];

		snprintf(id, sizeof(id), "R%d", i);
		ef_order(db, id, i % 2 ? "FEFO1" : "NONE1",
			 1 + (int)(rnd(&seed) % 3), NULL, 0, NULL, 0);
	}
	memset(ws, 0, sizeof(ws));
	for (int i = 0; i < THREADS; i++) {
		ws[i].w1 = ef_wh(db, "W1");
		assert_int_equal(pthread_create(&th[i], NULL, pending_worker,
						&ws[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		if (ws[i].other)
			fail_msg("thread %d: %d errors, last: %s", i,
				 ws[i].other, ws[i].last_error);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE state = 'new'"), 0);
	assert_int_equal(th_int(db, "SELECT sum(a.qty) FROM wharf.allocation a "
				"JOIN wharf.sku s ON s.id = a.sku_id WHERE "
				"s.code = 'NONE1'"), 80);
	assert_int_equal(th_int(db, "SELECT sum(a.qty) FROM wharf.allocation a "
				"JOIN wharf.sku s ON s.id = a.sku_id WHERE "
				"s.code = 'FEFO1'"), 25);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.allocation a "
				"JOIN wharf.lot ON lot.id = a.lot_id WHERE "
				"lot.lot_code = 'LX'"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.stock WHERE "
				"allocated > on_hand"), 0);
	ef_verify(db);
	db_close(db);
	th_drop_db("alloc_race");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_orders_first),
		cmocka_unit_test(test_batch_matches_planner),
		cmocka_unit_test(test_pending_race),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
