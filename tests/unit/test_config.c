/* test_config: the settings table, file parsing, environment overrides. */
#include "ww_config.h"
#include "ww_paths.h"
#include "ww_status.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include "ww_test.h"

#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    char err[512];
    ww_config_t *c = ww_config_new("/srv/ww/");
    CHECK_STR(ww_config_str(c, "endpoint.raw"), "ipc:///srv/ww/run/raw.ipc");
    CHECK(ww_config_int(c, "limits.max_document") == 20 * 1024 * 1024);
    CHECK(ww_config_int(c, "fetcher.poll_interval") == 15 * 60 * 1000);
    CHECK(!ww_config_bool(c, "fetcher.allow_private_addresses"));

    char path[] = "/tmp/ww-config-XXXXXX";
    int fd = mkstemp(path);
    const char *text =
        "# comment\nfetcher.window = 32\nlimits.max_document = 1MB\nfetcher.feeds = \"http://a/x, http://b/y\"\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t) strlen(text));
    close(fd);
    setenv("WIREWATCH_FETCHER_WINDOW", "64", 1);
    CHECK(ww_config_load(c, path, err, sizeof err) == 0);
    CHECK(ww_config_int(c, "fetcher.window") == 64); /* environment wins */
    CHECK(ww_config_int(c, "limits.max_document") == 1024 * 1024);
    CHECK_STR(ww_config_str(c, "fetcher.feeds"), "http://a/x, http://b/y");
    unsetenv("WIREWATCH_FETCHER_WINDOW");

    /* Bad values name the file, line and key. */
    fd = open(path, O_WRONLY | O_TRUNC);
    const char *bad = "\nfetcher.window = lots\n";
    CHECK(write(fd, bad, strlen(bad)) == (ssize_t) strlen(bad));
    close(fd);
    CHECK(ww_config_load(c, path, err, sizeof err) < 0);
    CHECK(strstr(err, ":2:") && strstr(err, "fetcher.window"));
    CHECK(ww_config_set(c, "no.such.key", "1", err, sizeof err) < 0 && strstr(err, "unknown setting"));
    CHECK(ww_config_set(c, "fetcher.window", "0", err, sizeof err) < 0 && strstr(err, "outside"));
    setenv("WIREWATCH_ZMQ_LINGER", "soon", 1);
    CHECK(ww_config_load(c, NULL, err, sizeof err) < 0 && strstr(err, "WIREWATCH_ZMQ_LINGER"));
    unsetenv("WIREWATCH_ZMQ_LINGER");
    unlink(path);

    CHECK(ww_parse_duration_ms("500ms") == 500);
    CHECK(ww_parse_duration_ms("2h") == 7200000);
    CHECK(ww_parse_duration_ms("7d") == 7LL * 86400000);
    CHECK(ww_parse_duration_ms("soon") < 0);
    CHECK(ww_parse_size("64k") == 65536);
    CHECK(ww_parse_size("-1") < 0);

    char *bind = ww_endpoint_bind("tcp://fetcher:5551");
    CHECK_STR(bind, "tcp://*:5551");
    free(bind);
    /* Status files: each state whole, and publishing creates no file once
     * the status file and its next file exist (their inodes are swapped). */
    char sdir[] = "/tmp/ww-status-XXXXXX";
    CHECK(mkdtemp(sdir) != NULL);
    ww_status_t *st = ww_status_new(sdir, "tester");
    char spath[300];
    snprintf(spath, sizeof spath, "%s/tester-%d.json", sdir, (int) getpid());
    /* a file's birth time tells a new inode from a reused number */
    struct statx_timestamp born[2] = {{0}, {0}};
    bool same_files = true;
    for (int i = 1; i <= 20; i++) {
        ww_status_counters(st)->in = (uint64_t) i;
        CHECK(ww_status_publish(st) == 0);
        json_t *j = json_load_file(spath, 0, NULL);
        CHECK(j && json_integer_value(json_object_get(j, "in")) == i);
        json_decref(j);
        struct statx sx;
        CHECK(statx(AT_FDCWD, spath, 0, STATX_BTIME, &sx) == 0);
        if (!(sx.stx_mask & STATX_BTIME))
            break; /* a file system without birth times: nothing to tell by */
        struct statx_timestamp *b = &born[i % 2];
        if (i <= 3)
            *b = sx.stx_btime;
        else
            same_files &= sx.stx_btime.tv_sec == b->tv_sec && sx.stx_btime.tv_nsec == b->tv_nsec;
    }
    CHECK(same_files);
    ww_status_remove(st);
    ww_status_destroy(&st);
    DIR *sd = opendir(sdir);
    int left = 0;
    for (struct dirent *e; sd && (e = readdir(sd));)
        left += e->d_name[0] != '.';
    if (sd)
        closedir(sd);
    CHECK(left == 0); /* removed, next file included */
    CHECK(rmdir(sdir) == 0);

    ww_config_destroy(&c);
    ww_config_destroy(&c); /* safe twice */
    CHECK(c == NULL);
    WW_TEST_END();
}
