/* ww_curve: CURVE keys per role and the ZAP handler that refuses strangers. */
#include "ww_curve.h"

#include "ww_paths.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const ww_curve_roles[] = {"fetcher", "cleaner", "indexer", "notifier", "alertproxy", "client", NULL};

/* Which role binds each endpoint (the topology in DESIGN.md). */
static const struct {
    const char *key;
    const char *role;
} s_servers[] = {
    {"endpoint.raw", "fetcher"},     {"endpoint.ack", "fetcher"},          {"endpoint.clean", "indexer"},
    {"endpoint.indexed", "indexer"}, {"endpoint.alerts_in", "alertproxy"}, {"endpoint.alerts", "alertproxy"},
};

static pthread_mutex_t s_auth_lock = PTHREAD_MUTEX_INITIALIZER;
static zactor_t *s_auth;

const char *ww_curve_server_role(const char *endpoint_key)
{
    for (size_t i = 0; i < sizeof s_servers / sizeof s_servers[0]; i++)
        if (!strcmp(s_servers[i].key, endpoint_key))
            return s_servers[i].role;
    return NULL;
}

static bool s_valid_role(const char *role)
{
    if (!*role || strlen(role) > 64)
        return false;
    for (const char *p = role; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return false;
    return true;
}

static void s_public_path(char *out, size_t len, const char *dir, const char *role)
{
    snprintf(out, len, "%s/public/%s.cert", dir, role);
}

static void s_secret_path(char *out, size_t len, const char *dir, const char *role)
{
    snprintf(out, len, "%s/secret/%s.cert_secret", dir, role);
}

int ww_curve_generate(const char *dir, const char *const *roles, bool replace, char *err, size_t errlen)
{
    if (!roles)
        roles = ww_curve_roles;
    char pub_dir[4096], sec_dir[4096];
    snprintf(pub_dir, sizeof pub_dir, "%s/public", dir);
    snprintf(sec_dir, sizeof sec_dir, "%s/secret", dir);
    if (ww_mkdir_p(pub_dir) < 0 || ww_mkdir_p(sec_dir) < 0) {
        snprintf(err, errlen, "cannot create %s/public and %s/secret: %s", dir, dir, strerror(errno));
        return -1;
    }
    chmod(sec_dir, 0700); /* secrets are for this host's workers only */
    for (size_t i = 0; roles[i]; i++) {
        if (!s_valid_role(roles[i])) {
            snprintf(err, errlen, "role '%s' is not a name (a-z, 0-9, '-' and '_', at most 64)", roles[i]);
            return -1;
        }
        char pub[4200], sec[4200];
        s_public_path(pub, sizeof pub, dir, roles[i]);
        s_secret_path(sec, sizeof sec, dir, roles[i]);
        if (!replace && access(sec, F_OK) == 0 && access(pub, F_OK) == 0)
            continue;
        zcert_t *cert = zcert_new();
        if (!cert) {
            snprintf(err, errlen, "cannot make a key pair for %s", roles[i]);
            return -1;
        }
        zcert_set_meta(cert, "role", "%s", roles[i]);
        /* the secret file is private from its first byte */
        mode_t old = umask(077);
        int rc = zcert_save_secret(cert, sec);
        umask(old);
        if (rc == 0)
            rc = zcert_save_public(cert, pub);
        zcert_destroy(&cert);
        if (rc != 0) {
            snprintf(err, errlen, "cannot write the key pair of %s under %s: %s", roles[i], dir, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* The process's ZAP handler, started once: clients are admitted when their
 * public key is one of the certificates in DIR/public (re-read when that
 * folder changes, so a key added there is admitted without a restart). */
static int s_start_auth(const char *dir, char *err, size_t errlen)
{
    pthread_mutex_lock(&s_auth_lock);
    int rc = 0;
    if (!s_auth) {
        char pub_dir[4096];
        snprintf(pub_dir, sizeof pub_dir, "%s/public", dir);
        s_auth = zactor_new(zauth, NULL);
        if (!s_auth || zstr_sendx(s_auth, "CURVE", pub_dir, NULL) < 0 || zsock_wait(s_auth) < 0) {
            snprintf(err, errlen, "cannot start the ZAP handler for %s", pub_dir);
            zactor_destroy(&s_auth);
            rc = -1;
        }
    }
    pthread_mutex_unlock(&s_auth_lock);
    return rc;
}

void ww_curve_shutdown(void)
{
    pthread_mutex_lock(&s_auth_lock);
    zactor_destroy(&s_auth);
    pthread_mutex_unlock(&s_auth_lock);
}

static zcert_t *s_load(const char *path, const char *what, char *err, size_t errlen)
{
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "cannot read %s %s: %s (make keys with `wirewatch keys gen`)", what, path,
                 strerror(errno));
        return NULL;
    }
    zcert_t *cert = zcert_load(path);
    if (!cert)
        snprintf(err, errlen, "%s %s is not a key certificate", what, path);
    return cert;
}

int ww_curve_secure(zsock_t *sock, ww_config_t *config, const char *endpoint_key, const char *endpoint, bool server,
                    char *err, size_t errlen)
{
    const char *dir = ww_config_str(config, "security.keys_dir");
    if (!dir || !*dir || strncmp(endpoint, "tcp://", 6) != 0)
        return 0;
    /* A server presents the key its clients expect for this endpoint; a
     * client presents its own role's. */
    const char *server_role = ww_curve_server_role(endpoint_key);
    const char *role = server && server_role ? server_role : ww_config_str(config, "security.role");
    if (!role || !*role) {
        snprintf(err, errlen, "security.role is not set: which key pair under %s should %s use?", dir, endpoint_key);
        return -1;
    }
    char path[4200];
    s_secret_path(path, sizeof path, dir, role);
    zcert_t *own = s_load(path, "secret key", err, errlen);
    if (!own)
        return -1;
    int rc = 0;
    if (server) {
        rc = s_start_auth(dir, err, errlen);
        if (rc == 0) {
            zsock_set_zap_domain(sock, "wirewatch");
            zcert_apply(own, sock);
            zsock_set_curve_server(sock, 1);
        }
    } else if (!server_role) {
        snprintf(err, errlen, "no role binds %s, so its server key is unknown", endpoint_key);
        rc = -1;
    } else {
        s_public_path(path, sizeof path, dir, server_role);
        zcert_t *peer = s_load(path, "public key", err, errlen);
        if (!peer)
            rc = -1;
        else {
            zcert_apply(own, sock);
            zsock_set_curve_serverkey(sock, zcert_public_txt(peer));
            zcert_destroy(&peer);
        }
    }
    zcert_destroy(&own);
    return rc;
}
