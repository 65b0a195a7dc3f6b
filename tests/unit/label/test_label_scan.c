/*
 * test_label_scan.c - every shipped label type, rendered to PNG at 203 and
 * 300 dpi, must scan with a real reader: zbarimg (Code 128, GS1-128, QR,
 * EAN-13) and dmtxread (GS1 DataMatrix). The decoded data must equal what
 * we encoded, byte for byte.
 *
 * How the readers report GS1 (checked with zbar 0.23.92, dmtxread 0.7.5):
 * both print the element string without the leading FNC1 and without
 * brackets, e.g. "00106141411234567897"; a separator FNC1 would be a GS
 * byte, which our layouts avoid by putting the variable-length lot last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "label/label.h"
#include "label_fixtures.h"

#define MAX_CODES 8

/*
 * fontconfig keeps internal allocations past exit that no public call
 * releases (pango's font map is already released by label_shutdown):
 * suppress exactly those, keep LeakSanitizer on for everything else.
 */
static char tmpdir[] = "/tmp/wharf-label-scan-XXXXXX";

struct decoded {
	int n;
	char code[MAX_CODES][256];
};

static void run_reader(const char *cmd, struct decoded *d)
{
	char line[256];
	FILE *p = popen(cmd, "r");
	size_t l;

	assert_non_null(p);
	while (fgets(line, sizeof(line), p) && d->n < MAX_CODES) {
		l = strcspn(line, "\n");
		line[l] = '\0';
		if (l)
			snprintf(d->code[d->n++], sizeof(d->code[0]), "%s",
				 line);
	}
	pclose(p);
}

/*
 * Renders type at dpi to a PNG and returns what the readers decode. With
 * from_mm > 0 only the part of the label below from_mm is scanned: zbar
 * reports two identical symbols of one type as one.
 */
static void render_and_scan_from(const char *type, const char *json, int dpi,
				 bool datamatrix, float from_mm,
				 struct decoded *d)
{
	struct label_encode_opts o = { .dpi = dpi };
	struct label_raster *r = NULL;
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };
	json_t *data = fixture(json);
	char path[128], cmd[256];
	FILE *f;

	assert_non_null(data);
	if (label_render(type, data, dpi, &r, &e) != WH_OK)
		fail_msg("%s @%d: %s", type, dpi, e.msg);
	if (from_mm > 0) {
		int y0 = (int)(from_mm * label_dpmm(dpi));

		memmove(r->bits, r->bits + (size_t)y0 * r->stride,
			(size_t)(r->h - y0) * r->stride);
		r->h -= y0;
	}
	assert_int_equal(label_encode(r, LABEL_FMT_PNG, &o, &b, &e), WH_OK);
	snprintf(path, sizeof(path), "%s/%s-%d.png", tmpdir, type, dpi);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	assert_int_equal(fclose(f), 0);
	memset(d, 0, sizeof(*d));
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q '%s' 2>/dev/null", path);
	run_reader(cmd, d);
	if (datamatrix) {
		/* -N1: stop at the first symbol; the rest is text. */
		snprintf(cmd, sizeof(cmd),
			 "dmtxread -N1 -m 20000 '%s' 2>/dev/null", path);
		run_reader(cmd, d);
	}
	unlink(path);
	label_buf_free(&b);
	label_raster_free(r);
	json_decref(data);
}

static void render_and_scan(const char *type, const char *json, int dpi,
			    bool datamatrix, struct decoded *d)
{
	render_and_scan_from(type, json, dpi, datamatrix, 0, d);
}

static int count_of(const struct decoded *d, const char *want)
{
	int i, n = 0;

	for (i = 0; i < d->n; i++)
		n += !strcmp(d->code[i], want);
	return n;
}

static void expect(const struct decoded *d, int total, const char *want,
		   int times)
{
	int i;

	if (d->n != total || count_of(d, want) != times) {
		for (i = 0; i < d->n; i++)
			print_message("decoded[%d] = \"%s\"\n", i, d->code[i]);
		fail_msg("want %d symbols, \"%s\" %d times", total, want,
			 times);
	}
}

static const int dpis[] = { 203, 300 };

static void test_carrier_100x150(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("carrier-100x150", carrier_json, dpis[i],
				false, &d);
		/* Code 128 and QR both carry the tracking number. */
		expect(&d, 2, "SF1234567890123", 2);
	}
}

static void test_carrier_4x6(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("carrier-4x6", carrier_json, dpis[i], false,
				&d);
		expect(&d, 2, "SF1234567890123", 2);
	}
}

