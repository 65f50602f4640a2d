/* test_fetcher: the fetcher's safety and drop-folder rules: private,
 * loopback and link-local addresses are refused unless allowed (checked when
 * a socket would open, so nothing is sent), and the drop folder takes files
 * once stable, moving them to done/ or to failed/ with a reason. */
#include "drop_folder.h"
#include "feed_items.h"
#include "feed_poller.h"
#include "feed_schedule.h"
#include "raw_message.h"
#include "ww_base64.h"
#include "item_ids.h"
#include "ww_message.h"
#include "ww_feedstate.h"
#include "ww_spool.h"
#include "ww_paths.h"
#include "ww_test.h"

#include <arpa/inet.h>
#include <sqlite3.h>
#include <dirent.h>
#include <netinet/in.h>
#include <unistd.h>

static bool s_private4(const char *ip)
{
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, ip, &a.sin_addr);
    return feed_address_is_private(&a);
}

static bool s_private6(const char *ip)
{
    struct sockaddr_in6 a = {0};
    a.sin6_family = AF_INET6;
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return feed_address_is_private(&a);
}

static int s_taken;

static int s_take(const char *path, const char *bytes, size_t len, char *reason, size_t reasonlen, void *arg)
{
    (void) path;
    (void) arg;
    if (len >= 3 && !memcmp(bytes, "bad", 3)) {
        snprintf(reason, reasonlen, "not wanted by the test");
        return -1;
    }
    s_taken++;
    return 0;
}

static int s_commits;
static bool s_commit_fails;

static int s_commit(void *arg)
{
    (void) arg;
    s_commits++;
    return s_commit_fails ? -1 : 0;
}

static int s_count(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (e->d_name[0] != '.' && l >= sl && !strcmp(e->d_name + l - sl, suffix))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

static void s_record_error(feed_fetch_t *fetch, void *arg)
{
    snprintf(arg, 600, "%s", fetch->response.error[0] ? fetch->response.error : "no error");
}

/* One poll through the real poller; the error it ended with, "" if none. */
static void s_fetch_once(ww_config_t *config, const char *url, char *error, size_t len)
{
    feed_poller_t *poller = feed_poller_new(config);
    json_t *feed = json_pack("{s:s, s:s}", "url", url, "key", url);
    error[0] = 0;
    CHECK(feed_poller_start(poller, feed) == 0);
    for (int i = 0; i < 200 && feed_poller_active(poller); i++)
        feed_poller_run(poller, 50, NULL, 0, s_record_error, error);
    CHECK(feed_poller_active(poller) == 0);
    (void) len;
    json_decref(feed);
    feed_poller_destroy(&poller);
}

static json_t *s_items_at(const char *const *published, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s}", "published", published[i]));
    return items;
}

static void s_check_schedule(void)
{
    feed_schedule_t s = {.default_ms = 900000, .min_ms = 120000, .max_ms = 6 * 3600000LL, .max_backoff_ms = 86400000};
    time_t now = 1700000000; /* 2023-11-14T22:13:20Z */
    /* the user's interval wins */
    CHECK(feed_schedule_interval(&s, 3600000, NULL, 0, now) == 3600000);
    /* no dates: the default */
    json_t *none = json_array();
    CHECK(feed_schedule_interval(&s, 0, none, 0, now) == 900000);
    json_decref(none);
    /* items every 20 minutes, the newest just now: poll every 10 minutes */
    const char *busy[] = {"2023-11-14T22:13:00Z", "2023-11-14T21:53:00Z", "2023-11-14T21:33:00Z",
                          "2023-11-14T21:13:00Z"};
    json_t *items = s_items_at(busy, 4);
    CHECK(feed_schedule_interval(&s, 0, items, 0, now) == 600000);
    json_decref(items);
    /* the same rhythm, but silent for 4 days: polled at the slowest */
    const char *quiet[] = {"2023-11-10T22:13:00Z", "2023-11-10T21:53:00Z", "2023-11-10T21:33:00Z"};
    items = s_items_at(quiet, 3);
    CHECK(feed_schedule_interval(&s, 0, items, 0, now) == 6 * 3600000LL);
    json_decref(items);
    /* very busy: never below the floor */
    const char *burst[] = {"Tue, 14 Nov 2023 22:13:00 GMT", "Tue, 14 Nov 2023 22:12:30 GMT",
                           "Tue, 14 Nov 2023 22:12:00 GMT"};
    items = s_items_at(burst, 3);
    CHECK(feed_schedule_interval(&s, 0, items, 0, now) == 120000);
    json_decref(items);
    /* backoff doubles per failure, jitter adds at most 10%, capped */
    CHECK(feed_schedule_backoff(&s, 600000, 1, 0, 0) == 600000);
    CHECK(feed_schedule_backoff(&s, 600000, 3, 0, 0) == 2400000);
    int64_t jittered = feed_schedule_backoff(&s, 600000, 3, 0, 999);
    CHECK(jittered > 2400000 && jittered <= 2640000);
    CHECK(feed_schedule_backoff(&s, 600000, 40, 0, 0) == 86400000);
    /* Retry-After is never undercut */
    CHECK(feed_schedule_backoff(&s, 600000, 1, 7200, 0) == 7200000);
    CHECK(feed_schedule_backoff(&s, 600000, 1, 3 * 86400, 0) == 3 * 86400000LL);   /* beyond max_backoff */
    CHECK(feed_schedule_backoff(&s, 600000, 1, 400 * 86400, 0) == 7 * 86400000LL); /* but not forever */
}

