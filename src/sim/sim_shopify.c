/*
 * sim_shopify.c - Shopify Admin REST API 2024-01.
 *
 * Under /admin/api/2024-01/: orders.json (cursor paging with page_info
 * in the Link header; with page_info only limit and fields may be
 * sent), orders/{id}.json, orders/{id}/fulfillment_orders.json,
 * fulfillments.json, inventory_levels/set.json, locations.json,
 * variants/{id}.json. X-Shopify-Access-Token authenticates; every
 * authenticated answer carries X-Shopify-Shop-Api-Call-Limit, and the
 * leaky bucket answers 429 with Retry-After.
 *
 * Numbering (stable, derived from the order seq or the SKU number n):
 * order 5400000000000+seq, fulfillment order 6000000000000+seq, its line
 * items 6100000000000+seq*10+k, product 1000000+n, variant 5000000+n,
 * inventory item 7000000+n, one location 65000000001.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define SP_PREFIX "/admin/api/2024-01/"
#define SP_ORDER_BASE 5400000000000LL
#define SP_FO_BASE 6000000000000LL
#define SP_FOLI_BASE 6100000000000LL
#define SP_LOCATION 65000000001LL

static void sp_errors(struct sim_resp *resp, int http, json_t *errors)
{
	resp_json(resp, http, json_pack("{s:o}", "errors", errors));
}

static void sp_throttled(struct sim_req *req, struct sim_resp *resp,
			 double rate)
{
	char b[160];

	(void)req;
	snprintf(b, sizeof(b), "Exceeded %g calls per second for api client. "
			       "Reduce request rates to resume uninterrupted "
			       "service.", rate);
	sp_errors(resp, 429, json_string(b));
	resp_header(resp, "Retry-After", "2.0");
	store_count_throttled();
}

static void sp_server_error(struct sim_req *req, struct sim_resp *resp,
			    int http)
{
	(void)req;
	sp_errors(resp, http,
		  json_string(http == 503 ? "Unavailable Shop" :
					    "Internal Server Error"));
}

static void iso(int64_t epoch_s, char *buf, size_t n)
{
	char t[32];

	fmt_iso_plain(epoch_s, t, sizeof(t));
	snprintf(buf, n, "%s+00:00", t);
}

static json_t *jtime(int64_t ms)
{
	char t[40];

	if (!ms)
		return json_null();
	iso(ms / 1000, t, sizeof(t));
	return json_string(t);
}

static json_t *jmoney(int64_t minor)
{
	char b[32];

	fmt_money(minor, b, sizeof(b));
	return json_string(b);
}

static const char *financial(const struct sim_order *o)
{
	if (o->state == SIM_UNPAID)
		return "pending";
	if (o->state == SIM_CANCELLED)
		return o->cancelled_after_pay ? "refunded" : "voided";
	for (int k = 0; k < o->nlines; k++)
		if (o->lines[k].refund)
			return "refunded";
	return "paid";
}

static json_t *fulfillment(const struct sim_order *o)
{
	if (o->state == SIM_SHIPPED)
		return json_string("fulfilled");
	if (o->state == SIM_PART_SHIPPED)
		return json_string("partial");
	return json_null();
}

static json_t *order_json(const struct sim_order *o)
{
	json_t *j, *lines = json_array(), *refunds = json_array();
	json_t *ship;
	int64_t goods = 0;
	char name[112], t[40];
	bool refunded = !strcmp(financial(o), "refunded");

	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		char title[128], sku[16];
		int left = ln->qty - ln->shipped;

		goods += ln->price * ln->qty;
		gen_sku_title(ln->sku, false, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		json_array_append_new(lines, json_pack(
			"{s:I,s:I,s:I,s:s,s:s,s:s,s:i,s:o,s:o,s:i,s:o,s:b}",
			"id", (json_int_t)strtoll(ln->id, NULL, 10),
			"variant_id", (json_int_t)gen_sku_id(ln->sku),
			"product_id", (json_int_t)gen_item_id(ln->sku),
			"sku", sku, "title", title, "name", title,
			"quantity", ln->qty, "price", jmoney(ln->price),
			"total_discount", jmoney(k ? 0 : o->discount),
			"fulfillable_quantity",
			o->state == SIM_CANCELLED || refunded ? 0 : left,
			"fulfillment_status",
			ln->shipped >= ln->qty ? json_string("fulfilled") :
						 json_null(),
			"requires_shipping", 1));
	}
	if (refunded)
		json_array_append_new(refunds, json_pack(
			"{s:I,s:I,s:o,s:s}", "id",
			(json_int_t)(8000000000000LL + (int64_t)o->seq),
			"order_id", (json_int_t)strtoll(o->id, NULL, 10),
			"created_at", jtime(o->modified_ms), "note",
			"buyer asked for a refund"));
	snprintf(name, sizeof(name), "%s %s", o->first, o->last);
	ship = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
			 "first_name", o->first, "last_name", o->last,
			 "name", name, "address1", o->street, "address2", "",
			 "city", o->city, "province", o->province,
			 "province_code", o->province_code, "zip", o->zip,
			 "country_code", o->country, "phone", o->phone);
	j = json_pack("{s:I,s:s,s:s,s:I,s:s}",
		      "id", (json_int_t)strtoll(o->id, NULL, 10),
		      "admin_graphql_api_id", "", "name", o->number,
		      "order_number", (json_int_t)(1000 + o->seq),
		      "email", o->email);
	snprintf(t, sizeof(t), "gid://shopify/Order/%s", o->id);
	json_object_set_new(j, "admin_graphql_api_id", json_string(t));
	json_object_set_new(j, "created_at", jtime(o->created_ms));
	json_object_set_new(j, "updated_at", jtime(o->modified_ms));
	json_object_set_new(j, "processed_at", jtime(o->created_ms));
	json_object_set_new(j, "cancelled_at",
			    jtime(o->state == SIM_CANCELLED ? o->modified_ms :
							      0));
	json_object_set_new(j, "cancel_reason",
			    o->state == SIM_CANCELLED ?
				    json_string("customer") : json_null());
	json_object_set_new(j, "closed_at",
			    jtime(o->state == SIM_SHIPPED ? o->shipped_ms :
							    0));
	json_object_set_new(j, "currency", json_string(o->currency));
	json_object_set_new(j, "presentment_currency",
			    json_string(o->currency));
	json_object_set_new(j, "financial_status",
			    json_string(financial(o)));
	json_object_set_new(j, "fulfillment_status", fulfillment(o));
	json_object_set_new(j, "total_line_items_price", jmoney(goods));
	json_object_set_new(j, "subtotal_price", jmoney(goods - o->discount));
	json_object_set_new(j, "total_discounts", jmoney(o->discount));
	json_object_set_new(j, "total_tax", jmoney(0));
	json_object_set_new(j, "total_price",
			    jmoney(goods - o->discount + o->shipping_fee));
	json_object_set_new(j, "total_shipping_price_set", json_pack(
		"{s:{s:o,s:s},s:{s:o,s:s}}", "shop_money", "amount",
		jmoney(o->shipping_fee), "currency_code", o->currency,
		"presentment_money", "amount", jmoney(o->shipping_fee),
		"currency_code", o->currency));
	json_object_set_new(j, "customer", json_pack(
		"{s:I,s:s,s:s,s:s}", "id",
		(json_int_t)(7700000000000LL + (int64_t)o->seq), "email",
		o->email, "first_name", o->first, "last_name", o->last));
	json_object_set_new(j, "shipping_address", ship);
	json_object_set_new(j, "note", json_null());
	json_object_set_new(j, "tags", json_string(""));
	json_object_set_new(j, "line_items", lines);
	json_object_set_new(j, "refunds", refunds);
	return j;
}

/* Drops the members that fields= did not name. */
static void apply_fields(json_t *o, const char *fields)
{
	const char *key;
	json_t *v;
	void *tmp;

	if (!fields || !*fields)
		return;
	json_object_foreach_safe(o, tmp, key, v) {
		const char *p = fields;
		size_t kl = strlen(key);
		bool keep = false;

		while (*p && !keep) {
			const char *e = strchr(p, ',');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			while (l && *p == ' ') {
				p++;
				l--;
			}
			keep = l == kl && !strncmp(p, key, l);
			p = e ? e + 1 : p + l;
		}
		if (!keep)
			json_object_del(o, key);
	}
}

