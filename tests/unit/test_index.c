/* test_index: idempotent upserts, reprints and near-duplicates as stories,
 * and recall: for every 1- to 4-character query drawn from a generated
 * corpus, the index returns exactly the documents a brute-force substring
 * scan of the match forms returns. */
#include "ww_article.h"
#include "ww_db.h"
#include "ww_message.h"
#include "ww_index.h"
#include "ww_query.h"
#include "ww_test.h"
#include "ww_units.h"

#include <unistd.h>

static json_t *s_article(ww_cleaner_t *c, const char *id, const char *text)
{
    char err[256];
    ww_doc_info_t info = {.id = id, .fetched_at = 1689200000};
    return ww_cleaner_clean(c, text, strlen(text), &info, err, sizeof err);
}

static size_t s_search_count(ww_index_t *ix, ww_fold_t *fold, const char *query)
{
    char err[256];
    ww_query_t *q = ww_query_parse(query, fold, 0, err, sizeof err);
    ww_search_t s = {q, 0, 0, NULL, 100000, false};
    json_t *hits = q ? ww_index_search(ix, &s, err, sizeof err) : NULL;
    size_t n = hits ? json_array_size(hits) : (size_t) -1;
    json_decref(hits);
    ww_query_destroy(&q);
    return n;
}

/* Hits of a search with filters (NULL on error). */
static json_t *s_search(ww_index_t *ix, ww_fold_t *fold, const char *query, time_t since, time_t until,
                        const char *source, bool newest)
{
    char err[256];
    ww_query_t *q = ww_query_parse(query, fold, 0, err, sizeof err);
    ww_search_t s = {q, since, until, source, 100000, newest};
    json_t *hits = q ? ww_index_search(ix, &s, err, sizeof err) : NULL;
    ww_query_destroy(&q);
    return hits;
}

/* Queries of 1-4 characters drawn from the bodies: how many returned other
 * documents than a brute-force substring scan (*queries: how many ran). */
static int s_recall_mismatches(ww_index_t *ix, ww_fold_t *fold, char **bodies, int docs, int *queries)
{
    int mismatches = 0;
    *queries = 0;
    for (int len = 1; len <= 4; len++) {
        for (int trial = 0; trial < 40; trial++) {
            const char *src = bodies[rand() % docs];
            size_t offsets[512], chars = 0;
            for (size_t i = 0; src[i] && chars < 511; i++)
                if (((unsigned char) src[i] & 0xC0) != 0x80)
                    offsets[chars++] = i;
            offsets[chars] = strlen(src);
            size_t start = (size_t) rand() % (chars - (size_t) len);
            char q[32];
            size_t qlen = offsets[start + (size_t) len] - offsets[start];
            memcpy(q, src + offsets[start], qlen);
            q[qlen] = 0;
            if (strchr(q, ',')) /* the match form of ， is ",", which is not a unit */
                continue;
            size_t expect = 0;
            for (int d = 0; d < docs; d++)
                expect += strstr(bodies[d], q) != NULL;
            size_t got = s_search_count(ix, fold, q);
            (*queries)++;
            if (got != expect) {
                mismatches++;
                fprintf(stderr, "query %s: index %zu, scan %zu\n", q, got, expect);
            }
        }
    }
    return mismatches;
}

/* The first layout (schema 1): the whole article as JSON beside an FTS5
 * table that kept its own copy of the match form. */
static const char s_schema_v1[] =
    "CREATE TABLE articles(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, story_id TEXT NOT NULL,"
    " content_hash TEXT NOT NULL, simhash INTEGER NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL,"
    " url TEXT NOT NULL, published INTEGER NOT NULL, fetched INTEGER NOT NULL,"
    " sources TEXT NOT NULL DEFAULT '[]', article TEXT NOT NULL, updated INTEGER NOT NULL);"
    "CREATE INDEX articles_hash ON articles(content_hash);"
    "CREATE INDEX articles_story ON articles(story_id);"
    "CREATE INDEX articles_published ON articles(published);"
    "CREATE TABLE aliases(id TEXT PRIMARY KEY, article_rowid INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE simbands(band INTEGER NOT NULL, value INTEGER NOT NULL,"
    " article_rowid INTEGER NOT NULL, PRIMARY KEY(band, value, article_rowid)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, source, author, tokenize='wirewatch', detail=full);";

