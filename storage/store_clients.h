/*
 * Client and topic settings of distributed mode's internal-topic stores (storage spec §6.1, §6.3):
 * what Java's ConnectUtils.clientIdBase, the stores' configure() (a copy of config.originals()) and
 * DistributedConfig.*StorageTopicSettings() compute, for the offsets and status stores (and any
 * other store over a kc_kafka_log).
 *
 * Java builds the internal producers, consumers and the shared admin from the worker's originals,
 * UNPREFIXED: bootstrap.servers, security.protocol, sasl.*, ssl.* and every other client key as the
 * operator wrote them; "producer." / "consumer." / "admin." keys do not apply to them (Java passes
 * them along, its clients ignore them as unknown; kconnect leaves them out, same effect).
 *
 * Memory: _new functions return lists the caller frees with kc_props_free (NULL with err when out
 * of memory). Functions writing into buf always NUL-terminate and return buf.
 * Threads: no shared state; any thread (the worker config is immutable).
 */
#ifndef KC_STORAGE_STORE_CLIENTS_H
#define KC_STORAGE_STORE_CLIENTS_H

#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "connect/worker/worker_config.h"
#include "storage/kafka_log.h"

/* ConnectUtils.clientIdBase: "<group.id>-", or "<group.id>-<client.id>-" when client.id is not
 * blank ("connect" in place of a missing group.id). Always ends with '-'. */
char *kc_store_client_id_base(const kc_worker_config *wc, char *buf, size_t size);

/* The client.id of a store's clients: base + suffix ("offsets", "statuses", "shared-admin").
 * base NULL = kc_store_client_id_base(wc); a base that does not end with '-' gets one appended
 * (so "connect-cluster-g" and Java's "g-" both work). */
char *kc_store_client_id(const kc_worker_config *wc, const char *base, const char *suffix, char *buf,
                         size_t size);

/* The worker's originals for an internal-topic client, with client.id = client_id (NULL: not set).
 * Left out: config.providers (WorkerConfig.originals() resolves them away), the "producer.",
 * "consumer." and "admin." prefixed keys, and every partitioner* key (§2.2: the internal producers
 * must keep the murmur2 partitioner; kafka_log drops them too). */
kc_props *kc_store_client_props_new(const kc_worker_config *wc, const char *client_id, kc_error *err);

/* DistributedConfig.topicSettings(prefix) with prefix "offset.storage.", "status.storage." or
 * "config.storage.": every original under prefix, prefix stripped, without topic, partitions and
 * replication.factor; cleanup.policy is dropped with Java's warning "Ignoring
 * '<prefix>cleanup.policy=<v>' setting, since compaction is always used" (and for the config
 * prefix, partitions with "... since config topic partitions is always 1"). Other keys are
 * forwarded as Java forwards them, even ones the broker will refuse. */
kc_props *kc_store_topic_settings_new(const kc_worker_config *wc, const char *prefix, kc_error *err);

/* Fills spec's create_timeout_ms / retry_backoff_ms as KafkaTopicBasedBackingStore.createTopics
 * does: default.api.timeout.ms (60000) and retry.backoff.ms (100) of the originals. */
void kc_store_topic_spec_timeouts(const kc_worker_config *wc, kc_kafka_log_topic_spec *spec);

#endif
