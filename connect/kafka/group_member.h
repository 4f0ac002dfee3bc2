/*
 * A blocking member of a classic Kafka group with a custom protocol type (Connect's "connect"),
 * which librdkafka cannot do (spec/connect-group-protocol.md §3). Meant for one dedicated thread.
 *
 * Flow: kc_group_member_join finds the coordinator (FindCoordinator on a bootstrap broker), sends
 * JoinGroup with the caller's protocols and metadata (adopting the member id on
 * MEMBER_ID_REQUIRED and retrying at once), runs the caller's assign callback when elected leader,
 * sends SyncGroup and returns once STABLE with the assignment bytes. Afterwards the caller calls
 * kc_group_member_poll often (well below heartbeat.interval.ms): it heartbeats on schedule and
 * returns KC_GROUP_REJOIN when the group rebalances or our generation is gone, after which the
 * caller calls kc_group_member_join again. kc_group_member_leave sends LeaveGroup (best effort).
 *
 * States: UNJOINED -> PREPARING_REBALANCE (JoinGroup sent) -> COMPLETING_REBALANCE (SyncGroup
 * pending) -> STABLE; each transition is logged on one line ("join state A -> B") by
 * "kconnect.kafka.group".
 *
 * Errors: retriable coordinator errors are retried inside join until its timeout (KC_ERR_TIMEOUT);
 * fatal protocol errors (INCONSISTENT_GROUP_PROTOCOL, authorization, ...) give KC_ERR_INVALID /
 * KC_ERR_FORBIDDEN; connection failures give the broker_conn codes.
 * Memory: the member owns copies of its configuration and the last assignment.
 * Threads: one thread at a time per member.
 */
#ifndef KC_KAFKA_GROUP_MEMBER_H
#define KC_KAFKA_GROUP_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/kafka/broker_conn.h"
#include "connect/kafka/group_codec.h"

#define KC_GROUP_LOGGER "kconnect.kafka.group"

typedef enum kc_group_state {
    KC_GROUP_UNJOINED,
    KC_GROUP_PREPARING_REBALANCE,
    KC_GROUP_COMPLETING_REBALANCE,
    KC_GROUP_STABLE
} kc_group_state;

/* The leader's assignor: fills out[i] (one per member, same order; data malloc'd by the callback,
 * freed by the member) from the members' metadata for the selected protocol. 0, or -1 with err. */
typedef int (*kc_group_assign_fn)(void *opaque, const char *protocol, const char *leader_id,
                                  const kc_join_member *members, size_t count, kc_group_assignment *out,
                                  kc_error *err);

typedef struct kc_group_member_config {
    kc_broker_settings broker;          /* security settings, client id */
    const char *bootstrap;              /* "host:port[,host:port...]" */
    const char *group_id;
    const char *protocol_type;          /* NULL = "connect" */
    const kc_group_protocol *protocols; /* in preference order; copied */
    size_t protocol_count;
    int session_timeout_ms;             /* 0 = 10000 */
    int rebalance_timeout_ms;           /* 0 = 60000 */
    int heartbeat_interval_ms;          /* 0 = 3000 */
    int request_timeout_ms;             /* 0 = 40000 */
    int retry_backoff_ms;               /* 0 = 100 */
    kc_group_assign_fn assign;
    void *opaque;
} kc_group_member_config;

typedef struct kc_group_member kc_group_member;

typedef enum kc_group_poll_result {
    KC_GROUP_OK = 0,        /* still a member of the current generation */
    KC_GROUP_REJOIN = 1,    /* rebalance in progress or generation lost: call kc_group_member_join */
    KC_GROUP_ERROR = -1     /* err set; the coordinator is marked unknown, join again later */
} kc_group_poll_result;

kc_group_member *kc_group_member_new(const kc_group_member_config *cfg, kc_error *err);
void kc_group_member_free(kc_group_member *m);

/* Replaces the offered protocols' metadata (for the next JoinGroup). 0, or -1 on out of memory. */
int kc_group_member_set_protocols(kc_group_member *m, const kc_group_protocol *protocols, size_t count);

/* Joins (or rejoins) the group and waits until STABLE, at most timeout_ms. 0, or -1 with err. */
int kc_group_member_join(kc_group_member *m, int timeout_ms, kc_error *err);

/* Heartbeats when due. Returns a kc_group_poll_result. */
kc_group_poll_result kc_group_member_poll(kc_group_member *m, kc_error *err);

/* LeaveGroup (best effort) and reset to UNJOINED with no member id. 0, or -1 with err. */
int kc_group_member_leave(kc_group_member *m, const char *reason, kc_error *err);

kc_group_state kc_group_member_state(const kc_group_member *m);
const char *kc_group_state_name(kc_group_state s);
int32_t kc_group_member_generation(const kc_group_member *m);
/* Our member id ("" before the first join). */
const char *kc_group_member_id(const kc_group_member *m);
const char *kc_group_member_leader_id(const kc_group_member *m);
const char *kc_group_member_protocol(const kc_group_member *m);
int kc_group_member_is_leader(const kc_group_member *m);
/* The assignment of the last SyncGroup (borrowed until the next join). */
const unsigned char *kc_group_member_assignment(const kc_group_member *m, size_t *len);

#endif
