/*
 * scan_queue.h - the per-handle event queue between a driver and
 * scanner_next(), plus the repeat counter every event stream shares.
 *
 * Internal to drivers/scanner. The queue is lock-protected so a driver
 * thread may push while the UI thread pops; its eventfd is readable
 * exactly while the queue holds an event (level-triggered), which is
 * what makes scanner_fd() wake the UI's poll() loop.
 *
 * Ownership: push copies the event (header and len data bytes); pop
 * copies into the caller's struct. The queue owns its eventfd.
 */
#ifndef WHARF_DRIVERS_SCAN_QUEUE_H
#define WHARF_DRIVERS_SCAN_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner/scanner.h"

/* Remembers the last scan so an identical next one gets repeat = n. */
struct scan_repeat {
	bool have;
	uint32_t count;
	char aim[4];
	size_t len;
	unsigned char data[SCAN_DATA_MAX];
};

/* Sets ev->repeat (SCAN_EV_SCAN only) and updates r. */
void scan_repeat_note(struct scan_repeat *r, struct scan_event *ev);

struct scan_qnode;

struct scan_queue {
	pthread_mutex_t lock;
	struct scan_qnode *head, *tail;
	size_t count, max;
	uint64_t lost;   /* events refused while full, not yet reported */
	uint64_t seq;    /* last seq handed out */
	int evfd;        /* readable iff count > 0 */
	enum scan_source src; /* for the "events lost" error */
	struct scan_repeat rep;
};

/* max 0 means SCANNER_QUEUE_MAX. */
enum wh_err scan_queue_init(struct scan_queue *q, size_t max,
			    enum scan_source src, struct wh_error *e);
void scan_queue_destroy(struct scan_queue *q);

/*
 * Appends a copy of *ev, stamping seq and (for scans) repeat. When the
 * queue is full the event is counted as lost and reported later as one
 * SCAN_EV_ERROR. Safe from any thread.
 */
void scan_queue_push(struct scan_queue *q, const struct scan_event *ev);

/* Takes the oldest event into *ev; false if empty. Any thread. */
bool scan_queue_pop(struct scan_queue *q, struct scan_event *ev);

/* Zeroes the header of *ev and sets kind, source and time. */
void scan_event_init(struct scan_event *ev, enum scan_kind kind,
		     enum scan_source src, uint64_t now_ms);

/* Fills an ERROR/CONNECT/DISCONNECT event's msg, printf-style. */
void scan_event_msg(struct scan_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Copies n bytes into ev->data; n > SCAN_DATA_MAX keeps the first
 * SCAN_DATA_MAX and records total_len = n.
 */
void scan_event_set_data(struct scan_event *ev, const unsigned char *p,
			 size_t n);

/*
 * SCANNER_AIM_AUTO: moves a leading "]Xm" AIM identifier from data into
 * ev->aim (X a letter, m a digit or letter).
 */
void scan_event_split_aim(struct scan_event *ev);

#endif
