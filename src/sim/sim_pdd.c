/*
 * sim_pdd.c - Pinduoduo open platform: POST /api/router.
 *
 * A JSON (or form) body carrying type, client_id, access_token,
 * timestamp (unix s), data_type, version, sign and the business
 * parameters, signed MD5(secret + sorted kv + secret) upper-case
 * (reference/platforms.md §3). Errors are
 * {"error_response":{"error_code","error_msg","sub_code","sub_msg",
 * "request_id"}} with HTTP 200. PDD's numeric codes are not public; the
 * ones here are stand-ins [M] whose texts name the cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define TZ8 (8 * 3600)

static void pdd_error(struct sim_req *req, struct sim_resp *resp, int code,
		      const char *msg, const char *sub_code,
		      const char *sub_msg)
{
	resp_json(resp, 200, json_pack("{s:{s:i,s:s,s:s,s:s,s:s}}",
				       "error_response", "error_code", code,
				       "error_msg", msg, "sub_code",
				       sub_code ? sub_code : "",
				       "sub_msg", sub_msg ? sub_msg : "",
				       "request_id", req->request_id));
}

static void pdd_throttled(struct sim_req *req, struct sim_resp *resp,
			  double rate)
{
	(void)rate;
	pdd_error(req, resp, 70031,
		  "调用过于频繁 (call frequency limit reached)",
		  "isv.call-frequency-limited", "请降低调用频率");
	store_count_throttled();
}

static void pdd_server_error(struct sim_req *req, struct sim_resp *resp,
			     int http)
{
	pdd_error(req, resp, 50000, "系统繁忙 (service unavailable)",
		  "isp.system-busy", "请稍后重试");
	resp->status = http;
}

static void bad_param(struct sim_req *req, struct sim_resp *resp,
		      const char *what)
{
	pdd_error(req, resp, 10000, "参数错误 (invalid parameter)",
		  "isv.invalid-parameter", what);
}

static int order_status(const struct sim_order *o)
{
	return o->state == SIM_SHIPPED ? 2 : 1;
}

static int refund_status(const struct sim_order *o)
{
	if (o->state == SIM_CANCELLED && o->cancelled_after_pay)
		return 4;
	for (int k = 0; k < o->nlines; k++)
		if (o->lines[k].refund)
			return 2;
	return 1;
}

static int confirm_status(const struct sim_order *o)
{
	if (o->state == SIM_CANCELLED && !o->cancelled_after_pay)
		return 2;
	return o->state == SIM_UNPAID ||
			       (o->state == SIM_CANCELLED && !o->paid_ms) ?
		       0 :
		       1;
}

static void put_cipher(json_t *j, const char *key,
		       const struct sim_shop *s, const struct sim_order *o,
		       const char *plain)
{
	char *c = gen_cipher(s, o->id, plain);

	json_object_set_new(j, key, json_string(c ? c : ""));
	free(c);
}

static json_t *order_json(const struct sim_shop *s, const struct sim_order *o)
{
	char t[32], m[256], full[320];
	json_t *items = json_array(), *j;
	int64_t goods = 0;

	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		char title[128], sku[16], spec[64];
		const char *sp;

		gen_sku_title(ln->sku, true, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		sp = strrchr(title, ' ');
		snprintf(spec, sizeof(spec), "颜色:%s", sp ? sp + 1 : "");
		goods += ln->price * ln->qty;
		json_array_append_new(items, json_pack(
			"{s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:i}",
			"goods_id", (json_int_t)gen_item_id(ln->sku),
			"sku_id", (json_int_t)gen_sku_id(ln->sku),
			"outer_id", sku, "outer_goods_id", sku,
			"goods_name", title,
			"goods_price", json_money_real(ln->price),
			"goods_spec", spec, "goods_count", ln->qty));
	}
	j = json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i}",
		      "order_sn", o->id, "order_status", order_status(o),
		      "refund_status", refund_status(o),
		      "confirm_status", confirm_status(o),
		      "risk_control_status", 0, "group_status", 1,
		      "after_sales_status", refund_status(o) == 2 ? 1 : 0,
		      "trade_type", 0);
	fmt_local(o->created_ms / 1000, TZ8, t, sizeof(t));
	json_object_set_new(j, "created_time", json_string(t));
	fmt_local(o->modified_ms / 1000, TZ8, t, sizeof(t));
	json_object_set_new(j, "updated_at", json_string(t));
	if (o->paid_ms) {
		fmt_local(o->paid_ms / 1000, TZ8, t, sizeof(t));
		json_object_set_new(j, "pay_time", json_string(t));
		json_object_set_new(j, "confirm_time", json_string(t));
	}
	if (o->shipped_ms) {
		fmt_local(o->shipped_ms / 1000, TZ8, t, sizeof(t));
		json_object_set_new(j, "shipping_time", json_string(t));
		json_object_set_new(j, "tracking_number",
				    json_string(o->tracking));
		json_object_set_new(j, "logistics_id",
				    json_integer(strtoll(o->carrier, NULL,
							 10)));
	}
	gen_mask_name(o->first, m, sizeof(m));
	json_object_set_new(j, "receiver_name", json_string(m));
	json_object_set_new(j, "receiver_name_mask", json_string(m));
	gen_mask_phone(o->phone, m, sizeof(m));
	json_object_set_new(j, "receiver_phone", json_string(m));
	json_object_set_new(j, "receiver_phone_mask", json_string(m));
	json_object_set_new(j, "country", json_string("中国"));
	json_object_set_new(j, "province", json_string(o->province));
	json_object_set_new(j, "city", json_string(o->city));
	json_object_set_new(j, "town", json_string(o->district));
	gen_mask_address(o->street, m, sizeof(m));
	json_object_set_new(j, "address", json_string(m));
	json_object_set_new(j, "address_mask", json_string(m));
	snprintf(full, sizeof(full), "%s%s%s%s", o->province, o->city,
		 o->district, m);
	json_object_set_new(j, "receiver_address", json_string(full));
	json_object_set_new(j, "receiver_address_mask", json_string(full));
	put_cipher(j, "receiver_name_encrypted", s, o, o->first);
	put_cipher(j, "receiver_phone_encrypted", s, o, o->phone);
	snprintf(full, sizeof(full), "%s%s%s%s", o->province, o->city,
		 o->district, o->street);
	put_cipher(j, "receiver_address_encrypted", s, o, full);
	json_object_set_new(j, "goods_amount", json_money_real(goods));
	json_object_set_new(j, "discount_amount",
			    json_money_real(o->discount));
	json_object_set_new(j, "seller_discount",
			    json_money_real(o->discount));
	json_object_set_new(j, "platform_discount", json_money_real(0));
	json_object_set_new(j, "postage", json_money_real(o->shipping_fee));
	json_object_set_new(j, "pay_amount",
			    json_money_real(goods - o->discount +
					    o->shipping_fee));
	json_object_set_new(j, "item_list", items);
	return j;
}

struct filter {
	long long order_status;
	long long refund_status;
};

static bool keep(const struct sim_order *o, const void *ctx)
{
	const struct filter *f = ctx;

	if (f->order_status != 5 && order_status(o) != f->order_status)
		return false;
	return f->refund_status == 5 || refund_status(o) == f->refund_status;
}

static const char *need(const struct sim_kvs *p, const char *const *keys,
			size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!kvs_get(p, keys[i]) || !*kvs_get(p, keys[i]))
			return keys[i];
	return NULL;
}

static void increment_get(struct sim_req *req, struct sim_resp *resp,
			  const struct sim_kvs *p)
{
	static const char *const req_keys[] = {
		"order_status", "refund_status", "start_updated_at",
		"end_updated_at",
	};
	struct filter f;
	long long a, b, page = 1, size = 100;
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0, *idx = NULL, cnt = 0;
	const char *miss = need(p, req_keys, 4);
	json_t *list;

	if (miss) {
		bad_param(req, resp, miss);
		return;
	}
	store_count("pdd:pdd.order.number.list.increment.get");
	if (!parse_ll(kvs_get(p, "order_status"), 1, 5, &f.order_status) ||
	    f.order_status == 4 ||
	    !parse_ll(kvs_get(p, "refund_status"), 1, 5, &f.refund_status)) {
		bad_param(req, resp, "order_status must be 1, 2, 3 or 5; "
				     "refund_status 1 to 5");
		return;
	}
	if (!parse_ll(kvs_get(p, "start_updated_at"), 0, INT32_MAX, &a) ||
	    !parse_ll(kvs_get(p, "end_updated_at"), 0, INT32_MAX, &b) ||
	    b < a) {
		bad_param(req, resp, "start_updated_at / end_updated_at "
				     "must be unix seconds, start <= end");
		return;
	}
	if (b - a > 1800) {
		bad_param(req, resp, "start_updated_at and end_updated_at "
				     "may be at most 30 minutes apart "
				     "(时间间隔不能超过30分钟)");
		return;
	}
	if ((kvs_get(p, "page") &&
	     !parse_ll(kvs_get(p, "page"), 1, 100000, &page)) ||
	    (kvs_get(p, "page_size") &&
	     !parse_ll(kvs_get(p, "page_size"), 1, 100, &size))) {
		bad_param(req, resp, "page >= 1, page_size 1..100");
		return;
	}
	q.field = SIM_BY_MODIFIED;
	q.from_ms = a * 1000;
	q.to_ms = b * 1000;
	q.ascending = false;
	q.keep = keep;
	q.keep_ctx = &f;
	if (store_select(req->shop, &q, &v, &n) ||
	    sim_page(req->shop, n, (size_t)((page - 1) * size), (size_t)size,
		     &idx, &cnt)) {
		free(v);
		pdd_server_error(req, resp, 200);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < cnt; i++)
		json_array_append_new(list, order_json(req->shop, &v[idx[i]]));
	resp_json_money(resp, 200, json_pack(
		"{s:{s:I,s:b,s:o,s:s}}", "order_sn_increment_get_response",
		"total_count", (json_int_t)n, "has_next",
		(size_t)(page * size) < n, "order_sn_list", list,
		"request_id", req->request_id));
	free(idx);
	free(v);
}

static void information_get(struct sim_req *req, struct sim_resp *resp,
			    const struct sim_kvs *p)
{
	const char *sn = kvs_get(p, "order_sn");
	struct sim_order o;

	if (!sn || !*sn) {
		bad_param(req, resp, "order_sn");
		return;
	}
	store_count("pdd:pdd.order.information.get");
	if (!store_get(req->shop, sn, &o)) {
		pdd_error(req, resp, 40001, "订单不存在 (no such order)",
			  "isv.order-not-exist", sn);
		return;
	}
	resp_json_money(resp, 200, json_pack(
		"{s:{s:o,s:s}}", "order_info_get_response", "order_info",
		order_json(req->shop, &o), "request_id", req->request_id));
}

static void online_send(struct sim_req *req, struct sim_resp *resp,
			const struct sim_kvs *p)
{
	static const char *const req_keys[] = { "order_sn", "logistics_id",
						 "tracking_number" };
	const char *miss = need(p, req_keys, 3);
	struct sim_ship sh = { 0 };
	const char *msg = NULL;

	if (miss) {
		bad_param(req, resp, miss);
		return;
	}
	store_count("pdd:pdd.logistics.online.send");
	sh.order_id = kvs_get(p, "order_sn");
	sh.tracking = kvs_get(p, "tracking_number");
	sh.carrier = kvs_get(p, "logistics_id");
	sh.refuse_refund = true;
	sh.request_id = req->request_id;
	switch (store_ship(req->shop, &sh, req->now_ms, NULL)) {
	case SIM_SHIP_OK:
	case SIM_SHIP_EDITED:
		resp_json(resp, 200, json_pack(
			"{s:{s:b,s:s}}", "logistics_online_send_response",
			"is_success", 1, "request_id", req->request_id));
		return;
	case SIM_SHIP_NOT_FOUND:
		msg = "订单不存在 (no such order)";
		break;
	case SIM_SHIP_CANCELLED:
		msg = "订单已取消，不能发货 (order cancelled)";
		break;
	case SIM_SHIP_UNPAID:
		msg = "订单未成交 (order not confirmed)";
		break;
	case SIM_SHIP_ALREADY:
		msg = "订单已发货 (already shipped)";
		break;
	case SIM_SHIP_REFUND:
		msg = "订单售后中 (after-sale in progress)";
		break;
	case SIM_SHIP_BAD_ITEM:
		msg = "发货失败 (nothing to ship)";
		break;
	}
	pdd_error(req, resp, 40002, "业务错误 (business error)",
		  "isv.logistics-send-failed", msg);
}

static void quantity_update(struct sim_req *req, struct sim_resp *resp,
			    const struct sim_kvs *p)
{
	const char *goods = kvs_get(p, "goods_id");
	const char *sku_id = kvs_get(p, "sku_id");
	const char *outer = kvs_get(p, "outer_id");
	const char *ut = kvs_get(p, "update_type");
	long long qty, level;
	int sku, by_goods;

	if (!goods || !kvs_get(p, "quantity")) {
		bad_param(req, resp, goods ? "quantity" : "goods_id");
		return;
	}
	store_count("pdd:pdd.goods.quantity.update");
	if (!parse_ll(kvs_get(p, "quantity"), -999999999, 999999999, &qty) ||
	    (ut && strcmp(ut, "1") && strcmp(ut, "2")) ||
	    ((!ut || !strcmp(ut, "1")) && qty < 0)) {
		bad_param(req, resp, "quantity / update_type");
		return;
	}
	by_goods = gen_sku_from_item_id(goods);
	sku = sku_id && *sku_id ? gen_sku_from_sku_id(sku_id) :
	      outer && *outer	? gen_sku_from_code(outer) :
				  by_goods;
	if (!sku || sku != by_goods) {
		pdd_error(req, resp, 40003, "商品不存在 (no such goods or "
					    "SKU)", "isv.goods-not-exist",
			  goods);
		return;
	}
	store_stock(req->shop, sku, qty, ut && !strcmp(ut, "2"), NULL,
		    req->request_id, req->now_ms, &level);
	resp_json(resp, 200, json_pack("{s:{s:b,s:s}}",
				       "goods_quantity_update_response",
				       "is_success", 1, "request_id",
				       req->request_id));
}

static bool gateway(struct sim_req *req, struct sim_resp *resp,
		    const struct sim_kvs *p)
{
	const struct sim_shop *s = req->shop;
	const char *client_id = kvs_get(p, "client_id");
	const char *sign = kvs_get(p, "sign");
	const char *token = kvs_get(p, "access_token");
	long long ts;
	char want[65];

	if (!kvs_get(p, "type") || !client_id || !sign ||
	    !kvs_get(p, "timestamp")) {
		bad_param(req, resp, "type, client_id, timestamp and sign "
				     "are required");
		return false;
	}
	if (strcmp(client_id, s->app_key)) {
		pdd_error(req, resp, 10016, "client_id无效 (unauthorized "
					    "client)", "isv.client-id-invalid",
			  NULL);
		store_count_rejected("token");
		return false;
	}
	if (!parse_ll(kvs_get(p, "timestamp"), 0, INT64_MAX / 2, &ts) ||
	    !req_time_ok(req, ts)) {
		pdd_error(req, resp, 10036, "时间戳无效 (timestamp expired or "
					    "ahead by more than 10 minutes)",
			  "isv.timestamp-invalid", NULL);
		store_count_rejected("timestamp");
		return false;
	}
	if (!sign_sorted(p, s->secret, SIM_MD5_WRAP, want) ||
	    !sign_equal_hex(sign, want)) {
		pdd_error(req, resp, 10035, "签名错误 (invalid sign)",
			  "isv.sign-invalid", NULL);
		store_count_rejected("signature");
		return false;
	}
	if (!token || strcmp(token, s->token)) {
		pdd_error(req, resp, 10019, "access_token已过期或无效 "
					    "(invalid access_token)",
			  "isv.access-token-invalid", NULL);
		store_count_rejected("token");
		return false;
	}
	return true;
}

static void pdd_handle(struct sim_req *req, struct sim_resp *resp)
{
	struct sim_kvs p;
	const char *type;
	json_t *body = NULL;
	enum sim_op op;

	if (strcmp(req->path, "/api/router")) {
		resp_json(resp, 404, json_pack("{s:s}", "error",
					       "PDD serves /api/router"));
		return;
	}
	kvs_init(&p);
	if (starts_with_ci(req->content_type, "application/json")) {
		body = req_json(req);
		if (!json_is_object(body)) {
			bad_param(req, resp, "body is not a JSON object");
			goto out;
		}
		if (kvs_from_json(&p, body))
			goto nomem;
	} else if (kvs_merge(&p, &req->form)) {
		goto nomem;
	}
	if (kvs_merge(&p, &req->query))
		goto nomem;
	if (!gateway(req, resp, &p))
		goto out;
	type = kvs_get(&p, "type");
	if (!strcmp(type, "pdd.order.number.list.increment.get"))
		op = SIM_OP_LIST;
	else if (!strcmp(type, "pdd.order.information.get"))
		op = SIM_OP_DETAIL;
	else if (!strcmp(type, "pdd.logistics.online.send"))
		op = SIM_OP_SHIP;
	else if (!strcmp(type, "pdd.goods.quantity.update"))
		op = SIM_OP_STOCK;
	else {
		pdd_error(req, resp, 10002, "接口不存在 (unknown type)",
			  "isv.api-not-exist", type);
		goto out;
	}
	if (!store_take(req->shop, op, req->now_ms, NULL, NULL, NULL)) {
		pdd_throttled(req, resp, 0);
		goto out;
	}
	if (op == SIM_OP_LIST)
		increment_get(req, resp, &p);
	else if (op == SIM_OP_DETAIL)
		information_get(req, resp, &p);
	else if (op == SIM_OP_SHIP)
		online_send(req, resp, &p);
	else
		quantity_update(req, resp, &p);
	goto out;
nomem:
	pdd_server_error(req, resp, 500);
out:
	json_decref(body);
	kvs_free(&p);
}

const struct sim_platform_ops sim_pdd_ops = {
	SIM_PDD, "pdd", pdd_handle, pdd_throttled, pdd_server_error,
};
