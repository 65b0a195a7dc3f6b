/*
 * sim_store.c - shops, orders, recordings, counters and rate-limit
 * buckets, all behind one mutex. Orders leave only as copies.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

struct stock_entry {
	int sku;
	long long level;
	long updates;
	int64_t time_ms;
	char request_id[40];
};

struct ship_rec {
	int shop;
	char order_id[SIM_ID_MAX];
	char tracking[64];
	char carrier[32];
	char package_ref[32];
	int qty;
	int nitems;
	struct sim_ship_item items[SIM_MAX_LINES];
	int64_t time_ms;
	char request_id[40];
	int edits;
};

struct shop_state {
	struct sim_order *orders;
	size_t n;
	size_t cap;
	uint64_t next_seq;
	struct sim_bucket buckets[SIM_OP_COUNT];
	struct stock_entry *stock;
	size_t nstock;
	size_t capstock;
	long stock_history;
	char (*idem)[64];
	size_t nidem;
	size_t capidem;
};

struct counter {
	char name[96];
	long n;
};

static struct {
	pthread_mutex_t mu;
	struct sim_shop shops[SIM_SHOPS];
	struct shop_state st[SIM_SHOPS];
	struct ship_rec *ships;
	size_t nships;
	size_t capships;
	struct counter *counters;
	size_t ncounters;
	size_t capcounters;
	long requests;
	long rejected_signature;
	long rejected_token;
	long rejected_timestamp;
	long rejected_other;
	long throttled;
	long faults;
	/*
	 * No order has a pay, cancel or refund event due before this:
	 * every request advances the store, and scanning every order of
	 * every shop each time (under the lock) was most of the simulator's
	 * work once it held a backlog.
	 */
	int64_t next_due;
} S = { .mu = PTHREAD_MUTEX_INITIALIZER, .next_due = INT64_MAX };

/* The earliest event of o still to come; INT64_MAX when none. */
static int64_t due_of(const struct sim_order *o)
{
	int64_t t = INT64_MAX;

	if (o->pay_at_ms && o->pay_at_ms < t)
		t = o->pay_at_ms;
	if (o->cancel_at_ms && o->cancel_at_ms < t)
		t = o->cancel_at_ms;
	if (o->refund_at_ms && o->refund_at_ms < t)
		t = o->refund_at_ms;
	return t;
}

static const struct {
	const char *code;
	const char *platform;
	enum sim_platform p;
} shop_defs[SIM_SHOPS] = {
	{ "TB-FLAGSHIP", "taobao", SIM_TOP },
	{ "TM-BABY", "tmall", SIM_TOP },
	{ "JD-SELF", "jd", SIM_JD },
	{ "PDD-MAIN", "pdd", SIM_PDD },
	{ "DY-LIVE", "douyin", SIM_DOUYIN },
	{ "AMZ-US", "amazon", SIM_AMAZON },
	{ "SHOPIFY", "shopify", SIM_SHOPIFY },
	{ "WOO-EU", "woocommerce", SIM_WOO },
};

/*
 * Published (Amazon, Shopify) or guessed [M] limits per operation:
 * rate per second and burst. Multiplied by --rate-limit-scale.
 */
static void real_limit(enum sim_platform p, enum sim_op op, double *rate,
		       double *burst)
{
	static const double amazon[SIM_OP_COUNT][2] = {
		[SIM_OP_LIST] = { 0.0167, 20 },  /* getOrders */
		[SIM_OP_DETAIL] = { 0.5, 30 },   /* getOrderItems */
		[SIM_OP_SHIP] = { 2, 10 },       /* confirmShipment [M] */
		[SIM_OP_STOCK] = { 5, 10 },      /* patchListingsItem */
		[SIM_OP_TOKEN] = { 1, 10 },      /* LWA / RDT */
	};

	switch (p) {
	case SIM_AMAZON:
		*rate = amazon[op][0];
		*burst = amazon[op][1];
		return;
	case SIM_SHOPIFY: /* one leaky bucket per store */
		*rate = 2;
		*burst = 40;
		return;
	case SIM_TOP:
		*rate = 40;
		*burst = 80;
		return;
	case SIM_JD:
		*rate = 20;
		*burst = 40;
		return;
	case SIM_PDD:
	case SIM_DOUYIN:
		*rate = 50;
		*burst = 100;
		return;
	case SIM_WOO:
		*rate = 25;
		*burst = 50;
		return;
	}
}

