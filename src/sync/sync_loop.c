/*
 * sync_loop.c - the sync thread (see sync_loop.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/engine.h"
#include "sync/sync_loop.h"

#define OUTBOX_BATCH 50
#define OUTBOX_LEASE_S 120
#define ALLOC_BATCH 200
/*
 * Four shops at a time by default: the platforms' quotas, not wharf, set
 * the pace of each shop (bench_sync, 8 shops: 3,805 orders/s on 4
 * workers against 1,854 on one). Several workers once lost orders in the
 * end-to-end test; that was the backwards walk missing orders that
 * entered a window while it was read (sync_walk_backwards now walks
 * again), which slower, overlapping passes made likelier. Nothing is
 * shared between workers but the database: a shop is in one worker per
 * pass, its rate buckets are its own, ingest never writes older over
 * newer, and a stock level waits for an older one still being pushed
 * (0017), so workers of a leader that lost its lock finishing their shop
 * meanwhile are harmless. Each pass still ingests a page while it
 * fetches the next.
 */
#define WORKERS_DEFAULT 4
#define WORKERS_MAX 16

struct loop;

/*
 * One of the threads a pass runs shops on (see pass()). Each has its own
 * HTTP handle and database connections, so one shop waiting on a
 * platform's quota or on the network does not hold up the others; worker
 * 0 runs on the sync thread itself, on the leader's connection.
 */
struct worker {
	struct loop *L;
	struct sync_ctx ctx;
	struct db *db;        /* own; worker 0 borrows L->db */
	struct db *db2;       /* own, for its pipe's ingest thread */
	struct sync_stats st; /* this pass's counts */
	pthread_t thread;
	enum wh_err rc;
	struct wh_error err;
};

struct loop {
	const struct sync_config *cfg;
	struct sync_ctx ctx;
	struct db *db;
	struct sync_shop *shops;
	size_t nshops;
	char leader[96];
	struct sync_stats local;
	struct sync_stats *st;
	size_t *order;           /* shops in the order a pass takes them */
	struct worker w[WORKERS_MAX];
	size_t nworkers;
	atomic_size_t next_shop; /* the next of order to take */
	atomic_bool failed;      /* a worker's database failed */
};

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

json_t *sync_order_json(const struct sync_order *o)
{
	json_t *j = json_object(), *lines = json_array();

	if (!j || !lines) {
		json_decref(j);
		json_decref(lines);
		return NULL;
	}
	set_str(j, "id", o->order_id);
	set_str(j, "name", o->order_name);
	set_str(j, "state", sync_state_name(o->state));
	set_str(j, "status_raw", o->status_raw);
	json_object_set_new(j, "created_at", json_integer(o->created_at));
	json_object_set_new(j, "modified_at", json_integer(o->modified_at));
	json_object_set_new(j, "paid_at", json_integer(o->paid_at));
	set_str(j, "buyer", o->buyer);
	set_str(j, "receiver_name", o->receiver_name);
	set_str(j, "phone", o->phone);
	set_str(j, "province", o->province);
	set_str(j, "city", o->city);
	set_str(j, "district", o->district);
	set_str(j, "address", o->address);
	set_str(j, "zip", o->zip);
	set_str(j, "country", o->country);
	set_str(j, "remark", o->remark);
	set_str(j, "currency", o->currency);
	json_object_set_new(j, "total", json_integer(o->total));
	set_str(j, "error", o->error);
	for (size_t i = 0; i < o->nlines; i++) {
		const struct sync_order_line *l = &o->lines[i];
		json_t *x = json_object();

		if (!x)
			continue;
		set_str(x, "line_id", l->line_id);
		set_str(x, "sku_code", l->sku_code);
		set_str(x, "platform_sku_id", l->platform_sku_id);
		set_str(x, "title", l->title);
		json_object_set_new(x, "qty", json_integer(l->qty));
		json_object_set_new(x, "unit_price",
				    json_integer(l->unit_price));
		set_str(x, "refund", sync_refund_name(l->refund));
		json_array_append_new(lines, x);
	}
	json_object_set_new(j, "lines", lines);
	return j;
}

struct ingest {
	int64_t shop_id;
	const char *items;
	const char *watermark; /* epoch text or NULL */
	json_t *result;
};

static enum wh_err ingest_txn(struct db *db, void *p, struct wh_error *err)
{
	struct ingest *in = p;
	struct db_result *r = NULL;
	char shop[24];
	const char *params[3] = { shop, in->items, in->watermark };
	enum wh_err rc;