enum sp_status { SP_OPEN, SP_CLOSED, SP_CANCELLED, SP_ANY };

struct cursor {
	long long field, asc, status, from, to, limit, key, seq;
	char fields[200];
};

static char *cursor_encode(const struct cursor *c)
{
	char b[400];

	snprintf(b, sizeof(b), "%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%s",
		 c->field, c->asc, c->status, c->from, c->to, c->limit, c->key,
		 c->seq, c->fields);
	return b64_encode(b, strlen(b));
}

static bool cursor_decode(const char *tok, struct cursor *c)
{
	long long *f[] = { &c->field, &c->asc, &c->status, &c->from,
			   &c->to, &c->limit, &c->key, &c->seq };
	unsigned char *raw;
	char *p, *s;
	size_t n;
	bool ok = true;

	raw = b64_decode(tok, &n);
	if (!raw)
		return false;
	p = (char *)raw;
	for (size_t i = 0; ok && i < 8; i++) {
		s = strchr(p, ',');
		if (!s) {
			ok = false;
			break;
		}
		*s = '\0';
		ok = parse_ll(p, INT64_MIN, INT64_MAX, f[i]);
		p = s + 1;
	}
	if (ok)
		snprintf(c->fields, sizeof(c->fields), "%s", p);
	free(raw);
	return ok && c->status >= SP_OPEN && c->status <= SP_ANY &&
	       c->field >= 0 && c->field <= 1;
}

