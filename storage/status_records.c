/* Status topic records: keys, value bytes, read rules and the generation rules (storage spec §5). */
#include "storage/status_records.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/worker/json_writer.h"
#include "storage/config_records.h"
#include "storage/records_internal.h"

#define LOGGER KC_STATUS_STORE_LOGGER

char *kc_status_key_connector(const char *connector)
{
    return kc_records_concat(KC_STATUS_CONNECTOR_PREFIX, connector, NULL);
}

char *kc_status_key_task(const char *connector, int task)
{
    char num[16];
    snprintf(num, sizeof num, "-%d", task);
    return kc_records_concat(KC_STATUS_TASK_PREFIX, connector, num);
}

char *kc_status_key_topic(const char *topic, const char *connector)
{
    char *head = kc_records_concat(KC_STATUS_TOPIC_PREFIX, topic, KC_STATUS_TOPIC_SEPARATOR);
    if (!head)
        return NULL;
    char *key = kc_records_concat(head, connector, NULL);
    free(head);
    return key;
}

bool kc_status_is_tombstone(kc_state state)
{
    return state == KC_STATE_DESTROYED;
}

/* AbstractStatus.State names, exact case (Java valueOf). */
static const char *const state_names[] = {"UNASSIGNED", "RUNNING", "PAUSED", "FAILED", "RESTARTING", "STOPPED",
                                          "DESTROYED"};
static const kc_state state_values[] = {KC_STATE_UNASSIGNED, KC_STATE_RUNNING,    KC_STATE_PAUSED,
                                        KC_STATE_FAILED,     KC_STATE_RESTARTING, KC_STATE_STOPPED,
                                        KC_STATE_DESTROYED};

static const char *state_name(kc_state s)
{
    for (size_t i = 0; i < sizeof state_values / sizeof state_values[0]; i++)
        if (state_values[i] == s)
            return state_names[i];
    return NULL;
}

static int state_parse(const char *text, size_t len, kc_state *out)
{
    for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
        if (strlen(state_names[i]) == len && memcmp(state_names[i], text, len) == 0) {
            *out = state_values[i];
            return 0;
        }
    return -1;
}

static char *finish(kc_json_writer *w, size_t *len, kc_error *err)
{
    size_t n = 0;
    char *out = kc_json_writer_take(w, &n, err);
    kc_json_writer_free(w);
    if (len)
        *len = out ? n : 0;
    return out;
}

static void wkey(kc_json_writer *w, const char *k)
{
    kc_json_write_key(w, k, strlen(k));
}

