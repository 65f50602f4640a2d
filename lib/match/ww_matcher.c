/* ww_matcher: Vectorscan presearch, then exact evaluation of candidates. */
#include "ww_matcher.h"
#include "ww_grow.h"
#include "ww_literal_program.h"
#include "ww_presearch.h"
#include "ww_short_literals.h"
#include "ww_utf8.h"

#include <hs/hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_PREFETCH_AHEAD 10
/* Found literals wait in a ring: their state and posting bounds are
 * prefetched on arrival, their postings S_PENDING_HALF arrivals later, and
 * they are processed S_PENDING arrivals after they came (each of the three
 * is a cache miss at a million watches). */
#define S_PENDING      32
#define S_PENDING_HALF 16

/* A posting: the entry (query) number above 8 bits of fields, the fields
 * where the literal can matter to the query (bits 4-7) and those where it
 * proves the query (bits 0-3, ww_presearch). One 32-bit word, so that
 * walking a literal's postings reads one array. */
#define S_MAX_ENTRIES                  ((size_t) 1 << 24)
#define S_POSTING(entry, where, proof) ((uint32_t) (entry) << 8 | (uint32_t) (where) << 4 | (uint32_t) (proof))
#define S_DIRECT(ref, proof)           ((uint32_t) (ref) << 4 | (uint32_t) (proof))
#define S_MAX_DIRECT_REF               ((size_t) 1 << 28)

/* Literal -> queries, as a compressed list: postings of literal i are
 * in post from first (see there). Queries and refs are separate arrays so
 * that a query a literal proves is reported without reading the query. */
struct ww_matcher_t {
    const ww_query_t **queries; /* packed copy (owned), or the caller's if packing failed */
    ww_query_t **packed;
    size_t *refs; /* per entry until compiled: the ref it was added under */
    size_t count, cap;
    /* Identical queries are one entry with several refs: refs of entry e
     * are refs[e] then, when more[e] != 0, extra[more[e] - 1] and on along
     * next; flattened at compile into ref_list[ref_start[e] ..
     * ref_start[e + 1]). Many people watch the same words. */
    uint32_t *more;
    struct s_extra_ref {
        size_t ref;
        uint32_t next; /* 1 + the entry's next extra ref, or 0 */
    } * extra;
    size_t nextra, extra_cap;
    char **canon;          /* per entry until compiled: the query written out */
    uint32_t *canon_slots; /* 1 + entry, by hash of canon; grows */
    size_t canon_cap;
    size_t *ref_list;
    uint32_t *ref_start;
    ww_literals_t *lits; /* per entry, until compiled */
    size_t *always;      /* entries evaluated for every article */
    size_t nalways;
    /* Literal i's list is post[first[2i] .. first[2i + 2]): first the
     * first[2i + 1] refs of its direct queries, S_DIRECT(ref, fields where
     * it proves), then its postings, S_POSTING. Direct queries are one
     * literal that proves them wherever it matters (a watched word, most
     * watches): reported straight from the list, never made candidates,
     * so the match loop reads no record of theirs (a cache miss each,
     * thousands an article at a million watches). Start and count side by
     * side, and both kinds in one array: one miss each per found literal. */
    uint32_t *first;
    uint32_t *post;
    size_t npost, ndirect, ndirect_entries;
    /* per entry: 1 + offset of its literal program (ww_literal_program.h)
     * in programs, or 0 when it must be evaluated on the text; while
     * compiling only, then in entries */
    uint32_t *program_at;
    /* What the match loop reads of a candidate, in one record: its program
     * and its refs, the only ref inline when it has one (most have). Three
     * arrays before (program offsets, ref bounds, refs), each a cache miss
     * per candidate at a million watches. */
    struct s_entry {
        uint32_t program; /* as program_at */
        uint32_t nrefs;
        size_t ref; /* the ref when nrefs is 1, else the first in ref_list */
    } * entries;
    ww_lp_buf_t programs;
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
    uint64_t *touched; /* one bit per candidate word that has a bit set: read only those */
    size_t ntouched;
    size_t scanned, evaluated, matched; /* totals, for ww_match_scratch_counts */
    uint32_t *order;                    /* this article's candidates in order, top bit set when proven */
    /* per literal: the scan generation << 4 | the fields it was found in
     * during that scan (stale generations mean none) */
    uint32_t *lit_seen;
    uint32_t generation;
    uint32_t pending[S_PENDING]; /* found literals not yet processed, a ring */
    size_t pending_head, npending;
    unsigned field; /* being scanned */
    const ww_matcher_t *matcher;
    ww_matcher_hit_fn fn; /* of the match under way, for direct refs */
    void *arg;
    size_t direct_hits;
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
        ww_query_destroy(&self->packed[i]);
    free(self->queries);
    free(self->packed);
    free(self->refs);
    free(self->more);
    free(self->extra);
    if (self->canon)
        for (size_t i = 0; i < self->count; i++)
            free(self->canon[i]);
    free(self->canon);
    free(self->canon_slots);
    free(self->ref_list);
    free(self->ref_start);
    free(self->always);
    free(self->first);
    free(self->post);
    free(self->program_at);
    free(self->entries);
    ww_lp_buf_free(&self->programs);
    ww_short_literals_destroy(&self->shorts);
    hs_free_database(self->db);
    free(self);
    *self_p = NULL;
}

