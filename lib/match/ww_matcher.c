/* ww_matcher: Vectorscan presearch, then exact evaluation of candidates. */
#include "ww_matcher.h"
#include "ww_presearch.h"
#include "ww_short_literals.h"

#include <hs/hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_PREFETCH_AHEAD 6
#define S_PENDING        8

typedef struct {
    const ww_query_t *query; /* packed copy (owned), or the caller's if packing failed */
    ww_query_t *packed;
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
    unsigned char *proof; /* per post: fields where the literal proves the query (ww_presearch) */
    unsigned char *where; /* per post: fields where the literal can matter to the query */
    size_t npost;
    size_t nliterals;
    hs_database_t *db;           /* the longer literals */
    ww_short_literals_t *shorts; /* the short ones (ww_short_literals.h) */
    double compile_seconds;
};

struct ww_match_scratch_t {
    hs_scratch_t *hs;
    /* per entry, one bit each, cleared as they are read: a literal made it
     * a candidate; a literal proved it. Bits, not a list, so candidates come
     * out in order without sorting (thousands per article at scale). */
    uint64_t *candidate;
    uint64_t *proven;
    size_t nwords;
    size_t scanned, evaluated, matched; /* totals, for ww_match_scratch_counts */
    uint32_t *order;                    /* this article's candidates in order, top bit set when proven */
    /* per literal: the scan generation << 4 | the fields it was found in
     * during that scan (stale generations mean none) */
    uint32_t *lit_seen;
    uint32_t generation;
    uint32_t pending[S_PENDING]; /* found literals not yet processed */
    size_t npending;
    unsigned field; /* being scanned */
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
    for (size_t i = 0; i < self->count; i++)
        ww_query_destroy(&self->entries[i].packed);
    free(self->entries);
    free(self->always);
    free(self->first);
    free(self->post);
    free(self->proof);
    free(self->where);
    ww_short_literals_destroy(&self->shorts);
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
    ww_query_t *packed = ww_query_pack(query);
    self->entries[self->count++] = (s_entry_t){packed ? packed : query, packed, ref};
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
    self->proof = malloc((nids + 1) * sizeof *self->proof);
    self->where = malloc((nids + 1) * sizeof *self->where);
    uint32_t *fill = calloc(next_id + 1, sizeof *fill);
    nids = 0;
    for (size_t i = 0; i < self->count; i++)
        for (size_t k = 0; !self->lits[i].always && k < self->lits[i].count; k++) {
            uint32_t id = ids[nids++];
            self->proof[self->first[id] + fill[id]] = self->lits[i].proves[k];
            self->where[self->first[id] + fill[id]] = self->lits[i].fields[k];
            self->post[self->first[id] + fill[id]++] = (uint32_t) i;
        }
    free(fill);
    self->npost = nids;
    /* short literals go to the unit table, the rest to one Vectorscan
     * database, both under the literal's id */
    const char **patterns = calloc(next_id + 1, sizeof *patterns);
    size_t *lens = calloc(next_id + 1, sizeof *lens);
    unsigned *flags = calloc(next_id + 1, sizeof *flags);
    unsigned *pids = calloc(next_id + 1, sizeof *pids);
    self->shorts = ww_short_literals_new(next_id);
    size_t nlong = 0;
    for (size_t i = 0; i < t.cap; i++) {
        if (!t.keys[i])
            continue;
        size_t len = strlen(t.keys[i]);
        if (ww_short_literal_fits(len)) {
            ww_short_literals_add(self->shorts, t.keys[i], len, t.ids[i]);
            continue;
        }
        patterns[nlong] = t.keys[i];
        lens[nlong] = len;
        flags[nlong] = HS_FLAG_SINGLEMATCH;
        pids[nlong++] = t.ids[i];
    }
    int rc = 0;
    if (nlong > 0) {
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_lit_multi(patterns, flags, pids, lens, (unsigned) nlong, HS_MODE_BLOCK, NULL, &self->db,
                                 &cerr) != HS_SUCCESS) {
            snprintf(err, errlen, "Vectorscan cannot compile %zu literals: %s", nlong,
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
    s->nwords = self->count / 64 + 1;
    s->candidate = calloc(s->nwords, sizeof *s->candidate);
    s->proven = calloc(s->nwords, sizeof *s->proven);
    s->lit_seen = calloc(self->nliterals + 1, sizeof *s->lit_seen);
    s->order = malloc((self->count + 1) * sizeof *s->order);
    return s;
}

void ww_match_scratch_destroy(ww_match_scratch_t **scratch_p)
{
    if (!scratch_p || !*scratch_p)
        return;
    ww_match_scratch_t *s = *scratch_p;
    hs_free_scratch(s->hs);
    free(s->candidate);
    free(s->proven);
    free(s->lit_seen);
    free(s->order);
    free(s);
    *scratch_p = NULL;
}

/* A literal found in the field: the queries it matters to there become
 * candidates, those it proves there are marked proven. */
static void s_process(ww_match_scratch_t *s, uint32_t id, unsigned field)
{
    const ww_matcher_t *m = s->matcher;
    unsigned char bit = (unsigned char) (1u << field);
    uint32_t seen = s->lit_seen[id];
    uint32_t fields = seen >> 4 == s->generation ? seen & 15u : 0;
    if (fields & bit)
        return; /* seen in this field already */
    s->lit_seen[id] = s->generation << 4 | fields | bit;
    for (uint32_t p = m->first[id]; p < m->first[id + 1]; p++) {
        if (!(m->where[p] & bit))
            continue;
        uint32_t e = m->post[p];
        s->candidate[e / 64] |= 1ULL << (e % 64);
        if (m->proof[p] & bit)
            s->proven[e / 64] |= 1ULL << (e % 64);
    }
}

static void s_flush(ww_match_scratch_t *s)
{
    for (size_t i = 0; i < s->npending; i++)
        s_process(s, s->pending[i], s->field);
    s->npending = 0;
}

/* Found literals wait in a short queue with their state and posting
 * bounds already on the way into the cache (each is a miss at scale). */
static void s_found(uint32_t id, void *arg)
{
    ww_match_scratch_t *s = arg;
    __builtin_prefetch(&s->lit_seen[id]);
    __builtin_prefetch(&s->matcher->first[id]);
    if (s->npending == S_PENDING)
        s_flush(s);
    s->pending[s->npending++] = id;
}

static int s_on_literal(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *arg)
{
    (void) from;
    (void) to;
    (void) flags;
    s_found(id, arg);
    return 0;
}

int ww_matcher_match(const ww_matcher_t *self, ww_match_scratch_t *s, const ww_qprep_t *prep, ww_matcher_hit_fn fn,
                     void *arg)
{
    if (++s->generation >= 1u << 28) { /* wrapped: forget old marks */
        memset(s->lit_seen, 0, (self->nliterals + 1) * sizeof *s->lit_seen);
        s->generation = 1;
    }
    for (size_t i = 0; i < self->nalways; i++)
        s->candidate[self->always[i] / 64] |= 1ULL << (self->always[i] % 64);
    int rc = 0;
    for (unsigned f = 0; f < 4 && rc == 0; f++) {
        const char *text;
        const ww_unit_t *units;
        size_t count = ww_qprep_field(prep, (int) f, &text, &units);
        if (!count)
            continue;
        s->field = f;
        if (self->shorts)
            ww_short_literals_scan(self->shorts, text, units, count, s_found, s);
        size_t len = strlen(text);
        if (self->db &&
            (len > UINT32_MAX || hs_scan(self->db, text, (unsigned) len, 0, s->hs, s_on_literal, s) != HS_SUCCESS))
            rc = -1;
        s_flush(s); /* before the field changes */
    }
    s->scanned++;
    /* the candidates in order, then evaluated with the query a few places
     * ahead already on its way into the cache */
    size_t n = 0;
    for (size_t w = 0; w < s->nwords; w++) {
        uint64_t bits = s->candidate[w], proven = s->proven[w];
        if (!bits)
            continue;
        s->candidate[w] = s->proven[w] = 0; /* ready for the next article */
        while (bits) {
            unsigned b = (unsigned) __builtin_ctzll(bits);
            bits &= bits - 1;
            s->order[n++] = (uint32_t) (w * 64 + b) | (uint32_t) (proven >> b & 1) << 31;
        }
    }
    int hits = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        if (k + 2 * S_PREFETCH_AHEAD < n)
            __builtin_prefetch(&self->entries[s->order[k + 2 * S_PREFETCH_AHEAD] & 0x7FFFFFFF]);
        if (k + S_PREFETCH_AHEAD < n && !(s->order[k + S_PREFETCH_AHEAD] >> 31)) {
            const ww_query_t *ahead = self->entries[s->order[k + S_PREFETCH_AHEAD] & 0x7FFFFFFF].query;
            /* a fixed span: reading the query's size would wait for the
             * very miss this prefetch hides (prefetches never fault) */
            for (size_t off = 0; off < 256; off += 64)
                __builtin_prefetch((const char *) ahead + off);
        }
        const s_entry_t *e = &self->entries[s->order[k] & 0x7FFFFFFF];
        bool proved = s->order[k] >> 31;
        if (!proved)
            s->evaluated++;
        if (proved || ww_query_matches(e->query, prep)) {
            fn(e->ref, e->query, arg);
            hits++;
        }
    }
    s->matched += (size_t) hits;
    return rc ? -1 : hits;
}

void ww_match_scratch_counts(const ww_match_scratch_t *s, size_t *articles, size_t *evaluated, size_t *matched)
{
    *articles = s->scanned;
    *evaluated = s->evaluated;
    *matched = s->matched;
}

void ww_matcher_stats(const ww_matcher_t *self, ww_matcher_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->queries = self->count;
    out->literals = self->nliterals;
    out->always = self->nalways;
    if (self->db)
        hs_database_size(self->db, &out->database_bytes);
    if (self->shorts) {
        out->short_literals = ww_short_literals_count(self->shorts);
        out->database_bytes += ww_short_literals_bytes(self->shorts);
    }
    out->table_bytes = (self->nliterals + 2) * sizeof *self->first + self->npost * sizeof *self->post +
                       self->count * sizeof *self->entries + self->nalways * sizeof *self->always;
    out->compile_seconds = self->compile_seconds;
}
