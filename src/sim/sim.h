/*
 * sim.h - internals of wharf-platform-sim, the loopback simulator that
 * speaks the wire protocols of the seven marketplaces (DESIGN.md §6,
 * reference/platforms.md). Private to src/sim.
 *
 * Shape: sim_main.c owns libmicrohttpd and turns every request into a
 * struct sim_req; the platform modules (sim_top.c ... sim_woo.c) answer
 * it by filling a struct sim_resp; sim_store.c keeps shops, orders and
 * recordings behind one mutex; sim_gen.c makes orders deterministically;
 * sim_sign.c verifies signatures with code independent of src/sync;
 * sim_faults.c injects faults; sim_control.c serves /_sim/.
 *
 * Ownership: a struct sim_req borrows everything from the connection
 * (sim_main.c frees it after the response is queued). A struct sim_resp
 * owns its body and headers; sim_resp_free() releases them. Orders leave
 * the store only as copies (struct sim_order is plain data), so no
 * pointer into the store outlives the lock. Shops are static for the
 * life of the process and may be borrowed freely.
 */
#ifndef WHARF_SIM_SIM_H
#define WHARF_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

#define SIM_BODY_MAX (1024 * 1024) /* request bodies larger are refused */
#define SIM_ID_MAX 48
#define SIM_MAX_LINES 4
#define SIM_SHOPS 8
#define SIM_SKEW_MS (10 * 60 * 1000) /* accepted clock difference */

enum sim_platform {
	SIM_TOP = 0,
	SIM_JD,
	SIM_PDD,
	SIM_DOUYIN,
	SIM_AMAZON,
	SIM_SHOPIFY,
	SIM_WOO,
};

/* Operations with their own rate-limit bucket. */
enum sim_op {
	SIM_OP_LIST = 0, /* order lists (getOrders, increment.get, ...) */
	SIM_OP_DETAIL,   /* one order, order items, fulfillment orders */
	SIM_OP_SHIP,     /* shipment confirmation */
	SIM_OP_STOCK,    /* stock update */
	SIM_OP_TOKEN,    /* token exchange / refresh */
	SIM_OP_COUNT,
};

struct sim_bucket {
	double rate;     /* tokens per second */
	double burst;    /* capacity */
	double tokens;
	int64_t last_ms;
};

/* Credentials and state of one shop; see sim_store.c for the list. */
struct sim_shop {
	int index;
	const char *code;          /* "TB-FLAGSHIP" */
	const char *platform_name; /* "taobao", "tmall", ... */
	enum sim_platform platform;
	char lc[32];               /* lower-case code */
	char app_key[64];          /* "demo-" + lc; Woo: the consumer key */
	char secret[64];           /* "demo-secret-" + lc; Woo: cs_... */
	char token[64];            /* "demo-token-" + lc; Shopify: shpat_ */
	char refresh[64];          /* "demo-refresh-" + lc */
};

enum sim_state {
	SIM_UNPAID = 0,
	SIM_PAID,         /* ready to ship */
	SIM_PART_SHIPPED,
	SIM_SHIPPED,
	SIM_CANCELLED,
};

struct sim_line {
	char id[32]; /* platform line id */
	int sku;     /* SKU number n: outer code "SKU-%06d" */
	int qty;
	int shipped;
	int64_t price; /* unit price, minor units */
	bool refund;   /* buyer asked for a refund of this line */
};

struct sim_order {
	uint64_t seq; /* 1, 2, ... within the shop */
	char id[SIM_ID_MAX];
	char number[24]; /* Shopify "#1001", Woo "10001" */
	enum sim_state state;
	bool cancelled_after_pay; /* closed with a refund, not unpaid */
	int64_t created_ms;
	int64_t paid_ms;
	int64_t modified_ms;
	int64_t shipped_ms;
	/* Scheduled changes (0 = none), applied by store_advance(). */
	int64_t pay_at_ms;
	int64_t cancel_at_ms;
	int64_t refund_at_ms;
	char buyer[64];
	char email[96];
	char first[48];
	char last[48];
	char phone[32];
	char province[48];
	char province_code[8];
	char city[48];
	char district[48];
	char street[160];
	char zip[16];
	char country[3];
	char currency[4];
	int64_t shipping_fee;
	int64_t discount;
	struct sim_line lines[SIM_MAX_LINES];
	int nlines;
	char tracking[64]; /* the last shipment's */
	char carrier[32];
	int packages;
};

/* ---- key/value lists (query strings, forms) ---- */

