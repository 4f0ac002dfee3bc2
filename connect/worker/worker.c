/* The worker: connector instances, task threads, client settings; see worker.h. */
#include "worker_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connect/config/config_providers.h"
#include "connect/worker/transformation_chain.h"

#define LOGGER "kconnect.worker"

const char *kc_state_name(kc_state state)
{
    static const char *const names[] = {"UNASSIGNED", "RUNNING", "PAUSED", "FAILED", "RESTARTING", "STOPPED",
                                        "DESTROYED"};
    return (unsigned)state <= KC_STATE_DESTROYED ? names[state] : "UNASSIGNED";
}

int kc_target_state_parse(const char *text)
{
    if (!text)
        return -1;
    if (strcasecmp(text, "RUNNING") == 0 || strcasecmp(text, "STARTED") == 0)
        return KC_TARGET_STARTED;
    if (strcasecmp(text, "PAUSED") == 0)
        return KC_TARGET_PAUSED;
    if (strcasecmp(text, "STOPPED") == 0)
        return KC_TARGET_STOPPED;
    return -1;
}

int64_t kc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

kc_worker *kc_worker_new(const kc_worker_settings *settings, kc_offset_store *offsets,
                         const kc_status_listener *listener, kc_error *err)
{
    kc_worker *w = calloc(1, sizeof *w);
    if (!w) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    w->settings = *settings;
    w->worker_props = kc_props_copy(settings->worker);
    w->worker_id = dup_or_null(settings->worker_id ? settings->worker_id : "localhost:8083");
    w->key_converter = dup_or_null(settings->key_converter);
    w->value_converter = dup_or_null(settings->value_converter);
    w->header_converter = dup_or_null(settings->header_converter ? settings->header_converter
                                                                 : "org.apache.kafka.connect.storage.SimpleHeaderConverter");
    w->override_policy = dup_or_null(settings->client_override_policy ? settings->client_override_policy : "All");
    if (!w->worker_props || !w->worker_id || !w->header_converter || !w->override_policy) {
        kc_worker_free(w);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    /* Worker.initConfigTransformer: an unknown provider class stops the worker here */
    if (!(w->providers = kc_config_providers_new(w->worker_props, KC_PROVIDERS_CONNECT, err))) {
        kc_worker_free(w);
        return NULL;
    }
    w->settings.worker = w->worker_props;
    w->settings.worker_id = w->worker_id;
    w->settings.key_converter = w->key_converter;
    w->settings.value_converter = w->value_converter;
    w->settings.header_converter = w->header_converter;
    w->settings.client_override_policy = w->override_policy;
    w->offsets = offsets;
    w->listener = *listener;
    return w;
}

/* ---- connector context ----------------------------------------------------------------------- */

void kc_connector_context_request_reconfiguration(kc_connector_context *ctx)
{
    kc_worker *w = ctx->connector->worker;
    if (w->listener.on_reconfigure)
        w->listener.on_reconfigure(w->listener.opaque, ctx->connector->name);
}

void kc_connector_context_raise_error(kc_connector_context *ctx, const char *message)
{
    kc_worker *w = ctx->connector->worker;
    ctx->connector->state = KC_STATE_FAILED;
    kc_log(KC_LOG_ERROR, LOGGER, "[%s] connector failed: %s", ctx->connector->name, message);
    w->listener.on_connector(w->listener.opaque, ctx->connector->name, KC_STATE_FAILED, message);
}

static kc_worker_connector *find_connector(kc_worker *w, const char *name)
{
    for (kc_worker_connector *c = w->connectors; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int kc_worker_is_connector_running(kc_worker *w, const char *name) { return find_connector(w, name) != NULL; }

static void free_connector(kc_worker_connector *c)
{
    if (!c)
        return;
    if (c->instance && c->plugin->destroy)
        c->plugin->destroy(c->instance);
    kc_props_free(c->config);
    kc_props_free(c->raw_config);
    free(c->name);
    free(c);
}

int kc_worker_add_config_provider(kc_worker *w, const char *name, char *(*fn)(void *opaque, const char *path,
                                                                            const char *key),
                                  void *opaque, kc_error *err)
{
    return kc_config_providers_add_callback(w->providers, name, fn, opaque, err);
}

kc_props *kc_worker_transform_config_new(kc_worker *w, const kc_props *config, kc_error *err)
{
    return kc_config_providers_transform_new(w->providers, config, err);
}

int kc_worker_start_connector(kc_worker *w, const char *name, const kc_props *config, kc_target_state target,
                              kc_error *err)
{
    if (find_connector(w, name))
        return kc_error_set(err, KC_ERR_CONFLICT, "Connector with name %s already exists", name);
    /* ClusterConfigState.connectorConfig: the connector sees its config with ${...} resolved; a
     * provider's error (an unreadable file) fails the connector, as Java's ConfigException does */
    kc_props *resolved = kc_config_providers_transform_new(w->providers, config, err);
    if (!resolved)
        goto failed;
    const char *cls = kc_props_get(resolved, "connector.class");
    const kc_plugin_desc *desc = kc_plugins_find(KC_PLUGIN_SOURCE, cls ? cls : "", err);
    if (!desc) {
        kc_props_free(resolved);
        goto failed;
    }
    kc_worker_connector *c = calloc(1, sizeof *c);
    if (!c || !(c->name = strdup(name)) || !(c->raw_config = kc_props_copy(config))) {
        kc_props_free(resolved);
        free_connector(c);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto failed;
    }
    c->config = resolved;
    config = resolved;
    c->plugin = desc->vtable;
    c->worker = w;
    c->state = KC_STATE_UNASSIGNED;
    c->next = w->connectors;
    w->connectors = c;
    kc_log(KC_LOG_INFO, LOGGER, "Creating connector %s of type %s", name, cls);
    if (target == KC_TARGET_STOPPED) {
        c->state = KC_STATE_STOPPED;
        w->listener.on_connector(w->listener.opaque, name, KC_STATE_STOPPED, NULL);
        return 0;
    }
    if (!(c->instance = c->plugin->create())) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto failed;
    }
    c->ctx.connector = c;
    if (c->plugin->start(c->instance, &c->ctx, config, err) != 0) {
        kc_error_prefix(err, "Failed to start connector %s", name);
        goto failed;
    }
    c->state = target == KC_TARGET_PAUSED ? KC_STATE_PAUSED : KC_STATE_RUNNING;
    kc_log(KC_LOG_INFO, LOGGER, "Finished creating connector %s", name);
    w->listener.on_connector(w->listener.opaque, name, c->state, NULL);
    return 0;
failed:
    kc_log(KC_LOG_ERROR, LOGGER, "[%s] %s", name, err->msg);
    if (find_connector(w, name))
        find_connector(w, name)->state = KC_STATE_FAILED;
    w->listener.on_connector(w->listener.opaque, name, KC_STATE_FAILED, err->msg);
    return -1;
}

int kc_worker_connector_task_configs(kc_worker *w, const char *name, kc_task_configs *out, kc_error *err)
{
    kc_worker_connector *c = find_connector(w, name);
    if (!c || !c->instance)
        return kc_error_set(err, KC_ERR_NOT_FOUND, "Connector %s not found", name);
    const char *max = kc_props_get(c->config, "tasks.max");
    int max_tasks = max ? atoi(max) : 1;
    if (max_tasks < 1)
        max_tasks = 1;
    if (c->plugin->task_configs(c->instance, max_tasks, out, err) != 0)
        return -1;
    const char *enforce = kc_props_get(c->config, "tasks.max.enforce");
    if ((int)out->count > max_tasks) {
        if (!enforce || strcasecmp(enforce, "false") != 0) {
            kc_error_set(err, KC_ERR_INVALID, "The connector %s has generated %zu tasks, which is greater than %d, "
                                              "the maximum number of tasks it is configured to create. ",
                         name, out->count, max_tasks);
            kc_task_configs_clear(out);
            return -1;
        }
        kc_log(KC_LOG_WARN, LOGGER, "The connector %s has generated %zu tasks, which is greater than %d, the maximum "
                                    "number of tasks it is configured to create. This behavior is deprecated",
               name, out->count, max_tasks);
    }
    /* Java adds task.class (the task's class name) to each task config */
    for (size_t i = 0; i < out->count; i++) {
        char cls[512];
        const char *conn = c->plugin->class_name;
        size_t n = strlen(conn);
        if (n > 9 && strcmp(conn + n - 9, "Connector") == 0)
            n -= 9;
        snprintf(cls, sizeof cls, "%.*sTask", (int)n, conn);
        if (kc_props_set(out->items[i], "task.class", cls) != 0) {
            kc_task_configs_clear(out);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        /* AbstractHerder.reverseTransform: keys whose stored connector value holds a ${...}
         * reference get that raw value back, so resolved secrets never reach the config store */
        if (kc_config_providers_reverse_transform(c->raw_config, out->items[i], err) != 0) {
            kc_task_configs_clear(out);
            return -1;
        }
    }
    return 0;
}

void kc_worker_stop_connector(kc_worker *w, const char *name)
{
    kc_worker_connector **pp = &w->connectors;
    while (*pp && strcmp((*pp)->name, name) != 0)
        pp = &(*pp)->next;
    kc_worker_connector *c = *pp;
    if (!c)
        return;
    *pp = c->next;
    kc_log(KC_LOG_INFO, LOGGER, "Stopping connector %s", name);
    if (c->instance && c->plugin->stop)
        c->plugin->stop(c->instance);
    free_connector(c);
}

/* ---- client settings -------------------------------------------------------------------------- */

static int copy_prefixed(kc_props *dst, const kc_props *src, const char *prefix)
{
    kc_props *sub = kc_props_subset(src, prefix, 1);
    if (!sub)
        return -1;
    int rc = kc_props_merge(dst, sub);
    kc_props_free(sub);
    return rc;
}

int kc_worker_override_allowed(const char *policy, const char *key)
{
    if (!policy || strcasecmp(policy, "All") == 0 || strstr(policy, "AllConnectorClientConfigOverridePolicy"))
        return 1;
    if (strcasecmp(policy, "Principal") == 0 || strstr(policy, "PrincipalConnectorClientConfigOverridePolicy"))
        return strcmp(key, "sasl.jaas.config") == 0 || strcmp(key, "sasl.mechanism") == 0 ||
               strcmp(key, "security.protocol") == 0;
    return 0;
}

const char *kc_worker_override_policy_name(const char *policy)
{
    if (!policy || strcasecmp(policy, "All") == 0 || strstr(policy, "AllConnectorClientConfigOverridePolicy"))
        return "All";
    if (strcasecmp(policy, "Principal") == 0 || strstr(policy, "PrincipalConnectorClientConfigOverridePolicy"))
        return "Principal";
    if (strcasecmp(policy, "None") == 0 || strstr(policy, "NoneConnectorClientConfigOverridePolicy"))
        return "None";
    return policy;
}

kc_props *kc_worker_client_props(kc_worker *w, const char *kind, const kc_props *connector_config,
                                 const char *connector, int task, kc_error *err)
{
    kc_props *p = kc_props_new();
    if (!p)
        goto oom;
    const char *bootstrap = kc_props_get(w->worker_props, "bootstrap.servers");
    if (kc_props_set(p, "bootstrap.servers", bootstrap ? bootstrap : "localhost:9092"))
        goto oom;
    char client_id[512], prefix[64];
    if (strcmp(kind, "producer") == 0) {
        snprintf(client_id, sizeof client_id, "connector-producer-%s-%d", connector, task);
        if (kc_props_set(p, "enable.idempotence", "false") || kc_props_set(p, "acks", "all") ||
            kc_props_set(p, "max.in.flight.requests.per.connection", "1") ||
            kc_props_set(p, "delivery.timeout.ms", "2147483647") || kc_props_set(p, "client.id", client_id))
            goto oom;
    } else if (strcmp(kind, "consumer") == 0) {
        char group[512];
        snprintf(group, sizeof group, "connect-%s", connector);
        snprintf(client_id, sizeof client_id, "connector-consumer-%s-%d", connector, task);
        if (kc_props_set(p, "group.id", group) || kc_props_set(p, "client.id", client_id) ||
            kc_props_set(p, "enable.auto.commit", "false") || kc_props_set(p, "auto.offset.reset", "earliest"))
            goto oom;
    } else {
        snprintf(client_id, sizeof client_id, "connector-adminclient-%s-%d", connector, task);
        if (kc_props_set(p, "client.id", client_id))
            goto oom;
    }
    snprintf(prefix, sizeof prefix, "%s.", kind);
    if (copy_prefixed(p, w->worker_props, prefix))
        goto oom;
    snprintf(prefix, sizeof prefix, "%s.override.", kind);
    kc_props *overrides = connector_config ? kc_props_subset(connector_config, prefix, 1) : kc_props_new();
    if (!overrides)
        goto oom;
    for (size_t i = 0; i < kc_props_count(overrides); i++) {
        const char *key = kc_props_key_at(overrides, i);
        if (!kc_worker_override_allowed(w->override_policy, key)) {
            kc_error_set(err, KC_ERR_INVALID, "The '%s' policy does not allow '%s' to be overridden in the connector "
                                              "configuration.", kc_worker_override_policy_name(w->override_policy), key);
            kc_props_free(overrides);
            kc_props_free(p);
            return NULL;
        }
    }
    int rc = kc_props_merge(p, overrides);
    kc_props_free(overrides);
    if (rc)
        goto oom;
    return p;
oom:
    kc_props_free(p);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return NULL;
}

/* ---- tasks ------------------------------------------------------------------------------------ */

void kc_worker_task_report(kc_worker_task *t, kc_state state, const char *trace)
{
    kc_worker *w = t->worker;
    kc_log(state == KC_STATE_FAILED ? KC_LOG_ERROR : KC_LOG_INFO, LOGGER, "%s state %s%s%s", t->name,
           kc_state_name(state), trace ? ": " : "", trace ? trace : "");
    w->listener.on_task(w->listener.opaque, t->connector, t->id, state, trace);
}

void kc_worker_task_topic(kc_worker_task *t, const char *topic)
{
    for (size_t i = 0; i < t->topic_count; i++)
        if (strcmp(t->topics[i], topic) == 0)
            return;
    char **grown = realloc(t->topics, (t->topic_count + 1) * sizeof *grown);
    if (!grown || !(grown[t->topic_count] = strdup(topic))) {
        if (grown)
            t->topics = grown;
        return;
    }
    t->topics = grown;
    t->topic_count++;
    if (t->worker->listener.on_topic)
        t->worker->listener.on_topic(t->worker->listener.opaque, t->connector, t->id, topic);
}

bool kc_worker_task_stopping(kc_worker_task *t)
{
    pthread_mutex_lock(&t->lock);
    bool s = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return s;
}

bool kc_worker_task_await_running(kc_worker_task *t)
{
    pthread_mutex_lock(&t->lock);
    bool reported = false;
    while (!t->stopping && t->target == KC_TARGET_PAUSED) {
        if (!reported) {
            pthread_mutex_unlock(&t->lock);
            kc_worker_task_report(t, KC_STATE_PAUSED, NULL);
            pthread_mutex_lock(&t->lock);
            reported = true;
            continue;
        }
        pthread_cond_wait(&t->cond, &t->lock);
    }
    bool stop = t->stopping;
    pthread_mutex_unlock(&t->lock);
    if (reported && !stop)
        kc_worker_task_report(t, KC_STATE_RUNNING, NULL);
    return stop;
}

void kc_worker_task_sleep(kc_worker_task *t, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->lock);
    while (!t->stopping && pthread_cond_timedwait(&t->cond, &t->lock, &until) == 0)
        ;
    pthread_mutex_unlock(&t->lock);
}

static void free_task(kc_worker_task *t)
{
    if (!t)
        return;
    if (t->instance) {
        if (t->plugin->kind == KC_PLUGIN_SOURCE && t->plugin->source_task->destroy)
            t->plugin->source_task->destroy(t->instance);
        else if (t->plugin->kind == KC_PLUGIN_SINK && t->plugin->sink_task->destroy)
            t->plugin->sink_task->destroy(t->instance);
    }
    kc_converter_free(t->key_converter);
    kc_converter_free(t->value_converter);
    kc_converter_free(t->header_converter);
    kc_transformation_chain_free(t->chain);
    kc_errors_policy_clear(&t->errors);
    for (size_t i = 0; i < t->topic_count; i++)
        free(t->topics[i]);
    free(t->topics);
    kc_props_free(t->connector_config);
    kc_props_free(t->task_config);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t->connector);
    free(t);
}

/* A converter for the task: the connector's <which>.converter, else the worker's, configured with
 * the connector's (or worker's) <which>.converter.* keys. */
static kc_converter *task_converter(kc_worker *w, const kc_props *cc, const char *which, kc_converter_type type,
                                    kc_error *err)
{
    char key[64], prefix[64];
    snprintf(key, sizeof key, "%s.converter", which);
    snprintf(prefix, sizeof prefix, "%s.converter.", which);
    const char *cls = kc_props_get(cc, key);
    const kc_props *source = cc;
    if (!cls) {
        cls = kc_props_get(w->worker_props, key);
        source = w->worker_props;
    }
    if (!cls && strcmp(which, "header") == 0)
        cls = w->header_converter;
    if (!cls) {
        kc_error_set(err, KC_ERR_INVALID, "Missing required configuration \"%s\" which has no default value.", key);
        return NULL;
    }
    kc_props *conf = kc_props_subset(source, prefix, 1);
    if (!conf) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    kc_converter *c = kc_converter_new(cls, conf, type, err);
    kc_props_free(conf);
    return c;
}

int kc_worker_start_task(kc_worker *w, const char *connector, int task, const kc_props *raw_connector_config,
                         const kc_props *raw_task_config, kc_target_state target, kc_error *err)
{
    kc_worker_task *t = calloc(1, sizeof *t);
    if (!t) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return -1;
    }
    /* ClusterConfigState.connectorConfig / taskConfig: both resolved; a provider's error fails the task */
    const kc_props *connector_config = NULL;
    const kc_plugin_desc *desc = NULL;
    if ((t->connector_config = kc_config_providers_transform_new(w->providers, raw_connector_config, err)) &&
        (t->task_config = kc_config_providers_transform_new(w->providers, raw_task_config, err))) {
        connector_config = t->connector_config;
        const char *cls = kc_props_get(connector_config, "connector.class");
        desc = kc_plugins_find(KC_PLUGIN_SOURCE, cls ? cls : "", err);
    }
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    t->worker = w;
    t->id = task;
    t->target = target;
    snprintf(t->name, sizeof t->name, "%s-%d", connector, task);
    if (!desc)
        goto failed;
    t->plugin = desc->vtable;
    bool sink = t->plugin->kind == KC_PLUGIN_SINK;
    if (!(t->connector = strdup(connector))) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto failed;
    }
    if (kc_errors_policy_init(&t->errors, connector_config, sink, err) ||
        !(t->key_converter = task_converter(w, connector_config, "key", KC_CONVERTER_KEY, err)) ||
        !(t->value_converter = task_converter(w, connector_config, "value", KC_CONVERTER_VALUE, err)) ||
        !(t->header_converter = task_converter(w, connector_config, "header", KC_CONVERTER_HEADER, err)) ||
        !(t->chain = kc_transformation_chain_new(connector_config, err)))
        goto failed;
    t->instance = sink ? t->plugin->sink_task->create() : t->plugin->source_task->create();
    if (!t->instance) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto failed;
    }
    pthread_mutex_lock(&w->lock);
    t->next = w->tasks;
    w->tasks = t;
    pthread_mutex_unlock(&w->lock);
    if (pthread_create(&t->thread, NULL, sink ? kc_sink_task_run : kc_source_task_run, t) != 0) {
        pthread_mutex_lock(&w->lock);
        w->tasks = t->next;
        pthread_mutex_unlock(&w->lock);
        kc_error_set(err, KC_ERR_INTERNAL, "cannot start a thread for task %s", t->name);
        goto failed;
    }
    t->thread_started = true;
    kc_log(KC_LOG_INFO, LOGGER, "Starting task %s", t->name);
    return 0;
