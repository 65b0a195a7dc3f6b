/*
 * adapter_top.c - Taobao / Tmall (TOP): taobao.trades.sold.increment.get
 * over windows of at most 30 minutes, walked from the last page back to
 * the first (the list is sorted by modified time, newest first, so pages
 * shift towards the end while we read; going backwards never skips an
 * order; page 1, read first for the total, is read again last),
 * taobao.trade.fullinfo.get for trades the list sent without their
 * lines, taobao.logistics.offline.send and
 * taobao.item.quantity.update (full quantity, type=1).
 */
#include <stdlib.h>
#include <string.h>

#include "sync/jfield.h"
#include "sync/sign.h"
#include "sync/sync_adapter.h"
#include "sync/synctime.h"

#define TOP_PAGE_SIZE 100
#define TOP_FIELDS                                                         \
	"tid,status,type,created,modified,pay_time,buyer_nick,receiver_name," \
	"receiver_mobile,receiver_state,receiver_city,receiver_district,"   \
	"receiver_address,receiver_zip,total_fee,post_fee,discount_fee,"    \
	"payment,buyer_message,seller_memo,orders"

enum wh_err sync_top_request(const struct sync_shop *s, const char *method,
			     const struct sync_params *app, int64_t now,
			     struct sync_http_req *out, struct wh_error *err)
{
	struct sync_params p;
	char ts[32], sign[SYNC_SIGN_MAX];
	char *body = NULL, *url = NULL;
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	sync_params_init(&p);
	sync_fmt_local(now, SYNC_TZ_CHINA, ts, sizeof(ts));
	rc = sync_params_add(&p, "method", method, err);
	if (!rc)
		rc = sync_params_add(&p, "app_key", s->creds.app_key, err);
	if (!rc)
		rc = sync_params_add(&p, "session", s->creds.token, err);
	if (!rc)
		rc = sync_params_add(&p, "timestamp", ts, err);
	if (!rc)
		rc = sync_params_add(&p, "v", "2.0", err);
	if (!rc)
		rc = sync_params_add(&p, "sign_method", "md5", err);
	if (!rc)
		rc = sync_params_add(&p, "format", "json", err);
	for (size_t i = 0; !rc && app && i < app->n; i++)
		rc = sync_params_add(&p, app->v[i].key, app->v[i].value, err);
	if (!rc)
		rc = sync_sign_top(&p, s->creds.secret, SYNC_SIGN_MD5, sign,
				   err);
	if (!rc)
		rc = sync_params_add(&p, "sign", sign, err);
	if (!rc)
		rc = sync_form_encode(&p, &body, err);
	if (!rc) {
		url = sync_str_join(s->base_url, "/router/rest", NULL);
		if (!url)
			rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
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
	if (body)
		sync_params_wipe_free(body, strlen(body));
	sync_params_free(&p);
	return rc;
}

/* The trades array of a list or a fullinfo answer (borrowed). */
static json_t *top_trades(json_t *root)
{
	json_t *r = json_object_get(root, "trades_sold_increment_get_response");
	json_t *t;

	if (!r)
		r = json_object_get(root, "trades_sold_get_response");
	t = json_object_get(r, "trades");
	if (json_is_object(t))
		t = json_object_get(t, "trade");
	return json_is_array(t) ? t : NULL;
}

static enum wh_err list_page(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, long page,
			     struct sync_order_list *list, json_t **root,
			     struct wh_error *err)
{
	struct sync_params app;
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	char a[32], b[32];
	enum wh_err rc;

	sync_params_init(&app);
	sync_fmt_local(w->start, SYNC_TZ_CHINA, a, sizeof(a));
	/* Both ends inclusive: an order on the boundary is read twice,
	 * which the idempotent upsert absorbs, rather than never. */
	sync_fmt_local(w->end, SYNC_TZ_CHINA, b, sizeof(b));
	rc = sync_params_add(&app, "fields", TOP_FIELDS, err);
	if (!rc)
		rc = sync_params_add(&app, "start_modified", a, err);
	if (!rc)
		rc = sync_params_add(&app, "end_modified", b, err);
	if (!rc)
		rc = sync_params_add_int(&app, "page_no", page, err);
	if (!rc)
		rc = sync_params_add_int(&app, "page_size", TOP_PAGE_SIZE, err);
	if (!rc)
		rc = sync_top_request(s, "taobao.trades.sold.increment.get",
				      &app, sync_now(), &req, err);
	sync_params_free(&app);
	if (rc)
		return rc;
	rc = sync_call_orders(c, s, &req, list, root, &resp, err);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

/* Replaces order i (sent without lines) by its fullinfo. */
static enum wh_err fullinfo(struct sync_ctx *c, struct sync_shop *s,
			    struct sync_order_list *list, size_t i,
			    json_t *raw, struct wh_error *err)
{
	struct sync_params app;
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	struct sync_order_list one;
	json_t *root = NULL;
	enum wh_err rc;

	sync_params_init(&app);
	sync_order_list_init(&one);
	rc = sync_params_add(&app, "fields", TOP_FIELDS, err);
	if (!rc)
		rc = sync_params_add(&app, "tid", list->v[i].order_id, err);
	if (!rc)
		rc = sync_top_request(s, "taobao.trade.fullinfo.get", &app,
				      sync_now(), &req, err);
	sync_params_free(&app);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, SYNC_OP_DETAIL, &req, &root, &resp, err);
	if (!rc)
		rc = sync_parse_top_orders(resp.body, resp.len, &one, err);
	if (!rc && one.n == 1) {
		json_t *t = json_object_get(json_object_get(
			root, "trade_fullinfo_get_response"), "trade");

		sync_order_free(&list->v[i]);
		list->v[i] = one.v[0];
		one.n = 0;
		if (raw && t)
			json_array_set(raw, i, t);
	}
	json_decref(root);
	sync_order_list_free(&one);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

/*
 * One page of the window with every order complete: an order the list
 * sent without lines is replaced by its fullinfo (and so is its raw
 * copy). The walker reads page 1 twice, so such an order there is asked
 * for twice; the list sends lines for all but a few.
 */
static enum wh_err list_full(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, long page,
			     struct sync_order_list *list, json_t **root,
			     struct wh_error *err)
{
	enum wh_err rc = list_page(c, s, w, page, list, root, err);
	json_t *raw;

