/* ww_units: unit segmentation of match-form text. */
#include "ww_units.h"
#include "ww_utf8.h"

#include <stdlib.h>

#define S_MAX_WORD 255

int ww_units_each(const char *text, size_t len, ww_unit_fn fn, void *arg)
{
    size_t i = 0, word_start = 0;
    bool in_word = false;
    while (i < len) {
        uint32_t cp;
        size_t k = ww_utf8_decode(text + i, len - i, &cp);
        bool cjk = ww_is_cjk(cp);
        bool word = !cjk && ww_is_word_char(cp);
        if (in_word && (!word || i + k - word_start > S_MAX_WORD)) {
            ww_unit_t u = {word_start, i - word_start, false};
            int rc = fn(&u, arg);
            if (rc)
                return rc;
            in_word = false;
        }
        if (word && !in_word) {
            in_word = true;
            word_start = i;
        }
        if (cjk) {
            ww_unit_t u = {i, k, true};
            int rc = fn(&u, arg);
            if (rc)
                return rc;
        }
        i += k;
    }
    if (in_word) {
        ww_unit_t u = {word_start, len - word_start, false};
        return fn(&u, arg);
    }
    return 0;
}

typedef struct {
    ww_unit_t *items;
    size_t count, cap;
} s_list_t;

static int s_push(const ww_unit_t *u, void *arg)
{
    s_list_t *l = arg;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        ww_unit_t *n = realloc(l->items, cap * sizeof *n);
        if (!n)
            return -1;
        l->items = n;
        l->cap = cap;
    }
    l->items[l->count++] = *u;
    return 0;
}

ww_unit_t *ww_units(const char *text, size_t len, size_t *count)
{
    s_list_t l = {0};
    ww_units_each(text, len, s_push, &l);
    *count = l.count;
    return l.items;
}
