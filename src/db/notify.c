/*
 * notify.c - LISTEN/NOTIFY on a connection of its own. See notify.h.
 */
#include "db/notify.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

struct db_listener {
	PGconn *conn;
};

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq's message without its trailing newline. */
static enum wh_err conn_error(PGconn *c, struct wh_error *err,
			      const char *what)
{
	const char *m = c ? PQerrorMessage(c) : "out of memory";
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	return wh_error_set(err, WH_ERR_DB, "%s: %.*s", what, (int)n, m);
}

enum wh_err db_listen(const char *conninfo, const char *channel,
		      struct db_listener **out, struct wh_error *err)
{
	struct db_listener *l;
	PGresult *res;
	char *ident, *sql;
	size_t n;
	enum wh_err rc = WH_OK;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	l->conn = PQconnectdb(conninfo ? conninfo : "");
	if (!l->conn || PQstatus(l->conn) != CONNECTION_OK) {
		rc = conn_error(l->conn, err, "cannot connect to the database");
		goto out_free;
	}
	PQsetNoticeProcessor(l->conn, quiet, NULL);
	ident = PQescapeIdentifier(l->conn, channel, strlen(channel));
	if (!ident) {
		rc = conn_error(l->conn, err, "LISTEN");
		goto out_free;
	}
	n = strlen(ident) + sizeof("LISTEN ");
	sql = malloc(n);
	if (!sql) {
		PQfreemem(ident);
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out_free;
	}
	memcpy(sql, "LISTEN ", 7);
	memcpy(sql + 7, ident, strlen(ident) + 1);
	PQfreemem(ident);
	res = PQexec(l->conn, sql);
	free(sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		PQclear(res);
		rc = conn_error(l->conn, err, "LISTEN");
		goto out_free;
	}
	PQclear(res);
	if (PQsetnonblocking(l->conn, 1) != 0) {
		rc = conn_error(l->conn, err, "LISTEN");
		goto out_free;
	}
	*out = l;
	return WH_OK;

out_free:
	db_listener_free(l);
	return rc;
}

void db_listener_free(struct db_listener *l)
{
	if (!l)
		return;
	PQfinish(l->conn);
	free(l);
}

int db_listener_fd(const struct db_listener *l)
{
	return l && l->conn ? PQsocket(l->conn) : -1;
}

enum wh_err db_listener_read(struct db_listener *l, db_notify_fn fn,
			     void *arg, struct wh_error *err)
{
	PGnotify *n;

	if (!PQconsumeInput(l->conn) || PQstatus(l->conn) != CONNECTION_OK)
		return conn_error(l->conn, err, "connection lost");
	while ((n = PQnotifies(l->conn)) != NULL) {
		if (fn)
			fn(arg, n->relname, n->extra ? n->extra : "");
		PQfreemem(n);
	}
	return WH_OK;
}
