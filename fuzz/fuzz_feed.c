/* fuzz_feed: any bytes as a feed (XML of every flavour or JSON Feed). */
#include "ww_feed.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    json_t *f = ww_feed_parse((const char *) data, size, NULL, "https://example.org/feed", 100, err, sizeof err);
    json_decref(f);
    return 0;
}
