/*
 * scan_classify.c - recognise what a scan is; contract in scan_classify.h.
 */
#include "domain/scan_classify.h"

#include <string.h>

static const struct scan_rule default_rules[] = {
    {.prefix = "L-", .min_len = 3, .max_len = 32, .kind = SCAN_CLASS_LOCATION},
    {.pattern = "A-99-99", .kind = SCAN_CLASS_LOCATION},
    {.pattern = "A-99-99-99", .kind = SCAN_CLASS_LOCATION},
    {.prefix = "T",
     .min_len = 2,
     .max_len = 12,
     .rest = SCAN_REST_DIGITS,
     .kind = SCAN_CLASS_TOTE},
    {.prefix = "U",
     .min_len = 2,
     .max_len = 12,
     .rest = SCAN_REST_DIGITS,
     .kind = SCAN_CLASS_BADGE},
    {.prefix = "SO",
     .min_len = 3,
     .max_len = 20,
     .rest = SCAN_REST_DIGITS,
     .kind = SCAN_CLASS_ORDER},
    {.prefix = "1Z",
     .min_len = 18,
     .max_len = 18,
     .rest = SCAN_REST_ALNUM,
     .kind = SCAN_CLASS_TRACKING},
    {.prefix = "SKU-",
     .min_len = 5,
     .max_len = 40,
     .kind = SCAN_CLASS_SKU,
     .strip_prefix = true},
};

const struct scan_rules scan_rules_default = {
    default_rules, sizeof(default_rules) / sizeof(default_rules[0])};

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool pattern_match(const char *pat, const char *d, size_t n)
{
	size_t i = 0;

	for (; *pat; pat++, i++) {
		unsigned char c;

		if (i == n)
			return false;
		c = (unsigned char)d[i];
		switch (*pat) {
		case 'A':
			if (!is_alpha(c))
				return false;
			break;
		case '9':
			if (!is_digit(c))
				return false;
			break;
		case '#':
			if (!is_alpha(c) && !is_digit(c))
				return false;
			break;
		case '?':
			break;
		case '\\':
			if (pat[1])
				pat++;
			/* fall through */
		default:
			if ((unsigned char)*pat != c)
				return false;
			break;
		}
	}
	return i == n;
}

bool scan_rule_match(const struct scan_rule *r, const char *data, size_t n)
{
	size_t pl = r->prefix ? strlen(r->prefix) : 0, i;

	if (r->min_len && n < r->min_len)
		return false;
	if (r->max_len && n > r->max_len)
		return false;
	if (n < pl || (pl && memcmp(data, r->prefix, pl) != 0))
		return false;
	if (r->pattern && !pattern_match(r->pattern, data, n))
		return false;
	for (i = pl; i < n; i++) {
		unsigned char c = (unsigned char)data[i];

		if (r->rest == SCAN_REST_DIGITS && !is_digit(c))
			return false;
		if (r->rest == SCAN_REST_ALNUM && !is_digit(c) && !is_alpha(c))
			return false;
	}
	return true;
}

static void set_code(struct scan_class *out, const char *p, size_t n)
{
	if (n > GS1_PLAIN_MAX)
		n = GS1_PLAIN_MAX;
	memcpy(out->code, p, n);
	out->code[n] = '\0';
	out->code_len = n;
}

static void copy_str(char *dst, size_t size, const struct gs1_element *e)
{
	size_t n = e->raw_len < size - 1 ? e->raw_len : size - 1;

	memcpy(dst, e->raw, n);
	dst[n] = '\0';
}

/* Fills GTIN and item attributes; returns true if any attribute beyond
 * the GTIN itself is present. */
