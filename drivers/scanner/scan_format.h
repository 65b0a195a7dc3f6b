/*
 * scan_format.h - scan bytes and events as one visible line of text.
 *
 * Used by `wharf scanner listen` and the `wharf scanner test` screen.
 * Control characters become their ASCII names in angle brackets (<GS>,
 * <CR>, <NUL>, <DEL>), bytes >= 0x80 and the two escape characters '<'
 * and '\' become \xNN, so the output is unambiguous and printable.
 *
 * Ownership: the caller provides the output buffer; the result is always
 * NUL-terminated (if size > 0) and functions return the length the full
 * text needs, like snprintf: truncation shows as a return >= size.
 */
#ifndef WHARF_DRIVERS_SCAN_FORMAT_H
#define WHARF_DRIVERS_SCAN_FORMAT_H

#include <stddef.h>

#include "drivers/scanner/scanner.h"

/* Enough for any event from scan_format_event(). */
#define SCAN_FORMAT_MAX (SCAN_DATA_MAX * 5 + SCAN_MSG_MAX * 5 + 128)

size_t scan_format_visible(const unsigned char *p, size_t n, char *out,
			   size_t size);

/*
 * "seq kind source aim=]C1 len=N repeat=R data=<visible>" and, for
 * errors, " total=N err=<name> msg=<visible>". aim is "-" when empty.
 */
size_t scan_format_event(const struct scan_event *ev, char *out,
			 size_t size);

#endif
