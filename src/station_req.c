/*
 * station_req.c - floor requests on the station's connection. See
 * station_req.h.
 */
#include "station_req.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db/replen_db.h"
#include "drivers/printer/printer.h"
#include "label/label.h"
#include "pack_req.h"

#define SSCC_LABEL_TYPE "sscc"

bool station_req_is_floor(enum ui_req_kind kind)
{
	switch (kind) {
	case UI_REQ_LOGIN:
	case UI_REQ_LOGOUT:
	case UI_REQ_SUMMARY:
		return false;
	default:
		return true;
	}
}

/* A zeroed answer of size n in *out; false (and err set) when out of
 * memory. */
static bool answer(void **out, size_t n, struct wh_error *err)
{
	*out = calloc(1, n);
	if (!*out)
		wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	return *out != NULL;
}

static enum wh_err run_move(struct db *db, const struct station_actor *a,
			    const struct engine_actor *who,
			    const struct ui_req *r, struct ui_move_result *out,
			    struct wh_error *err)
{
	struct lookup_code from, to;
	struct engine_move m = {
		.sku_id = r->sku_id,
		.lot_id = r->lot_id,
		.qty = r->qty,
		.op_id = r->op,
	};
	enum wh_err rc;

	rc = lookup_code(db, a->warehouse_id, r->loc, a->lang, &from, err);
	if (rc != WH_OK)
		return rc;
	if (from.kind != LOOKUP_LOCATION)
		return wh_error_set(err, WH_ERR_REFUSED,
				    "BAD_LOCATION: %s is not a location",
				    r->loc);
	rc = lookup_code(db, a->warehouse_id, r->loc2, a->lang, &to, err);
	if (rc != WH_OK)
		return rc;
	if (to.kind != LOOKUP_LOCATION)
		return wh_error_set(err, WH_ERR_REFUSED,
				    "BAD_LOCATION: %s is not a location",
				    r->loc2);
	m.from_location_id = from.location_id;
	m.to_location_id = to.location_id;
	if (r->kind == UI_REQ_PUTAWAY)
		return engine_putaway(db, &m, who, &out->replayed, err);
	return engine_move(db, &m, who, &out->replayed, err);
}

static enum wh_err do_receive(struct db *db, const struct station_actor *a,
			      const struct engine_actor *who,
			      const struct ui_req *r,
			      struct engine_receive_result *out,
			      struct wh_error *err)
{
	struct engine_receive rcv = {
		.po_id = r->id,
		.warehouse_id = a->warehouse_id,
		.sku_id = r->sku_id,
		.lot_code = r->lot && r->lot[0] ? r->lot : NULL,
		.expiry = r->expiry && r->expiry[0] ? r->expiry : NULL,
		.qty = r->qty,
		.op_id = r->op,
	};
	char code[LOOKUP_LOC_SIZE];
	struct lookup_code loc;
	enum wh_err rc;

	if (r->loc && r->loc[0]) {
		rc = lookup_code(db, a->warehouse_id, r->loc, a->lang, &loc,
				 err);
		if (rc != WH_OK)
			return rc;
		if (loc.kind != LOOKUP_LOCATION)
			return wh_error_set(err, WH_ERR_REFUSED,
					    "BAD_LOCATION: %s is not a "
					    "location", r->loc);
		rcv.location_id = loc.location_id;
	} else {
		rc = lookup_dock(db, a->warehouse_id, &rcv.location_id, code,
				 err);
		if (rc != WH_OK)
			return rc;
	}
	return engine_receive(db, &rcv, who, out, err);
}

/*
 * The SSCC's own operation id, derived from the receipt's: the same
 * UUID with the version nibble 8 (the receipt's ids are version 4), so a
 * replayed receipt asks for, and reprints, the same SSCC.
 */
static bool sscc_op_of(const char *op, char out[ENGINE_OP_ID_SIZE])
{
	if (!op || strlen(op) != ENGINE_OP_ID_SIZE - 1 || op[14] != '4')
		return false;
	memcpy(out, op, ENGINE_OP_ID_SIZE);
	out[14] = '8';
	return true;
}

/* The case's GTIN and how many trade items of it the receipt holds:
 * the scanned code when it is a GTIN of the received SKU whose pack
 * divides the quantity; else none (gtin ""). */
