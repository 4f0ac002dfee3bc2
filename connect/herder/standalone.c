/* The standalone herder: state, the job queue, connector and task life cycles; see standalone.h. */
#include "herder_internal.h"

#include "connect/replication/replications.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect/api/log.h"

#define LOGGER "kconnect.herder"

/* ---- statuses (from any thread) ------------------------------------------------------------- */

static kc_connector_entry *find_locked(kc_herder *h, const char *name)
{
    for (kc_connector_entry *c = h->connectors; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

kc_connector_entry *kc_herder_find(kc_herder *h, const char *name) { return find_locked(h, name); }

static void set_trace(char **slot, const char *trace)
{
    free(*slot);
    *slot = trace ? strdup(trace) : NULL;
}

static void on_connector(void *opaque, const char *connector, kc_state state, const char *trace)
{
    kc_herder *h = opaque;
    if (h->dist)
        kc_dist_status_connector(h, connector, state, trace);
    pthread_mutex_lock(&h->status_lock);
    kc_connector_entry *c = find_locked(h, connector);
    if (c) {
        c->has_status = true;
        c->state = state;
        set_trace(&c->trace, state == KC_STATE_FAILED ? trace : NULL);
    }
    pthread_mutex_unlock(&h->status_lock);
}

static void on_task(void *opaque, const char *connector, int task, kc_state state, const char *trace)
{
    kc_herder *h = opaque;
    if (h->dist)
        kc_dist_status_task(h, connector, task, state, trace);
    pthread_mutex_lock(&h->status_lock);
    kc_connector_entry *c = find_locked(h, connector);
    if (c && task >= 0) {
        if ((size_t)task >= c->task_status_count) {
            kc_task_status *grown = realloc(c->task_status, ((size_t)task + 1) * sizeof *grown);
            if (grown) {
                memset(grown + c->task_status_count, 0, ((size_t)task + 1 - c->task_status_count) * sizeof *grown);
                c->task_status = grown;
                c->task_status_count = (size_t)task + 1;
            }
        }
        if ((size_t)task < c->task_status_count) {
            c->task_status[task].state = state;
            set_trace(&c->task_status[task].trace, state == KC_STATE_FAILED ? trace : NULL);
        }
    }
    pthread_mutex_unlock(&h->status_lock);
}

static void on_topic(void *opaque, const char *connector, int task, const char *topic)
{
    kc_herder *h = opaque;
    if (h->dist)
        kc_dist_status_topic(h, connector, task, topic);
    pthread_mutex_lock(&h->status_lock);
    kc_connector_entry *c = find_locked(h, connector);
    bool known = !c;
    for (size_t i = 0; c && i < c->topic_count && !known; i++)
        known = strcmp(c->topics[i], topic) == 0;
    if (!known) {
        char **grown = realloc(c->topics, (c->topic_count + 1) * sizeof *grown);
        if (grown) {
            c->topics = grown;
            if ((grown[c->topic_count] = strdup(topic)))
                c->topic_count++;
        }
    }
    pthread_mutex_unlock(&h->status_lock);
}

void kc_herder_reset_topics(kc_herder *h, kc_connector_entry *c)
{
    pthread_mutex_lock(&h->status_lock);
    for (size_t i = 0; i < c->topic_count; i++)
        free(c->topics[i]);
    free(c->topics);
    c->topics = NULL;
    c->topic_count = 0;
    pthread_mutex_unlock(&h->status_lock);
}

static void reconfigure_job(kc_herder *h, void *arg);

static void on_reconfigure(void *opaque, const char *connector)
{
    kc_herder *h = opaque;
    char *name = strdup(connector);
    if (name && kc_herder_submit(h, reconfigure_job, name) != 0)
        free(name);
}

kc_state kc_herder_task_state(kc_herder *h, kc_connector_entry *c, size_t task, char **trace)
{
    pthread_mutex_lock(&h->status_lock);
    kc_state s = task < c->task_status_count ? c->task_status[task].state : KC_STATE_UNASSIGNED;
    if (trace)
        *trace = task < c->task_status_count && c->task_status[task].trace ? strdup(c->task_status[task].trace) : NULL;
    pthread_mutex_unlock(&h->status_lock);
    return s;
}

int kc_herder_status(kc_herder *h, kc_connector_entry *c, int task, kc_state *state, char **trace,
                     char **worker_id)
{
    if (h->dist)
        return kc_dist_status(h, c, task, state, trace, worker_id);
    int found = 0;
    pthread_mutex_lock(&h->status_lock);
    if (task < 0 && c->has_status) {
        found = 1;
        *state = c->state;
        *trace = c->trace ? strdup(c->trace) : NULL;
    } else if (task >= 0) {
        found = 1; /* a task of a known connector always has a state (UNASSIGNED first) */
        bool known = (size_t)task < c->task_status_count;
        *state = known ? c->task_status[task].state : KC_STATE_UNASSIGNED;
        *trace = known && c->task_status[task].trace ? strdup(c->task_status[task].trace) : NULL;
    }
    pthread_mutex_unlock(&h->status_lock);
    if (found)
        *worker_id = strdup(h->worker_id);
    return found;
}

char **kc_herder_topics(kc_herder *h, kc_connector_entry *c, size_t *count)
{
    if (h->dist)
        return kc_dist_topics(h, c->name, count);
    *count = 0;
    pthread_mutex_lock(&h->status_lock);
    char **out = c->topic_count ? calloc(c->topic_count, sizeof *out) : NULL;
    for (size_t i = 0; out && i < c->topic_count; i++)
        if ((out[*count] = strdup(c->topics[i])))
            (*count)++;
    pthread_mutex_unlock(&h->status_lock);
    return out;
}

/* ---- job queue ------------------------------------------------------------------------------ */

void kc_herder_wake(kc_herder *h)
{
    pthread_mutex_lock(&h->lock);
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

bool kc_herder_run_jobs(kc_herder *h, int wait_ms)
{
    pthread_mutex_lock(&h->lock);
    if (!h->head && !h->stopping && wait_ms > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait_ms / 1000;
        until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->cond, &h->lock, &until);
    }
    while (h->head) {
        kc_herder_job *j = h->head;
        h->head = j->next;
        if (!h->head)
            h->tail = NULL;
        pthread_mutex_unlock(&h->lock);
        j->run(h, j->arg);
        free(j);
        pthread_mutex_lock(&h->lock);
    }
    bool go_on = !h->stopping;
    pthread_mutex_unlock(&h->lock);
    return go_on;
}

int kc_herder_submit(kc_herder *h, void (*fn)(kc_herder *h, void *arg), void *arg)
{
    kc_herder_job *j = calloc(1, sizeof *j);
    if (!j)
        return -1;
    j->run = fn;
    j->arg = arg;
    pthread_mutex_lock(&h->lock);
    if (h->stopping) {
        pthread_mutex_unlock(&h->lock);
        free(j);
        return -1;
    }
    if (h->tail)
        h->tail->next = j;
    else
        h->head = j;
    h->tail = j;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
    return 0;
}

static void *run(void *arg)
{
    kc_herder *h = arg;
    pthread_mutex_lock(&h->lock);
    h->ready = true;
    for (;;) {
        while (!h->head && !h->stopping)
            pthread_cond_wait(&h->cond, &h->lock);
        if (!h->head && h->stopping)
            break;
        kc_herder_job *j = h->head;
        h->head = j->next;
        if (!h->head)
            h->tail = NULL;
        pthread_mutex_unlock(&h->lock);
        j->run(h, j->arg);
        free(j);
        pthread_mutex_lock(&h->lock);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* ---- life cycles (herder thread) ------------------------------------------------------------ */

static void clear_tasks(kc_herder *h, kc_connector_entry *c)
{
    kc_task_configs_clear(&c->tasks);
    pthread_mutex_lock(&h->status_lock);
    for (size_t i = 0; i < c->task_status_count; i++)
        free(c->task_status[i].trace);
    free(c->task_status);
    c->task_status = NULL;
    c->task_status_count = 0;
    pthread_mutex_unlock(&h->status_lock);
}

static void start_tasks(kc_herder *h, kc_connector_entry *c)
{
    for (size_t i = 0; i < c->tasks.count; i++) {
        kc_error err;
        kc_error_clear(&err);
        kc_worker_start_task(h->worker, c->name, (int)i, c->config, c->tasks.items[i], c->target, &err);
    }
}

/* Starts the connector and (unless stopped) its tasks. */
void kc_herder_start_connector_local(kc_herder *h, kc_connector_entry *c)
{
    kc_error err;
    kc_error_clear(&err);
    if (kc_worker_start_connector(h->worker, c->name, c->config, c->target, &err) != 0)
        return;
    if (c->target == KC_TARGET_STOPPED)
        return;
    kc_task_configs tasks = {0};
    if (kc_worker_connector_task_configs(h->worker, c->name, &tasks, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to generate task configs for %s: %s", c->name, err.msg);
        on_connector(h, c->name, KC_STATE_FAILED, err.msg);
        return;
    }
    clear_tasks(h, c);
    c->tasks = tasks;
    start_tasks(h, c);
}

void kc_herder_stop_connector_local(kc_herder *h, kc_connector_entry *c)
{
    kc_worker_stop_tasks(h->worker, c->name);
    kc_worker_stop_connector(h->worker, c->name);
}

void kc_herder_free_entry(kc_connector_entry *c)
{
    if (!c)
        return;
    free(c->name);
    kc_props_free(c->config);
    kc_task_configs_clear(&c->tasks);
    free(c->trace);
    for (size_t i = 0; i < c->task_status_count; i++)
        free(c->task_status[i].trace);
    free(c->task_status);
    for (size_t i = 0; i < c->topic_count; i++)
        free(c->topics[i]);
    free(c->topics);
    free(c);
}

int kc_herder_put(kc_herder *h, const char *name, const kc_props *config, int initial_target, bool allow_replace,
                  int *created, kc_error *err)
{
    if (h->dist)
        return kc_dist_put(h, name, config, initial_target, allow_replace, created, err);
    kc_connector_entry *c = kc_herder_find(h, name);
    if (c && !allow_replace)
        return kc_error_set(err, KC_ERR_CONFLICT, "Connector %s already exists", name);
    kc_props *copy = kc_props_copy(config);
    if (!copy)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    const char *cls = kc_props_get(config, "connector.class");
    kc_error lookup;
    const kc_plugin_desc *desc = kc_plugins_find(KC_PLUGIN_SOURCE, cls ? cls : "", &lookup);
    if (c) {
        *created = 0;
        kc_log(KC_LOG_INFO, LOGGER, "Reconfiguring connector %s", name);
        kc_herder_stop_connector_local(h, c);
        clear_tasks(h, c);
        kc_props_free(c->config);
        c->config = copy;
    } else {
        *created = 1;
        c = calloc(1, sizeof *c);
        if (!c || !(c->name = strdup(name))) {
            free(c);
            kc_props_free(copy);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        c->config = copy;
        c->target = initial_target >= 0 ? (kc_target_state)initial_target : KC_TARGET_STARTED;
        pthread_mutex_lock(&h->status_lock);
        kc_connector_entry **tail = &h->connectors;
        while (*tail)
            tail = &(*tail)->next;
        *tail = c; /* keeps creation order */
        pthread_mutex_unlock(&h->status_lock);
    }
    c->plugin = desc ? desc->vtable : NULL;
    kc_herder_start_connector_local(h, c);
    return 0;
}

int kc_herder_delete(kc_herder *h, const char *name, kc_error *err)
{
    if (h->dist)
        return kc_dist_delete(h, name, err);
    kc_connector_entry *c = kc_herder_find(h, name);
    if (!c)
        return kc_error_set(err, KC_ERR_NOT_FOUND, "Connector %s not found", name);
    kc_herder_stop_connector_local(h, c);
    pthread_mutex_lock(&h->status_lock);
    kc_connector_entry **pp = &h->connectors;
    while (*pp != c)
        pp = &(*pp)->next;
    *pp = c->next;
    pthread_mutex_unlock(&h->status_lock);
    kc_herder_free_entry(c);
    kc_log(KC_LOG_INFO, LOGGER, "Deleted connector %s", name);
    return 0;
}

int kc_herder_set_target(kc_herder *h, kc_connector_entry *c, kc_target_state target, kc_error *err)
{
    if (h->dist)
        return kc_dist_set_target(h, c, target, err);
    kc_herder_apply_target(h, c, target);
    return 0;
}

void kc_herder_apply_target(kc_herder *h, kc_connector_entry *c, kc_target_state target)
{
    kc_target_state before = c->target;
    c->target = target;
    if (target == KC_TARGET_STOPPED) {
        if (before != KC_TARGET_STOPPED) {
            kc_herder_stop_connector_local(h, c);
            clear_tasks(h, c);
            kc_error err;
            kc_worker_start_connector(h->worker, c->name, c->config, KC_TARGET_STOPPED, &err);
        }
        return;
    }
    if (before == KC_TARGET_STOPPED) { /* from STOPPED: start everything again */
        kc_herder_stop_connector_local(h, c);
        kc_herder_start_connector_local(h, c);
        return;
    }
    kc_worker_set_target_state(h->worker, c->name, target);
}

int kc_herder_restart_connector(kc_herder *h, kc_connector_entry *c, kc_error *err)
{
    if (h->dist)
        return kc_dist_restart_connector(h, c, err);
    kc_worker_stop_connector(h->worker, c->name);
    kc_error e;
    kc_error_clear(&e);
    kc_worker_start_connector(h->worker, c->name, c->config, c->target, &e);
    return 0;
}

int kc_herder_restart_task(kc_herder *h, kc_connector_entry *c, int task, kc_error *err)
{
    if (h->dist)
        return kc_dist_restart_task(h, c, task, err);
    if (task < 0 || (size_t)task >= c->tasks.count)
        return kc_error_set(err, KC_ERR_NOT_FOUND, "Task %s-%d not found", c->name, task);
    kc_worker_stop_task(h->worker, c->name, task);
    if (kc_worker_start_task(h->worker, c->name, task, c->config, c->tasks.items[task], c->target, err) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "Failed to start task: %s-%d", c->name, task);
    return 0;
}

/* A connector asked for new task configs: regenerate; restart the tasks when they changed. */
static void reconfigure_job(kc_herder *h, void *arg)
{
    char *name = arg;
    if (h->dist) {
        kc_dist_reconfigure(h, name);
        free(name);
        return;
    }
    kc_connector_entry *c = kc_herder_find(h, name);
    if (c && c->target != KC_TARGET_STOPPED) {
        kc_task_configs fresh = {0};
        kc_error err;
        if (kc_worker_connector_task_configs(h->worker, name, &fresh, &err) == 0) {
            bool same = fresh.count == c->tasks.count;
            for (size_t i = 0; same && i < fresh.count; i++) {
                same = kc_props_count(fresh.items[i]) == kc_props_count(c->tasks.items[i]);
                for (size_t k = 0; same && k < kc_props_count(fresh.items[i]); k++) {
                    const char *v = kc_props_get(c->tasks.items[i], kc_props_key_at(fresh.items[i], k));
                    same = v && strcmp(v, kc_props_value_at(fresh.items[i], k)) == 0;
                }
            }
            if (same) {
                kc_task_configs_clear(&fresh);
            } else {
                kc_worker_stop_tasks(h->worker, name);
                clear_tasks(h, c);
                c->tasks = fresh;
                start_tasks(h, c);
            }
        }
    }
    free(name);
}

/* ---- life cycle of the herder -------------------------------------------------------------- */

kc_herder *kc_standalone_herder_new(const kc_worker_config *wc, kc_offset_store *offsets, const char *worker_id,
                                    kc_error *err)
{
    kc_herder *h = calloc(1, sizeof *h);
    if (!h) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    pthread_mutex_init(&h->status_lock, NULL);
    h->wc = wc;
    h->offsets = offsets;
    snprintf(h->worker_id, sizeof h->worker_id, "%s", worker_id);
    kc_worker_settings s = {
        .worker = wc->originals,
        .worker_id = h->worker_id,
        .key_converter = wc->key_converter,
        .value_converter = wc->value_converter,
        .header_converter = wc->header_converter,
        .offset_flush_interval_ms = wc->offset_flush_interval_ms,
        .offset_flush_timeout_ms = wc->offset_flush_timeout_ms,
        .task_shutdown_graceful_timeout_ms = wc->task_shutdown_graceful_timeout_ms,
        .client_override_policy = wc->connector_client_config_override_policy,
        .topic_creation_enable = wc->topic_creation_enable,
    };
    kc_status_listener l = {on_connector, on_task, on_reconfigure, on_topic, h};
    if (!(h->worker = kc_worker_new(&s, offsets, &l, err)) ||
        kc_worker_add_config_provider(h->worker, KC_REPLICATION_PROVIDER, kc_replications_provider, h, err) != 0) {
        kc_standalone_herder_free(h);
        return NULL;
    }
    return h;
}

void kc_standalone_herder_set_worker_id(kc_herder *h, const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/");
    snprintf(h->worker_id, sizeof h->worker_id, "%.*s", (int)n, p);
}

int kc_standalone_herder_start(kc_herder *h, kc_error *err)
{
    if (pthread_create(&h->thread, NULL, run, h) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot start the herder thread");
    h->thread_started = true;
    kc_log(KC_LOG_INFO, LOGGER, "Herder started");
    return 0;
}

typedef struct put_job {
    const kc_props *config;
    kc_error err;
    int rc;
    bool done;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} put_job;

static void put_job_run(kc_herder *h, void *arg)
{
    put_job *j = arg;
    int created;
    j->rc = kc_herder_put(h, kc_props_get(j->config, "name"), j->config, -1, true, &created, &j->err);
    pthread_mutex_lock(&j->lock);
    j->done = true;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

int kc_standalone_herder_put_connector(kc_herder *h, const kc_props *config, kc_error *err)
{
    put_job j = {.config = config, .rc = -1};
    pthread_mutex_init(&j.lock, NULL);
    pthread_cond_init(&j.cond, NULL);
    kc_error_clear(&j.err);
    if (kc_herder_submit(h, put_job_run, &j) != 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "the herder is shutting down");
        return -1;
    }
    pthread_mutex_lock(&j.lock);
    while (!j.done)
        pthread_cond_wait(&j.cond, &j.lock);
    pthread_mutex_unlock(&j.lock);
    pthread_mutex_destroy(&j.lock);
    pthread_cond_destroy(&j.cond);
    if (j.rc != 0)
        *err = j.err;
    return j.rc;
}

static void stop_all_job(kc_herder *h, void *arg)
{
    (void)arg;
    for (kc_connector_entry *c = h->connectors; c; c = c->next)
        kc_herder_stop_connector_local(h, c);
}

void kc_standalone_herder_stop(kc_herder *h)
{
    if (!h || !h->thread_started)
        return;
    kc_herder_submit(h, stop_all_job, NULL);
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->thread, NULL);
    h->thread_started = false;
    kc_log(KC_LOG_INFO, LOGGER, "Herder stopped");
}

void kc_standalone_herder_free(kc_herder *h)
{
    if (!h)
        return;
    kc_standalone_herder_stop(h);
    kc_replications_free(h);
    kc_worker_free(h->worker);
    while (h->connectors) {
        kc_connector_entry *c = h->connectors;
        h->connectors = c->next;
        kc_herder_free_entry(c);
    }
    while (h->head) {
        kc_herder_job *j = h->head;
        h->head = j->next;
        free(j);
    }
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
    pthread_mutex_destroy(&h->status_lock);
    free(h);
}
