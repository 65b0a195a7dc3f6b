/*
 * sync_adapter.h - one adapter per marketplace, and the context they call
 * through (rate limits, retries with backoff, logging).
 *
 * An adapter builds each platform's requests with the colleague's signers
 * (sign.h), walks pages the way the platform requires, fetches details
 * where the list is partial, and hands every page of parsed orders to the
 * caller's callback. Outbound it confirms shipments and sets stock.
 *
 * The request builders (sync_*_request) are pure functions of their
 * arguments, declared here so unit tests can compare them with the
 * reference. Everything that does I/O goes through struct sync_ctx.
 *
 * Ownership: a struct sync_shop owns its strings and credentials
 * (sync_shop_free wipes the credentials). Callbacks borrow what they are
 * given for the duration of the call.
 */
#ifndef WHARF_SYNC_SYNC_ADAPTER_H
#define WHARF_SYNC_SYNC_ADAPTER_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "sync/order.h"
#include "sync/params.h"
#include "sync/ratelimit.h"
#include "sync/sync_http.h"
#include "sync/window.h"

enum sync_op {
	SYNC_OP_LIST = 0,
	SYNC_OP_DETAIL,
	SYNC_OP_SHIP,
	SYNC_OP_STOCK,
	SYNC_OP_TOKEN,
	SYNC_OP_COUNT,
};

/* Credentials; every string owned, wiped when freed. NULL when absent. */
struct sync_creds {
	char *app_key;     /* app key / client id / Woo consumer key */
	char *secret;      /* app secret / LWA client secret / Woo cs_ */
	char *token;       /* session or access token */
	char *refresh;     /* refresh token (Amazon LWA, Douyin) */
	char *webhook_secret; /* Shopify webhook HMAC key */
	char *lwa_url;     /* Amazon token endpoint */
	char *seller_id;   /* Amazon selling partner id */
	char *marketplace; /* Amazon marketplace id */
};

struct sync_shop {
	int64_t id;
	int64_t warehouse_id;
	char code[64];
	enum sync_platform platform;
	char *base_url;             /* no trailing '/' */
	struct sync_creds creds;
	int64_t token_expires;      /* epoch s; 0: refresh before use */
	struct sync_bucket bucket[SYNC_OP_COUNT];
	int64_t shopify_location;   /* cached location id, 0 unknown */
	char last_error[256];       /* no secrets: platform words only */
	int64_t last_pass_ms;       /* its last pass took; 0: none yet */
};

void sync_creds_free(struct sync_creds *c);
void sync_shop_free(struct sync_shop *s);

/*
 * Fills s->creds from a credentials_ref: "demo:<lower code>" gives the
 * simulator's demo credentials; "file:/path" reads a JSON object
 * {app_key, secret, token, refresh_token, webhook_secret, lwa_url,
 * seller_id, marketplace_id} from a file that must be a regular file
 * readable by its owner only (0600 or 0400), else WH_ERR_PERM.
 */
enum wh_err sync_creds_load(struct sync_shop *s, const char *ref,
			    struct wh_error *err);

enum sync_log_level { SYNC_LOG_ERROR, SYNC_LOG_WARN, SYNC_LOG_INFO,
		      SYNC_LOG_DEBUG };

struct sync_counters {
	long requests;
	long retries;
	long throttled;
	long transport_errors;
	long malformed;
};

struct sync_ctx {
	struct sync_http *http;
	double rate_scale;       /* multiplies the client-side limits */
	int max_attempts;        /* per request, >= 1 */
	int64_t backoff_base_ms;
	int64_t backoff_cap_ms;
	uint64_t rng;            /* xorshift state for jitter */
	atomic_bool *stop;       /* set: give up waiting, return RETRY */
	FILE *log;               /* NULL: silent */
	enum sync_log_level log_level;
	struct sync_counters count;
};

void sync_log(struct sync_ctx *c, enum sync_log_level lvl, const char *fmt,
	      ...) __attribute__((format(printf, 3, 4)));

/* Wall clock, epoch seconds / monotonic milliseconds. */
int64_t sync_now(void);
int64_t sync_mono_ms(void);

