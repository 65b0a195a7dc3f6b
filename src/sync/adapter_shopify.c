/*
 * adapter_shopify.c - Shopify Admin REST 2024-01: orders.json by
 * updated_at (status=any, oldest first), paged by the Link header's
 * rel="next" page_info URL used exactly as given (only URLs under the
 * shop's own base are followed, so the token never goes elsewhere);
 * fulfilment through the order's fulfillment order; stock through
 * inventory_levels/set.json with the variant's inventory item at the
 * shop's first location. The store's leaky bucket is read back from
 * X-Shopify-Shop-Api-Call-Limit (sync_call).
 */
#include <stdlib.h>
#include <string.h>

#include "sync/sync_adapter.h"

#define SP_API "/admin/api/2024-01/"

static char *sp_url(const struct sync_shop *s, const char *path,
		    const char *tail)
{
	char *a = sync_str_join(s->base_url, SP_API, path);
	char *b = a && tail ? sync_str_join(a, tail, NULL) : NULL;

	if (!tail)
		return a;
	free(a);
	return b;
}

static enum wh_err sp_req(const struct sync_shop *s, const char *method,
			  char *url, const json_t *body,
			  struct sync_http_req *out, struct wh_error *err)
{
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	if (!url)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_http_req_init(out, method, url, err);
	free(url);
	if (!rc)
		rc = sync_http_req_header(out, "X-Shopify-Access-Token",
					  s->creds.token, err);
	if (!rc && body) {
		char *t = sync_json_text(body);

		rc = t ? sync_http_req_header(out, "Content-Type",
					      "application/json", err) :
			 wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		if (!rc)
			rc = sync_http_req_body(out, t, strlen(t), err);
		free(t);
	}
	if (rc)
		sync_http_req_free(out);
	return rc;
}

