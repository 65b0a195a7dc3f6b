/*
 * sim_amazon.c - Amazon SP-API and Login with Amazon, US marketplace.
 *
 * POST /auth/o2/token (LWA refresh grant), POST /tokens/2021-03-01/
 * restrictedDataToken, GET /orders/v0/orders (NextToken paging; the
 * other filters are ignored when NextToken is sent), GET /orders/v0/
 * orders/{id}, GET .../{id}/orderItems, POST .../{id}/
 * shipmentConfirmation (204; the same packageReferenceId edits),
 * PATCH /listings/2021-08-01/items/{sellerId}/{sku}.
 * Access tokens ("Atza|...", or the static demo token) go in
 * x-amz-access-token; LWA and RDT tokens are self-verifying (an expiry
 * and an HMAC under the shop secret), so nothing is stored for them.
 * Errors: {"errors":[{"code","message","details"}]} with 400/403/404/
 * 429; every answer carries x-amzn-RequestId and x-amzn-RateLimit-Limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define AMZ_MARKETPLACE "ATVPDKIKX0DER"
#define AMZ_SELLER "A1DEMOAMZUS001"

static const char *const statuses[] = {
	"Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled",
	"Unfulfillable", "PendingAvailability", "InvoiceUnconfirmed",
};

#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

static void rate_header(struct sim_resp *resp, double rate)
{
	char b[32];

	snprintf(b, sizeof(b), "%g", rate);
	resp_header(resp, "x-amzn-RateLimit-Limit", b);
}

static void amz_error(struct sim_req *req, struct sim_resp *resp, int http,
		      const char *code, const char *message,
		      const char *details)
{
	resp_json(resp, http, json_pack("{s:[{s:s,s:s,s:s}]}", "errors",
					"code", code, "message", message,
					"details", details ? details : ""));
	(void)req;
}

static void amz_throttled(struct sim_req *req, struct sim_resp *resp,
			  double rate)
{
	amz_error(req, resp, 429, "QuotaExceeded",
		  "You exceeded your quota for the requested resource.", "");
	rate_header(resp, rate);
	store_count_throttled();
}

static void amz_server_error(struct sim_req *req, struct sim_resp *resp,
			     int http)
{
	if (http == 503)
		amz_error(req, resp, 503, "ServiceUnavailable",
			  "Service temporarily unavailable.", "");
	else
		amz_error(req, resp, http, "InternalFailure",
			  "We encountered an internal error. Please try "
			  "again.", "");
}

static const char *status_of(const struct sim_order *o)
{
	switch (o->state) {
	case SIM_UNPAID:
		return "Pending";
	case SIM_PAID:
		return "Unshipped";
	case SIM_PART_SHIPPED:
		return "PartiallyShipped";
	case SIM_SHIPPED:
		return "Shipped";
	case SIM_CANCELLED:
		return "Canceled";
	}
	return "Pending";
}

static int status_index(const char *s)
{
	for (size_t i = 0; i < NSTATUS; i++)
		if (!strcmp(statuses[i], s))
			return (int)i;
	return -1;
}

/* ---- tokens ---- */

/* "<prefix><expiry>|<mac>" under the shop secret; malloc'd. */
static char *token_make(const struct sim_shop *s, const char *prefix,
			int64_t expiry)
{
	char data[64], mac[65], *t;
	size_t n;

	snprintf(data, sizeof(data), "%s%lld", prefix, (long long)expiry);
	if (!sign_shopify_webhook(data, strlen(data), s->secret, mac))
		return NULL;
	n = strlen(data) + strlen(mac) + 2;
	t = malloc(n);
	if (t)
		snprintf(t, n, "%s|%s", data, mac);
	return t;
}

