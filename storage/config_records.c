/* Config topic records: keys, value bytes and per-record read rules (storage spec §3). */
#include "storage/config_records.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/worker/json_reader.h"
#include "connect/worker/json_writer.h"
#include "storage/records_internal.h"

/* ---- shared helpers (records_internal.h) --------------------------------------------------------- */

char *kc_records_concat(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = b ? strlen(b) : 0, lc = c ? strlen(c) : 0;
    char *s = malloc(la + lb + lc + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    if (lb)
        memcpy(s + la, b, lb);
    if (lc)
        memcpy(s + la + lb, c, lc);
    s[la + lb + lc] = '\0';
    return s;
}

char *kc_records_strndup(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d)
        return NULL;
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

const char *kc_records_java_class(const kc_json_node *n)
{
    if (!n)
        return "null";
    switch (n->type) {
    case KC_JSON_NULL:
        return "null";
    case KC_JSON_BOOL:
        return "java.lang.Boolean";
    case KC_JSON_INT:
        return "java.lang.Long";
    case KC_JSON_DECIMAL:
        return "java.lang.Double";
    case KC_JSON_STRING:
        return "java.lang.String";
    case KC_JSON_ARRAY:
        return "java.util.ArrayList";
    case KC_JSON_OBJECT:
        return "java.util.HashMap";
    }
    return "null";
}

void kc_records_reason(char *reason, kc_log_level level, const char *logger, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, KC_ERROR_MSG_MAX, fmt, ap);
    va_end(ap);
    if (level != KC_LOG_OFF)
        kc_log(level, logger, "%s", reason);
}

/* A JSON field of an object node that is present and not null (Java's map.get(k) != null). */
const kc_json_node *kc_records_field(const kc_json_node *obj, const char *name)
{
    const kc_json_node *f = kc_json_object_get(obj, name);
    return f && f->type != KC_JSON_NULL ? f : NULL;
}

int kc_records_parse_value(const void *value, size_t value_len, size_t max, kc_json_node **root, kc_error *err)
{
    *root = NULL;
    if (!value)
        return 0;
    if (value_len > max)
        return kc_error_set(err, KC_ERR_INVALID, "value of %zu bytes exceeds the limit of %zu bytes", value_len, max);
    kc_json_limits lim = kc_json_default_limits();
    lim.max_bytes = max;
    return kc_json_parse(value, value_len, &lim, root, err);
}

/* ---- keys ----------------------------------------------------------------------------------------- */

char *kc_config_key_connector(const char *connector)
{
    return kc_records_concat(KC_CONFIG_CONNECTOR_PREFIX, connector, NULL);
}

char *kc_config_key_task(const char *connector, int task)
{
    char num[16];
    snprintf(num, sizeof num, "-%d", task);
    return kc_records_concat(KC_CONFIG_TASK_PREFIX, connector, num);
}

char *kc_config_key_commit(const char *connector)
{
    return kc_records_concat(KC_CONFIG_COMMIT_PREFIX, connector, NULL);
}

char *kc_config_key_target_state(const char *connector)
{
    return kc_records_concat(KC_CONFIG_TARGET_STATE_PREFIX, connector, NULL);
}

char *kc_config_key_task_count(const char *connector)
{
    return kc_records_concat(KC_CONFIG_TASK_COUNT_PREFIX, connector, NULL);
}

char *kc_config_key_restart(const char *connector)
{
    return kc_records_concat(KC_CONFIG_RESTART_PREFIX, connector, NULL);
}

char *kc_config_key_logger(const char *namespace_)
{
    return kc_records_concat(KC_CONFIG_LOGGER_PREFIX, namespace_, NULL);
}

char *kc_config_key_replication(const char *name)
{
    return kc_records_concat(KC_CONFIG_REPLICATION_PREFIX, name, NULL);
}

/* ---- values --------------------------------------------------------------------------------------- */

static void wkey(kc_json_writer *w, const char *k)
{
    kc_json_write_key(w, k, strlen(k));
}

