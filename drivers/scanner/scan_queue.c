/*
 * scan_queue.c - lock-protected event queue with a level-triggered
 * eventfd, and the repeat counter.
 */
#include "drivers/scanner/scan_queue.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define EV_HDR offsetof(struct scan_event, data)

/* Header copy plus only the data bytes in use: a queued scan is small. */
struct scan_qnode {
	struct scan_qnode *next;
	size_t size;
	unsigned char raw[];
};

void scan_repeat_note(struct scan_repeat *r, struct scan_event *ev)
{
	if (ev->kind != SCAN_EV_SCAN)
		return;
	if (r->have && r->len == ev->len && !strcmp(r->aim, ev->aim) &&
	    !memcmp(r->data, ev->data, ev->len)) {
		if (r->count < UINT32_MAX)
			r->count++;
	} else {
		r->have = true;
		r->count = 0;
		memcpy(r->aim, ev->aim, sizeof(r->aim));
		r->len = ev->len;
		memcpy(r->data, ev->data, ev->len);
	}
	ev->repeat = r->count;
}

enum wh_err scan_queue_init(struct scan_queue *q, size_t max,
			    enum scan_source src, struct wh_error *e)
{
	memset(q, 0, sizeof(*q));
	q->src = src;
	q->max = max ? max : SCANNER_QUEUE_MAX;
	q->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->evfd < 0)
		return wh_error_set(e, WH_ERR_IO, "eventfd: %s",
				    strerror(errno));
	if (pthread_mutex_init(&q->lock, NULL)) {
		close(q->evfd);
		q->evfd = -1;
		return wh_error_set(e, WH_ERR_NOMEM, "pthread_mutex_init");
	}
	return WH_OK;
}

void scan_queue_destroy(struct scan_queue *q)
{
	struct scan_qnode *n, *next;

	for (n = q->head; n; n = next) {
		next = n->next;
		free(n);
	}
	q->head = q->tail = NULL;
	q->count = 0;
	if (q->evfd >= 0)
		close(q->evfd);
	q->evfd = -1;
	pthread_mutex_destroy(&q->lock);
}

static void queue_signal(struct scan_queue *q)
{
	uint64_t one = 1;

	/* Only fails with EAGAIN at a counter of 2^64-2: still readable. */
	if (write(q->evfd, &one, sizeof(one)) < 0)
		return;
}

static void queue_unsignal(struct scan_queue *q)
{
	uint64_t v;

	if (read(q->evfd, &v, sizeof(v)) < 0)
		return; /* EAGAIN: already clear */
}

/* Caller holds q->lock. Returns false when out of memory. */
static bool queue_append(struct scan_queue *q, struct scan_event *ev)
{
	struct scan_qnode *n;
	size_t size = EV_HDR + ev->len;

	n = malloc(sizeof(*n) + size);
	if (!n)
		return false;
	ev->seq = ++q->seq;
	n->next = NULL;
	n->size = size;
	memcpy(n->raw, ev, size);
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	if (q->count++ == 0)
		queue_signal(q);
	return true;
}

void scan_queue_push(struct scan_queue *q, const struct scan_event *in)
{
	struct scan_event *ev;

	/* 4 KiB on the stack of a libusb thread is fine; copy to stamp. */
	ev = malloc(sizeof(*ev));
	pthread_mutex_lock(&q->lock);
	if (!ev || q->count >= q->max) {
		q->lost++;
		goto out;
	}
	memcpy(ev, in, EV_HDR + in->len);
	scan_repeat_note(&q->rep, ev);
	if (!queue_append(q, ev))
		q->lost++;
out:
	pthread_mutex_unlock(&q->lock);
	free(ev);
}

/* Caller holds q->lock: reports lost events once there is room. */
static void queue_report_lost(struct scan_queue *q)
{
	struct scan_event ev;

	if (!q->lost || q->count >= q->max)
		return;
	scan_event_init(&ev, SCAN_EV_ERROR, q->src, scanner_now_ms());
	ev.err = WH_ERR_NOMEM;
	scan_event_msg(&ev, "%llu event(s) lost: queue full or out of memory",
		       (unsigned long long)q->lost);
	if (queue_append(q, &ev))
		q->lost = 0;
}

bool scan_queue_pop(struct scan_queue *q, struct scan_event *ev)
{
	struct scan_qnode *n;

	pthread_mutex_lock(&q->lock);
	n = q->head;
	if (!n) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	q->head = n->next;
	if (!q->head)
		q->tail = NULL;
	if (--q->count == 0)
		queue_unsignal(q);
	queue_report_lost(q);
	pthread_mutex_unlock(&q->lock);
	memcpy(ev, n->raw, n->size);
	free(n);
	return true;
}

void scan_event_init(struct scan_event *ev, enum scan_kind kind,
		     enum scan_source src, uint64_t now_ms)
{
	memset(ev, 0, EV_HDR);
	ev->kind = kind;
	ev->source = src;
	ev->time_ms = now_ms;
	ev->err = WH_OK;
}

void scan_event_msg(struct scan_event *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ev->msg, sizeof(ev->msg), fmt, ap);
	va_end(ap);
}

void scan_event_set_data(struct scan_event *ev, const unsigned char *p,
			 size_t n)
{
	ev->total_len = n;
	ev->len = n > SCAN_DATA_MAX ? SCAN_DATA_MAX : n;
	if (ev->len)
		memcpy(ev->data, p, ev->len);
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

void scan_event_split_aim(struct scan_event *ev)
{
	if (ev->len < 3 || ev->data[0] != ']' || !is_alpha(ev->data[1]) ||
	    !(is_alpha(ev->data[2]) || is_digit(ev->data[2])))
		return;
	memcpy(ev->aim, ev->data, 3);
	ev->aim[3] = '\0';
	memmove(ev->data, ev->data + 3, ev->len - 3);
	ev->len -= 3;
	ev->total_len -= 3;
}
