/*
 * MirrorMaker 2 connector configuration (Java's MirrorConnectorConfig, MirrorSourceConfig,
 * MirrorSourceTaskConfig and the client-config assembly of Kafka 4.3.1), shared by the three MM2
 * connectors (MirrorSource, MirrorCheckpoint, MirrorHeartbeat).
 *
 * Owns: the ConfigDef tables (static), and kc_mirror_config, a parsed connector/task config: a
 * copy of every property (Java's originals()), the def and typed values of the table it was
 * parsed with, the aliases and the replication policy.
 *
 * Sections:
 *   1. common (MirrorConnectorConfig): key names, kc_mirror_connector_config_table, kc_mirror_config,
 *      client property builders (kc_mirror_client_props_new) and entity labels / client ids;
 *   2. MirrorSourceConfig: key names, kc_mirror_source_config_table, kc_mirror_source_settings,
 *      offset-syncs topic, task.assigned.partitions encoding.
 * The checkpoint and heartbeat connectors build their tables as
 * { kc_mirror_connector_config_table(), <their own keys> } and parse with kc_mirror_config_new.
 *
 * Defaults are Java 4.3.1's (dumped from MirrorSourceConfig.CONNECTOR_CONFIG_DEF of
 * connect-mirror-4.3.1.jar, not the spec's 4.0 table): topics.exclude
 * "mm2.*\.internal, .*\.replica, __.*", refresh.topics.interval.seconds 600, replication.factor 2,
 * offset-syncs.topic.replication.factor 3 (SHORT), offset.lag.max 100, metric.names.formats legacy.
 *
 * Client properties (checked by running Java 4.3.1's sourceConsumerConfig & co.): for cluster C
 * (source|target) and client kind K (consumer|producer|admin), later wins:
 *   C.cluster.<k>   only the client-connection keys of MirrorClientConfig.CLIENT_CONFIG_DEF
 *                   (bootstrap.servers, security.protocol, ssl.*, sasl.* of that list; anything
 *                   else, e.g. source.cluster.client.id or .isolation.level, is dropped);
 *   K.<k>           every key with the prefix (so producer.override.acks becomes "override.acks",
 *                   as in Java, and is then unknown to the client);
 *   C.K.<k>         every key with the prefix;
 *   consumers: enable.auto.commit=false forced, auto.offset.reset=earliest when absent;
 *   client.id = [<configured client.id>"|"]<label>"|"<role>, label "S->T|<name>" (connector) or
 *   "S->T|<name>-<task.index>" (task); <name> "null" when the config has no name (as Java prints).
 * The result holds Java keys: hand it to kc_client_conf_new.
 *
 * Threads: tables are immutable; a kc_mirror_config is immutable after _new and may be read by any
 * thread (its policy is thread-safe). Memory: every _new result is the caller's (free with the
 * matching _free / free() / kc_props_free); getters return borrowed pointers that live as long as
 * the kc_mirror_config.
 */
#ifndef KC_CONNECTORS_MIRROR_MIRROR_CONFIG_H
#define KC_CONNECTORS_MIRROR_MIRROR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/connector.h"
#include "connect/api/error.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"
#include "connectors/mirror/replication_policy.h"

/* ==== 1. common: MirrorConnectorConfig ========================================================= */

#define KC_MIRROR_ENABLED_CONFIG "enabled"
#define KC_MIRROR_SOURCE_ALIAS_CONFIG "source.cluster.alias"
#define KC_MIRROR_TARGET_ALIAS_CONFIG "target.cluster.alias"
#define KC_MIRROR_TARGET_ALIAS_DEFAULT "target"
#define KC_MIRROR_ADMIN_TIMEOUT_CONFIG "admin.timeout.ms"
#define KC_MIRROR_ADMIN_TIMEOUT_DEFAULT 60000
#define KC_MIRROR_FORWARDING_ADMIN_CLASS_CONFIG "forwarding.admin.class"
#define KC_MIRROR_METRIC_REPORTERS_CONFIG "metric.reporters"
#define KC_MIRROR_TASK_INDEX_CONFIG "task.index"

