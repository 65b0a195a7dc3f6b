#include "embedded/pgcluster.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/paths.h"
#include "db/db.h"

/* The superuser initdb creates; the demo and tests connect as it. */
#define CLUSTER_SUPERUSER "wharf"

static enum wh_err join(char *dst, size_t n, const char *a, const char *b,
			struct wh_error *err)
{
	int w = snprintf(dst, n, "%s/%s", a, b);

	if (w < 0 || (size_t)w >= n)
		return wh_error_set(err, WH_ERR_INVALID, "path too long: %s/%s",
				    a, b);
	return WH_OK;
}

static bool is_executable(const char *dir, const char *prog)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, prog) >= (int)sizeof(path))
		return false;
	return access(path, X_OK) == 0;
}

/* The newest /usr/lib/postgresql/<major>/bin that has initdb. */
static enum wh_err find_bindir(char *out, size_t n, struct wh_error *err)
{
	const char *env = getenv("WHARF_PG_BINDIR");
	const char *root = "/usr/lib/postgresql";
	DIR *d;
	struct dirent *e;
	long best = -1;

	if (env && *env) {
		if (!is_executable(env, "initdb"))
			return wh_error_set(err, WH_ERR_NOT_FOUND,
				"WHARF_PG_BINDIR=%s has no initdb", env);
		if (snprintf(out, n, "%s", env) >= (int)n)
			return wh_error_set(err, WH_ERR_INVALID,
					    "WHARF_PG_BINDIR is too long");
		return WH_OK;
	}
	d = opendir(root);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			char bin[PATH_MAX];
			char *end;
			long v = strtol(e->d_name, &end, 10);

			if (end == e->d_name || *end || v <= best)
				continue;
			if (snprintf(bin, sizeof(bin), "%s/%s/bin", root,
				     e->d_name) >= (int)sizeof(bin))
				continue;
			if (is_executable(bin, "initdb")) {
				best = v;
				snprintf(out, n, "%s", bin);
			}
		}
		closedir(d);
	}
	if (best < 0)
		return wh_error_set(err, WH_ERR_NOT_FOUND,
			"PostgreSQL server programs not found under %s: "
			"install postgresql-15 (packaging/bootstrap.sh) or set "
			"WHARF_PG_BINDIR", root);
	return WH_OK;
}

enum wh_err pgcluster_locate(const char *base, struct pgcluster *c,
			     struct wh_error *err)
{
	enum wh_err rc;

	memset(c, 0, sizeof(*c));
	if (snprintf(c->base, sizeof(c->base), "%s", base) >= (int)sizeof(c->base))
		return wh_error_set(err, WH_ERR_INVALID, "path too long: %s", base);
	if ((rc = join(c->datadir, sizeof(c->datadir), base, "pg", err)) ||
	    (rc = join(c->sockdir, sizeof(c->sockdir), base, "run", err)) ||
	    (rc = join(c->logfile, sizeof(c->logfile), base, "pg.log", err)))
		return rc;
	rc = find_bindir(c->bindir, sizeof(c->bindir), err);
	if (rc != WH_OK)
		return rc;
	if (geteuid() == 0) {
		const char *user = getenv("WHARF_PG_USER");
		struct passwd *pw;

		if (!user || !*user)
			user = "postgres";
		pw = getpwnam(user);
		if (!pw)
			return wh_error_set(err, WH_ERR_NOT_FOUND,
				"running as root, and PostgreSQL refuses root: "
				"no user '%s' to run the server as (create it, "
				"or set WHARF_PG_USER)", user);
		if (pw->pw_uid == 0)
			return wh_error_set(err, WH_ERR_INVALID,
				"WHARF_PG_USER=%s is root; PostgreSQL refuses "
				"to run as root", user);
		c->drop_privileges = true;
		c->run_uid = pw->pw_uid;
		c->run_gid = pw->pw_gid;
	} else {
		c->run_uid = geteuid();
		c->run_gid = getegid();
	}
	return WH_OK;
}

/*
 * Runs argv[0] (a path) as the cluster's user, stdin from /dev/null and
 * output appended to the cluster log, and waits for it.
 */
