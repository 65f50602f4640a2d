/* ww_short_literals: short literals found by unit lookups. */
#include "ww_short_literals.h"

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

typedef struct {
    uint64_t key;
    uint32_t id;
} s_slot_t;

#define S_FILTER_BITS (1u << 18) /* 32 KB: stays in cache, answers most misses */

struct ww_short_literals_t {
    s_slot_t *slots; /* key and id together: one cache miss per probe */
    size_t mask;     /* slots - 1, a power of two at least twice the capacity */
    size_t count;
    uint64_t filter[S_FILTER_BITS / 64];
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
    return self;
}

void ww_short_literals_destroy(ww_short_literals_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->slots);
    free(*self_p);
    *self_p = NULL;
}

void ww_short_literals_add(ww_short_literals_t *self, const char *literal, size_t len, uint32_t id)
{
    if (!ww_short_literal_fits(len) || (self->count + 1) * 2 > self->mask + 1)
        return;
    uint64_t key = s_pack(literal, len), h = s_mix(key);
    size_t slot = h & self->mask;
    while (self->slots[slot].key) {
        if (self->slots[slot].key == key)
            return;
        slot = (slot + 1) & self->mask;
    }
    self->slots[slot] = (s_slot_t){key, id};
    self->count++;
    size_t bit = (h >> 40) % S_FILTER_BITS;
    self->filter[bit / 64] |= 1ULL << (bit % 64);
}

size_t ww_short_literals_count(const ww_short_literals_t *self)
{
    return self->count;
}

size_t ww_short_literals_bytes(const ww_short_literals_t *self)
{
    return sizeof *self + (self->mask + 1) * sizeof *self->slots;
}

/* Probes wait in a small ring after their slot is prefetched, so the table's
 * cache misses (it is megabytes at a million watches) overlap instead of
 * stalling one after another. */
#define S_AHEAD 16

typedef struct {
    uint64_t key;
    size_t slot;
} s_pending_t;

typedef struct {
    const ww_short_literals_t *table;
    s_pending_t ring[S_AHEAD];
    size_t head, count;
    ww_short_literal_fn fn;
    void *arg;
} s_prober_t;

static void s_resolve(s_prober_t *p)
{
    const ww_short_literals_t *t = p->table;
    s_pending_t *q = &p->ring[p->head];
    p->head = (p->head + 1) % S_AHEAD;
    p->count--;
    for (size_t slot = q->slot; t->slots[slot].key; slot = (slot + 1) & t->mask)
        if (t->slots[slot].key == q->key) {
            p->fn(t->slots[slot].id, p->arg);
            return;
        }
}

static void s_probe(s_prober_t *p, const char *bytes, size_t n)
{
    const ww_short_literals_t *t = p->table;
    uint64_t key = s_pack(bytes, n), h = s_mix(key);
    size_t bit = (h >> 40) % S_FILTER_BITS;
    if (!(t->filter[bit / 64] >> (bit % 64) & 1))
        return;
    if (p->count == S_AHEAD)
        s_resolve(p);
    size_t slot = h & t->mask;
    __builtin_prefetch(&t->slots[slot]);
    p->ring[(p->head + p->count) % S_AHEAD] = (s_pending_t){key, slot};
    p->count++;
}

void ww_short_literals_scan(const ww_short_literals_t *self, const char *text, const ww_unit_t *units, size_t count,
                            ww_short_literal_fn fn, void *arg)
{
    if (!self->count)
        return;
    s_prober_t p = {.table = self, .fn = fn, .arg = arg};
    for (size_t i = 0; i < count; i++) {
        const ww_unit_t *u = &units[i];
        if (u->len > WW_SHORT_LITERAL_MAX)
            continue;
        s_probe(&p, text + u->start, u->len);
        if (u->cjk && i + 1 < count) {
            const ww_unit_t *v = &units[i + 1];
            if (v->cjk && v->start == u->start + u->len && u->len + v->len <= WW_SHORT_LITERAL_MAX)
                s_probe(&p, text + u->start, u->len + v->len);
        }
    }
    while (p.count)
        s_resolve(&p);
}
