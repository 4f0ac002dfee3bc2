/*
 * Leader-side assignors of the Connect group (spec/connect-group-protocol.md §5): the eager assignor
 * (protocol "default", Java's EagerAssignor) and the incremental cooperative assignor (protocols
 * "compatible" and "sessioned", Java's IncrementalCooperativeAssignor, KIP-415) with the lost-work
 * delay (scheduled.rebalance.max.delay.ms) and the load-balancing revocation backoff.
 *
 * Both are pure functions of their inputs (plus, for the cooperative one, the state it keeps across
 * rounds in a kc_coop_assignor): members with their metadata and current assignments, the configured
 * connectors and task counts, the generation and the time. Output: one assignment per member, in the
 * order of the input members. Deterministic: members are taken in ascending member id and sets in
 * Java's String order (UTF-16 code units).
 *
 * Memory: results are a malloc'd array of n assignments freed with kc_cp_assignments_free; inputs are
 * borrowed for the duration of the call. Threads: the herder thread; a kc_coop_assignor is not shared.
 */
#ifndef KC_CLUSTER_ASSIGNOR_H
#define KC_CLUSTER_ASSIGNOR_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/cluster/connect_protocol.h"

/* One configured connector of the config snapshot: name and committed task count (0 when its task
 * configs are inconsistent). */
typedef struct kc_cp_connector_config {
    const char *name;
    int32_t tasks;
} kc_cp_connector_config;

typedef struct kc_cp_snapshot {
    int64_t offset;                             /* offset of the next config record */
    const kc_cp_connector_config *connectors;
    size_t nconnectors;
} kc_cp_snapshot;

/* A group member as seen by the leader (JoinGroup response, metadata decoded). */
typedef struct kc_cp_member {
    const char *member_id;
    const char *url;
    int64_t config_offset;
    const kc_cp_work *current;    /* the connectors/tasks of its allocation; NULL = none */
} kc_cp_member;

typedef struct kc_cp_assign_input {
    const char *leader_id;        /* must be one of the members */
    const kc_cp_member *members;
    size_t nmembers;
    const kc_cp_snapshot *snapshot; /* the leader's snapshot taken when it joined */
    /* Optional: reads the config topic again and returns a fresher snapshot (borrowed, valid during
     * the call), or NULL. Called only when snapshot->offset is behind a member's offset (§5.1). */
    const kc_cp_snapshot *(*refresh)(void *arg);
    void *refresh_arg;
    kc_cp_protocol protocol;      /* selected protocol: version written in the assignments */
    int32_t generation;           /* the new generation */
    int32_t last_completed_generation; /* the leader's last completed SyncGroup generation, or -1 */
    int64_t now_ms;               /* leader clock (cooperative delays) */
} kc_cp_assign_input;

void kc_cp_assignments_free(kc_cp_assignment *a, size_t n);

/* Eager assignor: full assignments (version 0 layout) for every member; a CONFIG_MISMATCH
 * assignment for everyone when the leader cannot reach the largest member offset. Returns a new
 * array of in->nmembers assignments (kc_cp_assignments_free) or NULL with err. */
kc_cp_assignment *kc_eager_assign(const kc_cp_assign_input *in, kc_error *err);

/* The incremental cooperative assignor and its state across rounds (§5.3). */
typedef struct kc_coop_assignor kc_coop_assignor;

/* max_delay_ms = scheduled.rebalance.max.delay.ms (>= 0). NULL when out of memory. Free with
 * kc_coop_assignor_free. */
kc_coop_assignor *kc_coop_assignor_new(int32_t max_delay_ms);
void kc_coop_assignor_free(kc_coop_assignor *a);

/* One assignment round. Returns a new array of in->nmembers assignments (newly assigned, revoked,
 * delay) or NULL with err; on CONFIG_MISMATCH the state is left untouched. */
kc_cp_assignment *kc_coop_assign(kc_coop_assignor *a, const kc_cp_assign_input *in, kc_error *err);

/* The revocation backoff for attempt k >= 1 with the given maximum (Java's ExponentialBackoff with
 * initial 1 (0 when max is 0), multiplier 40, no jitter): 40, 1600, 64000, then max. */
int32_t kc_coop_backoff(int32_t max_delay_ms, int attempt);

/* Java's String.compareTo on UTF-8 strings (UTF-16 code unit order). */
int kc_cp_java_strcmp(const char *a, const char *b);

#endif
