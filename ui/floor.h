/*
 * floor.h - what the floor screens (pick, receive, putaway, count, move,
 * stock lookup, wave release) share: the typed/scanned input line, a scan
 * taken apart (GS1 or plain), the status message, and small drawing
 * helpers. Pure: no I/O, no curses.
 *
 * Every floor screen works without a scanner: text typed into the input
 * line and Enter is handled exactly like a scan from the keyboard, with
 * "<GS>" standing for the GS1 group separator; the bracketed and
 * parenthesised GS1 forms ("[01]...[10]LOT") work as typed.
 */
#ifndef WHARF_UI_FLOOR_H
#define WHARF_UI_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/gs1.h"
#include "domain/scan_classify.h"
#include "ui/canvas.h"
#include "ui/screen.h"

struct ui_req;

#define FLOOR_INPUT_MAX 128
#define FLOOR_CODE_MAX 64
#define FLOOR_MSG_MAX 256

struct floor_input {
	char s[FLOOR_INPUT_MAX + 1];
};

/*
 * Editing keys for the input line: a printable character is appended,
 * Backspace erases the last character. True when the key was one of them
 * (a character that does not fit beeps).
 */
bool floor_input_key(struct floor_input *in, int key, struct ui_effects *fx);
void floor_input_clear(struct floor_input *in);
bool floor_input_empty(const struct floor_input *in);

/* A scan taken apart. */
struct floor_scan {
	enum scan_class_kind kind;
	bool gs1;                       /* it carried GS1 AIs */
	char code[FLOOR_CODE_MAX + 1];  /* the GTIN-14, else the plain text */
	char lot[SCAN_LOT_MAX + 1];     /* AI 10, "" none */
	char expiry[11];                /* AI 17 "YYYY-MM-DD", "" none */
	bool has_count;                 /* AI 37, else AI 30 */
	long count;
};

/*
 * Parses a scan's bytes (keyboard: typed, so "<GS>" is the separator).
 * today is for the GS1 century rule. False for an empty scan, one with
 * control or non-printable bytes outside GS1, or a code longer than
 * FLOOR_CODE_MAX; out is then zeroed.
 */
bool floor_scan_parse(const unsigned char *data, size_t len, bool keyboard,
		      const struct gs1_date *today, struct floor_scan *out);

/* The status line: a message, good or bad. */
struct floor_msg {
	char text[FLOOR_MSG_MAX];
	bool err;
};

void floor_msg_set(struct floor_msg *m, bool err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void floor_msg_clear(struct floor_msg *m);

/*
 * The message of a failed database call, made safe to draw: sanitised,
 * and an engine refusal ("REASON_CODE: words") in the user's language
 * (ui/refusal.h); one of a format we do not know loses its "REASON_CODE: "
 * prefix and keeps the engine's English words (they name what is
 * expected). msg NULL or "": fallback.
 */
void floor_msg_db(struct floor_msg *m, const char *msg, const char *fallback);

/*
 * Asks for database call r (the effect owns it from now on) under tag and
 * remembers tag in *pending; when r is NULL (out of memory) says so on m
 * with an error beep instead.
 */
void floor_call(struct floor_msg *m, int *pending, struct ui_effects *fx,
		int tag, struct ui_req *r);

/* A fresh operation id into op (n >= ENGINE_OP_ID_SIZE); "" when none
 * could be made, which the engine then refuses. */
void floor_new_op(char *op, size_t n);

/* Whether a SKU with this lot control ("none", "fifo", "fefo") needs a
 * lot on every scan. */
bool floor_needs_lot(const char *lot_control);

/* The units one scan stands for: the barcode's pack size times the GS1
 * count when the scan carried one. */
long floor_scan_units(int32_t pack_qty, bool has_count, long count);

/*
 * Reads the typed line (cleared either way) or a scan event into *out.
 * When it cannot be read, says "Not a readable code" on m with an error
 * beep and returns false.
 */
bool floor_read_typed(struct floor_input *in, const struct gs1_date *today,
		      struct floor_msg *m, struct ui_effects *fx,
		      struct floor_scan *out);
bool floor_read_scan(const struct ui_scan *scan, const struct gs1_date *today,
		     struct floor_msg *m, struct ui_effects *fx,
		     struct floor_scan *out);

/* A sanitised copy of untrusted src into dst (cap bytes, NUL-ended). */
void floor_copy(char *dst, size_t cap, const char *src);

/* "1..max" as a number; false when s is not one. */
bool floor_parse_qty(const char *s, long max, long *out);

/* Is s a date "YYYY-MM-DD" or "YYMMDD" (GS1 style)? On success writes
 * the ISO form into iso[11]. */
bool floor_parse_date(const char *s, char iso[11]);

/*
 * Draws s wrapped into w columns from (x, y), at most maxlines lines;
 * returns the lines drawn. Honours the canvas' ASCII mode.
 */
int floor_wrap(struct canvas *c, int x, int y, int w, int maxlines,
	       enum ui_role role, const char *s);

/* The input row at y: "> text" with the cursor, or the dim hint when the
 * line is empty. */
void floor_draw_input(struct canvas *c, int y, const struct floor_input *in,
		      const char *hint);

/* Rows the message needs wrapped to the canvas width, 1..max (a long
 * refusal on a 20-column gun takes several). */
int floor_msg_rows(const struct canvas *c, const struct floor_msg *m,
		   int max);

/* The status rows y..y+rows-1: the message wrapped, in OK or ERR role,
 * or hint in DIM when there is no message. */
void floor_draw_msg(struct canvas *c, int y, int rows,
		    const struct floor_msg *m, const char *hint);

/* "label value" at (0, y): label dim, value normal, cut to the width. */
void floor_draw_field(struct canvas *c, int x, int y, int w,
		      const char *label, const char *value);

#endif
