/*
 * scr_pick.h - the pick screen: claim a task of a released wave, walk to
 * the bin, scan bin, item (and lot), confirm the quantity, next task.
 *
 * States (enum pick_state):
 *   PICK_CLAIMING  waiting for engine_claim_task (on start, after a task);
 *   PICK_IDLE      nothing to do (or the claim failed): Enter asks again;
 *   PICK_BIN       "go to <bin>": scan the bin; a wrong bin is refused
 *                  naming the expected one (a put-back task: scan the
 *                  bin the units go back into, any open bin is allowed);
 *   PICK_ITEM      scan the item: its code is resolved (UI_REQ_RESOLVE) to
 *                  check the SKU and learn the pack size (a case barcode
 *                  counts its pack size); a GS1 scan also gives the lot
 *                  (AI 10) and a count (AI 37/30);
 *   PICK_LOT       the task is lot-controlled and the scan had no lot:
 *                  scan or type the lot;
 *   PICK_QTY       confirm the quantity (scans of the item's code):
 *                  Enter alone takes the default (the GS1 count, else
 *                  what remains); engine_confirm_pick / _putback; the
 *                  engine's refusal (wrong lot: it names the right lot)
 *                  sends the picker back to the step to redo;
 *   PICK_SHORT     F2: type the units found -> engine_short_pick;
 *   PICK_SKIP      F3: choose a reason (1-4) -> skip (db/lookup.h);
 *   PICK_ALERT     the order of the current task was intercepted (a
 *                  NOTIFY wharf_intercept with its id, or the engine's
 *                  INTERCEPTED refusal): full-screen red alert with the
 *                  put-back location and an error beep; the task is
 *                  abandoned, Enter claims the next one (put-back tasks
 *                  come first).
 * Keys: Enter OK, F2 Short, F3 Skip, Esc back one step (closes from the
 * bin step; the claimed task stays the picker's), F10 close. Typed text +
 * Enter is a scan (floor.h).
 *
 * Layouts: 20x16 (big digits for the quantity), 40x8 (compact lines),
 * 80x24 and up (labelled fields, big digits on the right).
 */
#ifndef WHARF_UI_SCR_PICK_H
#define WHARF_UI_SCR_PICK_H

#include <stdint.h>

#include "db/engine.h"
#include "domain/gs1.h"
#include "ui/screen.h"

enum pick_state {
	PICK_CLAIMING,
	PICK_IDLE,
	PICK_BIN,
	PICK_ITEM,
	PICK_LOT,
	PICK_QTY,
	PICK_SHORT,
	PICK_SKIP,
	PICK_ALERT,
};

/* Database call tags (ev->db.tag). */
enum pick_tag {
	PICK_TAG_CLAIM = 1,
	PICK_TAG_RESOLVE,
	PICK_TAG_CONFIRM,
	PICK_TAG_SHORT,
	PICK_TAG_SKIP,
	PICK_TAG_PUTBACK,
};

struct pick_params {
	struct gs1_date today; /* for GS1 dates in scans */
};

extern const struct ui_screen_ops scr_pick;

/* For tests. */
enum pick_state pick_state_of(const void *state);
/* The current task (sanitised copy), NULL when none. */
const struct engine_task *pick_task_of(const void *state);
/* The status message shown ("" none). */
const char *pick_message(const void *state);
/* The quantity Enter alone would confirm, in scans of the code. */
long pick_default_qty(const void *state);

#endif
