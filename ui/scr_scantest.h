/*
 * scr_scantest.h - the scanner test screen: every scan as it arrives.
 *
 * For each UI_EV_SCAN it shows the source (fifo, serial, keyboard...), the
 * AIM identifier, the raw bytes made visible (<GS>, <CR>, \xNN, as in
 * `wharf scanner listen`), and what gs1_parse() and scan_classify() (with
 * the default rules) make of it: the form, the class, and each element
 * with its AI and typed value, or the parser's error. Nothing is sent to
 * the database.
 *
 * Without a scanner: typed text + Enter is handled as a scan from source
 * "keyboard", where "<GS>" stands for the GS separator; the bracketed and
 * parenthesised forms ("[01]09506000134352[10]AB12") work as typed.
 * Keys: Enter submit, Esc clear the line (or close when it is empty),
 * F10 close, Backspace.
 *
 * Layouts: 20x16 and 40x8 wrap the details to the width (what does not fit
 * is cut); 80x24 also lists the previous scans.
 */
#ifndef WHARF_UI_SCR_SCANTEST_H
#define WHARF_UI_SCR_SCANTEST_H

#include <stddef.h>

#include "domain/gs1.h"
#include "ui/screen.h"

#define SCANTEST_INPUT_MAX 256
#define SCANTEST_HISTORY 8

struct scantest_params {
	struct gs1_date today; /* for the GS1 century rule; required */
};

extern const struct ui_screen_ops scr_scantest;

/*
 * The details of one scan, as the screen shows them: lines separated by
 * '\n', malloc()ed, owned by the caller (NULL when out of memory).
 */
char *scantest_describe(const struct ui_scan *scan,
			const struct gs1_date *today, unsigned long seq);

/* Scans seen, and the latest details ("" before the first), for tests. */
unsigned long scantest_count(const void *state);
const char *scantest_latest(const void *state);

#endif
