/*
 * sim_woo.c - WooCommerce REST API v3 under /wp-json/wc/v3/.
 *
 * GET orders (page/per_page with X-WP-Total, X-WP-TotalPages and a Link
 * header; modified_after/modified_before, after/before, status,
 * orderby, order), GET/PUT orders/{id} (status "completed" plus
 * tracking in meta_data: _tracking_number/_tracking_provider or the
 * Shipment Tracking extension's _wc_shipment_tracking_items), GET/PUT
 * products/{id} (stock), GET products?sku=. Authentication: HTTP Basic
 * ck:cs or consumer_key/consumer_secret query parameters. The store's
 * time zone is UTC, so date_* and date_*_gmt agree. Errors are
 * {"code","message","data":{"status"}}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define WOO_PREFIX "/wp-json/wc/v3/"

static void woo_error(struct sim_resp *resp, int http, const char *code,
		      const char *message)
{
	resp_json(resp, http, json_pack("{s:s,s:s,s:{s:i}}", "code", code,
					"message", message, "data", "status",
					http));
}

static void woo_throttled(struct sim_req *req, struct sim_resp *resp,
			  double rate)
{
	(void)req;
	(void)rate;
	/* Core WooCommerce has no limiter; hosts answer like this [M]. */
	woo_error(resp, 429, "woocommerce_rest_too_many_requests",
		  "Too many requests. Please slow down (rate limit).");
	resp_header(resp, "Retry-After", "1");
	store_count_throttled();
}

static void woo_server_error(struct sim_req *req, struct sim_resp *resp,
			     int http)
{
	(void)req;
	woo_error(resp, http, "internal_server_error",
		  http == 503 ? "Service Unavailable" :
				"There has been a critical error on this "
				"website.");
}

static const char *status_of(const struct sim_order *o)
{
	switch (o->state) {
	case SIM_UNPAID:
		return "pending";
	case SIM_PAID:
	case SIM_PART_SHIPPED:
		break;
	case SIM_SHIPPED:
		return "completed";
	case SIM_CANCELLED:
		return "cancelled";
	}
	for (int k = 0; k < o->nlines; k++)
		if (o->lines[k].refund)
			return "refunded";
	return "processing";
}

static json_t *jmoney(int64_t minor)
{
	char b[32];

	fmt_money(minor, b, sizeof(b));
	return json_string(b);
}

static json_t *jdate(int64_t ms)
{
	char t[32];

	if (!ms)
		return json_null();
	fmt_iso_plain(ms / 1000, t, sizeof(t));
	return json_string(t);
}

static json_t *address(const struct sim_order *o, bool billing)
{
	json_t *a = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
			      "first_name", o->first, "last_name", o->last,
			      "company", "", "address_1", o->street,
			      "address_2", "", "city", o->city, "state",
			      o->province_code, "postcode", o->zip, "country",
			      o->country, "phone", o->phone);

	if (billing)
		json_object_set_new(a, "email", json_string(o->email));
	return a;
}

