/* ww_secret: webhook secrets and SMTP passwords read from a file (a docker
 * or Kubernetes secret mount), so they need not sit in the config or the
 * watch store. Only the path and the reason ever reach a log line. */
#ifndef WW_SECRET_H
#define WW_SECRET_H

#include <stddef.h>

/* Largest secret accepted, in bytes. */
#define WW_SECRET_MAX 4096

/* Reads the secret in path into out (NUL-terminated, one trailing newline
 * removed). 0, or -1 with the path and reason in err: unreadable, empty or
 * longer than WW_SECRET_MAX. */
int ww_secret_read(const char *path, char *out, size_t outlen, char *err, size_t errlen);

#endif
