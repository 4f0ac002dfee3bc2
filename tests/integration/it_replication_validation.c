/*
 * it_replication_validation: the /replications REST resource (connect/replication/replications.h)
 * of one standalone worker on the test bed's cluster A, with cluster B as the peer. Every rule of a
 * replication body (replication_task.h) is sent once and answered with its HTTP status and its exact
 * message (the texts of tests/unit/test_replication_task.c): 400 for a refused body or update, 409
 * for a clash with another replication, 404 for an unknown name. The rules across replications and
 * the limit are checked with real replications (one topic each; they start MirrorMaker 2
 * connectors), the password of a SASL peer never appears in an answer, and DELETE removes the
 * connectors.
 *
 * A GET answer PUT back as is (its read-only "connectors" list included) is a valid update.
 *
 * The worker runs with replications.max=3 so that the limit is reached with three small
 * replications; without the setting the limit is the product's 18 (KC_REPLICATION_LIMITS_DEFAULT,
 * checked by unit_replication_task and the worker config's documentation, not here).
 */
#include <jansson.h>

#include "standalone_env.h"

static int port, pid;
static char dir[512], log_path[1200];
static kc_http_reply r;
static char topic[8][64]; /* this run's topic names (never created: the connectors just wait) */
static const char *password;
static int leaks; /* answers that contained the SASL password */

/* A JSON string's value, "(absent)" when v is not a string (never NULL: safe for strcmp). */
static const char *jstr(const json_t *v)
{
    const char *s = json_string_value(v);
    return s ? s : "(absent)";
}

/* ---- helpers ------------------------------------------------------------------------------------ */

static void note_reply(void)
{
    if (password && r.body && strstr(r.body, password)) {
        leaks++;
        printf("\n    the password appears in an answer: %s", r.body);
    }
}

static void call(const char *method, const char *path, const char *json)
{
    if (kc_http_json(port, method, path, json, &r) != 0) {
        r.status = -1;
        r.body = calloc(1, 1);
        printf("\n    %s %s: no answer", method, path);
    }
    note_reply();
}

/* The body of a valid pull replication; overrides (a JSON object text, may be NULL) are merged over
 * it, and a field set to null there is removed. New string (free()). */
static char *body_with(const char *name, const char *peer_alias, const char *overrides)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "name", name, "current_alias", "A", "peer_alias",
                          peer_alias, "peer_bootstrap_servers", kc_testbed_require("KC_B_PLAINTEXT"), "direction",
                          "pull", "topics", topic[0]);
    CU_ASSERT_FATAL(b != NULL);
    if (overrides) {
        json_error_t jerr;
        json_t *o = json_loads(overrides, 0, &jerr);
        if (!o)
            printf("\n    bad test JSON %s: %s", overrides, jerr.text);
        CU_ASSERT_FATAL(o != NULL);
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) {
            if (json_is_null(v))
                json_object_del(b, k);
            else
                json_object_set(b, k, v);
        }
        json_decref(o);
    }
    char *text = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    CU_ASSERT_FATAL(text != NULL);
    return text;
}

/* The answer's "message" (borrowed from a static copy), or "" when there is none. */
static const char *message(void)
{
    static char buf[4096];
    buf[0] = '\0';
    json_error_t e;
    json_t *b = r.body ? json_loads(r.body, 0, &e) : NULL;
    const char *m = b ? json_string_value(json_object_get(b, "message")) : NULL;
    snprintf(buf, sizeof buf, "%s", m ? m : "");
    json_decref(b);
    return buf;
}

/* The answer is an error {"error_code": status, "message": msg} (prefix: msg starts the message). */
static void expect_error_at(int line, int status, const char *msg, bool prefix)
{
    const char *got = message();
    json_error_t e;
    json_t *b = r.body ? json_loads(r.body, 0, &e) : NULL;
    bool code_ok = b && json_integer_value(json_object_get(b, "error_code")) == status;
    json_decref(b);
    bool msg_ok = prefix ? strncmp(got, msg, strlen(msg)) == 0 : strcmp(got, msg) == 0;
    if (r.status != status || !code_ok || !msg_ok) {
        printf("\n    line %d: got %d %s\n    want %d %s%s", line, r.status, r.body ? r.body : "", status, msg,
               prefix ? "..." : "");
        CU_FAIL("unexpected answer");
    }
}
#define EXPECT_ERROR(status, msg) expect_error_at(__LINE__, status, msg, false)
#define EXPECT_ERROR_PREFIX(status, msg) expect_error_at(__LINE__, status, msg, true)