char *kc_status_value_encode(kc_state state, const char *trace, const char *worker_id, int32_t generation,
                             size_t *len, kc_error *err)
{
    const char *name = state_name(state);
    if (len)
        *len = 0;
    if (!name || state == KC_STATE_DESTROYED) {
        kc_error_set(err, KC_ERR_INVALID, "status %s is written as a tombstone, not encoded", name ? name : "?");
        return NULL;
    }
    if (!worker_id) {
        kc_error_set(err, KC_ERR_INVALID, "a status needs a worker id");
        return NULL;
    }
    kc_json_writer w;
    kc_json_writer_init(&w, KC_STATUS_RECORD_MAX_VALUE);
    kc_json_begin_object(&w);
    wkey(&w, "state");
    kc_json_write_string(&w, name, strlen(name));
    wkey(&w, "trace");
    if (trace)
        kc_json_write_string(&w, trace, strlen(trace));
    else
        kc_json_write_null(&w);
    wkey(&w, "worker_id");
    kc_json_write_string(&w, worker_id, strlen(worker_id));
    wkey(&w, "generation");
    kc_json_write_int64(&w, generation);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

char *kc_status_topic_value_encode(const char *topic, const char *connector, int32_t task, int64_t discover_ms,
                                   size_t *len, kc_error *err)
{
    if (len)
        *len = 0;
    if (!topic || !connector) {
        kc_error_set(err, KC_ERR_INVALID, "a topic status needs a topic and a connector");
        return NULL;
    }
    kc_json_writer w;
    kc_json_writer_init(&w, KC_STATUS_RECORD_MAX_VALUE);
    kc_json_begin_object(&w);
    wkey(&w, "topic");
    kc_json_begin_object(&w);
    wkey(&w, "name");
    kc_json_write_string(&w, topic, strlen(topic));
    wkey(&w, "connector");
    kc_json_write_string(&w, connector, strlen(connector));
    wkey(&w, "task");
    kc_json_write_int64(&w, task);
    wkey(&w, "discoverTimestamp");
    kc_json_write_int64(&w, discover_ms);
    kc_json_end_object(&w);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

bool kc_status_can_write_safely(const kc_status_value *cached, const char *worker_id, int32_t generation)
{
    if (!cached)
        return true;
    /* Java: value.workerId().equals(status.workerId()); a cached status without a worker id (only
     * possible from a hand-written record) would throw there; kconnect treats it as a different
     * worker and falls through to the generation test. */
    if (cached->worker_id && worker_id && strcmp(cached->worker_id, worker_id) == 0)
        return true;
    return cached->generation <= generation;
}

bool kc_status_task_read_replaces(const kc_status_value *cached, const kc_status_value *incoming)
{
    return !(incoming->state == KC_STATE_UNASSIGNED && cached && cached->state == KC_STATE_RUNNING &&
             cached->generation >= incoming->generation);
}

void kc_status_value_clear(kc_status_value *v)
{
    if (!v)
        return;
    free(v->trace);
    free(v->worker_id);
    memset(v, 0, sizeof *v);
}

void kc_status_event_free(kc_status_event *ev)
{
    if (!ev)
        return;
    free(ev->connector);
    free(ev->topic);
    free(ev->status.trace);
    free(ev->status.worker_id);
    free(ev->topic_status.topic);
    free(ev->topic_status.connector);
    memset(ev, 0, sizeof *ev);
}

static void ignore(kc_status_event *ev, kc_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ignore(kc_status_event *ev, kc_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->reason, sizeof ev->reason, fmt, ap);
    va_end(ap);
    ev->kind = KC_STATUS_EV_IGNORED;
    kc_log(level, LOGGER, "%s", ev->reason);
}

static bool has_prefix(const char *key, size_t len, const char *prefix)
{
    size_t pl = strlen(prefix);
    return len >= pl && memcmp(key, prefix, pl) == 0;
}

/* A string-or-null field, as Java's (String) cast: absent/null gives NULL, another type fails. */
static int opt_string(const kc_json_node *root, const char *name, char **out)
{
    const kc_json_node *f = kc_records_field(root, name);
    *out = NULL;
    if (!f)
        return 0;
    if (f->type != KC_JSON_STRING)
        return -1;
    *out = kc_records_strndup(f->text, f->text_len);
    return *out ? 0 : -2;
}

/* parseConnectorStatus / parseTaskStatus. 0; -1 parse failure (why set); -2 OOM. */
static int parse_status(const void *value, size_t value_len, kc_status_value *st, char *why, size_t why_len)
{
    kc_json_node *root = NULL;
    kc_error perr;
    kc_error_clear(&perr);
    int rc = -1;
    if (kc_records_parse_value(value, value_len, KC_STATUS_RECORD_MAX_VALUE, &root, &perr) != 0) {
        snprintf(why, why_len, "%.200s", perr.msg);
        return -1;
    }
    if (!root || root->type != KC_JSON_OBJECT) {
        snprintf(why, why_len, "value is %s, not a map", kc_records_java_class(root));
        goto out;
    }
    const kc_json_node *s = kc_records_field(root, "state");
    if (!s || s->type != KC_JSON_STRING || state_parse(s->text, s->text_len, &st->state) != 0) {
        snprintf(why, why_len, "invalid 'state' %s%.64s", s && s->type == KC_JSON_STRING ? "" : "of type ",
                 s && s->type == KC_JSON_STRING ? s->text : kc_records_java_class(s));
        goto out;
    }
    int r1 = opt_string(root, "trace", &st->trace);
    int r2 = r1 == 0 ? opt_string(root, "worker_id", &st->worker_id) : 0;
    if (r1 == -2 || r2 == -2) {
        rc = -2;
        goto out;
    }
    if (r1 != 0 || r2 != 0) {
        snprintf(why, why_len, "'%s' is not a String", r1 != 0 ? "trace" : "worker_id");
        goto out;
    }
    const kc_json_node *g = kc_records_field(root, "generation");
    if (!g || g->type != KC_JSON_INT) {
        snprintf(why, why_len, "'generation' should be a Long but is %s", kc_records_java_class(g));
        goto out;
    }
    st->generation = (int32_t)(uint32_t)(uint64_t)g->as_long;
    rc = 0;
out:
    kc_json_node_free(root);
    if (rc != 0) {
        free(st->trace);
        free(st->worker_id);
        st->trace = st->worker_id = NULL;
    }
    return rc;
}

/* parseTopicStatus. 0; -1 failure; -2 OOM. */
static int parse_topic_status(const void *value, size_t value_len, kc_topic_status *ts, char *why, size_t why_len)
{
    kc_json_node *root = NULL;
    kc_error perr;
    kc_error_clear(&perr);
    int rc = -1;
    if (kc_records_parse_value(value, value_len, KC_STATUS_RECORD_MAX_VALUE, &root, &perr) != 0) {
        snprintf(why, why_len, "%.200s", perr.msg);
        return -1;
    }
    const kc_json_node *inner = root && root->type == KC_JSON_OBJECT ? kc_records_field(root, "topic") : NULL;
    if (!inner || inner->type != KC_JSON_OBJECT) {
        snprintf(why, why_len, "Invalid topic status value");
        goto out;
    }
    const kc_json_node *name = kc_records_field(inner, "name");
    const kc_json_node *conn = kc_records_field(inner, "connector");
    const kc_json_node *task = kc_records_field(inner, "task");
    const kc_json_node *ts_ms = kc_records_field(inner, "discoverTimestamp");
    if (!name || name->type != KC_JSON_STRING || !conn || conn->type != KC_JSON_STRING || !task ||
        task->type != KC_JSON_INT || !ts_ms || ts_ms->type != KC_JSON_INT) {
        snprintf(why, why_len, "topic status fields name, connector, task, discoverTimestamp missing or mistyped");
        goto out;
    }
    ts->topic = kc_records_strndup(name->text, name->text_len);
    ts->connector = kc_records_strndup(conn->text, conn->text_len);
    if (!ts->topic || !ts->connector) {
        free(ts->topic);
        free(ts->connector);
        ts->topic = ts->connector = NULL;
        rc = -2;
        goto out;
    }
    ts->task = (int32_t)(uint32_t)(uint64_t)task->as_long;
    ts->discover_ms = ts_ms->as_long;
    rc = 0;
out:
    kc_json_node_free(root);
    return rc;
}

#define KEYFMT(k, l) (int)((l) > 300 ? 300 : (l)), (k)

static int oom(kc_error *err)
{
    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
}

static int read_connector(const char *key, size_t key_len, const void *value, size_t value_len, kc_status_event *ev,
                          kc_error *err)
{
    size_t pl = strlen(KC_STATUS_CONNECTOR_PREFIX);
    if (key_len == pl) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid connector status key %.*s", KEYFMT(key, key_len));
        return 0;
    }
    if (!(ev->connector = kc_records_strndup(key + pl, key_len - pl)))
        return oom(err);
    if (!value) {
        ev->kind = KC_STATUS_EV_CONNECTOR_REMOVED;
        return 0;
    }
    char why[256] = "";
    int rc = parse_status(value, value_len, &ev->status, why, sizeof why);
    if (rc == -2)
        return oom(err);
    if (rc != 0) {
        ignore(ev, KC_LOG_ERROR, "Failed to deserialize connector status: %s", why);
        return 0;
    }
    ev->kind = KC_STATUS_EV_CONNECTOR;
    return 0;
}

static int read_task(const char *key, size_t key_len, const void *value, size_t value_len, kc_status_event *ev,
                     kc_error *err)
{
    int prc = kc_config_parse_task_key(key, key_len, 2, 4, &ev->connector, &ev->task);
    if (prc == -2)
        return oom(err);
    if (prc != 0) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid task status key %.*s", KEYFMT(key, key_len));
        return 0;
    }
    if (!value) {
        ev->kind = KC_STATUS_EV_TASK_REMOVED;
        return 0;
    }
    char why[256] = "";
    int rc = parse_status(value, value_len, &ev->status, why, sizeof why);
    if (rc == -2)
        return oom(err);
    if (rc != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to deserialize task status: %s", why);
        ignore(ev, KC_LOG_WARN, "Failed to parse task status with key %.*s", KEYFMT(key, key_len));
        return 0;
    }
    ev->kind = KC_STATUS_EV_TASK;
    return 0;
}

