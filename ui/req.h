/*
 * req.h - the database requests the station's screens ask for, and the
 * answers they get back.
 *
 * A screen appends ui_fx_db_call(fx, tag, req, ui_req_free) with a request
 * made here; the station's runner (src/cmd_station.c) carries it out and
 * answers with a malloc()ed result struct of the kind's type below, which
 * the loop frees with free() after delivery (results hold no pointers).
 * Screens see the result as ev->db.result when ev->db.err is WH_OK.
 *
 * Ownership: ui_req_*() return a request owned by the caller until handed
 * to ui_fx_db_call(); ui_req_free() wipes the PIN before freeing and takes
 * NULL. Strings passed in are copied.
 */
#ifndef WHARF_UI_REQ_H
#define WHARF_UI_REQ_H

#include <stdint.h>

#include "db/summary.h"

enum ui_req_kind {
	UI_REQ_LOGIN,   /* answer: struct ui_login_result */
	UI_REQ_LOGOUT,  /* answer: none (NULL result) */
	UI_REQ_SUMMARY, /* answer: struct stock_summary (db/summary.h) */
};

struct ui_req {
	enum ui_req_kind kind;
	char *who;    /* LOGIN: badge or login name */
	char *pin;    /* LOGIN: never logged, wiped on free */
	char *reason; /* LOGOUT: "user", "idle" or "exit" */
};

struct ui_login_result {
	int64_t user_id;
	char display_name[128]; /* untrusted: sanitise before drawing */
	char role[16];          /* "picker", "supervisor"... */
	char language[16];      /* "en", "zh_CN" */
	int64_t warehouse_id;
	char warehouse_code[17];
};

struct ui_req *ui_req_login(const char *who, const char *pin);
struct ui_req *ui_req_logout(const char *reason);
struct ui_req *ui_req_summary(void);

/* Frees a request (a void * so it fits ui_fx_db_call()). */
void ui_req_free(void *req);

#endif
