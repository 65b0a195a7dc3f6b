/*
 * sim_douyin.c - Douyin shop (抖店) open platform.
 *
 * POST /<group>/<name> for method "group.name" (order/searchList,
 * order/orderDetail, order/logisticsAdd, sku/syncStock, token/refresh,
 * token/create). Query: app_key, method, access_token, timestamp, v=2,
 * sign_method (md5 or hmac-sha256), sign; body: param_json, signed as
 * secret + "app_key".. "method".. "param_json".. "timestamp".. "v".. +
 * secret (reference/platforms.md §4). The sign is checked against the
 * body as sent and against its canonical form (sorted keys, compact);
 * either is accepted [M]. Every answer is HTTP 200 with the envelope
 * {"code":10000,"msg","sub_code","sub_msg","log_id","data"}; the error
 * codes are stand-ins [M] whose texts name the cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define TZ8 (8 * 3600)

static void dy_envelope(struct sim_req *req, struct sim_resp *resp,
			int code, const char *msg, const char *sub_code,
			const char *sub_msg, json_t *data)
{
	json_t *j = json_pack("{s:i,s:s,s:s,s:s,s:s}", "code", code, "msg",
			      msg, "sub_code", sub_code ? sub_code : "",
			      "sub_msg", sub_msg ? sub_msg : "", "log_id",
			      req->request_id);

	json_object_set_new(j, "data", data ? data : json_object());
	resp_json(resp, 200, j);
}

static void dy_error(struct sim_req *req, struct sim_resp *resp, int code,
		     const char *msg, const char *sub_code,
		     const char *sub_msg)
{
	dy_envelope(req, resp, code, msg, sub_code, sub_msg, NULL);
}

static void dy_ok(struct sim_req *req, struct sim_resp *resp, json_t *data)
{
	dy_envelope(req, resp, 10000, "success", "", "", data);
}

static void dy_throttled(struct sim_req *req, struct sim_resp *resp,
			 double rate)
{
	(void)rate;
	dy_error(req, resp, 50002, "触发限流 (frequency limit)",
		 "isv.frequency-limited", "请降低调用频率");
	store_count_throttled();
}

static void dy_server_error(struct sim_req *req, struct sim_resp *resp,
			    int http)
{
	dy_error(req, resp, 20000, "系统错误 (service unavailable)",
		 "isp.service-error", "请稍后重试");
	resp->status = http;
}

static void bad_param(struct sim_req *req, struct sim_resp *resp,
		      const char *what)
{
	dy_error(req, resp, 40001, "参数错误 (invalid parameter)",
		 "isv.parameter-invalid", what);
}

static int status_of(const struct sim_order *o)
{
	switch (o->state) {
	case SIM_UNPAID:
		return 1;
	case SIM_PAID:
		return 2;
	case SIM_PART_SHIPPED:
		return 101;
	case SIM_SHIPPED:
		return 3;
	case SIM_CANCELLED:
		return 4;
	}
	return 1;
}

static const char *status_desc(int s)
{
	switch (s) {
	case 1:
		return "待确认/待支付";
	case 2:
		return "备货中";
	case 101:
		return "部分发货";
	case 3:
		return "已发货";
	case 4:
		return "已取消";
	default:
		return "已完成";
	}
}

static json_t *place(const char *name, int id)
{
	return json_pack("{s:s,s:s}", "id", id ? "1" : "0", "name", name);
}

static void put_cipher(json_t *j, const char *key, const struct sim_shop *s,
		       const struct sim_order *o, const char *plain)
{
	char *c = gen_cipher(s, o->id, plain);

	json_object_set_new(j, key, json_string(c ? c : ""));
	free(c);
}

static json_t *order_json(const struct sim_shop *s, const struct sim_order *o)
{
	json_t *j, *lines = json_array(), *addr;
	int64_t goods = 0;
	int st = status_of(o);
	char m[256], open_id[48];

	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		char title[128], sku[16], pid[24], sid[24];
		int64_t origin = ln->price * ln->qty;
		int64_t pay = origin - (k ? 0 : o->discount);

		goods += origin;
		gen_sku_title(ln->sku, true, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		snprintf(pid, sizeof(pid), "%lld", gen_item_id(ln->sku));
		snprintf(sid, sizeof(sid), "%lld", gen_sku_id(ln->sku));
		json_array_append_new(lines, json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:I,"
			"s:{s:i,s:i,s:i}}",
			"order_id", ln->id, "parent_order_id", o->id,
			"product_id", pid, "product_name", title,
			"sku_id", sid, "out_sku_id", sku, "code", sku,
			"out_product_id", sku, "item_num", ln->qty,
			"origin_amount", (json_int_t)origin,
			"sum_amount", (json_int_t)origin,
			"pay_amount", (json_int_t)pay,
			"after_sale_info", "after_sale_status",
			ln->refund ? 6 : 0, "after_sale_type",
			ln->refund ? 1 : 0, "refund_status",
			ln->refund ? 1 : 0));
	}
	snprintf(open_id, sizeof(open_id), "1@#%016llx",
		 (unsigned long long)sim_mix(o->seq ^ 0xd0d0));
	j = json_pack("{s:s,s:I,s:i,s:s,s:i,s:s}", "order_id", o->id,
		      "shop_id", (json_int_t)77770001, "order_status", st,
		      "order_status_desc", status_desc(st), "main_status", st,
		      "main_status_desc", status_desc(st));
	json_object_set_new(j, "create_time",
			    json_integer(o->created_ms / 1000));
	json_object_set_new(j, "update_time",
			    json_integer(o->modified_ms / 1000));
	json_object_set_new(j, "pay_time", json_integer(o->paid_ms / 1000));
	json_object_set_new(j, "ship_time",
			    json_integer(o->shipped_ms / 1000));
	json_object_set_new(j, "finish_time", json_integer(0));
	json_object_set_new(j, "order_amount",
			    json_integer(goods + o->shipping_fee));
	json_object_set_new(j, "pay_amount",
			    json_integer(goods - o->discount +
					 o->shipping_fee));
	json_object_set_new(j, "post_amount", json_integer(o->shipping_fee));
	json_object_set_new(j, "promotion_amount", json_integer(o->discount));
	json_object_set_new(j, "doudian_open_id", json_string(open_id));
	gen_mask_name(o->first, m, sizeof(m));
	json_object_set_new(j, "mask_post_receiver", json_string(m));
	gen_mask_phone(o->phone, m, sizeof(m));
	json_object_set_new(j, "mask_post_tel", json_string(m));
	put_cipher(j, "encrypt_post_receiver", s, o, o->first);
	put_cipher(j, "encrypt_post_tel", s, o, o->phone);
	gen_mask_address(o->street, m, sizeof(m));
	addr = json_pack("{s:o,s:o,s:o,s:o,s:s}", "province",
			 place(o->province, 1), "city", place(o->city, 1),
			 "town", place(o->district, 1), "street",
			 place("", 0), "detail", m);
	put_cipher(addr, "encrypt_detail", s, o, o->street);
	json_object_set_new(j, "post_addr", addr);
	json_object_set_new(j, "buyer_words", json_string(""));
	json_object_set_new(j, "seller_words", json_string(""));
	json_object_set_new(j, "sku_order_list", lines);
	if (o->shipped_ms)
		json_object_set_new(j, "logistics_info", json_pack(
			"{s:[{s:s,s:s}]}", "list", "tracking_no", o->tracking,
			"company", o->carrier));
	return j;
}

static bool get_ll(const json_t *o, const char *k, long long *out)
{
	json_t *v = json_object_get(o, k);

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	return json_is_string(v) &&
	       parse_ll(json_string_value(v), INT64_MIN / 2, INT64_MAX / 2,
			out);
}

static void search_list(struct sim_req *req, struct sim_resp *resp,
			const json_t *pj)
{
	long long page = 0, size = 10, a = 0, b = INT64_MAX / 4000;
	const char *ob = json_string_value(json_object_get(pj, "order_by"));
	json_t *asc = json_object_get(pj, "order_asc");
	bool by_update, have_a, have_b;
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0, *idx = NULL, cnt = 0;
	json_t *list;

	store_count("douyin:order.searchList");
	if ((json_object_get(pj, "page") && !get_ll(pj, "page", &page)) ||
	    (json_object_get(pj, "size") && !get_ll(pj, "size", &size)) ||
	    page < 0 || size < 1 || size > 100) {
		bad_param(req, resp, "page counts from 0; size is 1..100");
		return;
	}
	by_update = json_object_get(pj, "update_time_start") ||
		    json_object_get(pj, "update_time_end");
	have_a = get_ll(pj, by_update ? "update_time_start" :
					"create_time_start", &a);
	have_b = get_ll(pj, by_update ? "update_time_end" : "create_time_end",
			&b);
	if ((!have_a && json_object_get(pj, by_update ? "update_time_start" :
						       "create_time_start")) ||
	    (!have_b && json_object_get(pj, by_update ? "update_time_end" :
						       "create_time_end")) ||
	    a > b) {
		bad_param(req, resp, "time range start/end are unix seconds, "
				     "start <= end");
		return;
	}
	if (ob && strcmp(ob, "create_time") && strcmp(ob, "update_time")) {
		bad_param(req, resp, "order_by is create_time or update_time");
		return;
	}
	q.field = by_update ? SIM_BY_MODIFIED : SIM_BY_CREATED;
	if (ob)
		q.field = !strcmp(ob, "update_time") ? SIM_BY_MODIFIED :
						       SIM_BY_CREATED;
	/* Filter on the window's field, sort on order_by's: the store
	 * filters and sorts on one field, so a mixed request sorts on the
	 * window's field [M]. */
	if (by_update)
		q.field = SIM_BY_MODIFIED;
	q.from_ms = a * 1000;
	q.to_ms = b >= INT64_MAX / 4000 ? INT64_MAX : b * 1000;
	q.ascending = json_is_true(asc);
	if (store_select(req->shop, &q, &v, &n) ||
	    sim_page(req->shop, n, (size_t)(page * size), (size_t)size, &idx,
		     &cnt)) {
		free(v);
		dy_server_error(req, resp, 200);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < cnt; i++)
		json_array_append_new(list, order_json(req->shop, &v[idx[i]]));
	dy_ok(req, resp, json_pack("{s:o,s:I,s:I,s:I}", "shop_order_list",
				   list, "total", (json_int_t)n, "page",
				   (json_int_t)page, "size",
				   (json_int_t)size));
	free(idx);
	free(v);
}

