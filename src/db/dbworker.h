/*
 * dbworker.h - one thread that owns one database connection and runs
 * requests on it in order, so the thread that asks (the station's UI
 * thread) never waits for the server.
 *
 * The caller submits (tag, request) pairs; the worker runs them one at a
 * time, in submission order, with the caller's run function and its own
 * struct db; finished calls queue up as completions, and dbworker_fd()
 * turns readable when there is one to take. The caller polls that fd and
 * takes completions on its own thread.
 *
 * The connection: the worker connects with conninfo when it has none (at
 * the first request, or the first after a loss) and closes it when a call
 * fails with a lost connection (dbworker_conn_lost), so the call reports
 * WH_ERR_DB and the next one reconnects. The struct db never leaves the
 * worker thread: every libpq object it uses is its own (DESIGN.md §2).
 *
 * Ownership: a submitted request belongs to the worker until it comes back
 * in the completion (run only borrows it); the completion's request and
 * result then belong to the taker. dbworker_stop() hands whatever was never
 * taken (requests not run, completions not taken) to free_req and
 * free_result. Every function but run is for the one owning thread.
 *
 *	struct dbworker *w;
 *	struct dbworker_done d;
 *	if (dbworker_start(&ops, conninfo, NULL, &w, &err) != WH_OK) ...
 *	dbworker_submit(w, 1, req);
 *	poll dbworker_fd(w) for POLLIN, then
 *	while (dbworker_take(w, &d)) use d.err, d.result; free d.req, d.result;
 *	dbworker_stop(w);
 */
#ifndef WHARF_DB_DBWORKER_H
#define WHARF_DB_DBWORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

struct dbworker;

struct dbworker_ops {
	void *ctx; /* passed back to every function */
	/*
	 * Runs req on db, on the worker thread: on WH_OK *result (initially
	 * NULL) is the answer or NULL. On failure *result must be NULL. It
	 * must not touch state the owning thread changes without copying it
	 * into req first.
	 */
	enum wh_err (*run)(void *ctx, struct db *db, void *req, void **result,
			   struct wh_error *err);
	/* Free a request / a result never taken, at stop. NULL: free(). */
	void (*free_req)(void *ctx, void *req);
	void (*free_result)(void *ctx, void *result);
};

/* A finished call. */
struct dbworker_done {
	uint64_t tag;    /* as submitted */
	void *req;       /* as submitted, back to the caller */
	void *result;    /* run's answer (NULL on failure), the caller's */
	enum wh_err err; /* WH_OK or the failure, described in e */
	struct wh_error e;
};

/*
 * Starts the thread. ops is copied; conninfo (NULL: libpq defaults) is
 * copied for reconnects. db, when not NULL, is an open connection the
 * worker owns from now on (the caller must not use it again, even when
 * this fails); NULL: connect at the first request.
 */
enum wh_err dbworker_start(const struct dbworker_ops *ops,
			   const char *conninfo, struct db *db,
			   struct dbworker **out, struct wh_error *err);

/*
 * Queues req under tag; never blocks on the database. On failure (out of
 * memory) req stays the caller's.
 */
enum wh_err dbworker_submit(struct dbworker *w, uint64_t tag, void *req,
			    struct wh_error *err);

/* Readable (POLLIN) while completions may be waiting; never blocks. */
int dbworker_fd(const struct dbworker *w);

/* Takes the oldest completion into *out without blocking; false when
 * there is none. Clears the fd's readiness when it returns false. */
bool dbworker_take(struct dbworker *w, struct dbworker_done *out);

/*
 * Like dbworker_take, but waits while calls are queued or running: false
 * only when every submitted call has been taken. For draining.
 */
bool dbworker_wait(struct dbworker *w, struct dbworker_done *out);

/*
 * Drops the connection before the next request, which then reconnects:
 * for a caller that learnt of a lost server elsewhere (a LISTEN socket).
 */
void dbworker_reconnect(struct dbworker *w);

/* Calls submitted and not taken yet (queued, running or finished). */
unsigned dbworker_outstanding(struct dbworker *w);

/*
 * Stops the thread: a running call finishes first (it is not cancelled),
 * queued ones never run. Joins it, closes the connection and frees what
 * was never taken. NULL is a no-op.
 */
void dbworker_stop(struct dbworker *w);

/* A database error that means the connection is gone (no SQLSTATE, class
 * 08, or 57P: the server shut down or killed the backend). */
bool dbworker_conn_lost(enum wh_err rc, const struct wh_error *e);

#endif
