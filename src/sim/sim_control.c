/*
 * sim_control.c - the simulator's own control API under /_sim/
 * (loopback only, no authentication):
 *
 *   GET    /_sim/health
 *   POST   /_sim/orders {"shop":"TB-FLAGSHIP"|"*","count":N,
 *                        "state":"paid"|"unpaid","evolve":bool,
 *                        "age_s":S}   (S: created S seconds ago)
 *   GET    /_sim/orders?shop=CODE           ids and states
 *   GET    /_sim/orders/{shop}/{id}         one order, platform-neutral
 *   POST   /_sim/orders/{shop}/{id}/cancel | refund | pay
 *   POST   /_sim/faults {"shop","kind","count"|"probability","delay_ms"}
 *   GET    /_sim/faults,  DELETE /_sim/faults
 *   POST   /_sim/faults/release   held requests (kind "hold") go on
 *   GET    /_sim/shipments?shop=,  GET /_sim/stock?shop=,  GET /_sim/stats
 *   POST   /_sim/limits {"shop"|"*","op","rate","burst"}, DELETE resets
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

static void err(struct sim_resp *resp, int status, const char *msg)
{
	resp_json(resp, status, json_pack("{s:s}", "error", msg));
}

static const char *state_name(enum sim_state s)
{
	switch (s) {
	case SIM_UNPAID:
		return "unpaid";
	case SIM_PAID:
		return "paid";
	case SIM_PART_SHIPPED:
		return "part_shipped";
	case SIM_SHIPPED:
		return "shipped";
	case SIM_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

static json_t *jt(int64_t ms)
{
	char t[32];

	if (!ms)
		return json_null();
	fmt_iso_utc(ms / 1000, t, sizeof(t));
	return json_string(t);
}

static bool refund_requested(const struct sim_order *o)
{
	for (int k = 0; k < o->nlines; k++)
		if (o->lines[k].refund)
			return true;
	return false;
}

static json_t *order_view(const struct sim_shop *s, const struct sim_order *o)
{
	json_t *lines = json_array(), *j;
	char name[112];

	for (int k = 0; k < o->nlines; k++) {
		const struct sim_line *ln = &o->lines[k];
		char sku[16];

		snprintf(sku, sizeof(sku), "SKU-%06d", ln->sku);
		json_array_append_new(lines, json_pack(
			"{s:s,s:s,s:i,s:i,s:I,s:b}", "line_id", ln->id, "sku",
			sku, "qty", ln->qty, "shipped", ln->shipped,
			"unit_price", (json_int_t)ln->price, "refund",
			ln->refund));
	}
	snprintf(name, sizeof(name), "%s%s%s", o->first, o->last[0] ? " " : "",
		 o->last);
	j = json_pack("{s:s,s:s,s:s,s:I,s:s,s:b,s:b,s:s,s:i}",
		      "shop", s->code, "platform", s->platform_name,
		      "id", o->id, "seq", (json_int_t)o->seq,
		      "state", state_name(o->state),
		      "refund_requested", refund_requested(o),
		      "cancelled_after_pay", o->cancelled_after_pay,
		      "currency", o->currency, "packages", o->packages);
	json_object_set_new(j, "created", jt(o->created_ms));
	json_object_set_new(j, "modified", jt(o->modified_ms));
	json_object_set_new(j, "modified_ms", json_integer(o->modified_ms));
	json_object_set_new(j, "paid", jt(o->paid_ms));
	json_object_set_new(j, "shipped", jt(o->shipped_ms));
	json_object_set_new(j, "tracking", json_string(o->tracking));
	json_object_set_new(j, "carrier", json_string(o->carrier));
	json_object_set_new(j, "shipping_fee", json_integer(o->shipping_fee));
	json_object_set_new(j, "discount", json_integer(o->discount));
	json_object_set_new(j, "receiver", json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", name, "phone",
		o->phone, "province", o->province, "city", o->city,
		"district", o->district, "address", o->street, "zip", o->zip,
		"country", o->country));
	json_object_set_new(j, "lines", lines);
	return j;
}

static void create_orders(struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = req_json(req), *out = NULL;
	const char *shop = json_string_value(json_object_get(body, "shop"));
	const char *state = json_string_value(json_object_get(body, "state"));
	json_t *count = json_object_get(body, "count");
	json_t *age = json_object_get(body, "age_s");
	struct sim_new_orders how = { 1, false, false };
	int64_t at = req->now_ms;

	if (!json_is_object(body) || !shop) {
		err(resp, 400, "body must be {\"shop\":CODE|\"*\","
			       "\"count\":N}");
		goto out;
	}
	if (count) {
		if (!json_is_integer(count) || json_integer_value(count) < 1 ||
		    json_integer_value(count) > 10000) {
			err(resp, 400, "count must be 1..10000");
			goto out;
		}
		how.count = (int)json_integer_value(count);
	}
	if (state && strcmp(state, "paid") && strcmp(state, "unpaid")) {
		err(resp, 400, "state must be paid or unpaid");
		goto out;
	}
	/* A backlog: orders placed (and last changed) a while ago, as a
	 * sync starting after downtime finds them. */
	if (age) {
		if (!json_is_integer(age) || json_integer_value(age) < 0 ||
		    json_integer_value(age) > 30 * 86400) {
			err(resp, 400, "age_s must be 0..2592000");
			goto out;
		}
		at -= json_integer_value(age) * 1000;
	}
	how.unpaid = state && !strcmp(state, "unpaid");
	how.evolve = json_is_true(json_object_get(body, "evolve"));
	if (!strcmp(shop, "*")) {
		out = json_object();
		for (int i = 0; i < SIM_SHOPS; i++) {
			const struct sim_shop *s = store_shop_at(i);
			json_t *ids = json_array();

			store_create(s, &how, at, ids);
			json_object_set_new(out, s->code, ids);
		}
		resp_json(resp, 201, json_pack("{s:o}", "orders", out));
	} else {
		const struct sim_shop *s = store_shop(shop);
		json_t *ids;

		if (!s) {
			err(resp, 404, "no such shop");
			goto out;
		}
		ids = json_array();
		if (store_create(s, &how, at, ids)) {
			json_decref(ids);
			err(resp, 500, "out of memory");
			goto out;
		}
		resp_json(resp, 201, json_pack("{s:s,s:s,s:o}", "shop",
					       s->code, "platform",
					       s->platform_name, "ids", ids));
	}
