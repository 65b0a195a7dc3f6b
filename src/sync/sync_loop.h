/*
 * sync_loop.h - the sync thread: leadership, per-shop passes, ingest,
 * allocation, stock push and the outbox.
 *
 * Only the process holding pg_try_advisory_lock(SYNC_LOCK_KEY) on its
 * own connection works; the others retry every few seconds. The lock
 * lives and dies with that connection, so when the leader exits or loses
 * it another takes over. Everything written is idempotent (upserts keyed
 * by platform id, never older over newer; outbox rows leased, acked once,
 * platform "already done" answers taken as success), so a takeover loses
 * and duplicates nothing.
 *
 * A pass syncs up to cfg->workers shops at once, each worker a thread
 * with its own HTTP handle and two database connections (one reads and
 * allocates, the other ingests the pages read, in order, meanwhile); the
 * sync thread itself is worker 0, on the leader's connection.
 *
 * sync_run() owns everything it creates; cfg and its strings are
 * borrowed for the duration of the call.
 */
#ifndef WHARF_SYNC_SYNC_LOOP_H
#define WHARF_SYNC_SYNC_LOOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "sync/sync_adapter.h"

/* "wharf" + 1: the advisory lock of the sync leader. */
#define SYNC_LOCK_KEY 0x7768617266001LL

struct sync_stats {
	long passes;
	long orders_seen;   /* parsed from pages */
	long inserted;
	long updated;
	long intercepted;
	long exceptions;
	long pushes_ok;
	long pushes_failed;
	long errors;        /* shop passes that failed */
	struct sync_counters http;
};

struct sync_config {
	const char *conninfo;     /* NULL: libpq defaults */
	bool once;                /* one full pass over every shop, return */
	FILE *log;                /* NULL: silent */
	enum sync_log_level log_level;
	double rate_scale;        /* client limits x this (default 1) */
	int64_t poll_ms;          /* between passes (default 3000) */
	int64_t lock_retry_ms;    /* between lock attempts (default 3000) */
	int64_t once_lock_wait_ms; /* --once gives up after (default 60000) */
	int64_t initial_lookback; /* seconds read on a first pass (1 day) */
	long http_timeout_ms;     /* per transfer (default 20000) */
	int max_attempts;         /* per request (default 6) */
	int64_t backoff_base_ms;  /* default 250 */
	int64_t backoff_cap_ms;   /* default 20000 */
	const char *ca_info;      /* CURLOPT_CAINFO for private CAs */
	const char *ca_path;
	atomic_bool *stop;        /* set to make sync_run return */
	atomic_bool *is_leader;   /* if not NULL, mirrors leadership */
	struct sync_stats *stats; /* if not NULL, added to after each pass */
	int workers;              /* shops synced at once (default 4) */
};

/*
 * Runs the loop until *cfg->stop (or, with once, after one pass as
 * leader). Database and platform failures are retried, logged and
 * reported in wharf.sync_health, never returned; only bad configuration
 * or --once failing to become leader returns an error.
 */
enum wh_err sync_run(const struct sync_config *cfg, struct wh_error *err);

/*
 * Upserts one order (a webhook's) outside the loop: the same function
 * the poll uses, on the caller's connection. shop_id must exist.
 */
struct db;
enum wh_err sync_ingest_one(struct db *db, int64_t shop_id,
			    const struct sync_order *o, const json_t *raw,
			    struct wh_error *err);

/* The normalised order as the JSON wharf.sync_upsert_order() reads. */
json_t *sync_order_json(const struct sync_order *o);

#endif
