/* ww_article: document type detection, metadata reconciliation and the
 * article JSON the cleaner sends on. */
#include "ww_article.h"
#include "ww_buf.h"
#include "ww_encoding.h"
#include "ww_fold.h"
#include "ww_frontmatter.h"
#include "ww_hash.h"
#include "ww_html.h"
#include "ww_outlet.h"
#include "ww_paragraphs.h"
#include "ww_pinyin.h"
#include "ww_t2s.h"
#include "ww_time.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ww_cleaner_t {
    ww_fold_t *fold;     /* match-form converter */
    size_t max_document; /* cap on input bytes and on decoded text */
};

ww_cleaner_t *ww_cleaner_new(size_t max_document, char *err, size_t errlen)
{
    ww_cleaner_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->fold = ww_fold_new(err, errlen);
    if (!self->fold) {
        free(self);
        return NULL;
    }
    self->max_document = max_document;
    return self;
}

void ww_cleaner_destroy(ww_cleaner_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_fold_destroy(&(*self_p)->fold);
    free(*self_p);
    *self_p = NULL;
}

char *ww_cleaner_fold(ww_cleaner_t *self, const char *text)
{
    return ww_fold_text(self->fold, text ? text : "");
}

/* ---------------------------------------------------------------------------
 * Small text helpers
 */

static const char *s_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v) && json_string_length(v) > 0)
        return json_string_value(v);
    if (json_is_array(v) && json_is_string(json_array_get(v, 0)))
        return json_string_value(json_array_get(v, 0));
    return NULL;
}

/* Trimmed, pinyin-free, whitespace-collapsed single line. Caller frees. */
static char *s_clean_line(const char *s)
{
    if (!s)
        return NULL;
    ww_paras_t p;
    ww_paras_init(&p, 64 * 1024);
    ww_paras_add(&p, s, false, false, 0);
    char *out = p.count ? strdup(p.items[0].text) : NULL;
    ww_paras_free(&p);
    return out;
}

/* Removes a site suffix such as "_新浪财经" or " - Reuters" from a page title. */
static char *s_strip_site_suffix(const char *title, const char *h1)
{
    if (h1 && *h1 && strstr(title, h1))
        return strdup(h1);
    static const char *seps[] = {" _ ", "_", " - ", " | ", "|", " — ", "—", "－", "｜", " :: "};
    const char *cut = NULL;
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        const char *f = strstr(title, seps[i]);
        /* keep at least 4 bytes of headline before the separator */
        if (f && f - title >= 4 && (!cut || f < cut))
            cut = f;
    }
    if (!cut)
        return strdup(title);
    return strndup(title, (size_t) (cut - title));
}

/* Words that make an "author" the outlet rather than a person. */
static bool s_outlet_like(const char *name, json_t *categories)
{
    size_t i;
    json_t *v;
    if (json_is_array(categories))
        json_array_foreach(categories, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), name)) return true;
    static const char *suffixes[] = {"财经", "網",     "网",      "报",      "報",     "社",    "新闻",   "新聞",
                                     "日报", "晚报",   "时报",    "電視台",  "电视台", "频道",  "客户端", "周刊",
                                     "杂志", "在线",   "官微",    "发布",    "中心",   "News",  "Press",  "Times",
                                     "Post", "Agency", "Reuters", "Journal", "Daily",  "Media", "Network"};
    size_t n = strlen(name);
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        size_t sl = strlen(suffixes[k]);
        if (n >= sl && !strcmp(name + n - sl, suffixes[k]))
            return true;
    }
    return false;
}

static void s_add_author(json_t *authors, const char *name)
{
    if (!name || !*name)
        return;
    size_t i;
    json_t *v;
    json_array_foreach(authors, i, v) if (!strcmp(json_string_value(v), name)) return;
    json_array_append_new(authors, json_string(name));
}

/* Letters by script, to tell language and script. */
typedef struct {
    size_t han, traditional, latin, kana, hangul;
} s_scripts_t;

