/*
 * i18n.h - gettext for wharf: setup, _(), run-time language switch.
 *
 * Every translatable string is a msgid in English, marked _("...") where it
 * is used or N_("...") in static tables (translated when drawn). Messages
 * are returned in UTF-8 whatever the locale's codeset (bind_textdomain_
 * codeset), since everything on the canvas is UTF-8; on a non-UTF-8 terminal
 * the canvas shows non-ASCII as '?'.
 *
 * Where the catalogues are (first that applies):
 *  1. $WHARF_LOCALEDIR;
 *  2. <directory of /proc/self/exe>/locale when it holds a zh_CN/LC_MESSAGES/
 *     wharf.mo: running from the build tree (build/wharf, build/locale);
 *  3. <directory of /proc/self/exe>/../share/locale when it holds one (an
 *     installed binary, whatever prefix its package chose);
 *  4. LOCALEDIR, the compile-time install path (<prefix>/share/locale).
 *
 * Thread safety: i18n_init() and i18n_set_language() change process-wide
 * state (the locale, the environment) and must run on the UI thread while no
 * other thread calls setlocale/getenv/gettext, i.e. at start-up or when the
 * user changes language at login before other threads are started.
 */
#ifndef WHARF_UI_I18N_H
#define WHARF_UI_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include <libintl.h>

#include "core/err.h"

#define WHARF_TEXTDOMAIN "wharf"

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * setlocale(LC_ALL, ""), then binds the "wharf" domain to the catalogue
 * directory (see above; localedir overrides the search when non-NULL) in
 * UTF-8. A failing setlocale (unknown $LANG) falls back to "C" and is not an
 * error: the UI then runs in English with the ASCII fallback.
 * Returns WH_OK or WH_ERR_NOMEM (bindtextdomain failed).
 */
enum wh_err i18n_init(const char *localedir, struct wh_error *e);

/*
 * Writes the catalogue directory per the search order above into buf
 * (size n). env is getenv("WHARF_LOCALEDIR"), exe the path of the running
 * binary (NULL: not known). Pure apart from stat(). Returns WH_OK or
 * WH_ERR_INVALID when buf is too small.
 */
enum wh_err i18n_localedir(const char *env, const char *exe, char *buf,
			   size_t n);

/*
 * Switches the UI language at run time, for a user whose preference differs
 * from the station's locale: lang is a gettext language list ("zh_CN",
 * "zh_CN:en"); NULL or "" returns to the locale's default.
 *
 * How: sets $LANGUAGE, which gettext consults before LC_MESSAGES, and calls
 * textdomain() again, which bumps glibc's catalogue generation counter
 * (_nl_msg_cat_cntr) so cached translations are looked up afresh; strings
 * already drawn change on the next redraw.
 *
 * glibc caveat: $LANGUAGE is ignored while LC_MESSAGES is the "C" or "POSIX"
 * locale. In that case this switches LC_MESSAGES to "C.UTF-8" (present on
 * every glibc >= 2.35 system and on Debian); if even that is missing it
 * returns WH_ERR_UNSUPPORTED and the language stays as it was. It does not
 * need the zh_CN locale to be installed: only our catalogue.
 * Other caveat: setenv() is not thread-safe (see above).
 */
enum wh_err i18n_set_language(const char *lang, struct wh_error *e);

/* True when the locale's character set is UTF-8 (else: ASCII fallback). */
bool i18n_utf8(void);

#endif