/* Sleeps ms, returning false early when c->stop is set. */
bool sync_sleep(struct sync_ctx *c, int64_t ms);

/* Sets up the shop's buckets for its platform, scaled. */
void sync_shop_init_buckets(struct sync_ctx *c, struct sync_shop *s);

/*
 * Sends req, waiting for the shop's op bucket first, and retries with
 * full-jitter backoff (never sooner than Retry-After) on transport errors,
 * HTTP 429 and 5xx, and the platform's rate-limit and server envelopes,
 * up to c->max_attempts. WH_OK: *resp holds an answer that is not one of
 * those (it may still be a 4xx or an error envelope; the caller decides).
 * WH_ERR_RETRY: every attempt failed transiently; *resp holds the last.
 */
enum wh_err sync_call(struct sync_ctx *c, struct sync_shop *s,
		      enum sync_op op, const struct sync_http_req *req,
		      struct sync_http_resp *resp, struct wh_error *err);

/*
 * sync_call() and then: the platform's error envelope becomes an error
 * (RETRY, PERM or REFUSED as sync_api_status_err says, with the
 * platform's words), and the body is loaded as JSON into *root (a new
 * reference). A body that is not JSON is retried like a 5xx: it is
 * what a proxy or a truncated transfer gives.
 */
enum wh_err sync_call_json(struct sync_ctx *c, struct sync_shop *s,
			   enum sync_op op, const struct sync_http_req *req,
			   json_t **root, struct sync_http_resp *resp,
			   struct wh_error *err);

/*
 * An order-list page: sync_call_json() and the platform's order parser,
 * retried when the parser refuses the page. *list (initialised by the
 * caller) receives the orders; *root the JSON for the raw copies.
 */
enum wh_err sync_call_orders(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_http_req *req,
			     struct sync_order_list *list, json_t **root,
			     struct sync_http_resp *resp,
			     struct wh_error *err);

/*
 * A page of orders for the caller (the ingest): orders and, parallel to
 * them, raw (a JSON array of the platform's order objects, borrowed; may
 * be NULL). last is true for the last page of the window: the caller
 * advances the watermark with it.
 */
typedef enum wh_err (*sync_page_fn)(void *ctx,
				    const struct sync_order_list *orders,
				    const json_t *raw, bool last,
				    struct wh_error *err);

struct sync_adapter {
	enum sync_platform platform;
	struct sync_window_spec window;
	/* Refreshes tokens that are about to expire; may be NULL. */
	enum wh_err (*prepare)(struct sync_ctx *c, struct sync_shop *s,
			       struct wh_error *err);
	enum wh_err (*fetch_window)(struct sync_ctx *c, struct sync_shop *s,
				    const struct sync_window *w,
				    sync_page_fn page, void *page_ctx,
				    struct wh_error *err);
	/*
	 * Confirms a shipment ("ship_confirm" payload of wharf.ship: the
	 * platform order id, carrier, tracking_no, lines[{platform_line_id,
	 * sku, qty}]) or sets a stock level ("stock_set": sku,
	 * platform_item_id, platform_sku_id, qty). outbox_id is stable
	 * across retries (Amazon's packageReferenceId). WH_OK also when
	 * the platform says it is done already. WH_ERR_RETRY: try again
	 * later; anything else is permanent.
	 */
	enum wh_err (*push)(struct sync_ctx *c, struct sync_shop *s,
			    const char *kind, const json_t *payload,
			    int64_t outbox_id, struct wh_error *err);
	/*
	 * The lines of an order take a call of their own (Amazon's
	 * getOrderItems), so the operation's quota bounds a pass of the
	 * shop: a pass starts such shops first.
	 */
	bool detail_per_order;
};

const struct sync_adapter *sync_adapter_for(enum sync_platform p);
/* wharf.platform enum text ("taobao", "tmall", ...) -> platform. */
bool sync_platform_from_db(const char *name, enum sync_platform *out);

/* ---- helpers shared by the adapters (sync_ctx.c) ---- */

