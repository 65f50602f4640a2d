/* ww_units: how match-form text is cut into units, the one definition shared
 * by the FTS5 tokenizer and the watch matcher so that search and alerts agree:
 * a unit is a word (a run of letters and digits of a spaced script) or one CJK
 * character; everything else separates units and is not itself matched. */
#ifndef WW_UNITS_H
#define WW_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Eight bytes: an article has thousands and the matcher reads them all.
 * Texts are cut at WW_UNITS_MAX_TEXT bytes. */
typedef struct ww_unit_t {
    uint32_t start; /* byte offset in the text */
    uint16_t len;   /* bytes (a word is at most 255, a CJK character 4) */
    bool cjk;       /* one CJK character (else a word) */
} ww_unit_t;

#define WW_UNITS_MAX_TEXT ((size_t) UINT32_MAX)

/* Calls fn for each unit in order; stops early if fn returns nonzero. Words
 * longer than 255 bytes are cut, so a token never exceeds that. */
typedef int (*ww_unit_fn)(const ww_unit_t *u, void *arg);
int ww_units_each(const char *text, size_t len, ww_unit_fn fn, void *arg);

/* The units of text as an array (caller frees); *count set. NULL if none.
 * The same units as ww_units_each, by a faster path for ASCII and the
 * common Han block. */
ww_unit_t *ww_units(const char *text, size_t len, size_t *count);

/* True if a and b are CJK characters with nothing between them: only such
 * pairs make a bigram in the index, and a phrase's touching characters
 * must touch in the text too. */
static inline bool ww_units_touch(const ww_unit_t *a, const ww_unit_t *b)
{
    return a->cjk && b->cjk && b->start == a->start + a->len;
}

/* True if a and b are CJK characters that something parts (a space,
 * punctuation): a phrase matches them parted or touching. */
static inline bool ww_units_gap(const ww_unit_t *a, const ww_unit_t *b)
{
    return a->cjk && b->cjk && b->start != a->start + a->len;
}

/* text with what parts two CJK characters taken out ("防 汛" is "防汛"),
 * caller frees; NULL if text has no such gap (or memory runs out). */
char *ww_units_closed_up(const char *text);

#endif
