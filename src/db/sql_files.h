/*
 * sql_files.h - SQL text compiled into the binary (see sql/embed.cmake).
 *
 * Migrations are sorted by file name (NNNN_name.sql), which is their order
 * of application. All strings are static and NUL-terminated.
 */
#ifndef WHARF_DB_SQL_FILES_H
#define WHARF_DB_SQL_FILES_H

#include <stddef.h>

struct wh_sql_file {
	const char *name;   /* file name, e.g. "0001_schema.sql" */
	const char *sql;    /* the file's text */
	size_t len;
	const char *sha256; /* lower-case hex of the file's bytes */
};

extern const struct wh_sql_file wh_migrations[];
extern const size_t wh_migrations_count;
extern const struct wh_sql_file wh_demo_sql[];
extern const size_t wh_demo_sql_count;

#endif
