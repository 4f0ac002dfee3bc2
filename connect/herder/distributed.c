/* The distributed herder: group membership, assignments, config changes; see distributed.h. */
#include "distributed_internal.h"

#include "connect/replication/replications.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect/api/log.h"
#include "connect/herder/request_signing.h"

#define LOGGER KC_DIST_LOGGER
#define JOIN_TIMEOUT_MS 15000
#define TICK_MS 100
#define RECONFIG_BACKOFF_MAX_MS 60000

int64_t kc_dist_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t kc_dist_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- small sets -------------------------------------------------------------------------------- */

static ssize_t work_connector(const kc_cp_work *w, const char *name)
{
    for (size_t i = 0; i < w->nconnectors; i++)
        if (strcmp(w->connectors[i], name) == 0)
            return (ssize_t)i;
    return -1;
}

static ssize_t work_task(const kc_cp_work *w, const char *name, int32_t task)
{
    for (size_t i = 0; i < w->ntasks; i++)
        if (w->tasks[i].task == task && strcmp(w->tasks[i].connector, name) == 0)
            return (ssize_t)i;
    return -1;
}

static void work_drop_connector(kc_cp_work *w, const char *name)
{
    ssize_t i = work_connector(w, name);
    if (i < 0)
        return;
    free(w->connectors[i]);
    memmove(w->connectors + i, w->connectors + i + 1, (w->nconnectors - (size_t)i - 1) * sizeof *w->connectors);
    w->nconnectors--;
}

static void work_drop_task(kc_cp_work *w, const char *name, int32_t task)
{
    ssize_t i = work_task(w, name, task);
    if (i < 0)
        return;
    free(w->tasks[i].connector);
    memmove(w->tasks + i, w->tasks + i + 1, (w->ntasks - (size_t)i - 1) * sizeof *w->tasks);
    w->ntasks--;
}

static bool props_equal(const kc_props *a, const kc_props *b)
{
    if (kc_props_count(a) != kc_props_count(b))
        return false;
    for (size_t k = 0; k < kc_props_count(a); k++) {
        const char *v = kc_props_get(b, kc_props_key_at(a, k));
        if (!v || strcmp(v, kc_props_value_at(a, k)) != 0)
            return false;
    }
    return true;
}

static void set_rebalance_pending(kc_dist *d, bool v)
{
    pthread_mutex_lock(&d->lock);
    d->rebalance_pending = v;
    pthread_mutex_unlock(&d->lock);
}

/* ---- statuses (any thread) --------------------------------------------------------------------- */

static int32_t generation_of(kc_dist *d)
{
    pthread_mutex_lock(&d->lock);
    int32_t g = d->generation;
    pthread_mutex_unlock(&d->lock);
    return g;
}

/* AbstractHerder: FAILED and UNASSIGNED are written "safely" (not over a newer generation's). */
static bool safe_state(kc_state s) { return s == KC_STATE_FAILED || s == KC_STATE_UNASSIGNED; }

void kc_dist_status_connector(kc_herder *h, const char *connector, kc_state state, const char *trace)
{
    kc_dist *d = h->dist;
    kc_status_store_put_connector(d->statuses, connector, state, trace, h->worker_id, generation_of(d),
                                  safe_state(state));
}

void kc_dist_status_task(kc_herder *h, const char *connector, int task, kc_state state, const char *trace)
{
    kc_dist *d = h->dist;
    kc_status_store_put_task(d->statuses, connector, task, state, trace, h->worker_id, generation_of(d),
                             safe_state(state));
}

void kc_dist_status_topic(kc_herder *h, const char *connector, int task, const char *topic)
{
    if (!h->wc->topic_tracking_enable)
        return;
    kc_status_store_put_topic(h->dist->statuses, connector, topic, task, kc_dist_now_ms());
}

int kc_dist_status(kc_herder *h, kc_connector_entry *c, int task, kc_state *state, char **trace, char **worker_id)
{
    kc_status_value v;
    memset(&v, 0, sizeof v);
    int found = task < 0 ? kc_status_store_get_connector(h->dist->statuses, c->name, &v)
                         : kc_status_store_get_task(h->dist->statuses, c->name, task, &v);
    if (found != 1)
        return 0;
    *state = v.state;
    *trace = v.trace;
    *worker_id = v.worker_id;
    return 1;
}

char **kc_dist_topics(kc_herder *h, const char *connector, size_t *count)
{
    return kc_status_store_topics(h->dist->statuses, connector, count);
}

/* ---- config store listener (herder thread) ----------------------------------------------------- */

static void add_bounce(kc_dist *d, const char *name)
{
    for (size_t i = 0; i < d->nbounce; i++)
        if (strcmp(d->bounce[i], name) == 0)
            return;
    char **grown = realloc(d->bounce, (d->nbounce + 1) * sizeof *grown);
    if (!grown)
        return;
    d->bounce = grown;
    if ((grown[d->nbounce] = strdup(name)))
        d->nbounce++;
}

static void stop_connector_here(kc_dist *d, const char *name, bool tasks_too);

static void on_connector_config(void *opaque, const char *name, const kc_props *config)
{
    kc_dist *d = opaque;
    kc_herder *h = d->h;
    kc_connector_entry *c = kc_herder_find(h, name);
    if (!config) {
        if (!c)
            return;
        kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Connector %s config removed", d->client_id,
               d->wc->group_id, name);
        stop_connector_here(d, name, true);
        pthread_mutex_lock(&d->lock);
        bool leader = d->leader && d->joined;
        pthread_mutex_unlock(&d->lock);
        if (leader) { /* the leader deletes the statuses of what is no longer configured (§6.2) */
            int *ids = NULL;
            size_t n = 0;
            if (kc_status_store_tasks(d->statuses, name, &ids, &n) == 0)
                for (size_t i = 0; i < n; i++)
                    kc_status_store_put_task(d->statuses, name, ids[i], KC_STATE_DESTROYED, NULL, h->worker_id,
                                             generation_of(d), false);
            free(ids);
            kc_status_store_put_connector(d->statuses, name, KC_STATE_DESTROYED, NULL, h->worker_id,
                                          generation_of(d), false);
        }
        pthread_mutex_lock(&h->status_lock);
        kc_connector_entry **pp = &h->connectors;
        while (*pp != c)
            pp = &(*pp)->next;
        *pp = c->next;
        pthread_mutex_unlock(&h->status_lock);
        kc_herder_free_entry(c);
        set_rebalance_pending(d, true);
        return;
    }
    kc_props *copy = kc_props_copy(config);
    if (!copy)
        return;
    const char *cls = kc_props_get(config, "connector.class");
    kc_error lookup;
    const kc_plugin_desc *desc = kc_plugins_find(KC_PLUGIN_SOURCE, cls ? cls : "", &lookup);
    if (c) {
        kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Connector %s config updated", d->client_id,
               d->wc->group_id, name);
        kc_props_free(c->config);
        c->config = copy;
        c->plugin = desc ? desc->vtable : NULL;
        if (work_connector(&d->running, name) >= 0)
            add_bounce(d, name);
        return;
    }
    if (!(c = calloc(1, sizeof *c)) || !(c->name = strdup(name))) {
        free(c);
        kc_props_free(copy);
        return;
    }
    c->config = copy;
    c->target = KC_TARGET_STARTED;
    c->plugin = desc ? desc->vtable : NULL;
    pthread_mutex_lock(&h->status_lock);
    kc_connector_entry **tail = &h->connectors;
    while (*tail)
        tail = &(*tail)->next;
    *tail = c;
    pthread_mutex_unlock(&h->status_lock);
    set_rebalance_pending(d, true);
}