static void bucket_set(struct sim_bucket *b, double rate, double burst,
		       int64_t now_ms)
{
	b->rate = rate > 0 ? rate : 0.0001;
	b->burst = burst >= 1 ? burst : 1;
	b->tokens = b->burst;
	b->last_ms = now_ms;
}

static void reset_limits_locked(int64_t now_ms)
{
	double scale = sim_cfg.real_limits ? 1.0 : sim_cfg.limit_scale;

	for (int i = 0; i < SIM_SHOPS; i++) {
		for (int op = 0; op < SIM_OP_COUNT; op++) {
			double rate = 0, burst = 0;

			real_limit(S.shops[i].platform, (enum sim_op)op, &rate,
				   &burst);
			bucket_set(&S.st[i].buckets[op], rate * scale,
				   burst * scale, now_ms);
		}
	}
}

static void lower_copy(const char *s, char *out, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) :
							 s[i];
	out[i] = '\0';
}

enum wh_err store_init(void)
{
	for (int i = 0; i < SIM_SHOPS; i++) {
		struct sim_shop *s = &S.shops[i];

		s->index = i;
		s->code = shop_defs[i].code;
		s->platform_name = shop_defs[i].platform;
		s->platform = shop_defs[i].p;
		lower_copy(s->code, s->lc, sizeof(s->lc));
		snprintf(s->app_key, sizeof(s->app_key), "demo-%s", s->lc);
		snprintf(s->secret, sizeof(s->secret), "demo-secret-%s",
			 s->lc);
		snprintf(s->token, sizeof(s->token), "demo-token-%s", s->lc);
		snprintf(s->refresh, sizeof(s->refresh), "demo-refresh-%s",
			 s->lc);
		if (s->platform == SIM_WOO) {
			snprintf(s->app_key, sizeof(s->app_key),
				 "ck_demo_woo_eu");
			snprintf(s->secret, sizeof(s->secret),
				 "cs_demo_woo_eu");
		} else if (s->platform == SIM_SHOPIFY) {
			snprintf(s->token, sizeof(s->token),
				 "shpat_demo_shopify");
		}
	}
	pthread_mutex_lock(&S.mu);
	reset_limits_locked(sim_now_ms());
	pthread_mutex_unlock(&S.mu);
	return WH_OK;
}

void store_fini(void)
{
	pthread_mutex_lock(&S.mu);
	for (int i = 0; i < SIM_SHOPS; i++) {
		free(S.st[i].orders);
		free(S.st[i].stock);
		free(S.st[i].idem);
		memset(&S.st[i], 0, sizeof(S.st[i]));
	}
	free(S.ships);
	S.ships = NULL;
	S.nships = S.capships = 0;
	free(S.counters);
	S.counters = NULL;
	S.ncounters = S.capcounters = 0;
	pthread_mutex_unlock(&S.mu);
}

const struct sim_shop *store_shop(const char *code)
{
	for (int i = 0; code && i < SIM_SHOPS; i++)
		if (strcmp(S.shops[i].code, code) == 0)
			return &S.shops[i];
	return NULL;
}

const struct sim_shop *store_shop_at(int index)
{
	return index >= 0 && index < SIM_SHOPS ? &S.shops[index] : NULL;
}

/* ---- orders ---- */

static struct sim_order *find_locked(int shop, const char *id)
{
	struct shop_state *st = &S.st[shop];

	for (size_t i = 0; id && i < st->n; i++)
		if (strcmp(st->orders[i].id, id) == 0)
			return &st->orders[i];
	return NULL;
}

