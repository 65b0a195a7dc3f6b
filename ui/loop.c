/*
 * loop.c - the poll() loop, the screen stack and the effects. See loop.h.
 */
#include "ui/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "ui/i18n.h"
#include "ui/keys.h"
#include "ui/layout.h"
#include "ui/theme.h"

#define SPINNER_DELAY_MS 300
#define SPINNER_STEP_MS 120
#define ESC_DELAY_MS 25

struct stack_ent {
	const struct ui_screen_ops *ops;
	void *state;
	uint64_t serial; /* names a screen instance across pushes and pops */
	bool started;    /* UI_EV_START delivered */
};

struct pending {
	uint64_t id, serial, start;
	int tag;
	bool failed; /* the runner refused it: deliver from ui_loop_process */
	enum wh_err err;
	char msg[WH_ERROR_MSG_MAX];
};

struct timer {
	uint64_t serial, due;
	int id, period; /* period 0: one-shot */
	int idle_ms;    /* > 0: an idle timer, pushed back by input */
};

struct watch {
	int fd;
	short events;
	ui_fd_fn fn;
	void *arg;
};

struct ui_loop {
	struct ui_runner r;
	struct stack_ent *stack;
	size_t depth, cap_stack;
	struct pending *pend;
	size_t npend, cap_pend;
	struct timer *timers;
	size_t ntimers, cap_timers;
	struct watch *watch;
	size_t nwatch, cap_watch;
	uint64_t next_serial, next_id;
	bool done, redraw, resume_due, running;
	enum ui_quit_reason reason;
	unsigned spin;
	char flash[WH_ERROR_MSG_MAX]; /* an error the loop shows itself */
	char banner[WH_ERROR_MSG_MAX]; /* ui_loop_set_banner(), "" none */
	int w, h; /* the last UI_EV_RESIZE's size (0 before the first) */
};

/* --- small helpers --------------------------------------------------- */

static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	/* room for index n: a single doubling may not be enough */
	for (ncap = *cap ? *cap * 2 : 4; ncap <= n; ncap *= 2)
		;
	p = realloc(*v, ncap * size);
	if (!p)
		return false;
	*v = p;
	*cap = ncap;
	return true;
}

#define GROW(arr, cap, n) grow((void **)&(arr), &(cap), (n), sizeof(*(arr)))

static uint64_t now_ms(const struct ui_loop *l)
{
	struct timespec ts;

	if (l->r.now_ms)
		return l->r.now_ms(l->r.ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void show_error(struct ui_loop *l, const char *msg)
{
	snprintf(l->flash, sizeof(l->flash), "%s", msg);
	l->redraw = true;
}

static void do_beep(struct ui_loop *l, bool ok)
{
	if (l->r.beep)
		l->r.beep(l->r.ctx, ok);
	else if (l->running)
		beep();
}

static struct stack_ent *find_screen(struct ui_loop *l, uint64_t serial)
{
	size_t i;

	for (i = 0; i < l->depth; i++)
		if (l->stack[i].serial == serial)
			return &l->stack[i];
	return NULL;
}

static void free_result(struct ui_loop *l, void *result)
{
	if (result && l->r.free_result)
		l->r.free_result(l->r.ctx, result);
}

/* --- timers ---------------------------------------------------------- */

static struct timer *find_timer(struct ui_loop *l, uint64_t serial, int id)
{
	size_t i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].serial == serial && l->timers[i].id == id)
			return &l->timers[i];
	return NULL;
}

static void drop_timer(struct ui_loop *l, struct timer *t)
{
	size_t i = (size_t)(t - l->timers);

	memmove(t, t + 1, (l->ntimers - i - 1) * sizeof(*t));
	l->ntimers--;
}

static void set_timer(struct ui_loop *l, uint64_t serial, int id, int ms,
		      bool repeat, bool idle)
{
	struct timer *t = find_timer(l, serial, id);

	if (ms < 1)
		ms = 1;
	if (!t) {
		if (!GROW(l->timers, l->cap_timers, l->ntimers)) {
			show_error(l, _("Out of memory"));
			return;
		}
		t = &l->timers[l->ntimers++];
	}
	t->serial = serial;
	t->id = id;
	t->due = now_ms(l) + (uint64_t)ms;
	t->period = repeat && !idle ? ms : 0;
	t->idle_ms = idle ? ms : 0;
}

