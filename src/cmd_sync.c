/*
 * wharf sync [--db CONNINFO] [--once] [--webhook-port N] [--webhook-bind A]
 *            [--rate-scale F] [--cainfo FILE] [--capath DIR] [--verbose]
 *
 * The sync loop, headless (DESIGN.md section 2): it works only while it
 * holds the sync advisory lock, so any number may run. --once does one
 * full pass over every shop as leader and exits (tests, cron). With
 * --webhook-port, Shopify "orders/updated" webhooks are accepted on
 * loopback (POST /webhooks/shopify/<SHOP-CODE>), verified against the
 * shop's webhook secret and upserted; the poll stays the safety net.
 * Log lines go to stderr; they never carry secrets.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "commands.h"
#include "core/parse.h"
#include "db/db.h"
#include "sync/sign.h"
#include "sync/sync_loop.h"

#define WEBHOOK_MAX_BODY (2u << 20)

static atomic_bool sync_stop;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&sync_stop, true);
}

struct webhook {
	const char *conninfo;
	struct db *db;
	pthread_mutex_t mu;
	FILE *log;
	long accepted, rejected;
};

struct wh_conn {
	char *body;
	size_t len;
	bool too_big;
};

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status,
			      const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Finds the Shopify shop named code and its webhook secret. */
static enum wh_err webhook_shop(struct db *db, const char *code,
				struct sync_shop *s, struct wh_error *err)
{
	struct db_result *r = NULL;
	const char *params[1] = { code };
	enum wh_err rc;

	rc = db_exec(db, "SELECT id, rtrim(coalesce(api_base_url, ''), '/'), "
			 "credentials_ref FROM wharf.shop WHERE code = $1 "
			 "AND platform = 'shopify' AND enabled",
		     1, params, &r, err);
	if (rc)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND, "no such shop");
	}
	memset(s, 0, sizeof(*s));
	s->id = db_result_int64(r, 0, 0);
	s->platform = SYNC_PLATFORM_SHOPIFY;
	snprintf(s->code, sizeof(s->code), "%s", code);
	s->base_url = strdup(db_result_text(r, 0, 1));
	rc = s->base_url ? sync_creds_load(s, db_result_text(r, 0, 2), err) :
			   wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	db_result_free(r);
	return rc;
}

static enum wh_err webhook_ingest(struct webhook *w, const char *code,
				  const char *hmac, const char *body,
				  size_t len, struct wh_error *err)
{
	struct sync_shop s;
	struct sync_order_list list;
	char *wrapped = NULL;
	json_t *raw = NULL;
	enum wh_err rc;

	if (!w->db && (rc = db_connect(w->conninfo, &w->db, err)))
		return rc;
	memset(&s, 0, sizeof(s));
	rc = webhook_shop(w->db, code, &s, err);
	if (rc == WH_ERR_DB) {
		db_close(w->db);
		w->db = NULL;
	}
	if (rc)
		goto out;
	if (!s.creds.webhook_secret ||
	    !sync_shopify_webhook_verify(body, len, s.creds.webhook_secret,
					 hmac)) {
		rc = wh_error_set(err, WH_ERR_PERM, "bad HMAC");
		goto out;
	}
	sync_order_list_init(&list);
	wrapped = malloc(len + 16);
	if (!wrapped) {
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out;
	}
	memcpy(wrapped, "{\"order\":", 9);
	memcpy(wrapped + 9, body, len);
	memcpy(wrapped + 9 + len, "}", 2);
	rc = sync_parse_shopify_orders(wrapped, len + 10, &list, err);
	if (!rc && list.n != 1)
		rc = wh_error_set(err, WH_ERR_INVALID, "not one order");
	if (!rc) {
		raw = json_loadb(body, len, 0, NULL);
		rc = sync_ingest_one(w->db, s.id, &list.v[0], raw, err);
	}
	json_decref(raw);
	sync_order_list_free(&list);
out:
	free(wrapped);
	sync_shop_free(&s);
	return rc;
}

static enum MHD_Result on_hook(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct webhook *w = cls;
	struct wh_conn *k = *con_cls;
	const char *prefix = "/webhooks/shopify/";
	const char *hmac, *topic;
	struct wh_error e;
	enum wh_err rc;

	(void)version;
	if (!k) {
		k = calloc(1, sizeof(*k));
		*con_cls = k;
		return k ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		if (k->too_big || *upload_size > WEBHOOK_MAX_BODY - k->len) {
			k->too_big = true;
		} else {
			char *nb = realloc(k->body, k->len + *upload_size + 1);

			if (!nb)
				return MHD_NO;
			k->body = nb;
			memcpy(k->body + k->len, upload, *upload_size);
			k->len += *upload_size;
			k->body[k->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "POST") || strncmp(url, prefix, strlen(prefix)))
		return answer(c, 404, "not found\n");
	if (k->too_big)
		return answer(c, 413, "too large\n");
	hmac = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   "X-Shopify-Hmac-Sha256");
	topic = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					    "X-Shopify-Topic");
	if (!hmac || !k->body)
		return answer(c, 401, "unauthorized\n");
	if (topic && strcmp(topic, "orders/updated") &&
	    strcmp(topic, "orders/create") && strcmp(topic, "orders/cancelled"))
		return answer(c, 200, "ignored\n");
	pthread_mutex_lock(&w->mu);
	rc = webhook_ingest(w, url + strlen(prefix), hmac, k->body, k->len,
			    &e);
	if (rc)
		w->rejected++;
	else
		w->accepted++;
	pthread_mutex_unlock(&w->mu);
	if (w->log)
		fprintf(w->log, "wharf sync: webhook %s: %s\n",
			url + strlen(prefix), rc ? e.msg : "upserted");
	if (rc == WH_ERR_PERM || rc == WH_ERR_NOT_FOUND)
		return answer(c, 401, "unauthorized\n");
	if (rc == WH_ERR_INVALID)
		return answer(c, 400, "bad order\n");
	if (rc)
		return answer(c, 503, "retry later\n");
	return answer(c, 200, "ok\n");
}

