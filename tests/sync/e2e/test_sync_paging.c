/*
 * test_sync_paging.c - orders changing on the platform, or entering the
 * window, while the sync pages through it must not make it skip any.
 *
 * A platform lists a window newest first; the sync reads page 1 (for
 * the total), then walks from the last page back to page 2 and reads
 * page 1 again. Orders changed meanwhile leave the window and the rest
 * shift towards page 1, so the page 1 read at the start no longer holds
 * what is at its end. Orders that enter the window meanwhile land at
 * its front (they are newer than the rest: a platform whose list lags,
 * or orders placed in the window's last second) and push the rest
 * towards the last page, onto pages already read: the walk must notice
 * and read the window again.
 *
 * The simulator holds one read of the walk ("hold" fault) until the
 * test has changed the platform, so the read answers from the changed
 * state however slowly the test ran; every order must arrive in that
 * same pass. Each case runs on a fresh database and simulator. TOP and
 * JD/PDD/Douyin share one walk (sync_walk_backwards), but TOP had its
 * own until it lost orders entering the window: TB-FLAGSHIP is in every
 * case, with PDD-MAIN, and JD-SELF for orders entering.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/seed.h"
#include "e2e.h"
#include "harness.h"

/* Orders in the window before the walk; a page is 100 on every one of
 * these platforms, so the walk reads page 1, 3, 2 and 1 again. */
#define OLD_ORDERS 250
#define NEW_ORDERS 100

static struct db *db;

static void *pass(void *p)
{
	e2e_run_once(p);
	return NULL;
}

/*
 * Holds the shop's third request from now on: the first two pass (a 1 ms
 * clock skew is within limits), the third waits for release_held() (at
 * most a minute). Rules of a shop fire in the order they were added.
 */
static void hold_third_request(const char *shop)
{
	json_decref(e2e_sim("POST", "/_sim/faults", "{\"shop\":\"%s\",\"kind\":"
			    "\"clock_skew\",\"count\":2,\"delay_ms\":1}",
			    shop));
	json_decref(e2e_sim("POST", "/_sim/faults", "{\"shop\":\"%s\",\"kind\":"
			    "\"hold\",\"count\":1,\"delay_ms\":60000}", shop));
}

/* Waits (at most a minute) until the held request has arrived: its rule
 * is spent. */
static void wait_held(const char *shop)
{
	int64_t end = e2e_now_ms() + 60000;

	for (;;) {
		json_t *j = e2e_sim("GET", "/_sim/faults", NULL), *r;
		size_t k;
		bool pending = false;

		json_array_foreach(json_object_get(j, "faults"), k, r)
			if (!strcmp(json_string_value(json_object_get(r,
								      "shop")),
				    shop))
				pending = true;
		json_decref(j);
		if (!pending)
			return;
		if (e2e_now_ms() > end)
			fail_msg("%s: the sync never made its third request",
				 shop);
		e2e_sleep_ms(20);
	}
}

static void release_held(void)
{
	json_decref(e2e_sim("POST", "/_sim/faults/release", NULL));
}

/* How many of the ids (a JSON array) the shop's orders in wharf lack. */
static int64_t missing(const char *shop, json_t *ids)
{
	struct db_result *r = NULL;
	struct wh_error e;
	const char *params[2];
	char *text = json_dumps(ids, JSON_COMPACT);
	int64_t n;

	assert_non_null(text);
	params[0] = text;
	params[1] = shop;
	if (db_exec(db, "SELECT count(*) FROM jsonb_array_elements_text($1) "
			"AS x(id) WHERE NOT EXISTS (SELECT 1 FROM "
			"wharf.sales_order o JOIN wharf.shop s ON s.id = "
			"o.shop_id WHERE s.code = $2 AND o.platform_order_id = "
			"x.id)", 2, params, &r, &e))
		fail_msg("%s", e.msg);
	n = db_result_int64(r, 0, 0);
	db_result_free(r);
	free(text);
	return n;
}

/* The ids of count new orders of the shop placed age_s ago (a new
 * reference). */
static json_t *make_orders(const char *shop, int count, int age_s)
{
	json_t *made = e2e_sim("POST", "/_sim/orders", "{\"shop\":\"%s\","
			       "\"count\":%d,\"age_s\":%d}", shop, count,
			       age_s);
	json_t *ids = json_incref(json_object_get(made, "ids"));

	json_decref(made);
	assert_int_equal(json_array_size(ids), (size_t)count);
	return ids;
}

