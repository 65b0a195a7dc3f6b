/*
 * sim_top.c - Taobao/Tmall open platform (TOP): POST/GET /router/rest.
 *
 * System parameters in the query or a form body, signed together
 * (reference/platforms.md §1). Gateway errors use TOP's codes: 7 App
 * Call Limited, 21/22 missing/invalid method, 23 invalid format, 24/25
 * missing/invalid signature, 26/27 missing/invalid session, 28/29
 * missing/invalid app key, 30/31 missing/invalid timestamp, 32/33
 * version, 40/41 missing/invalid arguments; business errors are code 15
 * with an isv.* sub_code [sub_codes M]. Every answer is HTTP 200 like
 * the real gateway, except injected faults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define TZ8 (8 * 3600)

static void top_error(struct sim_req *req, struct sim_resp *resp, int code,
		      const char *msg, const char *sub_code,
		      const char *sub_msg)
{
	json_t *e = json_pack("{s:i,s:s}", "code", code, "msg", msg);

	if (sub_code)
		json_object_set_new(e, "sub_code", json_string(sub_code));
	if (sub_msg)
		json_object_set_new(e, "sub_msg", json_string(sub_msg));
	json_object_set_new(e, "request_id", json_string(req->request_id));
	resp_json(resp, 200, json_pack("{s:o}", "error_response", e));
}

static void top_throttled(struct sim_req *req, struct sim_resp *resp,
			  double rate)
{
	(void)rate;
	top_error(req, resp, 7, "App Call Limited",
		  "accesscontrol.limited-by-api-access-count",
		  "This ban will last for 1 more seconds");
	store_count_throttled();
}

static void top_server_error(struct sim_req *req, struct sim_resp *resp,
			     int http)
{
	top_error(req, resp, 15, "Remote service error",
		  "isp.remote-service-error",
		  "服务暂时不可用 (service busy), retry later");
	resp->status = http;
}

static void bad_args(struct sim_req *req, struct sim_resp *resp,
		     const char *what)
{
	top_error(req, resp, 41, "Invalid Arguments", "isv.invalid-parameter",
		  what);
}

static void top_status(const struct sim_order *o, char *buf, size_t n)
{
	const char *s = "WAIT_SELLER_SEND_GOODS";

	switch (o->state) {
	case SIM_UNPAID:
		s = "WAIT_BUYER_PAY";
		break;
	case SIM_PAID:
		break;
	case SIM_PART_SHIPPED:
		s = "SELLER_CONSIGNED_PART";
		break;
	case SIM_SHIPPED:
		s = "WAIT_BUYER_CONFIRM_GOODS";
		break;
	case SIM_CANCELLED:
		s = o->cancelled_after_pay ? "TRADE_CLOSED" :
					     "TRADE_CLOSED_BY_TAOBAO";
		break;
	}
	snprintf(buf, n, "%s", s);
}

/* The fields= selection; NULL list keeps everything. */
struct fieldset {
	char *buf;
	const char *v[64];
	size_t n;
};

static void fields_parse(const char *s, struct fieldset *f)
{
	char *p;

	f->n = 0;
	f->buf = s ? strdup(s) : NULL;
	for (p = f->buf; p && *p && f->n < 64;) {
		char *c = strchr(p, ',');

		if (c)
			*c = '\0';
		while (*p == ' ')
			p++;
		if (*p)
			f->v[f->n++] = p;
		p = c ? c + 1 : NULL;
	}
}

static bool fields_has(const struct fieldset *f, const char *k)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i], k))
			return true;
	return false;
}

static bool fields_has_prefix(const struct fieldset *f, const char *p)
{
	size_t n = strlen(p);

	for (size_t i = 0; i < f->n; i++)
		if (!strncmp(f->v[i], p, n))
			return true;
	return false;
}

/* Drops the members fields= did not ask for. */
static void filter_trade(json_t *t, const struct fieldset *f)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(t, tmp, key, v) {
		if (!strcmp(key, "orders")) {
			if (!fields_has(f, "orders") &&
			    !fields_has_prefix(f, "orders."))
				json_object_del(t, key);
			continue;
		}
		if (!strcmp(key, "tid_str") && fields_has(f, "tid"))
			continue;
		if (!fields_has(f, key))
			json_object_del(t, key);
	}
}

