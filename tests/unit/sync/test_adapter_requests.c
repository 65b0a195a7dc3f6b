/*
 * test_adapter_requests.c - the adapters' request builders against the
 * reference (reference/platforms.md): endpoints, system parameters,
 * signatures, time formats, paging parameters. No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sync/sign.h"
#include "sync/sync_adapter.h"

static void shop_init(struct sync_shop *s, enum sync_platform p,
		      const char *code)
{
	struct wh_error e;
	char ref[64];
	size_t i;

	memset(s, 0, sizeof(*s));
	s->platform = p;
	snprintf(s->code, sizeof(s->code), "%s", code);
	s->base_url = strdup("http://127.0.0.1:9/X");
	snprintf(ref, sizeof(ref), "demo:%s", code);
	for (i = 5; ref[i]; i++)
		if (ref[i] >= 'A' && ref[i] <= 'Z')
			ref[i] = (char)(ref[i] - 'A' + 'a');
	assert_int_equal(sync_creds_load(s, ref, &e), WH_OK);
}

/* The value of key in a form body (not decoded: tests use plain text). */
static const char *form_get(const char *body, const char *key, char *buf,
			    size_t n)
{
	size_t k = strlen(key);
	const char *p = body;

	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len > k && !strncmp(p, key, k) && p[k] == '=') {
			snprintf(buf, n, "%.*s", (int)(len - k - 1), p + k + 1);
			return buf;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

static void test_top_request(void **state)
{
	struct sync_shop s;
	struct sync_params app, check;
	struct sync_http_req r;
	struct wh_error e;
	char v[128], sign[SYNC_SIGN_MAX];

	(void)state;
	shop_init(&s, SYNC_PLATFORM_TOP, "TB-FLAGSHIP");
	sync_params_init(&app);
	sync_params_add(&app, "tid", "42", &e);
	/* 2024-01-01 00:00:00 UTC is 08:00:00 in Beijing. */
	assert_int_equal(sync_top_request(&s, "taobao.trade.fullinfo.get",
					  &app, 1704067200, &r, &e), WH_OK);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.url, "http://127.0.0.1:9/X/router/rest");
	assert_non_null(form_get(r.body, "timestamp", v, sizeof(v)));
	assert_string_equal(v, "2024-01-01%2008%3A00%3A00");
	assert_string_equal(form_get(r.body, "v", v, sizeof(v)), "2.0");
	assert_string_equal(form_get(r.body, "format", v, sizeof(v)), "json");
	assert_string_equal(form_get(r.body, "sign_method", v, sizeof(v)),
			    "md5");
	assert_string_equal(form_get(r.body, "session", v, sizeof(v)),
			    "demo-token-tb-flagship");
	/* The sign is the reference md5 over exactly what was sent. */
	sync_params_init(&check);
	sync_params_add(&check, "method", "taobao.trade.fullinfo.get", &e);
	sync_params_add(&check, "app_key", "demo-tb-flagship", &e);
	sync_params_add(&check, "session", "demo-token-tb-flagship", &e);
	sync_params_add(&check, "timestamp", "2024-01-01 08:00:00", &e);
	sync_params_add(&check, "v", "2.0", &e);
	sync_params_add(&check, "sign_method", "md5", &e);
	sync_params_add(&check, "format", "json", &e);
	sync_params_add(&check, "tid", "42", &e);
	assert_int_equal(sync_sign_top(&check, "demo-secret-tb-flagship",
				       SYNC_SIGN_MD5, sign, &e), WH_OK);
	assert_string_equal(form_get(r.body, "sign", v, sizeof(v)), sign);
	sync_params_free(&check);
	sync_params_free(&app);
	sync_http_req_free(&r);
	sync_shop_free(&s);
}

static void test_pdd_request(void **state)
{
	struct sync_shop s;
	struct sync_params app;
	struct sync_http_req r;
	struct wh_error e;
	char v[128];

	(void)state;
	shop_init(&s, SYNC_PLATFORM_PDD, "PDD-MAIN");
	sync_params_init(&app);
	sync_params_add_int(&app, "start_updated_at", 1704079800, &e);
	sync_params_add_int(&app, "end_updated_at", 1704081600, &e);
	assert_int_equal(sync_pdd_request(&s, "pdd.order.number.list."
					  "increment.get", &app, 1704081600,
					  &r, &e), WH_OK);
	assert_string_equal(r.url, "http://127.0.0.1:9/X/api/router");
	assert_string_equal(form_get(r.body, "timestamp", v, sizeof(v)),
			    "1704081600");
	assert_string_equal(form_get(r.body, "client_id", v, sizeof(v)),
			    "demo-pdd-main");
	assert_string_equal(form_get(r.body, "data_type", v, sizeof(v)),
			    "JSON");
	assert_int_equal(strlen(form_get(r.body, "sign", v, sizeof(v))), 32);
	sync_params_free(&app);
	sync_http_req_free(&r);
	sync_shop_free(&s);
}

