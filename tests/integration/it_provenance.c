/*
 * it_provenance: `kconnect mirror` replicates A<->B with IdentityReplicationPolicy (the same topic
 * name on both sides, so nothing in the names stops a cycle) and kc.provenance.header.enabled=true
 * on both flows (spec/mirrormaker2.md 8.4). Each side gets 20,000 distinct records, half before the mirror starts
 * and half while it runs. Afterwards each side holds exactly 40,000 records, every value exactly
 * once (no record came back), and each replicated record carries exactly one kc.mm2.origin header,
 * "idA,idB" on B for A's records and "idB,idA" on A for B's; local records have none.
 */
#include <pthread.h>

#include "mirror_env.h"

#define PER_SIDE 20000
#define HALF (PER_SIDE / 2)

typedef struct side {
    const char *bootstrap;
    const char *topic;
    char prefix;
    int from, to;
    int failures; /* counted here, asserted on the main thread (CUnit is not thread-safe) */
} side;

static void *produce_range(void *arg)
{
    side *s = arg;
    rd_kafka_t *rk = producer(s->bootstrap);
    for (int i = s->from; i < s->to; i++) {
        char v[64];
        int len = snprintf(v, sizeof v, "%c-%d", s->prefix, i);
        rd_kafka_resp_err_t e;
        while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(s->topic), RD_KAFKA_V_VALUE(v, (size_t)len),
                                      RD_KAFKA_V_HEADER("app", "x", 1), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                      RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 50);
        s->failures += e != 0;
    }
    s->failures += rd_kafka_flush(rk, 30000) != 0;
    rd_kafka_destroy(rk);
    return NULL;
}

static void produce_both(side *sa, side *sb, int from, int to)
{
    sa->from = sb->from = from;
    sa->to = sb->to = to;
    pthread_t ta, tb;
    pthread_create(&ta, NULL, produce_range, sa);
    pthread_create(&tb, NULL, produce_range, sb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CU_ASSERT_EQUAL(sa->failures, 0);
    CU_ASSERT_EQUAL(sb->failures, 0);
}

static char *cluster_id(const char *bootstrap)
{
    rd_kafka_t *rk = producer(bootstrap);
    char *id = rd_kafka_clusterid(rk, 10000);
    CU_ASSERT_FATAL(id != NULL);
    char *copy = strdup(id);
    rd_kafka_mem_free(rk, id);
    rd_kafka_destroy(rk);
    return copy;
}

typedef struct tally {
    unsigned char seen[2][PER_SIDE]; /* [0]: "A-n", [1]: "B-n" */
    long total, foreign, bad_header, good_header;
} tally;

/* Reads every record of topic on one side. local: the prefix produced there (no kc.mm2.origin);
 * the other prefix must carry exactly one kc.mm2.origin header equal to want_chain. */
static void read_side(const char *bootstrap, const char *topic, char local, const char *want_chain, tally *t)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "it-provenance-check", errstr, sizeof errstr);
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
    long got = 0, until = kc_test_now_ms() + 60000;
    while (got < want && kc_test_now_ms() < until) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);
        if (!m)
            continue;
        if (!m->err) {
            got++;
            char v[64] = "";
            size_t n = m->payload ? (m->len < sizeof v - 1 ? m->len : sizeof v - 1) : 0;
            if (n)
                memcpy(v, m->payload, n);
            v[n] = '\0';
            long k = (v[0] == 'A' || v[0] == 'B') && v[1] == '-' ? atol(v + 2) : -1;
            if (k >= 0 && k < PER_SIDE) {
                unsigned char *c = &t->seen[v[0] == 'B'][k];
                *c = *c < 255 ? (unsigned char)(*c + 1) : 255;
            } else {
                t->foreign++;
            }
            rd_kafka_headers_t *h = NULL;
            int origins = 0;
            const void *hv = NULL;
            size_t hl = 0;
            if (rd_kafka_message_headers(m, &h) == 0)
                for (size_t i = 0; rd_kafka_header_get(h, i, "kc.mm2.origin", &hv, &hl) == 0; i++)
                    origins++;
            const void *app = NULL;
            size_t app_len = 0;
            bool app_ok = h && rd_kafka_header_get_last(h, "app", &app, &app_len) == 0 && app_len == 1 &&
                          memcmp(app, "x", 1) == 0;
            /* the application header comes first, kc.mm2.origin last */
            const char *first = NULL;
            if (h && rd_kafka_header_get_all(h, 0, &first, &app, &app_len) != 0)
                first = NULL;
            bool ok;
            if (v[0] == local)
                ok = origins == 0 && app_ok;
            else
                ok = origins == 1 && app_ok && first && strcmp(first, "app") == 0 &&
                     rd_kafka_header_get_last(h, "kc.mm2.origin", &hv, &hl) == 0 && hv &&
                     hl == strlen(want_chain) && memcmp(hv, want_chain, hl) == 0;
            if (ok && v[0] != local)
                t->good_header++;
            if (!ok && t->bad_header++ < 3)
                printf("\n    unexpected headers on %s (%d kc.mm2.origin headers, app %s)", v, origins,
                       app_ok ? "ok" : "missing");
        }
        rd_kafka_message_destroy(m);
    }
    t->total = got;
    rd_kafka_assign(rk, NULL);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
}