static void filter_line(json_t *l, const struct fieldset *f)
{
	const char *key;
	json_t *v;
	void *tmp;
	char k[64];

	if (fields_has(f, "orders"))
		return;
	json_object_foreach_safe(l, tmp, key, v) {
		snprintf(k, sizeof(k), "orders.%s", key);
		if (!fields_has(f, k) &&
		    !(!strcmp(key, "oid_str") && fields_has(f, "orders.oid")))
			json_object_del(l, key);
	}
}

static json_t *wrap(json_t *arr, const char *inner, bool simplify)
{
	if (simplify)
		return arr;
	return json_pack("{s:o}", inner, arr);
}

static json_t *trade_json(const struct sim_shop *s, const struct sim_order *o,
			  const struct fieldset *f, bool simplify)
{
	char status[32], t[32], m[64], buf[256], money[32];
	json_t *lines = json_array(), *tr;
	int64_t goods = 0;
	char *oaid;

	top_status(o, status, sizeof(status));
	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		int64_t total = ln->price * ln->qty;
		int64_t disc = k == 0 ? o->discount : 0;
		const char *ls = status, *rs = "NO_REFUND";
		char title[128], sku[16];
		json_t *l;

		goods += total;
		if (o->state == SIM_PART_SHIPPED)
			ls = ln->shipped >= ln->qty ?
				     "WAIT_BUYER_CONFIRM_GOODS" :
				     "WAIT_SELLER_SEND_GOODS";
		if (ln->refund)
			rs = "WAIT_SELLER_AGREE";
		else if (o->state == SIM_CANCELLED && o->cancelled_after_pay)
			rs = "SUCCESS";
		gen_sku_title(ln->sku, true, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		l = json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:s,s:i}",
			      "oid", (json_int_t)strtoll(ln->id, NULL, 10),
			      "oid_str", ln->id,
			      "num_iid", (json_int_t)gen_item_id(ln->sku),
			      "sku_id", (json_int_t)gen_sku_id(ln->sku),
			      "outer_iid", sku, "outer_sku_id", sku,
			      "title", title, "num", ln->qty);
		fmt_money(ln->price, money, sizeof(money));
		json_object_set_new(l, "price", json_string(money));
		fmt_money(total, money, sizeof(money));
		json_object_set_new(l, "total_fee", json_string(money));
		fmt_money(disc, money, sizeof(money));
		json_object_set_new(l, "discount_fee", json_string(money));
		json_object_set_new(l, "adjust_fee", json_string("0.00"));
		fmt_money(total - disc, money, sizeof(money));
		json_object_set_new(l, "payment", json_string(money));
		json_object_set_new(l, "divide_order_fee", json_string(money));
		json_object_set_new(l, "status", json_string(ls));
		json_object_set_new(l, "refund_status", json_string(rs));
		if (ln->shipped && o->tracking[0])
			json_object_set_new(l, "invoice_no",
					    json_string(o->tracking));
		filter_line(l, f);
		json_array_append_new(lines, l);
	}
	tr = json_pack("{s:I,s:s,s:s,s:s}",
		       "tid", (json_int_t)strtoll(o->id, NULL, 10),
		       "tid_str", o->id, "status", status, "type", "fixed");
	fmt_local(o->created_ms / 1000, TZ8, t, sizeof(t));
	json_object_set_new(tr, "created", json_string(t));
	fmt_local(o->modified_ms / 1000, TZ8, t, sizeof(t));
	json_object_set_new(tr, "modified", json_string(t));
	if (o->paid_ms) {
		fmt_local(o->paid_ms / 1000, TZ8, t, sizeof(t));
		json_object_set_new(tr, "pay_time", json_string(t));
	}
	if (o->shipped_ms) {
		fmt_local(o->shipped_ms / 1000, TZ8, t, sizeof(t));
		json_object_set_new(tr, "consign_time", json_string(t));
	}
	json_object_set_new(tr, "buyer_nick", json_string(o->buyer));
	snprintf(buf, sizeof(buf), "AAH%016llx",
		 (unsigned long long)sim_mix(o->seq ^ 0xb0b));
	json_object_set_new(tr, "buyer_open_uid", json_string(buf));
	gen_mask_name(o->first, m, sizeof(m));
	json_object_set_new(tr, "receiver_name", json_string(m));
	gen_mask_phone(o->phone, m, sizeof(m));
	json_object_set_new(tr, "receiver_mobile", json_string(m));
	json_object_set_new(tr, "receiver_phone", json_string(""));
	json_object_set_new(tr, "receiver_state", json_string(o->province));
	json_object_set_new(tr, "receiver_city", json_string(o->city));
	json_object_set_new(tr, "receiver_district",
			    json_string(o->district));
	json_object_set_new(tr, "receiver_town", json_string(""));
	gen_mask_address(o->street, buf, sizeof(buf));
	json_object_set_new(tr, "receiver_address", json_string(buf));
	json_object_set_new(tr, "receiver_zip", json_string(o->zip));
	json_object_set_new(tr, "receiver_country", json_string(""));
	/* The OAID stands for the receiver when decrypting [M]. */
	snprintf(buf, sizeof(buf), "%s|%s|%s", o->first, o->phone, o->street);
	oaid = gen_cipher(s, o->id, buf);
	json_object_set_new(tr, "oaid", json_string(oaid ? oaid : ""));
	free(oaid);
	fmt_money(goods, money, sizeof(money));
	json_object_set_new(tr, "total_fee", json_string(money));
	fmt_money(o->shipping_fee, money, sizeof(money));
	json_object_set_new(tr, "post_fee", json_string(money));
	fmt_money(o->discount, money, sizeof(money));
	json_object_set_new(tr, "discount_fee", json_string(money));
	json_object_set_new(tr, "adjust_fee", json_string("0.00"));
	fmt_money(goods - o->discount + o->shipping_fee, money,
		  sizeof(money));
	json_object_set_new(tr, "payment", json_string(money));
	json_object_set_new(tr, "orders", wrap(lines, "order", simplify));
	if (f->n)
		filter_trade(tr, f);
	return tr;
}

