/* ww_encoding: turns the bytes of a page or document into UTF-8, deciding the
 * encoding the way browsers do: BOM, then the transport's charset, then the
 * document's own declaration, checked against the bytes, then detection. */
#ifndef WW_ENCODING_H
#define WW_ENCODING_H

#include <stddef.h>

typedef struct {
    char encoding[32];   /* canonical name used, e.g. "UTF-8", "GB18030", "BIG5-HKSCS" */
    char decided_by[16]; /* "bom", "forced", "http", "declared", "detected", "default" */
    char declared[32];   /* a declaration the bytes contradicted, else "" */
    size_t replaced;     /* invalid byte sequences turned into U+FFFD */
} ww_decode_info_t;

/* Maps a charset label to the name we decode with, as browsers map labels:
 * gb2312/gbk/cp936/x-gbk -> GB18030, big5/big5-hkscs/cn-big5 -> BIG5-HKSCS,
 * latin1/iso-8859-1/ascii -> WINDOWS-1252. Unknown labels give NULL. */
const char *ww_charset_canonical(const char *label);

/* Finds charset= in <meta> or encoding= in <?xml?> within the first 4 KB;
 * writes the label into out and returns 0, or -1 if none. */
int ww_sniff_declared_charset(const char *bytes, size_t len, char *out, size_t outlen);

/* Decodes bytes to UTF-8 (never truncated at a bad byte: each invalid sequence
 * becomes U+FFFD and is counted). forced and http_charset may be NULL.
 * Returns a NUL-terminated string the caller frees, or NULL if the result
 * would exceed max_out bytes or memory ran out. */
char *ww_decode_to_utf8(const char *bytes, size_t len, const char *forced, const char *http_charset, size_t max_out,
                        ww_decode_info_t *info);

/* True if bytes look like binary data rather than text in any encoding
 * (NUL bytes or many control characters in the first 8 KB; UTF-16 with a
 * BOM counts as text). */
int ww_looks_binary(const char *bytes, size_t len);

#endif