/* 0 bad, 1 access token, 2 restricted data token. */
static int token_check(const struct sim_req *req)
{
	const struct sim_shop *s = req->shop;
	const char *t = req->amz_token;
	static const char *const prefixes[] = { "Atza|", "Atz.sprdt|" };

	if (!t)
		return 0;
	if (!strcmp(t, s->token))
		return 1;
	for (int k = 0; k < 2; k++) {
		const char *bar;
		long long exp;
		char num[24], *want;
		size_t pl = strlen(prefixes[k]);
		int ok;

		if (strncmp(t, prefixes[k], pl))
			continue;
		bar = strchr(t + pl, '|');
		if (!bar || (size_t)(bar - t - pl) >= sizeof(num))
			return 0;
		memcpy(num, t + pl, (size_t)(bar - t - pl));
		num[bar - t - pl] = '\0';
		if (!parse_ll(num, 0, INT64_MAX / 2, &exp) ||
		    exp < req->now_ms / 1000)
			return 0;
		want = token_make(s, prefixes[k], exp);
		ok = want && !strcmp(want, t);
		free(want);
		return ok ? k + 1 : 0;
	}
	return 0;
}

static void lwa(struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_shop *s = req->shop;
	const char *grant = kvs_get(&req->form, "grant_type");
	const char *cid = kvs_get(&req->form, "client_id");
	const char *cs = kvs_get(&req->form, "client_secret");
	const char *rt = kvs_get(&req->form, "refresh_token");
	char *tok;

	store_count("amazon:lwa.token");
	if (!grant || strcmp(grant, "refresh_token")) {
		resp_json(resp, 400, json_pack(
			"{s:s,s:s}", "error", "unsupported_grant_type",
			"error_description", "The authorization grant type is "
					     "not supported by the "
					     "authorization server"));
		return;
	}
	if (!cid || !cs || strcmp(cid, s->app_key) || strcmp(cs, s->secret)) {
		resp_json(resp, 401, json_pack(
			"{s:s,s:s}", "error", "invalid_client",
			"error_description", "Client authentication failed"));
		store_count_rejected("token");
		return;
	}
	if (!rt || strcmp(rt, s->refresh)) {
		resp_json(resp, 400, json_pack(
			"{s:s,s:s}", "error", "invalid_grant",
			"error_description", "The request has an invalid grant "
					     "parameter : refresh_token"));
		store_count_rejected("token");
		return;
	}
	tok = token_make(s, "Atza|", req->now_ms / 1000 + 3600);
	if (!tok) {
		amz_server_error(req, resp, 500);
		return;
	}
	resp_json(resp, 200, json_pack("{s:s,s:s,s:s,s:i}", "access_token",
				       tok, "refresh_token", s->refresh,
				       "token_type", "bearer", "expires_in",
				       3600));
	free(tok);
}

static void rdt(struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = req_json(req);
	char *tok;

	store_count("amazon:createRestrictedDataToken");
	if (!json_is_array(json_object_get(body, "restrictedResources"))) {
		json_decref(body);
		amz_error(req, resp, 400, "InvalidInput",
			  "restrictedResources is required", "");
		return;
	}
	json_decref(body);
	tok = token_make(req->shop, "Atz.sprdt|", req->now_ms / 1000 + 3600);
	if (!tok) {
		amz_server_error(req, resp, 500);
		return;
	}
	resp_json(resp, 200, json_pack("{s:s,s:i}", "restrictedDataToken",
				       tok, "expiresIn", 3600));
	free(tok);
}

/* ---- orders ---- */

static json_t *money(const char *cur, int64_t minor)
{
	char b[32];

	fmt_money(minor, b, sizeof(b));
	return json_pack("{s:s,s:s}", "CurrencyCode", cur, "Amount", b);
}

