/*
 * VerifiableSinkConnector and VerifiableSinkTask (org.apache.kafka.connect.tools); see verifiable.h.
 *
 * Owns: per task (the connector half is shared, in verifiable.c) the records put and not flushed
 * yet, kept per topic partition (record.topic() and kafkaPartition(), as Java keys them) in the
 * order they came, each as its two pre-written JSON values ("task" = the key, "seqno" = the value) and its
 * offset, so a flush prints exactly what the put printed with the new time and "flushed":true.
 * Unflushed records grow until the worker flushes, as in Java; destroy frees what is left. Records
 * given to put are borrowed.
 * Threads: every task function on the task's thread.
 */
#include "verifiable.h"

#include <stdlib.h>
#include <string.h>

#define INVALID_CONFIG "Invalid VerifiableSourceTask configuration" /* sic: Java's sink says Source */
#define BAD_DATA "Bad data can't be written as json: "

/* ---- task -------------------------------------------------------------------------------------- */

/* One record put and not flushed yet. */
typedef struct pending {
    char *json;          /* the "task" JSON then the "seqno" JSON; or the whole "Bad data" line */
    size_t task_len, len;
    bool bad;
    int64_t offset;
} pending;

typedef struct partition_pending {
    char *topic;
    int32_t partition;
    pending *items;
    size_t count, cap;
} partition_pending;

typedef struct sink_task {
    char *name;          /* the connector's name; NULL prints null */
    int32_t id;
    partition_pending *parts;
    size_t nparts, cap;
} sink_task;

static void *task_create(void) { return calloc(1, sizeof(sink_task)); }

