/* ww_feedstate: what the fetcher knows about each feed and each item it has
 * seen, kept in the spool's SQLite file so that one transaction covers an
 * item's spooling and the feed's new state.
 *
 * Feeds have a stable key (the URL they were first added with): a permanent
 * redirect changes the URL polled, never the key, so item ids stay the same.
 * Seen items remember their link and a hash of their content: an item whose
 * GUID changes while link and content stay is recognised, and one whose
 * content changes is reported as a revision. */
#ifndef WW_FEEDSTATE_H
#define WW_FEEDSTATE_H

#include "ww_spool.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Creates the tables or brings an older file up to date. 0 or -1. */
int ww_feedstate_migrate(ww_spool_t *spool);

/* Adds a feed (1), or updates the interval, title and folder of a known one
 * (0; NULL title or folder and a negative every_ms leave them as they are).
 * -1 on error. every_ms 0 = the feed's own rhythm. */
int ww_feedstate_add(ww_spool_t *spool, const char *url, int64_t every_ms, const char *title, const char *folder);
/* Removes by URL or key: 1 removed, 0 unknown, -1 error. */
int ww_feedstate_remove(ww_spool_t *spool, const char *url);

/* Every feed with its health: [{url, key, title, folder, every_ms,
 * interval_ms, etag, last_modified, next_poll, last_poll, last_success,
 * last_status, last_error, last_error_at, failures, warnings, items,
 * items_last_day, moved_from}], times in seconds since the epoch (null when
 * never). Ordered by folder, then title or URL. */
json_t *ww_feedstate_list(ww_spool_t *spool, int64_t now);
/* When new items of a feed (by key) first arrived: the distinct first-seen
 * times, newest first, at most max of them. Returns how many. */
size_t ww_feedstate_arrivals(ww_spool_t *spool, const char *key, int64_t *out, size_t max);
/* Feeds due at now (next_poll <= now), soonest first, at most limit. */
json_t *ww_feedstate_due(ww_spool_t *spool, int64_t now, int limit);
/* Seconds until the next feed is due (0 if one is due, -1 if no feeds). */
int64_t ww_feedstate_next_due(ww_spool_t *spool, int64_t now);

typedef struct {
    const char *url;           /* the URL polled */
    const char *moved_to;      /* permanent redirect target, or NULL */
    bool ok;                   /* a feed was read (or 304) */
    long http_status;          /* 0 if no response */
    const char *etag;          /* NULL keeps the stored validator */
    const char *last_modified; /* NULL keeps the stored validator */
    const char *error;         /* why it failed, when !ok */
    const char *warnings;      /* what was recovered, or NULL */
    const char *title;         /* the feed's own title, kept if none was given */
    int64_t next_poll;         /* seconds since the epoch */
    int64_t interval_ms;       /* the interval now in use */
    int new_items;
} ww_feed_outcome_t;

/* Records a poll's outcome. 0 or -1. */
int ww_feedstate_record(ww_spool_t *spool, int64_t now, const ww_feed_outcome_t *outcome);

typedef enum {
    WW_SEEN_NEW,     /* never seen */
    WW_SEEN_SAME,    /* seen with this content */
    WW_SEEN_CHANGED, /* seen with other content: a revision */
    WW_SEEN_ALIAS    /* a new id for an item seen with the same link and content */
} ww_seen_t;

/* Classifies an item of the feed with key feed_key; *revision is the
 * revision to send for WW_SEEN_CHANGED (1 for the first revision after the
 * original). link may be NULL. */
ww_seen_t ww_feedstate_seen(ww_spool_t *spool, const char *feed_key, const char *item_id, const char *link,
                            const char *content_hash, int *revision);
/* Remembers an item at now with its current content and revision. */
int ww_feedstate_remember(ww_spool_t *spool, const char *feed_key, const char *item_id, const char *link,
                          const char *content_hash, int revision, int64_t now);
/* Forgets items not seen in any feed since before cutoff. Returns how many. */
int ww_feedstate_forget_before(ww_spool_t *spool, int64_t cutoff);

#endif