typedef struct {
    char *text;
    size_t len, cap;
    bool failed;
} s_buf_t;

static void s_put(s_buf_t *b, const char *bytes, size_t n)
{
    if (b->failed)
        return;
    char *text = ww_grow(b->text, &b->cap, b->len + n + 1, 1, 64);
    if (!text) {
        b->failed = true;
        return;
    }
    b->text = text;
    memcpy(b->text + b->len, bytes, n);
    b->len += n;
    b->text[b->len] = 0;
}

/* A query written out so that two queries read the same exactly when they
 * are the same: node types, fields, phrase marks, lengths and texts. */
static void s_canon_node(const ww_qnode_t *n, s_buf_t *b)
{
    char head[48];
    int k = snprintf(head, sizeof head, "%d/%d/%d/%zu/%zu:", (int) n->type, (int) n->field, (int) n->phrase,
                     n->text ? strlen(n->text) : (size_t) 0, n->nkids);
    s_put(b, head, (size_t) k);
    if (n->text)
        s_put(b, n->text, strlen(n->text));
    for (size_t i = 0; i < n->nkids; i++)
        s_canon_node(n->kids[i], b);
}

static char *s_canon(const ww_query_t *q)
{
    s_buf_t b = {0};
    char head[64];
    int k = snprintf(head, sizeof head, "%lld/%lld|", (long long) q->since, (long long) q->until);
    s_put(&b, head, (size_t) k);
    if (q->root)
        s_canon_node(q->root, &b);
    if (b.failed) {
        free(b.text);
        return NULL;
    }
    return b.text;
}

static uint64_t s_hash(const char *s);

/* The entry already holding a query written as canon, or -1 (and its
 * empty slot in *slot). */
static long s_find_canon(const ww_matcher_t *self, const char *canon, size_t *slot)
{
    size_t i = s_hash(canon) & (self->canon_cap - 1);
    while (self->canon_slots[i]) {
        uint32_t e = self->canon_slots[i] - 1;
        if (!strcmp(self->canon[e], canon))
            return (long) e;
        i = (i + 1) & (self->canon_cap - 1);
    }
    *slot = i;
    return -1;
}

static bool s_canon_grow(ww_matcher_t *self)
{
    size_t cap = self->canon_cap ? self->canon_cap * 2 : 1024;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < self->canon_cap; i++) {
        uint32_t v = self->canon_slots[i];
        if (!v || !self->canon[v - 1])
            continue;
        size_t k = s_hash(self->canon[v - 1]) & (cap - 1);
        while (slots[k])
            k = (k + 1) & (cap - 1);
        slots[k] = v;
    }
    free(self->canon_slots);
    self->canon_slots = slots;
    self->canon_cap = cap;
    return true;
}

/* A further ref for entry e; false when out of memory. */
static bool s_add_ref(ww_matcher_t *self, size_t e, size_t ref)
{
    struct s_extra_ref *extra = ww_grow(self->extra, &self->extra_cap, self->nextra + 1, sizeof *extra, 256);
    if (!extra)
        return false;
    self->extra = extra;
    /* prepended: the order of refs within an entry is not promised */
    self->extra[self->nextra] = (struct s_extra_ref){ref, self->more[e]};
    self->more[e] = (uint32_t) ++self->nextra;
    return true;
}

