/*
 * station.c - menu items to screens, and the station shell's texts. See
 * station.h.
 */
#include "ui/station.h"

#include <stddef.h>

#include "ui/i18n.h"
#include "ui/scr_login.h"
#include "ui/scr_menu.h"
#include "ui/scr_pick.h"
#include "ui/scr_receive.h"
#include "ui/scr_scantest.h"
#include "ui/scr_summary.h"

/* Items waiting for the inventory engine, with their menu labels. */
static const struct {
	enum menu_item item;
	const char *label; /* msgid, the same as the menu's */
} not_built[] = {

	{ MENU_PUTAWAY, N_("Putaway") }, { MENU_COUNT, N_("Count") },
	{ MENU_MOVE, N_("Move") },       { MENU_PACK, N_("Pack") },
	{ MENU_WAVE, N_("Wave release") },
};

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
	size_t i;

	(void)param;
	*ops = NULL;
	*state = NULL;
	if (screen == LOGIN_SCREEN_MENU) {
		mp.roles = s->roles;
		mp.user = s->user;
		return open_ops(&scr_menu, &mp, ops, state, e);
	}
	if (screen < MENU_PICK || screen >= MENU_ITEM_END)
		return wh_error_set(e, WH_ERR_INVALID, "%s",
				    _("Not available"));
	if (!menu_item_allowed((enum menu_item)screen, s->roles))
		return wh_error_set(e, WH_ERR_PERM, "%s",
				    _("Not allowed for your role"));
	for (i = 0; i < sizeof(not_built) / sizeof(not_built[0]); i++)
		if (not_built[i].item == (enum menu_item)screen)
			return wh_error_set(e, WH_ERR_UNSUPPORTED,
					    _("%s: not built yet"),
					    _(not_built[i].label));
	switch (screen) {
	case MENU_PICK:
		pp.today = s->today;
		return open_ops(&scr_pick, &pp, ops, state, e);
	case MENU_RECEIVE:
		rp.today = s->today;
		return open_ops(&scr_receive, &rp, ops, state, e);
	case MENU_STOCK:
		return open_ops(&scr_summary, NULL, ops, state, e);
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
