/*
 * test_loop.c - the screen stack, effects, database calls, timers and the
 * spinner, with a fake runner and a fake clock; no terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/keys.h"
#include "ui/loop.h"

/* --- a probe screen that records what it gets ------------------------ */

struct probe {
	int id;
	int events[16];
	int nev;
	int last_tag, timers;
	enum wh_err last_err;
	char last_result[32];
};

static int probes_alive;

static void *probe_init(const void *params, struct wh_error *e)
{
	struct probe *p = calloc(1, sizeof(*p));

	(void)e;
	if (!p)
		return NULL;
	p->id = params ? *(const int *)params : 0;
	probes_alive++;
	return p;
}

static void free_req(void *r)
{
	free(r);
}

static unsigned probe_event(void *state, const struct ui_event *ev,
			    struct ui_effects *fx)
{
	struct probe *p = state;

	if (p->nev < 16)
		p->events[p->nev++] = ev->type;
	switch (ev->type) {
	case UI_EV_KEY:
		if (ev->key == 'd')
			ui_fx_db_call(fx, 7, strdup("select 1"), free_req);
		if (ev->key == 'o')
			ui_fx_push(fx, 2, 99);
		if (ev->key == 'x')
			ui_fx_pop(fx);
		if (ev->key == 'u')
			ui_fx_push(fx, 3, 0);
		if (ev->key == 't')
			ui_fx_timer(fx, 5, 1000, true);
		if (ev->key == 's')
			ui_fx_stop_timer(fx, 5);
		if (ev->key == 'b')
			ui_fx_beep(fx, false);
		if (ev->key == 'q')
			ui_fx_quit(fx, UI_QUIT_EXIT);
		if (ev->key == 'k')
			return UI_HANDLED | UI_BREAK_LOOP;
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_DB_RESULT:
		p->last_tag = ev->db.tag;
		p->last_err = ev->db.err;
		snprintf(p->last_result, sizeof(p->last_result), "%s",
			 ev->db.result ? (const char *)ev->db.result
				       : ev->db.msg);
		return UI_HANDLED | UI_REDRAW;
	case UI_EV_TIMER:
		p->timers++;
		return UI_HANDLED;
	default:
		return UI_HANDLED;
	}
}

static void probe_draw(const void *state, struct canvas *c)
{
	const struct probe *p = state;
	char s[32];

	snprintf(s, sizeof(s), "probe %d", p->id);
	canvas_text(c, 0, 1, -1, UI_ROLE_NORMAL, s);
}

static void probe_free(void *state)
{
	if (state)
		probes_alive--;
	free(state);
}

static const struct ui_screen_ops probe_ops = {
	.name = "probe",
	.init = probe_init,
	.event = probe_event,
	.draw = probe_draw,
	.free = probe_free,
};

/* --- the fake runner ------------------------------------------------- */

struct fake {
	uint64_t now;
	uint64_t last_id;
	char *last_req;
	int beeps_err, opened, results_freed;
	bool refuse;
};

static enum wh_err fake_db_call(void *ctx, struct ui_loop *l, uint64_t id,
				void *req, struct wh_error *e)
{
	struct fake *f = ctx;

	(void)l;
	if (f->refuse) {
		free(req);
		return wh_error_set(e, WH_ERR_DB, "connection lost");
	}
	f->last_id = id;
	free(f->last_req);
	f->last_req = req;
	return WH_OK;
}

static void fake_free_result(void *ctx, void *result)
{
	struct fake *f = ctx;

	f->results_freed++;
	free(result);
}

static void fake_beep(void *ctx, bool ok)
{
	struct fake *f = ctx;

	if (!ok)
		f->beeps_err++;
}

static enum wh_err fake_open(void *ctx, int screen, int64_t param,
			     const struct ui_screen_ops **ops, void **state,
			     struct wh_error *e)
{
	struct fake *f = ctx;
	int id = screen * 1000 + (int)param;

