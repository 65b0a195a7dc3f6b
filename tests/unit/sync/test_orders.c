/* Order parsers: a realistic payload per platform, error envelopes, and
 * hostile payloads that must give clear errors or sanitised values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync/order.h"
#include "sync/untrusted.h"

static char *load(const char *name, size_t *len)
{
	const char *dir = getenv("WHARF_TEST_DATA");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/unit/sync/data/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void parse_file(enum sync_platform p, const char *name,
		       struct sync_order_list *l)
{
	struct wh_error e;
	size_t len;
	char *s = load(name, &len);

	sync_order_list_init(l);
	wh_error_clear(&e);
	if (sync_parse_orders(p, s, len, l, &e) != WH_OK)
		fail_msg("%s: %s", name, e.msg);
	free(s);
}

static enum wh_err parse_str(enum sync_platform p, const char *s,
			     struct sync_order_list *l, struct wh_error *e)
{
	sync_order_list_init(l);
	wh_error_clear(e);
	return sync_parse_orders(p, s, strlen(s), l, e);
}

static void test_top(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;

	(void)state;
	parse_file(SYNC_PLATFORM_TOP, "top_increment.json", &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.total, 2);
	assert_false(l.has_next);
	assert_int_equal(l.nerrors, 0);
	o = &l.v[0];
	assert_int_equal(o->platform, SYNC_PLATFORM_TOP);
	assert_string_equal(o->order_id, "3958726401234567890");
	assert_string_equal(o->status_raw, "status=WAIT_SELLER_SEND_GOODS");
	/* Line 2 has refund WAIT_SELLER_AGREE: hold the whole order. */
	assert_int_equal(o->state, SYNC_STATE_REFUND_REQUESTED);
	assert_int_equal(o->modified_at, 1704081600); /* 12:00 GMT+8 */
	assert_int_equal(o->created_at, 1704081600 - 118);
	assert_int_equal(o->paid_at, 1704081600 - 50);
	assert_string_equal(o->receiver_name, "张*");
	assert_string_equal(o->phone, "138****5678");
	assert_string_equal(o->province, "浙江省");
	assert_string_equal(o->city, "杭州市");
	assert_string_equal(o->district, "西湖区");
	assert_string_equal(o->address, "文一西路***号");
	assert_string_equal(o->zip, "310000");
	assert_string_equal(o->remark, "请尽快发货，谢谢");
	assert_string_equal(o->currency, "CNY");
	assert_int_equal(o->total, 20007);
	assert_int_equal(o->shipping_fee, 1000);
	assert_int_equal(o->discount, 1993);
	assert_int_equal(o->nlines, 2);
	assert_string_equal(o->lines[0].line_id, "3958726401234567891");
	assert_string_equal(o->lines[0].sku_code, "TEE-RED-M");
	assert_string_equal(o->lines[0].platform_sku_id, "5012345678901");
	assert_string_equal(o->lines[0].product_id, "681234567890");
	assert_int_equal(o->lines[0].qty, 2);
	assert_int_equal(o->lines[0].unit_price, 5990);
	assert_int_equal(o->lines[0].line_total, 11007);
	assert_int_equal(o->lines[0].refund, SYNC_REFUND_NONE);
	/* No SKU: the item's outer_iid is the code; oid as a number. */
	assert_string_equal(o->lines[1].line_id, "3958726401234567892");
	assert_string_equal(o->lines[1].sku_code, "CAP-01");
	assert_int_equal(o->lines[1].refund, SYNC_REFUND_REQUESTED);
	assert_string_equal(o->lines[1].refund_raw, "WAIT_SELLER_AGREE");
	assert_int_equal(l.v[1].state, SYNC_STATE_CANCELLED);
	assert_null(l.v[1].receiver_name);
	sync_order_list_free(&l);

	parse_file(SYNC_PLATFORM_TOP, "top_fullinfo.json", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].order_id, "1234567890123");
	assert_int_equal(l.v[0].state, SYNC_STATE_ON_HOLD);
	assert_int_equal(l.v[0].total, 9900);
	assert_int_equal(l.v[0].nlines, 1);
	assert_string_equal(l.v[0].lines[0].sku_code, "MUG-01");
	sync_order_list_free(&l);
}

