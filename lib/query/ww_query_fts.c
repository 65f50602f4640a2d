/* ww_query_fts: translation of a parsed query into an FTS5 MATCH expression
 * for the wirewatch tokenizer (every term quoted, so FTS5 hands it to our
 * tokenizer whole and matches it as a phrase of units). */
#include "ww_query.h"
#include "ww_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s_columns(ww_field_t f)
{
    switch (f) {
    case WW_F_TITLE:
        return "{title}";
    case WW_F_BODY:
        return "{body}";
    case WW_F_SOURCE:
        return "{source}";
    case WW_F_AUTHOR:
        return "{author}";
    default:
        return "{title body}";
    }
}

static bool s_positive(const ww_qnode_t *n)
{
    return n->type != WW_Q_NOT;
}

static int s_emit(const ww_qnode_t *n, ww_buf_t *b, char *err, size_t errlen)
{
    switch (n->type) {
    case WW_Q_TERM:
        ww_buf_printf(b, "%s : \"", s_columns(n->field));
        for (const char *c = n->text; *c; c++) {
            if (*c == '"')
                ww_buf_addc(b, '"');
            ww_buf_addc(b, *c);
        }
        ww_buf_addc(b, '"');
        return 0;
    case WW_Q_OR:
        ww_buf_addc(b, '(');
        for (size_t i = 0; i < n->nkids; i++) {
            if (!s_positive(n->kids[i])) {
                snprintf(err, errlen, "search cannot use NOT inside OR; rewrite the query");
                return -1;
            }
            if (i)
                ww_buf_adds(b, " OR ");
            if (s_emit(n->kids[i], b, err, errlen) < 0)
                return -1;
        }
        ww_buf_addc(b, ')');
        return 0;
    case WW_Q_AND: {
        size_t positives = 0;
        ww_buf_addc(b, '(');
        for (size_t i = 0; i < n->nkids; i++) {
            if (!s_positive(n->kids[i]))
                continue;
            if (positives++)
                ww_buf_adds(b, " AND ");
            if (s_emit(n->kids[i], b, err, errlen) < 0)
                return -1;
        }
        if (!positives) {
            snprintf(err, errlen, "search needs at least one term that is not negated");
            return -1;
        }
        for (size_t i = 0; i < n->nkids; i++) {
            if (s_positive(n->kids[i]))
                continue;
            ww_buf_adds(b, " NOT ");
            if (s_emit(n->kids[i]->kids[0], b, err, errlen) < 0)
                return -1;
        }
        ww_buf_addc(b, ')');
        return 0;
    }
    case WW_Q_NOT:
        snprintf(err, errlen, "search needs at least one term that is not negated");
        return -1;
    }
    return -1;
}

char *ww_query_to_fts(const ww_query_t *q, char *err, size_t errlen)
{
    if (!q->root) {
        snprintf(err, errlen, "search needs at least one term besides since:/until:");
        return NULL;
    }
    ww_buf_t b;
    ww_buf_init(&b, 64 * 1024);
    if (s_emit(q->root, &b, err, errlen) < 0) {
        ww_buf_free(&b);
        return NULL;
    }
    return ww_buf_take(&b);
}
