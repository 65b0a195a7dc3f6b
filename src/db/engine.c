/*
 * engine.c - the C side of the inventory engine (engine.h).
 *
 * Owner: the engine. Every operation is a call of a function of
 * sql/migrations/0004_engine.sql that returns jsonb; the SELECT around it
 * unpacks the fields this side needs, so one round trip returns a typed
 * row. The only C logic is release_wave's planning (src/domain/wave.h)
 * and the retry of transient failures.
 */
#include "db/engine.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* Reason codes --------------------------------------------------------------- */

static const char *const reason_names[] = {
	[ENGINE_R_NONE] = "",
	[ENGINE_R_ROLE_REFUSED] = "ROLE_REFUSED",
	[ENGINE_R_BAD_OP] = "BAD_OP",
	[ENGINE_R_OP_CONFLICT] = "OP_CONFLICT",
	[ENGINE_R_NO_ORDER] = "NO_ORDER",
	[ENGINE_R_INTERCEPTED] = "INTERCEPTED",
	[ENGINE_R_WAVE_STALE] = "WAVE_STALE",
	[ENGINE_R_NO_TOTE] = "NO_TOTE",
	[ENGINE_R_NO_TASK] = "NO_TASK",
	[ENGINE_R_WRONG_TASK] = "WRONG_TASK",
	[ENGINE_R_TASK_CLOSED] = "TASK_CLOSED",
	[ENGINE_R_TASK_CLAIMED] = "TASK_CLAIMED",
	[ENGINE_R_WRONG_LOCATION] = "WRONG_LOCATION",
	[ENGINE_R_UNKNOWN_BARCODE] = "UNKNOWN_BARCODE",
	[ENGINE_R_WRONG_SKU] = "WRONG_SKU",
	[ENGINE_R_BAD_QTY] = "BAD_QTY",
	[ENGINE_R_OVER_PICK] = "OVER_PICK",
	[ENGINE_R_LOT_REQUIRED] = "LOT_REQUIRED",
	[ENGINE_R_WRONG_LOT] = "WRONG_LOT",
	[ENGINE_R_LOT_EXPIRED] = "LOT_EXPIRED",
	[ENGINE_R_NOT_ALLOCATED] = "NOT_ALLOCATED",
	[ENGINE_R_ALREADY_SHIPPED] = "ALREADY_SHIPPED",
	[ENGINE_R_NOT_PICKED] = "NOT_PICKED",
	[ENGINE_R_EXTRA_UNIT] = "EXTRA_UNIT",
	[ENGINE_R_WRONG_ITEM] = "WRONG_ITEM",
	[ENGINE_R_NOT_PACKED] = "NOT_PACKED",
	[ENGINE_R_BAD_SHIPMENT] = "BAD_SHIPMENT",
	[ENGINE_R_NO_SKU] = "NO_SKU",
	[ENGINE_R_BAD_LOCATION] = "BAD_LOCATION",
	[ENGINE_R_NO_LOT_CONTROL] = "NO_LOT_CONTROL",
	[ENGINE_R_LOT_MISMATCH] = "LOT_MISMATCH",
	[ENGINE_R_EXPIRY_REQUIRED] = "EXPIRY_REQUIRED",
	[ENGINE_R_NO_QUARANTINE] = "NO_QUARANTINE",
	[ENGINE_R_NOT_ON_PO] = "NOT_ON_PO",
	[ENGINE_R_INSUFFICIENT_STOCK] = "INSUFFICIENT_STOCK",
	[ENGINE_R_NO_LOCATION] = "NO_LOCATION",
	[ENGINE_R_BAD_COUNT] = "BAD_COUNT",
	[ENGINE_R_NO_COUNT] = "NO_COUNT",
	[ENGINE_R_NOT_PENDING] = "NOT_PENDING",
	[ENGINE_R_NO_TRANSIT] = "NO_TRANSIT",
	[ENGINE_R_NO_TRANSFER] = "NO_TRANSFER",
	[ENGINE_R_NOT_IN_TRANSIT] = "NOT_IN_TRANSIT",
	[ENGINE_R_OTHER] = "OTHER",
};

