/*
 * it_mirror_maker: `kconnect mirror` with the repository's sample config/mm2.properties (only the
 * bootstrap servers pointed at the test bed, topics limited to this run's, and a 5 s topic refresh)
 * replicates A->B and B->A at once: records produced on A's topic appear in B's "A.<topic>" and
 * records produced on B's topic in A's "B.<topic>", including a topic created after the start;
 * partitions added on A appear on B within the refresh interval + 5 s; a
 * topic config changed on A reaches the remote topic on B; no "A.B.<topic>" cycle appears; SIGTERM
 * stops it with status 0.
 */
#include <librdkafka/rdkafka.h>

#include "standalone_env.h"

static rd_kafka_t *producer(const char *bootstrap)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    return rk;
}

static void produce(const char *bootstrap, const char *topic, int n)
{
    rd_kafka_t *rk = producer(bootstrap);
    for (int i = 0; i < n; i++) {
        char v[64];
        int len = snprintf(v, sizeof v, "%s-%d", topic, i);
        rd_kafka_resp_err_t e;
        do {
            e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(v, (size_t)len),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(rk, 50);
        } while (e == RD_KAFKA_RESP_ERR__QUEUE_FULL);
        CU_ASSERT_EQUAL(e, 0);
    }
    CU_ASSERT_EQUAL(rd_kafka_flush(rk, 30000), 0);
    rd_kafka_destroy(rk);
}

/* Sets (AlterConfigs) or reads (DescribeConfigs, value into out) retention.ms of topic. 0 or -1. */
static int topic_retention(const char *bootstrap, const char *topic, const char *set, char *out, size_t size)
{
    rd_kafka_t *rk = producer(bootstrap);
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    int rc = -1;
    if (set) {
        rd_kafka_ConfigResource_set_config(res, "retention.ms", set);
        rd_kafka_AlterConfigs(rk, &res, 1, NULL, q);
    } else {
        rd_kafka_DescribeConfigs(rk, &res, 1, NULL, q);
    }
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 10000);
    if (ev && !rd_kafka_event_error(ev)) {
        rc = 0;
        if (!set) {
            size_t n = 0, cn = 0;
            const rd_kafka_ConfigResource_t **rr =
                rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &n);
            const rd_kafka_ConfigEntry_t **e = n ? rd_kafka_ConfigResource_configs(rr[0], &cn) : NULL;
            snprintf(out, size, "?");
            for (size_t i = 0; i < cn; i++)
                if (strcmp(rd_kafka_ConfigEntry_name(e[i]), "retention.ms") == 0)
                    snprintf(out, size, "%s", rd_kafka_ConfigEntry_value(e[i]) ? rd_kafka_ConfigEntry_value(e[i]) : "");
        }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_destroy(rk);
    return rc;
}

/* Partition count of topic (-1 when it does not exist). */
static int partitions_of(const char *bootstrap, const char *topic)
{
    rd_kafka_t *rk = producer(bootstrap);
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    int n = -1;
    if (rd_kafka_metadata(rk, 0, t, &md, 5000) == 0 && md->topic_cnt == 1 && md->topics[0].err == 0)
        n = md->topics[0].partition_cnt;
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    rd_kafka_destroy(rk);
    return n;
}

static int add_partitions(const char *bootstrap, const char *topic, int total)
{
    rd_kafka_t *rk = producer(bootstrap);
    char errstr[256];
    rd_kafka_NewPartitions_t *np = rd_kafka_NewPartitions_new(topic, (size_t)total, errstr, sizeof errstr);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreatePartitions(rk, &np, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 10000);
    size_t n = 0;
    const rd_kafka_topic_result_t **tr =
        ev ? rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev), &n) : NULL;
    int rc = n == 1 && rd_kafka_topic_result_error(tr[0]) == 0 ? 0 : -1;
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewPartitions_destroy(np);
    rd_kafka_destroy(rk);
    return rc;
}

