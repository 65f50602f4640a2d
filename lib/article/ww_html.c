/* ww_html: DOM cleaning, block scoring and paragraph collection. */
#include "ww_html.h"
#include "ww_buf.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deeper subtrees are ignored: the parser caps depth too, this keeps our own
 * recursion bounded whatever it does. */
#define S_MAX_DEPTH 400

/* Per-element statistics, reached through node->_private. */
typedef struct {
    size_t chars;      /* non-space characters of text below */
    size_t link_chars; /* of which inside <a> */
    size_t punct;      /* clause punctuation below */
    double score;      /* content score as a candidate */
    bool scored;       /* has been given a base score */
} s_stats_t;

typedef struct {
    s_stats_t *stats;
    size_t count, cap;
} s_arena_t;

static bool s_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcasecmp((const char *) n->name, name);
}

static bool s_in_set(const xmlNode *n, const char *const *set)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return false;
    for (size_t i = 0; set[i]; i++)
        if (!strcasecmp((const char *) n->name, set[i]))
            return true;
    return false;
}

static const char *const s_junk_tags[] = {"script", "style",    "noscript", "iframe", "form", "button", "input",
                                          "select", "textarea", "svg",      "canvas", "nav",  "footer", "aside",
                                          "object", "embed",    "template", "link",   "meta", "head",   "map",
                                          "audio",  "video",    "dialog",   "menu",   NULL};
static const char *const s_block_tags[] = {
    "p",      "div",        "section",    "article", "li",     "ul",      "ol", "h1",    "h2",    "h3", "h4",
    "h5",     "h6",         "blockquote", "pre",     "table",  "tr",      "td", "th",    "dl",    "dt", "dd",
    "figure", "figcaption", "header",     "main",    "center", "address", "hr", "tbody", "thead", NULL};

/* Class and id words (split at '-', '_', spaces and camelCase) that mark
 * boilerplate, and words that mark content. */
static const char *const s_negative_words[] = {
    "comment", "comments",  "share",       "sharing",    "sidebar",       "side",       "footer",
    "foot",    "nav",       "navbar",      "navigation", "menu",          "breadcrumb", "breadcrumbs",
    "related", "recommend", "recommended", "advert",     "advertisement", "ad",         "ads",
    "adv",     "banner",    "qr",          "qrcode",     "erweima",       "popup",      "modal",
    "social",  "toolbar",   "tool",        "tools",      "hot",           "rank",       "ranking",
    "login",   "subscribe", "copyright",   "disclaimer", "pagination",    "pager",      "promo",
    "sponsor", "widget",    "sns",         "masthead",   "topbar",        "bottom",     "links",
    "more",    "feedback",  "reply",       "shoucang",   "fenxiang",      "gotop",      "statement",
    "tags",    "keywords",  NULL};
static const char *const s_positive_words[] = {"article",  "content", "post",  "text",     "body", "main",
                                               "story",    "detail",  "entry", "artibody", "txt",  "zw",
                                               "zhengwen", "news",    "con",   "page",     NULL};

/* Returns +1 for a content hint, -1 for a boilerplate hint, 0 for neither. */
static int s_class_hint(const xmlNode *n)
{
    int pos = 0, neg = 0;
    const char *attrs[] = {"class", "id"};
    for (int a = 0; a < 2; a++) {
        xmlChar *v = xmlGetProp((xmlNode *) n, (const xmlChar *) attrs[a]);
        if (!v)
            continue;
        char word[64];
        size_t wl = 0;
        const char *s = (const char *) v;
        for (size_t i = 0;; i++) {
            char c = s[i];
            bool boundary = !c || !isalnum((unsigned char) c) ||
                            (isupper((unsigned char) c) && i > 0 && islower((unsigned char) s[i - 1]));
            if (boundary && wl) {
                word[wl] = 0;
                for (size_t k = 0; s_negative_words[k]; k++)
                    if (!strcmp(word, s_negative_words[k]))
                        neg = 1;
                for (size_t k = 0; s_positive_words[k]; k++)
                    if (!strcmp(word, s_positive_words[k]))
                        pos = 1;
                wl = 0;
            }
            if (!c)
                break;
            if (isalnum((unsigned char) c) && wl + 1 < sizeof word)
                word[wl++] = (char) tolower((unsigned char) c);
        }
        xmlFree(v);
    }
    xmlChar *itemprop = xmlGetProp((xmlNode *) n, (const xmlChar *) "itemprop");
    if (itemprop) {
        if (!strcasecmp((const char *) itemprop, "articleBody"))
            pos = 2;
        xmlFree(itemprop);
    }
    if (pos == 2)
        return 2;
    if (pos && !neg)
        return 1;
    if (neg && !pos)
        return -1;
    return 0;
}