static int read_topic(const char *key, size_t key_len, const void *value, size_t value_len, kc_status_event *ev,
                      kc_error *err)
{
    size_t begin = strlen(KC_STATUS_TOPIC_PREFIX);
    const char *colon = memchr(key, ':', key_len);
    if (!colon || (size_t)(colon - key) < begin) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid topic status key %.*s", KEYFMT(key, key_len));
        return 0;
    }
    size_t delim = (size_t)(colon - key);
    if (delim == begin) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid topic status key containing empty topic %.*s",
               KEYFMT(key, key_len));
        return 0;
    }
    size_t cbegin = delim + strlen(KC_STATUS_TOPIC_SEPARATOR); /* the separator text is not verified (Java) */
    if (cbegin > key_len) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid topic status key %.*s", KEYFMT(key, key_len));
        return 0;
    }
    if (cbegin == key_len) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid topic status key containing empty connector %.*s",
               KEYFMT(key, key_len));
        return 0;
    }
    if (!(ev->topic = kc_records_strndup(key + begin, delim - begin)) ||
        !(ev->connector = kc_records_strndup(key + cbegin, key_len - cbegin)))
        return oom(err);
    if (!value) {
        ev->kind = KC_STATUS_EV_TOPIC_REMOVED;
        return 0;
    }
    char why[256] = "";
    int rc = parse_topic_status(value, value_len, &ev->topic_status, why, sizeof why);
    if (rc == -2)
        return oom(err);
    if (rc != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to deserialize topic status: %s", why);
        ignore(ev, KC_LOG_WARN, "Failed to parse topic status with key %.*s", KEYFMT(key, key_len));
        return 0;
    }
    ev->kind = KC_STATUS_EV_TOPIC;
    return 0;
}

int kc_status_record_decode(const char *key, size_t key_len, const void *value, size_t value_len,
                            kc_status_event *ev, kc_error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->task = -1;
    int rc = 0;
    if (!key) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid key null");
    } else if (key_len > KC_STATUS_RECORD_MAX_KEY || memchr(key, '\0', key_len)) {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid key %.*s", KEYFMT(key, key_len));
    } else if (has_prefix(key, key_len, KC_STATUS_CONNECTOR_PREFIX)) {
        rc = read_connector(key, key_len, value, value_len, ev, err);
    } else if (has_prefix(key, key_len, KC_STATUS_TASK_PREFIX)) {
        rc = read_task(key, key_len, value, value_len, ev, err);
    } else if (has_prefix(key, key_len, KC_STATUS_TOPIC_PREFIX)) {
        rc = read_topic(key, key_len, value, value_len, ev, err);
    } else {
        ignore(ev, KC_LOG_WARN, "Discarding record with invalid key %.*s", KEYFMT(key, key_len));
    }
    if (rc != 0) {
        kc_status_event_free(ev);
        ev->kind = KC_STATUS_EV_IGNORED;
        return -1;
    }
    return 0;
}
