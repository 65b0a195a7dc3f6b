/* Signers: every worked example from reference/platforms.md. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync/params.h"
#include "sync/sign.h"

static void add(struct sync_params *p, const char *k, const char *v)
{
	assert_int_equal(sync_params_add(p, k, v, NULL), WH_OK);
}

/* The segmentfault TOP example; added unsorted on purpose. */
static void top_params(struct sync_params *p, const char *method)
{
	sync_params_init(p);
	add(p, "v", "2.0");
	add(p, "timestamp", "2013-05-06 13:52:03");
	add(p, "sign_method", method);
	add(p, "session", "test");
	add(p, "method", "taobao.user.seller.get");
	add(p, "format", "xml");
	add(p, "fields", "nick");
	add(p, "app_key", "test");
}

static void test_top_md5(void **state)
{
	struct sync_params p;
	char sig[SYNC_SIGN_MAX];
	char *s = NULL;
	size_t len;

	(void)state;
	top_params(&p, "md5");
	assert_int_equal(sync_params_sign_string(&p, "test", "test", &s, &len,
						 NULL), WH_OK);
	assert_string_equal(s, "testapp_keytestfieldsnickformatxmlmethod"
			    "taobao.user.seller.getsessiontestsign_methodmd5"
			    "timestamp2013-05-06 13:52:03v2.0test");
	assert_int_equal(len, strlen(s));
	sync_params_wipe_free(s, len);
	assert_int_equal(sync_sign_top(&p, "test", SYNC_SIGN_MD5, sig, NULL),
			 WH_OK);
	assert_string_equal(sig, "72CB4D809B375A54502C09360D879C64");
	/* sign and empty values are not signed. */
	add(&p, "sign", "DEADBEEF");
	add(&p, "partner_id", "");
	assert_int_equal(sync_sign_top(&p, "test", SYNC_SIGN_MD5, sig, NULL),
			 WH_OK);
	assert_string_equal(sig, "72CB4D809B375A54502C09360D879C64");
	/* The input order is untouched. */
	assert_string_equal(p.v[0].key, "v");
	sync_params_free(&p);
}

static void test_top_hmac_sha256(void **state)
{
	struct sync_params p;
	char sig[SYNC_SIGN_MAX];

	(void)state;
	top_params(&p, "hmac-sha256");
	assert_int_equal(sync_sign_top(&p, "test", SYNC_SIGN_HMAC_SHA256, sig,
				       NULL), WH_OK);
	assert_string_equal(sig, "267B9C1C7A2FE1CE413DBB95E596616D"
			    "32107AE0992BE2C22143CFCE303E8E34");
	sync_params_free(&p);
}

static void test_top_hmac_md5(void **state)
{
	struct sync_params p;
	char sig[SYNC_SIGN_MAX];

	(void)state;
	/* RFC 2104 test case 2: key "Jefe", data "what do ya want ..." */
	sync_params_init(&p);
	add(&p, "what do ya want ", "for nothing?");
	assert_int_equal(sync_sign_top(&p, "Jefe", SYNC_SIGN_HMAC_MD5, sig,
				       NULL), WH_OK);
	assert_string_equal(sig, "750C783E6AB0B503EAA86E310A5DB738");
	sync_params_free(&p);
}

static void test_sign_method_parse(void **state)
{
	enum sync_sign_method m;
	struct wh_error e;

	(void)state;
	assert_int_equal(sync_sign_method_parse("md5", &m, NULL), WH_OK);
	assert_int_equal(m, SYNC_SIGN_MD5);
	assert_int_equal(sync_sign_method_parse("hmac", &m, NULL), WH_OK);
	assert_int_equal(m, SYNC_SIGN_HMAC_MD5);
	assert_int_equal(sync_sign_method_parse("hmac-sha256", &m, NULL),
			 WH_OK);
	assert_int_equal(m, SYNC_SIGN_HMAC_SHA256);
	assert_int_equal(sync_sign_method_parse("sha1", &m, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "sign_method"));
	assert_int_equal(sync_sign_method_parse(NULL, &m, NULL),
			 WH_ERR_INVALID);
}

static void test_jd(void **state)
{
	struct sync_params p;
	char sig[SYNC_SIGN_MAX];

	(void)state;
	sync_params_init(&p);
	add(&p, "method", "jingdong.pop.order.search");
	add(&p, "app_key", "testkey");
	add(&p, "access_token", "testtoken");
	add(&p, "timestamp", "2024-01-01 12:00:00.000+0800");
	add(&p, "v", "2.0");
	add(&p, "360buy_param_json",
	    "{\"start_date\":\"2024-01-01 00:00:00\","
	    "\"end_date\":\"2024-01-01 00:30:00\","
	    "\"order_state\":\"WAIT_SELLER_STOCK_OUT\","
	    "\"optional_fields\":\"orderId,orderState,modified\","
	    "\"page\":\"1\",\"page_size\":\"100\",\"dateType\":\"0\"}");
	assert_int_equal(sync_sign_jd(&p, "testsecret", sig, NULL), WH_OK);
	assert_string_equal(sig, "C010608E628A2120BC358FA1973AA896");
	sync_params_free(&p);
}

