/* ww_status: each worker's liveness and counters, published as a small JSON
 * file in the status folder so `wirewatch status` can read every worker. */
#ifndef WW_STATUS_H
#define WW_STATUS_H

#include <stdint.h>

typedef struct ww_status_t ww_status_t;

/* Counters a worker keeps; all start at zero. */
typedef struct {
    uint64_t in;     /* messages or items received */
    uint64_t out;    /* messages sent on */
    uint64_t errors; /* rejected input, failed deliveries, bad messages */
    uint64_t resent; /* items sent again after a timeout */
    uint64_t acked;  /* acknowledgements received (fetcher) */
} ww_counters_t;

ww_status_t *ww_status_new(const char *status_dir, const char *service);
void ww_status_destroy(ww_status_t **self_p);
ww_counters_t *ww_status_counters(ww_status_t *self);
/* Remembers the latest error text (shown by `wirewatch status`). */
void ww_status_error(ww_status_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets a free-form note such as "waiting for peers". */
void ww_status_note(ww_status_t *self, const char *note);
/* Writes the status file now; 0 or -1. */
int ww_status_publish(ww_status_t *self);
/* Removes the status file (clean exit). */
void ww_status_remove(ww_status_t *self);
/* Removes the status files a worker left when it died without a clean exit
 * (SIGKILL, a crash): <status_dir>/<service>-<pid>.json and its .next.
 * The supervisor calls it, so `wirewatch status` shows the restarted
 * worker, not a dead one beside it. */
void ww_status_remove_dead(const char *status_dir, const char *service, int pid);

#endif
