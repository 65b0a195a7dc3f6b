/*
 * scan_format.c - visible rendering of scan bytes and events.
 */
#include "drivers/scanner/scan_format.h"

#include <stdio.h>
#include <string.h>

static const char *const c0_names[32] = {
	"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
	"BS",  "TAB", "LF",  "VT",  "FF",  "CR",  "SO",  "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
	"CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US",
};

/*
 * Appends s at *pos when all of it fits, keeping out NUL-terminated; *pos
 * counts everything. A truncated text thus ends before the first item
 * that did not fit, never inside one ("AB", not "AB<G").
 */
static void put(char *out, size_t size, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + n < size)
		memcpy(out + *pos, s, n + 1);
	*pos += n;
}

static void put_visible(char *out, size_t size, size_t *pos,
			const unsigned char *p, size_t n)
{
	char tmp[8];
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c < 0x20) {
			snprintf(tmp, sizeof(tmp), "<%s>", c0_names[c]);
		} else if (c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "<DEL>");
		} else if (c >= 0x80 || c == '<' || c == '\\') {
			snprintf(tmp, sizeof(tmp), "\\x%02X", c);
		} else {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		}
		put(out, size, pos, tmp);
	}
}

size_t scan_format_visible(const unsigned char *p, size_t n, char *out,
			   size_t size)
{
	size_t pos = 0;

	if (size)
		out[0] = '\0';
	put_visible(out, size, &pos, p, n);
	return pos;
}

size_t scan_format_event(const struct scan_event *ev, char *out,
			 size_t size)
{
	char head[160];
	size_t pos = 0;

	if (size)
		out[0] = '\0';
	snprintf(head, sizeof(head),
		 "%llu %s %s aim=%s len=%zu repeat=%u data=",
		 (unsigned long long)ev->seq, scan_kind_name(ev->kind),
		 scan_source_name(ev->source), ev->aim[0] ? ev->aim : "-",
		 ev->len, ev->repeat);
	put(out, size, &pos, head);
	put_visible(out, size, &pos, ev->data, ev->len);
	if (ev->kind == SCAN_EV_ERROR) {
		snprintf(head, sizeof(head), " total=%zu err=%s",
			 ev->total_len, wh_err_name(ev->err));
		put(out, size, &pos, head);
	}
	if (ev->msg[0]) {
		put(out, size, &pos, " msg=");
		put_visible(out, size, &pos, (const unsigned char *)ev->msg,
			    strnlen(ev->msg, sizeof(ev->msg)));
	}
	return pos;
}
