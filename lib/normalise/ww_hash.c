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

/* OpenSSL 3 looks the algorithm up in its providers on every EVP_sha256()
 * digest (a lock and a search); fetching it once keeps that off each call. */
static EVP_MD *s_sha256;
static pthread_once_t s_sha256_once = PTHREAD_ONCE_INIT;

static void s_sha256_fetch(void)
{
    s_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *s_md(void)
{
    pthread_once(&s_sha256_once, s_sha256_fetch);
    return s_sha256 ? s_sha256 : EVP_sha256();
}

void ww_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, s_md(), NULL);
    s_hex(md, 32, hex);
}

void ww_hash_id(char *out, size_t chars, const char *const *parts, size_t nparts)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, s_md(), NULL);
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

/* A murmur finaliser: every input bit reaches every output bit. */
static inline uint64_t s_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* FNV-1a over a word's bytes, then mixed. */
static uint64_t s_hash_bytes(const char *s, size_t n)
{
    if (n == 9) { /* three BMP CJK characters: the common trigram, unrolled */
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < 9; i++) {
            h ^= (unsigned char) s[i];
            h *= 1099511628211ULL;
        }
        return s_mix(h);
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char) s[i];
        h *= 1099511628211ULL;
    }
    return s_mix(h);
}

/* Per-bit counts of the shingle hashes, kept bit-sliced: slice[k] holds bit
 * k of all 64 counters, and adding a hash is a ripple-carry add of its bits
 * into them (two steps on average). 24 slices count to 16 million, more
 * than a capped text can hold. Bit b of the SimHash is set when more than
 * half the hashes have bit b. */
#define S_SLICES 24
typedef struct {
    uint64_t slice[S_SLICES];
    uint32_t total;
} s_counts_t;

static inline void s_add(s_counts_t *c, uint64_t h)
{
    uint64_t carry = h;
    for (int k = 0; carry && k < S_SLICES; k++) {
        uint64_t t = c->slice[k] & carry;
        c->slice[k] ^= carry;
        carry = t;
    }
    c->total++;
}

static uint64_t s_majority(const s_counts_t *c)
{
    uint64_t h = 0;
    for (int b = 0; b < 64; b++) {
        uint32_t count = 0;
        for (int k = 0; k < S_SLICES; k++)
            count |= (uint32_t) ((c->slice[k] >> b) & 1) << k;
        if (2 * (uint64_t) count > c->total)
            h |= 1ULL << b;
    }
    return h;
}

uint64_t ww_simhash(const char *text)
{
    s_counts_t v;
    memset(&v, 0, sizeof v);
    size_t len = strlen(text), i = 0;
    /* offsets of the last three CJK characters, for trigram shingles (their
     * bytes are hashed, so stored SimHashes stay comparable) */
    size_t cjk_start[3] = {0};
    int cjk_run = 0;
    size_t word_start = 0;
    bool in_word = false;
    while (i <= len) {
        uint32_t cp = 0;
        size_t k = i < len ? ww_utf8_next(text + i, len - i, &cp) : 1;
        /* CJK first: most characters are, and they are never word characters */
        bool cjk = i < len && ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && ww_is_cjk(cp)));
        bool word = i < len && !cjk && ww_is_word_char(cp);
        if (in_word && !word) {
            s_add(&v, s_hash_bytes(text + word_start, i - word_start));
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
                s_add(&v, s_hash_bytes(text + cjk_start[0], i + k - cjk_start[0]));
        } else
            cjk_run = 0;
        i += k;
    }
    return s_majority(&v);
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
