#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "db/migrate.h"

static const char *maintenance_conninfo(void)
{
	const char *c = getenv("WHARF_TEST_PG");

	if (!c || !*c)
		fail_msg("WHARF_TEST_PG is not set: run the database tests "
			 "through ctest, which starts the cluster");
	return c;
}

static void db_name(const char *prefix, char *buf, size_t n)
{
	snprintf(buf, n, "%s_%ld", prefix, (long)getpid());
}

struct db *th_connect(const char *conninfo)
{
	struct wh_error err;
	struct db *db;

	if (db_connect(conninfo, &db, &err) != WH_OK)
		fail_msg("connect: %s", err.msg);
	return db;
}

void th_exec(struct db *db, const char *sql)
{
	struct wh_error err;

	if (db_exec_script(db, sql, &err) != WH_OK)
		fail_msg("%s\n  in: %s", err.msg, sql);
}

enum wh_err th_exec_fails(struct db *db, const char *sql, char *msg_out,
			  size_t n)
{
	struct wh_error err;
	enum wh_err rc = db_exec_script(db, sql, &err);

	if (rc == WH_OK)
		fail_msg("expected a failure, but it succeeded: %s", sql);
	if (msg_out)
		snprintf(msg_out, n, "%s", err.msg);
	return rc;
}

static struct db_result *one_row(struct db *db, const char *sql)
{
	struct wh_error err;
	struct db_result *r;

	if (db_exec(db, sql, 0, NULL, &r, &err) != WH_OK)
		fail_msg("%s\n  in: %s", err.msg, sql);
	if (db_result_rows(r) != 1 || db_result_cols(r) != 1)
		fail_msg("expected one value, got %d rows: %s",
			 db_result_rows(r), sql);
	return r;
}

int64_t th_int(struct db *db, const char *sql)
{
	struct db_result *r = one_row(db, sql);
	int64_t v = db_result_int64(r, 0, 0);

	db_result_free(r);
	return v;
}

void th_text(struct db *db, const char *sql, char *buf, size_t n)
{
	struct db_result *r = one_row(db, sql);

	snprintf(buf, n, "%s", db_result_text(r, 0, 0));
	db_result_free(r);
}

static void replace_dbname(const char *conninfo, const char *name, char *out,
			   size_t n)
{
	/* The fixture's conninfo ends in "dbname=postgres": later keywords
	 * win in libpq, so appending is enough. */
	snprintf(out, n, "%s dbname=%s", conninfo, name);
}

void th_create_db(const char *prefix, bool migrate, char *conninfo, size_t n)
{
	char name[64];
	char sql[160];
	struct db *admin;

	db_name(prefix, name, sizeof(name));
	admin = th_connect(maintenance_conninfo());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 name);
	th_exec(admin, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	th_exec(admin, sql);
	db_close(admin);
	replace_dbname(maintenance_conninfo(), name, conninfo, n);
	if (migrate) {
		struct db *db = th_connect(conninfo);
		struct wh_error err;

		if (db_migrate_builtin(db, NULL, &err) != WH_OK)
			fail_msg("migrate: %s", err.msg);
		db_close(db);
	}
}

void th_drop_db(const char *prefix)
{
	char name[64];
	char sql[160];
	struct db *admin;

	db_name(prefix, name, sizeof(name));
	admin = th_connect(maintenance_conninfo());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 name);
	th_exec(admin, sql);
	db_close(admin);
}
