/* Shared between worker.c and the task loops (source_task.c, sink_task.c). Not a public header. */
#ifndef KC_WORKER_WORKER_INTERNAL_H
#define KC_WORKER_WORKER_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "connect/worker/converters.h"
#include "connect/worker/errors.h"
#include "connect/worker/worker.h"

struct kc_transformation_chain;
struct kc_config_providers;

typedef struct kc_worker_task {
    struct kc_worker *worker;
    char *connector;
    int id;
    char name[300];                     /* "<connector>-<id>" */
    const kc_connector_plugin *plugin;
    kc_props *connector_config;         /* resolved (config providers applied) */
    kc_props *task_config;              /* resolved */
    void *instance;                     /* the plugin's task instance */

    pthread_t thread;
    bool thread_started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    kc_target_state target;             /* guarded by lock */
    bool stopping;                      /* guarded by lock */
    bool finished;                      /* guarded by lock: the thread left its loop */

    kc_converter *key_converter, *value_converter, *header_converter;
    struct kc_transformation_chain *chain;
    kc_errors_policy errors;
    char **topics;                      /* topics reported to the listener (task thread only) */
    size_t topic_count;

    struct kc_worker_task *next;
} kc_worker_task;

struct kc_connector_context {
    struct kc_worker_connector *connector;
};

typedef struct kc_worker_connector {
    char *name;
    const kc_connector_plugin *plugin;
    kc_props *config;                   /* resolved: what the connector sees */
    kc_props *raw_config;               /* as stored, ${...} references unresolved (reverse transform) */
    void *instance;
    kc_state state;
    struct kc_worker *worker;
    kc_connector_context ctx;           /* handed to the connector; lives as long as it */
    struct kc_worker_connector *next;
} kc_worker_connector;

struct kc_worker {
    kc_worker_settings settings;        /* strings below are owned copies */
    kc_props *worker_props;
    struct kc_config_providers *providers; /* config.providers (Worker.initConfigTransformer); immutable */
    char *worker_id, *key_converter, *value_converter, *header_converter, *override_policy;
    kc_offset_store *offsets;
    kc_status_listener listener;
    pthread_mutex_t lock;               /* guards the task list */
    kc_worker_task *tasks;
    kc_worker_connector *connectors;
    kc_worker_task *abandoned;          /* stopped tasks past their graceful timeout, still finishing */
};

/* Reports a topic the task used, once per task and topic (topic tracking). */
void kc_worker_task_topic(kc_worker_task *t, const char *topic);

/* Task life cycle helpers for the loops. */
void kc_worker_task_report(kc_worker_task *t, kc_state state, const char *trace);
/* Waits while the task is paused; returns true when it should stop. */
bool kc_worker_task_await_running(kc_worker_task *t);
bool kc_worker_task_stopping(kc_worker_task *t);
/* Sleeps up to ms unless stopped. */
void kc_worker_task_sleep(kc_worker_task *t, int64_t ms);

/* Client settings for a task's producer / consumer / admin: bootstrap.servers, Java's defaults,
 * the worker's prefixed keys, then the connector's overrides (as the policy allows). New kc_props. */
kc_props *kc_worker_client_props(kc_worker *w, const char *kind, const kc_props *connector_config,
                                 const char *connector, int task, kc_error *err);

/* The thread bodies. */
void *kc_source_task_run(void *arg);
void *kc_sink_task_run(void *arg);

/* Monotonic milliseconds. */
int64_t kc_now_ms(void);

#endif
