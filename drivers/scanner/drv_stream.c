/*
 * drv_stream.c - byte-stream drivers: the terminal wedge, serial /
 * CDC-ACM ports, and FIFOs / Unix sockets for tests and the demo.
 *
 * All three read whatever is ready without blocking and cut the bytes
 * into events with a wedge framer. The terminal wedge tells scans from
 * typing; serial and FIFO devices carry nothing but scans.
 */
#include "drivers/scanner/scanner_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define STREAM_MAX_CLIENTS 16
#define SERIAL_RETRY_MS 1000

struct stream_client {
	int fd;
	struct scan_framer fr;
};

struct stream {
	int fd;               /* device, FIFO or listening socket; -1 */
	char *path;
	bool restore;         /* saved holds the terminal's modes */
	struct termios saved;
	struct scan_framer fr;
	int retry_tfd;        /* serial: reopen attempts while gone */
	bool unlink_path;     /* we created the FIFO / socket */
	bool listening;       /* fifo "unix:" mode */
	struct stream_client clients[STREAM_MAX_CLIENTS];
};

static enum wh_err errno_err(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return WH_ERR_PERM;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return WH_ERR_NOT_FOUND;
	case ENOMEM:
		return WH_ERR_NOMEM;
	default:
		return WH_ERR_IO;
	}
}

static struct stream *stream_new(struct scanner *s, struct wh_error *e)
{
	struct stream *st;
	size_t i;

	st = calloc(1, sizeof(*st));
	if (!st) {
		wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		return NULL;
	}
	st->fd = -1;
	st->retry_tfd = -1;
	st->fr.tfd = -1;
	for (i = 0; i < STREAM_MAX_CLIENTS; i++) {
		st->clients[i].fd = -1;
		st->clients[i].fr.tfd = -1;
	}
	if (s->cfg.device) {
		st->path = strdup(s->cfg.device);
		if (!st->path) {
			free(st);
			wh_error_set(e, WH_ERR_NOMEM, "out of memory");
			return NULL;
		}
	}
	s->priv = st;
	return st;
}

static enum wh_err set_nonblock(int fd, struct wh_error *e)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return wh_error_set(e, WH_ERR_IO, "fcntl: %s",
				    strerror(errno));
	return WH_OK;
}

/* Raw mode: every byte as it comes, no echo, no CR->LF, no signals. */
static enum wh_err make_raw(struct stream *st, bool keep_output,
			    struct wh_error *e)
{
	struct termios t;

	if (tcgetattr(st->fd, &st->saved) < 0)
		return wh_error_set(e, WH_ERR_IO, "tcgetattr %s: %s",
				    st->path ? st->path : "stdin",
				    strerror(errno));
	t = st->saved;
	cfmakeraw(&t);
	if (keep_output)
		t.c_oflag |= OPOST;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(st->fd, TCSANOW, &t) < 0)
		return wh_error_set(e, WH_ERR_IO, "tcsetattr %s: %s",
				    st->path ? st->path : "stdin",
				    strerror(errno));
	st->restore = true;
	return WH_OK;
}

static void stream_close_fd(struct scanner *s, struct stream *st)
{
	if (st->fd < 0)
		return;
	if (st->restore)
		tcsetattr(st->fd, TCSANOW, &st->saved);
	st->restore = false;
	scanner_unwatch(s, st->fd);
	close(st->fd);
	st->fd = -1;
}

static void client_close(struct scanner *s, struct stream_client *c)
{
	scan_framer_flush(&c->fr);
	scan_framer_destroy(&c->fr);
	scanner_unwatch(s, c->fd);
	close(c->fd);
	c->fd = -1;
}

static void stream_close(struct scanner *s)
{
	struct stream *st = s->priv;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < STREAM_MAX_CLIENTS; i++)
		if (st->clients[i].fd >= 0)
			client_close(s, &st->clients[i]);
	stream_close_fd(s, st);
	if (st->retry_tfd >= 0) {
		scanner_unwatch(s, st->retry_tfd);
		close(st->retry_tfd);
	}
	scan_framer_destroy(&st->fr);
	if (st->unlink_path && st->path)
		unlink(st->path + (st->listening ? 5 : 0));
	free(st->path);
	free(st);
	s->priv = NULL;
}

/*
 * Reads fd dry into fr. Returns 0 while the stream is alive, or the
 * errno (or -1 for EOF) that ended it.
 */
static int drain(int fd, struct scan_framer *fr)
{
	unsigned char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			scan_framer_feed(fr, buf, (size_t)n);
			continue;
		}
		if (n == 0)
			return -1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return errno;
	}
}

static const char *end_reason(int why)
{
	return why < 0 ? "end of input" : strerror(why);
}

/* ---- terminal wedge ------------------------------------------------- */

static enum wh_err wedge_open(struct scanner *s, struct wh_error *e)
{
	struct stream *st;
	enum wh_err rc;
	const char *tty;

