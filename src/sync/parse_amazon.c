/* parse_amazon.c - Amazon SP-API getOrders / getOrderItems, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/amount.h"
#include "sync/order_int.h"

enum sync_api_status api_classify_amazon(const json_t *root, long http,
					 struct sync_api_error *out)
{
	json_t *errs = json_object_get(root, "errors");
	json_t *e0 = json_array_get(errs, 0);
	enum sync_api_status fallback = api_from_http(http);

	if (!json_is_object(e0))
		return out->status = fallback;
	ord_copy_field(e0, "code", out->code, sizeof(out->code));
	ord_copy_field(e0, "message", out->message, sizeof(out->message));
	if (!strcmp(out->code, "QuotaExceeded") || http == 429)
		return out->status = SYNC_API_RATE_LIMITED;
	if (!strcmp(out->code, "Unauthorized") ||
	    !strcmp(out->code, "AccessDenied") ||
	    !strcmp(out->code, "InvalidAccessToken") ||
	    !strcmp(out->code, "ExpiredToken"))
		return out->status = SYNC_API_AUTH;
	if (!strcmp(out->code, "InvalidSignature"))
		return out->status = SYNC_API_BAD_SIGNATURE;
	if (!strcmp(out->code, "RequestExpired"))
		return out->status = SYNC_API_BAD_TIMESTAMP;
	if (!strcmp(out->code, "InternalFailure") ||
	    !strcmp(out->code, "ServiceUnavailable"))
		return out->status = SYNC_API_SERVER;
	return out->status = api_from_text(out->code, "", out->message,
					   fallback ? fallback :
					   SYNC_API_OTHER);
}

/* Money{CurrencyCode, Amount} into minor units of its currency. */
static enum wh_err money(const json_t *obj, const char *key,
			 struct sync_money *m, bool *present,
			 struct wh_error *e)
{
	json_t *mo;
	char *cur = NULL, *amt = NULL;
	enum wh_err rc;

	*present = false;
	m->minor = 0;
	m->currency[0] = '\0';
	ORD_TRY(jf_obj(obj, key, false, &mo, e));
	if (!mo)
		return WH_OK;
	rc = jf_str(mo, "CurrencyCode", FMAX, true, &cur, e);
	if (!rc)
		rc = jf_str(mo, "Amount", FMAX, true, &amt, e);
	if (!rc)
		rc = sync_money_parse(amt, strlen(amt), cur, m, e);
	if (rc)
		wh_error_prefix(e, "field \"%s\"", key);
	else
		*present = true;
	free(cur);
	free(amt);
	return rc;
}

static enum wh_err az_id(const json_t *t, char **id, struct wh_error *e)
{
	return ord_id2(t, "AmazonOrderId", NULL, id, e);
}

/*
 * A buyer's cancellation request (Amazon has no refund status in the
 * Orders API; "BuyerRequestedCancel" on the order or an item is how a
 * buyer asks for the money back before it ships): the line must be held.
 */
static enum wh_err az_cancel_requested(const json_t *t, bool *yes,
				       struct wh_error *e)
{
	json_t *brc;
	char *v = NULL;

	*yes = false;
	ORD_TRY(jf_obj(t, "BuyerRequestedCancel", false, &brc, e));
	ORD_TRY(jf_str(brc, "IsBuyerRequestedCancel", FMAX, false, &v, e));
	*yes = v && !strcmp(v, "true");
	free(v);
	return WH_OK;
}

static enum wh_err az_fill(const json_t *t, struct sync_order *o,
			   struct wh_error *e)
{
	char *status = NULL, *l1 = NULL, *l2 = NULL, *l3 = NULL, *tmp = NULL;
	json_t *sa, *bi;
	struct sync_money total;
	bool have;
	enum wh_err rc;

