/*
 * pack.c - the packing desk's database calls. See pack.h.
 */
#include "db/pack.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Up to ENGINE_TRIES runs of one statement while it fails with 40001 or
 * 40P01 (the function is the transaction: nothing half-done to undo). */
static enum wh_err run(struct db *db, const char *sql, int n,
		       const char *const *v, struct db_result **out,
		       struct wh_error *err)
{
	struct timespec ts = { 0, 3000000L };
	enum wh_err rc = WH_ERR_RETRY;

	for (int i = 0; i < ENGINE_TRIES && rc == WH_ERR_RETRY; i++) {
		if (i)
			nanosleep(&ts, NULL);
		rc = db_exec(db, sql, n, v, out, err);
	}
	return rc;
}

static void id_text(char buf[24], int64_t v)
{
	snprintf(buf, 24, "%" PRId64, v);
}

/* NULL for id 0 (no user, no station). */
static const char *id_or_null(char buf[24], int64_t v)
{
	id_text(buf, v);
	return v ? buf : NULL;
}

static void cut(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static enum wh_err one_id(struct db *db, const char *sql, int n,
			  const char *const *v, int64_t *id,
			  struct wh_error *err)
{
	struct db_result *r;
	enum wh_err rc = run(db, sql, n, v, &r, err);

	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) < 1 || db_result_is_null(r, 0, 0)) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND, "not found");
	}
	*id = db_result_int64(r, 0, 0);
	db_result_free(r);
	return WH_OK;
}

enum wh_err pack_find(struct db *db, int64_t warehouse_id, const char *code,
		      int64_t *order_id, struct wh_error *err)
{
	char wh[24];
	const char *v[] = { wh, code };
	enum wh_err rc;

	id_text(wh, warehouse_id);
	rc = one_id(db, "SELECT order_id FROM wharf.pack_find($1, $2)", 2, v,
		    order_id, err);
	if (rc == WH_ERR_NOT_FOUND)
		wh_error_set(err, rc, "NO_ORDER: no order, tote or tracking "
			     "number %s", code);
	return rc;
}

enum wh_err pack_single_item(struct db *db, int64_t warehouse_id,
			     const char *barcode, int64_t *order_id,
			     struct wh_error *err)
{
	char wh[24];
	const char *v[] = { wh, barcode };
	enum wh_err rc;

	id_text(wh, warehouse_id);
	rc = one_id(db, "SELECT wharf.pack_single_item($1, $2)", 2, v,
		    order_id, err);
	if (rc == WH_ERR_NOT_FOUND)
		wh_error_set(err, rc, "NO_ORDER: no single-item order waits "
			     "for %s", barcode);
	return rc;
}

enum wh_err pack_load(struct db *db, int64_t order_id, const char *lang,
		      struct pack_order *out, struct wh_error *err)
{
	static const char hsql[] =
		"SELECT o.id, o.platform_order_id, o.state, "
		" o.intercepted_at IS NOT NULL, coalesce(o.intercept_reason, ''),"
		" wharf._pack_carrier(o.carrier), coalesce(t.code, ''), "
		" coalesce(wo.slot, 0), coalesce(sh.id, 0), "
		" coalesce(sh.tracking_no, ''), "
		" (SELECT coalesce(max(loc.code), '') FROM wharf.picked_stock ps"
		"  JOIN wharf.order_line l ON l.id = ps.order_line_id "
		"  JOIN wharf.location loc ON loc.id = ps.location_id "
		"  WHERE l.order_id = o.id) "
		"FROM wharf.sales_order o "
		"LEFT JOIN wharf.wave_order wo ON wo.order_id = o.id "
		"LEFT JOIN wharf.tote t ON t.id = wo.tote_id "
		"LEFT JOIN wharf.shipment sh ON sh.order_id = o.id "
		" AND sh.state <> 'voided' "
		"WHERE o.id = $1";
	static const char lsql[] =
		"SELECT l.id, coalesce(l.sku_id, 0), "
		" coalesce(k.code, l.platform_sku, ''), "
		" coalesce(CASE WHEN $2 = 'zh_CN' THEN k.name_zh END, k.name, "
		"  l.title, ''), "
		" coalesce((SELECT b.code FROM wharf.barcode b "
		"  WHERE b.sku_id = l.sku_id AND b.kind = 'gtin' "
		"  ORDER BY b.code LIMIT 1), k.code, ''), "
		" l.qty, l.qty_picked, l.qty_packed, coalesce(k.length_mm, 0), "
		" coalesce(k.width_mm, 0), coalesce(k.height_mm, 0), "
		" coalesce(k.weight_g, 0) "
		"FROM wharf.order_line l LEFT JOIN wharf.sku k ON k.id = l.sku_id "
		"WHERE l.order_id = $1 ORDER BY l.line_no";
	char id[24];
	const char *v[] = { id, lang ? lang : "en" };
	struct db_result *r;
	enum wh_err rc;
	int i, n;

