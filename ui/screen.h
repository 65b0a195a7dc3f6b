/*
 * screen.h - what a screen is: events in, effects out, a draw function.
 *
 * A screen is a state machine (STYLE.md, "UI screens are state machines"):
 *
 *   init(params, e)      -> a new state, owned by the loop from then on
 *   event(state, ev, fx) -> flags (UI_HANDLED, UI_REDRAW, UI_BREAK_LOOP);
 *                           performs no I/O, only appends effects to fx
 *   draw(state, canvas)  -> draws the state into the canvas, no I/O
 *   free(state)          -> releases it; free(NULL) is a no-op
 *
 * The loop (loop.h) carries the effects out: database calls through the
 * caller's runner, beeps, the screen stack, timers. A cmocka test drives a
 * screen by calling event() with made-up events and reading fx and the
 * canvas back, with no terminal and no database.
 *
 * Borrowing: everything an event points to (scan bytes, notify payload, db
 * result) is borrowed for the duration of event(): copy what you keep.
 * Effects own what they carry (a db request) until the loop hands it to the
 * runner; ui_effects_clear() frees what was never run.
 */
#ifndef WHARF_UI_SCREEN_H
#define WHARF_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "ui/canvas.h"

enum ui_event_type {
	UI_EV_KEY,       /* ev->key: a character or UI_KEY_* (keys.h) */
	UI_EV_SCAN,      /* ev->scan: a barcode from the scanner */
	UI_EV_DB_RESULT, /* ev->db: the answer to a UI_FX_DB_CALL */
	UI_EV_NOTIFY,    /* ev->notify: a database NOTIFY (all screens) */
	UI_EV_TIMER,     /* ev->timer: a UI_FX_START_TIMER expired */
	UI_EV_RESIZE,    /* ev->size: the terminal's new size (all screens) */
	UI_EV_RESUME,    /* the screen above was popped: this one is on top */
	UI_EV_START,     /* once, right after the screen was pushed, before
			  * its first draw: where a screen asks for its data;
			  * ev->size is the terminal's (0x0 when unknown) */
};

/* A scan, independent of the scanner drivers' own struct scan_event. */
struct ui_scan {
	const unsigned char *data; /* raw bytes, not NUL-terminated */
	size_t len;
	char aim[4]; /* AIM symbology id ("]C1", "]d2"), "" when unknown */
	const char *source; /* "fifo", "serial"...; NULL when unknown */
};

struct ui_db_result {
	int tag;          /* the tag given to ui_fx_db_call() */
	enum wh_err err;  /* WH_OK: result holds the answer */
	const char *msg;  /* human message when err != WH_OK, else "" */
	void *result;     /* opaque to the loop: the runner's result type */
};

struct ui_notify {
	const char *channel;
	const char *payload; /* "" when none; untrusted: sanitise to show */
};

struct ui_event {
	enum ui_event_type type;
	union {
		int key;
		struct ui_scan scan;
		struct ui_db_result db;
		struct ui_notify notify;
		int timer; /* the timer id */
		struct {
			int w, h;
		} size;
	};
};

/* Flags returned by event(). */
enum ui_flags {
	UI_IGNORED = 0,
	UI_HANDLED = 1 << 0,    /* the event meant something to the screen */
	UI_REDRAW = 1 << 1,     /* the state changed: draw again */
	UI_BREAK_LOOP = 1 << 2, /* leave ui_loop_run() after the effects */
};

/* Why ui_loop_run() returned (UI_FX_QUIT's reason, or the loop's own). */
enum ui_quit_reason {
	UI_QUIT_DONE = 0, /* stack emptied or UI_BREAK_LOOP */
	UI_QUIT_LOGOUT,   /* the user logged out: back to the login */
	UI_QUIT_EXIT,     /* leave the program */
	UI_QUIT_SIGNAL,   /* SIGTERM, SIGHUP or SIGINT */
};

enum ui_effect_type {
	UI_FX_DB_CALL,     /* db: run request through the runner */
	UI_FX_BEEP_OK,     /* good-scan beep */
	UI_FX_BEEP_ERR,    /* error beep */
	UI_FX_PUSH_SCREEN, /* push: open screen id with param on top */
	UI_FX_POP_SCREEN,  /* close the screen that asked */
	UI_FX_QUIT,        /* quit_reason: leave ui_loop_run() */
	UI_FX_START_TIMER, /* timer: (re)arm timer id of this screen */
	UI_FX_STOP_TIMER,  /* timer.id: disarm */
};

struct ui_effect {
	enum ui_effect_type type;
	union {
		struct {
			int tag;       /* echoed in the UI_EV_DB_RESULT */
			void *request; /* owned; opaque to the loop */
			void (*free_request)(void *request);
		} db;
		struct {
			int screen;    /* id the runner's open_screen knows */
			int64_t param; /* e.g. a task or order id */
		} push;
		struct {
			int id;
			int ms;
			bool repeat;
			/* an idle timer: every key or scan, to any screen,
			 * pushes its expiry back to ms from then */
			bool idle;
		} timer;
		int quit_reason;
	};
};

/* The effects one event asks for, in order. Zero-initialise, or
 * ui_effects_init(). */
struct ui_effects {
	struct ui_effect *v;
	size_t n, cap;
	bool failed; /* an append ran out of memory: effects were lost */
};

void ui_effects_init(struct ui_effects *fx);

/*
 * Appends a copy of *e. On allocation failure sets fx->failed, frees a db
 * request it could not keep, and returns WH_ERR_NOMEM.
 */
enum wh_err ui_effects_add(struct ui_effects *fx, const struct ui_effect *e);

/* Frees requests that were not handed over and empties fx (keeps nothing
 * allocated). */
void ui_effects_clear(struct ui_effects *fx);

/* Shorthands for ui_effects_add(). request is owned by fx from the call
 * (freed with free_request, which may be NULL for nothing to free). */
enum wh_err ui_fx_db_call(struct ui_effects *fx, int tag, void *request,
			  void (*free_request)(void *request));
enum wh_err ui_fx_beep(struct ui_effects *fx, bool ok);
enum wh_err ui_fx_push(struct ui_effects *fx, int screen, int64_t param);
enum wh_err ui_fx_pop(struct ui_effects *fx);
enum wh_err ui_fx_quit(struct ui_effects *fx, enum ui_quit_reason reason);
enum wh_err ui_fx_timer(struct ui_effects *fx, int id, int ms, bool repeat);
enum wh_err ui_fx_stop_timer(struct ui_effects *fx, int id);
/* A one-shot timer that fires after ms without any key or scan. */
enum wh_err ui_fx_idle_timer(struct ui_effects *fx, int id, int ms);

/* The first effect of type in fx, or NULL (for tests and runners). */
const struct ui_effect *ui_effects_find(const struct ui_effects *fx,
					enum ui_effect_type type);

struct ui_screen_ops {
	const char *name; /* for logs */
	/* params: the screen's own params struct, borrowed for the call.
	 * NULL return: failure, described in *e. */
	void *(*init)(const void *params, struct wh_error *e);
	unsigned (*event)(void *state, const struct ui_event *ev,
			  struct ui_effects *fx);
	void (*draw)(const void *state, struct canvas *c);
	void (*free)(void *state);
};

#endif
