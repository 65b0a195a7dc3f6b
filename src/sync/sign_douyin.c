/* sign_douyin.c - Douyin shop (抖店) signature and canonical param_json. */
#include "sync/sign.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/sign_crypto.h"

enum wh_err sync_sign_douyin(const char *app_key, const char *method,
			     const char *param_json, const char *timestamp,
			     const char *v, const char *secret,
			     enum sync_sign_method sign_method,
			     char out[SYNC_SIGN_MAX], struct wh_error *err)
{
	const char *parts[] = {
		secret, "app_key", app_key, "method", method,
		"param_json", param_json, "timestamp", timestamp,
		"v", v, secret,
	};
	const size_t nparts = sizeof(parts) / sizeof(parts[0]);
	unsigned char md[SIGN_DIGEST_MAX];
	size_t total = 1, off = 0, md_len = 0;
	enum wh_err rc;
	char *s;

	out[0] = '\0';
	if (!secret || !*secret)
		return wh_error_set(err, WH_ERR_INVALID, "no signing secret");
	if (sign_method == SYNC_SIGN_HMAC_MD5)
		return wh_error_set(err, WH_ERR_INVALID,
				    "Douyin signs with md5 or hmac-sha256");
	for (size_t i = 0; i < nparts; i++) {
		if (!parts[i])
			return wh_error_set(err, WH_ERR_INVALID,
					    "Douyin signature: a field is "
					    "missing");
		if (strlen(parts[i]) > SIZE_MAX / 16)
			return wh_error_set(err, WH_ERR_INVALID,
					    "Douyin signature: too large");
		total += strlen(parts[i]);
	}
	s = malloc(total);
	if (!s)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory signing");
	for (size_t i = 0; i < nparts; i++) {
		size_t l = strlen(parts[i]);

		memcpy(s + off, parts[i], l);
		off += l;
	}
	s[off] = '\0';
	rc = sign_digest(sign_method, secret, s, off, md, &md_len, err);
	sync_params_wipe_free(s, off);
	if (rc)
		return rc;
	sign_hex(md, md_len, false, out);
	return WH_OK;
}

enum wh_err sync_json_canonical(const json_t *value, char **out,
				struct wh_error *err)
{
	*out = NULL;
	if (!value)
		return wh_error_set(err, WH_ERR_INVALID, "no JSON value");
	/*
	 * jansson leaves non-ASCII as UTF-8 unless JSON_ENSURE_ASCII is
	 * given, and escapes "/" only with JSON_ESCAPE_SLASH.
	 */
	*out = json_dumps(value, JSON_SORT_KEYS | JSON_COMPACT |
				 JSON_ENCODE_ANY);
	if (!*out)
		return wh_error_set(err, WH_ERR_INVALID,
				    "JSON value cannot be encoded");
	return WH_OK;
}
