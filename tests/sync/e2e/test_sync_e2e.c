/*
 * test_sync_e2e.c - the sync loop against the real simulator and a real
 * demo-seeded database.
 *
 * One scenario in steps that build on each other: N orders across all
 * eight shops arrive exactly once with the platform's latest status under
 * injected faults (429, 5xx, timeouts, malformed JSON, duplicate and
 * out-of-order pages); a refund mid-flow intercepts an allocated order;
 * ship confirmations reach the right platform with the right tracking
 * number exactly once, also when an ack is lost; stock pushes converge
 * to wharf's available-to-promise; a leader whose backend is terminated
 * is replaced without losing or duplicating anything; wharf.verify() is
 * clean at the end.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/seed.h"
#include "harness.h"
#include "sync/sync_loop.h"

extern char **environ;

#define SKUS 40

static char conninfo[512];
static char base[160];
static pid_t sim_pid = -1;
static long norders = 1000;

static const char *const shops[] = {
	"TB-FLAGSHIP", "TM-BABY", "JD-SELF", "PDD-MAIN",
	"DY-LIVE", "AMZ-US", "SHOPIFY", "WOO-EU",
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void start_sim(void)
{
	const char *bin = getenv("WHARF_SIM_BIN");
	char *argv[] = { (char *)bin, "--port", "0", "--seed", "7",
			 "--skus", "40", "--cancel-rate", "0",
			 "--refund-rate", "0", "--rate-limit-scale", "20",
			 NULL };
	posix_spawn_file_actions_t fa;
	int fds[2];
	char line[128];
	FILE *f;

	assert_non_null(bin);
	assert_int_equal(pipe(fds), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	assert_int_equal(posix_spawn(&sim_pid, bin, &fa, NULL, argv, environ),
			 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	f = fdopen(fds[0], "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_true(!strncmp(line, "LISTENING 127.0.0.1:", 20));
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(base, sizeof(base), "http://%s", line + 10);
}

static void stop_sim(void)
{
	if (sim_pid > 0) {
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
		sim_pid = -1;
	}
}

/* A control call to the simulator; returns the JSON answer. */
static json_t *sim(const char *method, const char *path, const char *fmt,
		   ...)
{
	struct sync_http *h;
	struct sync_http_req q;
	struct sync_http_resp r;
	struct wh_error e;
	char body[512], *url = sync_str_join(base, path, NULL);
	json_t *j;

	assert_non_null(url);
	assert_int_equal(sync_http_new(NULL, &h, &e), WH_OK);
	assert_int_equal(sync_http_req_init(&q, method, url, &e), WH_OK);
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(body, sizeof(body), fmt, ap);
		va_end(ap);
		sync_http_req_header(&q, "Content-Type", "application/json",
				     &e);
		sync_http_req_body(&q, body, strlen(body), &e);
	}
	assert_int_equal(sync_http_perform(h, &q, &r, 1, &e), WH_OK);
	if (r.status >= 300)
		fail_msg("%s %s -> %ld %s", method, path, r.status, r.body);
	j = json_loads(r.body, 0, NULL);
	sync_http_req_free(&q);
	sync_http_resp_free(&r);
	sync_http_free(h);
	free(url);
	return j ? j : json_null();
}

static void run_once(struct sync_stats *st)
{
	struct sync_config cfg = { 0 };
	struct wh_error e;

	cfg.conninfo = conninfo;
	cfg.once = true;
	cfg.rate_scale = 20;
	cfg.http_timeout_ms = 1500;
	cfg.max_attempts = 10;
	cfg.backoff_base_ms = 20;
	cfg.backoff_cap_ms = 500;
	cfg.initial_lookback = 3600;
	cfg.stats = st;
	cfg.log = getenv("WHARF_E2E_LOG") ? stderr : NULL;
	cfg.log_level = SYNC_LOG_DEBUG;
	assert_int_equal(sync_run(&cfg, &e), WH_OK);
}

static int64_t q1(struct db *db, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return th_int(db, sql);
}

