/*
 * tcp.c - raw TCP printing (port 9100, "JetDirect").
 *
 * Connect with a timeout, write everything (each write must progress
 * within the timeout), shutdown(SHUT_WR), then read to EOF so the printer
 * has taken the whole job before we close. The socket never leaves this
 * file; SIGPIPE is avoided with MSG_NOSIGNAL.
 */
#include "drivers/printer/printer.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static int timeout_of(const struct printer_opts *o)
{
	return o && o->timeout_ms > 0 ? o->timeout_ms :
					PRINTER_TIMEOUT_MS_DEFAULT;
}

/* "5 s" or "250 ms", without floating point (LC_NUMERIC). */
static void span_text(char *buf, size_t n, int ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, n, "%d s", ms / 1000);
	else
		snprintf(buf, n, "%d ms", ms);
}

enum wh_err printer_split_hostport(const char *s, char *host, size_t hn,
				   char *port, size_t pn, struct wh_error *e)
{
	const char *hend, *p = NULL;
	size_t l;

	if (s[0] == '[') {
		hend = strchr(s, ']');
		if (!hend || (hend[1] && hend[1] != ':'))
			return wh_error_set(e, WH_ERR_INVALID,
					    "bad printer address \"%s\"", s);
		if (hend[1])
			p = hend + 2;
		s++;
	} else {
		hend = strrchr(s, ':');
		if (hend)
			p = hend + 1;
		else
			hend = s + strlen(s);
	}
	l = (size_t)(hend - s);
	if (!l || l >= hn || (p && (!*p || strlen(p) >= pn ||
				    strspn(p, "0123456789") != strlen(p))))
		return wh_error_set(e, WH_ERR_INVALID,
				    "bad printer address \"%s\"", s);
	memcpy(host, s, l);
	host[l] = '\0';
	snprintf(port, pn, "%s", p ? p : "9100");
	return WH_OK;
}

/* Waits for fd to become ready; 0 on timeout, -1 on error. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int rc;

	do
		rc = poll(&pfd, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc;
}

static enum wh_err connect_one(const struct addrinfo *ai, const char *name,
			       int ms, int *fdp, struct wh_error *e)
{
	char span[32];
	socklen_t sl = sizeof(int);
	int fd, err = 0, rc;

	span_text(span, sizeof(span), ms);
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return wh_error_set(e, WH_ERR_IO, "printer %s: socket: %s",
				    name, strerror(errno));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			err = errno;
		} else {
			rc = wait_fd(fd, POLLOUT, ms);
			if (rc == 0) {
				close(fd);
				return wh_error_set(e, WH_ERR_IO,
					"printer %s did not answer within %s",
					name, span);
			}
			if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR,
						 &err, &sl) < 0)
				err = errno;
		}
	}
	if (err) {
		close(fd);
		if (err == ECONNREFUSED)
			return wh_error_set(e, WH_ERR_IO,
					    "printer %s refused the connection",
					    name);
		return wh_error_set(e, WH_ERR_IO, "printer %s: %s", name,
				    strerror(err));
	}
	*fdp = fd;
	return WH_OK;
}

static enum wh_err write_all(int fd, const char *name, const uint8_t *p,
			     size_t len, int ms, struct wh_error *e)
{
	char span[32];
	ssize_t n;
	int rc;

	span_text(span, sizeof(span), ms);
	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			rc = wait_fd(fd, POLLOUT, ms);
			if (rc == 0)
				return wh_error_set(e, WH_ERR_IO,
					"printer %s did not accept data "
					"within %s", name, span);
			if (rc > 0)
				continue;
		}
		return wh_error_set(e, WH_ERR_IO,
				    "printer %s: sending failed: %s", name,
				    strerror(errno));
	}
	return WH_OK;
}

/* Reads and discards until EOF: the printer has the whole job. */
static enum wh_err drain(int fd, const char *name, int ms,
			 struct wh_error *e)
{
	char buf[512], span[32];
	ssize_t n;
	int rc;

	span_text(span, sizeof(span), ms);
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0)
			return WH_OK;
		if (n > 0)
			continue;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return wh_error_set(e, WH_ERR_IO,
					    "printer %s: %s after the job",
					    name, strerror(errno));
		rc = wait_fd(fd, POLLIN, ms);
		if (rc == 0)
			return wh_error_set(e, WH_ERR_IO,
				"printer %s took the job but did not close "
				"the connection within %s", name, span);
		if (rc < 0)
			return wh_error_set(e, WH_ERR_IO, "printer %s: %s",
					    name, strerror(errno));
	}
}

enum wh_err printer_tcp_send(const char *hostport, const void *data,
			     size_t len, const struct printer_opts *o,
			     struct wh_error *e)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char host[256], port[16], name[300];
	int ms = timeout_of(o), fd = -1, grc;
	enum wh_err rc;

	rc = printer_split_hostport(hostport, host, sizeof(host), port,
				    sizeof(port), e);
	if (rc)
		return rc;
	snprintf(name, sizeof(name), strchr(host, ':') ? "[%s]:%s" : "%s:%s",
		 host, port);
	grc = getaddrinfo(host, port, &hints, &res);
	if (grc)
		return wh_error_set(e, WH_ERR_IO, "printer %s: %s", name,
				    gai_strerror(grc));
	rc = WH_ERR_IO;
	for (ai = res; ai; ai = ai->ai_next) {
		rc = connect_one(ai, name, ms, &fd, e);
		if (rc == WH_OK)
			break;
	}
	freeaddrinfo(res);
	if (rc)
		return rc;
	rc = write_all(fd, name, data, len, ms, e);
	if (rc == WH_OK && shutdown(fd, SHUT_WR) < 0)
		rc = wh_error_set(e, WH_ERR_IO, "printer %s: shutdown: %s",
				  name, strerror(errno));
	if (rc == WH_OK)
		rc = drain(fd, name, ms, e);
	close(fd);
	return rc;
}
