/* watch_set: every watch, parsed once, reloaded when the watches file
 * changes, and matched against one article at a time. */
#ifndef WATCH_SET_H
#define WATCH_SET_H

#include <jansson.h>
#include <stdbool.h>

#include "ww_fold.h"
#include "ww_query.h"
#include "ww_watches.h"

typedef struct watch_set_t watch_set_t;

watch_set_t *watch_set_new(ww_watches_t *store, ww_fold_t *fold);
void watch_set_destroy(watch_set_t **self_p);
/* Reloads if the store changed since the last load; returns watches held. */
size_t watch_set_refresh(watch_set_t *self);

/* Watch entries in the base matcher and in the delta matcher (entries of
 * removed or replaced watches included until the next rebuild). */
void watch_set_sizes(const watch_set_t *self, size_t *base, size_t *delta);

/* Watches added with --health (options.health): feed_health alerts them. */
bool watch_set_has_health(const watch_set_t *self);
typedef void (*watch_health_fn)(const char *name, json_t *channels, json_t *options, void *arg);
void watch_set_each_health(const watch_set_t *self, watch_health_fn fn, void *arg);

/* Calls fn for each active watch the article matches, with its name, its
 * channels, its options (digest_ms, sources, languages) and the matched
 * terms (NUL-separated list). */
typedef void (*watch_hit_fn)(const char *name, json_t *channels, json_t *options, const char *terms, void *arg);
void watch_set_match(watch_set_t *self, const ww_qdoc_t *doc, watch_hit_fn fn, void *arg);

#endif
