/*
 * e2e.c - helpers for the sync end-to-end test (see e2e.h).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e.h"
#include "harness.h"
#include "sync/sync_http.h"

extern char **environ;

const char *const e2e_shops[E2E_SHOPS] = {
	"TB-FLAGSHIP", "TM-BABY", "JD-SELF", "PDD-MAIN",
	"DY-LIVE", "AMZ-US", "SHOPIFY", "WOO-EU",
};
char e2e_conninfo[512];
long e2e_http_timeout_ms = 1500;

static char base[160];
static pid_t sim_pid = -1;

void e2e_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int64_t e2e_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void e2e_sim_start(void)
{
	const char *bin = getenv("WHARF_SIM_BIN");
	char scale[16];
	char *argv[] = { (char *)bin, "--port", "0", "--seed", "7",
			 "--skus", "40", "--cancel-rate", "0",
			 "--refund-rate", "0", "--rate-limit-scale", scale,
			 NULL };
	posix_spawn_file_actions_t fa;
	int fds[2];
	char line[128];
	FILE *f;

	assert_non_null(bin);
	snprintf(scale, sizeof(scale), "%d", E2E_RATE_SCALE);
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

void e2e_sim_stop(void)
{
	if (sim_pid > 0) {
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
		sim_pid = -1;
	}
}

const char *e2e_sim_base(void)
{
	return base;
}

static long sim_call(const char *method, const char *path, const char *body,
		     json_t **out)
{
	struct sync_http *h;
	struct sync_http_req q;
	struct sync_http_resp r;
	struct wh_error e;
	char *url = sync_str_join(base, path, NULL);
	long status;

	assert_non_null(url);
	assert_int_equal(sync_http_new(NULL, &h, &e), WH_OK);
	assert_int_equal(sync_http_req_init(&q, method, url, &e), WH_OK);
	if (body) {
		sync_http_req_header(&q, "Content-Type", "application/json",
				     &e);
		sync_http_req_body(&q, body, strlen(body), &e);
	}
	assert_int_equal(sync_http_perform(h, &q, &r, 1, &e), WH_OK);
	if (r.transport_error)
		fail_msg("%s %s: %s", method, path, r.error);
	status = r.status;
	if (out) {
		if (status >= 300)
			fail_msg("%s %s -> %ld %.*s", method, path, status,
				 (int)r.len, r.body ? r.body : "");
		*out = r.body ? json_loadb(r.body, r.len, 0, NULL) : NULL;
		if (!*out)
			*out = json_null();
	}
	sync_http_req_free(&q);
	sync_http_resp_free(&r);
	sync_http_free(h);
	free(url);
	return status;
}

json_t *e2e_sim(const char *method, const char *path, const char *fmt, ...)
{
	char body[512];
	json_t *j;

	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(body, sizeof(body), fmt, ap);
		va_end(ap);
	}
	sim_call(method, path, fmt ? body : NULL, &j);
	return j;
}

long e2e_sim_status(const char *method, const char *path)
{
	return sim_call(method, path, NULL, NULL);
}

void e2e_fault(const char *kind, double probability, int count,
	       long delay_ms)
{
	if (count > 0)
		json_decref(e2e_sim("POST", "/_sim/faults", "{\"shop\":\"*\","
				    "\"kind\":\"%s\",\"count\":%d,\"delay_ms\":"
				    "%ld}", kind, count, delay_ms));
	else
		json_decref(e2e_sim("POST", "/_sim/faults", "{\"shop\":\"*\","
				    "\"kind\":\"%s\",\"probability\":%g,"
				    "\"delay_ms\":%ld}", kind, probability,
				    delay_ms));
}

void e2e_faults_all_fired(void)
{
	json_t *j = e2e_sim("GET", "/_sim/faults", NULL), *r;
	size_t k;

	json_array_foreach(json_object_get(j, "faults"), k, r) {
		fprintf(stderr, "e2e: fault %-14s fired %lld times\n",
			json_string_value(json_object_get(r, "kind")),
			(long long)json_integer_value(
				json_object_get(r, "fired")));
		if (json_integer_value(json_object_get(r, "fired")) < 1)
			fail_msg("fault %s never fired",
				 json_string_value(json_object_get(r,
								   "kind")));
	}
	json_decref(j);
}

void e2e_fault_spent(const char *kind)
{
	json_t *j = e2e_sim("GET", "/_sim/faults", NULL), *r;
	size_t k;

	json_array_foreach(json_object_get(j, "faults"), k, r)
		if (!strcmp(json_string_value(json_object_get(r, "kind")),
			    kind))
			fail_msg("fault %s: %lld left", kind,
				 (long long)json_integer_value(
					 json_object_get(r, "count")));
	json_decref(j);
}

/* WHARF_E2E_WORKERS, read once, so every run of the sync in a test
 * (once, quiet or threaded) syncs the same number of shops at once. */
