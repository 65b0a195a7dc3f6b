/*
 * wharf [station] [--db CONNINFO] [--station CODE] [--scanner SPEC]
 *       [--lang en|zh_CN] [--idle SECONDS]: the station's terminal UI.
 *
 * The runner of the UI loop (ui/loop.h): it carries out the screens'
 * database requests (ui/req.h) on the station's connection, opens screens
 * (ui/station.h), turns scanner events and NOTIFYs on wharf_intercept into
 * loop events, and keeps the station alive without its database: a lost
 * connection raises the OFFLINE banner and a timer reconnects every few
 * seconds. Each login is one run of the loop: login screen, menu, screens;
 * a logout (by the user or the idle timer) starts the next run.
 *
 * Database calls run on a worker thread (db/dbworker.h) that owns the
 * station's request connection, so a slow query never freezes the keys and
 * the loop's spinner shows: db_call queues the request with the loop's call
 * id, and the worker's eventfd, watched by the loop, hands each answer back
 * to the UI thread (ui_loop_db_done). Everything about the session and the
 * banner stays on the UI thread. A session's calls still in flight when its
 * loop ends are waited for before the next loop starts (call ids are per
 * loop) and before the logout. PGCONNECT_TIMEOUT caps a (re)connect attempt
 * when it is not set already.
 */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "core/parse.h"
#include "db/conninfo.h"
#include "db/db.h"
#include "db/dbworker.h"
#include "db/notify.h"
#include "db/summary.h"
#include "drivers/scanner/scanner.h"
#include "pack_req.h"
#include "station_req.h"
#include "sync/sync_thread.h"
#include "ui/i18n.h"
#include "ui/loop.h"
#include "ui/req.h"
#include "ui/scr_login.h"
#include "ui/scr_scantest.h"
#include "ui/station.h"

#define NOTIFY_CHANNEL "wharf_intercept"
#define RETRY_MS 3000
#define CONNECT_TIMEOUT "5"

struct session {
	bool active;
	int64_t user_id;
	char name[128];
	char role[16];
	char language[16];
	unsigned roles;
	int64_t warehouse_id;
	int64_t station_id; /* 0: the station code is not in the database */
};

struct station {
	char conninfo[4096];
	char code[64];
	const char *lang; /* --lang, NULL: the locale's */
	int idle_ms;
	int count_threshold;       /* --count-threshold */
	const char *sync_log;      /* --sync: run the platform sync here */
	struct sync_thread sync;
	struct db *db;             /* start-up only: then the worker's */
	struct dbworker *worker;   /* runs the calls; NULL: not started */
	struct db_listener *lis;   /* NULL while offline */
	int lis_fd;                /* its socket as watched; -1 none */
	bool offline;
	int retry_fd;              /* timerfd for reconnects */
	struct ui_loop *loop;      /* the current run's */
	scanner_t *scanner;        /* NULL: keyboard only */
	char scanner_msg[WH_ERROR_MSG_MAX];
	struct scan_event sev;     /* big: kept out of the stack */
	struct session s;
	bool idle_logout;          /* the last session ended idle */
};

static void usage(FILE *f)
{
	fputs("usage: wharf [station] [--db CONNINFO] [--station CODE]\n"
	      "             [--scanner wedge|fifo:PATH|serial:PATH|"
	      "evdev[:PATH]|hidpos|none]\n"
	      "             [--lang en|zh_CN] [--idle SECONDS]\n"
	      "             [--count-threshold UNITS]\n"
	      "             [--printer URI] [--scale serial:PATH[@BAUD]]\n"
	      "             [--sync LOGFILE]\n"
	      "  --station defaults to $WHARF_STATION, else the first station"
	      " in the database.\n"
	      "  --scanner wedge (the default): the terminal's keyboard; a "
	      "wedge scanner\n"
	      "    types the code and Enter into the field on screen.\n"
	      "  --idle: log out after that long without a key or scan "
	      "(default 600).\n"
	      "  --count-threshold: a cycle count whose variance (sum of "
	      "|counted -\n"
	      "    expected| units) is above this waits for a supervisor "
	      "(default 2).\n"
	      "  --printer: the pack desk's label printer (file:, tcp://, "
	      "cups:, usb:),\n"
	      "    else the station's printer_uri in the database.\n"
	      "  --sync: also run the platform sync in this station (it works"
	      " only while\n"
	      "    it leads; another station takes over when it stops), "
	      "logging to LOGFILE.\n", f);
}

