/* sync_walk_backwards() against an in-memory platform whose order list
 * changes between page reads the way a live shop's does: orders modified
 * to the front, orders entering the window, failures on any call. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync/order.h"
#include "sync/sync_adapter.h"

/* Small pages so a handful of orders makes a window of several. */
#define PAGE 3
#define MAX_ORDERS 32
#define MAX_STEPS 4
#define MAX_DELIVERIES 32
#define EVERY_CALL (-1L)

struct fake_order {
	char id[16];
	int64_t modified_at;
};

enum fake_op {
	FAKE_MOVE,   /* id (NULL: the oldest) modified now: to the front */
	FAKE_INSERT, /* id enters at modified_at (0: now), sorted */
};

/* A change to the platform once list call after_call has been served. */
struct fake_step {
	long after_call; /* 1-based; EVERY_CALL: after each one */
	enum fake_op op;
	const char *id;
	int64_t modified_at;
};

struct fake_delivery {
	char ids[128]; /* "o1,o2,o3" */
	size_t n;
	bool last;
};

struct fake {
	/* What the walker is given; it may need no more than this. */
	struct sync_ctx c;
	struct sync_shop s;
	struct sync_window w;
	struct wh_error err;
	long first_page;

	/* The platform: newest first, as the list endpoints sort. */
	struct fake_order v[MAX_ORDERS];
	size_t n;
	int64_t clock;       /* the newest modified_at so far */
	bool unknown_total;  /* send total -1, only has_next */
	int64_t claimed_total; /* send this total instead (0: the real one) */
	struct fake_step step[MAX_STEPS];
	size_t nsteps;
	long fail_call;      /* this list call fails (0: none) */
	enum wh_err fail_rc;

	/* What happened. */
	long calls;
	char pages[256];     /* pages requested in order, "1,3,2,1" */
	struct fake_delivery d[MAX_DELIVERIES];
	size_t nd;
	size_t page_fail_at; /* this delivery (1-based) fails (0: none) */
	enum wh_err page_fail_rc;
};

/* sync_list_fn has no context argument: the test's platform is here. */
static struct fake *cur;

static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	assert_true(len + strlen(s) + 2 <= size);
	snprintf(buf + len, size - len, "%s%s", len ? "," : "", s);
}

/* n orders o1 (newest) .. on, ten seconds apart. */
static void fake_init(struct fake *f, size_t n)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->s.code, sizeof(f->s.code), "SHOP-W");
	f->w.start = 0;
	f->w.end = 2000;
	f->first_page = 1;
	f->clock = 1000;
	assert_true(n <= MAX_ORDERS);
	for (size_t i = 0; i < n; i++) {
		snprintf(f->v[i].id, sizeof(f->v[i].id), "o%zu", i + 1);
		f->v[i].modified_at = 1000 - 10 * (int64_t)i;
	}
	f->n = n;
	cur = f;
}

static void fake_step(struct fake *f, long after_call, enum fake_op op,
		      const char *id, int64_t modified_at)
{
	assert_true(f->nsteps < MAX_STEPS);
	f->step[f->nsteps++] = (struct fake_step){ after_call, op, id,
						   modified_at };
}

static size_t fake_find(const struct fake *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].id, id))
			return i;
	fail_msg("no order %s on the platform", id);
	return 0;
}

/* Keeps the newest-first order the platform promises. */
static void fake_put(struct fake *f, struct fake_order o)
{
	size_t at = 0;

	assert_true(f->n < MAX_ORDERS);
	while (at < f->n && f->v[at].modified_at >= o.modified_at)
		at++;
	memmove(&f->v[at + 1], &f->v[at], (f->n - at) * sizeof(f->v[0]));
	f->v[at] = o;
	f->n++;
}

static void fake_apply(struct fake *f, const struct fake_step *st)
{
	struct fake_order o;
	size_t i;

	switch (st->op) {
	case FAKE_MOVE:
		assert_true(f->n > 0);
		i = st->id ? fake_find(f, st->id) : f->n - 1;
		o = f->v[i];
		memmove(&f->v[i], &f->v[i + 1],
			(f->n - i - 1) * sizeof(f->v[0]));
		f->n--;
		o.modified_at = ++f->clock;
		fake_put(f, o);
		break;
	case FAKE_INSERT:
		memset(&o, 0, sizeof(o));
		snprintf(o.id, sizeof(o.id), "%s", st->id);
		o.modified_at = st->modified_at ? st->modified_at : ++f->clock;
		fake_put(f, o);
		break;
	}
}

