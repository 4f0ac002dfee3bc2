/*
 * MirrorCheckpointConnector / MirrorCheckpointTask and MirrorHeartbeatConnector / MirrorHeartbeatTask
 * (org.apache.kafka.connect.mirror, Kafka 4.3.1; spec/mirrormaker2.md 1.3-1.7, 3, 4, 6.2, 6.4, 9.7)
 * as built-in kconnect source connectors.
 *
 * Files: mirror_checkpoint_connector.c (connector, config tables, group assignment, client property
 * lists, compacted topic creation, replay-bound registry, registration), mirror_checkpoint_task.c
 * (task: offset-syncs reader thread, CheckpointStore, checkpoint emission, group offset sync),
 * mirror_heartbeat.c (heartbeat connector and task).
 *
 * Records are raw bytes (key schema OPTIONAL_BYTES, value schema BYTES, no headers): run these
 * connectors with key.converter / value.converter = ByteArrayConverter, as Java MM2 requires (1.6).
 * They are produced by the worker's producer of the task, i.e. to the worker's cluster, which must
 * be the target cluster; the connectors' own clients reach the clusters through
 * source.cluster.* / target.cluster.* (+ consumer.* / admin.* / source.admin.* ... overrides, 6.4).
 *
 * Threads: connector and task functions as connector.h says. The checkpoint connector owns one
 * refresh thread (group discovery every refresh.groups.interval.seconds); the checkpoint task owns
 * one reader thread (CheckpointStore load, then the offset-syncs topic read to end and tailed into
 * the OffsetSyncStore). The replay-bound registry is process-wide and guarded by its own mutex.
 * Memory: as connector.h says for connectors; every other function states it below.
 */
#ifndef KC_CONNECTORS_MIRROR_MIRROR_CHECKPOINT_H
#define KC_CONNECTORS_MIRROR_MIRROR_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/connector.h"
#include "connect/config/config_def.h"
#include "connectors/mirror/mirror_config.h"
#include "connectors/mirror/offset_sync_store.h"

#define KC_MIRROR_CHECKPOINT_CONNECTOR_CLASS "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
#define KC_MIRROR_HEARTBEAT_CONNECTOR_CLASS "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector"

/* Keys of MirrorCheckpointConfig (Java 4.3.1 defaults in the tables). */
#define KC_MIRROR_EMIT_CHECKPOINTS_ENABLED "emit.checkpoints.enabled"            /* true */
#define KC_MIRROR_EMIT_CHECKPOINTS_INTERVAL "emit.checkpoints.interval.seconds"  /* 60 */
#define KC_MIRROR_SYNC_GROUP_OFFSETS_ENABLED "sync.group.offsets.enabled"        /* false */
#define KC_MIRROR_SYNC_GROUP_OFFSETS_INTERVAL "sync.group.offsets.interval.seconds" /* 60 */
#define KC_MIRROR_REFRESH_GROUPS_ENABLED "refresh.groups.enabled"                /* true */
#define KC_MIRROR_REFRESH_GROUPS_INTERVAL "refresh.groups.interval.seconds"      /* 600 */
#define KC_MIRROR_CHECKPOINTS_TOPIC_RF "checkpoints.topic.replication.factor"    /* 3 */
#define KC_MIRROR_OFFSET_SYNCS_LOCATION "offset-syncs.topic.location"            /* source */
#define KC_MIRROR_TASK_ASSIGNED_GROUPS "task.assigned.groups"
#define KC_MIRROR_TASK_INDEX "task.index"
/* Keys of MirrorHeartbeatConfig. */
#define KC_MIRROR_EMIT_HEARTBEATS_ENABLED "emit.heartbeats.enabled"              /* true */
#define KC_MIRROR_EMIT_HEARTBEATS_INTERVAL "emit.heartbeats.interval.seconds"    /* 1 */
#define KC_MIRROR_HEARTBEATS_TOPIC_RF "heartbeats.topic.replication.factor"      /* 3 */

/* Filled in (config tables) by kc_mirror_checkpoint_heartbeat_register. */
extern kc_connector_plugin kc_mirror_checkpoint_connector;
extern kc_connector_plugin kc_mirror_heartbeat_connector;

/* Registers both connectors with the plugin registry (before any worker thread starts). The line
 * for connect/main.c, next to kc_verifiable_connectors_register:
 *     if (kc_mirror_checkpoint_heartbeat_register(err) != 0) return -1;  */
int kc_mirror_checkpoint_heartbeat_register(kc_error *err);

/* ---- config tables (static, immutable) ------------------------------------------------------- */

/* The keys each connector adds to kc_mirror_connector_config_table() (MirrorCheckpointConfig's and
 * MirrorHeartbeatConfig's own keys, Java 4.3.1 defaults). The plugins' config tables are the two
 * concatenated, built by kc_mirror_checkpoint_heartbeat_register. */