static char *s_prop(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp((xmlNode *) n, (const xmlChar *) name);
    if (!v)
        return NULL;
    char *s = strdup((const char *) v);
    xmlFree(v);
    return s;
}

static void s_meta_set(json_t *meta, const char *key, const char *value)
{
    if (!value || !*value || json_object_get(meta, key))
        return;
    char *clean = ww_utf8_sanitize(value, strlen(value), NULL);
    json_object_set_new(meta, key, json_string(clean));
    free(clean);
}

/* Text of a subtree, space-joined, capped. Caller frees. */
static char *s_text(const xmlNode *n, size_t max)
{
    xmlChar *c = xmlNodeGetContent((xmlNode *) n);
    if (!c)
        return strdup("");
    size_t len = strlen((const char *) c);
    if (len > max)
        len = max;
    char *s = ww_utf8_sanitize((const char *) c, len, NULL);
    xmlFree(c);
    return s;
}

static void s_jsonld(json_t *meta, json_t *j, int depth)
{
    if (depth > 4 || !j)
        return;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) s_jsonld(meta, v, depth + 1);
        return;
    }
    if (!json_is_object(j))
        return;
    json_t *graph = json_object_get(j, "@graph");
    if (graph)
        s_jsonld(meta, graph, depth + 1);
    s_meta_set(meta, "ld_headline", json_string_value(json_object_get(j, "headline")));
    s_meta_set(meta, "ld_published", json_string_value(json_object_get(j, "datePublished")));
    json_t *author = json_object_get(j, "author");
    if (json_is_array(author))
        author = json_array_get(author, 0);
    if (json_is_object(author))
        s_meta_set(meta, "ld_author", json_string_value(json_object_get(author, "name")));
    else
        s_meta_set(meta, "ld_author", json_string_value(author));
    json_t *pub = json_object_get(j, "publisher");
    if (json_is_object(pub))
        s_meta_set(meta, "ld_publisher", json_string_value(json_object_get(pub, "name")));
}

/* Elements whose class or id names a date, source or byline line. */
static bool s_is_dateline(const xmlNode *n)
{
    static const char *const words[] = {"date",   "time",   "pubtime", "pubdate",      "publish", "info", "meta",
                                        "source", "author", "byline",  "article-info", "writer",  NULL};
    if (s_in_set(n, s_junk_tags) || s_is(n, "body") || s_is(n, "html"))
        return false;
    const char *attrs[] = {"class", "id"};
    for (int a = 0; a < 2; a++) {
        xmlChar *v = xmlGetProp((xmlNode *) n, (const xmlChar *) attrs[a]);
        if (!v)
            continue;
        bool hit = false;
        char *copy = strdup((const char *) v);
        for (char *save = NULL, *w = strtok_r(copy, " -_", &save); w && !hit; w = strtok_r(NULL, " -_", &save))
            for (size_t k = 0; words[k] && !hit; k++)
                hit = !strcasecmp(w, words[k]);
        free(copy);
        xmlFree(v);
        if (hit)
            return true;
    }
    return false;
}

