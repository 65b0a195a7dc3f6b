/* parse_douyin.c - Douyin shop order.searchList and the envelope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/order_int.h"

#define DOUYIN_OK 10000

enum sync_api_status api_classify_douyin(const json_t *root, long http,
					 struct sync_api_error *out)
{
	json_t *code = json_object_get(root, "code");
	char msg[sizeof(out->message)], sub[sizeof(out->message)];

	if (!json_is_object(root) || !code)
		return out->status = api_from_http(http);
	ord_copy_field(root, "code", out->code, sizeof(out->code));
	if (json_is_integer(code) && json_integer_value(code) == DOUYIN_OK)
		return out->status = api_from_http(http);
	if (!strcmp(out->code, "10000"))
		return out->status = api_from_http(http);
	ord_copy_field(root, "sub_code", out->sub_code, sizeof(out->sub_code));
	ord_copy_field(root, "msg", msg, sizeof(msg));
	ord_copy_field(root, "sub_msg", sub, sizeof(sub));
	snprintf(out->message, sizeof(out->message), "%s%s%s", msg,
		 sub[0] ? ": " : "", sub);
	if (!out->code[0])
		snprintf(out->code, sizeof(out->code), "?");
	return out->status = api_from_text("", out->sub_code, out->message,
					   http >= 500 ? SYNC_API_SERVER :
					   SYNC_API_OTHER);
}

/* post_addr.<key>.name, or NULL. */
static enum wh_err addr_name(const json_t *addr, const char *key, char **out,
			     struct wh_error *e)
{
	json_t *o;

	*out = NULL;
	ORD_TRY(jf_obj(addr, key, false, &o, e));
	return jf_str(o, "name", FMAX, false, out, e);
}

static enum wh_err dy_line(const json_t *t, struct sync_order_line *ln,
			   const struct sync_order *o, struct wh_error *e)
{
	json_t *asi;
	int64_t rs, as, origin;

	(void)o;
	ORD_TRY(ord_id2(t, "order_id", NULL, &ln->line_id, e));
	/* "code" is the merchant's SKU code; out_sku_id an external id. */
	ORD_TRY(jf_str(t, "code", FMAX, false, &ln->sku_code, e));
	if (!ln->sku_code || !*ln->sku_code) {
		free(ln->sku_code);
		ORD_TRY(jf_str(t, "out_sku_id", FMAX, false, &ln->sku_code,
			       e));
	}
	ORD_TRY(jf_str(t, "sku_id", FMAX, false, &ln->platform_sku_id, e));
	ORD_TRY(jf_str(t, "product_id", FMAX, false, &ln->product_id, e));
	ORD_TRY(jf_str(t, "product_name", FMAX, false, &ln->title, e));
	ORD_TRY(jf_int(t, "item_num", true, 0, &ln->qty, e));
	/* Amounts are fen already: exponent 0 keeps them as they are. */
	ORD_TRY(jf_amount(t, "origin_amount", 0, false, &origin, e));
	ORD_TRY(jf_amount(t, "pay_amount", 0, false, &ln->line_total, e));
	ORD_TRY(jf_obj(t, "after_sale_info", false, &asi, e));
	ORD_TRY(jf_int(asi, "refund_status", false, SYNC_STATUS_ABSENT, &rs,
		       e));
	ORD_TRY(jf_int(asi, "after_sale_status", false, SYNC_STATUS_ABSENT,
		       &as, e));
	ln->refund = sync_refund_douyin((long)rs);
	/* after_sale_status 6: a request was filed, not yet refunding. */
	if (ln->refund == SYNC_REFUND_NONE && as == 6)
		ln->refund = SYNC_REFUND_REQUESTED;
	if (rs != SYNC_STATUS_ABSENT || as != SYNC_STATUS_ABSENT) {
		char buf[96];

		snprintf(buf, sizeof(buf),
			 "refund_status=%lld after_sale_status=%lld",
			 (long long)rs, (long long)as);
		ln->refund_raw = strdup(buf);
		if (!ln->refund_raw)
			return wh_error_set(e, WH_ERR_NOMEM,
					    "out of memory");
	}
	if (ln->refund == SYNC_REFUND_UNKNOWN)
		return wh_error_set(e, WH_ERR_INVALID,
				    "unknown refund_status %lld",
				    (long long)rs);
	ORD_TRY(ord_check_line(ln, e));
	if (origin < 0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "negative origin_amount");
	/* origin_amount is the line's list price; per unit it may round. */
	ln->unit_price = origin / ln->qty;
	return WH_OK;
}