/* Writes article into a new schema-1 file at path, as the first indexer did. */
static int s_write_v1(const char *path, json_t *article)
{
    char err[256];
    sqlite3 *db = ww_db_open(path, false, s_schema_v1, err, sizeof err);
    if (!db)
        return -1;
    json_t *m = json_object_get(article, "match");
    char *doc = json_dumps(article, JSON_COMPACT);
    sqlite3_stmt *a = NULL, *f = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO articles(rowid, id, story_id, content_hash, simhash, title, source, url,"
                                " published, fetched, article, updated) VALUES(1, ?1, 's-v1', ?2, 7, ?3, '', '', 0, 0,"
                                " ?4, 0)",
                                -1, &a, NULL) == SQLITE_OK &&
                     sqlite3_prepare_v2(db,
                                        "INSERT INTO articles_fts(rowid, title, body, source, author)"
                                        " VALUES(1, ?1, ?2, ?3, ?4)",
                                        -1, &f, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    if (rc == 0) {
        sqlite3_bind_text(a, 1, ww_json_str(article, "id"), -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 2, ww_json_str(article, "content_hash"), -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 3, ww_json_str(article, "title"), -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 4, doc, -1, SQLITE_STATIC);
        const char *fields[] = {"title", "body", "source", "author"};
        for (int i = 0; i < 4; i++)
            sqlite3_bind_text(f, i + 1, ww_json_str(m, fields[i]), -1, SQLITE_STATIC);
        rc = sqlite3_step(a) == SQLITE_DONE && sqlite3_step(f) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(a);
    sqlite3_finalize(f);
    free(doc);
    ww_db_close(&db);
    return rc;
}

/* Phrases of one to eight units drawn from mixed-script bodies (CJK runs of
 * any length beside words and numbers, with and without spaces): how many
 * the index answered otherwise than the watch matcher's evaluation, the
 * one definition of a phrase of units (*queries: how many ran). */
static int s_phrase_mismatches(ww_index_t *ix, ww_fold_t *fold, json_t **arts, int docs, int *queries, int *pieced)
{
    ww_qprep_t **preps = calloc((size_t) docs, sizeof *preps);
    for (int d = 0; d < docs; d++) {
        json_t *m = json_object_get(arts[d], "match");
        ww_qdoc_t qd = {ww_json_str(m, "title"), ww_json_str(m, "body"), "", "", 0};
        preps[d] = ww_qprep_new(&qd);
    }
    int mismatches = 0;
    *queries = *pieced = 0;
    for (int trial = 0; trial < 400; trial++) {
        const char *body = ww_json_str(json_object_get(arts[rand() % docs], "match"), "body");
        size_t n = 0;
        ww_unit_t *units = ww_units(body, strlen(body), &n);
        /* spaced out, up to 13 gaps between CJK units: past the spelled ones */
        size_t span = 1 + (size_t) rand() % (trial % 2 ? 8 : 14);
        if (!units || n < span) {
            free(units);
            continue;
        }
        size_t at = (size_t) rand() % (n - span + 1);
        size_t from = units[at].start, to = units[at + span - 1].start + units[at + span - 1].len;
        char q[300];
        if (trial % 2) {
            snprintf(q, sizeof q, "\"%.*s\"", (int) (to - from), body + from);
        } else { /* the units parted by spaces, which the text need not have */
            size_t used = 0;
            q[used++] = '"';
            for (size_t k = at; k < at + span; k++)
                used += (size_t) snprintf(q + used, sizeof q - used, "%s%.*s", k > at ? " " : "", (int) units[k].len,
                                          body + units[k].start);
            snprintf(q + used, sizeof q - used, "\"");
        }
        free(units);
        char negated[320];
        const char *query = q;
        if (trial % 4 == 0) { /* the phrase negated: every title holds 标题 */
            snprintf(negated, sizeof negated, "标题 -%s", q);
            query = negated;
        }
        char err[256];
        ww_query_t *parsed = ww_query_parse(query, fold, 0, err, sizeof err);
        if (!parsed)
            continue;
        bool superset = false;
        char *fts = ww_query_to_fts(parsed, &superset, err, sizeof err);
        if (fts && superset)
            (*pieced)++; /* many gaps: the index narrows, the matcher decides */
        free(fts);
        size_t expect = 0;
        for (int d = 0; d < docs; d++)
            expect += ww_query_matches(parsed, preps[d]);
        ww_query_destroy(&parsed);
        size_t got = s_search_count(ix, fold, query);
        (*queries)++;
        if (got != expect) {
            mismatches++;
            fprintf(stderr, "phrase %s: index %zu, matcher %zu\n", query, got, expect);
        }
    }
    for (int d = 0; d < docs; d++)
        ww_qprep_destroy(&preps[d]);
    free(preps);
    return mismatches;
}

/* A body of pieces: CJK characters, words, numbers, spaces, commas. */
static void s_mixed_text(char *text, size_t size)
{
    static const char *pool[] = {"北",    "京", "中",   "国", "人", "港", "口",  "5g",
                                 "apple", "x",  "2024", " ",  " ",  "，", " v ", "台"};
    size_t used = (size_t) snprintf(text, size, "标题\n\n");
    for (int k = 0; k < 90 && used < size; k++)
        used += (size_t) snprintf(text + used, size - used, "%s", pool[rand() % (int) (sizeof pool / sizeof *pool)]);
}

static const char *s_pool[] = {"北", "京", "市", "防", "控", "疫", "情", "严", "守", "死", "区", "检",
                               "查", "会", "议", "风", "险", "港", "口", "台", "一", "人", "中", "国"};

int main(void)
{
    char err[256], dir[] = "/tmp/ww-index-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/index.db", dir);
    ww_cleaner_t *c = ww_cleaner_new(1 << 20, err, sizeof err);
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    ww_index_t *ix = ww_index_open(path, false, err, sizeof err);
    CHECK(c && fold && ix);

#define COMMON_TAIL                                                                                                                                                \
    "积压船舶将在两天内全部靠泊完毕。港口方面表示，已经安排专人加强调度，确保作业安全有序，同时做好设备检修。" \
    "气象部门提醒，未来三天仍有阵雨，沿海风力逐步减弱，海上作业船只应关注最新预报。码头工人连夜清理积水，"       \
    "对受损的照明和围挡设施进行了抢修。物流企业表示，集装箱运输将在周末前恢复到台风前水平，冷链货物优先安排。" \
    "市交通运输局同步恢复了轮渡和公交线路，并提醒市民出行注意路面湿滑。"
    const char *a_text = "港口恢复作业\n\n台风过境后，港区于13日上午全面恢复装卸作业，航运秩序平稳。" COMMON_TAIL;
    json_t *a = s_article(c, "a", a_text);
    ww_upsert_result_t r;
    CHECK(ww_index_upsert(ix, a, 5, &r) == 0 && r.outcome == WW_UPSERT_NEW && r.new_story);
    char story_a[40];
    snprintf(story_a, sizeof story_a, "%s", r.story_id);
    CHECK(ww_index_upsert(ix, a, 5, &r) == 0 && r.outcome == WW_UPSERT_UNCHANGED);
    CHECK(ww_index_count(ix) == 1);

    /* a reprint: other id, same text, other headline */
    json_t *reprint =
        s_article(c, "b", "台风过后港口复工\n\n台风过境后，港区于13日上午全面恢复装卸作业，航运秩序平稳。" COMMON_TAIL);
    CHECK(ww_index_upsert(ix, reprint, 5, &r) == 0 && r.outcome == WW_UPSERT_REPRINT);
    CHECK_STR(r.story_id, story_a);
    CHECK(ww_index_count(ix) == 1);
    CHECK(ww_index_upsert(ix, reprint, 5, &r) == 0 && r.outcome == WW_UPSERT_UNCHANGED); /* re-sent reprint */
    json_t *stored = ww_index_get(ix, "b");
    CHECK(stored && json_array_size(json_object_get(stored, "reprints")) == 1);
    json_decref(stored);

    /* a near-duplicate: one sentence changed, different boilerplate */
    json_t *near =
        s_article(c, "c",
                  "港口全面复工\n\n台风过境后，港区于13日上午全面恢复装卸作业，航运秩序总体平稳。" COMMON_TAIL
                  "\n\n责任编辑：王五");
    CHECK(ww_index_upsert(ix, near, 5, &r) == 0 && r.outcome == WW_UPSERT_NEW);
    CHECK_STR(r.story_id, story_a);

    /* a different article built from the same official phrases */
    json_t *other =
        s_article(c, "d",
                  "市领导检查疫情防控\n\n市委书记到朝阳区检查疫情处置工作，强调要严防死守，坚持动态清零，压实各方责任，"
                  "加强宣传引导，及时回应社会关切。市领导孙梅君、张家明参加。");
    json_t *other2 =
        s_article(c, "e",
                  "市领导调度防控工作\n\n市委书记主持召开会议调度疫情防控，要求加快核酸筛查，做好封控区服务保障，"
                  "加强宣传引导，及时回应社会关切。市领导夏林茂参加。");
    CHECK(ww_index_upsert(ix, other, 5, &r) == 0);
    char story_d[40];
    snprintf(story_d, sizeof story_d, "%s", r.story_id);
    CHECK(ww_index_upsert(ix, other2, 5, &r) == 0 && strcmp(r.story_id, story_d) != 0);

    /* an update: same id, new content replaces the old */
    json_t *a2 = s_article(c, "a", "港口恢复作业（更新）\n\n台风过境后，港区已全面恢复作业，积压船舶已全部靠泊。");
    CHECK(ww_index_upsert(ix, a2, 5, &r) == 0 && r.outcome == WW_UPSERT_UPDATED);
    CHECK(s_search_count(ix, fold, "已全部靠泊") >= 1);
    CHECK(s_search_count(ix, fold, "title:更新") == 1);

    /* scripts and widths meet: a traditional text, simplified and full-width queries */
    json_t *trad =
        s_article(c, "t", "港島防颱措施\n\n颱風逼近，全面嚴防死守，市民可下載ＡＰＰ查詢最新消息，衞生部門加強巡查。");
    CHECK(ww_index_upsert(ix, trad, 5, &r) == 0);
    CHECK(s_search_count(ix, fold, "全面严防死守") == 1);
    CHECK(s_search_count(ix, fold, "全面嚴防死守") == 1);
    CHECK(s_search_count(ix, fold, "卫生部门") == 1); /* 衞 is an HK variant */
    CHECK(s_search_count(ix, fold, "app") == 1);      /* full width in the text */
    CHECK(s_search_count(ix, fold, "ＡＰＰ") == 1);   /* and in the query */
    CHECK(s_search_count(ix, fold, "严") >= 1);       /* one character */
    json_decref(trad);

    /* an article without text is kept with its metadata and no terms */
    json_t *empty = s_article(c, "z", "   \n");
    CHECK(ww_index_upsert(ix, empty, 5, &r) == 0 && r.outcome == WW_UPSERT_NEW);
    json_decref(a);
    json_decref(a2);
    json_decref(reprint);
    json_decref(near);
    json_decref(other);
    json_decref(other2);
    json_decref(empty);
    ww_index_close(&ix);

    /* An index in the first layout is moved to the current one on open. */
    snprintf(path, sizeof path, "%s/v1.db", dir);
    json_t *old =
        s_article(c, "old-1", "旧版索引里的文章\n\n台风过境后，港区于13日上午全面恢复装卸作业，航运秩序平稳。");
    CHECK(old && s_write_v1(path, old) == 0);
    ix = ww_index_open(path, true, err, sizeof err);
    CHECK(ix == NULL && strstr(err, "first index layout") != NULL); /* a reader does not move it */
    ix = ww_index_open(path, false, err, sizeof err);
    CHECK(ix != NULL);
    CHECK(ww_index_count(ix) == 1);
    CHECK(s_search_count(ix, fold, "装卸作业") == 1);
    CHECK(s_search_count(ix, fold, "港") == 1);
    stored = ww_index_get(ix, "old-1");
    CHECK(stored && strstr(ww_json_str(stored, "body"), "航运秩序平稳") != NULL);
    json_decref(stored);
    /* and it takes writes in the new layout: the old row is replaced */
    json_t *old2 = s_article(c, "old-1", "旧版索引里的文章\n\n港区全面恢复作业。");
    CHECK(ww_index_upsert(ix, old2, 5, &r) == 0 && r.outcome == WW_UPSERT_UPDATED);
    CHECK(s_search_count(ix, fold, "装卸作业") == 0);
    CHECK(s_search_count(ix, fold, "恢复作业") == 1);
    json_decref(old);
    json_decref(old2);
    ww_index_close(&ix);

    /* A file of a development layout is refused with a reason, not misread. */
    snprintf(path, sizeof path, "%s/dev.db", dir);
    sqlite3 *dev = ww_db_open(path, false, "CREATE TABLE articles(x); PRAGMA user_version=3;", err, sizeof err);
    CHECK(dev != NULL);
    ww_db_close(&dev);
    CHECK(ww_index_open(path, false, err, sizeof err) == NULL && strstr(err, "development layout (3)") != NULL);

    /* Filters read past the newest matches: a date range in the past finds
     * what it holds though newer matches fill the ranking window. */
    snprintf(path, sizeof path, "%s/window.db", dir);
    ix = ww_index_open(path, false, err, sizeof err);
    CHECK(ix && ww_index_begin(ix) == 0);
    for (int d = 0; d < WW_SEARCH_CANDIDATES + 100; d++) {
        char id[32], text[256];
        snprintf(id, sizeof id, "w%d", d);
        snprintf(text, sizeof text, "简讯第%d期\n\n本市今日天气晴，气温回升，第%d期简讯完。", d, d);
        json_t *art = s_article(c, id, text);
        json_object_set_new(art, "published", json_string(d < 50 ? "2020-03-01T08:00:00Z" : "2023-07-01T08:00:00Z"));
        json_object_set_new(art, "source", json_string(d < 30 ? "甲报" : "乙报"));
        CHECK(ww_index_upsert(ix, art, 0, &r) == 0 && r.outcome == WW_UPSERT_NEW);
        json_decref(art);
    }
    CHECK(ww_index_commit(ix) == 0);
    json_t *hits = s_search(ix, fold, "天气", 1577836800 /* 2020-01-01 */, 1609459200 /* 2021-01-01 */, NULL, false);
    CHECK(hits && json_array_size(hits) == 50);
    json_decref(hits);
    hits = s_search(ix, fold, "天气", 0, 0, "甲报", false);
    CHECK(hits && json_array_size(hits) == 30);
    json_decref(hits);
    hits = s_search(ix, fold, "天气", 0, 0, NULL, true);
    CHECK(hits && json_array_size(hits) == WW_SEARCH_CANDIDATES); /* the window, newest first */
    CHECK_STR(ww_json_str(json_array_get(hits, 0), "published"), "2023-07-01T08:00:00Z");
    json_decref(hits);
    ww_index_close(&ix);

    /* Relevance: a title match outweighs the body, and more hits outweigh one. */
    snprintf(path, sizeof path, "%s/rank.db", dir);
    ix = ww_index_open(path, false, err, sizeof err);
    const char *ranked[][2] = {
        {"r-once", "港口新闻\n\n港区今日作业正常，台风过后一切平稳，船舶有序进出，货物装卸如常。"},
        {"r-title", "台风逼近港区\n\n港区今日作业正常，船舶有序进出，货物装卸如常，码头秩序井然。"},
        {"r-many", "港区通告\n\n台风预警发布，台风中心逼近，台风影响港区作业，防台风措施落实到位。"},
    };
    for (int i = 0; i < 3; i++) {
        json_t *art = s_article(c, ranked[i][0], ranked[i][1]);
        CHECK(ww_index_upsert(ix, art, 0, &r) == 0);
        json_decref(art);
    }
    hits = s_search(ix, fold, "台风", 0, 0, NULL, false);
    CHECK(hits && json_array_size(hits) == 3);
    CHECK_STR(ww_json_str(json_array_get(hits, 0), "id"), "r-title");
    CHECK_STR(ww_json_str(json_array_get(hits, 2), "id"), "r-once");
    CHECK(json_real_value(json_object_get(json_array_get(hits, 0), "rank")) >
          json_real_value(json_object_get(json_array_get(hits, 2), "rank")));
    json_decref(hits);
    ww_index_close(&ix);

    /* Recall against brute force on a generated corpus. */
    snprintf(path, sizeof path, "%s/recall.db", dir);
    ix = ww_index_open(path, false, err, sizeof err);
    ww_index_close(&ix);
    /* FTS5 merging off, so that small transactions leave many segments */
    sqlite3 *raw = ww_db_open(path, false, NULL, err, sizeof err);
    CHECK(raw && ww_db_exec(raw, "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 0)") == 0);
    ww_db_close(&raw);
    ix = ww_index_open(path, false, err, sizeof err);
    CHECK(ix != NULL);
    enum { DOCS = 150 };
    char *bodies[DOCS];
    srand(getenv("WW_TEST_SEED") ? (unsigned) atoi(getenv("WW_TEST_SEED")) : 7u); /* another seed: more cases */
    CHECK(ww_index_begin(ix) == 0);
    for (int d = 0; d < DOCS; d++) {
        if (d % 12 == 11) { /* small transactions, as a trickle of news makes: many segments */
            CHECK(ww_index_commit(ix) == 0);
            CHECK(ww_index_begin(ix) == 0);
        }
        char text[2048] = "", id[16];
        size_t used = 0;
        for (int k = 0; k < 120; k++) {
            const char *piece = (rand() % 9 == 0) ? "，" : s_pool[rand() % (int) (sizeof s_pool / sizeof *s_pool)];
            used += (size_t) snprintf(text + used, sizeof text - used, "%s", piece);
        }
        snprintf(id, sizeof id, "doc%d", d);
        json_t *art = s_article(c, id, text);
        bodies[d] = strdup(json_string_value(json_object_get(json_object_get(art, "match"), "body")));
        CHECK(ww_index_upsert(ix, art, 0, &r) == 0);
        json_decref(art);
    }
    CHECK(ww_index_commit(ix) == 0);
    int queries = 0;
    CHECK(s_recall_mismatches(ix, fold, bodies, DOCS, &queries) == 0);
    CHECK(queries > 100);
    /* merging the segments the small transactions left changes no answer */
    int merged = 0, steps = 0, did;
    while ((did = ww_index_merge(ix, 16)) == 1 && steps < 10000)
        merged++, steps++;
    CHECK(did == 0);
    CHECK(merged > 0);
    CHECK(ww_index_merge(ix, 16) == 0); /* nothing left */
    CHECK(s_recall_mismatches(ix, fold, bodies, DOCS, &queries) == 0);

    ww_index_close(&ix);

    /* Phrases across scripts on a fresh (version 2) table. */
    snprintf(path, sizeof path, "%s/mixed.db", dir);
    ix = ww_index_open(path, false, err, sizeof err);
    CHECK(ix != NULL);
    enum { MIXED = 80 };
    json_t *arts[MIXED];
    CHECK(ww_index_begin(ix) == 0);
    for (int d = 0; d < MIXED; d++) {
        char text[1024], id[16];
        s_mixed_text(text, sizeof text);
        snprintf(id, sizeof id, "mix%d", d);
        arts[d] = s_article(c, id, text);
        CHECK(arts[d] && ww_index_upsert(ix, arts[d], 0, &r) == 0);
    }
    CHECK(ww_index_commit(ix) == 0);
    int pieced = 0;
    CHECK(s_phrase_mismatches(ix, fold, arts, MIXED, &queries, &pieced) == 0);
    CHECK(queries > 200);
    CHECK(pieced > 5);
    for (int d = 0; d < MIXED; d++)
        json_decref(arts[d]);
    ww_index_close(&ix);

    /* A table made with version 1 of the tokenizer keeps it: its rows are
     * replaced (deleted by tokenizing them again) and found as before. */
    snprintf(path, sizeof path, "%s/tokenizer-v1.db", dir);
    raw = ww_db_open(path, false, NULL, err, sizeof err);
    CHECK(raw && ww_db_exec(raw, "CREATE VIRTUAL TABLE articles_fts USING fts5(body, title, source, author,"
                                 " tokenize='wirewatch', content='', columnsize=0, detail=full)") == 0);
    ww_db_close(&raw);
    ix = ww_index_open(path, false, err, sizeof err);
    CHECK(ix != NULL);
    enum { OLD = 40 };
    char *old_bodies[OLD];
    for (int round = 0; round < 2; round++) { /* the second round replaces every article */
        CHECK(ww_index_begin(ix) == 0);
        for (int d = 0; d < OLD; d++) {
            char text[2048] = "", id[16];
            size_t used = 0;
            for (int k = 0; k < 120; k++)
                used += (size_t) snprintf(text + used, sizeof text - used, "%s",
                                          s_pool[rand() % (int) (sizeof s_pool / sizeof *s_pool)]);
            snprintf(id, sizeof id, "old%d", d);
            json_t *art = s_article(c, id, text);
            if (round)
                free(old_bodies[d]);
            old_bodies[d] = strdup(json_string_value(json_object_get(json_object_get(art, "match"), "body")));
            CHECK(ww_index_upsert(ix, art, 0, &r) == 0);
            CHECK(r.outcome == (round ? WW_UPSERT_UPDATED : WW_UPSERT_NEW));
            json_decref(art);
        }
        CHECK(ww_index_commit(ix) == 0);
    }
    CHECK(s_recall_mismatches(ix, fold, old_bodies, OLD, &queries) == 0);
    CHECK(queries > 100);
    for (int d = 0; d < OLD; d++)
        free(old_bodies[d]);
    ww_index_close(&ix);
    raw = ww_db_open(path, true, NULL, err, sizeof err);
    sqlite3_stmt *decl = NULL;
    CHECK(raw && sqlite3_prepare_v2(raw, "SELECT sql FROM sqlite_master WHERE name='articles_fts'", -1, &decl, NULL) ==
                     SQLITE_OK);
    CHECK(sqlite3_step(decl) == SQLITE_ROW && strstr((const char *) sqlite3_column_text(decl, 0), "'wirewatch'"));
    sqlite3_finalize(decl);
    ww_db_close(&raw);

    for (int d = 0; d < DOCS; d++)
        free(bodies[d]);
    ww_index_close(&ix);
    ww_fold_destroy(&fold);
    ww_cleaner_destroy(&c);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    WW_TEST_END();
}