/* Reads metadata from the whole document (before any node is removed). */
static void s_read_meta(xmlNode *n, json_t *meta, int depth)
{
    for (; n && depth < S_MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (s_is(n, "title")) {
            char *t = s_text(n, 2048);
            s_meta_set(meta, "html_title", t);
            free(t);
        } else if (s_is(n, "h1")) {
            char *t = s_text(n, 2048);
            s_meta_set(meta, "h1", t);
            free(t);
        } else if (s_is(n, "html")) {
            char *lang = s_prop(n, "lang");
            s_meta_set(meta, "lang", lang);
            free(lang);
        } else if (s_is(n, "meta")) {
            char *key = s_prop(n, "property");
            if (!key)
                key = s_prop(n, "name");
            if (!key)
                key = s_prop(n, "itemprop");
            char *content = s_prop(n, "content");
            if (key && content) {
                static const struct {
                    const char *from, *to;
                } map[] = {
                    {"og:title", "og_title"},
                    {"twitter:title", "og_title"},
                    {"og:site_name", "site_name"},
                    {"article:published_time", "published"},
                    {"og:release_date", "published"},
                    {"pubdate", "published"},
                    {"publishdate", "published"},
                    {"publish_date", "published"},
                    {"datepublished", "published"},
                    {"date", "published"},
                    {"dc.date", "published"},
                    {"dc.date.issued", "published"},
                    {"sailthru.date", "published"},
                    {"weibo:article:create_at", "published"},
                    {"author", "author"},
                    {"article:author", "author"},
                    {"dc.creator", "author"},
                    {"byline", "author"},
                    {"description", "description"},
                    {"og:description", "description"},
                    {"og:image", "image"},
                    {"og:url", "canonical"},
                    {"source", "site_name"},
                    {"mediaid", "site_name"},
                    {"application-name", "site_name"},
                };
                for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
                    if (!strcasecmp(key, map[i].from))
                        s_meta_set(meta, map[i].to, content);
            }
            free(key);
            free(content);
        } else if (s_is(n, "link")) {
            char *rel = s_prop(n, "rel");
            if (rel && !strcasecmp(rel, "canonical")) {
                char *href = s_prop(n, "href");
                s_meta_set(meta, "canonical", href);
                free(href);
            }
            free(rel);
        } else if (s_is(n, "script")) {
            char *type = s_prop(n, "type");
            if (type && !strcasecmp(type, "application/ld+json")) {
                char *t = s_text(n, 256 * 1024);
                json_t *j = json_loads(t, 0, NULL);
                s_jsonld(meta, j, 0);
                json_decref(j);
                free(t);
            }
            free(type);
        } else if (s_is_dateline(n)) {
            /* Short info lines near the headline: date, source, author. */
            char *t = s_text(n, 600);
            if (t && strlen(t) < 400) {
                const char *old = json_string_value(json_object_get(meta, "dateline"));
                char *joined = NULL;
                if (asprintf(&joined, "%s%s%s", old ? old : "", old ? "\n" : "", t) >= 0 && strlen(joined) < 2000)
                    json_object_set_new(meta, "dateline", json_string(joined));
                free(joined);
            }
            free(t);
            continue; /* its children are part of the same line */
        } else if (s_is(n, "time")) {
            char *dt = s_prop(n, "datetime");
            s_meta_set(meta, "time_element", dt);
            free(dt);
        }
        s_read_meta(n->children, meta, depth + 1);
    }
}

/* Removes junk elements, comments and boilerplate-classed blocks. */
static void s_prune(xmlNode *n, int depth)
{
    while (n) {
        xmlNode *next = n->next;
        bool drop = false;
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
            drop = true;
        else if (n->type == XML_ELEMENT_NODE) {
            if (depth >= S_MAX_DEPTH || s_in_set(n, s_junk_tags))
                drop = true;
            else if (!s_is(n, "body") && !s_is(n, "html") && !s_is(n, "p") && s_class_hint(n) < 0)
                drop = true;
            else if (n->children)
                s_prune(n->children, depth + 1);
        }
        if (drop) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
        n = next;
    }
}

static s_stats_t *s_stats(const xmlNode *n)
{
    return n ? (s_stats_t *) n->_private : NULL;
}

