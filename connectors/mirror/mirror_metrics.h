/*
 * Process-local metrics of the mirror connectors (kconnect extension; Java exposes the like as JMX
 * MirrorSourceMetrics "record-count", "replication-latency-ms", ... which kconnect does not have):
 *
 *   1. MirrorSource: per (connector, task, topic, partition) the records written to the target and
 *      acknowledged, the last acknowledged source offset, the consumer's position and the source
 *      high watermark the consumer last saw; per task a sliding window of the acknowledged total
 *      (records/s over the last KC_MIRROR_RATE_WINDOW_MS).
 *   2. MirrorCheckpoint: per (connector, group) the outcome of the last consumer group offset sync
 *      to the target (written, or skipped because the group is active there, with the time).
 *   3. The pure arithmetic behind them (rate window, lag), unit-tested without a broker.
 *
 * Owns: the two registries (static, one mutex each) and every string in them.
 * Threads: a source task publishes from its task thread at most every KC_MIRROR_METRICS_PUBLISH_MS
 * (the per-record counting stays in the task, without locks); the checkpoint task records from its
 * task thread; any thread (the herder's, REST) reads a snapshot. A task removes its entries when it
 * is destroyed, so a stopped or moved task leaves nothing behind on this worker.
 * Memory: snapshots are new arrays the caller frees with the matching _free; arguments are
 * borrowed (copied when kept).
 * In a cluster each worker knows only the tasks it runs: replication_rest.c asks the other workers
 * (GET /replications/{name}/status?scope=worker) and adds their answers up.
 */
#ifndef KC_MIRROR_METRICS_H
#define KC_MIRROR_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* ---- pure arithmetic ------------------------------------------------------------------------- */

#define KC_MIRROR_RATE_WINDOW_MS 10000
#define KC_MIRROR_RATE_SLOTS 12 /* one sample per second at most: the window plus a spare */
#define KC_MIRROR_METRICS_PUBLISH_MS 250

/* The clock of every _ms argument of the source task metrics: CLOCK_MONOTONIC in ms. */
int64_t kc_mirror_metrics_now_ms(void);

/* Samples (time, cumulative count), at most one per second, oldest overwritten. Zero-initialise. */
typedef struct kc_mirror_rate {
    int64_t ms[KC_MIRROR_RATE_SLOTS];
    uint64_t total[KC_MIRROR_RATE_SLOTS];
    int n;    /* samples held */
    int head; /* index of the newest sample */
} kc_mirror_rate;

/* Records that the cumulative count was total at now_ms (kept when the newest sample is at least
 * 1 s older, else ignored; a clock or count going backwards restarts the window). */
void kc_mirror_rate_sample(kc_mirror_rate *r, int64_t now_ms, uint64_t total);
/* Records per second at now_ms given the current cumulative total: (total - the oldest sample
 * inside the window) / elapsed time; the newest sample when none is inside; 0 without samples or
 * elapsed time. Never negative. */
double kc_mirror_rate_per_second(const kc_mirror_rate *r, int64_t now_ms, uint64_t total);

/* Records of a partition not yet replicated: high_watermark - (last_acked + 1), or, when nothing
 * was acknowledged yet (last_acked < 0), high_watermark - position; 0 when the high watermark or
 * both offsets are unknown (< 0). Never negative. */
int64_t kc_mirror_partition_lag(int64_t high_watermark, int64_t last_acked, int64_t position);

/* ---- source task metrics --------------------------------------------------------------------- */

/* One partition of a source task as published (strings borrowed by the publisher). */
typedef struct kc_mirror_partition_metrics {
    const char *topic;        /* source topic */
    const char *target_topic; /* its name on the target (policy), may be NULL */
    int32_t partition;
    uint64_t records;         /* written to the target and acknowledged since the task started */
    int64_t last_acked;       /* source offset of the last acknowledged record, -1 none */
    int64_t position;         /* next source offset the consumer returns (else the low watermark), -1 unknown */
    int64_t high_watermark;   /* as librdkafka last saw it, -1 unknown */
} kc_mirror_partition_metrics;

/* Publishes the state of task (connector, task) with n partitions (copied; replaces the previous
 * state and adds a rate sample). Once per poll batch at most; the task thread. Out of memory leaves
 * the previous state. */
void kc_mirror_metrics_publish(const char *connector, int task, const kc_mirror_partition_metrics *parts, size_t n,
                               int64_t now_ms);
/* Forgets task (connector, task), or every task of connector when task < 0. Any thread. */
void kc_mirror_metrics_remove(const char *connector, int task);

