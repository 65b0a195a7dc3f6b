/*
 * hidpos_report.h - HID POS (usage page 0x8C) report handling, pure.
 *
 * Input layout (Honeywell-style, see reference/hardware.md section 1):
 * byte 0 report id (2), byte 1 data length (<= 56), bytes 2-4 AIM id,
 * bytes 5-60 data, byte 63 bit 0 "decode data continued": the next
 * report carries more of the same scan. Reports are 64 bytes.
 *
 * Ownership: the caller owns struct hidpos_asm and the event buffers.
 */
#ifndef WHARF_DRIVERS_HIDPOS_REPORT_H
#define WHARF_DRIVERS_HIDPOS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner/scanner.h"

#define HIDPOS_REPORT_LEN 64
#define HIDPOS_DATA_MAX 56
#define HIDPOS_USAGE_PAGE 0x8c
/*
 * Output (trigger) report 4. Bit order follows the usage order of the
 * POS tables (Prevent Read, Initiate Read, Error Beep, Good Read Beep);
 * unverified on real hardware.
 */
#define HIDPOS_OUT_REPORT_ID 4
#define HIDPOS_OUT_ERROR_BEEP 0x04
#define HIDPOS_OUT_GOOD_BEEP 0x08

/* Joins "continued" reports into one scan. */
struct hidpos_asm {
	uint8_t report_id;
	bool active;
	char aim[4];
	size_t len, total;
	unsigned char data[SCAN_DATA_MAX];
};

enum hidpos_result {
	HIDPOS_MORE,  /* part of a scan; more reports follow */
	HIDPOS_EVENT, /* *ev holds a SCAN or an ERROR */
};

/* report_id 0 means 2. */
void hidpos_asm_init(struct hidpos_asm *a, uint8_t report_id);

/*
 * Feeds one input report (report id first, n bytes as transferred).
 * A wrong id, a short report or a length byte > 56 gives an ERROR event
 * (and drops any half-joined scan, reported in the same error). A scan
 * longer than SCAN_DATA_MAX gives an ERROR with total_len once its last
 * report is in.
 */
enum hidpos_result hidpos_asm_feed(struct hidpos_asm *a,
				   const unsigned char *r, size_t n,
				   uint64_t now_ms, struct scan_event *ev);

/*
 * The device went away mid-scan: true and an ERROR in *ev if a joined
 * scan was incomplete; resets the assembler either way.
 */
bool hidpos_asm_abort(struct hidpos_asm *a, uint64_t now_ms,
		      struct scan_event *ev);

/* True if the HID report descriptor declares usage page 0x8C. */
bool hidpos_rdesc_is_pos(const unsigned char *d, size_t n);

/* Writes the beep output report; returns its length (2). */
size_t hidpos_beep_report(bool good, unsigned char *out, size_t size);

#endif
