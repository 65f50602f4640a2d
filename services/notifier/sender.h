/* sender: attempts the outbox's remote deliveries (webhooks, e-mail) in a
 * thread of its own, up to notifier.concurrency at once on one libcurl
 * multi handle, which keeps connections to receivers open from one alert
 * to the next. Matching never waits for a receiver, and a slow receiver
 * holds only the transfers going to it.
 *
 * Each result goes back to the outbox (ww_outbox.h): done, tried again
 * after an exponential backoff, or dead-lettered after notifier.attempts.
 * Rows are leased while tried, so notifiers sharing the outbox never send
 * one row at the same time; a row whose sender died becomes due again when
 * its lease ends (at least once; receivers drop repeats by
 * Idempotency-Key). */
#ifndef SENDER_H
#define SENDER_H

#include "ww_config.h"

#include <stddef.h>

typedef struct sender_t sender_t;

/* Opens its own connection to notifier.alerts_db and starts the thread;
 * NULL with why in err. */
sender_t *sender_new(ww_config_t *config, char *err, size_t errlen);

/* Says that rows may have become due (a commit queued some), so the
 * sender looks now rather than at its next tick. Safe from any thread. */
void sender_wake(sender_t *self);

/* Stops taking rows, gives transfers in flight up to half of
 * shutdown.drain to finish (the rest stay leased and are sent again once
 * their lease ends), and ends the thread. */
void sender_destroy(sender_t **self_p);

#endif
