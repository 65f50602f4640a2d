/* channel_email: one attempt to send an alert (or a digest of several) as
 * an e-mail through SMTP, with a plain-text and an HTML part. */
#ifndef CHANNEL_EMAIL_H
#define CHANNEL_EMAIL_H

#include "channel_request.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stddef.h>

typedef struct {
    const char *url;  /* smtp://host:port or smtps://... */
    const char *from; /* sender address */
    const char *user; /* login, "" for none */
    const char *password;
    long timeout_ms;
} channel_email_server_t;

/* Sets curl up to send payload, an alert or {"digest": true, "watch",
 * "alerts": [...]}, to `to`; what the transfer needs goes in req. 0, or -1
 * with why when it cannot be sent at all (no server configured). */
int channel_email_prepare(CURL *curl, const channel_email_server_t *server, const char *to, json_t *payload,
                          channel_request_t *req, char *err, size_t errlen);

/* The outcome of a finished transfer (cc its result): 0 when the server
 * accepted the message, else -1 with why. */
int channel_email_result(CURL *curl, CURLcode cc, const channel_email_server_t *server, const char *to, char *err,
                         size_t errlen);

/* The message's subject, plain text and HTML (caller frees each); exposed
 * for tests. */
void channel_email_render(json_t *payload, char **subject, char **text, char **html);

#endif