static void check_side(const char *name, const char *bootstrap, const char *topic, char local, const char *chain)
{
    tally *t = calloc(1, sizeof *t);
    read_side(bootstrap, topic, local, chain, t);
    long once = 0, missing = 0, twice = 0;
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < PER_SIDE; i++) {
            once += t->seen[s][i] == 1;
            missing += t->seen[s][i] == 0;
            twice += t->seen[s][i] > 1;
        }
    printf("\n    %s: %ld read, %ld exactly once, %ld missing, %ld more than once, %ld foreign, "
           "%ld replicated with chain %s, %ld with wrong headers",
           name, t->total, once, missing, twice, t->foreign, t->good_header, chain, t->bad_header);
    CU_ASSERT_EQUAL(t->total, 2 * PER_SIDE);
    CU_ASSERT_EQUAL(once, 2 * PER_SIDE);
    CU_ASSERT_EQUAL(t->foreign, 0);
    CU_ASSERT_EQUAL(t->good_header, PER_SIDE);
    CU_ASSERT_EQUAL(t->bad_header, 0);
    free(t);
}

static void test_identity_both_ways(void)
{
    const char *a = kc_testbed_require("KC_A_PLAINTEXT"), *b = kc_testbed_require("KC_B_PLAINTEXT");
    char *id_a = cluster_id(a), *id_b = cluster_id(b);
    char dir[1024], props[1200], log[1200], topic[64], extra[400], chain_ab[128], chain_ba[128];
    it_make_dir(dir, sizeof dir, "it-provenance");
    snprintf(props, sizeof props, "%s/mm2.properties", dir);
    snprintf(log, sizeof log, "%s/mirror.log", dir);
    snprintf(topic, sizeof topic, "prov%ld-events", (long)getpid());
    snprintf(chain_ab, sizeof chain_ab, "%s,%s", id_a, id_b);
    snprintf(chain_ba, sizeof chain_ba, "%s,%s", id_b, id_a);
    snprintf(extra, sizeof extra,
             "replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n"
             /* per flow: like Java, kconnect mirror hands a connector only the top-level keys of
              * Java's connector ConfigDef, and every key of its own "S->T." prefix */
             "A->B.kc.provenance.header.enabled = true\n"
             "B->A.kc.provenance.header.enabled = true\n"
             "refresh.topics.interval.seconds = 5\n"
             "offset.flush.interval.ms = 1000\n");
    mirror_write_props(props, topic, extra);
    printf("\n    cluster ids: A %s, B %s", id_a, id_b);

    /* half before the mirror starts (the first records create the topic on each side) ... */
    side sa = {a, topic, 'A', 0, 0, 0}, sb = {b, topic, 'B', 0, 0, 0};
    long t0 = kc_test_now_ms();
    produce_both(&sa, &sb, 0, HALF);
    char *args[] = {"mirror", props, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    /* ... and half while it runs */
    produce_both(&sa, &sb, HALF, PER_SIDE);
    long na = wait_count(a, topic, 2 * PER_SIDE, 45000), nb = wait_count(b, topic, 2 * PER_SIDE, 45000);
    printf("\n    both sides reached %ld / %ld records after %ld ms", na, nb, kc_test_now_ms() - t0);
    sleep(5); /* a cycle would keep adding records */
    CU_ASSERT_EQUAL(count(a, topic), 2 * PER_SIDE);
    CU_ASSERT_EQUAL(count(b, topic), 2 * PER_SIDE);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 60000), 0);
    check_side("A", a, topic, 'A', chain_ba);
    check_side("B", b, topic, 'B', chain_ab);
    free(id_a);
    free(id_b);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"A<->B with IdentityReplicationPolicy and the provenance header: no cycle, every record once",
         test_identity_both_ways},
        {NULL, NULL},
    };
    return kc_test_run("it_provenance", cases);
}
