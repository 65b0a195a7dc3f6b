/*
 * zpl.c - ZPL II output: the raster as ^GF graphic fields, ASCII-compressed
 * or Z64, in bands; plus the decoder the tests use to read it back.
 *
 * The job contains only fixed commands and the bitmap: ^XA ^CI28 ^PW ^LL
 * ^LH ^FO ^GF ^FS ^XZ. No media, mode or configuration command is ever
 * emitted, whatever the label data says.
 */
#include "label/label.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define ZPL_BAND_BYTES_DEFAULT 65536
/* Old firmware limits one ^GF to 99,999 bytes. */
#define ZPL_BAND_BYTES_MAX 99999

static const char hexdig[] = "0123456789ABCDEF";
static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

uint16_t zpl_crc16_xmodem(const void *p, size_t n)
{
	const uint8_t *s = p;
	uint16_t crc = 0;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= (uint16_t)(s[i] << 8);
		for (b = 0; b < 8; b++)
			crc = crc & 0x8000 ? (uint16_t)((crc << 1) ^ 0x1021) :
					     (uint16_t)(crc << 1);
	}
	return crc;
}

static int put(struct label_buf *o, const char *s)
{
	return label_buf_append(o, s, strlen(s));
}

/* Appends a repeat count: g..z for multiples of 20, G..Y for 1..19. */
static int put_count(struct label_buf *o, int k)
{
	char c[2];
	int n = 0;

	if (k / 20)
		c[n++] = (char)('g' + k / 20 - 1);
	if (k % 20)
		c[n++] = (char)('G' + k % 20 - 1);
	return label_buf_append(o, c, (size_t)n);
}

static int nibble(const uint8_t *row, int i)
{
	return i % 2 ? row[i / 2] & 0x0f : row[i / 2] >> 4;
}

/* One row of ZPL ASCII compression; prev is the row above or NULL. */
static int ascii_row(const uint8_t *row, const uint8_t *prev, int d,
		     struct label_buf *o)
{
	int n = 2 * d, t = n, i, k, c, chunk;
	int last = nibble(row, n - 1);

	if (prev && !memcmp(row, prev, (size_t)d))
		return put(o, ":");
	if (last == 0 || last == 0xf)
		while (t > 0 && nibble(row, t - 1) == last)
			t--;
	for (i = 0; i < t; i += k) {
		c = nibble(row, i);
		for (k = 1; i + k < t && nibble(row, i + k) == c; k++)
			;
		for (chunk = k; chunk > 0; chunk -= 400) {
			int m = chunk > 400 ? 400 : chunk;

			if ((m > 1 && put_count(o, m)) ||
			    label_buf_append(o, &hexdig[c], 1))
				return -1;
		}
	}
	if (t < n)
		return put(o, last ? "!" : ",");
	return 0;
}

static int base64_encode(const uint8_t *p, size_t n, struct label_buf *o)
{
	char q[4];
	size_t i;
	uint32_t v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64[v >> 18];
		q[1] = b64[(v >> 12) & 63];
		q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		if (label_buf_append(o, q, 4))
			return -1;
	}
	return 0;
}

static enum wh_err z64_band(const uint8_t *raw, size_t n, struct label_buf *o,
			    struct wh_error *e)
{
	uLongf zn = compressBound((uLong)n);
	uint8_t *z = malloc(zn);
	size_t start;
	char crc[8];

	if (!z)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	if (compress2(z, &zn, raw, (uLong)n, Z_BEST_COMPRESSION) != Z_OK) {
		free(z);
		return wh_error_set(e, WH_ERR_NOMEM, "zlib compress failed");
	}
	if (put(o, ":Z64:")) {
		free(z);
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	}
	start = o->len;
	if (base64_encode(z, zn, o)) {
		free(z);
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	}
	free(z);
	snprintf(crc, sizeof(crc), ":%04X",
		 zpl_crc16_xmodem(o->data + start, o->len - start));
	return put(o, crc) ? wh_error_set(e, WH_ERR_NOMEM, "out of memory") :
			     WH_OK;
}

enum wh_err zpl_encode(const struct label_raster *r,
		       const struct label_encode_opts *opts,
		       struct label_buf *out, struct wh_error *e)
{
	int band = opts && opts->zpl_band_bytes ? opts->zpl_band_bytes :
						  ZPL_BAND_BYTES_DEFAULT;
	bool z64 = opts && opts->zpl == LABEL_ZPL_Z64;
	int rows, y, j, total;
	char cmd[128];
	const uint8_t *row;

