/* ww_presearch: required literals of a query. */
#include "ww_presearch.h"
#include "ww_units.h"

#include <stdlib.h>
#include <string.h>

/* The longest piece of a term that must appear byte for byte in a field
 * the term matches: one word unit, or a run of CJK units that touch. */
static char *s_term_literal(const char *text)
{
    size_t n = 0;
    ww_unit_t *u = ww_units(text, strlen(text), &n);
    size_t best_start = 0, best_len = 0;
    for (size_t i = 0; i < n;) {
        size_t start = u[i].start, end = u[i].start + u[i].len, j = i + 1;
        if (u[i].cjk)
            while (j < n && u[j].cjk && u[j].start == u[j - 1].start + u[j - 1].len) {
                end = u[j].start + u[j].len;
                j++;
            }
        if (end - start > best_len) {
            best_start = start;
            best_len = end - start;
        }
        i = j;
    }
    free(u);
    return best_len ? strndup(text + best_start, best_len) : NULL;
}

static void s_add(ww_literals_t *set, char *lit)
{
    for (size_t i = 0; i < set->count; i++)
        if (!strcmp(set->items[i], lit)) {
            free(lit);
            return;
        }
    set->items = realloc(set->items, (set->count + 1) * sizeof *set->items);
    set->items[set->count++] = lit;
}

static size_t s_shortest(const ww_literals_t *set)
{
    size_t m = (size_t) -1;
    for (size_t i = 0; i < set->count; i++)
        if (strlen(set->items[i]) < m)
            m = strlen(set->items[i]);
    return m;
}

static void s_literals(const ww_qnode_t *n, ww_literals_t *out)
{
    memset(out, 0, sizeof *out);
    switch (n->type) {
    case WW_Q_TERM: {
        char *lit = s_term_literal(n->text);
        if (lit)
            s_add(out, lit);
        else
            out->always = true; /* a term with no unit never matches; be safe */
        return;
    }
    case WW_Q_NOT:
        out->always = true;
        return;
    case WW_Q_AND: {
        /* every operand must match: the operand whose rarest-looking set is
         * most selective suffices */
        bool found = false;
        for (size_t i = 0; i < n->nkids; i++) {
            ww_literals_t kid;
            s_literals(n->kids[i], &kid);
            if (!kid.always && (!found || s_shortest(&kid) > s_shortest(out) ||
                                (s_shortest(&kid) == s_shortest(out) && kid.count < out->count))) {
                ww_literals_free(out);
                *out = kid;
                found = true;
            } else
                ww_literals_free(&kid);
        }
        out->always = !found;
        return;
    }
    case WW_Q_OR:
        for (size_t i = 0; i < n->nkids; i++) {
            ww_literals_t kid;
            s_literals(n->kids[i], &kid);
            if (kid.always) {
                ww_literals_free(&kid);
                ww_literals_free(out);
                out->always = true;
                return;
            }
            for (size_t k = 0; k < kid.count; k++) {
                s_add(out, kid.items[k]);
                kid.items[k] = NULL;
            }
            ww_literals_free(&kid);
        }
        return;
    }
}

void ww_presearch_literals(const ww_query_t *q, ww_literals_t *out)
{
    if (!q->root) {
        memset(out, 0, sizeof *out);
        out->always = true;
        return;
    }
    s_literals(q->root, out);
}

void ww_literals_free(ww_literals_t *lits)
{
    for (size_t i = 0; i < lits->count; i++)
        free(lits->items[i]);
    free(lits->items);
    lits->items = NULL;
    lits->count = 0;
}