	rc = jf_str(t, "OrderStatus", FMAX, true, &status, e);
	if (rc)
		return rc;
	o->state = sync_status_amazon(status);
	rc = ord_status_raw(o, e, "OrderStatus=%s", status);
	free(status);
	ORD_TRY(rc);
	ORD_TRY(az_cancel_requested(t, &have, e));
	if (have) {
		enum sync_line_refund r = SYNC_REFUND_REQUESTED;

		o->state = sync_state_with_lines(o->state, &r, 1);
	}
	ORD_TRY(jf_str(t, "SellerOrderId", FMAX, false, &o->order_name, e));
	ORD_TRY(jf_time(t, "PurchaseDate", 0, false, &o->created_at, e));
	ORD_TRY(jf_time(t, "LastUpdateDate", 0, false, &o->modified_at, e));
	ORD_TRY(money(t, "OrderTotal", &total, &have, e));
	if (have) {
		memcpy(o->currency, total.currency, 4);
		o->total = total.minor;
	}
	ORD_TRY(jf_obj(t, "BuyerInfo", false, &bi, e));
	ORD_TRY(jf_str(bi, "BuyerName", FMAX, false, &o->buyer, e));
	if (!o->buyer)
		ORD_TRY(jf_str(bi, "BuyerEmail", FMAX, false, &o->buyer, e));
	ORD_TRY(jf_obj(t, "ShippingAddress", false, &sa, e));
	ORD_TRY(jf_str(sa, "Name", FMAX, false, &o->receiver_name, e));
	ORD_TRY(jf_str(sa, "Phone", FMAX, false, &o->phone, e));
	ORD_TRY(jf_str(sa, "StateOrRegion", FMAX, false, &o->province, e));
	ORD_TRY(jf_str(sa, "City", FMAX, false, &o->city, e));
	ORD_TRY(jf_str(sa, "District", FMAX, false, &o->district, e));
	if (!o->district)
		ORD_TRY(jf_str(sa, "County", FMAX, false, &o->district, e));
	ORD_TRY(jf_str(sa, "PostalCode", FMAX, false, &o->zip, e));
	ORD_TRY(jf_str(sa, "CountryCode", FMAX, false, &o->country, e));
	rc = jf_str(sa, "AddressLine1", FMAX, false, &l1, e);
	if (!rc)
		rc = jf_str(sa, "AddressLine2", FMAX, false, &l2, e);
	if (!rc)
		rc = jf_str(sa, "AddressLine3", FMAX, false, &l3, e);
	if (!rc)
		rc = ord_join(l1, ", ", l2, &tmp, e);
	if (!rc)
		rc = ord_join(tmp, ", ", l3, &o->address, e);
	free(l1);
	free(l2);
	free(l3);
	free(tmp);
	ORD_TRY(rc);
	if (o->address && strlen(o->address) > AMAX) {
		/* Three capped parts: cap again at a character boundary. */
		tmp = untrusted_clean(o->address, strlen(o->address), AMAX,
				      NULL);
		if (!tmp)
			return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		free(o->address);
		o->address = tmp;
	}
	return WH_OK;
}

static const struct ord_parser az_parser = {
	SYNC_PLATFORM_AMAZON, "order", az_id, az_fill,
};

enum wh_err sync_parse_amazon_orders(const char *json, size_t len,
				     struct sync_order_list *out,
				     struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *payload, *list;
	char *next = NULL;
	enum wh_err rc;

	rc = ord_parse_root(json, len, "Amazon", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_amazon(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_AMAZON, &ae, err);
		goto out;
	}
	rc = jf_obj(root, "payload", true, &payload, err);
	if (!rc)
		rc = jf_arr(payload, "Orders", true, &list, err);
	if (!rc)
		rc = jf_str(payload, "NextToken", FMAX, false, &next, err);
	if (rc) {
		wh_error_prefix(err, "Amazon response");
		goto out;
	}
	free(out->next_token);
	out->next_token = next;
	out->has_next = next && *next;
	rc = ord_parse_array(&az_parser, list, out, err);
out:
	json_decref(root);
	if (!rc)
		wh_error_clear(err);
	return rc;
}

