#include "sync/order.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sync/order_int.h"
#include "sync/untrusted.h"

const char *sync_platform_name(enum sync_platform p)
{
	switch (p) {
	case SYNC_PLATFORM_TOP:
		return "top";
	case SYNC_PLATFORM_JD:
		return "jd";
	case SYNC_PLATFORM_PDD:
		return "pdd";
	case SYNC_PLATFORM_DOUYIN:
		return "douyin";
	case SYNC_PLATFORM_AMAZON:
		return "amazon";
	case SYNC_PLATFORM_SHOPIFY:
		return "shopify";
	case SYNC_PLATFORM_WOO:
		return "woo";
	case SYNC_PLATFORM_COUNT:
		break;
	}
	return "unknown";
}

void sync_order_list_init(struct sync_order_list *l)
{
	memset(l, 0, sizeof(*l));
	l->total = -1;
}

static void line_free(struct sync_order_line *ln)
{
	free(ln->line_id);
	free(ln->sku_code);
	free(ln->platform_sku_id);
	free(ln->product_id);
	free(ln->title);
	free(ln->refund_raw);
}

void sync_order_free(struct sync_order *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nlines; i++)
		line_free(&o->lines[i]);
	free(o->lines);
	free(o->order_id);
	free(o->order_name);
	free(o->status_raw);
	free(o->buyer);
	free(o->receiver_name);
	free(o->phone);
	free(o->province);
	free(o->city);
	free(o->district);
	free(o->address);
	free(o->zip);
	free(o->country);
	free(o->receiver_name_cipher);
	free(o->phone_cipher);
	free(o->address_cipher);
	free(o->remark);
	free(o->seller_remark);
	free(o->error);
	memset(o, 0, sizeof(*o));
}

void sync_order_list_free(struct sync_order_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		sync_order_free(&l->v[i]);
	free(l->v);
	free(l->next_token);
	sync_order_list_init(l);
}

struct sync_order *ord_push(struct sync_order_list *l, enum sync_platform p,
			    struct wh_error *err)
{
	struct sync_order *o;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct sync_order *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv) {
			wh_error_set(err, WH_ERR_NOMEM,
				     "out of memory for orders");
			return NULL;
		}
		l->v = nv;
		l->cap = cap;
	}
	o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->platform = p;
	return o;
}

void ord_lines_clear(struct sync_order *o)
{
	for (size_t i = 0; i < o->nlines; i++)
		line_free(&o->lines[i]);
	o->nlines = 0;
}

struct sync_order_line *ord_line_push(struct sync_order *o,
				      struct wh_error *err)
{
	struct sync_order_line *ln;

	if (o->nlines == o->lines_cap) {
		size_t cap = o->lines_cap ? o->lines_cap * 2 : 4;
		struct sync_order_line *nv;

		nv = realloc(o->lines, cap * sizeof(*nv));
		if (!nv) {
			wh_error_set(err, WH_ERR_NOMEM,
				     "out of memory for order lines");
			return NULL;
		}
		o->lines = nv;
		o->lines_cap = cap;
	}
	ln = &o->lines[o->nlines++];
	memset(ln, 0, sizeof(*ln));
	return ln;
}

enum wh_err ord_fail(struct sync_order_list *l, struct sync_order *o,
		     const struct wh_error *e, struct wh_error *err)
{
	free(o->error);
	o->error = strdup(e->msg[0] ? e->msg : "unreadable order");
	o->state = SYNC_STATE_UNKNOWN;
	if (l)
		l->nerrors++;
	if (!o->error)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	return WH_OK;
}

enum wh_err ord_status_raw(struct sync_order *o, struct wh_error *err,
			   const char *fmt, ...)
{
	char buf[UNTRUSTED_FIELD_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(o->status_raw);
	o->status_raw = untrusted_clean(buf, strlen(buf), UNTRUSTED_FIELD_MAX,
					NULL);
	if (!o->status_raw)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	return WH_OK;
}

void ord_apply_line_refunds(struct sync_order *o)
{
	for (size_t i = 0; i < o->nlines; i++) {
		enum sync_line_refund r = o->lines[i].refund;

		o->state = sync_state_with_lines(o->state, &r, 1);
	}
}

void ord_copy_field(const json_t *obj, const char *key, char *buf,
		    size_t size)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	char num[32];

	buf[0] = '\0';
	if (json_is_string(v)) {
		untrusted_clean_into(json_string_value(v),
				     json_string_length(v), buf, size - 1,
				     NULL);
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		untrusted_clean_into(num, strlen(num), buf, size - 1, NULL);
	}
}

