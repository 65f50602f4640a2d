/* delivery: local channels at once, remote ones through the outbox. */
#include "delivery.h"
#include "ww_message.h"
#include "ww_grow.h"
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
    /* Between delivery_batch_begin and _end: one transaction, and the
     * JSON lines of its alerts written with one write and one fsync. */
    bool in_batch;
    char *lines;
    size_t lines_len, lines_cap;
    json_t *line_ids; /* alert ids of the lines, for the delivery log */
    int claimed;      /* alerts claimed in the batch so far */
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
    free(self->lines);
    json_decref(self->line_ids);
    free(self);
    *self_p = NULL;
}

/* One write() of whole lines (len bytes, each ending in \n) with
 * O_APPEND, so replicas sharing the file never interleave their lines;
 * synced before the claims that made them commit. */
static int s_append_lines(const char *path, const char *lines, size_t len, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    ssize_t w = write(fd, lines, len);
    int rc = w == (ssize_t) len ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "short write to %s", path);
    if (fsync(fd) < 0 && rc == 0) {
        snprintf(err, errlen, "cannot sync %s: %s", path, strerror(errno));
        rc = -1;
    }
    close(fd);
    return rc;
}

/* Adds line and its newline to the batch's lines; false when out of memory. */
static bool s_hold_line(delivery_t *self, const char *alert_id, const char *line)
{
    size_t n = strlen(line);
    char *lines = ww_grow(self->lines, &self->lines_cap, self->lines_len + n + 1, 1, 4096);
    if (!lines)
        return false;
    self->lines = lines;
    memcpy(self->lines + self->lines_len, line, n);
    self->lines[self->lines_len + n] = '\n';
    self->lines_len += n + 1;
    if (!self->line_ids)
        self->line_ids = json_array();
    json_array_append_new(self->line_ids, json_string(alert_id));
    return true;
}

/* Writes the held lines and records the outcome for each of their alerts. */
static void s_flush_lines(delivery_t *self)
{
    if (!self->lines_len)
        return;
    char err[512] = "";
    int rc = s_append_lines(self->jsonl_path, self->lines, self->lines_len, err, sizeof err);
    size_t i;
    json_t *id;
    json_array_foreach(self->line_ids, i, id)
    {
        ww_alertlog_delivered(self->log, json_string_value(id), "jsonl", rc == 0, rc ? err : NULL);
        if (rc)
            zsys_error("alert %s: %s", json_string_value(id), err);
    }
    self->lines_len = 0;
    json_array_clear(self->line_ids);
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
        if (!s_hold_line(self, alert_id, line)) {
            snprintf(err, sizeof err, "out of memory for the line of alert %s", alert_id);
            ww_alertlog_delivered(self->log, alert_id, "jsonl", false, err);
            zsys_error("%s", err);
        } else if (!self->in_batch)
            s_flush_lines(self);
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
    bool own_transaction = !self->in_batch && ww_alertlog_begin(self->log) == 0;
    int claimed = ww_alertlog_claim(self->log, alert);
    if (claimed == 1)
        delivery_send(self, alert, channels, options);
    if (self->in_batch) {
        self->claimed += claimed == 1; /* the sender is woken at the batch's end */
        return claimed;
    }
    if (own_transaction && ww_alertlog_commit(self->log) != 0)
        return -2;
    if (claimed == 1)
        sender_wake(self->sender); /* its webhooks and e-mails are due now */
    return claimed;
}

int delivery_batch_begin(delivery_t *self)
{
    if (self->in_batch || ww_alertlog_begin(self->log) != 0)
        return -1;
    self->in_batch = true;
    self->claimed = 0;
    return 0;
}

int delivery_batch_end(delivery_t *self)
{
    if (!self->in_batch)
        return -1;
    s_flush_lines(self);
    self->in_batch = false;
    if (ww_alertlog_commit(self->log) != 0) {
        ww_alertlog_rollback(self->log);
        return -2;
    }
    if (self->claimed)
        sender_wake(self->sender);
    self->claimed = 0;
    return 0;
}
