/*
 * station.h - which screen a menu item opens, for the station's runner.
 *
 * station_open_screen() is the pure half of the runner's open_screen
 * (loop.h): it maps LOGIN_SCREEN_MENU to the role-based menu and each enum
 * menu_item to its screen, refusing items the user's roles do not allow
 * and, clearly, the ones whose screens are not built yet (Pick, Receive,
 * Putaway, Count, Move, Pack, Wave release wait for the inventory engine):
 * WH_ERR_UNSUPPORTED with "Pick: not built yet", which the loop shows on
 * the bottom row with an error beep.
 *
 * The station's own words (offline banner...) live here too, so that
 * xgettext finds them with the rest of ui/ and the translation test
 * covers them.
 */
#ifndef WHARF_UI_STATION_H
#define WHARF_UI_STATION_H

#include <stdint.h>

#include "domain/gs1.h"
#include "ui/screen.h"

struct station_session {
	unsigned roles;       /* enum menu_role bits of the logged-in user */
	const char *user;     /* display name (the menu sanitises it) */
	struct gs1_date today; /* for the scanner test's GS1 dates */
};

enum wh_err station_open_screen(const struct station_session *s, int screen,
				int64_t param,
				const struct ui_screen_ops **ops, void **state,
				struct wh_error *e);

/* Translated texts of the station shell. */
const char *station_text_offline(void);      /* the OFFLINE banner */
const char *station_text_back_online(void);
const char *station_text_no_db(void);        /* a call while offline */
const char *station_text_idle_logout(void);  /* notice after idle logout */
const char *station_text_scanner(void);      /* "Scanner" (prefix) */

#endif