static bool keep_status(const struct sim_order *o, const void *ctx)
{
	const long long *st = ctx;

	switch (*st) {
	case SP_OPEN:
		return o->state != SIM_CANCELLED && o->state != SIM_SHIPPED;
	case SP_CLOSED:
		return o->state == SIM_SHIPPED;
	case SP_CANCELLED:
		return o->state == SIM_CANCELLED;
	default:
		return true;
	}
}

static void link_for(struct sim_req *req, const struct cursor *c,
		     const char *rel, char *out, size_t n, size_t off)
{
	char *tok = cursor_encode(c);
	const char *host = req->host;
	char h[64];

	if (!host || strlen(host) > 60) {
		snprintf(h, sizeof(h), "127.0.0.1:%u", req->port);
		host = h;
	}
	if (tok)
		snprintf(out + off, n - off,
			 "%s<http://%s/%s" SP_PREFIX
			 "orders.json?limit=%lld&page_info=%s>; rel=\"%s\"",
			 off ? ", " : "", host, req->shop->code, c->limit,
			 tok, rel);
	free(tok);
}

static bool cursor_from_query(struct sim_req *req, struct sim_resp *resp,
			      struct cursor *c)
{
	const struct sim_kvs *p = &req->query;
	const char *st = kvs_get(p, "status"), *order = kvs_get(p, "order");
	const char *umin = kvs_get(p, "updated_at_min");
	const char *umax = kvs_get(p, "updated_at_max");
	const char *cmin = kvs_get(p, "created_at_min");
	const char *cmax = kvs_get(p, "created_at_max");
	const char *fields = kvs_get(p, "fields");
	int64_t a = 0, b = INT64_MAX / 2000;

