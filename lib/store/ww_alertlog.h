/* ww_alertlog: the delivery log. Each alert (one per watch and story) is
 * recorded once under its stable id, with the outcome of each delivery, so a
 * re-sent article never alerts twice and `wirewatch alerts` can list what was
 * sent where. Several notifier replicas may share the file. */
#ifndef WW_ALERTLOG_H
#define WW_ALERTLOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct ww_alertlog_t ww_alertlog_t;

ww_alertlog_t *ww_alertlog_open(const char *path, bool readonly, char *err, size_t errlen);
void ww_alertlog_close(ww_alertlog_t **self_p);
/* Records the alert if its "alert_id" is new: 1 recorded, 0 already there, -1 error. */
int ww_alertlog_claim(ww_alertlog_t *self, json_t *alert);
/* A claim and the deliveries it queues (ww_outbox_put) commit together, so
 * a notifier that dies in between leaves neither. */
int ww_alertlog_begin(ww_alertlog_t *self);
int ww_alertlog_commit(ww_alertlog_t *self);
int ww_alertlog_rollback(ww_alertlog_t *self);
/* Records one delivery attempt's result. */
int ww_alertlog_delivered(ww_alertlog_t *self, const char *alert_id, const char *channel, bool ok, const char *error);
/* Alerts with seq > after, oldest first, at most limit, each with its
 * deliveries; NULL on error. */
json_t *ww_alertlog_list(ww_alertlog_t *self, int64_t after, int limit);
/* The dead-letter list: alerts (or digests) whose delivery over a channel
 * was given up after its last retry, each with failed_channel, attempts and
 * last_error (ww_outbox.h). */
json_t *ww_alertlog_failed(ww_alertlog_t *self, int limit);

#endif
