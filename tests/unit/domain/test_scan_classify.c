/*
 * test_scan_classify.c - what a scan is, by GS1 content and site rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/gs1.h"
#include "domain/scan_classify.h"

struct fixture {
	struct gs1_result r;
	struct scan_class sc;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Parses data (len 0: strlen) and classifies it with rules. */
static void classify(struct fixture *f, const char *data, size_t len,
		     const struct scan_rules *rules)
{
	struct gs1_options opt;
	struct wh_error e;

	gs1_options_init(&opt, 2026, 11, 25);
	opt.gs_subst = "~";
	if (gs1_parse(data, len ? len : strlen(data), &opt, &f->r, &e) != WH_OK)
		fail_msg("parse '%s': %s", data, e.msg);
	if (scan_classify(&f->r, rules, &f->sc, &e) != WH_OK)
		fail_msg("classify '%s': %s", data, e.msg);
}

/* A warehouse's rules, in the order they are tried. */
static const struct scan_rule site[] = {
    {.prefix = "L-",
     .min_len = 3,
     .max_len = 20,
     .kind = SCAN_CLASS_LOCATION,
     .strip_prefix = true},
    {.pattern = "A-99-99", .kind = SCAN_CLASS_LOCATION},
    {.prefix = "T",
     .min_len = 4,
     .max_len = 8,
     .rest = SCAN_REST_DIGITS,
     .kind = SCAN_CLASS_TOTE},
    {.prefix = "U", .pattern = "U9999", .kind = SCAN_CLASS_BADGE},
    {.prefix = "ORD", .rest = SCAN_REST_DIGITS, .kind = SCAN_CLASS_ORDER},
    {.prefix = "1Z",
     .min_len = 18,
     .max_len = 18,
     .rest = SCAN_REST_ALNUM,
     .kind = SCAN_CLASS_TRACKING},
    {.pattern = "\\A\\B\\C-999", .kind = SCAN_CLASS_SKU},
    /* Restricted-circulation EAN-13 (prefix 2) are internal SKUs. */
    {.prefix = "2",
     .min_len = 13,
     .max_len = 13,
     .rest = SCAN_REST_DIGITS,
     .kind = SCAN_CLASS_SKU},
};

static const struct scan_rules site_rules = {site,
					     sizeof(site) / sizeof(site[0])};

static void test_rules(void **state)
{
	static const struct {
		const char *data;
		enum scan_class_kind kind;
		size_t rule;
		const char *code;
	} cases[] = {
	    {"L-A0102", SCAN_CLASS_LOCATION, 0, "A0102"},
	    {"A-01-02", SCAN_CLASS_LOCATION, 1, "A-01-02"},
	    {"z-99-00", SCAN_CLASS_LOCATION, 1, "z-99-00"},
	    {"A-1-02", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "A-1-02"},
	    {"A-01-023", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "A-01-023"},
	    {"T123", SCAN_CLASS_TOTE, 2, "T123"},
	    {"T12", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "T12"}, /* short */
	    {"T1234567", SCAN_CLASS_TOTE, 2, "T1234567"},
	    {"T12345678", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "T12345678"},
	    {"T12A", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "T12A"},
	    {"U0042", SCAN_CLASS_BADGE, 3, "U0042"},
	    {"U004", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "U004"},
	    {"ORD77", SCAN_CLASS_ORDER, 4, "ORD77"},
	    {"]C0ORD77", SCAN_CLASS_ORDER, 4, "ORD77"},
	    {"1Z999AA10123456784", SCAN_CLASS_TRACKING, 5,
	     "1Z999AA10123456784"},
	    {"1Z999AA1012345678", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE,
	     "1Z999AA1012345678"},
	    {"ABC-123", SCAN_CLASS_SKU, 6, "ABC-123"},
	    {"ABD-123", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "ABD-123"},
	    {"hello", SCAN_CLASS_UNKNOWN, SCAN_NO_RULE, "hello"},
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		classify(f, cases[i].data, 0, &site_rules);
		if (f->sc.kind != cases[i].kind ||
		    f->sc.rule != cases[i].rule ||
		    strcmp(f->sc.code, cases[i].code) != 0)
			fail_msg(
			    "'%s': %s rule %zu code '%s', want %s %zu '%s'",
			    cases[i].data, scan_class_kind_name(f->sc.kind),
			    f->sc.rule, f->sc.code,
			    scan_class_kind_name(cases[i].kind), cases[i].rule,
			    cases[i].code);
		assert_int_equal(f->sc.code_len, strlen(cases[i].code));
		assert_int_equal(f->sc.indicator, -1);
	}
}