enum wh_err store_create(const struct sim_shop *s,
			 const struct sim_new_orders *how, int64_t now_ms,
			 json_t *ids_out)
{
	struct shop_state *st = &S.st[s->index];
	enum wh_err rc = WH_OK;

	pthread_mutex_lock(&S.mu);
	for (int i = 0; i < how->count; i++) {
		struct sim_order *o;

		if (st->n == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 256;
			struct sim_order *nv;

			nv = realloc(st->orders, cap * sizeof(*nv));
			if (!nv) {
				rc = WH_ERR_NOMEM;
				break;
			}
			st->orders = nv;
			st->cap = cap;
		}
		o = &st->orders[st->n];
		gen_order(s, ++st->next_seq, now_ms, how, o);
		st->n++;
		if (due_of(o) < S.next_due)
			S.next_due = due_of(o);
		if (ids_out)
			json_array_append_new(ids_out, json_string(o->id));
	}
	pthread_mutex_unlock(&S.mu);
	return rc;
}

static void touch(struct sim_order *o, int64_t t)
{
	if (t > o->modified_ms)
		o->modified_ms = t;
}

static void do_cancel(struct sim_order *o, int64_t t)
{
	o->cancelled_after_pay = o->state != SIM_UNPAID;
	o->state = SIM_CANCELLED;
	o->pay_at_ms = 0;
	o->refund_at_ms = 0;
	o->cancel_at_ms = 0;
	touch(o, t);
}

static void do_refund(struct sim_order *o, int64_t t)
{
	for (int i = 0; i < o->nlines; i++)
		if (o->lines[i].shipped < o->lines[i].qty)
			o->lines[i].refund = true;
	o->refund_at_ms = 0;
	touch(o, t);
}

static void do_pay(struct sim_order *o, int64_t t)
{
	o->state = SIM_PAID;
	o->paid_ms = t;
	o->pay_at_ms = 0;
	touch(o, t);
}

/* Applies the earliest due event of o; false when none is due. */
static bool advance_one(struct sim_order *o, int64_t now_ms)
{
	int64_t t = INT64_MAX;
	int which = 0;

	if (o->pay_at_ms && o->pay_at_ms <= now_ms && o->pay_at_ms < t) {
		t = o->pay_at_ms;
		which = 1;
	}
	if (o->cancel_at_ms && o->cancel_at_ms <= now_ms &&
	    o->cancel_at_ms < t) {
		t = o->cancel_at_ms;
		which = 2;
	}
	if (o->refund_at_ms && o->refund_at_ms <= now_ms &&
	    o->refund_at_ms < t) {
		t = o->refund_at_ms;
		which = 3;
	}
	switch (which) {
	case 1:
		if (o->state == SIM_UNPAID)
			do_pay(o, t);
		o->pay_at_ms = 0;
		return true;
	case 2:
		if (o->state == SIM_UNPAID || o->state == SIM_PAID)
			do_cancel(o, t);
		o->cancel_at_ms = 0;
		return true;
	case 3:
		if (o->state == SIM_PAID || o->state == SIM_PART_SHIPPED)
			do_refund(o, t);
		o->refund_at_ms = 0;
		return true;
	default:
		return false;
	}
}

static void advance_locked(int64_t now_ms)
{
	int64_t next = INT64_MAX;

	if (now_ms < S.next_due)
		return;
	for (int i = 0; i < SIM_SHOPS; i++)
		for (size_t k = 0; k < S.st[i].n; k++) {
			struct sim_order *o = &S.st[i].orders[k];

			while (advance_one(o, now_ms))
				;
			if (due_of(o) < next)
				next = due_of(o);
		}
	S.next_due = next;
}

void store_advance(int64_t now_ms)
{
	pthread_mutex_lock(&S.mu);
	advance_locked(now_ms);
	pthread_mutex_unlock(&S.mu);
}

bool store_get(const struct sim_shop *s, const char *id,
	       struct sim_order *out)
{
	struct sim_order *o;

