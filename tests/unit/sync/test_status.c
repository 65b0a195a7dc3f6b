/* Status maps, row by row, plus values no table knows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "sync/status.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct srow {
	const char *raw;
	int want;
};

/* Each expected table is written out here, not read back from the code. */
static void check_str(const struct srow *want, size_t n,
		      const struct sync_status_str *t, size_t tn,
		      int (*fn)(const char *))
{
	assert_int_equal(tn, n); /* a new row needs a new test row */
	for (size_t i = 0; i < n; i++) {
		int got = fn(want[i].raw);

		if (got != want[i].want)
			fail_msg("%s: %d, want %d", want[i].raw, got,
				 want[i].want);
	}
	(void)t;
}

static int top(const char *s) { return sync_status_top(s); }
static int top_refund(const char *s) { return sync_refund_top(s); }
static int jd(const char *s) { return sync_status_jd(s); }
static int amazon(const char *s) { return sync_status_amazon(s); }
static int woo(const char *s) { return sync_status_woo(s); }

static void test_top(void **state)
{
	static const struct srow rows[] = {
		{ "TRADE_NO_CREATE_PAY", SYNC_STATE_UNPAID },
		{ "WAIT_BUYER_PAY", SYNC_STATE_UNPAID },
		{ "PAY_PENDING", SYNC_STATE_UNPAID },
		{ "WAIT_SELLER_SEND_GOODS", SYNC_STATE_READY_TO_SHIP },
		{ "PAID_FORBID_CONSIGN", SYNC_STATE_ON_HOLD },
		{ "SELLER_CONSIGNED_PART", SYNC_STATE_PART_SHIPPED },
		{ "WAIT_BUYER_CONFIRM_GOODS", SYNC_STATE_SHIPPED },
		{ "TRADE_BUYER_SIGNED", SYNC_STATE_SHIPPED },
		{ "TRADE_FINISHED", SYNC_STATE_COMPLETED },
		{ "TRADE_CLOSED_BY_TAOBAO", SYNC_STATE_CANCELLED },
		{ "TRADE_CLOSED", SYNC_STATE_CANCELLED },
	};
	static const struct srow refund[] = {
		{ "NO_REFUND", SYNC_REFUND_NONE },
		{ "WAIT_SELLER_AGREE", SYNC_REFUND_REQUESTED },
		{ "WAIT_BUYER_RETURN_GOODS", SYNC_REFUND_REQUESTED },
		{ "WAIT_SELLER_CONFIRM_GOODS", SYNC_REFUND_REQUESTED },
		{ "SELLER_REFUSE_BUYER", SYNC_REFUND_REFUSED },
		{ "CLOSED", SYNC_REFUND_REFUSED },
		{ "SUCCESS", SYNC_REFUND_DONE },
	};
	const struct sync_status_str *t;
	size_t n;

	(void)state;
	t = sync_status_table_top(&n);
	check_str(rows, N(rows), t, n, top);
	t = sync_refund_table_top(&n);
	check_str(refund, N(refund), t, n, top_refund);
	assert_int_equal(sync_status_top("wait_seller_send_goods"),
			 SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_top("TRADE_NEW_STATE"),
			 SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_top(""), SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_top(NULL), SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_refund_top(NULL), SYNC_REFUND_NONE);
	assert_int_equal(sync_refund_top(""), SYNC_REFUND_NONE);
	assert_int_equal(sync_refund_top("PARTLY"), SYNC_REFUND_UNKNOWN);
}