static bool take_item(const struct gs1_result *r, struct scan_class *out)
{
	const struct gs1_element *e;
	bool attrs = false;
	size_t i;

	if ((e = gs1_find(r, "01")) || (e = gs1_find(r, "02"))) {
		copy_str(out->gtin, sizeof(out->gtin), e);
		out->indicator = out->gtin[0] - '0';
		out->contained = e->ai[1] == '2';
	}
	if ((e = gs1_find(r, "10"))) {
		copy_str(out->lot, sizeof(out->lot), e);
		attrs = true;
	}
	if ((e = gs1_find(r, "21"))) {
		copy_str(out->serial, sizeof(out->serial), e);
		attrs = true;
	}
	if ((e = gs1_find(r, "17"))) {
		out->has_expiry = true;
		out->expiry = e->when.date;
		attrs = true;
	}
	if ((e = gs1_find(r, "15"))) {
		out->has_best_before = true;
		out->best_before = e->when.date;
		attrs = true;
	}
	if ((e = gs1_find(r, "37")) || (e = gs1_find(r, "30"))) {
		unsigned long v = 0;

		/* At most 8 digits: no overflow. */
		for (i = 0; i < e->raw_len; i++)
			v = v * 10 + (unsigned long)(e->raw[i] - '0');
		out->has_count = true;
		out->count = v;
		attrs = true;
	}
	for (i = 0; i < r->count; i++) {
		const char *ai = r->el[i].ai;

		if (strlen(ai) == 4 && ai[0] == '3' && ai[1] >= '1' &&
		    ai[1] <= '6') {
			memcpy(out->measure_ai, ai, 5);
			memcpy(out->measure, r->el[i].typed,
			       sizeof(out->measure));
			attrs = true;
			break;
		}
	}
	for (i = 0; i < r->count; i++) {
		const char *ai = r->el[i].ai;

		/* Production, packaging, sell-by dates and the like. */
		if (strcmp(ai, "11") == 0 || strcmp(ai, "13") == 0 ||
		    strcmp(ai, "16") == 0 || strcmp(ai, "7003") == 0)
			attrs = true;
	}
	return attrs;
}

enum wh_err scan_classify(const struct gs1_result *res,
			  const struct scan_rules *rules,
			  struct scan_class *out, struct wh_error *err)
{
	const struct gs1_element *e;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->rule = SCAN_NO_RULE;
	out->indicator = -1;
	if (rules) {
		for (i = 0; i < rules->count; i++) {
			const struct scan_rule *r = &rules->rule[i];

			if (r->min_len && r->max_len && r->min_len > r->max_len)
				return wh_error_set(err, WH_ERR_INVALID,
						    "scan rule %zu: min_len > "
						    "max_len",
						    i);
		}
	}
	if (res->form == GS1_FORM_PLAIN || res->form == GS1_FORM_GTIN) {
		for (i = 0; rules && i < rules->count; i++) {
			const struct scan_rule *r = &rules->rule[i];
			size_t pl;

			if (!scan_rule_match(r, res->data, res->data_len))
				continue;
			pl = r->strip_prefix && r->prefix ? strlen(r->prefix)
							  : 0;
			out->kind = r->kind;
			out->rule = i;
			set_code(out, res->data + pl, res->data_len - pl);
			if (res->form == GS1_FORM_GTIN)
				take_item(res, out);
			return WH_OK;
		}
		if (res->form == GS1_FORM_PLAIN) {
			set_code(out, res->data, res->data_len);
			return WH_OK;
		}
	}
	if ((e = gs1_find(res, "00"))) {
		out->kind = SCAN_CLASS_SSCC;
		set_code(out, e->raw, e->raw_len);
		take_item(res, out);
		return WH_OK;
	}
	if (gs1_find(res, "01") || gs1_find(res, "02")) {
		bool attrs = take_item(res, out);

		out->kind = attrs || out->contained ? SCAN_CLASS_GS1_CASE
						    : SCAN_CLASS_SKU;
		set_code(out, out->gtin, strlen(out->gtin));
		return WH_OK;
	}
	if ((e = gs1_find(res, "414"))) {
		out->kind = SCAN_CLASS_LOCATION;
		set_code(out, e->raw, e->raw_len);
	} else if ((e = gs1_find(res, "400"))) {
		out->kind = SCAN_CLASS_ORDER;
		set_code(out, e->raw, e->raw_len);
	} else if ((e = gs1_find(res, "402")) || (e = gs1_find(res, "401"))) {
		out->kind = SCAN_CLASS_TRACKING;
		set_code(out, e->raw, e->raw_len);
	}
	return WH_OK;
}

const char *scan_class_kind_name(enum scan_class_kind kind)
{
	switch (kind) {
	case SCAN_CLASS_UNKNOWN:
		return "unknown";
	case SCAN_CLASS_LOCATION:
		return "location";
	case SCAN_CLASS_SKU:
		return "sku";
	case SCAN_CLASS_GS1_CASE:
		return "gs1-case";
	case SCAN_CLASS_SSCC:
		return "sscc";
	case SCAN_CLASS_TOTE:
		return "tote";
	case SCAN_CLASS_ORDER:
		return "order";
	case SCAN_CLASS_TRACKING:
		return "tracking";
	case SCAN_CLASS_BADGE:
		return "badge";
	}
	return "unknown";
}
