/*
 * test_wedge.c - the keyboard-wedge state machine, no I/O.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/scanner/wedge.h"

struct got {
	size_t n, cap;
	struct scan_event *ev;
};

static void collect(void *arg, const struct scan_event *ev)
{
	struct got *g = arg;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->ev = realloc(g->ev, g->cap * sizeof(*g->ev));
		assert_non_null(g->ev);
	}
	g->ev[g->n++] = *ev;
}

static void got_free(struct got *g)
{
	free(g->ev);
	memset(g, 0, sizeof(*g));
}

/* All KEYS events joined, in order. */
static size_t keys_text(const struct got *g, unsigned char *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < g->n; i++) {
		if (g->ev[i].kind != SCAN_EV_KEYS)
			continue;
		assert_true(n + g->ev[i].len <= max);
		memcpy(out + n, g->ev[i].data, g->ev[i].len);
		n += g->ev[i].len;
	}
	return n;
}

static size_t count_kind(const struct got *g, enum scan_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < g->n; i++)
		n += g->ev[i].kind == k;
	return n;
}

static void assert_scan(const struct scan_event *ev, const char *aim,
			const void *data, size_t len)
{
	assert_int_equal(ev->kind, SCAN_EV_SCAN);
	assert_string_equal(ev->aim, aim);
	assert_int_equal(ev->len, len);
	assert_int_equal(ev->total_len, len);
	assert_memory_equal(ev->data, data, len);
}

static struct wedge *mk(const char *prefix, const char *suffix,
			unsigned min_burst, unsigned gap_ms, bool all_scans)
{
	struct wedge_config c;
	struct wedge *w;

	memset(&c, 0, sizeof(c));
	c.prefix_len = strlen(prefix);
	memcpy(c.prefix, prefix, c.prefix_len);
	c.suffix_len = strlen(suffix);
	memcpy(c.suffix, suffix, c.suffix_len);
	c.min_burst = min_burst;
	c.gap_ms = gap_ms;
	c.scan_timeout_ms = 2000;
	c.all_scans = all_scans;
	c.aim = SCANNER_AIM_AUTO;
	c.source = SCAN_SRC_WEDGE;
	assert_int_equal(wedge_new(&c, &w, NULL), WH_OK);
	return w;
}

static void feed(struct wedge *w, const void *p, size_t n, uint64_t now,
		 struct got *g)
{
	wedge_feed(w, p, n, now, collect, g);
}

static void test_prefix_suffix(void **state)
{
	static const char in[] =
		"ab\x02]C1" "0109506000134352\x1d" "10LOT7\rcd";
	struct wedge *w = mk("\x02", "\r", 0, 30, false);
	struct got g = { 0 };
	unsigned char k[64];

	(void)state;
	feed(w, in, sizeof(in) - 1, 1000, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.ev[0].kind, SCAN_EV_KEYS);
	assert_memory_equal(g.ev[0].data, "ab", 2);
	assert_scan(&g.ev[1], "]C1", "0109506000134352\x1d" "10LOT7", 23);
	assert_int_equal(g.ev[1].source, SCAN_SRC_WEDGE);
	assert_int_equal(g.ev[1].time_ms, 1000);
	assert_int_equal(g.ev[2].kind, SCAN_EV_KEYS);
	assert_int_equal(keys_text(&g, k, sizeof(k)), 4);
	assert_memory_equal(k, "abcd", 4);
	/* seq numbers every event, in order. */
	assert_int_equal(g.ev[0].seq, 1);
	assert_int_equal(g.ev[2].seq, 3);
	got_free(&g);
	wedge_free(w);
}

static void test_fkey_prefix_split_and_arrow_keys(void **state)
{
	static const char in[] = "\x1b[A\x1b[24~]E0" "4006381333931\t\x1b[B";
	struct wedge *w = mk("\x1b[24~", "\t", 0, 30, false);
	struct got g = { 0 };
	unsigned char k[64];
	size_t i, kn;

	(void)state;
	/* One byte per read, 1 ms apart: the prefix spans reads. */
	for (i = 0; i < sizeof(in) - 1; i++)
		feed(w, in + i, 1, 100 + i, &g);
	assert_int_equal(count_kind(&g, SCAN_EV_SCAN), 1);
	for (i = 0; i < g.n; i++)
		if (g.ev[i].kind == SCAN_EV_SCAN)
			assert_scan(&g.ev[i], "]E0", "4006381333931", 13);
	kn = keys_text(&g, k, sizeof(k));
	/* The arrow keys share ESC [ with the prefix: passed through. */
	assert_int_equal(kn, 6);
	assert_memory_equal(k, "\x1b[A\x1b[B", 6);
	got_free(&g);
	wedge_free(w);
}

