/*
 * text.c - UTF-8, widths, truncation, wrapping and sanitising. See text.h.
 */
#include "ui/text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct text_range {
	uint32_t lo, hi;
};

#include "ui/text_width.inc"

/* A growable string; on allocation failure it sets err and stops growing. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool err;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_ch(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

static void sb_cp(struct sbuf *b, uint32_t cp)
{
	char u[4];
	size_t n = text_encode(cp, u);

	sb_add(b, u, n);
}

static void sb_spaces(struct sbuf *b, int n)
{
	while (n-- > 0)
		sb_ch(b, ' ');
}

/* Returns the finished string (never NULL unless out of memory). */
static char *sb_take(struct sbuf *b)
{
	if (!b->err && !b->p)
		sb_add(b, "", 0);
	if (b->err) {
		free(b->p);
		return NULL;
	}
	return b->p;
}

/*
 * Decodes one character; *valid tells a real U+FFFD from a replacement.
 * Second-byte ranges follow Unicode table 3-7, which rules out overlong
 * forms, surrogates and code points above U+10FFFF in one place.
 */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp,
		     bool *valid)
{
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	*valid = false;
	*cp = TEXT_REPLACEMENT;
	if (b < 0x80) {
		*cp = b;
		*valid = true;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		v = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		v = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		v = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i; /* maximal ill-formed prefix */
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	*valid = true;
	return need + 1;
}

size_t text_decode(const char *s, size_t n, uint32_t *cp)
{
	bool valid;

	if (n == 0) {
		*cp = 0;
		return 0;
	}
	return decode((const unsigned char *)s, n, cp, &valid);
}

size_t text_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

static bool in_table(uint32_t cp, const struct text_range *t, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp > t[mid].hi)
			lo = mid + 1;
		else if (cp < t[mid].lo)
			hi = mid;
		else
			return true;
	}
	return false;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int text_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return -1;
	if (cp < 0x300)
		return 1;
	if (in_table(cp, text_zero_width, NELEM(text_zero_width)))
		return 0;
	if (in_table(cp, text_double_width, NELEM(text_double_width)))
		return 2;
	return 1;
}

int text_width_n(const char *s, size_t n)
{
	size_t i = 0;
	int w = 0;

	while (s && i < n) {
		uint32_t cp;
		size_t k = text_decode(s + i, n - i, &cp);
		int cw = text_cp_width(cp);

		if (cw > 0)
			w += cw;
		i += k;
	}
	return w;
}

int text_width(const char *s)
{
	return s ? text_width_n(s, strlen(s)) : 0;
}

/*
 * A display unit: one character of width >= 1 (or a control, width 0 here)
 * followed by the zero-width characters that combine with it. Leading
 * combining marks with no base form a unit of width 0.
 */
static size_t unit_next(const char *s, size_t n, int *width)
{
	uint32_t cp;
	size_t i = text_decode(s, n, &cp);
	int w = text_cp_width(cp);

	*width = w > 0 ? w : 0;
	while (i < n) {
		size_t k = text_decode(s + i, n - i, &cp);

		if (text_cp_width(cp) != 0)
			break;
		i += k;
	}
	return i;
}

/* Appends s[0..n) with the ASCII fallback applied when asked. */
static void add_text(struct sbuf *b, const char *s, size_t n, bool ascii)
{
	size_t i = 0;

	if (!ascii) {
		sb_add(b, s, n);
		return;
	}
	while (i < n) {
		uint32_t cp;
		size_t k = text_decode(s + i, n - i, &cp);
		int w = text_cp_width(cp);

		if (cp < 0x80)
			sb_ch(b, (char)cp);
		else
			sb_add(b, "??", w > 0 ? (size_t)w : 0);
		i += k;
	}
}

char *text_to_ascii(const char *s)
{
	struct sbuf b = { 0 };

	if (s)
		add_text(&b, s, strlen(s), true);
	return sb_take(&b);
}

static void add_ellipsis(struct sbuf *b, bool ascii)
{
	if (ascii)
		sb_ch(b, '~');
	else
		sb_cp(b, 0x2026);
}

