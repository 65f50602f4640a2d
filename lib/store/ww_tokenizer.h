/* ww_tokenizer: the "wirewatch" FTS5 tokenizer over match-form text. Units
 * are those of ww_units.h; a unit that is not CJK is always a token at its
 * own position. Only CJK characters that touch make a bigram. Two versions,
 * chosen by the table's declaration, so that an index keeps the one it was
 * built with (a contentless row is deleted by tokenizing it again):
 *
 * tokenize='wirewatch' (1): every CJK character is a token at its own
 * position with its bigram colocated. A query's CJK run becomes its
 * bigrams and its last character.
 *
 * tokenize='wirewatch 2': inside a CJK run the bigram has the position;
 * the character itself is colocated only at the start of its run and at its
 * first occurrence in the column, and is the token where its run ends. A
 * query's run of two or more characters becomes its bigrams (and its last
 * character where the phrase goes on beyond it), a lone character itself.
 * So every substring still finds every row that holds it: a run of two or
 * more by its bigrams at consecutive positions, one character by its first
 * occurrence, and a phrase joining CJK to other units by the characters at
 * the run's ends. A one-character query's hit count per row is about one,
 * not its frequency; ranking those loses term frequency, nothing else. */
#ifndef WW_TOKENIZER_H
#define WW_TOKENIZER_H

#include <sqlite3.h>

int ww_tokenizer_register(sqlite3 *db);

/* The FTS5 API of db (for registering functions), or NULL. */
fts5_api *ww_fts5_api(sqlite3 *db);

#endif
