/* watch_set: every watch, kept current by reading only what changed, and
 * matched through two matchers.
 *
 * Why two: compiling a million watches' literals takes seconds, and a watch
 * added while the pipeline runs must take effect within one. Watches are
 * kept in an array that only grows: a changed watch is appended again and
 * its old entry marked dead. The base matcher covers the entries below
 * base_upto as they were when it was built; entries above it (new or
 * changed watches) sit in a small delta matcher rebuilt at every change,
 * which takes milliseconds. When the delta grows or ages, a new base is
 * compiled in a background thread and swapped in when ready. */
#include "watch_set.h"
#include "ww_matcher.h"

#include <czmq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* a new base is built when this many watches sit in the delta... */
#define S_DELTA_MAX 2000
/* ...or when any change has waited this long */
#define S_DELTA_MAX_AGE_MS 30000

typedef struct {
    char *name;
    json_t *channels;
    json_t *options;
    ww_query_t *query;
    bool live; /* false: removed, paused or replaced by a later entry */
} s_watch_t;

typedef struct {
    ww_matcher_t *matcher;
    ww_match_scratch_t *scratch;
} s_compiled_t;

/* A base being compiled by the background thread. */
typedef struct {
    pthread_t thread;
    bool running;
    atomic_bool done;
    s_compiled_t result;
    size_t upto; /* entries below this were added */
    bool ok;
} s_rebuild_t;

struct watch_set_t {
    ww_watches_t *store; /* borrowed */
    ww_fold_t *fold;     /* borrowed */
    s_watch_t *items;
    size_t count, cap, live;
    zhashx_t *by_name; /* name -> 1 + index of its newest entry */
    int64_t rev;       /* store revision applied */
    s_compiled_t base, delta;
    size_t base_upto;
    int64_t delta_since; /* when the oldest change not in the base came, 0 none */
    s_rebuild_t rebuild;
};

watch_set_t *watch_set_new(ww_watches_t *store, ww_fold_t *fold)
{
    watch_set_t *self = calloc(1, sizeof *self);
    self->store = store;
    self->fold = fold;
    self->by_name = zhashx_new();
    return self;
}

static void s_compiled_free(s_compiled_t *c)
{
    ww_match_scratch_destroy(&c->scratch);
    ww_matcher_destroy(&c->matcher);
}

void watch_set_destroy(watch_set_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    watch_set_t *self = *self_p;
    if (self->rebuild.running) {
        pthread_join(self->rebuild.thread, NULL);
        s_compiled_free(&self->rebuild.result);
    }
    s_compiled_free(&self->base);
    s_compiled_free(&self->delta);
    for (size_t i = 0; i < self->count; i++) {
        free(self->items[i].name);
        json_decref(self->items[i].channels);
        json_decref(self->items[i].options);
        ww_query_destroy(&self->items[i].query);
    }
    free(self->items);
    zhashx_destroy(&self->by_name);
    free(self);
    *self_p = NULL;
}

/* A matcher over the live entries in [from, to); 0, or -1 if it cannot be
 * compiled (its watches are then evaluated one by one). */
static int s_compile(const watch_set_t *self, size_t from, size_t to, s_compiled_t *out)
{
    out->matcher = ww_matcher_new();
    for (size_t k = from; k < to; k++)
        if (self->items[k].live && self->items[k].query)
            ww_matcher_add(out->matcher, self->items[k].query, k);
    char err[256];
    if (ww_matcher_compile(out->matcher, err, sizeof err) != 0) {
        zsys_error("watches: %s; those watches are evaluated for every article", err);
        return -1;
    }
    out->scratch = ww_match_scratch_new(out->matcher);
    return out->scratch ? 0 : -1;
}

static void *s_rebuild_thread(void *arg)
{
    s_rebuild_t *r = arg;
    char err[256];
    r->ok = ww_matcher_compile(r->result.matcher, err, sizeof err) == 0;
    if (r->ok)
        r->result.scratch = ww_match_scratch_new(r->result.matcher);
    else
        zsys_error("watches: background rebuild failed: %s", err);
    atomic_store(&r->done, true);
    return NULL;
}

/* Starts compiling a base of every live entry. The queries are packed into
 * the new matcher here, so the thread never touches the entries. */
static void s_rebuild_start(watch_set_t *self)
{
    s_rebuild_t *r = &self->rebuild;
    r->result.matcher = ww_matcher_new();
    r->result.scratch = NULL;
    for (size_t k = 0; k < self->count; k++)
        if (self->items[k].live && self->items[k].query)
            ww_matcher_add(r->result.matcher, self->items[k].query, k);
    r->upto = self->count;
    atomic_store(&r->done, false);
    if (pthread_create(&r->thread, NULL, s_rebuild_thread, r) != 0) {
        ww_matcher_destroy(&r->result.matcher);
        return;
    }
    r->running = true;
}

/* Swaps a finished base in; the delta keeps only what came after it. */
static void s_rebuild_finish(watch_set_t *self)
{
    s_rebuild_t *r = &self->rebuild;
    pthread_join(r->thread, NULL);
    r->running = false;
    if (!r->ok) {
        s_compiled_free(&r->result);
        return;
    }
    s_compiled_free(&self->base);
    self->base = r->result;
    r->result = (s_compiled_t){0};
    self->base_upto = r->upto;
    s_compiled_free(&self->delta);
    s_compile(self, self->base_upto, self->count, &self->delta);
    self->delta_since = self->count > self->base_upto ? zclock_mono() : 0;
    ww_matcher_stats_t st;
    ww_matcher_stats(self->base.matcher, &st);
    zsys_info("%zu watches active: base rebuilt in the background (%zu literals, %zu evaluated for every article, "
              "compiled in %.3f s)",
              self->live, st.literals, st.always, st.compile_seconds);
}