/* A key or a scan: every idle timer starts counting again. */
static void touch_idle_timers(struct ui_loop *l)
{
	uint64_t now = now_ms(l);
	size_t i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].idle_ms > 0)
			l->timers[i].due = now + (uint64_t)l->timers[i].idle_ms;
}

/* --- the stack ------------------------------------------------------- */

static void remove_screen(struct ui_loop *l, uint64_t serial)
{
	struct stack_ent *s = find_screen(l, serial);
	size_t i, idx;

	if (!s)
		return;
	idx = (size_t)(s - l->stack);
	if (s->ops->free)
		s->ops->free(s->state);
	memmove(s, s + 1, (l->depth - idx - 1) * sizeof(*s));
	l->depth--;
	for (i = l->ntimers; i-- > 0;)
		if (l->timers[i].serial == serial)
			drop_timer(l, &l->timers[i]);
	for (i = l->npend; i-- > 0;) {
		if (l->pend[i].serial != serial)
			continue;
		memmove(&l->pend[i], &l->pend[i + 1],
			(l->npend - i - 1) * sizeof(l->pend[i]));
		l->npend--;
	}
	if (idx == l->depth && l->depth > 0)
		l->resume_due = true;
	if (l->depth == 0 && !l->done) {
		l->done = true;
		l->reason = UI_QUIT_DONE;
	}
	l->redraw = true;
}

enum wh_err ui_loop_push(struct ui_loop *l, const struct ui_screen_ops *ops,
			 void *state)
{
	if (!GROW(l->stack, l->cap_stack, l->depth)) {
		if (ops->free)
			ops->free(state);
		return WH_ERR_NOMEM;
	}
	l->stack[l->depth].ops = ops;
	l->stack[l->depth].state = state;
	l->stack[l->depth].serial = ++l->next_serial;
	l->stack[l->depth].started = false;
	l->depth++;
	l->redraw = true;
	return WH_OK;
}

int ui_loop_depth(const struct ui_loop *l)
{
	return (int)l->depth;
}

const struct ui_screen_ops *ui_loop_top(const struct ui_loop *l)
{
	return l->depth ? l->stack[l->depth - 1].ops : NULL;
}

/* --- effects --------------------------------------------------------- */

static void start_call(struct ui_loop *l, uint64_t serial,
		       struct ui_effect *fx)
{
	struct wh_error e = { 0 };
	void *req = fx->db.request;
	struct pending *p;
	enum wh_err err;
	uint64_t id;

	fx->db.request = NULL;
	if (!GROW(l->pend, l->cap_pend, l->npend)) {
		if (fx->db.free_request && req)
			fx->db.free_request(req);
		do_beep(l, false);
		show_error(l, _("Out of memory"));
		return;
	}
	p = &l->pend[l->npend++];
	memset(p, 0, sizeof(*p));
	p->id = ++l->next_id;
	p->serial = serial;
	p->tag = fx->db.tag;
	p->start = now_ms(l);
	id = p->id;
	if (l->r.db_call) {
		err = l->r.db_call(l->r.ctx, l, id, req, &e);
	} else {
		if (fx->db.free_request && req)
			fx->db.free_request(req);
		err = wh_error_set(&e, WH_ERR_UNSUPPORTED,
				   "no database runner");
	}
	/* the runner may have finished the call already: look it up again */
	for (p = l->pend; p < l->pend + l->npend; p++) {
		if (p->id != id || err == WH_OK)
			continue;
		p->failed = true;
		p->err = err;
		snprintf(p->msg, sizeof(p->msg), "%s", e.msg);
	}
}

