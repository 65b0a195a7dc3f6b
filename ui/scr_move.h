/*
 * scr_move.h - move: free (unallocated) units of one item/lot from a bin
 * to another bin (engine_move). A plain move, never a replenishment task:
 * the engine has none.
 *
 * States (enum move_state):
 *   MV_FROM  scan the bin to move from (UI_REQ_RESOLVE: must be a
 *            location);
 *   MV_ITEM  scan the item: a GS1 case gives GTIN + lot (+ count), a plain
 *            barcode the SKU (UI_REQ_RESOLVE);
 *   MV_LOT   lot-controlled and the scan had no lot: type or scan it (the
 *            lot is looked up, UI_REQ_LOT);
 *   MV_QTY   units; Enter alone takes the default (pack size x the GS1
 *            count, else one pack);
 *   MV_TO    scan the bin to move to -> UI_REQ_MOVE with the screen's
 *            operation id, kept until the call succeeds;
 *   MV_DONE  what moved where. Enter: the next item from the same bin.
 * Keys: Enter OK, Esc back one step (closes from MV_FROM), F10 close.
 */
#ifndef WHARF_UI_SCR_MOVE_H
#define WHARF_UI_SCR_MOVE_H

#include "domain/gs1.h"
#include "ui/screen.h"

enum move_state {
	MV_FROM,
	MV_ITEM,
	MV_LOT,
	MV_QTY,
	MV_TO,
	MV_DONE,
};

enum move_tag {
	MV_TAG_FROM = 1,
	MV_TAG_ITEM,
	MV_TAG_LOT,
	MV_TAG_MOVE,
};

struct move_params {
	struct gs1_date today;
};

extern const struct ui_screen_ops scr_move;

/* For tests. */
enum move_state move_state_of(const void *state);
const char *move_message(const void *state);
bool move_busy(const void *state); /* a database call is pending */

#endif
