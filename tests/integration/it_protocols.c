/*
 * it_protocols: the cluster scenario of it_distributed_cluster (three workers, 6 connectors x 3
 * tasks, kill -9, restart, counted pipeline) with connect.protocol=eager and =compatible, over
 * PLAINTEXT; then the internal endpoint's request signing on a sessioned cluster: an unsigned
 * POST /connectors/{c}/tasks is refused with 400 "Internal request missing required signature"
 * (Java's InternalRequestSignature: a missing signature is a BadRequest, not 403) and a wrongly
 * signed one with 403 "Internal request contained invalid signature."; and the offsets API in
 * distributed mode: stop, read and alter a source connector's offsets (written to the offsets
 * topic), resume from the altered offset; a cluster-scoped logger level written to the config topic
 * exactly as sent and applied by the worker when read back.
 */
#include "dist_cluster.h"
#include "java_worker.h"

static void test_eager(void)
{
    dc_result r;
    dc_scenario("it-proto", "eager", false, &r);
}

static void test_compatible(void)
{
    dc_result r;
    dc_scenario("it-proto", "compatible", false, &r);
}

static void test_signing(void)
{
    dc_cluster c;
    dc_init(&c, "it-sign", "sessioned", false);
    CU_ASSERT_EQUAL_FATAL(dc_start(&c, 0), 0);
    char body[1024];
    snprintf(body, sizeof body,
             "{\"name\":\"src\",\"config\":{\"connector.class\":\"org.apache.kafka.connect.tools."
             "VerifiableSourceConnector\",\"tasks.max\":\"1\",\"topic\":\"%s-t0\",\"throughput\":\"10\"}}", c.group);
    CU_ASSERT_EQUAL(dc_request(&c, 0, "POST", "/connectors", body, 60000, NULL), 201);
    CU_ASSERT(dc_wait_balanced(&c, 0, 1, 1, 1u, 60000) >= 0);
    const char *tasks = "[{\"connector.class\":\"org.apache.kafka.connect.tools.VerifiableSourceConnector\"}]";
    kc_http_reply r = {0};
    CU_ASSERT_EQUAL(kc_http(c.port[0], "POST", "/connectors/src/tasks", "Content-Type: application/json\r\n", tasks,
                            strlen(tasks), &r), 0);
    CU_ASSERT_EQUAL(r.status, 400);
    CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "Internal request missing required signature"));
    CU_ASSERT_EQUAL(kc_http(c.port[0], "POST", "/connectors/src/tasks",
                            "Content-Type: application/json\r\n"
                            "X-Connect-Authorization: grFGAKMHFhv2reBSk0scY8+E2IBWmPCw4mKPyvfUm2k=\r\n"
                            "X-Connect-Request-Signature-Algorithm: HmacSHA256\r\n",
                            tasks, strlen(tasks), &r), 0);
    CU_ASSERT_EQUAL(r.status, 403);
    CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "Internal request contained invalid signature."));
    CU_ASSERT_EQUAL(kc_http(c.port[0], "POST", "/connectors/src/tasks",
                            "Content-Type: application/json\r\n"
                            "X-Connect-Authorization: grFGAKMHFhv2reBSk0scY8+E2IBWmPCw4mKPyvfUm2k=\r\n"
                            "X-Connect-Request-Signature-Algorithm: HmacMD5\r\n",
                            tasks, strlen(tasks), &r), 0);
    CU_ASSERT_EQUAL(r.status, 400);
    kc_http_reply_free(&r);
    /* the connector's task configs were not replaced by any of these */
    json_t *cfg = NULL;
    CU_ASSERT_EQUAL(dc_request(&c, 0, "GET", "/connectors/src/tasks", NULL, 10000, &cfg), 200);
    CU_ASSERT_EQUAL(json_array_size(cfg), 1);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(json_array_get(cfg, 0), "config"), "topic"));
    json_decref(cfg);

    /* the offsets API through the offsets topic: stop, alter, resume from the altered offset */
    CU_ASSERT_EQUAL(dc_request(&c, 0, "PUT", "/connectors/src/stop", NULL, 30000, NULL), 204);
    long until = kc_test_now_ms() + 30000;
    json_t *st = NULL;
    bool stopped = false;
    while (!stopped && kc_test_now_ms() < until) {
        json_decref(st);
        st = NULL;
        dc_request(&c, 0, "GET", "/connectors/src/status", NULL, 5000, &st);
        const char *s = json_string_value(json_object_get(json_object_get(st, "connector"), "state"));
        stopped = s && strcmp(s, "STOPPED") == 0 && json_array_size(json_object_get(st, "tasks")) == 0;
        if (!stopped)
            usleep(200 * 1000);
    }
    json_decref(st);
    CU_ASSERT(stopped);
    json_t *offs = NULL;
    CU_ASSERT_EQUAL(dc_request(&c, 0, "GET", "/connectors/src/offsets", NULL, 10000, &offs), 200);
    json_t *first = json_array_get(json_object_get(offs, "offsets"), 0);
    CU_ASSERT(json_integer_value(json_object_get(json_object_get(first, "partition"), "id")) == 0);
    CU_ASSERT(json_integer_value(json_object_get(json_object_get(first, "offset"), "seqno")) > 0);
    json_decref(offs);
    json_t *answer = NULL;
    CU_ASSERT_EQUAL(dc_request(&c, 0, "PATCH", "/connectors/src/offsets",
                               "{\"offsets\":[{\"partition\":{\"id\":0},\"offset\":{\"seqno\":5}}]}", 30000,
                               &answer), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(answer, "message")) ?: "", "altered successfully"));
    json_decref(answer);
    offs = NULL;
    CU_ASSERT_EQUAL(dc_request(&c, 0, "GET", "/connectors/src/offsets", NULL, 10000, &offs), 200);
    first = json_array_get(json_object_get(offs, "offsets"), 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(first, "offset"), "seqno")), 5);
    json_decref(offs);
    CU_ASSERT_EQUAL(dc_request(&c, 0, "PUT", "/connectors/src/resume", NULL, 30000, NULL), 202);
    CU_ASSERT(dc_wait_balanced(&c, 0, 1, 1, 1u, 60000) >= 0);
    sleep(1);
    FILE *f = fopen(c.log[0], "r");
    char line[4096];
    long resumed = -1;
    while (f && fgets(line, sizeof line, f)) {
        const char *q = strstr(line, "Started VerifiableSourceTask src-0 producing");
        q = q ? strstr(q, "resuming from seqno ") : NULL;
        if (q)
            resumed = atol(q + strlen("resuming from seqno "));
    }
    if (f)
        fclose(f);
    CU_ASSERT_EQUAL(resumed, 6);

    /* a cluster-wide logger level goes through the config topic and comes back to this worker */
    CU_ASSERT_EQUAL(dc_request(&c, 0, "PUT", "/admin/loggers/org.apache.kafka.connect.tools?scope=cluster",
                               "{\"level\":\"debug\"}", 10000, NULL), 204);
    until = kc_test_now_ms() + 10000;
    const char *level = NULL;
    json_t *lg = NULL;
    do {
        json_decref(lg);
        lg = NULL;
        usleep(200 * 1000);
        dc_request(&c, 0, "GET", "/admin/loggers/org.apache.kafka.connect.tools", NULL, 5000, &lg);
        level = json_string_value(json_object_get(lg, "level"));
    } while ((!level || strcmp(level, "DEBUG") != 0) && kc_test_now_ms() < until);
    CU_ASSERT_STRING_EQUAL(level ? level : "", "DEBUG");
    json_decref(lg);
    char topic[256];
    snprintf(topic, sizeof topic, "%s-configs", c.group);
    jw_records rs;
    CU_ASSERT_EQUAL(jw_read_topic(topic, &rs), 0);
    const jw_record *rec = jw_last(&rs, "logger-cluster-org.apache.kafka.connect.tools");
    CU_ASSERT(rec && rec->value && strcmp(rec->value, "{\"level\":\"debug\"}") == 0);
    jw_records_free(&rs);
    dc_stop_all(&c);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"three workers, eager protocol", test_eager},
        {"three workers, compatible protocol", test_compatible},
        {"sessioned: unsigned 400, wrongly signed 403; offsets altered through the offsets topic", test_signing},
        {NULL, NULL},
    };
    return kc_test_run("it_protocols", cases);
}
