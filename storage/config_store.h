/*
 * The config backing store of distributed mode (Java's KafkaConfigBackingStore): the cluster's
 * connector configs, committed task configs, target states, session key and restart requests, kept
 * in the single-partition compacted config topic (config.storage.topic) with Java's exact records
 * (config_records.h), and the write sequences of storage spec §3.3.
 *
 * Reading: start() creates or verifies the topic and reads it to the end; read_to_end() and poll()
 * apply later records. Each record is applied with Java's read rules (§3.2): task configs are
 * buffered until their commit, a commit is applied only when complete (else the connector is
 * "inconsistent" and reads as having no tasks), a connector tombstone drops the connector's configs
 * but keeps its target state until that one's own tombstone. Listener calls tell the owner what
 * changed; restart requests and logger levels are delivered only once the store has started (records
 * met during the first read are not replayed).
 *
 * Writing: put_connector writes the target state (when given) then the connector config; remove
 * writes both tombstones; put_task_configs writes the task records, then the commit; every write
 * waits for acknowledgement and then reads to the end, so the write is applied (and its listener
 * calls made) before it returns — except target states, which only wait for the ack (as Java).
 *
 * Threads: one owner thread (the distributed herder's); listener calls run on it, inside start,
 * read_to_end, poll and the writes. Memory: the store owns its copies; pointers handed to the
 * listener are borrowed for the call.
 */
#ifndef KC_STORAGE_CONFIG_STORE_H
#define KC_STORAGE_CONFIG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "connect/worker/worker.h"
#include "connect/worker/worker_config.h"

typedef struct kc_config_store kc_config_store;

typedef struct kc_config_store_listener {
    /* A connector config was read (config) or removed (config NULL). */
    void (*connector_config)(void *opaque, const char *connector, const kc_props *config);
    /* A commit was applied: the connector's tasks are now tasks[0..n) (n 0 when inconsistent). */
    void (*task_configs)(void *opaque, const char *connector, kc_props *const *tasks, size_t n, bool inconsistent);
    /* The target state of a connector with a config changed (or was read first). */
    void (*target_state)(void *opaque, const char *connector, kc_target_state state);
    void (*session_key)(void *opaque, const unsigned char *key, size_t len, const char *algorithm,
                        int64_t creation_ms);
    /* After start only. */
    void (*restart)(void *opaque, const char *connector, bool include_tasks, bool only_failed);
    /* After start only: a cluster-wide logger level (logger-cluster-<namespace>), level as written. */
    void (*logger_level)(void *opaque, const char *namespace_, const char *level);
    /* A replication task record (kc-replication-<name>, kconnect's own): value is the record's
     * JSON text, NULL when the replication was deleted. Also during the first read. */
    void (*replication)(void *opaque, const char *name, const char *value);
    void *opaque;
} kc_config_store_listener;

/* client_id_base: the base of the clients' ids (NULL: Java's ConnectUtils.clientIdBase, "<group.id>-");
 * the clients are "<base>configs". The listener is copied. */
kc_config_store *kc_config_store_new(const kc_worker_config *wc, const char *client_id_base,
                                     const kc_config_store_listener *listener, kc_error *err);
void kc_config_store_free(kc_config_store *s);

/* Creates or verifies the topic (single partition, compact) and reads it to the end. */
int kc_config_store_start(kc_config_store *s, int timeout_ms, kc_error *err);
void kc_config_store_stop(kc_config_store *s);

/* Reads to the end of the topic (applying records). KC_ERR_TIMEOUT after timeout_ms. */
int kc_config_store_read_to_end(kc_config_store *s, int timeout_ms, kc_error *err);
/* Applies records that have arrived (waits up to timeout_ms for the first). Returns their count. */
int kc_config_store_poll(kc_config_store *s, int timeout_ms);

/* The offset of the next record to read (the config offset of the group protocol); -1 when none read. */
int64_t kc_config_store_offset(const kc_config_store *s);

/* Leader writes (§3.3). target < 0: no target-state record. */
int kc_config_store_put_connector(kc_config_store *s, const char *connector, const kc_props *config, int target,
                                  kc_error *err);
int kc_config_store_remove_connector(kc_config_store *s, const char *connector, kc_error *err);
int kc_config_store_put_task_configs(kc_config_store *s, const char *connector, kc_props *const *tasks, size_t n,
                                     kc_error *err);
int kc_config_store_put_session_key(kc_config_store *s, const unsigned char *key, size_t len, const char *algorithm,
                                    int64_t creation_ms, kc_error *err);
int kc_config_store_put_restart(kc_config_store *s, const char *connector, bool include_tasks, bool only_failed,
                                kc_error *err);
/* Leader: writes kc-replication-<name> (value: JSON text, NULL for the tombstone), then reads to
 * the end so the listener has seen it when this returns. */
int kc_config_store_put_replication(kc_config_store *s, const char *name, const char *value, kc_error *err);
/* Any worker: waits for the ack only (target states, cluster logger levels). */
int kc_config_store_put_logger_level(kc_config_store *s, const char *namespace_, const char *level, kc_error *err);
int kc_config_store_put_target_state(kc_config_store *s, const char *connector, kc_target_state state,
                                     kc_error *err);

/* 1 when the store holds a config for connector. */
int kc_config_store_contains(const kc_config_store *s, const char *connector);

#endif
