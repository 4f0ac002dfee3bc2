/*
 * The REST server over loopback (no broker): Java's error bodies for 404/405/413/415/malformed JSON,
 * OPTIONS, answers from another thread, CORS, response headers, basic authentication, the admin
 * listener split, GET / and /admin/loggers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connect/api/log.h"
#include "kc_test.h"
#include "rest/resources.h"
#include "rest/server.h"

typedef struct http_reply {
    int status;
    char headers[4096];
    char body[65536];
} http_reply;

/* Sends one request (Connection: close) and reads the whole answer. */
static int http(int port, const char *method, const char *path, const char *extra_headers, const char *body,
                size_t body_len, http_reply *r)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    char head[2048];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s"
                                        "Content-Length: %zu\r\n\r\n",
                     method, path, extra_headers ? extra_headers : "", body ? body_len : 0);
    if (write(fd, head, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    for (size_t off = 0; body && off < body_len;) {
        ssize_t w = write(fd, body + off, body_len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    static char buf[1 << 20];
    size_t len = 0;
    ssize_t got;
    while (len < sizeof buf - 1 && (got = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)got;
    buf[len] = '\0';
    close(fd);
    memset(r, 0, sizeof *r);
    if (sscanf(buf, "HTTP/1.1 %d", &r->status) != 1)
        return -1;
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep)
        return -1;
    size_t hl = (size_t)(sep - buf);
    memcpy(r->headers, buf, hl < sizeof r->headers - 1 ? hl : sizeof r->headers - 1);
    snprintf(r->body, sizeof r->body, "%s", sep + 4);
    return 0;
}

static const char *header(const http_reply *r, const char *name)
{
    static char value[512];
    char needle[128];
    snprintf(needle, sizeof needle, "\r\n%s: ", name);
    const char *p = strcasestr(r->headers, needle);
    if (!p)
        return NULL;
    p += strlen(needle);
    size_t n = strcspn(p, "\r\n");
    snprintf(value, sizeof value, "%.*s", (int)n, p);
    return value;
}

/* A resource answered from another thread, as the herder does. */
static void *answer_later(void *arg)
{
    usleep(20000);
    kc_rest_respond_json_new(arg, 202, json_pack("{s:s}", "from", "another thread"));
    return NULL;
}

static void async_handler(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    pthread_t t;
    pthread_create(&t, NULL, answer_later, req);
    pthread_detach(t);
}

static void echo_handler(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    json_t *b = kc_rest_request_json(req);
    if (!json_is_object(b)) {
        kc_rest_respond_error(req, 400, "Request body must be a JSON object");
        return;
    }
    kc_rest_respond_json_header_new(req, 201, json_incref(b), "Location", "http://x/connectors/y");
}

/* Answers after 300 ms, past the 100 ms limit of its resource: the client gets the time-out answer
 * and the late answer is dropped (ASan checks nothing is touched after it is freed). */
static void *answer_too_late(void *arg)
{
    usleep(300000);
    kc_rest_respond_json_new(arg, 200, json_pack("{s:s}", "too", "late"));
    return NULL;
}

static void late_handler(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    pthread_t t;
    pthread_create(&t, NULL, answer_too_late, req);
    pthread_detach(t);
}

static void custom_timeout(kc_rest_request *req, void *opaque, int *status, json_t **body)
{
    (void)req;
    (void)opaque;
    *status = 503;
    *body = json_pack("{s:s}", "status", "starting");
}

static const kc_rest_resource test_resources[] = {
    {{KC_HTTP_GET, "/slow"}, async_handler, 0, 0, NULL},
    {{KC_HTTP_GET, "/late"}, late_handler, 0, 100, NULL},
    {{KC_HTTP_GET, "/late-custom"}, late_handler, 0, 100, custom_timeout},
    {{KC_HTTP_POST, "/connectors"}, echo_handler, KC_REST_BODY, 0, NULL},
    {{KC_HTTP_POST, "/connectors/{c}/tasks"}, echo_handler, KC_REST_BODY | KC_REST_INTERNAL, 0, NULL},
};

static kc_rest_root_ctx root = {"I4ZmrWqfT2e-upky_4fdPA"};
static kc_rest_loggers_ctx loggers_ctx = {NULL, NULL};

static kc_rest_server *start(const char *listeners, const char *admin, const char *cors, const char *headers,
                             const char *auth_file)
{
    kc_rest_config c = {.listeners = listeners, .admin_listeners = admin, .advertised_port = -1,
                        .cors_allowed_origins = cors, .response_headers = headers, .basic_auth_file = auth_file};
    kc_error err;
    kc_rest_server *srv = kc_rest_server_new(&c, &err);
    if (!srv)
        fprintf(stderr, "kc_rest_server_new: %s\n", err.msg);
    CU_ASSERT_FATAL(srv != NULL);
    CU_ASSERT_FATAL(kc_rest_root_register(srv, &root, &err) == 0);
    CU_ASSERT_FATAL(kc_rest_loggers_register(srv, &loggers_ctx, &err) == 0);
    CU_ASSERT_FATAL(kc_rest_server_add(srv, test_resources, sizeof test_resources / sizeof test_resources[0], NULL,
                                       &err) == 0);
    CU_ASSERT_FATAL(kc_rest_server_start(srv, &err) == 0);
    return srv;
}

static void test_root_and_errors(void)
{
    kc_rest_server *srv = start("http://127.0.0.1:0", NULL, "", "", NULL);
    int port = kc_rest_server_port(srv, 0);
    http_reply r;
    CU_ASSERT_FATAL(http(port, "GET", "/", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(header(&r, "Content-Type"), "application/json");
    CU_ASSERT(strncmp(r.body, "{\"version\":\"", 12) == 0);
    CU_ASSERT(strstr(r.body, "\",\"commit\":\"") != NULL);
    CU_ASSERT(strstr(r.body, "\"kafka_cluster_id\":\"I4ZmrWqfT2e-upky_4fdPA\"}") != NULL);

    CU_ASSERT_FATAL(http(port, "GET", "/no/such/path", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");

    CU_ASSERT_FATAL(http(port, "DELETE", "/connectors", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 405);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":405,\"message\":\"HTTP 405 Method Not Allowed\"}");
    CU_ASSERT_STRING_EQUAL(header(&r, "Allow"), "OPTIONS, POST");

    CU_ASSERT_FATAL(http(port, "OPTIONS", "/connectors", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(header(&r, "Content-Type"), "text/plain");
    CU_ASSERT_STRING_EQUAL(r.body, header(&r, "Allow"));

    const char *json = "{\"name\":\"a\"}";
    CU_ASSERT_FATAL(http(port, "POST", "/connectors", "Content-Type: application/json\r\n", json, strlen(json), &r) == 0);
    CU_ASSERT_EQUAL(r.status, 201);
    CU_ASSERT_STRING_EQUAL(r.body, json);
    CU_ASSERT_STRING_EQUAL(header(&r, "Location"), "http://x/connectors/y");

    CU_ASSERT_FATAL(http(port, "POST", "/connectors", "Content-Type: text/plain\r\n", json, strlen(json), &r) == 0);
    CU_ASSERT_EQUAL(r.status, 415);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":415,\"message\":\"HTTP 415 Unsupported Media Type\"}");

    CU_ASSERT_FATAL(http(port, "POST", "/connectors", NULL, "{\"name\":", 8, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 500);
    CU_ASSERT(strstr(r.body, "\"error_code\":500,\"message\":\"Cannot parse the request body as JSON") != NULL);

    CU_ASSERT_FATAL(http(port, "POST", "/connectors", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 400);

    size_t big = KC_REST_MAX_BODY + 10;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    CU_ASSERT_FATAL(http(port, "POST", "/connectors", NULL, huge, big, &r) == 0);
    free(huge);
    CU_ASSERT_EQUAL(r.status, 413);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":413,\"message\":\"Request body too large\"}");

    /* still serving after all of that, and answers from another thread arrive */
    CU_ASSERT_FATAL(http(port, "GET", "/slow", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 202);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"from\":\"another thread\"}");
    kc_rest_server_free(srv);
}

static void test_time_limit(void)
{
    kc_rest_server *srv = start("http://127.0.0.1:0", NULL, "", "", NULL);
    int port = kc_rest_server_port(srv, 0);
    http_reply r;
    CU_ASSERT_FATAL(http(port, "GET", "/late", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 500);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":500,\"message\":\"Request timed out\"}");
    CU_ASSERT_FATAL(http(port, "GET", "/late-custom", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 503);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"status\":\"starting\"}");
    usleep(400000); /* the late answers arrive and are dropped */
    CU_ASSERT_FATAL(http(port, "GET", "/slow", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 202);
    kc_rest_server_free(srv);
}

static void test_loggers(void)
{
    kc_rest_server *srv = start("http://127.0.0.1:0", NULL, "", "", NULL);
    int port = kc_rest_server_port(srv, 0);
    kc_log_register("kconnect.test.alpha");
    kc_log_register("kconnect.test.alpha.beta");
    http_reply r;
    const char *debug = "{\"level\":\"DEBUG\"}";
    CU_ASSERT_FATAL(http(port, "PUT", "/admin/loggers/kconnect.test", NULL, debug, strlen(debug), &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(r.body, "[\"kconnect.test\",\"kconnect.test.alpha\",\"kconnect.test.alpha.beta\"]");
    CU_ASSERT_FATAL(http(port, "GET", "/admin/loggers/kconnect.test.alpha", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT(strncmp(r.body, "{\"level\":\"DEBUG\",\"last_modified\":1", 34) == 0);
    CU_ASSERT(kc_log_enabled(KC_LOG_DEBUG, "kconnect.test.alpha.beta"));
    /* setting the same level again changes nothing */
    CU_ASSERT_FATAL(http(port, "PUT", "/admin/loggers/kconnect.test", NULL, debug, strlen(debug), &r) == 0);
    CU_ASSERT_STRING_EQUAL(r.body, "[]");
    CU_ASSERT_FATAL(http(port, "PUT", "/admin/loggers/kconnect.test", NULL, "{}", 2, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 400);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":400,\"message\":\"Desired 'level' parameter was not specified in request.\"}");
    CU_ASSERT_FATAL(http(port, "PUT", "/admin/loggers/kconnect.test", NULL, "{\"level\":\"LOUD\"}", 16, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":404,\"message\":\"invalid log level 'LOUD'.\"}");
    CU_ASSERT_FATAL(http(port, "PUT", "/admin/loggers/kconnect.test?scope=cluster", NULL, "{\"level\":\"INFO\"}", 16, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 204);
    CU_ASSERT_STRING_EQUAL(r.body, "");
    CU_ASSERT(!kc_log_enabled(KC_LOG_DEBUG, "kconnect.test.alpha.beta"));
    CU_ASSERT_FATAL(http(port, "GET", "/admin/loggers/does.not.exist", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_STRING_EQUAL(r.body, "{\"error_code\":404,\"message\":\"Logger does.not.exist not found.\"}");
    CU_ASSERT_FATAL(http(port, "GET", "/admin/loggers", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT(strstr(r.body, "\"kconnect.test\":{\"level\":\"INFO\",\"last_modified\":") != NULL);
    CU_ASSERT(strstr(r.body, "\"root\":{\"level\":") != NULL);
    kc_rest_server_free(srv);
}

static void test_admin_listener_split(void)
{
    kc_rest_server *srv = start("http://127.0.0.1:0", "http://127.0.0.1:0", "", "", NULL);
    http_reply r;
    CU_ASSERT_FATAL(http(kc_rest_server_port(srv, 0), "GET", "/admin/loggers", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    CU_ASSERT_FATAL(http(kc_rest_server_port(srv, 1), "GET", "/admin/loggers", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_FATAL(http(kc_rest_server_port(srv, 1), "GET", "/", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    kc_rest_server_free(srv);
    srv = start("http://127.0.0.1:0", "", "", "", NULL);
    CU_ASSERT_FATAL(http(kc_rest_server_port(srv, 0), "GET", "/admin/loggers", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 404);
    kc_rest_server_free(srv);
}

static void test_cors_and_headers(void)
{
    kc_rest_server *srv = start("http://127.0.0.1:0", NULL, "*", "add X-XSS-Protection: 1; mode=block", NULL);
    int port = kc_rest_server_port(srv, 0);
    http_reply r;
    CU_ASSERT_FATAL(http(port, "GET", "/", "Origin: http://bar.com\r\n", NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(header(&r, "Access-Control-Allow-Origin"), "http://bar.com");
    CU_ASSERT_STRING_EQUAL(header(&r, "X-XSS-Protection"), "1; mode=block");
    CU_ASSERT_FATAL(http(port, "GET", "/nope", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_STRING_EQUAL(header(&r, "X-XSS-Protection"), "1; mode=block");
    kc_rest_server_free(srv);
    srv = start("http://127.0.0.1:0", NULL, "", "", NULL);
    CU_ASSERT_FATAL(http(kc_rest_server_port(srv, 0), "GET", "/", "Origin: http://bar.com\r\n", NULL, 0, &r) == 0);
    CU_ASSERT(header(&r, "Access-Control-Allow-Origin") == NULL);
    kc_rest_server_free(srv);
}

static void test_basic_auth(void)
{
    char path[] = "/tmp/kc-rest-auth-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    const char *creds = "alice: s3cret\n";
    CU_ASSERT(write(fd, creds, strlen(creds)) == (ssize_t)strlen(creds));
    close(fd);
    kc_rest_server *srv = start("http://127.0.0.1:0", NULL, "", "", path);
    int port = kc_rest_server_port(srv, 0);
    http_reply r;
    CU_ASSERT_FATAL(http(port, "GET", "/", NULL, NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 401);
    CU_ASSERT_STRING_EQUAL(r.body, "User cannot access the resource.");
    /* "alice:wrong" and "alice:s3cret" in Base64 */
    CU_ASSERT_FATAL(http(port, "GET", "/", "Authorization: Basic YWxpY2U6d3Jvbmc=\r\n", NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 401);
    CU_ASSERT_FATAL(http(port, "GET", "/", "Authorization: Basic YWxpY2U6czNjcmV0\r\n", NULL, 0, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 200);
    /* the internal endpoint is protected by signatures instead */
    CU_ASSERT_FATAL(http(port, "POST", "/connectors/x/tasks", NULL, "{}", 2, &r) == 0);
    CU_ASSERT_EQUAL(r.status, 201);
    kc_rest_server_free(srv);
    unlink(path);
}

static void test_bad_config(void)
{
    kc_error err;
    kc_rest_config c = {.listeners = "ftp://:1", .advertised_port = -1};
    CU_ASSERT(kc_rest_server_new(&c, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Listener protocol must be either \"http\" or \"https\".");
    kc_rest_config c2 = {.listeners = "https://127.0.0.1:0", .advertised_port = -1};
    CU_ASSERT(kc_rest_server_new(&c2, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "ssl.keystore.location") != NULL);
    kc_rest_config c3 = {.listeners = "http://127.0.0.1:0", .advertised_port = -1, .response_headers = "put A: b"};
    CU_ASSERT(kc_rest_server_new(&c3, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "Invalid header config action") != NULL);
}

int main(void)
{
    kc_log_set_root_level(KC_LOG_WARN);
    static const kc_test_case cases[] = {
        {"GET /, Java's error bodies, body limits, answers from another thread", test_root_and_errors},
        {"admin loggers: list, get, set by namespace, errors", test_loggers},
        {"past its time limit a request gets the time-out answer; the late one is dropped", test_time_limit},
        {"admin.listeners split", test_admin_listener_split},
        {"CORS and response.http.headers.config", test_cors_and_headers},
        {"basic authentication, internal endpoints exempt", test_basic_auth},
        {"bad configuration fails with Java's messages", test_bad_config},
        {NULL, NULL},
    };
    return kc_test_run("rest_server", cases);
}
