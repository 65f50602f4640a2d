/* bench_search: the time of given queries on an existing index, each run
 * twenty times, with 1 and with 20 hits returned (how much is finding and
 * ranking, how much is loading the hits). Prints its figures.
 *
 * usage: bench_search INDEX.db QUERY... */
#include "bench_clock.h"
#include "ww_fold.h"
#include "ww_index.h"
#include "ww_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s INDEX.db QUERY...\n", argv[0]);
        return 2;
    }
    char err[256];
    ww_index_t *ix = ww_index_open(argv[1], true, err, sizeof err);
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    if (!ix || !fold) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (int a = 2; a < argc; a++) {
        ww_query_t *q = ww_query_parse(argv[a], fold, 0, err, sizeof err);
        if (!q) {
            fprintf(stderr, "%s: %s\n", argv[a], err);
            continue;
        }
        for (int limit = 1; limit <= 20; limit += 19) {
            ww_search_t s = {q, 0, 0, NULL, limit, false};
            size_t n = 0;
            double t0 = bench_now();
            for (int i = 0; i < 20; i++) {
                json_t *h = ww_index_search(ix, &s, err, sizeof err);
                n = h ? json_array_size(h) : 0;
                json_decref(h);
            }
            printf("%-24s %2d hits: %8.2f ms\n", argv[a], (int) n, (bench_now() - t0) / 20 * 1000);
        }
        ww_query_destroy(&q);
    }
    ww_fold_destroy(&fold);
    ww_index_close(&ix);
    return 0;
}
