/* sign_top.c - Taobao/Tmall open platform (TOP) request signature. */
#include "sync/sign.h"

#include <string.h>

#include "sync/sign_crypto.h"

enum wh_err sync_sign_method_parse(const char *name,
				   enum sync_sign_method *out,
				   struct wh_error *err)
{
	if (name && strcmp(name, "md5") == 0)
		*out = SYNC_SIGN_MD5;
	else if (name && strcmp(name, "hmac") == 0)
		*out = SYNC_SIGN_HMAC_MD5;
	else if (name && strcmp(name, "hmac-sha256") == 0)
		*out = SYNC_SIGN_HMAC_SHA256;
	else
		return wh_error_set(err, WH_ERR_INVALID,
				    "unknown sign_method (want md5, hmac or "
				    "hmac-sha256)");
	return WH_OK;
}

enum wh_err sync_sign_top(const struct sync_params *params, const char *secret,
			  enum sync_sign_method method,
			  char out[SYNC_SIGN_MAX], struct wh_error *err)
{
	return sign_sorted_kv(params, secret, method, out, err);
}
