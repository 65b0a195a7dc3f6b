/*
 * sync_ctx.c - what every adapter calls through: rate limits, retries
 * with backoff, JSON and order-page loading, credentials, small helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sync/jfield.h"
#include "sync/sign.h"
#include "sync/sync_adapter.h"

static void wipe_str(char **s)
{
	if (*s)
		sync_params_wipe_free(*s, strlen(*s));
	*s = NULL;
}

void sync_creds_free(struct sync_creds *c)
{
	if (!c)
		return;
	wipe_str(&c->app_key);
	wipe_str(&c->secret);
	wipe_str(&c->token);
	wipe_str(&c->refresh);
	wipe_str(&c->webhook_secret);
	wipe_str(&c->lwa_url);
	wipe_str(&c->seller_id);
	wipe_str(&c->marketplace);
}

void sync_shop_free(struct sync_shop *s)
{
	if (!s)
		return;
	sync_creds_free(&s->creds);
	free(s->base_url);
	memset(s, 0, sizeof(*s));
}

static char *fmt_dup(const char *fmt, const char *a)
{
	size_t n = strlen(fmt) + strlen(a) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, fmt, a);
	return s;
}

static enum wh_err creds_demo(struct sync_shop *s, const char *lc,
			      struct wh_error *err)
{
	struct sync_creds *c = &s->creds;

	if (s->platform == SYNC_PLATFORM_WOO) {
		c->app_key = fmt_dup("ck_demo_%s", "woo_eu");
		c->secret = fmt_dup("cs_demo_%s", "woo_eu");
	} else {
		c->app_key = fmt_dup("demo-%s", lc);
		c->secret = fmt_dup("demo-secret-%s", lc);
	}
	if (s->platform == SYNC_PLATFORM_SHOPIFY) {
		c->token = fmt_dup("shpat_demo_%s", "shopify");
		c->webhook_secret = fmt_dup("demo-secret-%s", lc);
	} else {
		c->token = fmt_dup("demo-token-%s", lc);
	}
	c->refresh = fmt_dup("demo-refresh-%s", lc);
	if (s->platform == SYNC_PLATFORM_AMAZON) {
		c->lwa_url = s->base_url ? fmt_dup("%s/auth/o2/token",
						   s->base_url) : NULL;
		c->seller_id = fmt_dup("%s", "A1DEMOAMZUS001");
		c->marketplace = fmt_dup("%s", "ATVPDKIKX0DER");
	}
	if (!c->app_key || !c->secret || !c->token || !c->refresh ||
	    (s->platform == SYNC_PLATFORM_AMAZON &&
	     (!c->lwa_url || !c->seller_id || !c->marketplace))) {
		sync_creds_free(c);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	/* Tokens that can be refreshed are refreshed before first use. */
	s->token_expires = (s->platform == SYNC_PLATFORM_AMAZON ||
			    s->platform == SYNC_PLATFORM_DOUYIN) ? 0 :
								   INT64_MAX;
	return WH_OK;
}

