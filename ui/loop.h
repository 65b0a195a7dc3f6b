/*
 * loop.h - the one poll() loop that owns the terminal, and the screen stack.
 *
 * The loop polls stdin, the descriptors the caller registers (the scanner's
 * event fd, the database socket) and its timers; turns keys, resizes,
 * descriptor callbacks and timers into events for the top screen; carries
 * out the effects screens ask for; and redraws. It knows nothing of
 * PostgreSQL: database work goes through a runner (a struct of function
 * pointers) supplied by the caller.
 *
 * A database call's life: a screen appends UI_FX_DB_CALL(tag, request); the
 * loop gives the request an id and calls runner->db_call(id, request), which
 * owns the request from then on and starts the work; when the answer arrives
 * (typically in an fd callback on the database socket) the caller calls
 * ui_loop_db_done(id, ...), and the loop delivers UI_EV_DB_RESULT with the
 * screen's tag to the screen that asked (dropped if it was closed) and then
 * frees the result with runner->free_result. While a call is pending for
 * more than 300 ms a spinner turns in the top-right corner.
 *
 * The terminal: ui_loop_run() initialises curses on entry and always
 * restores the terminal before it returns, whatever the reason, so the
 * caller prints any fatal message to a sane terminal. ui_term_restore() does
 * the same for paths that leave otherwise (it is also registered with
 * atexit()).
 *
 * Everything but ui_loop_run() works without a terminal, so tests drive the
 * stack with ui_loop_post(), ui_loop_db_done(), ui_loop_process() and
 * ui_loop_render().
 *
 * Single-threaded: call everything from the UI thread (the database and
 * scanner threads hand their results over through a descriptor).
 */
#ifndef WHARF_UI_LOOP_H
#define WHARF_UI_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "ui/canvas.h"
#include "ui/screen.h"

struct ui_loop;

/* The effects runner: all of it borrowed for the loop's lifetime. */
struct ui_runner {
	void *ctx; /* passed back to every function */
	/*
	 * Starts a database call. Owns request from the call on, even when it
	 * fails. Failing here (no connection) is reported to the screen as a
	 * UI_EV_DB_RESULT with the error. NULL: every call fails.
	 */
	enum wh_err (*db_call)(void *ctx, struct ui_loop *loop, uint64_t id,
			       void *request, struct wh_error *e);
	/* Frees a result after it was delivered or dropped. NULL: nothing. */
	void (*free_result)(void *ctx, void *result);
	/* Beeps the scanner or terminal. NULL: curses beep() when running. */
	void (*beep)(void *ctx, bool ok);
	/*
	 * Opens screen id with param for UI_FX_PUSH_SCREEN: sets *ops and
	 * *state (from ops->init). Failure is shown on the bottom row.
	 */
	enum wh_err (*open_screen)(void *ctx, int screen, int64_t param,
				   const struct ui_screen_ops **ops,
				   void **state, struct wh_error *e);
	/* Monotonic milliseconds. NULL: CLOCK_MONOTONIC. (Tests fake it.) */
	uint64_t (*now_ms)(void *ctx);
};

/*
 * Called when fd is ready (revents as from poll). Return 0 to keep the fd,
 * non-zero to have the loop stop watching it. It may call ui_loop_post()
 * and ui_loop_db_done().
 */
typedef int (*ui_fd_fn)(void *arg, struct ui_loop *loop, int fd,
			short revents);

/* A new loop with an empty stack; NULL when out of memory. */
struct ui_loop *ui_loop_new(const struct ui_runner *runner);

/* Frees the screens still on the stack, pending results and the loop.
 * NULL is a no-op. */
void ui_loop_free(struct ui_loop *loop);

/* Watches fd for events (POLLIN...); one callback per fd. */
enum wh_err ui_loop_add_fd(struct ui_loop *loop, int fd, short events,
			   ui_fd_fn fn, void *arg);
void ui_loop_remove_fd(struct ui_loop *loop, int fd);

/* Pushes a screen created by the caller (the first one: the menu). The
 * loop owns state from now on, even on failure (then freed). */
enum wh_err ui_loop_push(struct ui_loop *loop,
			 const struct ui_screen_ops *ops, void *state);

/* Stack depth, and the top screen's ops (NULL when empty). */
int ui_loop_depth(const struct ui_loop *loop);
const struct ui_screen_ops *ui_loop_top(const struct ui_loop *loop);

/*
 * Delivers an event now: KEY and SCAN to the top screen, NOTIFY and RESIZE
 * to every screen (top first), then runs the effects. KEY and SCAN push
 * back every idle timer (ui_fx_idle_timer). ev and what it points
 * to are borrowed. DB_RESULT and TIMER events come from the loop itself.
 */
void ui_loop_post(struct ui_loop *loop, const struct ui_event *ev);

/*
 * Reports the end of database call id: err/e (e may be NULL) and result,
 * which the loop owns from now on. Unknown ids (screen gone) just free it.
 */
void ui_loop_db_done(struct ui_loop *loop, uint64_t id, enum wh_err err,
		     const struct wh_error *e, void *result);

/* Delivers what is due: UI_EV_START to newly pushed screens, failed
 * calls, resumes, expired timers. */
void ui_loop_process(struct ui_loop *loop);

/* True once a QUIT, BREAK_LOOP, signal or empty stack ended the loop;
 * *reason (may be NULL) says why. */
bool ui_loop_done(const struct ui_loop *loop, enum ui_quit_reason *reason);

/* Draws the top screen (or the too-small message, spinner, error line)
 * into c. */
void ui_loop_render(struct ui_loop *loop, struct canvas *c);

/*
 * Takes the terminal (curses, UTF-8 or ASCII fallback from the locale,
 * colour or monochrome theme) and runs until done. Restores the terminal
 * before returning. Returns WH_OK with *reason, or an error (no terminal,
 * poll failure) described in *e.
 */
enum wh_err ui_loop_run(struct ui_loop *loop, enum ui_quit_reason *reason,
			struct wh_error *e);

/*
 * A banner on the top row over every screen (the station's OFFLINE
 * notice); NULL or "" removes it. text is copied.
 */
void ui_loop_set_banner(struct ui_loop *loop, const char *text);

/* Shows msg on the bottom row until the next key, as the loop does for its
 * own errors (a scanner unplugged, a runner failure). msg is copied. */
void ui_loop_flash(struct ui_loop *loop, const char *msg);

/* Ends curses if it is active (idempotent). Call before printing a fatal
 * message from outside the loop. */
void ui_term_restore(void);

#endif
