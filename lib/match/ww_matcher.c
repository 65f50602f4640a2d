/* ww_matcher: Vectorscan presearch, then exact evaluation of candidates. */
#include "ww_matcher.h"
#include "ww_presearch.h"

#include <hs/hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const ww_query_t *query;
    size_t ref;
} s_entry_t;

/* Literal -> queries, as a compressed list: queries of literal i are
 * post[first[i] .. first[i+1]). */
struct ww_matcher_t {
    s_entry_t *entries;
    size_t count, cap;
    ww_literals_t *lits; /* per entry, until compiled */
    size_t *always;      /* entries evaluated for every article */
    size_t nalways;
    uint32_t *first;
    uint32_t *post;
    size_t npost;
    size_t nliterals;
    hs_database_t *db;
    double compile_seconds;
};

struct ww_match_scratch_t {
    hs_scratch_t *hs;
    uint32_t *seen; /* per entry: the scan generation that made it a candidate */
    uint32_t generation;
    size_t *candidates;
    size_t ncandidates;
    const ww_matcher_t *matcher;
};

ww_matcher_t *ww_matcher_new(void)
{
    return calloc(1, sizeof(ww_matcher_t));
}

void ww_matcher_destroy(ww_matcher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_matcher_t *self = *self_p;
    if (self->lits)
        for (size_t i = 0; i < self->count; i++)
            ww_literals_free(&self->lits[i]);
    free(self->lits);
    free(self->entries);
    free(self->always);
    free(self->first);
    free(self->post);
    hs_free_database(self->db);
    free(self);
    *self_p = NULL;
}

void ww_matcher_add(ww_matcher_t *self, const ww_query_t *query, size_t ref)
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 64;
        self->entries = realloc(self->entries, self->cap * sizeof *self->entries);
    }
    self->entries[self->count++] = (s_entry_t){query, ref};
}

/* Literal text -> id while compiling: an open-addressing table. */
typedef struct {
    const char **keys;
    uint32_t *ids;
    size_t cap;
} s_intern_t;

static uint64_t s_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * 1099511628211ULL;
    return h;
}

static uint32_t s_intern(s_intern_t *t, const char *key, size_t *next_id)
{
    size_t i = s_hash(key) & (t->cap - 1);
    while (t->keys[i]) {
        if (!strcmp(t->keys[i], key))
            return t->ids[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = key;
    t->ids[i] = (uint32_t) (*next_id)++;
    return t->ids[i];
}

int ww_matcher_compile(ww_matcher_t *self, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    self->lits = calloc(self->count + 1, sizeof *self->lits);
    self->always = calloc(self->count + 1, sizeof *self->always);
    size_t total = 0;
    for (size_t i = 0; i < self->count; i++) {
        ww_presearch_literals(self->entries[i].query, &self->lits[i]);
        if (self->lits[i].always)
            self->always[self->nalways++] = i;
        else
            total += self->lits[i].count;
    }
    s_intern_t t = {0};
    t.cap = 64;
    while (t.cap < total * 2 + 2)
        t.cap *= 2;
    t.keys = calloc(t.cap, sizeof *t.keys);
    t.ids = calloc(t.cap, sizeof *t.ids);
    /* pass 1: ids and the number of queries per literal */
    uint32_t *ids = malloc((total + 1) * sizeof *ids);
    size_t nids = 0, next_id = 0;
    for (size_t i = 0; i < self->count; i++)
        for (size_t k = 0; !self->lits[i].always && k < self->lits[i].count; k++)
            ids[nids++] = s_intern(&t, self->lits[i].items[k], &next_id);
    self->nliterals = next_id;
    self->first = calloc(next_id + 2, sizeof *self->first);
    for (size_t k = 0; k < nids; k++)
        self->first[ids[k] + 1]++;
    for (size_t l = 0; l < next_id; l++)
        self->first[l + 1] += self->first[l];
    /* pass 2: fill the lists (entries in increasing order) */
    self->post = malloc((nids + 1) * sizeof *self->post);
    uint32_t *fill = calloc(next_id + 1, sizeof *fill);
    nids = 0;
    for (size_t i = 0; i < self->count; i++)
        for (size_t k = 0; !self->lits[i].always && k < self->lits[i].count; k++) {
            uint32_t id = ids[nids++];
            self->post[self->first[id] + fill[id]++] = (uint32_t) i;
        }
    free(fill);
    self->npost = nids;
    /* the database: one pattern per distinct literal */
    const char **patterns = calloc(next_id + 1, sizeof *patterns);
    size_t *lens = calloc(next_id + 1, sizeof *lens);
    unsigned *flags = calloc(next_id + 1, sizeof *flags);
    unsigned *pids = calloc(next_id + 1, sizeof *pids);
    for (size_t i = 0; i < t.cap; i++)
        if (t.keys[i]) {
            patterns[t.ids[i]] = t.keys[i];
            lens[t.ids[i]] = strlen(t.keys[i]);
        }
    for (size_t l = 0; l < next_id; l++) {
        flags[l] = HS_FLAG_SINGLEMATCH;
        pids[l] = (unsigned) l;
    }
    int rc = 0;
    if (next_id > 0) {
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_lit_multi(patterns, flags, pids, lens, (unsigned) next_id, HS_MODE_BLOCK, NULL, &self->db,
                                 &cerr) != HS_SUCCESS) {
            snprintf(err, errlen, "Vectorscan cannot compile %zu literals: %s", next_id,
                     cerr && cerr->message ? cerr->message : "unknown error");
            hs_free_compile_error(cerr);
            rc = -1;
        }
    }
    free(patterns);
    free(lens);
    free(flags);
    free(pids);
    free(ids);
    free(t.ids);
    free(t.keys); /* the keys themselves belong to self->lits */
    for (size_t i = 0; i < self->count; i++)
        ww_literals_free(&self->lits[i]);
    free(self->lits);
    self->lits = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    self->compile_seconds = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}

ww_match_scratch_t *ww_match_scratch_new(const ww_matcher_t *self)
{
    ww_match_scratch_t *s = calloc(1, sizeof *s);
    s->matcher = self;
    if (self->db && hs_alloc_scratch(self->db, &s->hs) != HS_SUCCESS) {
        free(s);
        return NULL;
    }
    s->seen = calloc(self->count + 1, sizeof *s->seen);
    s->candidates = malloc((self->count + 1) * sizeof *s->candidates);
    return s;
}

void ww_match_scratch_destroy(ww_match_scratch_t **scratch_p)
{
    if (!scratch_p || !*scratch_p)
        return;
    ww_match_scratch_t *s = *scratch_p;
    hs_free_scratch(s->hs);
    free(s->seen);
    free(s->candidates);
    free(s);
    *scratch_p = NULL;
}

static int s_on_literal(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *arg)
{
    (void) from;
    (void) to;
    (void) flags;
    ww_match_scratch_t *s = arg;
    const ww_matcher_t *m = s->matcher;
    for (uint32_t p = m->first[id]; p < m->first[id + 1]; p++) {
        uint32_t e = m->post[p];
        if (s->seen[e] != s->generation) {
            s->seen[e] = s->generation;
            s->candidates[s->ncandidates++] = e;
        }
    }
    return 0;
}

static int s_cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return x < y ? -1 : x > y;
}

