/*
 * it_replication_loops: replication tasks (POST /replications) with identity topic names and the
 * source header (kc.mm2.origin) must not loop, at volume:
 *   a. A<->B: one standalone worker whose own cluster is A, a "both" task with peer B. 100,000
 *      distinct values are produced on each side (half before the task is created, half while it
 *      runs); each side ends with exactly 200,000 records, every value exactly once.
 *   b. A ring A->B->C->A (the test bed is started with --cluster-c): the worker on A pushes to B
 *      (alias B2) and pulls from C (alias C1); a second standalone worker whose own cluster is B
 *      pushes to C (alias C2). 100,000 distinct values on each of A, B and C; each cluster ends
 *      with exactly 300,000 records, every value exactly once.
 * "Exactly" is checked twice: the sum of the end offsets, 10 s after the expected total was
 * reached (a loop would keep adding records), and by reading every record back.
 */
#include <pthread.h>

#include "mirror_env.h"

#define PER_SIDE 100000
#define HALF (PER_SIDE / 2)
#define COPY_TIMEOUT_MS 150000
#define SETTLE_S 10

typedef struct worker {
    int port, pid;
    char dir[1024];
} worker;

static worker wa = {0, -1, ""}, wb = {0, -1, ""};
static long run_id;

static const char *A(void) { return kc_testbed_require("KC_A_PLAINTEXT"); }
static const char *B(void) { return kc_testbed_require("KC_B_PLAINTEXT"); }
static const char *C(void) { return kc_testbed_require("KC_C_PLAINTEXT"); }

/* A standalone worker whose own cluster is bootstrap (ByteArray converters, 1 s offset flush). */
static void start_worker(worker *w, const char *name, const char *bootstrap)
{
    it_make_dir(w->dir, sizeof w->dir, name);
    w->port = kc_free_port();
    char wp[1200], log[1200];
    snprintf(wp, sizeof wp, "%s/worker.properties", w->dir);
    snprintf(log, sizeof log, "%s/kconnect.log", w->dir);
    FILE *f = fopen(wp, "w");
    CU_ASSERT_FATAL(f != NULL);
    fprintf(f,
            "bootstrap.servers=%s\n"
            "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
            "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
            "offset.storage.file.filename=%s/offsets.dat\noffset.flush.interval.ms=1000\n"
            "listeners=http://127.0.0.1:%d\n",
            bootstrap, w->dir, w->port);
    fclose(f);
    char *args[] = {"standalone", wp, NULL};
    w->pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(w->pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(w->port, 60000) == 0);
}

/* POST /replications on worker w: {name, current_alias, peer_alias, peer_bootstrap_servers,
 * direction, topics [topic], tasks 2, add_source_header true}. Returns the HTTP status. */
static int create(const worker *w, const char *name, const char *current, const char *peer_alias,
                  const char *peer_bootstrap, const char *direction, const char *topic)
{
    char body[2048];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"current_alias\":\"%s\",\"peer_alias\":\"%s\",\"peer_bootstrap_servers\":\"%s\","
             "\"direction\":\"%s\",\"topics\":[\"%s\"],\"tasks\":2,\"add_source_header\":true}",
             name, current, peer_alias, peer_bootstrap, direction, topic);
    kc_http_reply r = {0};
    CU_ASSERT_FATAL(kc_http_json(w->port, "POST", "/replications", body, &r) == 0);
    int status = r.status;
    if (status != 201)
        printf("\n    POST /replications %s -> %d %s", name, r.status, r.body ? r.body : "");
    kc_http_reply_free(&r);
    return status;
}

static void delete_replication(const worker *w, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/replications/%s", name);
    kc_http_reply r = {0};
    CU_ASSERT(kc_http_json(w->port, "DELETE", path, NULL, &r) == 0 && r.status == 204);
    if (r.status != 204)
        printf("\n    DELETE %s -> %d %s", path, r.status, r.body ? r.body : "");
    kc_http_reply_free(&r);
}

/* ---- producing: one thread per cluster ---------------------------------------------------------- */

typedef struct side {
    const char *bootstrap;
    const char *topic;
    char prefix; /* values are "<prefix>-<n>" */
    int from, to;
    int failures; /* counted here, asserted on the main thread (CUnit is not thread-safe) */
} side;

static void *produce_range(void *arg)
{
    side *s = arg;
    rd_kafka_t *rk = producer(s->bootstrap);
    for (int i = s->from; i < s->to; i++) {
        char v[32];
        int len = snprintf(v, sizeof v, "%c-%d", s->prefix, i);
        rd_kafka_resp_err_t e;
        while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(s->topic), RD_KAFKA_V_VALUE(v, (size_t)len),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 50);
        s->failures += e != 0;
    }
    s->failures += rd_kafka_flush(rk, 60000) != 0;
    rd_kafka_destroy(rk);
    return NULL;
}

