/* ww_paragraphs: paragraph list and the boilerplate cut. */
#include "ww_paragraphs.h"
#include "ww_buf.h"
#include "ww_pinyin.h"
#include "ww_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Paragraphs longer than this (in bytes; 400 CJK characters) are never
 * boilerplate by any rule here. */
#define S_SHORT_BYTES 1200

void ww_paras_init(ww_paras_t *p, size_t max)
{
    memset(p, 0, sizeof *p);
    p->max = max;
}

void ww_paras_free(ww_paras_t *p)
{
    for (size_t i = 0; i < p->count; i++)
        free(p->items[i].text);
    free(p->items);
    memset(p, 0, sizeof *p);
}

/* True if the byte can start white space, U+FFFC or U+200B: ASCII space and
 * controls, and the lead bytes of U+00A0, U+1680, U+2000..U+205F, U+3000,
 * U+FEFF and U+FFFC. Other bytes are copied in runs. */
static inline bool s_maybe_space(unsigned char c)
{
    return c <= ' ' || c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 || c == 0xEF;
}

/* Trims white space and collapses inner runs to one space. */
static char *s_tidy(const char *s)
{
    size_t len = strlen(s), i = 0;
    ww_buf_t b;
    ww_buf_init(&b, len + 1);
    ww_buf_reserve(&b, len);
    bool pending = false;
    while (i < len) {
        size_t run = i;
        while (run < len && !s_maybe_space((unsigned char) s[run]))
            run++;
        if (run > i) {
            if (pending)
                ww_buf_addc(&b, ' ');
            pending = false;
            ww_buf_add(&b, s + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp;
        size_t k = ww_utf8_next(s + i, len - i, &cp);
        if (ww_is_space(cp) || cp == 0xFFFC || cp == 0x200B) {
            pending = b.len > 0;
        } else {
            if (pending)
                ww_buf_addc(&b, ' ');
            pending = false;
            ww_buf_add(&b, s + i, k);
        }
        i += k;
    }
    return ww_buf_take(&b);
}

int ww_paras_add(ww_paras_t *p, const char *text, bool list_item, bool heading, double link_density)
{
    char *tidy = s_tidy(text);
    if (!tidy || !*tidy) {
        free(tidy);
        return 0;
    }
    char *plain = ww_pinyin_strip(tidy, NULL);
    free(tidy);
    size_t n = strlen(plain);
    if (p->total + n > p->max) {
        free(plain);
        return -1;
    }
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        ww_para_t *ni = realloc(p->items, cap * sizeof *ni);
        if (!ni) {
            free(plain);
            return -1;
        }
        p->items = ni;
        p->cap = cap;
    }
    p->items[p->count++] = (ww_para_t){plain, list_item, heading, link_density};
    p->total += n;
    return 0;
}

void ww_byline_init(ww_byline_t *b)
{
    memset(b, 0, sizeof *b);
    b->authors = json_array();
}

void ww_byline_free(ww_byline_t *b)
{
    json_decref(b->authors);
    b->authors = NULL;
}

static size_t s_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char) *s & 0xC0) != 0x80;
    return n;
}

static bool s_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Keywords are matched on the match form: simplified, lower case, ASCII
 * punctuation (NFKC turns ：｜（ into :|( ). */
static const char *s_editor_words[] = {"责任编辑", "流程编辑", "值班编辑", "实习编辑", "编辑", "责编",  "校对",
                                       "审核",     "审校",     "监制",     "主编",     "终审", "editor"};
static const char *s_source_words[] = {"来源", "稿源", "本文来源", "文章来源", "转自", "source"};
static const char *s_original_title_words[] = {"原标题", "原题"};
static const char *s_byline_words[] = {"记者", "撰文",   "撰稿",     "作者",     "文/", "文|",
                                       "文 |", "通讯员", "本报记者", "特约记者", "by "};
/* Lines that promote an app, a QR code or an account, or carry a notice. */
static const char *s_promo_words[] = {"二维码",   "扫码", "扫一扫",   "长按识别", "长按二维码",
                                      "客户端",   "app",  "公众号",   "点击进入", "分享到",
                                      "微信分享", "打开", "阅读原文", "下载",     "关注我们"};
/* Notices: a paragraph that starts with one of the first list, or is short
 * and contains one of the second. */
static const char *s_notice_starts[] = {"版权声明", "免责声明", "声明:", "特别声明", "copyright", "\xc2\xa9"};
static const char *s_notice_words[] = {"版权所有",   "未经授权", "禁止转载",
                                       "转载请注明", "不得转载", "all rights reserved"};
/* Headings that start the tail of related links. */
static const char *s_tail_words[] = {"相关阅读", "相关新闻", "相关报道", "相关链接", "延伸阅读",
                                     "推荐阅读", "热门推荐", "猜你喜欢", "更多精彩", "相关文章",
                                     "热点推荐", "往期回顾", "related",  "read more"};

static const char *s_starts_any(const char *s, const char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s_starts(s, words[i]))
            return words[i];
    return NULL;
}