struct status_filter {
	const char *status;
};

static bool keep_status(const struct sim_order *o, const void *ctx)
{
	const struct status_filter *f = ctx;
	char st[32];

	if (!f->status || !*f->status)
		return true;
	top_status(o, st, sizeof(st));
	return !strcmp(st, f->status);
}

static bool flag(const char *v)
{
	return v && !strcmp(v, "true");
}

/* taobao.trades.sold.increment.get and taobao.trades.sold.get. */
static void trades_list(struct sim_req *req, struct sim_resp *resp,
			const struct sim_kvs *p, bool increment)
{
	const char *k_start = increment ? "start_modified" : "start_created";
	const char *k_end = increment ? "end_modified" : "end_created";
	const char *fields = kvs_get(p, "fields");
	const char *sv = kvs_get(p, k_start), *ev = kvs_get(p, k_end);
	struct status_filter sf = { kvs_get(p, "status") };
	long long page = 1, size = 40;
	bool simplify = flag(kvs_get(p, "simplify"));
	bool use_has_next = flag(kvs_get(p, "use_has_next"));
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	struct fieldset fs = { 0 };
	size_t n = 0, *idx = NULL, cnt = 0;
	int64_t a, b, now = req_now_s(req);
	json_t *trades, *body;
	char msg[160];

	if (!fields || !*fields) {
		top_error(req, resp, 40, "Missing Required Arguments",
			  "isv.missing-parameter", "fields");
		return;
	}
	if (increment && (!sv || !ev)) {
		top_error(req, resp, 40, "Missing Required Arguments",
			  "isv.missing-parameter", sv ? k_end : k_start);
		return;
	}
	if ((kvs_get(p, "page_no") &&
	     !parse_ll(kvs_get(p, "page_no"), 1, 100000, &page)) ||
	    (kvs_get(p, "page_size") &&
	     !parse_ll(kvs_get(p, "page_size"), 1, 100, &size))) {
		bad_args(req, resp, "page_no must be >= 1 and page_size "
				    "1..100");
		return;
	}
	a = now - 90 * 86400;
	b = now + 86400;
	if ((sv && !parse_time(sv, TZ8, &a)) ||
	    (ev && !parse_time(ev, TZ8, &b))) {
		snprintf(msg, sizeof(msg), "%s/%s must be yyyy-MM-dd "
					   "HH:mm:ss", k_start, k_end);
		bad_args(req, resp, msg);
		return;
	}
	if (b < a) {
		snprintf(msg, sizeof(msg), "%s is before %s", k_end, k_start);
		bad_args(req, resp, msg);
		return;
	}
	if (increment && b - a > 86400) {
		bad_args(req, resp, "end_modified - start_modified exceeds "
				    "one day (修改时间跨度不能大于一天)");
		return;
	}
	if (a < now - 90 * 86400 - 600) {
		snprintf(msg, sizeof(msg), "%s is older than three months",
			 k_start);
		bad_args(req, resp, msg);
		return;
	}
	store_count(increment ? "top:taobao.trades.sold.increment.get" :
				"top:taobao.trades.sold.get");
	q.field = increment ? SIM_BY_MODIFIED : SIM_BY_CREATED;
	q.from_ms = a * 1000;
	q.to_ms = b * 1000;
	q.ascending = false; /* modified (created) descending */
	q.keep = keep_status;
	q.keep_ctx = &sf;
	if (store_select(req->shop, &q, &v, &n) ||
	    sim_page(req->shop, n, (size_t)((page - 1) * size), (size_t)size,
		     &idx, &cnt)) {
		free(v);
		top_server_error(req, resp, 200);
		return;
	}
	fields_parse(fields, &fs);
	trades = json_array();
	for (size_t i = 0; i < cnt; i++)
		json_array_append_new(trades, trade_json(req->shop,
							 &v[idx[i]], &fs,
							 simplify));
	body = json_object();
	if (!use_has_next)
		json_object_set_new(body, "total_results",
				    json_integer((json_int_t)n));
	json_object_set_new(body, "has_next",
			    json_boolean((size_t)(page * size) < n));
	json_object_set_new(body, "trades", wrap(trades, "trade", simplify));
	json_object_set_new(body, "request_id", json_string(req->request_id));
	resp_json(resp, 200, json_pack("{s:o}", increment ?
				       "trades_sold_increment_get_response" :
				       "trades_sold_get_response", body));
	free(fs.buf);
	free(idx);
	free(v);
}

