/*
 * it_file_e2e: FileStreamSource -> Kafka (SASL_SSL + SCRAM-SHA-512) -> FileStreamSink copies a
 * 100,000-line file through a standalone worker; the output is byte-identical. Also: source
 * connectors create their topics per topic.creation.* groups (KIP-158).
 */
#include <librdkafka/rdkafka.h>

#include "standalone_env.h"

#define LINES 100000

static void test_copy(void)
{
    char dir[512], path[1024], in[1024], out[1024];
    it_make_dir(dir, sizeof dir, "it-file-e2e");
    int port = kc_free_port();
    it_write_worker(dir, port, "SASL_SSL-SCRAM", 1000, NULL);
    snprintf(in, sizeof in, "%s/in.txt", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    FILE *f = fopen(in, "w");
    for (int i = 0; i < LINES; i++) /* varied lengths, UTF-8, tabs */
        fprintf(f, "%d\tline %d %s\n", i, i, i % 7 == 0 ? "é ☃ 😀" : (i % 3 == 0 ? "" : "plain text"));
    fclose(f);
    char topic[128];
    snprintf(topic, sizeof topic, "it-file-e2e-%ld", (long)getpid());
    snprintf(path, sizeof path, "%s/source.properties", dir);
    f = fopen(path, "w");
    fprintf(f, "name=e2e-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=%s\ntopic=%s\n", in, topic);
    fclose(f);
    char sink[1024];
    snprintf(sink, sizeof sink, "%s/sink.json", dir);
    f = fopen(sink, "w");
    fprintf(f, "{\"name\":\"e2e-sink\",\"config\":{\"connector.class\":\"FileStreamSink\",\"tasks.max\":\"1\","
               "\"file\":\"%s\",\"topics\":\"%s\"}}\n", out, topic);
    fclose(f);
    char wp[600], log[600];
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, path, sink, NULL};
    long t0 = kc_test_now_ms();
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
    long deadline = kc_test_now_ms() + 120000;
    while (it_count_lines(out) < LINES && kc_test_now_ms() < deadline)
        usleep(200000);
    long elapsed = kc_test_now_ms() - t0;
    printf("\n    copied %ld of %d lines in %ld ms", it_count_lines(out), LINES, elapsed);
    usleep(1500000); /* nothing more may arrive */
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", in, out);
    CU_ASSERT_EQUAL(system(cmd), 0);
    CU_ASSERT_EQUAL(it_count_lines(out), LINES);
}

/* Partition count of topic on cluster A (PLAINTEXT), -1 when it does not exist. */
static int partitions_of(const char *topic)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"), errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    const struct rd_kafka_metadata *md = NULL;
    int n = -1;
    if (rd_kafka_metadata(rk, 1, NULL, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < md->topic_cnt; i++)
            if (strcmp(md->topics[i].topic, topic) == 0 && !md->topics[i].err)
                n = md->topics[i].partition_cnt;
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_destroy(rk);
    return n;
}

static void test_topic_creation(void)
{
    char dir[512], in[1024], wp[1100], log[1100], c1[1100], c2[1100];
    it_make_dir(dir, sizeof dir, "it-topic-creation");
    int port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", 1000, NULL);
    snprintf(in, sizeof in, "%s/in.txt", dir);
    FILE *f = fopen(in, "w");
    fputs("one\ntwo\nthree\n", f);
    fclose(f);
    char t1[128], t2[128];
    snprintf(t1, sizeof t1, "it-tc-compact-%ld", (long)getpid());
    snprintf(t2, sizeof t2, "it-tc-other-%ld", (long)getpid());
    const char *names[] = {"tc-one", "tc-two"};
    const char *topics[] = {t1, t2};
    char *paths[] = {c1, c2};
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], 1100, "%s/%s.properties", dir, names[i]);
        f = fopen(paths[i], "w");
        fprintf(f, "name=%s\nconnector.class=FileStreamSource\nfile=%s\ntopic=%s\n"
                   "topic.creation.default.replication.factor=1\ntopic.creation.default.partitions=3\n"
                   "topic.creation.groups=compacted\ntopic.creation.compacted.include=it-tc-compact-.*\n"
                   "topic.creation.compacted.partitions=2\ntopic.creation.compacted.cleanup.policy=compact\n",
                names[i], in, topics[i]);
        fclose(f);
    }
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, c1, c2, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
    long deadline = kc_test_now_ms() + 30000;
    while ((partitions_of(t1) < 0 || partitions_of(t2) < 0) && kc_test_now_ms() < deadline)
        usleep(300000);
    int p1 = partitions_of(t1), p2 = partitions_of(t2);
    printf("\n    %s: %d partitions, %s: %d partitions", t1, p1, t2, p2);
    CU_ASSERT_EQUAL(p1, 2); /* the "compacted" group */
    CU_ASSERT_EQUAL(p2, 3); /* the default group */
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
}

