/* ww_index: SQLite/FTS5 implementation of the article archive. */
#include "ww_index.h"
#include "ww_message.h"
#include "ww_utc.h"
#include "ww_db.h"

#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_schema[] =
    "CREATE TABLE IF NOT EXISTS articles("
    " rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, story_id TEXT NOT NULL,"
    " content_hash TEXT NOT NULL, simhash INTEGER NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL,"
    " url TEXT NOT NULL, published INTEGER NOT NULL, fetched INTEGER NOT NULL,"
    " sources TEXT NOT NULL DEFAULT '[]', article TEXT NOT NULL, updated INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);"
    "CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id);"
    "CREATE INDEX IF NOT EXISTS articles_published ON articles(published);"
    /* ids of reprints absorbed by another article */
    "CREATE TABLE IF NOT EXISTS aliases(id TEXT PRIMARY KEY, article_rowid INTEGER NOT NULL) WITHOUT ROWID;"
    /* SimHash split in six bands (11,11,11,11,10,10 bits): two hashes within
     * distance 5 share at least one band exactly (pigeonhole), so candidates
     * come from an index lookup, not from comparing against everything. */
    "CREATE TABLE IF NOT EXISTS simbands(band INTEGER NOT NULL, value INTEGER NOT NULL,"
    " article_rowid INTEGER NOT NULL, PRIMARY KEY(band, value, article_rowid)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, source, author,"
    " tokenize='wirewatch', detail=full);";

struct ww_index_t {
    sqlite3 *db;
    char *path;
};

ww_index_t *ww_index_open(const char *path, bool readonly, char *err, size_t errlen)
{
    sqlite3 *db = ww_db_open(path, readonly, readonly ? NULL : s_schema, err, errlen);
    if (!db)
        return NULL;
    ww_index_t *self = calloc(1, sizeof *self);
    self->db = db;
    self->path = strdup(path);
    return self;
}

void ww_index_close(ww_index_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_db_close(&(*self_p)->db);
    free((*self_p)->path);
    free(*self_p);
    *self_p = NULL;
}

int ww_index_begin(ww_index_t *self)
{
    return ww_db_exec(self->db, "BEGIN IMMEDIATE");
}
int ww_index_commit(ww_index_t *self)
{
    return ww_db_exec(self->db, "COMMIT");
}
int ww_index_rollback(ww_index_t *self)
{
    return ww_db_exec(self->db, "ROLLBACK");
}

static sqlite3_stmt *s_prep(ww_index_t *self, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        zsys_error("index %s: %s: %s", self->path, sql, sqlite3_errmsg(self->db));
        return NULL;
    }
    return st;
}

/* Finds the rowid holding id, directly or as an alias; 0 if none. */
static int64_t s_rowid_for(ww_index_t *self, const char *id)
{
    sqlite3_stmt *st = s_prep(self, "SELECT rowid FROM articles WHERE id=?1 UNION ALL "
                                    "SELECT article_rowid FROM aliases WHERE id=?1 LIMIT 1");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int64_t rowid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rowid;
}

static char *s_authors_text(json_t *article)
{
    json_t *m = json_object_get(article, "match");
    return strdup(ww_json_str(m, "author"));
}