static int task_start(void *self, kc_sink_task_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    sink_task *t = self;
    const char *name = kc_props_get(config, "name");
    if (kc_verifiable_parse_int(kc_props_get(config, "id"), &t->id, err) != 0)
        return kc_error_prefix(err, INVALID_CONFIG);
    if (name && !(t->name = strdup(name)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static void partition_free(partition_pending *p)
{
    for (size_t i = 0; i < p->count; i++)
        free(p->items[i].json);
    free(p->items);
    free(p->topic);
}

/* The pending entry of a record, 0 or -1 when out of memory. */
static int pending_of(const kc_record *r, pending *out)
{
    *out = (pending){.offset = r->kafka_offset};
    size_t tlen = 0, slen = 0;
    char *bad = NULL, *seqno = NULL;
    char *task = kc_verifiable_json_value_new("task", r->key, &tlen, &bad);
    if (task)
        seqno = kc_verifiable_json_value_new("seqno", r->value, &slen, &bad);
    if (!bad && (!task || !seqno)) {
        free(task);
        return -1;
    }
    if (bad) { /* Jackson fails the whole map: the line is its message */
        free(task);
        size_t plen = strlen(BAD_DATA), blen = strlen(bad);
        out->json = malloc(plen + blen + 1);
        if (out->json) {
            memcpy(out->json, BAD_DATA, plen);
            memcpy(out->json + plen, bad, blen + 1);
            out->len = plen + blen;
            out->bad = true;
        }
        free(bad);
        return out->json ? 0 : -1;
    }
    out->json = malloc(tlen + slen + 1);
    if (out->json) {
        memcpy(out->json, task, tlen);
        memcpy(out->json + tlen, seqno, slen + 1);
        out->task_len = tlen;
        out->len = tlen + slen;
    }
    free(task);
    free(seqno);
    return out->json ? 0 : -1;
}

/* Prints the line of one record: Java's HashMap order task, seqno, offset, time_ms, name, topic,
 * sinkTask (then flushed). 0, or -1 when out of memory. */
static int print_record(const sink_task *t, const char *topic, const pending *p, int64_t now_ms, bool flushed)
{
    if (p->bad) {
        kc_verifiable_print_line(p->json, p->len);
        return 0;
    }
    kc_verifiable_json j;
    kc_verifiable_json_init(&j);
    kc_verifiable_json_key(&j, "task");
    kc_verifiable_json_raw(&j, p->json, p->task_len);
    kc_verifiable_json_key(&j, "seqno");
    kc_verifiable_json_raw(&j, p->json + p->task_len, p->len - p->task_len);
    kc_verifiable_json_key(&j, "offset");
    kc_verifiable_json_int64(&j, p->offset);
    kc_verifiable_json_key(&j, "time_ms");
    kc_verifiable_json_int64(&j, now_ms);
    kc_verifiable_json_key(&j, "name");
    kc_verifiable_json_string(&j, t->name);
    kc_verifiable_json_key(&j, "topic");
    kc_verifiable_json_string(&j, topic);
    kc_verifiable_json_key(&j, "sinkTask");
    kc_verifiable_json_int64(&j, t->id);
    if (flushed) {
        kc_verifiable_json_key(&j, "flushed");
        kc_verifiable_json_bool(&j, true);
    }
    size_t len;
    char *line = kc_verifiable_json_take(&j, &len);
    if (!line)
        return -1;
    kc_verifiable_print_line(line, len);
    free(line);
    return 0;
}

static partition_pending *find_partition(sink_task *t, const char *topic, int32_t partition)
{
    for (size_t i = 0; i < t->nparts; i++)
        if (t->parts[i].partition == partition && strcmp(t->parts[i].topic, topic) == 0)
            return &t->parts[i];
    return NULL;
}

/* Keeps p (taken) until its partition is flushed. 0, or -1 when out of memory (p freed). */
static int keep(sink_task *t, const char *topic, int32_t partition, pending *p)
{
    partition_pending *pp = find_partition(t, topic, partition);
    if (!pp) {
        if (t->nparts == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 8;
            partition_pending *grown = realloc(t->parts, cap * sizeof *grown);
            if (!grown)
                goto oom;
            t->parts = grown;
            t->cap = cap;
        }
        char *copy = strdup(topic);
        if (!copy)
            goto oom;
        pp = &t->parts[t->nparts++];
        *pp = (partition_pending){.topic = copy, .partition = partition};
    }
    if (pp->count == pp->cap) {
        size_t cap = pp->cap ? pp->cap * 2 : 64;
        pending *grown = realloc(pp->items, cap * sizeof *grown);
        if (!grown)
            goto oom;
        pp->items = grown;
        pp->cap = cap;
    }
    pp->items[pp->count++] = *p;
    return 0;
oom:
    free(p->json);
    return -1;
}

static int task_put(void *self, kc_record *const *records, size_t n, kc_error *err)
{
    sink_task *t = self;
    int64_t now_ms = kc_verifiable_now_ms();
    for (size_t i = 0; i < n; i++) {
        const kc_record *r = records[i];
        pending p;
        if (pending_of(r, &p) != 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        if (print_record(t, r->topic, &p, now_ms, false) != 0) {
            free(p.json);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        if (keep(t, r->topic, r->kafka_partition, &p) != 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    return 0;
}

static int task_flush(void *self, const kc_partition_offset *offsets, size_t n, kc_error *err)
{
    sink_task *t = self;
    int64_t now_ms = kc_verifiable_now_ms();
    for (size_t i = 0; i < n; i++) {
        partition_pending *pp = find_partition(t, offsets[i].topic, offsets[i].partition);
        if (!pp)
            continue;
        for (size_t k = 0; k < pp->count; k++)
            if (print_record(t, pp->topic, &pp->items[k], now_ms, true) != 0)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        partition_free(pp);
        *pp = t->parts[--t->nparts];
    }
    return 0;
}

static void task_stop(void *self) { (void)self; }

static void task_destroy(void *self)
{
    sink_task *t = self;
    if (!t)
        return;
    for (size_t i = 0; i < t->nparts; i++)
        partition_free(&t->parts[i]);
    free(t->parts);
    free(t->name);
    free(t);
}

static const kc_sink_task_plugin sink_task_plugin = {
    .create = task_create,
    .start = task_start,
    .put = task_put,
    .flush = task_flush,
    .stop = task_stop,
    .destroy = task_destroy,
};

/* Java's config() is an empty ConfigDef: no keys of its own. */
const kc_connector_plugin kc_verifiable_sink_connector = {
    .kind = KC_PLUGIN_SINK,
    .class_name = "org.apache.kafka.connect.tools.VerifiableSinkConnector",
    .config = NULL,
    .config_count = 0,
    .create = kc_verifiable_connector_create,
    .start = kc_verifiable_connector_start,
    .task_configs = kc_verifiable_connector_task_configs,
    .stop = kc_verifiable_connector_stop,
    .destroy = kc_verifiable_connector_destroy,
    .sink_task = &sink_task_plugin,
};