static void open_screen(struct ui_loop *l, const struct ui_effect *fx)
{
	const struct ui_screen_ops *ops = NULL;
	struct wh_error e = { 0 };
	void *state = NULL;
	enum wh_err err = WH_ERR_UNSUPPORTED;

	if (l->r.open_screen)
		err = l->r.open_screen(l->r.ctx, fx->push.screen,
				       fx->push.param, &ops, &state, &e);
	else
		wh_error_set(&e, err, "%s", _("Not available"));
	if (err == WH_OK && ops)
		err = ui_loop_push(l, ops, state);
	if (err != WH_OK) {
		do_beep(l, false);
		show_error(l, e.msg[0] ? e.msg : _("Not available"));
	}
}

static void run_effects(struct ui_loop *l, uint64_t serial,
			struct ui_effects *fx)
{
	size_t i;

	if (fx->failed) {
		do_beep(l, false);
		show_error(l, _("Out of memory"));
	}
	for (i = 0; i < fx->n; i++) {
		struct ui_effect *e = &fx->v[i];
		struct timer *t;

		switch (e->type) {
		case UI_FX_DB_CALL:
			start_call(l, serial, e);
			break;
		case UI_FX_BEEP_OK:
		case UI_FX_BEEP_ERR:
			do_beep(l, e->type == UI_FX_BEEP_OK);
			break;
		case UI_FX_PUSH_SCREEN:
			open_screen(l, e);
			break;
		case UI_FX_POP_SCREEN:
			remove_screen(l, serial);
			break;
		case UI_FX_QUIT:
			l->done = true;
			l->reason = (enum ui_quit_reason)e->quit_reason;
			break;
		case UI_FX_START_TIMER:
			if (find_screen(l, serial))
				set_timer(l, serial, e->timer.id, e->timer.ms,
					  e->timer.repeat, e->timer.idle);
			break;
		case UI_FX_STOP_TIMER:
			t = find_timer(l, serial, e->timer.id);
			if (t)
				drop_timer(l, t);
			break;
		}
	}
}

/* Gives ev to the screen with serial and carries out what it asks. */
static void deliver(struct ui_loop *l, uint64_t serial,
		    const struct ui_event *ev)
{
	struct stack_ent *s = find_screen(l, serial);
	struct ui_effects fx;
	unsigned flags;
	bool top;

	if (!s)
		return;
	top = s == &l->stack[l->depth - 1];
	ui_effects_init(&fx);
	flags = s->ops->event(s->state, ev, &fx);
	if ((flags & UI_REDRAW) && top)
		l->redraw = true;
	run_effects(l, serial, &fx);
	ui_effects_clear(&fx);
	if (flags & UI_BREAK_LOOP) {
		l->done = true;
		l->reason = UI_QUIT_DONE;
	}
}

void ui_loop_post(struct ui_loop *l, const struct ui_event *ev)
{
	uint64_t serials[64];
	size_t n = 0, i;

	if (ev->type == UI_EV_RESIZE) {
		l->w = ev->size.w;
		l->h = ev->size.h;
	}
	if (!l->depth)
		return;
	if (ev->type == UI_EV_KEY || ev->type == UI_EV_SCAN)
		touch_idle_timers(l);
	if (ev->type == UI_EV_NOTIFY || ev->type == UI_EV_RESIZE) {
		/* snapshot: screens may come and go while we deliver */
		for (i = l->depth; i-- > 0 && n < 64;)
			serials[n++] = l->stack[i].serial;
		for (i = 0; i < n; i++)
			deliver(l, serials[i], ev);
		if (ev->type == UI_EV_RESIZE)
			l->redraw = true;
		return;
	}
	deliver(l, l->stack[l->depth - 1].serial, ev);
}

void ui_loop_db_done(struct ui_loop *l, uint64_t id, enum wh_err err,
		     const struct wh_error *e, void *result)
{
	struct ui_event ev = { .type = UI_EV_DB_RESULT };
	uint64_t serial;
	size_t i;

	for (i = 0; i < l->npend; i++)
		if (l->pend[i].id == id && !l->pend[i].failed)
			break;
	if (i == l->npend) {
		free_result(l, result);
		return;
	}
	serial = l->pend[i].serial;
	ev.db.tag = l->pend[i].tag;
	ev.db.err = err;
	ev.db.msg = err != WH_OK && e ? e->msg : "";
	ev.db.result = result;
	memmove(&l->pend[i], &l->pend[i + 1],
		(l->npend - i - 1) * sizeof(l->pend[i]));
	l->npend--;
	deliver(l, serial, &ev);
	free_result(l, result);
}