struct sim_kv {
	char *key;
	char *value;
};

struct sim_kvs {
	struct sim_kv *v; /* owned */
	size_t n;
	size_t cap;
};

void kvs_init(struct sim_kvs *l);
void kvs_free(struct sim_kvs *l);
/* Appends copies of key[0..klen) and value[0..vlen). */
enum wh_err kvs_add(struct sim_kvs *l, const char *key, size_t klen,
		    const char *value, size_t vlen);
enum wh_err kvs_add_str(struct sim_kvs *l, const char *key,
			const char *value);
/* First value for key, or NULL. Borrowed. */
const char *kvs_get(const struct sim_kvs *l, const char *key);
/*
 * Parses "a=1&b=x%20y" (form encoding: '+' is a space) and appends the
 * decoded pairs. WH_ERR_INVALID for a bad %-escape.
 */
enum wh_err kvs_parse_urlencoded(struct sim_kvs *l, const char *s,
				 size_t len);

/* ---- requests and responses ---- */

struct sim_req {
	const char *method;        /* "GET", "POST", ... */
	const char *path;          /* below the shop prefix: "/router/rest" */
	const struct sim_shop *shop;
	struct sim_kvs query;      /* decoded query arguments */
	struct sim_kvs form;       /* decoded form body, if form-encoded */
	const char *body;          /* raw body (NUL-terminated), "" if none */
	size_t body_len;
	const char *content_type;  /* headers, NULL when absent */
	const char *authorization;
	const char *shopify_token;
	const char *amz_token;
	const char *amz_date;
	const char *host;
	char request_id[40];
	int64_t now_ms;            /* the simulator's clock */
	int64_t skew_ms;           /* clock_skew fault: added to now */
	unsigned port;
};

struct sim_resp {
	int status;
	char *body; /* owned, may be NULL (no body) */
	size_t len;
	const char *content_type;
	struct sim_kvs headers;
	bool drop;           /* close without an answer (timeout fault) */
	size_t truncate_at;  /* > 0: send this many bytes then fail */
};

void sim_resp_init(struct sim_resp *r);
void sim_resp_free(struct sim_resp *r);
/* Sets status and takes a reference-counted json (stolen), dumped. */
void resp_json(struct sim_resp *r, int status, json_t *j);
/* As resp_json() with reals printed to 15 significant digits. */
void resp_json_money(struct sim_resp *r, int status, json_t *j);
void resp_header(struct sim_resp *r, const char *name, const char *value);
void resp_empty(struct sim_resp *r, int status);

/* ---- platform modules ---- */

struct sim_platform_ops {
	enum sim_platform platform;
	const char *name;
	void (*handle)(struct sim_req *req, struct sim_resp *resp);
	/* The platform's throttling answer. */
	void (*throttled)(struct sim_req *req, struct sim_resp *resp,
			  double rate);
	/* The platform's server-side fault (http is 500 or 503). */
	void (*server_error)(struct sim_req *req, struct sim_resp *resp,
			     int http);
};

extern const struct sim_platform_ops sim_top_ops;
extern const struct sim_platform_ops sim_jd_ops;
extern const struct sim_platform_ops sim_pdd_ops;
extern const struct sim_platform_ops sim_douyin_ops;
extern const struct sim_platform_ops sim_amazon_ops;
extern const struct sim_platform_ops sim_shopify_ops;
extern const struct sim_platform_ops sim_woo_ops;

const struct sim_platform_ops *sim_ops_for(enum sim_platform p);

/* ---- configuration (set once by main before serving) ---- */

struct sim_config {
	uint64_t seed;
	double rate_per_min;   /* background orders per shop per minute */
	int skus;              /* SKU-000001 .. SKU-<skus> */
	int cancel_rate;       /* percent of generated orders */
	int refund_rate;       /* percent of generated orders */
	double limit_scale;    /* multiplies every rate limit */
	bool real_limits;      /* the platforms' published figures */
	bool verbose;
	unsigned port;
};

extern struct sim_config sim_cfg;

/* Stop flag: set on SIGTERM/SIGINT; sleeping handlers poll it. */
bool sim_stopping(void);
/* Sleeps ms milliseconds, returning early when stopping. */
void sim_sleep_ms(int64_t ms);

/* ---- store (sim_store.c); every function takes the one mutex ---- */

enum wh_err store_init(void);
void store_fini(void);
const struct sim_shop *store_shop(const char *code);
const struct sim_shop *store_shop_at(int index);

