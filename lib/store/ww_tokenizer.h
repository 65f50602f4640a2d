/* ww_tokenizer: the "wirewatch" FTS5 tokenizer over match-form text. Units
 * are those of ww_units.h. For documents each unit is a token at its own
 * position, and where two CJK units follow each other their bigram is added
 * at the first one's position (FTS5_TOKEN_COLOCATED), so queries of any
 * length from one character up find every occurrence. For queries a CJK unit
 * followed by another becomes their bigram, any other unit itself, so a
 * phrase walks the bigrams and lands on every position. */
#ifndef WW_TOKENIZER_H
#define WW_TOKENIZER_H

#include <sqlite3.h>

int ww_tokenizer_register(sqlite3 *db);

/* The FTS5 API of db (for registering functions), or NULL. */
fts5_api *ww_fts5_api(sqlite3 *db);

#endif
