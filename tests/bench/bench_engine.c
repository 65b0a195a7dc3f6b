/*
 * bench_engine.c - the engine against pgbench on the same server.
 * Owner: the engine.
 *
 *   bench_engine --db CONNINFO --clients N --seconds S
 *
 * CONNINFO is a keyword/value libpq string for any database of the
 * cluster; the benchmark creates (and drops first) its own databases
 * wharf_bench_engine and wharf_bench_pgbench there. It seeds the demo
 * warehouse at scale 10, measures bulk allocation of 12,000 one-line
 * orders and a 10,000-order single-item wave release, then (untimed)
 * allocates and releases 50,000 more orders so the pickers cannot run
 * dry, runs N station loops for S seconds, then pgbench tpcb-like with
 * -c N -j 2 -T S and a per-transaction log. One line per figure:
 *   BENCH <name> <value> <unit>   and   RATIO <name> <value>
 * pgbench is taken from $PGBENCH, else /usr/lib/postgresql/15/bin/pgbench.
 *
 * What one "pick-confirm" is: everything a picker's terminal does per
 * scan-confirmed task, i.e. confirm the task it holds and learn the next
 * one. A station claims its first task once, then each transaction is
 * one engine_confirm_pick_next (one round trip, one commit: the confirm
 * and the claim of the next task), and its latency is the whole wait
 * the picker sees. (Before 0006 a pick was two round trips and two
 * commits, claim_task then confirm_pick, and only the confirm's latency
 * was counted.) pgbench's tpcb-like transaction is seven round trips
 * (BEGIN, 3 UPDATEs, SELECT, INSERT, END) and one commit. Both count
 * committed transactions per second over the whole run.
 *
 * Both also report the server CPU one transaction costs (user + system
 * time of their backends from /proc, the server being local): the pick
 * loop's from each backend's first to last confirm, pgbench's sampled
 * every 100 ms while all its clients are connected, over the transactions
 * its log says ended in that window. RATIO pick_confirm_cpu_vs_pgbench is
 * pgbench's CPU per transaction over a pick's: unlike the throughput
 * ratio it does not move with whatever else the machine runs.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend_cpu.h"
#include "db/db.h"
#include "db/engine.h"
#include "db/migrate.h"
#include "db/seed.h"

#define MAX_CLIENTS 64
#define CONN 1024

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const struct wh_error *e)
{
	fprintf(stderr, "bench_engine: %s: %s\n", what, e ? e->msg : "");
	return 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

/* Drops and creates database name through the conninfo's server. */
static int fresh_db(const char *base, const char *name, char *out, size_t n)
{
	struct wh_error err;
	struct db *db;
	const char *p[] = { name };
	struct db_result *r;
	char sql[256];

	if (db_connect(base, &db, &err) != WH_OK)
		return die("connect", &err);
	/* Identifiers cannot be parameters: quote_ident builds the command. */
	if (db_exec(db, "SELECT format('DROP DATABASE IF EXISTS %I', $1::text)",
		    1, p, &r, &err) != WH_OK)
		return die("drop", &err);
	snprintf(sql, sizeof(sql), "%s", db_result_text(r, 0, 0));
	db_result_free(r);
	if (db_exec(db, sql, 0, NULL, NULL, &err) != WH_OK)
		return die("drop", &err);
	if (db_exec(db, "SELECT format('CREATE DATABASE %I', $1::text)", 1, p,
		    &r, &err) != WH_OK)
		return die("create", &err);
	snprintf(sql, sizeof(sql), "%s", db_result_text(r, 0, 0));
	db_result_free(r);
	if (db_exec(db, sql, 0, NULL, NULL, &err) != WH_OK)
		return die("create", &err);
	db_close(db);
	snprintf(out, n, "%s dbname=%s", base, name);
	return 0;
}

struct station {
	char conninfo[CONN];
	int64_t user, wh;
	double seconds;
	double *lat; /* ms, one per confirm */
	size_t n_lat, cap;
	long failures;
	bool ran_dry; /* no task left before the time was up */
	double cpu_s;  /* its backend's CPU over the loop; < 0: unknown */
	char last[WH_ERROR_MSG_MAX];
};

static void station_fail(struct station *s, const struct wh_error *e)
{
	s->failures++;
	snprintf(s->last, sizeof(s->last), "%s", e->msg);
}