static void on_task_configs(void *opaque, const char *name, kc_props *const *tasks, size_t n, bool inconsistent)
{
    kc_dist *d = opaque;
    kc_connector_entry *c = kc_herder_find(d->h, name);
    if (!c)
        return;
    kc_task_configs fresh = {0};
    for (size_t i = 0; i < n; i++) {
        kc_props *p = tasks[i] ? kc_props_copy(tasks[i]) : kc_props_new();
        if (!p || kc_task_configs_add(&fresh, p) != 0) {
            kc_props_free(p);
            kc_task_configs_clear(&fresh);
            return;
        }
    }
    kc_task_configs_clear(&c->tasks);
    c->tasks = fresh;
    c->inconsistent = inconsistent;
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Tasks [%s: %zu] configs updated", d->client_id,
           d->wc->group_id, name, n);
    /* cooperative: stop this worker's tasks of the connector now; the rebalance places them again */
    if (d->joined && d->selected != KC_CP_EAGER) {
        bool any = false;
        for (size_t i = d->running.ntasks; i-- > 0;)
            if (strcmp(d->running.tasks[i].connector, name) == 0) {
                any = true;
                break;
            }
        if (any) {
            kc_worker_stop_tasks(d->h->worker, name);
            for (size_t i = d->running.ntasks; i-- > 0;)
                if (strcmp(d->running.tasks[i].connector, name) == 0)
                    work_drop_task(&d->running, name, d->running.tasks[i].task);
        }
    }
    set_rebalance_pending(d, true);
}

static void on_target_state(void *opaque, const char *name, kc_target_state state)
{
    kc_dist *d = opaque;
    kc_connector_entry *c = kc_herder_find(d->h, name);
    if (!c || c->target == state)
        return;
    kc_target_state before = c->target;
    c->target = state;
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Connector %s target state change",
           d->client_id, d->wc->group_id, name);
    if (work_connector(&d->running, name) < 0) {
        /* tasks of a connector that runs elsewhere still follow pause / resume */
        if (state != KC_TARGET_STOPPED && before != KC_TARGET_STOPPED)
            kc_worker_set_target_state(d->h->worker, name, state);
        return;
    }
    if (state == KC_TARGET_STOPPED || before == KC_TARGET_STOPPED) {
        add_bounce(d, name); /* restart the connector instance in its new state */
        return;
    }
    kc_worker_set_target_state(d->h->worker, name, state);
    if (state == KC_TARGET_STARTED)
        kc_dist_reconfigure(d->h, name);
}

static void on_session_key(void *opaque, const unsigned char *key, size_t len, const char *alg, int64_t creation_ms)
{
    kc_dist *d = opaque;
    if (len > sizeof d->key) {
        kc_log(KC_LOG_ERROR, LOGGER, "Ignoring a session key of %zu bytes (more than %zu)", len, sizeof d->key);
        return;
    }
    pthread_mutex_lock(&d->lock);
    memcpy(d->key, key, len);
    d->key_len = len;
    snprintf(d->key_alg, sizeof d->key_alg, "%s", alg ? alg : "");
    d->key_creation_ms = creation_ms;
    d->key_expiry_ms = d->wc->inter_worker_key_ttl_ms > 0 ? creation_ms + d->wc->inter_worker_key_ttl_ms : INT64_MAX;
    pthread_mutex_unlock(&d->lock);
    kc_log(KC_LOG_DEBUG, LOGGER, "Installed a new session key (%s)", alg ? alg : "");
}

/* Keeps, per connector, the request with the highest impact (§6.8). */
static int impact(bool include_tasks, bool only_failed)
{
    return include_tasks ? (only_failed ? 1 : 3) : (only_failed ? 0 : 2);
}

static void on_restart(void *opaque, const char *name, bool include_tasks, bool only_failed)
{
    kc_dist *d = opaque;
    for (kc_dist_restart *r = d->restarts; r; r = r->next)
        if (strcmp(r->connector, name) == 0) {
            if (impact(include_tasks, only_failed) > impact(r->include_tasks, r->only_failed)) {
                r->include_tasks = include_tasks;
                r->only_failed = only_failed;
            }
            return;
        }
    kc_dist_restart *r = calloc(1, sizeof *r);
    if (!r || !(r->connector = strdup(name))) {
        free(r);
        return;
    }
    r->include_tasks = include_tasks;
    r->only_failed = only_failed;
    r->next = d->restarts;
    d->restarts = r;
}

/* A replication task record read from the config topic (every worker keeps the registry). */
static void on_replication(void *opaque, const char *name, const char *value)
{
    kc_dist *d = opaque;
    kc_replications_apply(d->h, name, value);
}

/* A cluster-wide logger level read from the config topic: every worker applies it (KIP-976). */
static void on_logger_level(void *opaque, const char *ns, const char *level)
{
    (void)opaque;
    int parsed = kc_log_level_parse(level);
    if (parsed < 0) {
        kc_log(KC_LOG_WARN, LOGGER, "Ignoring the cluster-wide log level '%s' of %s: not a level", level, ns);
        return;
    }
    kc_logger_info scratch[1];
    kc_log_set_level(ns, (kc_log_level)parsed, kc_dist_now_ms(), scratch, 0);
    kc_log(KC_LOG_INFO, LOGGER, "Applied the cluster-wide log level %s to %s", level, ns);
}

typedef struct logger_job {
    char *ns, *level;
} logger_job;