	memset(out, 0, sizeof(*out));
	id_text(id, order_id);
	rc = run(db, hsql, 1, v, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND,
				    "NO_ORDER: no order %" PRId64, order_id);
	}
	out->order_id = db_result_int64(r, 0, 0);
	cut(out->order_no, sizeof(out->order_no), db_result_text(r, 0, 1));
	cut(out->state, sizeof(out->state), db_result_text(r, 0, 2));
	out->intercepted = strcmp(db_result_text(r, 0, 3), "t") == 0;
	cut(out->intercept_reason, sizeof(out->intercept_reason),
	    db_result_text(r, 0, 4));
	cut(out->carrier, sizeof(out->carrier), db_result_text(r, 0, 5));
	cut(out->tote, sizeof(out->tote), db_result_text(r, 0, 6));
	out->slot = (int32_t)db_result_int64(r, 0, 7);
	out->shipment_id = db_result_int64(r, 0, 8);
	cut(out->tracking, sizeof(out->tracking), db_result_text(r, 0, 9));
	cut(out->putback, sizeof(out->putback), db_result_text(r, 0, 10));
	if (!out->putback[0])
		cut(out->putback, sizeof(out->putback), out->tote);
	db_result_free(r);

	rc = run(db, lsql, 2, v, &r, err);
	if (rc != WH_OK)
		return rc;
	n = db_result_rows(r);
	for (i = 0; i < n; i++) {
		struct pack_line *l;
		int32_t qty = (int32_t)db_result_int64(r, i, 5);
		int32_t picked = (int32_t)db_result_int64(r, i, 6);
		int32_t packed = (int32_t)db_result_int64(r, i, 7);

		out->units += qty;
		out->picked += picked;
		out->packed += packed;
		if (out->nlines >= PACK_MAX_LINES) {
			out->more_lines = true;
			continue;
		}
		l = &out->line[out->nlines++];
		l->line_id = db_result_int64(r, i, 0);
		l->sku_id = db_result_int64(r, i, 1);
		cut(l->sku_code, sizeof(l->sku_code), db_result_text(r, i, 2));
		cut(l->name, sizeof(l->name), db_result_text(r, i, 3));
		cut(l->barcode, sizeof(l->barcode), db_result_text(r, i, 4));
		l->qty = qty;
		l->picked = picked;
		l->packed = packed;
		l->length_mm = (int32_t)db_result_int64(r, i, 8);
		l->width_mm = (int32_t)db_result_int64(r, i, 9);
		l->height_mm = (int32_t)db_result_int64(r, i, 10);
		l->weight_g = (int32_t)db_result_int64(r, i, 11);
	}
	db_result_free(r);
	return WH_OK;
}

enum wh_err pack_issue_tracking(struct db *db, int64_t order_id,
				const char *carrier, const char *op_id,
				char tracking[PACK_TRACKING_SIZE],
				struct wh_error *err)
{
	char id[24];
	const char *v[] = { id, carrier, op_id };
	struct db_result *r;
	enum wh_err rc;

	id_text(id, order_id);
	rc = run(db, "SELECT wharf.issue_tracking($1, $2, $3)", 3, v, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1 || !db_result_text(r, 0, 0)[0]) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_DB, "no tracking number");
	}
	cut(tracking, PACK_TRACKING_SIZE, db_result_text(r, 0, 0));
	db_result_free(r);
	return WH_OK;
}

enum wh_err pack_label_data(struct db *db, int64_t order_id,
			    const char *tracking, int32_t weight_g,
			    char **json, struct wh_error *err)
{
	char id[24], w[24];
	const char *v[] = { id, tracking, w };
	struct db_result *r;
	enum wh_err rc;

	*json = NULL;
	id_text(id, order_id);
	id_text(w, weight_g);
	rc = run(db, "SELECT wharf.pack_label_data($1, $2, $3)", 3, v, &r,
		 err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1 || db_result_is_null(r, 0, 0)) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND,
				    "NO_ORDER: no order %" PRId64, order_id);
	}
	*json = strdup(db_result_text(r, 0, 0));
	db_result_free(r);
	return *json ? WH_OK : wh_error_set(err, WH_ERR_NOMEM, "out of memory");
}

enum wh_err pack_station_get(struct db *db, int64_t station_id,
			     struct pack_station *out, struct wh_error *err)
{
	char id[24];
	const char *v[] = { id };
	struct db_result *r;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	cut(out->format, sizeof(out->format), "zpl");
	out->dpi = 203;
	if (station_id <= 0)
		return WH_OK;
	id_text(id, station_id);
	rc = run(db, "SELECT coalesce(printer_uri, ''), label_format, "
		 "label_dpi FROM wharf.station WHERE id = $1", 1, v, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) == 1) {
		cut(out->printer_uri, sizeof(out->printer_uri),
		    db_result_text(r, 0, 0));
		cut(out->format, sizeof(out->format), db_result_text(r, 0, 1));
		out->dpi = (int)db_result_int64(r, 0, 2);
	}
	db_result_free(r);
	return WH_OK;
}

