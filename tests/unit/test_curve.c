/* test_curve: CURVE on tcp endpoints with a ZAP handler. Real sockets on
 * 127.0.0.1: a worker with an admitted key gets through; a stranger with a
 * key of its own, a client that speaks no CURVE and a client that trusts the
 * wrong server key get nothing; a key copied into public/ later is admitted
 * without a restart; missing keys are an error, never a silent plain socket. */
#include "ww_test.h"

#include "ww_curve.h"
#include "ww_message.h"
#include "ww_paths.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static char s_root[256];

/* A free loopback port (the kernel picks one; it is released for zmq). */
static int s_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(fd, (struct sockaddr *) &a, sizeof a);
    getsockname(fd, (struct sockaddr *) &a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static ww_config_t *s_config(const char *keys, const char *role, const char *endpoint)
{
    char data[300], err[256];
    snprintf(data, sizeof data, "%s/data", s_root);
    ww_config_t *c = ww_config_new(data);
    ww_config_set(c, "endpoint.clean", endpoint, err, sizeof err);
    ww_config_set(c, "zmq.linger", "0", err, sizeof err);
    if (keys)
        ww_config_set(c, "security.keys_dir", keys, err, sizeof err);
    if (role)
        ww_config_set(c, "security.role", role, err, sizeof err);
    return c;
}

/* Does a message sent by a client with this config reach the server? */
static bool s_gets_through(zsock_t *server, const char *keys, const char *role, const char *endpoint)
{
    ww_config_t *c = s_config(keys, role, endpoint);
    zsock_t *client = ww_socket_connect(ZMQ_PUSH, c, "endpoint.clean");
    bool got = false;
    if (client) {
        zsock_set_sndtimeo(client, 1500);
        zstr_send(client, "hello");
        zsock_set_rcvtimeo(server, 1500);
        char *m = zstr_recv(server);
        got = m && !strcmp(m, "hello");
        zstr_free(&m);
        zsock_destroy(&client);
    }
    ww_config_destroy(&c);
    return got;
}

static void s_copy(const char *from, const char *to)
{
    size_t len = 0;
    char *bytes = ww_read_file(from, 1 << 16, &len);
    CHECK(bytes && ww_write_file_atomic(to, bytes, len, 0) == 0);
    free(bytes);
}

int main(void)
{
    zsys_init();
    snprintf(s_root, sizeof s_root, "/tmp/ww-curve-XXXXXX");
    CHECK(mkdtemp(s_root) != NULL);
    char keys[300], stranger[300], err[512], path[400], path2[400];
    snprintf(keys, sizeof keys, "%s/keys", s_root);
    snprintf(stranger, sizeof stranger, "%s/stranger", s_root);
    CHECK(ww_curve_generate(keys, NULL, false, err, sizeof err) == 0);
    const char *mine[] = {"cleaner", "indexer", NULL};
    CHECK(ww_curve_generate(stranger, mine, false, err, sizeof err) == 0);
    const char *bad_role[] = {"../etc", NULL};
    CHECK(ww_curve_generate(stranger, bad_role, false, err, sizeof err) < 0 && strstr(err, "../etc"));

    /* generating again keeps the pairs people already copied to hosts */
    snprintf(path, sizeof path, "%s/public/cleaner.cert", keys);
    zcert_t *before = zcert_load(path);
    CHECK(ww_curve_generate(keys, NULL, false, err, sizeof err) == 0);
    zcert_t *after = zcert_load(path);
    CHECK(before && after && !strcmp(zcert_public_txt(before), zcert_public_txt(after)));
    zcert_destroy(&before);
    zcert_destroy(&after);

    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", s_free_port());
    ww_config_t *sc = s_config(keys, "indexer", endpoint);
    zsock_t *server = ww_socket_bind(ZMQ_PULL, sc, "endpoint.clean");
    CHECK(server != NULL);
    CHECK(zsock_curve_server(server) == 1);

    CHECK(s_gets_through(server, keys, "cleaner", endpoint));
    /* a stranger knows the server's public key but its own is not admitted */
    snprintf(path, sizeof path, "%s/public/indexer.cert", keys);
    snprintf(path2, sizeof path2, "%s/public/indexer.cert", stranger);
    s_copy(path, path2);
    CHECK(!s_gets_through(server, stranger, "cleaner", endpoint));
    /* no CURVE at all */
    CHECK(!s_gets_through(server, NULL, NULL, endpoint));
    /* an admitted client that was given the wrong server key */
    char wrong[300];
    snprintf(wrong, sizeof wrong, "%s/wrong", s_root);
    const char *both[] = {"cleaner", "indexer", NULL};
    CHECK(ww_curve_generate(wrong, both, false, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s/secret/cleaner.cert_secret", keys);
    snprintf(path2, sizeof path2, "%s/secret/cleaner.cert_secret", wrong);
    s_copy(path, path2);
    CHECK(!s_gets_through(server, wrong, "cleaner", endpoint));
    /* the stranger's key copied into public/ is admitted, no restart */
    snprintf(path, sizeof path, "%s/public/cleaner.cert", stranger);
    snprintf(path2, sizeof path2, "%s/public/stranger-cleaner.cert", keys);
    s_copy(path, path2);
    sleep(1); /* the folder's modification time is what zcertstore watches */
    CHECK(s_gets_through(server, stranger, "cleaner", endpoint));

    /* a role without its secret: an error, not a plain socket */
    ww_config_t *c = s_config(keys, "nobody", endpoint);
    CHECK(ww_socket_connect(ZMQ_PUSH, c, "endpoint.clean") == NULL);
    ww_config_destroy(&c);
    /* a client without a role cannot pick a key */
    c = s_config(keys, NULL, endpoint);
    CHECK(ww_socket_connect(ZMQ_PUSH, c, "endpoint.clean") == NULL);
    ww_config_destroy(&c);
    zsock_destroy(&server);
    ww_config_destroy(&sc);

    /* ipc stays local to the host and is not encrypted */
    char ipc[400];
    snprintf(ipc, sizeof ipc, "ipc://%s/clean.ipc", s_root);
    sc = s_config(keys, "indexer", ipc);
    server = ww_socket_bind(ZMQ_PULL, sc, "endpoint.clean");
    CHECK(server && zsock_curve_server(server) == 0);
    CHECK(s_gets_through(server, NULL, NULL, ipc));
    zsock_destroy(&server);
    ww_config_destroy(&sc);

    ww_curve_shutdown();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s_root);
    CHECK(system(cmd) == 0);
    WW_TEST_END();
}
