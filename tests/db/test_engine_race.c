/*
 * test_engine_race.c - the engine under contention: 16 connections in
 * threads competing for the last units, for the same tasks, and
 * interleaving intercepts with picks and ships. After each, every
 * invariant holds (wharf.verify, wharf.verify_engine).
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

#include "engine_fixture.h"

#define THREADS 16
#define CONN 512

static char conninfo[CONN];

struct worker {
	int no;
	int64_t user, w1;
	int64_t *orders; /* shared list */
	int n_orders;
	/* results */
	int ok, refused, other;
	bool may_ship;
	int64_t claimed[512];
	int n_claimed;
	char last_error[WH_ERROR_MSG_MAX];
};

static void note(struct worker *w, enum wh_err rc, const struct wh_error *e)
{
	if (rc == WH_OK) {
		w->ok++;
	} else if (rc == WH_ERR_REFUSED || rc == WH_ERR_NOT_FOUND) {
		w->refused++;
	} else {
		w->other++;
		snprintf(w->last_error, sizeof(w->last_error), "%s", e->msg);
	}
}

static void run_threads(struct worker *ws, void *(*fn)(void *))
{
	pthread_t th[THREADS];

	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fn, &ws[i]), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		if (ws[i].other)
			fail_msg("thread %d: %d unexpected errors, last: %s", i,
				 ws[i].other, ws[i].last_error);
}

static void *alloc_worker(void *arg)
{
	struct worker *w = arg;
	struct wh_error err;
	struct db *db;
	char op[ENGINE_OP_ID_SIZE];

	if (db_connect(conninfo, &db, &err) != WH_OK) {
		w->other++;
		return NULL;
	}
	/* Every thread tries every order, starting at its own offset: each
	 * order is allocated once, the rest see it done. */
	for (int k = 0; k < w->n_orders; k++) {
		struct engine_alloc_result a;
		int i = (k + w->no * 3) % w->n_orders;

		if (engine_op_id(op, sizeof(op), &err) != WH_OK)
			break;
		note(w, engine_allocate(db, w->orders[i], op, NULL, &a, &err),
		     &err);
	}
	db_close(db);
	return NULL;
}

/* 48 one-unit orders race for 20 units: exactly 20 are served. */
static void test_race_last_units(void **state)
{
	(void)state;
	struct worker ws[THREADS];
	int64_t orders[48];
	struct db *db = ef_open("eng_race1", conninfo, sizeof(conninfo));

	ef_stock(db, "A-01", "NONE1", NULL, 12);
	ef_stock(db, "R-01", "NONE1", NULL, 8);
	ef_stock(db, "A-02", "FEFO1", "L1", 3);
	ef_stock(db, "A-03", "FEFO1", "LX", 50);
	for (int i = 0; i < 48; i++) {
		char id[16];

		snprintf(id, sizeof(id), "R%d", i);
		orders[i] = i % 4 == 3
				    ? ef_order(db, id, "FEFO1", 1, NULL, 0, NULL, 0)
				    : ef_order(db, id, "NONE1", 1, NULL, 0, NULL, 0);
	}
	memset(ws, 0, sizeof(ws));
	for (int i = 0; i < THREADS; i++) {
		ws[i].no = i;
		ws[i].orders = orders;
		ws[i].n_orders = 48;
	}
	run_threads(ws, alloc_worker);
	assert_int_equal(th_int(db, "SELECT sum(qty) FROM wharf.allocation a "
				"JOIN wharf.sku s ON s.id = a.sku_id WHERE "
				"s.code = 'NONE1'"), 20);
	assert_int_equal(th_int(db, "SELECT sum(qty) FROM wharf.allocation a "
				"JOIN wharf.sku s ON s.id = a.sku_id WHERE "
				"s.code = 'FEFO1'"), 3);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE state = 'allocated'"), 23);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.stock WHERE "
				"allocated > on_hand OR on_hand < 0"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.operation"),
			 48 * THREADS);
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_race1");
}

