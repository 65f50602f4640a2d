/* ww_spool: the fetcher's durable state: the spool of items not yet
 * acknowledged by the end of the pipeline, the ids already seen, the feeds
 * polled and the documents refused. Written with synchronous=FULL: an item is
 * on disk before the drop folder or a feed's state says it was taken. */
#ifndef WW_SPOOL_H
#define WW_SPOOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct ww_spool_t ww_spool_t;

ww_spool_t *ww_spool_open(const char *path, bool readonly, char *err, size_t errlen);
void ww_spool_close(ww_spool_t **self_p);

/* Adds an item (a raw message as JSON text) unless its id was spooled
 * before: 1 added, 0 already known, -1 error. Durable on return. */
int ww_spool_put(ww_spool_t *self, const char *id, const char *message, const char *origin);

/* Calls fn for items to send now: never sent, or sent more than resend_ms
 * ago and not acknowledged, at most `room` of them: the never sent first,
 * oldest first, then re-sends, the longest waiting first. fn returns
 * 0 if it sent the item (it is then marked sent at now_ms). Returns how many
 * were sent, and counts re-sends in *resent. */
typedef int (*ww_spool_send_fn)(const char *id, const char *message, int attempts, void *arg);
int ww_spool_send_due(ww_spool_t *self, int64_t now_ms, int64_t resend_ms, int room, ww_spool_send_fn fn, void *arg,
                      int *resent);

/* The origin (file path or feed URL) of a spooled item; caller frees; NULL if unknown. */
char *ww_spool_origin(ww_spool_t *self, const char *id);

/* Items sent and not acknowledged (the window in use). */
int ww_spool_in_flight(ww_spool_t *self, int64_t now_ms, int64_t resend_ms);
/* Makes every item in flight due for its re-send now, as if its timeout
 * had passed: a stage that held some of them went away. How many, or -1. */
int ww_spool_resend_now(ww_spool_t *self);
/* Items not yet acknowledged at all. */
int64_t ww_spool_pending(ww_spool_t *self);

/* Marks an item done ("done") or refused downstream ("rejected", with a
 * reason). 1 changed, 0 unknown or already final, -1 error. */
int ww_spool_ack(ww_spool_t *self, const char *id, const char *status, const char *reason);

/* Documents refused before spooling (unreadable, too large, binary). */
int ww_spool_record_failure(ww_spool_t *self, const char *origin, const char *reason);
/* [{origin, reason, at}] newest first, spool rejections included. */
json_t *ww_spool_failures(ww_spool_t *self, int limit);

/* Stores a revision of an item sent before: it becomes pending again with
 * the new message. 0 or -1. */
int ww_spool_put_revision(ww_spool_t *self, const char *id, const char *message, const char *origin);

/* Groups writes into one transaction: one fsync for a whole poll round. */
int ww_spool_begin(ww_spool_t *self);
int ww_spool_commit(ww_spool_t *self);
int ww_spool_rollback(ww_spool_t *self);

/* The SQLite handle, for the feed state kept in the same file (ww_feedstate). */
struct sqlite3 *ww_spool_sqlite(ww_spool_t *self);

/* Counts of spool states: {"pending":n,"done":n,"rejected":n}. */
json_t *ww_spool_stats(ww_spool_t *self);

#endif
