/* test_fetcher: the fetcher's safety and drop-folder rules: private,
 * loopback and link-local addresses are refused unless allowed (checked when
 * a socket would open, so nothing is sent), and the drop folder takes files
 * once stable, moving them to done/ or to failed/ with a reason. */
#include "drop_folder.h"
#include "feed_poller.h"
#include "ww_paths.h"
#include "ww_test.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <unistd.h>

static bool s_private4(const char *ip)
{
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, ip, &a.sin_addr);
    return feed_address_is_private(&a);
}

static bool s_private6(const char *ip)
{
    struct sockaddr_in6 a = {0};
    a.sin6_family = AF_INET6;
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return feed_address_is_private(&a);
}

static int s_taken;

static int s_take(const char *path, const char *bytes, size_t len, char *reason, size_t reasonlen, void *arg)
{
    (void) path;
    (void) arg;
    if (len >= 3 && !memcmp(bytes, "bad", 3)) {
        snprintf(reason, reasonlen, "not wanted by the test");
        return -1;
    }
    s_taken++;
    return 0;
}

static int s_count(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (e->d_name[0] != '.' && l >= sl && !strcmp(e->d_name + l - sl, suffix))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

int main(void)
{
    CHECK(s_private4("127.0.0.1"));
    CHECK(s_private4("10.1.2.3"));
    CHECK(s_private4("172.16.0.1"));
    CHECK(s_private4("172.31.255.1"));
    CHECK(!s_private4("172.32.0.1"));
    CHECK(s_private4("192.168.1.1"));
    CHECK(s_private4("169.254.169.254"));
    CHECK(s_private4("0.0.0.0"));
    CHECK(!s_private4("8.8.8.8"));
    CHECK(!s_private4("93.184.216.34"));
    CHECK(s_private6("::1"));
    CHECK(s_private6("fe80::1"));
    CHECK(s_private6("fd00::1"));
    CHECK(s_private6("::ffff:127.0.0.1"));
    CHECK(!s_private6("2001:4860:4860::8888"));

    char dir[] = "/tmp/ww-fetcher-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    ww_config_t *config = ww_config_new(dir);
    feed_response_t r;
    CHECK(feed_poller_get(config, "http://127.0.0.1:9/feed.xml", NULL, NULL, &r) < 0);
    CHECK(strstr(r.error, "private") != NULL);
    feed_response_free(&r);
    CHECK(feed_poller_get(config, "file:///etc/passwd", NULL, NULL, &r) < 0); /* http and https only */
    feed_response_free(&r);

    char drop[300], path[400];
    snprintf(drop, sizeof drop, "%s/drop", dir);
    drop_folder_t *folder = drop_folder_new(drop, 200, 1 << 20);
    snprintf(path, sizeof path, "%s/good.txt", drop);
    CHECK(ww_write_file_atomic(path, "hello", 5, 0) == 0);
    snprintf(path, sizeof path, "%s/bad.txt", drop);
    CHECK(ww_write_file_atomic(path, "bad input", 9, 0) == 0);
    snprintf(path, sizeof path, "%s/.hidden.tmp", drop);
    CHECK(ww_write_file_atomic(path, "partial", 7, 0) == 0);
    drop_folder_scan(folder, s_take, NULL);
    CHECK(s_taken == 0); /* not yet stable */
    usleep(300000);
    drop_folder_scan(folder, s_take, NULL);
    CHECK(s_taken == 1);
    char done[400], failed[400];
    snprintf(done, sizeof done, "%s/done", drop);
    snprintf(failed, sizeof failed, "%s/failed", drop);
    CHECK(s_count(done, ".txt") == 1);
    CHECK(s_count(failed, ".txt") == 1 && s_count(failed, ".reason") == 1);
    CHECK(access(path, F_OK) == 0); /* hidden temp files are left alone */
    drop_folder_destroy(&folder);
    ww_config_destroy(&config);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    WW_TEST_END();
}
