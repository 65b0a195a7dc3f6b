/*
 * wharf - a warehouse-floor terminal for e-commerce fulfilment.
 *
 * One binary, many subcommands (DESIGN.md section 2); with none it opens
 * the station's terminal UI on the configured database.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "demo", cmd_demo, "start the embedded demo warehouse and open it" },
	{ "db", cmd_db, "migrate | verify | seed the database" },
	{ "cluster", cmd_cluster, "init | start | stop | status a private PostgreSQL" },
	{ "station", cmd_station, "open the station UI (the default)" },
	{ "sync", cmd_sync, "run the platform sync loop (headless)" },
	{ "scan", cmd_scan, "decode: a barcode scan (GS1, AIM id) as JSON" },
	{ "scanner", cmd_scanner, "listen: show raw scan events from a scanner" },
	{ "label", cmd_label, "types | render | print shipping and bin labels" },
};

static void usage(FILE *out)
{
	fputs("usage: wharf [--db CONNINFO] [SUBCOMMAND [ARGS]]\n\n", out);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].help);
	fputs("\nwharf SUBCOMMAND --help for its options.\n"
	      "The database is --db, else $WHARF_DB, else libpq's PG* "
	      "variables,\nelse the running demo cluster.\n", out);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "--help") ||
				  !strcmp(argv[1], "-h"))) {
			usage(stdout);
			return 0;
		}
		/* `wharf` or `wharf --db ...`: the station itself. */
		argv[0] = "station";
		return cmd_station(argc, argv);
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "wharf: unknown subcommand '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
