/*
 * seed.h - the deterministic demo warehouse (sql/demo/).
 *
 * At scale 1: two warehouses, ~2,000 bins with a serpentine walk sequence,
 * ~500 SKUs with valid GTINs and case barcodes, lots with expiries spread
 * around the reference date (some expired, some near expiry), stock
 * received through the ledger, shops on every platform, users and stations.
 * Everything grows linearly with scale. The same scale and reference date
 * always give the same data.
 */
#ifndef WHARF_DB_SEED_H
#define WHARF_DB_SEED_H

#include <stdbool.h>

#include "core/err.h"
#include "db/db.h"

struct seed_report {
	long warehouses, locations, skus, lots, stock_moves, shops, users,
		orders;
};

/*
 * Loads the demo data into a migrated, empty database. ref_date is an ISO
 * date ("2026-11-25") that expiries are spread around, or NULL for today.
 * Refuses (WH_ERR_REFUSED) when the database already has warehouses.
 */
enum wh_err db_seed_demo(struct db *db, int scale, const char *ref_date,
			 struct seed_report *rep, struct wh_error *err);

/* True when the database has no warehouse yet. */
enum wh_err db_is_empty(struct db *db, bool *empty, struct wh_error *err);

#endif
