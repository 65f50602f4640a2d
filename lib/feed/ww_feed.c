/* ww_feed: feed formats to a common item list. */
#include "ww_feed.h"
#include "ww_encoding.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ww_feed_detect(const char *bytes, size_t len)
{
    size_t window = len < 2048 ? len : 2048;
    char head[2049];
    memcpy(head, bytes, window);
    head[window] = 0;
    for (size_t i = 0; i < window; i++)
        if (head[i] == 0)
            head[i] = ' ';
    if (strstr(head, "<rss") || strstr(head, "<rdf:RDF") || strstr(head, "<RDF") ||
        (strstr(head, "<feed") && strstr(head, "Atom")))
        return 1;
    if (strstr(head, "jsonfeed.org/version"))
        return 1;
    return 0;
}

static const char *s_local(const xmlNode *n)
{
    return (const char *) n->name;
}

static xmlNode *s_child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(s_local(c), name))
            return c;
    return NULL;
}

/* Child element in a namespace whose URI contains ns_part (e.g. "purl.org/dc"). */
static xmlNode *s_child_ns(const xmlNode *n, const char *ns_part, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(s_local(c), name) && c->ns && c->ns->href &&
            strstr((const char *) c->ns->href, ns_part))
            return c;
    return NULL;
}

static char *s_text(const xmlNode *n)
{
    if (!n)
        return NULL;
    xmlChar *c = xmlNodeGetContent((xmlNode *) n);
    if (!c)
        return NULL;
    char *s = strdup((const char *) c);
    xmlFree(c);
    /* trim */
    char *b = s;
    while (*b == ' ' || *b == '\n' || *b == '\r' || *b == '\t')
        b++;
    size_t l = strlen(b);
    while (l && (b[l - 1] == ' ' || b[l - 1] == '\n' || b[l - 1] == '\r' || b[l - 1] == '\t'))
        b[--l] = 0;
    char *out = strdup(b);
    free(s);
    return out;
}

/* Atom xhtml content: serialise the children as markup. */
static char *s_inner_xml(xmlNode *n)
{
    xmlBufferPtr buf = xmlBufferCreate();
    for (xmlNode *c = n->children; c; c = c->next)
        xmlNodeDump(buf, n->doc, c, 0, 0);
    char *s = strdup((const char *) xmlBufferContent(buf));
    xmlBufferFree(buf);
    return s;
}

static char *s_resolve(const char *href, const xmlNode *context, const char *base_url)
{
    if (!href)
        return NULL;
    xmlChar *base = context ? xmlNodeGetBase(context->doc, context) : NULL;
    const char *b = base ? (const char *) base : base_url;
    char *out = NULL;
    if (b) {
        xmlChar *abs = xmlBuildURI((const xmlChar *) href, (const xmlChar *) b);
        if (abs) {
            out = strdup((const char *) abs);
            xmlFree(abs);
        }
    }
    if (base)
        xmlFree(base);
    return out ? out : strdup(href);
}

static void s_set(json_t *o, const char *key, char *value)
{
    if (value && *value)
        json_object_set_new(o, key, json_string(value));
    free(value);
}

static json_t *s_item_rss(xmlNode *it, const char *base_url)
{
    json_t *o = json_object();
    s_set(o, "title", s_text(s_child(it, "title")));
    char *link = s_text(s_child(it, "link"));
    s_set(o, "link", link ? s_resolve(link, it, base_url) : NULL);
    free(link);
    s_set(o, "guid", s_text(s_child(it, "guid")));
    xmlNode *enc = s_child_ns(it, "purl.org/rss/1.0/modules/content", "encoded");
    s_set(o, "content", s_text(enc));
    s_set(o, "summary", s_text(s_child(it, "description")));
    char *author = s_text(s_child_ns(it, "purl.org/dc", "creator"));
    if (!author)
        author = s_text(s_child(it, "author"));
    s_set(o, "author", author);
    char *date = s_text(s_child(it, "pubDate"));
    if (!date)
        date = s_text(s_child_ns(it, "purl.org/dc", "date"));
    s_set(o, "published", date);
    json_t *cats = json_array();
    for (xmlNode *c = it->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(s_local(c), "category")) {
            char *t = s_text(c);
            if (t && *t)
                json_array_append_new(cats, json_string(t));
            free(t);
        }
    json_object_set_new(o, "categories", cats);
    if (!json_object_get(o, "guid")) {
        xmlChar *about = xmlGetProp(it, (const xmlChar *) "about"); /* RDF items */
        if (about) {
            json_object_set_new(o, "guid", json_string((const char *) about));
            xmlFree(about);
        }
    }
    return o;
}

