/*
 * it_mirror_1m: one million records mirrored A -> B by a MirrorSourceConnector (tasks.max=4) on a
 * standalone worker, everything over SASL_SSL + SCRAM-SHA-512: the worker and its producer /
 * consumer talk to B, the connector reads A through source.cluster.* keys. The records (8
 * partitions, keys, 2 headers, timestamps) are produced to A by an idempotent batching producer;
 * once B's A.<topic> holds them all, mirror_verify compares the topics record by record: nothing
 * lost, nothing reordered, nothing differing. Duplicates, throughput (first record on B to the
 * last) and the worker's peak RSS are printed, not asserted (the machine is shared; CI runs this
 * under ASan too). SIGTERM stops the worker with exit 0.
 * KCONNECT_BIN must be a kconnect that registers the mirror connectors.
 */
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"
#include "mirror_verify.h"
#include "standalone_env.h"

#define RECORDS 1000000L
#define PARTITIONS 8
#define MIRROR_TIMEOUT_MS (10 * 60 * 1000L)

/* Java client settings for SASL_SSL + SCRAM-SHA-512 as the admin user, with bootstrap (NULL: none). */
static kc_props *scram_props(const char *bootstrap)
{
    kc_props *p = kc_props_new();
    char jaas[512];
    snprintf(jaas, sizeof jaas,
             "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"%s\";",
             kc_testbed_require("KC_ADMIN_USER"), kc_testbed_require("KC_ADMIN_PASSWORD"));
    if (bootstrap)
        kc_props_set(p, "bootstrap.servers", bootstrap);
    kc_props_set(p, "security.protocol", "SASL_SSL");
    kc_props_set(p, "sasl.mechanism", "SCRAM-SHA-512");
    kc_props_set(p, "sasl.jaas.config", jaas);
    kc_props_set(p, "ssl.truststore.type", "PEM");
    kc_props_set(p, "ssl.truststore.location", kc_testbed_require("KC_CA_FILE"));
    return p;
}

/* The same settings as properties lines, each key with prefix. */
static void write_scram(FILE *f, const char *prefix)
{
    fprintf(f, "%ssecurity.protocol=SASL_SSL\n%ssasl.mechanism=SCRAM-SHA-512\n"
               "%ssasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
               "username=\"%s\" password=\"%s\";\n%sssl.truststore.type=PEM\n%sssl.truststore.location=%s\n",
            prefix, prefix, prefix, kc_testbed_require("KC_ADMIN_USER"), kc_testbed_require("KC_ADMIN_PASSWORD"),
            prefix, prefix, kc_testbed_require("KC_CA_FILE"));
}

static rd_kafka_t *client(rd_kafka_type_t type, const char *bootstrap)
{
    kc_props *p = scram_props(bootstrap);
    kc_error err;
    kc_error_clear(&err);
    if (type == RD_KAFKA_PRODUCER) {
        kc_props_set(p, "enable.idempotence", "true");
        kc_props_set(p, "acks", "all");
        kc_props_set(p, "linger.ms", "20");
    } else {
        kc_props_set(p, "group.id", "it-mirror-1m-watch");
        kc_props_set(p, "enable.auto.commit", "false");
    }
    rd_kafka_conf_t *conf = kc_client_conf_new(p, type == RD_KAFKA_PRODUCER ? KC_CLIENT_PRODUCER : KC_CLIENT_CONSUMER,
                                               NULL, NULL, &err);
    kc_props_free(p);
    if (!conf)
        printf("\n    client config: %s", err.msg);
    CU_ASSERT_FATAL(conf != NULL);
    char errstr[256];
    if (type == RD_KAFKA_PRODUCER) {
        rd_kafka_conf_set(conf, "batch.num.messages", "10000", errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "batch.size", "1000000", errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "queue.buffering.max.messages", "500000", errstr, sizeof errstr);
    }
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    if (!rk)
        printf("\n    rd_kafka_new: %s", errstr);
    CU_ASSERT_FATAL(rk != NULL);
    return rk;
}

