/* feed_xml: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0 into the common item
 * shape. Elements are matched by name within the feed's own namespace (or
 * none), so media:title or media:content never stand in for title or
 * content; extensions are matched by their namespace URI. */
#include "feed_parts.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_NS_CONTENT "purl.org/rss/1.0/modules/content"
#define S_NS_DC      "purl.org/dc/elements"
#define S_NS_MEDIA   "search.yahoo.com/mrss"
#define S_NS_ATOM    "www.w3.org/2005/Atom"

typedef struct {
    const xmlChar *main_ns; /* the format's namespace; NULL for RSS 2.0 */
    const char *base_url;
} s_ctx_t;

static bool s_is(const s_ctx_t *x, const xmlNode *c, const char *name)
{
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *) c->name, name))
        return false;
    if (!c->ns)
        return true;
    return x->main_ns && !strcmp((const char *) c->ns->href, (const char *) x->main_ns);
}

static xmlNode *s_child(const s_ctx_t *x, const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (s_is(x, c, name))
            return c;
    return NULL;
}

static bool s_in_ns(const xmlNode *c, const char *ns_part, const char *name)
{
    return c->type == XML_ELEMENT_NODE && !strcmp((const char *) c->name, name) && c->ns && c->ns->href &&
           strstr((const char *) c->ns->href, ns_part);
}

static xmlNode *s_child_ns(const xmlNode *n, const char *ns_part, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (s_in_ns(c, ns_part, name))
            return c;
    return NULL;
}

static char *s_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = n ? xmlGetProp(n, (const xmlChar *) name) : NULL;
    char *s = v ? strdup((const char *) v) : NULL;
    if (v)
        xmlFree(v);
    return s;
}

/* A title or name: escaped HTML in it (common in Chinese portals' feeds,
 * and Atom's type="html") becomes text. */
static char *s_plain(const xmlNode *n)
{
    char *raw = feed_node_text(n);
    if (!raw)
        return NULL;
    char *type = s_attr(n, "type");
    bool markup = (type && (!strcmp(type, "html") || !strcmp(type, "xhtml"))) || strchr(raw, '<') || strchr(raw, '&');
    free(type);
    if (!markup)
        return raw;
    char *text = feed_html_to_text(raw);
    free(raw);
    return text;
}

static void s_add_media(json_t *item, const char *key, json_t *entry)
{
    json_t *list = json_object_get(item, key);
    if (!list) {
        list = json_array();
        json_object_set_new(item, key, list);
    }
    const char *url = json_string_value(json_object_get(entry, "url"));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) if (!strcmp(json_string_value(json_object_get(e, "url")), url))
    {
        json_decref(entry);
        return;
    }
    json_array_append_new(list, entry);
}

/* enclosure, media:content, media:thumbnail, media:group and Atom
 * rel="enclosure" links: images go to "images", the rest to "enclosures". */
static void s_media(const s_ctx_t *x, json_t *item, const xmlNode *n)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (s_in_ns(c, S_NS_MEDIA, "group")) {
            s_media(x, item, c);
            continue;
        }
        char *url = NULL, *type = NULL, *length = NULL, *medium = NULL;
        if (s_is(x, c, "enclosure") || s_in_ns(c, S_NS_MEDIA, "content") || s_in_ns(c, S_NS_MEDIA, "thumbnail")) {
            url = s_attr(c, "url");
            type = s_attr(c, "type");
            length = s_attr(c, s_is(x, c, "enclosure") ? "length" : "fileSize");
            medium = s_in_ns(c, S_NS_MEDIA, "thumbnail") ? strdup("image") : s_attr(c, "medium");
        } else if (s_is(x, c, "link")) {
            char *rel = s_attr(c, "rel");
            if (rel && !strcmp(rel, "enclosure")) {
                url = s_attr(c, "href");
                type = s_attr(c, "type");
                length = s_attr(c, "length");
            }
            free(rel);
        }
        if (url && *url) {
            char *abs = feed_resolve(url, c, x->base_url);
            bool image = (medium && !strcmp(medium, "image")) || (type && !strncmp(type, "image/", 6));
            json_t *e = json_pack("{s:s}", "url", abs);
            if (!image) {
                if (type && *type)
                    json_object_set_new(e, "type", json_string(type));
                if (length && atoll(length) > 0)
                    json_object_set_new(e, "length", json_integer(atoll(length)));
            } else {
                char *caption = feed_node_text(s_child_ns(c, S_NS_MEDIA, "description"));
                if (!caption)
                    caption = feed_node_text(s_child_ns(c, S_NS_MEDIA, "title"));
                feed_set(e, "caption", caption);
            }
            s_add_media(item, image ? "images" : "enclosures", e);
            free(abs);
        }
        free(url);
        free(type);
        free(length);
        free(medium);
    }
}