static int station_record(struct station *s, double ms)
{
	if (s->n_lat == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		double *nl = realloc(s->lat, cap * sizeof(*nl));

		if (!nl)
			return -1;
		s->lat = nl;
		s->cap = cap;
	}
	s->lat[s->n_lat++] = ms;
	return 0;
}

static void *station_loop(void *arg)
{
	struct station *s = arg;
	struct engine_actor me = { .user_id = s->user };
	struct wh_error err;
	struct db *db;
	char op[ENGINE_OP_ID_SIZE];
	struct engine_task t;
	bool have;
	double end;

	if (db_connect(s->conninfo, &db, &err) != WH_OK) {
		s->failures++;
		return NULL;
	}
	int pid = 0;
	double cpu0 = -1;
	struct db_result *r;

	if (db_exec(db, "SELECT pg_backend_pid()", 0, NULL, &r, &err) ==
	    WH_OK) {
		pid = (int)db_result_int64(r, 0, 0);
		db_result_free(r);
		cpu0 = backend_cpu_s(pid);
	}
	end = now_s() + s->seconds;
	have = engine_claim_task(db, &me, s->wh, &t, &err) == WH_OK;
	while (have && now_s() < end) {
		struct engine_pick_result res;
		struct engine_task next;
		double t0;
		enum wh_err rc;

		if (engine_op_id(op, sizeof(op), &err) != WH_OK)
			break;
		struct engine_pick p = {
		    .task_id = t.task_id, .location_code = t.location_code,
		    .barcode = t.sku_code,
		    .lot_code = t.lot_code[0] ? t.lot_code : NULL,
		    .qty = (int32_t)t.qty, .op_id = op,
		};
		t0 = now_s();
		rc = engine_confirm_pick_next(db, &p, &me, s->wh, &res, &next,
					      &have, &err);
		if (rc != WH_OK) {
			/* A lot past ship-by today: report it short. */
			station_fail(s, &err);
			if (engine_op_id(op, sizeof(op), &err) == WH_OK)
				engine_short_pick(db, t.task_id, 0, op, &me,
						  &(struct engine_short_result){ 0 },
						  &err);
			have = engine_claim_task(db, &me, s->wh, &t, &err) ==
			       WH_OK;
			continue;
		}
		if (station_record(s, (now_s() - t0) * 1000.0))
			break;
		t = next;
	}
	if (!have)
		s->ran_dry = true;
	s->cpu_s = -1;
	if (cpu0 >= 0) {
		double cpu1 = backend_cpu_s(pid);

		if (cpu1 >= 0)
			s->cpu_s = cpu1 - cpu0;
	}
	db_close(db);
	return NULL;
}

/* Runs pgbench with argv; 0 on success. With db, samples the load's
 * backends' CPU (the `clients` connections to dbname) through it every
 * 100 ms meanwhile. */
static int run_sampled(char *const argv[], struct db *db, const char *dbname,
		       int clients, struct cpu_window *w)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		pid_t done = waitpid(pid, &st, WNOHANG);

		if (done < 0)
			return -1;
		if (done == pid)
			break;
		if (db)
			cpu_window_sample(db, dbname, clients, w);
		nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* pgbench transactions: latency (ms) and when each ended (epoch s). */
struct pgbench_tx {
	double ms, end_s;
};

static int cmp_tx_ms(const void *a, const void *b)
{
	double x = ((const struct pgbench_tx *)a)->ms;
	double y = ((const struct pgbench_tx *)b)->ms;

	return (x > y) - (x < y);
}

/* Reads every pgbench log in dir into *out. */
static size_t read_pgbench_logs(const char *dir, struct pgbench_tx **out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, cap = 0;
	struct pgbench_tx *v = NULL;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[1024], line[256];
		FILE *f;

		if (strncmp(de->d_name, "pgbench_log", 11) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			/* client_id transaction_no time_us script_no
			 * time_epoch time_us_part ... */
			char *p = line, *e;
			long us, epoch, part;

			strtol(p, &e, 10);
			strtol(e, &e, 10);
			us = strtol(e, &e, 10);
			strtol(e, &e, 10);
			epoch = strtol(e, &e, 10);
			part = strtol(e, &e, 10);
			if (e == p)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 65536;
				struct pgbench_tx *nv =
					realloc(v, cap * sizeof(*nv));
				if (!nv)
					break;
				v = nv;
			}
			v[n].ms = (double)us / 1000.0;
			v[n++].end_s = (double)epoch + (double)part / 1e6;
		}
		fclose(f);
		unlink(path);
	}
	closedir(d);
	*out = v;
	return n;
}