static void test_jd(void **state)
{
	static const struct srow rows[] = {
		{ "WAIT_SELLER_STOCK_OUT", SYNC_STATE_READY_TO_SHIP },
		{ "WAIT_SELLER_DELIVERY", SYNC_STATE_READY_TO_SHIP },
		{ "SEND_TO_DISTRIBUTION_CENER", SYNC_STATE_SHIPPED },
		{ "DISTRIBUTION_CENTER_RECEIVED", SYNC_STATE_SHIPPED },
		{ "WAIT_GOODS_RECEIVE_CONFIRM", SYNC_STATE_SHIPPED },
		{ "RECEIPTS_CONFIRM", SYNC_STATE_COMPLETED },
		{ "FINISHED_L", SYNC_STATE_COMPLETED },
		{ "TRADE_CANCELED", SYNC_STATE_CANCELLED },
		{ "LOCKED", SYNC_STATE_REFUND_REQUESTED },
		{ "PAUSE", SYNC_STATE_ON_HOLD },
	};
	const struct sync_status_str *t;
	size_t n;

	(void)state;
	t = sync_status_table_jd(&n);
	check_str(rows, N(rows), t, n, jd);
	/* The correct spelling is not what JD sends. */
	assert_int_equal(sync_status_jd("SEND_TO_DISTRIBUTION_CENTER"),
			 SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_jd(NULL), SYNC_STATE_UNKNOWN);
}

static void test_amazon(void **state)
{
	static const struct srow rows[] = {
		{ "PendingAvailability", SYNC_STATE_UNPAID },
		{ "Pending", SYNC_STATE_UNPAID },
		{ "Unshipped", SYNC_STATE_READY_TO_SHIP },
		{ "PartiallyShipped", SYNC_STATE_PART_SHIPPED },
		{ "Shipped", SYNC_STATE_SHIPPED },
		{ "InvoiceUnconfirmed", SYNC_STATE_SHIPPED },
		{ "Canceled", SYNC_STATE_CANCELLED },
		{ "Unfulfillable", SYNC_STATE_ON_HOLD },
	};
	const struct sync_status_str *t;
	size_t n;

	(void)state;
	t = sync_status_table_amazon(&n);
	check_str(rows, N(rows), t, n, amazon);
	assert_int_equal(sync_status_amazon("Cancelled"), SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_amazon("unshipped"), SYNC_STATE_UNKNOWN);
}

static void test_woo(void **state)
{
	static const struct srow rows[] = {
		{ "pending", SYNC_STATE_UNPAID },
		{ "on-hold", SYNC_STATE_UNPAID },
		{ "failed", SYNC_STATE_UNPAID },
		{ "checkout-draft", SYNC_STATE_UNPAID },
		{ "processing", SYNC_STATE_READY_TO_SHIP },
		{ "completed", SYNC_STATE_COMPLETED },
		{ "cancelled", SYNC_STATE_CANCELLED },
		{ "refunded", SYNC_STATE_REFUNDED },
	};
	const struct sync_status_str *t;
	size_t n;

	(void)state;
	t = sync_status_table_woo(&n);
	check_str(rows, N(rows), t, n, woo);
	assert_int_equal(sync_status_woo("trash"), SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_woo("wc-processing"), SYNC_STATE_UNKNOWN);
}

static void test_douyin(void **state)
{
	static const struct { long raw; int want; } rows[] = {
		{ 1, SYNC_STATE_UNPAID },
		{ 105, SYNC_STATE_ON_HOLD },
		{ 2, SYNC_STATE_READY_TO_SHIP },
		{ 101, SYNC_STATE_PART_SHIPPED },
		{ 3, SYNC_STATE_SHIPPED },
		{ 4, SYNC_STATE_CANCELLED },
		{ 5, SYNC_STATE_COMPLETED },
	}, refund[] = {
		{ 0, SYNC_REFUND_NONE },
		{ 1, SYNC_REFUND_REQUESTED },
		{ 2, SYNC_REFUND_REQUESTED },
		{ 3, SYNC_REFUND_DONE },
		{ 4, SYNC_REFUND_REFUSED },
	};
	size_t n;

	(void)state;
	sync_status_table_douyin(&n);
	assert_int_equal(n, N(rows));
	for (size_t i = 0; i < N(rows); i++) {
		assert_int_equal(sync_status_douyin(rows[i].raw,
						    SYNC_STATUS_ABSENT),
				 rows[i].want);
		/* main_status equal to order_status changes nothing. */
		assert_int_equal(sync_status_douyin(rows[i].raw, rows[i].raw),
				 rows[i].want);
	}
	sync_refund_table_douyin(&n);
	assert_int_equal(n, N(refund));
	for (size_t i = 0; i < N(refund); i++)
		assert_int_equal(sync_refund_douyin(refund[i].raw),
				 refund[i].want);
	/* main_status overrides. */
	assert_int_equal(sync_status_douyin(4, 21), SYNC_STATE_REFUNDED);
	assert_int_equal(sync_status_douyin(4, 22), SYNC_STATE_REFUNDED);
	assert_int_equal(sync_status_douyin(5, 39), SYNC_STATE_REFUNDED);
	assert_int_equal(sync_status_douyin(1, 103), SYNC_STATE_UNPAID);
	/* Unknown values. */
	assert_int_equal(sync_status_douyin(0, SYNC_STATUS_ABSENT),
			 SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_douyin(6, 6), SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_status_douyin(2, 77), SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_refund_douyin(SYNC_STATUS_ABSENT),
			 SYNC_REFUND_NONE);
	assert_int_equal(sync_refund_douyin(5), SYNC_REFUND_UNKNOWN);
	assert_int_equal(sync_refund_douyin(-7), SYNC_REFUND_UNKNOWN);
}