	memset(c, 0, sizeof(*c));
	c->status = SP_OPEN;
	if (st && !strcmp(st, "any"))
		c->status = SP_ANY;
	else if (st && !strcmp(st, "closed"))
		c->status = SP_CLOSED;
	else if (st && !strcmp(st, "cancelled"))
		c->status = SP_CANCELLED;
	else if (st && strcmp(st, "open"))
		goto bad;
	c->field = (umin || umax) ? SIM_BY_MODIFIED : SIM_BY_CREATED;
	if ((umin || umax) && (cmin || cmax))
		goto bad;
	if ((umin && !parse_time(umin, 0, &a)) ||
	    (umax && !parse_time(umax, 0, &b)) ||
	    (cmin && !parse_time(cmin, 0, &a)) ||
	    (cmax && !parse_time(cmax, 0, &b)))
		goto bad;
	c->from = a;
	c->to = b;
	c->asc = 0;
	if (order) {
		if (!strcmp(order, "updated_at asc") ||
		    !strcmp(order, "updated_at desc"))
			c->field = SIM_BY_MODIFIED;
		else if (!strcmp(order, "created_at asc") ||
			 !strcmp(order, "created_at desc"))
			c->field = SIM_BY_CREATED;
		else
			goto bad;
		c->asc = strstr(order, " asc") != NULL;
	}
	c->limit = 50;
	if (kvs_get(p, "limit") &&
	    !parse_ll(kvs_get(p, "limit"), 1, 250, &c->limit))
		goto bad;
	c->key = INT64_MIN;
	snprintf(c->fields, sizeof(c->fields), "%s", fields ? fields : "");
	return true;
bad:
	sp_errors(resp, 400, json_pack("{s:[s]}", "base",
				       "Invalid status, order, limit or date "
				       "filter"));
	return false;
}

static void list_orders(struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_kvs *p = &req->query;
	const char *pi = kvs_get(p, "page_info");
	struct cursor c, nc;
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0, first, *idx = NULL, cnt = 0;
	char link[2048] = "";
	json_t *arr;

	store_count("shopify:orders.json");
	if (pi) {
		for (size_t i = 0; i < p->n; i++) {
			const char *k = p->v[i].key;

			if (strcmp(k, "page_info") && strcmp(k, "limit") &&
			    strcmp(k, "fields")) {
				sp_errors(resp, 400, json_pack(
					"{s:[s]}", "page_info",
					"Only limit and fields may accompany "
					"page_info"));
				return;
			}
		}
		if (!cursor_decode(pi, &c)) {
			sp_errors(resp, 400, json_pack("{s:[s]}", "page_info",
						       "Invalid value."));
			return;
		}
		if (kvs_get(p, "limit") &&
		    !parse_ll(kvs_get(p, "limit"), 1, 250, &c.limit)) {
			sp_errors(resp, 400, json_pack("{s:[s]}", "limit",
						       "Invalid value."));
			return;
		}
		if (kvs_get(p, "fields"))
			snprintf(c.fields, sizeof(c.fields), "%s",
				 kvs_get(p, "fields"));
	} else if (!cursor_from_query(req, resp, &c)) {
		return;
	}
	q.field = (enum sim_time_field)c.field;
	q.from_ms = c.from * 1000;
	q.to_ms = c.to >= INT64_MAX / 2000 ? INT64_MAX : c.to * 1000;
	q.ascending = c.asc;
	q.keep = keep_status;
	q.keep_ctx = &c.status;
	if (store_select(req->shop, &q, &v, &n)) {
		sp_server_error(req, resp, 500);
		return;
	}
	first = sim_after(v, n, q.field, q.ascending, c.key, (uint64_t)c.seq);
	if (sim_page(req->shop, n, first, (size_t)c.limit, &idx, &cnt)) {
		free(v);
		sp_server_error(req, resp, 500);
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < cnt; i++) {
		json_t *o = order_json(&v[idx[i]]);

		apply_fields(o, c.fields);
		json_array_append_new(arr, o);
	}
	if (first > 0) {
		size_t pf = first > (size_t)c.limit ? first - c.limit : 0;

		nc = c;
		nc.key = INT64_MIN;
		if (pf > 0) {
			nc.key = sim_key_s(&v[pf - 1], q.field);
			nc.seq = (long long)v[pf - 1].seq;
		}
		link_for(req, &nc, "previous", link, sizeof(link), 0);
	}
	if (first + (size_t)c.limit < n) {
		const struct sim_order *last = &v[first + c.limit - 1];

		nc = c;
		nc.key = sim_key_s(last, q.field);
		nc.seq = (long long)last->seq;
		link_for(req, &nc, "next", link, sizeof(link), strlen(link));
	}
	if (link[0])
		resp_header(resp, "Link", link);
	resp_json(resp, 200, json_pack("{s:o}", "orders", arr));
	free(idx);
	free(v);
}

