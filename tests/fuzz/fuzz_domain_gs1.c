/*
 * fuzz_domain_gs1.c - libFuzzer harness for gs1_parse, aim_lookup and
 * scan_classify.
 *
 * Input layout: byte 0 selects the options, the rest is the scan.
 *   bits 0-1: GS substitute (none, "~", "|", "<GS>")
 *   bit 2:    GS1_OPT_NO_DD00
 *   bit 3:    driver-reported AIM "]C1"
 *   bits 4-7: reference year 1990 + 7 * n (1990-2095), for the century
 *             rule
 *
 * Besides "does not crash", it checks what the parser promises: values
 * fit and are NUL-terminated, every element names its table entry, and a
 * parsed scan written back as bracketed text and as an element string
 * parses to the same elements.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/aim.h"
#include "domain/gs1.h"
#include "domain/scan_classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/* Room for 32 elements written out: "[" AI "]" value, or AI value GS. */
#define TEXT_MAX (GS1_MAX_ELEMENTS * (GS1_VALUE_MAX + 8) + 4)

/* Results are large; keep them off the fuzzer's stack. */
struct work {
	struct gs1_result r, r2;
	struct scan_class sc;
	char br[TEXT_MAX], br2[TEXT_MAX], es[TEXT_MAX];
};

static void check_result(const struct gs1_result *r)
{
	size_t i;

	CHECK(r->count <= GS1_MAX_ELEMENTS);
	if (r->form == GS1_FORM_PLAIN) {
		CHECK(r->count == 0);
		CHECK(r->data_len <= GS1_PLAIN_MAX);
		CHECK(r->data[r->data_len] == '\0');
		return;
	}
	CHECK(r->count > 0);
	for (i = 0; i < r->count; i++) {
		const struct gs1_element *e = &r->el[i];

		CHECK(e->def != NULL);
		CHECK(gs1_ai_lookup(e->ai, strlen(e->ai)) == e->def);
		CHECK(e->raw_len > 0 && e->raw_len <= GS1_VALUE_MAX);
		CHECK(strlen(e->raw) == e->raw_len);
		CHECK(memchr(e->typed, '\0', sizeof(e->typed)) != NULL);
	}
}

/* The elements of r as an element string with GS after variable ones. */
static size_t to_element_string(const struct gs1_result *r, char *buf)
{
	size_t i, n = 0;

	memcpy(buf, "]C1", 3);
	n = 3;
	for (i = 0; i < r->count; i++) {
		const struct gs1_element *e = &r->el[i];
		size_t al = strlen(e->ai);

		memcpy(buf + n, e->ai, al);
		n += al;
		memcpy(buf + n, e->raw, e->raw_len);
		n += e->raw_len;
		if (!(e->def->flags & GS1_AI_PREDEF) && i + 1 < r->count)
			buf[n++] = GS1_GS;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const subst[] = {NULL, "~", "|", "<GS>"};
	struct gs1_options opt, plain;
	struct wh_error err;
	struct aim_info ai;
	struct gs1_date d;
	struct work *w;
	const char *p;
	unsigned sel;
	size_t n;

	if (size == 0)
		return 0;
	sel = data[0];
	p = (const char *)data + 1;
	n = size - 1;
	w = malloc(sizeof(*w));
	CHECK(w != NULL);

	gs1_options_init(&opt, 1990 + 7 * (int)(sel >> 4), 6, 15);
	opt.gs_subst = subst[sel & 3];
	opt.flags = (sel & 4) ? GS1_OPT_NO_DD00 : 0;
	opt.aim = (sel & 8) ? "]C1" : NULL;

	/* The small helpers must cope with anything too. */
	(void)aim_lookup(p, n, &ai, NULL);
	(void)gs1_check_digit(p, n < 20 ? n : 20);
	(void)gs1_check_digit_ok(p, n < 20 ? n : 20);
	if (n >= 6)
		(void)gs1_date_parse(p, 6, opt.today.year, GS1_DATE_DD00, &d,
				     NULL);

	wh_error_clear(&err);
	if (gs1_parse(p, n, &opt, &w->r, &err) != WH_OK) {
		CHECK(err.code == WH_ERR_INVALID);
		CHECK(err.msg[0] != '\0');
		goto out;
	}
	check_result(&w->r);
	CHECK(scan_classify(&w->r, &scan_rules_default, &w->sc, NULL) == WH_OK);
	CHECK(w->sc.code_len <= GS1_PLAIN_MAX);
	if (w->r.count == 0)
		goto out;

	/* Round trips: bracketed text and element string. */
	gs1_options_init(&plain, opt.today.year, 6, 15);
	plain.flags = opt.flags;
	CHECK(gs1_to_bracketed(&w->r, w->br, sizeof(w->br)) < sizeof(w->br));
	if (gs1_parse(w->br, strlen(w->br), &plain, &w->r2, &err) != WH_OK) {
		fprintf(stderr, "reparse of %s: %s\n", w->br, err.msg);
		abort();
	}
	gs1_to_bracketed(&w->r2, w->br2, sizeof(w->br2));
	CHECK(strcmp(w->br, w->br2) == 0);

	n = to_element_string(&w->r, w->es);
	if (gs1_parse(w->es, n, &plain, &w->r2, &err) != WH_OK) {
		fprintf(stderr, "element string of %s: %s\n", w->br, err.msg);
		abort();
	}
	gs1_to_bracketed(&w->r2, w->br2, sizeof(w->br2));
	CHECK(strcmp(w->br, w->br2) == 0);
out:
	free(w);
	return 0;
}
