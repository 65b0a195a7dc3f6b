/*
 * adapter_woo.c - WooCommerce REST v3: orders by modified_after /
 * modified_before (GMT), newest first, page + X-WP-TotalPages walked
 * backwards; HTTP Basic ck:cs (over HTTPS in production; the simulator
 * is loopback http). Core WooCommerce has no tracking field: a shipment
 * status "completed" with _tracking_number / _tracking_provider meta
 * data (what the usual tracking plugins read). Stock: PUT products/{id} with manage_stock and the full
 * stock_quantity.
 */
#include <stdlib.h>
#include <string.h>

#include "sync/sign.h"
#include "sync/sync_adapter.h"

#define WOO_API "/wp-json/wc/v3/"
#define WOO_PAGE_SIZE 100

static enum wh_err woo_req(const struct sync_shop *s, const char *method,
			   char *url, const json_t *body,
			   struct sync_http_req *out, struct wh_error *err)
{
	char *auth = NULL;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	if (!url)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_woo_basic_auth(s->creds.app_key, s->creds.secret, &auth,
				 err);
	if (!rc)
		rc = sync_http_req_init(out, method, url, err);
	if (!rc)
		rc = sync_http_req_header(out, "Authorization", auth, err);
	if (!rc && body) {
		char *t = sync_json_text(body);

		rc = t ? sync_http_req_header(out, "Content-Type",
					      "application/json", err) :
			 wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		if (!rc)
			rc = sync_http_req_body(out, t, strlen(t), err);
		free(t);
	}
	if (auth)
		sync_params_wipe_free(auth, strlen(auth));
	free(url);
	if (rc)
		sync_http_req_free(out);
	return rc;
}

enum wh_err sync_woo_orders_request(const struct sync_shop *s,
				    const struct sync_window *w, long page,
				    struct sync_http_req *out,
				    struct wh_error *err)
{
	char a[32], b[32], pg[24];
	char *url = sync_str_join(s->base_url, WOO_API, "orders");
	enum wh_err rc;

	if (!url)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	/* Woo reads these as GMT with dates_are_gmt; no zone suffix. */
	sync_fmt_local(w->start, 0, a, sizeof(a));
	sync_fmt_local(w->end, 0, b, sizeof(b));
	a[10] = b[10] = 'T';
	snprintf(pg, sizeof(pg), "%ld", page);
	rc = sync_url_add_query(&url, "modified_after", a, err);
	if (!rc)
		rc = sync_url_add_query(&url, "modified_before", b, err);
	if (!rc)
		rc = sync_url_add_query(&url, "dates_are_gmt", "true", err);
	if (!rc)
		rc = sync_url_add_query(&url, "orderby", "modified", err);
	if (!rc)
		rc = sync_url_add_query(&url, "order", "desc", err);
	if (!rc)
		rc = sync_url_add_query(&url, "per_page", "100", err);
	if (!rc)
		rc = sync_url_add_query(&url, "page", pg, err);
	if (rc) {
		free(url);
		return rc;
	}
	return woo_req(s, "GET", url, NULL, out, err);
}

static json_t *woo_raw(json_t *root)
{
	return json_is_array(root) ? root : NULL;
}

static enum wh_err woo_list(struct sync_ctx *c, struct sync_shop *s,
			    const struct sync_window *w, long page,
			    struct sync_order_list *list, json_t **root,
			    struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	enum wh_err rc = sync_woo_orders_request(s, w, page, &req, err);

	if (rc)
		return rc;
	rc = sync_call_orders(c, s, &req, list, root, &resp, err);
	/* The walker counts pages from total: give it pages * size (a
	 * count past what int64 holds is passed on as the largest, which
	 * the walker refuses, rather than overflowing here). */
	if (!rc && resp.wp_total_pages) {
		long long pages = strtoll(resp.wp_total_pages, NULL, 10);

		list->total = pages < 0 ? -1 :
			      pages > INT64_MAX / WOO_PAGE_SIZE ?
			      INT64_MAX : (int64_t)pages * WOO_PAGE_SIZE;
	}
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err woo_fetch(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, sync_page_fn page,
			     void *ctx, struct wh_error *err)
{
	return sync_walk_backwards(c, s, w, 1, WOO_PAGE_SIZE, woo_list,
				   woo_raw, page, ctx, err);
}

static enum wh_err woo_send(struct sync_ctx *c, struct sync_shop *s,
			    enum sync_op op, const char *method, char *url,
			    json_t *body, struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL;
	enum wh_err rc = woo_req(s, method, url, body, &req, err);

	json_decref(body);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, op, &req, &root, &resp, err);
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err woo_push(struct sync_ctx *c, struct sync_shop *s,
			    const char *kind, const json_t *pl, int64_t oid,
			    struct wh_error *err)
{
	char b1[64], b2[64], b3[64], path[160];
	enum wh_err rc;

	(void)oid;
	if (strcmp(kind, "ship_confirm")) {
		const char *id = sync_jget(pl, "platform_item_id", b1,
					   sizeof(b1));

		snprintf(path, sizeof(path), "products/%s", id);
		return woo_send(c, s, SYNC_OP_STOCK, "PUT",
				sync_str_join(s->base_url, WOO_API, path),
				json_pack("{s:b,s:I}", "manage_stock", 1,
					  "stock_quantity",
					  json_integer_value(json_object_get(
						  pl, "qty"))),
				err);
	}
	snprintf(path, sizeof(path), "orders/%s",
		 sync_jget(pl, "platform_order_id", b1, sizeof(b1)));
	/* Completed with the tracking in the meta_data keys that the
	 * common tracking plugins read; completing twice is a no-op. */
	rc = woo_send(c, s, SYNC_OP_SHIP, "PUT",
		      sync_str_join(s->base_url, WOO_API, path),
		      json_pack("{s:s,s:[{s:s,s:s},{s:s,s:s}]}", "status",
				"completed", "meta_data", "key",
				"_tracking_number", "value",
				sync_jget(pl, "tracking_no", b3, sizeof(b3)),
				"key", "_tracking_provider", "value",
				sync_jget(pl, "carrier", b2, sizeof(b2))),
		      err);
	return rc;
}

const struct sync_adapter sync_adapter_woo = {
	.platform = SYNC_PLATFORM_WOO,
	.window = { 300, 30 * 86400, 0, 4 },
	.prepare = NULL,
	.fetch_window = woo_fetch,
	.push = woo_push,
};
