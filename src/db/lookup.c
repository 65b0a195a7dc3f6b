/*
 * lookup.c - the floor screens' queries. See lookup.h.
 */
#include "db/lookup.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The SKU name in the user's language ($n is the language). */
#define NAME_SQL(lang) \
	"CASE WHEN " lang " = 'zh_CN' AND coalesce(s.name_zh, '') <> '' " \
	"THEN s.name_zh ELSE s.name END"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void id_text(char buf[24], int64_t v)
{
	snprintf(buf, 24, "%" PRId64, v);
}

static const char code_loc_sql[] =
	"SELECT id, code, kind::text FROM wharf.location "
	"WHERE warehouse_id = $1 AND code = $2";

static const char code_sku_sql[] =
	"SELECT s.id, s.code, " NAME_SQL("$2") ", b.pack_qty, "
	"s.lot_control::text "
	"FROM wharf.barcode_lookup($1) b JOIN wharf.sku s ON s.id = b.sku_id";

enum wh_err lookup_code(struct db *db, int64_t warehouse_id,
			const char *code, const char *lang,
			struct lookup_code *out, struct wh_error *err)
{
	char wh[24];
	const char *lp[] = { wh, code };
	const char *sp[] = { code, lang ? lang : "" };
	struct db_result *r;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	id_text(wh, warehouse_id);
	rc = db_exec(db, code_loc_sql, 2, lp, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) == 1) {
		out->kind = LOOKUP_LOCATION;
		out->location_id = db_result_int64(r, 0, 0);
		copy(out->location_code, sizeof(out->location_code),
		     db_result_text(r, 0, 1));
		copy(out->location_kind, sizeof(out->location_kind),
		     db_result_text(r, 0, 2));
		db_result_free(r);
		return WH_OK;
	}
	db_result_free(r);
	rc = db_exec(db, code_sku_sql, 2, sp, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) == 1 && !db_result_is_null(r, 0, 0)) {
		out->kind = LOOKUP_SKU;
		out->sku_id = db_result_int64(r, 0, 0);
		copy(out->sku_code, sizeof(out->sku_code),
		     db_result_text(r, 0, 1));
		copy(out->sku_name, sizeof(out->sku_name),
		     db_result_text(r, 0, 2));
		out->pack_qty = (int32_t)db_result_int64(r, 0, 3);
		if (out->pack_qty < 1)
			out->pack_qty = 1;
		copy(out->lot_control, sizeof(out->lot_control),
		     db_result_text(r, 0, 4));
	}
	db_result_free(r);
	return WH_OK;
}

enum wh_err lookup_lot(struct db *db, int64_t sku_id, const char *lot_code,
		       struct lookup_lot *out, struct wh_error *err)
{
	char sku[24];
	const char *p[] = { sku, lot_code };
	struct db_result *r;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	id_text(sku, sku_id);
	rc = db_exec(db, "SELECT id, lot_code, coalesce(expiry::text, '') "
		     "FROM wharf.lot WHERE sku_id = $1 AND lot_code = $2",
		     2, p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND, "no lot %s",
				    lot_code);
	}
	out->lot_id = db_result_int64(r, 0, 0);
	copy(out->lot_code, sizeof(out->lot_code), db_result_text(r, 0, 1));
	copy(out->expiry, sizeof(out->expiry), db_result_text(r, 0, 2));
	db_result_free(r);
	return WH_OK;
}

enum wh_err lookup_dock(struct db *db, int64_t warehouse_id,
			int64_t *location_id, char code[LOOKUP_LOC_SIZE],
			struct wh_error *err)
{
	char wh[24];
	const char *p[] = { wh };
	struct db_result *r;
	enum wh_err rc;

	id_text(wh, warehouse_id);
	rc = db_exec(db, "SELECT id, code FROM wharf.location "
		     "WHERE warehouse_id = $1 AND kind = 'receiving' "
		     "AND NOT blocked ORDER BY walk_seq, id LIMIT 1",
		     1, p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND,
				    "NO_LOCATION: no receiving dock");
	}
	*location_id = db_result_int64(r, 0, 0);
	copy(code, LOOKUP_LOC_SIZE, db_result_text(r, 0, 1));
	db_result_free(r);
	return WH_OK;
}

enum wh_err lookup_location_code(struct db *db, int64_t location_id,
				 char code[LOOKUP_LOC_SIZE],
				 struct wh_error *err)
{
	char id[24];
	const char *p[] = { id };
	struct db_result *r;
	enum wh_err rc;

	id_text(id, location_id);
	rc = db_exec(db, "SELECT code FROM wharf.location WHERE id = $1", 1,
		     p, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND, "no location %s",
				    id);
	}
	copy(code, LOOKUP_LOC_SIZE, db_result_text(r, 0, 0));
	db_result_free(r);
	return WH_OK;
}