static void test_pdd(void **state)
{
	static const struct {
		long os, cs, rs, risk;
		int want;
	} rows[] = {
		/* §8: ready = order 1, confirm 1, refund 1 (risk 0). */
		{ 1, 1, 1, 0, SYNC_STATE_READY_TO_SHIP },
		{ 1, 1, 1, SYNC_STATUS_ABSENT, SYNC_STATE_READY_TO_SHIP },
		{ 1, 1, 1, 1, SYNC_STATE_ON_HOLD },
		{ 2, 1, 1, 0, SYNC_STATE_SHIPPED },
		{ 2, 1, 1, 1, SYNC_STATE_SHIPPED },
		{ 3, 1, 1, 0, SYNC_STATE_COMPLETED },
		{ 1, 0, 1, 0, SYNC_STATE_UNPAID },
		{ 1, 2, 1, 0, SYNC_STATE_CANCELLED },
		{ 1, 2, 4, 0, SYNC_STATE_CANCELLED },
		{ 1, 1, 4, 0, SYNC_STATE_REFUNDED },
		{ 3, 1, 4, 0, SYNC_STATE_REFUNDED },
		{ 1, 1, 2, 0, SYNC_STATE_REFUND_REQUESTED },
		{ 1, 1, 3, 0, SYNC_STATE_REFUND_REQUESTED },
		{ 2, 1, 3, 0, SYNC_STATE_REFUND_REQUESTED },
		{ 1, 1, 2, 1, SYNC_STATE_REFUND_REQUESTED },
		/* Unknown values in any field. */
		{ 0, 1, 1, 0, SYNC_STATE_UNKNOWN },
		{ 4, 1, 1, 0, SYNC_STATE_UNKNOWN },
		{ 5, 1, 1, 0, SYNC_STATE_UNKNOWN },
		{ 1, 3, 1, 0, SYNC_STATE_UNKNOWN },
		{ 1, -1, 1, 0, SYNC_STATE_UNKNOWN },
		{ 1, 1, 0, 0, SYNC_STATE_UNKNOWN },
		{ 1, 1, 5, 0, SYNC_STATE_UNKNOWN },
		{ 1, 1, 1, 2, SYNC_STATE_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		int got = sync_status_pdd(rows[i].os, rows[i].cs, rows[i].rs,
					  rows[i].risk);

		if (got != rows[i].want)
			fail_msg("row %zu: %s, want %s", i,
				 sync_state_name(got),
				 sync_state_name(rows[i].want));
	}
}

static void test_shopify(void **state)
{
	static const struct {
		const char *fin, *ful;
		bool cancelled;
		int want;
	} rows[] = {
		{ "pending", NULL, false, SYNC_STATE_UNPAID },
		{ "authorized", NULL, false, SYNC_STATE_UNPAID },
		{ "partially_paid", NULL, false, SYNC_STATE_UNPAID },
		{ "paid", NULL, false, SYNC_STATE_READY_TO_SHIP },
		{ "paid", "unfulfilled", false, SYNC_STATE_READY_TO_SHIP },
		{ "paid", "partial", false, SYNC_STATE_PART_SHIPPED },
		{ "paid", "fulfilled", false, SYNC_STATE_SHIPPED },
		{ "paid", "restocked", false, SYNC_STATE_CANCELLED },
		{ "partially_refunded", NULL, false,
		  SYNC_STATE_READY_TO_SHIP },
		{ "partially_refunded", "fulfilled", false,
		  SYNC_STATE_SHIPPED },
		{ "refunded", NULL, false, SYNC_STATE_REFUNDED },
		{ "voided", NULL, false, SYNC_STATE_CANCELLED },
		{ "paid", NULL, true, SYNC_STATE_CANCELLED },
		{ "refunded", "fulfilled", true, SYNC_STATE_CANCELLED },
		{ NULL, NULL, false, SYNC_STATE_UNKNOWN },
		{ "expired", NULL, false, SYNC_STATE_UNKNOWN },
		{ "paid", "shipped", false, SYNC_STATE_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		assert_int_equal(sync_status_shopify(rows[i].fin, rows[i].ful,
						     rows[i].cancelled),
				 rows[i].want);
}

static void test_lines_and_names(void **state)
{
	enum sync_line_refund none[] = { SYNC_REFUND_NONE, SYNC_REFUND_DONE };
	enum sync_line_refund req[] = { SYNC_REFUND_NONE,
					SYNC_REFUND_REQUESTED };
	enum sync_line_refund unk[] = { SYNC_REFUND_UNKNOWN };

	(void)state;
	assert_int_equal(sync_state_with_lines(SYNC_STATE_READY_TO_SHIP, none,
					       2), SYNC_STATE_READY_TO_SHIP);
	assert_int_equal(sync_state_with_lines(SYNC_STATE_READY_TO_SHIP, req,
					       2), SYNC_STATE_REFUND_REQUESTED);
	assert_int_equal(sync_state_with_lines(SYNC_STATE_PART_SHIPPED, req,
					       2), SYNC_STATE_REFUND_REQUESTED);
	assert_int_equal(sync_state_with_lines(SYNC_STATE_ON_HOLD, req, 2),
			 SYNC_STATE_REFUND_REQUESTED);
	/* After shipping a request does not reopen the order. */
	assert_int_equal(sync_state_with_lines(SYNC_STATE_SHIPPED, req, 2),
			 SYNC_STATE_SHIPPED);
	assert_int_equal(sync_state_with_lines(SYNC_STATE_COMPLETED, unk, 1),
			 SYNC_STATE_UNKNOWN);
	assert_int_equal(sync_state_with_lines(SYNC_STATE_UNPAID, NULL, 0),
			 SYNC_STATE_UNPAID);
	assert_true(sync_state_may_ship(SYNC_STATE_READY_TO_SHIP));
	assert_true(sync_state_may_ship(SYNC_STATE_PART_SHIPPED));
	assert_false(sync_state_may_ship(SYNC_STATE_ON_HOLD));
	assert_false(sync_state_may_ship(SYNC_STATE_REFUND_REQUESTED));
	assert_false(sync_state_may_ship(SYNC_STATE_UNKNOWN));
	assert_string_equal(sync_state_name(SYNC_STATE_READY_TO_SHIP),
			    "READY_TO_SHIP");
	assert_string_equal(sync_state_name(SYNC_STATE_UNKNOWN), "UNKNOWN");
	assert_string_equal(sync_state_name((enum sync_order_state)99),
			    "UNKNOWN");
	assert_string_equal(sync_refund_name(SYNC_REFUND_REQUESTED),
			    "REQUESTED");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_jd),
		cmocka_unit_test(test_amazon),
		cmocka_unit_test(test_woo),
		cmocka_unit_test(test_douyin),
		cmocka_unit_test(test_pdd),
		cmocka_unit_test(test_shopify),
		cmocka_unit_test(test_lines_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
