/* ww_paragraphs: paragraph list and the boilerplate cut. */
#include "ww_paragraphs.h"
#include "ww_buf.h"
#include "ww_pinyin.h"
#include "ww_time.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    /* a leading bullet is a list marker, not text */
    static const char *const bullets[] = {"\xE2\x97\x8F", "\xE2\x80\xA2", "\xE2\x97\x86", "\xE2\x96\xA0",
                                          "\xE2\x96\xAA", "\xE2\x96\xBA", "\xE2\x96\xB6", "\xE2\x98\x85",
                                          "\xE2\x97\x87", "\xE2\x97\x8B", "\xE2\x97\x8E"}; /* ●•◆■▪►▶★◇○◎ */
    for (size_t b = 0; b < sizeof bullets / sizeof *bullets; b++)
        if (!strncmp(tidy, bullets[b], 3) && tidy[3]) {
            size_t skip = 3;
            while (tidy[skip] == ' ')
                skip++;
            if (tidy[skip]) {
                memmove(tidy, tidy + skip, strlen(tidy + skip) + 1);
                list_item = true;
            }
            break;
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

static inline bool s_starts(const char *s, const char *prefix)
{
    /* the first byte decides most calls without strncmp */
    return s[0] == prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Keywords are matched on the match form: simplified, lower case, ASCII
 * punctuation (NFKC turns ：｜（ into :|( ). */
static const char *s_editor_words[] = {"责任编辑", "流程编辑", "值班编辑", "实习编辑", "视频编辑", "图片编辑",
                                       "文字编辑", "美术编辑", "编辑",     "责编",     "校对",     "审核",
                                       "审校",     "监制",     "主编",     "终审",     "编审",     "editor"};
static const char *s_source_words[] = {"来源", "稿源", "本文来源", "文章来源", "转自", "source"};
static const char *s_original_title_words[] = {"原标题", "原题"};
static const char *s_byline_words[] = {"记者", "撰文",   "撰稿",     "作者",     "文/", "文|",
                                       "文 |", "通讯员", "本报记者", "特约记者", "by "};
/* Lines that promote an app, a QR code or an account, or carry a notice. */
static const char *s_promo_words[] = {"二维码",   "扫码",   "扫一扫",    "长按识别", "长按二维码", "客户端",
                                      "app",      "公众号", "点击进入",  "分享到",   "微信分享",   "打开",
                                      "阅读原文", "下载",   "关注我们",  "在看",     "点赞",       "蓝字",
                                      "星标",     "置顶",   "转发朋友圈"};
/* Prompts that sites put inside the text to push a click; short lines that
 * hold one go whatever their punctuation ("請繼續往下閱讀..."). */
static const char *s_prompt_words[] = {"继续往下阅读", "继续阅读",     "阅读全文",  "展开全文",        "查看全文",
                                       "点击查看",     "点击展开",     "剩余全文",  "全文阅读",        "加载中",
                                       "请稍候",       "浏览器不支持", "read more", "continue reading"};
/* Photo credits: "▲示意圖。（圖／記者…攝）", "图/新华社", "图片来源：…". */
static const char *s_credit_starts[] = {"\xE2\x96\xB2", "\xE2\x96\xB3", "\xE2\x96\xBC", "图/",
                                        "图片来源",     "摄影:",        "摄影/"}; /* ▲ △ ▼ */
static const char *s_credit_words[] = {"(图/", "(图片来源", "(摄影", "图片来源:"};
/* Notices: a paragraph that starts with one of the first list, or is short
 * and contains one of the second. */
static const char *s_notice_starts[] = {"版权声明", "免责声明", "声明:", "特别声明", "copyright", "\xc2\xa9"};
static const char *s_notice_words[] = {
    "版权所有",        "未经授权", "禁止转载", "转载请注明", "不得转载", "仅代表作者", "all rights reserved",
    "trust principles"};
/* Headings that start the tail of related links. */
static const char *s_tail_words[] = {"相关阅读",   "相关新闻",  "相关报道",  "相关链接", "延伸阅读", "推荐阅读",
                                     "热门推荐",   "猜你喜欢",  "更多精彩",  "相关文章", "热点推荐", "往期回顾",
                                     "相关内容",   "相关话题",  "相关推荐",  "为你推荐", "精彩推荐", "往期推荐",
                                     "大家都在看", "热读",      "更多新闻",  "更多阅读", "热门文章", "read next",
                                     "related",    "read more", "most read", "more from"};

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
static const char *s_name_keys[] = {"记者",   "記者",   "撰文", "撰稿", "作者", "文/", "文｜", "文|",
                                    "通讯员", "通訊員", "摄影", "攝影", "By ",  "by ", "BY "};

static bool s_name_char(uint32_t cp)
{
    return ww_is_han(cp) || cp == 0xB7 || cp == 0x30FB || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '.' || cp == '-';
}

static size_t s_seq_len(unsigned char b)
{
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/* Words after "By" that are a job or a joint, not a name. */
static const char *const s_not_names[] = {
    "staff",  "writer", "reporter",  "correspondent", "editor",   "and",      "in",      "at",
    "for",    "with",   "the",       "photo",         "photos",   "video",    "updated", "published",
    "posted", "on",     "january",   "february",      "march",    "april",    "may",     "june",
    "july",   "august", "september", "october",       "november", "december", "bbc",     "news"};

static bool s_not_name(const char *w, size_t n)
{
    for (size_t i = 0; i < N(s_not_names); i++)
        if (strlen(s_not_names[i]) == n && !strncasecmp(w, s_not_names[i], n))
            return true;
    return false;
}

static void s_add_name(ww_byline_t *by, const char *s, size_t n)
{
    char name[96];
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, s, n);
    name[n] = 0;
    size_t i;
    json_t *v;
    json_array_foreach(by->authors, i, v) if (!strcmp(json_string_value(v), name)) return;
    json_array_append_new(by->authors, json_string(name));
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
        bool han = false;
        while (i < len) {
            uint32_t cp;
            size_t k = ww_utf8_next(p + i, len - i, &cp);
            if (!s_name_char(cp))
                break;
            han |= ww_is_han(cp);
            i += k;
            nchars++;
        }
        if (!han && nchars >= 2) {
            /* Latin: a name is capitalised words up to a comma or "and" */
            size_t end = i;
            while (end < len && p[end] == ' ' && end + 1 < len && isupper((unsigned char) p[end + 1])) {
                size_t w = end + 1;
                while (w < len && (isalpha((unsigned char) p[w]) || p[w] == '.' || p[w] == '-' || p[w] == '\''))
                    w++;
                if (s_not_name(p + end + 1, w - end - 1))
                    break;
                end = w;
            }
            if (!s_not_name(p + start, i - start) && isupper((unsigned char) p[start])) {
                s_add_name(by, p + start, end - start);
                added++;
            } else if (s_not_name(p + start, i - start))
                break;
            i = end;
            if (i + 5 <= len && !strncasecmp(p + i, " and ", 5)) {
                i += 5;
                continue;
            }
        } else if (nchars >= 2 && (nchars <= 4 || (nchars <= 7 && i < len && isdigit((unsigned char) p[i])))) {
            /* A wire's dateline runs the place on: 記者陳怡君台北26日電. A
             * run that a date follows holds the place: Chinese names are
             * two or three characters. A longer run is a sentence
             * ("记者从市交警支队获悉"), not a name. */
            size_t take = i - start;
            if (i < len && isdigit((unsigned char) p[i]) && nchars >= 4) {
                size_t keep = nchars >= 5 ? 3 : 2, b = start;
                for (size_t c = 0; c < keep; c++)
                    b += s_seq_len((unsigned char) p[b]);
                take = b - start;
            }
            s_add_name(by, p + start, take);
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
    /* the value ends at a '|', a full-width space, two spaces, or the next
     * credit (记者, 图片编辑, 校对) */
    while (v[n] && v[n] != '|' && !s_starts(v + n, "\xEF\xBD\x9C") && !s_starts(v + n, "\xE8\xAE\xB0\xE8\x80\x85") &&
           !s_starts(v + n, "\xE8\xA8\x98\xE8\x80\x85") && !s_starts(v + n, "\xE3\x80\x80") && !s_starts(v + n, "  ") &&
           !s_starts(v + n, "\xE5\x9B\xBE\xE7\x89\x87") && !s_starts(v + n, "\xE6\xA0\xA1\xE5\xAF\xB9") &&
           !(n > 0 && (s_starts(v + n, "\xE8\xB4\xA3\xE4\xBB\xBB") || s_starts(v + n, "\xE7\xBC\x96\xE8\xBE\x91") ||
                       s_starts(v + n, "\xE4\xBD\x9C\xE8\x80\x85")))) /* 责任 编辑 作者 */
        n++;
    /* trailing spaces and the closing bracket of "(责编：韩庆)" */
    for (;;) {
        if (n > 0 && (v[n - 1] == ' ' || v[n - 1] == ')' || v[n - 1] == ']'))
            n--;
        else if (n >= 3 && (!strncmp(v + n - 3, "\xEF\xBC\x89", 3) || !strncmp(v + n - 3, "\xE3\x80\x91", 3) ||
                            !strncmp(v + n - 3, "\xE3\x80\x95", 3)))
            n -= 3; /* ） 】 〕 */
        else
            break;
    }
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

/* m without the brackets that wrap a whole credit line: (责编：…),
 * 【责任编辑:…】, [责任编辑：…], 〔…〕. Returns the start; *len the length. */
static const char *s_unwrap(const char *m, size_t *len)
{
    static const char *const opens[] = {"(", "[", "\xE3\x80\x90", "\xE3\x80\x94", "\xE3\x80\x8C"}; /* ( [ 【 〔 「 */
    static const char *const closes[] = {")", "]", "\xE3\x80\x91", "\xE3\x80\x95", "\xE3\x80\x8D"};
    size_t n = strlen(m);
    for (size_t i = 0; i < N(opens); i++) {
        size_t ol = strlen(opens[i]), cl = strlen(closes[i]);
        if (n > ol + cl && !strncmp(m, opens[i], ol) && !strcmp(m + n - cl, closes[i])) {
            *len = n - ol - cl;
            return m + ol;
        }
    }
    *len = n;
    return m;
}

/* Words a date line carries besides the date itself. */
static const char *s_dateline_words[] = {
    "来源于", "来源",   "发布时间",  "发布于",  "发布",     "更新时间", "更新",      "时间",    "日期", "星期",
    "周",     "hkt",    "cst",       "gmt",     "utc",      "posted",   "published", "updated", "on",   "by",
    "am",     "pm",     "a.m.",      "p.m.",    "january",  "february", "march",     "april",   "may",  "june",
    "july",   "august", "september", "october", "november", "december", "jan",       "feb",     "mar",  "apr",
    "jun",    "jul",    "aug",       "sep",     "sept",     "oct",      "nov",       "dec",     "mon",  "tue",
    "wed",    "thu",    "fri",       "sat",     "sun",      "年",       "月",        "日",      "时",   "分",
    "秒",     "号",     "点",        "一",      "二",       "三",       "四",        "五",      "六",   "天"};

/* True if m (a short line's match form) is a date line: it names a date
 * and, once the date, its separators and the words of s_dateline_words are
 * taken away, at most a short name (the outlet) is left. */
static bool s_dateline_like(const char *m)
{
    if (!strpbrk(m, "0123456789"))
        return false;
    ww_when_t when;
    if (ww_time_find_in_text(m, time(NULL), 0, &when) != 0 || when.estimated)
        return false;
    size_t left = 0, i = 0, len = strlen(m);
    bool in_word = false;
    while (i < len) {
        const char *w = NULL;
        for (size_t k = 0; k < N(s_dateline_words) && !w; k++)
            if (s_starts(m + i, s_dateline_words[k]))
                w = s_dateline_words[k];
        if (w) {
            i += strlen(w);
            in_word = false;
            continue;
        }
        uint32_t cp;
        size_t k = ww_utf8_next(m + i, len - i, &cp);
        i += k;
        bool sep = cp < 0x80 && !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
        if (sep || ww_is_space(cp) || cp == 0x3001) { /* digits, punctuation, spaces */
            in_word = false;
            continue;
        }
        if (cp < 0x80) { /* a Latin word counts once */
            if (!in_word)
                left++;
            in_word = true;
        } else {
            left++;
            in_word = false;
        }
        if (left > 12)
            return false;
    }
    return true;
}

static void s_append_line(char *dst, size_t dstlen, const char *line)
{
    size_t used = strlen(dst);
    if (used + strlen(line) + 2 < dstlen)
        snprintf(dst + used, dstlen - used, "%s%s", used ? "\n" : "", line);
}

/* Words that open a bracketed credit at the very end of an article:
 * "(完)", "（編輯：李佳穎）1121026", "【责任编辑:王五】". */
static const char *s_end_credit_words[] = {"完",       "end",  "编辑", "編輯", "责编", "責編", "责任编辑",
                                           "責任編輯", "记者", "記者", "校对", "校對", "编者", "編者"};

/* Removes one bracketed credit (and a date or staff code after it) from the
 * end of text, learning an editor's name; true if it removed one. */
static bool s_strip_end_credit(char *text, ww_byline_t *by)
{
    size_t n = strlen(text);
    while (n > 0 && (isdigit((unsigned char) text[n - 1]) || text[n - 1] == ' '))
        n--;                                                                        /* 1121026: the wire's date code */
    static const char *const closes[] = {")", "\xEF\xBC\x89", "\xE3\x80\x91", "]"}; /* ) ） 】 ] */
    static const char *const opens[] = {"(", "\xEF\xBC\x88", "\xE3\x80\x90", "["};
    for (size_t c = 0; c < N(closes); c++) {
        size_t cl = strlen(closes[c]);
        if (n < cl || strncmp(text + n - cl, closes[c], cl))
            continue;
        /* the matching opening bracket, within 40 bytes */
        for (size_t back = cl + 1; back <= n && back < 60; back++) {
            size_t at = n - back;
            for (size_t o = 0; o < N(opens); o++) {
                size_t ol = strlen(opens[o]);
                if (strncmp(text + at, opens[o], ol))
                    continue;
                const char *inner = text + at + ol;
                for (size_t w = 0; w < N(s_end_credit_words); w++)
                    if (!strncasecmp(inner, s_end_credit_words[w], strlen(s_end_credit_words[w]))) {
                        if (strncmp(s_end_credit_words[w], "完", 3) && strcasecmp(s_end_credit_words[w], "end") &&
                            !by->editor[0] &&
                            (strstr(s_end_credit_words[w], "\xE7\xBC\x96") ||  /* 编 */
                             strstr(s_end_credit_words[w], "\xE7\xB7\xA8") ||  /* 編 */
                             strstr(s_end_credit_words[w], "\xE8\xB4\xA3") ||  /* 责 */
                             strstr(s_end_credit_words[w], "\xE8\xB2\xAC"))) { /* 責 */
                            char inside[200];
                            size_t il = n - cl - at - ol;
                            if (il < sizeof inside) {
                                memcpy(inside, inner, il);
                                inside[il] = 0;
                                s_copy_value(by->editor, sizeof by->editor, inside, s_editor_keys, N(s_editor_keys));
                            }
                        }
                        text[at] = 0;
                        size_t t = at;
                        while (t > 0 && text[t - 1] == ' ')
                            text[--t] = 0;
                        return true;
                    }
            }
        }
    }
    return false;
}

enum { KEEP, DROP, TAIL };

/* Decides one paragraph from its match form m (of its head only, for long
 * paragraphs); learns metadata into by. */
static int s_classify(const ww_para_t *para, const char *whole_m, bool at_head, ww_byline_t *by)
{
    size_t chars = strlen(para->text) > S_SHORT_BYTES ? SIZE_MAX / 2 : s_chars(whole_m);
    if (chars == 0)
        return DROP;
    /* credit lines in brackets are read as if the brackets were not there */
    char unwrapped[512];
    const char *m = whole_m;
    if (chars <= 150) {
        size_t ul;
        const char *u = s_unwrap(whole_m, &ul);
        if (u != whole_m && ul < sizeof unwrapped) {
            memcpy(unwrapped, u, ul);
            unwrapped[ul] = 0;
            m = unwrapped;
        }
    }
    if (chars <= 30 && s_contains_any(m, s_prompt_words, N(s_prompt_words)))
        return DROP;
    if (chars <= 60 &&
        (s_starts_any(m, s_credit_starts, N(s_credit_starts)) || s_contains_any(m, s_credit_words, N(s_credit_words))))
        return DROP;
    /* a line that is only a date (with its source, time zone, weekday) */
    if (at_head && chars <= 60 && !strstr(m, "\xEF\xBC\x8C") && !strstr(m, "\xE3\x80\x82") && s_dateline_like(m)) {
        s_append_line(by->dateline, sizeof by->dateline, para->text);
        return DROP;
    }
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
            if (!by->credited_source[0] && !ww_source_line(para->text, by->credited_source, sizeof by->credited_source))
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
    if (chars <= 60 && (!s_ends_sentence(m) || chars <= 20) && s_contains_any(m, s_promo_words, N(s_promo_words)))
        return DROP;
    /* a byline names people; "记者：您是什么时候开始学的？" is a question */
    if (chars <= 40 && s_starts_any(m, s_byline_words, N(s_byline_words)) && !strpbrk(m, "?!,;") &&
        !strstr(m, "\xE3\x80\x82")) {
        ww_byline_names(para->text, by);
        return DROP;
    }
    /* Bylines opening a paragraph: 本报讯(记者 …), 新华社…电(记者 …),
     * 〔記者王冠仁／台中報導〕, （中央社記者陳怡君台北26日電） */
    const char *reporter = strstr(m, "\xE8\xAE\xB0\xE8\x80\x85"); /* "记者" */
    if (at_head && reporter && reporter - m < 60 && json_array_size(by->authors) == 0)
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
    bool in_tail = false, seen_text = false;
    for (size_t i = 0; i < p->count; i++) {
        /* Every rule below looks only at short paragraphs (a byline in a
         * long one is read from its first characters), so a long one is
         * folded whole only if it is kept. */
        size_t bytes = strlen(p->items[i].text);
        whole[i] = bytes <= S_SHORT_BYTES;
        forms[i] = whole[i] ? ww_fold_text(fold, p->items[i].text) : s_fold_head(fold, p->items[i].text);
        const char *m = forms[i] ? forms[i] : "";
        if (in_tail && s_short_line(&p->items[i], m)) {
            s_classify(&p->items[i], m, false, by); /* for the credits it may hold */
            verdict[i] = DROP;
            continue;
        }
        if (title_m && strcmp(m, title_m) == 0) {
            verdict[i] = DROP;
            continue;
        }
        verdict[i] = s_classify(&p->items[i], m, !seen_text, by);
        if (verdict[i] == KEEP && (s_chars(m) >= 60 || strstr(m, "\xEF\xBC\x8C") || strstr(m, "\xE3\x80\x82")))
            seen_text = true; /* date lines come before the text, not inside it */
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
    /* date lines after the text: "2023-09-01 HKT 14:40" */
    for (size_t i = p->count; i-- > 0;) {
        if (verdict[i] != KEEP)
            continue;
        const char *m = forms[i] ? forms[i] : "";
        if (!whole[i] || s_chars(m) > 60 || strstr(m, "\xEF\xBC\x8C") || strstr(m, "\xE3\x80\x82") ||
            !s_dateline_like(m))
            break;
        s_append_line(by->dateline, sizeof by->dateline, p->items[i].text);
        verdict[i] = DROP;
    }
    /* the last paragraph's closing credit: (完), （編輯：…）1121026 */
    for (size_t i = p->count; i-- > 0;) {
        if (verdict[i] != KEEP)
            continue;
        bool stripped = false;
        for (int k = 0; k < 3 && s_strip_end_credit(p->items[i].text, by); k++)
            stripped = true;
        if (stripped) {
            free(forms[i]);
            forms[i] = ww_fold_text(fold, p->items[i].text);
            whole[i] = true;
            if (!p->items[i].text[0])
                verdict[i] = DROP;
        }
        break;
    }
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

bool ww_source_line(const char *text, char *out, size_t outlen)
{
    out[0] = 0;
    const char *keys[] = {"来源于", "來源於", "来源", "來源", "稿源", "来自", "來自", "Source", "source"};
    const char *at = NULL;
    size_t kl = 0;
    for (size_t i = 0; i < N(keys); i++) {
        const char *f = strstr(text, keys[i]);
        if (f && (!at || f < at)) {
            at = f;
            kl = strlen(keys[i]);
        }
    }
    if (!at)
        return false;
    const char *v = at + kl;
    /* "来源于 财新网", "来源：人民网", "Source: Reuters", "来自北江晚报" */
    bool from = !strncmp(at, "\xE6\x9D\xA5\xE8\x87\xAA", 6) || !strncmp(at, "\xE4\xBE\x86\xE8\x87\xAA", 6);
    if (!from && !(*v == ' ' || *v == ':' || s_starts(v, "\xEF\xBC\x9A") || s_starts(v, "\xE3\x80\x80")))
        return false;
    v = s_skip_separators(v);
    size_t n = 0;
    while (v[n] && v[n] != '\n' && v[n] != '|' && v[n] != ' ' && !s_starts(v + n, "\xE3\x80\x80") &&
           !s_starts(v + n, "\xEF\xBD\x9C") && !s_starts(v + n, "\xE4\xBD\x9C\xE8\x80\x85") && /* 作者 */
           !s_starts(v + n, "\xE8\xAE\xB0\xE8\x80\x85") &&
           !s_starts(v + n, "\xE7\xBC\x96\xE8\xBE\x91") &&                 /* 记者 编辑 */
           !s_starts(v + n, "\xE5\x8F\x91\xE5\xB8\x83") && n < outlen - 1) /* 发布 */
        n++;
    while (n > 0 && ((unsigned char) v[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, v, n);
    out[n] = 0;
    return n > 0;
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
