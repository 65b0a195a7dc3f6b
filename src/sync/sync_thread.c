#include "sync/sync_thread.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void *sync_thread_main(void *p)
{
	struct sync_thread *t = p;
	struct wh_error err;

	if (sync_run(&t->cfg, &err) != WH_OK && t->log)
		fprintf(t->log, "sync stopped: %s\n", err.msg);
	return NULL;
}

enum wh_err sync_thread_start(struct sync_thread *t,
			      const struct sync_config *cfg,
			      const char *log_path, struct wh_error *err)
{
	memset(t, 0, sizeof(*t));
	if (log_path) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			      0600);

		t->log = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!t->log) {
			if (fd >= 0)
				close(fd);
			return wh_error_set(err, WH_ERR_IO,
					    "cannot open the sync log %s",
					    log_path);
		}
		setvbuf(t->log, NULL, _IOLBF, 0);
	}
	atomic_init(&t->stop, false);
	t->cfg = *cfg;
	t->cfg.log = t->log;
	t->cfg.stop = &t->stop;
	if (pthread_create(&t->thread, NULL, sync_thread_main, t)) {
		if (t->log)
			fclose(t->log);
		t->log = NULL;
		return wh_error_set(err, WH_ERR_IO,
				    "cannot start the sync thread");
	}
	t->running = true;
	return WH_OK;
}

void sync_thread_stop(struct sync_thread *t)
{
	if (!t->running)
		return;
	atomic_store(&t->stop, true);
	pthread_join(t->thread, NULL);
	if (t->log)
		fclose(t->log);
	t->log = NULL;
	t->running = false;
}
