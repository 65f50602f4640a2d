/* test_snippet: search snippets stay in the article's own script and width,
 * with the match marked, whichever script or width the query came in. */
#include "ww_fold.h"
#include "ww_query.h"
#include "ww_snippet.h"
#include "ww_test.h"

/* The snippet of display for query (caller frees). */
static char *s_snip(ww_fold_t *fold, const char *query, const char *display, size_t width)
{
    char err[256];
    ww_query_t *q = ww_query_parse(query, fold, 0, err, sizeof err);
    if (!q)
        return NULL;
    const char **terms = ww_query_positive_terms(q);
    char *snippet = ww_snippet(fold, display, terms, width);
    free(terms);
    ww_query_destroy(&q);
    return snippet;
}

static size_t s_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char) *s & 0xC0) != 0x80;
    return n;
}

/* True if the snippet of display for query (width 120) holds want; the
 * snippet is printed when it does not. */
static bool s_marks(ww_fold_t *fold, const char *query, const char *display, const char *want)
{
    char *s = s_snip(fold, query, display, 120);
    bool yes = s && strstr(s, want) != NULL;
    if (!yes)
        fprintf(stderr, "snippet of %s: %s (wanted %s)\n", query, s ? s : "(none)", want);
    free(s);
    return yes;
}

int main(void)
{
    char err[256];
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    CHECK(fold != NULL);
    const char *trad = "颱風逼近，全面嚴防死守，市民可下載ＡＰＰ查詢最新消息，衞生部門加強巡查。";

    /* a simplified query marks the traditional words as they are written */
    char *s = s_snip(fold, "严防死守", trad, 120);
    CHECK(s && strstr(s, "**嚴防死守**") != NULL);
    CHECK(s && strstr(s, "严防死守") == NULL);
    free(s);
    CHECK(s_marks(fold, "卫生", trad, "**衞生**")); /* 衞 is a Hong Kong variant */
    /* half-width query, full-width text: the text's own width shows */
    CHECK(s_marks(fold, "app", trad, "**ＡＰＰ**"));
    /* a traditional query on a simplified text shows the simplified text */
    CHECK(s_marks(fold, "颱風", "台风逼近，港口停航。", "**台风**"));

    /* folding changes the number of characters before the hit ("Ⅱ" is
     * "ii", "ß" is "ss"): the hit is marked all the same */
    CHECK(s_marks(fold, "台风", "省防指啟動防颱風Ⅱ級應急響應", "防**颱風**Ⅱ級"));
    CHECK(s_marks(fold, "storm", "Die Straße war nach dem Storm gesperrt.", "dem **Storm** gesperrt"));
    CHECK(s_marks(fold, "级应急", "省防指啟動防颱風Ⅱ級應急響應", "Ⅱ**級應急**響應"));

    /* a phrase parting two characters finds them touching, and marks them */
    CHECK(s_marks(fold, "\"防 汛\"", "部署防汛工作。", "部署**防汛**工作"));

    /* a long article: the excerpt is about the width, around the match */
    char long_text[8192] = "";
    size_t used = 0;
    for (int i = 0; i < 60; i++)
        used += (size_t) snprintf(long_text + used, sizeof long_text - used, "港区今日作业正常，");
    used += (size_t) snprintf(long_text + used, sizeof long_text - used, "台风预警已经解除。");
    for (int i = 0; i < 60; i++)
        used += (size_t) snprintf(long_text + used, sizeof long_text - used, "船舶有序进出港口，");
    s = s_snip(fold, "预警", long_text, 60);
    CHECK(s && strstr(s, "**预警**") != NULL);
    CHECK(s && s_chars(s) <= 60 + 12); /* the width, the marks and ellipses */
    free(s);

    /* nothing matches (a negative term only): the start of the text */
    CHECK(s_marks(fold, "码头 -台风", "港口恢复作业，码头秩序井然。", "**码头**"));
    s = s_snip(fold, "机场", "港口恢复作业。\n\n码头秩序井然。", 120);
    CHECK_STR(s, "港口恢复作业。 码头秩序井然。"); /* one line */
    free(s);
    s = s_snip(fold, "机场", "港口恢复作业。", 120);
    CHECK(s && strncmp(s, "港口恢复", strlen("港口恢复")) == 0 && strstr(s, "**") == NULL);
    free(s);
    ww_fold_destroy(&fold);
    WW_TEST_END();
}