failed:
    kc_log(KC_LOG_ERROR, LOGGER, "Failed to start task %s: %s", t->name, err->msg);
    w->listener.on_task(w->listener.opaque, connector, task, KC_STATE_FAILED, err->msg);
    free_task(t);
    return -1;
}

/* Signals the task to stop; the thread joins later. */
static void signal_stop(kc_worker_task *t)
{
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    if (t->plugin->kind == KC_PLUGIN_SOURCE && t->plugin->source_task->stop)
        t->plugin->source_task->stop(t->instance);
}

typedef struct stop_spec {
    const char *const *connectors;
    const int *tasks;     /* -1: every task of connectors[i] */
    size_t n;
} stop_spec;

static bool spec_matches(const stop_spec *s, const kc_worker_task *t)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(t->connector, s->connectors[i]) == 0 && (s->tasks[i] < 0 || t->id == s->tasks[i]))
            return true;
    return false;
}

/* Joins and frees the abandoned tasks that have finished by now (all of them when wait). */
static void reap_abandoned(kc_worker *w, bool wait)
{
    kc_worker_task **pp = &w->abandoned;
    while (*pp) {
        kc_worker_task *t = *pp;
        pthread_mutex_lock(&t->lock);
        bool finished = t->finished;
        pthread_mutex_unlock(&t->lock);
        if (!finished && !wait) {
            pp = &t->next;
            continue;
        }
        *pp = t->next;
        pthread_join(t->thread, NULL);
        free_task(t);
    }
}