static enum wh_err fake_list(struct sync_ctx *c, struct sync_shop *s,
			     const struct sync_window *w, long page,
			     struct sync_order_list *list, json_t **root,
			     struct wh_error *err)
{
	struct fake *f = cur;
	char num[24];
	size_t from;
	long idx;

	/* The walker hands its arguments through untouched. */
	assert_ptr_equal(c, &f->c);
	assert_ptr_equal(s, &f->s);
	assert_ptr_equal(w, &f->w);
	assert_ptr_equal(err, &f->err);
	assert_non_null(root);
	/* The walker initialised it and owns it from here. */
	assert_int_equal(list->n, 0);
	assert_null(list->v);
	f->calls++;
	snprintf(num, sizeof(num), "%ld", page);
	append(f->pages, sizeof(f->pages), num);
	*root = NULL;
	if (f->calls == f->fail_call)
		return wh_error_set(err, f->fail_rc, "fake: connection reset");

	idx = page - f->first_page;
	assert_true(idx >= 0);
	from = (size_t)idx * PAGE;
	list->total = f->unknown_total ? -1 :
		      f->claimed_total ? f->claimed_total : (int64_t)f->n;
	list->has_next = from + PAGE < f->n;
	for (size_t i = from; i < f->n && i < from + PAGE; i++) {
		struct sync_order *o;

		if (list->n == list->cap) {
			size_t cap = list->cap ? 2 * list->cap : 4;
			struct sync_order *v;

			v = realloc(list->v, cap * sizeof(*v));
			assert_non_null(v);
			list->v = v;
			list->cap = cap;
		}
		o = &list->v[list->n];
		memset(o, 0, sizeof(*o));
		o->order_id = strdup(f->v[i].id);
		assert_non_null(o->order_id);
		o->modified_at = f->v[i].modified_at;
		list->n++;
	}

	/* The platform moves on while the walker holds this page. */
	for (size_t k = 0; k < f->nsteps; k++)
		if (f->step[k].after_call == f->calls ||
		    f->step[k].after_call == EVERY_CALL)
			fake_apply(f, &f->step[k]);
	return WH_OK;
}

static enum wh_err fake_page(void *ctx, const struct sync_order_list *l,
			     const json_t *raw, bool last,
			     struct wh_error *err)
{
	struct fake *f = ctx;
	struct fake_delivery *d;

	assert_ptr_equal(f, cur);
	assert_ptr_equal(err, &f->err);
	/* raw_of is NULL: no raw copies. */
	assert_null(raw);
	assert_true(f->nd < MAX_DELIVERIES);
	d = &f->d[f->nd++];
	d->n = l->n;
	d->last = last;
	for (size_t i = 0; i < l->n; i++)
		append(d->ids, sizeof(d->ids), l->v[i].order_id);
	if (f->nd == f->page_fail_at)
		return wh_error_set(err, f->page_fail_rc, "ingest: disk full");
	return WH_OK;
}

static enum wh_err walk(struct fake *f)
{
	return sync_walk_backwards(&f->c, &f->s, &f->w, f->first_page, PAGE,
				   fake_list, NULL, fake_page, f, &f->err);
}

static void assert_delivery(const struct fake *f, size_t i, const char *ids,
			    bool last)
{
	assert_true(i < f->nd);
	assert_string_equal(f->d[i].ids, ids);
	assert_int_equal(f->d[i].last, last);
}

/* How often id was delivered in deliveries [from, to). */
static int delivered(const struct fake *f, const char *id, size_t from,
		     size_t to)
{
	size_t len = strlen(id);
	int count = 0;

	for (size_t i = from; i < to && i < f->nd; i++) {
		const char *t = f->d[i].ids;

		while (*t) {
			const char *end = strchr(t, ',');
			size_t n = end ? (size_t)(end - t) : strlen(t);

			count += n == len && !strncmp(t, id, len);
			t += n + (end != NULL);
		}
	}
	return count;
}

static int lasts(const struct fake *f)
{
	int count = 0;

	for (size_t i = 0; i < f->nd; i++)
		count += f->d[i].last;
	return count;
}