	if (rc)
		return rc;
	raw = top_trades(*root);
	if (raw && json_array_size(raw) != list->n)
		raw = NULL;
	for (size_t i = 0; !rc && i < list->n; i++)
		if (!list->v[i].nlines && !list->v[i].error)
			rc = fullinfo(c, s, list, i, raw, err);
	return rc;
}

/* The window walked backwards like every paged platform's, so an order
 * that enters it or moves to its front while it is read makes the walk
 * start again rather than push older ones past the pages read. */
static enum wh_err top_fetch(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, sync_page_fn page,
			     void *ctx, struct wh_error *err)
{
	return sync_walk_backwards(c, s, w, 1, TOP_PAGE_SIZE, list_full,
				   top_trades, page, ctx, err);
}

/* A TOP answer to a push: error envelope words, or OK. */
static enum wh_err push_result(struct sync_shop *s, enum wh_err rc,
			       const struct sync_http_resp *resp)
{
	struct sync_api_error ae;

	if (rc == WH_OK || rc == WH_ERR_RETRY)
		return rc;
	sync_api_classify(s->platform, resp->status, resp->body, resp->len,
			  &ae);
	/* Already shipped (B27) means our earlier try got through. */
	if (strstr(ae.sub_code, ":B27"))
		return WH_OK;
	return rc;
}

static enum wh_err top_push(struct sync_ctx *c, struct sync_shop *s,
			    const char *kind, const json_t *pl, int64_t oid,
			    struct wh_error *err)
{
	struct sync_params app;
	struct sync_http_req req;
	struct sync_http_resp resp = { 0 };
	json_t *root = NULL;
	char b1[32], b2[32];
	enum wh_err rc;
	const char *method;

	(void)oid;
	sync_params_init(&app);
	if (!strcmp(kind, "ship_confirm")) {
		method = "taobao.logistics.offline.send";
		rc = sync_params_add(&app, "tid",
				     sync_jget(pl, "platform_order_id", b1,
					       sizeof(b1)), err);
		if (!rc)
			rc = sync_params_add(&app, "out_sid",
					     sync_jget(pl, "tracking_no", b1,
						       sizeof(b1)), err);
		if (!rc)
			rc = sync_params_add(&app, "company_code",
					     sync_jget(pl, "carrier", b1,
						       sizeof(b1)), err);
	} else {
		method = "taobao.item.quantity.update";
		rc = sync_params_add(&app, "num_iid",
				     sync_jget(pl, "platform_item_id", b1,
					       sizeof(b1)), err);
		if (!rc)
			rc = sync_params_add(&app, "sku_id",
					     sync_jget(pl, "platform_sku_id", b2,
						       sizeof(b2)), err);
		if (!rc)
			rc = sync_params_add(&app, "quantity",
					     sync_jget(pl, "qty", b1,
						       sizeof(b1)), err);
		if (!rc)
			rc = sync_params_add(&app, "type", "1", err);
	}
	if (!rc)
		rc = sync_top_request(s, method, &app, sync_now(), &req, err);
	sync_params_free(&app);
	if (rc)
		return rc;
	rc = sync_call_json(c, s, !strcmp(kind, "ship_confirm") ?
			    SYNC_OP_SHIP : SYNC_OP_STOCK, &req, &root, &resp,
			    err);
	rc = push_result(s, rc, &resp);
	json_decref(root);
	sync_http_req_free(&req);
	sync_http_resp_free(&resp);
	return rc;
}

const struct sync_adapter sync_adapter_top = {
	.platform = SYNC_PLATFORM_TOP,
	.window = { 300, 1800, 90 * 86400, 48 },
	.prepare = NULL,
	.fetch_window = top_fetch,
	.push = top_push,
};
