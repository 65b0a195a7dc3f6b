/*
 * test_stream_drivers.c - serial driver through a pty pair, FIFO and
 * Unix-socket drivers: 100 scans in one burst, all delivered in order.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, ptsname */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivers/scanner/scan_format.h"
#include "drv_util.h"

#define N_SCANS 100

/* 100 scans, each with GS and a NUL, terminated by term. */
static size_t make_burst(unsigned char *buf, size_t max, char term)
{
	size_t n = 0, i;
	int k;

	for (i = 0; i < N_SCANS; i++) {
		k = snprintf((char *)buf + n, max - n,
			     "]C10109506000134352\x1d" "10LOT%03zu", i);
		assert_true(k > 0 && (size_t)k < max - n - 3);
		n += (size_t)k;
		buf[n++] = 0x00;
		buf[n++] = (unsigned char)term;
	}
	return n;
}

static void check_burst(const struct drv_events *d, enum scan_source src)
{
	char want[64];
	size_t i, s = 0;
	int k;

	assert_int_equal(drv_count(d, SCAN_EV_SCAN), N_SCANS);
	assert_int_equal(drv_count(d, SCAN_EV_ERROR), 0);
	for (i = 0; i < d->n; i++) {
		if (d->ev[i].kind != SCAN_EV_SCAN)
			continue;
		k = snprintf(want, sizeof(want),
			     "0109506000134352\x1d" "10LOT%03zu", s);
		want[k] = 0x00;
		assert_int_equal(d->ev[i].source, src);
		assert_string_equal(d->ev[i].aim, "]C1");
		assert_int_equal(d->ev[i].len, (size_t)k + 1);
		assert_memory_equal(d->ev[i].data, want, (size_t)k + 1);
		if (i)
			assert_true(d->ev[i].seq > d->ev[i - 1].seq);
		s++;
	}
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

static void test_serial_pty_burst(void **state)
{
	unsigned char buf[8192];
	struct scanner_config cfg;
	struct drv_events d = { 0 };
	struct wh_error e;
	scanner_t *s;
	int m;
	size_t n;

	(void)state;
	m = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	scanner_config_init(&cfg, SCANNER_DRV_SERIAL);
	cfg.device = ptsname(m);
	assert_int_equal(scanner_open(&cfg, &s, &e), WH_OK);
	/* 100 CR-terminated scans in one write, well inside a second. */
	n = make_burst(buf, sizeof(buf), '\r');
	write_all(m, buf, n);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_SCAN, N_SCANS, 5000),
			 N_SCANS);
	check_burst(&d, SCAN_SRC_SERIAL);
	assert_true(d.ev[d.n - 1].time_ms - d.ev[0].time_ms < 1000);
	/* A serial port cannot beep. */
	assert_int_equal(scanner_beep(s, true, &e), WH_ERR_UNSUPPORTED);

	/* Hang-up: the master goes away, the driver says so. */
	close(m);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_DISCONNECT, 1, 5000), 1);
	scanner_free(s);
	drv_events_free(&d);
}

static void test_serial_missing_device(void **state)
{
	struct scanner_config cfg;
	struct wh_error e;
	scanner_t *s;

	(void)state;
	scanner_config_init(&cfg, SCANNER_DRV_SERIAL);
	cfg.device = "/nonexistent/ttyACM9";
	assert_int_equal(scanner_open(&cfg, &s, &e), WH_ERR_NOT_FOUND);
	assert_null(s);
	assert_non_null(strstr(e.msg, "ttyACM9"));
}

static void tmp_path(char *out, size_t size, const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(out, size, "%s/wharf-drv-%ld-%s", dir ? dir : "/tmp",
		 (long)getpid(), name);
}

