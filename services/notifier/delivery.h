/* delivery: where an alert goes once it is claimed in the delivery log.
 *
 * Local channels are written at once: the JSON-lines file, stdout and the
 * ZeroMQ PUB socket (topic = watch name). Remote channels (webhooks,
 * e-mail) go through the outbox (ww_outbox.h): queued in the same file as
 * the claim and attempted by the sender (sender.h); a digest watch's
 * alerts wait for its next digest. */
#ifndef DELIVERY_H
#define DELIVERY_H

#include <czmq.h>
#include <jansson.h>

#include "ww_alertlog.h"
#include "ww_config.h"
#include "sender.h"

typedef struct delivery_t delivery_t;

/* sender (may be NULL) is woken when an alert queues deliveries. */
delivery_t *delivery_new(ww_config_t *config, ww_alertlog_t *log, sender_t *sender);
void delivery_destroy(delivery_t **self_p);
/* Delivers a claimed alert (borrowed) to the local channels and queues it
 * for the watch's channels; options may hold digest_ms. */
void delivery_send(delivery_t *self, json_t *alert, json_t *channels, json_t *options);
/* Claims the alert by its id in the delivery log and, if it is new, sends
 * it (delivery_send), the claim and the queued deliveries committing
 * together. 1 sent, 0 claimed before, -1 cannot record, -2 cannot commit. */
int delivery_claim(delivery_t *self, json_t *alert, json_t *channels, json_t *options);

/* Group commit: the claims made between begin and end (of the articles of
 * one receive) share one transaction, and their JSON lines one write and
 * one fsync, instead of one each per alert. Claims inside a batch return
 * 1 before anything is committed; end commits (0) or rolls all back (-2).
 * begin: 0, or -1 when no transaction could begin (claims then commit one
 * by one). */
int delivery_batch_begin(delivery_t *self);
int delivery_batch_end(delivery_t *self);
#endif
