/*
 * params.h - an ordered list of key/value request parameters.
 *
 * The signers read it and the request builders (HTTP thread) will build
 * query strings and form bodies from it. Every key and value is an owned
 * copy made by sync_params_add(); sync_params_free() releases them all.
 * Pointers returned by sync_params_get() are borrowed and live until the
 * next add, sort or free.
 *
 * Usage:
 *	struct sync_params p;
 *	sync_params_init(&p);
 *	if (sync_params_add(&p, "method", "taobao.trades.sold.get", err))
 *		goto out;
 *	...
 * out:
 *	sync_params_free(&p);
 */
#ifndef WHARF_SYNC_PARAMS_H
#define WHARF_SYNC_PARAMS_H

#include <stddef.h>

#include "core/err.h"

struct sync_param {
	char *key;   /* owned, NUL-terminated */
	char *value; /* owned, NUL-terminated, may be "" */
};

struct sync_params {
	struct sync_param *v; /* owned array of n entries */
	size_t n;
	size_t cap;
};

/* Makes *p an empty list. Never fails. */
void sync_params_init(struct sync_params *p);

/*
 * Appends copies of key and value (value NULL is stored as ""). Duplicate
 * keys are kept in order; signers sign what is sent. Returns WH_ERR_NOMEM
 * or WH_ERR_INVALID (NULL or empty key).
 */
enum wh_err sync_params_add(struct sync_params *p, const char *key,
			    const char *value, struct wh_error *err);

/* As sync_params_add() with a decimal integer value. */
enum wh_err sync_params_add_int(struct sync_params *p, const char *key,
				long long value, struct wh_error *err);

/* Sorts by key in byte (ASCII) order; equal keys keep their order. */
void sync_params_sort(struct sync_params *p);

/* The value of the first entry named key, or NULL. Borrowed. */
const char *sync_params_get(const struct sync_params *p, const char *key);

/* Frees every entry and leaves *p empty. p may be NULL. */
void sync_params_free(struct sync_params *p);

/*
 * Builds prefix + k1 v1 k2 v2 ... + suffix over the entries sorted by key,
 * skipping the key "sign" and entries whose value is empty (the TOP, JD
 * and PDD rule). *p is not modified. *out is malloc'd and owned by the
 * caller, who should wipe it (it may contain the secret) with
 * sync_params_wipe_free(). Used by the signers.
 */
enum wh_err sync_params_sign_string(const struct sync_params *p,
				    const char *prefix, const char *suffix,
				    char **out, size_t *out_len,
				    struct wh_error *err);

/* Overwrites len bytes of s with zeros, then frees it. s may be NULL. */
void sync_params_wipe_free(char *s, size_t len);

#endif
