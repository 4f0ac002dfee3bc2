/*
 * Topic creation for source connectors (KIP-158, Java's TopicCreation / TopicCreationGroup).
 *
 * When the worker's topic.creation.enable is true and the connector sets
 * topic.creation.default.replication.factor and topic.creation.default.partitions, the first record
 * a source task writes to a topic that does not exist makes the task create it, with the settings of
 * the first group of topic.creation.groups whose include patterns match the topic and whose exclude
 * patterns do not (the "default" group matches every topic and comes last): partitions and
 * replication factor (-1 = the broker's default) and every other topic.creation.<group>.<key> as a
 * topic config. Topics that exist are left alone. A failure to create fails the task (Java's
 * behaviour), except "already exists" (another task was first).
 *
 * Threads: one instance per task, on its thread. Memory: kc_topic_creation_new / _free.
 */
#ifndef KC_WORKER_TOPIC_CREATION_H
#define KC_WORKER_TOPIC_CREATION_H

#include <stdbool.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

typedef struct kc_topic_creation kc_topic_creation;

/* NULL with err only on a bad configuration; a connector without topic.creation.default.* gets an
 * instance that never creates anything. */
kc_topic_creation *kc_topic_creation_new(const kc_props *connector_config, bool worker_enabled, kc_error *err);
void kc_topic_creation_free(kc_topic_creation *tc);

/* Makes sure topic exists (creating it per the groups when it does not). rk is any client of the
 * target cluster (the task's producer). Results are cached: a topic is checked once. */
int kc_topic_creation_ensure(kc_topic_creation *tc, rd_kafka_t *rk, const char *topic, kc_error *err);

/* 1 when topic exists, 0 when it does not, -1 with err. Reads the metadata of all topics (asking
 * for one would make a broker with auto.create.topics.enable create it). */
int kc_topic_exists(rd_kafka_t *rk, const char *topic, kc_error *err);

/* Creates topic through rk's admin API (partitions / replication -1: the broker's default; configs
 * may be NULL) and waits for the answer; "already exists" counts as success. */
int kc_topic_create(rd_kafka_t *rk, const char *topic, int partitions, int replication, const kc_props *configs,
                    kc_error *err);

#endif
