/*
 * test_station_worker.c - the station's database worker (db/dbworker.h)
 * against a real PostgreSQL: calls complete in submission order and the
 * fd says when; a slow call blocks neither submit nor poll; stopping while
 * a call runs frees everything once; a killed backend comes back as a lost
 * connection (WH_ERR_DB) and the next call reconnects; no server at all is
 * a lost connection too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>

#include <cmocka.h>

#include "db/dbworker.h"
#include "harness.h"

static char conninfo[1024];
static struct db *mon; /* the test's own connection, to watch and kill */

/* A request: one query whose first value (an integer) is the answer. */
struct req {
	char sql[160];
};

static int reqs_freed, results_freed;

static enum wh_err run(void *ctx, struct db *db, void *req, void **result,
		       struct wh_error *err)
{
	struct req *q = req;
	struct db_result *r;
	int64_t *v;
	enum wh_err rc;

	(void)ctx;
	rc = db_exec(db, q->sql, 0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	v = malloc(sizeof(*v));
	if (!v) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	*v = db_result_int64(r, 0, 0);
	db_result_free(r);
	*result = v;
	return WH_OK;
}

static void free_req(void *ctx, void *req)
{
	(void)ctx;
	reqs_freed++;
	free(req);
}

static void free_result(void *ctx, void *result)
{
	(void)ctx;
	results_freed++;
	free(result);
}

static const struct dbworker_ops ops = {
	.run = run,
	.free_req = free_req,
	.free_result = free_result,
};

static struct req *req_new(const char *sql)
{
	struct req *q = calloc(1, sizeof(*q));

