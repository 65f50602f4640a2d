/* test_fold_oracle: the match form ww_fold computes (NFKC casefold a
 * character at a time where that is safe, variants folded by ww_t2s from
 * compiled tables) is byte for byte what the plain way gives: utf8proc over
 * the whole text, then OpenCC itself with the same dictionaries and chain,
 * then white space collapsed. Texts: random traditional and simplified Han,
 * runs of dictionary phrases that overlap, every kind of Unicode that
 * normalisation treats specially, and the project's own documents. */
#include "ww_fold.h"
#include "ww_paths.h"
#include "ww_t2s.h"
#include "ww_test.h"
#include "ww_utf8.h"

#include <dirent.h>
#include <opencc/opencc.h>
#include <unistd.h>
#include <utf8proc.h>

/* Generated with the normalise library (tools/opencc_tables). */
extern const int ww_t2s_dict_count;
extern const char *const *const ww_t2s_dict_pairs[];
extern const size_t ww_t2s_dict_sizes[];

static const char s_config[] =
    "{\"name\":\"oracle\","
    "\"segmentation\":{\"type\":\"mmseg\",\"dict\":{\"type\":\"ocd2\",\"file\":\"TSPhrases.ocd2\"}},"
    "\"conversion_chain\":["
    "{\"dict\":{\"type\":\"group\",\"dicts\":["
    "{\"type\":\"ocd2\",\"file\":\"TWVariantsRevPhrases.ocd2\"},"
    "{\"type\":\"ocd2\",\"file\":\"HKVariantsRevPhrases.ocd2\"},"
    "{\"type\":\"ocd2\",\"file\":\"TWVariantsRev.ocd2\"},"
    "{\"type\":\"ocd2\",\"file\":\"HKVariantsRev.ocd2\"}]}},"
    "{\"dict\":{\"type\":\"group\",\"dicts\":["
    "{\"type\":\"ocd2\",\"file\":\"TSPhrases.ocd2\"},"
    "{\"type\":\"ocd2\",\"file\":\"TSCharacters.ocd2\"}]}}]}";

static opencc_t s_opencc;

static char *s_collapse(const char *s)
{
    size_t len = strlen(s), n = 0;
    char *out = malloc(len + 1);
    bool pending = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ww_utf8_decode(s + i, len - i, &cp);
        if (ww_is_space(cp))
            pending = n > 0;
        else {
            if (pending)
                out[n++] = ' ';
            pending = false;
            memcpy(out + n, s + i, k);
            n += k;
        }
        i += k;
    }
    out[n] = 0;
    return out;
}

/* The match form the plain way. */
static char *s_reference(const char *text)
{
    char *clean = ww_utf8_sanitize(text, strlen(text), NULL);
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_map((const utf8proc_uint8_t *) clean, 0, &nfkc,
                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                     UTF8PROC_IGNORE);
    free(clean);
    char *converted = opencc_convert_utf8(s_opencc, (const char *) nfkc, strlen((const char *) nfkc));
    free(nfkc);
    char *out = s_collapse(converted);
    opencc_convert_utf8_free(converted);
    return out;
}

static int s_compared, s_differ;

static void s_compare(ww_fold_t *fold, const char *text, const char *what)
{
    char *want = s_reference(text), *got = ww_fold_text(fold, text);
    s_compared++;
    if (!got || strcmp(got, want) != 0) {
        if (s_differ++ < 5) {
            size_t at = 0;
            while (got && got[at] && got[at] == want[at])
                at++;
            while (at > 0 && ((unsigned char) want[at] & 0xC0) == 0x80)
                at--;
            size_t from = at > 30 ? at - 30 : 0;
            while (from > 0 && ((unsigned char) want[from] & 0xC0) == 0x80)
                from--;
            fprintf(stderr, "%s differs at byte %zu:\n  got  ...%.80s\n  want ...%.80s\n", what, at,
                    got ? got + from : "(null)", want + from);
            for (size_t i = at; got && i < at + 12 && got[i]; i++)
                fprintf(stderr, " %02x", (unsigned char) got[i]);
            fprintf(stderr, "  (got)\n");
            for (size_t i = at; i < at + 12 && want[i]; i++)
                fprintf(stderr, " %02x", (unsigned char) want[i]);
            fprintf(stderr, "  (want)\n");
        }
    }
    free(want);
    free(got);
}