/* --- the connection -------------------------------------------------- */

static void arm_retry(struct station *st, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_value.tv_sec = RETRY_MS / 1000;
		its.it_interval.tv_sec = RETRY_MS / 1000;
	}
	timerfd_settime(st->retry_fd, 0, &its, NULL);
}

static int on_listener(void *arg, struct ui_loop *loop, int fd, short rev);

static void watch_listener(struct station *st)
{
	int fd = db_listener_fd(st->lis);

	st->lis_fd = -1;
	if (st->loop && fd >= 0 &&
	    ui_loop_add_fd(st->loop, fd, POLLIN, on_listener, st) == WH_OK)
		st->lis_fd = fd;
}

/* The server is gone (seen by the listener or by a call on the worker):
 * the banner, and a reconnect timer. */
static void go_offline(struct station *st)
{
	if (st->offline)
		return;
	st->offline = true;
	/* by the number watched: libpq forgets its socket when it fails */
	if (st->loop && st->lis_fd >= 0)
		ui_loop_remove_fd(st->loop, st->lis_fd);
	st->lis_fd = -1;
	db_listener_free(st->lis);
	st->lis = NULL;
	/* its connection is as dead as the listener's: a fresh one for the
	 * next request */
	if (st->worker)
		dbworker_reconnect(st->worker);
	if (st->loop)
		ui_loop_set_banner(st->loop, station_text_offline());
	arm_retry(st, true);
}

/* Connects both connections (st->db only before the worker owns it);
 * false (and offline) when the server is not there. */
static bool connect_all(struct station *st, struct wh_error *err)
{
	if (!st->db && db_connect(st->conninfo, &st->db, err) != WH_OK)
		return false;
	if (!st->lis &&
	    db_listen(st->conninfo, NOTIFY_CHANNEL, &st->lis, err) != WH_OK) {
		db_close(st->db);
		st->db = NULL;
		return false;
	}
	return true;
}

/*
 * The listener doubles as the probe: once it connects, the server is back
 * and the worker reconnects at the next request (a failure there just
 * brings the banner back).
 */
static int on_retry(void *arg, struct ui_loop *loop, int fd, short rev)
{
	struct station *st = arg;
	struct wh_error err = { 0 };
	uint64_t n;

	(void)rev;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return 0;
	if (!st->offline || (!st->lis &&
			     db_listen(st->conninfo, NOTIFY_CHANNEL, &st->lis,
				       &err) != WH_OK))
		return 0;
	st->offline = false;
	arm_retry(st, false);
	watch_listener(st);
	ui_loop_set_banner(loop, NULL);
	ui_loop_flash(loop, station_text_back_online());
	return 0;
}

static void post_notify(void *arg, const char *channel, const char *payload)
{
	struct station *st = arg;
	struct ui_event ev = { .type = UI_EV_NOTIFY };

	ev.notify.channel = channel;
	ev.notify.payload = payload;
	ui_loop_post(st->loop, &ev);
}

static int on_listener(void *arg, struct ui_loop *loop, int fd, short rev)
{
	struct station *st = arg;
	struct wh_error err = { 0 };

	(void)loop;
	(void)fd;
	(void)rev;
	if (!st->lis)
		return 1;
	if (db_listener_read(st->lis, post_notify, st, &err) == WH_OK)
		return 0;
	/* go_offline removes this fd itself; returning 1 would remove a
	 * descriptor number the next listener may reuse */
	go_offline(st);
	return 0;
}

/* --- database requests: the worker's side ---------------------------- */

/*
 * A request on its way through the worker: the screen's request and a copy
 * of everything the worker needs from the session, so the worker thread
 * reads nothing the UI thread writes (st->code and the count threshold are
 * fixed before the worker starts).
 */
struct station_job {
	struct ui_req *req;
	const char *code;         /* st->code */
	bool active;              /* a session was on when submitted */
	struct station_actor a;   /* a.lang points at lang */
	char lang[16];
	char uid[32];             /* LOGOUT: the user */
	int64_t station_id;       /* LOGIN answer: the station's id */
};

static void job_free(void *ctx, void *req)
{
	struct station_job *j = req;

	(void)ctx;
	if (!j)
		return;
	ui_req_free(j->req);
	free(j);
}

