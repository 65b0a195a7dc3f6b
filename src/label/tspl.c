/*
 * tspl.c - TSPL output (TSC and most Chinese thermal printers): the raster
 * as one BITMAP command, CRLF line endings.
 *
 * BITMAP polarity differs between printers (TSC prints a 0 bit black), so
 * it is an option, not a guess. Only fixed commands and the bitmap are
 * emitted; label data never reaches the command stream.
 */
#include "label/label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tenths of a millimetre as "d.d", independent of LC_NUMERIC. */
static void mm_text(char *buf, size_t n, int dots, int dpi)
{
	long tenths = (long)(dots * 10 / label_dpmm(dpi) + 0.5);

	snprintf(buf, n, "%ld.%ld", tenths / 10, tenths % 10);
}

enum wh_err tspl_encode(const struct label_raster *r,
			const struct label_encode_opts *opts,
			struct label_buf *out, struct wh_error *e)
{
	int dpi = opts && opts->dpi ? opts->dpi : 203;
	int black = opts ? opts->tspl_black : 0;
	int gap = opts && opts->tspl_gap_mm ? opts->tspl_gap_mm : 2;
	char w[32], h[32], cmd[256];
	size_t n = (size_t)r->stride * r->h, i;
	uint8_t *bits;

	mm_text(w, sizeof(w), r->w, dpi);
	mm_text(h, sizeof(h), r->h, dpi);
	snprintf(cmd, sizeof(cmd),
		 "SIZE %s mm,%s mm\r\nGAP %d mm,0 mm\r\nDIRECTION 0\r\n"
		 "REFERENCE 0,0\r\nCLS\r\nBITMAP 0,0,%d,%d,0,",
		 w, h, gap, r->stride, r->h);
	bits = malloc(n);
	if (!bits)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		bits[i] = black ? r->bits[i] : (uint8_t)~r->bits[i];
	if (label_buf_append(out, cmd, strlen(cmd)) ||
	    label_buf_append(out, bits, n) ||
	    label_buf_append(out, "\r\nPRINT 1\r\n", 11)) {
		free(bits);
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	}
	free(bits);
	return WH_OK;
}
