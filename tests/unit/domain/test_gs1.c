/*
 * test_gs1.c - GS1 parser, AIM identifiers, check digits, dates.
 *
 * Examples are from the GS1 General Specifications where it gives them
 * (0950600013435 -> check digit 2, (17)130200 -> 2013-02-28, the Digital
 * Link URI of section 2 of reference/hardware.md); the rest are boundary
 * values and hostile inputs. "Today" is fixed at 2026-11-25.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/aim.h"
#include "domain/gs1.h"

#define TODAY_Y 2026
#define TODAY_M 11
#define TODAY_D 25

/* Parses len bytes (len SIZE_MAX: strlen) with the given options. */
static enum wh_err parse_opt(const char *data, size_t len, const char *gs,
			     const char *aim, unsigned flags,
			     struct gs1_result *r, struct wh_error *e)
{
	struct gs1_options opt;

	gs1_options_init(&opt, TODAY_Y, TODAY_M, TODAY_D);
	opt.gs_subst = gs;
	opt.aim = aim;
	opt.flags = flags;
	wh_error_clear(e);
	return gs1_parse(data, len == SIZE_MAX ? strlen(data) : len, &opt, r,
			 e);
}

static enum wh_err parse(const char *data, struct gs1_result *r,
			 struct wh_error *e)
{
	return parse_opt(data, SIZE_MAX, NULL, NULL, 0, r, e);
}

