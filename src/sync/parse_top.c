/* parse_top.c - Taobao/Tmall (TOP) trades and error envelope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/order_int.h"
#include "sync/synctime.h"

enum sync_api_status api_classify_top(const json_t *root, long http,
				      struct sync_api_error *out)
{
	json_t *e = json_object_get(root, "error_response");
	char msg[sizeof(out->message)], sub[sizeof(out->message)];
	long code;

	if (!json_is_object(e))
		return out->status = api_from_http(http);
	ord_copy_field(e, "code", out->code, sizeof(out->code));
	ord_copy_field(e, "sub_code", out->sub_code, sizeof(out->sub_code));
	ord_copy_field(e, "msg", msg, sizeof(msg));
	ord_copy_field(e, "sub_msg", sub, sizeof(sub));
	snprintf(out->message, sizeof(out->message), "%s%s%s", msg,
		 sub[0] ? ": " : "", sub);
	code = strtol(out->code, NULL, 10);
	switch (code) {
	case 7: /* App Call Limited */
	case 8: /* call frequency exceeded */
		return out->status = SYNC_API_RATE_LIMITED;
	case 11: /* ISV permission */
	case 12: /* user permission */
	case 26: /* missing session */
	case 27: /* invalid session */
		return out->status = SYNC_API_AUTH;
	case 25:
		return out->status = SYNC_API_BAD_SIGNATURE;
	case 31:
		return out->status = SYNC_API_BAD_TIMESTAMP;
	default:
		break;
	}
	/* isp.* sub_codes are the platform's own faults: retry later. */
	if (!strncmp(out->sub_code, "isp.", 4) || code == 15)
		return out->status = strncmp(out->sub_code, "isv.", 4) ?
			SYNC_API_SERVER : SYNC_API_OTHER;
	return out->status = api_from_text(out->code, out->sub_code,
					   out->message, SYNC_API_OTHER);
}

static enum wh_err top_line(const json_t *t, struct sync_order_line *ln,
			    const struct sync_order *o, struct wh_error *e)
{
	(void)o;
	ORD_TRY(ord_id2(t, "oid_str", "oid", &ln->line_id, e));
	ORD_TRY(jf_str(t, "outer_sku_id", FMAX, false, &ln->sku_code, e));
	if (!ln->sku_code || !*ln->sku_code) {
		/* A single-SKU item carries its code on the item. */
		free(ln->sku_code);
		ORD_TRY(jf_str(t, "outer_iid", FMAX, false, &ln->sku_code,
			       e));
	}
	ORD_TRY(jf_str(t, "sku_id", FMAX, false, &ln->platform_sku_id, e));
	ORD_TRY(jf_str(t, "num_iid", FMAX, false, &ln->product_id, e));
	ORD_TRY(jf_str(t, "title", FMAX, false, &ln->title, e));
	ORD_TRY(jf_int(t, "num", true, 0, &ln->qty, e));
	ORD_TRY(jf_amount(t, "price", 2, false, &ln->unit_price, e));
	if (json_object_get(t, "payment"))
		ORD_TRY(jf_amount(t, "payment", 2, false, &ln->line_total, e));
	else
		ORD_TRY(jf_amount(t, "total_fee", 2, false, &ln->line_total,
				  e));
	ORD_TRY(jf_str(t, "refund_status", FMAX, false, &ln->refund_raw, e));
	ln->refund = sync_refund_top(ln->refund_raw);
	if (ln->refund == SYNC_REFUND_UNKNOWN)
		return wh_error_set(e, WH_ERR_INVALID,
				    "unknown refund_status \"%s\"",
				    ln->refund_raw);
	return ord_check_line(ln, e);
}

static enum wh_err top_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "tid_str", "tid", id, e);
}

static enum wh_err top_fill(const json_t *t, struct sync_order *o,
			    struct wh_error *e)
{
	char *status = NULL;
	json_t *lines;
	enum wh_err rc;

