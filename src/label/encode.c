/*
 * encode.c - format dispatch and the render-N entry point for benchmarks.
 */
#include "label/label.h"

enum wh_err label_encode(const struct label_raster *r, enum label_format fmt,
			 const struct label_encode_opts *opts,
			 struct label_buf *out, struct wh_error *e)
{
	switch (fmt) {
	case LABEL_FMT_ZPL:
		return zpl_encode(r, opts, out, e);
	case LABEL_FMT_TSPL:
		return tspl_encode(r, opts, out, e);
	case LABEL_FMT_PDF:
		return label_pdf_encode(r, opts, out, e);
	case LABEL_FMT_PNG:
		return label_png_encode(r, opts, out, e);
	}
	return wh_error_set(e, WH_ERR_INVALID, "unknown label format %d",
			    (int)fmt);
}

enum wh_err label_render_n(const char *type, const json_t *data, int dpi,
			   enum label_format fmt, int n, size_t *bytes,
			   struct wh_error *e)
{
	struct label_encode_opts o = { .dpi = dpi };
	struct label_raster *r;
	struct label_buf b = { 0 };
	enum wh_err rc = WH_OK;
	int i;

	for (i = 0; i < n && rc == WH_OK; i++) {
		b.len = 0;
		rc = label_render(type, data, dpi, &r, e);
		if (rc == WH_OK)
			rc = label_encode(r, fmt, &o, &b, e);
		label_raster_free(r);
	}
	if (bytes)
		*bytes = b.len;
	label_buf_free(&b);
	return rc;
}
