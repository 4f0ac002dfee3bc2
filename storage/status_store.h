/*
 * The status backing store of distributed mode (Java's KafkaStatusBackingStore, storage spec §5):
 * connector, task and active-topic statuses in the compacted status topic (status.storage.topic),
 * written with the exact records of status_records.h, and a cache of what was read back.
 *
 * Owns: a kc_kafka_log over the topic (created with status.storage.partitions (default 5) and
 * .replication.factor, cleanup.policy=compact and the status.storage.* extras, or verified to be
 * compact), the cache, the queue of writes waiting to be retried, and one thread.
 *
 * Writes (put_*, delete_topic) are asynchronous, as Java's: they encode the record, apply the
 * generation rule (a safe write of a status is dropped when kc_status_can_write_safely says no for
 * the status last read back), send it (murmur2 partition of the key, like Java's producer) and
 * return. A write that fails with a retriable error is sent again from the store's thread, unless
 * meanwhile its entry was deleted (a connector tombstone was read), another write set a different
 * generation, or, for a safe write, the rule no longer holds or a newer write of the same entry was
 * made (Java's sequence check); topic statuses are retried unconditionally. Other errors are logged
 * ("Failed to write status update") and dropped. DESTROYED is written as a tombstone. Pending writes
 * are bounded (KC_STATUS_STORE_MAX_PENDING records, KC_STATUS_STORE_MAX_PENDING_BYTES bytes): a
 * writer beyond that waits up to KC_STATUS_STORE_MAX_BLOCK_MS (Java's max.block.ms) and then drops
 * the write with an error line. Writes before start() or after stop() are dropped with a warning.
 *
 * Reads come from the cache, which changes only by records read back from the topic, with Java's
 * read rules: a connector tombstone drops the connector and all its tasks (their entries count as
 * deleted for pending retries), a task tombstone drops the task, an UNASSIGNED task status read
 * while the cache holds RUNNING of the same or a later generation is ignored; active topics are
 * kept per connector. start() reads the topic to its end; then the store's thread keeps reading
 * (so other workers' statuses arrive within about KC_STATUS_STORE_POLL_MS plus fetch latency).
 *
 * Client settings: the worker's unprefixed originals (store_clients.h); client.id
 * "<client_id_base>statuses" for the producer and the consumer (client_id_base NULL: Java's
 * ConnectUtils.clientIdBase, "<group.id>[-<client.id>]-"; a base without a trailing '-' gets one),
 * "<client_id_base>shared-admin" for the admin; producer retries=0 (the store retries itself),
 * enable.idempotence=false, delivery.timeout.ms=120000 unless the worker sets it (Java's default).
 *
 * Threads: every function may be called from any thread (task threads and the herder write, REST
 * and the herder read). One mutex guards the cache and every kafka_log call (kafka_log is
 * single-threaded by contract); send callbacks and consumed records are handled with it held, on
 * whichever thread made the kafka_log call. The store's thread polls the log with timeout 0 and then
 * waits on a condition variable (KC_STATUS_STORE_POLL_MS, woken early by stop; retries go out at
 * that pace, which is their back-off); it never sleeps with the mutex held. The change listener runs on the store's thread without the
 * mutex, so it may call back into the store.
 *
 * Memory: the store copies every string it is given. Reads return copies the caller frees (see each
 * function). kc_status_store_free frees everything.
 */
#ifndef KC_STORAGE_STATUS_STORE_H
#define KC_STORAGE_STATUS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/worker/worker.h"
#include "connect/worker/worker_config.h"
#include "storage/status_records.h"

#define KC_STATUS_STORE_MAX_PENDING 10000
#define KC_STATUS_STORE_MAX_PENDING_BYTES ((size_t)32 * 1024 * 1024)
#define KC_STATUS_STORE_MAX_BLOCK_MS 60000
#define KC_STATUS_STORE_POLL_MS 50
#define KC_STATUS_STORE_STOP_FLUSH_MS 10000

typedef struct kc_status_store kc_status_store;

/* A new store (KafkaStatusBackingStore.configure): no network until start. wc is read now and not
 * kept. NULL with err: KC_ERR_INVALID "Must specify topic for connector status." for a blank
 * status.storage.topic, or out of memory. */
