/*
 * test_label_data.c - untrusted label data and text fitting: sanitising,
 * templates, wrapping by rendered width (CJK glyphs are about twice as
 * wide as Latin ones), shrink-to-fit, and every refusal naming its field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label/label_int.h"
#include "label_fixtures.h"

static void test_sanitize(void **state)
{
	char *s;

	(void)state;
	s = label_sanitize_text("a\x01" "b\x1b[2Jc\tTab\r\nx\x7f"
				"\xc2\x85" "\xe2\x80\xae" "evil\xff!  ");
	assert_string_equal(s, "ab[2Jc Tab x" "evil!");
	free(s);
	s = label_sanitize_text("张三\xe2\x81\xa6李四\xef\xbb\xbf");
	assert_string_equal(s, "张三李四");
	free(s);
	/* Overlong and surrogate encodings are dropped, not decoded. */
	s = label_sanitize_text("\xc0\xaf" "a" "\xed\xa0\x80" "b");
	assert_string_equal(s, "ab");
	free(s);
}

static void test_expand(void **state)
{
	struct label_values v = { json_object() };
	char *s;

	(void)state;
	assert_int_equal(label_values_put(&v, "receiver.name", "张三", NULL),
			 WH_OK);
	s = label_expand("收 {receiver.name} {absent}{{x}", &v);
	assert_string_equal(s, "收 张三 {x}");
	free(s);
	/* A value that looks like a template is not expanded again. */
	assert_int_equal(label_values_put(&v, "a", "{receiver.name}", NULL),
			 WH_OK);
	s = label_expand("{a}", &v);
	assert_string_equal(s, "{receiver.name}");
	free(s);
	label_values_free(&v);
}

static void test_wrap_cjk_width(void **state)
{
	struct label_text_fit cjk, latin, mixed;
	struct wh_error e = { 0 };
	/* 30 characters each; 40 mm box at 203 dpi = 320 dots, 10 pt. */
	const char *c = "浙江省杭州市余杭区文一西路九六九号"
			"阿里巴巴西溪园区五号楼";
	const char *l = "abcdefghijklmnopqrstuvwxyzabcd";

	(void)state;
	assert_int_equal(label_text_fit(c, 10, 0, false, true, 320, 1000, 203,
					&cjk, &e), WH_OK);
	assert_int_equal(label_text_fit(l, 10, 0, false, true, 320, 1000, 203,
					&latin, &e), WH_OK);
	/* A 10 pt CJK glyph is ~28 dots: 11 per line, so 3 lines. */
	assert_int_equal(cjk.lines, 3);
	assert_int_equal(latin.lines, 2);
	assert_true(cjk.w_px <= 320 && latin.w_px <= 320);
	/* No spaces anywhere: still wrapped (by character), never cut. */
	assert_int_equal(label_text_fit("SF1234567890123SF1234567890123"
					"SF1234567890123", 10, 0, false, true,
					320, 1000, 203, &mixed, &e), WH_OK);
	assert_true(mixed.lines >= 2);
	assert_true(mixed.w_px <= 320);
	/* The same text at 300 dpi wraps the same way: no hinting. */
	assert_int_equal(label_text_fit(c, 10, 0, false, true, 472, 1000, 300,
					&mixed, &e), WH_OK);
	assert_int_equal(mixed.lines, 3);
}

static void test_fit_errors_and_shrink(void **state)
{
	struct label_text_fit f;
	struct wh_error e = { 0 };
	const char *c = "浙江省杭州市余杭区文一西路九六九号"
			"阿里巴巴西溪园区五号楼";

	(void)state;
	/* Unwrapped and too wide: an error, never a clipped line. */
	assert_int_equal(label_text_fit(c, 10, 0, false, false, 320, 100, 203,
					&f, &e), WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "does not fit"));
	/* Allowed to shrink: fits at a smaller size. */
	assert_int_equal(label_text_fit(c, 10, 3, false, false, 320, 100, 203,
					&f, &e), WH_OK);
	assert_true(f.pt < 10 && f.pt >= 3);
	assert_int_equal(f.lines, 1);
	assert_true(f.w_px <= 320);
	/* Wrapped but too many lines for the height, even at the minimum. */
	assert_int_equal(label_text_fit(c, 10, 9, false, true, 320, 60, 203,
					&f, &e), WH_ERR_INVALID);
}

