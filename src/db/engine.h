/*
 * engine.h - the inventory engine: every floor operation, one call each.
 *
 * Owner: the engine (this file, engine.c, sql/migrations/0004_engine.sql).
 *
 * Each function is one server-side function call in one round trip (except
 * engine_release_wave: one read, the pure wave planner of
 * src/domain/wave.h, one write, in one transaction). Operations that change
 * stock take a client-generated op_id (a UUID in text, see engine_op_id());
 * calling again with the same op_id returns the first call's result with
 * `replayed` set and changes nothing. Serialization failures and deadlocks
 * (SQLSTATE 40001/40P01) are retried here a few times.
 *
 * Errors: the enum wh_err of every wharf action. A business refusal is
 * WH_ERR_REFUSED (role refusals WH_ERR_PERM, unknown ids WH_ERR_NOT_FOUND),
 * and err->msg starts with a stable reason code, "CODE: words":
 *
 *     WRONG_LOT: expected lot L1 (exp 2027-03-01), scanned L2
 *
 * engine_reason_of() turns that prefix into an enum engine_reason.
 *
 * Ownership: every argument is borrowed; result structs are caller-owned
 * plain values (fixed-size strings, truncated if longer). A struct db is
 * not thread-safe: one per thread.
 *
 * The actor: user_id is wharf.app_user.id and is checked against the
 * operation's roles in the database (picker: claim/confirm/short/putback/
 * count; packer: pack/ship; receiver: receive/putaway/move/count/
 * transfer_in; supervisor and admin: everything, including release_wave,
 * approve_count, adjust, transfer_out and a manual intercept). user_id 0
 * means "the sync process" and is accepted only by engine_allocate,
 * engine_allocate_pending and engine_intercept. station_id 0 is NULL.
 */
#ifndef WHARF_DB_ENGINE_H
#define WHARF_DB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/wave.h"

/* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" and its NUL. */
#define ENGINE_OP_ID_SIZE 37
/* How many times a 40001/40P01 failure is retried. */
#define ENGINE_TRIES 6

/* The reason codes of refusals (the message prefix, same spelling). */
enum engine_reason {
	ENGINE_R_NONE,		 /* not a refusal, or no known code */
	ENGINE_R_ROLE_REFUSED,	 /* the user's role may not do this */
	ENGINE_R_BAD_OP,	 /* no operation id */
	ENGINE_R_OP_CONFLICT,	 /* op_id reused for another operation */
	ENGINE_R_NO_ORDER,
	ENGINE_R_INTERCEPTED,	 /* order cancelled/refund: put units back */
	ENGINE_R_WAVE_STALE,	 /* an order changed while planning a wave */
	ENGINE_R_NO_TOTE,	 /* not enough free totes for the wave */
	ENGINE_R_NO_TASK,
	ENGINE_R_WRONG_TASK,	 /* a pick call on a put-back task, etc. */
	ENGINE_R_TASK_CLOSED,	 /* done, short or cancelled */
	ENGINE_R_TASK_CLAIMED,	 /* another picker holds it */
	ENGINE_R_WRONG_LOCATION, /* names the expected bin */
	ENGINE_R_UNKNOWN_BARCODE,
	ENGINE_R_WRONG_SKU,	 /* names the expected SKU */
	ENGINE_R_BAD_QTY,
	ENGINE_R_OVER_PICK,
	ENGINE_R_LOT_REQUIRED,	 /* names the expected lot */
	ENGINE_R_WRONG_LOT,	 /* names the expected lot and its expiry */
	ENGINE_R_LOT_EXPIRED,	 /* past its ship-by date */
	ENGINE_R_NOT_ALLOCATED,
	ENGINE_R_ALREADY_SHIPPED,
	ENGINE_R_NOT_PICKED,
	ENGINE_R_EXTRA_UNIT,
	ENGINE_R_WRONG_ITEM,
	ENGINE_R_NOT_PACKED,
	ENGINE_R_BAD_SHIPMENT,
	ENGINE_R_NO_SKU,
	ENGINE_R_BAD_LOCATION,
	ENGINE_R_NO_LOT_CONTROL,
	ENGINE_R_LOT_MISMATCH,
	ENGINE_R_EXPIRY_REQUIRED,
	ENGINE_R_NO_QUARANTINE,
	ENGINE_R_NOT_ON_PO,
	ENGINE_R_INSUFFICIENT_STOCK,
	ENGINE_R_NO_LOCATION,
	ENGINE_R_BAD_COUNT,
	ENGINE_R_NO_COUNT,
	ENGINE_R_NOT_PENDING,
	ENGINE_R_NO_TRANSIT,
	ENGINE_R_NO_TRANSFER,
	ENGINE_R_NOT_IN_TRANSIT,
	ENGINE_R_OTHER, /* a refusal with a code this build does not know */
};