static void test_gs1_kinds(void **state)
{
	struct fixture *f = *state;
	struct scan_class *sc = &f->sc;

	/* A GTIN alone is a SKU. */
	classify(f, "]E09506000134352", 0, &site_rules);
	assert_int_equal(sc->kind, SCAN_CLASS_SKU);
	assert_string_equal(sc->gtin, "09506000134352");
	assert_int_equal(sc->indicator, 0);
	assert_int_equal(sc->rule, SCAN_NO_RULE);

	/* An ITF-14 case code: indicator 1, the database knows the pack. */
	classify(f, "]I110950600013436", 0, &site_rules);
	assert_int_equal(sc->kind, SCAN_CLASS_SKU);
	assert_int_equal(sc->indicator, 1);

	/* A site rule wins over the GTIN reading of bare digits. */
	classify(f, "2001234567893", 0, &site_rules);
	assert_int_equal(f->r.form, GS1_FORM_GTIN);
	assert_int_equal(sc->kind, SCAN_CLASS_SKU);
	assert_int_equal(sc->rule, 7);
	assert_string_equal(sc->code, "2001234567893");
	assert_string_equal(sc->gtin, "02001234567893");

	/* GTIN + lot + expiry + count. */
	classify(f, "]C1011095060001343617261231~10LOT7~37000012", 0,
		 &site_rules);
	assert_int_equal(sc->kind, SCAN_CLASS_GS1_CASE);
	assert_string_equal(sc->gtin, "10950600013436");
	assert_int_equal(sc->indicator, 1);
	assert_false(sc->contained);
	assert_string_equal(sc->lot, "LOT7");
	assert_true(sc->has_expiry);
	assert_int_equal(sc->expiry.year, 2026);
	assert_int_equal(sc->expiry.month, 12);
	assert_int_equal(sc->expiry.day, 31);
	assert_true(sc->has_count);
	assert_int_equal(sc->count, 12);

	/* Expiry with day 00 is the last day of the month. */
	classify(f, "(01)09506000134352(17)240200", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_GS1_CASE);
	assert_int_equal(sc->expiry.day, 29);

	/* Variable measure: weight in kg with 3 decimals. */
	classify(f,
		 "]e0"
		 "0199506000134355"
		 "3103012503",
		 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_GS1_CASE);
	assert_int_equal(sc->indicator, 9);
	assert_string_equal(sc->measure_ai, "3103");
	assert_string_equal(sc->measure, "12.503");

	/* Contents of a logistic unit. */
	classify(f, "]C10209506000134352~3724", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_GS1_CASE);
	assert_true(sc->contained);
	assert_int_equal(sc->count, 24);

	/* Serial and best-before. */
	classify(f, "[01]09506000134352[21]S-1[15]270131", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_GS1_CASE);
	assert_string_equal(sc->serial, "S-1");
	assert_true(sc->has_best_before);
	assert_false(sc->has_expiry);
	assert_int_equal(sc->best_before.year, 2027);

	/* SSCC, even with the contents in the same symbol. */
	classify(f, "]C100106141411234567897~0209506000134352~3710", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_SSCC);
	assert_string_equal(sc->code, "106141411234567897");
	assert_string_equal(sc->gtin, "09506000134352");

	/* Digital Link of a product with lot. */
	classify(f, "https://id.gs1.org/01/09506000134352/10/AB12", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_GS1_CASE);
	assert_string_equal(sc->lot, "AB12");

	/* GS1 location, order and shipment. */
	classify(f, "]C14149506000134352", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_LOCATION);
	assert_string_equal(sc->code, "9506000134352");
	classify(f, "]C1400PO-2026-1", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_ORDER);
	assert_string_equal(sc->code, "PO-2026-1");
	classify(f, "]C140295060001343523452", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_TRACKING);

	/* GS1 data that names nothing we handle. */
	classify(f, "]C199internal", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_UNKNOWN);
	assert_int_equal(sc->code_len, 0);
}

static void test_defaults_and_bytes(void **state)
{
	struct fixture *f = *state;
	struct scan_class *sc = &f->sc;
	struct wh_error e;
	static const struct scan_rule bad[] = {
	    {.prefix = "X",
	     .min_len = 5,
	     .max_len = 2,
	     .kind = SCAN_CLASS_TOTE},
	};
	const struct scan_rules bad_rules = {bad, 1};

	classify(f, "L-A-01-02", 0, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_LOCATION);
	classify(f, "B-01-17-03", 0, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_LOCATION);
	classify(f, "T000123", 0, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_TOTE);
	classify(f, "U42", 0, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_BADGE);
	classify(f, "SO100234", 0, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_ORDER);
	classify(f, "SKU-RED-M", 0, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_SKU);
	assert_string_equal(sc->code, "RED-M");

	/* Bytes, not strings: a NUL inside is kept and does not match. */
	classify(f,
		 "T12\0"
		 "3",
		 5, &scan_rules_default);
	assert_int_equal(sc->kind, SCAN_CLASS_UNKNOWN);
	assert_int_equal(sc->code_len, 5);
	assert_memory_equal(sc->code,
			    "T12\0"
			    "3",
			    5);

	/* No rules at all. */
	classify(f, "T000123", 0, NULL);
	assert_int_equal(sc->kind, SCAN_CLASS_UNKNOWN);

	/* A malformed rule is reported, not guessed around. */
	assert_int_equal(scan_classify(&f->r, &bad_rules, sc, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "scan rule 0: min_len > max_len");

	assert_string_equal(scan_class_kind_name(SCAN_CLASS_GS1_CASE),
			    "gs1-case");
	assert_true(scan_rule_match(&site[1], "Q-12-34", 7));
	assert_false(scan_rule_match(&site[1], "Q-12-3", 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gs1_kinds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_defaults_and_bytes, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