static void test_partial_prefix_times_out_to_keys(void **state)
{
	struct wedge *w = mk("\x1b[24~", "\r", 0, 30, false);
	struct got g = { 0 };

	(void)state;
	feed(w, "\x1b", 1, 500, &g);
	assert_int_equal(g.n, 0); /* held: may be the start of the prefix */
	assert_int_equal(wedge_deadline(w), 531);
	wedge_tick(w, 520, collect, &g);
	assert_int_equal(g.n, 0);
	wedge_tick(w, 531, collect, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].kind, SCAN_EV_KEYS);
	assert_int_equal(g.ev[0].len, 1);
	assert_int_equal(g.ev[0].data[0], 0x1b);
	assert_int_equal(wedge_deadline(w), UINT64_MAX);
	got_free(&g);
	wedge_free(w);
}

static void test_timing_fallback(void **state)
{
	static const char code[] = "]C0ABC-123";
	struct wedge *w = mk("", "\r", 4, 30, false);
	struct got g = { 0 };
	unsigned char k[64];
	uint64_t t = 1000;
	size_t i;

	(void)state;
	/* A scanner: 10 bytes 8 ms apart, then CR. */
	for (i = 0; i < sizeof(code) - 1; i++, t += 8)
		feed(w, code + i, 1, t, &g);
	feed(w, "\r", 1, t, &g);
	assert_int_equal(g.n, 1);
	assert_scan(&g.ev[0], "]C0", "ABC-123", 7);

	/* A person: 200 ms between keys. Never a scan. */
	g.n = 0;
	t += 1000;
	for (i = 0; i < 5; i++, t += 200)
		feed(w, "hello" + i, 1, t, &g);
	feed(w, "\r", 1, t, &g);
	assert_int_equal(count_kind(&g, SCAN_EV_SCAN), 0);
	assert_int_equal(keys_text(&g, k, sizeof(k)), 6);
	assert_memory_equal(k, "hello\r", 6);

	/* Fast but too short (3 < 4): keys. */
	g.n = 0;
	t += 1000;
	feed(w, "ok!\r", 4, t, &g);
	assert_int_equal(count_kind(&g, SCAN_EV_SCAN), 0);
	assert_int_equal(keys_text(&g, k, sizeof(k)), 4);
	assert_memory_equal(k, "ok!\r", 4);

	/* A fast burst whose terminator comes late: keys, not a scan. */
	g.n = 0;
	t += 1000;
	feed(w, "ABCDEF", 6, t, &g);
	assert_int_equal(g.n, 0);
	feed(w, "\r", 1, t + 100, &g);
	assert_int_equal(count_kind(&g, SCAN_EV_SCAN), 0);
	assert_int_equal(keys_text(&g, k, sizeof(k)), 7);
	assert_memory_equal(k, "ABCDEF\r", 7);
	got_free(&g);
	wedge_free(w);
}

static void test_typing_passes_through_after_gap(void **state)
{
	struct wedge *w = mk("", "\r", 4, 30, false);
	struct got g = { 0 };

	(void)state;
	feed(w, "q", 1, 10, &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(wedge_deadline(w), 41);
	wedge_tick(w, 41, collect, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].kind, SCAN_EV_KEYS);
	assert_int_equal(g.ev[0].data[0], 'q');
	/* Control keys that are not terminators are typing too. */
	feed(w, "\x08", 1, 500, &g);
	wedge_tick(w, 600, collect, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.ev[1].data[0], 0x08);
	got_free(&g);
	wedge_free(w);
}

/* 100 distinct scans with GS and a NUL inside, CR-terminated. */
static size_t make_burst(unsigned char *buf, size_t max, const char *prefix)
{
	size_t n = 0, i;
	int k;

	for (i = 0; i < 100; i++) {
		k = snprintf((char *)buf + n, max - n,
			     "%s]C101095060001343%02zu\x1d" "10L%zu", prefix,
			     i, i);
		assert_true(k > 0 && (size_t)k < max - n);
		n += (size_t)k;
		buf[n++] = 0x00;
		buf[n++] = 'Z';
		buf[n++] = '\r';
	}
	return n;
}

