/*
 * test_migrate.c - the migration runner: applies each file once, in order,
 * in its own transaction; refuses a changed or unknown applied migration;
 * a concurrent run waits on the lock instead of applying twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "db/migrate.h"
#include "harness.h"

static char conninfo[512];

/* A tiny migration set; each test builds its variant from it. */
static struct wh_sql_file files[] = {
	{ "0001_a.sql", "CREATE SCHEMA IF NOT EXISTS wharf; "
			"CREATE TABLE wharf.t_a (id int);", 0, "aaaa" },
	{ "0002_b.sql", "CREATE TABLE wharf.t_b (id int);", 0, "bbbb" },
};

static int setup(void **state)
{
	(void)state;
	th_create_db("t_migrate", false, conninfo, sizeof(conninfo));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_drop_db("t_migrate");
	return 0;
}

static void test_applies_once_in_order(void **state)
{
	struct migrate_report rep;
	struct wh_error err;
	struct db *db = th_connect(conninfo);

	(void)state;
	assert_int_equal(db_migrate(db, files, 2, &rep, &err), WH_OK);
	assert_int_equal(rep.applied, 2);
	assert_int_equal(rep.already, 0);
	assert_string_equal(rep.last, "0002_b.sql");
	assert_int_equal(db_migrate(db, files, 2, &rep, &err), WH_OK);
	assert_int_equal(rep.applied, 0);
	assert_int_equal(rep.already, 2);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.schema_migration"), 2);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.schema_migration "
				    "WHERE name = '0001_a.sql' AND sha256 = 'aaaa'"), 1);
	db_close(db);
}

static void test_refuses_changed_file(void **state)
{
	struct wh_sql_file changed[3];
	struct wh_error err;
	struct db *db = th_connect(conninfo);

	(void)state;
	memcpy(changed, files, sizeof(files));
	changed[0].sha256 = "a-different-sum";
	changed[2] = (struct wh_sql_file){ "0003_c.sql",
		"CREATE TABLE wharf.t_c (id int);", 0, "cccc" };
	assert_int_equal(db_migrate(db, changed, 3, NULL, &err), WH_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "0001_a.sql changed since it was applied"));
	/* Nothing after the refusal was applied. */
	assert_int_equal(th_int(db, "SELECT count(*) FROM pg_tables "
				    "WHERE tablename = 't_c'"), 0);
	db_close(db);
}

static void test_refuses_unknown_applied(void **state)
{
	struct wh_error err;
	struct db *db = th_connect(conninfo);

	(void)state;
	/* This binary knows only 0001: the database is newer than it. */
	assert_int_equal(db_migrate(db, files, 1, NULL, &err), WH_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "0002_b.sql is applied"));
	db_close(db);
}

static void test_failure_rolls_back_and_names_line(void **state)
{
	struct wh_sql_file bad[3];
	struct wh_error err;
	struct db *db = th_connect(conninfo);

	(void)state;
	memcpy(bad, files, sizeof(files));
	bad[2] = (struct wh_sql_file){ "0003_bad.sql",
		"CREATE TABLE wharf.t_half (id int);\n"
		"\n"
		"SELECT no_such_column FROM wharf.t_half;\n", 0, "dddd" };
	assert_int_equal(db_migrate(db, bad, 3, NULL, &err), WH_ERR_DB);
	assert_non_null(strstr(err.msg, "migration 0003_bad.sql"));
	assert_non_null(strstr(err.msg, "line 3"));
	assert_string_equal(err.sqlstate, "42703");
	/* The half of the migration that ran is gone, and not recorded. */
	assert_int_equal(th_int(db, "SELECT count(*) FROM pg_tables "
				    "WHERE tablename = 't_half'"), 0);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.schema_migration"), 2);
	db_close(db);
}

struct racer {
	const struct wh_sql_file *files;
	size_t n;
	struct migrate_report rep;
	enum wh_err rc;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct wh_error err;
	struct db *db;

	if (db_connect(conninfo, &db, &err) != WH_OK) {
		r->rc = err.code;
		return NULL;
	}
	r->rc = db_migrate(db, r->files, r->n, &r->rep, &err);
	db_close(db);
	return NULL;
}

static void test_concurrent_migrate_waits_on_lock(void **state)
{
	/* A slow migration keeps the first runner inside the lock long
	 * enough that the others must wait for it. */
	struct wh_sql_file slow[3];
	struct racer racers[4];
	pthread_t threads[4];
	int applied = 0;
	struct db *db;

	(void)state;
	memcpy(slow, files, sizeof(files));
	slow[2] = (struct wh_sql_file){ "0003_slow.sql",
		"SELECT pg_sleep(0.5); CREATE TABLE wharf.t_slow (id int);",
		0, "eeee" };
	for (int i = 0; i < 4; i++) {
		racers[i] = (struct racer){ .files = slow, .n = 3 };
		assert_int_equal(pthread_create(&threads[i], NULL, race,
						&racers[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(racers[i].rc, WH_OK);
		applied += racers[i].rep.applied;
	}
	/* Exactly one runner applied 0003; the table exists once. */
	assert_int_equal(applied, 1);
	db = th_connect(conninfo);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.schema_migration"), 3);
	assert_int_equal(th_int(db, "SELECT count(*) FROM pg_tables "
				    "WHERE tablename = 't_slow'"), 1);
	db_close(db);
}

static void test_builtin_migrations_apply_cleanly(void **state)
{
	char ci[512];
	struct migrate_report rep;
	struct wh_error err;
	struct db *db;

	(void)state;
	th_create_db("t_migrate_builtin", false, ci, sizeof(ci));
	db = th_connect(ci);
	assert_int_equal(db_migrate_builtin(db, &rep, &err), WH_OK);
	assert_int_equal((size_t)rep.applied, wh_migrations_count);
	assert_int_equal(db_migrate_builtin(db, &rep, &err), WH_OK);
	assert_int_equal(rep.applied, 0);
	/* The ledger has partitions for this month and the next three. */
	assert_true(th_int(db, "SELECT count(*) FROM pg_inherits "
			       "WHERE inhparent = 'wharf.stock_move'::regclass") >= 5);
	db_close(db);
	th_drop_db("t_migrate_builtin");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		files[i].len = strlen(files[i].sql);
	/* Order matters: each test builds on the state the previous left. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_applies_once_in_order),
		cmocka_unit_test(test_refuses_changed_file),
		cmocka_unit_test(test_refuses_unknown_applied),
		cmocka_unit_test(test_failure_rolls_back_and_names_line),
		cmocka_unit_test(test_concurrent_migrate_waits_on_lock),
		cmocka_unit_test(test_builtin_migrations_apply_cleanly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
