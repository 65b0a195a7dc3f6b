/*
 * canvas.c - the cell grid (pure: no curses here). See canvas.h.
 */
#include "ui/canvas.h"

#include <stdlib.h>
#include <string.h>

struct canvas *canvas_new(int w, int h, bool ascii)
{
	struct canvas *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ascii = ascii;
	if (canvas_resize(c, w, h) != WH_OK) {
		free(c);
		return NULL;
	}
	return c;
}

enum wh_err canvas_resize(struct canvas *c, int w, int h)
{
	struct canvas_cell *cells;

	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	cells = calloc((size_t)w * (size_t)h + 1, sizeof(*cells));
	if (!cells)
		return WH_ERR_NOMEM;
	free(c->cells);
	c->cells = cells;
	c->w = w;
	c->h = h;
	canvas_clear(c, UI_ROLE_NORMAL);
	return WH_OK;
}

void canvas_free(struct canvas *c)
{
	if (!c)
		return;
	free(c->cells);
	free(c);
}

static struct canvas_cell *cell(const struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

static void set_blank(struct canvas_cell *k)
{
	memset(k->ch, 0, sizeof(k->ch));
	k->ch[0] = ' ';
}

/*
 * Stores one character of width w (1 or 2) at (x, y) and keeps wide
 * characters whole: overwriting either half of a wide character blanks the
 * other half. A wide character with no room for its tail becomes a blank.
 * Returns the cell written, or NULL when clipped.
 */
static struct canvas_cell *put(struct canvas *c, int x, int y, uint32_t cp,
			       int w, enum ui_role role)
{
	struct canvas_cell *k = cell(c, x, y), *n;
	int i;

	if (!k)
		return NULL;
	if (w == 2 && !cell(c, x + 1, y)) {
		cp = ' ';
		w = 1;
	}
	for (i = 0; i < w; i++) {
		struct canvas_cell *t = cell(c, x + i, y);
		struct canvas_cell *l = cell(c, x + i - 1, y);
		struct canvas_cell *r = cell(c, x + i + 1, y);

		if (t->ch[0] == CANVAS_WIDE_TAIL && l && i == 0)
			set_blank(l);
		if (r && r->ch[0] == CANVAS_WIDE_TAIL && i == w - 1)
			set_blank(r);
	}
	set_blank(k);
	k->ch[0] = cp;
	k->role = (uint8_t)role;
	/* n is never NULL here (checked above); the test keeps -O3's
	 * bounds analysis, which cannot see that, quiet. */
	if (w == 2 && (n = cell(c, x + 1, y)) != NULL) {
		memset(n->ch, 0, sizeof(n->ch));
		n->ch[0] = CANVAS_WIDE_TAIL;
		n->role = (uint8_t)role;
	}
	return k;
}

void canvas_fill(struct canvas *c, int x, int y, int w, int h,
		 enum ui_role role)
{
	int i, j;

	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			put(c, x + i, y + j, ' ', 1, role);
}

void canvas_clear(struct canvas *c, enum ui_role role)
{
	canvas_fill(c, 0, 0, c->w, c->h, role);
	c->cursor_x = c->cursor_y = -1;
}

void canvas_cursor(struct canvas *c, int x, int y)
{
	if (!cell(c, x, y))
		x = y = -1;
	c->cursor_x = x;
	c->cursor_y = y;
}

static void add_mark(struct canvas_cell *k, uint32_t cp)
{
	int i;

	for (i = 1; i < CANVAS_CELL_CHARS; i++) {
		if (!k->ch[i]) {
			k->ch[i] = cp;
			return;
		}
	}
}

int canvas_text(struct canvas *c, int x, int y, int maxw, enum ui_role role,
		const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;
	struct canvas_cell *last = NULL;
	int col = 0;

	if (maxw < 0 || x + maxw > c->w)
		maxw = c->w - x;
	while (i < n && col < maxw) {
		uint32_t cp;
		int w, j;

		i += text_decode(s + i, n - i, &cp);
		if (!text_cp_displayable(cp))
			continue; /* controls are never stored */
		w = text_cp_width(cp);
		if (w == 0) {
			if (last && !c->ascii)
				add_mark(last, cp);
			continue;
		}
		if (col + w > maxw) {
			put(c, x + col, y, ' ', 1, role);
			col++;
			break;
		}
		if (c->ascii && cp >= 0x80) {
			for (j = 0; j < w; j++)
				put(c, x + col + j, y, '?', 1, role);
			last = NULL;
		} else {
			last = put(c, x + col, y, cp, w, role);
		}
		col += w;
	}
	return col;
}

void canvas_text_aligned(struct canvas *c, int x, int y, int w,
			 enum ui_role role, enum text_align align,
			 const char *s)
{
	char *t = text_pad(s, w, align,
			   TEXT_ELLIPSIS | (c->ascii ? TEXT_ASCII : 0));

	canvas_fill(c, x, y, w, 1, role);
	if (t)
		canvas_text(c, x, y, w, role, t);
	free(t);
}

enum {
	BOX_H = 0x2500,
	BOX_V = 0x2502,
	BOX_TL = 0x250C,
	BOX_TR = 0x2510,
	BOX_BL = 0x2514,
	BOX_BR = 0x2518,
};

static uint32_t box_ch(const struct canvas *c, uint32_t cp)
{
	if (!c->ascii)
		return cp;
	if (cp == BOX_H)
		return '-';
	if (cp == BOX_V)
		return '|';
	return '+';
}

void canvas_hline(struct canvas *c, int x, int y, int w, enum ui_role role)
{
	int i;

	for (i = 0; i < w; i++)
		put(c, x + i, y, box_ch(c, BOX_H), 1, role);
}

void canvas_vline(struct canvas *c, int x, int y, int h, enum ui_role role)
{
	int i;

	for (i = 0; i < h; i++)
		put(c, x, y + i, box_ch(c, BOX_V), 1, role);
}

void canvas_box(struct canvas *c, int x, int y, int w, int h,
		enum ui_role role)
{
	if (w < 2 || h < 2)
		return;
	canvas_hline(c, x + 1, y, w - 2, role);
	canvas_hline(c, x + 1, y + h - 1, w - 2, role);
	canvas_vline(c, x, y + 1, h - 2, role);
	canvas_vline(c, x + w - 1, y + 1, h - 2, role);
	put(c, x, y, box_ch(c, BOX_TL), 1, role);
	put(c, x + w - 1, y, box_ch(c, BOX_TR), 1, role);
	put(c, x, y + h - 1, box_ch(c, BOX_BL), 1, role);
	put(c, x + w - 1, y + h - 1, box_ch(c, BOX_BR), 1, role);
}

void canvas_status(struct canvas *c, int y, enum ui_role role,
		   const char *left, const char *right)
{
	int lw = text_width(left), rw = text_width(right);

	canvas_fill(c, 0, y, c->w, 1, role);
	if (rw > 0 && lw + 1 + rw <= c->w) {
		canvas_text(c, c->w - rw, y, rw, role, right);
	} else if (rw > 0 && lw == 0) {
		canvas_text_aligned(c, 0, y, c->w, role, TEXT_RIGHT, right);
		return;
	}
	if (lw > 0)
		canvas_text_aligned(c, 0, y, lw < c->w ? lw : c->w, role,
				    TEXT_LEFT, left);
}

/* --- big digits ------------------------------------------------------ */

/* A 3x5 pixel font ('#' set); glyph width is the length of its rows. */
struct glyph {
	char ch;
	const char *px[5];
	const char *seg[3]; /* seven-segment form for 3 rows in ASCII */
};

static const struct glyph font[] = {
	{ '0', { "###", "# #", "# #", "# #", "###" }, { " _ ", "| |", "|_|" } },
	{ '1', { " # ", "## ", " # ", " # ", "###" }, { "   ", "  |", "  |" } },
	{ '2', { "###", "  #", "###", "#  ", "###" }, { " _ ", " _|", "|_ " } },
	{ '3', { "###", "  #", "###", "  #", "###" }, { " _ ", " _|", " _|" } },
	{ '4', { "# #", "# #", "###", "  #", "  #" }, { "   ", "|_|", "  |" } },
	{ '5', { "###", "#  ", "###", "  #", "###" }, { " _ ", "|_ ", " _|" } },
	{ '6', { "###", "#  ", "###", "# #", "###" }, { " _ ", "|_ ", "|_|" } },
	{ '7', { "###", "  #", "  #", "  #", "  #" }, { " _ ", "  |", "  |" } },
	{ '8', { "###", "# #", "###", "# #", "###" }, { " _ ", "|_|", "|_|" } },
	{ '9', { "###", "# #", "###", "  #", "###" }, { " _ ", "|_|", " _|" } },
	{ '-', { "   ", "   ", "###", "   ", "   " }, { "   ", " _ ", "   " } },
	{ '.', { " ", " ", " ", " ", "#" }, { " ", " ", "." } },
	{ ':', { " ", "#", " ", "#", " " }, { " ", ".", "." } },
	{ '/', { "  #", "  #", " # ", "#  ", "#  " }, { "  ", " /", "/ " } },
	{ ' ', { "   ", "   ", "   ", "   ", "   " }, { "   ", "   ", "   " } },
};

static const struct glyph *glyph_for(char ch)
{
	size_t i;

	for (i = 0; i < sizeof(font) / sizeof(font[0]); i++)
		if (font[i].ch == ch)
			return &font[i];
	return glyph_for(' ');
}

int canvas_bigdigits_width(const char *s)
{
	int w = 0;

	for (; s && *s; s++)
		w += (int)strlen(glyph_for(*s)->px[0]) + (s[1] ? 1 : 0);
	return w;
}

static bool px_on(const struct glyph *g, int row, int col)
{
	return row >= 0 && row < 5 && g->px[row][col] == '#';
}

/* The character for pixel column col of glyph g at text row r. */
static uint32_t digit_cell(const struct canvas *c, const struct glyph *g,
			   int rows, int r, int col)
{
	bool top, bottom;

	if (rows == 5)
		return px_on(g, r, col) ? (c->ascii ? '#' : 0x2588) : ' ';
	if (c->ascii)
		return (unsigned char)g->seg[r][col];
	top = px_on(g, 2 * r, col);
	bottom = px_on(g, 2 * r + 1, col);
	if (top && bottom)
		return 0x2588; /* full block */
	if (top)
		return 0x2580; /* upper half */
	if (bottom)
		return 0x2584; /* lower half */
	return ' ';
}

int canvas_bigdigits(struct canvas *c, int x, int y, int rows,
		     enum ui_role role, const char *s)
{
	int col = x, r, i;

	if (rows != 3)
		rows = 5;
	for (; s && *s; s++) {
		const struct glyph *g = glyph_for(*s);
		int gw = (int)strlen(g->px[0]);

		for (r = 0; r < rows; r++) {
			for (i = 0; i < gw; i++)
				put(c, col + i, y + r,
				    digit_cell(c, g, rows, r, i), 1, role);
			if (s[1])
				put(c, col + gw, y + r, ' ', 1, role);
		}
		col += gw + (s[1] ? 1 : 0);
	}
	return col - x;
}

/* --- reading back ---------------------------------------------------- */

static void row_into(const struct canvas *c, int y, char *out, size_t *len)
{
	int x, i;

	for (x = 0; x < c->w; x++) {
		const struct canvas_cell *k = cell(c, x, y);

		if (k->ch[0] == CANVAS_WIDE_TAIL)
			continue;
		for (i = 0; i < CANVAS_CELL_CHARS && k->ch[i]; i++)
			*len += text_encode(k->ch[i], out + *len);
	}
}

/* Upper bound of the bytes of one row. */
static size_t row_max(const struct canvas *c)
{
	return (size_t)c->w * CANVAS_CELL_CHARS * 4;
}

char *canvas_row_text(const struct canvas *c, int y)
{
	size_t len = 0;
	char *out;

	if (y < 0 || y >= c->h)
		return NULL;
	out = malloc(row_max(c) + 1);
	if (!out)
		return NULL;
	row_into(c, y, out, &len);
	out[len] = '\0';
	return out;
}

char *canvas_dump(const struct canvas *c)
{
	size_t len = 0;
	char *out = malloc((row_max(c) + 1) * (size_t)c->h + 1);
	int y;

	if (!out)
		return NULL;
	for (y = 0; y < c->h; y++) {
		row_into(c, y, out, &len);
		out[len++] = '\n';
	}
	out[len] = '\0';
	return out;
}

enum ui_role canvas_role_at(const struct canvas *c, int x, int y)
{
	const struct canvas_cell *k = cell(c, x, y);

	return k ? (enum ui_role)k->role : UI_ROLE_NORMAL;
}
