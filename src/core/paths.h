/*
 * paths.h - where wharf keeps its files.
 */
#ifndef WHARF_CORE_PATHS_H
#define WHARF_CORE_PATHS_H

#include <stddef.h>

#include "core/err.h"

/*
 * Writes wharf's data directory into buf: $WHARF_DATA_DIR, else for root
 * /var/lib/wharf (a directory an unprivileged server user can traverse,
 * unlike /root), else $XDG_DATA_HOME/wharf, else ~/.local/share/wharf.
 * The directory is not created.
 */
enum wh_err paths_data_dir(char *buf, size_t n, struct wh_error *err);

/* mkdir -p with the given mode for the directories it creates. */
enum wh_err paths_mkdir_p(const char *path, unsigned mode,
			  struct wh_error *err);

#endif
