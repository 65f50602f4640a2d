/* ww_test: the smallest test harness that says what failed and where.
 * Each test program ends with WW_TEST_END, which prints "N passed, N failed"
 * and returns nonzero on any failure. */
#ifndef WW_TEST_H
#define WW_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ww_test_passed = 0, ww_test_failed = 0;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (cond)                                                                                                      \
            ww_test_passed++;                                                                                          \
        else {                                                                                                         \
            ww_test_failed++;                                                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                                   \
        }                                                                                                              \
    } while (0)

#define CHECK_STR(got, want)                                                                                           \
    do {                                                                                                               \
        const char *g_ = (got), *w_ = (want);                                                                          \
        if (g_ && w_ && strcmp(g_, w_) == 0)                                                                           \
            ww_test_passed++;                                                                                          \
        else {                                                                                                         \
            ww_test_failed++;                                                                                          \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got, g_ ? g_ : "(null)",    \
                    w_ ? w_ : "(null)");                                                                               \
        }                                                                                                              \
    } while (0)

#define WW_TEST_END()                                                                                                  \
    do {                                                                                                               \
        printf("%d passed, %d failed\n", ww_test_passed, ww_test_failed);                                              \
        return ww_test_failed ? 1 : 0;                                                                                 \
    } while (0)

/* Path of a file in the source tree (WW_SOURCE_DIR set by ctest). */
static inline const char *ww_test_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("WW_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

#endif
