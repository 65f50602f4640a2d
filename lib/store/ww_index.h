/* ww_index: the article archive and its full-text index, behind a small
 * interface so that another backend (PostgreSQL) can replace SQLite without
 * touching the indexer's logic.
 *
 * Stories: an article whose match-form content hash equals an earlier one's
 * is a reprint: it joins that article as one more source. An article whose
 * SimHash is within a small Hamming distance of a recent one joins its story.
 * Ownership: returned json_t belong to the caller. */
#ifndef WW_INDEX_H
#define WW_INDEX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ww_query.h"

typedef struct ww_index_t ww_index_t;

typedef enum {
    WW_UPSERT_NEW,       /* first time seen: a new article */
    WW_UPSERT_UPDATED,   /* same id, changed content: replaced */
    WW_UPSERT_UNCHANGED, /* same id and content (a re-send): nothing changed */
    WW_UPSERT_REPRINT,   /* other id, same content: added as a source */
} ww_upsert_t;

typedef struct {
    ww_upsert_t outcome;
    char story_id[40];    /* the story the article belongs to */
    char article_id[260]; /* the article that holds it (the first of reprints) */
    bool new_story;       /* the article opened a story */
} ww_upsert_result_t;

typedef struct {
    const ww_query_t *query; /* parsed (ww_query_parse); each backend translates it */
    time_t since, until;     /* 0: unbounded */
    const char *source;      /* exact source filter, or NULL */
    int limit;
    bool newest_first; /* else by relevance */
} ww_search_t;

/* Search ranks (or sorts by time) the newest this many matches. */
#define WW_SEARCH_CANDIDATES 2000

ww_index_t *ww_index_open(const char *path, bool readonly, char *err, size_t errlen);
void ww_index_close(ww_index_t **self_p);

int ww_index_begin(ww_index_t *self);
int ww_index_commit(ww_index_t *self);
int ww_index_rollback(ww_index_t *self);

/* Merges index segments, about pages pages of work, in the caller's
 * transaction if one is open: the indexer calls it while no articles wait,
 * so that searches read one or few segments. 1 if it did work, 0 once
 * there is nothing left to merge, -1 on error. */
int ww_index_merge(ww_index_t *self, int pages);

/* Writes one clean article (see proto/clean.schema.json); idempotent. 0 or -1. */
int ww_index_upsert(ww_index_t *self, json_t *article, int simhash_distance, ww_upsert_result_t *res);

/* Runs a search; returns an array of hits {id, title, source, published,
 * url, story_id, body} or NULL with a reason in err (a query the index
 * cannot search, such as one of negations only, is one). */
json_t *ww_index_search(ww_index_t *self, const ww_search_t *s, char *err, size_t errlen);

/* Articles stored, and stories. */
int64_t ww_index_count(ww_index_t *self);
int64_t ww_index_story_count(ww_index_t *self);

/* The stored article with this id (or an id it absorbed as a reprint). */
json_t *ww_index_get(ww_index_t *self, const char *id);

#endif
