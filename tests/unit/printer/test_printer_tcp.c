/*
 * test_printer_tcp.c - the raw TCP transport against real loopback
 * listeners (exact bytes, refused, a printer that stops reading, one that
 * never closes), the file transport, URI parsing and the IEEE 1284 ID
 * parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "drivers/printer/printer.h"

enum listener_mode {
	LISTEN_READ_ALL,	/* read to EOF, then close */
	LISTEN_NEVER_READ,	/* accept, then wait without reading */
	LISTEN_NEVER_CLOSE,	/* read to EOF, then keep the socket open */
};

struct listener {
	enum listener_mode mode;
	int fd, port;
	uint8_t *got;
	size_t len, cap;
	int release[2];		/* a pipe: main writes to let it finish */
	pthread_t th;
};

static void *listener_main(void *arg)
{
	struct listener *l = arg;
	char c;
	ssize_t n;
	int fd = accept(l->fd, NULL, NULL);

	if (fd < 0)
		return NULL;
	if (l->mode != LISTEN_NEVER_READ) {
		while ((n = read(fd, l->got + l->len, l->cap - l->len)) > 0)
			l->len += (size_t)n;
	}
	if (l->mode != LISTEN_READ_ALL)
		(void)!read(l->release[0], &c, 1);
	close(fd);
	return NULL;
}

static void listener_start(struct listener *l, enum listener_mode mode,
			   size_t cap)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int small = 4096;

	memset(l, 0, sizeof(*l));
	l->mode = mode;
	l->cap = cap;
	l->got = malloc(cap ? cap : 1);
	assert_int_equal(pipe(l->release), 0);
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l->fd >= 0);
	/* Set before listen() so the accepted socket inherits it. */
	if (mode == LISTEN_NEVER_READ)
		assert_int_equal(setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF,
					    &small, sizeof(small)), 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l->fd, 1), 0);
	assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &al), 0);
	l->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&l->th, NULL, listener_main, l), 0);
}

static void listener_stop(struct listener *l)
{
	assert_int_equal(write(l->release[1], "x", 1), 1);
	pthread_join(l->th, NULL);
	close(l->fd);
	close(l->release[0]);
	close(l->release[1]);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void test_exact_bytes(void **state)
{
	struct listener l;
	struct wh_error e = { 0 };
	size_t n = 3 * 1024 * 1024 + 17, i;
	uint8_t *job = malloc(n);
	char uri[64];

	(void)state;
	for (i = 0; i < n; i++)
		job[i] = (uint8_t)(i * 2654435761u >> 13);
	listener_start(&l, LISTEN_READ_ALL, n + 1);
	snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%d", l.port);
	if (printer_send(uri, job, n, NULL, &e))
		fail_msg("%s", e.msg);
	listener_stop(&l);
	assert_int_equal(l.len, n);
	assert_memory_equal(l.got, job, n);
	free(l.got);
	free(job);
}

static void test_refused(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	struct wh_error e = { 0 };
	char target[64], want[96];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	/* A port we hold but do not listen on refuses connections. */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	snprintf(target, sizeof(target), "127.0.0.1:%d", ntohs(a.sin_port));
	assert_int_equal(printer_tcp_send(target, "^XA^XZ", 6, NULL, &e),
			 WH_ERR_IO);
	snprintf(want, sizeof(want), "printer %s refused the connection",
		 target);
	assert_string_equal(e.msg, want);
	close(fd);
}

static void test_printer_stops_reading(void **state)
{
	struct printer_opts o = { .timeout_ms = 300 };
	struct listener l;
	struct wh_error e = { 0 };
	size_t n = 64 * 1024 * 1024;
	uint8_t *job = calloc(n, 1);
	char uri[64];
	double t0, dt;

	(void)state;
	listener_start(&l, LISTEN_NEVER_READ, 0);
	snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%d", l.port);
	t0 = now_s();
	assert_int_equal(printer_send(uri, job, n, &o, &e), WH_ERR_IO);
	dt = now_s() - t0;
	assert_non_null(strstr(e.msg, "did not accept data within 300 ms"));
	assert_true(dt < 3.0);
	listener_stop(&l);
	free(l.got);
	free(job);
}

static void test_printer_never_closes(void **state)
{
	struct printer_opts o = { .timeout_ms = 200 };
	struct listener l;
	struct wh_error e = { 0 };
	char target[64];

	(void)state;
	listener_start(&l, LISTEN_NEVER_CLOSE, 64);
	snprintf(target, sizeof(target), "127.0.0.1:%d", l.port);
	assert_int_equal(printer_tcp_send(target, "^XA^XZ", 6, &o, &e),
			 WH_ERR_IO);
	assert_non_null(strstr(e.msg, "did not close the connection"));
	listener_stop(&l);
	assert_int_equal(l.len, 6);
	free(l.got);
}

static void test_file(void **state)
{
	char path[] = "/tmp/wharf-printer-XXXXXX", uri[64], buf[64];
	struct wh_error e = { 0 };
	FILE *f;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(uri, sizeof(uri), "file:%s", path);
	assert_int_equal(printer_send(uri, "^XA\n^XZ\n", 8, NULL, &e), WH_OK);
	f = fopen(path, "rb");
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 8);
	assert_memory_equal(buf, "^XA\n^XZ\n", 8);
	fclose(f);
	unlink(path);
	assert_int_equal(printer_send("file:/nonexistent/dir/x", "x", 1,
				      NULL, &e), WH_ERR_IO);
	assert_non_null(strstr(e.msg, "/nonexistent/dir/x"));
}

