/*
 * The herder's state, shared by standalone.c (connector entries, the job queue, the standalone life
 * cycle), distributed.c / distributed_rest.c (distributed mode: the group, the config/status stores,
 * forwarding) and herder_rest.c (the REST operations of both modes).
 *
 * In distributed mode the connector list mirrors the config topic (every connector of the cluster,
 * with its committed task configs and target state); statuses come from the status topic. The
 * kc_herder_* operations below then write to the config topic instead of acting locally, and answer
 * KC_ERR_REDIRECT (message = the target worker's URL, "" when unknown) when the request belongs to
 * another worker; the REST layer forwards it (kc_herder_forward).
 */
#ifndef KC_HERDER_INTERNAL_H
#define KC_HERDER_INTERNAL_H

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
    bool inconsistent;                 /* distributed: the last commit was incomplete (no tasks) */
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

typedef struct kc_dist kc_dist;

struct kc_herder {
    const kc_worker_config *wc;
    kc_dist *dist;                     /* distributed mode's state; NULL in standalone mode */
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
    /* replication tasks (connect/replication/replications.h); changed on the herder thread under
     * status_lock */
    struct kc_replication_entry *replications;
};

/* Queues fn to run on the herder thread. -1 when the herder is stopping (fn is not run). */
int kc_herder_submit(kc_herder *h, void (*fn)(kc_herder *h, void *arg), void *arg);

/* Herder-thread operations (return 0 or -1 with err in Java's words). */
kc_connector_entry *kc_herder_find(kc_herder *h, const char *name);
/* Creates or replaces name with config (validated before). created: 1 when new. */
int kc_herder_put(kc_herder *h, const char *name, const kc_props *config, int initial_target, bool allow_replace,
                  int *created, kc_error *err);
int kc_herder_delete(kc_herder *h, const char *name, kc_error *err);
int kc_herder_set_target(kc_herder *h, kc_connector_entry *c, kc_target_state target, kc_error *err);
/* Applies a target state to what runs locally (both modes; herder thread). */
void kc_herder_apply_target(kc_herder *h, kc_connector_entry *c, kc_target_state target);
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

/* The status of the connector (task -1) or of one of its tasks: 1 with *state, *trace and *worker_id
 * (new strings or NULL, free()) when known, 0 when there is none. Distributed mode reads the status
 * topic; standalone mode the worker's reports. */
int kc_herder_status(kc_herder *h, kc_connector_entry *c, int task, kc_state *state, char **trace,
                     char **worker_id);
/* The connector's active topics (new array of new strings, NULL when none; free both). */
char **kc_herder_topics(kc_herder *h, kc_connector_entry *c, size_t *count);

/* Runs the queued jobs; waits up to wait_ms for one when none is queued. Returns false once the
 * herder is stopping and the queue is empty. Herder thread. */
bool kc_herder_run_jobs(kc_herder *h, int wait_ms);
/* Wakes the herder thread (a job or an event is waiting). */
void kc_herder_wake(kc_herder *h);

/* Standalone-mode start/stop of a connector and its tasks on the local worker (herder thread). */
void kc_herder_start_connector_local(kc_herder *h, kc_connector_entry *c);
void kc_herder_stop_connector_local(kc_herder *h, kc_connector_entry *c);
void kc_herder_free_entry(kc_connector_entry *c);

/* ---- distributed mode (distributed.c, distributed_rest.c) --------------------------------------- */

/* Answers req by sending it on to the worker named by err (KC_ERR_REDIRECT; message = URL) with
 * Java's forward=true/false rule, or with the 409 Java gives when the URL is unknown or the request
 * was already forwarded twice. extra_query: parameters to append ("includeTasks=..&onlyFailed=.."),
 * or NULL. Any thread; the forwarding runs on its own thread. */
void kc_herder_forward(kc_herder *h, kc_rest_request *req, const kc_error *err, const char *extra_query);

/* Status and topic reports from the worker (any thread): written to the status topic. */
void kc_dist_status_connector(kc_herder *h, const char *connector, kc_state state, const char *trace);
void kc_dist_status_task(kc_herder *h, const char *connector, int task, kc_state state, const char *trace);
void kc_dist_status_topic(kc_herder *h, const char *connector, int task, const char *topic);
int kc_dist_status(kc_herder *h, kc_connector_entry *c, int task, kc_state *state, char **trace, char **worker_id);
char **kc_dist_topics(kc_herder *h, const char *connector, size_t *count);
/* A connector asked for new task configs (herder thread). */
void kc_dist_reconfigure(kc_herder *h, const char *connector);

/* Distributed-mode operations behind kc_herder_put / delete / set_target / restart_* (herder thread). */
int kc_dist_put(kc_herder *h, const char *name, const kc_props *config, int initial_target, bool allow_replace,
                int *created, kc_error *err);
int kc_dist_delete(kc_herder *h, const char *name, kc_error *err);
int kc_dist_set_target(kc_herder *h, kc_connector_entry *c, kc_target_state target, kc_error *err);
int kc_dist_restart_connector(kc_herder *h, kc_connector_entry *c, kc_error *err);
int kc_dist_restart_task(kc_herder *h, kc_connector_entry *c, int task, kc_error *err);
/* POST .../restart with includeTasks / onlyFailed: the leader writes the restart request. */
int kc_dist_restart_plan(kc_herder *h, kc_connector_entry *c, bool include_tasks, bool only_failed, kc_error *err);
/* A config change that needs a rebalance was read and the rebalance has not happened yet. */
bool kc_dist_rebalance_pending(kc_herder *h);
bool kc_dist_is_leader(kc_herder *h);
/* Alter / reset offsets need the leader: 0 when this worker may go ahead, else -1 with
 * KC_ERR_REDIRECT or the 409 of a pending rebalance. */
int kc_dist_check_leader(kc_herder *h, bool rebalance_check, kc_error *err);
/* Internal endpoints: POST /connectors/{c}/tasks (task configs from the worker running the
 * connector) and PUT /connectors/{c}/fence. */
void kc_dist_internal_tasks(kc_herder *h, kc_rest_request *req);
void kc_dist_internal_fence(kc_herder *h, kc_rest_request *req);

#endif
