/*
 * req.h - the database requests the station's screens ask for, and the
 * answers they get back.
 *
 * A screen appends ui_fx_db_call(fx, tag, req, ui_req_free) with a request
 * made here; the station's runner (src/cmd_station.c) carries it out and
 * answers with a malloc()ed result struct of the kind's type below, which
 * the loop frees with free() after delivery (results hold no pointers).
 * Screens see the result as ev->db.result when ev->db.err is WH_OK.
 *
 * Ownership: ui_req_*() return a request owned by the caller until handed
 * to ui_fx_db_call(); ui_req_free() wipes the PIN before freeing and takes
 * NULL. Strings passed in are copied.
 */
#ifndef WHARF_UI_REQ_H
#define WHARF_UI_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "db/engine.h"
#include "db/lookup.h"
#include "db/summary.h"

/*
 * The floor requests act for the logged-in user at this station in the
 * user's warehouse: the runner supplies the actor, the warehouse and the
 * language, so screens never carry them.
 */
enum ui_req_kind {
	UI_REQ_LOGIN,   /* answer: struct ui_login_result */
	UI_REQ_LOGOUT,  /* answer: none (NULL result) */
	UI_REQ_SUMMARY, /* answer: struct stock_summary (db/summary.h) */
	UI_REQ_CLAIM_TASK,   /* answer: struct engine_task; WH_ERR_NOT_FOUND:
			      * nothing to do */
	UI_REQ_CONFIRM_PICK, /* id task, loc, code, lot, qty, op:
			      * struct ui_pick_result */
	UI_REQ_SHORT_PICK,   /* id task, qty found, op:
			      * struct engine_short_result */
	UI_REQ_SKIP_TASK,    /* id task, reason: none (NULL result) */
	UI_REQ_PUTBACK,      /* id task, loc, qty, op:
			      * struct engine_putback_result */
	UI_REQ_RESOLVE,      /* code: struct lookup_code */
	UI_REQ_LOT,          /* sku_id, lot: struct lookup_lot */
	UI_REQ_PO_LIST,      /* struct lookup_po_list */
	UI_REQ_RECEIVE,      /* id po (0 blind), sku_id, lot, expiry, qty,
			      * loc ("" the dock), code (the scan, for the
			      * case label; NULL none), op:
			      * struct ui_receive_result */
	UI_REQ_SUGGEST,      /* sku_id, lot_id: struct ui_suggest_result */
	UI_REQ_PUTAWAY,      /* loc from, loc2 to, sku_id, lot_id, qty, op:
			      * struct ui_move_result */
	UI_REQ_MOVE,         /* same as UI_REQ_PUTAWAY */
	UI_REQ_COUNT,        /* id location, lines, op:
			      * struct engine_count_result */
	UI_REQ_STOCK,        /* code: struct lookup_stock */
	UI_REQ_WAVE_PREVIEW, /* wave: struct lookup_wave_preview */
	UI_REQ_WAVE_RELEASE, /* wave: struct engine_wave_result */
	/* the pack desk (ui/scr_pack.h has the answer types) */
	UI_REQ_PACK_OPEN,    /* code (tote, order or tracking no), or id
			      * order: struct pack_order (db/pack.h) */
	UI_REQ_PACK_VERIFY,  /* id order, code, lot, op:
			      * struct engine_pack_result */
	UI_REQ_PACK_SINGLE,  /* code item, lot, op: struct pack_order (the
			      * single-item order now packed) */
	UI_REQ_PACK_SHIP,    /* id order, qty weight g, code carton, op:
			      * struct ui_pack_ship_result; prints first */
	UI_REQ_PACK_REPRINT, /* id order: struct ui_pack_ship_result */
	UI_REQ_PACK_VOID,    /* id order, reason, op: struct pack_order */
	UI_REQ_PACK_EXCEPTION, /* id order, reason, op: none */
	UI_REQ_PACK_SCALE,   /* struct ui_pack_scale_result */
	/* replenishment (db/replen_db.h has the answer types) */
	UI_REQ_REPLEN_CLAIM, /* struct replen_db_task; WH_ERR_NOT_FOUND: no
			      * replenishment needed */
	UI_REQ_REPLEN_CONFIRM, /* id task, loc from, loc2 to, code, lot,
				* qty, op: struct replen_db_confirm_result */
	UI_REQ_REPLEN_PLAN,  /* op: struct replen_db_plan_result
			      * (supervisors) */
};

#define UI_REQ_COUNT_MAX 32 /* lines of one count */

struct ui_count_line {
	int64_t sku_id;
	char lot[LOOKUP_LOT_SIZE]; /* "" without lot */
	int32_t counted;
};

struct ui_wave_req {
	enum wave_strategy strategy;
	int32_t max_orders;
	int32_t max_units;
	int32_t max_totes;
	int32_t slots_per_tote;
	char carrier[33]; /* "" any */
};

