/*
 * order.h - the shop-agnostic order model and the per-platform parsers
 * that fill it from marketplace JSON.
 *
 * Ownership: a struct sync_order_list owns its orders; each order owns
 * every string and its lines; sync_order_list_free() releases it all.
 * Every string came through the untrusted-text sanitiser (untrusted.h):
 * valid UTF-8, no control characters, capped at UNTRUSTED_FIELD_MAX bytes
 * (addresses and remarks at UNTRUSTED_ADDRESS_MAX). A string field the
 * platform did not send is NULL.
 *
 * Receiver data on TOP, JD, PDD and Douyin arrives masked or encrypted:
 * it is stored as given (masked text in the plain fields, ciphertext in
 * the *_cipher fields) and must not be logged.
 *
 * Parse results: WH_OK means the payload was understood. An order whose
 * id is readable but some other field is not (wrong type, bad amount,
 * unknown time format) is still returned, with state UNKNOWN and
 * .error set, so the caller files it as an exception instead of dropping
 * it. A payload that is not JSON, has the wrong shape, or has an order
 * without an id fails as a whole with WH_ERR_INVALID. A platform error
 * envelope fails with the code from sync_api_status_err(), and the
 * message names the platform's code and text.
 */
#ifndef WHARF_SYNC_ORDER_H
#define WHARF_SYNC_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "sync/status.h"

enum sync_platform {
	SYNC_PLATFORM_TOP = 0, /* Taobao / Tmall */
	SYNC_PLATFORM_JD,
	SYNC_PLATFORM_PDD,
	SYNC_PLATFORM_DOUYIN,
	SYNC_PLATFORM_AMAZON,
	SYNC_PLATFORM_SHOPIFY,
	SYNC_PLATFORM_WOO,
	SYNC_PLATFORM_COUNT,
};

/* "top", "jd", "pdd", "douyin", "amazon", "shopify", "woo". */
const char *sync_platform_name(enum sync_platform p);

struct sync_order_line {
	char *line_id;         /* platform line id (TOP oid, ...), or NULL */
	char *sku_code;        /* the seller's SKU code (outer/seller SKU) */
	char *platform_sku_id; /* the platform's SKU id */
	char *product_id;      /* the platform's product/item id */
	char *title;
	int64_t qty;
	int64_t unit_price;    /* minor units of the order currency */
	int64_t line_total;    /* what the buyer pays for the line */
	char *refund_raw;      /* the platform's line refund status */
	enum sync_line_refund refund;
};

struct sync_order {
	enum sync_platform platform;
	char *order_id;     /* never NULL in a parsed order */
	char *order_name;   /* display number (Shopify "#1001"), or NULL */
	char *status_raw;   /* the status fields as sent, "k=v k=v" */
	enum sync_order_state state;
	int64_t created_at; /* UTC epoch seconds; 0 when not sent */
	int64_t modified_at;
	int64_t paid_at;
	char *buyer;        /* nick, name or e-mail as the platform names */
	char *receiver_name;
	char *phone;
	char *province;
	char *city;
	char *district;
	char *address;      /* street address */
	char *zip;
	char *country;      /* ISO 3166 code when the platform gives one */
	char *receiver_name_cipher; /* platform ciphertext, for decrypt */
	char *phone_cipher;
	char *address_cipher;
	char *remark;       /* buyer's message */
	char *seller_remark;
	char currency[4];   /* ISO 4217, "" when the platform sent none */
	int64_t total;      /* amount paid, minor units */
	int64_t shipping_fee;
	int64_t discount;
	struct sync_order_line *lines; /* owned array of nlines */
	size_t nlines;
	size_t lines_cap;
	char *error;        /* why part of this order failed, or NULL */
};

struct sync_order_list {
	struct sync_order *v; /* owned array of n orders */
	size_t n;
	size_t cap;
	size_t nerrors;       /* orders with .error set */
	bool has_next;        /* the platform says there is another page */
	int64_t total;        /* total matching orders, -1 if not sent */
	char *next_token;     /* Amazon NextToken, or NULL */
};

void sync_order_list_init(struct sync_order_list *l);
/* Frees every order and resets *l; l may be NULL. */
void sync_order_list_free(struct sync_order_list *l);
/* Frees what *o owns (not o itself) and zeroes it; o may be NULL. */
void sync_order_free(struct sync_order *o);

