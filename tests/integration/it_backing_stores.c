/*
 * The offsets and status backing stores of distributed mode against cluster A of the test bed:
 * two workers' stores on one topic (what one writes, the other reads back), the exact records on
 * the topic (read with a plain kc_kafka_log: key and value bytes, tombstones, Java's murmur2
 * partition), the topics as created (partitions, cleanup.policy, forwarded extras), the putSafe
 * generation rule and the stale-UNASSIGNED read rule, DESTROYED as tombstones; over PLAINTEXT and
 * over SASL_SSL with SCRAM-SHA-512.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "connect/worker/offsets.h"
#include "connect/worker/worker_config.h"
#include "kc_test.h"
#include "storage/kafka_log.h"
#include "storage/status_store.h"

/* ---- helpers ------------------------------------------------------------------------------------- */

/* Java's Utils.murmur2 (storage spec §2.3). */
static uint32_t murmur2(const void *key, size_t len)
{
    const unsigned char *d = key;
    const uint32_t m = 0x5bd1e995u;
    uint32_t h = 0x9747b28cu ^ (uint32_t)len;
    for (size_t i = 0; i + 4 <= len; i += 4) {
        uint32_t k = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 | (uint32_t)d[i + 3] << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    size_t tail = len % 4, base = len - tail;
    if (tail == 3)
        h ^= (uint32_t)d[base + 2] << 16;
    if (tail >= 2)
        h ^= (uint32_t)d[base + 1] << 8;
    if (tail >= 1) {
        h ^= d[base];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

static int java_partition(const void *key, size_t len, int n)
{
    return (int)((murmur2(key, len) & 0x7fffffffu) % (uint32_t)n);
}

typedef enum transport { PLAINTEXT, SASL_SSL } transport;

static void add_transport(kc_props *p, transport t)
{
    if (t == PLAINTEXT) {
        kc_props_set(p, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"));
        return;
    }
    char jaas[512];
    snprintf(jaas, sizeof jaas,
             "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"%s\";",
             kc_testbed_require("KC_ADMIN_USER"), kc_testbed_require("KC_ADMIN_PASSWORD"));
    kc_props_set(p, "bootstrap.servers", kc_testbed_require("KC_A_SASL_SSL"));
    kc_props_set(p, "security.protocol", "SASL_SSL");
    kc_props_set(p, "sasl.mechanism", "SCRAM-SHA-512");
    kc_props_set(p, "sasl.jaas.config", jaas);
    kc_props_set(p, "ssl.truststore.type", "PEM");
    kc_props_set(p, "ssl.truststore.location", kc_testbed_require("KC_CA_FILE"));
}

typedef struct topics {
    char offsets[128];
    char status[128];
} topics;

static void new_topics(topics *t, const char *tag)
{
    static int n;
    n++;
    snprintf(t->offsets, sizeof t->offsets, "kc-bs-offsets-%s-%d-%ld-%d", tag, (int)getpid(), kc_test_now_ms(), n);
    snprintf(t->status, sizeof t->status, "kc-bs-status-%s-%d-%ld-%d", tag, (int)getpid(), kc_test_now_ms(), n);
}

/* A distributed worker's config on cluster A; extra: NULL-terminated key/value pairs. */
static kc_worker_config *worker(transport tr, const topics *t, const char *client_id, const char *const *extra)
{
    kc_props *p = kc_props_new();
    add_transport(p, tr);
    kc_props_set(p, "key.converter", "org.apache.kafka.connect.json.JsonConverter");
    kc_props_set(p, "value.converter", "org.apache.kafka.connect.json.JsonConverter");
    kc_props_set(p, "group.id", "kc-bs-group");
    kc_props_set(p, "client.id", client_id);
    kc_props_set(p, "config.storage.topic", "kc-bs-configs-unused");
    kc_props_set(p, "offset.storage.topic", t->offsets);
    kc_props_set(p, "offset.storage.replication.factor", "1");
    kc_props_set(p, "status.storage.topic", t->status);
    kc_props_set(p, "status.storage.replication.factor", "1");
    for (; extra && extra[0]; extra += 2)
        kc_props_set(p, extra[0], extra[1]);
    kc_error err;
    kc_error_clear(&err);
    kc_worker_config *wc = kc_worker_config_new(KC_WORKER_DISTRIBUTED, p, NULL, &err);
    if (!wc)
        printf("worker config: %s\n", err.msg);
    kc_props_free(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wc);
    return wc;
}
#define KV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Every record of a topic, read from the beginning with a plain read-only kc_kafka_log. */
typedef struct raw_rec {
    char *key;
    size_t key_len;
    char *value;   /* NULL: tombstone */
    size_t value_len;
    int32_t partition;
    int64_t offset;
} raw_rec;

typedef struct raw_log {
    raw_rec *recs;
    size_t n, cap;
    int partitions;
} raw_log;

static void raw_collect(void *opaque, const kc_kafka_log_record *r)
{
    raw_log *l = opaque;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->recs = realloc(l->recs, l->cap * sizeof *l->recs);
    }
    raw_rec *x = &l->recs[l->n++];
    x->key = malloc(r->key_len + 1);
    memcpy(x->key, r->key, r->key_len);
    x->key[r->key_len] = 0;
    x->key_len = r->key_len;
    x->value = NULL;
    x->value_len = r->value_len;
    if (r->value) {
        x->value = malloc(r->value_len + 1);
        memcpy(x->value, r->value, r->value_len);
        x->value[r->value_len] = 0;
    }
    x->partition = r->partition;
    x->offset = r->offset;
}

static void raw_read(raw_log *l, transport tr, const char *topic)
{
    memset(l, 0, sizeof *l);
    kc_props *p = kc_props_new();
    add_transport(p, tr);
    /* without an admin handle the end offsets are asked of the consumer, behind its long poll */
    kc_props_set(p, "fetch.max.wait.ms", "20");
    kc_error err;
    kc_error_clear(&err);
    kc_kafka_log *log = kc_kafka_log_new(topic, NULL, p, NULL, NULL, raw_collect, l, &err);
    kc_props_free(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(log);
    CU_ASSERT_EQUAL(kc_kafka_log_start(log, 60000, &err), 0);
    l->partitions = kc_kafka_log_partition_count(log);
    kc_kafka_log_free(log);
}

static void raw_free(raw_log *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->recs[i].key);
        free(l->recs[i].value);
    }
    free(l->recs);
}

/* The last record of key in l, or NULL. */
static const raw_rec *raw_last(const raw_log *l, const char *key, size_t key_len)
{
    const raw_rec *found = NULL;
    for (size_t i = 0; i < l->n; i++)
        if (l->recs[i].key_len == key_len && memcmp(l->recs[i].key, key, key_len) == 0)
            found = &l->recs[i];
    return found;
}

/* How many records of l have this key (and, when value is not NULL, this value). */
static int raw_count(const raw_log *l, const char *key, const char *value)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->recs[i].key, key) == 0 && (!value || (l->recs[i].value && strcmp(l->recs[i].value, value) == 0)))
            n++;
    return n;
}

