/*
 * test_label_encode.c - ZPL (ASCII compression and Z64, banding), TSPL,
 * PNG and PDF encoders, checked byte-exactly where the format is ours and
 * by decoding where it is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "label/label.h"
#include "label_fixtures.h"

static char *zpl_text(const struct label_raster *r,
		      const struct label_encode_opts *o)
{
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };

	assert_int_equal(zpl_encode(r, o, &b, &e), WH_OK);
	assert_int_equal(label_buf_append(&b, "", 1), WH_OK);
	return (char *)b.data;
}

static void assert_same_raster(const struct label_raster *a,
			       const struct label_raster *b)
{
	int x, y;

	assert_int_equal(a->w, b->w);
	assert_int_equal(a->h, b->h);
	for (y = 0; y < a->h; y++)
		for (x = 0; x < a->w; x++)
			if (label_raster_get(a, x, y) !=
			    label_raster_get(b, x, y))
				fail_msg("pixel %d,%d differs", x, y);
}

static void round_trip(const struct label_raster *r,
		       enum label_zpl_compression c, int band)
{
	struct label_encode_opts o = { .zpl = c, .zpl_band_bytes = band };
	struct label_raster *back;
	struct wh_error e = { 0 };
	char *z = zpl_text(r, &o);

	if (zpl_decode_graphics(z, strlen(z), r->w, r->h, &back, &e))
		fail_msg("decode: %s", e.msg);
	assert_same_raster(r, back);
	label_raster_free(back);
	free(z);
}

static void test_ascii_exact(void **state)
{
	struct label_raster *r = label_raster_new(32, 3);
	static const uint8_t rows[] = { 0xff, 0xff, 0x00, 0x00,
					0xff, 0xff, 0x00, 0x00,
					0x12, 0x34, 0xff, 0xff };
	char *z;

	(void)state;
	memcpy(r->bits, rows, sizeof(rows));
	z = zpl_text(r, NULL);
	/* 4 x F then zeros to the end; the same row again; then ones. */
	assert_non_null(strstr(z, "^FO0,0^GFA,12,12,4,JF,:1234!^FS"));
	assert_non_null(strstr(z, "^XA\n^CI28\n^PW32\n^LL3\n"));
	assert_non_null(strstr(z, "^XZ"));
	free(z);
	label_raster_free(r);
}

static void test_ascii_long_run(void **state)
{
	/* 44 nibbles of F then "0A": the manual's "hJF" example. */
	struct label_raster *r = label_raster_new(23 * 8, 1);
	char *z;

	(void)state;
	memset(r->bits, 0xff, 22);
	r->bits[22] = 0x0a;
	z = zpl_text(r, NULL);
	assert_non_null(strstr(z, "^GFA,23,23,23,hJF0A^FS"));
	free(z);
	label_raster_free(r);
}

static void test_round_trip_random(void **state)
{
	static const int widths[] = { 1, 7, 8, 9, 203, 812, 3205 };
	struct label_raster *r;
	size_t i, k;

	(void)state;
	srand(42);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		r = label_raster_new(widths[i], 37);
		for (k = 0; k < (size_t)r->stride * r->h; k++)
			r->bits[k] = (uint8_t)rand();
		/* Padding bits are random too: they are not image. */
		round_trip(r, LABEL_ZPL_ASCII, 0);
		round_trip(r, LABEL_ZPL_Z64, 0);
		round_trip(r, LABEL_ZPL_ASCII, 100);
		label_raster_free(r);
	}
}

static void test_round_trip_structured(void **state)
{
	struct label_raster *r = label_raster_new(2000, 300);
	int x, y;

	(void)state;
	for (y = 0; y < r->h; y++) {
		for (x = 0; x < r->w; x++) {
			bool black;

			if (y < 50)
				black = false;			/* blank */
			else if (y < 100)
				black = true;			/* solid */
			else if (y < 150)
				black = (x / 3) % 2;		/* bars */
			else if (y < 200)
				black = x > 1000;		/* half */
			else if (y < 250)
				black = x < 1990 || x == 1999;	/* long F */
			else
				black = ((x * 7 + y * 13) % 11) < 4;
			label_raster_set(r, x, y, black);
		}
	}
	round_trip(r, LABEL_ZPL_ASCII, 0);
	round_trip(r, LABEL_ZPL_ASCII, 4000);
	round_trip(r, LABEL_ZPL_Z64, 4000);
	label_raster_free(r);
}

