/* bench_corpus: a character Markov chain over sample news text. */
#include "bench_corpus.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_BMP       0x10000
#define S_CJK_FIRST 0x4E00
#define S_CJK_COUNT 20902 /* U+4E00..U+9FA5 */
#define S_JUMP      6     /* in a hundred characters: leave the chain */
#define S_TAIL      8     /* in a hundred jumps: to the rare-character tail */

struct bench_corpus_t {
    uint32_t *chars; /* distinct characters learnt */
    size_t nchars;
    int32_t *index; /* code point -> position in chars, or -1 */
    uint32_t *seq;  /* the learnt text, as indexes into chars */
    size_t nseq;
    size_t *next_at; /* successors of chars[i]: next_list[next_at[i] .. next_at[i+1]) */
    uint32_t *next_list;
    uint64_t rng;
};

/* A 64-bit LCG's top 24 bits. The 32-bit one before came round after 2^32
 * draws, about 810,000 articles, and every article after that was a
 * reprint of an earlier one: the million-article index held 809,000. */
static unsigned s_rand(bench_corpus_t *self)
{
    self->rng = self->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned) (self->rng >> 40);
}

static int s_wanted(uint32_t cp)
{
    return (cp >= S_CJK_FIRST && cp < S_CJK_FIRST + S_CJK_COUNT) || cp == 0xFF0C /* ， */ || cp == 0x3002 /* 。 */ ||
           cp == 0x3001 /* 、 */ || cp == 0xFF1B /* ； */ || cp == 0xFF1A /* ： */;
}

static int s_is_punct(uint32_t cp)
{
    return cp < S_CJK_FIRST || cp >= S_CJK_FIRST + S_CJK_COUNT;
}

/* Appends the wanted characters of one file's UTF-8 to the sequence. */
static void s_learn(bench_corpus_t *self, const unsigned char *t, size_t len, size_t *cap)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n;
        if (t[i] < 0x80)
            cp = t[i], n = 1;
        else if ((t[i] & 0xE0) == 0xC0 && i + 1 < len)
            cp = ((uint32_t) (t[i] & 0x1F) << 6) | (t[i + 1] & 0x3F), n = 2;
        else if ((t[i] & 0xF0) == 0xE0 && i + 2 < len)
            cp = ((uint32_t) (t[i] & 0x0F) << 12) | ((uint32_t) (t[i + 1] & 0x3F) << 6) | (t[i + 2] & 0x3F), n = 3;
        else
            cp = 0, n = 1;
        i += n;
        if (!s_wanted(cp))
            continue;
        if (self->index[cp] < 0) {
            self->chars = realloc(self->chars, (self->nchars + 1) * sizeof *self->chars);
            self->chars[self->nchars] = cp;
            self->index[cp] = (int32_t) self->nchars++;
        }
        if (self->nseq == *cap) {
            *cap = *cap ? *cap * 2 : 4096;
            self->seq = realloc(self->seq, *cap * sizeof *self->seq);
        }
        self->seq[self->nseq++] = (uint32_t) self->index[cp];
    }
}

bench_corpus_t *bench_corpus_new(const char *dir, unsigned seed)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_corpus: cannot open %s\n", dir);
        return NULL;
    }
    bench_corpus_t *self = calloc(1, sizeof *self);
    self->index = malloc(S_BMP * sizeof *self->index);
    memset(self->index, 0xFF, S_BMP * sizeof *self->index);
    self->rng = seed;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        unsigned char *buf = malloc(1 << 22);
        size_t n = fread(buf, 1, 1 << 22, f);
        fclose(f);
        s_learn(self, buf, n, &cap);
        free(buf);
    }
    closedir(d);
    if (self->nseq < 1000) {
        fprintf(stderr, "bench_corpus: too little Chinese text under %s to learn from\n", dir);
        bench_corpus_destroy(&self);
        return NULL;
    }
    /* successor lists, by counting then filling */
    self->next_at = calloc(self->nchars + 1, sizeof *self->next_at);
    for (size_t i = 0; i + 1 < self->nseq; i++)
        self->next_at[self->seq[i] + 1]++;
    for (size_t c = 0; c < self->nchars; c++)
        self->next_at[c + 1] += self->next_at[c];
    size_t *fill = malloc(self->nchars * sizeof *fill);
    memcpy(fill, self->next_at, self->nchars * sizeof *fill);
    self->next_list = malloc(self->nseq * sizeof *self->next_list);
    for (size_t i = 0; i + 1 < self->nseq; i++)
        self->next_list[fill[self->seq[i]]++] = self->seq[i + 1];
    free(fill);
    return self;
}

void bench_corpus_destroy(bench_corpus_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    bench_corpus_t *self = *self_p;
    free(self->chars);
    free(self->index);
    free(self->seq);
    free(self->next_at);
    free(self->next_list);
    free(self);
    *self_p = NULL;
}

size_t bench_corpus_alphabet(const bench_corpus_t *self)
{
    return self->nchars;
}

static size_t s_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char) cp;
        return 1;
    }
    out[0] = (char) (0xE0 | (cp >> 12));
    out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char) (0x80 | (cp & 0x3F));
    return 3;
}

/* A character away from the chain: mostly one of the learnt text (so as
 * often as it is there), sometimes one of the whole block, the rarer the
 * further down a fixed shuffle of it (roughly Zipf). */
static uint32_t s_jump(bench_corpus_t *self)
{
    if (s_rand(self) % 100 >= S_TAIL)
        return self->chars[self->seq[s_rand(self) % self->nseq]];
    double u = (double) (s_rand(self) % 1000000) / 1000000.0;
    uint32_t rank = (uint32_t) (S_CJK_COUNT * u * u * u);
    return S_CJK_FIRST + (uint32_t) (((uint64_t) rank * 7919u) % S_CJK_COUNT);
}

char *bench_corpus_text(bench_corpus_t *self, size_t bytes)
{
    static const char *latin[] = {"GDP", "CPI", "5G", "AI", "APP", "PM2.5", "WTO", "IT"};
    char *t = malloc(bytes + 64);
    size_t n = 0;
    uint32_t cur = self->chars[self->seq[s_rand(self) % self->nseq]];
    while (n < bytes) {
        if (s_rand(self) % 1000 < 8) { /* a number, as in dates and figures */
            n += (size_t) snprintf(t + n, 16, "%u", s_rand(self) % (s_rand(self) % 2 ? 100 : 10000));
        } else if (s_rand(self) % 1000 < 2) {
            n += (size_t) snprintf(t + n, 16, "%s", latin[s_rand(self) % 8]);
        }
        n += s_put(t + n, cur);
        int32_t at = self->index[cur];
        size_t from = at >= 0 ? self->next_at[at] : 0, to = at >= 0 ? self->next_at[at + 1] : 0;
        uint32_t next = 0;
        if (to > from && s_rand(self) % 100 >= S_JUMP)
            next = self->chars[self->next_list[from + s_rand(self) % (to - from)]];
        else
            next = s_jump(self);
        if (s_is_punct(next) && s_is_punct(cur))
            next = s_jump(self); /* no two marks in a row */
        cur = next;
    }
    t[n] = 0;
    return t;
}