static void fullinfo(struct sim_req *req, struct sim_resp *resp,
		     const struct sim_kvs *p)
{
	const char *fields = kvs_get(p, "fields"), *tid = kvs_get(p, "tid");
	struct fieldset fs = { 0 };
	struct sim_order o;
	json_t *body;

	if (!fields || !*fields || !tid || !*tid) {
		top_error(req, resp, 40, "Missing Required Arguments",
			  "isv.missing-parameter", tid ? "fields" : "tid");
		return;
	}
	store_count("top:taobao.trade.fullinfo.get");
	if (!store_get(req->shop, tid, &o)) {
		top_error(req, resp, 15, "Remote service error",
			  "isv.trade-not-exist", "交易不存在 (no such trade)");
		return;
	}
	fields_parse(fields, &fs);
	body = json_pack("{s:o,s:s}", "trade",
			 trade_json(req->shop, &o, &fs,
				    flag(kvs_get(p, "simplify"))),
			 "request_id", req->request_id);
	free(fs.buf);
	resp_json(resp, 200, json_pack("{s:o}", "trade_fullinfo_get_response",
				       body));
}

static void offline_send(struct sim_req *req, struct sim_resp *resp,
			 const struct sim_kvs *p)
{
	const char *tid = kvs_get(p, "tid"), *out_sid = kvs_get(p, "out_sid");
	const char *company = kvs_get(p, "company_code");
	const char *sub = kvs_get(p, "sub_tid");
	const char *split = kvs_get(p, "is_split");
	struct sim_ship_item items[SIM_MAX_LINES];
	struct sim_ship sh = { 0 };
	size_t nitems = 0;
	struct sim_order o;
	const char *sc = NULL, *sm = NULL;

	if (!tid || !*tid || !out_sid || !*out_sid || !company || !*company) {
		top_error(req, resp, 40, "Missing Required Arguments",
			  "isv.missing-parameter",
			  !tid || !*tid ? "tid" :
			  (!out_sid || !*out_sid ? "out_sid" : "company_code"));
		return;
	}
	store_count("top:taobao.logistics.offline.send");
	if (sub && *sub && (!split || strcmp(split, "1"))) {
		bad_args(req, resp, "sub_tid needs is_split=1");
		return;
	}
	if (sub && *sub && store_get(req->shop, tid, &o)) {
		char buf[256], *s, *c;

		snprintf(buf, sizeof(buf), "%s", sub);
		for (s = buf; s && *s && nitems < SIM_MAX_LINES; s = c) {
			c = strchr(s, ',');
			if (c)
				*c++ = '\0';
			for (int k = 0; k < o.nlines; k++) {
				if (strcmp(o.lines[k].id, s))
					continue;
				snprintf(items[nitems].line_id,
					 sizeof(items[nitems].line_id), "%s",
					 s);
				items[nitems++].qty = o.lines[k].qty -
						      o.lines[k].shipped;
			}
		}
		if (!nitems) {
			bad_args(req, resp, "sub_tid names no order of "
					    "this trade");
			return;
		}
	}
	sh.order_id = tid;
	sh.tracking = out_sid;
	sh.carrier = company;
	sh.items = nitems ? items : NULL;
	sh.nitems = nitems;
	sh.refuse_refund = true;
	sh.request_id = req->request_id;
	switch (store_ship(req->shop, &sh, req->now_ms, NULL)) {
	case SIM_SHIP_OK:
	case SIM_SHIP_EDITED:
		resp_json(resp, 200, json_pack(
			"{s:{s:{s:b},s:s}}", "logistics_offline_send_response",
			"shipping", "is_success", 1, "request_id",
			req->request_id));
		return;
	case SIM_SHIP_NOT_FOUND:
		sc = "isv.logistics-offline-service-error:B01";
		sm = "交易不存在 (no such trade)";
		break;
	case SIM_SHIP_CANCELLED:
		sc = "isv.logistics-offline-service-error:B04";
		sm = "交易已关闭，不能发货 (trade closed)";
		break;
	case SIM_SHIP_UNPAID:
		sc = "isv.logistics-offline-service-error:B05";
		sm = "交易未付款 (trade not paid)";
		break;
	case SIM_SHIP_ALREADY:
		sc = "isv.logistics-offline-service-error:B27";
		sm = "交易已发货 (already shipped)";
		break;
	case SIM_SHIP_REFUND:
		sc = "isv.logistics-offline-service-error:B150";
		sm = "存在退款中的子订单 (a refund is pending)";
		break;
	case SIM_SHIP_BAD_ITEM:
		sc = "isv.logistics-offline-service-error:B10";
		sm = "子订单不存在或已发货 (sub_tid not shippable)";
		break;
	}
	top_error(req, resp, 15, "Remote service error", sc, sm);
}

