/*
 * canvas.h - the cell grid every screen draws into.
 *
 * A canvas is a w x h grid of cells, each one character (plus up to two
 * combining marks) and a role. Screens draw with the functions below and
 * never touch curses; the loop flushes the grid to the terminal with
 * canvas_flush() (canvas_curses.c, the only file here that calls curses).
 * Tests read the grid back with canvas_row_text()/canvas_dump().
 *
 * Drawing clips silently to the grid: coordinates outside it are fine and
 * draw nothing. Text is decoded as UTF-8; controls are never stored (so a
 * flush can never emit an escape sequence, even from text a screen forgot to
 * sanitise), and a wide character that does not fit in the space left is
 * replaced by a space, never split. In ASCII mode (the terminal's locale is
 * not UTF-8) non-ASCII text becomes '?' per column, boxes use + - | and big
 * digits use '#' / '_' '|'.
 *
 * Ownership: canvas_new() returns a canvas owned by the caller, released with
 * canvas_free() (NULL is a no-op). Strings passed in are borrowed; strings
 * returned are malloc()ed and owned by the caller.
 */
#ifndef WHARF_UI_CANVAS_H
#define WHARF_UI_CANVAS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "ui/text.h"

/* What a cell means; ui/theme.c maps each role to colours or attributes. */
enum ui_role {
	UI_ROLE_NORMAL = 0,
	UI_ROLE_TITLE,      /* title line at the top */
	UI_ROLE_KEYBAR,     /* key bar: the labels */
	UI_ROLE_KEYBAR_KEY, /* key bar: the key names ("F1") */
	UI_ROLE_STATUS_OK,  /* status line, all is well */
	UI_ROLE_STATUS_ERR, /* status line, something was refused */
	UI_ROLE_ALERT,      /* full-screen interception alert (red) */
	UI_ROLE_INPUT,      /* a field the user types or scans into */
	UI_ROLE_DIM,        /* secondary information */
	UI_ROLE_SELECTED,   /* the highlighted list entry */
	UI_ROLE_COUNT
};

/* Right half of a double-width character: not drawn on its own. */
#define CANVAS_WIDE_TAIL 0xFFFFFFFFu
#define CANVAS_CELL_CHARS 3 /* base + combining marks kept per cell */

struct canvas_cell {
	uint32_t ch[CANVAS_CELL_CHARS]; /* ch[0] base, then marks, 0-ended */
	uint8_t role;                   /* enum ui_role */
};

struct canvas {
	int w, h;
	bool ascii;                /* ASCII fallback (non-UTF-8 terminal) */
	struct canvas_cell *cells; /* h rows of w cells */
	int cursor_x, cursor_y;    /* shown text cursor; -1: hidden */
};

/* A w x h canvas of blanks in UI_ROLE_NORMAL; NULL when out of memory.
 * Negative sizes count as 0. */
struct canvas *canvas_new(int w, int h, bool ascii);

/* Changes the size and clears. On failure the canvas keeps its old size. */
enum wh_err canvas_resize(struct canvas *c, int w, int h);

void canvas_free(struct canvas *c);

/* Fills the whole grid with blanks of role and hides the cursor. */
void canvas_clear(struct canvas *c, enum ui_role role);

/* Shows the text cursor at (x, y) after the flush (an input field);
 * out of the grid hides it. */
void canvas_cursor(struct canvas *c, int x, int y);

/* Fills a rectangle with blanks of role. */
void canvas_fill(struct canvas *c, int x, int y, int w, int h,
		 enum ui_role role);

/*
 * Draws one line of text at (x, y), clipped to maxw columns (and to the
 * grid); maxw < 0 means "to the right edge". Returns the columns written.
 * Cells beyond the text are left alone.
 */
int canvas_text(struct canvas *c, int x, int y, int maxw, enum ui_role role,
		const char *s);

/* Draws s into exactly w columns at (x, y), aligned and padded with blanks
 * of role, with '…' when cut. */
void canvas_text_aligned(struct canvas *c, int x, int y, int w,
			 enum ui_role role, enum text_align align,
			 const char *s);

/* Lines and boxes (─ │ ┌ ┐ └ ┘, or - | + in ASCII mode). A box needs w and
 * h >= 2; smaller draws nothing. */
void canvas_hline(struct canvas *c, int x, int y, int w, enum ui_role role);
void canvas_vline(struct canvas *c, int x, int y, int h, enum ui_role role);
void canvas_box(struct canvas *c, int x, int y, int w, int h,
		enum ui_role role);

/*
 * A full-width line at row y: left-aligned text and right-aligned text on
 * blanks of role. When both do not fit, left keeps its place and right is
 * dropped (then left is cut with '…'). Either may be NULL.
 */
void canvas_status(struct canvas *c, int y, enum ui_role role,
		   const char *left, const char *right);

/*
 * Big digits for quantities read at arm's length. rows is 3 or 5 (anything
 * else counts as 5). s may hold 0-9, '-', '.', ':', '/' and ' '; other
 * characters draw as ' '. Glyphs are one column apart.
 * canvas_bigdigits_width() gives the columns s needs; canvas_bigdigits()
 * draws at (x, y), clipped, and returns that width.
 */
int canvas_bigdigits_width(const char *s);
int canvas_bigdigits(struct canvas *c, int x, int y, int rows,
		     enum ui_role role, const char *s);

/* Row y as UTF-8 text (wide tails skipped), w columns wide; NULL on ENOMEM
 * or y out of range. */
char *canvas_row_text(const struct canvas *c, int y);

/* The whole grid as text, rows ended by '\n'. */
char *canvas_dump(const struct canvas *c);

/* Role of a cell; UI_ROLE_NORMAL outside the grid. */
enum ui_role canvas_role_at(const struct canvas *c, int x, int y);

/* Flushes the grid to curses' stdscr with the theme's attributes and
 * refreshes the terminal (canvas_curses.c). The theme is borrowed. */
struct theme;
void canvas_flush(const struct canvas *c, const struct theme *t);

#endif