	rc = jf_str(t, "status", FMAX, true, &status, e);
	if (rc)
		return rc;
	o->state = sync_status_top(status);
	rc = ord_status_raw(o, e, "status=%s", status);
	free(status);
	ORD_TRY(rc);
	ORD_TRY(jf_time(t, "created", SYNC_TZ_CHINA, false, &o->created_at,
			e));
	ORD_TRY(jf_time(t, "modified", SYNC_TZ_CHINA, false, &o->modified_at,
			e));
	ORD_TRY(jf_time(t, "pay_time", SYNC_TZ_CHINA, false, &o->paid_at, e));
	ORD_TRY(jf_str(t, "buyer_nick", FMAX, false, &o->buyer, e));
	if (!o->buyer)
		ORD_TRY(jf_str(t, "buyer_open_uid", FMAX, false, &o->buyer,
			       e));
	ORD_TRY(jf_str(t, "receiver_name", FMAX, false, &o->receiver_name, e));
	ORD_TRY(jf_str(t, "receiver_mobile", FMAX, false, &o->phone, e));
	if (!o->phone || !*o->phone) {
		free(o->phone);
		ORD_TRY(jf_str(t, "receiver_phone", FMAX, false, &o->phone,
			       e));
	}
	ORD_TRY(jf_str(t, "receiver_state", FMAX, false, &o->province, e));
	ORD_TRY(jf_str(t, "receiver_city", FMAX, false, &o->city, e));
	ORD_TRY(jf_str(t, "receiver_district", FMAX, false, &o->district, e));
	ORD_TRY(jf_str(t, "receiver_address", AMAX, false, &o->address, e));
	ORD_TRY(jf_str(t, "receiver_zip", FMAX, false, &o->zip, e));
	ORD_TRY(jf_str(t, "receiver_country", FMAX, false, &o->country, e));
	ORD_TRY(jf_str(t, "buyer_message", AMAX, false, &o->remark, e));
	ORD_TRY(jf_str(t, "seller_memo", AMAX, false, &o->seller_remark, e));
	memcpy(o->currency, "CNY", 4);
	ORD_TRY(jf_amount(t, "payment", 2, false, &o->total, e));
	ORD_TRY(jf_amount(t, "post_fee", 2, false, &o->shipping_fee, e));
	ORD_TRY(jf_amount(t, "discount_fee", 2, false, &o->discount, e));
	ORD_TRY(ord_wrapped_list(t, "orders", "order", &lines, e));
	ORD_TRY(ord_parse_lines(o, lines, top_line, e));
	ord_apply_line_refunds(o);
	return WH_OK;
}

static const struct ord_parser top_parser = {
	SYNC_PLATFORM_TOP, "trade", top_id, top_fill,
};

/* The single member whose name ends in "_response", or NULL. */
static json_t *response_member(const json_t *root)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)root, key, v) {
		size_t n = strlen(key);

		if (n > 9 && !strcmp(key + n - 9, "_response") &&
		    strcmp(key, "error_response") != 0)
			return v;
	}
	return NULL;
}

enum wh_err sync_parse_top_orders(const char *json, size_t len,
				  struct sync_order_list *out,
				  struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *resp, *trades, *one;
	enum wh_err rc;
	int64_t total;
	bool has_next;

	rc = ord_parse_root(json, len, "TOP", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_top(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_TOP, &ae, err);
		goto out;
	}
	resp = response_member(root);
	if (!json_is_object(resp)) {
		rc = wh_error_set(err, WH_ERR_INVALID,
				  "TOP response: no *_response object");
		goto out;
	}
	rc = jf_obj(resp, "trade", false, &one, err);
	if (rc)
		goto out;
	if (one) {
		rc = ord_parse_one(&top_parser, one, 0, out, err);
		goto out;
	}
	rc = ord_wrapped_list(resp, "trades", "trade", &trades, err);
	if (!rc)
		rc = jf_int(resp, "total_results", false, -1, &total, err);
	if (!rc)
		rc = jf_bool(resp, "has_next", false, &has_next, err);
	if (rc) {
		wh_error_prefix(err, "TOP response");
		goto out;
	}
	out->total = total;
	out->has_next = has_next;
	rc = ord_parse_array(&top_parser, trades, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}