static enum wh_err case_gtin(struct db *db, const struct station_actor *a,
			     const struct ui_req *r, char gtin[15],
			     int32_t *count, struct wh_error *err)
{
	struct lookup_code lc;
	size_t n = r->code ? strlen(r->code) : 0;
	enum wh_err rc;

	gtin[0] = '\0';
	*count = 0;
	if ((n != 13 && n != 14) || strspn(r->code, "0123456789") != n)
		return WH_OK;
	rc = lookup_code(db, a->warehouse_id, r->code, a->lang, &lc, err);
	if (rc != WH_OK)
		return rc;
	if (lc.kind != LOOKUP_SKU || lc.sku_id != r->sku_id)
		return WH_OK;
	if (lc.pack_qty < 1)
		lc.pack_qty = 1;
	if (r->qty < 1 || r->qty % lc.pack_qty)
		return WH_OK;
	snprintf(gtin, 15, "%s%s", n == 13 ? "0" : "", r->code);
	*count = r->qty / lc.pack_qty;
	return WH_OK;
}

/* The label data of one received case (a JSON object), or NULL. */
static json_t *sscc_data(const char *sscc, const char *gtin, int32_t count,
			 const char *lot, const char *expiry)
{
	json_t *d = json_object();
	char buf[16];
	int bad = 0;

	if (!d)
		return NULL;
	bad |= json_object_set_new(d, "sscc", json_string(sscc));
	if (gtin[0]) {
		snprintf(buf, sizeof(buf), "%" PRId32, count);
		bad |= json_object_set_new(d, "gtin", json_string(gtin));
		bad |= json_object_set_new(d, "count", json_string(buf));
		if (lot && lot[0])
			bad |= json_object_set_new(d, "lot",
						   json_string(lot));
		if (expiry && expiry[0])
			bad |= json_object_set_new(d, "expiry",
						   json_string(expiry));
	}
	if (bad) {
		json_decref(d);
		return NULL;
	}
	return d;
}

/* Issues, renders and prints the SSCC label of the receipt in out. */
static enum wh_err print_sscc(struct db *db, const struct station_actor *a,
			      const struct engine_actor *who,
			      const struct ui_req *r,
			      struct ui_receive_result *out,
			      struct wh_error *err)
{
	struct label_encode_opts opts = { 0 };
	struct label_raster *rs = NULL;
	struct label_buf job = { 0 };
	struct pack_station ps;
	struct lookup_lot lot;
	char op[ENGINE_OP_ID_SIZE], gtin[15];
	const char *expiry = r->expiry && r->expiry[0] ? r->expiry : NULL;
	enum label_format fmt;
	int32_t count;
	json_t *data;
	enum wh_err rc;

	if (!sscc_op_of(r->op, op))
		return wh_error_set(err, WH_ERR_INVALID, "no operation id "
				    "for the SSCC");
	rc = pack_req_printer_of(db, a, &ps, err);
	if (rc != WH_OK)
		return rc;
	if (!pack_req_format_of(ps.format, &fmt))
		return wh_error_set(err, WH_ERR_INVALID, "label format %s",
				    ps.format);
	rc = case_gtin(db, a, r, gtin, &count, err);
	if (rc != WH_OK)
		return rc;
	/* a known lot keeps its own expiry */
	if (!expiry && r->lot && r->lot[0] &&
	    lookup_lot(db, r->sku_id, r->lot, &lot, err) == WH_OK &&
	    lot.expiry[0])
		expiry = lot.expiry;
	rc = replen_db_issue_sscc(db, a->warehouse_id, out->rcv.receipt_id,
				  op, who, out->sscc, err);
	if (rc != WH_OK)
		return rc;
	data = sscc_data(out->sscc, gtin, count, r->lot, expiry);
	if (!data)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = label_render(SSCC_LABEL_TYPE, data, ps.dpi, &rs, err);
	json_decref(data);
	opts.dpi = ps.dpi;
	if (rc == WH_OK)
		rc = label_encode(rs, fmt, &opts, &job, err);
	label_raster_free(rs);
	if (rc == WH_OK)
		rc = printer_send(ps.printer_uri, job.data, job.len, NULL,
				  err);
	label_buf_free(&job);
	return rc;
}

/*
 * The receipt, then its case label when the station prints them. A label
 * that does not print is reported in out->label_error: the receipt
 * stands.
 */
static enum wh_err run_receive(struct db *db, const struct station_actor *a,
			       const struct engine_actor *who,
			       const struct ui_req *r,
			       struct ui_receive_result *out,
			       struct wh_error *err)
{
	struct wh_error le = { 0 };
	bool on = false;
	enum wh_err rc;