static void order_detail(struct sim_req *req, struct sim_resp *resp,
			 const json_t *pj)
{
	const char *id = json_string_value(json_object_get(pj,
							   "shop_order_id"));
	struct sim_order o;

	store_count("douyin:order.orderDetail");
	if (!id) {
		bad_param(req, resp, "shop_order_id");
		return;
	}
	if (!store_get(req->shop, id, &o)) {
		dy_error(req, resp, 50001, "订单不存在 (no such order)",
			 "isv.order-not-exist", id);
		return;
	}
	dy_ok(req, resp, json_pack("{s:o}", "shop_order_detail",
				   order_json(req->shop, &o)));
}

static void logistics_add(struct sim_req *req, struct sim_resp *resp,
			  const json_t *pj)
{
	const char *id = json_string_value(json_object_get(pj, "order_id"));
	const char *no = json_string_value(json_object_get(pj,
							   "logistics_code"));
	const char *cc = json_string_value(json_object_get(pj,
							   "company_code"));
	char lid[24];
	long long l;
	struct sim_ship sh = { 0 };
	const char *msg = NULL;

	store_count("douyin:order.logisticsAdd");
	lid[0] = '\0';
	if (get_ll(pj, "logistics_id", &l))
		snprintf(lid, sizeof(lid), "%lld", l);
	if (!id || !no || !*no || ((!cc || !*cc) && !lid[0])) {
		bad_param(req, resp, "order_id, logistics_code and "
				     "company_code or logistics_id");
		return;
	}
	sh.order_id = id;
	sh.tracking = no;
	sh.carrier = cc && *cc ? cc : lid;
	sh.refuse_refund = !json_is_true(json_object_get(pj,
							 "is_refund_reject"));
	sh.request_id = req->request_id;
	switch (store_ship(req->shop, &sh, req->now_ms, NULL)) {
	case SIM_SHIP_OK:
	case SIM_SHIP_EDITED:
		dy_ok(req, resp, NULL);
		return;
	case SIM_SHIP_NOT_FOUND:
		msg = "订单不存在 (no such order)";
		break;
	case SIM_SHIP_CANCELLED:
		msg = "订单已取消 (order cancelled)";
		break;
	case SIM_SHIP_UNPAID:
		msg = "订单未支付 (order not paid)";
		break;
	case SIM_SHIP_ALREADY:
		msg = "订单已发货 (already shipped)";
		break;
	case SIM_SHIP_REFUND:
		msg = "订单存在售后 (after-sale pending)";
		break;
	case SIM_SHIP_BAD_ITEM:
		msg = "没有可发货的商品 (nothing to ship)";
		break;
	}
	dy_error(req, resp, 50001, "业务处理失败 (business error)",
		 "isv.business-failed", msg);
}