int e2e_workers(void)
{
	static int workers = -1;

	if (workers < 0) {
		const char *v = getenv("WHARF_E2E_WORKERS");

		workers = v ? (int)strtol(v, NULL, 10) : 0;
		if (workers < 0)
			workers = 0;
	}
	return workers;
}

static void config(struct sync_config *cfg, struct sync_stats *st)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->conninfo = e2e_conninfo;
	cfg->rate_scale = E2E_RATE_SCALE;
	cfg->http_timeout_ms = e2e_http_timeout_ms;
	cfg->max_attempts = 10;
	cfg->backoff_base_ms = 20;
	cfg->backoff_cap_ms = 500;
	cfg->initial_lookback = 3600;
	cfg->stats = st;
	cfg->log = getenv("WHARF_E2E_LOG") ? stderr : NULL;
	cfg->log_level = SYNC_LOG_DEBUG;
	cfg->workers = e2e_workers();
}

void e2e_run_once_tries(struct sync_stats *st, int max_attempts)
{
	struct sync_config cfg;
	struct wh_error e;

	memset(st, 0, sizeof(*st));
	config(&cfg, st);
	cfg.once = true;
	if (max_attempts > 0)
		cfg.max_attempts = max_attempts;
	assert_int_equal(sync_run(&cfg, &e), WH_OK);
}

void e2e_run_once(struct sync_stats *st)
{
	e2e_run_once_tries(st, 0);
}

/* Rows the sync has still to push: pending ones, due or not, and
 * superseded ones whose push is under way (the SKU's newer level waits
 * for it, see 0017_outbox_order.sql). */
static const char outbox_left_sql[] =
	"SELECT count(*) FROM wharf.outbox WHERE state = 'pending' OR "
	"(state = 'superseded' AND leased_until > now())";

void e2e_run_quiet(struct db *db, int max, struct sync_stats *sum)
{
	int64_t t0 = e2e_now_ms(), end = t0 + E2E_QUIET_WAIT_MS, waited = 0;
	int busy = 0, passes = 0;

	for (;;) {
		struct sync_stats st;
		char left[1024];
		int64_t w;

		e2e_run_once(&st);
		passes++;
		if (sum) {
			sum->errors += st.errors;
			sum->pushes_ok += st.pushes_ok;
			sum->pushes_failed += st.pushes_failed;
			sum->intercepted += st.intercepted;
		}
		if (st.pushes_ok || st.pushes_failed) {
			if (++busy >= max)
				fail_msg("the sync still pushes after %d "
					 "passes", max);
			continue;
		}
		busy = 0;
		if (th_int(db, outbox_left_sql) == 0)
			break;
		if (e2e_now_ms() < end) {
			/* Quiet only because what is left is not due yet (a
			 * push retried later, or leased by a sync that
			 * stopped): the platform may not hold wharf's last
			 * word. Another pass once something is due. */
			w = e2e_now_ms();
			while (th_int(db, "SELECT count(*) FROM wharf.outbox "
					  "WHERE state = 'pending' AND "
					  "next_attempt_at <= now()") == 0 &&
			       e2e_now_ms() < end)
				e2e_sleep_ms(100);
			waited += e2e_now_ms() - w;
			continue;
		}
		th_text(db, "SELECT coalesce(string_agg(format('%s %s %s, %s "
			    "tries, due %s, lease %s, %s', id, kind, state, "
			    "attempts, next_attempt_at, leased_until, "
			    "last_error), '; ' ORDER BY id), 'none now') FROM "
			    "(SELECT * FROM wharf.outbox "
			    "WHERE state = 'pending' OR (state = 'superseded' "
			    "AND leased_until > now()) ORDER BY id LIMIT 5) o",
			    left, sizeof(left));
		fail_msg("after %lld ms the outbox still has rows to push: %s",
			 (long long)(e2e_now_ms() - t0), left);
	}
	if (waited)
		fprintf(stderr, "e2e: quiet after %d passes, %lld ms waiting "
			"for outbox rows to fall due\n", passes,
			(long long)waited);
}