	if (screen != 2)
		return wh_error_set(e, WH_ERR_NOT_FOUND, "no such screen");
	f->opened++;
	*ops = &probe_ops;
	*state = probe_init(&id, e);
	return *state ? WH_OK : WH_ERR_NOMEM;
}

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static struct ui_loop *new_loop(struct fake *f, struct probe **root)
{
	struct ui_runner r = {
		.ctx = f,
		.db_call = fake_db_call,
		.free_result = fake_free_result,
		.beep = fake_beep,
		.open_screen = fake_open,
		.now_ms = fake_now,
	};
	struct ui_loop *l = ui_loop_new(&r);
	int id = 1;

	assert_non_null(l);
	*root = probe_init(&id, NULL);
	assert_int_equal(ui_loop_push(l, &probe_ops, *root), WH_OK);
	return l;
}

static void press(struct ui_loop *l, int k)
{
	struct ui_event ev = { .type = UI_EV_KEY };

	ev.key = k;
	ui_loop_post(l, &ev);
	ui_loop_process(l);
}

static void test_push_pop_resume(void **unused)
{
	struct fake f = { .now = 1000 };
	struct probe *root;
	struct ui_loop *l = new_loop(&f, &root);
	struct canvas *c = canvas_new(20, 16, false);
	enum ui_quit_reason why;
	char *row;

	(void)unused;
	press(l, 'o');
	assert_int_equal(ui_loop_depth(l), 2);
	assert_int_equal(f.opened, 1);
	ui_loop_render(l, c);
	row = canvas_row_text(c, 1);
	assert_string_equal(row, "probe 2099          ");
	free(row);
	press(l, 'x'); /* the pushed probe pops itself */
	assert_int_equal(ui_loop_depth(l), 1);
	assert_int_equal(root->events[root->nev - 1], UI_EV_RESUME);
	assert_false(ui_loop_done(l, NULL));
	press(l, 'b');
	assert_int_equal(f.beeps_err, 1);
	/* a screen the runner cannot open: error beep, message on the
	 * bottom row, stack unchanged */
	press(l, 'u');
	assert_int_equal(f.beeps_err, 2);
	assert_int_equal(ui_loop_depth(l), 1);
	ui_loop_render(l, c);
	row = canvas_row_text(c, 15);
	assert_string_equal(row, "no such screen      ");
	free(row);
	assert_int_equal(canvas_role_at(c, 0, 15), UI_ROLE_STATUS_ERR);
	press(l, 'x'); /* last screen gone: the loop is done */
	assert_int_equal(ui_loop_depth(l), 0);
	assert_true(ui_loop_done(l, &why));
	assert_int_equal(why, UI_QUIT_DONE);
	assert_int_equal(probes_alive, 0);
	canvas_free(c);
	ui_loop_free(l);
}

static void test_db_call_and_spinner(void **unused)
{
	struct fake f = { .now = 1000 };
	struct probe *root;
	struct ui_loop *l = new_loop(&f, &root);
	struct canvas *c = canvas_new(20, 16, false);
	char *row;

	(void)unused;
	press(l, 'd');
	assert_non_null(f.last_req);
	assert_string_equal(f.last_req, "select 1");
	/* no spinner before 300 ms, one after */
	f.now += 299;
	ui_loop_render(l, c);
	row = canvas_row_text(c, 0);
	assert_string_equal(row, "                    ");
	free(row);
	f.now += 1;
	ui_loop_render(l, c);
	row = canvas_row_text(c, 0);
	assert_string_equal(row, "                   |");
	free(row);
	ui_loop_db_done(l, f.last_id, WH_OK, NULL, strdup("42 rows"));
	assert_int_equal(root->last_tag, 7);
	assert_int_equal(root->last_err, WH_OK);
	assert_string_equal(root->last_result, "42 rows");
	assert_int_equal(f.results_freed, 1);
	ui_loop_render(l, c);
	row = canvas_row_text(c, 0);
	assert_string_equal(row, "                    ");
	free(row);
	/* a result for nobody is freed, not delivered */
	ui_loop_db_done(l, 12345, WH_OK, NULL, strdup("late"));
	assert_int_equal(f.results_freed, 2);
	assert_string_equal(root->last_result, "42 rows");
	/* a refused call comes back as an error result */
	f.refuse = true;
	press(l, 'd');
	assert_int_equal(root->last_err, WH_ERR_DB);
	assert_string_equal(root->last_result, "connection lost");
	free(f.last_req);
	canvas_free(c);
	ui_loop_free(l);
	assert_int_equal(probes_alive, 0);
}