static void set_path(json_t *root, const char *obj, const char *key,
		     json_t *val)
{
	json_t *o = obj ? json_object_get(root, obj) : root;

	assert_int_equal(json_object_set_new(o, key, val), 0);
}

/* Renders carrier-100x150 with one change; returns rc, message in e. */
static enum wh_err render_with(const char *type, const char *base,
			       const char *obj, const char *key, json_t *val,
			       struct wh_error *e)
{
	json_t *d = fixture(base);
	struct label_raster *r = NULL;
	enum wh_err rc;

	assert_non_null(d);
	if (key && val)
		set_path(d, obj, key, val);
	else if (key)
		json_object_del(obj ? json_object_get(d, obj) : d, key);
	wh_error_clear(e);
	rc = label_render(type, d, 203, &r, e);
	assert_true(rc == WH_OK ? r != NULL : r == NULL);
	label_raster_free(r);
	json_decref(d);
	return rc;
}

static void expect_refusal(enum wh_err rc, const struct wh_error *e,
			   const char *words)
{
	if (rc != WH_ERR_INVALID || !strstr(e->msg, words))
		fail_msg("want invalid \"%s\", got %s \"%s\"", words,
			 wh_err_name(rc), e->msg);
}

static void test_missing_fields(void **state)
{
	struct wh_error e;

	(void)state;
	expect_refusal(render_with("carrier-100x150", carrier_json,
				   "receiver", "address", NULL, &e),
		       &e, "missing field receiver.address");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "tracking", NULL, &e),
		       &e, "missing field tracking");
	/* Present but empty after stripping control characters. */
	expect_refusal(render_with("carrier-100x150", carrier_json,
				   "receiver", "name",
				   json_string("\x01\x02 \t"), &e),
		       &e, "missing field receiver.name");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "sender", json_string("x"), &e),
		       &e, "missing field sender.name");
	expect_refusal(render_with("location", location_json, NULL, "code",
				   NULL, &e), &e, "missing field code");
	expect_refusal(render_with("product", product_json, NULL, "gtin",
				   NULL, &e), &e, "missing field gtin");
	expect_refusal(render_with("sscc", sscc_lot_json, NULL, "sscc", NULL,
				   &e), &e, "missing field sscc");
	expect_refusal(render_with("sscc", sscc_lot_json, NULL, "gtin", NULL,
				   &e), &e, "missing field gtin");
}

static void test_wrong_types(void **state)
{
	struct wh_error e;

	(void)state;
	expect_refusal(render_with("carrier-100x150", carrier_json,
				   "receiver", "name", json_true(), &e),
		       &e, "field receiver.name must be text");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "weight_kg", json_string("1,5kg"), &e),
		       &e, "field weight_kg must be a number");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "items", json_string("lots"), &e),
		       &e, "field items must be an array");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "items", json_pack("[{s:s,s:i}]", "name",
						      "x", "qty", 0), &e),
		       &e, "field items[0]");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "tracking", json_string("SF 123"), &e),
		       &e, "field tracking");
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "tracking", json_string("顺丰123"), &e),
		       &e, "field tracking");
}

static void test_control_chars_rendered(void **state)
{
	struct wh_error e;

	(void)state;
	/* Escape sequences and NUL-free controls are stripped, then drawn. */
	assert_int_equal(render_with("carrier-100x150", carrier_json,
				     "receiver", "name",
				     json_string("张三\x1b[31m\x07\r\n"), &e),
			 WH_OK);
	/* Control characters inside a code are stripped too. */
	assert_int_equal(render_with("location", location_json, NULL, "code",
				     json_string("A-01\x01-02"), &e), WH_OK);
}