static unsigned s_seed = 7;
static unsigned s_rand(void)
{
    s_seed = s_seed * 1103515245u + 12345u;
    return (s_seed >> 8) & 0xFFFFFF;
}

/* Characters normalisation treats specially: marks that combine or reorder,
 * Hangul jamo, half-width kana and their voiced marks, width and
 * compatibility forms, ligatures, case pairs, ignorables, spaces. */
static const uint32_t s_special[] = {
    0x0301, 0x0300, 0x0323, 0x0308, 0x0327,  0x3099,  0x309A,  0x1100, 0x1161, 0x11A8, 0xAC00,  0xAC01, 0xFF76, 0xFF9E,
    0xFF9F, 0xFF73, 0xFF10, 0xFF21, 0xFF41,  0xFF0C,  0x3000,  0x00A0, 0x200B, 0xFEFF, 0x00AD,  0x0085, 0x2028, 0xFB01,
    0x00DF, 0x03A3, 0x03C2, 0x0130, 0x212B,  0x2126,  0x2460,  0x3250, 0x32A4, 0xF900, 0xFA0E,  0x2F00, 0x2E80, 0x3231,
    0x1E9E, 0x00C5, 0x0041, 0x0065, 0x1F600, 0x20000, 0x2A6D6, 0x0F73, 0x0F77, 0x0344, 0x1D15E, 0xFDFA, 0x3300,
};

static void s_random_texts(ww_fold_t *fold)
{
    size_t nkeys = ww_t2s_key_char_count();
    CHECK(nkeys > 1000);
    char text[8192];
    for (int t = 0; t < 3000; t++) {
        size_t n = 0;
        int mode = t % 4;
        for (int c = 0; c < 300 && n + 64 < sizeof text; c++) {
            uint32_t r = s_rand();
            if (mode == 0 || r % 10 < 6) /* dictionary characters, mostly traditional */
                n += ww_utf8_encode(ww_t2s_key_char(r % nkeys), text + n);
            else if (r % 10 < 8) /* common simplified Han */
                n += ww_utf8_encode(0x4E00 + r % 0x5200, text + n);
            else if (mode == 3 || r % 10 == 8) /* the special ones */
                n += ww_utf8_encode(s_special[r % (sizeof s_special / sizeof *s_special)], text + n);
            else {
                static const char *const bits[] = {"，", "。", " ", "  ", "Ab", "\n", "（記者）", "1984", "\t"};
                const char *b = bits[r % 9];
                memcpy(text + n, b, strlen(b));
                n += strlen(b);
            }
        }
        text[n] = 0;
        s_compare(fold, text, "random text");
    }
}

/* Runs of dictionary keys back to back, so phrases overlap and compete. */
static void s_phrase_runs(ww_fold_t *fold)
{
    char text[8192];
    for (int t = 0; t < 2000; t++) {
        size_t n = 0;
        for (int c = 0; c < 40 && n < sizeof text - 200; c++) {
            int d = (int) (s_rand() % (unsigned) ww_t2s_dict_count);
            if (!ww_t2s_dict_sizes[d])
                continue;
            const char *key = ww_t2s_dict_pairs[d][2 * (s_rand() % ww_t2s_dict_sizes[d])];
            size_t kl = strlen(key);
            if (kl > 150)
                continue;
            /* sometimes only part of the key, so that a match falls short */
            size_t take = kl;
            if (s_rand() % 4 == 0 && kl > 3) {
                take = 3 * (1 + s_rand() % (kl / 3));
                while (take < kl && ((unsigned char) key[take] & 0xC0) == 0x80)
                    take++;
            }
            memcpy(text + n, key, take);
            n += take;
            if (s_rand() % 5 == 0)
                n += ww_utf8_encode(ww_t2s_key_char(s_rand() % ww_t2s_key_char_count()), text + n);
        }
        text[n] = 0;
        s_compare(fold, text, "phrase run");
    }
}