static int s_write_fts(ww_index_t *self, int64_t rowid, json_t *article, bool replace)
{
    if (replace) {
        sqlite3_stmt *del = s_prep(self, "DELETE FROM articles_fts WHERE rowid=?1");
        if (!del)
            return -1;
        sqlite3_bind_int64(del, 1, rowid);
        sqlite3_step(del);
        sqlite3_finalize(del);
    }
    json_t *m = json_object_get(article, "match");
    sqlite3_stmt *st =
        s_prep(self, "INSERT INTO articles_fts(rowid, title, body, source, author) VALUES(?1,?2,?3,?4,?5)");
    if (!st)
        return -1;
    char *authors = s_authors_text(article);
    sqlite3_bind_int64(st, 1, rowid);
    sqlite3_bind_text(st, 2, ww_json_str(m, "title"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ww_json_str(m, "body"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ww_json_str(m, "source"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, authors, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc)
        zsys_error("index %s: fts insert: %s", self->path, sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    free(authors);
    return rc;
}

#define S_BANDS 6
static const int s_band_shift[S_BANDS] = {0, 11, 22, 33, 44, 54};
static const int s_band_bits[S_BANDS] = {11, 11, 11, 11, 10, 10};

static int s_band_value(uint64_t simhash, int b)
{
    return (int) ((simhash >> s_band_shift[b]) & ((1ULL << s_band_bits[b]) - 1));
}

static void s_write_bands(ww_index_t *self, int64_t rowid, uint64_t simhash)
{
    sqlite3_stmt *st = s_prep(self, "INSERT OR IGNORE INTO simbands(band, value, article_rowid) VALUES(?1,?2,?3)");
    if (!st)
        return;
    for (int b = 0; b < S_BANDS; b++) {
        sqlite3_bind_int(st, 1, b);
        sqlite3_bind_int(st, 2, s_band_value(simhash, b));
        sqlite3_bind_int64(st, 3, rowid);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

/* Story of the nearest earlier article within distance, or "" if none. */
static void s_near_story(ww_index_t *self, uint64_t simhash, int distance, bool has_body, char *story, size_t len)
{
    story[0] = 0;
    if (!has_body || distance <= 0)
        return;
    sqlite3_stmt *st =
        s_prep(self, "SELECT a.simhash, a.story_id FROM simbands b JOIN articles a ON a.rowid=b.article_rowid"
                     " WHERE b.band=?1 AND b.value=?2 ORDER BY a.rowid DESC LIMIT 200");
    if (!st)
        return;
    int best = distance + 1;
    for (int b = 0; b < S_BANDS; b++) {
        sqlite3_bind_int(st, 1, b);
        sqlite3_bind_int(st, 2, s_band_value(simhash, b));
        while (sqlite3_step(st) == SQLITE_ROW) {
            uint64_t other = (uint64_t) sqlite3_column_int64(st, 0);
            int d = __builtin_popcountll(other ^ simhash);
            if (d < best) {
                best = d;
                snprintf(story, len, "%s", (const char *) sqlite3_column_text(st, 1));
            }
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static int s_add_source(ww_index_t *self, int64_t rowid, json_t *article)
{
    sqlite3_stmt *st = s_prep(self, "UPDATE articles SET sources=json_insert(sources, '$[#]',"
                                    " json_object('id', ?2, 'source', ?3, 'url', ?4, 'title', ?5)),"
                                    " updated=strftime('%s','now') WHERE rowid=?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rowid);
    sqlite3_bind_text(st, 2, ww_json_str(article, "id"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ww_json_str(article, "source"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ww_json_str(article, "url"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ww_json_str(article, "title"), -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    sqlite3_stmt *al = s_prep(self, "INSERT OR IGNORE INTO aliases(id, article_rowid) VALUES(?1, ?2)");
    if (al) {
        sqlite3_bind_text(al, 1, ww_json_str(article, "id"), -1, SQLITE_STATIC);
        sqlite3_bind_int64(al, 2, rowid);
        sqlite3_step(al);
        sqlite3_finalize(al);
    }
    return rc;
}

/* Stored copy of the article without its match form (that lives in FTS). */
static char *s_stored_json(json_t *article)
{
    json_t *copy = json_copy(article);
    json_object_del(copy, "match");
    char *s = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    return s;
}

int ww_index_upsert(ww_index_t *self, json_t *article, int simhash_distance, ww_upsert_result_t *res)
{
    memset(res, 0, sizeof *res);
    const char *id = ww_json_str(article, "id");
    const char *hash = ww_json_str(article, "content_hash");
    uint64_t simhash = strtoull(ww_json_str(article, "simhash"), NULL, 16);
    bool has_body = json_is_true(json_object_get(article, "has_body"));
    snprintf(res->article_id, sizeof res->article_id, "%s", id);

    /* 1. Same id seen before: unchanged re-send, or an update. */
    int64_t existing = s_rowid_for(self, id);
    if (existing) {
        sqlite3_stmt *st = s_prep(self, "SELECT id, story_id, content_hash, title FROM articles WHERE rowid=?1");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, existing);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            return -1;
        }
        const char *holder = (const char *) sqlite3_column_text(st, 0);
        snprintf(res->story_id, sizeof res->story_id, "%s", (const char *) sqlite3_column_text(st, 1));
        snprintf(res->article_id, sizeof res->article_id, "%s", holder);
        bool same = !strcmp((const char *) sqlite3_column_text(st, 2), hash) &&
                    !strcmp((const char *) sqlite3_column_text(st, 3), ww_json_str(article, "title"));
        bool is_alias = strcmp(holder, id) != 0;
        sqlite3_finalize(st);
        if (same || is_alias) {
            res->outcome = WW_UPSERT_UNCHANGED;
            return 0;
        }
        char *stored = s_stored_json(article);
        sqlite3_stmt *up =
            s_prep(self, "UPDATE articles SET content_hash=?2, simhash=?3, title=?4, source=?5,"
                         " url=?6, published=?7, article=?8, updated=strftime('%s','now') WHERE rowid=?1");
        if (!up) {
            free(stored);
            return -1;
        }
        sqlite3_bind_int64(up, 1, existing);
        sqlite3_bind_text(up, 2, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 3, (int64_t) simhash);
        sqlite3_bind_text(up, 4, ww_json_str(article, "title"), -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 5, ww_json_str(article, "source"), -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 6, ww_json_str(article, "url"), -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 7, (int64_t) ww_utc_parse(ww_json_str(article, "published")));
        sqlite3_bind_text(up, 8, stored, -1, SQLITE_STATIC);
        int rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(up);
        free(stored);
        if (rc == 0)
            rc = s_write_fts(self, existing, article, true);
        if (rc == 0)
            s_write_bands(self, existing, simhash);
        res->outcome = WW_UPSERT_UPDATED;
        return rc;
    }

    /* 2. Same content under another id: a reprint joins the first article. */
    if (has_body) {
        sqlite3_stmt *st = s_prep(self, "SELECT rowid, id, story_id FROM articles WHERE content_hash=?1 LIMIT 1");
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            int64_t rowid = sqlite3_column_int64(st, 0);
            snprintf(res->article_id, sizeof res->article_id, "%s", (const char *) sqlite3_column_text(st, 1));
            snprintf(res->story_id, sizeof res->story_id, "%s", (const char *) sqlite3_column_text(st, 2));
            sqlite3_finalize(st);
            res->outcome = WW_UPSERT_REPRINT;
            return s_add_source(self, rowid, article);
        }
        sqlite3_finalize(st);
    }

    /* 3. A new article: near-duplicates share a story, others open one. */
    s_near_story(self, simhash, simhash_distance, has_body, res->story_id, sizeof res->story_id);
    if (!res->story_id[0]) {
        snprintf(res->story_id, sizeof res->story_id, "s-%.24s", hash[0] ? hash : id);
        res->new_story = true;
    }
    char *stored = s_stored_json(article);
    sqlite3_stmt *ins = s_prep(self, "INSERT INTO articles(id, story_id, content_hash, simhash, title, source, url,"
                                     " published, fetched, article, updated)"
                                     " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,strftime('%s','now'))");
    if (!ins) {
        free(stored);
        return -1;
    }
    sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, res->story_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 4, (int64_t) simhash);
    sqlite3_bind_text(ins, 5, ww_json_str(article, "title"), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, ww_json_str(article, "source"), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 7, ww_json_str(article, "url"), -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 8, (int64_t) ww_utc_parse(ww_json_str(article, "published")));
    sqlite3_bind_int64(ins, 9, (int64_t) ww_utc_parse(ww_json_str(article, "fetched_at")));
    sqlite3_bind_text(ins, 10, stored, -1, SQLITE_STATIC);
    int rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
    if (rc)
        zsys_error("index %s: insert %s: %s", self->path, id, sqlite3_errmsg(self->db));
    sqlite3_finalize(ins);
    free(stored);
    if (rc)
        return -1;
    int64_t rowid = sqlite3_last_insert_rowid(self->db);
    if (s_write_fts(self, rowid, article, false) < 0)
        return -1;
    if (has_body)
        s_write_bands(self, rowid, simhash);
    res->outcome = WW_UPSERT_NEW;
    return 0;
}

json_t *ww_index_search(ww_index_t *self, const ww_search_t *s, char *err, size_t errlen)
{
    /* bm25 weights: title 8, body 1, source 2, author 2 */
    /* Ranking every match costs time in proportion to the matches, and a
     * one-character query matches most of the archive: rank the newest
     * WW_SEARCH_CANDIDATES matches (FTS5 walks rowids newest first without
     * sorting), which keeps answers fast and recent. */
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT a.id, a.title, a.source, a.published, a.url, a.story_id, a.article, a.sources, f.rank"
             " FROM (SELECT rowid, bm25(articles_fts, 8.0, 1.0, 2.0, 2.0) AS rank FROM articles_fts"
             "       WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT %d) f"
             " JOIN articles a ON a.rowid = f.rowid"
             " WHERE (?2 = 0 OR a.published >= ?2) AND (?3 = 0 OR a.published < ?3)"
             " AND (?4 IS NULL OR a.source = ?4) ORDER BY %s LIMIT ?5",
             WW_SEARCH_CANDIDATES, s->newest_first ? "a.published DESC" : "f.rank");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "search failed: %s", sqlite3_errmsg(self->db));
        return NULL;
    }
    sqlite3_bind_text(st, 1, s->fts, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t) s->since);
    sqlite3_bind_int64(st, 3, (int64_t) s->until);
    if (s->source)
        sqlite3_bind_text(st, 4, s->source, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, s->limit > 0 ? s->limit : 20);
    json_t *hits = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *stored = json_loads((const char *) sqlite3_column_text(st, 6), 0, NULL);
        json_t *sources = json_loads((const char *) sqlite3_column_text(st, 7), 0, NULL);
        time_t published = (time_t) sqlite3_column_int64(st, 3);
        char when[32];
        ww_utc_format(published, when, sizeof when);
        json_t *hit =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:o, s:O?, s:O?, s:O?}", "id",
                      (const char *) sqlite3_column_text(st, 0), "title", (const char *) sqlite3_column_text(st, 1),
                      "source", (const char *) sqlite3_column_text(st, 2), "published", when, "url",
                      (const char *) sqlite3_column_text(st, 4), "story_id", (const char *) sqlite3_column_text(st, 5),
                      "rank", sqlite3_column_double(st, 8), "reprints", sources ? sources : json_array(), "body",
                      json_object_get(stored, "body"), "authors", json_object_get(stored, "authors"),
                      "published_estimated", json_object_get(stored, "published_estimated"));
        json_array_append_new(hits, hit);
        json_decref(stored);
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "search failed: %s", sqlite3_errmsg(self->db));
        sqlite3_finalize(st);
        json_decref(hits);
        return NULL;
    }
    sqlite3_finalize(st);
    return hits;
}

static int64_t s_scalar(ww_index_t *self, const char *sql)
{
    sqlite3_stmt *st = s_prep(self, sql);
    if (!st)
        return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

int64_t ww_index_count(ww_index_t *self)
{
    return s_scalar(self, "SELECT count(*) FROM articles");
}

int64_t ww_index_story_count(ww_index_t *self)
{
    return s_scalar(self, "SELECT count(DISTINCT story_id) FROM articles");
}

json_t *ww_index_get(ww_index_t *self, const char *id)
{
    int64_t rowid = s_rowid_for(self, id);
    if (!rowid)
        return NULL;
    sqlite3_stmt *st = s_prep(self, "SELECT article, story_id, sources FROM articles WHERE rowid=?1");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, rowid);
    json_t *a = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        a = json_loads((const char *) sqlite3_column_text(st, 0), 0, NULL);
        if (a) {
            json_object_set_new(a, "story_id", json_string((const char *) sqlite3_column_text(st, 1)));
            json_object_set_new(a, "reprints", json_loads((const char *) sqlite3_column_text(st, 2), 0, NULL));
        }
    }
    sqlite3_finalize(st);
    return a;
}
