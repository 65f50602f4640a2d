/* channel_webhook: one attempt to POST an alert (or digest) as JSON, set
 * up on an easy handle that the sender runs beside others. */
#ifndef CHANNEL_WEBHOOK_H
#define CHANNEL_WEBHOOK_H

#include "channel_request.h"

#include <curl/curl.h>
#include <stddef.h>

/* Sets curl up to POST body (taken over by req) to url. The body is signed
 * with HMAC-SHA256 under secret (if any) in X-Wirewatch-Signature:
 * sha256=HEX; the alert id goes in Idempotency-Key so a receiver can drop
 * a repeat. */
void channel_webhook_prepare(CURL *curl, const char *url, const char *secret, const char *alert_id, char *body,
                             long timeout_ms, channel_request_t *req);

/* The outcome of a finished transfer (cc its result): 0 on a 2xx answer,
 * else -1 with why. */
int channel_webhook_result(CURL *curl, CURLcode cc, const char *url, char *err, size_t errlen);

#endif
