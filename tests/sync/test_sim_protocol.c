/*
 * test_sim_protocol.c - the platform simulator against the sync core.
 *
 * Starts the real wharf-platform-sim (WHARF_SIM_BIN) on an ephemeral
 * loopback port and, for each of the seven protocols, signs requests
 * with src/sync's signers, reads answers with sync_parse_orders() and
 * classifies errors with sync_api_classify(): the simulator verifies
 * with its own code, so both implementations must agree. Per platform:
 * a signed list parses, a bad signature / token and a bad timestamp get
 * the platform's envelope, an over-wide window is refused, paging visits
 * every order exactly once, a shipment and a stock update are recorded,
 * injected 429 and 500 faults come back once and then stop, and a
 * cancelled order shows as cancelled on the next list. A held request
 * waits for its release and answers from the state of that moment.
 *
 * The simulator is killed by pid in the group teardown, also when a
 * test fails.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "sync/order.h"
#include "sync/params.h"
#include "sync/sign.h"

static pid_t sim_pid = -1;
static char base[64]; /* "http://127.0.0.1:PORT" */

/* ---- HTTP ---- */

struct http {
	long status;
	char *body;
	size_t len;
	char *headers;
	size_t hlen;
	CURLcode rc;
};

static size_t grow(char **buf, size_t *len, const char *p, size_t n)
{
	char *nb = realloc(*buf, *len + n + 1);

	if (!nb)
		return 0;
	memcpy(nb + *len, p, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
	return n;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	struct http *h = ud;

	return grow(&h->body, &h->len, p, sz * n);
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct http *h = ud;

	return grow(&h->headers, &h->hlen, p, sz * n);
}

static void http_free(struct http *h)
{
	free(h->body);
	free(h->headers);
	memset(h, 0, sizeof(*h));
}

/* headers: NULL-terminated "Name: value" strings. */
static void http(const char *method, const char *url,
		 const char *const *headers, const char *body,
		 struct http *h)
{
	struct curl_slist *hl = NULL;
	CURL *c = curl_easy_init();

	memset(h, 0, sizeof(*h));
	assert_non_null(c);
	for (size_t i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	h->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	if (!h->body)
		h->body = calloc(1, 1);
	if (!h->headers)
		h->headers = calloc(1, 1);
}

/* A response header's value (case-insensitive name), malloc'd or NULL. */
static char *header(const struct http *h, const char *name)
{
	size_t n = strlen(name);
	const char *p = h->headers;

	while (p && *p) {
		const char *e = strstr(p, "\r\n");
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l > n && !strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			return strndup(v, (size_t)(p + l - v));
		}
		p = e ? e + 2 : NULL;
	}
	return NULL;
}

static char *url(const char *fmt, ...)
{
	char tail[2048], *u;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), fmt, ap);
	va_end(ap);
	u = malloc(strlen(base) + strlen(tail) + 1);
	assert_non_null(u);
	memcpy(u, base, strlen(base));
	memcpy(u + strlen(base), tail, strlen(tail) + 1);
	return u;
}

/* ---- control API ---- */

static json_t *ctl(const char *method, const char *path, const char *body)
{
	char *u = url("/_sim%s", path);
	static const char *const hj[] = { "Content-Type: application/json",
					  NULL };
	struct http h;
	json_error_t e;
	json_t *j;

	http(method, u, hj, body, &h);
	free(u);
	assert_int_equal(h.rc, CURLE_OK);
	assert_true(h.status >= 200 && h.status < 300);
	j = json_loads(h.body, 0, &e);
	http_free(&h);
	assert_non_null(j);
	return j;
}

static json_t *create_orders(const char *shop, int count)
{
	char body[128];
	json_t *r, *ids;

	snprintf(body, sizeof(body), "{\"shop\":\"%s\",\"count\":%d}", shop,
		 count);
	r = ctl("POST", "/orders", body);
	ids = json_incref(json_object_get(r, "ids"));
	json_decref(r);
	assert_int_equal(json_array_size(ids), count);
	return ids;
}

static void fault(const char *shop, const char *kind, int count)
{
	char body[128];

	snprintf(body, sizeof(body),
		 "{\"shop\":\"%s\",\"kind\":\"%s\",\"count\":%d}", shop, kind,
		 count);
	json_decref(ctl("POST", "/faults", body));
}

static void cancel(const char *shop, const char *id)
{
	char path[160];
	json_t *r;

	snprintf(path, sizeof(path), "/orders/%s/%s/cancel", shop, id);
	r = ctl("POST", path, "");
	assert_string_equal(json_string_value(json_object_get(r, "state")),
			    "cancelled");
	json_decref(r);
}

/* The recorded shipment for order id, or fails. */
static void expect_shipment(const char *shop, const char *id,
			    const char *tracking)
{
	char path[96];
	json_t *r, *arr, *s;
	size_t i;
	bool found = false;

	snprintf(path, sizeof(path), "/shipments?shop=%s", shop);
	r = ctl("GET", path, NULL);
	arr = json_object_get(r, "shipments");
	json_array_foreach(arr, i, s) {
		if (strcmp(json_string_value(json_object_get(s, "order_id")),
			   id))
			continue;
		assert_string_equal(json_string_value(json_object_get(
					    s, "tracking_number")), tracking);
		assert_true(json_integer_value(json_object_get(s,
							       "quantity")) >
			    0);
		found = true;
	}
	json_decref(r);
	assert_true(found);
}

static void expect_stock(const char *shop, const char *sku, long long qty)
{
	char path[96];
	json_t *r, *arr, *s;
	size_t i;
	bool found = false;

	snprintf(path, sizeof(path), "/stock?shop=%s", shop);
	r = ctl("GET", path, NULL);
	arr = json_object_get(r, "stock");
	json_array_foreach(arr, i, s) {
		if (strcmp(json_string_value(json_object_get(s, "sku")), sku))
			continue;
		assert_int_equal(json_integer_value(json_object_get(
					 s, "quantity")), qty);
		found = true;
	}
	assert_true(json_integer_value(json_object_get(r, "history_count")) >=
		    1);
	json_decref(r);
	assert_true(found);
}

/* ---- parsed views ---- */

static enum sync_api_status classify(enum sync_platform p,
				     const struct http *h)
{
	struct sync_api_error e;

	return sync_api_classify(p, h->status, h->body, h->len, &e);
}

static void parse_ok(enum sync_platform p, const struct http *h,
		     struct sync_order_list *l)
{
	struct wh_error err;
	enum wh_err rc;

	assert_int_equal(h->rc, CURLE_OK);
	assert_int_equal(classify(p, h), SYNC_API_OK);
	rc = sync_parse_orders(p, h->body, h->len, l, &err);
	if (rc)
		fprintf(stderr, "parse: %s\n", err.msg);
	assert_int_equal(rc, WH_OK);
	if (l->nerrors)
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].error)
				fprintf(stderr, "order %s: %s\n",
					l->v[i].order_id, l->v[i].error);
	assert_int_equal(l->nerrors, 0);
}

