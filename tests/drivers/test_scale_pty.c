/*
 * test_scale_pty.c - the serial parcel scale reader through a pty pair:
 * the test holds the master side and plays a "continuous output" bench
 * scale on it (a feeder thread writing one line per period); the driver
 * opens the slave like a /dev/ttyUSB0. Stable readings, settling
 * readings waited through, garbage and over-long lines, lines split
 * across reads, a silent scale (timeout), overload and below-zero, a
 * hang-up mid-reading, and scale_serial_weigh's spec parsing.
 */
#define _GNU_SOURCE /* ptsname_r */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivers/printer/scale_serial.h"

#define FEED_MAX 16

/* The scale: writes lines[] to the master, one every period_ms. */
struct feeder {
	int master;
	const char *lines[FEED_MAX];
	size_t n;
	int period_ms;
	bool repeat_last;	/* continuous output: the last line forever */
	bool hangup;		/* then close the master (cable pulled) */
	pthread_mutex_t lock;
	bool stop;
	pthread_t th;
	bool running;
};

struct pty {
	int master;
	int fd;			/* the driver's side */
	char name[64];
	struct feeder f;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void write_all(int fd, const char *s, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return; /* a full pty: the reader is gone anyway */
		s += k;
		n -= (size_t)k;
	}
}

static bool feeder_stopped(struct feeder *f)
{
	bool stop;

	pthread_mutex_lock(&f->lock);
	stop = f->stop;
	pthread_mutex_unlock(&f->lock);
	return stop;
}

static void *feeder_run(void *arg)
{
	struct feeder *f = arg;
	size_t i;

	for (i = 0; i < f->n && !feeder_stopped(f); i++) {
		write_all(f->master, f->lines[i], strlen(f->lines[i]));
		pause_ms(f->period_ms);
	}
	while (f->repeat_last && f->n && !feeder_stopped(f)) {
		write_all(f->master, f->lines[f->n - 1],
			  strlen(f->lines[f->n - 1]));
		pause_ms(f->period_ms);
	}
	if (f->hangup) {
		close(f->master);
		f->master = -1; /* read by the test only after the join */
	}
	return NULL;
}

/* Starts the scale talking: the lines (NULL-terminated) every period. */
static void feed(struct pty *p, int period_ms, bool repeat_last,
		 bool hangup, ...)
{
	struct feeder *f = &p->f;
	const char *s;
	va_list ap;

	f->master = p->master;
	f->period_ms = period_ms;
	f->repeat_last = repeat_last;
	f->hangup = hangup;
	f->n = 0;
	f->stop = false;
	va_start(ap, hangup);
	while ((s = va_arg(ap, const char *)) != NULL) {
		assert_true(f->n < FEED_MAX);
		f->lines[f->n++] = s;
	}
	va_end(ap);
	assert_int_equal(pthread_create(&f->th, NULL, feeder_run, f), 0);
	f->running = true;
}

static void feed_stop(struct pty *p)
{
	struct feeder *f = &p->f;

	if (!f->running)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->th, NULL);
	f->running = false;
	if (f->hangup)
		p->master = f->master;
}

static int pty_setup(void **state)
{
	struct pty *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	p->fd = -1;
	pthread_mutex_init(&p->f.lock, NULL);
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (p->master < 0 || grantpt(p->master) || unlockpt(p->master) ||
	    ptsname_r(p->master, p->name, sizeof(p->name)))
		return -1;
	*state = p;
	return 0;
}

static int pty_teardown(void **state)
{
	struct pty *p = *state;

	feed_stop(p);
	if (p->fd >= 0)
		close(p->fd);
	if (p->master >= 0)
		close(p->master);
	pthread_mutex_destroy(&p->f.lock);
	free(p);
	return 0;
}

static void open_scale(struct pty *p)
{
	struct wh_error e;

	wh_error_clear(&e);
	assert_int_equal(scale_serial_open(p->name, 9600, &p->fd, &e), WH_OK);
	assert_true(p->fd >= 0);
}

static void test_stable(void **state)
{
	struct pty *p = *state;
	struct scale_reading r;
	struct wh_error e;

	/* A reading from before the open is stale and must be dropped. */
	write_all(p->master, "ST,GS,+  9.000kg\r\n", 18);
	open_scale(p);
	feed(p, 20, true, false, "ST,GS,+  1.250kg\r\n", NULL);
	wh_error_clear(&e);
	assert_int_equal(scale_serial_read(p->fd, NULL, 3000, &r, &e), WH_OK);
	assert_int_equal(r.status, SCALE_OK);
	assert_int_equal(r.grams, 1250);
	assert_false(r.net);
	feed_stop(p);

	/* LF-only lines, a net reading in grams. */
	feed(p, 20, true, false, "ST,NT,+   850g\n", NULL);
	assert_int_equal(scale_serial_read(p->fd, NULL, 3000, &r, &e), WH_OK);
	assert_int_equal(r.grams, 850);
	assert_true(r.net);
}

