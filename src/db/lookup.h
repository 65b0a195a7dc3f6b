/*
 * lookup.h - the read-only questions the floor screens ask, and the one
 * write the engine does not offer (a picker skipping a task).
 *
 * Owner: the floor screens (ui/scr_*.c through the station's runner).
 * Every query is a parameterized statement; nothing is built from data.
 *
 * Ownership: arguments are borrowed; results are caller-owned plain values
 * with fixed-size strings (truncated when longer) and no pointers, so the
 * station can hand them to the UI loop, which frees them with free().
 * Texts from the database (names, codes) are untrusted: sanitise to draw.
 */
#ifndef WHARF_DB_LOOKUP_H
#define WHARF_DB_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

#define LOOKUP_CODE_SIZE 65
#define LOOKUP_LOC_SIZE 33
#define LOOKUP_NAME_SIZE 160
#define LOOKUP_LOT_SIZE 21
#define LOOKUP_DATE_SIZE 11

enum lookup_kind {
	LOOKUP_NONE,     /* nothing known by that code */
	LOOKUP_LOCATION, /* a location of the warehouse */
	LOOKUP_SKU,      /* a barcode, GTIN or SKU code */
	LOOKUP_LOT,      /* a lot code (stock lookup only) */
};

/* What a scanned or typed code is. A location of the warehouse wins over
 * a barcode of the same spelling. */
struct lookup_code {
	enum lookup_kind kind;
	int64_t location_id;
	char location_code[LOOKUP_LOC_SIZE];
	char location_kind[16]; /* "pick", "storage", "receiving"... */
	int64_t sku_id;
	char sku_code[LOOKUP_CODE_SIZE];
	char sku_name[LOOKUP_NAME_SIZE]; /* in the user's language */
	int32_t pack_qty;                /* units per scan of the code */
	char lot_control[8];             /* "none", "fifo", "fefo" */
};

/* lang "zh_CN" gives the Chinese SKU name when there is one. Never
 * WH_ERR_NOT_FOUND: an unknown code is kind LOOKUP_NONE. */
enum wh_err lookup_code(struct db *db, int64_t warehouse_id,
			const char *code, const char *lang,
			struct lookup_code *out, struct wh_error *err);

struct lookup_lot {
	int64_t lot_id;
	char lot_code[LOOKUP_LOT_SIZE];
	char expiry[LOOKUP_DATE_SIZE]; /* "" when none */
};

/* The lot of sku called lot_code; WH_ERR_NOT_FOUND when there is none. */
enum wh_err lookup_lot(struct db *db, int64_t sku_id, const char *lot_code,
		       struct lookup_lot *out, struct wh_error *err);

/* The first receiving location of the warehouse (by walk sequence);
 * WH_ERR_NOT_FOUND when it has none. */
enum wh_err lookup_dock(struct db *db, int64_t warehouse_id,
			int64_t *location_id, char code[LOOKUP_LOC_SIZE],
			struct wh_error *err);

/* The code of location id (of any warehouse); WH_ERR_NOT_FOUND. */
enum wh_err lookup_location_code(struct db *db, int64_t location_id,
				 char code[LOOKUP_LOC_SIZE],
				 struct wh_error *err);

#define LOOKUP_MAX_POS 24

struct lookup_po {
	int64_t id;
	char po_no[LOOKUP_LOC_SIZE];
	char supplier[64];
	int32_t lines;
	int64_t open_units; /* ordered - received, over all lines */
};

/* Open and partially received purchase orders of the warehouse, oldest
 * expected first, at most LOOKUP_MAX_POS. */
struct lookup_po_list {
	int n;
	struct lookup_po po[LOOKUP_MAX_POS];
};

enum wh_err lookup_open_pos(struct db *db, int64_t warehouse_id,
			    struct lookup_po_list *out, struct wh_error *err);

#define LOOKUP_MAX_ROWS 60

struct lookup_stock_row {
	char location[LOOKUP_LOC_SIZE];
	char location_kind[16];
	char sku_code[LOOKUP_CODE_SIZE];
	char sku_name[LOOKUP_NAME_SIZE];
	char lot[LOOKUP_LOT_SIZE];     /* "" without lot */
	char expiry[LOOKUP_DATE_SIZE]; /* "" without expiry */
	int64_t on_hand, allocated;
};

/*
 * Stock of the warehouse matching query: a location code (what is in that
 * bin), a barcode/GTIN/SKU code (where that SKU is, by lot), or a lot code
 * (where that lot is). Rows with stock on hand, ordered by SKU, expiry,
 * lot and walk sequence; at most LOOKUP_MAX_ROWS (more is set when there
 * were more). Totals cover all rows, not only those returned.
 */
struct lookup_stock {
	enum lookup_kind kind; /* what query turned out to be */
	char title[LOOKUP_NAME_SIZE]; /* the bin, or "SKU-1 name", or lot */
	int n;
	bool more;
	int64_t on_hand, allocated; /* totals */
	struct lookup_stock_row row[LOOKUP_MAX_ROWS];
};

enum wh_err lookup_stock(struct db *db, int64_t warehouse_id,
			 const char *query, const char *lang,
			 struct lookup_stock *out, struct wh_error *err);

/* What a wave of strategy ("single_item", "multi_item", "by_carrier")
 * would take now: eligible orders (fully allocated, not intercepted, of
 * carrier when not NULL/""), capped at max_orders, and their units. An
 * estimate: the planner's unit and tote limits may take fewer. */
struct lookup_wave_preview {
	int64_t orders, units;
	int64_t eligible; /* before the max_orders cap */
};

enum wh_err lookup_wave_preview(struct db *db, int64_t warehouse_id,
				const char *strategy, const char *carrier,
				int64_t max_orders,
				struct lookup_wave_preview *out,
				struct wh_error *err);

/*
 * A picker skips the task they hold: it goes back to open at the end of
 * the warehouse's walk (so claim_task offers the next one), and the reason
 * goes to the audit log. Refused (WH_ERR_REFUSED, "TASK_CLAIMED: ...")
 * when the task is not claimed by user_id or no longer open.
 */
enum wh_err lookup_skip_task(struct db *db, int64_t task_id, int64_t user_id,
			     int64_t station_id, const char *reason,
			     struct wh_error *err);

#endif
