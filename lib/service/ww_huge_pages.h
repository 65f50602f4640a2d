/* ww_huge_pages: asks glibc's malloc to back the heap with transparent huge
 * pages, for the programs whose hot data is a large heap read at random.
 *
 * FTS5's pending-term hash (the indexer) and the watch matcher's postings
 * (the notifier) are tens to hundreds of MB touched at random; with 4 KB
 * pages nearly every probe also misses the TLB. glibc (2.35 and later)
 * madvises its heap for huge pages only when the tunable
 * glibc.malloc.hugetlb=1 is set before the program starts, so the program
 * sets it and executes itself again, once. Indexing 8,000 articles
 * (bench_index): 830-881 -> 1,207-1,308 documents/s. */
#ifndef WW_HUGE_PAGES_H
#define WW_HUGE_PAGES_H

#include <stdbool.h>

/* Returns at once when the tunable is already set (by us or the operator),
 * when WIREWATCH_NO_HUGE_PAGES is set, when the kernel has transparent huge
 * pages off, or when the re-execution fails (the program then runs on with
 * 4 KB pages); otherwise it does not return. Call it first thing in main,
 * before any thread or file exists, with main's argv. */
void ww_prefer_huge_pages(char **argv);

/* True if this process runs with the tunable set (what a benchmark prints). */
bool ww_huge_pages_asked(void);

#endif
