/* feed_poller: polls many feeds at once from one thread with a libcurl
 * multi handle. It limits requests in flight, in total and per host, and
 * follows at most five redirects itself (http/https only, loops refused),
 * noting whether every hop was permanent (301/308) so the feed's stored URL
 * can follow a move. */
#ifndef FEED_POLLER_H
#define FEED_POLLER_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>

#include "feed_http.h"
#include "ww_config.h"

typedef struct feed_poller_t feed_poller_t;

typedef struct {
    json_t *feed;             /* the feed's row as it was when the poll began */
    feed_response_t response; /* the last hop's response */
    char moved_to[2048];      /* set if every redirect was permanent */
    char final_url[2048];     /* the URL that answered */
    int redirects;
} feed_fetch_t;

typedef void(feed_fetched_fn)(feed_fetch_t *fetch, void *arg);

feed_poller_t *feed_poller_new(ww_config_t *config);
void feed_poller_destroy(feed_poller_t **self_p);

/* Starts a poll of feed (a ww_feedstate row: url, etag, last_modified, key).
 * 0 started, 1 not now (its host or the poller is at its limit, or the feed
 * is being polled), -1 error. */
int feed_poller_start(feed_poller_t *self, json_t *feed);
/* Polls in flight. */
int feed_poller_active(feed_poller_t *self);
/* True if no more polls can start now. */
bool feed_poller_full(feed_poller_t *self);

/* Waits up to timeout_ms for network activity or for one of the extra
 * descriptors, drives the transfers and calls done for every feed whose
 * poll ended (successfully or not). */
void feed_poller_run(feed_poller_t *self, int timeout_ms, struct curl_waitfd *extra, unsigned nextra,
                     feed_fetched_fn *done, void *arg);

#endif
