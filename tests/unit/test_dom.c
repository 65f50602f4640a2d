/* test_dom: the HTML parser's tree for the shapes real pages take: implied
 * ends, misnesting, tables, raw text, character references, attributes,
 * comments, and bounds on depth and size. */
#include "ww_buf.h"
#include "ww_dom.h"
#include "ww_test.h"

/* Writes the tree as tag(children) with text in quotes, whitespace-only
 * text left out. */
static void s_dump(const ww_node_t *n, ww_buf_t *out)
{
    for (const ww_node_t *c = n->first; c; c = c->next) {
        if (c->type == WW_NODE_TEXT) {
            bool blank = true;
            for (uint32_t i = 0; i < c->text_len; i++)
                if (c->text[i] != ' ' && c->text[i] != '\n')
                    blank = false;
            if (!blank) {
                ww_buf_addc(out, '"');
                ww_buf_add(out, c->text, c->text_len);
                ww_buf_addc(out, '"');
                if (c->next)
                    ww_buf_addc(out, ' ');
            }
            continue;
        }
        if (c->tag == WW_TAG_OTHER)
            ww_buf_add(out, c->name, c->name_len);
        else
            ww_buf_adds(out, ww_tag_name(c->tag));
        if (c->first) {
            ww_buf_addc(out, '(');
            s_dump(c, out);
            ww_buf_addc(out, ')');
        }
        if (c->next)
            ww_buf_addc(out, ' ');
    }
}

static char *s_tree(const char *html)
{
    char err[128];
    ww_dom_t *d = ww_dom_parse(html, strlen(html), 0, err, sizeof err);
    ww_buf_t b;
    ww_buf_init(&b, 1 << 20);
    if (d)
        s_dump(ww_dom_document(d), &b);
    ww_dom_free(&d);
    return ww_buf_take(&b);
}

static void s_expect(const char *html, const char *want)
{
    char *got = s_tree(html);
    /* the dump joins siblings with spaces; trim a trailing one */
    size_t n = strlen(got);
    while (n && got[n - 1] == ' ')
        got[--n] = 0;
    CHECK_STR(got, want);
    free(got);
}

