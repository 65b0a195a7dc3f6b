/*
 * theme.c - roles to colours, with the monochrome fallback. See theme.h.
 */
#include "ui/theme.h"

#include <stdlib.h>

#define DEFAULT_COLOR (-1) /* the terminal's own, via use_default_colors */

static const struct theme_entry {
	enum ui_role role;
	short fg, bg;
	attr_t color_attr; /* added to the colour pair */
	attr_t mono_attr;  /* used alone without colour */
} theme_table[UI_ROLE_COUNT] = {
	{ UI_ROLE_NORMAL, DEFAULT_COLOR, DEFAULT_COLOR, A_NORMAL, A_NORMAL },
	{ UI_ROLE_TITLE, COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	{ UI_ROLE_KEYBAR, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	{ UI_ROLE_KEYBAR_KEY, DEFAULT_COLOR, DEFAULT_COLOR, A_BOLD, A_BOLD },
	{ UI_ROLE_STATUS_OK, COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_UNDERLINE },
	{ UI_ROLE_STATUS_ERR, COLOR_WHITE, COLOR_RED, A_BOLD,
	  A_REVERSE | A_BOLD },
	{ UI_ROLE_ALERT, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	{ UI_ROLE_INPUT, COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_UNDERLINE },
	{ UI_ROLE_DIM, COLOR_BLUE, DEFAULT_COLOR, A_BOLD, A_DIM },
	{ UI_ROLE_SELECTED, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
};

bool theme_want_mono(const char *no_color, bool has_colors, int colors)
{
	if (no_color && no_color[0])
		return true;
	return !has_colors || colors < 8;
}

void theme_build(struct theme *t, bool mono)
{
	int i;

	t->mono = mono;
	for (i = 0; i < UI_ROLE_COUNT; i++) {
		const struct theme_entry *e = &theme_table[i];

		if (mono)
			t->attr[e->role] = e->mono_attr;
		else
			t->attr[e->role] = COLOR_PAIR(i + 1) | e->color_attr;
	}
}

void theme_init(struct theme *t)
{
	bool mono = theme_want_mono(getenv("NO_COLOR"), has_colors(),
				    has_colors() ? COLORS : 0);
	bool defaults;
	int i;

	if (!mono && start_color() == ERR)
		mono = true;
	if (!mono) {
		defaults = use_default_colors() == OK;
		for (i = 0; i < UI_ROLE_COUNT; i++) {
			short fg = theme_table[i].fg, bg = theme_table[i].bg;

			if (!defaults && fg == DEFAULT_COLOR)
				fg = COLOR_WHITE;
			if (!defaults && bg == DEFAULT_COLOR)
				bg = COLOR_BLACK;
			init_pair((short)(i + 1), fg, bg);
		}
	}
	theme_build(t, mono);
}

attr_t theme_attr(const struct theme *t, enum ui_role role)
{
	if ((int)role < 0 || role >= UI_ROLE_COUNT)
		role = UI_ROLE_NORMAL;
	return t->attr[role];
}