static void s_count_scripts(const char *text, s_scripts_t *c)
{
    size_t len = strlen(text), i = 0;
    const uint8_t *changes = ww_t2s_changes_bmp();
    while (i < len && i < 200000) {
        uint32_t cp;
        i += ww_utf8_next(text + i, len - i, &cp);
        if (cp >= 0x4E00 && cp <= 0x9FFF) { /* the common Han block first */
            c->han++;
            c->traditional += changes ? (changes[cp >> 3] >> (cp & 7)) & 1 : 0;
        } else if (ww_is_han(cp)) {
            c->han++;
            c->traditional += ww_t2s_changes(cp);
        } else if (cp >= 0x3040 && cp <= 0x30FF)
            c->kana++;
        else if (cp >= 0xAC00 && cp <= 0xD7AF)
            c->hangul++;
        else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
            c->latin++;
    }
}

static void s_language(const char *title, const char *body, const char *declared, char *lang, size_t langlen)
{
    s_scripts_t c = {0};
    s_count_scripts(title, &c);
    s_count_scripts(body, &c);
    if (c.kana * 10 > c.han && c.kana > 20) {
        snprintf(lang, langlen, "ja");
        return;
    }
    if (c.hangul > c.han && c.hangul * 2 > c.latin) {
        snprintf(lang, langlen, "ko");
        return;
    }
    if (c.han * 3 >= c.latin / 4 + 1 && c.han > 0) {
        /* Traditional when a noticeable share of the Han characters are
         * traditional or regional forms. */
        snprintf(lang, langlen, "%s", c.traditional * 25 > c.han ? "zh-Hant" : "zh-Hans");
        return;
    }
    if (declared && *declared) {
        snprintf(lang, langlen, "%.15s", declared);
        return;
    }
    snprintf(lang, langlen, c.latin ? "en" : "und");
}

/* ---------------------------------------------------------------------------
 * Plain text and Markdown bodies
 */

/* Replaces Markdown inline syntax by its text: [t](u) -> t, ![a](s) -> image. */
static char *s_markdown_inline(const char *line, json_t *images)
{
    ww_buf_t b;
    size_t len = strlen(line);
    ww_buf_init(&b, len + 1);
    for (size_t i = 0; i < len;) {
        bool image = line[i] == '!' && i + 1 < len && line[i + 1] == '[';
        if (line[i] == '[' || image) {
            size_t open = image ? i + 1 : i;
            const char *close = strstr(line + open, "](");
            const char *end = close ? strchr(close + 2, ')') : NULL;
            if (close && end && !memchr(line + open + 1, '\n', (size_t) (close - line - open - 1))) {
                if (image) {
                    char *src = strndup(close + 2, (size_t) (end - close - 2));
                    char *alt = strndup(line + open + 1, (size_t) (close - line - open - 1));
                    if (json_array_size(images) < 100)
                        json_array_append_new(images, json_pack("{s:s,s:s}", "src", src, "caption", alt));
                    free(src);
                    free(alt);
                } else
                    ww_buf_add(&b, line + open + 1, (size_t) (close - line - open - 1));
                i = (size_t) (end - line) + 1;
                continue;
            }
        }
        if ((line[i] == '*' || line[i] == '_') && i + 1 < len && line[i + 1] == line[i]) {
            i += 2;
            continue;
        }
        if (line[i] == '`') {
            i++;
            continue;
        }
        ww_buf_addc(&b, line[i]);
        i++;
    }
    return ww_buf_take(&b);
}

/* Splits text into paragraphs: one per line, except that a text wrapped at
 * short line lengths with blank lines between paragraphs is re-joined. */