static void test_walk_stable(void **state)
{
	struct fake f;
	char id[16];

	(void)state;
	fake_init(&f, 8);
	assert_int_equal(walk(&f), WH_OK);
	/* Page 1 for the total, the rest oldest first, page 1 again. */
	assert_string_equal(f.pages, "1,3,2,1");
	assert_int_equal(f.nd, 3);
	assert_delivery(&f, 0, "o7,o8", false);
	assert_delivery(&f, 1, "o4,o5,o6", false);
	assert_delivery(&f, 2, "o1,o2,o3", true);
	for (int i = 1; i <= 8; i++) {
		snprintf(id, sizeof(id), "o%d", i);
		assert_int_equal(delivered(&f, id, 0, f.nd), 1);
	}
	assert_int_equal(lasts(&f), 1);
}

static void test_walk_whole_pages(void **state)
{
	struct fake f;

	(void)state;
	/* A total that fills its last page exactly adds no empty page. */
	fake_init(&f, 6);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,2,1");
	assert_int_equal(f.nd, 2);
	assert_delivery(&f, 0, "o4,o5,o6", false);
	assert_delivery(&f, 1, "o1,o2,o3", true);
}

static void test_walk_first_page_zero(void **state)
{
	struct fake f;

	(void)state;
	/* Douyin counts pages from 0. */
	fake_init(&f, 7);
	f.first_page = 0;
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "0,2,1,0");
	assert_int_equal(f.nd, 3);
	assert_delivery(&f, 0, "o7", false);
	assert_delivery(&f, 1, "o4,o5,o6", false);
	assert_delivery(&f, 2, "o1,o2,o3", true);
}

static void test_walk_single_page(void **state)
{
	struct fake f;

	(void)state;
	/* One page, full: read once, nothing to compare it with. */
	fake_init(&f, PAGE);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1");
	assert_int_equal(f.nd, 1);
	assert_delivery(&f, 0, "o1,o2,o3", true);

	fake_init(&f, 1);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1");
	assert_int_equal(f.nd, 1);
	assert_delivery(&f, 0, "o1", true);
}

static void test_walk_empty(void **state)
{
	struct fake f;

	(void)state;
	/* An empty window still ends with last, so the cursor moves. */
	fake_init(&f, 0);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1");
	assert_int_equal(f.nd, 1);
	assert_delivery(&f, 0, "", true);
	assert_int_equal(f.d[0].n, 0);
}

static void test_walk_order_moves_to_front(void **state)
{
	struct fake f;
	char id[16];

	(void)state;
	/* o7, just read on page 3, is modified: it goes to the front and
	 * pushes o6 from page 2, not read yet, onto page 3. */
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_MOVE, "o7", 0);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,3,2,1,1,3,2,1");
	assert_int_equal(f.nd, 6);
	assert_delivery(&f, 0, "o7", false);
	assert_delivery(&f, 1, "o3,o4,o5", false);
	assert_delivery(&f, 2, "o7,o1,o2", false);
	assert_delivery(&f, 3, "o6", false);
	assert_delivery(&f, 4, "o3,o4,o5", false);
	assert_delivery(&f, 5, "o7,o1,o2", true);
	/* The first walk missed o6; the second found it. */
	assert_int_equal(delivered(&f, "o6", 0, 3), 0);
	assert_int_equal(delivered(&f, "o6", 3, f.nd), 1);
	for (int i = 1; i <= 7; i++) {
		snprintf(id, sizeof(id), "o%d", i);
		assert_true(delivered(&f, id, 0, f.nd) >= 1);
	}
	assert_int_equal(lasts(&f), 1);
}

static void test_walk_move_within_first_page(void **state)
{
	struct fake f;

	(void)state;
	/* o3 moves up within page 1: nothing shifts across a page, yet
	 * page 1's newest grew, so the window is read again. It costs a
	 * walk and loses nothing. */
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_MOVE, "o3", 0);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,3,2,1,1,3,2,1");
	assert_int_equal(f.nd, 6);
	assert_delivery(&f, 2, "o3,o1,o2", false);
	assert_delivery(&f, 5, "o3,o1,o2", true);
	assert_int_equal(lasts(&f), 1);
}

