/*
 * bench_sync.c - platform sync end to end: the real simulator on
 * loopback, a fresh demo-seeded database, the real sync loop in-process.
 * Owner: the sync.
 *
 *   bench_sync --db CONNINFO [--seconds S] [--per-shop N] [--backlog N]
 *              [--workers N] [--verbose]
 *
 * CONNINFO is a keyword/value libpq string for any database of the
 * cluster. The benchmark seeds a template database (wharf_bench_sync_tpl,
 * demo data at scale 1, shop SKUs cut to the simulator's 40) once, and
 * every phase runs on a fresh copy of it (wharf_bench_sync) against a
 * fresh simulator with its rate limits scaled up 1000x (the client's too):
 * what is measured is wharf, not the platforms' quotas.
 *
 * One phase: N paid orders per shop are created in the simulator, then
 * the loop runs one full pass (sync_run with once, its shops on the
 * sync's default number of worker threads, or --workers N): every window
 * of every shop listed and paged, every page upserted in its own
 * transaction, allocation run over what arrived, stock levels queued and
 * pushed, the outbox drained. The figure is orders / wall time of that
 * pass; the database is checked to hold every order afterwards, none of
 * them left untried by the allocation (still 'new'), or the bench fails.
 * Phases: 1 shop (TB-FLAGSHIP), 4 shops (TB-FLAGSHIP, TM-BABY, JD-SELF,
 * PDD-MAIN), all 8, with --per-shop (2,000) each; then the catch-up of a
 * --backlog (100,000) order backlog spread evenly over the 8 shops.
 *
 * Baseline, same server, same run: plain INSERTs of as many order rows as
 * the 8-shop phase ingested, one parameterised INSERT statement (one
 * round trip, as db_exec sends it) per row, 100 rows per transaction (a
 * page's worth, as the sync commits), into a scratch table with a
 * unique (shop, order id) key and a raw
 * jsonb copied from a real ingested order. RATIO sync_ingest_vs_plain_
 * insert is the 8-shop sync rate over that rate.
 *
 * The simulator is $WHARF_SIM_BIN, else the path compiled in.
 * --seconds is accepted (tests/bench/run passes it) and ignored: each
 * phase runs until its orders are in.
 */
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "db/seed.h"
#include "sync/sync_loop.h"

#ifndef WHARF_SIM_PATH
#define WHARF_SIM_PATH "wharf-platform-sim"
#endif

#define CONN 1024
#define SKUS 40
#define SIM_MAX_PER_CALL 10000
#define RATE_SCALE 1000

extern char **environ;

static const char *const shops[] = {
	"TB-FLAGSHIP", "TM-BABY", "JD-SELF", "PDD-MAIN",
	"DY-LIVE", "AMZ-US", "SHOPIFY", "WOO-EU",
};

#define NSHOPS ((int)(sizeof(shops) / sizeof(shops[0])))

static char base_url[160];
static pid_t sim_pid = -1;
static bool verbose;
static int workers; /* 0: the sync's default */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int die(const char *what, const struct wh_error *e)
{
	fprintf(stderr, "bench_sync: %s: %s\n", what, e ? e->msg : "");
	return 1;
}

/* Runs sql (built by format() from one text parameter) on db. */
static int exec_fmt(struct db *db, const char *fmt_sql, const char *arg,
		    struct wh_error *err)
{
	const char *p[] = { arg };
	struct db_result *r;
	char sql[512];

	/* Identifiers cannot be parameters: format(%I) quotes them. */
	if (db_exec(db, fmt_sql, 1, p, &r, err) != WH_OK)
		return 1;
	snprintf(sql, sizeof(sql), "%s", db_result_text(r, 0, 0));
	db_result_free(r);
	return db_exec(db, sql, 0, NULL, NULL, err) != WH_OK;
}

/* (Re)creates database name, from template tpl when not NULL. */
static int fresh_db(const char *base, const char *name, const char *tpl,
		    char *out, size_t n)
{
	struct wh_error err;
	struct db *db;
	char fmt[160];

	if (db_connect(base, &db, &err) != WH_OK)
		return die("connect", &err);
	if (exec_fmt(db, "SELECT format('DROP DATABASE IF EXISTS %I "
			 "WITH (FORCE)', $1::text)", name, &err)) {
		db_close(db);
		return die("drop", &err);
	}
	/* tpl is one of our own constant names, never user input. */
	snprintf(fmt, sizeof(fmt), "SELECT format('CREATE DATABASE %%I%s%s', "
		 "$1::text)", tpl ? " TEMPLATE " : "", tpl ? tpl : "");
	if (exec_fmt(db, fmt, name, &err)) {
		db_close(db);
		return die("create", &err);
	}
	db_close(db);
	snprintf(out, n, "%s dbname=%s", base, name);
	return 0;
}