static void shop_changes_mid_walk(const char *shop)
{
	struct sync_stats st;
	pthread_t t;
	json_t *ids, *id, *keep = json_array();
	char path[160];
	size_t k;
	long changed = 0;
	int64_t n;

	ids = make_orders(shop, OLD_ORDERS, 1000);
	/* A shop read before starts over from the initial look-back. */
	snprintf(path, sizeof(path), "DELETE FROM wharf.sync_cursor WHERE "
		 "shop_id = (SELECT id FROM wharf.shop WHERE code = '%s')",
		 shop);
	th_exec(db, path);
	/* Requests 1 and 2 are the first window (empty) and page 1 of the
	 * second; request 3, its last page, is held. */
	hold_third_request(shop);
	assert_int_equal(pthread_create(&t, NULL, pass, &st), 0);
	wait_held(shop);
	/* Change every fifth order, across all pages. */
	json_array_foreach(ids, k, id) {
		if (k % 5 == 0) {
			snprintf(path, sizeof(path), "/_sim/orders/%s/%s/cancel",
				 shop, json_string_value(id));
			json_decref(e2e_sim("POST", path, NULL));
			changed++;
		} else {
			json_array_append(keep, id);
		}
	}
	release_held();
	pthread_join(t, NULL);
	n = missing(shop, keep);
	json_decref(keep);
	json_decref(ids);
	json_decref(e2e_sim("DELETE", "/_sim/faults", NULL));
	assert_int_equal(st.errors, 0);
	assert_int_equal(changed, 50);
	if (n != 0)
		fail_msg("%s: %lld unchanged orders skipped", shop,
			 (long long)n);
}

static void shop_enters_mid_walk(const char *shop)
{
	struct sync_stats st;
	pthread_t t;
	json_t *old, *entered;
	char sql[400];
	int64_t n_old, n_entered;

	old = make_orders(shop, OLD_ORDERS, 1000);
	/* One window a little longer than the orders' age, whatever the
	 * passes before left (the cursor minus the overlap is its start). */
	snprintf(sql, sizeof(sql), "INSERT INTO wharf.sync_cursor (shop_id, "
		 "stream, watermark) SELECT id, 'orders', now() - interval "
		 "'1000 s' FROM wharf.shop WHERE code = '%s' ON CONFLICT "
		 "(shop_id, stream) DO UPDATE SET watermark = "
		 "EXCLUDED.watermark", shop);
	th_exec(db, sql);
	/* Request 1 is page 1 (for the total: 3 pages), request 2 page 3,
	 * request 3, held, page 2 (on TOP it may be the detail of an order
	 * listed without its lines: a read after page 1's all the same). */
	hold_third_request(shop);
	assert_int_equal(pthread_create(&t, NULL, pass, &st), 0);
	wait_held(shop);
	/* Newer than the rest, well inside the window: at its front, they
	 * push every older order a page further back. */
	entered = make_orders(shop, NEW_ORDERS, 500);
	release_held();
	pthread_join(t, NULL);
	n_old = missing(shop, old);
	n_entered = missing(shop, entered);
	json_decref(entered);
	json_decref(old);
	json_decref(e2e_sim("DELETE", "/_sim/faults", NULL));
	assert_int_equal(st.errors, 0);
	if (n_old != 0)
		fail_msg("%s: %lld of the %d orders in the window were skipped "
			 "when %d entered it during the walk", shop,
			 (long long)n_old, OLD_ORDERS, NEW_ORDERS);
	if (n_entered != 0)
		fail_msg("%s: %lld of the %d orders that entered the window "
			 "during the walk were not read", shop,
			 (long long)n_entered, NEW_ORDERS);
}

static void test_changes_mid_walk(void **state)
{
	(void)state;
	shop_changes_mid_walk("TB-FLAGSHIP");
	shop_changes_mid_walk("PDD-MAIN");
}

static void test_enters_mid_walk(void **state)
{
	(void)state;
	shop_enters_mid_walk("TB-FLAGSHIP");
	shop_enters_mid_walk("PDD-MAIN");
	shop_enters_mid_walk("JD-SELF");
}

/* A demo-seeded database and a simulator of its own for each case: the
 * simulator's order ids repeat from one start to the next. */
static int setup(void **state)
{
	struct seed_report rep;
	struct wh_error e;
	char sql[512];

	(void)state;
	th_create_db("sync_paging", true, e2e_conninfo, sizeof(e2e_conninfo));
	db = th_connect(e2e_conninfo);
	assert_int_equal(db_seed_demo(db, 1, NULL, &rep, &e), WH_OK);
	e2e_sim_start();
	snprintf(sql, sizeof(sql), "UPDATE wharf.shop SET api_base_url = "
		 "'%s/' || code; DELETE FROM wharf.shop_sku WHERE outer_code "
		 "> 'SKU-000040'", e2e_sim_base());
	th_exec(db, sql);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	db = NULL;
	e2e_sim_stop();
	th_drop_db("sync_paging");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_changes_mid_walk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_enters_mid_walk, setup,
						teardown),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	/* Longer than any hold lasts: a held read must be answered, not
	 * given up and sent again before the platform changed. */
	e2e_http_timeout_ms = 90000;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_sim_stop();
	return rc;
}