static void *pick_worker(void *arg)
{
	struct worker *w = arg;
	struct engine_actor me = { .user_id = w->user };
	struct wh_error err;
	struct db *db;
	char op[ENGINE_OP_ID_SIZE];
	int rounds = 0;

	if (db_connect(conninfo, &db, &err) != WH_OK) {
		w->other++;
		return NULL;
	}
	for (;;) {
		struct engine_task t;
		struct engine_pick_result res;
		enum wh_err rc = engine_claim_task(db, &me, w->w1, &t, &err);

		if (rc == WH_ERR_NOT_FOUND)
			break;
		if (rc != WH_OK) {
			note(w, rc, &err);
			break;
		}
		if (w->n_claimed < 512)
			w->claimed[w->n_claimed++] = t.task_id;
		struct engine_pick p = {
		    .task_id = t.task_id, .location_code = t.location_code,
		    .barcode = "NONE1", .qty = (int32_t)t.qty,
		    .op_id = op,
		};
		if (engine_op_id(op, sizeof(op), &err) != WH_OK)
			break;
		if (strcmp(t.kind, "putback") == 0) {
			struct engine_putback_result pb;

			rc = engine_confirm_putback(db, t.task_id,
						    t.to_location_code,
						    (int32_t)t.qty, op, &me, &pb,
						    &err);
		} else {
			rc = engine_confirm_pick(db, &p, &me, &res, &err);
		}
		note(w, rc, &err);
		/* A refusal (an intercepted order) cancelled the task; a
		 * failure ends the thread. */
		if (rc != WH_OK && rc != WH_ERR_REFUSED)
			break;
		if (++rounds > 2000)
			break;
	}
	db_close(db);
	return NULL;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Creates n one-unit orders, allocates them and releases a wave. */
static void orders_released(struct db *db, int n, int64_t *ids)
{
	struct engine_pending_result pr;
	struct engine_wave_result wr;
	struct engine_wave_limits lim = {
	    .strategy = WAVE_MULTI_ITEM, .max_orders = 1000,
	    .max_units = 100000, .max_totes = 40, .slots_per_tote = 8,
	};
	struct engine_actor sup = { .user_id = ef_user(db, "s1") };
	struct wh_error err;
	int64_t w1 = ef_wh(db, "W1");

	for (int i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "Q%d", i);
		ids[i] = ef_order(db, id, "NONE1", 1 + i % 2, NULL, 0, NULL, 0);
	}
	if (engine_allocate_pending(db, w1, 1000, NULL, &pr, &err) != WH_OK)
		fail_msg("allocate_pending: %s", err.msg);
	assert_int_equal(pr.allocated_orders, n);
	lim.strategy = WAVE_BY_CARRIER;
	if (engine_release_wave(db, w1, &lim, &sup, &wr, &err) != WH_OK)
		fail_msg("release: %s", err.msg);
	assert_int_equal(wr.orders, n);
}

static void make_pickers(struct db *db, struct worker *ws)
{
	th_exec(db, "INSERT INTO wharf.app_user (login, display_name, role, "
		"pin_hash) SELECT 'q' || n, 'Q', 'picker', 'x' FROM "
		"generate_series(1, 16) n");
	memset(ws, 0, sizeof(*ws) * THREADS);
	for (int i = 0; i < THREADS; i++) {
		char login[8];

		snprintf(login, sizeof(login), "q%d", i + 1);
		ws[i].no = i;
		ws[i].user = ef_user(db, login);
		ws[i].w1 = ef_wh(db, "W1");
	}
}

/* 16 pickers drain 200 tasks: none is claimed or picked twice. */
static void test_race_claims(void **state)
{
	(void)state;
	static struct worker ws[THREADS];
	int64_t ids[200], all[200 * 2];
	int n_all = 0;
	struct db *db = ef_open("eng_race2", conninfo, sizeof(conninfo));

	ef_stock(db, "A-01", "NONE1", NULL, 150);
	ef_stock(db, "A-02", "NONE1", NULL, 150);
	ef_stock(db, "R-01", "NONE1", NULL, 200);
	orders_released(db, 200, ids);
	int64_t tasks = th_int(db, "SELECT count(*) FROM wharf.pick_task");
	make_pickers(db, ws);
	run_threads(ws, pick_worker);
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < ws[i].n_claimed; k++)
			all[n_all++] = ws[i].claimed[k];
	assert_int_equal(n_all, tasks);
	qsort(all, (size_t)n_all, sizeof(all[0]), cmp64);
	for (int i = 1; i < n_all; i++)
		assert_true(all[i] != all[i - 1]);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.pick_task "
				"WHERE state <> 'done'"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE state = 'picked'"), 200);
	assert_int_equal(th_int(db, "SELECT sum(qty_picked) FROM "
				"wharf.order_line"), 300);
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_race2");
}

