/* ww_watches: the durable list of watches (name, query, channels, paused).
 * Every notifier replica reads all of them; the CLI writes them. A change
 * made by any process is seen through ww_watches_changes. */
#ifndef WW_WATCHES_H
#define WW_WATCHES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct ww_watches_t ww_watches_t;

ww_watches_t *ww_watches_open(const char *path, char *err, size_t errlen);
void ww_watches_close(ww_watches_t **self_p);
/* Adds or replaces a watch. channels is a JSON array, options an object
 * ({"digest_ms": N, "sources": [...], "languages": [...]}); both borrowed,
 * NULL for none. 0 or -1. */
int ww_watches_put(ww_watches_t *self, const char *name, const char *query, json_t *channels, json_t *options,
                   char *err, size_t errlen);
/* 1 removed, 0 no such watch, -1 error. */
int ww_watches_remove(ww_watches_t *self, const char *name);
/* 1 changed, 0 no such watch, -1 error. */
int ww_watches_set_paused(ww_watches_t *self, const char *name, bool paused);
/* [{name, query, channels, paused, created, options}] ordered by name; NULL on error. */
json_t *ww_watches_list(ww_watches_t *self);
/* Every watch changed (added, replaced, paused, resumed, removed) after
 * revision after_rev, oldest change first, with "rev" and "deleted";
 * ww_watches_changes(self, 0) is every watch ever, tombstones included. */
json_t *ww_watches_changes(ww_watches_t *self, int64_t after_rev);

#endif
