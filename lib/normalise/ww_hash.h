/* ww_hash: the hashes wirewatch relies on: SHA-256 for stable ids and exact
 * content identity, SimHash for near-duplicate detection, HMAC for signing. */
#ifndef WW_HASH_H
#define WW_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Writes the lowercase hex SHA-256 of data into hex (65 bytes). */
void ww_sha256_hex(const void *data, size_t len, char hex[65]);
/* Writes the first `chars` hex digits of SHA-256 over the parts joined by
 * 0x1F (unit separator), NUL-terminated; chars <= 64. */
void ww_hash_id(char *out, size_t chars, const char *const *parts, size_t nparts);
/* 64-bit SimHash over character trigrams of CJK runs and words of other text. */
uint64_t ww_simhash(const char *match_form);
int ww_hamming64(uint64_t a, uint64_t b);
/* HMAC-SHA256 of data with key, as lowercase hex (65 bytes). */
void ww_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t len, char hex[65]);

/* Frees OpenSSL's per-thread state; call at the end of a thread that hashed
 * (worker actors), or it stays allocated until the process ends. */
void ww_hash_thread_done(void);

#endif