static void test_douyin_request(void **state)
{
	struct sync_shop s;
	struct sync_http_req r;
	struct wh_error e;
	json_t *p = json_pack("{s:i,s:i,s:I,s:I}", "page", 0, "size", 100,
			      "update_time_end", (json_int_t)1704081600,
			      "update_time_start", (json_int_t)1704079800);
	char sign[SYNC_SIGN_MAX], want[256];

	(void)state;
	shop_init(&s, SYNC_PLATFORM_DOUYIN, "DY-LIVE");
	assert_int_equal(sync_douyin_request(&s, "order.searchList", p,
					     1704081600, true, &r, &e), WH_OK);
	/* Canonical param_json is the body, exactly what is signed. */
	assert_string_equal(r.body, "{\"page\":0,\"size\":100,"
			    "\"update_time_end\":1704081600,"
			    "\"update_time_start\":1704079800}");
	assert_int_equal(sync_sign_douyin("demo-dy-live", "order.searchList",
					  r.body, "1704081600", "2",
					  "demo-secret-dy-live",
					  SYNC_SIGN_HMAC_SHA256, sign, &e),
			 WH_OK);
	snprintf(want, sizeof(want), "http://127.0.0.1:9/X/order/searchList?"
		 "app_key=demo-dy-live&method=order.searchList&access_token="
		 "demo-token-dy-live&timestamp=1704081600&v=2&sign_method="
		 "hmac-sha256&sign=%s", sign);
	assert_string_equal(r.url, want);
	json_decref(p);
	sync_http_req_free(&r);
	sync_shop_free(&s);
}

static void test_amazon_request(void **state)
{
	struct sync_shop s;
	struct sync_http_req r;
	struct wh_error e;
	struct sync_window w = { 1704067200, 1704070800 };

	(void)state;
	shop_init(&s, SYNC_PLATFORM_AMAZON, "AMZ-US");
	assert_int_equal(sync_amazon_orders_request(&s, &w, NULL, &r, &e),
			 WH_OK);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.url, "http://127.0.0.1:9/X/orders/v0/orders?"
			    "MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter="
			    "2024-01-01T00%3A00%3A00Z&LastUpdatedBefore="
			    "2024-01-01T01%3A00%3A00Z&MaxResultsPerPage=100");
	assert_int_equal(r.nheaders, 2);
	assert_string_equal(r.headers[0], "x-amz-access-token: "
			    "demo-token-amz-us");
	sync_http_req_free(&r);
	/* With NextToken the other filters are not sent. */
	assert_int_equal(sync_amazon_orders_request(&s, &w, "abc=", &r, &e),
			 WH_OK);
	assert_string_equal(r.url, "http://127.0.0.1:9/X/orders/v0/orders?"
			    "MarketplaceIds=ATVPDKIKX0DER&NextToken=abc%3D");
	sync_http_req_free(&r);
	sync_shop_free(&s);
}

static void test_shopify_paging(void **state)
{
	struct sync_shop s;
	struct sync_http_req r;
	struct wh_error e;
	struct sync_window w = { 1704067200, 1704070800 };
	char *next;

	(void)state;
	shop_init(&s, SYNC_PLATFORM_SHOPIFY, "SHOPIFY");
	next = sync_link_next("<http://127.0.0.1:9/X/admin/api/2024-01/"
			      "orders.json?limit=250&page_info=p0>; rel=\""
			      "previous\", <http://127.0.0.1:9/X/admin/api/"
			      "2024-01/orders.json?limit=250&page_info=p2>; "
			      "rel=\"next\"");
	assert_string_equal(next, "http://127.0.0.1:9/X/admin/api/2024-01/"
			    "orders.json?limit=250&page_info=p2");
	assert_int_equal(sync_shopify_orders_request(&s, &w, next, &r, &e),
			 WH_OK);
	assert_string_equal(r.url, next);
	assert_string_equal(r.headers[0], "X-Shopify-Access-Token: "
			    "shpat_demo_shopify");
	sync_http_req_free(&r);
	free(next);
	assert_null(sync_link_next("<http://a/b>; rel=\"previous\""));
	/* A Link to another host is never followed with our token. */
	assert_int_equal(sync_shopify_orders_request(
				 &s, &w, "http://evil.example/X/admin", &r, &e),
			 WH_ERR_REFUSED);
	sync_shop_free(&s);
}

static void test_woo_request(void **state)
{
	struct sync_shop s;
	struct sync_http_req r;
	struct wh_error e;
	struct sync_window w = { 1704067200, 1704070800 };

	(void)state;
	shop_init(&s, SYNC_PLATFORM_WOO, "WOO-EU");
	assert_int_equal(sync_woo_orders_request(&s, &w, 3, &r, &e), WH_OK);
	assert_string_equal(r.url, "http://127.0.0.1:9/X/wp-json/wc/v3/orders?"
			    "modified_after=2024-01-01T00%3A00%3A00&"
			    "modified_before=2024-01-01T01%3A00%3A00&"
			    "dates_are_gmt=true&orderby=modified&order=desc&"
			    "per_page=100&page=3");
	/* base64("ck_demo_woo_eu:cs_demo_woo_eu") */
	assert_string_equal(r.headers[0], "Authorization: Basic "
			    "Y2tfZGVtb193b29fZXU6Y3NfZGVtb193b29fZXU=");
	sync_http_req_free(&r);
	sync_shop_free(&s);
}

static void test_creds_refs(void **state)
{
	struct sync_shop s;
	struct wh_error e;

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(s.code, sizeof(s.code), "X");
	assert_int_equal(sync_creds_load(&s, "plain-secret", &e),
			 WH_ERR_INVALID);
	/* The message never repeats the reference. */
	assert_null(strstr(e.msg, "plain-secret"));
	assert_int_equal(sync_creds_load(&s, "file:/nonexistent/x.json", &e),
			 WH_ERR_IO);
	/* A world-readable file is refused. */
	assert_int_equal(sync_creds_load(&s, "file:/etc/hostname", &e),
			 WH_ERR_PERM);
	sync_shop_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_request),
		cmocka_unit_test(test_pdd_request),
		cmocka_unit_test(test_douyin_request),
		cmocka_unit_test(test_amazon_request),
		cmocka_unit_test(test_shopify_paging),
		cmocka_unit_test(test_woo_request),
		cmocka_unit_test(test_creds_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