	st = stream_new(s, e);
	if (!st)
		return WH_ERR_NOMEM;
	if (st->path) {
		st->fd = open(st->path, O_RDONLY | O_NOCTTY | O_NONBLOCK |
			      O_CLOEXEC);
	} else if (isatty(STDIN_FILENO) && (tty = ttyname(STDIN_FILENO))) {
		/*
		 * A fresh open file description: O_NONBLOCK on the shared
		 * one would make the terminal's stdout non-blocking too.
		 */
		st->fd = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK |
			      O_CLOEXEC);
	} else {
		st->fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
		if (st->fd >= 0 && set_nonblock(st->fd, e)) {
			close(st->fd);
			st->fd = -1;
			return WH_ERR_IO;
		}
	}
	if (st->fd < 0)
		return wh_error_set(e, errno_err(errno), "open %s: %s",
				    st->path ? st->path : "stdin",
				    strerror(errno));
	if (isatty(st->fd) && !s->cfg.keep_termios) {
		rc = make_raw(st, true, e);
		if (rc)
			return rc;
	}
	rc = scan_framer_init(&st->fr, s, false, e);
	if (rc)
		return rc;
	return scanner_watch(s, st->fd, e);
}

static void wedge_pump(struct scanner *s)
{
	struct stream *st = s->priv;
	int why;

	scan_framer_tick(&st->fr);
	if (st->fd < 0)
		return;
	why = drain(st->fd, &st->fr);
	if (!why)
		return;
	scan_framer_flush(&st->fr);
	stream_close_fd(s, st);
	scanner_push_status(s, SCAN_EV_DISCONNECT, why < 0 ? WH_OK : WH_ERR_IO,
			    "terminal closed: %s", end_reason(why));
}

const struct scanner_ops scanner_wedge_ops = {
	.open = wedge_open,
	.pump = wedge_pump,
	.close = stream_close,
};

/* ---- serial / CDC-ACM ------------------------------------------------ */

static enum wh_err serial_connect(struct scanner *s, struct stream *st,
				  struct wh_error *e)
{
	enum wh_err rc;

	st->fd = open(st->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (st->fd < 0)
		return wh_error_set(e, errno_err(errno), "open %s: %s",
				    st->path, strerror(errno));
	if (isatty(st->fd)) {
		rc = make_raw(st, false, e);
		if (rc)
			goto fail;
		/* A serial scanner is the only writer; the port is ours. */
		st->restore = false;
	}
	rc = scanner_watch(s, st->fd, e);
	if (rc)
		goto fail;
	return WH_OK;
fail:
	close(st->fd);
	st->fd = -1;
	return rc;
}

static enum wh_err serial_open(struct scanner *s, struct wh_error *e)
{
	struct stream *st;
	enum wh_err rc;

	st = stream_new(s, e);
	if (!st)
		return WH_ERR_NOMEM;
	if (!st->path)
		return wh_error_set(e, WH_ERR_INVALID, "--device is required");
	rc = scan_framer_init(&st->fr, s, true, e);
	if (rc)
		return rc;
	return serial_connect(s, st, e);
}

static void serial_pump(struct scanner *s)
{
	struct stream *st = s->priv;
	struct wh_error err;
	int why;

	scan_framer_tick(&st->fr);
	if (st->fd < 0) {
		if (!scanner_timer_fired(st->retry_tfd))
			return;
		if (serial_connect(s, st, &err))
			return;
		scanner_unwatch(s, st->retry_tfd);
		close(st->retry_tfd);
		st->retry_tfd = -1;
		scanner_push_status(s, SCAN_EV_CONNECT, WH_OK, "%s reopened",
				    st->path);
	}
	why = drain(st->fd, &st->fr);
	if (!why)
		return;
	/* Unplugged (EIO/ENODEV) or hung up: keep what came, then retry. */
	scan_framer_flush(&st->fr);
	stream_close_fd(s, st);
	scanner_push_status(s, SCAN_EV_DISCONNECT, WH_ERR_IO, "%s: %s",
			    st->path, end_reason(why));
	st->retry_tfd = scanner_retry_timer_new(SERIAL_RETRY_MS);
	if (st->retry_tfd < 0 || scanner_watch(s, st->retry_tfd, &err))
		scanner_push_status(s, SCAN_EV_ERROR, WH_ERR_IO,
				    "cannot arm reconnect timer: %s",
				    strerror(errno));
}

const struct scanner_ops scanner_serial_ops = {
	.open = serial_open,
	.pump = serial_pump,
	.close = stream_close,
};

/* ---- FIFO / Unix socket ---------------------------------------------- */

static enum wh_err fifo_open_pipe(struct scanner *s, struct stream *st,
				  struct wh_error *e)
{
	struct stat sb;