/* Client roles (the last part of client.id). */
#define KC_MIRROR_ROLE_SOURCE_ADMIN "replication-source-admin"
#define KC_MIRROR_ROLE_TARGET_ADMIN "replication-target-admin"
#define KC_MIRROR_ROLE_CONSUMER "replication-consumer"
#define KC_MIRROR_ROLE_OFFSET_SYNCS_SOURCE_PRODUCER "offset-syncs-source-producer"
#define KC_MIRROR_ROLE_OFFSET_SYNCS_TARGET_PRODUCER "offset-syncs-target-producer"
#define KC_MIRROR_ROLE_OFFSET_SYNCS_SOURCE_ADMIN "offset-syncs-source-admin"
#define KC_MIRROR_ROLE_OFFSET_SYNCS_TARGET_ADMIN "offset-syncs-target-admin"
#define KC_MIRROR_ROLE_OFFSET_SYNCS_SOURCE_CONSUMER "offset-syncs-source-consumer"
#define KC_MIRROR_ROLE_OFFSET_SYNCS_TARGET_CONSUMER "offset-syncs-target-consumer"
#define KC_MIRROR_ROLE_CHECKPOINT_SOURCE_ADMIN "checkpoint-source-admin"
#define KC_MIRROR_ROLE_CHECKPOINT_TARGET_ADMIN "checkpoint-target-admin"
#define KC_MIRROR_ROLE_CHECKPOINTS_TARGET_CONSUMER "checkpoints-target-consumer"
#define KC_MIRROR_ROLE_HEARTBEATS_TARGET_ADMIN "heartbeats-target-admin"

/* The keys MirrorConnectorConfig adds to ConnectorConfig (enabled, aliases, admin.timeout.ms,
 * replication.policy.*, forwarding.admin.class, metric.reporters, security.protocol and the
 * common ssl.* / sasl.* client keys), in Java's order. Static. */
kc_config_table kc_mirror_connector_config_table(void);

typedef enum kc_mirror_cluster {
    KC_MIRROR_CLUSTER_SOURCE = 0,
    KC_MIRROR_CLUSTER_TARGET
} kc_mirror_cluster;

typedef enum kc_mirror_client {
    KC_MIRROR_CLIENT_CONSUMER = 0,
    KC_MIRROR_CLIENT_PRODUCER,
    KC_MIRROR_CLIENT_ADMIN
} kc_mirror_client;

typedef struct kc_mirror_config {
    kc_props *originals;            /* every property as given (Java's originals()) */
    kc_config_def *def;             /* built from the tables given to kc_mirror_config_new */
    kc_config_parsed *parsed;       /* typed values: read with kc_config_get_* */
    const char *name;               /* "name", borrowed from originals; NULL when absent */
    const char *source_alias;       /* parsed source.cluster.alias */
    const char *target_alias;       /* parsed target.cluster.alias */
    bool enabled;
    int64_t admin_timeout_ms;
    int task_index;                 /* task.index, -1 for a connector config (or absent) */
    kc_mirror_policy *policy;       /* replication.policy.class, configured from originals */
} kc_mirror_config;

/* Parses props with the given tables (e.g. { kc_mirror_source_config_table() }): Java's strict
 * parse, first error wins (KC_ERR_INVALID "Missing required configuration
 * \"source.cluster.alias\" which has no default value." ...), then builds the policy.
 * NULL with err. Free with kc_mirror_config_free. */
kc_mirror_config *kc_mirror_config_new(const kc_props *props, const kc_config_table *tables, size_t ntables,
                                       kc_error *err);
void kc_mirror_config_free(kc_mirror_config *c);

/* "S->T|<name>" (task_index < 0) or "S->T|<name>-<task_index>". New string (free()); NULL on OOM. */
char *kc_mirror_entity_label_new(const kc_mirror_config *c, int task_index);

/* The Java properties of one client (see the header comment for precedence and client.id).
 * label: kc_mirror_entity_label_new's; role: one of KC_MIRROR_ROLE_*. New kc_props
 * (kc_props_free); NULL with err when out of memory. */
kc_props *kc_mirror_client_props_new(const kc_props *originals, kc_mirror_cluster cluster, kc_mirror_client kind,
                                     const char *label, const char *role, kc_error *err);

/* 1 when key (without prefix) survives the source.cluster. / target.cluster. prefix
 * (MirrorClientConfig.CLIENT_CONFIG_DEF). */
int kc_mirror_is_client_connection_key(const char *key);

/* ==== 2. MirrorSourceConfig ==================================================================== */