static json_t *s_feed_with(const char *guid, const char *link, const char *title, const char *content)
{
    json_t *item = json_pack("{s:s, s:s, s:s}", "link", link, "title", title, "content", content);
    if (guid)
        json_object_set_new(item, "guid", json_string(guid));
    return json_pack("{s:s, s:[o]}", "title", "Test feed", "items", item);
}

static int s_spool_once(ww_spool_t *spool, json_t *feed, feed_items_count_t *count)
{
    int rc = feed_items_spool(spool, feed, "https://news.example.org/feed", "https://news.example.org/feed", 2,
                              time(NULL), count);
    json_decref(feed);
    return rc;
}

/* Identity and dedup against a real spool file: the same item twice, a new
 * GUID for the same story, a revision, and the revision cap. */
/* ww_spool_send_due hands over each due message exactly as spooled, at
 * most `room` of them, oldest first; a sent one is due again only after the
 * re-send delay. */
typedef struct {
    char ids[4][16];
    char messages[4][64];
    int count;
} s_sent_t;

static int s_record_send(const char *id, const char *message, int attempts, void *arg)
{
    s_sent_t *sent = arg;
    (void) attempts;
    if (sent->count >= 4)
        return -1;
    snprintf(sent->ids[sent->count], sizeof sent->ids[0], "%s", id);
    snprintf(sent->messages[sent->count], sizeof sent->messages[0], "%s", message);
    sent->count++;
    return 0;
}

