/*
 * gs1.c - GS1 scan parser: element strings, bracketed and parenthesised
 * text, Digital Link URIs and bare EAN/UPC/ITF-14 digits.
 *
 * The parser works on (pointer, length) byte ranges of the caller's
 * buffer and copies each accepted value into the fixed-size result; it
 * never reads past len and never allocates. The contract is in gs1.h.
 */
#include "domain/gs1.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* State of one gs1_parse() call. */
struct pctx {
	const struct gs1_options *opt;
	struct gs1_result *out;
	struct wh_error *err;
	const char *subst; /* GS substitute or NULL */
	size_t subst_len;
};

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)p[i]))
			return false;
	return true;
}

/* CSET 82: ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z */
static bool in_cset82(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return true;
	if (c >= '%' && c <= '?') /* % & ' ( ) * + , - . / 0-9 : ; < = > ? */
		return true;
	return c == '!' || c == '"' || c == '_';
}

/* CSET 39: # - / 0-9 A-Z */
static bool in_cset39(unsigned char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || c == '#' || c == '-' ||
	       c == '/';
}

/* CSET 64: A-Z a-z 0-9 - _ = (base64url with padding) */
static bool in_cset64(unsigned char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '=';
}

static bool in_cset(enum gs1_cset cs, unsigned char c)
{
	switch (cs) {
	case GS1_CSET_N:
		return is_digit(c);
	case GS1_CSET_X:
		return in_cset82(c);
	case GS1_CSET_Y:
		return in_cset39(c);
	case GS1_CSET_Z:
		return in_cset64(c);
	}
	return false;
}

/* A byte for an error message: itself if printable, else \xHH. */
static void show_char(unsigned char c, char buf[8])
{
	if (c >= 0x20 && c < 0x7f && c != '\\')
		snprintf(buf, 8, "%c", c);
	else
		snprintf(buf, 8, "\\x%02x", c);
}

/* Length of the FNC1 separator at p (n bytes left): 0 if none. */
static size_t sep_at(const struct pctx *c, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (p[0] == GS1_GS)
		return 1;
	if (c->subst_len && n >= c->subst_len &&
	    memcmp(p, c->subst, c->subst_len) == 0)
		return c->subst_len;
	return 0;
}

/* Offset of the first separator in p[0..n), or n. */
static size_t find_sep(const struct pctx *c, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sep_at(c, p + i, n - i))
			return i;
	return n;
}

/* --- check digits, dates, decimals --- */

int gs1_check_digit(const char *digits, size_t n)
{
	unsigned sum = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char d = (unsigned char)digits[n - 1 - i];

		if (!is_digit(d))
			return -1;
		sum += (unsigned)(d - '0') * (i % 2 == 0 ? 3u : 1u);
	}
	return (int)((10 - sum % 10) % 10);
}

bool gs1_check_digit_ok(const char *digits, size_t n)
{
	if (n < 2 || !is_digit((unsigned char)digits[n - 1]))
		return false;
	return gs1_check_digit(digits, n - 1) == digits[n - 1] - '0';
}

int gs1_century(int yy, int ref_year)
{
	int cur = ref_year % 100;
	int century = ref_year - cur;
	int diff = yy - cur;

	if (diff > 50)
		century -= 100;
	else if (diff < -49)
		century += 100;
	return century + yy;
}

int gs1_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	bool leap;

	if (month < 1 || month > 12)
		return 0;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

static int two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

enum wh_err gs1_date_parse(const char *yymmdd, size_t len, int ref_year,
			   unsigned flags, struct gs1_date *out,
			   struct wh_error *err)
{
	int y, m, d, dim;

	if (len != 6 || !all_digits(yymmdd, len))
		return wh_error_set(err, WH_ERR_INVALID,
				    "date must be 6 digits");
	y = gs1_century(two(yymmdd), ref_year);
	m = two(yymmdd + 2);
	d = two(yymmdd + 4);
	if (m < 1 || m > 12)
		return wh_error_set(err, WH_ERR_INVALID, "month %02d", m);
	dim = gs1_days_in_month(y, m);
	if (d == 0) {
		if (!(flags & GS1_DATE_DD00))
			return wh_error_set(err, WH_ERR_INVALID, "day 00");
		d = dim;
	} else if (d > dim) {
		if (d > 31)
			return wh_error_set(err, WH_ERR_INVALID, "day %02d", d);
		return wh_error_set(err, WH_ERR_INVALID,
				    "day %02d (%04d-%02d has %d days)", d, y, m,
				    dim);
	}
	out->year = y;
	out->month = m;
	out->day = d;
	return WH_OK;
}