static void *intercept_worker(void *arg)
{
	struct worker *w = arg;
	struct engine_actor packer = { .user_id = w->user };
	struct wh_error err;
	struct db *db;
	char op[ENGINE_OP_ID_SIZE];

	if (db_connect(conninfo, &db, &err) != WH_OK) {
		w->other++;
		return NULL;
	}
	for (int k = 0; k < w->n_orders; k++) {
		int i = (k * 7 + w->no * 5) % w->n_orders;
		enum wh_err rc;

		if (engine_op_id(op, sizeof(op), &err) != WH_OK)
			break;
		if (!w->may_ship || (w->no % 2 == 0 && i % 3 != 0)) {
			struct engine_intercept_result ir;

			rc = engine_intercept(db, w->orders[i], "refund", op,
					      NULL, &ir, &err);
		} else {
			struct engine_ship_result sr;
			char trk[32];

			snprintf(trk, sizeof(trk), "T%lld",
				 (long long)w->orders[i]);
			rc = engine_ship(db, w->orders[i], "SF", trk, 100, op,
					 &packer, &sr, &err);
		}
		note(w, rc, &err);
	}
	db_close(db);
	return NULL;
}

static void *pick_or_intercept_worker(void *arg)
{
	struct worker *w = arg;

	if (w->no % 4 == 0)
		return intercept_worker(arg);
	return pick_worker(arg);
}

/* Intercepts race with picks, then with packs' ships: no intercepted
 * order ever ships, every picked unit of one gets a put-back task. */
static void test_race_intercepts(void **state)
{
	(void)state;
	static struct worker ws[THREADS];
	int64_t ids[120];
	struct db *db = ef_open("eng_race3", conninfo, sizeof(conninfo));
	struct engine_actor packer = { .user_id = ef_user(db, "k1") };
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];

	ef_stock(db, "A-01", "NONE1", NULL, 300);
	orders_released(db, 120, ids);
	make_pickers(db, ws);
	for (int i = 0; i < THREADS; i++) {
		ws[i].orders = ids;
		ws[i].n_orders = 40; /* the first 40 may be intercepted */
	}
	run_threads(ws, pick_or_intercept_worker);
	/* Pack what was picked and not intercepted. */
	struct db_result *r;
	assert_int_equal(db_exec(db, "SELECT o.id, l.qty FROM wharf.sales_order "
				 "o JOIN wharf.order_line l ON l.order_id = o.id "
				 "WHERE o.state = 'picked' ORDER BY o.id", 0,
				 NULL, &r, &err), WH_OK);
	for (int i = 0; i < db_result_rows(r); i++) {
		struct engine_pack_result pk;

		for (int u = 0; u < db_result_int64(r, i, 1); u++)
			if (engine_pack_verify(db, db_result_int64(r, i, 0),
					       "NONE1", NULL, ef_op(op),
					       &packer, &pk, &err) != WH_OK)
				fail_msg("pack: %s", err.msg);
	}
	db_result_free(r);
	/* Now ships race with intercepts over all 120 orders. */
	for (int i = 0; i < THREADS; i++) {
		ws[i].user = packer.user_id;
		ws[i].n_orders = 120;
		ws[i].may_ship = true;
	}
	run_threads(ws, intercept_worker);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE intercepted_at IS NOT NULL AND state = "
				"'shipped'"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE intercepted_at IS NULL AND state <> "
				"'shipped'"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.shipment s "
				"JOIN wharf.outbox o ON o.order_id = s.order_id"),
			 th_int(db, "SELECT count(*) FROM wharf.sales_order "
				"WHERE state = 'shipped'"));
	assert_int_equal(th_int(db, "SELECT coalesce(sum(l.qty_picked), 0) "
				"FROM wharf.order_line l JOIN wharf.sales_order o "
				"ON o.id = l.order_id WHERE o.intercepted_at IS "
				"NOT NULL"),
			 th_int(db, "SELECT coalesce(sum(qty - qty_done), 0) "
				"FROM wharf.pick_task WHERE kind = 'putback' "
				"AND state IN ('open', 'claimed')"));
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_race3");
}

