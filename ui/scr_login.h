/*
 * scr_login.h - the station's login: badge (scanned or typed), then PIN.
 *
 * States (enum login_state):
 *   LOGIN_BADGE   a scan, or typed text + Enter, gives the badge (or the
 *                 login name); Esc clears, F10 leaves the program;
 *   LOGIN_PIN     the PIN is typed and shown as '*'; Enter asks the
 *                 database (UI_REQ_LOGIN, tag LOGIN_TAG_LOGIN); Esc goes
 *                 back to the badge; a new badge scan replaces the badge;
 *   LOGIN_WAIT    the database is checking; input is ignored;
 *   LOGIN_DONE    logged in: the screen pushed LOGIN_SCREEN_MENU with the
 *                 user id and stays under the menu as the session, with an
 *                 idle timer (ui_fx_idle_timer, params.idle_ms). When it
 *                 fires the screen asks for UI_REQ_LOGOUT("idle") and
 *                 quits the loop with UI_QUIT_LOGOUT.
 * A refusal (wrong PIN, locked user, unknown badge, database down) shows
 * the database's message on the status line with an error beep, keeps the
 * badge and asks for the PIN again; a coded one ("WRONG_PIN: ...") in the
 * user's language, as floor_msg_db() words it (ui/floor.h). The PIN is
 * never drawn, and is wiped from the state as soon as the request is made.
 *
 * Layouts: 20x16 (labels above fields), 40x8 and smaller heights (label
 * and field on one row), 80x24 (a box in the middle).
 */
#ifndef WHARF_UI_SCR_LOGIN_H
#define WHARF_UI_SCR_LOGIN_H

#include <stdint.h>

#include "ui/screen.h"

#define LOGIN_FIELD_MAX 64 /* bytes of a badge or login name */
#define LOGIN_PIN_MAX 16
#define LOGIN_TAG_LOGIN 1
#define LOGIN_TAG_LOGOUT 2
#define LOGIN_TIMER_IDLE 1
#define LOGIN_IDLE_DEFAULT_MS (10 * 60 * 1000)

/* The screen id login pushes when the user is in: the runner opens the
 * role-based menu for it. Above enum menu_item's range. */
#define LOGIN_SCREEN_MENU 100

struct login_params {
	const char *station; /* station code for the title; borrowed */
	const char *notice;  /* first status line ("Logged out: idle"); NULL */
	int idle_ms;         /* idle logout; <= 0: LOGIN_IDLE_DEFAULT_MS */
};

enum login_state {
	LOGIN_BADGE,
	LOGIN_PIN,
	LOGIN_WAIT,
	LOGIN_DONE,
};

extern const struct ui_screen_ops scr_login;

/* Inspecting a state from scr_login.init (tests and logs). */
enum login_state login_state(const void *state);
const char *login_badge(const void *state);
/* The status line as shown ("" when none). */
const char *login_status(const void *state);

/* enum menu_role bits for a wharf.user_role name; 0 when unknown. */
unsigned login_role_bits(const char *role);

#endif