	pthread_mutex_lock(&S.mu);
	o = find_locked(s->index, id);
	if (o)
		*out = *o;
	pthread_mutex_unlock(&S.mu);
	return o != NULL;
}

static int64_t key_of(const struct sim_order *o, enum sim_time_field f)
{
	return f == SIM_BY_CREATED ? o->created_ms : o->modified_ms;
}

/* qsort context: glibc's qsort_r would do, but keep to C11 + POSIX. */
static _Thread_local const struct sim_query *sort_q;

static int cmp_orders(const void *a, const void *b)
{
	const struct sim_order *x = a, *y = b;
	int64_t kx = key_of(x, sort_q->field) / 1000;
	int64_t ky = key_of(y, sort_q->field) / 1000;
	int c;

	/* Whole seconds first (what the platforms show), then seq. */
	if (kx != ky)
		c = kx < ky ? -1 : 1;
	else
		c = x->seq < y->seq ? -1 : (x->seq > y->seq ? 1 : 0);
	return sort_q->ascending ? c : -c;
}

static int cmp_order_ptrs(const void *a, const void *b)
{
	return cmp_orders(*(const struct sim_order *const *)a,
			  *(const struct sim_order *const *)b);
}

enum wh_err store_select(const struct sim_shop *s, const struct sim_query *q,
			 struct sim_order **out, size_t *n)
{
	struct shop_state *st = &S.st[s->index];
	const struct sim_order **p;
	struct sim_order *v;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&S.mu);
	v = malloc((st->n ? st->n : 1) * sizeof(*v));
	p = malloc((st->n ? st->n : 1) * sizeof(*p));
	if (!v || !p) {
		pthread_mutex_unlock(&S.mu);
		free(v);
		free(p);
		return WH_ERR_NOMEM;
	}
	for (size_t i = 0; i < st->n; i++) {
		const struct sim_order *o = &st->orders[i];
		int64_t t = key_of(o, q->field) / 1000;

		if (t < q->from_ms / 1000 ||
		    (q->to_ms != INT64_MAX && t > q->to_ms / 1000))
			continue;
		if (q->keep && !q->keep(o, q->keep_ctx))
			continue;
		p[k++] = o;
	}
	/* Orders are large: sort pointers, copy each once. */
	sort_q = q;
	qsort(p, k, sizeof(*p), cmp_order_ptrs);
	for (size_t i = 0; i < k; i++)
		v[i] = *p[i];
	pthread_mutex_unlock(&S.mu);
	free(p);
	*out = v;
	*n = k;
	return WH_OK;
}

enum sim_change_result store_change(const struct sim_shop *s, const char *id,
				    enum sim_change what, int64_t now_ms,
				    struct sim_order *after)
{
	enum sim_change_result r = SIM_CHANGED;
	struct sim_order *o;

	pthread_mutex_lock(&S.mu);
	o = find_locked(s->index, id);
	if (!o) {
		r = SIM_CHANGE_NOT_FOUND;
		goto out;
	}
	switch (what) {
	case SIM_CHANGE_CANCEL:
		if (o->state == SIM_SHIPPED || o->state == SIM_PART_SHIPPED ||
		    o->state == SIM_CANCELLED)
			r = SIM_CHANGE_CONFLICT;
		else
			do_cancel(o, now_ms);
		break;
	case SIM_CHANGE_REFUND:
		if (o->state != SIM_PAID && o->state != SIM_PART_SHIPPED)
			r = SIM_CHANGE_CONFLICT;
		else
			do_refund(o, now_ms);
		break;
	case SIM_CHANGE_PAY:
		if (o->state != SIM_UNPAID)
			r = SIM_CHANGE_CONFLICT;
		else
			do_pay(o, now_ms);
		break;
	}
	if (after)
		*after = *o;
out:
	pthread_mutex_unlock(&S.mu);
	return r;
}

/* ---- shipments ---- */

