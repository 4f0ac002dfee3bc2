/*
 * it_replication_options: one test per replication-task option, each through POST /replications on
 * a standalone worker whose own cluster is the test bed's A ("current instance", alias A) with B as
 * the peer (PLAINTEXT). Each test creates its replication (its own peer alias and topics), checks
 * what arrived where, and deletes it:
 *   pull, push, both (identity names + source header: nothing loops, the header chain is right),
 *   rename (B's topic t arrives as <peer alias>.t), mapping (t arrives as its mapped name),
 *   start offset earliest (old records copied) and latest (only records written after the creation;
 *   a listed topic created later copied whole; a topic added by an update from its end then),
 *   compression (the target log segments show the codec, read with Kafka's DumpLogSegments from
 *   the test bed's jars), replicas (the created topic's replication factor on A: 3 when the test
 *   bed runs A with three brokers, else the largest A allows, and 3 is refused naming the count),
 *   offset sync (a group's position on B appears, translated, on A; a group with a member on A is
 *   left alone and the status says so, until the member leaves).
 */
#include <inttypes.h>

#include <jansson.h>

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

/* Polls the status of replication name until its first flow passes ok(flow, arg) (then returns its
 * JSON text, new string) or timeout_ms passes (NULL; the last answer is printed). */
static char *wait_flow(const char *name, int (*ok)(const json_t *flow, const void *arg), const void *arg,
                       int timeout_ms)
{
    char path[256];
    snprintf(path, sizeof path, "/replications/%s/status", name);
    long until = kc_test_now_ms() + timeout_ms;
    char *last = NULL;
    while (kc_test_now_ms() < until) {
        kc_http_reply r = {0};
        json_t *root = kc_http_json(port, "GET", path, NULL, &r) == 0 && r.status == 200 && r.body
                           ? json_loads(r.body, 0, NULL)
                           : NULL;
        json_t *flow = json_array_get(json_object_get(root, "flows"), 0);
        free(last);
        last = flow ? json_dumps(flow, JSON_COMPACT) : NULL;
        int done = flow && ok(flow, arg);
        json_decref(root);
        kc_http_reply_free(&r);
        if (done)
            return last;
        usleep(300 * 1000);
    }
    printf("\n    status flow of %s: %s", name, last ? last : "(none)");
    free(last);
    return NULL;
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* The flow's metrics show topic arg with 200 records copied and no lag. */
static int topic_copied(const json_t *flow, const void *arg)
{
    const json_t *topics = json_object_get(flow, "topics");
    for (size_t i = 0; i < json_array_size(topics); i++) {
        const json_t *e = json_array_get(topics, i);
        if (strcmp(str_of(e, "topic"), arg) == 0)
            return json_integer_value(json_object_get(e, "records")) == 200 &&
                   json_integer_value(json_object_get(e, "lag")) == 0 &&
                   json_is_number(json_object_get(flow, "records_per_second"));
    }
    return 0;
}

/* The checkpoint connector's entry of group arg says its offsets were synced. */
static int group_synced(const json_t *flow, const void *arg)
{
    const json_t *conns = json_object_get(flow, "connectors");
    for (size_t c = 0; c < json_array_size(conns); c++) {
        const json_t *groups = json_object_get(json_array_get(conns, c), "groups");
        for (size_t i = 0; i < json_array_size(groups); i++) {
            const json_t *g = json_array_get(groups, i);
            const char *sync = json_string_value(json_object_get(g, "offset_sync"));
            if (strcmp(str_of(g, "group"), arg) == 0 && sync &&
                strcmp(sync, "synced") == 0 && json_is_integer(json_object_get(g, "offset_sync_ms")))
                return 1;
        }
    }
    return 0;
}

/* The checkpoint connector's entry of group arg says its sync was skipped: the group is active. */
static int group_skipped(const json_t *flow, const void *arg)
{
    const json_t *conns = json_object_get(flow, "connectors");
    for (size_t c = 0; c < json_array_size(conns); c++) {
        const json_t *groups = json_object_get(json_array_get(conns, c), "groups");
        for (size_t i = 0; i < json_array_size(groups); i++) {
            const json_t *g = json_array_get(groups, i);
            if (strcmp(str_of(g, "group"), arg) == 0 &&
                strcmp(str_of(g, "offset_sync"), "skipped: group is active on the target") == 0 &&
                json_is_integer(json_object_get(g, "offset_sync_skipped_ms")))
                return 1;
        }
    }
    return 0;
}

/* A consumer of group on bootstrap, subscribed to topic and a member of the group (it has joined
 * and got its assignment); no commits. NULL when it does not join within 30 s. */
static rd_kafka_t *active_member(const char *bootstrap, const char *group, const char *topic)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk)
        return NULL;
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(sub, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(rk, sub);
    rd_kafka_topic_partition_list_destroy(sub);
    long until = kc_test_now_ms() + 30000;
    while (kc_test_now_ms() < until) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (m)
            rd_kafka_message_destroy(m);
        rd_kafka_topic_partition_list_t *mine = NULL;
        int joined = rd_kafka_assignment(rk, &mine) == 0 && mine && mine->cnt > 0;
        if (mine)
            rd_kafka_topic_partition_list_destroy(mine);
        if (joined)
            return rk;
    }
    rd_kafka_destroy(rk);
    return NULL;
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