static json_t *sku_json(int sku, long long level, const char *t)
{
	return json_pack("{s:I,s:s,s:I,s:s}", "sku_id",
			 (json_int_t)gen_sku_id(sku), "outer_id", "",
			 "quantity", (json_int_t)level, "modified", t);
}

/* Resolves a SKU for num_iid + sku_id/outer_id; 0 when inconsistent. */
static int resolve_sku(const char *num_iid, const char *sku_id,
		       const char *outer_id)
{
	int by_item = gen_sku_from_item_id(num_iid);
	int n = by_item;

	if (sku_id && *sku_id)
		n = gen_sku_from_sku_id(sku_id);
	else if (outer_id && *outer_id)
		n = gen_sku_from_code(outer_id);
	return n && n == by_item ? n : 0;
}

static void quantity_update(struct sim_req *req, struct sim_resp *resp,
			    const struct sim_kvs *p)
{
	const char *num_iid = kvs_get(p, "num_iid");
	const char *type = kvs_get(p, "type");
	long long qty, level;
	char t[32];
	int sku;

	if (!num_iid || !kvs_get(p, "quantity")) {
		top_error(req, resp, 40, "Missing Required Arguments",
			  "isv.missing-parameter",
			  num_iid ? "quantity" : "num_iid");
		return;
	}
	store_count("top:taobao.item.quantity.update");
	if (!parse_ll(kvs_get(p, "quantity"), -999999999, 999999999, &qty) ||
	    (type && strcmp(type, "1") && strcmp(type, "2")) ||
	    ((!type || !strcmp(type, "1")) && qty < 0)) {
		bad_args(req, resp, "quantity / type");
		return;
	}
	sku = resolve_sku(num_iid, kvs_get(p, "sku_id"),
			  kvs_get(p, "outer_id"));
	if (!sku) {
		top_error(req, resp, 15, "Remote service error",
			  "isv.item-not-exist", "商品或SKU不存在 (no such "
						  "item or SKU)");
		return;
	}
	store_stock(req->shop, sku, qty, type && !strcmp(type, "2"), NULL,
		    req->request_id, req->now_ms, &level);
	fmt_local(req->now_ms / 1000, TZ8, t, sizeof(t));
	resp_json(resp, 200, json_pack(
		"{s:{s:{s:I,s:I,s:s,s:{s:[o]}},s:s}}",
		"item_quantity_update_response", "item", "num_iid",
		(json_int_t)gen_item_id(sku), "num", (json_int_t)level,
		"modified", t, "skus", "sku", sku_json(sku, level, t),
		"request_id", req->request_id));
}

