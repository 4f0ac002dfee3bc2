/*
 * Status topic records (storage spec §5; Java: KafkaStatusBackingStore): keys, value bytes, the
 * per-record read rules and the two generation rules as pure functions.
 *
 * Keys: status-connector-<c>, status-task-<c>-<n>, status-topic-<topic>:connector-<c>.
 * Values: {"state":..,"trace":..,"worker_id":..,"generation":..} (trace always present, null when
 * none) and {"topic":{"name":..,"connector":..,"task":..,"discoverTimestamp":..}}. A DESTROYED
 * status, and a deleted topic status, are written as tombstones (null value): there is no encoder
 * for them, kc_status_is_tombstone says when.
 *
 * Decoding is stateless; the cache updates (remove a connector with all its tasks on a connector
 * tombstone, the stale-UNASSIGNED rule for tasks) stay with the store, helped by
 * kc_status_task_read_replaces. Skipped records are logged as Java logs them, under
 * KC_STATUS_STORE_LOGGER. Bounds: value at most KC_STATUS_RECORD_MAX_VALUE bytes, key at most
 * KC_STATUS_RECORD_MAX_KEY bytes (larger ones are skipped); JSON limits as json_reader.h.
 * Threads: no shared state; any thread.
 */
#ifndef KC_STORAGE_STATUS_RECORDS_H
#define KC_STORAGE_STATUS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/worker/worker.h"

#define KC_STATUS_RECORD_MAX_VALUE ((size_t)16 * 1024 * 1024)
#define KC_STATUS_RECORD_MAX_KEY ((size_t)1024 * 1024)
#define KC_STATUS_STORE_LOGGER "org.apache.kafka.connect.storage.KafkaStatusBackingStore"

#define KC_STATUS_CONNECTOR_PREFIX "status-connector-"
#define KC_STATUS_TASK_PREFIX "status-task-"
#define KC_STATUS_TOPIC_PREFIX "status-topic-"
#define KC_STATUS_TOPIC_SEPARATOR ":connector-"

/* ---- keys: new strings (free()), NULL when out of memory ----------------------------------------- */
char *kc_status_key_connector(const char *connector);
char *kc_status_key_task(const char *connector, int task);
char *kc_status_key_topic(const char *topic, const char *connector);

/* A connector or task status (AbstractStatus). Strings borrowed when encoding; owned by the event
 * when decoded. trace and worker_id may be NULL. */
typedef struct kc_status_value {
    kc_state state;
    char *trace;
    char *worker_id;
    int32_t generation;
} kc_status_value;

/* Frees the strings of a decoded or copied status and zeroes it. NULL is fine. */
void kc_status_value_clear(kc_status_value *v);

/* A topic status (TopicStatus). */
typedef struct kc_topic_status {
    char *topic;
    char *connector;
    int32_t task;
    int64_t discover_ms;
} kc_topic_status;

/* True when a status of this state is written as a tombstone (DESTROYED). */
bool kc_status_is_tombstone(kc_state state);

/* Value bytes of a status: new (malloc'd, NUL-terminated, not counted in *len; free()), or NULL
 * with err (KC_ERR_INVALID for DESTROYED, a NULL worker_id or text that is not UTF-8; OOM). */
char *kc_status_value_encode(kc_state state, const char *trace, const char *worker_id, int32_t generation,
                             size_t *len, kc_error *err);
/* Value bytes of a topic status; as above (topic and connector required). */
char *kc_status_topic_value_encode(const char *topic, const char *connector, int32_t task, int64_t discover_ms,
                                   size_t *len, kc_error *err);

typedef enum kc_status_event_kind {
    KC_STATUS_EV_IGNORED = 0,        /* skipped; reason holds the log line */
    KC_STATUS_EV_CONNECTOR,          /* connector, status */
    KC_STATUS_EV_CONNECTOR_REMOVED,  /* connector: drop it and every task of it */
    KC_STATUS_EV_TASK,               /* connector, task, status */
    KC_STATUS_EV_TASK_REMOVED,       /* connector, task */
    KC_STATUS_EV_TOPIC,              /* connector, topic (from the key), topic_status (the value) */
    KC_STATUS_EV_TOPIC_REMOVED       /* connector, topic */
} kc_status_event_kind;

typedef struct kc_status_event {
    kc_status_event_kind kind;
    char *connector;
    int task;
    char *topic;
    kc_status_value status;
    kc_topic_status topic_status;
    char reason[KC_ERROR_MSG_MAX];
} kc_status_event;

/* Decodes one consumed record (value NULL = tombstone). Fills *ev (free with kc_status_event_free,
 * whatever the result). 0, or -1 with err only when out of memory. */
int kc_status_record_decode(const char *key, size_t key_len, const void *value, size_t value_len,
                            kc_status_event *ev, kc_error *err);
void kc_status_event_free(kc_status_event *ev);

/* Write side, CacheEntry.canWriteSafely: may a safe write (putSafe) of a status by worker_id at
 * generation go ahead given the status last read back (cached, NULL when none)? True when there is
 * none, when it was written by the same worker, or when its generation is <= generation. */
bool kc_status_can_write_safely(const kc_status_value *cached, const char *worker_id, int32_t generation);

/* Read side, tasks only: should a task status read from the topic replace the cached one? False
 * only for the stale-UNASSIGNED case: incoming UNASSIGNED, cached RUNNING with a generation >= the
 * incoming one. cached may be NULL. */
bool kc_status_task_read_replaces(const kc_status_value *cached, const kc_status_value *incoming);

#endif
