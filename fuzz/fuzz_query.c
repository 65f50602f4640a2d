/* fuzz_query: any text as a query: parse, translate for FTS5, evaluate. */
#include "ww_query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ww_fold_t *fold;
    char err[256];
    if (!fold)
        fold = ww_fold_new(err, sizeof err);
    if (!fold || size > 4096)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    ww_query_t *q = ww_query_parse(text, fold, 1700000000, err, sizeof err);
    if (q) {
        char *fts = ww_query_to_fts(q, NULL, err, sizeof err);
        free(fts);
        ww_qdoc_t doc = {"港口恢复作业", "台风过境后，港区全面恢复作业 harbour daily", "东海新闻网", "林海",
                         1690000000};
        ww_qprep_t *p = ww_qprep_new(&doc);
        ww_query_matches(q, p);
        char terms[256];
        ww_query_matched_terms(q, p, terms, sizeof terms);
        ww_qprep_destroy(&p);
        ww_query_destroy(&q);
    }
    free(text);
    return 0;
}
