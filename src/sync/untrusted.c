#include "sync/untrusted.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Decodes one UTF-8 character at s[i]. Returns its length (1-4) and the
 * code point in *cp, or 0 when the bytes there are not a valid, shortest
 * encoding of a scalar value.
 */
static size_t utf8_decode(const unsigned char *s, size_t len, size_t i,
			  uint32_t *cp)
{
	unsigned char c = s[i];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len - i < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Skips a control string (OSC, DCS, ...) up to and including BEL/ST. */
static size_t skip_string(const unsigned char *s, size_t len, size_t i)
{
	while (i < len) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
			return i + 2;
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] == 0x9c)
			return i + 2;
		i++;
	}
	return len;
}

/* Skips CSI parameters, intermediates and final byte from s[i]. */
static size_t skip_csi(const unsigned char *s, size_t len, size_t i)
{
	while (i < len && s[i] >= 0x30 && s[i] <= 0x3f)
		i++;
	while (i < len && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i < len && s[i] >= 0x40 && s[i] <= 0x7e)
		i++;
	return i;
}

/* s[i] is ESC: returns the index after the whole escape sequence. */
static size_t skip_escape(const unsigned char *s, size_t len, size_t i)
{
	i++;
	if (i >= len)
		return i;
	switch (s[i]) {
	case '[':
		return skip_csi(s, len, i + 1);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return skip_string(s, len, i + 1);
	default:
		break;
	}
	while (i < len && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i < len && s[i] >= 0x30 && s[i] <= 0x7e)
		i++;
	return i;
}

static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t untrusted_clean_into(const char *in, size_t len, char *out, size_t cap,
			    bool *truncated)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;
	bool cut = false;

	if (!in)
		len = 0;
	while (i < len) {
		const char *emit;
		size_t n, elen;
		uint32_t cp;
		char space = ' ';

		if (s[i] == 0x1b) {
			i = skip_escape(s, len, i);
			continue;
		}
		n = utf8_decode(s, len, i, &cp);
		if (n == 0) {
			emit = "\xef\xbf\xbd";
			elen = 3;
			i++;
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			emit = &space;
			elen = 1;
			i++;
			/* One space for a run of white-space controls. */
			if (o > 0 && out[o - 1] == ' ')
				continue;
		} else if (cp < 0x20 || cp == 0x7f) {
			i++;
			continue;
		} else if (cp >= 0x80 && cp <= 0x9f) {
			i += n;
			if (cp == 0x9b)
				i = skip_csi(s, len, i);
			else if (cp == 0x90 || cp == 0x98 || cp == 0x9d ||
				 cp == 0x9e || cp == 0x9f)
				i = skip_string(s, len, i);
			continue;
		} else if (is_bidi_control(cp)) {
			i += n;
			continue;
		} else {
			emit = in + i;
			elen = n;
			i += n;
		}
		if (cap - o < elen) {
			cut = true;
			break;
		}
		memcpy(out + o, emit, elen);
		o += elen;
	}
	out[o] = '\0';
	if (truncated)
		*truncated = cut;
	return o;
}

char *untrusted_clean(const char *in, size_t len, size_t cap, bool *truncated)
{
	char *out;
	size_t need;

	/*
	 * Each input byte yields at most 3 output bytes (U+FFFD), so the
	 * buffer never needs to exceed min(cap, 3 * len).
	 */
	need = cap;
	if (in && len < SIZE_MAX / 3 && 3 * len < need)
		need = 3 * len;
	if (!in)
		need = 0;
	if (need == SIZE_MAX)
		return NULL;
	out = malloc(need + 1);
	if (!out)
		return NULL;
	untrusted_clean_into(in, len, out, need, truncated);
	if (truncated && need < cap)
		*truncated = false;
	return out;
}

bool untrusted_is_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(u, len, i, &cp);

		if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
			return false;
		i += n;
	}
	return true;
}