/* The fields joined by newlines: no literal holds one, so none spans two. */
static char *s_joined(const ww_qdoc_t *doc, size_t *len)
{
    const char *parts[4] = {doc->title, doc->body, doc->source, doc->author};
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        n += (parts[i] ? strlen(parts[i]) : 0) + 1;
    char *out = malloc(n + 1), *w = out;
    for (int i = 0; i < 4; i++) {
        size_t l = parts[i] ? strlen(parts[i]) : 0;
        memcpy(w, parts[i] ? parts[i] : "", l);
        w += l;
        *w++ = '\n';
    }
    *w = 0;
    *len = (size_t) (w - out);
    return out;
}

int ww_matcher_match(const ww_matcher_t *self, ww_match_scratch_t *s, const ww_qdoc_t *doc, const ww_qprep_t *prep,
                     ww_matcher_hit_fn fn, void *arg)
{
    if (++s->generation == 0) { /* wrapped: forget old marks */
        memset(s->seen, 0, (self->count + 1) * sizeof *s->seen);
        s->generation = 1;
    }
    s->ncandidates = 0;
    for (size_t i = 0; i < self->nalways; i++) {
        s->seen[self->always[i]] = s->generation;
        s->candidates[s->ncandidates++] = self->always[i];
    }
    if (self->db) {
        size_t len;
        char *text = s_joined(doc, &len);
        hs_error_t rc = hs_scan(self->db, text, (unsigned) len, 0, s->hs, s_on_literal, s);
        free(text);
        if (rc != HS_SUCCESS)
            return -1;
    }
    qsort(s->candidates, s->ncandidates, sizeof *s->candidates, s_cmp_size);
    int hits = 0;
    for (size_t c = 0; c < s->ncandidates; c++) {
        const s_entry_t *e = &self->entries[s->candidates[c]];
        if (ww_query_matches(e->query, prep)) {
            fn(e->ref, e->query, arg);
            hits++;
        }
    }
    return hits;
}

void ww_matcher_stats(const ww_matcher_t *self, ww_matcher_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->queries = self->count;
    out->literals = self->nliterals;
    out->always = self->nalways;
    if (self->db)
        hs_database_size(self->db, &out->database_bytes);
    out->table_bytes = (self->nliterals + 2) * sizeof *self->first + self->npost * sizeof *self->post +
                       self->count * sizeof *self->entries + self->nalways * sizeof *self->always;
    out->compile_seconds = self->compile_seconds;
}
