/*
 * it_rest_conformance: the REST spec's conformance checklist (spec/connect-rest-api.md §15) against
 * standalone workers on the test bed, checked with raw HTTP: status codes, JSON bodies, messages.
 * Every numbered check below is one item of the checklist (or of the bad-input list of the issue).
 */
#include <jansson.h>

#include "standalone_env.h"

static int port, port2, port3, admin_port3, tls_port;
static char dir[512], in_file[1024];
static int pids[4];
static kc_http_reply r;
static int checks;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        checks++;                                                                           \
        CU_ASSERT(cond);                                                                    \
        if (!(cond))                                                                        \
            printf("\n    check failed at line %d: %s -> %d %s", __LINE__, #cond, r.status, \
                   r.body ? r.body : "");                                                  \
    } while (0)

static json_t *body_json(void)
{
    json_error_t e;
    return r.body ? json_loads(r.body, JSON_DECODE_ANY, &e) : NULL;
}

/* 1 when the body is {"error_code":status,"message":msg} exactly (msg NULL: any message). */
static int error_is(int status, const char *msg)
{
    json_t *b = body_json();
    int ok = b && json_object_size(b) == 2 && json_integer_value(json_object_get(b, "error_code")) == status &&
             json_is_string(json_object_get(b, "message")) &&
             (!msg || strcmp(json_string_value(json_object_get(b, "message")), msg) == 0) && r.status == status;
    json_decref(b);
    return ok;
}

static int keys_are(json_t *o, const char *const *keys)
{
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        if (!keys[i] || strcmp(keys[i], k) != 0)
            return 0;
        i++;
    }
    return keys[i] == NULL;
}

static int suite_clean(void);

static int start_worker(int idx, int p, const char *extra)
{
    char sub[1024], wp[1200], log[1200];
    snprintf(sub, sizeof sub, "%s/w%d", dir, idx);
    mkdir(sub, 0755);
    it_write_worker(sub, p, "PLAINTEXT", 1000, extra);
    snprintf(wp, sizeof wp, "%s/worker.properties", sub);
    snprintf(log, sizeof log, "%s/kconnect.log", sub);
    char *args[] = {"standalone", wp, NULL};
    pids[idx] = kc_spawn(log, args);
    return pids[idx] > 0 && kc_wait_rest(p, 60000) == 0 ? 0 : -1;
}

static int suite_init(void)
{
    it_make_dir(dir, sizeof dir, "it-rest");
    snprintf(in_file, sizeof in_file, "%s/in.txt", dir);
    FILE *f = fopen(in_file, "w");
    fputs("a\nb\nc\n", f);
    fclose(f);
    port = kc_free_port();
    port2 = kc_free_port();
    port3 = kc_free_port();
    admin_port3 = kc_free_port();
    char extra3[1024], creds[700];
    snprintf(creds, sizeof creds, "%s/credentials.properties", dir);
    f = fopen(creds, "w");
    fputs("alice: s3cret\n", f);
    fclose(f);
    snprintf(extra3, sizeof extra3,
             "rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension\n"
             "rest.auth.basic.file=%s\nadmin.listeners=http://127.0.0.1:%d\ntopic.tracking.allow.reset=false\n", creds,
             admin_port3);
    if (start_worker(0, port, "access.control.allow.origin=*\nresponse.http.headers.config=add X-XSS-Protection: 1; mode=block\n") ||
        start_worker(1, port2, "admin.listeners=\ntopic.tracking.enable=false\n") || start_worker(2, port3, extra3)) {
        suite_clean(); /* CUnit does not clean up a suite whose set-up failed */
        return 1;
    }
    return 0;
}

static int suite_clean(void)
{
    for (int i = 0; i < 4; i++)
        if (pids[i] > 0) {
            kc_stop_process(pids[i], SIGTERM, 30000);
            pids[i] = 0;
        }
    kc_http_reply_free(&r);
    return 0;
}