static json_t *order_json(const struct sim_order *o, bool pii)
{
	char t[32], b[64];
	int64_t total = o->shipping_fee - o->discount;
	int shipped = 0, unshipped = 0;
	json_t *j, *addr;

	for (int k = 0; k < o->nlines; k++) {
		total += o->lines[k].price * o->lines[k].qty;
		shipped += o->lines[k].shipped;
		unshipped += o->lines[k].qty - o->lines[k].shipped;
	}
	if (o->state == SIM_CANCELLED)
		unshipped = 0;
	snprintf(b, sizeof(b), "SO-%06llu", (unsigned long long)o->seq);
	j = json_pack("{s:s,s:s}", "AmazonOrderId", o->id, "SellerOrderId", b);
	fmt_iso_utc(o->created_ms / 1000, t, sizeof(t));
	json_object_set_new(j, "PurchaseDate", json_string(t));
	fmt_iso_utc(o->modified_ms / 1000, t, sizeof(t));
	json_object_set_new(j, "LastUpdateDate", json_string(t));
	json_object_set_new(j, "OrderStatus", json_string(status_of(o)));
	json_object_set_new(j, "FulfillmentChannel", json_string("MFN"));
	json_object_set_new(j, "SalesChannel", json_string("Amazon.com"));
	json_object_set_new(j, "ShipServiceLevel",
			    json_string("Std US D2D Dom"));
	json_object_set_new(j, "OrderTotal", money(o->currency, total));
	json_object_set_new(j, "NumberOfItemsShipped", json_integer(shipped));
	json_object_set_new(j, "NumberOfItemsUnshipped",
			    json_integer(unshipped));
	json_object_set_new(j, "PaymentMethod", json_string("Other"));
	json_object_set_new(j, "MarketplaceId", json_string(AMZ_MARKETPLACE));
	json_object_set_new(j, "ShipmentServiceLevelCategory",
			    json_string("Standard"));
	json_object_set_new(j, "OrderType", json_string("StandardOrder"));
	fmt_iso_utc(o->created_ms / 1000 + 86400, t, sizeof(t));
	json_object_set_new(j, "EarliestShipDate", json_string(t));
	fmt_iso_utc(o->created_ms / 1000 + 3 * 86400, t, sizeof(t));
	json_object_set_new(j, "LatestShipDate", json_string(t));
	json_object_set_new(j, "IsBusinessOrder", json_false());
	json_object_set_new(j, "IsPrime", json_false());
	json_object_set_new(j, "IsReplacementOrder", json_false());
	addr = json_pack("{s:s,s:s,s:s,s:s}", "City", o->city,
			 "StateOrRegion", o->province_code, "PostalCode",
			 o->zip, "CountryCode", o->country);
	if (pii) {
		snprintf(b, sizeof(b), "%s %s", o->first, o->last);
		json_object_set_new(addr, "Name", json_string(b));
		json_object_set_new(addr, "AddressLine1",
				    json_string(o->street));
		json_object_set_new(addr, "Phone", json_string(o->phone));
		json_object_set_new(addr, "AddressType",
				    json_string("Residential"));
		json_object_set_new(j, "BuyerInfo",
				    json_pack("{s:s,s:s}", "BuyerEmail",
					      o->email, "BuyerName", b));
	} else {
		json_object_set_new(j, "BuyerInfo", json_object());
	}
	json_object_set_new(j, "ShippingAddress", addr);
	for (int k = 0; k < o->nlines; k++) {
		if (o->lines[k].refund) {
			json_object_set_new(j, "BuyerRequestedCancel",
				json_pack("{s:s,s:s}",
					  "IsBuyerRequestedCancel", "true",
					  "BuyerCancelReason",
					  "Changed my mind"));
			break;
		}
	}
	return j;
}

/* A page position: the filters and the last (second, seq) seen. */
struct cursor {
	long long field, from, to, mask, per_page, key, seq;
};

static char *cursor_encode(const struct cursor *c)
{
	char b[256];

	snprintf(b, sizeof(b), "v1,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%llx",
		 c->field, c->from, c->to, c->mask, c->per_page, c->key,
		 c->seq,
		 (unsigned long long)sim_mix((uint64_t)(c->key ^ c->seq ^
							c->from ^ c->to ^
							c->mask)) & 0xffff);
	return b64_encode(b, strlen(b));
}

