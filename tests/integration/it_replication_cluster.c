/*
 * it_replication_cluster: replication tasks on a distributed Connect cluster of three kconnect
 * workers on the test bed's cluster A (dist_cluster.h), with B as the peer:
 *   - a task created through one worker (forwarded to the leader when that worker is a follower)
 *     is kept in the config topic: every worker answers GET /replications/{name} and lists it;
 *   - its source tasks spread over the workers, and GET /replications/{name}/status on any worker
 *     adds up what every worker knows: the copied topic shows all its partitions (each counted on
 *     the worker running its task) with no lag once copied, and no "metrics_incomplete";
 *   - pause through one worker and resume through another reach every connector;
 *   - DELETE through a third worker removes the task and its connectors everywhere.
 */
#include "dist_cluster.h"
#include "mirror_env.h"

#define PARTITIONS 6
#define RECORDS 6000
#define NAME "rc-pull"

static dc_cluster cl;
static char topic[64];
static long run_id;

static const char *A(void) { return kc_testbed_require("KC_A_PLAINTEXT"); }
static const char *B(void) { return kc_testbed_require("KC_B_PLAINTEXT"); }

static void start_cluster(void)
{
    run_id = (long)getpid();
    dc_init(&cl, "it-replication-cluster", "sessioned", false);
    for (int i = 0; i < DC_WORKERS; i++)
        CU_ASSERT_EQUAL_FATAL(dc_start(&cl, i), 0);
}

static void test_create_seen_everywhere(void)
{
    snprintf(topic, sizeof topic, "rc-topic-%ld", run_id);
    produce(B(), topic, 1);
    CU_ASSERT_EQUAL_FATAL(add_partitions(B(), topic, PARTITIONS), 0);
    produce(B(), topic, RECORDS - 1);
    char body[1024];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"current_alias\":\"A\",\"peer_alias\":\"PB\",\"peer_bootstrap_servers\":\"%s\","
             "\"direction\":\"pull\",\"topics\":[\"%s\"],\"tasks\":3,\"sync_consumer_offsets\":true,"
             "\"sync_interval_seconds\":1}",
             NAME, B(), topic);
    CU_ASSERT_EQUAL_FATAL(dc_request(&cl, 1, "POST", "/replications", body, 60000, NULL), 201);
    for (int i = 0; i < DC_WORKERS; i++) {
        long until = kc_test_now_ms() + 30000;
        int status = -1;
        json_t *got = NULL;
        while ((status = dc_request(&cl, i, "GET", "/replications/" NAME, NULL, 0, &got)) != 200 &&
               kc_test_now_ms() < until) {
            json_decref(got);
            got = NULL;
            usleep(250 * 1000);
        }
        CU_ASSERT_EQUAL(status, 200);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(got, "name")) ?: "", NAME);
        json_decref(got);
        json_t *list = NULL;
        CU_ASSERT_EQUAL(dc_request(&cl, i, "GET", "/replications", NULL, 10000, &list), 200);
        CU_ASSERT_EQUAL(json_array_size(list), 1);
        json_decref(list);
    }
}

/* Worker i's status of the flow: the copied topic's partitions, records and lag, the number of
 * distinct workers running its source tasks, whether all connectors and tasks run and whether the
 * flow says metrics_incomplete. -1 when there is no answer yet. */
typedef struct flow_view {
    int partitions, source_workers, running, incomplete;
    long records, lag;
} flow_view;

static int view_of(int i, flow_view *v)
{
    memset(v, 0, sizeof *v);
    v->lag = -1;
    json_t *st = NULL;
    if (dc_request(&cl, i, "GET", "/replications/" NAME "/status", NULL, 0, &st) != 200) {
        json_decref(st);
        return -1;
    }
    json_t *flow = json_array_get(json_object_get(st, "flows"), 0);
    v->incomplete = json_is_true(json_object_get(flow, "metrics_incomplete"));
    v->running = 1;
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(flow, "connectors"), k, c) {
        const char *state = json_string_value(json_object_get(c, "state")) ?: "";
        v->running &= strcmp(state, "RUNNING") == 0;
        const char *kind = json_string_value(json_object_get(c, "kind")) ?: "";
        unsigned seen = 0;
        size_t t;
        json_t *task;
        json_array_foreach(json_object_get(c, "tasks"), t, task) {
            v->running &= strcmp(json_string_value(json_object_get(task, "state")) ?: "", "RUNNING") == 0;
            int w = dc_worker_of(&cl, json_string_value(json_object_get(task, "worker_id")));
            if (strcmp(kind, "source") == 0 && w >= 0 && !(seen & (1u << w))) {
                seen |= 1u << w;
                v->source_workers++;
            }
        }
    }
    json_t *e;
    json_array_foreach(json_object_get(flow, "topics"), k, e) {
        if (strcmp(json_string_value(json_object_get(e, "topic")) ?: "", topic) != 0)
            continue;
        v->partitions = (int)json_integer_value(json_object_get(e, "partitions"));
        v->records = (long)json_integer_value(json_object_get(e, "records"));
        v->lag = (long)json_integer_value(json_object_get(e, "lag"));
    }
    json_decref(st);
    return 0;
}

