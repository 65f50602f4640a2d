/* ww_config: the declarative settings table and its file/environment loader. */
#include "ww_config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum { WW_STR, WW_INT, WW_BOOL, WW_DURATION, WW_SIZE } ww_type_t;

/* One setting. Defaults may mention ${data}, the data directory. */
typedef struct {
    const char *name;     /* dotted key, e.g. "fetcher.window" */
    ww_type_t type;       /* how the value is parsed */
    const char *fallback; /* default value as text */
    int64_t min, max;     /* bounds for numeric types (inclusive) */
    const char *help;     /* one line for the sample config */
} ww_setting_t;

#define I64_MAX INT64_MAX
static const ww_setting_t s_table[] = {
    /* Endpoints: the binding side (fetcher, indexer) replaces the host with '*'. */
    {"endpoint.raw", WW_STR, "ipc://${data}/run/raw.ipc", 0, 0, "fetcher PUSH (bind) -> cleaners PULL (connect)"},
    {"endpoint.clean", WW_STR, "ipc://${data}/run/clean.ipc", 0, 0, "cleaners PUSH (connect) -> indexer PULL (bind)"},
    {"endpoint.indexed", WW_STR, "ipc://${data}/run/indexed.ipc", 0, 0,
     "indexer PUSH (bind) -> notifiers PULL (connect)"},
    {"endpoint.ack", WW_STR, "ipc://${data}/run/ack.ipc", 0, 0,
     "notifiers and cleaners PUSH (connect) acks -> fetcher PULL (bind)"},
    {"endpoint.alerts_in", WW_STR, "ipc://${data}/run/alerts-in.ipc", 0, 0,
     "notifiers PUB (connect) alerts -> alert proxy XSUB (bind; `wirewatch up` runs it)"},
    {"endpoint.alerts", WW_STR, "ipc://${data}/run/alerts.ipc", 0, 0,
     "alert proxy XPUB (bind) -> programs SUB (connect), topic = watch name"},

    {"fetcher.drop_dir", WW_STR, "${data}/drop", 0, 0, "folder watched for .md/.html/.txt/.xml/.json documents"},
    {"fetcher.state_db", WW_STR, "${data}/fetcher.db", 0, 0, "SQLite file: spool, seen ids, feeds, failures"},
    {"fetcher.feeds", WW_STR, "", 0, 0, "comma-separated feed URLs polled in addition to `wirewatch feeds add`"},
    {"fetcher.poll_interval", WW_DURATION, "15m", 1000, 86400000LL * 7,
     "time between two polls of a feed until its own rhythm is known"},
    {"fetcher.poll_min", WW_DURATION, "2m", 1000, 86400000LL, "shortest adaptive polling interval"},
    {"fetcher.poll_max", WW_DURATION, "6h", 1000, 86400000LL * 7, "longest adaptive polling interval"},
    {"fetcher.max_backoff", WW_DURATION, "24h", 1000, 86400000LL * 7,
     "longest wait after failures (doubling with each, with jitter) or a Retry-After"},
    {"fetcher.concurrency", WW_INT, "32", 1, 1024, "feed requests in flight at once"},
    {"fetcher.per_host", WW_INT, "2", 1, 64, "feed requests in flight at once to one host"},
    {"fetcher.max_items", WW_INT, "500", 1, 100000, "most items read from one feed document"},
    {"fetcher.max_revisions", WW_INT, "5", 0, 1000, "revisions of one item sent on before further changes are ignored"},
    {"fetcher.forget_after", WW_DURATION, "90d", 86400000LL, 86400000LL * 3650,
     "seen items absent from their feed this long are forgotten"},
    {"fetcher.scan_interval", WW_DURATION, "300ms", 10, 60000, "how often the drop folder is scanned"},
    {"fetcher.stable_for", WW_DURATION, "300ms", 0, 60000, "a dropped file is taken once its size held this long"},
    /* The window must cover the pipeline's depth (the queues between the
     * stages and the indexer's batch), or the indexer waits for input and
     * writes small batches, each costlier per article: a 20,000 burst of
     * 4 KB articles ran at 862/s with 256, 1,089/s with 4,096. What waits
     * beyond the window stays in the spool, not in memory. */
    {"fetcher.window", WW_INT, "4096", 1, 100000,
     "most items sent and not yet acknowledged (back-pressure; cover the queues between the stages)"},
    {"fetcher.resend_after", WW_DURATION, "60s", 100, 86400000, "re-send an item not acknowledged within this time"},
    {"fetcher.http_timeout", WW_DURATION, "30s", 100, 600000, "total time allowed for one feed request"},
    {"fetcher.connect_timeout", WW_DURATION, "10s", 100, 600000, "time allowed to connect to a feed host"},
    {"fetcher.allow_private_addresses", WW_BOOL, "false", 0, 0,
     "allow feed URLs on loopback/private/link-local addresses"},
    {"fetcher.user_agent", WW_STR, "wirewatch/0.1 (+https://example.invalid/wirewatch)", 0, 0,
     "User-Agent sent to feed servers"},

    {"limits.max_document", WW_SIZE, "20MB", 1024, 1LL << 30, "largest document or HTTP body accepted (decoded bytes)"},
    {"limits.max_message", WW_SIZE, "64MB", 4096, 1LL << 31, "largest ZeroMQ message a worker accepts"},

    {"indexer.index_db", WW_STR, "${data}/index.db", 0, 0, "SQLite file holding articles, stories and the FTS5 index"},
    {"indexer.batch", WW_INT, "512", 1, 100000, "articles written per transaction at most"},
    {"indexer.simhash_distance", WW_INT, "5", 0, 5, "near-duplicates: SimHash Hamming distance that joins a story"},

    {"notifier.watches_db", WW_STR, "${data}/watches.db", 0, 0, "SQLite file holding the watches"},
    {"notifier.alerts_db", WW_STR, "${data}/alerts.db", 0, 0, "SQLite file: delivery log of alerts"},
    {"notifier.alerts_jsonl", WW_STR, "${data}/alerts.jsonl", 0, 0, "alerts appended here, one JSON object a line"},
    {"notifier.stdout", WW_BOOL, "true", 0, 0, "also print each alert on standard output"},
    {"notifier.reload_interval", WW_DURATION, "500ms", 50, 60000, "how often watches are checked for changes"},
    {"notifier.publish", WW_BOOL, "true", 0, 0, "publish every alert on endpoint.alerts_in (ZeroMQ PUB)"},
    {"notifier.attempts", WW_INT, "6", 1, 100, "webhook and e-mail attempts before a delivery is dead-lettered"},
    {"notifier.retry_base", WW_DURATION, "2s", 10, 3600000, "wait after the first failed attempt, doubled after each"},
    {"notifier.retry_max", WW_DURATION, "10m", 10, 86400000, "longest wait between two attempts"},
    {"notifier.concurrency", WW_INT, "16", 1, 256,
     "webhook and e-mail attempts in flight at once; connections to receivers stay open between alerts"},
    {"notifier.delivery_timeout", WW_DURATION, "10s", 100, 600000, "time allowed for one webhook or SMTP attempt"},
    {"notifier.health_failures", WW_INT, "3", 1, 1000, "failed polls in a row before a feed alerts --health watches"},
    {"notifier.health_interval", WW_DURATION, "30s", 100, 3600000, "how often feed health is checked"},
    {"notifier.health_silence_factor", WW_INT, "10", 0, 1000,
     "a feed is silent when no new item came for this many times its usual gap (0: never)"},
    {"notifier.health_silence_min", WW_DURATION, "6h", 1000, 2592000000LL,
     "and for at least this long (night and weekend lulls are not silence)"},
    {"notifier.smtp_url", WW_STR, "", 0, 0, "SMTP server for e-mail alerts, e.g. smtp://127.0.0.1:25 or smtps://host"},
    {"notifier.smtp_from", WW_STR, "wirewatch@localhost", 0, 0, "sender address of e-mail alerts"},
    {"notifier.smtp_user", WW_STR, "", 0, 0, "SMTP login, if the server wants one"},
    {"notifier.smtp_password_env", WW_STR, "WIREWATCH_SMTP_PASSWORD", 0, 0,
     "environment variable holding the SMTP password"},
    {"notifier.smtp_password_file", WW_STR, "", 0, 0,
     "file holding the SMTP password (a secret mount); read instead of the environment when set"},

    {"shutdown.drain", WW_DURATION, "5s", 0, 60000,
     "on SIGTERM, how long a worker goes on with work already in flight before it exits"},
    {"zmq.linger", WW_DURATION, "2s", 0, 600000, "how long unsent messages are kept at socket close"},
    {"zmq.heartbeat", WW_DURATION, "2s", 100, 600000, "ZMTP heartbeat interval (keeps idle connections alive)"},
    /* A dropped connection loses what was queued on it (up to the high-water
     * mark of messages; the fetcher re-sends them only after
     * fetcher.resend_after). A peer that answers no heartbeat is a frozen
     * process (docker pause, SIGSTOP, a paused VM), not a busy one: its I/O
     * thread answers while it works. With 6 s an indexer frozen for 8 s cost
     * the cleaner up to 937 articles, indexed a minute late; a vanished host
     * is found 24 s later instead, and what it held waits for the same
     * re-send either way. */
    {"zmq.heartbeat_timeout", WW_DURATION, "30s", 300, 600000,
     "a peer that answers no heartbeat this long is dropped, and what was queued to it is re-sent later"},
    {"security.keys_dir", WW_STR, "", 0, 0,
     "folder from `wirewatch keys gen`: if set, tcp endpoints use CURVE and admit only keys in its public/"},
    {"security.role", WW_STR, "", 0, 0, "whose key pair this process presents (default: the worker's name)"},
    {"up.cleaners", WW_INT, "1", 1, 64, "cleaner processes started by `wirewatch up`"},
    {"up.notifiers", WW_INT, "1", 1, 64, "notifier processes started by `wirewatch up`"},
    {"status.dir", WW_STR, "${data}/status", 0, 0, "each worker writes its liveness and counters here"},
    {"log.level", WW_STR, "info", 0, 0, "error, warning, info or debug"},
};
#define S_COUNT (sizeof s_table / sizeof s_table[0])