static void wstr(kc_json_writer *w, const char *s)
{
    if (s)
        kc_json_write_string(w, s, strlen(s));
    else
        kc_json_write_null(w);
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

char *kc_config_value_properties(const char *const *keys, const char *const *values, size_t n, size_t *len,
                                 kc_error *err)
{
    kc_json_writer w;
    kc_json_writer_init(&w, KC_CONFIG_RECORD_MAX_VALUE);
    kc_json_begin_object(&w);
    wkey(&w, "properties");
    kc_json_begin_object(&w);
    for (size_t i = 0; i < n; i++) {
        if (!keys[i]) {
            kc_json_writer_fail(&w, KC_ERR_INVALID, "property %zu has no name", i);
            break;
        }
        wkey(&w, keys[i]);
        wstr(&w, values ? values[i] : NULL);
    }
    kc_json_end_object(&w);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

char *kc_config_value_properties_from(const kc_props *props, size_t *len, kc_error *err)
{
    size_t n = props ? kc_props_count(props) : 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    const char **values = calloc(n ? n : 1, sizeof *values);
    char *out = NULL;
    if (!keys || !values) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    } else {
        for (size_t i = 0; i < n; i++) {
            keys[i] = kc_props_key_at(props, i);
            values[i] = kc_props_value_at(props, i);
        }
        out = kc_config_value_properties(keys, values, n, len, err);
    }
    free(keys);
    free(values);
    return out;
}

static char *one_int_field(const char *field, int64_t v, size_t *len, kc_error *err)
{
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    wkey(&w, field);
    kc_json_write_int64(&w, v);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

char *kc_config_value_commit(int32_t tasks, size_t *len, kc_error *err)
{
    return one_int_field("tasks", tasks, len, err);
}

char *kc_config_value_task_count(int32_t task_count, size_t *len, kc_error *err)
{
    return one_int_field("task-count", task_count, len, err);
}

char *kc_config_value_target_state(kc_target_state state, size_t *len, kc_error *err)
{
    const char *v1, *v2;
    switch (state) {
    case KC_TARGET_STARTED:
        v1 = v2 = "STARTED";
        break;
    case KC_TARGET_PAUSED:
        v1 = v2 = "PAUSED";
        break;
    case KC_TARGET_STOPPED:
        v1 = "PAUSED"; /* older workers do not know STOPPED */
        v2 = "STOPPED";
        break;
    default:
        kc_error_set(err, KC_ERR_INVALID, "unknown target state %d", (int)state);
        if (len)
            *len = 0;
        return NULL;
    }
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    wkey(&w, "state");
    wstr(&w, v1);
    wkey(&w, "state.v2");
    wstr(&w, v2);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

char *kc_config_value_session_key(const void *key, size_t key_len, const char *algorithm, int64_t creation_ms,
                                  size_t *len, kc_error *err)
{
    if (!algorithm) {
        kc_error_set(err, KC_ERR_INVALID, "session key algorithm is required");
        if (len)
            *len = 0;
        return NULL;
    }
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    wkey(&w, "key");
    kc_json_write_base64(&w, key, key_len);
    wkey(&w, "algorithm");
    wstr(&w, algorithm);
    wkey(&w, "creation-timestamp");
    kc_json_write_int64(&w, creation_ms);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

char *kc_config_value_restart(bool include_tasks, bool only_failed, size_t *len, kc_error *err)
{
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    wkey(&w, "include-tasks");
    kc_json_write_bool(&w, include_tasks);
    wkey(&w, "only-failed");
    kc_json_write_bool(&w, only_failed);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

char *kc_config_value_logger_level(const char *level, size_t *len, kc_error *err)
{
    if (!level) {
        kc_error_set(err, KC_ERR_INVALID, "log level is required");
        if (len)
            *len = 0;
        return NULL;
    }
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    wkey(&w, "level");
    wstr(&w, level);
    kc_json_end_object(&w);
    return finish(&w, len, err);
}

/* ---- small parsers -------------------------------------------------------------------------------- */

int kc_config_parse_java_int(const char *s, size_t len, int *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return -1;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (len == 1)
            return -1;
    }
    int64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
        if (v > (int64_t)INT32_MAX + 1)
            return -1;
    }
    if (neg)
        v = -v;
    if (v > INT32_MAX || v < INT32_MIN)
        return -1;
    *out = (int)v;
    return 0;
}

int kc_config_parse_task_key(const char *key, size_t key_len, size_t skip, size_t min_parts, char **connector,
                             int *task)
{
    *connector = NULL;
    /* Java split("-"): trailing empty strings are dropped. */
    size_t end = key_len;
    while (end > 0 && key[end - 1] == '-')
        end--;
    if (end == 0)
        return -1;
    size_t parts = 1;
    for (size_t i = 0; i < end; i++)
        if (key[i] == '-')
            parts++;
    if (parts < min_parts || min_parts < skip + 2)
        return -1;
    /* last part: after the last '-' before end */
    size_t last = end;
    while (last > 0 && key[last - 1] != '-')
        last--;
    int n = 0;
    if (kc_config_parse_java_int(key + last, end - last, &n) != 0)
        return -1;
    /* name: from the start of part[skip] to the '-' before the last part */
    size_t start = 0, seen = 0;
    for (size_t i = 0; i < end && seen < skip; i++)
        if (key[i] == '-') {
            seen++;
            start = i + 1;
        }
    size_t name_end = last - 1; /* the '-' before the last part */
    char *name = kc_records_strndup(key + start, name_end >= start ? name_end - start : 0);
    if (!name)
        return -2;
    *connector = name;
    *task = n;
    return 0;
}

bool kc_config_task_ids_complete(const int *ids, size_t n, int32_t tasks)
{
    for (int32_t t = 0; t < tasks; t++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = ids[i] == t;
        if (!found)
            return false;
    }
    return true;
}

/* Java's Base64.getDecoder() (basic, RFC 4648): no whitespace, padding optional, but padding that
 * is present must be complete; nothing may follow it. Unused low bits are not checked. */
static int java_base64_decode(const char *s, size_t len, uint8_t **out, size_t *out_len, char *why, size_t why_len)
{
    static signed char table[256];
    static bool ready = false;
    if (!ready) {
        const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        memset(table, -1, sizeof table);
        for (int i = 0; i < 64; i++)
            table[(unsigned char)alpha[i]] = (signed char)i;
        table['='] = -2;
        ready = true; /* idempotent: racing threads write the same bytes */
    }
    uint8_t *dst = malloc(len / 4 * 3 + 3);
    if (!dst) {
        snprintf(why, why_len, "out of memory");
        return -2;
    }
    size_t dp = 0, sp = 0;
    int shift = 18;
    uint32_t bits = 0;
    while (sp < len) {
        int b = table[(unsigned char)s[sp++]];
        if (b < 0) {
            if (b == -2) {
                if ((shift == 6 && (sp == len || s[sp++] != '=')) || shift == 18) {
                    snprintf(why, why_len, "Input byte array has wrong 4-byte ending unit");
                    free(dst);
                    return -1;
                }
                break;
            }
            snprintf(why, why_len, "Illegal base64 character %x", (unsigned char)s[sp - 1]);
            free(dst);
            return -1;
        }
        bits |= (uint32_t)b << shift;
        shift -= 6;
        if (shift < 0) {
            dst[dp++] = (uint8_t)(bits >> 16);
            dst[dp++] = (uint8_t)(bits >> 8);
            dst[dp++] = (uint8_t)bits;
            shift = 18;
            bits = 0;
        }
    }
    if (shift == 6) {
        dst[dp++] = (uint8_t)(bits >> 16);
    } else if (shift == 0) {
        dst[dp++] = (uint8_t)(bits >> 16);
        dst[dp++] = (uint8_t)(bits >> 8);
    } else if (shift == 12) {
        snprintf(why, why_len, "Last unit does not have enough valid bits");
        free(dst);
        return -1;
    }
    if (sp < len) {
        snprintf(why, why_len, "Input byte array has incorrect ending byte at %zu", sp);
        free(dst);
        return -1;
    }
    *out = dst;
    *out_len = dp;
    return 0;
}

/* ---- decoding ------------------------------------------------------------------------------------- */

#define LOGGER KC_CONFIG_STORE_LOGGER

void kc_config_event_free(kc_config_event *ev)
{
    if (!ev)
        return;
    free(ev->connector);
    for (size_t i = 0; i < ev->props.count; i++) {
        free(ev->props.keys[i]);
        free(ev->props.values[i]);
    }
    free(ev->props.keys);
    free(ev->props.values);
    free(ev->session_key);
    free(ev->algorithm);
    free(ev->level);
    free(ev->text);
    memset(ev, 0, sizeof *ev);
}

static bool has_prefix(const char *key, size_t len, const char *prefix)
{
    size_t pl = strlen(prefix);
    return len >= pl && memcmp(key, prefix, pl) == 0;
}

static int set_name(kc_config_event *ev, const char *key, size_t key_len, const char *prefix, kc_error *err)
{
    size_t pl = strlen(prefix);
    ev->connector = kc_records_strndup(key + pl, key_len - pl);
    return ev->connector ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
}

static void ignore(kc_config_event *ev, kc_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ignore(kc_config_event *ev, kc_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->reason, sizeof ev->reason, fmt, ap);
    va_end(ap);
    ev->kind = KC_CONFIG_EV_IGNORED;
    kc_log(level, LOGGER, "%s", ev->reason);
}

/* Copies a properties object; -1 when a value is neither a string nor null (reason set), -2 OOM. */
static int copy_props(const kc_json_node *obj, kc_config_props *out, char *reason, size_t reason_len)
{
    size_t n = obj->count;
    out->keys = calloc(n ? n : 1, sizeof *out->keys);
    out->values = calloc(n ? n : 1, sizeof *out->values);
    if (!out->keys || !out->values)
        return -2;
    for (size_t i = 0; i < n; i++) {
        const kc_json_node *v = obj->items[i];
        if (v->type != KC_JSON_NULL && v->type != KC_JSON_STRING) {
            snprintf(reason, reason_len, "property '%s' should be a String but is %s", obj->keys[i],
                     kc_records_java_class(v));
            return -1;
        }
        out->keys[i] = kc_records_strndup(obj->keys[i], obj->key_lens[i]);
        if (!out->keys[i])
            return -2;
        out->count = i + 1;
        if (v->type == KC_JSON_STRING && !(out->values[i] = kc_records_strndup(v->text, v->text_len)))
            return -2;
    }
    return 0;
}

static int decode_properties(kc_config_event *ev, const kc_json_node *root, bool task, const char *what,
                             kc_error *err)
{
    if (!root || root->type != KC_JSON_OBJECT) {
        if (task)
            ignore(ev, KC_LOG_ERROR, "Ignoring task configuration for task %s because the value is not a Map but is %s",
                   what, kc_records_java_class(root));
        else
            ignore(ev, KC_LOG_ERROR, "Ignoring configuration for connector '%s' because it is in the wrong format: %s",
                   what, kc_records_java_class(root));
        return 0;
    }
    const kc_json_node *props = kc_records_field(root, "properties");
    if (!props || props->type != KC_JSON_OBJECT) {
        if (task)
            ignore(ev, KC_LOG_ERROR, "Invalid data for config of task %s 'properties' field should be a Map but is %s",
                   what, kc_records_java_class(props));
        else
            ignore(ev, KC_LOG_ERROR,
                   "Invalid data for config for connector '%s': 'properties' field should be a Map but is %s", what,
                   kc_records_java_class(props));
        return 0;
    }
    char why[300] = "";
    int rc = copy_props(props, &ev->props, why, sizeof why);
    if (rc == -2)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (rc == -1) {
        for (size_t i = 0; i < ev->props.count; i++) {
            free(ev->props.keys[i]);
            free(ev->props.values[i]);
        }
        free(ev->props.keys);
        free(ev->props.values);
        memset(&ev->props, 0, sizeof ev->props);
        /* kconnect deviation: Java stores non-string values unchecked and fails when it uses them */
        ignore(ev, KC_LOG_ERROR, "Invalid data for config of %s%s: %s", task ? "task " : "connector ", what, why);
        return 0;
    }
    ev->kind = task ? KC_CONFIG_EV_TASK_CONFIG : KC_CONFIG_EV_CONNECTOR_CONFIG;
    return 0;
}

/* Java intValue(): an integral number (Long), truncated to 32 bits. */
static bool int_value(const kc_json_node *n, int32_t *out)
{
    if (!n || n->type != KC_JSON_INT)
        return false;
    *out = (int32_t)(uint32_t)(uint64_t)n->as_long;
    return true;
}

static void decode_target_state(kc_config_event *ev, const kc_json_node *root)
{
    const char *c = ev->connector;
    if (!root) {
        ev->kind = KC_CONFIG_EV_TARGET_STATE_REMOVED;
        return;
    }
    if (root->type != KC_JSON_OBJECT) {
        ignore(ev, KC_LOG_ERROR, "Ignoring target state for connector '%s' because it is in the wrong format: %s", c,
               kc_records_java_class(root));
        return;
    }
    const kc_json_node *st = kc_records_field(root, "state.v2");
    if (st && st->type != KC_JSON_STRING) {
        kc_log(KC_LOG_ERROR, LOGGER,
               "Invalid data for target state for connector '%s': 'state.v2' field should be a String but is %s", c,
               kc_records_java_class(st));
        st = NULL;
    }
    if (!st) {
        st = kc_records_field(root, "state");
        if (!st || st->type != KC_JSON_STRING) {
            ignore(ev, KC_LOG_ERROR,
                   "Invalid data for target state for connector '%s': 'state' field should be a String but is %s", c,
                   kc_records_java_class(st));
            return;
        }
    }
    if (strcmp(st->text, "STARTED") == 0 && st->text_len == 7)
        ev->target = KC_TARGET_STARTED;
    else if (strcmp(st->text, "PAUSED") == 0 && st->text_len == 6)
        ev->target = KC_TARGET_PAUSED;
    else if (strcmp(st->text, "STOPPED") == 0 && st->text_len == 7)
        ev->target = KC_TARGET_STOPPED;
    else {
        ignore(ev, KC_LOG_ERROR, "Invalid target state for connector '%s': %s", c, st->text);
        return;
    }
    ev->kind = KC_CONFIG_EV_TARGET_STATE;
}

static void decode_commit(kc_config_event *ev, const kc_json_node *root)
{
    ev->kind = KC_CONFIG_EV_COMMIT;
    ev->commit_ok = false;
    if (!root || root->type != KC_JSON_OBJECT) {
        snprintf(ev->reason, sizeof ev->reason,
                 "Ignoring connector tasks configuration commit for connector '%s' because it is in the wrong format: %s",
                 ev->connector, kc_records_java_class(root));
        return;
    }
    if (!int_value(kc_records_field(root, "tasks"), &ev->tasks)) {
        /* Java throws here (ConnectException); kconnect skips only this record */
        snprintf(ev->reason, sizeof ev->reason,
                 "Ignoring connector tasks configuration commit for connector '%s': Expected integer value to be either "
                 "Integer or Long",
                 ev->connector);
        return;
    }
    ev->commit_ok = true;
}

static void decode_task_count(kc_config_event *ev, const kc_json_node *root)
{
    if (!root || root->type != KC_JSON_OBJECT) {
        ignore(ev, KC_LOG_ERROR, "Ignoring task count record for connector '%s' because it is in the wrong format: %s",
               ev->connector, kc_records_java_class(root));
        return;
    }
    if (!int_value(kc_records_field(root, "task-count"), &ev->tasks)) {
        ignore(ev, KC_LOG_ERROR,
               "Ignoring task count record for connector '%s': Expected integer value to be either Integer or Long",
               ev->connector);
        return;
    }
    ev->kind = KC_CONFIG_EV_TASK_COUNT;
}

static int decode_session_key(kc_config_event *ev, const kc_json_node *root, kc_error *err)
{
    if (!root) {
        ignore(ev, KC_LOG_ERROR, "Ignoring session key because it is unexpectedly null");
        return 0;
    }
    if (root->type != KC_JSON_OBJECT) {
        ignore(ev, KC_LOG_ERROR, "Ignoring session key because the value is not a Map but is %s",
               kc_records_java_class(root));
        return 0;
    }
    const kc_json_node *k = kc_records_field(root, "key");
    if (!k || k->type != KC_JSON_STRING) {
        ignore(ev, KC_LOG_ERROR, "Invalid data for session key 'key' field should be a String but is %s",
               kc_records_java_class(k));
        return 0;
    }
    char why[128] = "";
    int rc = java_base64_decode(k->text, k->text_len, &ev->session_key, &ev->session_key_len, why, sizeof why);
    if (rc == -2)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (rc == -1) {
        /* Java lets this IllegalArgumentException escape; kconnect skips the record */
        ignore(ev, KC_LOG_ERROR, "Ignoring session key because its 'key' field is not valid Base64: %s", why);
        return 0;
    }
    const kc_json_node *alg = kc_records_field(root, "algorithm");
    if (!alg || alg->type != KC_JSON_STRING) {
        ignore(ev, KC_LOG_ERROR, "Invalid data for session key 'algorithm' field should be a String but it is %s",
               kc_records_java_class(alg));
        return 0;
    }
    const kc_json_node *ts = kc_records_field(root, "creation-timestamp");
    if (!ts || ts->type != KC_JSON_INT) {
        ignore(ev, KC_LOG_ERROR,
               "Invalid data for session key 'creation-timestamp' field should be a long but it is %s",
               kc_records_java_class(ts));
        return 0;
    }
    if (!(ev->algorithm = kc_records_strndup(alg->text, alg->text_len)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    ev->creation_ms = ts->as_long;
    ev->kind = KC_CONFIG_EV_SESSION_KEY;
    return 0;
}

static bool restart_flag(const kc_json_node *root, const char *name)
{
    const kc_json_node *f = kc_records_field(root, name);
    if (!f || f->type != KC_JSON_BOOL) {
        kc_log(KC_LOG_WARN, LOGGER,
               "Invalid data for restart request '%s' field should be a Boolean but is %s, defaulting to false", name,
               kc_records_java_class(f));
        return false;
    }
    return f->boolean;
}

static void decode_restart(kc_config_event *ev, const kc_json_node *root)
{
    if (!root || root->type != KC_JSON_OBJECT) {
        ignore(ev, KC_LOG_ERROR, "Ignoring restart request because the value is not a Map but is %s",
               kc_records_java_class(root));
        return;
    }
    ev->only_failed = restart_flag(root, "only-failed");
    ev->include_tasks = restart_flag(root, "include-tasks");
    ev->kind = KC_CONFIG_EV_RESTART;
}

static int decode_logger(kc_config_event *ev, const kc_json_node *root, kc_error *err)
{
    const char *ns = ev->connector;
    if (!root) {
        ignore(ev, KC_LOG_ERROR, "Ignoring logging level for namespace %s because it is unexpectedly null", ns);
        return 0;
    }
    if (root->type != KC_JSON_OBJECT) {
        ignore(ev, KC_LOG_ERROR, "Ignoring logging level for namespace %s because the value is not a Map but is %s",
               ns, kc_records_java_class(root));
        return 0;
    }
    const kc_json_node *lv = kc_records_field(root, "level");
    if (!lv || lv->type != KC_JSON_STRING) {
        ignore(ev, KC_LOG_ERROR,
               "Invalid data for logging level key 'level' field with namespace %s; should be a String but it is %s",
               ns, kc_records_java_class(lv));
        return 0;
    }
    if (!(ev->level = kc_records_strndup(lv->text, lv->text_len)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    ev->kind = KC_CONFIG_EV_LOGGER_LEVEL;
    return 0;
}

int kc_config_record_decode(const char *key, size_t key_len, const void *value, size_t value_len,
                            kc_config_event *ev, kc_error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->task = -1;
    if (key && key_len > KC_CONFIG_RECORD_MAX_KEY) {
        ev->kind = KC_CONFIG_EV_NOT_JSON;
        kc_records_reason(ev->reason, KC_LOG_ERROR, LOGGER, "Discarding config record with a key of %zu bytes", key_len);
        return 0;
    }
    kc_json_node *root = NULL;
    kc_error perr;
    kc_error_clear(&perr);
    if (kc_records_parse_value(value, value_len, KC_CONFIG_RECORD_MAX_VALUE, &root, &perr) != 0) {
        ev->kind = KC_CONFIG_EV_NOT_JSON;
        kc_records_reason(ev->reason, KC_LOG_ERROR, LOGGER, "Failed to convert config data to Kafka Connect format: %s",
                          perr.msg);
        return 0;
    }
    if (root && root->type == KC_JSON_NULL) { /* the JSON text null converts to null, like a tombstone */
        kc_json_node_free(root);
        root = NULL;
    }
    int rc = 0;
    if (!key || memchr(key, '\0', key_len)) {
        ignore(ev, KC_LOG_ERROR, "Discarding config update record with invalid key: %s", key ? key : "null");
    } else if (has_prefix(key, key_len, KC_CONFIG_TARGET_STATE_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_TARGET_STATE_PREFIX, err)) == 0)
            decode_target_state(ev, root);
    } else if (has_prefix(key, key_len, KC_CONFIG_CONNECTOR_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_CONNECTOR_PREFIX, err)) == 0) {
            if (!root)
                ev->kind = KC_CONFIG_EV_CONNECTOR_REMOVED;
            else
                rc = decode_properties(ev, root, false, ev->connector, err);
        }
    } else if (has_prefix(key, key_len, KC_CONFIG_TASK_PREFIX)) {
        int prc = kc_config_parse_task_key(key, key_len, 1, 3, &ev->connector, &ev->task);
        if (prc == -2) {
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        } else if (prc != 0) {
            ignore(ev, KC_LOG_ERROR, "Ignoring task configuration because %.*s couldn't be parsed as a task config key",
                   (int)(key_len > 300 ? 300 : key_len), key);
        } else {
            char what[300];
            snprintf(what, sizeof what, "%s-%d", ev->connector, ev->task);
            if (!root)
                ignore(ev, KC_LOG_ERROR, "Ignoring task configuration for task %s because it is unexpectedly null", what);
            else
                rc = decode_properties(ev, root, true, what, err);
        }
    } else if (has_prefix(key, key_len, KC_CONFIG_COMMIT_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_COMMIT_PREFIX, err)) == 0)
            decode_commit(ev, root);
    } else if (has_prefix(key, key_len, KC_CONFIG_RESTART_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_RESTART_PREFIX, err)) == 0)
            decode_restart(ev, root);
    } else if (has_prefix(key, key_len, KC_CONFIG_TASK_COUNT_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_TASK_COUNT_PREFIX, err)) == 0)
            decode_task_count(ev, root);
    } else if (key_len == strlen(KC_CONFIG_SESSION_KEY_KEY) && memcmp(key, KC_CONFIG_SESSION_KEY_KEY, key_len) == 0) {
        rc = decode_session_key(ev, root, err);
    } else if (has_prefix(key, key_len, KC_CONFIG_REPLICATION_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_REPLICATION_PREFIX, err)) == 0) {
            if (!root) {
                ev->kind = KC_CONFIG_EV_REPLICATION_REMOVED;
            } else if (root->type != KC_JSON_OBJECT) {
                ignore(ev, KC_LOG_ERROR, "Ignoring replication %s because the value is not a Map but is %s",
                       ev->connector, kc_records_java_class(root));
            } else if (!(ev->text = kc_records_strndup(value, value_len))) {
                rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            } else {
                ev->kind = KC_CONFIG_EV_REPLICATION;
            }
        }
    } else if (has_prefix(key, key_len, KC_CONFIG_LOGGER_PREFIX)) {
        if ((rc = set_name(ev, key, key_len, KC_CONFIG_LOGGER_PREFIX, err)) == 0)
            rc = decode_logger(ev, root, err);
    } else {
        ignore(ev, KC_LOG_ERROR, "Discarding config update record with invalid key: %.*s",
               (int)(key_len > 300 ? 300 : key_len), key);
    }
    kc_json_node_free(root);
    if (rc != 0) {
        kc_config_event_free(ev);
        ev->kind = KC_CONFIG_EV_IGNORED;
        return -1;
    }
    return 0;
}
