/* The config backing store on the config topic; see config_store.h. */
#include "storage/config_store.h"

#include <stdlib.h>
#include <string.h>

#include "connect/api/connector.h"
#include "connect/api/log.h"
#include "storage/config_records.h"
#include "storage/kafka_log.h"
#include "storage/store_clients.h"

#define READ_WRITE_TOTAL_TIMEOUT_MS 30000

typedef struct task_slot {
    int id;
    kc_props *config;
} task_slot;

/* What the topic says about one connector name. */
typedef struct entry {
    char *name;
    kc_props *config;          /* NULL: no connector config */
    bool has_target;
    kc_target_state target;
    task_slot *applied;        /* applied task configs (ids may exceed task_count) */
    size_t napplied;
    task_slot *deferred;       /* task configs read and not yet committed */
    size_t ndeferred;
    int32_t task_count;        /* from the last commit; -1 when none */
    bool inconsistent;
    struct entry *next;
} entry;

struct kc_config_store {
    char *topic;
    kc_kafka_log *log;
    kc_config_store_listener listener;
    entry *entries;
    int64_t offset;            /* next offset to read; -1 before any record */
    bool started;
    kc_error apply_err;        /* out of memory while applying (logged) */
};

/* ---- state ------------------------------------------------------------------------------------ */

static void slots_free(task_slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kc_props_free(s[i].config);
    free(s);
}

