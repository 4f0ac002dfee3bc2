/*
 * it_replication_check: POST /replications/check (connect/replication/replications.h) of one
 * standalone worker on the test bed's cluster A, against cluster B: a good peer (PLAINTEXT;
 * SASL_SSL + SCRAM-SHA-512 with the bed's CA as a path and as PEM text) passes with B's cluster id
 * and broker count; a wrong password, an unreachable or closed port, a blackholed address, a peer
 * that accepts connections and never answers, and a wrong CA are refused (400) with a message that
 * says which (where the network intercepts outbound connections, 10.255.255.1 may answer instead of
 * dropping: the bound still holds, the silent listener covers the no-answer case). Every answer comes within 10 s (the
 * issue's requirement; asserted with 500 ms of slack for the HTTP round trip). The CLI's
 * `kconnect replication check FILE` exits 0 for a passed check and 1 for a failed one.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <jansson.h>

#include "standalone_env.h"

#define MAX_ANSWER_MS 10500

static int port, pid;
static char dir[512], log_path[1200];
static kc_http_reply r;
static long elapsed;

/* A JSON string's value, "(absent)" when v is not a string (never NULL: safe for strcmp). */
static const char *jstr(const json_t *v)
{
    const char *s = json_string_value(v);
    return s ? s : "(absent)";
}

static int suite_clean(void)
{
    int rc = 0;
    if (pid > 0) {
        rc = kc_stop_process(pid, SIGTERM, 60000);
        if (rc != 0)
            printf("\n    the worker exited with %d (log: %s)", rc, log_path);
        pid = 0;
    }
    kc_http_reply_free(&r);
    return rc != 0;
}

static int suite_init(void)
{
    it_make_dir(dir, sizeof dir, "it-replication-check");
    port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", 1000, NULL);
    char wp[1200];
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log_path, sizeof log_path, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, NULL};
    pid = kc_spawn(log_path, args);
    if (pid <= 0 || kc_wait_rest(port, 60000) != 0) {
        suite_clean();
        return 1;
    }
    return 0;
}

/* A check body: the peer settings only (the resource fills in the rest). password/ca may be NULL.
 * New string. */
static char *check_body(const char *servers, const char *protocol, const char *password, const char *ca)
{
    json_t *b = json_pack("{s:s, s:s}", "peer_bootstrap_servers", servers, "peer_security_protocol", protocol);
    if (strcmp(protocol, "PLAINTEXT") != 0) {
        json_object_set_new(b, "peer_sasl_mechanism", json_string("SCRAM-SHA-512"));
        json_object_set_new(b, "peer_username", json_string(kc_testbed_require("KC_ADMIN_USER")));
        json_object_set_new(b, "peer_password", json_string(password));
    }
    if (ca)
        json_object_set_new(b, "peer_ca_certificate", json_string(ca));
    char *text = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    CU_ASSERT_FATAL(text != NULL);
    return text;
}

/* POSTs the body to /replications/check; elapsed: the answer's time. */
static void check(const char *body)
{
    long t0 = kc_test_now_ms();
    if (kc_http_json(port, "POST", "/replications/check", body, &r) != 0) {
        r.status = -1;
        r.body = calloc(1, 1);
    }
    elapsed = kc_test_now_ms() - t0;
    printf("\n    %d in %ld ms: %.300s", r.status, elapsed, r.body ? r.body : "");
    CU_ASSERT(elapsed <= MAX_ANSWER_MS);
}

static json_t *reply_json(void)
{
    json_error_t e;
    return r.body ? json_loads(r.body, 0, &e) : NULL;
}

/* The answer passed: 200, the message, B's cluster id and 1 broker. */
static void expect_passed(void)
{
    CU_ASSERT_EQUAL(r.status, 200);
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "message")), "Connectivity check passed.");
    const char *id = jstr(json_object_get(b, "cluster_id"));
    CU_ASSERT(id && strcmp(id, kc_testbed_require("KC_B_CLUSTER_ID")) == 0);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "brokers")), 1);
    json_decref(b);
}

