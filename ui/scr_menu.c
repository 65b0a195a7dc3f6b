/*
 * scr_menu.c - the role-based main menu. See scr_menu.h.
 */
#include "ui/scr_menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/text.h"

#define ROLES_ANY 0x1Fu
#define ROLES_ALWAYS 0u /* shown even to a user with no role */
#define BOSS (MENU_ROLE_SUPERVISOR | MENU_ROLE_ADMIN)

static const struct menu_entry {
	enum menu_item item;
	const char *label; /* msgid */
	char letter;       /* shortcut, shown at desk sizes */
	unsigned roles;    /* any of these may open it */
} menu_entries[] = {
	{ MENU_PICK, N_("Pick"), 'p', MENU_ROLE_PICKER | BOSS },
	{ MENU_RECEIVE, N_("Receive"), 'r', MENU_ROLE_RECEIVER | BOSS },
	{ MENU_PUTAWAY, N_("Putaway"), 'u', MENU_ROLE_RECEIVER | BOSS },
	{ MENU_COUNT, N_("Count"), 'c',
	  MENU_ROLE_PICKER | MENU_ROLE_RECEIVER | BOSS },
	{ MENU_MOVE, N_("Move"), 'm', MENU_ROLE_RECEIVER | BOSS },
	{ MENU_STOCK, N_("Stock lookup"), 's', ROLES_ANY },
	{ MENU_PACK, N_("Pack"), 'k', MENU_ROLE_PACKER | BOSS },
	{ MENU_WAVE, N_("Wave release"), 'w', BOSS },
	{ MENU_SCANNER_TEST, N_("Scanner test"), 't', ROLES_ALWAYS },
	{ MENU_LOGOUT, N_("Logout"), 'l', ROLES_ALWAYS },
};

#define NENTRIES (sizeof(menu_entries) / sizeof(menu_entries[0]))

enum menu_action {
	ACT_OPEN = 1,
	ACT_LOGOUT,
	ACT_UP,
	ACT_DOWN,
	ACT_FIRST,
	ACT_LAST,
	ACT_YES,
	ACT_NO,
};

static const struct ui_key_binding browse_keys[] = {
	{ UI_KEY_ENTER, N_("Open"), ACT_OPEN },
	{ UI_KEY_F(10), N_("Logout"), ACT_LOGOUT },
	{ UI_KEY_UP, NULL, ACT_UP },
	{ UI_KEY_DOWN, NULL, ACT_DOWN },
	{ UI_KEY_TAB, NULL, ACT_DOWN },
	{ UI_KEY_HOME, NULL, ACT_FIRST },
	{ UI_KEY_PGUP, NULL, ACT_FIRST },
	{ UI_KEY_END, NULL, ACT_LAST },
	{ UI_KEY_PGDN, NULL, ACT_LAST },
	{ 0 },
};

static const struct ui_key_binding confirm_keys[] = {
	{ UI_KEY_ENTER, N_("Yes"), ACT_YES },
	{ UI_KEY_ESC, N_("No"), ACT_NO },
	{ 'y', NULL, ACT_YES },
	{ 'n', NULL, ACT_NO },
	{ 0 },
};

enum menu_status {
	STATUS_HINT,         /* "Choose a task" */
	STATUS_SCAN_REFUSED, /* a scan arrived with no task open */
};

struct menu {
	enum menu_mode mode;
	enum menu_status status;
	const struct menu_entry *entry[NENTRIES]; /* visible, in order */
	int n, sel;
	char *user; /* sanitised */
};

bool menu_item_allowed(enum menu_item item, unsigned roles)
{
	size_t i;

	for (i = 0; i < NENTRIES; i++)
		if (menu_entries[i].item == item)
			return menu_entries[i].roles == ROLES_ALWAYS ||
			       (menu_entries[i].roles & roles);
	return false;
}

