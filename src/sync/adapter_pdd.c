/*
 * adapter_pdd.c - Pinduoduo: pdd.order.number.list.increment.get over
 * windows of at most 30 minutes (the API refuses more), all statuses,
 * pages walked backwards from the last; pdd.logistics.online.send and
 * pdd.goods.quantity.update (update_type=1, full quantity).
 */
#include <stdlib.h>
#include <string.h>

#include "sync/sign.h"
#include "sync/sync_adapter.h"

#define PDD_PAGE_SIZE 100

enum wh_err sync_pdd_request(const struct sync_shop *s, const char *type,
			     const struct sync_params *app, int64_t now,
			     struct sync_http_req *out, struct wh_error *err)
{
	struct sync_params p;
	char sign[SYNC_SIGN_MAX];
	char *body = NULL, *url = NULL;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	sync_params_init(&p);
	rc = sync_params_add(&p, "type", type, err);
	if (!rc)
		rc = sync_params_add(&p, "client_id", s->creds.app_key, err);
	if (!rc)
		rc = sync_params_add(&p, "access_token", s->creds.token, err);
	if (!rc)
		rc = sync_params_add_int(&p, "timestamp", now, err);
	if (!rc)
		rc = sync_params_add(&p, "data_type", "JSON", err);
	for (size_t i = 0; !rc && app && i < app->n; i++)
		rc = sync_params_add(&p, app->v[i].key, app->v[i].value, err);
	if (!rc)
		rc = sync_sign_pdd(&p, s->creds.secret, sign, err);
	if (!rc)
		rc = sync_params_add(&p, "sign", sign, err);
	if (!rc)
		rc = sync_form_encode(&p, &body, err);
	if (!rc && !(url = sync_str_join(s->base_url, "/api/router", NULL)))
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = sync_http_req_init(out, "POST", url, err);
	if (!rc)
		rc = sync_http_req_header(out, "Content-Type",
					  "application/x-www-form-urlencoded",
					  err);
	if (!rc)
		rc = sync_http_req_body(out, body, strlen(body), err);
	if (rc)
		sync_http_req_free(out);
	free(url);
	if (body)
		sync_params_wipe_free(body, strlen(body));
	sync_params_free(&p);
	return rc;
}

static json_t *pdd_raw(json_t *root)
{
	return json_object_get(json_object_get(root,
			       "order_sn_increment_get_response"),
			       "order_sn_list");
}

static enum wh_err pdd_list(struct sync_ctx *c, struct sync_shop *s,
			    const struct sync_window *w, long page,
			    struct sync_order_list *list, json_t **root,
			    struct wh_error *err)
{
	struct sync_params app;
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	enum wh_err rc;

	sync_params_init(&app);
	rc = sync_params_add(&app, "order_status", "5", err);
	if (!rc)
		rc = sync_params_add(&app, "refund_status", "5", err);
	if (!rc)
		rc = sync_params_add(&app, "is_lucky_flag", "0", err);
	if (!rc)
		rc = sync_params_add_int(&app, "start_updated_at", w->start,
					 err);
	if (!rc)
		rc = sync_params_add_int(&app, "end_updated_at", w->end, err);
	if (!rc)
		rc = sync_params_add_int(&app, "page", page, err);
	if (!rc)
		rc = sync_params_add_int(&app, "page_size", PDD_PAGE_SIZE,
					 err);
	if (!rc)
		rc = sync_pdd_request(s, "pdd.order.number.list.increment.get",
				      &app, sync_now(), &req, err);
	sync_params_free(&app);
	if (rc)
		return rc;
	rc = sync_call_orders(c, s, &req, list, root, &resp, err);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err pdd_fetch(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, sync_page_fn page,
			     void *ctx, struct wh_error *err)
{
	return sync_walk_backwards(c, s, w, 1, PDD_PAGE_SIZE, pdd_list,
				   pdd_raw, page, ctx, err);
}

static enum wh_err pdd_push(struct sync_ctx *c, struct sync_shop *s,
			    const char *kind, const json_t *pl, int64_t oid,
			    struct wh_error *err)
{
	struct sync_params app;
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL;
	char b[64];
	enum wh_err rc;
	bool ship = !strcmp(kind, "ship_confirm");

	(void)oid;
	sync_params_init(&app);
	if (ship) {
		rc = sync_params_add(&app, "order_sn",
				     sync_jget(pl, "platform_order_id", b,
					       sizeof(b)), err);
		if (!rc)
			rc = sync_params_add(&app, "logistics_id",
					     sync_jget(pl, "carrier", b,
						       sizeof(b)), err);
		if (!rc)
			rc = sync_params_add(&app, "tracking_number",
					     sync_jget(pl, "tracking_no", b,
						       sizeof(b)), err);
	} else {
		rc = sync_params_add(&app, "goods_id",
				     sync_jget(pl, "platform_item_id", b,
					       sizeof(b)), err);
		if (!rc)
			rc = sync_params_add(&app, "sku_id",
					     sync_jget(pl, "platform_sku_id", b,
						       sizeof(b)), err);
		if (!rc)
			rc = sync_params_add(&app, "quantity",
					     sync_jget(pl, "qty", b, sizeof(b)),
					     err);
		if (!rc)
			rc = sync_params_add(&app, "update_type", "1", err);
	}
	if (!rc)
		rc = sync_pdd_request(s, ship ? "pdd.logistics.online.send" :
					 "pdd.goods.quantity.update",
				      &app, sync_now(), &req, err);
	sync_params_free(&app);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, ship ? SYNC_OP_SHIP : SYNC_OP_STOCK, &req,
			    &root, &resp, err);
	/* "already shipped": an earlier try got through. */
	if (rc && rc != WH_ERR_RETRY && ship && strstr(resp.body, "已发货"))
		rc = WH_OK;
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

const struct sync_adapter sync_adapter_pdd = {
	.platform = SYNC_PLATFORM_PDD,
	.window = { 300, 1800, 0, 48 },
	.prepare = NULL,
	.fetch_window = pdd_fetch,
	.push = pdd_push,
};
