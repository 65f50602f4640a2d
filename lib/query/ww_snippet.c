/* ww_snippet: locate a match in the match form, cut the display text. */
#include "ww_snippet.h"
#include "ww_buf.h"
#include "ww_units.h"
#include "ww_utf8.h"

#include <stdlib.h>
#include <string.h>

static size_t s_cp_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char) *s & 0xC0) != 0x80;
    return n;
}

/* Byte offset of the k-th code point of s. */
static size_t s_cp_offset(const char *s, size_t k)
{
    size_t i = 0, n = 0;
    for (; s[i] && n < k; i++)
        if (((unsigned char) s[i + 1] & 0xC0) != 0x80)
            n++;
    return i;
}

static char *s_cut(const char *para, size_t hit_cp, size_t hit_len_cp, size_t width)
{
    size_t total = s_cp_count(para);
    size_t lead = width / 4;
    size_t start = hit_cp > lead ? hit_cp - lead : 0;
    size_t end = start + width < total ? start + width : total;
    ww_buf_t b;
    ww_buf_init(&b, width * 4 + 32);
    if (start > 0)
        ww_buf_adds(&b, "…");
    size_t s0 = s_cp_offset(para, start), h0 = s_cp_offset(para, hit_cp);
    size_t h1 = s_cp_offset(para, hit_cp + hit_len_cp), e0 = s_cp_offset(para, end);
    if (hit_len_cp && h0 >= s0 && h1 <= e0) {
        ww_buf_add(&b, para + s0, h0 - s0);
        ww_buf_adds(&b, "**");
        ww_buf_add(&b, para + h0, h1 - h0);
        ww_buf_adds(&b, "**");
        ww_buf_add(&b, para + h1, e0 - h1);
    } else
        ww_buf_add(&b, para + s0, e0 - s0);
    if (end < total)
        ww_buf_adds(&b, "…");
    /* one line: the paragraphs an excerpt spans are joined by a space */
    char *out = ww_buf_take(&b);
    size_t o = 0;
    for (size_t i = 0; out && out[i]; i++)
        if (out[i] != '\n')
            out[o++] = out[i];
        else if (o > 0 && out[o - 1] != ' ')
            out[o++] = ' ';
    if (out)
        out[o] = 0;
    return out;
}

/* Longest paragraph folded one character at a time to find where a hit
 * lies in it: the work is a fold call per character. */
#define S_ALIGN_MAX_CHARS 4000

/* Where term lies in para, in para's code points, when folding changes the
 * number of characters (NFKC makes "Ⅱ" "ii", casefolding "ß" "ss"): para
 * folded one character at a time, each folded byte knowing the character
 * it came from. false if the term is not found that way (a fold that
 * needs context, such as a phrase of OpenCC's). */
static bool s_align(ww_fold_t *fold, const char *para, const char *term, size_t *hit_cp, size_t *hit_len_cp)
{
    size_t chars = s_cp_count(para);
    if (chars > S_ALIGN_MAX_CHARS || !*term)
        return false;
    ww_buf_t folded;
    ww_buf_init(&folded, strlen(para) * 8 + 64); /* NFKC grows a character by at most 18 */
    size_t cap = strlen(para) * 4 + 16, *owner = malloc(cap * sizeof *owner);
    bool found = false;
    size_t i = 0, cp = 0;
    while (owner && para[i]) {
        size_t n = 1;
        while (para[i + n] && ((unsigned char) para[i + n] & 0xC0) == 0x80)
            n++;
        char one[8] = {0};
        memcpy(one, para + i, n < sizeof one ? n : sizeof one - 1);
        char *f = ww_fold_text(fold, one);
        size_t flen = f ? strlen(f) : 0;
        if (folded.len + flen >= cap) {
            size_t *grown = realloc(owner, (cap = (folded.len + flen) * 2) * sizeof *owner);
            if (!grown) {
                free(f);
                break;
            }
            owner = grown;
        }
        for (size_t k = 0; k < flen; k++)
            owner[folded.len + k] = cp;
        int added = ww_buf_add(&folded, f ? f : "", flen);
        free(f);
        if (added < 0)
            break;
        i += n;
        cp++;
    }
    const char *text = folded.data ? folded.data : "";
    const char *hit = owner && !para[i] ? strstr(text, term) : NULL;
    if (hit) {
        size_t at = (size_t) (hit - text), last = at + strlen(term) - 1;
        *hit_cp = owner[at];
        *hit_len_cp = owner[last] - owner[at] + 1;
        found = true;
    }
    free(owner);
    ww_buf_free(&folded);
    return found;
}

char *ww_snippet(ww_fold_t *fold, const char *display, const char *const *terms, size_t width)
{
    const char *p = display ? display : "";
    while (*p) {
        const char *e = strstr(p, "\n\n");
        size_t plen = e ? (size_t) (e - p) : strlen(p);
        char *para = strndup(p, plen);
        char *m = ww_fold_text(fold, para);
        for (size_t t = 0; terms && terms[t] && m; t++) {
            const char *term = terms[t];
            const char *hit = strstr(m, term);
            char *closed = hit ? NULL : ww_units_closed_up(term);
            if (closed && (hit = strstr(m, closed)) != NULL)
                term = closed;
            if (!hit) {
                free(closed);
                continue;
            }
            size_t before = 0;
            for (const char *c = m; c < hit; c++)
                before += ((unsigned char) *c & 0xC0) != 0x80;
            size_t hit_len = s_cp_count(term);
            /* The match form keeps one character per character for Han text
             * and most other text; where it does not, the hit is found again
             * character by character, and failing that the paragraph's start
             * is shown. */
            bool aligned = s_cp_count(m) == s_cp_count(para);
            if (!aligned && s_align(fold, para, term, &before, &hit_len))
                aligned = true;
            char *out = s_cut(para, aligned ? before : 0, aligned ? hit_len : 0, width);
            free(closed);
            free(m);
            free(para);
            return out;
        }
        free(m);
        free(para);
        p = e ? e + 2 : p + plen;
    }
    return s_cut(display ? display : "", 0, 0, width);
}