/* Appends s cut to cols columns; returns the columns appended. */
static int add_truncated(struct sbuf *b, const char *s, int cols,
			 unsigned flags)
{
	bool ascii = flags & TEXT_ASCII;
	size_t n = s ? strlen(s) : 0, i = 0;
	int w = 0, limit = cols;

	if (cols <= 0)
		return 0;
	if (text_width_n(s, n) <= cols) {
		add_text(b, s, n, ascii);
		return text_width_n(s, n);
	}
	if (flags & TEXT_ELLIPSIS)
		limit = cols - 1;
	while (i < n) {
		int uw;
		size_t k = unit_next(s + i, n - i, &uw);

		if (w + uw > limit)
			break;
		add_text(b, s + i, k, ascii);
		w += uw;
		i += k;
	}
	sb_spaces(b, limit - w); /* half a wide character: pad instead */
	if (limit < cols)
		add_ellipsis(b, ascii);
	return cols;
}

char *text_truncate(const char *s, int cols, unsigned flags)
{
	struct sbuf b = { 0 };

	add_truncated(&b, s, cols, flags);
	return sb_take(&b);
}

char *text_pad(const char *s, int cols, enum text_align align,
	       unsigned flags)
{
	struct sbuf b = { 0 };
	int w, left = 0;

	if (cols < 0)
		cols = 0;
	w = text_width(s);
	if (w > cols)
		w = cols;
	if (align == TEXT_RIGHT)
		left = cols - w;
	else if (align == TEXT_CENTER)
		left = (cols - w) / 2;
	sb_spaces(&b, left);
	w = add_truncated(&b, s, cols, flags);
	sb_spaces(&b, cols - left - w);
	return sb_take(&b);
}

/* --- sanitising ------------------------------------------------------ */

enum {
	C1_DCS = 0x90,
	C1_SOS = 0x98,
	C1_CSI = 0x9B,
	C1_ST = 0x9C,
	C1_OSC = 0x9D,
	C1_PM = 0x9E,
	C1_APC = 0x9F,
	ASCII_ESC = 0x1B,
	ASCII_BEL = 0x07,
};

/* Skips a CSI body (parameters, intermediates, final) starting at i. */
static size_t skip_csi(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && s[i] >= 0x30 && s[i] <= 0x3F)
		i++;
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2F)
		i++;
	if (i < n && s[i] >= 0x40 && s[i] <= 0x7E)
		i++;
	return i;
}

/*
 * Skips a control string (OSC, DCS, SOS, PM, APC) starting at i, through
 * its terminator: BEL, ST (8-bit 0x9C, raw or UTF-8 encoded). An ESC ends
 * the string without being consumed, so that "ESC \" is then dropped as an
 * ordinary escape sequence, as a terminal would. Unterminated: to the end.
 */
static size_t skip_string(const unsigned char *s, size_t n, size_t i)
{
	for (; i < n; i++) {
		if (s[i] == ASCII_BEL || s[i] == C1_ST)
			return i + 1;
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == C1_ST)
			return i + 2;
		if (s[i] == ASCII_ESC)
			return i;
	}
	return n;
}

/* Skips what follows an ESC at s[i - 1]. */
static size_t skip_escape(const unsigned char *s, size_t n, size_t i)
{
	if (i >= n)
		return i;
	switch (s[i]) {
	case '[':
		return skip_csi(s, n, i + 1);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return skip_string(s, n, i + 1);
	}
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2F)
		i++; /* intermediates: ESC ( B, ESC # 8 */
	if (i < n && s[i] >= 0x30 && s[i] <= 0x7E)
		i++; /* final */
	return i;
}

/* Skips what follows a C1 control c (8-bit form of ESC + c - 0x40). */
static size_t skip_c1(const unsigned char *s, size_t n, size_t i,
		      uint32_t c)
{
	switch (c) {
	case C1_CSI:
		return skip_csi(s, n, i);
	case C1_DCS:
	case C1_SOS:
	case C1_OSC:
	case C1_PM:
	case C1_APC:
		return skip_string(s, n, i);
	}
	return i;
}

static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool text_cp_displayable(uint32_t cp)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return false;
	return text_cp_width(cp) >= 0 && !is_bidi_control(cp);
}