static void *menu_init(const void *params, struct wh_error *e)
{
	const struct menu_params *p = params;
	struct menu *m = calloc(1, sizeof(*m));
	const char *user = p && p->user ? p->user : "";
	size_t i;

	if (!m)
		goto out_nomem;
	m->user = text_sanitize(user, strlen(user), 0);
	if (!m->user)
		goto out_free_m;
	for (i = 0; i < NENTRIES; i++)
		if (menu_item_allowed(menu_entries[i].item, p ? p->roles : 0))
			m->entry[m->n++] = &menu_entries[i];
	return m;

out_free_m:
	free(m);
out_nomem:
	wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	return NULL;
}

static void menu_free(void *state)
{
	struct menu *m = state;

	if (!m)
		return;
	free(m->user);
	free(m);
}

/* The visible entry a digit (1-9, 0 = 10th) or letter key names, or -1. */
static int shortcut(const struct menu *m, int key)
{
	int i;

	if (key >= '1' && key <= '9')
		return key - '1' < m->n ? key - '1' : -1;
	if (key == '0')
		return m->n >= 10 ? 9 : -1;
	if (key >= 'A' && key <= 'Z')
		key += 'a' - 'A';
	for (i = 0; i < m->n; i++)
		if (m->entry[i]->letter == key)
			return i;
	return -1;
}

static unsigned choose(struct menu *m, int idx, struct ui_effects *fx)
{
	m->sel = idx;
	m->status = STATUS_HINT;
	if (m->entry[idx]->item == MENU_LOGOUT) {
		m->mode = MENU_CONFIRM_LOGOUT;
		return UI_HANDLED | UI_REDRAW;
	}
	ui_fx_push(fx, (int)m->entry[idx]->item, 0);
	return UI_HANDLED | UI_REDRAW;
}

static int index_of(const struct menu *m, enum menu_item item)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->entry[i]->item == item)
			return i;
	return -1;
}

static unsigned browse_key(struct menu *m, int key, struct ui_effects *fx)
{
	int idx;

	switch (keys_dispatch(browse_keys, key)) {
	case ACT_OPEN:
		return choose(m, m->sel, fx);
	case ACT_LOGOUT:
		return choose(m, index_of(m, MENU_LOGOUT), fx);
	case ACT_UP:
		m->sel = (m->sel + m->n - 1) % m->n;
		return UI_HANDLED | UI_REDRAW;
	case ACT_DOWN:
		m->sel = (m->sel + 1) % m->n;
		return UI_HANDLED | UI_REDRAW;
	case ACT_FIRST:
		m->sel = 0;
		return UI_HANDLED | UI_REDRAW;
	case ACT_LAST:
		m->sel = m->n - 1;
		return UI_HANDLED | UI_REDRAW;
	}
	idx = shortcut(m, key);
	if (idx < 0)
		return UI_IGNORED;
	return choose(m, idx, fx);
}