static struct ship_rec *ship_find_pkg(int shop, const char *order,
				      const char *pkg)
{
	for (size_t i = 0; i < S.nships; i++) {
		struct ship_rec *r = &S.ships[i];

		if (r->shop == shop && !strcmp(r->order_id, order) &&
		    !strcmp(r->package_ref, pkg))
			return r;
	}
	return NULL;
}

static struct ship_rec *ship_push(void)
{
	if (S.nships == S.capships) {
		size_t cap = S.capships ? S.capships * 2 : 64;
		struct ship_rec *nv = realloc(S.ships, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		S.ships = nv;
		S.capships = cap;
	}
	memset(&S.ships[S.nships], 0, sizeof(S.ships[0]));
	return &S.ships[S.nships++];
}

static void fill_rec(struct ship_rec *r, const struct sim_ship *sh,
		     int64_t now_ms)
{
	snprintf(r->tracking, sizeof(r->tracking), "%s",
		 sh->tracking ? sh->tracking : "");
	snprintf(r->carrier, sizeof(r->carrier), "%s",
		 sh->carrier ? sh->carrier : "");
	r->time_ms = now_ms;
	snprintf(r->request_id, sizeof(r->request_id), "%s",
		 sh->request_id ? sh->request_id : "");
}

enum sim_ship_result store_ship(const struct sim_shop *s,
				const struct sim_ship *sh, int64_t now_ms,
				struct sim_order *after)
{
	struct sim_ship_item items[SIM_MAX_LINES];
	enum sim_ship_result res = SIM_SHIP_OK;
	struct sim_order *o;
	struct ship_rec *r;
	size_t nitems = 0;
	int qty = 0, left = 0;