static bool s_contains_any(const char *s, const char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}
#define N(a) (sizeof a / sizeof a[0])

/* After a keyword: separators to skip before the value. */
static const char *s_skip_separators(const char *s)
{
    for (;;) {
        if (*s == ' ' || *s == ':' || *s == '|' || *s == '/' || *s == '-' || *s == '\t')
            s++;
        else if (s_starts(s, "\xEF\xBC\x9A") || s_starts(s, "\xEF\xBD\x9C") || s_starts(s, "\xE4\xB8\xA8") ||
                 s_starts(s, "\xE3\x80\x80"))
            s += 3; /* ： ｜ 丨 full-width space */
        else
            return s;
    }
}

/* Display-text keywords in both scripts, for finding names after them. */
static const char *s_name_keys[] = {"记者", "記者", "撰文",   "撰稿",   "作者", "文/",
                                    "文｜", "文|",  "通讯员", "通訊員", "By ",  "by "};

static bool s_name_char(uint32_t cp)
{
    return ww_is_han(cp) || cp == 0xB7 || cp == 0x30FB || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '.' || cp == '-';
}

int ww_byline_names(const char *text, ww_byline_t *by)
{
    const char *at = NULL;
    size_t keylen = 0;
    for (size_t i = 0; i < N(s_name_keys); i++) {
        const char *f = strstr(text, s_name_keys[i]);
        if (f && (!at || f < at)) {
            at = f;
            keylen = strlen(s_name_keys[i]);
        }
    }
    if (!at)
        return 0;
    const char *p = s_skip_separators(at + keylen);
    int added = 0;
    size_t len = strlen(p);
    size_t i = 0;
    while (i < len && added < 8) {
        size_t start = i, nchars = 0;
        while (i < len) {
            uint32_t cp;
            size_t k = ww_utf8_next(p + i, len - i, &cp);
            if (!s_name_char(cp))
                break;
            i += k;
            nchars++;
        }
        if (nchars >= 2 && nchars <= 20) {
            char name[96];
            size_t n = i - start < sizeof name - 1 ? i - start : sizeof name - 1;
            memcpy(name, p + start, n);
            name[n] = 0;
            json_array_append_new(by->authors, json_string(name));
            added++;
        } else if (nchars > 0)
            break;
        /* separators between names: space, 、, comma; anything else ends */
        if (i < len && (p[i] == ' ' || p[i] == ','))
            i++;
        else if (s_starts(p + i, "\xE3\x80\x81") || s_starts(p + i, "\xEF\xBC\x8C") || s_starts(p + i, "\xE3\x80\x80"))
            i += 3;
        else
            break;
    }
    return added;
}