	if (stat(st->path, &sb) < 0) {
		if (errno != ENOENT)
			return wh_error_set(e, errno_err(errno), "stat %s: %s",
					    st->path, strerror(errno));
		if (mkfifo(st->path, 0600) < 0)
			return wh_error_set(e, errno_err(errno),
					    "mkfifo %s: %s", st->path,
					    strerror(errno));
		st->unlink_path = true;
	} else if (!S_ISFIFO(sb.st_mode)) {
		return wh_error_set(e, WH_ERR_INVALID, "%s is not a FIFO",
				    st->path);
	}
	/*
	 * Read-write, so we are a writer too: the FIFO never reports EOF
	 * between two writers and poll() never spins on POLLHUP.
	 */
	st->fd = open(st->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (st->fd < 0)
		return wh_error_set(e, errno_err(errno), "open %s: %s",
				    st->path, strerror(errno));
	return scanner_watch(s, st->fd, e);
}

static enum wh_err fifo_listen(struct scanner *s, struct stream *st,
			       struct wh_error *e)
{
	const char *sp = st->path + 5;
	struct sockaddr_un sa;
	struct stat sb;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(sp) >= sizeof(sa.sun_path) || !*sp)
		return wh_error_set(e, WH_ERR_INVALID,
				    "bad socket path \"%s\"", sp);
	memcpy(sa.sun_path, sp, strlen(sp) + 1);
	/* A stale socket from a crashed run; anything else we leave. */
	if (!lstat(sp, &sb) && S_ISSOCK(sb.st_mode))
		unlink(sp);
	st->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);
	if (st->fd < 0)
		return wh_error_set(e, WH_ERR_IO, "socket: %s",
				    strerror(errno));
	if (bind(st->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return wh_error_set(e, errno_err(errno), "bind %s: %s", sp,
				    strerror(errno));
	st->unlink_path = true;
	if (listen(st->fd, STREAM_MAX_CLIENTS) < 0)
		return wh_error_set(e, WH_ERR_IO, "listen %s: %s", sp,
				    strerror(errno));
	st->listening = true;
	return scanner_watch(s, st->fd, e);
}

static enum wh_err fifo_open(struct scanner *s, struct wh_error *e)
{
	struct stream *st;
	enum wh_err rc;

	st = stream_new(s, e);
	if (!st)
		return WH_ERR_NOMEM;
	if (!st->path)
		return wh_error_set(e, WH_ERR_INVALID, "--device is required");
	if (!strncmp(st->path, "unix:", 5))
		return fifo_listen(s, st, e);
	rc = scan_framer_init(&st->fr, s, true, e);
	if (rc)
		return rc;
	return fifo_open_pipe(s, st, e);
}

static void fifo_accept(struct scanner *s, struct stream *st)
{
	struct stream_client *c;
	struct wh_error err;
	size_t i;
	int fd;

	while ((fd = accept(st->fd, NULL, NULL)) >= 0) {
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
		    set_nonblock(fd, &err)) {
			close(fd);
			continue;
		}
		c = NULL;
		for (i = 0; i < STREAM_MAX_CLIENTS && !c; i++)
			if (st->clients[i].fd < 0)
				c = &st->clients[i];
		if (!c) {
			close(fd);
			scanner_push_status(s, SCAN_EV_ERROR, WH_ERR_REFUSED,
				"refused a connection: %d clients already",
				STREAM_MAX_CLIENTS);
			continue;
		}
		if (scan_framer_init(&c->fr, s, true, &err)) {
			close(fd);
			scanner_push_status(s, SCAN_EV_ERROR, err.code, "%s",
					    err.msg);
			continue;
		}
		c->fd = fd;
		if (scanner_watch(s, fd, &err)) {
			client_close(s, c);
			scanner_push_status(s, SCAN_EV_ERROR, err.code, "%s",
					    err.msg);
		}
	}
}

static void fifo_pump(struct scanner *s)
{
	struct stream *st = s->priv;
	struct stream_client *c;
	size_t i;
	int why;

	if (!st->listening) {
		scan_framer_tick(&st->fr);
		if (st->fd < 0)
			return;
		why = drain(st->fd, &st->fr);
		if (!why)
			return;
		/* Cannot happen while we hold a write end; do not spin. */
		scan_framer_flush(&st->fr);
		stream_close_fd(s, st);
		scanner_push_status(s, SCAN_EV_DISCONNECT, WH_ERR_IO,
				    "%s: %s", st->path, end_reason(why));
		return;
	}
	/* Clients first, so a client's bytes precede a new client's. */
	for (i = 0; i < STREAM_MAX_CLIENTS; i++) {
		c = &st->clients[i];
		if (c->fd < 0)
			continue;
		scan_framer_tick(&c->fr);
		why = drain(c->fd, &c->fr);
		if (why)
			client_close(s, c);
	}
	fifo_accept(s, st);
}

const struct scanner_ops scanner_fifo_ops = {
	.open = fifo_open,
	.pump = fifo_pump,
	.close = stream_close,
};