static void check_burst(const struct got *g)
{
	char want[64];
	size_t i, s = 0;
	int k;

	assert_int_equal(count_kind(g, SCAN_EV_SCAN), 100);
	assert_int_equal(count_kind(g, SCAN_EV_KEYS), 0);
	assert_int_equal(count_kind(g, SCAN_EV_ERROR), 0);
	for (i = 0; i < g->n; i++) {
		if (g->ev[i].kind != SCAN_EV_SCAN)
			continue;
		k = snprintf(want, sizeof(want),
			     "01095060001343%02zu\x1d" "10L%zu", s, s);
		want[k] = 0x00;
		want[k + 1] = 'Z';
		assert_scan(&g->ev[i], "]C1", want, (size_t)k + 2);
		assert_int_equal(g->ev[i].repeat, 0);
		s++;
	}
}

static void test_burst_one_buffer(void **state)
{
	static const char *prefixes[] = { "", "\x02" };
	unsigned char buf[8192];
	struct got g = { 0 };
	struct wedge *w;
	size_t n, p;

	(void)state;
	for (p = 0; p < 2; p++) {
		w = mk(prefixes[p], "\r", p ? 0 : 4, 30, false);
		n = make_burst(buf, sizeof(buf), prefixes[p]);
		feed(w, buf, n, 5000, &g);
		check_burst(&g);
		assert_int_equal(wedge_deadline(w), UINT64_MAX);
		g.n = 0;
		wedge_free(w);
	}
	got_free(&g);
}

static void test_burst_random_splits(void **state)
{
	static const char *prefixes[] = { "", "\x02", "\x1b[24~" };
	unsigned char buf[8192];
	struct got g = { 0 };
	struct wedge *w;
	uint64_t t;
	size_t n, off, len, p, round;

	(void)state;
	srand(42);
	for (round = 0; round < 20; round++) {
		for (p = 0; p < 3; p++) {
			w = mk(prefixes[p], "\r", p ? 0 : 4, 30, false);
			n = make_burst(buf, sizeof(buf), prefixes[p]);
			t = 1000;
			for (off = 0; off < n; off += len) {
				len = 1 + (size_t)rand() % 64;
				if (len > n - off)
					len = n - off;
				t += (uint64_t)(rand() % 10);
				feed(w, buf + off, len, t, &g);
			}
			check_burst(&g);
			g.n = 0;
			wedge_free(w);
		}
	}
	got_free(&g);
}

static void test_hidden_characters_kept(void **state)
{
	static const unsigned char in[] = {
		0x02, 'A', 0x1d, 'B', 0x00, 0x1b, 0x04, 0x7f, 0xc3, 0xa9,
		'\r'
	};
	struct wedge *w = mk("\x02", "\r", 0, 30, false);
	struct got g = { 0 };

	(void)state;
	feed(w, in, sizeof(in), 1, &g);
	assert_int_equal(g.n, 1);
	assert_scan(&g.ev[0], "", in + 1, sizeof(in) - 2);
	got_free(&g);
	wedge_free(w);
}

static void test_repeats_counted_not_merged(void **state)
{
	struct wedge *w = mk("\x02", "\r", 0, 30, false);
	struct got g = { 0 };

	(void)state;
	feed(w, "\x02]C1X1\r\x02]C1X1\r", 14, 10, &g);
	feed(w, "\x02]C1X1\r", 7, 11, &g);
	feed(w, "\x02]C1Y\r\x02]C1Y\r\x02]C1X1\r\x02]C0X1\r", 26, 12, &g);
	assert_int_equal(g.n, 7);
	assert_int_equal(g.ev[0].repeat, 0);
	assert_int_equal(g.ev[1].repeat, 1);
	assert_int_equal(g.ev[2].repeat, 2);
	assert_int_equal(g.ev[3].repeat, 0);
	assert_int_equal(g.ev[4].repeat, 1);
	assert_int_equal(g.ev[5].repeat, 0);
	/* Same data, different symbology: a different scan. */
	assert_int_equal(g.ev[6].repeat, 0);
	assert_string_equal(g.ev[6].aim, "]C0");
	got_free(&g);
	wedge_free(w);
}