static void logger_job_run(kc_herder *h, void *arg)
{
    logger_job *j = arg;
    kc_error err;
    if (kc_config_store_put_logger_level(h->dist->configs, j->ns, j->level, &err) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write the cluster-wide log level of %s: %s", j->ns, err.msg);
    free(j->ns);
    free(j->level);
    free(j);
}

int kc_distributed_herder_set_cluster_logger(void *herder, const char *ns, const char *level, kc_error *err)
{
    kc_herder *h = herder;
    logger_job *j = calloc(1, sizeof *j);
    if (!j || !(j->ns = strdup(ns)) || !(j->level = strdup(level))) {
        if (j)
            free(j->ns);
        free(j);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    if (kc_herder_submit(h, logger_job_run, j) != 0) {
        free(j->ns);
        free(j->level);
        free(j);
        return kc_error_set(err, KC_ERR_INTERNAL, "Worker is shutting down");
    }
    return 0;
}

/* ---- running work (herder thread) ------------------------------------------------------------- */

/* Stops the running tasks for which keep() is false, together (one graceful timeout). */
static void stop_tasks_where(kc_dist *d, bool (*keep)(kc_dist *d, const kc_cp_task *t, const void *arg),
                             const void *arg)
{
    size_t n = 0;
    const char **names = calloc(d->running.ntasks + 1, sizeof *names);
    int *ids = calloc(d->running.ntasks + 1, sizeof *ids);
    for (size_t i = 0; names && ids && i < d->running.ntasks; i++)
        if (!keep(d, &d->running.tasks[i], arg)) {
            names[n] = d->running.tasks[i].connector;
            ids[n++] = d->running.tasks[i].task;
        }
    if (n)
        kc_worker_stop_task_list(d->h->worker, names, ids, n);
    for (size_t i = d->running.ntasks; names && ids && i-- > 0;)
        if (!keep(d, &d->running.tasks[i], arg))
            work_drop_task(&d->running, d->running.tasks[i].connector, d->running.tasks[i].task);
    free(names);
    free(ids);
}

static bool keep_none(kc_dist *d, const kc_cp_task *t, const void *arg)
{
    (void)d, (void)t, (void)arg;
    return false;
}

static bool keep_unless_in(kc_dist *d, const kc_cp_task *t, const void *arg)
{
    (void)d;
    return work_task((const kc_cp_work *)arg, t->connector, t->task) < 0;
}

static bool keep_if_in(kc_dist *d, const kc_cp_task *t, const void *arg)
{
    (void)d;
    return work_task((const kc_cp_work *)arg, t->connector, t->task) >= 0;
}

static void stop_connector_here(kc_dist *d, const char *name, bool tasks_too)
{
    kc_herder *h = d->h;
    if (tasks_too) {
        bool any = false;
        for (size_t i = 0; i < d->running.ntasks && !any; i++)
            any = strcmp(d->running.tasks[i].connector, name) == 0;
        if (any)
            kc_worker_stop_tasks(h->worker, name);
        for (size_t i = d->running.ntasks; i-- > 0;)
            if (strcmp(d->running.tasks[i].connector, name) == 0)
                work_drop_task(&d->running, name, d->running.tasks[i].task);
    }
    if (work_connector(&d->running, name) >= 0) {
        kc_worker_stop_connector(h->worker, name);
        work_drop_connector(&d->running, name);
        kc_status_store_put_connector(d->statuses, name, KC_STATE_UNASSIGNED, NULL, h->worker_id,
                                      generation_of(d), true);
    }
}

/* After revocations (§6.2): the UNASSIGNED statuses reach the topic before anyone else can start
 * the same work and write RUNNING, so a slower write never overrides the new owner's. */
static void flush_statuses(kc_dist *d)
{
    kc_error err;
    if (kc_status_store_flush(d->statuses, 5000, &err) != 0)
        kc_log(KC_LOG_WARN, LOGGER, "Could not flush the status store after revocations: %s", err.msg);
}

static void stop_everything(kc_dist *d)
{
    stop_tasks_where(d, keep_none, NULL);
    while (d->running.nconnectors || d->running.ntasks) {
        const char *name = d->running.nconnectors ? d->running.connectors[0] : d->running.tasks[0].connector;
        char *copy = strdup(name);
        if (!copy)
            break;
        stop_connector_here(d, copy, true);
        work_drop_connector(&d->running, copy); /* in case the worker had nothing */
        free(copy);
    }
}

static kc_dist_reconfig *find_reconfig(kc_dist *d, const char *name)
{
    for (kc_dist_reconfig *r = d->reconfigs; r; r = r->next)
        if (strcmp(r->connector, name) == 0)
            return r;
    return NULL;
}

static void drop_reconfig(kc_dist *d, const char *name)
{
    for (kc_dist_reconfig **pp = &d->reconfigs; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->connector, name) == 0) {
            kc_dist_reconfig *r = *pp;
            *pp = r->next;
            free(r->connector);
            free(r);
            return;
        }
}

static void schedule_reconfig(kc_dist *d, const char *name, bool retry)
{
    kc_dist_reconfig *r = find_reconfig(d, name);
    if (!r) {
        if (!(r = calloc(1, sizeof *r)) || !(r->connector = strdup(name))) {
            free(r);
            return;
        }
        r->next = d->reconfigs;
        d->reconfigs = r;
    }
    if (retry) {
        r->backoff_ms = r->backoff_ms ? r->backoff_ms * 2 : 250;
        if (r->backoff_ms > RECONFIG_BACKOFF_MAX_MS)
            r->backoff_ms = RECONFIG_BACKOFF_MAX_MS;
        r->next_ms = kc_dist_mono_ms() + r->backoff_ms;
    } else {
        r->next_ms = 0;
    }
}

typedef enum reconfig_result { RECONFIG_DONE, RECONFIG_RETRY, RECONFIG_PENDING } reconfig_result;

/* Regenerates the task configs of a connector running here; writes them (leader) or sends them to
 * the leader (PENDING until the answer) when they differ from the committed ones (§6.7). */
static reconfig_result reconfigure_now(kc_dist *d, kc_connector_entry *c)
{
    kc_herder *h = d->h;
    if (work_connector(&d->running, c->name) < 0 || c->target != KC_TARGET_STARTED)
        return RECONFIG_DONE;
    kc_task_configs fresh = {0};
    kc_error err;
    kc_error_clear(&err);
    if (kc_worker_connector_task_configs(h->worker, c->name, &fresh, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to reconfigure connector's tasks (%s), retrying after backoff: %s",
               c->name, err.msg);
        return RECONFIG_RETRY;
    }
    bool same = !c->inconsistent && fresh.count == c->tasks.count;
    for (size_t i = 0; same && i < fresh.count; i++)
        same = props_equal(fresh.items[i], c->tasks.items[i]);
    if (same) {
        kc_task_configs_clear(&fresh);
        return RECONFIG_DONE;
    }
    reconfig_result rc = RECONFIG_DONE;
    pthread_mutex_lock(&d->lock);
    bool leader = d->leader;
    pthread_mutex_unlock(&d->lock);
    if (leader) {
        kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Writing %zu task configs for connector %s",
               d->client_id, d->wc->group_id, fresh.count, c->name);
        if (kc_config_store_put_task_configs(d->configs, c->name, fresh.items, fresh.count, &err) != 0) {
            kc_log(KC_LOG_ERROR, LOGGER, "Failed to write the task configs of %s: %s", c->name, err.msg);
            rc = RECONFIG_RETRY;
        }
    } else {
        kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Forwarding task configurations for connector "
               "%s to leader", d->client_id, d->wc->group_id, c->name);
        kc_dist_reconfig *r = find_reconfig(d, c->name);
        if (r) {
            r->in_flight = true;
            rc = RECONFIG_PENDING;
        }
        kc_dist_post_task_configs(h, c->name, &fresh);
    }
    kc_task_configs_clear(&fresh);
    return rc;
}