static bool cursor_decode(const char *tok, struct cursor *c)
{
	unsigned char *raw;
	long long *f[] = { &c->field, &c->from, &c->to, &c->mask,
			   &c->per_page, &c->key, &c->seq };
	char *p, *s;
	size_t n;
	bool ok = true;

	raw = b64_decode(tok, &n);
	if (!raw)
		return false;
	p = (char *)raw;
	if (strncmp(p, "v1,", 3)) {
		free(raw);
		return false;
	}
	p += 3;
	for (size_t i = 0; ok && i < 7; i++) {
		s = strchr(p, ',');
		if (!s) {
			ok = false;
			break;
		}
		*s = '\0';
		ok = parse_ll(p, INT64_MIN / 2, INT64_MAX / 2, f[i]);
		p = s + 1;
	}
	if (ok) {
		unsigned long long want = sim_mix((uint64_t)(
			c->key ^ c->seq ^ c->from ^ c->to ^ c->mask)) & 0xffff;
		char *end;

		ok = strtoull(p, &end, 16) == want && !*end &&
		     c->per_page >= 1 && c->per_page <= 100;
	}
	free(raw);
	return ok;
}

static bool keep_mask(const struct sim_order *o, const void *ctx)
{
	const long long *mask = ctx;

	return !*mask || (*mask >> status_index(status_of(o))) & 1;
}

static void get_orders(struct sim_req *req, struct sim_resp *resp, int tok)
{
	const struct sim_kvs *p = &req->query;
	const char *next = kvs_get(p, "NextToken");
	struct cursor c = { 0 };
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0, first = 0, *idx = NULL, cnt = 0;
	json_t *orders, *payload;
	char t[32];

	store_count("amazon:getOrders");
	if (next) {
		if (!cursor_decode(next, &c)) {
			amz_error(req, resp, 400, "InvalidInput",
				  "Invalid NextToken.", "");
			return;
		}
	} else {
		const char *mk = kvs_get(p, "MarketplaceIds");
		const char *ca = kvs_get(p, "CreatedAfter");
		const char *la = kvs_get(p, "LastUpdatedAfter");
		const char *cb = kvs_get(p, "CreatedBefore");
		const char *lb = kvs_get(p, "LastUpdatedBefore");
		const char *st = kvs_get(p, "OrderStatuses");
		const char *mr = kvs_get(p, "MaxResultsPerPage");
		int64_t from, to = req->now_ms / 1000;

		if (!mk || !strstr(mk, AMZ_MARKETPLACE)) {
			amz_error(req, resp, 400, "InvalidInput",
				  "MarketplaceIds must contain "
				  AMZ_MARKETPLACE ".", "");
			return;
		}
		if (!!ca == !!la) {
			amz_error(req, resp, 400, "InvalidInput",
				  "Exactly one of CreatedAfter and "
				  "LastUpdatedAfter is required.", "");
			return;
		}
		if ((ca && lb) || (la && cb)) {
			amz_error(req, resp, 400, "InvalidInput",
				  "CreatedBefore goes with CreatedAfter, "
				  "LastUpdatedBefore with LastUpdatedAfter.",
				  "");
			return;
		}
		if (!parse_time(ca ? ca : la, 0, &from) ||
		    ((cb || lb) && !parse_time(cb ? cb : lb, 0, &to))) {
			amz_error(req, resp, 400, "InvalidInput",
				  "Dates must be ISO 8601.", "");
			return;
		}
		if (to > req->now_ms / 1000 || from > to) {
			amz_error(req, resp, 400, "InvalidInput",
				  "The Before date must not be in the "
				  "future or before the After date.", "");
			return;
		}
		c.field = ca ? SIM_BY_CREATED : SIM_BY_MODIFIED;
		c.from = from;
		c.to = to;
		c.per_page = 100;
		c.key = -1;
		if (mr && !parse_ll(mr, 1, 100, &c.per_page)) {
			amz_error(req, resp, 400, "InvalidInput",
				  "MaxResultsPerPage must be 1 to 100.", "");
			return;
		}
		for (const char *s = st; s && *s;) {
			const char *e = strchr(s, ',');
			size_t l = e ? (size_t)(e - s) : strlen(s);
			char name[32];
			int k;

			snprintf(name, sizeof(name), "%.*s", (int)l, s);
			k = status_index(name);
			if (k < 0) {
				amz_error(req, resp, 400, "InvalidInput",
					  "Unknown OrderStatuses value.",
					  name);
				return;
			}
			c.mask |= 1LL << k;
			s = e ? e + 1 : NULL;
		}
	}
	q.field = (enum sim_time_field)c.field;
	q.from_ms = c.from * 1000;
	q.to_ms = c.to * 1000;
	q.ascending = true;
	q.keep = keep_mask;
	q.keep_ctx = &c.mask;
	if (store_select(req->shop, &q, &v, &n)) {
		amz_server_error(req, resp, 500);
		return;
	}
	/* Keyset: the first order after the last one served. */
	while (first < n) {
		const struct sim_order *o = &v[first];
		long long k = (c.field == SIM_BY_CREATED ? o->created_ms :
							   o->modified_ms) /
			      1000;

		if (k > c.key || (k == c.key && (long long)o->seq > c.seq))
			break;
		first++;
	}
	if (sim_page(req->shop, n, first, (size_t)c.per_page, &idx, &cnt)) {
		free(v);
		amz_server_error(req, resp, 500);
		return;
	}
	orders = json_array();
	for (size_t i = 0; i < cnt; i++)
		json_array_append_new(orders, order_json(&v[idx[i]],
							 tok == 2));
	payload = json_pack("{s:o}", "Orders", orders);
	if (first + (size_t)c.per_page < n) {
		const struct sim_order *last = &v[first + c.per_page - 1];
		char *nt;

		c.key = (c.field == SIM_BY_CREATED ? last->created_ms :
						     last->modified_ms) /
			1000;
		c.seq = (long long)last->seq;
		nt = cursor_encode(&c);
		json_object_set_new(payload, "NextToken",
				    json_string(nt ? nt : ""));
		free(nt);
	}
	fmt_iso_utc(c.to, t, sizeof(t));
	json_object_set_new(payload, c.field == SIM_BY_CREATED ?
			    "CreatedBefore" : "LastUpdatedBefore",
			    json_string(t));
	resp_json(resp, 200, json_pack("{s:o}", "payload", payload));
	free(idx);
	free(v);
}

