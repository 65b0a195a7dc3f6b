/*
 * wharf demo [--stop] [--no-ui] [--scale N]
 *
 * The embedded default: a private PostgreSQL cluster in wharf's data
 * directory, created on first use and reused after, migrated, loaded with
 * the demo warehouse when empty; then the platform simulator
 * (wharf-platform-sim, next to this binary) on an ephemeral loopback port
 * with a modest order rate, every demo shop pointed at it, the sync loop
 * in a background thread of this process (its own connection; its log in
 * the data directory), and the station UI on top. --stop stops the
 * simulator and the cluster through their pid files.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "core/parse.h"
#include "core/paths.h"
#include "db/conninfo.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/seed.h"
#include "embedded/pgcluster.h"
#include "sync/sync_thread.h"

extern char **environ;

#define SIM_PIDFILE "platform-sim.pid"
#define SIM_OUTFILE "platform-sim.out"
#define SYNC_LOGFILE "sync.log"
#define DEMO_ORDER_RATE "2" /* orders per shop per minute */

static void demo_usage(FILE *out)
{
	fputs("usage: wharf demo [--scale N] [--no-ui]\n"
	      "       wharf demo --stop\n", out);
}

/* Migrates and, when empty, seeds; prints what it did. */
static enum wh_err prepare_database(const char *conninfo, int scale,
				    struct wh_error *err)
{
	struct migrate_report mig;
	struct seed_report seed;
	struct db *db;
	bool empty;
	enum wh_err rc;

	rc = db_connect(conninfo, &db, err);
	if (rc != WH_OK)
		return rc;
	rc = db_migrate_builtin(db, &mig, err);
	if (rc == WH_OK && mig.applied)
		printf("wharf demo: applied %d migration%s\n", mig.applied,
		       mig.applied == 1 ? "" : "s");
	if (rc == WH_OK)
		rc = db_is_empty(db, &empty, err);
	if (rc == WH_OK && empty) {
		printf("wharf demo: loading the demo warehouse (scale %d)...\n",
		       scale);
		fflush(stdout);
		rc = db_seed_demo(db, scale, NULL, &seed, err);
		if (rc == WH_OK)
			printf("wharf demo: %ld warehouses, %ld locations, %ld "
			       "SKUs, %ld lots, %ld ledger rows, %ld orders\n",
			       seed.warehouses, seed.locations, seed.skus,
			       seed.lots, seed.stock_moves, seed.orders);
	}
	db_close(db);
	return rc;
}

static void data_file(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

/* Stops the simulator named by the pid file, if it is running. */
static void stop_sim(const char *dir)
{
	char path[PATH_MAX + 32], line[32];
	long pid;
	FILE *f;

	data_file(path, sizeof(path), dir, SIM_PIDFILE);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_long(line, 2, INT_MAX, &pid) &&
		    kill((pid_t)pid, SIGTERM) == 0) {
			/* It removes its pid file on the way out. */
			for (int i = 0; i < 50 && kill((pid_t)pid, 0) == 0;
			     i++) {
				struct timespec ts = { 0, 100000000L };

				nanosleep(&ts, NULL);
			}
			printf("wharf demo: stopped the platform simulator\n");
		}
	}
	fclose(f);
	unlink(path);
}

/*
 * Starts wharf-platform-sim from the directory of this binary, on an
 * ephemeral loopback port, and writes "http://127.0.0.1:PORT" into url.
 */
static enum wh_err start_sim(const char *dir, char *url, size_t n,
			     struct wh_error *err)
{
	char self[PATH_MAX], bin[PATH_MAX + 32], pidf[PATH_MAX + 32];
	char out[PATH_MAX + 32];
	char *argv[] = { bin, "--port", "0", "--rate", DEMO_ORDER_RATE,
			 "--initial-orders", "40", "--pidfile", pidf, NULL };
	posix_spawn_file_actions_t fa;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	pid_t pid;
	int rc;

