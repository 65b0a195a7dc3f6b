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
 * Database calls run synchronously inside db_call (LAN latency; the loop
 * accepts an answer given before db_call returns). PGCONNECT_TIMEOUT caps
 * a reconnect attempt when it is not set already.
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
#include "db/notify.h"
#include "db/summary.h"
#include "drivers/scanner/scanner.h"
#include "pack_req.h"
#include "station_req.h"
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
	struct db *db;             /* NULL while offline */
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
	      "    else the station's printer_uri in the database.\n", f);
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
	db_close(st->db);
	st->db = NULL;
	if (st->loop)
		ui_loop_set_banner(st->loop, station_text_offline());
	arm_retry(st, true);
}

/* Connects both connections; false (and offline) when the server is not
 * there. */
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

static int on_retry(void *arg, struct ui_loop *loop, int fd, short rev)
{
	struct station *st = arg;
	struct wh_error err = { 0 };
	uint64_t n;

	(void)rev;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return 0;
	if (!st->offline || !connect_all(st, &err))
		return 0;
	st->offline = false;
	arm_retry(st, false);
	watch_listener(st);
	ui_loop_set_banner(loop, NULL);
	ui_loop_flash(loop, station_text_back_online());
	return 0;
}

/* A database error: is the connection gone? */
static bool connection_lost(enum wh_err rc, const struct wh_error *err)
{
	return rc == WH_ERR_DB && (!err->sqlstate[0] ||
				   strncmp(err->sqlstate, "08", 2) == 0 ||
				   strncmp(err->sqlstate, "57P", 3) == 0);
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

/* --- database requests ----------------------------------------------- */

static void set_language(const char *lang)
{
	struct wh_error e = { 0 };

	/* a language we cannot switch to leaves the previous one: the
	 * screens still work, in that language */
	i18n_set_language(lang, &e);
}

/* The station's id for the engine's audit trail; 0 when unknown. */
static int64_t station_id_of(struct station *st)
{
	const char *params[] = { st->code };
	struct wh_error err = { 0 };
	struct db_result *r;
	int64_t id = 0;

	if (db_exec(st->db, "SELECT id FROM wharf.station WHERE code = $1", 1,
		    params, &r, &err) != WH_OK)
		return 0;
	if (db_result_rows(r) == 1)
		id = db_result_int64(r, 0, 0);
	db_result_free(r);
	return id;
}

static enum wh_err do_login(struct station *st, const struct ui_req *r,
			    struct ui_login_result **out, struct wh_error *err)
{
	const char *params[] = { r->who, r->pin, st->code };
	struct ui_login_result *res;
	struct db_result *dr;
	enum wh_err rc;

	rc = db_exec(st->db,
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

	memset(&st->s, 0, sizeof(st->s));
	st->s.active = true;
	st->s.user_id = res->user_id;
	snprintf(st->s.name, sizeof(st->s.name), "%s", res->display_name);
	snprintf(st->s.role, sizeof(st->s.role), "%s", res->role);
	snprintf(st->s.language, sizeof(st->s.language), "%s", res->language);
	st->s.roles = login_role_bits(res->role);
	st->s.warehouse_id = res->warehouse_id;
	st->s.station_id = station_id_of(st);
	set_language(res->language);
	*out = res;
	return WH_OK;
}

static enum wh_err do_logout(struct station *st, const char *reason,
			     struct wh_error *err)
{
	char uid[32];
	const char *params[] = { uid, st->code, reason };
	struct wh_error local = { 0 };
	enum wh_err rc;

	if (!err)
		err = &local;
	if (!st->s.active)
		return WH_OK;
	snprintf(uid, sizeof(uid), "%lld", (long long)st->s.user_id);
	st->s.active = false;
	st->idle_logout = strcmp(reason, "idle") == 0;
	if (!st->db)
		return wh_error_set(err, WH_ERR_DB, "%s", station_text_no_db());
	rc = db_exec(st->db, "SELECT wharf.logout($1, $2, $3)", 3, params,
		     NULL, err);
	if (connection_lost(rc, err))
		go_offline(st);
	return rc;
}

static enum wh_err station_db_call(void *ctx, struct ui_loop *loop,
				   uint64_t id, void *request,
				   struct wh_error *e)
{
	struct station *st = ctx;
	struct ui_req *r = request;
	struct wh_error err = { 0 };
	void *result = NULL;
	enum wh_err rc;

	if (!r)
		return wh_error_set(e, WH_ERR_INVALID, "no request");
	if (r->kind == UI_REQ_LOGOUT) {
		rc = do_logout(st, r->reason, &err);
		ui_req_free(r);
		ui_loop_db_done(loop, id, rc, &err, NULL);
		return WH_OK;
	}
	if (!st->db) {
		ui_req_free(r);
		return wh_error_set(e, WH_ERR_DB, "%s", station_text_no_db());
	}
	switch (r->kind) {
	case UI_REQ_LOGIN:
		rc = do_login(st, r, (struct ui_login_result **)&result, &err);
		break;
	case UI_REQ_SUMMARY:
		result = malloc(sizeof(struct stock_summary));
		rc = result ? db_stock_summary(st->db, result, &err)
			    : wh_error_set(&err, WH_ERR_NOMEM,
					   "out of memory");
		break;
	default:
		if (station_req_is_floor(r->kind) && st->s.active) {
			struct station_actor a = {
				.user_id = st->s.user_id,
				.station_id = st->s.station_id,
				.warehouse_id = st->s.warehouse_id,
				.lang = st->s.language,
				.count_threshold = st->count_threshold,
			};

			rc = station_req_run(st->db, &a, r, &result, &err);
			break;
		}
		rc = wh_error_set(&err, WH_ERR_INVALID, "unknown request");
		break;
	}
	ui_req_free(r);
	if (rc != WH_OK) {
		free(result);
		result = NULL;
		if (connection_lost(rc, &err))
			go_offline(st);
	}
	ui_loop_db_done(loop, id, rc, &err, result);
	return WH_OK;
}

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
	if (!no_scanner &&
	    scanner_open(&scfg, &st->scanner, &err) != WH_OK) {
		/* the keyboard still works: say so on screen and go on */
		snprintf(st->scanner_msg, sizeof(st->scanner_msg), "%s: %s",
			 station_text_scanner(), err.msg);
		st->scanner = NULL;
	}
	for (;;) {
		rc = run_session(st, &why, &err);
		do_logout(st, why == UI_QUIT_LOGOUT ? "user" : "exit", NULL);
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
