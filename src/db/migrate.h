/*
 * migrate.h - forward-only schema migrations.
 *
 * Migrations are applied in the order given (by file name), each once, each
 * in its own transaction, and recorded in wharf.schema_migration with the
 * SHA-256 of its text. The whole run holds a session advisory lock, so two
 * stations migrating at once apply each file once: the second waits, then
 * finds nothing to do.
 *
 * Before applying anything the runner compares every recorded migration
 * with the given set: a file whose checksum changed since it was applied,
 * or an applied migration missing from the set (a database newer than this
 * binary), refuses the whole run.
 */
#ifndef WHARF_DB_MIGRATE_H
#define WHARF_DB_MIGRATE_H

#include <stddef.h>

#include "core/err.h"
#include "db/db.h"
#include "db/sql_files.h"

/* Advisory lock key held while migrating ("wharfmig" in ASCII). */
#define MIGRATE_LOCK_KEY "8604234232063945063"

struct migrate_report {
	int applied;       /* migrations applied by this run */
	int already;       /* migrations found already applied */
	char last[128];    /* name of the newest migration now in place */
};

/*
 * Applies the pending migrations of files[0..n). rep may be NULL.
 * On failure nothing of the failing migration remains, earlier ones of
 * this run stay applied, and err names the file.
 */
enum wh_err db_migrate(struct db *db, const struct wh_sql_file *files,
		       size_t n, struct migrate_report *rep,
		       struct wh_error *err);

/* db_migrate with the migrations compiled into this binary. */
enum wh_err db_migrate_builtin(struct db *db, struct migrate_report *rep,
			       struct wh_error *err);

#endif