/* Every id of ids appears exactly once in seen (and seen has no
 * duplicates at all). */
static void expect_each_once(const json_t *ids, json_t *seen)
{
	size_t i;
	json_t *v;

	json_array_foreach(ids, i, v) {
		json_t *n = json_object_get(seen, json_string_value(v));

		assert_non_null(n);
		assert_int_equal(json_integer_value(n), 1);
	}
}

static void see(json_t *seen, const struct sync_order_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *id = l->v[i].order_id;
		json_t *n = json_object_get(seen, id);

		json_object_set_new(seen, id,
				    json_integer(n ? json_integer_value(n) + 1 :
						     1));
		assert_true(l->v[i].nlines >= 1);
		assert_non_null(l->v[i].lines[0].sku_code);
		assert_memory_equal(l->v[i].lines[0].sku_code, "SKU-", 4);
	}
}

static const struct sync_order *find(const struct sync_order_list *l,
				     const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].order_id, id))
			return &l->v[i];
	return NULL;
}

/* ---- signing helpers ---- */

static void fmt_cn(time_t t, char *buf, size_t n)
{
	struct tm tm;

	t += 8 * 3600;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void fmt_iso(time_t t, char *buf, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* k=v&... with every key and value percent-encoded. */
static char *form(const struct sync_params *p)
{
	char *out = calloc(1, 1);
	size_t len = 0;

	for (size_t i = 0; i < p->n; i++) {
		char *k, *v;

		assert_int_equal(sync_percent_encode(p->v[i].key,
						     strlen(p->v[i].key), &k,
						     NULL), WH_OK);
		assert_int_equal(sync_percent_encode(p->v[i].value,
						     strlen(p->v[i].value), &v,
						     NULL), WH_OK);
		if (i)
			grow(&out, &len, "&", 1);
		grow(&out, &len, k, strlen(k));
		grow(&out, &len, "=", 1);
		grow(&out, &len, v, strlen(v));
		free(k);
		free(v);
	}
	return out;
}

enum mut { M_NONE, M_BAD_SIGN, M_BAD_TS, M_BAD_TOKEN };

/* Another hex digit, whatever the case of the original. */
static void spoil(char *sign)
{
	sign[0] = sign[0] == '0' ? '1' : '0';
}

/* ---- TOP ---- */

#define TOP_SHOP "TB-FLAGSHIP"

static void top_call(const char *const (*kv)[2], size_t n, enum mut m,
		     struct http *h)
{
	static const char *const hf[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL
	};
	struct sync_params p;
	char ts[32], sign[SYNC_SIGN_MAX], *body, *u;

	sync_params_init(&p);
	fmt_cn(time(NULL) - (m == M_BAD_TS ? 3600 : 0), ts, sizeof(ts));
	sync_params_add(&p, "app_key", "demo-tb-flagship", NULL);
	sync_params_add(&p, "session", m == M_BAD_TOKEN ? "nope" :
				       "demo-token-tb-flagship", NULL);
	sync_params_add(&p, "timestamp", ts, NULL);
	sync_params_add(&p, "format", "json", NULL);
	sync_params_add(&p, "v", "2.0", NULL);
	sync_params_add(&p, "sign_method", "hmac-sha256", NULL);
	for (size_t i = 0; i < n; i++)
		sync_params_add(&p, kv[i][0], kv[i][1], NULL);
	assert_int_equal(sync_sign_top(&p, "demo-secret-tb-flagship",
				       SYNC_SIGN_HMAC_SHA256, sign, NULL),
			 WH_OK);
	if (m == M_BAD_SIGN)
		spoil(sign);
	sync_params_add(&p, "sign", sign, NULL);
	body = form(&p);
	u = url("/%s/router/rest", TOP_SHOP);
	http("POST", u, hf, body, h);
	free(u);
	free(body);
	sync_params_free(&p);
}

static void top_list(int64_t from, int64_t to, int page, enum mut m,
		     struct http *h)
{
	char a[32], b[32], pg[16];
	const char *const kv[][2] = {
		{ "method", "taobao.trades.sold.increment.get" },
		{ "fields", "tid,status,created,modified,pay_time,payment,"
			    "post_fee,discount_fee,receiver_name,"
			    "receiver_state,receiver_city,orders" },
		{ "start_modified", a }, { "end_modified", b },
		{ "page_no", pg }, { "page_size", "50" },
		{ "use_has_next", "true" },
	};

	fmt_cn((time_t)from, a, sizeof(a));
	fmt_cn((time_t)to, b, sizeof(b));
	snprintf(pg, sizeof(pg), "%d", page);
	top_call(kv, 7, m, h);
}

/* Walks TOP pages until order id turns up; l keeps that page. */
static const struct sync_order *top_find(int64_t from, int64_t to,
					 const char *id,
					 struct sync_order_list *l)
{
	const struct sync_order *o = NULL;
	struct http h;

	for (int page = 1; page <= 5; page++) {
		sync_order_list_init(l);
		top_list(from, to, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_TOP, &h, l);
		http_free(&h);
		o = find(l, id);
		if (o || !l->has_next)
			break;
		sync_order_list_free(l);
	}
	assert_non_null(o);
	return o;
}

static void test_top(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(TOP_SHOP, 120), *seen = json_object();
	struct sync_order_list l;
	struct http h;
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	const struct sync_order *o;
	bool more = true;

	(void)state;
	/* Paging: newest first, page_no until has_next is false. */
	for (int page = 1; more; page++) {
		sync_order_list_init(&l);
		top_list(now - 600, now + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_TOP, &h, &l);
		see(seen, &l);
		more = l.has_next;
		assert_true(page <= 4);
		for (size_t i = 0; i < l.n; i++)
			assert_int_equal(l.v[i].state,
					 SYNC_STATE_READY_TO_SHIP);
		sync_order_list_free(&l);
		http_free(&h);
	}
	expect_each_once(ids, seen);

	top_list(now - 600, now + 60, 1, M_BAD_SIGN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
			 SYNC_API_BAD_SIGNATURE);
	assert_non_null(strstr(h.body, "\"code\":25"));
	http_free(&h);
	top_list(now - 600, now + 60, 1, M_BAD_TS, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
			 SYNC_API_BAD_TIMESTAMP);
	http_free(&h);
	top_list(now - 600, now + 60, 1, M_BAD_TOKEN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h), SYNC_API_AUTH);
	http_free(&h);
	top_list(now - 2 * 86400, now, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h), SYNC_API_OTHER);
	assert_non_null(strstr(h.body, "\"code\":41"));
	http_free(&h);

	/* Shipment, then again: TOP refuses a second one. */
	{
		const char *const kv[][2] = {
			{ "method", "taobao.logistics.offline.send" },
			{ "tid", id0 }, { "out_sid", "SF1000000001" },
			{ "company_code", "SF" },
		};

		top_call(kv, 4, M_NONE, &h);
		assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
				 SYNC_API_OK);
		assert_non_null(strstr(h.body, "\"is_success\":true"));
		http_free(&h);
		expect_shipment(TOP_SHOP, id0, "SF1000000001");
		top_call(kv, 4, M_NONE, &h);
		assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
				 SYNC_API_OTHER);
		http_free(&h);
	}
	{
		const char *const kv[][2] = {
			{ "method", "taobao.item.quantity.update" },
			{ "num_iid", "1000007" }, { "quantity", "33" },
		};

		top_call(kv, 3, M_NONE, &h);
		assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
				 SYNC_API_OK);
		assert_non_null(strstr(h.body,
				       "item_quantity_update_response"));
		http_free(&h);
		expect_stock(TOP_SHOP, "SKU-000007", 33);
	}
	/* Faults: once each, then normal service. */
	fault(TOP_SHOP, "429", 1);
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(h.status, 429);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(TOP_SHOP, "500", 1);
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h), SYNC_API_SERVER);
	http_free(&h);
	/* A cancelled order is closed on the next list. */
	cancel(TOP_SHOP, id1);
	{
		const char *const kv[][2] = {
			{ "method", "taobao.trade.fullinfo.get" },
			{ "fields", "tid,status,modified,orders" },
			{ "tid", id1 },
		};

		sync_order_list_init(&l);
		top_call(kv, 3, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_TOP, &h, &l);
		assert_int_equal(l.n, 1);
		assert_int_equal(l.v[0].state, SYNC_STATE_CANCELLED);
		sync_order_list_free(&l);
		http_free(&h);
	}
	o = top_find(now - 600, time(NULL) + 60, id1, &l);
	assert_int_equal(o->state, SYNC_STATE_CANCELLED);
	sync_order_list_free(&l);
	json_decref(seen);
	json_decref(ids);
}

