/*
 * label.h - shipping, logistic, bin and product labels: layout, 1-bit
 * raster rendering and printer-language encoders.
 *
 * Pipeline: label data (a JSON object, untrusted) + a label type (a
 * declarative layout in mm, see layouts.c) -> label_render() -> a 1-bit
 * raster at the printer's dpi -> label_encode() -> ZPL, TSPL, PDF or PNG
 * bytes for a transport (drivers/printer).
 *
 * Security contract: nothing from the label data ever reaches a printer
 * language verbatim. Text is drawn into the bitmap with pango; barcode
 * data goes only into zint; the encoders emit only the bitmap and fixed
 * commands. Control characters are stripped from every text field.
 *
 * Ownership: a struct label_raster or struct label_buf returned through an
 * out-parameter belongs to the caller (label_raster_free, label_buf_free;
 * both accept NULL). json_t arguments are borrowed and not modified.
 *
 * Threads: every function is reentrant; pango's default font map is per
 * thread. label_shutdown() is for process exit only.
 *
 * Label data fields (dotted names are nested objects; * = required):
 *
 *   carrier-100x150, carrier-4x6, ewaybill-100x180:
 *     tracking*          carrier tracking number, printable ASCII, <= 40
 *                        (Code 128 and, unless "qr" is given, the QR)
 *     sort_code*         routing/sort code, printed big ("755W-021 A3")
 *     receiver.name*, receiver.address*, receiver.phone
 *     sender.name*, sender.address*, sender.phone
 *     carrier            carrier name ("顺丰速运")
 *     order_ref          shop order reference
 *     weight_kg          number or string
 *     items              array of {"name": text, "qty": integer}
 *     qr                 QR content (printable ASCII), default tracking
 *     cod                cash-on-delivery amount text (ewaybill only)
 *
 *   sscc (GS1 logistic label, GS1-128):
 *     sscc*              18 digits incl. check digit -> (00)
 *     gtin               14 digits; with "count" -> (02)+(37),
 *                        otherwise -> (01) [+ (10) lot] [+ (17) expiry]
 *     count              1..99999999 trade items (AI 37)
 *     lot                1..20 chars of GS1 CSET 82 (AI 10)
 *     expiry             "YYYY-MM-DD" or "YYMMDD" (AI 17)
 *     ship_from.name, ship_from.address, ship_to.name, ship_to.address
 *
 *   location (bin label):
 *     code*              location code, printable ASCII ("A-01-02-03")
 *     zone, description
 *
 *   product (product/lot label):
 *     name*              product name (CJK fine)
 *     gtin*              13 digits (or 14 with a leading 0) -> EAN-13;
 *                        any GTIN-14 with lot or expiry -> GS1 DataMatrix
 *     lot, expiry        as for sscc; either one selects the DataMatrix
 *     sku, spec          free text (SKU code, pack size/spec)
 *
 * Missing required fields give WH_ERR_INVALID naming the field ("missing
 * field receiver.address"); so do wrong types, bad characters in codes and
 * bad GS1 check digits. Text that does not fit its box is WH_ERR_INVALID,
 * never silently clipped.
 */
#ifndef WHARF_LABEL_LABEL_H
#define WHARF_LABEL_LABEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <jansson.h>

#include "core/err.h"

/* A 1-bit image: row-major, MSB leftmost, 1 = black. */
struct label_raster {
	int w, h, stride;	/* stride = bytes per row = (w + 7) / 8 */
	uint8_t *bits;
};

/* A growable byte buffer for encoder output. */
struct label_buf {
	uint8_t *data;
	size_t len, cap;
};

enum label_format {
	LABEL_FMT_ZPL,
	LABEL_FMT_TSPL,
	LABEL_FMT_PDF,
	LABEL_FMT_PNG,
};

enum label_zpl_compression {
	LABEL_ZPL_ASCII,	/* ZPL ASCII hex with G-Y/g-z , ! : */
	LABEL_ZPL_Z64,		/* :Z64:base64(zlib):crc */
};

