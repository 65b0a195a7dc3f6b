/*
 * refusal.h - the engine's refusals in the user's language.
 *
 * The engine refuses in English with a stable reason code, "CODE: words"
 * (src/db/engine.h), the words written by a RAISE EXCEPTION format of
 * sql/migrations/ whose '%' are filled with values from the database and
 * from scans:
 *
 *     WRONG_LOCATION: expected A-01-02-1, scanned B-01
 *
 * A table holds one row per such format: the code, the engine's words
 * with their '%' (exactly as in the SQL, "%%" a literal '%'), and a
 * translatable msgid with one "%s" per '%', in the same order:
 *
 *     { "WRONG_LOCATION", "expected %, scanned %",
 *       N_("Wrong bin: expected %s, scanned %s") }
 *
 * A message matches a row when its code is the row's and the words match
 * the format's literal parts exactly, the '%' taking what lies between
 * them; the values so taken are parameters, never formats: they are put
 * into the (translated) msgid as data. A message that matches no row, or
 * matches in more than one way (a scanned value holding the format's own
 * words), is not translated: the caller shows the engine's English words
 * as before.
 *
 * tests/db/test_refusal_coverage.c fails when the migrated database can
 * raise a 'CODE: ...' format that no row covers.
 *
 * Pure apart from gettext(): no I/O, no curses, no global state of ours.
 * gettext() follows the process' language (ui/i18n.h), so call from the
 * UI thread. Every argument is borrowed.
 */
#ifndef WHARF_UI_REFUSAL_H
#define WHARF_UI_REFUSAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Parameters of one format, at most. */
#define REFUSAL_PARAMS_MAX 4
/* Bytes of one parameter and its NUL: a longer value is cut (at a UTF-8
 * boundary, marked with an ellipsis). */
#define REFUSAL_PARAM_SIZE 128
/* Longer messages are not matched (the engine's are < WH_ERROR_MSG_MAX). */
#define REFUSAL_MSG_MAX (2 * WH_ERROR_MSG_MAX)

struct refusal_format {
	const char *code;   /* "WRONG_LOT": the reason code, no colon */
	const char *format; /* the engine's words after "CODE: ", '%' each */
	const char *msgid;  /* N_() text, "%s" for each '%', same order */
};

/* The table: *n rows, static, in no particular order. */
const struct refusal_format *refusal_formats(size_t *n);

/* The words of "CODE: words" (after the code and ": "); msg itself when
 * it has no such code prefix, NULL for NULL. */
const char *refusal_words(const char *msg);

/* A message taken apart. */
struct refusal {
	const struct refusal_format *row;
	size_t n; /* parameters */
	/* each sanitised (no control or escape byte, valid UTF-8) */
	char param[REFUSAL_PARAMS_MAX][REFUSAL_PARAM_SIZE];
};

/*
 * Matches msg against the table. True when exactly one row matches it in
 * exactly one way; *out then holds the row and the parameters. Rows of the
 * same code may overlap ("scanned %" and "scanned unknown lot %"): the row
 * with the most literal text wins, a tie is no match. False for NULL, "",
 * a message without a known "CODE: " prefix, one longer than
 * REFUSAL_MSG_MAX, or out of memory; *out is then zeroed.
 */
bool refusal_parse(const char *msg, struct refusal *out);

/*
 * Expands fmt into buf (cap bytes, always NUL-terminated when cap > 0,
 * never cut inside a UTF-8 sequence): "%s" takes the next parameter,
 * "%N$s" parameter N (1-based), "%%" is '%'. The parameters are copied as
 * they are. False, with buf "", for any other directive or a parameter
 * that does not exist: a catalogue is data too, and a broken translation
 * must not reach vsnprintf().
 */
bool refusal_expand(char *buf, size_t cap, const char *fmt,
		    const char *const *params, size_t n);

/*
 * msg in the user's language: the matching row's msgid, translated with
 * gettext, with its parameters; the English msgid when the translation is
 * broken. Written into buf (cap bytes, cut at a UTF-8 boundary). False,
 * with buf "" (cap > 0), when msg matches no row: the caller falls back
 * to the engine's words.
 *   refusal_translate("WRONG_LOCATION: expected A-01, scanned B-1", b, n)
 *     -> "Wrong bin: expected A-01, scanned B-1"
 *     -> "库位错误：应为 A-01，扫描为 B-1" (zh_CN)
 */
bool refusal_translate(const char *msg, char *buf, size_t cap);

#endif