/* Generates count orders (sim_gen.c), appends them; ids optional. */
struct sim_new_orders {
	int count;
	bool unpaid;  /* start unpaid; otherwise paid (ready to ship) */
	bool evolve;  /* schedule payment, cancel and refund by the rates */
};
enum wh_err store_create(const struct sim_shop *s,
			 const struct sim_new_orders *how, int64_t now_ms,
			 json_t *ids_out);
/* Applies every scheduled change due at or before now_ms. */
void store_advance(int64_t now_ms);

/* Copies the order with that id into *out; false when there is none. */
bool store_get(const struct sim_shop *s, const char *id,
	       struct sim_order *out);

enum sim_time_field { SIM_BY_MODIFIED, SIM_BY_CREATED };

struct sim_query {
	enum sim_time_field field;
	int64_t from_ms;   /* inclusive */
	int64_t to_ms;     /* inclusive; INT64_MAX for open */
	bool ascending;    /* else newest first */
	/* Extra platform filter; NULL keeps everything. */
	bool (*keep)(const struct sim_order *o, const void *ctx);
	const void *keep_ctx;
};

/* Matching orders, sorted; *out is malloc'd (free it). */
enum wh_err store_select(const struct sim_shop *s, const struct sim_query *q,
			 struct sim_order **out, size_t *n);

/* Control actions: change one order now. */
enum sim_change { SIM_CHANGE_CANCEL, SIM_CHANGE_REFUND, SIM_CHANGE_PAY };
enum sim_change_result {
	SIM_CHANGED = 0,
	SIM_CHANGE_NOT_FOUND,
	SIM_CHANGE_CONFLICT, /* e.g. cancel a shipped order */
};
enum sim_change_result store_change(const struct sim_shop *s, const char *id,
				    enum sim_change what, int64_t now_ms,
				    struct sim_order *after);

/* A shipment confirmation. */
struct sim_ship_item {
	char line_id[32];
	int qty;
};

struct sim_ship {
	const char *order_id;
	const char *tracking;
	const char *carrier;
	const char *package_ref; /* Amazon packageReferenceId, or NULL */
	const struct sim_ship_item *items; /* NULL: the whole order */
	size_t nitems;
	bool refuse_refund; /* refuse while a line refund is pending */
	const char *request_id;
};

enum sim_ship_result {
	SIM_SHIP_OK = 0,
	SIM_SHIP_EDITED,    /* Amazon: the same package again */
	SIM_SHIP_NOT_FOUND,
	SIM_SHIP_CANCELLED,
	SIM_SHIP_UNPAID,
	SIM_SHIP_ALREADY,   /* everything was shipped before */
	SIM_SHIP_REFUND,    /* a refund is pending */
	SIM_SHIP_BAD_ITEM,  /* unknown line or too many units */
};

enum sim_ship_result store_ship(const struct sim_shop *s,
				const struct sim_ship *sh, int64_t now_ms,
				struct sim_order *after);

/*
 * Records a stock update for SKU number sku (1..skus): quantity is the
 * new level, or a delta when incremental. idem (may be NULL) makes a
 * repeated update a no-op. *level receives the new level.
 */
enum wh_err store_stock(const struct sim_shop *s, int sku, long long quantity,
			bool incremental, const char *idem,
			const char *request_id, int64_t now_ms,
			long long *level);

/* JSON views for the control endpoints (new references). */
json_t *store_shipments_json(const struct sim_shop *s); /* s NULL: all */
json_t *store_stock_json(const struct sim_shop *s);
json_t *store_stats_json(void);

/* Counters: every platform request, and each endpoint reached. */
void store_count_request(void);
void store_count(const char *endpoint);
void store_count_rejected(const char *why); /* "signature", "token", ... */
void store_count_throttled(void);
void store_count_fault(void);

/*
 * Rate limit: takes a token for (shop, op). Returns true when allowed.
 * *rate gets the bucket's rate, *used and *cap its fill (Shopify's
 * header); each may be NULL.
 */
bool store_take(const struct sim_shop *s, enum sim_op op, int64_t now_ms,
		double *rate, int *used, int *cap);
/* Sets the bucket for (shop, op); op SIM_OP_COUNT sets all. */
void store_set_limit(const struct sim_shop *s, enum sim_op op, double rate,
		     double burst, int64_t now_ms);
/* Back to the configured defaults. */
void store_reset_limits(int64_t now_ms);

/* ---- generator (sim_gen.c) ---- */