kc_config_table kc_mirror_checkpoint_config_table(void);
kc_config_table kc_mirror_heartbeat_config_table(void);

/* ---- group assignment (ConnectorUtils.groupPartitions) --------------------------------------- */

/* Cuts groups[0..n) (already in the order to assign: kconnect sorts byte-wise) into
 * min(max_tasks, n) contiguous chunks, the first n % tasks chunks one longer. Fills task_of[i] with
 * the task index of groups[i] and returns the number of tasks (0 when n == 0 or max_tasks < 1). */
int kc_mirror_checkpoint_assign_groups(size_t n, int max_tasks, int *task_of);

/* ---- heartbeat records (the task's poll, exposed for tests) ---------------------------------- */

/* The record MirrorHeartbeatTask.poll returns at time now_ms: topic heartbeats_topic, partition 0,
 * key/value per spec 1.4, timestamp now_ms, source partition {"sourceClusterAlias","targetClusterAlias"},
 * offset {"offset":0}. New record (kc_record_free), NULL with err. */
kc_record *kc_mirror_heartbeat_record_new(const char *heartbeats_topic, const char *source_alias,
                                          const char *target_alias, int64_t now_ms, kc_error *err);

/* ---- replay bounds (kconnect extension) ------------------------------------------------------ */

/* The latest replay bound of one group of one checkpoint connector: over the partitions the last
 * emission pass translated, the largest number of records a consumer starting at the checkpointed
 * offsets may re-read (kc_offset_translation.replay_bound). */
typedef struct kc_mirror_replay_bound {
    char *connector;         /* the connector's name */
    char *group;
    int64_t bound;           /* max over the translated partitions; -1 when unknown_partitions > 0 */
    int partitions;          /* partitions translated in the last pass */
    int unknown_partitions;  /* of which the syncs do not bound the replay (KC_REPLAY_UNKNOWN) */
    int64_t updated_ms;      /* wall clock of the pass */
} kc_mirror_replay_bound;

/* Records the bound of (connector, group) (copied; replaces the previous one). Any thread. */
void kc_mirror_checkpoint_replay_bound_put(const char *connector, const char *group, int64_t bound, int partitions,
                                           int unknown_partitions, int64_t updated_ms);
/* A snapshot of every bound of connector (NULL: all connectors), sorted by connector then group:
 * *out is a new array of *n entries the caller frees with kc_mirror_replay_bounds_free. 0, or -1
 * when out of memory. Any thread (a REST handler could serve it as
 * GET /connectors/{name}/mirror/replay-bounds -> [{"group":..,"bound":..,...}]). */
int kc_mirror_checkpoint_replay_bounds(const char *connector, kc_mirror_replay_bound **out, size_t *n);
void kc_mirror_replay_bounds_free(kc_mirror_replay_bound *bounds, size_t n);
/* Adds GET /connectors/{connector}/mirror/replay-bounds (mirror_rest.c): [{"group", "replay_bound"
 * (null when a partition is unbounded), "partitions", "unbounded_partitions", "updated_ms"}] from
 * this worker's registry. Before the server starts. */
struct kc_rest_server;
int kc_mirror_rest_register(struct kc_rest_server *srv, kc_error *err);

/* Forgets every bound of connector (the task stops) or, NULL, all of them (tests). */
void kc_mirror_checkpoint_replay_bounds_clear(const char *connector);

/* ---- shared by the three .c files (internal) ------------------------------------------------- */

/* The task halves (mirror_checkpoint_task.c, mirror_heartbeat.c). */
extern const kc_source_task_plugin kc_mirror_checkpoint_task;
extern const kc_source_task_plugin kc_mirror_heartbeat_task;


/* An rd_kafka_t for the admin API (a producer handle) of cluster, with the client properties of
 * mirror_config.h (kc_mirror_client_props_new). Free with rd_kafka_destroy. NULL with err. */
rd_kafka_t *kc_mirror_cp_admin_new(const kc_mirror_config *c, kc_mirror_cluster cluster, const char *label,
                                   const char *role, kc_error *err);
/* A consumer (no group, never subscribes; assign only) of cluster for role. NULL with err. */
rd_kafka_t *kc_mirror_cp_consumer_new(const kc_mirror_config *c, kc_mirror_cluster cluster, const char *label,
                                      const char *role, kc_error *err);
/* MirrorUtils.createCompactedTopic on rk's cluster: partitions, replication, cleanup.policy=compact;
 * already exists, not authorized and unsupported count as success. 0, or -1 with err. */
int kc_mirror_cp_create_compacted_topic(rd_kafka_t *rk, const char *topic, int partitions, int replication,
                                        int timeout_ms, kc_error *err);
/* Parses config with { kc_mirror_connector_config_table(), own } (kc_mirror_config_new). */
kc_mirror_config *kc_mirror_cp_config_new(const kc_props *config, kc_config_table own, kc_error *err);
int64_t kc_mirror_cp_now_ms(void);

#endif