/* Malformed, truncated and duplicate pages, on TOP. */
static void test_top_bad_pages(void **state)
{
	time_t now = time(NULL);
	struct sync_order_list l;
	struct wh_error err;
	struct http h;

	(void)state;
	fault(TOP_SHOP, "malformed", 1);
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	sync_order_list_init(&l);
	assert_int_equal(sync_parse_orders(SYNC_PLATFORM_TOP, h.body, h.len,
					   &l, &err), WH_ERR_INVALID);
	sync_order_list_free(&l);
	http_free(&h);
	fault(TOP_SHOP, "truncated", 1);
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_not_equal(h.rc, CURLE_OK);
	http_free(&h);
	fault(TOP_SHOP, "duplicate_page", 1);
	top_list(now - 600, now + 60, 2, M_NONE, &h);
	sync_order_list_init(&l);
	parse_ok(SYNC_PLATFORM_TOP, &h, &l);
	assert_int_equal(l.n, 100); /* page 2 and page 1 again */
	sync_order_list_free(&l);
	http_free(&h);
	fault(TOP_SHOP, "clock_skew", 1);
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
			 SYNC_API_BAD_TIMESTAMP);
	http_free(&h);
	/* The shop's bucket: one call, then App Call Limited (code 7). */
	json_decref(ctl("POST", "/limits", "{\"shop\":\"" TOP_SHOP "\","
			"\"op\":\"list\",\"rate\":0.001,\"burst\":1}"));
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h), SYNC_API_OK);
	http_free(&h);
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h),
			 SYNC_API_RATE_LIMITED);
	assert_non_null(strstr(h.body, "\"code\":7"));
	http_free(&h);
	json_decref(ctl("DELETE", "/limits", NULL));
	top_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_TOP, &h), SYNC_API_OK);
	http_free(&h);
}

/* ---- PDD ---- */

#define PDD_SHOP "PDD-MAIN"

static void pdd_call(const char *const (*kv)[2], size_t n, enum mut m,
		     struct http *h)
{
	static const char *const hj[] = { "Content-Type: application/json",
					  NULL };
	struct sync_params p;
	char ts[24], sign[SYNC_SIGN_MAX], *body, *u;
	json_t *j = json_object();

	sync_params_init(&p);
	snprintf(ts, sizeof(ts), "%lld",
		 (long long)time(NULL) - (m == M_BAD_TS ? 3600 : 0));
	sync_params_add(&p, "client_id", "demo-pdd-main", NULL);
	sync_params_add(&p, "access_token", m == M_BAD_TOKEN ? "nope" :
					    "demo-token-pdd-main", NULL);
	sync_params_add(&p, "timestamp", ts, NULL);
	sync_params_add(&p, "data_type", "JSON", NULL);
	sync_params_add(&p, "version", "V1", NULL);
	for (size_t i = 0; i < n; i++)
		sync_params_add(&p, kv[i][0], kv[i][1], NULL);
	assert_int_equal(sync_sign_pdd(&p, "demo-secret-pdd-main", sign,
				       NULL), WH_OK);
	if (m == M_BAD_SIGN)
		spoil(sign);
	sync_params_add(&p, "sign", sign, NULL);
	for (size_t i = 0; i < p.n; i++)
		json_object_set_new(j, p.v[i].key, json_string(p.v[i].value));
	body = json_dumps(j, JSON_COMPACT);
	u = url("/%s/api/router", PDD_SHOP);
	http("POST", u, hj, body, h);
	free(u);
	free(body);
	json_decref(j);
	sync_params_free(&p);
}

static void pdd_list(int64_t from, int64_t to, int page, enum mut m,
		     struct http *h)
{
	char a[24], b[24], pg[16];
	const char *const kv[][2] = {
		{ "type", "pdd.order.number.list.increment.get" },
		{ "is_lucky_flag", "0" }, { "order_status", "5" },
		{ "refund_status", "5" }, { "start_updated_at", a },
		{ "end_updated_at", b }, { "page", pg },
		{ "page_size", "50" }, { "use_has_next", "true" },
	};

	snprintf(a, sizeof(a), "%lld", (long long)from);
	snprintf(b, sizeof(b), "%lld", (long long)to);
	snprintf(pg, sizeof(pg), "%d", page);
	pdd_call(kv, 9, m, h);
}