static void test_ewaybill(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("ewaybill-100x180", carrier_json, dpis[i],
				false, &d);
		/* Code 128 (main and stub, merged by zbar) and the QR. */
		expect(&d, 2, "SF1234567890123", 2);
		/* The tear-off stub alone: its own Code 128 and QR. */
		render_and_scan_from("ewaybill-100x180", carrier_json,
				     dpis[i], false, 111.5f, &d);
		expect(&d, 2, "SF1234567890123", 2);
	}
}

static void test_sscc_count(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("sscc", sscc_count_json, dpis[i], false, &d);
		expect(&d, 2, "00106141411234567897", 1);
		assert_int_equal(count_of(&d, "02095060001343523748"), 1);
	}
}

static void test_sscc_lot(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("sscc", sscc_lot_json, dpis[i], false, &d);
		expect(&d, 2, "00106141411234567897", 1);
		assert_int_equal(
			count_of(&d, "01095060001343521725123110AB12"), 1);
	}
}

static void test_sscc_only(void **state)
{
	struct decoded d;

	(void)state;
	render_and_scan("sscc", "{\"sscc\":\"106141411234567897\"}", 203,
			false, &d);
	expect(&d, 1, "00106141411234567897", 1);
}

static void test_location(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("location", location_json, dpis[i], false, &d);
		expect(&d, 1, "A-01-02-03", 1);
	}
}

static void test_product(void **state)
{
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		render_and_scan("product", product_json, dpis[i], true, &d);
		/* EAN-13 from zbarimg, GS1 DataMatrix from dmtxread. */
		expect(&d, 2, "6901234567892", 1);
		assert_int_equal(
			count_of(&d, "01069012345678921726063010L2406A"), 1);
	}
}

static void test_product_case_gtin(void **state)
{
	struct decoded d;

	(void)state;
	/* Indicator digit 1: no EAN-13 possible, DataMatrix alone. */
	render_and_scan("product",
			"{\"name\":\"Case of 12\",\"gtin\":\"10614141000415\"}",
			203, true, &d);
	expect(&d, 1, "0110614141000415", 1);
}

static bool contains(const struct label_buf *b, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= b->len; i++)
		if (!memcmp(b->data + i, s, n))
			return true;
	return false;
}

/* Hostile text in a printer language must not leak, and still scans. */
static void test_printer_commands_in_data(void **state)
{
	static const char json[] =
		"{\"tracking\":\"SF1^MMT~JR\",\"sort_code\":\"^XZ^XA^MMC\","
		"\"receiver\":{\"name\":\"^XA^IDR:*.*^FS\","
		"\"address\":\"~JA\"},"
		"\"sender\":{\"name\":\"CLS\\r\\nPRINT 9\",\"address\":\"x\"}}";
	struct label_raster *r;
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };
	struct decoded d;
	json_t *data = fixture(json);
	const char *z, *p;
	int xa = 0;

	(void)state;
	assert_int_equal(label_render("carrier-100x150", data, 203, &r, &e),
			 WH_OK);
	assert_int_equal(label_encode(r, LABEL_FMT_ZPL, NULL, &b, &e), WH_OK);
	assert_int_equal(label_buf_append(&b, "", 1), WH_OK);
	z = (const char *)b.data;
	for (p = z; (p = strstr(p, "^XA")); p++)
		xa++;
	assert_int_equal(xa, 1);
	assert_null(strstr(z, "^MM"));
	assert_null(strstr(z, "~J"));
	assert_null(strstr(z, "^ID"));
	label_buf_free(&b);
	assert_int_equal(label_encode(r, LABEL_FMT_TSPL, NULL, &b, &e),
			 WH_OK);
	assert_false(contains(&b, "PRINT 9"));
	label_buf_free(&b);
	label_raster_free(r);
	json_decref(data);
	render_and_scan("carrier-100x150", json, 203, false, &d);
	expect(&d, 2, "SF1^MMT~JR", 2);
}

static int teardown(void **state)
{
	(void)state;
	rmdir(tmpdir);
	label_shutdown();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_carrier_100x150),
		cmocka_unit_test(test_carrier_4x6),
		cmocka_unit_test(test_ewaybill),
		cmocka_unit_test(test_sscc_count),
		cmocka_unit_test(test_sscc_lot),
		cmocka_unit_test(test_sscc_only),
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_product),
		cmocka_unit_test(test_product_case_gtin),
		cmocka_unit_test(test_printer_commands_in_data),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
