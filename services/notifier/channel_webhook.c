/* channel_webhook: signed JSON POST. */
#include "channel_webhook.h"
#include "ww_hash.h"

#include <stdio.h>
#include <string.h>

static size_t s_discard(char *p, size_t size, size_t n, void *arg)
{
    (void) p;
    (void) arg;
    return size * n;
}

void channel_webhook_prepare(CURL *curl, const char *url, const char *secret, const char *alert_id, char *body,
                             long timeout_ms, channel_request_t *req)
{
    req->body = body;
    req->headers = curl_slist_append(NULL, "Content-Type: application/json");
    char header[256];
    snprintf(header, sizeof header, "Idempotency-Key: %s", alert_id);
    req->headers = curl_slist_append(req->headers, header);
    /* No "Expect: 100-continue" (curl 7.x asks it of bodies over 1 KB):
     * receivers that ignore it, as HTTP/1.0 ones do, held every such alert
     * for curl's one-second wait. */
    req->headers = curl_slist_append(req->headers, "Expect:");
    if (secret && *secret) {
        char hex[65];
        ww_hmac_sha256_hex(secret, strlen(secret), body, strlen(body), hex);
        snprintf(header, sizeof header, "X-Wirewatch-Signature: sha256=%s", hex);
        req->headers = curl_slist_append(req->headers, header);
    }
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, req->headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, s_discard);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
}

int channel_webhook_result(CURL *curl, CURLcode cc, const char *url, char *err, size_t errlen)
{
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "webhook %s: %s", url, curl_easy_strerror(cc));
        return -1;
    }
    if (status < 200 || status >= 300) {
        snprintf(err, errlen, "webhook %s answered HTTP %ld", url, status);
        return -1;
    }
    return 0;
}
