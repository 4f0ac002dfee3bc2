/*
 * it_checkpoint_sync: MirrorCheckpointConnector and MirrorHeartbeatConnector in a standalone worker
 * on cluster B (flow A->B), against what MirrorSource would have produced: topic t (3 partitions) on
 * A copied to A.t on B behind 5 unrelated records per partition (downstream = upstream + 5), with
 * the offset syncs OffsetSyncWriter emits (offset.lag.max 100) written to A's
 * mm2-offset-syncs.B.internal. A consumer group commits part-way on A. Checked:
 *   - checkpoints appear on B's A.checkpoints.internal with the translated offsets;
 *   - sync.group.offsets.enabled writes them into the (non-existent, then empty) group on B;
 *   - a consumer starting at the B offsets misses no record that followed its A position;
 *   - the task logs each group's replay bound, here at most offset.lag.max;
 *   - heartbeats {A, B} arrive in B's heartbeats topic.
 * KCONNECT_BIN must be a kconnect that registers these connectors (see the report / main.c line).
 */
#include <inttypes.h>

#include <jansson.h>
#include <librdkafka/rdkafka.h>

#include "connectors/mirror/mirror_records.h"
#include "connectors/mirror/offset_sync_store.h"
#include "connectors/mirror/offset_sync_writer.h"
#include "standalone_env.h"

#define PARTITIONS 3
#define PER_PARTITION 1000
#define FILLER 5
#define LAG_MAX 100

static rd_kafka_t *client(const char *cluster_var, rd_kafka_type_t type, const char *group)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", kc_testbed_require(cluster_var), errstr, sizeof errstr);
    if (group) {
        rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    }
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    if (type == RD_KAFKA_CONSUMER)
        rd_kafka_poll_set_consumer(rk);
    return rk;
}

static void create_topic(rd_kafka_t *rk, const char *topic, int partitions, bool compact)
{
    char errstr[256];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, 1, errstr, sizeof errstr);
    if (compact)
        rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
    CU_ASSERT_FATAL(ev != NULL);
    size_t n;
    const rd_kafka_topic_result_t **res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    CU_ASSERT(n == 1 && (rd_kafka_topic_result_error(res[0]) == RD_KAFKA_RESP_ERR_NO_ERROR ||
                         rd_kafka_topic_result_error(res[0]) == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS));
    rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
}

static void produce(rd_kafka_t *rk, const char *topic, int32_t partition, const void *key, size_t kl, const void *val,
                    size_t vl)
{
    CU_ASSERT_FATAL(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                      RD_KAFKA_V_KEY(key, kl), RD_KAFKA_V_VALUE((void *)val, vl),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == 0);
    rd_kafka_poll(rk, 0);
}

/* Committed offsets of group on cluster: fills out[p] (-1 when none). */
static void group_offsets(const char *cluster_var, const char *group, const char *topic, int64_t *out)
{
    rd_kafka_t *rk = client(cluster_var, RD_KAFKA_CONSUMER, group);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(PARTITIONS);
    for (int p = 0; p < PARTITIONS; p++)
        rd_kafka_topic_partition_list_add(parts, topic, p);
    if (rd_kafka_committed(rk, parts, 10000) == 0)
        for (int p = 0; p < PARTITIONS; p++)
            out[p] = parts->elems[p].offset >= 0 ? parts->elems[p].offset : -1;
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_destroy(rk);
}