static void s_check_send_due(const char *dir)
{
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/send-due.db", dir);
    ww_spool_t *spool = ww_spool_open(path, false, err, sizeof err);
    CHECK(spool != NULL);
    CHECK(ww_spool_put(spool, "a", "{\"id\":\"a\",\"body\":\"ä¸­ \\\"x\\\"\"}", "o") == 1);
    CHECK(ww_spool_put(spool, "b", "{\"id\":\"b\"}", "o") == 1);
    CHECK(ww_spool_put(spool, "c", "{\"id\":\"c\"}", "o") == 1);
    s_sent_t sent = {0};
    int resent = -1;
    CHECK(ww_spool_send_due(spool, 1000, 500, 2, s_record_send, &sent, &resent) == 2 && resent == 0);
    CHECK(sent.count == 2 && !strcmp(sent.ids[0], "a") && !strcmp(sent.ids[1], "b"));
    CHECK(!strcmp(sent.messages[0], "{\"id\":\"a\",\"body\":\"ä¸­ \\\"x\\\"\"}"));
    sent.count = 0;
    CHECK(ww_spool_send_due(spool, 1100, 500, 10, s_record_send, &sent, &resent) == 1);
    CHECK(sent.count == 1 && !strcmp(sent.ids[0], "c"));
    sent.count = 0;
    CHECK(ww_spool_send_due(spool, 1550, 500, 10, s_record_send, &sent, &resent) == 2 && resent == 2);
    CHECK(sent.count == 2 && !strcmp(sent.ids[0], "a") && !strcmp(sent.ids[1], "b"));
    /* a done item's message goes; a rejected one's stays */
    CHECK(ww_spool_ack(spool, "a", "done", NULL) == 1);
    CHECK(ww_spool_ack(spool, "b", "rejected", "test") == 1);
    ww_spool_close(&spool);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT group_concat(s.id) FROM spool s JOIN spool_texts t ON t.rowid = s.rowid"
                             " ORDER BY s.id",
                             -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *) sqlite3_column_text(st, 0), "b,c"));
    sqlite3_finalize(st);
    /* a row spooled by an earlier version holds its message itself */
    CHECK(sqlite3_exec(db, "INSERT INTO spool(id, message, origin) VALUES('old', '{\"id\":\"old\"}', 'o')", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    spool = ww_spool_open(path, false, err, sizeof err);
    CHECK(spool != NULL);
    sent.count = 0;
    /* it comes first, as never sent; then c, due again */
    CHECK(ww_spool_send_due(spool, 1600, 500, 10, s_record_send, &sent, &resent) == 2 && resent == 1);
    CHECK(sent.count == 2 && !strcmp(sent.ids[0], "old") && !strcmp(sent.messages[0], "{\"id\":\"old\"}"));
    CHECK(!strcmp(sent.ids[1], "c") && !strcmp(sent.messages[1], "{\"id\":\"c\"}"));
    ww_spool_close(&spool);
}

/* The raw message the spool keeps for a dropped file, written out
 * directly, is JSON with every field of proto/raw.schema.json a file has,
 * the path's quotes and backslash escaped, the bytes back from base64. */
static void s_check_raw_text(void)
{
    const char bytes[] = "---\ntitle: \"港島\"\n---\n<p>颱風\xff</p>";
    char id[40];
    char *text = raw_message_text_for_file("/drop/a \"b\"\\c.md", bytes, sizeof bytes - 1, id);
    CHECK(text != NULL);
    json_t *parsed = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    CHECK(parsed != NULL && json_object_size(parsed) == 6);
    char want_id[40];
    item_id_for_file(bytes, sizeof bytes - 1, want_id);
    CHECK_STR(id, want_id);
    CHECK_STR(ww_json_str(parsed, "id"), want_id);
    CHECK_STR(ww_json_str(parsed, "kind"), "file");
    CHECK_STR(ww_json_str(parsed, "origin"), "/drop/a \"b\"\\c.md");
    CHECK_STR(ww_json_str(parsed, "filename"), "a \"b\"\\c.md");
    CHECK(strlen(ww_json_str(parsed, "fetched_at")) == 20); /* 2026-12-02T17:00:00Z */
    size_t n = 0;
    unsigned char *back = ww_base64_decode(ww_json_str(parsed, "body_base64"), &n);
    CHECK(back && n == sizeof bytes - 1 && memcmp(back, bytes, n) == 0);
    free(back);
    json_decref(parsed);
    free(text);
}

static void s_check_seen_items(const char *dir)
{
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/seen.db", dir);
    ww_spool_t *spool = ww_spool_open(path, false, err, sizeof err);
    CHECK(spool != NULL);
    if (!spool)
        return;
    feed_items_count_t c;
    CHECK(s_spool_once(spool, s_feed_with("g1", "https://news.example.org/1", "台风", "<p>风力十二级</p>"), &c) == 0);
    CHECK(c.added == 1);
    CHECK(s_spool_once(spool, s_feed_with("g1", "https://news.example.org/1", "台风", "<p>风力十二级</p>"), &c) == 0);
    CHECK(c.added == 0 && c.unchanged == 1);
    /* the CMS renumbered its GUIDs; link and content are the same */
    CHECK(s_spool_once(spool, s_feed_with("g1-v2", "https://news.example.org/1", "台风", "<p>风力十二级</p>"), &c) ==
          0);
    CHECK(c.added == 0 && c.renamed == 1);
    /* the story was corrected: sent again as revision 1 of the same id */
    CHECK(s_spool_once(spool, s_feed_with("g1", "https://news.example.org/1", "台风", "<p>风力十三级</p>"), &c) == 0);
    CHECK(c.revised == 1 && c.added == 0);
    CHECK(ww_spool_pending(spool) == 1); /* the same spool entry, pending again */
    json_t *stats = ww_spool_stats(spool);
    CHECK(json_integer_value(json_object_get(stats, "pending")) == 1);
    json_decref(stats);
    CHECK(s_spool_once(spool, s_feed_with("g1", "https://news.example.org/1", "台风", "<p>v3</p>"), &c) == 0);
    CHECK(c.revised == 1);
    /* max_revisions is 2 here: a third change is not sent */
    CHECK(s_spool_once(spool, s_feed_with("g1", "https://news.example.org/1", "台风", "<p>v4</p>"), &c) == 0);
    CHECK(c.revised == 0 && c.unchanged == 1);
    /* no GUID: the link identifies the item */
    CHECK(s_spool_once(spool, s_feed_with(NULL, "https://news.example.org/2", "地震", "<p>震级</p>"), &c) == 0);
    CHECK(c.added == 1);
    CHECK(s_spool_once(spool, s_feed_with(NULL, "https://news.example.org/2", "地震", "<p>震级</p>"), &c) == 0);
    CHECK(c.added == 0 && c.unchanged == 1);
    /* Adding a known feed again keeps its interval and its schedule (a
     * pending Retry-After is not cut short by a restart). */
    CHECK(ww_feedstate_add(spool, "https://news.example.org/feed", 600000, "News", "国内") == 1);
    ww_feed_outcome_t busy = {.url = "https://news.example.org/feed",
                              .http_status = 429,
                              .error = "HTTP 429",
                              .next_poll = 2000000000,
                              .interval_ms = 600000};
    CHECK(ww_feedstate_record(spool, 1700000000, &busy) == 0);
    CHECK(ww_feedstate_add(spool, "https://news.example.org/feed", -1, NULL, NULL) == 0);
    json_t *list = ww_feedstate_list(spool, 1700000000);
    json_t *row = json_array_get(list, 0);
    CHECK(json_integer_value(json_object_get(row, "next_poll")) == 2000000000);
    CHECK(json_integer_value(json_object_get(row, "every_ms")) == 600000);
    CHECK(json_integer_value(json_object_get(row, "failures")) == 1);
    CHECK_STR(json_string_value(json_object_get(row, "folder")), "国内");
    CHECK_STR(json_string_value(json_object_get(row, "last_error")), "HTTP 429");
    json_decref(list);
    ww_spool_close(&spool);
}

int main(void)
{
    CHECK(s_private4("127.0.0.1"));
    CHECK(s_private4("10.1.2.3"));
    CHECK(s_private4("172.16.0.1"));
    CHECK(s_private4("172.31.255.1"));
    CHECK(!s_private4("172.32.0.1"));
    CHECK(s_private4("192.168.1.1"));
    CHECK(s_private4("169.254.169.254"));
    CHECK(s_private4("0.0.0.0"));
    CHECK(!s_private4("8.8.8.8"));
    CHECK(!s_private4("93.184.216.34"));
    CHECK(s_private6("::1"));
    CHECK(s_private6("fe80::1"));
    CHECK(s_private6("fd00::1"));
    CHECK(s_private6("::ffff:127.0.0.1"));
    CHECK(!s_private6("2001:4860:4860::8888"));

    char dir[] = "/tmp/ww-fetcher-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    ww_config_t *config = ww_config_new(dir);
    char error[600];
    s_fetch_once(config, "http://127.0.0.1:9/feed.xml", error, sizeof error);
    CHECK(strstr(error, "private") != NULL);
    s_fetch_once(config, "file:///etc/passwd", error, sizeof error); /* http and https only */
    CHECK(error[0] != 0);

    s_check_schedule();
    s_check_seen_items(dir);
    s_check_send_due(dir);
    s_check_raw_text();

    char drop[300], path[400];
    snprintf(drop, sizeof drop, "%s/drop", dir);
    drop_folder_t *folder = drop_folder_new(drop, 200, 1 << 20);
    snprintf(path, sizeof path, "%s/good.txt", drop);
    CHECK(ww_write_file_atomic(path, "hello", 5, 0) == 0);
    snprintf(path, sizeof path, "%s/bad.txt", drop);
    CHECK(ww_write_file_atomic(path, "bad input", 9, 0) == 0);
    snprintf(path, sizeof path, "%s/.hidden.tmp", drop);
    CHECK(ww_write_file_atomic(path, "partial", 7, 0) == 0);
    drop_folder_scan(folder, s_take, s_commit, NULL);
    CHECK(s_taken == 0); /* not yet stable */
    usleep(300000);
    /* a commit that fails leaves the taken file where it was */
    s_commit_fails = true;
    drop_folder_scan(folder, s_take, s_commit, NULL);
    CHECK(s_taken == 1 && s_commits == 1);
    char good[400];
    snprintf(good, sizeof good, "%s/good.txt", drop);
    CHECK(access(good, F_OK) == 0);
    s_commit_fails = false;
    usleep(300000);
    drop_folder_scan(folder, s_take, s_commit, NULL); /* seen again: waits to be stable */
    usleep(300000);
    drop_folder_scan(folder, s_take, s_commit, NULL);
    CHECK(s_taken == 2 && s_commits == 2);
    CHECK(access(good, F_OK) != 0);
    char done[400], failed[400];
    snprintf(done, sizeof done, "%s/done", drop);
    snprintf(failed, sizeof failed, "%s/failed", drop);
    CHECK(s_count(done, ".txt") == 1);
    CHECK(s_count(failed, ".txt") == 1 && s_count(failed, ".reason") == 1);
    CHECK(access(path, F_OK) == 0); /* hidden temp files are left alone */
    /* many files: committed in batches, every one moved after its commit */
    for (int i = 0; i < 600; i++) {
        char many[400];
        snprintf(many, sizeof many, "%s/many-%03d.txt", drop, i);
        CHECK(ww_write_file_atomic(many, "hello", 5, 0) == 0);
    }
    s_taken = s_commits = 0;
    drop_folder_scan(folder, s_take, s_commit, NULL);
    usleep(300000);
    drop_folder_scan(folder, s_take, s_commit, NULL);
    CHECK(s_taken == 600 && s_commits == (600 + DROP_FOLDER_BATCH - 1) / DROP_FOLDER_BATCH);
    CHECK(s_count(done, ".txt") == 601);
    drop_folder_destroy(&folder);
    ww_config_destroy(&config);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    WW_TEST_END();
}
