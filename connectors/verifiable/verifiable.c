/*
 * What the two verifiable connectors share (see verifiable.h): the stdout line writer and its
 * mutex, the test hooks, Java's integer parsing, and a writer of the JSON Jackson's ObjectMapper
 * produces for a Map<String, Object> (writeValueAsString: strings keep every non-ASCII character as
 * UTF-8, including characters outside the BMP).
 *
 * Owns: the process-wide output mutex and hooks (static). A kc_verifiable_json owns its buffer and
 * its failure message until take/free.
 * Threads: kc_verifiable_print_line from any task thread (serialised by the mutex); the hooks are
 * written only by tests before tasks start; a kc_verifiable_json belongs to one thread.
 */
#include "verifiable.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect/worker/json_writer.h"

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static kc_verifiable_hooks hooks;

void kc_verifiable_set_hooks(const kc_verifiable_hooks *h)
{
    pthread_mutex_lock(&out_lock);
    hooks = h ? *h : (kc_verifiable_hooks){0};
    pthread_mutex_unlock(&out_lock);
}

int64_t kc_verifiable_now_ms(void)
{
    if (hooks.now_ms)
        return hooks.now_ms();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int kc_verifiable_read_offset(kc_source_task_context *ctx, const kc_value *partition, kc_value **offset,
                              kc_error *err)
{
    kc_verifiable_offset_fn fn = hooks.offset ? hooks.offset : kc_source_task_context_offset;
    return fn(ctx, partition, offset, err);
}

void kc_verifiable_print_line(const char *line, size_t len)
{
    pthread_mutex_lock(&out_lock);
    FILE *out = hooks.out ? hooks.out : stdout;
    /* one fwrite per line (stdio's own lock keeps it whole against any other stdout writer) */
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, line, len);
        copy[len] = '\n';
        (void)fwrite(copy, 1, len + 1, out);
        free(copy);
    } else {
        (void)fwrite(line, 1, len, out);
        (void)fputc('\n', out);
    }
    (void)fflush(out);
    pthread_mutex_unlock(&out_lock);
}

/* ---- Integer.parseInt / Long.parseLong ------------------------------------------------------- */

static int parse_java_integer(const char *s, int64_t min, int64_t max, int64_t *out, kc_error *err)
{
    if (!s)
        return kc_error_set(err, KC_ERR_INVALID, "Cannot parse null string: null");
    const char *p = s;
    bool negative = false;
    if (*p == '-' || *p == '+')
        negative = *p++ == '-';
    if (!*p)
        return kc_error_set(err, KC_ERR_INVALID, "For input string: \"%s\"", s);
    /* accumulate negatively, as Java does, so that min itself parses */
    int64_t limit = negative ? min : -max, v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return kc_error_set(err, KC_ERR_INVALID, "For input string: \"%s\"", s);
        int d = *p - '0';
        if (v < limit / 10 || v * 10 < limit + d)
            return kc_error_set(err, KC_ERR_INVALID, "For input string: \"%s\"", s);
        v = v * 10 - d;
    }
    *out = negative ? v : -v;
    return 0;
}

int kc_verifiable_parse_int(const char *s, int32_t *out, kc_error *err)
{
    int64_t v;
    if (parse_java_integer(s, INT32_MIN, INT32_MAX, &v, err) != 0)
        return -1;
    *out = (int32_t)v;
    return 0;
}

int kc_verifiable_parse_long(const char *s, int64_t *out, kc_error *err)
{
    return parse_java_integer(s, INT64_MIN, INT64_MAX, out, err);
}

/* ---- Jackson-shaped JSON ----------------------------------------------------------------------- */

#define BAD_DATA "Bad data can't be written as json: "
#define NO_SERIALIZER_STRUCT                                                                                   \
    "No serializer found for class org.apache.kafka.connect.data.Struct and no properties discovered to "     \
    "create BeanSerializer (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS)"
#define NULL_MAP_KEY "Null key for a Map not allowed in JSON (use a converting NullKeySerializer?)"

/* Where a value sits, for Jackson's "(through reference chain: ...)": a member of a map (by key
 * text, or by key value for nested maps) or an element of a list. */
typedef struct ref_path {
    const struct ref_path *up;
    const char *container;       /* "java.util.HashMap", "java.util.ArrayList" */
    const char *key;             /* map member named by text (len key_len) */
    size_t key_len;
    const kc_value *key_value;   /* map member named by a key value (String.valueOf), when !key */
    bool is_map;
    size_t index;
} ref_path;

