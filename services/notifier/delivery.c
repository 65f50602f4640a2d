/* delivery: local channels at once, remote ones through the outbox. */
#include "delivery.h"
#include "channel_email.h"
#include "channel_webhook.h"
#include "ww_message.h"
#include "ww_outbox.h"
#include "ww_secret.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct delivery_t {
    ww_alertlog_t *log; /* borrowed */
    char *jsonl_path;   /* alerts file, "" for none */
    bool to_stdout;
    zsock_t *pub; /* alerts by watch name, NULL when off */
    CURL *curl;   /* reused for webhooks and e-mail */
    int attempts;
    int64_t retry_base_ms, retry_max_ms;
    long timeout_ms;
    channel_email_server_t smtp;
    char *smtp_url, *smtp_from, *smtp_user;
    char smtp_password[WW_SECRET_MAX + 1]; /* from notifier.smtp_password_file */
};

delivery_t *delivery_new(ww_config_t *config, ww_alertlog_t *log)
{
    delivery_t *self = calloc(1, sizeof *self);
    self->log = log;
    self->jsonl_path = strdup(ww_config_str(config, "notifier.alerts_jsonl"));
    self->to_stdout = ww_config_bool(config, "notifier.stdout");
    if (ww_config_bool(config, "notifier.publish"))
        self->pub = ww_socket_connect(ZMQ_PUB, config, "endpoint.alerts_in");
    self->curl = curl_easy_init();
    self->attempts = (int) ww_config_int(config, "notifier.attempts");
    self->retry_base_ms = ww_config_int(config, "notifier.retry_base");
    self->retry_max_ms = ww_config_int(config, "notifier.retry_max");
    self->timeout_ms = (long) ww_config_int(config, "notifier.delivery_timeout");
    self->smtp_url = strdup(ww_config_str(config, "notifier.smtp_url"));
    self->smtp_from = strdup(ww_config_str(config, "notifier.smtp_from"));
    self->smtp_user = strdup(ww_config_str(config, "notifier.smtp_user"));
    const char *password_env = ww_config_str(config, "notifier.smtp_password_env");
    const char *password_file = ww_config_str(config, "notifier.smtp_password_file");
    const char *password = *password_env ? getenv(password_env) : NULL;
    if (*password_file) {
        char err[512];
        if (ww_secret_read(password_file, self->smtp_password, sizeof self->smtp_password, err, sizeof err) == 0)
            password = self->smtp_password;
        else /* e-mail deliveries then fail at the server, and say so in the log */
            zsys_error("notifier.smtp_password_file: %s", err);
    }
    self->smtp = (channel_email_server_t){self->smtp_url, self->smtp_from, self->smtp_user, password, self->timeout_ms};
    return self;
}

void delivery_destroy(delivery_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    delivery_t *self = *self_p;
    curl_easy_cleanup(self->curl);
    zsock_destroy(&self->pub);
    free(self->jsonl_path);
    free(self->smtp_url);
    free(self->smtp_from);
    free(self->smtp_user);
    explicit_bzero(self->smtp_password, sizeof self->smtp_password);
    free(self);
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

/* Topic frame = watch name, then the alert; never blocks (PUB drops for
 * slow subscribers, which is what PUB is for). */
static void s_publish(delivery_t *self, const char *watch, const char *line)
{
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, watch);
    zmsg_addstr(msg, line);
    zmsg_send(&msg, self->pub);
}

void delivery_send(delivery_t *self, json_t *alert, json_t *channels, json_t *options)
{
    const char *alert_id = json_string_value(json_object_get(alert, "alert_id"));
    const char *watch = json_string_value(json_object_get(alert, "watch"));
    char *line = json_dumps(alert, JSON_COMPACT);
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
    if (self->pub)
        s_publish(self, watch, line);
    json_int_t digest_ms = json_integer_value(json_object_get(options, "digest_ms"));
    size_t i;
    json_t *ch;
    json_array_foreach(channels, i, ch)
    {
        const char *type = json_string_value(json_object_get(ch, "type"));
        const char *target = json_string_value(json_object_get(ch, !strcmp(type ? type : "", "email") ? "to" : "url"));
        if (!type || !target)
            continue;
        char name[600];
        snprintf(name, sizeof name, "%s:%s", type, target);
        json_t *spec = json_deep_copy(ch);
        if (digest_ms > 0)
            json_object_set_new(spec, "digest_ms", json_integer(digest_ms));
        if (ww_outbox_put(self->log, alert_id, watch, name, spec, digest_ms > 0, zclock_time()) < 0)
            zsys_error("alert %s: cannot queue delivery to %s", alert_id, name);
        json_decref(spec);
    }
    free(line);
}

