/*
 * theme.h - the one table mapping canvas roles to colours and attributes.
 *
 * Colour when the terminal has at least 8 colours and NO_COLOR is unset or
 * empty (https://no-color.org); otherwise monochrome: reverse, bold and
 * underline only, which is what TERM=vt100 gets.
 *
 * A struct theme is a plain value owned by whoever declares it; it holds no
 * pointers. theme_init() talks to curses and must run after initscr();
 * theme_build() and theme_want_mono() are pure.
 */
#ifndef WHARF_UI_THEME_H
#define WHARF_UI_THEME_H

#include <stdbool.h>

#include <curses.h>

#include "ui/canvas.h"

struct theme {
	bool mono;
	attr_t attr[UI_ROLE_COUNT];
};

/* True when the theme must be monochrome. no_color is getenv("NO_COLOR"). */
bool theme_want_mono(const char *no_color, bool has_colors, int colors);

/* Fills t from the table: colour pair (role + 1) and attributes, or the
 * monochrome attributes. Does not call curses. */
void theme_build(struct theme *t, bool mono);

/* Decides colour or mono for the running terminal, initialises the colour
 * pairs and fills t. Call after initscr(). */
void theme_init(struct theme *t);

/* Attributes for role (UI_ROLE_NORMAL's for an unknown role). */
attr_t theme_attr(const struct theme *t, enum ui_role role);

#endif
