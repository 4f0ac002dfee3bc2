/*
 * The group client's connection settings (kc_broker_settings) from Java client properties: the
 * same keys and the same translation as every other client of the worker (client_config.h), read
 * back from the librdkafka configuration that translation produces, so security.protocol,
 * sasl.mechanism, sasl.jaas.config, ssl.truststore.* (PEM) and ssl.endpoint.identification.algorithm
 * mean exactly what they mean for the worker's producers and consumers.
 *
 * Memory: kc_broker_settings_owned keeps the strings the settings point to; free it with
 * kc_broker_settings_clear. Threads: any.
 */
#ifndef KC_KAFKA_BROKER_SETTINGS_H
#define KC_KAFKA_BROKER_SETTINGS_H

#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "connect/kafka/broker_conn.h"

typedef struct kc_broker_settings_owned {
    kc_broker_settings s;
    char *strings[8];
} kc_broker_settings_owned;

/* Fills out from props (Java client keys). client_id may be NULL. 0, or -1 with err naming the bad
 * key (e.g. a mechanism the group client cannot use). */
int kc_broker_settings_from_props(const kc_props *props, const char *client_id, kc_broker_settings_owned *out,
                                  kc_error *err);
void kc_broker_settings_clear(kc_broker_settings_owned *o);

#endif
