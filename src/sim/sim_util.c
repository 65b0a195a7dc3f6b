/* sim_util.c - key/value lists, encodings, times and responses. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "sim/sim.h"

void kvs_init(struct sim_kvs *l)
{
	memset(l, 0, sizeof(*l));
}

void kvs_free(struct sim_kvs *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	kvs_init(l);
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

enum wh_err kvs_add(struct sim_kvs *l, const char *key, size_t klen,
		    const char *value, size_t vlen)
{
	char *k, *v;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct sim_kv *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return WH_ERR_NOMEM;
		l->v = nv;
		l->cap = cap;
	}
	k = dup_n(key, klen);
	v = dup_n(value ? value : "", value ? vlen : 0);
	if (!k || !v) {
		free(k);
		free(v);
		return WH_ERR_NOMEM;
	}
	l->v[l->n].key = k;
	l->v[l->n].value = v;
	l->n++;
	return WH_OK;
}

enum wh_err kvs_add_str(struct sim_kvs *l, const char *key, const char *value)
{
	return kvs_add(l, key, strlen(key), value, value ? strlen(value) : 0);
}

const char *kvs_get(const struct sim_kvs *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..len) into out (len + 1 bytes); returns length or -1. */
static long url_decode(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return (long)o;
}

enum wh_err kvs_parse_urlencoded(struct sim_kvs *l, const char *s,
				 size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t end = i, eq;
		char *k, *v;
		long kl, vl;
		enum wh_err rc;

		while (end < len && s[end] != '&')
			end++;
		eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		if (end == i) {
			i = end + 1;
			continue;
		}
		k = malloc(eq - i + 1);
		v = malloc(end > eq ? end - eq : 1);
		if (!k || !v) {
			free(k);
			free(v);
			return WH_ERR_NOMEM;
		}
		kl = url_decode(s + i, eq - i, k);
		vl = eq < end ? url_decode(s + eq + 1, end - eq - 1, v) : 0;
		if (eq >= end)
			v[0] = '\0';
		if (kl < 0 || vl < 0) {
			free(k);
			free(v);
			return WH_ERR_INVALID;
		}
		rc = kvs_add(l, k, (size_t)kl, v, (size_t)vl);
		free(k);
		free(v);
		if (rc)
			return rc;
		i = end + 1;
	}
	return WH_OK;
}

void sim_resp_init(struct sim_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	r->content_type = "application/json;charset=UTF-8";
	kvs_init(&r->headers);
}

void sim_resp_free(struct sim_resp *r)
{
	if (!r)
		return;
	free(r->body);
	kvs_free(&r->headers);
	r->body = NULL;
	r->len = 0;
}

static void resp_dump(struct sim_resp *r, int status, json_t *j, size_t flags)
{
	char *s;

	free(r->body);
	r->body = NULL;
	r->len = 0;
	r->status = status;
	if (!j) {
		r->status = 500;
		return;
	}
	s = json_dumps(j, flags | JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (!s) {
		r->status = 500;
		return;
	}
	r->body = s;
	r->len = strlen(s);
}

void resp_json(struct sim_resp *r, int status, json_t *j)
{
	resp_dump(r, status, j, 0);
}

void resp_json_money(struct sim_resp *r, int status, json_t *j)
{
	/* 15 digits print 12.34 as "12.34", never "12.339999999999999". */
	resp_dump(r, status, j, JSON_REAL_PRECISION(15));
}

void resp_header(struct sim_resp *r, const char *name, const char *value)
{
	kvs_add_str(&r->headers, name, value);
}

void resp_empty(struct sim_resp *r, int status)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
	r->status = status;
}