static enum wh_err az_item(const json_t *t, struct sync_order *o,
			   struct sync_order_line *ln, struct wh_error *e)
{
	struct sync_money price;
	bool have;

	ORD_TRY(ord_id2(t, "OrderItemId", NULL, &ln->line_id, e));
	ORD_TRY(jf_str(t, "SellerSKU", FMAX, false, &ln->sku_code, e));
	ORD_TRY(jf_str(t, "ASIN", FMAX, false, &ln->platform_sku_id, e));
	ORD_TRY(jf_str(t, "Title", FMAX, false, &ln->title, e));
	ORD_TRY(jf_int(t, "QuantityOrdered", true, 0, &ln->qty, e));
	ORD_TRY(money(t, "ItemPrice", &price, &have, e));
	if (have) {
		if (!o->currency[0])
			memcpy(o->currency, price.currency, 4);
		else if (strcmp(o->currency, price.currency) != 0)
			return wh_error_set(e, WH_ERR_INVALID,
					    "ItemPrice currency %s differs "
					    "from the order's %s",
					    price.currency, o->currency);
		/* ItemPrice is the line total (price times quantity). */
		ln->line_total = price.minor;
	}
	/* No refund status in the Orders API (that is the Finances API),
	 * only the buyer's cancellation request. */
	ORD_TRY(az_cancel_requested(t, &have, e));
	ln->refund = have ? SYNC_REFUND_REQUESTED : SYNC_REFUND_NONE;
	ORD_TRY(ord_check_line(ln, e));
	ln->unit_price = ln->line_total / ln->qty;
	return WH_OK;
}

enum wh_err sync_parse_amazon_order_items(const char *json, size_t len,
					  struct sync_order *order,
					  char **next_token,
					  struct wh_error *err)
{
	struct sync_api_error ae;
	json_t *root, *payload, *list, *v;
	struct wh_error e;
	enum wh_err rc;
	size_t i;

	*next_token = NULL;
	rc = ord_parse_root(json, len, "Amazon", &root, err);
	if (rc)
		return rc;
	memset(&ae, 0, sizeof(ae));
	if (api_classify_amazon(root, 0, &ae) != SYNC_API_OK) {
		rc = ord_api_fail(SYNC_PLATFORM_AMAZON, &ae, err);
		goto out;
	}
	rc = jf_obj(root, "payload", true, &payload, err);
	if (!rc)
		rc = jf_arr(payload, "OrderItems", true, &list, err);
	if (!rc)
		rc = jf_str(payload, "NextToken", FMAX, false, next_token,
			    err);
	if (rc) {
		wh_error_prefix(err, "Amazon order items");
		goto out;
	}
	wh_error_clear(&e);
	json_array_foreach(list, i, v) {
		struct sync_order_line *ln;

		if (!json_is_object(v)) {
			wh_error_set(&e, WH_ERR_INVALID,
				     "item %zu: expected an object, got %s",
				     i, jf_type_name(v));
			rc = WH_ERR_INVALID;
			break;
		}
		ln = ord_line_push(order, err);
		if (!ln) {
			rc = WH_ERR_NOMEM;
			goto out;
		}
		rc = az_item(v, order, ln, &e);
		if (rc == WH_ERR_NOMEM) {
			wh_error_set(err, rc, "%s", e.msg);
			goto out;
		}
		if (rc) {
			wh_error_prefix(&e, "item %zu", i);
			break;
		}
	}
	if (rc) {
		wh_error_prefix(&e, "order %s", order->order_id ?
				order->order_id : "?");
		rc = ord_fail(NULL, order, &e, err);
	} else {
		ord_apply_line_refunds(order);
	}
out:
	json_decref(root);
	if (rc) {
		free(*next_token);
		*next_token = NULL;
	} else {
		wh_error_clear(err);
	}
	return rc;
}
