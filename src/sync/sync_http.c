/*
 * sync_http.c - the libcurl multi handle behind sync_http.h.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "sync/params.h"
#include "sync/sign.h"
#include "sync/sync_http.h"

struct sync_http {
	CURLM *multi;
	struct sync_http_opts opts;
	char *ca_info;
	char *ca_path;
};

struct xfer {
	CURL *easy;
	struct curl_slist *headers;
	struct sync_http_resp *resp;
	size_t cap;
	size_t max;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum wh_err sync_http_global_init(struct wh_error *err)
{
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return wh_error_set(err, WH_ERR_IO, "libcurl: %s",
				    curl_easy_strerror(global_rc));
	return WH_OK;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

enum wh_err sync_http_new(const struct sync_http_opts *opts,
			  struct sync_http **out, struct wh_error *err)
{
	struct sync_http *h;
	enum wh_err rc = sync_http_global_init(err);

	if (rc)
		return rc;
	h = calloc(1, sizeof(*h));
	if (!h)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	if (opts)
		h->opts = *opts;
	if (h->opts.connect_timeout_ms <= 0)
		h->opts.connect_timeout_ms = 5000;
	if (h->opts.timeout_ms <= 0)
		h->opts.timeout_ms = 20000;
	if (!h->opts.max_body)
		h->opts.max_body = 32u << 20;
	h->ca_info = dup_or_null(h->opts.ca_info);
	h->ca_path = dup_or_null(h->opts.ca_path);
	h->multi = curl_multi_init();
	if (!h->multi || (h->opts.ca_info && !h->ca_info) ||
	    (h->opts.ca_path && !h->ca_path)) {
		sync_http_free(h);
		return wh_error_set(err, WH_ERR_NOMEM, "curl_multi_init failed");
	}
	*out = h;
	return WH_OK;
}

void sync_http_free(struct sync_http *h)
{
	if (!h)
		return;
	if (h->multi)
		curl_multi_cleanup(h->multi);
	free(h->ca_info);
	free(h->ca_path);
	free(h);
}

enum wh_err sync_http_req_init(struct sync_http_req *r, const char *method,
			       const char *url, struct wh_error *err)
{
	memset(r, 0, sizeof(*r));
	r->method = strdup(method);
	r->url = strdup(url);
	if (!r->method || !r->url) {
		sync_http_req_free(r);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	return WH_OK;
}

enum wh_err sync_http_req_header(struct sync_http_req *r, const char *name,
				 const char *value, struct wh_error *err)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *h;

	if (r->nheaders >= SYNC_HTTP_MAX_HEADERS)
		return wh_error_set(err, WH_ERR_INVALID, "too many headers");
	h = malloc(n);
	if (!h)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	snprintf(h, n, "%s: %s", name, value);
	r->headers[r->nheaders++] = h;
	return WH_OK;
}

enum wh_err sync_http_req_body(struct sync_http_req *r, const char *body,
			       size_t len, struct wh_error *err)
{
	char *b = malloc(len + 1);

	if (!b)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	memcpy(b, body, len);
	b[len] = '\0';
	if (r->body)
		sync_params_wipe_free(r->body, r->body_len);
	r->body = b;
	r->body_len = len;
	return WH_OK;
}

void sync_http_req_free(struct sync_http_req *r)
{
	if (!r)
		return;
	free(r->method);
	/* URLs of the Chinese gateways carry the session in the query. */
	if (r->url)
		sync_params_wipe_free(r->url, strlen(r->url));
	for (size_t i = 0; i < r->nheaders; i++)
		sync_params_wipe_free(r->headers[i], strlen(r->headers[i]));
	if (r->body)
		sync_params_wipe_free(r->body, r->body_len);
	memset(r, 0, sizeof(*r));
}