static entry *find(const kc_config_store *s, const char *name)
{
    for (entry *e = s->entries; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static entry *find_or_add(kc_config_store *s, const char *name)
{
    entry *e = find(s, name);
    if (e)
        return e;
    if (!(e = calloc(1, sizeof *e)) || !(e->name = strdup(name))) {
        free(e);
        return NULL;
    }
    e->task_count = -1;
    entry **tail = &s->entries;
    while (*tail)
        tail = &(*tail)->next;
    *tail = e;
    return e;
}

static kc_props *props_of(const kc_config_props *p)
{
    kc_props *out = kc_props_new();
    for (size_t i = 0; out && i < p->count; i++)
        if (p->values[i] && kc_props_set(out, p->keys[i], p->values[i]) != 0) {
            kc_props_free(out);
            return NULL;
        }
    return out;
}

/* Puts config for id into the slot list (replacing). Takes config. */
static int slot_put(task_slot **slots, size_t *n, int id, kc_props *config)
{
    for (size_t i = 0; i < *n; i++)
        if ((*slots)[i].id == id) {
            kc_props_free((*slots)[i].config);
            (*slots)[i].config = config;
            return 0;
        }
    task_slot *grown = realloc(*slots, (*n + 1) * sizeof *grown);
    if (!grown) {
        kc_props_free(config);
        return -1;
    }
    *slots = grown;
    grown[*n].id = id;
    grown[*n].config = config;
    (*n)++;
    return 0;
}

static kc_props *slot_get(task_slot *slots, size_t n, int id)
{
    for (size_t i = 0; i < n; i++)
        if (slots[i].id == id)
            return slots[i].config;
    return NULL;
}

/* Connector removal clean-up (§3.2(1)): configs, task count, applied and deferred task configs. */
static void drop_configs(entry *e)
{
    kc_props_free(e->config);
    e->config = NULL;
    slots_free(e->applied, e->napplied);
    e->applied = NULL;
    e->napplied = 0;
    slots_free(e->deferred, e->ndeferred);
    e->deferred = NULL;
    e->ndeferred = 0;
    e->task_count = -1;
    e->inconsistent = false;
}

/* The committed task configs 0..task_count-1 to the listener. */
static void notify_tasks(kc_config_store *s, entry *e)
{
    if (!s->listener.task_configs)
        return;
    size_t n = e->inconsistent || e->task_count <= 0 ? 0 : (size_t)e->task_count;
    kc_props **list = n ? calloc(n, sizeof *list) : NULL;
    if (n && !list) {
        kc_log(KC_LOG_ERROR, KC_CONFIG_STORE_LOGGER, "out of memory applying the task configs of %s", e->name);
        return;
    }
    for (size_t i = 0; i < n; i++)
        list[i] = slot_get(e->applied, e->napplied, (int)i);
    s->listener.task_configs(s->listener.opaque, e->name, list, n, e->inconsistent);
    free(list);
}

static void apply_commit(kc_config_store *s, entry *e, const kc_config_event *ev)
{
    if (!e->config) { /* step 1: no connector config: clean up, no notification */
        drop_configs(e);
        return;
    }
    if (!ev->commit_ok) { /* steps 2-3: logged, deferred configs kept */
        kc_log(KC_LOG_ERROR, KC_CONFIG_STORE_LOGGER, "%s", ev->reason);
        return;
    }
    int32_t n = ev->tasks;
    int *ids = e->ndeferred ? calloc(e->ndeferred, sizeof *ids) : NULL;
    for (size_t i = 0; ids && i < e->ndeferred; i++)
        ids[i] = e->deferred[i].id;
    bool complete = kc_config_task_ids_complete(ids, ids ? e->ndeferred : 0, n);
    free(ids);
    if (!complete) {
        kc_log(KC_LOG_ERROR, KC_CONFIG_STORE_LOGGER,
               "We have reconfigured the connector %s, but the task configs are not complete: found %zu of %d; "
               "the connector has no tasks until a complete set is committed", e->name, e->ndeferred, (int)n);
        e->inconsistent = true;
    } else {
        for (size_t i = 0; i < e->ndeferred; i++) {
            slot_put(&e->applied, &e->napplied, e->deferred[i].id, e->deferred[i].config);
            e->deferred[i].config = NULL;
        }
        e->inconsistent = false;
    }
    slots_free(e->deferred, e->ndeferred);
    e->deferred = NULL;
    e->ndeferred = 0;
    e->task_count = n;
    notify_tasks(s, e);
}

static void apply(kc_config_store *s, kc_config_event *ev)
{
    entry *e = NULL;
    bool own_namespace = ev->kind == KC_CONFIG_EV_LOGGER_LEVEL || ev->kind == KC_CONFIG_EV_REPLICATION ||
                         ev->kind == KC_CONFIG_EV_REPLICATION_REMOVED; /* not connector names */
    if (ev->connector && !own_namespace && !(e = find_or_add(s, ev->connector))) {
        kc_log(KC_LOG_ERROR, KC_CONFIG_STORE_LOGGER, "out of memory applying a config record");
        return;
    }
    switch (ev->kind) {
    case KC_CONFIG_EV_CONNECTOR_CONFIG: {
        kc_props *p = props_of(&ev->props);
        if (!p)
            return;
        kc_props_free(e->config);
        e->config = p;
        bool new_target = !e->has_target;
        if (new_target) {
            e->has_target = true;
            e->target = KC_TARGET_STARTED;
        }
        if (s->listener.connector_config)
            s->listener.connector_config(s->listener.opaque, e->name, e->config);
        if (s->listener.target_state)
            s->listener.target_state(s->listener.opaque, e->name, e->target);
        break;
    }
    case KC_CONFIG_EV_CONNECTOR_REMOVED: {
        bool had = e->config != NULL;
        drop_configs(e);
        if (had && s->listener.connector_config)
            s->listener.connector_config(s->listener.opaque, e->name, NULL);
        break;
    }
    case KC_CONFIG_EV_TASK_CONFIG: {
        kc_props *p = props_of(&ev->props);
        if (p)
            slot_put(&e->deferred, &e->ndeferred, ev->task, p);
        break;
    }
    case KC_CONFIG_EV_COMMIT:
        apply_commit(s, e, ev);
        break;
    case KC_CONFIG_EV_TARGET_STATE: {
        bool changed = !e->has_target || e->target != ev->target;
        e->has_target = true;
        e->target = ev->target;
        if (changed && e->config && s->listener.target_state)
            s->listener.target_state(s->listener.opaque, e->name, e->target);
        break;
    }
    case KC_CONFIG_EV_TARGET_STATE_REMOVED:
        e->has_target = e->config != NULL; /* STARTED comes back while a config exists */
        e->target = KC_TARGET_STARTED;
        break;
    case KC_CONFIG_EV_TASK_COUNT:
        break; /* exactly-once fencing bookkeeping: not used by kconnect */
    case KC_CONFIG_EV_SESSION_KEY:
        if (s->listener.session_key)
            s->listener.session_key(s->listener.opaque, ev->session_key, ev->session_key_len, ev->algorithm,
                                    ev->creation_ms);
        break;
    case KC_CONFIG_EV_RESTART:
        if (s->started && s->listener.restart)
            s->listener.restart(s->listener.opaque, e->name, ev->include_tasks, ev->only_failed);
        break;
    case KC_CONFIG_EV_LOGGER_LEVEL:
        if (s->started && s->listener.logger_level && ev->connector && ev->level)
            s->listener.logger_level(s->listener.opaque, ev->connector, ev->level);
        break;
    case KC_CONFIG_EV_REPLICATION:
    case KC_CONFIG_EV_REPLICATION_REMOVED:
        if (s->listener.replication && ev->connector)
            s->listener.replication(s->listener.opaque, ev->connector, ev->text);
        break;
    default:
        break;
    }
}

static void on_record(void *opaque, const kc_kafka_log_record *r)
{
    kc_config_store *s = opaque;
    kc_config_event ev;
    kc_error err;
    if (kc_config_record_decode(r->key, r->key_len, r->value, r->value_len, &ev, &err) != 0) {
        kc_log(KC_LOG_ERROR, KC_CONFIG_STORE_LOGGER, "Failed to read a config record: %s", err.msg);
        kc_config_event_free(&ev);
        return;
    }
    if (ev.kind != KC_CONFIG_EV_NOT_JSON)
        s->offset = r->offset + 1;
    apply(s, &ev);
    kc_config_event_free(&ev);
}

/* ---- life cycle ------------------------------------------------------------------------------- */

kc_config_store *kc_config_store_new(const kc_worker_config *wc, const char *client_id_base,
                                     const kc_config_store_listener *listener, kc_error *err)
{
    if (!wc->config_storage_topic || !*wc->config_storage_topic) {
        kc_error_set(err, KC_ERR_INVALID, "Must specify topic for connector configuration.");
        return NULL;
    }
    kc_config_store *s = calloc(1, sizeof *s);
    char id[600];
    kc_store_client_id(wc, client_id_base, "configs", id, sizeof id);
    kc_props *props = s ? kc_store_client_props_new(wc, id, err) : NULL;
    kc_props *topic_configs = props ? kc_store_topic_settings_new(wc, "config.storage.", err) : NULL;
    if (!s || !topic_configs || !(s->topic = strdup(wc->config_storage_topic))) {
        kc_props_free(props);
        kc_props_free(topic_configs);
        kc_config_store_free(s);
        if (err && !err->msg[0])
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    kc_kafka_log_topic_spec spec = {
        .partitions = 1,
        .replication_factor = wc->config_storage_replication_factor,
        .configs = topic_configs,
        .property = "config.storage.topic",
        .purpose = "connector configurations",
        .require_single_partition = 1,
    };
    kc_store_topic_spec_timeouts(wc, &spec);
    if (listener)
        s->listener = *listener;
    s->offset = -1;
    s->log = kc_kafka_log_new(s->topic, props, props, props, &spec, on_record, s, err);
    kc_props_free(props);
    kc_props_free(topic_configs);
    if (!s->log) {
        kc_config_store_free(s);
        return NULL;
    }
    return s;
}

void kc_config_store_free(kc_config_store *s)
{
    if (!s)
        return;
    kc_kafka_log_free(s->log);
    while (s->entries) {
        entry *e = s->entries;
        s->entries = e->next;
        drop_configs(e);
        free(e->name);
        free(e);
    }
    free(s->topic);
    free(s);
}

int kc_config_store_start(kc_config_store *s, int timeout_ms, kc_error *err)
{
    kc_log(KC_LOG_INFO, KC_CONFIG_STORE_LOGGER, "Starting KafkaConfigBackingStore");
    if (kc_kafka_log_start(s->log, timeout_ms, err) != 0)
        return -1;
    s->started = true;
    kc_log(KC_LOG_INFO, KC_CONFIG_STORE_LOGGER, "Started KafkaConfigBackingStore");
    return 0;
}

void kc_config_store_stop(kc_config_store *s)
{
    if (s && s->log)
        kc_kafka_log_stop(s->log);
}

int kc_config_store_read_to_end(kc_config_store *s, int timeout_ms, kc_error *err)
{
    return kc_kafka_log_read_to_end(s->log, timeout_ms, err);
}

int kc_config_store_poll(kc_config_store *s, int timeout_ms) { return kc_kafka_log_poll(s->log, timeout_ms); }

int64_t kc_config_store_offset(const kc_config_store *s) { return s->offset; }

int kc_config_store_contains(const kc_config_store *s, const char *connector)
{
    const entry *e = find(s, connector);
    return e && e->config;
}

/* ---- writes ----------------------------------------------------------------------------------- */

static int send(kc_config_store *s, const char *key, const char *value, size_t len, kc_error *err)
{
    if (!key)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = kc_kafka_log_send(s->log, key, strlen(key), value, len, 0, READ_WRITE_TOTAL_TIMEOUT_MS, NULL, NULL, err);
    if (rc != 0)
        kc_error_prefix(err, "Error writing %s to the config topic %s", key, s->topic);
    return rc;
}

static int send_owned(kc_config_store *s, char *key, char *value, size_t len, kc_error *err)
{
    int rc = send(s, key, value, len, err);
    free(key);
    free(value);
    return rc;
}

static int read_back(kc_config_store *s, kc_error *err)
{
    if (kc_kafka_log_read_to_end(s->log, READ_WRITE_TOTAL_TIMEOUT_MS, err) != 0)
        return kc_error_prefix(err, "Failed to read the config topic back after writing");
    return 0;
}

int kc_config_store_put_connector(kc_config_store *s, const char *connector, const kc_props *config, int target,
                                  kc_error *err)
{
    size_t len;
    if (target >= 0) {
        char *v = kc_config_value_target_state((kc_target_state)target, &len, err);
        if (!v || send_owned(s, kc_config_key_target_state(connector), v, len, err) != 0)
            return -1;
    }
    char *v = kc_config_value_properties_from(config, &len, err);
    if (!v || send_owned(s, kc_config_key_connector(connector), v, len, err) != 0)
        return -1;
    return read_back(s, err);
}

int kc_config_store_remove_connector(kc_config_store *s, const char *connector, kc_error *err)
{
    char *k1 = kc_config_key_connector(connector), *k2 = kc_config_key_target_state(connector);
    int rc = send(s, k1, NULL, 0, err) == 0 && send(s, k2, NULL, 0, err) == 0 ? read_back(s, err) : -1;
    free(k1);
    free(k2);
    return rc;
}

int kc_config_store_put_task_configs(kc_config_store *s, const char *connector, kc_props *const *tasks, size_t n,
                                     kc_error *err)
{
    if (read_back(s, err) != 0)
        return -1;
    const entry *e = find(s, connector);
    if (n > 0 && e && e->has_target && e->target == KC_TARGET_STOPPED)
        return kc_error_set(err, KC_ERR_INVALID, "Cannot submit non-empty set of task configs for stopped connector %s",
                            connector);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *v = kc_config_value_properties_from(tasks[i], &len, err);
        if (!v || send_owned(s, kc_config_key_task(connector, (int)i), v, len, err) != 0)
            return -1;
    }
    if (n > 0 && read_back(s, err) != 0)
        return -1;
    size_t len;
    char *v = kc_config_value_commit((int32_t)n, &len, err);
    if (!v || send_owned(s, kc_config_key_commit(connector), v, len, err) != 0)
        return -1;
    return read_back(s, err);
}

int kc_config_store_put_session_key(kc_config_store *s, const unsigned char *key, size_t key_len,
                                    const char *algorithm, int64_t creation_ms, kc_error *err)
{
    size_t len;
    char *v = kc_config_value_session_key(key, key_len, algorithm, creation_ms, &len, err);
    if (!v || send_owned(s, strdup(KC_CONFIG_SESSION_KEY_KEY), v, len, err) != 0)
        return -1;
    return read_back(s, err);
}

int kc_config_store_put_restart(kc_config_store *s, const char *connector, bool include_tasks, bool only_failed,
                                kc_error *err)
{
    size_t len;
    char *v = kc_config_value_restart(include_tasks, only_failed, &len, err);
    if (!v || send_owned(s, kc_config_key_restart(connector), v, len, err) != 0)
        return -1;
    return read_back(s, err);
}

int kc_config_store_put_target_state(kc_config_store *s, const char *connector, kc_target_state state,
                                     kc_error *err)
{
    size_t len;
    char *v = kc_config_value_target_state(state, &len, err);
    if (!v)
        return -1;
    return send_owned(s, kc_config_key_target_state(connector), v, len, err);
}

int kc_config_store_put_replication(kc_config_store *s, const char *name, const char *value, kc_error *err)
{
    char *key = kc_config_key_replication(name);
    if (!key)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = send(s, key, value, value ? strlen(value) : 0, err);
    free(key);
    return rc != 0 ? -1 : read_back(s, err);
}

int kc_config_store_put_logger_level(kc_config_store *s, const char *namespace_, const char *level, kc_error *err)
{
    size_t len;
    char *v = kc_config_value_logger_level(level, &len, err);
    if (!v)
        return -1;
    return send_owned(s, kc_config_key_logger(namespace_), v, len, err);
}
