/*
 * scr_menu.h - the role-based main menu, the first screen after login.
 *
 * States: MENU_BROWSE (arrows, digits 1-9/0 and letter shortcuts choose an
 * item) and MENU_CONFIRM_LOGOUT (Enter/y logs out, Esc/n goes back).
 * Choosing an item appends UI_FX_PUSH_SCREEN with push.screen = the item
 * (enum menu_item) and param 0: the runner's open_screen maps it to the
 * screen. Logout appends UI_FX_QUIT(UI_QUIT_LOGOUT) after confirmation.
 * A scan here is refused with an error beep (no task is open).
 *
 * Layouts: 20x16 one column, 40x8 two columns, 80x24 and up a box with
 * the letter shortcuts; title line, status line and key bar on all.
 *
 * Usage:
 *	struct menu_params p = { .roles = MENU_ROLE_PICKER, .user = name };
 *	void *st = scr_menu.init(&p, &err);
 *	ui_loop_push(loop, &scr_menu, st);
 */
#ifndef WHARF_UI_SCR_MENU_H
#define WHARF_UI_SCR_MENU_H

#include "ui/screen.h"

enum menu_item {
	MENU_PICK = 1,
	MENU_RECEIVE,
	MENU_PUTAWAY,
	MENU_COUNT,
	MENU_MOVE,
	MENU_STOCK,
	MENU_PACK,
	MENU_WAVE,
	MENU_SCANNER_TEST,
	MENU_LOGOUT,
	MENU_ITEM_END
};

/* The user's roles; the database enforces them too (DESIGN.md 9), the menu
 * only hides what the user may not open. */
enum menu_role {
	MENU_ROLE_PICKER = 1u << 0,
	MENU_ROLE_PACKER = 1u << 1,
	MENU_ROLE_RECEIVER = 1u << 2,
	MENU_ROLE_SUPERVISOR = 1u << 3,
	MENU_ROLE_ADMIN = 1u << 4,
};

struct menu_params {
	unsigned roles;   /* enum menu_role bits */
	const char *user; /* shown in the title; borrowed, sanitised; NULL ok */
};

enum menu_mode {
	MENU_BROWSE,
	MENU_CONFIRM_LOGOUT,
};

extern const struct ui_screen_ops scr_menu;

/* Whether item is on the menu for roles (pure). */
bool menu_item_allowed(enum menu_item item, unsigned roles);

/* Inspecting a menu state (from scr_menu.init), for tests and logs. */
enum menu_item menu_selected(const void *state);
enum menu_mode menu_mode(const void *state);

#endif