/* Fills o for order seq of shop s, deterministic from the seed. */
void gen_order(const struct sim_shop *s, uint64_t seq, int64_t now_ms,
	       const struct sim_new_orders *how, struct sim_order *o);
/* Catalogue data for SKU n (1-based). */
void gen_sku_title(int n, bool chinese, char *buf, size_t size);
int64_t gen_sku_price(int n); /* minor units */
/* Platform ids derived from the SKU number, as in the demo seed. */
long long gen_item_id(int n);    /* 1000000 + n */
long long gen_sku_id(int n);     /* 5000000 + n */
long long gen_inventory_item_id(int n); /* 7000000 + n (Shopify) */
/* SKU number from "SKU-000042", an item id or a SKU id; 0 if none. */
int gen_sku_from_code(const char *code);
int gen_sku_from_item_id(const char *id);
int gen_sku_from_sku_id(const char *id);
/* Reversible stand-in for platform ciphertext: "~<base64>~". */
char *gen_cipher(const struct sim_shop *s, const char *order_id,
		 const char *plain);
/* Masked forms: name "张**", phone "138****1234", address cut. */
void gen_mask_name(const char *name, char *buf, size_t size);
void gen_mask_phone(const char *phone, char *buf, size_t size);
void gen_mask_address(const char *addr, char *buf, size_t size);

/* ---- faults (sim_faults.c) ---- */

enum sim_fault_kind {
	SIM_FAULT_NONE = 0,
	SIM_FAULT_429,
	SIM_FAULT_500,
	SIM_FAULT_503,
	SIM_FAULT_SLOW,
	SIM_FAULT_TIMEOUT,
	SIM_FAULT_MALFORMED,
	SIM_FAULT_TRUNCATED,
	SIM_FAULT_DUPLICATE_PAGE,
	SIM_FAULT_OUT_OF_ORDER,
	SIM_FAULT_CLOCK_SKEW,
	SIM_FAULT_HOLD,
};

struct sim_fault_hit {
	enum sim_fault_kind kind;
	int64_t delay_ms;
	uint64_t releases; /* hold: faults_release() calls when taken */
};

enum wh_err faults_init(void);
void faults_fini(void);
/* Parses a kind name ("429", "slow", ...); SIM_FAULT_NONE if unknown. */
enum sim_fault_kind faults_kind(const char *name);
const char *faults_kind_name(enum sim_fault_kind k);
/*
 * Adds a rule: shop code or "*"; count > 0 fires that many times,
 * otherwise probability (0..1] per request. Returns the rule id.
 */
int faults_add(const char *shop, enum sim_fault_kind kind, int count,
	       double probability, int64_t delay_ms);
/* Parses "kind[,shop=X][,count=N][,probability=P][,delay_ms=N]". */
enum wh_err faults_add_spec(const char *spec, struct wh_error *err);
void faults_clear(void);
json_t *faults_json(void);
/*
 * The fault that fires for a request to shop, among the kinds that
 * apply to every request (not the paging ones). hit->kind NONE if none.
 */
void faults_take(const struct sim_shop *s, struct sim_fault_hit *hit);
/* The paging fault (duplicate_page, out_of_order) for a list, if any. */
void faults_take_paging(const struct sim_shop *s, struct sim_fault_hit *hit);
/*
 * A hold: waits until faults_release() is called after the hit was taken,
 * or hit->delay_ms (default SIM_HOLD_MAX_MS) passes, or the simulator
 * stops. A test holds one request of a walk, changes the platform, and
 * releases it: the request then answers from the changed state, however
 * slowly the test ran meanwhile.
 */
#define SIM_HOLD_MAX_MS 60000
void faults_hold(const struct sim_fault_hit *hit);
/* Lets every held request go on. */
void faults_release(void);

/* ---- paging (sim_store.c) ---- */

/*
 * Indices of one page [off, off + size) of n sorted orders, with the
 * paging faults applied: duplicate_page appends the previous page (or
 * this one again on the first page); out_of_order reverses the page.
 * *idx is malloc'd; *count receives its length.
 */
enum wh_err sim_page(const struct sim_shop *s, size_t n, size_t off,
		     size_t size, size_t **idx, size_t *count);

/*
 * Keyset paging: the index of the first order of v[0..n), sorted as
 * store_select() sorts for (field, ascending), that comes after the
 * position (key_s, seq). key_s INT64_MIN means the start.
 */
size_t sim_after(const struct sim_order *v, size_t n, enum sim_time_field f,
		 bool ascending, int64_t key_s, uint64_t seq);
