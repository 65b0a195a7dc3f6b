/* sign_amazon.c - Amazon LWA token request body, percent-encoding. */
#include "sync/sign.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

enum wh_err sync_percent_encode(const char *s, size_t len, char **out,
				struct wh_error *err)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t off = 0;
	char *r;

	*out = NULL;
	if (len > (SIZE_MAX - 1) / 3)
		return wh_error_set(err, WH_ERR_INVALID, "value too long");
	r = malloc(3 * len + 1);
	if (!r)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c)) {
			r[off++] = (char)c;
		} else {
			r[off++] = '%';
			r[off++] = hex[c >> 4];
			r[off++] = hex[c & 15];
		}
	}
	r[off] = '\0';
	*out = r;
	return WH_OK;
}

enum wh_err sync_amazon_lwa_refresh_body(const char *refresh_token,
					 const char *client_id,
					 const char *client_secret,
					 char **out, struct wh_error *err)
{
	const char *names[] = { "&refresh_token=", "&client_id=",
				"&client_secret=" };
	const char *vals[] = { refresh_token, client_id, client_secret };
	const char *labels[] = { "refresh token", "client id",
				 "client secret" };
	static const char head[] = "grant_type=refresh_token";
	char *enc[3] = { NULL, NULL, NULL };
	size_t total = sizeof(head), off = 0;
	enum wh_err rc = WH_OK;
	char *s = NULL;

	*out = NULL;
	for (int i = 0; i < 3; i++) {
		if (!vals[i] || !*vals[i]) {
			rc = wh_error_set(err, WH_ERR_INVALID,
					  "LWA %s is empty", labels[i]);
			goto out;
		}
		if (strlen(vals[i]) > 65536) {
			rc = wh_error_set(err, WH_ERR_INVALID,
					  "LWA credential too long");
			goto out;
		}
		rc = sync_percent_encode(vals[i], strlen(vals[i]), &enc[i],
					 err);
		if (rc)
			goto out;
		total += strlen(names[i]) + strlen(enc[i]);
	}
	s = malloc(total);
	if (!s) {
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out;
	}
	memcpy(s, head, sizeof(head) - 1);
	off = sizeof(head) - 1;
	for (int i = 0; i < 3; i++) {
		size_t a = strlen(names[i]), b = strlen(enc[i]);

		memcpy(s + off, names[i], a);
		off += a;
		memcpy(s + off, enc[i], b);
		off += b;
	}
	s[off] = '\0';
	*out = s;
out:
	for (int i = 0; i < 3; i++)
		if (enc[i])
			sync_params_wipe_free(enc[i], strlen(enc[i]));
	return rc;
}
