/*
 * it_replication_options: one test per replication-task option, each through POST /replications on
 * a standalone worker whose own cluster is the test bed's A ("current instance", alias A) with B as
 * the peer (PLAINTEXT). Each test creates its replication (its own peer alias and topics), checks
 * what arrived where, and deletes it:
 *   pull, push, both (identity names + source header: nothing loops, the header chain is right),
 *   rename (B's topic t arrives as <peer alias>.t), mapping (t arrives as its mapped name),
 *   start offset earliest (old records copied) and latest (only records written after the start),
 *   compression (the target log segments show the codec, read with Kafka's DumpLogSegments from
 *   the test bed's jars), replicas (the created topic's replication factor on A: 3 when the test
 *   bed runs A with three brokers, else the largest A allows, and 3 is refused naming the count),
 *   offset sync (a group's position on B appears, translated, on A).
 */
#include <inttypes.h>

#include "mirror_env.h"

#define COPY_TIMEOUT_MS 60000

static int port, pid = -1;
static char dir[1024];
static long run_id;

static void start_worker(void)
{
    run_id = (long)getpid();
    it_make_dir(dir, sizeof dir, "it-replication-options");
    port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", 1000,
                    "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
                    "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n");
    char wp[1200], log[1200];
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, NULL};
    pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
}

/* POST /replications with body; returns the status (the reply's body is printed on failure). */
static int create(const char *body)
{
    kc_http_reply r = {0};
    CU_ASSERT_FATAL(kc_http_json(port, "POST", "/replications", body, &r) == 0);
    int status = r.status;
    if (status != 201)
        printf("\n    POST /replications -> %d %s", r.status, r.body ? r.body : "");
    kc_http_reply_free(&r);
    return status;
}

static void delete_replication(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/replications/%s", name);
    kc_http_reply r = {0};
    CU_ASSERT(kc_http_json(port, "DELETE", path, NULL, &r) == 0 && r.status == 204);
    kc_http_reply_free(&r);
}

/* Waits until every connector of the replication and their tasks are RUNNING. */
static int wait_running(const char *name, int timeout_ms)
{
    char path[256];
    snprintf(path, sizeof path, "/replications/%s/status", name);
    long until = kc_test_now_ms() + timeout_ms;
    while (kc_test_now_ms() < until) {
        kc_http_reply r = {0};
        int ok = kc_http_json(port, "GET", path, NULL, &r) == 0 && r.status == 200 && r.body &&
                 strstr(r.body, "\"state\":\"RUNNING\"") == strstr(r.body, "\"state\"") &&
                 !strstr(r.body, "UNASSIGNED") && !strstr(r.body, "FAILED");
        kc_http_reply_free(&r);
        if (ok)
            return 0;
        usleep(200 * 1000);
    }
    return -1;
}

static const char *A(void) { return kc_testbed_require("KC_A_PLAINTEXT"); }
static const char *B(void) { return kc_testbed_require("KC_B_PLAINTEXT"); }

/* A body for a replication with peer B; extra: more JSON members (",\"k\":v..."). */
static void body(char *out, size_t size, const char *name, const char *alias, const char *direction,
                 const char *extra)
{
    snprintf(out, size,
             "{\"name\":\"%s\",\"current_alias\":\"A\",\"peer_alias\":\"%s\",\"peer_bootstrap_servers\":\"%s\","
             "\"direction\":\"%s\"%s}",
             name, alias, B(), direction, extra);
}

/* Reads topic from the start and returns the value of the last kc.mm2.origin header of the first
 * record whose value starts with prefix (new string), or NULL. */
static char *origin_of(const char *bootstrap, const char *topic, const char *prefix)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "it-replication-options-reader", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    char *found = NULL;
    long until = kc_test_now_ms() + 15000;
    while (!found && kc_test_now_ms() < until) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
        if (!m)
            continue;
        if (!m->err && m->len >= strlen(prefix) && memcmp(m->payload, prefix, strlen(prefix)) == 0) {
            rd_kafka_headers_t *hs = NULL;
            const void *v = NULL;
            size_t len = 0;
            if (rd_kafka_message_headers(m, &hs) == 0 && rd_kafka_header_get_last(hs, "kc.mm2.origin", &v, &len) == 0)
                found = strndup(v, len);
            else
                found = strdup("");
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return found;
}