/* POST /replications with the body of name/alias plus overrides; the answer is status + msg. */
static void post_refused_at(int line, const char *name, const char *alias, const char *overrides, int status,
                            const char *msg)
{
    char *body = body_with(name, alias, overrides);
    call("POST", "/replications", body);
    free(body);
    expect_error_at(line, status, msg, false);
}
#define REFUSED(overrides, msg) post_refused_at(__LINE__, "val-task", "B", overrides, 400, msg)

static void expect_status_at(int line, int status)
{
    if (r.status != status) {
        printf("\n    line %d: got %d %s, want %d", line, r.status, r.body ? r.body : "", status);
        CU_FAIL("unexpected status");
    }
}
#define EXPECT_STATUS(status) expect_status_at(__LINE__, status)

static json_t *reply_json(void)
{
    json_error_t e;
    return r.body ? json_loads(r.body, JSON_DECODE_ANY, &e) : NULL;
}

/* 1 when GET /connectors lists name. */
static int connector_listed(const char *name)
{
    call("GET", "/connectors", NULL);
    json_t *a = reply_json();
    int found = 0;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) found |= json_is_string(v) && strcmp(jstr(v), name) == 0;
    json_decref(a);
    return found;
}

/* ---- suite ---------------------------------------------------------------------------------------- */

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
    it_make_dir(dir, sizeof dir, "it-replication-validation");
    for (int i = 0; i < 8; i++)
        snprintf(topic[i], sizeof topic[i], "rv%ld-t%d", (long)getpid(), i);
    password = kc_testbed_require("KC_ADMIN_PASSWORD");
    port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", 1000, "replications.max=3\n");
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

/* ---- one rule per case ---------------------------------------------------------------------------- */

static const char NAME_RULE[] = "it must be 4-64 characters long and contain only letters, digits, '-' and '_'";
static const char ALIAS_RULE[] = "it must be 1-20 characters long and contain only letters, digits, '-' and '_'";

static void test_name_too_short(void)
{
    char want[256];
    snprintf(want, sizeof want, "name 'abc' is invalid: %s", NAME_RULE);
    REFUSED("{\"name\": \"abc\"}", want);
}

static void test_name_too_long(void)
{
    char name[66], over[128], want[256];
    memset(name, 'a', 65);
    name[65] = '\0';
    snprintf(over, sizeof over, "{\"name\": \"%s\"}", name);
    snprintf(want, sizeof want, "name '%s' is invalid: %s", name, NAME_RULE);
    REFUSED(over, want);
}

static void test_name_bad_chars(void)
{
    char want[256];
    snprintf(want, sizeof want, "name 'repl.1' is invalid: %s", NAME_RULE);
    REFUSED("{\"name\": \"repl.1\"}", want);
    REFUSED("{\"name\": null}", "name is required");
}

static void test_alias_length(void)
{
    char want[256];
    snprintf(want, sizeof want, "peer_alias 'abcdefghijklmnopqrstu' is invalid: %s", ALIAS_RULE);
    REFUSED("{\"peer_alias\": \"abcdefghijklmnopqrstu\"}", want);
    snprintf(want, sizeof want, "current_alias '' is invalid: %s", ALIAS_RULE);
    REFUSED("{\"current_alias\": \"\"}", want);
}

static void test_alias_chars(void)
{
    char want[256];
    snprintf(want, sizeof want, "peer_alias 'a.b' is invalid: %s", ALIAS_RULE);
    REFUSED("{\"peer_alias\": \"a.b\"}", want);
    snprintf(want, sizeof want, "current_alias 'x y' is invalid: %s", ALIAS_RULE);
    REFUSED("{\"current_alias\": \"x y\"}", want);
}

static void test_alias_equal(void)
{
    REFUSED("{\"peer_alias\": \"A\"}", "peer_alias 'A' must differ from current_alias 'A'");
}