static void *run_loop(void *p)
{
	struct e2e_runner *r = p;
	struct sync_config cfg;
	struct wh_error e;

	config(&cfg, &r->st);
	cfg.poll_ms = 200;
	cfg.lock_retry_ms = 200;
	cfg.stop = &r->stop;
	cfg.is_leader = &r->leader;
	sync_run(&cfg, &e);
	return NULL;
}

void e2e_runner_start(struct e2e_runner *r)
{
	memset(&r->st, 0, sizeof(r->st));
	atomic_init(&r->stop, false);
	atomic_init(&r->leader, false);
	assert_int_equal(pthread_create(&r->t, NULL, run_loop, r), 0);
}

void e2e_runner_stop(struct e2e_runner *r)
{
	atomic_store(&r->stop, true);
	pthread_join(r->t, NULL);
}

int64_t e2e_q1(struct db *db, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return th_int(db, sql);
}

/* One row per difference between the simulator (the JSON array $1) and
 * wharf's platform orders; the first ten are described, a missing order
 * with its modification time so the window that lost it can be found. */
static const char compare_sql[] =
	"WITH sim AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS "
	"  s(shop text, id text, state text, refund_requested boolean, "
	"    modified timestamptz) "
	"  WHERE NOT (shop = 'JD-SELF' AND state = 'unpaid')), "
	"wh AS (SELECT s.code AS shop, o.platform_order_id AS id, "
	"  o.state::text AS state, o.intercepted_at IS NOT NULL AS icpt, "
	"  o.platform_modified_at AS modified, o.raw IS NOT NULL AS raw "
	"  FROM wharf.sales_order o JOIN wharf.shop s ON s.id = o.shop_id "
	"  WHERE o.raw IS NOT NULL), "
	"d AS (SELECT coalesce(sim.shop, wh.shop) || ' ' || "
	"  coalesce(sim.id, wh.id) || ': ' || CASE "
	"  WHEN wh.id IS NULL THEN format('not in wharf (modified %s, %s)', "
	"    sim.modified, sim.state) "
	"  WHEN sim.id IS NULL THEN 'in wharf, not on the platform' "
	"  WHEN wh.modified IS DISTINCT FROM sim.modified THEN "
	"    format('wharf has the version of %s, the platform %s', "
	"           wh.modified, sim.modified) "
	"  WHEN wh.icpt <> (sim.state = 'cancelled' OR sim.refund_requested) "
	"    THEN format('wharf %s (intercepted %s), platform %s (refund %s)',"
	"           wh.state, wh.icpt, sim.state, sim.refund_requested) "
	"  WHEN sim.state = 'unpaid' AND wh.state <> 'on_hold' THEN "
	"    format('unpaid on the platform, %s in wharf', wh.state) "
	"  WHEN sim.state = 'paid' AND NOT sim.refund_requested AND "
	"    wh.state NOT IN ('new', 'partially_allocated', 'allocated', "
	"    'released', 'picking', 'picked', 'packed') THEN "
	"    format('paid on the platform, %s in wharf', wh.state) "
	"  WHEN sim.state = 'shipped' AND wh.state <> 'shipped' THEN "
	"    format('shipped on the platform, %s in wharf', wh.state) "
	"  END AS why FROM sim FULL JOIN wh "
	"  ON wh.shop = sim.shop AND wh.id = sim.id) "
	"SELECT count(*) FILTER (WHERE why IS NOT NULL), "
	"  (SELECT string_agg(why, '; ') FROM (SELECT why FROM d WHERE why "
	"   IS NOT NULL ORDER BY why LIMIT 10) f), "
	"  (SELECT count(*) FROM sim) FROM d";

