/*
 * Java Kafka client configuration -> librdkafka configuration, from one table.
 *
 * Operators write the Java client keys they know (security.protocol, sasl.jaas.config,
 * ssl.truststore.location, acks, ...). Each known key has one row in the table of client_config.c:
 * which clients it applies to (producer, consumer, admin), how it is translated (same name, renamed,
 * a translation function, read by kconnect itself, ignored because it has no meaning for a C client,
 * or refused because it cannot be honoured), whether it is a secret, and its documentation. The same
 * table answers "what does this key do" for docs and validation. A key of the form
 * `librdkafka.<name>` passes <name> to librdkafka unchanged (an escape hatch, not a Java key).
 *
 * Where Java's default differs from librdkafka's in a way an operator would notice (isolation.level,
 * enable.idempotence), the Java default is applied when the key is absent.
 *
 * SCRAM and the bridge: librdkafka older than 2.6.1 (Debian 12 ships 2.0.2) sends a wrong SCRAM
 * client-final message (the client nonce twice; fixed by confluentinc/librdkafka PR #4895) that
 * Kafka >= 4.0 rejects as "invalid credentials". So when the mapped settings ask for SASL with
 * SCRAM-SHA-256/512 and rd_kafka_version() is older than 2.6.1, kc_client_conf_new hands the result
 * to the SASL bridge (connect/kafka/bridge.h): the returned configuration tells librdkafka
 * security.protocol=plaintext without sasl.* / ssl.* settings and carries socket/connect callbacks
 * through which kconnect itself connects, does TLS (SASL_SSL) and logs in, then relays the bytes.
 * rd_kafka_conf_get on such a configuration therefore shows "plaintext"; the original settings live
 * in state the configuration owns (freed with it or with its client). A failed login, TLS handshake
 * or connect then reaches librdkafka as a plain disconnect; kc_bridge_last_error(rk) tells the
 * cause (check_connection uses it). The kconnect-level key `kconnect.scram.bridge` = auto (default)
 * | always (also PLAIN, any librdkafka) | never (librdkafka logs in itself) chooses.
 *
 * Memory: kc_client_conf_new returns a new rd_kafka_conf_t the caller owns (pass it to rd_kafka_new,
 * which takes it over on success, or rd_kafka_conf_destroy it). The `unused` list, when given, is
 * filled with copies of the keys that no row applied to this client (the caller may warn, as Java's
 * "supplied but isn't a known config" does).
 * Threads: any; the table is immutable.
 * Secrets: values of secret keys never appear in an error message or in kc_client_config_redacted.
 */
#ifndef KC_CONFIG_CLIENT_CONFIG_H
#define KC_CONFIG_CLIENT_CONFIG_H

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

typedef enum kc_client_kind {
    KC_CLIENT_PRODUCER = 1,
    KC_CLIENT_CONSUMER = 2,
    KC_CLIENT_ADMIN = 4,
    KC_CLIENT_ANY = 7
} kc_client_kind;

typedef enum kc_client_map {
    KC_MAP_SAME,      /* same name and value in librdkafka */
    KC_MAP_RENAME,    /* the librdkafka name differs; the value passes unchanged */
    KC_MAP_FUNC,      /* a function translates the value (and may read other keys) */
    KC_MAP_KCONNECT,  /* read by kconnect itself into kc_client_settings */
    KC_MAP_IGNORE,    /* accepted; no effect for a C client (the doc says why) */
    KC_MAP_REFUSE     /* cannot be honoured: an error whose text says what to use instead */
} kc_client_map;

/* Settings that are not librdkafka properties but that kconnect's own loops honour. */
typedef struct kc_client_settings {
    int max_poll_records;        /* consumer: records handed over per poll (Java default 500) */
    int default_api_timeout_ms;  /* admin and consumer calls without their own timeout (60000) */
    int request_timeout_ms;      /* Java request.timeout.ms as given, or the client's default */
} kc_client_settings;

struct kc_client_map_ctx;

typedef struct kc_client_key {
    const char *java;            /* the key an operator writes */
    unsigned clients;            /* KC_CLIENT_* mask of the clients it applies to */
    kc_client_map map;
    const char *rdkafka;         /* SAME / RENAME: the librdkafka property */
    int (*apply)(struct kc_client_map_ctx *ctx, const char *value, kc_error *err); /* FUNC */
    int secret;                  /* a PASSWORD-type value: never logged, never echoed */
    const char *doc;             /* what it does here; for REFUSE, what to use instead */
} kc_client_key;

/* The table and its length. Static, immutable. */
const kc_client_key *kc_client_config_table(size_t *count);

/* The row for key (exact Java name), or NULL. */
const kc_client_key *kc_client_config_find(const char *key);

/* Initialises settings with Java's defaults. */
void kc_client_settings_init(kc_client_settings *settings);

/* Translates props for a client of the given kind into a new librdkafka configuration.
 * settings (optional) receives the kconnect-side values; unused (optional) receives the keys that
 * apply to no row for this kind. Returns NULL with err set (KC_ERR_INVALID, naming the key and,
 * unless it is a secret, the value) when a key is refused or its value is invalid. With SCRAM (see
 * above) the returned configuration goes through the SASL bridge. */
rd_kafka_conf_t *kc_client_conf_new(const kc_props *props, kc_client_kind kind,
                                    kc_client_settings *settings, kc_props *unused,
                                    kc_error *err);

/* 1 when key names a secret: a secret row of the table, `librdkafka.` + a secret librdkafka
 * property, or any key ending in ".password", "sasl.jaas.config" or "ssl.keystore.key" after a
 * prefix such as "producer." or "A.". */
int kc_client_config_is_secret(const char *key);

/* A copy of props with every secret value replaced by "[hidden]" (Java's Password.toString()).
 * NULL when out of memory. Free with kc_props_free. */
kc_props *kc_client_config_redacted(const kc_props *props);

#endif