static void s_text_paragraphs(const char *text, bool markdown, ww_paras_t *paras, json_t *images, char **first_heading)
{
    size_t len = strlen(text), lines = 0, blank = 0, total = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t) (nl - text) : len;
        size_t n = e - i;
        lines++;
        total += n;
        bool is_blank = true;
        for (size_t k = i; k < e; k++)
            if (!isspace((unsigned char) text[k]))
                is_blank = false;
        blank += is_blank;
        i = e + 1;
    }
    bool wrapped = blank > 0 && lines > blank && total / (lines - blank) < 90;
    ww_buf_t para;
    ww_buf_init(&para, paras->max);
    bool para_list = false;
    for (size_t i = 0; i <= len;) {
        const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
        size_t e = nl ? (size_t) (nl - text) : len;
        char *line = strndup(text + i, e - i);
        size_t ll = strlen(line);
        while (ll && (line[ll - 1] == '\r' || line[ll - 1] == ' '))
            line[--ll] = 0;
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        bool list = false, heading = false;
        if ((s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') {
            list = true;
            s += 2;
        } else if (!strncmp(s, "\xE2\x80\xA2", 3) || !strncmp(s, "\xC2\xB7", 2)) { /* • · */
            list = true;
            s += s[0] == '\xE2' ? 3 : 2;
        } else if (markdown && s[0] == '#') {
            while (*s == '#')
                s++;
            heading = true;
        } else if (markdown && isdigit((unsigned char) s[0]) && s[1] == '.' && s[2] == ' ') {
            list = true;
            s += 3;
        }
        char *inline_text = markdown ? s_markdown_inline(s, images) : strdup(s);
        bool is_blank = !*inline_text;
        if (heading && first_heading && !*first_heading && !is_blank)
            *first_heading = strdup(inline_text);
        if (!wrapped || is_blank || list || heading) {
            if (para.len) {
                ww_paras_add(paras, para.data, para_list, false, 0);
                ww_buf_reset(&para);
            }
            if (!is_blank)
                ww_paras_add(paras, inline_text, list, heading, 0);
        } else {
            /* join wrapped lines: a space between Latin words, none in CJK */
            if (para.len && isalnum((unsigned char) para.data[para.len - 1]))
                ww_buf_addc(&para, ' ');
            ww_buf_adds(&para, inline_text);
            para_list = false;
        }
        free(inline_text);
        free(line);
        if (!nl)
            break;
        i = e + 1;
    }
    if (para.len)
        ww_paras_add(paras, para.data, para_list, false, 0);
    ww_buf_free(&para);
}

/* ---------------------------------------------------------------------------
 * The article
 */

/* The match forms; title and body are already folded (the cut needs them). */
static json_t *s_match(ww_cleaner_t *self, const char *mt, const char *mb, const char *source, json_t *authors)
{
    ww_buf_t a;
    ww_buf_init(&a, 64 * 1024);
    size_t i;
    json_t *v;
    json_array_foreach(authors, i, v)
    {
        if (i)
            ww_buf_addc(&a, ' ');
        ww_buf_adds(&a, json_string_value(v));
    }
    char *ms = ww_fold_text(self->fold, source), *ma = ww_fold_text(self->fold, a.data ? a.data : "");
    json_t *m = json_pack("{s:s, s:o, s:s, s:s}", "title", mt ? mt : "", "body",
                          json_stringn_nocheck(mb ? mb : "", mb ? strlen(mb) : 0), "source", ms ? ms : "", "author",
                          ma ? ma : "");
    free(ms);
    free(ma);
    ww_buf_free(&a);
    return m;
}

static bool s_same_day(time_t a, time_t b, int offset)
{
    return (a + offset) / 86400 == (b + offset) / 86400;
}

/* The first metadata time that parses; a date without a clock gives way to
 * a later candidate on the same day that has one (meta publishdate says
 * 2023-05-16, the page's own line says 2023年05月16日08:21). */
static int s_resolve_time(const char *const *candidates, size_t n, bool chinese, ww_when_t *when)
{
    int offset = chinese ? 8 * 3600 : 0;
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        ww_when_t w;
        if (!candidates[i] || ww_time_parse(candidates[i], offset, chinese, &w) != 0)
            continue;
        if (!found) {
            *when = w;
            found = true;
            if (w.clock)
                return 0;
        } else if (w.clock && s_same_day(when->when, w.when, offset)) {
            *when = w;
            return 0;
        }
    }
    return found ? 0 : -1;
}

