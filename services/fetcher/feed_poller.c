/* feed_poller: concurrent feed polls on a libcurl multi handle. */
#include "feed_poller.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_REDIRECTS 5

/* One poll of one feed, across its redirects. */
typedef struct {
    json_t *feed;
    feed_request_t *request;
    char host[256];
    char chain[S_MAX_REDIRECTS + 1][2048]; /* URLs visited, for loop detection */
    int hops;
    bool all_permanent;
} s_poll_t;

struct feed_poller_t {
    ww_config_t *config;
    CURLM *multi;
    zhash_t *per_host; /* host -> polls in flight (as a pointer-sized count) */
    zhash_t *feeds;    /* feed key -> poll in flight */
    int active;
    int max_total;
    int max_per_host;
};

feed_poller_t *feed_poller_new(ww_config_t *config)
{
    feed_poller_t *self = calloc(1, sizeof *self);
    self->config = config;
    self->multi = curl_multi_init();
    self->per_host = zhash_new();
    self->feeds = zhash_new();
    self->max_total = (int) ww_config_int(config, "fetcher.concurrency");
    self->max_per_host = (int) ww_config_int(config, "fetcher.per_host");
    return self;
}

static void s_poll_free(s_poll_t **poll_p)
{
    s_poll_t *poll = *poll_p;
    feed_request_destroy(&poll->request);
    json_decref(poll->feed);
    free(poll);
    *poll_p = NULL;
}

void feed_poller_destroy(feed_poller_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    feed_poller_t *self = *self_p;
    /* Transfers still running are abandoned; their feeds stay due. */
    for (s_poll_t *poll = zhash_first(self->feeds); poll; poll = zhash_next(self->feeds)) {
        curl_multi_remove_handle(self->multi, feed_request_easy(poll->request));
        s_poll_free(&poll);
    }
    curl_multi_cleanup(self->multi);
    zhash_destroy(&self->per_host);
    zhash_destroy(&self->feeds);
    free(self);
    *self_p = NULL;
}

/* The host of a URL, lowercased by curl; "" if it has none. */
static void s_host_of(const char *url, char *host, size_t len)
{
    host[0] = 0;
    CURLU *u = curl_url();
    char *h = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
        snprintf(host, len, "%s", h);
    curl_free(h);
    curl_url_cleanup(u);
}

static int s_host_count(feed_poller_t *self, const char *host)
{
    return (int) (intptr_t) zhash_lookup(self->per_host, host);
}

static void s_host_add(feed_poller_t *self, const char *host, int delta)
{
    intptr_t n = (intptr_t) zhash_lookup(self->per_host, host) + delta;
    if (n > 0)
        zhash_update(self->per_host, host, (void *) n);
    else
        zhash_delete(self->per_host, host);
}

bool feed_poller_full(feed_poller_t *self)
{
    return self->active >= self->max_total;
}

int feed_poller_active(feed_poller_t *self)
{
    return self->active;
}

static const char *s_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Issues the request for the poll's current URL (the last in its chain). */
static int s_issue(feed_poller_t *self, s_poll_t *poll)
{
    const char *url = poll->chain[poll->hops];
    poll->request = feed_request_new(self->config, url, s_str(poll->feed, "etag"), s_str(poll->feed, "last_modified"));
    if (!poll->request)
        return -1;
    curl_easy_setopt(feed_request_easy(poll->request), CURLOPT_PRIVATE, poll);
    return curl_multi_add_handle(self->multi, feed_request_easy(poll->request)) == CURLM_OK ? 0 : -1;
}