const char *engine_reason_name(enum engine_reason r)
{
	if ((size_t)r >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "";
	return reason_names[r];
}

enum engine_reason engine_reason_of(const struct wh_error *e)
{
	const char *colon;
	size_t len;

	if (!e || e->code == WH_OK)
		return ENGINE_R_NONE;
	colon = strchr(e->msg, ':');
	if (!colon)
		return ENGINE_R_NONE;
	len = (size_t)(colon - e->msg);
	for (size_t i = 1; i < ENGINE_R_OTHER; i++)
		if (strlen(reason_names[i]) == len &&
		    memcmp(reason_names[i], e->msg, len) == 0)
			return (enum engine_reason)i;
	/* An upper-case word before the colon is a code we do not know. */
	for (size_t i = 0; i < len; i++)
		if (!((e->msg[i] >= 'A' && e->msg[i] <= 'Z') || e->msg[i] == '_'))
			return ENGINE_R_NONE;
	return len ? ENGINE_R_OTHER : ENGINE_R_NONE;
}

enum wh_err engine_op_id(char *buf, size_t size, struct wh_error *err)
{
	unsigned char b[16];
	size_t got = 0;

	if (size < ENGINE_OP_ID_SIZE)
		return wh_error_set(err, WH_ERR_INVALID, "op id buffer too small");
	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return wh_error_set(err, WH_ERR_IO, "getrandom: %s",
					    strerror(errno));
		got += (size_t)n;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, size,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	return WH_OK;
}

/* Calls ------------------------------------------------------------------------ */

/* Text parameters of one call, integers formatted in place. */
struct params {
	int n;
	const char *v[12];
	char num[12][24];
};

static void p_text(struct params *p, const char *s)
{
	p->v[p->n++] = s;
}

static void p_int(struct params *p, int64_t v)
{
	snprintf(p->num[p->n], sizeof(p->num[0]), "%" PRId64, v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

/* An id where 0 means SQL NULL. */
static void p_id(struct params *p, int64_t v)
{
	if (v)
		p_int(p, v);
	else
		p_text(p, NULL);
}

static void backoff(int attempt)
{
	unsigned char r = 0;
	struct timespec ts;

	if (getrandom(&r, 1, GRND_NONBLOCK) != 1)
		r = 0;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(attempt + 1) * 2000000L + (long)r * 10000L;
	nanosleep(&ts, NULL);
}

/*
 * The name of the server-side prepared statement for sql: "wh_" and the
 * 64-bit FNV-1a hash of the text, so every call site gets its own
 * statement without naming it (db_exec_prepared refuses a clash).
 */
static void stmt_name(const char *sql, char *buf, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *c = (const unsigned char *)sql; *c; c++) {
		h ^= *c;
		h *= 1099511628211ULL;
	}
	snprintf(buf, n, "wh_%016" PRIx64, h);
}

/*
 * Runs one engine call (autocommit: the function is the transaction) as a
 * prepared statement of this connection, retrying 40001/40P01. On WH_OK
 * *out holds exactly one row.
 */
static enum wh_err call(struct db *db, const char *sql, const struct params *p,
			struct db_result **out, struct wh_error *err)
{
	enum wh_err rc = WH_ERR_RETRY;
	char name[24];

	stmt_name(sql, name, sizeof(name));
	for (int i = 0; i < ENGINE_TRIES; i++) {
		rc = db_exec_prepared(db, name, sql, p->n, p->v, out, err);
		if (rc != WH_ERR_RETRY)
			break;
		backoff(i);
	}
	if (rc == WH_ERR_RETRY)
		wh_error_prefix(err, "gave up after %d tries", ENGINE_TRIES);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(*out) != 1) {
		db_result_free(*out);
		*out = NULL;
		return wh_error_set(err, WH_ERR_DB, "engine call returned %s",
				    "no row");
	}
	return WH_OK;
}

static int64_t col_i64(const struct db_result *r, int c)
{
	return db_result_int64(r, 0, c);
}

static bool col_bool(const struct db_result *r, int c)
{
	return strcmp(db_result_text(r, 0, c), "true") == 0;
}

static void col_text(const struct db_result *r, int c, char *buf, size_t n)
{
	snprintf(buf, n, "%s", db_result_text(r, 0, c));
}

static int64_t actor_user(const struct engine_actor *who)
{
	return who ? who->user_id : 0;
}

static int64_t actor_station(const struct engine_actor *who)
{
	return who ? who->station_id : 0;
}

/* A growing string for the jsonb arguments (numbers and escaped text). */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0,
			      fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->p && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
}

/* A JSON string literal, or null. */
static void sb_json_str(struct sbuf *b, const char *s)
{
	if (!s) {
		sb_printf(b, "null");
		return;
	}
	sb_printf(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_printf(b, "\\%c", c);
		else if (c < 0x20)
			sb_printf(b, "\\u%04x", c);
		else
			sb_printf(b, "%c", c);
	}
	sb_printf(b, "\"");
}