/* The reason code at the start of e->msg; ENGINE_R_NONE when e is NULL,
 * WH_OK, or not a refusal of the engine. */
enum engine_reason engine_reason_of(const struct wh_error *e);

/* "WRONG_LOT", ...; "" for ENGINE_R_NONE. A static string. */
const char *engine_reason_name(enum engine_reason r);

/* Writes a fresh random (version 4) UUID into buf[ENGINE_OP_ID_SIZE]. */
enum wh_err engine_op_id(char *buf, size_t size, struct wh_error *err);

struct engine_actor {
	int64_t user_id;    /* 0: the sync process (where allowed) */
	int64_t station_id; /* 0: none */
};

#define ENGINE_STATE_SIZE 24
#define ENGINE_CODE_SIZE 65

/* allocate ------------------------------------------------------------------ */

struct engine_alloc_result {
	int64_t order_id;
	char state[ENGINE_STATE_SIZE]; /* allocated, partially_allocated... */
	int64_t wanted;		       /* units ordered */
	int64_t allocated;	       /* reserved or already picked */
	int64_t missing;	       /* wanted - allocated */
	bool replayed;
};

/*
 * Reserves stock for every line of an order (FEFO/FIFO, pick faces first,
 * fewest locations: the rules of src/domain/alloc.h). A shortfall leaves
 * the order partially_allocated; an unmapped line puts it in exception.
 */
enum wh_err engine_allocate(struct db *db, int64_t order_id,
			    const char *op_id, const struct engine_actor *who,
			    struct engine_alloc_result *out,
			    struct wh_error *err);

struct engine_pending_result {
	int64_t orders;		  /* orders looked at */
	int64_t allocated_orders; /* of which now fully allocated */
	int64_t lines;
	int64_t units; /* units now reserved for them */
};

/* Allocates up to limit new or partially allocated orders of a warehouse
 * (the sync thread's call; orders another caller holds are skipped). */
enum wh_err engine_allocate_pending(struct db *db, int64_t warehouse_id,
				    int limit, const struct engine_actor *who,
				    struct engine_pending_result *out,
				    struct wh_error *err);

/* waves --------------------------------------------------------------------- */

struct engine_wave_limits {
	enum wave_strategy strategy;
	size_t max_orders;
	int64_t max_units;
	size_t max_totes;
	size_t slots_per_tote;
	const char *carrier; /* NULL: any (BY_CARRIER: the most urgent's) */
};

struct engine_wave_result {
	int64_t wave_id; /* 0 when nothing was eligible */
	int64_t orders, tasks, totes, units;
};

/*
 * Reads the warehouse's allocated, not intercepted orders, plans a wave
 * with wave_plan() and writes it (wave, totes, pick tasks by walk
 * sequence, orders -> released) in one transaction; if an order changed
 * meanwhile the whole thing is re-planned (a few times).
 */
enum wh_err engine_release_wave(struct db *db, int64_t warehouse_id,
				const struct engine_wave_limits *limits,
				const struct engine_actor *who,
				struct engine_wave_result *out,
				struct wh_error *err);

/* picking ------------------------------------------------------------------- */

struct engine_task {
	int64_t task_id;
	char kind[12]; /* "pick" or "putback" */
	int64_t location_id;
	char location_code[33];	   /* go here (a tote for a put-back) */
	char to_location_code[33]; /* the tote, or the put-back bin */
	int64_t sku_id;
	char sku_code[ENGINE_CODE_SIZE];
	char sku_name[160];
	char lot_code[21];   /* "" without lot control */
	char lot_expiry[11]; /* "YYYY-MM-DD" or "" */
	int64_t qty;	     /* units still to pick */
	char tote_code[33];
	int32_t slot; /* 0: no slot (single-item batch) */
	int64_t order_id; /* 0 for a consolidated single-item task */
	int64_t wave_id;
	int64_t wave_done, wave_total; /* tasks finished / in the wave */
};