	if (len <= 0)
		return wh_error_set(err, WH_ERR_IO, "cannot find this binary");
	self[len] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(bin, sizeof(bin), "%s/wharf-platform-sim", self);
	if (access(bin, X_OK))
		return wh_error_set(err, WH_ERR_NOT_FOUND, "no %s", bin);
	stop_sim(dir);
	data_file(pidf, sizeof(pidf), dir, SIM_PIDFILE);
	data_file(out, sizeof(out), dir, SIM_OUTFILE);
	unlink(out);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, out,
					 O_WRONLY | O_APPEND, 0600);
	rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return wh_error_set(err, WH_ERR_IO, "starting %s: %s", bin,
				    strerror(rc));
	/* The first line it prints is "LISTENING 127.0.0.1:PORT". */
	for (int i = 0; i < 100; i++) {
		char line[128] = "";
		FILE *f = fopen(out, "r");
		struct timespec ts = { 0, 50000000L };

		if (f) {
			bool got = fgets(line, sizeof(line), f) &&
				   !strncmp(line, "LISTENING ", 10);

			fclose(f);
			if (got) {
				line[strcspn(line, "\r\n")] = '\0';
				snprintf(url, n, "http://%s", line + 10);
				return WH_OK;
			}
		}
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGTERM);
	return wh_error_set(err, WH_ERR_IO, "the platform simulator did not "
			    "start; see %s", out);
}

/* Points every demo shop (demo: credentials) at the simulator. */
static enum wh_err point_shops(const char *conninfo, const char *url,
			       struct wh_error *err)
{
	const char *params[1] = { url };
	struct db *db;
	enum wh_err rc = db_connect(conninfo, &db, err);

	if (rc)
		return rc;
	rc = db_exec(db, "UPDATE wharf.shop SET api_base_url = $1 || '/' || "
			 "code WHERE credentials_ref LIKE 'demo:%'",
		     1, params, NULL, err);
	db_close(db);
	return rc;
}

/* The demo's sync thread: the simulator's limits are its defaults x10. */
static enum wh_err demo_sync_start(struct sync_thread *t, const char *dir,
				   const char *conninfo, struct wh_error *err)
{
	char path[PATH_MAX + 32];
	struct sync_config cfg = {
		.conninfo = conninfo,
		.log_level = SYNC_LOG_INFO,
		.rate_scale = 10,
	};

	data_file(path, sizeof(path), dir, SYNC_LOGFILE);
	return sync_thread_start(t, &cfg, path, err);
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stop", no_argument, NULL, 's' },
		{ "no-ui", no_argument, NULL, 'n' },
		{ "scale", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char base[PATH_MAX];
	char conninfo[PATH_MAX + 128];
	char sim_url[96];
	struct sync_thread sync;
	struct pgcluster c;
	struct wh_error err;
	bool stop = false, ui = true;
	long scale = 1;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			stop = true;
			break;
		case 'n':
			ui = false;
			break;
		case 'S':
			if (!parse_long(optarg, 1, 1000, &scale)) {
				fputs("wharf demo: --scale takes 1..1000\n", stderr);
				return 2;
			}
			break;
		case 'h':
			demo_usage(stdout);
			return 0;
		default:
			demo_usage(stderr);
			return 2;
		}
	}
	if (paths_data_dir(base, sizeof(base), &err) != WH_OK ||
	    pgcluster_locate(base, &c, &err) != WH_OK)
		goto fail;
	if (stop) {
		stop_sim(base);
		if (pgcluster_stop(&c, &err) != WH_OK)
			goto fail;
		printf("wharf demo: stopped the cluster in %s\n", c.datadir);
		return 0;
	}
	if (!pgcluster_running(&c)) {
		printf("wharf demo: starting a private PostgreSQL in %s%s\n",
		       c.datadir, c.drop_privileges ? " (as an unprivileged user)" : "");
		fflush(stdout);
	}
	if (pgcluster_start(&c, &err) != WH_OK ||
	    pgcluster_ensure_database(&c, DEMO_DATABASE, &err) != WH_OK)
		goto fail;
	pgcluster_conninfo(&c, DEMO_DATABASE, conninfo, sizeof(conninfo));
	if (prepare_database(conninfo, (int)scale, &err) != WH_OK)
		goto fail;
	if (start_sim(base, sim_url, sizeof(sim_url), &err) != WH_OK ||
	    point_shops(conninfo, sim_url, &err) != WH_OK)
		goto fail;
	printf("wharf demo: platform simulator on %s\n", sim_url);
	if (!ui) {
		printf("wharf demo: ready; connect with: wharf --db \"%s\"\n"
		       "wharf demo: sync orders with: wharf sync --db \"%s\" "
		       "--rate-scale 10\n", conninfo, conninfo);
		return 0;
	}
	if (demo_sync_start(&sync, base, conninfo, &err) != WH_OK)
		goto fail;
	{
		char *station_argv[] = { "station", "--db", conninfo, NULL };
		int rc = cmd_station(3, station_argv);

		sync_thread_stop(&sync);
		stop_sim(base);
		return rc;
	}
fail:
	fprintf(stderr, "wharf demo: %s\n", err.msg);
	return 1;
}