static void test_walk_new_order_enters(void **state)
{
	struct fake f;
	char id[16];

	(void)state;
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_INSERT, "n1", 0);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,3,2,1,1,3,2,1");
	assert_int_equal(f.nd, 6);
	assert_delivery(&f, 0, "o7", false);
	assert_delivery(&f, 1, "o3,o4,o5", false);
	assert_delivery(&f, 2, "n1,o1,o2", false);
	/* Eight orders now: page 3 holds two. */
	assert_delivery(&f, 3, "o6,o7", false);
	assert_delivery(&f, 4, "o3,o4,o5", false);
	assert_delivery(&f, 5, "n1,o1,o2", true);
	assert_int_equal(delivered(&f, "o6", 0, 3), 0);
	assert_true(delivered(&f, "n1", 0, f.nd) >= 1);
	for (int i = 1; i <= 7; i++) {
		snprintf(id, sizeof(id), "o%d", i);
		assert_true(delivered(&f, id, 0, f.nd) >= 1);
	}
	assert_int_equal(lasts(&f), 1);
}

static void test_walk_order_enters_mid_window(void **state)
{
	struct fake f;

	(void)state;
	/* An order that enters behind the front (a late-indexed one, 955
	 * between o5 and o6) leaves page 1's newest alone: the total alone
	 * must tell. */
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_INSERT, "m1", 955);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,3,2,1,1,3,2,1");
	assert_int_equal(f.nd, 6);
	assert_delivery(&f, 0, "o7", false);
	assert_delivery(&f, 1, "o4,o5,m1", false);
	assert_delivery(&f, 2, "o1,o2,o3", false);
	assert_delivery(&f, 3, "o6,o7", false);
	assert_delivery(&f, 4, "o4,o5,m1", false);
	assert_delivery(&f, 5, "o1,o2,o3", true);
	assert_int_equal(delivered(&f, "o6", 0, 3), 0);
	assert_int_equal(delivered(&f, "o6", 3, f.nd), 1);
	assert_int_equal(lasts(&f), 1);
}

static void test_walk_settles_on_third(void **state)
{
	struct fake f;

	(void)state;
	/* Moves during the first two walks; the third is the last allowed
	 * and reads a still window. */
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_MOVE, NULL, 0);
	fake_step(&f, 6, FAKE_MOVE, NULL, 0);
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,3,2,1,1,3,2,1,1,3,2,1");
	assert_int_equal(f.nd, 9);
	/* o7 then o6 went to the front. */
	assert_delivery(&f, 6, "o5", false);
	assert_delivery(&f, 7, "o2,o3,o4", false);
	assert_delivery(&f, 8, "o6,o7,o1", true);
	assert_int_equal(lasts(&f), 1);
}

static void test_walk_keeps_moving(void **state)
{
	struct fake f;

	(void)state;
	/* The oldest order goes to the front after every call. */
	fake_init(&f, 7);
	fake_step(&f, EVERY_CALL, FAKE_MOVE, NULL, 0);
	assert_int_equal(walk(&f), WH_ERR_RETRY);
	assert_int_equal(f.err.code, WH_ERR_RETRY);
	assert_non_null(strstr(f.err.msg, "SHOP-W"));
	/* Three walks, each delivered whole, none with last. */
	assert_string_equal(f.pages, "1,3,2,1,1,3,2,1,1,3,2,1");
	assert_int_equal(f.nd, 9);
	assert_int_equal(lasts(&f), 0);
}

static void test_walk_list_error(void **state)
{
	struct fake f;

	(void)state;
	/* Page 2 fails: page 3 was delivered, nothing more is read. */
	fake_init(&f, 7);
	f.fail_call = 3;
	f.fail_rc = WH_ERR_IO;
	assert_int_equal(walk(&f), WH_ERR_IO);
	assert_int_equal(f.err.code, WH_ERR_IO);
	assert_string_equal(f.err.msg, "fake: connection reset");
	assert_string_equal(f.pages, "1,3,2");
	assert_int_equal(f.nd, 1);
	assert_delivery(&f, 0, "o7", false);

	/* The first read fails: nothing delivered. */
	fake_init(&f, 7);
	f.fail_call = 1;
	f.fail_rc = WH_ERR_IO;
	assert_int_equal(walk(&f), WH_ERR_IO);
	assert_string_equal(f.pages, "1");
	assert_int_equal(f.nd, 0);

	/* Page 1 read again fails: the window is not ended. */
	fake_init(&f, 7);
	f.fail_call = 4;
	f.fail_rc = WH_ERR_IO;
	assert_int_equal(walk(&f), WH_ERR_IO);
	assert_string_equal(f.err.msg, "fake: connection reset");
	assert_string_equal(f.pages, "1,3,2,1");
	assert_int_equal(f.nd, 2);
	assert_int_equal(lasts(&f), 0);

	/* A failure in the second walk does not turn into RETRY. */
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_MOVE, "o7", 0);
	f.fail_call = 6;
	f.fail_rc = WH_ERR_PERM;
	assert_int_equal(walk(&f), WH_ERR_PERM);
	assert_int_equal(f.err.code, WH_ERR_PERM);
	assert_string_equal(f.err.msg, "fake: connection reset");
	assert_string_equal(f.pages, "1,3,2,1,1,3");
	assert_int_equal(f.nd, 3);
	assert_int_equal(lasts(&f), 0);
}