/* The station's id for the engine's audit trail; 0 when unknown. */
static int64_t station_id_of(struct db *db, const char *code)
{
	const char *params[] = { code };
	struct wh_error err = { 0 };
	struct db_result *r;
	int64_t id = 0;

	if (db_exec(db, "SELECT id FROM wharf.station WHERE code = $1", 1,
		    params, &r, &err) != WH_OK)
		return 0;
	if (db_result_rows(r) == 1)
		id = db_result_int64(r, 0, 0);
	db_result_free(r);
	return id;
}

static enum wh_err run_login(struct db *db, struct station_job *j,
			     void **out, struct wh_error *err)
{
	const char *params[] = { j->req->who, j->req->pin, j->code };
	struct ui_login_result *res;
	struct db_result *dr;
	enum wh_err rc;

	rc = db_exec(db,
		     "CALL wharf.login($1, $2, $3, NULL, NULL, NULL, NULL, "
		     "NULL, NULL)", 3, params, &dr, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(dr) != 1 || db_result_cols(dr) < 6) {
		db_result_free(dr);
		return wh_error_set(err, WH_ERR_DB, "unexpected login answer");
	}
	res = calloc(1, sizeof(*res));
	if (!res) {
		db_result_free(dr);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	res->user_id = db_result_int64(dr, 0, 0);
	snprintf(res->display_name, sizeof(res->display_name), "%s",
		 db_result_text(dr, 0, 1));
	snprintf(res->role, sizeof(res->role), "%s", db_result_text(dr, 0, 2));
	snprintf(res->language, sizeof(res->language), "%s",
		 db_result_text(dr, 0, 3));
	res->warehouse_id = db_result_int64(dr, 0, 4);
	snprintf(res->warehouse_code, sizeof(res->warehouse_code), "%s",
		 db_result_text(dr, 0, 5));
	db_result_free(dr);
	j->station_id = station_id_of(db, j->code);
	*out = res;
	return WH_OK;
}

/* dbworker's run: on the worker thread, with its connection. */
static enum wh_err job_run(void *ctx, struct db *db, void *req,
			   void **result, struct wh_error *err)
{
	struct station_job *j = req;
	const char *params[] = { j->uid, j->code, j->req->reason };
	enum wh_err rc;

	(void)ctx;
	switch (j->req->kind) {
	case UI_REQ_LOGIN:
		rc = run_login(db, j, result, err);
		break;
	case UI_REQ_LOGOUT:
		rc = db_exec(db, "SELECT wharf.logout($1, $2, $3)", 3, params,
			     NULL, err);
		break;
	case UI_REQ_SUMMARY:
		*result = malloc(sizeof(struct stock_summary));
		rc = *result ? db_stock_summary(db, *result, err)
			     : wh_error_set(err, WH_ERR_NOMEM,
					    "out of memory");
		break;
	default:
		if (station_req_is_floor(j->req->kind) && j->active) {
			rc = station_req_run(db, &j->a, j->req, result, err);
			break;
		}
		rc = wh_error_set(err, WH_ERR_INVALID, "unknown request");
		break;
	}
	if (rc != WH_OK) {
		free(*result);
		*result = NULL;
	}
	return rc;
}

/* --- database requests: the UI thread's side ------------------------- */

static void set_language(const char *lang)
{
	struct wh_error e = { 0 };

	/* a language we cannot switch to leaves the previous one: the
	 * screens still work, in that language */
	i18n_set_language(lang, &e);
}

/* Wraps r (owned from now on) with a copy of the session; NULL (and r
 * freed) when out of memory. */
static struct station_job *job_new(struct station *st, struct ui_req *r)
{
	struct station_job *j = calloc(1, sizeof(*j));

	if (!j) {
		ui_req_free(r);
		return NULL;
	}
	j->req = r;
	j->code = st->code;
	j->active = st->s.active;
	snprintf(j->lang, sizeof(j->lang), "%s", st->s.language);
	snprintf(j->uid, sizeof(j->uid), "%lld", (long long)st->s.user_id);
	j->a.user_id = st->s.user_id;
	j->a.station_id = st->s.station_id;
	j->a.warehouse_id = st->s.warehouse_id;
	j->a.lang = j->lang;
	j->a.count_threshold = st->count_threshold;
	return j;
}

static void start_session(struct station *st,
			  const struct ui_login_result *res, int64_t station_id)
{
	memset(&st->s, 0, sizeof(st->s));
	st->s.active = true;
	st->s.user_id = res->user_id;
	snprintf(st->s.name, sizeof(st->s.name), "%s", res->display_name);
	snprintf(st->s.role, sizeof(st->s.role), "%s", res->role);
	snprintf(st->s.language, sizeof(st->s.language), "%s", res->language);
	st->s.roles = login_role_bits(res->role);
	st->s.warehouse_id = res->warehouse_id;
	st->s.station_id = station_id;
	set_language(res->language);
}

/*
 * A finished call, on the UI thread: the session a login opened, the
 * banner for a lost connection, then the answer to the screen that asked
 * (deliver) or straight to the bin (the loop has ended).
 */
static void job_done(struct station *st, struct dbworker_done *d,
		     bool deliver)
{
	struct station_job *j = d->req;

	if (d->err == WH_OK && j->req->kind == UI_REQ_LOGIN)
		start_session(st, d->result, j->station_id);
	if (dbworker_conn_lost(d->err, &d->e))
		go_offline(st);
	if (deliver && st->loop)
		ui_loop_db_done(st->loop, d->tag, d->err, &d->e, d->result);
	else
		free(d->result);
	job_free(NULL, j);
}

static int on_worker(void *arg, struct ui_loop *loop, int fd, short rev)
{
	struct station *st = arg;
	struct dbworker_done d;

	(void)fd;
	(void)rev;
	/* once the loop is done, run_session drains the rest */
	while (!ui_loop_done(loop, NULL) && dbworker_take(st->worker, &d))
		job_done(st, &d, true);
	return 0;
}

/* Waits for every call in flight and drops the answers: the loop that
 * asked is over, and its call ids die with it. */
static void drain_worker(struct station *st)
{
	struct dbworker_done d;

	while (st->worker && dbworker_wait(st->worker, &d))
		job_done(st, &d, false);
}

/* Ends the session: the logout call, waited for (the loop is over). */
static void end_session(struct station *st, const char *reason)
{
	struct station_job *j;
	struct ui_req *r;

	drain_worker(st);
	if (!st->s.active)
		return;
	r = ui_req_logout(reason);
	j = r ? job_new(st, r) : NULL;
	st->s.active = false;
	if (!j || st->offline ||
	    dbworker_submit(st->worker, 0, j, NULL) != WH_OK) {
		job_free(NULL, j);
		return;
	}
	drain_worker(st);
}

static enum wh_err station_db_call(void *ctx, struct ui_loop *loop,
				   uint64_t id, void *request,
				   struct wh_error *e)
{
	struct station *st = ctx;
	struct ui_req *r = request;
	struct station_job *j;
	enum wh_err rc;

	if (!r)
		return wh_error_set(e, WH_ERR_INVALID, "no request");
	if (r->kind == UI_REQ_LOGOUT) {
		if (!st->s.active) {
			ui_req_free(r);
			ui_loop_db_done(loop, id, WH_OK, NULL, NULL);
			return WH_OK;
		}
		st->idle_logout = r->reason && strcmp(r->reason, "idle") == 0;
	}
	if (!st->worker || st->offline) {
		if (r->kind == UI_REQ_LOGOUT)
			st->s.active = false;
		ui_req_free(r);
		return wh_error_set(e, WH_ERR_DB, "%s", station_text_no_db());
	}
	j = job_new(st, r);
	if (!j)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	/* the session ends now, not when the server has heard of it */
	if (r->kind == UI_REQ_LOGOUT)
		st->s.active = false;
	rc = dbworker_submit(st->worker, id, j, e);
	if (rc != WH_OK)
		job_free(NULL, j);
	return rc;
}

static const struct dbworker_ops worker_ops = {
	.run = job_run,
	.free_req = job_free,
};

static void station_free_result(void *ctx, void *result)
{
	(void)ctx;
	free(result);
}

static void station_beep(void *ctx, bool ok)
{
	struct station *st = ctx;

	if (st->scanner && scanner_beep(st->scanner, ok, NULL) == WH_OK)
		return;
	beep();
}

static enum wh_err station_open(void *ctx, int screen, int64_t param,
				const struct ui_screen_ops **ops, void **state,
				struct wh_error *e)
{
	struct station *st = ctx;
	struct station_session s = { .roles = st->s.roles, .user = st->s.name };
	struct tm tm;
	time_t now = time(NULL);

	if (localtime_r(&now, &tm)) {
		s.today.year = tm.tm_year + 1900;
		s.today.month = tm.tm_mon + 1;
		s.today.day = tm.tm_mday;
	}
	return station_open_screen(&s, screen, param, ops, state, e);
}

/* --- the scanner ----------------------------------------------------- */

static int on_scanner(void *arg, struct ui_loop *loop, int fd, short rev)
{
	struct station *st = arg;
	char msg[WH_ERROR_MSG_MAX];

	(void)fd;
	(void)rev;
	while (!ui_loop_done(loop, NULL) && scanner_next(st->scanner, &st->sev)) {
		struct ui_event ev = { .type = UI_EV_SCAN };

		switch (st->sev.kind) {
		case SCAN_EV_SCAN:
		case SCAN_EV_KEYS:
			ev.scan.data = st->sev.data;
			ev.scan.len = st->sev.len;
			memcpy(ev.scan.aim, st->sev.aim, sizeof(ev.scan.aim));
			ev.scan.aim[sizeof(ev.scan.aim) - 1] = '\0';
			ev.scan.source = scan_source_name(st->sev.source);
			ui_loop_post(loop, &ev);
			break;
		case SCAN_EV_ERROR:
		case SCAN_EV_DISCONNECT:
		case SCAN_EV_CONNECT:
			snprintf(msg, sizeof(msg), "%s: %s",
				 station_text_scanner(), st->sev.msg);
			ui_loop_flash(loop, msg);
			break;
		}
	}
	return 0;
}

static int parse_scanner(const char *spec, struct scanner_config *cfg,
			 bool *none)
{
	static const struct {
		const char *prefix;
		enum scanner_driver drv;
		bool needs_path;
	} kinds[] = {
		{ "fifo", SCANNER_DRV_FIFO, true },
		{ "serial", SCANNER_DRV_SERIAL, true },
		{ "evdev", SCANNER_DRV_EVDEV, false },
		{ "hidpos", SCANNER_DRV_HIDPOS, false },
	};
	const char *colon = strchr(spec, ':');
	size_t plen = colon ? (size_t)(colon - spec) : strlen(spec), i;

	*none = !strcmp(spec, "wedge") || !strcmp(spec, "none");
	if (*none)
		return 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strlen(kinds[i].prefix) != plen ||
		    strncmp(spec, kinds[i].prefix, plen))
			continue;
		if (kinds[i].needs_path && (!colon || !colon[1]))
			return -1;
		scanner_config_init(cfg, kinds[i].drv);
		cfg->device = colon && colon[1] ? colon + 1 : NULL;
		return 0;
	}
	return -1;
}

