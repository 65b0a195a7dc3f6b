/*
 * test_scale.c - the scale's serial line and typed weights, as tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/scale.h"

static void test_lines(void **state)
{
	static const struct {
		const char *line;
		bool bare_grams, no_net;
		enum scale_status st;
		int32_t grams;
		bool net;
	} t[] = {
		{ "ST,GS,+  1.250kg", 0, 0, SCALE_OK, 1250, 0 },
		{ "ST,GS,+  1.250kg\r\n", 0, 0, SCALE_OK, 1250, 0 },
		{ "ST,NT,+  0.085kg", 0, 0, SCALE_OK, 85, 1 },
		{ "ST,NT,+  0.085kg", 0, 1, SCALE_BAD, 0, 1 },
		{ "US,GS,+  1.240kg", 0, 0, SCALE_UNSTABLE, 1240, 0 },
		{ "OL,GS,+  9.999kg", 0, 0, SCALE_OVERLOAD, 0, 0 },
		{ "ST,GS,-  0.010kg", 0, 0, SCALE_NEGATIVE, 0, 0 },
		{ "ST,GS,-  0.000kg", 0, 0, SCALE_OK, 0, 0 },
		{ "ST,TR,+  0.100kg", 0, 0, SCALE_TARE, 0, 0 },
		{ "ST,GS,+    850g", 0, 0, SCALE_OK, 850, 0 },
		{ "ST,GS,+  850.6 g", 0, 0, SCALE_OK, 851, 0 },
		{ "ST,GS,+   2.00lb", 0, 0, SCALE_OK, 907, 0 },
		{ "ST,GS,+  1.2505kg", 0, 0, SCALE_OK, 1251, 0 },
		{ "ST,GS,+     1.5", 0, 0, SCALE_OK, 1500, 0 },
		{ "ST,GS,+     850", 1, 0, SCALE_OK, 850, 0 },
		{ "ST,GS,+ 151.000kg", 0, 0, SCALE_BAD, 0, 0 },
		{ "ST,GS,+  1.250oz", 0, 0, SCALE_BAD, 0, 0 },
		{ "ST,GS,+  1.2.5kg", 0, 0, SCALE_BAD, 0, 0 },
		{ "ST,GS,+     kg", 0, 0, SCALE_BAD, 0, 0 },
		{ "XX,GS,+  1.250kg", 0, 0, SCALE_BAD, 0, 0 },
		{ "ST;GS;+  1.250kg", 0, 0, SCALE_BAD, 0, 0 },
		{ "ST,ZZ,+  1.250kg", 0, 0, SCALE_BAD, 0, 0 },
		{ "ST,GS", 0, 0, SCALE_BAD, 0, 0 },
		{ "", 0, 0, SCALE_BAD, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct scale_format f = { .accept_net = !t[i].no_net,
					  .bare_grams = t[i].bare_grams };
		struct scale_reading r;
		enum scale_status st;

		st = scale_parse_line(t[i].line, strlen(t[i].line), &f, &r);
		if (st != t[i].st || r.status != st ||
		    (st == SCALE_OK && r.grams != t[i].grams))
			fail_msg("'%s': status %d grams %d, want %d %d",
				 t[i].line, st, (int)r.grams, t[i].st,
				 (int)t[i].grams);
		if (st == SCALE_OK)
			assert_int_equal(r.net, t[i].net);
	}
	/* NULL format: the defaults (nets accepted, bare = kg) */
	{
		struct scale_reading r;

		assert_int_equal(scale_parse_line("ST,NT,+ 2", 9, NULL, &r),
				 SCALE_OK);
		assert_int_equal(r.grams, 2000);
		assert_int_equal(scale_parse_line(NULL, 0, NULL, &r),
				 SCALE_BAD);
	}
}

static void test_typed(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		int32_t grams;
	} t[] = {
		{ "1.25", 1, 1250 }, { "1.25kg", 1, 1250 },
		{ " 0.5 kg ", 1, 500 }, { "850g", 1, 850 },
		{ "850 G", 1, 850 }, { "2", 1, 2000 }, { ".3", 1, 300 },
		{ "0", 0, 0 }, { "0.0004", 0, 0 }, { "", 0, 0 },
		{ "abc", 0, 0 }, { "1.25 kgs", 0, 0 }, { "-1", 0, 0 },
		{ "151", 0, 0 }, { "1e3", 0, 0 }, { "1,25", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int32_t g = -7;
		bool ok = scale_parse_typed(t[i].s, &g);

		if (ok != t[i].ok || (ok && g != t[i].grams))
			fail_msg("'%s': %d %d, want %d %d", t[i].s, ok,
				 (int)g, t[i].ok, (int)t[i].grams);
	}
	assert_false(scale_parse_typed(NULL, NULL));
}

static void test_format(void **state)
{
	char buf[32];

	(void)state;
	scale_format_kg(1250, buf, sizeof(buf));
	assert_string_equal(buf, "1.250 kg");
	scale_format_kg(85, buf, sizeof(buf));
	assert_string_equal(buf, "0.085 kg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