static json_t *s_item_atom(xmlNode *e, const char *base_url)
{
    json_t *o = json_object();
    s_set(o, "title", s_text(s_child(e, "title")));
    s_set(o, "guid", s_text(s_child(e, "id")));
    for (xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp(s_local(c), "link"))
            continue;
        xmlChar *rel = xmlGetProp(c, (const xmlChar *) "rel");
        xmlChar *href = xmlGetProp(c, (const xmlChar *) "href");
        if (href && (!rel || !strcmp((const char *) rel, "alternate")) && !json_object_get(o, "link"))
            s_set(o, "link", s_resolve((const char *) href, c, base_url));
        if (rel)
            xmlFree(rel);
        if (href)
            xmlFree(href);
    }
    xmlNode *content = s_child(e, "content");
    if (content) {
        xmlChar *type = xmlGetProp(content, (const xmlChar *) "type");
        bool xhtml = type && !strcmp((const char *) type, "xhtml");
        if (type)
            xmlFree(type);
        s_set(o, "content", xhtml ? s_inner_xml(content) : s_text(content));
    }
    s_set(o, "summary", s_text(s_child(e, "summary")));
    s_set(o, "author", s_text(s_child(s_child(e, "author"), "name")));
    char *date = s_text(s_child(e, "published"));
    if (!date)
        date = s_text(s_child(e, "updated"));
    s_set(o, "published", date);
    json_t *cats = json_array();
    for (xmlNode *c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(s_local(c), "category")) {
            xmlChar *term = xmlGetProp(c, (const xmlChar *) "term");
            if (term) {
                json_array_append_new(cats, json_string((const char *) term));
                xmlFree(term);
            }
        }
    json_object_set_new(o, "categories", cats);
    return o;
}

static json_t *s_parse_json(const char *text, size_t max_items, char *err, size_t errlen)
{
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    if (!doc) {
        snprintf(err, errlen, "JSON Feed is not valid JSON: %s (line %d)", je.text, je.line);
        return NULL;
    }
    json_t *out = json_pack(
        "{s:s, s:s, s:[]}", "title",
        json_string_value(json_object_get(doc, "title")) ? json_string_value(json_object_get(doc, "title")) : "",
        "format", "json", "items");
    json_t *items = json_object_get(doc, "items"), *v;
    size_t i;
    json_array_foreach(items, i, v)
    {
        if (i >= max_items)
            break;
        json_t *o = json_object();
        json_t *id = json_object_get(v, "id");
        if (json_is_string(id))
            json_object_set(o, "guid", id);
        else if (json_is_integer(id))
            json_object_set_new(o, "guid", json_sprintf("%lld", (long long) json_integer_value(id)));
        const char *map[][2] = {{"url", "link"},
                                {"title", "title"},
                                {"content_html", "content"},
                                {"summary", "summary"},
                                {"date_published", "published"}};
        for (size_t k = 0; k < 5; k++) {
            json_t *f = json_object_get(v, map[k][0]);
            if (json_is_string(f))
                json_object_set(o, map[k][1], f);
        }
        if (!json_object_get(o, "content") && json_is_string(json_object_get(v, "content_text")))
            json_object_set(o, "content", json_object_get(v, "content_text"));
        json_t *authors = json_object_get(v, "authors");
        json_t *author = json_is_array(authors) ? json_array_get(authors, 0) : json_object_get(v, "author");
        if (json_is_string(json_object_get(author, "name")))
            json_object_set(o, "author", json_object_get(author, "name"));
        json_t *tags = json_object_get(v, "tags");
        json_object_set_new(o, "categories", json_is_array(tags) ? json_deep_copy(tags) : json_array());
        json_array_append_new(json_object_get(out, "items"), o);
    }
    json_decref(doc);
    return out;
}

json_t *ww_feed_parse(const char *bytes, size_t len, const char *http_charset, const char *base_url, size_t max_items,
                      char *err, size_t errlen)
{
    ww_decode_info_t info;
    char *text = ww_decode_to_utf8(bytes, len, NULL, http_charset, len * 3 + 16, &info);
    if (!text) {
        snprintf(err, errlen, "feed could not be decoded");
        return NULL;
    }
    const char *t = text;
    while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
        t++;
    if (*t == '{') {
        json_t *r = s_parse_json(t, max_items, err, errlen);
        free(text);
        return r;
    }
    /* Encoding given explicitly: we decoded already, whatever the XML declaration says. */
    xmlDocPtr doc = xmlReadMemory(text, (int) strlen(text), base_url, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_NOCDATA);
    free(text);
    if (!doc) {
        snprintf(err, errlen, "feed is not XML that can be recovered");
        return NULL;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    json_t *out = NULL;
    if (!root) {
        snprintf(err, errlen, "feed has no root element");
    } else if (!strcmp(s_local(root), "rss") || !strcmp(s_local(root), "RDF")) {
        bool rdf = !strcmp(s_local(root), "RDF");
        xmlNode *channel = s_child(root, "channel");
        char *title = s_text(s_child(channel, "title"));
        out = json_pack("{s:s, s:s, s:[]}", "title", title ? title : "", "format", rdf ? "rdf" : "rss", "items");
        free(title);
        /* RSS 2.0 items sit in channel; RDF items beside it */
        xmlNode *scopes[2] = {channel, rdf ? root : NULL};
        for (int s = 0; s < 2; s++)
            for (xmlNode *c = scopes[s] ? scopes[s]->children : NULL; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && !strcmp(s_local(c), "item") &&
                    json_array_size(json_object_get(out, "items")) < max_items)
                    json_array_append_new(json_object_get(out, "items"), s_item_rss(c, base_url));
    } else if (!strcmp(s_local(root), "feed")) {
        char *title = s_text(s_child(root, "title"));
        out = json_pack("{s:s, s:s, s:[]}", "title", title ? title : "", "format", "atom", "items");
        free(title);
        for (xmlNode *c = root->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && !strcmp(s_local(c), "entry") &&
                json_array_size(json_object_get(out, "items")) < max_items)
                json_array_append_new(json_object_get(out, "items"), s_item_atom(c, base_url));
    } else {
        snprintf(err, errlen, "root element <%s> is not a feed", s_local(root));
    }
    xmlFreeDoc(doc);
    return out;
}
