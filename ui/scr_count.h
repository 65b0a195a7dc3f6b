/*
 * scr_count.h - blind cycle count of a bin: the counter never sees what
 * the system expects, only whether the count was accepted.
 *
 * States (enum count_state):
 *   CT_BIN      scan the bin (UI_REQ_RESOLVE: must be a location);
 *   CT_ITEM     scan an item (GS1 gives GTIN + lot + count): resolved
 *               (UI_REQ_RESOLVE); Enter on an empty line, or F2, submits;
 *   CT_LOT      lot-controlled and the scan had no lot: type or scan it;
 *   CT_QTY      the units counted of that item/lot (Enter alone: a GS1
 *               case's pack size x count); the line is added (the same
 *               item/lot again adds up);
 *   CT_CONFIRM  "Submit N lines?": Enter -> UI_REQ_COUNT with the screen's
 *               operation id (kept until the call succeeds), Esc back;
 *   CT_DONE     the engine's verdict: "Count accepted", "Sent for
 *               supervisor approval" (variance above the station's
 *               threshold), or "Recount requested" for any other state.
 *               Never the expected quantities or the variance.
 * Keys: Enter OK, F2 submit, F3 undo the last line, Esc back (from
 * CT_ITEM with lines: twice, to drop them), F10 close.
 */
#ifndef WHARF_UI_SCR_COUNT_H
#define WHARF_UI_SCR_COUNT_H

#include <stddef.h>

#include "domain/gs1.h"
#include "ui/screen.h"

enum count_state {
	CT_BIN,
	CT_ITEM,
	CT_LOT,
	CT_QTY,
	CT_CONFIRM,
	CT_DONE,
};

enum count_tag {
	CT_TAG_BIN = 1,
	CT_TAG_ITEM,
	CT_TAG_COUNT,
};

/* The verdict in CT_DONE. */
enum count_verdict {
	CT_ACCEPTED,
	CT_APPROVAL,
	CT_RECOUNT,
};

struct count_params {
	struct gs1_date today;
};

extern const struct ui_screen_ops scr_count;

/* For tests. */
enum count_state count_state_of(const void *state);
const char *count_message(const void *state);
size_t count_lines(const void *state);
enum count_verdict count_verdict_of(const void *state);

#endif
