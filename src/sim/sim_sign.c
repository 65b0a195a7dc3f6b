/*
 * sim_sign.c - the simulator's own signature checks.
 *
 * Written apart from src/sync/sign_*.c on purpose: the tests sign with
 * the sync code and verify here, so a mistake has to be made twice, the
 * same way, to go unnoticed. This side streams the pieces into an
 * OpenSSL 3 EVP digest or EVP_MAC instead of building one string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sim/sim.h"

struct hasher {
	enum sim_sign_alg alg;
	EVP_MD_CTX *md;
	EVP_MAC *mac;
	EVP_MAC_CTX *mctx;
};

static bool h_begin(struct hasher *h, enum sim_sign_alg alg,
		    const char *secret)
{
	OSSL_PARAM params[2];
	char digest[16];

	memset(h, 0, sizeof(*h));
	h->alg = alg;
	if (alg == SIM_MD5_WRAP || alg == SIM_MD5) {
		h->md = EVP_MD_CTX_new();
		if (!h->md || !EVP_DigestInit_ex(h->md, EVP_md5(), NULL))
			return false;
		if (alg == SIM_MD5_WRAP)
			return EVP_DigestUpdate(h->md, secret, strlen(secret));
		return true;
	}
	snprintf(digest, sizeof(digest), "%s",
		 alg == SIM_HMAC_MD5 ? "MD5" : "SHA256");
	h->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!h->mac)
		return false;
	h->mctx = EVP_MAC_CTX_new(h->mac);
	if (!h->mctx)
		return false;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	return EVP_MAC_init(h->mctx, (const unsigned char *)secret,
			    strlen(secret), params);
}

static bool h_add(struct hasher *h, const void *p, size_t n)
{
	if (h->md)
		return EVP_DigestUpdate(h->md, p, n);
	return EVP_MAC_update(h->mctx, p, n);
}

static bool h_adds(struct hasher *h, const char *s)
{
	return h_add(h, s, strlen(s));
}

/* Finishes into raw bytes; returns the length, 0 on failure. */
static size_t h_end(struct hasher *h, const char *secret,
		    unsigned char md[64])
{
	unsigned int n = 0;
	size_t mn = 0;
	bool ok;

	if (h->md) {
		ok = true;
		if (h->alg == SIM_MD5_WRAP)
			ok = EVP_DigestUpdate(h->md, secret, strlen(secret));
		ok = ok && EVP_DigestFinal_ex(h->md, md, &n);
		mn = ok ? n : 0;
	} else {
		ok = EVP_MAC_final(h->mctx, md, &mn, 64);
		if (!ok)
			mn = 0;
	}
	return mn;
}

static void h_free(struct hasher *h)
{
	EVP_MD_CTX_free(h->md);
	EVP_MAC_CTX_free(h->mctx);
	EVP_MAC_free(h->mac);
	memset(h, 0, sizeof(*h));
}

static void to_hex(const unsigned char *md, size_t n, bool upper,
		   char out[65])
{
	static const char lo[] = "0123456789abcdef";
	static const char up[] = "0123456789ABCDEF";
	const char *d = upper ? up : lo;

	for (size_t i = 0; i < n && i < 32; i++) {
		out[2 * i] = d[md[i] >> 4];
		out[2 * i + 1] = d[md[i] & 15];
	}
	out[2 * (n < 32 ? n : 32)] = '\0';
}

bool sign_sorted(const struct sim_kvs *params, const char *secret,
		 enum sim_sign_alg alg, char out[65])
{
	const struct sim_kv **v;
	unsigned char md[64];
	struct hasher h;
	size_t n = 0, mn;
	bool ok;

