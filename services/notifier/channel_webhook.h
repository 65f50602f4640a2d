/* channel_webhook: one attempt to POST an alert (or digest) as JSON. */
#ifndef CHANNEL_WEBHOOK_H
#define CHANNEL_WEBHOOK_H

#include <curl/curl.h>
#include <stddef.h>

/* The body is signed with HMAC-SHA256 under secret (if any) in
 * X-Wirewatch-Signature: sha256=HEX; the alert id goes in Idempotency-Key
 * so a receiver can drop a repeat. 0 on a 2xx answer, else -1 with why. */
int channel_webhook_send(CURL *curl, const char *url, const char *secret, const char *alert_id, const char *body,
                         long timeout_ms, char *err, size_t errlen);

#endif