/* Signals every matching task to stop, then waits for them together, up to
 * task.shutdown.graceful.timeout.ms in all (Java: Worker.stopAndAwaitTasks). A task still running
 * after that is abandoned as Java does: its thread finishes (and closes its clients) in the
 * background and is joined later; the caller goes on. */
static void stop_matching_spec(kc_worker *w, const stop_spec *spec)
{
    kc_worker_task *stopped = NULL;
    pthread_mutex_lock(&w->lock);
    kc_worker_task **pp = &w->tasks;
    while (*pp) {
        kc_worker_task *t = *pp;
        if (spec_matches(spec, t)) {
            *pp = t->next;
            t->next = stopped;
            stopped = t;
        } else {
            pp = &t->next;
        }
    }
    pthread_mutex_unlock(&w->lock);
    for (kc_worker_task *t = stopped; t; t = t->next)
        signal_stop(t);
    int64_t deadline = kc_now_ms() + w->settings.task_shutdown_graceful_timeout_ms;
    while (stopped) {
        kc_worker_task *t = stopped;
        stopped = t->next;
        pthread_mutex_lock(&t->lock);
        while (!t->finished && kc_now_ms() < deadline) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 50 * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&t->cond, &t->lock, &until);
        }
        bool finished = t->finished;
        pthread_mutex_unlock(&t->lock);
        if (finished) {
            pthread_join(t->thread, NULL);
            free_task(t);
            continue;
        }
        kc_log(KC_LOG_ERROR, LOGGER, "Graceful stop of task %s failed.", t->name);
        t->next = w->abandoned;
        w->abandoned = t;
    }
    reap_abandoned(w, false);
}