void ww_matcher_add(ww_matcher_t *self, const ww_query_t *query, size_t ref)
{
    char *canon = s_canon(query);
    size_t slot = 0;
    if (canon && (self->count + 1) * 2 > self->canon_cap && !s_canon_grow(self)) {
        free(canon);
        canon = NULL;
    }
    long same = canon ? s_find_canon(self, canon, &slot) : -1;
    if (same >= 0) {
        free(canon);
        if (s_add_ref(self, (size_t) same, ref))
            return;
        canon = NULL; /* no memory to merge it: an entry of its own, never merged */
    }
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 64;
        self->queries = realloc(self->queries, self->cap * sizeof *self->queries);
        self->packed = realloc(self->packed, self->cap * sizeof *self->packed);
        self->refs = realloc(self->refs, self->cap * sizeof *self->refs);
        self->more = realloc(self->more, self->cap * sizeof *self->more);
        self->canon = realloc(self->canon, self->cap * sizeof *self->canon);
    }
    /* a query already in one block is borrowed as it is */
    ww_query_t *packed = query->packed ? NULL : ww_query_pack(query);
    self->queries[self->count] = packed ? packed : query;
    self->packed[self->count] = packed;
    self->more[self->count] = 0;
    self->canon[self->count] = canon; /* NULL: never merged with another */
    if (canon)
        self->canon_slots[slot] = (uint32_t) self->count + 1;
    self->refs[self->count++] = ref;
}

/* Literal text -> id while compiling: an open-addressing table that grows.
 * Keys are borrowed from the presearch sets, or owned (extra) when they
 * come from literal programs. */
typedef struct {
    const char **keys;
    uint32_t *ids;
    size_t cap, used, next_id;
    char **extra;
    size_t nextra, extra_cap;
    bool failed;
} s_intern_t;

static uint64_t s_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * 1099511628211ULL;
    return h;
}

static bool s_intern_grow(s_intern_t *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    const char **keys = calloc(cap, sizeof *keys);
    uint32_t *ids = calloc(cap, sizeof *ids);
    if (!keys || !ids) {
        free(keys);
        free(ids);
        return false;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t k = s_hash(t->keys[i]) & (cap - 1);
        while (keys[k])
            k = (k + 1) & (cap - 1);
        keys[k] = t->keys[i];
        ids[k] = t->ids[i];
    }
    free(t->keys);
    free(t->ids);
    t->keys = keys;
    t->ids = ids;
    t->cap = cap;
    return true;
}

/* The id of key, new or not; *fresh says whether it was new. UINT32_MAX
 * when out of memory. */
