/* ww_presearch: required literals of a query. */
#include "ww_presearch.h"
#include "ww_units.h"

#include <stdlib.h>
#include <string.h>

/* The longest piece of a term that must appear byte for byte in a field
 * the term matches: one word unit, or a run of CJK units that touch. */
char *ww_presearch_term_literal(const char *text, bool *cjk_run)
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
            *cjk_run = u[i].cjk;
        }
        i = j;
    }
    free(u);
    return best_len ? strndup(text + best_start, best_len) : NULL;
}

static void s_add(ww_literals_t *set, char *lit, unsigned char proves, unsigned char fields)
{
    for (size_t i = 0; i < set->count; i++)
        if (!strcmp(set->items[i], lit)) {
            free(lit);
            set->proves[i] |= proves; /* OR: either term proves it */
            set->fields[i] |= fields;
            return;
        }
    set->items = realloc(set->items, (set->count + 1) * sizeof *set->items);
    set->proves = realloc(set->proves, (set->count + 1) * sizeof *set->proves);
    set->fields = realloc(set->fields, (set->count + 1) * sizeof *set->fields);
    set->proves[set->count] = proves;
    set->fields[set->count] = fields;
    set->items[set->count++] = lit;
}

static void s_unprove(ww_literals_t *set)
{
    for (size_t i = 0; i < set->count; i++)
        set->proves[i] = 0;
}

unsigned char ww_presearch_field_bits(ww_field_t field)
{
    switch (field) {
    case WW_F_ANY:
        return WW_PROVES_TITLE | WW_PROVES_BODY;
    case WW_F_TITLE:
        return WW_PROVES_TITLE;
    case WW_F_BODY:
        return WW_PROVES_BODY;
    case WW_F_SOURCE:
        return WW_PROVES_SOURCE;
    case WW_F_AUTHOR:
        return WW_PROVES_AUTHOR;
    }
    return 0;
}

/* How selective a set looks: its least selective literal, by length, a
 * literal wanted only in titles counting four times (titles are short). */
static size_t s_selectivity(const ww_literals_t *set)
{
    size_t m = (size_t) -1;
    for (size_t i = 0; i < set->count; i++) {
        size_t w = strlen(set->items[i]) * (set->fields[i] == WW_PROVES_TITLE ? 4 : 1);
        if (w < m)
            m = w;
    }
    return m;
}

static void s_literals(const ww_qnode_t *n, ww_literals_t *out)
{
    memset(out, 0, sizeof *out);
    switch (n->type) {
    case WW_Q_TERM: {
        bool cjk_run = false;
        char *lit = ww_presearch_term_literal(n->text, &cjk_run);
        if (lit)
            s_add(out, lit, cjk_run && !strcmp(lit, n->text) ? ww_presearch_field_bits(n->field) : 0,
                  ww_presearch_field_bits(n->field));
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
            if (!kid.always && (!found || s_selectivity(&kid) > s_selectivity(out) ||
                                (s_selectivity(&kid) == s_selectivity(out) && kid.count < out->count))) {
                ww_literals_free(out);
                *out = kid;
                found = true;
            } else
                ww_literals_free(&kid);
        }
        out->always = !found;
        if (n->nkids > 1) /* the other operands still need checking */
            s_unprove(out);
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
                s_add(out, kid.items[k], kid.proves[k], kid.fields[k]);
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
    if (q->since || q->until) /* the date still needs checking */
        s_unprove(out);
}

void ww_literals_free(ww_literals_t *lits)
{
    for (size_t i = 0; i < lits->count; i++)
        free(lits->items[i]);
    free(lits->items);
    free(lits->proves);
    free(lits->fields);
    lits->items = NULL;
    lits->proves = NULL;
    lits->fields = NULL;
    lits->count = 0;
}
