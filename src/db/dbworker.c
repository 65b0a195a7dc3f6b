/*
 * dbworker.c - a database thread with a request queue. See dbworker.h.
 *
 * One mutex guards both queues and the counters; the thread waits on
 * `work` for requests, dbworker_wait() on `done_cv` for completions. The
 * eventfd is written and drained under the mutex, so it is readable
 * exactly while the done queue is not empty.
 */
#include "db/dbworker.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct job {
	struct job *next;
	struct dbworker_done d;
};

struct jobq {
	struct job *head, **tail;
};

struct dbworker {
	struct dbworker_ops ops;
	char *conninfo;
	struct db *db; /* the worker thread's only */
	int efd;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, done_cv;
	/* under mu: */
	struct jobq queued, done;
	unsigned outstanding; /* submitted, not taken */
	bool stopping;
	bool reconnect; /* close db before the next job */
};

static void q_init(struct jobq *q)
{
	q->head = NULL;
	q->tail = &q->head;
}

static void q_push(struct jobq *q, struct job *j)
{
	j->next = NULL;
	*q->tail = j;
	q->tail = &j->next;
}

static struct job *q_pop(struct jobq *q)
{
	struct job *j = q->head;

	if (j) {
		q->head = j->next;
		if (!q->head)
			q->tail = &q->head;
	}
	return j;
}

bool dbworker_conn_lost(enum wh_err rc, const struct wh_error *e)
{
	return rc == WH_ERR_DB && (!e->sqlstate[0] ||
				   strncmp(e->sqlstate, "08", 2) == 0 ||
				   strncmp(e->sqlstate, "57P", 3) == 0);
}

static void run_job(struct dbworker *w, struct job *j, bool fresh)
{
	struct dbworker_done *d = &j->d;

	if (fresh) {
		db_close(w->db);
		w->db = NULL;
	}
	if (!w->db &&
	    db_connect(w->conninfo, &w->db, &d->e) != WH_OK) {
		w->db = NULL;
		d->err = WH_ERR_DB;
		d->e.sqlstate[0] = '\0'; /* reads as a lost connection */
		return;
	}
	d->err = w->ops.run(w->ops.ctx, w->db, d->req, &d->result, &d->e);
	if (d->err == WH_OK)
		return;
	if (d->e.code == WH_OK)
		d->e.code = d->err;
	if (dbworker_conn_lost(d->err, &d->e)) {
		db_close(w->db);
		w->db = NULL;
	}
}

static void *worker_main(void *arg)
{
	struct dbworker *w = arg;
	const uint64_t one = 1;
	struct job *j;
	bool fresh;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stopping && !w->queued.head)
			pthread_cond_wait(&w->work, &w->mu);
		if (w->stopping)
			break;
		j = q_pop(&w->queued);
		fresh = w->reconnect;
		w->reconnect = false;
		pthread_mutex_unlock(&w->mu);
		run_job(w, j, fresh);
		pthread_mutex_lock(&w->mu);
		q_push(&w->done, j);
		/* under mu, so take() sees the fd and the queue agree */
		while (write(w->efd, &one, sizeof(one)) < 0 && errno == EINTR)
			;
		pthread_cond_broadcast(&w->done_cv);
	}
	pthread_mutex_unlock(&w->mu);
	db_close(w->db);
	w->db = NULL;
	return NULL;
}

enum wh_err dbworker_start(const struct dbworker_ops *ops,
			   const char *conninfo, struct db *db,
			   struct dbworker **out, struct wh_error *err)
{
	struct dbworker *w;
	enum wh_err ret;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w) {
		ret = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out_close;
	}
	w->conninfo = strdup(conninfo ? conninfo : "");
	if (!w->conninfo) {
		ret = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out_free;
	}
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0) {
		ret = wh_error_set(err, WH_ERR_IO, "eventfd: %s",
				   strerror(errno));
		goto out_free_conninfo;
	}
	w->ops = *ops;
	w->db = db;
	q_init(&w->queued);
	q_init(&w->done);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done_cv, NULL);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc) {
		ret = wh_error_set(err, WH_ERR_IO, "pthread_create: %s",
				   strerror(rc));
		pthread_cond_destroy(&w->done_cv);
		pthread_cond_destroy(&w->work);
		pthread_mutex_destroy(&w->mu);
		close(w->efd);
		goto out_free_conninfo;
	}
	*out = w;
	return WH_OK;

out_free_conninfo:
	free(w->conninfo);
out_free:
	free(w);
out_close:
	db_close(db);
	return ret;
}

enum wh_err dbworker_submit(struct dbworker *w, uint64_t tag, void *req,
			    struct wh_error *err)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	j->d.tag = tag;
	j->d.req = req;
	pthread_mutex_lock(&w->mu);
	q_push(&w->queued, j);
	w->outstanding++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	return WH_OK;
}

int dbworker_fd(const struct dbworker *w)
{
	return w->efd;
}

/* Pops a completion under mu; drains the fd when the queue empties. */
static bool pop_done(struct dbworker *w, struct dbworker_done *out)
{
	struct job *j = q_pop(&w->done);
	uint64_t n;

	if (!w->done.head)
		while (read(w->efd, &n, sizeof(n)) < 0 && errno == EINTR)
			;
	if (!j)
		return false;
	w->outstanding--;
	*out = j->d;
	free(j);
	return true;
}

bool dbworker_take(struct dbworker *w, struct dbworker_done *out)
{
	bool ok;

	pthread_mutex_lock(&w->mu);
	ok = pop_done(w, out);
	pthread_mutex_unlock(&w->mu);
	return ok;
}

bool dbworker_wait(struct dbworker *w, struct dbworker_done *out)
{
	bool ok;

	pthread_mutex_lock(&w->mu);
	while (!w->done.head && w->outstanding)
		pthread_cond_wait(&w->done_cv, &w->mu);
	ok = pop_done(w, out);
	pthread_mutex_unlock(&w->mu);
	return ok;
}

void dbworker_reconnect(struct dbworker *w)
{
	pthread_mutex_lock(&w->mu);
	w->reconnect = true;
	pthread_mutex_unlock(&w->mu);
}

unsigned dbworker_outstanding(struct dbworker *w)
{
	unsigned n;

	pthread_mutex_lock(&w->mu);
	n = w->outstanding;
	pthread_mutex_unlock(&w->mu);
	return n;
}

static void free_job(struct dbworker *w, struct job *j)
{
	if (j->d.req && w->ops.free_req)
		w->ops.free_req(w->ops.ctx, j->d.req);
	else
		free(j->d.req);
	if (j->d.result && w->ops.free_result)
		w->ops.free_result(w->ops.ctx, j->d.result);
	else
		free(j->d.result);
	free(j);
}

void dbworker_stop(struct dbworker *w)
{
	struct job *j;

	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	/* the thread is gone: nobody else touches the queues now */
	while ((j = q_pop(&w->queued)))
		free_job(w, j);
	while ((j = q_pop(&w->done)))
		free_job(w, j);
	pthread_cond_destroy(&w->done_cv);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mu);
	close(w->efd);
	free(w->conninfo);
	free(w);
}
