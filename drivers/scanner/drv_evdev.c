/*
 * drv_evdev.c - a keyboard-emulating scanner read from its own
 * /dev/input/eventN node, grabbed so its keys reach nothing else, keys
 * translated by our own US table, cut into scans at the terminator.
 */
#include "drivers/scanner/evdev_keymap.h"
#include "drivers/scanner/scanner_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define EVDEV_RETRY_MS 1000

struct evdev {
	int fd;
	char *path;       /* the node in use, or NULL when looked up */
	char *sysfs;      /* sysfs root for vid:pid lookup */
	bool by_id;       /* found by vid:pid: look it up again on replug */
	struct evdev_keys keys;
	/* A kernel node returns whole events; an emulated one may not. */
	unsigned char part[sizeof(struct input_event)];
	size_t partlen;
	struct scan_framer fr;
	int retry_tfd;
};

/* Reads a sysfs hex id file ("0c2e\n"); false if absent or bad. */
static bool read_hex(const char *path, unsigned long *out)
{
	char buf[16], *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	errno = 0;
	*out = strtoul(buf, &end, 16);
	return !errno && end != buf && (*end == '\n' || *end == '\0');
}

/* Finds /dev/input/eventN of the device with vid:pid; NULL if none. */
static char *evdev_find(const char *sysfs, uint16_t vid, uint16_t pid)
{
	char dir[512], p[1024], *found = NULL;
	unsigned long v, d;
	struct dirent *de;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s/class/input", sysfs);
	dh = opendir(dir);
	if (!dh)
		return NULL;
	while (!found && (de = readdir(dh))) {
		if (strncmp(de->d_name, "event", 5))
			continue;
		snprintf(p, sizeof(p), "%s/%s/device/id/vendor", dir,
			 de->d_name);
		if (!read_hex(p, &v) || v != vid)
			continue;
		snprintf(p, sizeof(p), "%s/%s/device/id/product", dir,
			 de->d_name);
		if (!read_hex(p, &d) || d != pid)
			continue;
		snprintf(p, sizeof(p), "/dev/input/%s", de->d_name);
		found = strdup(p);
	}
	closedir(dh);
	return found;
}

static enum wh_err evdev_connect(struct scanner *s, struct evdev *ev,
				 struct wh_error *e)
{
	enum wh_err rc;
	int err;

