/*
 * scale.c - scale lines and typed weights. See scale.h.
 */
#include "domain/scale.h"

#include <stdio.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* "123.45" at s[*i..]: thousandths of the unit in *milli (3 decimals
 * kept, the rest rounded half up). False without a digit. */
static bool number(const char *s, size_t len, size_t *i, int64_t *milli)
{
	int64_t whole = 0, frac = 0;
	int fd = 0, digits = 0, round = 0;
	bool point = false;

	while (*i < len) {
		char c = s[*i];

		if (c == '.' && !point) {
			point = true;
		} else if (c >= '0' && c <= '9') {
			digits++;
			if (!point) {
				if (whole > 100000000)
					return false;
				whole = whole * 10 + (c - '0');
			} else if (fd < 3) {
				frac = frac * 10 + (c - '0');
				fd++;
			} else if (fd == 3) {
				round = c >= '5';
				fd++;
			}
		} else {
			break;
		}
		(*i)++;
	}
	if (!digits)
		return false;
	for (; fd < 3; fd++)
		frac *= 10;
	*milli = whole * 1000 + frac + round;
	return true;
}

enum unit { U_NONE, U_KG, U_G, U_LB, U_BAD };

static enum unit unit_of(const char *s, size_t len, size_t i)
{
	size_t end = len;

	while (i < end && blank(s[i]))
		i++;
	while (end > i && blank(s[end - 1]))
		end--;
	if (i == end)
		return U_NONE;
	if (end - i == 2 && (s[i] == 'k' || s[i] == 'K') &&
	    (s[i + 1] == 'g' || s[i + 1] == 'G'))
		return U_KG;
	if (end - i == 1 && (s[i] == 'g' || s[i] == 'G'))
		return U_G;
	if (end - i == 2 && (s[i] == 'l' || s[i] == 'L') &&
	    (s[i + 1] == 'b' || s[i + 1] == 'B'))
		return U_LB;
	return U_BAD;
}

/* Grams from thousandths of a unit; -1 when out of range. */
static int64_t to_grams(int64_t milli, enum unit u)
{
	int64_t g;

	switch (u) {
	case U_KG:
		g = milli;
		break;
	case U_G:
		g = (milli + 500) / 1000;
		break;
	case U_LB: /* 1 lb = 453.59237 g */
		g = (milli * 45359237 + 50000000) / 100000000;
		break;
	default:
		return -1;
	}
	return g <= SCALE_MAX_G ? g : -1;
}

enum scale_status scale_parse_line(const char *line, size_t len,
				   const struct scale_format *fmt,
				   struct scale_reading *out)
{
	static const struct scale_format defaults = { .accept_net = true };
	enum scale_status st;
	enum unit u;
	int64_t milli, g;
	bool neg = false;
	size_t i = 6;

	if (!fmt)
		fmt = &defaults;
	memset(out, 0, sizeof(*out));
	out->status = SCALE_BAD;
	if (!line || len < 8 || line[2] != ',' || line[5] != ',')
		return SCALE_BAD;
	if (!strncmp(line, "ST", 2))
		st = SCALE_OK;
	else if (!strncmp(line, "US", 2))
		st = SCALE_UNSTABLE;
	else if (!strncmp(line, "OL", 2))
		st = SCALE_OVERLOAD;
	else
		return SCALE_BAD;
	if (!strncmp(line + 3, "NT", 2))
		out->net = true;
	else if (!strncmp(line + 3, "TR", 2))
		return out->status = SCALE_TARE;
	else if (strncmp(line + 3, "GS", 2))
		return SCALE_BAD;
	if (out->net && !fmt->accept_net)
		return SCALE_BAD;
	if (st == SCALE_OVERLOAD)
		return out->status = SCALE_OVERLOAD;
	if (line[i] == '+' || line[i] == '-') {
		neg = line[i] == '-';
		i++;
	}
	while (i < len && line[i] == ' ')
		i++;
	if (!number(line, len, &i, &milli))
		return SCALE_BAD;
	u = unit_of(line, len, i);
	if (u == U_NONE)
		u = fmt->bare_grams ? U_G : U_KG;
	g = to_grams(milli, u);
	if (g < 0)
		return SCALE_BAD;
	if (neg && g > 0)
		return out->status = SCALE_NEGATIVE;
	out->grams = (int32_t)g;
	return out->status = st;
}

bool scale_parse_typed(const char *s, int32_t *grams)
{
	size_t len, i = 0;
	int64_t milli, g;
	enum unit u;

	if (!s)
		return false;
	len = strlen(s);
	while (i < len && blank(s[i]))
		i++;
	if (!number(s, len, &i, &milli))
		return false;
	u = unit_of(s, len, i);
	g = to_grams(milli, u == U_NONE ? U_KG : u);
	if (g < 1)
		return false;
	*grams = (int32_t)g;
	return true;
}

void scale_format_kg(int32_t grams, char *buf, size_t n)
{
	snprintf(buf, n, "%d.%03d kg", (int)(grams / 1000),
		 (int)(grams % 1000));
}
