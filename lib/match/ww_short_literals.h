/* ww_short_literals: literals of at most eight bytes (one word, or one or
 * two touching CJK characters) found by looking an article's units up in a
 * hash table rather than by scanning its bytes.
 *
 * Why: Vectorscan's literal matcher slows down sharply when thousands of its
 * literals are one or two CJK characters, because they all share a handful
 * of UTF-8 lead bytes and every position of Chinese text passes its filter.
 * Measured on 73,761 watch literals and 4 KB articles: 59 us per article
 * with every literal in the database, 10 us once the short ones are left
 * out. The article is cut into units for evaluation anyway, so one table
 * probe per unit (two for a CJK character) finds the short ones.
 *
 * Runs of three CJK characters or more are filed under their first two
 * and checked byte for byte where those two occur: every such occurrence
 * is probed anyway, and random long runs rarely share a text's pairs, so
 * they cost almost nothing here while Vectorscan spent a quarter of the
 * matching time on them (100,000 watches, measured).
 *
 * A literal here is found only as whole units (a word equal to a text word,
 * CJK characters that touch in the text), which is exactly how a query term
 * matches, so the presearch stays a necessary condition. */
#ifndef WW_SHORT_LITERALS_H
#define WW_SHORT_LITERALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww_units.h"

#define WW_SHORT_LITERAL_MAX 8

typedef struct ww_short_literals_t ww_short_literals_t;

/* True if a literal (one word unit or one CJK run) of len bytes belongs in
 * this table. */
bool ww_short_literal_fits(size_t len);

/* A table for up to capacity literals. */
ww_short_literals_t *ww_short_literals_new(size_t capacity);
void ww_short_literals_destroy(ww_short_literals_t **self_p);
/* Adds a literal that fits under an id; a literal already there keeps its id. */
void ww_short_literals_add(ww_short_literals_t *self, const char *literal, size_t len, uint32_t id);
/* Adds a run of three or more CJK characters (len bytes) under an id.
 * False if it cannot be added (not such a run, table full, no memory). */
bool ww_short_literals_add_run(ww_short_literals_t *self, const char *run, size_t len, uint32_t id);
/* Ends adding; required before scanning when runs were added. */
void ww_short_literals_seal(ww_short_literals_t *self);
/* Distinct keys (literals and run prefixes). */
size_t ww_short_literals_count(const ww_short_literals_t *self);
size_t ww_short_literals_bytes(const ww_short_literals_t *self);

/* Calls fn(id, arg) for every occurrence of a literal among the units of
 * text (len bytes, ww_units order). */
typedef void (*ww_short_literal_fn)(uint32_t id, void *arg);
void ww_short_literals_scan(const ww_short_literals_t *self, const char *text, size_t len, const ww_unit_t *units,
                            size_t count, ww_short_literal_fn fn, void *arg);

#endif
