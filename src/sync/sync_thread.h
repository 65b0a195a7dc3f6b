/*
 * sync_thread.h - the sync loop (sync_loop.h) on a background thread of
 * an interactive process: the demo, or a station run with --sync.
 *
 * Any number of processes may run one; only the holder of the sync lock
 * works, and another takes over when it stops (see sync_loop.h).
 *
 *	struct sync_thread t;
 *	struct sync_config cfg = { .conninfo = ci, .log_level = SYNC_LOG_INFO };
 *	if (sync_thread_start(&t, &cfg, "/var/lib/wharf/sync.log", &err))
 *		...
 *	...
 *	sync_thread_stop(&t);   // returns once the loop has finished
 */
#ifndef WHARF_SYNC_SYNC_THREAD_H
#define WHARF_SYNC_SYNC_THREAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "sync/sync_loop.h"

struct sync_thread {
	pthread_t thread;
	atomic_bool stop;
	struct sync_config cfg; /* a copy; its strings stay borrowed */
	FILE *log;              /* owned; NULL: silent */
	bool running;
};

/*
 * Starts sync_run() with a copy of cfg (its conninfo must outlive the
 * thread) on a new thread, logging to log_path (appended, mode 0600) or
 * nowhere when it is NULL. cfg's stop and log are the thread's own.
 */
enum wh_err sync_thread_start(struct sync_thread *t,
			      const struct sync_config *cfg,
			      const char *log_path, struct wh_error *err);

/* Asks the loop to stop and waits for it. A thread never started, or
 * already stopped, is a no-op. */
void sync_thread_stop(struct sync_thread *t);

#endif