void kc_dist_reconfigure(kc_herder *h, const char *connector)
{
    schedule_reconfig(h->dist, connector, false);
}

void kc_dist_reconfig_done(kc_herder *h, const char *connector, bool ok)
{
    kc_dist *d = h->dist;
    kc_dist_reconfig *r = find_reconfig(d, connector);
    if (!r)
        return;
    r->in_flight = false;
    if (ok)
        drop_reconfig(d, connector);
    else
        schedule_reconfig(d, connector, true);
}

static void run_reconfigs(kc_dist *d)
{
    int64_t now = kc_dist_mono_ms();
    size_t n = 0;
    for (kc_dist_reconfig *r = d->reconfigs; r; r = r->next)
        n++;
    char **due = n ? calloc(n, sizeof *due) : NULL;
    size_t ndue = 0;
    for (kc_dist_reconfig *r = d->reconfigs; due && r; r = r->next)
        if (!r->in_flight && r->next_ms <= now && (due[ndue] = strdup(r->connector)))
            ndue++;
    for (size_t i = 0; i < ndue; i++) {
        kc_connector_entry *c = kc_herder_find(d->h, due[i]);
        reconfig_result rc = c ? reconfigure_now(d, c) : RECONFIG_DONE;
        if (rc == RECONFIG_DONE)
            drop_reconfig(d, due[i]);
        else if (rc == RECONFIG_RETRY)
            schedule_reconfig(d, due[i], true);
        free(due[i]);
    }
    free(due);
}

static void start_connector_here(kc_dist *d, const char *name)
{
    kc_herder *h = d->h;
    kc_connector_entry *c = kc_herder_find(h, name);
    kc_error err;
    kc_error_clear(&err);
    if (!c) {
        kc_log(KC_LOG_WARN, LOGGER, "Assigned connector %s has no config (yet)", name);
        return;
    }
    if (kc_cp_work_add_connector(&d->running, name, &err) != 0)
        return;
    if (kc_worker_start_connector(h->worker, name, c->config, c->target, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to start connector %s: %s", name, err.msg);
        return;
    }
    if (c->target == KC_TARGET_STARTED)
        schedule_reconfig(d, name, false);
}

static void start_task_here(kc_dist *d, const char *name, int32_t task)
{
    kc_herder *h = d->h;
    kc_connector_entry *c = kc_herder_find(h, name);
    kc_error err;
    kc_error_clear(&err);
    if (!c || task < 0 || (size_t)task >= c->tasks.count) {
        kc_log(KC_LOG_WARN, LOGGER, "Assigned task %s-%d has no config (yet)", name, (int)task);
        return;
    }
    if (kc_cp_work_add_task(&d->running, name, task, &err) != 0)
        return;
    if (kc_worker_start_task(h->worker, name, task, c->config, c->tasks.items[task], c->target, &err) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to start task %s-%d: %s", name, (int)task, err.msg);
}

/* ---- group membership --------------------------------------------------------------------------- */

typedef struct snapshot_buf {
    kc_cp_connector_config *items;
    kc_cp_snapshot snap;
} snapshot_buf;

static void build_snapshot(kc_dist *d, snapshot_buf *b)
{
    size_t n = 0;
    for (kc_connector_entry *c = d->h->connectors; c; c = c->next)
        n++;
    free(b->items);
    b->items = n ? calloc(n, sizeof *b->items) : NULL;
    size_t i = 0;
    for (kc_connector_entry *c = d->h->connectors; c && b->items; c = c->next, i++) {
        b->items[i].name = c->name;
        b->items[i].tasks = c->inconsistent ? 0 : (int32_t)c->tasks.count;
    }
    b->snap.connectors = b->items;
    b->snap.nconnectors = b->items ? n : 0;
    b->snap.offset = kc_config_store_offset(d->configs);
}

typedef struct assign_ctx {
    kc_dist *d;
    snapshot_buf buf;
} assign_ctx;

static const kc_cp_snapshot *refresh_snapshot(void *arg)
{
    assign_ctx *a = arg;
    kc_error err;
    if (kc_config_store_read_to_end(a->d->configs, a->d->wc->worker_sync_timeout_ms, &err) != 0)
        return NULL;
    build_snapshot(a->d, &a->buf);
    return &a->buf.snap;
}

/* The leader's assignor (group_member.h kc_group_assign_fn). */
static int assign(void *opaque, const char *protocol, const char *leader_id, const kc_join_member *members,
                  size_t count, kc_group_assignment *out, kc_error *err)
{
    kc_dist *d = opaque;
    kc_cp_protocol p;
    if (kc_cp_protocol_from_name(protocol, &p, err) != 0)
        return -1;
    kc_error rerr;
    if (kc_config_store_read_to_end(d->configs, d->wc->worker_sync_timeout_ms, &rerr) != 0)
        kc_log(KC_LOG_WARN, LOGGER, "Leader could not read the config topic to its end: %s", rerr.msg);
    assign_ctx ctx = {.d = d};
    build_snapshot(d, &ctx.buf);
    kc_cp_metadata *meta = calloc(count ? count : 1, sizeof *meta);
    kc_cp_member *mem = calloc(count ? count : 1, sizeof *mem);
    int rc = -1;
    kc_cp_assignment *result = NULL;
    if (!meta || !mem) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        if (kc_cp_metadata_decode(members[i].metadata, members[i].metadata_len, &meta[i], err) != 0) {
            kc_error_prefix(err, "metadata of member %s", members[i].member_id);
            goto out;
        }
        mem[i].member_id = members[i].member_id;
        mem[i].url = meta[i].url;
        mem[i].config_offset = meta[i].config_offset;
        mem[i].current = meta[i].allocation ? &meta[i].allocation->assigned : NULL;
    }
    kc_cp_assign_input in = {
        .leader_id = leader_id,
        .members = mem,
        .nmembers = count,
        .snapshot = &ctx.buf.snap,
        .refresh = refresh_snapshot,
        .refresh_arg = &ctx,
        .protocol = p,
        .generation = kc_group_member_generation(d->member),
        .last_completed_generation = d->last_completed_generation,
        .now_ms = kc_dist_now_ms(),
    };
    result = p == KC_CP_EAGER ? kc_eager_assign(&in, err) : kc_coop_assign(d->coop, &in, err);
    if (!result)
        goto out;
    size_t i = 0;
    for (; i < count; i++) {
        size_t len = 0;
        unsigned char *bytes = kc_cp_assignment_encode(&result[i], (int16_t)p, &len, err);
        if (!bytes)
            break;
        out[i].member_id = members[i].member_id;
        out[i].data = bytes;
        out[i].len = len;
        kc_log(KC_LOG_DEBUG, LOGGER, "Assignment for %s: %zu connectors, %zu tasks (revoked %zu, %zu)",
               members[i].member_id, result[i].assigned.nconnectors, result[i].assigned.ntasks,
               result[i].revoked.nconnectors, result[i].revoked.ntasks);
    }
    if (i < count) {
        for (size_t k = 0; k < i; k++)
            free((void *)out[k].data);
        goto out;
    }
    rc = 0;
out:
    if (result)
        kc_cp_assignments_free(result, count);
    for (size_t i = 0; meta && i < count; i++)
        kc_cp_metadata_clear(&meta[i]);
    free(meta);
    free(mem);
    free(ctx.buf.items);
    return rc;
}

/* The protocols this worker offers, with their metadata (bufs[i] malloc'd, freed by the caller). */
static size_t build_protocols(kc_dist *d, kc_group_protocol protos[3], unsigned char *bufs[3], kc_error *err)
{
    kc_cp_protocol offered[3];
    size_t n = kc_cp_protocols_offered(d->mode, offered);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        bufs[i] = kc_cp_metadata_encode(offered[i], d->url, kc_config_store_offset(d->configs),
                                        d->have_current ? &d->current : NULL, &len, err);
        if (!bufs[i]) {
            for (size_t k = 0; k < i; k++)
                free(bufs[k]);
            return 0;
        }
        protos[i].name = kc_cp_protocol_name(offered[i]);
        protos[i].metadata = bufs[i];
        protos[i].metadata_len = len;
    }
    return n;
}

