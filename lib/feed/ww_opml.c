/* ww_opml: OPML feed lists in and out. */
#include "ww_opml.h"
#include "feed_parts.h"
#include "ww_encoding.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_DEPTH 16

static char *s_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *) name);
    char *s = v ? strdup((const char *) v) : NULL;
    if (v)
        xmlFree(v);
    return s;
}

static void s_walk(const xmlNode *parent, const char *folder, int depth, json_t *out, size_t max_feeds)
{
    if (depth > S_MAX_DEPTH)
        return;
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *) c->name, "outline"))
            continue;
        char *url = s_attr(c, "xmlUrl");
        char *text = s_attr(c, "text");
        if (!text)
            text = s_attr(c, "title");
        if (url && *url) {
            if (json_array_size(out) < max_feeds) {
                json_t *feed = json_pack("{s:s}", "url", url);
                feed_set(feed, "title", text ? strdup(text) : NULL);
                feed_set(feed, "folder", folder ? strdup(folder) : NULL);
                json_array_append_new(out, feed);
            }
        } else if (c->children) {
            char *sub = NULL;
            if (text && *text) {
                size_t n = (folder ? strlen(folder) + 1 : 0) + strlen(text) + 1;
                sub = malloc(n);
                snprintf(sub, n, "%s%s%s", folder ? folder : "", folder ? "/" : "", text);
            }
            s_walk(c, sub ? sub : folder, depth + 1, out, max_feeds);
            free(sub);
        }
        free(url);
        free(text);
    }
}

json_t *ww_opml_parse(const char *bytes, size_t len, size_t max_feeds, char *err, size_t errlen)
{
    ww_decode_info_t info;
    char *text = ww_decode_to_utf8(bytes, len, NULL, NULL, len * 3 + 16, &info);
    if (!text) {
        snprintf(err, errlen, "cannot be decoded");
        return NULL;
    }
    int repaired = 0, dropped_dtd = 0;
    size_t plen;
    char *prepared = feed_xml_prepare(text, strlen(text), &plen, &repaired, &dropped_dtd);
    free(text);
    xmlDocPtr doc = plen < INT32_MAX
                        ? xmlReadMemory(prepared, (int) plen, NULL, "UTF-8",
                                        XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                        : NULL;
    free(prepared);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    json_t *out = NULL;
    if (!root || strcmp((const char *) root->name, "opml"))
        snprintf(err, errlen, "not an OPML document (no <opml> root element)");
    else {
        const xmlNode *body = NULL;
        for (const xmlNode *c = root->children; c && !body; c = c->next)
            if (c->type == XML_ELEMENT_NODE && !strcmp((const char *) c->name, "body"))
                body = c;
        if (!body)
            snprintf(err, errlen, "OPML document without a <body>");
        else {
            out = json_array();
            s_walk(body, NULL, 0, out, max_feeds);
        }
    }
    xmlFreeDoc(doc);
    return out;
}

static const char *s_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void s_feed_outline(xmlNode *parent, json_t *feed)
{
    xmlNode *o = xmlNewChild(parent, NULL, (const xmlChar *) "outline", NULL);
    const char *title = s_str(feed, "title") ? s_str(feed, "title") : s_str(feed, "url");
    xmlNewProp(o, (const xmlChar *) "type", (const xmlChar *) "rss");
    xmlNewProp(o, (const xmlChar *) "text", (const xmlChar *) title);
    xmlNewProp(o, (const xmlChar *) "title", (const xmlChar *) title);
    xmlNewProp(o, (const xmlChar *) "xmlUrl", (const xmlChar *) s_str(feed, "url"));
}

/* The outline for a folder path "a/b", created on first use. */
static xmlNode *s_folder(xmlNode *body, const char *path)
{
    xmlNode *at = body;
    char *copy = strdup(path);
    for (char *save = NULL, *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        xmlNode *found = NULL;
        for (xmlNode *c = at->children; c && !found; c = c->next) {
            xmlChar *text = xmlGetProp(c, (const xmlChar *) "text");
            xmlChar *url = xmlGetProp(c, (const xmlChar *) "xmlUrl");
            if (!url && text && !strcmp((const char *) text, part))
                found = c;
            xmlFree(text);
            xmlFree(url);
        }
        if (!found) {
            found = xmlNewChild(at, NULL, (const xmlChar *) "outline", NULL);
            xmlNewProp(found, (const xmlChar *) "text", (const xmlChar *) part);
            xmlNewProp(found, (const xmlChar *) "title", (const xmlChar *) part);
        }
        at = found;
    }
    free(copy);
    return at;
}

char *ww_opml_write(json_t *feeds, const char *title)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *) "1.0");
    xmlNode *root = xmlNewNode(NULL, (const xmlChar *) "opml");
    xmlDocSetRootElement(doc, root);
    xmlNewProp(root, (const xmlChar *) "version", (const xmlChar *) "2.0");
    xmlNode *head = xmlNewChild(root, NULL, (const xmlChar *) "head", NULL);
    xmlNewTextChild(head, NULL, (const xmlChar *) "title", (const xmlChar *) title);
    xmlNode *body = xmlNewChild(root, NULL, (const xmlChar *) "body", NULL);
    size_t i;
    json_t *feed;
    json_array_foreach(feeds, i, feed)
    {
        const char *folder = s_str(feed, "folder");
        s_feed_outline(folder && *folder ? s_folder(body, folder) : body, feed);
    }
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
    char *out = strdup(mem ? (const char *) mem : "");
    xmlFree(mem);
    xmlFreeDoc(doc);
    return out;
}