char *sync_link_next(const char *link)
{
	const char *p = link;

	while (p && *p) {
		const char *lt = strchr(p, '<'), *gt, *end, *rel;

		if (!lt || !(gt = strchr(lt, '>')))
			return NULL;
		end = strchr(gt, ',');
		if (!end)
			end = gt + strlen(gt);
		rel = strstr(gt, "rel=\"next\"");
		if (rel && rel < end) {
			size_t n = (size_t)(gt - lt - 1);
			char *u = malloc(n + 1);

			if (u) {
				memcpy(u, lt + 1, n);
				u[n] = '\0';
			}
			return u;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

enum wh_err sync_shopify_orders_request(const struct sync_shop *s,
					const struct sync_window *w,
					const char *next_url,
					struct sync_http_req *out,
					struct wh_error *err)
{
	char a[32], b[32];
	char *url;
	enum wh_err rc = WH_OK;

	if (next_url) {
		/* Only under our own base: the token goes with it. */
		size_t n = strlen(s->base_url);

		if (strncmp(next_url, s->base_url, n) || next_url[n] != '/')
			return wh_error_set(err, WH_ERR_REFUSED, "%s: refusing "
					    "a Link to another host", s->code);
		return sp_req(s, "GET", strdup(next_url), NULL, out, err);
	}
	url = sp_url(s, "orders.json", NULL);
	sync_fmt_iso(w->start, a, sizeof(a));
	sync_fmt_iso(w->end, b, sizeof(b));
	if (!url)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_url_add_query(&url, "status", "any", err);
	if (!rc)
		rc = sync_url_add_query(&url, "updated_at_min", a, err);
	if (!rc)
		rc = sync_url_add_query(&url, "updated_at_max", b, err);
	if (!rc)
		rc = sync_url_add_query(&url, "order", "updated_at asc", err);
	if (!rc)
		rc = sync_url_add_query(&url, "limit", "250", err);
	if (rc) {
		free(url);
		return rc;
	}
	return sp_req(s, "GET", url, NULL, out, err);
}

static enum wh_err sp_fetch(struct sync_ctx *c, struct sync_shop *s,
			    const struct sync_window *w, sync_page_fn page,
			    void *ctx, struct wh_error *err)
{
	char *next = NULL;
	enum wh_err rc = WH_OK;
	int pages = 0;

	do {
		struct sync_http_req req;
		struct sync_http_resp resp = { 0 };
		struct sync_order_list list;
		json_t *root = NULL, *raw;

		sync_order_list_init(&list);
		rc = sync_shopify_orders_request(s, w, next, &req, err);
		free(next);
		next = NULL;
		if (rc)
			break;
		rc = sync_call_orders(c, s, &req, &list, &root, &resp, err);
		if (!rc && resp.link)
			next = sync_link_next(resp.link);
		raw = json_object_get(root, "orders");
		if (!json_is_array(raw) || json_array_size(raw) != list.n)
			raw = NULL;
		if (!rc)
			rc = page(ctx, &list, raw, next == NULL, err);
		json_decref(root);
		sync_order_list_free(&list);
		sync_http_req_free(&req);
		sync_http_resp_free(&resp);
	} while (!rc && next && ++pages < 10000);
	free(next);
	return rc;
}

static enum wh_err sp_get_json(struct sync_ctx *c, struct sync_shop *s,
			       enum sync_op op, char *url, json_t **root,
			       struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	enum wh_err rc = sp_req(s, "GET", url, NULL, &req, err);

	if (rc)
		return rc;
	rc = sync_call_json(c, s, op, &req, root, &resp, err);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err sp_post(struct sync_ctx *c, struct sync_shop *s,
			   enum sync_op op, char *url, json_t *body,
			   struct sync_http_resp *resp, struct wh_error *err)
{
	struct sync_http_req req;
	json_t *root = NULL;
	enum wh_err rc = sp_req(s, "POST", url, body, &req, err);

	json_decref(body);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, op, &req, &root, resp, err);
	json_decref(root);
	sync_http_req_free(&req);
	return rc;
}

static enum wh_err sp_ship(struct sync_ctx *c, struct sync_shop *s,
			   const json_t *pl, struct wh_error *err)
{
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL, *fo, *pick = NULL, *body;
	char b[64], b2[64];
	size_t i;
	enum wh_err rc;

	{
		char *u = sp_url(s, "orders/", sync_jget(pl, "platform_order_id",
							 b, sizeof(b)));
		char *u2 = u ? sync_str_join(u, "/fulfillment_orders.json",
					     NULL) : NULL;

		free(u);
		rc = sp_get_json(c, s, SYNC_OP_DETAIL, u2, &root, err);
	}
	if (rc)
		return rc;
	json_array_foreach(json_object_get(root, "fulfillment_orders"), i, fo) {
		const char *st = json_string_value(json_object_get(fo,
								   "status"));

		if (st && (!strcmp(st, "open") || !strcmp(st, "in_progress")))
			pick = fo;
		if (st && !strcmp(st, "closed") && !pick)
			pick = fo;
	}
	if (!pick) {
		json_decref(root);
		return wh_error_set(err, WH_ERR_REFUSED, "%s: no open "
				    "fulfillment order", s->code);
	}
	if (!strcmp(json_string_value(json_object_get(pick, "status")),
		    "closed")) {
		/* Fulfilled already: an earlier try got through. */
		json_decref(root);
		return WH_OK;
	}
	body = json_pack("{s:{s:[{s:O}],s:{s:s,s:s},s:b}}", "fulfillment",
			 "line_items_by_fulfillment_order",
			 "fulfillment_order_id",
			 json_object_get(pick, "id"), "tracking_info",
			 "company", sync_jget(pl, "carrier", b, sizeof(b)),
			 "number", sync_jget(pl, "tracking_no", b2,
					     sizeof(b2)),
			 "notify_customer", 1);
	json_decref(root);
	if (!body)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sp_post(c, s, SYNC_OP_SHIP, sp_url(s, "fulfillments.json", NULL),
		     body, &resp, err);
	if (rc && rc != WH_ERR_RETRY && strstr(resp.body ? resp.body : "",
					       "status= closed"))
		rc = WH_OK;
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err sp_stock(struct sync_ctx *c, struct sync_shop *s,
			    const json_t *pl, struct wh_error *err)
{
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL, *item, *body;
	char b[64], path[96];
	enum wh_err rc;

	if (!s->shopify_location) {
		rc = sp_get_json(c, s, SYNC_OP_DETAIL,
				 sp_url(s, "locations.json", NULL), &root, err);
		if (rc)
			return rc;
		s->shopify_location = json_integer_value(json_object_get(
			json_array_get(json_object_get(root, "locations"), 0),
			"id"));
		json_decref(root);
		root = NULL;
		if (!s->shopify_location)
			return wh_error_set(err, WH_ERR_REFUSED, "%s: the store "
					    "has no location", s->code);
	}
	snprintf(path, sizeof(path), "variants/%s.json",
		 sync_jget(pl, "platform_sku_id", b, sizeof(b)));
	rc = sp_get_json(c, s, SYNC_OP_DETAIL, sp_url(s, path, NULL), &root,
			 err);
	if (rc)
		return rc;
	item = json_object_get(json_object_get(root, "variant"),
			       "inventory_item_id");
	if (!json_is_integer(item)) {
		json_decref(root);
		return wh_error_set(err, WH_ERR_REFUSED, "%s: variant has no "
				    "inventory item", s->code);
	}
	body = json_pack("{s:I,s:O,s:I}", "location_id",
			 (json_int_t)s->shopify_location, "inventory_item_id",
			 item, "available",
			 json_integer_value(json_object_get(pl, "qty")));
	json_decref(root);
	if (!body)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sp_post(c, s, SYNC_OP_STOCK,
		     sp_url(s, "inventory_levels/set.json", NULL), body, &resp,
		     err);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err sp_push(struct sync_ctx *c, struct sync_shop *s,
			   const char *kind, const json_t *pl, int64_t oid,
			   struct wh_error *err)
{
	(void)oid;
	if (!strcmp(kind, "ship_confirm"))
		return sp_ship(c, s, pl, err);
	return sp_stock(c, s, pl, err);
}

const struct sync_adapter sync_adapter_shopify = {
	.platform = SYNC_PLATFORM_SHOPIFY,
	.window = { 300, 30 * 86400, 0, 4 },
	.prepare = NULL,
	.fetch_window = sp_fetch,
	.push = sp_push,
};