static void skus_update(struct sim_req *req, struct sim_resp *resp,
			const struct sim_kvs *p)
{
	const char *num_iid = kvs_get(p, "num_iid");
	const char *ids = kvs_get(p, "skuid_quantities");
	const char *outer = kvs_get(p, "outerid_quantities");
	const char *type = kvs_get(p, "type");
	const char *list = ids && *ids ? ids : outer;
	json_t *skus;
	char buf[2048], t[32], *s, *next;
	int count = 0;

	if (!num_iid || !list || !*list) {
		top_error(req, resp, 40, "Missing Required Arguments",
			  "isv.missing-parameter",
			  num_iid ? "skuid_quantities" : "num_iid");
		return;
	}
	store_count("top:taobao.skus.quantity.update");
	if (strlen(list) >= sizeof(buf)) {
		bad_args(req, resp, "skuid_quantities too long");
		return;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	fmt_local(req->now_ms / 1000, TZ8, t, sizeof(t));
	skus = json_array();
	/* Check everything first: the update is all or nothing. */
	for (int pass = 0; pass < 2; pass++) {
		count = 0;
		snprintf(buf, sizeof(buf), "%s", list);
		for (s = buf; s && *s; s = next) {
			char *colon;
			long long qty, level;
			int sku;

			next = strchr(s, ';');
			if (next)
				*next++ = '\0';
			colon = strchr(s, ':');
			if (!colon || !parse_ll(colon + 1, -999999999,
						999999999, &qty))
				goto bad;
			*colon = '\0';
			sku = ids && *ids ? resolve_sku(num_iid, s, NULL) :
					    resolve_sku(num_iid, NULL, s);
			if (!sku || ++count > 20)
				goto bad;
			if (pass == 1) {
				store_stock(req->shop, sku, qty,
					    type && !strcmp(type, "2"), NULL,
					    req->request_id, req->now_ms,
					    &level);
				json_array_append_new(skus,
						      sku_json(sku, level, t));
			}
		}
	}
	resp_json(resp, 200, json_pack(
		"{s:{s:{s:I,s:s,s:{s:o}},s:s}}",
		"skus_quantity_update_response",
		"item", "num_iid", (json_int_t)strtoll(num_iid, NULL, 10),
		"modified", t, "skus", "sku", skus, "request_id",
		req->request_id));
	return;
bad:
	json_decref(skus);
	bad_args(req, resp, "skuid_quantities must be sku_id:qty;... of "
			    "this item (at most 20)");
}

/* Checks the system parameters; false when an error was answered. */
static bool gateway(struct sim_req *req, struct sim_resp *resp,
		    const struct sim_kvs *p)
{
	const struct sim_shop *s = req->shop;
	const char *app_key = kvs_get(p, "app_key");
	const char *sign = kvs_get(p, "sign"), *ts = kvs_get(p, "timestamp");
	const char *sm = kvs_get(p, "sign_method");
	const char *fmt = kvs_get(p, "format"), *v = kvs_get(p, "v");
	const char *session = kvs_get(p, "session");
	enum sim_sign_alg alg = SIM_MD5_WRAP;
	long long ms;
	int64_t epoch;
	char want[65];

	if (!kvs_get(p, "method") || !*kvs_get(p, "method")) {
		top_error(req, resp, 21, "Missing Method", NULL, NULL);
		return false;
	}
	if (!app_key || !*app_key) {
		top_error(req, resp, 28, "Missing App Key", NULL, NULL);
		return false;
	}
	if (strcmp(app_key, s->app_key)) {
		top_error(req, resp, 29, "Invalid App Key", NULL, NULL);
		store_count_rejected("token");
		return false;
	}
	if (!ts || !*ts) {
		top_error(req, resp, 30, "Missing Timestamp", NULL, NULL);
		return false;
	}
	/* yyyy-MM-dd HH:mm:ss in GMT+8, or epoch milliseconds (SDK). */
	if (parse_ll(ts, 1000000000000LL, 9999999999999LL, &ms))
		epoch = ms / 1000;
	else if (!parse_time(ts, TZ8, &epoch))
		epoch = INT64_MIN / 2;
	if (!req_time_ok(req, epoch)) {
		top_error(req, resp, 31, "Invalid Timestamp", NULL,
			  "timestamp differs from the platform clock by more "
			  "than 10 minutes");
		store_count_rejected("timestamp");
		return false;
	}
	if (!v || !*v) {
		top_error(req, resp, 32, "Missing Version", NULL, NULL);
		return false;
	}
	if (strcmp(v, "2.0")) {
		top_error(req, resp, 33, "Invalid Version", NULL, NULL);
		return false;
	}
	if (!fmt || strcmp(fmt, "json")) {
		top_error(req, resp, 23, "Invalid Format", NULL,
			  "this gateway answers format=json only");
		return false;
	}
	if (sm && !strcmp(sm, "hmac"))
		alg = SIM_HMAC_MD5;
	else if (sm && !strcmp(sm, "hmac-sha256"))
		alg = SIM_HMAC_SHA256;
	else if (sm && *sm && strcmp(sm, "md5")) {
		bad_args(req, resp, "sign_method must be md5, hmac or "
				    "hmac-sha256");
		return false;
	}
	if (!sign || !*sign) {
		top_error(req, resp, 24, "Missing Signature", NULL, NULL);
		return false;
	}
	if (!sign_sorted(p, s->secret, alg, want) ||
	    !sign_equal_hex(sign, want)) {
		top_error(req, resp, 25, "Invalid Signature", NULL, NULL);
		store_count_rejected("signature");
		return false;
	}
	if (!session || !*session) {
		top_error(req, resp, 26, "Missing Session", NULL, NULL);
		store_count_rejected("token");
		return false;
	}
	if (strcmp(session, s->token)) {
		top_error(req, resp, 27, "Invalid Session",
			  "invalid-sessionkey", "SessionKey非法 (bad session)");
		store_count_rejected("token");
		return false;
	}
	return true;
}

static void top_handle(struct sim_req *req, struct sim_resp *resp)
{
	struct sim_kvs p;
	const char *method;
	enum sim_op op;

	if (strcmp(req->path, "/router/rest")) {
		resp_json(resp, 404, json_pack("{s:s}", "error",
					       "TOP serves /router/rest"));
		return;
	}
	kvs_init(&p);
	if (kvs_merge(&p, &req->query) || kvs_merge(&p, &req->form)) {
		kvs_free(&p);
		top_server_error(req, resp, 500);
		return;
	}
	if (!gateway(req, resp, &p))
		goto out;
	method = kvs_get(&p, "method");
	if (!strcmp(method, "taobao.trades.sold.increment.get") ||
	    !strcmp(method, "taobao.trades.sold.get"))
		op = SIM_OP_LIST;
	else if (!strcmp(method, "taobao.trade.fullinfo.get"))
		op = SIM_OP_DETAIL;
	else if (!strcmp(method, "taobao.logistics.offline.send"))
		op = SIM_OP_SHIP;
	else if (!strcmp(method, "taobao.item.quantity.update") ||
		 !strcmp(method, "taobao.skus.quantity.update"))
		op = SIM_OP_STOCK;
	else {
		top_error(req, resp, 22, "Invalid Method", NULL, method);
		goto out;
	}
	if (!store_take(req->shop, op, req->now_ms, NULL, NULL, NULL)) {
		top_throttled(req, resp, 0);
		goto out;
	}
	if (op == SIM_OP_LIST)
		trades_list(req, resp, &p,
			    !strcmp(method,
				    "taobao.trades.sold.increment.get"));
	else if (op == SIM_OP_DETAIL)
		fullinfo(req, resp, &p);
	else if (op == SIM_OP_SHIP)
		offline_send(req, resp, &p);
	else if (!strcmp(method, "taobao.item.quantity.update"))
		quantity_update(req, resp, &p);
	else
		skus_update(req, resp, &p);
out:
	kvs_free(&p);
}

const struct sim_platform_ops sim_top_ops = {
	SIM_TOP, "top", top_handle, top_throttled, top_server_error,
};
