/* test_actors: the cleaner, indexer and notifier actors started in-process
 * over inproc sockets, with this test playing the fetcher and standing
 * between the stages to capture every message type. The captured messages
 * are written to the folder given as argv[1] for the proto_schemas test. */
#include "cleaner_actor.h"
#include "indexer_actor.h"
#include "notifier_actor.h"
#include "raw_message.h"
#include "ww_alertlog.h"
#include "ww_message.h"
#include "ww_paths.h"
#include "ww_watches.h"
#include "ww_test.h"

static const char *s_out_dir;

static void s_save(const char *name, json_t *body)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", s_out_dir, name);
    CHECK(json_dump_file(body, path, JSON_INDENT(2)) == 0);
}

static ww_config_t *s_config(const char *data, const char *const *pairs)
{
    ww_config_t *c = ww_config_new(data);
    char err[256];
    for (size_t i = 0; pairs[i]; i += 2)
        CHECK(ww_config_set(c, pairs[i], pairs[i + 1], err, sizeof err) == 0);
    return c;
}

static json_t *s_expect(zsock_t *in, const char *want_type)
{
    const char *type = NULL;
    json_t *body = NULL;
    char err[256];
    int rc = ww_message_recv(in, &type, &body, err, sizeof err);
    CHECK(rc == 0);
    if (rc == 0)
        CHECK_STR(type, want_type);
    return body;
}

