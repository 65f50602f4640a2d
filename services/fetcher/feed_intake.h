/* feed_intake: what becomes of a finished poll. A feed that was read has
 * its items spooled (feed_items) and its next poll set by its rhythm; a 304
 * keeps everything; a failure is recorded with its reason on the feed's
 * health and the next poll backs off. Writes of all polls that end together
 * share one transaction: call feed_intake_commit after each poller round. */
#ifndef FEED_INTAKE_H
#define FEED_INTAKE_H

#include <stdbool.h>

#include "feed_poller.h"
#include "feed_schedule.h"
#include "ww_config.h"
#include "ww_service.h"
#include "ww_spool.h"

typedef struct {
    ww_config_t *config;
    ww_spool_t *spool;
    ww_status_t *status;
    feed_schedule_t schedule;
    int max_items;
    int max_revisions;
    bool in_transaction;
} feed_intake_t;

void feed_intake_init(feed_intake_t *self, ww_config_t *config, ww_spool_t *spool, ww_status_t *status);
/* A feed_fetched_fn for feed_poller_run; arg is the feed_intake_t. */
void feed_intake_fetched(feed_fetch_t *fetch, void *arg);
/* Makes the round's writes durable. */
void feed_intake_commit(feed_intake_t *self);

#endif
