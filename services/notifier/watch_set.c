/* watch_set: parsed watches, matched through the presearch matcher. */
#include "watch_set.h"
#include "ww_matcher.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;
    json_t *channels;
    json_t *options;
    ww_query_t *query;
} s_watch_t;

struct watch_set_t {
    ww_watches_t *store; /* borrowed */
    ww_fold_t *fold;     /* borrowed */
    s_watch_t *items;
    size_t count;
    int64_t version; /* store version loaded, -1 before the first load */
    ww_matcher_t *matcher;
    ww_match_scratch_t *scratch;
};

watch_set_t *watch_set_new(ww_watches_t *store, ww_fold_t *fold)
{
    watch_set_t *self = calloc(1, sizeof *self);
    self->store = store;
    self->fold = fold;
    self->version = -1;
    return self;
}

static void s_clear(watch_set_t *self)
{
    ww_match_scratch_destroy(&self->scratch);
    ww_matcher_destroy(&self->matcher);
    for (size_t i = 0; i < self->count; i++) {
        free(self->items[i].name);
        json_decref(self->items[i].channels);
        json_decref(self->items[i].options);
        ww_query_destroy(&self->items[i].query);
    }
    free(self->items);
    self->items = NULL;
    self->count = 0;
}

void watch_set_destroy(watch_set_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_clear(*self_p);
    free(*self_p);
    *self_p = NULL;
}

size_t watch_set_refresh(watch_set_t *self)
{
    int64_t v = ww_watches_version(self->store);
    if (v == self->version && self->version >= 0)
        return self->count;
    json_t *list = ww_watches_list(self->store);
    if (!list)
        return self->count;
    s_clear(self);
    self->items = calloc(json_array_size(list) + 1, sizeof *self->items);
    size_t i;
    json_t *w;
    json_array_foreach(list, i, w)
    {
        if (json_is_true(json_object_get(w, "paused")))
            continue;
        const char *name = json_string_value(json_object_get(w, "name"));
        char err[256];
        ww_query_t *q = ww_query_parse(json_string_value(json_object_get(w, "query")), self->fold, 0, err, sizeof err);
        if (!q) {
            zsys_error("watch %s: query does not parse: %s", name, err);
            continue;
        }
        self->items[self->count++] = (s_watch_t){strdup(name), json_incref(json_object_get(w, "channels")),
                                                 json_incref(json_object_get(w, "options")), q};
    }
    json_decref(list);
    self->version = v;
    self->matcher = ww_matcher_new();
    for (size_t k = 0; k < self->count; k++)
        ww_matcher_add(self->matcher, self->items[k].query, k);
    char err[256];
    if (ww_matcher_compile(self->matcher, err, sizeof err) == 0)
        self->scratch = ww_match_scratch_new(self->matcher);
    else
        zsys_error("watches: %s; every watch is evaluated for every article", err);
    ww_matcher_stats_t st;
    ww_matcher_stats(self->matcher, &st);
    zsys_info("%zu watches active (%zu literals, %zu evaluated for every article, compiled in %.3f s)", self->count,
              st.literals, st.always, st.compile_seconds);
    return self->count;
}

typedef struct {
    watch_set_t *set;
    const ww_qprep_t *prep;
    watch_hit_fn fn;
    void *arg;
} s_match_ctx_t;

static void s_hit(size_t ref, const ww_query_t *query, void *arg)
{
    s_match_ctx_t *c = arg;
    char terms[1024];
    ww_query_matched_terms(query, c->prep, terms, sizeof terms);
    const s_watch_t *w = &c->set->items[ref];
    c->fn(w->name, w->channels, w->options, terms, c->arg);
}

void watch_set_match(watch_set_t *self, const ww_qdoc_t *doc, watch_hit_fn fn, void *arg)
{
    ww_qprep_t *prep = ww_qprep_new(doc);
    s_match_ctx_t ctx = {self, prep, fn, arg};
    if (!self->scratch || ww_matcher_match(self->matcher, self->scratch, doc, prep, s_hit, &ctx) < 0) {
        /* no database (it failed to compile) or a failed scan: every watch */
        for (size_t i = 0; i < self->count; i++)
            if (ww_query_matches(self->items[i].query, prep))
                s_hit(i, self->items[i].query, &ctx);
    }
    ww_qprep_destroy(&prep);
}
