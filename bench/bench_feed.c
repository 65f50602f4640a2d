/* bench_feed: feed items parsed per second by ww_feed_parse on the given
 * files, each parsed repeatedly for at least the given seconds.
 *   bench_feed SECONDS FILE...
 * Prints one line per file and a total: "items/s N". */
#include "bench_clock.h"
#include "ww_feed.h"
#include "ww_paths.h"
#include "ww_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_feed SECONDS FILE...\n");
        return 2;
    }
    ww_service_tune_memory(); /* as the fetcher runs */
    double seconds = atof(argv[1]);
    double total_items = 0, total_time = 0;
    for (int f = 2; f < argc; f++) {
        size_t len;
        char *bytes = ww_read_file(argv[f], 64u << 20, &len);
        if (!bytes) {
            fprintf(stderr, "%s: cannot read\n", argv[f]);
            return 1;
        }
        double start = bench_now(), elapsed = 0;
        long runs = 0, items = 0;
        do {
            char err[256];
            json_t *feed = ww_feed_parse(bytes, len, NULL, "https://bench.example.org/feed", 100000, err, sizeof err);
            if (!feed) {
                fprintf(stderr, "%s: %s\n", argv[f], err);
                return 1;
            }
            items += (long) json_array_size(json_object_get(feed, "items"));
            json_decref(feed);
            runs++;
            elapsed = bench_now() - start;
        } while (elapsed < seconds);
        printf("%-40s %8.0f items/s\n", argv[f], (double) items / elapsed);
        total_items += (double) items;
        total_time += elapsed;
        free(bytes);
    }
    printf("items/s %.0f\n", total_items / total_time);
    return 0;
}