/* A parcel going on: moving readings, a bounce below zero, then still. */
static void test_settling(void **state)
{
	struct pty *p = *state;
	struct scale_reading r;
	struct wh_error e;
	int64_t t0, ms;

	open_scale(p);
	feed(p, 40, true, false,
	     "US,GS,-  0.020kg\r\n",
	     "US,GS,+  0.400kg\r\n",
	     "US,GS,+  1.180kg\r\n",
	     "US,GS,+  1.262kg\r\n",
	     "ST,GS,+  1.254kg\r\n", NULL);
	wh_error_clear(&e);
	t0 = mono_ms();
	assert_int_equal(scale_serial_read(p->fd, NULL, 5000, &r, &e), WH_OK);
	ms = mono_ms() - t0;
	assert_int_equal(r.status, SCALE_OK);
	assert_int_equal(r.grams, 1254);
	/* It waited for the fifth line rather than take an earlier one. */
	assert_true(ms >= 4 * 40 - 20);
}

static void test_garbage(void **state)
{
	static char longline[400];
	struct pty *p = *state;
	struct scale_reading r;
	struct wh_error e;

	/* 300 bytes of noise ending in what looks like a reading. */
	memset(longline, 'x', 300);
	memcpy(longline + 300, "ST,GS,+  9.999kg\r\n", 19);
	open_scale(p);
	feed(p, 10, false, false,
	     "\x01\x02 line noise \xff\xfe\r\n",
	     "ST,GS,+  abc kg\r\n",
	     "ST,GS,+  1.250oz\r\n",
	     "ST,TR,+  0.500kg\r\n",	/* tare: not a parcel */
	     longline,
	     "\r\n\r\n",
	     "ST,GS,+  ",		/* one reading in three reads */
	     "3.5",
	     "00kg\r\n", NULL);
	wh_error_clear(&e);
	assert_int_equal(scale_serial_read(p->fd, NULL, 5000, &r, &e), WH_OK);
	assert_int_equal(r.status, SCALE_OK);
	assert_int_equal(r.grams, 3500);
}

static void test_silent(void **state)
{
	struct pty *p = *state;
	struct scale_reading r;
	struct wh_error e;
	int64_t t0, ms;

	open_scale(p);
	wh_error_clear(&e);
	t0 = mono_ms();
	assert_int_equal(scale_serial_read(p->fd, NULL, 300, &r, &e),
			 WH_ERR_IO);
	ms = mono_ms() - t0;
	assert_true(ms >= 290);
	assert_true(ms < 3000);
	assert_string_equal(e.msg, "scale: no reading in time");
	assert_int_equal(r.status, SCALE_BAD);

	/* Never settles: says so, and does not pass the moving weight on. */
	feed(p, 20, true, false, "US,GS,+  1.100kg\r\n", NULL);
	t0 = mono_ms();
	assert_int_equal(scale_serial_read(p->fd, NULL, 300, &r, &e),
			 WH_ERR_IO);
	ms = mono_ms() - t0;
	assert_true(ms >= 290);
	assert_true(ms < 3000);
	assert_string_equal(e.msg, "scale: no stable weight in time");
	assert_int_equal(r.status, SCALE_UNSTABLE);
	assert_int_equal(r.grams, 0);
	feed_stop(p);

	/* Moving, then a garbage line: still "no stable weight". */
	feed(p, 20, true, false, "US,GS,+  1.100kg\r\n", "#?\r\n", NULL);
	assert_int_equal(scale_serial_read(p->fd, NULL, 300, &r, &e),
			 WH_ERR_IO);
	assert_string_equal(e.msg, "scale: no stable weight in time");
}