size_t gs1_decimal_format(const char *digits, size_t n, int decimals, char *buf,
			  size_t size)
{
	char tmp[64];
	size_t k = 0, i, ip, lead = 0;

	if (decimals < 0)
		decimals = 0;
	/* Integer part: the digits left of the point, zeros stripped. */
	ip = n > (size_t)decimals ? n - (size_t)decimals : 0;
	while (lead + 1 < ip && digits[lead] == '0')
		lead++;
	if (ip == 0)
		tmp[k++] = '0';
	for (i = lead; i < ip && k < sizeof(tmp) - 1; i++)
		tmp[k++] = digits[i];
	if (decimals > 0 && k < sizeof(tmp) - 1) {
		size_t pad = (size_t)decimals > n ? (size_t)decimals - n : 0;

		tmp[k++] = '.';
		for (i = 0; i < pad && k < sizeof(tmp) - 1; i++)
			tmp[k++] = '0';
		for (i = ip; i < n && k < sizeof(tmp) - 1; i++)
			tmp[k++] = digits[i];
	}
	tmp[k] = '\0';
	if (size > 0)
		snprintf(buf, size, "%s", tmp);
	return k;
}

/* --- elements --- */

static size_t def_ncomp(const struct gs1_ai_def *d)
{
	size_t i;

	for (i = 0; i < GS1_MAX_COMPONENTS && d->comp[i].max; i++)
		;
	return i;
}

static void fmt_date(char *buf, size_t size, const struct gs1_datetime *t)
{
	const struct gs1_date *d = &t->date;

	switch (t->prec) {
	case GS1_PREC_DAY:
		snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month,
			 d->day);
		break;
	case GS1_PREC_HOUR:
		snprintf(buf, size, "%04d-%02d-%02dT%02d", d->year, d->month,
			 d->day, t->hour);
		break;
	case GS1_PREC_MINUTE:
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d", d->year,
			 d->month, d->day, t->hour, t->minute);
		break;
	case GS1_PREC_SECOND:
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", d->year,
			 d->month, d->day, t->hour, t->minute, t->second);
		break;
	}
}

/*
 * Content check of one component (already in the right character set).
 * Dates and times go into el->when (component 0) or el->until.
 */
static enum wh_err lint_comp(const struct pctx *c, struct gs1_element *el,
			     size_t ci, const struct gs1_ai_comp *cp,
			     const char *v, size_t n)
{
	struct gs1_datetime *t = ci == 0 ? &el->when : &el->until;
	unsigned flags = 0;
	int want, hh, mm;

	switch ((enum gs1_lint)cp->lint) {
	case GS1_LINT_NONE:
		return WH_OK;
	case GS1_LINT_CSUM:
		want = gs1_check_digit(v, n - 1);
		if (want != v[n - 1] - '0')
			return wh_error_set(
			    c->err, WH_ERR_INVALID,
			    "AI %s: check digit %c, expected %d", el->ai,
			    v[n - 1], want);
		return WH_OK;
	case GS1_LINT_YYMMD0:
		if (!(c->opt->flags & GS1_OPT_NO_DD00))
			flags = GS1_DATE_DD00;
		/* fall through */
	case GS1_LINT_YYMMDD:
	case GS1_LINT_YYMMDDHH:
		if (gs1_date_parse(v, 6, c->opt->today.year, flags, &t->date,
				   c->err) != WH_OK) {
			wh_error_prefix(c->err, "AI %s", el->ai);
			return WH_ERR_INVALID;
		}
		t->prec = GS1_PREC_DAY;
		if (cp->lint != GS1_LINT_YYMMDDHH)
			return WH_OK;
		hh = two(v + 6);
		if (hh > 23)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: hour %02d", el->ai, hh);
		t->hour = hh;
		t->prec = GS1_PREC_HOUR;
		return WH_OK;
	case GS1_LINT_HHMM:
		/* Time of the date in component 0. */
		hh = two(v);
		mm = two(v + 2);
		if (hh > 23)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: hour %02d", el->ai, hh);
		if (mm > 59)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: minute %02d", el->ai, mm);
		el->when.hour = hh;
		el->when.minute = mm;
		el->when.prec = GS1_PREC_MINUTE;
		return WH_OK;
	case GS1_LINT_MMOPTSS:
		if (n != 2 && n != 4)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: minutes and seconds must "
					    "be mm or mmss",
					    el->ai);
		mm = two(v);
		if (mm > 59)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: minute %02d", el->ai, mm);
		el->when.minute = mm;
		el->when.prec = GS1_PREC_MINUTE;
		if (n == 4) {
			int ss = two(v + 2);

			if (ss > 59)
				return wh_error_set(c->err, WH_ERR_INVALID,
						    "AI %s: second %02d",
						    el->ai, ss);
			el->when.second = ss;
			el->when.prec = GS1_PREC_SECOND;
		}
		return WH_OK;
	case GS1_LINT_ZERO:
		if (v[0] != '0')
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: first digit must be 0",
					    el->ai);
		return WH_OK;
	case GS1_LINT_HYPHEN:
		if (v[0] != '-')
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: sign must be '-'", el->ai);
		return WH_OK;
	case GS1_LINT_YESNO:
		if (v[0] != '0' && v[0] != '1')
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: must be 0 or 1", el->ai);
		return WH_OK;
	}
	return WH_OK;
}