static void test_walk_page_error(void **state)
{
	struct fake f;

	(void)state;
	/* The ingest refuses page 2: the walk stops there. */
	fake_init(&f, 7);
	f.page_fail_at = 2;
	f.page_fail_rc = WH_ERR_DB;
	assert_int_equal(walk(&f), WH_ERR_DB);
	assert_int_equal(f.err.code, WH_ERR_DB);
	assert_string_equal(f.err.msg, "ingest: disk full");
	assert_string_equal(f.pages, "1,3,2");
	assert_int_equal(f.nd, 2);
	assert_int_equal(lasts(&f), 0);

	/* It refuses page 1 of a moved window: no second walk. */
	fake_init(&f, 7);
	fake_step(&f, 2, FAKE_MOVE, "o7", 0);
	f.page_fail_at = 3;
	f.page_fail_rc = WH_ERR_DB;
	assert_int_equal(walk(&f), WH_ERR_DB);
	assert_string_equal(f.pages, "1,3,2,1");
	assert_int_equal(f.nd, 3);
	assert_int_equal(lasts(&f), 0);

	/* It refuses the last page: that is what the walker returns. */
	fake_init(&f, 7);
	f.page_fail_at = 3;
	f.page_fail_rc = WH_ERR_DB;
	assert_int_equal(walk(&f), WH_ERR_DB);
	assert_string_equal(f.pages, "1,3,2,1");
	assert_int_equal(f.nd, 3);
	assert_delivery(&f, 2, "o1,o2,o3", true);
}

static void test_walk_unknown_total(void **state)
{
	struct fake f;

	(void)state;
	/* total -1 with has_next: the pages are counted by reading forward
	 * until one says it is the last, then walked backwards as usual,
	 * so page 3 (o7) is delivered before page 1 ends the window. */
	fake_init(&f, 7);
	f.unknown_total = true;
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1,2,3,3,2,1");
	assert_int_equal(f.nd, 3);
	assert_delivery(&f, 0, "o7", false);
	assert_delivery(&f, 1, "o4,o5,o6", false);
	assert_delivery(&f, 2, "o1,o2,o3", true);

	/* Without has_next it is one page. */
	fake_init(&f, PAGE);
	f.unknown_total = true;
	assert_int_equal(walk(&f), WH_OK);
	assert_string_equal(f.pages, "1");
	assert_int_equal(f.nd, 1);
	assert_delivery(&f, 0, "o1,o2,o3", true);
}

static void test_walk_hostile_total(void **state)
{
	struct fake f;

	(void)state;
	/* A total no window holds (here the largest int64, which overflowed
	 * the page arithmetic once) is refused after one request: nothing
	 * delivered, the window not ended. */
	fake_init(&f, 7);
	f.claimed_total = INT64_MAX;
	assert_int_equal(walk(&f), WH_ERR_INVALID);
	assert_non_null(strstr(f.err.msg, "SHOP-W"));
	assert_string_equal(f.pages, "1");
	assert_int_equal(f.nd, 0);
	assert_int_equal(lasts(&f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_stable),
		cmocka_unit_test(test_walk_whole_pages),
		cmocka_unit_test(test_walk_first_page_zero),
		cmocka_unit_test(test_walk_single_page),
		cmocka_unit_test(test_walk_empty),
		cmocka_unit_test(test_walk_order_moves_to_front),
		cmocka_unit_test(test_walk_move_within_first_page),
		cmocka_unit_test(test_walk_new_order_enters),
		cmocka_unit_test(test_walk_order_enters_mid_window),
		cmocka_unit_test(test_walk_settles_on_third),
		cmocka_unit_test(test_walk_keeps_moving),
		cmocka_unit_test(test_walk_list_error),
		cmocka_unit_test(test_walk_page_error),
		cmocka_unit_test(test_walk_unknown_total),
		cmocka_unit_test(test_walk_hostile_total),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