static int offer_protocols(kc_dist *d, kc_error *err)
{
    kc_group_protocol protos[3];
    unsigned char *bufs[3] = {NULL, NULL, NULL};
    size_t n = build_protocols(d, protos, bufs, err);
    if (n == 0)
        return -1;
    int rc = kc_group_member_set_protocols(d->member, protos, n) == 0 ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++)
        free(bufs[i]);
    return rc;
}

static void member_leave(kc_dist *d, const char *reason);

/* Reads the config topic to at least offset (worker.sync.timeout.ms). false: unreadable. */
static bool catch_up(kc_dist *d)
{
    kc_error err;
    if (kc_config_store_read_to_end(d->configs, d->wc->worker_sync_timeout_ms, &err) == 0) {
        d->config_unreadable = false;
        d->unsync_attempts = 0;
        return true;
    }
    kc_log(KC_LOG_WARN, LOGGER, "[Worker clientId=%s, groupId=%s] Didn't reach end of config log quickly enough: %s",
           d->client_id, d->wc->group_id, err.msg);
    d->config_unreadable = true;
    member_leave(d, "taking too long to read the log");
    d->joined = false;
    return false;
}

/* Acts on the assignment of the SyncGroup that just completed (§6.2). */
static void on_assignment(kc_dist *d)
{
    size_t len = 0;
    const unsigned char *bytes = kc_group_member_assignment(d->member, &len);
    kc_cp_assignment a;
    kc_error err;
    if (kc_cp_assignment_decode(bytes, len, &a, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Cannot read the assignment: %s; rejoining", err.msg);
        d->rejoin = true;
        return;
    }
    kc_cp_protocol selected = KC_CP_EAGER;
    kc_cp_protocol_from_name(kc_group_member_protocol(d->member), &selected, &err);
    d->selected = selected;
    bool leader = kc_group_member_is_leader(d->member);
    pthread_mutex_lock(&d->lock);
    d->leader = leader;
    snprintf(d->leader_url, sizeof d->leader_url, "%s", a.leader_url ? a.leader_url : "");
    d->generation = kc_group_member_generation(d->member);
    pthread_mutex_unlock(&d->lock);
    d->last_completed_generation = d->generation;
    d->joined = true;
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Joined group at generation %d with protocol "
           "version %d and got assignment: leader=%s, leaderUrl=%s, offset=%lld, connectorIds=%zu, taskIds=%zu, "
           "revokedConnectorIds=%zu, revokedTaskIds=%zu, delay=%d", d->client_id, d->wc->group_id,
           (int)d->generation, (int)a.version, a.leader, a.leader_url, (long long)a.config_offset,
           a.assigned.nconnectors, a.assigned.ntasks, a.revoked.nconnectors, a.revoked.ntasks, (int)a.delay);
    if (a.delay > 0)
        d->scheduled_rebalance_ms = kc_dist_mono_ms() + a.delay;
    if (a.error != KC_CP_ERROR_NONE) {
        kc_log(KC_LOG_INFO, LOGGER, "Assignment error %d (config mismatch): reading the config topic and rejoining",
               (int)a.error);
        catch_up(d);
        d->rejoin = true;
        kc_cp_assignment_clear(&a);
        return;
    }
    if (kc_config_store_offset(d->configs) < a.config_offset && !catch_up(d)) {
        kc_cp_assignment_clear(&a);
        return;
    }
    if (kc_config_store_offset(d->configs) != a.config_offset) {
        kc_log(KC_LOG_INFO, LOGGER, "Config offset %lld differs from the assignment's %lld: rejoining",
               (long long)kc_config_store_offset(d->configs), (long long)a.config_offset);
        d->rejoin = true;
    }
    /* revocations (cooperative), then the new current assignment */
    bool revoked = a.revoked.nconnectors || a.revoked.ntasks;
    stop_tasks_where(d, keep_unless_in, &a.revoked);
    for (size_t i = 0; i < a.revoked.nconnectors; i++)
        stop_connector_here(d, a.revoked.connectors[i], false);
    if (revoked)
        flush_statuses(d);
    kc_cp_assignment merged;
    memset(&merged, 0, sizeof merged);
    merged.version = a.version;
    merged.leader = strdup(a.leader ? a.leader : "");
    merged.leader_url = strdup(a.leader_url ? a.leader_url : "");
    merged.config_offset = a.config_offset;
    if (selected != KC_CP_EAGER && d->have_current) {
        for (size_t i = 0; i < d->current.assigned.nconnectors; i++)
            if (work_connector(&a.revoked, d->current.assigned.connectors[i]) < 0)
                kc_cp_work_add_connector(&merged.assigned, d->current.assigned.connectors[i], &err);
        for (size_t i = 0; i < d->current.assigned.ntasks; i++) {
            kc_cp_task *t = &d->current.assigned.tasks[i];
            if (work_task(&a.revoked, t->connector, t->task) < 0)
                kc_cp_work_add_task(&merged.assigned, t->connector, t->task, &err);
        }
    }
    for (size_t i = 0; i < a.assigned.nconnectors; i++)
        if (work_connector(&merged.assigned, a.assigned.connectors[i]) < 0)
            kc_cp_work_add_connector(&merged.assigned, a.assigned.connectors[i], &err);
    for (size_t i = 0; i < a.assigned.ntasks; i++)
        if (work_task(&merged.assigned, a.assigned.tasks[i].connector, a.assigned.tasks[i].task) < 0)
            kc_cp_work_add_task(&merged.assigned, a.assigned.tasks[i].connector, a.assigned.tasks[i].task, &err);
    if (d->have_current)
        kc_cp_assignment_clear(&d->current);
    d->current = merged;
    d->have_current = true;
    kc_cp_assignment_clear(&a);
    if (d->rejoin && !revoked)
        return; /* the config moved on: rebalance again before starting anything */
    /* anything running that is no longer ours (eager stopped everything before joining) */
    stop_tasks_where(d, keep_if_in, &d->current.assigned);
    for (size_t i = d->running.nconnectors; i-- > 0;) {
        char *name = strdup(d->running.connectors[i]);
        if (name && work_connector(&d->current.assigned, name) < 0)
            stop_connector_here(d, name, false);
        free(name);
    }
    for (size_t i = 0; i < d->current.assigned.nconnectors; i++)
        if (work_connector(&d->running, d->current.assigned.connectors[i]) < 0)
            start_connector_here(d, d->current.assigned.connectors[i]);
    for (size_t i = 0; i < d->current.assigned.ntasks; i++) {
        kc_cp_task *t = &d->current.assigned.tasks[i];
        if (work_task(&d->running, t->connector, t->task) < 0)
            start_task_here(d, t->connector, t->task);
    }
    d->work_started = true;
    set_rebalance_pending(d, false);
    if (revoked)
        d->rejoin = true; /* follow-up round after revocations */
}

