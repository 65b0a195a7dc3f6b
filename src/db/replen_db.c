/*
 * replen_db.c - replenishment and SSCC calls. See replen_db.h.
 */
#include "db/replen_db.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TRIES 6

struct args {
	int n;
	const char *v[10];
	char num[10][24];
};

static void a_text(struct args *a, const char *s)
{
	a->v[a->n++] = s;
}

/* An id; 0 is SQL NULL. */
static void a_id(struct args *a, int64_t v)
{
	if (!v) {
		a_text(a, NULL);
		return;
	}
	snprintf(a->num[a->n], sizeof(a->num[0]), "%" PRId64, v);
	a->v[a->n] = a->num[a->n];
	a->n++;
}

/* One statement, retried on 40001/40P01; exactly one row on WH_OK. */
static enum wh_err run(struct db *db, const char *sql, const struct args *a,
		       struct db_result **out, struct wh_error *err)
{
	enum wh_err rc = WH_ERR_RETRY;

	for (int i = 0; i < TRIES && rc == WH_ERR_RETRY; i++) {
		rc = db_exec(db, sql, a->n, a->v, out, err);
		if (rc == WH_ERR_RETRY) {
			struct timespec ts = { 0, (long)(i + 1) * 3000000L };

			nanosleep(&ts, NULL);
		}
	}
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(*out) != 1) {
		db_result_free(*out);
		*out = NULL;
		return wh_error_set(err, WH_ERR_DB, "replenishment call "
				    "returned no row");
	}
	return WH_OK;
}

static void text(const struct db_result *r, int c, char *buf, size_t n)
{
	snprintf(buf, n, "%s", db_result_text(r, 0, c));
}

static bool is_true(const struct db_result *r, int c)
{
	return !strcmp(db_result_text(r, 0, c), "true") ||
	       !strcmp(db_result_text(r, 0, c), "t");
}

enum wh_err replen_db_plan(struct db *db, int64_t warehouse_id,
			   const struct engine_actor *who, const char *op_id,
			   struct replen_db_plan_result *out,
			   struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'tasks', r->>'units', r->>'faces', "
		"r->>'shortfall', r->>'cancelled', r->>'replayed' "
		"FROM wharf.plan_replenishment($1, $2, $3) AS r";
	struct args a = { 0 };
	struct db_result *r;
	enum wh_err rc;

	a_id(&a, warehouse_id);
	a_id(&a, who->user_id);
	a_text(&a, op_id && op_id[0] ? op_id : NULL);
	rc = run(db, sql, &a, &r, err);
	if (rc != WH_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->tasks = (int32_t)db_result_int64(r, 0, 0);
	out->units = db_result_int64(r, 0, 1);
	out->faces = (int32_t)db_result_int64(r, 0, 2);
	out->shortfall = db_result_int64(r, 0, 3);
	out->cancelled = (int32_t)db_result_int64(r, 0, 4);
	out->replayed = is_true(r, 5);
	db_result_free(r);
	return WH_OK;
}

enum wh_err replen_db_claim(struct db *db, const struct engine_actor *who,
			    int64_t warehouse_id, struct replen_db_task *out,
			    struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'task_id', r->>'location_code', "
		"r->>'to_location_code', r->>'sku_id', r->>'sku_code', "
		"r->>'sku_name', r->>'lot_code', r->>'lot_expiry', r->>'qty' "
		"FROM wharf.claim_replenish($1, $2, $3) AS r";
	struct args a = { 0 };
	struct db_result *r;
	enum wh_err rc;

	a_id(&a, who->user_id);
	a_id(&a, who->station_id);
	a_id(&a, warehouse_id);
	rc = run(db, sql, &a, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_is_null(r, 0, 0)) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND,
				    "no replenishment needed");
	}
	memset(out, 0, sizeof(*out));
	out->task_id = db_result_int64(r, 0, 0);
	text(r, 1, out->from_code, sizeof(out->from_code));
	text(r, 2, out->to_code, sizeof(out->to_code));
	out->sku_id = db_result_int64(r, 0, 3);
	text(r, 4, out->sku_code, sizeof(out->sku_code));
	text(r, 5, out->sku_name, sizeof(out->sku_name));
	text(r, 6, out->lot_code, sizeof(out->lot_code));
	text(r, 7, out->lot_expiry, sizeof(out->lot_expiry));
	out->qty = db_result_int64(r, 0, 8);
	db_result_free(r);
	return WH_OK;
}

enum wh_err replen_db_confirm(struct db *db, const struct replen_db_confirm *c,
			      const struct engine_actor *who,
			      struct replen_db_confirm_result *out,
			      struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'task_id', r->>'units', r->>'remaining', "
		"r->>'task_state', r->>'replayed' "
		"FROM wharf.confirm_replenish($1, $2, $3, $4, $5, $6, $7, $8,"
		" $9) AS r";
	struct args a = { 0 };
	struct db_result *r;
	char qty[24];
	enum wh_err rc;

	snprintf(qty, sizeof(qty), "%" PRId32, c->qty);
	a_id(&a, c->task_id);
	a_text(&a, c->from_code);
	a_text(&a, c->to_code);
	a_text(&a, c->barcode);
	a_text(&a, c->lot_code && c->lot_code[0] ? c->lot_code : NULL);
	a_text(&a, qty);
	a_text(&a, c->op_id && c->op_id[0] ? c->op_id : NULL);
	a_id(&a, who->user_id);
	a_id(&a, who->station_id);
	rc = run(db, sql, &a, &r, err);
	if (rc != WH_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->task_id = db_result_int64(r, 0, 0);
	out->units = (int32_t)db_result_int64(r, 0, 1);
	out->remaining = (int32_t)db_result_int64(r, 0, 2);
	out->done = !strcmp(db_result_text(r, 0, 3), "done");
	out->replayed = is_true(r, 4);
	db_result_free(r);
	return WH_OK;
}

enum wh_err replen_db_receive_labels(struct db *db, int64_t station_id,
				     bool *on, struct wh_error *err)
{
	static const char sql[] =
		"SELECT coalesce((SELECT receive_labels FROM wharf.station "
		"WHERE id = $1), false)";
	struct args a = { 0 };
	struct db_result *r;
	enum wh_err rc;

	*on = false;
	if (!station_id)
		return WH_OK;
	a_id(&a, station_id);
	rc = run(db, sql, &a, &r, err);
	if (rc != WH_OK)
		return rc;
	*on = is_true(r, 0);
	db_result_free(r);
	return WH_OK;
}

enum wh_err replen_db_issue_sscc(struct db *db, int64_t warehouse_id,
				 int64_t receipt_id, const char *op_id,
				 const struct engine_actor *who,
				 char sscc[REPLEN_SSCC_SIZE],
				 struct wh_error *err)
{
	static const char sql[] =
		"SELECT wharf.issue_sscc($1, $2, $3, $4, $5)";
	struct args a = { 0 };
	struct db_result *r;
	enum wh_err rc;

	sscc[0] = '\0';
	a_id(&a, warehouse_id);
	a_id(&a, receipt_id);
	a_text(&a, op_id && op_id[0] ? op_id : NULL);
	a_id(&a, who->user_id);
	a_id(&a, who->station_id);
	rc = run(db, sql, &a, &r, err);
	if (rc != WH_OK)
		return rc;
	text(r, 0, sscc, REPLEN_SSCC_SIZE);
	db_result_free(r);
	return WH_OK;
}
