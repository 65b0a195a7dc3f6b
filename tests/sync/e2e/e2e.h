/*
 * e2e.h - helpers for the sync end-to-end test: the simulator process
 * and its control API, the sync loop run once or in threads, comparisons
 * of wharf against the simulator, and floor work done through the
 * engine's public functions.
 *
 * Every helper fails the running cmocka test on an error; none returns
 * one. Strings passed in are borrowed; a returned json_t * is a new
 * reference the caller decrefs.
 */
#ifndef WHARF_TESTS_SYNC_E2E_H
#define WHARF_TESTS_SYNC_E2E_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include <jansson.h>

#include "db/db.h"
#include "db/engine.h"
#include "sync/sync_loop.h"

#define E2E_SHOPS 8
/* Both the simulator's limits and the sync's buckets are scaled by this:
 * the test is about correctness under faults, not about waiting. */
#define E2E_RATE_SCALE 200

extern const char *const e2e_shops[E2E_SHOPS];
extern char e2e_conninfo[512];

void e2e_sleep_ms(long ms);
int64_t e2e_now_ms(void);

/* Starts wharf-platform-sim ($WHARF_SIM_BIN) on an ephemeral port. */
void e2e_sim_start(void);
/* Stops it; safe when it is not running. */
void e2e_sim_stop(void);
/* The simulator's base URL, "http://127.0.0.1:PORT". */
const char *e2e_sim_base(void);

/* A control call; the body is printf-formatted (fmt NULL: no body).
 * Fails the test on a status >= 300. */
json_t *e2e_sim(const char *method, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, but returns the HTTP status (the answer is dropped). */
long e2e_sim_status(const char *method, const char *path);

/* Adds a fault rule for every shop: count > 0 or probability > 0. */
void e2e_fault(const char *kind, double probability, int count,
	       long delay_ms);
/* Fails the test unless every rule currently set has fired. */
void e2e_faults_all_fired(void);
/* Fails the test unless the count rule of that kind is used up (a spent
 * rule is removed). */
void e2e_fault_spent(const char *kind);

/* The sync's workers in every run here: WHARF_E2E_WORKERS, or 0 (the
 * sync's default) when it is not set. */
int e2e_workers(void);

/* The sync's HTTP timeout in every run here: 1500 ms unless a test sets
 * it before running the sync (a test that holds a request on the
 * simulator raises it, so the held request is answered, not sent again). */
extern long e2e_http_timeout_ms;

/* One pass of the sync over every shop (cfg.once), 10 tries a request. */
void e2e_run_once(struct sync_stats *st);
/* The same with max_attempts tries a request. */
void e2e_run_once_tries(struct sync_stats *st, int max_attempts);
/*
 * Passes until one pushes nothing and no outbox row is left to push (at
 * most max pushing passes in a row): a push that failed, or was cut short
 * when a sync stopped, is waited for until it falls due, up to
 * E2E_QUIET_WAIT_MS in all. The stats of them all are added into *st when
 * st is not NULL.
 */
#define E2E_QUIET_WAIT_MS 150000
void e2e_run_quiet(struct db *db, int max, struct sync_stats *st);

/* The sync loop in a thread, as a station or `wharf sync` runs it. */
struct e2e_runner {
	pthread_t t;
	atomic_bool stop;
	atomic_bool leader;
	struct sync_stats st;
};
void e2e_runner_start(struct e2e_runner *r);
void e2e_runner_stop(struct e2e_runner *r);

/* The integer of a formatted query (test-made ids and codes only). */
int64_t e2e_q1(struct db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Compares every order the simulator holds (JD's unpaid ones excepted:
 * JD lists paid orders only) with wharf: each is in wharf exactly once,
 * with the platform's last modification time, intercepted when it is
 * cancelled or has a refund requested, on hold while unpaid, in the flow
 * while paid, shipped when shipped; and wharf holds no platform order
 * the simulator does not. Returns the number of differences and
 * describes the first ten in why. *total: the simulator's order count.
 */
long e2e_compare_orders(struct db *db, long *total, char *why, size_t n);
/* Polls e2e_compare_orders until it finds nothing or timeout_ms passes;
 * returns the last count of differences. */
long e2e_converge_orders(struct db *db, long timeout_ms, char *why,
			 size_t n);

/* Every shop SKU the simulator holds stock for has the quantity wharf
 * promises (wharf.sync_stock_levels), and every mapped SKU was pushed. */
void e2e_check_stock(struct db *db);

/* Floor work -------------------------------------------------------------- */

struct e2e_floor {
	struct engine_actor sup, picker, packer;
};
void e2e_floor_init(struct db *db, struct e2e_floor *f);
int64_t e2e_warehouse(struct db *db, const char *code);

/* Makes the orders (of 2 units or more) the most urgent of their
 * warehouse (setup: cut-off and priority), releases one multi-item wave
 * of exactly them and checks it did. */
void e2e_release(struct db *db, const struct e2e_floor *f, int64_t wh,
		 const int64_t *orders, size_t n);
/* Confirms qty units of a claimed pick task, scanning the bin, a unit
 * barcode of the SKU and the lot; returns the engine's answer. */
enum wh_err e2e_pick(struct db *db, const struct e2e_floor *f,
		     const struct engine_task *t, int32_t qty,
		     struct engine_pick_result *res, struct wh_error *e);
/* Claims and picks every open task of the warehouse; each must belong to
 * one of the orders. Returns how many tasks were picked. */
int e2e_pick_all(struct db *db, const struct e2e_floor *f, int64_t wh,
		 const int64_t *orders, size_t n);
/* Scans every unit of the order at the pack desk. */
void e2e_pack(struct db *db, const struct e2e_floor *f, int64_t order);
/* A unit barcode of the SKU. */
void e2e_barcode(struct db *db, int64_t sku_id, char *buf, size_t n);

#endif
