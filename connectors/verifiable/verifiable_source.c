/*
 * VerifiableSourceConnector and VerifiableSourceTask (org.apache.kafka.connect.tools), and the
 * ThroughputThrottler arithmetic of org.apache.kafka.server.util; see verifiable.h.
 *
 * Owns: per task its strings, the struct schema of complete.record.data (one reference) and the
 * throttler (the connector half is shared, in verifiable.c). Records from poll are handed over;
 * the record given to commit_record is borrowed.
 * Threads: start, poll and commit_record run on the task's thread (commit_record from the
 * producer's delivery callback, served by the task loop); stop runs on another thread and only
 * sets a flag and wakes a sleeping throttle.
 */
#include "verifiable.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "connect/api/log.h"

#define LOGGER "org.apache.kafka.connect.tools.VerifiableSourceTask"
#define INVALID_CONFIG "Invalid VerifiableSourceTask configuration"
#define NS_PER_SEC 1000000000LL
#define MAX_WAIT_MS 1000 /* a poll returns at least this often while throughput=0 holds it */

/* ---- ThroughputThrottler ----------------------------------------------------------------------- */

void kc_verifiable_throttler_init(kc_verifiable_throttler *t, double target, int64_t start_ms)
{
    t->target = target;
    t->start_ms = start_ms;
    t->sleep_deficit_ns = 0;
    if (target > 0) {
        double ns = (double)NS_PER_SEC / target;
        t->sleep_time_ns = ns >= 9.2e18 ? INT64_MAX : (int64_t)ns; /* Java's (long) cast saturates */
    } else {
        t->sleep_time_ns = INT64_MAX;
    }
}

bool kc_verifiable_throttler_should_throttle(const kc_verifiable_throttler *t, int64_t amount_so_far,
                                             int64_t send_start_ms)
{
    if (t->target < 0)
        return false;
    /* Java: float elapsedSec = (sendStartMs - startMs) / 1000.f */
    float elapsed = (float)(send_start_ms - t->start_ms) / 1000.f;
    return elapsed > 0 && ((double)amount_so_far / (double)elapsed) > t->target;
}

int64_t kc_verifiable_throttler_charge(kc_verifiable_throttler *t)
{
    if (t->target == 0)
        return -1;
    t->sleep_deficit_ns = t->sleep_deficit_ns > INT64_MAX - t->sleep_time_ns ? INT64_MAX
                                                                               : t->sleep_deficit_ns + t->sleep_time_ns;
    if (t->sleep_deficit_ns < KC_VERIFIABLE_MIN_SLEEP_NS)
        return 0;
    int64_t ns = t->sleep_deficit_ns;
    t->sleep_deficit_ns = 0;
    return ns;
}

/* ---- task -------------------------------------------------------------------------------------- */

typedef struct source_task {
    kc_source_task_context *ctx;
    char *name;                         /* the connector's name; NULL prints null */
    int32_t id;
    char *topic;
    bool complete;                      /* complete.record.data */
    const kc_schema *complete_schema;   /* reference, when complete */
    int64_t seqno, starting_seqno;
    kc_verifiable_throttler throttler;
    pthread_mutex_t lock;
    pthread_cond_t wake;                /* on CLOCK_MONOTONIC */
    bool stopping;                      /* guarded by lock */
} source_task;

static void *task_create(void)
{
    source_task *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, &attr);
    pthread_condattr_destroy(&attr);
    return t;
}

static const kc_schema *build_complete_schema(kc_error *err)
{
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_field(b, "name", kc_schema_string());
    kc_schema_builder_field(b, "task", kc_schema_int32());
    kc_schema_builder_field(b, "topic", kc_schema_string());
    kc_schema_builder_field(b, "time_ms", kc_schema_int64());
    kc_schema_builder_field(b, "seqno", kc_schema_int64());
    return kc_schema_builder_build(b, err);
}

/* {"id": <id>} (Integer, as Java's Map.of(ID_FIELD, id)). */
static kc_value *partition_map(int32_t id)
{
    kc_value *m = kc_value_map_new();
    if (!m || kc_value_map_put_str_new(m, "id", kc_value_int32(id)) != 0) {
        kc_value_free(m);
        return NULL;
    }
    return m;
}

