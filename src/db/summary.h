/*
 * summary.h - the figures a supervisor sees first: per warehouse, bins,
 * stock, expiry and orders. One query, one snapshot.
 */
#ifndef WHARF_DB_SUMMARY_H
#define WHARF_DB_SUMMARY_H

#include "core/err.h"
#include "db/db.h"

#define SUMMARY_MAX_WAREHOUSES 16

struct warehouse_summary {
	char code[17];
	char name[128];    /* UTF-8, possibly Chinese */
	long bins;         /* storage and pick locations */
	long skus;         /* SKUs with stock on hand */
	long on_hand;      /* units */
	long allocated;    /* units reserved for orders */
	long quarantined;  /* units in quarantine locations */
	long lots_expired; /* lots with stock past their expiry */
	long lots_near;    /* lots with stock whose ship-by is within 30 days */
	long below_safety; /* SKUs whose sellable stock is under safety stock */
	long orders_open;  /* orders not yet shipped or cancelled */
	long orders_exception;
};

struct stock_summary {
	char server[64]; /* "PostgreSQL 15.4" */
	char database[64];
	char schema_version[64];
	long ledger_rows;
	int nwarehouses;
	struct warehouse_summary wh[SUMMARY_MAX_WAREHOUSES];
};

enum wh_err db_stock_summary(struct db *db, struct stock_summary *out,
			     struct wh_error *err);

#endif
