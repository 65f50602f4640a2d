/* ww_short_literals: short literals found by unit lookups. */
#include "ww_short_literals.h"
#include "ww_grow.h"

#include <stdlib.h>
#include <string.h>

/* A literal's bytes packed into one integer: UTF-8 text holds no NUL, so
 * zero padding cannot make two literals equal, and 0 marks an empty slot. */
static uint64_t s_pack(const char *p, size_t n)
{
    uint64_t key = 0;
    memcpy(&key, p, n);
    return key;
}

static uint64_t s_mix(uint64_t key)
{
    key ^= key >> 29;
    key *= 0xBF58476D1CE4E5B9ULL;
    key ^= key >> 32;
    return key;
}

#define S_NO_ID UINT32_MAX

typedef struct {
    uint64_t key;
    uint32_t id;        /* of the literal equal to the key, or S_NO_ID */
    uint32_t long_from; /* 1 + first of the long runs starting with the key, or 0 */
} s_slot_t;

/* A CJK run of three characters or more, filed under its first two. */
typedef struct {
    uint64_t prefix;
    uint64_t next;    /* up to 8 bytes after the prefix: most runs differ there */
    uint32_t at, len; /* its bytes in the pool */
    uint32_t id;
    uint8_t head, next_len; /* bytes of the prefix and of next */
} s_long_t;

/* The filter answers most misses without touching the table: about eight
 * bits per literal, at least 32 KB (cache-resident) and at most 2 MB. */
#define S_FILTER_MIN_BITS ((size_t) 1 << 18)
#define S_FILTER_MAX_BITS ((size_t) 1 << 24)

struct ww_short_literals_t {
    s_slot_t *slots; /* key and id together: one cache miss per probe */
    size_t mask;     /* slots - 1, a power of two at least twice the capacity */
    size_t count;
    uint64_t *filter;
    size_t filter_mask; /* bits - 1 */
    s_long_t *longs;    /* sorted by prefix once sealed */
    size_t nlongs, longs_cap;
    char *pool;
    size_t pool_len, pool_cap;
    bool sealed;
    /* whether any key is one character of three or four bytes, or two
     * such: when none is, a CJK unit's own probe (or its pair's) is skipped */
    bool has_single_wide, has_pair_wide;
};

bool ww_short_literal_fits(size_t len)
{
    return len > 0 && len <= WW_SHORT_LITERAL_MAX;
}

ww_short_literals_t *ww_short_literals_new(size_t capacity)
{
    ww_short_literals_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    size_t slots = 16;
    while (slots < capacity * 2)
        slots *= 2;
    self->slots = calloc(slots, sizeof *self->slots);
    if (!self->slots) {
        ww_short_literals_destroy(&self);
        return NULL;
    }
    self->mask = slots - 1;
    size_t bits = S_FILTER_MIN_BITS;
    while (bits < capacity * 8 && bits < S_FILTER_MAX_BITS)
        bits *= 2;
    self->filter = calloc(bits / 64, sizeof *self->filter);
    if (!self->filter) {
        ww_short_literals_destroy(&self);
        return NULL;
    }
    self->filter_mask = bits - 1;
    return self;
}

void ww_short_literals_destroy(ww_short_literals_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->slots);
    free((*self_p)->filter);
    free((*self_p)->longs);
    free((*self_p)->pool);
    free(*self_p);
    *self_p = NULL;
}

/* The slot of key: its own, or the empty one where it belongs. */
static s_slot_t *s_slot_of(ww_short_literals_t *self, uint64_t key)
{
    size_t slot = s_mix(key) & self->mask;
    while (self->slots[slot].key && self->slots[slot].key != key)
        slot = (slot + 1) & self->mask;
    return &self->slots[slot];
}

/* Claims key's slot (and its filter bit); NULL when the table is full. */
/* How many characters key (n bytes) has if all are three or four bytes
 * long, else 0. */
static int s_wide_chars(const char *p, size_t n)
{
    int chars = 0;
    for (size_t at = 0; at < n; chars++) {
        unsigned char b = (unsigned char) p[at];
        if (b < 0xE0)
            return 0;
        at += b < 0xF0 ? 3 : 4;
    }
    return chars;
}

static s_slot_t *s_claim(ww_short_literals_t *self, uint64_t key)
{
    s_slot_t *slot = s_slot_of(self, key);
    if (slot->key)
        return slot;
    if ((self->count + 1) * 2 > self->mask + 1)
        return NULL;
    *slot = (s_slot_t){key, S_NO_ID, 0};
    self->count++;
    size_t bit = (s_mix(key) >> 32) & self->filter_mask;
    self->filter[bit / 64] |= 1ULL << (bit % 64);
    return slot;
}

void ww_short_literals_add(ww_short_literals_t *self, const char *literal, size_t len, uint32_t id)
{
    if (!ww_short_literal_fits(len) || self->sealed)
        return;
    s_slot_t *slot = s_claim(self, s_pack(literal, len));
    if (slot && slot->id == S_NO_ID)
        slot->id = id;
    int wide = s_wide_chars(literal, len);
    self->has_single_wide |= wide == 1;
    self->has_pair_wide |= wide == 2;
}

