/*
 * gs1.h - GS1 barcode data: element strings, Digital Link URIs, EAN/UPC.
 *
 * gs1_parse() turns the bytes of one scan into typed GS1 elements. It
 * reads, in this order of precedence:
 *
 *   - an AIM symbology identifier at the start ("]C1", "]E0", ...), or the
 *     one in opt->aim when the driver reported it separately;
 *   - GS1 element strings "0109506000134352" "17130200" "10AB12" with GS
 *     (0x1D) or the configured printable substitute (opt->gs_subst) as the
 *     FNC1 separator after variable-length fields;
 *   - the bracketed "[01]09506000134352[10]AB12" and parenthesised
 *     "(01)09506000134352(10)AB12" forms people type when a scanner is
 *     broken;
 *   - GS1 Digital Link URIs
 *     "https://any.domain/01/09506000134352/10/AB12?17=251231";
 *   - plain EAN-13, UPC-A, UPC-E, EAN-8 and ITF-14 digits, which become
 *     AI 01 with a GTIN-14.
 *
 * Anything else (a location label, a tote, an order number in Code 128)
 * is GS1_FORM_PLAIN: the bytes are copied into the result for
 * scan_classify() (scan_classify.h) to recognise by the warehouse's rules.
 *
 * How unidentified data is read (no AIM identifier, or a non-GS1 one
 * such as "]C0" or "]Q1"): data containing GS or the substitute is an
 * element string and errors are reported; without any identifier, bare
 * digits of GTIN length (8, 12, 13, 14) are a GTIN when the check digit
 * is right; data starting "00", "01" or "02" is tried as an element
 * string; everything else, and every failed try, is plain. So an
 * internal code never fails to scan because it happens to look like GS1,
 * while a scan that is certainly GS1 reports why it is bad.
 *
 * Mandatory and exclusive AI pairings (GS1 "req"/"ex" rules) are not
 * checked: GS1 evaluates them over all carriers on an item, and one
 * logistics label carries several barcodes. Duplicate AIs are: the same
 * AI twice with the same value is kept once, with different values it is
 * an error.
 *
 * Everything here is a pure function of its arguments: no clock, no
 * locale, no static mutable state, no heap. The reference date for the
 * GS1 century rule is a parameter. Safe from any thread.
 */
#ifndef WHARF_DOMAIN_GS1_H
#define WHARF_DOMAIN_GS1_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/aim.h"

#define GS1_GS '\x1d'	    /* the FNC1 separator as transmitted */
#define GS1_MAX_ELEMENTS 32 /* more AIs than this in one scan: error */
#define GS1_VALUE_MAX 90    /* longest AI value (AI 91-99, 8030) */
#define GS1_PLAIN_MAX 1024  /* longest plain (non-GS1) scan kept */
#define GS1_GS_SUBST_MAX 16 /* longest printable GS substitute */
#define GS1_MAX_COMPONENTS 4

/* Character sets of AI values (GS1 General Specifications 7.11). */
enum gs1_cset {
	GS1_CSET_N = 1, /* digits */
	GS1_CSET_X,	/* CSET 82: the AI encodable character set 82 */
	GS1_CSET_Y,	/* CSET 39: # - / 0-9 A-Z */
	GS1_CSET_Z,	/* CSET 64: base64url incl. '=' */
};

/* Content checks on a component, after the character set. */
enum gs1_lint {
	GS1_LINT_NONE = 0,
	GS1_LINT_CSUM,	   /* GS1 mod-10 check digit as the last digit */
	GS1_LINT_YYMMDD,   /* date, day 01-31 */
	GS1_LINT_YYMMD0,   /* date, day 00 = last day of the month */
	GS1_LINT_HHMM,	   /* 0000-2359 */
	GS1_LINT_YYMMDDHH, /* AI 8008: date and hour */
	GS1_LINT_MMOPTSS,  /* AI 8008: mm or mmss */
	GS1_LINT_ZERO,	   /* must be '0' (AI 8003 filler) */
	GS1_LINT_HYPHEN,   /* must be '-' (AI 4330-4333 negative sign) */
	GS1_LINT_YESNO,	   /* '0' or '1' */
};

/* What the typed value of an element is. */
enum gs1_type {
	GS1_TYPE_STRING = 0, /* typed == raw */
	GS1_TYPE_KEY,	     /* GTIN, SSCC, GLN...: with a check digit */
	GS1_TYPE_INT,	     /* a count: leading zeros removed */
	GS1_TYPE_DECIMAL,    /* 31nn-36nn, 390n...: "1.250" */
	GS1_TYPE_AMOUNT,     /* 391n/393n: ISO 4217 currency + decimal */
	GS1_TYPE_DATE,	     /* "2013-02-28" */
	GS1_TYPE_DATETIME,   /* "2024-01-31T13:45" (7003, 8008, 4324...) */
	/* AI 7007: "2024-01-01" or "2024-01-01/2024-01-05" */
	GS1_TYPE_DATE_RANGE,
};