static enum wh_err run_program(const struct pgcluster *c, char *const argv[],
			       struct wh_error *err)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return wh_error_set(err, WH_ERR_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int log = open(c->logfile, O_WRONLY | O_APPEND | O_CREAT, 0600);

		if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(log, 1) < 0 ||
		    dup2(log, 2) < 0)
			_exit(126);
		/* The server must not inherit the terminal or our sockets. */
		closefrom(3);
		if (c->drop_privileges &&
		    (setgroups(0, NULL) != 0 || setgid(c->run_gid) != 0 ||
		     setuid(c->run_uid) != 0))
			_exit(126);
		/* pg_ctl wants a working directory its user can read. */
		if (chdir(c->base) != 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return wh_error_set(err, WH_ERR_IO, "waitpid: %s",
					    strerror(errno));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return WH_OK;
	return wh_error_set(err, WH_ERR_IO, "%s failed (%s %d); see %s",
			    argv[0],
			    WIFEXITED(status) ? "exit status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status)
					      : WTERMSIG(status),
			    c->logfile);
}

static enum wh_err make_owned_dir(const struct pgcluster *c, const char *path,
				  mode_t mode, struct wh_error *err)
{
	if (mkdir(path, mode) != 0 && errno != EEXIST)
		return wh_error_set(err, WH_ERR_IO, "mkdir %s: %s", path,
				    strerror(errno));
	if (c->drop_privileges && chown(path, c->run_uid, c->run_gid) != 0)
		return wh_error_set(err, WH_ERR_IO, "chown %s: %s", path,
				    strerror(errno));
	if (chmod(path, mode) != 0)
		return wh_error_set(err, WH_ERR_IO, "chmod %s: %s", path,
				    strerror(errno));
	return WH_OK;
}

static enum wh_err prepare_dirs(const struct pgcluster *c, struct wh_error *err)
{
	enum wh_err rc;
	int fd;

	rc = paths_mkdir_p(c->base, 0755, err);
	if (rc != WH_OK)
		return rc;
	if ((rc = make_owned_dir(c, c->datadir, 0700, err)) ||
	    (rc = make_owned_dir(c, c->sockdir, 0700, err)))
		return rc;
	fd = open(c->logfile, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd < 0)
		return wh_error_set(err, WH_ERR_IO, "open %s: %s", c->logfile,
				    strerror(errno));
	if (c->drop_privileges && fchown(fd, c->run_uid, c->run_gid) != 0) {
		close(fd);
		return wh_error_set(err, WH_ERR_IO, "chown %s: %s", c->logfile,
				    strerror(errno));
	}
	close(fd);
	return WH_OK;
}

static enum wh_err write_config(const struct pgcluster *c, struct wh_error *err)
{
	char path[PATH_MAX];
	enum wh_err rc;
	FILE *f;

	rc = join(path, sizeof(path), c->datadir, "postgresql.conf", err);
	if (rc != WH_OK)
		return rc;
	f = fopen(path, "a");
	if (!f)
		return wh_error_set(err, WH_ERR_IO, "open %s: %s", path,
				    strerror(errno));
	/* Unix socket only: a private cluster is not on the network. */
	fprintf(f, "\n# added by wharf\n"
		   "listen_addresses = ''\n"
		   "unix_socket_directories = '%s'\n"
		   "max_connections = 120\n"
		   "shared_buffers = 128MB\n"
		   "log_line_prefix = '%%m [%%p] %%q%%u@%%d '\n",
		c->sockdir);
	if (c->fast_unsafe)
		fputs("fsync = off\nsynchronous_commit = off\n"
		      "full_page_writes = off\n", f);
	if (fclose(f) != 0)
		return wh_error_set(err, WH_ERR_IO, "write %s: %s", path,
				    strerror(errno));
	return WH_OK;
}

enum wh_err pgcluster_init(const struct pgcluster *c, struct wh_error *err)
{
	char initdb[PATH_MAX];
	char version[PATH_MAX];
	char datadir[PATH_MAX];
	enum wh_err rc;

	rc = prepare_dirs(c, err);
	if (rc != WH_OK)
		return rc;
	if ((rc = join(version, sizeof(version), c->datadir, "PG_VERSION", err)))
		return rc;
	if (access(version, F_OK) == 0)
		return WH_OK;
	if ((rc = join(initdb, sizeof(initdb), c->bindir, "initdb", err)))
		return rc;
	snprintf(datadir, sizeof(datadir), "%s", c->datadir);
	{
		char *argv[] = { initdb, "-D", datadir, "-U", CLUSTER_SUPERUSER,
				 "-A", "trust", "-E", "UTF8",
				 "--locale=C.UTF-8", "--no-instructions",
				 c->fast_unsafe ? "--no-sync" : NULL, NULL };

		rc = run_program(c, argv, err);
	}
	if (rc != WH_OK) {
		wh_error_prefix(err, "initdb");
		return rc;
	}
	return write_config(c, err);
}