/* The heartbeat thread (Java's AbstractCoordinator.HeartbeatThread): heartbeats while the herder
 * thread is busy (stopping tasks, writing configs), so a slow operation never costs the membership. */
static void *heartbeat_run(void *arg)
{
    kc_dist *d = arg;
    pthread_mutex_lock(&d->member_lock);
    while (!d->hb_stop) {
        if (d->hb_active) {
            kc_error err;
            kc_group_poll_result r = kc_group_member_poll(d->member, &err);
            if (r != KC_GROUP_OK) {
                d->hb_active = false;
                d->hb_result = r;
                snprintf(d->hb_error, sizeof d->hb_error, "%s", r == KC_GROUP_ERROR ? err.msg : "");
                kc_herder_wake(d->h);
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->hb_cond, &d->member_lock, &until);
    }
    pthread_mutex_unlock(&d->member_lock);
    return NULL;
}

static void member_leave(kc_dist *d, const char *reason)
{
    kc_error err;
    pthread_mutex_lock(&d->member_lock);
    d->hb_active = false;
    kc_group_member_leave(d->member, reason, &err);
    pthread_mutex_unlock(&d->member_lock);
}

/* Joins or rejoins; on return the assignment has been acted on, or the next tick tries again. */
static void join(kc_dist *d)
{
    kc_error err;
    kc_error_clear(&err);
    if (d->joined && d->selected == KC_CP_EAGER && d->work_started) {
        stop_everything(d); /* eager: everything is revoked before JoinGroup */
        flush_statuses(d);
        d->work_started = false;
        if (d->have_current) {
            kc_cp_work_clear(&d->current.assigned);
        }
    }
    d->rejoin = false;
    pthread_mutex_lock(&d->member_lock);
    d->hb_active = false;
    d->hb_result = KC_GROUP_OK;
    int rc = offer_protocols(d, &err) == 0 && kc_group_member_join(d->member, JOIN_TIMEOUT_MS, &err) == 0 ? 0 : -1;
    d->hb_active = rc == 0;
    pthread_mutex_unlock(&d->member_lock);
    if (rc != 0) {
        kc_log(KC_LOG_WARN, LOGGER, "[Worker clientId=%s, groupId=%s] Could not join the group: %s",
               d->client_id, d->wc->group_id, err.msg);
        d->joined = false;
        d->rejoin = true;
        if (d->have_current) { /* lost the coordinator or our membership: no allocation in the next join */
            kc_cp_assignment_clear(&d->current);
            d->have_current = false;
        }
        kc_herder_run_jobs(d->h, (int)(d->wc->retry_backoff_ms > 0 ? d->wc->retry_backoff_ms : 100));
        return;
    }
    on_assignment(d);
}

/* ---- session keys and restarts ------------------------------------------------------------------ */

static void rotate_session_key(kc_dist *d)
{
    pthread_mutex_lock(&d->lock);
    bool leader = d->leader;
    bool need = d->key_len == 0 || kc_dist_now_ms() >= d->key_expiry_ms ||
                strcmp(d->key_alg, d->wc->inter_worker_key_generation_algorithm) != 0;
    pthread_mutex_unlock(&d->lock);
    if (!leader || d->selected != KC_CP_SESSIONED || !need)
        return;
    unsigned char key[128];
    size_t len = sizeof key;
    kc_error err;
    if (kc_session_key_generate(d->wc->inter_worker_key_generation_algorithm, d->wc->inter_worker_key_size, key,
                                &len, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Cannot generate a session key: %s", err.msg);
        return;
    }
    pthread_mutex_lock(&d->lock);
    d->key_expiry_ms = INT64_MAX; /* until we read it back */
    pthread_mutex_unlock(&d->lock);
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Session key expired or missing; writing a new one",
           d->client_id, d->wc->group_id);
    if (kc_config_store_put_session_key(d->configs, key, len, d->wc->inter_worker_key_generation_algorithm,
                                        kc_dist_now_ms(), &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write the session key: %s", err.msg);
        d->config_unreadable = true;
        pthread_mutex_lock(&d->lock);
        d->key_expiry_ms = 0;
        pthread_mutex_unlock(&d->lock);
    }
    memset(key, 0, sizeof key);
}

static void run_restarts(kc_dist *d)
{
    kc_herder *h = d->h;
    while (d->restarts) {
        kc_dist_restart *r = d->restarts;
        d->restarts = r->next;
        kc_connector_entry *c = kc_herder_find(h, r->connector);
        if (c) {
            kc_state st = KC_STATE_UNASSIGNED;
            char *trace = NULL, *worker = NULL;
            if (work_connector(&d->running, c->name) >= 0 &&
                (!r->only_failed ||
                 (kc_dist_status(h, c, -1, &st, &trace, &worker) && st == KC_STATE_FAILED))) {
                kc_log(KC_LOG_INFO, LOGGER, "Restarting connector %s", c->name);
                kc_worker_stop_connector(h->worker, c->name);
                kc_error err;
                kc_worker_start_connector(h->worker, c->name, c->config, c->target, &err);
            }
            free(trace);
            free(worker);
            for (size_t i = 0; r->include_tasks && i < c->tasks.count; i++) {
                if (work_task(&d->running, c->name, (int32_t)i) < 0)
                    continue;
                trace = worker = NULL;
                st = KC_STATE_UNASSIGNED;
                bool failed = kc_dist_status(h, c, (int)i, &st, &trace, &worker) && st == KC_STATE_FAILED;
                free(trace);
                free(worker);
                if (r->only_failed && !failed)
                    continue;
                kc_worker_stop_task(h->worker, c->name, (int)i);
                kc_error err;
                kc_worker_start_task(h->worker, c->name, (int)i, c->config, c->tasks.items[i], c->target, &err);
            }
        }
        free(r->connector);
        free(r);
    }
}

/* Bounces connectors running here whose config (or STOPPED-ness) changed. */
static void run_bounces(kc_dist *d)
{
    for (size_t i = 0; i < d->nbounce; i++) {
        char *name = d->bounce[i];
        if (work_connector(&d->running, name) >= 0) {
            kc_log(KC_LOG_INFO, LOGGER, "Restarting connector %s after a config change", name);
            stop_connector_here(d, name, false);
            kc_connector_entry *c = kc_herder_find(d->h, name);
            if (c)
                start_connector_here(d, name);
        }
        free(name);
    }
    free(d->bounce);
    d->bounce = NULL;
    d->nbounce = 0;
}

/* ---- the tick loop ---------------------------------------------------------------------------------- */

static void tick(kc_dist *d)
{
    if (d->config_unreadable) {
        if (!catch_up(d)) {
            /* back off: eager worker.unsync.backoff.ms; cooperative max.delay / 10 / r, 5 attempts */
            int64_t wait = d->selected == KC_CP_EAGER
                               ? d->wc->worker_unsync_backoff_ms
                               : d->wc->scheduled_rebalance_max_delay_ms / 10 / (5 - (d->unsync_attempts % 5));
            if (++d->unsync_attempts >= 5 && d->selected != KC_CP_EAGER) {
                stop_everything(d);
                d->unsync_attempts = 0;
            }
            int64_t until = kc_dist_mono_ms() + wait;
            while (!d->stopping && kc_dist_mono_ms() < until)
                if (!kc_herder_run_jobs(d->h, TICK_MS))
                    return;
            return;
        }
        d->rejoin = true;
    }
    if (!d->joined || d->rejoin) {
        join(d);
        if (!d->joined)
            return;
    } else {
        pthread_mutex_lock(&d->member_lock);
        kc_group_poll_result r = d->hb_result;
        d->hb_result = KC_GROUP_OK;
        char msg[KC_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", d->hb_error);
        pthread_mutex_unlock(&d->member_lock);
        if (r == KC_GROUP_REJOIN) {
            d->rejoin = true;
            return;
        }
        if (r == KC_GROUP_ERROR) {
            kc_log(KC_LOG_WARN, LOGGER, "[Worker clientId=%s, groupId=%s] Group coordinator problem: %s",
                   d->client_id, d->wc->group_id, msg);
            d->rejoin = true;
            return;
        }
    }
    if (d->scheduled_rebalance_ms && kc_dist_mono_ms() >= d->scheduled_rebalance_ms) {
        d->scheduled_rebalance_ms = 0;
        d->rejoin = true;
        return;
    }
    rotate_session_key(d);
    /* config changes from other workers */
    kc_config_store_poll(d->configs, 0);
    pthread_mutex_lock(&d->lock);
    bool pending = d->rebalance_pending;
    pthread_mutex_unlock(&d->lock);
    if (pending) {
        kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Config change needs a rebalance",
               d->client_id, d->wc->group_id);
        d->rejoin = true;
    }
    run_bounces(d);
    run_restarts(d);
    run_reconfigs(d);
    if (d->rejoin)
        return;
    kc_herder_run_jobs(d->h, TICK_MS);
}

static void *run(void *arg)
{
    kc_herder *h = arg;
    kc_dist *d = h->dist;
    pthread_mutex_lock(&h->lock);
    h->ready = true;
    bool stopping = h->stopping;
    pthread_mutex_unlock(&h->lock);
    while (!stopping) {
        tick(d);
        kc_herder_run_jobs(h, 0);
        pthread_mutex_lock(&h->lock);
        stopping = h->stopping;
        pthread_mutex_unlock(&h->lock);
    }
    d->stopping = true;
    /* shutdown (§6.10): stop the work, answer queued requests, leave */
    stop_everything(d);
    kc_herder_run_jobs(h, 0);
    pthread_mutex_lock(&d->member_lock);
    d->hb_stop = true;
    pthread_cond_broadcast(&d->hb_cond);
    pthread_mutex_unlock(&d->member_lock);
    pthread_join(d->hb_thread, NULL);
    member_leave(d, "the consumer is being closed");
    return NULL;
}

/* ---- life cycle -------------------------------------------------------------------------------------- */

kc_herder *kc_distributed_herder_new(const kc_worker_config *wc, kc_error *err)
{
    kc_dist *d = calloc(1, sizeof *d);
    if (!d) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->forwarders_done, NULL);
    pthread_mutex_init(&d->member_lock, NULL);
    pthread_cond_init(&d->hb_cond, NULL);
    d->wc = wc;
    d->generation = -1;
    d->last_completed_generation = -1;
    d->mode = (kc_cp_protocol)wc->connect_protocol; /* same numbering: eager 0, compatible 1, sessioned 2 */
    const char *cid = kc_props_get(wc->originals, "client.id");
    snprintf(d->client_id, sizeof d->client_id, "%s", cid && *cid ? cid : "connect-1"); /* Java: connect-<n> */
    kc_config_store_listener l = {on_connector_config, on_task_configs, on_target_state, on_session_key,
                                  on_restart, on_logger_level, on_replication, d};
    if (!(d->offsets = kc_offset_store_kafka_new(wc, NULL, err)) || !(d->statuses = kc_status_store_new(wc, NULL, err)) ||
        !(d->configs = kc_config_store_new(wc, NULL, &l, err)) ||
        !(d->coop = kc_coop_assignor_new(wc->scheduled_rebalance_max_delay_ms)))
        goto fail;
    if (kc_broker_settings_from_props(wc->originals, d->client_id, &d->broker, err) != 0)
        goto fail;
    kc_herder *h = kc_standalone_herder_new(wc, d->offsets, "", err);
    if (!h)
        goto fail;
    h->dist = d;
    d->h = h;
    return h;
fail:
    if (err && !err->msg[0])
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_config_store_free(d->configs);
    kc_status_store_free(d->statuses);
    kc_offset_store_free(d->offsets);
    kc_coop_assignor_free(d->coop);
    kc_broker_settings_clear(&d->broker);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->forwarders_done);
    pthread_mutex_destroy(&d->member_lock);
    pthread_cond_destroy(&d->hb_cond);
    free(d);
    return NULL;
}

