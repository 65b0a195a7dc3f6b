/*
 * sim_jd.c - JD open platform (JOS): GET/POST /routerjson.
 *
 * System parameters method, app_key, access_token, timestamp, v=2.0,
 * 360buy_param_json (all business parameters as one JSON string) and
 * sign = MD5(secret + sorted kv + secret) upper-case
 * (reference/platforms.md §2). Gateway errors are
 * {"error_response":{"code":"N","zh_desc","en_desc"}}; JD's gateway
 * codes are not public, so the numbers here are stand-ins [M] and the
 * texts name the cause. Business failures come inside the method's
 * "..._responce" (JD's spelling) with success=false.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define TZ8 (8 * 3600)
#define SEARCH_ROOT "jingdong_pop_order_search_responce"

static void jd_error(struct sim_req *req, struct sim_resp *resp,
		     const char *code, const char *zh, const char *en)
{
	(void)req;
	resp_json(resp, 200, json_pack("{s:{s:s,s:s,s:s}}", "error_response",
				       "code", code, "zh_desc", zh, "en_desc",
				       en));
}

static void jd_throttled(struct sim_req *req, struct sim_resp *resp,
			 double rate)
{
	(void)rate;
	jd_error(req, resp, "67", "调用频率超限",
		 "Call frequency limit exceeded");
	store_count_throttled();
}

static void jd_server_error(struct sim_req *req, struct sim_resp *resp,
			    int http)
{
	jd_error(req, resp, "1", "服务不可用", "Service unavailable");
	resp->status = http;
}

static void search_fail(struct sim_req *req, struct sim_resp *resp,
			const char *zh, const char *en)
{
	(void)req;
	resp_json(resp, 200, json_pack(
		"{s:{s:s,s:{s:{s:b,s:s,s:s,s:s}}}}", SEARCH_ROOT, "code", "0",
		"searchorderinfo_result", "apiResult", "success", 0,
		"numberCode", "10100040", "chineseErrCode", zh,
		"englishErrCode", en));
}

static const char *state_of(const struct sim_order *o)
{
	for (int k = 0; k < o->nlines; k++)
		if (o->lines[k].refund && o->state != SIM_CANCELLED)
			return "LOCKED";
	switch (o->state) {
	case SIM_UNPAID:
	case SIM_PAID:
	case SIM_PART_SHIPPED:
		return "WAIT_SELLER_STOCK_OUT";
	case SIM_SHIPPED:
		return "WAIT_GOODS_RECEIVE_CONFIRM";
	case SIM_CANCELLED:
		return "TRADE_CANCELED";
	}
	return "WAIT_SELLER_STOCK_OUT";
}

static json_t *order_json(const struct sim_shop *s, const struct sim_order *o)
{
	json_t *items = json_array(), *j, *ci;
	char t[32], m[256], full[320], money[32], pin[32];
	int64_t goods = 0;
	char *cipher;

	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		char title[128], sku[16], id[24], ware[24], qty[12];

		gen_sku_title(ln->sku, true, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		snprintf(id, sizeof(id), "%lld", gen_sku_id(ln->sku));
		snprintf(ware, sizeof(ware), "%lld", gen_item_id(ln->sku));
		snprintf(qty, sizeof(qty), "%d", ln->qty);
		fmt_money(ln->price, money, sizeof(money));
		goods += ln->price * ln->qty;
		json_array_append_new(items, json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "skuId", id,
			"outerSkuId", sku, "skuName", title, "jdPrice",
			money, "itemTotal", qty, "wareId", ware, "giftPoint",
			"0"));
	}
	j = json_pack("{s:s,s:s,s:s,s:s}", "orderId", o->id, "venderId",
		      "10086", "orderType", "22", "payType", "4-在线支付");
	fmt_money(goods, money, sizeof(money));
	json_object_set_new(j, "orderTotalPrice", json_string(money));
	fmt_money(goods - o->discount, money, sizeof(money));
	json_object_set_new(j, "orderSellerPrice", json_string(money));
	fmt_money(goods - o->discount + o->shipping_fee, money,
		  sizeof(money));
	json_object_set_new(j, "orderPayment", json_string(money));
	fmt_money(o->shipping_fee, money, sizeof(money));
	json_object_set_new(j, "freightPrice", json_string(money));
	fmt_money(o->discount, money, sizeof(money));
	json_object_set_new(j, "sellerDiscount", json_string(money));
	json_object_set_new(j, "orderState", json_string(state_of(o)));
	json_object_set_new(j, "deliveryType", json_string("任意时间"));
	json_object_set_new(j, "invoiceInfo", json_string("不需要开具发票"));
	json_object_set_new(j, "orderRemark", json_string(""));
	json_object_set_new(j, "venderRemark", json_string(""));
	fmt_local(o->created_ms / 1000, TZ8, t, sizeof(t));
	json_object_set_new(j, "orderStartTime", json_string(t));
	fmt_local(o->modified_ms / 1000, TZ8, t, sizeof(t));
	json_object_set_new(j, "modified", json_string(t));
	if (o->paid_ms) {
		fmt_local(o->paid_ms / 1000, TZ8, t, sizeof(t));
		json_object_set_new(j, "paymentConfirmTime", json_string(t));
	}
	snprintf(pin, sizeof(pin), "jd_%08llx***",
		 (unsigned long long)(sim_mix(o->seq) & 0xffffffffULL));
	json_object_set_new(j, "pin", json_string(pin));
	ci = json_object();
	gen_mask_name(o->first, m, sizeof(m));
	json_object_set_new(ci, "fullname", json_string(m));
	gen_mask_phone(o->phone, m, sizeof(m));
	json_object_set_new(ci, "mobile", json_string(m));
	json_object_set_new(ci, "telephone", json_string(m));
	json_object_set_new(ci, "province", json_string(o->province));
	json_object_set_new(ci, "city", json_string(o->city));
	json_object_set_new(ci, "county", json_string(o->district));
	json_object_set_new(ci, "town", json_string(""));
	gen_mask_address(o->street, m, sizeof(m));
	snprintf(full, sizeof(full), "%s%s%s%s", o->province, o->city,
		 o->district, m);
	json_object_set_new(ci, "fullAddress", json_string(full));
	json_object_set_new(j, "consigneeInfo", ci);
	/* The OAID stands for the consignee when decrypting [M]. */
	snprintf(full, sizeof(full), "%s|%s|%s", o->first, o->phone,
		 o->street);
	cipher = gen_cipher(s, o->id, full);
	json_object_set_new(j, "oaid", json_string(cipher ? cipher : ""));
	free(cipher);
	json_object_set_new(j, "itemInfoList", items);
	if (o->shipped_ms) {
		json_object_set_new(j, "waybill", json_string(o->tracking));
		json_object_set_new(j, "logisticsId", json_string(o->carrier));
	}
	return j;
}

