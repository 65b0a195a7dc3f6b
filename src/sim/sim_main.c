/*
 * sim_main.c - wharf-platform-sim: arguments, libmicrohttpd, dispatch to
 * the platform modules and /_sim/, fault application, signals and the
 * background order generator.
 *
 * Usage: wharf-platform-sim [--port N] [--bind 127.0.0.1] [--seed N]
 *        [--rate ORDERS_PER_MIN] [--skus N] [--cancel-rate PCT]
 *        [--refund-rate PCT] [--initial-orders N] [--pidfile FILE]
 *        [--rate-limit-scale F] [--real-limits] [--fault SPEC]...
 *        [--verbose] [--selftest]
 * The first line on stdout is "LISTENING 127.0.0.1:PORT".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "sim/sim.h"

struct sim_config sim_cfg = {
	.seed = 1,
	.rate_per_min = 0,
	.skus = 500,
	.cancel_rate = 5,
	.refund_rate = 3,
	.limit_scale = 10,
};

static atomic_bool stopping;

bool sim_stopping(void)
{
	return atomic_load(&stopping);
}

void sim_sleep_ms(int64_t ms)
{
	while (ms > 0 && !sim_stopping()) {
		int64_t step = ms > 50 ? 50 : ms;
		struct timespec ts = { 0, (long)step * 1000000L };

		nanosleep(&ts, NULL);
		ms -= step;
	}
}

const struct sim_platform_ops *sim_ops_for(enum sim_platform p)
{
	switch (p) {
	case SIM_TOP:
		return &sim_top_ops;
	case SIM_JD:
		return &sim_jd_ops;
	case SIM_PDD:
		return &sim_pdd_ops;
	case SIM_DOUYIN:
		return &sim_douyin_ops;
	case SIM_AMAZON:
		return &sim_amazon_ops;
	case SIM_SHOPIFY:
		return &sim_shopify_ops;
	case SIM_WOO:
		return &sim_woo_ops;
	}
	return NULL;
}

/* Per-connection state, created by the URI log callback. */
struct conn {
	char *uri;   /* raw request target, with the query */
	char *body;
	size_t len;
	size_t cap;
	bool seen;
	bool too_big;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn *k = calloc(1, sizeof(*k));

	(void)cls;
	(void)c;
	if (k)
		k->uri = strdup(uri ? uri : "/");
	return k;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct conn *k = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (!k)
		return;
	free(k->uri);
	free(k->body);
	free(k);
	*con_cls = NULL;
}

static bool body_append(struct conn *k, const char *data, size_t n)
{
	if (k->too_big || n > SIM_BODY_MAX - k->len) {
		k->too_big = true;
		return true;
	}
	if (k->len + n + 1 > k->cap) {
		size_t cap = k->cap ? k->cap : 4096;
		char *nb;

		while (cap < k->len + n + 1)
			cap *= 2;
		nb = realloc(k->body, cap);
		if (!nb)
			return false;
		k->body = nb;
		k->cap = cap;
	}
	memcpy(k->body + k->len, data, n);
	k->len += n;
	k->body[k->len] = '\0';
	return true;
}

/* %XX-decodes a path in place ('+' stays); false on a bad escape. */
static bool path_decode(char *p)
{
	char *o = p;

	for (; *p; p++) {
		if (*p == '%') {
			char h[3] = { p[1], p[1] ? p[2] : 0, 0 };
			char *end;
			long v;

			if (!h[0] || !h[1])
				return false;
			v = strtol(h, &end, 16);
			if (*end || v <= 0)
				return false;
			*o++ = (char)v;
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return true;
}

struct trunc {
	char *body;
	size_t cut;
};

static ssize_t trunc_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct trunc *t = cls;
	size_t n;

	if (pos >= t->cut)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = t->cut - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, t->body + pos, n);
	return (ssize_t)n;
}

static void trunc_free(void *cls)
{
	struct trunc *t = cls;

	free(t->body);
	free(t);
}

static enum MHD_Result send_resp(struct MHD_Connection *c,
				 struct sim_resp *r, const char *rid)
{
	struct MHD_Response *m;
	enum MHD_Result ret;

