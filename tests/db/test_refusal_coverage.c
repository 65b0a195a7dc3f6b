/*
 * test_refusal_coverage.c - keeps the refusal table of ui/refusal.c honest
 * against the database it translates.
 *
 * Reads every RAISE [EXCEPTION] 'CODE: ...' format of schema wharf from
 * pg_proc of a freshly migrated database (the functions as the last
 * migration defined them) and fails naming each one that no row of the
 * table covers: a refusal added to sql/migrations/ without a translation
 * is caught here. Then a few refusals raised for real by the engine come
 * out translated, the login's among them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"
#include "ui/refusal.h"

#define CONN 512

/*
 * Formats deliberately left untranslated, with why. Each must still exist
 * (a stale entry fails too), so the list cannot rot.
 */
static const struct {
	const char *code, *format, *why;
} untranslated[] = {
	{ "BAD_ORDER", "an order id of 1 to 64 characters is required",
	  "raised by sync ingest (_sync_upsert_order_0005) on platform "
	  "data; only the sync process sees it, never a station" },
	{ "NO_SHOP", "no shop %",
	  "raised by sync ingest (sync_ingest, _sync_upsert_order_0005); "
	  "only the sync process sees it, never a station" },
};

/* The string literal of every RAISE at the default or EXCEPTION level,
 * '' unescaped, once each, and the functions that raise it. */
static const char raises_sql[] =
	"SELECT string_agg(DISTINCT p.proname::text, ', '), f "
	"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, "
	" regexp_matches(p.prosrc, "
	"  'RAISE\\s+(?:EXCEPTION\\s+)?''((?:[^'']|'''')*)''', 'gi') AS m, "
	" replace(m[1], '''''', '''') AS f "
	"WHERE n.nspname = 'wharf' GROUP BY f ORDER BY f";

/* "CODE: words": the code's length, 0 when msg does not start with one. */
static size_t code_len(const char *msg)
{
	size_t i = strspn(msg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	return i && msg[i] == ':' ? i : 0;
}

static const struct refusal_format *row_of(const char *code, size_t clen,
					   const char *format)
{
	const struct refusal_format *f;
	size_t n, i;

	f = refusal_formats(&n);
	for (i = 0; i < n; i++)
		if (strlen(f[i].code) == clen &&
		    !memcmp(f[i].code, code, clen) &&
		    !strcmp(f[i].format, format))
			return &f[i];
	return NULL;
}

static bool exempt(const char *code, size_t clen, const char *format,
		   bool *seen)
{
	size_t i;

	for (i = 0; i < sizeof(untranslated) / sizeof(untranslated[0]); i++)
		if (strlen(untranslated[i].code) == clen &&
		    !memcmp(untranslated[i].code, code, clen) &&
		    !strcmp(untranslated[i].format, format)) {
			seen[i] = true;
			return true;
		}
	return false;
}

/*
 * The row must also take apart a message of its format: each '%' filled
 * with a value of its own ("<1>", "<2>", ...) comes back as that value.
 */
static bool round_trip(const struct refusal_format *row, char *why,
		       size_t n)
{
	char msg[WH_ERROR_MSG_MAX], want[8];
	struct refusal r;
	size_t len, k = 0;
	const char *p;

	len = (size_t)snprintf(msg, sizeof(msg), "%s: ", row->code);
	for (p = row->format; *p && len + 8 < sizeof(msg); p++) {
		if (p[0] == '%' && p[1] == '%') {
			msg[len++] = *p++;
		} else if (*p == '%') {
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
						"<%zu>", ++k);
		} else {
			msg[len++] = *p;
		}
	}
	msg[len] = '\0';
	if (!refusal_parse(msg, &r) || r.row != row || r.n != k) {
		snprintf(why, n, "\"%s\" is not taken apart by its row", msg);
		return false;
	}
	for (size_t i = 0; i < k; i++) {
		snprintf(want, sizeof(want), "<%zu>", i + 1);
		if (strcmp(r.param[i], want)) {
			snprintf(why, n, "\"%s\": parameter %zu is \"%s\"",
				 msg, i + 1, r.param[i]);
			return false;
		}
	}
	return true;
}

