#include "db/summary.h"

#include <stdio.h>
#include <string.h>

static const char warehouse_sql[] =
	"WITH st AS ("
	"  SELECT s.warehouse_id, s.sku_id, s.lot_id, s.on_hand, s.allocated,"
	"         loc.kind, lot.expiry, sku.min_remaining_days"
	"  FROM wharf.stock s"
	"  JOIN wharf.location loc ON loc.id = s.location_id"
	"  JOIN wharf.sku ON sku.id = s.sku_id"
	"  LEFT JOIN wharf.lot ON lot.id = s.lot_id"
	"  WHERE s.on_hand > 0),"
	" sellable AS ("
	"  SELECT warehouse_id, sku_id, sum(on_hand - allocated) AS qty FROM st"
	"  WHERE kind IN ('pick', 'storage')"
	"    AND wharf.lot_sellable(expiry, min_remaining_days, current_date)"
	"  GROUP BY 1, 2)"
	" SELECT w.code, coalesce(w.name_zh, w.name),"
	"  (SELECT count(*) FROM wharf.location l WHERE l.warehouse_id = w.id"
	"    AND l.kind IN ('pick', 'storage')),"
	"  (SELECT count(DISTINCT sku_id) FROM st WHERE st.warehouse_id = w.id),"
	"  (SELECT coalesce(sum(on_hand), 0) FROM st WHERE st.warehouse_id = w.id),"
	"  (SELECT coalesce(sum(allocated), 0) FROM st WHERE st.warehouse_id = w.id),"
	"  (SELECT coalesce(sum(on_hand), 0) FROM st WHERE st.warehouse_id = w.id"
	"    AND kind = 'quarantine'),"
	"  (SELECT count(DISTINCT lot_id) FROM st WHERE st.warehouse_id = w.id"
	"    AND expiry < current_date),"
	"  (SELECT count(DISTINCT lot_id) FROM st WHERE st.warehouse_id = w.id"
	"    AND expiry >= current_date AND wharf.ship_by(expiry,"
	"    min_remaining_days) < current_date + 30),"
	"  (SELECT count(*) FROM wharf.sku_warehouse sw LEFT JOIN sellable se"
	"    ON se.warehouse_id = sw.warehouse_id AND se.sku_id = sw.sku_id"
	"    WHERE sw.warehouse_id = w.id AND coalesce(se.qty, 0) < sw.safety_stock),"
	"  (SELECT count(*) FROM wharf.sales_order o WHERE o.warehouse_id = w.id"
	"    AND o.state NOT IN ('shipped', 'cancelled')),"
	"  (SELECT count(*) FROM wharf.sales_order o WHERE o.warehouse_id = w.id"
	"    AND o.state = 'exception')"
	" FROM wharf.warehouse w ORDER BY w.id";

static void copy_field(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

enum wh_err db_stock_summary(struct db *db, struct stock_summary *out,
			     struct wh_error *err)
{
	struct db_result *r;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	rc = db_exec(db,
		     "SELECT split_part(version(), ' ', 1) || ' ' ||"
		     " current_setting('server_version'), current_database(),"
		     " coalesce((SELECT max(name) FROM wharf.schema_migration), '-'),"
		     " (SELECT count(*) FROM wharf.stock_move)",
		     0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	copy_field(out->server, sizeof(out->server), db_result_text(r, 0, 0));
	copy_field(out->database, sizeof(out->database), db_result_text(r, 0, 1));
	copy_field(out->schema_version, sizeof(out->schema_version),
		   db_result_text(r, 0, 2));
	out->ledger_rows = db_result_int64(r, 0, 3);
	db_result_free(r);

	rc = db_exec(db, warehouse_sql, 0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	for (int i = 0; i < db_result_rows(r) && i < SUMMARY_MAX_WAREHOUSES; i++) {
		struct warehouse_summary *w = &out->wh[i];
		long *figures[] = { &w->bins, &w->skus, &w->on_hand,
				    &w->allocated, &w->quarantined,
				    &w->lots_expired, &w->lots_near,
				    &w->below_safety, &w->orders_open,
				    &w->orders_exception };

		copy_field(w->code, sizeof(w->code), db_result_text(r, i, 0));
		copy_field(w->name, sizeof(w->name), db_result_text(r, i, 1));
		for (size_t f = 0; f < sizeof(figures) / sizeof(figures[0]); f++)
			*figures[f] = db_result_int64(r, i, (int)f + 2);
		out->nwarehouses++;
	}
	db_result_free(r);
	return WH_OK;
}
