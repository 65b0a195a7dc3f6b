/*
 * req.c - database requests of the station's screens. See req.h.
 */
#include "ui/req.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ui_req *req_new(enum ui_req_kind kind)
{
	struct ui_req *r = calloc(1, sizeof(*r));

	if (r)
		r->kind = kind;
	return r;
}

struct ui_req *ui_req_login(const char *who, const char *pin)
{
	struct ui_req *r = req_new(UI_REQ_LOGIN);

	if (!r)
		return NULL;
	r->who = strdup(who ? who : "");
	r->pin = strdup(pin ? pin : "");
	if (!r->who || !r->pin) {
		ui_req_free(r);
		return NULL;
	}
	return r;
}

struct ui_req *ui_req_logout(const char *reason)
{
	struct ui_req *r = req_new(UI_REQ_LOGOUT);

	if (!r)
		return NULL;
	r->reason = strdup(reason ? reason : "user");
	if (!r->reason) {
		ui_req_free(r);
		return NULL;
	}
	return r;
}

struct ui_req *ui_req_summary(void)
{
	return req_new(UI_REQ_SUMMARY);
}

/* strdup of s into *dst; NULL s stays NULL. False when out of memory. */
static bool dup_to(char **dst, const char *s)
{
	if (!s)
		return true;
	*dst = strdup(s);
	return *dst != NULL;
}

/* A request with the common fields; NULL when out of memory. */
static struct ui_req *req_with(enum ui_req_kind kind, int64_t id,
			       const char *loc, const char *loc2,
			       const char *code, const char *lot,
			       const char *op)
{
	struct ui_req *r = req_new(kind);

	if (!r)
		return NULL;
	r->id = id;
	if (!dup_to(&r->loc, loc) || !dup_to(&r->loc2, loc2) ||
	    !dup_to(&r->code, code) || !dup_to(&r->lot, lot)) {
		ui_req_free(r);
		return NULL;
	}
	snprintf(r->op, sizeof(r->op), "%s", op ? op : "");
	return r;
}

struct ui_req *ui_req_replen(enum ui_req_kind kind, int64_t task_id,
			     const char *from, const char *to,
			     const char *code, const char *lot, int32_t qty,
			     const char *op)
{
	struct ui_req *r = req_with(kind, task_id, from, to, code, lot, op);

	if (r)
		r->qty = qty;
	return r;
}

struct ui_req *ui_req_claim_task(void)
{
	return req_new(UI_REQ_CLAIM_TASK);
}

struct ui_req *ui_req_confirm_pick(int64_t task_id, const char *loc,
				   const char *code, const char *lot,
				   int32_t qty, const char *op)
{
	struct ui_req *r = req_with(UI_REQ_CONFIRM_PICK, task_id, loc, NULL,
				    code, lot, op);

	if (r)
		r->qty = qty;
	return r;
}

struct ui_req *ui_req_short_pick(int64_t task_id, int32_t found,
				 const char *op)
{
	struct ui_req *r = req_with(UI_REQ_SHORT_PICK, task_id, NULL, NULL,
				    NULL, NULL, op);

	if (r)
		r->qty = found;
	return r;
}

struct ui_req *ui_req_skip_task(int64_t task_id, const char *reason)
{
	struct ui_req *r = req_with(UI_REQ_SKIP_TASK, task_id, NULL, NULL,
				    NULL, NULL, NULL);

	if (r && !dup_to(&r->reason, reason ? reason : "")) {
		ui_req_free(r);
		return NULL;
	}
	return r;
}

struct ui_req *ui_req_putback(int64_t task_id, const char *loc, int32_t qty,
			      const char *op)
{
	struct ui_req *r = req_with(UI_REQ_PUTBACK, task_id, loc, NULL, NULL,
				    NULL, op);

	if (r)
		r->qty = qty;
	return r;
}

struct ui_req *ui_req_resolve(const char *code)
{
	return req_with(UI_REQ_RESOLVE, 0, NULL, NULL, code ? code : "",
			NULL, NULL);
}