static int task_start(void *self, kc_source_task_context *ctx, const kc_props *config, kc_error *err)
{
    source_task *t = self;
    t->ctx = ctx;
    const char *name = kc_props_get(config, "name");
    const char *topic = kc_props_get(config, "topic");
    int64_t throughput;
    if (kc_verifiable_parse_int(kc_props_get(config, "id"), &t->id, err) != 0 ||
        kc_verifiable_parse_long(kc_props_get(config, "throughput"), &throughput, err) != 0)
        return kc_error_prefix(err, INVALID_CONFIG);
    if (!topic) /* Java fails later, when the producer meets the null topic */
        return kc_error_set(err, KC_ERR_INVALID, INVALID_CONFIG ": topic is not set");
    if ((name && !(t->name = strdup(name))) || !(t->topic = strdup(topic)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");

    kc_value *partition = partition_map(t->id), *offset = NULL;
    if (!partition)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = kc_verifiable_read_offset(ctx, partition, &offset, err);
    kc_value_free(partition);
    if (rc != 0)
        return -1;
    t->seqno = 0;
    if (offset) {
        const kc_value *seqno = kc_value_map_get_str(offset, "seqno");
        kc_value_type type = kc_value_get_type(seqno);
        if (type < KC_VALUE_INT8 || type > KC_VALUE_INT64) {
            kc_value_free(offset);
            return kc_error_set(err, KC_ERR_INVALID, "VerifiableSourceTask %s-%d: the committed offset has no "
                                "integer 'seqno'", name ? name : "null", (int)t->id);
        }
        t->seqno = (type == KC_VALUE_INT64 ? kc_value_get_int64(seqno)
                    : type == KC_VALUE_INT32 ? kc_value_get_int32(seqno)
                    : type == KC_VALUE_INT16 ? kc_value_get_int16(seqno) : kc_value_get_int8(seqno)) + 1;
        kc_value_free(offset);
    }
    t->starting_seqno = t->seqno;
    kc_verifiable_throttler_init(&t->throttler, (double)throughput, kc_verifiable_now_ms());
    const char *complete = kc_props_get(config, "complete.record.data");
    t->complete = complete && strcasecmp(complete, "true") == 0;
    if (t->complete && !(t->complete_schema = build_complete_schema(err)))
        return -1;
    kc_log(KC_LOG_INFO, LOGGER, "Started VerifiableSourceTask %s-%d producing to topic %s resuming from seqno %lld",
           name ? name : "null", (int)t->id, t->topic, (long long)t->starting_seqno);
    return 0;
}

static bool stopping(source_task *t)
{
    pthread_mutex_lock(&t->lock);
    bool s = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return s;
}

/* Sleeps ns on the monotonic clock unless stop comes first. Returns true when stopped. */
static bool sleep_ns(source_task *t, int64_t ns)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t total = (int64_t)until.tv_nsec + ns % NS_PER_SEC;
    until.tv_sec += (time_t)(ns / NS_PER_SEC + total / NS_PER_SEC);
    until.tv_nsec = (long)(total % NS_PER_SEC);
    pthread_mutex_lock(&t->lock);
    while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
        ;
    bool s = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return s;
}

/* The poll / commit line: the HashMap of name, task, topic, time_ms, seqno (and committed). */
static char *task_line(const source_task *t, int64_t now_ms, const kc_value *committed_value, int64_t seqno,
                       size_t *len)
{
    kc_verifiable_json j;
    kc_verifiable_json_init(&j);
    if (committed_value) {
        kc_verifiable_json_key(&j, "committed");
        kc_verifiable_json_bool(&j, true);
    }
    kc_verifiable_json_key(&j, "task");
    kc_verifiable_json_int64(&j, t->id);
    kc_verifiable_json_key(&j, "seqno");
    if (committed_value)
        kc_verifiable_json_value(&j, committed_value);
    else
        kc_verifiable_json_int64(&j, seqno);
    kc_verifiable_json_key(&j, "time_ms");
    kc_verifiable_json_int64(&j, now_ms);
    kc_verifiable_json_key(&j, "name");
    kc_verifiable_json_string(&j, t->name);
    kc_verifiable_json_key(&j, "topic");
    kc_verifiable_json_string(&j, t->topic);
    return kc_verifiable_json_take(&j, len);
}

static kc_value *complete_value(const source_task *t, int64_t now_ms, kc_error *err)
{
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); /* unless a call below says more */
    kc_value *st = kc_value_struct_new(t->complete_schema, err);
    if (!st)
        return NULL;
    if (kc_value_struct_put_new(st, "name", t->name ? kc_value_string(t->name) : kc_value_null(), err) != 0 ||
        kc_value_struct_put_new(st, "task", kc_value_int32(t->id), err) != 0 ||
        kc_value_struct_put_new(st, "topic", kc_value_string(t->topic), err) != 0 ||
        kc_value_struct_put_new(st, "time_ms", kc_value_int64(now_ms), err) != 0 ||
        kc_value_struct_put_new(st, "seqno", kc_value_int64(t->seqno), err) != 0) {
        kc_value_free(st);
        return NULL;
    }
    return st;
}

