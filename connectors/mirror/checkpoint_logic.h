/*
 * The pure decisions of MirrorCheckpointTask (spec/mirrormaker2.md 3.5, 3.7): the checkpoint of
 * one consumer group on one source partition (Java's checkpoint() + the filters of
 * checkpointsForGroup + checkpointIsMoreRecent), and whether a converted offset is written to the
 * group on the target (sync.group.offsets.enabled, Java's syncGroupOffset with kconnect's 7.4 rule).
 *
 * Not here (the caller's): the topic filter, listing the group's committed offsets, renaming the
 * topic with the replication policy (Java's renameTopicPartition: policy.originalTopic(t) when
 * policy.topicSource(t) is the target alias, else policy.formatRemoteTopic(source alias, t)), the
 * CheckpointStore that remembers the last checkpoint per (group, renamed topic-partition) (Java
 * updates it with every emitted checkpoint before producing them), encoding and producing.
 *
 * Owns: nothing; every function is pure apart from reading the OffsetSyncStore.
 * Threads: any (the store takes its own lock).
 * Memory: a kc_checkpoint only borrows its strings from the caller's arguments.
 */
#ifndef KC_MIRROR_CHECKPOINT_LOGIC_H
#define KC_MIRROR_CHECKPOINT_LOGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "connectors/mirror/offset_sync_store.h"

/* One checkpoint (spec 1.3): key (group, topic, partition), value (upstream, downstream, metadata). */
typedef struct kc_checkpoint {
    const char *group;          /* borrowed */
    const char *topic;          /* the renamed, target-side topic; borrowed */
    int32_t partition;
    int64_t upstream_offset;    /* the group's committed offset on the source */
    int64_t downstream_offset;  /* its translation */
    const char *metadata;       /* the commit's metadata, passed through; borrowed, never NULL */
} kc_checkpoint;

typedef enum kc_checkpoint_outcome {
    KC_CHECKPOINT_EMIT_FIRST = 0,        /* no earlier checkpoint for this group and partition */
    KC_CHECKPOINT_EMIT_UPSTREAM_REWIND,  /* the group moved back upstream (e.g. offsets reset) */
    KC_CHECKPOINT_EMIT_ADVANCED,         /* downstream offset later than the last checkpoint's */
    KC_CHECKPOINT_SKIP_NO_COMMIT,        /* the group has no committed offset for the partition */
    KC_CHECKPOINT_SKIP_NOT_READY,        /* offset-syncs topic not read to end yet */
    KC_CHECKPOINT_SKIP_NO_SYNCS,         /* no offset sync for the partition */
    KC_CHECKPOINT_SKIP_BEFORE_SYNCS,     /* committed offset before the earliest usable sync (-1) */
    KC_CHECKPOINT_SKIP_REPEATED,         /* same downstream offset as the last checkpoint */
    KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND /* downstream offset would go backwards */
} kc_checkpoint_outcome;

/* True for the three EMIT outcomes. */
bool kc_checkpoint_outcome_emits(kc_checkpoint_outcome outcome);

/* A short stable name ("emit-first", "skip-downstream-rewind", ...). Static string. */
const char *kc_checkpoint_outcome_name(kc_checkpoint_outcome outcome);

/* Java checkpointIsMoreRecent: emit when there is no last checkpoint (last NULL), when the
 * candidate's upstream offset is below the last one's, or when its downstream offset is above the
 * last one's; skip otherwise. Only the offsets of the two are read. */
kc_checkpoint_outcome kc_checkpoint_is_more_recent(const kc_checkpoint *last, const kc_checkpoint *candidate);

typedef struct kc_checkpoint_result {
    kc_checkpoint_outcome outcome;
    kc_checkpoint checkpoint;           /* filled when a translation >= 0 exists (emitted or not) */
    kc_offset_translation translation;  /* includes the replay bound of the checkpoint */
} kc_checkpoint_result;

/* The checkpoint of one group on one source topic-partition, with Java's filters in Java's order:
 * no committed offset (committed NULL) -> SKIP_NO_COMMIT; translation empty -> NOT_READY/NO_SYNCS;
 * translation < 0 -> BEFORE_SYNCS; then kc_checkpoint_is_more_recent against last (the last
 * checkpoint of (group, renamed_topic, partition), NULL when none). metadata NULL counts as ""
 * (Java's OffsetAndMetadata stores null metadata as ""). downstream_end: see
 * kc_offset_sync_store_translate (-1 when unknown). Returns out->outcome. */
kc_checkpoint_outcome kc_checkpoint_compute(kc_offset_sync_store_t *store, const char *group, const char *source_topic,
                                            int32_t partition, const int64_t *committed, const char *metadata,
                                            const char *renamed_topic, int64_t downstream_end,
                                            const kc_checkpoint *last, kc_checkpoint_result *out);

/* ---- consumer group offset sync to the target (sync.group.offsets.enabled) -------------------- */

/* The target group's state as DescribeGroups reported it this interval. */
typedef enum kc_target_group_state {
    KC_TARGET_GROUP_UNKNOWN = 0, /* describe failed or not done yet this interval */
    KC_TARGET_GROUP_DEAD,        /* does not exist on the target */
    KC_TARGET_GROUP_EMPTY,       /* exists, no members */
    KC_TARGET_GROUP_ACTIVE       /* Stable, PreparingRebalance, CompletingRebalance, Assigning, Reconciling */
} kc_target_group_state;

typedef enum kc_group_sync_decision {
    KC_GROUP_SYNC_WRITE = 0,
    KC_GROUP_SYNC_SKIP_DISABLED,      /* sync.group.offsets.enabled=false */
    KC_GROUP_SYNC_SKIP_ACTIVE,        /* members on the target: never overwrite a live group (7.4) */
    KC_GROUP_SYNC_SKIP_UNKNOWN_STATE, /* no fresh state: do not guess */
    KC_GROUP_SYNC_SKIP_NOT_FORWARD,   /* target offset >= converted offset: never move it back */
    KC_GROUP_SYNC_SKIP_INVALID        /* converted offset < 0 (Java fails building OffsetAndMetadata) */
} kc_group_sync_decision;

/* A short stable name ("write", "skip-active", ...). Static string. */
const char *kc_group_sync_decision_name(kc_group_sync_decision decision);

/* Whether to write converted_offset (the last checkpoint's downstream offset) for one partition of
 * a group on the target. target_offset: the group's committed offset there, NULL when it has none
 * for the partition (absent, or reset to -1 by a non-Java client). Java (3.7): Dead -> write every
 * converted offset; Empty -> write where the target has none or is below; any other state (and a
 * failed describe) -> Java also writes and relies on the broker refusing an active group. kconnect
 * writes only to Dead or Empty groups and only forward (7.4). */
kc_group_sync_decision kc_group_offset_sync_decide(bool enabled, kc_target_group_state state,
                                                   const int64_t *target_offset, int64_t converted_offset);

#endif
