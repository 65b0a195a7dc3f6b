/*
 * layout.h - which layout a terminal size gets, and the too-small message.
 *
 * Screens lay out by class, not by exact size:
 *   HANDHELD  20..39 columns (the gun: 20x16; 8..15 rows also land here
 *             and scroll)
 *   SMALL     40+ columns, fewer than 24 rows (40x8 handhelds in landscape)
 *   DESK      80x24 and up
 *   WIDE      120x40 and up (supervisor)
 * Below 20x8 nothing fits: the loop draws ui_layout_draw_too_small()
 * instead of the screen (ncdu's habit: a message, not garbage).
 * Pure functions.
 */
#ifndef WHARF_UI_LAYOUT_H
#define WHARF_UI_LAYOUT_H

#include "ui/canvas.h"

#define UI_MIN_W 20
#define UI_MIN_H 8

enum ui_layout {
	UI_LAYOUT_TOO_SMALL,
	UI_LAYOUT_HANDHELD,
	UI_LAYOUT_SMALL,
	UI_LAYOUT_DESK,
	UI_LAYOUT_WIDE,
};

enum ui_layout ui_layout_classify(int w, int h);

/* Clears c and writes "terminal too small (need 20x8, have WxH)", wrapped
 * to the canvas, as much of it as fits. */
void ui_layout_draw_too_small(struct canvas *c);

#endif
