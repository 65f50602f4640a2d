/* peer_watch: lost peers of a bound socket, from libzmq's socket monitor. */
#include "peer_watch.h"

#include <stdint.h>
#include <string.h>

struct peer_watch_t {
    zsock_t *watched;
    zsock_t *events; /* PAIR: the monitor's end */
};

peer_watch_t *peer_watch_new(zsock_t *sock, const char *name)
{
    peer_watch_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    char endpoint[128];
    snprintf(endpoint, sizeof endpoint, "inproc://peer-watch-%s-%p", name, (void *) self);
    /* the monitor binds the endpoint; our PAIR connects to it */
    if (zmq_socket_monitor(zsock_resolve(sock), endpoint, ZMQ_EVENT_DISCONNECTED) != 0) {
        free(self);
        return NULL;
    }
    self->watched = sock;
    self->events = zsock_new_pair(endpoint);
    if (!self->events) {
        zmq_socket_monitor(zsock_resolve(sock), NULL, 0);
        free(self);
        return NULL;
    }
    return self;
}

void peer_watch_destroy(peer_watch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    peer_watch_t *self = *self_p;
    zmq_socket_monitor(zsock_resolve(self->watched), NULL, 0);
    zsock_destroy(&self->events);
    free(self);
    *self_p = NULL;
}

int peer_watch_fd(peer_watch_t *self)
{
    return zsock_fd(self->events);
}

int peer_watch_lost(peer_watch_t *self)
{
    if (!self)
        return 0;
    int lost = 0;
    void *events = zsock_resolve(self->events);
    /* each event is two parts: 2 bytes of event and 4 of value, then the
     * endpoint. Read without waiting (as every worker reads), and a bounded
     * number per call, so that a storm of events cannot stall the loop. */
    for (int n = 0; n < 256; n++) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, events, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&part);
            break;
        }
        uint16_t event = 0;
        if (zmq_msg_size(&part) >= sizeof event)
            memcpy(&event, zmq_msg_data(&part), sizeof event);
        if (event == ZMQ_EVENT_DISCONNECTED)
            lost++;
        while (zmq_msg_more(&part)) { /* the endpoint */
            zmq_msg_close(&part);
            zmq_msg_init(&part);
            if (zmq_msg_recv(&part, events, ZMQ_DONTWAIT) < 0)
                break;
        }
        zmq_msg_close(&part);
    }
    return lost;
}