out:
	json_decref(body);
}

static void list_orders(struct sim_req *req, struct sim_resp *resp)
{
	const struct sim_shop *s = store_shop(kvs_get(&req->query, "shop"));
	struct sim_query q = { 0 };
	struct sim_order *v = NULL;
	size_t n = 0;
	json_t *arr;

	if (!s) {
		err(resp, 404, "pass ?shop=CODE");
		return;
	}
	q.field = SIM_BY_CREATED;
	q.to_ms = INT64_MAX;
	q.ascending = true;
	if (store_select(s, &q, &v, &n)) {
		err(resp, 500, "out of memory");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack(
			"{s:s,s:s,s:b,s:o}", "id", v[i].id, "state",
			state_name(v[i].state), "refund_requested",
			refund_requested(&v[i]), "modified",
			jt(v[i].modified_ms)));
	free(v);
	resp_json(resp, 200, json_pack("{s:s,s:I,s:o}", "shop", s->code,
				       "count", (json_int_t)n, "orders", arr));
}

static void one_order(struct sim_req *req, struct sim_resp *resp,
		      const char *shop, const char *id, const char *action)
{
	const struct sim_shop *s = store_shop(shop);
	struct sim_order o;
	enum sim_change what;

	if (!s) {
		err(resp, 404, "no such shop");
		return;
	}
	if (!action) {
		if (strcmp(req->method, "GET")) {
			err(resp, 405, "GET only");
			return;
		}
		if (!store_get(s, id, &o)) {
			err(resp, 404, "no such order");
			return;
		}
		resp_json(resp, 200, order_view(s, &o));
		return;
	}
	if (strcmp(req->method, "POST")) {
		err(resp, 405, "POST only");
		return;
	}
	if (!strcmp(action, "cancel"))
		what = SIM_CHANGE_CANCEL;
	else if (!strcmp(action, "refund"))
		what = SIM_CHANGE_REFUND;
	else if (!strcmp(action, "pay"))
		what = SIM_CHANGE_PAY;
	else {
		err(resp, 404, "actions: cancel, refund, pay");
		return;
	}
	switch (store_change(s, id, what, req->now_ms, &o)) {
	case SIM_CHANGED:
		resp_json(resp, 200, order_view(s, &o));
		return;
	case SIM_CHANGE_NOT_FOUND:
		err(resp, 404, "no such order");
		return;
	case SIM_CHANGE_CONFLICT:
		err(resp, 409, "the order's state does not allow that");
		return;
	}
}

static void add_fault(struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = req_json(req);
	const char *shop = json_string_value(json_object_get(body, "shop"));
	const char *kind = json_string_value(json_object_get(body, "kind"));
	json_t *count = json_object_get(body, "count");
	json_t *prob = json_object_get(body, "probability");
	json_t *delay = json_object_get(body, "delay_ms");
	enum sim_fault_kind k = faults_kind(kind);
	double p = 0;
	int id;

	if (!json_is_object(body) || k == SIM_FAULT_NONE) {
		err(resp, 400, "kind must be one of 429 500 503 slow timeout "
			       "malformed truncated duplicate_page "
			       "out_of_order clock_skew hold");
		goto out;
	}
	if (shop && strcmp(shop, "*") && !store_shop(shop)) {
		err(resp, 404, "no such shop");
		goto out;
	}
	if ((count && (!json_is_integer(count) ||
		       json_integer_value(count) < 1 ||
		       json_integer_value(count) > 1000000)) ||
	    (prob && (!json_is_number(prob) ||
		      !(json_number_value(prob) > 0 &&
			json_number_value(prob) <= 1))) ||
	    (delay && (!json_is_integer(delay) ||
		       json_integer_value(delay) < 0 ||
		       json_integer_value(delay) > 3600000))) {
		err(resp, 400, "count 1..1000000, probability (0,1], "
			       "delay_ms 0..3600000");
		goto out;
	}
	if (prob)
		p = json_number_value(prob);
	id = faults_add(shop ? shop : "*", k,
			count ? (int)json_integer_value(count) : (prob ? 0 : 1),
			p, delay ? json_integer_value(delay) : 0);
	if (id < 0) {
		err(resp, 500, "out of memory");
		goto out;
	}
	resp_json(resp, 201, json_pack("{s:i}", "id", id));
out:
	json_decref(body);
}