/* Every simulator order of every shop is in wharf once, same state. */
static void check_orders(struct db *db, long *total)
{
	*total = 0;
	for (size_t i = 0; i < sizeof(shops) / sizeof(shops[0]); i++) {
		char path[96];
		json_t *j, *o;
		size_t k;

		snprintf(path, sizeof(path), "/_sim/orders?shop=%s", shops[i]);
		j = sim("GET", path, NULL);
		json_array_foreach(json_object_get(j, "orders"), k, o) {
			const char *id = json_string_value(
				json_object_get(o, "id"));
			const char *st = json_string_value(
				json_object_get(o, "state"));
			bool refund = json_is_true(json_object_get(
				o, "refund_requested"));
			char sql[512], state[32];

			/* JD lists paid orders only. */
			if (!strcmp(shops[i], "JD-SELF") &&
			    !strcmp(st, "unpaid"))
				continue;

			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM wharf.sales_order o "
				 "JOIN wharf.shop s ON s.id = o.shop_id WHERE "
				 "s.code = '%s' AND o.platform_order_id = '%s'",
				 shops[i], id);
			if (th_int(db, sql) != 1)
				fail_msg("%s order %s is in wharf %lld times",
					 shops[i], id,
					 (long long)th_int(db, sql));
			snprintf(sql, sizeof(sql),
				 "SELECT CASE WHEN o.intercepted_at IS NOT "
				 "NULL THEN 'intercepted' ELSE o.state::text "
				 "END FROM wharf.sales_order o JOIN wharf.shop "
				 "s ON s.id = o.shop_id WHERE s.code = '%s' "
				 "AND o.platform_order_id = '%s'",
				 shops[i], id);
			th_text(db, sql, state, sizeof(state));
			if (refund || !strcmp(st, "cancelled"))
				assert_string_equal(state, "intercepted");
			else if (!strcmp(st, "paid"))
				assert_true(!strcmp(state, "new") ||
					    !strcmp(state, "allocated") ||
					    !strcmp(state, "partially_allocated"));
			(*total)++;
		}
		json_decref(j);
	}
}

static void check_stock(struct db *db)
{
	json_t *j = sim("GET", "/_sim/stock", NULL), *e;
	size_t k, n = 0;

	json_array_foreach(json_object_get(j, "stock"), k, e) {
		char sql[512];
		int64_t want;

		snprintf(sql, sizeof(sql),
			 "SELECT coalesce((SELECT atp FROM "
			 "wharf.sync_stock_levels((SELECT id FROM wharf.shop "
			 "WHERE code = '%s')) WHERE outer_code = '%s'), -1)",
			 json_string_value(json_object_get(e, "shop")),
			 json_string_value(json_object_get(e, "sku")));
		want = th_int(db, sql);
		if (want != json_integer_value(json_object_get(e, "quantity")))
			fail_msg("%s %s: platform has %lld, wharf promises %lld",
				 json_string_value(json_object_get(e, "shop")),
				 json_string_value(json_object_get(e, "sku")),
				 (long long)json_integer_value(
					 json_object_get(e, "quantity")),
				 (long long)want);
		n++;
	}
	/* Every mapped SKU of every shop was pushed at least once. */
	assert_int_equal((int64_t)n,
			 th_int(db, "SELECT count(*) FROM wharf.shop_sku"));
	json_decref(j);
}

struct runner {
	pthread_t t;
	atomic_bool stop;
	atomic_bool leader;
	struct sync_stats st;
};

static void *run_loop(void *p)
{
	struct runner *r = p;
	struct sync_config cfg = { 0 };
	struct wh_error e;

	cfg.conninfo = conninfo;
	cfg.rate_scale = 20;
	cfg.poll_ms = 200;
	cfg.lock_retry_ms = 200;
	cfg.http_timeout_ms = 1500;
	cfg.max_attempts = 10;
	cfg.backoff_base_ms = 20;
	cfg.backoff_cap_ms = 500;
	cfg.stop = &r->stop;
	cfg.is_leader = &r->leader;
	cfg.stats = &r->st;
	sync_run(&cfg, &e);
	return NULL;
}


