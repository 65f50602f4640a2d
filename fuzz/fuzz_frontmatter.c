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
    /* the fast reader of simple front matter agrees with libyaml on every
     * block it accepts (whole input as the YAML block) */
    json_t *fast = json_object(), *slow = json_object();
    if (ww_frontmatter_read_simple(text, size, fast) &&
        (ww_frontmatter_read_yaml(text, size, slow, err, sizeof err) != 0 || !json_equal(fast, slow)))
        abort();
    json_decref(fast);
    json_decref(slow);
    free(text);
    return 0;
}