static json_t *s_categories(const s_ctx_t *x, const xmlNode *n, bool atom)
{
    json_t *cats = json_array();
    for (xmlNode *c = n->children; c; c = c->next) {
        char *t = NULL;
        if (s_is(x, c, "category"))
            t = atom ? s_attr(c, "term") : feed_node_text(c);
        else if (s_in_ns(c, S_NS_DC, "subject"))
            t = feed_node_text(c);
        if (t && *t && json_array_size(cats) < 64)
            json_array_append_new(cats, json_string(t));
        free(t);
    }
    return cats;
}

static json_t *s_item_rss(const s_ctx_t *x, xmlNode *it)
{
    json_t *o = json_object();
    feed_set(o, "title", s_plain(s_child(x, it, "title")));
    if (!json_object_get(o, "title"))
        feed_set(o, "title", s_plain(s_child_ns(it, S_NS_DC, "title")));
    char *link = feed_node_text(s_child(x, it, "link"));
    feed_set(o, "link", link && *link ? feed_resolve(link, it, x->base_url) : NULL);
    free(link);
    xmlNode *guid = s_child(x, it, "guid");
    feed_set(o, "guid", feed_node_text(guid));
    char *permalink = s_attr(guid, "isPermaLink");
    /* A guid that is a permalink (the default) stands in for a missing link. */
    if (guid && !json_object_get(o, "link") && (!permalink || strcmp(permalink, "false")) &&
        json_object_get(o, "guid") && strstr(json_string_value(json_object_get(o, "guid")), "://"))
        json_object_set(o, "link", json_object_get(o, "guid"));
    free(permalink);
    if (!json_object_get(o, "guid")) {
        char *about = s_attr(it, "about"); /* RDF items are named by rdf:about */
        feed_set(o, "guid", about);
    }
    feed_set(o, "content", feed_node_text(s_child_ns(it, S_NS_CONTENT, "encoded")));
    feed_set(o, "summary", feed_node_text(s_child(x, it, "description")));
    char *author = s_plain(s_child_ns(it, S_NS_DC, "creator"));
    if (!author)
        author = s_plain(s_child(x, it, "author"));
    feed_set(o, "author", author);
    char *date = feed_node_text(s_child(x, it, "pubDate"));
    if (!date)
        date = feed_node_text(s_child_ns(it, S_NS_DC, "date"));
    feed_set(o, "published", date);
    feed_set(o, "comments", feed_node_text(s_child(x, it, "comments")));
    xmlNode *source = s_child(x, it, "source");
    feed_set(o, "source", s_plain(source));
    json_object_set_new(o, "categories", s_categories(x, it, false));
    s_media(x, o, it);
    return o;
}

/* Atom content and summary: html as it is, xhtml serialised, text escaped,
 * so that the item's body is always HTML. Out-of-line content (src=) is
 * left to the link. */
static char *s_atom_html(const xmlNode *n)
{
    if (!n)
        return NULL;
    char *type = s_attr(n, "type");
    char *src = s_attr(n, "src");
    char *out = NULL;
    if (src)
        out = NULL;
    else if (type && !strcmp(type, "xhtml")) {
        xmlBufferPtr buf = xmlBufferCreate();
        for (xmlNode *c = n->children; c; c = c->next)
            xmlNodeDump(buf, n->doc, c, 0, 0);
        out = strdup((const char *) xmlBufferContent(buf));
        xmlBufferFree(buf);
    } else if (!type || !strcmp(type, "text")) {
        char *text = feed_node_text(n);
        out = text ? feed_text_to_html(text) : NULL;
        free(text);
    } else if (!strcmp(type, "html") || strstr(type, "html"))
        out = feed_node_text(n);
    else if (!strncmp(type, "text/", 5)) {
        char *text = feed_node_text(n);
        out = text ? feed_text_to_html(text) : NULL;
        free(text);
    } /* other media types (base64 payloads) are not articles */
    free(type);
    free(src);
    return out;
}