/* Fills el->typed (and decimals/currency) from a validated raw value. */
static void make_typed(struct gs1_element *el, size_t comp1_off)
{
	const char *v = el->raw;
	size_t n = el->raw_len, i = 0;

	switch (el->type) {
	case GS1_TYPE_STRING:
	case GS1_TYPE_KEY:
		memcpy(el->typed, v, n);
		el->typed[n] = '\0';
		break;
	case GS1_TYPE_INT:
		while (i + 1 < n && v[i] == '0')
			i++;
		memcpy(el->typed, v + i, n - i);
		el->typed[n - i] = '\0';
		break;
	case GS1_TYPE_DECIMAL:
		gs1_decimal_format(v, n, el->decimals, el->typed,
				   sizeof(el->typed));
		break;
	case GS1_TYPE_AMOUNT:
		memcpy(el->currency, v, 3);
		el->currency[3] = '\0';
		gs1_decimal_format(v + 3, n - 3, el->decimals, el->typed,
				   sizeof(el->typed));
		break;
	case GS1_TYPE_DATE:
	case GS1_TYPE_DATETIME:
		fmt_date(el->typed, sizeof(el->typed), &el->when);
		break;
	case GS1_TYPE_DATE_RANGE:
		if (comp1_off < n) {
			char a[16], b[16];

			fmt_date(a, sizeof(a), &el->when);
			fmt_date(b, sizeof(b), &el->until);
			snprintf(el->typed, sizeof(el->typed), "%s/%s", a, b);
		} else {
			el->until = el->when;
			fmt_date(el->typed, sizeof(el->typed), &el->when);
		}
		break;
	}
}

/*
 * Checks value v (n bytes) of AI ai against its definition and fills *el.
 * The length is checked first, so v may be a buffer holding fewer than n
 * bytes when n exceeds the AI's maximum (Digital Link decoding).
 */
static enum wh_err make_element(const struct pctx *c, struct gs1_element *el,
				const struct gs1_ai_def *def, const char *ai,
				size_t ailen, const char *v, size_t n)
{
	size_t nc = def_ncomp(def), i, k, off = 0, min = 0, max = 0;
	size_t comp1_off = SIZE_MAX;
	enum wh_err rc;

	memset(el, 0, sizeof(*el));
	memcpy(el->ai, ai, ailen);
	el->ai[ailen] = '\0';
	el->def = def;
	el->type = (enum gs1_type)def->type;
	if (def->flags & GS1_AI_DECIMAL)
		el->decimals = ai[ailen - 1] - '0';
	for (i = 0; i < nc; i++) {
		if (!def->comp[i].optional)
			min += def->comp[i].min;
		max += def->comp[i].max;
	}
	if (n == 0)
		return wh_error_set(c->err, WH_ERR_INVALID, "AI %s: empty",
				    el->ai);
	if (n > max)
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "AI %s: too long (%zu > %zu)", el->ai, n,
				    max);
	if (n < min)
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "AI %s: too short (%zu < %zu)", el->ai, n,
				    min);
	for (i = 0; i < nc; i++) {
		const struct gs1_ai_comp *cp = &def->comp[i];
		size_t rem = n - off, take;

		if (rem == 0 && cp->optional)
			break;
		take = rem < cp->max ? rem : cp->max;
		if (take < cp->min)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: length %zu not allowed",
					    el->ai, n);
		for (k = 0; k < take; k++) {
			unsigned char ch = (unsigned char)v[off + k];
			char s[8];

			if (in_cset((enum gs1_cset)cp->cset, ch))
				continue;
			show_char(ch, s);
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "AI %s: character '%s' not allowed",
					    el->ai, s);
		}
		rc = lint_comp(c, el, i, cp, v + off, take);
		if (rc != WH_OK)
			return rc;
		if (i == 1)
			comp1_off = off;
		off += take;
	}
	if (off < n)
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "AI %s: length %zu not allowed", el->ai, n);
	memcpy(el->raw, v, n);
	el->raw[n] = '\0';
	el->raw_len = n;
	make_typed(el, comp1_off);
	return WH_OK;
}

/*
 * Validates and appends one element. The same AI twice with the same
 * value is kept once (scanners and people repeat data); with different
 * values the scan is contradictory.
 */
