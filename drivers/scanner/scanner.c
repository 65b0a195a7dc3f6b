/*
 * scanner.c - the scanner handle: driver dispatch, the epoll descriptor
 * the UI polls, the event queue, and the framer drivers share.
 */
#include "drivers/scanner/scanner_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

uint64_t scanner_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *scan_source_name(enum scan_source src)
{
	switch (src) {
	case SCAN_SRC_WEDGE:
		return "wedge";
	case SCAN_SRC_EVDEV:
		return "evdev";
	case SCAN_SRC_HIDPOS:
		return "hidpos";
	case SCAN_SRC_SERIAL:
		return "serial";
	case SCAN_SRC_FIFO:
		return "fifo";
	}
	return "unknown";
}

const char *scan_kind_name(enum scan_kind kind)
{
	switch (kind) {
	case SCAN_EV_SCAN:
		return "scan";
	case SCAN_EV_KEYS:
		return "keys";
	case SCAN_EV_ERROR:
		return "error";
	case SCAN_EV_DISCONNECT:
		return "disconnect";
	case SCAN_EV_CONNECT:
		return "connect";
	}
	return "unknown";
}

static const struct {
	const char *name;
	enum scanner_driver drv;
	enum scan_source src;
	const struct scanner_ops *ops;
} drivers[] = {
	{ "wedge", SCANNER_DRV_WEDGE, SCAN_SRC_WEDGE, &scanner_wedge_ops },
	{ "evdev", SCANNER_DRV_EVDEV, SCAN_SRC_EVDEV, &scanner_evdev_ops },
	{ "hidpos", SCANNER_DRV_HIDPOS, SCAN_SRC_HIDPOS, &scanner_hidpos_ops },
	{ "serial", SCANNER_DRV_SERIAL, SCAN_SRC_SERIAL, &scanner_serial_ops },
	{ "fifo", SCANNER_DRV_FIFO, SCAN_SRC_FIFO, &scanner_fifo_ops },
};

#define N_DRIVERS (sizeof(drivers) / sizeof(drivers[0]))

bool scanner_driver_parse(const char *name, enum scanner_driver *out)
{
	size_t i;

	for (i = 0; i < N_DRIVERS; i++) {
		if (!strcmp(name, drivers[i].name)) {
			*out = drivers[i].drv;
			return true;
		}
	}
	return false;
}

void scanner_config_init(struct scanner_config *cfg,
			 enum scanner_driver driver)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->driver = driver;
	cfg->suffix[0] = driver == SCANNER_DRV_FIFO ? '\n' : '\r';
	cfg->suffix_len = 1;
	cfg->min_burst = driver == SCANNER_DRV_WEDGE ? 4 : 0;
	cfg->gap_ms = 30;
	/* A dedicated stream has no typing to give back: wait for the end. */
	cfg->scan_timeout_ms = driver == SCANNER_DRV_FIFO ? 0 : 3000;
	cfg->aim = SCANNER_AIM_AUTO;
	cfg->report_id = 2;
}

enum wh_err scanner_watch(struct scanner *s, int fd, struct wh_error *e)
{
	struct epoll_event ee;

	memset(&ee, 0, sizeof(ee));
	ee.events = EPOLLIN;
	ee.data.fd = fd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ee) < 0)
		return wh_error_set(e, WH_ERR_IO, "epoll_ctl: %s",
				    strerror(errno));
	return WH_OK;
}

void scanner_unwatch(struct scanner *s, int fd)
{
	/* Fails harmlessly if fd was never added. */
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
}

void scanner_push(struct scanner *s, const struct scan_event *ev)
{
	scan_queue_push(&s->q, ev);
}

void scanner_push_status(struct scanner *s, enum scan_kind kind,
			 enum wh_err err, const char *fmt, ...)
{
	struct scan_event *ev;
	va_list ap;

	ev = malloc(sizeof(*ev));
	if (!ev) {
		/* Counted as lost by the queue. */
		pthread_mutex_lock(&s->q.lock);
		s->q.lost++;
		pthread_mutex_unlock(&s->q.lock);
		return;
	}
	scan_event_init(ev, kind, s->src, scanner_now_ms());
	ev->err = err;
	va_start(ap, fmt);
	vsnprintf(ev->msg, sizeof(ev->msg), fmt, ap);
	va_end(ap);
	scanner_push(s, ev);
	free(ev);
}

enum wh_err scanner_open(const struct scanner_config *cfg, scanner_t **out,
			 struct wh_error *e)
{
	struct scanner *s;
	enum wh_err rc;
	size_t i;

	*out = NULL;
	for (i = 0; i < N_DRIVERS; i++)
		if (drivers[i].drv == cfg->driver)
			break;
	if (i == N_DRIVERS)
		return wh_error_set(e, WH_ERR_INVALID,
				    "unknown scanner driver %d",
				    (int)cfg->driver);
	if (cfg->suffix_len > SCANNER_AFFIX_MAX ||
	    cfg->prefix_len > SCANNER_AFFIX_MAX)
		return wh_error_set(e, WH_ERR_INVALID,
				    "scanner: prefix/suffix too long");
	s = calloc(1, sizeof(*s));
	if (!s)
		return wh_error_set(e, WH_ERR_NOMEM, "scanner: out of memory");
	s->cfg = *cfg;
	/* Strings are borrowed during open only: drivers copy them. */
	s->ops = drivers[i].ops;
	s->src = drivers[i].src;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		rc = wh_error_set(e, WH_ERR_IO, "epoll_create1: %s",
				  strerror(errno));
		free(s);
		return rc;
	}
	rc = scan_queue_init(&s->q, 0, s->src, e);
	if (rc)
		goto out_epoll;
	rc = scanner_watch(s, s->q.evfd, e);
	if (rc)
		goto out_queue;
	rc = s->ops->open(s, e);
	if (rc) {
		wh_error_prefix(e, "%s", drivers[i].name);
		goto out_close;
	}
	s->cfg.device = NULL;
	s->cfg.sysfs_root = NULL;
	*out = s;
	return WH_OK;