/* Produces n records "<prefix>-<i>" to topic. */
static void produce_prefixed(const char *bootstrap, const char *topic, const char *prefix, int n)
{
    rd_kafka_t *rk = producer(bootstrap);
    for (int i = 0; i < n; i++) {
        char v[128];
        int len = snprintf(v, sizeof v, "%s-%d", prefix, i);
        rd_kafka_resp_err_t e;
        while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(v, (size_t)len),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 50);
        CU_ASSERT_EQUAL(e, 0);
    }
    CU_ASSERT_EQUAL(rd_kafka_flush(rk, 30000), 0);
    rd_kafka_destroy(rk);
}

/* ---- the options ------------------------------------------------------------------------------ */

static void test_pull(void)
{
    char t[64], b[2048];
    snprintf(t, sizeof t, "ro-pull-%ld", run_id);
    produce(B(), t, 200);
    char extra[256];
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"]", t);
    body(b, sizeof b, "o-pull", "P1", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), t, 200, COPY_TIMEOUT_MS), 200);
    sleep(2);
    CU_ASSERT_EQUAL(count(A(), t), 200);
    CU_ASSERT_EQUAL(count(B(), t), 200); /* nothing went back */
    delete_replication("o-pull");
}

static void test_push(void)
{
    char t[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-push-%ld", run_id);
    produce(A(), t, 200);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"]", t);
    body(b, sizeof b, "o-push", "P2", "push", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(B(), t, 200, COPY_TIMEOUT_MS), 200);
    sleep(2);
    CU_ASSERT_EQUAL(count(B(), t), 200);
    CU_ASSERT_EQUAL(count(A(), t), 200);
    delete_replication("o-push");
}

/* both, identity names, source header on by default for both: each side gets the other's records
 * once, none comes back, and the header names the clusters in hop order. */
static void test_both_header(void)
{
    char t[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-both-%ld", run_id);
    produce_prefixed(A(), t, "a", 150);
    produce_prefixed(B(), t, "b", 150);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"]", t);
    body(b, sizeof b, "o-both", "P3", "both", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), t, 300, COPY_TIMEOUT_MS), 300);
    CU_ASSERT_EQUAL(wait_count(B(), t, 300, COPY_TIMEOUT_MS), 300);
    sleep(5); /* a loop would show up as more records by now */
    CU_ASSERT_EQUAL(count(A(), t), 300);
    CU_ASSERT_EQUAL(count(B(), t), 300);
    char want_b[300], want_a[300];
    snprintf(want_b, sizeof want_b, "%s,%s", kc_testbed_require("KC_A_CLUSTER_ID"), kc_testbed_require("KC_B_CLUSTER_ID"));
    snprintf(want_a, sizeof want_a, "%s,%s", kc_testbed_require("KC_B_CLUSTER_ID"), kc_testbed_require("KC_A_CLUSTER_ID"));
    char *on_b = origin_of(B(), t, "a-"), *on_a = origin_of(A(), t, "b-"), *local = origin_of(A(), t, "a-");
    CU_ASSERT_PTR_NOT_NULL(on_b);
    CU_ASSERT_PTR_NOT_NULL(on_a);
    if (on_b && on_a) {
        CU_ASSERT_STRING_EQUAL(on_b, want_b);
        CU_ASSERT_STRING_EQUAL(on_a, want_a);
    }
    CU_ASSERT(local && !*local); /* A's own records carry no header */
    free(on_b);
    free(on_a);
    free(local);
    delete_replication("o-both");
}

static void test_rename(void)
{
    char t[64], remote[96], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-rename-%ld", run_id);
    snprintf(remote, sizeof remote, "P4.%s", t);
    produce(B(), t, 50);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"rename_topics\":true", t);
    body(b, sizeof b, "o-rename", "P4", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), remote, 50, COPY_TIMEOUT_MS), 50);
    CU_ASSERT_EQUAL(count(A(), t), -1); /* no identity copy */
    delete_replication("o-rename");
}

static void test_mapping(void)
{
    char t[64], mapped[96], b[2048], extra[512];
    snprintf(t, sizeof t, "ro-map-%ld", run_id);
    snprintf(mapped, sizeof mapped, "ro-mapped-%ld", run_id);
    produce(B(), t, 50);
    snprintf(extra, sizeof extra, ",\"topic_mapping\":[{\"source\":\"%s\",\"target\":\"%s\"}]", t, mapped);
    body(b, sizeof b, "o-mapping", "P5", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), mapped, 50, COPY_TIMEOUT_MS), 50);
    CU_ASSERT_EQUAL(count(A(), t), -1);
    delete_replication("o-mapping");
}

