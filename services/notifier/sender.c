/* sender: concurrent webhook and e-mail attempts over a curl multi handle. */
#include "sender.h"
#include "channel_email.h"
#include "channel_webhook.h"
#include "ww_alertlog.h"
#include "ww_message.h"
#include "ww_outbox.h"
#include "ww_secret.h"

#include <czmq.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* How often due rows are looked for when nobody said new ones came:
 * retries come due by the clock, and other notifiers' leases lapse. */
#define S_TICK_MS 100

/* One transfer in flight: the outbox row it tries and what curl needs
 * from us until it is done. */
typedef struct {
    CURL *easy;
    bool busy;
    int64_t row_id;
    int attempts; /* made before this one */
    char *alert_id, *type, *target;
    channel_request_t req;
} s_transfer_t;

struct sender_t {
    ww_alertlog_t *log;
    CURLM *multi;
    pthread_t thread;
    bool started;
    atomic_bool stop, wanted;
    s_transfer_t *transfers;
    int concurrency, in_flight;
    int attempts;
    int64_t retry_base_ms, retry_max_ms, drain_ms;
    long timeout_ms;
    channel_email_server_t smtp;
    char *smtp_url, *smtp_from, *smtp_user;
    char smtp_password[WW_SECRET_MAX + 1]; /* from notifier.smtp_password_file */
};

/* Next attempt after `attempts` failures: base x 2^(attempts-1), capped,
 * with up to a tenth of jitter so replicas and receivers do not stampede. */
static int64_t s_retry_delay(const sender_t *self, int attempts)
{
    int64_t delay = self->retry_base_ms;
    for (int i = 1; i < attempts && delay < self->retry_max_ms; i++)
        delay *= 2;
    if (delay > self->retry_max_ms)
        delay = self->retry_max_ms;
    return delay + (int64_t) (randof(1000) * (delay / 10) / 1000);
}

/* Records the outcome of an attempt of t's row (err NULL: it worked). */
static void s_record(sender_t *self, s_transfer_t *t, const char *err)
{
    int attempts = t->attempts + 1;
    int64_t retry_at = 0;
    if (err && attempts < self->attempts)
        retry_at = zclock_time() + s_retry_delay(self, attempts);
    ww_outbox_result(self->log, t->row_id, err == NULL, err, retry_at);
    if (err)
        zsys_warning("alert %s: attempt %d of %d failed: %s%s", t->alert_id, attempts, self->attempts, err,
                     retry_at ? "" : "; dead-lettered (wirewatch alerts retry)");
}

static void s_release(s_transfer_t *t)
{
    channel_request_free(&t->req);
    free(t->alert_id);
    free(t->type);
    free(t->target);
    t->alert_id = t->type = t->target = NULL;
    t->busy = false;
}

/* Sets transfer t up for row and adds it to the multi handle; 0, or -1
 * with why when the row cannot be attempted at all. */
static int s_start(sender_t *self, s_transfer_t *t, json_t *row, char *err, size_t errlen)
{
    json_t *spec = json_object_get(row, "spec"), *payload = json_object_get(row, "payload");
    const char *type = json_string_value(json_object_get(spec, "type"));
    t->row_id = json_integer_value(json_object_get(row, "id"));
    t->attempts = (int) json_integer_value(json_object_get(row, "attempts"));
    t->alert_id = strdup(ww_json_str(row, "alert_id"));
    t->type = strdup(type ? type : "");
    t->busy = true;
    if (type && !strcmp(type, "webhook")) {
        t->target = strdup(ww_json_str(spec, "url"));
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
        channel_webhook_prepare(t->easy, t->target, secret, t->alert_id, json_dumps(payload, JSON_COMPACT),
                                self->timeout_ms, &t->req);
        explicit_bzero(from_file, sizeof from_file);
    } else if (type && !strcmp(type, "email")) {
        t->target = strdup(ww_json_str(spec, "to"));
        if (channel_email_prepare(t->easy, &self->smtp, t->target, payload, &t->req, err, errlen) < 0)
            return -1;
    } else {
        snprintf(err, errlen, "unknown channel type %s", type ? type : "(none)");
        return -1;
    }
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
    if (curl_multi_add_handle(self->multi, t->easy) != CURLM_OK) {
        snprintf(err, errlen, "cannot start a transfer to %s", t->target);
        return -1;
    }
    self->in_flight++;
    return 0;
}

