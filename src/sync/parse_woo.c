/* parse_woo.c - WooCommerce REST v3 orders and error bodies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/amount.h"
#include "sync/order_int.h"

enum sync_api_status api_classify_woo(const json_t *root, long http,
				      struct sync_api_error *out)
{
	json_t *code = json_object_get(root, "code");
	json_t *data = json_object_get(root, "data");
	enum sync_api_status st;
	long status = http;

	if (!json_is_string(code) || !json_object_get(root, "message"))
		return out->status = api_from_http(http);
	ord_copy_field(root, "code", out->code, sizeof(out->code));
	ord_copy_field(root, "message", out->message, sizeof(out->message));
	if (!status && json_is_integer(json_object_get(data, "status")))
		status = (long)json_integer_value(json_object_get(data,
								  "status"));
	st = api_from_http(status);
	st = api_from_text(out->code, "", out->message,
			   st ? st : SYNC_API_OTHER);
	/* "rest_forbidden" and friends: the key may not read orders. */
	if (st == SYNC_API_OTHER && (status == 401 || status == 403))
		st = SYNC_API_AUTH;
	return out->status = st;
}

static enum wh_err woo_line(const json_t *t, struct sync_order_line *ln,
			    const struct sync_order *o, struct wh_error *e)
{
	int64_t variation = 0;
	int exp = sync_currency_exponent(o->currency);

	ORD_TRY(ord_id2(t, "id", NULL, &ln->line_id, e));
	ORD_TRY(jf_str(t, "sku", FMAX, false, &ln->sku_code, e));
	ORD_TRY(jf_int(t, "variation_id", false, 0, &variation, e));
	ORD_TRY(jf_str(t, variation ? "variation_id" : "product_id", FMAX,
		       false, &ln->platform_sku_id, e));
	ORD_TRY(jf_str(t, "product_id", FMAX, false, &ln->product_id, e));
	ORD_TRY(jf_str(t, "name", FMAX, false, &ln->title, e));
	ORD_TRY(jf_int(t, "quantity", true, 0, &ln->qty, e));
	ORD_TRY(jf_amount(t, "total", exp, false, &ln->line_total, e));
	ln->refund = SYNC_REFUND_NONE;
	ORD_TRY(ord_check_line(ln, e));
	/*
	 * "price" is a float Woo computes as total / quantity and may have
	 * many decimals; derive the unit price from the exact total.
	 */
	ln->unit_price = ln->line_total / ln->qty;
	return WH_OK;
}

static enum wh_err woo_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "id", NULL, id, e);
}

static enum wh_err woo_name(const json_t *o, char **out, struct wh_error *e)
{
	char *first = NULL, *last = NULL;
	enum wh_err rc;

	rc = jf_str(o, "first_name", FMAX, false, &first, e);
	if (!rc)
		rc = jf_str(o, "last_name", FMAX, false, &last, e);
	if (!rc)
		rc = ord_join(first, " ", last, out, e);
	free(first);
	free(last);
	return rc;
}

static enum wh_err woo_fill(const json_t *t, struct sync_order *o,
			    struct wh_error *e)
{
	char *status = NULL, *cur = NULL, *a1 = NULL, *a2 = NULL;
	json_t *bill, *ship, *lines;
	enum wh_err rc;
	int exp;

	rc = jf_str(t, "status", FMAX, true, &status, e);
	if (rc)
		return rc;
	o->state = sync_status_woo(status);
	rc = ord_status_raw(o, e, "status=%s", status);
	free(status);
	ORD_TRY(rc);
	ORD_TRY(jf_str(t, "number", FMAX, false, &o->order_name, e));
	/* The *_gmt fields are UTC without a zone suffix. */
	ORD_TRY(jf_time(t, "date_created_gmt", 0, false, &o->created_at, e));
	ORD_TRY(jf_time(t, "date_modified_gmt", 0, false, &o->modified_at,
			e));
	ORD_TRY(jf_time(t, "date_paid_gmt", 0, false, &o->paid_at, e));
	ORD_TRY(jf_str(t, "currency", FMAX, true, &cur, e));
	exp = sync_currency_exponent(cur);
	if (exp < 0) {
		rc = wh_error_set(e, WH_ERR_INVALID,
				  "currency \"%.8s\" is not ISO 4217", cur);
		free(cur);
		return rc;
	}
	memcpy(o->currency, cur, 4);
	free(cur);
	ORD_TRY(jf_amount(t, "total", exp, false, &o->total, e));
	ORD_TRY(jf_amount(t, "shipping_total", exp, false, &o->shipping_fee,
			  e));
	ORD_TRY(jf_amount(t, "discount_total", exp, false, &o->discount, e));
	ORD_TRY(jf_str(t, "customer_note", AMAX, false, &o->remark, e));
	ORD_TRY(jf_obj(t, "billing", false, &bill, e));
	ORD_TRY(jf_str(bill, "email", FMAX, false, &o->buyer, e));
	ORD_TRY(jf_obj(t, "shipping", false, &ship, e));
	ORD_TRY(woo_name(ship, &o->receiver_name, e));
	ORD_TRY(jf_str(ship, "phone", FMAX, false, &o->phone, e));
	if (!o->phone || !*o->phone) {
		free(o->phone);
		ORD_TRY(jf_str(bill, "phone", FMAX, false, &o->phone, e));
	}
	ORD_TRY(jf_str(ship, "state", FMAX, false, &o->province, e));
	ORD_TRY(jf_str(ship, "city", FMAX, false, &o->city, e));
	ORD_TRY(jf_str(ship, "postcode", FMAX, false, &o->zip, e));
	ORD_TRY(jf_str(ship, "country", FMAX, false, &o->country, e));
	rc = jf_str(ship, "address_1", FMAX, false, &a1, e);
	if (!rc)
		rc = jf_str(ship, "address_2", FMAX, false, &a2, e);
	if (!rc)
		rc = ord_join(a1, ", ", a2, &o->address, e);
	free(a1);
	free(a2);
	ORD_TRY(rc);
	ORD_TRY(jf_arr(t, "line_items", false, &lines, e));
	ORD_TRY(ord_parse_lines(o, lines, woo_line, e));
	return WH_OK;
}

static const struct ord_parser woo_parser = {
	SYNC_PLATFORM_WOO, "order", woo_id, woo_fill,
};

enum wh_err sync_parse_woo_orders(const char *json, size_t len,
				  struct sync_order_list *out,
				  struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root;
	enum wh_err rc;

	rc = ord_parse_root(json, len, "WooCommerce", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (json_is_object(root) &&
	    api_classify_woo(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_WOO, &ae, err);
		goto out;
	}
	/* Paging is in X-WP-TotalPages, which the HTTP layer reads. */
	if (json_is_array(root))
		rc = ord_parse_array(&woo_parser, root, out, err);
	else
		rc = ord_parse_one(&woo_parser, root, 0, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}
