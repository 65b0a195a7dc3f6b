/*
 * keys.c - key tables, key names and the key bar. See keys.h.
 */
#include "ui/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/i18n.h"
#include "ui/text.h"

static int fold(int key)
{
	return key >= 'A' && key <= 'Z' ? key - 'A' + 'a' : key;
}

int keys_dispatch(const struct ui_key_binding *t, int key)
{
	for (; t && t->key; t++)
		if (fold(t->key) == fold(key))
			return t->action;
	return UI_ACTION_NONE;
}

static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ UI_KEY_ENTER, "Ent" }, { UI_KEY_ESC, "Esc" },
	{ UI_KEY_TAB, "Tab" },   { UI_KEY_BACKSPACE, "Bksp" },
	{ UI_KEY_DELETE, "Del" }, { UI_KEY_UP, "Up" },
	{ UI_KEY_DOWN, "Dn" },   { UI_KEY_LEFT, "Lt" },
	{ UI_KEY_RIGHT, "Rt" },  { UI_KEY_HOME, "Home" },
	{ UI_KEY_END, "End" },   { UI_KEY_PGUP, "PgUp" },
	{ UI_KEY_PGDN, "PgDn" }, { ' ', "Spc" },
};

size_t keys_name(int key, char *buf, size_t n)
{
	char tmp[8];
	size_t i, len;

	tmp[0] = '\0';
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].key == key)
			snprintf(tmp, sizeof(tmp), "%s", key_names[i].name);
	if (!tmp[0] && key > UI_KEY_F0 && key <= UI_KEY_F(24)) {
		snprintf(tmp, sizeof(tmp), "F%d", key - UI_KEY_F0);
	} else if (!tmp[0] && key > ' ' && key < UI_KEY_BASE) {
		int c = key >= 'a' && key <= 'z' ? key - 'a' + 'A' : key;
		size_t k = text_encode((uint32_t)c, tmp);

		tmp[k] = '\0';
	} else if (!tmp[0]) {
		snprintf(tmp, sizeof(tmp), "?");
	}
	len = strlen(tmp);
	if (n == 0)
		return len;
	if (len >= n)
		len = n - 1;
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return len;
}

#define BAR_MAX 32      /* entries considered */
#define BAR_MIN_LABEL 4 /* columns a label is shortened to at most */

struct bar_item {
	char name[8];
	const char *label; /* translated, borrowed from gettext */
	int nw, lw;        /* columns of name and of the (shortened) label */
};

static int bar_total(const struct bar_item *it, int m)
{
	int i, w = m > 0 ? m - 1 : 0;

	for (i = 0; i < m; i++)
		w += it[i].nw + it[i].lw;
	return w;
}

/* Shortens the widest label still above the minimum; false if none. */
static bool bar_shrink(struct bar_item *it, int m)
{
	int i, best = -1;

	for (i = 0; i < m; i++)
		if (it[i].lw > BAR_MIN_LABEL &&
		    (best < 0 || it[i].lw > it[best].lw))
			best = i;
	if (best < 0)
		return false;
	it[best].lw--;
	return true;
}

void keys_bar_draw(struct canvas *c, int y, const struct ui_key_binding *t)
{
	struct bar_item it[BAR_MAX];
	int m = 0, i, x = 0;

	canvas_fill(c, 0, y, c->w, 1, UI_ROLE_KEYBAR);
	for (; t && t->key && m < BAR_MAX; t++) {
		if (!t->label)
			continue;
		keys_name(t->key, it[m].name, sizeof(it[m].name));
		it[m].nw = text_width(it[m].name);
		it[m].label = _(t->label);
		it[m].lw = text_width(it[m].label);
		m++;
	}
	while (m > 1 && bar_total(it, m) > c->w)
		if (!bar_shrink(it, m))
			m--;
	for (i = 0; i < m && x < c->w; i++) {
		char *l = text_truncate(it[i].label, it[i].lw,
					c->ascii ? TEXT_ASCII : 0);

		x += canvas_text(c, x, y, -1, UI_ROLE_KEYBAR_KEY, it[i].name);
		if (l)
			x += canvas_text(c, x, y, -1, UI_ROLE_KEYBAR, l);
		free(l);
		x++; /* the separator: a blank already in UI_ROLE_KEYBAR */
	}
}