static enum wh_err dy_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "order_id", NULL, id, e);
}

static enum wh_err dy_fill(const json_t *t, struct sync_order *o,
			   struct wh_error *e)
{
	int64_t os, ms;
	json_t *addr, *lines;

	ORD_TRY(jf_int(t, "order_status", true, 0, &os, e));
	ORD_TRY(jf_int(t, "main_status", false, SYNC_STATUS_ABSENT, &ms, e));
	o->state = sync_status_douyin((long)os, (long)ms);
	ORD_TRY(ord_status_raw(o, e, "order_status=%lld main_status=%lld",
			       (long long)os, (long long)ms));
	ORD_TRY(jf_time(t, "create_time", 0, false, &o->created_at, e));
	ORD_TRY(jf_time(t, "update_time", 0, false, &o->modified_at, e));
	ORD_TRY(jf_time(t, "pay_time", 0, false, &o->paid_at, e));
	ORD_TRY(jf_str(t, "doudian_open_id", FMAX, false, &o->buyer, e));
	ORD_TRY(jf_str(t, "mask_post_receiver", FMAX, false,
		       &o->receiver_name, e));
	if (!o->receiver_name)
		ORD_TRY(jf_str(t, "post_receiver", FMAX, false,
			       &o->receiver_name, e));
	ORD_TRY(jf_str(t, "mask_post_tel", FMAX, false, &o->phone, e));
	if (!o->phone)
		ORD_TRY(jf_str(t, "post_tel", FMAX, false, &o->phone, e));
	ORD_TRY(jf_str(t, "encrypt_post_receiver", FMAX, false,
		       &o->receiver_name_cipher, e));
	ORD_TRY(jf_str(t, "encrypt_post_tel", FMAX, false, &o->phone_cipher,
		       e));
	ORD_TRY(jf_obj(t, "post_addr", false, &addr, e));
	ORD_TRY(addr_name(addr, "province", &o->province, e));
	ORD_TRY(addr_name(addr, "city", &o->city, e));
	ORD_TRY(addr_name(addr, "town", &o->district, e));
	ORD_TRY(jf_str(addr, "detail", AMAX, false, &o->address, e));
	ORD_TRY(jf_str(addr, "encrypt_detail", AMAX, false, &o->address_cipher,
		       e));
	ORD_TRY(jf_str(t, "buyer_words", AMAX, false, &o->remark, e));
	ORD_TRY(jf_str(t, "seller_words", AMAX, false, &o->seller_remark, e));
	memcpy(o->currency, "CNY", 4);
	ORD_TRY(jf_amount(t, "pay_amount", 0, false, &o->total, e));
	ORD_TRY(jf_amount(t, "post_amount", 0, false, &o->shipping_fee, e));
	ORD_TRY(jf_amount(t, "promotion_amount", 0, false, &o->discount, e));
	ORD_TRY(jf_arr(t, "sku_order_list", false, &lines, e));
	ORD_TRY(ord_parse_lines(o, lines, dy_line, e));
	ord_apply_line_refunds(o);
	return WH_OK;
}

static const struct ord_parser dy_parser = {
	SYNC_PLATFORM_DOUYIN, "order", dy_id, dy_fill,
};

enum wh_err sync_parse_douyin_orders(const char *json, size_t len,
				     struct sync_order_list *out,
				     struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *data, *list;
	enum wh_err rc;
	int64_t total = -1, page = 0, size = 0;

	rc = ord_parse_root(json, len, "Douyin", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_douyin(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_DOUYIN, &ae, err);
		goto out;
	}
	rc = jf_obj(root, "data", true, &data, err);
	if (!rc)
		rc = jf_int(data, "total", false, -1, &total, err);
	if (!rc)
		rc = jf_int(data, "page", false, 0, &page, err);
	if (!rc)
		rc = jf_int(data, "size", false, 0, &size, err);
	if (!rc)
		rc = jf_arr(data, "shop_order_list", false, &list, err);
	if (rc) {
		wh_error_prefix(err, "Douyin response");
		goto out;
	}
	out->total = total;
	/* No has_next: there is more while (page + 1) * size < total. */
	out->has_next = total >= 0 && size > 0 && page >= 0 &&
			page < INT32_MAX && size < INT32_MAX &&
			(page + 1) * size < total;
	rc = ord_parse_array(&dy_parser, list, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}
