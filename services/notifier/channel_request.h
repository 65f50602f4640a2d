/* channel_request: what one prepared webhook or e-mail transfer holds
 * until libcurl is done with it. libcurl copies string options but not
 * header lists, recipient lists, MIME trees or POST bodies, so these live
 * here while the transfer runs, possibly beside many others in one multi
 * handle. */
#ifndef CHANNEL_REQUEST_H
#define CHANNEL_REQUEST_H

#include <curl/curl.h>

typedef struct {
    struct curl_slist *headers;
    struct curl_slist *recipients; /* e-mail */
    curl_mime *mime;               /* e-mail */
    char *body;                    /* webhook */
} channel_request_t;

/* Frees what req holds and empties it (safe on an empty one). */
void channel_request_free(channel_request_t *req);

#endif