	if (r->drop)
		return MHD_NO;
	if (r->truncate_at && r->body && r->truncate_at < r->len) {
		struct trunc *t = malloc(sizeof(*t));

		if (!t)
			return MHD_NO;
		t->body = r->body;
		t->cut = r->truncate_at;
		m = MHD_create_response_from_callback(r->len, 4096,
						      trunc_read, t,
						      trunc_free);
		if (!m) {
			free(t);
			return MHD_NO;
		}
		r->body = NULL;
	} else if (r->body) {
		m = MHD_create_response_from_buffer(r->len, r->body,
						    MHD_RESPMEM_MUST_FREE);
		if (m)
			r->body = NULL;
	} else {
		m = MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT);
	}
	if (!m)
		return MHD_NO;
	if (r->status != 204 && r->status != 304)
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type);
	MHD_add_response_header(m, "X-Sim-Request-Id", rid);
	for (size_t i = 0; i < r->headers.n; i++)
		MHD_add_response_header(m, r->headers.v[i].key,
					r->headers.v[i].value);
	ret = MHD_queue_response(c, (unsigned)r->status, m);
	MHD_destroy_response(m);
	return ret;
}

static void plain_error(struct sim_resp *r, int status, const char *msg)
{
	resp_json(r, status, json_pack("{s:s}", "error", msg));
}

/* Applies the faults that act before the platform answers. */
static bool pre_fault(struct sim_req *req, const struct sim_platform_ops *ops,
		      const struct sim_fault_hit *hit, struct sim_resp *resp)
{
	switch (hit->kind) {
	case SIM_FAULT_429:
		ops->throttled(req, resp, 1);
		resp->status = 429;
		return true;
	case SIM_FAULT_500:
		ops->server_error(req, resp, 500);
		return true;
	case SIM_FAULT_503:
		ops->server_error(req, resp, 503);
		return true;
	case SIM_FAULT_SLOW:
		sim_sleep_ms(hit->delay_ms ? hit->delay_ms : 2000);
		return false;
	case SIM_FAULT_HOLD:
		faults_hold(hit);
		return false;
	case SIM_FAULT_TIMEOUT:
		/* Hold the request longer than a client waits, then hang
		 * up without an answer. */
		sim_sleep_ms(hit->delay_ms ? hit->delay_ms : 35000);
		resp->drop = true;
		return true;
	case SIM_FAULT_CLOCK_SKEW:
		/* The platform's clock runs ahead: fresh timestamps look
		 * stale. */
		req->skew_ms = hit->delay_ms ? hit->delay_ms :
					       2 * SIM_SKEW_MS;
		return false;
	default:
		return false;
	}
}

static void post_fault(const struct sim_fault_hit *hit, struct sim_resp *resp)
{
	if (hit->kind == SIM_FAULT_TRUNCATED && resp->body && resp->len > 1) {
		resp->truncate_at = resp->len / 2;
	} else if (hit->kind == SIM_FAULT_MALFORMED) {
		static const char junk[] = ",,}<html>502 Bad Gateway</html>";
		size_t keep = resp->body ? resp->len / 2 : 0;
		char *b = malloc(keep + sizeof(junk));

		if (!b)
			return;
		if (keep)
			memcpy(b, resp->body, keep);
		memcpy(b + keep, junk, sizeof(junk));
		free(resp->body);
		resp->body = b;
		resp->len = keep + sizeof(junk) - 1;
		resp->status = 200;
	}
}

static void dispatch(struct sim_req *req, char *path, struct sim_resp *resp)
{
	const struct sim_platform_ops *ops;
	struct sim_fault_hit hit;
	char *slash;

	if (!strcmp(path, "/_sim") || !strncmp(path, "/_sim/", 6)) {
		control_handle(req, path + 5, resp);
		return;
	}
	slash = strchr(path + 1, '/');
	if (slash)
		*slash = '\0';
	req->shop = store_shop(path + 1);
	if (slash)
		*slash = '/';
	if (!req->shop) {
		plain_error(resp, 404, "no such shop; paths start with "
				       "/<SHOP-CODE>/");
		return;
	}
	req->path = slash ? slash : "/";
	ops = sim_ops_for(req->shop->platform);
	store_count_request();
	store_advance(req->now_ms);
	faults_take(req->shop, &hit);
	if (pre_fault(req, ops, &hit, resp))
		return;
	ops->handle(req, resp);
	post_fault(&hit, resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct conn *k = *con_cls;
	struct sim_resp resp;
	struct sim_req req;
	enum MHD_Result ret;
	char *path, *q;

	(void)cls;
	(void)url;
	(void)version;
	if (!k)
		return MHD_NO;
	if (!k->seen) {
		k->seen = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!body_append(k, upload, *upload_size))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&req, 0, sizeof(req));
	kvs_init(&req.query);
	kvs_init(&req.form);
	sim_resp_init(&resp);
	req.method = method;
	req.now_ms = sim_now_ms();
	req.port = sim_cfg.port;
	req.body = k->body ? k->body : "";
	req.body_len = k->len;
	sim_new_request_id(&req);
	req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Content-Type");
	req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							"Authorization");
	req.shopify_token = MHD_lookup_connection_value(
		c, MHD_HEADER_KIND, "X-Shopify-Access-Token");
	req.amz_token = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "x-amz-access-token");
	req.amz_date = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						   "x-amz-date");
	req.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	path = strdup(k->uri);
	if (!path) {
		ret = MHD_NO;
		goto out;
	}
	q = strchr(path, '?');
	if (q)
		*q++ = '\0';
	if (k->too_big) {
		plain_error(&resp, 413, "request body over 1 MiB");
	} else if (!path_decode(path) ||
		   (q && kvs_parse_urlencoded(&req.query, q, strlen(q)))) {
		plain_error(&resp, 400, "bad percent-encoding");
	} else if (starts_with_ci(req.content_type,
				  "application/x-www-form-urlencoded") &&
		   kvs_parse_urlencoded(&req.form, req.body, req.body_len)) {
		plain_error(&resp, 400, "bad form body");
	} else {
		dispatch(&req, path, &resp);
	}
	if (sim_cfg.verbose)
		fprintf(stderr, "%s %s -> %d%s\n", method, path, resp.status,
			resp.drop ? " (dropped)" : "");
	ret = send_resp(c, &resp, req.request_id);
