/*
 * scr_move.h - move: free (unallocated) units of one item/lot from a bin
 * to another bin (engine_move), or, in replenish mode, a replenishment
 * task from a reserve bin to a pick face.
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
 *
 * REPLENISH MODE (F2 at MV_FROM): pick-face replenishment tasks
 * (db/replen_db.h, sql/migrations/0010_replenish.sql).
 *   MV_RP_CLAIM  UI_REQ_REPLEN_CLAIM; with none open "No replenishment
 *                needed" (Enter asks again, Esc back to MV_FROM);
 *   MV_RP_FROM   scan the task's reserve bin (checked here and in SQL);
 *   MV_RP_ITEM   scan the item (UI_REQ_RESOLVE: must be the task's SKU;
 *                a GS1 scan gives the lot);
 *   MV_RP_LOT    lot-controlled and the scan had none: type or scan it;
 *   MV_RP_QTY    units; Enter alone takes the task's remaining units. A
 *                case barcode's units must be a multiple of its pack;
 *   MV_RP_TO     scan the pick face -> UI_REQ_REPLEN_CONFIRM with the
 *                screen's operation id, kept until the call succeeds;
 *   MV_RP_DONE   what moved; Enter: the rest of the task or the next one.
 * F3 at MV_FROM plans replenishment (UI_REQ_REPLEN_PLAN): the database
 * refuses anyone but a supervisor or admin (ROLE_REFUSED, shown).
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
	MV_RP_CLAIM,
	MV_RP_FROM,
	MV_RP_ITEM,
	MV_RP_LOT,
	MV_RP_QTY,
	MV_RP_TO,
	MV_RP_DONE,
};

enum move_tag {
	MV_TAG_FROM = 1,
	MV_TAG_ITEM,
	MV_TAG_LOT,
	MV_TAG_MOVE,
	MV_TAG_RP_CLAIM,
	MV_TAG_RP_ITEM,
	MV_TAG_RP_CONFIRM,
	MV_TAG_RP_PLAN,
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
