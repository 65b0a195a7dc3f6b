/*
 * render.c - draws a label type's elements into a 1-bit raster.
 *
 * Text goes through pango + cairo onto an 8-bit alpha surface that is
 * thresholded at 50 %; barcodes come from zint as a '1'/'0' module map and
 * are scaled by a whole number of dots per module, so bar widths are exact
 * on the print head; lines and boxes are filled directly in dots.
 */
#include "label/label_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <zint.h>

#define LABEL_FONT "WenQuanYi Micro Hei, Noto Sans CJK SC, sans"

/*
 * Millimetres to whole dots, rounding half up. (Layout sizes are never
 * negative; no libm needed.)
 */
static int mm_dots(float mm, double dpmm)
{
	return (int)(mm * dpmm + 0.5);
}

/* Lines and strokes are at least one dot, however thin in mm. */
static int dots_min1(float mm, double dpmm)
{
	int d = mm_dots(mm, dpmm);

	return d < 1 ? 1 : d;
}

static PangoContext *text_context(void)
{
	PangoFontMap *fm = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(fm);
	cairo_font_options_t *fo = cairo_font_options_create();

	/*
	 * No hinting: glyph positions then scale linearly with dpi, so a
	 * layout that fits at 203 dpi fits at 300 dpi too.
	 */
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	return ctx;
}

static PangoLayout *make_layout(PangoContext *ctx, const char *text,
				float pt, bool bold, bool wrap, int box_w,
				enum label_align align, int dpi)
{
	PangoLayout *l = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(
		LABEL_FONT);

