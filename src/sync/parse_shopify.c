/* parse_shopify.c - Shopify Admin REST orders and error bodies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/amount.h"
#include "sync/order_int.h"

enum sync_api_status api_classify_shopify(const json_t *root, long http,
					  struct sync_api_error *out)
{
	json_t *errs = json_object_get(root, "errors");
	enum sync_api_status st = api_from_http(http);

	if (!errs)
		errs = json_object_get(root, "error");
	if (json_is_string(errs)) {
		ord_copy_field(root, json_object_get(root, "errors") ?
			       "errors" : "error", out->message,
			       sizeof(out->message));
	} else if (errs) {
		char *s = json_dumps(errs, JSON_COMPACT | JSON_ENCODE_ANY);

		if (s) {
			untrusted_clean_into(s, strlen(s), out->message,
					     sizeof(out->message) - 1, NULL);
			free(s);
		}
	} else {
		return out->status = st;
	}
	if (http)
		snprintf(out->code, sizeof(out->code), "HTTP %ld", http);
	if (st != SYNC_API_OK)
		return out->status = st;
	return out->status = api_from_text("", "", out->message,
					   SYNC_API_OTHER);
}

static enum wh_err sp_line(const json_t *t, struct sync_order_line *ln,
			   const struct sync_order *o, struct wh_error *e)
{
	const char *cur = o->currency;
	int64_t disc = 0, gross;
	int exp = sync_currency_exponent(cur);

	ORD_TRY(ord_id2(t, "id", NULL, &ln->line_id, e));
	ORD_TRY(jf_str(t, "sku", FMAX, false, &ln->sku_code, e));
	ORD_TRY(jf_str(t, "variant_id", FMAX, false, &ln->platform_sku_id,
		       e));
	ORD_TRY(jf_str(t, "product_id", FMAX, false, &ln->product_id, e));
	ORD_TRY(jf_str(t, "title", FMAX, false, &ln->title, e));
	ORD_TRY(jf_int(t, "quantity", true, 0, &ln->qty, e));
	ORD_TRY(jf_amount(t, "price", exp, false, &ln->unit_price, e));
	ORD_TRY(jf_amount(t, "total_discount", exp, false, &disc, e));
	ORD_TRY(ord_check_line(ln, e));
	ORD_TRY(ord_mul(ln->unit_price, ln->qty, &gross, e));
	if (disc < 0 || disc > gross)
		return wh_error_set(e, WH_ERR_INVALID,
				    "total_discount out of range");
	ln->line_total = gross - disc;
	/* Refunds appear in refunds[] once issued; no request state. */
	ln->refund = SYNC_REFUND_NONE;
	return WH_OK;
}

static enum wh_err sp_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "id", NULL, id, e);
}

static enum wh_err sp_fill(const json_t *t, struct sync_order *o,
			   struct wh_error *e)
{
	char *fin = NULL, *ful = NULL, *cancelled = NULL, *cur = NULL;
	char *first = NULL, *last = NULL;
	json_t *sa, *lines, *set, *shop;
	enum wh_err rc;
	int exp;

	rc = jf_str(t, "financial_status", FMAX, false, &fin, e);
	if (!rc)
		rc = jf_str(t, "fulfillment_status", FMAX, false, &ful, e);
	if (!rc)
		rc = jf_str(t, "cancelled_at", FMAX, false, &cancelled, e);
	if (!rc) {
		o->state = sync_status_shopify(fin, ful,
					       cancelled && *cancelled);
		rc = ord_status_raw(o, e, "financial_status=%s "
				    "fulfillment_status=%s cancelled_at=%s",
				    fin ? fin : "null", ful ? ful : "null",
				    cancelled ? cancelled : "null");
	}
	free(fin);
	free(ful);
	free(cancelled);
	ORD_TRY(rc);
	ORD_TRY(jf_str(t, "name", FMAX, false, &o->order_name, e));
	ORD_TRY(jf_time(t, "created_at", 0, false, &o->created_at, e));
	ORD_TRY(jf_time(t, "updated_at", 0, false, &o->modified_at, e));
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
	ORD_TRY(jf_str(t, "email", FMAX, false, &o->buyer, e));
	ORD_TRY(jf_str(t, "note", AMAX, false, &o->remark, e));
	ORD_TRY(jf_amount(t, "total_price", exp, false, &o->total, e));
	ORD_TRY(jf_amount(t, "total_discounts", exp, false, &o->discount, e));
	ORD_TRY(jf_obj(t, "total_shipping_price_set", false, &set, e));
	ORD_TRY(jf_obj(set, "shop_money", false, &shop, e));
	ORD_TRY(jf_amount(shop, "amount", exp, false, &o->shipping_fee, e));
	ORD_TRY(jf_obj(t, "shipping_address", false, &sa, e));
	ORD_TRY(jf_str(sa, "name", FMAX, false, &o->receiver_name, e));
	ORD_TRY(jf_str(sa, "phone", FMAX, false, &o->phone, e));
	ORD_TRY(jf_str(sa, "province", FMAX, false, &o->province, e));
	ORD_TRY(jf_str(sa, "city", FMAX, false, &o->city, e));
	ORD_TRY(jf_str(sa, "zip", FMAX, false, &o->zip, e));
	ORD_TRY(jf_str(sa, "country_code", FMAX, false, &o->country, e));
	rc = jf_str(sa, "address1", FMAX, false, &first, e);
	if (!rc)
		rc = jf_str(sa, "address2", FMAX, false, &last, e);
	if (!rc)
		rc = ord_join(first, ", ", last, &o->address, e);
	free(first);
	free(last);
	ORD_TRY(rc);
	ORD_TRY(jf_arr(t, "line_items", false, &lines, e));
	ORD_TRY(ord_parse_lines(o, lines, sp_line, e));
	return WH_OK;
}

static const struct ord_parser sp_parser = {
	SYNC_PLATFORM_SHOPIFY, "order", sp_id, sp_fill,
};

enum wh_err sync_parse_shopify_orders(const char *json, size_t len,
				      struct sync_order_list *out,
				      struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *list, *one;
	enum wh_err rc;

	rc = ord_parse_root(json, len, "Shopify", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_shopify(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_SHOPIFY, &ae, err);
		goto out;
	}
	rc = jf_obj(root, "order", false, &one, err);
	if (!rc && one) {
		rc = ord_parse_one(&sp_parser, one, 0, out, err);
		goto out;
	}
	if (!rc)
		rc = jf_arr(root, "orders", true, &list, err);
	if (rc) {
		wh_error_prefix(err, "Shopify response");
		goto out;
	}
	/* Paging is in the Link header, which the HTTP layer reads. */
	rc = ord_parse_array(&sp_parser, list, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}
