/* fuzz_html: any bytes through the whole cleaner (encoding detection, front
 * matter, HTML or text extraction, metadata, match form). */
#include "ww_article.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ww_cleaner_t *cleaner;
    char err[256];
    if (!cleaner)
        cleaner = ww_cleaner_new(1 << 20, err, sizeof err);
    if (!cleaner)
        return 0;
    ww_doc_info_t info = {.id = "fuzz", .fetched_at = 1689200000, .url = "https://example.org/a/b.html"};
    json_t *a = ww_cleaner_clean(cleaner, (const char *) data, size, &info, err, sizeof err);
    json_decref(a);
    return 0;
}
