/*
 * cups.c - printing through a CUPS queue with libcups (IPP Create-Job +
 * Send-Document), raw by default, so the printer gets our ZPL/TSPL as is.
 * Keeping libcups in this one file keeps the other printer drivers free of
 * CUPS.
 */
#include "drivers/printer/printer.h"

#include <string.h>

#include <cups/cups.h>

#define CUPS_CHUNK 65536

/* CUPS queue names are printable, without space, '/', '#' or '\\'. */
static bool queue_name_ok(const char *q)
{
	const unsigned char *p;

	if (!*q || strlen(q) > 127)
		return false;
	for (p = (const unsigned char *)q; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("/#\\", *p))
			return false;
	return true;
}

enum wh_err printer_cups_send(const char *queue, const void *data,
			      size_t len, const struct printer_opts *o,
			      struct wh_error *e)
{
	const char *title = o && o->job_name ? o->job_name : "wharf label";
	const char *fmt = o && o->cups_format ? o->cups_format :
						CUPS_FORMAT_RAW;
	const char *p = data;
	size_t n;
	int job;

	if (!queue_name_ok(queue))
		return wh_error_set(e, WH_ERR_INVALID,
				    "bad CUPS queue name \"%s\"", queue);
	job = cupsCreateJob(CUPS_HTTP_DEFAULT, queue, title, 0, NULL);
	if (job <= 0)
		return wh_error_set(e, WH_ERR_IO,
				    "CUPS queue %s refused the job: %s", queue,
				    cupsLastErrorString());
	if (cupsStartDocument(CUPS_HTTP_DEFAULT, queue, job, title, fmt, 1) !=
	    HTTP_STATUS_CONTINUE)
		goto fail;
	while (len) {
		n = len > CUPS_CHUNK ? CUPS_CHUNK : len;
		if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, p, n) !=
		    HTTP_STATUS_CONTINUE)
			goto fail;
		p += n;
		len -= n;
	}
	if (cupsFinishDocument(CUPS_HTTP_DEFAULT, queue) != IPP_STATUS_OK)
		return wh_error_set(e, WH_ERR_IO, "CUPS queue %s, job %d: %s",
				    queue, job, cupsLastErrorString());
	return WH_OK;
fail:
	wh_error_set(e, WH_ERR_IO, "CUPS queue %s, job %d: %s", queue, job,
		     cupsLastErrorString());
	cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, job, 0);
	return WH_ERR_IO;
}