static void test_jd(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;

	(void)state;
	parse_file(SYNC_PLATFORM_JD, "jd_search.json", &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total, 1);
	o = &l.v[0];
	assert_null(o->error);
	assert_string_equal(o->order_id, "285746381201");
	assert_int_equal(o->state, SYNC_STATE_READY_TO_SHIP);
	assert_int_equal(o->modified_at, 1704081600);
	assert_int_equal(o->paid_at, 1704081600 - 1125);
	assert_string_equal(o->receiver_name, "王**");
	assert_string_equal(o->phone, "150****1234");
	assert_string_equal(o->district, "朝阳区");
	assert_int_equal(o->total, 30650);
	assert_int_equal(o->shipping_fee, 600);
	assert_int_equal(o->discount, 1750);
	assert_int_equal(o->nlines, 2);
	assert_string_equal(o->lines[0].sku_code, "BOOK-978711");
	assert_string_equal(o->lines[0].platform_sku_id, "100012345678");
	assert_string_equal(o->lines[0].title, "C程序设计语言（第2版）");
	assert_int_equal(o->lines[0].qty, 2);
	assert_int_equal(o->lines[0].line_total, 19800);
	assert_int_equal(o->lines[1].qty, 12);
	assert_int_equal(o->lines[1].line_total, 12000);
	sync_order_list_free(&l);
}

static void test_pdd(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;

	(void)state;
	parse_file(SYNC_PLATFORM_PDD, "pdd_increment.json", &l);
	assert_int_equal(l.n, 2);
	assert_true(l.has_next);
	assert_int_equal(l.total, 2);
	o = &l.v[0];
	assert_null(o->error);
	assert_string_equal(o->order_id, "240101-123456789012345");
	assert_int_equal(o->state, SYNC_STATE_READY_TO_SHIP);
	assert_int_equal(o->modified_at, 1704081600);
	/* Yuan doubles, read from their text: 200.07 is 20007 exactly. */
	assert_int_equal(o->total, 20007);
	assert_int_equal(o->discount, 1483);
	assert_int_equal(o->shipping_fee, 500);
	assert_string_equal(o->receiver_name, "~AgAAAAEjZXJ~");
	assert_string_equal(o->address, "#AgAAAAEj#");
	assert_int_equal(o->nlines, 1);
	assert_string_equal(o->lines[0].platform_sku_id, "987654321012");
	assert_string_equal(o->lines[0].sku_code, "SOCK-5P");
	assert_int_equal(o->lines[0].unit_price, 3998);
	assert_int_equal(o->lines[0].line_total, 19990);
	/* Risk control: paid but do not ship; 1.0E2 yuan is 10000 fen. */
	assert_int_equal(l.v[1].state, SYNC_STATE_ON_HOLD);
	assert_int_equal(l.v[1].total, 10000);
	sync_order_list_free(&l);
}

static void test_douyin(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;

	(void)state;
	parse_file(SYNC_PLATFORM_DOUYIN, "douyin_search.json", &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.total, 3);
	assert_true(l.has_next); /* page 0 of size 2, total 3 */
	o = &l.v[0];
	assert_null(o->error);
	assert_string_equal(o->order_id, "6919876543210987654");
	/* Line 2 refund_status 1: the order is held. */
	assert_int_equal(o->state, SYNC_STATE_REFUND_REQUESTED);
	assert_int_equal(o->modified_at, 1704081600);
	assert_int_equal(o->total, 11900);
	assert_int_equal(o->discount, 1000);
	assert_string_equal(o->receiver_name, "赵**");
	assert_string_equal(o->receiver_name_cipher,
			    "#ZHAO#ciphertext*CgkIAh==#1##");
	assert_string_equal(o->province, "四川省");
	assert_string_equal(o->city, "成都市");
	assert_string_equal(o->district, "武侯区");
	assert_string_equal(o->address_cipher, "#addr#cipher*CgkIAh==#1##");
	assert_string_equal(o->remark, "不要发中通");
	assert_int_equal(o->nlines, 2);
	assert_string_equal(o->lines[0].line_id, "6919876543210987655");
	assert_string_equal(o->lines[0].sku_code, "HONEY-500G");
	assert_int_equal(o->lines[0].line_total, 6400);
	assert_int_equal(o->lines[0].unit_price, 6900);
	assert_int_equal(o->lines[0].refund, SYNC_REFUND_NONE);
	assert_int_equal(o->lines[1].refund, SYNC_REFUND_REQUESTED);
	assert_int_equal(o->lines[1].unit_price, 3000);
	assert_int_equal(l.v[1].state, SYNC_STATE_ON_HOLD); /* 105 */
	sync_order_list_free(&l);
}

