#include "sync/status.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* TOP trade statuses (bububa Trade.go). */
static const struct sync_status_str top_status[] = {
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
	/* Closed after a full refund: nothing left to ship (§8). */
	{ "TRADE_CLOSED", SYNC_STATE_CANCELLED },
};

/* TOP order (line) refund_status. */
static const struct sync_status_str top_refund[] = {
	{ "NO_REFUND", SYNC_REFUND_NONE },
	{ "WAIT_SELLER_AGREE", SYNC_REFUND_REQUESTED },
	{ "WAIT_BUYER_RETURN_GOODS", SYNC_REFUND_REQUESTED },
	{ "WAIT_SELLER_CONFIRM_GOODS", SYNC_REFUND_REQUESTED },
	{ "SELLER_REFUSE_BUYER", SYNC_REFUND_REFUSED },
	{ "CLOSED", SYNC_REFUND_REFUSED },
	{ "SUCCESS", SYNC_REFUND_DONE },
};

/* JD orderState (JDOrderStateEnum.java). */
static const struct sync_status_str jd_status[] = {
	{ "WAIT_SELLER_STOCK_OUT", SYNC_STATE_READY_TO_SHIP },
	/* Cross-border orders waiting for the seller to deliver. */
	{ "WAIT_SELLER_DELIVERY", SYNC_STATE_READY_TO_SHIP },
	{ "SEND_TO_DISTRIBUTION_CENER", SYNC_STATE_SHIPPED },
	{ "DISTRIBUTION_CENTER_RECEIVED", SYNC_STATE_SHIPPED },
	{ "WAIT_GOODS_RECEIVE_CONFIRM", SYNC_STATE_SHIPPED },
	{ "RECEIPTS_CONFIRM", SYNC_STATE_COMPLETED },
	{ "FINISHED_L", SYNC_STATE_COMPLETED },
	{ "TRADE_CANCELED", SYNC_STATE_CANCELLED },
	/* Locked pending a cancellation or refund [M]: do not ship. */
	{ "LOCKED", SYNC_STATE_REFUND_REQUESTED },
	{ "PAUSE", SYNC_STATE_ON_HOLD },
};

static const struct sync_status_int douyin_status[] = {
	{ 1, SYNC_STATE_UNPAID },
	{ 105, SYNC_STATE_ON_HOLD },
	{ 2, SYNC_STATE_READY_TO_SHIP },
	{ 101, SYNC_STATE_PART_SHIPPED },
	{ 3, SYNC_STATE_SHIPPED },
	{ 4, SYNC_STATE_CANCELLED },
	{ 5, SYNC_STATE_COMPLETED },
};

static const struct sync_status_int douyin_refund[] = {
	{ 0, SYNC_REFUND_NONE },
	{ 1, SYNC_REFUND_REQUESTED },
	{ 2, SYNC_REFUND_REQUESTED },
	{ 3, SYNC_REFUND_DONE },
	{ 4, SYNC_REFUND_REFUSED },
};

static const struct sync_status_str amazon_status[] = {
	{ "PendingAvailability", SYNC_STATE_UNPAID },
	{ "Pending", SYNC_STATE_UNPAID },
	{ "Unshipped", SYNC_STATE_READY_TO_SHIP },
	{ "PartiallyShipped", SYNC_STATE_PART_SHIPPED },
	{ "Shipped", SYNC_STATE_SHIPPED },
	/* All shipped; the seller has not yet uploaded an invoice. */
	{ "InvoiceUnconfirmed", SYNC_STATE_SHIPPED },
	{ "Canceled", SYNC_STATE_CANCELLED },
	/* Amazon cannot fulfil it: never ship. */
	{ "Unfulfillable", SYNC_STATE_ON_HOLD },
};

static const struct sync_status_str woo_status[] = {
	{ "pending", SYNC_STATE_UNPAID },
	/* Woo "on-hold" means awaiting payment confirmation. */
	{ "on-hold", SYNC_STATE_UNPAID },
	/* Payment failed; the buyer may still pay, so not cancelled. */
	{ "failed", SYNC_STATE_UNPAID },
	{ "checkout-draft", SYNC_STATE_UNPAID },
	{ "processing", SYNC_STATE_READY_TO_SHIP },
	{ "completed", SYNC_STATE_COMPLETED },
	{ "cancelled", SYNC_STATE_CANCELLED },
	{ "refunded", SYNC_STATE_REFUNDED },
};

