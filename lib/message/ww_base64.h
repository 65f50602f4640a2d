/* ww_base64: standard base64, for document bytes carried in JSON messages
 * (documents in legacy encodings are not valid JSON strings). Returned
 * buffers belong to the caller. */
#ifndef WW_BASE64_H
#define WW_BASE64_H

#include <stddef.h>

char *ww_base64_encode(const void *data, size_t len);
/* Ignores characters outside the alphabet (line breaks, padding). */
unsigned char *ww_base64_decode(const char *text, size_t *out_len);

#endif