/* Counts characters, link characters and punctuation below each element. */
static void s_measure(xmlNode *n, s_arena_t *arena, bool in_link, s_stats_t *acc, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            const char *t = (const char *) n->content;
            size_t len = t ? strlen(t) : 0, i = 0;
            while (i < len) {
                uint32_t cp;
                i += ww_utf8_decode(t + i, len - i, &cp);
                if (ww_is_space(cp))
                    continue;
                acc->chars++;
                if (in_link)
                    acc->link_chars++;
                if (ww_is_cjk_punct(cp))
                    acc->punct++;
            }
        } else if (n->type == XML_ELEMENT_NODE && depth < S_MAX_DEPTH) {
            if (arena->count == arena->cap)
                continue; /* arena sized to the element count: cannot happen */
            s_stats_t *st = &arena->stats[arena->count++];
            memset(st, 0, sizeof *st);
            n->_private = st;
            s_measure(n->children, arena, in_link || s_is(n, "a"), st, depth + 1);
            acc->chars += st->chars;
            acc->link_chars += st->link_chars;
            acc->punct += st->punct;
        }
    }
}

static size_t s_count_elements(const xmlNode *n, int depth)
{
    size_t c = 0;
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && depth < S_MAX_DEPTH)
            c += 1 + s_count_elements(n->children, depth + 1);
    return c;
}

static bool s_has_block_child(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (s_in_set(c, s_block_tags) && !s_is(c, "br"))
            return true;
    return false;
}

static double s_link_density(const xmlNode *n)
{
    s_stats_t *st = s_stats(n);
    return st && st->chars ? (double) st->link_chars / (double) st->chars : 0;
}

static void s_init_candidate(xmlNode *n)
{
    s_stats_t *st = s_stats(n);
    if (!st || st->scored)
        return;
    st->scored = true;
    if (s_is(n, "div") || s_is(n, "article") || s_is(n, "section") || s_is(n, "main"))
        st->score = 5;
    else if (s_is(n, "pre") || s_is(n, "td") || s_is(n, "blockquote"))
        st->score = 3;
    else if (s_is(n, "ol") || s_is(n, "ul") || s_is(n, "dl") || s_is(n, "form") || s_is(n, "li"))
        st->score = -3;
    else if (n->name && n->name[0] == 'h' && isdigit(n->name[1]))
        st->score = -5;
    int hint = s_class_hint(n);
    st->score += hint == 2 ? 50 : hint * 25.0;
    if (s_is(n, "article"))
        st->score += 10;
}

/* Gives each paragraph-like block's score to its parent and grandparent. */
static void s_score(xmlNode *n, int depth)
{
    for (; n && depth < S_MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        bool paragraph = s_is(n, "p") || s_is(n, "pre") || s_is(n, "td") || s_is(n, "blockquote") ||
                         ((s_is(n, "div") || s_is(n, "section")) && !s_has_block_child(n));
        s_stats_t *st = s_stats(n);
        if (paragraph && st && st->chars >= 20 && n->parent && n->parent->type == XML_ELEMENT_NODE) {
            /* Chinese text has no word gaps: a character counts as much as a
             * fifth of a Latin word would, so 100 characters score one point. */
            double contrib = 1.0 + (double) st->punct + fmin((double) st->chars / 100.0, 3.0);
            contrib *= 1.0 - s_link_density(n);
            xmlNode *levels[3] = {n->parent, n->parent->parent, NULL};
            if (levels[1] && levels[1]->type == XML_ELEMENT_NODE)
                levels[2] = levels[1]->parent;
            double divide[3] = {1, 2, 3};
            for (int l = 0; l < 3; l++) {
                xmlNode *a = levels[l];
                if (!a || a->type != XML_ELEMENT_NODE || !s_stats(a))
                    continue;
                s_init_candidate(a);
                s_stats(a)->score += contrib / divide[l];
            }
        }
        s_score(n->children, depth + 1);
    }
}

static void s_best(xmlNode *n, xmlNode **best, double *best_score, int depth)
{
    for (; n && depth < S_MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        s_stats_t *st = s_stats(n);
        if (st && st->scored) {
            double s = st->score * (1.0 - s_link_density(n));
            if (s > *best_score) {
                *best_score = s;
                *best = n;
            }
        }
        s_best(n->children, best, best_score, depth + 1);
    }
}

