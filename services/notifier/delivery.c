/* delivery: local channels at once, remote ones through the outbox. */
#include "delivery.h"
#include "ww_message.h"
#include "ww_outbox.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct delivery_t {
    ww_alertlog_t *log; /* borrowed */
    char *jsonl_path;   /* alerts file, "" for none */
    bool to_stdout;
    zsock_t *pub;     /* alerts by watch name, NULL when off */
    sender_t *sender; /* borrowed; told when deliveries are queued */
};

delivery_t *delivery_new(ww_config_t *config, ww_alertlog_t *log, sender_t *sender)
{
    delivery_t *self = calloc(1, sizeof *self);
    self->log = log;
    self->sender = sender;
    self->jsonl_path = strdup(ww_config_str(config, "notifier.alerts_jsonl"));
    self->to_stdout = ww_config_bool(config, "notifier.stdout");
    if (ww_config_bool(config, "notifier.publish"))
        self->pub = ww_socket_connect(ZMQ_PUB, config, "endpoint.alerts_in");
    return self;
}

void delivery_destroy(delivery_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    delivery_t *self = *self_p;
    zsock_destroy(&self->pub);
    free(self->jsonl_path);
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
    if (claimed == 1)
        sender_wake(self->sender); /* its webhooks and e-mails are due now */
    return claimed;
}