static void test_every_raised_format_is_covered(void **unused)
{
	bool seen[sizeof(untranslated) / sizeof(untranslated[0])] = { 0 };
	char conninfo[CONN], why[WH_ERROR_MSG_MAX + 64];
	struct wh_error err;
	struct db_result *r;
	struct db *db;
	int i, rows, coded = 0, covered = 0, bad = 0;
	size_t j;

	(void)unused;
	th_create_db("refusal_cov", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	if (db_exec(db, raises_sql, 0, NULL, &r, &err) != WH_OK)
		fail_msg("%s", err.msg);
	rows = db_result_rows(r);
	for (i = 0; i < rows; i++) {
		const char *fn = db_result_text(r, i, 0);
		const char *msg = db_result_text(r, i, 1);
		const struct refusal_format *row;
		size_t clen = code_len(msg);

		if (!clen)
			continue; /* not a refusal: an internal invariant */
		coded++;
		if (strncmp(msg + clen, ": ", 2)) {
			print_error("%s: \"%s\" is not \"CODE: words\"\n", fn,
				    msg);
			bad++;
			continue;
		}
		row = row_of(msg, clen, msg + clen + 2);
		if (row) {
			covered++;
			if (!round_trip(row, why, sizeof(why))) {
				print_error("%s: %s\n", fn, why);
				bad++;
			}
		} else if (!exempt(msg, clen, msg + clen + 2, seen)) {
			print_error("%s raises \"%s\": no row of ui/refusal.c "
				    "covers it (add one and its zh_CN "
				    "translation)\n", fn, msg);
			bad++;
		}
	}
	db_result_free(r);
	for (j = 0; j < sizeof(seen) / sizeof(seen[0]); j++)
		if (!seen[j]) {
			print_error("untranslated \"%s: %s\" is raised nowhere "
				    "any more: drop it from the list\n",
				    untranslated[j].code,
				    untranslated[j].format);
			bad++;
		}
	print_message("%d RAISE formats with a reason code: %d covered by "
		      "the table, %zu left untranslated on purpose\n",
		      coded, covered, j);
	/* the extraction itself works: the engine has dozens of them */
	assert_true(coded > 50);
	assert_int_equal(bad, 0);
	db_close(db);
	th_drop_db("refusal_cov");
}

static void expect_translated(enum wh_err rc, const struct wh_error *err,
			      enum engine_reason reason, const char *want)
{
	char buf[WH_ERROR_MSG_MAX];

	ef_refused(rc, err, reason);
	if (!refusal_translate(err->msg, buf, sizeof(buf)))
		fail_msg("\"%s\" is not translated", err->msg);
	if (want)
		assert_string_equal(buf, want);
}

/*
 * A login or logout refused for real (0016_login_codes.sql), as the login
 * screen gets it: want is what it shows, or the start of it (prefix).
 */
static void expect_login_refused(struct db *db, const char *sql,
				 const char *a, const char *b, const char *c,
				 const char *want, bool prefix)
{
	const char *p[] = { a, b, c };
	char buf[WH_ERROR_MSG_MAX];
	struct wh_error err;
	enum wh_err rc;

	rc = db_exec(db, sql, 3, p, NULL, &err);
	if (rc != WH_ERR_REFUSED)
		fail_msg("%s(%s, %s, %s): expected a refusal, got %s (%s)",
			 sql, a, b, c, wh_err_name(rc), err.msg);
	assert_string_equal(err.sqlstate, "P0001");
	if (!refusal_translate(err.msg, buf, sizeof(buf)))
		fail_msg("\"%s\" is not translated", err.msg);
	if (prefix ? strncmp(buf, want, strlen(want)) : strcmp(buf, want))
		fail_msg("\"%s\" came out \"%s\", not \"%s\"", err.msg, buf,
			 want);
}

static void test_live_login_refusals(void **unused)
{
	static const char login[] = "CALL wharf.login($1, $2, $3, NULL, "
				    "NULL, NULL, NULL, NULL, NULL)";
	static const char logout[] = "SELECT wharf.logout($1, $2, $3)";
	char conninfo[CONN], uid[32];
	struct db *db;

	(void)unused;
	db = ef_open("refusal_login", conninfo, sizeof(conninfo));
	th_exec(db, "UPDATE wharf.app_user SET pin_hash = "
		"public.crypt('1234', public.gen_salt('bf', 4))");
	expect_login_refused(db, login, "p1", "9999", "H1",
			     "Wrong PIN: 4 of 5 tries left", false);
	expect_login_refused(db, login, "NOBODY", "1234", "H1",
			     "Unknown badge NOBODY", false);
	expect_login_refused(db, login, "p1", "1234", "NOPE-01",
			     "Unknown station NOPE-01", false);
	th_exec(db, "UPDATE wharf.app_user SET active = false "
		"WHERE login = 'k1'");
	expect_login_refused(db, login, "k1", "1234", "H1",
			     "Inactive user k1", false);
	/* the fifth wrong PIN in a row locks, the right one then too */
	th_exec(db, "UPDATE wharf.app_user SET failed_logins = 4 "
		"WHERE login = 'p2'");
	expect_login_refused(db, login, "p2", "9999", "H1",
			     "Wrong PIN, locked: p2 until 20", true);
	expect_login_refused(db, login, "p2", "1234", "H1",
			     "Locked: p2 until 20", true);
	snprintf(uid, sizeof(uid), "%lld", (long long)ef_user(db, "p1"));
	expect_login_refused(db, logout, "999999", "H1", "user",
			     "Unknown user 999999", false);
	expect_login_refused(db, logout, uid, "NOPE-01", "user",
			     "Unknown station NOPE-01", false);
	expect_login_refused(db, logout, uid, "H1", "bogus",
			     "Bad logout reason: must be user, idle or exit",
			     false);
	db_close(db);
	th_drop_db("refusal_login");
}

/* Refusals raised for real, as the station gets them. */
static void test_live_refusals(void **unused)
{
	char conninfo[CONN], op[ENGINE_OP_ID_SIZE];
	struct engine_actor picker = { 0 }, receiver = { 0 }, sup = { 0 };
	struct engine_pick_result pr;
	struct engine_receive rcv = { 0 };
	struct engine_receive_result rr;
	struct engine_pick pick = { 0 };
	struct engine_move mv = { 0 };
	struct wh_error err;
	struct db *db;
	bool replayed;

	(void)unused;
	db = ef_open("refusal_live", conninfo, sizeof(conninfo));
	picker.user_id = ef_user(db, "p1");
	receiver.user_id = ef_user(db, "r1");
	sup.user_id = ef_user(db, "s1");
	ef_stock(db, "R-01", "NONE1", NULL, 2);

	mv.from_location_id = ef_loc(db, "R-01");
	mv.to_location_id = ef_loc(db, "R-02");
	mv.sku_id = ef_sku(db, "NONE1");
	mv.qty = 5;
	mv.op_id = ef_op(op);
	expect_translated(engine_move(db, &mv, &receiver, &replayed, &err),
			  &err, ENGINE_R_INSUFFICIENT_STOCK,
			  "Not enough stock: 2 free units at the source, 5 "
			  "asked");

	expect_translated(engine_adjust(db, ef_loc(db, "R-01"),
					ef_sku(db, "NONE1"), 0, -1, "damaged",
					ef_op(op), &picker, &replayed, &err),
			  &err, ENGINE_R_ROLE_REFUSED, NULL);

	expect_translated(engine_approve_count(db, 999999, ef_op(op), &sup,
					       &replayed, &err),
			  &err, ENGINE_R_NO_COUNT, "No count task 999999");

	pick.task_id = 999999;
	pick.location_code = "A-01";
	pick.barcode = "NONE1";
	pick.qty = 1;
	pick.op_id = ef_op(op);
	expect_translated(engine_confirm_pick(db, &pick, &picker, &pr, &err),
			  &err, ENGINE_R_NO_TASK, "No task 999999");

	rcv.warehouse_id = ef_wh(db, "W1");
	rcv.sku_id = ef_sku(db, "FEFO1");
	rcv.qty = 1;
	rcv.location_id = ef_loc(db, "RCV");
	rcv.op_id = ef_op(op);
	expect_translated(engine_receive(db, &rcv, &receiver, &rr, &err),
			  &err, ENGINE_R_LOT_REQUIRED,
			  "Lot required: FEFO1 needs a lot");

	ef_verify(db);
	db_close(db);
	th_drop_db("refusal_live");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_raised_format_is_covered),
		cmocka_unit_test(test_live_refusals),
		cmocka_unit_test(test_live_login_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