static bool order_by_id(struct sim_req *req, const char *id,
			struct sim_order *o)
{
	return store_get(req->shop, id, o);
}

static json_t *fo_json(const struct sim_order *o)
{
	const char *st = "open";
	json_t *lines = json_array();
	long long fo = SP_FO_BASE + (long long)o->seq;

	if (o->state == SIM_CANCELLED)
		st = "cancelled";
	else if (o->state == SIM_SHIPPED)
		st = "closed";
	else if (o->state == SIM_PART_SHIPPED)
		st = "in_progress";
	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		int left = ln->qty - ln->shipped;

		json_array_append_new(lines, json_pack(
			"{s:I,s:I,s:i,s:I,s:I,s:i,s:I}", "id",
			(json_int_t)(SP_FOLI_BASE + (long long)o->seq * 10 + k),
			"fulfillment_order_id", (json_int_t)fo, "quantity",
			ln->qty, "line_item_id",
			(json_int_t)strtoll(ln->id, NULL, 10),
			"inventory_item_id",
			(json_int_t)gen_inventory_item_id(ln->sku),
			"fulfillable_quantity",
			o->state == SIM_CANCELLED ? 0 : left, "variant_id",
			(json_int_t)gen_sku_id(ln->sku)));
	}
	return json_pack("{s:I,s:I,s:I,s:s,s:s,s:o}", "id", (json_int_t)fo,
			 "order_id", (json_int_t)strtoll(o->id, NULL, 10),
			 "assigned_location_id", (json_int_t)SP_LOCATION,
			 "request_status", "unsubmitted", "status", st,
			 "line_items", lines);
}

static void fulfill(struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = req_json(req), *f, *groups, *g, *ti, *foli, *li;
	struct sim_ship_item items[SIM_MAX_LINES];
	struct sim_ship sh = { 0 };
	struct sim_order o, after;
	char oid[32], msg[160];
	const char *st;
	size_t i, nitems = 0;
	long long fo;

	store_count("shopify:fulfillments.json");
	f = json_object_get(body, "fulfillment");
	groups = json_object_get(f, "line_items_by_fulfillment_order");
	if (!json_is_array(groups) || json_array_size(groups) != 1 ||
	    !json_is_integer(json_object_get(json_array_get(groups, 0),
					     "fulfillment_order_id"))) {
		sp_errors(resp, 400, json_pack(
			"{s:[s]}", "fulfillment",
			"Required parameter missing or invalid: "
			"line_items_by_fulfillment_order"));
		goto out;
	}
	g = json_array_get(groups, 0);
	fo = json_integer_value(json_object_get(g, "fulfillment_order_id"));
	snprintf(oid, sizeof(oid), "%lld",
		 SP_ORDER_BASE + (fo - SP_FO_BASE));
	if (fo <= SP_FO_BASE || !order_by_id(req, oid, &o)) {
		sp_errors(resp, 404, json_string("Not Found"));
		goto out;
	}
	foli = json_object_get(g, "fulfillment_order_line_items");
	json_array_foreach(foli, i, li) {
		long long id = json_integer_value(json_object_get(li, "id"));
		long long q = json_integer_value(json_object_get(li,
								 "quantity"));
		long long k = id - SP_FOLI_BASE - (long long)o.seq * 10;

		if (k < 0 || k >= o.nlines || nitems >= SIM_MAX_LINES ||
		    q <= 0) {
			sp_errors(resp, 422, json_pack(
				"{s:[s]}", "base",
				"Invalid fulfillment order line item"));
			goto out;
		}
		snprintf(items[nitems].line_id, sizeof(items[0].line_id),
			 "%s", o.lines[k].id);
		items[nitems++].qty = (int)q;
	}
	ti = json_object_get(f, "tracking_info");
	sh.order_id = oid;
	sh.tracking = json_string_value(json_object_get(ti, "number"));
	sh.carrier = json_string_value(json_object_get(ti, "company"));
	sh.items = nitems ? items : NULL;
	sh.nitems = nitems;
	sh.request_id = req->request_id;
	switch (store_ship(req->shop, &sh, req->now_ms, &after)) {
	case SIM_SHIP_OK:
	case SIM_SHIP_EDITED:
		resp_json(resp, 201, json_pack(
			"{s:{s:I,s:I,s:s,s:o,s:s,s:s,s:s,s:[s],s:o}}",
			"fulfillment", "id",
			(json_int_t)(9000000000000LL + (long long)o.seq * 10 +
				     after.packages),
			"order_id", (json_int_t)strtoll(oid, NULL, 10),
			"status", "success", "created_at",
			jtime(req->now_ms), "service", "manual",
			"tracking_company", sh.carrier ? sh.carrier : "",
			"tracking_number", sh.tracking ? sh.tracking : "",
			"tracking_numbers", sh.tracking ? sh.tracking : "",
			"tracking_url",
			json_is_string(json_object_get(ti, "url")) ?
				json_incref(json_object_get(ti, "url")) :
				json_null()));
		goto out;
	case SIM_SHIP_CANCELLED:
		st = "cancelled";
		break;
	case SIM_SHIP_ALREADY:
		st = "closed";
		break;
	case SIM_SHIP_UNPAID:
		st = "scheduled";
		break;
	default:
		st = "incomplete";
		break;
	}
	snprintf(msg, sizeof(msg), "Fulfillment order %lld has an "
				   "unfulfillable status= %s.", fo, st);
	sp_errors(resp, 422, json_pack("{s:[s]}", "base", msg));
out:
	json_decref(body);
}