static void test_pdd(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(PDD_SHOP, 120), *seen = json_object();
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	struct sync_order_list l;
	const struct sync_order *o;
	struct http h;
	bool more = true;

	(void)state;
	for (int page = 1; more; page++) {
		sync_order_list_init(&l);
		pdd_list(now - 600, now + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_PDD, &h, &l);
		see(seen, &l);
		more = l.has_next;
		assert_true(page <= 4);
		assert_string_equal(l.v[0].currency, "CNY");
		assert_true(l.v[0].total > 0);
		sync_order_list_free(&l);
		http_free(&h);
	}
	expect_each_once(ids, seen);
	pdd_list(now - 600, now + 60, 1, M_BAD_SIGN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_PDD, &h),
			 SYNC_API_BAD_SIGNATURE);
	assert_non_null(strstr(h.body, "error_response"));
	http_free(&h);
	pdd_list(now - 600, now + 60, 1, M_BAD_TS, &h);
	assert_int_equal(classify(SYNC_PLATFORM_PDD, &h),
			 SYNC_API_BAD_TIMESTAMP);
	http_free(&h);
	pdd_list(now - 600, now + 60, 1, M_BAD_TOKEN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_PDD, &h), SYNC_API_AUTH);
	http_free(&h);
	pdd_list(now - 1860, now, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_PDD, &h), SYNC_API_OTHER);
	http_free(&h);
	{
		const char *const kv[][2] = {
			{ "type", "pdd.logistics.online.send" },
			{ "order_sn", id0 }, { "logistics_id", "115" },
			{ "tracking_number", "YT2000000002" },
		};

		pdd_call(kv, 4, M_NONE, &h);
		assert_int_equal(classify(SYNC_PLATFORM_PDD, &h),
				 SYNC_API_OK);
		assert_non_null(strstr(h.body, "\"is_success\":true"));
		http_free(&h);
		expect_shipment(PDD_SHOP, id0, "YT2000000002");
	}
	{
		const char *const kv[][2] = {
			{ "type", "pdd.goods.quantity.update" },
			{ "goods_id", "1000007" }, { "sku_id", "5000007" },
			{ "quantity", "41" },
		};

		pdd_call(kv, 4, M_NONE, &h);
		assert_int_equal(classify(SYNC_PLATFORM_PDD, &h),
				 SYNC_API_OK);
		http_free(&h);
		expect_stock(PDD_SHOP, "SKU-000007", 41);
	}
	fault(PDD_SHOP, "429", 1);
	pdd_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_PDD, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(PDD_SHOP, "500", 1);
	pdd_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_PDD, &h), SYNC_API_SERVER);
	http_free(&h);
	cancel(PDD_SHOP, id1);
	o = NULL;
	for (int page = 1; !o && page <= 5; page++) {
		sync_order_list_init(&l);
		pdd_list(now - 600, time(NULL) + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_PDD, &h, &l);
		http_free(&h);
		o = find(&l, id1);
		if (!o)
			sync_order_list_free(&l);
	}
	assert_non_null(o);
	/* Paid, then cancelled: PDD shows refund_status 4 (refunded). */
	assert_true(o->state == SYNC_STATE_CANCELLED ||
		    o->state == SYNC_STATE_REFUNDED);
	sync_order_list_free(&l);
	json_decref(seen);
	json_decref(ids);
}

/* ---- JD ---- */

#define JD_SHOP "JD-SELF"

static void jd_call(const char *method, const char *pj, enum mut m,
		    struct http *h)
{
	struct sync_params p;
	char ts[48], sign[SYNC_SIGN_MAX], *q, *u;

	sync_params_init(&p);
	fmt_cn(time(NULL) - (m == M_BAD_TS ? 3600 : 0), ts, sizeof(ts));
	memcpy(ts + strlen(ts), ".000+0800", 10);
	sync_params_add(&p, "method", method, NULL);
	sync_params_add(&p, "app_key", "demo-jd-self", NULL);
	sync_params_add(&p, "access_token", m == M_BAD_TOKEN ? "nope" :
					    "demo-token-jd-self", NULL);
	sync_params_add(&p, "timestamp", ts, NULL);
	sync_params_add(&p, "v", "2.0", NULL);
	sync_params_add(&p, "360buy_param_json", pj, NULL);
	assert_int_equal(sync_sign_jd(&p, "demo-secret-jd-self", sign, NULL),
			 WH_OK);
	if (m == M_BAD_SIGN)
		spoil(sign);
	sync_params_add(&p, "sign", sign, NULL);
	q = form(&p);
	u = url("/%s/routerjson?%s", JD_SHOP, q);
	http("GET", u, NULL, NULL, h);
	free(u);
	free(q);
	sync_params_free(&p);
}

static void jd_list(int64_t from, int64_t to, int page, enum mut m,
		    struct http *h)
{
	char a[32], b[32], pj[512];

	fmt_cn((time_t)from, a, sizeof(a));
	fmt_cn((time_t)to, b, sizeof(b));
	snprintf(pj, sizeof(pj),
		 "{\"start_date\":\"%s\",\"end_date\":\"%s\","
		 "\"order_state\":\"WAIT_SELLER_STOCK_OUT,TRADE_CANCELED,"
		 "LOCKED,WAIT_GOODS_RECEIVE_CONFIRM\",\"page\":\"%d\","
		 "\"page_size\":\"25\",\"dateType\":\"0\"}", a, b, page);
	jd_call("jingdong.pop.order.search", pj, m, h);
}

static void test_jd(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(JD_SHOP, 60), *seen = json_object();
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	struct sync_order_list l;
	const struct sync_order *o;
	struct http h;
	char pj[256];
	bool more = true;

	(void)state;
	for (int page = 1; more; page++) {
		sync_order_list_init(&l);
		jd_list(now - 600, now + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_JD, &h, &l);
		see(seen, &l);
		more = l.total > page * 25;
		assert_true(page <= 4);
		sync_order_list_free(&l);
		http_free(&h);
	}
	expect_each_once(ids, seen);
	jd_list(now - 600, now + 60, 1, M_BAD_SIGN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_JD, &h),
			 SYNC_API_BAD_SIGNATURE);
	http_free(&h);
	jd_list(now - 600, now + 60, 1, M_BAD_TS, &h);
	assert_int_equal(classify(SYNC_PLATFORM_JD, &h),
			 SYNC_API_BAD_TIMESTAMP);
	http_free(&h);
	jd_list(now - 600, now + 60, 1, M_BAD_TOKEN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_JD, &h), SYNC_API_AUTH);
	http_free(&h);
	jd_list(now - 31 * 86400, now, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_JD, &h), SYNC_API_OTHER);
	http_free(&h);
	snprintf(pj, sizeof(pj), "{\"orderId\":\"%s\",\"logiCoprId\":\"467\","
				 "\"logiNo\":\"JDVA30000003\"}", id0);
	jd_call("jingdong.pop.order.shipment", pj, M_NONE, &h);
	assert_non_null(strstr(h.body, "\"success\":true"));
	http_free(&h);
	expect_shipment(JD_SHOP, id0, "JDVA30000003");
	jd_call("jingdong.stock.write.updateSkuStock",
		"{\"skuId\":\"5000007\",\"stockNum\":\"52\"}", M_NONE, &h);
	assert_non_null(strstr(h.body, "\"success\":true"));
	http_free(&h);
	expect_stock(JD_SHOP, "SKU-000007", 52);
	fault(JD_SHOP, "429", 1);
	jd_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_JD, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(JD_SHOP, "500", 1);
	jd_list(now - 600, now + 60, 1, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_JD, &h), SYNC_API_SERVER);
	http_free(&h);
	cancel(JD_SHOP, id1);
	o = NULL;
	for (int page = 1; !o && page <= 5; page++) {
		sync_order_list_init(&l);
		jd_list(now - 600, time(NULL) + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_JD, &h, &l);
		http_free(&h);
		o = find(&l, id1);
		if (!o)
			sync_order_list_free(&l);
	}
	assert_non_null(o);
	assert_int_equal(o->state, SYNC_STATE_CANCELLED);
	sync_order_list_free(&l);
	json_decref(seen);
	json_decref(ids);
}