int main(void)
{
    s_expect("<p>a<p>b", "p(\"a\") p(\"b\")");
    s_expect("<div><p>a<div>b</div>c</div>", "div(p(\"a\") div(\"b\") \"c\")");
    s_expect("<ul><li>a<li>b</ul>after", "ul(li(\"a\") li(\"b\")) \"after\"");
    s_expect("<table><tr><td>a<td>b<tr><td>c</table>x", "table(tr(td(\"a\") td(\"b\")) tr(td(\"c\"))) \"x\"");
    s_expect("<table><tr><td>a</tr><tr><td>b</td></tr></table>", "table(tr(td(\"a\")) tr(td(\"b\")))");
    s_expect("<b><p>x</b>y</p>z", "b(p(\"x\")) \"y\" \"z\"");
    s_expect("<DIV CLASS=a><P>x</P></DIV>", "div(p(\"x\"))");
    s_expect("<p>x<h2>y</h2>z", "p(\"x\") h2(\"y\") \"z\"");
    s_expect("<h1>a<h2>b</h2>", "h1(\"a\") h2(\"b\")");
    s_expect("<dl><dt>a<dd>b<dt>c</dl>", "dl(dt(\"a\") dd(\"b\") dt(\"c\"))");
    s_expect("<a href=1>one<a href=2>two</a>", "a(\"one\") a(\"two\")");
    s_expect("<select><option>a<option>b</select>", "select(option(\"a\") option(\"b\"))");
    /* a stray end tag inside a cell does not close what is outside the table */
    s_expect("<div><table><tr><td>a</div>b</td></tr></table>c</div>", "div(table(tr(td(\"a\" \"b\"))) \"c\")");
    s_expect("<p>a</br>b</p>", "p(\"a\" br \"b\")");
    s_expect("x</span>y</div>z", "\"x\" \"y\" \"z\"");
    s_expect("<script>if (a<b) { s = \"</div>\"; }</script><p>t", "script(\"if (a<b) { s = \"</div>\"; }\") p(\"t\")");
    s_expect("<script>var s = '<p>';</script ><p>t", "script(\"var s = '<p>';\") p(\"t\")");
    s_expect("<style>p{color:red}</style>x", "style(\"p{color:red}\") \"x\"");
    s_expect("<!-- hidden <p>x</p> -->shown<!---->", "\"shown\"");
    s_expect("<!DOCTYPE html><?xml version=\"1.0\"?><html><body>b</body></html>", "html(body(\"b\"))");
    s_expect("<![CDATA[x]]>y", "\"y\"");
    s_expect("a < b and c<3", "\"a \" \"<\" \" b and c\" \"<\" \"3\"");
    s_expect("<img src=a.png><br/><hr>", "img br hr");
    s_expect("<custom-tag/>x<custom-tag>y</custom-tag>", "custom-tag \"x\" custom-tag(\"y\")");
    s_expect("<body>a<body>b</body>", "body(\"a\" \"b\")");
    s_expect("<title>A &amp; B</title>", "title(\"A & B\")");
    s_expect("<textarea><p>not a tag</p></textarea>", "textarea(\"<p>not a tag</p>\")");

    /* character references */
    char *t = s_tree("&lt;a&gt; &amp; &#20013;&#x4e2D; &copy &hellip; &bogus; &amp &#128; &#0; &#x110000; &apos;");
    CHECK_STR(t, "\"<a> & 中中 © … &bogus; & € \xef\xbf\xbd \xef\xbf\xbd '\"");
    free(t);
    t = s_tree("a&nbsp;b&nbspc");
    CHECK_STR(t, "\"a\xc2\xa0"
                 "b\xc2\xa0"
                 "c\"");
    free(t);

    /* attributes: quoted, unquoted, valueless, references, case */
    char err[128];
    const char *html = "<a HREF=x.html class='c d' data-x=\"1&amp;2\" disabled title=\"&copy=1\" q=\"&notit\">";
    ww_dom_t *d = ww_dom_parse(html, strlen(html), 0, err, sizeof err);
    ww_node_t *a = ww_dom_document(d)->first;
    CHECK(a && a->tag == WW_TAG_A && a->nattrs == 6);
    size_t len;
    const char *v = ww_node_attr(a, "href", &len);
    CHECK(v && len == 6 && !strncmp(v, "x.html", 6));
    char *cls = ww_node_attr_dup(a, "class");
    CHECK_STR(cls, "c d");
    free(cls);
    char *dx = ww_node_attr_dup(a, "DATA-X");
    CHECK_STR(dx, "1&2");
    free(dx);
    char *dis = ww_node_attr_dup(a, "disabled");
    CHECK_STR(dis, "");
    free(dis);
    char *title = ww_node_attr_dup(a, "title"); /* legacy name before '=' stays text in attributes */
    CHECK_STR(title, "&copy=1");
    free(title);
    CHECK(ww_node_attr(a, "missing", NULL) == NULL);
    ww_dom_free(&d);
    ww_dom_free(&d);

    /* truncated input never reads past the end */
    const char *cut[] = {"<a href=\"x", "<a href=", "<div class", "<!-- open", "<script>never closed",
                         "&#x",         "&",        "</",         "<",         "<p>&amp"};
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        d = ww_dom_parse(cut[i], strlen(cut[i]), 0, err, sizeof err);
        CHECK(d != NULL);
        ww_dom_free(&d);
    }

    /* 100,000 nested elements: depth is capped, every node still counted */
    size_t levels = 100000;
    char *deep = malloc(levels * 5 + 16);
    for (size_t i = 0; i < levels; i++)
        memcpy(deep + 5 * i, "<div>", 5);
    memcpy(deep + 5 * levels, "deep", 5);
    d = ww_dom_parse(deep, strlen(deep), 0, err, sizeof err);
    CHECK(d != NULL);
    size_t max_depth = 0, count = 0;
    for (ww_node_t *n = ww_dom_document(d); n; n = n->first ? n->first : n->next) {
        count++;
        if (n->depth > max_depth)
            max_depth = n->depth;
        if (!n->first && !n->next)
            break;
    }
    CHECK(max_depth <= WW_DOM_MAX_DEPTH + 2);
    CHECK(ww_dom_node_count(d) == levels + 2);
    ww_dom_free(&d);
    free(deep);

    /* the node cap stops parsing and says so */
    html = "<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p>";
    d = ww_dom_parse(html, strlen(html), 5, err, sizeof err);
    CHECK(d && ww_dom_truncated(d) && ww_dom_node_count(d) == 5);
    ww_dom_free(&d);
    WW_TEST_END();
}