const char *sync_state_name(enum sync_order_state s)
{
	switch (s) {
	case SYNC_STATE_UNKNOWN:
		return "UNKNOWN";
	case SYNC_STATE_UNPAID:
		return "UNPAID";
	case SYNC_STATE_READY_TO_SHIP:
		return "READY_TO_SHIP";
	case SYNC_STATE_PART_SHIPPED:
		return "PART_SHIPPED";
	case SYNC_STATE_ON_HOLD:
		return "ON_HOLD";
	case SYNC_STATE_SHIPPED:
		return "SHIPPED";
	case SYNC_STATE_COMPLETED:
		return "COMPLETED";
	case SYNC_STATE_CANCELLED:
		return "CANCELLED";
	case SYNC_STATE_REFUND_REQUESTED:
		return "REFUND_REQUESTED";
	case SYNC_STATE_REFUNDED:
		return "REFUNDED";
	}
	return "UNKNOWN";
}

const char *sync_refund_name(enum sync_line_refund r)
{
	switch (r) {
	case SYNC_REFUND_UNKNOWN:
		return "UNKNOWN";
	case SYNC_REFUND_NONE:
		return "NONE";
	case SYNC_REFUND_REQUESTED:
		return "REQUESTED";
	case SYNC_REFUND_REFUSED:
		return "REFUSED";
	case SYNC_REFUND_DONE:
		return "DONE";
	}
	return "UNKNOWN";
}

bool sync_state_may_ship(enum sync_order_state s)
{
	return s == SYNC_STATE_READY_TO_SHIP || s == SYNC_STATE_PART_SHIPPED;
}

enum sync_order_state sync_state_with_lines(enum sync_order_state s,
					    const enum sync_line_refund *r,
					    size_t n)
{
	bool requested = false;

	for (size_t i = 0; i < n; i++) {
		if (r[i] == SYNC_REFUND_UNKNOWN)
			return SYNC_STATE_UNKNOWN;
		if (r[i] == SYNC_REFUND_REQUESTED)
			requested = true;
	}
	if (requested && (sync_state_may_ship(s) || s == SYNC_STATE_ON_HOLD))
		return SYNC_STATE_REFUND_REQUESTED;
	return s;
}

static int lookup_str(const struct sync_status_str *t, size_t n,
		      const char *raw, int unknown)
{
	if (!raw)
		return unknown;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].raw, raw) == 0)
			return t[i].value;
	return unknown;
}

static int lookup_int(const struct sync_status_int *t, size_t n, long raw,
		      int unknown)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].raw == raw)
			return t[i].value;
	return unknown;
}

#define TABLE_FN(name, type, table)                      \
	const struct type *name(size_t *n)               \
	{                                                \
		*n = N(table);                           \
		return table;                            \
	}

TABLE_FN(sync_status_table_top, sync_status_str, top_status)
TABLE_FN(sync_refund_table_top, sync_status_str, top_refund)
TABLE_FN(sync_status_table_jd, sync_status_str, jd_status)
TABLE_FN(sync_status_table_douyin, sync_status_int, douyin_status)
TABLE_FN(sync_refund_table_douyin, sync_status_int, douyin_refund)
TABLE_FN(sync_status_table_amazon, sync_status_str, amazon_status)
TABLE_FN(sync_status_table_woo, sync_status_str, woo_status)

enum sync_order_state sync_status_top(const char *status)
{
	return lookup_str(top_status, N(top_status), status,
			  SYNC_STATE_UNKNOWN);
}

enum sync_line_refund sync_refund_top(const char *refund_status)
{
	if (!refund_status || !*refund_status)
		return SYNC_REFUND_NONE;
	return lookup_str(top_refund, N(top_refund), refund_status,
			  SYNC_REFUND_UNKNOWN);
}

