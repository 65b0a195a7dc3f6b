/*
 * notify.h - a connection of its own that LISTENs and hands NOTIFYs over.
 *
 * The station polls db_listener_fd() in its loop; when it is readable,
 * db_listener_read() consumes what arrived and calls fn for every
 * notification. The listener's connection also tells the station early
 * that the server went away (the socket closes), without waiting for the
 * next query to fail.
 *
 * Why a second connection and not the station's struct db: a struct db's
 * PGconn never leaves db.c, and a separate connection keeps NOTIFY
 * delivery independent of a long query on the other one.
 *
 * Ownership: db_listen() returns a handle owned by the caller, freed with
 * db_listener_free() (NULL is a no-op). Strings given to fn are borrowed
 * for the call. Not thread-safe: one thread (the UI thread) uses it.
 *
 *	struct db_listener *l;
 *	if (db_listen(conninfo, "wharf_intercept", &l, &err) == WH_OK)
 *		poll db_listener_fd(l), then db_listener_read(l, fn, arg, &err);
 */
#ifndef WHARF_DB_NOTIFY_H
#define WHARF_DB_NOTIFY_H

#include "core/err.h"

struct db_listener;

typedef void (*db_notify_fn)(void *arg, const char *channel,
			     const char *payload);

/* Connects with conninfo (as db_connect) and LISTENs on channel (any
 * name: it is quoted as an identifier). */
enum wh_err db_listen(const char *conninfo, const char *channel,
		      struct db_listener **out, struct wh_error *err);

void db_listener_free(struct db_listener *l);

/* The socket to poll for POLLIN; -1 when not connected. */
int db_listener_fd(const struct db_listener *l);

/*
 * Reads what is ready without blocking and calls fn (may be NULL) for each
 * notification. WH_ERR_DB when the connection is lost: free the listener
 * and make a new one when the server is back.
 */
enum wh_err db_listener_read(struct db_listener *l, db_notify_fn fn,
			     void *arg, struct wh_error *err);

#endif