static void test_refused(void **state)
{
	struct pty *p = *state;
	struct scale_reading r;
	struct wh_error e;

	open_scale(p);
	feed(p, 20, true, false, "US,GS,+  8.100kg\r\n",
	     "OL,GS,+  9.999kg\r\n", NULL);
	wh_error_clear(&e);
	assert_int_equal(scale_serial_read(p->fd, NULL, 3000, &r, &e),
			 WH_ERR_REFUSED);
	assert_string_equal(e.msg, "scale overloaded");
	assert_int_equal(r.status, SCALE_OVERLOAD);
	feed_stop(p);

	feed(p, 20, true, false, "ST,GS,-  0.150kg\r\n", NULL);
	assert_int_equal(scale_serial_read(p->fd, NULL, 3000, &r, &e),
			 WH_ERR_REFUSED);
	assert_non_null(strstr(e.msg, "tare"));
	assert_int_equal(r.status, SCALE_NEGATIVE);
}

/* The scale goes away mid-reading: an error at once, not a timeout. */
static void test_hangup(void **state)
{
	struct pty *p = *state;
	struct scale_reading r;
	struct wh_error e;
	int64_t t0, ms;

	open_scale(p);
	feed(p, 30, false, true, "US,GS,+  0.700kg\r\n",
	     "US,GS,+  1.020kg\r\n", "ST,GS,+  1.0", NULL);
	wh_error_clear(&e);
	t0 = mono_ms();
	assert_int_equal(scale_serial_read(p->fd, NULL, 10000, &r, &e),
			 WH_ERR_IO);
	ms = mono_ms() - t0;
	assert_true(ms < 3000);
	assert_non_null(strstr(e.msg, "disconnected"));
	assert_true(r.status != SCALE_OK);
	feed_stop(p);
	assert_int_equal(p->master, -1);

	/* And a port whose other end is already gone. */
	t0 = mono_ms();
	assert_int_equal(scale_serial_read(p->fd, NULL, 10000, &r, &e),
			 WH_ERR_IO);
	assert_true(mono_ms() - t0 < 3000);
	assert_non_null(strstr(e.msg, "disconnected"));
}

static void test_weigh(void **state)
{
	struct pty *p = *state;
	char spec[600];
	struct wh_error e;
	int32_t g = -1;
	int k;

	/* Continuous output, so lines keep coming after the open's flush. */
	feed(p, 20, true, false, "ST,GS,+  0.750kg\r\n", NULL);
	k = snprintf(spec, sizeof(spec), "serial:%s@19200", p->name);
	assert_true(k > 0 && (size_t)k < sizeof(spec));
	wh_error_clear(&e);
	assert_int_equal(scale_serial_weigh(spec, 3000, &g, &e), WH_OK);
	assert_int_equal(g, 750);
	/* A bare path at the default speed. */
	g = -1;
	assert_int_equal(scale_serial_weigh(p->name, 3000, &g, &e), WH_OK);
	assert_int_equal(g, 750);
	feed_stop(p);

	g = -1;
	k = snprintf(spec, sizeof(spec), "serial:%s@12345", p->name);
	assert_true(k > 0 && (size_t)k < sizeof(spec));
	assert_int_equal(scale_serial_weigh(spec, 300, &g, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "unsupported speed 12345"));
	k = snprintf(spec, sizeof(spec), "serial:%s@fast", p->name);
	assert_true(k > 0 && (size_t)k < sizeof(spec));
	assert_int_equal(scale_serial_weigh(spec, 300, &g, &e),
			 WH_ERR_INVALID);
	assert_int_equal(scale_serial_weigh("serial:@9600", 300, &g, &e),
			 WH_ERR_INVALID);
	assert_int_equal(g, -1);

	/* A path longer than the driver's buffer, then a speed. */
	memcpy(spec, "serial:/dev/", 12);
	memset(spec + 12, 'a', 400);
	memcpy(spec + 412, "@9600", 6);
	assert_int_equal(scale_serial_weigh(spec, 300, &g, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "longer"));

	assert_int_equal(scale_serial_weigh("serial:/dev/wharf-no-such-scale",
					    300, &g, &e), WH_ERR_IO);
	assert_non_null(strstr(e.msg, "/dev/wharf-no-such-scale"));
	assert_int_equal(g, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stable, pty_setup,
						pty_teardown),
		cmocka_unit_test_setup_teardown(test_settling, pty_setup,
						pty_teardown),
		cmocka_unit_test_setup_teardown(test_garbage, pty_setup,
						pty_teardown),
		cmocka_unit_test_setup_teardown(test_silent, pty_setup,
						pty_teardown),
		cmocka_unit_test_setup_teardown(test_refused, pty_setup,
						pty_teardown),
		cmocka_unit_test_setup_teardown(test_hangup, pty_setup,
						pty_teardown),
		cmocka_unit_test_setup_teardown(test_weigh, pty_setup,
						pty_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
