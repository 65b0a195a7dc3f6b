/* parse_pdd.c - Pinduoduo incremental order list and error envelope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/order_int.h"
#include "sync/synctime.h"

enum sync_api_status api_classify_pdd(const json_t *root, long http,
				      struct sync_api_error *out)
{
	json_t *e = json_object_get(root, "error_response");
	char msg[sizeof(out->message)], sub[sizeof(out->message)];

	if (!json_is_object(e))
		return out->status = api_from_http(http);
	ord_copy_field(e, "error_code", out->code, sizeof(out->code));
	ord_copy_field(e, "sub_code", out->sub_code, sizeof(out->sub_code));
	ord_copy_field(e, "error_msg", msg, sizeof(msg));
	ord_copy_field(e, "sub_msg", sub, sizeof(sub));
	snprintf(out->message, sizeof(out->message), "%s%s%s", msg,
		 sub[0] ? ": " : "", sub);
	/* PDD's numeric codes are not public; read the text [M]. */
	return out->status = api_from_text("", out->sub_code, out->message,
					   http >= 500 ? SYNC_API_SERVER :
					   SYNC_API_OTHER);
}

static enum wh_err pdd_line(const json_t *t, struct sync_order_line *ln,
			    const struct sync_order *o, struct wh_error *e)
{
	(void)o;
	ORD_TRY(jf_str(t, "sku_id", FMAX, true, &ln->platform_sku_id, e));
	/* PDD items have no line id; the SKU is unique in an order. */
	ln->line_id = strdup(ln->platform_sku_id);
	if (!ln->line_id)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	ORD_TRY(jf_str(t, "outer_id", FMAX, false, &ln->sku_code, e));
	if (!ln->sku_code || !*ln->sku_code) {
		free(ln->sku_code);
		ORD_TRY(jf_str(t, "outer_goods_id", FMAX, false, &ln->sku_code,
			       e));
	}
	ORD_TRY(jf_str(t, "goods_id", FMAX, false, &ln->product_id, e));
	ORD_TRY(jf_str(t, "goods_name", FMAX, false, &ln->title, e));
	ORD_TRY(jf_int(t, "goods_count", true, 0, &ln->qty, e));
	ORD_TRY(jf_amount(t, "goods_price", 2, false, &ln->unit_price, e));
	ORD_TRY(ord_check_line(ln, e));
	ORD_TRY(ord_mul(ln->unit_price, ln->qty, &ln->line_total, e));
	ln->refund = SYNC_REFUND_NONE;
	return WH_OK;
}

static enum wh_err pdd_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "order_sn", NULL, id, e);
}

static enum wh_err pdd_fill(const json_t *t, struct sync_order *o,
			    struct wh_error *e)
{
	int64_t os, cs, rs, risk;
	json_t *lines;

	ORD_TRY(jf_int(t, "order_status", true, 0, &os, e));
	ORD_TRY(jf_int(t, "confirm_status", false, SYNC_STATUS_ABSENT, &cs,
		       e));
	ORD_TRY(jf_int(t, "refund_status", false, SYNC_STATUS_ABSENT, &rs,
		       e));
	ORD_TRY(jf_int(t, "risk_control_status", false, SYNC_STATUS_ABSENT,
		       &risk, e));
	/*
	 * The increment API returns only deals; a missing confirm_status
	 * or refund_status is taken as confirmed / no after-sale.
	 */
	o->state = sync_status_pdd((long)os,
				   cs == SYNC_STATUS_ABSENT ? 1 : (long)cs,
				   rs == SYNC_STATUS_ABSENT ? 1 : (long)rs,
				   (long)risk);
	ORD_TRY(ord_status_raw(o, e, "order_status=%lld confirm_status=%lld "
			       "refund_status=%lld risk_control_status=%lld",
			       (long long)os, (long long)cs, (long long)rs,
			       (long long)risk));
	ORD_TRY(jf_time(t, "created_time", SYNC_TZ_CHINA, false,
			&o->created_at, e));
	ORD_TRY(jf_time(t, "updated_at", SYNC_TZ_CHINA, false,
			&o->modified_at, e));
	ORD_TRY(jf_time(t, "pay_time", SYNC_TZ_CHINA, false, &o->paid_at, e));
	ORD_TRY(jf_str(t, "receiver_name", FMAX, false, &o->receiver_name, e));
	ORD_TRY(jf_str(t, "receiver_phone", FMAX, false, &o->phone, e));
	ORD_TRY(jf_str(t, "province", FMAX, false, &o->province, e));
	ORD_TRY(jf_str(t, "city", FMAX, false, &o->city, e));
	ORD_TRY(jf_str(t, "town", FMAX, false, &o->district, e));
	ORD_TRY(jf_str(t, "address", AMAX, false, &o->address, e));
	if (!o->address || !*o->address) {
		free(o->address);
		ORD_TRY(jf_str(t, "receiver_address", AMAX, false,
			       &o->address, e));
	}
	ORD_TRY(jf_str(t, "buyer_memo", AMAX, false, &o->remark, e));
	ORD_TRY(jf_str(t, "remark", AMAX, false, &o->seller_remark, e));
	memcpy(o->currency, "CNY", 4);
	ORD_TRY(jf_amount(t, "pay_amount", 2, false, &o->total, e));
	ORD_TRY(jf_amount(t, "postage", 2, false, &o->shipping_fee, e));
	ORD_TRY(jf_amount(t, "discount_amount", 2, false, &o->discount, e));
	ORD_TRY(jf_arr(t, "item_list", false, &lines, e));
	ORD_TRY(ord_parse_lines(o, lines, pdd_line, e));
	return WH_OK;
}

static const struct ord_parser pdd_parser = {
	SYNC_PLATFORM_PDD, "order", pdd_id, pdd_fill,
};

enum wh_err sync_parse_pdd_orders(const char *json, size_t len,
				  struct sync_order_list *out,
				  struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *r, *list, *one;
	enum wh_err rc;
	int64_t total = -1;
	bool has_next = false;

	rc = ord_parse_root(json, len, "PDD", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_pdd(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_PDD, &ae, err);
		goto out;
	}
	/* pdd.order.information.get: {"order_info_get_response":
	 * {"order_info":{...}}} */
	rc = jf_obj(root, "order_info_get_response", false, &r, err);
	if (!rc && r) {
		rc = jf_obj(r, "order_info", true, &one, err);
		if (!rc)
			rc = ord_parse_one(&pdd_parser, one, 0, out, err);
		else
			wh_error_prefix(err, "PDD response");
		goto out;
	}
	if (!rc)
		rc = jf_obj(root, "order_sn_increment_get_response", true, &r,
			    err);
	if (!rc)
		rc = jf_int(r, "total_count", false, -1, &total, err);
	if (!rc)
		rc = jf_bool(r, "has_next", false, &has_next, err);
	if (!rc)
		rc = jf_arr(r, "order_sn_list", false, &list, err);
	if (rc) {
		wh_error_prefix(err, "PDD response");
		goto out;
	}
	out->total = total;
	out->has_next = has_next;
	rc = ord_parse_array(&pdd_parser, list, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}