	snprintf(shop, sizeof(shop), "%lld", (long long)in->shop_id);
	rc = db_exec(db, "SELECT wharf.sync_ingest($1, $2::jsonb, 'orders', "
			 "to_timestamp($3::bigint))",
		     3, params, &r, err);
	if (!rc) {
		json_decref(in->result);
		in->result = json_loads(db_result_text(r, 0, 0), 0, NULL);
	}
	db_result_free(r);
	return rc;
}

/* One page (its items as JSON text) in one transaction. */
static enum wh_err ingest_text(struct db *db, int64_t shop_id,
			       const char *text, const int64_t *watermark,
			       json_t **result, struct wh_error *err)
{
	struct ingest in = { shop_id, text, NULL, NULL };
	char wm[24];
	enum wh_err rc;

	if (watermark) {
		snprintf(wm, sizeof(wm), "%lld", (long long)*watermark);
		in.watermark = wm;
	}
	rc = db_transaction(db, 5, ingest_txn, &in, err);
	if (result)
		*result = in.result;
	else
		json_decref(in.result);
	return rc;
}

static enum wh_err ingest_items(struct db *db, int64_t shop_id,
				json_t *items, const int64_t *watermark,
				json_t **result, struct wh_error *err)
{
	char *text = json_dumps(items, JSON_COMPACT);
	enum wh_err rc;

	if (!text)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = ingest_text(db, shop_id, text, watermark, result, err);
	free(text);
	return rc;
}

enum wh_err sync_ingest_one(struct db *db, int64_t shop_id,
			    const struct sync_order *o, const json_t *raw,
			    struct wh_error *err)
{
	json_t *items = json_array(), *oj = sync_order_json(o);
	enum wh_err rc;