	pthread_mutex_lock(&S.mu);
	o = find_locked(s->index, sh->order_id);
	if (!o) {
		res = SIM_SHIP_NOT_FOUND;
		goto out;
	}
	if (sh->package_ref && sh->package_ref[0]) {
		r = ship_find_pkg(s->index, o->id, sh->package_ref);
		if (r) {
			/* Re-sending a package edits it (Amazon). */
			fill_rec(r, sh, now_ms);
			r->edits++;
			snprintf(o->tracking, sizeof(o->tracking), "%s",
				 r->tracking);
			snprintf(o->carrier, sizeof(o->carrier), "%s",
				 r->carrier);
			touch(o, now_ms);
			res = SIM_SHIP_EDITED;
			goto out;
		}
	}
	if (o->state == SIM_CANCELLED) {
		res = SIM_SHIP_CANCELLED;
		goto out;
	}
	if (o->state == SIM_UNPAID) {
		res = SIM_SHIP_UNPAID;
		goto out;
	}
	if (o->state == SIM_SHIPPED) {
		res = SIM_SHIP_ALREADY;
		goto out;
	}
	for (int i = 0; i < o->nlines; i++)
		if (o->lines[i].refund && sh->refuse_refund) {
			res = SIM_SHIP_REFUND;
			goto out;
		}
	if (sh->items && sh->nitems) {
		for (size_t k = 0; k < sh->nitems; k++) {
			int i;

			for (i = 0; i < o->nlines; i++)
				if (!strcmp(o->lines[i].id,
					    sh->items[k].line_id))
					break;
			if (i == o->nlines || sh->items[k].qty <= 0 ||
			    sh->items[k].qty > o->lines[i].qty -
						     o->lines[i].shipped ||
			    nitems >= SIM_MAX_LINES) {
				res = SIM_SHIP_BAD_ITEM;
				goto out;
			}
			items[nitems++] = sh->items[k];
		}
	} else {
		for (int i = 0; i < o->nlines; i++) {
			int rest = o->lines[i].qty - o->lines[i].shipped;

			if (rest <= 0)
				continue;
			snprintf(items[nitems].line_id,
				 sizeof(items[nitems].line_id), "%s",
				 o->lines[i].id);
			items[nitems++].qty = rest;
		}
	}
	r = ship_push();
	if (!r) {
		res = SIM_SHIP_BAD_ITEM;
		goto out;
	}
	r->shop = s->index;
	snprintf(r->order_id, sizeof(r->order_id), "%s", o->id);
	snprintf(r->package_ref, sizeof(r->package_ref), "%s",
		 sh->package_ref ? sh->package_ref : "");
	fill_rec(r, sh, now_ms);
	for (size_t k = 0; k < nitems; k++) {
		for (int i = 0; i < o->nlines; i++)
			if (!strcmp(o->lines[i].id, items[k].line_id))
				o->lines[i].shipped += items[k].qty;
		r->items[k] = items[k];
		qty += items[k].qty;
	}
	r->nitems = (int)nitems;
	r->qty = qty;
	for (int i = 0; i < o->nlines; i++)
		left += o->lines[i].qty - o->lines[i].shipped;
	o->state = left ? SIM_PART_SHIPPED : SIM_SHIPPED;
	o->shipped_ms = now_ms;
	o->packages++;
	snprintf(o->tracking, sizeof(o->tracking), "%s", r->tracking);
	snprintf(o->carrier, sizeof(o->carrier), "%s", r->carrier);
	touch(o, now_ms);
out:
	if (o && after)
		*after = *o;
	pthread_mutex_unlock(&S.mu);
	return res;
}

/* ---- stock ---- */

static bool idem_seen_locked(struct shop_state *st, const char *idem)
{
	for (size_t i = 0; i < st->nidem; i++)
		if (!strcmp(st->idem[i], idem))
			return true;
	if (st->nidem == st->capidem) {
		size_t cap = st->capidem ? st->capidem * 2 : 64;
		char (*nv)[64] = realloc(st->idem, cap * sizeof(*nv));

		if (!nv)
			return false;
		st->idem = nv;
		st->capidem = cap;
	}
	snprintf(st->idem[st->nidem++], 64, "%s", idem);
	return false;
}

enum wh_err store_stock(const struct sim_shop *s, int sku, long long quantity,
			bool incremental, const char *idem,
			const char *request_id, int64_t now_ms,
			long long *level)
{
	struct shop_state *st = &S.st[s->index];
	struct stock_entry *e = NULL;

	pthread_mutex_lock(&S.mu);
	for (size_t i = 0; i < st->nstock; i++)
		if (st->stock[i].sku == sku)
			e = &st->stock[i];
	if (!e) {
		if (st->nstock == st->capstock) {
			size_t cap = st->capstock ? st->capstock * 2 : 64;
			struct stock_entry *nv;

			nv = realloc(st->stock, cap * sizeof(*nv));
			if (!nv) {
				pthread_mutex_unlock(&S.mu);
				return WH_ERR_NOMEM;
			}
			st->stock = nv;
			st->capstock = cap;
		}
		e = &st->stock[st->nstock++];
		memset(e, 0, sizeof(*e));
		e->sku = sku;
	}
	if (!(idem && *idem && idem_seen_locked(st, idem))) {
		e->level = incremental ? e->level + quantity : quantity;
		e->updates++;
		e->time_ms = now_ms;
		snprintf(e->request_id, sizeof(e->request_id), "%s",
			 request_id ? request_id : "");
		st->stock_history++;
	}
	if (level)
		*level = e->level;
	pthread_mutex_unlock(&S.mu);
	return WH_OK;
}

/* ---- JSON views ---- */

json_t *store_shipments_json(const struct sim_shop *s)
{
	json_t *arr = json_array();
	char t[32];

	pthread_mutex_lock(&S.mu);
	for (size_t i = 0; arr && i < S.nships; i++) {
		const struct ship_rec *r = &S.ships[i];
		const struct sim_shop *sh = &S.shops[r->shop];
		json_t *items;

		if (s && r->shop != s->index)
			continue;
		items = json_array();
		for (int k = 0; k < r->nitems; k++)
			json_array_append_new(items,
				json_pack("{s:s,s:i}", "line_id",
					  r->items[k].line_id, "quantity",
					  r->items[k].qty));
		fmt_iso_utc(r->time_ms / 1000, t, sizeof(t));
		json_array_append_new(arr, json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:s,s:I,s:s,s:i}",
			"shop", sh->code, "platform", sh->platform_name,
			"order_id", r->order_id, "tracking_number",
			r->tracking, "carrier", r->carrier,
			"package_reference_id", r->package_ref,
			"quantity", r->qty, "items", items, "time", t,
			"time_ms", (json_int_t)r->time_ms, "request_id",
			r->request_id, "edits", r->edits));
	}
	pthread_mutex_unlock(&S.mu);
	return json_pack("{s:I,s:o}", "count",
			 (json_int_t)json_array_size(arr), "shipments", arr);
}