enum sync_order_state sync_status_jd(const char *order_state)
{
	return lookup_str(jd_status, N(jd_status), order_state,
			  SYNC_STATE_UNKNOWN);
}

enum sync_order_state sync_status_pdd(long order_status, long confirm_status,
				      long refund_status, long risk_control)
{
	if (order_status < 1 || order_status > 3 || confirm_status < 0 ||
	    confirm_status > 2 || refund_status < 1 || refund_status > 4)
		return SYNC_STATE_UNKNOWN;
	if (risk_control == SYNC_STATUS_ABSENT)
		risk_control = 0;
	if (risk_control != 0 && risk_control != 1)
		return SYNC_STATE_UNKNOWN;
	if (confirm_status == 2)
		return SYNC_STATE_CANCELLED;
	if (refund_status == 4)
		return SYNC_STATE_REFUNDED;
	if (refund_status == 2 || refund_status == 3)
		return SYNC_STATE_REFUND_REQUESTED;
	if (confirm_status == 0)
		return SYNC_STATE_UNPAID;
	if (order_status == 1)
		return risk_control ? SYNC_STATE_ON_HOLD :
				      SYNC_STATE_READY_TO_SHIP;
	return order_status == 2 ? SYNC_STATE_SHIPPED : SYNC_STATE_COMPLETED;
}

enum sync_order_state sync_status_douyin(long order_status, long main_status)
{
	enum sync_order_state s;

	s = lookup_int(douyin_status, N(douyin_status), order_status,
		       SYNC_STATE_UNKNOWN);
	if (s == SYNC_STATE_UNKNOWN || main_status == SYNC_STATUS_ABSENT)
		return s;
	switch (main_status) {
	case 21:
	case 22:
	case 39:
		return SYNC_STATE_REFUNDED;
	case 103:
		return SYNC_STATE_UNPAID;
	default:
		break;
	}
	if (lookup_int(douyin_status, N(douyin_status), main_status,
		       SYNC_STATE_UNKNOWN) == SYNC_STATE_UNKNOWN)
		return SYNC_STATE_UNKNOWN;
	return s;
}

enum sync_line_refund sync_refund_douyin(long refund_status)
{
	if (refund_status == SYNC_STATUS_ABSENT)
		return SYNC_REFUND_NONE;
	return lookup_int(douyin_refund, N(douyin_refund), refund_status,
			  SYNC_REFUND_UNKNOWN);
}

enum sync_order_state sync_status_amazon(const char *order_status)
{
	return lookup_str(amazon_status, N(amazon_status), order_status,
			  SYNC_STATE_UNKNOWN);
}

enum sync_order_state sync_status_shopify(const char *financial_status,
					  const char *fulfillment_status,
					  bool cancelled)
{
	const char *f = fulfillment_status;

	if (cancelled)
		return SYNC_STATE_CANCELLED;
	if (!financial_status)
		return SYNC_STATE_UNKNOWN;
	if (!strcmp(financial_status, "pending") ||
	    !strcmp(financial_status, "authorized") ||
	    !strcmp(financial_status, "partially_paid"))
		return SYNC_STATE_UNPAID;
	if (!strcmp(financial_status, "refunded"))
		return SYNC_STATE_REFUNDED;
	if (!strcmp(financial_status, "voided"))
		return SYNC_STATE_CANCELLED;
	if (strcmp(financial_status, "paid") != 0 &&
	    strcmp(financial_status, "partially_refunded") != 0)
		return SYNC_STATE_UNKNOWN;
	if (!f || !strcmp(f, "unfulfilled"))
		return SYNC_STATE_READY_TO_SHIP;
	if (!strcmp(f, "partial"))
		return SYNC_STATE_PART_SHIPPED;
	if (!strcmp(f, "fulfilled"))
		return SYNC_STATE_SHIPPED;
	if (!strcmp(f, "restocked"))
		return SYNC_STATE_CANCELLED;
	return SYNC_STATE_UNKNOWN;
}

enum sync_order_state sync_status_woo(const char *status)
{
	return lookup_str(woo_status, N(woo_status), status,
			  SYNC_STATE_UNKNOWN);
}
