/*
 * keys.h - key codes, one key table per screen, the key bar.
 *
 * A key is an int: a Unicode character as typed (1..0x10FFFF), or one of the
 * UI_KEY_* codes above that for keys that are not characters. The loop turns
 * curses input into these codes (keys_from_curses), so screens and their
 * tests never see curses.
 *
 * A screen declares its keys as a const table (tmux's cmd_entry habit):
 *
 *	static const struct ui_key_binding pick_keys[] = {
 *		{ UI_KEY_F(1), N_("Help"), PICK_HELP },
 *		{ UI_KEY_F(2), N_("Skip"), PICK_SKIP },
 *		{ 'q', NULL, PICK_QUIT },     (dispatched, not shown)
 *		{ 0 }
 *	};
 *
 * and its event function does `switch (keys_dispatch(pick_keys, key))`.
 * Tables and their labels are borrowed (static storage in practice).
 */
#ifndef WHARF_UI_KEYS_H
#define WHARF_UI_KEYS_H

#include <stddef.h>

#include "ui/canvas.h"

enum ui_key {
	UI_KEY_NONE = 0,
	UI_KEY_BASE = 0x110000, /* first code past Unicode */
	UI_KEY_ENTER = UI_KEY_BASE,
	UI_KEY_ESC,
	UI_KEY_TAB,
	UI_KEY_BACKSPACE,
	UI_KEY_DELETE,
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_F0 = UI_KEY_BASE + 0x100, /* UI_KEY_F(1) .. UI_KEY_F(24) */
};

#define UI_KEY_F(n) (UI_KEY_F0 + (n))

/* No action bound: keys_dispatch()'s answer for an unknown key. */
#define UI_ACTION_NONE 0

struct ui_key_binding {
	int key;           /* a character or UI_KEY_*; 0 ends the table */
	const char *label; /* msgid, translated when drawn; NULL: not shown */
	int action;        /* the screen's action id, > 0 */
};

/*
 * The action bound to key, or UI_ACTION_NONE. An ASCII letter in the table
 * matches both cases. table may be NULL.
 */
int keys_dispatch(const struct ui_key_binding *table, int key);

/*
 * Writes the key's short name ("F1", "Ent", "Esc", "Up", "Q", "仓") into buf
 * (always NUL-terminated when n > 0) and returns its length in bytes.
 */
size_t keys_name(int key, char *buf, size_t n);

/*
 * Draws the table's labelled keys as a key bar on row y: "F1Help F2Skip".
 * It fits the canvas width by shortening the longest labels down to
 * 4 columns, then dropping entries from the end of the table (so put the
 * important keys first).
 */
void keys_bar_draw(struct canvas *c, int y,
		   const struct ui_key_binding *table);

/*
 * Turns the result of curses' get_wch() (ret: OK, KEY_CODE_YES or ERR; wch:
 * the character or KEY_* code) into a key; UI_KEY_NONE for nothing useful
 * (ERR, KEY_RESIZE, mouse). Normalises CR/LF/KEY_ENTER to UI_KEY_ENTER,
 * DEL/^H/KEY_BACKSPACE to UI_KEY_BACKSPACE, ESC to UI_KEY_ESC.
 * Implemented in keys_curses.c.
 */
int keys_from_curses(int ret, unsigned long wch);

#endif
