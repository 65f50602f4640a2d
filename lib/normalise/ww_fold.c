/* ww_fold: NFKC casefold with utf8proc and variant folding with OpenCC. */
#include "ww_fold.h"
#include "ww_buf.h"
#include "ww_utf8.h"

#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

/* Regional variants first (HK and TW forms such as 衞, 綫, 裏 become their
 * traditional standard forms), then traditional to simplified with phrases so
 * that 著裝 folds to 着装. Taiwan vocabulary (軟體 -> 软件) is deliberately not
 * folded: that changes words, not script. OpenCC finds the .ocd2 files in its
 * own data folder. */
static const char s_opencc_config[] =
    "{\"name\":\"wirewatch fold\","
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

struct ww_fold_t {
    opencc_t opencc;    /* converter built from s_opencc_config */
    uint8_t *changing;  /* bitmap over code points: OpenCC may change it */
    uint8_t *in_key;    /* bitmap: occurs in some dictionary key */
    bool always_opencc; /* test switch: never take the fast path */
};

/* Generated from the dictionaries at build time (tools/opencc_changing_chars). */
extern const uint32_t ww_opencc_changing[];
extern const size_t ww_opencc_changing_count;
extern const uint32_t ww_opencc_key_chars[];
extern const size_t ww_opencc_key_chars_count;

static uint8_t *s_bitmap(const uint32_t *cps, size_t n)
{
    uint8_t *map = calloc(0x110000 / 8, 1);
    for (size_t i = 0; map && i < n; i++)
        map[cps[i] >> 3] |= (uint8_t) (1u << (cps[i] & 7));
    return map;
}

static bool s_bit(const uint8_t *map, uint32_t cp)
{
    return cp < 0x110000 && ((map[cp >> 3] >> (cp & 7)) & 1);
}

ww_fold_t *ww_fold_new(char *err, size_t errlen)
{
    const char *tmpdir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/wirewatch-opencc-XXXXXX.json", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(path, 5);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write OpenCC config in %s", tmpdir ? tmpdir : "/tmp");
        return NULL;
    }
    ssize_t w = write(fd, s_opencc_config, sizeof s_opencc_config - 1);
    close(fd);
    if (w != (ssize_t) (sizeof s_opencc_config - 1)) {
        unlink(path);
        snprintf(err, errlen, "cannot write OpenCC config %s", path);
        return NULL;
    }
    opencc_t oc = opencc_open(path);
    unlink(path);
    if (oc == (opencc_t) -1) {
        snprintf(err, errlen, "OpenCC cannot load its dictionaries: %s", opencc_error());
        return NULL;
    }
    ww_fold_t *self = calloc(1, sizeof *self);
    if (!self) {
        opencc_close(oc);
        return NULL;
    }
    self->opencc = oc;
    self->changing = s_bitmap(ww_opencc_changing, ww_opencc_changing_count);
    self->in_key = s_bitmap(ww_opencc_key_chars, ww_opencc_key_chars_count);
    return self;
}

void ww_fold_destroy(ww_fold_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    opencc_close((*self_p)->opencc);
    free((*self_p)->changing);
    free((*self_p)->in_key);
    free(*self_p);
    *self_p = NULL;
}

void ww_fold_set_always_opencc(ww_fold_t *self, bool always)
{
    self->always_opencc = always;
}

static char *s_opencc(ww_fold_t *self, const char *text, size_t len)
{
    char *converted = opencc_convert_utf8(self->opencc, text, len);
    if (!converted)
        return strndup(text, len);
    char *copy = strdup(converted);
    opencc_convert_utf8_free(converted);
    return copy;
}

/* OpenCC runs only on runs of key characters that hold a changing one.
 * Exact: no dictionary entry spans a character outside every key, and a run
 * without a changing character cannot be changed (ww_opencc_changing). */
char *ww_fold_script(ww_fold_t *self, const char *text)
{
    size_t len = strlen(text);
    if (self->always_opencc || !self->changing || !self->in_key)
        return s_opencc(self, text, len);
    ww_buf_t out;
    ww_buf_init(&out, len * 4 + 16);
    size_t i = 0, run = 0;
    bool run_changes = false;
    while (i <= len) {
        uint32_t cp = 0;
        size_t k = i < len ? ww_utf8_decode(text + i, len - i, &cp) : 1;
        bool key = i < len && s_bit(self->in_key, cp);
        if (!key) {
            /* the run [run, i) ends here */
            if (run_changes) {
                char *c = s_opencc(self, text + run, i - run);
                ww_buf_adds(&out, c);
                free(c);
            } else
                ww_buf_add(&out, text + run, i - run);
            if (i < len)
                ww_buf_add(&out, text + i, k);
            run = i + k;
            run_changes = false;
        } else if (s_bit(self->changing, cp))
            run_changes = true;
        i += k;
    }
    return ww_buf_take(&out);
}

/* Collapses white space runs to one ASCII space and trims both ends. */
static char *s_collapse_space(const char *s)
{
    size_t len = strlen(s), i = 0;
    ww_buf_t out;
    ww_buf_init(&out, len + 1);
    bool pending = false;
    while (i < len) {
        uint32_t cp;
        size_t k = ww_utf8_decode(s + i, len - i, &cp);
        if (ww_is_space(cp)) {
            pending = out.len > 0;
        } else {
            if (pending)
                ww_buf_addc(&out, ' ');
            pending = false;
            ww_buf_add(&out, s + i, k);
        }
        i += k;
    }
    return ww_buf_take(&out);
}

char *ww_fold_text(ww_fold_t *self, const char *text)
{
    size_t bad = 0;
    char *clean = ww_utf8_sanitize(text, strlen(text), &bad);
    if (!clean)
        return NULL;
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *) clean, 0, &nfkc,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    free(clean);
    if (n < 0)
        return NULL;
    char *script = ww_fold_script(self, (const char *) nfkc);
    free(nfkc);
    if (!script)
        return NULL;
    char *out = s_collapse_space(script);
    free(script);
    return out;
}