void sync_http_resp_free(struct sync_http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->retry_after);
	free(r->link);
	free(r->wp_total_pages);
	free(r->shopify_call_limit);
	memset(r, 0, sizeof(*r));
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	struct sync_http_resp *r = x->resp;
	size_t n = size * nmemb;

	if (n > x->max - r->len) {
		x->too_big = true;
		return 0;
	}
	if (r->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 8192;
		char *nb;

		while (cap < r->len + n + 1)
			cap *= 2;
		nb = realloc(r->body, cap);
		if (!nb)
			return 0;
		r->body = nb;
		x->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* Keeps a copy of the value of header name from line, trimmed. */
static void keep_header(const char *line, size_t n, const char *name,
			char **slot)
{
	size_t k = strlen(name);
	const char *v, *e;
	char *c;

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return;
	v = line + k + 1;
	e = line + n;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
		e--;
	c = malloc((size_t)(e - v) + 1);
	if (!c)
		return;
	memcpy(c, v, (size_t)(e - v));
	c[e - v] = '\0';
	free(*slot);
	*slot = c;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	struct sync_http_resp *r = x->resp;
	size_t n = size * nmemb;

	/* A new status line (a redirect or 100-continue) resets. */
	if (n > 5 && !strncmp(data, "HTTP/", 5)) {
		free(r->retry_after);
		free(r->link);
		free(r->wp_total_pages);
		free(r->shopify_call_limit);
		r->retry_after = r->link = NULL;
		r->wp_total_pages = r->shopify_call_limit = NULL;
	}
	keep_header(data, n, "Retry-After", &r->retry_after);
	keep_header(data, n, "Link", &r->link);
	keep_header(data, n, "X-WP-TotalPages", &r->wp_total_pages);
	keep_header(data, n, "X-Shopify-Shop-Api-Call-Limit",
		    &r->shopify_call_limit);
	return n;
}

static enum wh_err xfer_setup(struct sync_http *h, struct xfer *x,
			      const struct sync_http_req *q,
			      struct wh_error *err)
{
	CURL *e = curl_easy_init();

	if (!e)
		return wh_error_set(err, WH_ERR_NOMEM, "curl_easy_init failed");
	x->easy = e;
	for (size_t i = 0; i < q->nheaders; i++) {
		struct curl_slist *l = curl_slist_append(x->headers,
							 q->headers[i]);

		if (!l)
			return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		x->headers = l;
	}
	/* No "Expect: 100-continue" round trip for bodies. */
	x->headers = curl_slist_append(x->headers, "Expect:");
	if (!x->headers)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	curl_easy_setopt(e, CURLOPT_URL, q->url);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method);
	if (!strcmp(q->method, "GET"))
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	if (q->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)q->body_len);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 h->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->opts.timeout_ms);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_info)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_info);
	if (h->ca_path)
		curl_easy_setopt(e, CURLOPT_CAPATH, h->ca_path);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "wharf-sync/0.1");
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	return WH_OK;
}

enum wh_err sync_http_perform(struct sync_http *h,
			      const struct sync_http_req *req,
			      struct sync_http_resp *resp, size_t n,
			      struct wh_error *err)
{
	struct xfer *x = calloc(n ? n : 1, sizeof(*x));
	enum wh_err rc = WH_OK;
	int running = 0;
	size_t added = 0;

	if (!x)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		memset(&resp[i], 0, sizeof(resp[i]));
		x[i].resp = &resp[i];
		x[i].max = h->opts.max_body;
		rc = xfer_setup(h, &x[i], &req[i], err);
		if (rc)
			goto out;
		if (curl_multi_add_handle(h->multi, x[i].easy) != CURLM_OK) {
			rc = wh_error_set(err, WH_ERR_IO,
					  "curl_multi_add_handle failed");
			goto out;
		}
		added = i + 1;
	}
	do {
		CURLMcode mc = curl_multi_perform(h->multi, &running);

		if (mc == CURLM_OK && running)
			mc = curl_multi_poll(h->multi, NULL, 0, 200, NULL);
		if (mc != CURLM_OK) {
			rc = wh_error_set(err, WH_ERR_IO, "curl multi: %s",
					  curl_multi_strerror(mc));
			goto out;
		}
	} while (running);
	for (;;) {
		int left;
		CURLMsg *m = curl_multi_info_read(h->multi, &left);
		struct xfer *t = NULL;

		if (!m)
			break;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		if (!t)
			continue;
		if (m->data.result == CURLE_OK) {
			curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE,
					  &t->resp->status);
		} else {
			t->resp->status = 0;
			t->resp->transport_error = true;
			snprintf(t->resp->error, sizeof(t->resp->error), "%s",
				 t->too_big ? "response too large" :
				 t->errbuf[0] ? t->errbuf :
				 curl_easy_strerror(m->data.result));
		}
	}
out:
	for (size_t i = 0; i < n; i++) {
		if (x[i].easy) {
			if (i < added)
				curl_multi_remove_handle(h->multi, x[i].easy);
			curl_easy_cleanup(x[i].easy);
		}
		curl_slist_free_all(x[i].headers);
		if (!resp[i].body) {
			resp[i].body = calloc(1, 1);
			if (!resp[i].body && rc == WH_OK)
				rc = wh_error_set(err, WH_ERR_NOMEM,
						  "out of memory");
		}
	}
	free(x);
	return rc;
}

enum wh_err sync_url_add_query(char **url, const char *key,
			       const char *value, struct wh_error *err)
{
	char *k = NULL, *v = NULL, *nu;
	size_t n;
	enum wh_err rc;

	rc = sync_percent_encode(key, strlen(key), &k, err);
	if (!rc)
		rc = sync_percent_encode(value, strlen(value), &v, err);
	if (rc)
		goto out;
	n = strlen(*url) + strlen(k) + strlen(v) + 3;
	nu = malloc(n);
	if (!nu) {
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out;
	}
	snprintf(nu, n, "%s%c%s=%s", *url, strchr(*url, '?') ? '&' : '?', k,
		 v);
	sync_params_wipe_free(*url, strlen(*url));
	*url = nu;
out:
	free(k);
	if (v)
		sync_params_wipe_free(v, strlen(v));
	return rc;
}

char *sync_str_join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s%s", a, b, c ? c : "");
	return s;
}