static enum sim_op op_named(const char *s, bool *ok)
{
	static const char *const names[SIM_OP_COUNT] = {
		"list", "detail", "ship", "stock", "token",
	};

	*ok = true;
	if (!s || !strcmp(s, "*"))
		return SIM_OP_COUNT;
	for (int i = 0; i < SIM_OP_COUNT; i++)
		if (!strcmp(s, names[i]))
			return (enum sim_op)i;
	*ok = false;
	return SIM_OP_COUNT;
}

static void set_limits(struct sim_req *req, struct sim_resp *resp)
{
	json_t *body = req_json(req);
	const char *shop = json_string_value(json_object_get(body, "shop"));
	json_t *rate = json_object_get(body, "rate");
	json_t *burst = json_object_get(body, "burst");
	bool ok;
	enum sim_op op = op_named(json_string_value(json_object_get(body,
								    "op")),
				  &ok);

	if (!json_is_object(body) || !shop || !ok || !json_is_number(rate) ||
	    !json_is_number(burst) || json_number_value(rate) <= 0 ||
	    json_number_value(burst) < 1) {
		err(resp, 400, "body: {\"shop\":CODE|\"*\",\"op\":\"list|"
			       "detail|ship|stock|token|*\",\"rate\":>0,"
			       "\"burst\":>=1}");
		goto out;
	}
	for (int i = 0; i < SIM_SHOPS; i++) {
		const struct sim_shop *s = store_shop_at(i);

		if (strcmp(shop, "*") && strcmp(shop, s->code))
			continue;
		store_set_limit(s, op, json_number_value(rate),
				json_number_value(burst), req->now_ms);
	}
	resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(body);
}

static const struct sim_shop *shop_arg(struct sim_req *req, bool *bad)
{
	const char *code = kvs_get(&req->query, "shop");
	const struct sim_shop *s = code ? store_shop(code) : NULL;

	*bad = code && !s;
	return s;
}

void control_handle(struct sim_req *req, const char *path,
		    struct sim_resp *resp)
{
	const char *seg[5], *m = req->method;
	char buf[256];
	size_t ns = path_split(path, buf, sizeof(buf), seg, 4);
	bool bad;

	store_advance(req->now_ms);
	if (ns == 1 && !strcmp(seg[0], "health")) {
		resp_json(resp, 200, json_pack("{s:b,s:i}", "ok", 1, "port",
					       (int)req->port));
	} else if (ns == 1 && !strcmp(seg[0], "orders") && !strcmp(m, "POST")) {
		create_orders(req, resp);
	} else if (ns == 1 && !strcmp(seg[0], "orders") && !strcmp(m, "GET")) {
		list_orders(req, resp);
	} else if ((ns == 3 || ns == 4) && !strcmp(seg[0], "orders")) {
		one_order(req, resp, seg[1], seg[2], ns == 4 ? seg[3] : NULL);
	} else if (ns == 1 && !strcmp(seg[0], "faults")) {
		if (!strcmp(m, "POST"))
			add_fault(req, resp);
		else if (!strcmp(m, "DELETE")) {
			faults_clear();
			resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
		} else {
			resp_json(resp, 200, faults_json());
		}
	} else if (ns == 2 && !strcmp(seg[0], "faults") &&
		   !strcmp(seg[1], "release") && !strcmp(m, "POST")) {
		faults_release();
		resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
	} else if (ns == 1 && !strcmp(seg[0], "shipments")) {
		const struct sim_shop *s = shop_arg(req, &bad);

		if (bad)
			err(resp, 404, "no such shop");
		else
			resp_json(resp, 200, store_shipments_json(s));
	} else if (ns == 1 && !strcmp(seg[0], "stock")) {
		const struct sim_shop *s = shop_arg(req, &bad);

		if (bad)
			err(resp, 404, "no such shop");
		else
			resp_json(resp, 200, store_stock_json(s));
	} else if (ns == 1 && !strcmp(seg[0], "stats")) {
		resp_json(resp, 200, store_stats_json());
	} else if (ns == 1 && !strcmp(seg[0], "limits")) {
		if (!strcmp(m, "DELETE")) {
			store_reset_limits(req->now_ms);
			resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
		} else if (!strcmp(m, "POST")) {
			set_limits(req, resp);
		} else {
			err(resp, 405, "POST or DELETE");
		}
	} else {
		err(resp, 404, "unknown control endpoint");
	}
}
