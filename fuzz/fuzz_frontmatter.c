/* fuzz_frontmatter: any text as a document head with YAML front matter. */
#include "ww_frontmatter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    json_t *meta = NULL;
    size_t body = 0;
    char err[256];
    ww_frontmatter_parse(text, size, &meta, &body, err, sizeof err);
    if (body > size)
        abort(); /* the body must start inside the text */
    json_decref(meta);
    free(text);
    return 0;
}
