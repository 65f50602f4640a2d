/* ww_query_eval: evaluates a parsed query against one article's match form,
 * unit by unit, exactly as the FTS5 index would (see ww_units.h). */
#include "ww_query.h"
#include "ww_units.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A field's units, with an index from a unit's bytes to its occurrences:
 * a term is then looked for only where its first unit occurs, so one
 * article can be checked against thousands of candidate watches cheaply. */
typedef struct {
    bool built;      /* tried: slots stays NULL if memory ran out (then units are scanned) */
    uint32_t *slots; /* hash slot -> 1 + index of the unit's first occurrence, 0 empty */
    size_t nslots;   /* a power of two */
    uint32_t *next;  /* unit index -> 1 + index of the next occurrence of the same unit, 0 none */
} s_occurrences_t;

/* The index is built on first use: the matcher decides most watches from
 * its literal findings and never asks (it was a tenth of the matching
 * time). It sits behind a pointer so that a const prep can fill it in; a
 * prep is used by one thread at a time. */
typedef struct {
    const char *text;
    ww_unit_t *units;
    size_t count;
    s_occurrences_t *occ;
} s_field_t;

struct ww_qprep_t {
    s_field_t f[4]; /* title, body, source, author */
    s_occurrences_t occ[4];
    time_t published;
};

static uint64_t s_hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char) p[i]) * 1099511628211ULL;
    return h;
}

static void s_index_field(const s_field_t *f)
{
    s_occurrences_t *x = f->occ;
    x->built = true;
    x->nslots = 16;
    while (x->nslots < f->count * 2)
        x->nslots *= 2;
    x->slots = calloc(x->nslots, sizeof *x->slots);
    x->next = calloc(f->count + 1, sizeof *x->next);
    uint32_t *last = calloc(x->nslots, sizeof *last); /* slot -> 1 + latest occurrence */
    if (!x->slots || !x->next || !last) {
        free(x->slots);
        free(x->next);
        free(last);
        x->slots = x->next = NULL;
        return;
    }
    for (size_t i = 0; i < f->count; i++) {
        const ww_unit_t *u = &f->units[i];
        size_t slot = s_hash_bytes(f->text + u->start, u->len) & (x->nslots - 1);
        while (x->slots[slot]) {
            const ww_unit_t *o = &f->units[x->slots[slot] - 1];
            if (o->len == u->len && !memcmp(f->text + o->start, f->text + u->start, u->len))
                break;
            slot = (slot + 1) & (x->nslots - 1);
        }
        if (!x->slots[slot])
            x->slots[slot] = (uint32_t) i + 1;
        else
            x->next[last[slot] - 1] = (uint32_t) i + 1;
        last[slot] = (uint32_t) i + 1;
    }
    free(last);
}

/* 1 + index of the occurrence of the unit p (n bytes) after occurrence
 * prev (1 + index, 0 for the first), or 0 when there is none. */
static uint32_t s_next_occurrence(const s_field_t *f, uint32_t prev, const char *p, size_t n)
{
    if (!f->count)
        return 0;
    if (!f->occ->built)
        s_index_field(f);
    const s_occurrences_t *x = f->occ;
    if (!x->slots) { /* no index: scan */
        for (size_t i = prev; i < f->count; i++)
            if (f->units[i].len == n && !memcmp(f->text + f->units[i].start, p, n))
                return (uint32_t) i + 1;
        return 0;
    }
    if (prev)
        return x->next[prev - 1];
    size_t slot = s_hash_bytes(p, n) & (x->nslots - 1);
    while (x->slots[slot]) {
        const ww_unit_t *o = &f->units[x->slots[slot] - 1];
        if (o->len == n && !memcmp(f->text + o->start, p, n))
            return x->slots[slot];
        slot = (slot + 1) & (x->nslots - 1);
    }
    return 0;
}

ww_qprep_t *ww_qprep_new(const ww_qdoc_t *doc)
{
    ww_qprep_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    const char *texts[4] = {doc->title, doc->body, doc->source, doc->author};
    for (int i = 0; i < 4; i++) {
        self->f[i].text = texts[i] ? texts[i] : "";
        self->f[i].units = ww_units(self->f[i].text, strlen(self->f[i].text), &self->f[i].count);
        self->f[i].occ = &self->occ[i];
    }
    self->published = doc->published;
    return self;
}

