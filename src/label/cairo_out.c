/*
 * cairo_out.c - PNG and PDF output through cairo.
 *
 * PNG: a 1-bit greyscale image at the printer's resolution, what the
 * printer will print dot for dot (the tests scan it with zbarimg).
 * PDF: the same raster as a stencil mask at native resolution on a page
 * of the label's size, for a normal CUPS queue or a driver that scales.
 */
#include "label/label.h"

#include <cairo.h>
#include <cairo-pdf.h>

static uint8_t reverse_bits(uint8_t b)
{
	b = (uint8_t)((b & 0xf0) >> 4 | (b & 0x0f) << 4);
	b = (uint8_t)((b & 0xcc) >> 2 | (b & 0x33) << 2);
	return (uint8_t)((b & 0xaa) >> 1 | (b & 0x55) << 1);
}

/*
 * An A1 surface of the raster. cairo packs A1 pixels into native-endian
 * 32-bit words, so on a little-endian host the first pixel is a byte's
 * least significant bit. `opaque_black` chooses whether alpha 1 marks the
 * black dots (a mask) or the white ones (PNG writes A1 alpha as grey).
 */
static cairo_surface_t *a1_surface(const struct label_raster *r,
				   bool opaque_black)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A1,
							r->w, r->h);
	uint8_t *px, b;
	int stride, x, y;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		return s;
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < r->h; y++) {
		for (x = 0; x < r->stride; x++) {
			b = r->bits[(size_t)y * r->stride + x];
			if (!opaque_black)
				b = (uint8_t)~b;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			b = reverse_bits(b);
#endif
			px[(size_t)y * stride + x] = b;
		}
	}
	cairo_surface_mark_dirty(s);
	return s;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int len)
{
	return label_buf_append(closure, data, len) ?
		       CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

enum wh_err label_png_encode(const struct label_raster *r,
			     const struct label_encode_opts *opts,
			     struct label_buf *out, struct wh_error *e)
{
	cairo_surface_t *s = a1_surface(r, false);
	cairo_status_t st = cairo_surface_status(s);

	(void)opts;
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, to_buf, out);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		return wh_error_set(e, WH_ERR_NOMEM, "PNG: %s",
				    cairo_status_to_string(st));
	return WH_OK;
}

enum wh_err label_pdf_encode(const struct label_raster *r,
			     const struct label_encode_opts *opts,
			     struct label_buf *out, struct wh_error *e)
{
	int dpi = opts && opts->dpi ? opts->dpi : 203;
	double pt = 72.0 / 25.4 / label_dpmm(dpi);	/* points per dot */
	cairo_surface_t *pdf, *mask;
	cairo_pattern_t *pat;
	cairo_status_t st;
	cairo_t *cr;

	pdf = cairo_pdf_surface_create_for_stream(to_buf, out, r->w * pt,
						  r->h * pt);
	mask = a1_surface(r, true);
	cr = cairo_create(pdf);
	cairo_scale(cr, pt, pt);
	cairo_set_source_rgb(cr, 0, 0, 0);
	pat = cairo_pattern_create_for_surface(mask);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	cairo_mask(cr, pat);
	cairo_show_page(cr);
	cairo_pattern_destroy(pat);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(pdf);
	cairo_surface_destroy(pdf);
	cairo_surface_destroy(mask);
	if (st != CAIRO_STATUS_SUCCESS)
		return wh_error_set(e, WH_ERR_NOMEM, "PDF: %s",
				    cairo_status_to_string(st));
	return WH_OK;
}