int feed_poller_start(feed_poller_t *self, json_t *feed)
{
    const char *key = s_str(feed, "key"), *url = s_str(feed, "url");
    if (!key || !url)
        return -1;
    if (feed_poller_full(self) || zhash_lookup(self->feeds, key))
        return 1;
    char host[256];
    s_host_of(url, host, sizeof host);
    if (s_host_count(self, host) >= self->max_per_host)
        return 1;
    s_poll_t *poll = calloc(1, sizeof *poll);
    poll->feed = json_incref(feed);
    snprintf(poll->host, sizeof poll->host, "%s", host);
    snprintf(poll->chain[0], sizeof poll->chain[0], "%s", url);
    poll->all_permanent = true;
    if (s_issue(self, poll) < 0) {
        if (poll->request)
            curl_multi_remove_handle(self->multi, feed_request_easy(poll->request));
        s_poll_free(&poll);
        return -1;
    }
    zhash_insert(self->feeds, key, poll);
    s_host_add(self, host, 1);
    self->active++;
    return 0;
}

/* Decides what a 3xx leads to: 0 a new hop was issued, -1 the poll ends
 * with the error written into the response. */
static int s_follow(feed_poller_t *self, s_poll_t *poll, feed_response_t *r)
{
    if (!r->redirect_url[0]) {
        snprintf(r->error, sizeof r->error, "HTTP %ld redirect without a Location", r->status);
        return -1;
    }
    if (strncmp(r->redirect_url, "http://", 7) && strncmp(r->redirect_url, "https://", 8)) {
        snprintf(r->error, sizeof r->error, "redirect to %.200s refused: only http and https are followed",
                 r->redirect_url);
        return -1;
    }
    for (int i = 0; i <= poll->hops; i++)
        if (!strcmp(poll->chain[i], r->redirect_url)) {
            snprintf(r->error, sizeof r->error, "redirect loop: %.200s leads back to %.200s", poll->chain[poll->hops],
                     r->redirect_url);
            return -1;
        }
    if (poll->hops >= S_MAX_REDIRECTS) {
        snprintf(r->error, sizeof r->error, "more than %d redirects", S_MAX_REDIRECTS);
        return -1;
    }
    poll->all_permanent = poll->all_permanent && (r->status == 301 || r->status == 308);
    poll->hops++;
    snprintf(poll->chain[poll->hops], sizeof poll->chain[0], "%s", r->redirect_url);
    curl_multi_remove_handle(self->multi, feed_request_easy(poll->request));
    feed_request_destroy(&poll->request);
    if (s_issue(self, poll) == 0)
        return 0;
    snprintf(r->error, sizeof r->error, "cannot start a request for %.200s", r->redirect_url);
    return -1;
}

static void s_finish(feed_poller_t *self, s_poll_t *poll, feed_response_t *r, feed_fetched_fn *done, void *arg)
{
    feed_fetch_t fetch = {.feed = poll->feed, .response = *r, .redirects = poll->hops};
    snprintf(fetch.final_url, sizeof fetch.final_url, "%s", poll->chain[poll->hops]);
    if (poll->hops > 0 && poll->all_permanent && !r->error[0] && (r->status == 200 || r->status == 304))
        snprintf(fetch.moved_to, sizeof fetch.moved_to, "%s", poll->chain[poll->hops]);
    done(&fetch, arg);
    feed_response_free(&fetch.response);
    if (poll->request)
        curl_multi_remove_handle(self->multi, feed_request_easy(poll->request));
    s_host_add(self, poll->host, -1);
    zhash_delete(self->feeds, s_str(poll->feed, "key"));
    self->active--;
    s_poll_free(&poll);
}

void feed_poller_run(feed_poller_t *self, int timeout_ms, struct curl_waitfd *extra, unsigned nextra,
                     feed_fetched_fn *done, void *arg)
{
    int running = 0;
    curl_multi_poll(self->multi, extra, nextra, timeout_ms, NULL);
    curl_multi_perform(self->multi, &running);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(self->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        s_poll_t *poll = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &poll);
        CURLcode cc = msg->data.result;
        feed_response_t r;
        feed_request_finish(poll->request, cc, &r);
        if (!r.error[0] && r.status >= 300 && r.status < 400 && r.status != 304) {
            feed_response_free(&r);
            feed_response_t hop = r;
            hop.body = NULL;
            if (s_follow(self, poll, &hop) == 0)
                continue; /* the next hop runs */
            s_finish(self, poll, &hop, done, arg);
            continue;
        }
        s_finish(self, poll, &r, done, arg);
    }
}
