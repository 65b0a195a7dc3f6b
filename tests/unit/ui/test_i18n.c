/*
 * test_i18n.c - where the catalogues are found, and switching language at
 * run time (with the zh_CN catalogue the build compiles from ui/po).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/canvas.h"
#include "ui/i18n.h"
#include "ui/layout.h"

#include "catalogue.h"

static void test_localedir_order(void **unused)
{
	char tmpl[] = "/tmp/wharf-i18n-XXXXXX", buf[PATH_MAX], p[PATH_MAX];
	char *dir = mkdtemp(tmpl);
	FILE *f;

	(void)unused;
	assert_non_null(dir);
	/* the environment wins */
	assert_int_equal(i18n_localedir("/opt/l", "/x/wharf", buf,
					sizeof(buf)), WH_OK);
	assert_string_equal(buf, "/opt/l");
	/* no catalogue next to the binary: the install path */
	snprintf(p, sizeof(p), "%s/wharf", dir);
	assert_int_equal(i18n_localedir("", p, buf, sizeof(buf)), WH_OK);
	assert_string_equal(buf, LOCALEDIR);
	assert_int_equal(i18n_localedir(NULL, NULL, buf, sizeof(buf)), WH_OK);
	assert_string_equal(buf, LOCALEDIR);
	/* a build tree: <exe dir>/locale/zh_CN/LC_MESSAGES/wharf.mo */
	snprintf(p, sizeof(p), "%s/locale", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/locale/zh_CN", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/locale/zh_CN/LC_MESSAGES", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/locale/zh_CN/LC_MESSAGES/wharf.mo", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/wharf", dir);
	assert_int_equal(i18n_localedir(NULL, p, buf, sizeof(buf)), WH_OK);
	snprintf(p, sizeof(p), "%s/locale", dir);
	assert_string_equal(buf, p);
	/* too small a buffer is an error, not a cut path */
	assert_int_equal(i18n_localedir("/opt/locale", NULL, buf, 5),
			 WH_ERR_INVALID);
	snprintf(p, sizeof(p), "%s/locale/zh_CN/LC_MESSAGES/wharf.mo", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/locale/zh_CN/LC_MESSAGES", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/locale/zh_CN", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/locale", dir);
	rmdir(p);
	rmdir(dir);
}

/* An installed binary: <prefix>/bin/wharf finds <prefix>/share/locale. */
static void test_localedir_installed(void **unused)
{
	static const char *const dirs[] = {
		"bin", "share", "share/locale", "share/locale/zh_CN",
		"share/locale/zh_CN/LC_MESSAGES",
	};
	char tmpl[] = "/tmp/wharf-i18n-XXXXXX", buf[PATH_MAX], p[PATH_MAX];
	char *dir = mkdtemp(tmpl);
	size_t i;
	FILE *f;

	(void)unused;
	assert_non_null(dir);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, dirs[i]);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	snprintf(p, sizeof(p), "%s/share/locale/zh_CN/LC_MESSAGES/wharf.mo",
		 dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/bin/wharf", dir);
	assert_int_equal(i18n_localedir(NULL, p, buf, sizeof(buf)), WH_OK);
	snprintf(p, sizeof(p), "%s/bin/../share/locale", dir);
	assert_string_equal(buf, p);

	snprintf(p, sizeof(p), "%s/share/locale/zh_CN/LC_MESSAGES/wharf.mo",
		 dir);
	assert_int_equal(unlink(p), 0);
	for (i = sizeof(dirs) / sizeof(dirs[0]); i-- > 0;) {
		snprintf(p, sizeof(p), "%s/%s", dir, dirs[i]);
		assert_int_equal(rmdir(p), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

static void test_switch_language(void **unused)
{
	char dir[PATH_MAX];
	struct wh_error e = { 0 };
	struct canvas *c;
	char *row;

	(void)unused;
	if (!find_catalogue(dir, sizeof(dir)))
		skip(); /* ui/po not built into this tree */
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C", 1);
	assert_int_equal(i18n_init(dir, &e), WH_OK);
	assert_string_equal(_("Pick"), "Pick");
	/* under "C" gettext ignores LANGUAGE: the switch handles it */
	assert_int_equal(i18n_set_language("zh_CN", &e), WH_OK);
	assert_string_equal(_("Pick"), "拣货");
	assert_string_equal(_("Main menu"), "主菜单");
	c = canvas_new(20, 7, false);
	ui_layout_draw_too_small(c);
	row = canvas_row_text(c, 0);
	assert_string_equal(row, "终端太小（需要      ");
	free(row);
	canvas_free(c);
	/* and back, without restarting */
	assert_int_equal(i18n_set_language(NULL, &e), WH_OK);
	assert_string_equal(_("Pick"), "Pick");
	assert_int_equal(i18n_set_language("zh_CN:en", &e), WH_OK);
	assert_string_equal(_("Logout"), "退出登录");
	assert_int_equal(i18n_set_language("", &e), WH_OK);
	assert_string_equal(_("Logout"), "Logout");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_localedir_order),
		cmocka_unit_test(test_localedir_installed),
		cmocka_unit_test(test_switch_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