static void test_sync_end_to_end(void **state)
{
	struct seed_report rep;
	struct wh_error e;
	struct sync_stats st = { 0 };
	struct db *db;
	long total;
	char ids[8][64], sql[1024];
	json_t *j;
	int64_t t0;

	(void)state;
	if (getenv("WHARF_E2E_ORDERS"))
		norders = strtol(getenv("WHARF_E2E_ORDERS"), NULL, 10);
	th_create_db("sync_e2e", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	assert_int_equal(db_seed_demo(db, 1, NULL, &rep, &e), WH_OK);
	start_sim();
	snprintf(sql, sizeof(sql), "UPDATE wharf.shop SET api_base_url = "
		 "'%s/' || code; DELETE FROM wharf.shop_sku WHERE outer_code "
		 "> 'SKU-%06d'", base, SKUS);
	th_exec(db, sql);

	/* 1. N orders under every kind of fault. */
	json_decref(sim("POST", "/_sim/orders", "{\"shop\":\"*\",\"count\":%ld,"
			"\"state\":\"paid\"}", norders / 8));
	json_decref(sim("POST", "/_sim/orders", "{\"shop\":\"*\",\"count\":3,"
			"\"state\":\"unpaid\"}"));
	json_decref(sim("POST", "/_sim/faults", "{\"shop\":\"*\",\"kind\":"
			"\"429\",\"probability\":0.05}"));
	json_decref(sim("POST", "/_sim/faults", "{\"shop\":\"*\",\"kind\":"
			"\"500\",\"probability\":0.03}"));
	json_decref(sim("POST", "/_sim/faults", "{\"shop\":\"*\",\"kind\":"
			"\"malformed\",\"probability\":0.03}"));
	json_decref(sim("POST", "/_sim/faults", "{\"shop\":\"*\",\"kind\":"
			"\"duplicate_page\",\"probability\":0.2}"));
	json_decref(sim("POST", "/_sim/faults", "{\"shop\":\"*\",\"kind\":"
			"\"out_of_order\",\"probability\":0.2}"));
	json_decref(sim("POST", "/_sim/faults", "{\"shop\":\"*\",\"kind\":"
			"\"timeout\",\"count\":3,\"delay_ms\":2500}"));
	sleep_ms(1100);
	t0 = (int64_t)time(NULL);
	run_once(&st);
	fprintf(stderr, "e2e: first pass %lld s: %ld orders read, %ld new, "
		"%ld requests, %ld retries, %ld throttled, %ld malformed, "
		"%ld transport errors, %ld pushes\n",
		(long long)(time(NULL) - t0), st.orders_seen, st.inserted,
		st.http.requests, st.http.retries, st.http.throttled,
		st.http.malformed, st.http.transport_errors, st.pushes_ok);
	assert_true(st.http.retries > 0);
	assert_int_equal(st.errors, 0);
	check_orders(db, &total);
	assert_int_equal(total, (norders / 8) * 8 + 21);
	assert_int_equal(q1(db, "SELECT count(*) FROM wharf.sales_order "
			    "WHERE raw IS NOT NULL"), total);
	assert_int_equal(q1(db, "SELECT count(*) FROM wharf.sales_order "
			    "WHERE raw IS NOT NULL AND state = 'on_hold'"), 21);
	json_decref(sim("DELETE", "/_sim/faults", NULL));

	/* 2. A refund mid-flow intercepts an allocated order. */
	th_text(db, "SELECT o.platform_order_id FROM wharf.sales_order o "
		    "JOIN wharf.shop s ON s.id = o.shop_id WHERE s.code = "
		    "'TB-FLAGSHIP' AND o.state = 'allocated' AND o.raw IS NOT "
		    "NULL ORDER BY o.id LIMIT 1", ids[0], sizeof(ids[0]));
	snprintf(sql, sizeof(sql), "/_sim/orders/TB-FLAGSHIP/%s/refund",
		 ids[0]);
	json_decref(sim("POST", sql, NULL));
	memset(&st, 0, sizeof(st));
	run_once(&st);
	assert_true(st.intercepted >= 1);
	assert_int_equal(q1(db, "SELECT count(*) FROM wharf.sales_order WHERE "
			    "platform_order_id = '%s' AND intercepted_at IS "
			    "NOT NULL AND NOT EXISTS (SELECT 1 FROM "
			    "wharf.allocation a JOIN wharf.order_line l ON "
			    "l.id = a.order_line_id WHERE l.order_id = "
			    "sales_order.id)", ids[0]), 1);

	/* 3. Ship confirmations: one allocated order per shop, written to
	 * the outbox as wharf.ship writes them. */
	th_exec(db, "CREATE TEMP TABLE shipped AS SELECT DISTINCT ON "
		    "(o.shop_id) o.id, o.shop_id, o.platform_order_id, "
		    "'TRK' || o.id AS tracking FROM wharf.sales_order o WHERE "
		    "o.state = 'allocated' AND o.raw IS NOT NULL AND "
		    "o.intercepted_at IS NULL ORDER BY o.shop_id, o.id");
	assert_int_equal(q1(db, "SELECT count(*) FROM shipped"), 8);
	th_exec(db, "INSERT INTO wharf.outbox (shop_id, kind, order_id, "
		    "payload) SELECT sh.shop_id, 'ship_confirm', sh.id, "
		    "jsonb_build_object('platform_order_id', "
		    "sh.platform_order_id, 'carrier', CASE p.platform WHEN "
		    "'amazon' THEN 'UPS' WHEN 'pdd' THEN '115' WHEN 'jd' THEN "
		    "'463' ELSE 'SF' END, 'tracking_no', sh.tracking, 'lines', "
		    "(SELECT jsonb_agg(jsonb_build_object('platform_line_id', "
		    "l.platform_line_id, 'platform_sku', l.platform_sku, "
		    "'qty', l.qty) ORDER BY l.line_no) FROM wharf.order_line "
		    "l WHERE l.order_id = sh.id)) FROM shipped sh JOIN "
		    "wharf.shop p ON p.id = sh.shop_id");
	memset(&st, 0, sizeof(st));
	run_once(&st);
	assert_int_equal(q1(db, "SELECT count(*) FROM wharf.outbox WHERE kind "
			    "= 'ship_confirm' AND state = 'done'"), 8);
	/* A lost ack: the rows are pushed again, the platform must still
	 * hold one shipment each. */
	th_exec(db, "UPDATE wharf.outbox SET state = 'pending', "
		    "next_attempt_at = now() WHERE kind = 'ship_confirm'");
	memset(&st, 0, sizeof(st));
	run_once(&st);
	assert_int_equal(q1(db, "SELECT count(*) FROM wharf.outbox WHERE kind "
			    "= 'ship_confirm' AND state = 'done'"), 8);
	j = sim("GET", "/_sim/shipments", NULL);
	{
		json_t *s;
		size_t k;

		assert_int_equal(json_integer_value(json_object_get(j, "count")),
				 8);
		json_array_foreach(json_object_get(j, "shipments"), k, s) {
			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM shipped sh JOIN "
				 "wharf.shop p ON p.id = sh.shop_id WHERE "
				 "p.code = '%s' AND sh.platform_order_id = '%s' "
				 "AND sh.tracking = '%s'",
				 json_string_value(json_object_get(s, "shop")),
				 json_string_value(json_object_get(s,
								   "order_id")),
				 json_string_value(json_object_get(
					 s, "tracking_number")));
			assert_int_equal(th_int(db, sql), 1);
		}
	}
	json_decref(j);

	/* 4. Stock: what the platforms hold is what wharf promises. */
	check_stock(db);

	/* 5. Leader failover under load. */
	{
		struct runner a = { 0 }, b = { 0 };
		int64_t pid = 0;
		long before;

		atomic_init(&a.stop, false);
		atomic_init(&b.stop, false);
		pthread_create(&a.t, NULL, run_loop, &a);
		for (int i = 0; i < 100 && !atomic_load(&a.leader); i++)
			sleep_ms(50);
		assert_true(atomic_load(&a.leader));
		pthread_create(&b.t, NULL, run_loop, &b);
		json_decref(sim("POST", "/_sim/orders", "{\"shop\":\"*\","
				"\"count\":%ld,\"state\":\"paid\"}",
				norders / 16 + 1));
		sleep_ms(300);
		pid = th_int(db, "SELECT coalesce(max(pid), 0) FROM pg_locks "
				 "WHERE locktype = 'advisory' AND granted");
		assert_true(pid > 0);
		q1(db, "SELECT count(*) FROM (SELECT "
		       "pg_terminate_backend(%lld)) t", (long long)pid);
		/* Someone leads again, on another backend. */
		for (int i = 0; i < 200; i++) {
			if ((atomic_load(&a.leader) || atomic_load(&b.leader)) &&
			    th_int(db, "SELECT coalesce(max(pid), 0) FROM "
				       "pg_locks WHERE locktype = 'advisory' "
				       "AND granted") != pid &&
			    th_int(db, "SELECT coalesce(max(pid), 0) FROM "
				       "pg_locks WHERE locktype = 'advisory' "
				       "AND granted") != 0)
				break;
			sleep_ms(50);
		}
		assert_true(atomic_load(&a.leader) || atomic_load(&b.leader));
		assert_int_not_equal(th_int(db, "SELECT coalesce(max(pid), 0) "
					    "FROM pg_locks WHERE locktype = "
					    "'advisory' AND granted"), pid);
		before = (norders / 8) * 8 + 21 + (norders / 16 + 1) * 8;
		for (int i = 0; i < 600; i++) {
			if (q1(db, "SELECT count(*) FROM wharf.sales_order "
				   "WHERE raw IS NOT NULL") >= before)
				break;
			sleep_ms(100);
		}
		atomic_store(&a.stop, true);
		atomic_store(&b.stop, true);
		pthread_join(a.t, NULL);
		pthread_join(b.t, NULL);
		check_orders(db, &total);
		assert_int_equal(total, before);
	}

	/* 6. The database's own invariants hold. */
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.verify()"), 0);
	db_close(db);
	stop_sim();
	th_drop_db("sync_e2e");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_end_to_end),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	stop_sim();
	return rc;
}
