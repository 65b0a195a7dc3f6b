/*
 * adapter_amazon.c - Amazon SP-API: an LWA access token (refreshed five
 * minutes before it expires) in x-amz-access-token; getOrders by
 * LastUpdatedAfter/Before, paged with NextToken (alone: the other filters
 * are ignored with it); getOrderItems for every order, since the list
 * has no lines; confirmShipment (one package per outbox row, its id the
 * packageReferenceId, so a retry edits rather than duplicates); stock
 * through the Listings API fulfillment_availability patch.
 */
#include <stdlib.h>
#include <string.h>

#include "sync/jfield.h"
#include "sync/order_int.h"
#include "sync/sign.h"
#include "sync/sync_adapter.h"

static enum wh_err amz_auth(const struct sync_shop *s,
			    struct sync_http_req *r, struct wh_error *err)
{
	enum wh_err rc = sync_http_req_header(r, "x-amz-access-token",
					      s->creds.token, err);

	if (!rc)
		rc = sync_http_req_header(r, "Accept", "application/json",
					  err);
	return rc;
}

enum wh_err sync_amazon_orders_request(const struct sync_shop *s,
				       const struct sync_window *w,
				       const char *next_token,
				       struct sync_http_req *out,
				       struct wh_error *err)
{
	char a[32], b[32];
	char *url = sync_str_join(s->base_url, "/orders/v0/orders", NULL);
	enum wh_err rc = WH_OK;

	memset(out, 0, sizeof(*out));
	if (!url)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	sync_fmt_iso(w->start, a, sizeof(a));
	sync_fmt_iso(w->end, b, sizeof(b));
	rc = sync_url_add_query(&url, "MarketplaceIds", s->creds.marketplace,
				err);
	if (!rc && next_token) {
		rc = sync_url_add_query(&url, "NextToken", next_token, err);
	} else if (!rc) {
		rc = sync_url_add_query(&url, "LastUpdatedAfter", a, err);
		if (!rc)
			rc = sync_url_add_query(&url, "LastUpdatedBefore", b,
						err);
		if (!rc)
			rc = sync_url_add_query(&url, "MaxResultsPerPage",
						"100", err);
	}
	if (!rc)
		rc = sync_http_req_init(out, "GET", url, err);
	if (!rc)
		rc = amz_auth(s, out, err);
	if (rc)
		sync_http_req_free(out);
	free(url);
	return rc;
}