/* The task this user holds, else the next open one in walk order that no
 * other station is taking. WH_ERR_NOT_FOUND: nothing to do. */
enum wh_err engine_claim_task(struct db *db, const struct engine_actor *who,
			      int64_t warehouse_id, struct engine_task *out,
			      struct wh_error *err);

struct engine_pick {
	int64_t task_id;
	const char *location_code; /* scanned bin */
	const char *barcode;	   /* scanned item: unit/case barcode, GTIN */
	const char *lot_code;	   /* NULL without lot control */
	int32_t qty;		   /* scans of barcode: a case counts its size */
	const char *op_id;
};

struct engine_pick_result {
	int64_t task_id;
	int64_t units;
	int64_t remaining; /* on the task */
	bool substituted;  /* another acceptable lot was picked */
	char task_state[12];
	char order_state[ENGINE_STATE_SIZE]; /* "" for a batch task */
	char tote_code[33];
	int32_t slot;
	bool replayed;
};

enum wh_err engine_confirm_pick(struct db *db, const struct engine_pick *p,
				const struct engine_actor *who,
				struct engine_pick_result *out,
				struct wh_error *err);

/*
 * engine_confirm_pick, then engine_claim_task for the same picker, in one
 * call and one transaction: what a picker does per scanned task in one
 * round trip. *next is the task the picker now holds (the same task while
 * units remain on it, else the next one in walk order) and *has_next
 * says whether there is one; without it *next is zeroed. A refused
 * confirm claims nothing (*out, *next untouched). A replayed op_id gives
 * the first confirm's result and the picker's task as of now.
 */
enum wh_err engine_confirm_pick_next(struct db *db,
				     const struct engine_pick *p,
				     const struct engine_actor *who,
				     int64_t warehouse_id,
				     struct engine_pick_result *out,
				     struct engine_task *next, bool *has_next,
				     struct wh_error *err);

struct engine_short_result {
	int64_t task_id;
	int64_t found, shortfall;
	int64_t reallocated;   /* units given new tasks elsewhere */
	int64_t missing;       /* units that could not be reallocated */
	int64_t count_task_id; /* the bin's count task */
	char order_state[ENGINE_STATE_SIZE];
	bool replayed;
};

enum wh_err engine_short_pick(struct db *db, int64_t task_id, int32_t found,
			      const char *op_id, const struct engine_actor *who,
			      struct engine_short_result *out,
			      struct wh_error *err);

struct engine_putback_result {
	int64_t task_id, units, remaining;
	bool replayed;
};

/* Puts units of an intercepted order from the tote into a bin. */
enum wh_err engine_confirm_putback(struct db *db, int64_t task_id,
				   const char *location_code, int32_t qty,
				   const char *op_id,
				   const struct engine_actor *who,
				   struct engine_putback_result *out,
				   struct wh_error *err);

/* interception, pack, ship ---------------------------------------------------- */

struct engine_intercept_result {
	int64_t order_id;
	int64_t released;      /* allocated units released */
	int64_t putback_tasks; /* created for picked units */
	bool already;	       /* it was intercepted before */
	bool replayed;
};

/* Also sends NOTIFY wharf_intercept '<order id>' on commit. */
enum wh_err engine_intercept(struct db *db, int64_t order_id,
			     const char *reason, const char *op_id,
			     const struct engine_actor *who,
			     struct engine_intercept_result *out,
			     struct wh_error *err);

struct engine_pack_result {
	int64_t order_id, line_id;
	char sku_code[ENGINE_CODE_SIZE];
	int64_t units; /* this scan */
	int64_t line_packed, line_qty;
	int64_t remaining; /* units of the order still to pack */
	bool order_packed;
	bool replayed;
};

enum wh_err engine_pack_verify(struct db *db, int64_t order_id,
			       const char *barcode, const char *lot_code,
			       const char *op_id,
			       const struct engine_actor *who,
			       struct engine_pack_result *out,
			       struct wh_error *err);

struct engine_ship_result {
	int64_t order_id, shipment_id, outbox_id, units;
	bool replayed;
};