/* ---- Douyin ---- */

#define DY_SHOP "DY-LIVE"

static void dy_call(const char *method, json_t *param, enum mut m,
		    struct http *h)
{
	static const char *const hj[] = { "Content-Type: application/json",
					  NULL };
	char ts[24], sign[SYNC_SIGN_MAX], path[64], *pj, *u, *mp;

	assert_int_equal(sync_json_canonical(param, &pj, NULL), WH_OK);
	snprintf(ts, sizeof(ts), "%lld",
		 (long long)time(NULL) - (m == M_BAD_TS ? 3600 : 0));
	assert_int_equal(sync_sign_douyin("demo-dy-live", method, pj, ts, "2",
					  "demo-secret-dy-live",
					  SYNC_SIGN_HMAC_SHA256, sign, NULL),
			 WH_OK);
	if (m == M_BAD_SIGN)
		spoil(sign);
	snprintf(path, sizeof(path), "%s", method);
	mp = strchr(path, '.');
	assert_non_null(mp);
	*mp = '/';
	u = url("/%s/%s?app_key=demo-dy-live&method=%s&access_token=%s"
		"&timestamp=%s&v=2&sign_method=hmac-sha256&sign=%s", DY_SHOP,
		path, method, m == M_BAD_TOKEN ? "nope" : "demo-token-dy-live",
		ts, sign);
	http("POST", u, hj, pj, h);
	free(u);
	free(pj);
	json_decref(param);
}

static void dy_list(int64_t from, int64_t to, int page, enum mut m,
		    struct http *h)
{
	dy_call("order.searchList",
		json_pack("{s:i,s:i,s:I,s:I,s:s,s:b}", "page", page, "size",
			  25, "update_time_start", (json_int_t)from,
			  "update_time_end", (json_int_t)to, "order_by",
			  "update_time", "order_asc", 1),
		m, h);
}

static void test_douyin(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(DY_SHOP, 60), *seen = json_object();
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	struct sync_order_list l;
	const struct sync_order *o;
	struct http h;
	bool more = true;

	(void)state;
	for (int page = 0; more; page++) {
		sync_order_list_init(&l);
		dy_list(now - 600, now + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_DOUYIN, &h, &l);
		see(seen, &l);
		more = l.has_next;
		assert_true(page <= 3);
		assert_non_null(l.v[0].receiver_name_cipher);
		sync_order_list_free(&l);
		http_free(&h);
	}
	expect_each_once(ids, seen);
	dy_list(now - 600, now + 60, 0, M_BAD_SIGN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h),
			 SYNC_API_BAD_SIGNATURE);
	http_free(&h);
	dy_list(now - 600, now + 60, 0, M_BAD_TS, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h),
			 SYNC_API_BAD_TIMESTAMP);
	http_free(&h);
	dy_list(now - 600, now + 60, 0, M_BAD_TOKEN, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h), SYNC_API_AUTH);
	http_free(&h);
	dy_call("order.logisticsAdd",
		json_pack("{s:s,s:s,s:s}", "order_id", id0, "company_code",
			  "zhongtong", "logistics_code", "ZT4000000004"),
		M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h), SYNC_API_OK);
	http_free(&h);
	expect_shipment(DY_SHOP, id0, "ZT4000000004");
	dy_call("sku.syncStock",
		json_pack("{s:s,s:s,s:I,s:b,s:s}", "code", "SKU-000007",
			  "product_id", "1000007", "stock_num",
			  (json_int_t)63, "incremental", 0, "idempotent_id",
			  "wharf-1"),
		M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h), SYNC_API_OK);
	http_free(&h);
	expect_stock(DY_SHOP, "SKU-000007", 63);
	fault(DY_SHOP, "429", 1);
	dy_list(now - 600, now + 60, 0, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(DY_SHOP, "500", 1);
	dy_list(now - 600, now + 60, 0, M_NONE, &h);
	assert_int_equal(classify(SYNC_PLATFORM_DOUYIN, &h), SYNC_API_SERVER);
	http_free(&h);
	cancel(DY_SHOP, id1);
	more = true;
	for (int page = 0; more; page++) {
		sync_order_list_init(&l);
		dy_list(now - 600, time(NULL) + 60, page, M_NONE, &h);
		parse_ok(SYNC_PLATFORM_DOUYIN, &h, &l);
		more = l.has_next;
		o = find(&l, id1);
		if (o) {
			assert_int_equal(o->state, SYNC_STATE_CANCELLED);
			more = false;
		}
		assert_true(o || more);
		sync_order_list_free(&l);
		http_free(&h);
	}
	json_decref(seen);
	json_decref(ids);
}

/* ---- Amazon ---- */

#define AMZ_SHOP "AMZ-US"

static char *amz_token(void)
{
	static const char *const hf[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL
	};
	struct http h;
	json_t *j;
	char *body, *u, *tok;

	assert_int_equal(sync_amazon_lwa_refresh_body("demo-refresh-amz-us",
						      "demo-amz-us",
						      "demo-secret-amz-us",
						      &body, NULL), WH_OK);
	u = url("/%s/auth/o2/token", AMZ_SHOP);
	http("POST", u, hf, body, &h);
	free(u);
	sync_params_wipe_free(body, strlen(body));
	assert_int_equal(h.status, 200);
	j = json_loads(h.body, 0, NULL);
	assert_non_null(j);
	tok = strdup(json_string_value(json_object_get(j, "access_token")));
	assert_memory_equal(tok, "Atza|", 5);
	json_decref(j);
	http_free(&h);
	return tok;
}

static void amz_get(const char *tok, const char *date, const char *method,
		    const char *path_q, const char *body, struct http *h)
{
	char th[512], dh[64];
	const char *hs[4] = { th, "Content-Type: application/json", NULL,
			      NULL };
	char *u = url("/%s%s", AMZ_SHOP, path_q);

	snprintf(th, sizeof(th), "x-amz-access-token: %s", tok);
	if (date) {
		snprintf(dh, sizeof(dh), "x-amz-date: %s", date);
		hs[2] = dh;
	}
	http(method, u, hs, body, h);
	free(u);
}