struct ui_req {
	enum ui_req_kind kind;
	char *who;    /* LOGIN: badge or login name */
	char *pin;    /* LOGIN: never logged, wiped on free */
	char *reason; /* LOGOUT: "user", "idle" or "exit"; SKIP: why */
	int64_t id;   /* task, purchase order or location id */
	int64_t sku_id, lot_id;
	int32_t qty;
	char *loc;    /* location code (from) */
	char *loc2;   /* location code (to) */
	char *code;   /* barcode or lookup query */
	char *lot;    /* lot code, NULL without lot */
	char *expiry; /* "YYYY-MM-DD", NULL unknown */
	char op[ENGINE_OP_ID_SIZE]; /* the operation id, "" none */
	struct ui_count_line lines[UI_REQ_COUNT_MAX];
	size_t nlines;
	struct ui_wave_req wave;
};

struct ui_suggest_result {
	int64_t location_id; /* 0: no bin suggested */
	char location_code[LOOKUP_LOC_SIZE];
};

/* 18 digits and the NUL (db/replen_db.h REPLEN_SSCC_SIZE). */
#define UI_SSCC_SIZE 19

/*
 * A receipt, and its SSCC case label when the station prints them
 * (station.receive_labels): label_printed with sscc, else label_error
 * says why it did not print ("" when the station prints no labels). A
 * label that did not print never undoes the receipt.
 */
/*
 * A confirmed pick and, in the same transaction, the task the picker holds
 * next: the same task while it has units left, else the next one claimed
 * (has_next false: nothing to do). One round trip per scanned task.
 */
struct ui_pick_result {
	struct engine_pick_result pick; /* first: the pick itself */
	bool has_next;
	struct engine_task next;
};

struct ui_receive_result {
	struct engine_receive_result rcv; /* first: the receipt itself */
	bool label_printed;
	char sscc[UI_SSCC_SIZE];
	char label_error[200];
};

struct ui_move_result {
	bool replayed;
};

struct ui_login_result {
	int64_t user_id;
	char display_name[128]; /* untrusted: sanitise before drawing */
	char role[16];          /* "picker", "supervisor"... */
	char language[16];      /* "en", "zh_CN" */
	int64_t warehouse_id;
	char warehouse_code[17];
};

struct ui_req *ui_req_login(const char *who, const char *pin);
struct ui_req *ui_req_logout(const char *reason);
struct ui_req *ui_req_summary(void);

/*
 * The floor's requests. Each returns NULL when out of memory. op is the
 * screen's operation id for a call that changes stock (copied); a screen
 * keeps it until the call succeeds, so a retry after a lost answer is a
 * replay, not a second operation.
 */
struct ui_req *ui_req_claim_task(void);
struct ui_req *ui_req_confirm_pick(int64_t task_id, const char *loc,
				   const char *code, const char *lot,
				   int32_t qty, const char *op);
struct ui_req *ui_req_short_pick(int64_t task_id, int32_t found,
				 const char *op);
struct ui_req *ui_req_skip_task(int64_t task_id, const char *reason);
struct ui_req *ui_req_putback(int64_t task_id, const char *loc, int32_t qty,
			      const char *op);
struct ui_req *ui_req_resolve(const char *code);
struct ui_req *ui_req_lot(int64_t sku_id, const char *lot);
struct ui_req *ui_req_po_list(void);
/* expiry "YYYY-MM-DD" or NULL; lot NULL without lot; loc NULL: the dock */
struct ui_req *ui_req_receive(int64_t po_id, int64_t sku_id, const char *lot,
			      const char *expiry, int32_t qty,
			      const char *loc, const char *op);
/* The same, with the scanned code (GTIN) for the case label; NULL none. */
struct ui_req *ui_req_receive_scan(int64_t po_id, int64_t sku_id,
				   const char *code, const char *lot,
				   const char *expiry, int32_t qty,
				   const char *loc, const char *op);
struct ui_req *ui_req_suggest(int64_t sku_id, int64_t lot_id);
/* kind: UI_REQ_PUTAWAY or UI_REQ_MOVE */
struct ui_req *ui_req_move(enum ui_req_kind kind, const char *from,
			   const char *to, int64_t sku_id, int64_t lot_id,
			   int32_t qty, const char *op);
/* n lines (at most UI_REQ_COUNT_MAX) are copied */
struct ui_req *ui_req_count(int64_t location_id,
			    const struct ui_count_line *lines, size_t n,
			    const char *op);
struct ui_req *ui_req_stock(const char *query);
/* kind: UI_REQ_WAVE_PREVIEW or UI_REQ_WAVE_RELEASE */
struct ui_req *ui_req_wave(enum ui_req_kind kind, const struct ui_wave_req *w);

/* Replenishment: kind UI_REQ_REPLEN_CLAIM (other arguments unused),
 * UI_REQ_REPLEN_CONFIRM or UI_REQ_REPLEN_PLAN (op only). NULL when out of
 * memory. */
struct ui_req *ui_req_replen(enum ui_req_kind kind, int64_t task_id,
			     const char *from, const char *to,
			     const char *code, const char *lot, int32_t qty,
			     const char *op);

/* The pack desk's requests (see the kinds above); NULL when out of
 * memory. */
struct ui_req *ui_req_pack(enum ui_req_kind kind, int64_t order_id,
			   const char *code, const char *lot, int32_t qty,
			   const char *reason, const char *op);

/* Frees a request (a void * so it fits ui_fx_db_call()). */
void ui_req_free(void *req);

#endif
