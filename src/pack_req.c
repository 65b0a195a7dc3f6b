/*
 * pack_req.c - the pack desk's requests. See pack_req.h.
 */
#include "pack_req.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db/engine.h"
#include "db/pack.h"
#include "drivers/printer/printer.h"
#include "drivers/printer/scale_serial.h"
#include "label/label.h"
#include "ui/scr_pack.h"

#define LABEL_TYPE "carrier-100x150"
#define SCALE_TIMEOUT_MS 3000

/* Start-up configuration: written once before the first request. */
static char printer_override[256];
static char scale_spec[256];

void pack_req_set_printer(const char *uri)
{
	snprintf(printer_override, sizeof(printer_override), "%s",
		 uri ? uri : "");
}

void pack_req_set_scale(const char *spec)
{
	snprintf(scale_spec, sizeof(scale_spec), "%s", spec ? spec : "");
}

bool pack_req_handles(enum ui_req_kind kind)
{
	switch (kind) {
	case UI_REQ_PACK_OPEN:
	case UI_REQ_PACK_VERIFY:
	case UI_REQ_PACK_SINGLE:
	case UI_REQ_PACK_SHIP:
	case UI_REQ_PACK_REPRINT:
	case UI_REQ_PACK_VOID:
	case UI_REQ_PACK_EXCEPTION:
	case UI_REQ_PACK_SCALE:
		return true;
	default:
		return false;
	}
}

static void *answer(size_t n, struct wh_error *err)
{
	void *p = calloc(1, n);

	if (!p)
		wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	return p;
}

bool pack_req_format_of(const char *s, enum label_format *f)
{
	static const struct {
		const char *name;
		enum label_format f;
	} fmts[] = {
		{ "zpl", LABEL_FMT_ZPL },
		{ "tspl", LABEL_FMT_TSPL },
		{ "pdf", LABEL_FMT_PDF },
		{ "png", LABEL_FMT_PNG },
	};
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (!strcmp(s, fmts[i].name)) {
			*f = fmts[i].f;
			return true;
		}
	return false;
}

/* The engine's own words for an intercepted order. */
static enum wh_err refuse_intercepted(const struct pack_order *o,
				      struct wh_error *err)
{
	return wh_error_set(err, WH_ERR_REFUSED,
			    "INTERCEPTED: order %s was intercepted (%s): do "
			    "not ship, put the units back", o->order_no,
			    o->intercept_reason[0] ? o->intercept_reason
						   : "cancelled");
}

enum wh_err pack_req_printer_of(struct db *db, const struct station_actor *a,
				struct pack_station *ps, struct wh_error *err)
{
	enum wh_err rc = pack_station_get(db, a->station_id, ps, err);

	if (rc != WH_OK)
		return rc;
	if (printer_override[0])
		snprintf(ps->printer_uri, sizeof(ps->printer_uri), "%s",
			 printer_override);
	if (!ps->printer_uri[0])
		return wh_error_set(err, WH_ERR_UNSUPPORTED, "no printer for "
				    "this station: set its printer_uri or "
				    "start with --printer URI");
	return WH_OK;
}

/* Renders the order's carrier label into *job. */
static enum wh_err render(struct db *db, int64_t order_id,
			  const char *tracking, int32_t weight_g,
			  const struct pack_station *ps, struct label_buf *job,
			  struct wh_error *err)
{
	struct label_encode_opts opts = { .dpi = ps->dpi };
	struct label_raster *r = NULL;
	enum label_format fmt;
	json_error_t jerr;
	json_t *data;
	char *text;
	enum wh_err rc;

	if (!pack_req_format_of(ps->format, &fmt))
		return wh_error_set(err, WH_ERR_INVALID, "label format %s",
				    ps->format);
	rc = pack_label_data(db, order_id, tracking, weight_g, &text, err);
	if (rc != WH_OK)
		return rc;
	data = json_loads(text, 0, &jerr);
	free(text);
	if (!data)
		return wh_error_set(err, WH_ERR_INVALID, "label data: %s",
				    jerr.text);
	rc = label_render(LABEL_TYPE, data, ps->dpi, &r, err);
	json_decref(data);
	if (rc != WH_OK)
		return rc;
	rc = label_encode(r, fmt, &opts, job, err);
	label_raster_free(r);
	return rc;
}

