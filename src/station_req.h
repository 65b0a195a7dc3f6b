/*
 * station_req.h - the station's floor requests (ui/req.h) carried out on
 * its database connection with the inventory engine (db/engine.h) and the
 * screens' queries (db/lookup.h).
 *
 * Ownership: r is borrowed; on WH_OK *result is a malloc()ed answer of the
 * request's type (ui/req.h), or NULL for kinds that answer nothing, owned
 * by the caller (free()).
 */
#ifndef WHARF_STATION_REQ_H
#define WHARF_STATION_REQ_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "ui/req.h"

struct station_actor {
	int64_t user_id;
	int64_t station_id;   /* 0: unknown */
	int64_t warehouse_id;
	const char *lang;     /* the user's language, "en" or "zh_CN" */
	/* a count whose variance (sum of |counted - expected|) is above
	 * this waits for a supervisor (the station's --count-threshold) */
	int32_t count_threshold;
};

/* True for the kinds station_req_run() handles. */
bool station_req_is_floor(enum ui_req_kind kind);

enum wh_err station_req_run(struct db *db, const struct station_actor *a,
			    const struct ui_req *r, void **result,
			    struct wh_error *err);

#endif