static int count_str(const char *s, const char *pat)
{
	int n = 0;

	for (; (s = strstr(s, pat)); s++)
		n++;
	return n;
}

static void test_bands_and_compression(void **state)
{
	struct label_raster *r = label_raster_new(800, 1200);
	struct label_encode_opts o = { 0 };
	char *z;

	(void)state;
	/* 120,000 bytes > 99,999: at least two ^GF bands, never one. */
	z = zpl_text(r, NULL);
	assert_int_equal(count_str(z, "^GFA"), 2);
	assert_non_null(strstr(z, "^FO0,655^GFA,54500,54500,100,"));
	/* A blank label compresses to "," and ":" per row. */
	assert_true(strlen(z) < 1300 + 200);
	free(z);
	o.zpl_band_bytes = 10000;
	z = zpl_text(r, &o);
	assert_int_equal(count_str(z, "^GFA"), 12);
	free(z);
	o.zpl_band_bytes = 1000000;	/* clamped to the firmware limit */
	z = zpl_text(r, &o);
	assert_int_equal(count_str(z, "^GFA"), 2);
	free(z);
	label_raster_free(r);
}

static void test_z64_crc(void **state)
{
	struct label_raster *r = label_raster_new(64, 64), *back;
	struct label_encode_opts o = { .zpl = LABEL_ZPL_Z64 };
	struct wh_error e = { 0 };
	char *z, *crc;

	(void)state;
	/* The CRC-16/XMODEM check value. */
	assert_int_equal(zpl_crc16_xmodem("123456789", 9), 0x31c3);
	assert_int_equal(zpl_crc16_xmodem("", 0), 0);
	memset(r->bits, 0xa5, (size_t)r->stride * r->h);
	z = zpl_text(r, &o);
	assert_non_null(strstr(z, "^GFA,512,512,8,:Z64:"));
	/* A corrupted CRC makes the decoder refuse, as a printer would. */
	crc = strstr(z, "^FS") - 4;
	crc[0] = crc[0] == '0' ? '1' : '0';
	assert_int_equal(zpl_decode_graphics(z, strlen(z), 64, 64, &back, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "CRC"));
	assert_null(back);
	free(z);
	label_raster_free(r);
}

static void test_decoder_rejects_garbage(void **state)
{
	static const char *bad[] = {
		"^XA^FO0,0^GFA,4,4,2,FFFF0^FS^XZ",	/* too much */
		"^XA^FO0,0^GFA,4,4,2,FF^FS^XZ",		/* too little */
		"^XA^FO0,0^GFA,4,4,2,:FFFF^FS^XZ",	/* ':' first */
		"^XA^FO0,0^GFA,4,4,2,FFQQ^FS^XZ",	/* not hex */
		"^XA^FO0,0^GFA,4,4,2,hFFFF^FS^XZ",	/* run too long */
		"^XA^FO10,0^GFA,4,4,2,FFFF^FS^XZ",	/* outside */
	};
	struct label_raster *r;
	struct wh_error e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (zpl_decode_graphics(bad[i], strlen(bad[i]), 16, 2, &r,
					&e) != WH_ERR_INVALID)
			fail_msg("accepted %s", bad[i]);
		assert_null(r);
	}
}

static void test_rendered_label_round_trip(void **state)
{
	struct label_raster *r;
	struct wh_error e = { 0 };
	json_t *d = fixture(carrier_json);

	(void)state;
	assert_int_equal(label_render("carrier-100x150", d, 300, &r, &e),
			 WH_OK);
	round_trip(r, LABEL_ZPL_ASCII, 0);
	round_trip(r, LABEL_ZPL_Z64, 0);
	label_raster_free(r);
	json_decref(d);
}