static uint32_t s_intern(s_intern_t *t, const char *key, bool *fresh)
{
    *fresh = false;
    if ((t->used + 1) * 2 > t->cap && !s_intern_grow(t)) {
        t->failed = true;
        return UINT32_MAX;
    }
    size_t i = s_hash(key) & (t->cap - 1);
    while (t->keys[i]) {
        if (!strcmp(t->keys[i], key))
            return t->ids[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = key;
    t->ids[i] = (uint32_t) t->next_id++;
    t->used++;
    *fresh = true;
    return t->ids[i];
}

/* ww_lp_intern_fn: a program's literal, kept when new. */
static uint32_t s_intern_owned(char *literal, void *arg)
{
    s_intern_t *t = arg;
    if (!literal)
        return UINT32_MAX;
    char **extra = ww_grow(t->extra, &t->extra_cap, t->nextra + 1, sizeof *extra, 256);
    if (!extra) {
        free(literal);
        t->failed = true;
        return UINT32_MAX;
    }
    t->extra = extra;
    bool fresh;
    uint32_t id = s_intern(t, literal, &fresh);
    if (fresh)
        t->extra[t->nextra++] = literal;
    else
        free(literal);
    return id;
}

/* True if key is three or more CJK characters (it can only be a run then:
 * a literal is one word or one run of touching CJK characters). */
static bool s_long_cjk_run(const char *key, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; chars++) {
        uint32_t cp;
        i += ww_utf8_decode(key + i, len - i, &cp);
        if (!ww_is_cjk(cp))
            return false;
    }
    return chars >= 3;
}

/* ww_lp_exact_fn: which literals the scan finds exactly (see
 * ww_literal_program.h): CJK runs, byte for byte, and words that go to the
 * unit table, as whole units. */
static bool s_exact(size_t len, bool cjk_run)
{
    return cjk_run || ww_short_literal_fits(len);
}

/* Renumbers the entries so that those sharing their most common literal
 * sit side by side, in order of that literal. An article that holds the
 * literal then makes a run of neighbouring candidates, whose refs and
 * literal programs (laid out in entry order, built after this) are read in
 * one sweep rather than one cache miss each: thousands of candidates an
 * article at a million watches. ids holds each entry's literal ids in entry
 * order and is rewritten to the new order. 0, or -1 when out of memory
 * (nothing changed then). */
static int s_cluster(ww_matcher_t *self, uint32_t *ids, size_t nids, size_t nliterals)
{
    size_t n = self->count;
    if (n == 0)
        return 0; /* nothing to order (and no arrays to copy into) */
    uint32_t *uses = calloc(nliterals + 2, sizeof *uses);
    uint32_t *key = malloc((n + 1) * sizeof *key);
    size_t *from = malloc((n + 1) * sizeof *from); /* entry -> its first id in ids */
    uint32_t *bucket = calloc(nliterals + 3, sizeof *bucket);
    uint32_t *order = malloc((n + 1) * sizeof *order); /* new entry -> old */
    const ww_query_t **queries = malloc((n + 1) * sizeof *queries);
    ww_query_t **packed = malloc((n + 1) * sizeof *packed);
    ww_literals_t *lits = malloc((n + 1) * sizeof *lits);
    uint32_t *ref_start = malloc((n + 2) * sizeof *ref_start);
    size_t *ref_list = malloc((self->ref_start[n] + 1) * sizeof *ref_list);
    uint32_t *new_ids = malloc((nids + 1) * sizeof *new_ids);
    int rc = uses && key && from && bucket && order && queries && packed && lits && ref_start && ref_list && new_ids
                 ? 0
                 : -1;
    for (size_t k = 0; rc == 0 && k < nids; k++)
        uses[ids[k]]++;
    size_t at = 0;
    for (size_t e = 0; rc == 0 && e < n; e++) {
        from[e] = at;
        key[e] = (uint32_t) nliterals; /* always evaluated: last */
        for (size_t k = 0; !self->lits[e].always && k < self->lits[e].count; k++, at++)
            if (key[e] == nliterals || uses[ids[at]] > uses[key[e]] ||
                (uses[ids[at]] == uses[key[e]] && ids[at] < key[e]))
                key[e] = ids[at];
    }
    if (rc == 0) { /* a counting sort by key keeps equal keys in entry order */
        for (size_t e = 0; e < n; e++)
            bucket[key[e] + 1]++;
        for (size_t l = 0; l <= nliterals; l++)
            bucket[l + 1] += bucket[l];
        for (size_t e = 0; e < n; e++)
            order[bucket[key[e]]++] = (uint32_t) e;
        size_t nrefs = 0, nnew = 0;
        self->nalways = 0;
        for (size_t e = 0; e < n; e++) {
            size_t old = order[e];
            queries[e] = self->queries[old];
            packed[e] = self->packed[old];
            lits[e] = self->lits[old];
            ref_start[e] = (uint32_t) nrefs;
            for (uint32_t r = self->ref_start[old]; r < self->ref_start[old + 1]; r++)
                ref_list[nrefs++] = self->ref_list[r];
            if (lits[e].always)
                self->always[self->nalways++] = e;
            else
                for (size_t k = 0; k < lits[e].count; k++)
                    new_ids[nnew++] = ids[from[old] + k];
        }
        ref_start[n] = (uint32_t) nrefs;
        memcpy(ids, new_ids, nids * sizeof *ids);
        memcpy(self->queries, queries, n * sizeof *queries);
        memcpy(self->packed, packed, n * sizeof *packed);
        memcpy(self->lits, lits, n * sizeof *lits);
        memcpy(self->ref_start, ref_start, (n + 1) * sizeof *ref_start);
        memcpy(self->ref_list, ref_list, nrefs * sizeof *ref_list);
    }
    free(uses);
    free(key);
    free(from);
    free(bucket);
    free(order);
    free(queries);
    free(packed);
    free(lits);
    free(ref_start);
    free(ref_list);
    free(new_ids);
    return rc;
}

/* True if entry e is one literal that proves it in every field where it
 * matters, so that finding the literal there is the whole answer. */
static bool s_direct(const ww_matcher_t *self, size_t e)
{
    const ww_literals_t *lits = &self->lits[e];
    if (lits->always || lits->count != 1)
        return false;
    unsigned where = lits->fields[0] & 15u;
    if (!where || (lits->proves[0] & 15u) != where)
        return false;
    for (uint32_t r = self->ref_start[e]; r < self->ref_start[e + 1]; r++)
        if (self->ref_list[r] >= S_MAX_DIRECT_REF)
            return false;
    return true;
}

/* The match loop's records (struct s_entry), from program_at and the ref
 * lists; program_at goes, ref_list stays for entries of several refs.
 * 0, or -1 when out of memory. */
static int s_make_entries(ww_matcher_t *self)
{
    self->entries = malloc((self->count + 1) * sizeof *self->entries);
    if (!self->entries)
        return -1;
    for (size_t e = 0; e < self->count; e++) {
        uint32_t first = self->ref_start[e], n = self->ref_start[e + 1] - first;
        self->entries[e] = (struct s_entry){self->program_at[e], n, n == 1 ? self->ref_list[first] : first};
    }
    free(self->program_at);
    self->program_at = NULL;
    free(self->ref_start);
    self->ref_start = NULL;
    return 0;
}

int ww_matcher_compile(ww_matcher_t *self, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (self->count >= S_MAX_ENTRIES) {
        snprintf(err, errlen, "%zu queries in one matcher; at most %zu", self->count, S_MAX_ENTRIES - 1);
        return -1;
    }
    /* refs flattened per entry; the written-out queries are done with */
    self->ref_start = calloc(self->count + 2, sizeof *self->ref_start);
    self->ref_list = malloc((self->count + self->nextra + 1) * sizeof *self->ref_list);
    if (!self->ref_start || !self->ref_list) {
        snprintf(err, errlen, "out of memory compiling %zu queries", self->count);
        return -1;
    }
    size_t nrefs = 0;
    for (size_t e = 0; e < self->count; e++) {
        self->ref_start[e] = (uint32_t) nrefs;
        self->ref_list[nrefs++] = self->refs[e];
        for (uint32_t x = self->more[e]; x; x = self->extra[x - 1].next)
            self->ref_list[nrefs++] = self->extra[x - 1].ref;
        free(self->canon[e]);
        self->canon[e] = NULL;
    }
    self->ref_start[self->count] = (uint32_t) nrefs;
    free(self->refs); /* ref_list holds them now */
    self->refs = NULL;
    free(self->canon_slots);
    self->canon_slots = NULL;
    self->canon_cap = 0;
    self->lits = calloc(self->count + 1, sizeof *self->lits);
    self->always = calloc(self->count + 1, sizeof *self->always);
    size_t total = 0;
    for (size_t i = 0; i < self->count; i++) {
        ww_presearch_literals(self->queries[i], &self->lits[i]);
        if (self->lits[i].always)
            self->always[self->nalways++] = i;
        else
            total += self->lits[i].count;
    }
    s_intern_t t = {0};
    /* pass 1: ids and the number of queries per literal */
    uint32_t *ids = malloc((total + 1) * sizeof *ids);
    size_t nids = 0;
    bool fresh;
    for (size_t i = 0; i < self->count; i++)
        for (size_t k = 0; !self->lits[i].always && k < self->lits[i].count; k++)
            ids[nids++] = s_intern(&t, self->lits[i].items[k], &fresh);
    if (!t.failed && s_cluster(self, ids, nids, t.next_id) < 0)
        t.failed = true;
    /* literal programs, for the queries that can have one; their literals
     * join the tables so the scan records them too */
    self->program_at = calloc(self->count + 1, sizeof *self->program_at);
    for (size_t i = 0; i < self->count && self->program_at; i++) {
        if (self->lits[i].always || s_direct(self, i))
            continue; /* no literal to make it a candidate, or never one */
        long at = ww_lp_build(self->queries[i], s_exact, s_intern_owned, &t, &self->programs);
        if (at >= 0 && (size_t) at < UINT32_MAX)
            self->program_at[i] = (uint32_t) at + 1;
    }
    size_t next_id = t.next_id;
    if (t.failed || !self->program_at || next_id > WW_LP_MAX_LITERAL_ID) {
        snprintf(err, errlen, "out of memory or over %u literals compiling %zu queries", WW_LP_MAX_LITERAL_ID,
                 self->count);
        free(ids);
        free(t.ids);
        free(t.keys);
        for (size_t i = 0; i < t.nextra; i++)
            free(t.extra[i]);
        free(t.extra);
        return -1;
    }
    self->nliterals = next_id;
    self->first = calloc(2 * next_id + 2, sizeof *self->first);
    uint32_t *fill = calloc(next_id + 1, sizeof *fill);
    uint32_t *fill_direct = calloc(next_id + 1, sizeof *fill_direct);
    if (self->first && fill && fill_direct) {
        /* pass 2: count each literal's direct refs and postings ... */
        nids = 0;
        for (size_t i = 0; i < self->count; i++) {
            bool direct = s_direct(self, i);
            for (size_t k = 0; !self->lits[i].always && k < self->lits[i].count; k++, nids++)
                if (direct)
                    fill_direct[ids[nids]] += self->ref_start[i + 1] - self->ref_start[i];
                else
                    fill[ids[nids]]++;
        }
        uint32_t at = 0;
        for (size_t l = 0; l < next_id; l++) {
            self->first[2 * l] = at;
            self->first[2 * l + 1] = fill_direct[l];
            at += fill_direct[l] + fill[l];
            fill[l] = fill_direct[l] = 0;
        }
        self->first[2 * next_id] = at;
        self->post = malloc(((size_t) at + 1) * sizeof *self->post);
    }
    nids = 0;
    /* ... then fill them (entries in increasing order) */
    for (size_t i = 0; self->post && i < self->count; i++) {
        bool direct = s_direct(self, i);
        self->ndirect_entries += direct;
        for (size_t k = 0; !self->lits[i].always && k < self->lits[i].count; k++) {
            uint32_t id = ids[nids++];
            unsigned proof = self->lits[i].proves[k] & 15u;
            uint32_t *list = self->post + self->first[2 * id];
            if (!direct) {
                list[self->first[2 * id + 1] + fill[id]++] = S_POSTING(i, self->lits[i].fields[k] & 15u, proof);
                self->npost++;
                continue;
            }
            for (uint32_t r = self->ref_start[i]; r < self->ref_start[i + 1]; r++) {
                list[fill_direct[id]++] = S_DIRECT(self->ref_list[r], proof);
                self->ndirect++;
            }
        }
    }
    bool filled = self->post != NULL;
    free(fill);
    free(fill_direct);
    if (!filled) {
        snprintf(err, errlen, "out of memory for the postings of %zu literals", next_id);
        free(ids);
        free(t.ids);
        free(t.keys);
        for (size_t i = 0; i < t.nextra; i++)
            free(t.extra[i]);
        free(t.extra);
        return -1;
    }
    /* short literals and CJK runs go to the unit table, the rest (long
     * words) to one Vectorscan database, all under the literal's id */
    const char **patterns = calloc(next_id + 1, sizeof *patterns);
    size_t *lens = calloc(next_id + 1, sizeof *lens);
    unsigned *flags = calloc(next_id + 1, sizeof *flags);
    unsigned *pids = calloc(next_id + 1, sizeof *pids);
    self->shorts = ww_short_literals_new(next_id);
    size_t nlong = 0;
    for (size_t i = 0; i < t.cap && self->shorts; i++) {
        if (!t.keys[i])
            continue;
        size_t len = strlen(t.keys[i]);
        if (ww_short_literal_fits(len)) {
            ww_short_literals_add(self->shorts, t.keys[i], len, t.ids[i]);
            continue;
        }
        if (s_long_cjk_run(t.keys[i], len) && ww_short_literals_add_run(self->shorts, t.keys[i], len, t.ids[i]))
            continue;
        patterns[nlong] = t.keys[i];
        lens[nlong] = len;
        flags[nlong] = HS_FLAG_SINGLEMATCH;
        pids[nlong++] = t.ids[i];
    }
    int rc = 0;
    if (self->shorts)
        ww_short_literals_seal(self->shorts);
    else {
        snprintf(err, errlen, "out of memory for %zu literals", next_id);
        rc = -1;
    }
    if (rc == 0 && nlong > 0) {
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
    free(t.keys); /* the keys themselves belong to self->lits, or are extra */
    for (size_t i = 0; i < t.nextra; i++)
        free(t.extra[i]);
    free(t.extra);
    for (size_t i = 0; i < self->count; i++)
        ww_literals_free(&self->lits[i]);
    free(self->lits);
    self->lits = NULL;
    if (rc == 0 && s_make_entries(self) < 0) {
        snprintf(err, errlen, "out of memory for %zu queries", self->count);
        rc = -1;
    }
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
    s->ntouched = s->nwords / 64 + 1;
    s->touched = calloc(s->ntouched, sizeof *s->touched);
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
    free(s->touched);
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
    /* a direct query is reported in the first of its fields the literal
     * turns up in */
    uint32_t start = m->first[2 * id], direct_end = start + m->first[2 * id + 1], end = m->first[2 * id + 2];
    for (uint32_t d = start; d < direct_end; d++) {
        uint32_t rec = m->post[d];
        if ((rec & bit) && !(rec & fields)) {
            s->fn((size_t) (rec >> 4), s->arg);
            s->direct_hits++;
        }
    }
    for (uint32_t p = direct_end; p < end; p++) {
        uint32_t post = m->post[p];
        if (!(post >> 4 & bit))
            continue;
        uint32_t e = post >> 8;
        s->candidate[e / 64] |= 1ULL << (e % 64);
        s->touched[e / 4096] |= 1ULL << (e / 64 % 64);
        if (post & bit)
            s->proven[e / 64] |= 1ULL << (e % 64);
    }
}

static void s_flush(ww_match_scratch_t *s)
{
    for (; s->npending; s->npending--) {
        s_process(s, s->pending[s->pending_head], s->field);
        s->pending_head = (s->pending_head + 1) % S_PENDING;
    }
}

static void s_found(uint32_t id, void *arg)
{
    ww_match_scratch_t *s = arg;
    const ww_matcher_t *m = s->matcher;
    __builtin_prefetch(&s->lit_seen[id]);
    __builtin_prefetch(&m->first[2 * id]);
    if (s->npending == S_PENDING) {
        s_process(s, s->pending[s->pending_head], s->field);
        s->pending_head = (s->pending_head + 1) % S_PENDING;
        s->npending--;
    }
    s->pending[(s->pending_head + s->npending++) % S_PENDING] = id;
    if (s->npending > S_PENDING_HALF) {
        uint32_t half = s->pending[(s->pending_head + s->npending - 1 - S_PENDING_HALF) % S_PENDING];
        __builtin_prefetch(&m->post[m->first[2 * half]]);
    }
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
    if (!self->entries)
        return -1;                     /* not compiled, or its compile failed */
    if (++s->generation >= 1u << 28) { /* wrapped: forget old marks */
        memset(s->lit_seen, 0, (self->nliterals + 1) * sizeof *s->lit_seen);
        s->generation = 1;
    }
    for (size_t i = 0; i < self->nalways; i++) {
        s->candidate[self->always[i] / 64] |= 1ULL << (self->always[i] % 64);
        s->touched[self->always[i] / 4096] |= 1ULL << (self->always[i] / 64 % 64);
    }
    s->fn = fn;
    s->arg = arg;
    s->direct_hits = 0;
    int rc = 0;
    for (unsigned f = 0; f < 4 && rc == 0; f++) {
        const char *text;
        const ww_unit_t *units;
        size_t count = ww_qprep_field(prep, (int) f, &text, &units);
        if (!count)
            continue;
        s->field = f;
        size_t len = strlen(text);
        if (self->shorts)
            ww_short_literals_scan(self->shorts, text, len, units, count, s_found, s);
        if (self->db &&
            (len > UINT32_MAX || hs_scan(self->db, text, (unsigned) len, 0, s->hs, s_on_literal, s) != HS_SUCCESS))
            rc = -1;
        s_flush(s); /* before the field changes */
    }
    s->scanned++;
    /* the candidates in order, then evaluated with the query a few places
     * ahead already on its way into the cache */
    size_t n = 0;
    for (size_t t = 0; t < s->ntouched; t++) {
        uint64_t words = s->touched[t];
        s->touched[t] = 0;
        while (words) {
            size_t w = t * 64 + (size_t) __builtin_ctzll(words);
            words &= words - 1;
            uint64_t bits = s->candidate[w], proven = s->proven[w];
            s->candidate[w] = s->proven[w] = 0; /* ready for the next article */
            while (bits) {
                unsigned b = (unsigned) __builtin_ctzll(bits);
                bits &= bits - 1;
                s->order[n++] = (uint32_t) (w * 64 + b) | (uint32_t) (proven >> b & 1) << 31;
            }
        }
    }
    int hits = (int) s->direct_hits;
    const struct s_entry *entries = self->entries;
    for (size_t k = 0; k < n && rc == 0; k++) {
        /* two stages ahead: the entry's record, then its program (or,
         * rarely, its query) or its refs */
        if (k + 2 * S_PREFETCH_AHEAD < n)
            __builtin_prefetch(&entries[s->order[k + 2 * S_PREFETCH_AHEAD] & 0x7FFFFFFF]);
        if (k + S_PREFETCH_AHEAD < n) {
            uint32_t near = s->order[k + S_PREFETCH_AHEAD] & 0x7FFFFFFF;
            const struct s_entry *ne = &entries[near];
            if (ne->nrefs > 1)
                __builtin_prefetch(&self->ref_list[ne->ref]);
            if (!(s->order[k + S_PREFETCH_AHEAD] >> 31)) {
                if (ne->program)
                    __builtin_prefetch(self->programs.words + ne->program - 1);
                else {
                    /* a fixed span: reading the query's size would wait
                     * for the very miss this prefetch hides (prefetches
                     * never fault) */
                    const ww_query_t *ahead = self->queries[near];
                    for (size_t off = 0; off < 256; off += 64)
                        __builtin_prefetch((const char *) ahead + off);
                }
            }
        }
        if (k + S_PREFETCH_AHEAD / 2 < n && !(s->order[k + S_PREFETCH_AHEAD / 2] >> 31)) {
            /* its program has come in: now the states of its literals */
            uint32_t at = entries[s->order[k + S_PREFETCH_AHEAD / 2]].program;
            if (at)
                ww_lp_prefetch(self->programs.words + at - 1, s->lit_seen);
        }
        uint32_t e = s->order[k] & 0x7FFFFFFF;
        const struct s_entry *entry = &entries[e];
        bool proved = s->order[k] >> 31;
        if (!proved) {
            s->evaluated++;
            proved = entry->program ? ww_lp_run(self->programs.words + entry->program - 1, s->lit_seen, s->generation)
                                    : ww_query_matches(self->queries[e], prep);
        }
        if (!proved)
            continue;
        if (entry->nrefs == 1)
            fn(entry->ref, arg);
        else
            for (size_t r = entry->ref; r < entry->ref + entry->nrefs; r++)
                fn(self->ref_list[r], arg);
        hits += (int) entry->nrefs;
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
    out->queries = self->count + self->nextra;
    out->distinct = self->count;
    out->literals = self->nliterals;
    out->always = self->nalways;
    out->direct = self->ndirect_entries;
    for (size_t i = 0; self->entries && i < self->count; i++)
        out->programs += self->entries[i].program != 0;
    if (self->db)
        hs_database_size(self->db, &out->database_bytes);
    if (self->shorts) {
        out->short_literals = ww_short_literals_count(self->shorts);
        out->database_bytes += ww_short_literals_bytes(self->shorts);
    }
    out->table_bytes = (2 * self->nliterals + 2) * sizeof *self->first +
                       (self->npost + self->ndirect) * sizeof *self->post +
                       self->count * (sizeof *self->queries + sizeof *self->packed + sizeof *self->entries) +
                       (self->count + self->nextra) * sizeof *self->ref_list + self->nalways * sizeof *self->always;
    out->compile_seconds = self->compile_seconds;
}