static enum wh_err creds_file(struct sync_shop *s, const char *path,
			      struct wh_error *err)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "app_key", offsetof(struct sync_creds, app_key) },
		{ "secret", offsetof(struct sync_creds, secret) },
		{ "token", offsetof(struct sync_creds, token) },
		{ "refresh_token", offsetof(struct sync_creds, refresh) },
		{ "webhook_secret", offsetof(struct sync_creds, webhook_secret) },
		{ "lwa_url", offsetof(struct sync_creds, lwa_url) },
		{ "seller_id", offsetof(struct sync_creds, seller_id) },
		{ "marketplace_id", offsetof(struct sync_creds, marketplace) },
	};
	struct stat st;
	json_error_t je;
	json_t *j;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	FILE *f;

	if (fd < 0)
		return wh_error_set(err, WH_ERR_IO, "shop %s: cannot open its "
				    "credentials file: %s", s->code,
				    strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 077) || st.st_uid != geteuid()) {
		close(fd);
		return wh_error_set(err, WH_ERR_PERM, "shop %s: the credentials "
				    "file must be a regular file of this user "
				    "with mode 0600", s->code);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return wh_error_set(err, WH_ERR_IO, "fdopen failed");
	}
	j = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!json_is_object(j)) {
		json_decref(j);
		/* je.text may quote the file: never copy it. */
		return wh_error_set(err, WH_ERR_INVALID, "shop %s: the "
				    "credentials file is not a JSON object "
				    "(line %d)", s->code, je.line);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(j,
								  keys[i].key));
		char **slot = (char **)((char *)&s->creds + keys[i].off);

		if (v && *v && !(*slot = strdup(v))) {
			json_decref(j);
			sync_creds_free(&s->creds);
			return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		}
	}
	json_decref(j);
	if (s->platform == SYNC_PLATFORM_AMAZON && !s->creds.lwa_url)
		s->creds.lwa_url = strdup("https://api.amazon.com/auth/o2/token");
	if (s->platform == SYNC_PLATFORM_AMAZON && !s->creds.marketplace)
		s->creds.marketplace = strdup("ATVPDKIKX0DER");
	s->token_expires = (s->platform == SYNC_PLATFORM_AMAZON ||
			    (s->platform == SYNC_PLATFORM_DOUYIN &&
			     s->creds.refresh)) ? 0 : INT64_MAX;
	return WH_OK;
}

enum wh_err sync_creds_load(struct sync_shop *s, const char *ref,
			    struct wh_error *err)
{
	sync_creds_free(&s->creds);
	if (!ref || !*ref)
		return wh_error_set(err, WH_ERR_INVALID, "shop %s has no "
				    "credentials_ref", s->code);
	if (!strncmp(ref, "demo:", 5) && ref[5])
		return creds_demo(s, ref + 5, err);
	if (!strncmp(ref, "file:", 5) && ref[5] == '/')
		return creds_file(s, ref + 5, err);
	return wh_error_set(err, WH_ERR_INVALID, "shop %s: credentials_ref "
			    "must be demo:<code> or file:/path", s->code);
}

void sync_log(struct sync_ctx *c, enum sync_log_level lvl, const char *fmt,
	      ...)
{
	static const char *const names[] = { "error", "warn", "info",
					     "debug" };
	char ts[32];
	struct tm tm;
	time_t t = time(NULL);
	va_list ap;

	if (!c || !c->log || lvl > c->log_level)
		return;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	flockfile(c->log);
	fprintf(c->log, "%s sync %s: ", ts, names[lvl]);
	va_start(ap, fmt);
	vfprintf(c->log, fmt, ap);
	va_end(ap);
	fputc('\n', c->log);
	fflush(c->log);
	funlockfile(c->log);
}

int64_t sync_now(void)
{
	return (int64_t)time(NULL);
}

int64_t sync_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool sync_sleep(struct sync_ctx *c, int64_t ms)
{
	while (ms > 0) {
		int64_t step = ms > 100 ? 100 : ms;
		struct timespec ts = { 0, (long)step * 1000000L };

		if (c->stop && atomic_load(c->stop))
			return false;
		nanosleep(&ts, NULL);
		ms -= step;
	}
	return !(c->stop && atomic_load(c->stop));
}