static void deliver_failed_calls(struct ui_loop *l)
{
	size_t i = 0;

	while (i < l->npend) {
		struct pending p = l->pend[i];
		struct ui_event ev = { .type = UI_EV_DB_RESULT };

		if (!p.failed) {
			i++;
			continue;
		}
		memmove(&l->pend[i], &l->pend[i + 1],
			(l->npend - i - 1) * sizeof(l->pend[i]));
		l->npend--;
		ev.db.tag = p.tag;
		ev.db.err = p.err;
		ev.db.msg = p.msg;
		deliver(l, p.serial, &ev);
		i = 0; /* the list may have changed */
	}
}

static void deliver_timers(struct ui_loop *l)
{
	uint64_t now = now_ms(l);
	size_t i;

	for (i = 0; i < l->ntimers; i++) {
		struct timer *t = &l->timers[i];
		struct ui_event ev = { .type = UI_EV_TIMER };
		uint64_t serial = t->serial;

		if (t->due > now)
			continue;
		ev.timer = t->id;
		if (t->period)
			t->due = now + (uint64_t)t->period;
		else
			drop_timer(l, t);
		deliver(l, serial, &ev);
		i = (size_t)-1; /* restart: the list may have changed */
	}
}

/* UI_EV_START to every screen pushed since the last call, oldest first. */
static void deliver_starts(struct ui_loop *l)
{
	size_t i;

	for (i = 0; i < l->depth; i++) {
		struct ui_event ev = { .type = UI_EV_START };

		ev.size.w = l->w;
		ev.size.h = l->h;
		if (l->stack[i].started)
			continue;
		l->stack[i].started = true;
		deliver(l, l->stack[i].serial, &ev);
		i = (size_t)-1; /* restart: the stack may have changed */
	}
}

void ui_loop_process(struct ui_loop *l)
{
	deliver_starts(l);
	deliver_failed_calls(l);
	if (l->resume_due && l->depth) {
		struct ui_event ev = { .type = UI_EV_RESUME };

		l->resume_due = false;
		l->redraw = true;
		deliver(l, l->stack[l->depth - 1].serial, &ev);
	}
	deliver_timers(l);
}

bool ui_loop_done(const struct ui_loop *l, enum ui_quit_reason *reason)
{
	if (reason)
		*reason = l->reason;
	return l->done;
}

/* --- drawing --------------------------------------------------------- */

/* Start of the oldest call still running, or 0. */
static uint64_t oldest_call(const struct ui_loop *l)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < l->npend; i++)
		if (!l->pend[i].failed && (!t || l->pend[i].start < t))
			t = l->pend[i].start;
	return t;
}

static bool spinner_visible(const struct ui_loop *l)
{
	uint64_t t = oldest_call(l);

	return t && now_ms(l) - t >= SPINNER_DELAY_MS;
}

void ui_loop_render(struct ui_loop *l, struct canvas *c)
{
	static const char spin[] = "|/-\\";

	canvas_clear(c, UI_ROLE_NORMAL);
	if (ui_layout_classify(c->w, c->h) == UI_LAYOUT_TOO_SMALL) {
		ui_layout_draw_too_small(c);
		return;
	}
	if (l->depth) {
		struct stack_ent *s = &l->stack[l->depth - 1];

		s->ops->draw(s->state, c);
	}
	if (l->banner[0])
		canvas_status(c, 0, UI_ROLE_ALERT, l->banner, NULL);
	if (l->flash[0])
		canvas_status(c, c->h - 1, UI_ROLE_STATUS_ERR, l->flash, NULL);
	if (spinner_visible(l)) {
		char ch[2] = { spin[l->spin % 4], '\0' };

		canvas_text(c, c->w - 1, 0, 1, UI_ROLE_TITLE, ch);
	}
}