out_close:
	s->ops->close(s);
out_queue:
	scan_queue_destroy(&s->q);
out_epoll:
	close(s->epfd);
	free(s);
	return rc;
}

void scanner_free(scanner_t *s)
{
	if (!s)
		return;
	s->ops->close(s);
	scan_queue_destroy(&s->q);
	close(s->epfd);
	free(s);
}

int scanner_fd(const scanner_t *s)
{
	return s->epfd;
}

bool scanner_next(scanner_t *s, struct scan_event *ev)
{
	/*
	 * Every member of the epoll set is level-triggered, so there is
	 * nothing to acknowledge: draining the sources clears readiness.
	 */
	if (s->ops->pump)
		s->ops->pump(s);
	return scan_queue_pop(&s->q, ev);
}

enum wh_err scanner_beep(scanner_t *s, bool good, struct wh_error *e)
{
	if (!s->ops->beep)
		return wh_error_set(e, WH_ERR_UNSUPPORTED,
				    "the %s driver cannot beep",
				    scan_source_name(s->src));
	return s->ops->beep(s, good, e);
}

/* ---- framer ---------------------------------------------------------- */

static void framer_cb(void *arg, const struct scan_event *ev)
{
	struct scan_framer *f = arg;

	scanner_push(f->s, ev);
}

static void framer_arm(struct scan_framer *f)
{
	struct itimerspec its;
	uint64_t d = wedge_deadline(f->w);

	memset(&its, 0, sizeof(its));
	if (d != UINT64_MAX) {
		its.it_value.tv_sec = (time_t)(d / 1000);
		its.it_value.tv_nsec = (long)(d % 1000) * 1000000L;
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	timerfd_settime(f->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

enum wh_err scan_framer_init(struct scan_framer *f, struct scanner *s,
			     bool all_scans, struct wh_error *e)
{
	struct wedge_config wc;
	enum wh_err rc;

	memset(f, 0, sizeof(*f));
	f->s = s;
	f->tfd = -1;
	memset(&wc, 0, sizeof(wc));
	memcpy(wc.prefix, s->cfg.prefix, s->cfg.prefix_len);
	wc.prefix_len = s->cfg.prefix_len;
	if (s->cfg.suffix_len) {
		memcpy(wc.suffix, s->cfg.suffix, s->cfg.suffix_len);
		wc.suffix_len = s->cfg.suffix_len;
	} else {
		wc.suffix[0] = s->src == SCAN_SRC_FIFO ? '\n' : '\r';
		wc.suffix_len = 1;
	}
	wc.min_burst = all_scans ? 0 : s->cfg.min_burst;
	wc.gap_ms = s->cfg.gap_ms ? s->cfg.gap_ms : 30;
	wc.scan_timeout_ms = s->cfg.scan_timeout_ms;
	wc.all_scans = all_scans;
	wc.aim = s->cfg.aim;
	wc.source = s->src;
	rc = wedge_new(&wc, &f->w, e);
	if (rc)
		return rc;
	f->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (f->tfd < 0) {
		rc = wh_error_set(e, WH_ERR_IO, "timerfd_create: %s",
				  strerror(errno));
		goto out_wedge;
	}
	rc = scanner_watch(s, f->tfd, e);
	if (rc)
		goto out_tfd;
	return WH_OK;

out_tfd:
	close(f->tfd);
	f->tfd = -1;
out_wedge:
	wedge_free(f->w);
	f->w = NULL;
	return rc;
}

void scan_framer_feed(struct scan_framer *f, const unsigned char *p,
		      size_t n)
{
	uint64_t now = scanner_now_ms();

	/* Resolve timeouts first so late bytes are judged on their own. */
	wedge_tick(f->w, now, framer_cb, f);
	wedge_feed(f->w, p, n, now, framer_cb, f);
	framer_arm(f);
}

void scan_framer_tick(struct scan_framer *f)
{
	if (!f->w)
		return;
	scanner_timer_fired(f->tfd);
	wedge_tick(f->w, scanner_now_ms(), framer_cb, f);
	framer_arm(f);
}

void scan_framer_flush(struct scan_framer *f)
{
	if (!f->w)
		return;
	wedge_flush(f->w, scanner_now_ms(), framer_cb, f);
	framer_arm(f);
}

void scan_framer_destroy(struct scan_framer *f)
{
	if (f->tfd >= 0) {
		scanner_unwatch(f->s, f->tfd);
		close(f->tfd);
	}
	f->tfd = -1;
	wedge_free(f->w);
	f->w = NULL;
}

int scanner_retry_timer_new(unsigned period_ms)
{
	struct itimerspec its;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = period_ms / 1000;
	its.it_value.tv_nsec = (long)(period_ms % 1000) * 1000000L;
	its.it_interval = its.it_value;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

bool scanner_timer_fired(int tfd)
{
	uint64_t n;

	return tfd >= 0 && read(tfd, &n, sizeof(n)) == (ssize_t)sizeof(n);
}
