/*
 * test_login.c - wharf.login and wharf.logout (0003_login.sql, their
 * refusals coded by 0016_login_codes.sql) against a real PostgreSQL:
 * success, wrong PIN, lockout after five, a locked user with the right
 * PIN, unknown badge, the audit trail, and that a CALL inside a
 * transaction block cannot probe PINs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "db/seed.h"
#include "harness.h"

static char conninfo[1024];
static struct db *db;

static int setup(void **state)
{
	struct seed_report rep;
	struct wh_error err = { 0 };

	(void)state;
	th_create_db("login", true, conninfo, sizeof(conninfo));
	db = th_connect(conninfo);
	if (db_seed_demo(db, 1, "2026-11-25", &rep, &err) != WH_OK) {
		fprintf(stderr, "seed: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	th_drop_db("login");
	return 0;
}

/* CALL wharf.login; on success *r holds the row (caller frees). */
static enum wh_err login(const char *who, const char *pin,
			 const char *station, struct db_result **r,
			 struct wh_error *err)
{
	const char *p[] = { who, pin, station };

	wh_error_clear(err);
	return db_exec(db, "CALL wharf.login($1, $2, $3, NULL, NULL, NULL, "
		       "NULL, NULL, NULL)", 3, p, r, err);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int64_t count_audit(const char *login_name, const char *action)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM wharf.audit_log a JOIN wharf.app_user u"
		 " ON u.id = a.user_id WHERE u.login = '%s' AND a.action = '%s'",
		 login_name, action);
	return th_int(db, sql);
}

static void test_success(void **unused)
{
	struct db_result *r;
	struct wh_error err;

	(void)unused;
	assert_int_equal(login("U1001", "1234", "SH-HH-01", &r, &err), WH_OK);
	assert_int_equal(db_result_rows(r), 1);
	assert_true(db_result_int64(r, 0, 0) > 0);
	assert_string_equal(db_result_text(r, 0, 1), "王芳 Wang Fang");
	assert_string_equal(db_result_text(r, 0, 2), "picker");
	assert_string_equal(db_result_text(r, 0, 3), "zh_CN");
	assert_string_equal(db_result_text(r, 0, 5), "SH");
	db_result_free(r);
	/* by login name too */
	assert_int_equal(login("packer2", "1234", "SH-PACK-01", &r, &err),
			 WH_OK);
	assert_string_equal(db_result_text(r, 0, 2), "packer");
	assert_string_equal(db_result_text(r, 0, 3), "en");
	db_result_free(r);
	assert_int_equal(count_audit("picker1", "login"), 1);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.station "
				"WHERE code = 'SH-HH-01' AND last_seen_at "
				"IS NOT NULL"), 1);
}

static void test_wrong_pin_then_reset(void **unused)
{
	struct db_result *r;
	struct wh_error err;

	(void)unused;
	assert_int_equal(login("U1002", "9999", "SH-HH-01", NULL, &err),
			 WH_ERR_REFUSED);
	assert_string_equal(err.sqlstate, "P0001");
	assert_string_equal(err.msg,
			    "WRONG_PIN: wrong PIN (4 of 5 tries left)");
	assert_int_equal(login("U1002", "", "SH-HH-01", NULL, &err),
			 WH_ERR_REFUSED);
	assert_int_equal(th_int(db, "SELECT failed_logins FROM wharf.app_user"
				" WHERE login = 'picker2'"), 2);
	assert_int_equal(count_audit("picker2", "login_failed"), 2);
	/* the PIN is in no audit row */
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.audit_log "
				"WHERE detail::text LIKE '%9999%'"), 0);
	assert_int_equal(login("U1002", "1234", "SH-HH-01", &r, &err), WH_OK);
	db_result_free(r);
	assert_int_equal(th_int(db, "SELECT failed_logins FROM wharf.app_user"
				" WHERE login = 'picker2'"), 0);
}