int main(int argc, char **argv)
{
    s_out_dir = argc > 1 ? argv[1] : "proto-capture";
    ww_mkdir_p(s_out_dir);
    char data[] = "/tmp/ww-actors-XXXXXX";
    CHECK(mkdtemp(data) != NULL);
    char err[256];
    char watches_path[256];
    snprintf(watches_path, sizeof watches_path, "%s/watches.db", data);
    ww_watches_t *w = ww_watches_open(watches_path, err, sizeof err);
    CHECK(w && ww_watches_put(w, "flood", "严防死守", NULL, NULL, err, sizeof err) == 0);
    ww_watches_close(&w);

    const char *cleaner_cfg[] = {
        "endpoint.raw", "inproc://raw", "endpoint.clean", "inproc://clean-cap", "endpoint.ack", "inproc://ack", NULL};
    const char *indexer_cfg[] = {"endpoint.clean", "inproc://clean-in", "endpoint.indexed", "inproc://indexed-cap",
                                 NULL};
    const char *notifier_cfg[] = {
        "endpoint.indexed", "inproc://indexed-in", "endpoint.ack", "inproc://ack", "notifier.stdout", "false", NULL};
    ww_config_t *cc = s_config(data, cleaner_cfg), *ic = s_config(data, indexer_cfg),
                *nc = s_config(data, notifier_cfg);

    zsock_t *raw_out = zsock_new_push("@inproc://raw");
    zsock_t *acks = zsock_new_pull("@inproc://ack");
    zsock_t *clean_cap = zsock_new_pull("@inproc://clean-cap");
    zsock_t *indexed_fwd = zsock_new_push("@inproc://indexed-in");
    zsock_t *socks[] = {raw_out, acks, clean_cap, indexed_fwd};
    for (int i = 0; i < 4; i++)
        zsock_set_rcvtimeo(socks[i], 20000);

    zactor_t *cleaner = zactor_new(cleaner_actor, cc);
    zactor_t *indexer = zactor_new(indexer_actor, ic);
    zactor_t *notifier = zactor_new(notifier_actor, nc);
    zsock_t *clean_fwd = zsock_new_push(">inproc://clean-in");
    zsock_t *indexed_cap = zsock_new_pull(">inproc://indexed-cap");
    zsock_set_rcvtimeo(indexed_cap, 20000);

    /* raw: a document as the fetcher builds it, and a feed item */
    size_t len;
    char *doc = ww_read_file(ww_test_path("samples/drop/01_flood_meeting.md"), 1 << 20, &len);
    CHECK(doc != NULL);
    json_t *raw = raw_message_for_file("/drop/01_flood_meeting.md", doc, len);
    s_save("raw", raw);
    json_t *feed = json_pack("{s:s, s:[{s:s, s:s, s:s, s:s}]}", "title", "Harbour Daily", "items", "guid", "g1", "link",
                             "https://news.example.org/1", "title", "港口恢复", "content", "<p>港口恢复作业</p>");
    json_t *feed_raw = raw_message_for_feed_item(feed, json_array_get(json_object_get(feed, "items"), 0), "i-g1",
                                                 "https://news.example.org/feed", 1); /* a revision, for the schema */
    s_save("raw-feed-item", feed_raw);
    CHECK(ww_message_send(raw_out, "raw", raw) == 0);

    /* clean, captured and passed to the indexer */
    json_t *clean = s_expect(clean_cap, "clean");
    CHECK(clean && json_is_true(json_object_get(clean, "has_body")));
    if (clean) {
        s_save("clean", clean);
        CHECK(ww_message_send(clean_fwd, "clean", clean) == 0);
    }
    /* indexed, captured and passed to the notifier */
    json_t *indexed = s_expect(indexed_cap, "indexed");
    CHECK(indexed && json_string_length(json_object_get(indexed, "story_id")) > 0);
    if (indexed) {
        s_save("indexed", indexed);
        CHECK(ww_message_send(indexed_fwd, "indexed", indexed) == 0);
    }
    /* the notifier acks after one alert */
    json_t *ack = s_expect(acks, "ack");
    CHECK(ack && !strcmp(json_string_value(json_object_get(ack, "status")), "done"));
    CHECK(ack && json_integer_value(json_object_get(ack, "alerts")) == 1);
    if (ack)
        s_save("ack-done", ack);
    /* the same article again: acked, no second alert */
    if (indexed)
        CHECK(ww_message_send(indexed_fwd, "indexed", indexed) == 0);
    json_t *ack2 = s_expect(acks, "ack");
    CHECK(ack2 && json_integer_value(json_object_get(ack2, "alerts")) == 0);

    /* binary input: the cleaner rejects it back to the fetcher */
    json_t *bad = raw_message_for_file("/drop/blob.bin", "\x89PNG\x00\x00garbage", 13);
    CHECK(ww_message_send(raw_out, "raw", bad) == 0);
    json_t *rejected = s_expect(acks, "ack");
    CHECK(rejected && !strcmp(json_string_value(json_object_get(rejected, "status")), "rejected"));
    CHECK(rejected && strstr(json_string_value(json_object_get(rejected, "reason")), "binary"));
    if (rejected)
        s_save("ack-rejected", rejected);

    /* a malformed message is counted, not fatal: the cleaner still works */
    zmsg_t *junk = zmsg_new();
    zmsg_addstr(junk, "raw");
    zmsg_send(&junk, raw_out);
    CHECK(ww_message_send(raw_out, "raw", feed_raw) == 0);
    json_t *clean2 = s_expect(clean_cap, "clean");
    CHECK(clean2 && !strcmp(json_string_value(json_object_get(clean2, "title")), "港口恢复"));

    char alerts_path[256];
    snprintf(alerts_path, sizeof alerts_path, "%s/alerts.db", data);
    ww_alertlog_t *log = ww_alertlog_open(alerts_path, true, err, sizeof err);
    json_t *alerts = log ? ww_alertlog_list(log, 0, 100) : NULL;
    CHECK(alerts && json_array_size(alerts) == 1);
    json_decref(alerts);
    ww_alertlog_close(&log);

    json_decref(clean2);
    json_decref(rejected);
    json_decref(bad);
    json_decref(ack2);
    json_decref(ack);
    json_decref(indexed);
    json_decref(clean);
    json_decref(feed_raw);
    json_decref(feed);
    json_decref(raw);
    free(doc);
    zactor_destroy(&notifier);
    zactor_destroy(&indexer);
    zactor_destroy(&cleaner);
    zsock_destroy(&indexed_cap);
    zsock_destroy(&clean_fwd);
    for (int i = 0; i < 4; i++)
        zsock_destroy(&socks[i]);
    ww_config_destroy(&cc);
    ww_config_destroy(&ic);
    ww_config_destroy(&nc);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", data);
    CHECK(system(cmd) == 0);
    WW_TEST_END();
}