static enum wh_err add_element(struct pctx *c, const struct gs1_ai_def *def,
			       const char *ai, size_t ailen, const char *v,
			       size_t n)
{
	struct gs1_result *r = c->out;
	struct gs1_element *el;
	enum wh_err rc;
	size_t i;

	if (r->count >= GS1_MAX_ELEMENTS)
		return wh_error_set(c->err, WH_ERR_INVALID, "more than %d AIs",
				    GS1_MAX_ELEMENTS);
	el = &r->el[r->count];
	rc = make_element(c, el, def, ai, ailen, v, n);
	if (rc != WH_OK)
		return rc;
	for (i = 0; i < r->count; i++) {
		if (strcmp(r->el[i].ai, el->ai) != 0)
			continue;
		if (r->el[i].raw_len == el->raw_len &&
		    memcmp(r->el[i].raw, el->raw, el->raw_len) == 0)
			return WH_OK;
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "AI %s appears twice with different values",
				    el->ai);
	}
	r->count++;
	return WH_OK;
}

/* Do the n digits at p begin some known AI ("0" of "01", "9" of "91")? */
static bool ai_prefix_known(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < gs1_ai_count(); i++) {
		const struct gs1_ai_def *d = gs1_ai_at(i);

		if (strlen(d->ai) >= n && memcmp(d->ai, p, n) == 0)
			return true;
	}
	return false;
}

/* Error for data at p that does not start with a known AI. */
static enum wh_err bad_ai(struct pctx *c, const char *p, size_t n,
			  size_t name_len)
{
	char s[8];

	if (name_len == 0) {
		show_char((unsigned char)p[0], s);
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "AI expected, got '%s'", s);
	}
	if ((name_len == n || sep_at(c, p + name_len, n - name_len)) &&
	    ai_prefix_known(p, name_len))
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "truncated AI '%.*s'", (int)name_len, p);
	return wh_error_set(c->err, WH_ERR_INVALID, "unknown AI %.*s",
			    (int)name_len, p);
}

/* --- element strings --- */

static enum wh_err parse_elements(struct pctx *c, const char *p, size_t n)
{
	size_t pos = 0, s;
	enum wh_err rc;

	c->out->form = GS1_FORM_ELEMENTS;
	/* A transmitted leading FNC1 is redundant but common. */
	pos += sep_at(c, p, n);
	if (pos == n)
		return wh_error_set(c->err, WH_ERR_INVALID, "no AI in scan");
	while (pos < n) {
		const struct gs1_ai_def *def;
		size_t ailen, vlen;

		if (sep_at(c, p + pos, n - pos))
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "empty field at byte %zu", pos);
		def = gs1_ai_match(p + pos, n - pos, &ailen);
		if (!def)
			return bad_ai(c, p + pos, n - pos, ailen);
		vlen = n - pos - ailen;
		if (def->flags & GS1_AI_PREDEF) {
			size_t want = 0, i;

			/* Look no further than the fixed length: a long scan
			 * of fixed-length AIs stays linear. */
			for (i = 0; i < def_ncomp(def); i++)
				want += def->comp[i].max;
			if (vlen > want)
				vlen = want;
		}
		vlen = find_sep(c, p + pos + ailen, vlen);
		rc = add_element(c, def, p + pos, ailen, p + pos + ailen, vlen);
		if (rc != WH_OK)
			return rc;
		pos += ailen + vlen;
		/* FNC1 ends a variable field; after a fixed one it is extra
		 * but harmless. A final one is tolerated too. */
		s = sep_at(c, p + pos, n - pos);
		pos += s;
	}
	return WH_OK;
}

/* --- bracketed and parenthesised text --- */

/* Does p (n bytes) start with "(" 2-4 digits ")"? */
static bool paren_ai_at(const char *p, size_t n)
{
	size_t k = 1;

	if (n < 4 || p[0] != '(')
		return false;
	while (k < n && k <= 5 && is_digit((unsigned char)p[k]))
		k++;
	return k < n && p[k] == ')' && k - 1 >= 2 && k - 1 <= 4;
}

