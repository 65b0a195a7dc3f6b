#include "ui/scr_summary.h"

#include <curses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "db/summary.h"

#define REFRESH_MS 5000

struct summary_view {
	struct stock_summary s;
	struct wh_error err; /* last refresh error, code WH_OK if none */
	int current;         /* warehouse shown on narrow screens */
};

/* Draws UTF-8 text at (y, x), cut to cols display columns without ever
 * splitting a character (a wide character that would not fit is left out). */
static void put_clipped(int y, int x, int cols, const char *s)
{
	mbstate_t st;
	int used = 0;

	memset(&st, 0, sizeof(st));
	move(y, x);
	while (*s && used < cols) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* Invalid text is shown as '?', never as raw bytes. */
			memset(&st, 0, sizeof(st));
			wc = L'?';
			n = 1;
		}
		w = wcwidth(wc);
		if (w < 0) {
			wc = L'?';
			w = 1;
		}
		if (used + w > cols)
			break;
		addnwstr(&wc, 1);
		used += w;
		s += n;
	}
}

static void put_figure(int y, int cols, const char *label, long value)
{
	char num[32];
	int nw;

	snprintf(num, sizeof(num), "%ld", value);
	nw = (int)strlen(num);
	put_clipped(y, 0, cols - nw - 1, label);
	mvaddstr(y, cols - nw, num);
}

static const char *labels[] = {
	"Bins", "SKUs in stock", "Units on hand", "Allocated", "Quarantined",
	"Lots expired", "Lots near ship-by", "SKUs below safety", "Open orders",
	"Exceptions",
};

static void figures_of(const struct warehouse_summary *w, long out[10])
{
	long v[10] = { w->bins, w->skus, w->on_hand, w->allocated,
		       w->quarantined, w->lots_expired, w->lots_near,
		       w->below_safety, w->orders_open, w->orders_exception };

	memcpy(out, v, sizeof(v));
}

static void draw(const struct summary_view *v)
{
	int rows, cols, y = 0;
	char line[256];

	getmaxyx(stdscr, rows, cols);
	erase();
	if (cols < 20 || rows < 8) {
		snprintf(line, sizeof(line), "too small: %dx%d", cols, rows);
		put_clipped(0, 0, cols, line);
		refresh();
		return;
	}
	attron(A_REVERSE);
	mvhline(0, 0, ' ', cols);
	put_clipped(0, 0, cols, cols >= 40 ? "wharf - stock summary" : "wharf");
	attroff(A_REVERSE);
	y = 1;
	if (cols >= 40) {
		snprintf(line, sizeof(line), "%s  db %s  schema %s  ledger %ld",
			 v->s.server, v->s.database, v->s.schema_version,
			 v->s.ledger_rows);
		put_clipped(y++, 0, cols, line);
	}
	if (v->err.code != WH_OK) {
		attron(A_BOLD);
		put_clipped(y++, 0, cols, v->err.msg);
		attroff(A_BOLD);
	}
	if (v->s.nwarehouses == 0) {
		put_clipped(y + 1, 0, cols, "No warehouse yet.");
		put_clipped(y + 2, 0, cols, "wharf db seed --demo");
	} else if (cols >= 24 + 14 * v->s.nwarehouses) {
		/* Wide: every warehouse side by side. */
		y++;
		for (int i = 0; i < v->s.nwarehouses; i++) {
			snprintf(line, sizeof(line), "%s", v->s.wh[i].code);
			mvaddstr(y, 24 + 14 * i + 13 - (int)strlen(line), line);
			put_clipped(y + 1, 24 + 14 * i + 1, 13, v->s.wh[i].name);
		}
		y += 2;
		for (size_t f = 0; f < 10 && y < rows - 1; f++, y++) {
			put_clipped(y, 0, 23, labels[f]);
			for (int i = 0; i < v->s.nwarehouses; i++) {
				long fig[10];

				figures_of(&v->s.wh[i], fig);
				snprintf(line, sizeof(line), "%13ld", fig[f]);
				mvaddstr(y, 24 + 14 * i, line);
			}
		}
	} else {
		/* Narrow (a handheld): one warehouse, Tab for the next. */
		const struct warehouse_summary *w = &v->s.wh[v->current];
		long fig[10];

		snprintf(line, sizeof(line), "%s %s", w->code, w->name);
		attron(A_BOLD);
		put_clipped(y++, 0, cols, line);
		attroff(A_BOLD);
		figures_of(w, fig);
		for (size_t f = 0; f < 10 && y < rows - 1; f++)
			put_figure(y++, cols, labels[f], fig[f]);
	}
	attron(A_REVERSE);
	mvhline(rows - 1, 0, ' ', cols);
	put_clipped(rows - 1, 0, cols,
		    cols >= 40 ? "r Refresh  Tab Next warehouse  q Quit"
			       : "r Rfsh Tab Next q Quit");
	attroff(A_REVERSE);
	refresh();
}

static void reload(struct db *db, struct summary_view *v)
{
	struct stock_summary s;

	if (db_stock_summary(db, &s, &v->err) == WH_OK) {
		v->s = s;
		wh_error_clear(&v->err);
		if (v->current >= v->s.nwarehouses)
			v->current = 0;
	}
}

enum wh_err summary_run(struct db *db, struct wh_error *err)
{
	struct summary_view *v;
	bool quit = false;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return wh_error_set(err, WH_ERR_UNSUPPORTED,
				    "the station needs a terminal");
	v = calloc(1, sizeof(*v));
	if (!v)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (!initscr()) {
		free(v);
		return wh_error_set(err, WH_ERR_UNSUPPORTED,
				    "cannot initialise the terminal");
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	reload(db, v);
	draw(v);
	while (!quit) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int n = poll(&pfd, 1, REFRESH_MS);
		int ch;

		if (n == 0)
			reload(db, v);
		while ((ch = getch()) != ERR) {
			if (ch == 'q' || ch == 'Q')
				quit = true;
			else if (ch == 'r' || ch == 'R')
				reload(db, v);
			else if ((ch == '\t' || ch == KEY_RIGHT) &&
				 v->s.nwarehouses > 0)
				v->current = (v->current + 1) % v->s.nwarehouses;
		}
		draw(v);
	}
	endwin();
	free(v);
	return WH_OK;
}