static void test_huge_and_overflowing_text(void **state)
{
	struct wh_error e;
	char *big = malloc(10241);
	json_t *items;
	int i;

	(void)state;
	memset(big, 'x', 10240);
	big[10240] = '\0';
	expect_refusal(render_with("carrier-100x150", carrier_json,
				   "receiver", "address", json_string(big),
				   &e),
		       &e, "field receiver.address is too long");
	/* 1,000 CJK characters: accepted length, cannot fit the box. */
	big[0] = '\0';
	for (i = 0; i < 1000; i++)
		memcpy(big + i * 3, "路", 4);
	expect_refusal(render_with("carrier-100x150", carrier_json,
				   "receiver", "address", json_string(big),
				   &e), &e, "field receiver.address: text does "
				   "not fit");
	free(big);
	/* Shrink-to-fit: a long but reasonable address still prints. */
	assert_int_equal(render_with("carrier-100x150", carrier_json,
				     "receiver", "address", json_string(
				     "新疆维吾尔自治区伊犁哈萨克自治州"
				     "霍尔果斯市"
				     "亚欧路中哈霍尔果斯国际边境合作中心"
				     "中方区域商业综合楼B座十二层1201室 "
				     "转交物流部 王五收 工作日送货"), &e),
			 WH_OK);
	items = json_array();
	for (i = 0; i < 40; i++)
		json_array_append_new(items, json_pack("{s:s,s:i}", "name",
						       "婴儿配方奶粉 900g 罐装",
						       "qty", i + 1));
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "items", items, &e), &e,
		       "field items: text does not fit");
}

static void test_gs1_refusals(void **state)
{
	struct wh_error e;

	(void)state;
	expect_refusal(render_with("product", product_json, NULL, "gtin",
				   json_string("6901234567891"), &e),
		       &e, "field gtin: check digit should be 2");
	expect_refusal(render_with("product", product_json, NULL, "gtin",
				   json_string("690123456789"), &e),
		       &e, "field gtin must be 14 digits");
	expect_refusal(render_with("sscc", sscc_lot_json, NULL, "sscc",
				   json_string("106141411234567896"), &e),
		       &e, "field sscc: check digit should be 7");
	expect_refusal(render_with("sscc", sscc_lot_json, NULL, "lot",
				   json_string("AB[01]1"), &e),
		       &e, "field lot");
	expect_refusal(render_with("sscc", sscc_lot_json, NULL, "expiry",
				   json_string("2025-13-01"), &e),
		       &e, "field expiry");
	expect_refusal(render_with("sscc", sscc_lot_json, NULL, "expiry",
				   json_string("31.12.2025"), &e),
		       &e, "field expiry");
	expect_refusal(render_with("sscc", sscc_count_json, NULL, "count",
				   json_integer(0), &e),
		       &e, "field count");
	/* zint's own GS1 date check (WARN_FAIL_ALL): no 31 February. */
	expect_refusal(render_with("product", product_json, NULL, "expiry",
				   json_string("260231"), &e),
		       &e, "field gtin/lot/expiry: GS1 DataMatrix refused");
}

static void test_barcode_too_wide(void **state)
{
	struct wh_error e;

	(void)state;
	/* 40 mixed characters of Code 128 cannot fit 90 mm at 0.25 mm. */
	expect_refusal(render_with("carrier-100x150", carrier_json, NULL,
				   "tracking", json_string(
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"),
				   &e), &e, "field tracking: the Code 128 "
				   "symbol needs");
}

static void test_other_refusals(void **state)
{
	struct label_raster *r;
	struct wh_error e = { 0 };
	json_t *d = json_array();

	(void)state;
	assert_int_equal(label_render("no-such", d, 203, &r, &e),
			 WH_ERR_NOT_FOUND);
	assert_int_equal(label_render("location", d, 203, &r, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "JSON object"));
	json_decref(d);
	d = fixture(location_json);
	assert_int_equal(label_render("location", d, 72, &r, &e),
			 WH_ERR_INVALID);
	json_decref(d);
}

static void test_types_table(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(label_type_count(), 6);
	for (i = 0; i < label_type_count(); i++)
		assert_non_null(label_type_find(label_type_at(i)->name));
	assert_null(label_type_at(label_type_count()));
	assert_float_equal(label_dpmm(203), 8.0, 1e-9);
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
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_wrap_cjk_width),
		cmocka_unit_test(test_fit_errors_and_shrink),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_control_chars_rendered),
		cmocka_unit_test(test_huge_and_overflowing_text),
		cmocka_unit_test(test_gs1_refusals),
		cmocka_unit_test(test_barcode_too_wide),
		cmocka_unit_test(test_other_refusals),
		cmocka_unit_test(test_types_table),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
