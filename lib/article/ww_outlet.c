/* ww_outlet: site names from metadata and titles. */
#include "ww_outlet.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool s_has_cjk(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += ww_utf8_next(s + i, len - i, &cp);
        if (ww_is_cjk(cp))
            return true;
    }
    return false;
}

static char *s_trim(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n ? strndup(s, n) : NULL;
}

char *ww_outlet_clean(const char *value)
{
    if (!value)
        return NULL;
    const char *v = value;
    static const char *const labels[] = {"来源：", "來源：", "来源:", "來源:", "来源", "來源", "Source:", "source:"};
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        if (!strncmp(v, labels[i], strlen(labels[i]))) {
            v += strlen(labels[i]);
            break;
        }
    size_t n = strlen(v);
    /* "央视网(cctv.com)": a parenthesised aside at the end */
    if (n && v[n - 1] == ')') {
        const char *open = memrchr(v, '(', n);
        if (open && open > v)
            n = (size_t) (open - v);
    }
    char *out = s_trim(v, n);
    if (!out)
        return NULL;
    /* "中央社 CNA": a Latin word after a Chinese name */
    char *sp = strrchr(out, ' ');
    if (sp && s_has_cjk(out) && !s_has_cjk(sp + 1)) {
        bool latin = true;
        for (const char *c = sp + 1; *c && latin; c++)
            latin = isalnum((unsigned char) *c) || *c == '.';
        if (latin && sp > out)
            *sp = 0;
    }
    return out;
}

bool ww_outlet_platform(const char *name)
{
    static const char *const platforms[] = {"微信公众平台", "微信公众号", "搜狐号", "网易号", "百家号",
                                            "头条号",       "企鹅号",     "一点号", "大风号", "微信"};
    for (size_t i = 0; i < sizeof platforms / sizeof *platforms; i++)
        if (!strcmp(name, platforms[i]))
            return true;
    return false;
}

char *ww_outlet_from_title(const char *html_title, const char *headline, bool chinese)
{
    if (!html_title)
        return NULL;
    const char *rest = html_title;
    size_t hl = headline ? strlen(headline) : 0;
    if (hl && !strncmp(html_title, headline, hl))
        rest = html_title + hl;
    /* the parts after the headline, split at every separator */
    static const char *const seps[] = {"--", " _ ", "_", " - ", " | ", "|", " — ", "—", "－", "｜", " :: ", "-"};
    char *parts[16];
    size_t nparts = 0;
    const char *p = rest;
    while (*p && nparts < 16) {
        const char *cut = NULL;
        size_t cutlen = 0;
        for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
            const char *f = strstr(p, seps[i]);
            if (f && (!cut || f < cut)) {
                cut = f;
                cutlen = strlen(seps[i]);
            }
        }
        size_t n = cut ? (size_t) (cut - p) : strlen(p);
        char *part = s_trim(p, n);
        if (part)
            parts[nparts++] = part;
        if (!cut)
            break;
        p = cut + cutlen;
    }
    /* with no headline found at the start, the first part is the headline */
    size_t first = hl && rest != html_title ? 0 : 1;
    char *site = NULL;
    for (size_t i = nparts; i-- > first && !site;)
        if (!chinese || s_has_cjk(parts[i]))
            site = ww_outlet_clean(parts[i]);
    if (!site && nparts > first)
        site = ww_outlet_clean(parts[nparts - 1]);
    for (size_t i = 0; i < nparts; i++)
        free(parts[i]);
    return site;
}
