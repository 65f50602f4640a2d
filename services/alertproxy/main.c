/* wirewatch-alertproxy: where programs subscribe to alerts.
 *
 * Notifiers scale, so by the topology rules they only connect: each one's
 * PUB connects to this proxy's XSUB (endpoint.alerts_in), and programs
 * connect SUB sockets to its XPUB (endpoint.alerts), subscribing to a
 * watch name as topic. Subscriptions travel upstream through the proxy, so
 * notifiers send only what someone wants. Stateless: a restart loses
 * nothing but the alerts in flight, which PUB never promised. */
#include "ww_message.h"
#include "ww_service.h"

static void s_forward(zsock_t *from, zsock_t *to)
{
    zmsg_t *msg = zmsg_recv(from);
    if (msg)
        zmsg_send(&msg, to);
}

static void s_proxy_actor(zsock_t *pipe, void *args)
{
    ww_config_t *config = args;
    zsock_t *in = ww_socket_bind(ZMQ_XSUB, config, "endpoint.alerts_in");
    zsock_t *out = ww_socket_bind(ZMQ_XPUB, config, "endpoint.alerts");
    if (!in || !out) {
        zsys_error("alert proxy cannot start: cannot bind its endpoints");
        ww_actor_started(pipe, false);
        zsock_destroy(&in);
        zsock_destroy(&out);
        return;
    }
    ww_actor_started(pipe, true);
    zsys_info("alert proxy ready");
    zpoller_t *poller = zpoller_new(pipe, in, out, NULL);
    while (true) {
        void *which = zpoller_wait(poller, -1);
        if (which == pipe) {
            if (ww_actor_should_stop(pipe))
                break;
        } else if (which == in)
            s_forward(in, out);
        else if (which == out)
            s_forward(out, in); /* subscriptions, upstream */
        else if (zpoller_terminated(poller))
            break;
    }
    zpoller_destroy(&poller);
    zsock_destroy(&in);
    zsock_destroy(&out);
}

int main(int argc, char **argv)
{
    return ww_service_main(argc, argv, "alertproxy",
                           "Forwards alerts from every notifier to the programs subscribed to them (ZeroMQ PUB/SUB).",
                           s_proxy_actor);
}