static void sync_stock(struct sim_req *req, struct sim_resp *resp,
		       const json_t *pj)
{
	const char *code = json_string_value(json_object_get(pj, "code"));
	const char *out = json_string_value(json_object_get(pj, "out_sku_id"));
	const char *idem = json_string_value(json_object_get(pj,
							     "idempotent_id"));
	long long qty, level, sid;
	char sids[24];
	int sku = 0;

	store_count("douyin:sku.syncStock");
	if (get_ll(pj, "sku_id", &sid)) {
		snprintf(sids, sizeof(sids), "%lld", sid);
		sku = gen_sku_from_sku_id(sids);
	} else if (code) {
		sku = gen_sku_from_code(code);
	} else if (out) {
		sku = gen_sku_from_code(out);
	}
	if (!get_ll(pj, "stock_num", &qty)) {
		bad_param(req, resp, "stock_num");
		return;
	}
	if (!sku) {
		dy_error(req, resp, 50001, "商品不存在 (no such SKU)",
			 "isv.sku-not-exist", NULL);
		return;
	}
	if (!json_is_true(json_object_get(pj, "incremental")) && qty < 0) {
		bad_param(req, resp, "stock_num must not be negative");
		return;
	}
	store_stock(req->shop, sku, qty,
		    json_is_true(json_object_get(pj, "incremental")), idem,
		    req->request_id, req->now_ms, &level);
	dy_ok(req, resp, NULL);
}