/* Finds an element marked as the article body by structure. */
static xmlNode *s_marked_body(xmlNode *n, int depth)
{
    for (; n && depth < S_MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (s_class_hint(n) == 2)
            return n;
        xmlNode *f = s_marked_body(n->children, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Collecting paragraphs and images from the chosen block
 */

typedef struct {
    ww_paras_t *paras;
    json_t *images;
    const char *base_url;
    ww_buf_t text;     /* the paragraph being built */
    size_t link_bytes; /* bytes of text inside links in it */
    bool list_item;
    bool heading;
} s_collect_t;

static void s_flush(s_collect_t *c)
{
    if (c->text.len) {
        double ld = (double) c->link_bytes / (double) c->text.len;
        ww_paras_add(c->paras, c->text.data, c->list_item, c->heading, ld);
    }
    ww_buf_reset(&c->text);
    c->link_bytes = 0;
    c->list_item = false;
    c->heading = false;
}

static char *s_absolute(const char *base, const char *href)
{
    if (!href)
        return NULL;
    if (base && *base) {
        xmlChar *abs = xmlBuildURI((const xmlChar *) href, (const xmlChar *) base);
        if (abs) {
            char *s = strdup((const char *) abs);
            xmlFree(abs);
            return s;
        }
    }
    if (!strncmp(href, "//", 2)) {
        size_t n = strlen(href) + 8;
        char *s = malloc(n);
        snprintf(s, n, "https:%s", href);
        return s;
    }
    return strdup(href);
}

/* A caption near an image: figcaption, or a sibling whose class says so. */
static char *s_caption_for(const xmlNode *img)
{
    for (const xmlNode *scope = img->parent; scope && scope->type == XML_ELEMENT_NODE; scope = NULL) {
        for (const xmlNode *c = scope->children; c; c = c->next) {
            if (c == img || c->type != XML_ELEMENT_NODE)
                continue;
            char *cls = s_prop(c, "class");
            bool is_caption = s_is(c, "figcaption") || (cls && (strstr(cls, "desc") || strstr(cls, "caption")));
            free(cls);
            if (is_caption) {
                char *t = s_text(c, 1024);
                if (t && *t)
                    return t;
                free(t);
            }
        }
    }
    char *alt = s_prop(img, "alt");
    if (alt && *alt)
        return alt;
    free(alt);
    return NULL;
}

static void s_collect(s_collect_t *c, xmlNode *n, bool in_link, int depth)
{
    for (; n && depth < S_MAX_DEPTH; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            const char *t = (const char *) n->content;
            if (t) {
                size_t before = c->text.len;
                ww_buf_adds(&c->text, t);
                if (in_link)
                    c->link_bytes += c->text.len - before;
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (s_is(n, "br")) {
            s_flush(c);
            continue;
        }
        if (s_is(n, "img")) {
            char *src = s_prop(n, "src");
            if (!src || !*src || !strncmp(src, "data:", 5)) {
                free(src);
                src = s_prop(n, "data-src");
            }
            if (src && *src && strncmp(src, "data:", 5) != 0 && json_array_size(c->images) < 100) {
                char *abs = s_absolute(c->base_url, src);
                char *cap = s_caption_for(n);
                json_array_append_new(c->images,
                                      json_pack("{s:s, s:s}", "src", abs ? abs : src, "caption", cap ? cap : ""));
                free(abs);
                free(cap);
            }
            free(src);
            continue;
        }
        bool block = s_in_set(n, s_block_tags);
        if (block)
            s_flush(c);
        /* captions are kept with their image, not as text */
        char *cls = s_prop(n, "class");
        bool caption = cls && (strstr(cls, "img_descr") || strstr(cls, "caption"));
        free(cls);
        if (!caption) {
            if (s_is(n, "li"))
                c->list_item = true;
            if (n->name[0] == 'h' && isdigit(n->name[1]) && n->name[2] == 0)
                c->heading = true;
            bool li = c->list_item, h = c->heading;
            s_collect(c, n->children, in_link || s_is(n, "a"), depth + 1);
            if (block) {
                c->list_item = li;
                c->heading = h;
                s_flush(c);
            }
        }
    }
}

int ww_looks_like_html(const char *text, size_t len)
{
    static const char *tags[] = {"<p",  "<div", "<br",    "<html",    "<body",     "<span", "<article", "<h1",
                                 "<h2", "<img", "<table", "<section", "<!doctype", "<font", "<a "};
    size_t window = len < 65536 ? len : 65536;
    int hits = 0;
    for (size_t i = 0; i + 2 < window; i++) {
        if (text[i] != '<')
            continue;
        for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
            size_t tl = strlen(tags[k]);
            if (i + tl <= window && !strncasecmp(text + i, tags[k], tl)) {
                char after = i + tl < window ? text[i + tl] : 0;
                if (tl == 3 && tags[k][2] == ' ')
                    hits++;
                else if (after == '>' || after == ' ' || after == '/' || after == '\n' || after == '\t')
                    hits++;
            }
        }
        if (hits >= 2)
            return 1;
    }
    return hits >= 1 && len < 200;
}

static void s_silent(void *ctx, const char *msg, ...)
{
    (void) ctx;
    (void) msg;
}

int ww_html_extract(const char *html, size_t len, const char *base_url, size_t max_text, ww_html_result_t *out,
                    char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->meta = json_object();
    out->images = json_array();
    ww_paras_init(&out->paras, max_text);
    if (len > (size_t) 1 << 30) {
        snprintf(err, errlen, "HTML of %zu bytes exceeds the parser's limit", len);
        return -1;
    }
    xmlSetGenericErrorFunc(NULL, s_silent);
    htmlDocPtr doc = htmlReadMemory(html, (int) len, base_url, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_NOIMPLIED);
    if (!doc) {
        snprintf(err, errlen, "HTML could not be parsed");
        return -1;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        xmlFreeDoc(doc);
        return 0; /* empty document: no body */
    }
    xmlNode *top = doc->children;
    s_read_meta(top, out->meta, 0);
    s_prune(top, 0);

    s_arena_t arena = {0};
    arena.cap = s_count_elements(top, 0) + 1;
    arena.stats = calloc(arena.cap, sizeof *arena.stats);
    if (!arena.stats) {
        xmlFreeDoc(doc);
        snprintf(err, errlen, "out of memory measuring HTML");
        return -1;
    }
    s_stats_t total = {0};
    s_measure(top, &arena, false, &total, 0);
    s_score(top, 0);

    xmlNode *chosen = s_marked_body(top, 0);
    if (chosen && s_stats(chosen) && s_stats(chosen)->chars * 4 < total.chars)
        chosen = NULL; /* a marker around a fragment only: trust the scores */
    if (!chosen) {
        double best_score = -1e9;
        s_best(top, &chosen, &best_score, 0);
    }
    s_collect_t c = {&out->paras, out->images, base_url, {0}, 0, false, false};
    ww_buf_init(&c.text, max_text);
    if (chosen) {
        /* Siblings that score close to the winner belong to the same article
         * (pages that split the text over several blocks). */
        xmlNode *parent = chosen->parent;
        double threshold = fmax(10.0, s_stats(chosen)->score * 0.2);
        if (parent && parent->type == XML_ELEMENT_NODE) {
            for (xmlNode *s = parent->children; s; s = s->next) {
                bool take = s == chosen;
                s_stats_t *st = s_stats(s);
                if (!take && st && s->type == XML_ELEMENT_NODE) {
                    if (st->scored && st->score * (1.0 - s_link_density(s)) >= threshold)
                        take = true;
                    else if (s_is(s, "p") && st->chars >= 40 && s_link_density(s) < 0.25)
                        take = true;
                }
                if (take) {
                    xmlNode *saved = s->next;
                    s->next = NULL;
                    s_collect(&c, s, false, 0);
                    s->next = saved;
                    s_flush(&c);
                }
            }
        } else {
            s_collect(&c, chosen, false, 0);
        }
    } else {
        s_collect(&c, top, false, 0);
    }
    s_flush(&c);
    ww_buf_free(&c.text);
    free(arena.stats);
    xmlFreeDoc(doc);
    return 0;
}

void ww_html_result_free(ww_html_result_t *r)
{
    json_decref(r->meta);
    json_decref(r->images);
    ww_paras_free(&r->paras);
    memset(r, 0, sizeof *r);
}