static enum wh_err amz_refresh(struct sync_ctx *c, struct sync_shop *s,
			       struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	char *body = NULL;
	json_t *root = NULL;
	const char *tok;
	enum wh_err rc;

	if (s->token_expires > sync_now() + 300)
		return WH_OK;
	if (!s->creds.refresh || !s->creds.lwa_url)
		return wh_error_set(err, WH_ERR_PERM, "%s: no LWA refresh token "
				    "or token URL", s->code);
	rc = sync_amazon_lwa_refresh_body(s->creds.refresh, s->creds.app_key,
					  s->creds.secret, &body, err);
	if (!rc)
		rc = sync_http_req_init(&req, "POST", s->creds.lwa_url, err);
	if (rc) {
		if (body)
			sync_params_wipe_free(body, strlen(body));
		return rc;
	}
	rc = sync_http_req_header(&req, "Content-Type",
				  "application/x-www-form-urlencoded", err);
	if (!rc)
		rc = sync_http_req_body(&req, body, strlen(body), err);
	sync_params_wipe_free(body, strlen(body));
	if (!rc)
		rc = sync_call_json(c, s, SYNC_OP_TOKEN, &req, &root, &resp,
				    err);
	tok = json_string_value(json_object_get(root, "access_token"));
	if (!rc && (!tok || !*tok))
		rc = wh_error_set(err, WH_ERR_PERM, "%s: LWA gave no "
				  "access_token", s->code);
	if (!rc) {
		char *t = strdup(tok);

		if (!t) {
			rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		} else {
			if (s->creds.token)
				sync_params_wipe_free(s->creds.token,
						      strlen(s->creds.token));
			s->creds.token = t;
			s->token_expires = sync_now() +
				json_integer_value(json_object_get(
					root, "expires_in"));
			sync_log(c, SYNC_LOG_INFO, "%s: LWA access token "
				 "refreshed", s->code);
		}
	}
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

/*
 * Lines of order o from getOrderItems, following its NextToken: from the
 * first page when next is NULL, else from the page next names (next is
 * taken over, and pages pages were read already).
 */
static enum wh_err order_items(struct sync_ctx *c, struct sync_shop *s,
			       struct sync_order *o, char *next, int pages,
			       struct wh_error *err)
{
	enum wh_err rc = WH_OK;

	do {
		struct sync_http_req req;
		struct sync_http_resp resp = { 0 };
		char *url = sync_str_join(s->base_url, "/orders/v0/orders/",
					  o->order_id);
		char *tail = url ? sync_str_join(url, "/orderItems", NULL) :
				   NULL;
		json_t *root = NULL;

		free(url);
		if (!tail) {
			rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
			break;
		}
		if (next)
			rc = sync_url_add_query(&tail, "NextToken", next, err);
		free(next);
		next = NULL;
		if (!rc)
			rc = sync_http_req_init(&req, "GET", tail, err);
		free(tail);
		if (rc)
			break;
		rc = amz_auth(s, &req, err);
		if (!rc)
			rc = sync_call_json(c, s, SYNC_OP_DETAIL, &req, &root,
					    &resp, err);
		if (!rc)
			rc = sync_parse_amazon_order_items(resp.body, resp.len,
							   o, &next, err);
		json_decref(root);
		sync_http_req_free(&req);
		sync_http_resp_free(&resp);
	} while (!rc && next && ++pages < 50);
	free(next);
	return rc;
}

/* Order items are asked for this many orders at a time. */
#define AMZ_ITEMS_BATCH 16

static enum wh_err items_request(const struct sync_shop *s,
				 const struct sync_order *o,
				 struct sync_http_req *req,
				 struct wh_error *err)
{
	char *url = sync_str_join(s->base_url, "/orders/v0/orders/",
				  o->order_id);
	char *tail = url ? sync_str_join(url, "/orderItems", NULL) : NULL;
	enum wh_err rc;

	free(url);
	if (!tail)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_http_req_init(req, "GET", tail, err);
	free(tail);
	if (!rc && (rc = amz_auth(s, req, err)))
		sync_http_req_free(req);
	return rc;
}

/*
 * The first items page of up to AMZ_ITEMS_BATCH orders of list, from
 * *from on, concurrently on the multi handle and within the
 * getOrderItems rate limit (one order after another was most of an
 * Amazon pass). An order whose answer is not a clean page (a transport
 * error, a throttle, a refusal, an unreadable body) is left without
 * lines, for order_items to ask again with its retries; one with more
 * pages is finished by order_items from its NextToken.
 */
static enum wh_err items_batch(struct sync_ctx *c, struct sync_shop *s,
			       struct sync_order_list *list, size_t *from,
			       struct wh_error *err)
{
	struct sync_bucket *b = &s->bucket[SYNC_OP_DETAIL];
	struct sync_http_req req[AMZ_ITEMS_BATCH];
	struct sync_http_resp resp[AMZ_ITEMS_BATCH];
	struct sync_order *who[AMZ_ITEMS_BATCH];
	size_t n = 0;
	enum wh_err rc = WH_OK;

	memset(resp, 0, sizeof(resp));
	while (*from < list->n && n < AMZ_ITEMS_BATCH) {
		struct sync_order *o = &list->v[*from];
		int64_t wait = 0;

		if (o->error || o->nlines || !o->order_id) {
			(*from)++;
			continue;
		}
		/*
		 * Wait for the tokens of a whole batch: the page is ingested
		 * when all its items are in anyway, and a full batch keeps
		 * the limit, not the round trips, the bound.
		 */
		if (!sync_bucket_take(b, sync_mono_ms(), &wait)) {
			if (!sync_sleep(c, wait > 0 ? wait : 1)) {
				rc = wh_error_set(err, WH_ERR_RETRY,
						  "stopping");
				goto out;
			}
			continue;
		}
		rc = items_request(s, o, &req[n], err);
		if (rc)
			goto out;
		who[n++] = o;
		(*from)++;
	}
	if (!n)
		return WH_OK;
	rc = sync_http_perform(c->http, req, resp, n, err);
	if (rc)
		goto out;
	c->count.requests += (long)n;
	for (size_t i = 0; i < n && !rc; i++) {
		struct sync_api_error ae;
		struct wh_error pe;
		enum sync_api_status st;
		char *next = NULL;

		if (resp[i].transport_error) {
			c->count.transport_errors++;
			continue;
		}
		st = sync_api_classify(s->platform, resp[i].status,
				       resp[i].body, resp[i].len, &ae);
		if (st == SYNC_API_RATE_LIMITED || resp[i].status == 429) {
			c->count.throttled++;
			sync_bucket_drain(b, sync_mono_ms());
		}
		if (st != SYNC_API_OK || resp[i].status < 200 ||
		    resp[i].status >= 300)
			continue;
		wh_error_clear(&pe);
		rc = sync_parse_amazon_order_items(resp[i].body, resp[i].len,
						   who[i], &next, &pe);
		if (rc == WH_ERR_NOMEM) {
			*err = pe;
		} else if (rc) {
			/* Asked again, one by one. */
			ord_lines_clear(who[i]);
			rc = WH_OK;
		} else if (next) {
			rc = order_items(c, s, who[i], next, 1, err);
		}
	}
out:
	for (size_t i = 0; i < n; i++) {
		sync_http_req_free(&req[i]);
		sync_http_resp_free(&resp[i]);
	}
	return rc;
}

static enum wh_err amz_fetch(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, sync_page_fn page,
			     void *ctx, struct wh_error *err)
{
	char *next = NULL;
	enum wh_err rc = WH_OK;

	do {
		struct sync_http_req req;
		struct sync_http_resp resp = { 0 };
		struct sync_order_list list;
		json_t *root = NULL, *raw;

		sync_order_list_init(&list);
		rc = sync_amazon_orders_request(s, w, next, &req, err);
		free(next);
		next = NULL;
		if (rc)
			break;
		rc = sync_call_orders(c, s, &req, &list, &root, &resp, err);
		for (size_t i = 0; !rc && i < list.n;)
			rc = items_batch(c, s, &list, &i, err);
		for (size_t i = 0; !rc && i < list.n; i++)
			if (!list.v[i].error && !list.v[i].nlines)
				rc = order_items(c, s, &list.v[i], NULL, 0,
						 err);
		if (!rc && list.next_token && !(next = strdup(list.next_token)))
			rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		raw = json_object_get(json_object_get(root, "payload"),
				      "Orders");
		if (!json_is_array(raw) || json_array_size(raw) != list.n)
			raw = NULL;
		if (!rc)
			rc = page(ctx, &list, raw, next == NULL, err);
		json_decref(root);
		sync_order_list_free(&list);
		sync_http_req_free(&req);
		sync_http_resp_free(&resp);
	} while (!rc && next);
	free(next);
	return rc;
}

static enum wh_err amz_ship(struct sync_ctx *c, struct sync_shop *s,
			    const json_t *pl, int64_t oid,
			    struct sync_http_req *req, struct wh_error *err)
{
	json_t *items = json_array(), *body, *ln;
	char b1[64], b2[64], ship_date[32], *text, *url;
	const char *carrier = sync_jget(pl, "carrier", b1, sizeof(b1));
	bool other;
	size_t i;
	enum wh_err rc;

	(void)c;
	json_array_foreach(json_object_get(pl, "lines"), i, ln) {
		const char *id = sync_jget(ln, "platform_line_id", b2,
					   sizeof(b2));

		json_array_append_new(items, json_pack(
			"{s:s,s:I}", "orderItemId", id, "quantity",
			json_integer_value(json_object_get(ln, "qty"))));
	}
	other = strcmp(carrier, "UPS") && strcmp(carrier, "USPS") &&
		strcmp(carrier, "FedEx") && strcmp(carrier, "DHL");
	sync_fmt_iso(sync_now(), ship_date, sizeof(ship_date));
	body = json_pack("{s:s,s:{s:I,s:s,s:s,s:s,s:s,s:o}}", "marketplaceId",
			 s->creds.marketplace, "packageDetail",
			 "packageReferenceId", (json_int_t)oid, "carrierCode",
			 other ? "Other" : carrier, "trackingNumber",
			 sync_jget(pl, "tracking_no", b2, sizeof(b2)),
			 "shipDate", ship_date, "shippingMethod", "Standard",
			 "orderItems", items);
	if (!body)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (other)
		json_object_set_new(json_object_get(body, "packageDetail"),
				    "carrierName", json_string(carrier));
	text = sync_json_text(body);
	json_decref(body);
	url = sync_str_join(s->base_url, "/orders/v0/orders/",
			    sync_jget(pl, "platform_order_id", b2, sizeof(b2)));
	if (!text || !url) {
		free(text);
		free(url);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	{
		char *full = sync_str_join(url, "/shipmentConfirmation", NULL);

		free(url);
		url = full;
	}
	rc = url ? sync_http_req_init(req, "POST", url, err) :
		   wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = sync_http_req_header(req, "Content-Type",
					  "application/json", err);
	if (!rc)
		rc = sync_http_req_body(req, text, strlen(text), err);
	if (!rc)
		rc = amz_auth(s, req, err);
	free(text);
	free(url);
	return rc;
}

static enum wh_err amz_stock(struct sync_shop *s, const json_t *pl,
			     struct sync_http_req *req, struct wh_error *err)
{
	char b[64], *text, *url, *u2;
	json_t *body;
	enum wh_err rc;

	body = json_pack("{s:s,s:[{s:s,s:s,s:[{s:s,s:I}]}]}", "productType",
			 "PRODUCT", "patches", "op", "replace", "path",
			 "/attributes/fulfillment_availability", "value",
			 "fulfillment_channel_code", "DEFAULT", "quantity",
			 json_integer_value(json_object_get(pl, "qty")));
	text = body ? sync_json_text(body) : NULL;
	json_decref(body);
	url = sync_str_join(s->base_url, "/listings/2021-08-01/items/",
			    s->creds.seller_id ? s->creds.seller_id : "");
	u2 = url ? sync_str_join(url, "/", sync_jget(pl, "sku", b,
							  sizeof(b))) : NULL;
	free(url);
	rc = text && u2 ? WH_OK : wh_error_set(err, WH_ERR_NOMEM,
					       "out of memory");
	if (!rc)
		rc = sync_url_add_query(&u2, "marketplaceIds",
					s->creds.marketplace, err);
	if (!rc)
		rc = sync_http_req_init(req, "PATCH", u2, err);
	if (!rc)
		rc = sync_http_req_header(req, "Content-Type",
					  "application/json", err);
	if (!rc)
		rc = sync_http_req_body(req, text, strlen(text), err);
	if (!rc)
		rc = amz_auth(s, req, err);
	free(text);
	free(u2);
	return rc;
}

static enum wh_err amz_push(struct sync_ctx *c, struct sync_shop *s,
			    const char *kind, const json_t *pl, int64_t oid,
			    struct wh_error *err)
{
	struct sync_http_req req = { 0 };
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL;
	bool ship = !strcmp(kind, "ship_confirm");
	enum wh_err rc;

	rc = ship ? amz_ship(c, s, pl, oid, &req, err) :
		    amz_stock(s, pl, &req, err);
	if (!rc)
		rc = sync_call_json(c, s, ship ? SYNC_OP_SHIP : SYNC_OP_STOCK,
				    &req, &root, &resp, err);
	/* Every item shipped already: an earlier try got through. */
	if (rc && rc != WH_ERR_RETRY && ship &&
	    strstr(resp.body ? resp.body : "", "shipped already"))
		rc = WH_OK;
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

const struct sync_adapter sync_adapter_amazon = {
	.platform = SYNC_PLATFORM_AMAZON,
	.window = { 300, 30 * 86400, 0, 4 },
	.prepare = amz_refresh,
	.fetch_window = amz_fetch,
	.push = amz_push,
	.detail_per_order = true,
};