static void test_too_many_topics(void)
{
    REFUSED("{\"topics\": [\"t0\",\"t1\",\"t2\",\"t3\",\"t4\",\"t5\",\"t6\",\"t7\",\"t8\",\"t9\",\"t10\",\"t11\","
            "\"t12\",\"t13\",\"t14\",\"t15\",\"t16\",\"t17\",\"t18\",\"t19\",\"t20\"]}",
            "topics lists 21 names; at most 20 are allowed");
}

static void test_invalid_topic_name(void)
{
    REFUSED("{\"topics\": [\"ok\", \"a b\"]}",
            "topics[1] 'a b' is not a valid Kafka topic name: only letters, digits, '.', '_' and '-' are allowed");
    REFUSED("{\"topics\": [\"..\"]}", "topics[0] '..' is not a valid Kafka topic name: it cannot be '.' or '..'");
}

static void test_internal_topic(void)
{
    REFUSED("{\"topics\": [\"orders.internal\"]}",
            "topics[0] 'orders.internal' is never replicated: topics whose names end with 'internal' are internal");
    REFUSED("{\"topics\": [\"__consumer_offsets\"]}",
            "topics[0] '__consumer_offsets' is never replicated: names starting with '__' are internal to Kafka");
}

static void test_regex_comma(void)
{
    REFUSED("{\"topics\": null, \"topics_regex\": \"a,b\"}",
            "topics_regex 'a,b' must not contain ',': MirrorMaker 2 splits its topics setting on commas (use '|' to "
            "combine patterns)");
}

static void test_regex_invalid(void)
{
    char *body = body_with("val-task", "B", "{\"topics\": null, \"topics_regex\": \"(orders\"}");
    call("POST", "/replications", body);
    free(body);
    EXPECT_ERROR_PREFIX(400, "Invalid value (orders for configuration topics_regex: Unclosed group");
}

static void test_topics_and_regex(void)
{
    REFUSED("{\"topics_regex\": \"x.*\"}", "topics and topics_regex are exclusive: give one of them");
    REFUSED("{\"topics\": null}", "one of topics or topics_regex is required");
}

static void test_mapping_with_rename(void)
{
    REFUSED("{\"rename_topics\": true, \"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\"}]}",
            "topic_mapping and rename_topics are exclusive: a mapping names the target topics itself");
}

static void test_mapping_duplicates(void)
{
    REFUSED("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\"}, {\"source\": \"a\", \"target\": \"c\"}]}",
            "topic_mapping maps source 'a' twice");
    REFUSED("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"c\"}, {\"source\": \"b\", \"target\": \"c\"}]}",
            "topic_mapping maps both 'a' and 'b' to target 'c'");
}

static void test_too_many_mappings(void)
{
    char json[2048] = "{\"topic_mapping\": [";
    for (int i = 0; i < 21; i++)
        snprintf(json + strlen(json), sizeof json - strlen(json), "%s{\"source\": \"s%d\", \"target\": \"t%d\"}",
                 i ? ", " : "", i, i);
    strcat(json, "]}");
    REFUSED(json, "topic_mapping has 21 pairs; at most 20 are allowed");
}

static void test_both_without_loop_break(void)
{
    REFUSED("{\"direction\": \"both\", \"add_source_header\": false}",
            "direction both requires rename_topics or add_source_header: otherwise every record replicated to one "
            "side is replicated back (an endless loop)");
}

static void test_tasks_zero(void)
{
    REFUSED("{\"tasks\": 0}", "tasks must be at least 1 (got 0)");
}

static void test_sasl_incomplete(void)
{
    REFUSED("{\"peer_security_protocol\": \"SASL_PLAINTEXT\"}",
            "peer_sasl_mechanism is required when peer_security_protocol is SASL_PLAINTEXT");
    REFUSED("{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"SCRAM-SHA-512\"}",
            "peer_username is required when peer_security_protocol is SASL_SSL");
    REFUSED("{\"peer_security_protocol\": \"SASL_PLAINTEXT\", \"peer_sasl_mechanism\": \"SCRAM-SHA-512\", "
            "\"peer_username\": \"u\"}",
            "peer_password is required when peer_security_protocol is SASL_PLAINTEXT");
}

