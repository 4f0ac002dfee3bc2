/*
 * it_mirror_source: MirrorSourceConnector A -> B on a standalone worker (target cluster B as the
 * worker's Kafka, ByteArrayConverter for keys, values and headers). 20,000 records with keys,
 * headers (one with a null value), timestamps and a few tombstones are produced to 4 partitions of
 * a topic on A; B's topic A.<topic> must hold them record by record: same partition, same order,
 * same key / value / headers / timestamp. The offset syncs on A's mm2-offset-syncs.B.internal
 * decode with mirror_records and point at the replicated topic's partitions.
 * KCONNECT_BIN must be a kconnect that registers the mirror connectors (kc_mirror_connectors_register).
 */
#include <limits.h>

#include <librdkafka/rdkafka.h>

#include "connectors/mirror/mirror_records.h"
#include "standalone_env.h"

#define RECORDS 20000
#define PARTITIONS 4
#define TS_BASE 1700000000000LL

static rd_kafka_t *client(rd_kafka_type_t type, const char *bootstrap)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    /* idempotence keeps the produced order even when the first batch to the new topic is retried */
    if (type == RD_KAFKA_PRODUCER)
        rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    if (type == RD_KAFKA_CONSUMER) {
        rd_kafka_conf_set(conf, "group.id", "it-mirror-source-check", errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "enable.partition.eof", "false", errstr, sizeof errstr);
    }
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    return rk;
}

static void create_topic(const char *topic)
{
    rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, kc_testbed_require("KC_A_PLAINTEXT"));
    char errstr[256];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, PARTITIONS, 1, errstr, sizeof errstr);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
    CU_ASSERT_FATAL(ev != NULL);
    size_t n = 0;
    const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    CU_ASSERT(n == 1 && rd_kafka_topic_result_error(tr[0]) == 0);
    rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_destroy(rk);
}

/* Record i: partition i % 4, key "key-<i>", value "value-<i>-..." (NULL every 997th: a tombstone),
 * headers h1=<i>, h2=null, h1=again (a repeated key), timestamp TS_BASE + i. */
static void expected_value(int i, char *buf, size_t len) { snprintf(buf, len, "value-%d-%0*d", i, i % 50, 0); }

static void produce_records(const char *topic)
{
    rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, kc_testbed_require("KC_A_PLAINTEXT"));
    for (int i = 0; i < RECORDS; i++) {
        char key[32], value[128], h1[16];
        snprintf(key, sizeof key, "key-%d", i);
        expected_value(i, value, sizeof value);
        snprintf(h1, sizeof h1, "%d", i);
        rd_kafka_headers_t *h = rd_kafka_headers_new(3);
        rd_kafka_header_add(h, "h1", -1, h1, -1);
        rd_kafka_header_add(h, "h2", -1, NULL, 0);
        rd_kafka_header_add(h, "h1", -1, "again", -1);
        bool tomb = i % 997 == 0;
        for (;;) {
            rd_kafka_resp_err_t e = rd_kafka_producev(
                rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(i % PARTITIONS), RD_KAFKA_V_KEY(key, strlen(key)),
                RD_KAFKA_V_VALUE(tomb ? NULL : value, tomb ? 0 : strlen(value)), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_TIMESTAMP(TS_BASE + i), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
            if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                rd_kafka_poll(rk, 50);
                continue;
            }
            CU_ASSERT_FATAL(e == 0);
            break;
        }
    }
    CU_ASSERT_FATAL(rd_kafka_flush(rk, 60000) == 0);
    rd_kafka_destroy(rk);
}

/* Checks message m, the n-th of partition p on B. 0 when it equals the produced record. */
static int check_message(const rd_kafka_message_t *m, int p, int n)
{
    int i = p + PARTITIONS * n;
    char key[32], value[128], h1[16];
    snprintf(key, sizeof key, "key-%d", i);
    expected_value(i, value, sizeof value);
    snprintf(h1, sizeof h1, "%d", i);
    bool tomb = i % 997 == 0;
    if (m->key_len != strlen(key) || memcmp(m->key, key, m->key_len) != 0)
        return printf("\n    record %d: key differs", i), -1;
    if (tomb ? m->payload != NULL : (!m->payload || m->len != strlen(value) || memcmp(m->payload, value, m->len)))
        return printf("\n    record %d: value differs", i), -1;
    rd_kafka_timestamp_type_t tt;
    if (rd_kafka_message_timestamp(m, &tt) != TS_BASE + i)
        return printf("\n    record %d: timestamp differs", i), -1;
    rd_kafka_headers_t *h = NULL;
    if (rd_kafka_message_headers(m, &h) || !h || rd_kafka_header_cnt(h) != 3)
        return printf("\n    record %d: header count differs", i), -1;
    const char *name;
    const void *v;
    size_t sz;
    if (rd_kafka_header_get_all(h, 0, &name, &v, &sz) || strcmp(name, "h1") || sz != strlen(h1) || memcmp(v, h1, sz))
        return printf("\n    record %d: header 0 differs", i), -1;
    if (rd_kafka_header_get_all(h, 1, &name, &v, &sz) || strcmp(name, "h2") || v != NULL)
        return printf("\n    record %d: header 1 differs", i), -1;
    if (rd_kafka_header_get_all(h, 2, &name, &v, &sz) || strcmp(name, "h1") || sz != 5 || memcmp(v, "again", 5))
        return printf("\n    record %d: header 2 differs", i), -1;
    return 0;
}

