/*
 * The worker's configuration: Java's WorkerConfig (with RestServerConfig's keys), StandaloneConfig
 * and DistributedConfig (Apache Kafka 4.3.1), declared once as ConfigDef tables that drive parsing,
 * defaults, start-up errors and the generated reference (doc/config-worker.md).
 *
 * Keys are Java's, in Java's definition order, with Java's types, defaults, validators, importance
 * and documentation, with one exception: the Kafka client security keys Java's worker defines too
 * (security.protocol, ssl.* but ssl.client.auth, sasl.*) are not in these tables. They belong to
 * connect/config/client_config.h, which translates them for librdkafka; ConfigDef ignores keys it
 * does not define, so they never make parsing fail. The distributed table keeps Java's other client
 * keys (request.timeout.ms, retry.backoff.ms, metadata.max.age.ms, ...): the worker's own group
 * membership uses them, with the worker's defaults (request.timeout.ms 40000).
 * Two kconnect keys end the base table: rest.auth.basic.file and rest.auth.jaas.config (REST basic
 * authentication, REST spec §1.6).
 *
 * Start-up (kc_worker_config_new) is Java's constructor: ConfigDef.parse (first error wins, in
 * definition order: "Missing required configuration \"group.id\" which has no default value."),
 * then DistributedConfig's checks of the inter-worker key settings, then kconnect's REST extension
 * check. Config provider variables (${provider:path:key}) in the worker properties are resolved first,
 * as AbstractConfig's constructor does (config_providers.h), so originals are the resolved values.
 *
 * Memory: kc_worker_config_new returns a config freed with kc_worker_config_free; every string field
 * is borrowed from it. The tables are static. Helpers named _new return kc_props the caller frees
 * with kc_props_free.
 * Threads: a kc_worker_config is immutable once built; any thread may read it.
 * Secrets: no key of these tables is a PASSWORD; error messages quote values as Java does. The
 * originals (and the client props built from them) keep client secrets such as sasl.jaas.config
 * in clear: log them only through kc_client_config_redacted.
 */
#ifndef KC_WORKER_WORKER_CONFIG_H
#define KC_WORKER_WORKER_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"
#include "rest/server.h"

typedef enum kc_worker_mode {
    KC_WORKER_STANDALONE = 1,
    KC_WORKER_DISTRIBUTED
} kc_worker_mode;

/* connect.protocol (ConnectProtocolCompatibility), parsed case-insensitively. */
typedef enum kc_worker_protocol {
    KC_WORKER_PROTOCOL_EAGER = 0,
    KC_WORKER_PROTOCOL_COMPATIBLE,
    KC_WORKER_PROTOCOL_SESSIONED
} kc_worker_protocol;

/* exactly.once.source.support (DistributedConfig.ExactlyOnceSourceSupport). */
typedef enum kc_worker_eos {
    KC_WORKER_EOS_DISABLED = 0,
    KC_WORKER_EOS_PREPARING,  /* transactional leader, no exactly-once tasks yet */
    KC_WORKER_EOS_ENABLED
} kc_worker_eos;

/* Parses connect.protocol's value (any case). The enum value, or -1 when unknown. */
int kc_worker_protocol_parse(const char *name);
/* "eager", "compatible", "sessioned". Static string. */
const char *kc_worker_protocol_name(kc_worker_protocol protocol);

/* ---- tables ---------------------------------------------------------------------------------- */

/* WorkerConfig.baseConfigDef() (REST keys included, client security keys left out, kconnect's two
 * REST authentication keys appended). */
kc_config_table kc_worker_config_base_table(void);
/* What StandaloneConfig adds: offset.storage.file.filename. */
kc_config_table kc_worker_config_standalone_table(void);
/* What DistributedConfig adds (group.id ... metadata.recovery.rebootstrap.trigger.ms). */
kc_config_table kc_worker_config_distributed_table(void);

/* The whole definition of a mode: base + standalone or base + distributed. opts may be NULL; with a
 * class_exists lookup, key.converter / value.converter / header.converter must name known classes
 * (and header.converter's default, org.apache.kafka.connect.storage.SimpleHeaderConverter, too).
 * NULL with err on failure (a bug in the tables, or out of memory). */
kc_config_def *kc_worker_config_def_new(kc_worker_mode mode, const kc_config_def_opts *opts, kc_error *err);

/* The Markdown reference of the worker's keys, as committed in doc/config-worker.md: the base keys,
 * then what standalone and distributed mode add, one table each (kc_config_def_markdown_new). New
 * string (free()), NULL when out of memory. */
char *kc_worker_config_docs_new(void);

/* ---- the parsed configuration ------------------------------------------------------------------ */