static unsigned confirm_key(struct menu *m, int key, struct ui_effects *fx)
{
	switch (keys_dispatch(confirm_keys, key)) {
	case ACT_YES:
		ui_fx_quit(fx, UI_QUIT_LOGOUT);
		return UI_HANDLED;
	case ACT_NO:
		m->mode = MENU_BROWSE;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_IGNORED;
}

static unsigned menu_event(void *state, const struct ui_event *ev,
			   struct ui_effects *fx)
{
	struct menu *m = state;

	switch (ev->type) {
	case UI_EV_KEY:
		if (m->mode == MENU_CONFIRM_LOGOUT)
			return confirm_key(m, ev->key, fx);
		return browse_key(m, ev->key, fx);
	case UI_EV_SCAN:
		m->status = STATUS_SCAN_REFUSED;
		ui_fx_beep(fx, false);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_RESUME:
		m->mode = MENU_BROWSE;
		m->status = STATUS_HINT;
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

/* --- drawing --------------------------------------------------------- */

/* Draws entry i as "1 Pick" in w columns at (x, y); letter: add "  P". */
static void draw_entry(const struct menu *m, struct canvas *c, int i, int x,
		       int y, int w, bool letter)
{
	enum ui_role role = i == m->sel ? UI_ROLE_SELECTED : UI_ROLE_NORMAL;
	char num[4], key[2] = { 0 };
	int lw;

	snprintf(num, sizeof(num), "%d ", (i + 1) % 10);
	canvas_fill(c, x, y, w, 1, role);
	lw = letter ? w - 2 - 3 : w - 2;
	canvas_text(c, x, y, 2, i < 10 ? role : UI_ROLE_DIM, i < 10 ? num : "");
	canvas_text_aligned(c, x + 2, y, lw, role, TEXT_LEFT,
			    _(m->entry[i]->label));
	if (letter) {
		key[0] = (char)(m->entry[i]->letter - 'a' + 'A');
		canvas_text(c, x + w - 2, y, 1,
			    i == m->sel ? role : UI_ROLE_DIM, key);
	}
}

/* Narrow layouts: as many columns as the rows need, else one scrolling. */
static void draw_list(const struct menu *m, struct canvas *c, int y0,
		      int rows)
{
	int ncols = (m->n + rows - 1) / rows, colw, top = 0, i;

	if (ncols < 1)
		ncols = 1;
	colw = c->w / ncols;
	if (colw < 14) {
		ncols = 1;
		colw = c->w;
	}
	if (ncols == 1 && m->sel >= rows)
		top = m->sel - rows + 1;
	for (i = top; i < m->n; i++) {
		int k = i - top, col = k / rows, row = k % rows;

		if (col >= ncols)
			break;
		draw_entry(m, c, i, col * colw, y0 + row,
			   col == ncols - 1 ? c->w - col * colw : colw - 1,
			   false);
	}
}

/* Desk layouts: a box in the middle with the letter shortcuts. */
static void draw_box(const struct menu *m, struct canvas *c, int y0,
		     int rows)
{
	int bw = c->w - 4 < 44 ? c->w - 4 : 44, bh = m->n + 2, x, y, i;

	if (bh > rows) {
		draw_list(m, c, y0, rows);
		return;
	}
	x = (c->w - bw) / 2;
	y = y0 + (rows - bh) / 2;
	canvas_box(c, x, y, bw, bh, UI_ROLE_DIM);
	for (i = 0; i < m->n; i++)
		draw_entry(m, c, i, x + 2, y + 1 + i, bw - 4, true);
}

static void menu_draw(const void *state, struct canvas *c)
{
	const struct menu *m = state;
	enum ui_layout lay = ui_layout_classify(c->w, c->h);
	int rows = c->h - 3;

	canvas_status(c, 0, UI_ROLE_TITLE, _("Main menu"), m->user);
	if (lay == UI_LAYOUT_DESK || lay == UI_LAYOUT_WIDE)
		draw_box(m, c, 1, rows);
	else
		draw_list(m, c, 1, rows);
	if (m->mode == MENU_CONFIRM_LOGOUT)
		canvas_status(c, c->h - 2, UI_ROLE_ALERT, _("Log out?"), NULL);
	else if (m->status == STATUS_SCAN_REFUSED)
		canvas_status(c, c->h - 2, UI_ROLE_STATUS_ERR,
			      _("Choose a task before scanning"), NULL);
	else
		canvas_status(c, c->h - 2, UI_ROLE_STATUS_OK,
			      _("Choose a task"), NULL);
	keys_bar_draw(c, c->h - 1,
		      m->mode == MENU_CONFIRM_LOGOUT ? confirm_keys
						     : browse_keys);
}

enum menu_item menu_selected(const void *state)
{
	const struct menu *m = state;

	return m->entry[m->sel]->item;
}

enum menu_mode menu_mode(const void *state)
{
	return ((const struct menu *)state)->mode;
}

const struct ui_screen_ops scr_menu = {
	.name = "menu",
	.init = menu_init,
	.event = menu_event,
	.draw = menu_draw,
	.free = menu_free,
};