int kc_distributed_herder_register_rest(kc_herder *h, kc_rest_server *srv, kc_error *err)
{
    return kc_standalone_herder_register_rest(h, srv, err);
}

void kc_distributed_herder_set_url(kc_herder *h, const char *url)
{
    snprintf(h->dist->url, sizeof h->dist->url, "%s", url);
    kc_standalone_herder_set_worker_id(h, url);
}

int kc_distributed_herder_start(kc_herder *h, kc_error *err)
{
    kc_dist *d = h->dist;
    const kc_worker_config *wc = d->wc;
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Herder starting", d->client_id, wc->group_id);
    int timeout = 60000;
    if (kc_offset_store_start(d->offsets, timeout, err) != 0 || kc_status_store_start(d->statuses, timeout, err) != 0 ||
        kc_config_store_start(d->configs, timeout, err) != 0)
        return -1;
    kc_group_member_config gc = {
        .broker = d->broker.s,
        .bootstrap = wc->bootstrap_servers,
        .group_id = wc->group_id,
        .session_timeout_ms = wc->session_timeout_ms,
        .rebalance_timeout_ms = wc->rebalance_timeout_ms,
        .heartbeat_interval_ms = wc->heartbeat_interval_ms,
        .request_timeout_ms = wc->request_timeout_ms,
        .retry_backoff_ms = (int)wc->retry_backoff_ms,
        .assign = assign,
        .opaque = d,
    };
    kc_group_protocol protos[3];
    unsigned char *bufs[3] = {NULL, NULL, NULL};
    gc.protocol_count = build_protocols(d, protos, bufs, err);
    gc.protocols = protos;
    d->member = gc.protocol_count ? kc_group_member_new(&gc, err) : NULL;
    for (size_t i = 0; i < gc.protocol_count; i++)
        free(bufs[i]);
    if (!d->member)
        return -1;
    if (pthread_create(&d->hb_thread, NULL, heartbeat_run, d) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot start the heartbeat thread");
    if (pthread_create(&h->thread, NULL, run, h) != 0) {
        pthread_mutex_lock(&d->member_lock);
        d->hb_stop = true;
        pthread_cond_broadcast(&d->hb_cond);
        pthread_mutex_unlock(&d->member_lock);
        pthread_join(d->hb_thread, NULL);
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot start the herder thread");
    }
    h->thread_started = true;
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Herder started", d->client_id, wc->group_id);
    return 0;
}

void kc_distributed_herder_stop(kc_herder *h)
{
    if (!h || !h->dist || h->dist->stopped)
        return;
    kc_dist *d = h->dist;
    d->stopped = true;
    if (h->thread_started) {
        pthread_mutex_lock(&h->lock);
        h->stopping = true;
        pthread_cond_broadcast(&h->cond);
        pthread_mutex_unlock(&h->lock);
        pthread_join(h->thread, NULL);
        h->thread_started = false;
    }
    /* forwarding threads answer their requests on their own; wait for them (bounded by their timeouts) */
    pthread_mutex_lock(&d->lock);
    while (d->forwarders > 0)
        pthread_cond_wait(&d->forwarders_done, &d->lock);
    pthread_mutex_unlock(&d->lock);
    kc_status_store_stop(d->statuses);
    kc_config_store_stop(d->configs);
    kc_offset_store_stop(d->offsets);
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Herder stopped", d->client_id, d->wc->group_id);
}

void kc_distributed_herder_free(kc_herder *h)
{
    if (!h)
        return;
    kc_dist *d = h->dist;
    kc_distributed_herder_stop(h);
    h->dist = NULL;
    kc_standalone_herder_free(h); /* the worker and the connector entries */
    if (!d)
        return;
    kc_group_member_free(d->member);
    kc_config_store_free(d->configs);
    kc_status_store_free(d->statuses);
    kc_offset_store_free(d->offsets);
    kc_coop_assignor_free(d->coop);
    kc_broker_settings_clear(&d->broker);
    if (d->have_current)
        kc_cp_assignment_clear(&d->current);
    kc_cp_work_clear(&d->running);
    for (size_t i = 0; i < d->nbounce; i++)
        free(d->bounce[i]);
    free(d->bounce);
    while (d->reconfigs)
        drop_reconfig(d, d->reconfigs->connector);
    while (d->restarts) {
        kc_dist_restart *r = d->restarts;
        d->restarts = r->next;
        free(r->connector);
        free(r);
    }
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->forwarders_done);
    pthread_mutex_destroy(&d->member_lock);
    pthread_cond_destroy(&d->hb_cond);
    free(d);
}

