/*
 * it_active_active: `kconnect mirror` replicates A<->B with DefaultReplicationPolicy for 2 minutes
 * while producers write to the same topic name on both clusters. The topic filter matches the
 * remote copies too (".*<run>.*"), so only the policy's cycle rule stops "A.B.x": afterwards no
 * "A.B.x" / "B.A.x" topic exists, and every record produced on each side is found exactly once in
 * its remote copy on the other side (values counted one by one).
 */
#include <pthread.h>

#include "mirror_env.h"

#define DURATION_MS 120000
#define RATE 200 /* records per second per side */

typedef struct side {
    const char *bootstrap;
    const char *topic;
    char prefix;
    long produced;
} side;

static void *produce_for_a_while(void *arg)
{
    side *s = arg;
    rd_kafka_t *rk = producer(s->bootstrap);
    long start = kc_test_now_ms();
    while (kc_test_now_ms() - start < DURATION_MS) {
        for (int i = 0; i < RATE / 10; i++) {
            char v[64];
            int len = snprintf(v, sizeof v, "%c-%ld", s->prefix, s->produced);
            if (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(s->topic), RD_KAFKA_V_VALUE(v, (size_t)len),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == 0)
                s->produced++;
        }
        rd_kafka_poll(rk, 100);
    }
    rd_kafka_flush(rk, 30000);
    rd_kafka_destroy(rk);
    return NULL;
}

/* Reads every record of topic and counts the values "<prefix>-<n>": seen[n]++. */
static void read_all(const char *bootstrap, const char *topic, char prefix, unsigned char *seen, long max,
                     long *total, long *foreign)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "it-active-active-check", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    int parts = partitions_of(bootstrap, topic);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts > 0 ? parts : 1);
    int64_t *end = calloc((size_t)(parts > 0 ? parts : 1), sizeof *end);
    long want = 0;
    for (int p = 0; p < parts; p++) {
        int64_t lo = 0;
        rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &end[p], 10000);
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        want += end[p] - lo;
    }
    rd_kafka_assign(rk, l);
    long got = 0, until = kc_test_now_ms() + 120000;
    while (got < want && kc_test_now_ms() < until) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
        if (!m)
            continue;
        if (!m->err && m->payload) {
            got++;
            char v[64];
            size_t n = m->len < sizeof v - 1 ? m->len : sizeof v - 1;
            memcpy(v, m->payload, n);
            v[n] = '\0';
            long k = -1;
            if (v[0] == prefix && v[1] == '-')
                k = atol(v + 2);
            if (k >= 0 && k < max)
                seen[k] = seen[k] < 255 ? (unsigned char)(seen[k] + 1) : 255;
            else
                (*foreign)++;
        }
        rd_kafka_message_destroy(m);
    }
    *total = got;
    rd_kafka_assign(rk, NULL);
    rd_kafka_topic_partition_list_destroy(l);
    free(end);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
}

static void check_copy(const char *bootstrap, const char *remote, char prefix, long produced)
{
    unsigned char *seen = calloc((size_t)produced + 1, 1);
    long total = 0, foreign = 0, once = 0, missing = 0, twice = 0;
    read_all(bootstrap, remote, prefix, seen, produced, &total, &foreign);
    for (long i = 0; i < produced; i++) {
        once += seen[i] == 1;
        missing += seen[i] == 0;
        twice += seen[i] > 1;
    }
    printf("\n    %s: %ld records produced, %ld read, %ld exactly once, %ld missing, %ld more than once, "
           "%ld foreign", remote, produced, total, once, missing, twice, foreign);
    CU_ASSERT_EQUAL(once, produced);
    CU_ASSERT_EQUAL(foreign, 0);
    free(seen);
}

static void test_active_active(void)
{
    const char *a = kc_testbed_require("KC_A_PLAINTEXT"), *b = kc_testbed_require("KC_B_PLAINTEXT");
    char dir[1024], props[1200], log[1200], topic[64], topics[100], extra[200];
    it_make_dir(dir, sizeof dir, "it-active-active");
    snprintf(props, sizeof props, "%s/mm2.properties", dir);
    snprintf(log, sizeof log, "%s/mirror.log", dir);
    snprintf(topic, sizeof topic, "aa%ld-events", (long)getpid());
    snprintf(topics, sizeof topics, ".*aa%ld.*", (long)getpid());
    snprintf(extra, sizeof extra, "refresh.topics.interval.seconds = 5\n");
    mirror_write_props(props, topics, extra);
    /* both producers start first (their first records create the topic on each side) */
    side sa = {a, topic, 'A', 0}, sb = {b, topic, 'B', 0};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, produce_for_a_while, &sa);
    pthread_create(&tb, NULL, produce_for_a_while, &sb);
    sleep(2);
    char *args[] = {"mirror", props, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    char remote_a[128], remote_b[128], cycle_a[140], cycle_b[140];
    snprintf(remote_a, sizeof remote_a, "A.%s", topic); /* on B */
    snprintf(remote_b, sizeof remote_b, "B.%s", topic); /* on A */
    snprintf(cycle_a, sizeof cycle_a, "B.A.%s", topic); /* would be on A */
    snprintf(cycle_b, sizeof cycle_b, "A.B.%s", topic); /* would be on B */
    CU_ASSERT_EQUAL(wait_count(b, remote_a, sa.produced, 120000), sa.produced);
    CU_ASSERT_EQUAL(wait_count(a, remote_b, sb.produced, 120000), sb.produced);
    sleep(6); /* one more refresh: a cycle topic would have been created by now */
    CU_ASSERT_EQUAL(count(a, cycle_a), -1);
    CU_ASSERT_EQUAL(count(b, cycle_b), -1);
    check_copy(b, remote_a, 'A', sa.produced);
    check_copy(a, remote_b, 'B', sb.produced);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 60000), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"A<->B for 2 minutes under load: no cycle, every record once on each side", test_active_active},
        {NULL, NULL},
    };
    return kc_test_run("it_active_active", cases);
}