/* One topic of a connector, summed over the partitions and the tasks of this process. */
typedef struct kc_mirror_topic_metrics {
    char *topic;
    char *target_topic; /* NULL when unknown */
    uint64_t records;
    int64_t lag;
    int partitions;
} kc_mirror_topic_metrics;

/* The topics of connector on this process, sorted by topic, with the records/s of its tasks summed
 * (*rate) and the number of tasks found (*tasks; a task publishes once started). *out: new array of
 * *n entries (kc_mirror_topic_metrics_free). 0, or -1 out of memory. Any thread. */
int kc_mirror_metrics_topics(const char *connector, int64_t now_ms, kc_mirror_topic_metrics **out, size_t *n,
                             double *rate, int *tasks);
void kc_mirror_topic_metrics_free(kc_mirror_topic_metrics *t, size_t n);
/* Whether task (connector, task) has published on this process. Any thread. */
int kc_mirror_metrics_has_task(const char *connector, int task);

/* ---- checkpoint task: group offset sync ------------------------------------------------------- */

typedef enum kc_mirror_group_sync_state {
    KC_MIRROR_GROUP_SYNCED = 0,      /* the last sync pass wrote the offsets, or had nothing to write */
    KC_MIRROR_GROUP_SKIPPED_ACTIVE,  /* the group has members on the target: offsets left alone */
    KC_MIRROR_GROUP_SYNC_FAILED      /* describe / list / alter failed (reason says why) */
} kc_mirror_group_sync_state;

typedef struct kc_mirror_group_sync {
    char *connector;
    char *group;
    kc_mirror_group_sync_state state;
    char *reason;            /* for SKIPPED / FAILED, else NULL */
    int64_t updated_ms;      /* wall clock of the last pass that decided state */
    int64_t skipped_ms;      /* wall clock of the last skip since the last sync written, -1 none */
    int64_t synced_ms;       /* wall clock of the last sync written or confirmed, -1 none */
} kc_mirror_group_sync;

/* Records the outcome of a sync pass of (connector, group) at now_ms; reason copied (may be NULL).
 * SYNCED clears the skip time. The checkpoint task thread. */
void kc_mirror_group_sync_put(const char *connector, const char *group, kc_mirror_group_sync_state state,
                              const char *reason, int64_t now_ms);
/* Snapshot for connector (NULL: all), sorted by connector then group: *out new array of *n
 * (kc_mirror_group_syncs_free). 0, or -1 out of memory. Any thread. */
int kc_mirror_group_syncs(const char *connector, kc_mirror_group_sync **out, size_t *n);
void kc_mirror_group_syncs_free(kc_mirror_group_sync *s, size_t n);
/* Forgets connector's groups (the task stops), or all (NULL). Any thread. */
void kc_mirror_group_syncs_clear(const char *connector);
/* "synced", "skipped: group is active on the target", "failed". Static. */
const char *kc_mirror_group_sync_state_text(kc_mirror_group_sync_state state);

/* ---- JSON views (mirror_rest.c) --------------------------------------------------------------- */

/* jansson's json_t, declared here so that the registries above need no jansson. */
struct json_t;

/* The metrics of source connector on this process: {"records_per_second": r (rounded to an
 * integer: the REST answers print reals with 17 digits), "tasks": n,
 * "topics": [{"topic", "target_topic" (when known), "lag", "records", "partitions"}] sorted by topic}.
 * New reference. Any thread. */
struct json_t *kc_mirror_source_metrics_json_new(const char *connector);
/* Adds more's "records_per_second", "tasks" and "topics" (that shape, borrowed) into into's (summing
 * a topic's records, lag and partitions; keeping topics sorted). into: an object that may lack them. */
void kc_mirror_source_metrics_json_merge(struct json_t *into, const struct json_t *more);
/* The groups of checkpoint connector on this process: [{"group", "replay_bound" (null: unbounded),
 * "last_checkpoint_ms"}] from the replay-bound registry, each with, when a group offset sync pass
 * ran, "offset_sync" (kc_mirror_group_sync_state_text), "offset_sync_reason", "offset_sync_ms" (last
 * written) and "offset_sync_skipped_ms" (last skip since then). Sorted by group. New reference. */
struct json_t *kc_mirror_checkpoint_groups_json_new(const char *connector);
/* Appends the groups of more (that shape, borrowed) that groups lacks; keeps them sorted. */
void kc_mirror_checkpoint_groups_json_merge(struct json_t *groups, const struct json_t *more);

#endif
