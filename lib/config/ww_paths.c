/* ww_paths: data directory defaults, directory creation and endpoint forms. */
#include "ww_paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ww_default_data_dir(const char *flag_value)
{
    if (flag_value && *flag_value)
        return strdup(flag_value);
    const char *env = getenv("WIREWATCH_DATA");
    if (env && *env)
        return strdup(env);
    char buf[4096];
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg) {
        snprintf(buf, sizeof buf, "%s/wirewatch", xdg);
        return strdup(buf);
    }
    const char *home = getenv("HOME");
    snprintf(buf, sizeof buf, "%s/.local/share/wirewatch", home && *home ? home : ".");
    return strdup(buf);
}

char *ww_default_config_path(const char *flag_value, const char *data_dir)
{
    if (flag_value && *flag_value)
        return strdup(flag_value);
    const char *env = getenv("WIREWATCH_CONFIG");
    if (env && *env)
        return strdup(env);
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/wirewatch.conf", data_dir);
    if (access(buf, R_OK) == 0)
        return strdup(buf);
    return NULL;
}

int ww_mkdir_p(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

void ww_endpoint_prepare(const char *endpoint)
{
    if (strncmp(endpoint, "ipc://", 6) != 0)
        return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", endpoint + 6);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        ww_mkdir_p(dir);
    }
}

char *ww_endpoint_bind(const char *endpoint)
{
    ww_endpoint_prepare(endpoint);
    if (strncmp(endpoint, "tcp://", 6) != 0)
        return strdup(endpoint);
    const char *host = endpoint + 6;
    const char *colon = strrchr(host, ':');
    if (!colon)
        return strdup(endpoint);
    size_t n = strlen(colon) + 8;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "tcp://*%s", colon);
    return out;
}

int ww_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t) w;
    }
    return 0;
}

int ww_write_file_atomic(const char *path, const void *data, size_t len, int durable)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int) getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (ww_write_all(fd, data, len) < 0) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    if ((durable && fsync(fd) < 0) || close(fd) < 0) {
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) < 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

char *ww_read_file(const char *path, size_t max, size_t *len_out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    if ((size_t) st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    size_t cap = (size_t) st.st_size + 1, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return NULL;
    }
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > max) {
                free(buf);
                close(fd);
                errno = EFBIG;
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        len += (size_t) r;
    }
    close(fd);
    if (len > max) {
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    buf[len] = 0;
    if (len_out)
        *len_out = len;
    return buf;
}