static enum wh_err parse_hri(struct pctx *c, const char *p, size_t n, char open,
			     char close)
{
	char val[GS1_VALUE_MAX + 1];
	size_t pos = 0;
	enum wh_err rc;

	c->out->form = open == '[' ? GS1_FORM_BRACKETED : GS1_FORM_PARENS;
	while (pos < n) {
		const struct gs1_ai_def *def;
		size_t ai, ailen, vlen = 0;

		while (pos < n && p[pos] == ' ')
			pos++;
		if (pos == n)
			break;
		if (p[pos] != open)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "expected '%c' at byte %zu", open,
					    pos);
		ai = ++pos;
		while (pos < n && pos - ai <= 4 &&
		       is_digit((unsigned char)p[pos]))
			pos++;
		ailen = pos - ai;
		if (pos == n || p[pos] != close || ailen < 2 || ailen > 4)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "malformed AI at byte %zu", ai - 1);
		def = gs1_ai_lookup(p + ai, ailen);
		if (!def)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "unknown AI %.*s", (int)ailen,
					    p + ai);
		pos++;
		while (pos < n && p[pos] == ' ')
			pos++;
		/* The value runs to the next AI; "\(" is a literal '('. */
		while (pos < n) {
			char ch = p[pos];

			if (open == '[' && ch == '[')
				break;
			if (open == '(' && paren_ai_at(p + pos, n - pos))
				break;
			if (open == '(' && ch == '\\' && pos + 1 < n &&
			    p[pos + 1] == '(') {
				ch = '(';
				pos++;
			}
			if (vlen < sizeof(val))
				val[vlen] = ch;
			vlen++;
			pos++;
		}
		while (vlen > 0 && vlen <= sizeof(val) && val[vlen - 1] == ' ')
			vlen--;
		rc = add_element(c, def, p + ai, ailen, val, vlen);
		if (rc != WH_OK)
			return rc;
	}
	if (c->out->count == 0)
		return wh_error_set(c->err, WH_ERR_INVALID, "no AI in scan");
	return WH_OK;
}

/* --- GS1 Digital Link --- */

#define DL_MAX_SEGS (2 * GS1_MAX_ELEMENTS + 16)

struct span {
	const char *p;
	size_t n;
};

static int hexval(unsigned char h)
{
	if (is_digit(h))
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes s into buf (cap bytes); returns the decoded length,
 * which may exceed cap (only cap bytes are written), or SIZE_MAX for a
 * malformed escape.
 */
static size_t pct_decode(struct span s, char *buf, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < s.n; i++, k++) {
		unsigned char ch = (unsigned char)s.p[i];

		if (ch == '%') {
			int hi, lo;

			if (i + 2 >= s.n)
				return SIZE_MAX;
			hi = hexval((unsigned char)s.p[i + 1]);
			lo = hexval((unsigned char)s.p[i + 2]);
			if (hi < 0 || lo < 0)
				return SIZE_MAX;
			ch = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (k < cap)
			buf[k] = (char)ch;
	}
	return k;
}

static bool span_is_ai(struct span s)
{
	return s.n >= 2 && s.n <= 4 && all_digits(s.p, s.n) &&
	       gs1_ai_lookup(s.p, s.n) != NULL;
}

static enum wh_err dl_add(struct pctx *c, struct span ai, struct span v)
{
	const struct gs1_ai_def *def = gs1_ai_lookup(ai.p, ai.n);
	char val[GS1_VALUE_MAX + 1];
	size_t n;

	if (!def)
		return wh_error_set(c->err, WH_ERR_INVALID, "unknown AI %.*s",
				    (int)ai.n, ai.p);
	n = pct_decode(v, val, sizeof(val));
	if (n == SIZE_MAX)
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "AI %.*s: bad percent-escape", (int)ai.n,
				    ai.p);
	/* Digital Link allows GTIN-8/12/13 for AI 01: make them GTIN-14. */
	if (ai.n == 2 && memcmp(ai.p, "01", 2) == 0 &&
	    (n == 8 || n == 12 || n == 13)) {
		size_t pad = 14 - n;

		memmove(val + pad, val, n);
		memset(val, '0', pad);
		n = 14;
	}
	return add_element(c, def, ai.p, ai.n, val, n);
}

/* Are the path qualifiers q[0..m) allowed, in this order, after key? */
static bool dl_quals_ok(const struct gs1_ai_def *key, const struct span *q,
			size_t m)
{
	const char *alt = key->dl_quals;

	if (m == 0)
		return true;
	while (*alt) {
		size_t j = 0;
		const char *e = alt;

		while (*e && *e != '|') {
			size_t l = strcspn(e, ",|");

			if (j < m && q[j].n == l && memcmp(q[j].p, e, l) == 0)
				j++;
			e += l;
			if (*e == ',')
				e++;
		}
		if (j == m)
			return true;
		alt = *e == '|' ? e + 1 : e;
	}
	return false;
}

/*
 * Parses a Digital Link URI (p starts after "://"). Sets *is_dl false and
 * returns WH_OK when the URL has no GS1 key path, so the caller keeps it
 * as plain data.
 */
