/*
 * replen_db.h - pick-face replenishment and SSCC case labels in the
 * database (sql/migrations/0010_replenish.sql).
 *
 * Each call is one server-side function in one round trip; calls that
 * change stock take a client-generated op_id (engine_op_id()), and a
 * second call with the same op_id returns the first result with
 * `replayed` set. 40001/40P01 are retried here. Refusals are
 * WH_ERR_REFUSED with a reason-code-prefixed message, as db/engine.h.
 *
 * Ownership: every argument is borrowed; results are caller-owned plain
 * values (strings truncated to their fields).
 */
#ifndef WHARF_DB_REPLEN_DB_H
#define WHARF_DB_REPLEN_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "db/engine.h"

/* 18 digits and the NUL. */
#define REPLEN_SSCC_SIZE 19

struct replen_db_plan_result {
	int32_t tasks;	   /* new tasks */
	int64_t units;	   /* units on them */
	int32_t faces;	   /* faces at or below their min */
	int64_t shortfall; /* units wanted but not in reserve */
	int32_t cancelled; /* stale open tasks cancelled first */
	bool replayed;
};

/* A claimed replenishment task: take qty of sku/lot from from_code to
 * to_code (the pick face). */
struct replen_db_task {
	int64_t task_id;
	char from_code[33];
	char to_code[33];
	int64_t sku_id;
	char sku_code[ENGINE_CODE_SIZE];
	char sku_name[160];
	char lot_code[21];   /* "" without lot control */
	char lot_expiry[11]; /* "YYYY-MM-DD" or "" */
	int64_t qty;	     /* units still to bring */
};

struct replen_db_confirm {
	int64_t task_id;
	const char *from_code;
	const char *to_code;
	const char *barcode; /* unit or case barcode, GTIN or SKU code */
	const char *lot_code; /* NULL without lot */
	int32_t qty;	      /* scans of barcode (a case counts its pack) */
	const char *op_id;
};

struct replen_db_confirm_result {
	int64_t task_id;
	int32_t units;
	int32_t remaining;
	bool done;
	bool replayed;
};

/*
 * Plans replenishment for every pick face of the warehouse (a supervisor's
 * call): see the rules in 0010_replenish.sql and src/domain/replen.h.
 */
enum wh_err replen_db_plan(struct db *db, int64_t warehouse_id,
			   const struct engine_actor *who, const char *op_id,
			   struct replen_db_plan_result *out,
			   struct wh_error *err);

/* The replenishment task this user holds, else the next open one.
 * WH_ERR_NOT_FOUND: no replenishment needed. */
enum wh_err replen_db_claim(struct db *db, const struct engine_actor *who,
			    int64_t warehouse_id, struct replen_db_task *out,
			    struct wh_error *err);

/* The units went from the reserve bin to the face (ledger kind
 * 'replenish'). */
enum wh_err replen_db_confirm(struct db *db, const struct replen_db_confirm *c,
			      const struct engine_actor *who,
			      struct replen_db_confirm_result *out,
			      struct wh_error *err);

/* Whether the station prints SSCC labels on receipt (station.
 * receive_labels); false for station 0. */
enum wh_err replen_db_receive_labels(struct db *db, int64_t station_id,
				     bool *on, struct wh_error *err);

/*
 * The next SSCC of the warehouse for one received case (receipt_id 0:
 * none); the same op_id returns the same SSCC. WH_ERR_REFUSED
 * "NO_GS1_PREFIX: ..." when the warehouse has no company prefix.
 */
enum wh_err replen_db_issue_sscc(struct db *db, int64_t warehouse_id,
				 int64_t receipt_id, const char *op_id,
				 const struct engine_actor *who,
				 char sscc[REPLEN_SSCC_SIZE],
				 struct wh_error *err);

#endif