static json_t *order_json(const struct sim_order *o)
{
	json_t *j, *lines = json_array(), *refunds = json_array();
	int64_t goods = 0, total;
	const char *st = status_of(o);
	char key[40];

	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		int64_t sub = ln->price * ln->qty;
		int64_t tot = sub - (k ? 0 : o->discount);
		char title[128], sku[16];

		goods += sub;
		gen_sku_title(ln->sku, false, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		json_array_append_new(lines, json_pack(
			"{s:I,s:s,s:I,s:i,s:i,s:s,s:o,s:s,s:o,s:s,s:[],s:[],"
			"s:s,s:o}",
			"id", (json_int_t)strtoll(ln->id, NULL, 10),
			"name", title,
			"product_id", (json_int_t)gen_item_id(ln->sku),
			"variation_id", 0, "quantity", ln->qty,
			"tax_class", "", "subtotal", jmoney(sub),
			"subtotal_tax", "0.00", "total", jmoney(tot),
			"total_tax", "0.00", "taxes", "meta_data",
			"sku", sku, "price", json_money_real(tot / ln->qty)));
	}
	total = goods - o->discount + o->shipping_fee;
	if (!strcmp(st, "refunded"))
		json_array_append_new(refunds, json_pack(
			"{s:I,s:s,s:o}", "id",
			(json_int_t)(90000 + (int64_t)o->seq), "reason",
			"buyer asked for a refund", "total",
			jmoney(-total)));
	snprintf(key, sizeof(key), "wc_order_%012llx",
		 (unsigned long long)(sim_mix(o->seq ^ 0x3005) &
				      0xffffffffffffULL));
	j = json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s}",
		      "id", (json_int_t)strtoll(o->id, NULL, 10),
		      "parent_id", 0, "number", o->number, "order_key", key,
		      "created_via", "checkout", "version", "8.5.2",
		      "status", st, "currency", o->currency);
	json_object_set_new(j, "date_created", jdate(o->created_ms));
	json_object_set_new(j, "date_created_gmt", jdate(o->created_ms));
	json_object_set_new(j, "date_modified", jdate(o->modified_ms));
	json_object_set_new(j, "date_modified_gmt", jdate(o->modified_ms));
	json_object_set_new(j, "date_paid", jdate(o->paid_ms));
	json_object_set_new(j, "date_paid_gmt", jdate(o->paid_ms));
	json_object_set_new(j, "date_completed",
			    jdate(o->state == SIM_SHIPPED ? o->shipped_ms : 0));
	json_object_set_new(j, "date_completed_gmt",
			    jdate(o->state == SIM_SHIPPED ? o->shipped_ms : 0));
	json_object_set_new(j, "discount_total", jmoney(o->discount));
	json_object_set_new(j, "discount_tax", jmoney(0));
	json_object_set_new(j, "shipping_total", jmoney(o->shipping_fee));
	json_object_set_new(j, "shipping_tax", jmoney(0));
	json_object_set_new(j, "cart_tax", jmoney(0));
	json_object_set_new(j, "total", jmoney(total));
	json_object_set_new(j, "total_tax", jmoney(0));
	json_object_set_new(j, "prices_include_tax", json_false());
	json_object_set_new(j, "customer_id", json_integer(0));
	json_object_set_new(j, "customer_note", json_string(""));
	json_object_set_new(j, "billing", address(o, true));
	json_object_set_new(j, "shipping", address(o, false));
	json_object_set_new(j, "payment_method", json_string("stripe"));
	json_object_set_new(j, "payment_method_title",
			    json_string("Credit card"));
	json_object_set_new(j, "line_items", lines);
	json_object_set_new(j, "shipping_lines", json_array());
	json_object_set_new(j, "fee_lines", json_array());
	json_object_set_new(j, "coupon_lines", json_array());
	json_object_set_new(j, "refunds", refunds);
	json_object_set_new(j, "meta_data", json_array());
	if (o->tracking[0])
		json_array_append_new(json_object_get(j, "meta_data"),
			json_pack("{s:I,s:s,s:s}", "id", (json_int_t)o->seq,
				  "key", "_tracking_number", "value",
				  o->tracking));
	return j;
}