	rc = do_receive(db, a, who, r, &out->rcv, err);
	if (rc != WH_OK)
		return rc;
	rc = replen_db_receive_labels(db, a->station_id, &on, &le);
	if (rc == WH_OK && !on)
		return WH_OK;
	if (rc == WH_OK)
		rc = print_sscc(db, a, who, r, out, &le);
	if (rc == WH_OK) {
		out->label_printed = true;
		return WH_OK;
	}
	snprintf(out->label_error, sizeof(out->label_error), "%s",
		 le.msg[0] ? le.msg : wh_err_name(rc));
	return WH_OK;
}

static enum wh_err run_count(struct db *db, const struct station_actor *a,
			     const struct engine_actor *who,
			     const struct ui_req *r,
			     struct engine_count_result *out,
			     struct wh_error *err)
{
	struct engine_count_line l[UI_REQ_COUNT_MAX];
	size_t i;

	for (i = 0; i < r->nlines && i < UI_REQ_COUNT_MAX; i++) {
		l[i].sku_id = r->lines[i].sku_id;
		l[i].lot_code = r->lines[i].lot[0] ? r->lines[i].lot : NULL;
		l[i].counted = r->lines[i].counted;
	}
	return engine_count(db, r->id, l, i,
			    a->count_threshold >= 0 ? a->count_threshold : 0,
			    r->op, who, out, err);
}

static enum wh_err run_wave(struct db *db, const struct station_actor *a,
			    const struct engine_actor *who,
			    const struct ui_req *r, void *out,
			    struct wh_error *err)
{
	const struct ui_wave_req *w = &r->wave;
	struct engine_wave_limits lim = {
		.strategy = w->strategy,
		.max_orders = w->max_orders > 0 ? (size_t)w->max_orders : 1,
		.max_units = w->max_units > 0 ? w->max_units : 1,
		.max_totes = w->max_totes > 0 ? (size_t)w->max_totes : 1,
		.slots_per_tote = w->slots_per_tote > 0
					  ? (size_t)w->slots_per_tote : 1,
		.carrier = w->carrier[0] ? w->carrier : NULL,
	};

	/* lookup_wave_preview's spelling, not wave_strategy_name()'s
	 * ("multi-item"): with that every order counted as eligible */
	static const char *const preview_name[] = {
		[WAVE_SINGLE_ITEM] = "single_item",
		[WAVE_MULTI_ITEM] = "multi_item",
		[WAVE_BY_CARRIER] = "by_carrier",
	};

	if (r->kind == UI_REQ_WAVE_PREVIEW) {
		if ((unsigned)w->strategy > WAVE_BY_CARRIER)
			return wh_error_set(err, WH_ERR_INVALID,
					    "unknown wave strategy");
		return lookup_wave_preview(db, a->warehouse_id,
					   preview_name[w->strategy],
					   w->carrier, lim.max_orders, out,
					   err);
	}
	return engine_release_wave(db, a->warehouse_id, &lim, who, out, err);
}

static enum wh_err run_suggest(struct db *db, const struct station_actor *a,
			       const struct ui_req *r,
			       struct ui_suggest_result *out,
			       struct wh_error *err)
{
	enum wh_err rc;

	rc = engine_suggest_putaway(db, a->warehouse_id, r->sku_id, r->lot_id,
				    &out->location_id, err);
	if (rc == WH_ERR_NOT_FOUND) {
		out->location_id = 0;
		return WH_OK;
	}
	if (rc != WH_OK)
		return rc;
	return lookup_location_code(db, out->location_id, out->location_code,
				    err);
}

