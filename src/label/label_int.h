/*
 * label_int.h - internals of the label module shared between its files
 * and its unit tests: the layout description, the field table, text
 * fitting. Not for use outside src/label and tests/unit/label.
 *
 * Layouts are C tables (layouts.c) rather than JSON files: they are
 * type-checked by the compiler, need no parser or installed data files,
 * and cannot be altered by anyone who can write a file on the station.
 *
 * Ownership: layout tables are static and immutable. A struct label_values
 * owns its json_t; label_values_free releases it.
 */
#ifndef WHARF_LABEL_LABEL_INT_H
#define WHARF_LABEL_LABEL_INT_H

#include "label/label.h"

enum label_el_kind {
	LEL_TEXT,
	LEL_BARCODE,
	LEL_LINE,	/* a filled rectangle w x h: use a small w or h */
	LEL_BOX,	/* an outline of thickness `stroke_mm` */
};

enum label_align {
	LALIGN_LEFT,
	LALIGN_CENTER,
	LALIGN_RIGHT,
};

enum label_sym {
	LSYM_CODE128,
	LSYM_GS1_128,
	LSYM_QR,
	LSYM_EAN13,
	LSYM_GS1_DATAMATRIX,
};

/*
 * One element. Coordinates in mm from the label's top-left corner.
 * `text` is a template: "{receiver.name}  {receiver.phone}" substitutes
 * field values (see struct label_field); "{{" is a literal "{".
 * An element whose `when` field is empty is skipped.
 */
struct label_el {
	enum label_el_kind kind;
	float x, y, w, h;
	const char *text;
	const char *when;
	const char *about;	/* field names for errors; default: the
				 * template's first field */
	/* LEL_TEXT: size in points; wrap inside w; shrink down to min_pt. */
	float pt, min_pt;
	bool bold, wrap, invert;	/* invert: white text on black box */
	enum label_align align;
	/* LEL_BARCODE: nominal and smallest module (X-dimension). */
	enum label_sym sym;
	float module_mm, min_module_mm;
	/* LEL_BOX */
	float stroke_mm;
};

enum label_field_kind {
	LF_TEXT,	/* any text, control characters stripped */
	LF_CODE,	/* printable ASCII without spaces, for Code 128 / QR */
	LF_NUMBER,	/* number or numeric string */
	LF_ITEMS,	/* array of {name, qty}; value becomes a summary */
};

struct label_field {
	const char *path;	/* dotted: "receiver.address" */
	enum label_field_kind kind;
	bool required;
	size_t max_len;		/* bytes after sanitising; 0 = 4096 */
};

/* Field values of one label: a JSON object of path -> string. */
struct label_values {
	json_t *obj;
};

struct label_type {
	struct label_type_info info;
	const struct label_field *fields;	/* terminated by path NULL */
	const struct label_el *els;		/* terminated by kind LEL_TEXT
						 * with text NULL */
	/* Derives computed fields (GS1 strings); may be NULL. */
	enum wh_err (*prepare)(struct label_values *v, struct wh_error *e);
};

const struct label_type *label_type_find(const char *name);

/* Values: lookup returns "" for an absent field, never NULL. */
const char *label_values_get(const struct label_values *v, const char *key);
enum wh_err label_values_put(struct label_values *v, const char *key,
			     const char *val, struct wh_error *e);

/*
 * Collects the declared fields from data into v (sanitised strings).
 * v->obj is created here; free it with label_values_free even on error.
 */
enum wh_err label_values_collect(const struct label_type *t,
				 const json_t *data, struct label_values *v,
				 struct wh_error *e);
void label_values_free(struct label_values *v);

/*
 * Copies text, dropping C0/C1 control characters, DEL and bidirectional
 * overrides; tabs and line breaks become one space. Returns a new string
 * (caller frees) or NULL when out of memory. Invalid UTF-8 bytes are
 * dropped too.
 */
char *label_sanitize_text(const char *s);

/* Expands a template into a new string (caller frees), NULL on NOMEM. */
char *label_expand(const char *tmpl, const struct label_values *v);

/* Text fitting, exposed for tests. */
struct label_text_fit {
	float pt;		/* size used after shrinking */
	int lines;
	int w_px, h_px;		/* logical extent */
};

/*
 * Lays out text in a box of box_w x box_h dots at dpi, wrapping when asked
 * and shrinking from pt down to min_pt (0 = no shrink). WH_ERR_INVALID
 * when it still does not fit.
 */
enum wh_err label_text_fit(const char *text, float pt, float min_pt,
			   bool bold, bool wrap, int box_w, int box_h, int dpi,
			   struct label_text_fit *fit, struct wh_error *e);

#endif