/* Produces values [from, to) on every side at once. */
static void produce_all(side *sides, int n, int from, int to)
{
    pthread_t th[3];
    for (int i = 0; i < n; i++) {
        sides[i].from = from;
        sides[i].to = to;
        sides[i].failures = 0;
        pthread_create(&th[i], NULL, produce_range, &sides[i]);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < n; i++) {
        if (sides[i].failures)
            printf("\n    %d failures producing %c-%d..%d", sides[i].failures, sides[i].prefix, from, to - 1);
        CU_ASSERT_EQUAL(sides[i].failures, 0);
    }
}

/* ---- checking ----------------------------------------------------------------------------------- */

/* Waits until every cluster holds want records of topic (or the timeout); prints the copy rate
 * from t_created (the replications exist) and the drain after t_produced (all produced). */
static void wait_all(const char *const *names, const char *const *bootstraps, int n, const char *topic, long want,
                     long t_created, long t_produced, long copied_total)
{
    long at_produced = 0;
    for (int i = 0; i < n; i++) {
        long c = count(bootstraps[i], topic);
        at_produced += c > 0 ? c : 0;
    }
    long until = kc_test_now_ms() + COPY_TIMEOUT_MS;
    long got[3] = {0};
    for (;;) {
        int done = 1;
        for (int i = 0; i < n; i++) {
            got[i] = count(bootstraps[i], topic);
            done &= got[i] >= want;
        }
        if (done || kc_test_now_ms() >= until)
            break;
        usleep(250 * 1000);
    }
    long t_done = kc_test_now_ms();
    long remaining = (long)n * want - at_produced;
    for (int i = 0; i < n; i++)
        printf("\n    %s holds %ld of %ld", names[i], got[i], want);
    printf("\n    replications created -> all copied: %.1f s, %ld records copied, %.0f records/s",
           (t_done - t_created) / 1000.0, copied_total,
           copied_total * 1000.0 / (double)(t_done - t_created > 0 ? t_done - t_created : 1));
    printf("\n    producing done -> all copied (drain): %.1f s, %ld records left to copy, %.0f records/s",
           (t_done - t_produced) / 1000.0, remaining,
           remaining * 1000.0 / (double)(t_done - t_produced > 0 ? t_done - t_produced : 1));
    printf("\n    waiting %d s for records a loop would add", SETTLE_S);
    sleep(SETTLE_S);
    for (int i = 0; i < n; i++) {
        long c = count(bootstraps[i], topic);
        if (c != want)
            printf("\n    %s: %ld records after %d s (want %ld)", names[i], c, SETTLE_S, want);
        CU_ASSERT_EQUAL(c, want);
    }
}

/* Reads every record of topic (partitions from the start to their end offsets) and checks that
 * each value "<p>-<n>" (p one of prefixes, n < PER_SIDE) appears exactly once and nothing else. */
static void check_values(const char *name, const char *bootstrap, const char *topic, const char *prefixes)
{
    int np = (int)strlen(prefixes);
    unsigned char *seen = calloc((size_t)np * PER_SIDE, 1);
    CU_ASSERT_FATAL(seen != NULL);
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "it-replication-loops-check", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    int parts = partitions_of(bootstrap, topic);
    CU_ASSERT_FATAL(parts > 0);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts);
    long want = 0;
    for (int p = 0; p < parts; p++) {
        int64_t lo = 0, hi = 0;
        rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 10000);
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        want += hi - lo;
    }
    rd_kafka_assign(rk, l);
    long t0 = kc_test_now_ms(), got = 0, foreign = 0, until = t0 + 60000;
    while (got < want && kc_test_now_ms() < until) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
        if (!m)
            continue;
        if (!m->err) {
            got++;
            char v[32] = "";
            size_t n = m->payload ? (m->len < sizeof v - 1 ? m->len : sizeof v - 1) : 0;
            if (n)
                memcpy(v, m->payload, n);
            v[n] = '\0';
            const char *p = v[0] ? strchr(prefixes, v[0]) : NULL;
            long k = p && v[1] == '-' ? atol(v + 2) : -1;
            if (k >= 0 && k < PER_SIDE) {
                unsigned char *c = &seen[(size_t)(p - prefixes) * PER_SIDE + (size_t)k];
                *c = *c < 255 ? (unsigned char)(*c + 1) : 255;
            } else if (foreign++ < 3) {
                printf("\n    %s: unexpected value \"%s\"", name, v);
            }
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_assign(rk, NULL);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    long once = 0, missing = 0, twice = 0;
    for (size_t i = 0; i < (size_t)np * PER_SIDE; i++) {
        once += seen[i] == 1;
        missing += seen[i] == 0;
        twice += seen[i] > 1;
    }
    free(seen);
    printf("\n    %s: %ld records read in %.1f s, %ld values exactly once, %ld missing, %ld more than once, "
           "%ld foreign",
           name, got, (kc_test_now_ms() - t0) / 1000.0, once, missing, twice, foreign);
    CU_ASSERT_EQUAL(got, (long)np * PER_SIDE);
    CU_ASSERT_EQUAL(once, (long)np * PER_SIDE);
    CU_ASSERT_EQUAL(foreign, 0);
}