/* ---- dedicated MirrorMaker (MirrorHerder) ------------------------------------------------------------ */

bool kc_distributed_herder_is_leader(kc_herder *h)
{
    return kc_dist_is_leader(h);
}

typedef struct leader_put_job {
    char *name;
    kc_props *config;
} leader_put_job;

static void leader_put_run(kc_herder *h, void *arg)
{
    leader_put_job *j = arg;
    kc_dist *d = h->dist;
    if (!d->stopping && kc_dist_is_leader(h)) {
        kc_connector_entry *c = kc_herder_find(h, j->name);
        kc_error err;
        kc_error_clear(&err);
        int created = 0;
        if (c && props_equal(c->config, j->config))
            kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] This node is a leader and configuration "
                   "for %s is already up to date.", d->client_id, d->wc->group_id, j->name);
        else if (kc_dist_put(h, j->name, j->config, -1, true, &created, &err) == 0)
            kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] %s connector configured.", d->client_id,
                   d->wc->group_id, j->name);
        else if (err.code == KC_ERR_REDIRECT)
            kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] This node lost leadership while trying to "
                   "update the connector configuration for %s. Using existing connector configuration.",
                   d->client_id, d->wc->group_id, j->name);
        else
            kc_log(KC_LOG_ERROR, LOGGER, "[Worker clientId=%s, groupId=%s] Failed to configure %s connector: %s",
                   d->client_id, d->wc->group_id, j->name, err.msg);
    }
    free(j->name);
    kc_props_free(j->config);
    free(j);
}

int kc_distributed_herder_put_connector_if_leader(kc_herder *h, const char *name, const kc_props *config,
                                                  kc_error *err)
{
    leader_put_job *j = calloc(1, sizeof *j);
    if (!j || !(j->name = strdup(name)) || !(j->config = kc_props_copy(config))) {
        if (j)
            free(j->name);
        free(j);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    if (kc_herder_submit(h, leader_put_run, j) != 0) {
        free(j->name);
        kc_props_free(j->config);
        free(j);
        return kc_error_set(err, KC_ERR_UNAVAILABLE, "the herder is stopping");
    }
    return 0;
}