#define KC_MIRROR_CONSUMER_POLL_TIMEOUT_CONFIG "consumer.poll.timeout.ms"
#define KC_MIRROR_REFRESH_TOPICS_ENABLED_CONFIG "refresh.topics.enabled"
#define KC_MIRROR_REFRESH_TOPICS_INTERVAL_CONFIG "refresh.topics.interval.seconds"
#define KC_MIRROR_SYNC_TOPIC_CONFIGS_ENABLED_CONFIG "sync.topic.configs.enabled"
#define KC_MIRROR_SYNC_TOPIC_CONFIGS_INTERVAL_CONFIG "sync.topic.configs.interval.seconds"
#define KC_MIRROR_SYNC_TOPIC_ACLS_ENABLED_CONFIG "sync.topic.acls.enabled"
#define KC_MIRROR_SYNC_TOPIC_ACLS_INTERVAL_CONFIG "sync.topic.acls.interval.seconds"
#define KC_MIRROR_REPLICATION_FACTOR_CONFIG "replication.factor"
#define KC_MIRROR_OFFSET_SYNCS_RF_CONFIG "offset-syncs.topic.replication.factor"
#define KC_MIRROR_OFFSET_LAG_MAX_CONFIG "offset.lag.max"
#define KC_MIRROR_OFFSET_SYNCS_LOCATION_CONFIG "offset-syncs.topic.location"
#define KC_MIRROR_EMIT_OFFSET_SYNCS_CONFIG "emit.offset-syncs.enabled"
#define KC_MIRROR_HEARTBEATS_REPLICATION_CONFIG "heartbeats.replication.enabled"
#define KC_MIRROR_METRIC_NAMES_FORMATS_CONFIG "metric.names.formats"
#define KC_MIRROR_TASK_PARTITIONS_CONFIG "task.assigned.partitions"

/* The common table followed by MirrorSourceConfig's own keys (topics, topics.exclude,
 * config.properties.exclude, filter classes, consumer.poll.timeout.ms, refresh/sync intervals,
 * replication factors, offset.lag.max, offset-syncs.topic.location, emit.offset-syncs.enabled,
 * heartbeats.replication.enabled, metric.names.formats), in Java's order. Static. */
kc_config_table kc_mirror_source_config_table(void);

/* The typed MirrorSourceConfig values (read from a kc_mirror_config parsed with the source table).
 * Intervals are -1 when the matching *.enabled is false (Java's negative Duration). */
typedef struct kc_mirror_source_settings {
    int64_t consumer_poll_timeout_ms;
    int64_t refresh_topics_interval_ms;
    int64_t sync_topic_configs_interval_ms;
    int64_t sync_topic_acls_interval_ms;
    int32_t replication_factor;          /* -1: broker default */
    int16_t offset_syncs_replication_factor;
    int64_t offset_lag_max;
    bool offset_syncs_at_source;         /* offset-syncs.topic.location == source */
    bool emit_offset_syncs;
    bool heartbeats_replication;
} kc_mirror_source_settings;

void kc_mirror_source_settings_read(const kc_mirror_config *c, kc_mirror_source_settings *out);

/* policy.offsetSyncsTopic(other alias): the target alias when the topic lives on the source
 * (mm2-offset-syncs.<T>.internal), else the source alias. New string (free()); NULL with err. */
char *kc_mirror_offset_syncs_topic_new(const kc_mirror_config *c, bool at_source, kc_error *err);

/* ---- task.assigned.partitions (MirrorUtils.encodeTopicPartition / decodeTopicPartition) ------ */

/* "t-0,t-3,u-1": <topic>-<partition> joined with ','. New string (free()); NULL on OOM. */
char *kc_mirror_encode_topic_partitions(const kc_topic_partition *tps, size_t n);

/* Splits s on ',' and each element at its last '-'. *out is a new array whose topics are
 * malloc'd: free with kc_mirror_topic_partitions_free(*out, *n). An empty s gives 0 partitions.
 * -1 with err (KC_ERR_INVALID) on an element without '-' or with a bad partition number. */
int kc_mirror_decode_topic_partitions(const char *s, kc_topic_partition **out, size_t *n, kc_error *err);
void kc_mirror_topic_partitions_free(kc_topic_partition *tps, size_t n);

#endif
