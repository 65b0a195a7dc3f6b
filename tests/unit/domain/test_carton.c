/*
 * test_carton.c - carton suggestion from item sizes, as a table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/carton.h"

static void test_table(void **state)
{
	static const struct {
		const char *name;
		struct carton_item it[3];
		size_t n;
		const char *want;
		bool oversize;
	} t[] = {
		{ "nothing", { { 0 } }, 0, "C1", 0 },
		{ "one small", { { 100, 80, 40, 200, 1 } }, 1, "C1", 0 },
		/* long edge 200 > C1's 180: rotated it still does not fit */
		{ "one long", { { 40, 200, 30, 100, 1 } }, 1, "C2", 0 },
		{ "two + one", { { 150, 100, 50, 300, 2 },
				 { 100, 80, 40, 200, 1 } }, 2, "C2", 0 },
		/* volume: 5 x 1 litre needs 6.25 l at 80 % fill: C3 (9 l);
		 * 10 x 1 litre needs 12.5 l: C4 (24 l) */
		{ "five litres", { { 100, 100, 100, 100, 5 } }, 1, "C3", 0 },
		{ "ten litres", { { 100, 100, 100, 100, 10 } }, 1, "C4", 0 },
		/* weight: 3 kg of small things exceeds C1's 2 kg */
		{ "heavy", { { 50, 50, 50, 1000, 3 } }, 1, "C2", 0 },
		/* unknown sizes count as 100 mm cubes: never the smallest box */
		{ "unknown", { { 0, 0, 0, 0, 1 } }, 1, "C2", 0 },
		{ "unknown x3", { { 0, 0, 0, 0, 3 } }, 1, "C3", 0 },
		{ "too big", { { 600, 100, 100, 500, 1 } }, 1, "C5", 1 },
		{ "too heavy", { { 100, 100, 100, 40000, 1 } }, 1, "C5", 1 },
		{ "qty 0 ignored", { { 600, 600, 600, 1, 0 } }, 1, "C1", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bool over = !t[i].oversize;
		const struct carton *c = carton_suggest(t[i].it, t[i].n, &over);

		assert_non_null(c);
		if (strcmp(c->code, t[i].want) || over != t[i].oversize)
			fail_msg("%s: %s%s, want %s%s", t[i].name, c->code,
				 over ? " oversize" : "", t[i].want,
				 t[i].oversize ? " oversize" : "");
	}
	assert_non_null(carton_suggest(NULL, 0, NULL));
}

static void test_lookup(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(carton_count(), 5);
	for (i = 0; i < carton_count(); i++)
		assert_ptr_equal(carton_find(carton_at(i)->code),
				 carton_at(i));
	assert_null(carton_at(carton_count()));
	assert_null(carton_find("C9"));
	assert_null(carton_find(NULL));
	/* smallest first */
	for (i = 1; i < carton_count(); i++)
		assert_true((int64_t)carton_at(i)->l_mm * carton_at(i)->w_mm *
				    carton_at(i)->h_mm >
			    (int64_t)carton_at(i - 1)->l_mm *
				    carton_at(i - 1)->w_mm *
				    carton_at(i - 1)->h_mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
