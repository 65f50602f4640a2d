/* fuzz_opml: any bytes as an OPML feed list. */
#include "ww_opml.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    json_t *feeds = ww_opml_parse((const char *) data, size, 1000, err, sizeof err);
    if (feeds) {
        char *again = ww_opml_write(feeds, "fuzz");
        free(again);
    }
    json_decref(feeds);
    return 0;
}
