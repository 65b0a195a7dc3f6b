/*
 * test_sync_paging.c - orders changing on the platform while the sync
 * pages through a window must not make it skip the ones that did not.
 *
 * A platform lists a window newest first; the sync reads page 1 (for
 * the total), then walks from the last page back. When orders of the
 * window change meanwhile they leave it and the rest shift towards page
 * 1, so the page 1 read at the start no longer holds what is at its end.
 * Here the simulator holds the read of the last page for 1.5 s and the
 * test changes orders during it; every order that did not change must
 * still arrive in that same pass. TOP has its own walk, JD/PDD/Douyin
 * share one: one shop of each.
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

static struct db *db;

static void *pass(void *p)
{
	e2e_run_once(p);
	return NULL;
}

static bool slow_pending(const char *shop)
{
	json_t *j = e2e_sim("GET", "/_sim/faults", NULL), *r;
	size_t k;
	bool pending = false;

	json_array_foreach(json_object_get(j, "faults"), k, r)
		if (!strcmp(json_string_value(json_object_get(r, "kind")),
			    "slow") &&
		    !strcmp(json_string_value(json_object_get(r, "shop")),
			    shop))
			pending = true;
	json_decref(j);
	return pending;
}

static void shop_changes_mid_walk(const char *shop)
{
	struct sync_stats st;
	pthread_t t;
	json_t *made, *ids, *id, *keep = json_array();
	struct db_result *r = NULL;
	struct wh_error e;
	const char *params[2];
	char path[160], *text;
	size_t k;
	long changed = 0;
	int64_t end;

	snprintf(path, sizeof(path), "{\"shop\":\"%s\",\"count\":250,"
		 "\"age_s\":1000}", shop);
	made = e2e_sim("POST", "/_sim/orders", "%s", path);
	ids = json_object_get(made, "ids");
	assert_int_equal(json_array_size(ids), 250);
	/* A shop read before starts over from the initial look-back. */
	snprintf(path, sizeof(path), "DELETE FROM wharf.sync_cursor WHERE "
		 "shop_id = (SELECT id FROM wharf.shop WHERE code = '%s')",
		 shop);
	th_exec(db, path);
	/* Requests 1 and 2 (the first window, empty, and page 1 of the
	 * second) pass untouched (a 1 ms clock skew is within limits);
	 * request 3, the last page, is held. */
	json_decref(e2e_sim("POST", "/_sim/faults", "{\"shop\":\"%s\",\"kind\":"
			    "\"clock_skew\",\"count\":2,\"delay_ms\":1}",
			    shop));
	json_decref(e2e_sim("POST", "/_sim/faults", "{\"shop\":\"%s\",\"kind\":"
			    "\"slow\",\"count\":1,\"delay_ms\":1500}", shop));
	assert_int_equal(pthread_create(&t, NULL, pass, &st), 0);
	end = e2e_now_ms() + 60000;
	while (slow_pending(shop) && e2e_now_ms() < end)
		e2e_sleep_ms(20);
	assert_false(slow_pending(shop));
	/* The held request is being answered slowly: change every fifth
	 * order, across all pages. */
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
	pthread_join(t, NULL);
	assert_int_equal(st.errors, 0);
	assert_int_equal(changed, 50);

	text = json_dumps(keep, JSON_COMPACT);
	assert_non_null(text);
	params[0] = text;
	params[1] = shop;
	if (db_exec(db, "SELECT count(*) FROM jsonb_array_elements_text($1) "
			"AS x(id) WHERE NOT EXISTS (SELECT 1 FROM "
			"wharf.sales_order o JOIN wharf.shop s ON s.id = "
			"o.shop_id WHERE s.code = $2 AND o.platform_order_id = "
			"x.id)", 2, params, &r, &e))
		fail_msg("%s", e.msg);
	if (db_result_int64(r, 0, 0) != 0)
		fail_msg("%s: %lld unchanged orders skipped", shop,
			 (long long)db_result_int64(r, 0, 0));
	db_result_free(r);
	free(text);
	json_decref(keep);
	json_decref(made);
	json_decref(e2e_sim("DELETE", "/_sim/faults", NULL));
}

static void test_changes_mid_walk(void **state)
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
	shop_changes_mid_walk("TB-FLAGSHIP");
	shop_changes_mid_walk("PDD-MAIN");
	db_close(db);
	e2e_sim_stop();
	th_drop_db("sync_paging");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_mid_walk),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	e2e_sim_stop();
	return rc;
}