size_t ww_qprep_field(const ww_qprep_t *prep, int field, const char **text, const ww_unit_t **units)
{
    const s_field_t *f = &prep->f[field & 3];
    *text = f->text;
    *units = f->units;
    return f->count;
}

void ww_qprep_destroy(ww_qprep_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    for (int i = 0; i < 4; i++) {
        free((*self_p)->f[i].units);
        free((*self_p)->occ[i].slots);
        free((*self_p)->occ[i].next);
    }
    free(*self_p);
    *self_p = NULL;
}

static bool s_unit_eq(const char *a, const ww_unit_t *ua, const char *b, const ww_unit_t *ub)
{
    return ua->len == ub->len && memcmp(a + ua->start, b + ub->start, ua->len) == 0;
}

/* True if the term's units occur consecutively in the field's units. Two CJK
 * characters that touch in the term must touch in the text too: the index
 * holds bigrams only of touching characters (ww_tokenizer.h). */
static bool s_field_has(const s_field_t *f, const char *term, const ww_unit_t *tu, size_t tn)
{
    if (tn == 0 || tn > f->count)
        return false;
    for (uint32_t occ = s_next_occurrence(f, 0, term + tu[0].start, tu[0].len); occ;
         occ = s_next_occurrence(f, occ, term + tu[0].start, tu[0].len)) {
        size_t i = occ - 1;
        if (i + tn > f->count)
            break;
        size_t k = 1;
        while (k < tn && s_unit_eq(f->text, &f->units[i + k], term, &tu[k]) &&
               (!ww_units_touch(&tu[k - 1], &tu[k]) || ww_units_touch(&f->units[i + k - 1], &f->units[i + k])))
            k++;
        if (k == tn)
            return true;
    }
    return false;
}

static bool s_term_matches(const ww_qnode_t *n, const ww_qprep_t *d)
{
    const ww_unit_t *tu = n->units;
    size_t tn = n->nunits;
    switch (n->field) {
    case WW_F_ANY:
        return s_field_has(&d->f[0], n->text, tu, tn) || s_field_has(&d->f[1], n->text, tu, tn);
    case WW_F_TITLE:
        return s_field_has(&d->f[0], n->text, tu, tn);
    case WW_F_BODY:
        return s_field_has(&d->f[1], n->text, tu, tn);
    case WW_F_SOURCE:
        return s_field_has(&d->f[2], n->text, tu, tn);
    case WW_F_AUTHOR:
        return s_field_has(&d->f[3], n->text, tu, tn);
    }
    return false;
}

static bool s_eval(const ww_qnode_t *n, const ww_qprep_t *d)
{
    switch (n->type) {
    case WW_Q_TERM:
        return s_term_matches(n, d);
    case WW_Q_NOT:
        return !s_eval(n->kids[0], d);
    case WW_Q_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (!s_eval(n->kids[i], d))
                return false;
        return true;
    case WW_Q_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (s_eval(n->kids[i], d))
                return true;
        return false;
    }
    return false;
}

bool ww_query_matches(const ww_query_t *q, const ww_qprep_t *d)
{
    if (q->since && d->published < q->since)
        return false;
    if (q->until && d->published >= q->until)
        return false;
    return q->root ? s_eval(q->root, d) : true;
}

static void s_collect(const ww_qnode_t *n, bool negated, const ww_qprep_t *d, char *out, size_t outlen, size_t *used)
{
    if (n->type == WW_Q_TERM) {
        size_t tl = strlen(n->text);
        if (!negated && s_term_matches(n, d) && *used + tl + 1 < outlen) {
            memcpy(out + *used, n->text, tl + 1);
            *used += tl + 1;
            out[*used] = 0;
        }
        return;
    }
    for (size_t i = 0; i < n->nkids; i++)
        s_collect(n->kids[i], negated ^ (n->type == WW_Q_NOT), d, out, outlen, used);
}

void ww_query_matched_terms(const ww_query_t *q, const ww_qprep_t *d, char *out, size_t outlen)
{
    size_t used = 0;
    if (outlen < 2)
        return;
    out[0] = out[1] = 0;
    if (q->root)
        s_collect(q->root, false, d, out, outlen, &used);
}