/* --- start-up -------------------------------------------------------- */

static enum wh_err default_station(struct station *st, struct wh_error *err)
{
	const char *env = getenv("WHARF_STATION");
	struct db_result *r;
	enum wh_err rc;

	if (env && env[0]) {
		snprintf(st->code, sizeof(st->code), "%s", env);
		return WH_OK;
	}
	if (!st->db)
		return wh_error_set(err, WH_ERR_DB, "no database to find a "
				    "station in: give --station");
	rc = db_exec(st->db, "SELECT code FROM wharf.station ORDER BY id "
		     "LIMIT 1", 0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	if (db_result_rows(r) != 1) {
		db_result_free(r);
		return wh_error_set(err, WH_ERR_NOT_FOUND, "no station in the "
				    "database: give --station CODE");
	}
	snprintf(st->code, sizeof(st->code), "%s", db_result_text(r, 0, 0));
	db_result_free(r);
	return WH_OK;
}

static int parse_args(int argc, char **argv, struct station *st,
		      const char **db_arg, const char **scanner_arg)
{
	long idle = 600, threshold = 2;
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc)
			goto bad;
		if (!strcmp(o, "--db")) {
			*db_arg = argv[++i];
		} else if (!strcmp(o, "--station")) {
			snprintf(st->code, sizeof(st->code), "%s", argv[++i]);
		} else if (!strcmp(o, "--scanner")) {
			*scanner_arg = argv[++i];
		} else if (!strcmp(o, "--lang")) {
			st->lang = argv[++i];
			if (strcmp(st->lang, "en") && strcmp(st->lang, "zh_CN"))
				goto bad;
		} else if (!strcmp(o, "--printer")) {
			pack_req_set_printer(argv[++i]);
		} else if (!strcmp(o, "--sync")) {
			st->sync_log = argv[++i];
		} else if (!strcmp(o, "--scale")) {
			pack_req_set_scale(argv[++i]);
		} else if (!strcmp(o, "--idle")) {
			if (!parse_long(argv[++i], 5, 86400, &idle))
				goto bad;
		} else if (!strcmp(o, "--count-threshold")) {
			if (!parse_long(argv[++i], 0, 1000000, &threshold))
				goto bad;
		} else {
			goto bad;
		}
	}
	st->idle_ms = (int)idle * 1000;
	st->count_threshold = (int)threshold;
	return -1;
