/*
 * it_mixed_group: one Java Connect worker and one kconnect worker join one Connect group (sessioned
 * protocol) and share the connectors and tasks: whichever is elected leader assigns with its own
 * assignor, the other reads the assignment bytes, REST writes sent to either are forwarded to the
 * leader, task configs go from the follower to the leader as signed internal requests, and a
 * VerifiableSource -> VerifiableSink pipeline split over the two workers loses no record (counted
 * from both workers' output lines, which have the same format).
 */
#include "dist_cluster.h"
#include "java_worker.h"

#define JAVA 0
#define KC 1

static void run_mixed(bool java_first)
{
    dc_cluster c;
    dc_init(&c, java_first ? "it-mixed-j" : "it-mixed-k", "sessioned", false);
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(c.props[i], "a");
        fputs("plugin.discovery=service_load\n", f);
        fclose(f);
    }
    /* the first one started becomes the leader */
    if (java_first) {
        c.pid[JAVA] = jw_start(c.dir, c.props[JAVA], c.log[JAVA]);
        CU_ASSERT_EQUAL_FATAL(jw_wait_ready(c.port[JAVA], 120000), 0);
        CU_ASSERT_EQUAL_FATAL(dc_start(&c, KC), 0);
    } else {
        CU_ASSERT_EQUAL_FATAL(dc_start(&c, KC), 0);
        sleep(2);
        c.pid[JAVA] = jw_start(c.dir, c.props[JAVA], c.log[JAVA]);
        CU_ASSERT_EQUAL_FATAL(jw_wait_ready(c.port[JAVA], 120000), 0);
    }
    char body[1024];
    for (int n = 0; n < 2; n++) {
        snprintf(body, sizeof body,
                 "{\"name\":\"src-%d\",\"config\":{\"connector.class\":\"org.apache.kafka.connect.tools."
                 "VerifiableSourceConnector\",\"tasks.max\":\"2\",\"topic\":\"%s-t%d\",\"throughput\":\"100\"}}",
                 n, c.group, n);
        CU_ASSERT_EQUAL(dc_request(&c, n % 2 ? KC : JAVA, "POST", "/connectors", body, 90000, NULL), 201);
        snprintf(body, sizeof body,
                 "{\"name\":\"snk-%d\",\"config\":{\"connector.class\":\"org.apache.kafka.connect.tools."
                 "VerifiableSinkConnector\",\"tasks.max\":\"2\",\"topics\":\"%s-t%d\"}}", n, c.group, n);
        CU_ASSERT_EQUAL(dc_request(&c, n % 2 ? JAVA : KC, "POST", "/connectors", body, 90000, NULL), 201);
    }
    /* 4 connectors, 8 tasks, shared by the two (at most one task of difference) */
    long bal = dc_wait_balanced(&c, KC, 4, 8, 3u, 120000);
    CU_ASSERT(bal >= 0);
    dc_view v;
    CU_ASSERT_EQUAL(dc_view_of(&c, JAVA, &v), 0);
    fprintf(stderr, "[%s first] tasks running on Java: %d, on kconnect: %d (as seen by Java)\n",
            java_first ? "Java" : "kconnect", v.running[JAVA], v.running[KC]);
    CU_ASSERT(v.running[JAVA] >= 3 && v.running[KC] >= 3);
    sleep(5); /* let the pipeline run on both workers before pausing the sources */
    /* a change through each worker */
    CU_ASSERT_EQUAL(dc_request(&c, KC, "PUT", "/connectors/src-0/pause", NULL, 30000, NULL), 202);
    CU_ASSERT_EQUAL(dc_request(&c, JAVA, "PUT", "/connectors/src-1/pause", NULL, 30000, NULL), 202);
    char prefix[200];
    snprintf(prefix, sizeof prefix, "%s-t", c.group);
    dc_counts k = {0};
    long until = kc_test_now_ms() + 60000;
    do {
        sleep(2);
        dc_count(&c, prefix, &k);
    } while (dc_lost(&k) > 0 && kc_test_now_ms() < until);
    fprintf(stderr, "[%s first] acknowledged %ld, received %ld (+%ld duplicates), lost %ld\n",
            java_first ? "Java" : "kconnect", k.acked_n, k.received_n, k.duplicates, dc_lost(&k));
    CU_ASSERT(k.acked_n > 200);
    CU_ASSERT_EQUAL(dc_lost(&k), 0);
    dc_counts_free(&k);
    CU_ASSERT_EQUAL(kc_stop_process(c.pid[KC], SIGTERM, 40000), 0);
    c.pid[KC] = 0;
    kc_stop_process(c.pid[JAVA], SIGTERM, 60000);
    c.pid[JAVA] = 0;
}

static void test_java_leader(void) { run_mixed(true); }
static void test_kconnect_leader(void) { run_mixed(false); }

int main(void)
{
    static const kc_test_case cases[] = {
        {"Java leader, kconnect follower", test_java_leader},
        {"kconnect leader, Java follower", test_kconnect_leader},
        {NULL, NULL},
    };
    return kc_test_run("it_mixed_group", cases);
}
