/*
 * KafkaBasedLog + TopicAdmin start-up checks (spec connect-storage-formats.md §6) on librdkafka.
 *
 * A kc_kafka_log is the log over one internal topic (config, offsets or status store): a producer
 * (absent in read-only mode), a consumer that assigns every partition from the beginning and never
 * commits, and an admin client used at start() to create the topic or verify its cleanup policy.
 *
 * Life cycle: kc_kafka_log_new (no network) -> kc_kafka_log_start (create-or-verify the topic, build
 * the clients, wait for partition metadata (up to 30 s), assign, read to end) -> any number of
 * send / send_async / flush / read_to_end / poll -> kc_kafka_log_stop -> kc_kafka_log_free.
 *
 * Client settings (§6.1), applied on top of the given property lists (Java client keys, translated
 * with kc_client_conf_new, so SCRAM goes through the SASL bridge):
 *   producer: acks=all, max.in.flight.requests.per.connection=1, enable.idempotence=false, and the
 *             Java-compatible partitioner (librdkafka partitioner=murmur2_random, §2.5); partitioner*
 *             keys of the input are dropped.
 *   consumer: enable.auto.commit=false, auto.offset.reset=earliest, enable.auto.offset.store=false,
 *             enable.partition.eof=true, and group.id = "<topic>-kconnect-log" (librdkafka's assign()
 *             needs a group; it is never joined nor committed, and it is not the Connect group).
 *   admin:    creates/verifies the topic at start(), then queries the end offsets (high watermarks)
 *             for every read_to_end, as Java's KafkaBasedLog does through its admin. Each log owns
 *             its own admin handle (Java shares one), closed by stop(). Without admin props the end
 *             offsets come from the consumer handle, where each query waits behind the consumer's
 *             long-polling fetch (up to fetch.wait.max.ms = 500 ms per partition).
 *
 * Threads: NO work thread. Every call on one log must come from one thread at a time (the owner's;
 * the store serialises). The consume callback and the send completion callbacks run on the calling
 * thread, inside start / read_to_end / poll / send / send_async / flush / stop. A record that arrives
 * after a read_to_end is delivered by the next read_to_end or poll (the owner polls, instead of
 * Java's background thread). Callbacks must not call back into the same log.
 *
 * Memory: bounded by librdkafka's queues (queued.max.messages.kbytes for the consumer prefetch,
 * queue.buffering.max.* for the producer; a full producer queue makes send_async wait). The consumed
 * record handed to the callback is borrowed for the duration of the call. The log copies topic,
 * property lists and spec strings; the caller keeps ownership of what it passed.
 *
 * Errors: kc_error messages are capped at KC_ERROR_MSG_MAX; the full text of the last failure (the
 * Java cleanup-policy message can exceed the cap with a long topic name) is kc_kafka_log_last_error.
 */
#ifndef KC_STORAGE_KAFKA_LOG_H
#define KC_STORAGE_KAFKA_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

typedef struct kc_kafka_log kc_kafka_log;

/* One consumed record. key / value point into librdkafka's message (borrowed); value NULL is a
 * tombstone; key NULL is a null key. timestamp is milliseconds since the epoch, or -1. */
typedef struct kc_kafka_log_record {
    const void *key;
    size_t key_len;
    const void *value;
    size_t value_len;
    int32_t partition;
    int64_t offset;
    int64_t timestamp;
} kc_kafka_log_record;

/* Called for each record, in offset order per partition. */
typedef void (*kc_kafka_log_consume_cb)(void *opaque, const kc_kafka_log_record *record);

/* Called once per send_async record, when the broker acknowledged it (err == NULL; partition and
 * offset set) or it failed (err set, partition/offset -1). err is borrowed for the call. */
typedef void (*kc_kafka_log_send_cb)(void *opaque, const kc_error *err, int32_t partition,
                                     int64_t offset);

/* How start() treats the topic (TopicAdmin, §6.3 / §6.4 / §3.4). */
typedef struct kc_kafka_log_topic_spec {
    int partitions;              /* for creation; -1 = broker default */
    int replication_factor;      /* for creation; -1 = broker default */
    const kc_props *configs;     /* extra topic configs for creation, or NULL; cleanup.policy is
                                    always forced to compact */
    const char *property;        /* worker property named in messages, e.g. "config.storage.topic" */
    const char *purpose;         /* e.g. "connector configurations" */
    int require_single_partition;/* 1 for the config topic: fail when it has more than 1 partition */
    int create_timeout_ms;       /* create-with-retry budget (default.api.timeout.ms); 0 = 60000 */
    int retry_backoff_ms;        /* create retry backoff (retry.backoff.ms); 0 = 100 */
} kc_kafka_log_topic_spec;