static void s_kill(watch_set_t *self, const char *name)
{
    size_t at = (size_t) (uintptr_t) zhashx_lookup(self->by_name, name);
    if (at && self->items[at - 1].live) {
        self->items[at - 1].live = false;
        self->live--;
    }
}

/* Applies one changed row: the old entry dies; a live row is appended. */
static bool s_apply(watch_set_t *self, json_t *w)
{
    const char *name = json_string_value(json_object_get(w, "name"));
    if (!name)
        return false;
    s_kill(self, name);
    if (json_is_true(json_object_get(w, "deleted")) || json_is_true(json_object_get(w, "paused")))
        return true;
    char err[256];
    const char *text = json_string_value(json_object_get(w, "query"));
    bool health = json_is_true(json_object_get(json_object_get(w, "options"), "health"));
    /* a --health watch without a query hears of feeds only */
    ww_query_t *q = health && (!text || !*text) ? NULL : ww_query_parse(text, self->fold, 0, err, sizeof err);
    if (!q && !health) {
        zsys_error("watch %s: query does not parse: %s", name, err);
        return true;
    }
    if (q) { /* one block instead of a node per allocation: less memory at a million */
        ww_query_t *packed = ww_query_pack(q);
        if (packed) {
            ww_query_destroy(&q);
            q = packed;
        }
    }
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 64;
        self->items = realloc(self->items, self->cap * sizeof *self->items);
    }
    self->items[self->count] = (s_watch_t){strdup(name), json_incref(json_object_get(w, "channels")),
                                           json_incref(json_object_get(w, "options")), q, true};
    zhashx_update(self->by_name, name, (void *) (uintptr_t) (self->count + 1));
    self->count++;
    self->live++;
    return true;
}

size_t watch_set_refresh(watch_set_t *self)
{
    if (self->rebuild.running && atomic_load(&self->rebuild.done))
        s_rebuild_finish(self);
    json_t *changes = ww_watches_changes(self->store, self->rev);
    size_t n = changes ? json_array_size(changes) : 0;
    if (n) {
        size_t i;
        json_t *w;
        json_array_foreach(changes, i, w)
        {
            s_apply(self, w);
            int64_t rev = json_integer_value(json_object_get(w, "rev"));
            if (rev > self->rev)
                self->rev = rev;
        }
        if (!self->base.matcher && !self->rebuild.running) {
            /* the first load: build the base now, nothing to match before it */
            s_compile(self, 0, self->count, &self->base);
            self->base_upto = self->count;
            ww_matcher_stats_t st;
            ww_matcher_stats(self->base.matcher, &st);
            zsys_info("%zu watches active (%zu literals, %zu evaluated for every article, compiled in %.3f s)",
                      self->live, st.literals, st.always, st.compile_seconds);
        } else {
            s_compiled_free(&self->delta);
            s_compile(self, self->base_upto, self->count, &self->delta);
            if (!self->delta_since)
                self->delta_since = zclock_mono();
        }
    }
    json_decref(changes);
    size_t in_delta = self->count - self->base_upto;
    if (!self->rebuild.running && self->delta_since &&
        (in_delta > S_DELTA_MAX || zclock_mono() - self->delta_since > S_DELTA_MAX_AGE_MS)) {
        self->delta_since = 0;
        s_rebuild_start(self);
    }
    return self->live;
}

static bool s_is_health(const s_watch_t *w)
{
    return w->live && json_is_true(json_object_get(w->options, "health"));
}

bool watch_set_has_health(const watch_set_t *self)
{
    for (size_t i = 0; i < self->count; i++)
        if (s_is_health(&self->items[i]))
            return true;
    return false;
}

void watch_set_each_health(const watch_set_t *self, watch_health_fn fn, void *arg)
{
    for (size_t i = 0; i < self->count; i++)
        if (s_is_health(&self->items[i]))
            fn(self->items[i].name, self->items[i].channels, self->items[i].options, arg);
}

void watch_set_sizes(const watch_set_t *self, size_t *base, size_t *delta)
{
    *base = self->base_upto;
    *delta = self->count - self->base_upto;
}

typedef struct {
    watch_set_t *set;
    const ww_qprep_t *prep;
    watch_hit_fn fn;
    void *arg;
} s_match_ctx_t;

static void s_hit(size_t ref, void *arg)
{
    s_match_ctx_t *c = arg;
    const s_watch_t *w = &c->set->items[ref];
    if (!w->live) /* removed or replaced since its matcher was built */
        return;
    char terms[1024];
    ww_query_matched_terms(w->query, c->prep, terms, sizeof terms);
    c->fn(w->name, w->channels, w->options, terms, c->arg);
}

/* One matcher's share: through it, or (no database, a failed scan) by
 * evaluating each of its live entries. */
static void s_match_part(watch_set_t *self, s_compiled_t *part, size_t from, size_t to, s_match_ctx_t *ctx)
{
    if (part->scratch && ww_matcher_match(part->matcher, part->scratch, ctx->prep, s_hit, ctx) >= 0)
        return;
    for (size_t i = from; i < to; i++)
        if (self->items[i].live && self->items[i].query && ww_query_matches(self->items[i].query, ctx->prep))
            s_hit(i, ctx);
}

void watch_set_match(watch_set_t *self, const ww_qdoc_t *doc, watch_hit_fn fn, void *arg)
{
    ww_qprep_t *prep = ww_qprep_new(doc);
    s_match_ctx_t ctx = {self, prep, fn, arg};
    s_match_part(self, &self->base, 0, self->base_upto, &ctx);
    if (self->count > self->base_upto)
        s_match_part(self, &self->delta, self->base_upto, self->count, &ctx);
    ww_qprep_destroy(&prep);
}