/* ---- the tests ---------------------------------------------------------------------------------- */

static void test_start_worker_a(void)
{
    run_id = (long)getpid();
    start_worker(&wa, "it-replication-loops-a", A());
}

static void test_both_ab(void)
{
    char t[64];
    snprintf(t, sizeof t, "rl-ab-%ld", run_id);
    side s[2] = {{A(), t, 'A', 0, 0, 0}, {B(), t, 'B', 0, 0, 0}};
    long t0 = kc_test_now_ms();
    produce_all(s, 2, 0, HALF);
    printf("\n    produced %d per side before the replication in %.1f s", HALF, (kc_test_now_ms() - t0) / 1000.0);
    CU_ASSERT_EQUAL_FATAL(create(&wa, "loop-ab", "A", "B", B(), "both", t), 201);
    long t_created = kc_test_now_ms();
    produce_all(s, 2, HALF, PER_SIDE);
    long t_produced = kc_test_now_ms();
    printf("\n    produced %d more per side while it runs in %.1f s", PER_SIDE - HALF,
           (t_produced - t_created) / 1000.0);
    const char *names[] = {"A", "B"}, *boots[] = {A(), B()};
    wait_all(names, boots, 2, t, 2L * PER_SIDE, t_created, t_produced, 2L * PER_SIDE);
    check_values("A", A(), t, "AB");
    check_values("B", B(), t, "AB");
    delete_replication(&wa, "loop-ab");
    printf("\n    scenario A<->B: %.1f s", (kc_test_now_ms() - t0) / 1000.0);
}

static void test_ring_abc(void)
{
    long t0 = kc_test_now_ms();
    start_worker(&wb, "it-replication-loops-b", B());
    char t[64];
    snprintf(t, sizeof t, "rl-ring-%ld", run_id);
    side s[3] = {{A(), t, 'A', 0, 0, 0}, {B(), t, 'B', 0, 0, 0}, {C(), t, 'C', 0, 0, 0}};
    produce_all(s, 3, 0, HALF);
    printf("\n    produced %d per cluster before the replications in %.1f s", HALF,
           (kc_test_now_ms() - t0) / 1000.0);
    CU_ASSERT_EQUAL_FATAL(create(&wa, "ring-ab", "A", "B2", B(), "push", t), 201);
    CU_ASSERT_EQUAL_FATAL(create(&wb, "ring-bc", "B", "C2", C(), "push", t), 201);
    CU_ASSERT_EQUAL_FATAL(create(&wa, "ring-ca", "A", "C1", C(), "pull", t), 201);
    long t_created = kc_test_now_ms();
    produce_all(s, 3, HALF, PER_SIDE);
    long t_produced = kc_test_now_ms();
    printf("\n    produced %d more per cluster while they run in %.1f s", PER_SIDE - HALF,
           (t_produced - t_created) / 1000.0);
    const char *names[] = {"A", "B", "C"}, *boots[] = {A(), B(), C()};
    /* every cluster receives the other two clusters' records: 6 x 100,000 copies in all */
    wait_all(names, boots, 3, t, 3L * PER_SIDE, t_created, t_produced, 6L * PER_SIDE);
    check_values("A", A(), t, "ABC");
    check_values("B", B(), t, "ABC");
    check_values("C", C(), t, "ABC");
    delete_replication(&wa, "ring-ab");
    delete_replication(&wb, "ring-bc");
    delete_replication(&wa, "ring-ca");
    printf("\n    scenario ring A->B->C->A: %.1f s", (kc_test_now_ms() - t0) / 1000.0);
}

static void test_stop_workers(void)
{
    CU_ASSERT_EQUAL(kc_stop_process(wa.pid, SIGTERM, 60000), 0);
    wa.pid = -1;
    if (wb.pid > 0) {
        CU_ASSERT_EQUAL(kc_stop_process(wb.pid, SIGTERM, 60000), 0);
        wb.pid = -1;
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"a standalone worker on cluster A", test_start_worker_a},
        {"A<->B both, identity names, source header: 100,000 per side, every value once on each side",
         test_both_ab},
        {"ring A->B->C->A over two workers, identity names, source header: every value once everywhere",
         test_ring_abc},
        {"the workers stop cleanly", test_stop_workers},
        {NULL, NULL},
    };
    long t0 = kc_test_now_ms();
    int rc = kc_test_run("it_replication_loops", cases);
    printf("it_replication_loops: %.1f s\n", (kc_test_now_ms() - t0) / 1000.0);
    if (wa.pid > 0)
        kc_stop_process(wa.pid, SIGKILL, 10000);
    if (wb.pid > 0)
        kc_stop_process(wb.pid, SIGKILL, 10000);
    return rc;
}