static uint64_t ctx_rand(void *p)
{
	uint64_t *x = p;

	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

void sync_shop_init_buckets(struct sync_ctx *c, struct sync_shop *s)
{
	static const char *const top[SYNC_OP_COUNT] = {
		"top.default", "top.default", "top.default", "top.default",
		"top.default" };
	static const char *const amz[SYNC_OP_COUNT] = {
		"amazon.getOrders", "amazon.getOrderItems",
		"amazon.confirmShipment", "amazon.getOrder",
		"amazon.createRestrictedDataToken" };
	const char *name = NULL;
	int64_t now = sync_mono_ms();
	double scale = c->rate_scale > 0 ? c->rate_scale : 1;

	for (int op = 0; op < SYNC_OP_COUNT; op++) {
		const struct sync_rate_preset *p;

		switch (s->platform) {
		case SYNC_PLATFORM_TOP:
			name = top[op];
			break;
		case SYNC_PLATFORM_JD:
			name = "jd.default";
			break;
		case SYNC_PLATFORM_PDD:
			name = "pdd.default";
			break;
		case SYNC_PLATFORM_DOUYIN:
			name = "douyin.default";
			break;
		case SYNC_PLATFORM_AMAZON:
			name = amz[op];
			break;
		case SYNC_PLATFORM_SHOPIFY:
			name = "shopify.standard";
			break;
		default:
			name = "woo.default";
			break;
		}
		p = sync_rate_preset_find(name);
		sync_bucket_init(&s->bucket[op], (p ? p->rate : 1) * scale,
				 p ? p->burst : 5, now, NULL);
	}
	/* Shopify has one leaky bucket per store, not one per operation:
	 * the list bucket stands for all (see sync_call). */
}

static bool retryable_http(long status)
{
	return status == 429 || status == 408 || status >= 500;
}

enum wh_err sync_call(struct sync_ctx *c, struct sync_shop *s,
		      enum sync_op op, const struct sync_http_req *req,
		      struct sync_http_resp *resp, struct wh_error *err)
{
	struct sync_bucket *b = &s->bucket[s->platform ==
					   SYNC_PLATFORM_SHOPIFY ?
					   SYNC_OP_LIST : op];
	int attempts = c->max_attempts > 0 ? c->max_attempts : 1;
	enum wh_err rc;

	for (int a = 0; a < attempts; a++) {
		struct sync_api_error ae;
		int64_t wait = 0, ra_ms = 0;
		bool retry;

		while (!sync_bucket_take(b, sync_mono_ms(), &wait))
			if (!sync_sleep(c, wait > 0 ? wait : 1))
				return wh_error_set(err, WH_ERR_RETRY,
						    "stopping");
		if (a)
			sync_http_resp_free(resp);
		rc = sync_http_perform(c->http, req, resp, 1, err);
		if (rc)
			return rc;
		c->count.requests++;
		if (resp->shopify_call_limit)
			sync_bucket_observe_shopify(b, resp->shopify_call_limit,
						    sync_mono_ms(), NULL);
		if (resp->transport_error) {
			c->count.transport_errors++;
			retry = true;
			snprintf(s->last_error, sizeof(s->last_error),
				 "transport: %s", resp->error);
		} else {
			enum sync_api_status st = sync_api_classify(
				s->platform, resp->status, resp->body,
				resp->len, &ae);

			/* A platform clock that jumped rejects the timestamp
			 * for a moment; ours, taken when the request was
			 * signed a few seconds ago, is still fresh. */
			retry = retryable_http(resp->status) ||
				st == SYNC_API_RATE_LIMITED ||
				st == SYNC_API_SERVER ||
				st == SYNC_API_BAD_TIMESTAMP;
			if (st == SYNC_API_RATE_LIMITED ||
			    resp->status == 429) {
				c->count.throttled++;
				sync_bucket_drain(b, sync_mono_ms());
			}
			if (retry)
				snprintf(s->last_error, sizeof(s->last_error),
					 "HTTP %ld %s %s", resp->status,
					 sync_api_status_name(st), ae.message);
		}
		if (!retry)
			return WH_OK;
		if (resp->retry_after)
			sync_retry_after_parse(resp->retry_after, sync_now(),
					       &ra_ms, NULL);
		/* "2.0" (Shopify) is not delta-seconds: read the digits. */
		if (resp->retry_after && !ra_ms)
			ra_ms = (int64_t)(strtod(resp->retry_after, NULL) *
					  1000);
		if (a + 1 < attempts) {
			int64_t d = sync_retry_delay_ms(
				(unsigned)a, c->backoff_base_ms,
				c->backoff_cap_ms, ra_ms, ctx_rand, &c->rng);

			c->count.retries++;
			sync_log(c, SYNC_LOG_DEBUG, "%s: %s; retry in %lld ms",
				 s->code, s->last_error, (long long)d);
			/* Stopping: say so, not that every try was made. */
			if (!sync_sleep(c, d))
				return wh_error_set(err, WH_ERR_RETRY,
						    "%s: stopping after %d of "
						    "%d tries: %s", s->code,
						    a + 1, attempts,
						    s->last_error);
		}
	}
	return wh_error_set(err, WH_ERR_RETRY, "%s: gave up after %d tries: "
			    "%s", s->code, attempts, s->last_error);
}

enum wh_err sync_call_json(struct sync_ctx *c, struct sync_shop *s,
			   enum sync_op op, const struct sync_http_req *req,
			   json_t **root, struct sync_http_resp *resp,
			   struct wh_error *err)
{
	int attempts = c->max_attempts > 0 ? c->max_attempts : 1;
	enum wh_err rc = WH_OK;

	*root = NULL;
	for (int a = 0; a < attempts; a++) {
		struct sync_api_error ae;
		enum sync_api_status st;

		if (a)
			sync_http_resp_free(resp);
		rc = sync_call(c, s, op, req, resp, err);
		if (rc)
			return rc;
		st = sync_api_classify(s->platform, resp->status, resp->body,
				       resp->len, &ae);
		if (st != SYNC_API_OK) {
			snprintf(s->last_error, sizeof(s->last_error),
				 "%s %s %s", sync_api_status_name(st), ae.code,
				 ae.message);
			return wh_error_set(err, sync_api_status_err(st),
					    "%s: HTTP %ld %s", s->code,
					    resp->status, s->last_error);
		}
		if (resp->status >= 400)
			return wh_error_set(err, WH_ERR_REFUSED,
					    "%s: HTTP %ld", s->code,
					    resp->status);
		if (resp->len == 0 && resp->status == 204)
			return WH_OK;
		rc = sync_json_load(resp->body, resp->len, root, err);
		if (!rc)
			return WH_OK;
		c->count.malformed++;
		snprintf(s->last_error, sizeof(s->last_error),
			 "malformed JSON (HTTP %ld)", resp->status);
		if (!sync_sleep(c, sync_retry_delay_ms((unsigned)a,
						       c->backoff_base_ms,
						       c->backoff_cap_ms, 0,
						       ctx_rand, &c->rng)))
			break;
	}
	return wh_error_set(err, WH_ERR_RETRY, "%s: %s", s->code,
			    s->last_error);
}

enum wh_err sync_call_orders(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_http_req *req,
			     struct sync_order_list *list, json_t **root,
			     struct sync_http_resp *resp,
			     struct wh_error *err)
{
	int attempts = c->max_attempts > 0 ? c->max_attempts : 1;
	enum wh_err rc = WH_OK;

	for (int a = 0; a < attempts; a++) {
		if (a)
			sync_http_resp_free(resp);
		rc = sync_call_json(c, s, SYNC_OP_LIST, req, root, resp, err);
		if (rc)
			return rc;
		rc = sync_parse_orders(s->platform, resp->body, resp->len,
				       list, err);
		if (!rc)
			return WH_OK;
		json_decref(*root);
		*root = NULL;
		sync_order_list_free(list);
		sync_order_list_init(list);
		if (rc != WH_ERR_INVALID)
			return rc;
		c->count.malformed++;
		snprintf(s->last_error, sizeof(s->last_error),
			 "unreadable order page: %s", err ? err->msg : "");
		if (!sync_sleep(c, sync_retry_delay_ms((unsigned)a,
						       c->backoff_base_ms,
						       c->backoff_cap_ms, 0,
						       ctx_rand, &c->rng)))
			break;
	}
	return wh_error_set(err, WH_ERR_RETRY, "%s: %s", s->code,
			    s->last_error);
}

const struct sync_adapter *sync_adapter_for(enum sync_platform p)
{
	switch (p) {
	case SYNC_PLATFORM_TOP:
		return &sync_adapter_top;
	case SYNC_PLATFORM_JD:
		return &sync_adapter_jd;
	case SYNC_PLATFORM_PDD:
		return &sync_adapter_pdd;
	case SYNC_PLATFORM_DOUYIN:
		return &sync_adapter_douyin;
	case SYNC_PLATFORM_AMAZON:
		return &sync_adapter_amazon;
	case SYNC_PLATFORM_SHOPIFY:
		return &sync_adapter_shopify;
	case SYNC_PLATFORM_WOO:
		return &sync_adapter_woo;
	default:
		return NULL;
	}
}

bool sync_platform_from_db(const char *name, enum sync_platform *out)
{
	static const struct {
		const char *db;
		enum sync_platform p;
	} map[] = {
		{ "taobao", SYNC_PLATFORM_TOP },
		{ "tmall", SYNC_PLATFORM_TOP },
		{ "jd", SYNC_PLATFORM_JD },
		{ "pdd", SYNC_PLATFORM_PDD },
		{ "douyin", SYNC_PLATFORM_DOUYIN },
		{ "amazon", SYNC_PLATFORM_AMAZON },
		{ "shopify", SYNC_PLATFORM_SHOPIFY },
		{ "woocommerce", SYNC_PLATFORM_WOO },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i].db)) {
			*out = map[i].p;
			return true;
		}
	return false;
}

