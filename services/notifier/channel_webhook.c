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

int channel_webhook_send(CURL *curl, const char *url, const char *secret, const char *alert_id, const char *body,
                         long timeout_ms, char *err, size_t errlen)
{
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    char header[256];
    snprintf(header, sizeof header, "Idempotency-Key: %s", alert_id);
    headers = curl_slist_append(headers, header);
    if (secret && *secret) {
        char hex[65];
        ww_hmac_sha256_hex(secret, strlen(secret), body, strlen(body), hex);
        snprintf(header, sizeof header, "X-Wirewatch-Signature: sha256=%s", hex);
        headers = curl_slist_append(headers, header);
    }
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, s_discard);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
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