void kc_verifiable_json_init(kc_verifiable_json *j) { *j = (kc_verifiable_json){0}; }

void kc_verifiable_json_free(kc_verifiable_json *j)
{
    free(j->buf);
    free(j->bad);
    *j = (kc_verifiable_json){0};
}

static bool failed(const kc_verifiable_json *j) { return j->oom || j->bad; }

static void put(kc_verifiable_json *j, const char *s, size_t n)
{
    if (failed(j))
        return;
    if (j->cap - j->len < n + 1) {
        size_t cap = j->cap ? j->cap : 256;
        while (cap - j->len < n + 1) {
            if (cap > SIZE_MAX / 2) {
                j->oom = true;
                return;
            }
            cap *= 2;
        }
        char *grown = realloc(j->buf, cap);
        if (!grown) {
            j->oom = true;
            return;
        }
        j->buf = grown;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(kc_verifiable_json *j, const char *s) { put(j, s, strlen(s)); }

/* Jackson's escaping (WriterBasedJsonGenerator defaults): " and \, the short forms \b \t \n \f \r,
 * other control characters as \u00XX with upper-case hex; everything else as it is. */
static void put_escaped(kc_verifiable_json *j, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(j, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': put(j, "\\\"", 2); break;
        case '\\': put(j, "\\\\", 2); break;
        case '\b': put(j, "\\b", 2); break;
        case '\t': put(j, "\\t", 2); break;
        case '\n': put(j, "\\n", 2); break;
        case '\f': put(j, "\\f", 2); break;
        case '\r': put(j, "\\r", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(j, esc, 6);
        }
    }
    put(j, s + run, n - run);
}

static void put_quoted(kc_verifiable_json *j, const char *s, size_t n)
{
    put(j, "\"", 1);
    put_escaped(j, s, n);
    put(j, "\"", 1);
}

static void put_int64(kc_verifiable_json *j, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    put(j, num, (size_t)n);
}

static void put_base64(kc_verifiable_json *j, const uint8_t *data, size_t n)
{
    if (failed(j))
        return;
    char *b64 = malloc(4 * ((n + 2) / 3) + 1);
    if (!b64) {
        j->oom = true;
        return;
    }
    size_t len = kc_base64_encode(data, n, b64);
    put(j, "\"", 1);
    put(j, b64, len);
    put(j, "\"", 1);
    free(b64);
}

/* java.util.Date as Jackson's StdDateFormat writes a map key: "1970-01-01T00:00:00.005+00:00"
 * (UTC, proleptic Gregorian: dates before 1583 differ from Java's Julian calendar). */
static size_t iso_date(int64_t ms, char *buf, size_t size)
{
    int64_t secs = ms / 1000, milli = ms % 1000;
    if (milli < 0) {
        milli += 1000;
        secs--;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return (size_t)snprintf(buf, size, "%lld", (long long)ms);
    long long year = (long long)tm.tm_year + 1900;
    return (size_t)snprintf(buf, size, "%s%04lld-%02d-%02dT%02d:%02d:%02d.%03d+00:00", year > 9999 ? "+" : "", year,
                            tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)milli);
}

/* String.valueOf(key) for a reference chain, into a new string (NULL when out of memory). */
static char *key_java_text(const kc_value *key, size_t *len)
{
    if (!key || kc_value_is_null(key)) {
        *len = 4;
        return strdup("null");
    }
    if (kc_value_get_type(key) == KC_VALUE_STRING) {
        const char *s = kc_value_get_string(key, len);
        char *copy = malloc(*len + 1);
        if (copy) {
            memcpy(copy, s, *len);
            copy[*len] = '\0';
        }
        return copy;
    }
    kc_error e;
    return kc_value_to_java_string(key, false, len, &e);
}

/* Records Jackson's exception message: message plus the reference chain from the top-level map. */
static int fail(kc_verifiable_json *j, const char *message, const ref_path *at)
{
    if (failed(j))
        return -1;
    const ref_path *chain[KC_DATA_MAX_DEPTH + 2];
    size_t n = 0;
    for (const ref_path *p = at; p && n < sizeof chain / sizeof chain[0]; p = p->up)
        chain[n++] = p;
    kc_verifiable_json m;
    kc_verifiable_json_init(&m);
    puts_(&m, message);
    puts_(&m, " (through reference chain: ");
    for (size_t i = n; i-- > 0;) {
        const ref_path *p = chain[i];
        puts_(&m, p->container);
        if (!p->is_map) {
            char idx[32];
            snprintf(idx, sizeof idx, "[%zu]", p->index);
            puts_(&m, idx);
        } else if (p->key) {
            put(&m, "[\"", 2);
            put(&m, p->key, p->key_len);
            put(&m, "\"]", 2);
        } else {
            size_t klen;
            char *text = key_java_text(p->key_value, &klen);
            if (!text)
                m.oom = true;
            put(&m, "[\"", 2);
            put(&m, text ? text : "", text ? klen : 0);
            put(&m, "\"]", 2);
            free(text);
        }
        if (i > 0)
            put(&m, "->", 2);
    }
    put(&m, ")", 1);
    if (m.oom) {
        kc_verifiable_json_free(&m);
        j->oom = true;
        return -1;
    }
    j->bad = m.buf;
    return -1;
}

/* A map key as Jackson's key serializers print it (without the quotes), into a new string. */
static char *map_key_text(const kc_value *key, size_t *len)
{
    switch (kc_value_get_type(key)) {
    case KC_VALUE_BYTES: {
        size_t n;
        const uint8_t *data = kc_value_get_bytes(key, &n);
        char *b64 = malloc(4 * ((n + 2) / 3) + 1);
        if (b64)
            *len = kc_base64_encode(data, n, b64);
        return b64;
    }
    case KC_VALUE_TIMESTAMP: {
        char *buf = malloc(48);
        if (buf)
            *len = iso_date(kc_value_get_timestamp(key), buf, 48);
        return buf;
    }
    default:
        return key_java_text(key, len);
    }
}

static int write_value(kc_verifiable_json *j, const kc_value *v, const ref_path *at)
{
    if (failed(j))
        return -1;
    char num[40];
    size_t n;
    switch (kc_value_get_type(v)) {
    case KC_VALUE_NULL: put(j, "null", 4); break;
    case KC_VALUE_INT8: put_int64(j, kc_value_get_int8(v)); break;
    case KC_VALUE_INT16: put_int64(j, kc_value_get_int16(v)); break;
    case KC_VALUE_INT32: put_int64(j, kc_value_get_int32(v)); break;
    case KC_VALUE_INT64: put_int64(j, kc_value_get_int64(v)); break;
    case KC_VALUE_FLOAT32: {
        float f = kc_value_get_float32(v);
        n = kc_java_float_to_string(f, num);
        if (isfinite(f))
            put(j, num, n);
        else
            put_quoted(j, num, n);
        break;
    }
    case KC_VALUE_FLOAT64: {
        double d = kc_value_get_float64(v);
        n = kc_java_double_to_string(d, num);
        if (isfinite(d))
            put(j, num, n);
        else
            put_quoted(j, num, n);
        break;
    }
    case KC_VALUE_BOOLEAN: puts_(j, kc_value_get_boolean(v) ? "true" : "false"); break;
    case KC_VALUE_STRING: {
        const char *s = kc_value_get_string(v, &n);
        put_quoted(j, s, n);
        break;
    }
    case KC_VALUE_BYTES: {
        const uint8_t *data = kc_value_get_bytes(v, &n);
        put_base64(j, data, n);
        break;
    }
    case KC_VALUE_ARRAY:
        put(j, "[", 1);
        for (size_t i = 0; i < kc_value_array_size(v); i++) {
            if (i)
                put(j, ",", 1);
            ref_path p = {.up = at, .container = "java.util.ArrayList", .index = i};
            if (write_value(j, kc_value_array_get(v, i), &p) != 0)
                return -1;
        }
        put(j, "]", 1);
        break;
    case KC_VALUE_MAP:
        put(j, "{", 1);
        for (size_t i = 0; i < kc_value_map_size(v); i++) {
            const kc_value *key = kc_value_map_key_at(v, i);
            ref_path p = {.up = at, .container = "java.util.HashMap", .key_value = key, .is_map = true};
            if (kc_value_is_null(key))
                return fail(j, NULL_MAP_KEY, &p);
            char *text = map_key_text(key, &n);
            if (!text) {
                j->oom = true;
                return -1;
            }
            if (i)
                put(j, ",", 1);
            put_quoted(j, text, n);
            put(j, ":", 1);
            free(text);
            if (write_value(j, kc_value_map_value_at(v, i), &p) != 0)
                return -1;
        }
        put(j, "}", 1);
        break;
    case KC_VALUE_STRUCT: return fail(j, NO_SERIALIZER_STRUCT, at);
    case KC_VALUE_DECIMAL: {
        char *text = kc_value_decimal_to_string(v);
        if (!text) {
            j->oom = true;
            return -1;
        }
        puts_(j, text); /* BigDecimal.toString, unquoted, as Jackson writes it */
        free(text);
        break;
    }
    case KC_VALUE_TIMESTAMP: put_int64(j, kc_value_get_timestamp(v)); break; /* WRITE_DATES_AS_TIMESTAMPS */
    }
    return failed(j) ? -1 : 0;
}

void kc_verifiable_json_key(kc_verifiable_json *j, const char *key)
{
    put(j, j->members++ ? "," : "{", 1);
    j->key = key;
    j->key_len = strlen(key);
    put_quoted(j, key, j->key_len);
    put(j, ":", 1);
}

void kc_verifiable_json_int64(kc_verifiable_json *j, int64_t v) { put_int64(j, v); }
void kc_verifiable_json_bool(kc_verifiable_json *j, bool v) { puts_(j, v ? "true" : "false"); }

void kc_verifiable_json_string(kc_verifiable_json *j, const char *s)
{
    if (s)
        put_quoted(j, s, strlen(s));
    else
        put(j, "null", 4);
}

void kc_verifiable_json_raw(kc_verifiable_json *j, const char *json, size_t len) { put(j, json, len); }

void kc_verifiable_json_value(kc_verifiable_json *j, const kc_value *v)
{
    ref_path top = {.container = "java.util.HashMap", .key = j->key ? j->key : "", .key_len = j->key_len,
                    .is_map = true};
    (void)write_value(j, v, &top);
}

char *kc_verifiable_json_take(kc_verifiable_json *j, size_t *len)
{
    char *out = NULL;
    if (!j->oom && j->bad) {
        size_t blen = strlen(j->bad), plen = strlen(BAD_DATA);
        if ((out = malloc(plen + blen + 1))) {
            memcpy(out, BAD_DATA, plen);
            memcpy(out + plen, j->bad, blen + 1);
            *len = plen + blen;
        }
    } else if (!j->oom) {
        put(j, j->members ? "}" : "{}", j->members ? 1 : 2);
        if (!j->oom) {
            out = j->buf;
            *len = j->len;
            j->buf = NULL;
        }
    }
    kc_verifiable_json_free(j);
    return out;
}

char *kc_verifiable_json_value_new(const char *key, const kc_value *v, size_t *len, char **bad)
{
    *bad = NULL;
    kc_verifiable_json j;
    kc_verifiable_json_init(&j);
    j.key = key;
    j.key_len = strlen(key);
    kc_verifiable_json_value(&j, v);
    if (!j.oom && !j.bad && !j.buf)
        put(&j, "", 0); /* never NULL on success */
    char *out = NULL;
    if (!j.oom && j.bad) {
        *bad = j.bad;
        j.bad = NULL;
    } else if (!j.oom) {
        out = j.buf;
        *len = j.len;
        j.buf = NULL;
    }
    kc_verifiable_json_free(&j);
    return out;
}

/* ---- the connector half (both connectors are the same) ------------------------------------------ */

typedef struct verifiable_connector {
    kc_props *config;
} verifiable_connector;

void *kc_verifiable_connector_create(void) { return calloc(1, sizeof(verifiable_connector)); }

int kc_verifiable_connector_start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    verifiable_connector *c = self;
    kc_props_free(c->config);
    if (!(c->config = kc_props_copy(config)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

int kc_verifiable_connector_task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err)
{
    verifiable_connector *c = self;
    for (int i = 0; i < max_tasks; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        kc_props *p = kc_props_copy(c->config);
        if (!p || kc_props_set(p, "id", id) != 0) {
            kc_props_free(p);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        if (kc_task_configs_add(out, p) != 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    return 0;
}

void kc_verifiable_connector_stop(void *self) { (void)self; }

void kc_verifiable_connector_destroy(void *self)
{
    verifiable_connector *c = self;
    if (c)
        kc_props_free(c->config);
    free(c);
}

/* ---- registration ----------------------------------------------------------------------------- */

static const kc_plugin_desc verifiable_plugins[] = {
    {KC_PLUGIN_SOURCE, "org.apache.kafka.connect.tools.VerifiableSourceConnector", NULL,
     &kc_verifiable_source_connector},
    {KC_PLUGIN_SINK, "org.apache.kafka.connect.tools.VerifiableSinkConnector", NULL, &kc_verifiable_sink_connector},
};

int kc_verifiable_connectors_register(kc_error *err)
{
    for (size_t i = 0; i < sizeof verifiable_plugins / sizeof verifiable_plugins[0]; i++)
        if (kc_plugins_register(&verifiable_plugins[i], err) != 0)
            return -1;
    return 0;
}