	if (band > ZPL_BAND_BYTES_MAX)
		band = ZPL_BAND_BYTES_MAX;
	rows = band / r->stride;
	if (rows < 1)
		rows = 1;
	snprintf(cmd, sizeof(cmd), "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n",
		 r->w, r->h);
	if (put(out, cmd))
		goto nomem;
	for (y = 0; y < r->h; y += rows) {
		int n = y + rows > r->h ? r->h - y : rows;

		total = n * r->stride;
		snprintf(cmd, sizeof(cmd), "^FO0,%d^GFA,%d,%d,%d,", y, total,
			 total, r->stride);
		if (put(out, cmd))
			goto nomem;
		row = r->bits + (size_t)y * r->stride;
		if (z64) {
			enum wh_err rc = z64_band(row, (size_t)total, out, e);

			if (rc)
				return rc;
		} else {
			for (j = 0; j < n; j++)
				if (ascii_row(row + (size_t)j * r->stride,
					      j ? row + (size_t)(j - 1) *
						  r->stride : NULL,
					      r->stride, out))
					goto nomem;
		}
		if (put(out, "^FS\n"))
			goto nomem;
	}
	if (put(out, "^XZ\n"))
		goto nomem;
	return WH_OK;
nomem:
	return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
}

/* Decoding, for tests and diagnostics. */

static int b64_value(int c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

static enum wh_err base64_decode(const char *s, size_t n, struct label_buf *o,
				 struct wh_error *e)
{
	uint32_t v = 0;
	int bits = 0, x;
	size_t i;
	uint8_t byte;

	for (i = 0; i < n && s[i] != '='; i++) {
		x = b64_value((unsigned char)s[i]);
		if (x < 0)
			return wh_error_set(e, WH_ERR_INVALID,
					    "Z64: bad base64 character");
		v = (v << 6) | (uint32_t)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			byte = (uint8_t)(v >> bits);
			if (label_buf_append(o, &byte, 1))
				return wh_error_set(e, WH_ERR_NOMEM,
						    "out of memory");
		}
	}
	return WH_OK;
}