static void test_pdd(void **state)
{
	struct sync_params p;
	char sig[SYNC_SIGN_MAX];

	(void)state;
	sync_params_init(&p);
	add(&p, "type", "pdd.order.number.list.increment.get");
	add(&p, "client_id", "testclient");
	add(&p, "access_token", "testtoken");
	assert_int_equal(sync_params_add_int(&p, "timestamp", 1704081600,
					     NULL), WH_OK);
	add(&p, "data_type", "JSON");
	add(&p, "version", "V1");
	add(&p, "is_lucky_flag", "0");
	add(&p, "order_status", "5");
	add(&p, "refund_status", "5");
	add(&p, "start_updated_at", "1704079800");
	add(&p, "end_updated_at", "1704081600");
	add(&p, "page", "1");
	add(&p, "page_size", "100");
	add(&p, "use_has_next", "true");
	assert_int_equal(sync_sign_pdd(&p, "testsecret", sig, NULL), WH_OK);
	assert_string_equal(sig, "5C3E65B77D0CFA5B15178B18331BD654");
	sync_params_free(&p);
}

static void test_douyin(void **state)
{
	json_t *pj;
	char *canon = NULL;
	char sig[SYNC_SIGN_MAX];
	struct wh_error e;

	(void)state;
	/* Built out of order: the canonical form sorts it. */
	pj = json_pack("{s:i,s:i,s:i,s:i}", "update_time_start", 1704079800,
		       "size", 100, "page", 0, "update_time_end", 1704081600);
	assert_non_null(pj);
	assert_int_equal(sync_json_canonical(pj, &canon, NULL), WH_OK);
	assert_string_equal(canon, "{\"page\":0,\"size\":100,"
			    "\"update_time_end\":1704081600,"
			    "\"update_time_start\":1704079800}");
	assert_int_equal(sync_sign_douyin("testkey", "order.searchList", canon,
					  "1704081600", "2", "testsecret",
					  SYNC_SIGN_HMAC_SHA256, sig, NULL),
			 WH_OK);
	assert_string_equal(sig, "c7ec060a5ff252cc42a5325534669e6c"
			    "fde52496d559b52d653c6d7029392a7a");
	assert_int_equal(sync_sign_douyin("testkey", "order.searchList", canon,
					  "1704081600", "2", "testsecret",
					  SYNC_SIGN_MD5, sig, NULL), WH_OK);
	assert_string_equal(sig, "2a0522d9895bd80a1c08896d7174102f");
	assert_int_equal(sync_sign_douyin("testkey", "order.searchList", canon,
					  "1704081600", "2", "testsecret",
					  SYNC_SIGN_HMAC_MD5, sig, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_sign_douyin("testkey", "order.searchList", NULL,
					  "1704081600", "2", "testsecret",
					  SYNC_SIGN_MD5, sig, &e),
			 WH_ERR_INVALID);
	assert_null(strstr(e.msg, "testsecret"));
	free(canon);
	json_decref(pj);
}

static void test_canonical_utf8(void **state)
{
	json_t *v;
	char *s = NULL;

	(void)state;
	v = json_loads("{\"b\":{\"z\":1,\"a\":\"上海/浦东\"},"
		       "\"a\":[true,null]}", 0, NULL);
	assert_non_null(v);
	assert_int_equal(sync_json_canonical(v, &s, NULL), WH_OK);
	assert_string_equal(s, "{\"a\":[true,null],"
			    "\"b\":{\"a\":\"上海/浦东\",\"z\":1}}");
	free(s);
	json_decref(v);
	assert_int_equal(sync_json_canonical(NULL, &s, NULL), WH_ERR_INVALID);
}

static void test_shopify(void **state)
{
	char sig[SYNC_SIGN_MAX];
	const char *body = "{\"id\":1}";

	(void)state;
	assert_int_equal(sync_shopify_webhook_hmac(body, strlen(body),
						   "testsecret", sig, NULL),
			 WH_OK);
	assert_string_equal(sig,
			    "CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs=");
	assert_true(sync_shopify_webhook_verify(body, strlen(body),
		"testsecret", "CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs="));
	/* One character off, wrong secret, wrong body, truncated, NULL. */
	assert_false(sync_shopify_webhook_verify(body, strlen(body),
		"testsecret", "DeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs="));
	assert_false(sync_shopify_webhook_verify(body, strlen(body),
		"testsecreT", "CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs="));
	assert_false(sync_shopify_webhook_verify("{\"id\":2}", 8,
		"testsecret", "CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs="));
	assert_false(sync_shopify_webhook_verify(body, strlen(body),
		"testsecret", "CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs"));
	assert_false(sync_shopify_webhook_verify(body, strlen(body),
		"testsecret", ""));
	assert_false(sync_shopify_webhook_verify(body, strlen(body),
		"testsecret", NULL));
	assert_false(sync_shopify_webhook_verify(body, strlen(body), "",
		"CeaZh0UP7C5RT1RYCZ8IffwW93BXlOaUdOo6iHRnsvs="));
}

static void test_woo(void **state)
{
	char *h = NULL;
	struct wh_error e;

	(void)state;
	assert_int_equal(sync_woo_basic_auth("ck_abc", "cs_def", &h, NULL),
			 WH_OK);
	/* base64("ck_abc:cs_def") */
	assert_string_equal(h, "Basic Y2tfYWJjOmNzX2RlZg==");
	free(h);
	assert_int_equal(sync_woo_basic_auth("ck:x", "cs_supersecret", &h, &e),
			 WH_ERR_INVALID);
	assert_null(h);
	assert_null(strstr(e.msg, "supersecret"));
	assert_int_equal(sync_woo_basic_auth("ck", "cs\r\nX: y", &h, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_woo_basic_auth("", "cs", &h, &e),
			 WH_ERR_INVALID);
	assert_int_equal(sync_woo_basic_auth("ck", NULL, &h, &e),
			 WH_ERR_INVALID);
}

static void test_amazon_lwa(void **state)
{
	char *b = NULL;
	struct wh_error e;

	(void)state;
	assert_int_equal(sync_amazon_lwa_refresh_body("Atzr|IwEB+x/y=",
		"amzn1.application-oa2-client.abc", "s3cr&t=~", &b, NULL),
		WH_OK);
	assert_string_equal(b, "grant_type=refresh_token"
			    "&refresh_token=Atzr%7CIwEB%2Bx%2Fy%3D"
			    "&client_id=amzn1.application-oa2-client.abc"
			    "&client_secret=s3cr%26t%3D~");
	free(b);
	assert_int_equal(sync_amazon_lwa_refresh_body("tok", "id", "", &b, &e),
			 WH_ERR_INVALID);
	assert_null(b);
	assert_non_null(strstr(e.msg, "client secret"));
}

static void test_percent_encode(void **state)
{
	char *s = NULL;

	(void)state;
	assert_int_equal(sync_percent_encode("a b\xe4\xb8\x8a", 6, &s, NULL),
			 WH_OK);
	assert_string_equal(s, "a%20b%E4%B8%8A");
	free(s);
	assert_int_equal(sync_percent_encode("", 0, &s, NULL), WH_OK);
	assert_string_equal(s, "");
	free(s);
}

static void test_params(void **state)
{
	struct sync_params p;
	struct wh_error e;
	char sig[SYNC_SIGN_MAX];

	(void)state;
	sync_params_init(&p);
	assert_int_equal(sync_params_add(&p, "", "x", &e), WH_ERR_INVALID);
	assert_int_equal(sync_params_add(&p, NULL, "x", &e), WH_ERR_INVALID);
	for (int i = 0; i < 40; i++)
		assert_int_equal(sync_params_add_int(&p, i % 2 ? "b" : "a", i,
						     NULL), WH_OK);
	add(&p, "n", NULL);
	assert_string_equal(sync_params_get(&p, "n"), "");
	assert_null(sync_params_get(&p, "zz"));
	sync_params_sort(&p);
	/* Stable: the a's keep 0, 2, 4 ... */
	assert_string_equal(p.v[0].key, "a");
	assert_string_equal(p.v[0].value, "0");
	assert_string_equal(p.v[1].value, "2");
	assert_string_equal(p.v[20].key, "b");
	assert_string_equal(p.v[20].value, "1");
	assert_string_equal(p.v[40].key, "n");
	assert_int_equal(sync_sign_top(&p, "", SYNC_SIGN_MD5, sig, &e),
			 WH_ERR_INVALID);
	sync_params_free(&p);
	assert_int_equal(p.n, 0);
	sync_params_free(&p);
	sync_params_free(NULL);
	/* An empty list still signs: MD5("ss"). */
	assert_int_equal(sync_sign_pdd(&p, "s", sig, NULL), WH_OK);
	assert_string_equal(sig, "3691308F2A4C2F6983F2880D32E29C84");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_md5),
		cmocka_unit_test(test_top_hmac_sha256),
		cmocka_unit_test(test_top_hmac_md5),
		cmocka_unit_test(test_sign_method_parse),
		cmocka_unit_test(test_jd),
		cmocka_unit_test(test_pdd),
		cmocka_unit_test(test_douyin),
		cmocka_unit_test(test_canonical_utf8),
		cmocka_unit_test(test_shopify),
		cmocka_unit_test(test_woo),
		cmocka_unit_test(test_amazon_lwa),
		cmocka_unit_test(test_percent_encode),
		cmocka_unit_test(test_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