static void create_topic(rd_kafka_t *rk, const char *topic)
{
    char errstr[256];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, PARTITIONS, 1, errstr, sizeof errstr);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 60000);
    CU_ASSERT_FATAL(ev != NULL);
    size_t n = 0;
    const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    if (n != 1 || rd_kafka_topic_result_error(tr[0]) != 0)
        printf("\n    create %s: %s", topic, n == 1 ? rd_kafka_err2str(rd_kafka_topic_result_error(tr[0]))
                                                   : rd_kafka_event_error_string(ev));
    CU_ASSERT_FATAL(n == 1 && rd_kafka_topic_result_error(tr[0]) == 0);
    rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
}

/* Record i: partition i % 8, key "key-<i>", a ~100-byte value, headers h1=<i> and h2="mirror",
 * timestamp ts_base + i. The timestamps are recent (ts_base = now - RECORDS ms): records dated
 * before the topic's retention.ms (7 days) would be deleted by the broker's next retention check,
 * during the test. */
static void produce_records(const char *topic)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t ts_base = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 - RECORDS;
    rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, kc_testbed_require("KC_A_SASL_SSL"));
    create_topic(rk, topic);
    long t0 = kc_test_now_ms();
    for (long i = 0; i < RECORDS; i++) {
        char key[32], value[128], h1[24];
        int kl = snprintf(key, sizeof key, "key-%ld", i);
        int vl = snprintf(value, sizeof value, "value-%ld-%0*d", i, (int)(i % 90), 0);
        snprintf(h1, sizeof h1, "%ld", i);
        rd_kafka_headers_t *h = rd_kafka_headers_new(2);
        rd_kafka_header_add(h, "h1", -1, h1, -1);
        rd_kafka_header_add(h, "h2", -1, "mirror", -1);
        for (;;) {
            rd_kafka_resp_err_t e = rd_kafka_producev(
                rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION((int32_t)(i % PARTITIONS)), RD_KAFKA_V_KEY(key, (size_t)kl),
                RD_KAFKA_V_VALUE(value, (size_t)vl), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_TIMESTAMP(ts_base + i), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
            if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                rd_kafka_poll(rk, 20);
                continue;
            }
            if (e) { /* no CU_ASSERT per record: a million passing asserts say nothing */
                printf("\n    produce: %s", rd_kafka_err2str(e));
                CU_FAIL_FATAL("produce failed");
            }
            break;
        }
        if (i % 10000 == 0)
            rd_kafka_poll(rk, 0);
    }
    CU_ASSERT_FATAL(rd_kafka_flush(rk, 300000) == 0);
    long ms = kc_test_now_ms() - t0;
    printf("\n    produced %ld records to A in %ld ms", RECORDS, ms);
    rd_kafka_destroy(rk);
}

/* Records in topic on the watcher's cluster (sum of high - low watermarks); -1 while unknown. */
static long topic_records(rd_kafka_t *rk, const char *topic)
{
    long sum = 0;
    for (int p = 0; p < PARTITIONS; p++) {
        int64_t lo, hi;
        if (rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 5000) != 0)
            return -1;
        sum += (long)(hi - lo);
    }
    return sum;
}