static void token(struct sim_req *req, struct sim_resp *resp,
		  const json_t *pj, bool refresh)
{
	const struct sim_shop *s = req->shop;
	const char *rt = json_string_value(json_object_get(pj,
							   "refresh_token"));
	const char *gt = json_string_value(json_object_get(pj, "grant_type"));

	store_count(refresh ? "douyin:token.refresh" : "douyin:token.create");
	if (refresh ? (!rt || strcmp(rt, s->refresh) || !gt ||
		       strcmp(gt, "refresh_token")) :
		      (!gt || (strcmp(gt, "authorization_self") &&
			       strcmp(gt, "authorization_code")))) {
		dy_error(req, resp, 30003, "refresh_token无效 (invalid "
					   "refresh_token)",
			 "isv.refresh-token-invalid", NULL);
		store_count_rejected("token");
		return;
	}
	dy_ok(req, resp, json_pack("{s:s,s:i,s:s,s:s,s:I,s:s}",
				   "access_token", s->token, "expires_in",
				   604800, "refresh_token", s->refresh,
				   "scope", "SCOPE", "shop_id",
				   (json_int_t)77770001, "shop_name",
				   "抖音 直播间小店"));
}

static bool gateway(struct sim_req *req, struct sim_resp *resp,
		    const char *method, const char *param_json,
		    bool need_token)
{
	const struct sim_shop *s = req->shop;
	const struct sim_kvs *q = &req->query;
	const char *app_key = kvs_get(q, "app_key");
	const char *m = kvs_get(q, "method"), *ts = kvs_get(q, "timestamp");
	const char *v = kvs_get(q, "v"), *sign = kvs_get(q, "sign");
	const char *sm = kvs_get(q, "sign_method");
	const char *tok = kvs_get(q, "access_token");
	enum sim_sign_alg alg = SIM_MD5;
	long long epoch;
	int64_t e2;
	char want[65];
	bool ok;

	if (!app_key || !m || !ts || !v || !sign) {
		bad_param(req, resp, "the system parameters go in the "
				     "query string");
		return false;
	}
	if (strcmp(m, method)) {
		bad_param(req, resp, "method does not match the path");
		return false;
	}
	if (strcmp(app_key, s->app_key)) {
		dy_error(req, resp, 30001, "app_key不存在 (unauthorized app)",
			 "isv.app-key-invalid", NULL);
		store_count_rejected("token");
		return false;
	}
	if (parse_ll(ts, 0, INT64_MAX / 2, &epoch))
		e2 = epoch;
	else if (!parse_time(ts, TZ8, &e2))
		e2 = INT64_MIN / 2;
	if (!req_time_ok(req, e2)) {
		dy_error(req, resp, 40005, "时间戳无效 (timestamp out of "
					   "range)",
			 "isv.timestamp-invalid", NULL);
		store_count_rejected("timestamp");
		return false;
	}
	if (strcmp(v, "2")) {
		bad_param(req, resp, "v must be 2");
		return false;
	}
	if (sm && !strcmp(sm, "hmac-sha256"))
		alg = SIM_HMAC_SHA256;
	else if (sm && *sm && strcmp(sm, "md5")) {
		bad_param(req, resp, "sign_method is md5 or hmac-sha256");
		return false;
	}
	ok = sign_douyin(app_key, m, param_json, ts, v, s->secret, alg,
			 want) && sign_equal_hex(sign, want);
	if (!ok) {
		/* The gateway may re-serialise param_json canonically. */
		json_error_t je;
		json_t *pj = json_loads(param_json, 0, &je);
		char *canon = pj ? json_dumps(pj, JSON_SORT_KEYS |
						  JSON_COMPACT) : NULL;

		ok = canon && sign_douyin(app_key, m, canon, ts, v, s->secret,
					  alg, want) &&
		     sign_equal_hex(sign, want);
		free(canon);
		json_decref(pj);
	}
	if (!ok) {
		dy_error(req, resp, 40004, "签名校验失败 (invalid sign)",
			 "isv.sign-check-failure", NULL);
		store_count_rejected("signature");
		return false;
	}
	if (need_token && (!tok || strcmp(tok, s->token))) {
		dy_error(req, resp, 30002, "access_token已过期 (invalid "
					   "access_token)",
			 "isv.access-token-expired", NULL);
		store_count_rejected("token");
		return false;
	}
	return true;
}

