/*
 * harness.h - helpers for database tests.
 *
 * The cluster is the ctest fixture's (WHARF_TEST_PG names its maintenance
 * database). Each test makes its own database, so tests run in parallel
 * and start from nothing. Every helper fails the running cmocka test on a
 * database error; none returns one.
 */
#ifndef WHARF_TESTS_DB_HARNESS_H
#define WHARF_TESTS_DB_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/*
 * Creates database "<prefix>_<pid>" (dropping any leftover of that name),
 * migrated when migrate is true, and writes its conninfo into conninfo.
 */
void th_create_db(const char *prefix, bool migrate, char *conninfo, size_t n);

/* Drops the database th_create_db made for prefix. */
void th_drop_db(const char *prefix);

/* Connects or fails the test. The caller closes it with db_close. */
struct db *th_connect(const char *conninfo);

/* Runs SQL (one or more statements) that must succeed. */
void th_exec(struct db *db, const char *sql);

/* Runs SQL (one or more statements) that must fail; returns the error code, message in *msg_out
 * (copied, may be NULL). */
enum wh_err th_exec_fails(struct db *db, const char *sql, char *msg_out,
			  size_t n);

/* The single integer a query returns (fails the test otherwise). */
int64_t th_int(struct db *db, const char *sql);

/* The single text value a query returns, copied into buf. */
void th_text(struct db *db, const char *sql, char *buf, size_t n);

#endif
