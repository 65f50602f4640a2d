/* feed_intake: parse, spool, schedule and record one poll. */
#include "feed_intake.h"
#include "feed_items.h"
#include "ww_feed.h"
#include "ww_feedstate.h"

#include <czmq.h>
#include <string.h>

void feed_intake_init(feed_intake_t *self, ww_config_t *config, ww_spool_t *spool, ww_status_t *status)
{
    memset(self, 0, sizeof *self);
    self->config = config;
    self->spool = spool;
    self->status = status;
    self->schedule.default_ms = ww_config_int(config, "fetcher.poll_interval");
    self->schedule.min_ms = ww_config_int(config, "fetcher.poll_min");
    self->schedule.max_ms = ww_config_int(config, "fetcher.poll_max");
    self->schedule.max_backoff_ms = ww_config_int(config, "fetcher.max_backoff");
    self->max_items = (int) ww_config_int(config, "fetcher.max_items");
    self->max_revisions = (int) ww_config_int(config, "fetcher.max_revisions");
}

static int64_t s_int(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* "; "-joined warnings of a parsed feed, or NULL. Caller frees. */
static char *s_join_warnings(json_t *parsed)
{
    json_t *list = json_object_get(parsed, "warnings"), *w;
    size_t i;
    if (!json_array_size(list))
        return NULL;
    char *out = strdup("");
    json_array_foreach(list, i, w)
    {
        char *next = zsys_sprintf("%s%s%s", out, i ? "; " : "", json_string_value(w));
        free(out);
        out = strdup(next);
        zstr_free(&next);
    }
    return out;
}

void feed_intake_fetched(feed_fetch_t *fetch, void *arg)
{
    feed_intake_t *self = arg;
    feed_response_t *r = &fetch->response;
    json_t *feed = fetch->feed;
    const char *url = json_string_value(json_object_get(feed, "url"));
    const char *key = json_string_value(json_object_get(feed, "key"));
    time_t now = time(NULL);
    int64_t previous = s_int(feed, "interval_ms");
    ww_feed_outcome_t out = {.url = url, .http_status = r->status, .etag = r->etag, .last_modified = r->last_modified};
    char error[700] = "";
    char *warnings = NULL;
    json_t *parsed = NULL;
    int64_t interval =
        previous > 0 ? previous : feed_schedule_interval(&self->schedule, s_int(feed, "every_ms"), NULL, 0, now);
    if (!self->in_transaction) {
        ww_spool_begin(self->spool);
        self->in_transaction = true;
    }
    if (r->error[0])
        snprintf(error, sizeof error, "%s", r->error);
    else if (r->status == 304)
        out.ok = true;
    else if (r->status != 200) {
        if (r->retry_after > 0)
            snprintf(error, sizeof error, "HTTP %ld (server asks to retry after %ld s)", r->status, r->retry_after);
        else
            snprintf(error, sizeof error, "HTTP %ld", r->status);
    } else {
        char perr[512] = "";
        parsed = ww_feed_parse(r->body, r->len, r->charset[0] ? r->charset : NULL, fetch->final_url,
                               (size_t) self->max_items, perr, sizeof perr);
        if (!parsed)
            snprintf(error, sizeof error, "not a feed: %s", perr);
        else {
            feed_items_count_t count;
            if (feed_items_spool(self->spool, parsed, key, url, self->max_revisions, now, &count) < 0)
                snprintf(error, sizeof error, "cannot store its items in the spool");
            else {
                out.ok = true;
                out.new_items = count.added + count.revised;
                ww_status_counters(self->status)->in += (uint64_t) out.new_items;
                interval = feed_schedule_interval(&self->schedule, s_int(feed, "every_ms"),
                                                  json_object_get(parsed, "items"), previous, now);
                out.title = json_string_value(json_object_get(parsed, "title"));
                warnings = s_join_warnings(parsed);
            }
        }
    }
    out.interval_ms = interval;
    if (out.ok) {
        out.next_poll = (int64_t) now + interval / 1000;
        out.warnings = warnings;
        out.moved_to = fetch->moved_to[0] ? fetch->moved_to : NULL;
    } else {
        int failures = (int) s_int(feed, "failures") + 1;
        int64_t wait = feed_schedule_backoff(&self->schedule, interval, failures, r->retry_after, (int) randof(1000));
        out.next_poll = (int64_t) now + wait / 1000;
        out.error = error;
        zsys_warning("feed %s: %s (failure %d in a row, next try in %lld s)", url, error, failures,
                     (long long) (wait / 1000));
        ww_status_error(self->status, "feed %s: %s", url, error);
    }
    if (ww_feedstate_record(self->spool, now, &out) < 0)
        ww_status_error(self->status, "feed %s: cannot record its state", url);
    if (out.moved_to)
        zsys_info("feed %s moved permanently to %s", url, out.moved_to);
    free(warnings);
    json_decref(parsed);
}

void feed_intake_commit(feed_intake_t *self)
{
    if (self->in_transaction)
        ww_spool_commit(self->spool);
    self->in_transaction = false;
}