static void test_amazon(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;
	struct wh_error e;
	char *next = NULL, *s;
	size_t len;

	(void)state;
	parse_file(SYNC_PLATFORM_AMAZON, "amazon_orders.json", &l);
	assert_int_equal(l.n, 2);
	assert_true(l.has_next);
	assert_string_equal(l.next_token, "2YgYW55IGNhcm5hbCBwbGVhcw==");
	o = &l.v[0];
	assert_string_equal(o->order_id, "902-3159896-1390916");
	assert_int_equal(o->state, SYNC_STATE_READY_TO_SHIP);
	assert_int_equal(o->modified_at, 1704081600);
	assert_string_equal(o->currency, "USD");
	assert_int_equal(o->total, 4598);
	assert_string_equal(o->address, "123 Main St, Apt 4");
	assert_string_equal(o->country, "US");
	assert_string_equal(o->buyer, "xyz@marketplace.amazon.com");
	assert_int_equal(l.v[1].state, SYNC_STATE_UNPAID);
	assert_string_equal(l.v[1].currency, "JPY");
	assert_int_equal(l.v[1].total, 1980);
	assert_int_equal(l.v[1].modified_at, 1704045600);

	s = load("amazon_items.json", &len);
	assert_int_equal(sync_parse_amazon_order_items(s, len, o, &next, &e),
			 WH_OK);
	free(s);
	assert_null(next);
	assert_int_equal(o->nlines, 1);
	assert_string_equal(o->lines[0].line_id, "68828574383266");
	assert_string_equal(o->lines[0].sku_code, "MUG-WHITE-11OZ");
	assert_string_equal(o->lines[0].platform_sku_id, "B00EXAMPLE");
	assert_int_equal(o->lines[0].qty, 2);
	assert_int_equal(o->lines[0].line_total, 4598);
	assert_int_equal(o->lines[0].unit_price, 2299);
	/* Items in another currency mark the order, not the payload. */
	s = "{\"payload\":{\"OrderItems\":[{\"OrderItemId\":\"1\","
	    "\"QuantityOrdered\":1,\"ItemPrice\":{\"CurrencyCode\":\"EUR\","
	    "\"Amount\":\"1.00\"}}],\"NextToken\":\"abc\"}}";
	assert_int_equal(sync_parse_amazon_order_items(s, strlen(s), o, &next,
						       &e), WH_OK);
	assert_string_equal(next, "abc");
	free(next);
	assert_non_null(o->error);
	assert_non_null(strstr(o->error, "differs"));
	assert_int_equal(o->state, SYNC_STATE_UNKNOWN);
	sync_order_list_free(&l);

	/* A buyer's cancellation request, on the order or on an item,
	 * holds an unshipped order (wharf intercepts it). */
	s = "{\"payload\":{\"Orders\":[{\"AmazonOrderId\":\"1\","
	    "\"OrderStatus\":\"Unshipped\",\"BuyerRequestedCancel\":{"
	    "\"IsBuyerRequestedCancel\":\"true\",\"BuyerCancelReason\":"
	    "\"x\"}},{\"AmazonOrderId\":\"2\",\"OrderStatus\":"
	    "\"Unshipped\",\"BuyerRequestedCancel\":{"
	    "\"IsBuyerRequestedCancel\":\"false\"}}]}}";
	sync_order_list_init(&l);
	assert_int_equal(sync_parse_amazon_orders(s, strlen(s), &l, &e),
			 WH_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].state, SYNC_STATE_REFUND_REQUESTED);
	assert_int_equal(l.v[1].state, SYNC_STATE_READY_TO_SHIP);
	s = "{\"payload\":{\"OrderItems\":[{\"OrderItemId\":\"1\","
	    "\"QuantityOrdered\":1},{\"OrderItemId\":\"2\","
	    "\"QuantityOrdered\":1,\"BuyerRequestedCancel\":{"
	    "\"IsBuyerRequestedCancel\":\"true\"}}]}}";
	assert_int_equal(sync_parse_amazon_order_items(s, strlen(s), &l.v[1],
						       &next, &e), WH_OK);
	assert_int_equal(l.v[1].lines[0].refund, SYNC_REFUND_NONE);
	assert_int_equal(l.v[1].lines[1].refund, SYNC_REFUND_REQUESTED);
	assert_int_equal(l.v[1].state, SYNC_STATE_REFUND_REQUESTED);
	sync_order_list_free(&l);
}

