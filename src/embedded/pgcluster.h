/*
 * pgcluster.h - a private PostgreSQL cluster that wharf starts itself.
 *
 * Used by `wharf demo`, the test harness and the benchmarks. The cluster
 * lives under one base directory:
 *
 *	<base>/pg/      the data directory (initdb)
 *	<base>/run/     the Unix socket directory (mode 0700): no TCP at all
 *	<base>/pg.log   the server log
 *
 * PostgreSQL refuses to run as root, so when wharf runs as root the server
 * runs as an unprivileged user (WHARF_PG_USER, default "postgres") that owns
 * pg/ and run/. Authentication is trust, which is safe only because nobody
 * but that user (and root) can reach the socket directory.
 *
 * A cluster is stopped through its own pid file (<base>/pg/postmaster.pid):
 * wharf never touches a server it did not start.
 */
#ifndef WHARF_EMBEDDED_PGCLUSTER_H
#define WHARF_EMBEDDED_PGCLUSTER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

struct pgcluster {
	char base[PATH_MAX];
	char datadir[PATH_MAX];
	char sockdir[PATH_MAX];
	char logfile[PATH_MAX];
	char bindir[PATH_MAX];   /* where initdb, pg_ctl, postgres live */
	bool drop_privileges;    /* run server programs as run_uid/run_gid */
	uid_t run_uid;
	gid_t run_gid;
	bool fast_unsafe;        /* fsync off: throwaway test clusters only */
};

/*
 * Fills *c for the cluster under base (created if missing). Finds the
 * server binaries (WHARF_PG_BINDIR, else the newest
 * /usr/lib/postgresql/<n>/bin) and, when running as root, the user to run
 * them as. Nothing is started.
 */
enum wh_err pgcluster_locate(const char *base, struct pgcluster *c,
			     struct wh_error *err);

/* Creates the data directory with initdb unless it already holds one. */
enum wh_err pgcluster_init(const struct pgcluster *c, struct wh_error *err);

/* Starts the server (waiting until it accepts connections) unless it is
 * already running. Initializes first when needed. */
enum wh_err pgcluster_start(const struct pgcluster *c, struct wh_error *err);

/* Stops the server named by the pid file (fast shutdown) and waits for it
 * to exit. A cluster that is not running is not an error. */
enum wh_err pgcluster_stop(const struct pgcluster *c, struct wh_error *err);

/* True when the pid file names a live postmaster. */
bool pgcluster_running(const struct pgcluster *c);

/* Writes a libpq connection string for database dbname into buf. */
void pgcluster_conninfo(const struct pgcluster *c, const char *dbname,
			char *buf, size_t n);

/* Creates database dbname if it does not exist yet. */
enum wh_err pgcluster_ensure_database(const struct pgcluster *c,
				      const char *dbname,
				      struct wh_error *err);

#endif
