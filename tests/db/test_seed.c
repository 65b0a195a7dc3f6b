/*
 * test_seed.c - the demo data: deterministic, sound (verify passes),
 * realistic where the floor depends on it (valid GTINs, serpentine walk,
 * expired lots in quarantine, lots near their ship-by date), and grown by
 * --scale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "db/seed.h"
#include "db/verify.h"
#include "harness.h"

#define REF_DATE "2026-11-25"

static char conninfo_a[512], conninfo_b[512];
static struct db *a, *b;

/* Everything generated, in a stable text form, hashed. PIN hashes are
 * salted on purpose and left out. */
static const char fingerprint_sql[] =
	"SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
	" SELECT 'loc:' || code || kind || walk_seq FROM wharf.location"
	" UNION ALL SELECT 'sku:' || code || name || coalesce(name_zh, '')"
	"  || lot_control || min_remaining_days FROM wharf.sku"
	" UNION ALL SELECT 'bc:' || code || sku_id || pack_qty FROM wharf.barcode"
	" UNION ALL SELECT 'lot:' || sku_id || lot_code || coalesce(expiry::text, '')"
	"  || first_received_at FROM wharf.lot"
	" UNION ALL SELECT 'st:' || location_id || ':' || sku_id || ':'"
	"  || coalesce(lot_id::text, '') || ':' || on_hand FROM wharf.stock"
	" UNION ALL SELECT 'mv:' || created_at || kind || sku_id || ':'"
	"  || coalesce(lot_id::text, '') || ':' || coalesce(from_location_id::text, '')"
	"  || ':' || coalesce(to_location_id::text, '') || ':' || qty FROM wharf.stock_move"
	" UNION ALL SELECT 'o:' || platform_order_id || receiver_name || address"
	"  || total_minor FROM wharf.sales_order"
	" UNION ALL SELECT 'ol:' || order_id || ':' || sku_id || ':' || qty FROM wharf.order_line"
	" UNION ALL SELECT 'u:' || login || role FROM wharf.app_user"
	") t(x)";

static struct db *seeded(const char *prefix, int scale, char *ci, size_t n)
{
	struct wh_error err;
	struct db *db;

	th_create_db(prefix, true, ci, n);
	db = th_connect(ci);
	if (db_seed_demo(db, scale, REF_DATE, NULL, &err) != WH_OK)
		fail_msg("seed: %s", err.msg);
	return db;
}

static int setup(void **state)
{
	(void)state;
	a = seeded("t_seed_a", 1, conninfo_a, sizeof(conninfo_a));
	b = seeded("t_seed_b", 1, conninfo_b, sizeof(conninfo_b));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(a);
	db_close(b);
	th_drop_db("t_seed_a");
	th_drop_db("t_seed_b");
	return 0;
}

static void test_deterministic(void **state)
{
	char fa[64], fb[64];

	(void)state;
	th_text(a, fingerprint_sql, fa, sizeof(fa));
	th_text(b, fingerprint_sql, fb, sizeof(fb));
	assert_string_equal(fa, fb);
}

static void test_sizes_at_scale_1(void **state)
{
	(void)state;
	assert_int_equal(th_int(a, "SELECT count(*) FROM wharf.warehouse"), 2);
	assert_int_equal(th_int(a, "SELECT count(*) FROM wharf.location "
				   "WHERE kind IN ('pick', 'storage')"), 2000);
	assert_int_equal(th_int(a, "SELECT count(*) FROM wharf.sku"), 500);
	assert_int_equal(th_int(a, "SELECT count(DISTINCT platform) FROM wharf.shop"), 8);
	assert_true(th_int(a, "SELECT count(*) FROM wharf.stock_move") > 5000);
	assert_true(th_int(a, "SELECT count(*) FROM wharf.app_user "
			      "WHERE role = 'picker'") >= 2);
	/* Chinese and English names side by side. */
	assert_int_equal(th_int(a, "SELECT count(*) FROM wharf.sku "
				   "WHERE name_zh IS NULL OR name = name_zh"), 0);
}

static void test_passes_verify(void **state)
{
	struct wh_error err;
	int violations;

	(void)state;
	assert_int_equal(db_verify(a, NULL, NULL, &violations, &err), WH_OK);
	assert_int_equal(violations, 0);
}