/* curl over HTTPS with ca as the trust anchor: the HTTP status, or -1 when the TLS handshake failed. */
static int curl_https(int p, const char *ca)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "curl -s -o /dev/null -w '%%{http_code}' --max-time 5 --cacert '%s' https://127.0.0.1:%d/ 2>/dev/null",
             ca, p);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    int code = 0;
    int got = fscanf(f, "%d", &code);
    int rc = pclose(f);
    return got == 1 && rc == 0 ? code : -1;
}

static void test_https_listener(void)
{
    char sub[1024], wp[1200], log[1200], extra[2048];
    snprintf(sub, sizeof sub, "%s/w3", dir);
    mkdir(sub, 0755);
    tls_port = kc_free_port();
    snprintf(extra, sizeof extra, "listeners.https.ssl.keystore.type=PEM\nlisteners.https.ssl.keystore.location=%s/ssl/broker-keystore.pem\n",
             kc_testbed_require("KC_TESTBED_DIR"));
    it_write_worker(sub, 0, "PLAINTEXT", 1000, extra);
    /* it_write_worker wrote an http listener line; the last listeners= wins in a properties file */
    snprintf(wp, sizeof wp, "%s/worker.properties", sub);
    FILE *f = fopen(wp, "a");
    fprintf(f, "listeners=https://127.0.0.1:%d\n", tls_port);
    fclose(f);
    snprintf(log, sizeof log, "%s/kconnect.log", sub);
    char *args[] = {"standalone", wp, NULL};
    pids[3] = kc_spawn(log, args);
    CU_ASSERT_FATAL(pids[3] > 0);
    int code = -1;
    long deadline = kc_test_now_ms() + 60000;
    while ((code = curl_https(tls_port, kc_testbed_require("KC_CA_FILE"))) != 200 && kc_test_now_ms() < deadline)
        usleep(200000);
    CHECK(code == 200);
    CHECK(curl_https(tls_port, kc_testbed_require("KC_WRONG_CA_FILE")) == -1);
    printf("\n    %d checks", checks);
    CU_ASSERT(checks >= 60);
}

static void test_server_and_routing(void)
{
    kc_http(port, "GET", "/", NULL, NULL, 0, &r);
    json_t *b = body_json();
    CHECK(r.status == 200 && keys_are(b, (const char *const[]){"version", "commit", "kafka_cluster_id", NULL}));
    CHECK(strcmp(json_string_value(json_object_get(b, "kafka_cluster_id")), kc_testbed_require("KC_A_CLUSTER_ID")) == 0);
    json_decref(b);
    kc_http(port, "GET", "/health", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strcmp(r.body, "{\"status\":\"healthy\",\"message\":\"Worker has completed startup and is "
                                            "ready to handle requests.\"}") == 0);
    kc_http(port, "GET", "/no/such/path", NULL, NULL, 0, &r);
    CHECK(error_is(404, "HTTP 404 Not Found"));
    kc_http(port, "DELETE", "/connectors", NULL, NULL, 0, &r);
    CHECK(error_is(405, NULL));
    kc_http(port, "OPTIONS", "/connectors", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && kc_http_header(&r, "Content-Type") && strcmp(kc_http_header(&r, "Content-Type"), "text/plain") == 0);
    CHECK(kc_http_header(&r, "Allow") && strcmp(r.body, kc_http_header(&r, "Allow")) == 0);
    kc_http(port, "GET", "/connectors", "Origin: http://bar.com\r\n", NULL, 0, &r);
    CHECK(kc_http_header(&r, "Access-Control-Allow-Origin") &&
          strcmp(kc_http_header(&r, "Access-Control-Allow-Origin"), "http://bar.com") == 0);
    CHECK(kc_http_header(&r, "X-XSS-Protection") && strcmp(kc_http_header(&r, "X-XSS-Protection"), "1; mode=block") == 0);
    kc_http(port2, "GET", "/connectors", "Origin: http://bar.com\r\n", NULL, 0, &r);
    CHECK(r.status == 200 && kc_http_header(&r, "Access-Control-Allow-Origin") == NULL);
}

