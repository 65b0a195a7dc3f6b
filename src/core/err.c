#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum wh_err wh_error_set(struct wh_error *e, enum wh_err code,
			 const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->sqlstate[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void wh_error_prefix(struct wh_error *e, const char *fmt, ...)
{
	char prefix[WH_ERROR_MSG_MAX];
	char old[WH_ERROR_MSG_MAX];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
}

void wh_error_clear(struct wh_error *e)
{
	if (!e)
		return;
	e->code = WH_OK;
	e->sqlstate[0] = '\0';
	e->msg[0] = '\0';
}

const char *wh_err_name(enum wh_err code)
{
	switch (code) {
	case WH_OK:
		return "ok";
	case WH_ERR_INVALID:
		return "invalid";
	case WH_ERR_NOT_FOUND:
		return "not-found";
	case WH_ERR_REFUSED:
		return "refused";
	case WH_ERR_RETRY:
		return "retry";
	case WH_ERR_DB:
		return "db";
	case WH_ERR_IO:
		return "io";
	case WH_ERR_NOMEM:
		return "nomem";
	case WH_ERR_PERM:
		return "perm";
	case WH_ERR_UNSUPPORTED:
		return "unsupported";
	}
	return "unknown";
}