static void test_unknown_enum_values(void)
{
    REFUSED("{\"direction\": \"sideways\"}", "direction 'sideways' is invalid: expected pull, push or both");
    REFUSED("{\"compression\": \"brotli\"}", "compression 'brotli' is invalid: expected none, gzip, snappy, lz4 or zstd");
    REFUSED("{\"start_offset\": \"middle\"}", "start_offset 'middle' is invalid: expected earliest or latest");
    REFUSED("{\"peer_security_protocol\": \"SSL\"}",
            "peer_security_protocol 'SSL' is invalid: expected PLAINTEXT, SASL_PLAINTEXT or SASL_SSL");
    REFUSED("{\"peer_sasl_mechanism\": \"GSSAPI\"}",
            "peer_sasl_mechanism 'GSSAPI' is invalid: expected PLAIN, SCRAM-SHA-512 or SCRAM-SHA-256");
}

static void test_unknown_field(void)
{
    REFUSED("{\"topic\": [\"x\"]}", "unknown field 'topic'");
    call("POST", "/replications", "[1]");
    EXPECT_ERROR(400, "Request body must be a JSON object");
}

/* ---- rules across replications (real ones) ------------------------------------------------------ */

static void test_create(void)
{
    char *body = body_with("rep-one", "B1", NULL);
    call("POST", "/replications", body);
    free(body);
    EXPECT_STATUS(201);
    const char *loc = kc_http_header(&r, "Location");
    CU_ASSERT(loc && strstr(loc, "/replications/rep-one"));
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "name")), "rep-one");
    /* automatic: min(3, A's brokers), A receiving the pulled topics */
    int a_brokers = atoi(kc_testbed_require("KC_A_BROKERS"));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "replicas")), a_brokers < 3 ? a_brokers : 3);
    json_t *conns = json_object_get(b, "connectors");
    CU_ASSERT_EQUAL(json_array_size(conns), 2);
    CU_ASSERT_STRING_EQUAL(jstr(json_array_get(conns, 0)), "rep-one-source-B1-A");
    CU_ASSERT_STRING_EQUAL(jstr(json_array_get(conns, 1)), "rep-one-heartbeat-B1-A");
    json_decref(b);
    CU_ASSERT(connector_listed("rep-one-source-B1-A"));
    CU_ASSERT(connector_listed("rep-one-heartbeat-B1-A"));

    call("GET", "/replications", NULL);
    EXPECT_STATUS(200);
    b = reply_json();
    CU_ASSERT_EQUAL(json_array_size(b), 1);
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(json_array_get(b, 0), "name")), "rep-one");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(json_array_get(b, 0), "peer_alias")), "B1");
    json_decref(b);
    call("GET", "/replications/rep-one/status", NULL);
    EXPECT_STATUS(200);
    b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(json_array_get(json_object_get(b, "flows"), 0), "flow")),
                           "B1->A");
    json_decref(b);
}

static void test_duplicate_name(void)
{
    post_refused_at(__LINE__, "rep-one", "B9", "{\"topics\": [\"other\"]}", 409,
                    "a replication named 'rep-one' already exists");
}

static void test_overlap(void)
{
    char want[512];
    snprintf(want, sizeof want,
             "replication 'rep-overlap' overlaps replication 'rep-one': both pull topic '%s' from peer cluster '%s' "
             "(every record would be replicated twice)",
             topic[0], kc_testbed_require("KC_B_PLAINTEXT"));
    post_refused_at(__LINE__, "rep-overlap", "B2", NULL, 409, want);
}

static void test_same_peer_alias(void)
{
    char over[256];
    snprintf(over, sizeof over, "{\"direction\": \"push\", \"topics\": [\"%s\"]}", topic[1]);
    post_refused_at(__LINE__, "rep-alias", "B1", over, 409,
                    "peer_alias 'B1' is already used by replication 'rep-one': two replications of one instance must "
                    "not share a peer alias (their internal topics, e.g. mm2-offset-syncs.B1.internal, would collide)");
}

static void test_replicas_above_peer_brokers(void)
{
    char over[256];
    snprintf(over, sizeof over, "{\"direction\": \"push\", \"replicas\": 2, \"topics\": [\"%s\"]}", topic[2]);
    post_refused_at(__LINE__, "rep-replicas", "B5", over, 400,
                    "replicas 2 exceeds the 1 broker of the peer cluster 'B5', which receives the replicated topics");
    call("GET", "/replications/rep-replicas", NULL);
    EXPECT_STATUS(404);
}