static void test_amazon(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(AMZ_SHOP, 60), *seen = json_object();
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	char *tok = amz_token(), *next = NULL, *rl, q[1024], after[32];
	char body[512], *items_next = NULL;
	struct sync_order_list l;
	struct wh_error err;
	const struct sync_order *o;
	struct http h;
	int pages = 0;

	(void)state;
	fmt_iso(now - 600, after, sizeof(after));
	/* getOrders pages by NextToken; orders carry no lines (those come
	 * from orderItems), so the once check reads ids only. */
	do {
		if (next) {
			char *enc;

			sync_percent_encode(next, strlen(next), &enc, NULL);
			snprintf(q, sizeof(q), "/orders/v0/orders?NextToken=%s",
				 enc);
			free(enc);
		} else {
			snprintf(q, sizeof(q),
				 "/orders/v0/orders?MarketplaceIds="
				 "ATVPDKIKX0DER&LastUpdatedAfter=%s"
				 "&MaxResultsPerPage=25", after);
		}
		sync_order_list_init(&l);
		amz_get(tok, NULL, "GET", q, NULL, &h);
		parse_ok(SYNC_PLATFORM_AMAZON, &h, &l);
		rl = header(&h, "x-amzn-RateLimit-Limit");
		assert_non_null(rl);
		free(rl);
		for (size_t i = 0; i < l.n; i++) {
			json_t *n = json_object_get(seen, l.v[i].order_id);

			json_object_set_new(seen, l.v[i].order_id,
					    json_integer(n ?
						json_integer_value(n) + 1 : 1));
			assert_int_equal(l.v[i].state,
					 SYNC_STATE_READY_TO_SHIP);
		}
		free(next);
		next = l.next_token ? strdup(l.next_token) : NULL;
		sync_order_list_free(&l);
		http_free(&h);
		assert_true(++pages <= 4);
	} while (next);
	expect_each_once(ids, seen);
	/* Items of id0, then confirm its shipment. */
	snprintf(q, sizeof(q), "/orders/v0/orders/%s", id0);
	amz_get(tok, NULL, "GET", q, NULL, &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	{
		struct sync_order ord;
		json_t *items = json_array();
		char *ib;

		memset(&ord, 0, sizeof(ord));
		ord.order_id = strdup(id0);
		snprintf(q, sizeof(q), "/orders/v0/orders/%s/orderItems", id0);
		amz_get(tok, NULL, "GET", q, NULL, &h);
		assert_int_equal(sync_parse_amazon_order_items(
					 h.body, h.len, &ord, &items_next,
					 &err), WH_OK);
		assert_null(items_next);
		assert_true(ord.nlines >= 1);
		assert_string_equal(ord.currency, "USD");
		for (size_t i = 0; i < ord.nlines; i++)
			json_array_append_new(items, json_pack(
				"{s:s,s:I}", "orderItemId",
				ord.lines[i].line_id, "quantity",
				(json_int_t)ord.lines[i].qty));
		http_free(&h);
		ib = json_dumps(items, JSON_COMPACT);
		snprintf(body, sizeof(body),
			 "{\"marketplaceId\":\"ATVPDKIKX0DER\","
			 "\"packageDetail\":{\"packageReferenceId\":\"1\","
			 "\"carrierCode\":\"UPS\",\"trackingNumber\":"
			 "\"1Z999AA10123456784\",\"shipDate\":\"%s\","
			 "\"orderItems\":%s}}", after, ib);
		free(ib);
		json_decref(items);
		sync_order_free(&ord);
	}
	snprintf(q, sizeof(q), "/orders/v0/orders/%s/shipmentConfirmation",
		 id0);
	amz_get(tok, NULL, "POST", q, body, &h);
	assert_int_equal(h.status, 204);
	http_free(&h);
	/* The same packageReferenceId again edits: still 204. */
	amz_get(tok, NULL, "POST", q, body, &h);
	assert_int_equal(h.status, 204);
	http_free(&h);
	expect_shipment(AMZ_SHOP, id0, "1Z999AA10123456784");
	amz_get(tok, NULL, "PATCH",
		"/listings/2021-08-01/items/A1DEMOAMZUS001/SKU-000007"
		"?marketplaceIds=ATVPDKIKX0DER",
		"{\"productType\":\"PRODUCT\",\"patches\":[{\"op\":"
		"\"replace\",\"path\":\"/attributes/"
		"fulfillment_availability\",\"value\":[{"
		"\"fulfillment_channel_code\":\"DEFAULT\",\"quantity\":74}]}]}",
		&h);
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.body, "ACCEPTED"));
	http_free(&h);
	expect_stock(AMZ_SHOP, "SKU-000007", 74);
	snprintf(q, sizeof(q), "/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER"
			       "&LastUpdatedAfter=%s", after);
	amz_get("Atza|bogus", NULL, "GET", q, NULL, &h);
	assert_int_equal(h.status, 403);
	assert_int_equal(classify(SYNC_PLATFORM_AMAZON, &h), SYNC_API_AUTH);
	http_free(&h);
	amz_get(tok, "20200101T000000Z", "GET", q, NULL, &h);
	assert_int_equal(classify(SYNC_PLATFORM_AMAZON, &h),
			 SYNC_API_BAD_TIMESTAMP);
	http_free(&h);
	fault(AMZ_SHOP, "429", 1);
	amz_get(tok, NULL, "GET", q, NULL, &h);
	assert_int_equal(h.status, 429);
	assert_int_equal(classify(SYNC_PLATFORM_AMAZON, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(AMZ_SHOP, "500", 1);
	amz_get(tok, NULL, "GET", q, NULL, &h);
	assert_int_equal(classify(SYNC_PLATFORM_AMAZON, &h), SYNC_API_SERVER);
	http_free(&h);
	cancel(AMZ_SHOP, id1);
	sync_order_list_init(&l);
	snprintf(q, sizeof(q), "/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER"
			       "&LastUpdatedAfter=%s&OrderStatuses=Canceled",
		 after);
	amz_get(tok, NULL, "GET", q, NULL, &h);
	parse_ok(SYNC_PLATFORM_AMAZON, &h, &l);
	o = find(&l, id1);
	assert_non_null(o);
	assert_int_equal(o->state, SYNC_STATE_CANCELLED);
	sync_order_list_free(&l);
	http_free(&h);
	/* Shipping the cancelled order is refused. */
	snprintf(q, sizeof(q), "/orders/v0/orders/%s/shipmentConfirmation",
		 id1);
	amz_get(tok, NULL, "POST", q, body, &h);
	assert_int_equal(h.status, 400);
	http_free(&h);
	free(tok);
	json_decref(seen);
	json_decref(ids);
}

/* ---- Shopify ---- */

#define SP_SHOP "SHOPIFY"

static void sp_call(const char *token, const char *method, const char *pq,
		    const char *body, struct http *h)
{
	char th[128];
	const char *hs[] = { th, "Content-Type: application/json", NULL };
	char *u = strncmp(pq, "http", 4) ? url("/%s/admin/api/2024-01/%s",
					       SP_SHOP, pq) : strdup(pq);

	snprintf(th, sizeof(th), "X-Shopify-Access-Token: %s", token);
	http(method, u, hs, body, h);
	free(u);
}

/* The rel="next" URL of a Link header, malloc'd, or NULL. */
static char *next_link(const struct http *h)
{
	char *link = header(h, "Link"), *p, *lt, *gt, *r = NULL;

	if (!link)
		return NULL;
	for (p = link; (lt = strchr(p, '<')); p = gt + 1) {
		gt = strchr(lt, '>');
		if (!gt)
			break;
		if (!strncmp(gt, ">; rel=\"next\"", 13)) {
			r = strndup(lt + 1, (size_t)(gt - lt - 1));
			break;
		}
	}
	free(link);
	return r;
}

static void test_shopify(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(SP_SHOP, 60), *seen = json_object();
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	const char *tok = "shpat_demo_shopify";
	struct sync_order_list l;
	const struct sync_order *o;
	char q[512], min[32], *next = NULL, *lim;
	struct http h;
	json_t *j;
	int pages = 0;

	(void)state;
	fmt_iso(now - 600, min, sizeof(min));
	snprintf(q, sizeof(q), "orders.json?status=any&updated_at_min=%s"
			       "&limit=25", min);
	do {
		sync_order_list_init(&l);
		sp_call(tok, "GET", next ? next : q, NULL, &h);
		parse_ok(SYNC_PLATFORM_SHOPIFY, &h, &l);
		lim = header(&h, "X-Shopify-Shop-Api-Call-Limit");
		assert_non_null(lim);
		assert_non_null(strchr(lim, '/'));
		free(lim);
		see(seen, &l);
		free(next);
		next = next_link(&h);
		sync_order_list_free(&l);
		http_free(&h);
		assert_true(++pages <= 4);
	} while (next);
	expect_each_once(ids, seen);
	sp_call("shpat_wrong", "GET", q, NULL, &h);
	assert_int_equal(h.status, 401);
	assert_int_equal(classify(SYNC_PLATFORM_SHOPIFY, &h), SYNC_API_AUTH);
	http_free(&h);
	/* Fulfil id0 through its fulfillment order. */
	{
		char path[128], body[512];
		json_int_t fo;

		snprintf(path, sizeof(path),
			 "orders/%s/fulfillment_orders.json", id0);
		sp_call(tok, "GET", path, NULL, &h);
		j = json_loads(h.body, 0, NULL);
		fo = json_integer_value(json_object_get(json_array_get(
			json_object_get(j, "fulfillment_orders"), 0), "id"));
		assert_true(fo > 0);
		json_decref(j);
		http_free(&h);
		snprintf(body, sizeof(body),
			 "{\"fulfillment\":{\"line_items_by_fulfillment_order"
			 "\":[{\"fulfillment_order_id\":%" JSON_INTEGER_FORMAT
			 "}],\"tracking_info\":{\"company\":\"UPS\","
			 "\"number\":\"1Z999AA10000000055\"},"
			 "\"notify_customer\":false}}", fo);
		sp_call(tok, "POST", "fulfillments.json", body, &h);
		assert_int_equal(h.status, 201);
		http_free(&h);
		expect_shipment(SP_SHOP, id0, "1Z999AA10000000055");
		/* Not idempotent: the fulfillment order is closed now. */
		sp_call(tok, "POST", "fulfillments.json", body, &h);
		assert_int_equal(h.status, 422);
		http_free(&h);
	}
	sp_call(tok, "POST", "inventory_levels/set.json",
		"{\"location_id\":65000000001,\"inventory_item_id\":7000007,"
		"\"available\":85}", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	expect_stock(SP_SHOP, "SKU-000007", 85);
	fault(SP_SHOP, "429", 1);
	sp_call(tok, "GET", q, NULL, &h);
	assert_int_equal(h.status, 429);
	lim = header(&h, "Retry-After");
	assert_non_null(lim);
	free(lim);
	assert_int_equal(classify(SYNC_PLATFORM_SHOPIFY, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(SP_SHOP, "500", 1);
	sp_call(tok, "GET", q, NULL, &h);
	assert_int_equal(classify(SYNC_PLATFORM_SHOPIFY, &h),
			 SYNC_API_SERVER);
	http_free(&h);
	cancel(SP_SHOP, id1);
	snprintf(q, sizeof(q), "orders.json?status=cancelled&updated_at_min=%s",
		 min);
	sync_order_list_init(&l);
	sp_call(tok, "GET", q, NULL, &h);
	parse_ok(SYNC_PLATFORM_SHOPIFY, &h, &l);
	o = find(&l, id1);
	assert_non_null(o);
	assert_int_equal(o->state, SYNC_STATE_CANCELLED);
	sync_order_list_free(&l);
	http_free(&h);
	json_decref(seen);
	json_decref(ids);
}

/* ---- WooCommerce ---- */

#define WOO_SHOP "WOO-EU"

static void woo_call(const char *ck, const char *method, const char *pq,
		     const char *body, struct http *h)
{
	char *auth = NULL, ah[256];
	const char *hs[] = { ah, "Content-Type: application/json", NULL };
	char *u = url("/%s/wp-json/wc/v3/%s", WOO_SHOP, pq);

	assert_int_equal(sync_woo_basic_auth(ck, "cs_demo_woo_eu", &auth,
					     NULL), WH_OK);
	snprintf(ah, sizeof(ah), "Authorization: %s", auth);
	sync_params_wipe_free(auth, strlen(auth));
	http(method, u, hs, body, h);
	free(u);
}

static void test_woo(void **state)
{
	time_t now = time(NULL);
	json_t *ids = create_orders(WOO_SHOP, 60), *seen = json_object();
	const char *id0 = json_string_value(json_array_get(ids, 0));
	const char *id1 = json_string_value(json_array_get(ids, 1));
	const char *ck = "ck_demo_woo_eu";
	struct sync_order_list l;
	const struct sync_order *o;
	char q[512], after[32], path[128], *tp;
	struct http h;
	long long pages = 1;

	(void)state;
	fmt_iso(now - 600, after, sizeof(after));
	after[19] = '\0'; /* Woo dates carry no zone */
	for (long long page = 1; page <= pages; page++) {
		snprintf(q, sizeof(q),
			 "orders?modified_after=%s&dates_are_gmt=true"
			 "&per_page=25&page=%lld&orderby=modified&order=asc",
			 after, page);
		sync_order_list_init(&l);
		woo_call(ck, "GET", q, NULL, &h);
		parse_ok(SYNC_PLATFORM_WOO, &h, &l);
		tp = header(&h, "X-WP-TotalPages");
		assert_non_null(tp);
		pages = strtoll(tp, NULL, 10);
		free(tp);
		assert_true(pages >= 3 && pages <= 4);
		see(seen, &l);
		assert_string_equal(l.v[0].currency, "EUR");
		sync_order_list_free(&l);
		http_free(&h);
	}
	expect_each_once(ids, seen);
	woo_call("ck_wrong", "GET", q, NULL, &h);
	assert_int_equal(h.status, 401);
	assert_non_null(strstr(h.body, "woocommerce_rest_cannot_view"));
	assert_int_equal(classify(SYNC_PLATFORM_WOO, &h), SYNC_API_AUTH);
	http_free(&h);
	snprintf(path, sizeof(path), "orders/%s", id0);
	woo_call(ck, "PUT", path,
		 "{\"status\":\"completed\",\"meta_data\":[{\"key\":"
		 "\"_tracking_number\",\"value\":\"DHL5000000005\"},"
		 "{\"key\":\"_tracking_provider\",\"value\":\"DHL\"}]}", &h);
	assert_int_equal(h.status, 200);
	sync_order_list_init(&l);
	parse_ok(SYNC_PLATFORM_WOO, &h, &l);
	assert_int_equal(l.v[0].state, SYNC_STATE_COMPLETED);
	sync_order_list_free(&l);
	http_free(&h);
	expect_shipment(WOO_SHOP, id0, "DHL5000000005");
	woo_call(ck, "PUT", "products/1000007",
		 "{\"manage_stock\":true,\"stock_quantity\":96}", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	expect_stock(WOO_SHOP, "SKU-000007", 96);
	fault(WOO_SHOP, "429", 1);
	woo_call(ck, "GET", q, NULL, &h);
	assert_int_equal(classify(SYNC_PLATFORM_WOO, &h),
			 SYNC_API_RATE_LIMITED);
	http_free(&h);
	fault(WOO_SHOP, "500", 1);
	woo_call(ck, "GET", q, NULL, &h);
	assert_int_equal(classify(SYNC_PLATFORM_WOO, &h), SYNC_API_SERVER);
	http_free(&h);
	cancel(WOO_SHOP, id1);
	snprintf(path, sizeof(path), "orders/%s", id1);
	woo_call(ck, "PUT", path, "{\"status\":\"completed\"}", &h);
	assert_int_equal(h.status, 400);
	http_free(&h);
	snprintf(q, sizeof(q), "orders?modified_after=%s&status=cancelled",
		 after);
	sync_order_list_init(&l);
	woo_call(ck, "GET", q, NULL, &h);
	parse_ok(SYNC_PLATFORM_WOO, &h, &l);
	o = find(&l, id1);
	assert_non_null(o);
	assert_int_equal(o->state, SYNC_STATE_CANCELLED);
	sync_order_list_free(&l);
	http_free(&h);
	json_decref(seen);
	json_decref(ids);
}

/* ---- a held request ---- */

struct held {
	char *url;
	const char *const *headers; /* NULL-terminated */
	struct http h;
	atomic_bool done;
};

/* GET x->url on a thread of its own: no cmocka assertion here, off the
 * test's thread. */
static void *held_get(void *p)
{
	struct held *x = p;
	struct curl_slist *hl = NULL;
	CURL *c = curl_easy_init();

	x->h.rc = CURLE_FAILED_INIT;
	if (c) {
		for (size_t i = 0; x->headers[i]; i++)
			hl = curl_slist_append(hl, x->headers[i]);
		curl_easy_setopt(c, CURLOPT_URL, x->url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &x->h);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		x->h.rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x->h.status);
		curl_slist_free_all(hl);
		curl_easy_cleanup(c);
	}
	atomic_store(&x->done, true);
	return NULL;
}

/* Whether a rule of that kind is still set (a spent one is removed). */
static bool rule_left(const char *kind)
{
	json_t *j = ctl("GET", "/faults", NULL), *r;
	size_t k;
	bool left = false;

	json_array_foreach(json_object_get(j, "faults"), k, r)
		if (!strcmp(json_string_value(json_object_get(r, "kind")),
			    kind))
			left = true;
	json_decref(j);
	return left;
}

/* A "hold" keeps a Woo list until POST /_sim/faults/release and then
 * answers it: an order made while it waited is on it. */
static void test_hold(void **state)
{
	char *auth = NULL, ah[256], after[32];
	const char *hs[] = { ah, NULL };
	struct held x;
	struct sync_order_list l;
	pthread_t t;
	json_t *ids;
	int i;

	(void)state;
	memset(&x, 0, sizeof(x));
	atomic_init(&x.done, false);
	assert_int_equal(sync_woo_basic_auth("ck_demo_woo_eu",
					     "cs_demo_woo_eu", &auth, NULL),
			 WH_OK);
	snprintf(ah, sizeof(ah), "Authorization: %s", auth);
	sync_params_wipe_free(auth, strlen(auth));
	fmt_iso(time(NULL) - 600, after, sizeof(after));
	after[19] = '\0'; /* Woo dates carry no zone */
	/* Newest first: the order made during the hold is on page 1. */
	x.url = url("/%s/wp-json/wc/v3/orders?modified_after=%s"
		    "&dates_are_gmt=true&per_page=100&orderby=modified"
		    "&order=desc", WOO_SHOP, after);
	x.headers = hs;
	fault(WOO_SHOP, "hold", 1);
	assert_int_equal(pthread_create(&t, NULL, held_get, &x), 0);
	for (i = 0; i < 2000 && rule_left("hold"); i++)
		usleep(10000);
	assert_false(rule_left("hold"));
	/* It arrived, and nothing ends its wait but the release (or a
	 * minute): no answer yet. */
	assert_false(atomic_load(&x.done));
	ids = create_orders(WOO_SHOP, 1);
	json_decref(ctl("POST", "/faults/release", ""));
	pthread_join(t, NULL);
	assert_int_equal(x.h.status, 200);
	sync_order_list_init(&l);
	parse_ok(SYNC_PLATFORM_WOO, &x.h, &l);
	assert_non_null(find(&l, json_string_value(json_array_get(ids, 0))));
	sync_order_list_free(&l);
	http_free(&x.h);
	free(x.url);
	json_decref(ids);
}

/* The counters saw the rejections and the faults. */
static void test_stats(void **state)
{
	json_t *s = ctl("GET", "/stats", NULL);
	json_t *rs = json_object_get(s, "rejected_signatures");

	(void)state;
	assert_true(json_integer_value(rs) >= 4);
	assert_true(json_integer_value(json_object_get(s, "faults")) >= 14);
	assert_true(json_integer_value(json_object_get(s, "requests")) > 50);
	json_decref(s);
}

/* ---- the simulator process ---- */

static int start_sim(void **state)
{
	int fd[2];
	char line[128];
	FILE *f;

	(void)state;
	if (pipe(fd))
		return -1;
	sim_pid = fork();
	if (sim_pid < 0)
		return -1;
	if (sim_pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(WHARF_SIM_BIN, WHARF_SIM_BIN, "--port", "0", "--seed",
		      "7", "--rate", "0", "--cancel-rate", "0",
		      "--refund-rate", "0", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    strncmp(line, "LISTENING 127.0.0.1:", 20)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(base, sizeof(base), "http://%s", line + 10);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

static int stop_sim(void **state)
{
	int status = 0;

	(void)state;
	curl_global_cleanup();
	if (sim_pid <= 0)
		return 0;
	kill(sim_pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(sim_pid, &status, WNOHANG) == sim_pid) {
			sim_pid = -1;
			/* A clean, leak-free exit. */
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
				       0 : -1;
		}
		usleep(50000);
	}
	kill(sim_pid, SIGKILL);
	waitpid(sim_pid, &status, 0);
	sim_pid = -1;
	return -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_top_bad_pages),
		cmocka_unit_test(test_pdd),
		cmocka_unit_test(test_jd),
		cmocka_unit_test(test_douyin),
		cmocka_unit_test(test_amazon),
		cmocka_unit_test(test_shopify),
		cmocka_unit_test(test_woo),
		cmocka_unit_test(test_hold),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, start_sim, stop_sim);
}
