/* watch_set: parsed watches and naive matching (each watch evaluated). */
#include "watch_set.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;
    json_t *channels;
    ww_query_t *query;
} s_watch_t;

struct watch_set_t {
    ww_watches_t *store; /* borrowed */
    ww_fold_t *fold;     /* borrowed */
    s_watch_t *items;
    size_t count;
    int64_t version; /* store version loaded, -1 before the first load */
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
    for (size_t i = 0; i < self->count; i++) {
        free(self->items[i].name);
        json_decref(self->items[i].channels);
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
        self->items[self->count++] = (s_watch_t){strdup(name), json_incref(json_object_get(w, "channels")), q};
    }
    json_decref(list);
    self->version = v;
    zsys_info("%zu watches active", self->count);
    return self->count;
}

void watch_set_match(watch_set_t *self, const ww_qdoc_t *doc, watch_hit_fn fn, void *arg)
{
    ww_qprep_t *prep = ww_qprep_new(doc);
    for (size_t i = 0; i < self->count; i++) {
        if (!ww_query_matches(self->items[i].query, prep))
            continue;
        char terms[1024];
        ww_query_matched_terms(self->items[i].query, prep, terms, sizeof terms);
        fn(self->items[i].name, self->items[i].channels, terms, arg);
    }
    ww_qprep_destroy(&prep);
}