/* The answer is a 400 {"error_code":400,"message":...} whose message contains what. */
static void expect_failed(const char *what)
{
    CU_ASSERT_EQUAL(r.status, 400);
    json_t *b = reply_json();
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "error_code")), 400);
    const char *msg = jstr(json_object_get(b, "message"));
    CU_ASSERT(msg && strncmp(msg, "Connectivity check failed: ", 27) == 0);
    if (!msg || !strstr(msg, what)) {
        printf("\n    the message does not contain '%s'", what);
        CU_FAIL("message");
    }
    json_decref(b);
    /* never the password */
    CU_ASSERT(!r.body || !strstr(r.body, kc_testbed_require("KC_ADMIN_PASSWORD")));
}

static void test_plaintext(void)
{
    char *body = check_body(kc_testbed_require("KC_B_PLAINTEXT"), "PLAINTEXT", NULL, NULL);
    check(body);
    free(body);
    expect_passed();
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "security_protocol")), "PLAINTEXT");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "tls")), "not used");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "authentication")), "not used");
    json_decref(b);
}

static void test_sasl_ssl_ca_path(void)
{
    char *body = check_body(kc_testbed_require("KC_B_SASL_SSL"), "SASL_SSL", kc_testbed_require("KC_ADMIN_PASSWORD"),
                            kc_testbed_require("KC_CA_FILE"));
    check(body);
    free(body);
    expect_passed();
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "tls")), "ok");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "authentication")), "ok");
    json_decref(b);
    CU_ASSERT(!strstr(r.body, kc_testbed_require("KC_ADMIN_PASSWORD")));
}

static void test_sasl_ssl_ca_pem(void)
{
    FILE *f = fopen(kc_testbed_require("KC_CA_FILE"), "r");
    CU_ASSERT_FATAL(f != NULL);
    char pem[16384];
    size_t n = fread(pem, 1, sizeof pem - 1, f);
    fclose(f);
    pem[n] = '\0';
    CU_ASSERT_FATAL(strstr(pem, "-----BEGIN CERTIFICATE-----") != NULL);
    char *body = check_body(kc_testbed_require("KC_B_SASL_SSL"), "SASL_SSL", kc_testbed_require("KC_ADMIN_PASSWORD"),
                            pem);
    check(body);
    free(body);
    expect_passed();
}

static void test_sasl_plaintext(void)
{
    char *body = check_body(kc_testbed_require("KC_B_SASL_PLAINTEXT"), "SASL_PLAINTEXT",
                            kc_testbed_require("KC_ADMIN_PASSWORD"), NULL);
    check(body);
    free(body);
    expect_passed();
}

static void test_wrong_password(void)
{
    char *body = check_body(kc_testbed_require("KC_B_SASL_SSL"), "SASL_SSL", "not-the-password",
                            kc_testbed_require("KC_CA_FILE"));
    check(body);
    free(body);
    expect_failed("authentication failed");
    CU_ASSERT(!strstr(r.body, "not-the-password"));
    body = check_body(kc_testbed_require("KC_B_SASL_PLAINTEXT"), "SASL_PLAINTEXT", "not-the-password", NULL);
    check(body);
    free(body);
    expect_failed("authentication failed");
}

static void test_unreachable_port(void)
{
    char *body = check_body("127.0.0.1:1", "PLAINTEXT", NULL, NULL);
    check(body);
    free(body);
    expect_failed("no broker of the peer cluster is reachable");
    char closed[64];
    snprintf(closed, sizeof closed, "127.0.0.1:%d", kc_free_port()); /* bound, then released: nobody listens */
    body = check_body(closed, "PLAINTEXT", NULL, NULL);
    check(body);
    free(body);
    expect_failed("no broker of the peer cluster is reachable");
}

static void test_wrong_ca(void)
{
    char *body = check_body(kc_testbed_require("KC_B_SASL_SSL"), "SASL_SSL", kc_testbed_require("KC_ADMIN_PASSWORD"),
                            kc_testbed_require("KC_WRONG_CA_FILE"));
    check(body);
    free(body);
    expect_failed("TLS");
}