static void get_order(struct sim_req *req, struct sim_resp *resp,
		      const char *id, int tok)
{
	struct sim_order o;

	store_count("amazon:getOrder");
	if (!store_get(req->shop, id, &o)) {
		amz_error(req, resp, 404, "NotFound", "Order not found.", id);
		return;
	}
	resp_json(resp, 200, json_pack("{s:o}", "payload",
				       order_json(&o, tok == 2)));
}

static void order_items(struct sim_req *req, struct sim_resp *resp,
			const char *id)
{
	struct sim_order o;
	json_t *items;

	store_count("amazon:getOrderItems");
	if (!store_get(req->shop, id, &o)) {
		amz_error(req, resp, 404, "NotFound", "Order not found.", id);
		return;
	}
	items = json_array();
	for (int k = 0; k < o.nlines; k++) {
		const struct sim_line *ln = &o.lines[k];
		char title[128], sku[16], asin[16];
		json_t *it;

		gen_sku_title(ln->sku, false, title, sizeof(title));
		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		snprintf(asin, sizeof(asin), "B0%08X",
			 (unsigned)(sim_mix((uint64_t)ln->sku) & 0xfffffff));
		it = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "ASIN", asin,
			       "OrderItemId", ln->id, "SellerSKU", sku,
			       "Title", title, "QuantityOrdered", ln->qty,
			       "QuantityShipped", ln->shipped);
		json_object_set_new(it, "ItemPrice",
				    money(o.currency, ln->price * ln->qty));
		json_object_set_new(it, "ItemTax", money(o.currency, 0));
		json_object_set_new(it, "PromotionDiscount",
				    money(o.currency, k ? 0 : o.discount));
		json_object_set_new(it, "ShippingPrice",
				    money(o.currency,
					  k ? 0 : o.shipping_fee));
		json_object_set_new(it, "ProductInfo",
				    json_pack("{s:s}", "NumberOfItems", "1"));
		json_object_set_new(it, "IsGift", json_string("false"));
		json_object_set_new(it, "ConditionId", json_string("New"));
		json_array_append_new(items, it);
	}
	resp_json(resp, 200, json_pack("{s:{s:s,s:o}}", "payload",
				       "AmazonOrderId", o.id, "OrderItems",
				       items));
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void confirm_shipment(struct sim_req *req, struct sim_resp *resp,
			     const char *id)
{
	struct sim_ship_item items[SIM_MAX_LINES];
	json_t *body = req_json(req), *pd, *arr, *it, *ref;
	struct sim_ship sh = { 0 };
	char pkg[32];
	const char *code, *name, *msg = NULL;
	size_t i, nitems = 0;

	store_count("amazon:confirmShipment");
	if (!json_is_object(body)) {
		amz_error(req, resp, 400, "InvalidInput",
			  "The request body is not valid JSON.", "");
		goto out;
	}
	pd = json_object_get(body, "packageDetail");
	arr = json_object_get(pd, "orderItems");
	ref = json_object_get(pd, "packageReferenceId");
	code = jstr(pd, "carrierCode");
	name = jstr(pd, "carrierName");
	if (!jstr(body, "marketplaceId") ||
	    strcmp(jstr(body, "marketplaceId"), AMZ_MARKETPLACE) ||
	    !json_is_object(pd) || !ref || !code || !*code ||
	    !jstr(pd, "trackingNumber") || !jstr(pd, "shipDate") ||
	    !json_is_array(arr) || !json_array_size(arr) ||
	    json_array_size(arr) > SIM_MAX_LINES) {
		amz_error(req, resp, 400, "InvalidInput",
			  "marketplaceId and packageDetail{packageReferenceId,"
			  " carrierCode, trackingNumber, shipDate, "
			  "orderItems} are required.", "");
		goto out;
	}
	if (!strcmp(code, "Other") && (!name || !*name)) {
		amz_error(req, resp, 400, "InvalidInput",
			  "carrierName is required when carrierCode is "
			  "Other.", "");
		goto out;
	}
	if (json_is_string(ref))
		snprintf(pkg, sizeof(pkg), "%s", json_string_value(ref));
	else if (json_is_integer(ref))
		snprintf(pkg, sizeof(pkg), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(ref));
	else
		pkg[0] = '\0';
	{
		long long pv;

		if (!parse_ll(pkg, 1, INT64_MAX / 2, &pv)) {
			amz_error(req, resp, 400, "InvalidInput",
				  "packageReferenceId must be a positive "
				  "number.", "");
			goto out;
		}
	}
	json_array_foreach(arr, i, it) {
		const char *oid = jstr(it, "orderItemId");
		json_t *q = json_object_get(it, "quantity");

		if (!oid || !json_is_integer(q)) {
			amz_error(req, resp, 400, "InvalidInput",
				  "orderItems need orderItemId and quantity.",
				  "");
			goto out;
		}
		snprintf(items[nitems].line_id, sizeof(items[0].line_id), "%s",
			 oid);
		items[nitems++].qty = (int)json_integer_value(q);
	}
	sh.order_id = id;
	sh.tracking = jstr(pd, "trackingNumber");
	sh.carrier = strcmp(code, "Other") ? code : name;
	sh.package_ref = pkg;
	sh.items = items;
	sh.nitems = nitems;
	sh.request_id = req->request_id;
	switch (store_ship(req->shop, &sh, req->now_ms, NULL)) {
	case SIM_SHIP_OK:
	case SIM_SHIP_EDITED:
		resp_empty(resp, 204);
		goto out;
	case SIM_SHIP_NOT_FOUND:
		amz_error(req, resp, 404, "NotFound", "Order not found.", id);
		goto out;
	case SIM_SHIP_CANCELLED:
		msg = "The order is canceled and cannot be shipped.";
		break;
	case SIM_SHIP_UNPAID:
		msg = "The order is pending and cannot be shipped yet.";
		break;
	case SIM_SHIP_ALREADY:
		msg = "Every item of the order was shipped already.";
		break;
	case SIM_SHIP_REFUND:
	case SIM_SHIP_BAD_ITEM:
		msg = "An orderItemId is unknown or its quantity exceeds "
		      "what is left to ship.";
		break;
	}
	amz_error(req, resp, 400, "InvalidInput", msg, id);
out:
	json_decref(body);
}

