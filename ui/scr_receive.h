/*
 * scr_receive.h - the receive screen: against a purchase order or blind,
 * scan a case (GS1 gives GTIN + lot + expiry + count) or an item and type
 * lot and expiry, confirm the quantity, engine_receive.
 *
 * States (enum receive_state):
 *   RCV_LOADING  the open purchase orders are asked for (UI_REQ_PO_LIST);
 *   RCV_PO       choose a PO (arrows or digits, Enter) or "Blind receipt";
 *   RCV_ITEM     scan the case or item: resolved (UI_REQ_RESOLVE) to the
 *                SKU and its pack size;
 *   RCV_LOT      lot-controlled and the scan had no lot: type or scan it;
 *   RCV_EXPIRY   expiry-managed and no expiry: type YYYY-MM-DD or YYMMDD
 *                (Enter alone: none, for a lot the database knows);
 *   RCV_QTY      units; Enter alone takes the default (pack size x the GS1
 *                count, or one pack) -> engine_receive at the dock;
 *   RCV_DONE     the receipt: where the goods went; when the engine put
 *                them into quarantine (expired or too short-lived) a
 *                full-screen warning says so and why. When the station
 *                prints case labels: "Label printed: SSCC ..." or
 *                "Label not printed: why" (the receipt stands).
 *                Enter: next item.
 * Keys: Enter OK, Esc back one step (closes from the PO list), F10 close.
 */
#ifndef WHARF_UI_SCR_RECEIVE_H
#define WHARF_UI_SCR_RECEIVE_H

#include "domain/gs1.h"
#include "ui/screen.h"

enum receive_state {
	RCV_LOADING,
	RCV_PO,
	RCV_ITEM,
	RCV_LOT,
	RCV_EXPIRY,
	RCV_QTY,
	RCV_DONE,
};

enum receive_tag {
	RCV_TAG_POS = 1,
	RCV_TAG_RESOLVE,
	RCV_TAG_RECEIVE,
};

struct receive_params {
	struct gs1_date today;
};

extern const struct ui_screen_ops scr_receive;

/* For tests. */
enum receive_state receive_state_of(const void *state);
const char *receive_message(const void *state);
bool receive_quarantined(const void *state);
/* The SSCC of the case label printed for the receipt shown, else "". */
const char *receive_sscc(const void *state);
long receive_default_qty(const void *state);

#endif