static void inventory_set(struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = req_json(req);
	json_t *loc = json_object_get(body, "location_id");
	json_t *item = json_object_get(body, "inventory_item_id");
	json_t *av = json_object_get(body, "available");
	long long level, id;
	char ids[24];
	int sku;

	store_count("shopify:inventory_levels/set.json");
	if (!json_is_integer(loc) || !json_is_integer(item) ||
	    !json_is_integer(av)) {
		sp_errors(resp, 400, json_pack(
			"{s:[s]}", "base", "location_id, inventory_item_id "
					   "and available are required"));
		goto out;
	}
	id = json_integer_value(item);
	snprintf(ids, sizeof(ids), "%lld", id - 7000000 + 5000000);
	sku = id > 7000000 ? gen_sku_from_sku_id(ids) : 0;
	if (json_integer_value(loc) != SP_LOCATION || !sku) {
		sp_errors(resp, 422, json_pack(
			"{s:[s]}", "base", "Inventory item does not exist or "
					   "is not stocked at the location"));
		goto out;
	}
	store_stock(req->shop, sku, json_integer_value(av), false, NULL,
		    req->request_id, req->now_ms, &level);
	resp_json(resp, 200, json_pack(
		"{s:{s:I,s:I,s:I,s:o}}", "inventory_level", "inventory_item_id",
		(json_int_t)id, "location_id", (json_int_t)SP_LOCATION,
		"available", (json_int_t)level, "updated_at",
		jtime(req->now_ms)));
out:
	json_decref(body);
}

static void variant(struct sim_resp *resp, const char *file)
{
	char id[32], sku_code[16];
	size_t l = strlen(file);
	int sku;

	store_count("shopify:variants/{id}.json");
	if (l < 6 || l - 5 >= sizeof(id) || strcmp(file + l - 5, ".json")) {
		sp_errors(resp, 404, json_string("Not Found"));
		return;
	}
	snprintf(id, sizeof(id), "%.*s", (int)(l - 5), file);
	sku = gen_sku_from_sku_id(id);
	if (!sku) {
		sp_errors(resp, 404, json_string("Not Found"));
		return;
	}
	snprintf(sku_code, sizeof(sku_code), "SKU-%06d", sku);
	resp_json(resp, 200, json_pack(
		"{s:{s:I,s:I,s:s,s:I,s:o}}", "variant", "id",
		(json_int_t)gen_sku_id(sku), "product_id",
		(json_int_t)gen_item_id(sku), "sku", sku_code,
		"inventory_item_id", (json_int_t)gen_inventory_item_id(sku),
		"price", jmoney(gen_sku_price(sku))));
}

