/* ww_message: the wire contract between workers. Every message has three
 * frames: a type ("raw", "clean", "indexed", "ack"), a version ("1") and a
 * JSON object. proto/ holds one JSON Schema per type.
 *
 * Ownership: bodies passed to send are borrowed; a body returned by recv
 * belongs to the caller (json_decref). */
#ifndef WW_MESSAGE_H
#define WW_MESSAGE_H

#include <czmq.h>
#include <jansson.h>

#include "ww_config.h"

#define WW_MESSAGE_VERSION "1"

/* Sends one message; 0 or -1 (socket closed, interrupted). */
int ww_message_send(zsock_t *sock, const char *type, json_t *body);
/* Sends one message whose body is already encoded (compact JSON, as
 * ww_message_send writes it): the fetcher's spool keeps its messages so,
 * and parsing and writing them out again took most of its time. */
int ww_message_send_text(zsock_t *sock, const char *type, const char *text, size_t len);

/* Sends one message if the socket can take it within wait_ms; -1 if not
 * (no peer, or every peer's queue full) or on error. Workers send this way:
 * a PUSH with no peer blocks for ever otherwise, and a worker blocked so
 * answers nothing, SIGTERM included. What is not sent is not acknowledged,
 * so the fetcher re-sends it. */
int ww_message_send_within(zsock_t *sock, const char *type, json_t *body, int wait_ms);

/* How long a worker waits for a peer that is not reading: an ack, or any
 * send while draining (a drain has its own deadline). */
#define WW_MESSAGE_SEND_WAIT_MS 1000

/* How long a stage waits for a busy next stage before dropping an article
 * to the fetcher's re-send: under the default re-send delay (60 s), so
 * waiting never costs more than dropping would. */
#define WW_MESSAGE_FORWARD_WAIT_MS 30000

/* As ww_message_send_within, but also gives up as soon as unless (if not
 * NULL) has input
 * (an actor's pipe: a stop asked for): a stage whose peer is alive but
 * busy (an indexer committing a batch, whose queue is full meanwhile)
 * waits for it, where dropping the message would leave it to the
 * fetcher's re-send a minute later. -1 if not sent. */
int ww_message_send_unless(zsock_t *sock, const char *type, json_t *body, int wait_ms, zsock_t *unless);

/* Receives one message. Returns 0 with type (static string) and body set;
 * -1 if the message was malformed (reason in err, message consumed and
 * dropped, the caller logs and counts it); -2 if interrupted. */
int ww_message_recv(zsock_t *sock, const char **type, json_t **body, char *err, size_t errlen);

/* Like ww_message_recv for a socket the caller was told is readable, but
 * never waits: -3 when no message is there after all. On CURVE server
 * sockets we saw libzmq 4.3.4 report POLLIN with nothing to read (the
 * fetcher's ack socket and the indexer's input, under ASan, as peers came
 * and went); a blocking read then waited forever and the worker answered
 * nothing, SIGTERM included. */
int ww_message_recv_ready(zsock_t *sock, const char **type, json_t **body, char *err, size_t errlen);

/* Decodes an already received message (not destroyed). Same results as
 * ww_message_recv, without -2. */
int ww_message_decode(zmsg_t *msg, const char **type, json_t **body, char *err, size_t errlen);

/* Checks that body has what its type requires; 0 or -1 with a reason. */
int ww_message_check(const char *type, json_t *body, char *err, size_t errlen);

/* The string member key of a JSON object, or "" when it is missing or not
 * a string (borrowed from the object). */
const char *ww_json_str(json_t *object, const char *key);

/* Applies the socket options every worker socket gets from config: linger,
 * heartbeats, MAXMSGSIZE on receivers and IMMEDIATE on connecting senders. */
void ww_socket_configure(zsock_t *sock, ww_config_t *config, int is_connecting_sender);

/* Creates a socket bound (stable stage) or connected (scaled stage) to the
 * configured endpoint key, e.g. "endpoint.raw". NULL with a log line on error. */
zsock_t *ww_socket_bind(int type, ww_config_t *config, const char *key);
zsock_t *ww_socket_connect(int type, ww_config_t *config, const char *key);

#endif