static void dy_handle(struct sim_req *req, struct sim_resp *resp)
{
	const char *seg[3];
	char buf[128], method[96];
	const char *param_json = req->body_len ? req->body : "{}";
	size_t ns = path_split(req->path, buf, sizeof(buf), seg, 2);
	json_t *pj = NULL;
	json_error_t je;
	enum sim_op op;

	if (ns != 2) {
		dy_error(req, resp, 40001, "接口不存在 (unknown method)",
			 "isv.method-not-exist", req->path);
		return;
	}
	snprintf(method, sizeof(method), "%s.%s", seg[0], seg[1]);
	if (!strcmp(method, "order.searchList"))
		op = SIM_OP_LIST;
	else if (!strcmp(method, "order.orderDetail"))
		op = SIM_OP_DETAIL;
	else if (!strcmp(method, "order.logisticsAdd"))
		op = SIM_OP_SHIP;
	else if (!strcmp(method, "sku.syncStock"))
		op = SIM_OP_STOCK;
	else if (!strcmp(method, "token.refresh") ||
		 !strcmp(method, "token.create"))
		op = SIM_OP_TOKEN;
	else {
		dy_error(req, resp, 40001, "接口不存在 (unknown method)",
			 "isv.method-not-exist", method);
		return;
	}
	if (!gateway(req, resp, method, param_json, op != SIM_OP_TOKEN))
		return;
	pj = json_loads(param_json, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(pj)) {
		bad_param(req, resp, "the body (param_json) is not a JSON "
				     "object");
		goto out;
	}
	if (!store_take(req->shop, op, req->now_ms, NULL, NULL, NULL)) {
		dy_throttled(req, resp, 0);
		goto out;
	}
	switch (op) {
	case SIM_OP_LIST:
		search_list(req, resp, pj);
		break;
	case SIM_OP_DETAIL:
		order_detail(req, resp, pj);
		break;
	case SIM_OP_SHIP:
		logistics_add(req, resp, pj);
		break;
	case SIM_OP_STOCK:
		sync_stock(req, resp, pj);
		break;
	default:
		token(req, resp, pj, !strcmp(method, "token.refresh"));
		break;
	}
out:
	json_decref(pj);
}

const struct sim_platform_ops sim_douyin_ops = {
	SIM_DOUYIN, "douyin", dy_handle, dy_throttled, dy_server_error,
};
