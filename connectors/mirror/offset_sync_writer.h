/*
 * OffsetSyncWriter: when MirrorSource emits an offset sync (Java's OffsetSyncWriter and its
 * PartitionState, spec/mirrormaker2.md 2.10), as pure decisions; producing the record is the
 * caller's.
 *
 * For every record the target acknowledged, the caller passes (source topic-partition, upstream
 * offset, downstream offset) to kc_offset_sync_writer_queue (Java's commitRecord ->
 * maybeQueueOffsetSyncs; records without metadata or offset, e.g. dropped by an SMT, are not
 * passed). A sync is due at once when the partition has had no sync in this writer's lifetime,
 * when translation from the last sync would be offset.lag.max or more behind
 * (d - (lastSyncD + 1) >= lag), when the upstream skipped an offset (u - prevU != 1) or when the
 * downstream went backwards (d < prevD). A due sync becomes the partition's *pending* sync and
 * drops its *delayed* one; any other ack becomes the partition's *delayed* sync. Each queue holds
 * at most one sync per partition, in first-insertion order (a newer value replaces the older one
 * in place, as in Java's LinkedHashMap). kc_offset_sync_writer_promote moves every delayed sync to
 * pending (Java's commit(), every offset.flush.interval.ms); kconnect may call it more often.
 * After each queue and each promote the caller drains kc_offset_sync_writer_next: each call hands
 * out the oldest pending sync while fewer than max_in_flight (Java: 10) are unacknowledged; the
 * producer's delivery callback (success or failure) calls kc_offset_sync_writer_sent.
 *
 * Owns: per source topic-partition one fixed-size entry (state + one pending + one delayed sync)
 * and a copy of the topic name; at most KC_OFFSET_SYNC_WRITER_MAX_PARTITIONS entries, never
 * removed before kc_offset_sync_writer_free (as Java keeps partitionStates for the task's life).
 * Threads: any. One mutex guards the writer: acks arrive on the producer's delivery-report thread,
 * promotion on the offset-commit thread.
 */
#ifndef KC_MIRROR_OFFSET_SYNC_WRITER_H
#define KC_MIRROR_OFFSET_SYNC_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "connect/api/error.h"

#define KC_OFFSET_SYNC_MAX_IN_FLIGHT 10                  /* Java MAX_OUTSTANDING_OFFSET_SYNCS */
#define KC_OFFSET_SYNC_WRITER_MAX_PARTITIONS (1u << 20)  /* kconnect bound */

/* Java's OffsetSyncWriter.PartitionState, a plain value (no allocation). */
typedef struct kc_offset_sync_partition_state {
    int64_t previous_upstream;      /* -1 before the first ack */
    int64_t previous_downstream;    /* -1 before the first ack */
    int64_t last_sync_downstream;   /* -1: no sync in this lifetime */
    int64_t max_offset_lag;         /* offset.lag.max */
    bool should_sync;               /* sticky until reset, as in Java */
} kc_offset_sync_partition_state;

void kc_offset_sync_partition_state_init(kc_offset_sync_partition_state *st, int64_t max_offset_lag);
/* Records an ack; true when a sync should be emitted (stays true until reset). */
bool kc_offset_sync_partition_state_update(kc_offset_sync_partition_state *st, int64_t upstream_offset,
                                           int64_t downstream_offset);
void kc_offset_sync_partition_state_reset(kc_offset_sync_partition_state *st);

/* One offset sync to produce (key: topic, partition; value: upstream, downstream; spec 1.2). */
typedef struct kc_offset_sync {
    const char *topic;   /* borrowed from the writer, valid until kc_offset_sync_writer_free */
    int32_t partition;
    int64_t upstream;
    int64_t downstream;
} kc_offset_sync;

typedef struct kc_offset_sync_writer kc_offset_sync_writer_t;

/* max_offset_lag: offset.lag.max (Java default 100); max_in_flight <= 0 means
 * KC_OFFSET_SYNC_MAX_IN_FLIGHT. NULL with err filled when out of memory. Free with
 * kc_offset_sync_writer_free. */
kc_offset_sync_writer_t *kc_offset_sync_writer_new(int64_t max_offset_lag, int max_in_flight, kc_error *err);

/* Frees the writer; syncs handed out earlier lose their topic pointer. NULL is a no-op. */
void kc_offset_sync_writer_free(kc_offset_sync_writer_t *w);

/* Java maybeQueueOffsetSyncs for one acknowledged record. topic is copied on first use.
 * 1: queued as pending (due now); 0: kept as delayed; -1: err filled (out of memory or too many
 * partitions; the ack is not recorded). */
int kc_offset_sync_writer_queue(kc_offset_sync_writer_t *w, const char *topic, int32_t partition,
                                int64_t upstream_offset, int64_t downstream_offset, kc_error *err);

/* Java promoteDelayedOffsetSyncs: every delayed sync replaces or joins the pending ones. */
void kc_offset_sync_writer_promote(kc_offset_sync_writer_t *w);

/* One step of Java firePendingOffsetSyncs: when a sync is pending and an in-flight slot is free,
 * removes the oldest pending sync, takes the slot, fills *out and returns true; else false (call
 * again after the next queue, promote or sent). */
bool kc_offset_sync_writer_next(kc_offset_sync_writer_t *w, kc_offset_sync *out);

/* The producer finished one sync handed out by _next (delivered or failed): frees its slot. */
void kc_offset_sync_writer_sent(kc_offset_sync_writer_t *w);

/* ---- inspection (tests, metrics) ----------------------------------------------------------- */

typedef struct kc_offset_sync_writer_view {
    kc_offset_sync_partition_state state;
    bool has_pending;
    int64_t pending_upstream, pending_downstream;
    bool has_delayed;
    int64_t delayed_upstream, delayed_downstream;
} kc_offset_sync_writer_view;

/* A copy of one partition's entry. 0, or -1 when the writer never saw the partition. */
int kc_offset_sync_writer_peek(kc_offset_sync_writer_t *w, const char *topic, int32_t partition,
                               kc_offset_sync_writer_view *out);

/* Sizes of the two queues and the number of syncs in flight. Any pointer may be NULL. */
void kc_offset_sync_writer_counts(kc_offset_sync_writer_t *w, size_t *pending, size_t *delayed, int *in_flight);

#endif
