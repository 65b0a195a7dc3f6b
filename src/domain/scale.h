/*
 * scale.h - weights: a parcel scale's serial line and a typed weight, as
 * grams. Pure functions, no I/O (the serial port is
 * drivers/printer/scale_serial.h).
 *
 * The serial protocol is the common "continuous output" of bench scales
 * (A&D, and most Chinese platform scales), one line per reading:
 *
 *     ST,GS,+  1.250kg      stable, gross, +1.250 kg
 *     US,NT,-    12g        unstable, net
 *     OL,GS,+  9.999kg      overload
 *
 * header 1: ST stable, US unstable, OL overload; header 2: GS gross, NT
 * net, TR tare (a tare line is not a parcel weight); value: sign, blanks,
 * digits with at most one decimal point; unit kg, g or lb (lb is turned
 * into grams). Trailing CR/LF and blanks are ignored. The configurable
 * part (struct scale_format) is which unit a bare number means and
 * whether a net reading is accepted.
 */
#ifndef WHARF_DOMAIN_SCALE_H
#define WHARF_DOMAIN_SCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCALE_MAX_G 150000 /* 150 kg: more is a misread, not a parcel */

enum scale_status {
	SCALE_OK,       /* a stable weight in grams */
	SCALE_UNSTABLE, /* a weight, still moving */
	SCALE_OVERLOAD,
	SCALE_NEGATIVE, /* below zero (tare larger than the load) */
	SCALE_TARE,     /* a TR line */
	SCALE_BAD,      /* not a reading */
};

struct scale_format {
	bool accept_net; /* NT lines count (default true) */
	bool bare_grams; /* a value without unit is grams (default kg) */
};

struct scale_reading {
	enum scale_status status;
	int32_t grams; /* rounded to the gram; valid for OK and UNSTABLE */
	bool net;
};

/* fmt NULL: the defaults. Fills *out and returns out->status. */
enum scale_status scale_parse_line(const char *line, size_t len,
				   const struct scale_format *fmt,
				   struct scale_reading *out);

/*
 * A weight typed by the packer: "1.25" (kg), "1.25kg", "850g", "0.5 kg".
 * True and *grams (1..SCALE_MAX_G) on success.
 */
bool scale_parse_typed(const char *s, int32_t *grams);

/* "1.250 kg" for 1250: into buf[n]. */
void scale_format_kg(int32_t grams, char *buf, size_t n);

#endif