json_t *store_stock_json(const struct sim_shop *s)
{
	json_t *arr = json_array();
	long history = 0;
	char code[16], t[32];

	pthread_mutex_lock(&S.mu);
	for (int i = 0; arr && i < SIM_SHOPS; i++) {
		const struct shop_state *st = &S.st[i];

		if (s && i != s->index)
			continue;
		history += st->stock_history;
		for (size_t k = 0; k < st->nstock; k++) {
			const struct stock_entry *e = &st->stock[k];

			snprintf(code, sizeof(code), "SKU-%06d", e->sku);
			fmt_iso_utc(e->time_ms / 1000, t, sizeof(t));
			json_array_append_new(arr, json_pack(
				"{s:s,s:s,s:I,s:I,s:s,s:s}", "shop",
				S.shops[i].code, "sku", code, "quantity",
				(json_int_t)e->level, "updates",
				(json_int_t)e->updates, "time", t,
				"request_id", e->request_id));
		}
	}
	pthread_mutex_unlock(&S.mu);
	return json_pack("{s:I,s:I,s:o}", "count",
			 (json_int_t)json_array_size(arr), "history_count",
			 (json_int_t)history, "stock", arr);
}

json_t *store_stats_json(void)
{
	json_t *eps = json_object(), *orders = json_object();

	pthread_mutex_lock(&S.mu);
	for (size_t i = 0; i < S.ncounters; i++)
		json_object_set_new(eps, S.counters[i].name,
				    json_integer(S.counters[i].n));
	for (int i = 0; i < SIM_SHOPS; i++)
		json_object_set_new(orders, S.shops[i].code,
				    json_integer((json_int_t)S.st[i].n));
	pthread_mutex_unlock(&S.mu);
	return json_pack("{s:I,s:o,s:{s:I,s:I,s:I,s:I},s:I,s:I,s:I,s:o}",
			 "requests", (json_int_t)S.requests,
			 "endpoints", eps,
			 "rejected", "signature",
			 (json_int_t)S.rejected_signature, "token",
			 (json_int_t)S.rejected_token, "timestamp",
			 (json_int_t)S.rejected_timestamp, "other",
			 (json_int_t)S.rejected_other,
			 "rejected_signatures",
			 (json_int_t)S.rejected_signature,
			 "throttled", (json_int_t)S.throttled,
			 "faults", (json_int_t)S.faults,
			 "orders", orders);
}

void store_count_request(void)
{
	pthread_mutex_lock(&S.mu);
	S.requests++;
	pthread_mutex_unlock(&S.mu);
}

void store_count(const char *endpoint)
{
	pthread_mutex_lock(&S.mu);
	for (size_t i = 0; i < S.ncounters; i++) {
		if (!strcmp(S.counters[i].name, endpoint)) {
			S.counters[i].n++;
			goto out;
		}
	}
	if (S.ncounters == S.capcounters) {
		size_t cap = S.capcounters ? S.capcounters * 2 : 32;
		struct counter *nv = realloc(S.counters, cap * sizeof(*nv));

		if (!nv)
			goto out;
		S.counters = nv;
		S.capcounters = cap;
	}
	snprintf(S.counters[S.ncounters].name,
		 sizeof(S.counters[0].name), "%s", endpoint);
	S.counters[S.ncounters++].n = 1;
out:
	pthread_mutex_unlock(&S.mu);
}

