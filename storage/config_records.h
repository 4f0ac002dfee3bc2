/*
 * Config topic records (storage spec §3; Java: KafkaConfigBackingStore): the exact key strings and
 * value bytes Java writes for every record kind, and a decoder that turns one consumed record into a
 * typed event with Java's per-record read rules.
 *
 * Encoding: values are the JSON of Java's Struct schemas, fields in schema order, no whitespace
 * (json_writer.h gives Jackson's exact bytes). Properties maps are written in the caller's order,
 * a NULL value as `"k":null`.
 *
 * Decoding is stateless: it classifies the record, checks the value's shape as the Java
 * process*Record method does and logs the line Java logs for a record it skips. What depends on the
 * store's state stays with the store:
 *   - CONNECTOR_REMOVED / TARGET_STATE_REMOVED: the clean-up of §3.2(1) and (4);
 *   - COMMIT: step 1 of §3.2(3) (no connector config -> removal clean-up) comes before the value
 *     checks, so a commit whose value is unusable is still a COMMIT event, with commit_ok false and
 *     the error in reason; the store logs reason (ERROR) only when the connector has a config;
 *   - RESTART / LOGGER_LEVEL: acted on only once the store has started (§3.2(7), (8)).
 * Offset bookkeeping (§3.1): every event except KC_CONFIG_EV_NOT_JSON advances the config offset to
 * record offset + 1; NOT_JSON leaves it where it was.
 *
 * Bounds: a value larger than KC_CONFIG_RECORD_MAX_VALUE or a key larger than
 * KC_CONFIG_RECORD_MAX_KEY is treated as unconvertible (NOT_JSON) and logged; JSON depth, number
 * and string lengths follow json_reader.h's defaults.
 * Threads: no shared state; any thread (logging goes through kc_log).
 */
#ifndef KC_STORAGE_CONFIG_RECORDS_H
#define KC_STORAGE_CONFIG_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/api/log.h"
#include "connect/config/properties.h"
#include "connect/worker/worker.h"

#define KC_CONFIG_RECORD_MAX_VALUE ((size_t)64 * 1024 * 1024)
#define KC_CONFIG_RECORD_MAX_KEY ((size_t)1024 * 1024)
#define KC_CONFIG_STORE_LOGGER "org.apache.kafka.connect.storage.KafkaConfigBackingStore"

/* Key prefixes, as Java spells them. */
#define KC_CONFIG_TARGET_STATE_PREFIX "target-state-"
#define KC_CONFIG_CONNECTOR_PREFIX "connector-"
#define KC_CONFIG_TASK_PREFIX "task-"
#define KC_CONFIG_COMMIT_PREFIX "commit-"
#define KC_CONFIG_RESTART_PREFIX "restart-connector-"
#define KC_CONFIG_TASK_COUNT_PREFIX "tasks-fencing-"
#define KC_CONFIG_SESSION_KEY_KEY "session-key"
#define KC_CONFIG_LOGGER_PREFIX "logger-cluster-"
/* kconnect's own record: a replication task (connect/replication/), value {"replication":{...}},
 * tombstone when deleted. Java workers sharing the topic skip it ("Discarding config update record
 * with invalid key", logged at ERROR by KafkaConfigBackingStore) and are otherwise unaffected. */
#define KC_CONFIG_REPLICATION_PREFIX "kc-replication-"

/* ---- keys: new NUL-terminated strings (free()), NULL when out of memory ------------------------ */

char *kc_config_key_connector(const char *connector);          /* connector-<c> */
char *kc_config_key_task(const char *connector, int task);     /* task-<c>-<n> */
char *kc_config_key_commit(const char *connector);             /* commit-<c> */
char *kc_config_key_target_state(const char *connector);       /* target-state-<c> */
char *kc_config_key_task_count(const char *connector);         /* tasks-fencing-<c> */
char *kc_config_key_restart(const char *connector);            /* restart-connector-<c> */
char *kc_config_key_logger(const char *namespace_);            /* logger-cluster-<ns> */
char *kc_config_key_replication(const char *name);             /* kc-replication-<name> */

/* ---- values: each returns new bytes (malloc'd, NUL-terminated, not counted in *len; free()), or
 * NULL with err set (KC_ERR_INVALID for text that is not valid UTF-8, or out of memory). ------- */

/* {"properties":{...}} for connector-<c> and task-<c>-<n>: n entries in the given order; values[i]
 * may be NULL (written as null). */
char *kc_config_value_properties(const char *const *keys, const char *const *values, size_t n, size_t *len,
                                 kc_error *err);
/* The same from a kc_props, in its order. */
char *kc_config_value_properties_from(const kc_props *props, size_t *len, kc_error *err);
/* {"tasks":N} */
char *kc_config_value_commit(int32_t tasks, size_t *len, kc_error *err);
/* {"state":"<v1>","state.v2":"<v2>"}; STOPPED is written with state PAUSED (§3.2(4)). */
char *kc_config_value_target_state(kc_target_state state, size_t *len, kc_error *err);
/* {"task-count":N} */
char *kc_config_value_task_count(int32_t task_count, size_t *len, kc_error *err);
/* {"key":"<base64>","algorithm":"<alg>","creation-timestamp":<ms>} */
char *kc_config_value_session_key(const void *key, size_t key_len, const char *algorithm, int64_t creation_ms,
                                  size_t *len, kc_error *err);