const char *sync_api_status_name(enum sync_api_status s)
{
	switch (s) {
	case SYNC_API_OK:
		return "ok";
	case SYNC_API_RATE_LIMITED:
		return "rate-limited";
	case SYNC_API_AUTH:
		return "auth";
	case SYNC_API_BAD_SIGNATURE:
		return "bad-signature";
	case SYNC_API_BAD_TIMESTAMP:
		return "bad-timestamp";
	case SYNC_API_SERVER:
		return "server";
	case SYNC_API_OTHER:
		return "other";
	}
	return "other";
}

enum wh_err sync_api_status_err(enum sync_api_status s)
{
	switch (s) {
	case SYNC_API_OK:
		return WH_OK;
	case SYNC_API_RATE_LIMITED:
	case SYNC_API_SERVER:
		return WH_ERR_RETRY;
	case SYNC_API_AUTH:
	case SYNC_API_BAD_SIGNATURE:
		return WH_ERR_PERM;
	case SYNC_API_BAD_TIMESTAMP:
		/* A clock (ours or the platform's) that is off now is
		 * corrected later: a request signed again then is fine, so
		 * an outbox row must wait, not fail for good. */
		return WH_ERR_RETRY;
	case SYNC_API_OTHER:
		return WH_ERR_REFUSED;
	}
	return WH_ERR_REFUSED;
}

enum wh_err ord_api_fail(enum sync_platform p, const struct sync_api_error *e,
			 struct wh_error *err)
{
	return wh_error_set(err, sync_api_status_err(e->status),
			    "%s API error %s%s%s%s (%s): %s",
			    sync_platform_name(p), e->code,
			    e->sub_code[0] ? " [" : "", e->sub_code,
			    e->sub_code[0] ? "]" : "",
			    sync_api_status_name(e->status), e->message);
}

enum sync_api_status api_from_http(long http)
{
	if (http == 429)
		return SYNC_API_RATE_LIMITED;
	if (http == 401 || http == 403)
		return SYNC_API_AUTH;
	if (http >= 500 && http <= 599)
		return SYNC_API_SERVER;
	if (http >= 400 && http <= 499)
		return SYNC_API_OTHER;
	return SYNC_API_OK;
}