/* allocate ----------------------------------------------------------------------- */

enum wh_err engine_allocate(struct db *db, int64_t order_id,
			    const char *op_id, const struct engine_actor *who,
			    struct engine_alloc_result *out,
			    struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'order_id', r->>'state', r->>'wanted', "
		"r->>'allocated', r->>'missing', r->>'replayed' "
		"FROM wharf.allocate($1, $2, $3) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, order_id);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->order_id = col_i64(r, 0);
	col_text(r, 1, out->state, sizeof(out->state));
	out->wanted = col_i64(r, 2);
	out->allocated = col_i64(r, 3);
	out->missing = col_i64(r, 4);
	out->replayed = col_bool(r, 5);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_allocate_pending(struct db *db, int64_t warehouse_id,
				    int limit, const struct engine_actor *who,
				    struct engine_pending_result *out,
				    struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'orders', r->>'allocated_orders', r->>'lines', "
		"r->>'units' FROM wharf.allocate_pending($1, $2, $3) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, warehouse_id);
	p_int(&p, limit);
	p_id(&p, actor_user(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->orders = col_i64(r, 0);
	out->allocated_orders = col_i64(r, 1);
	out->lines = col_i64(r, 2);
	out->units = col_i64(r, 3);
	db_result_free(r);
	return WH_OK;
}

/* waves ------------------------------------------------------------------------- */

static const char wave_read_sql[] =
	"SELECT o.id, o.priority, coalesce(o.carrier, ''), "
	"coalesce(floor(extract(epoch FROM o.cutoff_at))::bigint, -1), "
	"floor(extract(epoch FROM o.created_at))::bigint, s.lc, s.units, "
	"a.order_line_id, a.sku_id, a.location_id, coalesce(a.lot_id, 0), "
	"loc.walk_seq, a.qty "
	"FROM wharf.sales_order o "
	"CROSS JOIN LATERAL (SELECT count(*) AS lc, sum(x.qty) AS units "
	"  FROM wharf.order_line x WHERE x.order_id = o.id) s "
	"JOIN wharf.order_line l ON l.order_id = o.id "
	"JOIN wharf.allocation a ON a.order_line_id = l.id "
	"JOIN wharf.location loc ON loc.id = a.location_id "
	"WHERE o.warehouse_id = $1 AND o.state = 'allocated' "
	"  AND o.intercepted_at IS NULL "
	"ORDER BY o.id, a.id";

static const char wave_write_sql[] =
	"SELECT r->>'wave_id', r->>'orders', r->>'tasks', r->>'totes', "
	"r->>'units' FROM wharf.write_wave($1, $2, $3, $4, $5::jsonb) AS r";

struct wave_ctx {
	int64_t warehouse_id;
	const struct engine_wave_limits *limits;
	int64_t user_id;
	struct engine_wave_result *out;
};

static const char *strategy_sql_name(enum wave_strategy s)
{
	switch (s) {
	case WAVE_SINGLE_ITEM:
		return "single_item";
	case WAVE_MULTI_ITEM:
		return "multi_item";
	case WAVE_BY_CARRIER:
		return "by_carrier";
	}
	return "multi_item";
}

/* Carrier names as small integers for the planner: 1-based index. */
static int64_t carrier_id(const char **names, size_t *n, const char *name,
			  bool add)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(names[i], name) == 0)
			return (int64_t)i + 1;
	if (!add)
		return 0;
	names[*n] = name;
	return (int64_t)++(*n);
}

static enum wh_err wave_write(struct db *db, struct wave_ctx *c,
			      const struct wave_plan *plan,
			      const char *carrier, struct wh_error *err)
{
	struct sbuf b = { 0 };
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	sb_printf(&b, "{\"orders\":[");
	for (size_t i = 0; i < plan->n_orders; i++)
		sb_printf(&b, "%s{\"o\":%" PRId64 ",\"t\":%u,\"s\":%u}",
			  i ? "," : "", plan->orders[i].order_id,
			  plan->orders[i].tote, plan->orders[i].slot);
	sb_printf(&b, "],\"tasks\":[");
	for (size_t i = 0; i < plan->n_tasks; i++) {
		const struct wave_task *t = &plan->tasks[i];

		sb_printf(&b, "%s{\"w\":%zu,\"l\":%" PRId64 ",\"k\":%" PRId64,
			  i ? "," : "", i + 1, t->location_id, t->sku_id);
		if (t->lot_id)
			sb_printf(&b, ",\"q\":%" PRId64, t->lot_id);
		sb_printf(&b, ",\"n\":%" PRId64 ",\"t\":%u,\"s\":%u,\"o\":%" PRId64
			  "}", t->qty, t->tote, t->slot, t->order_id);
	}
	sb_printf(&b, "]}");
	if (b.oom) {
		free(b.p);
		return wh_error_set(err, WH_ERR_NOMEM, "wave plan: out of memory");
	}
	p_int(&p, c->warehouse_id);
	p_text(&p, strategy_sql_name(c->limits->strategy));
	p_int(&p, c->user_id);
	p_text(&p, carrier);
	p_text(&p, b.p);
	rc = db_exec(db, wave_write_sql, p.n, p.v, &r, err);
	free(b.p);
	if (rc == WH_ERR_REFUSED && engine_reason_of(err) == ENGINE_R_WAVE_STALE)
		return WH_ERR_RETRY; /* re-read and re-plan */
	if (rc != WH_OK)
		return rc;
	c->out->wave_id = col_i64(r, 0);
	c->out->orders = col_i64(r, 1);
	c->out->tasks = col_i64(r, 2);
	c->out->totes = col_i64(r, 3);
	c->out->units = col_i64(r, 4);
	db_result_free(r);
	return WH_OK;
}

static enum wh_err wave_txn(struct db *db, void *ctx, struct wh_error *err)
{
	struct wave_ctx *c = ctx;
	struct params p = { 0 };
	struct db_result *r = NULL;
	struct wave_alloc *allocs = NULL;
	struct wave_order *orders = NULL;
	const char **carriers = NULL;
	size_t n_orders = 0, n_carriers = 0, rows;
	struct wave_limits lim;
	struct wave_plan *plan = NULL;
	enum wh_err rc;

	memset(c->out, 0, sizeof(*c->out));
	p_int(&p, c->warehouse_id);
	rc = db_exec(db, wave_read_sql, p.n, p.v, &r, err);
	if (rc != WH_OK)
		return rc;
	rows = (size_t)db_result_rows(r);
	if (rows == 0)
		goto out;
	allocs = calloc(rows, sizeof(*allocs));
	orders = calloc(rows, sizeof(*orders));
	carriers = calloc(rows + 1, sizeof(*carriers));
	if (!allocs || !orders || !carriers) {
		rc = wh_error_set(err, WH_ERR_NOMEM, "wave: out of memory");
		goto out;
	}
	for (size_t i = 0; i < rows; i++) {
		int row = (int)i;
		int64_t oid = db_result_int64(r, row, 0);

		if (n_orders == 0 || orders[n_orders - 1].order_id != oid) {
			struct wave_order *o = &orders[n_orders++];
			int64_t cut = db_result_int64(r, row, 3);

			o->order_id = oid;
			o->priority = (int32_t)db_result_int64(r, row, 1);
			o->carrier_id = carrier_id(carriers, &n_carriers,
						   db_result_text(r, row, 2),
						   true);
			o->cutoff = cut < 0 ? WAVE_NO_CUTOFF : cut;
			o->created = db_result_int64(r, row, 4);
			o->line_count = (int32_t)db_result_int64(r, row, 5);
			o->units = db_result_int64(r, row, 6);
			o->allocs = &allocs[i];
		}
		allocs[i] = (struct wave_alloc){
		    .line_id = db_result_int64(r, row, 7),
		    .sku_id = db_result_int64(r, row, 8),
		    .location_id = db_result_int64(r, row, 9),
		    .lot_id = db_result_int64(r, row, 10),
		    .walk_seq = (int32_t)db_result_int64(r, row, 11),
		    .qty = db_result_int64(r, row, 12),
		};
		orders[n_orders - 1].n_allocs++;
	}
	lim = (struct wave_limits){
	    .strategy = c->limits->strategy,
	    .max_orders = c->limits->max_orders,
	    .max_units = c->limits->max_units,
	    .max_totes = c->limits->max_totes,
	    .slots_per_tote = c->limits->slots_per_tote,
	    .carrier_id = 0,
	};
	if (c->limits->carrier) {
		lim.carrier_id = carrier_id(carriers, &n_carriers,
					    c->limits->carrier, false);
		if (lim.carrier_id == 0)
			goto out; /* no allocated order of that carrier */
	}
	rc = wave_plan(orders, n_orders, &lim, &plan, err);
	if (rc != WH_OK)
		goto out;
	if (plan->n_orders > 0)
		rc = wave_write(db, c, plan,
				plan->carrier_id
					? carriers[plan->carrier_id - 1]
					: NULL,
				err);
out:
	wave_plan_free(plan);
	free(carriers);
	free(orders);
	free(allocs);
	db_result_free(r);
	return rc;
}

enum wh_err engine_release_wave(struct db *db, int64_t warehouse_id,
				const struct engine_wave_limits *limits,
				const struct engine_actor *who,
				struct engine_wave_result *out,
				struct wh_error *err)
{
	struct wave_ctx c = {
	    .warehouse_id = warehouse_id,
	    .limits = limits,
	    .user_id = actor_user(who),
	    .out = out,
	};

	return db_transaction(db, ENGINE_TRIES, wave_txn, &c, err);
}

/* picking ------------------------------------------------------------------------- */

/* The columns of a task (wharf._task_json), from column c of row 0. */
#define TASK_COLS(j)                                                       \
	"(" j ")->>'task_id', (" j ")->>'kind', (" j ")->>'location_id', "   \
	"(" j ")->>'location_code', (" j ")->>'to_location_code', "          \
	"(" j ")->>'sku_id', (" j ")->>'sku_code', (" j ")->>'sku_name', "   \
	"(" j ")->>'lot_code', (" j ")->>'lot_expiry', (" j ")->>'qty', "    \
	"(" j ")->>'tote_code', (" j ")->>'slot', (" j ")->>'order_id', "    \
	"(" j ")->>'wave_id', (" j ")->>'wave_done', (" j ")->>'wave_total'"

static void task_from_row(const struct db_result *r, int c,
			  struct engine_task *out)
{
	memset(out, 0, sizeof(*out));
	out->task_id = col_i64(r, c + 0);
	col_text(r, c + 1, out->kind, sizeof(out->kind));
	out->location_id = col_i64(r, c + 2);
	col_text(r, c + 3, out->location_code, sizeof(out->location_code));
	col_text(r, c + 4, out->to_location_code,
		 sizeof(out->to_location_code));
	out->sku_id = col_i64(r, c + 5);
	col_text(r, c + 6, out->sku_code, sizeof(out->sku_code));
	col_text(r, c + 7, out->sku_name, sizeof(out->sku_name));
	col_text(r, c + 8, out->lot_code, sizeof(out->lot_code));
	col_text(r, c + 9, out->lot_expiry, sizeof(out->lot_expiry));
	out->qty = col_i64(r, c + 10);
	col_text(r, c + 11, out->tote_code, sizeof(out->tote_code));
	out->slot = (int32_t)col_i64(r, c + 12);
	out->order_id = col_i64(r, c + 13);
	out->wave_id = col_i64(r, c + 14);
	out->wave_done = col_i64(r, c + 15);
	out->wave_total = col_i64(r, c + 16);
}

enum wh_err engine_claim_task(struct db *db, const struct engine_actor *who,
			      int64_t warehouse_id, struct engine_task *out,
			      struct wh_error *err)
{
	static const char sql[] =
		"SELECT " TASK_COLS("r")
		" FROM wharf.claim_task($1, $2, $3) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	p_int(&p, warehouse_id);
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_is_null(r, 0, 0)) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND,
				    "no open task in warehouse %" PRId64,
				    warehouse_id);
	}
	task_from_row(r, 0, out);
	db_result_free(r);
	return WH_OK;
}