/* Comma list of statuses; "any" or NULL keeps all. */
static bool keep_status(const struct sim_order *o, const void *ctx)
{
	const char *list = ctx, *st = status_of(o), *p;
	size_t n = strlen(st);

	if (!list || !*list || !strcmp(list, "any"))
		return true;
	for (p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && !strncmp(p, st, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static void invalid_param(struct sim_resp *resp, const char *param,
			  const char *why)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "Invalid parameter(s): %s", param);
	resp_json(resp, 400, json_pack("{s:s,s:s,s:{s:i,s:{s:s}}}", "code",
				       "rest_invalid_param", "message", msg,
				       "data", "status", 400, "params", param,
				       why));
}

static void page_link(struct sim_req *req, char *out, size_t n, long long pg,
		      const char *rel)
{
	size_t off = strlen(out);
	const char *host = req->host;
	char h[64], q[1024] = "";

	if (!host || strlen(host) > 60) {
		snprintf(h, sizeof(h), "127.0.0.1:%u", req->port);
		host = h;
	}
	/* Credentials in the query are not echoed into the link. */
	for (size_t i = 0; i < req->query.n; i++) {
		const char *k = req->query.v[i].key;
		size_t l = strlen(q);

		if (!strcmp(k, "page") || !strcmp(k, "consumer_key") ||
		    !strcmp(k, "consumer_secret"))
			continue;
		snprintf(q + l, sizeof(q) - l, "%s=%s&", k,
			 req->query.v[i].value);
	}
	snprintf(out + off, n - off,
		 "%s<http://%s/%s" WOO_PREFIX "orders?%spage=%lld>; rel=\"%s\"",
		 off ? ", " : "", host, req->shop->code, q, pg, rel);
}

static void list_orders(struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_kvs *p = &req->query;
	const char *ma = kvs_get(p, "modified_after");
	const char *mb = kvs_get(p, "modified_before");
	const char *ca = kvs_get(p, "after"), *cb = kvs_get(p, "before");
	const char *ob = kvs_get(p, "orderby"), *ord = kvs_get(p, "order");
	long long page = 1, per = 10, pages;
	int64_t a = 0, b = INT64_MAX / 2000;
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0, *idx = NULL, cnt = 0;
	char hdr[32], link[2400] = "";
	json_t *arr;

	store_count("woo:orders");
	if (kvs_get(p, "per_page") &&
	    !parse_ll(kvs_get(p, "per_page"), 1, 100, &per)) {
		invalid_param(resp, "per_page", "per_page must be between 1 "
						"(inclusive) and 100 "
						"(inclusive)");
		return;
	}
	if (kvs_get(p, "page") && !parse_ll(kvs_get(p, "page"), 1, 1000000,
					    &page)) {
		invalid_param(resp, "page", "page must be greater than or "
					    "equal to 1");
		return;
	}
	if ((ma && !parse_time(ma, 0, &a)) || (mb && !parse_time(mb, 0, &b)) ||
	    (ca && !parse_time(ca, 0, &a)) || (cb && !parse_time(cb, 0, &b))) {
		invalid_param(resp, ma || mb ? "modified_after" : "after",
			      "Invalid date.");
		return;
	}
	if (ob && strcmp(ob, "date") && strcmp(ob, "id") &&
	    strcmp(ob, "modified")) {
		invalid_param(resp, "orderby", "orderby is not one of date, "
					       "id, modified");
		return;
	}
	if (ord && strcmp(ord, "asc") && strcmp(ord, "desc")) {
		invalid_param(resp, "order", "order is not one of asc, desc");
		return;
	}
	/* The filter picks the field; orderby=modified sorts on it too. */
	q.field = (ma || mb || (ob && !strcmp(ob, "modified"))) && !ca &&
				  !cb ?
			  SIM_BY_MODIFIED :
			  SIM_BY_CREATED;
	q.from_ms = a * 1000;
	q.to_ms = b >= INT64_MAX / 2000 ? INT64_MAX : b * 1000;
	q.ascending = ord && !strcmp(ord, "asc");
	q.keep = keep_status;
	q.keep_ctx = kvs_get(p, "status");
	if (store_select(req->shop, &q, &v, &n) ||
	    sim_page(req->shop, n, (size_t)((page - 1) * per), (size_t)per,
		     &idx, &cnt)) {
		free(v);
		woo_server_error(req, resp, 500);
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < cnt; i++)
		json_array_append_new(arr, order_json(&v[idx[i]]));
	pages = ((long long)n + per - 1) / per;
	snprintf(hdr, sizeof(hdr), "%zu", n);
	resp_header(resp, "X-WP-Total", hdr);
	snprintf(hdr, sizeof(hdr), "%lld", pages);
	resp_header(resp, "X-WP-TotalPages", hdr);
	if (page > 1 && page - 1 <= pages)
		page_link(req, link, sizeof(link), page - 1, "prev");
	if (page < pages)
		page_link(req, link, sizeof(link), page + 1, "next");
	if (link[0])
		resp_header(resp, "Link", link);
	resp_json(resp, 200, arr);
	free(idx);
	free(v);
}

static const char *meta_value(const json_t *meta, const char *key)
{
	size_t i;
	json_t *m;

	json_array_foreach(meta, i, m) {
		const char *k = json_string_value(json_object_get(m, "key"));

		if (k && !strcmp(k, key))
			return json_string_value(json_object_get(m, "value"));
	}
	return NULL;
}

static void update_order(struct sim_req *req, struct sim_resp *resp,
			 const char *id)
{
	json_t *body = req_json(req), *meta, *items;
	const char *st, *tn = NULL, *tp = NULL;
	struct sim_ship sh = { 0 };
	struct sim_order o;
	size_t i;
	json_t *it;

	store_count("woo:orders/{id} PUT");
	if (!json_is_object(body)) {
		woo_error(resp, 400, "rest_invalid_json",
			  "The JSON body passed is invalid.");
		goto out;
	}
	if (!store_get(req->shop, id, &o)) {
		woo_error(resp, 404, "woocommerce_rest_shop_order_invalid_id",
			  "Invalid ID.");
		goto out;
	}
	st = json_string_value(json_object_get(body, "status"));
	meta = json_object_get(body, "meta_data");
	tn = meta_value(meta, "_tracking_number");
	if (!tn)
		tn = meta_value(meta, "tracking_number");
	tp = meta_value(meta, "_tracking_provider");
	if (!tp)
		tp = meta_value(meta, "tracking_provider");
	json_array_foreach(meta, i, it) {
		const char *k = json_string_value(json_object_get(it, "key"));

		items = json_object_get(it, "value");
		if (k && !strcmp(k, "_wc_shipment_tracking_items") &&
		    json_is_array(items)) {
			json_t *t0 = json_array_get(items, 0);

			tn = json_string_value(json_object_get(
				t0, "tracking_number"));
			tp = json_string_value(json_object_get(
				t0, "tracking_provider"));
		}
	}
	if (st && strcmp(st, "completed")) {
		woo_error(resp, 400, "woocommerce_rest_invalid_status",
			  "The simulator accepts status \"completed\" only.");
		goto out;
	}
	if (st) {
		sh.order_id = id;
		sh.tracking = tn;
		sh.carrier = tp;
		sh.request_id = req->request_id;
		switch (store_ship(req->shop, &sh, req->now_ms, &o)) {
		case SIM_SHIP_OK:
		case SIM_SHIP_EDITED:
		case SIM_SHIP_ALREADY: /* completing twice changes nothing */
			break;
		case SIM_SHIP_NOT_FOUND:
			woo_error(resp, 404,
				  "woocommerce_rest_shop_order_invalid_id",
				  "Invalid ID.");
			goto out;
		case SIM_SHIP_CANCELLED:
			woo_error(resp, 400,
				  "woocommerce_rest_invalid_order_status",
				  "Order is cancelled or refunded and cannot "
				  "be completed.");
			goto out;
		default:
			woo_error(resp, 400,
				  "woocommerce_rest_invalid_order_status",
				  "Order is not paid and cannot be "
				  "completed.");
			goto out;
		}
	}
	resp_json(resp, 200, order_json(&o));
out:
	json_decref(body);
}

static json_t *product_json(int sku, long long level, bool managed)
{
	char code[16], title[128];

	snprintf(code, sizeof(code), "SKU-%06d", sku);
	gen_sku_title(sku, false, title, sizeof(title));
	return json_pack("{s:I,s:s,s:s,s:s,s:b,s:I,s:s}", "id",
			 (json_int_t)gen_item_id(sku), "name", title, "sku",
			 code, "type", "simple", "manage_stock", managed,
			 "stock_quantity", (json_int_t)level, "stock_status",
			 level > 0 ? "instock" : "outofstock");
}

static void product(struct sim_req *req, struct sim_resp *resp,
		    const char *id)
{
	json_t *body = NULL, *q;
	long long level = 0;
	int sku = gen_sku_from_item_id(id);

	store_count(!strcmp(req->method, "GET") ? "woo:products/{id}" :
						  "woo:products/{id} PUT");
	if (!sku) {
		woo_error(resp, 404, "woocommerce_rest_product_invalid_id",
			  "Invalid ID.");
		return;
	}
	if (!strcmp(req->method, "GET")) {
		resp_json(resp, 200, product_json(sku, 0, true));
		return;
	}
	body = req_json(req);
	q = json_object_get(body, "stock_quantity");
	if (!json_is_object(body) || !json_is_integer(q)) {
		invalid_param(resp, "stock_quantity",
			      "stock_quantity is not of type integer.");
		json_decref(body);
		return;
	}
	store_stock(req->shop, sku, json_integer_value(q), false, NULL,
		    req->request_id, req->now_ms, &level);
	resp_json(resp, 200, product_json(sku, level, true));
	json_decref(body);
}

static void woo_route(struct sim_req *req, struct sim_resp *resp)
{
	const char *path = req->path, *m = req->method;
	const char *seg[3];
	char buf[256];
	size_t ns;
	struct sim_order o;

	if (strncmp(path, WOO_PREFIX, strlen(WOO_PREFIX))) {
		woo_error(resp, 404, "rest_no_route",
			  "No route was found matching the URL and request "
			  "method.");
		return;
	}
	ns = path_split(path + strlen(WOO_PREFIX), buf, sizeof(buf), seg, 2);
	if (ns == 1 && !strcmp(seg[0], "orders") && !strcmp(m, "GET")) {
		list_orders(req, resp);
	} else if (ns == 2 && !strcmp(seg[0], "orders") && !strcmp(m, "GET")) {
		store_count("woo:orders/{id}");
		if (store_get(req->shop, seg[1], &o))
			resp_json(resp, 200, order_json(&o));
		else
			woo_error(resp, 404,
				  "woocommerce_rest_shop_order_invalid_id",
				  "Invalid ID.");
	} else if (ns == 2 && !strcmp(seg[0], "orders") &&
		   (!strcmp(m, "PUT") || !strcmp(m, "POST") ||
		    !strcmp(m, "PATCH"))) {
		update_order(req, resp, seg[1]);
	} else if (ns == 1 && !strcmp(seg[0], "products") &&
		   !strcmp(m, "GET")) {
		const char *sku = kvs_get(&req->query, "sku");
		int n = gen_sku_from_code(sku);

		store_count("woo:products");
		resp_json(resp, 200, n ? json_pack("[o]", product_json(n, 0,
								      true)) :
					 json_array());
	} else if (ns == 2 && !strcmp(seg[0], "products") &&
		   (!strcmp(m, "GET") || !strcmp(m, "PUT") ||
		    !strcmp(m, "POST") || !strcmp(m, "PATCH"))) {
		product(req, resp, seg[1]);
	} else {
		woo_error(resp, 404, "rest_no_route",
			  "No route was found matching the URL and request "
			  "method.");
	}
}

static void woo_handle(struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_shop *s = req->shop;
	const char *ck = kvs_get(&req->query, "consumer_key");
	const char *cs = kvs_get(&req->query, "consumer_secret");
	bool ok;

	if (req->authorization)
		ok = sign_check_basic(req->authorization, s->app_key,
				      s->secret);
	else
		ok = ck && cs && !strcmp(ck, s->app_key) &&
		     !strcmp(cs, s->secret);
	if (!ok) {
		bool read = !strcmp(req->method, "GET");

		woo_error(resp, 401, read ? "woocommerce_rest_cannot_view" :
					    "woocommerce_rest_cannot_edit",
			  read ? "Sorry, you cannot list resources." :
				 "Sorry, you are not allowed to edit this "
				 "resource.");
		store_count_rejected("token");
		return;
	}
	if (!store_take(s, SIM_OP_LIST, req->now_ms, NULL, NULL, NULL)) {
		woo_throttled(req, resp, 0);
		return;
	}
	woo_route(req, resp);
}

const struct sim_platform_ops sim_woo_ops = {
	SIM_WOO, "woo", woo_handle, woo_throttled, woo_server_error,
};