void store_count_rejected(const char *why)
{
	pthread_mutex_lock(&S.mu);
	if (!strcmp(why, "signature"))
		S.rejected_signature++;
	else if (!strcmp(why, "token"))
		S.rejected_token++;
	else if (!strcmp(why, "timestamp"))
		S.rejected_timestamp++;
	else
		S.rejected_other++;
	pthread_mutex_unlock(&S.mu);
}

void store_count_throttled(void)
{
	pthread_mutex_lock(&S.mu);
	S.throttled++;
	pthread_mutex_unlock(&S.mu);
}

void store_count_fault(void)
{
	pthread_mutex_lock(&S.mu);
	S.faults++;
	pthread_mutex_unlock(&S.mu);
}

/* ---- rate limits ---- */

bool store_take(const struct sim_shop *s, enum sim_op op, int64_t now_ms,
		double *rate, int *used, int *cap)
{
	struct sim_bucket *b;
	bool ok;

	/* Shopify: one bucket per store for every call. */
	if (s->platform == SIM_SHOPIFY)
		op = SIM_OP_LIST;
	pthread_mutex_lock(&S.mu);
	b = &S.st[s->index].buckets[op];
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last_ms = now_ms;
	}
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	if (rate)
		*rate = b->rate;
	if (used)
		*used = (int)(b->burst - b->tokens + 0.5);
	if (cap)
		*cap = (int)b->burst;
	pthread_mutex_unlock(&S.mu);
	return ok;
}

void store_set_limit(const struct sim_shop *s, enum sim_op op, double rate,
		     double burst, int64_t now_ms)
{
	pthread_mutex_lock(&S.mu);
	for (int i = 0; i < SIM_OP_COUNT; i++)
		if (op == SIM_OP_COUNT || (int)op == i)
			bucket_set(&S.st[s->index].buckets[i], rate, burst,
				   now_ms);
	pthread_mutex_unlock(&S.mu);
}

void store_reset_limits(int64_t now_ms)
{
	pthread_mutex_lock(&S.mu);
	reset_limits_locked(now_ms);
	pthread_mutex_unlock(&S.mu);
}

/* ---- paging ---- */

enum wh_err sim_page(const struct sim_shop *s, size_t n, size_t off,
		     size_t size, size_t **idx, size_t *count)
{
	struct sim_fault_hit hit;
	size_t end, k = 0, prev;
	size_t *v;

	*idx = NULL;
	*count = 0;
	if (off > n)
		off = n;
	end = size > n - off ? n : off + size;
	v = malloc((2 * (end - off) + size + 1) * sizeof(*v));
	if (!v)
		return WH_ERR_NOMEM;
	for (size_t i = off; i < end; i++)
		v[k++] = i;
	faults_take_paging(s, &hit);
	if (hit.kind == SIM_FAULT_DUPLICATE_PAGE) {
		/* Orders shifting between page reads: repeat the
		 * previous page (or this one on the first page). */
		prev = off >= size ? off - size : off;
		for (size_t i = prev; i < (off >= size ? off : end); i++)
			v[k++] = i;
	} else if (hit.kind == SIM_FAULT_OUT_OF_ORDER) {
		for (size_t i = 0; i < k / 2; i++) {
			size_t t = v[i];

			v[i] = v[k - 1 - i];
			v[k - 1 - i] = t;
		}
	}
	*idx = v;
	*count = k;
	return WH_OK;
}

int64_t sim_key_s(const struct sim_order *o, enum sim_time_field f)
{
	return key_of(o, f) / 1000;
}

size_t sim_after(const struct sim_order *v, size_t n, enum sim_time_field f,
		 bool ascending, int64_t key_s, uint64_t seq)
{
	size_t i = 0;

	if (key_s == INT64_MIN)
		return 0;
	for (; i < n; i++) {
		int64_t k = sim_key_s(&v[i], f);
		bool after;

		if (ascending)
			after = k > key_s || (k == key_s && v[i].seq > seq);
		else
			after = k < key_s || (k == key_s && v[i].seq < seq);
		if (after)
			break;
	}
	return i;
}
