/*
 * pack.h - the packing desk's database calls (sql/migrations/0007_pack.sql)
 * beside the engine's pack_verify and ship (db/engine.h).
 *
 * Refusals are the engine's: WH_ERR_REFUSED with "CODE: words" in err->msg
 * (engine_reason_of() reads the code). Calls that change state take an
 * operation id and are idempotent by it, like the engine's.
 *
 * Ownership: every argument is borrowed; result structs are caller-owned
 * plain values (strings cut to their arrays); pack_label_get() returns a
 * malloc()ed buffer the caller frees. Strings from the database are NOT
 * sanitised here: the screen sanitises what it draws.
 */
#ifndef WHARF_DB_PACK_H
#define WHARF_DB_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "db/engine.h"

#define PACK_MAX_LINES 12
#define PACK_CODE_SIZE 65
#define PACK_NAME_SIZE 160
#define PACK_TRACKING_SIZE 41
#define PACK_CARRIER_SIZE 33
#define PACK_LOC_SIZE 33

struct pack_line {
	int64_t line_id;
	int64_t sku_id; /* 0: not mapped */
	char sku_code[PACK_CODE_SIZE];
	char name[PACK_NAME_SIZE];	/* in the user's language */
	char barcode[PACK_CODE_SIZE];	/* a unit barcode, "" none */
	int32_t qty, picked, packed;
	int32_t length_mm, width_mm, height_mm, weight_g; /* 0: unknown */
};

struct pack_order {
	int64_t order_id;
	char order_no[PACK_CODE_SIZE];	/* the platform's order id */
	char state[ENGINE_STATE_SIZE];
	bool intercepted;
	char intercept_reason[PACK_NAME_SIZE];
	char carrier[PACK_CARRIER_SIZE]; /* the demo carrier it ships with */
	char tote[PACK_LOC_SIZE];	/* "" none */
	int32_t slot;			/* 0 none */
	char putback[PACK_LOC_SIZE];	/* where picked units wait: the tote */
	int64_t shipment_id;		/* the live shipment, 0 none */
	char tracking[PACK_TRACKING_SIZE]; /* its tracking number */
	int32_t units, picked, packed;	/* over all lines */
	size_t nlines;
	bool more_lines;		/* lines past PACK_MAX_LINES */
	struct pack_line line[PACK_MAX_LINES];
};

/*
 * The order a scan at the desk names: a tote code, a platform order number
 * or a tracking number of the warehouse. WH_ERR_NOT_FOUND when none.
 */
enum wh_err pack_find(struct db *db, int64_t warehouse_id, const char *code,
		      int64_t *order_id, struct wh_error *err);

/* Loads the order with its lines; names in lang ("zh_CN": Chinese names
 * where the SKU has one). */
enum wh_err pack_load(struct db *db, int64_t order_id, const char *lang,
		      struct pack_order *out, struct wh_error *err);

/* Single-item mode: the oldest packable one-unit order of a single-item
 * wave holding the item barcode. WH_ERR_NOT_FOUND when none. */
enum wh_err pack_single_item(struct db *db, int64_t warehouse_id,
			     const char *barcode, int64_t *order_id,
			     struct wh_error *err);

/* The demo tracking number for the order's carrier (one per op_id). */
enum wh_err pack_issue_tracking(struct db *db, int64_t order_id,
				const char *carrier, const char *op_id,
				char tracking[PACK_TRACKING_SIZE],
				struct wh_error *err);

/* The carrier label's data (label.h, carrier-100x150) as JSON text in a
 * malloc()ed string in *json. */
enum wh_err pack_label_data(struct db *db, int64_t order_id,
			    const char *tracking, int32_t weight_g,
			    char **json, struct wh_error *err);

/* The station's printer URI ("" none), label format and dpi. */
struct pack_station {
	char printer_uri[256];
	char format[8]; /* "zpl", "tspl", "pdf", "png" */
	int dpi;
};

enum wh_err pack_station_get(struct db *db, int64_t station_id,
			     struct pack_station *out, struct wh_error *err);

struct pack_ship {
	int64_t order_id;
	const char *carrier, *tracking;
	int32_t weight_g;
	const char *carton;	/* NULL: none */
	const char *format;	/* "zpl"... */
	const void *label;
	size_t label_len;
	const char *op_id;
};

/* engine ship + the label and carton stored with the shipment, one
 * transaction (wharf.ship_with_label). */
enum wh_err pack_ship_with_label(struct db *db, const struct pack_ship *s,
				 const struct engine_actor *who,
				 struct engine_ship_result *out,
				 struct wh_error *err);

/* The stored label of the order's live shipment: *data malloc()ed.
 * WH_ERR_NOT_FOUND: no shipment or no label. */
enum wh_err pack_label_get(struct db *db, int64_t order_id,
			   char format[8], unsigned char **data, size_t *len,
			   struct wh_error *err);

/* Voids the live shipment; the order is packable again. */
enum wh_err pack_void(struct db *db, int64_t order_id, const char *reason,
		      const char *op_id, const struct engine_actor *who,
		      struct wh_error *err);

/* The order goes to the exception queue with reason. */
enum wh_err pack_exception(struct db *db, int64_t order_id,
			   const char *reason, const char *op_id,
			   const struct engine_actor *who,
			   struct wh_error *err);

#endif