static void drop_db(const char *base, const char *name)
{
	struct wh_error err;
	struct db *db;

	if (db_connect(base, &db, &err) != WH_OK)
		return;
	exec_fmt(db, "SELECT format('DROP DATABASE IF EXISTS %I WITH "
		     "(FORCE)', $1::text)", name, &err);
	db_close(db);
}

static int start_sim(void)
{
	const char *bin = getenv("WHARF_SIM_BIN");
	char *argv[] = { NULL, "--port", "0", "--seed", "7", "--skus", "40",
			 "--cancel-rate", "0", "--refund-rate", "0",
			 "--rate-limit-scale", "1000", NULL };
	posix_spawn_file_actions_t fa;
	int fds[2];
	char line[128];
	FILE *f;

	argv[0] = (char *)(bin && *bin ? bin : WHARF_SIM_PATH);
	if (pipe(fds))
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawn(&sim_pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		fprintf(stderr, "bench_sync: cannot start %s\n", argv[0]);
		return 1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    strncmp(line, "LISTENING 127.0.0.1:", 20)) {
		if (f)
			fclose(f);
		fprintf(stderr, "bench_sync: the simulator did not start\n");
		return 1;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(base_url, sizeof(base_url), "http://%s", line + 10);
	return 0;
}

static void stop_sim(void)
{
	if (sim_pid > 0) {
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
		sim_pid = -1;
	}
}

/* A control call to the simulator; 0 when it answered 2xx. */
static int sim_post(const char *path, const char *fmt, ...)
{
	struct sync_http *h;
	struct sync_http_req q;
	struct sync_http_resp r = { 0 };
	struct wh_error e;
	char body[512], *url = sync_str_join(base_url, path, NULL);
	va_list ap;
	int rc = 1;

	if (!url || sync_http_new(NULL, &h, &e)) {
		free(url);
		return 1;
	}
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (!sync_http_req_init(&q, "POST", url, &e)) {
		sync_http_req_header(&q, "Content-Type", "application/json",
				     &e);
		sync_http_req_body(&q, body, strlen(body), &e);
		if (!sync_http_perform(h, &q, &r, 1, &e) && r.status >= 200 &&
		    r.status < 300)
			rc = 0;
		else
			fprintf(stderr, "bench_sync: POST %s -> %ld %s\n",
				path, r.status, r.body ? r.body : "");
		sync_http_req_free(&q);
		sync_http_resp_free(&r);
	}
	sync_http_free(h);
	free(url);
	return rc;
}

static int64_t q_int(struct db *db, const char *sql)
{
	struct db_result *r;
	struct wh_error e;
	int64_t v = -1;

	if (db_exec(db, sql, 0, NULL, &r, &e) == WH_OK) {
		if (db_result_rows(r) == 1 && !db_result_is_null(r, 0, 0))
			v = db_result_int64(r, 0, 0);
		db_result_free(r);
	} else {
		fprintf(stderr, "bench_sync: %s\n", e.msg);
	}
	return v;
}

static int make_template(const char *base, char *tpl_conn, size_t n)
{
	struct wh_error err;
	struct db *db;
	char sql[256];

	if (fresh_db(base, "wharf_bench_sync_tpl", NULL, tpl_conn, n))
		return 1;
	if (db_connect(tpl_conn, &db, &err) != WH_OK)
		return die("connect", &err);
	if (db_migrate_builtin(db, NULL, &err) != WH_OK)
		return die("migrate", &err);
	if (db_seed_demo(db, 1, NULL, NULL, &err) != WH_OK)
		return die("seed", &err);
	snprintf(sql, sizeof(sql), "DELETE FROM wharf.shop_sku WHERE "
		 "outer_code > 'SKU-%06d'", SKUS);
	if (db_exec(db, sql, 0, NULL, NULL, &err) != WH_OK)
		return die("shop_sku", &err);
	db_exec(db, "VACUUM ANALYZE", 0, NULL, NULL, &err);
	db_close(db);
	return 0;
}

struct phase_result {
	double seconds;
	long orders;   /* in the database afterwards */
	long allocated;
	long requests;
};

/*
 * One phase: a fresh database and simulator, per_shop paid orders in
 * each of the first nshops shops, one timed pass of the loop.
 */
static int phase(const char *base, int nshops, long per_shop,
		 struct phase_result *out, char *raw_sample, size_t raw_n)
{
	char conn[CONN], sql[512], list[256] = "";
	struct sync_config cfg = { 0 };
	struct sync_stats st = { 0 };
	struct wh_error err;
	struct db *db;
	double t0;
	long want = per_shop * nshops, untried;

	memset(out, 0, sizeof(*out));
	if (fresh_db(base, "wharf_bench_sync", "wharf_bench_sync_tpl", conn,
		     sizeof(conn)))
		return 1;
	if (start_sim())
		return 1;
	if (db_connect(conn, &db, &err) != WH_OK)
		return die("connect", &err);
	for (int i = 0; i < nshops; i++) {
		size_t l = strlen(list);

		snprintf(list + l, sizeof(list) - l, "%s'%s'", i ? "," : "",
			 shops[i]);
	}
	/* Shops left out have no URL: the loop skips them. */
	snprintf(sql, sizeof(sql), "UPDATE wharf.shop SET api_base_url = "
		 "CASE WHEN code IN (%s) THEN '%s/' || code END", list,
		 base_url);
	if (db_exec(db, sql, 0, NULL, NULL, &err) != WH_OK)
		return die("shops", &err);
	for (int i = 0; i < nshops; i++) {
		for (long left = per_shop; left > 0;) {
			long n = left > SIM_MAX_PER_CALL ? SIM_MAX_PER_CALL :
							   left;

			if (sim_post("/_sim/orders", "{\"shop\":\"%s\","
				     "\"count\":%ld,\"state\":\"paid\"}",
				     shops[i], n))
				return 1;
			left -= n;
		}
	}
	/* The newest orders must be older than the window's end. */
	sleep_ms(1100);

	cfg.conninfo = conn;
	cfg.once = true;
	cfg.rate_scale = RATE_SCALE;
	cfg.http_timeout_ms = 60000;
	cfg.initial_lookback = 3600;
	cfg.stats = &st;
	cfg.workers = workers;
	cfg.log = verbose ? stderr : NULL;
	cfg.log_level = SYNC_LOG_INFO;
	t0 = now_s();
	if (sync_run(&cfg, &err) != WH_OK)
		return die("sync", &err);
	out->seconds = now_s() - t0;
	out->orders = (long)q_int(db, "SELECT count(*) FROM wharf.sales_order "
				      "WHERE raw IS NOT NULL");
	out->allocated = (long)q_int(db, "SELECT count(*) FROM "
				     "wharf.sales_order WHERE raw IS NOT NULL "
				     "AND state IN ('allocated', "
				     "'partially_allocated')");
	out->requests = st.http.requests;
	/* Never tried by the allocation: the pass left work undone. */
	untried = (long)q_int(db, "SELECT count(*) FROM wharf.sales_order "
				  "WHERE raw IS NOT NULL AND state = 'new'");
	fprintf(stderr, "bench_sync: %d shop(s) x %ld: %.2f s, %ld in the "
		"database, %ld allocated (%ld of them in part: stock ran "
		"out), %ld still new, %ld requests, %ld retries, %ld shop "
		"errors\n", nshops, per_shop, out->seconds, out->orders,
		out->allocated,
		(long)q_int(db, "SELECT count(*) FROM wharf.sales_order WHERE "
			    "raw IS NOT NULL AND state = "
			    "'partially_allocated'"),
		untried, st.http.requests, st.http.retries, st.errors);
	if (raw_sample) {
		struct db_result *r;

		if (db_exec(db, "SELECT raw::text FROM wharf.sales_order "
			    "WHERE raw IS NOT NULL ORDER BY id LIMIT 1", 0,
			    NULL, &r, &err) == WH_OK) {
			if (db_result_rows(r) == 1)
				snprintf(raw_sample, raw_n, "%s",
					 db_result_text(r, 0, 0));
			db_result_free(r);
		}
	}
	db_close(db);
	stop_sim();
	if (out->orders != want || st.errors || untried) {
		fprintf(stderr, "bench_sync: expected %ld orders, all tried by "
			"the allocation; the database holds %ld, %ld never "
			"tried (%ld shop errors)\n", want, out->orders, untried,
			st.errors);
		return 1;
	}
	return 0;
}

/* Plain INSERTs of n order rows, 100 per transaction; rows per second. */
static int plain_insert(const char *base, long n, const char *raw,
			double *rate)
{
	static const char *ins = "INSERT INTO bench_plain (shop_id, "
				 "platform_order_id, state, raw) VALUES "
				 "($1::bigint, $2, 'new', $3::jsonb)";
	char conn[CONN], shop[24], oid[32];
	const char *p[3] = { shop, oid, raw };
	struct wh_error err;
	struct db *db;
	double t0;

	if (fresh_db(base, "wharf_bench_sync_plain", NULL, conn, sizeof(conn)))
		return 1;
	if (db_connect(conn, &db, &err) != WH_OK)
		return die("connect", &err);
	if (db_exec(db, "CREATE TABLE bench_plain (id bigserial PRIMARY KEY, "
		    "shop_id bigint NOT NULL, platform_order_id text NOT "
		    "NULL, state text NOT NULL, raw jsonb, created_at "
		    "timestamptz NOT NULL DEFAULT now(), UNIQUE (shop_id, "
		    "platform_order_id))", 0, NULL, NULL, &err) != WH_OK)
		return die("scratch table", &err);
	t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (i % 100 == 0 &&
		    db_exec(db, "BEGIN", 0, NULL, NULL, &err) != WH_OK)
			return die("begin", &err);
		snprintf(shop, sizeof(shop), "%ld", i % NSHOPS + 1);
		snprintf(oid, sizeof(oid), "P%09ld", i);
		if (db_exec(db, ins, 3, p, NULL, &err) != WH_OK)
			return die("insert", &err);
		if ((i % 100 == 99 || i == n - 1) &&
		    db_exec(db, "COMMIT", 0, NULL, NULL, &err) != WH_OK)
			return die("commit", &err);
	}
	*rate = (double)n / (now_s() - t0);
	db_close(db);
	drop_db(base, "wharf_bench_sync_plain");
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = NULL;
	long per_shop = 2000, backlog = 100000;
	char tpl[CONN], raw[16384] = "{}";
	struct phase_result r1, r4, r8, rb;
	double plain = 0;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
			continue;
		}
		if (i + 1 >= argc)
			break;
		if (!strcmp(argv[i], "--db"))
			base = argv[++i];
		else if (!strcmp(argv[i], "--seconds"))
			i++;
		else if (!strcmp(argv[i], "--per-shop"))
			per_shop = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--backlog"))
			backlog = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--workers"))
			workers = (int)strtol(argv[++i], NULL, 10);
	}
	if (!base || per_shop < 1 || backlog < NSHOPS) {
		fprintf(stderr, "usage: bench_sync --db CONNINFO [--seconds S] "
				"[--per-shop N] [--backlog N] [--workers N] "
				"[--verbose]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (make_template(base, tpl, sizeof(tpl)))
		goto out;

	if (phase(base, 1, per_shop, &r1, NULL, 0))
		goto out;
	printf("BENCH sync_orders_per_s_1shop %.0f orders/s\n",
	       (double)r1.orders / r1.seconds);
	fflush(stdout);
	if (phase(base, 4, per_shop, &r4, NULL, 0))
		goto out;
	printf("BENCH sync_orders_per_s_4shops %.0f orders/s\n",
	       (double)r4.orders / r4.seconds);
	fflush(stdout);
	if (phase(base, NSHOPS, per_shop, &r8, raw, sizeof(raw)))
		goto out;
	printf("BENCH sync_orders_per_s_8shops %.0f orders/s\n",
	       (double)r8.orders / r8.seconds);
	fflush(stdout);

	if (plain_insert(base, r8.orders, raw, &plain))
		goto out;
	printf("BENCH sync_plain_insert_rows_per_s %.0f rows/s\n", plain);
	printf("RATIO sync_ingest_vs_plain_insert %.3f\n",
	       (double)r8.orders / r8.seconds / plain);
	fflush(stdout);

	if (phase(base, NSHOPS, backlog / NSHOPS, &rb, NULL, 0))
		goto out;
	printf("BENCH sync_catchup_%ldk_s %.1f s\n", backlog / 1000,
	       rb.seconds);
	printf("BENCH sync_catchup_orders_per_s %.0f orders/s\n",
	       (double)rb.orders / rb.seconds);
	rc = 0;
out:
	stop_sim();
	drop_db(base, "wharf_bench_sync");
	drop_db(base, "wharf_bench_sync_tpl");
	return rc;
}
