/*
 * wharf [station] [--db CONNINFO]: the station's terminal UI.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "db/conninfo.h"
#include "db/db.h"
#include "ui/scr_summary.h"

int cmd_station(int argc, char **argv)
{
	char conninfo[4096];
	const char *explicit = NULL;
	struct wh_error err;
	struct db *db;
	enum wh_err rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			explicit = argv[++i];
		} else {
			fprintf(stderr, "usage: wharf [station] [--db CONNINFO]\n");
			return 2;
		}
	}
	if (db_resolve_conninfo(explicit, conninfo, sizeof(conninfo), &err) ||
	    db_connect(conninfo, &db, &err)) {
		fprintf(stderr, "wharf: %s\n", err.msg);
		return 1;
	}
	rc = summary_run(db, &err);
	db_close(db);
	if (rc != WH_OK) {
		fprintf(stderr, "wharf: %s\n", err.msg);
		return 1;
	}
	return 0;
}