/* "yyyy-MM-dd HH:mm:ss" at offset_s east of UTC, or ISO 8601 UTC. */
void sync_fmt_local(int64_t epoch, int offset_s, char *buf, size_t n);
void sync_fmt_iso(int64_t epoch, char *buf, size_t n);
/* k=v&k=v with both percent-encoded, in list order. */
enum wh_err sync_form_encode(const struct sync_params *p, char **out,
			     struct wh_error *err);
/* Compact JSON text of j (keys sorted); malloc'd. */
char *sync_json_text(const json_t *j);
/* payload member as text ("" when absent); integers printed. */
const char *sync_jget(const json_t *obj, const char *key, char *buf,
		      size_t n);

/* One page of a page-numbered list: the orders and the JSON root. */
typedef enum wh_err (*sync_list_fn)(struct sync_ctx *c, struct sync_shop *s,
				    const struct sync_window *w, long page,
				    struct sync_order_list *list,
				    json_t **root, struct wh_error *err);

/*
 * Walks a page-numbered list sorted newest first: page first_page to
 * learn the total, then from the last page back to the first, so the
 * pages that shift while we read shift onto pages already read. raw_of
 * finds the array of raw orders in a root (NULL: none). Each page goes
 * to page(); the first page, delivered last, has last = true. An order
 * that enters the window or moves to its front during the walk pushes
 * older ones onto pages already read, so when the first page, read again
 * at the end, shows one (more orders, or a newer one) the window is read
 * again; after three such walks WH_ERR_RETRY, and last was never true.
 */
enum wh_err sync_walk_backwards(struct sync_ctx *c, struct sync_shop *s,
				const struct sync_window *w, long first_page,
				long page_size, sync_list_fn list,
				json_t *(*raw_of)(json_t *root),
				sync_page_fn page, void *ctx,
				struct wh_error *err);

/* ---- pure request builders (one per platform gateway) ---- */

/* TOP: POST base/router/rest, form body of system + app params, md5. */
enum wh_err sync_top_request(const struct sync_shop *s, const char *method,
			     const struct sync_params *app, int64_t now,
			     struct sync_http_req *out, struct wh_error *err);
/* PDD: POST base/api/router, form body, type + client_id + ... + sign. */
enum wh_err sync_pdd_request(const struct sync_shop *s, const char *type,
			     const struct sync_params *app, int64_t now,
			     struct sync_http_req *out, struct wh_error *err);
/* JD: POST base/routerjson, 360buy_param_json signed with the rest. */
enum wh_err sync_jd_request(const struct sync_shop *s, const char *method,
			    const json_t *param, int64_t now,
			    struct sync_http_req *out, struct wh_error *err);
/* Douyin: POST base/<method with '/'>?system params, body param_json. */
enum wh_err sync_douyin_request(const struct sync_shop *s,
				const char *method, const json_t *param,
				int64_t now, bool with_token,
				struct sync_http_req *out,
				struct wh_error *err);
/* Amazon getOrders (next_token NULL: the window's first page). */
enum wh_err sync_amazon_orders_request(const struct sync_shop *s,
				       const struct sync_window *w,
				       const char *next_token,
				       struct sync_http_req *out,
				       struct wh_error *err);
/* Shopify orders.json for the window, or the Link's next URL. */
enum wh_err sync_shopify_orders_request(const struct sync_shop *s,
					const struct sync_window *w,
					const char *next_url,
					struct sync_http_req *out,
					struct wh_error *err);
/* The rel="next" URL of a Link header, malloc'd, or NULL. */
char *sync_link_next(const char *link);
/* Woo orders?modified_after=...&page=N. */
enum wh_err sync_woo_orders_request(const struct sync_shop *s,
				    const struct sync_window *w, long page,
				    struct sync_http_req *out,
				    struct wh_error *err);

extern const struct sync_adapter sync_adapter_top;
extern const struct sync_adapter sync_adapter_jd;
extern const struct sync_adapter sync_adapter_pdd;
extern const struct sync_adapter sync_adapter_douyin;
extern const struct sync_adapter sync_adapter_amazon;
extern const struct sync_adapter sync_adapter_shopify;
extern const struct sync_adapter sync_adapter_woo;

#endif
