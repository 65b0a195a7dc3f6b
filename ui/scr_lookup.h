/*
 * scr_lookup.h - stock lookup: scan or type a SKU code/barcode, a bin or a
 * lot, see the quantities by location and lot with expiry (on hand,
 * allocated, available), a page at a time on a 20x16 gun.
 *
 * States (enum lookup_state):
 *   LK_QUERY    scan or type what to look up, Enter;
 *   LK_LOADING  the stock is asked for (UI_REQ_STOCK);
 *   LK_RESULT   the rows: Down/PgDn next page, Up/PgUp previous; a scan or
 *               typed text looks up something else; Enter alone: a new
 *               query.
 * Keys: Enter OK, Esc back (closes from LK_QUERY), F2 the warehouse's
 * stock summary (pushes LOOKUP_SCREEN_SUMMARY), F10 close.
 * Texts from the database are sanitised before they are kept.
 */
#ifndef WHARF_UI_SCR_LOOKUP_H
#define WHARF_UI_SCR_LOOKUP_H

#include "domain/gs1.h"
#include "ui/screen.h"

/* The screen id the station maps to the stock summary (ui/scr_summary.h). */
#define LOOKUP_SCREEN_SUMMARY 101

enum lookup_state {
	LK_QUERY,
	LK_LOADING,
	LK_RESULT,
};

enum lookup_tag {
	LK_TAG_STOCK = 1,
};

struct lookup_params {
	struct gs1_date today;
};

extern const struct ui_screen_ops scr_lookup;

/* For tests. */
enum lookup_state lookup_state_of(const void *state);
const char *lookup_message(const void *state);
int lookup_page(const void *state);  /* 0-based */
/* Pages the result takes on a canvas of w x h (>= 1). */
int lookup_pages(const void *state, int w, int h);

#endif
