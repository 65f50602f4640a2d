/* feed_text: text out of feed elements, without expanding entities. */
#include "feed_parts.h"
#include "ww_buf.h"

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Feed fields are capped where they are read: one title or summary is never
 * allowed to be bigger than a whole document. */
#define S_MAX_FIELD (8u << 20)

static void s_collect(const xmlNode *n, ww_buf_t *out)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            ww_buf_adds(out, (const char *) c->content);
        else if (c->type == XML_ELEMENT_NODE)
            s_collect(c, out);
        /* XML_ENTITY_REF_NODE: declared entities are never expanded. */
    }
}

static char *s_trimmed(char *s)
{
    char *b = s;
    while (*b == ' ' || *b == '\n' || *b == '\r' || *b == '\t')
        b++;
    size_t l = strlen(b);
    while (l && (b[l - 1] == ' ' || b[l - 1] == '\n' || b[l - 1] == '\r' || b[l - 1] == '\t'))
        l--;
    memmove(s, b, l);
    s[l] = 0;
    return s;
}

char *feed_node_text(const xmlNode *n)
{
    if (!n)
        return NULL;
    ww_buf_t out;
    ww_buf_init(&out, S_MAX_FIELD);
    s_collect(n, &out);
    return s_trimmed(ww_buf_take(&out));
}

static void s_html_text(const xmlNode *n, ww_buf_t *out)
{
    for (const xmlNode *c = n; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            ww_buf_adds(out, (const char *) c->content);
        else if (c->type == XML_ELEMENT_NODE && c->children)
            s_html_text(c->children, out);
    }
}

char *feed_html_to_text(const char *html)
{
    if (!html)
        return NULL;
    if (!strchr(html, '<') && !strchr(html, '&'))
        return strdup(html);
    ww_buf_t raw;
    ww_buf_init(&raw, S_MAX_FIELD);
    htmlDocPtr doc = htmlReadMemory(html, (int) strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NOIMPLIED | HTML_PARSE_RECOVER);
    if (doc) {
        s_html_text(doc->children, &raw);
        xmlFreeDoc(doc);
    }
    char *text = ww_buf_take(&raw);
    /* collapse whitespace runs (newlines included) to one space */
    char *w = text;
    bool space = true;
    for (const char *r = text; *r; r++) {
        bool ws = *r == ' ' || *r == '\n' || *r == '\r' || *r == '\t';
        if (ws && space)
            continue;
        *w++ = ws ? ' ' : *r;
        space = ws;
    }
    *w = 0;
    return s_trimmed(text);
}

char *feed_text_to_html(const char *text)
{
    ww_buf_t out;
    ww_buf_init(&out, S_MAX_FIELD);
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&':
            ww_buf_adds(&out, "&amp;");
            break;
        case '<':
            ww_buf_adds(&out, "&lt;");
            break;
        case '>':
            ww_buf_adds(&out, "&gt;");
            break;
        case '"':
            ww_buf_adds(&out, "&quot;");
            break;
        default:
            ww_buf_addc(&out, *p);
        }
    }
    return ww_buf_take(&out);
}

char *feed_resolve(const char *href, const xmlNode *context, const char *base_url)
{
    if (!href)
        return NULL;
    xmlChar *base = context ? xmlNodeGetBase(context->doc, context) : NULL;
    const char *b = base ? (const char *) base : base_url;
    char *out = NULL;
    if (b && *b) {
        /* xml:base may itself be relative to the feed's URL */
        xmlChar *abs_base = base && base_url ? xmlBuildURI(base, (const xmlChar *) base_url) : NULL;
        xmlChar *abs = xmlBuildURI((const xmlChar *) href, abs_base ? abs_base : (const xmlChar *) b);
        if (abs) {
            out = strdup((const char *) abs);
            xmlFree(abs);
        }
        if (abs_base)
            xmlFree(abs_base);
    }
    if (base)
        xmlFree(base);
    return out ? out : strdup(href);
}

void feed_warn(json_t *feed, const char *fmt, ...)
{
    json_t *warnings = json_object_get(feed, "warnings");
    if (!warnings) {
        warnings = json_array();
        json_object_set_new(feed, "warnings", warnings);
    }
    if (json_array_size(warnings) >= FEED_MAX_WARNINGS)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    json_array_append_new(warnings, json_string(line));
}

void feed_set(json_t *obj, const char *key, char *value)
{
    /* Text from libxml2 and from the decoder is valid UTF-8 already: jansson
     * need not check it again. */
    if (value && *value)
        json_object_set_new(obj, key, json_stringn_nocheck(value, strlen(value)));
    free(value);
}
