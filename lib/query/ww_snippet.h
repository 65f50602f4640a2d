/* ww_snippet: a short excerpt of an article's display text around the first
 * place a query term matches, in the article's own script (a traditional
 * article's snippet stays traditional), with the match marked **like this**. */
#ifndef WW_SNIPPET_H
#define WW_SNIPPET_H

#include <stddef.h>

#include "ww_fold.h"

/* terms: NULL-terminated match-form strings. Returns a snippet of about
 * width characters (caller frees); the text's start when nothing matches. */
char *ww_snippet(ww_fold_t *fold, const char *display, const char *const *terms, size_t width);

#endif