/* Records whose partition is not Java's murmur2 partition of their key. */
static int misplaced(const raw_log *l)
{
    int bad = 0;
    for (size_t i = 0; i < l->n; i++)
        bad += l->recs[i].partition != java_partition(l->recs[i].key, l->recs[i].key_len, l->partitions);
    return bad;
}

/* A topic config value as the broker reports it, into out ("" when absent). */
static void describe_config(const char *topic, const char *name, char *out, size_t size)
{
    char errstr[512];
    out[0] = 0;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"), errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_DescribeConfigs(rk, &res, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
    if (ev) {
        size_t n = 0, ne = 0;
        const rd_kafka_ConfigResource_t **rs =
            rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &n);
        const rd_kafka_ConfigEntry_t **es = n == 1 ? rd_kafka_ConfigResource_configs(rs[0], &ne) : NULL;
        for (size_t i = 0; i < ne; i++)
            if (strcmp(rd_kafka_ConfigEntry_name(es[i]), name) == 0)
                snprintf(out, size, "%s", rd_kafka_ConfigEntry_value(es[i]) ? rd_kafka_ConfigEntry_value(es[i]) : "");
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_destroy(rk);
}

/* Creates a topic directly with the given cleanup.policy (PLAINTEXT). */
static void create_topic(const char *topic, int partitions, const char *policy)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"), errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, 1, errstr, sizeof errstr);
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", policy);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
    CU_ASSERT_PTR_NOT_NULL(ev);
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_destroy(rk);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- offsets ------------------------------------------------------------------------------------- */

#define NOFF 60

