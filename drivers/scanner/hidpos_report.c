/*
 * hidpos_report.c - HID POS report reassembly and descriptor checks.
 */
#include "drivers/scanner/hidpos_report.h"

#include <stdio.h>
#include <string.h>

#include "drivers/scanner/scan_queue.h"

void hidpos_asm_init(struct hidpos_asm *a, uint8_t report_id)
{
	memset(a, 0, sizeof(*a));
	a->report_id = report_id ? report_id : 2;
}

static void asm_reset(struct hidpos_asm *a)
{
	a->active = false;
	a->len = 0;
	a->total = 0;
	a->aim[0] = '\0';
}

static enum hidpos_result asm_error(struct hidpos_asm *a, uint64_t now,
				    struct scan_event *ev, const char *why,
				    const unsigned char *r, size_t n)
{
	size_t lost = a->active ? a->total : 0;

	scan_event_init(ev, SCAN_EV_ERROR, SCAN_SRC_HIDPOS, now);
	ev->err = WH_ERR_INVALID;
	/* The raw report, so the operator log shows what came. */
	scan_event_set_data(ev, r, n);
	if (lost)
		scan_event_msg(ev, "%s; %zu bytes of a continued scan dropped",
			       why, lost);
	else
		scan_event_msg(ev, "%s", why);
	asm_reset(a);
	return HIDPOS_EVENT;
}

enum hidpos_result hidpos_asm_feed(struct hidpos_asm *a,
				   const unsigned char *r, size_t n,
				   uint64_t now_ms, struct scan_event *ev)
{
	char why[96];
	size_t dl, room;

	if (n < HIDPOS_REPORT_LEN) {
		snprintf(why, sizeof(why), "short report: %zu bytes", n);
		return asm_error(a, now_ms, ev, why, r, n);
	}
	if (r[0] != a->report_id) {
		snprintf(why, sizeof(why), "unexpected report id %u",
			 (unsigned)r[0]);
		return asm_error(a, now_ms, ev, why, r, n);
	}
	dl = r[1];
	if (dl > HIDPOS_DATA_MAX) {
		snprintf(why, sizeof(why), "report length byte %zu > %d", dl,
			 HIDPOS_DATA_MAX);
		return asm_error(a, now_ms, ev, why, r, n);
	}
	if (!a->active) {
		a->active = true;
		a->len = 0;
		a->total = 0;
		/* An AIM id is three printable bytes starting with ']'. */
		if (r[2] == ']' && r[3] > 0x20 && r[3] < 0x7f &&
		    r[4] > 0x20 && r[4] < 0x7f) {
			memcpy(a->aim, r + 2, 3);
			a->aim[3] = '\0';
		} else {
			a->aim[0] = '\0';
		}
	}
	room = SCAN_DATA_MAX - a->len;
	memcpy(a->data + a->len, r + 5, dl < room ? dl : room);
	a->len += dl < room ? dl : room;
	a->total += dl;
	if (r[63] & 0x01)
		return HIDPOS_MORE;

	if (a->total > SCAN_DATA_MAX) {
		scan_event_init(ev, SCAN_EV_ERROR, SCAN_SRC_HIDPOS, now_ms);
		ev->err = WH_ERR_INVALID;
		scan_event_set_data(ev, a->data, a->len);
		ev->total_len = a->total;
		scan_event_msg(ev, "scan of %zu bytes exceeds %d", a->total,
			       SCAN_DATA_MAX);
	} else {
		scan_event_init(ev, SCAN_EV_SCAN, SCAN_SRC_HIDPOS, now_ms);
		scan_event_set_data(ev, a->data, a->len);
	}
	memcpy(ev->aim, a->aim, sizeof(ev->aim));
	asm_reset(a);
	return HIDPOS_EVENT;
}

bool hidpos_asm_abort(struct hidpos_asm *a, uint64_t now_ms,
		      struct scan_event *ev)
{
	bool had = a->active;

	if (had) {
		scan_event_init(ev, SCAN_EV_ERROR, SCAN_SRC_HIDPOS, now_ms);
		ev->err = WH_ERR_IO;
		scan_event_set_data(ev, a->data, a->len);
		ev->total_len = a->total;
		memcpy(ev->aim, a->aim, sizeof(ev->aim));
		scan_event_msg(ev, "device lost in the middle of a scan");
	}
	asm_reset(a);
	return had;
}

bool hidpos_rdesc_is_pos(const unsigned char *d, size_t n)
{
	size_t i = 0, sz;
	unsigned long v;
	unsigned char b;

	while (i < n) {
		b = d[i];
		if (b == 0xfe) { /* long item: size, tag, data */
			if (i + 1 >= n)
				return false;
			i += 3 + d[i + 1];
			continue;
		}
		sz = b & 3;
		if (sz == 3)
			sz = 4;
		if (i + 1 + sz > n)
			return false;
		/* Global item, tag 0: Usage Page. */
		if ((b & 0xfc) == 0x04 && sz) {
			v = d[i + 1];
			if (sz > 1)
				v |= (unsigned long)d[i + 2] << 8;
			if (v == HIDPOS_USAGE_PAGE)
				return true;
		}
		i += 1 + sz;
	}
	return false;
}

size_t hidpos_beep_report(bool good, unsigned char *out, size_t size)
{
	if (size < 2)
		return 0;
	out[0] = HIDPOS_OUT_REPORT_ID;
	out[1] = good ? HIDPOS_OUT_GOOD_BEEP : HIDPOS_OUT_ERROR_BEEP;
	return 2;
}
