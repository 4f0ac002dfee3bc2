/* Shared by standalone.c (state, life cycle) and standalone_rest.c (the REST operations). */
#ifndef KC_HERDER_STANDALONE_INTERNAL_H
#define KC_HERDER_STANDALONE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "connect/herder/standalone.h"
#include <jansson.h>

#include "connect/worker/worker.h"

typedef struct kc_task_status {
    kc_state state;
    char *trace;
} kc_task_status;

typedef struct kc_connector_entry {
    char *name;
    kc_props *config;                  /* as submitted, "name" included */
    kc_target_state target;
    const kc_connector_plugin *plugin; /* NULL when the class is unknown */
    kc_task_configs tasks;             /* generated task configs (empty when stopped) */
    /* status (guarded by kc_herder.status_lock) */
    bool has_status;
    kc_state state;
    char *trace;
    kc_task_status *task_status;
    size_t task_status_count;
    char **topics;                     /* active topics (topic tracking) */
    size_t topic_count;
    struct kc_connector_entry *next;
} kc_connector_entry;

typedef struct kc_herder_job {
    void (*run)(kc_herder *h, void *arg);
    void *arg;
    struct kc_herder_job *next;
} kc_herder_job;

struct kc_herder {
    const kc_worker_config *wc;
    kc_offset_store *offsets;
    kc_worker *worker;
    char worker_id[300];

    pthread_t thread;
    bool thread_started;
    pthread_mutex_t lock;              /* guards the job queue, stopping, ready */
    pthread_cond_t cond;
    kc_herder_job *head, *tail;
    bool stopping;
    bool ready;                        /* finished start-up (health) */

    pthread_mutex_t status_lock;       /* guards the connector list's structure and statuses */
    kc_connector_entry *connectors;
};

/* Queues fn to run on the herder thread. -1 when the herder is stopping (fn is not run). */
int kc_herder_submit(kc_herder *h, void (*fn)(kc_herder *h, void *arg), void *arg);

/* Herder-thread operations (return 0 or -1 with err in Java's words). */
kc_connector_entry *kc_herder_find(kc_herder *h, const char *name);
/* Creates or replaces name with config (validated before). created: 1 when new. */
int kc_herder_put(kc_herder *h, const char *name, const kc_props *config, int initial_target, bool allow_replace,
                  int *created, kc_error *err);
int kc_herder_delete(kc_herder *h, const char *name, kc_error *err);
void kc_herder_set_target(kc_herder *h, kc_connector_entry *c, kc_target_state target);
int kc_herder_restart_connector(kc_herder *h, kc_connector_entry *c, kc_error *err);
int kc_herder_restart_task(kc_herder *h, kc_connector_entry *c, int task, kc_error *err);

/* Sink connector offsets: the committed offsets of group connect-<name> ({"offsets":[...]}), and
 * altering them (offsets: the normalised list of {"partition","offset"}; NULL resets them all by
 * deleting the group). Blocking admin calls against the worker's Kafka cluster. */
json_t *kc_herder_sink_offsets_json(kc_herder *h, kc_connector_entry *c, kc_error *err);
int kc_herder_sink_offsets_alter(kc_herder *h, kc_connector_entry *c, const kc_value *offsets, kc_error *err);

/* Forgets the connector's active topics (PUT /connectors/{c}/topics/reset). */
void kc_herder_reset_topics(kc_herder *h, kc_connector_entry *c);

/* Status snapshot helpers (take status_lock). */
kc_state kc_herder_task_state(kc_herder *h, kc_connector_entry *c, size_t task, char **trace);

#endif
