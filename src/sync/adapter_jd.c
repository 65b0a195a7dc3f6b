/*
 * adapter_jd.c - JD: jingdong.pop.order.search by modification time
 * (dateType 0) over day-long windows (the API allows 30 days), every
 * order state, pages walked backwards; jingdong.pop.order.shipment and
 * jingdong.stock.write.updateSkuStock (full quantity).
 *
 * Application parameters travel as one JSON text, 360buy_param_json,
 * signed together with the system parameters (the TOP md5 rule).
 */
#include <stdlib.h>
#include <string.h>

#include "sync/sign.h"
#include "sync/sync_adapter.h"
#include "sync/synctime.h"

#define JD_PAGE_SIZE 100
#define JD_STATES                                                       \
	"WAIT_SELLER_STOCK_OUT,WAIT_GOODS_RECEIVE_CONFIRM,FINISHED_L,"  \
	"TRADE_CANCELED,LOCKED,PAUSE,POP_ORDER_PAUSE,WAIT_SEND_CODE"

enum wh_err sync_jd_request(const struct sync_shop *s, const char *method,
			    const json_t *param, int64_t now,
			    struct sync_http_req *out, struct wh_error *err)
{
	struct sync_params p;
	char ts[32], sign[SYNC_SIGN_MAX];
	char *pj = sync_json_text(param), *body = NULL, *url = NULL;
	enum wh_err rc = WH_OK;

	memset(out, 0, sizeof(*out));
	sync_params_init(&p);
	if (!pj)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	sync_fmt_local(now, SYNC_TZ_CHINA, ts, sizeof(ts));
	rc = sync_params_add(&p, "method", method, err);
	if (!rc)
		rc = sync_params_add(&p, "app_key", s->creds.app_key, err);
	if (!rc)
		rc = sync_params_add(&p, "access_token", s->creds.token, err);
	if (!rc)
		rc = sync_params_add(&p, "timestamp", ts, err);
	if (!rc)
		rc = sync_params_add(&p, "v", "2.0", err);
	if (!rc)
		rc = sync_params_add(&p, "360buy_param_json", pj, err);
	if (!rc)
		rc = sync_sign_jd(&p, s->creds.secret, sign, err);
	if (!rc)
		rc = sync_params_add(&p, "sign", sign, err);
	if (!rc)
		rc = sync_form_encode(&p, &body, err);
	if (!rc && !(url = sync_str_join(s->base_url, "/routerjson", NULL)))
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = sync_http_req_init(out, "POST", url, err);
	if (!rc)
		rc = sync_http_req_header(out, "Content-Type",
					  "application/x-www-form-urlencoded;"
					  "charset=utf-8", err);
	if (!rc)
		rc = sync_http_req_body(out, body, strlen(body), err);
	if (rc)
		sync_http_req_free(out);
	free(url);
	free(pj);
	if (body)
		sync_params_wipe_free(body, strlen(body));
	sync_params_free(&p);
	return rc;
}

static json_t *jd_raw(json_t *root)
{
	return json_object_get(json_object_get(json_object_get(
		root, "jingdong_pop_order_search_responce"),
		"searchorderinfo_result"), "orderInfoList");
}

static enum wh_err jd_list(struct sync_ctx *c, struct sync_shop *s,
			   const struct sync_window *w, long page,
			   struct sync_order_list *list, json_t **root,
			   struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	char a[32], b[32];
	json_t *param;
	enum wh_err rc;

	sync_fmt_local(w->start, SYNC_TZ_CHINA, a, sizeof(a));
	sync_fmt_local(w->end, SYNC_TZ_CHINA, b, sizeof(b));
	param = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "start_date", a,
			  "end_date", b, "order_state", JD_STATES, "dateType",
			  "0", "page", "0", "page_size", "0");
	if (!param)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	json_object_set_new(param, "page", json_integer(page));
	json_object_set_new(param, "page_size", json_integer(JD_PAGE_SIZE));
	rc = sync_jd_request(s, "jingdong.pop.order.search", param,
			     sync_now(), &req, err);
	json_decref(param);
	if (rc)
		return rc;
	rc = sync_call_orders(c, s, &req, list, root, &resp, err);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

static enum wh_err jd_fetch(struct sync_ctx *c, struct sync_shop *s,
			    const struct sync_window *w, sync_page_fn page,
			    void *ctx, struct wh_error *err)
{
	return sync_walk_backwards(c, s, w, 1, JD_PAGE_SIZE, jd_list, jd_raw,
				   page, ctx, err);
}

static enum wh_err jd_push(struct sync_ctx *c, struct sync_shop *s,
			   const char *kind, const json_t *pl, int64_t oid,
			   struct wh_error *err)
{
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL, *param, *r;
	char b1[64], b2[64], b3[64];
	bool ship = !strcmp(kind, "ship_confirm");
	enum wh_err rc;

	(void)oid;
	if (ship)
		param = json_pack("{s:s,s:s,s:s}", "orderId",
				  sync_jget(pl, "platform_order_id", b1,
					    sizeof(b1)),
				  "logiCoprId", sync_jget(pl, "carrier", b2,
							  sizeof(b2)),
				  "logiNo", sync_jget(pl, "tracking_no", b3,
						      sizeof(b3)));
	else
		param = json_pack("{s:s,s:s}", "skuId",
				  sync_jget(pl, "platform_sku_id", b1,
					    sizeof(b1)),
				  "stockNum", sync_jget(pl, "qty", b2,
							sizeof(b2)));
	if (!param)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	rc = sync_jd_request(s, ship ? "jingdong.pop.order.shipment" :
				 "jingdong.stock.write.updateSkuStock",
			     param, sync_now(), &req, err);
	json_decref(param);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, ship ? SYNC_OP_SHIP : SYNC_OP_STOCK, &req,
			    &root, &resp, err);
	if (!rc && ship) {
		r = json_object_get(json_object_get(root,
			"jingdong_pop_order_shipment_responce"),
			"sopjosshipment_result");
		if (!json_is_true(json_object_get(r, "success"))) {
			const char *en = json_string_value(
				json_object_get(r, "englishErrCode"));

			/* Shipped already: an earlier try got through. */
			if (!(en && strstr(en, "already shipped")))
				rc = wh_error_set(err, WH_ERR_REFUSED,
						  "%s: shipment refused: %s",
						  s->code, en ? en : "?");
		}
	} else if (!rc) {
		r = json_object_get(root,
				    "jingdong_stock_write_updateSkuStock_responce");
		if (!json_is_true(json_object_get(r, "success")))
			rc = wh_error_set(err, WH_ERR_REFUSED,
					  "%s: stock update refused", s->code);
	}
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

const struct sync_adapter sync_adapter_jd = {
	.platform = SYNC_PLATFORM_JD,
	.window = { 300, 86400, 0, 60 },
	.prepare = NULL,
	.fetch_window = jd_fetch,
	.push = jd_push,
};
