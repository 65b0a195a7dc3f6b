#include "db/conninfo.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/paths.h"
#include "embedded/pgcluster.h"

static enum wh_err copy(char *buf, size_t n, const char *s,
			struct wh_error *err)
{
	if (snprintf(buf, n, "%s", s) >= (int)n)
		return wh_error_set(err, WH_ERR_INVALID,
				    "connection string too long");
	return WH_OK;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

enum wh_err db_resolve_conninfo(const char *explicit, char *buf, size_t n,
				struct wh_error *err)
{
	char base[PATH_MAX];
	struct pgcluster c;

	if (explicit)
		return copy(buf, n, explicit, err);
	if (env_set("WHARF_DB"))
		return copy(buf, n, getenv("WHARF_DB"), err);
	if (env_set("PGSERVICE") || env_set("PGHOST") || env_set("PGDATABASE"))
		return copy(buf, n, "", err);
	if (paths_data_dir(base, sizeof(base), NULL) == WH_OK &&
	    pgcluster_locate(base, &c, NULL) == WH_OK && pgcluster_running(&c)) {
		pgcluster_conninfo(&c, DEMO_DATABASE, buf, n);
		return WH_OK;
	}
	return copy(buf, n, "", err);
}