static bool has(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	/* ASCII case-insensitive; UTF-8 keywords match byte for byte. */
	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool any(const char *a, const char *b, const char *c,
		const char *needle)
{
	return has(a, needle) || has(b, needle) || has(c, needle);
}

enum sync_api_status api_from_text(const char *code, const char *sub_code,
				   const char *message,
				   enum sync_api_status fallback)
{
	const char *a = code, *b = sub_code, *c = message;

	if (any(a, b, c, "limit") || any(a, b, c, "frequen") ||
	    any(a, b, c, "quota") || any(a, b, c, "throttl") ||
	    any(a, b, c, "per second") ||
	    any(a, b, c, "频率") || any(a, b, c, "限流"))
		return SYNC_API_RATE_LIMITED;
	if (any(a, b, c, "sign") || any(a, b, c, "签名"))
		return SYNC_API_BAD_SIGNATURE;
	if (any(a, b, c, "timestamp") || any(a, b, c, "时间戳"))
		return SYNC_API_BAD_TIMESTAMP;
	if (any(a, b, c, "token") || any(a, b, c, "session") ||
	    any(a, b, c, "unauthori") || any(a, b, c, "permission") ||
	    any(a, b, c, "授权") || any(a, b, c, "权限"))
		return SYNC_API_AUTH;
	if (any(a, b, c, "isp.") || any(a, b, c, "internal") ||
	    any(a, b, c, "unavailable") || any(a, b, c, "系统繁忙") ||
	    any(a, b, c, "服务不可用"))
		return SYNC_API_SERVER;
	return fallback;
}

enum sync_api_status sync_api_classify(enum sync_platform p, long http_status,
				       const char *body, size_t len,
				       struct sync_api_error *out)
{
	json_t *root = NULL;

	memset(out, 0, sizeof(*out));
	if (body && len && sync_json_load(body, len, &root, NULL))
		root = NULL;
	switch (p) {
	case SYNC_PLATFORM_TOP:
		api_classify_top(root, http_status, out);
		break;
	case SYNC_PLATFORM_JD:
		api_classify_jd(root, http_status, out);
		break;
	case SYNC_PLATFORM_PDD:
		api_classify_pdd(root, http_status, out);
		break;
	case SYNC_PLATFORM_DOUYIN:
		api_classify_douyin(root, http_status, out);
		break;
	case SYNC_PLATFORM_AMAZON:
		api_classify_amazon(root, http_status, out);
		break;
	case SYNC_PLATFORM_SHOPIFY:
		api_classify_shopify(root, http_status, out);
		break;
	case SYNC_PLATFORM_WOO:
		api_classify_woo(root, http_status, out);
		break;
	default:
		out->status = api_from_http(http_status);
		break;
	}
	/* A non-2xx HTTP status is never OK, whatever the body says. */
	if (out->status == SYNC_API_OK)
		out->status = api_from_http(http_status);
	if (out->status != SYNC_API_OK && !out->code[0])
		snprintf(out->code, sizeof(out->code), "HTTP %ld", http_status);
	json_decref(root);
	return out->status;
}

enum wh_err sync_parse_orders(enum sync_platform p, const char *json,
			      size_t len, struct sync_order_list *out,
			      struct wh_error *err)
{
	switch (p) {
	case SYNC_PLATFORM_TOP:
		return sync_parse_top_orders(json, len, out, err);
	case SYNC_PLATFORM_JD:
		return sync_parse_jd_orders(json, len, out, err);
	case SYNC_PLATFORM_PDD:
		return sync_parse_pdd_orders(json, len, out, err);
	case SYNC_PLATFORM_DOUYIN:
		return sync_parse_douyin_orders(json, len, out, err);
	case SYNC_PLATFORM_AMAZON:
		return sync_parse_amazon_orders(json, len, out, err);
	case SYNC_PLATFORM_SHOPIFY:
		return sync_parse_shopify_orders(json, len, out, err);
	case SYNC_PLATFORM_WOO:
		return sync_parse_woo_orders(json, len, out, err);
	default:
		break;
	}
	return wh_error_set(err, WH_ERR_INVALID, "unknown platform %d",
			    (int)p);
}

enum wh_err ord_parse_one(const struct ord_parser *p, const json_t *obj,
			  size_t index, struct sync_order_list *out,
			  struct wh_error *err)
{
	struct sync_order *o;
	struct wh_error e;
	char *id = NULL;
	enum wh_err rc;

	if (!json_is_object(obj))
		return wh_error_set(err, WH_ERR_INVALID,
				    "%s %zu: expected an object, got %s",
				    p->what, index, jf_type_name(obj));
	rc = p->id(obj, &id, err);
	if (rc) {
		wh_error_prefix(err, "%s %zu", p->what, index);
		return rc;
	}
	o = ord_push(out, p->platform, err);
	if (!o) {
		free(id);
		return WH_ERR_NOMEM;
	}
	o->order_id = id;
	wh_error_clear(&e);
	rc = p->fill(obj, o, &e);
	if (rc == WH_ERR_NOMEM)
		return wh_error_set(err, rc, "%s", e.msg);
	if (rc) {
		wh_error_prefix(&e, "%s %s", p->what, id);
		return ord_fail(out, o, &e, err);
	}
	return WH_OK;
}

enum wh_err ord_parse_array(const struct ord_parser *p, const json_t *arr,
			    struct sync_order_list *out,
			    struct wh_error *err)
{
	size_t i;
	json_t *v;
	enum wh_err rc;

	if (!arr)
		return WH_OK;
	json_array_foreach(arr, i, v) {
		rc = ord_parse_one(p, v, i, out, err);
		if (rc)
			return rc;
	}
	return WH_OK;
}

enum wh_err ord_parse_lines(struct sync_order *o, const json_t *lines,
			    ord_line_fn fn, struct wh_error *e)
{
	struct sync_order_line *ln;
	size_t i;
	json_t *v;
	enum wh_err rc;

	if (!lines)
		return WH_OK;
	json_array_foreach(lines, i, v) {
		if (!json_is_object(v))
			return wh_error_set(e, WH_ERR_INVALID,
					    "line %zu: expected an object, "
					    "got %s", i, jf_type_name(v));
		ln = ord_line_push(o, e);
		if (!ln)
			return WH_ERR_NOMEM;
		rc = fn(v, ln, o, e);
		if (rc) {
			wh_error_prefix(e, "line %zu", i);
			return rc;
		}
	}
	return WH_OK;
}

enum wh_err ord_wrapped_list(const json_t *parent, const char *outer,
			     const char *inner, json_t **out,
			     struct wh_error *err)
{
	json_t *v = json_is_object(parent) ? json_object_get(parent, outer) :
					     NULL;

	*out = NULL;
	if (!v || json_is_null(v))
		return WH_OK;
	if (json_is_array(v)) {
		*out = v;
		return WH_OK;
	}
	if (json_is_object(v)) {
		if (!json_object_get(v, inner))
			return WH_OK; /* TOP omits an empty list */
		return jf_arr(v, inner, false, out, err);
	}
	return wh_error_set(err, WH_ERR_INVALID,
			    "field \"%s\": expected an array or an object, "
			    "got %s", outer, jf_type_name(v));
}

enum wh_err ord_id2(const json_t *obj, const char *k1, const char *k2,
		    char **id, struct wh_error *err)
{
	enum wh_err rc;

	rc = jf_str(obj, k1, UNTRUSTED_FIELD_MAX, false, id, err);
	if (rc || (*id && **id))
		return rc;
	free(*id);
	*id = NULL;
	if (!k2)
		return wh_error_set(err, WH_ERR_INVALID,
				    "field \"%s\" is missing", k1);
	return jf_str(obj, k2, UNTRUSTED_FIELD_MAX, true, id, err);
}

enum wh_err ord_check_line(const struct sync_order_line *ln,
			   struct wh_error *err)
{
	if (ln->qty <= 0)
		return wh_error_set(err, WH_ERR_INVALID,
				    "quantity %lld is not positive",
				    (long long)ln->qty);
	if (ln->unit_price < 0 || ln->line_total < 0)
		return wh_error_set(err, WH_ERR_INVALID,
				    "negative line amount");
	return WH_OK;
}

enum wh_err ord_join(const char *a, const char *sep, const char *b,
		     char **out, struct wh_error *err)
{
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0, ls;
	char *s;

	*out = NULL;
	if (!la && !lb)
		return WH_OK;
	ls = la && lb ? strlen(sep) : 0;
	s = malloc(la + ls + lb + 1);
	if (!s)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	memcpy(s, la ? a : "", la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, lb ? b : "", lb);
	s[la + ls + lb] = '\0';
	*out = s;
	return WH_OK;
}

enum wh_err ord_mul(int64_t a, int64_t b, int64_t *out, struct wh_error *err)
{
	if (a < 0 || b < 0 || (b && a > INT64_MAX / b))
		return wh_error_set(err, WH_ERR_INVALID,
				    "line amount out of range");
	*out = a * b;
	return WH_OK;
}

enum wh_err ord_parse_root(const char *json, size_t len, const char *what,
			   json_t **root, struct wh_error *err)
{
	enum wh_err rc = sync_json_load(json, len, root, err);

	if (rc) {
		wh_error_prefix(err, "%s response", what);
		return rc;
	}
	if (!json_is_object(*root) && !json_is_array(*root)) {
		rc = wh_error_set(err, WH_ERR_INVALID,
				  "%s response: expected an object, got %s",
				  what, jf_type_name(*root));
		json_decref(*root);
		*root = NULL;
	}
	return rc;
}
