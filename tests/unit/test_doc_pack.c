/* test_doc_pack: stored articles come back whole from their blob; a hit's
 * metadata and body come back alone; a damaged or oversized blob is
 * refused, never trusted. */
#include "ww_doc_pack.h"
#include "ww_message.h"
#include "ww_test.h"

#include <zlib.h>

int main(void)
{
    ww_doc_packer_t *packer = ww_doc_packer_new();
    CHECK(packer != NULL);
    json_t *article = json_pack("{s:s, s:s, s:s, s:[s], s:{s:s, s:s, s:s, s:s}}", "id", "a-1", "title", "港島防颱措施",
                                "body", "颱風逼近，全面嚴防死守。\n\n市民可下載ＡＰＰ查詢。", "authors", "陳大文",
                                "match", "title", "港岛防台措施", "body",
                                "台风逼近,全面严防死守。\n\n市民可下载app查询。", "source", "", "author", "陈大文");
    void *blob = NULL;
    size_t len = 0;
    /* the same packer serves article after article */
    for (int round = 0; round < 3; round++) {
        free(blob);
        CHECK(ww_doc_pack(packer, article, &blob, &len) == 0);
    }
    json_t *back = ww_doc_join(blob, len);
    CHECK(back != NULL);
    CHECK_STR(ww_json_str(back, "body"), ww_json_str(article, "body"));
    CHECK_STR(ww_json_str(json_object_get(back, "match"), "body"), "台风逼近,全面严防死守。\n\n市民可下载app查询。");
    CHECK_STR(ww_json_str(json_object_get(back, "match"), "author"), "陈大文");
    CHECK(json_equal(back, article));
    json_decref(back);

    ww_doc_texts_t texts;
    CHECK(ww_doc_unpack(blob, len, 1 << 20, WW_DOC_TEXTS, &texts) == 0);
    CHECK_STR(texts.text[WW_DOC_MATCH_TITLE], "港岛防台措施");
    CHECK(strstr(texts.text[WW_DOC_META], "\"body\"") == NULL && strstr(texts.text[WW_DOC_META], "陳大文") != NULL);
    ww_doc_texts_free(&texts);
    CHECK(ww_doc_unpack(blob, len, 10, WW_DOC_TEXTS, &texts) < 0); /* would inflate past the cap */
    /* what a hit shows: the metadata and the body, inflated alone */
    CHECK(ww_doc_unpack(blob, len, 1 << 20, WW_DOC_BODY + 1, &texts) == 0);
    CHECK_STR(texts.text[WW_DOC_BODY], ww_json_str(article, "body"));
    CHECK(texts.text[WW_DOC_MATCH_BODY] == NULL);
    ww_doc_texts_free(&texts);
    CHECK(ww_doc_unpack(blob, 30, 1 << 20, WW_DOC_BODY + 1, &texts) < 0); /* cut before the body ends */
    CHECK(ww_doc_unpack(blob, len, 1 << 20, 0, &texts) < 0);

    /* damage: a flipped byte in the stream, a cut, a wrong header, lengths
     * that no longer add up */
    unsigned char *bad = malloc(len);
    memcpy(bad, blob, len);
    bad[len - 3] ^= 0x5A;
    CHECK(ww_doc_unpack(bad, len, 1 << 20, WW_DOC_TEXTS, &texts) < 0);
    CHECK(ww_doc_join(bad, len) == NULL);
    CHECK(ww_doc_unpack(blob, len / 2, 1 << 20, WW_DOC_TEXTS, &texts) < 0);
    CHECK(ww_doc_unpack(blob, 5, 1 << 20, WW_DOC_TEXTS, &texts) < 0);
    memcpy(bad, blob, len);
    bad[0] = 'X';
    CHECK(ww_doc_unpack(bad, len, 1 << 20, WW_DOC_TEXTS, &texts) < 0);
    memcpy(bad, blob, len);
    bad[3 + 4 * WW_DOC_BODY] ^= 0x01;
    CHECK(ww_doc_unpack(bad, len, 1 << 20, WW_DOC_TEXTS, &texts) < 0);
    free(bad);

    /* a blob of an earlier version (deflate, "WT2") is still read, whole
     * or up to its body */
    {
        const char *parts[WW_DOC_TEXTS] = {
            "{\"id\":\"old\",\"title\":\"舊文\"}", "舊的正文。", "旧文", "旧的正文。", "", ""};
        size_t total = 0;
        unsigned char head[3 + 4 * WW_DOC_TEXTS];
        memcpy(head, "WT2", 3);
        for (int i = 0; i < WW_DOC_TEXTS; i++) {
            size_t n = strlen(parts[i]);
            for (int k = 0; k < 4; k++)
                head[3 + 4 * i + k] = (unsigned char) (n >> (8 * k));
            total += n;
        }
        char joined[256] = "";
        for (int i = 0; i < WW_DOC_TEXTS; i++)
            strncat(joined, parts[i], sizeof joined - strlen(joined) - 1);
        uLongf zlen = compressBound((uLong) total);
        unsigned char *old = malloc(sizeof head + zlen);
        memcpy(old, head, sizeof head);
        CHECK(compress2(old + sizeof head, &zlen, (const Bytef *) joined, (uLong) total, 1) == Z_OK);
        json_t *was = ww_doc_join(old, sizeof head + zlen);
        CHECK(was && !strcmp(ww_json_str(was, "id"), "old") && !strcmp(ww_json_str(was, "body"), "舊的正文。"));
        CHECK(was && !strcmp(ww_json_str(json_object_get(was, "match"), "body"), "旧的正文。"));
        json_decref(was);
        CHECK(ww_doc_unpack(old, sizeof head + zlen, 1 << 20, WW_DOC_BODY + 1, &texts) == 0);
        CHECK(texts.text[WW_DOC_BODY] && !strcmp(texts.text[WW_DOC_BODY], "舊的正文。"));
        ww_doc_texts_free(&texts);
        free(old);
    }

    /* an article without text still packs */
    json_t *empty = json_pack("{s:s, s:s, s:s, s:{}}", "id", "e", "title", "", "body", "", "match");
    free(blob);
    CHECK(ww_doc_pack(packer, empty, &blob, &len) == 0);
    back = ww_doc_join(blob, len);
    CHECK(back && !strcmp(ww_json_str(back, "body"), "") && !strcmp(ww_json_str(back, "id"), "e"));
    json_decref(back);
    json_decref(empty);
    free(blob);

    CHECK(ww_doc_pack(NULL, article, &blob, &len) < 0); /* a reader has no packer */
    CHECK(blob == NULL);
    json_decref(article);
    ww_doc_packer_destroy(&packer);
    CHECK(packer == NULL);
    WW_TEST_END();
}
