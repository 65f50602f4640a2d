/* ww_curve: CURVE encryption and who may connect, for tcp endpoints.
 *
 * `wirewatch keys gen DIR` makes one key pair per role: DIR/public/ROLE.cert
 * (the public key, safe to copy to every host) and DIR/secret/ROLE.cert_secret
 * (the role's secret, kept on the hosts that run that role). With
 * security.keys_dir set, every tcp endpoint is encrypted: the binding side is
 * the CURVE server with its role's key, the connecting side presents its own
 * and checks the server's. A ZAP handler (czmq's zauth) admits a client only
 * when its public key is in DIR/public, so a stranger with a key of its own
 * is refused, as is a client that speaks no CURVE at all. ipc and inproc
 * endpoints stay local to the host and are left as they are. */
#ifndef WW_CURVE_H
#define WW_CURVE_H

#include <czmq.h>
#include <stdbool.h>

#include "ww_config.h"

/* Roles that get a key pair by default. */
extern const char *const ww_curve_roles[];

/* The role that binds the endpoint named by config key (endpoint.raw ->
 * fetcher); NULL for an unknown key. */
const char *ww_curve_server_role(const char *endpoint_key);

/* Writes key pairs for roles (NULL-terminated; NULL for ww_curve_roles)
 * under dir. An existing key pair is kept unless replace. 0, or -1 with the
 * reason in err. */
int ww_curve_generate(const char *dir, const char *const *roles, bool replace, char *err, size_t errlen);

/* Secures sock before it binds or connects to endpoint (the value of config
 * key endpoint_key) when security.keys_dir is set and the endpoint is tcp.
 * Starts the process's ZAP handler on the first server socket. 0 when
 * secured or nothing to do, -1 with the reason in err (a missing or
 * unreadable key: the socket must not be used unencrypted). */
int ww_curve_secure(zsock_t *sock, ww_config_t *config, const char *endpoint_key, const char *endpoint, bool server,
                    char *err, size_t errlen);

/* Stops the ZAP handler, if one was started (at process exit). */
void ww_curve_shutdown(void);

#endif