/* Invariant: values[i] always holds a validated value for s_table[i] with
 * ${data} already expanded. */
struct ww_config_t {
    char *data_dir;           /* the data directory, no trailing slash */
    char *values[S_COUNT];    /* current value per setting, owned */
    int64_t numbers[S_COUNT]; /* parsed value of numeric settings */
};

static int s_index(const char *key)
{
    for (size_t i = 0; i < S_COUNT; i++)
        if (strcmp(s_table[i].name, key) == 0)
            return (int) i;
    return -1;
}

int64_t ww_parse_duration_ms(const char *text)
{
    if (!text || !*text)
        return -1;
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (errno || end == text || v < 0)
        return -1;
    double scale = 1000; /* bare numbers are seconds */
    if (strcmp(end, "ms") == 0)
        scale = 1;
    else if (strcmp(end, "s") == 0 || *end == 0)
        scale = 1000;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        scale = 60000;
    else if (strcmp(end, "h") == 0)
        scale = 3600000;
    else if (strcmp(end, "d") == 0)
        scale = 86400000;
    else
        return -1;
    double ms = v * scale;
    if (ms > 9.2e18)
        return -1;
    return (int64_t) ms;
}

int64_t ww_parse_size(const char *text)
{
    if (!text || !*text)
        return -1;
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (errno || end == text || v < 0)
        return -1;
    double scale = 1;
    if (*end == 0 || strcasecmp(end, "b") == 0)
        scale = 1;
    else if (strcasecmp(end, "k") == 0 || strcasecmp(end, "kb") == 0)
        scale = 1024;
    else if (strcasecmp(end, "m") == 0 || strcasecmp(end, "mb") == 0)
        scale = 1024.0 * 1024;
    else if (strcasecmp(end, "g") == 0 || strcasecmp(end, "gb") == 0)
        scale = 1024.0 * 1024 * 1024;
    else
        return -1;
    double bytes = v * scale;
    if (bytes > 9.2e18)
        return -1;
    return (int64_t) bytes;
}