/* A new, not yet started log. producer_props NULL = read-only; admin_props NULL = no topic
 * initialisation (start() neither creates nor verifies); spec may be NULL only with admin_props NULL
 * (then no single-partition check either). consume_cb may be NULL. NULL with err on invalid input. */
kc_kafka_log *kc_kafka_log_new(const char *topic, const kc_props *producer_props,
                               const kc_props *consumer_props, const kc_props *admin_props,
                               const kc_kafka_log_topic_spec *spec,
                               kc_kafka_log_consume_cb consume_cb, void *opaque, kc_error *err);

/* Creates the topic when missing (cleanup.policy=compact) or verifies an existing topic's cleanup
 * policy, fails with Java's exact message when it is not exactly {compact}; builds the clients,
 * waits up to 30 s for partition metadata, checks the single partition when asked, assigns all
 * partitions from the beginning and reads to the end (timeout_ms for that read; retriable end-offset
 * errors are retried within it). 0, or -1 with err (the log is then stopped). */
int kc_kafka_log_start(kc_kafka_log *log, int timeout_ms, kc_error *err);

/* Number of partitions assigned by start() (0 before). */
int kc_kafka_log_partition_count(const kc_kafka_log *log);

/* Flushes the producer (so earlier sends are acknowledged and their callbacks run), queries every
 * partition's high watermark (read_uncommitted end offset), then consumes, delivering each record to
 * the consume callback, until every partition's position reaches its end. Returns at once on an
 * empty topic. KC_ERR_TIMEOUT when timeout_ms passes first (records already delivered stay
 * delivered; a later call continues where this one stopped). */
int kc_kafka_log_read_to_end(kc_kafka_log *log, int timeout_ms, kc_error *err);

/* Delivers records that are already available (waits up to timeout_ms for the first), and serves
 * pending send callbacks. Returns the number of records delivered. */
int kc_kafka_log_poll(kc_kafka_log *log, int timeout_ms);

/* Produces one record and waits until the broker acknowledged it (acks=all) or timeout_ms passed.
 * value NULL = tombstone; key NULL = null key; partition -1 = the murmur2 partitioner. On success
 * *partition_out / *offset_out (each may be NULL) receive where it landed. Read-only logs fail with
 * Java's message. */
int kc_kafka_log_send(kc_kafka_log *log, const void *key, size_t key_len, const void *value,
                      size_t value_len, int32_t partition, int timeout_ms, int32_t *partition_out,
                      int64_t *offset_out, kc_error *err);

/* Produces one record asynchronously; cb (may be NULL) runs later on the owner's thread from any
 * call on this log (see Threads). When librdkafka's queue is full, waits for room (serving
 * callbacks). -1 with err when the record could not be queued (cb is then not called). */
int kc_kafka_log_send_async(kc_kafka_log *log, const void *key, size_t key_len, const void *value,
                            size_t value_len, int32_t partition, kc_kafka_log_send_cb cb,
                            void *opaque, kc_error *err);

/* Waits until every record sent so far is acknowledged or failed (callbacks run). KC_ERR_TIMEOUT
 * when records are still outstanding after timeout_ms. */
int kc_kafka_log_flush(kc_kafka_log *log, int timeout_ms, kc_error *err);

/* Flushes outstanding sends (up to 30 s, then fails what remains: their callbacks get an error),
 * closes the consumer and destroys the clients. Idempotent; the log may not be started again. */
void kc_kafka_log_stop(kc_kafka_log *log);

/* Stops when needed and frees. NULL is fine. */
void kc_kafka_log_free(kc_kafka_log *log);

/* Full text of the last error of start / read_to_end / send (empty string when none). Borrowed. */
const char *kc_kafka_log_last_error(const kc_kafka_log *log);

/* Java's cleanup-policy ConfigException text (§6.4) into buf (always NUL-terminated). found is the
 * comma-joined policy set. Returns the full length (as snprintf). */
int kc_kafka_log_cleanup_policy_message(char *buf, size_t size, const char *topic,
                                        const char *property, const char *purpose,
                                        const char *found);

#endif
