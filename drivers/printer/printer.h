/*
 * printer.h - sends a finished print job (ZPL, TSPL, PDF bytes) to a
 * printer: a file or device node, raw TCP (port 9100), a CUPS queue, or a
 * USB printer-class device through libusb.
 *
 * A printer is named by a URI:
 *   file:PATH            write to a file or device node (/dev/usb/lp0)
 *   tcp://HOST[:PORT]    raw socket, port 9100 by default; [v6]:PORT
 *   cups:QUEUE           a CUPS queue, raw by default
 *   usb:VID:PID          hex ids, e.g. usb:0a5f:0164 (first match)
 *
 * Each transport is a struct printer_transport so a test or the pack
 * screen can substitute a fake. Nothing here interprets or alters the job
 * bytes; no handle (socket, libusb, http_t) outlives the call.
 *
 * Ownership: every pointer argument is borrowed for the duration of the
 * call. Functions are reentrant.
 */
#ifndef WHARF_DRIVERS_PRINTER_H
#define WHARF_DRIVERS_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define PRINTER_TIMEOUT_MS_DEFAULT 5000

struct printer_opts {
	int timeout_ms;		/* connect, each write, final read; 0 = 5 s */
	const char *job_name;	/* CUPS job title; NULL = "wharf label" */
	const char *cups_format;/* MIME type; NULL = raw */
};

struct printer_transport {
	const char *scheme;	/* "file", "tcp", "cups", "usb" */
	enum wh_err (*send)(const char *target, const void *data, size_t len,
			    const struct printer_opts *o, struct wh_error *e);
};

/* The transport for a URI scheme, or NULL. */
const struct printer_transport *printer_transport_find(const char *scheme);

/*
 * Sends len bytes to the printer named by uri (see above). o may be NULL
 * for the defaults. Errors name the printer: "printer 127.0.0.1:9100
 * refused the connection", "printer 10.0.0.5:9100 did not accept data
 * within 5 s".
 */
enum wh_err printer_send(const char *uri, const void *data, size_t len,
			 const struct printer_opts *o, struct wh_error *e);

/* The transports, callable directly; target is the URI after "scheme:". */
enum wh_err printer_file_send(const char *path, const void *data,
			      size_t len, const struct printer_opts *o,
			      struct wh_error *e);
enum wh_err printer_tcp_send(const char *hostport, const void *data,
			     size_t len, const struct printer_opts *o,
			     struct wh_error *e);
enum wh_err printer_cups_send(const char *queue, const void *data,
			      size_t len, const struct printer_opts *o,
			      struct wh_error *e);
enum wh_err printer_usb_send(const char *vidpid, const void *data,
			     size_t len, const struct printer_opts *o,
			     struct wh_error *e);

/*
 * Reads the IEEE 1284 device ID ("MFG:Zebra;MDL:ZD420;CMD:ZPL;") of the
 * USB printer vidpid into id (NUL-terminated, control characters
 * removed).
 */
enum wh_err printer_usb_device_id(const char *vidpid, char *id, size_t n,
				  const struct printer_opts *o,
				  struct wh_error *e);

/*
 * Finds `key` in an IEEE 1284 device ID, accepting the long and short
 * names (MFG/MANUFACTURER, MDL/MODEL, CMD/COMMAND SET, CLS/CLASS,
 * DES/DESCRIPTION), case-insensitively. Copies the value into out and
 * returns true, or returns false when absent.
 */
bool printer_1284_get(const char *id, const char *key, char *out, size_t n);

/* Splits "HOST:PORT", "[V6]:PORT" or "HOST" (port 9100). */
enum wh_err printer_split_hostport(const char *s, char *host, size_t hn,
				   char *port, size_t pn, struct wh_error *e);

#endif