/* bytea in text form: "\x" and two hex digits per byte. */
static char *hex_of(const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	char *s = malloc(2 * len + 3);
	size_t i;

	if (!s)
		return NULL;
	s[0] = '\\';
	s[1] = 'x';
	for (i = 0; i < len; i++) {
		s[2 + 2 * i] = hex[p[i] >> 4];
		s[3 + 2 * i] = hex[p[i] & 15];
	}
	s[2 + 2 * len] = '\0';
	return s;
}

enum wh_err pack_ship_with_label(struct db *db, const struct pack_ship *s,
				 const struct engine_actor *who,
				 struct engine_ship_result *out,
				 struct wh_error *err)
{
	static const char sql[] =
		"SELECT r->>'order_id', r->>'shipment_id', r->>'outbox_id', "
		"r->>'units', r->>'replayed' FROM wharf.ship_with_label($1, $2, "
		"$3, $4, $5, $6, $7::bytea, $8, $9, $10) AS r";
	char id[24], w[24], u[24], st[24];
	const char *v[10];
	struct db_result *r;
	enum wh_err rc;
	char *hex;

	if (!s->label || !s->label_len)
		return wh_error_set(err, WH_ERR_INVALID, "no label to store");
	hex = hex_of(s->label, s->label_len);
	if (!hex)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	id_text(id, s->order_id);
	id_text(w, s->weight_g);
	v[0] = id;
	v[1] = s->carrier;
	v[2] = s->tracking;
	v[3] = w;
	v[4] = s->carton;
	v[5] = s->format;
	v[6] = hex;
	v[7] = s->op_id;
	v[8] = id_or_null(u, who ? who->user_id : 0);
	v[9] = id_or_null(st, who ? who->station_id : 0);
	rc = run(db, sql, 10, v, &r, err);
	free(hex);
	if (rc != WH_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	if (db_result_rows(r) == 1) {
		out->order_id = db_result_int64(r, 0, 0);
		out->shipment_id = db_result_int64(r, 0, 1);
		out->outbox_id = db_result_int64(r, 0, 2);
		out->units = db_result_int64(r, 0, 3);
		out->replayed = strcmp(db_result_text(r, 0, 4), "true") == 0;
	}
	db_result_free(r);
	return WH_OK;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum wh_err pack_label_get(struct db *db, int64_t order_id,
			   char format[8], unsigned char **data, size_t *len,
			   struct wh_error *err)
{
	char id[24];
	const char *v[] = { id };
	struct db_result *r;
	const char *h;
	size_t n, i;
	enum wh_err rc;

	*data = NULL;
	*len = 0;
	id_text(id, order_id);
	rc = run(db, "SELECT label_format, encode(label, 'hex') "
		 "FROM wharf.shipment WHERE order_id = $1 AND state <> 'voided' "
		 "AND label IS NOT NULL", 1, v, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND, "BAD_SHIPMENT: "
				    "no stored label for order %" PRId64,
				    order_id);
	}
	snprintf(format, 8, "%s", db_result_text(r, 0, 0));
	h = db_result_text(r, 0, 1);
	n = strlen(h) / 2;
	*data = malloc(n ? n : 1);
	if (!*data) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		(*data)[i] = (unsigned char)(unhex(h[2 * i]) << 4 |
					     unhex(h[2 * i + 1]));
	*len = n;
	db_result_free(r);
	return WH_OK;
}

static enum wh_err order_call(struct db *db, const char *sql,
			      int64_t order_id, const char *reason,
			      const char *op_id,
			      const struct engine_actor *who,
			      struct wh_error *err)
{
	char id[24], u[24], st[24];
	const char *v[] = { id, reason, id_or_null(u, who ? who->user_id : 0),
			    op_id, id_or_null(st, who ? who->station_id : 0) };

	id_text(id, order_id);
	return run(db, sql, 5, v, NULL, err);
}

enum wh_err pack_void(struct db *db, int64_t order_id, const char *reason,
		      const char *op_id, const struct engine_actor *who,
		      struct wh_error *err)
{
	return order_call(db, "SELECT wharf.void_shipment($1, $2, $3, $4, $5)",
			  order_id, reason, op_id, who, err);
}

enum wh_err pack_exception(struct db *db, int64_t order_id,
			   const char *reason, const char *op_id,
			   const struct engine_actor *who,
			   struct wh_error *err)
{
	return order_call(db, "SELECT wharf.pack_exception($1, $2, $3, $4, $5)",
			  order_id, reason, op_id, who, err);
}
