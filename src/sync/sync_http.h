/*
 * sync_http.h - HTTP for the sync thread: one libcurl multi handle that
 * runs a batch of requests concurrently, with TLS verification on and a
 * timeout on every transfer.
 *
 * Ownership: a struct sync_http_req owns its method, URL, headers and
 * body (sync_http_req_free); a struct sync_http_resp owns its body and
 * the header values it kept (sync_http_resp_free). No CURL handle leaves
 * sync_http.c. Header values may carry credentials (Authorization, the
 * access-token headers): they are never logged, and freed wiped.
 */
#ifndef WHARF_SYNC_HTTP_H
#define WHARF_SYNC_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SYNC_HTTP_MAX_HEADERS 8

struct sync_http_req {
	char *method; /* "GET", "POST", "PUT", "PATCH" */
	char *url;
	char *headers[SYNC_HTTP_MAX_HEADERS]; /* "Name: value", owned */
	size_t nheaders;
	char *body; /* NULL: none */
	size_t body_len;
};

struct sync_http_resp {
	long status;      /* 0 when the transfer failed */
	bool transport_error; /* timeout, reset, refused, truncated */
	char error[128];  /* curl's words for a transport error */
	char *body;       /* NUL-terminated, "" when empty */
	size_t len;
	/* Headers the adapters need, NULL when absent; owned. */
	char *retry_after;
	char *link;
	char *wp_total_pages;
	char *shopify_call_limit;
};

struct sync_http_opts {
	long connect_timeout_ms; /* default 5000 */
	long timeout_ms;         /* whole transfer; default 20000 */
	const char *ca_info;     /* CURLOPT_CAINFO, or NULL */
	const char *ca_path;     /* CURLOPT_CAPATH, or NULL */
	size_t max_body;         /* responses larger fail; default 32 MiB */
};

struct sync_http;

/* Calls curl_global_init once per process (thread-safe). */
enum wh_err sync_http_global_init(struct wh_error *err);

enum wh_err sync_http_new(const struct sync_http_opts *opts,
			  struct sync_http **out, struct wh_error *err);
void sync_http_free(struct sync_http *h);

/*
 * Sets up *r (zeroed first) with copies of method and url.
 */
enum wh_err sync_http_req_init(struct sync_http_req *r, const char *method,
			       const char *url, struct wh_error *err);
/* Adds "name: value" (copied). */
enum wh_err sync_http_req_header(struct sync_http_req *r, const char *name,
				 const char *value, struct wh_error *err);
/* Sets the body to a copy of len bytes of body. */
enum wh_err sync_http_req_body(struct sync_http_req *r, const char *body,
			       size_t len, struct wh_error *err);
/* Frees what *r owns (wiping headers and body) and zeroes it. */
void sync_http_req_free(struct sync_http_req *r);
void sync_http_resp_free(struct sync_http_resp *r);

/*
 * Runs n requests concurrently and fills resp[0..n) (which the caller
 * frees, also on error). A transport failure is not an error of the
 * call: it is reported in resp[i].transport_error. Returns WH_ERR_NOMEM
 * or WH_ERR_IO when the batch could not run at all.
 */
enum wh_err sync_http_perform(struct sync_http *h,
			      const struct sync_http_req *req,
			      struct sync_http_resp *resp, size_t n,
			      struct wh_error *err);

/*
 * Appends "&key=value" (or "?key=value" when url has no '?') to *url,
 * percent-encoding both. *url is reallocated.
 */
enum wh_err sync_url_add_query(char **url, const char *key,
			       const char *value, struct wh_error *err);

/* A malloc'd "a" + "b" (+ "c"), for URLs; NULL on allocation failure. */
char *sync_str_join(const char *a, const char *b, const char *c);

#endif
