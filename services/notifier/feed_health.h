/* feed_health: feeds as an alert source. Watches added with --health hear
 * when a feed has failed notifier.health_failures polls in a row (one alert
 * per watch, feed and failure streak; a success starts a new streak), and
 * when a feed that polls fine has brought nothing new for far longer than
 * usual (one alert per silence; a new item ends it). Built from the
 * fetcher's feed state and delivered like any alert, with "condition"
 * "failing" or "silent". */
#ifndef FEED_HEALTH_H
#define FEED_HEALTH_H

#include "delivery.h"
#include "watch_set.h"
#include "ww_config.h"

#include <stddef.h>
#include <stdint.h>

/* How long a feed has been silent, if that is far longer than usual, else
 * 0. arrivals: when new items first came, newest first (distinct times);
 * usual is the median gap between them (*usual_gap, 0 when too few to
 * tell). Silent means at least factor usual gaps and min_s seconds. */
int64_t feed_health_silence(const int64_t *arrivals, size_t n, int64_t now, int64_t factor, int64_t min_s,
                            int64_t *usual_gap);

/* Reads the fetcher's feed state (read-only) and alerts; returns alerts made. */
int feed_health_check(ww_config_t *config, watch_set_t *watches, delivery_t *delivery);

#endif
