/* feed_health: feeds as an alert source. Watches added with --health hear
 * when a feed has failed notifier.health_failures polls in a row: one alert
 * per watch, feed and failure streak (a success starts a new streak), built
 * from the fetcher's feed state and delivered like any alert. */
#ifndef FEED_HEALTH_H
#define FEED_HEALTH_H

#include "delivery.h"
#include "watch_set.h"
#include "ww_config.h"

/* Reads the fetcher's feed state (read-only) and alerts; returns alerts made. */
int feed_health_check(ww_config_t *config, watch_set_t *watches, delivery_t *delivery);

#endif
