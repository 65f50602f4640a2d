/* ww_pinyin: removes pinyin annotations that some sites put after every Han
 * character, as in 嚴(yán)防死守 or 嚴（yan2）, and keeps parentheses that are
 * not pinyin: (HK), (Xinhua), (1), (a), 社區(村). */
#ifndef WW_PINYIN_H
#define WW_PINYIN_H

#include <stdbool.h>
#include <stddef.h>

/* True if s (n bytes) is one pinyin syllable, with tone marks or a tone digit
 * allowed; *toned tells whether a tone was written. */
bool ww_pinyin_syllable(const char *s, size_t n, bool *toned);

/* Returns a copy of text without annotations; *removed counts them. An
 * annotation is a Han character followed by a parenthesised pinyin syllable.
 * Toneless syllables such as (men) are removed only in text that carries at
 * least two toned annotations, and never single letters, so "(a)" stays.
 * Caller frees. */
char *ww_pinyin_strip(const char *text, size_t *removed);

#endif