static void test_status_adds_up_the_workers(void)
{
    CU_ASSERT_EQUAL(wait_count(A(), topic, RECORDS, 90000), RECORDS);
    for (int i = 0; i < DC_WORKERS; i++) {
        flow_view v;
        long until = kc_test_now_ms() + 30000;
        int ok = 0;
        while (!ok && kc_test_now_ms() < until) {
            ok = view_of(i, &v) == 0 && v.running && v.partitions == PARTITIONS && v.lag == 0 && !v.incomplete &&
                 v.records > 0;
            if (!ok)
                usleep(500 * 1000);
        }
        printf("\n    status from worker %d: %d partitions of %s, %ld records copied, lag %ld, source tasks on %d "
               "worker(s)%s",
               i, v.partitions, topic, v.records, v.lag, v.source_workers, v.incomplete ? ", metrics incomplete" : "");
        CU_ASSERT(ok);
        CU_ASSERT(v.source_workers >= 2); /* the merge is what this checks */
    }
}

/* Waits until worker i's status shows state for the replication as a whole. */
static int wait_state(int i, const char *state, int timeout_ms)
{
    long until = kc_test_now_ms() + timeout_ms;
    while (kc_test_now_ms() < until) {
        json_t *st = NULL;
        int ok = dc_request(&cl, i, "GET", "/replications/" NAME "/status", NULL, 0, &st) == 200 &&
                 strcmp(json_string_value(json_object_get(st, "state")) ?: "", state) == 0;
        json_decref(st);
        if (ok)
            return 0;
        usleep(300 * 1000);
    }
    return -1;
}

static void test_pause_resume_from_any_worker(void)
{
    CU_ASSERT_EQUAL(dc_request(&cl, 0, "PUT", "/replications/" NAME "/pause", NULL, 30000, NULL), 202);
    CU_ASSERT_EQUAL(wait_state(2, "PAUSED", 30000), 0);
    CU_ASSERT_EQUAL(dc_request(&cl, 1, "PUT", "/replications/" NAME "/resume", NULL, 30000, NULL), 202);
    CU_ASSERT_EQUAL(wait_state(0, "RUNNING", 30000), 0);
}

static void test_delete_everywhere(void)
{
    CU_ASSERT_EQUAL(dc_request(&cl, 2, "DELETE", "/replications/" NAME, NULL, 30000, NULL), 204);
    for (int i = 0; i < DC_WORKERS; i++) {
        long until = kc_test_now_ms() + 30000;
        int gone = 0;
        while (!gone && kc_test_now_ms() < until) {
            json_t *conns = NULL;
            int status = dc_request(&cl, i, "GET", "/replications/" NAME, NULL, 0, NULL);
            gone = status == 404 && dc_request(&cl, i, "GET", "/connectors", NULL, 0, &conns) == 200 &&
                   json_array_size(conns) == 0;
            json_decref(conns);
            if (!gone)
                usleep(300 * 1000);
        }
        CU_ASSERT(gone);
    }
}

static void test_stop(void)
{
    dc_stop_all(&cl);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"three distributed workers on cluster A", start_cluster},
        {"a task created through one worker is seen by every worker", test_create_seen_everywhere},
        {"the status on any worker adds up every worker's metrics", test_status_adds_up_the_workers},
        {"pause through one worker, resume through another", test_pause_resume_from_any_worker},
        {"DELETE through a third worker removes the task and its connectors everywhere", test_delete_everywhere},
        {"the workers stop cleanly", test_stop},
        {NULL, NULL},
    };
    int rc = kc_test_run("it_replication_cluster", cases);
    for (int i = 0; i < DC_WORKERS; i++)
        if (cl.pid[i] > 0)
            kc_stop_process(cl.pid[i], SIGKILL, 10000);
    return rc;
}