bad:
	usage(stderr);
	return 2;
}

static struct ui_runner station_runner(struct station *st)
{
	const struct ui_runner runner = {
		.ctx = st,
		.db_call = station_db_call,
		.free_result = station_free_result,
		.beep = station_beep,
		.open_screen = station_open,
	};

	return runner;
}

/* One login session: a fresh loop with the login screen. */
static enum wh_err run_session(struct station *st, enum ui_quit_reason *why,
			       struct wh_error *err)
{
	const struct ui_runner runner = station_runner(st);
	struct login_params lp = {
		.station = st->code,
		.idle_ms = st->idle_ms,
		.notice = st->idle_logout ? station_text_idle_logout() : NULL,
	};
	enum wh_err rc;
	void *login;

	st->loop = ui_loop_new(&runner);
	if (!st->loop)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	st->idle_logout = false;
	login = scr_login.init(&lp, err);
	if (!login || ui_loop_push(st->loop, &scr_login, login) != WH_OK) {
		ui_loop_free(st->loop);
		st->loop = NULL;
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	ui_loop_add_fd(st->loop, st->retry_fd, POLLIN, on_retry, st);
	if (st->worker)
		ui_loop_add_fd(st->loop, dbworker_fd(st->worker), POLLIN,
			       on_worker, st);
	if (st->scanner)
		ui_loop_add_fd(st->loop, scanner_fd(st->scanner), POLLIN,
			       on_scanner, st);
	watch_listener(st);
	if (st->offline)
		ui_loop_set_banner(st->loop, station_text_offline());
	if (st->scanner_msg[0])
		ui_loop_flash(st->loop, st->scanner_msg);
	st->scanner_msg[0] = '\0';
	rc = ui_loop_run(st->loop, why, err);
	drain_worker(st);
	ui_loop_free(st->loop);
	st->loop = NULL;
	return rc;
}

int cmd_station(int argc, char **argv)
{
	struct station *st;
	struct scanner_config scfg;
	struct wh_error err = { 0 };
	const char *db_arg = NULL, *scanner_arg = "wedge";
	enum ui_quit_reason why = UI_QUIT_DONE;
	enum wh_err rc;
	bool no_scanner = true;
	int ret = 1;

	st = calloc(1, sizeof(*st));
	if (!st) {
		fputs("wharf: out of memory\n", stderr);
		return 1;
	}
	st->retry_fd = -1;
	st->lis_fd = -1;
	ret = parse_args(argc, argv, st, &db_arg, &scanner_arg);
	if (ret >= 0)
		goto out_free;
	ret = 1;
	if (parse_scanner(scanner_arg, &scfg, &no_scanner) < 0) {
		usage(stderr);
		ret = 2;
		goto out_free;
	}
	if (i18n_init(NULL, &err) != WH_OK)
		goto out_err;
	if (st->lang)
		set_language(st->lang);
	setenv("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT, 0);
	if (db_resolve_conninfo(db_arg, st->conninfo, sizeof(st->conninfo),
				&err) != WH_OK)
		goto out_err;
	st->retry_fd = timerfd_create(CLOCK_MONOTONIC,
				      TFD_NONBLOCK | TFD_CLOEXEC);
	if (st->retry_fd < 0) {
		wh_error_set(&err, WH_ERR_IO, "timerfd: %s", strerror(errno));
		goto out_err;
	}
	if (!connect_all(st, &err)) {
		/* without a station code we cannot even show the login */
		if (!st->code[0])
			goto out_err;
		go_offline(st);
	}
	if (!st->code[0] && default_station(st, &err) != WH_OK)
		goto out_err;
	/* the worker owns the request connection from here on, even when
	 * it fails to start */
	rc = dbworker_start(&worker_ops, st->conninfo, st->db, &st->worker,
			    &err);
	st->db = NULL;
	if (rc != WH_OK)
		goto out_err;
	if (st->sync_log) {
		struct sync_config cfg = {
			.conninfo = st->conninfo,
			.log_level = SYNC_LOG_INFO,
		};

		if (sync_thread_start(&st->sync, &cfg, st->sync_log, &err) !=
		    WH_OK)
			goto out_err;
	}
	if (!no_scanner &&
	    scanner_open(&scfg, &st->scanner, &err) != WH_OK) {
		/* the keyboard still works: say so on screen and go on */
		snprintf(st->scanner_msg, sizeof(st->scanner_msg), "%s: %s",
			 station_text_scanner(), err.msg);
		st->scanner = NULL;
	}
	for (;;) {
		rc = run_session(st, &why, &err);
		end_session(st, why == UI_QUIT_LOGOUT ? "user" : "exit");
		set_language(st->lang);
		if (rc != WH_OK)
			goto out_err;
		if (why != UI_QUIT_LOGOUT)
			break;
	}
	ret = 0;
	goto out_free;

out_err:
	fprintf(stderr, "wharf: %s\n", err.msg);
	ret = 1;
out_free:
	sync_thread_stop(&st->sync);
	dbworker_stop(st->worker);
	scanner_free(st->scanner);
	db_listener_free(st->lis);
	db_close(st->db);
	if (st->retry_fd >= 0)
		close(st->retry_fd);
	free(st);
	return ret;
}

/*
 * wharf scanner test [--scanner SPEC] [--lang L]: the scanner test screen
 * on its own, with no database and no login, for whoever is setting up a
 * scanner at a station. Typed text + Enter counts as a keyboard scan.
 */
int cmd_scanner_test(int argc, char **argv)
{
	struct station *st;
	struct scanner_config scfg;
	struct scantest_params tp = { { 0 } };
	struct wh_error err = { 0 };
	const char *scanner_arg = "wedge", *lang = NULL;
	enum ui_quit_reason why;
	bool no_scanner = true;
	struct ui_runner runner;
	struct tm tm;
	time_t now = time(NULL);
	void *screen;
	int ret = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scanner") && i + 1 < argc) {
			scanner_arg = argv[++i];
		} else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			lang = argv[++i];
		} else {
			fputs("usage: wharf scanner test [--scanner fifo:PATH|"
			      "serial:PATH|evdev[:PATH]|hidpos] [--lang en|zh_CN]\n",
			      stderr);
			return 2;
		}
	}
	if (parse_scanner(scanner_arg, &scfg, &no_scanner) < 0) {
		fprintf(stderr, "wharf scanner test: bad --scanner %s\n",
			scanner_arg);
		return 2;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		fputs("wharf: out of memory\n", stderr);
		return 1;
	}
	st->retry_fd = -1;
	st->lis_fd = -1;
	st->lang = lang;
	if (i18n_init(NULL, &err) != WH_OK)
		goto out;
	if (st->lang)
		set_language(st->lang);
	if (!no_scanner && scanner_open(&scfg, &st->scanner, &err) != WH_OK)
		goto out;
	if (localtime_r(&now, &tm)) {
		tp.today.year = tm.tm_year + 1900;
		tp.today.month = tm.tm_mon + 1;
		tp.today.day = tm.tm_mday;
	}
	runner = station_runner(st);
	st->loop = ui_loop_new(&runner);
	screen = st->loop ? scr_scantest.init(&tp, &err) : NULL;
	/* The loop owns screen from here, even when the push fails. */
	if (!screen || ui_loop_push(st->loop, &scr_scantest, screen) != WH_OK) {
		wh_error_set(&err, WH_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (st->scanner)
		ui_loop_add_fd(st->loop, scanner_fd(st->scanner), POLLIN,
			       on_scanner, st);
	if (ui_loop_run(st->loop, &why, &err) == WH_OK)
		ret = 0;
out:
	if (ret)
		fprintf(stderr, "wharf scanner test: %s\n", err.msg);
	ui_loop_free(st->loop);
	scanner_free(st->scanner);
	free(st);
	return ret;
}