int64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fmt_local(int64_t epoch_s, int offset_s, char *buf, size_t size)
{
	time_t t = (time_t)(epoch_s + offset_s);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

void fmt_iso_utc(int64_t epoch_s, char *buf, size_t size)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void fmt_iso_plain(int64_t epoch_s, char *buf, size_t size)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

static bool num(const char *s, size_t *i, int n, int *out)
{
	int v = 0;

	for (int k = 0; k < n; k++) {
		char c = s[*i + (size_t)k];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)n;
	*out = v;
	return true;
}

bool parse_time(const char *s, int default_offset_s, int64_t *epoch_s)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0;
	long off = default_offset_s;
	struct tm tm;
	size_t i = 0;
	time_t t;

	if (!s || strlen(s) < 19)
		return false;
	if (!num(s, &i, 4, &y) || s[i++] != '-' || !num(s, &i, 2, &mo) ||
	    s[i++] != '-' || !num(s, &i, 2, &d) ||
	    (s[i] != ' ' && s[i] != 'T'))
		return false;
	i++;
	if (!num(s, &i, 2, &h) || s[i++] != ':' || !num(s, &i, 2, &mi) ||
	    s[i++] != ':' || !num(s, &i, 2, &se))
		return false;
	if (s[i] == '.') {
		i++;
		if (s[i] < '0' || s[i] > '9')
			return false;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (s[i] == 'Z' || s[i] == 'z') {
		off = 0;
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		char sign = s[i++];

		if (!num(s, &i, 2, &oh))
			return false;
		if (s[i] == ':')
			i++;
		if (s[i] && !num(s, &i, 2, &om))
			return false;
		if (oh > 23 || om > 59)
			return false;
		off = oh * 3600L + om * 60L;
		if (sign == '-')
			off = -off;
	}
	if (s[i] != '\0')
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	/* timegm normalises Feb 30 to Mar 2: refuse such dates. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return false;
	*epoch_s = (int64_t)t - off;
	return true;
}

bool parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

void fmt_money(int64_t minor, char *buf, size_t size)
{
	const char *sign = minor < 0 ? "-" : "";
	long long a = minor < 0 ? -(long long)minor : (long long)minor;

	snprintf(buf, size, "%s%lld.%02lld", sign, a / 100, a % 100);
}

json_t *json_money_real(int64_t minor)
{
	char buf[32];

	fmt_money(minor, buf, sizeof(buf));
	return json_real(strtod(buf, NULL));
}

uint64_t sim_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void sim_new_request_id(struct sim_req *req)
{
	static atomic_uint_fast64_t counter;
	uint64_t n = atomic_fetch_add(&counter, 1) + 1;
	uint64_t h = sim_mix(n ^ sim_cfg.seed ^ (uint64_t)req->now_ms);

	snprintf(req->request_id, sizeof(req->request_id), "%012llx%08llx",
		 (unsigned long long)(h >> 16),
		 (unsigned long long)(n & 0xffffffffULL));
}

char *b64_encode(const void *data, size_t len)
{
	char *s;

	if (len > 0x3fffffff)
		return NULL;
	s = malloc(4 * ((len + 2) / 3) + 1);
	if (!s)
		return NULL;
	EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	return s;
}

unsigned char *b64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), pad = 0, o = 0;
	unsigned char *out;
	uint32_t acc = 0;
	int bits = 0;

	while (n > 0 && s[n - 1] == '=') {
		n--;
		pad++;
	}
	if (pad > 2)
		return NULL;
	out = malloc(n * 3 / 4 + 3);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int v;
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

json_t *req_json(const struct sim_req *req)
{
	json_error_t e;

	if (!req->body_len)
		return NULL;
	return json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES,
			  &e);
}

const char *req_param(const struct sim_req *req, const char *key)
{
	const char *v = kvs_get(&req->form, key);

	return v ? v : kvs_get(&req->query, key);
}

enum wh_err kvs_from_json(struct sim_kvs *l, const json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		enum wh_err rc;
		char num[32];
		char *s;

		switch (json_typeof(v)) {
		case JSON_STRING:
			rc = kvs_add(l, key, strlen(key), json_string_value(v),
				     json_string_length(v));
			break;
		case JSON_INTEGER:
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			rc = kvs_add_str(l, key, num);
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			rc = kvs_add_str(l, key, json_is_true(v) ? "true" :
								   "false");
			break;
		case JSON_NULL:
			rc = WH_OK;
			break;
		default:
			s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			if (!s)
				return WH_ERR_NOMEM;
			rc = kvs_add_str(l, key, s);
			free(s);
			break;
		}
		if (rc)
			return rc;
	}
	return WH_OK;
}

int64_t req_now_s(const struct sim_req *req)
{
	return (req->now_ms + req->skew_ms) / 1000;
}

bool req_time_ok(const struct sim_req *req, int64_t epoch_s)
{
	int64_t d = epoch_s - req_now_s(req);

	return d <= SIM_SKEW_MS / 1000 && d >= -(SIM_SKEW_MS / 1000);
}

enum wh_err kvs_merge(struct sim_kvs *dst, const struct sim_kvs *src)
{
	for (size_t i = 0; i < src->n; i++) {
		enum wh_err rc = kvs_add_str(dst, src->v[i].key,
					     src->v[i].value);

		if (rc)
			return rc;
	}
	return WH_OK;
}

bool starts_with_ci(const char *s, const char *prefix)
{
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

size_t path_split(const char *path, char *buf, size_t size,
		  const char **seg, size_t n)
{
	size_t len = strlen(path), count = 0;
	char *p;

	if (len >= size)
		return 0;
	memcpy(buf, path, len + 1);
	p = buf;
	while (*p && count < n) {
		while (*p == '/')
			*p++ = '\0';
		if (!*p)
			break;
		seg[count++] = p;
		while (*p && *p != '/')
			p++;
	}
	while (*p == '/')
		p++;
	/* More segments than n: the caller's routes never match. */
	return *p ? n + 1 : count;
}
