/* bench_corpus: generated Chinese news text for the index benchmarks.
 *
 * A character-level Markov chain learnt from sample articles (the labelled
 * extraction texts in tests/extraction), so that bigrams follow each other
 * as in news, with jumps to characters drawn from the frequency tail of the
 * CJK block, digits and the odd Latin word, so that the corpus grows a
 * vocabulary as real archives do (hundreds of thousands of distinct bigrams
 * at a million articles) instead of repeating a word list. Deterministic
 * for a given seed. */
#ifndef BENCH_CORPUS_H
#define BENCH_CORPUS_H

#include <stddef.h>

typedef struct bench_corpus_t bench_corpus_t;

/* Learns from every *.txt under dir; NULL (with a message) if none. */
bench_corpus_t *bench_corpus_new(const char *dir, unsigned seed);
void bench_corpus_destroy(bench_corpus_t **self_p);

/* A new article of about bytes bytes of UTF-8 (caller frees). */
char *bench_corpus_text(bench_corpus_t *self, size_t bytes);

/* Distinct characters learnt, for the report. */
size_t bench_corpus_alphabet(const bench_corpus_t *self);

#endif