static char *s_atom_person(const s_ctx_t *x, const xmlNode *n)
{
    char *names = NULL;
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (!s_is(x, c, "author"))
            continue;
        char *name = s_plain(s_child(x, c, "name"));
        if (name && *name) {
            char *joined = names ? NULL : strdup(name);
            if (names && asprintf(&joined, "%s, %s", names, name) < 0)
                joined = NULL;
            free(names);
            names = joined;
        }
        free(name);
    }
    return names;
}

static json_t *s_item_atom(const s_ctx_t *x, xmlNode *e, const char *feed_author)
{
    json_t *o = json_object();
    feed_set(o, "title", s_plain(s_child(x, e, "title")));
    feed_set(o, "guid", feed_node_text(s_child(x, e, "id")));
    for (xmlNode *c = e->children; c; c = c->next) {
        if (!s_is(x, c, "link"))
            continue;
        char *rel = s_attr(c, "rel"), *href = s_attr(c, "href");
        if (href && (!rel || !strcmp(rel, "alternate")) && !json_object_get(o, "link"))
            feed_set(o, "link", feed_resolve(href, c, x->base_url));
        free(rel);
        free(href);
    }
    xmlNode *content = s_child(x, e, "content");
    feed_set(o, "content", s_atom_html(content));
    feed_set(o, "summary", s_atom_html(s_child(x, e, "summary")));
    /* Relative links inside the content resolve against its xml:base. */
    if (content) {
        xmlChar *base = xmlNodeGetBase(content->doc, content);
        if (base) {
            feed_set(o, "base_url", feed_resolve((const char *) base, NULL, x->base_url));
            xmlFree(base);
        }
    }
    char *author = s_atom_person(x, e);
    feed_set(o, "author", author ? author : (feed_author ? strdup(feed_author) : NULL));
    char *published = feed_node_text(s_child(x, e, "published"));
    if (!published)
        published = feed_node_text(s_child(x, e, "issued")); /* Atom 0.3 */
    char *updated = feed_node_text(s_child(x, e, "updated"));
    if (!updated)
        updated = feed_node_text(s_child(x, e, "modified"));
    feed_set(o, "published", published ? published : (updated ? strdup(updated) : NULL));
    feed_set(o, "updated", updated);
    json_object_set_new(o, "categories", s_categories(x, e, true));
    s_media(x, o, e);
    return o;
}

static void s_append_items(json_t *out, json_t *item, size_t max_items, size_t *skipped)
{
    json_t *items = json_object_get(out, "items");
    if (json_array_size(items) < max_items)
        json_array_append_new(items, item);
    else {
        json_decref(item);
        (*skipped)++;
    }
}

static json_t *s_read_rss(s_ctx_t *x, xmlNode *root, bool rdf, size_t max_items)
{
    xmlNode *channel = NULL;
    for (xmlNode *c = root->children; c && !channel; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *) c->name, "channel"))
            channel = c;
    /* RSS 1.0 and 0.90 put their elements in a namespace of their own. */
    x->main_ns = rdf && channel && channel->ns ? channel->ns->href : NULL;
    char *title = s_plain(s_child(x, channel, "title"));
    char *link = feed_node_text(s_child(x, channel, "link"));
    char *language = feed_node_text(s_child(x, channel, "language"));
    if (!language)
        language = feed_node_text(s_child_ns(channel, S_NS_DC, "language"));
    json_t *out = json_pack("{s:s, s:s, s:[]}", "title", title ? title : "", "format", rdf ? "rdf" : "rss", "items");
    feed_set(out, "link", link);
    feed_set(out, "language", language);
    free(title);
    size_t skipped = 0;
    /* RSS 2.0 items sit in the channel; RDF items beside it. */
    xmlNode *scopes[2] = {channel, rdf ? root : NULL};
    for (int s = 0; s < 2; s++)
        for (xmlNode *c = scopes[s] ? scopes[s]->children : NULL; c; c = c->next)
            if (s_is(x, c, "item"))
                s_append_items(out, s_item_rss(x, c), max_items, &skipped);
    if (!channel)
        feed_warn(out, "no <channel> element");
    if (skipped)
        feed_warn(out, "%zu items beyond the first %zu were not read", skipped, max_items);
    return out;
}

