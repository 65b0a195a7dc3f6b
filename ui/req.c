/*
 * req.c - database requests of the station's screens. See req.h.
 */
#include "ui/req.h"

#include <stdlib.h>
#include <string.h>

static struct ui_req *req_new(enum ui_req_kind kind)
{
	struct ui_req *r = calloc(1, sizeof(*r));

	if (r)
		r->kind = kind;
	return r;
}

struct ui_req *ui_req_login(const char *who, const char *pin)
{
	struct ui_req *r = req_new(UI_REQ_LOGIN);

	if (!r)
		return NULL;
	r->who = strdup(who ? who : "");
	r->pin = strdup(pin ? pin : "");
	if (!r->who || !r->pin) {
		ui_req_free(r);
		return NULL;
	}
	return r;
}

struct ui_req *ui_req_logout(const char *reason)
{
	struct ui_req *r = req_new(UI_REQ_LOGOUT);

	if (!r)
		return NULL;
	r->reason = strdup(reason ? reason : "user");
	if (!r->reason) {
		ui_req_free(r);
		return NULL;
	}
	return r;
}

struct ui_req *ui_req_summary(void)
{
	return req_new(UI_REQ_SUMMARY);
}

void ui_req_free(void *req)
{
	struct ui_req *r = req;

	if (!r)
		return;
	if (r->pin) {
		explicit_bzero(r->pin, strlen(r->pin));
		free(r->pin);
	}
	free(r->who);
	free(r->reason);
	free(r);
}
