/*
 * Source offsets: the key and value bytes Connect writes for them, the format rules, the offset
 * backing store behind them, and the per-task writer that only commits acknowledged records.
 *
 * Bytes (storage spec §4.1): key = JSON of [<connector>, <partition map>], value = JSON of the
 * offset map (null = tombstone), both written as the schemaless JsonConverter writes them, with map
 * keys in Java HashMap order (the bytes are a key's identity for Java).
 *
 * kc_offset_store is the backing store (connect/worker/offset_store.c): standalone mode keeps it in
 * the offsets file (storage/offset_file.h, Java's FileOffsetBackingStore); distributed mode in the
 * offsets topic (Java's KafkaOffsetBackingStore, over storage/kafka_log.h). It is shared by every
 * task thread of the worker, the herder and REST, and synchronised inside by one mutex, under which
 * every kafka_log call is made (kafka_log is single-threaded by contract).
 *
 * kc_offset_writer belongs to one source task thread: it tracks submitted records per source
 * partition and, as Java's SubmittedRecords does, commits for each partition the offset of the last
 * record before which every record of that partition was acknowledged by Kafka.
 *
 * Memory: _new functions return objects freed by their _free; byte buffers are malloc'd (free()).
 * Threads: kc_offset_store_* from any thread (the store locks); a kc_offset_writer from its task's
 * thread only.
 */
#ifndef KC_WORKER_OFFSETS_H
#define KC_WORKER_OFFSETS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"
#include "connect/api/error.h"
#include "storage/offset_file.h"

/* OffsetUtils.validateFormat: NULL is fine; otherwise a map with string keys and primitive values.
 * what names the map in messages is not used by Java; the messages are Java's. */
int kc_offsets_validate_format(const kc_value *map, kc_error *err);

/* The key bytes of (connector, partition) and the value bytes of offset (NULL offset: *out NULL). */
int kc_offsets_key_bytes(const char *connector, const kc_value *partition, char **out, size_t *len,
                         kc_error *err);
int kc_offsets_value_bytes(const kc_value *offset, char **out, size_t *len, kc_error *err);

/* ---- backing store --------------------------------------------------------------------------- */

typedef struct kc_offset_store kc_offset_store;
struct kc_worker_config;

/* A store kept in a file in Java's format (offset.storage.file.filename); loads it now. */
kc_offset_store *kc_offset_store_file_new(const char *path, kc_error *err);

/* A store over the offsets topic of a distributed worker (KafkaOffsetBackingStore.configure): no
 * network until kc_offset_store_start. wc is read now and not kept.
 *   topic offset.storage.topic (blank: "Offset storage topic must be specified"), created when
 *   missing with offset.storage.partitions / .replication.factor, cleanup.policy=compact and the
 *   offset.storage.* extras (DistributedConfig.offsetStorageTopicSettings()); an existing topic
 *   must have cleanup.policy=compact (Java's message otherwise).
 *   clients: the worker's unprefixed originals (store_clients.h); client.id
 *   "<client_id_base>offsets" for the producer and the consumer (client_id_base NULL: Java's
 *   ConnectUtils.clientIdBase, "<group.id>[-<client.id>]-"; a base without a trailing '-' gets
 *   one), "<client_id_base>shared-admin" for the admin (Java's shared TopicAdmin); producer
 *   delivery.timeout.ms=2147483647, enable.idempotence=false (acks=all, max.in.flight=1 and the
 *   murmur2 partitioner by kafka_log: keys land on Java's partition); consumer
 *   isolation.level=read_committed when exactly.once.source.support=enabled.
 *   budgets: set waits offset.flush.timeout.ms; get / read / snapshot read to the end within
 *   default.api.timeout.ms of the originals (60000).
 * NULL with err (KC_ERR_INVALID for the topic, OOM). */
kc_offset_store *kc_offset_store_kafka_new(const struct kc_worker_config *wc, const char *client_id_base,
                                           kc_error *err);

/* Kafka store: creates or verifies the topic and reads it to the end into the map (timeout_ms for
 * that read). 0, or -1 with err (Java's cleanup-policy message, a timeout, ...); a failed store
 * cannot be started again (free it). File store: nothing to do, 0. Any thread, once. */
int kc_offset_store_start(kc_offset_store *s, int timeout_ms, kc_error *err);

/* Kafka store: flushes what is still being sent (kafka_log: up to 30 s) and closes the clients;
 * later calls fail with KC_ERR_UNAVAILABLE. File store: nothing. Idempotent; NULL is fine. */
void kc_offset_store_stop(kc_offset_store *s);

/* Stops when needed and frees. NULL is fine. */
void kc_offset_store_free(kc_offset_store *s);

/* The value bytes of key (a new copy, free()), or *value NULL when absent. Kafka store: first reads
 * the topic to its end (as KafkaOffsetBackingStore.get), so a write acknowledged anywhere in the
 * cluster before the call is seen; -1 with err when that read fails or times out. */
int kc_offset_store_get(kc_offset_store *s, const void *key, size_t key_len, char **value, size_t *value_len,
                        kc_error *err);
/* Writes a batch (values NULL = remove) and makes it durable before returning. Kafka store: one
 * record per entry (key bytes, value bytes or a tombstone for removed keys), partitioned by Java's
 * murmur2 of the key bytes; returns when every record is acknowledged (acks=all). The first failed
 * record fails the call; KC_ERR_TIMEOUT "Timed out waiting to flush offsets to storage; will try
 * again on next flush interval with latest offsets" after offset.flush.timeout.ms (the records stay
 * queued in the producer, as Java's). The map itself follows the topic: the next get reads these
 * records back (Java's set does not touch the map either). */
int kc_offset_store_set(kc_offset_store *s, const kc_offset_map *batch, const char *const *removed,
                        const size_t *removed_len, size_t nremoved, kc_error *err);
/* A snapshot copy of everything (for the offsets REST API; Kafka store: after reading to the end).
 * Free with kc_offset_map_free. */
kc_offset_map *kc_offset_store_snapshot(kc_offset_store *s, kc_error *err);

/* The offset of partition for connector as a value (NULL when none); reads as kc_offset_store_get. */
int kc_offset_store_read(kc_offset_store *s, const char *connector, const kc_value *partition, kc_value **offset,
                         kc_error *err);

/* ---- per-task writer ------------------------------------------------------------------------- */

typedef struct kc_offset_writer kc_offset_writer;
typedef struct kc_submitted kc_submitted; /* one submitted record's place in its partition's queue */

kc_offset_writer *kc_offset_writer_new(const char *connector);
void kc_offset_writer_free(kc_offset_writer *w);

/* Notes a record about to be sent. Returns a handle to acknowledge later, or NULL with err (a bad
 * partition/offset format, Java's message). Records without a source partition return a handle too. */
kc_submitted *kc_offset_writer_submit(kc_offset_writer *w, const kc_value *partition, const kc_value *offset,
                                      kc_error *err);
/* The record behind h was acknowledged by Kafka (or dropped: it counts as done). */
void kc_offset_writer_ack(kc_offset_writer *w, kc_submitted *h);
/* Records submitted and not acknowledged yet. */
size_t kc_offset_writer_pending(const kc_offset_writer *w);

/* Commits what is committable to store. 0 (also when nothing changed), or -1 with err (the
 * offsets stay pending and are retried at the next call). */
int kc_offset_writer_commit(kc_offset_writer *w, kc_offset_store *store, kc_error *err);

#endif