/* The end of a wave: pickers each hold one of a wave's last tasks and
 * confirm them at the same instant. Whoever commits last must see the
 * others' closes and mark the wave done (each alone sees the others'
 * tasks still claimed). Rounds repeat it with fresh waves. */
#define WAVE_END_PICKERS 3
#define WAVE_END_ROUNDS 12

struct closer {
	int64_t user, w1;
	pthread_barrier_t *go;
	struct engine_task task;
	enum wh_err rc;
	char error[WH_ERROR_MSG_MAX];
};

static void *close_worker(void *arg)
{
	struct closer *c = arg;
	struct engine_actor me = { .user_id = c->user };
	struct engine_pick_result res;
	struct engine_task next;
	struct wh_error err = { 0 };
	char op[ENGINE_OP_ID_SIZE];
	bool has_next;
	struct db *db = NULL;

	c->rc = db_connect(conninfo, &db, &err);
	if (c->rc == WH_OK)
		c->rc = engine_claim_task(db, &me, c->w1, &c->task, &err);
	if (c->rc == WH_OK)
		c->rc = engine_op_id(op, sizeof(op), &err);
	pthread_barrier_wait(c->go); /* everyone holds a task */
	pthread_barrier_wait(c->go); /* and confirms it now */
	if (c->rc == WH_OK) {
		struct engine_pick p = {
		    .task_id = c->task.task_id,
		    .location_code = c->task.location_code,
		    .barcode = "NONE1", .qty = (int32_t)c->task.qty,
		    .op_id = op,
		};
		c->rc = engine_confirm_pick_next(db, &p, &me, c->w1, &res,
						 &next, &has_next, &err);
	}
	if (c->rc != WH_OK)
		snprintf(c->error, sizeof(c->error), "%s", err.msg);
	if (db)
		db_close(db);
	return NULL;
}

static void test_race_wave_end(void **state)
{
	(void)state;
	static const char *const bins[] = { "A-01", "A-02", "A-03" };
	struct db *db = ef_open("eng_race4", conninfo, sizeof(conninfo));
	struct engine_actor sup = { .user_id = ef_user(db, "s1") };
	struct engine_wave_limits lim = {
	    .strategy = WAVE_BY_CARRIER, .max_orders = 100,
	    .max_units = 100, .max_totes = 3, .slots_per_tote = 1,
	};
	struct closer cs[WAVE_END_PICKERS];
	pthread_t th[WAVE_END_PICKERS];
	pthread_barrier_t go;
	struct wh_error err;
	int64_t w1 = ef_wh(db, "W1");

	th_exec(db, "INSERT INTO wharf.app_user (login, display_name, role, "
		"pin_hash) SELECT 'e' || n, 'E', 'picker', 'x' FROM "
		"generate_series(1, 3) n");
	for (int round = 0; round < WAVE_END_ROUNDS; round++) {
		struct engine_pending_result pr;
		struct engine_wave_result wr;

		/* One unit in each bin, one one-unit order per bin, a tote
		 * per order: three tasks that share no row. */
		for (int i = 0; i < WAVE_END_PICKERS; i++) {
			char id[24];

			ef_stock(db, bins[i], "NONE1", NULL, 1);
			snprintf(id, sizeof(id), "E%d-%d", round, i);
			ef_order(db, id, "NONE1", 1, NULL, 0, NULL, 0);
		}
		assert_int_equal(engine_allocate_pending(db, w1, 100, NULL, &pr,
							 &err), WH_OK);
		assert_int_equal(engine_release_wave(db, w1, &lim, &sup, &wr,
						     &err), WH_OK);
		assert_int_equal(th_int(db, "SELECT count(*) FROM "
					"wharf.pick_task WHERE state = 'open'"),
				 WAVE_END_PICKERS);
		pthread_barrier_init(&go, NULL, WAVE_END_PICKERS);
		for (int i = 0; i < WAVE_END_PICKERS; i++) {
			char login[8];

			snprintf(login, sizeof(login), "e%d", i + 1);
			memset(&cs[i], 0, sizeof(cs[i]));
			cs[i].user = ef_user(db, login);
			cs[i].w1 = w1;
			cs[i].go = &go;
			pthread_create(&th[i], NULL, close_worker, &cs[i]);
		}
		for (int i = 0; i < WAVE_END_PICKERS; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&go);
		for (int i = 0; i < WAVE_END_PICKERS; i++)
			if (cs[i].rc != WH_OK)
				fail_msg("round %d picker %d: %s", round, i,
					 cs[i].error);
		assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.wave "
					"WHERE state <> 'done'"), 0);
	}
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_race4");
}