	assert_non_null(q);
	snprintf(q->sql, sizeof(q->sql), "%s", sql);
	return q;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* poll() on the worker's fd: true when it turned readable in ms. */
static bool fd_ready(struct dbworker *w, int ms)
{
	struct pollfd p = { .fd = dbworker_fd(w), .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* Waits (up to 10 s) until a backend runs a query containing what. */
static void wait_running(const char *what)
{
	char sql[256];
	int i;

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM pg_stat_activity WHERE state = "
		 "'active' AND query LIKE '%%%s%%' AND pid <> "
		 "pg_backend_pid()", what);
	for (i = 0; i < 1000; i++) {
		if (th_int(mon, sql) > 0)
			return;
		poll(NULL, 0, 10);
	}
	fail_msg("no backend runs %s", what);
}

static struct dbworker *start(const char *ci)
{
	struct wh_error err = { 0 };
	struct dbworker *w;

	assert_int_equal(dbworker_start(&ops, ci, NULL, &w, &err), WH_OK);
	assert_non_null(w);
	return w;
}

static void done_free(struct dbworker_done *d)
{
	free(d->req);
	free(d->result);
}

static void test_in_order(void **state)
{
	struct dbworker *w = start(conninfo);
	struct dbworker_done d;
	char sql[64];
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i * 10);
		assert_int_equal(dbworker_submit(w, (uint64_t)i, req_new(sql),
						 NULL), WH_OK);
	}
	assert_true(fd_ready(w, 10000));
	for (i = 0; i < 20; i++) {
		assert_true(dbworker_wait(w, &d));
		assert_int_equal(d.tag, (uint64_t)i);
		assert_int_equal(d.err, WH_OK);
		assert_non_null(d.result);
		assert_int_equal(*(int64_t *)d.result, i * 10);
		done_free(&d);
	}
	/* all taken: nothing to wait for, and the fd is quiet again */
	assert_false(dbworker_wait(w, &d));
	assert_false(dbworker_take(w, &d));
	assert_int_equal(dbworker_outstanding(w), 0);
	assert_false(fd_ready(w, 0));
	dbworker_stop(w);
}

static void test_slow_call_does_not_block(void **state)
{
	struct dbworker *w = start(conninfo);
	struct dbworker_done d;
	uint64_t t0 = now_ms(), t;

	(void)state;
	assert_int_equal(dbworker_submit(w, 1, req_new(
		"SELECT 7 FROM pg_sleep(1.5)"), NULL), WH_OK);
	assert_int_equal(dbworker_submit(w, 2, req_new("SELECT 8"), NULL),
			 WH_OK);
	t = now_ms() - t0;
	assert_true(t < 200);
	/* the caller's poll times out as usual meanwhile */
	assert_false(fd_ready(w, 100));
	assert_false(dbworker_take(w, &d));
	assert_int_equal(dbworker_outstanding(w), 2);
	assert_true(fd_ready(w, 10000));
	assert_true(now_ms() - t0 >= 1400);
	assert_true(dbworker_take(w, &d));
	assert_int_equal(d.tag, 1);
	assert_int_equal(*(int64_t *)d.result, 7);
	done_free(&d);
	assert_true(dbworker_wait(w, &d));
	assert_int_equal(d.tag, 2);
	assert_int_equal(*(int64_t *)d.result, 8);
	done_free(&d);
	dbworker_stop(w);
}

static void test_stop_while_running(void **state)
{
	struct dbworker *w = start(conninfo);
	uint64_t t0;
	int i;

	(void)state;
	reqs_freed = results_freed = 0;
	assert_int_equal(dbworker_submit(w, 1, req_new(
		"SELECT 1 FROM pg_sleep(1) /* stop-me */"), NULL), WH_OK);
	assert_int_equal(dbworker_submit(w, 2, req_new("SELECT 2"), NULL),
			 WH_OK);
	wait_running("stop-me");
	t0 = now_ms();
	/* the running call finishes, the queued one never runs; both
	 * requests and the one result are freed exactly once (ASan
	 * counts leaks, the counters the frees) */
	dbworker_stop(w);
	assert_true(now_ms() - t0 < 5000);
	assert_int_equal(reqs_freed, 2);
	assert_int_equal(results_freed, 1);
	/* and the worker's connection is closed (the backend exits soon) */
	for (i = 0; i < 500 && th_int(mon, "SELECT count(*) FROM "
				      "pg_stat_activity WHERE query LIKE "
				      "'%stop-me%' AND pid <> "
				      "pg_backend_pid()") > 0; i++)
		poll(NULL, 0, 10);
	assert_true(i < 500);
}

static void test_killed_backend(void **state)
{
	struct dbworker *w = start(conninfo);
	struct dbworker_done d;
	char sql[128];
	int64_t pid, pid2;

	(void)state;
	assert_int_equal(dbworker_submit(w, 1, req_new(
		"SELECT pg_backend_pid()"), NULL), WH_OK);
	assert_true(dbworker_wait(w, &d));
	assert_int_equal(d.err, WH_OK);
	pid = *(int64_t *)d.result;
	done_free(&d);

	assert_int_equal(dbworker_submit(w, 2, req_new(
		"SELECT 1 FROM pg_sleep(30) /* kill-me */"), NULL), WH_OK);
	wait_running("kill-me");
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)::int",
		 (long long)pid);
	assert_int_equal(th_int(mon, sql), 1);
	assert_true(fd_ready(w, 10000));
	assert_true(dbworker_take(w, &d));
	assert_int_equal(d.tag, 2);
	assert_int_equal(d.err, WH_ERR_DB);
	assert_null(d.result);
	assert_true(dbworker_conn_lost(d.err, &d.e));
	done_free(&d);

	/* the next call runs on a new connection */
	assert_int_equal(dbworker_submit(w, 3, req_new(
		"SELECT pg_backend_pid()"), NULL), WH_OK);
	assert_true(dbworker_wait(w, &d));
	assert_int_equal(d.err, WH_OK);
	pid2 = *(int64_t *)d.result;
	assert_true(pid2 != pid);
	done_free(&d);

	/* and so does the one after dbworker_reconnect() */
	dbworker_reconnect(w);
	assert_int_equal(dbworker_submit(w, 4, req_new(
		"SELECT pg_backend_pid()"), NULL), WH_OK);
	assert_true(dbworker_wait(w, &d));
	assert_int_equal(d.err, WH_OK);
	assert_true(*(int64_t *)d.result != pid2);
	done_free(&d);
	dbworker_stop(w);
}

static void test_no_server(void **state)
{
	struct dbworker *w = start("host=/nonexistent-wharf-dir dbname=x "
				   "connect_timeout=2");
	struct dbworker_done d;

	(void)state;
	assert_int_equal(dbworker_submit(w, 9, req_new("SELECT 1"), NULL),
			 WH_OK);
	assert_true(dbworker_wait(w, &d));
	assert_int_equal(d.tag, 9);
	assert_int_equal(d.err, WH_ERR_DB);
	assert_true(dbworker_conn_lost(d.err, &d.e));
	assert_null(d.result);
	done_free(&d);
	dbworker_stop(w);
}

static int setup(void **state)
{
	(void)state;
	th_create_db("worker", false, conninfo, sizeof(conninfo));
	mon = th_connect(conninfo);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(mon);
	th_drop_db("worker");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_slow_call_does_not_block),
		cmocka_unit_test(test_stop_while_running),
		cmocka_unit_test(test_killed_backend),
		cmocka_unit_test(test_no_server),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