long e2e_compare_orders(struct db *db, long *total, char *why, size_t n)
{
	json_t *all = json_array();
	struct db_result *r = NULL;
	struct wh_error e;
	const char *params[1];
	char *text;
	long diff;

	for (int i = 0; i < E2E_SHOPS; i++) {
		char path[96];
		json_t *j, *o;
		size_t k;

		snprintf(path, sizeof(path), "/_sim/orders?shop=%s",
			 e2e_shops[i]);
		j = e2e_sim("GET", path, NULL);
		json_array_foreach(json_object_get(j, "orders"), k, o) {
			json_object_set_new(o, "shop",
					    json_string(e2e_shops[i]));
			json_array_append(all, o);
		}
		json_decref(j);
	}
	text = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	assert_non_null(text);
	params[0] = text;
	if (db_exec(db, compare_sql, 1, params, &r, &e) != WH_OK)
		fail_msg("comparing orders: %s", e.msg);
	free(text);
	diff = (long)db_result_int64(r, 0, 0);
	snprintf(why, n, "%s", db_result_text(r, 0, 1));
	if (total)
		*total = (long)db_result_int64(r, 0, 2);
	db_result_free(r);
	return diff;
}

long e2e_converge_orders(struct db *db, long timeout_ms, char *why, size_t n)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	long diff;

	for (;;) {
		diff = e2e_compare_orders(db, NULL, why, n);
		if (diff == 0 || e2e_now_ms() > end)
			return diff;
		e2e_sleep_ms(500);
	}
}

void e2e_check_stock(struct db *db)
{
	json_t *j = e2e_sim("GET", "/_sim/stock", NULL), *e;
	size_t k, n = 0;

	json_array_foreach(json_object_get(j, "stock"), k, e) {
		const char *shop = json_string_value(json_object_get(e,
								     "shop"));
		const char *sku = json_string_value(json_object_get(e, "sku"));
		json_int_t have = json_integer_value(json_object_get(
			e, "quantity"));
		int64_t want = e2e_q1(db, "SELECT coalesce((SELECT atp FROM "
				      "wharf.sync_stock_levels((SELECT id FROM "
				      "wharf.shop WHERE code = '%s')) WHERE "
				      "outer_code = '%s'), -1)", shop, sku);

		if (want != have)
			fail_msg("%s %s: platform has %lld, wharf promises "
				 "%lld", shop, sku, (long long)have,
				 (long long)want);
		n++;
	}
	/* Every mapped SKU of every shop was pushed at least once. */
	assert_int_equal((int64_t)n,
			 th_int(db, "SELECT count(*) FROM wharf.shop_sku"));
	json_decref(j);
}

/* Floor work -------------------------------------------------------------- */

static int64_t user_id(struct db *db, const char *login)
{
	return e2e_q1(db, "SELECT id FROM wharf.app_user WHERE login = '%s'",
		      login);
}

void e2e_floor_init(struct db *db, struct e2e_floor *f)
{
	memset(f, 0, sizeof(*f));
	f->sup.user_id = user_id(db, "lead");
	f->picker.user_id = user_id(db, "picker1");
	f->packer.user_id = user_id(db, "packer1");
}

int64_t e2e_warehouse(struct db *db, const char *code)
{
	return e2e_q1(db, "SELECT id FROM wharf.warehouse WHERE code = '%s'",
		      code);
}

void e2e_barcode(struct db *db, int64_t sku_id, char *buf, size_t n)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT code FROM wharf.barcode WHERE "
		 "sku_id = %lld AND pack_qty = 1 ORDER BY code LIMIT 1",
		 (long long)sku_id);
	th_text(db, sql, buf, n);
	assert_true(buf[0] != '\0');
}

