/* delivery: JSON lines, stdout and webhook channels. */
#include "delivery.h"
#include "ww_hash.h"

#include <czmq.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct delivery_t {
    ww_alertlog_t *log; /* borrowed */
    char *jsonl_path;   /* alerts file, "" for none */
    bool to_stdout;
    CURL *curl; /* reused for webhooks */
};

delivery_t *delivery_new(ww_config_t *config, ww_alertlog_t *log)
{
    delivery_t *self = calloc(1, sizeof *self);
    self->log = log;
    self->jsonl_path = strdup(ww_config_str(config, "notifier.alerts_jsonl"));
    self->to_stdout = ww_config_bool(config, "notifier.stdout");
    self->curl = curl_easy_init();
    return self;
}

void delivery_destroy(delivery_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    curl_easy_cleanup((*self_p)->curl);
    free((*self_p)->jsonl_path);
    free(*self_p);
    *self_p = NULL;
}

/* One write() of a whole line with O_APPEND, so replicas sharing the file
 * never interleave their lines. */
static int s_append_line(const char *path, const char *line, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    size_t len = strlen(line);
    char *buf = malloc(len + 1);
    memcpy(buf, line, len);
    buf[len] = '\n';
    ssize_t w = write(fd, buf, len + 1);
    free(buf);
    int rc = w == (ssize_t) (len + 1) ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "short write to %s", path);
    if (fsync(fd) < 0 && rc == 0) {
        snprintf(err, errlen, "cannot sync %s: %s", path, strerror(errno));
        rc = -1;
    }
    close(fd);
    return rc;
}

static size_t s_discard(char *p, size_t size, size_t n, void *arg)
{
    (void) p;
    (void) arg;
    return size * n;
}

/* POSTs the alert; the secret (if any) signs the body with HMAC-SHA256. */
static int s_webhook(delivery_t *self, const char *url, const char *secret, const char *alert_id, const char *body,
                     char *err, size_t errlen)
{
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    char header[256];
    snprintf(header, sizeof header, "Idempotency-Key: %s", alert_id);
    headers = curl_slist_append(headers, header);
    if (secret && *secret) {
        char hex[65];
        ww_hmac_sha256_hex(secret, strlen(secret), body, strlen(body), hex);
        snprintf(header, sizeof header, "X-Wirewatch-Signature: sha256=%s", hex);
        headers = curl_slist_append(headers, header);
    }
    int rc = -1;
    for (int attempt = 0; attempt < 3 && rc != 0; attempt++) {
        if (attempt)
            zclock_sleep(200 << attempt);
        curl_easy_reset(self->curl);
        curl_easy_setopt(self->curl, CURLOPT_URL, url);
        curl_easy_setopt(self->curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(self->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(self->curl, CURLOPT_TIMEOUT_MS, 5000L);
        curl_easy_setopt(self->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(self->curl, CURLOPT_WRITEFUNCTION, s_discard);
        curl_easy_setopt(self->curl, CURLOPT_PROTOCOLS_STR, "http,https");
        CURLcode cc = curl_easy_perform(self->curl);
        long status = 0;
        curl_easy_getinfo(self->curl, CURLINFO_RESPONSE_CODE, &status);
        if (cc != CURLE_OK)
            snprintf(err, errlen, "webhook %s: %s", url, curl_easy_strerror(cc));
        else if (status < 200 || status >= 300)
            snprintf(err, errlen, "webhook %s answered HTTP %ld", url, status);
        else
            rc = 0;
    }
    curl_slist_free_all(headers);
    return rc;
}

void delivery_send(delivery_t *self, json_t *alert, json_t *channels)
{
    const char *alert_id = json_string_value(json_object_get(alert, "alert_id"));
    char *line = json_dumps(alert, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
    char err[512] = "";
    if (self->jsonl_path[0]) {
        int rc = s_append_line(self->jsonl_path, line, err, sizeof err);
        ww_alertlog_delivered(self->log, alert_id, "jsonl", rc == 0, rc ? err : NULL);
        if (rc)
            zsys_error("alert %s: %s", alert_id, err);
    }
    if (self->to_stdout) {
        printf("%s\n", line);
        fflush(stdout);
    }
    size_t i;
    json_t *ch;
    json_array_foreach(channels, i, ch)
    {
        const char *type = json_string_value(json_object_get(ch, "type"));
        if (type && !strcmp(type, "webhook")) {
            const char *url = json_string_value(json_object_get(ch, "url"));
            const char *secret_env = json_string_value(json_object_get(ch, "secret_env"));
            const char *secret = secret_env ? getenv(secret_env) : NULL;
            char name[600];
            snprintf(name, sizeof name, "webhook:%s", url ? url : "?");
            int rc = url ? s_webhook(self, url, secret, alert_id, line, err, sizeof err) : -1;
            ww_alertlog_delivered(self->log, alert_id, name, rc == 0, rc ? err : NULL);
            if (rc)
                zsys_error("alert %s: %s", alert_id, err);
        }
    }
    free(line);
}