/* Every key of every dictionary in context: whole, then with a neighbour
 * key's head and tail around it, then with one character swapped for a
 * random dictionary character, so each phrase and variant is seen matching,
 * blocked and cut short. */
static void s_every_key(ww_fold_t *fold)
{
    char text[4096];
    for (int d = 0; d < ww_t2s_dict_count; d++) {
        const char *const *pairs = ww_t2s_dict_pairs[d];
        size_t count = ww_t2s_dict_sizes[d];
        for (size_t e = 0; e < count; e++) {
            const char *key = pairs[2 * e], *other = pairs[2 * ((e * 7 + 3) % count)];
            size_t kl = strlen(key), ol = strlen(other);
            if (kl + ol > 1000)
                continue;
            size_t half = ol / 2;
            while (half > 0 && ((unsigned char) other[half] & 0xC0) == 0x80)
                half--;
            int n = snprintf(text, sizeof text, "%s，%.*s%s%s。%s的%s", key, (int) half, other, key, other + half, key,
                             key);
            /* one character of the key replaced */
            size_t at = kl > 3 ? 3 * (s_rand() % (kl / 3)) : 0;
            while (at < kl && ((unsigned char) key[at] & 0xC0) == 0x80)
                at++;
            char swapped[8];
            size_t sl = ww_utf8_encode(ww_t2s_key_char(s_rand() % ww_t2s_key_char_count()), swapped);
            size_t cl = at < kl ? (size_t) (((unsigned char) key[at]) < 0xE0   ? 2
                                            : ((unsigned char) key[at]) < 0xF0 ? 3
                                                                               : 4)
                                : 0;
            if (n > 0 && (size_t) n + kl + 16 < sizeof text && at + cl <= kl) {
                memcpy(text + n, "、", 3);
                n += 3;
                memcpy(text + n, key, at);
                n += (int) at;
                memcpy(text + n, swapped, sl);
                n += (int) sl;
                memcpy(text + n, key + at + cl, kl - at - cl);
                n += (int) (kl - at - cl);
                text[n] = 0;
            }
            s_compare(fold, text, "key in context");
        }
    }
}

static void s_files_under(ww_fold_t *fold, const char *rel)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", ww_test_path(rel));
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        DIR *sub = opendir(path);
        if (sub) {
            closedir(sub);
            char relsub[8192];
            snprintf(relsub, sizeof relsub, "%s/%s", rel, e->d_name);
            s_files_under(fold, relsub);
            continue;
        }
        size_t len = 0;
        char *bytes = ww_read_file(path, 1 << 22, &len);
        if (bytes && ww_utf8_valid(bytes, len) && !memchr(bytes, 0, len))
            s_compare(fold, bytes, path);
        free(bytes);
    }
    if (d)
        closedir(d);
}

int main(void)
{
    const char *tmpdir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/ww-oracle-XXXXXX.json", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(path, 5);
    CHECK(fd >= 0);
    CHECK(write(fd, s_config, sizeof s_config - 1) == (ssize_t) (sizeof s_config - 1));
    close(fd);
    s_opencc = opencc_open(path);
    unlink(path);
    CHECK(s_opencc != (opencc_t) -1);
    if (s_opencc == (opencc_t) -1) {
        fprintf(stderr, "OpenCC: %s\n", opencc_error());
        WW_TEST_END();
    }
    char err[256];
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    CHECK(fold != NULL);
    s_random_texts(fold);
    s_phrase_runs(fold);
    s_every_key(fold);
    s_files_under(fold, "samples");
    s_files_under(fold, "tests/data/extraction");
    s_files_under(fold, "tests/data/cleaner");
    printf("%d texts compared with utf8proc + OpenCC, %d differ\n", s_compared, s_differ);
    CHECK(s_compared > 9000);
    CHECK(s_differ == 0);
    ww_fold_destroy(&fold);
    opencc_close(s_opencc);
    WW_TEST_END();
}