/* Replaces every ${data} in value by the data directory. Caller frees. */
static char *s_expand(const char *value, const char *data_dir)
{
    size_t cap = strlen(value) + 1;
    for (const char *p = value; (p = strstr(p, "${data}")); p += 7)
        cap += strlen(data_dir);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = value; *p;) {
        if (strncmp(p, "${data}", 7) == 0) {
            size_t n = strlen(data_dir);
            memcpy(o, data_dir, n);
            o += n;
            p += 7;
        } else
            *o++ = *p++;
    }
    *o = 0;
    return out;
}

static int s_parse_bool(const char *v)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"))
        return 1;
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") || !strcmp(v, "0"))
        return 0;
    return -1;
}

int ww_config_set(ww_config_t *self, const char *key, const char *value, char *err, size_t errlen)
{
    int i = s_index(key);
    if (i < 0) {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -1;
    }
    const ww_setting_t *s = &s_table[i];
    char *expanded = s_expand(value, self->data_dir);
    if (!expanded) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int64_t number = 0;
    switch (s->type) {
    case WW_STR:
        break;
    case WW_BOOL:
        number = s_parse_bool(expanded);
        if (number < 0) {
            snprintf(err, errlen, "setting '%s': '%s' is not true or false", key, value);
            free(expanded);
            return -1;
        }
        break;
    case WW_INT: {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(expanded, &end, 10);
        number = (errno || end == expanded || *end) ? -1 : v;
        if (end == expanded || *end || errno) {
            snprintf(err, errlen, "setting '%s': '%s' is not a whole number", key, value);
            free(expanded);
            return -1;
        }
        break;
    }
    case WW_DURATION:
        number = ww_parse_duration_ms(expanded);
        if (number < 0) {
            snprintf(err, errlen, "setting '%s': '%s' is not a duration (e.g. 500ms, 30s, 15m)", key, value);
            free(expanded);
            return -1;
        }
        break;
    case WW_SIZE:
        number = ww_parse_size(expanded);
        if (number < 0) {
            snprintf(err, errlen, "setting '%s': '%s' is not a size (e.g. 64k, 20MB)", key, value);
            free(expanded);
            return -1;
        }
        break;
    }
    if (s->type != WW_STR && s->type != WW_BOOL && (number < s->min || number > s->max)) {
        snprintf(err, errlen, "setting '%s': %s is outside [%lld, %lld]", key, value, (long long) s->min,
                 (long long) s->max);
        free(expanded);
        return -1;
    }
    free(self->values[i]);
    self->values[i] = expanded;
    self->numbers[i] = number;
    return 0;
}