/* Bytes of the first two UTF-8 characters of p (n bytes), or 0. */
static size_t s_two_chars(const char *p, size_t n)
{
    size_t at = 0;
    for (int c = 0; c < 2; c++) {
        if (at >= n)
            return 0;
        unsigned char b = (unsigned char) p[at];
        at += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
    return at <= n && at <= WW_SHORT_LITERAL_MAX ? at : 0;
}

bool ww_short_literals_add_run(ww_short_literals_t *self, const char *run, size_t len, uint32_t id)
{
    size_t head = s_two_chars(run, len);
    if (self->sealed || !head || head >= len || len > UINT32_MAX)
        return false;
    s_long_t *longs = ww_grow(self->longs, &self->longs_cap, self->nlongs + 1, sizeof *longs, 256);
    if (!longs)
        return false;
    self->longs = longs;
    char *pool = ww_grow(self->pool, &self->pool_cap, self->pool_len + len, 1, 4096);
    if (!pool)
        return false;
    self->pool = pool;
    if (self->pool_len + len > UINT32_MAX || !s_claim(self, s_pack(run, head)))
        return false;
    self->has_pair_wide = true;
    memcpy(self->pool + self->pool_len, run, len);
    size_t next_len = len - head < 8 ? len - head : 8;
    self->longs[self->nlongs++] = (s_long_t){
        s_pack(run, head), s_pack(run + head, next_len), (uint32_t) self->pool_len, (uint32_t) len, id, (uint8_t) head,
        (uint8_t) next_len};
    self->pool_len += len;
    return true;
}

static int s_by_prefix(const void *a, const void *b)
{
    const s_long_t *x = a, *y = b;
    return x->prefix < y->prefix ? -1 : x->prefix > y->prefix ? 1 : 0;
}

void ww_short_literals_seal(ww_short_literals_t *self)
{
    if (self->sealed)
        return;
    self->sealed = true;
    if (self->nlongs) /* qsort wants an array, even of nothing */
        qsort(self->longs, self->nlongs, sizeof *self->longs, s_by_prefix);
    for (size_t i = self->nlongs; i-- > 0;) /* backwards: each slot ends at its first */
        s_slot_of(self, self->longs[i].prefix)->long_from = (uint32_t) i + 1;
}

size_t ww_short_literals_count(const ww_short_literals_t *self)
{
    return self->count;
}

size_t ww_short_literals_bytes(const ww_short_literals_t *self)
{
    return sizeof *self + (self->mask + 1) * sizeof *self->slots + (self->filter_mask + 1) / 8 +
           self->longs_cap * sizeof *self->longs + self->pool_cap;
}

/* Probes wait in a small ring after their slot is prefetched, so the table's
 * cache misses (it is megabytes at a million watches) overlap instead of
 * stalling one after another. */
#define S_AHEAD 32

typedef struct {
    uint64_t key;
    size_t slot;
    const char *at; /* in the text, for long runs */
} s_pending_t;

/* Keys whose slot files long runs wait once more, in a second ring, while
 * their first run is fetched: the runs are megabytes at a million watches,
 * and reading them at once stalled the scan on each (almost half its time,
 * measured). */
#define S_LONG_AHEAD 16

typedef struct {
    s_pending_t probe;
    uint32_t from;
} s_long_pending_t;

typedef struct {
    const ww_short_literals_t *table;
    const char *end; /* of the text */
    s_pending_t ring[S_AHEAD];
    size_t head, count;
    s_long_pending_t long_ring[S_LONG_AHEAD];
    size_t long_head, long_count;
    ww_short_literal_fn fn;
    void *arg;
    /* keys already found in this text, filed by hash: a repeat of a key
     * with no long runs under it is skipped before the filter and table
     * (news text repeats most of its characters and pairs) */
    uint64_t *recent;
    size_t recent_mask;
} s_prober_t;

/* The key of n bytes at p: one 8-byte load, masked, when the text goes on
 * for 8 bytes. Copying n bytes into the key instead stalled every probe on
 * store forwarding (a quarter of the scan's time, measured). */
static uint64_t s_key_at(const char *p, size_t n, const char *end)
{
    if (end - p < 8)
        return s_pack(p, n);
    uint64_t word;
    memcpy(&word, p, 8);
    return n == 8 ? word : word & ((1ULL << (8 * n)) - 1);
}

/* The long runs filed under a key found at q->at that the text holds there.
 * (Sorting a pair's runs for a binary search was slower here: most pairs
 * file a few, and the search's steps are misses one after another.) */
static void s_resolve_longs(s_prober_t *p, const s_pending_t *q, uint32_t from)
{
    const ww_short_literals_t *t = p->table;
    size_t room = (size_t) (p->end - q->at);
    for (size_t i = from - 1; i < t->nlongs && t->longs[i].prefix == q->key; i++) {
        const s_long_t *l = &t->longs[i];
        if (l->len > room || s_key_at(q->at + l->head, l->next_len, p->end) != l->next)
            continue;
        size_t checked = (size_t) l->head + l->next_len;
        if (checked == l->len || !memcmp(q->at + checked, t->pool + l->at + checked, l->len - checked))
            p->fn(l->id, p->arg);
    }
}

static void s_resolve_next_long(s_prober_t *p)
{
    s_long_pending_t *l = &p->long_ring[p->long_head];
    p->long_head = (p->long_head + 1) % S_LONG_AHEAD;
    p->long_count--;
    s_resolve_longs(p, &l->probe, l->from);
}

static void s_resolve(s_prober_t *p)
{
    const ww_short_literals_t *t = p->table;
    s_pending_t *q = &p->ring[p->head];
    p->head = (p->head + 1) % S_AHEAD;
    p->count--;
    for (size_t slot = q->slot; t->slots[slot].key; slot = (slot + 1) & t->mask)
        if (t->slots[slot].key == q->key) {
            if (t->slots[slot].id != S_NO_ID)
                p->fn(t->slots[slot].id, p->arg);
            if (t->slots[slot].long_from) { /* depends on the place: not recent */
                if (p->long_count == S_LONG_AHEAD)
                    s_resolve_next_long(p);
                uint32_t from = t->slots[slot].long_from;
                __builtin_prefetch(&t->longs[from - 1]);
                __builtin_prefetch((const char *) &t->longs[from - 1] + 64); /* pairs often file more than two */
                p->long_ring[(p->long_head + p->long_count++) % S_LONG_AHEAD] = (s_long_pending_t){*q, from};
            } else
                p->recent[s_mix(q->key) & p->recent_mask] = q->key;
            return;
        }
}

/* A key to probe, its hash already taken (and its filter word fetched). */
typedef struct {
    uint64_t key, hash;
    const char *at;
} s_key_t;

static void s_probe(s_prober_t *p, uint64_t key, uint64_t h, const char *at)
{
    const ww_short_literals_t *t = p->table;
    if (p->recent[h & p->recent_mask] == key)
        return;
    size_t bit = (h >> 32) & t->filter_mask;
    if (!(t->filter[bit / 64] >> (bit % 64) & 1))
        return;
    if (p->count == S_AHEAD)
        s_resolve(p);
    size_t slot = h & t->mask;
    __builtin_prefetch(&t->slots[slot]);
    p->ring[(p->head + p->count) % S_AHEAD] = (s_pending_t){key, slot, at};
    p->count++;
}

#define S_BATCH 64

static void s_gather(const ww_short_literals_t *self, s_key_t *batch, size_t *n, uint64_t key, const char *at)
{
    uint64_t h = s_mix(key);
    size_t bit = (h >> 32) & self->filter_mask;
    __builtin_prefetch(&self->filter[bit / 64]);
    batch[(*n)++] = (s_key_t){key, h, at};
}

void ww_short_literals_scan(const ww_short_literals_t *self, const char *text, size_t len, const ww_unit_t *units,
                            size_t count, ww_short_literal_fn fn, void *arg)
{
    const char *end = text + len;
    if (!self->count)
        return;
    uint64_t recent[1024]; /* 8 KB: stays in the first-level cache */
    size_t nrecent = 16;
    while (nrecent < 2 * count && nrecent < sizeof recent / sizeof *recent)
        nrecent *= 2;
    memset(recent, 0, nrecent * sizeof *recent); /* 0 is no key: UTF-8 text has no NUL */
    s_prober_t p = {.table = self, .end = end, .fn = fn, .arg = arg, .recent = recent, .recent_mask = nrecent - 1};
    /* Keys are gathered S_BATCH at a time, their filter words fetched
     * together, then probed: the filter is larger than the first-level
     * caches at scale, and a miss on it per probe, one after another,
     * was a third of the scan's time (measured). */
    s_key_t batch[S_BATCH];
    size_t nbatch = 0;
    for (size_t i = 0; i < count; i++) {
        const ww_unit_t *u = &units[i];
        if (u->len > WW_SHORT_LITERAL_MAX)
            continue;
        if (!u->cjk || self->has_single_wide)
            s_gather(self, batch, &nbatch, s_key_at(text + u->start, u->len, end), text + u->start);
        if (u->cjk && self->has_pair_wide && i + 1 < count) {
            const ww_unit_t *v = &units[i + 1];
            if (v->cjk && v->start == u->start + u->len && u->len + v->len <= WW_SHORT_LITERAL_MAX)
                s_gather(self, batch, &nbatch, s_key_at(text + u->start, u->len + v->len, end), text + u->start);
        }
        if (nbatch > S_BATCH - 2) {
            for (size_t k = 0; k < nbatch; k++)
                s_probe(&p, batch[k].key, batch[k].hash, batch[k].at);
            nbatch = 0;
        }
    }
    for (size_t k = 0; k < nbatch; k++)
        s_probe(&p, batch[k].key, batch[k].hash, batch[k].at);
    while (p.count)
        s_resolve(&p);
    while (p.long_count)
        s_resolve_next_long(&p);
}
