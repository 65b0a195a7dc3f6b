/*
 * station.c - menu items to screens, and the station shell's texts. See
 * station.h.
 */
#include "ui/station.h"

#include <stddef.h>

#include "ui/i18n.h"
#include "ui/scr_count.h"
#include "ui/scr_login.h"
#include "ui/scr_lookup.h"
#include "ui/scr_menu.h"
#include "ui/scr_move.h"
#include "ui/scr_pick.h"
#include "ui/scr_pack.h"
#include "ui/scr_putaway.h"
#include "ui/scr_receive.h"
#include "ui/scr_scantest.h"
#include "ui/scr_summary.h"
#include "ui/scr_wave.h"

static enum wh_err open_ops(const struct ui_screen_ops *want,
			    const void *params,
			    const struct ui_screen_ops **ops, void **state,
			    struct wh_error *e)
{
	*state = want->init(params, e);
	if (!*state)
		return e && e->code ? e->code : WH_ERR_NOMEM;
	*ops = want;
	return WH_OK;
}

enum wh_err station_open_screen(const struct station_session *s, int screen,
				int64_t param,
				const struct ui_screen_ops **ops, void **state,
				struct wh_error *e)
{
	struct menu_params mp;
	struct scantest_params tp;
	struct pick_params pp;
	struct receive_params rp;
	struct pack_params kp;
	struct putaway_params ap;
	struct count_params cp;
	struct move_params vp;
	struct lookup_params lp;

	(void)param;
	*ops = NULL;
	*state = NULL;
	if (screen == LOGIN_SCREEN_MENU) {
		mp.roles = s->roles;
		mp.user = s->user;
		return open_ops(&scr_menu, &mp, ops, state, e);
	}
	if (screen == LOOKUP_SCREEN_SUMMARY)
		return open_ops(&scr_summary, NULL, ops, state, e);
	if (screen < MENU_PICK || screen >= MENU_ITEM_END)
		return wh_error_set(e, WH_ERR_INVALID, "%s",
				    _("Not available"));
	if (!menu_item_allowed((enum menu_item)screen, s->roles))
		return wh_error_set(e, WH_ERR_PERM, "%s",
				    _("Not allowed for your role"));
	switch (screen) {
	case MENU_PICK:
		pp.today = s->today;
		return open_ops(&scr_pick, &pp, ops, state, e);
	case MENU_PACK:
		kp.today = s->today;
		return open_ops(&scr_pack, &kp, ops, state, e);
	case MENU_RECEIVE:
		rp.today = s->today;
		return open_ops(&scr_receive, &rp, ops, state, e);
	case MENU_PUTAWAY:
		ap.today = s->today;
		return open_ops(&scr_putaway, &ap, ops, state, e);
	case MENU_COUNT:
		cp.today = s->today;
		return open_ops(&scr_count, &cp, ops, state, e);
	case MENU_MOVE:
		vp.today = s->today;
		return open_ops(&scr_move, &vp, ops, state, e);
	case MENU_STOCK:
		lp.today = s->today;
		return open_ops(&scr_lookup, &lp, ops, state, e);
	case MENU_WAVE:
		return open_ops(&scr_wave, NULL, ops, state, e);
	case MENU_SCANNER_TEST:
		tp.today = s->today;
		return open_ops(&scr_scantest, &tp, ops, state, e);
	default:
		return wh_error_set(e, WH_ERR_INVALID, "%s",
				    _("Not available"));
	}
}

const char *station_text_offline(void)
{
	return _("OFFLINE: reconnecting to the database...");
}

const char *station_text_back_online(void)
{
	return _("Back online");
}

const char *station_text_no_db(void)
{
	return _("Offline: the database is unreachable");
}

const char *station_text_idle_logout(void)
{
	return _("Logged out: no activity");
}

const char *station_text_scanner(void)
{
	return _("Scanner");
}