/* Records (and their headers) of topic on cluster A, read from the beginning until n arrived or 30 s. */
static int read_topic(const char *topic, int n, char *stage, size_t stage_len)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"), errstr, sizeof errstr);
    char group[200];
    snprintf(group, sizeof group, "%s-reader", topic); /* consumer_poll needs a group, even with assign */
    rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    int got = 0;
    long deadline = kc_test_now_ms() + 30000;
    while (got < n && kc_test_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (!m->err) {
            got++;
            rd_kafka_headers_t *h = NULL;
            const void *v;
            size_t sz;
            if (rd_kafka_message_headers(m, &h) == 0 && rd_kafka_header_get_last(h, "__connect.errors.stage", &v, &sz) == 0)
                snprintf(stage, stage_len, "%.*s", (int)sz, (const char *)v);
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return got;
}

static void test_dead_letter_queue(void)
{
    char dir[512], in[1024], wp[1100], log[1100], src[1100], sink[1100], out[1100];
    it_make_dir(dir, sizeof dir, "it-dlq");
    int port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", 1000, NULL);
    snprintf(in, sizeof in, "%s/in.txt", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    FILE *f = fopen(in, "w");
    fputs("{\"ok\":1}\nnot json\n{\"ok\":2}\nnot json either\n", f);
    fclose(f);
    char topic[128], dlq[128];
    snprintf(topic, sizeof topic, "it-dlq-in-%ld", (long)getpid());
    snprintf(dlq, sizeof dlq, "it-dlq-%ld", (long)getpid());
    snprintf(src, sizeof src, "%s/src.properties", dir);
    f = fopen(src, "w");
    fprintf(f, "name=dlq-src\nconnector.class=FileStreamSource\nfile=%s\ntopic=%s\n", in, topic);
    fclose(f);
    snprintf(sink, sizeof sink, "%s/sink.properties", dir);
    f = fopen(sink, "w");
    fprintf(f, "name=dlq-sink\nconnector.class=FileStreamSink\nfile=%s\ntopics=%s\n"
               "value.converter=org.apache.kafka.connect.json.JsonConverter\nvalue.converter.schemas.enable=false\n"
               "errors.tolerance=all\nerrors.log.enable=true\nerrors.deadletterqueue.topic.name=%s\n"
               "errors.deadletterqueue.topic.replication.factor=1\nerrors.deadletterqueue.context.headers.enable=true\n",
            out, topic, dlq);
    fclose(f);
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, src, sink, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
    /* the good records arrive first (the DLQ topic exists once the first bad one was seen) */
    long deadline = kc_test_now_ms() + 30000;
    while (it_count_lines(out) < 2 && kc_test_now_ms() < deadline)
        usleep(200000);
    usleep(500000);
    char stage[64] = "";
    int dead = read_topic(dlq, 2, stage, sizeof stage);
    printf("\n    %d records in the dead letter queue (stage %s), %ld good records written", dead, stage,
           it_count_lines(out));
    CU_ASSERT_EQUAL(dead, 2);
    CU_ASSERT_STRING_EQUAL(stage, "VALUE_CONVERTER");
    CU_ASSERT_EQUAL(it_count_lines(out), 2);
    kc_http_reply r = {0};
    kc_http(port, "GET", "/connectors/dlq-sink/status", NULL, NULL, 0, &r);
    CU_ASSERT(r.body && strstr(r.body, "\"tasks\":[{\"id\":0,\"state\":\"RUNNING\""));
    kc_http_reply_free(&r);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"100,000 lines file -> Kafka (SASL_SSL + SCRAM) -> file, byte-identical", test_copy},
        {"source connectors create their topics per topic.creation groups", test_topic_creation},
        {"errors.tolerance=all: bad records go to the dead letter queue with context headers", test_dead_letter_queue},
        {NULL, NULL},
    };
    return kc_test_run("it_file_e2e", cases);
}