static char *source_body(const char *name, const char *extra)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "{\"name\":\"%s\",\"config\":{\"connector.class\":\"FileStreamSource\",\"tasks.max\":\"1\","
                              "\"file\":\"%s\",\"topic\":\"it-rest-%ld\"%s}}", name, in_file, (long)getpid(),
             extra ? extra : "");
    return buf;
}

static void test_create(void)
{
    /* converters named by class or alias in a connector config */
    kc_http_json(port, "POST", "/connectors", source_body("conv", ",\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\","
                                                               "\"value.converter\":\"JsonConverter\",\"value.converter.schemas.enable\":\"false\""), &r);
    CHECK(r.status == 201);
    kc_http_json(port, "POST", "/connectors", source_body("badconv", ",\"value.converter\":\"NoSuchConverter\""), &r);
    CHECK(r.status == 400 && strstr(r.body, "NoSuchConverter"));
    kc_http_json(port, "POST", "/connectors", source_body("src", NULL), &r);
    json_t *b = body_json();
    CHECK(r.status == 201 && keys_are(b, (const char *const[]){"name", "config", "tasks", "type", NULL}));
    CHECK(kc_http_header(&r, "Location") && strstr(kc_http_header(&r, "Location"), "/connectors/src"));
    CHECK(b && strcmp(json_string_value(json_object_get(json_object_get(b, "config"), "name")), "src") == 0 &&
          strcmp(json_string_value(json_object_get(b, "type")), "source") == 0);
    json_decref(b);
    kc_http_json(port, "POST", "/connectors", source_body("src", NULL), &r);
    CHECK(error_is(409, "Connector src already exists"));
    kc_http_json(port, "POST", "/connectors",
                 "{\"name\":\"a\",\"config\":{\"name\":\"b\",\"connector.class\":\"FileStreamSource\",\"topic\":\"t\"}}", &r);
    CHECK(error_is(400, "Connector name configuration (b) doesn't match connector name in the URL (a)"));
    kc_http_json(port, "POST", "/connectors", source_body("  padded  ", NULL), &r);
    b = body_json();
    CHECK(r.status == 201 && strcmp(json_string_value(json_object_get(b, "name")), "padded") == 0);
    json_decref(b);
    kc_http_json(port, "POST", "/connectors", source_body("   ", NULL), &r);
    CHECK(error_is(400, "Connector configuration is invalid and contains the following 1 error(s):\nInvalid value  for "
                        "configuration name: String may not be empty\nYou can also find the above list of errors at the "
                        "endpoint `/connector-plugins/{connectorType}/config/validate`"));
    kc_http_json(port, "POST", "/connectors", source_body("a\\nb", NULL), &r);
    CHECK(r.status == 400 && strstr(r.body, "String may not contain control sequences but had the following ASCII chars: 10"));
    kc_http_json(port, "POST", "/connectors", "{\"name\":\"nc\",\"config\":{\"tasks.max\":\"1\"}}", &r);
    CHECK(r.status == 400 && strstr(r.body, "\"message\":\"Connector config {") && strstr(r.body, "} contains no connector type\""));
    kc_http_json(port, "POST", "/connectors", "{\"name\":\"x\",\"config\":{\"connector.class\":\"NoSuchConnector\"}}", &r);
    CHECK(r.status == 500 && strstr(r.body, "Failed to find any class that implements Connector and which name matches NoSuchConnector"));
    kc_http_json(port, "POST", "/connectors", source_body("zero", ",\"tasks.max\":\"0\""), &r);
    CHECK(r.status == 400 && strstr(r.body, "Invalid value 0 for configuration tasks.max: Value must be at least 1"));
    kc_http_json(port, "POST", "/connectors", "{\"name\":\"f\",\"foo\":1,\"config\":{}}", &r);
    CHECK(r.status == 500 && error_is(500, NULL));
    /* bad input: malformed JSON, a body over the limit, a wrong content type — and the worker keeps serving */
    kc_http_json(port, "POST", "/connectors", "{\"name\":", &r);
    CHECK(r.status == 500 && error_is(500, NULL));
    size_t big = 17u * 1024u * 1024u;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    kc_http(port, "POST", "/connectors", "Content-Type: application/json\r\n", huge, big, &r);
    free(huge);
    CHECK(error_is(413, "Request body too large"));
    kc_http(port, "POST", "/connectors", "Content-Type: text/plain\r\n", "{}", 2, &r);
    CHECK(error_is(415, "HTTP 415 Unsupported Media Type"));
    kc_http(port, "GET", "/connectors", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strstr(r.body, "\"src\""));
    kc_http(port, "GET", "/connectors?expand=status&expand=info", NULL, NULL, 0, &r);
    json_t *all = body_json();
    json_t *src = json_object_get(all, "src");
    CHECK(json_object_get(src, "status") && json_object_get(src, "info"));
    json_decref(all);
    kc_http(port, "GET", "/connectors?expand=bogus", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strstr(r.body, "\"src\":{}"));
}