/* {"include-tasks":<b>,"only-failed":<b>} */
char *kc_config_value_restart(bool include_tasks, bool only_failed, size_t *len, kc_error *err);
/* {"level":"<level>"}, the level exactly as given. */
char *kc_config_value_logger_level(const char *level, size_t *len, kc_error *err);

/* ---- decoding ------------------------------------------------------------------------------------ */

/* A properties map as read: keys unique, in the JSON order; values[i] NULL for a JSON null. */
typedef struct kc_config_props {
    size_t count;
    char **keys;
    char **values;
} kc_config_props;

typedef enum kc_config_event_kind {
    KC_CONFIG_EV_NOT_JSON = 0,        /* value not convertible: skipped, offset NOT advanced */
    KC_CONFIG_EV_IGNORED,             /* skipped (unknown key, wrong shape); offset advances */
    KC_CONFIG_EV_CONNECTOR_CONFIG,    /* connector, props */
    KC_CONFIG_EV_CONNECTOR_REMOVED,   /* connector */
    KC_CONFIG_EV_TASK_CONFIG,         /* connector, task, props: buffer until a commit */
    KC_CONFIG_EV_COMMIT,              /* connector; commit_ok and tasks, or reason */
    KC_CONFIG_EV_TARGET_STATE,        /* connector, target */
    KC_CONFIG_EV_TARGET_STATE_REMOVED,/* connector */
    KC_CONFIG_EV_TASK_COUNT,          /* connector, tasks (the task-count field) */
    KC_CONFIG_EV_SESSION_KEY,         /* session_key, session_key_len, algorithm, creation_ms */
    KC_CONFIG_EV_RESTART,             /* connector, include_tasks, only_failed */
    KC_CONFIG_EV_LOGGER_LEVEL,        /* connector = the namespace, level */
    KC_CONFIG_EV_REPLICATION,         /* connector = the replication's name, text = its value (JSON) */
    KC_CONFIG_EV_REPLICATION_REMOVED  /* connector = the replication's name */
} kc_config_event_kind;

typedef struct kc_config_event {
    kc_config_event_kind kind;
    char *connector;       /* connector name (namespace for LOGGER_LEVEL); NULL when the key had none */
    int task;              /* TASK_CONFIG */
    kc_config_props props; /* CONNECTOR_CONFIG, TASK_CONFIG */
    bool commit_ok;        /* COMMIT: tasks is valid; otherwise reason says why */
    int32_t tasks;         /* COMMIT (tasks), TASK_COUNT (task-count): low 32 bits of the integer */
    kc_target_state target;
    uint8_t *session_key;
    size_t session_key_len;
    char *algorithm;
    int64_t creation_ms;
    bool include_tasks, only_failed;
    char *level;
    char *text;            /* REPLICATION: the record value as read (NUL-terminated) */
    /* Why a record was skipped (NOT_JSON, IGNORED, COMMIT with !commit_ok): Java's log line. */
    char reason[KC_ERROR_MSG_MAX];
} kc_config_event;

/* Decodes one consumed record. key/key_len: the record key (NULL for a record without a key);
 * value NULL means a tombstone (a zero-length or whitespace-only value reads the same way, §1.5).
 * Fills *ev (free with kc_config_event_free, whatever the result). Skips are logged here, at
 * Java's level, under KC_CONFIG_STORE_LOGGER (except the commit case described above). Returns 0,
 * or -1 with err only when out of memory. */
int kc_config_record_decode(const char *key, size_t key_len, const void *value, size_t value_len,
                            kc_config_event *ev, kc_error *err);
void kc_config_event_free(kc_config_event *ev);

/* The completeness check of §3.2(3) step 5: true when ids[0..n) contains every number 0..tasks-1
 * (extra ids allowed; tasks <= 0 is always complete). */
bool kc_config_task_ids_complete(const int *ids, size_t n, int32_t tasks);

/* Java's Integer.parseInt on ASCII text: optional sign, decimal digits, int32 range. 0 or -1. */
int kc_config_parse_java_int(const char *s, size_t len, int *out);

/* ConnectorTaskId from a key by Java's split("-") rule (trailing empty parts dropped): needs at
 * least min_parts parts (min_parts >= skip + 2), the last one an int, the name = parts[skip ..
 * len-2] joined with '-'. *connector is new (free()). 0; -1 when the key does not parse; -2 when
 * out of memory. Shared with the status records (skip 2, min_parts 4). */
int kc_config_parse_task_key(const char *key, size_t key_len, size_t skip, size_t min_parts, char **connector,
                             int *task);

#endif