void sync_fmt_local(int64_t epoch, int offset_s, char *buf, size_t n)
{
	time_t t = (time_t)(epoch + offset_s);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

void sync_fmt_iso(int64_t epoch, char *buf, size_t n)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum wh_err sync_form_encode(const struct sync_params *p, char **out,
			     struct wh_error *err)
{
	size_t len = 0, cap = 256;
	char *s = malloc(cap);

	if (!s)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	s[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		char *k = NULL, *v = NULL;
		size_t need;

		if (sync_percent_encode(p->v[i].key, strlen(p->v[i].key), &k,
					err) ||
		    sync_percent_encode(p->v[i].value, strlen(p->v[i].value),
					&v, err)) {
			free(k);
			sync_params_wipe_free(s, len);
			return WH_ERR_NOMEM;
		}
		need = len + strlen(k) + strlen(v) + 3;
		if (need > cap) {
			char *ns;

			while (cap < need)
				cap *= 2;
			ns = malloc(cap);
			if (!ns) {
				free(k);
				sync_params_wipe_free(v, strlen(v));
				sync_params_wipe_free(s, len);
				return wh_error_set(err, WH_ERR_NOMEM,
						    "out of memory");
			}
			memcpy(ns, s, len + 1);
			sync_params_wipe_free(s, len);
			s = ns;
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%s=%s",
					i ? "&" : "", k, v);
		free(k);
		sync_params_wipe_free(v, strlen(v));
	}
	*out = s;
	return WH_OK;
}

char *sync_json_text(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

const char *sync_jget(const json_t *obj, const char *key, char *buf,
		      size_t n)
{
	const json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return buf;
	}
	return "";
}

static enum wh_err walk_deliver(struct sync_order_list *l, json_t *root,
				json_t *(*raw_of)(json_t *root), bool last,
				sync_page_fn page, void *ctx,
				struct wh_error *err)
{
	json_t *raw = raw_of && root ? raw_of(root) : NULL;

	if (raw && (!json_is_array(raw) || json_array_size(raw) != l->n))
		raw = NULL;
	return page(ctx, l, raw, last, err);
}

/* The newest modification time in l; 0 when it holds none. */
static int64_t newest_of(const struct sync_order_list *l)
{
	int64_t t = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].modified_at > t)
			t = l->v[i].modified_at;
	return t;
}

