/*
 * sign_crypto.h - private digest helpers for the signers (src/sync only).
 *
 * All outputs are caller-supplied buffers; nothing is allocated except by
 * sign_base64(), whose result the caller frees.
 */
#ifndef WHARF_SYNC_SIGN_CRYPTO_H
#define WHARF_SYNC_SIGN_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "sync/sign.h"

#define SIGN_DIGEST_MAX 64

/*
 * Digest of data with method (MD5 = plain MD5 of data, no wrapping here).
 * key is used by the HMACs only. Writes the raw digest and its length.
 */
enum wh_err sign_digest(enum sync_sign_method method, const char *key,
			const void *data, size_t len,
			unsigned char md[SIGN_DIGEST_MAX], size_t *md_len,
			struct wh_error *err);

/* Hex of md into out (2 * len + 1 bytes), upper or lower case. */
void sign_hex(const unsigned char *md, size_t len, bool upper, char *out);

/* Standard base64 with padding; *out malloc'd (NUL-terminated). */
enum wh_err sign_base64(const void *data, size_t len, char **out,
			struct wh_error *err);

/* The TOP/JD/PDD rule: prefix/suffix are the secret for MD5 only. */
enum wh_err sign_sorted_kv(const struct sync_params *params,
			   const char *secret, enum sync_sign_method method,
			   char out[SYNC_SIGN_MAX], struct wh_error *err);

#endif