static const char pos_sql[] =
	"SELECT po.id, po.po_no, sp.name, count(pl.*), "
	"coalesce(sum(greatest(pl.qty_ordered - pl.qty_received, 0)), 0) "
	"FROM wharf.purchase_order po "
	"JOIN wharf.supplier sp ON sp.id = po.supplier_id "
	"LEFT JOIN wharf.po_line pl ON pl.po_id = po.id "
	"WHERE po.warehouse_id = $1 "
	"  AND po.state IN ('open', 'partially_received') "
	"GROUP BY po.id, po.po_no, sp.name, po.expected_at "
	"ORDER BY po.expected_at NULLS LAST, po.id LIMIT $2";

enum wh_err lookup_open_pos(struct db *db, int64_t warehouse_id,
			    struct lookup_po_list *out, struct wh_error *err)
{
	char wh[24], lim[24];
	const char *p[] = { wh, lim };
	struct db_result *r;
	enum wh_err rc;
	int i;

	memset(out, 0, sizeof(*out));
	id_text(wh, warehouse_id);
	id_text(lim, LOOKUP_MAX_POS);
	rc = db_exec(db, pos_sql, 2, p, &r, err);
	if (rc != WH_OK)
		return rc;
	for (i = 0; i < db_result_rows(r) && i < LOOKUP_MAX_POS; i++) {
		struct lookup_po *po = &out->po[i];

		po->id = db_result_int64(r, i, 0);
		copy(po->po_no, sizeof(po->po_no), db_result_text(r, i, 1));
		copy(po->supplier, sizeof(po->supplier),
		     db_result_text(r, i, 2));
		po->lines = (int32_t)db_result_int64(r, i, 3);
		po->open_units = db_result_int64(r, i, 4);
	}
	out->n = i;
	db_result_free(r);
	return WH_OK;
}

/* What the query names, in the order a floor user means it. */
static const char stock_kind_sql[] =
	"SELECT CASE "
	" WHEN EXISTS (SELECT 1 FROM wharf.location "
	"   WHERE warehouse_id = $1 AND code = $2) THEN 'location' "
	" WHEN (SELECT sku_id FROM wharf.barcode_lookup($2)) IS NOT NULL "
	"   THEN 'sku' "
	" WHEN EXISTS (SELECT 1 FROM wharf.lot WHERE lot_code = $2) "
	"   THEN 'lot' ELSE 'none' END, "
	" coalesce((SELECT s.code || ' ' || " NAME_SQL("$3")
	"   FROM wharf.barcode_lookup($2) b JOIN wharf.sku s "
	"   ON s.id = b.sku_id), '')";

/* $4: 'location', 'sku' or 'lot'. The window sums give the totals. */
static const char stock_rows_sql[] =
	"SELECT l.code, l.kind::text, s.code, " NAME_SQL("$3") ", "
	" coalesce(lt.lot_code, ''), coalesce(lt.expiry::text, ''), "
	" st.on_hand, st.allocated, "
	" sum(st.on_hand) OVER (), sum(st.allocated) OVER (), count(*) OVER () "
	"FROM wharf.stock st "
	"JOIN wharf.location l ON l.id = st.location_id "
	"JOIN wharf.sku s ON s.id = st.sku_id "
	"LEFT JOIN wharf.lot lt ON lt.id = st.lot_id "
	"WHERE st.warehouse_id = $1 AND st.on_hand > 0 AND CASE $4 "
	" WHEN 'location' THEN l.code = $2 "
	" WHEN 'sku' THEN st.sku_id = (SELECT sku_id "
	"   FROM wharf.barcode_lookup($2)) "
	" ELSE lt.lot_code = $2 END "
	"ORDER BY s.code, lt.expiry NULLS LAST, lt.lot_code, l.walk_seq, l.code "
	"LIMIT $5";

enum wh_err lookup_stock(struct db *db, int64_t warehouse_id,
			 const char *query, const char *lang,
			 struct lookup_stock *out, struct wh_error *err)
{
	char wh[24], lim[24], kind[16];
	const char *p[] = { wh, query, lang ? lang : "", kind, lim };
	struct db_result *r;
	enum wh_err rc;
	int i;