/* More pages than a window can sensibly hold: a platform that reports
 * more is refused, not walked (every page is a rate-limited request, and
 * the total comes from the platform). */
#define WALK_MAX_PAGES 10000L

/* How many pages the window has, counting from first_page: from the
 * total when the platform sent one, else by reading forward until a page
 * says it is the last (a few requests more, only for such platforms). */
static enum wh_err walk_pages(struct sync_ctx *c, struct sync_shop *s,
			      const struct sync_window *w, long first_page,
			      long page_size, sync_list_fn list,
			      const struct sync_order_list *first,
			      long *pages, struct wh_error *err)
{
	bool more = first->has_next;

	if (first->total >= 0) {
		if (first->total / page_size >= WALK_MAX_PAGES)
			return wh_error_set(err, WH_ERR_INVALID,
					    "%s: the platform reports %" PRId64
					    " orders in one window",
					    s->code, first->total);
		*pages = (long)(first->total / page_size +
				(first->total % page_size != 0));
		if (*pages < 1)
			*pages = 1;
		return WH_OK;
	}
	*pages = 1;
	while (more) {
		struct sync_order_list l;
		json_t *r = NULL;
		enum wh_err rc;

		if (*pages >= WALK_MAX_PAGES)
			return wh_error_set(err, WH_ERR_INVALID,
					    "%s: more than %ld pages in one "
					    "window", s->code, WALK_MAX_PAGES);
		sync_order_list_init(&l);
		rc = list(c, s, w, first_page + *pages, &l, &r, err);
		more = l.has_next && l.n > 0;
		if (l.n > 0)
			(*pages)++;
		json_decref(r);
		sync_order_list_free(&l);
		if (rc)
			return rc;
	}
	return WH_OK;
}

