/* delivery: sends one alert to every channel it should reach (the JSON-lines
 * file and stdout for every alert; a watch's own webhooks) and records each
 * outcome in the delivery log. */
#ifndef DELIVERY_H
#define DELIVERY_H

#include <jansson.h>

#include "ww_alertlog.h"
#include "ww_config.h"

typedef struct delivery_t delivery_t;

delivery_t *delivery_new(ww_config_t *config, ww_alertlog_t *log);
void delivery_destroy(delivery_t **self_p);
/* Delivers alert (borrowed) to the default channels and to channels. */
void delivery_send(delivery_t *self, json_t *alert, json_t *channels);

#endif
