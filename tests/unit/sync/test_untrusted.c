/* Untrusted text: UTF-8 repair, control and escape removal, caps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync/untrusted.h"

static void check(const char *in, size_t len, size_t cap, const char *want,
		  bool want_cut)
{
	bool cut = !want_cut;
	char *s = untrusted_clean(in, len, cap, &cut);

	assert_non_null(s);
	assert_string_equal(s, want);
	assert_int_equal(cut, want_cut);
	assert_true(strlen(s) <= cap);
	assert_true(untrusted_is_clean(s, strlen(s)));
	free(s);
}

#define C(in, want) check(in, sizeof(in) - 1, 1024, want, false)

static void test_plain(void **state)
{
	(void)state;
	C("", "");
	C("hello", "hello");
	C("张三 浙江省杭州市", "张三 浙江省杭州市");
	/* 4-byte UTF-8 (emoji, CJK extension B) is kept. */
	C("\xf0\x9f\x98\x80\xf0\xa0\x80\x80",
	  "\xf0\x9f\x98\x80\xf0\xa0\x80\x80");
}

static void test_controls(void **state)
{
	(void)state;
	C("a\x01" "b\x7f" "c", "abc");
	C("a\tb\r\nc", "a b c");
	C("a\0b", "ab");
	/* C1 controls as UTF-8 (U+0085 NEL, U+0080). */
	C("a\xc2\x85" "b\xc2\x80" "c", "abc");
	/* Bidi overrides (trojan-source) removed, ordinary marks kept. */
	C("a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x80\x8f", "abc\xe2\x80\x8f");
}

static void test_escapes(void **state)
{
	(void)state;
	C("\x1b[31mred\x1b[0m", "red");
	C("\x1b[2J\x1b[1;1Hclear", "clear");
	C("\x1b]0;pwned\x07title", "title");
	C("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link");
	C("\x1bPdcs stuff\x1b\\ok", "ok");
	C("\x1b" "cR", "R");     /* RIS: ESC c */
	C("\x1b(Bx", "x");       /* charset designation: ESC ( B */
	C("x\x1b", "x");         /* lone ESC at the end */
	/* 8-bit CSI and OSC in their UTF-8 form. */
	C("\xc2\x9b" "31mX", "X");
	C("\xc2\x9d" "0;t\xc2\x9cY", "Y");
	/* Unterminated OSC swallows the rest, as a terminal would. */
	C("a\x1b]0;never ends", "a");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	C("a\xff" "b", "a\xef\xbf\xbd" "b");
	C("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");           /* overlong */
	/* A UTF-16 surrogate encoded in UTF-8. */
	C("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	C("\xf4\x90\x80\x80",
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* > 10FFFF */
	C("ok\xe4\xb8", "ok\xef\xbf\xbd\xef\xbf\xbd");       /* truncated */
}

static void test_cap(void **state)
{
	char big[5000];

	(void)state;
	/* "中" is 3 bytes: a 7-byte cap holds two, never half a third. */
	check("中中中", 9, 7, "中中", true);
	check("中中中", 9, 9, "中中中", false);
	check("abc", 3, 0, "", true);
	check("\xf0\x9f\x98\x80x", 5, 3, "", true);
	memset(big, 'x', sizeof(big));
	{
		bool cut = false;
		char *s = untrusted_clean(big, sizeof(big),
					  UNTRUSTED_FIELD_MAX, &cut);

		assert_non_null(s);
		assert_int_equal(strlen(s), UNTRUSTED_FIELD_MAX);
		assert_true(cut);
		free(s);
	}
}

static void test_into_and_null(void **state)
{
	char buf[8];
	bool cut;

	(void)state;
	assert_int_equal(untrusted_clean_into("abcdefghij", 10, buf, 7, &cut),
			 7);
	assert_string_equal(buf, "abcdefg");
	assert_true(cut);
	assert_int_equal(untrusted_clean_into(NULL, 5, buf, 7, &cut), 0);
	assert_string_equal(buf, "");
	assert_false(untrusted_is_clean("a\x1b", 2));
	assert_false(untrusted_is_clean("\xff", 1));
	assert_true(untrusted_is_clean("中", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_into_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