static void test_blackholed(void)
{
    char *body = check_body("10.255.255.1:9092", "PLAINTEXT", NULL, NULL);
    check(body);
    free(body);
    expect_failed("10.255.255.1:9092");
}

/* A peer that accepts the TCP connection and never answers (a listening socket nobody accepts on:
 * the kernel completes the handshake). The same bound as a blackholed address, on any network. */
static void test_silent_listener(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 16) == 0 &&
                    getsockname(fd, (struct sockaddr *)&a, &l) == 0);
    char servers[64];
    snprintf(servers, sizeof servers, "127.0.0.1:%d", ntohs(a.sin_port));
    char *body = check_body(servers, "PLAINTEXT", NULL, NULL);
    check(body);
    free(body);
    close(fd);
    expect_failed(servers);
}

static void test_invalid_body(void)
{
    /* a body the model refuses is answered at once, without the network */
    check("{\"peer_bootstrap_servers\": \"peer1\"}");
    CU_ASSERT_EQUAL(r.status, 400);
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "message")),
                           "peer_bootstrap_servers 'peer1' is invalid: 'peer1' is not host:port (port 1-65535)");
    json_decref(b);
    CU_ASSERT(elapsed < 2000);
}

/* `kconnect replication --url ... check FILE`: its exit status. */
static int cli_check(const char *body, const char *tag)
{
    char file[1200], out[1200], url[64];
    snprintf(file, sizeof file, "%s/check-%s.json", dir, tag);
    snprintf(out, sizeof out, "%s/cli-%s.log", dir, tag);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    FILE *f = fopen(file, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(body, f);
    fclose(f);
    char *args[] = {"replication", "--url", url, "check", file, NULL};
    long t0 = kc_test_now_ms();
    int child = kc_spawn(out, args);
    CU_ASSERT_FATAL(child > 0);
    int status = 0;
    waitpid(child, &status, 0);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("\n    CLI check %s: exit %d in %ld ms (output %s)", tag, rc, kc_test_now_ms() - t0, out);
    return rc;
}

static void test_cli(void)
{
    char *body = check_body(kc_testbed_require("KC_B_SASL_SSL"), "SASL_SSL", kc_testbed_require("KC_ADMIN_PASSWORD"),
                            kc_testbed_require("KC_CA_FILE"));
    CU_ASSERT_EQUAL(cli_check(body, "good"), 0);
    free(body);
    body = check_body(kc_testbed_require("KC_B_SASL_SSL"), "SASL_SSL", "not-the-password",
                      kc_testbed_require("KC_CA_FILE"));
    CU_ASSERT_EQUAL(cli_check(body, "wrong-password"), 1);
    free(body);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"PLAINTEXT peer passes", test_plaintext},
        {"SASL_SSL + SCRAM-SHA-512, CA as a path, passes", test_sasl_ssl_ca_path},
        {"SASL_SSL + SCRAM-SHA-512, CA as PEM text, passes", test_sasl_ssl_ca_pem},
        {"SASL_PLAINTEXT + SCRAM-SHA-512 passes", test_sasl_plaintext},
        {"wrong password: authentication failed", test_wrong_password},
        {"port 1 and a closed port: not reachable", test_unreachable_port},
        {"wrong CA: TLS", test_wrong_ca},
        {"blackholed address: refused within 10 s", test_blackholed},
        {"silent listener: refused within 10 s", test_silent_listener},
        {"invalid body: refused at once", test_invalid_body},
        {"CLI: exit 0 passed, 1 failed", test_cli},
        {NULL, NULL},
    };
    /* kc_test_run has no suite set-up: one suite with the worker's start and stop */
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("it_replication_check", suite_init, suite_clean);
    for (const kc_test_case *c = cases; c->name; c++)
        CU_add_test(s, c->name, c->fn);
    long t0 = kc_test_now_ms();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    printf("it_replication_check: %ld ms\n", kc_test_now_ms() - t0);
    return failed ? 1 : 0;
}
