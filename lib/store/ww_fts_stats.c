/* ww_fts_stats: the wwstats() FTS5 auxiliary function and its blob. */
#include "ww_fts_stats.h"
#include "ww_tokenizer.h"

#include <stdlib.h>
#include <string.h>

static void s_put32(unsigned char **p, uint32_t v)
{
    memcpy(*p, &v, 4);
    *p += 4;
}

static void s_stats(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void) argc;
    (void) argv;
    int ncol = api->xColumnCount(fts), nphrase = api->xPhraseCount(fts);
    if (ncol > WW_FTS_MAX_COLUMNS)
        ncol = WW_FTS_MAX_COLUMNS;
    if (nphrase > WW_FTS_MAX_PHRASES)
        nphrase = WW_FTS_MAX_PHRASES;
    size_t len = 8 + (size_t) ncol * 8 + (size_t) nphrase * (size_t) ncol * 4;
    unsigned char *blob = sqlite3_malloc64(len), *p = blob;
    if (!blob) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    s_put32(&p, (uint32_t) nphrase);
    s_put32(&p, (uint32_t) ncol);
    /* The averages are the same for every row of a query, and FTS5 reads
     * them from the index anew at each xRowCount/xColumnTotalSize call:
     * read once, kept with the query (auxdata). */
    double *avg = api->xGetAuxdata(fts, 0);
    if (!avg) {
        avg = sqlite3_malloc64(sizeof *avg * WW_FTS_MAX_COLUMNS);
        if (!avg) {
            sqlite3_free(blob);
            sqlite3_result_error_nomem(ctx);
            return;
        }
        sqlite3_int64 rows = 0;
        api->xRowCount(fts, &rows);
        for (int c = 0; c < ncol; c++) {
            sqlite3_int64 total = 0;
            api->xColumnTotalSize(fts, c, &total);
            avg[c] = rows > 0 ? (double) total / (double) rows : 0;
        }
        if (api->xSetAuxdata(fts, avg, sqlite3_free) != SQLITE_OK) {
            sqlite3_free(blob);
            sqlite3_result_error_nomem(ctx);
            return; /* xSetAuxdata freed avg */
        }
    }
    memcpy(p, avg, (size_t) ncol * 8);
    p += (size_t) ncol * 8;
    uint32_t *hits = calloc((size_t) (nphrase ? nphrase : 1) * (size_t) (ncol ? ncol : 1), sizeof *hits);
    if (!hits) {
        sqlite3_free(blob);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    /* each phrase's hits per column, from its own position lists */
    for (int ph = 0; ph < nphrase; ph++) {
        Fts5PhraseIter it;
        int col = 0, off = 0;
        if (api->xPhraseFirst(fts, ph, &it, &col, &off) != SQLITE_OK)
            continue;
        for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
            if (col < ncol)
                hits[ph * ncol + col]++;
    }
    for (int i = 0; i < nphrase * ncol; i++)
        s_put32(&p, hits[i]);
    free(hits);
    sqlite3_result_blob(ctx, blob, (int) len, sqlite3_free);
}

int ww_fts_stats_register(sqlite3 *db)
{
    fts5_api *api = ww_fts5_api(db);
    if (!api)
        return SQLITE_ERROR;
    return api->xCreateFunction(api, "wwstats", NULL, s_stats, NULL);
}

int ww_fts_stats_decode(const void *blob, size_t len, ww_fts_stats_t *s)
{
    const unsigned char *p = blob;
    memset(s, 0, sizeof *s);
    if (!blob || len < 8)
        return -1;
    memcpy(&s->phrases, p, 4);
    memcpy(&s->columns, p + 4, 4);
    if (s->phrases > WW_FTS_MAX_PHRASES || s->columns > WW_FTS_MAX_COLUMNS ||
        len != 8 + (size_t) s->columns * 8 + (size_t) s->phrases * s->columns * 4)
        return -1;
    p += 8;
    memcpy(s->avg_sizes, p, s->columns * 8);
    p += s->columns * 8;
    for (uint32_t ph = 0; ph < s->phrases; ph++) {
        memcpy(s->hits[ph], p, s->columns * 4);
        p += s->columns * 4;
    }
    return 0;
}