/* Latest checkpoint per partition of group/topic in B's checkpoints topic (-1 when none). */
static int read_checkpoints(const char *cp_topic, const char *group, const char *topic, int64_t *up, int64_t *down)
{
    for (int p = 0; p < PARTITIONS; p++)
        up[p] = down[p] = -1;
    rd_kafka_t *rk = client("KC_B_PLAINTEXT", RD_KAFKA_CONSUMER, "it-checkpoint-reader");
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk, cp_topic, 0, &low, &high, 5000) != 0 || high == 0) {
        rd_kafka_destroy(rk);
        return 0;
    }
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, cp_topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    int found = 0;
    int64_t pos = 0;
    long deadline = kc_test_now_ms() + 15000;
    while (pos < high && kc_test_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (!m->err) {
            pos = m->offset + 1;
            kc_mirror_checkpoint cp;
            kc_error err;
            if (kc_mirror_checkpoint_decode(m->key, m->key_len, m->payload, m->len, &cp, &err) == 0) {
                if (strcmp(cp.group, group) == 0 && strcmp(cp.topic, topic) == 0 && cp.partition >= 0 &&
                    cp.partition < PARTITIONS) {
                    CU_ASSERT_EQUAL(cp.version, 0);
                    CU_ASSERT_EQUAL(m->partition, 0);
                    up[cp.partition] = cp.upstream_offset;
                    down[cp.partition] = cp.downstream_offset;
                    found++;
                }
                kc_mirror_checkpoint_clear(&cp);
            }
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return found;
}

/* The value of the record at offset of topic/partition on B, into buf. */
static void read_value_at(const char *topic, int32_t partition, int64_t offset, char *buf, size_t len)
{
    buf[0] = '\0';
    rd_kafka_t *rk = client("KC_B_PLAINTEXT", RD_KAFKA_CONSUMER, "it-checkpoint-value-reader");
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, partition)->offset = offset;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    long deadline = kc_test_now_ms() + 15000;
    while (!buf[0] && kc_test_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (!m->err)
            snprintf(buf, len, "%.*s", (int)m->len, (const char *)m->payload);
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
}

static int count_heartbeats(void)
{
    rd_kafka_t *rk = client("KC_B_PLAINTEXT", RD_KAFKA_CONSUMER, "it-heartbeat-reader");
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, "heartbeats", 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    int n = 0;
    long deadline = kc_test_now_ms() + 5000;
    while (kc_test_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        kc_mirror_heartbeat hb;
        kc_error err;
        if (!m->err && kc_mirror_heartbeat_decode(m->key, m->key_len, m->payload, m->len, &hb, &err) == 0) {
            if (strcmp(hb.source_alias, "A") == 0 && strcmp(hb.target_alias, "B") == 0)
                n++;
            kc_mirror_heartbeat_clear(&hb);
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return n;
}

static void test_checkpoints_and_group_sync(void)
{
    long pid = (long)getpid();
    char topic[64], remote[80], group[64];
    snprintf(topic, sizeof topic, "cpt%ld", pid);
    snprintf(remote, sizeof remote, "A.%s", topic);
    snprintf(group, sizeof group, "cpg%ld", pid);
    const char *syncs_topic = "mm2-offset-syncs.B.internal", *cp_topic = "A.checkpoints.internal";

    /* --- what MirrorSource would have produced ------------------------------------------------ */
    rd_kafka_t *pa = client("KC_A_PLAINTEXT", RD_KAFKA_PRODUCER, NULL);
    rd_kafka_t *pb = client("KC_B_PLAINTEXT", RD_KAFKA_PRODUCER, NULL);
    create_topic(pa, topic, PARTITIONS, false);
    create_topic(pa, syncs_topic, 1, true);
    create_topic(pb, remote, PARTITIONS, false);
    char val[64];
    for (int p = 0; p < PARTITIONS; p++)
        for (int i = 0; i < FILLER; i++) {
            int n = snprintf(val, sizeof val, "filler-%d", i);
            produce(pb, remote, p, NULL, 0, val, (size_t)n);
        }
    CU_ASSERT_FATAL(rd_kafka_flush(pb, 30000) == 0);
    kc_error err;
    kc_offset_sync_writer_t *w = kc_offset_sync_writer_new(LAG_MAX, 0, &err);
    kc_offset_sync_store_t *expect = kc_offset_sync_store_new(&err);
    kc_offset_sync_store_start_load(expect, false);
    int syncs = 0;
    for (int i = 0; i < PER_PARTITION; i++) {
        for (int p = 0; p < PARTITIONS; p++) {
            int n = snprintf(val, sizeof val, "%d-%d", p, i);
            produce(pa, topic, p, NULL, 0, val, (size_t)n);
            produce(pb, remote, p, NULL, 0, val, (size_t)n);
            kc_offset_sync_writer_queue(w, topic, p, i, i + FILLER, &err);
            if (i == PER_PARTITION - 1)
                kc_offset_sync_writer_promote(w);
            kc_offset_sync s;
            while (kc_offset_sync_writer_next(w, &s)) {
                kc_mirror_offset_sync os = {.topic = (char *)s.topic, .partition = s.partition,
                                            .upstream_offset = s.upstream, .downstream_offset = s.downstream};
                kc_mirror_bytes k = {0}, v = {0};
                CU_ASSERT_FATAL(kc_mirror_offset_sync_encode(&os, &k, &v, &err) == 0);
                produce(pa, syncs_topic, 0, k.data, k.len, v.data, v.len);
                kc_offset_sync_store_handle(expect, s.topic, s.partition, s.upstream, s.downstream, &err);
                kc_mirror_bytes_clear(&k);
                kc_mirror_bytes_clear(&v);
                kc_offset_sync_writer_sent(w);
                syncs++;
            }
        }
    }
    kc_offset_sync_store_mark_read_to_end(expect);
    CU_ASSERT_FATAL(rd_kafka_flush(pa, 30000) == 0);
    CU_ASSERT_FATAL(rd_kafka_flush(pb, 30000) == 0);
    printf("\n    %d records per partition copied, %d offset syncs written", PER_PARTITION, syncs);

    /* --- the group commits part-way on A ---------------------------------------------------------- */
    const int64_t committed[PARTITIONS] = {950, 960, 0};
    rd_kafka_t *ca = client("KC_A_PLAINTEXT", RD_KAFKA_CONSUMER, group);
    rd_kafka_topic_partition_list_t *offs = rd_kafka_topic_partition_list_new(PARTITIONS);
    for (int p = 0; p < PARTITIONS; p++)
        rd_kafka_topic_partition_list_add(offs, topic, p)->offset = committed[p];
    CU_ASSERT_FATAL(rd_kafka_commit(ca, offs, 0) == 0);
    rd_kafka_topic_partition_list_destroy(offs);
    rd_kafka_destroy(ca);
    int64_t expected[PARTITIONS], expected_bound = 0;
    for (int p = 0; p < PARTITIONS; p++) {
        kc_offset_translation tr;
        CU_ASSERT_FATAL(kc_offset_sync_store_translate(expect, topic, p, committed[p], -1, &tr));
        expected[p] = tr.downstream;
        CU_ASSERT(tr.replay_kind == KC_REPLAY_EXACT || tr.replay_kind == KC_REPLAY_BOUNDED);
        if (tr.replay_bound > expected_bound)
            expected_bound = tr.replay_bound;
        printf("\n    p%d: A committed %" PRId64 " -> expected B offset %" PRId64, p, committed[p], expected[p]);
    }

    /* --- the worker on B ----------------------------------------------------------------------- */
    char dir[512], wp[700], cp[700], hb[700], log[700];
    it_make_dir(dir, sizeof dir, "it-checkpoint-sync");
    int port = kc_free_port();
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    FILE *f = fopen(wp, "w");
    fprintf(f, "bootstrap.servers=%s\nkey.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
               "offset.storage.file.filename=%s/offsets.dat\noffset.flush.interval.ms=1000\n"
               "listeners=http://127.0.0.1:%d\n", kc_testbed_require("KC_B_PLAINTEXT"), dir, port);
    fclose(f);
    const char *common = "source.cluster.alias=A\ntarget.cluster.alias=B\n"
                         "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
                         "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
                         "header.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n";
    snprintf(cp, sizeof cp, "%s/checkpoint.properties", dir);
    f = fopen(cp, "w");
    fprintf(f, "name=MirrorCheckpointConnector\nconnector.class=org.apache.kafka.connect.mirror.MirrorCheckpointConnector\n"
               "tasks.max=2\n%ssource.cluster.bootstrap.servers=%s\ntarget.cluster.bootstrap.servers=%s\n"
               "groups=%s\nemit.checkpoints.interval.seconds=1\nsync.group.offsets.enabled=true\n"
               "sync.group.offsets.interval.seconds=1\ncheckpoints.topic.replication.factor=1\n",
            common, kc_testbed_require("KC_A_PLAINTEXT"), kc_testbed_require("KC_B_PLAINTEXT"), group);
    fclose(f);
    snprintf(hb, sizeof hb, "%s/heartbeat.properties", dir);
    f = fopen(hb, "w");
    fprintf(f, "name=MirrorHeartbeatConnector\nconnector.class=org.apache.kafka.connect.mirror.MirrorHeartbeatConnector\n"
               "%starget.cluster.bootstrap.servers=%s\nheartbeats.topic.replication.factor=1\n",
            common, kc_testbed_require("KC_B_PLAINTEXT"));
    fclose(f);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    setenv("KC_LOG_LEVEL", "DEBUG", 1);
    char *args[] = {"standalone", wp, cp, hb, NULL};
    long t0 = kc_test_now_ms();
    int kpid = kc_spawn(log, args);
    unsetenv("KC_LOG_LEVEL");
    CU_ASSERT_FATAL(kpid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);

    /* checkpoints with the translated offsets */
    int64_t up[PARTITIONS], down[PARTITIONS];
    long deadline = kc_test_now_ms() + 60000;
    while (read_checkpoints(cp_topic, group, remote, up, down) < PARTITIONS && kc_test_now_ms() < deadline)
        usleep(500000);
    printf("\n    checkpoints after %ld ms:", kc_test_now_ms() - t0);
    for (int p = 0; p < PARTITIONS; p++) {
        printf(" p%d %" PRId64 "->%" PRId64, p, up[p], down[p]);
        CU_ASSERT_EQUAL(up[p], committed[p]);
        CU_ASSERT_EQUAL(down[p], expected[p]);
    }

    /* the group on B gets them */
    int64_t onb[PARTITIONS] = {-1, -1, -1};
    deadline = kc_test_now_ms() + 30000;
    for (;;) {
        group_offsets("KC_B_PLAINTEXT", group, remote, onb);
        if ((onb[0] == expected[0] && onb[1] == expected[1] && onb[2] == expected[2]) || kc_test_now_ms() > deadline)
            break;
        usleep(500000);
    }
    printf("\n    group offsets on B:");
    for (int p = 0; p < PARTITIONS; p++) {
        printf(" p%d %" PRId64, p, onb[p]);
        CU_ASSERT_EQUAL(onb[p], expected[p]);
    }

    /* a consumer starting there misses nothing that followed its A position: the record at the B
     * offset is at or before the one the group would have read next on A */
    for (int p = 0; p < PARTITIONS; p++) {
        char v[64];
        read_value_at(remote, p, onb[p] >= 0 ? onb[p] : 0, v, sizeof v);
        int vp = -1, vi = -1;
        CU_ASSERT(sscanf(v, "%d-%d", &vp, &vi) == 2);
        CU_ASSERT_EQUAL(vp, p);
        CU_ASSERT(vi >= 0 && vi <= committed[p]);
        printf("\n    p%d: B consumer starts at record %s (A position %" PRId64 ", re-reads %" PRId64 ")", p, v,
               committed[p], committed[p] - vi);
    }

    /* heartbeats */
    int beats = count_heartbeats();
    printf("\n    %d heartbeats A->B on B", beats);
    CU_ASSERT(beats >= 1);
    /* the same bound through REST */
    kc_http_reply rb = {0};
    CU_ASSERT_EQUAL(kc_http_json(port, "GET", "/connectors/MirrorCheckpointConnector/mirror/replay-bounds", NULL, &rb), 0);
    CU_ASSERT_EQUAL(rb.status, 200);
    json_t *bounds = rb.body ? json_loads(rb.body, 0, NULL) : NULL;
    json_t *first = json_array_get(bounds, 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(first, "group")) ?: "", group);
    long long rest_bound = json_integer_value(json_object_get(first, "replay_bound"));
    printf("\n    REST: %s", rb.body ? rb.body : "");
    json_decref(bounds);
    kc_http_reply_free(&rb);
    CU_ASSERT_EQUAL(kc_stop_process(kpid, SIGTERM, 30000), 0);

    /* the replay bound in the task's log */
    char cmd[1200], line[512];
    snprintf(cmd, sizeof cmd, "grep -o 'group %s replay bound [-0-9]* over [0-9]* partitions ([0-9]* unbounded)' '%s' "
             "| tail -1", group, log);
    FILE *g = popen(cmd, "r");
    line[0] = '\0';
    if (g) {
        if (!fgets(line, sizeof line, g))
            line[0] = '\0';
        pclose(g);
    }
    long long bound = -2;
    int nparts = 0, unbounded = -1;
    char fmt[128];
    snprintf(fmt, sizeof fmt, "group %s replay bound %%lld over %%d partitions (%%d unbounded)", group);
    CU_ASSERT(sscanf(line, fmt, &bound, &nparts, &unbounded) == 3);
    printf("\n    reported: %s", line);
    CU_ASSERT_EQUAL(nparts, PARTITIONS);
    CU_ASSERT_EQUAL(unbounded, 0);
    CU_ASSERT_EQUAL(bound, expected_bound);
    CU_ASSERT_EQUAL(rest_bound, bound);
    CU_ASSERT(bound >= 0 && bound <= LAG_MAX);

    kc_offset_sync_store_free(expect);
    kc_offset_sync_writer_free(w);
    rd_kafka_destroy(pa);
    rd_kafka_destroy(pb);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"checkpoints, group offset sync, no skipped record, replay bound, heartbeats", test_checkpoints_and_group_sync},
        {NULL, NULL},
    };
    return kc_test_run("it_checkpoint_sync", cases);
}