static void test_single_connector(void)
{
    kc_http(port, "GET", "/connectors/src", NULL, NULL, 0, &r);
    json_t *b = body_json();
    CHECK(r.status == 200 && keys_are(b, (const char *const[]){"name", "config", "tasks", "type", NULL}));
    CHECK(strstr(r.body, "\"tasks\":[{\"connector\":\"src\",\"task\":0}]") != NULL);
    json_decref(b);
    kc_http(port, "GET", "/connectors/missing", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Connector missing not found"));
    kc_http(port, "GET", "/connectors/missing/config", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Connector missing not found"));
    char cfg[2048];
    snprintf(cfg, sizeof cfg, "{\"connector.class\":\"FileStreamSource\",\"file\":\"%s\",\"topic\":\"p1t\"}", in_file);
    kc_http_json(port, "PUT", "/connectors/p1/config", cfg, &r);
    CHECK(r.status == 201 && kc_http_header(&r, "Location"));
    kc_http_json(port, "PUT", "/connectors/p1/config", cfg, &r);
    CHECK(r.status == 200);
    kc_http_json(port, "PUT", "/connectors/p1/config", "{\"name\":\"other\",\"connector.class\":\"FileStreamSource\",\"topic\":\"t\"}", &r);
    CHECK(error_is(400, "Connector name configuration (other) doesn't match connector name in the URL (p1)"));
    kc_http_json(port, "PATCH", "/connectors/p1/config", "{\"tasks.max\":\"2\",\"file\":null}", &r);
    CHECK(r.status == 200 && strstr(r.body, "\"tasks.max\":\"2\"") && !strstr(r.body, "\"file\""));
    kc_http_json(port, "PATCH", "/connectors/missing/config", "{}", &r);
    CHECK(error_is(404, "Connector missing not found"));
    usleep(500000);
    kc_http(port, "GET", "/connectors/src/status", NULL, NULL, 0, &r);
    b = body_json();
    json_t *conn = json_object_get(b, "connector");
    CHECK(r.status == 200 && keys_are(b, (const char *const[]){"name", "connector", "tasks", "type", NULL}));
    CHECK(json_object_get(conn, "state") && json_object_get(conn, "worker_id") && !json_object_get(conn, "trace"));
    json_decref(b);
    kc_http(port, "GET", "/connectors/missing/status", NULL, NULL, 0, &r);
    CHECK(error_is(404, "No status found for connector missing"));
    kc_http(port, "GET", "/connectors/src/tasks/99/status", NULL, NULL, 0, &r);
    CHECK(error_is(404, "No status found for task src-99"));
    kc_http(port, "GET", "/connectors/src/tasks/abc/status", NULL, NULL, 0, &r);
    CHECK(r.status == 404);
    kc_http(port, "PUT", "/connectors/src/pause", NULL, NULL, 0, &r);
    CHECK(r.status == 202 && r.body_len == 0);
    kc_http(port, "PUT", "/connectors/src/pause", NULL, NULL, 0, &r);
    CHECK(r.status == 202);
    usleep(1500000);
    kc_http(port, "GET", "/connectors/src/status", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"connector\":{\"state\":\"PAUSED\"") && strstr(r.body, "\"tasks\":[{\"id\":0,\"state\":\"PAUSED\""));
    kc_http(port, "PUT", "/connectors/missing/pause", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Unknown connector missing"));
    kc_http(port, "PUT", "/connectors/missing/resume", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Unknown connector missing"));
    kc_http(port, "PUT", "/connectors/src/resume", NULL, NULL, 0, &r);
    CHECK(r.status == 202);
    usleep(1500000);
    kc_http(port, "GET", "/connectors/src/status", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"connector\":{\"state\":\"RUNNING\"") != NULL);
    kc_http(port, "POST", "/connectors/src/restart", NULL, NULL, 0, &r);
    CHECK(r.status == 204 && r.body_len == 0);
    kc_http(port, "POST", "/connectors/src/restart?includeTasks=true", NULL, NULL, 0, &r);
    CHECK(r.status == 202 && strstr(r.body, "\"connector\":{\"state\":\"RESTARTING\"") &&
          strstr(r.body, "\"tasks\":[{\"id\":0,\"state\":\"RESTARTING\""));
    usleep(1000000);
    kc_http(port, "POST", "/connectors/src/restart?includeTasks=true&onlyFailed=true", NULL, NULL, 0, &r);
    CHECK(r.status == 202 && !strstr(r.body, "RESTARTING"));
    const char *combos[] = {"", "?includeTasks=true", "?onlyFailed=true", "?includeTasks=true&onlyFailed=true"};
    for (int i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, "/connectors/missing/restart%s", combos[i]);
        kc_http(port, "POST", path, NULL, NULL, 0, &r);
        CHECK(r.status == 404);
    }
    kc_http(port, "POST", "/connectors/src/tasks/0/restart", NULL, NULL, 0, &r);
    CHECK(r.status == 204);
    kc_http(port, "POST", "/connectors/src/tasks/99/restart", NULL, NULL, 0, &r);
    CHECK(r.status == 404);
    kc_http(port, "GET", "/connectors/src/tasks", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strstr(r.body, "[{\"id\":{\"connector\":\"src\",\"task\":0},\"config\":{"));
    kc_http(port, "GET", "/connectors/src/tasks-config", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strstr(r.body, "\"src-0\":{"));
    kc_http(port, "DELETE", "/connectors/p1", NULL, NULL, 0, &r);
    CHECK(r.status == 204);
    kc_http(port, "GET", "/connectors/p1", NULL, NULL, 0, &r);
    CHECK(r.status == 404);
    kc_http(port, "DELETE", "/connectors/p1", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Connector p1 not found"));
    /* internal endpoints in standalone mode */
    kc_http_json(port, "POST", "/connectors/src/tasks", "[]", &r);
    CHECK(error_is(500, "Kafka Connect in standalone mode does not support externally setting task configurations."));
}

static void test_stop_and_offsets(void)
{
    char body[2048];
    snprintf(body, sizeof body, "{\"offsets\":[{\"partition\":{\"filename\":\"%s\"},\"offset\":{\"position\":5}}]}", in_file);
    kc_http_json(port, "PATCH", "/connectors/src/offsets", body, &r);
    CHECK(error_is(400, "Connectors must be in the STOPPED state before their offsets can be modified. This can be done "
                        "for the specified connector by issuing a 'PUT' request to the '/connectors/src/stop' endpoint"));
    kc_http_json(port, "PATCH", "/connectors/src/offsets", "{}", &r);
    CHECK(error_is(400, "Partitions / offsets need to be provided for an alter offsets request"));
    kc_http_json(port, "PATCH", "/connectors/src/offsets", "{\"offsets\":[]}", &r);
    CHECK(error_is(400, "Partitions / offsets need to be provided for an alter offsets request"));
    kc_http(port, "PUT", "/connectors/src/stop", NULL, NULL, 0, &r);
    CHECK(r.status == 204);
    usleep(1000000);
    kc_http(port, "GET", "/connectors/src/status", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"connector\":{\"state\":\"STOPPED\"") && strstr(r.body, "\"tasks\":[]"));
    kc_http(port, "GET", "/connectors/src", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"tasks\":[]") != NULL);
    kc_http(port, "GET", "/connectors/src/tasks", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strcmp(r.body, "[]") == 0);
    kc_http(port, "GET", "/connectors/src/offsets", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strncmp(r.body, "{\"offsets\":[", 12) == 0);
    kc_http(port, "GET", "/connectors/missing/offsets", NULL, NULL, 0, &r);
    CHECK(r.status == 404);
    kc_http(port, "DELETE", "/connectors/src/offsets", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strcmp(r.body, "{\"message\":\"The offsets for this connector have been reset successfully\"}") == 0);
    kc_http(port, "DELETE", "/connectors/src/offsets", NULL, NULL, 0, &r);
    CHECK(r.status == 200);
    kc_http_json(port, "PATCH", "/connectors/src/offsets", body, &r);
    CHECK(r.status == 200 && strcmp(r.body, "{\"message\":\"The offsets for this connector have been altered successfully\"}") == 0);
    kc_http(port, "GET", "/connectors/src/offsets", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"offset\":{\"position\":5}") != NULL);
    kc_http_json(port, "PATCH", "/connectors/missing/offsets", body, &r);
    CHECK(error_is(404, "Connector missing not found"));
    /* a stopped sink */
    kc_http_json(port, "POST", "/connectors", "{\"name\":\"snk\",\"config\":{\"connector.class\":\"FileStreamSink\","
                                              "\"topics\":\"it-rest-snk\"},\"initial_state\":\"STOPPED\"}", &r);
    CHECK(r.status == 201 && strstr(r.body, "\"tasks\":[]"));
    kc_http_json(port, "PATCH", "/connectors/snk/offsets", "{\"offsets\":[{\"partition\":{},\"offset\":null}]}", &r);
    CHECK(error_is(400, "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'"));
    kc_http_json(port, "PATCH", "/connectors/snk/offsets", "{\"offsets\":[{}]}", &r);
    CHECK(error_is(400, "The partition for a sink connector offset cannot be null or missing"));
    kc_http_json(port, "PATCH", "/connectors/snk/offsets", "{\"offsets\":[{\"partition\":{\"kafka_topic\":\"t\","
                                                          "\"kafka_partition\":0},\"offset\":{\"kafka_offset\":\"x\"}}]}", &r);
    CHECK(r.status == 400 && strstr(r.body, "Offset values for sink connectors need to be integers"));
    kc_http_json(port, "PATCH", "/connectors/snk/offsets", "{\"offsets\":{}}", &r);
    CHECK(r.status == 500);
    kc_http_json(port, "PATCH", "/connectors/snk/offsets", "{\"key\":[]}", &r);
    CHECK(r.status == 500);
    kc_http_json(port, "POST", "/connectors", source_body("paused-one", NULL), &r);
    kc_http_json(port, "POST", "/connectors", "{\"name\":\"pz\",\"config\":{\"connector.class\":\"FileStreamSink\","
                                              "\"topics\":\"it-rest-pz\"},\"initial_state\":\"paused\"}", &r);
    CHECK(r.status == 201);
    usleep(1500000);
    kc_http(port, "GET", "/connectors/pz/status", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"connector\":{\"state\":\"PAUSED\"") != NULL);
}