char *text_sanitize(const char *str, size_t n, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)str;
	char nl = (flags & TEXT_KEEP_NEWLINES) ? '\n' : ' ';
	struct sbuf b = { 0 };
	size_t i = 0;

	while (s && i < n) {
		unsigned char c = s[i];
		uint32_t cp;
		bool valid;
		size_t k;

		if (c == ASCII_ESC) {
			i = skip_escape(s, n, i + 1);
			continue;
		}
		if (c == '\r' || c == '\n') {
			bool crlf = c == '\r' && i + 1 < n && s[i + 1] == '\n';

			i += crlf ? 2 : 1;
			sb_ch(&b, nl);
			continue;
		}
		if (c == '\t') {
			sb_ch(&b, ' ');
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			i++;
			continue;
		}
		k = decode(s + i, n - i, &cp, &valid);
		if (!valid && k == 1 && c >= 0x80 && c <= 0x9F)
			cp = c; /* a raw 8-bit C1 control, e.g. 0x9B CSI */
		else if (!valid)
			cp = TEXT_REPLACEMENT;
		i += k;
		if (cp >= 0x80 && cp <= 0x9F) {
			i = skip_c1(s, n, i, cp);
			continue;
		}
		if (is_bidi_control(cp))
			continue;
		if (cp == 0x2028 || cp == 0x2029) {
			sb_ch(&b, nl);
			continue;
		}
		sb_cp(&b, cp);
	}
	return sb_take(&b);
}

/* --- wrapping -------------------------------------------------------- */

struct wrap {
	struct text_lines *out;
	size_t cap;
	bool ascii;
};

static enum wh_err wrap_emit(struct wrap *wr, const char *s, size_t n)
{
	struct sbuf b = { 0 };
	char *line;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	add_text(&b, s, n, wr->ascii);
	line = sb_take(&b);
	if (!line)
		return WH_ERR_NOMEM;
	if (wr->out->n == wr->cap) {
		size_t cap = wr->cap ? wr->cap * 2 : 8;
		char **v = realloc(wr->out->line, cap * sizeof(*v));

		if (!v) {
			free(line);
			return WH_ERR_NOMEM;
		}
		wr->out->line = v;
		wr->cap = cap;
	}
	wr->out->line[wr->out->n++] = line;
	return WH_OK;
}

/*
 * Lays out one paragraph (no '\n') of n bytes. A line runs from start;
 * brk/brk_w remember the last place it may end (after a space or a wide
 * character) and resume where the next line then starts.
 */
static enum wh_err wrap_para(struct wrap *wr, const char *s, size_t n,
			     int cols)
{
	size_t start = 0, i = 0, brk = 0, resume = 0;
	int w = 0;
	bool have_brk = false;
	enum wh_err err;

	while (i < n) {
		int uw;
		size_t k = unit_next(s + i, n - i, &uw);

		if (uw > cols) {
			/* cannot ever fit (wide char, cols == 1) */
			err = i > start ? wrap_emit(wr, s + start, i - start)
					: WH_OK;
			if (err)
				return err;
			err = wrap_emit(wr, "?", 1);
			if (err)
				return err;
			start = i = i + k;
			w = 0;
			have_brk = false;
			continue;
		}
		if (w + uw > cols) {
			if (s[i] == ' ') {
				brk = i;
				resume = i;
			} else if (!have_brk) {
				brk = resume = i;
			}
			err = wrap_emit(wr, s + start, brk - start);
			if (err)
				return err;
			while (resume < n && s[resume] == ' ')
				resume++;
			start = i = resume;
			w = 0;
			have_brk = false;
			continue;
		}
		w += uw;
		i += k;
		if (s[i - k] == ' ' || uw == 2) {
			brk = i;
			resume = i;
			have_brk = true;
		}
	}
	return wrap_emit(wr, s + start, n - start);
}

enum wh_err text_wrap(const char *s, int cols, unsigned flags,
		      struct text_lines *out)
{
	struct wrap wr = { .out = out, .ascii = flags & TEXT_ASCII };
	const char *p;
	enum wh_err err = WH_OK;

	out->line = NULL;
	out->n = 0;
	if (cols < 1)
		return WH_ERR_INVALID;
	if (!s)
		s = "";
	for (;;) {
		p = strchr(s, '\n');
		err = wrap_para(&wr, s, p ? (size_t)(p - s) : strlen(s), cols);
		if (err || !p)
			break;
		s = p + 1;
	}
	if (err)
		text_lines_free(out);
	return err;
}

void text_lines_free(struct text_lines *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	l->line = NULL;
	l->n = 0;
}