static void test_oversize_is_an_error(void **state)
{
	struct wedge *w = mk("\x02", "\r", 0, 30, false);
	struct got g = { 0 };
	unsigned char *big;

	(void)state;
	big = malloc(5002);
	assert_non_null(big);
	big[0] = 0x02;
	memset(big + 1, '7', 5000);
	big[5001] = '\r';
	feed(w, big, 5002, 1, &g);
	feed(w, "\x02ok\r", 4, 2, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.ev[0].kind, SCAN_EV_ERROR);
	assert_int_equal(g.ev[0].err, WH_ERR_INVALID);
	assert_int_equal(g.ev[0].len, SCAN_DATA_MAX);
	assert_int_equal(g.ev[0].total_len, 5000);
	assert_non_null(strstr(g.ev[0].msg, "5000"));
	assert_scan(&g.ev[1], "", "ok", 2);
	free(big);
	got_free(&g);
	wedge_free(w);
}

static void test_unterminated_scan_times_out(void **state)
{
	struct wedge *w = mk("\x02", "\r", 0, 30, false);
	struct got g = { 0 };

	(void)state;
	feed(w, "\x02" "ABC", 4, 100, &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(wedge_deadline(w), 2101);
	wedge_tick(w, 2101, collect, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].kind, SCAN_EV_ERROR);
	assert_int_equal(g.ev[0].len, 3);
	assert_memory_equal(g.ev[0].data, "ABC", 3);
	got_free(&g);
	wedge_free(w);
}

static void test_dedicated_crlf_and_flush(void **state)
{
	struct wedge *w = mk("", "\r\n", 0, 30, true);
	struct got g = { 0 };

	(void)state;
	feed(w, "A1\r\nB2\r\n\r\nC3", 12, 1, &g);
	assert_int_equal(g.n, 2);
	assert_scan(&g.ev[0], "", "A1", 2);
	assert_scan(&g.ev[1], "", "B2", 2);
	wedge_flush(w, 2, collect, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.ev[2].kind, SCAN_EV_ERROR);
	assert_memory_equal(g.ev[2].data, "C3", 2);
	got_free(&g);
	wedge_free(w);
}

static void test_paste_is_typing(void **state)
{
	struct wedge *w = mk("", "\r", 4, 30, false);
	struct got g = { 0 };
	unsigned char *big;
	size_t n = SCAN_DATA_MAX + 100;

	(void)state;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'p', n);
	big[n] = '\r';
	feed(w, big, n + 1, 1, &g);
	assert_int_equal(count_kind(&g, SCAN_EV_SCAN), 0);
	assert_int_equal(count_kind(&g, SCAN_EV_ERROR), 0);
	{
		unsigned char *k = malloc(n + 1);

		assert_non_null(k);
		assert_int_equal(keys_text(&g, k, n + 1), n + 1);
		assert_memory_equal(k, big, n + 1);
		free(k);
	}
	free(big);
	got_free(&g);
	wedge_free(w);
}

static void test_bad_config(void **state)
{
	struct wedge_config c;
	struct wh_error e;
	struct wedge *w;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(wedge_new(&c, &w, &e), WH_ERR_INVALID);
	assert_null(w);
	c.suffix[0] = '\r';
	c.suffix_len = 1;
	c.prefix[0] = '\r';
	c.prefix_len = 1;
	c.gap_ms = 30;
	assert_int_equal(wedge_new(&c, &w, &e), WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "terminator"));
	c.prefix_len = 0;
	c.min_burst = 4;
	c.gap_ms = 0;
	assert_int_equal(wedge_new(&c, &w, &e), WH_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_suffix),
		cmocka_unit_test(test_fkey_prefix_split_and_arrow_keys),
		cmocka_unit_test(test_partial_prefix_times_out_to_keys),
		cmocka_unit_test(test_timing_fallback),
		cmocka_unit_test(test_typing_passes_through_after_gap),
		cmocka_unit_test(test_burst_one_buffer),
		cmocka_unit_test(test_burst_random_splits),
		cmocka_unit_test(test_hidden_characters_kept),
		cmocka_unit_test(test_repeats_counted_not_merged),
		cmocka_unit_test(test_oversize_is_an_error),
		cmocka_unit_test(test_unterminated_scan_times_out),
		cmocka_unit_test(test_dedicated_crlf_and_flush),
		cmocka_unit_test(test_paste_is_typing),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