static void test_start_earliest(void)
{
    char t[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-earliest-%ld", run_id);
    produce(B(), t, 100);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"start_offset\":\"earliest\"", t);
    body(b, sizeof b, "o-earliest", "P6", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), t, 100, COPY_TIMEOUT_MS), 100);
    delete_replication("o-earliest");
}

static void test_start_latest(void)
{
    char t[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-latest-%ld", run_id);
    produce_prefixed(B(), t, "old", 100);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"start_offset\":\"latest\"", t);
    body(b, sizeof b, "o-latest", "P7", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_running("o-latest", 30000), 0);
    sleep(4); /* the task has resolved "latest" for the partition */
    produce_prefixed(B(), t, "new", 50);
    long n = wait_count(A(), t, 50, COPY_TIMEOUT_MS);
    sleep(2);
    n = count(A(), t);
    printf("\n    latest: %ld of 150 records copied", n);
    CU_ASSERT_EQUAL(n, 50);
    char *first = origin_of(A(), t, "new-0");
    CU_ASSERT_PTR_NOT_NULL(first); /* the first copied record is the first new one */
    free(first);
    delete_replication("o-latest");
}

/* The compresscodec of the batches in the segment files of topic-0 on cluster A (from Kafka's own
 * DumpLogSegments); counts batches per codec into out ("zstd: 3"), returns the batches seen. */
static int codecs_on_a(const char *topic, const char *codec, int *matching)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "for f in '%s'/A/n1/data/'%s'-0/*.log; do java -XX:TieredStopAtLevel=1 -cp '%s/*' "
             "org.apache.kafka.tools.DumpLogSegments --files \"$f\"; done 2>/dev/null",
             kc_testbed_require("KC_TESTBED_DIR"), topic, kc_testbed_require("KC_KAFKA_LIB"));
    FILE *p = popen(cmd, "r");
    CU_ASSERT_FATAL(p != NULL);
    char line[4096];
    int batches = 0;
    *matching = 0;
    while (fgets(line, sizeof line, p)) {
        const char *c = strstr(line, "compresscodec: ");
        if (!c || !strstr(line, "baseOffset:"))
            continue;
        batches++;
        c += strlen("compresscodec: ");
        if (strncasecmp(c, codec, strlen(codec)) == 0)
            (*matching)++;
    }
    pclose(p);
    return batches;
}

static void test_compression(void)
{
    char t[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-zstd-%ld", run_id);
    produce(B(), t, 300);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"compression\":\"zstd\"", t);
    body(b, sizeof b, "o-zstd", "P8", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), t, 300, COPY_TIMEOUT_MS), 300);
    int zstd = 0, batches = codecs_on_a(t, "zstd", &zstd);
    printf("\n    compression: %d of %d batches on A are zstd", zstd, batches);
    CU_ASSERT(batches > 0);
    CU_ASSERT_EQUAL(zstd, batches);
    int none = 0;
    codecs_on_a(t, "none", &none);
    CU_ASSERT_EQUAL(none, 0);
    delete_replication("o-zstd");
}

/* The replication factor of topic's partition 0 on cluster bootstrap, or -1. */
static int replication_factor(const char *bootstrap, const char *topic)
{
    rd_kafka_t *rk = producer(bootstrap);
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *tt = rd_kafka_topic_new(rk, topic, NULL);
    int rf = -1;
    if (rd_kafka_metadata(rk, 0, tt, &md, 5000) == 0 && md->topic_cnt == 1 && md->topics[0].err == 0 &&
        md->topics[0].partition_cnt > 0)
        rf = md->topics[0].partitions[0].replica_cnt;
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(tt);
    rd_kafka_destroy(rk);
    return rf;
}

