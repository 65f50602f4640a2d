/* bench_clean: articles cleaned per second on one core, match form and
 * fingerprints included, over a folder of documents loaded into memory
 * first. Prints its figures; asserts nothing.
 *
 * usage: bench_clean DIR [SECONDS [ROUNDS]]
 * Every regular file in DIR is one document; they are cleaned round-robin
 * until SECONDS (default 5) have passed, or, with ROUNDS, exactly ROUNDS
 * times each (for instruction counts under callgrind). */
#include "bench_clock.h"
#include "ww_article.h"
#include "ww_paths.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *bytes;
    size_t len;
} s_doc_t;

static int s_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [SECONDS]\n", argv[0]);
        return 2;
    }
    double seconds = argc > 2 ? atof(argv[2]) : 5.0;
    long rounds = argc > 3 ? atol(argv[3]) : 0;
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
        }
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, s_name_cmp);
    s_doc_t *docs = calloc(count ? count : 1, sizeof *docs);
    size_t total_bytes = 0, ndocs = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        docs[ndocs].bytes = ww_read_file(path, 64u << 20, &docs[ndocs].len);
        if (docs[ndocs].bytes)
            total_bytes += docs[ndocs++].len;
        free(names[i]);
    }
    free(names);
    if (!ndocs) {
        fprintf(stderr, "%s: no documents\n", argv[1]);
        return 1;
    }
    char err[512];
    ww_cleaner_t *c = ww_cleaner_new(16u << 20, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cleaner: %s\n", err);
        return 1;
    }
    size_t done = 0, bytes = 0, failed = 0;
    double start = bench_now(), now = start;
    for (long round = 0; rounds ? round < rounds : now - start < seconds; round++) {
        for (size_t k = 0; k < ndocs; k++) {
            ww_doc_info_t info = {.kind = "file", .fetched_at = 1700000000};
            json_t *a = ww_cleaner_clean(c, docs[k].bytes, docs[k].len, &info, err, sizeof err);
            failed += a == NULL;
            json_decref(a);
            bytes += docs[k].len;
            done++;
        }
        now = bench_now();
    }
    double elapsed = now - start;
    printf("documents %zu (%.1f KB average), cleaned %zu in %.2f s: %.0f articles/s, %.1f MB/s, %zu refused\n", ndocs,
           (double) total_bytes / (double) ndocs / 1024.0, done, elapsed, (double) done / elapsed,
           (double) bytes / elapsed / 1e6, failed);
    ww_cleaner_destroy(&c);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].bytes);
    free(docs);
    return 0;
}
