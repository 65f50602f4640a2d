/* ww_secret: a secret from a file, capped and never echoed. */
#include "ww_secret.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ww_secret_read(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
    if (outlen)
        out[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read secret file %s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = outlen - 1 < WW_SECRET_MAX ? outlen - 1 : WW_SECRET_MAX;
    size_t n = fread(out, 1, cap, f);
    int more = fgetc(f) != EOF;
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "cannot read secret file %s: read error", path);
        return -1;
    }
    if (more) {
        memset(out, 0, cap);
        snprintf(err, errlen, "secret file %s is longer than %zu bytes", path, cap);
        return -1;
    }
    out[n] = 0;
    if (n && out[n - 1] == '\n')
        out[--n] = 0;
    if (n && out[n - 1] == '\r')
        out[--n] = 0;
    if (!n || memchr(out, 0, n)) {
        memset(out, 0, n);
        snprintf(err, errlen, "secret file %s is %s", path, n ? "binary (holds a NUL byte)" : "empty");
        return -1;
    }
    return 0;
}