static void test_replicas(void)
{
    int a_brokers = atoi(kc_testbed_require("KC_A_BROKERS")); /* the number of A's brokers */
    char t[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-replicas-%ld", run_id);
    produce(B(), t, 20);
    if (a_brokers < 3) {
        /* 3 replicas are refused on a smaller cluster, with the count in the message */
        snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"replicas\":3", t);
        body(b, sizeof b, "o-replicas", "P9", "pull", extra);
        kc_http_reply r = {0};
        CU_ASSERT_FATAL(kc_http_json(port, "POST", "/replications", b, &r) == 0);
        CU_ASSERT_EQUAL(r.status, 400);
        char want[128];
        snprintf(want, sizeof want, "%d broker", a_brokers);
        CU_ASSERT_PTR_NOT_NULL(r.body ? strstr(r.body, want) : NULL);
        printf("\n    replicas 3 on a %d-broker A: %d %s", a_brokers, r.status, r.body ? r.body : "");
        kc_http_reply_free(&r);
    }
    int want_rf = a_brokers >= 3 ? 3 : a_brokers;
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"replicas\":%d", t, want_rf);
    body(b, sizeof b, "o-replicas", "P9", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), t, 20, COPY_TIMEOUT_MS), 20);
    int rf = replication_factor(A(), t);
    printf("\n    replicas %d: the topic created on A has replication factor %d", want_rf, rf);
    CU_ASSERT_EQUAL(rf, want_rf);
    delete_replication("o-replicas");
}

/* Commits offset for group on topic-0 at bootstrap. */
static void commit_offset(const char *bootstrap, const char *group, const char *topic, int64_t offset)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = offset;
    CU_ASSERT_EQUAL(rd_kafka_commit(rk, parts, 0), 0);
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_destroy(rk);
}

/* The committed offset of group on topic-0 at bootstrap, -1 when none. */
static int64_t committed(const char *bootstrap, const char *group, const char *topic)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, 0);
    int64_t off = -1;
    if (rd_kafka_committed(rk, parts, 5000) == 0 && parts->elems[0].err == 0)
        off = parts->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_destroy(rk);
    return off;
}

static void test_offset_sync(void)
{
    char t[64], g[64], b[2048], extra[256];
    snprintf(t, sizeof t, "ro-sync-%ld", run_id);
    snprintf(g, sizeof g, "ro-sync-group-%ld", run_id);
    produce(B(), t, 100);
    commit_offset(B(), g, t, 60);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\"],\"sync_consumer_offsets\":true,\"sync_interval_seconds\":1",
             t);
    body(b, sizeof b, "o-sync", "P10", "pull", extra);
    long t0 = kc_test_now_ms();
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    CU_ASSERT_EQUAL(wait_count(A(), t, 100, COPY_TIMEOUT_MS), 100);
    int64_t on_a = -1;
    long until = kc_test_now_ms() + 60000;
    while ((on_a = committed(A(), g, t)) < 0 && kc_test_now_ms() < until)
        usleep(500 * 1000);
    printf("\n    offset sync: group at 60 on B -> %" PRId64 " on A after %ld ms", on_a, kc_test_now_ms() - t0);
    CU_ASSERT(on_a >= 0 && on_a <= 60); /* never past the position on B (identity offsets here) */
    /* the status shows the group and its replay bound */
    kc_http_reply r = {0};
    CU_ASSERT(kc_http_json(port, "GET", "/replications/o-sync/status", NULL, &r) == 0 && r.status == 200);
    CU_ASSERT_PTR_NOT_NULL(r.body ? strstr(r.body, g) : NULL);
    kc_http_reply_free(&r);
    delete_replication("o-sync");
}

static void test_stop_worker(void)
{
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 60000), 0);
    pid = -1;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"a standalone worker on cluster A", start_worker},
        {"pull: B's topic arrives on A", test_pull},
        {"push: A's topic arrives on B", test_push},
        {"both with identity names and the source header: once each side, no loop", test_both_header},
        {"rename: B's t arrives as <peer alias>.t", test_rename},
        {"mapping: t arrives under its mapped name", test_mapping},
        {"start offset earliest: records written before the start are copied", test_start_earliest},
        {"start offset latest: only records written after the start are copied", test_start_latest},
        {"compression zstd: the target segments hold zstd batches", test_compression},
        {"replicas: the created topic's replication factor", test_replicas},
        {"offset sync: a group's position on B appears translated on A", test_offset_sync},
        {"the worker stops cleanly", test_stop_worker},
        {NULL, NULL},
    };
    int rc = kc_test_run("it_replication_options", cases);
    if (pid > 0)
        kc_stop_process(pid, SIGKILL, 10000);
    return rc;
}
