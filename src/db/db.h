/*
 * db.h - the one module that talks to libpq.
 *
 * A struct db owns one PGconn; a struct db_result owns one PGresult. Neither
 * libpq type leaves this module. Every call reports failure as an enum wh_err
 * with the server's message and SQLSTATE in the struct wh_error:
 *
 *   SQLSTATE 40001 / 40P01 (serialization failure, deadlock) -> WH_ERR_RETRY
 *   class 08 and a lost connection                           -> WH_ERR_DB
 *   class 22 (data exception)                                -> WH_ERR_INVALID
 *   class 23 (constraint) and P0001 (raised by our functions) -> WH_ERR_REFUSED
 *   P0002 (no data found)                                    -> WH_ERR_NOT_FOUND
 *   42501 (insufficient privilege)                           -> WH_ERR_PERM
 *
 * A struct db is not thread-safe: each thread opens its own (DESIGN.md §2).
 *
 *	struct db *db;
 *	struct db_result *r;
 *	const char *params[] = { "A-01-02" };
 *	if (db_connect(NULL, &db, &err) != WH_OK) return err.code;
 *	if (db_exec(db, "SELECT id FROM wharf.location WHERE code = $1",
 *		    1, params, &r, &err) == WH_OK) {
 *		long long id = db_result_int64(r, 0, 0);
 *		db_result_free(r);
 *	}
 *	db_close(db);
 */
#ifndef WHARF_DB_DB_H
#define WHARF_DB_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct db;
struct db_result;

/*
 * Opens a connection. conninfo is any libpq connection string or URI
 * (multi-host lists, target_session_attrs, sslmode...); NULL or "" uses
 * libpq's defaults, so PGSERVICE, PGHOST and pg_service.conf just work.
 * On success *out belongs to the caller (db_close).
 */
enum wh_err db_connect(const char *conninfo, struct db **out,
		       struct wh_error *err);

/* Closes the connection and frees the handle. NULL is a no-op. */
void db_close(struct db *db);

/*
 * Runs one parameterized statement (text parameters, NULL for SQL NULL).
 * When out is non-NULL and the call succeeds, *out holds the rows and
 * belongs to the caller (db_result_free); otherwise the result is dropped.
 */
enum wh_err db_exec(struct db *db, const char *sql, int nparams,
		    const char *const *params, struct db_result **out,
		    struct wh_error *err);

/*
 * Prepares sql on this connection as the server-side statement `name`
 * (parsed and planned once; later runs only bind and execute). nparams
 * counts $1..$n; their types are inferred by the server, as in db_exec.
 * A name can be prepared once per connection (WH_ERR_INVALID after).
 * Names and SQL are copied; the statements live until db_close.
 */
enum wh_err db_prepare(struct db *db, const char *name, const char *sql,
		       int nparams, struct wh_error *err);

/*
 * Runs the prepared statement `name`, with db_exec's contract for
 * params, *out and errors. When name is not prepared on this connection
 * yet and sql is non-NULL it is prepared first (lazily, once per
 * connection); sql differing from what name was prepared with is
 * WH_ERR_INVALID. So a caller can simply pass both every time:
 *
 *	rc = db_exec_prepared(db, "pick_confirm", sql, 8, params, &r, &err);
 */
enum wh_err db_exec_prepared(struct db *db, const char *name, const char *sql,
			     int nparams, const char *const *params,
			     struct db_result **out, struct wh_error *err);

/* Whether name is prepared on this connection. */
bool db_is_prepared(const struct db *db, const char *name);

/*
 * Runs a script of several statements with the simple query protocol (no
 * parameters): migrations and demo data. On failure the message names the
 * line of the script where the failing statement starts, when known.
 */
enum wh_err db_exec_script(struct db *db, const char *sql,
			   struct wh_error *err);

/*
 * Runs fn inside BEGIN ... COMMIT, retrying the whole transaction (up to
 * max_tries) when it fails with WH_ERR_RETRY. fn must be safe to repeat:
 * everything it did is rolled back before a retry.
 */
typedef enum wh_err (*db_txn_fn)(struct db *db, void *ctx,
				 struct wh_error *err);
enum wh_err db_transaction(struct db *db, int max_tries, db_txn_fn fn,
			   void *ctx, struct wh_error *err);

/* The socket to poll() for NOTIFY, or -1 when not connected. */
int db_socket(const struct db *db);

/* Server version as an integer (150004 for 15.4), 0 if unknown. */
int db_server_version(const struct db *db);

int db_result_rows(const struct db_result *r);
int db_result_cols(const struct db_result *r);
bool db_result_is_null(const struct db_result *r, int row, int col);
/* The text value; "" for NULL. Valid until db_result_free. */
const char *db_result_text(const struct db_result *r, int row, int col);
/* The value as an integer; 0 for NULL or non-numeric text. */
int64_t db_result_int64(const struct db_result *r, int row, int col);
/* Frees the result. NULL is a no-op. */
void db_result_free(struct db_result *r);

/* Maps a SQLSTATE to the wh_err class described above. */
enum wh_err db_sqlstate_to_err(const char *sqlstate);

#endif