static int task_poll(void *self, kc_record_list *out, kc_error *err)
{
    source_task *t = self;
    int64_t send_start_ms = kc_verifiable_now_ms();
    if (kc_verifiable_throttler_should_throttle(&t->throttler, t->seqno - t->starting_seqno, send_start_ms)) {
        int64_t ns = kc_verifiable_throttler_charge(&t->throttler);
        if (ns < 0) { /* throughput 0: Java waits for stop; we come back to the worker every second */
            sleep_ns(t, (int64_t)MAX_WAIT_MS * 1000000);
            return 0;
        }
        if (ns > 0 && sleep_ns(t, ns))
            return 0; /* stopping: no record the worker would not send */
    }
    if (stopping(t))
        return 0;
    int64_t now_ms = kc_verifiable_now_ms();
    size_t len;
    char *line = task_line(t, now_ms, NULL, t->seqno, &len);
    if (!line)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_verifiable_print_line(line, len);
    free(line);

    kc_value *value = t->complete ? complete_value(t, now_ms, err) : kc_value_int64(t->seqno);
    if (!value) /* a struct field Java's Struct.put refuses too (a null name), or out of memory */
        return t->complete ? -1 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_record *r = kc_record_new(t->topic);
    kc_value *key = kc_value_int32(t->id);
    kc_value *partition = partition_map(t->id), *offset = kc_value_map_new();
    if (!r || !key || !partition || !offset ||
        kc_value_map_put_str_new(offset, "seqno", kc_value_int64(t->seqno)) != 0) {
        kc_record_free(r);
        kc_value_free(key);
        kc_value_free(value);
        kc_value_free(partition);
        kc_value_free(offset);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    kc_record_set_key_new(r, kc_schema_int32(), key);
    kc_record_set_value_new(r, t->complete ? kc_schema_ref(t->complete_schema) : kc_schema_int64(), value);
    r->source_partition = partition;
    r->source_offset = offset;
    if (kc_record_list_add(out, r) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    t->seqno++;
    return 0;
}

static void task_commit_record(void *self, const kc_record *record, int32_t partition, int64_t offset)
{
    (void)partition; /* Java prints the line whatever the metadata (also for filtered records) */
    (void)offset;
    source_task *t = self;
    size_t len;
    char *line = task_line(t, kc_verifiable_now_ms(), record->value ? record->value : kc_value_null(), 0, &len);
    if (!line) {
        kc_log(KC_LOG_ERROR, LOGGER, "VerifiableSourceTask: out of memory printing a committed record");
        return;
    }
    kc_verifiable_print_line(line, len);
    free(line);
}

static void task_stop(void *self)
{
    source_task *t = self;
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void task_destroy(void *self)
{
    source_task *t = self;
    if (!t)
        return;
    free(t->name);
    free(t->topic);
    kc_schema_unref(t->complete_schema);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->wake);
    free(t);
}

static const kc_source_task_plugin source_task_plugin = {
    .create = task_create,
    .start = task_start,
    .poll = task_poll,
    .commit_record = task_commit_record,
    .stop = task_stop,
    .destroy = task_destroy,
};

/* Java's config() is an empty ConfigDef: no keys of its own (topic, throughput, ... are read by the
 * task without validation). */
const kc_connector_plugin kc_verifiable_source_connector = {
    .kind = KC_PLUGIN_SOURCE,
    .class_name = "org.apache.kafka.connect.tools.VerifiableSourceConnector",
    .config = NULL,
    .config_count = 0,
    .create = kc_verifiable_connector_create,
    .start = kc_verifiable_connector_start,
    .task_configs = kc_verifiable_connector_task_configs,
    .stop = kc_verifiable_connector_stop,
    .destroy = kc_verifiable_connector_destroy,
    .source_task = &source_task_plugin,
};
