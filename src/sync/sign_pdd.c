/* sign_pdd.c - Pinduoduo open platform request signature. */
#include "sync/sign.h"

#include "sync/sign_crypto.h"

enum wh_err sync_sign_pdd(const struct sync_params *params, const char *secret,
			  char out[SYNC_SIGN_MAX], struct wh_error *err)
{
	return sign_sorted_kv(params, secret, SYNC_SIGN_MD5, out, err);
}