static void test_shopify(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;

	(void)state;
	parse_file(SYNC_PLATFORM_SHOPIFY, "shopify_orders.json", &l);
	assert_int_equal(l.n, 2);
	o = &l.v[0];
	assert_string_equal(o->order_id, "5678901234567");
	assert_string_equal(o->order_name, "#1001");
	assert_int_equal(o->state, SYNC_STATE_READY_TO_SHIP);
	assert_int_equal(o->modified_at, 1704110400); /* 12:00Z */
	assert_string_equal(o->currency, "EUR");
	assert_int_equal(o->total, 6180);
	assert_int_equal(o->shipping_fee, 490);
	assert_int_equal(o->discount, 500);
	assert_string_equal(o->receiver_name, "Max Müller");
	assert_string_equal(o->address, "Hauptstraße 1");
	assert_string_equal(o->country, "DE");
	assert_int_equal(o->nlines, 1);
	assert_string_equal(o->lines[0].sku_code, "SHIRT-BLU-L");
	assert_string_equal(o->lines[0].platform_sku_id, "40000000001");
	assert_int_equal(o->lines[0].unit_price, 3095);
	assert_int_equal(o->lines[0].line_total, 5690);
	assert_int_equal(l.v[1].state, SYNC_STATE_CANCELLED);
	assert_int_equal(l.v[1].nlines, 0);
	sync_order_list_free(&l);
}

static void test_woo(void **state)
{
	struct sync_order_list l;
	struct sync_order *o;

	(void)state;
	parse_file(SYNC_PLATFORM_WOO, "woo_orders.json", &l);
	assert_int_equal(l.n, 1);
	o = &l.v[0];
	assert_null(o->error);
	assert_string_equal(o->order_id, "727");
	assert_int_equal(o->state, SYNC_STATE_READY_TO_SHIP);
	assert_int_equal(o->created_at, 1704110400);
	assert_int_equal(o->paid_at, 1704110405);
	assert_int_equal(o->total, 2935);
	assert_int_equal(o->shipping_fee, 1000);
	assert_string_equal(o->receiver_name, "John Doe");
	assert_string_equal(o->address, "969 Market");
	assert_string_equal(o->buyer, "john.doe@example.com");
	assert_string_equal(o->phone, "(555) 555-5555");
	assert_int_equal(o->nlines, 2);
	assert_string_equal(o->lines[0].sku_code, "");
	assert_string_equal(o->lines[0].platform_sku_id, "93");
	assert_int_equal(o->lines[0].unit_price, 300);
	assert_string_equal(o->lines[1].platform_sku_id, "23");
	assert_int_equal(o->lines[1].line_total, 1335);
	assert_int_equal(o->lines[1].unit_price, 445);
	sync_order_list_free(&l);
}

struct env_row {
	enum sync_platform p;
	long http;
	const char *body;
	enum sync_api_status want;
	enum wh_err parse_rc; /* from the order parser (http ignored) */
};