void ui_loop_set_banner(struct ui_loop *l, const char *text)
{
	const char *t = text ? text : "";

	if (strcmp(l->banner, t) == 0)
		return;
	snprintf(l->banner, sizeof(l->banner), "%s", t);
	l->redraw = true;
}

void ui_loop_flash(struct ui_loop *l, const char *msg)
{
	show_error(l, msg ? msg : "");
}

/* --- lifetime -------------------------------------------------------- */

struct ui_loop *ui_loop_new(const struct ui_runner *runner)
{
	struct ui_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	if (runner)
		l->r = *runner;
	return l;
}

void ui_loop_free(struct ui_loop *l)
{
	if (!l)
		return;
	while (l->depth)
		remove_screen(l, l->stack[l->depth - 1].serial);
	free(l->stack);
	free(l->pend);
	free(l->timers);
	free(l->watch);
	free(l);
}

enum wh_err ui_loop_add_fd(struct ui_loop *l, int fd, short events,
			   ui_fd_fn fn, void *arg)
{
	ui_loop_remove_fd(l, fd);
	if (!GROW(l->watch, l->cap_watch, l->nwatch))
		return WH_ERR_NOMEM;
	l->watch[l->nwatch].fd = fd;
	l->watch[l->nwatch].events = events;
	l->watch[l->nwatch].fn = fn;
	l->watch[l->nwatch].arg = arg;
	l->nwatch++;
	return WH_OK;
}

void ui_loop_remove_fd(struct ui_loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nwatch; i++) {
		if (l->watch[i].fd != fd)
			continue;
		memmove(&l->watch[i], &l->watch[i + 1],
			(l->nwatch - i - 1) * sizeof(l->watch[i]));
		l->nwatch--;
		return;
	}
}

/* --- the terminal ---------------------------------------------------- */

static SCREEN *term_screen; /* the one terminal this process drives */
static volatile sig_atomic_t term_signal;

void ui_term_restore(void)
{
	if (!term_screen)
		return;
	endwin();
	delscreen(term_screen);
	term_screen = NULL;
}

static void on_signal(int sig)
{
	term_signal = sig;
}

static const int term_signals[] = { SIGTERM, SIGHUP, SIGINT };
#define NSIG_TERM (sizeof(term_signals) / sizeof(term_signals[0]))

static enum wh_err term_open(struct theme *theme, struct wh_error *e)
{
	static bool atexit_done;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return wh_error_set(e, WH_ERR_IO, "stdin/stdout is not a "
				    "terminal");
	term_screen = newterm(NULL, stdout, stdin);
	if (!term_screen)
		return wh_error_set(e, WH_ERR_IO, "cannot initialise terminal"
				    " (TERM=%s)", getenv("TERM") ?
				    getenv("TERM") : "");
	if (!atexit_done && atexit(ui_term_restore) == 0)
		atexit_done = true;
	set_term(term_screen);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	curs_set(0); /* may fail on terminals without it: harmless */
	theme_init(theme);
	return WH_OK;
}

static void handle_signals(struct sigaction *old, bool install)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() must wake */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIG_TERM; i++) {
		if (install)
			sigaction(term_signals[i], &sa, &old[i]);
		else
			sigaction(term_signals[i], &old[i], NULL);
	}
}

static int next_timeout(const struct ui_loop *l)
{
	uint64_t now = now_ms(l), best = UINT64_MAX, t;
	size_t i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].due < best)
			best = l->timers[i].due;
	t = oldest_call(l);
	if (t) {
		uint64_t show = t + SPINNER_DELAY_MS;

		if (show > now && show < best)
			best = show;
		else if (show <= now && now + SPINNER_STEP_MS < best)
			best = now + SPINNER_STEP_MS;
	}
	if (best == UINT64_MAX)
		return -1;
	if (best <= now)
		return 0;
	return best - now > 60000 ? 60000 : (int)(best - now);
}

static enum wh_err resize(struct ui_loop *l, struct canvas *c)
{
	struct ui_event ev = { .type = UI_EV_RESIZE };
	int h, w;

