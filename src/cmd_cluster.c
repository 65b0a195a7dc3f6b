/*
 * wharf cluster [--dir DIR] [--fast] init | start | stop | status | conninfo
 *
 * Manages a private PostgreSQL cluster (src/embedded/pgcluster.h). The demo
 * uses wharf's data directory; the test harness and the benchmarks pass
 * their own --dir. --fast turns fsync off: for throwaway test clusters.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/paths.h"
#include "db/conninfo.h"
#include "embedded/pgcluster.h"

static void cluster_usage(FILE *out)
{
	fputs("usage: wharf cluster [--dir DIR] [--fast] "
	      "init|start|stop|status|conninfo [DBNAME]\n", out);
}

int cmd_cluster(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "fast", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char base[PATH_MAX] = "";
	char conninfo[PATH_MAX + 128];
	struct pgcluster c;
	struct wh_error err;
	const char *action;
	bool fast = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			snprintf(base, sizeof(base), "%s", optarg);
			break;
		case 'f':
			fast = true;
			break;
		case 'h':
			cluster_usage(stdout);
			return 0;
		default:
			cluster_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		cluster_usage(stderr);
		return 2;
	}
	action = argv[optind];
	if (!base[0] && paths_data_dir(base, sizeof(base), &err) != WH_OK)
		goto fail;
	if (pgcluster_locate(base, &c, &err) != WH_OK)
		goto fail;
	c.fast_unsafe = fast;
	if (!strcmp(action, "init")) {
		if (pgcluster_init(&c, &err) != WH_OK)
			goto fail;
	} else if (!strcmp(action, "start")) {
		if (pgcluster_start(&c, &err) != WH_OK ||
		    pgcluster_ensure_database(&c, DEMO_DATABASE, &err) != WH_OK)
			goto fail;
	} else if (!strcmp(action, "stop")) {
		if (pgcluster_stop(&c, &err) != WH_OK)
			goto fail;
	} else if (!strcmp(action, "status")) {
		bool up = pgcluster_running(&c);

		printf("%s: %s\n", c.datadir, up ? "running" : "stopped");
		return up ? 0 : 3;
	} else if (!strcmp(action, "conninfo")) {
		pgcluster_conninfo(&c, optind + 1 < argc ? argv[optind + 1]
							 : DEMO_DATABASE,
				   conninfo, sizeof(conninfo));
		puts(conninfo);
	} else {
		fprintf(stderr, "wharf cluster: unknown action '%s'\n", action);
		cluster_usage(stderr);
		return 2;
	}
	return 0;
fail:
	fprintf(stderr, "wharf cluster %s: %s\n", action, err.msg);
	return 1;
}
