/* test_normalise: encodings, pinyin stripping, the match form, hashes. */
#include "ww_encoding.h"
#include "ww_fold.h"
#include "ww_hash.h"
#include "ww_pinyin.h"
#include "ww_utf8.h"
#include "ww_gb18030.h"
#include "ww_test.h"

#include <iconv.h>

static void s_check_decode(const char *bytes, size_t len, const char *http, const char *want_enc, const char *want_text)
{
    ww_decode_info_t info;
    char *s = ww_decode_to_utf8(bytes, len, NULL, http, 1 << 20, &info);
    CHECK_STR(info.encoding, want_enc);
    if (want_text)
        CHECK(s && strstr(s, want_text));
    free(s);
}

/* The table-driven GB18030 decoder gives what iconv gives, byte for byte,
 * on real text and on random bytes weighted towards GB's ranges. */
static void s_check_gb18030_equivalence(void)
{
    const char *text =
        "\xd6\xd0\xce\xc4 \xe9\x46 \x95\x32\x82\x36 abc \x81\x30\x81\x30 \x80 \xff \xa1"; /* 中文 镕 𠀀 */
    size_t r1, r2;
    char *fast = ww_gb18030_decode(text, strlen(text), 1 << 20, &r1);
    char *ref = ww_iconv_decode(text, strlen(text), "GB18030", 1 << 20, &r2);
    CHECK(fast && ref && !strcmp(fast, ref) && r1 == r2);
    CHECK(fast && strstr(fast, "中文") && strstr(fast, "镕") && strstr(fast, "\xf0\xa0\x80\x80"));
    free(fast);
    free(ref);
    unsigned seed = 12345;
    int same = 0, runs = 2000;
    for (int run = 0; run < runs; run++) {
        char bytes[64];
        size_t n = (size_t) (rand_r(&seed) % 64);
        for (size_t k = 0; k < n; k++) {
            int pick = rand_r(&seed) % 10;
            bytes[k] = (char) (pick < 3   ? 0x81 + rand_r(&seed) % 126
                               : pick < 6 ? 0x40 + rand_r(&seed) % 191
                               : pick < 8 ? 0x30 + rand_r(&seed) % 10
                                          : rand_r(&seed) % 256);
        }
        fast = ww_gb18030_decode(bytes, n, 1 << 20, &r1);
        ref = ww_iconv_decode(bytes, n, "GB18030", 1 << 20, &r2);
        same += fast && ref && !strcmp(fast, ref) && r1 == r2;
        free(fast);
        free(ref);
    }
    CHECK(same == runs);
}

/* Encodes UTF-8 text with iconv (the test's own bytes). Caller frees. */
static char *s_encode(const char *utf8, const char *to)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t in_left = strlen(utf8), out_left = in_left * 2 + 16;
    char *out = calloc(1, out_left + 1), *o = out;
    char *in = (char *) utf8;
    iconv(cd, &in, &in_left, &o, &out_left);
    iconv_close(cd);
    return out;
}

static void s_check_lying_cjk_labels(void)
{
    const char *prose = "渡輪服務由本月起加密班次，繁忙時間每二十分鐘一班，預計每日可多載約三千人次。"
                        "長洲居民表示，以前放工時間經常要排長龍，有時要等兩班船才上到船。運輸署發言人表示，"
                        "署方會繼續監察渡輪服務的載客情況，並與營辦商商討引入新船，以提升服務質素。";
    const char *simplified = "记者从市住房和城乡建设局获悉，今年我市计划筹集保障性租赁住房一万套，首批房源将于下月"
                             "开始配租。此次配租的房源主要分布在地铁沿线和产业园区周边，以小户型为主，全部实行简约"
                             "装修，配备基本家具家电。申请对象为在本市工作的新市民和青年人，不设收入门槛。";
    char *big5 = s_encode(prose, "BIG5-HKSCS"), *gbk = s_encode(simplified, "GBK");
    char page[4096];
    snprintf(page, sizeof page, "<html><head><meta charset=\"gb2312\"></head><body><p>%s</p></body></html>", big5);
    ww_decode_info_t info;
    char *s = ww_decode_to_utf8(page, strlen(page), NULL, NULL, 1 << 20, &info);
    CHECK_STR(info.encoding, "BIG5-HKSCS");
    CHECK_STR(info.declared, "GB18030");
    CHECK(s && strstr(s, "渡輪服務"));
    free(s);
    snprintf(page, sizeof page, "<html><head><meta charset=big5></head><body><p>%s</p></body></html>", gbk);
    s = ww_decode_to_utf8(page, strlen(page), NULL, NULL, 1 << 20, &info);
    CHECK_STR(info.encoding, "GB18030");
    CHECK(s && strstr(s, "保障性租赁住房"));
    free(s);
    /* an honest label is kept */
    snprintf(page, sizeof page, "<meta charset=big5><p>%s</p>", big5);
    s = ww_decode_to_utf8(page, strlen(page), NULL, NULL, 1 << 20, &info);
    CHECK_STR(info.encoding, "BIG5-HKSCS");
    CHECK_STR(info.decided_by, "declared");
    CHECK(info.declared[0] == 0);
    free(s);
    free(big5);
    free(gbk);
}

