/*
 * scr_pack.h - the pack station: scan a tote, an order number or a
 * tracking number; verify every unit by scan; carton and weight; print
 * the carrier label and ship in one step; reprint and void.
 *
 * States (enum pack_state):
 *   PACK_SCAN     scan a tote, order or tracking number (UI_REQ_PACK_OPEN);
 *                 in single-item mode (F4) scan an item instead: the
 *                 oldest one-unit order of a single-item wave holding it
 *                 is packed at once (UI_REQ_PACK_SINGLE) -> PACK_WEIGHT;
 *   PACK_LOADING  the order is being opened;
 *   PACK_VERIFY   the order's lines, big: every unit is scanned and
 *                 checked by engine_pack_verify (wrong item, extra unit,
 *                 wrong lot are refused with the engine's words and an
 *                 error beep); the last unit -> PACK_WEIGHT;
 *   PACK_WEIGHT   a carton is suggested from the items' sizes (F5 next
 *                 carton, or scan a carton code "C1".."C5"); type the
 *                 weight ("1.25" kg, "850g") or F6 reads the scale; Enter
 *                 prints and ships (UI_REQ_PACK_SHIP: the runner checks
 *                 interception again right before printing);
 *   PACK_SHIPPING the label is printing and the order shipping;
 *   PACK_DONE     shipped: the tracking number; F7 reprints the stored
 *                 label, F8 voids (-> PACK_VOID); a scan opens the next
 *                 order;
 *   PACK_VOID     Enter confirms the void: the order is packable again
 *                 (-> PACK_VERIFY with its lines reloaded);
 *   PACK_EXCEPTION F2 from VERIFY/WEIGHT: pick a reason (1-4, Enter):
 *                 the order goes to the exception queue -> PACK_SCAN;
 *   PACK_ALERT    the order is intercepted (found so on opening, by the
 *                 engine's INTERCEPTED refusal at any step, or by a NOTIFY
 *                 wharf_intercept naming it): a full-screen red alert
 *                 "refund requested - 3 items, put back to <tote>", an
 *                 error beep; it cannot be shipped; Enter -> PACK_SCAN.
 * Keys: Enter OK, Esc back (leaves the order), F2 exception, F4 single-
 * item mode, F5 carton, F6 scale, F7 reprint, F8 void, F10 close. Typed
 * text + Enter is a scan (floor.h).
 *
 * Layouts: 80x24 and up (lines table, big digits), 40x8 and 20x16
 * (compact lines).
 */
#ifndef WHARF_UI_SCR_PACK_H
#define WHARF_UI_SCR_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pack.h"
#include "domain/gs1.h"
#include "ui/screen.h"

enum pack_state {
	PACK_SCAN,
	PACK_LOADING,
	PACK_VERIFY,
	PACK_WEIGHT,
	PACK_SHIPPING,
	PACK_DONE,
	PACK_VOID,
	PACK_EXCEPTION,
	PACK_ALERT,
};

/* Database call tags (ev->db.tag). */
enum pack_tag {
	PACK_TAG_OPEN = 1,
	PACK_TAG_VERIFY,
	PACK_TAG_SINGLE,
	PACK_TAG_SHIP,
	PACK_TAG_REPRINT,
	PACK_TAG_VOID,
	PACK_TAG_EXCEPTION,
	PACK_TAG_SCALE,
};

/* The answer to UI_REQ_PACK_SHIP and UI_REQ_PACK_REPRINT. */
struct ui_pack_ship_result {
	int64_t shipment_id, outbox_id;
	char tracking[PACK_TRACKING_SIZE];
	char printer[128]; /* the URI printed to */
	char format[8];
	size_t bytes;      /* of the label job */
	bool replayed;
};

/* The answer to UI_REQ_PACK_SCALE. */
struct ui_pack_scale_result {
	int32_t grams;
};

struct pack_params {
	struct gs1_date today; /* for GS1 dates in scans */
};

extern const struct ui_screen_ops scr_pack;

/* For tests. */
enum pack_state pack_state_of(const void *state);
const struct pack_order *pack_order_of(const void *state); /* NULL none */
const char *pack_message(const void *state);
const char *pack_carton(const void *state); /* "" none */
int32_t pack_weight(const void *state);    /* grams, 0 none */
bool pack_single_mode(const void *state);

#endif
