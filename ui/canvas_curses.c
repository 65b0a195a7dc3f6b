/*
 * canvas_curses.c - the only place a canvas meets curses. See canvas.h.
 */
#include <wchar.h>

#include <curses.h>

#include "ui/canvas.h"
#include "ui/theme.h"

void canvas_flush(const struct canvas *c, const struct theme *t)
{
	int x, y, i;

	for (y = 0; y < c->h; y++) {
		for (x = 0; x < c->w; x++) {
			const struct canvas_cell *k =
				&c->cells[(size_t)y * (size_t)c->w + (size_t)x];
			wchar_t wch[CANVAS_CELL_CHARS + 1] = { 0 };
			cchar_t cc;
			attr_t a;

			if (k->ch[0] == CANVAS_WIDE_TAIL)
				continue;
			for (i = 0; i < CANVAS_CELL_CHARS && k->ch[i]; i++)
				wch[i] = (wchar_t)k->ch[i];
			a = theme_attr(t, (enum ui_role)k->role);
			/* setcchar takes the pair apart from the attributes
			 * and would otherwise reset it to 0. */
			if (setcchar(&cc, wch, a & ~A_COLOR,
				     (short)PAIR_NUMBER(a), NULL) == ERR)
				continue;
			/* The bottom-right cell "fails" (the cursor cannot
			 * advance) but is drawn; nothing to handle. */
			mvwadd_wch(stdscr, y, x, &cc);
		}
	}
	if (c->cursor_x >= 0) {
		wmove(stdscr, c->cursor_y, c->cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}
