/*
 * test_text.c - UTF-8, widths, truncation, wrapping and the sanitiser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <locale.h>
#include <wchar.h>

#include "ui/text.h"

/* Compares a malloc()ed result with want and frees it. */
#define EXPECT_STR(got, want)                                                  \
	do {                                                                   \
		char *got_ = (got);                                            \
		assert_non_null(got_);                                         \
		assert_string_equal(got_, (want));                             \
		free(got_);                                                    \
	} while (0)

static char *san(const char *s)
{
	return text_sanitize(s, strlen(s), 0);
}

static void test_decode(void **unused)
{
	uint32_t cp;

	(void)unused;
	assert_int_equal(text_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_decode("\xe4\xbb\x93", 3, &cp), 3); /* 仓 */
	assert_int_equal(cp, 0x4ED3);
	assert_int_equal(text_decode("\xf0\x9f\x93\xa6", 4, &cp), 4); /* 📦 */
	assert_int_equal(cp, 0x1F4E6);
	/* lone continuation, overlong lead, bad second bytes: one byte */
	assert_int_equal(text_decode("\x80", 1, &cp), 1);
	assert_int_equal(cp, TEXT_REPLACEMENT);
	assert_int_equal(text_decode("\xc0\x80", 2, &cp), 1);
	assert_int_equal(cp, TEXT_REPLACEMENT);
	assert_int_equal(text_decode("\xe0\x80\x80", 3, &cp), 1);
	assert_int_equal(text_decode("\xed\xa0\x80", 3, &cp), 1); /* U+D800 */
	assert_int_equal(cp, TEXT_REPLACEMENT);
	assert_int_equal(text_decode("\xf4\x90\x80\x80", 4, &cp), 1);
	assert_int_equal(text_decode("\xff", 1, &cp), 1);
	/* truncated sequence: its valid prefix is one ill-formed unit */
	assert_int_equal(text_decode("\xe4\xbb", 2, &cp), 2);
	assert_int_equal(cp, TEXT_REPLACEMENT);
	assert_int_equal(text_decode("\xe4\xbbZ", 3, &cp), 2);
	assert_int_equal(text_decode("", 0, &cp), 0);
}

static void test_encode(void **unused)
{
	char b[4];
	uint32_t cp, cps[] = { 0x41, 0xE9, 0x4ED3, 0x1F4E6, 0x10FFFF };
	size_t i, n;

	(void)unused;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = text_encode(cps[i], b);
		assert_true(n >= 1);
		assert_int_equal(text_decode(b, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(text_encode(0xD800, b), 0);
	assert_int_equal(text_encode(0x110000, b), 0);
}

static void test_cp_width(void **unused)
{
	(void)unused;
	assert_int_equal(text_cp_width('A'), 1);
	assert_int_equal(text_cp_width(0x4ED3), 2);  /* 仓 */
	assert_int_equal(text_cp_width(0x3001), 2);  /* 、 */
	assert_int_equal(text_cp_width(0xFF21), 2);  /* Ａ fullwidth */
	assert_int_equal(text_cp_width(0xAC00), 2);  /* 가 */
	assert_int_equal(text_cp_width(0x20000), 2); /* CJK ext B */
	assert_int_equal(text_cp_width(0x1F4E6), 2); /* 📦 */
	assert_int_equal(text_cp_width(0x0301), 0);  /* combining acute */
	assert_int_equal(text_cp_width(0x200B), 0);  /* zero width space */
	assert_int_equal(text_cp_width(0xFE0F), 0);  /* variation sel. */
	assert_int_equal(text_cp_width(0xE9), 1);
	assert_int_equal(text_cp_width(0x2500), 1);  /* box drawing */
	assert_int_equal(text_cp_width(0x1B), -1);
	assert_int_equal(text_cp_width(0x7F), -1);
	assert_int_equal(text_cp_width(0x9B), -1);
	assert_false(text_cp_displayable(0x202E));
	assert_false(text_cp_displayable(0x2066));
	assert_false(text_cp_displayable(0x1B));
	assert_true(text_cp_displayable(0x4ED3));
}

/* Our table must agree with glibc's wcwidth() in its own UTF-8 locale on
 * the characters a warehouse shows (it was generated from it). */
static void test_width_matches_glibc(void **unused)
{
	static const uint32_t ranges[][2] = {
		{ 0x20, 0x7E },       { 0xA0, 0x24F },     { 0x300, 0x36F },
		{ 0x2000, 0x206F },   { 0x2500, 0x259F },  { 0x3000, 0x30FF },
		{ 0x4E00, 0x9FFF },   { 0xAC00, 0xD7A3 },  { 0xFE00, 0xFE6F },
		{ 0xFF00, 0xFFEF },   { 0x1F300, 0x1F64F },
	};
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old;
	size_t i;
	uint32_t cp;

	(void)unused;
	if (!utf8)
		skip();
	old = uselocale(utf8);
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		for (cp = ranges[i][0]; cp <= ranges[i][1]; cp++) {
			int w = wcwidth((wchar_t)cp);

			if (w < 0)
				continue; /* unassigned: we say 1 */
			if (w != text_cp_width(cp))
				fail_msg("U+%04X: glibc %d, ours %d",
					 (unsigned)cp, w, text_cp_width(cp));
		}
	}
	uselocale(old);
	freelocale(utf8);
}

static void test_width(void **unused)
{
	(void)unused;
	assert_int_equal(text_width("Pick"), 4);
	assert_int_equal(text_width("仓库A"), 5);
	assert_int_equal(text_width("e\xcc\x81"), 1);      /* e + acute */
	assert_int_equal(text_width("\xf0\x9f\x93\xa6"), 2); /* 📦 */
	assert_int_equal(text_width("a\xffz"), 3);          /* U+FFFD */
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width_n("仓库", 3), 2);
}