ww_config_t *ww_config_new(const char *data_dir)
{
    ww_config_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->data_dir = strdup(data_dir);
    size_t n = strlen(self->data_dir);
    while (n > 1 && self->data_dir[n - 1] == '/')
        self->data_dir[--n] = 0;
    char err[256];
    for (size_t i = 0; i < S_COUNT; i++) {
        int rc = ww_config_set(self, s_table[i].name, s_table[i].fallback, err, sizeof err);
        assert(rc == 0 && "defaults must be valid");
        (void) rc;
    }
    return self;
}

void ww_config_destroy(ww_config_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_config_t *self = *self_p;
    for (size_t i = 0; i < S_COUNT; i++)
        free(self->values[i]);
    free(self->data_dir);
    free(self);
    *self_p = NULL;
}

static char *s_trim(char *s)
{
    while (isspace((unsigned char) *s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char) e[-1]))
        *--e = 0;
    return s;
}

int ww_config_load(ww_config_t *self, const char *path, char *err, size_t errlen)
{
    char reason[384];
    if (path && *path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            snprintf(err, errlen, "config %s: %s", path, strerror(errno));
            return -1;
        }
        char line[4096];
        int lineno = 0;
        while (fgets(line, sizeof line, f)) {
            lineno++;
            if (!strchr(line, '\n') && !feof(f)) {
                snprintf(err, errlen, "config %s:%d: line longer than %zu bytes", path, lineno, sizeof line - 1);
                fclose(f);
                return -1;
            }
            char *s = s_trim(line);
            if (*s == 0 || *s == '#' || *s == ';')
                continue;
            char *eq = strchr(s, '=');
            if (!eq) {
                snprintf(err, errlen, "config %s:%d: expected 'key = value'", path, lineno);
                fclose(f);
                return -1;
            }
            *eq = 0;
            char *key = s_trim(s), *value = s_trim(eq + 1);
            size_t vl = strlen(value);
            if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
                value[vl - 1] = 0;
                value++;
            }
            if (ww_config_set(self, key, value, reason, sizeof reason) < 0) {
                snprintf(err, errlen, "config %s:%d: %s", path, lineno, reason);
                fclose(f);
                return -1;
            }
        }
        fclose(f);
    }
    for (size_t i = 0; i < S_COUNT; i++) {
        char env[128] = "WIREWATCH_";
        size_t o = strlen(env);
        for (const char *p = s_table[i].name; *p && o + 1 < sizeof env; p++)
            env[o++] = *p == '.' ? '_' : (char) toupper((unsigned char) *p);
        env[o] = 0;
        const char *v = getenv(env);
        if (v && ww_config_set(self, s_table[i].name, v, reason, sizeof reason) < 0) {
            snprintf(err, errlen, "environment %s: %s", env, reason);
            return -1;
        }
    }
    return 0;
}