/* Takes as many due rows as there are free transfers and starts them.
 * True when that filled every free transfer: more may be due. */
static bool s_take(sender_t *self)
{
    int free_slots = self->concurrency - self->in_flight;
    if (free_slots <= 0)
        return true;
    /* the lease covers one attempt, which curl cuts at timeout_ms, and slack */
    json_t *rows = ww_outbox_take(self->log, zclock_time(), 2 * self->timeout_ms + 10000, free_slots);
    size_t i;
    json_t *row;
    int next = 0;
    bool filled = json_array_size(rows) == (size_t) free_slots;
    json_array_foreach(rows, i, row)
    {
        while (self->transfers[next].busy)
            next++;
        s_transfer_t *t = &self->transfers[next];
        char err[512] = "";
        if (s_start(self, t, row, err, sizeof err) < 0) {
            s_record(self, t, err);
            s_release(t);
        }
    }
    json_decref(rows);
    return filled;
}

/* Records every transfer curl has finished, in one transaction. */
static void s_collect(sender_t *self)
{
    CURLMsg *msg;
    int left = 0, done = 0;
    while ((msg = curl_multi_info_read(self->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        s_transfer_t *t = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &t);
        CURLcode cc = msg->data.result;
        curl_multi_remove_handle(self->multi, t->easy);
        self->in_flight--;
        char err[512] = "";
        int rc = !strcmp(t->type, "webhook")
                     ? channel_webhook_result(t->easy, cc, t->target, err, sizeof err)
                     : channel_email_result(t->easy, cc, &self->smtp, t->target, err, sizeof err);
        if (done++ == 0)
            ww_alertlog_begin(self->log);
        s_record(self, t, rc == 0 ? NULL : err);
        s_release(t);
    }
    if (done)
        ww_alertlog_commit(self->log);
}

/* Rows wait (the last take filled every free transfer) and half the
 * transfers or more are free again: take more now, not at the next tick. */
static bool s_backlog_has_room(const sender_t *self, bool backlog)
{
    return backlog && self->in_flight <= self->concurrency / 2;
}

static void *s_run(void *arg)
{
    sender_t *self = arg;
    int64_t next_look = 0, stop_by = 0;
    bool backlog = false; /* the last look found more due rows than free transfers */
    for (;;) {
        bool stopping = atomic_load(&self->stop);
        if (stopping && !stop_by)
            stop_by = zclock_mono() + self->drain_ms;
        if (stopping && (self->in_flight == 0 || zclock_mono() >= stop_by))
            break;
        int64_t now = zclock_mono();
        bool wanted = atomic_exchange(&self->wanted, false);
        if (!stopping && (wanted || now >= next_look || s_backlog_has_room(self, backlog))) {
            if (now >= next_look) {
                ww_outbox_make_digests(self->log, zclock_time());
                next_look = now + S_TICK_MS;
            }
            backlog = s_take(self);
        }
        int running = 0;
        curl_multi_perform(self->multi, &running);
        s_collect(self);
        /* polling here slept until the next tick when every transfer had
         * ended in this round, with no socket left to wake the poll: 16
         * alerts per 100 ms against a receiver that answers at once */
        if (!stopping && s_backlog_has_room(self, backlog))
            continue;
        int wait_ms = (int) (next_look - zclock_mono());
        curl_multi_poll(self->multi, NULL, 0, wait_ms < 1 ? 1 : wait_ms > S_TICK_MS ? S_TICK_MS : wait_ms, NULL);
    }
    /* what is still in flight stays leased and is sent again later */
    for (int i = 0; i < self->concurrency; i++)
        if (self->transfers[i].busy) {
            curl_multi_remove_handle(self->multi, self->transfers[i].easy);
            s_release(&self->transfers[i]);
        }
    return NULL;
}

sender_t *sender_new(ww_config_t *config, char *err, size_t errlen)
{
    sender_t *self = calloc(1, sizeof *self);
    self->log = ww_alertlog_open(ww_config_str(config, "notifier.alerts_db"), false, err, errlen);
    self->multi = curl_multi_init();
    self->concurrency = (int) ww_config_int(config, "notifier.concurrency");
    self->transfers = calloc((size_t) self->concurrency, sizeof *self->transfers);
    for (int i = 0; i < self->concurrency && self->transfers; i++)
        self->transfers[i].easy = curl_easy_init();
    self->attempts = (int) ww_config_int(config, "notifier.attempts");
    self->retry_base_ms = ww_config_int(config, "notifier.retry_base");
    self->retry_max_ms = ww_config_int(config, "notifier.retry_max");
    self->timeout_ms = (long) ww_config_int(config, "notifier.delivery_timeout");
    /* half: the notifier's own drain of its input comes first, and both
     * must end within the grace docker stop gives (10 s) */
    self->drain_ms = ww_config_int(config, "shutdown.drain") / 2;
    self->smtp_url = strdup(ww_config_str(config, "notifier.smtp_url"));
    self->smtp_from = strdup(ww_config_str(config, "notifier.smtp_from"));
    self->smtp_user = strdup(ww_config_str(config, "notifier.smtp_user"));
    const char *password_env = ww_config_str(config, "notifier.smtp_password_env");
    const char *password_file = ww_config_str(config, "notifier.smtp_password_file");
    const char *password = *password_env ? getenv(password_env) : NULL;
    if (*password_file) {
        char why[512];
        if (ww_secret_read(password_file, self->smtp_password, sizeof self->smtp_password, why, sizeof why) == 0)
            password = self->smtp_password;
        else /* e-mail deliveries then fail at the server, and say so in the log */
            zsys_error("notifier.smtp_password_file: %s", why);
    }
    self->smtp = (channel_email_server_t){self->smtp_url, self->smtp_from, self->smtp_user, password, self->timeout_ms};
    if (!self->log || !self->multi || !self->transfers) {
        if (self->log)
            snprintf(err, errlen, "cannot set up %d webhook and e-mail transfers", self->concurrency);
        sender_destroy(&self);
        return NULL;
    }
    /* Connections stay open between alerts: one per transfer at most. */
    curl_multi_setopt(self->multi, CURLMOPT_MAXCONNECTS, (long) self->concurrency);
    if (pthread_create(&self->thread, NULL, s_run, self) != 0) {
        snprintf(err, errlen, "cannot start the delivery thread");
        sender_destroy(&self);
        return NULL;
    }
    self->started = true;
    return self;
}

void sender_wake(sender_t *self)
{
    if (!self)
        return;
    atomic_store(&self->wanted, true);
    curl_multi_wakeup(self->multi);
}

void sender_destroy(sender_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sender_t *self = *self_p;
    if (self->started) {
        atomic_store(&self->stop, true);
        curl_multi_wakeup(self->multi);
        pthread_join(self->thread, NULL);
    }
    for (int i = 0; self->transfers && i < self->concurrency; i++)
        curl_easy_cleanup(self->transfers[i].easy);
    free(self->transfers);
    curl_multi_cleanup(self->multi);
    ww_alertlog_close(&self->log);
    free(self->smtp_url);
    free(self->smtp_from);
    free(self->smtp_user);
    explicit_bzero(self->smtp_password, sizeof self->smtp_password);
    free(self);
    *self_p = NULL;
}