static void test_password_hidden(void)
{
    char over[512];
    snprintf(over, sizeof over,
             "{\"peer_bootstrap_servers\": \"%s\", \"peer_security_protocol\": \"SASL_PLAINTEXT\", "
             "\"peer_sasl_mechanism\": \"SCRAM-SHA-512\", \"peer_username\": \"%s\", \"peer_password\": \"%s\", "
             "\"topics\": [\"%s\"]}",
             kc_testbed_require("KC_B_SASL_PLAINTEXT"), kc_testbed_require("KC_ADMIN_USER"), password, topic[3]);
    char *body = body_with("rep-sasl", "B3", over);
    call("POST", "/replications", body);
    free(body);
    EXPECT_STATUS(201);
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "peer_password")), "[hidden]");
    json_decref(b);

    call("GET", "/replications/rep-sasl", NULL);
    EXPECT_STATUS(200);
    b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "peer_password")), "[hidden]");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "peer_username")), kc_testbed_require("KC_ADMIN_USER"));
    json_decref(b);
    call("GET", "/replications", NULL);
    call("GET", "/replications/rep-sasl/status", NULL);
    EXPECT_STATUS(200);
    /* the connectors' configs carry a reference, never the password */
    call("GET", "/connectors/rep-sasl-source-B3-A/config", NULL);
    EXPECT_STATUS(200);
    CU_ASSERT(strstr(r.body, "${kc-replication:rep-sasl:peer.password}") != NULL);
    call("GET", "/connectors/rep-sasl-heartbeat-B3-A/config", NULL);
    EXPECT_STATUS(200);
    call("GET", "/connectors?expand=info&expand=status", NULL);
    EXPECT_STATUS(200);

    /* an update without the password (a body copied from a GET: "[hidden]") keeps the stored one */
    snprintf(over, sizeof over,
             "{\"peer_bootstrap_servers\": \"%s\", \"peer_security_protocol\": \"SASL_PLAINTEXT\", "
             "\"peer_sasl_mechanism\": \"SCRAM-SHA-512\", \"peer_username\": \"%s\", \"peer_password\": \"[hidden]\", "
             "\"topics\": [\"%s\"], \"tasks\": 1}",
             kc_testbed_require("KC_B_SASL_PLAINTEXT"), kc_testbed_require("KC_ADMIN_USER"), topic[3]);
    body = body_with("rep-sasl", "B3", over);
    call("PUT", "/replications/rep-sasl", body);
    free(body);
    EXPECT_STATUS(200); /* the connectivity check passed: the stored password was used */
    b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "peer_password")), "[hidden]");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "tasks")), 1);
    json_decref(b);
    CU_ASSERT_EQUAL(leaks, 0);
}

static void test_limit(void)
{
    char over[256];
    snprintf(over, sizeof over, "{\"topics\": [\"%s\"]}", topic[4]);
    char *body = body_with("rep-three", "B4", over);
    call("POST", "/replications", body);
    free(body);
    EXPECT_STATUS(201);
    snprintf(over, sizeof over, "{\"topics\": [\"%s\"]}", topic[5]);
    post_refused_at(__LINE__, "rep-four", "B6", over, 400,
                    "at most 3 replication tasks can be created for an instance; 3 exist already");
    call("GET", "/replications", NULL);
    json_t *b = reply_json();
    CU_ASSERT_EQUAL(json_array_size(b), 3);
    json_decref(b);
}

/* ---- updates ------------------------------------------------------------------------------------ */

static void put_refused_at(int line, const char *overrides, const char *msg)
{
    char *body = body_with("rep-one", "B1", overrides);
    call("PUT", "/replications/rep-one", body);
    free(body);
    expect_error_at(line, 400, msg, false);
}

