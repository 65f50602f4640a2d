/* drop_folder: stable-size detection and done/failed moves. */
#include "drop_folder.h"
#include "ww_paths.h"

#include <czmq.h>
#include <dirent.h>
#include <sys/stat.h>

/* What we last saw of a file: a size unchanged across scans for stable_ms
 * means the writer has finished. */
typedef struct {
    off_t size;
    int64_t mtime_ns;
    int64_t since_ms; /* when this size was first seen */
} s_seen_t;

struct drop_folder_t {
    char *dir;
    char *done_dir;
    char *failed_dir;
    int64_t stable_ms;
    size_t max_bytes;
    zhashx_t *seen; /* file name -> s_seen_t */
};

drop_folder_t *drop_folder_new(const char *dir, int64_t stable_ms, size_t max_bytes)
{
    drop_folder_t *self = calloc(1, sizeof *self);
    self->dir = strdup(dir);
    self->done_dir = zsys_sprintf("%s/done", dir);
    self->failed_dir = zsys_sprintf("%s/failed", dir);
    ww_mkdir_p(self->done_dir);
    ww_mkdir_p(self->failed_dir);
    self->stable_ms = stable_ms;
    self->max_bytes = max_bytes;
    self->seen = zhashx_new();
    zhashx_set_destructor(self->seen, (zhashx_destructor_fn *) zstr_free);
    return self;
}

void drop_folder_destroy(drop_folder_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    drop_folder_t *self = *self_p;
    zhashx_destroy(&self->seen);
    zstr_free(&self->done_dir);
    zstr_free(&self->failed_dir);
    free(self->dir);
    free(self);
    *self_p = NULL;
}

/* Moves path into folder, adding a suffix if the name is taken. */
static char *s_move_into(const char *path, const char *folder)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *target = zsys_sprintf("%s/%s", folder, base);
    for (int n = 1; access(target, F_OK) == 0 && n < 10000; n++) {
        zstr_free(&target);
        target = zsys_sprintf("%s/%s.%d", folder, base, n);
    }
    if (rename(path, target) < 0) {
        zsys_error("cannot move %s to %s: %s", path, folder, strerror(errno));
        zstr_free(&target);
        return NULL;
    }
    return target;
}

void drop_folder_fail(drop_folder_t *self, const char *path, const char *reason)
{
    char *moved = s_move_into(path, self->failed_dir);
    if (!moved)
        return;
    char *reason_path = zsys_sprintf("%s.reason", moved);
    char *text = zsys_sprintf("%s\n", reason);
    ww_write_file_atomic(reason_path, text, strlen(text), 1);
    zstr_free(&text);
    zstr_free(&reason_path);
    zsys_warning("%s moved to failed/: %s", path, reason);
    zstr_free(&moved);
}

static bool s_ignored(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || (n > 4 && !strcmp(name + n - 4, ".tmp")) || (n > 5 && !strcmp(name + n - 5, ".part")) ||
           (n > 1 && name[n - 1] == '~');
}

/* Commits what take accepted, then moves those files to done/. A failed
 * commit leaves them in place: the next scans take them again (the spool
 * ignores what it already holds). */
static void s_commit_taken(drop_folder_t *self, zlistx_t *taken, drop_commit_fn commit, void *arg)
{
    if (!zlistx_size(taken))
        return;
    if (commit(arg) == 0)
        for (char *path = zlistx_first(taken); path; path = zlistx_next(taken)) {
            char *moved = s_move_into(path, self->done_dir);
            zstr_free(&moved);
        }
    else
        zsys_error("drop folder: cannot make %zu documents durable; they stay in %s for the next scan",
                   zlistx_size(taken), self->dir);
    zlistx_purge(taken);
}

int drop_folder_scan(drop_folder_t *self, drop_take_fn take, drop_commit_fn commit, void *arg)
{
    DIR *d = opendir(self->dir);
    if (!d) {
        ww_mkdir_p(self->dir);
        return 0;
    }
    int handled = 0;
    int64_t now = zclock_mono();
    zhashx_t *present = zhashx_new(); /* names seen in this scan */
    zlistx_t *taken = zlistx_new();   /* paths accepted, not yet committed */
    zlistx_set_destructor(taken, (zlistx_destructor_fn *) zstr_free);
    struct dirent *e;
    while (handled < DROP_FOLDER_SCAN_MAX && (e = readdir(d))) {
        if (s_ignored(e->d_name))
            continue;
        char *path = zsys_sprintf("%s/%s", self->dir, e->d_name);
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
            zstr_free(&path);
            continue;
        }
        zhashx_insert(present, e->d_name, (void *) 1);
        s_seen_t *seen = zhashx_lookup(self->seen, e->d_name);
        int64_t mtime = (int64_t) st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        if (!seen || seen->size != st.st_size || seen->mtime_ns != mtime) {
            s_seen_t *fresh = malloc(sizeof *fresh);
            *fresh = (s_seen_t){st.st_size, mtime, now};
            zhashx_update(self->seen, e->d_name, fresh);
            if (self->stable_ms > 0) {
                zstr_free(&path);
                continue;
            }
            seen = fresh;
        }
        if (now - seen->since_ms < self->stable_ms) {
            zstr_free(&path);
            continue;
        }
        char reason[512] = "";
        size_t len = 0;
        char *bytes = NULL;
        if ((size_t) st.st_size > self->max_bytes)
            snprintf(reason, sizeof reason, "file of %lld bytes is over the %zu-byte limit (limits.max_document)",
                     (long long) st.st_size, self->max_bytes);
        else if (!(bytes = ww_read_file(path, self->max_bytes, &len)))
            snprintf(reason, sizeof reason, "cannot read: %s", strerror(errno));
        if (!reason[0] && take(path, bytes, len, reason, sizeof reason, arg) == 0) {
            zlistx_add_end(taken, path);
            path = NULL;
            if (zlistx_size(taken) >= DROP_FOLDER_BATCH)
                s_commit_taken(self, taken, commit, arg);
        } else if (reason[0])
            drop_folder_fail(self, path, reason);
        free(bytes);
        zhashx_delete(self->seen, e->d_name);
        handled++;
        zstr_free(&path);
    }
    closedir(d);
    s_commit_taken(self, taken, commit, arg);
    zlistx_destroy(&taken);
    /* forget files that went away (a scan cut short saw only some) */
    if (handled < DROP_FOLDER_SCAN_MAX) {
        zlistx_t *keys = zhashx_keys(self->seen);
        for (char *k = zlistx_first(keys); k; k = zlistx_next(keys))
            if (!zhashx_lookup(present, k))
                zhashx_delete(self->seen, k);
        zlistx_destroy(&keys);
    }
    zhashx_destroy(&present);
    return handled;
}
