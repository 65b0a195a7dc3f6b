#include "db/verify.h"

#include <stddef.h>

enum wh_err db_verify(struct db *db, verify_fn fn, void *ctx, int *violations,
		      struct wh_error *err)
{
	struct db_result *r;
	enum wh_err rc;

	*violations = 0;
	rc = db_exec(db, "SELECT check_name, detail FROM wharf.verify() "
			 "ORDER BY 1, 2", 0, NULL, &r, err);
	if (rc != WH_OK)
		return rc;
	*violations = db_result_rows(r);
	for (int i = 0; fn && i < *violations; i++)
		fn(ctx, db_result_text(r, i, 0), db_result_text(r, i, 1));
	db_result_free(r);
	return WH_OK;
}