/* AI table entry flags. */
#define GS1_AI_PREDEF 0x01u  /* predefined length: no FNC1 after it */
#define GS1_AI_FAMILY 0x02u  /* last AI digit is a parameter (310n, 91) */
#define GS1_AI_DECIMAL 0x04u /* ... giving the implied decimal places */

struct gs1_ai_comp {
	unsigned char cset;	/* enum gs1_cset */
	unsigned char min, max; /* length of this component */
	unsigned char optional; /* may be absent (only the last ones) */
	unsigned char lint;	/* enum gs1_lint */
};

/*
 * One AI or family of AIs. A family ("310" + n for 3100-3105) matches the
 * AI prefix followed by one digit from n_min to n_max. The table is
 * static const; pointers into it stay valid for the life of the program.
 */
struct gs1_ai_def {
	const char *ai;	     /* "01", or the family prefix "310" */
	unsigned char flags; /* GS1_AI_* */
	unsigned char n_min, n_max;
	unsigned char type; /* enum gs1_type */
	/* components in order; unused trailing slots have max == 0 */
	struct gs1_ai_comp comp[GS1_MAX_COMPONENTS];
	/*
	 * Digital Link: NULL if not a primary key, "" for a key without
	 * qualifiers, else ordered qualifier lists with alternatives, e.g.
	 * "22,10,21|235".
	 */
	const char *dl_quals;
	const char *title; /* GS1 data title: "BATCH/LOT" */
	const char *name;  /* English description: "Batch or lot number" */
};

struct gs1_date {
	int year, month, day;
};

/* A date with optional time of day: precision says how much is set. */
enum gs1_time_prec {
	GS1_PREC_DAY = 0,
	GS1_PREC_HOUR,
	GS1_PREC_MINUTE,
	GS1_PREC_SECOND,
};

struct gs1_datetime {
	struct gs1_date date;
	int hour, minute, second;
	enum gs1_time_prec prec;
};

struct gs1_element {
	char ai[5];		      /* "01", "3103", NUL-terminated */
	const struct gs1_ai_def *def; /* static table entry, never NULL */
	char raw[GS1_VALUE_MAX + 1];  /* value as scanned (percent-decoded) */
	size_t raw_len;
	enum gs1_type type;
	/* typed value as text: ISO date, "1.250", count without zeros */
	char typed[GS1_VALUE_MAX + 2];
	struct gs1_datetime when;  /* DATE, DATETIME, DATE_RANGE start */
	struct gs1_datetime until; /* DATE_RANGE end (== when if none) */
	int decimals;		   /* DECIMAL, AMOUNT: implied places */
	char currency[4];	   /* AMOUNT: ISO 4217 numeric, "978" */
};

enum gs1_form {
	GS1_FORM_PLAIN = 0, /* not GS1: see data[] */
	GS1_FORM_GTIN,	    /* EAN/UPC/ITF-14 digits: el[0] is AI 01 */
	GS1_FORM_ELEMENTS,  /* element string with FNC1/GS */
	GS1_FORM_BRACKETED, /* [01]...[10]... */
	GS1_FORM_PARENS,    /* (01)...(10)... */
	GS1_FORM_DIGITAL_LINK,
};

struct gs1_result {
	enum gs1_form form;
	bool has_aim;
	struct aim_info aim;
	size_t count; /* elements used */
	struct gs1_element el[GS1_MAX_ELEMENTS];
	/* GS1_FORM_GTIN: "EAN-13", "UPC-A", "UPC-E", "EAN-8", "ITF-14",
	 * "GTIN-14" (bare 14 digits) */
	const char *symbol; /* static string or NULL */
	char addon[6];	    /* EAN/UPC 2- or 5-digit add-on */
	/*
	 * GS1_FORM_PLAIN and GS1_FORM_GTIN: the scan's bytes after the AIM
	 * identifier, as received (may hold NUL and invalid UTF-8; data_len
	 * counts them, and data[data_len] is a NUL for convenience).
	 */
	char data[GS1_PLAIN_MAX + 1];
	size_t data_len;
};

/* gs1_options.flags */
#define GS1_OPT_NO_DD00 0x01u /* reject day 00 (GSCN 21-040 healthcare) */

struct gs1_options {
	/*
	 * Printable stand-in for GS sent by wedge scanners that cannot send
	 * 0x1D: "~", "|", "<GS>"... NUL-terminated, at most GS1_GS_SUBST_MAX
	 * bytes; NULL or "" for none. Borrowed for the call only.
	 */
	const char *gs_subst;
	/* AIM identifier reported by the driver, e.g. "]C1"; NULL if none.
	 * When set, the data is not searched for an inline identifier. */
	const char *aim;
	/* "Today" for the century rule (7.12): required, year 1000-9999.
	 * The rule uses the year only. */
	struct gs1_date today;
	unsigned flags; /* GS1_OPT_* */
};

/*
 * Fills *opt with no substitute, no AIM, no flags and today = y-m-d.
 *
 *	struct gs1_options opt;
 *	gs1_options_init(&opt, 2026, 11, 25);
 *	opt.gs_subst = "~";
 */
