/* feed_poller: one HTTP GET of a feed with the manners servers expect:
 * conditional requests (ETag, Last-Modified), compression, at most five
 * redirects over http/https only, timeouts, an honest User-Agent, a cap on
 * the decoded body, and no connection to private, loopback or link-local
 * addresses unless the config allows them (checked on every connection,
 * redirects included). */
#ifndef FEED_POLLER_H
#define FEED_POLLER_H

#include <stdbool.h>
#include <stddef.h>

#include "ww_config.h"

typedef struct {
    long status; /* HTTP status, 0 if no response */
    char *body;  /* response body (NUL-terminated), owned */
    size_t len;
    char etag[256];
    char last_modified[128];
    char charset[64]; /* from Content-Type */
    char error[512];  /* why it failed, "" on success */
    char final_url[2048];
} feed_response_t;

/* Fetches url; returns 0 on a 200 or 304, -1 otherwise (error set). */
int feed_poller_get(ww_config_t *config, const char *url, const char *etag, const char *last_modified,
                    feed_response_t *out);
void feed_response_free(feed_response_t *r);

/* True if addr (IPv4 or IPv6 sockaddr) is loopback, private or link-local. */
bool feed_address_is_private(const void *sockaddr);

#endif