/* Records in topic (sum of the partitions' high watermarks); -1 when the topic does not exist. */
static long count(const char *bootstrap, const char *topic)
{
    rd_kafka_t *rk = producer(bootstrap);
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    long total = -1;
    if (rd_kafka_metadata(rk, 0, t, &md, 5000) == 0 && md->topic_cnt == 1 && md->topics[0].err == 0) {
        total = 0;
        for (int p = 0; p < md->topics[0].partition_cnt; p++) {
            int64_t lo = 0, hi = 0;
            if (rd_kafka_query_watermark_offsets(rk, topic, md->topics[0].partitions[p].id, &lo, &hi, 5000) == 0)
                total += hi;
        }
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    rd_kafka_destroy(rk);
    return total;
}

static long wait_count(const char *bootstrap, const char *topic, long want, int timeout_ms)
{
    long until = kc_test_now_ms() + timeout_ms, n = -1;
    while ((n = count(bootstrap, topic)) < want && kc_test_now_ms() < until)
        usleep(500 * 1000);
    return n;
}

static void test_both_ways(void)
{
    const char *a = kc_testbed_require("KC_A_PLAINTEXT"), *b = kc_testbed_require("KC_B_PLAINTEXT");
    char dir[1024], sample[1200], props[1200], log[1200];
    it_make_dir(dir, sizeof dir, "it-mirror-maker");
    snprintf(sample, sizeof sample, "%s/../../config/mm2.properties", KC_IT_SOURCE_DIR);
    snprintf(props, sizeof props, "%s/mm2.properties", dir);
    snprintf(log, sizeof log, "%s/mirror.log", dir);
    char run[64], ta[128], tb[128], late[128];
    snprintf(run, sizeof run, "mm%ld", (long)getpid());
    snprintf(ta, sizeof ta, "%s-orders", run);
    snprintf(tb, sizeof tb, "%s-payments", run);
    snprintf(late, sizeof late, "%s-late", run);
    /* the sample, with the test bed's addresses and this run's topics */
    FILE *in = fopen(sample, "r"), *out = fopen(props, "w");
    CU_ASSERT_FATAL(in && out);
    char line[2048];
    while (fgets(line, sizeof line, in)) {
        if (strncmp(line, "A.bootstrap.servers", 19) == 0)
            fprintf(out, "A.bootstrap.servers = %s\n", a);
        else if (strncmp(line, "B.bootstrap.servers", 19) == 0)
            fprintf(out, "B.bootstrap.servers = %s\n", b);
        else if (strncmp(line, "topics ", 7) == 0 || strncmp(line, "topics=", 7) == 0)
            fprintf(out, "topics = %s-.*\n", run);
        else
            fputs(line, out);
    }
    fprintf(out, "refresh.topics.interval.seconds = 5\nsync.topic.configs.interval.seconds = 5\n");
    fclose(in);
    fclose(out);
    produce(a, ta, 300);
    produce(b, tb, 200);

    char *args[] = {"mirror", props, NULL};
    long t0 = kc_test_now_ms();
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    char remote_a[160], remote_b[160], remote_late[160], cycle[200];
    snprintf(remote_a, sizeof remote_a, "A.%s", ta);
    snprintf(remote_b, sizeof remote_b, "B.%s", tb);
    snprintf(remote_late, sizeof remote_late, "A.%s", late);
    CU_ASSERT_EQUAL(wait_count(b, remote_a, 300, 90000), 300);
    CU_ASSERT_EQUAL(wait_count(a, remote_b, 200, 90000), 200);
    printf("\n    A->B and B->A copied %ld ms after kconnect mirror started", kc_test_now_ms() - t0);
    /* a topic created on A while it runs appears on B within the refresh interval + 5 s (+ creation) */
    long created = kc_test_now_ms();
    produce(a, late, 50);
    CU_ASSERT_EQUAL(wait_count(b, remote_late, 50, 30000), 50);
    printf("\n    a new topic on A was on B %ld ms after its first record", kc_test_now_ms() - created);
    /* partitions added on A appear on B within the refresh interval + 5 s */
    int before = partitions_of(a, ta);
    long grown = kc_test_now_ms();
    CU_ASSERT_EQUAL(add_partitions(a, ta, before + 2), 0);
    int remote_parts = -1;
    while (kc_test_now_ms() - grown < 10000 && (remote_parts = partitions_of(b, remote_a)) < before + 2)
        usleep(500 * 1000);
    CU_ASSERT_EQUAL(remote_parts, before + 2);
    printf("\n    %d partitions added on A were on B %ld ms later", 2, kc_test_now_ms() - grown);
    /* a topic config changed on A is applied to the remote topic on B */
    long changed = kc_test_now_ms();
    CU_ASSERT_EQUAL(topic_retention(a, ta, "123456789", NULL, 0), 0);
    char value[64] = "";
    while (kc_test_now_ms() - changed < 20000) {
        if (topic_retention(b, remote_a, NULL, value, sizeof value) == 0 && strcmp(value, "123456789") == 0)
            break;
        usleep(500 * 1000);
    }
    CU_ASSERT_STRING_EQUAL(value, "123456789");
    printf("\n    retention.ms changed on A reached B's remote topic %ld ms later", kc_test_now_ms() - changed);
    /* no cycle: B's copy of A's topic is not copied back to A */
    snprintf(cycle, sizeof cycle, "B.A.%s", ta);
    sleep(6);
    CU_ASSERT_EQUAL(count(a, cycle), -1);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 60000), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"kconnect mirror with the sample mm2.properties: A->B and B->A", test_both_ways},
        {NULL, NULL},
    };
    return kc_test_run("it_mirror_maker", cases);
}