#define PICK_COLS                                                          \
	"r->>'task_id', r->>'units', r->>'remaining', r->>'substituted', "  \
	"r->>'task_state', r->>'order_state', r->>'tote_code', r->>'slot', " \
	"r->>'replayed'"
#define PICK_NCOLS 9

static void pick_params(struct params *p, const struct engine_pick *pk,
			const struct engine_actor *who)
{
	p_int(p, pk->task_id);
	p_text(p, pk->location_code);
	p_text(p, pk->barcode);
	p_text(p, pk->lot_code);
	p_int(p, pk->qty);
	p_text(p, pk->op_id);
	p_id(p, actor_user(who));
	p_id(p, actor_station(who));
}

static void pick_from_row(const struct db_result *r,
			  struct engine_pick_result *out)
{
	out->task_id = col_i64(r, 0);
	out->units = col_i64(r, 1);
	out->remaining = col_i64(r, 2);
	out->substituted = col_bool(r, 3);
	col_text(r, 4, out->task_state, sizeof(out->task_state));
	col_text(r, 5, out->order_state, sizeof(out->order_state));
	col_text(r, 6, out->tote_code, sizeof(out->tote_code));
	out->slot = (int32_t)col_i64(r, 7);
	out->replayed = col_bool(r, 8);
}