static enum wh_err run_ship(struct db *db, const struct station_actor *a,
			    const struct engine_actor *who,
			    const struct ui_req *r,
			    struct ui_pack_ship_result *out,
			    struct wh_error *err)
{
	struct pack_order *o = malloc(sizeof(*o));
	struct label_buf job = { 0 };
	struct pack_station ps;
	struct engine_ship_result sr;
	char tracking[PACK_TRACKING_SIZE];
	enum wh_err rc;

	if (!o)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = pack_load(db, r->id, a->lang, o, err);
	if (rc != WH_OK)
		goto out;
	if (o->intercepted) {
		rc = refuse_intercepted(o, err);
		goto out;
	}
	if (!strcmp(o->state, "shipped")) {
		rc = wh_error_set(err, WH_ERR_REFUSED, "ALREADY_SHIPPED: "
				  "order %s has already shipped (%s)",
				  o->order_no, o->tracking);
		goto out;
	}
	if (strcmp(o->state, "packed")) {
		rc = wh_error_set(err, WH_ERR_REFUSED, "NOT_PACKED: order %s "
				  "is %s: %d units unverified", o->order_no,
				  o->state, (int)(o->units - o->packed));
		goto out;
	}
	rc = pack_req_printer_of(db, a, &ps, err);
	if (rc == WH_OK)
		rc = pack_issue_tracking(db, o->order_id, o->carrier, r->op,
					 tracking, err);
	if (rc == WH_OK)
		rc = render(db, o->order_id, tracking, r->qty, &ps, &job,
			    err);
	/* the last look before the label exists on paper */
	if (rc == WH_OK)
		rc = pack_load(db, r->id, a->lang, o, err);
	if (rc == WH_OK && o->intercepted)
		rc = refuse_intercepted(o, err);
	if (rc == WH_OK)
		rc = printer_send(ps.printer_uri, job.data, job.len, NULL,
				  err);
	if (rc == WH_OK) {
		struct pack_ship s = {
			.order_id = o->order_id,
			.carrier = o->carrier,
			.tracking = tracking,
			.weight_g = r->qty,
			.carton = r->code && r->code[0] ? r->code : NULL,
			.format = ps.format,
			.label = job.data,
			.label_len = job.len,
			.op_id = r->op,
		};

		rc = pack_ship_with_label(db, &s, who, &sr, err);
	}
	if (rc == WH_OK) {
		out->shipment_id = sr.shipment_id;
		out->outbox_id = sr.outbox_id;
		out->replayed = sr.replayed;
		out->bytes = job.len;
		snprintf(out->tracking, sizeof(out->tracking), "%s", tracking);
		snprintf(out->printer, sizeof(out->printer), "%s",
			 ps.printer_uri);
		snprintf(out->format, sizeof(out->format), "%s", ps.format);
	}
out:
	label_buf_free(&job);
	free(o);
	return rc;
}

static enum wh_err run_reprint(struct db *db, const struct station_actor *a,
			       const struct ui_req *r,
			       struct ui_pack_ship_result *out,
			       struct wh_error *err)
{
	struct pack_order *o = malloc(sizeof(*o));
	struct pack_station ps;
	unsigned char *data = NULL;
	size_t len = 0;
	enum wh_err rc;

	if (!o)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = pack_load(db, r->id, a->lang, o, err);
	if (rc == WH_OK)
		rc = pack_req_printer_of(db, a, &ps, err);
	if (rc == WH_OK)
		rc = pack_label_get(db, r->id, out->format, &data, &len, err);
	if (rc == WH_OK)
		rc = printer_send(ps.printer_uri, data, len, NULL, err);
	if (rc == WH_OK) {
		out->shipment_id = o->shipment_id;
		out->bytes = len;
		snprintf(out->tracking, sizeof(out->tracking), "%s",
			 o->tracking);
		snprintf(out->printer, sizeof(out->printer), "%s",
			 ps.printer_uri);
	}
	free(data);
	free(o);
	return rc;
}