	if (!items || !oj) {
		json_decref(items);
		json_decref(oj);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	json_array_append_new(items, json_pack("{s:o,s:O}", "order", oj,
					       "raw", raw ? raw : json_null()));
	rc = ingest_items(db, shop_id, items, NULL, NULL, err);
	json_decref(items);
	return rc;
}

/*
 * The pages of a shop pass go to the database on a thread of their own
 * (with the worker's second connection), in the order they came, so the
 * next page is fetched and parsed while the last one is ingested: one
 * page may wait, on_page blocks for the one before. The first failure
 * sticks: later pages are dropped (the cursor moves only with the last
 * page of a window, so nothing is skipped), and on_page returns it.
 */
struct pipe_page {
	struct pipe_page *next;
	char *items;       /* JSON text */
	bool has_wm;
	int64_t wm;
	long n;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct worker *w;
	const struct sync_shop *shop;
	struct pipe_page *head, *tail;
	int queued;        /* pages not ingested yet */
	bool closing;
	enum wh_err rc;
	struct wh_error err;
	pthread_t thread;
};

struct page_ctx {
	struct worker *w;
	struct sync_shop *shop;
	int64_t window_end;
	struct pipe *pipe;
};

static long jnum(const json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

static enum wh_err on_page(void *p, const struct sync_order_list *orders,
			   const json_t *raw, bool last, struct wh_error *err)
{
	struct page_ctx *pc = p;
	struct pipe *pp = pc->pipe;
	struct pipe_page *pg;
	json_t *items = json_array();
	enum wh_err rc;

	if (!items)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < orders->n; i++) {
		json_t *oj = sync_order_json(&orders->v[i]);
		json_t *r = raw ? json_array_get(raw, i) : NULL;

		if (!oj) {
			json_decref(items);
			return wh_error_set(err, WH_ERR_NOMEM,
					    "out of memory");
		}
		json_array_append_new(items, json_pack(
			"{s:o,s:O}", "order", oj, "raw", r ? r : json_null()));
	}
	pg = calloc(1, sizeof(*pg));
	if (pg)
		pg->items = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	if (!pg || !pg->items) {
		free(pg);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	pg->has_wm = last;
	pg->wm = pc->window_end;
	pg->n = (long)orders->n;
	pthread_mutex_lock(&pp->mu);
	while (pp->queued > 1 && !pp->rc)
		pthread_cond_wait(&pp->cv, &pp->mu);
	rc = pp->rc;
	if (rc) {
		*err = pp->err;
	} else {
		if (pp->tail)
			pp->tail->next = pg;
		else
			pp->head = pg;
		pp->tail = pg;
		pp->queued++;
		pg = NULL;
		pthread_cond_broadcast(&pp->cv);
	}
	pthread_mutex_unlock(&pp->mu);
	if (pg) {
		free(pg->items);
		free(pg);
	}
	return rc;
}

static void *pipe_main(void *p)
{
	struct pipe *pp = p;
	struct worker *w = pp->w;

	pthread_mutex_lock(&pp->mu);
	for (;;) {
		struct pipe_page *pg;
		struct wh_error e;
		json_t *res = NULL;
		enum wh_err rc = pp->rc;

		wh_error_clear(&e);
		while (!pp->head && !pp->closing)
			pthread_cond_wait(&pp->cv, &pp->mu);
		pg = pp->head;
		if (!pg)
			break;
		pp->head = pg->next;
		if (!pp->head)
			pp->tail = NULL;
		pthread_mutex_unlock(&pp->mu);
		if (!rc)
			rc = ingest_text(w->db2, pp->shop->id, pg->items,
					 pg->has_wm ? &pg->wm : NULL, &res, &e);
		if (!rc && (jnum(res, "inserted") || jnum(res, "updated") ||
			    jnum(res, "intercepted")))
			sync_log(&w->ctx, SYNC_LOG_INFO, "%s: %ld new, %ld "
				 "updated, %ld intercepted", pp->shop->code,
				 jnum(res, "inserted"), jnum(res, "updated"),
				 jnum(res, "intercepted"));
		pthread_mutex_lock(&pp->mu);
		if (!pp->rc && rc) {
			pp->rc = rc;
			pp->err = e;
		} else if (!pp->rc) {
			w->st.orders_seen += pg->n;
			w->st.inserted += jnum(res, "inserted");
			w->st.updated += jnum(res, "updated");
			w->st.intercepted += jnum(res, "intercepted");
			w->st.exceptions += jnum(res, "exceptions");
		}
		json_decref(res);
		free(pg->items);
		free(pg);
		pp->queued--;
		pthread_cond_broadcast(&pp->cv);
	}
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* Starts the ingest thread of a shop pass (connecting db2 if needed). */
static enum wh_err pipe_start(struct pipe *pp, struct worker *w,
			      const struct sync_shop *shop,
			      struct wh_error *err)
{
	memset(pp, 0, sizeof(*pp));
	pp->w = w;
	pp->shop = shop;
	if (!w->db2) {
		enum wh_err rc = db_connect(w->L->cfg->conninfo, &w->db2, err);

		if (rc)
			return rc;
		db_exec(w->db2, "SET application_name = 'wharf sync'", 0,
			NULL, NULL, NULL);
	}
	if (pthread_mutex_init(&pp->mu, NULL))
		return wh_error_set(err, WH_ERR_NOMEM, "pthread_mutex_init");
	if (pthread_cond_init(&pp->cv, NULL)) {
		pthread_mutex_destroy(&pp->mu);
		return wh_error_set(err, WH_ERR_NOMEM, "pthread_cond_init");
	}
	if (pthread_create(&pp->thread, NULL, pipe_main, pp)) {
		pthread_cond_destroy(&pp->cv);
		pthread_mutex_destroy(&pp->mu);
		return wh_error_set(err, WH_ERR_NOMEM, "pthread_create");
	}
	return WH_OK;
}

/* Waits for every queued page; the first failure, if any. */
static enum wh_err pipe_finish(struct pipe *pp, struct wh_error *err)
{
	pthread_mutex_lock(&pp->mu);
	pp->closing = true;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
	pthread_join(pp->thread, NULL);
	pthread_cond_destroy(&pp->cv);
	pthread_mutex_destroy(&pp->mu);
	if (pp->rc)
		*err = pp->err;
	return pp->rc;
}

static enum wh_err q_int(struct db *db, const char *sql, int64_t a,
			 int64_t *out, bool *null, struct wh_error *err)
{
	struct db_result *r = NULL;
	char s[24];
	const char *params[1] = { s };
	enum wh_err rc;

	snprintf(s, sizeof(s), "%lld", (long long)a);
	rc = db_exec(db, sql, 1, params, &r, err);
	if (!rc) {
		bool isnull = db_result_rows(r) == 0 ||
			      db_result_is_null(r, 0, 0);

		if (null)
			*null = isnull;
		*out = isnull ? 0 : db_result_int64(r, 0, 0);
	}
	db_result_free(r);
	return rc;
}

static void health(struct db *db, const struct loop *L, struct sync_shop *s,
		   bool ok, const char *error, int64_t lag)
{
	char id[24], lg[24];
	const char *params[5] = { id, ok ? "t" : "f", error, lg, L->leader };
	struct wh_error e;

	snprintf(id, sizeof(id), "%lld", (long long)s->id);
	snprintf(lg, sizeof(lg), "%lld", (long long)lag);
	db_exec(db, "SELECT wharf.sync_health_report($1, $2::boolean, $3, "
		       "$4::integer, $5)", 5, params, NULL, &e);
}

/* Pushes the shop's due outbox rows; false when the database failed. */
static enum wh_err outbox(struct worker *w, struct sync_shop *s,
			  const struct sync_adapter *a, bool drain,
			  struct wh_error *err)
{
	char id[24], lim[16], lease[16];
	const char *cp[3] = { id, lim, lease };
	enum wh_err rc = WH_OK;

	snprintf(id, sizeof(id), "%lld", (long long)s->id);
	snprintf(lim, sizeof(lim), "%d", OUTBOX_BATCH);
	snprintf(lease, sizeof(lease), "%d", OUTBOX_LEASE_S);
	for (int round = 0; round < (drain ? 1000 : 1); round++) {
		struct db_result *r = NULL;
		int n;

		rc = db_exec(w->db, "SELECT id, kind, payload::text FROM "
				    "wharf.sync_outbox_claim($1, $2, $3)",
			     3, cp, &r, err);
		if (rc)
			return rc;
		n = db_result_rows(r);
		for (int i = 0; i < n && !rc; i++) {
			int64_t oid = db_result_int64(r, i, 0);
			const char *kind = db_result_text(r, i, 1);
			json_t *pl = json_loads(db_result_text(r, i, 2), 0,
						NULL);
			struct wh_error pe;
			enum wh_err prc;
			char oids[24];
			const char *ap[3] = { oids, NULL, NULL };

			snprintf(oids, sizeof(oids), "%lld", (long long)oid);
			wh_error_clear(&pe);
			prc = pl ? a->push(&w->ctx, s, kind, pl, oid, &pe) :
				   wh_error_set(&pe, WH_ERR_INVALID,
						"unreadable payload");
			json_decref(pl);
			if (!prc) {
				w->st.pushes_ok++;
				rc = db_exec(w->db, "SELECT wharf."
						    "sync_outbox_ack($1)",
					     1, ap, NULL, err);
				sync_log(&w->ctx, SYNC_LOG_DEBUG, "%s: outbox "
					 "%lld %s pushed", s->code,
					 (long long)oid, kind);
			} else {
				w->st.pushes_failed++;
				ap[1] = pe.msg;
				ap[2] = prc == WH_ERR_RETRY ? "f" : "t";
				sync_log(&w->ctx, SYNC_LOG_WARN, "%s: outbox "
					 "%lld %s: %s", s->code,
					 (long long)oid, kind, pe.msg);
				rc = db_exec(w->db, "SELECT wharf."
						    "sync_outbox_fail($1, $2, "
						    "$3::boolean)",
					     3, ap, NULL, err);
			}
		}
		db_result_free(r);
		if (rc || n == 0)
			break;
	}
	return rc;
}

/*
 * One pass over one shop. Platform failures end the shop's pass (its
 * cursor stays where the last whole window left it) and are reported in
 * its health row; a database failure is returned.
 */
static enum wh_err shop_pass(struct worker *w, struct sync_shop *s,
			     struct wh_error *dberr)
{
	const struct loop *L = w->L;
	const struct sync_adapter *a = sync_adapter_for(s->platform);
	struct sync_window win[96];
	struct wh_error e;
	struct pipe pp;
	struct page_ctx pc = { w, s, 0, &pp };
	int64_t wm = 0, now, n64;
	size_t n = 0;
	bool null = true, ok = true;
	enum wh_err rc;
	struct sync_window_spec spec = a->window;
	struct engine_actor sync_actor = { 0, 0 };
	long arrived = w->st.inserted + w->st.updated, looked = 0;
	int64_t t0 = sync_mono_ms(), t1;

	wh_error_clear(&e);
	if (spec.max_windows > sizeof(win) / sizeof(win[0]))
		spec.max_windows = sizeof(win) / sizeof(win[0]);
	rc = q_int(w->db, "SELECT extract(epoch FROM watermark)::bigint FROM "
			  "wharf.sync_cursor WHERE shop_id = $1 AND "
			  "stream = 'orders'", s->id, &wm, &null, dberr);
	if (rc)
		return rc;
	now = sync_now();
	if (null)
		wm = now - (L->cfg->initial_lookback > 0 ?
			    L->cfg->initial_lookback : 86400);
	rc = pipe_start(&pp, w, s, dberr);
	if (rc)
		return rc;
	if (a->prepare && (rc = a->prepare(&w->ctx, s, &e)))
		goto platform_fail;
	/* Several plans when far behind (a backlog); each ends a window. */
	for (int plan = 0; plan < 64; plan++) {
		if (sync_window_plan(wm, now, &spec, win, &n, &e)) {
			rc = e.code;
			goto platform_fail;
		}
		for (size_t i = 0; i < n; i++) {
			pc.window_end = win[i].end;
			rc = a->fetch_window(&w->ctx, s, &win[i], on_page, &pc,
					     &e);
			if (rc == WH_ERR_DB || rc == WH_ERR_NOMEM) {
				*dberr = e;
				pipe_finish(&pp, &e);
				return rc;
			}
			if (rc)
				goto platform_fail;
			wm = win[i].end;
		}
		if (n < spec.max_windows || wm >= now)
			break;
		/* The overlap must not re-plan what we just read. */
		wm += spec.overlap;
	}
	goto pushes;
platform_fail:
	ok = false;
	w->st.errors++;
	snprintf(s->last_error, sizeof(s->last_error), "%s", e.msg);
	sync_log(&w->ctx, SYNC_LOG_WARN, "%s: %s", s->code, e.msg);
pushes:
	/* What was read is in, unless ingesting it failed. */
	rc = pipe_finish(&pp, &e);
	if (rc == WH_ERR_DB || rc == WH_ERR_NOMEM) {
		*dberr = e;
		return rc;
	}
	if (rc && ok) {
		ok = false;
		w->st.errors++;
		snprintf(s->last_error, sizeof(s->last_error), "%s", e.msg);
		sync_log(&w->ctx, SYNC_LOG_WARN, "%s: %s", s->code, e.msg);
	}
	/*
	 * Allocate what arrived (the engine skips orders others hold). The
	 * engine takes the warehouse's unallocated orders least recently
	 * tried first, and an order it cannot fill (no stock) stays
	 * pending: so "until a batch comes back short" never ends while a
	 * batch's worth wait for stock, and every pass retried them all
	 * (100 batches a shop, most of the sync's time). The work of a pass
	 * is bounded instead by what it brought in, plus one batch of
	 * retries of the others.
	 */
	arrived = w->st.inserted + w->st.updated - arrived;
	t1 = sync_mono_ms();
	for (int i = 0; i < 1000 && looked < arrived + ALLOC_BATCH; i++) {
		struct engine_pending_result pr;

		rc = engine_allocate_pending(w->db, s->warehouse_id,
					     ALLOC_BATCH, &sync_actor, &pr,
					     dberr);
		if (rc == WH_ERR_DB)
			return rc;
		if (rc) {
			sync_log(&w->ctx, SYNC_LOG_WARN, "%s: allocation: %s",
				 s->code, dberr->msg);
			break;
		}
		looked += (long)pr.orders;
		if (pr.orders < ALLOC_BATCH)
			break;
	}
	rc = q_int(w->db, "SELECT wharf.sync_enqueue_stock($1)", s->id, &n64,
		   NULL, dberr);
	if (rc)
		return rc;
	rc = outbox(w, s, a, L->cfg->once, dberr);
	if (rc)
		return rc;
	health(w->db, L, s, ok, ok ? NULL : s->last_error, now - wm);
	sync_log(&w->ctx, SYNC_LOG_INFO, "%s: pass %lld ms: %ld orders read "
		 "in %lld ms, allocation and pushes %lld ms", s->code,
		 (long long)(sync_mono_ms() - t0), arrived,
		 (long long)(t1 - t0), (long long)(sync_mono_ms() - t1));
	return WH_OK;
}

static bool stopping(const struct sync_config *cfg);

/* Takes the pass's shops one after another until none is left. */
static void *worker_main(void *p)
{
	struct worker *w = p;
	struct loop *L = w->L;

	if (!w->db) {
		w->rc = db_connect(L->cfg->conninfo, &w->db, &w->err);
		if (w->rc) {
			atomic_store(&L->failed, true);
			return NULL;
		}
		db_exec(w->db, "SET application_name = 'wharf sync'", 0, NULL,
			NULL, NULL);
	}
	while (!atomic_load(&L->failed) && !stopping(L->cfg)) {
		size_t i = atomic_fetch_add(&L->next_shop, 1);
		int64_t t0 = sync_mono_ms();
		struct sync_shop *s;

		if (i >= L->nshops)
			break;
		s = &L->shops[L->order[i]];
		w->rc = shop_pass(w, s, &w->err);
		s->last_pass_ms = sync_mono_ms() - t0;
		if (w->rc) {
			atomic_store(&L->failed, true);
			break;
		}
	}
	return NULL;
}

static void stats_add(struct sync_stats *to, const struct sync_stats *a)
{
	to->orders_seen += a->orders_seen;
	to->inserted += a->inserted;
	to->updated += a->updated;
	to->intercepted += a->intercepted;
	to->exceptions += a->exceptions;
	to->pushes_ok += a->pushes_ok;
	to->pushes_failed += a->pushes_failed;
	to->errors += a->errors;
}

/* The HTTP counters of every worker, since sync_run started. */
static void http_total(struct loop *L)
{
	struct sync_counters *c = &L->st->http;

	*c = L->ctx.count;
	for (size_t i = 0; i < L->nworkers; i++) {
		const struct sync_counters *x = &L->w[i].ctx.count;

		c->requests += x->requests;
		c->retries += x->retries;
		c->throttled += x->throttled;
		c->transport_errors += x->transport_errors;
		c->malformed += x->malformed;
	}
}

/* Whether shop a should start before shop b (longest pass first). */
static bool before(const struct sync_shop *a, const struct sync_shop *b)
{
	bool da = sync_adapter_for(a->platform)->detail_per_order;
	bool db = sync_adapter_for(b->platform)->detail_per_order;

	if (a->last_pass_ms != b->last_pass_ms)
		return a->last_pass_ms > b->last_pass_ms;
	if (da != db)
		return da;
	return a->id < b->id;
}

/*
 * Allocates what the pass left untried. Workers allocating in the same
 * warehouse at once skip each other's locked orders, so a shop's batch
 * can come back short while orders of its own still wait, and its bound
 * (what it brought in) can be spent on another shop's: after the
 * workers, each warehouse is swept until no order of it is still new.
 */
static enum wh_err sweep(struct loop *L, struct wh_error *err)
{
	struct engine_actor sync_actor = { 0, 0 };

	for (size_t k = 0; k < L->nshops; k++) {
		int64_t wh = L->shops[k].warehouse_id;
		bool seen = false;

		for (size_t j = 0; j < k && !seen; j++)
			seen = L->shops[j].warehouse_id == wh;
		for (int i = 0; i < 1000 && !seen; i++) {
			struct engine_pending_result pr;
			int64_t waiting = 0;
			enum wh_err rc;

			rc = q_int(L->db, "SELECT count(*) FROM "
				   "wharf.sales_order WHERE warehouse_id = $1 "
				   "AND state = 'new' AND intercepted_at IS "
				   "NULL", wh, &waiting, NULL, err);
			if (rc)
				return rc;
			if (!waiting)
				break;
			rc = engine_allocate_pending(L->db, wh, ALLOC_BATCH,
						     &sync_actor, &pr, err);
			if (rc == WH_ERR_DB)
				return rc;
			if (rc) {
				sync_log(&L->ctx, SYNC_LOG_WARN,
					 "allocation: %s", err->msg);
				break;
			}
			if (!pr.orders)
				break; /* held by someone else */
		}
	}
	return WH_OK;
}

/*
 * One pass over every shop, on up to nworkers threads (worker 0 is this
 * one, on the leader's connection). Shops are independent: each is only
 * ever in one worker, and what two workers write to the same warehouse
 * (orders, allocations) the engine already serialises, as it does for
 * stations. A database failure of any worker is returned, after all have
 * stopped; the others finish the shop they are on first, which is safe
 * even if another process leads by then, since every write is idempotent.
 */
static enum wh_err pass(struct loop *L, struct wh_error *err)
{
	size_t n = L->nworkers < L->nshops ? L->nworkers : L->nshops;
	size_t started = 1;
	enum wh_err rc = WH_OK;

	if (!n)
		return WH_OK;
	/* The longest first, so that it does not end the pass alone. */
	for (size_t i = 0; i < L->nshops; i++) {
		size_t k = i;

		for (; k > 0 && before(&L->shops[i],
				       &L->shops[L->order[k - 1]]); k--)
			L->order[k] = L->order[k - 1];
		L->order[k] = i;
	}
	atomic_store(&L->next_shop, 0);
	atomic_store(&L->failed, false);
	for (size_t i = 0; i < n; i++) {
		memset(&L->w[i].st, 0, sizeof(L->w[i].st));
		L->w[i].rc = WH_OK;
		wh_error_clear(&L->w[i].err);
	}
	L->w[0].db = L->db;
	for (size_t i = 1; i < n; i++, started++)
		if (pthread_create(&L->w[i].thread, NULL, worker_main,
				   &L->w[i]))
			break; /* fewer workers, same work */
	worker_main(&L->w[0]);
	for (size_t i = 1; i < started; i++)
		pthread_join(L->w[i].thread, NULL);
	L->w[0].db = NULL;
	for (size_t i = 0; i < started; i++) {
		stats_add(L->st, &L->w[i].st);
		if (L->w[i].rc && !rc) {
			rc = L->w[i].rc;
			*err = L->w[i].err;
		}
	}
	http_total(L);
	if (!rc && !stopping(L->cfg))
		rc = sweep(L, err);
	return rc;
}

static void free_shops(struct loop *L)
{
	for (size_t i = 0; i < L->nshops; i++)
		sync_shop_free(&L->shops[i]);
	free(L->shops);
	free(L->order);
	L->shops = NULL;
	L->order = NULL;
	L->nshops = 0;
}

static enum wh_err load_shops(struct loop *L, struct wh_error *err)
{
	struct db_result *r = NULL;
	enum wh_err rc;
	int n;

	free_shops(L);
	rc = db_exec(L->db, "SELECT id, code, platform::text, warehouse_id, "
			    "rtrim(api_base_url, '/'), credentials_ref "
			    "FROM wharf.shop WHERE enabled AND "
			    "coalesce(api_base_url, '') <> '' ORDER BY id",
		     0, NULL, &r, err);
	if (rc)
		return rc;
	n = db_result_rows(r);
	L->shops = calloc(n ? (size_t)n : 1, sizeof(*L->shops));
	L->order = calloc(n ? (size_t)n : 1, sizeof(*L->order));
	if (!L->shops || !L->order) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		struct sync_shop *s = &L->shops[L->nshops];
		struct wh_error e;

		memset(s, 0, sizeof(*s));
		s->id = db_result_int64(r, i, 0);
		snprintf(s->code, sizeof(s->code), "%s",
			 db_result_text(r, i, 1));
		s->warehouse_id = db_result_int64(r, i, 3);
		if (!sync_platform_from_db(db_result_text(r, i, 2),
					   &s->platform))
			continue;
		s->base_url = strdup(db_result_text(r, i, 4));
		if (!s->base_url) {
			db_result_free(r);
			return wh_error_set(err, WH_ERR_NOMEM,
					    "out of memory");
		}
		if (sync_creds_load(s, db_result_text(r, i, 5), &e)) {
			/* A shop we cannot sync is a failed pass of it. */
			L->st->errors++;
			sync_log(&L->ctx, SYNC_LOG_ERROR, "%s", e.msg);
			health(L->db, L, s, false, e.msg, 0);
			sync_shop_free(s);
			continue;
		}
		sync_shop_init_buckets(&L->ctx, s);
		L->nshops++;
	}
	db_result_free(r);
	return WH_OK;
}

static bool stopping(const struct sync_config *cfg)
{
	return cfg->stop && atomic_load(cfg->stop);
}

static void set_leader(const struct sync_config *cfg, bool v)
{
	if (cfg->is_leader)
		atomic_store(cfg->is_leader, v);
}

/* Connects and takes the lock; WH_OK with *got telling which. */
static enum wh_err try_lead(struct loop *L, bool *got, struct wh_error *err)
{
	struct db_result *r = NULL;
	char key[24];
	const char *params[1] = { key };
	enum wh_err rc;

	*got = false;
	if (!L->db) {
		rc = db_connect(L->cfg->conninfo, &L->db, err);
		if (rc)
			return rc;
		db_exec(L->db, "SET application_name = 'wharf sync'", 0, NULL,
			NULL, NULL);
	}
	snprintf(key, sizeof(key), "%lld", (long long)SYNC_LOCK_KEY);
	rc = db_exec(L->db, "SELECT pg_try_advisory_lock($1::bigint)", 1,
		     params, &r, err);
	if (!rc)
		*got = !strcmp(db_result_text(r, 0, 0), "t");
	db_result_free(r);
	return rc;
}

static void drop_db(struct loop *L)
{
	for (size_t i = 0; i < L->nworkers; i++) {
		if (i) {
			db_close(L->w[i].db);
			L->w[i].db = NULL;
		}
		db_close(L->w[i].db2);
		L->w[i].db2 = NULL;
	}
	db_close(L->db);
	L->db = NULL;
	set_leader(L->cfg, false);
}

enum wh_err sync_run(const struct sync_config *cfg, struct wh_error *err)
{
	struct loop L;
	struct sync_http_opts ho = { 0 };
	int64_t waited = 0;
	bool leader = false;
	enum wh_err rc = WH_OK;
	char host[64] = "";

	memset(&L, 0, sizeof(L));
	L.cfg = cfg;
	L.st = cfg->stats ? cfg->stats : &L.local;
	ho.timeout_ms = cfg->http_timeout_ms;
	ho.ca_info = cfg->ca_info;
	ho.ca_path = cfg->ca_path;
	rc = sync_http_new(&ho, &L.ctx.http, err);
	if (rc)
		return rc;
	L.ctx.rate_scale = cfg->rate_scale > 0 ? cfg->rate_scale : 1;
	L.ctx.max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : 6;
	L.ctx.backoff_base_ms = cfg->backoff_base_ms > 0 ?
				cfg->backoff_base_ms : 250;
	L.ctx.backoff_cap_ms = cfg->backoff_cap_ms > 0 ?
			       cfg->backoff_cap_ms : 20000;
	L.ctx.rng = (uint64_t)sync_mono_ms() * 2654435761u ^
		    (uint64_t)getpid() << 32;
	if (!L.ctx.rng)
		L.ctx.rng = 88172645463325252ULL;
	L.ctx.stop = cfg->stop;
	L.ctx.log = cfg->log;
	L.ctx.log_level = cfg->log_level;
	gethostname(host, sizeof(host) - 1);
	snprintf(L.leader, sizeof(L.leader), "%s:%ld", host, (long)getpid());
	L.nworkers = cfg->workers > 0 ? (size_t)cfg->workers :
					WORKERS_DEFAULT;
	if (L.nworkers > WORKERS_MAX)
		L.nworkers = WORKERS_MAX;
	for (size_t i = 0; i < L.nworkers; i++) {
		struct worker *w = &L.w[i];

		w->L = &L;
		w->ctx = L.ctx;
		memset(&w->ctx.count, 0, sizeof(w->ctx.count));
		w->ctx.rng = L.ctx.rng ^ (0x9e3779b97f4a7c15ULL * (i + 1));
		if (!w->ctx.rng)
			w->ctx.rng = 88172645463325252ULL;
		rc = sync_http_new(&ho, &w->ctx.http, err);
		if (rc) {
			L.nworkers = i;
			goto out;
		}
	}

	while (!stopping(cfg)) {
		struct wh_error e;

		if (!leader) {
			rc = try_lead(&L, &leader, &e);
			if (rc) {
				sync_log(&L.ctx, SYNC_LOG_WARN, "database: %s",
					 e.msg);
				drop_db(&L);
			}
			if (leader) {
				sync_log(&L.ctx, SYNC_LOG_INFO, "leader now "
					 "(%s)", L.leader);
				set_leader(cfg, true);
				if (load_shops(&L, &e)) {
					sync_log(&L.ctx, SYNC_LOG_WARN,
						 "loading shops: %s", e.msg);
					drop_db(&L);
					leader = false;
				}
			}
			if (!leader) {
				if (cfg->once && waited >= (cfg->once_lock_wait_ms > 0 ?
						   cfg->once_lock_wait_ms : 60000)) {
					rc = wh_error_set(err, WH_ERR_REFUSED,
							  "another process "
							  "leads the sync");
					goto out;
				}
				waited += cfg->lock_retry_ms > 0 ?
					  cfg->lock_retry_ms : 3000;
				sync_sleep(&L.ctx, cfg->lock_retry_ms > 0 ?
					   cfg->lock_retry_ms : 3000);
				continue;
			}
		}
		if (pass(&L, &e)) {
			sync_log(&L.ctx, SYNC_LOG_WARN, "database: %s; "
				 "leadership given up", e.msg);
			drop_db(&L);
			leader = false;
		}
		if (!leader) {
			/* Let a healthy peer take over before we retry. */
			sync_sleep(&L.ctx, cfg->lock_retry_ms > 0 ?
				   cfg->lock_retry_ms : 3000);
			continue;
		}
		L.st->passes++;
		if (cfg->once)
			break;
		sync_sleep(&L.ctx, cfg->poll_ms > 0 ? cfg->poll_ms : 3000);
		/* Pick up shops added or repointed meanwhile. */
		if (L.st->passes % 20 == 0 && load_shops(&L, &e)) {
			drop_db(&L);
			leader = false;
		}
	}
	rc = WH_OK;
out:
	http_total(&L);
	free_shops(&L);
	if (L.db)
		drop_db(&L);
	for (size_t i = 0; i < L.nworkers; i++) {
		db_close(L.w[i].db);
		db_close(L.w[i].db2);
		sync_http_free(L.w[i].ctx.http);
	}
	sync_http_free(L.ctx.http);
	return rc;
}
