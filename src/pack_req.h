/*
 * pack_req.h - the pack desk's requests (UI_REQ_PACK_*, ui/req.h) carried
 * out for the station: database calls (db/pack.h, db/engine.h), the
 * carrier label (label/label.h) and the printer (drivers/printer) and the
 * scale (drivers/printer/scale_serial.h).
 *
 * Print then ship: UI_REQ_PACK_SHIP loads the order and refuses an
 * intercepted one, takes the demo tracking number for its operation id,
 * renders the carrier label in the station's format and dpi, checks the
 * interception again, sends the job to the printer, and only then ships
 * with the label stored (wharf.ship_with_label). A printer failure ships
 * nothing; the same operation id retried prints the same tracking number.
 *
 * The printer is the --printer option (pack_req_set_printer), else the
 * station's wharf.station.printer_uri; the scale is --scale
 * (pack_req_set_scale), else $WHARF_SCALE. Set both once at start-up.
 *
 * Ownership: r is borrowed; on WH_OK *result is a malloc()ed answer
 * (ui/req.h, ui/scr_pack.h) or NULL, owned by the caller.
 */
#ifndef WHARF_PACK_REQ_H
#define WHARF_PACK_REQ_H

#include <stdbool.h>

#include "core/err.h"
#include "db/db.h"
#include "db/pack.h"
#include "label/label.h"
#include "station_req.h"
#include "ui/req.h"

bool pack_req_handles(enum ui_req_kind kind);

/* uri NULL or "": the station's own. Copied. */
void pack_req_set_printer(const char *uri);
/* spec "serial:/dev/ttyUSB0[@9600]"; NULL or "": $WHARF_SCALE. Copied. */
void pack_req_set_scale(const char *spec);

/*
 * The station's printer (the --printer option, else its printer_uri),
 * label format and dpi into *ps: what the pack desk prints with, shared
 * with the receive desk's case labels. WH_ERR_UNSUPPORTED: no printer.
 */
enum wh_err pack_req_printer_of(struct db *db, const struct station_actor *a,
				struct pack_station *ps, struct wh_error *err);

/* "zpl", "tspl", "pdf", "png" -> *f; false for anything else. */
bool pack_req_format_of(const char *s, enum label_format *f);

enum wh_err pack_req_run(struct db *db, const struct station_actor *a,
			 const struct ui_req *r, void **result,
			 struct wh_error *err);

#endif
