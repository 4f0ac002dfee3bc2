/*
 * Checkpoint echo guard (kconnect extension): in a replication that runs both ways between two
 * clusters with identity topic names (a `both` replication task without rename), the group offset
 * sync of flow S->T writes a group's translated offsets on T; the checkpoint flow T->S would then
 * translate those very offsets back to S and, once the group is empty there (its consumer
 * restarting), write them into the group on S. The round trip is not the identity: the reverse
 * translation follows T's records that came from T itself, whose copies on S may lie past the
 * group's real position, so the group on S could jump forward over records it never read
 * (mirrormaker2 spec 8.7's "the two checkpoint flows would feed each other's offsets back").
 *
 * The guard: the checkpoint task of T->S reads the checkpoints topic of the reverse flow S->T, which
 * lives on T (its source cluster; `<S>.checkpoints.internal` under the identity policy), and keeps
 * the last KC_CHECKPOINT_ECHO_KEEP downstream offsets of each (group, topic, partition). A group
 * partition whose committed offset on T is one of them was written by the reverse flow's sync, not
 * by a consumer on T: T->S emits no checkpoint for it (and so never syncs it back). As soon as a
 * consumer on T commits a position of its own (a real failover), the offset differs and the
 * partition is checkpointed as usual. Nothing changes for Java MM2 or for any other configuration:
 * the guard runs only when the task config names the topic (KC_CHECKPOINT_ECHO_TOPIC_CONFIG, which
 * the replication task translation sets for `both` flows with identity names and offset sync).
 *
 * Owns: a consumer on the source cluster (taken at creation) assigned to partition 0 of the topic,
 * and the table of recent offsets. Threads: the checkpoint task thread only. Memory: _new / _free.
 */
#ifndef KC_MIRROR_CHECKPOINT_ECHO_H
#define KC_MIRROR_CHECKPOINT_ECHO_H

#include <stdbool.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"

#define KC_CHECKPOINT_ECHO_TOPIC_CONFIG "kc.checkpoints.reverse.topic"
#define KC_CHECKPOINT_ECHO_TOPIC_DOC                                                                        \
    "kconnect: the checkpoints topic of the reverse flow on this flow's source cluster. Group offsets "     \
    "there that the reverse flow's group offset sync wrote are not checkpointed back (set by replication " \
    "tasks that run both ways with identity topic names). Empty: off."
#define KC_CHECKPOINT_ECHO_KEEP 8

typedef struct kc_checkpoint_echo kc_checkpoint_echo;

/* A guard reading topic with consumer (taken, also on failure). NULL with err (out of memory). */
kc_checkpoint_echo *kc_checkpoint_echo_new(rd_kafka_t *consumer, const char *topic, kc_error *err);

/* Reads what the topic received since the last call, up to its end offset now (timeout_ms bounds
 * the whole call). 0, or -1 with err (the table keeps what it had). A topic that does not exist
 * yet reads as empty. */
int kc_checkpoint_echo_refresh(kc_checkpoint_echo *e, int timeout_ms, kc_error *err);

/* Whether offset is one of the recent downstream offsets the reverse flow checkpointed for
 * (group, topic, partition). */
bool kc_checkpoint_echo_matches(const kc_checkpoint_echo *e, const char *group, const char *topic, int32_t partition,
                                int64_t offset);

/* Records a checkpoint by hand (what refresh does for each record); for tests. 0 or -1 (OOM). */
int kc_checkpoint_echo_add(kc_checkpoint_echo *e, const char *group, const char *topic, int32_t partition,
                           int64_t downstream);

void kc_checkpoint_echo_free(kc_checkpoint_echo *e);

#endif