static enum wh_err z64_decode(const char *s, size_t n, uint8_t *dst,
			      size_t size, struct wh_error *e)
{
	struct label_buf z = { 0 };
	const char *colon = memchr(s, ':', n);
	char want[5];
	uLongf got = size;
	enum wh_err rc;

	if (!colon || (size_t)(s + n - colon) != 5)
		return wh_error_set(e, WH_ERR_INVALID, "Z64: missing CRC");
	snprintf(want, sizeof(want), "%04X",
		 zpl_crc16_xmodem(s, (size_t)(colon - s)));
	if (memcmp(want, colon + 1, 4))
		return wh_error_set(e, WH_ERR_INVALID,
				    "Z64: CRC %.4s does not match %s",
				    colon + 1, want);
	rc = base64_decode(s, (size_t)(colon - s), &z, e);
	if (rc == WH_OK &&
	    (uncompress(dst, &got, z.data, (uLong)z.len) != Z_OK ||
	     got != size))
		rc = wh_error_set(e, WH_ERR_INVALID,
				  "Z64: data does not inflate to %zu bytes",
				  size);
	label_buf_free(&z);
	return rc;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void set_nibble(uint8_t *row, int i, int v)
{
	if (i % 2)
		row[i / 2] = (uint8_t)((row[i / 2] & 0xf0) | v);
	else
		row[i / 2] = (uint8_t)((row[i / 2] & 0x0f) | (v << 4));
}

/* Decodes ZPL ASCII hex, compressed or not, into rows of d bytes. */
static enum wh_err ascii_decode(const char *s, size_t n, uint8_t *dst,
				int rows, int d, struct wh_error *e)
{
	int row = 0, nib = 0, count = 0, k, v;
	size_t i;
	char c;

	for (i = 0; i < n && row < rows; i++) {
		c = s[i];
		if (c == '\n' || c == '\r' || c == ' ')
			continue;
		if (c >= 'G' && c <= 'Y') {
			count += c - 'G' + 1;
			continue;
		}
		if (c >= 'g' && c <= 'z') {
			count += (c - 'g' + 1) * 20;
			continue;
		}
		if (c == ':' && nib == 0) {
			if (row == 0)
				return wh_error_set(e, WH_ERR_INVALID,
					"ZPL ^GF: ':' repeats no row");
			memcpy(dst + (size_t)row * d,
			       dst + (size_t)(row - 1) * d, (size_t)d);
			row++;
			continue;
		}
		if (c == ',' || c == '!') {
			for (; nib < 2 * d; nib++)
				set_nibble(dst + (size_t)row * d, nib,
					   c == '!' ? 0xf : 0);
		} else {
			v = hexval(c);
			if (v < 0)
				return wh_error_set(e, WH_ERR_INVALID,
					"ZPL ^GF: bad character '%c'", c);
			for (k = 0; k < (count ? count : 1); k++) {
				if (nib == 2 * d)
					return wh_error_set(e, WH_ERR_INVALID,
						"ZPL ^GF: a run crosses the "
						"end of row %d", row);
				set_nibble(dst + (size_t)row * d, nib++, v);
			}
		}
		count = 0;
		if (nib == 2 * d) {
			nib = 0;
			row++;
		}
	}
	if (row != rows || nib)
		return wh_error_set(e, WH_ERR_INVALID,
				    "ZPL ^GF: %d of %d rows present", row,
				    rows);
	return WH_OK;
}

/* memmem is a GNU extension; this is the one search the decoder needs. */
static const char *find(const char *p, const char *end, const char *pat)
{
	size_t n = strlen(pat);

	for (; end - p >= (ptrdiff_t)n; p++)
		if (!memcmp(p, pat, n))
			return p;
	return NULL;
}

/* Parses a decimal at *p followed by `stop`; advances past stop. */
static bool parse_int(const char **p, const char *end, char stop, long *v)
{
	char *q;

	errno = 0;
	*v = strtol(*p, &q, 10);
	if (q == *p || q >= end || *q != stop || errno || *v < 0 ||
	    *v > 100000000)
		return false;
	*p = q + 1;
	return true;
}

static enum wh_err paint(struct label_raster *r, const uint8_t *src, long x,
			 long y, long d, long rows, struct wh_error *e)
{
	long i, j;

	if (x + d * 8 > ((long)r->w + 7) / 8 * 8 || y + rows > r->h)
		return wh_error_set(e, WH_ERR_INVALID,
				    "ZPL ^GF at %ld,%ld lies outside the "
				    "%dx%d label", x, y, r->w, r->h);
	for (j = 0; j < rows; j++)
		for (i = 0; i < d * 8 && x + i < r->w; i++)
			if (src[j * d + i / 8] & (0x80 >> (i % 8)))
				label_raster_set(r, (int)(x + i),
						 (int)(y + j), true);
	return WH_OK;
}

enum wh_err zpl_decode_graphics(const char *zpl, size_t len, int w, int h,
				struct label_raster **out, struct wh_error *e)
{
	const char *end = zpl + len, *p = zpl, *fo, *data, *stop;
	struct label_raster *r = label_raster_new(w, h);
	long x, y, b, c, d;
	uint8_t *buf;
	enum wh_err rc = WH_OK;

	*out = NULL;
	if (!r)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	while ((fo = find(p, end, "^FO"))) {
		p = fo + 3;
		if (!parse_int(&p, end, ',', &x) ||
		    !parse_int(&p, end, '^', &y) || end - p < 4 ||
		    memcmp(p, "GFA,", 4)) {
			rc = wh_error_set(e, WH_ERR_INVALID,
					  "ZPL: ^FO not followed by ^GFA");
			break;
		}
		p += 4;
		if (!parse_int(&p, end, ',', &b) ||
		    !parse_int(&p, end, ',', &c) ||
		    !parse_int(&p, end, ',', &d) || d == 0 || c % d) {
			rc = wh_error_set(e, WH_ERR_INVALID,
					  "ZPL: bad ^GFA parameters");
			break;
		}
		data = p;
		stop = memchr(p, '^', (size_t)(end - p));
		if (!stop) {
			rc = wh_error_set(e, WH_ERR_INVALID,
					  "ZPL: ^GF data not terminated");
			break;
		}
		buf = calloc((size_t)c, 1);
		if (!buf) {
			rc = wh_error_set(e, WH_ERR_NOMEM, "out of memory");
			break;
		}
		if (stop - data > 5 && !memcmp(data, ":Z64:", 5))
			rc = z64_decode(data + 5, (size_t)(stop - data - 5),
					buf, (size_t)c, e);
		else
			rc = ascii_decode(data, (size_t)(stop - data), buf,
					  (int)(c / d), (int)d, e);
		if (rc == WH_OK)
			rc = paint(r, buf, x, y, d, c / d, e);
		free(buf);
		if (rc)
			break;
		p = stop;
	}
	if (rc) {
		label_raster_free(r);
		return rc;
	}
	*out = r;
	return WH_OK;
}