static long vm_hwm_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void test_mirror_1m(void)
{
    long t_start = kc_test_now_ms();
    char dir[512];
    it_make_dir(dir, sizeof dir, "it-mirror-1m");
    int port = kc_free_port();
    const char *a = kc_testbed_require("KC_A_SASL_SSL"), *b = kc_testbed_require("KC_B_SASL_SSL");
    char topic[128], remote[160];
    snprintf(topic, sizeof topic, "it-mirror-1m-%ld", (long)getpid());
    snprintf(remote, sizeof remote, "A.%s", topic);
    produce_records(topic);

    char wp[1024], cp[1024], log[1024];
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    FILE *f = fopen(wp, "w");
    CU_ASSERT_FATAL(f != NULL);
    fprintf(f, "bootstrap.servers=%s\n"
               "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "header.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "offset.storage.file.filename=%s/offsets.dat\noffset.flush.interval.ms=5000\n"
               "listeners=http://127.0.0.1:%d\n", b, dir, port);
    const char *prefixes[] = {"", "producer.", "consumer.", "admin."};
    for (int i = 0; i < 4; i++)
        write_scram(f, prefixes[i]);
    fclose(f);
    snprintf(cp, sizeof cp, "%s/mirror.properties", dir);
    f = fopen(cp, "w");
    CU_ASSERT_FATAL(f != NULL);
    fprintf(f, "name=MirrorSourceConnector\nconnector.class=org.apache.kafka.connect.mirror.MirrorSourceConnector\n"
               "tasks.max=4\nsource.cluster.alias=A\ntarget.cluster.alias=B\n"
               "source.cluster.bootstrap.servers=%s\ntarget.cluster.bootstrap.servers=%s\n"
               "topics=%s\nreplication.factor=1\noffset-syncs.topic.replication.factor=1\n"
               "sync.topic.acls.enabled=false\n", a, b, topic);
    write_scram(f, "source.cluster.");
    write_scram(f, "target.cluster.");
    fclose(f);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, cp, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    if (kc_wait_rest(port, 120000) != 0) {
        kc_stop_process(pid, SIGTERM, 60000);
        CU_FAIL_FATAL("the worker's REST API did not come up (see kconnect.log)");
    }

    /* B's copy is complete when it holds every record and stops growing (a re-sent range would
     * make it reach RECORDS before the last original arrives) */
    rd_kafka_t *watch = client(RD_KAFKA_CONSUMER, b);
    long first_ms = -1, last_change_ms = -1, n = -1, deadline = kc_test_now_ms() + MIRROR_TIMEOUT_MS;
    for (;;) {
        long now = kc_test_now_ms(), c = topic_records(watch, remote);
        if (c > 0 && first_ms < 0)
            first_ms = now;
        if (c != n) {
            last_change_ms = now;
            n = c;
        } else if (n >= RECORDS && now - last_change_ms >= 3000) {
            break;
        }
        if (now > deadline)
            break;
        usleep(200 * 1000);
    }
    rd_kafka_destroy(watch);
    printf("\n    B's %s holds %ld records", remote, n);
    if (n < RECORDS) {
        kc_stop_process(pid, SIGTERM, 60000);
        CU_FAIL_FATAL("B did not get every record in time (see kconnect.log)");
    }
    long span = last_change_ms - first_ms;
    printf("\n    mirrored at %.0f records/s (first to last record on B: %ld ms, watched every 200 ms)",
           span > 0 ? (double)n * 1000.0 / (double)span : 0.0, span);

    kc_props *sp = scram_props(NULL), *tp = scram_props(NULL);
    kc_mirror_verify_opts o = {.source_bootstrap = a, .source_topic = topic, .target_bootstrap = b,
                               .target_topic = remote, .source_config = sp, .target_config = tp, .max_seconds = 600};
    kc_mirror_verify_result *r = malloc(sizeof *r);
    kc_error err;
    kc_error_clear(&err);
    long tv = kc_test_now_ms();
    int vrc = kc_mirror_verify(&o, r, &err);
    CU_ASSERT_EQUAL(vrc, 0);
    if (vrc != 0) {
        printf("\n    mirror_verify: %s", err.msg);
    } else {
        printf("\n    verified in %ld ms:\n", kc_test_now_ms() - tv);
        kc_mirror_verify_print(r, stdout, "    ");
        printf("    duplicates: %lld", r->count[KC_MV_DUPLICATED]);
        CU_ASSERT_EQUAL(r->partitions, PARTITIONS);
        CU_ASSERT_EQUAL(r->source_records, RECORDS);
        CU_ASSERT_EQUAL(r->count[KC_MV_LOST], 0);
        CU_ASSERT_EQUAL(r->count[KC_MV_REORDERED], 0);
        CU_ASSERT_EQUAL(r->count[KC_MV_DIFFERING], 0);
    }
    free(r);
    kc_props_free(sp);
    kc_props_free(tp);

    long hwm = vm_hwm_kb(pid);
    printf("\n    kconnect peak RSS (VmHWM): %ld kB (%.1f MB)", hwm, hwm / 1024.0);
    int status = kc_stop_process(pid, SIGTERM, 60000);
    CU_ASSERT_EQUAL(status, 0);
    printf("\n    total test time %ld ms\n    ", kc_test_now_ms() - t_start);
}

int main(void)
{
    const kc_test_case cases[] = {
        {"1,000,000 records A -> B over SASL_SSL + SCRAM: none lost, reordered or differing", test_mirror_1m},
        {NULL, NULL},
    };
    return kc_test_run("it_mirror_1m", cases);
}
