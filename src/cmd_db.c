/*
 * wharf db migrate | verify | seed --demo [--scale N] [--date YYYY-MM-DD]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/parse.h"
#include "db/conninfo.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/seed.h"
#include "db/verify.h"

static void db_usage(FILE *out)
{
	fputs("usage: wharf db [--db CONNINFO] migrate\n"
	      "       wharf db [--db CONNINFO] verify\n"
	      "       wharf db [--db CONNINFO] seed --demo [--scale N] "
	      "[--date YYYY-MM-DD]\n", out);
}

static int fail(const char *what, const struct wh_error *err)
{
	fprintf(stderr, "wharf db %s: %s\n", what, err->msg);
	return 1;
}

static int run_migrate(struct db *db)
{
	struct migrate_report rep;
	struct wh_error err;

	if (db_migrate_builtin(db, &rep, &err) != WH_OK)
		return fail("migrate", &err);
	printf("migrations: %d applied, %d already in place; schema at %s\n",
	       rep.applied, rep.already, rep.last[0] ? rep.last : "(none)");
	return 0;
}

static void print_violation(void *ctx, const char *check, const char *detail)
{
	(void)ctx;
	printf("FAIL %-26s %s\n", check, detail);
}

static int run_verify(struct db *db)
{
	struct wh_error err;
	int violations;

	if (db_verify(db, print_violation, NULL, &violations, &err) != WH_OK)
		return fail("verify", &err);
	if (violations) {
		printf("verify: %d violation%s\n", violations,
		       violations == 1 ? "" : "s");
		return 1;
	}
	puts("verify: every invariant holds");
	return 0;
}

static int run_seed(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "demo", no_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct seed_report rep;
	struct wh_error err;
	const char *date = NULL;
	bool demo = false;
	long scale = 1;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			demo = true;
			break;
		case 's':
			if (!parse_long(optarg, 1, 1000, &scale)) {
				fprintf(stderr, "wharf db seed: --scale takes "
					"a whole number from 1 to 1000\n");
				return 2;
			}
			break;
		case 't':
			date = optarg;
			break;
		default:
			db_usage(stderr);
			return 2;
		}
	}
	if (!demo) {
		fputs("wharf db seed: only --demo data exists; say --demo\n",
		      stderr);
		return 2;
	}
	if (db_seed_demo(db, (int)scale, date, &rep, &err) != WH_OK)
		return fail("seed", &err);
	printf("seeded: %ld warehouses, %ld locations, %ld SKUs, %ld lots, "
	       "%ld ledger rows, %ld shops, %ld users, %ld orders\n",
	       rep.warehouses, rep.locations, rep.skus, rep.lots,
	       rep.stock_moves, rep.shops, rep.users, rep.orders);
	return 0;
}

int cmd_db(int argc, char **argv)
{
	char conninfo[4096];
	const char *explicit = NULL;
	struct wh_error err;
	struct db *db;
	int rc, i = 1;

	if (i + 1 < argc && !strcmp(argv[i], "--db")) {
		explicit = argv[i + 1];
		i += 2;
	}
	if (i >= argc || !strcmp(argv[i], "--help")) {
		db_usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	if (strcmp(argv[i], "migrate") && strcmp(argv[i], "verify") &&
	    strcmp(argv[i], "seed")) {
		fprintf(stderr, "wharf db: unknown action '%s'\n", argv[i]);
		db_usage(stderr);
		return 2;
	}
	if (db_resolve_conninfo(explicit, conninfo, sizeof(conninfo), &err) ||
	    db_connect(conninfo, &db, &err))
		return fail(argv[i], &err);
	if (!strcmp(argv[i], "migrate"))
		rc = run_migrate(db);
	else if (!strcmp(argv[i], "verify"))
		rc = run_verify(db);
	else
		rc = run_seed(db, argc - i, argv + i);
	db_close(db);
	return rc;
}
