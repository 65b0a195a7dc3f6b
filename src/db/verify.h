/*
 * verify.h - re-checks every invariant of DESIGN.md section 4 (see
 * sql/migrations/0002_verify.sql): stock against the ledger, allocations
 * against stock and order lines, ship-by dates, interception.
 */
#ifndef WHARF_DB_VERIFY_H
#define WHARF_DB_VERIFY_H

#include "core/err.h"
#include "db/db.h"

/* Called once per violation; both strings are borrowed for the call. */
typedef void (*verify_fn)(void *ctx, const char *check, const char *detail);

/*
 * Runs every check in one snapshot. *violations receives the number found
 * (0: sound). Returns an error only when the checks could not run.
 */
enum wh_err db_verify(struct db *db, verify_fn fn, void *ctx, int *violations,
		      struct wh_error *err);

#endif