static void test_result_after_pop_is_dropped(void **unused)
{
	struct fake f = { .now = 5 };
	struct probe *root;
	struct ui_loop *l = new_loop(&f, &root);
	uint64_t id;

	(void)unused;
	press(l, 'o');
	press(l, 'd'); /* asked by the pushed screen */
	id = f.last_id;
	press(l, 'x');
	root->last_tag = 0;
	ui_loop_db_done(l, id, WH_OK, NULL, strdup("orphan"));
	assert_int_equal(root->last_tag, 0);
	assert_int_equal(f.results_freed, 1);
	free(f.last_req);
	ui_loop_free(l);
}

static void test_timers(void **unused)
{
	struct fake f = { .now = 100 };
	struct probe *root;
	struct ui_loop *l = new_loop(&f, &root);

	(void)unused;
	press(l, 't');
	f.now += 999;
	ui_loop_process(l);
	assert_int_equal(root->timers, 0);
	f.now += 1;
	ui_loop_process(l);
	assert_int_equal(root->timers, 1);
	f.now += 1000;
	ui_loop_process(l);
	assert_int_equal(root->timers, 2); /* repeating */
	press(l, 's');
	f.now += 5000;
	ui_loop_process(l);
	assert_int_equal(root->timers, 2);
	ui_loop_free(l);
}

static void test_quit_break_and_broadcast(void **unused)
{
	struct fake f = { 0 };
	struct probe *root;
	struct ui_loop *l = new_loop(&f, &root);
	struct ui_event ev = { .type = UI_EV_NOTIFY };
	enum ui_quit_reason why;
	int before;

	(void)unused;
	press(l, 'o');
	before = root->nev;
	ev.notify.channel = "intercept";
	ev.notify.payload = "";
	ui_loop_post(l, &ev);
	assert_int_equal(root->nev, before + 1); /* every screen */
	assert_int_equal(root->events[root->nev - 1], UI_EV_NOTIFY);
	press(l, 'q');
	assert_true(ui_loop_done(l, &why));
	assert_int_equal(why, UI_QUIT_EXIT);
	ui_loop_free(l);

	l = new_loop(&f, &root);
	press(l, 'k');
	assert_true(ui_loop_done(l, &why));
	assert_int_equal(why, UI_QUIT_DONE);
	ui_loop_free(l);
	assert_int_equal(probes_alive, 0);
}

static void test_effects_list(void **unused)
{
	struct ui_effects fx;

	(void)unused;
	ui_effects_init(&fx);
	assert_null(ui_effects_find(&fx, UI_FX_BEEP_OK));
	/* a request never run is freed by clear (ASan checks) */
	ui_fx_db_call(&fx, 1, strdup("never run"), free_req);
	ui_fx_beep(&fx, true);
	ui_fx_push(&fx, 3, 4);
	ui_fx_timer(&fx, 1, 10, false);
	ui_fx_stop_timer(&fx, 1);
	ui_fx_pop(&fx);
	assert_int_equal(fx.n, 6);
	assert_int_equal(ui_effects_find(&fx, UI_FX_PUSH_SCREEN)->push.param,
			 4);
	ui_effects_clear(&fx);
	assert_int_equal(fx.n, 0);
	assert_null(fx.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_pop_resume),
		cmocka_unit_test(test_db_call_and_spinner),
		cmocka_unit_test(test_result_after_pop_is_dropped),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_quit_break_and_broadcast),
		cmocka_unit_test(test_effects_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