static void on_hook_done(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct wh_conn *k = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (k) {
		free(k->body);
		free(k);
	}
	*con_cls = NULL;
}

static void sync_usage(FILE *f)
{
	fputs("usage: wharf sync [--db CONNINFO] [--once] [--webhook-port N]\n"
	      "                  [--rate-scale F] [--cainfo FILE] "
	      "[--capath DIR] [--verbose]\n", f);
}

int cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "once", no_argument, NULL, 'o' },
		{ "webhook-port", required_argument, NULL, 'w' },
		{ "rate-scale", required_argument, NULL, 'r' },
		{ "cainfo", required_argument, NULL, 'C' },
		{ "capath", required_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sync_config cfg = { 0 };
	struct sync_stats stats = { 0 };
	struct webhook hook = { 0 };
	struct MHD_Daemon *d = NULL;
	struct wh_error err;
	long port = -1;
	int opt;
	enum wh_err rc;

	cfg.log = stderr;
	cfg.log_level = SYNC_LOG_INFO;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			cfg.conninfo = optarg;
			break;
		case 'o':
			cfg.once = true;
			break;
		case 'w':
			if (!parse_long(optarg, 0, 65535, &port)) {
				fputs("wharf sync: --webhook-port takes "
				      "0..65535\n", stderr);
				return 2;
			}
			break;
		case 'r': {
			char *end;

			cfg.rate_scale = strtod(optarg, &end);
			if (*end || !(cfg.rate_scale > 0 &&
				      cfg.rate_scale <= 1e6)) {
				fputs("wharf sync: --rate-scale takes a "
				      "positive number\n", stderr);
				return 2;
			}
			break;
		}
		case 'C':
			cfg.ca_info = optarg;
			break;
		case 'P':
			cfg.ca_path = optarg;
			break;
		case 'v':
			cfg.log_level = SYNC_LOG_DEBUG;
			break;
		case 'q':
			cfg.log_level = SYNC_LOG_WARN;
			break;
		case 'h':
			sync_usage(stdout);
			return 0;
		default:
			sync_usage(stderr);
			return 2;
		}
	}
	atomic_store(&sync_stop, false);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	cfg.stop = &sync_stop;
	cfg.stats = &stats;
	if (port >= 0) {
		struct sockaddr_in a;
		const union MHD_DaemonInfo *info;

		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons((uint16_t)port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		hook.conninfo = cfg.conninfo;
		hook.log = stderr;
		pthread_mutex_init(&hook.mu, NULL);
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				     MHD_USE_ERROR_LOG,
				     (uint16_t)port, NULL, NULL, on_hook, &hook,
				     MHD_OPTION_SOCK_ADDR, &a,
				     MHD_OPTION_NOTIFY_COMPLETED, on_hook_done,
				     NULL, MHD_OPTION_CONNECTION_TIMEOUT,
				     (unsigned)30, MHD_OPTION_END);
		if (!d) {
			fprintf(stderr, "wharf sync: cannot listen on "
					"127.0.0.1:%ld\n", port);
			return 1;
		}
		info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		printf("WEBHOOK 127.0.0.1:%u\n",
		       info ? (unsigned)info->port : (unsigned)port);
		fflush(stdout);
	}
	rc = sync_run(&cfg, &err);
	if (d) {
		MHD_stop_daemon(d);
		db_close(hook.db);
		pthread_mutex_destroy(&hook.mu);
	}
	if (rc) {
		fprintf(stderr, "wharf sync: %s\n", err.msg);
		return 1;
	}
	if (cfg.once)
		printf("wharf sync: %ld orders read, %ld new, %ld updated, "
		       "%ld intercepted, %ld exceptions, %ld pushes, "
		       "%ld failed pushes, %ld shop errors, %ld requests, "
		       "%ld retries\n",
		       stats.orders_seen, stats.inserted, stats.updated,
		       stats.intercepted, stats.exceptions, stats.pushes_ok,
		       stats.pushes_failed, stats.errors,
		       stats.http.requests, stats.http.retries);
	return stats.errors && cfg.once ? 3 : 0;
}
