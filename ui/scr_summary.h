/*
 * scr_summary.h - the station's database and stock summary screen.
 *
 * Shows what the station is connected to and, per warehouse, bins, stock,
 * quarantine, expiry and open orders; refreshes every few seconds. Works
 * from 20x8 (one warehouse at a time, Tab to switch) to any size.
 */
#ifndef WHARF_UI_SCR_SUMMARY_H
#define WHARF_UI_SCR_SUMMARY_H

#include "core/err.h"
#include "db/db.h"

/* Runs the screen on the terminal until the user quits. The connection is
 * borrowed. Returns an error only when the terminal cannot be used. */
enum wh_err summary_run(struct db *db, struct wh_error *err);

#endif
