/*
 * i18n.c - gettext setup and run-time language switch. See i18n.h.
 */
#include "ui/i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/* The catalogue a build tree always has (ui/po builds zh_CN). */
#define PROBE_MO "zh_CN/LC_MESSAGES/" WHARF_TEXTDOMAIN ".mo"

static enum wh_err put(char *buf, size_t n, const char *a, size_t alen,
		       const char *b)
{
	int k = snprintf(buf, n, "%.*s%s", (int)alen, a, b);

	return k < 0 || (size_t)k >= n ? WH_ERR_INVALID : WH_OK;
}

enum wh_err i18n_localedir(const char *env, const char *exe, char *buf,
			   size_t n)
{
	const char *slash;
	struct stat st;

	if (env && env[0])
		return put(buf, n, env, strlen(env), "");
	slash = exe ? strrchr(exe, '/') : NULL;
	if (slash) {
		size_t dlen = (size_t)(slash - exe) + 1;

		if (put(buf, n, exe, dlen, "locale/" PROBE_MO) == WH_OK &&
		    stat(buf, &st) == 0)
			return put(buf, n, exe, dlen, "locale");
		/* An installed binary, <prefix>/bin/wharf, whatever the
		 * prefix the package chose (/usr for the .deb). */
		if (put(buf, n, exe, dlen, "../share/locale/" PROBE_MO) ==
			    WH_OK && stat(buf, &st) == 0)
			return put(buf, n, exe, dlen, "../share/locale");
	}
	return put(buf, n, LOCALEDIR, strlen(LOCALEDIR), "");
}

enum wh_err i18n_init(const char *localedir, struct wh_error *e)
{
	char dir[PATH_MAX], exe[PATH_MAX];
	ssize_t k;

	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C");
	if (localedir) {
		if (put(dir, sizeof(dir), localedir, strlen(localedir), ""))
			return wh_error_set(e, WH_ERR_INVALID,
					    "locale directory too long");
	} else {
		k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[k > 0 ? k : 0] = '\0';
		if (i18n_localedir(getenv("WHARF_LOCALEDIR"),
				   k > 0 ? exe : NULL, dir, sizeof(dir)))
			return wh_error_set(e, WH_ERR_INVALID,
					    "locale directory too long");
	}
	if (!bindtextdomain(WHARF_TEXTDOMAIN, dir) ||
	    !bind_textdomain_codeset(WHARF_TEXTDOMAIN, "UTF-8") ||
	    !textdomain(WHARF_TEXTDOMAIN))
		return wh_error_set(e, WH_ERR_NOMEM, "cannot bind text domain");
	return WH_OK;
}

/* glibc ignores $LANGUAGE under the "C" locale (see i18n.h). */
static bool messages_are_c(void)
{
	const char *l = setlocale(LC_MESSAGES, NULL);

	return !l || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0;
}

enum wh_err i18n_set_language(const char *lang, struct wh_error *e)
{
	const char *dom;

	if (lang && lang[0]) {
		if (messages_are_c() && !setlocale(LC_MESSAGES, "C.UTF-8"))
			return wh_error_set(e, WH_ERR_UNSUPPORTED,
					    "no C.UTF-8 locale: cannot "
					    "switch language under C");
		if (setenv("LANGUAGE", lang, 1) != 0)
			return wh_error_set(e, WH_ERR_NOMEM,
					    "cannot set LANGUAGE");
	} else if (unsetenv("LANGUAGE") != 0) {
		return wh_error_set(e, WH_ERR_INVALID, "cannot unset LANGUAGE");
	}
	/* Re-selecting the domain invalidates gettext's cache. */
	dom = textdomain(NULL);
	if (!dom || !textdomain(dom))
		return wh_error_set(e, WH_ERR_NOMEM, "textdomain failed");
	return WH_OK;
}

bool i18n_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
