#include "db/db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* A statement prepared on the connection, by name, with its text. */
struct db_stmt {
	struct db_stmt *next;
	char *name;
	char *sql;
};

struct db {
	PGconn *conn;
	struct db_stmt *stmts; /* prepared on conn, newest first */
};

struct db_result {
	PGresult *res;
};

enum wh_err db_sqlstate_to_err(const char *sqlstate)
{
	if (!sqlstate || strlen(sqlstate) != 5)
		return WH_ERR_DB;
	if (!strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01"))
		return WH_ERR_RETRY;
	if (!strcmp(sqlstate, "P0002"))
		return WH_ERR_NOT_FOUND;
	if (!strcmp(sqlstate, "P0001"))
		return WH_ERR_REFUSED;
	if (!strcmp(sqlstate, "42501"))
		return WH_ERR_PERM;
	if (!strncmp(sqlstate, "22", 2))
		return WH_ERR_INVALID;
	if (!strncmp(sqlstate, "23", 2))
		return WH_ERR_REFUSED;
	return WH_ERR_DB;
}

/* Copies s without its trailing newline, which libpq messages carry. */
static void copy_message(char *dst, size_t cap, const char *s)
{
	size_t n;

	if (!s)
		s = "";
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* 1-based line of the byte at 1-based position pos in sql. */
static int line_of(const char *sql, long pos)
{
	int line = 1;

	for (long i = 0; i < pos - 1 && sql[i]; i++)
		if (sql[i] == '\n')
			line++;
	return line;
}

/*
 * The single place that interprets a PGresult's status (STYLE.md, psql
 * row). Returns WH_OK for a command or rows; otherwise fills err.
 */
static enum wh_err check_result(struct db *db, PGresult *res, const char *sql,
				struct wh_error *err)
{
	const char *state;
	const char *pos;
	char msg[WH_ERROR_MSG_MAX];
	enum wh_err code;

	if (res) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
		    st == PGRES_EMPTY_QUERY)
			return WH_OK;
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		copy_message(msg, sizeof(msg),
			     PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		if (!msg[0])
			copy_message(msg, sizeof(msg), PQresultErrorMessage(res));
	} else {
		state = NULL;
		copy_message(msg, sizeof(msg), PQerrorMessage(db->conn));
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		code = WH_ERR_DB;
		if (!state)
			state = "08006";
	} else {
		code = db_sqlstate_to_err(state);
	}
	if (!err)
		return code;
	pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
	if (pos && sql) {
		long p = strtol(pos, NULL, 10);

		wh_error_set(err, code, "%s (line %d)", msg, line_of(sql, p));
	} else {
		wh_error_set(err, code, "%s", msg);
	}
	if (state)
		copy_message(err->sqlstate, sizeof(err->sqlstate), state);
	return code;
}

/* Quiet notices: a terminal program must not have libpq print on stderr. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

enum wh_err db_connect(const char *conninfo, struct db **out,
		       struct wh_error *err)
{
	struct db *db;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	db->conn = PQconnectdb(conninfo ? conninfo : "");
	if (!db->conn) {
		free(db);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		char msg[WH_ERROR_MSG_MAX];

		copy_message(msg, sizeof(msg), PQerrorMessage(db->conn));
		db_close(db);
		return wh_error_set(err, WH_ERR_DB,
				    "cannot connect to the database: %s", msg);
	}
	PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
	*out = db;
	return WH_OK;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	while (db->stmts) {
		struct db_stmt *s = db->stmts;

		db->stmts = s->next;
		free(s->name);
		free(s->sql);
		free(s);
	}
	free(db);
}

enum wh_err db_exec(struct db *db, const char *sql, int nparams,
		    const char *const *params, struct db_result **out,
		    struct wh_error *err)
{
	PGresult *res;
	enum wh_err rc;

	if (out)
		*out = NULL;
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	rc = check_result(db, res, sql, err);
	if (rc != WH_OK || !out) {
		PQclear(res);
		return rc;
	}
	*out = malloc(sizeof(**out));
	if (!*out) {
		PQclear(res);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	(*out)->res = res;
	return WH_OK;
}

static struct db_stmt *find_stmt(const struct db *db, const char *name)
{
	for (struct db_stmt *s = db->stmts; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

bool db_is_prepared(const struct db *db, const char *name)
{
	return db && name && find_stmt(db, name);
}

enum wh_err db_prepare(struct db *db, const char *name, const char *sql,
		       int nparams, struct wh_error *err)
{
	struct db_stmt *s;
	PGresult *res;
	enum wh_err rc;

	if (!name || !name[0] || !sql)
		return wh_error_set(err, WH_ERR_INVALID,
				    "a prepared statement needs a name and SQL");
	if (find_stmt(db, name))
		return wh_error_set(err, WH_ERR_INVALID,
				    "statement %s is already prepared", name);
	s = calloc(1, sizeof(*s));
	if (!s)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	s->name = strdup(name);
	s->sql = strdup(sql);
	if (!s->name || !s->sql) {
		rc = wh_error_set(err, WH_ERR_NOMEM, "out of memory");
		goto out_free_stmt;
	}
	/* Parameter types are left to the server, as with db_exec. */
	res = PQprepare(db->conn, name, sql, nparams, NULL);
	rc = check_result(db, res, sql, err);
	PQclear(res);
	if (rc != WH_OK)
		goto out_free_stmt;
	s->next = db->stmts;
	db->stmts = s;
	return WH_OK;

out_free_stmt:
	free(s->name);
	free(s->sql);
	free(s);
	return rc;
}