static void patch_listing(struct sim_req *req, struct sim_resp *resp,
			  const char *seller, const char *sku_code)
{
	json_t *body = req_json(req), *patches, *pt;
	const char *mk = kvs_get(&req->query, "marketplaceIds");
	long long level, qty = -1;
	char sub[40];
	size_t i;
	int sku;

	store_count("amazon:patchListingsItem");
	if (strcmp(seller, AMZ_SELLER)) {
		amz_error(req, resp, 403, "Unauthorized",
			  "Access to requested resource is denied.",
			  "sellerId does not match the token");
		goto out;
	}
	if (!mk || !strstr(mk, AMZ_MARKETPLACE)) {
		amz_error(req, resp, 400, "InvalidInput",
			  "marketplaceIds must contain " AMZ_MARKETPLACE ".",
			  "");
		goto out;
	}
	sku = gen_sku_from_code(sku_code);
	if (!sku) {
		amz_error(req, resp, 404, "NotFound", "SKU not found.",
			  sku_code);
		goto out;
	}
	patches = json_object_get(body, "patches");
	json_array_foreach(patches, i, pt) {
		json_t *val = json_object_get(pt, "value");
		json_t *q = json_object_get(json_array_get(val, 0),
					    "quantity");

		if (jstr(pt, "path") &&
		    !strcmp(jstr(pt, "path"),
			    "/attributes/fulfillment_availability") &&
		    jstr(pt, "op") &&
		    (!strcmp(jstr(pt, "op"), "replace") ||
		     !strcmp(jstr(pt, "op"), "merge")) &&
		    json_is_integer(q) && json_integer_value(q) >= 0)
			qty = json_integer_value(q);
	}
	if (!json_is_string(json_object_get(body, "productType")) ||
	    qty < 0) {
		amz_error(req, resp, 400, "InvalidInput",
			  "Expected productType and a patch replacing "
			  "/attributes/fulfillment_availability with "
			  "[{fulfillment_channel_code, quantity}].", "");
		goto out;
	}
	store_stock(req->shop, sku, qty, false, NULL, req->request_id,
		    req->now_ms, &level);
	snprintf(sub, sizeof(sub), "%s", req->request_id);
	resp_json(resp, 200, json_pack("{s:s,s:s,s:s,s:[]}", "sku", sku_code,
				       "status", "ACCEPTED", "submissionId",
				       sub, "issues"));
out:
	json_decref(body);
}

