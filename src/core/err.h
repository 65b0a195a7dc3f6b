/*
 * err.h - the one error type every wharf action returns.
 *
 * Actions return enum wh_err; callers that want words pass a struct
 * wh_error, which the callee fills with a human message (and the SQLSTATE
 * when the database refused). Only the UI turns an error into words on
 * screen, and only main() exits.
 */
#ifndef WHARF_CORE_ERR_H
#define WHARF_CORE_ERR_H

#include <stdbool.h>

enum wh_err {
	WH_OK = 0,
	WH_ERR_INVALID,     /* malformed input: a scan, a file, an argument */
	WH_ERR_NOT_FOUND,   /* the thing named does not exist */
	WH_ERR_REFUSED,     /* a business rule said no (wrong lot, intercepted) */
	WH_ERR_RETRY,       /* transient: serialization failure, deadlock */
	WH_ERR_DB,          /* the database failed or is unreachable */
	WH_ERR_IO,          /* a file, socket or device failed */
	WH_ERR_NOMEM,
	WH_ERR_PERM,        /* the user or process may not do this */
	WH_ERR_UNSUPPORTED, /* not built, or not available on this system */
};

#define WH_ERROR_MSG_MAX 512

struct wh_error {
	enum wh_err code;
	char sqlstate[6]; /* "" unless the database reported one */
	char msg[WH_ERROR_MSG_MAX];
};

/*
 * Records code and a printf-style message in *e and returns code, so a
 * failing path reads `return wh_error_set(e, WH_ERR_INVALID, "...")`.
 * e may be NULL: the code is still returned.
 */
enum wh_err wh_error_set(struct wh_error *e, enum wh_err code,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with context: "migrate 0002: <old>". */
void wh_error_prefix(struct wh_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Resets *e to WH_OK with an empty message. e may be NULL. */
void wh_error_clear(struct wh_error *e);

/* A stable lower-case name for the code ("invalid", "db", ...). */
const char *wh_err_name(enum wh_err code);

#endif
