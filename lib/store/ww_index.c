/* ww_index: SQLite/FTS5 implementation of the article archive. */
#include "ww_index.h"
#include "ww_stmt_cache.h"
#include "ww_message.h"
#include "ww_utc.h"
#include "ww_db.h"
#include "ww_doc_pack.h"
#include "ww_units.h"
#include "ww_fts_stats.h"

#include <czmq.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Schema 4. articles holds what searches filter, sort and group on, small
 * rows that stay cached; article_texts (same rowid) the metadata as JSON,
 * the body and the match form deflated together (ww_doc_pack), read for the
 * hits shown. The full-text index is contentless: FTS5 keeps only its
 * index, not another copy of the text, and a row is deleted by giving FTS5
 * back the values it indexed, which the packed texts hold.
 *
 * The article's rowid is its FTS5 rowid. (FTS5 reads doclists forwards
 * faster than backwards, but minus the rowid, to read the newest first
 * forwards, made every insert flush FTS5's pending terms: it wants rowids
 * to grow.) The body is the first column: a term's positions in the first
 * column need no column marker, two bytes saved for each term of each
 * article. A new file's table uses version 2 of the tokenizer; one made
 * before keeps version 1 (ww_tokenizer.h), which it needs to delete rows. */
static const char s_schema[] =
    "CREATE TABLE IF NOT EXISTS articles("
    " rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, story_id TEXT NOT NULL,"
    " content_hash TEXT NOT NULL, simhash INTEGER NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL,"
    " url TEXT NOT NULL, published INTEGER NOT NULL, fetched INTEGER NOT NULL,"
    " sources TEXT NOT NULL DEFAULT '[]', tokens INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS article_texts(rowid INTEGER PRIMARY KEY, texts BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);"
    "CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id);"
    "CREATE INDEX IF NOT EXISTS articles_published ON articles(published);"
    /* ids of reprints absorbed by another article */
    "CREATE TABLE IF NOT EXISTS aliases(id TEXT PRIMARY KEY, article_rowid INTEGER NOT NULL) WITHOUT ROWID;"
    /* SimHash split in six bands (11,11,11,11,10,10 bits): two hashes within
     * distance 5 share at least one band exactly (pigeonhole), so candidates
     * come from an index lookup, not from comparing against everything. The
     * row carries the hash, so a lookup reads only this table; the story of
     * the nearest is then read from its article. */
    "CREATE TABLE IF NOT EXISTS simbands(band INTEGER NOT NULL, value INTEGER NOT NULL,"
    " article_rowid INTEGER NOT NULL, simhash INTEGER NOT NULL,"
    " PRIMARY KEY(band, value, article_rowid)) WITHOUT ROWID;"
    /* columnsize=0: the article's length for ranking is articles.tokens,
     * read with its date, not one more lookup in a docsize table */
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(body, title, source, author,"
    " tokenize='wirewatch 2', content='', columnsize=0, detail=full);"
    "PRAGMA user_version=6;";

/* How many of the most recent articles in a SimHash band are compared: a
 * near-duplicate is news of the same days, not of last year. */
#define S_NEAR_RECENT 64

struct ww_index_t {
    sqlite3 *db;
    char *path;
    ww_stmt_cache_t *stmts;
    ww_doc_packer_t *packer;
};

/* Frees what self holds beside its connection. */
static void s_release(ww_index_t *self)
{
    ww_stmt_cache_destroy(&self->stmts);
    ww_doc_packer_destroy(&self->packer);
}

static int s_fts_row(ww_index_t *self, int64_t rowid, json_t *article, bool delete);
static void s_bands(ww_index_t *self, int64_t rowid, uint64_t simhash, bool remove);
static int64_t s_tokens(json_t *article);
static int s_put_texts(ww_index_t *self, int64_t rowid, const void *packed, size_t len);

/* Moves a schema-1 index to schema 6 in one transaction: each article's
 * JSON and the match form its FTS5 table held become one packed document,
 * indexed anew in a contentless table. */
static int s_migrate_v1(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = ww_db_open(path, false, NULL, err, errlen);
    if (!db)
        return -1;
    zsys_info("index %s: moving to the packed layout (schema 6)", path);
    ww_index_t tmp = {
        .db = db, .path = (char *) path, .stmts = ww_stmt_cache_new(db, path), .packer = ww_doc_packer_new()};
    int rc = ww_db_exec(db, "BEGIN IMMEDIATE;"
                            "DROP INDEX IF EXISTS articles_hash; DROP INDEX IF EXISTS articles_story;"
                            "DROP INDEX IF EXISTS articles_published;"
                            "ALTER TABLE articles RENAME TO articles_v1; ALTER TABLE simbands RENAME TO simbands_v1;"
                            "ALTER TABLE articles_fts RENAME TO articles_fts_v1;");
    if (rc == 0)
        rc = ww_db_exec(db, s_schema);
    sqlite3_stmt *st = NULL, *ins = NULL;
    if (rc == 0 &&
        (sqlite3_prepare_v2(db,
                            "SELECT a.rowid, a.id, a.story_id, a.content_hash, a.simhash, a.title, a.source, a.url,"
                            " a.published, a.fetched, a.sources, a.article, a.updated,"
                            " f.title, f.body, f.source, f.author"
                            " FROM articles_v1 a JOIN articles_fts_v1 f ON f.rowid = a.rowid",
                            -1, &st, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(db,
                            "INSERT INTO articles(rowid, id, story_id, content_hash, simhash, title, source, url,"
                            " published, fetched, sources, updated, tokens)"
                            " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                            -1, &ins, NULL) != SQLITE_OK))
        rc = -1;
    size_t moved = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = json_loads((const char *) sqlite3_column_text(st, 11), 0, NULL);
        if (!a) {
            rc = -1;
            break;
        }
        json_object_set_new(a, "match",
                            json_pack("{s:s, s:s, s:s, s:s}", "title", (const char *) sqlite3_column_text(st, 13),
                                      "body", (const char *) sqlite3_column_text(st, 14), "source",
                                      (const char *) sqlite3_column_text(st, 15), "author",
                                      (const char *) sqlite3_column_text(st, 16)));
        size_t plen = 0;
        void *packed = NULL;
        int packed_rc = ww_doc_pack(tmp.packer, a, &packed, &plen);
        for (int c = 0; c <= 10; c++)
            sqlite3_bind_value(ins, c + 1, sqlite3_column_value(st, c));
        sqlite3_bind_value(ins, 12, sqlite3_column_value(st, 12));
        sqlite3_bind_int64(ins, 13, s_tokens(a));
        int64_t rowid = sqlite3_column_int64(st, 0);
        if (packed_rc < 0 || sqlite3_step(ins) != SQLITE_DONE || s_put_texts(&tmp, rowid, packed, plen) < 0 ||
            s_fts_row(&tmp, rowid, a, false) < 0)
            rc = -1;
        else if (json_is_true(json_object_get(a, "has_body")))
            s_bands(&tmp, rowid, (uint64_t) sqlite3_column_int64(st, 4), false);
        sqlite3_reset(ins);
        free(packed);
        json_decref(a);
        moved++;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    s_release(&tmp);
    if (rc == 0)
        rc = ww_db_exec(db, "DROP TABLE articles_fts_v1; DROP TABLE articles_v1; DROP TABLE simbands_v1; COMMIT;");
    if (rc != 0) {
        snprintf(err, errlen, "cannot move %s to the packed layout: %s", path, sqlite3_errmsg(db));
        ww_db_exec(db, "ROLLBACK");
    } else
        zsys_info("index %s: %zu articles moved", path, moved);
    ww_db_close(&db);
    return rc;
}

/* The schema version of an existing file (0 for a new one, 1 for the first
 * layout, whose articles kept a JSON column and whose FTS5 kept content). */
static int s_version(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return 0;
    }
    int version = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version == 0 &&
        sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name='articles'", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            version = 1;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return version;
}

ww_index_t *ww_index_open(const char *path, bool readonly, char *err, size_t errlen)
{
    int version = s_version(path);
    if (version == 1 && readonly) {
        snprintf(err, errlen,
                 "%s is in the first index layout; the indexer moves it to the current one when it next"
                 " starts (wirewatch up)",
                 path);
        return NULL;
    }
    if (version >= 2 && version <= 5) {
        /* layouts 2 to 5 lived only between commits of one development
         * day; nothing released wrote them */
        snprintf(err, errlen,
                 "%s is in a development layout (%d) that this build does not read; move it aside and ingest again",
                 path, version);
        return NULL;
    }
    if (version == 1 && s_migrate_v1(path, err, errlen) < 0)
        return NULL;
    sqlite3 *db = ww_db_open(path, readonly, readonly ? NULL : s_schema, err, errlen);
    if (!db)
        return NULL;
    /* Searches read the index through a memory map (no copy of each page
     * into SQLite's cache): a query touches thousands of pages of a large
     * archive. The writer does not: every page it ever read stayed mapped
     * and counted in its resident memory, which grew with the archive
     * (196 -> 628 MB over 130,000 articles); its bounded page cache serves
     * it as well. */
    ww_db_exec(db, readonly ? "PRAGMA mmap_size=2147418112; PRAGMA cache_size=-65536" : "PRAGMA cache_size=-65536");
    ww_index_t *self = calloc(1, sizeof *self);
    self->db = db;
    self->path = strdup(path);
    self->packer = readonly ? NULL : ww_doc_packer_new();
    self->stmts = ww_stmt_cache_new(db, path);
    /* FTS5 writes its pending terms out as a new segment when they pass
     * hashsize (1 MB by default): at a few hundred articles a batch that
     * was several segments a transaction, each merged again later. One
     * segment per batch halves the merging; automerge 8 (of 4) lets more
     * segments wait a level before they are merged, and ww_index_merge
     * catches up when the indexer is idle. Both settings live in the file,
     * set when its tables are made, so that an operator may change them. */
    if (!readonly && version != 6 &&
        ww_db_exec(db, "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 16777216);"
                       "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 8)") != 0)
        zsys_warning("index %s: cannot set the FTS5 merge settings; the defaults apply", path);
    if ((!readonly && !self->packer) || !self->stmts) {
        snprintf(err, errlen, "%s: out of memory", path);
        ww_index_close(&self);
    }
    return self;
}

void ww_index_close(ww_index_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_index_t *self = *self_p;
    s_release(self);
    ww_db_close(&self->db);
    free(self->path);
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

/* The statement for sql, prepared once per connection (ww_stmt_cache.h);
 * give it back with s_done, never finalize it. */
static sqlite3_stmt *s_prep(ww_index_t *self, const char *sql)
{
    return ww_stmt_get(self->stmts, sql);
}

static void s_done(ww_index_t *self, sqlite3_stmt *st)
{
    ww_stmt_done(self->stmts, st);
}

/* One 'merge' command of FTS5; 1 if it wrote anything (FTS5's own
 * test: the changes count moves by more than the command's one row). */
static int s_merge_step(ww_index_t *self, int pages)
{
    sqlite3_stmt *st = s_prep(self, "INSERT INTO articles_fts(articles_fts, rank) VALUES('merge', ?1)");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, pages);
    int before = sqlite3_total_changes(self->db);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc)
        zsys_error("index %s: merge: %s", self->path, sqlite3_errmsg(self->db));
    s_done(self, st);
    return rc ? -1 : sqlite3_total_changes(self->db) - before > 1;
}

int ww_index_merge(ww_index_t *self, int pages)
{
    /* First carry on the merges FTS5 has begun and those of levels with
     * usermerge (4) segments; once there are none, merge any level of two
     * segments or more (a negative count), so that calls end in one
     * segment, what 'optimize' makes at once. */
    int did = s_merge_step(self, pages);
    return did == 0 ? s_merge_step(self, -pages) : did;
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
    s_done(self, st);
    return rowid;
}

/* The values a row is indexed with: the article's match form. */
static void s_match_fields(json_t *article, const char *v[4])
{
    json_t *m = json_object_get(article, "match");
    v[0] = ww_json_str(m, "title");
    v[1] = ww_json_str(m, "body");
    v[2] = ww_json_str(m, "source");
    v[3] = ww_json_str(m, "author");
}

static int s_count_unit(const ww_unit_t *u, void *arg)
{
    (void) u;
    (*(int64_t *) arg)++;
    return 0;
}

/* The article's length in token positions over the indexed columns, as
 * the tokenizer lays them out (one per unit; bigrams share a position). */
static int64_t s_tokens(json_t *article)
{
    const char *v[4];
    s_match_fields(article, v);
    int64_t n = 0;
    for (int i = 0; i < 4; i++)
        ww_units_each(v[i], strlen(v[i]), s_count_unit, &n);
    return n;
}

/* Adds (or, with delete, removes) a row of the contentless index: a
 * removal must give back exactly the values the row was indexed with. */
static int s_fts_row(ww_index_t *self, int64_t rowid, json_t *article, bool delete)
{
    sqlite3_stmt *st =
        s_prep(self, delete ? "INSERT INTO articles_fts(articles_fts, rowid, title, body, source, author)"
                              " VALUES('delete', ?1, ?2, ?3, ?4, ?5)"
                            : "INSERT INTO articles_fts(rowid, title, body, source, author) VALUES(?1,?2,?3,?4,?5)");
    if (!st)
        return -1;
    const char *v[4];
    s_match_fields(article, v);
    sqlite3_bind_int64(st, 1, rowid);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_text(st, 2 + i, v[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc)
        zsys_error("index %s: fts %s: %s", self->path, delete ? "delete" : "insert", sqlite3_errmsg(self->db));
    s_done(self, st);
    return rc;
}

/* Stores (or replaces) the packed metadata and texts of rowid. */
static int s_put_texts(ww_index_t *self, int64_t rowid, const void *packed, size_t len)
{
    sqlite3_stmt *st = s_prep(self, "INSERT OR REPLACE INTO article_texts(rowid, texts) VALUES(?1, ?2)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rowid);
    sqlite3_bind_blob(st, 2, packed, (int) len, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc)
        zsys_error("index %s: texts of %" PRId64 ": %s", self->path, rowid, sqlite3_errmsg(self->db));
    s_done(self, st);
    return rc;
}

/* The stored article of rowid, whole (NULL if absent or damaged). */
static json_t *s_load_doc(ww_index_t *self, int64_t rowid)
{
    sqlite3_stmt *st = s_prep(self, "SELECT texts FROM article_texts WHERE rowid=?1");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, rowid);
    json_t *a = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        a = ww_doc_join(sqlite3_column_blob(st, 0), (size_t) sqlite3_column_bytes(st, 0));
    s_done(self, st);
    return a;
}

#define S_BANDS 6
static const int s_band_shift[S_BANDS] = {0, 11, 22, 33, 44, 54};
static const int s_band_bits[S_BANDS] = {11, 11, 11, 11, 10, 10};

static int s_band_value(uint64_t simhash, int b)
{
    return (int) ((simhash >> s_band_shift[b]) & ((1ULL << s_band_bits[b]) - 1));
}

/* Files rowid under its six band values (or, with remove, takes it out). */
static void s_bands(ww_index_t *self, int64_t rowid, uint64_t simhash, bool remove)
{
    sqlite3_stmt *st = s_prep(self, remove ? "DELETE FROM simbands WHERE band=?1 AND value=?2 AND article_rowid=?3"
                                           : "INSERT OR REPLACE INTO simbands(band, value, article_rowid, simhash)"
                                             " VALUES(?1,?2,?3,?4)");
    if (!st)
        return;
    for (int b = 0; b < S_BANDS; b++) {
        sqlite3_bind_int(st, 1, b);
        sqlite3_bind_int(st, 2, s_band_value(simhash, b));
        sqlite3_bind_int64(st, 3, rowid);
        if (!remove)
            sqlite3_bind_int64(st, 4, (int64_t) simhash);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    s_done(self, st);
}

/* Story of the nearest earlier article within distance, or "" if none. */
static void s_near_story(ww_index_t *self, uint64_t simhash, int distance, bool has_body, char *story, size_t len)
{
    story[0] = 0;
    if (!has_body || distance <= 0)
        return;
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT simhash, article_rowid FROM simbands WHERE band=?1 AND value=?2"
             " ORDER BY article_rowid DESC LIMIT %d",
             S_NEAR_RECENT);
    sqlite3_stmt *st = s_prep(self, sql);
    if (!st)
        return;
    int best = distance + 1;
    int64_t nearest = 0;
    for (int b = 0; b < S_BANDS; b++) {
        sqlite3_bind_int(st, 1, b);
        sqlite3_bind_int(st, 2, s_band_value(simhash, b));
        while (sqlite3_step(st) == SQLITE_ROW) {
            uint64_t other = (uint64_t) sqlite3_column_int64(st, 0);
            int d = __builtin_popcountll(other ^ simhash);
            if (d < best) {
                best = d;
                nearest = sqlite3_column_int64(st, 1);
            }
        }
        sqlite3_reset(st);
    }
    s_done(self, st);
    sqlite3_stmt *of = nearest ? s_prep(self, "SELECT story_id FROM articles WHERE rowid=?1") : NULL;
    if (of) {
        sqlite3_bind_int64(of, 1, nearest);
        if (sqlite3_step(of) == SQLITE_ROW)
            snprintf(story, len, "%s", (const char *) sqlite3_column_text(of, 0));
        s_done(self, of);
    }
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
    s_done(self, st);
    sqlite3_stmt *al = s_prep(self, "INSERT OR IGNORE INTO aliases(id, article_rowid) VALUES(?1, ?2)");
    if (al) {
        sqlite3_bind_text(al, 1, ww_json_str(article, "id"), -1, SQLITE_STATIC);
        sqlite3_bind_int64(al, 2, rowid);
        sqlite3_step(al);
        s_done(self, al);
    }
    return rc;
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
        sqlite3_stmt *st =
            s_prep(self, "SELECT id, story_id, content_hash, title, simhash FROM articles WHERE rowid=?1");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, existing);
        if (sqlite3_step(st) != SQLITE_ROW) {
            s_done(self, st);
            return -1;
        }
        const char *holder = (const char *) sqlite3_column_text(st, 0);
        snprintf(res->story_id, sizeof res->story_id, "%s", (const char *) sqlite3_column_text(st, 1));
        snprintf(res->article_id, sizeof res->article_id, "%s", holder);
        bool same = !strcmp((const char *) sqlite3_column_text(st, 2), hash) &&
                    !strcmp((const char *) sqlite3_column_text(st, 3), ww_json_str(article, "title"));
        bool is_alias = strcmp(holder, id) != 0;
        uint64_t old_simhash = (uint64_t) sqlite3_column_int64(st, 4);
        s_done(self, st);
        if (same || is_alias) {
            res->outcome = WW_UPSERT_UNCHANGED;
            return 0;
        }
        /* the old version leaves the index with the values it went in with */
        json_t *old = s_load_doc(self, existing);
        if (!old || s_fts_row(self, existing, old, true) < 0) {
            json_decref(old);
            zsys_error("index %s: cannot read the stored version of %s to replace it", self->path, id);
            return -1;
        }
        json_decref(old);
        s_bands(self, existing, old_simhash, true);
        size_t packed_len = 0;
        void *packed = NULL;
        sqlite3_stmt *up = ww_doc_pack(self->packer, article, &packed, &packed_len) == 0
                               ? s_prep(self, "UPDATE articles SET content_hash=?2, simhash=?3, title=?4, source=?5,"
                                              " url=?6, published=?7, tokens=?8,"
                                              " updated=strftime('%s','now') WHERE rowid=?1")
                               : NULL;
        if (!up) {
            free(packed);
            return -1;
        }
        sqlite3_bind_int64(up, 1, existing);
        sqlite3_bind_text(up, 2, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 3, (int64_t) simhash);
        sqlite3_bind_text(up, 4, ww_json_str(article, "title"), -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 5, ww_json_str(article, "source"), -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 6, ww_json_str(article, "url"), -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 7, (int64_t) ww_utc_parse(ww_json_str(article, "published")));
        sqlite3_bind_int64(up, 8, s_tokens(article));
        int rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
        s_done(self, up);
        if (rc == 0)
            rc = s_put_texts(self, existing, packed, packed_len);
        free(packed);
        if (rc == 0)
            rc = s_fts_row(self, existing, article, false);
        if (rc == 0 && has_body)
            s_bands(self, existing, simhash, false);
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
            s_done(self, st);
            res->outcome = WW_UPSERT_REPRINT;
            return s_add_source(self, rowid, article);
        }
        s_done(self, st);
    }

    /* 3. A new article: near-duplicates share a story, others open one. */
    s_near_story(self, simhash, simhash_distance, has_body, res->story_id, sizeof res->story_id);
    if (!res->story_id[0]) {
        snprintf(res->story_id, sizeof res->story_id, "s-%.24s", hash[0] ? hash : id);
        res->new_story = true;
    }
    size_t packed_len = 0;
    void *packed = NULL;
    sqlite3_stmt *ins = ww_doc_pack(self->packer, article, &packed, &packed_len) == 0
                            ? s_prep(self, "INSERT INTO articles(id, story_id, content_hash, simhash, title, source,"
                                           " url, published, fetched, tokens, updated)"
                                           " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,strftime('%s','now'))")
                            : NULL;
    if (!ins) {
        free(packed);
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
    sqlite3_bind_int64(ins, 10, s_tokens(article));
    int rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
    if (rc)
        zsys_error("index %s: insert %s: %s", self->path, id, sqlite3_errmsg(self->db));
    s_done(self, ins);
    int64_t rowid = sqlite3_last_insert_rowid(self->db);
    if (rc == 0)
        rc = s_put_texts(self, rowid, packed, packed_len);
    free(packed);
    if (rc || s_fts_row(self, rowid, article, false) < 0)
        return -1;
    if (has_body)
        s_bands(self, rowid, simhash, false);
    res->outcome = WW_UPSERT_NEW;
    return 0;
}

/* ---------------------------------------------------------------------------
 * Search
 *
 * Ranking every match costs time in proportion to the matches, and a
 * one-character query matches most of the archive, so the newest
 * WW_SEARCH_CANDIDATES matches are ranked (FTS5 walks rowids newest first
 * and stops). They are ranked here with BM25 (k1 1.2, b 0.75; weights
 * title 8, body 1, source 2, author 2) from wwstats(): FTS5's own bm25()
 * first counts every phrase's documents over the whole archive, which for
 * common characters is most of the index. The inverse document frequency
 * is taken over the candidates instead: among the newest matches, a phrase
 * that few of them hold weighs more.
 */

/* A candidate as ranking needs it, small: 2,000 of them are sorted. */
typedef struct {
    int64_t rowid;
    int64_t published;
    int64_t tokens; /* the article's length */
    double score;
    float tf[WW_FTS_MAX_PHRASES]; /* each phrase's hits, weighted by column */
} s_cand_t;

/* in the FTS5 table's column order: body, title, source, author */
static const double s_weights[4] = {1.0, 8.0, 2.0, 2.0};

static int s_by_score(const void *a, const void *b)
{
    const s_cand_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->rowid < y->rowid ? 1 : -1;
}

static int s_by_time(const void *a, const void *b)
{
    const s_cand_t *x = a, *y = b;
    if (x->published != y->published)
        return x->published < y->published ? 1 : -1;
    return x->rowid < y->rowid ? 1 : -1;
}

/* Scores the candidates; phrases: how many the query has (as wwstats saw
 * them), avgdl: the table's average article length. */
static void s_bm25(s_cand_t *c, size_t n, uint32_t phrases, double avgdl)
{
    const double k1 = 1.2, b = 0.75;
    double idf[WW_FTS_MAX_PHRASES];
    for (uint32_t p = 0; p < phrases; p++) {
        size_t holding = 0;
        for (size_t i = 0; i < n; i++)
            holding += c[i].tf[p] > 0;
        double v = log(((double) n - (double) holding + 0.5) / ((double) holding + 0.5));
        idf[p] = v > 1e-6 ? v : 1e-6; /* as FTS5 does: never zero or below */
    }
    for (size_t i = 0; i < n; i++) {
        double norm = k1 * (1 - b + b * (avgdl > 0 ? (double) c[i].tokens / avgdl : 1));
        double score = 0;
        for (uint32_t p = 0; p < phrases; p++)
            score += idf[p] * c[i].tf[p] * (k1 + 1) / (c[i].tf[p] + norm);
        c[i].score = score;
    }
}

/* Most rows a search checks with the watch matcher when its FTS5
 * expression is wider than the query (ww_query_to_fts): tens of
 * microseconds each, so a search stays under a second. */
#define S_SEARCH_CHECKS 10000

/* True if the stored article at rowid satisfies q, as the watch matcher
 * decides it. */
static bool s_matches(ww_index_t *self, int64_t rowid, const ww_query_t *q, int64_t published)
{
    sqlite3_stmt *st = s_prep(self, "SELECT texts FROM article_texts WHERE rowid=?1");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, rowid);
    bool yes = false;
    ww_doc_texts_t t;
    if (sqlite3_step(st) == SQLITE_ROW &&
        ww_doc_unpack(sqlite3_column_blob(st, 0), (size_t) sqlite3_column_bytes(st, 0), (size_t) 1 << 28, WW_DOC_TEXTS,
                      &t) == 0) {
        ww_qdoc_t doc = {t.text[WW_DOC_MATCH_TITLE], t.text[WW_DOC_MATCH_BODY], t.text[WW_DOC_MATCH_SOURCE],
                         t.text[WW_DOC_MATCH_AUTHOR], (time_t) published};
        ww_qprep_t *prep = ww_qprep_new(&doc);
        yes = prep && ww_query_matches(q, prep);
        ww_qprep_destroy(&prep);
        ww_doc_texts_free(&t);
    }
    s_done(self, st);
    return yes;
}

json_t *ww_index_search(ww_index_t *self, const ww_search_t *s, char *err, size_t errlen)
{
    /* Matches newest first; each one's date, length and source from its
     * article row, filters applied here, until enough are taken: with a
     * filter, older matches are read on until the window is full, so that
     * a date range in the past finds what it holds. */
    sqlite3_stmt *st = s_prep(self, "SELECT f.rowid, wwstats(articles_fts), a.published, a.tokens, a.source"
                                    " FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
                                    " WHERE articles_fts MATCH ?1 ORDER BY f.rowid DESC");
    if (!st) {
        snprintf(err, errlen, "search failed: %s", sqlite3_errmsg(self->db));
        return NULL;
    }
    bool superset = false;
    char *fts = ww_query_to_fts(s->query, &superset, err, errlen);
    if (!fts) {
        s_done(self, st);
        return NULL;
    }
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_TRANSIENT);
    free(fts);
    size_t checked = 0;
    s_cand_t *cands = calloc(WW_SEARCH_CANDIDATES, sizeof *cands);
    size_t n = 0;
    int rc = SQLITE_DONE;
    uint32_t phrases = 0;
    double avgdl = 0;
    ww_fts_stats_t stats;
    while (cands && n < WW_SEARCH_CANDIDATES && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        s_cand_t *c = &cands[n];
        c->rowid = sqlite3_column_int64(st, 0);
        if (ww_fts_stats_decode(sqlite3_column_blob(st, 1), (size_t) sqlite3_column_bytes(st, 1), &stats) != 0)
            continue;
        c->published = sqlite3_column_int64(st, 2);
        c->tokens = sqlite3_column_int64(st, 3);
        if ((s->since && c->published < (int64_t) s->since) || (s->until && c->published >= (int64_t) s->until) ||
            (s->source && strcmp((const char *) sqlite3_column_text(st, 4), s->source) != 0))
            continue;
        if (superset) {
            if (checked++ == S_SEARCH_CHECKS)
                break; /* what the index narrowed to is mostly not the query's */
            if (!s_matches(self, c->rowid, s->query, c->published))
                continue;
        }
        phrases = stats.phrases;
        avgdl = 0;
        for (uint32_t col = 0; col < stats.columns; col++)
            avgdl += stats.avg_sizes[col];
        for (uint32_t p = 0; p < stats.phrases; p++) {
            double tf = 0;
            for (uint32_t col = 0; col < stats.columns && col < 4; col++)
                tf += s_weights[col] * stats.hits[p][col];
            c->tf[p] = (float) tf;
        }
        n++;
    }
    bool failed = !cands || (rc != SQLITE_DONE && rc != SQLITE_ROW);
    if (failed)
        snprintf(err, errlen, "search failed: %s", cands ? sqlite3_errmsg(self->db) : "out of memory");
    s_done(self, st);
    if (failed) {
        free(cands);
        return NULL;
    }
    s_bm25(cands, n, phrases, avgdl);
    qsort(cands, n, sizeof *cands, s->newest_first ? s_by_time : s_by_score);
    size_t limit = s->limit > 0 ? (size_t) s->limit : 20;
    if (limit > n)
        limit = n;

    json_t *hits = json_array();
    sqlite3_stmt *row = s_prep(self, "SELECT a.id, a.title, a.source, a.published, a.url, a.story_id,"
                                     " a.sources, t.texts FROM articles a JOIN article_texts t ON t.rowid = a.rowid"
                                     " WHERE a.rowid=?1");
    for (size_t i = 0; row && i < limit; i++) {
        sqlite3_bind_int64(row, 1, cands[i].rowid);
        if (sqlite3_step(row) == SQLITE_ROW) {
            /* the metadata and the body, inflated no further */
            ww_doc_texts_t texts;
            json_t *stored = NULL;
            if (ww_doc_unpack(sqlite3_column_blob(row, 7), (size_t) sqlite3_column_bytes(row, 7), (size_t) 1 << 28,
                              WW_DOC_BODY + 1, &texts) == 0) {
                stored = json_loads(texts.text[WW_DOC_META], 0, NULL);
                if (stored)
                    json_object_set_new(stored, "body", json_string(texts.text[WW_DOC_BODY]));
                ww_doc_texts_free(&texts);
            }
            json_t *sources = json_loads((const char *) sqlite3_column_text(row, 6), 0, NULL);
            char when[32];
            ww_utc_format((time_t) sqlite3_column_int64(row, 3), when, sizeof when);
            json_t *hit = json_pack(
                "{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:o, s:O?, s:O?, s:O?, s:O?}", "id",
                (const char *) sqlite3_column_text(row, 0), "title", (const char *) sqlite3_column_text(row, 1),
                "source", (const char *) sqlite3_column_text(row, 2), "published", when, "url",
                (const char *) sqlite3_column_text(row, 4), "story_id", (const char *) sqlite3_column_text(row, 5),
                "rank", cands[i].score, "reprints", sources ? sources : json_array(), "body",
                json_object_get(stored, "body"), "authors", json_object_get(stored, "authors"), "published_estimated",
                json_object_get(stored, "published_estimated"), "language", json_object_get(stored, "language"));
            if (hit)
                json_array_append_new(hits, hit);
            json_decref(stored);
        }
        sqlite3_reset(row);
    }
    s_done(self, row);
    free(cands);
    return hits;
}

static int64_t s_scalar(ww_index_t *self, const char *sql)
{
    sqlite3_stmt *st = s_prep(self, sql);
    if (!st)
        return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    s_done(self, st);
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
    sqlite3_stmt *st = s_prep(self, "SELECT t.texts, a.story_id, a.sources FROM articles a"
                                    " JOIN article_texts t ON t.rowid = a.rowid WHERE a.rowid=?1");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, rowid);
    json_t *a = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        a = ww_doc_join(sqlite3_column_blob(st, 0), (size_t) sqlite3_column_bytes(st, 0));
        if (a) {
            json_object_del(a, "match");
            json_object_set_new(a, "story_id", json_string((const char *) sqlite3_column_text(st, 1)));
            json_object_set_new(a, "reprints", json_loads((const char *) sqlite3_column_text(st, 2), 0, NULL));
        }
    }
    s_done(self, st);
    return a;
}
