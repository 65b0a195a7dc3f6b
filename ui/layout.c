/*
 * layout.c - layout classes and the too-small message. See layout.h.
 */
#include "ui/layout.h"

#include <stdio.h>

#include "ui/i18n.h"

enum ui_layout ui_layout_classify(int w, int h)
{
	if (w < UI_MIN_W || h < UI_MIN_H)
		return UI_LAYOUT_TOO_SMALL;
	if (w < 40)
		return UI_LAYOUT_HANDHELD;
	if (w >= 120 && h >= 40)
		return UI_LAYOUT_WIDE;
	if (w >= 80 && h >= 24)
		return UI_LAYOUT_DESK;
	return UI_LAYOUT_SMALL;
}

void ui_layout_draw_too_small(struct canvas *c)
{
	char msg[256];
	struct text_lines l;
	size_t i;

	canvas_clear(c, UI_ROLE_NORMAL);
	if (c->w < 1 || c->h < 1)
		return;
	snprintf(msg, sizeof(msg),
		 _("terminal too small (need %dx%d, have %dx%d)"), UI_MIN_W,
		 UI_MIN_H, c->w, c->h);
	if (text_wrap(msg, c->w, c->ascii ? TEXT_ASCII : 0, &l) != WH_OK) {
		canvas_text(c, 0, 0, -1, UI_ROLE_STATUS_ERR, "!");
		return;
	}
	for (i = 0; i < l.n && (int)i < c->h; i++)
		canvas_text(c, 0, (int)i, -1, UI_ROLE_STATUS_ERR, l.line[i]);
	text_lines_free(&l);
}