void gs1_options_init(struct gs1_options *opt, int year, int month, int day);

/*
 * Parses one scan: data is len bytes (not a C string: NUL and any other
 * byte may appear). opt must not be NULL. out is overwritten completely;
 * every value is copied, so nothing in *out borrows data or opt, except
 * def and aim.name pointers into static tables.
 *
 * Returns WH_OK, or WH_ERR_INVALID with a specific message in *err (err
 * may be NULL): "AI 17: month 13", "AI 01: check digit 3, expected 2",
 * "AI 10: too long (21 > 20)", "unknown AI 04",
 * "AI 10: character '\x07' not allowed". Byte offsets in messages count
 * from the end of the AIM identifier. On error *out is unspecified.
 *
 * struct gs1_result is about 10 KiB: keep it in a long-lived structure
 * or on the heap in threads with small stacks.
 *
 *	struct gs1_result r;
 *	struct wh_error e;
 *	if (gs1_parse(buf, n, &opt, &r, &e) != WH_OK)
 *		show(e.msg);
 *	const struct gs1_element *lot = gs1_find(&r, "10");
 */
enum wh_err gs1_parse(const char *data, size_t len,
		      const struct gs1_options *opt, struct gs1_result *out,
		      struct wh_error *err);

/* The first element with AI ai ("17", "3103"), or NULL. */
const struct gs1_element *gs1_find(const struct gs1_result *r, const char *ai);

/*
 * The first element whose AI starts with prefix ("310" finds 3100-3105),
 * or NULL.
 */
const struct gs1_element *gs1_find_prefix(const struct gs1_result *r,
					  const char *prefix);

/*
 * Writes the elements of r as "[01]09506000134352[10]AB12" into buf
 * (size bytes, always NUL-terminated when size > 0). Returns the length
 * the full string needs, like snprintf: a return >= size means truncated.
 * Parsing the output gives the same elements back.
 */
size_t gs1_to_bracketed(const struct gs1_result *r, char *buf, size_t size);

/*
 * The GS1 mod-10 check digit (0-9) for the n data digits (without the
 * check digit): weights 3,1,3,... from the rightmost. Returns -1 if n is
 * 0 or a byte is not a digit. gs1_check_digit("0950600013435", 13) == 2.
 */
int gs1_check_digit(const char *digits, size_t n);

/* True if the last of the n digits is the right check digit for the rest. */
bool gs1_check_digit_ok(const char *digits, size_t n);

/*
 * The full year for a two-digit year yy (0-99) by the GS1 century rule
 * (General Specifications 7.12): the year lies from 49 years before to 50
 * years after ref_year. gs1_century(99, 2026) == 1999,
 * gs1_century(76, 2026) == 2076.
 */
int gs1_century(int yy, int ref_year);

/* Days in month (1-12) of year, Gregorian leap years; 0 if month bad. */
int gs1_days_in_month(int year, int month);

#define GS1_DATE_DD00 0x01u /* gs1_date_parse: day 00 = last day */

/*
 * Parses a YYMMDD date (len must be 6) with the century rule against
 * ref_year. With GS1_DATE_DD00 in flags, day 00 means the last day of the
 * month ("130200" -> 2013-02-28, "240200" -> 2024-02-29). Errors:
 * WH_ERR_INVALID with "month 13", "day 32", "day 30 (2023-02 has 28
 * days)", "day 00", "date must be 6 digits" (no AI prefix: the caller
 * adds one).
 */
enum wh_err gs1_date_parse(const char *yymmdd, size_t len, int ref_year,
			   unsigned flags, struct gs1_date *out,
			   struct wh_error *err);

/*
 * Formats digits (n of them, all '0'-'9') with an implied decimal point
 * decimals places from the right: ("001250", 6, 3) -> "1.250",
 * ("5", 1, 2) -> "0.05", ("000120", 6, 0) -> "120". Never uses floating
 * point. Returns the length needed (like snprintf); buf always
 * NUL-terminated when size > 0.
 */
size_t gs1_decimal_format(const char *digits, size_t n, int decimals, char *buf,
			  size_t size);

/*
 * AI table lookups (gs1_ai.c). gs1_ai_lookup takes an exact AI ("01",
 * "3103") of len bytes and returns its definition or NULL.
 * gs1_ai_match reads the AI at the start of buf (the bytes that follow
 * are the value): it returns the definition and sets *ai_len, or returns
 * NULL with *ai_len set to how many digits name the unknown AI in an
 * error message (0 if buf does not start with a digit).
 */
const struct gs1_ai_def *gs1_ai_lookup(const char *ai, size_t len);
const struct gs1_ai_def *gs1_ai_match(const char *buf, size_t len,
				      size_t *ai_len);

/* The number of AI table entries and entry i, for tools and tests. */
size_t gs1_ai_count(void);
const struct gs1_ai_def *gs1_ai_at(size_t i);

/* "element-string", "gtin", ... for enum gs1_form; "date", ... for types. */
const char *gs1_form_name(enum gs1_form form);
const char *gs1_type_name(enum gs1_type type);

#endif