static void test_envelopes(void **state)
{
	static const struct env_row rows[] = {
		{ SYNC_PLATFORM_TOP, 200,
		  "{\"error_response\":{\"code\":7,"
		  "\"msg\":\"App Call Limited\","
		  "\"sub_code\":\"accesscontrol.limited-by-api-access-count\","
		  "\"sub_msg\":\"This ban will last for 1 more seconds\"}}",
		  SYNC_API_RATE_LIMITED, WH_ERR_RETRY },
		{ SYNC_PLATFORM_TOP, 200,
		  "{\"error_response\":{\"code\":25,\"msg\":\"Invalid "
		  "Signature\"}}", SYNC_API_BAD_SIGNATURE, WH_ERR_PERM },
		{ SYNC_PLATFORM_TOP, 200,
		  "{\"error_response\":{\"code\":27,\"msg\":\"Invalid "
		  "Session\"}}", SYNC_API_AUTH, WH_ERR_PERM },
		{ SYNC_PLATFORM_TOP, 200,
		  "{\"error_response\":{\"code\":31,\"msg\":\"Invalid "
		  "Timestamp\"}}", SYNC_API_BAD_TIMESTAMP, WH_ERR_RETRY },
		{ SYNC_PLATFORM_TOP, 200,
		  "{\"error_response\":{\"code\":15,\"msg\":\"Remote service "
		  "error\",\"sub_code\":"
		  "\"isp.top-remote-connection-timeout\"}}",
		  SYNC_API_SERVER, WH_ERR_RETRY },
		{ SYNC_PLATFORM_TOP, 200,
		  "{\"error_response\":{\"code\":15,\"msg\":\"Remote service "
		  "error\",\"sub_code\":\"isv.invalid-parameter\"}}",
		  SYNC_API_OTHER, WH_ERR_REFUSED },
		{ SYNC_PLATFORM_JD, 200,
		  "{\"error_response\":{\"code\":\"19\",\"zh_desc\":"
		  "\"token已过期或者不存在\","
		  "\"en_desc\":\"Invalid access_token\"}}",
		  SYNC_API_AUTH, WH_ERR_PERM },
		{ SYNC_PLATFORM_JD, 200,
		  "{\"jingdong_pop_order_search_responce\":{\"code\":\"0\","
		  "\"searchorderinfo_result\":{\"apiResult\":{"
		  "\"success\":false,"
		  "\"chineseErrCode\":\"参数错误\",\"englishErrCode\":\"bad "
		  "param\",\"numberCode\":10100001}}}}",
		  SYNC_API_OTHER, WH_ERR_REFUSED },
		{ SYNC_PLATFORM_PDD, 200,
		  "{\"error_response\":{\"error_code\":52101,\"error_msg\":"
		  "\"接口调用频率超限\",\"sub_code\":\"\",\"sub_msg\":\"\"}}",
		  SYNC_API_RATE_LIMITED, WH_ERR_RETRY },
		{ SYNC_PLATFORM_PDD, 200,
		  "{\"error_response\":{\"error_code\":10019,\"error_msg\":"
		  "\"access_token已过期\"}}", SYNC_API_AUTH, WH_ERR_PERM },
		{ SYNC_PLATFORM_DOUYIN, 200,
		  "{\"code\":30001,\"msg\":\"签名校验失败\",\"sub_code\":"
		  "\"isv.sign-invalid\",\"data\":{}}",
		  SYNC_API_BAD_SIGNATURE, WH_ERR_PERM },
		{ SYNC_PLATFORM_AMAZON, 429,
		  "{\"errors\":[{\"code\":\"QuotaExceeded\",\"message\":\"You "
		  "exceeded your quota for the requested resource.\","
		  "\"details\":\"\"}]}", SYNC_API_RATE_LIMITED, WH_ERR_RETRY },
		{ SYNC_PLATFORM_AMAZON, 403,
		  "{\"errors\":[{\"code\":\"Unauthorized\",\"message\":"
		  "\"Access to requested resource is denied.\"}]}",
		  SYNC_API_AUTH, WH_ERR_PERM },
		{ SYNC_PLATFORM_SHOPIFY, 401,
		  "{\"errors\":\"[API] Invalid API key or access token "
		  "(unrecognized login or wrong password)\"}",
		  SYNC_API_AUTH, WH_ERR_PERM },
		{ SYNC_PLATFORM_SHOPIFY, 429,
		  "{\"errors\":\"Exceeded 2 calls per second for api client. "
		  "Reduce request rates to resume uninterrupted service.\"}",
		  SYNC_API_RATE_LIMITED, WH_ERR_RETRY },
		{ SYNC_PLATFORM_WOO, 401,
		  "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":"
		  "\"Sorry, you cannot list resources.\",\"data\":{\"status\":"
		  "401}}", SYNC_API_AUTH, WH_ERR_PERM },
		{ SYNC_PLATFORM_WOO, 401,
		  "{\"code\":\"woocommerce_rest_authentication_error\","
		  "\"message\":\"Invalid signature - provided signature does "
		  "not match.\",\"data\":{\"status\":401}}",
		  SYNC_API_BAD_SIGNATURE, WH_ERR_PERM },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sync_api_error ae;
		struct sync_order_list l;
		struct wh_error e;
		enum wh_err rc;

		if (sync_api_classify(rows[i].p, rows[i].http, rows[i].body,
				      strlen(rows[i].body), &ae) !=
		    rows[i].want)
			fail_msg("row %zu: %s", i,
				 sync_api_status_name(ae.status));
		assert_true(ae.code[0] != '\0');
		assert_true(ae.message[0] != '\0');
		rc = parse_str(rows[i].p, rows[i].body, &l, &e);
		if (rc != rows[i].parse_rc)
			fail_msg("row %zu: parse rc %d (%s)", i, rc, e.msg);
		assert_non_null(strstr(e.msg, "API error"));
		assert_int_equal(l.n, 0);
		sync_order_list_free(&l);
	}
}