json_t *ww_cleaner_clean(ww_cleaner_t *self, const char *bytes, size_t len, const ww_doc_info_t *info, char *err,
                         size_t errlen)
{
    ww_doc_info_t none = {0};
    if (!info)
        info = &none;
    if (len > self->max_document) {
        snprintf(err, errlen, "document of %zu bytes is over the %zu-byte limit", len, self->max_document);
        return NULL;
    }
    if (ww_looks_binary(bytes, len)) {
        snprintf(err, errlen, "binary data, not a text document");
        return NULL;
    }
    time_t fetched = info->fetched_at ? info->fetched_at : time(NULL);
    ww_decode_info_t dec;
    char *text = ww_decode_to_utf8(bytes, len, info->forced_encoding, info->http_charset, self->max_document * 2, &dec);
    if (!text) {
        snprintf(err, errlen, "cannot decode the document (encoding %s)",
                 info->forced_encoding ? info->forced_encoding : "detected");
        return NULL;
    }
    size_t text_len = strlen(text);
    json_t *warnings = json_array();
    if (dec.replaced)
        json_array_append_new(warnings, json_sprintf("%zu invalid byte sequences replaced", dec.replaced));
    if (dec.declared[0])
        json_array_append_new(
            warnings, json_sprintf("the page declares %s but its bytes read as %s", dec.declared, dec.encoding));

    /* Front matter, then the body's kind by content, never by file name. */
    json_t *front = NULL;
    size_t body_at = 0;
    char fm_err[256] = "";
    int fm = ww_frontmatter_parse(text, text_len, &front, &body_at, fm_err, sizeof fm_err);
    if (fm < 0)
        json_array_append_new(warnings, json_string(fm_err));
    if (!front)
        front = json_object();
    const char *body_text = text + body_at;
    size_t body_len = text_len - body_at;
    const char *kind_hint = info->content_type ? info->content_type : "";
    bool html = !strcmp(kind_hint, "html") || ww_looks_like_html(body_text, body_len);
    bool markdown = fm == 0 || !strcmp(kind_hint, "markdown");

    ww_paras_t paras;
    ww_paras_init(&paras, self->max_document * 2);
    json_t *images = json_array();
    json_t *links = json_array();
    json_t *page = json_object();
    char *first_line = NULL, *first_heading = NULL;
    const char *doctype = "text";
    if (html) {
        doctype = fm == 0 ? "markdown+html" : "html";
        ww_html_result_t r;
        char herr[256];
        /* A feed item's content may name its own base (Atom xml:base). */
        const char *base = info->hints && s_str(info->hints, "base_url") ? s_str(info->hints, "base_url") : info->url;
        if (ww_html_extract(body_text, body_len, base, self->max_document * 2, &r, herr, sizeof herr) == 0) {
            json_decref(page);
            page = json_incref(r.meta);
            json_decref(images);
            images = json_incref(r.images);
            json_decref(links);
            links = json_incref(r.links);
            ww_paras_free(&paras);
            paras = r.paras;
            memset(&r.paras, 0, sizeof r.paras);
            if (r.truncated)
                json_array_append_new(warnings, json_string("page has more elements than the parser keeps; "
                                                            "the rest was not read"));
        } else
            json_array_append_new(warnings, json_string(herr));
        ww_html_result_free(&r);
    } else {
        doctype = markdown ? "markdown" : "text";
        s_text_paragraphs(body_text, markdown, &paras, images, &first_heading);
        /* A plain text's first line is its headline when it reads like one. */
        if (!markdown && paras.count > 1 && strlen(paras.items[0].text) <= 300 && !s_str(front, "title")) {
            first_line = strdup(paras.items[0].text);
            free(paras.items[0].text);
            paras.total -= strlen(first_line);
            memmove(&paras.items[0], &paras.items[1], (paras.count - 1) * sizeof paras.items[0]);
            paras.count--;
        }
    }

    /* Title: front matter, feed, Open Graph, h1 inside <title>, <title>, h1. */
    json_t *hints = info->hints;
    char *title = NULL;
    const char *html_title = s_str(page, "html_title");
    char *stripped_title = html_title ? s_strip_site_suffix(html_title, s_str(page, "h1")) : NULL;
    const char *title_candidates[] = {s_str(front, "title"),   hints ? s_str(hints, "title") : NULL,
                                      s_str(page, "og_title"), s_str(page, "ld_headline"),
                                      stripped_title,          s_str(page, "h1"),
                                      first_heading,           first_line};
    for (size_t i = 0; i < sizeof title_candidates / sizeof title_candidates[0] && !title; i++)
        if (title_candidates[i] && *title_candidates[i])
            title = s_clean_line(title_candidates[i]);
    if (title && (!strcmp(title, s_str(page, "og_title") ? s_str(page, "og_title") : ""))) {
        char *t2 = s_strip_site_suffix(title, s_str(page, "h1"));
        free(title);
        title = s_clean_line(t2);
        free(t2);
    }
    if (!title)
        title = strdup("");
    free(stripped_title);
    free(first_heading);

    ww_byline_t by;
    ww_byline_init(&by);
    char *title_match = ww_fold_text(self->fold, title);
    char *body_match = ww_paras_cut(&paras, self->fold, title_match, &by);
    char *body = ww_paras_join(&paras);

    char lang[16];
    s_language(title, body, s_str(page, "lang"), lang, sizeof lang);
    bool chinese = !strncmp(lang, "zh", 2);

    /* Source (the outlet) and authors (the people). */
    json_t *categories = json_object_get(front, "categories");
    if (!categories && hints)
        categories = json_object_get(hints, "categories");
    json_t *authors = json_array();
    char *source = NULL;
    const char *fm_author = s_str(front, "author");
    if (s_str(front, "source"))
        source = strdup(s_str(front, "source"));
    else if (hints && s_str(hints, "source"))
        source = strdup(s_str(hints, "source"));
    if (fm_author) {
        if (s_outlet_like(fm_author, categories) && !source)
            source = strdup(fm_author);
        else if (!s_outlet_like(fm_author, categories))
            s_add_author(authors, fm_author);
    }
    /* the page's own name for itself, then its title's site part */
    const char *site_candidates[] = {s_str(page, "site_name"), s_str(page, "ld_publisher")};
    for (size_t i = 0; i < 2 && !source; i++) {
        char *clean = ww_outlet_clean(site_candidates[i]);
        if (clean && !ww_outlet_platform(clean))
            source = clean;
        else
            free(clean);
    }
    if (!source && html_title)
        source = ww_outlet_from_title(html_title, title, chinese);
    /* the source line beside the headline: the page's own, or the outlet
     * the story is credited to */
    char header_source[256] = "";
    if (s_str(page, "dateline"))
        ww_source_line(s_str(page, "dateline"), header_source, sizeof header_source);
    if (!header_source[0] && by.dateline[0]) /* the date line cut from the top of the text */
        ww_source_line(by.dateline, header_source, sizeof header_source);
    if (!source && header_source[0])
        source = strdup(header_source);
    const char *author_candidates[] = {hints ? s_str(hints, "author") : NULL, s_str(page, "author"),
                                       s_str(page, "ld_author")};
    for (size_t i = 0; i < 3; i++) {
        if (!author_candidates[i] || s_outlet_like(author_candidates[i], categories))
            continue;
        /* "财新记者 钱晨、丁一": the names after the byline word */
        ww_byline_t meta_by;
        ww_byline_init(&meta_by);
        if (ww_byline_names(author_candidates[i], &meta_by) > 0) {
            size_t mi;
            json_t *mv;
            json_array_foreach(meta_by.authors, mi, mv) s_add_author(authors, json_string_value(mv));
        } else
            s_add_author(authors, author_candidates[i]);
        ww_byline_free(&meta_by);
    }
    if (s_str(page, "dateline")) {
        /* "作者：林海  来源：东海新闻网" beside the headline */
        ww_byline_t line;
        ww_byline_init(&line);
        ww_byline_names(s_str(page, "dateline"), &line);
        size_t li;
        json_t *lv;
        json_array_foreach(line.authors, li, lv) s_add_author(by.authors, json_string_value(lv));
        ww_byline_free(&line);
    }
    size_t ai;
    json_t *av;
    json_array_foreach(by.authors, ai, av) s_add_author(authors, json_string_value(av));
    /* credits below the text that the cut never saw: 【编辑:李岩】 */
    if (s_str(page, "trailer") && (!by.editor[0] || !by.credited_source[0])) {
        ww_paras_t tail;
        ww_paras_init(&tail, 4096);
        char *lines = strdup(s_str(page, "trailer"));
        for (char *save = NULL, *l = strtok_r(lines, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            ww_paras_add(&tail, l, false, false, 0);
        free(lines);
        ww_byline_t tail_by;
        ww_byline_init(&tail_by);
        free(ww_paras_cut(&tail, self->fold, NULL, &tail_by));
        if (!by.editor[0])
            snprintf(by.editor, sizeof by.editor, "%s", tail_by.editor);
        if (!by.credited_source[0])
            snprintf(by.credited_source, sizeof by.credited_source, "%s", tail_by.credited_source);
        ww_byline_free(&tail_by);
        ww_paras_free(&tail);
    }
    if (!by.credited_source[0] && header_source[0] && (!source || strcmp(header_source, source)))
        snprintf(by.credited_source, sizeof by.credited_source, "%s", header_source);
    if (source && !strcmp(source, by.credited_source))
        by.credited_source[0] = 0; /* credited to itself */
    if (!source && by.credited_source[0])
        source = strdup(by.credited_source);
    if (!source)
        source = strdup("");
    /* a name inside the outlet's own ("财新" of 财新网) is the outlet, not a reporter */
    for (size_t i = json_array_size(authors); i-- > 0;) {
        const char *name = json_string_value(json_array_get(authors, i));
        if ((source[0] && strstr(source, name)) || (by.credited_source[0] && strstr(by.credited_source, name)))
            json_array_remove(authors, i);
    }

    /* Published: metadata first, then dates written near the top of the text. */
    ww_when_t when = {0};
    const char *time_candidates[] = {s_str(front, "date"),
                                     s_str(front, "published"),
                                     s_str(front, "pubDate"),
                                     s_str(front, "publish_date"),
                                     hints ? s_str(hints, "published") : NULL,
                                     s_str(page, "published"),
                                     s_str(page, "ld_published"),
                                     s_str(page, "time_element")};
    bool have_time =
        s_resolve_time(time_candidates, sizeof time_candidates / sizeof time_candidates[0], chinese, &when) == 0;
    if (!have_time || !when.clock) {
        ww_buf_t head;
        ww_buf_init(&head, 8192);
        if (first_line)
            ww_buf_printf(&head, "%s\n", first_line);
        if (s_str(page, "dateline"))
            ww_buf_printf(&head, "%s\n", s_str(page, "dateline"));
        if (by.dateline[0])
            ww_buf_printf(&head, "%s\n", by.dateline);
        for (size_t i = 0; i < paras.count && i < 4; i++)
            ww_buf_printf(&head, "%s\n", paras.items[i].text);
        ww_when_t text_when;
        if (head.data && ww_time_find_in_text(head.data, fetched, chinese ? 8 * 3600 : 0, &text_when) == 0 &&
            (!have_time || (text_when.clock && !text_when.estimated &&
                            s_same_day(when.when, text_when.when, chinese ? 8 * 3600 : 0)))) {
            when = text_when; /* the text's date, or its clock for the metadata's day */
            have_time = true;
        }
        ww_buf_free(&head);
    }
    if (!have_time) {
        when.when = fetched;
        when.estimated = true;
    }
    char published[32], fetched_s[32];
    ww_time_format(when.when, published, sizeof published);
    ww_time_format(fetched, fetched_s, sizeof fetched_s);

    /* Lead image from metadata when the body had none. */
    const char *lead = s_str(front, "headimg");
    if (!lead)
        lead = s_str(front, "image");
    if (!lead)
        lead = s_str(front, "thumbnail");
    if (!lead)
        lead = s_str(page, "image");
    if (lead && json_array_size(images) == 0)
        json_array_append_new(images, json_pack("{s:s,s:s}", "src", lead, "caption", ""));
    /* Images the feed named (media:content, enclosures) when the text has none. */
    json_t *feed_images = info->hints ? json_object_get(info->hints, "images") : NULL, *fi;
    size_t fi_index;
    if (json_array_size(images) == 0)
        json_array_foreach(feed_images, fi_index, fi) if (json_is_string(json_object_get(fi, "url")) && fi_index < 20)
            json_array_append_new(images, json_pack("{s:O,s:s}", "src", json_object_get(fi, "url"), "caption",
                                                    s_str(fi, "caption") ? s_str(fi, "caption") : ""));

    /* source: finds the publisher and the outlet the story is credited to */
    char *match_source = NULL;
    if (asprintf(&match_source, "%s%s%s", source, by.credited_source[0] ? " " : "", by.credited_source) < 0)
        match_source = NULL;
    json_t *match = s_match(self, title_match, body_match, match_source ? match_source : source, authors);
    free(match_source);
    free(title_match);
    free(body_match);
    const char *mbody = json_string_value(json_object_get(match, "body"));
    char content_hash[65];
    ww_sha256_hex(mbody, strlen(mbody), content_hash);
    char simhash[17];
    snprintf(simhash, sizeof simhash, "%016" PRIx64, ww_simhash(mbody));

    const char *url = info->url;
    if (!url || !*url)
        url = s_str(front, "url");
    if (!url)
        url = s_str(front, "link");
    if (!url)
        url = s_str(page, "canonical");

    json_t *article = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:o, s:o, s:o,"
        " s:s, s:s, s:b, s:I, s:o}",
        "id", info->id ? info->id : content_hash, "url", url ? url : "", "origin", info->origin ? info->origin : "",
        "kind", info->kind ? info->kind : "file", "title", title, "authors", authors, "editor", by.editor, "source",
        source, "credited_source", by.credited_source, "published", published, "published_estimated",
        (int) when.estimated, "fetched_at", fetched_s, "language", lang, "encoding", dec.encoding, "document_type",
        doctype, "images", images, "categories", json_is_array(categories) ? json_deep_copy(categories) : json_array(),
        "match", match, "content_hash", content_hash, "simhash", simhash, "has_body", (int) (body[0] != 0),
        "replaced_bytes", (json_int_t) dec.replaced, "warnings", warnings);
    if (article) {
        /* valid UTF-8 by construction (decoded, then sanitised by the parser
         * and the paragraph tidy): no second check of every character */
        json_object_set_new(article, "body", json_stringn_nocheck(body, strlen(body)));
        json_object_set_new(article, "encoding_decided_by", json_string(dec.decided_by));
        json_object_set(article, "links", links);
        if (by.original_title[0])
            json_object_set_new(article, "original_title", json_string(by.original_title));
    }
    free(body);
    free(title);
    free(source);
    free(first_line);
    free(text);
    ww_byline_free(&by);
    ww_paras_free(&paras);
    json_decref(front);
    json_decref(page);
    json_decref(links);
    if (!article)
        snprintf(err, errlen, "could not build the article (invalid text)");
    return article;
}