/* Consumes partitions 0..nparts-1 of topic on bootstrap from the beginning until want records or
 * the deadline; calls fn for each. Returns the count. */
static long consume(const char *bootstrap, const char *topic, int nparts, long want, long timeout_ms,
                    void (*fn)(const rd_kafka_message_t *m, void *opaque), void *opaque)
{
    rd_kafka_t *rk = client(RD_KAFKA_CONSUMER, bootstrap);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(nparts);
    for (int p = 0; p < nparts; p++)
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    long n = 0, deadline = kc_test_now_ms() + timeout_ms;
    while (n < want && kc_test_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
        if (!m)
            continue;
        if (!m->err) {
            fn(m, opaque);
            n++;
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return n;
}

typedef struct data_check {
    int per_partition[PARTITIONS];
    int bad;
} data_check;

static void on_data(const rd_kafka_message_t *m, void *opaque)
{
    data_check *c = opaque;
    if (m->partition < 0 || m->partition >= PARTITIONS) {
        c->bad++;
        return;
    }
    if (check_message(m, m->partition, c->per_partition[m->partition]++) != 0)
        c->bad++;
}

typedef struct sync_check {
    const char *topic;
    long count, bad;
    int64_t max_upstream[PARTITIONS];
} sync_check;

static void on_sync(const rd_kafka_message_t *m, void *opaque)
{
    sync_check *c = opaque;
    kc_mirror_offset_sync s;
    kc_error err;
    if (kc_mirror_offset_sync_decode(m->key, m->key_len, m->payload, m->len, &s, &err) != 0) {
        c->bad++;
        return;
    }
    if (strcmp(s.topic, c->topic) != 0) { /* the topic is shared with earlier runs on this test bed */
        kc_mirror_offset_sync_clear(&s);
        return;
    }
    c->count++;
    /* a fresh target: the remote offsets equal the source offsets */
    if (s.partition < 0 || s.partition >= PARTITIONS || s.upstream_offset != s.downstream_offset)
        c->bad++;
    else if (s.upstream_offset > c->max_upstream[s.partition])
        c->max_upstream[s.partition] = s.upstream_offset;
    kc_mirror_offset_sync_clear(&s);
}

static void test_mirror(void)
{
    char dir[512];
    it_make_dir(dir, sizeof dir, "it-mirror-source");
    int port = kc_free_port();
    const char *a = kc_testbed_require("KC_A_PLAINTEXT"), *b = kc_testbed_require("KC_B_PLAINTEXT");
    char topic[128], remote[160];
    snprintf(topic, sizeof topic, "it-mirror-%ld", (long)getpid());
    snprintf(remote, sizeof remote, "A.%s", topic);
    create_topic(topic);
    produce_records(topic);

    char path[1024], wp[1024], log[1024];
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    FILE *f = fopen(wp, "w");
    fprintf(f, "bootstrap.servers=%s\n"
               "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "header.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "offset.storage.file.filename=%s/offsets.dat\noffset.flush.interval.ms=1000\n"
               "listeners=http://127.0.0.1:%d\n", b, dir, port);
    fclose(f);
    snprintf(path, sizeof path, "%s/mirror.properties", dir);
    f = fopen(path, "w");
    fprintf(f, "name=MirrorSourceConnector\nconnector.class=org.apache.kafka.connect.mirror.MirrorSourceConnector\n"
               "tasks.max=2\nsource.cluster.alias=A\ntarget.cluster.alias=B\n"
               "source.cluster.bootstrap.servers=%s\ntarget.cluster.bootstrap.servers=%s\n"
               "topics=%s\nreplication.factor=1\noffset-syncs.topic.replication.factor=1\n"
               "sync.topic.acls.enabled=false\n", a, b, topic);
    fclose(f);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, path, NULL};
    long t0 = kc_test_now_ms();
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);

    data_check dc = {{0}, 0};
    long got = consume(b, remote, PARTITIONS, RECORDS, 180000, on_data, &dc);
    long elapsed = kc_test_now_ms() - t0;
    printf("\n    replicated %ld of %d records in %ld ms (%.0f records/s, incl. worker start)", got, RECORDS, elapsed,
           elapsed > 0 ? got * 1000.0 / (double)elapsed : 0.0);
    CU_ASSERT_EQUAL(got, RECORDS);
    CU_ASSERT_EQUAL(dc.bad, 0);
    for (int p = 0; p < PARTITIONS; p++)
        CU_ASSERT_EQUAL(dc.per_partition[p], RECORDS / PARTITIONS);

    sleep(3); /* an offset commit promotes the last delayed syncs */
    sync_check sc = {.topic = topic};
    consume(a, "mm2-offset-syncs.B.internal", 1, LONG_MAX, 8000, on_sync, &sc);
    long syncs = sc.count;
    printf("\n    %ld offset syncs, max upstream per partition %lld/%lld/%lld/%lld", syncs,
           (long long)sc.max_upstream[0], (long long)sc.max_upstream[1], (long long)sc.max_upstream[2],
           (long long)sc.max_upstream[3]);
    CU_ASSERT(syncs > 0);
    CU_ASSERT_EQUAL(sc.bad, 0);
    for (int p = 0; p < PARTITIONS; p++)
        CU_ASSERT_EQUAL(sc.max_upstream[p], RECORDS / PARTITIONS - 1);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"MirrorSource A -> B record by record, offset syncs", test_mirror},
        {NULL, NULL},
    };
    return kc_test_run("it_mirror_source", cases);
}