static void test_update_refused(void)
{
    const char *recreate = "delete and re-create the replication";
    char want[512];
    snprintf(want, sizeof want,
             "direction cannot be changed (pull -> push): the offsets and internal topics of the existing flows "
             "depend on it; %s", recreate);
    put_refused_at(__LINE__, "{\"direction\": \"push\"}", want);
    snprintf(want, sizeof want,
             "rename_topics cannot be changed (false -> true): it decides the names of the replicated topics, so the "
             "existing copies and their translated consumer offsets would be abandoned; %s", recreate);
    put_refused_at(__LINE__, "{\"rename_topics\": true}", want);
    /* peer_alias: the body's alias differs from the stored B1 */
    char *body = body_with("rep-one", "B7", NULL);
    call("PUT", "/replications/rep-one", body);
    free(body);
    snprintf(want, sizeof want,
             "peer_alias cannot be changed ('B1' -> 'B7'): the aliases are part of the remote topic names, the "
             "internal topic names and the stored source offsets; %s", recreate);
    EXPECT_ERROR(400, want);
    /* a name in the body that is not the URL's */
    body = body_with("rep-other", "B1", NULL);
    call("PUT", "/replications/rep-one", body);
    free(body);
    EXPECT_ERROR(400, "Replication name in the request body (rep-other) doesn't match the name in the URL (rep-one)");
    /* an update that would overlap another replication */
    char over[256];
    snprintf(over, sizeof over, "{\"topics\": [\"%s\"]}", topic[4]);
    body = body_with("rep-one", "B1", over);
    call("PUT", "/replications/rep-one", body);
    free(body);
    snprintf(want, sizeof want,
             "replication 'rep-one' overlaps replication 'rep-three': both pull topic '%s' from peer cluster '%s' "
             "(every record would be replicated twice)",
             topic[4], kc_testbed_require("KC_B_PLAINTEXT"));
    EXPECT_ERROR(409, want);
    /* nothing changed */
    call("GET", "/replications/rep-one", NULL);
    json_t *b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "direction")), "pull");
    CU_ASSERT_STRING_EQUAL(jstr(json_array_get(json_object_get(b, "topics"), 0)), topic[0]);
    json_decref(b);
}

static void test_update_allowed(void)
{
    char over[256];
    snprintf(over, sizeof over, "{\"topics\": [\"%s\"], \"tasks\": 1, \"compression\": \"gzip\"}", topic[6]);
    char *body = body_with("rep-one", "B1", over);
    call("PUT", "/replications/rep-one", body);
    free(body);
    EXPECT_STATUS(200);
    call("GET", "/replications/rep-one", NULL);
    EXPECT_STATUS(200);
    json_t *b = reply_json();
    CU_ASSERT_EQUAL(json_array_size(json_object_get(b, "topics")), 1);
    CU_ASSERT_STRING_EQUAL(jstr(json_array_get(json_object_get(b, "topics"), 0)), topic[6]);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "tasks")), 1);
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "compression")), "gzip");
    json_decref(b);
    /* and the connector follows */
    call("GET", "/connectors/rep-one-source-B1-A/config", NULL);
    EXPECT_STATUS(200);
    b = reply_json();
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "tasks.max")), "1");
    CU_ASSERT_STRING_EQUAL(jstr(json_object_get(b, "producer.override.compression.type")), "gzip");
    const char *topics = jstr(json_object_get(b, "topics"));
    CU_ASSERT(topics && strstr(topics, "t6") != NULL);
    json_decref(b);

    /* a GET answer (with its read-only "connectors") PUT back as is, one field edited, is a valid update */
    call("GET", "/replications/rep-one", NULL);
    b = reply_json();
    CU_ASSERT_FATAL(json_is_array(json_object_get(b, "connectors")));
    json_object_set_new(b, "tasks", json_integer(3));
    char *text = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    call("PUT", "/replications/rep-one", text);
    free(text);
    EXPECT_STATUS(200);
    b = reply_json();
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(b, "tasks")), 3);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(b, "connectors")), 2);
    json_decref(b);
}

static void test_pause_resume(void)
{
    call("PUT", "/replications/rep-one/pause", NULL);
    EXPECT_STATUS(202);
    call("PUT", "/replications/rep-one/resume", NULL);
    EXPECT_STATUS(202);
}

