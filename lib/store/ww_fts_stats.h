/* ww_fts_stats: an FTS5 auxiliary function, wwstats(fts), that returns for
 * the current row what ranking needs, so that search can rank with BM25 in
 * C instead of with FTS5's bm25(), which counts the documents of every
 * phrase by reading its whole doclist (a one-character query over a large
 * archive reads most of the index before the first row).
 *
 * The blob it returns: uint32 phrase count P, uint32 column count C, then C
 * doubles of average column size over the table, then P*C uint32 hit
 * counts (phrase-major). The row's own length is not in it: the index
 * keeps no per-row sizes (columnsize=0) and stores the length itself. */
#ifndef WW_FTS_STATS_H
#define WW_FTS_STATS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define WW_FTS_MAX_COLUMNS 8
#define WW_FTS_MAX_PHRASES 16

/* Registers wwstats() on db; SQLITE_OK or an error code. */
int ww_fts_stats_register(sqlite3 *db);

/* A decoded wwstats() blob (phrases beyond WW_FTS_MAX_PHRASES dropped). */
typedef struct {
    uint32_t phrases, columns;
    double avg_sizes[WW_FTS_MAX_COLUMNS];
    uint32_t hits[WW_FTS_MAX_PHRASES][WW_FTS_MAX_COLUMNS];
} ww_fts_stats_t;

/* Decodes blob (len bytes) into s; 0, or -1 if it is not one. */
int ww_fts_stats_decode(const void *blob, size_t len, ww_fts_stats_t *s);

#endif