static void stop_matching(kc_worker *w, const char *connector, int task)
{
    stop_spec spec = {&connector, &task, 1};
    stop_matching_spec(w, &spec);
}

void kc_worker_stop_tasks(kc_worker *w, const char *connector) { stop_matching(w, connector, -1); }

void kc_worker_stop_task(kc_worker *w, const char *connector, int task) { stop_matching(w, connector, task); }

void kc_worker_stop_task_list(kc_worker *w, const char *const *connectors, const int *tasks, size_t n)
{
    stop_spec spec = {connectors, tasks, n};
    if (n)
        stop_matching_spec(w, &spec);
}

void kc_worker_set_target_state(kc_worker *w, const char *connector, kc_target_state target)
{
    kc_worker_connector *c = find_connector(w, connector);
    if (c && c->instance && target != KC_TARGET_STOPPED) {
        kc_state s = target == KC_TARGET_PAUSED ? KC_STATE_PAUSED : KC_STATE_RUNNING;
        if (c->state != s && c->state != KC_STATE_FAILED) {
            c->state = s;
            w->listener.on_connector(w->listener.opaque, connector, s, NULL);
        }
    }
    pthread_mutex_lock(&w->lock);
    for (kc_worker_task *t = w->tasks; t; t = t->next) {
        if (strcmp(t->connector, connector) != 0)
            continue;
        pthread_mutex_lock(&t->lock);
        t->target = target;
        pthread_cond_broadcast(&t->cond);
        pthread_mutex_unlock(&t->lock);
    }
    pthread_mutex_unlock(&w->lock);
}

int kc_worker_task_count(kc_worker *w, const char *connector)
{
    int n = 0;
    pthread_mutex_lock(&w->lock);
    for (kc_worker_task *t = w->tasks; t; t = t->next)
        if (strcmp(t->connector, connector) == 0)
            n++;
    pthread_mutex_unlock(&w->lock);
    return n;
}

void kc_worker_free(kc_worker *w)
{
    if (!w)
        return;
    while (w->tasks)
        stop_matching(w, w->tasks->connector, -1);
    reap_abandoned(w, true);
    while (w->connectors)
        kc_worker_stop_connector(w, w->connectors->name);
    kc_props_free(w->worker_props);
    kc_config_providers_free(w->providers);
    free(w->worker_id);
    free(w->key_converter);
    free(w->value_converter);
    free(w->header_converter);
    free(w->override_policy);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
