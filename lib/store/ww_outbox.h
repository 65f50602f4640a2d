/* ww_outbox: deliveries still owed, kept in the delivery log's file.
 *
 * A claimed alert puts one row per remote channel (webhook, e-mail) here in
 * the same file, so a notifier that dies before delivering leaves the work
 * for the next one instead of losing it. Rows are leased while being tried,
 * so replicas sharing the file never send one twice at the same time. A
 * failed attempt is retried later with exponential backoff; after the last
 * attempt the row is dead (the dead-letter list `wirewatch alerts --failed`
 * shows) until `wirewatch alerts retry` revives it. Rows of a digest watch
 * are held, then gathered into one digest row per watch and channel at most
 * every digest_ms. */
#ifndef WW_OUTBOX_H
#define WW_OUTBOX_H

#include "ww_alertlog.h"

/* Queues a delivery of alert_id over channel (a display name such as
 * "webhook:URL") described by spec (borrowed JSON; for digests it carries
 * "digest_ms"). held: wait for the watch's next digest. 1 queued, 0 already
 * queued, -1 error. */
int ww_outbox_put(ww_alertlog_t *self, const char *alert_id, const char *watch, const char *channel, json_t *spec,
                  bool held, int64_t now_ms);

/* Turns held rows into digests where their watch's interval has passed
 * since the first held alert and since the previous digest:
 * one row per watch and channel with payload {"digest": true, "watch",
 * "alerts": [...]}. Returns the number of digests made, -1 on error. */
int ww_outbox_make_digests(ww_alertlog_t *self, int64_t now_ms);

/* Leases up to limit rows that are due, for lease_ms: [{id, alert_id,
 * watch, channel, spec, attempts, payload}]. NULL on error. */
json_t *ww_outbox_take(ww_alertlog_t *self, int64_t now_ms, int64_t lease_ms, int limit);

/* Records an attempt of row id (also in the deliveries list). ok: done.
 * Otherwise retry_at_ms > 0 schedules the next attempt, 0 makes it dead. */
int ww_outbox_result(ww_alertlog_t *self, int64_t id, bool ok, const char *error, int64_t retry_at_ms);

/* Dead rows back to pending, for one alert (or digest) id or all (NULL).
 * Returns how many, -1 on error. */
int ww_outbox_retry(ww_alertlog_t *self, const char *alert_id);

/* Counts of rows by state: {"pending": n, "held": n, "dead": n, "done": n}. */
json_t *ww_outbox_counts(ww_alertlog_t *self);

#endif