static void test_plugins_and_validation(void)
{
    kc_http(port, "GET", "/connector-plugins", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strstr(r.body, "FileStreamSourceConnector") && !strstr(r.body, "\"transformation\""));
    kc_http(port, "GET", "/connector-plugins?connectorsOnly=false", NULL, NULL, 0, &r);
    CHECK(strstr(r.body, "\"type\":\"transformation\"") && strstr(r.body, "\"type\":\"predicate\"") &&
          strstr(r.body, "\"type\":\"converter\"") && strstr(r.body, "\"type\":\"header_converter\""));
    kc_http(port, "GET", "/connector-plugins/FileStreamSource/config", NULL, NULL, 0, &r);
    json_t *b = body_json();
    json_t *first = json_array_get(b, 0);
    CHECK(r.status == 200 && keys_are(first, (const char *const[]){"name", "type", "required", "default_value",
                                                                   "importance", "documentation", "group",
                                                                   "order_in_group", "width", "display_name",
                                                                   "dependents", NULL}));
    CHECK(strstr(r.body, "\"name\":\"topic\",\"type\":\"STRING\",\"required\":true") &&
          strstr(r.body, "\"name\":\"tasks.max\",\"type\":\"INT\",\"required\":false,\"default_value\":\"1\""));
    json_decref(b);
    /* a converter's keys, as Java 4.3.1's JsonConverter.config() lists them */
    kc_http(port, "GET", "/connector-plugins/JsonConverter/config", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strncmp(r.body, "[{\"name\":\"converter.type\",\"type\":\"STRING\",\"required\":true,"
                                             "\"default_value\":null,\"importance\":\"LOW\"", 93) == 0);
    CHECK(strstr(r.body, "{\"name\":\"schemas.enable\",\"type\":\"BOOLEAN\",\"required\":false,\"default_value\":\"true\","
                         "\"importance\":\"HIGH\",\"documentation\":\"Include schemas within each of the serialized values "
                         "and keys.\",\"group\":\"Schemas\",\"order_in_group\":0,\"width\":\"MEDIUM\",\"display_name\":"
                         "\"Enable Schemas\",\"dependents\":[]}") != NULL);
    CHECK(strstr(r.body, "\"name\":\"decimal.format\",\"type\":\"STRING\",\"required\":false,\"default_value\":\"BASE64\"") != NULL);
    kc_http(port, "GET", "/connector-plugins/NoSuch/config", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Unknown plugin NoSuch."));
    kc_http_json(port, "PUT", "/connector-plugins/FileStreamSource/config/validate", "{\"connector.class\":\"FileStreamSink\"}", &r);
    CHECK(error_is(400, "Included connector type FileStreamSink does not match request type FileStreamSource"));
    kc_http_json(port, "PUT", "/connector-plugins/FileStreamSink/config/validate",
                 "{\"connector.class\":\"FileStreamSink\",\"tasks.max\":\"1\"}", &r);
    b = body_json();
    CHECK(r.status == 200 && strcmp(json_string_value(json_object_get(b, "name")), "FileStreamSink") == 0 &&
          json_integer_value(json_object_get(b, "error_count")) == 3);
    CHECK(strstr(r.body, "Missing required configuration \\\"name\\\" which has no default value.") &&
          strstr(r.body, "Must configure one of topics or topics.regex"));
    CHECK(strstr(r.body, "\"groups\":[\"Common\",\"Transforms\",\"Predicates\",\"Error Handling\"") != NULL);
    json_decref(b);
    kc_http_json(port, "PUT", "/connector-plugins/FileStreamSink/config/validate",
                 "{\"connector.class\":\"FileStreamSink\",\"name\":\"v\",\"topics\":\"a\",\"topics.regex\":\"b.*\"}", &r);
    b = body_json();
    CHECK(json_integer_value(json_object_get(b, "error_count")) == 2 &&
          strstr(r.body, "topics and topics.regex are mutually exclusive options, but both are set."));
    json_decref(b);
    kc_http_json(port, "PUT", "/connector-plugins/FileStreamSink/config/validate",
                 "{\"connector.class\":\"FileStreamSink\",\"name\":\"v\",\"topics\":\"a\",\"transforms\":\"f,f\"}", &r);
    CHECK(strstr(r.body, "Duplicate alias provided.") != NULL);
    /* step 6: a converter's own keys, validated and reported with prefixed names */
    kc_http_json(port, "PUT", "/connector-plugins/FileStreamSink/config/validate",
                 "{\"connector.class\":\"FileStreamSink\",\"name\":\"v\",\"topics\":\"a\",\"value.converter\":"
                 "\"JsonConverter\",\"value.converter.decimal.format\":\"HEX\"}", &r);
    b = body_json();
    CHECK(json_integer_value(json_object_get(b, "error_count")) == 1 &&
          strstr(r.body, "\"name\":\"value.converter.decimal.format\"") &&
          strstr(r.body, "Invalid value HEX for configuration decimal.format"));
    json_decref(b);
    kc_http_json(port, "PUT", "/connector-plugins/FileStreamSink/config/validate", "{\"tasks.max\":\"1\"}", &r);
    CHECK(r.status == 400 && strstr(r.body, "contains no connector type\""));
}

static void test_loggers_topics_security(void)
{
    kc_http_json(port, "PUT", "/admin/loggers/kconnect.worker", "{\"level\":\"DEBUG\"}", &r);
    CHECK(r.status == 200 && strstr(r.body, "\"kconnect.worker\""));
    kc_http(port, "GET", "/admin/loggers/kconnect.worker", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strncmp(r.body, "{\"level\":\"DEBUG\",\"last_modified\":1", 34) == 0);
    kc_http_json(port, "PUT", "/admin/loggers/kconnect.worker", "{}", &r);
    CHECK(error_is(400, "Desired 'level' parameter was not specified in request."));
    kc_http_json(port, "PUT", "/admin/loggers/kconnect.worker", "{\"level\":\"LOUD\"}", &r);
    CHECK(error_is(404, "invalid log level 'LOUD'."));
    kc_http_json(port, "PUT", "/admin/loggers/kconnect.worker?scope=cluster", "{\"level\":\"INFO\"}", &r);
    CHECK(r.status == 204 && r.body_len == 0);
    kc_http(port, "GET", "/admin/loggers/does.not.exist", NULL, NULL, 0, &r);
    CHECK(error_is(404, "Logger does.not.exist not found."));
    kc_http(port2, "GET", "/admin/loggers", NULL, NULL, 0, &r);
    CHECK(r.status == 404);
    kc_http(admin_port3, "GET", "/admin/loggers", "Authorization: Basic YWxpY2U6czNjcmV0\r\n", NULL, 0, &r);
    CHECK(r.status == 200);
    kc_http(port3, "GET", "/admin/loggers", "Authorization: Basic YWxpY2U6czNjcmV0\r\n", NULL, 0, &r);
    CHECK(r.status == 404);
    kc_http(port, "GET", "/connectors/never-created/topics", NULL, NULL, 0, &r);
    CHECK(r.status == 200 && strcmp(r.body, "{\"never-created\":{\"topics\":[]}}") == 0);
    kc_http(port2, "GET", "/connectors/x/topics", NULL, NULL, 0, &r);
    CHECK(error_is(403, "Topic tracking is disabled."));
    kc_http(port3, "PUT", "/connectors/x/topics/reset", "Authorization: Basic YWxpY2U6czNjcmV0\r\n", NULL, 0, &r);
    CHECK(error_is(403, "Topic tracking reset is disabled."));
    kc_http(port3, "GET", "/connectors", NULL, NULL, 0, &r);
    CHECK(r.status == 401 && strcmp(r.body, "User cannot access the resource.") == 0);
    kc_http_json(port3, "POST", "/connectors/x/tasks", "[]", &r);
    CHECK(r.status != 401);
    /* every error answer so far had the JSON error shape (checked one by one above) */
    kc_http(port, "GET", "/connectors", NULL, NULL, 0, &r);
    CHECK(r.status == 200);
    printf("\n    %d checks so far", checks);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("it_rest_conformance", suite_init, suite_clean);
    CU_add_test(s, "server and routing", test_server_and_routing);
    CU_add_test(s, "create and list connectors, bad input", test_create);
    CU_add_test(s, "single connector life cycle", test_single_connector);
    CU_add_test(s, "stop and offsets", test_stop_and_offsets);
    CU_add_test(s, "plugins and validation", test_plugins_and_validation);
    CU_add_test(s, "loggers, topics, security", test_loggers_topics_security);
    CU_add_test(s, "HTTPS listener with a PEM keystore", test_https_listener);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
