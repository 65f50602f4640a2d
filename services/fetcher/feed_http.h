/* feed_http: one HTTP request for a feed, as a libcurl easy handle to run
 * in a multi handle, with the manners servers expect: conditional requests
 * (ETag, Last-Modified), compression, http/https only, connect and total
 * timeouts, an honest User-Agent, a cap on the decoded body, and no
 * connection to private, loopback or link-local addresses unless the config
 * allows them (checked for every connection). Redirects are not followed
 * here: the poller follows them, so it knows which hops were permanent. */
#ifndef FEED_HTTP_H
#define FEED_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "ww_config.h"

typedef struct {
    long status; /* HTTP status, 0 if no response */
    char *body;  /* response body (NUL-terminated), owned */
    size_t len;
    char etag[256];
    char last_modified[128];
    char charset[64];        /* from Content-Type */
    char redirect_url[2048]; /* absolute Location of a 3xx, "" otherwise */
    long retry_after;        /* seconds a 429/503 asked us to wait, 0 if none */
    char error[512];         /* why it failed, "" on success */
} feed_response_t;

typedef struct feed_request_t feed_request_t;

/* A GET of url; etag and last_modified may be NULL. NULL if curl fails. */
feed_request_t *feed_request_new(ww_config_t *config, const char *url, const char *etag, const char *last_modified);
CURL *feed_request_easy(feed_request_t *self);
/* Fills out once the transfer ended with cc; out->body is handed over.
 * 0 if a response arrived (any status), -1 otherwise (out->error set). */
int feed_request_finish(feed_request_t *self, CURLcode cc, feed_response_t *out);
void feed_request_destroy(feed_request_t **self_p);

void feed_response_free(feed_response_t *r);

/* True if addr (IPv4 or IPv6 sockaddr) is loopback, private or link-local. */
bool feed_address_is_private(const void *sockaddr);

#endif