/* Checks x-amz-date when a client sends one (SigV4 leftovers). */
static bool date_ok(const struct sim_req *req)
{
	char iso[32];
	const char *d = req->amz_date;
	int64_t t;

	if (!d)
		return true;
	if (strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
		return false;
	snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", d, d + 4,
		 d + 6, d + 9, d + 11, d + 13);
	return parse_time(iso, 0, &t) && req_time_ok(req, t);
}

static void amz_route(struct sim_req *req, struct sim_resp *resp)
{
	const char *seg[8];
	char buf[512];
	size_t ns = path_split(req->path, buf, sizeof(buf), seg, 7);
	const char *m = req->method;
	enum sim_op op;
	double rate;
	int tok;

	if (ns == 3 && !strcmp(seg[0], "auth") && !strcmp(seg[1], "o2") &&
	    !strcmp(seg[2], "token") && !strcmp(m, "POST")) {
		if (!store_take(req->shop, SIM_OP_TOKEN, req->now_ms, &rate,
				NULL, NULL)) {
			amz_throttled(req, resp, rate);
			return;
		}
		lwa(req, resp);
		return;
	}
	if (!date_ok(req)) {
		amz_error(req, resp, 403, "RequestExpired",
			  "Request has expired.",
			  "x-amz-date is more than 10 minutes from the "
			  "server clock");
		store_count_rejected("timestamp");
		return;
	}
	tok = token_check(req);
	if (!tok) {
		amz_error(req, resp, 403, "Unauthorized",
			  "Access to requested resource is denied.",
			  "The access token you provided is revoked, "
			  "malformed or invalid.");
		store_count_rejected("token");
		return;
	}
	if (ns == 3 && !strcmp(seg[0], "tokens") && !strcmp(m, "POST"))
		op = SIM_OP_TOKEN;
	else if (ns >= 3 && !strcmp(seg[0], "orders") && ns <= 5)
		op = ns == 3 ? SIM_OP_LIST :
		     ns == 5 && !strcmp(seg[4], "shipmentConfirmation") ?
				SIM_OP_SHIP : SIM_OP_DETAIL;
	else if (ns == 5 && !strcmp(seg[0], "listings"))
		op = SIM_OP_STOCK;
	else {
		amz_error(req, resp, 404, "NotFound",
			  "Resource not found.", req->path);
		return;
	}
	if (!store_take(req->shop, op, req->now_ms, &rate, NULL, NULL)) {
		amz_throttled(req, resp, rate);
		return;
	}
	if (op == SIM_OP_TOKEN && !strcmp(seg[1], "2021-03-01") &&
	    !strcmp(seg[2], "restrictedDataToken"))
		rdt(req, resp);
	else if (op == SIM_OP_LIST && !strcmp(seg[1], "v0") &&
		 !strcmp(seg[2], "orders") && !strcmp(m, "GET"))
		get_orders(req, resp, tok);
	else if (op == SIM_OP_DETAIL && ns == 4 && !strcmp(m, "GET") &&
		 !strcmp(seg[1], "v0") && !strcmp(seg[2], "orders"))
		get_order(req, resp, seg[3], tok);
	else if (op == SIM_OP_DETAIL && ns == 5 && !strcmp(m, "GET") &&
		 !strcmp(seg[4], "orderItems"))
		order_items(req, resp, seg[3]);
	else if (op == SIM_OP_SHIP && !strcmp(m, "POST"))
		confirm_shipment(req, resp, seg[3]);
	else if (op == SIM_OP_STOCK && !strcmp(m, "PATCH") &&
		 !strcmp(seg[1], "2021-08-01") && !strcmp(seg[2], "items"))
		patch_listing(req, resp, seg[3], seg[4]);
	else
		amz_error(req, resp, 404, "NotFound", "Resource not found.",
			  req->path);
	rate_header(resp, rate);
}

static void amz_handle(struct sim_req *req, struct sim_resp *resp)
{
	amz_route(req, resp);
	resp_header(resp, "x-amzn-RequestId", req->request_id);
}

static void amz_fault_throttled(struct sim_req *req, struct sim_resp *resp,
				double rate)
{
	amz_throttled(req, resp, rate);
	resp_header(resp, "x-amzn-RequestId", req->request_id);
}

static void amz_fault_server(struct sim_req *req, struct sim_resp *resp,
			     int http)
{
	amz_server_error(req, resp, http);
	resp_header(resp, "x-amzn-RequestId", req->request_id);
}

const struct sim_platform_ops sim_amazon_ops = {
	SIM_AMAZON, "amazon", amz_handle, amz_fault_throttled,
	amz_fault_server,
};