static void s_copy_value(char *dst, size_t dstlen, const char *display, const char *const *keys, size_t nkeys)
{
    const char *at = NULL;
    size_t kl = 0;
    for (size_t i = 0; i < nkeys; i++) {
        const char *f = strstr(display, keys[i]);
        if (f && (!at || f < at)) {
            at = f;
            kl = strlen(keys[i]);
        }
    }
    const char *v = at ? s_skip_separators(at + kl) : display;
    size_t n = 0;
    /* the value ends at a '|' or a byline keyword */
    while (v[n] && v[n] != '|' && !s_starts(v + n, "\xEF\xBD\x9C") && !s_starts(v + n, "\xE8\xAE\xB0\xE8\x80\x85") &&
           !s_starts(v + n, "\xE8\xA8\x98\xE8\x80\x85"))
        n++;
    while (n > 0 && (v[n - 1] == ' '))
        n--;
    if (n >= dstlen)
        n = dstlen - 1;
    /* never cut a UTF-8 sequence in half */
    while (n > 0 && ((unsigned char) v[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, v, n);
    dst[n] = 0;
}

static const char *s_editor_keys[] = {"责任编辑", "責任編輯", "流程编辑", "编辑", "編輯",   "责编",  "責編",
                                      "校对",     "审核",     "监制",     "主编", "Editor", "editor"};
static const char *s_source_keys[] = {"来源", "來源", "稿源", "转自", "轉自", "Source", "source"};
static const char *s_origtitle_keys[] = {"原标题", "原標題", "原题", "原題"};

/* Removes a trailing staff code such as "SF055" from an editor's name. */
static void s_strip_staff_code(char *name)
{
    char *sp = strrchr(name, ' ');
    if (sp && sp[1] && strspn(sp + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(sp + 1))
        *sp = 0;
}

static bool s_ends_sentence(const char *s)
{
    size_t n = strlen(s);
    static const char *ends[] = {"。", "！", "？", "”", ".", "!", "?", "\"", "…", "」"};
    for (size_t i = 0; i < N(ends); i++) {
        size_t el = strlen(ends[i]);
        if (n >= el && !strcmp(s + n - el, ends[i]))
            return true;
    }
    return false;
}

enum { KEEP, DROP, TAIL };

/* Decides one paragraph from its match form m (of its head only, for long
 * paragraphs); learns metadata into by. */
static int s_classify(const ww_para_t *para, const char *m, ww_byline_t *by)
{
    size_t chars = strlen(para->text) > S_SHORT_BYTES ? SIZE_MAX / 2 : s_chars(m);
    if (chars == 0)
        return DROP;
    if (chars <= 60 && s_starts_any(m, s_editor_words, N(s_editor_words))) {
        const char *w = s_starts_any(m, s_editor_words, N(s_editor_words));
        const char *rest = m + strlen(w);
        if (*rest == ':' || *rest == ' ' || *rest == '|' || *rest == 0 || s_starts(rest, "\xE3\x80\x80")) {
            if (!by->editor[0]) {
                s_copy_value(by->editor, sizeof by->editor, para->text, s_editor_keys, N(s_editor_keys));
                s_strip_staff_code(by->editor);
            }
            return DROP;
        }
    }
    if (chars <= 150 && s_starts_any(m, s_original_title_words, N(s_original_title_words))) {
        s_copy_value(by->original_title, sizeof by->original_title, para->text, s_origtitle_keys, N(s_origtitle_keys));
        return DROP;
    }
    const char *src = chars <= 100 ? s_starts_any(m, s_source_words, N(s_source_words)) : NULL;
    if (src && chars <= 100) {
        const char *rest = m + strlen(src);
        if (*rest == ':' || *rest == ' ' || *rest == '|') {
            if (!by->credited_source[0])
                s_copy_value(by->credited_source, sizeof by->credited_source, para->text, s_source_keys,
                             N(s_source_keys));
            ww_byline_names(para->text, by);
            return DROP;
        }
    }
    if (chars <= 30 && s_starts_any(m, s_tail_words, N(s_tail_words)))
        return TAIL;
    if (chars <= 400 && s_starts_any(m, s_notice_starts, N(s_notice_starts)))
        return TAIL;
    if (chars <= 200 && s_contains_any(m, s_notice_words, N(s_notice_words)))
        return TAIL;
    if (chars <= 60 && !s_ends_sentence(m) && s_contains_any(m, s_promo_words, N(s_promo_words)))
        return DROP;
    if (chars <= 40 && s_starts_any(m, s_byline_words, N(s_byline_words))) {
        ww_byline_names(para->text, by);
        return DROP;
    }
    /* Bylines opening a paragraph: 本报讯(记者 …) or 新华社…电(记者 …) */
    const char *paren = strstr(m, "(\xE8\xAE\xB0\xE8\x80\x85"); /* "(记者" */
    if (paren && paren - m < 60 && json_array_size(by->authors) == 0)
        ww_byline_names(para->text, by);
    if (para->link_density > 0.6 && chars <= 80)
        return DROP;
    return KEEP;
}

/* A line of a link list: a short list item (whatever its punctuation, as
 * headlines end in ? or !), or a short line that is not a sentence. */
static bool s_short_line(const ww_para_t *p, const char *m)
{
    if (strlen(p->text) > S_SHORT_BYTES)
        return false;
    if (p->list_item)
        return s_chars(m) <= 80;
    return s_chars(m) <= 40 && !s_ends_sentence(m);
}

/* The match form of a long paragraph's first characters (for bylines such as
 * 本报讯(记者 …)), marked so no length rule can take the paragraph. */
static char *s_fold_head(ww_fold_t *fold, const char *text)
{
    size_t n = 180;
    while (n > 0 && ((unsigned char) text[n] & 0xC0) == 0x80)
        n--;
    char *head = strndup(text, n);
    char *m = ww_fold_text(fold, head);
    free(head);
    return m;
}

char *ww_paras_cut(ww_paras_t *p, ww_fold_t *fold, const char *title_m, ww_byline_t *by)
{
    if (title_m && !*title_m)
        title_m = NULL;
    char **forms = calloc(p->count ? p->count : 1, sizeof *forms);
    int *verdict = calloc(p->count ? p->count : 1, sizeof *verdict);
    bool *whole = calloc(p->count ? p->count : 1, sizeof *whole);
    if (!forms || !verdict || !whole) {
        free(forms);
        free(verdict);
        free(whole);
        return NULL;
    }
    bool in_tail = false;
    for (size_t i = 0; i < p->count; i++) {
        /* Every rule below looks only at short paragraphs (a byline in a
         * long one is read from its first characters), so a long one is
         * folded whole only if it is kept. */
        size_t bytes = strlen(p->items[i].text);
        whole[i] = bytes <= S_SHORT_BYTES;
        forms[i] = whole[i] ? ww_fold_text(fold, p->items[i].text) : s_fold_head(fold, p->items[i].text);
        const char *m = forms[i] ? forms[i] : "";
        if (in_tail && s_short_line(&p->items[i], m)) {
            verdict[i] = DROP;
            continue;
        }
        if (title_m && strcmp(m, title_m) == 0) {
            verdict[i] = DROP;
            continue;
        }
        verdict[i] = s_classify(&p->items[i], m, by);
        if (verdict[i] == TAIL) {
            in_tail = true;
            verdict[i] = DROP;
        } else if (verdict[i] == KEEP)
            in_tail = false;
    }
    /* A trailing run of three or more short list lines is a link list. */
    size_t end = p->count;
    while (end > 0 && verdict[end - 1] == DROP)
        end--;
    size_t run = 0;
    while (run < end && verdict[end - 1 - run] == KEEP && p->items[end - 1 - run].list_item &&
           s_short_line(&p->items[end - 1 - run], forms[end - 1 - run] ? forms[end - 1 - run] : ""))
        run++;
    if (run >= 3)
        for (size_t k = end - run; k < end; k++)
            verdict[k] = DROP;
    size_t o = 0;
    ww_buf_t match;
    ww_buf_init(&match, p->max * 2 + 16);
    for (size_t i = 0; i < p->count; i++) {
        if (verdict[i] == KEEP) {
            if (!whole[i]) {
                free(forms[i]);
                forms[i] = ww_fold_text(fold, p->items[i].text);
            }
            if (forms[i] && *forms[i]) {
                if (match.len)
                    ww_buf_addc(&match, ' ');
                ww_buf_adds(&match, forms[i]);
            }
            p->items[o++] = p->items[i];
        } else {
            by->removed++;
            p->total -= strlen(p->items[i].text);
            free(p->items[i].text);
        }
        free(forms[i]);
    }
    p->count = o;
    free(forms);
    free(verdict);
    free(whole);
    if (match.full) {
        ww_buf_free(&match);
        return NULL;
    }
    return ww_buf_take(&match);
}

char *ww_paras_join(const ww_paras_t *p)
{
    ww_buf_t b;
    ww_buf_init(&b, p->total + 2 * p->count + 1);
    for (size_t i = 0; i < p->count; i++) {
        if (i)
            ww_buf_adds(&b, "\n\n");
        ww_buf_adds(&b, p->items[i].text);
    }
    return ww_buf_take(&b);
}