	out[0] = '\0';
	v = malloc((params->n ? params->n : 1) * sizeof(*v));
	if (!v)
		return false;
	for (size_t i = 0; i < params->n; i++) {
		const struct sim_kv *kv = &params->v[i];
		size_t j;

		if (!strcmp(kv->key, "sign") || !kv->value[0])
			continue;
		/* Insert after every key <= this one: a stable sort. */
		j = n++;
		while (j > 0 && strcmp(v[j - 1]->key, kv->key) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = kv;
	}
	ok = h_begin(&h, alg, secret);
	for (size_t i = 0; ok && i < n; i++)
		ok = h_adds(&h, v[i]->key) && h_adds(&h, v[i]->value);
	mn = ok ? h_end(&h, secret, md) : 0;
	h_free(&h);
	free(v);
	if (!mn)
		return false;
	to_hex(md, mn, true, out);
	return true;
}

bool sign_douyin(const char *app_key, const char *method,
		 const char *param_json, const char *timestamp,
		 const char *v, const char *secret, enum sim_sign_alg alg,
		 char out[65])
{
	const char *parts[] = { "app_key", app_key, "method", method,
				"param_json", param_json, "timestamp",
				timestamp, "v", v };
	unsigned char md[64];
	struct hasher h;
	size_t mn = 0;
	bool ok;

	out[0] = '\0';
	if (alg != SIM_MD5 && alg != SIM_HMAC_SHA256)
		return false;
	/* Douyin wraps the string in the secret for both algorithms. */
	ok = h_begin(&h, alg, secret) && h_adds(&h, secret);
	for (size_t i = 0; ok && i < sizeof(parts) / sizeof(parts[0]); i++)
		ok = parts[i] && h_adds(&h, parts[i]);
	ok = ok && h_adds(&h, secret);
	if (ok)
		mn = h_end(&h, secret, md);
	h_free(&h);
	if (!mn)
		return false;
	to_hex(md, mn, false, out);
	return true;
}

bool sign_shopify_webhook(const void *body, size_t len, const char *secret,
			  char out[65])
{
	unsigned char md[64];
	struct hasher h;
	size_t mn = 0;
	char *b;

	out[0] = '\0';
	if (h_begin(&h, SIM_HMAC_SHA256, secret) && h_add(&h, body, len))
		mn = h_end(&h, secret, md);
	h_free(&h);
	if (!mn)
		return false;
	b = b64_encode(md, mn);
	if (!b)
		return false;
	snprintf(out, 65, "%s", b);
	free(b);
	return true;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool sign_equal_hex(const char *a, const char *b)
{
	char x[65], y[65];
	size_t n;

	if (!a || !b)
		return false;
	n = strlen(a);
	if (n != strlen(b) || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		x[i] = lower(a[i]);
		y[i] = lower(b[i]);
	}
	return CRYPTO_memcmp(x, y, n) == 0;
}

bool sign_check_basic(const char *header, const char *key,
		      const char *secret)
{
	unsigned char *raw;
	size_t n, kl = strlen(key), sl = strlen(secret);
	bool ok;

	if (!starts_with_ci(header, "Basic "))
		return false;
	header += 6;
	while (*header == ' ')
		header++;
	raw = b64_decode(header, &n);
	if (!raw)
		return false;
	ok = n == kl + 1 + sl && memcmp(raw, key, kl) == 0 && raw[kl] == ':' &&
	     CRYPTO_memcmp(raw + kl + 1, secret, sl) == 0;
	OPENSSL_cleanse(raw, n);
	free(raw);
	return ok;
}

/* One reference vector: the parameters as "k=v" strings. */
static bool check_sorted(const char *what, const char *const *kv, size_t n,
			 const char *secret, enum sim_sign_alg alg,
			 const char *want)
{
	struct sim_kvs l;
	char got[65];
	bool ok = true;

	kvs_init(&l);
	for (size_t i = 0; i < n && ok; i++) {
		const char *eq = strchr(kv[i], '=');

		ok = eq && !kvs_add(&l, kv[i], (size_t)(eq - kv[i]), eq + 1,
				    strlen(eq + 1));
	}
	ok = ok && sign_sorted(&l, secret, alg, got) && !strcmp(got, want);
	if (!ok)
		fprintf(stderr, "selftest %s: got %s want %s\n", what, got,
			want);
	kvs_free(&l);
	return ok;
}

bool sign_selftest(void)
{
	/* reference/platforms.md worked examples. */
	static const char *const top[] = {
		"app_key=test", "fields=nick", "format=xml",
		"method=taobao.user.seller.get", "session=test",
		"sign_method=md5", "timestamp=2013-05-06 13:52:03",
		"v=2.0",
	};
	static const char *const top256[] = {
		"app_key=test", "fields=nick", "format=xml",
		"method=taobao.user.seller.get", "session=test",
		"sign_method=hmac-sha256", "timestamp=2013-05-06 13:52:03",
		"v=2.0",
	};
	static const char *const pdd[] = {
		"type=pdd.order.number.list.increment.get",
		"client_id=testclient", "access_token=testtoken",
		"timestamp=1704081600", "data_type=JSON", "version=V1",
		"is_lucky_flag=0", "order_status=5", "refund_status=5",
		"start_updated_at=1704079800", "end_updated_at=1704081600",
		"page=1", "page_size=100", "use_has_next=true",
	};
	static const char *const jd[] = {
		"method=jingdong.pop.order.search", "app_key=testkey",
		"access_token=testtoken",
		"timestamp=2024-01-01 12:00:00.000+0800", "v=2.0",
		"360buy_param_json={\"start_date\":\"2024-01-01 00:00:00\","
		"\"end_date\":\"2024-01-01 00:30:00\",\"order_state\":"
		"\"WAIT_SELLER_STOCK_OUT\",\"optional_fields\":"
		"\"orderId,orderState,modified\",\"page\":\"1\","
		"\"page_size\":\"100\",\"dateType\":\"0\"}",
	};
	static const char dy_json[] =
		"{\"page\":0,\"size\":100,\"update_time_end\":1704081600,"
		"\"update_time_start\":1704079800}";
	char got[65];
	bool ok = true;

	ok &= check_sorted("top md5", top, 8, "test", SIM_MD5_WRAP,
			   "72CB4D809B375A54502C09360D879C64");
	/* The reference gives the hmac-sha256 value for sign_method=md5's
	 * parameter set with only sign_method changed. */
	ok &= check_sorted("top hmac-sha256", top256, 8, "test",
			   SIM_HMAC_SHA256,
			   "267B9C1C7A2FE1CE413DBB95E596616D"
			   "32107AE0992BE2C22143CFCE303E8E34");
	ok &= check_sorted("pdd", pdd, 14, "testsecret", SIM_MD5_WRAP,
			   "5C3E65B77D0CFA5B15178B18331BD654");
	ok &= check_sorted("jd", jd, 6, "testsecret", SIM_MD5_WRAP,
			   "C010608E628A2120BC358FA1973AA896");
	if (!sign_douyin("testkey", "order.searchList", dy_json,
			 "1704081600", "2", "testsecret", SIM_HMAC_SHA256,
			 got) ||
	    strcmp(got, "c7ec060a5ff252cc42a5325534669e6c"
			"fde52496d559b52d653c6d7029392a7a")) {
		fprintf(stderr, "selftest douyin hmac: got %s\n", got);
		ok = false;
	}
	if (!sign_douyin("testkey", "order.searchList", dy_json,
			 "1704081600", "2", "testsecret", SIM_MD5, got) ||
	    strcmp(got, "2a0522d9895bd80a1c08896d7174102f")) {
		fprintf(stderr, "selftest douyin md5: got %s\n", got);
		ok = false;
	}
	if (!sign_shopify_webhook("{\"id\":1}", 8, "testsecret", got) ||
	    strcmp(got, "CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs=")) {
		fprintf(stderr, "selftest shopify webhook: got %s\n", got);
		ok = false;
	}
	return ok;
}