	if (ev->by_id) {
		free(ev->path);
		ev->path = evdev_find(ev->sysfs, s->cfg.vid, s->cfg.pid);
		if (!ev->path)
			return wh_error_set(e, WH_ERR_NOT_FOUND,
				"no input device %04x:%04x in %s/class/input",
				s->cfg.vid, s->cfg.pid, ev->sysfs);
	}
	ev->fd = open(ev->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (ev->fd < 0) {
		err = errno;
		return wh_error_set(e, err == EACCES || err == EPERM ?
				    WH_ERR_PERM : WH_ERR_IO,
				    "open %s: %s", ev->path, strerror(err));
	}
	if (!s->cfg.no_grab && ioctl(ev->fd, EVIOCGRAB, 1) < 0) {
		err = errno;
		rc = wh_error_set(e, err == EBUSY ? WH_ERR_REFUSED : WH_ERR_IO,
				  "EVIOCGRAB %s: %s", ev->path, strerror(err));
		goto fail;
	}
	memset(&ev->keys, 0, sizeof(ev->keys));
	ev->partlen = 0;
	rc = scanner_watch(s, ev->fd, e);
	if (rc)
		goto fail;
	return WH_OK;
fail:
	close(ev->fd);
	ev->fd = -1;
	return rc;
}

static void evdev_close(struct scanner *s)
{
	struct evdev *ev = s->priv;

	if (!ev)
		return;
	if (ev->fd >= 0) {
		scanner_unwatch(s, ev->fd);
		close(ev->fd); /* releases the grab */
	}
	if (ev->retry_tfd >= 0) {
		scanner_unwatch(s, ev->retry_tfd);
		close(ev->retry_tfd);
	}
	scan_framer_destroy(&ev->fr);
	free(ev->path);
	free(ev->sysfs);
	free(ev);
	s->priv = NULL;
}

static enum wh_err evdev_open(struct scanner *s, struct wh_error *e)
{
	struct evdev *ev;
	enum wh_err rc;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	ev->fd = -1;
	ev->retry_tfd = -1;
	ev->fr.tfd = -1;
	s->priv = ev;
	ev->sysfs = strdup(s->cfg.sysfs_root ? s->cfg.sysfs_root : "/sys");
	if (!ev->sysfs)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	if (s->cfg.device) {
		ev->path = strdup(s->cfg.device);
		if (!ev->path)
			return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	} else if (s->cfg.vid || s->cfg.pid) {
		ev->by_id = true;
	} else {
		return wh_error_set(e, WH_ERR_INVALID,
				    "--device or --vid/--pid is required");
	}
	rc = scan_framer_init(&ev->fr, s, true, e);
	if (rc)
		return rc;
	return evdev_connect(s, ev, e);
}

static void evdev_lost(struct scanner *s, struct evdev *ev, int why)
{
	struct wh_error err;

	scan_framer_flush(&ev->fr);
	scanner_unwatch(s, ev->fd);
	close(ev->fd);
	ev->fd = -1;
	scanner_push_status(s, SCAN_EV_DISCONNECT, WH_ERR_IO, "%s: %s",
			    ev->path, why < 0 ? "end of input" :
			    strerror(why));
	ev->retry_tfd = scanner_retry_timer_new(EVDEV_RETRY_MS);
	if (ev->retry_tfd < 0 || scanner_watch(s, ev->retry_tfd, &err))
		scanner_push_status(s, SCAN_EV_ERROR, WH_ERR_IO,
				    "cannot arm reconnect timer");
}

/* Translates whole input_event records; returns the bytes consumed. */
static size_t evdev_keys_of(struct evdev *ev, const unsigned char *p,
			    size_t n, unsigned char *out, size_t *k)
{
	struct input_event ie;
	size_t used = 0;
	int b;

	while (n - used >= sizeof(ie)) {
		memcpy(&ie, p + used, sizeof(ie));
		used += sizeof(ie);
		if (ie.type != EV_KEY)
			continue;
		b = evdev_key_apply(&ev->keys, ie.code, ie.value);
		if (b >= 0)
			out[(*k)++] = (unsigned char)b;
	}
	return used;
}

static void evdev_pump(struct scanner *s)
{
	struct evdev *ev = s->priv;
	unsigned char raw[64 * sizeof(struct input_event)];
	unsigned char out[64 + 1];
	struct wh_error err;
	size_t n, k, used, need;
	ssize_t r;

	scan_framer_tick(&ev->fr);
	if (ev->fd < 0) {
		if (!scanner_timer_fired(ev->retry_tfd) ||
		    evdev_connect(s, ev, &err))
			return;
		scanner_unwatch(s, ev->retry_tfd);
		close(ev->retry_tfd);
		ev->retry_tfd = -1;
		scanner_push_status(s, SCAN_EV_CONNECT, WH_OK, "%s reopened",
				    ev->path);
	}
	for (;;) {
		r = read(ev->fd, raw, sizeof(raw));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0) {
			evdev_lost(s, ev, r < 0 ? errno : -1);
			return;
		}
		n = (size_t)r;
		k = 0;
		used = 0;
		if (ev->partlen) {
			need = sizeof(ev->part) - ev->partlen;
			if (need > n)
				need = n;
			memcpy(ev->part + ev->partlen, raw, need);
			ev->partlen += need;
			used = need;
			if (ev->partlen == sizeof(ev->part)) {
				evdev_keys_of(ev, ev->part, ev->partlen, out,
					      &k);
				ev->partlen = 0;
			}
		}
		used += evdev_keys_of(ev, raw + used, n - used, out, &k);
		if (used < n) {
			memcpy(ev->part + ev->partlen, raw + used, n - used);
			ev->partlen += n - used;
		}
		if (k)
			scan_framer_feed(&ev->fr, out, k);
	}
}

const struct scanner_ops scanner_evdev_ops = {
	.open = evdev_open,
	.pump = evdev_pump,
	.close = evdev_close,
};