static json_t *s_read_atom(s_ctx_t *x, xmlNode *root, size_t max_items)
{
    x->main_ns = root->ns ? root->ns->href : NULL;
    char *title = s_plain(s_child(x, root, "title"));
    json_t *out = json_pack("{s:s, s:s, s:[]}", "title", title ? title : "", "format", "atom", "items");
    free(title);
    for (xmlNode *c = root->children; c; c = c->next) {
        char *rel = s_is(x, c, "link") ? s_attr(c, "rel") : NULL;
        if (s_is(x, c, "link") && (!rel || !strcmp(rel, "alternate")) && !json_object_get(out, "link")) {
            char *href = s_attr(c, "href");
            feed_set(out, "link", href ? feed_resolve(href, c, x->base_url) : NULL);
            free(href);
        }
        free(rel);
    }
    xmlChar *lang = xmlNodeGetLang(root);
    if (lang) {
        json_object_set_new(out, "language", json_string((const char *) lang));
        xmlFree(lang);
    }
    char *feed_author = s_atom_person(x, root);
    size_t skipped = 0;
    for (xmlNode *c = root->children; c; c = c->next)
        if (s_is(x, c, "entry"))
            s_append_items(out, s_item_atom(x, c, feed_author), max_items, &skipped);
    free(feed_author);
    if (skipped)
        feed_warn(out, "%zu entries beyond the first %zu were not read", skipped, max_items);
    return out;
}

json_t *feed_read_xml(const char *text, size_t len, const char *base_url, size_t max_items, char *err, size_t errlen)
{
    int repaired = 0, dropped_dtd = 0;
    size_t plen;
    char *prepared = feed_xml_prepare(text, len, &plen, &repaired, &dropped_dtd);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt || plen > INT32_MAX) {
        free(prepared);
        xmlFreeParserCtxt(ctxt);
        snprintf(err, errlen, "feed too large for the XML parser");
        return NULL;
    }
    /* No DTD loading, no entity substitution, no network. The text was
     * decoded to UTF-8 already: libxml2 is told to ignore the document's
     * own declaration, and reads UTF-8 without a conversion pass (naming
     * "UTF-8" here would copy the whole text through an encoder). */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, prepared, (int) plen, base_url, NULL,
                                      XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);
    free(prepared);
    char first_error[300] = "";
    if (!ctxt->wellFormed) {
        const xmlError *e = &ctxt->lastError;
        snprintf(first_error, sizeof first_error, "line %d: %s", e->line, e->message ? e->message : "malformed XML");
        size_t l = strlen(first_error);
        while (l && (first_error[l - 1] == '\n' || first_error[l - 1] == ' '))
            first_error[--l] = 0;
    }
    xmlFreeParserCtxt(ctxt);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    json_t *out = NULL;
    s_ctx_t x = {NULL, base_url};
    if (!root)
        snprintf(err, errlen, "not XML that can be recovered%s%s", first_error[0] ? ": " : "", first_error);
    else if (!strcmp((const char *) root->name, "rss") || !strcmp((const char *) root->name, "RDF"))
        out = s_read_rss(&x, root, !strcmp((const char *) root->name, "RDF"), max_items);
    else if (!strcmp((const char *) root->name, "feed"))
        out = s_read_atom(&x, root, max_items);
    else
        snprintf(err, errlen, "root element <%.40s> is not a feed", (const char *) root->name);
    if (out && first_error[0])
        feed_warn(out, "malformed XML recovered (%s)", first_error);
    if (out && repaired)
        feed_warn(out, "%d unescaped '&' or undeclared HTML entities repaired", repaired);
    if (out && dropped_dtd)
        feed_warn(out, "the document's DTD was ignored: its entities are never expanded");
    xmlFreeDoc(doc);
    return out;
}