int delivery_claim(delivery_t *self, json_t *alert, json_t *channels, json_t *options)
{
    bool in_transaction = ww_alertlog_begin(self->log) == 0;
    int claimed = ww_alertlog_claim(self->log, alert);
    if (claimed == 1)
        delivery_send(self, alert, channels, options);
    if (in_transaction && ww_alertlog_commit(self->log) != 0)
        return -2;
    return claimed;
}

/* Next attempt after `attempts` failures: base x 2^(attempts-1), capped,
 * with up to a tenth of jitter so replicas and receivers do not stampede. */
static int64_t s_retry_delay(const delivery_t *self, int attempts)
{
    int64_t delay = self->retry_base_ms;
    for (int i = 1; i < attempts && delay < self->retry_max_ms; i++)
        delay *= 2;
    if (delay > self->retry_max_ms)
        delay = self->retry_max_ms;
    return delay + (int64_t) (randof(1000) * (delay / 10) / 1000);
}

static int s_attempt(delivery_t *self, json_t *row, char *err, size_t errlen)
{
    json_t *spec = json_object_get(row, "spec"), *payload = json_object_get(row, "payload");
    const char *type = json_string_value(json_object_get(spec, "type"));
    const char *alert_id = json_string_value(json_object_get(row, "alert_id"));
    if (type && !strcmp(type, "webhook")) {
        const char *url = json_string_value(json_object_get(spec, "url"));
        const char *secret_env = json_string_value(json_object_get(spec, "secret_env"));
        const char *secret_file = json_string_value(json_object_get(spec, "secret_file"));
        const char *secret = secret_env ? getenv(secret_env) : NULL;
        char from_file[WW_SECRET_MAX + 1];
        if (secret_file) {
            /* read at each attempt, so a rotated secret is used at once */
            if (ww_secret_read(secret_file, from_file, sizeof from_file, err, errlen) < 0)
                return -1;
            secret = from_file;
        }
        char *body = json_dumps(payload, JSON_COMPACT);
        int rc =
            channel_webhook_send(self->curl, url ? url : "", secret, alert_id, body, self->timeout_ms, err, errlen);
        free(body);
        explicit_bzero(from_file, sizeof from_file);
        return rc;
    }
    if (type && !strcmp(type, "email")) {
        const char *to = json_string_value(json_object_get(spec, "to"));
        return channel_email_send(self->curl, &self->smtp, to ? to : "", payload, err, errlen);
    }
    snprintf(err, errlen, "unknown channel type %s", type ? type : "(none)");
    return -1;
}

int delivery_pump(delivery_t *self, int64_t budget_ms)
{
    int64_t start = zclock_mono();
    ww_outbox_make_digests(self->log, zclock_time());
    int made = 0;
    while (zclock_mono() - start < budget_ms) {
        /* lease long enough to cover one attempt per row plus slack */
        json_t *rows = ww_outbox_take(self->log, zclock_time(), 4 * self->timeout_ms + 10000, 4);
        if (!rows || json_array_size(rows) == 0) {
            json_decref(rows);
            break;
        }
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            char err[512] = "";
            int rc = s_attempt(self, row, err, sizeof err);
            int attempts = (int) json_integer_value(json_object_get(row, "attempts")) + 1;
            int64_t retry_at = 0;
            if (rc != 0 && attempts < self->attempts)
                retry_at = zclock_time() + s_retry_delay(self, attempts);
            ww_outbox_result(self->log, json_integer_value(json_object_get(row, "id")), rc == 0, rc ? err : NULL,
                             retry_at);
            if (rc)
                zsys_warning("alert %s: attempt %d of %d failed: %s%s",
                             json_string_value(json_object_get(row, "alert_id")), attempts, self->attempts, err,
                             retry_at ? "" : "; dead-lettered (wirewatch alerts retry)");
            made++;
        }
        json_decref(rows);
    }
    return made;
}
