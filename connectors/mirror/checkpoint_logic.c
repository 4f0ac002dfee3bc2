/*
 * Pure decisions of MirrorCheckpointTask (see checkpoint_logic.h), after Java's checkpoint(),
 * checkpointsForGroup, checkpointIsMoreRecent and syncGroupOffset. Owns nothing; any thread.
 */
#include "checkpoint_logic.h"

#include <stddef.h>

bool kc_checkpoint_outcome_emits(kc_checkpoint_outcome o)
{
    return o == KC_CHECKPOINT_EMIT_FIRST || o == KC_CHECKPOINT_EMIT_UPSTREAM_REWIND || o == KC_CHECKPOINT_EMIT_ADVANCED;
}

const char *kc_checkpoint_outcome_name(kc_checkpoint_outcome o)
{
    switch (o) {
    case KC_CHECKPOINT_EMIT_FIRST: return "emit-first";
    case KC_CHECKPOINT_EMIT_UPSTREAM_REWIND: return "emit-upstream-rewind";
    case KC_CHECKPOINT_EMIT_ADVANCED: return "emit-advanced";
    case KC_CHECKPOINT_SKIP_NO_COMMIT: return "skip-no-commit";
    case KC_CHECKPOINT_SKIP_NOT_READY: return "skip-not-ready";
    case KC_CHECKPOINT_SKIP_NO_SYNCS: return "skip-no-syncs";
    case KC_CHECKPOINT_SKIP_BEFORE_SYNCS: return "skip-before-syncs";
    case KC_CHECKPOINT_SKIP_REPEATED: return "skip-repeated";
    case KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND: return "skip-downstream-rewind";
    }
    return "unknown";
}

kc_checkpoint_outcome kc_checkpoint_is_more_recent(const kc_checkpoint *last, const kc_checkpoint *cand)
{
    if (!last)
        return KC_CHECKPOINT_EMIT_FIRST;
    /* after the group rewound upstream, checkpoints may go back too */
    if (cand->upstream_offset < last->upstream_offset)
        return KC_CHECKPOINT_EMIT_UPSTREAM_REWIND;
    /* otherwise they only move forward */
    if (cand->downstream_offset > last->downstream_offset)
        return KC_CHECKPOINT_EMIT_ADVANCED;
    return cand->downstream_offset == last->downstream_offset ? KC_CHECKPOINT_SKIP_REPEATED
                                                              : KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND;
}

kc_checkpoint_outcome kc_checkpoint_compute(kc_offset_sync_store_t *store, const char *group, const char *source_topic,
                                            int32_t partition, const int64_t *committed, const char *metadata,
                                            const char *renamed_topic, int64_t downstream_end,
                                            const kc_checkpoint *last, kc_checkpoint_result *out)
{
    *out = (kc_checkpoint_result){.outcome = KC_CHECKPOINT_SKIP_NO_COMMIT};
    out->translation = (kc_offset_translation){.status = KC_TRANSLATE_NOT_READY, .downstream = -1,
                                               .sync_upstream = -1, .sync_downstream = -1, .replay_bound = -1};
    if (!committed)
        return out->outcome;
    if (!kc_offset_sync_store_translate(store, source_topic, partition, *committed, downstream_end, &out->translation)) {
        out->outcome = out->translation.status == KC_TRANSLATE_NOT_READY ? KC_CHECKPOINT_SKIP_NOT_READY
                                                                         : KC_CHECKPOINT_SKIP_NO_SYNCS;
        return out->outcome;
    }
    if (out->translation.downstream < 0) {
        out->outcome = KC_CHECKPOINT_SKIP_BEFORE_SYNCS;
        return out->outcome;
    }
    out->checkpoint = (kc_checkpoint){.group = group, .topic = renamed_topic, .partition = partition,
                                      .upstream_offset = *committed,
                                      .downstream_offset = out->translation.downstream,
                                      .metadata = metadata ? metadata : ""};
    out->outcome = kc_checkpoint_is_more_recent(last, &out->checkpoint);
    return out->outcome;
}

const char *kc_group_sync_decision_name(kc_group_sync_decision d)
{
    switch (d) {
    case KC_GROUP_SYNC_WRITE: return "write";
    case KC_GROUP_SYNC_SKIP_DISABLED: return "skip-disabled";
    case KC_GROUP_SYNC_SKIP_ACTIVE: return "skip-active";
    case KC_GROUP_SYNC_SKIP_UNKNOWN_STATE: return "skip-unknown-state";
    case KC_GROUP_SYNC_SKIP_NOT_FORWARD: return "skip-not-forward";
    case KC_GROUP_SYNC_SKIP_INVALID: return "skip-invalid";
    }
    return "unknown";
}

kc_group_sync_decision kc_group_offset_sync_decide(bool enabled, kc_target_group_state state,
                                                   const int64_t *target_offset, int64_t converted_offset)
{
    if (!enabled)
        return KC_GROUP_SYNC_SKIP_DISABLED;
    if (converted_offset < 0)
        return KC_GROUP_SYNC_SKIP_INVALID;
    switch (state) {
    case KC_TARGET_GROUP_DEAD:
        return KC_GROUP_SYNC_WRITE; /* a group new on the target: all converted offsets */
    case KC_TARGET_GROUP_EMPTY:
        if (target_offset && *target_offset >= converted_offset)
            return KC_GROUP_SYNC_SKIP_NOT_FORWARD;
        return KC_GROUP_SYNC_WRITE;
    case KC_TARGET_GROUP_ACTIVE:
        return KC_GROUP_SYNC_SKIP_ACTIVE;
    case KC_TARGET_GROUP_UNKNOWN:
        break;
    }
    return KC_GROUP_SYNC_SKIP_UNKNOWN_STATE;
}
