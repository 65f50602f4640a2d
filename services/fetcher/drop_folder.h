/* drop_folder: documents people or programs drop into a folder. A file is
 * taken once its size has held still for a while (so half-written files are
 * not read), handed to a callback, then moved to done/ once the callback has
 * made it durable, or to failed/ with a .reason file beside it. */
#ifndef DROP_FOLDER_H
#define DROP_FOLDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct drop_folder_t drop_folder_t;

/* Returns 0 when the document is durably taken, or -1 with a reason to fail
 * it. The bytes are borrowed. */
typedef int (*drop_take_fn)(const char *path, const char *bytes, size_t len, char *reason, size_t reasonlen, void *arg);
/* Makes everything take accepted since the last call durable (one fsync for
 * many files); 0 when it is, and only then are those files moved to done/. */
typedef int (*drop_commit_fn)(void *arg);

drop_folder_t *drop_folder_new(const char *dir, int64_t stable_ms, size_t max_bytes);
void drop_folder_destroy(drop_folder_t **self_p);
/* Scans once; calls take for files that are ready (at most
 * DROP_FOLDER_SCAN_MAX), and commit after every DROP_FOLDER_BATCH taken and
 * at the end, before moving them. Returns files handled. */
int drop_folder_scan(drop_folder_t *self, drop_take_fn take, drop_commit_fn commit, void *arg);
#define DROP_FOLDER_BATCH    256
#define DROP_FOLDER_SCAN_MAX 2048
/* Moves a file to failed/ with its reason (used for refusals found later). */
void drop_folder_fail(drop_folder_t *self, const char *path, const char *reason);

#endif