/* The (whole second) sort key of o. */
int64_t sim_key_s(const struct sim_order *o, enum sim_time_field f);

/* ---- control (sim_control.c) ---- */

void control_handle(struct sim_req *req, const char *path,
		    struct sim_resp *resp);

/* ---- signatures (sim_sign.c), independent of src/sync ---- */

enum sim_sign_alg { SIM_MD5_WRAP, SIM_HMAC_MD5, SIM_HMAC_SHA256, SIM_MD5 };

/*
 * TOP/JD/PDD: sorted k+v of every pair except "sign" and empty values;
 * SIM_MD5_WRAP is MD5(secret + s + secret). Upper-case hex into out
 * (65 bytes). Returns false on allocation failure.
 */
bool sign_sorted(const struct sim_kvs *params, const char *secret,
		 enum sim_sign_alg alg, char out[65]);
/* Douyin: fixed field order; SIM_MD5 or SIM_HMAC_SHA256, lower hex. */
bool sign_douyin(const char *app_key, const char *method,
		 const char *param_json, const char *timestamp,
		 const char *v, const char *secret, enum sim_sign_alg alg,
		 char out[65]);
/* base64(HMAC-SHA256(secret, body)) into out (45 bytes). */
bool sign_shopify_webhook(const void *body, size_t len, const char *secret,
			  char out[65]);
/* Case-insensitive hex compare, constant time for equal lengths. */
bool sign_equal_hex(const char *a, const char *b);
/* Checks "Basic base64(key:secret)". */
bool sign_check_basic(const char *header, const char *key,
		      const char *secret);
/* Runs the reference vectors; prints failures to stderr. */
bool sign_selftest(void);

/* ---- utilities (sim_util.c) ---- */

/* Wall clock in epoch milliseconds. */
int64_t sim_now_ms(void);
/* "yyyy-MM-dd HH:mm:ss" at offset seconds east of UTC. */
void fmt_local(int64_t epoch_s, int offset_s, char *buf, size_t size);
/* "2024-01-01T12:00:00Z". */
void fmt_iso_utc(int64_t epoch_s, char *buf, size_t size);
/* "2024-01-01T12:00:00" (Woo *_gmt). */
void fmt_iso_plain(int64_t epoch_s, char *buf, size_t size);
/*
 * Parses "YYYY-MM-DD[ T]HH:MM:SS[.fff][Z|+HH[:]MM]"; without a zone the
 * time is default_offset_s east of UTC. False on anything else.
 */
bool parse_time(const char *s, int default_offset_s, int64_t *epoch_s);
/* A whole decimal in [min, max]; false otherwise. */
bool parse_ll(const char *s, long long min, long long max, long long *out);
/* "123.45" from 12345 minor units (2 decimals). */
void fmt_money(int64_t minor, char *buf, size_t size);
/* A JSON number with exactly two decimals, for PDD's yuan doubles. */
json_t *json_money_real(int64_t minor);
/* splitmix64 step. */
uint64_t sim_mix(uint64_t x);
/* Fills the request id of req. */
void sim_new_request_id(struct sim_req *req);
/* Base64 (standard alphabet) of data; malloc'd. */
char *b64_encode(const void *data, size_t len);
/* Decodes standard or URL-safe base64; malloc'd, *len set. */
unsigned char *b64_decode(const char *s, size_t *len);
/* The body as JSON, or NULL (the caller answers its 400 envelope). */
json_t *req_json(const struct sim_req *req);
/* Parameter from the form body first, then the query. */
const char *req_param(const struct sim_req *req, const char *key);
/* True when epoch_s is within SIM_SKEW_MS of the (skewed) clock. */
bool req_time_ok(const struct sim_req *req, int64_t epoch_s);
/* The simulator's clock as seen by timestamp checks, epoch seconds. */
int64_t req_now_s(const struct sim_req *req);
/* Appends copies of every pair of src to dst. */
enum wh_err kvs_merge(struct sim_kvs *dst, const struct sim_kvs *src);
/*
 * Appends the members of a JSON object as parameters the way the
 * Chinese gateways sign them: strings as they are, integers in decimal,
 * booleans "true"/"false", objects and arrays as compact JSON; nulls
 * are left out.
 */
enum wh_err kvs_from_json(struct sim_kvs *l, const json_t *obj);
/* Case-insensitive prefix test. */
bool starts_with_ci(const char *s, const char *prefix);
/* Splits path into segments (max n); returns the count. */
size_t path_split(const char *path, char *buf, size_t size,
		  const char **seg, size_t n);

#endif
