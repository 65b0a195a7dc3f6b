/*
 * effects.c - the list of effects an event asks for. See screen.h.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/screen.h"

void ui_effects_init(struct ui_effects *fx)
{
	memset(fx, 0, sizeof(*fx));
}

static void free_effect(struct ui_effect *e)
{
	if (e->type == UI_FX_DB_CALL && e->db.request) {
		if (e->db.free_request)
			e->db.free_request(e->db.request);
		e->db.request = NULL;
	}
}

enum wh_err ui_effects_add(struct ui_effects *fx, const struct ui_effect *e)
{
	if (fx->n == fx->cap) {
		size_t cap = fx->cap ? fx->cap * 2 : 4;
		struct ui_effect *v = realloc(fx->v, cap * sizeof(*v));

		if (!v) {
			struct ui_effect lost = *e;

			free_effect(&lost);
			fx->failed = true;
			return WH_ERR_NOMEM;
		}
		fx->v = v;
		fx->cap = cap;
	}
	fx->v[fx->n++] = *e;
	return WH_OK;
}

void ui_effects_clear(struct ui_effects *fx)
{
	size_t i;

	for (i = 0; i < fx->n; i++)
		free_effect(&fx->v[i]);
	free(fx->v);
	ui_effects_init(fx);
}

enum wh_err ui_fx_db_call(struct ui_effects *fx, int tag, void *request,
			  void (*free_request)(void *request))
{
	struct ui_effect e = { .type = UI_FX_DB_CALL };

	e.db.tag = tag;
	e.db.request = request;
	e.db.free_request = free_request;
	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_beep(struct ui_effects *fx, bool ok)
{
	struct ui_effect e = { .type = ok ? UI_FX_BEEP_OK : UI_FX_BEEP_ERR };

	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_push(struct ui_effects *fx, int screen, int64_t param)
{
	struct ui_effect e = { .type = UI_FX_PUSH_SCREEN };

	e.push.screen = screen;
	e.push.param = param;
	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_pop(struct ui_effects *fx)
{
	struct ui_effect e = { .type = UI_FX_POP_SCREEN };

	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_quit(struct ui_effects *fx, enum ui_quit_reason reason)
{
	struct ui_effect e = { .type = UI_FX_QUIT };

	e.quit_reason = reason;
	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_timer(struct ui_effects *fx, int id, int ms, bool repeat)
{
	struct ui_effect e = { .type = UI_FX_START_TIMER };

	e.timer.id = id;
	e.timer.ms = ms;
	e.timer.repeat = repeat;
	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_idle_timer(struct ui_effects *fx, int id, int ms)
{
	struct ui_effect e = { .type = UI_FX_START_TIMER };

	e.timer.id = id;
	e.timer.ms = ms;
	e.timer.idle = true;
	return ui_effects_add(fx, &e);
}

enum wh_err ui_fx_stop_timer(struct ui_effects *fx, int id)
{
	struct ui_effect e = { .type = UI_FX_STOP_TIMER };

	e.timer.id = id;
	return ui_effects_add(fx, &e);
}

const struct ui_effect *ui_effects_find(const struct ui_effects *fx,
					enum ui_effect_type type)
{
	size_t i;

	for (i = 0; i < fx->n; i++)
		if (fx->v[i].type == type)
			return &fx->v[i];
	return NULL;
}
