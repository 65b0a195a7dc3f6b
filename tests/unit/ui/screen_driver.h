/*
 * screen_driver.h - drives one screen's state machine in a unit test: made
 * up key, scan and database-answer events in, the screen's effects out. No
 * terminal, no database.
 *
 *	static struct screen_driver d;
 *	sd_open(&d, &scr_pick, &params);
 *	sd_type(&d, "A-01-02-1");            // typed text + Enter
 *	r = sd_req(&d, &tag);                // the database call it asked for
 *	sd_answer(&d, tag, WH_OK, NULL, &result);
 *	assert_true(sd_beeped(&d, false));   // an error beep
 *	sd_close(&d);
 *
 * The driver owns the screen state and the effects of the last event; a
 * request returned by sd_req() belongs to those effects (valid until the
 * next event).
 */
#ifndef WHARF_TESTS_UI_SCREEN_DRIVER_H
#define WHARF_TESTS_UI_SCREEN_DRIVER_H

/* Include after <cmocka.h>: the helpers assert. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keys.h"
#include "ui/req.h"
#include "ui/screen.h"

struct screen_driver {
	const struct ui_screen_ops *ops;
	void *st;              /* the screen's state */
	struct ui_effects fx;  /* effects of the last event */
};

static inline void sd_open(struct screen_driver *d,
			   const struct ui_screen_ops *ops,
			   const void *params)
{
	struct wh_error e = { 0 };

	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->st = ops->init(params, &e);
	assert_non_null(d->st);
}

static inline void sd_close(struct screen_driver *d)
{
	ui_effects_clear(&d->fx);
	d->ops->free(d->st);
	d->st = NULL;
}

static inline unsigned sd_send(struct screen_driver *d,
			       const struct ui_event *ev)
{
	ui_effects_clear(&d->fx);
	return d->ops->event(d->st, ev, &d->fx);
}

static inline unsigned sd_key(struct screen_driver *d, int k)
{
	struct ui_event ev = { .type = UI_EV_KEY, .key = k };

	return sd_send(d, &ev);
}

/* Typed text and Enter, as a wedge scanner or the keyboard gives it. */
static inline unsigned sd_type(struct screen_driver *d, const char *s)
{
	for (; *s; s++)
		sd_key(d, (unsigned char)*s);
	return sd_key(d, UI_KEY_ENTER);
}

/* The request of the database call among the effects, and its tag. */
static inline const struct ui_req *sd_req(struct screen_driver *d, int *tag)
{
	const struct ui_effect *e = ui_effects_find(&d->fx, UI_FX_DB_CALL);

	assert_non_null(e);
	if (tag)
		*tag = e->db.tag;
	return e->db.request;
}

/* Answers the call tagged tag; result is borrowed for the event. */
static inline unsigned sd_answer(struct screen_driver *d, int tag,
				 enum wh_err err, const char *msg,
				 void *result)
{
	struct ui_event ev = { .type = UI_EV_DB_RESULT };

	ev.db.tag = tag;
	ev.db.err = err;
	ev.db.msg = msg ? msg : "";
	ev.db.result = result;
	return sd_send(d, &ev);
}

/* Whether the last event beeped (ok: the good-read beep, else the error). */
static inline bool sd_beeped(const struct screen_driver *d, bool ok)
{
	for (size_t i = 0; i < d->fx.n; i++)
		if (d->fx.v[i].type == (ok ? UI_FX_BEEP_OK : UI_FX_BEEP_ERR))
			return true;
	return false;
}

#endif