struct label_encode_opts {
	int dpi;			/* needed by TSPL, PDF; 203 or 300 */
	enum label_zpl_compression zpl;
	int zpl_band_bytes;		/* max raw bytes per ^GF; 0 = 65536 */
	int tspl_black;			/* BITMAP bit that prints black */
	int tspl_gap_mm;		/* GAP between labels; default 2 */
};

/* A label type as listed by `wharf label types`. */
struct label_type_info {
	const char *name;
	const char *description;
	float w_mm, h_mm;
};

/* The shipped label types: index 0 .. label_type_count() - 1. */
size_t label_type_count(void);
const struct label_type_info *label_type_at(size_t i);

/* Dots per millimetre for a printer resolution: 203 -> 8, 300 -> 11.81. */
double label_dpmm(int dpi);

/* Returns a zeroed (white) raster, or NULL when out of memory. */
struct label_raster *label_raster_new(int w, int h);
void label_raster_free(struct label_raster *r);

static inline bool label_raster_get(const struct label_raster *r, int x, int y)
{
	return r->bits[(size_t)y * r->stride + x / 8] & (0x80 >> (x % 8));
}

static inline void label_raster_set(struct label_raster *r, int x, int y,
				    bool black)
{
	uint8_t *p = &r->bits[(size_t)y * r->stride + x / 8];

	if (black)
		*p |= 0x80 >> (x % 8);
	else
		*p &= ~(0x80 >> (x % 8));
}

/*
 * Renders label `type` with `data` at `dpi` (203 or 300) into a new
 * raster in *out. On error *out is NULL and e names the cause.
 */
enum wh_err label_render(const char *type, const json_t *data, int dpi,
			 struct label_raster **out, struct wh_error *e);

/* Appends to / frees a buffer. label_buf_append returns WH_ERR_NOMEM. */
enum wh_err label_buf_append(struct label_buf *b, const void *p, size_t n);
void label_buf_free(struct label_buf *b);

/*
 * Encodes a raster as a complete print job (or file) in `fmt`, appending
 * to *out. opts may be NULL for the defaults at 203 dpi.
 */
enum wh_err label_encode(const struct label_raster *r, enum label_format fmt,
			 const struct label_encode_opts *opts,
			 struct label_buf *out, struct wh_error *e);

/* Individual encoders, same contract as label_encode. */
enum wh_err zpl_encode(const struct label_raster *r,
		       const struct label_encode_opts *opts,
		       struct label_buf *out, struct wh_error *e);
enum wh_err tspl_encode(const struct label_raster *r,
			const struct label_encode_opts *opts,
			struct label_buf *out, struct wh_error *e);
enum wh_err label_png_encode(const struct label_raster *r,
			     const struct label_encode_opts *opts,
			     struct label_buf *out, struct wh_error *e);
enum wh_err label_pdf_encode(const struct label_raster *r,
			     const struct label_encode_opts *opts,
			     struct label_buf *out, struct wh_error *e);

/*
 * ZPL graphic-field decoding, for tests and diagnostics: parses every
 * "^FOx,y^GFA,b,c,d,<data>^FS" in a ZPL job (ASCII hex, compressed ASCII
 * or Z64, CRC checked) and paints it into a new raster of w x h dots.
 */
enum wh_err zpl_decode_graphics(const char *zpl, size_t len, int w, int h,
				struct label_raster **out,
				struct wh_error *e);

/* CRC-16/XMODEM (poly 0x1021, init 0), as Z64 uses over its base64 text. */
uint16_t zpl_crc16_xmodem(const void *p, size_t n);

/*
 * Renders and encodes the same label n times, for benchmarks: the lead's
 * bench times this call. Returns the first error; *bytes (may be NULL)
 * gets the size of one encoded label.
 */
enum wh_err label_render_n(const char *type, const json_t *data, int dpi,
			   enum label_format fmt, int n, size_t *bytes,
			   struct wh_error *e);

/*
 * Releases the thread's pango font map and cairo's font caches so
 * LeakSanitizer sees a clean exit. Call once, at exit, after every other
 * label call on every thread has returned.
 */
void label_shutdown(void);

#endif