	getmaxyx(stdscr, h, w);
	if (canvas_resize(c, w, h) != WH_OK)
		return WH_ERR_NOMEM;
	ev.size.w = w;
	ev.size.h = h;
	clearok(curscr, TRUE);
	ui_loop_post(l, &ev);
	return WH_OK;
}

static void read_keys(struct ui_loop *l, struct canvas *c)
{
	wint_t wch;
	int ret;

	while (!l->done && (ret = get_wch(&wch)) != ERR) {
		struct ui_event ev = { .type = UI_EV_KEY };

		if (ret == KEY_CODE_YES && wch == KEY_RESIZE) {
			if (resize(l, c) != WH_OK)
				show_error(l, _("Out of memory"));
			continue;
		}
		ev.key = keys_from_curses(ret, (unsigned long)wch);
		if (ev.key == UI_KEY_NONE)
			continue;
		if (l->flash[0]) {
			l->flash[0] = '\0';
			l->redraw = true;
		}
		ui_loop_post(l, &ev);
	}
}

/* Calls the callbacks of ready descriptors; pfd[0] is stdin. */
static void run_watches(struct ui_loop *l, const struct pollfd *pfd,
			size_t n)
{
	size_t i, j;

	for (i = 1; i < n && !l->done; i++) {
		if (!pfd[i].revents)
			continue;
		for (j = 0; j < l->nwatch; j++) {
			struct watch w = l->watch[j];

			if (w.fd != pfd[i].fd)
				continue;
			if (w.fn(w.arg, l, w.fd, pfd[i].revents))
				ui_loop_remove_fd(l, w.fd);
			break;
		}
	}
}

static enum wh_err run(struct ui_loop *l, struct canvas *c,
		       const struct theme *theme, struct wh_error *e)
{
	struct pollfd *pfd = NULL;
	size_t cap = 0, n, i;
	enum wh_err err = WH_OK;

	while (!l->done) {
		ui_loop_process(l);
		if (l->done)
			break;
		if (spinner_visible(l)) {
			l->spin++;
			l->redraw = true;
		}
		if (l->redraw) {
			ui_loop_render(l, c);
			canvas_flush(c, theme);
			l->redraw = false;
		}
		if (!GROW(pfd, cap, l->nwatch + 1)) {
			err = wh_error_set(e, WH_ERR_NOMEM, "out of memory");
			break;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		for (i = 0, n = 1; i < l->nwatch; i++, n++) {
			pfd[n].fd = l->watch[i].fd;
			pfd[n].events = l->watch[i].events;
			pfd[n].revents = 0;
		}
		if (poll(pfd, n, next_timeout(l)) < 0 && errno != EINTR) {
			err = wh_error_set(e, WH_ERR_IO, "poll: %s",
					   strerror(errno));
			break;
		}
		if (term_signal) {
			l->done = true;
			l->reason = UI_QUIT_SIGNAL;
			break;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			err = wh_error_set(e, WH_ERR_IO, "terminal hung up");
			break;
		}
		read_keys(l, c); /* also after EINTR: SIGWINCH -> KEY_RESIZE */
		run_watches(l, pfd, n);
	}
	free(pfd);
	return err;
}

enum wh_err ui_loop_run(struct ui_loop *l, enum ui_quit_reason *reason,
			struct wh_error *e)
{
	struct sigaction old[NSIG_TERM];
	struct theme theme;
	struct canvas *c;
	enum wh_err err;

	term_signal = 0;
	handle_signals(old, true);
	err = term_open(&theme, e);
	if (err) {
		handle_signals(old, false);
		return err;
	}
	l->running = true;
	c = canvas_new(COLS, LINES, !i18n_utf8());
	if (!c) {
		err = wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	} else {
		struct ui_event ev = { .type = UI_EV_RESIZE };

		ev.size.w = c->w;
		ev.size.h = c->h;
		ui_loop_post(l, &ev);
		l->redraw = true;
		err = run(l, c, &theme, e);
	}
	/* restore first, so whatever the caller prints lands on a sane tty */
	ui_term_restore();
	l->running = false;
	handle_signals(old, false);
	canvas_free(c);
	if (reason)
		*reason = l->reason;
	return err;
}