static void test_uris(void **state)
{
	struct wh_error e = { 0 };
	char host[64], port[16];

	(void)state;
	assert_int_equal(printer_send("lp0", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	assert_int_equal(printer_send("ftp://x", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	assert_non_null(strstr(e.msg, "ftp"));
	assert_int_equal(printer_send("tcp://", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	assert_int_equal(printer_send("tcp://host:9x", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	assert_int_equal(printer_send("usb:zebra", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	assert_int_equal(printer_send("usb:0a5f:10000", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	/* Checked before libcups is needed, so true with or without it. */
	assert_int_equal(printer_send("cups:bad/queue", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	assert_int_equal(printer_split_hostport("[::1]:9101", host,
						sizeof(host), port,
						sizeof(port), &e), WH_OK);
	assert_string_equal(host, "::1");
	assert_string_equal(port, "9101");
	assert_int_equal(printer_split_hostport("zebra-7.lan", host,
						sizeof(host), port,
						sizeof(port), &e), WH_OK);
	assert_string_equal(host, "zebra-7.lan");
	assert_string_equal(port, "9100");
	assert_int_equal(printer_split_hostport("[::1", host, sizeof(host),
						port, sizeof(port), &e),
			 WH_ERR_INVALID);
	assert_non_null(printer_transport_find("tcp"));
	assert_null(printer_transport_find("lpd"));
}

static void test_1284_id(void **state)
{
	static const char id[] = "MANUFACTURER:Zebra Technologies;"
				 "COMMAND SET:ZPL;MDL:ZTC ZD420-203dpi;"
				 "CLS:PRINTER;";
	char v[64];

	(void)state;
	assert_true(printer_1284_get(id, "MFG", v, sizeof(v)));
	assert_string_equal(v, "Zebra Technologies");
	assert_true(printer_1284_get(id, "cmd", v, sizeof(v)));
	assert_string_equal(v, "ZPL");
	assert_true(printer_1284_get(id, "MODEL", v, sizeof(v)));
	assert_string_equal(v, "ZTC ZD420-203dpi");
	assert_false(printer_1284_get(id, "DES", v, sizeof(v)));
	/* Truncated to the buffer, a missing final ';' is fine. */
	assert_true(printer_1284_get("MFG:TSC", "MFG", v, 3));
	assert_string_equal(v, "TS");
	assert_false(printer_1284_get("garbage", "MFG", v, sizeof(v)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_bytes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_printer_stops_reading),
		cmocka_unit_test(test_printer_never_closes),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_uris),
		cmocka_unit_test(test_1284_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
