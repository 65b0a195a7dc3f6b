#include "db/migrate.h"

#include <stdio.h>
#include <string.h>

static const char create_registry[] =
	"CREATE SCHEMA IF NOT EXISTS wharf;"
	"CREATE TABLE IF NOT EXISTS wharf.schema_migration ("
	" name text PRIMARY KEY,"
	" sha256 text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

static const struct wh_sql_file *find_file(const struct wh_sql_file *files,
					   size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}

/* Refuses if any applied migration is missing or changed. */
static enum wh_err check_applied(const struct db_result *applied,
				 const struct wh_sql_file *files, size_t n,
				 struct wh_error *err)
{
	for (int i = 0; i < db_result_rows(applied); i++) {
		const char *name = db_result_text(applied, i, 0);
		const char *sum = db_result_text(applied, i, 1);
		const struct wh_sql_file *f = find_file(files, n, name);

		if (!f)
			return wh_error_set(err, WH_ERR_REFUSED,
				"migration %s is applied to the database but "
				"unknown to this wharf: the database is newer "
				"than this binary", name);
		if (strcmp(f->sha256, sum))
			return wh_error_set(err, WH_ERR_REFUSED,
				"migration %s changed since it was applied "
				"(applied %.12s..., file %.12s...): migrations "
				"are forward-only, add a new one instead",
				name, sum, f->sha256);
	}
	return WH_OK;
}

static bool is_applied(const struct db_result *applied, const char *name)
{
	for (int i = 0; i < db_result_rows(applied); i++)
		if (!strcmp(db_result_text(applied, i, 0), name))
			return true;
	return false;
}

static enum wh_err apply_one(struct db *db, const struct wh_sql_file *f,
			     struct wh_error *err)
{
	const char *params[] = { f->name, f->sha256 };
	enum wh_err rc;

	rc = db_exec(db, "BEGIN", 0, NULL, NULL, err);
	if (rc != WH_OK)
		return rc;
	rc = db_exec_script(db, f->sql, err);
	if (rc == WH_OK)
		rc = db_exec(db,
			     "INSERT INTO wharf.schema_migration (name, sha256) "
			     "VALUES ($1, $2)", 2, params, NULL, err);
	if (rc == WH_OK)
		rc = db_exec(db, "COMMIT", 0, NULL, NULL, err);
	if (rc != WH_OK) {
		db_exec(db, "ROLLBACK", 0, NULL, NULL, NULL);
		wh_error_prefix(err, "migration %s", f->name);
	}
	return rc;
}

static enum wh_err migrate_locked(struct db *db,
				  const struct wh_sql_file *files, size_t n,
				  struct migrate_report *rep,
				  struct wh_error *err)
{
	struct db_result *applied = NULL;
	enum wh_err rc;

	rc = db_exec_script(db, create_registry, err);
	if (rc != WH_OK)
		return rc;
	rc = db_exec(db, "SELECT name, sha256 FROM wharf.schema_migration "
			 "ORDER BY name", 0, NULL, &applied, err);
	if (rc != WH_OK)
		return rc;
	rc = check_applied(applied, files, n, err);
	for (size_t i = 0; rc == WH_OK && i < n; i++) {
		if (is_applied(applied, files[i].name)) {
			rep->already++;
		} else {
			rc = apply_one(db, &files[i], err);
			if (rc == WH_OK)
				rep->applied++;
		}
		if (rc == WH_OK)
			snprintf(rep->last, sizeof(rep->last), "%s",
				 files[i].name);
	}
	db_result_free(applied);
	return rc;
}

enum wh_err db_migrate(struct db *db, const struct wh_sql_file *files,
		       size_t n, struct migrate_report *rep,
		       struct wh_error *err)
{
	struct migrate_report local;
	const char *key[] = { MIGRATE_LOCK_KEY };
	enum wh_err rc;

	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	rc = db_exec(db, "SELECT pg_advisory_lock($1::bigint)", 1, key, NULL,
		     err);
	if (rc != WH_OK)
		return rc;
	rc = migrate_locked(db, files, n, rep, err);
	/* Unlock even after a failure; a lost connection drops it anyway. */
	db_exec(db, "SELECT pg_advisory_unlock($1::bigint)", 1, key, NULL, NULL);
	return rc;
}

enum wh_err db_migrate_builtin(struct db *db, struct migrate_report *rep,
			       struct wh_error *err)
{
	enum wh_err rc;

	rc = db_migrate(db, wh_migrations, wh_migrations_count, rep, err);
	if (rc != WH_OK)
		return rc;
	/* Months roll on: each migrate run (every demo start, every deploy)
	 * makes sure the ledger has partitions for the months ahead. */
	return db_exec(db, "SELECT wharf.ensure_stock_move_partitions()", 0,
		       NULL, NULL, err);
}