static int s_must(const char *key)
{
    int i = s_index(key);
    assert(i >= 0 && "unknown config key");
    return i;
}

const char *ww_config_str(ww_config_t *self, const char *key)
{
    return self->values[s_must(key)];
}

int64_t ww_config_int(ww_config_t *self, const char *key)
{
    return self->numbers[s_must(key)];
}

bool ww_config_bool(ww_config_t *self, const char *key)
{
    return self->numbers[s_must(key)] != 0;
}

const char *ww_config_data_dir(ww_config_t *self)
{
    return self->data_dir;
}

void ww_config_write_sample(FILE *out)
{
    fprintf(out, "# wirewatch configuration. Every key can be overridden by an environment\n"
                 "# variable: WIREWATCH_ + the key in capitals with dots as underscores\n"
                 "# (fetcher.window -> WIREWATCH_FETCHER_WINDOW). ${data} is the data directory\n"
                 "# (--data, WIREWATCH_DATA, or ~/.local/share/wirewatch).\n");
    char section[64] = "";
    for (size_t i = 0; i < S_COUNT; i++) {
        const char *dot = strchr(s_table[i].name, '.');
        int plen = dot ? (int) (dot - s_table[i].name) : 0;
        char this_section[64];
        snprintf(this_section, sizeof this_section, "%.*s", plen, s_table[i].name);
        if (strcmp(section, this_section) != 0) {
            fprintf(out, "\n# --- %s ---\n", this_section);
            memcpy(section, this_section, sizeof section);
        }
        fprintf(out, "# %s\n# %s = %s\n", s_table[i].help, s_table[i].name, s_table[i].fallback);
    }
}
