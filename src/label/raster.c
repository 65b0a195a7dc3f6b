/*
 * raster.c - the 1-bit raster and the byte buffer the encoders fill.
 */
#include "label/label.h"

#include <stdlib.h>
#include <string.h>

double label_dpmm(int dpi)
{
	/* "203 dpi" heads are 8 dots/mm exactly (203.2 dpi). */
	return dpi == 203 ? 8.0 : dpi / 25.4;
}

struct label_raster *label_raster_new(int w, int h)
{
	struct label_raster *r;

	if (w <= 0 || h <= 0 || w > 32768 || h > 32768)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->w = w;
	r->h = h;
	r->stride = (w + 7) / 8;
	r->bits = calloc((size_t)r->stride * h, 1);
	if (!r->bits) {
		free(r);
		return NULL;
	}
	return r;
}

void label_raster_free(struct label_raster *r)
{
	if (!r)
		return;
	free(r->bits);
	free(r);
}

enum wh_err label_buf_append(struct label_buf *b, const void *p, size_t n)
{
	size_t cap;
	uint8_t *d;

	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return WH_ERR_NOMEM;
		b->data = d;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return WH_OK;
}

void label_buf_free(struct label_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
