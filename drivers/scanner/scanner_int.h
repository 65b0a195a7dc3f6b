/*
 * scanner_int.h - what drivers share with scanner.c. Not for callers
 * outside drivers/scanner.
 *
 * A driver fills an ops table. The handle owns an epoll descriptor
 * (scanner_fd()) into which it puts the queue's eventfd and whatever
 * descriptors the driver registers with scanner_watch(); a driver's
 * pump() reads them without blocking and pushes events. Drivers own
 * their priv state and free it in close().
 */
#ifndef WHARF_DRIVERS_SCANNER_INT_H
#define WHARF_DRIVERS_SCANNER_INT_H

#include "drivers/scanner/scan_queue.h"
#include "drivers/scanner/scanner.h"
#include "drivers/scanner/wedge.h"

struct scanner;

struct scanner_ops {
	enum wh_err (*open)(struct scanner *s, struct wh_error *e);
	/* Reads what is ready, pushes events. Never blocks. May be NULL. */
	void (*pump)(struct scanner *s);
	/* NULL: the device cannot beep. */
	enum wh_err (*beep)(struct scanner *s, bool good, struct wh_error *e);
	/* Undoes open(); called once, also after a failed open(). */
	void (*close)(struct scanner *s);
};

struct scanner {
	struct scanner_config cfg;
	const struct scanner_ops *ops;
	enum scan_source src;
	int epfd;
	struct scan_queue q;
	void *priv;
};

extern const struct scanner_ops scanner_wedge_ops;
extern const struct scanner_ops scanner_evdev_ops;
extern const struct scanner_ops scanner_hidpos_ops;
extern const struct scanner_ops scanner_serial_ops;
extern const struct scanner_ops scanner_fifo_ops;

/* Adds/removes fd to the handle's epoll set (EPOLLIN). */
enum wh_err scanner_watch(struct scanner *s, int fd, struct wh_error *e);
void scanner_unwatch(struct scanner *s, int fd);

void scanner_push(struct scanner *s, const struct scan_event *ev);

/* Pushes a CONNECT/DISCONNECT/ERROR event with a message. */
void scanner_push_status(struct scanner *s, enum scan_kind kind,
			 enum wh_err err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * A byte stream cut into events by a wedge, with a timerfd that wakes
 * the loop at the wedge's deadline.
 */
struct scan_framer {
	struct scanner *s;
	struct wedge *w;
	int tfd;
};

/* all_scans: a dedicated device (every terminated run is a scan). */
enum wh_err scan_framer_init(struct scan_framer *f, struct scanner *s,
			     bool all_scans, struct wh_error *e);
void scan_framer_feed(struct scan_framer *f, const unsigned char *p,
		      size_t n);
/* Handles an expired deadline; call from pump(). */
void scan_framer_tick(struct scan_framer *f);
/* End of the stream: delivers anything held. */
void scan_framer_flush(struct scan_framer *f);
void scan_framer_destroy(struct scan_framer *f);

/* A periodic timerfd for reconnect attempts; -1 on failure. */
int scanner_retry_timer_new(unsigned period_ms);
/* True (and consumed) if the timer fired. */
bool scanner_timer_fired(int tfd);

#endif