static void test_fifo_burst_in_random_writes(void **state)
{
	unsigned char buf[8192];
	struct scanner_config cfg;
	struct drv_events d = { 0 };
	struct wh_error e;
	char path[256];
	struct stat sb;
	scanner_t *s;
	size_t n, off, len;
	int w;

	(void)state;
	tmp_path(path, sizeof(path), "fifo");
	unlink(path);
	scanner_config_init(&cfg, SCANNER_DRV_FIFO);
	cfg.device = path;
	assert_int_equal(scanner_open(&cfg, &s, &e), WH_OK);
	/* The driver made the FIFO. */
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISFIFO(sb.st_mode));
	n = make_burst(buf, sizeof(buf), '\n');
	/* Two writers one after the other; no EOF lost in between. */
	srand(7);
	for (off = 0; off < n; off += len) {
		len = 1 + (size_t)rand() % 300;
		if (len > n - off)
			len = n - off;
		w = open(path, O_WRONLY);
		assert_true(w >= 0);
		write_all(w, buf + off, len);
		close(w);
	}
	assert_int_equal(drv_collect(s, &d, SCAN_EV_SCAN, N_SCANS, 5000),
			 N_SCANS);
	check_burst(&d, SCAN_SRC_FIFO);
	scanner_free(s);
	/* We created it, we removed it. */
	assert_int_equal(stat(path, &sb), -1);
	drv_events_free(&d);
}

static void test_unix_socket_clients(void **state)
{
	unsigned char buf[8192];
	struct scanner_config cfg;
	struct drv_events d = { 0 };
	struct sockaddr_un sa;
	struct wh_error e;
	char path[200], dev[210];
	scanner_t *s;
	size_t n;
	int c;

	(void)state;
	tmp_path(path, sizeof(path), "sock");
	snprintf(dev, sizeof(dev), "unix:%s", path);
	scanner_config_init(&cfg, SCANNER_DRV_FIFO);
	cfg.device = dev;
	assert_int_equal(scanner_open(&cfg, &s, &e), WH_OK);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(c >= 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	n = make_burst(buf, sizeof(buf), '\n');
	write_all(c, buf, n);
	close(c);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_SCAN, N_SCANS, 5000),
			 N_SCANS);
	check_burst(&d, SCAN_SRC_FIFO);
	scanner_free(s);
	assert_int_equal(access(path, F_OK), -1);
	drv_events_free(&d);
}

static void test_slow_reader_loses_nothing(void **state)
{
	unsigned char buf[8192];
	struct scanner_config cfg;
	struct drv_events d = { 0 };
	struct scan_event ev;
	struct wh_error e;
	char path[256], line[SCAN_FORMAT_MAX];
	scanner_t *s;
	size_t n, i;
	int w;

	(void)state;
	tmp_path(path, sizeof(path), "slow");
	unlink(path);
	scanner_config_init(&cfg, SCANNER_DRV_FIFO);
	cfg.device = path;
	assert_int_equal(scanner_open(&cfg, &s, &e), WH_OK);
	w = open(path, O_WRONLY);
	assert_true(w >= 0);
	n = make_burst(buf, sizeof(buf), '\n');
	/* Five bursts before the UI looks once: 500 scans wait. */
	for (i = 0; i < 5; i++)
		write_all(w, buf, n);
	close(w);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_SCAN, 5 * N_SCANS, 5000),
			 5 * N_SCANS);
	/* Codes recur only with others between: never a repeat. */
	for (i = 0; i < d.n; i++)
		assert_int_equal(d.ev[i].repeat, 0);
	assert_false(scanner_next(s, &ev));
	scan_format_event(&d.ev[0], line, sizeof(line));
	assert_string_equal(line, "1 scan fifo aim=]C1 len=26 repeat=0 "
			    "data=0109506000134352<GS>10LOT000<NUL>");
	scanner_free(s);
	drv_events_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial_pty_burst),
		cmocka_unit_test(test_serial_missing_device),
		cmocka_unit_test(test_fifo_burst_in_random_writes),
		cmocka_unit_test(test_unix_socket_clients),
		cmocka_unit_test(test_slow_reader_loses_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