enum wh_err engine_confirm_pick(struct db *db, const struct engine_pick *pk,
				const struct engine_actor *who,
				struct engine_pick_result *out,
				struct wh_error *err)
{
	static const char sql[] =
		"SELECT " PICK_COLS
		" FROM wharf.confirm_pick($1, $2, $3, $4, $5, $6, $7, $8) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	pick_params(&p, pk, who);
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	pick_from_row(r, out);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_confirm_pick_next(struct db *db,
				     const struct engine_pick *pk,
				     const struct engine_actor *who,
				     int64_t warehouse_id,
				     struct engine_pick_result *out,
				     struct engine_task *next, bool *has_next,
				     struct wh_error *err)
{
	static const char sql[] =
		"SELECT " PICK_COLS ", " TASK_COLS("r->'next'")
		" FROM wharf.confirm_pick_next($1, $2, $3, $4, $5, $6, $7, $8, "
		"$9) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	pick_params(&p, pk, who);
	p_int(&p, warehouse_id);
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	pick_from_row(r, out);
	*has_next = !db_result_is_null(r, 0, PICK_NCOLS);
	if (*has_next)
		task_from_row(r, PICK_NCOLS, next);
	else
		memset(next, 0, sizeof(*next));
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_short_pick(struct db *db, int64_t task_id, int32_t found,
			      const char *op_id, const struct engine_actor *who,
			      struct engine_short_result *out,
			      struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'task_id', r->>'found', r->>'short', "
		"r->>'reallocated', r->>'missing', r->>'count_task_id', "
		"r->>'order_state', r->>'replayed' "
		"FROM wharf.short_pick($1, $2, $3, $4, $5) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, task_id);
	p_int(&p, found);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->task_id = col_i64(r, 0);
	out->found = col_i64(r, 1);
	out->shortfall = col_i64(r, 2);
	out->reallocated = col_i64(r, 3);
	out->missing = col_i64(r, 4);
	out->count_task_id = col_i64(r, 5);
	col_text(r, 6, out->order_state, sizeof(out->order_state));
	out->replayed = col_bool(r, 7);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_confirm_putback(struct db *db, int64_t task_id,
				   const char *location_code, int32_t qty,
				   const char *op_id,
				   const struct engine_actor *who,
				   struct engine_putback_result *out,
				   struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'task_id', r->>'units', r->>'remaining', "
		"r->>'replayed' "
		"FROM wharf.confirm_putback($1, $2, $3, $4, $5, $6) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, task_id);
	p_text(&p, location_code);
	p_int(&p, qty);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->task_id = col_i64(r, 0);
	out->units = col_i64(r, 1);
	out->remaining = col_i64(r, 2);
	out->replayed = col_bool(r, 3);
	db_result_free(r);
	return WH_OK;
}

/* interception, pack, ship ------------------------------------------------------- */

enum wh_err engine_intercept(struct db *db, int64_t order_id,
			     const char *reason, const char *op_id,
			     const struct engine_actor *who,
			     struct engine_intercept_result *out,
			     struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'order_id', r->>'released', r->>'putback_tasks', "
		"r->>'already', r->>'replayed' "
		"FROM wharf.intercept($1, $2, $3, $4, $5) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, order_id);
	p_text(&p, reason);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->order_id = col_i64(r, 0);
	out->released = col_i64(r, 1);
	out->putback_tasks = col_i64(r, 2);
	out->already = col_bool(r, 3);
	out->replayed = col_bool(r, 4);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_pack_verify(struct db *db, int64_t order_id,
			       const char *barcode, const char *lot_code,
			       const char *op_id,
			       const struct engine_actor *who,
			       struct engine_pack_result *out,
			       struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'order_id', r->>'line_id', r->>'sku_code', "
		"r->>'units', r->>'line_packed', r->>'line_qty', "
		"r->>'remaining', r->>'order_packed', r->>'replayed' "
		"FROM wharf.pack_verify($1, $2, $3, $4, $5, $6) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, order_id);
	p_text(&p, barcode);
	p_text(&p, lot_code);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->order_id = col_i64(r, 0);
	out->line_id = col_i64(r, 1);
	col_text(r, 2, out->sku_code, sizeof(out->sku_code));
	out->units = col_i64(r, 3);
	out->line_packed = col_i64(r, 4);
	out->line_qty = col_i64(r, 5);
	out->remaining = col_i64(r, 6);
	out->order_packed = col_bool(r, 7);
	out->replayed = col_bool(r, 8);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_ship(struct db *db, int64_t order_id, const char *carrier,
			const char *tracking_no, int32_t weight_g,
			const char *op_id, const struct engine_actor *who,
			struct engine_ship_result *out, struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'order_id', r->>'shipment_id', r->>'outbox_id', "
		"r->>'units', r->>'replayed' "
		"FROM wharf.ship($1, $2, $3, $4, $5, $6, $7) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, order_id);
	p_text(&p, carrier);
	p_text(&p, tracking_no);
	p_int(&p, weight_g);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->order_id = col_i64(r, 0);
	out->shipment_id = col_i64(r, 1);
	out->outbox_id = col_i64(r, 2);
	out->units = col_i64(r, 3);
	out->replayed = col_bool(r, 4);
	db_result_free(r);
	return WH_OK;
}

/* receiving and moves ---------------------------------------------------------------- */

enum wh_err engine_receive(struct db *db, const struct engine_receive *rcv,
			   const struct engine_actor *who,
			   struct engine_receive_result *out,
			   struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'receipt_id', r->>'lot_id', r->>'location_id', "
		"r->>'qty', r->>'location_code', r->>'quarantined', "
		"r->>'reason', r->>'replayed' "
		"FROM wharf.receive($1, $2, $3, $4, $5::date, $6::date, $7, $8, "
		"$9, $10, $11) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_id(&p, rcv->po_id);
	p_int(&p, rcv->warehouse_id);
	p_int(&p, rcv->sku_id);
	p_text(&p, rcv->lot_code);
	p_text(&p, rcv->expiry);
	p_text(&p, rcv->produced);
	p_int(&p, rcv->qty);
	p_int(&p, rcv->location_id);
	p_text(&p, rcv->op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->receipt_id = col_i64(r, 0);
	out->lot_id = col_i64(r, 1);
	out->location_id = col_i64(r, 2);
	out->qty = col_i64(r, 3);
	col_text(r, 4, out->location_code, sizeof(out->location_code));
	out->quarantined = col_bool(r, 5);
	col_text(r, 6, out->reason, sizeof(out->reason));
	out->replayed = col_bool(r, 7);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_suggest_putaway(struct db *db, int64_t warehouse_id,
				   int64_t sku_id, int64_t lot_id,
				   int64_t *location_id, struct wh_error *err)
{
	static const char sql[] =
		"SELECT wharf.suggest_putaway($1, $2, $3)";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, warehouse_id);
	p_int(&p, sku_id);
	p_id(&p, lot_id);
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_is_null(r, 0, 0)) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND,
				    "no bin for putaway in warehouse %" PRId64,
				    warehouse_id);
	}
	*location_id = col_i64(r, 0);
	db_result_free(r);
	return WH_OK;
}

static enum wh_err relocate(struct db *db, const char *sql,
			    const struct engine_move *m,
			    const struct engine_actor *who, bool *replayed,
			    struct wh_error *err)
{
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, m->from_location_id);
	p_int(&p, m->to_location_id);
	p_int(&p, m->sku_id);
	p_id(&p, m->lot_id);
	p_int(&p, m->qty);
	p_text(&p, m->op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (replayed)
		*replayed = col_bool(r, 0);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_putaway(struct db *db, const struct engine_move *m,
			   const struct engine_actor *who, bool *replayed,
			   struct wh_error *err)
{
	return relocate(db,
			"SELECT r->>'replayed' FROM wharf.putaway($1, $2, $3, "
			"$4, $5, $6, $7, $8) AS r",
			m, who, replayed, err);
}

enum wh_err engine_move(struct db *db, const struct engine_move *m,
			const struct engine_actor *who, bool *replayed,
			struct wh_error *err)
{
	return relocate(db,
			"SELECT r->>'replayed' FROM wharf.move($1, $2, $3, "
			"$4, $5, $6, $7, $8) AS r",
			m, who, replayed, err);
}

/* counting and adjustment ------------------------------------------------------------- */

enum wh_err engine_count(struct db *db, int64_t location_id,
			 const struct engine_count_line *lines, size_t n,
			 int32_t threshold, const char *op_id,
			 const struct engine_actor *who,
			 struct engine_count_result *out, struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'count_task_id', r->>'variance', r->>'state', "
		"r->>'replayed' "
		"FROM wharf.count($1, $2::jsonb, $3, $4, $5, $6) AS r";
	struct sbuf b = { 0 };
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	sb_printf(&b, "[");
	for (size_t i = 0; i < n; i++) {
		sb_printf(&b, "%s{\"sku_id\":%" PRId64 ",\"lot_code\":",
			  i ? "," : "", lines[i].sku_id);
		sb_json_str(&b, lines[i].lot_code);
		sb_printf(&b, ",\"counted\":%" PRId32 "}", lines[i].counted);
	}
	sb_printf(&b, "]");
	if (b.oom) {
		free(b.p);
		return wh_error_set(err, WH_ERR_NOMEM, "count: out of memory");
	}
	p_int(&p, location_id);
	p_text(&p, b.p);
	p_text(&p, op_id);
	p_int(&p, threshold);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	free(b.p);
	if (rc != WH_OK)
		return rc;
	out->count_task_id = col_i64(r, 0);
	out->variance = col_i64(r, 1);
	col_text(r, 2, out->state, sizeof(out->state));
	out->replayed = col_bool(r, 3);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_approve_count(struct db *db, int64_t count_task_id,
				 const char *op_id,
				 const struct engine_actor *who, bool *replayed,
				 struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'replayed' "
		"FROM wharf.approve_count($1, $2, $3, $4) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, count_task_id);
	p_id(&p, actor_user(who));
	p_text(&p, op_id);
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (replayed)
		*replayed = col_bool(r, 0);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_adjust(struct db *db, int64_t location_id, int64_t sku_id,
			  int64_t lot_id, int32_t delta, const char *reason,
			  const char *op_id, const struct engine_actor *who,
			  bool *replayed, struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'replayed' "
		"FROM wharf.adjust($1, $2, $3, $4, $5, $6, $7, $8) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, location_id);
	p_int(&p, sku_id);
	p_id(&p, lot_id);
	p_int(&p, delta);
	p_text(&p, reason);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (replayed)
		*replayed = col_bool(r, 0);
	db_result_free(r);
	return WH_OK;
}

/* transfers ---------------------------------------------------------------------------- */

enum wh_err engine_transfer_out(struct db *db, int64_t from_wh, int64_t to_wh,
				const struct engine_transfer_line *lines,
				size_t n, const char *op_id,
				const struct engine_actor *who,
				int64_t *transfer_id, struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'transfer_id' "
		"FROM wharf.transfer_out($1, $2, $3::jsonb, $4, $5, $6) AS r";
	struct sbuf b = { 0 };
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	sb_printf(&b, "[");
	for (size_t i = 0; i < n; i++) {
		sb_printf(&b, "%s{\"location_id\":%" PRId64 ",\"sku_id\":%" PRId64,
			  i ? "," : "", lines[i].location_id, lines[i].sku_id);
		if (lines[i].lot_id)
			sb_printf(&b, ",\"lot_id\":%" PRId64, lines[i].lot_id);
		sb_printf(&b, ",\"qty\":%" PRId32 "}", lines[i].qty);
	}
	sb_printf(&b, "]");
	if (b.oom) {
		free(b.p);
		return wh_error_set(err, WH_ERR_NOMEM, "transfer: out of memory");
	}
	p_int(&p, from_wh);
	p_int(&p, to_wh);
	p_text(&p, b.p);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	free(b.p);
	if (rc != WH_OK)
		return rc;
	*transfer_id = col_i64(r, 0);
	db_result_free(r);
	return WH_OK;
}

enum wh_err engine_transfer_in(struct db *db, int64_t transfer_id,
			       int64_t location_id, const char *op_id,
			       const struct engine_actor *who, int64_t *units,
			       struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'units' "
		"FROM wharf.transfer_in($1, $2, $3, $4, $5) AS r";
	struct params p = { 0 };
	struct db_result *r;
	enum wh_err rc;

	p_int(&p, transfer_id);
	p_int(&p, location_id);
	p_text(&p, op_id);
	p_id(&p, actor_user(who));
	p_id(&p, actor_station(who));
	rc = call(db, sql, &p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (units)
		*units = col_i64(r, 0);
	db_result_free(r);
	return WH_OK;
}