static void test_classify_http(void **state)
{
	struct sync_api_error ae;

	(void)state;
	assert_int_equal(sync_api_classify(SYNC_PLATFORM_SHOPIFY, 503,
					   "<html>busy</html>", 17, &ae),
			 SYNC_API_SERVER);
	assert_string_equal(ae.code, "HTTP 503");
	assert_int_equal(sync_api_classify(SYNC_PLATFORM_WOO, 429, NULL, 0,
					   &ae), SYNC_API_RATE_LIMITED);
	assert_int_equal(sync_api_classify(SYNC_PLATFORM_PDD, 200,
					   "{\"order_sn_increment_get_"
					   "response\":{}}", 38, &ae),
			 SYNC_API_OK);
	assert_int_equal(sync_api_classify(SYNC_PLATFORM_DOUYIN, 200,
					   "{\"code\":10000,\"data\":{}}", 24,
					   &ae), SYNC_API_OK);
	assert_int_equal(sync_api_status_err(SYNC_API_OK), WH_OK);
	/* Clock skew passes: never a permanent refusal of an outbox row. */
	assert_int_equal(sync_api_status_err(SYNC_API_BAD_TIMESTAMP),
			 WH_ERR_RETRY);
}

/* Every parser on every kind of garbage: an error, never a crash. */
static void test_garbage(void **state)
{
	static const char *const bad[] = {
		"", "{", "[", "null", "42", "\"x\"", "{\"a\":}", "[1,2",
		"{\"trades_sold_get_response\":[]}",
		"{\"payload\":[]}", "{\"orders\":{}}", "{\"data\":[]}",
		"{\"order_sn_increment_get_response\":\"x\"}",
		"{\"jingdong_pop_order_search_responce\":{\"code\":\"0\","
		"\"searchorderinfo_result\":{\"orderInfoList\":{}}}}",
		"[1]", "[[]]", "[\"order\"]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int p = 0; p < SYNC_PLATFORM_COUNT; p++) {
			struct sync_order_list l;
			struct wh_error e;
			enum wh_err rc = parse_str(p, bad[i], &l, &e);

			/* "[]" style payloads may be an empty Woo page. */
			if (rc == WH_OK) {
				assert_int_equal(l.n, 0);
			} else {
				assert_true(strlen(e.msg) > 0);
			}
			sync_order_list_free(&l);
		}
	}
}

