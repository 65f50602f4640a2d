/* ww_units: how match-form text is cut into units, the one definition shared
 * by the FTS5 tokenizer and the watch matcher so that search and alerts agree:
 * a unit is a word (a run of letters and digits of a spaced script) or one CJK
 * character; everything else separates units and is not itself matched. */
#ifndef WW_UNITS_H
#define WW_UNITS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ww_unit_t {
    size_t start; /* byte offset in the text */
    size_t len;   /* bytes */
    bool cjk;     /* one CJK character (else a word) */
} ww_unit_t;

/* Calls fn for each unit in order; stops early if fn returns nonzero. Words
 * longer than 255 bytes are cut, so a token never exceeds that. */
typedef int (*ww_unit_fn)(const ww_unit_t *u, void *arg);
int ww_units_each(const char *text, size_t len, ww_unit_fn fn, void *arg);

/* The units of text as an array (caller frees); *count set. NULL if none. */
ww_unit_t *ww_units(const char *text, size_t len, size_t *count);

#endif
