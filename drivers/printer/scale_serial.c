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

static speed_t speed_of(int baud)
{
	switch (baud) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	default: return B9600;
	}
}

enum wh_err scale_serial_open(const char *path, int baud, int *fd,
			      struct wh_error *e)
{
	struct termios t;
	int f;

	*fd = -1;
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

enum wh_err scale_serial_read(int fd, const struct scale_format *fmt,
			      int timeout_ms, struct scale_reading *out,
			      struct wh_error *e)
{
	char line[128];
	size_t n = 0;
	int64_t end = now_ms() + timeout_ms;
	enum scale_status last = SCALE_BAD;
	bool skip = false; /* the rest of an over-long line */

	memset(out, 0, sizeof(*out));
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
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		got = read(fd, buf, sizeof(buf));
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got <= 0) {
			if (got == 0 || errno == EIO)
				break; /* the other end went away */
			return wh_error_set(e, WH_ERR_IO, "scale: %s",
					    strerror(errno));
		}
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
				last = scale_parse_line(line, n, fmt, out);
				if (last == SCALE_OK)
					return WH_OK;
				if (last == SCALE_OVERLOAD)
					return wh_error_set(e, WH_ERR_REFUSED,
						"%s", "scale overloaded");
				if (last == SCALE_NEGATIVE)
					return wh_error_set(e, WH_ERR_REFUSED,
						"%s", "scale below zero: tare it");
			}
			n = 0;
			skip = false;
		}
	}
	return wh_error_set(e, WH_ERR_IO, "scale: %s",
			    last == SCALE_UNSTABLE ? "no stable weight in time"
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
	snprintf(path, sizeof(path), "%s", spec);
	at = strrchr(spec, '@');
	if (at) {
		char *endp;

		path[at - spec] = '\0';
		baud = strtol(at + 1, &endp, 10);
		if (*endp || baud <= 0)
			return wh_error_set(e, WH_ERR_INVALID,
					    "scale %s: bad speed", spec);
	}
	rc = scale_serial_open(path, (int)baud, &fd, e);
	if (rc != WH_OK)
		return rc;
	rc = scale_serial_read(fd, NULL, timeout_ms, &r, e);
	close(fd);
	if (rc == WH_OK)
		*grams = r.grams;
	return rc;
}
