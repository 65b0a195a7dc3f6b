/*
 * conninfo.h - which database a wharf command talks to.
 */
#ifndef WHARF_DB_CONNINFO_H
#define WHARF_DB_CONNINFO_H

#include <stddef.h>

#include "core/err.h"

/*
 * Writes the connection string to use into buf, first match wins:
 *   1. explicit (a --db argument), when non-NULL;
 *   2. the WHARF_DB environment variable;
 *   3. "" (libpq's own defaults) when PGSERVICE, PGHOST or PGDATABASE is
 *      set, so pg_service.conf and the usual PG* variables just work;
 *   4. the embedded demo cluster in wharf's data directory, if running;
 *   5. "" otherwise.
 */
enum wh_err db_resolve_conninfo(const char *explicit, char *buf, size_t n,
				struct wh_error *err);

/* The database name the embedded cluster keeps wharf's data in. */
#define DEMO_DATABASE "wharf"

#endif
