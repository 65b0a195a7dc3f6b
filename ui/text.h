/*
 * text.h - display text: UTF-8 decoding, column widths, truncation,
 * wrapping, padding, sanitising untrusted text, ASCII fallback.
 *
 * Pure functions: no I/O, no locale, no global state, safe from any thread.
 *
 * Widths come from our own table (text_width.inc, generated from glibc's
 * wcwidth() for Unicode 15 by ui/tools/gen_width.c), not from wcwidth() at
 * run time, because:
 *  - wcwidth() answers -1 for every non-ASCII character when the station runs
 *    under the C or a non-UTF-8 locale, and that is exactly when we still need
 *    widths (a CJK name becomes "??", two '?' per character);
 *  - switching the locale per call (uselocale) in the draw path is slow and
 *    easy to get wrong with threads;
 *  - tests get the same answer on every machine.
 * East Asian "ambiguous" characters (box drawing, '…', '█') are narrow, as in
 * glibc and xterm's default.
 *
 * Ownership: every returned char * is malloc()ed, NUL-terminated UTF-8 that
 * belongs to the caller (free()); NULL means out of memory. Input strings are
 * borrowed and need not be valid UTF-8: invalid sequences count as U+FFFD
 * (width 1) everywhere.
 */
#ifndef WHARF_UI_TEXT_H
#define WHARF_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TEXT_REPLACEMENT 0xFFFDu /* shown for invalid UTF-8 */

enum text_flags {
	/* Non-ASCII is shown as one '?' per column ("仓库" -> "????"). */
	TEXT_ASCII = 1u << 0,
	/* text_truncate/text_pad: mark a cut with '…' ('~' with TEXT_ASCII). */
	TEXT_ELLIPSIS = 1u << 1,
	/* text_sanitize: keep line breaks as '\n' instead of turning them into
	 * spaces (for remarks that text_wrap will lay out). */
	TEXT_KEEP_NEWLINES = 1u << 2,
};

enum text_align {
	TEXT_LEFT,
	TEXT_RIGHT,
	TEXT_CENTER,
};

/*
 * Decodes the character at s (n > 0 bytes available) into *cp and returns
 * the bytes it occupies (1..4). An invalid or truncated sequence yields
 * U+FFFD and consumes its maximal ill-formed prefix (at least one byte), as
 * the Unicode standard recommends, so decoding always makes progress.
 * Returns 0 only when n == 0.
 */
size_t text_decode(const char *s, size_t n, uint32_t *cp);

/* Encodes cp into out; returns 1..4, or 0 for a surrogate or cp > 0x10FFFF. */
size_t text_encode(uint32_t cp, char out[4]);

/*
 * Columns cp occupies on a terminal: 2 for East Asian wide and fullwidth
 * characters and emoji, 0 for combining marks and format characters, -1 for
 * C0/C1 controls and DEL (never drawn), 1 otherwise.
 */
int text_cp_width(uint32_t cp);

/*
 * False for what must never reach a terminal even inside otherwise valid
 * text: C0/C1 controls, DEL, bidi embeddings/overrides/isolates, surrogates
 * and values above U+10FFFF.
 */
bool text_cp_displayable(uint32_t cp);

/* Columns of a whole string (controls count 0). s may be NULL (0). */
int text_width(const char *s);
int text_width_n(const char *s, size_t n);

/*
 * Copies s cut to at most cols columns. A character is never split and a
 * wide character that would straddle the limit is replaced by padding, so
 * when s is wider than cols the result is exactly cols wide. Combining marks
 * stay with their base. With TEXT_ELLIPSIS the last column of a cut string
 * is '…' (or '~'). cols <= 0 gives "".
 *   text_truncate("仓库A区", 4, 0)            -> "仓库"
 *   text_truncate("仓库A区", 3, 0)            -> "仓 "
 *   text_truncate("Receive", 5, TEXT_ELLIPSIS) -> "Rece…"
 */
char *text_truncate(const char *s, int cols, unsigned flags);

/* text_truncate, then padded with spaces to exactly cols columns. */
char *text_pad(const char *s, int cols, enum text_align align,
	       unsigned flags);

/* Copy of s with non-ASCII replaced by '?' per column (combining: dropped). */
char *text_to_ascii(const char *s);

/*
 * Copy of untrusted text (platform data, database rows) that is safe to put
 * on a terminal: valid UTF-8 (invalid sequences -> U+FFFD) with no C0/C1
 * control, no escape sequence (ESC and 8-bit CSI sequences, OSC/DCS/SOS/PM/
 * APC strings up to their BEL or ST terminator, or to the end when
 * unterminated) and no bidi embedding/override/isolate (U+202A-202E,
 * U+2066-2069). Tab becomes a space; CR, LF, CRLF and U+2028/2029 become a
 * space, or '\n' with TEXT_KEEP_NEWLINES. Only TEXT_KEEP_NEWLINES is used
 * from flags. s may hold n bytes with embedded NULs (they are dropped).
 *   text_sanitize("A\x1b[2JB", 6, 0) -> "AB"
 */
char *text_sanitize(const char *s, size_t n, unsigned flags);

/* Lines produced by text_wrap; both the array and each line are owned. */
struct text_lines {
	char **line;
	size_t n;
};

/*
 * Wraps s into lines of at most cols columns: breaks at spaces, between
 * CJK characters, at '\n', and inside a word only when it is wider than a
 * line. Spaces at a wrap point are dropped. A character wider than cols
 * (a CJK character with cols == 1) becomes '?'. TEXT_ASCII applies the
 * ASCII fallback to each line. On success *out holds at least one line
 * (empty for an empty s); release it with text_lines_free().
 * Returns WH_OK, WH_ERR_INVALID (cols < 1) or WH_ERR_NOMEM.
 */
enum wh_err text_wrap(const char *s, int cols, unsigned flags,
		      struct text_lines *out);

/* Frees the lines and resets *l to empty. l may be NULL. */
void text_lines_free(struct text_lines *l);

#endif
