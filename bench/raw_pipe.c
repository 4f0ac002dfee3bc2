/*
 * bench_raw_pipe: the ceiling of bench/run. Copies a topic of cluster A to a topic of cluster B,
 * partition p to partition p, with nothing but librdkafka: one consumer assigned to every partition
 * from the beginning (no group membership, no commits), batches from rd_kafka_consume_batch_queue,
 * each record produced by reference (key, value and timestamp; headers copied when present): the
 * consumed message stays alive until its delivery report, which destroys it. Runs until
 * SIGTERM/SIGINT, then flushes.
 *
 *   bench_raw_pipe --source A --source-topic T --target B --target-topic R --partitions P
 *                  [--producer name=value ...] [--consumer name=value ...]
 *
 * R is created with P partitions (RF 1) if it does not exist. Producer defaults: acks=all, no
 * compression; everything else librdkafka's defaults unless given (bench/run passes linger.ms and
 * batch.size). On exit prints {"copied":..,"failed":..}.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>

#include "bench_common.h"

#define BATCH 10000
#define MAX_OPTS 32

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

typedef struct pipe_stats {
    long delivered, failed;
} pipe_stats;

/* Producer thread (inside rd_kafka_poll of the main thread): the consumed message is released. */
static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    pipe_stats *st = opaque;
    if (m->err) {
        if (st->failed++ == 0)
            fprintf(stderr, "bench_raw_pipe: delivery failed: %s\n", rd_kafka_err2str(m->err));
    } else {
        st->delivered++;
    }
    rd_kafka_message_destroy((rd_kafka_message_t *)m->_private);
}

/* Produces m (consumed) by reference; retries while the producer queue is full. 0 or -1. */
static int forward(rd_kafka_t *prod, rd_kafka_topic_t *rkt, rd_kafka_message_t *m)
{
    rd_kafka_headers_t *hdrs = NULL, *copy = NULL;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs)
        copy = rd_kafka_headers_copy(hdrs);
    for (;;) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            prod, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(m->partition), RD_KAFKA_V_MSGFLAGS(0),
            RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
            RD_KAFKA_V_TIMESTAMP(rd_kafka_message_timestamp(m, NULL)), RD_KAFKA_V_HEADERS(copy),
            RD_KAFKA_V_OPAQUE(m), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
            return 0;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            fprintf(stderr, "bench_raw_pipe: produce: %s\n", rd_kafka_err2str(err));
            if (copy)
                rd_kafka_headers_destroy(copy);
            return -1;
        }
        rd_kafka_poll(prod, 5);
    }
}

int main(int argc, char **argv)
{
    const char *source = NULL, *source_topic = NULL, *target = NULL, *target_topic = NULL;
    const char *popts[MAX_OPTS], *copts[MAX_OPTS];
    int partitions = 8, np = 0, nc = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--source"))
            source = v;
        else if (!strcmp(k, "--source-topic"))
            source_topic = v;
        else if (!strcmp(k, "--target"))
            target = v;
        else if (!strcmp(k, "--target-topic"))
            target_topic = v;
        else if (!strcmp(k, "--partitions"))
            partitions = atoi(v);
        else if (!strcmp(k, "--producer") && np < MAX_OPTS)
            popts[np++] = v;
        else if (!strcmp(k, "--consumer") && nc < MAX_OPTS)
            copts[nc++] = v;
        else
            bench_die("unknown option %s", k);
    }
    if (!source || !source_topic || !target || !target_topic || partitions < 1)
        bench_die("usage: bench_raw_pipe --source A --source-topic T --target B --target-topic R --partitions P "
                  "[--producer name=value ...] [--consumer name=value ...]");
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    setvbuf(stdout, NULL, _IOLBF, 0);

    char errstr[256];
    pipe_stats st = {0, 0};
    rd_kafka_conf_t *pc = rd_kafka_conf_new();
    bench_conf_set(pc, "bootstrap.servers", target);
    bench_conf_set(pc, "acks", "all");
    bench_conf_set(pc, "compression.type", "none");
    bench_conf_set(pc, "log_level", "3");
    for (int i = 0; i < np; i++)
        bench_conf_set_kv(pc, popts[i]);
    rd_kafka_conf_set_dr_msg_cb(pc, dr_cb);
    rd_kafka_conf_set_opaque(pc, &st);
    rd_kafka_t *prod = rd_kafka_new(RD_KAFKA_PRODUCER, pc, errstr, sizeof errstr);
    if (!prod)
        bench_die("producer: %s", errstr);
    bench_create_topic(prod, target_topic, partitions);
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(prod, target_topic, NULL);

    rd_kafka_conf_t *cc = rd_kafka_conf_new();
    bench_conf_set(cc, "bootstrap.servers", source);
    bench_conf_set(cc, "group.id", "kconnect-bench-raw-pipe"); /* never joined, never committed */
    bench_conf_set(cc, "enable.auto.commit", "false");
    bench_conf_set(cc, "enable.partition.eof", "false");
    bench_conf_set(cc, "auto.offset.reset", "earliest");
    bench_conf_set(cc, "log_level", "3");
    for (int i = 0; i < nc; i++)
        bench_conf_set_kv(cc, copts[i]);
    rd_kafka_t *cons = rd_kafka_new(RD_KAFKA_CONSUMER, cc, errstr, sizeof errstr);
    if (!cons)
        bench_die("consumer: %s", errstr);
    rd_kafka_poll_set_consumer(cons);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; p++)
        rd_kafka_topic_partition_list_add(l, source_topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    if (rd_kafka_assign(cons, l) != RD_KAFKA_RESP_ERR_NO_ERROR)
        bench_die("assign failed");
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(cons);

    static rd_kafka_message_t *batch[BATCH];
    long copied = 0;
    while (!g_stop) {
        ssize_t n = rd_kafka_consume_batch_queue(q, 100, batch, BATCH);
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = batch[i];
            if (m->err || g_stop || forward(prod, rkt, m) != 0) {
                if (m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    fprintf(stderr, "bench_raw_pipe: consume: %s\n", rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
                continue;
            }
            copied++;
        }
        rd_kafka_poll(prod, 0);
    }
    if (rd_kafka_flush(prod, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        /* B unreachable: purged records get (failed) delivery reports too, which release them, so
         * that no consumed message outlives the consumer */
        rd_kafka_purge(prod, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(prod, 5000);
    }
    printf("{\"copied\":%ld,\"delivered\":%ld,\"failed\":%ld}\n", copied, st.delivered, st.failed);
    rd_kafka_queue_destroy(q);
    rd_kafka_consumer_close(cons);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(prod); /* purges what is left: their delivery reports release the messages */
    rd_kafka_destroy(cons);
    return st.failed ? 1 : 0;
}