static void test_hostile_fields(void **state)
{
	struct sync_order_list l;
	struct wh_error e;
	const char *s;

	(void)state;
	/* Number where a string is expected: ids and codes take it. */
	s = "{\"trades_sold_get_response\":{\"trades\":{\"trade\":[{\"tid\":1,"
	    "\"status\":\"WAIT_SELLER_SEND_GOODS\",\"receiver_name\":7,"
	    "\"payment\":\"1.00\"}]}}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_TOP, s, &l, &e), WH_OK);
	assert_string_equal(l.v[0].receiver_name, "7");
	sync_order_list_free(&l);
	/* Array where a string is expected: the order is an exception. */
	s = "{\"trades_sold_get_response\":{\"trades\":{\"trade\":[{\"tid\":1,"
	    "\"status\":\"WAIT_SELLER_SEND_GOODS\",\"receiver_name\":[\"x\"]},"
	    "{\"tid\":2,\"status\":\"TRADE_FINISHED\"}]}}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_TOP, s, &l, &e), WH_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.nerrors, 1);
	assert_int_equal(l.v[0].state, SYNC_STATE_UNKNOWN);
	assert_string_equal(l.v[0].error, "trade 1: field \"receiver_name\": "
			    "expected a string, got an array");
	assert_null(l.v[1].error);
	assert_int_equal(l.v[1].state, SYNC_STATE_COMPLETED);
	sync_order_list_free(&l);
	/* Missing id sinks the payload with a clear message. */
	s = "{\"trades_sold_get_response\":{\"trades\":{\"trade\":[{"
	    "\"status\":\"WAIT_SELLER_SEND_GOODS\"}]}}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_TOP, s, &l, &e),
			 WH_ERR_INVALID);
	assert_string_equal(e.msg, "trade 0: field \"tid\" is missing");
	sync_order_list_free(&l);
	/* Missing status: exception, not dropped. */
	s = "[{\"id\":5,\"currency\":\"USD\"}]";
	assert_int_equal(parse_str(SYNC_PLATFORM_WOO, s, &l, &e), WH_OK);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0].error, "\"status\" is missing"));
	sync_order_list_free(&l);
	/* Unknown status: UNKNOWN state, no error, raw kept. */
	s = "[{\"id\":5,\"status\":\"trash\",\"currency\":\"USD\"}]";
	assert_int_equal(parse_str(SYNC_PLATFORM_WOO, s, &l, &e), WH_OK);
	assert_int_equal(l.v[0].state, SYNC_STATE_UNKNOWN);
	assert_string_equal(l.v[0].status_raw, "status=trash");
	sync_order_list_free(&l);
	/* Bad amount, bad time, bad quantity. */
	s = "{\"code\":10000,\"data\":{\"shop_order_list\":["
	    "{\"order_id\":\"1\",\"order_status\":2,\"pay_amount\":\"12.5\"},"
	    "{\"order_id\":\"2\",\"order_status\":2,\"update_time\":\"soon\"},"
	    "{\"order_id\":\"3\",\"order_status\":2,\"sku_order_list\":[{"
	    "\"order_id\":\"4\",\"item_num\":-1}]},"
	    "{\"order_id\":\"5\",\"order_status\":2,\"sku_order_list\":[{"
	    "\"order_id\":\"6\",\"item_num\":1,\"after_sale_info\":{"
	    "\"refund_status\":9}}]}]}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_DOUYIN, s, &l, &e), WH_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.nerrors, 4);
	assert_non_null(strstr(l.v[0].error, "more than 0 decimal places"));
	assert_non_null(strstr(l.v[1].error, "update_time"));
	assert_non_null(strstr(l.v[2].error, "quantity -1"));
	assert_non_null(strstr(l.v[3].error, "refund_status 9"));
	sync_order_list_free(&l);
	/* PDD amount with too many decimals in a JSON number. */
	s = "{\"order_sn_increment_get_response\":{\"order_sn_list\":[{"
	    "\"order_sn\":\"a\",\"order_status\":1,\"pay_amount\":0.1234}]}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_PDD, s, &l, &e), WH_OK);
	assert_non_null(strstr(l.v[0].error, "pay_amount"));
	sync_order_list_free(&l);
	/* Huge integer: kept as text for ids, refused for counts. */
	s = "{\"order_sn_increment_get_response\":{\"total_count\":"
	    "123456789012345678901234567890,\"order_sn_list\":[]}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_PDD, s, &l, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "total_count"));
	sync_order_list_free(&l);
	/* Overflowing line total. */
	s = "{\"jingdong_pop_order_search_responce\":{\"code\":\"0\","
	    "\"searchorderinfo_result\":{\"orderInfoList\":[{\"orderId\":1,"
	    "\"orderState\":\"WAIT_SELLER_STOCK_OUT\",\"itemInfoList\":[{"
	    "\"skuId\":1,\"itemTotal\":\"999999999999\",\"jdPrice\":"
	    "\"99999999999.00\"}]}]}}}";
	assert_int_equal(parse_str(SYNC_PLATFORM_JD, s, &l, &e), WH_OK);
	assert_non_null(strstr(l.v[0].error, "out of range"));
	sync_order_list_free(&l);
}

