/* sign_shopify.c - Shopify webhook HMAC (compute and verify). */
#include "sync/sign.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sync/sign_crypto.h"

enum wh_err sync_shopify_webhook_hmac(const void *body, size_t len,
				      const char *secret,
				      char out[SYNC_SIGN_MAX],
				      struct wh_error *err)
{
	unsigned char md[SIGN_DIGEST_MAX];
	size_t md_len = 0;
	enum wh_err rc;
	char *b64;

	out[0] = '\0';
	if (!secret || !*secret)
		return wh_error_set(err, WH_ERR_INVALID, "no webhook secret");
	if (!body && len)
		return wh_error_set(err, WH_ERR_INVALID, "no webhook body");
	rc = sign_digest(SYNC_SIGN_HMAC_SHA256, secret, body ? body : "", len,
			 md, &md_len, err);
	if (rc)
		return rc;
	rc = sign_base64(md, md_len, &b64, err);
	if (rc)
		return rc;
	/* 32 bytes encode to 44 characters, which fits SYNC_SIGN_MAX. */
	memcpy(out, b64, strlen(b64) + 1);
	free(b64);
	return WH_OK;
}

bool sync_shopify_webhook_verify(const void *body, size_t len,
				 const char *secret, const char *header)
{
	char want[SYNC_SIGN_MAX];
	size_t n;

	if (!body || !secret || !header)
		return false;
	if (sync_shopify_webhook_hmac(body, len, secret, want, NULL))
		return false;
	n = strlen(want);
	/* The length of a valid header is public (always 44). */
	if (strlen(header) != n)
		return false;
	return CRYPTO_memcmp(want, header, n) == 0;
}