static enum wh_err run_open(struct db *db, const struct station_actor *a,
			    const struct ui_req *r, struct pack_order *out,
			    struct wh_error *err)
{
	int64_t id = r->id;
	enum wh_err rc = WH_OK;

	if (!id)
		rc = pack_find(db, a->warehouse_id, r->code ? r->code : "",
			       &id, err);
	if (rc == WH_OK)
		rc = pack_load(db, id, a->lang, out, err);
	return rc;
}

static enum wh_err run_single(struct db *db, const struct station_actor *a,
			      const struct engine_actor *who,
			      const struct ui_req *r, struct pack_order *out,
			      struct wh_error *err)
{
	struct engine_pack_result pr;
	int64_t id;
	enum wh_err rc;

	rc = pack_single_item(db, a->warehouse_id, r->code ? r->code : "",
			      &id, err);
	if (rc == WH_OK)
		rc = engine_pack_verify(db, id, r->code,
					r->lot && r->lot[0] ? r->lot : NULL,
					r->op, who, &pr, err);
	if (rc == WH_OK)
		rc = pack_load(db, pr.order_id, a->lang, out, err);
	return rc;
}

static enum wh_err run_scale(struct ui_pack_scale_result *out,
			     struct wh_error *err)
{
	const char *spec = scale_spec[0] ? scale_spec : getenv("WHARF_SCALE");

	if (!spec || !spec[0])
		return wh_error_set(err, WH_ERR_UNSUPPORTED, "no scale: start "
				    "with --scale serial:/dev/ttyUSB0");
	return scale_serial_weigh(spec, SCALE_TIMEOUT_MS, &out->grams, err);
}

enum wh_err pack_req_run(struct db *db, const struct station_actor *a,
			 const struct ui_req *r, void **result,
			 struct wh_error *err)
{
	const struct engine_actor who = {
		.user_id = a->user_id,
		.station_id = a->station_id,
	};
	void *out = NULL;
	enum wh_err rc;

	*result = NULL;
	switch (r->kind) {
	case UI_REQ_PACK_OPEN:
		if (!(out = answer(sizeof(struct pack_order), err)))
			return WH_ERR_NOMEM;
		rc = run_open(db, a, r, out, err);
		break;
	case UI_REQ_PACK_VERIFY:
		if (!(out = answer(sizeof(struct engine_pack_result), err)))
			return WH_ERR_NOMEM;
		rc = engine_pack_verify(db, r->id, r->code,
					r->lot && r->lot[0] ? r->lot : NULL,
					r->op, &who, out, err);
		break;
	case UI_REQ_PACK_SINGLE:
		if (!(out = answer(sizeof(struct pack_order), err)))
			return WH_ERR_NOMEM;
		rc = run_single(db, a, &who, r, out, err);
		break;
	case UI_REQ_PACK_SHIP:
		if (!(out = answer(sizeof(struct ui_pack_ship_result), err)))
			return WH_ERR_NOMEM;
		rc = run_ship(db, a, &who, r, out, err);
		break;
	case UI_REQ_PACK_REPRINT:
		if (!(out = answer(sizeof(struct ui_pack_ship_result), err)))
			return WH_ERR_NOMEM;
		rc = run_reprint(db, a, r, out, err);
		break;
	case UI_REQ_PACK_VOID:
		if (!(out = answer(sizeof(struct pack_order), err)))
			return WH_ERR_NOMEM;
		rc = pack_void(db, r->id, r->reason, r->op, &who, err);
		if (rc == WH_OK)
			rc = pack_load(db, r->id, a->lang, out, err);
		break;
	case UI_REQ_PACK_EXCEPTION:
		rc = pack_exception(db, r->id, r->reason, r->op, &who, err);
		break;
	case UI_REQ_PACK_SCALE:
		if (!(out = answer(sizeof(struct ui_pack_scale_result), err)))
			return WH_ERR_NOMEM;
		rc = run_scale(out, err);
		break;
	default:
		return wh_error_set(err, WH_ERR_INVALID, "unknown request");
	}
	if (rc != WH_OK) {
		free(out);
		return rc;
	}
	*result = out;
	return WH_OK;
}