static void sp_route(struct sim_req *req, struct sim_resp *resp)
{
	const char *path = req->path, *m = req->method;
	const char *seg[4];
	char buf[256], id[40];
	size_t ns;
	struct sim_order o;

	if (strncmp(path, SP_PREFIX, strlen(SP_PREFIX))) {
		sp_errors(resp, 404, json_string("Not Found"));
		return;
	}
	path += strlen(SP_PREFIX);
	ns = path_split(path, buf, sizeof(buf), seg, 3);
	if (ns == 1 && !strcmp(seg[0], "orders.json") && !strcmp(m, "GET")) {
		list_orders(req, resp);
	} else if (ns == 2 && !strcmp(seg[0], "orders") && !strcmp(m, "GET")) {
		size_t l = strlen(seg[1]);

		store_count("shopify:orders/{id}.json");
		snprintf(id, sizeof(id), "%.*s", (int)(l > 5 ? l - 5 : 0),
			 seg[1]);
		if (l > 5 && !strcmp(seg[1] + l - 5, ".json") &&
		    order_by_id(req, id, &o))
			resp_json(resp, 200, json_pack("{s:o}", "order",
						       order_json(&o)));
		else
			sp_errors(resp, 404, json_string("Not Found"));
	} else if (ns == 3 && !strcmp(seg[0], "orders") &&
		   !strcmp(seg[2], "fulfillment_orders.json") &&
		   !strcmp(m, "GET")) {
		store_count("shopify:fulfillment_orders.json");
		if (order_by_id(req, seg[1], &o))
			resp_json(resp, 200, json_pack("{s:[o]}",
						       "fulfillment_orders",
						       fo_json(&o)));
		else
			sp_errors(resp, 404, json_string("Not Found"));
	} else if (ns == 1 && !strcmp(seg[0], "fulfillments.json") &&
		   !strcmp(m, "POST")) {
		fulfill(req, resp);
	} else if (ns == 2 && !strcmp(seg[0], "inventory_levels") &&
		   !strcmp(seg[1], "set.json") && !strcmp(m, "POST")) {
		inventory_set(req, resp);
	} else if (ns == 1 && !strcmp(seg[0], "locations.json")) {
		store_count("shopify:locations.json");
		resp_json(resp, 200, json_pack(
			"{s:[{s:I,s:s,s:b,s:s}]}", "locations", "id",
			(json_int_t)SP_LOCATION, "name", "Hangzhou DC",
			"active", 1, "country_code", "CN"));
	} else if (ns == 2 && !strcmp(seg[0], "variants") &&
		   !strcmp(m, "GET")) {
		variant(resp, seg[1]);
	} else {
		sp_errors(resp, 404, json_string("Not Found"));
	}
}

static void sp_handle(struct sim_req *req, struct sim_resp *resp)
{
	int used = 0, cap = 0;
	double rate;
	char b[32];

	if (!req->shopify_token || strcmp(req->shopify_token,
					  req->shop->token)) {
		sp_errors(resp, 401, json_string(
			"[API] Invalid API key or access token (unrecognized "
			"login or wrong password)"));
		store_count_rejected("token");
		return;
	}
	if (!store_take(req->shop, SIM_OP_LIST, req->now_ms, &rate, &used,
			&cap))
		sp_throttled(req, resp, rate);
	else
		sp_route(req, resp);
	snprintf(b, sizeof(b), "%d/%d", used, cap);
	resp_header(resp, "X-Shopify-Shop-Api-Call-Limit", b);
}

const struct sim_platform_ops sim_shopify_ops = {
	SIM_SHOPIFY, "shopify", sp_handle, sp_throttled, sp_server_error,
};