	memset(out, 0, sizeof(*out));
	id_text(wh, warehouse_id);
	id_text(lim, LOOKUP_MAX_ROWS);
	rc = db_exec(db, stock_kind_sql, 3, p, &r, err);
	if (rc != WH_OK)
		return rc;
	copy(kind, sizeof(kind), db_result_text(r, 0, 0));
	if (!strcmp(kind, "sku"))
		copy(out->title, sizeof(out->title), db_result_text(r, 0, 1));
	else
		copy(out->title, sizeof(out->title), query);
	db_result_free(r);
	if (!strcmp(kind, "none")) {
		out->kind = LOOKUP_NONE;
		return WH_OK;
	}
	out->kind = !strcmp(kind, "location") ? LOOKUP_LOCATION
		    : !strcmp(kind, "sku")    ? LOOKUP_SKU
					      : LOOKUP_LOT;
	rc = db_exec(db, stock_rows_sql, 5, p, &r, err);
	if (rc != WH_OK)
		return rc;
	for (i = 0; i < db_result_rows(r) && i < LOOKUP_MAX_ROWS; i++) {
		struct lookup_stock_row *w = &out->row[i];

		copy(w->location, sizeof(w->location), db_result_text(r, i, 0));
		copy(w->location_kind, sizeof(w->location_kind),
		     db_result_text(r, i, 1));
		copy(w->sku_code, sizeof(w->sku_code), db_result_text(r, i, 2));
		copy(w->sku_name, sizeof(w->sku_name), db_result_text(r, i, 3));
		copy(w->lot, sizeof(w->lot), db_result_text(r, i, 4));
		copy(w->expiry, sizeof(w->expiry), db_result_text(r, i, 5));
		w->on_hand = db_result_int64(r, i, 6);
		w->allocated = db_result_int64(r, i, 7);
		if (i == 0) {
			out->on_hand = db_result_int64(r, 0, 8);
			out->allocated = db_result_int64(r, 0, 9);
			out->more = db_result_int64(r, 0, 10) > LOOKUP_MAX_ROWS;
		}
	}
	out->n = i;
	db_result_free(r);
	return WH_OK;
}

/* Fully allocated, not intercepted orders and their units, as the wave
 * planner sees them (src/domain/wave.h ELIGIBILITY). */
static const char wave_preview_sql[] =
	"WITH o AS ("
	" SELECT so.id, sum(l.qty) AS units, "
	"  row_number() OVER (ORDER BY so.cutoff_at NULLS LAST, "
	"   so.priority DESC, so.created_at, so.id) AS k "
	" FROM wharf.sales_order so "
	" JOIN wharf.order_line l ON l.order_id = so.id "
	" WHERE so.warehouse_id = $1 AND so.state = 'allocated' "
	"  AND so.intercepted_at IS NULL "
	"  AND ($3 = '' OR so.carrier = $3) "
	" GROUP BY so.id "
	" HAVING sum(l.qty) = sum(l.qty_allocated) AND sum(l.qty) >= 1 "
	"  AND CASE $2 WHEN 'single_item' THEN sum(l.qty) = 1 "
	"   WHEN 'multi_item' THEN sum(l.qty) >= 2 ELSE true END) "
	"SELECT count(*) FILTER (WHERE k <= $4), "
	" coalesce(sum(units) FILTER (WHERE k <= $4), 0), count(*) FROM o";

enum wh_err lookup_wave_preview(struct db *db, int64_t warehouse_id,
				const char *strategy, const char *carrier,
				int64_t max_orders,
				struct lookup_wave_preview *out,
				struct wh_error *err)
{
	char wh[24], max[24];
	const char *p[] = { wh, strategy, carrier ? carrier : "", max };
	struct db_result *r;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	id_text(wh, warehouse_id);
	id_text(max, max_orders);
	rc = db_exec(db, wave_preview_sql, 4, p, &r, err);
	if (rc != WH_OK)
		return rc;
	out->orders = db_result_int64(r, 0, 0);
	out->units = db_result_int64(r, 0, 1);
	out->eligible = db_result_int64(r, 0, 2);
	db_result_free(r);
	return WH_OK;
}

/* One statement: the update and its audit row commit together. */
static const char skip_sql[] =
	"WITH t AS ("
	" UPDATE wharf.pick_task t SET state = 'open', claimed_by = NULL, "
	"  claimed_at = NULL, seq = (SELECT max(x.seq) + 1 "
	"   FROM wharf.pick_task x WHERE x.warehouse_id = t.warehouse_id) "
	" WHERE t.id = $1 AND t.state = 'claimed' AND t.claimed_by = $2 "
	" RETURNING t.id) "
	"SELECT wharf._audit($2, nullif($3, '0')::bigint, 'pick_skip', "
	" 'pick_task', t.id, jsonb_build_object('reason', $4::text)), t.id "
	"FROM t";

enum wh_err lookup_skip_task(struct db *db, int64_t task_id, int64_t user_id,
			     int64_t station_id, const char *reason,
			     struct wh_error *err)
{
	char task[24], user[24], station[24];
	const char *p[] = { task, user, station, reason ? reason : "" };
	struct db_result *r;
	enum wh_err rc;
	int n;

	id_text(task, task_id);
	id_text(user, user_id);
	id_text(station, station_id);
	rc = db_exec(db, skip_sql, 4, p, &r, err);
	if (rc != WH_OK)
		return rc;
	n = db_result_rows(r);
	db_result_free(r);
	if (n != 1)
		return wh_error_set(err, WH_ERR_REFUSED,
				    "TASK_CLAIMED: task %s is not yours to "
				    "skip", task);
	return WH_OK;
}
