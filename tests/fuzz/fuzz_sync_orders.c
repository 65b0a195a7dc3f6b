/*
 * libFuzzer harness: every platform's order parser, the Amazon item
 * parser, the envelope classifier and the sanitiser on the same input.
 * Seeds: tests/fuzz/corpus/sync_orders/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/order.h"
#include "sync/untrusted.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct sync_order_list l;
	struct sync_api_error ae;
	struct wh_error e;
	char *clean;

	for (int p = 0; p < SYNC_PLATFORM_COUNT; p++) {
		sync_order_list_init(&l);
		if (sync_parse_orders((enum sync_platform)p, s, size, &l, &e) ==
		    WH_OK) {
			for (size_t i = 0; i < l.n; i++) {
				const char *id = l.v[i].order_id;

				if (!id || !untrusted_is_clean(id, strlen(id)))
					abort();
			}
		}
		if (p == SYNC_PLATFORM_AMAZON && l.n > 0) {
			char *next = NULL;

			(void)sync_parse_amazon_order_items(s, size, &l.v[0],
							    &next, &e);
			free(next);
		}
		sync_order_list_free(&l);
		(void)sync_api_classify((enum sync_platform)p, 429, s, size,
					&ae);
	}
	clean = untrusted_clean(s, size, 64, NULL);
	if (clean && !untrusted_is_clean(clean, strlen(clean)))
		abort();
	free(clean);
	return 0;
}