kc_status_store *kc_status_store_new(const kc_worker_config *wc, const char *client_id_base, kc_error *err);

/* Called after the cache changed because of records read by the store's thread: connector and task
 * (-1 for the connector's own status; a connector tombstone also dropped all its tasks). connector
 * is borrowed for the call. connector NULL means "many changes": re-read everything (sent instead of
 * the single changes when more than 10000 pile up between two calls). Not called for what start()
 * reads, nor for active-topic changes. It runs on the store's thread without the mutex: it may read
 * and write the store, but must not stop or free it (that thread would wait for itself). */
typedef void (*kc_status_store_change_cb)(void *opaque, const char *connector, int task);

/* Sets the change listener (cb NULL: none). Before start only. */
void kc_status_store_set_listener(kc_status_store *s, kc_status_store_change_cb cb, void *opaque);

/* Creates or verifies the topic (Java's cleanup-policy message when it is not compact), reads it to
 * the end into the cache (timeout_ms for that read) and starts the store's thread. 0, or -1 with
 * err; a store that failed to start cannot be started again (free it). */
int kc_status_store_start(kc_status_store *s, int timeout_ms, kc_error *err);

/* Stops the thread, sends what is still pending (retries included) for up to
 * KC_STATUS_STORE_STOP_FLUSH_MS, then closes the clients (kafka_log flushes the producer once more,
 * up to 30 s, and fails what remains). Idempotent; NULL is fine. */
void kc_status_store_stop(kc_status_store *s);

/* Stops when needed and frees everything. NULL is fine. */
void kc_status_store_free(kc_status_store *s);

/* ---- writes (asynchronous, any thread) ---------------------------------------------------------- */

/* put (safe false) / putSafe (safe true) of a connector's status. trace may be NULL; worker_id is
 * required (a NULL one drops the write with an error line). generation becomes the store's current
 * generation (the one retries are checked against). DESTROYED writes a tombstone. */
void kc_status_store_put_connector(kc_status_store *s, const char *connector, kc_state state, const char *trace,
                                   const char *worker_id, int32_t generation, bool safe);
/* As above for task <connector>-<task>. */
void kc_status_store_put_task(kc_status_store *s, const char *connector, int task, kc_state state,
                              const char *trace, const char *worker_id, int32_t generation, bool safe);
/* An active topic of a connector (status-topic-<topic>:connector-<c>), as TopicStatus. */
void kc_status_store_put_topic(kc_status_store *s, const char *connector, const char *topic, int task,
                               int64_t discover_ms);
/* Tombstone of an active topic (deleteTopic). */
void kc_status_store_delete_topic(kc_status_store *s, const char *connector, const char *topic);

/* Waits until no write is pending any more (every write made so far, and any made meanwhile, was
 * acknowledged or given up; retries included), up to timeout_ms. Java's flush() before a rebalance.
 * 0, or -1 with KC_ERR_TIMEOUT. */
int kc_status_store_flush(kc_status_store *s, int timeout_ms, kc_error *err);

/* ---- reads (copies from the cache, any thread) --------------------------------------------------- */

/* The connector's status: 1 found (*out filled with copies; free with kc_status_value_clear), 0 none
 * (*out zeroed), -1 out of memory. */
int kc_status_store_get_connector(kc_status_store *s, const char *connector, kc_status_value *out);
/* As above for task <connector>-<task>. */
int kc_status_store_get_task(kc_status_store *s, const char *connector, int task, kc_status_value *out);
/* The ids of the connector's tasks that have a status, ascending, in *ids (malloc'd, free(); NULL
 * when *count is 0). 0, or -1 when out of memory. */
int kc_status_store_tasks(kc_status_store *s, const char *connector, int **ids, size_t *count);
/* The connector's active topics, ascending: a new array of new strings (free each, then the array),
 * NULL when there are none (or s / connector is NULL, or out of memory); *count their number. */
char **kc_status_store_topics(kc_status_store *s, const char *connector, size_t *count);

/* The consume path itself: applies one record as if it had been read from the topic (key NULL = a
 * null key, value NULL = a tombstone), with the read rules above. The store's own reading uses it;
 * public so that the cache rules can be tested without a broker. Any thread. */
void kc_status_store_apply_record(kc_status_store *s, const void *key, size_t key_len, const void *value,
                                  size_t value_len);

#endif
