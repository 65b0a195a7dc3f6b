/*
 * scan_classify.h - what a scan is: a bin location, a SKU, a GS1 case, an
 * SSCC, a tote, an order, a tracking number or a user badge.
 *
 * GS1 data is recognised by its AIs. Everything else (and bare EAN/UPC
 * digits, which a warehouse may reuse for internal codes) is matched
 * against the warehouse's rules: an ordered list of prefix / shape /
 * length rules, first match wins. No regular expressions: the rules are
 * configuration a supervisor edits, and must not be able to hang a
 * station.
 *
 * Pack quantities of case GTINs are the database's business: the
 * classifier exposes the GTIN-14 and its indicator digit only.
 *
 * Pure functions, no state: safe from any thread.
 */
#ifndef WHARF_DOMAIN_SCAN_CLASSIFY_H
#define WHARF_DOMAIN_SCAN_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/gs1.h"

enum scan_class_kind {
	SCAN_CLASS_UNKNOWN = 0,
	SCAN_CLASS_LOCATION, /* a bin or other place: rule, or GS1 AI 414 */
	SCAN_CLASS_SKU, /* a GTIN alone (EAN/UPC/ITF-14, AI 01) or internal code
			 */
	SCAN_CLASS_GS1_CASE, /* a GTIN with lot, dates, count or measure (or AI
				02) */
	SCAN_CLASS_SSCC,     /* a logistic unit, AI 00 */
	SCAN_CLASS_TOTE,
	SCAN_CLASS_ORDER,    /* rule, or GS1 AI 400 */
	SCAN_CLASS_TRACKING, /* rule, or GS1 AI 401/402 */
	SCAN_CLASS_BADGE,    /* a user's badge */
};

/* What the bytes after a rule's prefix must be. */
enum scan_rest {
	SCAN_REST_ANY = 0,
	SCAN_REST_DIGITS, /* 0-9 only */
	SCAN_REST_ALNUM,  /* 0-9 A-Z a-z only */
};

/*
 * One rule. All given conditions must hold:
 *   prefix   - the scan starts with these bytes (NULL or "": any);
 *   pattern  - the whole scan has this shape (NULL: any): 'A' a letter,
 *              '9' a digit, '#' a letter or digit, '?' any byte, '\'
 *              makes the next character literal, anything else matches
 *              itself. "A-99-99" matches "B-01-17";
 *   min_len, max_len - bounds on the scan's length in bytes (0: none);
 *   rest     - the bytes after the prefix.
 * code is the scan without the prefix when strip_prefix is set, else the
 * whole scan.
 */
struct scan_rule {
	const char *prefix;
	const char *pattern;
	size_t min_len, max_len;
	enum scan_rest rest;
	enum scan_class_kind kind;
	bool strip_prefix;
};

struct scan_rules {
	const struct scan_rule *rule; /* borrowed */
	size_t count;
};

/*
 * A small default set for the demo and for `wharf scan decode`: "L-..."
 * and "A-99-99"/"A-99-99-99" locations, "T<digits>" totes, "U<digits>"
 * badges, "SO<digits>" orders, UPS "1Z..." tracking, "SKU-..." SKUs.
 */
extern const struct scan_rules scan_rules_default;

#define SCAN_NO_RULE ((size_t)-1)
#define SCAN_LOT_MAX 20

/*
 * The classification of one scan. Everything is copied: nothing points
 * into the gs1_result.
 */
struct scan_class {
	enum scan_class_kind kind;
	/* Index of the rule that matched; SCAN_NO_RULE if GS1 decided. */
	size_t rule;
	/* Location, tote, order, badge, tracking number, internal SKU,
	 * SSCC or GLN; code_len bytes (it may hold NUL), NUL-terminated. */
	char code[GS1_PLAIN_MAX + 1];
	size_t code_len;
	/* GTIN-14, "" if none. indicator is gtin[0] as a number, -1 if
	 * none: 0 a base unit, 1-8 a grouping (case, pack), 9 a variable
	 * measure item. contained: the GTIN is AI 02, the contents of a
	 * logistic unit. */
	char gtin[15];
	int indicator;
	bool contained;
	char lot[SCAN_LOT_MAX + 1];    /* AI 10, "" if none */
	char serial[SCAN_LOT_MAX + 1]; /* AI 21, "" if none */
	bool has_expiry;	       /* AI 17 */
	struct gs1_date expiry;
	bool has_best_before; /* AI 15 */
	struct gs1_date best_before;
	bool has_count; /* AI 37, else AI 30 */
	unsigned long count;
	/* The first AI 31nn-36nn, "" if none, and its value: "1.250". */
	char measure_ai[5];
	char measure[GS1_VALUE_MAX + 2];
};

/*
 * Classifies a parsed scan (from gs1_parse) by its GS1 content and, for
 * plain data and bare EAN/UPC digits, by rules (NULL: no rules). Fills
 * *out and returns WH_OK; a scan nothing recognises is
 * SCAN_CLASS_UNKNOWN, not an error. WH_ERR_INVALID only for a malformed
 * rule (min_len > max_len), with a message in *err (err may be NULL).
 *
 *	struct scan_class sc;
 *	if (gs1_parse(buf, n, &opt, &r, &err) == WH_OK &&
 *	    scan_classify(&r, &site_rules, &sc, &err) == WH_OK &&
 *	    sc.kind == SCAN_CLASS_GS1_CASE && sc.indicator >= 1 &&
 *	    sc.indicator <= 8)
 *		qty = pack_qty_from_db(sc.gtin);
 */
enum wh_err scan_classify(const struct gs1_result *res,
			  const struct scan_rules *rules,
			  struct scan_class *out, struct wh_error *err);

/* True if rule r matches the n bytes at data; for tests and editors. */
bool scan_rule_match(const struct scan_rule *r, const char *data, size_t n);

/* "location", "sku", "gs1-case", "sscc", "tote", "order", "tracking",
 * "badge", "unknown". */
const char *scan_class_kind_name(enum scan_class_kind kind);

#endif
