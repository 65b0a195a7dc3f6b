/*
 * adapter_douyin.c - Douyin shop (抖店): order.searchList by update time
 * (pages from 0, newest first, walked backwards like the others),
 * order.logisticsAdd, sku.syncStock (incremental=false) and
 * /token/refresh before the access token expires.
 *
 * System parameters go in the query string; the body is param_json in
 * canonical form (keys sorted, compact, UTF-8), exactly what is signed.
 */
#include <stdlib.h>
#include <string.h>

#include "sync/sign.h"
#include "sync/sync_adapter.h"

#define DY_PAGE_SIZE 100

enum wh_err sync_douyin_request(const struct sync_shop *s,
				const char *method, const json_t *param,
				int64_t now, bool with_token,
				struct sync_http_req *out,
				struct wh_error *err)
{
	char sign[SYNC_SIGN_MAX], ts[24], path[96];
	char *pj = NULL, *url = NULL;
	enum wh_err rc;
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	snprintf(ts, sizeof(ts), "%lld", (long long)now);
	/* order.searchList -> /order/searchList */
	path[k++] = '/';
	for (const char *m = method; *m && k + 1 < sizeof(path); m++)
		path[k++] = *m == '.' ? '/' : *m;
	path[k] = '\0';
	rc = sync_json_canonical(param, &pj, err);
	if (!rc)
		rc = sync_sign_douyin(s->creds.app_key, method, pj, ts, "2",
				      s->creds.secret, SYNC_SIGN_HMAC_SHA256,
				      sign, err);
	if (!rc && !(url = sync_str_join(s->base_url, path, NULL)))
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = sync_url_add_query(&url, "app_key", s->creds.app_key, err);
	if (!rc)
		rc = sync_url_add_query(&url, "method", method, err);
	if (!rc && with_token)
		rc = sync_url_add_query(&url, "access_token", s->creds.token,
					err);
	if (!rc)
		rc = sync_url_add_query(&url, "timestamp", ts, err);
	if (!rc)
		rc = sync_url_add_query(&url, "v", "2", err);
	if (!rc)
		rc = sync_url_add_query(&url, "sign_method", "hmac-sha256",
					err);
	if (!rc)
		rc = sync_url_add_query(&url, "sign", sign, err);
	if (!rc)
		rc = sync_http_req_init(out, "POST", url, err);
	if (!rc)
		rc = sync_http_req_header(out, "Content-Type",
					  "application/json;charset=UTF-8",
					  err);
	if (!rc)
		rc = sync_http_req_body(out, pj, strlen(pj), err);
	if (rc)
		sync_http_req_free(out);
	if (url)
		sync_params_wipe_free(url, strlen(url));
	free(pj);
	return rc;
}

static json_t *dy_raw(json_t *root)
{
	return json_object_get(json_object_get(root, "data"),
			       "shop_order_list");
}

static enum wh_err dy_refresh(struct sync_ctx *c, struct sync_shop *s,
			      struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *param, *root = NULL, *d;
	const char *tok, *rt;
	enum wh_err rc;

	if (s->token_expires > sync_now() + 300 || !s->creds.refresh)
		return WH_OK;
	param = json_pack("{s:s,s:s}", "grant_type", "refresh_token",
			  "refresh_token", s->creds.refresh);
	if (!param)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_douyin_request(s, "token.refresh", param, sync_now(), false,
				 &req, err);
	json_decref(param);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, SYNC_OP_TOKEN, &req, &root, &resp, err);
	d = json_object_get(root, "data");
	tok = json_string_value(json_object_get(d, "access_token"));
	rt = json_string_value(json_object_get(d, "refresh_token"));
	if (!rc && (!tok || !*tok))
		rc = wh_error_set(err, WH_ERR_PERM, "%s: token refresh gave "
				  "no access_token", s->code);
	if (!rc) {
		char *nt = strdup(tok), *nr = rt ? strdup(rt) : NULL;

		if (!nt || (rt && !nr)) {
			free(nt);
			free(nr);
			rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		} else {
			sync_params_wipe_free(s->creds.token,
					      strlen(s->creds.token));
			s->creds.token = nt;
			if (nr) {
				sync_params_wipe_free(s->creds.refresh,
						      strlen(s->creds.refresh));
				s->creds.refresh = nr;
			}
			s->token_expires = sync_now() +
				json_integer_value(json_object_get(
					d, "expires_in"));
			sync_log(c, SYNC_LOG_INFO, "%s: access token "
				 "refreshed", s->code);
		}
	}
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err dy_list(struct sync_ctx *c, struct sync_shop *s,
			   const struct sync_window *w, long page,
			   struct sync_order_list *list, json_t **root,
			   struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *param;
	enum wh_err rc;

	param = json_pack("{s:I,s:I,s:I,s:i,s:s,s:b}", "update_time_start",
			  (json_int_t)w->start, "update_time_end",
			  (json_int_t)w->end, "page", (json_int_t)page,
			  "size", DY_PAGE_SIZE, "order_by", "update_time",
			  "order_asc", 0);
	if (!param)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_douyin_request(s, "order.searchList", param, sync_now(),
				 true, &req, err);
	json_decref(param);
	if (rc)
		return rc;
	rc = sync_call_orders(c, s, &req, list, root, &resp, err);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err dy_fetch(struct sync_ctx *c, struct sync_shop *s,
			    const struct sync_window *w, sync_page_fn page,
			    void *ctx, struct wh_error *err)
{
	return sync_walk_backwards(c, s, w, 0, DY_PAGE_SIZE, dy_list, dy_raw,
				   page, ctx, err);
}

static enum wh_err dy_push(struct sync_ctx *c, struct sync_shop *s,
			   const char *kind, const json_t *pl, int64_t oid,
			   struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *param, *root = NULL;
	char b1[64], b2[64], b3[64], b4[64], idem[40];
	bool ship = !strcmp(kind, "ship_confirm");
	enum wh_err rc;
	const char *carrier = sync_jget(pl, "carrier", b2, sizeof(b2));

	snprintf(idem, sizeof(idem), "wharf-outbox-%lld", (long long)oid);
	if (ship)
		param = json_pack("{s:s,s:s,s:s,s:s}", "order_id",
				  sync_jget(pl, "platform_order_id", b1,
					    sizeof(b1)),
				  "company_code", carrier, "company", carrier,
				  "logistics_code", sync_jget(pl, "tracking_no",
							      b3, sizeof(b3)));
	else
		param = json_pack("{s:s,s:I,s:b,s:s}", "out_sku_id",
				  sync_jget(pl, "sku", b1, sizeof(b1)),
				  "stock_num",
				  (json_int_t)strtoll(sync_jget(pl, "qty", b4,
								sizeof(b4)),
						      NULL, 10),
				  "incremental", 0, "idempotent_id", idem);
	if (!param)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_douyin_request(s, ship ? "order.logisticsAdd" :
				 "sku.syncStock", param, sync_now(), true,
				 &req, err);
	json_decref(param);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, ship ? SYNC_OP_SHIP : SYNC_OP_STOCK, &req,
			    &root, &resp, err);
	if (rc && rc != WH_ERR_RETRY && ship && strstr(resp.body, "已发货"))
		rc = WH_OK;
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

const struct sync_adapter sync_adapter_douyin = {
	.platform = SYNC_PLATFORM_DOUYIN,
	.window = { 300, 86400, 0, 60 },
	.prepare = dy_refresh,
	.fetch_window = dy_fetch,
	.push = dy_push,
};