/* count one-unit orders for Shanghai, platform ids prefix1..prefixN,
 * on SKUs with stock at a pick face. */
static int add_orders(struct db *db, const char *prefix, int count,
		      struct wh_error *err)
{
	char n[16];
	const char *p[] = { prefix, n };

	snprintf(n, sizeof(n), "%d", count);
	return db_exec(db,
		       "WITH s AS (SELECT DISTINCT st.sku_id FROM wharf.stock st "
		       " JOIN wharf.location l ON l.id = st.location_id JOIN "
		       " wharf.warehouse w ON w.id = st.warehouse_id WHERE "
		       " w.code = 'SH' AND l.kind = 'pick' AND st.on_hand > 40), "
		       "k AS (SELECT sku_id, row_number() OVER (ORDER BY sku_id) "
		       " rn, count(*) OVER () c FROM s), "
		       "o AS (INSERT INTO wharf.sales_order (warehouse_id, "
		       " shop_id, platform_order_id, carrier) SELECT "
		       " sh.warehouse_id, sh.id, $1 || n, 'SF' FROM "
		       " generate_series(1, $2::int) n, wharf.shop sh "
		       " WHERE sh.code = 'PDD-MAIN' RETURNING id) "
		       "INSERT INTO wharf.order_line (order_id, line_no, sku_id, "
		       "qty) SELECT o.id, 1, k.sku_id, 1 FROM o JOIN k ON k.rn = "
		       " 1 + o.id % k.c",
		       2, p, NULL, err) != WH_OK;
}

/* Allocates what can be allocated in warehouse wh, 500 orders a call;
 * *lines counts the order lines looked at. Stops at a call that found
 * fewer orders or completed none (what is left lacks stock, and would
 * come round again forever). */
static int allocate_all(struct db *db, int64_t wh, int64_t *lines,
			struct wh_error *err)
{
	for (;;) {
		struct engine_pending_result pr;

		if (engine_allocate_pending(db, wh, 500, NULL, &pr, err) != WH_OK)
			return 1;
		*lines += pr.lines;
		if (pr.orders < 500 || pr.allocated_orders == 0)
			return 0;
	}
}

