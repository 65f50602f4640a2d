/* ww_paths: where an instance lives (its data directory) and how endpoints
 * are bound or connected. Returned `char *` belong to the caller. */
#ifndef WW_PATHS_H
#define WW_PATHS_H

#include <stddef.h>

/* --data if given, else $WIREWATCH_DATA, else $XDG_DATA_HOME/wirewatch,
 * else ~/.local/share/wirewatch. */
char *ww_default_data_dir(const char *flag_value);
/* --config if given, else $WIREWATCH_CONFIG, else DATA/wirewatch.conf when
 * that file exists, else NULL (defaults only). */
char *ww_default_config_path(const char *flag_value, const char *data_dir);

/* Creates a directory and its parents (mode 0755); 0 or -1 with errno. */
int ww_mkdir_p(const char *path);

/* The address the stable side binds for a configured endpoint: tcp://host:port
 * becomes tcp://(any):port; ipc:// and inproc:// are unchanged. Also creates the
 * folder of an ipc:// path. */
char *ww_endpoint_bind(const char *endpoint);
/* Creates the folder of an ipc:// path, so a connecting side can wait for it. */
void ww_endpoint_prepare(const char *endpoint);

/* Writes all of data to fd, again after a signal or a short write; 0 or -1. */
int ww_write_all(int fd, const void *data, size_t len);

/* Writes data to path atomically (temp file, rename), with fsync when durable; 0 or -1. */
int ww_write_file_atomic(const char *path, const void *data, size_t len, int durable);

/* Reads a whole file of at most max bytes; NULL with errno (EFBIG if larger). */
char *ww_read_file(const char *path, size_t max, size_t *len_out);

#endif
