/*
 * it_protocols: the cluster scenario of it_distributed_cluster (three workers, 6 connectors x 3
 * tasks, kill -9, restart, counted pipeline) with connect.protocol=eager and =compatible, over
 * PLAINTEXT; then the internal endpoint's request signing on a sessioned cluster: an unsigned
 * POST /connectors/{c}/tasks is refused with 400 "Internal request missing required signature"
 * (Java's InternalRequestSignature: a missing signature is a BadRequest, not 403) and a wrongly
 * signed one with 403 "Internal request contained invalid signature.".
 */
#include "dist_cluster.h"

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
    dc_stop_all(&c);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"three workers, eager protocol", test_eager},
        {"three workers, compatible protocol", test_compatible},
        {"sessioned: unsigned 400, wrongly signed 403", test_signing},
        {NULL, NULL},
    };
    return kc_test_run("it_protocols", cases);
}