int main(int argc, char **argv)
{
	const char *base = NULL, *pgbench = getenv("PGBENCH");
	int clients = 8, seconds = 10;
	char econn[CONN], pconn[CONN];
	struct wh_error err;
	struct db *db;
	struct station *st;
	pthread_t th[MAX_CLIENTS];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			base = argv[i + 1];
		else if (strcmp(argv[i], "--clients") == 0)
			clients = (int)strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = (int)strtol(argv[i + 1], NULL, 10);
	}
	if (!base || clients < 1 || clients > MAX_CLIENTS || seconds < 1) {
		fprintf(stderr, "usage: bench_engine --db CONNINFO --clients N "
				"--seconds S\n");
		return 2;
	}
	if (!pgbench)
		pgbench = "/usr/lib/postgresql/15/bin/pgbench";

	if (fresh_db(base, "wharf_bench_engine", econn, sizeof(econn)))
		return 1;
	if (db_connect(econn, &db, &err) != WH_OK)
		return die("connect", &err);
	if (db_migrate_builtin(db, NULL, &err) != WH_OK)
		return die("migrate", &err);
	if (db_seed_demo(db, 10, NULL, NULL, &err) != WH_OK)
		return die("seed", &err);
	/* 12,000 more one-unit orders for Shanghai, SKUs with stock. */
	if (add_orders(db, "B", 12000, &err))
		return die("orders", &err);
	db_exec(db, "ANALYZE", 0, NULL, NULL, &err);

	int64_t sh = 0;
	{
		struct db_result *r;
		if (db_exec(db, "SELECT id FROM wharf.warehouse WHERE code = 'SH'",
			    0, NULL, &r, &err) != WH_OK)
			return die("warehouse", &err);
		sh = db_result_int64(r, 0, 0);
		db_result_free(r);
	}
	int64_t lines = 0;
	double t0 = now_s();
	if (allocate_all(db, sh, &lines, &err))
		return die("allocate", &err);
	double alloc_s = now_s() - t0;
	printf("BENCH allocate_lines_per_s %.0f lines/s\n",
	       (double)lines / alloc_s);

	struct engine_actor sup = { 0 };
	{
		struct db_result *r;
		if (db_exec(db, "SELECT id FROM wharf.app_user WHERE login = 'lead'",
			    0, NULL, &r, &err) != WH_OK)
			return die("user", &err);
		sup.user_id = db_result_int64(r, 0, 0);
		db_result_free(r);
	}
	struct engine_wave_limits lim = {
	    .strategy = WAVE_SINGLE_ITEM, .max_orders = 10000,
	    .max_units = 10000, .max_totes = 1, .slots_per_tote = 1,
	};
	struct engine_wave_result wr;
	t0 = now_s();
	if (engine_release_wave(db, sh, &lim, &sup, &wr, &err) != WH_OK)
		return die("release_wave", &err);
	printf("BENCH wave_release_10000_orders_ms %.0f ms\n",
	       (now_s() - t0) * 1000.0);
	fprintf(stderr, "wave: %" PRId64 " orders, %" PRId64 " tasks\n",
		wr.orders, wr.tasks);
	/* Untimed: enough released tasks that no picker runs dry. */
	int64_t tasks = wr.tasks;
	if (add_orders(db, "C", 50000, &err))
		return die("orders", &err);
	db_exec(db, "ANALYZE", 0, NULL, NULL, &err);
	lines = 0;
	if (allocate_all(db, sh, &lines, &err))
		return die("allocate", &err);
	do {
		if (engine_release_wave(db, sh, &lim, &sup, &wr, &err) != WH_OK)
			return die("release_wave", &err);
		tasks += wr.tasks;
	} while (wr.wave_id);
	fprintf(stderr, "pick tasks released: %" PRId64 "\n", tasks);
	/* One picker per client. */
	if (db_exec(db,
		    "INSERT INTO wharf.app_user (login, display_name, role, "
		    "pin_hash) SELECT 'bench' || n, 'Bench', 'picker', 'x' FROM "
		    "generate_series(1, 64) n",
		    0, NULL, NULL, &err) != WH_OK)
		return die("pickers", &err);
	db_exec(db, "ANALYZE", 0, NULL, NULL, &err);

	st = calloc((size_t)clients, sizeof(*st));
	if (!st)
		return 1;
	for (int i = 0; i < clients; i++) {
		struct db_result *r;
		char login[16];
		const char *p[] = { login };

		snprintf(login, sizeof(login), "bench%d", i + 1);
		if (db_exec(db, "SELECT id FROM wharf.app_user WHERE login = $1",
			    1, p, &r, &err) != WH_OK)
			return die("picker", &err);
		st[i].user = db_result_int64(r, 0, 0);
		db_result_free(r);
		st[i].wh = sh;
		st[i].seconds = seconds;
		snprintf(st[i].conninfo, sizeof(st[i].conninfo), "%s", econn);
	}
	t0 = now_s();
	for (int i = 0; i < clients; i++)
		pthread_create(&th[i], NULL, station_loop, &st[i]);
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	double pick_s = now_s() - t0;
	size_t n_all = 0;
	long failures = 0;
	double pick_cpu = 0;
	for (int i = 0; i < clients; i++) {
		n_all += st[i].n_lat;
		failures += st[i].failures;
		if (st[i].cpu_s < 0 || pick_cpu < 0)
			pick_cpu = -1;
		else
			pick_cpu += st[i].cpu_s;
		if (st[i].failures)
			fprintf(stderr, "station %d: %ld refused, last: %s\n", i,
				st[i].failures, st[i].last);
		if (st[i].ran_dry)
			fprintf(stderr, "station %d: ran out of tasks\n", i);
	}
	double *all = malloc((n_all + 1) * sizeof(*all));
	if (!all)
		return 1;
	n_all = 0;
	for (int i = 0; i < clients; i++) {
		memcpy(all + n_all, st[i].lat, st[i].n_lat * sizeof(*all));
		n_all += st[i].n_lat;
		free(st[i].lat);
	}
	free(st);
	double pick_tps = (double)n_all / pick_s;
	double pick_p50 = pct(all, n_all, 0.50), pick_p99 = pct(all, n_all, 0.99);
	free(all);
	printf("BENCH pick_confirm_tps_c%d %.1f tx/s\n", clients, pick_tps);
	printf("BENCH pick_confirm_p50_ms_c%d %.2f ms\n", clients, pick_p50);
	printf("BENCH pick_confirm_p99_ms_c%d %.2f ms\n", clients, pick_p99);
	/* Server CPU per pick: what a pick costs whatever else the machine
	 * is doing (and the figure that says what a faster machine buys). */
	double pick_cpu_ms = pick_cpu >= 0 && n_all > 0
		? pick_cpu * 1000.0 / (double)n_all : -1;
	if (pick_cpu_ms >= 0)
		printf("BENCH pick_confirm_server_cpu_ms_c%d %.3f ms\n",
		       clients, pick_cpu_ms);
	{
		struct db_result *r;
		if (db_exec(db, "SELECT count(*) FROM (SELECT * FROM wharf.verify() "
			    "UNION ALL SELECT * FROM wharf.verify_engine()) v",
			    0, NULL, &r, &err) == WH_OK) {
			fprintf(stderr, "verify after bench: %s violations\n",
				db_result_text(r, 0, 0));
			db_result_free(r);
		}
	}
	db_close(db);

	/* pgbench tpcb-like on the same server. */
	char dir[] = "/tmp/bench_engine_XXXXXX", cbuf[16], tbuf[16];
	if (!mkdtemp(dir))
		return 1;
	if (fresh_db(base, "wharf_bench_pgbench", pconn, sizeof(pconn)))
		return 1;
	char *init[] = { (char *)pgbench, "-i", "-q", "-s", "10", pconn, NULL };
	if (run_sampled(init, NULL, NULL, 0, NULL))
		return die("pgbench -i failed", NULL);
	snprintf(cbuf, sizeof(cbuf), "%d", clients);
	snprintf(tbuf, sizeof(tbuf), "%d", seconds);
	char prefix[sizeof(dir) + 16];
	snprintf(prefix, sizeof(prefix), "%s/pgbench_log", dir);
	char *bench[] = { (char *)pgbench, "-n", "-c", cbuf, "-j", "2", "-T",
			  tbuf, "-l", "--log-prefix", prefix, pconn, NULL };
	int out = dup(1);
	/* pgbench's own report goes to stderr, not our BENCH lines. */
	if (out >= 0)
		dup2(2, 1);
	struct cpu_window win = { 0 };
	struct db *sampler = NULL;
	int brc;
	if (db_connect(base, &sampler, &err) != WH_OK)
		return die("connect", &err);
	brc = run_sampled(bench, sampler, "wharf_bench_pgbench", clients, &win);
	db_close(sampler);
	if (out >= 0) {
		dup2(out, 1);
		close(out);
	}
	if (brc)
		return die("pgbench failed", NULL);
	struct pgbench_tx *pv = NULL;
	size_t pn = read_pgbench_logs(dir, &pv);
	rmdir(dir);
	/* Transactions that ended inside the CPU window. */
	size_t in_window = 0;
	for (size_t i = 0; i < pn; i++)
		if (pv[i].end_s > win.t_first && pv[i].end_s <= win.t_last)
			in_window++;
	qsort(pv, pn, sizeof(*pv), cmp_tx_ms);
	double pg_tps = (double)pn / seconds;
	double pg_p99 = pn ? pv[(size_t)(0.99 * (double)(pn - 1) + 0.5)].ms : 0;
	free(pv);
	printf("BENCH pgbench_tps_c%d %.1f tx/s\n", clients, pg_tps);
	printf("BENCH pgbench_p99_ms_c%d %.2f ms\n", clients, pg_p99);
	double pg_cpu_ms = win.samples >= 2 && in_window > 0
		? (win.cpu_last - win.cpu_first) * 1000.0 / (double)in_window
		: -1;
	if (pg_cpu_ms > 0)
		printf("BENCH pgbench_server_cpu_ms_c%d %.3f ms\n", clients,
		       pg_cpu_ms);
	if (pg_cpu_ms > 0 && pick_cpu_ms > 0)
		printf("RATIO pick_confirm_cpu_vs_pgbench_c%d %.2f\n", clients,
		       pg_cpu_ms / pick_cpu_ms);
	printf("RATIO pick_confirm_vs_pgbench_c%d %.2f\n", clients,
	       pg_tps > 0 ? pick_tps / pg_tps : 0);
	printf("RATIO pick_p99_vs_pgbench_p99_c%d %.2f\n", clients,
	       pg_p99 > 0 ? pick_p99 / pg_p99 : 0);
	if (failures)
		fprintf(stderr, "%ld confirm refusals during the run\n",
			failures);
	return 0;
}
