/* KafkaBasedLog + TopicAdmin checks (storage/kafka_log.h) against cluster A (PLAINTEXT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "kc_test.h"
#include "storage/kafka_log.h"

#define NREC 1000
#define NKEYS 100
#define NTOMB 20
#define MAXREC 4096

typedef struct rec {
    char key[32];
    char value[32];  /* "" with tomb = 1 for a tombstone */
    int tomb;
    int32_t partition;
    int64_t offset;
} rec;

typedef struct sink {
    rec *recs;
    int n;
} sink;

static void collect(void *opaque, const kc_kafka_log_record *r)
{
    sink *s = opaque;
    if (s->n >= MAXREC)
        return;
    rec *x = &s->recs[s->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->key, sizeof x->key, "%.*s", (int)r->key_len, (const char *)r->key);
    if (r->value)
        snprintf(x->value, sizeof x->value, "%.*s", (int)r->value_len, (const char *)r->value);
    x->tomb = r->value == NULL;
    x->partition = r->partition;
    x->offset = r->offset;
}

static void topic_name(char *buf, size_t size, const char *what)
{
    snprintf(buf, size, "kc-log-%s-%d-%ld", what, (int)getpid(), kc_test_now_ms());
}

static kc_props *client_props(void)
{
    kc_props *p = kc_props_new();
    kc_props_set(p, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"));
    return p;
}

static kc_kafka_log_topic_spec offsets_spec(int partitions)
{
    kc_kafka_log_topic_spec s;
    memset(&s, 0, sizeof s);
    s.partitions = partitions;
    s.replication_factor = 1;
    s.property = "offset.storage.topic";
    s.purpose = "source connector offsets";
    return s;
}

static kc_kafka_log *new_log(const char *topic, const kc_kafka_log_topic_spec *spec, int read_only,
                             sink *s)
{
    kc_props *p = client_props();
    kc_error err;
    kc_error_clear(&err);
    kc_kafka_log *log = kc_kafka_log_new(topic, read_only ? NULL : p, p, p, spec, collect, s, &err);
    kc_props_free(p);
    CU_ASSERT_PTR_NOT_NULL(log);
    return log;
}

/* Creates a topic directly with the given cleanup.policy. */
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
    if (ev) {
        size_t n = 0;
        const rd_kafka_topic_result_t **tr =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
        CU_ASSERT_EQUAL(n, 1);
        if (n == 1)
            CU_ASSERT_EQUAL(rd_kafka_topic_result_error(tr[0]), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_destroy(rk);
}

/* The topic's cleanup.policy as the broker reports it, into out. */
static void describe_policy(const char *topic, char *out, size_t size)
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
            if (strcmp(rd_kafka_ConfigEntry_name(es[i]), "cleanup.policy") == 0)
                snprintf(out, size, "%s", rd_kafka_ConfigEntry_value(es[i]));
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_destroy(rk);
}

typedef struct sent {
    rec recs[NREC + NTOMB];
    int acked;
    int failed;
} sent;

typedef struct send_ctx {
    sent *s;
    int idx;
} send_ctx;

static void on_sent(void *opaque, const kc_error *err, int32_t partition, int64_t offset)
{
    send_ctx *c = opaque;
    if (err) {
        c->s->failed++;
        return;
    }
    c->s->recs[c->idx].partition = partition;
    c->s->recs[c->idx].offset = offset;
    c->s->acked++;
}

static int cmp_rec(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->partition != y->partition)
        return x->partition < y->partition ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static void test_write_and_read_back(void)
{
    char topic[128];
    topic_name(topic, sizeof topic, "rw");
    sink s1 = {calloc(MAXREC, sizeof(rec)), 0};
    kc_kafka_log_topic_spec spec = offsets_spec(5);
    kc_kafka_log *log = new_log(topic, &spec, 0, &s1);
    kc_error err;
    kc_error_clear(&err);
    long t0 = kc_test_now_ms();
    CU_ASSERT_EQUAL_FATAL(kc_kafka_log_start(log, 60000, &err), 0);
    printf("\n    start (create) %ld ms\n", kc_test_now_ms() - t0);
    CU_ASSERT_EQUAL(kc_kafka_log_partition_count(log), 5);
    CU_ASSERT_EQUAL(s1.n, 0);
    char policy[128];
    describe_policy(topic, policy, sizeof policy);
    CU_ASSERT_STRING_EQUAL(policy, "compact");

    sent *snt = calloc(1, sizeof *snt);
    send_ctx *ctx = calloc(NREC + NTOMB, sizeof *ctx);
    /* a synchronous send first: it returns acknowledged, with its position */
    int32_t part = -1;
    int64_t off = -1;
    snprintf(snt->recs[0].key, sizeof snt->recs[0].key, "key-%d", 0);
    snprintf(snt->recs[0].value, sizeof snt->recs[0].value, "value-%d", 0);
    CU_ASSERT_EQUAL(kc_kafka_log_send(log, snt->recs[0].key, strlen(snt->recs[0].key), snt->recs[0].value,
                                      strlen(snt->recs[0].value), -1, 30000, &part, &off, &err), 0);
    CU_ASSERT(part >= 0 && part < 5);
    CU_ASSERT_EQUAL(off, 0);
    snt->recs[0].partition = part;
    snt->recs[0].offset = off;
    snt->acked = 1;
    t0 = kc_test_now_ms();
    for (int i = 1; i < NREC + NTOMB; i++) {
        rec *r = &snt->recs[i];
        ctx[i].s = snt;
        ctx[i].idx = i;
        if (i < NREC) {
            snprintf(r->key, sizeof r->key, "key-%d", i % NKEYS);
            snprintf(r->value, sizeof r->value, "value-%d", i);
        } else {
            snprintf(r->key, sizeof r->key, "key-%d", (i - NREC) * 3);
            r->tomb = 1;
        }
        CU_ASSERT_EQUAL(kc_kafka_log_send_async(log, r->key, strlen(r->key), r->tomb ? NULL : r->value,
                                                r->tomb ? 0 : strlen(r->value), -1, on_sent, &ctx[i],
                                                &err), 0);
    }
    CU_ASSERT_EQUAL(kc_kafka_log_flush(log, 60000, &err), 0);
    printf("    %d async sends acknowledged in %ld ms\n", NREC + NTOMB - 1, kc_test_now_ms() - t0);
    CU_ASSERT_EQUAL(snt->acked, NREC + NTOMB);
    CU_ASSERT_EQUAL(snt->failed, 0);

    /* the writer's own read_to_end sees its writes */
    CU_ASSERT_EQUAL(kc_kafka_log_read_to_end(log, 30000, &err), 0);
    CU_ASSERT_EQUAL(s1.n, NREC + NTOMB);

    /* a second instance reads everything at start, in order per partition */
    sink s2 = {calloc(MAXREC, sizeof(rec)), 0};
    kc_kafka_log *log2 = new_log(topic, &spec, 1, &s2);
    t0 = kc_test_now_ms();
    CU_ASSERT_EQUAL_FATAL(kc_kafka_log_start(log2, 60000, &err), 0);
    printf("    second log: start (verify + read %d records) %ld ms\n", s2.n, kc_test_now_ms() - t0);
    CU_ASSERT_EQUAL(s2.n, NREC + NTOMB);
    qsort(snt->recs, NREC + NTOMB, sizeof(rec), cmp_rec);
    int tombs = 0, mismatches = 0, order = 0;
    int64_t last[5] = {-1, -1, -1, -1, -1};
    for (int i = 0; i < s2.n && i < NREC + NTOMB; i++) {
        const rec *g = &s2.recs[i];
        /* delivery order per partition: offsets strictly increasing */
        if (g->partition < 0 || g->partition >= 5 || g->offset <= last[g->partition])
            order++;
        else
            last[g->partition] = g->offset;
        tombs += g->tomb;
    }
    qsort(s2.recs, (size_t)s2.n, sizeof(rec), cmp_rec);
    for (int i = 0; i < s2.n && i < NREC + NTOMB; i++) {
        const rec *g = &s2.recs[i], *w = &snt->recs[i];
        if (g->partition != w->partition || g->offset != w->offset || strcmp(g->key, w->key) ||
            g->tomb != w->tomb || strcmp(g->value, w->value))
            mismatches++;
    }
    CU_ASSERT_EQUAL(order, 0);
    CU_ASSERT_EQUAL(mismatches, 0);
    CU_ASSERT_EQUAL(tombs, NTOMB);
    printf("    records %d, tombstones %d, order violations %d, mismatches %d\n", s2.n, tombs, order,
           mismatches);

    /* read_to_end on an up-to-date log returns quickly and delivers nothing new */
    int before = s2.n;
    CU_ASSERT_EQUAL(kc_kafka_log_read_to_end(log2, 10000, &err), 0);
    CU_ASSERT_EQUAL(s2.n, before);

    /* a new record after start reaches the second log on its next read_to_end */
    CU_ASSERT_EQUAL(kc_kafka_log_send(log, "late", 4, "v", 1, -1, 30000, NULL, NULL, &err), 0);
    CU_ASSERT_EQUAL(kc_kafka_log_read_to_end(log2, 30000, &err), 0);
    CU_ASSERT_EQUAL(s2.n, before + 1);
    if (s2.n == before + 1)
        CU_ASSERT_STRING_EQUAL(s2.recs[before].key, "late");

    /* read-only logs refuse writes with Java's message */
    CU_ASSERT_EQUAL(kc_kafka_log_send(log2, "k", 1, "v", 1, -1, 1000, NULL, NULL, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "This KafkaBasedLog was created in read-only mode and does not "
                                    "support write operations");
    kc_kafka_log_free(log2);
    kc_kafka_log_free(log);
    free(s1.recs);
    free(s2.recs);
    free(snt);
    free(ctx);
}

static void expect_policy_failure(const char *policy, const char *found)
{
    char topic[128];
    topic_name(topic, sizeof topic, "del");
    create_topic(topic, 1, policy);
    sink s = {calloc(MAXREC, sizeof(rec)), 0};
    kc_kafka_log_topic_spec spec = offsets_spec(1);
    spec.property = "config.storage.topic";
    spec.purpose = "connector configurations";
    spec.require_single_partition = 1;
    kc_kafka_log *log = new_log(topic, &spec, 0, &s);
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_kafka_log_start(log, 30000, &err), -1);
    char want[1024];
    snprintf(want, sizeof want,
             "Topic '%s' supplied via the 'config.storage.topic' property is required to have "
             "'cleanup.policy=compact' to guarantee consistency and durability of connector "
             "configurations, but found the topic currently has 'cleanup.policy=%s'. Continuing would "
             "likely result in eventually losing connector configurations and problems restarting this "
             "Connect cluster in the future. Change the 'config.storage.topic' property in the Connect "
             "worker configurations to use a topic with 'cleanup.policy=compact'.",
             topic, found);
    CU_ASSERT_STRING_EQUAL(kc_kafka_log_last_error(log), want);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, sizeof err.msg - 1), 0);
    printf("\n    %s\n", kc_kafka_log_last_error(log));
    kc_kafka_log_free(log);
    free(s.recs);
}