static void test_hostile_text(void **state)
{
	struct sync_order_list l;
	struct wh_error e;
	size_t n = 300000, off = 0;
	char *s, *big;

	(void)state;
	/* Escapes, controls, a NUL and 4-byte UTF-8 in names. */
	s = "[{\"id\":1,\"status\":\"processing\",\"currency\":\"USD\","
	    "\"shipping\":{\"first_name\":\"\\u001b]0;pwn\\u0007Bob"
	    "\\u001b[2J\",\"last_name\":\"\xf0\x9f\x98\x80\\ud83d\\ude00"
	    "\\u0000x\",\"city\":\"a\\r\\nb\\u202ec\"}}]";
	assert_int_equal(parse_str(SYNC_PLATFORM_WOO, s, &l, &e), WH_OK);
	assert_string_equal(l.v[0].receiver_name,
			    "Bob \xf0\x9f\x98\x80\xf0\x9f\x98\x80x");
	assert_string_equal(l.v[0].city, "a bc");
	sync_order_list_free(&l);
	/* Invalid UTF-8 bytes in the JSON text are refused by jansson. */
	s = "[{\"id\":1,\"status\":\"processing\",\"currency\":\"USD\","
	    "\"customer_note\":\"\xff\"}]";
	assert_int_equal(parse_str(SYNC_PLATFORM_WOO, s, &l, &e),
			 WH_ERR_INVALID);
	sync_order_list_free(&l);
	/* A raw NUL byte in the text. */
	sync_order_list_init(&l);
	assert_int_equal(sync_parse_woo_orders("[]\0[]", 5, &l, &e),
			 WH_ERR_INVALID);
	/* A huge remark and address are capped at a character boundary. */
	big = malloc(n + 6000);
	assert_non_null(big);
	off = (size_t)snprintf(big, 200, "[{\"id\":1,\"status\":\"processing\","
			       "\"currency\":\"USD\",\"customer_note\":\"");
	for (size_t i = 0; i < n / 3 - 100; i++, off += 3)
		memcpy(big + off, "中", 3);
	memcpy(big + off, "\",\"shipping\":{\"city\":\"", 22);
	off += 22;
	memset(big + off, 'c', 5000);
	off += 5000;
	memcpy(big + off, "\"}}]", 5);
	assert_int_equal(parse_str(SYNC_PLATFORM_WOO, big, &l, &e), WH_OK);
	assert_true(strlen(l.v[0].remark) <= UNTRUSTED_ADDRESS_MAX);
	assert_true(strlen(l.v[0].remark) > UNTRUSTED_ADDRESS_MAX - 3);
	assert_int_equal(strlen(l.v[0].remark) % 3, 0);
	assert_int_equal(strlen(l.v[0].city), UNTRUSTED_FIELD_MAX);
	sync_order_list_free(&l);
	free(big);
	/* Truncated payloads, byte by byte: never a crash or a leak. */
	{
		size_t len;
		char *full = load("douyin_search.json", &len);

		for (size_t cut = 0; cut < len; cut += 7) {
			sync_order_list_init(&l);
			(void)sync_parse_douyin_orders(full, cut, &l, &e);
			sync_order_list_free(&l);
		}
		free(full);
	}
}

static void test_deep_nesting(void **state)
{
	struct sync_order_list l;
	struct wh_error e;
	size_t n = 100000;
	char *s = malloc(2 * n + 1);

	(void)state;
	assert_non_null(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	assert_int_equal(parse_str(SYNC_PLATFORM_WOO, s, &l, &e),
			 WH_ERR_INVALID);
	sync_order_list_free(&l);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_jd),
		cmocka_unit_test(test_pdd),
		cmocka_unit_test(test_douyin),
		cmocka_unit_test(test_amazon),
		cmocka_unit_test(test_shopify),
		cmocka_unit_test(test_woo),
		cmocka_unit_test(test_envelopes),
		cmocka_unit_test(test_classify_http),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_hostile_fields),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
