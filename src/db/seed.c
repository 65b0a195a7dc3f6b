#include "db/seed.h"

#include <stdio.h>
#include <string.h>

#include "db/sql_files.h"

enum wh_err db_is_empty(struct db *db, bool *empty, struct wh_error *err)
{
	struct db_result *r;
	enum wh_err rc;

	rc = db_exec(db, "SELECT NOT EXISTS (SELECT 1 FROM wharf.warehouse)",
		     0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	*empty = !strcmp(db_result_text(r, 0, 0), "t");
	db_result_free(r);
	return WH_OK;
}

static enum wh_err count_into(struct db *db, struct seed_report *rep,
			      struct wh_error *err)
{
	struct db_result *r;
	enum wh_err rc;

	rc = db_exec(db,
		     "SELECT (SELECT count(*) FROM wharf.warehouse),"
		     " (SELECT count(*) FROM wharf.location),"
		     " (SELECT count(*) FROM wharf.sku),"
		     " (SELECT count(*) FROM wharf.lot),"
		     " (SELECT count(*) FROM wharf.stock_move),"
		     " (SELECT count(*) FROM wharf.shop),"
		     " (SELECT count(*) FROM wharf.app_user),"
		     " (SELECT count(*) FROM wharf.sales_order)",
		     0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	rep->warehouses = db_result_int64(r, 0, 0);
	rep->locations = db_result_int64(r, 0, 1);
	rep->skus = db_result_int64(r, 0, 2);
	rep->lots = db_result_int64(r, 0, 3);
	rep->stock_moves = db_result_int64(r, 0, 4);
	rep->shops = db_result_int64(r, 0, 5);
	rep->users = db_result_int64(r, 0, 6);
	rep->orders = db_result_int64(r, 0, 7);
	db_result_free(r);
	return WH_OK;
}

enum wh_err db_seed_demo(struct db *db, int scale, const char *ref_date,
			 struct seed_report *rep, struct wh_error *err)
{
	char scale_text[16];
	const char *params[2];
	bool empty;
	enum wh_err rc;

	if (scale < 1 || scale > 1000)
		return wh_error_set(err, WH_ERR_INVALID,
				    "scale must be 1..1000, not %d", scale);
	rc = db_is_empty(db, &empty, err);
	if (rc != WH_OK)
		return rc;
	if (!empty)
		return wh_error_set(err, WH_ERR_REFUSED,
			"the database already holds a warehouse: the demo "
			"data is loaded only into an empty database");
	/* The generator functions live in schema wharf_demo, replaced each
	 * time, so a newer wharf seeds with its own generator. */
	for (size_t i = 0; i < wh_demo_sql_count; i++) {
		rc = db_exec_script(db, wh_demo_sql[i].sql, err);
		if (rc != WH_OK) {
			wh_error_prefix(err, "demo script %s",
					wh_demo_sql[i].name);
			return rc;
		}
	}
	snprintf(scale_text, sizeof(scale_text), "%d", scale);
	params[0] = scale_text;
	params[1] = ref_date;
	rc = db_exec(db, "SELECT wharf_demo.seed($1::int, "
			 "coalesce($2::date, current_date))",
		     2, params, NULL, err);
	if (rc != WH_OK)
		return rc;
	return rep ? count_into(db, rep, err) : WH_OK;
}