/* The same first call sent twice at once (a station that timed out and
 * resent): one does the work, the other answers as its replay. */
struct replayer {
	int64_t user, w1, task;
	const char *op, *location;
	pthread_barrier_t *go;
	struct engine_pick_result res;
	enum wh_err rc;
	char error[WH_ERROR_MSG_MAX];
};

static void *replay_worker(void *arg)
{
	struct replayer *r = arg;
	struct engine_actor me = { .user_id = r->user };
	struct wh_error err = { 0 };
	struct db *db;
	struct engine_pick p = {
	    .task_id = r->task, .location_code = r->location,
	    .barcode = "NONE1", .qty = 1, .op_id = r->op,
	};

	r->rc = db_connect(conninfo, &db, &err);
	pthread_barrier_wait(r->go);
	if (r->rc == WH_OK) {
		r->rc = engine_confirm_pick(db, &p, &me, &r->res, &err);
		db_close(db);
	}
	if (r->rc != WH_OK)
		snprintf(r->error, sizeof(r->error), "%s", err.msg);
	return NULL;
}

static void test_race_replay(void **state)
{
	(void)state;
	struct db *db = ef_open("eng_race5", conninfo, sizeof(conninfo));
	struct engine_actor me = { .user_id = ef_user(db, "p1") };
	struct replayer rs[2];
	pthread_t th[2];
	pthread_barrier_t go;
	struct engine_task t;
	struct wh_error err;
	char op[ENGINE_OP_ID_SIZE];
	int64_t ids[4];

	/* Four orders, six units: each round races one unit of whatever
	 * task the picker holds. */
	ef_stock(db, "A-01", "NONE1", NULL, 10);
	orders_released(db, 4, ids);
	for (int round = 0; round < 6; round++) {
		assert_int_equal(engine_claim_task(db, &me, ef_wh(db, "W1"), &t,
						   &err), WH_OK);
		ef_op(op);
		pthread_barrier_init(&go, NULL, 2);
		for (int i = 0; i < 2; i++) {
			memset(&rs[i], 0, sizeof(rs[i]));
			rs[i].user = me.user_id;
			rs[i].task = t.task_id;
			rs[i].op = op;
			rs[i].location = t.location_code;
			rs[i].go = &go;
			pthread_create(&th[i], NULL, replay_worker, &rs[i]);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&go);
		for (int i = 0; i < 2; i++)
			if (rs[i].rc != WH_OK)
				fail_msg("round %d caller %d: %s", round, i,
					 rs[i].error);
		/* One first call, one replay, the same answer. */
		assert_true(rs[0].res.replayed != rs[1].res.replayed);
		assert_int_equal(rs[0].res.units, rs[1].res.units);
		assert_int_equal(rs[0].res.remaining, rs[1].res.remaining);
		assert_int_equal(ef_q1(db, "SELECT count(*) FROM "
				       "wharf.stock_move WHERE op_id = $1::uuid",
				       op), 1);
	}
	ef_verify(db);
	db_close(db);
	th_drop_db("eng_race5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_race_last_units),
		cmocka_unit_test(test_race_claims),
		cmocka_unit_test(test_race_intercepts),
		cmocka_unit_test(test_race_wave_end),
		cmocka_unit_test(test_race_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
