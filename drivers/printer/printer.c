/*
 * printer.c - URI dispatch over the transports.
 */
#include "drivers/printer/printer.h"

#include <string.h>

static const struct printer_transport transports[] = {
	{ "file", printer_file_send },
	{ "tcp", printer_tcp_send },
	{ "cups", printer_cups_send },
	{ "usb", printer_usb_send },
};

const struct printer_transport *printer_transport_find(const char *scheme)
{
	size_t i;

	for (i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (!strcmp(transports[i].scheme, scheme))
			return &transports[i];
	return NULL;
}

enum wh_err printer_send(const char *uri, const void *data, size_t len,
			 const struct printer_opts *o, struct wh_error *e)
{
	const struct printer_transport *t;
	const char *colon = strchr(uri, ':');
	const char *target;
	char scheme[8];
	size_t n;

	if (!colon || (size_t)(colon - uri) >= sizeof(scheme))
		return wh_error_set(e, WH_ERR_INVALID,
				    "printer \"%s\" is not tcp://HOST:PORT, "
				    "file:PATH, cups:QUEUE or usb:VID:PID", uri);
	n = (size_t)(colon - uri);
	memcpy(scheme, uri, n);
	scheme[n] = '\0';
	t = printer_transport_find(scheme);
	if (!t)
		return wh_error_set(e, WH_ERR_INVALID,
				    "unknown printer scheme \"%s\"", scheme);
	target = colon + 1;
	if (!strcmp(scheme, "tcp") && !strncmp(target, "//", 2))
		target += 2;
	if (!*target)
		return wh_error_set(e, WH_ERR_INVALID,
				    "printer \"%s\" names no target", uri);
	return t->send(target, data, len, o, e);
}