static kc_offset_store *offsets_start(const kc_worker_config *wc, const char *base)
{
    kc_error err;
    kc_error_clear(&err);
    kc_offset_store *s = kc_offset_store_kafka_new(wc, base, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    long t0 = kc_test_now_ms();
    int rc = kc_offset_store_start(s, 60000, &err);
    if (rc)
        printf("\n    offset store start: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    printf("\n    offset store (%s) started in %ld ms", base ? base : "java base", kc_test_now_ms() - t0);
    return s;
}

/* key bytes of ["<connector>",{"file":"<file>"}] */
static void offset_key(const char *connector, const char *file, char **key, size_t *len)
{
    kc_value *part = kc_value_map_new();
    kc_value_map_put_new(part, kc_value_string("file"), kc_value_string(file));
    kc_error err;
    CU_ASSERT_EQUAL_FATAL(kc_offsets_key_bytes(connector, part, key, len, &err), 0);
    kc_value_free(part);
}

static void expect_get(kc_offset_store *s, const char *key, size_t klen, const char *want)
{
    char *v = NULL;
    size_t vl = 0;
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_offset_store_get(s, key, klen, &v, &vl, &err), 0);
    if (!want) {
        CU_ASSERT_PTR_NULL(v);
    } else {
        CU_ASSERT_PTR_NOT_NULL(v);
        if (v) {
            CU_ASSERT_EQUAL(vl, strlen(want));
            CU_ASSERT_STRING_EQUAL(v, want);
        }
    }
    free(v);
}

static void offsets_roundtrip(transport tr, int n, const char *tag)
{
    topics t;
    new_topics(&t, tag);
    kc_worker_config *w1 = worker(tr, &t, "w1", KV("offset.storage.segment.ms", "600000"));
    kc_worker_config *w2 = worker(tr, &t, "w2", NULL);
    kc_offset_store *a = offsets_start(w1, NULL);
    kc_offset_store *b = offsets_start(w2, "connect-cluster-kc-bs-group");

    char policy[64], segment[64];
    describe_config(t.offsets, "cleanup.policy", policy, sizeof policy);
    describe_config(t.offsets, "segment.ms", segment, sizeof segment);
    CU_ASSERT_STRING_EQUAL(policy, "compact");
    CU_ASSERT_STRING_EQUAL(segment, "600000"); /* offset.storage.segment.ms forwarded */

    /* worker 1 writes n offsets and two of the spec's keys (§2.4: partitions 10 and 21 of 25) */
    kc_offset_map *batch = kc_offset_map_new();
    char **keys = calloc((size_t)n, sizeof *keys);
    size_t *klens = calloc((size_t)n, sizeof *klens);
    kc_error err;
    kc_error_clear(&err);
    for (int i = 0; i < n; i++) {
        char file[32], value[64];
        snprintf(file, sizeof file, "/data/f%d", i);
        snprintf(value, sizeof value, "{\"position\":%d}", i * 10);
        offset_key("conn-a", file, &keys[i], &klens[i]);
        CU_ASSERT_EQUAL(kc_offset_map_put(batch, keys[i], klens[i], value, strlen(value), &err), 0);
    }
    const char *k1 = "[\"local-file-source\",{\"filename\":\"test.txt\"}]";
    const char *k2 = "[\"file-source\",{\"filename\":\"/tmp/test.txt\"}]";
    kc_offset_map_put(batch, k1, strlen(k1), "{\"position\":42}", 15, &err);
    kc_offset_map_put(batch, k2, strlen(k2), "{\"position\":7}", 14, &err);
    long t0 = kc_test_now_ms();
    int rc = kc_offset_store_set(a, batch, NULL, NULL, 0, &err);
    if (rc)
        printf("\n    set: %s\n", err.msg);
    CU_ASSERT_EQUAL(rc, 0);
    printf("\n    set of %d offsets acknowledged in %ld ms", n + 2, kc_test_now_ms() - t0);
    kc_offset_map_free(batch);

    /* worker 2 reads them back (its get reads to the end first) */
    t0 = kc_test_now_ms();
    expect_get(b, k1, strlen(k1), "{\"position\":42}");
    printf("\n    get on the other worker (read to end) %ld ms", kc_test_now_ms() - t0);
    kc_offset_map *snap = kc_offset_store_snapshot(b, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
    CU_ASSERT_EQUAL(kc_offset_map_count(snap), (size_t)n + 2);
    int wrong = 0;
    for (int i = 0; i < n; i++) {
        char value[64];
        size_t vl = 0;
        snprintf(value, sizeof value, "{\"position\":%d}", i * 10);
        const char *v = kc_offset_map_get(snap, keys[i], klens[i], &vl);
        wrong += !v || vl != strlen(value) || memcmp(v, value, vl) != 0;
    }
    CU_ASSERT_EQUAL(wrong, 0);
    kc_offset_map_free(snap);
    /* the typed read of a connector's partition */
    kc_value *part = kc_value_map_new();
    kc_value_map_put_new(part, kc_value_string("file"), kc_value_string("/data/f3"));
    kc_value *off = NULL;
    CU_ASSERT_EQUAL(kc_offset_store_read(b, "conn-a", part, &off, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(off);
    if (off) {
        const kc_value *pos = kc_value_map_get_str(off, "position");
        CU_ASSERT(pos && kc_value_get_int64(pos) == 30);
    }
    kc_value_free(off);
    kc_value_free(part);

    /* worker 2 updates one offset and resets (tombstones) two; worker 1 sees it */
    batch = kc_offset_map_new();
    kc_offset_map_put(batch, keys[0], klens[0], "{\"position\":999}", 16, &err);
    const char *removed[2] = {keys[1], k2};
    size_t removed_len[2] = {klens[1], strlen(k2)};
    CU_ASSERT_EQUAL(kc_offset_store_set(b, batch, removed, removed_len, 2, &err), 0);
    kc_offset_map_free(batch);
    expect_get(a, keys[0], klens[0], "{\"position\":999}");
    expect_get(a, keys[1], klens[1], NULL);
    expect_get(a, k2, strlen(k2), NULL);
    snap = kc_offset_store_snapshot(a, &err);
    CU_ASSERT_EQUAL(kc_offset_map_count(snap), (size_t)n);
    kc_offset_map_free(snap);

    /* the records on the topic: Java's partitions, exact bytes, the tombstones */
    raw_log l;
    raw_read(&l, tr, t.offsets);
    CU_ASSERT_EQUAL(l.partitions, 25); /* offset.storage.partitions' default */
    CU_ASSERT_EQUAL(l.n, (size_t)n + 2 + 3);
    CU_ASSERT_EQUAL(misplaced(&l), 0);
    const raw_rec *r = raw_last(&l, k1, strlen(k1));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->partition, 10);
    CU_ASSERT_STRING_EQUAL(r->value, "{\"position\":42}");
    r = raw_last(&l, k2, strlen(k2));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->partition, 21);
    CU_ASSERT_PTR_NULL(r->value); /* tombstone */
    CU_ASSERT_EQUAL(raw_count(&l, k2, "{\"position\":7}"), 1);
    r = raw_last(&l, keys[1], klens[1]);
    CU_ASSERT(r && !r->value);
    r = raw_last(&l, keys[0], klens[0]);
    CU_ASSERT(r && r->value && strcmp(r->value, "{\"position\":999}") == 0);
    CU_ASSERT(memcmp(keys[5], "[\"conn-a\",{\"file\":\"/data/f5\"}]", klens[5]) == 0);
    raw_free(&l);

    /* a third worker started now reads the current state at start */
    kc_offset_store *c = offsets_start(w2, "late-");
    snap = kc_offset_store_snapshot(c, &err);
    CU_ASSERT_EQUAL(kc_offset_map_count(snap), (size_t)n);
    CU_ASSERT_PTR_NULL(kc_offset_map_get(snap, k2, strlen(k2), NULL));
    kc_offset_map_free(snap);

    /* after stop: a clear error, no crash */
    kc_offset_store_stop(c);
    char *v = NULL;
    size_t vl;
    CU_ASSERT_EQUAL(kc_offset_store_get(c, k1, strlen(k1), &v, &vl, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_UNAVAILABLE);
    kc_offset_store_free(c);

    for (int i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    free(klens);
    kc_offset_store_free(a);
    kc_offset_store_free(b);
    kc_worker_config_free(w1);
    kc_worker_config_free(w2);
}

static void test_offsets_plaintext(void)
{
    offsets_roundtrip(PLAINTEXT, NOFF, "plain");
}

static void test_offsets_sasl_ssl(void)
{
    offsets_roundtrip(SASL_SSL, 10, "sasl");
}

/* Several task threads commit at once through one store. */
typedef struct committer {
    kc_offset_store *s;
    int id;
    int failures;
} committer;

static void *commit_loop(void *arg)
{
    committer *c = arg;
    for (int round = 0; round < 20; round++) {
        kc_offset_map *batch = kc_offset_map_new();
        char key[64], value[64];
        kc_error err;
        snprintf(key, sizeof key, "[\"conn-%d\",{\"p\":0}]", c->id);
        snprintf(value, sizeof value, "{\"n\":%d}", round);
        kc_offset_map_put(batch, key, strlen(key), value, strlen(value), &err);
        c->failures += kc_offset_store_set(c->s, batch, NULL, NULL, 0, &err) != 0;
        kc_offset_map_free(batch);
        char *v = NULL;
        size_t vl;
        c->failures += kc_offset_store_get(c->s, key, strlen(key), &v, &vl, &err) != 0 || !v ||
                       strcmp(v, value) != 0;
        free(v);
    }
    return NULL;
}

static void test_offsets_concurrent(void)
{
    topics t;
    new_topics(&t, "conc");
    kc_worker_config *wc = worker(PLAINTEXT, &t, "w1", KV("offset.storage.partitions", "3"));
    kc_offset_store *s = offsets_start(wc, NULL);
    pthread_t th[4];
    committer c[4];
    long t0 = kc_test_now_ms();
    for (int i = 0; i < 4; i++) {
        c[i] = (committer){s, i, 0};
        pthread_create(&th[i], NULL, commit_loop, &c[i]);
    }
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        failures += c[i].failures;
    }
    printf("\n    4 threads x 20 set+get in %ld ms", kc_test_now_ms() - t0);
    CU_ASSERT_EQUAL(failures, 0);
    raw_log l;
    raw_read(&l, PLAINTEXT, t.offsets);
    CU_ASSERT_EQUAL(l.partitions, 3);
    CU_ASSERT_EQUAL(l.n, 80);
    CU_ASSERT_EQUAL(misplaced(&l), 0);
    raw_free(&l);
    kc_offset_store_free(s);
    kc_worker_config_free(wc);
}

static void test_offsets_delete_policy(void)
{
    topics t;
    new_topics(&t, "del");
    create_topic(t.offsets, 2, "delete");
    kc_worker_config *wc = worker(PLAINTEXT, &t, "w1", NULL);
    kc_error err;
    kc_error_clear(&err);
    kc_offset_store *s = kc_offset_store_kafka_new(wc, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(kc_offset_store_start(s, 30000, &err), -1);
    char want[1024];
    snprintf(want, sizeof want,
             "Topic '%s' supplied via the 'offset.storage.topic' property is required to have "
             "'cleanup.policy=compact' to guarantee consistency and durability of source connector offsets, "
             "but found the topic currently has 'cleanup.policy=delete'. Continuing would likely result in "
             "eventually losing source connector offsets and problems restarting this Connect cluster in the "
             "future. Change the 'offset.storage.topic' property in the Connect worker configurations to use a "
             "topic with 'cleanup.policy=compact'.",
             t.offsets);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, sizeof err.msg - 1), 0);
    kc_offset_store_free(s);
    kc_worker_config_free(wc);
}

/* ---- status ------------------------------------------------------------------------------------ */

typedef struct listener {
    pthread_mutex_t lock;
    int calls;
    int conn_calls;
} listener;

static void on_change(void *opaque, const char *connector, int task)
{
    (void)task;
    listener *l = opaque;
    pthread_mutex_lock(&l->lock);
    l->calls++;
    l->conn_calls += connector && strcmp(connector, "conn") == 0;
    pthread_mutex_unlock(&l->lock);
}

static kc_status_store *status_start(const kc_worker_config *wc, listener *l)
{
    kc_error err;
    kc_error_clear(&err);
    kc_status_store *s = kc_status_store_new(wc, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    if (l)
        kc_status_store_set_listener(s, on_change, l);
    long t0 = kc_test_now_ms();
    int rc = kc_status_store_start(s, 60000, &err);
    if (rc)
        printf("\n    status store start: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    printf("\n    status store started in %ld ms", kc_test_now_ms() - t0);
    return s;
}

/* Waits (up to budget_ms; 0: one look) until s holds the task (task < 0: the connector) in state by
 * worker at gen, or (want_found 0) holds nothing. Returns the milliseconds it took, -1 on time-out. */
static long wait_status_within(kc_status_store *s, const char *c, int task, int want_found, kc_state state,
                               const char *worker_id, int32_t gen, long budget_ms)
{
    long t0 = kc_test_now_ms();
    for (;;) {
        kc_status_value v;
        int found = task < 0 ? kc_status_store_get_connector(s, c, &v) : kc_status_store_get_task(s, c, task, &v);
        int ok = want_found ? found == 1 && v.state == state && v.generation == gen && v.worker_id &&
                                  strcmp(v.worker_id, worker_id) == 0
                            : found == 0;
        kc_status_value_clear(&v);
        if (ok)
            return kc_test_now_ms() - t0;
        if (kc_test_now_ms() - t0 >= budget_ms)
            return -1;
        sleep_ms(10);
    }
}

static long wait_status(kc_status_store *s, const char *c, int task, int want_found, kc_state state,
                        const char *worker_id, int32_t gen)
{
    return wait_status_within(s, c, task, want_found, state, worker_id, gen, 15000);
}

/* 1 when s holds that status right now. */
static int has_status(kc_status_store *s, const char *c, int task, kc_state state, const char *worker_id,
                      int32_t gen)
{
    return wait_status_within(s, c, task, 1, state, worker_id, gen, 0) >= 0;
}

static void flush(kc_status_store *s)
{
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_status_store_flush(s, 30000, &err), 0);
}

static void status_scenario(transport tr, const char *tag)
{
    topics t;
    new_topics(&t, tag);
    kc_worker_config *w1 = worker(tr, &t, "w1", NULL);
    kc_worker_config *w2 = worker(tr, &t, "w2", NULL);
    listener l2 = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
    kc_status_store *s1 = status_start(w1, NULL);
    kc_status_store *s2 = status_start(w2, &l2);
    char policy[64];
    describe_config(t.status, "cleanup.policy", policy, sizeof policy);
    CU_ASSERT_STRING_EQUAL(policy, "compact");

    /* worker 1 runs the connector and its tasks at generation 3; worker 2 sees them */
    long t0 = kc_test_now_ms();
    kc_status_store_put_connector(s1, "conn", KC_STATE_RUNNING, NULL, "w1:8083", 3, false);
    kc_status_store_put_task(s1, "conn", 0, KC_STATE_RUNNING, NULL, "w1:8083", 3, false);
    kc_status_store_put_task(s1, "conn", 1, KC_STATE_RUNNING, NULL, "w1:8083", 3, false);
    kc_status_store_put_connector(s1, "other", KC_STATE_PAUSED, NULL, "w1:8083", 3, false);
    kc_status_store_put_topic(s1, "conn", "lines", 0, 1700000000123LL);
    CU_ASSERT(wait_status(s2, "conn", 1, 1, KC_STATE_RUNNING, "w1:8083", 3) >= 0);
    CU_ASSERT(wait_status(s2, "conn", -1, 1, KC_STATE_RUNNING, "w1:8083", 3) >= 0);
    printf("\n    statuses of worker 1 seen by worker 2 after %ld ms", kc_test_now_ms() - t0);
    CU_ASSERT(wait_status(s2, "other", -1, 1, KC_STATE_PAUSED, "w1:8083", 3) >= 0);
    size_t n = 0;
    char **topics = NULL;
    for (int i = 0; i < 300 && n == 0; i++) {
        topics = kc_status_store_topics(s2, "conn", &n);
        if (n == 0)
            sleep_ms(10);
    }
    CU_ASSERT_EQUAL(n, 1);
    if (n == 1)
        CU_ASSERT_STRING_EQUAL(topics[0], "lines");
    for (size_t i = 0; i < n; i++)
        free(topics[i]);
    free(topics);
    pthread_mutex_lock(&l2.lock);
    CU_ASSERT(l2.conn_calls >= 1);
    pthread_mutex_unlock(&l2.lock);

    /* task 0 moves to worker 2 at generation 4; worker 1 learns it */
    kc_status_store_put_task(s2, "conn", 0, KC_STATE_RUNNING, NULL, "w2:8083", 4, false);
    CU_ASSERT(wait_status(s1, "conn", 0, 1, KC_STATE_RUNNING, "w2:8083", 4) >= 0);
    /* putSafe: worker 1's late UNASSIGNED of generation 3 is dropped (other worker, newer generation) */
    kc_status_store_put_task(s1, "conn", 0, KC_STATE_UNASSIGNED, NULL, "w1:8083", 3, true);
    /* putSafe by the same worker goes through: task 1 fails on worker 1 */
    kc_status_store_put_task(s1, "conn", 1, KC_STATE_FAILED, "boom\n\tat here", "w1:8083", 3, true);
    flush(s1);
    CU_ASSERT(wait_status(s2, "conn", 1, 1, KC_STATE_FAILED, "w1:8083", 3) >= 0);
    CU_ASSERT(wait_status(s2, "conn", 0, 1, KC_STATE_RUNNING, "w2:8083", 4) >= 0);
    kc_status_value v;
    CU_ASSERT_EQUAL(kc_status_store_get_task(s2, "conn", 1, &v), 1);
    CU_ASSERT(v.trace && strcmp(v.trace, "boom\n\tat here") == 0);
    kc_status_value_clear(&v);
    /* putSafe at a generation >= the cached one goes through too */
    kc_status_store_put_task(s1, "conn", 0, KC_STATE_UNASSIGNED, NULL, "w1:8083", 5, true);
    CU_ASSERT(wait_status(s2, "conn", 0, 1, KC_STATE_UNASSIGNED, "w1:8083", 5) >= 0);
    /* the stale-UNASSIGNED read rule: a plain put of UNASSIGNED at generation 6 reaches the topic but
     * readers that hold RUNNING of generation 6 ignore it */
    kc_status_store_put_task(s2, "conn", 2, KC_STATE_RUNNING, NULL, "w2:8083", 6, false);
    CU_ASSERT(wait_status(s1, "conn", 2, 1, KC_STATE_RUNNING, "w2:8083", 6) >= 0);
    kc_status_store_put_task(s1, "conn", 2, KC_STATE_UNASSIGNED, NULL, "w1:8083", 6, false);
    flush(s1);
    kc_status_store_put_connector(s1, "marker", KC_STATE_RUNNING, NULL, "w1:8083", 6, false);
    CU_ASSERT(wait_status(s2, "marker", -1, 1, KC_STATE_RUNNING, "w1:8083", 6) >= 0);
    CU_ASSERT(wait_status(s1, "marker", -1, 1, KC_STATE_RUNNING, "w1:8083", 6) >= 0);
    CU_ASSERT(wait_status(s2, "conn", 2, 1, KC_STATE_RUNNING, "w2:8083", 6) >= 0);
    CU_ASSERT(wait_status(s1, "conn", 2, 1, KC_STATE_RUNNING, "w2:8083", 6) >= 0);
    int *ids = NULL;
    CU_ASSERT_EQUAL(kc_status_store_tasks(s2, "conn", &ids, &n), 0);
    CU_ASSERT_EQUAL(n, 3);
    if (n == 3)
        CU_ASSERT(ids[0] == 0 && ids[1] == 1 && ids[2] == 2);
    free(ids);

    /* a third worker started now reads the state at start */
    kc_worker_config *w3 = worker(tr, &t, "w3", NULL);
    kc_status_store *s3 = status_start(w3, NULL);
    CU_ASSERT(has_status(s3, "conn", 1, KC_STATE_FAILED, "w1:8083", 3)); /* at once */
    CU_ASSERT(has_status(s3, "conn", 2, KC_STATE_RUNNING, "w2:8083", 6));
    CU_ASSERT(has_status(s3, "conn", 0, KC_STATE_UNASSIGNED, "w1:8083", 5));

    /* the connector is deleted: DESTROYED for every task, then the connector (tombstones) */
    for (int task = 0; task < 3; task++)
        kc_status_store_put_task(s1, "conn", task, KC_STATE_DESTROYED, NULL, "w1:8083", 7, false);
    kc_status_store_put_connector(s1, "conn", KC_STATE_DESTROYED, NULL, "w1:8083", 7, false);
    kc_status_store_delete_topic(s1, "conn", "lines");
    flush(s1);
    CU_ASSERT(wait_status(s2, "conn", -1, 0, KC_STATE_UNASSIGNED, NULL, 0) >= 0);
    CU_ASSERT(wait_status(s3, "conn", -1, 0, KC_STATE_UNASSIGNED, NULL, 0) >= 0);
    CU_ASSERT(wait_status(s3, "conn", 1, 0, KC_STATE_UNASSIGNED, NULL, 0) >= 0);
    CU_ASSERT(wait_status(s2, "other", -1, 1, KC_STATE_PAUSED, "w1:8083", 3) >= 0);
    CU_ASSERT_EQUAL(kc_status_store_tasks(s3, "conn", &ids, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    free(ids);
    for (int i = 0; i < 300; i++) {
        topics = kc_status_store_topics(s2, "conn", &n);
        if (n == 0)
            break;
        for (size_t k = 0; k < n; k++)
            free(topics[k]);
        free(topics);
        sleep_ms(10);
    }
    CU_ASSERT_EQUAL(n, 0);

    /* the records on the topic */
    raw_log l;
    raw_read(&l, tr, t.status);
    CU_ASSERT_EQUAL(l.partitions, 5);
    CU_ASSERT_EQUAL(misplaced(&l), 0);
    CU_ASSERT_EQUAL(raw_count(&l, "status-connector-conn",
                              "{\"state\":\"RUNNING\",\"trace\":null,\"worker_id\":\"w1:8083\",\"generation\":3}"), 1);
    CU_ASSERT_EQUAL(raw_count(&l, "status-task-conn-1",
                              "{\"state\":\"FAILED\",\"trace\":\"boom\\n\\tat here\",\"worker_id\":\"w1:8083\","
                              "\"generation\":3}"), 1);
    CU_ASSERT_EQUAL(raw_count(&l, "status-topic-lines:connector-conn",
                              "{\"topic\":{\"name\":\"lines\",\"connector\":\"conn\",\"task\":0,"
                              "\"discoverTimestamp\":1700000000123}}"), 1);
    /* the dropped putSafe never reached the topic; the stale UNASSIGNED did */
    CU_ASSERT_EQUAL(raw_count(&l, "status-task-conn-0",
                              "{\"state\":\"UNASSIGNED\",\"trace\":null,\"worker_id\":\"w1:8083\",\"generation\":3}"), 0);
    CU_ASSERT_EQUAL(raw_count(&l, "status-task-conn-2",
                              "{\"state\":\"UNASSIGNED\",\"trace\":null,\"worker_id\":\"w1:8083\",\"generation\":6}"), 1);
    const char *gone[] = {"status-connector-conn", "status-task-conn-0", "status-task-conn-1", "status-task-conn-2",
                          "status-topic-lines:connector-conn"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        const raw_rec *r = raw_last(&l, gone[i], strlen(gone[i]));
        CU_ASSERT(r && r->value == NULL);
    }
    const raw_rec *r = raw_last(&l, "status-connector-conn", strlen("status-connector-conn"));
    CU_ASSERT(r && r->partition == java_partition("status-connector-conn", 21, 5));
    printf("\n    %zu status records on the topic", l.n);
    raw_free(&l);

    kc_status_store_free(s3);
    kc_status_store_free(s1);
    kc_status_store_free(s2);
    kc_worker_config_free(w1);
    kc_worker_config_free(w2);
    kc_worker_config_free(w3);
}

static void test_status_plaintext(void)
{
    status_scenario(PLAINTEXT, "plain");
}

static void test_status_sasl_ssl(void)
{
    status_scenario(SASL_SSL, "sasl");
}

/* Many writers at once, then stop with writes still queued: nothing lost, nothing leaked. */
typedef struct writer_arg {
    kc_status_store *s;
    int id;
} writer_arg;

static void *status_writer(void *arg)
{
    writer_arg *w = arg;
    char name[32];
    snprintf(name, sizeof name, "c%d", w->id);
    for (int i = 0; i < 200; i++)
        kc_status_store_put_task(w->s, name, i % 10, i % 2 ? KC_STATE_RUNNING : KC_STATE_PAUSED, NULL, "w1:8083",
                                 i, false);
    return NULL;
}

static void test_status_concurrent_writers(void)
{
    topics t;
    new_topics(&t, "conc");
    kc_worker_config *wc = worker(PLAINTEXT, &t, "w1", NULL);
    kc_status_store *s = status_start(wc, NULL);
    pthread_t th[4];
    writer_arg a[4];
    long t0 = kc_test_now_ms();
    for (int i = 0; i < 4; i++) {
        a[i] = (writer_arg){s, i};
        pthread_create(&th[i], NULL, status_writer, &a[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    kc_status_store_stop(s); /* flushes */
    printf("\n    800 status writes from 4 threads, stopped in %ld ms", kc_test_now_ms() - t0);
    raw_log l;
    raw_read(&l, PLAINTEXT, t.status);
    CU_ASSERT_EQUAL(l.n, 800);
    CU_ASSERT_EQUAL(misplaced(&l), 0);
    raw_free(&l);
    kc_status_store *s2 = status_start(wc, NULL);
    CU_ASSERT(has_status(s2, "c3", 9, KC_STATE_RUNNING, "w1:8083", 199));
    kc_status_store_free(s2);
    kc_status_store_free(s);
    kc_worker_config_free(wc);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* spec §2.4 vectors, before anything relies on them */
    if (murmur2("abc", 3) != 479470107u || java_partition("status-connector-foo", 20, 5) != 3) {
        fprintf(stderr, "murmur2 self-check failed\n");
        return 1;
    }
    static const kc_test_case cases[] = {
        {"offsets: two workers over PLAINTEXT, exact records, murmur2 partitions, tombstones, topic settings",
         test_offsets_plaintext},
        {"offsets: 4 task threads set+get through one store", test_offsets_concurrent},
        {"offsets: an existing topic with cleanup.policy=delete fails start with Java's message",
         test_offsets_delete_policy},
        {"status: two workers over PLAINTEXT, putSafe, stale UNASSIGNED, DESTROYED tombstones, a third reader",
         test_status_plaintext},
        {"status: 800 writes from 4 threads, stop flushes them", test_status_concurrent_writers},
        {"offsets over SASL_SSL + SCRAM-SHA-512", test_offsets_sasl_ssl},
        {"status over SASL_SSL + SCRAM-SHA-512", test_status_sasl_ssl},
        {NULL, NULL},
    };
    return kc_test_run("it_backing_stores", cases);
}
