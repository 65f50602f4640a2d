/* ww_t2s: traditional and HK/TW variant Chinese to simplified, computed the
 * way OpenCC computes it for ww_fold's configuration, from OpenCC's own
 * dictionaries compiled into tables at build time (tools/opencc_tables).
 * OpenCC walks a marisa trie and builds C++ strings for every segment
 * (about 3 MB/s here); this walks a table indexed by code point and does
 * no allocation in the loop.
 *
 * The semantics copied from OpenCC 1.1: the text is first segmented by
 * maximal matching against TSPhrases (unmatched characters collect into one
 * segment); each segment then goes through two conversions in turn, each a
 * group of dictionaries where, at every position, the first dictionary of
 * the group with any key that prefixes the text gives its longest such key's
 * first value, and unmatched characters are copied. test_normalise compares
 * the result with OpenCC itself.
 *
 * The tables are built once per process, on first use, and shared; the
 * functions are safe to call from several threads. */
#ifndef WW_T2S_H
#define WW_T2S_H

#include "ww_buf.h"

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

/* Appends the conversion of len bytes of valid UTF-8 to out. Returns 0, or
 * -1 if out is full or the tables could not be built (out of memory). */
int ww_t2s_convert(const char *text, size_t len, ww_buf_t *out);

/* True if the conversion changes cp standing alone: it is a traditional or
 * regional form (for telling the script of a text, not for converting). */
bool ww_t2s_changes(uint32_t cp);
/* The same for the BMP as a bitmap (bit cp of byte cp / 8), NULL when the
 * tables could not be built: for loops over every character. */
const uint8_t *ww_t2s_changes_bmp(void);

/* Number of code points that occur in some dictionary key, and the i-th of
 * them (tests draw random text from them). */
size_t ww_t2s_key_char_count(void);
uint32_t ww_t2s_key_char(size_t i);

#endif