int main(void)
{
    s_check_gb18030_equivalence();
    /* 严防死守 in GBK, and in Big5 as 嚴防死守 */
    const char gbk[] = "<p>\xd1\xcf\xb7\xc0\xcb\xc0\xca\xd8</p>";
    s_check_decode(gbk, strlen(gbk), "gb2312", "GB18030", "严防死守");
    const char big5[] = "\xc4\x59\xa8\xbe\xa6\xba\xa6\x75";
    s_check_decode(big5, strlen(big5), "big5", "BIG5-HKSCS", "嚴防死守");
    /* a BOM wins over everything */
    const char bom[] = "\xef\xbb\xbf<meta charset=gbk>严";
    s_check_decode(bom, strlen(bom), "big5", "UTF-8", "严");
    /* a declaration that lies about UTF-8 bytes is not believed */
    const char liar[] = "<meta charset=\"gb2312\"><p>严防死守</p>";
    s_check_decode(liar, strlen(liar), NULL, "UTF-8", "严防死守");
    /* Big5 bytes labelled gb2312 and GBK bytes labelled big5: each reads
     * without errors as the other, so the reading that looks like Chinese
     * prose wins and the lie is recorded */
    s_check_lying_cjk_labels();
    /* invalid bytes become U+FFFD, counted, and the text goes on */
    ww_decode_info_t info;
    const char broken[] = "abc\xff\xfe def";
    char *s = ww_decode_to_utf8(broken, strlen(broken), "utf-8", NULL, 1 << 20, &info);
    CHECK(s && strstr(s, "def") && strstr(s, "\xef\xbf\xbd"));
    CHECK(info.replaced == 2);
    free(s);
    CHECK_STR(ww_charset_canonical("GBK"), "GB18030");
    CHECK_STR(ww_charset_canonical(" cp936"), "GB18030");
    CHECK_STR(ww_charset_canonical("Big5"), "BIG5-HKSCS");
    CHECK(ww_charset_canonical("klingon") == NULL);
    char label[40];
    CHECK(ww_sniff_declared_charset("<?xml version=\"1.0\" encoding=\"GBK\"?><rss/>", 40, label, sizeof label) == 0);
    CHECK_STR(label, "GBK");

    /* pinyin: toned and numbered forms go, other parentheses stay */
    struct {
        const char *in, *out;
    } cases[] = {
        {"嚴(yán)防死守", "嚴防死守"},
        {"嚴（yán）防", "嚴防"},
        {"嚴(yan2)防", "嚴防"},
        {"香港(HK)報道", "香港(HK)報道"},
        {"新華社(Xinhua)", "新華社(Xinhua)"},
        {"第(1)條", "第(1)條"},
        {"條款(a)規定", "條款(a)規定"},
        {"社區(qū)(村)", "社區(村)"},
        {"他們(men)在風(fēng)險(xiǎn)中", "他們在風險中"},
        {"(yán)開頭", "(yán)開頭"},
        {"English (yes) text", "English (yes) text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *o = ww_pinyin_strip(cases[i].in, NULL);
        CHECK_STR(o, cases[i].out);
        free(o);
    }
    bool toned;
    CHECK(ww_pinyin_syllable("zhuāng", strlen("zhuāng"), &toned) && toned);
    CHECK(ww_pinyin_syllable("lüè", strlen("lüè"), &toned) && toned);
    CHECK(!ww_pinyin_syllable("xyz", 3, &toned));

    /* the match form: case, width, traditional and regional variants */
    char err[256];
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    CHECK(fold != NULL);
    struct {
        const char *in, *out;
    } folds[] = {
        {"嚴防死守", "严防死守"},
        {"衞生", "卫生"},
        {"綫路", "线路"},
        {"裏面", "里面"},
        {"著裝", "着装"},
        {"ＡＢＣ　Ｄｅｆ", "abc def"},
        {"北京理工大學", "北京理工大学"},
        {"  多个   空格 ", "多个 空格"},
        {"Straße", "strasse"},
        {"ﬁnance", "finance"},
    };
    for (size_t i = 0; fold && i < sizeof folds / sizeof folds[0]; i++) {
        char *o = ww_fold_text(fold, folds[i].in);
        CHECK_STR(o, folds[i].out);
        free(o);
    }
    ww_fold_destroy(&fold);
    ww_fold_destroy(&fold);

    /* hashes */
    char hex[65];
    ww_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ww_hmac_sha256_hex("key", 3, "The quick brown fox jumps over the lazy dog", 43, hex);
    CHECK_STR(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    uint64_t a = ww_simhash(
        "市委书记到房山区检查指导疫情处置，要求坚定必胜信心，尽快实现社会面清零。加强宣传引导，及时回应社会关切");
    uint64_t b = ww_simhash(
        "市委书记到房山区检查指导疫情处置，要求坚定必胜信心，尽快实现社会面清零！加强宣传引导，及时回应社会关切");
    uint64_t c =
        ww_simhash("港口集团相关负责人介绍，目前已组织2000余名员工开展隐患排查，对堆场高箱位集装箱进行降层处理");
    CHECK(ww_hamming64(a, b) <= 3);
    CHECK(ww_hamming64(a, c) > 10);
    size_t bad = 0;
    char *san = ww_utf8_sanitize("a\xc0\x80z", 4, &bad); /* overlong NUL */
    CHECK(bad == 2 && san[0] == 'a');
    free(san);
    WW_TEST_END();
}
