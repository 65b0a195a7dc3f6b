#include "sync/sign_crypto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

enum wh_err sign_digest(enum sync_sign_method method, const char *key,
			const void *data, size_t len,
			unsigned char md[SIGN_DIGEST_MAX], size_t *md_len,
			struct wh_error *err)
{
	unsigned int n = 0;
	const EVP_MD *type;

	switch (method) {
	case SYNC_SIGN_MD5:
		if (!EVP_Digest(data, len, md, &n, EVP_md5(), NULL))
			return wh_error_set(err, WH_ERR_UNSUPPORTED,
					    "MD5 is not available");
		*md_len = n;
		return WH_OK;
	case SYNC_SIGN_HMAC_MD5:
		type = EVP_md5();
		break;
	case SYNC_SIGN_HMAC_SHA256:
		type = EVP_sha256();
		break;
	default:
		return wh_error_set(err, WH_ERR_INVALID, "unknown sign method");
	}
	if (!key)
		return wh_error_set(err, WH_ERR_INVALID, "no signing secret");
	if (strlen(key) > (size_t)INT32_MAX)
		return wh_error_set(err, WH_ERR_INVALID, "secret too long");
	if (!HMAC(type, key, (int)strlen(key), data, len, md, &n))
		return wh_error_set(err, WH_ERR_UNSUPPORTED,
				    "HMAC is not available");
	*md_len = n;
	return WH_OK;
}

void sign_hex(const unsigned char *md, size_t len, bool upper, char *out)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * len] = '\0';
}

enum wh_err sign_base64(const void *data, size_t len, char **out,
			struct wh_error *err)
{
	size_t n;
	char *s;

	*out = NULL;
	if (len > (size_t)INT32_MAX / 2)
		return wh_error_set(err, WH_ERR_INVALID,
				    "data too long to encode");
	n = 4 * ((len + 2) / 3) + 1;
	s = malloc(n);
	if (!s)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	*out = s;
	return WH_OK;
}

enum wh_err sign_sorted_kv(const struct sync_params *params,
			   const char *secret, enum sync_sign_method method,
			   char out[SYNC_SIGN_MAX], struct wh_error *err)
{
	unsigned char md[SIGN_DIGEST_MAX];
	size_t md_len = 0, len = 0;
	const char *wrap;
	char *s = NULL;
	enum wh_err rc;

	out[0] = '\0';
	if (!secret || !*secret)
		return wh_error_set(err, WH_ERR_INVALID, "no signing secret");
	wrap = method == SYNC_SIGN_MD5 ? secret : "";
	rc = sync_params_sign_string(params, wrap, wrap, &s, &len, err);
	if (rc)
		return rc;
	rc = sign_digest(method, secret, s, len, md, &md_len, err);
	sync_params_wipe_free(s, len);
	if (rc)
		return rc;
	sign_hex(md, md_len, true, out);
	return WH_OK;
}
