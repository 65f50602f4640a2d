/* ww_config: every setting of every worker in one declarative table, read from
 * one file and overridden per key by the environment.
 *
 * Ownership: strings returned as `const char *` are borrowed from the config
 * and live as long as it does. */
#ifndef WW_CONFIG_H
#define WW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct ww_config_t ww_config_t;

/* Creates a config holding the defaults, with ${data} bound to data_dir. */
ww_config_t *ww_config_new(const char *data_dir);
void ww_config_destroy(ww_config_t **self_p);

/* Reads `key = value` lines from path (NULL: no file), then applies
 * WIREWATCH_<KEY> environment overrides (dots become underscores). Returns 0,
 * or -1 with a message naming the file, line and key in err. */
int ww_config_load(ww_config_t *self, const char *path, char *err, size_t errlen);

/* Sets one key from a string, validating it; -1 with a reason on error. */
int ww_config_set(ww_config_t *self, const char *key, const char *value, char *err, size_t errlen);

/* Typed getters. Asking for a key missing from the table is a programmer
 * error and asserts. Durations are milliseconds, sizes bytes. */
const char *ww_config_str(ww_config_t *self, const char *key);
int64_t ww_config_int(ww_config_t *self, const char *key);
bool ww_config_bool(ww_config_t *self, const char *key);

const char *ww_config_data_dir(ww_config_t *self);

/* Writes a commented sample config documenting every key. */
void ww_config_write_sample(FILE *out);

/* Parses "30s", "500ms", "15m", "2h", "7d" into milliseconds; -1 if invalid. */
int64_t ww_parse_duration_ms(const char *text);
/* Parses "20MB", "64k", "1024" into bytes; -1 if invalid. */
int64_t ww_parse_size(const char *text);

#endif
