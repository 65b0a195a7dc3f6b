/* sign_woo.c - WooCommerce REST API HTTP Basic credentials. */
#include "sync/sign.h"

#include <stdlib.h>
#include <string.h>

#include "sync/sign_crypto.h"

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

enum wh_err sync_woo_basic_auth(const char *consumer_key,
				const char *consumer_secret, char **out,
				struct wh_error *err)
{
	size_t kl, sl, n;
	char *pair, *b64, *s;
	enum wh_err rc;

	*out = NULL;
	if (!consumer_key || !*consumer_key || !consumer_secret ||
	    !*consumer_secret)
		return wh_error_set(err, WH_ERR_INVALID,
				    "WooCommerce consumer key or secret empty");
	if (strchr(consumer_key, ':') || has_ctl(consumer_key) ||
	    has_ctl(consumer_secret))
		return wh_error_set(err, WH_ERR_INVALID,
				    "WooCommerce consumer key or secret has "
				    "a forbidden character");
	kl = strlen(consumer_key);
	sl = strlen(consumer_secret);
	if (kl > 4096 || sl > 4096)
		return wh_error_set(err, WH_ERR_INVALID,
				    "WooCommerce credentials too long");
	pair = malloc(kl + sl + 2);
	if (!pair)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	memcpy(pair, consumer_key, kl);
	pair[kl] = ':';
	memcpy(pair + kl + 1, consumer_secret, sl + 1);
	rc = sign_base64(pair, kl + sl + 1, &b64, err);
	sync_params_wipe_free(pair, kl + sl + 1);
	if (rc)
		return rc;
	n = strlen(b64);
	s = malloc(n + 7);
	if (!s) {
		sync_params_wipe_free(b64, n);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	memcpy(s, "Basic ", 6);
	memcpy(s + 6, b64, n + 1);
	sync_params_wipe_free(b64, n);
	*out = s;
	return WH_OK;
}