void e2e_release(struct db *db, const struct e2e_floor *f, int64_t wh,
		 const int64_t *orders, size_t n)
{
	struct engine_wave_limits lim = {
		.strategy = WAVE_MULTI_ITEM, /* any carrier, >= 2 units */
		.max_orders = n,
		.max_units = 100000,
		.max_totes = 1,
		.slots_per_tote = n,
	};
	struct engine_wave_result w;
	struct wh_error e;

	/* The demo's own orders have today's cut-off; these go first. */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(e2e_q1(db, "WITH u AS (UPDATE "
					"wharf.sales_order SET cutoff_at = "
					"now() - interval '1 day', priority = "
					"100 WHERE id = %lld RETURNING 1) "
					"SELECT count(*) FROM u",
					(long long)orders[i]), 1);
	if (engine_release_wave(db, wh, &lim, &f->sup, &w, &e) != WH_OK)
		fail_msg("release_wave: %s", e.msg);
	assert_int_equal(w.orders, (int64_t)n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(e2e_q1(db, "SELECT count(*) FROM "
					"wharf.sales_order WHERE id = %lld AND "
					"state = 'released'",
					(long long)orders[i]), 1);
}

enum wh_err e2e_pick(struct db *db, const struct e2e_floor *f,
		     const struct engine_task *t, int32_t qty,
		     struct engine_pick_result *res, struct wh_error *e)
{
	char code[64], op[ENGINE_OP_ID_SIZE];
	struct engine_pick p;

	e2e_barcode(db, t->sku_id, code, sizeof(code));
	assert_int_equal(engine_op_id(op, sizeof(op), e), WH_OK);
	p = (struct engine_pick){
		.task_id = t->task_id,
		.location_code = t->location_code,
		.barcode = code,
		.lot_code = t->lot_code[0] ? t->lot_code : NULL,
		.qty = qty,
		.op_id = op,
	};
	return engine_confirm_pick(db, &p, &f->picker, res, e);
}

int e2e_pick_all(struct db *db, const struct e2e_floor *f, int64_t wh,
		 const int64_t *orders, size_t n)
{
	int picked = 0;

	for (;;) {
		struct engine_task t;
		struct engine_pick_result res;
		struct wh_error e;
		enum wh_err rc = engine_claim_task(db, &f->picker, wh, &t, &e);
		bool ours = false;

		if (rc == WH_ERR_NOT_FOUND)
			break;
		if (rc != WH_OK)
			fail_msg("claim_task: %s", e.msg);
		assert_string_equal(t.kind, "pick");
		for (size_t i = 0; i < n; i++)
			ours = ours || t.order_id == orders[i];
		if (!ours)
			fail_msg("task %lld is for order %lld, not the wave's",
				 (long long)t.task_id, (long long)t.order_id);
		if (e2e_pick(db, f, &t, (int32_t)t.qty, &res, &e) != WH_OK)
			fail_msg("confirm_pick: %s", e.msg);
		assert_int_equal(res.remaining, 0);
		picked++;
	}
	return picked;
}

void e2e_pack(struct db *db, const struct e2e_floor *f, int64_t order)
{
	struct db_result *r = NULL;
	struct wh_error e;
	char id[24];
	const char *params[1] = { id };
	bool packed = false;

	snprintf(id, sizeof(id), "%lld", (long long)order);
	if (db_exec(db, "SELECT sku_id, qty FROM wharf.order_line WHERE "
			"order_id = $1 ORDER BY line_no", 1, params, &r, &e))
		fail_msg("order lines: %s", e.msg);
	for (int i = 0; i < db_result_rows(r); i++) {
		char code[64];

		e2e_barcode(db, db_result_int64(r, i, 0), code, sizeof(code));
		for (int64_t u = 0; u < db_result_int64(r, i, 1); u++) {
			struct engine_pack_result pr;
			char op[ENGINE_OP_ID_SIZE];

			assert_int_equal(engine_op_id(op, sizeof(op), &e),
					 WH_OK);
			if (engine_pack_verify(db, order, code, NULL, op,
					       &f->packer, &pr, &e) != WH_OK)
				fail_msg("pack_verify: %s", e.msg);
			packed = pr.order_packed;
		}
	}
	db_result_free(r);
	assert_true(packed);
}
