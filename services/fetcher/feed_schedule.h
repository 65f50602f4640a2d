/* feed_schedule: when a feed is polled next. A feed given its own interval
 * keeps it. Otherwise the interval follows the feed's rhythm: half the
 * typical gap between its newest items' publication times (a feed that has
 * gone quiet is polled less), within fetcher.poll_min and poll_max. After
 * a failure the wait doubles with each consecutive failure, with jitter, up
 * to fetcher.max_backoff; a server's Retry-After is never undercut (up to a
 * week, even beyond max_backoff). */
#ifndef FEED_SCHEDULE_H
#define FEED_SCHEDULE_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

typedef struct {
    int64_t default_ms; /* fetcher.poll_interval */
    int64_t min_ms;
    int64_t max_ms;
    int64_t max_backoff_ms;
} feed_schedule_t;

/* The interval for a feed that was just read. every_ms > 0 is the user's
 * choice; items are the parsed feed's items (their "published" times are
 * used); previous_ms is the interval in use (0 if none). */
int64_t feed_schedule_interval(const feed_schedule_t *s, int64_t every_ms, json_t *items, int64_t previous_ms,
                               time_t now);

/* The wait after the failures-th consecutive failure (1 for the first);
 * jitter_permille in [0, 1000) spreads retries of many feeds apart. */
int64_t feed_schedule_backoff(const feed_schedule_t *s, int64_t interval_ms, int failures, int64_t retry_after_s,
                              int jitter_permille);

#endif
