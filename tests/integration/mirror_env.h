/*
 * Helpers shared by the MirrorMaker integration tests (it_mirror_maker, it_active_active): produce
 * numbered records, count a topic's records, its partitions, a topic's retention.ms, and write an
 * mm2.properties from the repository's sample with the test bed's addresses.
 * Threads: the test's main thread only.
 */
#ifndef KC_IT_MIRROR_ENV_H
#define KC_IT_MIRROR_ENV_H

#include <librdkafka/rdkafka.h>

#include "standalone_env.h"

static inline rd_kafka_t *producer(const char *bootstrap)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    return rk;
}

static inline void produce(const char *bootstrap, const char *topic, int n)
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
static inline int topic_retention(const char *bootstrap, const char *topic, const char *set, char *out, size_t size)
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
static inline int partitions_of(const char *bootstrap, const char *topic)
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

static inline int add_partitions(const char *bootstrap, const char *topic, int total)
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
static inline long count(const char *bootstrap, const char *topic)
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

static inline long wait_count(const char *bootstrap, const char *topic, long want, int timeout_ms)
{
    long until = kc_test_now_ms() + timeout_ms, n = -1;
    while ((n = count(bootstrap, topic)) < want && kc_test_now_ms() < until)
        usleep(500 * 1000);
    return n;
}

/* Copies the sample config/mm2.properties to path with the test bed's bootstrap servers, topics
 * limited to topics_regex, and extra appended. */
static inline void mirror_write_props(const char *path, const char *topics_regex, const char *extra)
{
    char sample[1200];
    snprintf(sample, sizeof sample, "%s/../../config/mm2.properties", KC_IT_SOURCE_DIR);
    FILE *in = fopen(sample, "r"), *out = fopen(path, "w");
    CU_ASSERT_FATAL(in && out);
    char line[2048];
    while (fgets(line, sizeof line, in)) {
        if (strncmp(line, "A.bootstrap.servers", 19) == 0)
            fprintf(out, "A.bootstrap.servers = %s\n", kc_testbed_require("KC_A_PLAINTEXT"));
        else if (strncmp(line, "B.bootstrap.servers", 19) == 0)
            fprintf(out, "B.bootstrap.servers = %s\n", kc_testbed_require("KC_B_PLAINTEXT"));
        else if (strncmp(line, "topics ", 7) == 0 || strncmp(line, "topics=", 7) == 0)
            fprintf(out, "topics = %s\n", topics_regex);
        else
            fputs(line, out);
    }
    if (extra)
        fputs(extra, out);
    fclose(in);
    fclose(out);
}

#endif