/* Produces n records "<prefix>-<i>" to topic (prefix: at most 1000 characters). */
static void produce_prefixed(const char *bootstrap, const char *topic, const char *prefix, int n)
{
    rd_kafka_t *rk = producer(bootstrap);
    for (int i = 0; i < n; i++) {
        char v[1024];
        int len = snprintf(v, sizeof v, "%s-%d", prefix, i);
        CU_ASSERT_FATAL(len > 0 && (size_t)len < sizeof v);
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
    /* the status shows, per topic, the records copied and no lag left */
    char *flow = wait_flow("o-pull", topic_copied, t, 10000);
    CU_ASSERT_PTR_NOT_NULL(flow);
    if (flow)
        printf("\n    status flow: %s", flow);
    free(flow);
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

/* PUT /replications/name with body; returns the status. */
static int update(const char *name, const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "/replications/%s", name);
    kc_http_reply r = {0};
    CU_ASSERT_FATAL(kc_http_json(port, "PUT", path, body, &r) == 0);
    int status = r.status;
    if (status != 200)
        printf("\n    PUT %s -> %d %s", path, r.status, r.body ? r.body : "");
    kc_http_reply_free(&r);
    return status;
}

/* "latest" is the end of each selected partition when the replication is created, stored as Connect
 * offsets (spec 8.5): records written right after the 201 are copied, a listed topic that appears
 * later is copied from its first record (Java's auto.offset.reset=latest would skip what it got
 * before its discovery), and a topic an update adds starts at its end at the update. */
static void test_start_latest(void)
{
    char t[64], later[64], added[64], b[2048], extra[512];
    snprintf(t, sizeof t, "ro-latest-%ld", run_id);
    snprintf(later, sizeof later, "ro-latest-later-%ld", run_id);
    snprintf(added, sizeof added, "ro-latest-added-%ld", run_id);
    produce_prefixed(B(), t, "old", 100);
    produce_prefixed(B(), added, "old", 40);
    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\",\"%s\"],\"start_offset\":\"latest\"", t, later);
    body(b, sizeof b, "o-latest", "P7", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(create(b), 201);
    produce_prefixed(B(), t, "new", 50); /* at once: the start was fixed at creation */
    produce_prefixed(B(), later, "early", 30);
    CU_ASSERT_EQUAL(wait_running("o-latest", 30000), 0);
    long n = wait_count(A(), t, 50, COPY_TIMEOUT_MS);
    sleep(2);
    n = count(A(), t);
    printf("\n    latest: %ld of 150 records copied", n);
    CU_ASSERT_EQUAL(n, 50);
    char *first = origin_of(A(), t, "new-0");
    CU_ASSERT_PTR_NOT_NULL(first); /* the first copied record is the first new one */
    free(first);

    snprintf(extra, sizeof extra, ",\"topics\":[\"%s\",\"%s\",\"%s\"],\"start_offset\":\"latest\"", t, later,
             added);
    body(b, sizeof b, "o-latest", "P7", "pull", extra);
    CU_ASSERT_EQUAL_FATAL(update("o-latest", b), 200);
    produce_prefixed(B(), added, "new", 20);
    wait_count(A(), added, 20, COPY_TIMEOUT_MS);
    sleep(2);
    n = count(A(), added);
    printf("\n    latest, topic added by an update: %ld of 60 records copied", n);
    CU_ASSERT_EQUAL(n, 20);
    first = origin_of(A(), added, "new-0");
    CU_ASSERT_PTR_NOT_NULL(first);
    free(first);

    n = wait_count(A(), later, 30, COPY_TIMEOUT_MS); /* discovered within refresh.topics.interval (30 s) */
    printf("\n    latest, topic created after the replication: %ld of 30 records copied", n);
    CU_ASSERT_EQUAL(n, 30);
    delete_replication("o-latest");
}

/* The compresscodec of the batches in the segment files of topic-0 on cluster A, every replica of
 * it on every node (from Kafka's own DumpLogSegments); counts the batches of codec into *matching,
 * returns the batches seen. */
static int codecs_on_a(const char *topic, const char *codec, int *matching)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "for f in '%s'/A/n*/data/'%s'-0/*.log; do java -XX:TieredStopAtLevel=1 -cp '%s/*' "
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
    /* compressible values: librdkafka sends a batch that zstd does not make smaller uncompressed
     * (a one-record batch of a short value, seen under ASan's slower timing) */
    char prefix[401];
    memset(prefix, 'z', sizeof prefix - 1);
    prefix[sizeof prefix - 1] = '\0';
    produce_prefixed(B(), t, prefix, 300);
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

/* The committed offset of group on topic-0 at bootstrap; negative when none (-1 when it cannot be
 * read, RD_KAFKA_OFFSET_INVALID when the group has none). */
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
    /* ... and that its offsets were synced (the group has no members on A) */
    char *flow = wait_flow("o-sync", group_synced, g, 10000);
    CU_ASSERT_PTR_NOT_NULL(flow);
    free(flow);

    /* a group with a member on A (the target) is left alone, and the status says so; once the
     * member leaves, the offsets are synced */
    char g2[64];
    snprintf(g2, sizeof g2, "ro-sync-active-%ld", run_id);
    rd_kafka_t *member = active_member(A(), g2, t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(member);
    commit_offset(B(), g2, t, 80);
    t0 = kc_test_now_ms();
    flow = wait_flow("o-sync", group_skipped, g2, 30000);
    CU_ASSERT_PTR_NOT_NULL(flow);
    printf("\n    offset sync of a group active on A: skipped and shown after %ld ms", kc_test_now_ms() - t0);
    int64_t while_active = committed(A(), g2, t); /* none: librdkafka's RD_KAFKA_OFFSET_INVALID */
    if (while_active >= 0)
        printf("\n    committed on A while the member is active: %" PRId64 "; flow %s", while_active, flow);
    CU_ASSERT(while_active < 0);
    free(flow);
    rd_kafka_consumer_close(member);
    rd_kafka_destroy(member);
    t0 = kc_test_now_ms();
    flow = wait_flow("o-sync", group_synced, g2, 30000);
    CU_ASSERT_PTR_NOT_NULL(flow);
    free(flow);
    int64_t g2_on_a = committed(A(), g2, t);
    printf("\n    after the member left: synced after %ld ms, at %" PRId64 " on A", kc_test_now_ms() - t0, g2_on_a);
    CU_ASSERT(g2_on_a >= 0 && g2_on_a <= 80);
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
        {"start offset latest: the end at creation (or at the update adding a topic); later topics whole", test_start_latest},
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