/* An independent GS1 check digit: weights 3,1,3... from the right. */
static int check_digit(const char *digits, size_t n)
{
	int sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (digits[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

static void test_gtins_have_valid_check_digits(void **state)
{
	struct wh_error err;
	struct db_result *r;
	int checked = 0;

	(void)state;
	assert_int_equal(db_exec(a, "SELECT code, kind FROM wharf.barcode "
				    "WHERE kind IN ('gtin', 'case')", 0, NULL,
				 &r, &err), WH_OK);
	for (int i = 0; i < db_result_rows(r); i++) {
		const char *code = db_result_text(r, i, 0);
		size_t n = strlen(code);

		assert_true(n == 13 || n == 14);
		assert_int_equal(code[n - 1] - '0', check_digit(code, n - 1));
		checked++;
	}
	db_result_free(r);
	assert_true(checked >= 800);
	/* Case barcodes stand for more than one unit. */
	assert_int_equal(th_int(a, "SELECT count(*) FROM wharf.barcode "
				   "WHERE kind = 'case' AND pack_qty < 2"), 0);
}

static void test_serpentine_walk(void **state)
{
	(void)state;
	/* Odd aisles walk up the bays, even aisles come back down. */
	assert_true(th_int(a, "SELECT walk_seq FROM wharf.location "
			      "WHERE code = 'A-01-01-1' AND warehouse_id = 1") <
		    th_int(a, "SELECT walk_seq FROM wharf.location "
			      "WHERE code = 'A-01-20-1' AND warehouse_id = 1"));
	assert_true(th_int(a, "SELECT walk_seq FROM wharf.location "
			      "WHERE code = 'A-02-20-1' AND warehouse_id = 1") <
		    th_int(a, "SELECT walk_seq FROM wharf.location "
			      "WHERE code = 'A-02-01-1' AND warehouse_id = 1"));
	assert_true(th_int(a, "SELECT walk_seq FROM wharf.location "
			      "WHERE code = 'A-01-20-5' AND warehouse_id = 1") <
		    th_int(a, "SELECT walk_seq FROM wharf.location "
			      "WHERE code = 'A-02-20-1' AND warehouse_id = 1"));
}

static void test_expiry_mix(void **state)
{
	(void)state;
	/* Expired stock exists, and all of it sits in quarantine. */
	assert_true(th_int(a, "SELECT count(*) FROM wharf.stock s JOIN wharf.lot l"
			      " ON l.id = s.lot_id WHERE s.on_hand > 0"
			      " AND l.expiry < DATE '" REF_DATE "'") > 10);
	assert_int_equal(th_int(a, "SELECT count(*) FROM wharf.stock s"
				   " JOIN wharf.lot l ON l.id = s.lot_id"
				   " JOIN wharf.location loc ON loc.id = s.location_id"
				   " WHERE s.on_hand > 0 AND l.expiry < DATE '" REF_DATE "'"
				   " AND loc.kind <> 'quarantine'"), 0);
	/* Some sellable stock is close to its ship-by date. */
	assert_true(th_int(a, "SELECT count(*) FROM wharf.lot l JOIN wharf.sku s"
			      " ON s.id = l.sku_id WHERE wharf.ship_by(l.expiry,"
			      " s.min_remaining_days) BETWEEN DATE '" REF_DATE "'"
			      " AND DATE '" REF_DATE "' + 30") > 5);
}

static void test_refuses_non_empty(void **state)
{
	struct wh_error err;

	(void)state;
	assert_int_equal(db_seed_demo(a, 1, REF_DATE, NULL, &err), WH_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "already holds a warehouse"));
	assert_int_equal(db_seed_demo(a, 0, REF_DATE, NULL, &err), WH_ERR_INVALID);
}

static void test_scale_grows(void **state)
{
	char ci[512];
	struct wh_error err;
	int violations;
	struct db *db;

	(void)state;
	db = seeded("t_seed_s2", 2, ci, sizeof(ci));
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.location "
				    "WHERE kind IN ('pick', 'storage')"), 4000);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.sku"), 1000);
	assert_true(th_int(db, "SELECT count(*) FROM wharf.stock_move") >
		    th_int(a, "SELECT 2 * count(*) - 100 FROM wharf.stock_move"));
	assert_int_equal(db_verify(db, NULL, NULL, &violations, &err), WH_OK);
	assert_int_equal(violations, 0);
	db_close(db);
	th_drop_db("t_seed_s2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_sizes_at_scale_1),
		cmocka_unit_test(test_passes_verify),
		cmocka_unit_test(test_gtins_have_valid_check_digits),
		cmocka_unit_test(test_serpentine_walk),
		cmocka_unit_test(test_expiry_mix),
		cmocka_unit_test(test_refuses_non_empty),
		cmocka_unit_test(test_scale_grows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