	pango_font_description_set_absolute_size(
		fd, pt * dpi / 72.0 * PANGO_SCALE);
	pango_font_description_set_weight(
		fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (wrap) {
		pango_layout_set_width(l, box_w * PANGO_SCALE);
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(l,
			align == LALIGN_CENTER ? PANGO_ALIGN_CENTER :
			align == LALIGN_RIGHT ? PANGO_ALIGN_RIGHT :
			PANGO_ALIGN_LEFT);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

/* Fits text; on success returns the layout to draw (caller unrefs). */
static enum wh_err fit_layout(PangoContext *ctx, const char *text, float pt,
			      float min_pt, bool bold, bool wrap,
			      enum label_align align, int box_w, int box_h,
			      int dpi, struct label_text_fit *fit,
			      PangoLayout **out, struct wh_error *e)
{
	PangoLayout *l;
	PangoRectangle ink, log;
	float size = pt;

	for (;;) {
		l = make_layout(ctx, text, size, bold, wrap, box_w, align, dpi);
		pango_layout_get_pixel_extents(l, &ink, &log);
		fit->pt = size;
		fit->lines = pango_layout_get_line_count(l);
		fit->w_px = log.width;
		fit->h_px = log.height;
		if (log.width <= box_w && log.height <= box_h)
			break;
		g_object_unref(l);
		if (min_pt <= 0 || size <= min_pt)
			return wh_error_set(e, WH_ERR_INVALID,
				"text does not fit its %.1fx%.1f mm box "
				"(at %.1f pt it needs %.1fx%.1f mm, %d lines)",
				box_w / label_dpmm(dpi),
				box_h / label_dpmm(dpi), size,
				fit->w_px / label_dpmm(dpi),
				fit->h_px / label_dpmm(dpi), fit->lines);
		size = size * 0.9f < min_pt ? min_pt : size * 0.9f;
	}
	if (out)
		*out = l;
	else
		g_object_unref(l);
	return WH_OK;
}

enum wh_err label_text_fit(const char *text, float pt, float min_pt,
			   bool bold, bool wrap, int box_w, int box_h, int dpi,
			   struct label_text_fit *fit, struct wh_error *e)
{
	PangoContext *ctx = text_context();
	enum wh_err rc;

	rc = fit_layout(ctx, text, pt, min_pt, bold, wrap, LALIGN_LEFT,
			box_w, box_h, dpi, fit, NULL, e);
	g_object_unref(ctx);
	return rc;
}

/* The first {field} of a template, for error messages. */
static void template_field(const char *tmpl, char *buf, size_t n)
{
	const char *p = tmpl ? strchr(tmpl, '{') : NULL;
	size_t len;

	buf[0] = '\0';
	if (!p)
		return;
	len = strcspn(p + 1, "}");
	if (len >= n)
		len = n - 1;
	memcpy(buf, p + 1, len);
	buf[len] = '\0';
}

static void fill_rect(struct label_raster *r, int x, int y, int w, int h,
		      bool black)
{
	int i, j;

	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			if (i >= 0 && j >= 0 && i < r->w && j < r->h)
				label_raster_set(r, i, j, black);
}

static void xor_rect(struct label_raster *r, int x, int y, int w, int h)
{
	int i, j;

	for (j = y; j < y + h && j < r->h; j++)
		for (i = x; i < x + w && i < r->w; i++)
			label_raster_set(r, i, j, !label_raster_get(r, i, j));
}

struct sym_spec {
	int symbology, input_mode;
	bool linear;
	const char *name;
};

static struct sym_spec sym_spec(enum label_sym s)
{
	switch (s) {
	case LSYM_GS1_128:
		return (struct sym_spec){ BARCODE_GS1_128, GS1_MODE, true,
					  "GS1-128" };
	case LSYM_QR:
		return (struct sym_spec){ BARCODE_QRCODE, DATA_MODE, false,
					  "QR" };
	case LSYM_EAN13:
		return (struct sym_spec){ BARCODE_EANX, DATA_MODE, true,
					  "EAN-13" };
	case LSYM_GS1_DATAMATRIX:
		return (struct sym_spec){ BARCODE_DATAMATRIX, GS1_MODE, false,
					  "GS1 DataMatrix" };
	case LSYM_CODE128:
		break;
	}
	return (struct sym_spec){ BARCODE_CODE128, DATA_MODE, true,
				  "Code 128" };
}

static enum wh_err draw_barcode(const struct label_el *el, const char *data,
				struct label_raster *r, double dpmm,
				const char *field, struct wh_error *e)
{
	struct sym_spec sp = sym_spec(el->sym);
	struct zint_symbol *s = ZBarcode_Create();
	int bx = mm_dots(el->x, dpmm), by = mm_dots(el->y, dpmm);
	int bw = mm_dots(el->w, dpmm), bh = mm_dots(el->h, dpmm);
	int md, min_md, sw, sh, x0, i, j, rc;
	enum wh_err err = WH_OK;

	if (!s)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	s->symbology = sp.symbology;
	s->input_mode = sp.input_mode;
	s->warn_level = WARN_FAIL_ALL;
	s->output_options = OUT_BUFFER_INTERMEDIATE | BARCODE_QUIET_ZONES;
	s->scale = 0.5f;	/* one pixel per module */
	s->show_hrt = 0;
	if (el->sym == LSYM_QR)
		s->option_1 = 2;	/* error correction M */
	if (el->sym == LSYM_GS1_DATAMATRIX)
		s->option_3 = DM_SQUARE;
	rc = ZBarcode_Encode_and_Buffer(s, (const unsigned char *)data,
					(int)strlen(data), 0);
	if (rc >= ZINT_ERROR) {
		err = wh_error_set(e, rc == ZINT_ERROR_MEMORY ? WH_ERR_NOMEM :
				   WH_ERR_INVALID, "field %s: %s refused the "
				   "data: %s", field, sp.name, s->errtxt);
		goto out;
	}
	md = mm_dots(el->module_mm, dpmm);
	if (md < 1)
		md = 1;
	/* The smallest module is rounded up: never below min_module_mm. */
	min_md = el->min_module_mm > 0 ?
		(int)(el->min_module_mm * dpmm + 0.99) : md;
	if (min_md < 1)
		min_md = 1;
	while (md > min_md && (s->bitmap_width * md > bw ||
			       (!sp.linear && s->bitmap_height * md > bh)))
		md--;
	sw = s->bitmap_width * md;
	sh = sp.linear ? bh : s->bitmap_height * md;
	if (sw > bw || sh > bh) {
		err = wh_error_set(e, WH_ERR_INVALID,
				   "field %s: the %s symbol needs %.1fx%.1f mm, "
				   "its box is %.1fx%.1f mm", field, sp.name,
				   sw / dpmm, sh / dpmm, bw / dpmm, bh / dpmm);
		goto out;
	}
	x0 = bx + (el->align == LALIGN_CENTER ? (bw - sw) / 2 :
		   el->align == LALIGN_RIGHT ? bw - sw : 0);
	for (j = 0; j < sh; j++) {
		/* Linear symbols: every row is the first module row. */
		const unsigned char *row = s->bitmap +
			(size_t)(sp.linear ? 0 : j / md) * s->bitmap_width;

		for (i = 0; i < sw; i++)
			if (x0 + i < r->w && by + j < r->h)
				label_raster_set(r, x0 + i, by + j,
						 row[i / md] == '1');
	}
out:
	ZBarcode_Delete(s);
	return err;
}

/* Copies the alpha surface into the raster: alpha >= 50 % is black. */
static void threshold(cairo_surface_t *a8, struct label_raster *r)
{
	const uint8_t *px;
	int stride, x, y;

	cairo_surface_flush(a8);
	px = cairo_image_surface_get_data(a8);
	stride = cairo_image_surface_get_stride(a8);
	for (y = 0; y < r->h; y++)
		for (x = 0; x < r->w; x++)
			if (px[(size_t)y * stride + x] >= 128)
				label_raster_set(r, x, y, true);
}

struct render_ctx {
	const struct label_type *t;
	struct label_values v;
	int dpi;
	double dpmm;
	struct label_raster *r;
	cairo_t *cr;
	PangoContext *pc;
};

static enum wh_err draw_text(struct render_ctx *c, const struct label_el *el,
			     const char *text, const char *field,
			     struct wh_error *e)
{
	int bx = mm_dots(el->x, c->dpmm), by = mm_dots(el->y, c->dpmm);
	int bw = mm_dots(el->w, c->dpmm), bh = mm_dots(el->h, c->dpmm);
	struct label_text_fit fit;
	PangoLayout *l;
	PangoRectangle ink, log;
	int dx = 0, dy = 0;
	enum wh_err rc;

	rc = fit_layout(c->pc, text, el->pt, el->min_pt, el->bold, el->wrap,
			el->align, bw, bh, c->dpi, &fit, &l, e);
	if (rc) {
		if (*field)
			wh_error_prefix(e, "field %s", field);
		return rc;
	}
	pango_layout_get_pixel_extents(l, &ink, &log);
	if (!el->wrap && el->align == LALIGN_CENTER)
		dx = (bw - log.width) / 2;
	else if (!el->wrap && el->align == LALIGN_RIGHT)
		dx = bw - log.width;
	if (el->invert)
		dy = (bh - log.height) / 2;
	cairo_move_to(c->cr, bx + dx, by + dy);
	pango_cairo_show_layout(c->cr, l);
	g_object_unref(l);
	return WH_OK;
}

static enum wh_err check_bounds(const struct render_ctx *c,
				const struct label_el *el, struct wh_error *e)
{
	if (el->x < 0 || el->y < 0 ||
	    el->x + el->w > c->t->info.w_mm + 0.01f ||
	    el->y + el->h > c->t->info.h_mm + 0.01f)
		return wh_error_set(e, WH_ERR_INVALID,
				    "label %s: an element at %.1f,%.1f mm "
				    "lies outside the label", c->t->info.name,
				    el->x, el->y);
	return WH_OK;
}

/* Pass 1 draws text on the alpha surface; pass 2 works in dots. */
static enum wh_err render_pass(struct render_ctx *c, int pass,
			       struct wh_error *e)
{
	const struct label_el *el;
	char field[64];
	char *text;
	enum wh_err rc = WH_OK;
	int t;

	for (el = c->t->els; el->kind != LEL_TEXT || el->text; el++) {
		if (el->when && !*label_values_get(&c->v, el->when))
			continue;
		rc = check_bounds(c, el, e);
		if (rc)
			return rc;
		if (pass == 2 && el->kind == LEL_LINE) {
			fill_rect(c->r, mm_dots(el->x, c->dpmm),
				  mm_dots(el->y, c->dpmm),
				  dots_min1(el->w, c->dpmm),
				  dots_min1(el->h, c->dpmm), true);
			continue;
		}
		if (pass == 2 && el->kind == LEL_BOX) {
			int x = mm_dots(el->x, c->dpmm);
			int y = mm_dots(el->y, c->dpmm);
			int w = mm_dots(el->w, c->dpmm);
			int h = mm_dots(el->h, c->dpmm);

			t = dots_min1(el->stroke_mm, c->dpmm);
			fill_rect(c->r, x, y, w, t, true);
			fill_rect(c->r, x, y + h - t, w, t, true);
			fill_rect(c->r, x, y, t, h, true);
			fill_rect(c->r, x + w - t, y, t, h, true);
			continue;
		}
		if (el->kind == LEL_LINE || el->kind == LEL_BOX)
			continue;
		if (el->kind == LEL_TEXT && pass == 2) {
			if (el->invert)
				xor_rect(c->r, mm_dots(el->x, c->dpmm),
					 mm_dots(el->y, c->dpmm),
					 mm_dots(el->w, c->dpmm),
					 mm_dots(el->h, c->dpmm));
			continue;
		}
		if (el->kind == LEL_BARCODE && pass == 1)
			continue;
		text = label_expand(el->text, &c->v);
		if (!text)
			return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		if (el->about)
			snprintf(field, sizeof(field), "%s", el->about);
		else
			template_field(el->text, field, sizeof(field));
		if (*text && el->kind == LEL_TEXT)
			rc = draw_text(c, el, text, field, e);
		else if (*text)
			rc = draw_barcode(el, text, c->r, c->dpmm, field, e);
		free(text);
		if (rc)
			return rc;
	}
	return WH_OK;
}

enum wh_err label_render(const char *type, const json_t *data, int dpi,
			 struct label_raster **out, struct wh_error *e)
{
	struct render_ctx c = { 0 };
	cairo_surface_t *a8 = NULL;
	enum wh_err rc;

	*out = NULL;
	c.t = label_type_find(type);
	if (!c.t)
		return wh_error_set(e, WH_ERR_NOT_FOUND,
				    "unknown label type \"%s\" (see `wharf "
				    "label types`)", type);
	if (dpi < 150 || dpi > 600)
		return wh_error_set(e, WH_ERR_INVALID,
				    "unsupported resolution %d dpi", dpi);
	c.dpi = dpi;
	c.dpmm = label_dpmm(dpi);
	rc = label_values_collect(c.t, data, &c.v, e);
	if (rc)
		goto out;
	c.r = label_raster_new(mm_dots(c.t->info.w_mm, c.dpmm),
			       mm_dots(c.t->info.h_mm, c.dpmm));
	if (!c.r) {
		rc = wh_error_set(e, WH_ERR_NOMEM, "out of memory");
		goto out;
	}
	a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, c.r->w, c.r->h);
	c.cr = cairo_create(a8);
	if (cairo_status(c.cr) != CAIRO_STATUS_SUCCESS) {
		rc = wh_error_set(e, WH_ERR_NOMEM, "cairo: %s",
				  cairo_status_to_string(cairo_status(c.cr)));
		goto out;
	}
	cairo_set_source_rgba(c.cr, 0, 0, 0, 1);
	c.pc = text_context();
	rc = render_pass(&c, 1, e);
	if (rc)
		goto out;
	threshold(a8, c.r);
	rc = render_pass(&c, 2, e);
out:
	if (c.pc)
		g_object_unref(c.pc);
	if (c.cr)
		cairo_destroy(c.cr);
	if (a8)
		cairo_surface_destroy(a8);
	label_values_free(&c.v);
	if (rc) {
		label_raster_free(c.r);
		return rc;
	}
	*out = c.r;
	return WH_OK;
}

void label_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
}
