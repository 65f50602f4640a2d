/* ww_hash: SHA-256 and HMAC via OpenSSL, SimHash over shingles. */
#include "ww_hash.h"
#include "ww_utf8.h"

#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void s_hex(const unsigned char *d, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * n] = 0;
}

void ww_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    s_hex(md, 32, hex);
}

void ww_hash_id(char *out, size_t chars, const char *const *parts, size_t nparts)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (size_t i = 0; i < nparts; i++) {
        if (i)
            EVP_DigestUpdate(ctx, "\x1f", 1);
        if (parts[i])
            EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
    }
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    char hex[65];
    s_hex(md, 32, hex);
    if (chars > 64)
        chars = 64;
    memcpy(out, hex, chars);
    out[chars] = 0;
}

/* FNV-1a 64 then a murmur finaliser: cheap, well mixed shingle hashes. */
static uint64_t s_hash64(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char) s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Per-bit counts of the shingle hashes, eight bits at a time: T[x] holds bit
 * j of x in byte j, so adding T of each hash byte counts eight bit positions
 * in one 64-bit addition. Byte lanes are flushed before they can overflow.
 * Bit b of the SimHash is set when more than half the hashes have it. */
typedef struct {
    uint64_t lanes[8]; /* lanes[k] byte j: hashes so far with bit 8k+j set */
    uint32_t counts[64];
    uint32_t in_lanes, total;
} s_counts_t;

static uint64_t s_spread[256];
static pthread_once_t s_spread_once = PTHREAD_ONCE_INIT;

static void s_spread_init(void)
{
    for (unsigned x = 0; x < 256; x++)
        for (unsigned j = 0; j < 8; j++)
            s_spread[x] |= (uint64_t) ((x >> j) & 1) << (8 * j);
}

static void s_flush(s_counts_t *c)
{
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 8; j++)
            c->counts[8 * k + j] += (uint32_t) ((c->lanes[k] >> (8 * j)) & 0xFF);
        c->lanes[k] = 0;
    }
    c->in_lanes = 0;
}

static void s_add(s_counts_t *c, uint64_t h)
{
    for (int k = 0; k < 8; k++)
        c->lanes[k] += s_spread[(h >> (8 * k)) & 0xFF];
    c->total++;
    if (++c->in_lanes == 255)
        s_flush(c);
}

uint64_t ww_simhash(const char *text)
{
    pthread_once(&s_spread_once, s_spread_init);
    s_counts_t v;
    memset(&v, 0, sizeof v);
    size_t len = strlen(text), i = 0;
    /* Offsets of the last three CJK characters, for trigram shingles. */
    size_t cjk_start[3] = {0};
    int cjk_run = 0;
    size_t word_start = 0;
    bool in_word = false;
    while (i <= len) {
        uint32_t cp = 0;
        size_t k = i < len ? ww_utf8_next(text + i, len - i, &cp) : 1;
        bool cjk = i < len && ww_is_cjk(cp);
        bool word = i < len && ww_is_word_char(cp);
        if (in_word && !word) {
            s_add(&v, s_hash64(text + word_start, i - word_start));
            in_word = false;
        }
        if (word && !in_word) {
            in_word = true;
            word_start = i;
        }
        if (cjk) {
            cjk_start[0] = cjk_start[1];
            cjk_start[1] = cjk_start[2];
            cjk_start[2] = i;
            if (++cjk_run >= 3)
                s_add(&v, s_hash64(text + cjk_start[0], i + k - cjk_start[0]));
        } else
            cjk_run = 0;
        i += k;
    }
    s_flush(&v);
    uint64_t h = 0;
    for (int b = 0; b < 64; b++)
        if (2 * v.counts[b] > v.total)
            h |= 1ULL << b;
    return h;
}

int ww_hamming64(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

void ww_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    HMAC(EVP_sha256(), key, (int) keylen, data, len, md, &mdlen);
    s_hex(md, 32, hex);
}

void ww_hash_thread_done(void)
{
    OPENSSL_thread_stop();
}