static void test_lockout(void **unused)
{
	struct wh_error err;
	int i;

	(void)unused;
	for (i = 0; i < 4; i++)
		assert_int_equal(login("U1003", "0000", "SH-HH-01", NULL,
				       &err), WH_ERR_REFUSED);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.app_user "
				"WHERE login = 'picker3' AND locked_until "
				"IS NULL"), 1);
	assert_int_equal(login("U1003", "0000", "SH-HH-01", NULL, &err),
			 WH_ERR_REFUSED);
	assert_true(starts_with(err.msg, "WRONG_PIN: wrong PIN: user picker3 "
				"is locked until 20"));
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.app_user "
				"WHERE login = 'picker3' AND locked_until "
				"BETWEEN now() + interval '14 minutes' AND "
				"now() + interval '15 minutes'"), 1);
	/* the right PIN does not help while locked */
	assert_int_equal(login("U1003", "1234", "SH-HH-01", NULL, &err),
			 WH_ERR_REFUSED);
	assert_string_equal(err.sqlstate, "P0001");
	assert_true(starts_with(err.msg, "USER_LOCKED: user picker3 is locked "
				"until 20"));
	assert_int_equal(count_audit("picker3", "login_failed"), 5);
	assert_int_equal(count_audit("picker3", "login_refused"), 1);
	assert_int_equal(count_audit("picker3", "login"), 0);
	/* once the lock has passed, the right PIN works again */
	th_exec(db, "UPDATE wharf.app_user SET locked_until = now() - "
		"interval '1 second' WHERE login = 'picker3'");
	{
		struct db_result *r;

		assert_int_equal(login("picker3", "1234", "SH-HH-01", &r,
				       &err), WH_OK);
		db_result_free(r);
	}
}

static void test_unknown(void **unused)
{
	struct wh_error err;

	(void)unused;
	assert_int_equal(login("U9999", "1234", "SH-HH-01", NULL, &err),
			 WH_ERR_REFUSED);
	assert_string_equal(err.msg, "UNKNOWN_BADGE: unknown badge or login: "
			    "U9999");
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.audit_log "
				"WHERE action = 'login_refused' AND user_id "
				"IS NULL AND detail->>'who' = 'U9999' AND "
				"detail->>'reason' = 'unknown badge'"), 1);
	assert_int_equal(login("U1001", "1234", "NOPE-01", NULL, &err),
			 WH_ERR_REFUSED);
	assert_string_equal(err.msg, "UNKNOWN_STATION: unknown station "
			    "NOPE-01");
}

static void test_no_probing_in_a_transaction(void **unused)
{
	struct wh_error err;
	int64_t before = th_int(db, "SELECT count(*) FROM wharf.audit_log");

	(void)unused;
	th_exec(db, "BEGIN");
	assert_int_not_equal(login("U2001", "1234", "SH-HH-01", NULL, &err),
			     WH_OK);
	assert_string_equal(err.sqlstate, "2D000");
	th_exec(db, "ROLLBACK");
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.audit_log"),
			 before);
}

static void test_logout(void **unused)
{
	struct wh_error err = { 0 };
	const char *p[] = { NULL, "SH-HH-02", "idle" };
	char uid[32];

	(void)unused;
	snprintf(uid, sizeof(uid), "%lld", (long long)th_int(db,
		 "SELECT id FROM wharf.app_user WHERE login = 'receiver1'"));
	p[0] = uid;
	assert_int_equal(db_exec(db, "SELECT wharf.logout($1, $2, $3)", 3, p,
				 NULL, &err), WH_OK);
	assert_int_equal(th_int(db, "SELECT count(*) FROM wharf.audit_log a "
				"JOIN wharf.station s ON s.id = a.station_id "
				"WHERE a.action = 'logout' AND s.code = "
				"'SH-HH-02' AND a.detail->>'reason' = 'idle'"),
			 1);
	p[2] = "bogus";
	assert_int_equal(db_exec(db, "SELECT wharf.logout($1, $2, $3)", 3, p,
				 NULL, &err), WH_ERR_REFUSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_wrong_pin_then_reset),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_no_probing_in_a_transaction),
		cmocka_unit_test(test_logout),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
