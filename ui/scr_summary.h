/*
 * scr_summary.h - the stock summary screen: per warehouse, bins, stock,
 * quarantine, expiry and open orders.
 *
 * On UI_EV_START it asks for UI_REQ_SUMMARY (tag SUMMARY_TAG) and then
 * refreshes every SUMMARY_REFRESH_MS (timer SUMMARY_TIMER). Layouts: when
 * every warehouse fits side by side (80x24 with two warehouses) a table;
 * otherwise one warehouse at a time, its figures paged to the height
 * (20x16: one page per warehouse; 40x8: three). Tab/PgDn/Right/Down go
 * to the next page, PgUp/Left/Up back, r refreshes, Esc/q/F10 close. A
 * database error is shown on the status line with the last figures kept.
 * Warehouse names come from the database and are sanitised.
 *
 * Params: none (NULL).
 */
#ifndef WHARF_UI_SCR_SUMMARY_H
#define WHARF_UI_SCR_SUMMARY_H

#include "ui/screen.h"

#define SUMMARY_TAG 1
#define SUMMARY_TIMER 1
#define SUMMARY_REFRESH_MS 5000

extern const struct ui_screen_ops scr_summary;

/* The page shown (0-based over all warehouses) and the page count for a
 * canvas of height h, for tests. */
int summary_page(const void *state);
int summary_pages(const void *state, int h);

#endif