enum wh_err db_exec_prepared(struct db *db, const char *name, const char *sql,
			     int nparams, const char *const *params,
			     struct db_result **out, struct wh_error *err)
{
	const struct db_stmt *s;
	PGresult *res;
	enum wh_err rc;

	if (out)
		*out = NULL;
	s = name ? find_stmt(db, name) : NULL;
	if (!s) {
		if (!sql)
			return wh_error_set(err, WH_ERR_INVALID,
					    "statement %s is not prepared",
					    name ? name : "(null)");
		rc = db_prepare(db, name, sql, nparams, err);
		if (rc != WH_OK)
			return rc;
		s = db->stmts;
	} else if (sql && strcmp(s->sql, sql)) {
		return wh_error_set(err, WH_ERR_INVALID,
				    "statement %s was prepared with other SQL",
				    name);
	}
	res = PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
	rc = check_result(db, res, s->sql, err);
	if (rc != WH_OK || !out) {
		PQclear(res);
		return rc;
	}
	*out = malloc(sizeof(**out));
	if (!*out) {
		PQclear(res);
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	}
	(*out)->res = res;
	return WH_OK;
}

enum wh_err db_exec_script(struct db *db, const char *sql,
			   struct wh_error *err)
{
	PGresult *res;
	enum wh_err rc = WH_OK;

	if (!PQsendQuery(db->conn, sql))
		return check_result(db, NULL, sql, err);
	/* A script yields one result per statement; the first failure wins. */
	while ((res = PQgetResult(db->conn)) != NULL) {
		if (rc == WH_OK)
			rc = check_result(db, res, sql, err);
		PQclear(res);
	}
	return rc;
}

enum wh_err db_transaction(struct db *db, int max_tries, db_txn_fn fn,
			   void *ctx, struct wh_error *err)
{
	enum wh_err rc = WH_ERR_RETRY;

	for (int attempt = 0; attempt < max_tries; attempt++) {
		rc = db_exec(db, "BEGIN", 0, NULL, NULL, err);
		if (rc != WH_OK)
			return rc;
		rc = fn(db, ctx, err);
		if (rc == WH_OK)
			rc = db_exec(db, "COMMIT", 0, NULL, NULL, err);
		if (rc == WH_OK)
			return WH_OK;
		/* Keep fn's error; the rollback's own failure adds nothing. */
		db_exec(db, "ROLLBACK", 0, NULL, NULL, NULL);
		if (rc != WH_ERR_RETRY)
			return rc;
	}
	if (err && err->code == WH_ERR_RETRY)
		wh_error_prefix(err, "gave up after %d tries", max_tries);
	return rc;
}

int db_socket(const struct db *db)
{
	return db ? PQsocket(db->conn) : -1;
}

int db_server_version(const struct db *db)
{
	return db ? PQserverVersion(db->conn) : 0;
}

int db_result_rows(const struct db_result *r)
{
	return r ? PQntuples(r->res) : 0;
}

int db_result_cols(const struct db_result *r)
{
	return r ? PQnfields(r->res) : 0;
}

bool db_result_is_null(const struct db_result *r, int row, int col)
{
	return PQgetisnull(r->res, row, col);
}

const char *db_result_text(const struct db_result *r, int row, int col)
{
	return PQgetvalue(r->res, row, col);
}

int64_t db_result_int64(const struct db_result *r, int row, int col)
{
	const char *s = PQgetvalue(r->res, row, col);
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return 0;
	return v;
}

void db_result_free(struct db_result *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}