static enum wh_err parse_dl(struct pctx *c, const char *p, size_t n,
			    bool *is_dl)
{
	struct span seg[DL_MAX_SEGS], q[DL_MAX_SEGS];
	size_t pos, end, nseg = 0, i, k, key = SIZE_MAX, m = 0;
	const struct gs1_ai_def *kdef = NULL;
	enum wh_err rc;

	*is_dl = false;
	end = n;
	for (pos = 0;
	     pos < end && p[pos] != '/' && p[pos] != '?' && p[pos] != '#';
	     pos++)
		;
	if (pos == 0 || pos == end || p[pos] != '/')
		return WH_OK;
	/* Path: "/seg/seg..." up to '?' or '#'. */
	while (pos < end && p[pos] == '/') {
		size_t s = ++pos;

		while (pos < end && p[pos] != '/' && p[pos] != '?' &&
		       p[pos] != '#')
			pos++;
		if (nseg == DL_MAX_SEGS)
			return WH_OK;
		seg[nseg].p = p + s;
		seg[nseg].n = pos - s;
		nseg++;
	}
	if (nseg > 0 && seg[nseg - 1].n == 0)
		nseg--; /* trailing slash */
	/* The key is the first GS1 key AI from which (AI, value) pairs run
	 * to the end of the path; segments before it are the resolver's. */
	for (i = 0; i + 1 < nseg && key == SIZE_MAX; i++) {
		const struct gs1_ai_def *d;

		if ((nseg - i) % 2 != 0 || !span_is_ai(seg[i]))
			continue;
		d = gs1_ai_lookup(seg[i].p, seg[i].n);
		if (!d->dl_quals)
			continue;
		for (k = i + 2; k < nseg && span_is_ai(seg[k]); k += 2)
			;
		if (k >= nseg) {
			key = i;
			kdef = d;
		}
	}
	if (key == SIZE_MAX)
		return WH_OK;
	*is_dl = true;
	c->out->form = GS1_FORM_DIGITAL_LINK;
	for (i = key; i < nseg; i += 2) {
		rc = dl_add(c, seg[i], seg[i + 1]);
		if (rc != WH_OK)
			return rc;
		if (i > key)
			q[m++] = seg[i];
	}
	if (!dl_quals_ok(kdef, q, m)) {
		char list[64];
		size_t l = 0;

		for (i = 0; i < m && l < sizeof(list); i++)
			l += (size_t)snprintf(list + l, sizeof(list) - l,
					      "%s%.*s", i ? "/" : "",
					      (int)q[i].n, q[i].p);
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "Digital Link: qualifiers %s not allowed "
				    "after key %s",
				    list, kdef->ai);
	}
	/* Query: "k=v&k=v"; numeric keys are AIs, others (linkType...)
	 * are for the resolver. */
	if (pos < end && p[pos] == '?') {
		pos++;
		while (pos < end && p[pos] != '#') {
			struct span kk, vv;
			size_t s = pos, eq = SIZE_MAX;

			while (pos < end && p[pos] != '&' && p[pos] != '#') {
				if (p[pos] == '=' && eq == SIZE_MAX)
					eq = pos;
				pos++;
			}
			if (eq != SIZE_MAX) {
				kk.p = p + s;
				kk.n = eq - s;
				vv.p = p + eq + 1;
				vv.n = pos - eq - 1;
				if (kk.n > 0 && all_digits(kk.p, kk.n)) {
					rc = dl_add(c, kk, vv);
					if (rc != WH_OK)
						return rc;
				}
			}
			if (pos < end && p[pos] == '&')
				pos++;
		}
	}
	return WH_OK;
}

/* --- EAN / UPC / ITF-14 --- */

/* UPC-E "NXXXXXXC" (number system 0 or 1) to UPC-A, 12 digits. */
static bool upce_expand(const char *e, char a[12])
{
	const char *d = e + 1; /* the six data digits */

	if (e[0] != '0' && e[0] != '1')
		return false;
	memset(a, '0', 12);
	a[0] = e[0];
	switch (d[5]) {
	case '0':
	case '1':
	case '2':
		a[1] = d[0];
		a[2] = d[1];
		a[3] = d[5];
		memcpy(a + 8, d + 2, 3);
		break;
	case '3':
		memcpy(a + 1, d, 3);
		memcpy(a + 9, d + 3, 2);
		break;
	case '4':
		memcpy(a + 1, d, 4);
		a[10] = d[4];
		break;
	default:
		memcpy(a + 1, d, 5);
		a[10] = d[5];
		break;
	}
	a[11] = e[7];
	return true;
}

/*
 * Bare digits from an EAN/UPC or ITF symbol, or unidentified: becomes AI
 * 01 with the GTIN-14. kind is the AIM kind (AIM_KIND_OTHER when there
 * was no identifier) and mod the identifier's modifier.
 */
static enum wh_err parse_gtin(struct pctx *c, const char *p, size_t n,
			      enum aim_kind kind, char mod)
{
	struct gs1_result *r = c->out;
	char g[14], upca[12];
	const char *digits = p;
	size_t dn = n;

