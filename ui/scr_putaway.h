/*
 * scr_putaway.h - putaway: a received unit goes from where it sits (the
 * dock, e.g. RCV-01) to the bin the engine suggests, or to another bin
 * after a confirmation (engine_suggest_putaway, engine_putaway).
 *
 * States (enum putaway_state):
 *   PA_FROM   scan the location the goods sit in (UI_REQ_RESOLVE: must be
 *             a location);
 *   PA_ITEM   scan the item: a GS1 case gives GTIN + lot (+ count), a
 *             plain barcode the SKU (UI_REQ_RESOLVE);
 *   PA_LOT    lot-controlled and the scan had no lot: type or scan it;
 *             the lot is looked up (UI_REQ_LOT), then the bin suggested
 *             (UI_REQ_SUGGEST);
 *   PA_TO     "Put into BIN": scan the bin; another bin than the
 *             suggested one goes to PA_OTHER;
 *   PA_OTHER  "Use BIN instead of SUGGESTED?": Enter yes, Esc no;
 *   PA_QTY    units; Enter alone takes the default (pack size x the GS1
 *             count, else one pack) -> UI_REQ_PUTAWAY with the screen's
 *             operation id, kept until the call succeeds;
 *   PA_DONE   what went where. Enter: the next item from the same place.
 * Keys: Enter OK, Esc back one step (closes from PA_FROM), F10 close.
 */
#ifndef WHARF_UI_SCR_PUTAWAY_H
#define WHARF_UI_SCR_PUTAWAY_H

#include "domain/gs1.h"
#include "ui/screen.h"

enum putaway_state {
	PA_FROM,
	PA_ITEM,
	PA_LOT,
	PA_TO,
	PA_OTHER,
	PA_QTY,
	PA_DONE,
};

enum putaway_tag {
	PA_TAG_FROM = 1,
	PA_TAG_ITEM,
	PA_TAG_LOT,
	PA_TAG_SUGGEST,
	PA_TAG_PUTAWAY,
};

struct putaway_params {
	struct gs1_date today;
};

extern const struct ui_screen_ops scr_putaway;

/* For tests. */
enum putaway_state putaway_state_of(const void *state);
const char *putaway_message(const void *state);
bool putaway_busy(const void *state); /* a database call is pending */

#endif