/* One walk of the window; *moved tells whether orders entered it or
 * moved up in it meanwhile (the first page, read again at the end, has
 * more orders in all or a newer one than at the start). */
static enum wh_err walk_once(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, long first_page,
			     long page_size, sync_list_fn list,
			     json_t *(*raw_of)(json_t *root), sync_page_fn page,
			     void *ctx, bool *moved, struct wh_error *err)
{
	struct sync_order_list first;
	json_t *root = NULL;
	long pages = 1;
	int64_t total, newest;
	enum wh_err rc;

	*moved = false;
	sync_order_list_init(&first);
	rc = list(c, s, w, first_page, &first, &root, err);
	if (rc)
		goto out;
	total = first.total;
	newest = newest_of(&first);
	rc = walk_pages(c, s, w, first_page, page_size, list, &first, &pages,
			err);
	if (rc)
		goto out;
	for (long p = pages - 1; p >= 1; p--) {
		struct sync_order_list l;
		json_t *r = NULL;

		sync_order_list_init(&l);
		rc = list(c, s, w, first_page + p, &l, &r, err);
		if (!rc)
			rc = walk_deliver(&l, r, raw_of, false, page, ctx,
					  err);
		json_decref(r);
		sync_order_list_free(&l);
		if (rc)
			goto out;
	}
	/* Orders changed while we walked left the window and the rest
	 * shifted towards the first page: read it again, not the copy
	 * taken for the total. */
	if (pages >= 2) {
		json_decref(root);
		root = NULL;
		sync_order_list_free(&first);
		sync_order_list_init(&first);
		rc = list(c, s, w, first_page, &first, &root, err);
		if (rc)
			goto out;
		/* An order that entered the window, or moved to its front,
		 * pushed older ones onto pages already read: the walk may
		 * have missed some. */
		*moved = first.total > total || newest_of(&first) > newest;
	}
	rc = walk_deliver(&first, root, raw_of, !*moved, page, ctx, err);
out:
	json_decref(root);
	sync_order_list_free(&first);
	return rc;
}

#define WALK_TRIES 3

enum wh_err sync_walk_backwards(struct sync_ctx *c, struct sync_shop *s,
				const struct sync_window *w, long first_page,
				long page_size, sync_list_fn list,
				json_t *(*raw_of)(json_t *root),
				sync_page_fn page, void *ctx,
				struct wh_error *err)
{
	if (page_size < 1)
		return wh_error_set(err, WH_ERR_INVALID,
				    "%s: page size %ld", s->code, page_size);
	for (int i = 0; i < WALK_TRIES; i++) {
		bool moved;
		enum wh_err rc = walk_once(c, s, w, first_page, page_size,
					   list, raw_of, page, ctx, &moved,
					   err);

		if (rc || !moved)
			return rc;
	}
	/* Never move the cursor over a window not read whole: the next
	 * pass reads it again. */
	return wh_error_set(err, WH_ERR_RETRY,
			    "%s: orders kept moving in the window while it "
			    "was read %d times", s->code, WALK_TRIES);
}