out:
	free(path);
	sim_resp_free(&resp);
	kvs_free(&req.query);
	kvs_free(&req.form);
	return ret;
}

static void usage(FILE *f)
{
	fputs("usage: wharf-platform-sim [--port N] [--bind 127.0.0.1] "
	      "[--seed N]\n"
	      "  [--rate ORDERS_PER_MIN] [--skus N] [--cancel-rate PCT]\n"
	      "  [--refund-rate PCT] [--initial-orders N] "
	      "[--pidfile FILE]\n"
	      "  [--rate-limit-scale F] [--real-limits] [--fault SPEC]... "
	      "[--verbose]\n"
	      "  [--selftest]\n"
	      "SPEC: kind[,shop=CODE][,count=N][,probability=P]"
	      "[,delay_ms=N]\n"
	      "kinds: 429 500 503 slow timeout malformed truncated "
	      "duplicate_page\n"
	      "       out_of_order clock_skew hold\n", f);
}

struct args {
	long long port;
	long long initial;
	const char *pidfile;
	bool selftest;
};

static bool arg_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return false;
	v = strtod(s, &end);
	if (*end || !(v >= min && v <= max))
		return false;
	*out = v;
	return true;
}

/* Returns 0 to go on, 1 to exit 0, 2 to exit 2. */
static int parse_args(int argc, char **argv, struct args *a)
{
	struct wh_error err;
	long long v;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;

		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(o, "--selftest")) {
			a->selftest = true;
			continue;
		} else if (!strcmp(o, "--real-limits")) {
			sim_cfg.real_limits = true;
			continue;
		} else if (!strcmp(o, "--verbose")) {
			sim_cfg.verbose = true;
			continue;
		}
		if (!val) {
			fprintf(stderr, "wharf-platform-sim: %s needs a "
					"value\n", o);
			return 2;
		}
		i++;
		if (!strcmp(o, "--port")) {
			ok = parse_ll(val, 0, 65535, &a->port);
		} else if (!strcmp(o, "--bind")) {
			if (strcmp(val, "127.0.0.1") &&
			    strcmp(val, "localhost")) {
				fprintf(stderr, "wharf-platform-sim: refusing "
						"to bind %s: loopback "
						"127.0.0.1 only\n", val);
				return 2;
			}
		} else if (!strcmp(o, "--seed")) {
			ok = parse_ll(val, 0, INT64_MAX, &v);
			sim_cfg.seed = (uint64_t)v;
		} else if (!strcmp(o, "--rate")) {
			ok = arg_double(val, 0, 60000, &sim_cfg.rate_per_min);
		} else if (!strcmp(o, "--skus")) {
			ok = parse_ll(val, 1, 999999, &v);
			sim_cfg.skus = (int)v;
		} else if (!strcmp(o, "--cancel-rate")) {
			ok = parse_ll(val, 0, 100, &v);
			sim_cfg.cancel_rate = (int)v;
		} else if (!strcmp(o, "--refund-rate")) {
			ok = parse_ll(val, 0, 100, &v);
			sim_cfg.refund_rate = (int)v;
		} else if (!strcmp(o, "--initial-orders")) {
			ok = parse_ll(val, 0, 100000, &a->initial);
		} else if (!strcmp(o, "--pidfile")) {
			a->pidfile = val;
		} else if (!strcmp(o, "--rate-limit-scale")) {
			ok = arg_double(val, 0.0001, 1e6,
					&sim_cfg.limit_scale);
		} else if (!strcmp(o, "--fault")) {
			if (faults_add_spec(val, &err)) {
				fprintf(stderr, "wharf-platform-sim: --fault "
						"%s: %s\n", val, err.msg);
				return 2;
			}
		} else if (!strcmp(o, "--state")) {
			fprintf(stderr, "wharf-platform-sim: --state is not "
					"supported; state is in memory\n");
			return 2;
		} else {
			fprintf(stderr, "wharf-platform-sim: unknown option "
					"%s\n", o);
			usage(stderr);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "wharf-platform-sim: bad value for "
					"%s: %s\n", o, val);
			return 2;
		}
	}
	return 0;
}

