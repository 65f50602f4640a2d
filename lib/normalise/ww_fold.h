/* ww_fold: the match form, the one normalisation used everywhere text is
 * compared (index, watches, queries): invalid UTF-8 replaced, NFKC casefold,
 * default-ignorable characters dropped, traditional and HK/TW variants folded
 * to simplified Chinese, white space collapsed to single spaces.
 *
 * The variant fold is OpenCC's, computed from its dictionaries by ww_t2s;
 * a ww_fold_t also caches per-character NFKC results, so use one per thread. */
#ifndef WW_FOLD_H
#define WW_FOLD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ww_fold_t ww_fold_t;

/* NULL with a reason in err when memory runs out. */
ww_fold_t *ww_fold_new(char *err, size_t errlen);
void ww_fold_destroy(ww_fold_t **self_p);

/* Returns the match form of text (caller frees), NULL on out of memory. */
char *ww_fold_text(ww_fold_t *self, const char *text);

/* Only the script fold (traditional/variants -> simplified), no case or width
 * folding: used to compare titles and to detect the script. Caller frees. */
char *ww_fold_script(ww_fold_t *self, const char *text);

#endif
