/*
 * scale_serial.c - a parcel scale on a serial port. See scale_serial.h.
 */
#include "drivers/printer/scale_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* The termios speed for baud, or B0 when the port cannot run at it. */
static speed_t speed_of(int baud)
{
	switch (baud) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 0:
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	default: return B0;
	}
}

enum wh_err scale_serial_open(const char *path, int baud, int *fd,
			      struct wh_error *e)
{
	struct termios t;
	int f;

	*fd = -1;
	if (speed_of(baud) == B0)
		return wh_error_set(e, WH_ERR_INVALID,
				    "scale %s: unsupported speed %d (1200, "
				    "2400, 4800, 9600, 19200, 38400, 57600 or "
				    "115200)", path, baud);
	f = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (f < 0)
		return wh_error_set(e, WH_ERR_IO, "scale %s: %s", path,
				    strerror(errno));
	if (tcgetattr(f, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag &= ~(CSTOPB | CRTSCTS);
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, speed_of(baud));
		cfsetospeed(&t, speed_of(baud));
		if (tcsetattr(f, TCSANOW, &t) != 0) {
			int err = errno;

			close(f);
			return wh_error_set(e, WH_ERR_IO, "scale %s: %s",
					    path, strerror(err));
		}
		tcflush(f, TCIFLUSH); /* old readings are stale */
	}
	*fd = f;
	return WH_OK;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * What one complete line means for the wait: true and *rc when it ends
 * it. A negative weight ends it only when stable: a parcel being put
 * down or lifted off makes the platform bounce below zero for a moment.
 */
static bool scale_line_ends(const char *line, size_t n,
			    const struct scale_format *fmt,
			    struct scale_reading *out, bool *unstable,
			    enum wh_err *rc, struct wh_error *e)
{
	switch (scale_parse_line(line, n, fmt, out)) {
	case SCALE_OK:
		*rc = WH_OK;
		return true;
	case SCALE_OVERLOAD:
		*rc = wh_error_set(e, WH_ERR_REFUSED, "%s",
				   "scale overloaded");
		return true;
	case SCALE_NEGATIVE:
		if (!strncmp(line, "US", 2)) {
			*unstable = true;
			return false;
		}
		*rc = wh_error_set(e, WH_ERR_REFUSED, "%s",
				   "scale below zero: tare it");
		return true;
	case SCALE_UNSTABLE:
		*unstable = true;
		return false;
	default:
		return false;
	}
}

enum wh_err scale_serial_read(int fd, const struct scale_format *fmt,
			      int timeout_ms, struct scale_reading *out,
			      struct wh_error *e)
{
	char line[128];
	size_t n = 0;
	int64_t end = now_ms() + timeout_ms;
	bool unstable = false; /* a moving weight was seen */
	bool skip = false; /* the rest of an over-long line */
	enum wh_err rc;

	memset(out, 0, sizeof(*out));
	out->status = SCALE_BAD;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = end - now_ms();
		char buf[64];
		ssize_t got, i;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return wh_error_set(e, WH_ERR_IO, "scale: %s",
					    strerror(errno));
		}
		if (p.revents & POLLNVAL)
			return wh_error_set(e, WH_ERR_IO, "%s",
					    "scale: the port is not open");
		/* POLLERR too: read() then says what went wrong. */
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		got = read(fd, buf, sizeof(buf));
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got == 0 || (got < 0 && errno == EIO)) {
			/* The other end went away: a pulled USB cable, a
			 * powered-off scale on a modem line, a closed pty. */
			memset(out, 0, sizeof(*out));
			out->status = SCALE_BAD;
			return wh_error_set(e, WH_ERR_IO, "%s",
					    "scale disconnected (the serial "
					    "line hung up)");
		}
		if (got < 0)
			return wh_error_set(e, WH_ERR_IO, "scale: %s",
					    strerror(errno));
		for (i = 0; i < got; i++) {
			char c = buf[i];

			if (c != '\n' && c != '\r') {
				if (n < sizeof(line) - 1 && !skip)
					line[n++] = c;
				else
					skip = true;
				continue;
			}
			if (n && !skip) {
				line[n] = '\0';
				if (scale_line_ends(line, n, fmt, out,
						    &unstable, &rc, e))
					return rc;
			}
			n = 0;
			skip = false;
		}
	}
	/* out may hold a moving weight: it is not a reading. */
	memset(out, 0, sizeof(*out));
	out->status = unstable ? SCALE_UNSTABLE : SCALE_BAD;
	return wh_error_set(e, WH_ERR_IO, "scale: %s",
			    unstable ? "no stable weight in time"
				     : "no reading in time");
}

enum wh_err scale_serial_weigh(const char *spec, int timeout_ms,
			       int32_t *grams, struct wh_error *e)
{
	char path[256];
	const char *at;
	struct scale_reading r;
	long baud = 9600;
	enum wh_err rc;
	int fd;

	if (!strncmp(spec, "serial:", 7))
		spec += 7;
	at = strrchr(spec, '@');
	if ((at ? (size_t)(at - spec) : strlen(spec)) >= sizeof(path))
		return wh_error_set(e, WH_ERR_INVALID,
				    "scale: device path longer than %zu "
				    "bytes", sizeof(path) - 1);
	snprintf(path, sizeof(path), "%s", spec);
	if (at) {
		char *endp;

		path[at - spec] = '\0';
		errno = 0;
		baud = strtol(at + 1, &endp, 10);
		if (endp == at + 1 || *endp || errno || baud <= 0 ||
		    baud > 4000000)
			return wh_error_set(e, WH_ERR_INVALID,
					    "scale %s: bad speed", spec);
	}
	if (!*path)
		return wh_error_set(e, WH_ERR_INVALID, "%s",
				    "scale: no device path");
	rc = scale_serial_open(path, (int)baud, &fd, e);
	if (rc != WH_OK)
		return rc;
	rc = scale_serial_read(fd, NULL, timeout_ms, &r, e);
	close(fd);
	if (rc == WH_OK)
		*grams = r.grams;
	return rc;
}
