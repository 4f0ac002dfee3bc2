/*
 * bench_common.h: small helpers shared by the benchmark tools (bench_kafka, bench_raw_pipe).
 * Header-only (static functions); every tool is one process with one main thread plus librdkafka's.
 */
#ifndef KC_BENCH_COMMON_H
#define KC_BENCH_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

/* Wall clock in milliseconds since the epoch (comparable with `date +%s%3N`). */
static inline int64_t bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void bench_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static inline void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Sets name=value on conf or dies with librdkafka's message. */
static inline void bench_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
    char errstr[256];
    if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        bench_die("config %s=%s: %s", name, value, errstr);
}

/* Sets "name=value" (one argument as written on the command line). */
static inline void bench_conf_set_kv(rd_kafka_conf_t *conf, const char *kv)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", kv);
    char *eq = strchr(buf, '=');
    if (!eq)
        bench_die("expected name=value, got '%s'", kv);
    *eq = '\0';
    bench_conf_set(conf, buf, eq + 1);
}

/* A consumer handle for metadata / offset queries: no group unless given, never creates topics
 * (allow.auto.create.topics stays false, the consumer default). Free with rd_kafka_destroy. */
static inline rd_kafka_t *bench_query_client(const char *bootstrap, const char *group)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    bench_conf_set(conf, "bootstrap.servers", bootstrap);
    bench_conf_set(conf, "group.id", group ? group : "kconnect-bench-query");
    bench_conf_set(conf, "enable.auto.commit", "false");
    bench_conf_set(conf, "log_level", "3");
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk)
        bench_die("rd_kafka_new: %s", errstr);
    return rk;
}

/* Number of partitions of topic, 0 if it does not exist (yet), -1 on a failed request. */
static inline int bench_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms)
{
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    const struct rd_kafka_metadata *md = NULL;
    int n = -1;
    if (rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        n = 0;
        if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
            n = md->topics[0].partition_cnt;
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(rkt);
    return n;
}

/* Fills end[p] (high watermark) for p < partitions; 0 on success, -1 if any query failed. */
static inline int bench_end_offsets(rd_kafka_t *rk, const char *topic, int partitions, int64_t *end)
{
    for (int p = 0; p < partitions; p++) {
        int64_t lo = 0, hi = 0;
        if (rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 2000) != RD_KAFKA_RESP_ERR_NO_ERROR)
            return -1;
        end[p] = hi;
    }
    return 0;
}

/* Creates topic with partitions (replication factor 1); an existing topic is fine. */
static inline void bench_create_topic(rd_kafka_t *rk, const char *topic, int partitions)
{
    char errstr[256];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, 1, errstr, sizeof errstr);
    if (!nt)
        bench_die("NewTopic %s: %s", topic, errstr);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 60000);
    if (!ev)
        bench_die("CreateTopics %s: no answer in 60 s", topic);
    size_t n = 0;
    const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    rd_kafka_resp_err_t err = n == 1 ? rd_kafka_topic_result_error(tr[0]) : rd_kafka_event_error(ev);
    if (err && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        bench_die("CreateTopics %s: %s", topic, rd_kafka_err2str(err));
    rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
}

#endif
