/*
 * carton.c - carton suggestion. See carton.h.
 */
#include "domain/carton.h"

#include <string.h>

/* Inside sizes of the demo desk's cartons, smallest first. */
static const struct carton cartons[] = {
	{ "C1", 180, 120, 60, 2000 },
	{ "C2", 230, 160, 100, 5000 },
	{ "C3", 300, 200, 150, 10000 },
	{ "C4", 400, 300, 200, 20000 },
	{ "C5", 530, 380, 300, 30000 },
};
#define NCARTONS (sizeof(cartons) / sizeof(cartons[0]))

size_t carton_count(void)
{
	return NCARTONS;
}

const struct carton *carton_at(size_t i)
{
	return i < NCARTONS ? &cartons[i] : NULL;
}

const struct carton *carton_find(const char *code)
{
	size_t i;

	for (i = 0; code && i < NCARTONS; i++)
		if (strcmp(cartons[i].code, code) == 0)
			return &cartons[i];
	return NULL;
}

static void sort3(int64_t e[3])
{
	int64_t t;

	if (e[0] < e[1]) { t = e[0]; e[0] = e[1]; e[1] = t; }
	if (e[1] < e[2]) { t = e[1]; e[1] = e[2]; e[2] = t; }
	if (e[0] < e[1]) { t = e[0]; e[0] = e[1]; e[1] = t; }
}

static int64_t edge(int32_t mm)
{
	return mm > 0 ? mm : CARTON_UNKNOWN_MM;
}

const struct carton *carton_suggest(const struct carton_item *items,
				    size_t n, bool *oversize)
{
	int64_t big[3] = { 0, 0, 0 }, vol = 0, grams = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		int64_t e[3] = { edge(items[i].l_mm), edge(items[i].w_mm),
				 edge(items[i].h_mm) };
		int64_t q = items[i].qty > 0 ? items[i].qty : 0;

		if (!q)
			continue;
		sort3(e);
		for (k = 0; k < 3; k++)
			if (e[k] > big[k])
				big[k] = e[k];
		vol += e[0] * e[1] * e[2] * q;
		grams += (items[i].weight_g > 0 ? items[i].weight_g : 0) * q;
	}
	for (i = 0; i < NCARTONS; i++) {
		const struct carton *c = &cartons[i];
		int64_t in[3] = { c->l_mm, c->w_mm, c->h_mm };

		sort3(in);
		if (big[0] > in[0] || big[1] > in[1] || big[2] > in[2])
			continue;
		if (vol * 100 > in[0] * in[1] * in[2] * CARTON_FILL_PCT)
			continue;
		if (grams > c->max_g)
			continue;
		if (oversize)
			*oversize = false;
		return c;
	}
	if (oversize)
		*oversize = true;
	return &cartons[NCARTONS - 1];
}