enum wh_err station_req_run(struct db *db, const struct station_actor *a,
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
	case UI_REQ_CLAIM_TASK:
		if (!answer(&out, sizeof(struct engine_task), err))
			return WH_ERR_NOMEM;
		rc = engine_claim_task(db, &who, a->warehouse_id, out, err);
		break;
	case UI_REQ_CONFIRM_PICK: {
		struct engine_pick p = {
			.task_id = r->id,
			.location_code = r->loc,
			.barcode = r->code,
			.lot_code = r->lot && r->lot[0] ? r->lot : NULL,
			.qty = r->qty,
			.op_id = r->op,
		};

		struct ui_pick_result *pr;

		if (!answer(&out, sizeof(*pr), err))
			return WH_ERR_NOMEM;
		pr = out;
		rc = engine_confirm_pick_next(db, &p, &who, a->warehouse_id,
					      &pr->pick, &pr->next,
					      &pr->has_next, err);
		break;
	}
	case UI_REQ_SHORT_PICK:
		if (!answer(&out, sizeof(struct engine_short_result), err))
			return WH_ERR_NOMEM;
		rc = engine_short_pick(db, r->id, r->qty, r->op, &who, out,
				       err);
		break;
	case UI_REQ_SKIP_TASK:
		rc = lookup_skip_task(db, r->id, a->user_id, a->station_id,
				      r->reason, err);
		break;
	case UI_REQ_PUTBACK:
		if (!answer(&out, sizeof(struct engine_putback_result), err))
			return WH_ERR_NOMEM;
		rc = engine_confirm_putback(db, r->id, r->loc, r->qty, r->op,
					    &who, out, err);
		break;
	case UI_REQ_RESOLVE:
		if (!answer(&out, sizeof(struct lookup_code), err))
			return WH_ERR_NOMEM;
		rc = lookup_code(db, a->warehouse_id, r->code, a->lang, out,
				 err);
		break;
	case UI_REQ_LOT:
		if (!answer(&out, sizeof(struct lookup_lot), err))
			return WH_ERR_NOMEM;
		rc = lookup_lot(db, r->sku_id, r->lot, out, err);
		break;
	case UI_REQ_PO_LIST:
		if (!answer(&out, sizeof(struct lookup_po_list), err))
			return WH_ERR_NOMEM;
		rc = lookup_open_pos(db, a->warehouse_id, out, err);
		break;
	case UI_REQ_RECEIVE:
		if (!answer(&out, sizeof(struct ui_receive_result), err))
			return WH_ERR_NOMEM;
		rc = run_receive(db, a, &who, r, out, err);
		break;
	case UI_REQ_SUGGEST:
		if (!answer(&out, sizeof(struct ui_suggest_result), err))
			return WH_ERR_NOMEM;
		rc = run_suggest(db, a, r, out, err);
		break;
	case UI_REQ_PUTAWAY:
	case UI_REQ_MOVE:
		if (!answer(&out, sizeof(struct ui_move_result), err))
			return WH_ERR_NOMEM;
		rc = run_move(db, a, &who, r, out, err);
		break;
	case UI_REQ_COUNT:
		if (!answer(&out, sizeof(struct engine_count_result), err))
			return WH_ERR_NOMEM;
		rc = run_count(db, a, &who, r, out, err);
		break;
	case UI_REQ_STOCK:
		if (!answer(&out, sizeof(struct lookup_stock), err))
			return WH_ERR_NOMEM;
		rc = lookup_stock(db, a->warehouse_id, r->code, a->lang, out,
				  err);
		break;
	case UI_REQ_WAVE_PREVIEW:
		if (!answer(&out, sizeof(struct lookup_wave_preview), err))
			return WH_ERR_NOMEM;
		rc = run_wave(db, a, &who, r, out, err);
		break;
	case UI_REQ_WAVE_RELEASE:
		if (!answer(&out, sizeof(struct engine_wave_result), err))
			return WH_ERR_NOMEM;
		rc = run_wave(db, a, &who, r, out, err);
		break;
	case UI_REQ_REPLEN_CLAIM:
		if (!answer(&out, sizeof(struct replen_db_task), err))
			return WH_ERR_NOMEM;
		rc = replen_db_claim(db, &who, a->warehouse_id, out, err);
		break;
	case UI_REQ_REPLEN_CONFIRM: {
		struct replen_db_confirm c = {
			.task_id = r->id,
			.from_code = r->loc,
			.to_code = r->loc2,
			.barcode = r->code,
			.lot_code = r->lot && r->lot[0] ? r->lot : NULL,
			.qty = r->qty,
			.op_id = r->op,
		};

		if (!answer(&out, sizeof(struct replen_db_confirm_result),
			    err))
			return WH_ERR_NOMEM;
		rc = replen_db_confirm(db, &c, &who, out, err);
		break;
	}
	case UI_REQ_REPLEN_PLAN:
		if (!answer(&out, sizeof(struct replen_db_plan_result), err))
			return WH_ERR_NOMEM;
		rc = replen_db_plan(db, a->warehouse_id, &who, r->op, out,
				    err);
		break;
	default:
		if (pack_req_handles(r->kind))
			return pack_req_run(db, a, r, result, err);
		return wh_error_set(err, WH_ERR_INVALID, "unknown request");
	}
	if (rc != WH_OK) {
		free(out);
		return rc;
	}
	*result = out;
	return WH_OK;
}
