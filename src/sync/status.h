/*
 * status.h - marketplace order statuses mapped to wharf's own states.
 *
 * One table per platform (reference/platforms.md §1-8). A value that is in
 * no table maps to SYNC_STATE_UNKNOWN (or SYNC_REFUND_UNKNOWN), which the
 * caller must turn into an exception order: nothing is dropped silently.
 * The tables are exported read-only so the UI and tests can list them.
 */
#ifndef WHARF_SYNC_STATUS_H
#define WHARF_SYNC_STATUS_H

#include <stdbool.h>
#include <stddef.h>

enum sync_order_state {
	SYNC_STATE_UNKNOWN = 0,      /* unmapped: raise an exception */
	SYNC_STATE_UNPAID,           /* created, not (fully) paid */
	SYNC_STATE_READY_TO_SHIP,    /* paid, nothing shipped */
	SYNC_STATE_PART_SHIPPED,     /* paid, some lines shipped: still open */
	SYNC_STATE_ON_HOLD,          /* paid but do not ship (risk control) */
	SYNC_STATE_SHIPPED,          /* all shipped, not yet completed */
	SYNC_STATE_COMPLETED,        /* received / finished */
	SYNC_STATE_CANCELLED,        /* closed without shipping or refund */
	SYNC_STATE_REFUND_REQUESTED, /* buyer asked for a refund: hold */
	SYNC_STATE_REFUNDED,         /* refunded in full */
};

enum sync_line_refund {
	SYNC_REFUND_UNKNOWN = 0, /* unmapped: raise an exception */
	SYNC_REFUND_NONE,        /* no refund, or none any more */
	SYNC_REFUND_REQUESTED,   /* requested or in progress: hold the line */
	SYNC_REFUND_REFUSED,     /* refused, closed or failed: ship normally */
	SYNC_REFUND_DONE,        /* refunded */
};

struct sync_status_str {
	const char *raw;
	int value; /* enum sync_order_state or enum sync_line_refund */
};

struct sync_status_int {
	long raw;
	int value;
};

/* Stable upper-case names ("READY_TO_SHIP"); never NULL. */
const char *sync_state_name(enum sync_order_state s);
const char *sync_refund_name(enum sync_line_refund r);

/* True for the states whose lines the warehouse should pick and ship. */
bool sync_state_may_ship(enum sync_order_state s);

/*
 * The order state once line refunds are known: an open order with a line
 * whose refund is REQUESTED becomes REFUND_REQUESTED (hold it), and an
 * UNKNOWN line refund makes the whole order UNKNOWN.
 */
enum sync_order_state sync_state_with_lines(enum sync_order_state s,
					    const enum sync_line_refund *r,
					    size_t n);

/* Tables: *n receives the number of rows. */
const struct sync_status_str *sync_status_table_top(size_t *n);
const struct sync_status_str *sync_refund_table_top(size_t *n);
const struct sync_status_str *sync_status_table_jd(size_t *n);
const struct sync_status_int *sync_status_table_douyin(size_t *n);
const struct sync_status_int *sync_refund_table_douyin(size_t *n);
const struct sync_status_str *sync_status_table_amazon(size_t *n);
const struct sync_status_str *sync_status_table_woo(size_t *n);

/* TOP trade.status. */
enum sync_order_state sync_status_top(const char *status);
/* TOP order.refund_status; NULL or "" is NONE. */
enum sync_line_refund sync_refund_top(const char *refund_status);
/* JD orderState. */
enum sync_order_state sync_status_jd(const char *order_state);

#define SYNC_STATUS_ABSENT (-1L) /* an integer status field not sent */

/*
 * PDD: order_status 1/2/3, confirm_status 0/1/2, refund_status 1-4 and
 * risk_control_status 0/1 (ABSENT is taken as 0). Precedence: cancelled
 * (confirm 2), refunded (refund 4), refund requested (2, 3), unpaid
 * (confirm 0), on hold (risk 1 while waiting to ship), then order_status.
 * Any value outside those sets gives UNKNOWN.
 */
enum sync_order_state sync_status_pdd(long order_status, long confirm_status,
				      long refund_status, long risk_control);

/*
 * Douyin: order_status (1, 105, 2, 101, 3, 4, 5); main_status (may be
 * ABSENT) 21, 22 and 39 mean refunded and override, 103 (partly paid) is
 * UNPAID; other main_status values must be known order statuses.
 */
enum sync_order_state sync_status_douyin(long order_status, long main_status);
/* Douyin sku_order after_sale_info.refund_status (ABSENT is NONE). */
enum sync_line_refund sync_refund_douyin(long refund_status);

/* Amazon OrderStatus. */
enum sync_order_state sync_status_amazon(const char *order_status);

/*
 * Shopify: cancelled (cancelled_at set) wins; then financial_status
 * (pending, authorized, partially_paid: UNPAID; refunded: REFUNDED;
 * voided: CANCELLED; paid, partially_refunded: by fulfillment_status,
 * where NULL/"unfulfilled" is READY_TO_SHIP, "partial" PART_SHIPPED,
 * "fulfilled" SHIPPED and "restocked" CANCELLED).
 */
enum sync_order_state sync_status_shopify(const char *financial_status,
					  const char *fulfillment_status,
					  bool cancelled);

/* WooCommerce status. */
enum sync_order_state sync_status_woo(const char *status);

#endif