static void test_delete(void)
{
    call("DELETE", "/replications/rep-one", NULL);
    EXPECT_STATUS(204);
    CU_ASSERT(!connector_listed("rep-one-source-B1-A"));
    CU_ASSERT(!connector_listed("rep-one-heartbeat-B1-A"));
    CU_ASSERT(connector_listed("rep-three-source-B4-A")); /* the others stay */
    call("GET", "/replications/rep-one", NULL);
    EXPECT_ERROR(404, "Replication rep-one not found");
    /* below the limit again, and the alias B1 is free */
    char over[256];
    snprintf(over, sizeof over, "{\"topics\": [\"%s\"]}", topic[7]);
    char *body = body_with("rep-again", "B1", over);
    call("POST", "/replications", body);
    free(body);
    EXPECT_STATUS(201);
    call("DELETE", "/replications/rep-again", NULL);
    EXPECT_STATUS(204);
    call("DELETE", "/replications/rep-sasl", NULL);
    EXPECT_STATUS(204);
    call("DELETE", "/replications/rep-three", NULL);
    EXPECT_STATUS(204);
    call("GET", "/replications", NULL);
    CU_ASSERT_STRING_EQUAL(r.body, "[]");
    call("GET", "/connectors", NULL);
    CU_ASSERT_STRING_EQUAL(r.body, "[]");
}

static void test_not_found(void)
{
    static const struct {
        const char *method, *path;
    } reqs[] = {
        {"GET", "/replications/nope"},          {"GET", "/replications/nope/status"},
        {"PUT", "/replications/nope/pause"},    {"PUT", "/replications/nope/resume"},
        {"DELETE", "/replications/nope"},       {"PUT", "/replications/nope"},
    };
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        char *body = strcmp(reqs[i].method, "PUT") == 0 && !strstr(reqs[i].path, "pause") &&
                             !strstr(reqs[i].path, "resume")
                         ? body_with("nope", "B1", NULL)
                         : NULL;
        call(reqs[i].method, reqs[i].path, body);
        free(body);
        EXPECT_ERROR(404, "Replication nope not found");
    }
}

static void test_no_password_anywhere(void)
{
    CU_ASSERT_EQUAL(leaks, 0);
    /* nor in the worker's log */
    FILE *f = fopen(log_path, "r");
    CU_ASSERT_FATAL(f != NULL);
    char line[8192];
    int in_log = 0;
    while (fgets(line, sizeof line, f))
        in_log += strstr(line, password) != NULL;
    fclose(f);
    CU_ASSERT_EQUAL(in_log, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"name too short", test_name_too_short},
        {"name too long", test_name_too_long},
        {"name with bad characters, or absent", test_name_bad_chars},
        {"alias length", test_alias_length},
        {"alias characters", test_alias_chars},
        {"peer alias equal to the current alias", test_alias_equal},
        {"more than 20 topics", test_too_many_topics},
        {"invalid topic name", test_invalid_topic_name},
        {"internal topic", test_internal_topic},
        {"regex with a comma", test_regex_comma},
        {"regex that does not compile", test_regex_invalid},
        {"topics and topics_regex: both, neither", test_topics_and_regex},
        {"mapping with rename", test_mapping_with_rename},
        {"mapping: duplicate source, duplicate target", test_mapping_duplicates},
        {"more than 20 mappings", test_too_many_mappings},
        {"both without rename and without the source header", test_both_without_loop_break},
        {"tasks 0", test_tasks_zero},
        {"SASL without mechanism, username, password", test_sasl_incomplete},
        {"unknown enum values", test_unknown_enum_values},
        {"unknown field, not an object", test_unknown_field},
        {"create (201), list, status, connectors", test_create},
        {"duplicate name (409)", test_duplicate_name},
        {"overlapping flows (409)", test_overlap},
        {"same peer alias twice (409)", test_same_peer_alias},
        {"replicas above the peer's broker count (400)", test_replicas_above_peer_brokers},
        {"SASL peer: the password is never shown", test_password_hidden},
        {"the limit (replications.max=3)", test_limit},
        {"update: refused changes", test_update_refused},
        {"update: topics, tasks, compression", test_update_allowed},
        {"pause, resume", test_pause_resume},
        {"delete: 204, connectors gone", test_delete},
        {"404 for unknown names", test_not_found},
        {"the password in no answer and no log line", test_no_password_anywhere},
        {NULL, NULL},
    };
    /* kc_test_run has no suite set-up: one suite with the worker's start and stop */
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("it_replication_validation", suite_init, suite_clean);
    for (const kc_test_case *c = cases; c->name; c++)
        CU_add_test(s, c->name, c->fn);
    long t0 = kc_test_now_ms();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    printf("it_replication_validation: %ld ms\n", kc_test_now_ms() - t0);
    return failed ? 1 : 0;
}