static bool write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return false;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) == 0;
}

/*
 * A listening socket on 127.0.0.1:want (0: the kernel picks), and in
 * *port the port it got. Made here rather than by libmicrohttpd so that
 * sim_cfg.port is written before the server's threads start: handlers
 * read it without a lock. -1 on failure (errno says why).
 */
static int listen_loopback(long long want, unsigned *port)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -1;
	/* As libmicrohttpd sets on its own: a restarted simulator gets its
	 * fixed port back at once. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)want);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, SOMAXCONN) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len)) {
		close(fd);
		return -1;
	}
	*port = ntohs(addr.sin_port);
	return fd;
}

/* Background orders: rate per minute per shop, as a running carry. */
static void generate(double *carry, int64_t dt_ms, int64_t now_ms)
{
	struct sim_new_orders how = { 0, true, true };

	for (int i = 0; i < SIM_SHOPS; i++) {
		carry[i] += sim_cfg.rate_per_min * (double)dt_ms / 60000.0;
		how.count = (int)carry[i];
		if (how.count <= 0)
			continue;
		carry[i] -= how.count;
		store_create(store_shop_at(i), &how, now_ms, NULL);
	}
}

int main(int argc, char **argv)
{
	struct args a = { 0, 0, NULL, false };
	struct MHD_Daemon *d;
	double carry[SIM_SHOPS] = { 0 };
	int64_t last;
	sigset_t set;
	int rc, fd;

	faults_init();
	rc = parse_args(argc, argv, &a);
	if (rc) {
		faults_fini();
		return rc == 1 ? 0 : 2;
	}
	if (a.selftest) {
		bool ok = sign_selftest();

		faults_fini();
		puts(ok ? "selftest ok" : "selftest FAILED");
		return ok ? 0 : 1;
	}
	store_init();
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* Handler threads inherit the mask; only main takes signals. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = listen_loopback(a.port, &sim_cfg.port);
	if (fd < 0) {
		fprintf(stderr, "wharf-platform-sim: cannot listen on "
				"127.0.0.1:%lld: %s\n", a.port,
			strerror(errno));
		store_fini();
		faults_fini();
		return 1;
	}
	/* libmicrohttpd takes the socket over and closes it when stopped. */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				     MHD_USE_THREAD_PER_CONNECTION |
				     MHD_USE_POLL |
				     (sim_cfg.verbose ? MHD_USE_ERROR_LOG : 0),
			     0, NULL, NULL, on_request, NULL,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "wharf-platform-sim: cannot serve on "
				"127.0.0.1:%u\n", sim_cfg.port);
		store_fini();
		faults_fini();
		return 1;
	}
	if (a.pidfile && !write_pidfile(a.pidfile))
		fprintf(stderr, "wharf-platform-sim: cannot write %s\n",
			a.pidfile);
	if (a.initial) {
		struct sim_new_orders how = { (int)a.initial, false, true };

		for (int i = 0; i < SIM_SHOPS; i++)
			store_create(store_shop_at(i), &how, sim_now_ms(),
				     NULL);
	}
	printf("LISTENING 127.0.0.1:%u\n", sim_cfg.port);
	fflush(stdout);
	last = sim_now_ms();
	for (;;) {
		struct timespec ts = { 1, 0 };
		int64_t now;
		int sig = sigtimedwait(&set, NULL, &ts);

		if (sig == SIGINT || sig == SIGTERM)
			break;
		now = sim_now_ms();
		if (sim_cfg.rate_per_min > 0)
			generate(carry, now - last, now);
		store_advance(now);
		last = now;
	}
	atomic_store(&stopping, true);
	MHD_stop_daemon(d);
	if (a.pidfile)
		unlink(a.pidfile);
	store_fini();
	faults_fini();
	return 0;
}