static void test_delete_policy_fails(void)
{
    expect_policy_failure("delete", "delete");
}

static void test_compact_delete_policy_fails(void)
{
    expect_policy_failure("compact,delete", "compact,delete");
}

static void test_config_topic_single_partition(void)
{
    char topic[128];
    topic_name(topic, sizeof topic, "cfg3");
    create_topic(topic, 3, "compact");
    sink s = {calloc(MAXREC, sizeof(rec)), 0};
    kc_kafka_log_topic_spec spec = offsets_spec(1);
    spec.property = "config.storage.topic";
    spec.purpose = "connector configurations";
    spec.require_single_partition = 1;
    kc_kafka_log *log = new_log(topic, &spec, 0, &s);
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_kafka_log_start(log, 30000, &err), -1);
    char want[512];
    snprintf(want, sizeof want, "Topic '%s' supplied via the 'config.storage.topic' property is required "
             "to have a single partition in order to guarantee consistency of connector configurations, "
             "but found 3 partitions.", topic);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    kc_kafka_log_free(log);
    free(s.recs);
}

static void test_empty_topic(void)
{
    char topic[128];
    topic_name(topic, sizeof topic, "empty");
    sink s = {calloc(MAXREC, sizeof(rec)), 0};
    kc_kafka_log_topic_spec spec = offsets_spec(3);
    kc_kafka_log *log = new_log(topic, &spec, 0, &s);
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(kc_kafka_log_start(log, 60000, &err), 0);
    long t0 = kc_test_now_ms();
    CU_ASSERT_EQUAL(kc_kafka_log_read_to_end(log, 30000, &err), 0);
    long dt = kc_test_now_ms() - t0;
    printf("\n    read_to_end on an empty topic: %ld ms\n", dt);
    CU_ASSERT(dt < 1000);
    CU_ASSERT_EQUAL(s.n, 0);
    kc_kafka_log_free(log);
    free(s.recs);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"start creates a compacted topic; 1000 records + tombstones read back in order by a second log",
         test_write_and_read_back},
        {"an existing topic with cleanup.policy=delete fails start with Java's message", test_delete_policy_fails},
        {"cleanup.policy=compact,delete fails too (Java HashSet order)", test_compact_delete_policy_fails},
        {"a config topic with 3 partitions fails start", test_config_topic_single_partition},
        {"read_to_end on an empty topic returns at once", test_empty_topic},
        {NULL, NULL},
    };
    return kc_test_run("it_kafka_log", cases);
}