/* Results are big (about 10 KiB): two per test, freed even on failure. */
static int setup(void **state)
{
	*state = calloc(2, sizeof(struct gs1_result));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* --- check digits --- */

static void test_check_digit(void **state)
{
	static const struct {
		const char *digits;
		int want;
	} cases[] = {
	    {"0950600013435", 2}, /* GTIN-13 9506000134352 */
	    {"950600013435", 2},
	    {"0950600013435", 2},
	    {"10614141123456789", 7}, /* SSCC 106141411234567897 */
	    {"1234567", 0},	      /* EAN-8 12345670 */
	    {"4012345", 5},
	    {"01234500006", 5},	  /* UPC-A of UPC-E 01234565 */
	    {"1095060001343", 6}, /* GTIN-14 10950600013436 */
	    {"0", 0},
	    {"", -1},
	    {"12a4", -1},
	    {"12 4", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got =
		    gs1_check_digit(cases[i].digits, strlen(cases[i].digits));

		if (got != cases[i].want)
			fail_msg("check digit of '%s': got %d want %d",
				 cases[i].digits, got, cases[i].want);
	}
	assert_true(gs1_check_digit_ok("9506000134352", 13));
	assert_false(gs1_check_digit_ok("9506000134353", 13));
	assert_true(gs1_check_digit_ok("106141411234567897", 18));
	assert_false(gs1_check_digit_ok("7", 1));
	assert_false(gs1_check_digit_ok("", 0));
}

/* --- dates --- */

static void test_century(void **state)
{
	static const int cases[][3] = {
	    /* yy, reference year, result: 49 years past to 50 ahead */
	    {26, 2026, 2026}, {76, 2026, 2076}, {77, 2026, 1977},
	    {99, 2026, 1999}, {0, 2026, 2000},	{10, 2060, 2110},
	    {11, 2060, 2011}, {49, 1999, 2049}, {50, 1999, 1950},
	    {0, 2099, 2100},  {50, 2000, 2050}, {51, 2000, 1951},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = gs1_century(cases[i][0], cases[i][1]);

		if (got != cases[i][2])
			fail_msg("century(%d, %d): got %d want %d", cases[i][0],
				 cases[i][1], got, cases[i][2]);
	}
}

static void test_date_parse(void **state)
{
	static const struct {
		const char *in;
		unsigned flags;
		int y, m, d;	 /* y == 0: error */
		const char *msg; /* expected error */
	} cases[] = {
	    {"130200", GS1_DATE_DD00, 2013, 2, 28, NULL},
	    {"240200", GS1_DATE_DD00, 2024, 2, 29, NULL}, /* leap */
	    {"000200", GS1_DATE_DD00, 2000, 2, 29, NULL}, /* 400 rule */
	    {"990200", GS1_DATE_DD00, 1999, 2, 28, NULL},
	    {"250400", GS1_DATE_DD00, 2025, 4, 30, NULL},
	    {"251200", GS1_DATE_DD00, 2025, 12, 31, NULL},
	    {"251231", 0, 2025, 12, 31, NULL},
	    {"240229", 0, 2024, 2, 29, NULL},
	    {"250229", 0, 0, 0, 0, "day 29 (2025-02 has 28 days)"},
	    {"250431", 0, 0, 0, 0, "day 31 (2025-04 has 30 days)"},
	    {"251301", 0, 0, 0, 0, "month 13"},
	    {"250001", 0, 0, 0, 0, "month 00"},
	    {"250132", 0, 0, 0, 0, "day 32"},
	    {"250100", 0, 0, 0, 0, "day 00"},
	    {"25010", 0, 0, 0, 0, "date must be 6 digits"},
	    {"25010a", 0, 0, 0, 0, "date must be 6 digits"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gs1_date d = {0, 0, 0};
		struct wh_error e;
		enum wh_err rc;

		wh_error_clear(&e);
		rc = gs1_date_parse(cases[i].in, strlen(cases[i].in), TODAY_Y,
				    cases[i].flags, &d, &e);
		if (cases[i].y == 0) {
			if (rc != WH_ERR_INVALID ||
			    strcmp(e.msg, cases[i].msg) != 0)
				fail_msg("date '%s': got '%s' want '%s'",
					 cases[i].in, e.msg, cases[i].msg);
			continue;
		}
		if (rc != WH_OK || d.year != cases[i].y ||
		    d.month != cases[i].m || d.day != cases[i].d)
			fail_msg("date '%s': rc %d %04d-%02d-%02d (%s)",
				 cases[i].in, rc, d.year, d.month, d.day,
				 e.msg);
	}
	assert_int_equal(gs1_days_in_month(1900, 2), 28);
	assert_int_equal(gs1_days_in_month(2000, 2), 29);
	assert_int_equal(gs1_days_in_month(2024, 13), 0);
}

static void test_decimal_format(void **state)
{
	static const struct {
		const char *digits;
		int dec;
		const char *want;
	} cases[] = {
	    {"001250", 3, "1.250"},
	    {"000000", 2, "0.00"},
	    {"5", 2, "0.05"},
	    {"000120", 0, "120"},
	    {"000000", 0, "0"},
	    {"123456", 5, "1.23456"},
	    {"123456789012345", 9, "123456.789012345"},
	    {"12", 9, "0.000000012"},
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n =
		    gs1_decimal_format(cases[i].digits, strlen(cases[i].digits),
				       cases[i].dec, buf, sizeof(buf));

		if (strcmp(buf, cases[i].want) != 0 ||
		    n != strlen(cases[i].want))
			fail_msg("decimal '%s' %d: got '%s' want '%s'",
				 cases[i].digits, cases[i].dec, buf,
				 cases[i].want);
	}
	/* Truncation is reported like snprintf. */
	assert_int_equal(gs1_decimal_format("001250", 6, 3, buf, 3), 5);
	assert_string_equal(buf, "1.");
}

/* --- AIM --- */

static void test_aim(void **state)
{
	static const struct {
		const char *id;
		const char *name;
		enum aim_kind kind;
		bool known;
	} cases[] = {
	    {"]C0", "Code 128", AIM_KIND_OTHER, true},
	    {"]C1", "GS1-128", AIM_KIND_GS1, true},
	    {"]E0", "EAN-13/UPC-A/UPC-E", AIM_KIND_EAN, true},
	    {"]E3", "EAN/UPC with add-on", AIM_KIND_EAN, true},
	    {"]E4", "EAN-8", AIM_KIND_EAN, true},
	    {"]I1", "ITF (check digit validated)", AIM_KIND_ITF, true},
	    {"]e0", "GS1 DataBar", AIM_KIND_GS1, true},
	    {"]d1", "Data Matrix", AIM_KIND_OTHER, true},
	    {"]d2", "GS1 DataMatrix", AIM_KIND_GS1, true},
	    {"]Q1", "QR Code", AIM_KIND_OTHER, true},
	    {"]Q3", "GS1 QR Code", AIM_KIND_GS1, true},
	    {"]J1", "GS1 DotCode", AIM_KIND_GS1, true},
	    {"]Z9", "unknown symbology", AIM_KIND_OTHER, false},
	};
	static const struct {
		const char *in;
		size_t len;
		const char *msg;
	} bad[] = {
	    {"]", 1, "symbology identifier truncated"},
	    {"]C", 2, "symbology identifier truncated"},
	    {"", 0, "symbology identifier must start with ']'"},
	    {"C10", 3, "symbology identifier must start with ']'"},
	    {"]\x01\x02", 3, "malformed symbology identifier"},
	    {"]1C", 3, "malformed symbology identifier"},
	    {"]C\0", 3, "malformed symbology identifier"},
	};
	struct aim_info ai;
	struct wh_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(aim_lookup(cases[i].id, 3, &ai, NULL), WH_OK);
		assert_string_equal(ai.id, cases[i].id);
		assert_string_equal(ai.name, cases[i].name);
		assert_int_equal(ai.kind, cases[i].kind);
		assert_int_equal(ai.gs1, cases[i].kind == AIM_KIND_GS1);
		assert_int_equal(ai.known, cases[i].known);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wh_error_clear(&e);
		assert_int_equal(aim_lookup(bad[i].in, bad[i].len, &ai, &e),
				 WH_ERR_INVALID);
		assert_string_equal(e.msg, bad[i].msg);
	}
	/* Data after the identifier does not matter. */
	assert_int_equal(aim_lookup("]C1010950", 9, &ai, NULL), WH_OK);
	assert_true(ai.gs1);
}

/* --- valid scans --- */

struct ok_case {
	const char *name;
	const char *data;
	size_t len;	 /* 0: strlen */
	const char *gs;	 /* GS substitute */
	const char *aim; /* driver-reported AIM */
	enum gs1_form form;
	const char *bracketed;
	const char *typed; /* "ai=typed|ai=typed": typed values to check */
};

static const struct ok_case ok_cases[] = {
    {"GS1-128 with GS",
     "]C1010950600013435217130200\x1d"
     "10AB12",
     0, NULL, NULL, GS1_FORM_ELEMENTS, "[01]09506000134352[17]130200[10]AB12",
     "17=2013-02-28|10=AB12|01=09506000134352"},
    {"parenthesised GenSpecs example", "(01)09506000134352(17)130200(10)AB12",
     0, NULL, NULL, GS1_FORM_PARENS, "[01]09506000134352[17]130200[10]AB12",
     "17=2013-02-28"},
    {"bracketed", "[01]09506000134352[10]AB12[17]240200", 0, NULL, NULL,
     GS1_FORM_BRACKETED, "[01]09506000134352[10]AB12[17]240200",
     "17=2024-02-29"},
    {"tilde substitute", "0109506000134352~10AB12~3103001250", 0, "~", "]C1",
     GS1_FORM_ELEMENTS, "[01]09506000134352[10]AB12[3103]001250", "3103=1.250"},
    {"pipe substitute, no AIM", "0109506000134352|10LOT-7|37000012", 0, "|",
     NULL, GS1_FORM_ELEMENTS, "[01]09506000134352[10]LOT-7[37]000012",
     "37=12|10=LOT-7"},
    {"<GS> literal substitute", "]d2010950600013435221S1<GS>10AB12<GS>17251231",
     0, "<GS>", NULL, GS1_FORM_ELEMENTS,
     "[01]09506000134352[21]S1[10]AB12[17]251231", "17=2025-12-31"},
    {"leading and trailing GS tolerated",
     "]C1\x1d"
     "0109506000134352\x1d"
     "10AB\x1d",
     0, NULL, NULL, GS1_FORM_ELEMENTS, "[01]09506000134352[10]AB", NULL},
    {"GS after a fixed-length AI tolerated",
     "]C1010950600013435217130200\x1d"
     "10AB",
     0, NULL, NULL, GS1_FORM_ELEMENTS, NULL, NULL},
    {"SSCC", "]C100106141411234567897", 0, NULL, NULL, GS1_FORM_ELEMENTS,
     "[00]106141411234567897", NULL},
    {"logistic label 02 + 37 + 15",
     "]C10209506000134352151412313712\x1d"
     "10XY",
     0, NULL, NULL, GS1_FORM_ELEMENTS,
     "[02]09506000134352[15]141231[37]12[10]XY", "15=2014-12-31|37=12"},
    {"GLN and ship-to",
     "]C1410950600013435242127610115\x1d"
     "400PO-1",
     0, NULL, NULL, GS1_FORM_ELEMENTS,
     "[410]9506000134352[421]27610115[400]PO-1", NULL},
    {"7003 expiry time", "]C170032401311345", 0, NULL, NULL, GS1_FORM_ELEMENTS,
     NULL, "7003=2024-01-31T13:45"},
    {"8008 hour", "]C1800824013113", 0, NULL, NULL, GS1_FORM_ELEMENTS, NULL,
     "8008=2024-01-31T13"},
    {"8008 minutes", "]C180082401311345", 0, NULL, NULL, GS1_FORM_ELEMENTS,
     NULL, "8008=2024-01-31T13:45"},
    {"8008 seconds", "]C18008240131134529", 0, NULL, NULL, GS1_FORM_ELEMENTS,
     NULL, "8008=2024-01-31T13:45:29"},
    {"7007 harvest range", "]C17007240101240105", 0, NULL, NULL,
     GS1_FORM_ELEMENTS, NULL, "7007=2024-01-01/2024-01-05"},
    {"7007 harvest date", "]C17007240101", 0, NULL, NULL, GS1_FORM_ELEMENTS,
     NULL, "7007=2024-01-01"},
    {"decimal AIs", "[3922]1250[3103]000500[3300]001200[3912]978995", 0, NULL,
     NULL, GS1_FORM_BRACKETED, NULL,
     "3922=12.50|3103=0.500|3300=1200|3912=9.95"},
    {"count without zeros", "[30]00000007", 0, NULL, NULL, GS1_FORM_BRACKETED,
     NULL, "30=7"},
    {"century: 99 is 1999", "[11]991231", 0, NULL, NULL, GS1_FORM_BRACKETED,
     NULL, "11=1999-12-31"},
    {"century: 76 is 2076", "[17]761231", 0, NULL, NULL, GS1_FORM_BRACKETED,
     NULL, "17=2076-12-31"},
    {"duplicate AI same value kept once", "[10]A[10]A", 0, NULL, NULL,
     GS1_FORM_BRACKETED, "[10]A", NULL},
    {"paren with spaces and escaped (", "(01) 09506000134352 (10) A\\(B", 0,
     NULL, NULL, GS1_FORM_PARENS, "[01]09506000134352[10]A(B", NULL},
    {"paren value with ( not an AI", "(10)A(B)C(21)X", 0, NULL, NULL,
     GS1_FORM_PARENS, "[10]A(B)C[21]X", NULL},
    {"CSET 39 AI 8010", "[8010]AB-12/#9", 0, NULL, NULL, GS1_FORM_BRACKETED,
     "[8010]AB-12/#9", NULL},
    {"internal AI 99", "]C199any!thing", 0, NULL, NULL, GS1_FORM_ELEMENTS,
     "[99]any!thing", NULL},
    {"Digital Link",
     "https://id.gs1.org/01/09506000134352/10/AB12/21/S1"
     "?17=251231",
     0, NULL, NULL, GS1_FORM_DIGITAL_LINK,
     "[01]09506000134352[10]AB12[21]S1[17]251231", "17=2025-12-31"},
    {"Digital Link with path prefix, GTIN-13, query noise",
     "HTTPS://example.com/a/b/01/9506000134352/22/V1?linkType=x&"
     "3103=000750#frag",
     0, NULL, NULL, GS1_FORM_DIGITAL_LINK,
     "[01]09506000134352[22]V1[3103]000750", "3103=0.750"},
    {"Digital Link percent-encoding and trailing slash",
     "]Q1http://x.example/01/09506000134352/10/A%2FB%25/", 0, NULL, NULL,
     GS1_FORM_DIGITAL_LINK, "[01]09506000134352[10]A/B%", NULL},
    {"Digital Link SSCC", "https://x.example/00/106141411234567897", 0, NULL,
     NULL, GS1_FORM_DIGITAL_LINK, "[00]106141411234567897", NULL},
    {"Digital Link 414 + 254",
     "https://x.example/414/9506000134352/254/"
     "B1",
     0, NULL, NULL, GS1_FORM_DIGITAL_LINK, "[414]9506000134352[254]B1", NULL},
    {"EAN-13 via AIM", "]E09506000134352", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]09506000134352", NULL},
    {"EAN-13 bare", "9506000134352", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]09506000134352", NULL},
    {"UPC-A bare", "036000291452", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]00036000291452", NULL},
    {"EAN-8 via AIM", "]E412345670", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]00000012345670", NULL},
    {"UPC-E via AIM", "]E001234565", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]00012345000065", NULL},
    {"UPC-E d6=3", "]E004563333", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]00045600000333", NULL},
    {"ITF-14", "]I110950600013436", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]10950600013436", NULL},
    {"GTIN-14 bare", "10950600013436", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]10950600013436", NULL},
    {"ITF of another length is plain", "]I012345678", 0, NULL, NULL,
     GS1_FORM_PLAIN, NULL, NULL},
    {"EAN-13 with add-on", "]E3950600013435212", 0, NULL, NULL, GS1_FORM_GTIN,
     "[01]09506000134352", NULL},
    {"AIM from driver", "0109506000134352", 0, NULL, "]C1", GS1_FORM_ELEMENTS,
     "[01]09506000134352", NULL},
    {"bare element string starting 01", "010950600013435210AB", 0, NULL, NULL,
     GS1_FORM_ELEMENTS, "[01]09506000134352[10]AB", NULL},
    {"looks like GS1 but is not", "0112345678901234XYZ", 0, NULL, NULL,
     GS1_FORM_PLAIN, NULL, NULL},
    {"bad check digit without AIM is plain", "9506000134353", 0, NULL, NULL,
     GS1_FORM_PLAIN, NULL, NULL},
    {"location label", "L-A-01-02", 0, NULL, NULL, GS1_FORM_PLAIN, NULL, NULL},
    {"Code 128 order number", "]C0SO123456", 0, NULL, NULL, GS1_FORM_PLAIN,
     NULL, NULL},
    {"URL that is not Digital Link", "https://example.com/x/y?z=1", 0, NULL,
     NULL, GS1_FORM_PLAIN, NULL, NULL},
    {"embedded NUL in plain data", "AB\0CD", 5, NULL, NULL, GS1_FORM_PLAIN,
     NULL, NULL},
    {"invalid UTF-8 in plain data", "\xff\xfe\xc3\x28", 0, NULL, NULL,
     GS1_FORM_PLAIN, NULL, NULL},
};

static void check_typed(const struct ok_case *c, const struct gs1_result *r)
{
	char spec[256], *p, *next;

	if (!c->typed)
		return;
	snprintf(spec, sizeof(spec), "%s", c->typed);
	for (p = spec; p && *p; p = next) {
		char *eq = strchr(p, '=');
		const struct gs1_element *el;

		next = strchr(p, '|');
		if (next)
			*next++ = '\0';
		assert_non_null(eq);
		*eq = '\0';
		el = gs1_find(r, p);
		if (!el)
			fail_msg("%s: AI %s missing", c->name, p);
		else if (strcmp(el->typed, eq + 1) != 0)
			fail_msg("%s: AI %s typed '%s' want '%s'", c->name, p,
				 el->typed, eq + 1);
	}
}

static void test_valid(void **state)
{
	struct gs1_result *r = *state, *r2 = r + 1;
	char br[4096], br2[4096];
	struct wh_error e;
	size_t i;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		size_t len = c->len ? c->len : strlen(c->data);
		enum wh_err rc;

		rc = parse_opt(c->data, len, c->gs, c->aim, 0, r, &e);
		if (rc != WH_OK)
			fail_msg("%s: error '%s'", c->name, e.msg);
		if (r->form != c->form)
			fail_msg("%s: form %s want %s", c->name,
				 gs1_form_name(r->form),
				 gs1_form_name(c->form));
		gs1_to_bracketed(r, br, sizeof(br));
		if (c->bracketed && strcmp(br, c->bracketed) != 0)
			fail_msg("%s: got %s want %s", c->name, br,
				 c->bracketed);
		check_typed(c, r);
		if (r->form == GS1_FORM_PLAIN) {
			assert_int_equal(r->count, 0);
			assert_int_equal(r->data_len,
					 len - (r->has_aim ? 3 : 0));
			assert_memory_equal(r->data,
					    c->data + (r->has_aim ? 3 : 0),
					    r->data_len);
			continue;
		}
		/* Round trip: the bracketed form parses to the same data. */
		if (parse(br, r2, &e) != WH_OK)
			fail_msg("%s: reparse of %s: %s", c->name, br, e.msg);
		gs1_to_bracketed(r2, br2, sizeof(br2));
		assert_string_equal(br, br2);
	}
}

static void test_gtin_details(void **state)
{
	struct gs1_result *r = *state;
	struct wh_error e;

	assert_int_equal(parse("]E3950600013435212", r, &e), WH_OK);
	assert_string_equal(r->symbol, "EAN-13");
	assert_string_equal(r->addon, "12");
	assert_int_equal(parse("]E395060001343521234", r, &e), WH_ERR_INVALID);
	assert_int_equal(parse("]E3950600013435212345", r, &e), WH_OK);
	assert_string_equal(r->addon, "12345");
	assert_int_equal(parse("]E001234565", r, &e), WH_OK);
	assert_string_equal(r->symbol, "UPC-E");
	assert_int_equal(parse("]I110950600013436", r, &e), WH_OK);
	assert_string_equal(r->symbol, "ITF-14");
	assert_string_equal(r->el[0].raw, "10950600013436");
	assert_int_equal(parse("10950600013436", r, &e), WH_OK);
	assert_string_equal(r->symbol, "GTIN-14");
	assert_int_equal(parse("]E412345670", r, &e), WH_OK);
	assert_string_equal(r->symbol, "EAN-8");
	assert_int_equal(parse("036000291452", r, &e), WH_OK);
	assert_string_equal(r->symbol, "UPC-A");
	assert_string_equal(r->data, "036000291452");
}

/* --- invalid scans
 * ------------------------------------------------------------ */

static const struct {
	const char *data;
	size_t len; /* 0: strlen */
	const char *gs;
	const char *msg;
} bad_cases[] = {
    {"", 0, NULL, "empty scan"},
    {"]", 0, NULL, "symbology identifier truncated"},
    {"]C", 0, NULL, "symbology identifier truncated"},
    {"]C1", 0, NULL, "empty scan"},
    {"]C1\x1d", 0, NULL, "no AI in scan"},
    {"]C10", 0, NULL, "truncated AI '0'"},
    {"]C101", 0, NULL, "AI 01: empty"},
    {"]C10109506", 0, NULL, "AI 01: too short (5 < 14)"},
    {"]C10109506000134353", 0, NULL, "AI 01: check digit 3, expected 2"},
    {"]C100106141411234567890", 0, NULL, "AI 00: check digit 0, expected 7"},
    {"]C1010950600013435217130200\x1d\x1d"
     "10AB",
     0, NULL, "empty field at byte 25"},
    {"]C1010950600013435217251301", 0, NULL, "AI 17: month 13"},
    {"]C117250230", 0, NULL, "AI 17: day 30 (2025-02 has 28 days)"},
    {"]C110ABCDEFGHIJKLMNOPQRSTU", 0, NULL, "AI 10: too long (21 > 20)"},
    {"]C104123", 0, NULL, "unknown AI 04"},
    {"]C110A\x1d"
     "04",
     0, NULL, "unknown AI 04"},
    {"]C110A\x1d"
     "31",
     0, NULL, "truncated AI '31'"},
    {"]C110A\x1d"
     "9",
     0, NULL, "truncated AI '9'"},
    {"]C123612", 0, NULL, "unknown AI 236"},
    {"]C13106001250", 0, NULL, "unknown AI 3106"},
    {"]C1ABC", 0, NULL, "AI expected, got 'A'"},
    {"]C110AB\x07"
     "C",
     0, NULL, "AI 10: character '\\x07' not allowed"},
    {"]C110AB\0CD", 9, NULL, "AI 10: character '\\x00' not allowed"},
    {"]C110A\xc3\x28", 0, NULL, "AI 10: character '\\xc3' not allowed"},
    {"]C110A B", 0, NULL, "AI 10: character ' ' not allowed"},
    {"]C110AB\x1d\x1d"
     "21X",
     0, NULL, "empty field at byte 5"},
    {"]C1422276"
     "10ABC",
     0, NULL, "AI 422: too long (8 > 3)"},
    {"]C170032401311360", 0, NULL, "AI 7003: minute 60"},
    {"]C170032401312400", 0, NULL, "AI 7003: hour 24"},
    {"]C170032401001200", 0, NULL, "AI 7003: day 00"},
    {"]C1800824013124", 0, NULL, "AI 8008: hour 24"},
    {"]C18008240131134", 0, NULL,
     "AI 8008: minutes and seconds must be mm or mmss"},
    {"]C1800824013113456", 0, NULL,
     "AI 8008: minutes and seconds must be mm or mmss"},
    {"]C17007240101240", 0, NULL, "AI 7007: length 9 not allowed"},
    {"]C18003112345678901234", 0, NULL, "AI 8003: first digit must be 0"},
    {"]C18010ab", 0, NULL, "AI 8010: character 'a' not allowed"},
    {"]C143301234567", 0, NULL, "AI 4330: sign must be '-'"},
    {"[10]A[10]B", 0, NULL, "AI 10 appears twice with different values"},
    {"[1]A", 0, NULL, "malformed AI at byte 0"},
    {"[01]09506000134352[999]X", 0, NULL, "unknown AI 999"},
    {"[01]09506000134352x[10]A", 0, NULL, "AI 01: too long (15 > 14)"},
    {"[10A", 0, NULL, "malformed AI at byte 0"},
    {"(01)0950600013435", 0, NULL, "AI 01: too short (13 < 14)"},
    {"0109506000134352~10A", 0, "~1", "GS substitute must not contain digits"},
    {"0109506000134352~10A", 0, "01234567890123456789",
     "GS substitute longer than 16 bytes"},
    {"0109506000134352~17251301", 0, "~", "AI 17: month 13"},
    {"https://x.example/01/09506000134353", 0, NULL,
     "AI 01: check digit 3, expected 2"},
    {"https://x.example/01/09506000134352/21/S1/10/AB", 0, NULL,
     "Digital Link: qualifiers 21/10 not allowed after key 01"},
    {"https://x.example/01/09506000134352/235/X/10/AB", 0, NULL,
     "Digital Link: qualifiers 235/10 not allowed after key 01"},
    {"https://x.example/00/106141411234567897/10/AB", 0, NULL,
     "Digital Link: qualifiers 10 not allowed after key 00"},
    {"https://x.example/01/09506000134352/10/A%2", 0, NULL,
     "AI 10: bad percent-escape"},
    {"https://x.example/01/09506000134352/10/A%zz", 0, NULL,
     "AI 10: bad percent-escape"},
    {"https://x.example/01/09506000134352/10/A%1D", 0, NULL,
     "AI 10: character '\\x1d' not allowed"},
    {"https://x.example/01/09506000134352?99999=1", 0, NULL,
     "unknown AI 99999"},
    {"https://x.example/01/09506000134352?17=251301", 0, NULL,
     "AI 17: month 13"},
    {"]E09506000134353", 0, NULL, "EAN-13: check digit 3, expected 2"},
    {"]E0950600013435A", 0, NULL, "EAN-13/UPC-A/UPC-E: digits only"},
    {"]E01234567890", 0, NULL,
     "EAN-13/UPC-A/UPC-E: 10 digits is not a GTIN length"},
    {"]E021234565", 0, NULL, "UPC-E: number system 2"},
    {"]E001234566", 0, NULL, "UPC-E: check digit 6, expected 5"},
    {"]E395060001343521", 0, NULL,
     "EAN/UPC with add-on: 14 digits, expected 15 or 18"},
    {"]E4", 0, NULL, "empty scan"},
};

static void test_invalid(void **state)
{
	struct gs1_result *r = *state;
	struct wh_error e;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		size_t len = bad_cases[i].len ? bad_cases[i].len
					      : strlen(bad_cases[i].data);
		enum wh_err rc = parse_opt(bad_cases[i].data, len,
					   bad_cases[i].gs, NULL, 0, r, &e);

		if (rc != WH_ERR_INVALID || strcmp(e.msg, bad_cases[i].msg))
			fail_msg("case %zu '%s': rc %d '%s' want '%s'", i,
				 bad_cases[i].data, rc, e.msg,
				 bad_cases[i].msg);
		assert_int_equal(e.code, WH_ERR_INVALID);
	}
}

