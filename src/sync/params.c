#include "sync/params.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void sync_params_init(struct sync_params *p)
{
	p->v = NULL;
	p->n = 0;
	p->cap = 0;
}

enum wh_err sync_params_add(struct sync_params *p, const char *key,
			    const char *value, struct wh_error *err)
{
	struct sync_param *nv;
	char *k, *v;

	if (!key || !*key)
		return wh_error_set(err, WH_ERR_INVALID,
				    "parameter name is empty");
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;

		nv = realloc(p->v, cap * sizeof(*nv));
		if (!nv)
			return wh_error_set(err, WH_ERR_NOMEM,
					    "out of memory for parameters");
		p->v = nv;
		p->cap = cap;
	}
	k = strdup(key);
	v = strdup(value ? value : "");
	if (!k || !v) {
		free(k);
		free(v);
		return wh_error_set(err, WH_ERR_NOMEM,
				    "out of memory for parameter %s", key);
	}
	p->v[p->n].key = k;
	p->v[p->n].value = v;
	p->n++;
	return WH_OK;
}

enum wh_err sync_params_add_int(struct sync_params *p, const char *key,
				long long value, struct wh_error *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	return sync_params_add(p, key, buf, err);
}

/* Insertion sort: stable, and parameter lists are short. */
static void sort_entries(struct sync_param *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sync_param t = v[i];
		size_t j = i;

		while (j > 0 && strcmp(v[j - 1].key, t.key) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

void sync_params_sort(struct sync_params *p)
{
	sort_entries(p->v, p->n);
}

const char *sync_params_get(const struct sync_params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return p->v[i].value;
	return NULL;
}

void sync_params_free(struct sync_params *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		/* Values can be tokens; do not leave them in freed memory. */
		sync_params_wipe_free(p->v[i].value, strlen(p->v[i].value));
	}
	free(p->v);
	sync_params_init(p);
}

void sync_params_wipe_free(char *s, size_t len)
{
	if (!s)
		return;
	OPENSSL_cleanse(s, len);
	free(s);
}

static int add_len(size_t *total, size_t n)
{
	if (n > SIZE_MAX - *total)
		return -1;
	*total += n;
	return 0;
}

enum wh_err sync_params_sign_string(const struct sync_params *p,
				    const char *prefix, const char *suffix,
				    char **out, size_t *out_len,
				    struct wh_error *err)
{
	struct sync_param *v = NULL;
	size_t n = 0, total = 1, off = 0;
	char *s;

	*out = NULL;
	if (p->n) {
		v = malloc(p->n * sizeof(*v));
		if (!v)
			return wh_error_set(err, WH_ERR_NOMEM,
					    "out of memory signing");
	}
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].key, "sign") == 0 || !p->v[i].value[0])
			continue;
		v[n++] = p->v[i];
	}
	sort_entries(v, n);
	if (add_len(&total, strlen(prefix)) || add_len(&total, strlen(suffix)))
		goto too_big;
	for (size_t i = 0; i < n; i++)
		if (add_len(&total, strlen(v[i].key)) ||
		    add_len(&total, strlen(v[i].value)))
			goto too_big;
	s = malloc(total);
	if (!s) {
		free(v);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory signing");
	}
#define PUT(str)                                        \
	do {                                            \
		size_t l_ = strlen(str);                \
		memcpy(s + off, (str), l_);             \
		off += l_;                              \
	} while (0)
	PUT(prefix);
	for (size_t i = 0; i < n; i++) {
		PUT(v[i].key);
		PUT(v[i].value);
	}
	PUT(suffix);
#undef PUT
	s[off] = '\0';
	free(v);
	*out = s;
	if (out_len)
		*out_len = off;
	return WH_OK;
too_big:
	free(v);
	return wh_error_set(err, WH_ERR_INVALID,
			    "parameters too large to sign");
}
