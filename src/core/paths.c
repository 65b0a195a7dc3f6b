#include "core/paths.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum wh_err fit(int written, size_t n, struct wh_error *err)
{
	if (written < 0 || (size_t)written >= n)
		return wh_error_set(err, WH_ERR_INVALID, "data directory path too long");
	return WH_OK;
}

enum wh_err paths_data_dir(char *buf, size_t n, struct wh_error *err)
{
	const char *env = getenv("WHARF_DATA_DIR");
	const char *home;

	if (env && *env)
		return fit(snprintf(buf, n, "%s", env), n, err);
	if (geteuid() == 0)
		return fit(snprintf(buf, n, "/var/lib/wharf"), n, err);
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/')
		return fit(snprintf(buf, n, "%s/wharf", env), n, err);
	home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(geteuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return wh_error_set(err, WH_ERR_INVALID,
				    "no HOME: set WHARF_DATA_DIR");
	return fit(snprintf(buf, n, "%s/.local/share/wharf", home), n, err);
}

enum wh_err paths_mkdir_p(const char *path, unsigned mode,
			  struct wh_error *err)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return wh_error_set(err, WH_ERR_INVALID, "bad directory path");
	memcpy(tmp, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, mode) != 0 && errno != EEXIST)
			return wh_error_set(err, WH_ERR_IO, "mkdir %s: %s", tmp,
					    strerror(errno));
		tmp[i] = path[i];
	}
	return WH_OK;
}