static void test_tspl(void **state)
{
	static const char head[] =
		"SIZE 100.0 mm,150.0 mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 0\r\n"
		"REFERENCE 0,0\r\nCLS\r\nBITMAP 0,0,100,1200,0,";
	static const char tail[] = "\r\nPRINT 1\r\n";
	struct label_raster *r = label_raster_new(800, 1200);
	struct label_encode_opts o = { .dpi = 203 };
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };
	size_t hl = strlen(head);

	(void)state;
	r->bits[0] = 0x80;	/* one black dot top left */
	assert_int_equal(tspl_encode(r, &o, &b, &e), WH_OK);
	assert_int_equal(b.len, hl + 120000 + strlen(tail));
	assert_memory_equal(b.data, head, hl);
	assert_memory_equal(b.data + b.len - strlen(tail), tail,
			    strlen(tail));
	/* Default polarity (TSC): 0 prints black. */
	assert_int_equal(b.data[hl], 0x7f);
	assert_int_equal(b.data[hl + 1], 0xff);
	label_buf_free(&b);
	o.tspl_black = 1;
	o.tspl_gap_mm = 3;
	assert_int_equal(tspl_encode(r, &o, &b, &e), WH_OK);
	assert_memory_equal(b.data + 24, "GAP 3 mm,0 mm\r\n", 15);
	assert_int_equal(b.data[hl], 0x80);
	assert_int_equal(b.data[hl + 1], 0x00);
	label_buf_free(&b);
	label_raster_free(r);
	/* 300 dpi: the size is still the label's size in mm. */
	r = label_raster_new(1181, 1772);
	o.dpi = 300;
	assert_int_equal(tspl_encode(r, &o, &b, &e), WH_OK);
	assert_memory_equal(b.data, "SIZE 100.0 mm,150.0 mm\r\n", 24);
	label_buf_free(&b);
	label_raster_free(r);
}

struct reader {
	const struct label_buf *b;
	size_t off;
};

static cairo_status_t read_buf(void *closure, unsigned char *data,
			       unsigned int len)
{
	struct reader *rd = closure;

	if (rd->off + len > rd->b->len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, rd->b->data + rd->off, len);
	rd->off += len;
	return CAIRO_STATUS_SUCCESS;
}

static void test_png_pixels(void **state)
{
	struct label_raster *r = label_raster_new(61, 9);
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };
	struct reader rd = { &b, 0 };
	cairo_surface_t *s;
	const uint8_t *px;
	int x, y, stride;
	uint32_t v;

	(void)state;
	for (y = 0; y < r->h; y++)
		for (x = 0; x < r->w; x++)
			label_raster_set(r, x, y, (x * 3 + y) % 5 == 0);
	assert_int_equal(label_png_encode(r, NULL, &b, &e), WH_OK);
	assert_memory_equal(b.data, "\x89PNG\r\n\x1a\n", 8);
	s = cairo_image_surface_create_from_png_stream(read_buf, &rd);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), 61);
	assert_int_equal(cairo_image_surface_get_height(s), 9);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < r->h; y++) {
		for (x = 0; x < r->w; x++) {
			memcpy(&v, px + y * stride + x * 4, 4);
			/* 1 = black in the raster, black in the image. */
			assert_int_equal((v & 0xffffff) == 0,
					 label_raster_get(r, x, y));
		}
	}
	cairo_surface_destroy(s);
	label_buf_free(&b);
	label_raster_free(r);
}

static bool contains(const struct label_buf *b, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= b->len; i++)
		if (!memcmp(b->data + i, s, n))
			return true;
	return false;
}

static void test_pdf(void **state)
{
	struct label_raster *r;
	struct label_encode_opts o = { .dpi = 203 };
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };
	json_t *d = fixture(location_json);

	(void)state;
	assert_int_equal(label_render("location", d, 203, &r, &e), WH_OK);
	assert_int_equal(label_encode(r, LABEL_FMT_PDF, &o, &b, &e), WH_OK);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "%PDF-", 5);
	/* 100 x 50 mm in points; streams are binary, so no strstr. */
	assert_true(contains(&b, "/MediaBox [ 0 0 283.46"));
	assert_true(contains(&b, "%%EOF"));
	label_buf_free(&b);
	label_raster_free(r);
	json_decref(d);
}

static void test_render_n(void **state)
{
	json_t *d = fixture(location_json);
	struct wh_error e = { 0 };
	size_t bytes = 0;

	(void)state;
	assert_int_equal(label_render_n("location", d, 203, LABEL_FMT_ZPL, 3,
					&bytes, &e), WH_OK);
	assert_true(bytes > 100);
	assert_int_equal(label_render_n("nope", d, 203, LABEL_FMT_ZPL, 3,
					&bytes, &e), WH_ERR_NOT_FOUND);
	json_decref(d);
}

static int teardown(void **state)
{
	(void)state;
	label_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_exact),
		cmocka_unit_test(test_ascii_long_run),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_round_trip_structured),
		cmocka_unit_test(test_bands_and_compression),
		cmocka_unit_test(test_z64_crc),
		cmocka_unit_test(test_decoder_rejects_garbage),
		cmocka_unit_test(test_rendered_label_round_trip),
		cmocka_unit_test(test_tspl),
		cmocka_unit_test(test_png_pixels),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_render_n),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