/* The postmaster's pid from the pid file, or 0. */
static pid_t read_pid(const struct pgcluster *c)
{
	char path[PATH_MAX];
	char line[32];
	FILE *f;
	long pid = 0;

	if (snprintf(path, sizeof(path), "%s/postmaster.pid", c->datadir) >=
	    (int)sizeof(path))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f)) {
		char *end;

		pid = strtol(line, &end, 10);
		if (end == line || pid <= 0)
			pid = 0;
	}
	fclose(f);
	return (pid_t)pid;
}

bool pgcluster_running(const struct pgcluster *c)
{
	char path[64];
	char comm[32] = "";
	pid_t pid = read_pid(c);
	FILE *f;

	if (pid <= 0 || (kill(pid, 0) != 0 && errno != EPERM))
		return false;
	/* A stale pid file may name a pid reused by something else. */
	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strncmp(comm, "postgres", 8) == 0;
}

enum wh_err pgcluster_start(const struct pgcluster *c, struct wh_error *err)
{
	char pg_ctl[PATH_MAX];
	char datadir[PATH_MAX];
	char logfile[PATH_MAX];
	enum wh_err rc;

	if (pgcluster_running(c))
		return WH_OK;
	rc = pgcluster_init(c, err);
	if (rc != WH_OK)
		return rc;
	if ((rc = join(pg_ctl, sizeof(pg_ctl), c->bindir, "pg_ctl", err)))
		return rc;
	snprintf(datadir, sizeof(datadir), "%s", c->datadir);
	snprintf(logfile, sizeof(logfile), "%s", c->logfile);
	{
		char *argv[] = { pg_ctl, "start", "-D", datadir, "-l", logfile,
				 "-w", "-t", "120", "-s", NULL };

		rc = run_program(c, argv, err);
	}
	if (rc != WH_OK)
		wh_error_prefix(err, "starting PostgreSQL in %s", c->datadir);
	return rc;
}

enum wh_err pgcluster_stop(const struct pgcluster *c, struct wh_error *err)
{
	pid_t pid = read_pid(c);

	if (!pgcluster_running(c))
		return WH_OK;
	/* SIGINT is PostgreSQL's fast shutdown: abort sessions, checkpoint. */
	if (kill(pid, SIGINT) != 0)
		return wh_error_set(err, WH_ERR_IO, "kill %ld: %s", (long)pid,
				    strerror(errno));
	for (int i = 0; i < 1200; i++) {
		if (kill(pid, 0) != 0 && errno == ESRCH)
			return WH_OK;
		usleep(50 * 1000);
	}
	return wh_error_set(err, WH_ERR_IO,
			    "PostgreSQL (pid %ld) did not stop within 60 s",
			    (long)pid);
}

/* Appends s to buf as a libpq conninfo value in single quotes. */
static void quote_value(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 >= n)
		return;
	buf[len++] = '\'';
	for (; *s && len + 3 < n; s++) {
		if (*s == '\'' || *s == '\\')
			buf[len++] = '\\';
		buf[len++] = *s;
	}
	buf[len++] = '\'';
	buf[len] = '\0';
}

void pgcluster_conninfo(const struct pgcluster *c, const char *dbname,
			char *buf, size_t n)
{
	size_t len;

	snprintf(buf, n, "host=");
	quote_value(buf, n, c->sockdir);
	len = strlen(buf);
	snprintf(buf + len, n - len, " user=" CLUSTER_SUPERUSER " dbname=");
	quote_value(buf, n, dbname);
}

enum wh_err pgcluster_ensure_database(const struct pgcluster *c,
				      const char *dbname,
				      struct wh_error *err)
{
	char conninfo[PATH_MAX + 128];
	const char *params[] = { dbname };
	struct db *db;
	struct db_result *r = NULL;
	enum wh_err rc;

	pgcluster_conninfo(c, "postgres", conninfo, sizeof(conninfo));
	rc = db_connect(conninfo, &db, err);
	if (rc != WH_OK)
		return rc;
	rc = db_exec(db,
		     "SELECT format('CREATE DATABASE %I', $1::text) "
		     "WHERE NOT EXISTS (SELECT 1 FROM pg_database "
		     "WHERE datname = $1::text)",
		     1, params, &r, err);
	if (rc == WH_OK && db_result_rows(r) == 1)
		rc = db_exec(db, db_result_text(r, 0, 0), 0, NULL, NULL, err);
	db_result_free(r);
	db_close(db);
	return rc;
}
