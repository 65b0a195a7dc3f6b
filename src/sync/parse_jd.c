/* parse_jd.c - JD (JOS) jingdong.pop.order.search and error envelope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/order_int.h"
#include "sync/synctime.h"

#define JD_ROOT "jingdong_pop_order_search_responce" /* sic */

static void jd_message(const json_t *e, const char *zh, const char *en,
		       struct sync_api_error *out)
{
	char a[sizeof(out->message)], b[sizeof(out->message)];

	ord_copy_field(e, zh, a, sizeof(a));
	ord_copy_field(e, en, b, sizeof(b));
	snprintf(out->message, sizeof(out->message), "%s%s%s", b,
		 a[0] && b[0] ? " / " : "", a);
}

enum sync_api_status api_classify_jd(const json_t *root, long http,
				     struct sync_api_error *out)
{
	json_t *e = json_object_get(root, "error_response");
	json_t *r, *res, *api;

	if (json_is_object(e)) {
		ord_copy_field(e, "code", out->code, sizeof(out->code));
		jd_message(e, "zh_desc", "en_desc", out);
		/* JD gateway codes are not documented publicly [M]. */
		return out->status = api_from_text(out->code, "",
						   out->message,
						   http >= 500 ?
						   SYNC_API_SERVER :
						   SYNC_API_OTHER);
	}
	r = json_object_get(root, JD_ROOT);
	if (!json_is_object(r))
		return out->status = api_from_http(http);
	ord_copy_field(r, "code", out->code, sizeof(out->code));
	if (out->code[0] && strcmp(out->code, "0") != 0) {
		jd_message(r, "zh_desc", "en_desc", out);
		return out->status = api_from_text(out->code, "",
						   out->message,
						   SYNC_API_OTHER);
	}
	res = json_object_get(r, "searchorderinfo_result");
	api = json_object_get(res, "apiResult");
	if (json_is_object(api) && json_is_false(json_object_get(api,
							       "success"))) {
		ord_copy_field(api, "numberCode", out->code,
			       sizeof(out->code));
		jd_message(api, "chineseErrCode", "englishErrCode", out);
		return out->status = api_from_text(out->code, "",
						   out->message,
						   SYNC_API_OTHER);
	}
	out->code[0] = '\0';
	return out->status = api_from_http(http);
}

static enum wh_err jd_line(const json_t *t, struct sync_order_line *ln,
			   const struct sync_order *o, struct wh_error *e)
{
	(void)o;
	ORD_TRY(jf_str(t, "skuId", FMAX, true, &ln->platform_sku_id, e));
	/* JD has no line id; the SKU is unique within an order. */
	ln->line_id = strdup(ln->platform_sku_id);
	if (!ln->line_id)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	ORD_TRY(jf_str(t, "outerSkuId", FMAX, false, &ln->sku_code, e));
	ORD_TRY(jf_str(t, "wareId", FMAX, false, &ln->product_id, e));
	ORD_TRY(jf_str(t, "skuName", FMAX, false, &ln->title, e));
	/* itemTotal is the quantity, sent as a string [M]. */
	ORD_TRY(jf_int(t, "itemTotal", true, 0, &ln->qty, e));
	ORD_TRY(jf_amount(t, "jdPrice", 2, false, &ln->unit_price, e));
	ORD_TRY(ord_check_line(ln, e));
	ORD_TRY(ord_mul(ln->unit_price, ln->qty, &ln->line_total, e));
	ln->refund = SYNC_REFUND_NONE;
	return WH_OK;
}

static enum wh_err jd_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "orderId", NULL, id, e);
}

static enum wh_err jd_fill(const json_t *t, struct sync_order *o,
			   struct wh_error *e)
{
	char *state = NULL;
	json_t *ci, *lines;
	enum wh_err rc;

	rc = jf_str(t, "orderState", FMAX, true, &state, e);
	if (rc)
		return rc;
	o->state = sync_status_jd(state);
	rc = ord_status_raw(o, e, "orderState=%s", state);
	free(state);
	ORD_TRY(rc);
	ORD_TRY(jf_time(t, "orderStartTime", SYNC_TZ_CHINA, false,
			&o->created_at, e));
	ORD_TRY(jf_time(t, "modified", SYNC_TZ_CHINA, false, &o->modified_at,
			e));
	ORD_TRY(jf_time(t, "paymentConfirmTime", SYNC_TZ_CHINA, false,
			&o->paid_at, e));
	ORD_TRY(jf_str(t, "pin", FMAX, false, &o->buyer, e));
	ORD_TRY(jf_str(t, "orderRemark", AMAX, false, &o->remark, e));
	ORD_TRY(jf_str(t, "venderRemark", AMAX, false, &o->seller_remark, e));
	ORD_TRY(jf_obj(t, "consigneeInfo", false, &ci, e));
	ORD_TRY(jf_str(ci, "fullname", FMAX, false, &o->receiver_name, e));
	ORD_TRY(jf_str(ci, "mobile", FMAX, false, &o->phone, e));
	if (!o->phone || !*o->phone) {
		free(o->phone);
		ORD_TRY(jf_str(ci, "telephone", FMAX, false, &o->phone, e));
	}
	ORD_TRY(jf_str(ci, "province", FMAX, false, &o->province, e));
	ORD_TRY(jf_str(ci, "city", FMAX, false, &o->city, e));
	ORD_TRY(jf_str(ci, "county", FMAX, false, &o->district, e));
	ORD_TRY(jf_str(ci, "fullAddress", AMAX, false, &o->address, e));
	memcpy(o->currency, "CNY", 4);
	ORD_TRY(jf_amount(t, "orderPayment", 2, false, &o->total, e));
	ORD_TRY(jf_amount(t, "freightPrice", 2, false, &o->shipping_fee, e));
	ORD_TRY(jf_amount(t, "sellerDiscount", 2, false, &o->discount, e));
	ORD_TRY(jf_arr(t, "itemInfoList", false, &lines, e));
	ORD_TRY(ord_parse_lines(o, lines, jd_line, e));
	return WH_OK;
}

static const struct ord_parser jd_parser = {
	SYNC_PLATFORM_JD, "order", jd_id, jd_fill,
};

enum wh_err sync_parse_jd_orders(const char *json, size_t len,
				 struct sync_order_list *out,
				 struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *r, *res, *list;
	enum wh_err rc;
	int64_t total = -1;

	rc = ord_parse_root(json, len, "JD", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_jd(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_JD, &ae, err);
		goto out;
	}
	rc = jf_obj(root, JD_ROOT, true, &r, err);
	if (!rc)
		rc = jf_obj(r, "searchorderinfo_result", true, &res, err);
	if (!rc)
		rc = jf_int(res, "orderTotal", false, -1, &total, err);
	if (!rc)
		rc = jf_arr(res, "orderInfoList", false, &list, err);
	if (rc) {
		wh_error_prefix(err, "JD response");
		goto out;
	}
	out->total = total;
	rc = ord_parse_array(&jd_parser, list, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}