struct ui_req *ui_req_lot(int64_t sku_id, const char *lot)
{
	struct ui_req *r = req_with(UI_REQ_LOT, 0, NULL, NULL, NULL,
				    lot ? lot : "", NULL);

	if (r)
		r->sku_id = sku_id;
	return r;
}

struct ui_req *ui_req_po_list(void)
{
	return req_new(UI_REQ_PO_LIST);
}

struct ui_req *ui_req_receive(int64_t po_id, int64_t sku_id, const char *lot,
			      const char *expiry, int32_t qty,
			      const char *loc, const char *op)
{
	return ui_req_receive_scan(po_id, sku_id, NULL, lot, expiry, qty, loc,
				   op);
}

struct ui_req *ui_req_receive_scan(int64_t po_id, int64_t sku_id,
				   const char *code, const char *lot,
				   const char *expiry, int32_t qty,
				   const char *loc, const char *op)
{
	struct ui_req *r = req_with(UI_REQ_RECEIVE, po_id, loc, NULL, code,
				    lot, op);

	if (!r)
		return NULL;
	if (!dup_to(&r->expiry, expiry)) {
		ui_req_free(r);
		return NULL;
	}
	r->sku_id = sku_id;
	r->qty = qty;
	return r;
}

struct ui_req *ui_req_suggest(int64_t sku_id, int64_t lot_id)
{
	struct ui_req *r = req_new(UI_REQ_SUGGEST);

	if (r) {
		r->sku_id = sku_id;
		r->lot_id = lot_id;
	}
	return r;
}

struct ui_req *ui_req_move(enum ui_req_kind kind, const char *from,
			   const char *to, int64_t sku_id, int64_t lot_id,
			   int32_t qty, const char *op)
{
	struct ui_req *r = req_with(kind == UI_REQ_PUTAWAY ? UI_REQ_PUTAWAY
							   : UI_REQ_MOVE,
				    0, from ? from : "", to ? to : "", NULL,
				    NULL, op);

	if (r) {
		r->sku_id = sku_id;
		r->lot_id = lot_id;
		r->qty = qty;
	}
	return r;
}

struct ui_req *ui_req_count(int64_t location_id,
			    const struct ui_count_line *lines, size_t n,
			    const char *op)
{
	struct ui_req *r = req_with(UI_REQ_COUNT, location_id, NULL, NULL,
				    NULL, NULL, op);

	if (!r)
		return NULL;
	if (n > UI_REQ_COUNT_MAX)
		n = UI_REQ_COUNT_MAX;
	if (n)
		memcpy(r->lines, lines, n * sizeof(*lines));
	r->nlines = n;
	return r;
}

struct ui_req *ui_req_stock(const char *query)
{
	return req_with(UI_REQ_STOCK, 0, NULL, NULL, query ? query : "",
			NULL, NULL);
}

struct ui_req *ui_req_wave(enum ui_req_kind kind, const struct ui_wave_req *w)
{
	struct ui_req *r = req_new(kind == UI_REQ_WAVE_RELEASE
					   ? UI_REQ_WAVE_RELEASE
					   : UI_REQ_WAVE_PREVIEW);

	if (r && w)
		r->wave = *w;
	return r;
}

struct ui_req *ui_req_pack(enum ui_req_kind kind, int64_t order_id,
			   const char *code, const char *lot, int32_t qty,
			   const char *reason, const char *op)
{
	struct ui_req *r = req_with(kind, order_id, NULL, NULL, code, lot, op);

	if (!r)
		return NULL;
	r->qty = qty;
	if (!dup_to(&r->reason, reason)) {
		ui_req_free(r);
		return NULL;
	}
	return r;
}

void ui_req_free(void *req)
{
	struct ui_req *r = req;

	if (!r)
		return;
	if (r->pin) {
		explicit_bzero(r->pin, strlen(r->pin));
		free(r->pin);
	}
	free(r->who);
	free(r->reason);
	free(r->loc);
	free(r->loc2);
	free(r->code);
	free(r->lot);
	free(r->expiry);
	free(r);
}