static void optional_fields(json_t *o, const char *fields)
{
	const char *key;
	json_t *v;
	void *tmp;

	if (!fields || !*fields)
		return;
	json_object_foreach_safe(o, tmp, key, v) {
		const char *p = strstr(fields, key);
		size_t kl = strlen(key);
		bool keep = false;

		while (p && !keep) {
			keep = (p == fields || p[-1] == ',') &&
			       (p[kl] == ',' || p[kl] == '\0');
			p = strstr(p + 1, key);
		}
		if (!keep)
			json_object_del(o, key);
	}
}

struct filter {
	const char *states; /* comma list */
};

static bool keep(const struct sim_order *o, const void *ctx)
{
	const struct filter *f = ctx;
	const char *st = state_of(o);
	const char *p = f->states;
	size_t n = strlen(st);

	/* JD lists paid orders only. */
	if (o->state == SIM_UNPAID ||
	    (o->state == SIM_CANCELLED && !o->cancelled_after_pay))
		return false;
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && !strncmp(p, st, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static const char *jstr(const json_t *o, const char *k, char *buf, size_t n)
{
	json_t *v = json_object_get(o, k);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return buf;
	}
	return NULL;
}

static void order_search(struct sim_req *req, struct sim_resp *resp,
			 const json_t *bp)
{
	char b1[24], b2[24];
	const char *sd = jstr(bp, "start_date", b1, sizeof(b1));
	const char *ed = jstr(bp, "end_date", b2, sizeof(b2));
	char b3[24], b4[24], b5[24];
	const char *pg = jstr(bp, "page", b3, sizeof(b3));
	const char *ps = jstr(bp, "page_size", b4, sizeof(b4));
	const char *dt = jstr(bp, "dateType", b5, sizeof(b5));
	struct filter f = { json_string_value(json_object_get(bp,
							      "order_state")) };
	const char *of = json_string_value(json_object_get(bp,
							   "optional_fields"));
	long long page = 1, size = 20;
	int64_t a, b;
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0, *idx = NULL, cnt = 0;
	json_t *list;

	store_count("jd:jingdong.pop.order.search");
	if (!sd || !ed || !f.states || !*f.states) {
		search_fail(req, resp, "start_date、end_date、order_state "
				       "不能为空",
			    "start_date, end_date and order_state are "
			    "required");
		return;
	}
	if (!parse_time(sd, TZ8, &a) || !parse_time(ed, TZ8, &b) || b < a) {
		search_fail(req, resp, "日期格式错误",
			    "dates must be yyyy-MM-dd HH:mm:ss, start <= end");
		return;
	}
	if (b - a > 30 * 86400) {
		search_fail(req, resp, "查询时间跨度不能超过30天",
			    "the query window exceeds 30 days");
		return;
	}
	if ((pg && !parse_ll(pg, 1, 100000, &page)) ||
	    (ps && !parse_ll(ps, 1, 100, &size))) {
		search_fail(req, resp, "分页参数错误",
			    "page >= 1 and page_size 1..100");
		return;
	}
	q.field = dt && !strcmp(dt, "1") ? SIM_BY_CREATED : SIM_BY_MODIFIED;
	q.from_ms = a * 1000;
	q.to_ms = b * 1000;
	q.ascending = false;
	q.keep = keep;
	q.keep_ctx = &f;
	if (store_select(req->shop, &q, &v, &n) ||
	    sim_page(req->shop, n, (size_t)((page - 1) * size), (size_t)size,
		     &idx, &cnt)) {
		free(v);
		jd_server_error(req, resp, 200);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < cnt; i++) {
		json_t *o = order_json(req->shop, &v[idx[i]]);

		optional_fields(o, of);
		json_array_append_new(list, o);
	}
	resp_json(resp, 200, json_pack(
		"{s:{s:s,s:{s:{s:b,s:s,s:s,s:s},s:I,s:o}}}", SEARCH_ROOT,
		"code", "0", "searchorderinfo_result", "apiResult", "success",
		1, "numberCode", "10100000", "chineseErrCode", "成功",
		"englishErrCode", "success", "orderTotal", (json_int_t)n,
		"orderInfoList", list));
	free(idx);
	free(v);
}

static void shipment(struct sim_req *req, struct sim_resp *resp,
		     const json_t *bp)
{
	char b1[32], b2[24], b3[64];
	const char *id = jstr(bp, "orderId", b1, sizeof(b1));
	const char *corp = jstr(bp, "logiCoprId", b2, sizeof(b2));
	const char *no = jstr(bp, "logiNo", b3, sizeof(b3));
	struct sim_ship sh = { 0 };
	const char *zh = "成功", *en = "success";
	bool ok = false;

	store_count("jd:jingdong.pop.order.shipment");
	if (!id || !corp || !no) {
		zh = "orderId、logiCoprId、logiNo 不能为空";
		en = "orderId, logiCoprId and logiNo are required";
		goto answer;
	}
	sh.order_id = id;
	sh.tracking = no;
	sh.carrier = corp;
	sh.refuse_refund = true;
	sh.request_id = req->request_id;
	switch (store_ship(req->shop, &sh, req->now_ms, NULL)) {
	case SIM_SHIP_OK:
	case SIM_SHIP_EDITED:
		ok = true;
		break;
	case SIM_SHIP_NOT_FOUND:
		zh = "订单不存在";
		en = "order not found";
		break;
	case SIM_SHIP_CANCELLED:
		zh = "订单已取消";
		en = "order canceled";
		break;
	case SIM_SHIP_ALREADY:
		zh = "订单已出库";
		en = "order already shipped";
		break;
	case SIM_SHIP_REFUND:
		zh = "订单已锁定";
		en = "order locked by a refund request";
		break;
	case SIM_SHIP_UNPAID:
	case SIM_SHIP_BAD_ITEM:
		zh = "订单状态不正确";
		en = "order state does not allow shipping";
		break;
	}
answer:
	resp_json(resp, 200, json_pack(
		"{s:{s:s,s:{s:b,s:s,s:s,s:s}}}",
		"jingdong_pop_order_shipment_responce", "code", "0",
		"sopjosshipment_result", "success", ok, "code",
		ok ? "100" : "10400001", "chineseErrCode", zh,
		"englishErrCode", en));
}

static void stock(struct sim_req *req, struct sim_resp *resp,
		  const json_t *bp)
{
	char b1[24], b2[24];
	const char *sku_id = jstr(bp, "skuId", b1, sizeof(b1));
	const char *num = jstr(bp, "stockNum", b2, sizeof(b2));
	long long qty, level;
	int sku;

	store_count("jd:jingdong.stock.write.updateSkuStock");
	sku = sku_id ? gen_sku_from_sku_id(sku_id) : 0;
	if (!sku || !num || !parse_ll(num, 0, 999999999, &qty)) {
		resp_json(resp, 200, json_pack(
			"{s:{s:s,s:b,s:s}}",
			"jingdong_stock_write_updateSkuStock_responce", "code",
			"0", "success", 0, "message",
			"skuId unknown or stockNum not a count"));
		return;
	}
	store_stock(req->shop, sku, qty, false, NULL, req->request_id,
		    req->now_ms, &level);
	resp_json(resp, 200, json_pack(
		"{s:{s:s,s:b}}", "jingdong_stock_write_updateSkuStock_responce",
		"code", "0", "success", 1));
}

static bool gateway(struct sim_req *req, struct sim_resp *resp,
		    const struct sim_kvs *p)
{
	const struct sim_shop *s = req->shop;
	const char *app_key = kvs_get(p, "app_key");
	const char *sign = kvs_get(p, "sign"), *ts = kvs_get(p, "timestamp");
	const char *token = kvs_get(p, "access_token");
	const char *v = kvs_get(p, "v");
	int64_t epoch;
	char want[65];

	if (!kvs_get(p, "method") || !app_key || !sign || !ts) {
		jd_error(req, resp, "66", "缺少系统参数",
			 "Missing method, app_key, timestamp or sign");
		return false;
	}
	if (strcmp(app_key, s->app_key)) {
		jd_error(req, resp, "12", "app_key无效",
			 "Invalid app_key (unauthorized)");
		store_count_rejected("token");
		return false;
	}
	if (!parse_time(ts, TZ8, &epoch) || !req_time_ok(req, epoch)) {
		jd_error(req, resp, "16", "时间戳错误",
			 "Invalid timestamp: more than 10 minutes from the "
			 "server clock");
		store_count_rejected("timestamp");
		return false;
	}
	if (!v || strcmp(v, "2.0")) {
		jd_error(req, resp, "66", "版本号错误", "v must be 2.0");
		return false;
	}
	if (!sign_sorted(p, s->secret, SIM_MD5_WRAP, want) ||
	    !sign_equal_hex(sign, want)) {
		jd_error(req, resp, "19", "签名无效", "Invalid signature");
		store_count_rejected("signature");
		return false;
	}
	if (!token || strcmp(token, s->token)) {
		jd_error(req, resp, "17", "token已过期或者不存在，请重新授权",
			 "Invalid access_token");
		store_count_rejected("token");
		return false;
	}
	return true;
}

static void jd_handle(struct sim_req *req, struct sim_resp *resp)
{
	struct sim_kvs p;
	const char *method, *pj;
	json_t *bp = NULL;
	json_error_t je;
	enum sim_op op;

	if (strcmp(req->path, "/routerjson")) {
		resp_json(resp, 404, json_pack("{s:s}", "error",
					       "JD serves /routerjson"));
		return;
	}
	kvs_init(&p);
	if (kvs_merge(&p, &req->query) || kvs_merge(&p, &req->form)) {
		jd_server_error(req, resp, 500);
		goto out;
	}
	if (!gateway(req, resp, &p))
		goto out;
	method = kvs_get(&p, "method");
	pj = kvs_get(&p, "360buy_param_json");
	bp = json_loads(pj ? pj : "{}", JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(bp)) {
		jd_error(req, resp, "64", "360buy_param_json格式错误",
			 "360buy_param_json is not a JSON object");
		goto out;
	}
	if (!strcmp(method, "jingdong.pop.order.search"))
		op = SIM_OP_LIST;
	else if (!strcmp(method, "jingdong.pop.order.shipment"))
		op = SIM_OP_SHIP;
	else if (!strcmp(method, "jingdong.stock.write.updateSkuStock"))
		op = SIM_OP_STOCK;
	else {
		jd_error(req, resp, "22", "方法不存在", "Invalid method");
		goto out;
	}
	if (!store_take(req->shop, op, req->now_ms, NULL, NULL, NULL)) {
		jd_throttled(req, resp, 0);
		goto out;
	}
	if (op == SIM_OP_LIST)
		order_search(req, resp, bp);
	else if (op == SIM_OP_SHIP)
		shipment(req, resp, bp);
	else
		stock(req, resp, bp);
out:
	json_decref(bp);
	kvs_free(&p);
}

const struct sim_platform_ops sim_jd_ops = {
	SIM_JD, "jd", jd_handle, jd_throttled, jd_server_error,
};