static void test_truncate(void **unused)
{
	(void)unused;
	EXPECT_STR(text_truncate("仓库A区", 4, 0), "仓库");
	EXPECT_STR(text_truncate("仓库A区", 3, 0), "仓 "); /* pad, not split */
	EXPECT_STR(text_truncate("仓库A区", 5, 0), "仓库A");
	EXPECT_STR(text_truncate("仓库A区", 7, 0), "仓库A区");
	EXPECT_STR(text_truncate("仓库A区", 40, 0), "仓库A区");
	EXPECT_STR(text_truncate("Receive", 5, TEXT_ELLIPSIS), "Rece…");
	EXPECT_STR(text_truncate("Receive", 7, TEXT_ELLIPSIS), "Receive");
	EXPECT_STR(text_truncate("仓库A区", 4, TEXT_ELLIPSIS), "仓 …");
	EXPECT_STR(text_truncate("Receive", 5, TEXT_ELLIPSIS | TEXT_ASCII),
		   "Rece~");
	EXPECT_STR(text_truncate("仓库A区", 4, TEXT_ASCII), "????");
	EXPECT_STR(text_truncate("仓库A区", 3, TEXT_ASCII), "?? ");
	/* combining marks stay with their base */
	EXPECT_STR(text_truncate("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, 0),
		   "e\xcc\x81" "e\xcc\x81");
	EXPECT_STR(text_truncate("\xf0\x9f\x93\xa6" "box", 1, 0), " ");
	EXPECT_STR(text_truncate("abc", 0, 0), "");
	EXPECT_STR(text_truncate("abc", -3, TEXT_ELLIPSIS), "");
	EXPECT_STR(text_truncate(NULL, 3, 0), "");
}

static void test_pad(void **unused)
{
	(void)unused;
	EXPECT_STR(text_pad("ab", 5, TEXT_LEFT, 0), "ab   ");
	EXPECT_STR(text_pad("ab", 5, TEXT_RIGHT, 0), "   ab");
	EXPECT_STR(text_pad("ab", 5, TEXT_CENTER, 0), " ab  ");
	EXPECT_STR(text_pad("仓", 5, TEXT_CENTER, 0), " 仓  ");
	EXPECT_STR(text_pad("仓库A区", 6, TEXT_RIGHT, 0), "仓库A ");
	EXPECT_STR(text_pad("Receive", 5, TEXT_LEFT, TEXT_ELLIPSIS), "Rece…");
	EXPECT_STR(text_pad("仓", 4, TEXT_RIGHT, TEXT_ASCII), "  ??");
	EXPECT_STR(text_pad("x", 0, TEXT_LEFT, 0), "");
}

static void test_to_ascii(void **unused)
{
	(void)unused;
	EXPECT_STR(text_to_ascii("A仓\xc3\xa9"), "A???");
	EXPECT_STR(text_to_ascii("e\xcc\x81"), "e");
	EXPECT_STR(text_to_ascii("\xf0\x9f\x93\xa6."), "??" ".");
	EXPECT_STR(text_to_ascii("a\xff"), "a?");
}

static void test_sanitize_escapes(void **unused)
{
	(void)unused;
	EXPECT_STR(san("A\x1b[2JB"), "AB");                   /* clear */
	EXPECT_STR(san("A\x1b[1;31;48;5;196mB"), "AB");       /* SGR */
	EXPECT_STR(san("X\x1b]52;c;cm0gLXJmIH4=\x07Y"), "XY"); /* clipboard */
	EXPECT_STR(san("\x1b]0;pwned\x07name"), "name");      /* title, BEL */
	EXPECT_STR(san("\x1b]0;pwned\x1b\\ok"), "ok");        /* title, ST */
	EXPECT_STR(san("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\"),
		   "link"); /* hyperlink */
	EXPECT_STR(san("\x1bPq#0;2;0;0;0#0~~\x1b\\z"), "z"); /* DCS sixel */
	EXPECT_STR(san("\x1b_APC\x1b\\\x1b^PM\x1b\\\x1bXSOS\x1b\\k"), "k");
	EXPECT_STR(san("\x1b(Bx\x1b" "7y\x1b" "cz\x1b#8!"), "xyz!");
	EXPECT_STR(san("ok\x1b]52;c;AAAA"), "ok"); /* unterminated */
	EXPECT_STR(san("a\x1b"), "a");
	EXPECT_STR(san("a\x1b\x1b[Kb"), "ab");
}

static void test_sanitize_c1(void **unused)
{
	(void)unused;
	EXPECT_STR(san("a\x9b" "2Jb"), "ab");            /* raw 8-bit CSI */
	EXPECT_STR(san("a\xc2\x9b" "31mb"), "ab");       /* U+009B */
	EXPECT_STR(san("a\x9d" "0;t\x9c" "b"), "ab");    /* raw OSC..ST */
	EXPECT_STR(san("a\xc2\x9d" "0;t\xc2\x9c" "b"), "ab");
	EXPECT_STR(san("a\xc2\x85" "b"), "ab");          /* NEL */
	EXPECT_STR(san("a\x90q\x07" "b"), "ab");         /* raw DCS */
}

static void test_sanitize_text(void **unused)
{
	(void)unused;
	/* bidi overrides and isolates */
	EXPECT_STR(san("abc\xe2\x80\xae" "fdp.exe"), "abcfdp.exe");
	EXPECT_STR(san("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"
		       "x\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
		   "x");
	/* invalid UTF-8 */
	EXPECT_STR(san("a\xff\xfe" "b"), "a\xef\xbf\xbd\xef\xbf\xbd" "b");
	EXPECT_STR(san("\xe4\xbb"), "\xef\xbf\xbd");
	/* a surrogate: ED and A0 are ill-formed; 0x80 is a raw C1 byte */
	EXPECT_STR(san("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd");
	EXPECT_STR(san("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
	/* what must survive */
	EXPECT_STR(san("\xf0\x9f\x93\xa6 张三 e\xcc\x81"),
		   "\xf0\x9f\x93\xa6 张三 e\xcc\x81");
	EXPECT_STR(san("\xe2\x80\x8d"), "\xe2\x80\x8d"); /* ZWJ */
	/* controls, with embedded NUL */
	EXPECT_STR(text_sanitize("a\0b\x07" "c\x7f\x08", 7, 0), "abc");
	EXPECT_STR(san("a\tb"), "a b");
	EXPECT_STR(san("a\r\nb\nc\rd"), "a b c d");
	EXPECT_STR(text_sanitize("a\r\nb\nc\xe2\x80\xa8" "d", 11,
				 TEXT_KEEP_NEWLINES),
		   "a\nb\nc\nd");
	EXPECT_STR(text_sanitize(NULL, 0, 0), "");
}

/* Whatever comes in, what goes out is valid, displayable UTF-8. */
static void test_sanitize_random(void **unused)
{
	static const unsigned char alphabet[] = {
		0x1b, '[', ']', 'P', '\\', 0x07, 0x9b, 0x9c, 0x9d, 0xc2,
		0xe2, 0x80, 0xae, 0xa6, 0xf0, 0x9f, 0xff, 'a', '0', ';',
		'\n', '\r', 0xe4, 0xbb, 0x93, 0x00, 0xed, 0xa0, 0x81, 0x8f,
	};
	unsigned seed = 12345;
	int round;

	(void)unused;
	for (round = 0; round < 20000; round++) {
		unsigned char in[24];
		size_t n = (size_t)(round % 24), i = 0, len;
		char *out;

		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % sizeof(alphabet)];
		}
		out = text_sanitize((const char *)in, n, 0);
		assert_non_null(out);
		len = strlen(out);
		for (i = 0; i < len;) {
			uint32_t cp;
			size_t k = text_decode(out + i, len - i, &cp);
			char re[4];

			assert_true(text_cp_displayable(cp));
			/* valid: re-encodes to the same bytes */
			assert_int_equal(text_encode(cp, re), k);
			assert_memory_equal(re, out + i, k);
			i += k;
		}
		free(out);
	}
}

static void expect_lines(const char *s, int cols, unsigned flags,
			 const char *const *want, size_t n)
{
	struct text_lines l;
	size_t i;

	assert_int_equal(text_wrap(s, cols, flags, &l), WH_OK);
	for (i = 0; i < l.n && i < n; i++)
		assert_string_equal(l.line[i], want[i]);
	assert_int_equal(l.n, n);
	text_lines_free(&l);
}

#define LINES(...) (const char *const[]){ __VA_ARGS__ }
#define NL(...) (sizeof(LINES(__VA_ARGS__)) / sizeof(const char *))
#define EXPECT_WRAP(s, cols, flags, ...)                                      \
	expect_lines((s), (cols), (flags), LINES(__VA_ARGS__), NL(__VA_ARGS__))

static void test_wrap(void **unused)
{
	struct text_lines l;

	(void)unused;
	EXPECT_WRAP("the quick brown fox", 10, 0, "the quick", "brown fox");
	EXPECT_WRAP("the quick brown fox", 9, 0, "the quick", "brown fox");
	EXPECT_WRAP("abcdefghij", 4, 0, "abcd", "efgh", "ij");
	EXPECT_WRAP("仓库管理系统", 5, 0, "仓库", "管理", "系统");
	EXPECT_WRAP("仓库管理系统", 6, 0, "仓库管", "理系统");
	EXPECT_WRAP("收货 A-01-02 上架", 8, 0, "收货", "A-01-02", "上架");
	EXPECT_WRAP("a\nb\n\nc", 5, 0, "a", "b", "", "c");
	EXPECT_WRAP("", 5, 0, "");
	EXPECT_WRAP("仓A", 1, 0, "?", "A");
	EXPECT_WRAP("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, 0,
		    "e\xcc\x81" "e\xcc\x81", "e\xcc\x81");
	EXPECT_WRAP("仓库 ok", 3, TEXT_ASCII, "??", "??", "ok");
	EXPECT_WRAP("word   spaced", 6, 0, "word", "spaced");
	assert_int_equal(text_wrap("x", 0, 0, &l), WH_ERR_INVALID);
	assert_int_equal(l.n, 0);
	text_lines_free(&l);
	text_lines_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_width_matches_glibc),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_to_ascii),
		cmocka_unit_test(test_sanitize_escapes),
		cmocka_unit_test(test_sanitize_c1),
		cmocka_unit_test(test_sanitize_text),
		cmocka_unit_test(test_sanitize_random),
		cmocka_unit_test(test_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
