/*
 * The worker: connector and task instances (Java's Worker, WorkerConnector, WorkerSourceTask,
 * WorkerSinkTask).
 *
 * The herder decides what runs; the worker runs it and reports state changes back through a
 * kc_status_listener. Each task runs on its own thread with its own librdkafka clients; connectors
 * run on the herder's thread (their start / task_configs / stop are short; a connector that watches
 * something starts its own thread).
 *
 * Source tasks: poll -> transformations -> converters -> produce; offsets are committed to the
 * offset store every offset.flush.interval.ms, only for records Kafka acknowledged (offsets.h).
 * Sink tasks: consume in group connect-<connector> (topics or topics.regex) -> converters ->
 * transformations -> put; every offset.flush.interval.ms the task flushes and the consumed offsets
 * are committed.
 *
 * Threads: every kc_worker_* function is called from the herder's thread. Listener callbacks come
 * from task threads and the herder's thread; the listener must be thread-safe.
 * Memory: kc_worker_new returns a worker freed by kc_worker_free (which stops everything first).
 * Configs passed in are copied.
 */
#ifndef KC_WORKER_WORKER_H
#define KC_WORKER_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "connect/api/connector.h"
#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "connect/worker/offsets.h"

/* Connector and task states, with Java's names (AbstractStatus.State). */
typedef enum kc_state {
    KC_STATE_UNASSIGNED = 0,
    KC_STATE_RUNNING,
    KC_STATE_PAUSED,
    KC_STATE_FAILED,
    KC_STATE_RESTARTING,
    KC_STATE_STOPPED,
    KC_STATE_DESTROYED
} kc_state;

const char *kc_state_name(kc_state state);

/* What the herder wants (TargetState). */
typedef enum kc_target_state {
    KC_TARGET_STARTED = 0,
    KC_TARGET_PAUSED,
    KC_TARGET_STOPPED
} kc_target_state;

/* Parses "RUNNING"/"PAUSED"/"STOPPED" (initial_state, any case; RUNNING = STARTED). -1 if unknown. */
int kc_target_state_parse(const char *text);

typedef struct kc_status_listener {
    /* trace: the failure text for FAILED, else NULL */
    void (*on_connector)(void *opaque, const char *connector, kc_state state, const char *trace);
    void (*on_task)(void *opaque, const char *connector, int task, kc_state state, const char *trace);
    /* A connector asked for its task configs to be generated again. */
    void (*on_reconfigure)(void *opaque, const char *connector);
    /* A task used a topic (produced to it / was assigned it): topic tracking (KIP-558). Optional. */
    void (*on_topic)(void *opaque, const char *connector, int task, const char *topic);
    void *opaque;
} kc_status_listener;

typedef struct kc_worker_settings {
    const kc_props *worker;           /* the worker properties (bootstrap.servers, producer.*, consumer.*, ...) */
    const char *worker_id;            /* host:port */
    const char *key_converter;        /* worker default converters (class or alias) */
    const char *value_converter;
    const char *header_converter;
    int64_t offset_flush_interval_ms;
    int64_t offset_flush_timeout_ms;
    int64_t task_shutdown_graceful_timeout_ms;
    const char *client_override_policy; /* "All", "None" or "Principal" */
    bool topic_creation_enable;       /* topic.creation.enable: source tasks may create topics */
} kc_worker_settings;

typedef struct kc_worker kc_worker;

/* offsets: the source offset store (borrowed; must outlive the worker). */
kc_worker *kc_worker_new(const kc_worker_settings *settings, kc_offset_store *offsets,
                         const kc_status_listener *listener, kc_error *err);
void kc_worker_free(kc_worker *w);

/* Config providers (connect/config/config_providers.h): the herder hands the worker configs as
 * stored, with ${provider:[path:]key} references; kc_worker_start_connector / kc_worker_start_task
 * resolve them with the worker's config.providers (a provider's error, e.g. an unreadable file,
 * fails the connector / task with Java's message), and kc_worker_connector_task_configs returns
 * task configs reverse-transformed (Java's AbstractHerder.reverseTransform), safe to store.
 * kc_worker_new fails when a config.providers.<name>.class is unknown. */

/* config with every ${...} reference resolved by the worker's config providers (Java's
 * WorkerConfigTransformer.transform), for herder code that needs a connector's effective config
 * (validation, offsets). New list (kc_props_free), NULL with err when a provider fails. The result
 * may hold secrets: never log it or return it over REST. */
kc_props *kc_worker_transform_config_new(kc_worker *w, const kc_props *config, kc_error *err);

/* Adds an in-process config provider (kc_config_providers_add_callback) to the worker's set; before
 * any connector starts (the herder's constructor). 0, or -1 with err. */
int kc_worker_add_config_provider(kc_worker *w, const char *name, char *(*fn)(void *opaque, const char *path,
                                                                            const char *key),
                                  void *opaque, kc_error *err);

/* Starts a connector instance (reports RUNNING, PAUSED or STOPPED per target, or FAILED). */
int kc_worker_start_connector(kc_worker *w, const char *name, const kc_props *config, kc_target_state target,
                              kc_error *err);
/* The task configurations of a running connector (Connector.taskConfigs with tasks.max), each
 * completed with task.class as Java adds it, then reverse-transformed: a key whose value in the
 * connector's stored config holds a ${...} reference gets that raw value back. */
int kc_worker_connector_task_configs(kc_worker *w, const char *name, kc_task_configs *out, kc_error *err);
/* Stops and destroys a connector instance; no-op when not running. */
void kc_worker_stop_connector(kc_worker *w, const char *name);
int kc_worker_is_connector_running(kc_worker *w, const char *name);

/* Starts task `task` of connector with its task config (the connector config supplies converters,
 * transformations, error handling, topics). */
int kc_worker_start_task(kc_worker *w, const char *connector, int task, const kc_props *connector_config,
                         const kc_props *task_config, kc_target_state target, kc_error *err);
/* Stops every task of connector and waits up to task.shutdown.graceful.timeout.ms for them. */
void kc_worker_stop_tasks(kc_worker *w, const char *connector);
/* Stops one task (restart). */
void kc_worker_stop_task(kc_worker *w, const char *connector, int task);
/* Stops the tasks (connectors[i], tasks[i]) (tasks[i] -1: all of connectors[i]'s) together, waiting
 * up to task.shutdown.graceful.timeout.ms in all; a task that takes longer is abandoned to finish
 * in the background (Java's behaviour), and joined by a later stop or by kc_worker_free. */
void kc_worker_stop_task_list(kc_worker *w, const char *const *connectors, const int *tasks, size_t n);
/* Pauses / resumes the connector's tasks (and the connector's reported state). */
void kc_worker_set_target_state(kc_worker *w, const char *connector, kc_target_state target);
/* connector.client.config.override.policy: 1 when policy ("All", "None", "Principal" or their
 * Java class names) lets a connector override the client key (without its prefix). */
int kc_worker_override_allowed(const char *policy, const char *key);
/* The policy's short name for messages ("All", "None", "Principal"). */
const char *kc_worker_override_policy_name(const char *policy);

/* Number of tasks of connector currently running on this worker. */
int kc_worker_task_count(kc_worker *w, const char *connector);

#endif