	if (!all_digits(p, n))
		return wh_error_set(c->err, WH_ERR_INVALID, "%s: digits only",
				    r->aim.name);
	if (kind == AIM_KIND_EAN && mod == '3') {
		if (n != 15 && n != 18)
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "EAN/UPC with add-on: %zu digits, "
					    "expected 15 or 18",
					    n);
		dn = 13;
		memcpy(r->addon, p + 13, n - 13);
		r->addon[n - 13] = '\0';
	}
	if (kind == AIM_KIND_EAN && mod == '0' && n == 8) {
		if (!upce_expand(p, upca))
			return wh_error_set(c->err, WH_ERR_INVALID,
					    "UPC-E: number system %c", p[0]);
		digits = upca;
		dn = 12;
		r->symbol = "UPC-E";
	} else if (dn == 8) {
		r->symbol = "EAN-8";
	} else if (dn == 12) {
		r->symbol = "UPC-A";
	} else if (dn == 13) {
		r->symbol = "EAN-13";
	} else if (dn == 14) {
		r->symbol = kind == AIM_KIND_ITF ? "ITF-14" : "GTIN-14";
	} else {
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "%s: %zu digits is not a GTIN length",
				    r->aim.name ? r->aim.name : "GTIN", n);
	}
	if (!gs1_check_digit_ok(digits, dn))
		return wh_error_set(
		    c->err, WH_ERR_INVALID, "%s: check digit %c, expected %d",
		    r->symbol, digits[dn - 1], gs1_check_digit(digits, dn - 1));
	memset(g, '0', sizeof(g));
	memcpy(g + 14 - dn, digits, dn);
	r->form = GS1_FORM_GTIN;
	return add_element(c, gs1_ai_lookup("01", 2), "01", 2, g, 14);
}

/* --- dispatch --- */

static enum wh_err keep_plain(struct pctx *c, const char *p, size_t n)
{
	struct gs1_result *r = c->out;

	if (n > GS1_PLAIN_MAX)
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "scan too long (%zu > %d bytes)", n,
				    GS1_PLAIN_MAX);
	memcpy(r->data, p, n);
	r->data[n] = '\0';
	r->data_len = n;
	return WH_OK;
}

/* Empties the result but keeps the symbology, for a fallback. */
static void reset_result(struct gs1_result *r)
{
	bool has_aim = r->has_aim;
	struct aim_info aim = r->aim;

	memset(r, 0, sizeof(*r));
	r->has_aim = has_aim;
	r->aim = aim;
}

static bool has_prefix_ci(const char *p, size_t n, const char *pfx)
{
	size_t i, l = strlen(pfx);

	if (n < l)
		return false;
	for (i = 0; i < l; i++) {
		char ch = p[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != pfx[i])
			return false;
	}
	return true;
}

static bool is_gtin_len(size_t n)
{
	return n == 8 || n == 12 || n == 13 || n == 14;
}

void gs1_options_init(struct gs1_options *opt, int year, int month, int day)
{
	memset(opt, 0, sizeof(*opt));
	opt->today.year = year;
	opt->today.month = month;
	opt->today.day = day;
}

static enum wh_err check_options(struct pctx *c)
{
	const struct gs1_options *o = c->opt;
	size_t i;

	if (o->today.year < 1000 || o->today.year > 9999)
		return wh_error_set(c->err, WH_ERR_INVALID,
				    "reference date: year %d out of range",
				    o->today.year);
	if (o->gs_subst && o->gs_subst[0]) {
		c->subst = o->gs_subst;
		c->subst_len = strnlen(o->gs_subst, GS1_GS_SUBST_MAX + 1);
		if (c->subst_len > GS1_GS_SUBST_MAX)
			return wh_error_set(
			    c->err, WH_ERR_INVALID,
			    "GS substitute longer than %d bytes",
			    GS1_GS_SUBST_MAX);
		/* A digit would make every AI ambiguous. */
		for (i = 0; i < c->subst_len; i++)
			if (is_digit((unsigned char)c->subst[i]))
				return wh_error_set(c->err, WH_ERR_INVALID,
						    "GS substitute must not "
						    "contain digits");
	}
	return WH_OK;
}

static enum wh_err parse_body(struct pctx *c, const char *p, size_t n)
{
	struct gs1_result *r = c->out;
	enum aim_kind kind = r->has_aim ? r->aim.kind : AIM_KIND_OTHER;
	char mod = r->has_aim ? r->aim.id[2] : '\0';
	struct wh_error scratch;
	struct pctx quiet;
	bool is_dl;
	enum wh_err rc;
	size_t s;

