/*
 * sign.h - request signers and credential encoders, one per platform.
 *
 * Every function here is pure: it reads its arguments and writes only its
 * outputs. Secrets are never copied into error messages, and temporary
 * buffers holding a secret are wiped before they are freed.
 *
 * Signatures go into a caller-supplied char[SYNC_SIGN_MAX] (NUL-terminated
 * hex or base64). Functions returning char ** give the caller a malloc'd
 * string to free (wipe it first with sync_params_wipe_free() if it holds a
 * credential, as the Woo and Amazon ones do).
 */
#ifndef WHARF_SYNC_SIGN_H
#define WHARF_SYNC_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "sync/params.h"

#define SYNC_SIGN_MAX 65 /* 64 hex digits of SHA-256 and a NUL */

enum sync_sign_method {
	SYNC_SIGN_MD5,         /* MD5(secret + s + secret) (Douyin: of s) */
	SYNC_SIGN_HMAC_MD5,    /* TOP "hmac": HMAC-MD5(secret, s) */
	SYNC_SIGN_HMAC_SHA256, /* HMAC-SHA256(secret, s) */
};

/*
 * Maps a sign_method parameter value ("md5", "hmac", "hmac-sha256") to the
 * enum. Returns WH_ERR_INVALID for anything else.
 */
enum wh_err sync_sign_method_parse(const char *name,
				   enum sync_sign_method *out,
				   struct wh_error *err);

/*
 * TOP (Taobao/Tmall): sorts params by key, drops "sign" and empty values,
 * joins k1v1k2v2..., and signs with method; uppercase hex into out.
 * SYNC_SIGN_MD5 wraps the string in the secret; the HMACs key with it.
 */
enum wh_err sync_sign_top(const struct sync_params *params, const char *secret,
			  enum sync_sign_method method,
			  char out[SYNC_SIGN_MAX], struct wh_error *err);

/*
 * JD: the TOP md5 rule over the system params, which must include
 * "360buy_param_json" exactly as it will be sent. Uppercase hex.
 */
enum wh_err sync_sign_jd(const struct sync_params *params, const char *secret,
			 char out[SYNC_SIGN_MAX], struct wh_error *err);

/*
 * Pinduoduo: MD5(client_secret + sorted kv + client_secret), uppercase.
 * Objects and lists must already be JSON strings in params.
 */
enum wh_err sync_sign_pdd(const struct sync_params *params, const char *secret,
			  char out[SYNC_SIGN_MAX], struct wh_error *err);

/*
 * Douyin shop: s = secret + "app_key" app_key + "method" method +
 * "param_json" param_json + "timestamp" timestamp + "v" v + secret.
 * SYNC_SIGN_HMAC_SHA256 gives HMAC-SHA256(secret, s), SYNC_SIGN_MD5 gives
 * MD5(s); lowercase hex. access_token is not signed. param_json must be
 * the canonical text from sync_json_canonical(), exactly as sent.
 */
enum wh_err sync_sign_douyin(const char *app_key, const char *method,
			     const char *param_json, const char *timestamp,
			     const char *v, const char *secret,
			     enum sync_sign_method sign_method,
			     char out[SYNC_SIGN_MAX], struct wh_error *err);

/*
 * Canonical JSON for Douyin's param_json: keys sorted, compact separators,
 * non-ASCII left as UTF-8 (no \u escapes), "/" not escaped. *out is
 * malloc'd and owned by the caller. Reals are printed by jansson with
 * %.17g, so callers should pass amounts as integers or strings.
 */
enum wh_err sync_json_canonical(const json_t *value, char **out,
				struct wh_error *err);

/*
 * Shopify webhook: base64(HMAC-SHA256(secret, body)) into out (44 chars).
 */
enum wh_err sync_shopify_webhook_hmac(const void *body, size_t len,
				      const char *secret,
				      char out[SYNC_SIGN_MAX],
				      struct wh_error *err);

/*
 * True when header (the X-Shopify-Hmac-Sha256 value) is the HMAC of body.
 * The comparison takes the same time wherever the first difference is.
 * Any NULL argument gives false.
 */
bool sync_shopify_webhook_verify(const void *body, size_t len,
				 const char *secret, const char *header);

/*
 * WooCommerce: the Authorization header value "Basic base64(ck:cs)".
 * A consumer key containing ':' or a control character is refused.
 * *out is malloc'd; it holds a credential, so wipe it when done.
 */
enum wh_err sync_woo_basic_auth(const char *consumer_key,
				const char *consumer_secret, char **out,
				struct wh_error *err);

/*
 * Amazon Login with Amazon: the application/x-www-form-urlencoded body
 * "grant_type=refresh_token&refresh_token=...&client_id=...&
 * client_secret=..." with every value percent-encoded (RFC 3986
 * unreserved characters kept). *out is malloc'd; wipe it when done.
 */
enum wh_err sync_amazon_lwa_refresh_body(const char *refresh_token,
					 const char *client_id,
					 const char *client_secret,
					 char **out, struct wh_error *err);

/*
 * Percent-encodes len bytes of s (RFC 3986: A-Z a-z 0-9 - . _ ~ kept,
 * everything else %XX uppercase). For query strings and form bodies.
 * *out is malloc'd and owned by the caller.
 */
enum wh_err sync_percent_encode(const char *s, size_t len, char **out,
				struct wh_error *err);

#endif