enum sync_api_status {
	SYNC_API_OK = 0,
	SYNC_API_RATE_LIMITED, /* slow down, retry later */
	SYNC_API_AUTH,         /* token missing, expired or not allowed */
	SYNC_API_BAD_SIGNATURE,
	SYNC_API_BAD_TIMESTAMP, /* clock skew */
	SYNC_API_SERVER,       /* the platform failed: retry later */
	SYNC_API_OTHER,        /* the request was refused for another reason */
};

struct sync_api_error {
	enum sync_api_status status;
	char code[64];     /* the platform's code (TOP "7", Amazon "...") */
	char sub_code[96]; /* TOP/PDD/Douyin sub_code, or "" */
	char message[256]; /* the platform's text, sanitised */
};

const char *sync_api_status_name(enum sync_api_status s);

/*
 * The wharf error for an API status: OK, RETRY for rate limits and server
 * faults, PERM for auth and signature, REFUSED otherwise.
 */
enum wh_err sync_api_status_err(enum sync_api_status s);

/*
 * Classifies a response: http_status (0 when not known) and the body's
 * error envelope, if any. Returns out->status; SYNC_API_OK when the body
 * is not an error. Never fails: an unreadable body with a 2xx status is
 * OK here (the order parser reports it), with 429 it is RATE_LIMITED and
 * with 5xx SERVER.
 */
enum sync_api_status sync_api_classify(enum sync_platform p, long http_status,
				       const char *body, size_t len,
				       struct sync_api_error *out);

/*
 * Order list parsers: each appends to *out (which the caller initialised
 * and frees, also on error) and sets has_next / total / next_token where
 * the platform sends them.
 *
 * top:     {"trades_sold_increment_get_response":{"trades":{"trade":[...]},
 *          "total_results","has_next"}}, also trades_sold_get and
 *          trade_fullinfo_get ({"trade":{...}}), with or without the
 *          simplify=true wrapper levels.
 * jd:      {"jingdong_pop_order_search_responce":{"searchorderinfo_result":
 *          {"apiResult":{...},"orderTotal","orderInfoList":[...]}}}
 * pdd:     {"order_sn_increment_get_response":{"order_sn_list":[...],
 *          "total_count","has_next"}}
 * douyin:  {"code":10000,"data":{"shop_order_list":[...],"total"}}
 * amazon:  {"payload":{"Orders":[...],"NextToken"}} (lines come from
 *          sync_parse_amazon_order_items())
 * shopify: {"orders":[...]} or {"order":{...}}
 * woo:     [...] or a single order object
 */
enum wh_err sync_parse_top_orders(const char *json, size_t len,
				  struct sync_order_list *out,
				  struct wh_error *err);
enum wh_err sync_parse_jd_orders(const char *json, size_t len,
				 struct sync_order_list *out,
				 struct wh_error *err);
enum wh_err sync_parse_pdd_orders(const char *json, size_t len,
				  struct sync_order_list *out,
				  struct wh_error *err);
enum wh_err sync_parse_douyin_orders(const char *json, size_t len,
				     struct sync_order_list *out,
				     struct wh_error *err);
enum wh_err sync_parse_amazon_orders(const char *json, size_t len,
				     struct sync_order_list *out,
				     struct wh_error *err);
enum wh_err sync_parse_shopify_orders(const char *json, size_t len,
				      struct sync_order_list *out,
				      struct wh_error *err);
enum wh_err sync_parse_woo_orders(const char *json, size_t len,
				  struct sync_order_list *out,
				  struct wh_error *err);

/*
 * Amazon getOrderItems: appends {"payload":{"OrderItems":[...]}} lines to
 * *order (whose currency they must match) and sets *next_token (malloc'd,
 * or NULL on the last page). A bad item marks order->error, as above.
 */
enum wh_err sync_parse_amazon_order_items(const char *json, size_t len,
					  struct sync_order *order,
					  char **next_token,
					  struct wh_error *err);

/* Dispatches to the parser for p. */
enum wh_err sync_parse_orders(enum sync_platform p, const char *json,
			      size_t len, struct sync_order_list *out,
			      struct wh_error *err);

#endif