	if (n == 0)
		return wh_error_set(c->err, WH_ERR_INVALID, "empty scan");
	if (n >= 4 && p[0] == '[' && is_digit((unsigned char)p[1]))
		return parse_hri(c, p, n, '[', ']');
	if (paren_ai_at(p, n))
		return parse_hri(c, p, n, '(', ')');
	if (has_prefix_ci(p, n, "https://") || has_prefix_ci(p, n, "http://")) {
		s = has_prefix_ci(p, n, "https://") ? 8 : 7;
		rc = parse_dl(c, p + s, n - s, &is_dl);
		if (rc != WH_OK || is_dl)
			return rc;
		reset_result(r);
		return keep_plain(c, p, n);
	}
	if (kind == AIM_KIND_GS1)
		return parse_elements(c, p, n);
	if (kind == AIM_KIND_EAN) {
		rc = keep_plain(c, p, n);
		return rc != WH_OK ? rc : parse_gtin(c, p, n, kind, mod);
	}
	if (kind == AIM_KIND_ITF && n == 14) {
		rc = keep_plain(c, p, n);
		return rc != WH_OK ? rc : parse_gtin(c, p, n, kind, mod);
	}
	/* Unidentified or a non-GS1 symbology: see gs1.h for the rules. */
	if (find_sep(c, p, n) < n)
		return parse_elements(c, p, n);
	quiet = *c;
	quiet.err = &scratch;
	if (!r->has_aim && is_gtin_len(n) && all_digits(p, n) &&
	    gs1_check_digit_ok(p, n)) {
		rc = keep_plain(c, p, n);
		return rc != WH_OK ? rc : parse_gtin(c, p, n, kind, mod);
	}
	if (n > 2 && p[0] == '0' && p[1] >= '0' && p[1] <= '2' &&
	    parse_elements(&quiet, p, n) == WH_OK)
		return WH_OK;
	reset_result(r);
	return keep_plain(c, p, n);
}

enum wh_err gs1_parse(const char *data, size_t len,
		      const struct gs1_options *opt, struct gs1_result *out,
		      struct wh_error *err)
{
	struct pctx c = {.opt = opt, .out = out, .err = err};
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	if (!opt)
		return wh_error_set(err, WH_ERR_INVALID, "no parse options");
	rc = check_options(&c);
	if (rc != WH_OK)
		return rc;
	if (opt->aim) {
		size_t al = strnlen(opt->aim, AIM_ID_LEN + 1);

		if (al != AIM_ID_LEN)
			return wh_error_set(err, WH_ERR_INVALID,
					    "symbology identifier must be 3 "
					    "characters");
		rc = aim_lookup(opt->aim, al, &out->aim, err);
		if (rc != WH_OK)
			return rc;
		out->has_aim = true;
	} else if (len > 0 && data[0] == ']') {
		rc = aim_lookup(data, len, &out->aim, err);
		if (rc != WH_OK)
			return rc;
		out->has_aim = true;
		data += AIM_ID_LEN;
		len -= AIM_ID_LEN;
	}
	return parse_body(&c, data, len);
}

/* --- accessors --- */

const struct gs1_element *gs1_find(const struct gs1_result *r, const char *ai)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		if (strcmp(r->el[i].ai, ai) == 0)
			return &r->el[i];
	return NULL;
}

const struct gs1_element *gs1_find_prefix(const struct gs1_result *r,
					  const char *prefix)
{
	size_t i, l = strlen(prefix);

	for (i = 0; i < r->count; i++)
		if (strncmp(r->el[i].ai, prefix, l) == 0)
			return &r->el[i];
	return NULL;
}

size_t gs1_to_bracketed(const struct gs1_result *r, char *buf, size_t size)
{
	size_t i, need = 0;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < r->count; i++) {
		const struct gs1_element *e = &r->el[i];
		size_t al = strlen(e->ai), add = al + 2 + e->raw_len;

		if (need + add < size) {
			buf[need] = '[';
			memcpy(buf + need + 1, e->ai, al);
			buf[need + 1 + al] = ']';
			memcpy(buf + need + 2 + al, e->raw, e->raw_len);
			buf[need + add] = '\0';
		}
		need += add;
	}
	return need;
}

const char *gs1_form_name(enum gs1_form form)
{
	switch (form) {
	case GS1_FORM_PLAIN:
		return "plain";
	case GS1_FORM_GTIN:
		return "gtin";
	case GS1_FORM_ELEMENTS:
		return "element-string";
	case GS1_FORM_BRACKETED:
		return "bracketed";
	case GS1_FORM_PARENS:
		return "parenthesised";
	case GS1_FORM_DIGITAL_LINK:
		return "digital-link";
	}
	return "unknown";
}

const char *gs1_type_name(enum gs1_type type)
{
	switch (type) {
	case GS1_TYPE_STRING:
		return "string";
	case GS1_TYPE_KEY:
		return "key";
	case GS1_TYPE_INT:
		return "integer";
	case GS1_TYPE_DECIMAL:
		return "decimal";
	case GS1_TYPE_AMOUNT:
		return "amount";
	case GS1_TYPE_DATE:
		return "date";
	case GS1_TYPE_DATETIME:
		return "datetime";
	case GS1_TYPE_DATE_RANGE:
		return "date-range";
	}
	return "unknown";
}