enum wh_err engine_ship(struct db *db, int64_t order_id, const char *carrier,
			const char *tracking_no, int32_t weight_g,
			const char *op_id, const struct engine_actor *who,
			struct engine_ship_result *out, struct wh_error *err);

/* receiving and stock movements ---------------------------------------------- */

struct engine_receive {
	int64_t po_id; /* 0: blind receipt */
	int64_t warehouse_id;
	int64_t sku_id;
	const char *lot_code; /* NULL without lot control */
	const char *expiry;   /* "YYYY-MM-DD" or NULL */
	const char *produced; /* "YYYY-MM-DD" or NULL */
	int32_t qty;
	int64_t location_id; /* receiving dock or bin */
	const char *op_id;
};

struct engine_receive_result {
	int64_t receipt_id, lot_id, location_id, qty;
	char location_code[33];
	bool quarantined; /* expired or too short-lived: in quarantine */
	char reason[160]; /* why quarantined, "" otherwise */
	bool replayed;
};

enum wh_err engine_receive(struct db *db, const struct engine_receive *rcv,
			   const struct engine_actor *who,
			   struct engine_receive_result *out,
			   struct wh_error *err);

/* A bin for (sku, lot): one holding the same SKU and lot, else an empty
 * one, by walk sequence. lot_id 0 is no lot. WH_ERR_NOT_FOUND: none. */
enum wh_err engine_suggest_putaway(struct db *db, int64_t warehouse_id,
				   int64_t sku_id, int64_t lot_id,
				   int64_t *location_id, struct wh_error *err);

struct engine_move {
	int64_t from_location_id, to_location_id;
	int64_t sku_id, lot_id; /* lot 0: none */
	int32_t qty;
	const char *op_id;
};

/* Free (unallocated) units only. engine_putaway is the receiver's move
 * off the dock; engine_move any relocation. */
enum wh_err engine_putaway(struct db *db, const struct engine_move *m,
			   const struct engine_actor *who, bool *replayed,
			   struct wh_error *err);
enum wh_err engine_move(struct db *db, const struct engine_move *m,
			const struct engine_actor *who, bool *replayed,
			struct wh_error *err);

/* counting and adjustment ------------------------------------------------------ */

struct engine_count_line {
	int64_t sku_id;
	const char *lot_code; /* NULL without lot control */
	int32_t counted;
};

struct engine_count_result {
	int64_t count_task_id;
	int64_t variance; /* sum of |counted - expected| */
	char state[20];	  /* "counted" or "pending_approval" */
	bool replayed;
};

/* A blind count of one location: stock not listed counts as 0. A variance
 * up to threshold is adjusted through the ledger now; more waits for
 * engine_approve_count. */
enum wh_err engine_count(struct db *db, int64_t location_id,
			 const struct engine_count_line *lines, size_t n,
			 int32_t threshold, const char *op_id,
			 const struct engine_actor *who,
			 struct engine_count_result *out, struct wh_error *err);

enum wh_err engine_approve_count(struct db *db, int64_t count_task_id,
				 const char *op_id,
				 const struct engine_actor *who, bool *replayed,
				 struct wh_error *err);

/* A supervisor's correction of one stock row by delta units (never below
 * what is reserved), with a reason. */
enum wh_err engine_adjust(struct db *db, int64_t location_id, int64_t sku_id,
			  int64_t lot_id, int32_t delta, const char *reason,
			  const char *op_id, const struct engine_actor *who,
			  bool *replayed, struct wh_error *err);

/* transfers ---------------------------------------------------------------------- */

struct engine_transfer_line {
	int64_t location_id; /* source bin in the sending warehouse */
	int64_t sku_id, lot_id;
	int32_t qty;
};

/* Out of warehouse A, into B's transit location. *transfer_id is set. */
enum wh_err engine_transfer_out(struct db *db, int64_t from_wh, int64_t to_wh,
				const struct engine_transfer_line *lines,
				size_t n, const char *op_id,
				const struct engine_actor *who,
				int64_t *transfer_id, struct wh_error *err);

/* Everything in transit for the transfer into location_id of B. */
enum wh_err engine_transfer_in(struct db *db, int64_t transfer_id,
			       int64_t location_id, const char *op_id,
			       const struct engine_actor *who, int64_t *units,
			       struct wh_error *err);

#endif
