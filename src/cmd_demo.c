/*
 * wharf demo [--stop] [--no-ui] [--scale N]
 *
 * The embedded default: a private PostgreSQL cluster in wharf's data
 * directory, created on first use and reused after, migrated, loaded with
 * the demo warehouse when empty, then the station UI on it. --stop stops
 * that cluster through its pid file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/parse.h"
#include "core/paths.h"
#include "db/conninfo.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/seed.h"
#include "embedded/pgcluster.h"

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
	if (!ui) {
		printf("wharf demo: ready; connect with: wharf --db \"%s\"\n",
		       conninfo);
		return 0;
	}
	{
		char *station_argv[] = { "station", "--db", conninfo, NULL };

		return cmd_station(3, station_argv);
	}
fail:
	fprintf(stderr, "wharf demo: %s\n", err.msg);
	return 1;
}