typedef struct kc_worker_config {
    kc_worker_mode mode;
    kc_config_def *def;         /* owned */
    kc_config_parsed *parsed;   /* owned: every key, typed (kc_config_get_* by key name) */
    kc_props *originals;        /* owned copy of the properties as given (prefixed client keys, TLS) */

    /* WorkerConfig */
    char *bootstrap_servers;    /* the list joined with "," (WorkerConfig.bootstrapServers()) */
    const char *key_converter;
    const char *value_converter;
    const char *header_converter;
    int64_t task_shutdown_graceful_timeout_ms;
    int64_t offset_flush_interval_ms;
    int64_t offset_flush_timeout_ms;
    const char *plugin_discovery;                 /* as given, e.g. "hybrid_warn" */
    const char *connector_client_config_override_policy;
    bool topic_creation_enable;
    bool topic_tracking_enable;
    bool topic_tracking_allow_reset;

    /* REST (RestServerConfig); see kc_worker_config_rest */
    char *listeners;            /* the list joined with "," */
    char *admin_listeners;      /* NULL: unset (admin on the regular listeners); "": disabled */
    const char *rest_advertised_host_name;        /* NULL when unset */
    int32_t rest_advertised_port;                 /* -1 when unset */
    const char *rest_advertised_listener;         /* NULL when unset */
    /* rest.extension.classes names the basic-auth extension: rest.auth.basic.file, or the file
     * option of the KafkaConnect entry of the JAAS file rest.auth.jaas.config. NULL: no REST
     * authentication. */
    char *rest_basic_auth_file;

    /* StandaloneConfig (NULL in distributed mode) */
    const char *offset_storage_file_filename;

    /* DistributedConfig (zero / NULL in standalone mode) */
    const char *group_id;
    int32_t session_timeout_ms;
    int32_t rebalance_timeout_ms;
    int32_t heartbeat_interval_ms;
    kc_worker_eos exactly_once_source_support;
    int32_t request_timeout_ms;
    int64_t retry_backoff_ms;
    int32_t worker_sync_timeout_ms;
    int32_t worker_unsync_backoff_ms;
    const char *offset_storage_topic;
    int32_t offset_storage_partitions;            /* -1: the broker's default */
    int16_t offset_storage_replication_factor;    /* -1: the broker's default */
    const char *config_storage_topic;
    int16_t config_storage_replication_factor;
    const char *status_storage_topic;
    int32_t status_storage_partitions;
    int16_t status_storage_replication_factor;
    kc_worker_protocol connect_protocol;
    int32_t scheduled_rebalance_max_delay_ms;
    int32_t inter_worker_key_ttl_ms;
    const char *inter_worker_key_generation_algorithm;
    int32_t inter_worker_key_size;                /* bits; -1 when unset (the algorithm's default) */
    const char *inter_worker_signature_algorithm;
} kc_worker_config;

/* Parses props (copied) as Java's StandaloneConfig / DistributedConfig constructor does. opts as for
 * kc_worker_config_def_new. NULL with err (KC_ERR_INVALID, Java's message) when a value is missing or
 * invalid, e.g. "Missing required configuration \"group.id\" which has no default value.",
 * "Invalid value 0 for configuration offset.storage.partitions: Number of partitions must be
 * positive, or -1 to use the broker's default". kconnect runs no Java REST extension: any class in
 * rest.extension.classes but the basic-auth one fails with "REST extension class <name> is not
 * supported by kconnect" (REST spec §1.6); a JAAS file that cannot be read fails with KC_ERR_IO. */
kc_worker_config *kc_worker_config_new(kc_worker_mode mode, const kc_props *props,
                                       const kc_config_def_opts *opts, kc_error *err);
void kc_worker_config_free(kc_worker_config *wc);

/* The REST server's settings. Every pointer of *out is borrowed from wc (out->worker is
 * wc->originals, for the TLS keys); nothing to free. */
void kc_worker_config_rest(const kc_worker_config *wc, kc_rest_config *out);

/* DistributedConfig.transactionalProducerId(): "connect-cluster-<group.id>" into buf. Returns buf. */
char *kc_worker_config_transactional_id(const kc_worker_config *wc, char *buf, size_t size);

/* The OpenSSL digest name ("SHA256", "SHA3-512", "SHA512-224", ...) of a Java Mac / KeyGenerator
 * algorithm name ("HmacSHA256"; matched case-insensitively, as the JCA does), or NULL when kconnect
 * does not support it. Static string. */
const char *kc_worker_config_hmac_digest(const char *java_algorithm);

/* ---- client settings of connectors (Java's Worker) --------------------------------------------- */

/* Worker.baseProducerConfigs without the connector's overrides: bootstrap.servers (the worker's),
 * enable.idempotence=false, acks=all, max.in.flight.requests.per.connection=1,
 * delivery.timeout.ms=2147483647, client.id, then every worker key prefixed "producer." with the
 * prefix stripped. Nothing else of the worker's: connector producers get no unprefixed security
 * settings (Java's rule). The Java-only serializer and max.block.ms entries are left out.
 * client_id may be NULL (no client.id). New list, NULL with err when out of memory. */
kc_props *kc_worker_config_producer_props_new(const kc_worker_config *wc, const char *client_id,
                                              kc_error *err);

/* Worker.baseConsumerConfigs without the connector's overrides: group.id, client.id,
 * bootstrap.servers, enable.auto.commit=false, auto.offset.reset=earliest, then the worker's
 * "consumer." keys, stripped. group_id / client_id may be NULL (left out). */
kc_props *kc_worker_config_consumer_props_new(const kc_worker_config *wc, const char *group_id,
                                              const char *client_id, kc_error *err);

/* Worker.adminConfigs without the connector's overrides: bootstrap.servers, client.id, every worker
 * key that starts with none of "admin.", "producer.", "consumer." (Java keeps the unprefixed keys
 * for admin clients), then the worker's "admin." keys, stripped. */
kc_props *kc_worker_config_admin_props_new(const kc_worker_config *wc, const char *client_id,
                                           kc_error *err);

/* SinkUtils.consumerGroupId: "connect-<connector>" into buf. Returns buf. */
char *kc_worker_config_sink_group_id(const char *connector, char *buf, size_t size);

#endif