static void test_options(void **state)
{
	struct gs1_result *r = *state;
	struct gs1_options opt;
	struct wh_error e;

	/* Day 00 can be refused (GSCN 21-040). */
	assert_int_equal(parse_opt("[17]250200", SIZE_MAX, NULL, NULL,
				   GS1_OPT_NO_DD00, r, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "AI 17: day 00");
	/* The reference date is a parameter, never the clock. */
	gs1_options_init(&opt, 2060, 1, 1);
	assert_int_equal(gs1_parse("[17]100101", 10, &opt, r, &e), WH_OK);
	assert_string_equal(r->el[0].typed, "2110-01-01");
	gs1_options_init(&opt, 0, 1, 1);
	assert_int_equal(gs1_parse("[17]100101", 10, &opt, r, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "reference date: year 0 out of range");
	assert_int_equal(gs1_parse("x", 1, NULL, r, &e), WH_ERR_INVALID);
	/* A bad driver-reported AIM. */
	assert_int_equal(
	    parse_opt("0109506000134352", SIZE_MAX, NULL, "]C", 0, r, &e),
	    WH_ERR_INVALID);
	assert_int_equal(
	    parse_opt("0109506000134352", SIZE_MAX, NULL, "]?1", 0, r, &e),
	    WH_ERR_INVALID);
	/* err may be NULL. */
	gs1_options_init(&opt, TODAY_Y, TODAY_M, TODAY_D);
	assert_int_equal(gs1_parse("]C104", 5, &opt, r, NULL), WH_ERR_INVALID);
}

static void test_find(void **state)
{
	struct gs1_result *r = *state;
	struct wh_error e;
	char small[8];

	assert_int_equal(parse("[01]09506000134352[3103]001250[10]X", r, &e),
			 WH_OK);
	assert_non_null(gs1_find(r, "10"));
	assert_null(gs1_find(r, "17"));
	assert_string_equal(gs1_find_prefix(r, "310")->ai, "3103");
	assert_int_equal(gs1_find(r, "3103")->decimals, 3);
	assert_string_equal(gs1_find(r, "3103")->def->title, "NET WEIGHT (kg)");
	assert_int_equal(gs1_to_bracketed(r, small, sizeof(small)),
			 strlen("[01]09506000134352[3103]001250[10]X"));
	assert_string_equal(small, "");
	assert_int_equal(parse("[3912]978995", r, &e), WH_OK);
	assert_string_equal(r->el[0].currency, "978");
	assert_string_equal(r->el[0].typed, "9.95");
	assert_int_equal(r->el[0].type, GS1_TYPE_AMOUNT);
}

/* --- every AI: minimum, maximum, one too many, one too few --- */

/* A valid value for component cp of length n. */
static void fill_comp(const struct gs1_ai_comp *cp, size_t n, char *out)
{
	size_t i;
	int cd;

	switch (cp->lint) {
	case GS1_LINT_CSUM:
		for (i = 0; i + 1 < n; i++)
			out[i] = (char)('1' + i % 9);
		cd = gs1_check_digit(out, n - 1);
		out[n - 1] = (char)('0' + cd);
		return;
	case GS1_LINT_YYMMDD:
	case GS1_LINT_YYMMD0:
		memcpy(out, "240229", 6);
		return;
	case GS1_LINT_YYMMDDHH:
		memcpy(out, "24022923", 8);
		return;
	case GS1_LINT_HHMM:
		memcpy(out, "2359", 4);
		return;
	case GS1_LINT_MMOPTSS:
		memcpy(out, "5959", n);
		return;
	case GS1_LINT_ZERO:
		out[0] = '0';
		return;
	case GS1_LINT_HYPHEN:
		out[0] = '-';
		return;
	case GS1_LINT_YESNO:
		out[0] = '1';
		return;
	}
	for (i = 0; i < n; i++)
		out[i] = cp->cset == GS1_CSET_N ? '7' : 'K';
}

/* Builds the shortest (longest) valid value of def into v; returns len. */
static size_t build_value(const struct gs1_ai_def *def, bool longest, char *v)
{
	size_t i, n = 0;

	for (i = 0; i < GS1_MAX_COMPONENTS && def->comp[i].max; i++) {
		const struct gs1_ai_comp *cp = &def->comp[i];
		size_t l = longest ? cp->max : cp->min;

		if (!longest && cp->optional)
			break;
		if (cp->lint == GS1_LINT_MMOPTSS && l != 4)
			l = longest ? 4 : 2;
		fill_comp(cp, l, v + n);
		n += l;
	}
	return n;
}

static void test_every_ai_lengths(void **state)
{
	struct gs1_result *r = *state;
	char in[256], v[128], ai[8], want[128];
	struct wh_error e;
	size_t i, tested = 0;

	for (i = 0; i < gs1_ai_count(); i++) {
		const struct gs1_ai_def *def = gs1_ai_at(i);
		size_t min = 0, max = 0, k, vn;
		int n;

		for (k = 0; k < GS1_MAX_COMPONENTS && def->comp[k].max; k++) {
			if (!def->comp[k].optional)
				min += def->comp[k].min;
			max += def->comp[k].max;
		}
		for (n = def->n_min; n <= def->n_max; n++) {
			if (def->flags & GS1_AI_FAMILY)
				snprintf(ai, sizeof(ai), "%s%d", def->ai, n);
			else
				snprintf(ai, sizeof(ai), "%s", def->ai);
			assert_ptr_equal(gs1_ai_lookup(ai, strlen(ai)), def);

			/* Longest valid, bracketed and as element string. */
			vn = build_value(def, true, v);
			assert_int_equal(vn, max);
			snprintf(in, sizeof(in), "[%s]%.*s", ai, (int)vn, v);
			if (parse(in, r, &e) != WH_OK)
				fail_msg("%s: %s", in, e.msg);
			assert_int_equal(r->el[0].raw_len, max);
			snprintf(in, sizeof(in), "]C1%s%.*s", ai, (int)vn, v);
			if (parse(in, r, &e) != WH_OK)
				fail_msg("%s: %s", in, e.msg);

			/* One too many. */
			v[vn] = def->comp[0].cset == GS1_CSET_N ? '1' : 'K';
			if (def->comp[1].max)
				v[vn] = '1';
			snprintf(in, sizeof(in), "[%s]%.*s", ai, (int)vn + 1,
				 v);
			snprintf(want, sizeof(want),
				 "AI %s: too long (%zu > %zu)", ai, max + 1,
				 max);
			if (parse(in, r, &e) != WH_ERR_INVALID ||
			    strcmp(e.msg, want) != 0)
				fail_msg("%s: '%s' want '%s'", in, e.msg, want);
			snprintf(in, sizeof(in), "]C1%s%.*s", ai, (int)vn + 1,
				 v);
			if (parse(in, r, &e) != WH_ERR_INVALID)
				fail_msg("%s: accepted", in);

			/* Shortest valid, and one too few. */
			vn = build_value(def, false, v);
			snprintf(in, sizeof(in), "[%s]%.*s", ai, (int)vn, v);
			if (parse(in, r, &e) != WH_OK)
				fail_msg("%s: %s", in, e.msg);
			snprintf(in, sizeof(in), "[%s]%.*s", ai, (int)vn - 1,
				 v);
			if (min == 1)
				snprintf(want, sizeof(want), "AI %s: empty",
					 ai);
			else
				snprintf(want, sizeof(want),
					 "AI %s: too short (%zu < %zu)", ai,
					 min - 1, min);
			if (parse(in, r, &e) != WH_ERR_INVALID ||
			    strcmp(e.msg, want) != 0)
				fail_msg("%s: '%s' want '%s'", in, e.msg, want);
			tested++;
		}
	}
	/* Every AI the brief names is in the table. */
	{
		static const char *const must[] = {
		    "00",   "01",   "02",   "10",   "11",   "12",   "13",
		    "15",   "16",   "17",   "20",   "21",   "22",   "30",
		    "3100", "3105", "3165", "3200", "3300", "37",   "400",
		    "401",  "402",  "403",  "410",  "411",  "412",  "413",
		    "414",  "415",  "420",  "421",  "422",  "7003", "8008",
		};

		for (i = 0; i < sizeof(must) / sizeof(must[0]); i++)
			if (!gs1_ai_lookup(must[i], strlen(must[i])))
				fail_msg("AI %s missing", must[i]);
	}
	assert_true(tested > 300);
}

/* The first AI an entry stands for: "01", "3100", "91". */
static void first_ai(const struct gs1_ai_def *d, char out[8])
{
	if (d->flags & GS1_AI_FAMILY)
		snprintf(out, 8, "%s%d", d->ai, d->n_min);
	else
		snprintf(out, 8, "%s", d->ai);
}

/* The table is prefix-free and in order, or matching is ambiguous. */
static void test_table_sane(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < gs1_ai_count(); i++) {
		const struct gs1_ai_def *a = gs1_ai_at(i);

		assert_non_null(a->title);
		assert_non_null(a->name);
		assert_true(a->comp[0].max > 0);
		for (j = 0; j < gs1_ai_count(); j++) {
			const struct gs1_ai_def *b = gs1_ai_at(j);
			size_t la = strlen(a->ai), lb = strlen(b->ai);

			if (i == j || la > lb || memcmp(a->ai, b->ai, la))
				continue;
			/* a is a prefix of b: only a family with b's
			 * parameter digit out of a's range may be. */
			if (!(a->flags & GS1_AI_FAMILY) || la == lb ||
			    (b->ai[la] - '0' >= a->n_min &&
			     b->ai[la] - '0' <= a->n_max))
				fail_msg("AI %s is a prefix of AI %s", a->ai,
					 b->ai);
		}
		if (i > 0) {
			char pa[8], pb[8];

			first_ai(gs1_ai_at(i - 1), pa);
			first_ai(a, pb);
			if (strcmp(pa, pb) >= 0)
				fail_msg("AI %s listed before AI %s", pa, pb);
		}
	}
	assert_null(gs1_ai_at(gs1_ai_count()));
}

/* --- hostile inputs --- */

static void test_hostile(void **state)
{
	enum { BIG = 10000 };
	struct gs1_result *r = *state;
	char *big = malloc(BIG + 8);
	struct wh_error e;
	size_t i;

	assert_non_null(big);
	/* 10k bytes: too long to keep as plain data. */
	memset(big, 'A', BIG);
	assert_int_equal(parse_opt(big, BIG, NULL, NULL, 0, r, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "scan too long (10000 > 1024 bytes)");
	/* 10k byte lot number. */
	memcpy(big, "]C110", 5);
	assert_int_equal(parse_opt(big, BIG, NULL, NULL, 0, r, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "AI 10: too long (9995 > 20)");
	/* 10k GS bytes. */
	memset(big, GS1_GS, BIG);
	assert_int_equal(parse_opt(big, BIG, NULL, "]C1", 0, r, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "empty field at byte 1");
	/* 10k digits: "11111111" over and over is one AI 11 repeated with
	 * the same value; 9999 of them end in a short one. */
	memset(big, '1', BIG);
	assert_int_equal(parse_opt(big, BIG, NULL, "]C1", 0, r, &e), WH_OK);
	assert_int_equal(r->count, 1);
	assert_string_equal(r->el[0].typed, "2011-11-11");
	assert_int_equal(parse_opt(big, BIG - 1, NULL, "]C1", 0, r, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "AI 11: too short (5 < 6)");
	/* 1 MiB of one repeated fixed-length AI: linear time, one element. */
	{
		size_t mib = 1024 * 1024;
		char *huge = malloc(mib);

		assert_non_null(huge);
		for (i = 0; i < mib; i += 8)
			memcpy(huge + i, "17240229", 8);
		assert_int_equal(parse_opt(huge, mib, NULL, "]C1", 0, r, &e),
				 WH_OK);
		assert_int_equal(r->count, 1);
		free(huge);
	}
	/* Many AIs: 32 fit, 33 do not. */
	{
		char *p = big;
		size_t n = 0, k;

		for (i = 0; i < gs1_ai_count() && n < 33; i++) {
			const struct gs1_ai_def *d = gs1_ai_at(i);

			if ((d->flags & GS1_AI_FAMILY) || d->comp[1].max ||
			    d->comp[0].cset != GS1_CSET_X || d->comp[0].min > 1)
				continue;
			k = (size_t)snprintf(p, 16, "[%s]A", d->ai);
			p += k;
			n++;
			if (n == 32) {
				assert_int_equal(
				    parse_opt(big, (size_t)(p - big), NULL,
					      NULL, 0, r, &e),
				    WH_OK);
				assert_int_equal(r->count, 32);
			}
		}
		assert_int_equal(n, 33);
		assert_int_equal(
		    parse_opt(big, (size_t)(p - big), NULL, NULL, 0, r, &e),
		    WH_ERR_INVALID);
		assert_string_equal(e.msg, "more than 32 AIs");
	}
	/* Every prefix of a valid scan either parses or fails cleanly. */
	{
		static const char full[] = "]C1010950600013435217130200\x1d"
					   "10AB12\x1d"
					   "3103001250\x1d"
					   "8008240131134529";

		for (i = 0; i <= sizeof(full) - 1; i++) {
			char *cut = malloc(i ? i : 1);

			memcpy(cut, full, i);
			(void)parse_opt(cut, i, NULL, NULL, 0, r, &e);
			free(cut);
		}
	}
	/* Digital Link with more path segments than we look at. */
	{
		size_t n = (size_t)snprintf(big, 32, "https://x.example");

		for (i = 0; i < 200; i++)
			n += (size_t)snprintf(big + n, 8, "/01");
		assert_int_equal(parse_opt(big, n, NULL, NULL, 0, r, &e),
				 WH_OK);
		assert_int_equal(r->form, GS1_FORM_PLAIN);
	}
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_digit),
	    cmocka_unit_test(test_century),
	    cmocka_unit_test(test_date_parse),
	    cmocka_unit_test(test_decimal_format),
	    cmocka_unit_test(test_aim),
	    cmocka_unit_test_setup_teardown(test_valid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gtin_details, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_options, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_find, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_ai_lengths, setup,
					    teardown),
	    cmocka_unit_test(test_table_sane),
	    cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
