/*
 * Replication tasks (connect/replication/replication_task.h): the REST body, every validation rule
 * with its exact message, updates, rules across tasks, the MirrorMaker 2 connector configs of each
 * option (spec 8.2-8.7), and kconnect's MappingReplicationPolicy (spec 8.3, checklist item 72).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "connect/replication/replication_task.h"
#include "connectors/mirror/mirror_config.h"
#include "connectors/mirror/replication_policy.h"
#include "kc_test.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

/* A valid pull task; overrides (a JSON object text, may be NULL) are merged over it, and a field
 * set to null there is removed. */
static const char BASE[] = "{\"name\": \"repl-1\", \"current_alias\": \"L\", \"peer_alias\": \"P\","
                           " \"peer_bootstrap_servers\": \"peer1:9092,peer2:9092\", \"direction\": \"pull\","
                           " \"topics\": [\"orders\", \"pay.ments\"]}";

static json_t *body_with(const char *overrides)
{
    json_error_t jerr;
    json_t *body = json_loads(BASE, 0, &jerr);
    CU_ASSERT_FATAL(body != NULL);
    if (overrides) {
        json_t *o = json_loads(overrides, 0, &jerr);
        if (!o)
            fprintf(stderr, "\nbad test JSON %s: %s\n", overrides, jerr.text);
        CU_ASSERT_FATAL(o != NULL);
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) {
            if (json_is_null(v))
                json_object_del(body, k);
            else
                json_object_set(body, k, v);
        }
        json_decref(o);
    }
    return body;
}

static kc_replication_spec *spec_with(const char *overrides)
{
    json_t *body = body_with(overrides);
    kc_error err = {0};
    kc_replication_spec *s = kc_replication_spec_from_json(body, &err);
    if (!s)
        fprintf(stderr, "\nfrom_json(%s): %s\n", overrides ? overrides : "", err.msg);
    CU_ASSERT_FATAL(s != NULL);
    json_decref(body);
    return s;
}

static void assert_msg(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "\n got: %s\nwant: %s\n", got, want);
        CU_FAIL("message differs");
    }
}

/* from_json refuses overrides with exactly msg. */
static void expect_parse_error(const char *overrides, const char *msg)
{
    json_t *body = body_with(overrides);
    kc_error err = {0};
    kc_replication_spec *s = kc_replication_spec_from_json(body, &err);
    CU_ASSERT(s == NULL);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    assert_msg(err.msg, msg);
    kc_replication_spec_free(s);
    json_decref(body);
}

/* from_json accepts, validate refuses with exactly msg. */
static void expect_invalid(const char *overrides, const char *msg)
{
    kc_replication_spec *s = spec_with(overrides);
    kc_error err = {0};
    CU_ASSERT_EQUAL(kc_replication_spec_validate(s, NULL, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    assert_msg(err.msg, msg);
    kc_replication_spec_free(s);
}

static void expect_valid(const char *overrides)
{
    kc_replication_spec *s = spec_with(overrides);
    kc_error err = {0};
    int rc = kc_replication_spec_validate(s, NULL, &err);
    if (rc)
        fprintf(stderr, "\nvalidate(%s): %s\n", overrides ? overrides : "", err.msg);
    CU_ASSERT_EQUAL(rc, 0);
    kc_replication_spec_free(s);
}

static void assert_key(const kc_props *p, const char *key, const char *want)
{
    const char *got = kc_props_get(p, key);
    bool same = want ? got && strcmp(got, want) == 0 : got == NULL;
    if (!same) {
        fprintf(stderr, "\n%s: got %s, want %s\n", key, got ? got : "(absent)", want ? want : "(absent)");
        CU_FAIL("connector config differs");
    }
}

/* ---- connectors fixture ------------------------------------------------------------------------ */

static kc_props *local_connection(void)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_FATAL(p != NULL);
    kc_props_set(p, "bootstrap.servers", "local1:9092");
    kc_props_set(p, "security.protocol", "SASL_PLAINTEXT");
    kc_props_set(p, "sasl.mechanism", "SCRAM-SHA-512");
    kc_props_set(p, "sasl.jaas.config", "x required username=\"w\" password=\"${file:/s/w.properties:pw}\";");
    kc_props_set(p, "group.id", "connect-cluster"); /* not a connection key: left out */
    return p;
}

/* Builds the connectors of the task (overrides over BASE) with 3 local and 3 peer brokers. */
static void build(const char *overrides, kc_replication_connectors *out)
{
    kc_replication_spec *s = spec_with(overrides);
    kc_error err = {0};
    int rc = kc_replication_spec_validate(s, NULL, &err);
    if (rc)
        fprintf(stderr, "\nvalidate: %s\n", err.msg);
    CU_ASSERT_FATAL(rc == 0);
    kc_props *local = local_connection();
    kc_replication_env env = {.local_connection = local,
                              .peer_password_ref = "${file:/var/lib/kconnect/secrets/repl-1.properties:repl-1.peer.password}",
                              .local_brokers = 3,
                              .peer_brokers = 3};
    rc = kc_replication_connectors_build(s, &env, out, &err);
    if (rc)
        fprintf(stderr, "\nbuild: %s\n", err.msg);
    CU_ASSERT_FATAL(rc == 0);
    kc_props_free(local);
    kc_replication_spec_free(s);
}

static const kc_props *config_of(const kc_replication_connectors *c, const char *name)
{
    const kc_replication_connector *k = kc_replication_connectors_find(c, name);
    if (!k)
        fprintf(stderr, "\nno connector %s\n", name);
    CU_ASSERT_FATAL(k != NULL);
    return k->config;
}

/* ---- defaults and JSON ------------------------------------------------------------------------- */

static void test_defaults(void)
{
    kc_replication_spec *s = spec_with(NULL);
    CU_ASSERT_STRING_EQUAL(s->name, "repl-1");
    CU_ASSERT(s->start_immediately);
    CU_ASSERT_EQUAL(s->peer_security_protocol, KC_REPLICATION_PLAINTEXT);
    CU_ASSERT_EQUAL(s->peer_sasl_mechanism, KC_REPLICATION_MECHANISM_NONE);
    CU_ASSERT_EQUAL(s->direction, KC_REPLICATION_PULL);
    CU_ASSERT_EQUAL(s->topic_count, 2);
    CU_ASSERT_PTR_NULL(s->topics_regex);
    CU_ASSERT_EQUAL(s->tasks, 2);
    CU_ASSERT(!s->rename_topics);
    CU_ASSERT(!s->add_source_header);
    CU_ASSERT(!s->sync_consumer_offsets);
    CU_ASSERT_EQUAL(s->sync_interval_seconds, 60);
    CU_ASSERT_EQUAL(s->replicas, 0);
    CU_ASSERT_EQUAL(s->start_offset, KC_REPLICATION_EARLIEST);
    CU_ASSERT_EQUAL(s->compression, KC_REPLICATION_COMPRESSION_NONE);
    CU_ASSERT_EQUAL(s->mapping_count, 0);
    kc_replication_spec_free(s);

    /* add_source_header defaults to on for both, and an explicit value wins */
    s = spec_with("{\"direction\": \"both\"}");
    CU_ASSERT(s->add_source_header);
    kc_replication_spec_free(s);
    s = spec_with("{\"direction\": \"both\", \"add_source_header\": false, \"rename_topics\": true}");
    CU_ASSERT(!s->add_source_header);
    kc_replication_spec_free(s);
    s = spec_with("{\"direction\": \"push\"}");
    CU_ASSERT(!s->add_source_header);
    kc_replication_spec_free(s);

    /* enum values are read in any case; null is absent */
    s = spec_with("{\"direction\": \"PUSH\", \"peer_security_protocol\": \"sasl_ssl\", \"peer_sasl_mechanism\": "
                  "\"scram-sha-256\", \"compression\": \"ZSTD\", \"start_offset\": \"Latest\", \"tasks\": null}");
    CU_ASSERT_EQUAL(s->direction, KC_REPLICATION_PUSH);
    CU_ASSERT_EQUAL(s->peer_security_protocol, KC_REPLICATION_SASL_SSL);
    CU_ASSERT_EQUAL(s->peer_sasl_mechanism, KC_REPLICATION_SCRAM_SHA_256);
    CU_ASSERT_EQUAL(s->compression, KC_REPLICATION_ZSTD);
    CU_ASSERT_EQUAL(s->start_offset, KC_REPLICATION_LATEST);
    CU_ASSERT_EQUAL(s->tasks, 2);
    kc_replication_spec_free(s);

    kc_replication_limits lim = KC_REPLICATION_LIMITS_DEFAULT;
    CU_ASSERT_EQUAL(lim.max_replications, 18);
    CU_ASSERT_EQUAL(lim.max_topics, 20);
    CU_ASSERT_EQUAL(lim.max_mappings, 20);
    CU_ASSERT_EQUAL(lim.name_min, 4);
    CU_ASSERT_EQUAL(lim.name_max, 64);
    CU_ASSERT_EQUAL(lim.alias_min, 1);
    CU_ASSERT_EQUAL(lim.alias_max, 20);
}

static void test_parse_errors(void)
{
    kc_error err = {0};
    json_t *arr = json_array();
    CU_ASSERT_PTR_NULL(kc_replication_spec_from_json(arr, &err));
    assert_msg(err.msg, "the replication must be a JSON object");
    json_decref(arr);

    expect_parse_error("{\"topic\": [\"x\"]}", "unknown field 'topic'");
    expect_parse_error("{\"name\": 12}", "name must be a string");
    expect_parse_error("{\"start_immediately\": \"yes\"}", "start_immediately must be true or false");
    expect_parse_error("{\"tasks\": \"2\"}", "tasks must be an integer");
    expect_parse_error("{\"tasks\": 1.5}", "tasks must be an integer");
    expect_parse_error("{\"tasks\": 3000000000}", "tasks 3000000000 is out of range");
    expect_parse_error("{\"direction\": \"sideways\"}", "direction 'sideways' is invalid: expected pull, push or both");
    expect_parse_error("{\"peer_security_protocol\": \"SSL\"}",
                       "peer_security_protocol 'SSL' is invalid: expected PLAINTEXT, SASL_PLAINTEXT or SASL_SSL");
    expect_parse_error("{\"peer_sasl_mechanism\": \"GSSAPI\"}",
                       "peer_sasl_mechanism 'GSSAPI' is invalid: expected PLAIN, SCRAM-SHA-512 or SCRAM-SHA-256");
    expect_parse_error("{\"peer_sasl_mechanism\": \"\"}",
                       "peer_sasl_mechanism '' is invalid: expected PLAIN, SCRAM-SHA-512 or SCRAM-SHA-256");
    expect_parse_error("{\"start_offset\": \"middle\"}", "start_offset 'middle' is invalid: expected earliest or latest");
    expect_parse_error("{\"compression\": \"brotli\"}",
                       "compression 'brotli' is invalid: expected none, gzip, snappy, lz4 or zstd");
    expect_parse_error("{\"topics\": \"orders\"}", "topics must be an array of topic names");
    expect_parse_error("{\"topics\": [\"a\", 3]}", "topics[1] must be a string");
    expect_parse_error("{\"replicas\": 0}", "replicas must be between 1 and 32767 (got 0)");
    expect_parse_error("{\"topic_mapping\": {\"a\": \"b\"}}",
                       "topic_mapping must be an array of {\"source\": ..., \"target\": ...} objects");
    expect_parse_error("{\"topic_mapping\": [{\"source\": \"a\"}]}",
                       "topic_mapping[0] must be an object with the strings source and target");
    expect_parse_error("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\", \"x\": 1}]}",
                       "topic_mapping[0] has an unknown field 'x'");
}

static const char SASL[] = "{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"SCRAM-SHA-512\", "
                           "\"peer_username\": \"rep\\\"user\", \"peer_password\": \"s3cret\"}";

static void test_json_round_trip(void)
{
    kc_replication_spec *s = spec_with(
        "{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"SCRAM-SHA-512\", \"peer_username\": "
        "\"rep\", \"peer_password\": \"s3cret\", \"peer_ca_certificate\": \"/etc/kconnect/peer-ca.pem\", "
        "\"direction\": \"both\", \"tasks\": 4, \"rename_topics\": true, \"add_source_header\": false, "
        "\"sync_consumer_offsets\": true, \"sync_interval_seconds\": 30, \"replicas\": 2, \"start_offset\": "
        "\"latest\", \"compression\": \"lz4\", \"start_immediately\": false}");
    json_t *masked = kc_replication_spec_to_json(s, false), *full = kc_replication_spec_to_json(s, true);
    CU_ASSERT_FATAL(masked && full);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(masked, "peer_password")), "[hidden]");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(full, "peer_password")), "s3cret");
    char *text = json_dumps(masked, JSON_SORT_KEYS | JSON_COMPACT);
    CU_ASSERT_PTR_NULL(strstr(text, "s3cret"));
    assert_msg(text, "{\"add_source_header\":false,\"compression\":\"lz4\",\"current_alias\":\"L\",\"direction\":"
                     "\"both\",\"name\":\"repl-1\",\"peer_alias\":\"P\",\"peer_bootstrap_servers\":\"peer1:9092,"
                     "peer2:9092\",\"peer_ca_certificate\":\"/etc/kconnect/peer-ca.pem\",\"peer_password\":"
                     "\"[hidden]\",\"peer_sasl_mechanism\":\"SCRAM-SHA-512\",\"peer_security_protocol\":\"SASL_SSL\","
                     "\"peer_username\":\"rep\",\"rename_topics\":true,\"replicas\":2,\"start_immediately\":false,"
                     "\"start_offset\":\"latest\",\"sync_consumer_offsets\":true,\"sync_interval_seconds\":30,"
                     "\"tasks\":4,\"topics\":[\"orders\",\"pay.ments\"]}");
    free(text);

    /* the full form reads back to the same JSON */
    kc_error err = {0};
    kc_replication_spec *back = kc_replication_spec_from_json(full, &err);
    CU_ASSERT_FATAL(back != NULL);
    json_t *again = kc_replication_spec_to_json(back, true);
    CU_ASSERT(json_equal(again, full));
    json_decref(again);
    kc_replication_spec_free(back);

    /* the masked form reads back without a password; keep_password takes the stored one */
    back = kc_replication_spec_from_json(masked, &err);
    CU_ASSERT_FATAL(back != NULL);
    CU_ASSERT_PTR_NULL(back->peer_password);
    CU_ASSERT_EQUAL(kc_replication_spec_keep_password(back, s, &err), 0);
    CU_ASSERT_STRING_EQUAL(back->peer_password, "s3cret");
    again = kc_replication_spec_to_json(back, true);
    CU_ASSERT(json_equal(again, full));
    json_decref(again);
    kc_replication_spec_free(back);

    /* a copy is deep and equal */
    kc_replication_spec *copy = kc_replication_spec_copy(s);
    CU_ASSERT_FATAL(copy != NULL);
    CU_ASSERT_PTR_NOT_EQUAL(copy->topics, s->topics);
    again = kc_replication_spec_to_json(copy, true);
    CU_ASSERT(json_equal(again, full));
    json_decref(again);
    kc_replication_spec_free(copy);

    json_decref(masked);
    json_decref(full);
    kc_replication_spec_free(s);

    /* mapping and regex forms; automatic replicas is omitted */
    s = spec_with("{\"topics\": null, \"topics_regex\": \"ord.*\", \"topic_mapping\": [{\"source\": \"a\", "
                  "\"target\": \"b\"}]}");
    full = kc_replication_spec_to_json(s, true);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(full, "topics_regex")), "ord.*");
    CU_ASSERT_PTR_NULL(json_object_get(full, "topics"));
    CU_ASSERT_PTR_NULL(json_object_get(full, "replicas"));
    CU_ASSERT_PTR_NULL(json_object_get(full, "peer_password"));
    CU_ASSERT_PTR_NULL(json_object_get(full, "peer_sasl_mechanism"));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(json_object_get(full, "topic_mapping"), 0),
                                                             "target")),
                           "b");
    json_decref(full);
    kc_replication_spec_free(s);
}

/* ---- validation, one rule at a time ------------------------------------------------------------- */

static void test_validate_names(void)
{
    expect_valid(NULL);
    expect_invalid("{\"name\": null}", "name is required");
    expect_invalid("{\"name\": \"abc\"}",
                   "name 'abc' is invalid: it must be 4-64 characters long and contain only letters, digits, '-' and '_'");
    expect_invalid("{\"name\": \"repl.1\"}",
                   "name 'repl.1' is invalid: it must be 4-64 characters long and contain only letters, digits, '-' "
                   "and '_'");
    char long_name[80], json[128];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    snprintf(json, sizeof json, "{\"name\": \"%s\"}", long_name);
    expect_invalid(json, "name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is invalid: it must be "
                         "4-64 characters long and contain only letters, digits, '-' and '_'");
    long_name[64] = '\0';
    snprintf(json, sizeof json, "{\"name\": \"%s\"}", long_name);
    expect_valid(json);
    expect_valid("{\"name\": \"A_b-\"}");

    expect_invalid("{\"current_alias\": null}", "current_alias is required");
    expect_invalid("{\"current_alias\": \"\"}",
                   "current_alias '' is invalid: it must be 1-20 characters long and contain only letters, digits, '-' "
                   "and '_'");
    expect_invalid("{\"peer_alias\": \"a.b\"}",
                   "peer_alias 'a.b' is invalid: it must be 1-20 characters long and contain only letters, digits, '-' "
                   "and '_'");
    expect_invalid("{\"peer_alias\": \"abcdefghijklmnopqrstu\"}",
                   "peer_alias 'abcdefghijklmnopqrstu' is invalid: it must be 1-20 characters long and contain only "
                   "letters, digits, '-' and '_'");
    expect_invalid("{\"peer_alias\": \"L\"}", "peer_alias 'L' must differ from current_alias 'L'");

    /* limits are configurable */
    kc_replication_spec *s = spec_with("{\"name\": \"ab\"}");
    kc_replication_limits lim = KC_REPLICATION_LIMITS_DEFAULT;
    lim.name_min = 2;
    kc_error err = {0};
    CU_ASSERT_EQUAL(kc_replication_spec_validate(s, &lim, &err), 0);
    kc_replication_spec_free(s);
}

static void test_validate_peer(void)
{
    expect_invalid("{\"peer_bootstrap_servers\": null}", "peer_bootstrap_servers is required");
    expect_invalid("{\"peer_bootstrap_servers\": \"peer1\"}",
                   "peer_bootstrap_servers 'peer1' is invalid: 'peer1' is not host:port (port 1-65535)");
    expect_invalid("{\"peer_bootstrap_servers\": \"peer1:9092,,peer2:9092\"}",
                   "peer_bootstrap_servers 'peer1:9092,,peer2:9092' is invalid: '' is not host:port (port 1-65535)");
    expect_invalid("{\"peer_bootstrap_servers\": \"peer1:99999\"}",
                   "peer_bootstrap_servers 'peer1:99999' is invalid: 'peer1:99999' is not host:port (port 1-65535)");
    expect_invalid("{\"peer_bootstrap_servers\": \"peer1:0\"}",
                   "peer_bootstrap_servers 'peer1:0' is invalid: 'peer1:0' is not host:port (port 1-65535)");
    expect_valid("{\"peer_bootstrap_servers\": \" peer1:9092 , [::1]:9093\"}");

    expect_invalid("{\"peer_security_protocol\": \"SASL_SSL\"}",
                   "peer_sasl_mechanism is required when peer_security_protocol is SASL_SSL");
    expect_invalid("{\"peer_security_protocol\": \"SASL_PLAINTEXT\", \"peer_sasl_mechanism\": \"PLAIN\"}",
                   "peer_username is required when peer_security_protocol is SASL_PLAINTEXT");
    expect_invalid("{\"peer_security_protocol\": \"SASL_PLAINTEXT\", \"peer_sasl_mechanism\": \"PLAIN\", "
                   "\"peer_username\": \"u\"}",
                   "peer_password is required when peer_security_protocol is SASL_PLAINTEXT");
    expect_invalid("{\"peer_security_protocol\": \"SASL_PLAINTEXT\", \"peer_sasl_mechanism\": \"PLAIN\", "
                   "\"peer_username\": \"u\", \"peer_password\": \"[hidden]\"}",
                   "peer_password is required when peer_security_protocol is SASL_PLAINTEXT");
    expect_invalid("{\"peer_username\": \"u\"}",
                   "peer_username is only used with SASL_PLAINTEXT or SASL_SSL (peer_security_protocol is PLAINTEXT)");
    expect_invalid("{\"peer_sasl_mechanism\": \"PLAIN\"}",
                   "peer_sasl_mechanism is only used with SASL_PLAINTEXT or SASL_SSL (peer_security_protocol is "
                   "PLAINTEXT)");
    expect_invalid("{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"PLAIN\", "
                   "\"peer_username\": \"u\\n\", \"peer_password\": \"p\"}",
                   "peer_username must not contain control characters");
    expect_valid(SASL);

    expect_invalid("{\"peer_ca_certificate\": \"/etc/ca.pem\"}",
                   "peer_ca_certificate is only used with SASL_SSL (peer_security_protocol is PLAINTEXT)");
    expect_invalid("{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"PLAIN\", "
                   "\"peer_username\": \"u\", \"peer_password\": \"p\", \"peer_ca_certificate\": \"ca.pem\"}",
                   "peer_ca_certificate 'ca.pem' is invalid: give the CA certificates as PEM text or as the absolute "
                   "path of a PEM file");
    expect_invalid("{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"PLAIN\", "
                   "\"peer_username\": \"u\", \"peer_password\": \"p\", \"peer_ca_certificate\": "
                   "\"-----BEGIN CERTIFICATE-----\\nMIIB\\n\"}",
                   "peer_ca_certificate is PEM text without a complete certificate (-----BEGIN CERTIFICATE----- ... "
                   "-----END CERTIFICATE-----)");
    expect_valid("{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"PLAIN\", "
                 "\"peer_username\": \"u\", \"peer_password\": \"p\", \"peer_ca_certificate\": "
                 "\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"}");
}

static void test_validate_topics(void)
{
    expect_invalid("{\"topics\": null}", "one of topics or topics_regex is required");
    expect_invalid("{\"topics_regex\": \"x.*\"}", "topics and topics_regex are exclusive: give one of them");
    expect_invalid("{\"topics\": []}", "topics must not be empty: give at least one topic name, or topics_regex");
    expect_invalid("{\"topics\": [\"t0\",\"t1\",\"t2\",\"t3\",\"t4\",\"t5\",\"t6\",\"t7\",\"t8\",\"t9\",\"t10\","
                   "\"t11\",\"t12\",\"t13\",\"t14\",\"t15\",\"t16\",\"t17\",\"t18\",\"t19\",\"t20\"]}",
                   "topics lists 21 names; at most 20 are allowed");
    expect_valid("{\"topics\": [\"t0\",\"t1\",\"t2\",\"t3\",\"t4\",\"t5\",\"t6\",\"t7\",\"t8\",\"t9\",\"t10\","
                 "\"t11\",\"t12\",\"t13\",\"t14\",\"t15\",\"t16\",\"t17\",\"t18\",\"t19\"]}");
    expect_invalid("{\"topics\": [\"ok\", \"a b\"]}",
                   "topics[1] 'a b' is not a valid Kafka topic name: only letters, digits, '.', '_' and '-' are "
                   "allowed");
    expect_invalid("{\"topics\": [\"..\"]}", "topics[0] '..' is not a valid Kafka topic name: it cannot be '.' or '..'");
    expect_invalid("{\"topics\": [\"\"]}", "topics[0] is empty: a topic name is required");
    char json[400] = "{\"topics\": [\"";
    size_t len = strlen(json);
    memset(json + len, 'x', 250);
    strcpy(json + len + 250, "\"]}");
    expect_invalid(json, "topics[0] 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a valid Kafka topic name: "
                         "it is 250 characters long, at most 249 are allowed");
    expect_invalid("{\"topics\": [\"orders.internal\"]}",
                   "topics[0] 'orders.internal' is never replicated: topics whose names end with 'internal' are internal");
    expect_invalid("{\"topics\": [\"ordersinternal\"]}",
                   "topics[0] 'ordersinternal' is never replicated: topics whose names end with 'internal' are internal");
    expect_invalid("{\"topics\": [\"__consumer_offsets\"]}",
                   "topics[0] '__consumer_offsets' is never replicated: names starting with '__' are internal to Kafka");
    expect_invalid("{\"topics\": [\"x.replica\"]}",
                   "topics[0] 'x.replica' is never replicated: names ending with '.replica' are excluded by MirrorMaker 2");
    expect_invalid("{\"topics\": [\"a\", \"b\", \"a\"]}", "topics lists 'a' twice");

    expect_valid("{\"topics\": null, \"topics_regex\": \"orders|pay\\\\..*\"}");
    expect_invalid("{\"topics\": null, \"topics_regex\": \"\"}", "topics_regex must not be empty");
    expect_invalid("{\"topics\": null, \"topics_regex\": \"a,b\"}",
                   "topics_regex 'a,b' must not contain ',': MirrorMaker 2 splits its topics setting on commas (use "
                   "'|' to combine patterns)");
    expect_invalid("{\"topics\": null, \"topics_regex\": \"a{2,\"}",
                   "topics_regex 'a{2,' must not contain ',': MirrorMaker 2 splits its topics setting on commas (use "
                   "'|' to combine patterns)");
    /* a regex that does not compile: the Java-regex translator's message */
    kc_replication_spec *s = spec_with("{\"topics\": null, \"topics_regex\": \"(orders\"}");
    kc_error err = {0};
    CU_ASSERT_EQUAL(kc_replication_spec_validate(s, NULL, &err), -1);
    CU_ASSERT(strncmp(err.msg, "Invalid value (orders for configuration topics_regex: Unclosed group", 68) == 0);
    kc_replication_spec_free(s);
    s = spec_with("{\"topics\": null, \"topics_regex\": \"(?=x)y\"}");
    CU_ASSERT_EQUAL(kc_replication_spec_validate(s, NULL, &err), -1);
    CU_ASSERT(strncmp(err.msg, "Invalid value (?=x)y for configuration topics_regex: ", 53) == 0);
    kc_replication_spec_free(s);

    CU_ASSERT(kc_replication_topic_excluded("a.internal"));
    CU_ASSERT(kc_replication_topic_excluded("__x"));
    CU_ASSERT(kc_replication_topic_excluded("a.replica"));
    CU_ASSERT(!kc_replication_topic_excluded("internals"));
}

static void test_validate_mapping(void)
{
    expect_valid("{\"topic_mapping\": [{\"source\": \"orders\", \"target\": \"orders_bak\"}]}");
    expect_valid("{\"topics\": null, \"topic_mapping\": [{\"source\": \"orders\", \"target\": \"orders_bak\"}]}");
    expect_invalid("{\"rename_topics\": true, \"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\"}]}",
                   "topic_mapping and rename_topics are exclusive: a mapping names the target topics itself");
    char json[2048] = "{\"topic_mapping\": [";
    for (int i = 0; i < 21; i++)
        snprintf(json + strlen(json), sizeof json - strlen(json), "%s{\"source\": \"s%d\", \"target\": \"t%d\"}",
                 i ? ", " : "", i, i);
    strcat(json, "]}");
    expect_invalid(json, "topic_mapping has 21 pairs; at most 20 are allowed");
    expect_invalid("{\"topic_mapping\": [{\"source\": \"a b\", \"target\": \"b\"}]}",
                   "topic_mapping[0].source 'a b' is not a valid Kafka topic name: only letters, digits, '.', '_' and "
                   "'-' are allowed");
    expect_invalid("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"b.internal\"}]}",
                   "topic_mapping[0].target 'b.internal' is never replicated: topics whose names end with 'internal' "
                   "are internal");
    expect_invalid("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\"}, {\"source\": \"a\", \"target\": "
                   "\"c\"}]}",
                   "topic_mapping maps source 'a' twice");
    expect_invalid("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"c\"}, {\"source\": \"b\", \"target\": "
                   "\"c\"}]}",
                   "topic_mapping maps both 'a' and 'b' to target 'c'");
    expect_invalid("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\"}, {\"source\": \"b\", \"target\": "
                   "\"c\"}]}",
                   "topic_mapping[0].target 'b' is the source of topic_mapping[1]: a mapped topic cannot be replicated "
                   "onto another mapped topic");
    expect_invalid("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"orders\"}]}",
                   "topic_mapping[0].target 'orders' is also in topics: that topic would be replicated onto the same "
                   "target topic");
    /* a listed topic that is itself mapped is no clash */
    expect_valid("{\"topic_mapping\": [{\"source\": \"orders\", \"target\": \"o2\"}, {\"source\": \"x\", \"target\": "
                 "\"y\"}]}");
    expect_invalid("{\"topics\": null, \"topics_regex\": \"orders.*\", \"topic_mapping\": [{\"source\": \"orders\", "
                   "\"target\": \"orders_bak\"}]}",
                   "topic_mapping[0].target 'orders_bak' matches topics_regex 'orders.*': a source topic of that name "
                   "would be replicated onto the same target topic");
}

static void test_validate_other(void)
{
    expect_invalid("{\"direction\": null}", "direction is required: pull, push or both");
    expect_invalid("{\"tasks\": 0}", "tasks must be at least 1 (got 0)");
    expect_invalid("{\"sync_interval_seconds\": 0}", "sync_interval_seconds must be at least 1 (got 0)");
    expect_invalid("{\"replicas\": 40000}", "replicas must be between 1 and 32767 (got 40000)");
    expect_invalid("{\"direction\": \"both\", \"add_source_header\": false}",
                   "direction both requires rename_topics or add_source_header: otherwise every record replicated to "
                   "one side is replicated back (an endless loop)");
    expect_valid("{\"direction\": \"both\", \"add_source_header\": false, \"rename_topics\": true}");
    expect_valid("{\"direction\": \"both\"}");
}

static void test_resolve_replicas(void)
{
    kc_error err = {0};
    kc_replication_spec *s = spec_with(NULL); /* pull: the local cluster receives */
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 2, 1, &err), 0);
    CU_ASSERT_EQUAL(s->replicas, 2);
    kc_replication_spec_free(s);
    s = spec_with(NULL);
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 0, 0, &err), 0);
    CU_ASSERT_EQUAL(s->replicas, 3);
    kc_replication_spec_free(s);
    s = spec_with("{\"direction\": \"both\"}");
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 5, 2, &err), 0);
    CU_ASSERT_EQUAL(s->replicas, 2);
    kc_replication_spec_free(s);

    s = spec_with("{\"replicas\": 3}");
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 2, 1, &err), -1);
    assert_msg(err.msg, "replicas 3 exceeds the 2 brokers of the current cluster 'L', which receives the replicated "
                        "topics");
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 3, 1, &err), 0); /* the peer does not receive */
    kc_replication_spec_free(s);
    s = spec_with("{\"replicas\": 3, \"direction\": \"push\"}");
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 1, 1, &err), -1);
    assert_msg(err.msg, "replicas 3 exceeds the 1 broker of the peer cluster 'P', which receives the replicated topics");
    CU_ASSERT_EQUAL(kc_replication_spec_resolve_replicas(s, 1, 0, &err), 0); /* unknown: not checked */
    kc_replication_spec_free(s);
}

/* ---- updates ---------------------------------------------------------------------------------- */

static void expect_update(const char *old_over, const char *new_over, const char *msg)
{
    kc_replication_spec *old = spec_with(old_over), *upd = spec_with(new_over);
    kc_error err = {0};
    int rc = kc_replication_check_update(old, upd, &err);
    if (msg) {
        CU_ASSERT_EQUAL(rc, -1);
        CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
        assert_msg(err.msg, msg);
    } else {
        if (rc)
            fprintf(stderr, "\nupdate %s: %s\n", new_over, err.msg);
        CU_ASSERT_EQUAL(rc, 0);
    }
    kc_replication_spec_free(old);
    kc_replication_spec_free(upd);
}

static void test_update_rules(void)
{
    const char *recreate = "delete and re-create the replication";
    char want[512];
    expect_update(NULL, NULL, NULL);
    snprintf(want, sizeof want,
             "name cannot be changed ('repl-1' -> 'repl-2'): the connector names and their stored offsets derive from "
             "it; %s", recreate);
    expect_update(NULL, "{\"name\": \"repl-2\"}", want);
    snprintf(want, sizeof want,
             "current_alias cannot be changed ('L' -> 'X'): the aliases are part of the remote topic names, the "
             "internal topic names and the stored source offsets; %s", recreate);
    expect_update(NULL, "{\"current_alias\": \"X\"}", want);
    snprintf(want, sizeof want,
             "peer_alias cannot be changed ('P' -> 'Q'): the aliases are part of the remote topic names, the internal "
             "topic names and the stored source offsets; %s", recreate);
    expect_update(NULL, "{\"peer_alias\": \"Q\"}", want);
    snprintf(want, sizeof want,
             "direction cannot be changed (pull -> both): the offsets and internal topics of the existing flows depend "
             "on it; %s", recreate);
    expect_update(NULL, "{\"direction\": \"both\"}", want);
    snprintf(want, sizeof want,
             "peer_bootstrap_servers cannot be changed ('peer1:9092,peer2:9092' -> 'other:9092'): the stored source "
             "offsets and offset syncs belong to the cluster they were read from; %s", recreate);
    expect_update(NULL, "{\"peer_bootstrap_servers\": \"other:9092\"}", want);
    snprintf(want, sizeof want,
             "peer_security_protocol cannot be changed (PLAINTEXT -> SASL_SSL): the peer's authentication is fixed "
             "when the replication is created (only the password and the CA certificate may change); %s", recreate);
    expect_update(NULL, SASL, want);
    snprintf(want, sizeof want,
             "peer_sasl_mechanism cannot be changed (SCRAM-SHA-512 -> PLAIN): the peer's authentication is fixed "
             "when the replication is created (only the password and the CA certificate may change); %s", recreate);
    expect_update(SASL,
                  "{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"PLAIN\", \"peer_username\": "
                  "\"rep\\\"user\", \"peer_password\": \"s3cret\"}",
                  want);
    snprintf(want, sizeof want,
             "peer_username cannot be changed ('rep\"user' -> 'other'): the peer's authentication is fixed when the "
             "replication is created (only the password and the CA certificate may change); %s", recreate);
    expect_update(SASL,
                  "{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"SCRAM-SHA-512\", "
                  "\"peer_username\": \"other\", \"peer_password\": \"s3cret\"}",
                  want);
    snprintf(want, sizeof want,
             "rename_topics cannot be changed (false -> true): it decides the names of the replicated topics, so the "
             "existing copies and their translated consumer offsets would be abandoned; %s", recreate);
    expect_update(NULL, "{\"rename_topics\": true}", want);
    snprintf(want, sizeof want,
             "topic_mapping cannot be changed: it decides the names of the replicated topics, so the existing copies "
             "and their translated consumer offsets would be abandoned; %s", recreate);
    expect_update("{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"b\"}]}",
                  "{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"c\"}]}", want);
    expect_update(NULL, "{\"topic_mapping\": [{\"source\": \"a\", \"target\": \"c\"}]}", want);
    expect_update(NULL, "{\"start_offset\": \"latest\"}",
                  "start_offset cannot be changed (earliest -> latest): it applied when the replication was created; "
                  "the stored source offsets now decide where each partition resumes");

    /* safe fields */
    expect_update(SASL,
                  "{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"SCRAM-SHA-512\", "
                  "\"peer_username\": \"rep\\\"user\", \"peer_password\": \"n3w\", \"peer_ca_certificate\": "
                  "\"/etc/ca2.pem\"}",
                  NULL);
    expect_update(NULL,
                  "{\"topics\": [\"orders\", \"invoices\"], \"tasks\": 8, \"compression\": \"gzip\", "
                  "\"sync_interval_seconds\": 10, \"sync_consumer_offsets\": true, \"start_immediately\": false, "
                  "\"replicas\": 2, \"add_source_header\": true}",
                  NULL);
    expect_update(NULL, "{\"topics\": null, \"topics_regex\": \"orders.*\"}", NULL);
}

/* ---- rules across tasks ----------------------------------------------------------------------- */

static int check_against(const char *cand, const char *const *others, size_t n, const char *replacing,
                         kc_error *err)
{
    kc_replication_spec *s = spec_with(cand);
    kc_replication_spec *list[20];
    for (size_t i = 0; i < n; i++)
        list[i] = spec_with(others[i]);
    int rc = kc_replication_check_against(s, (const kc_replication_spec *const *)list, n, NULL, replacing, err);
    for (size_t i = 0; i < n; i++)
        kc_replication_spec_free(list[i]);
    kc_replication_spec_free(s);
    return rc;
}

static void test_cross_task_rules(void)
{
    kc_error err = {0};
    const char *other[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"peer_bootstrap_servers\": \"q:9092\"}"};
    CU_ASSERT_EQUAL(check_against(NULL, other, 1, NULL, &err), 0);

    const char *same_name[] = {"{\"peer_alias\": \"Q\", \"peer_bootstrap_servers\": \"q:9092\"}"};
    CU_ASSERT_EQUAL(check_against(NULL, same_name, 1, NULL, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_CONFLICT);
    assert_msg(err.msg, "a replication named 'repl-1' already exists");
    /* an update replaces its own entry */
    CU_ASSERT_EQUAL(check_against(NULL, same_name, 1, "repl-1", &err), 0);

    /* 18 tasks at most */
    const char *many[18];
    char bufs[18][160];
    for (int i = 0; i < 18; i++) {
        snprintf(bufs[i], sizeof bufs[i],
                 "{\"name\": \"task-%02d\", \"peer_alias\": \"Q%d\", \"peer_bootstrap_servers\": \"q%d:9092\"}", i, i, i);
        many[i] = bufs[i];
    }
    CU_ASSERT_EQUAL(check_against(NULL, many, 17, NULL, &err), 0);
    CU_ASSERT_EQUAL(check_against(NULL, many, 18, NULL, &err), -1);
    assert_msg(err.msg, "at most 18 replication tasks can be created for an instance; 18 exist already");
    CU_ASSERT_EQUAL(check_against("{\"name\": \"task-03\", \"peer_alias\": \"Q3\", \"peer_bootstrap_servers\": "
                                  "\"q3:9092\"}",
                                  many, 18, "task-03", &err),
                    0);

    const char *same_alias[] = {"{\"name\": \"other\", \"peer_bootstrap_servers\": \"q:9092\", \"direction\": "
                                "\"push\", \"topics\": [\"x\"]}"};
    CU_ASSERT_EQUAL(check_against(NULL, same_alias, 1, NULL, &err), -1);
    assert_msg(err.msg, "peer_alias 'P' is already used by replication 'other': two replications of one instance must "
                        "not share a peer alias (their internal topics, e.g. mm2-offset-syncs.P.internal, would "
                        "collide)");

    /* same peer cluster (a shared bootstrap address), same flow, common topic */
    const char *same_flow[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"peer_bootstrap_servers\": "
                               "\"PEER2:9092\", \"topics\": [\"invoices\", \"pay.ments\"]}"};
    CU_ASSERT_EQUAL(check_against(NULL, same_flow, 1, NULL, &err), -1);
    assert_msg(err.msg, "replication 'repl-1' overlaps replication 'other': both pull topic 'pay.ments' from peer "
                        "cluster 'peer1:9092,peer2:9092' (every record would be replicated twice)");
    /* a listed topic that the other's regex matches */
    const char *regex_flow[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"direction\": \"both\", \"topics\": "
                                "null, \"topics_regex\": \"ord.*\"}"};
    CU_ASSERT_EQUAL(check_against(NULL, regex_flow, 1, NULL, &err), -1);
    assert_msg(err.msg, "replication 'repl-1' overlaps replication 'other': both pull topic 'orders' from peer "
                        "cluster 'peer1:9092,peer2:9092' (every record would be replicated twice)");
    /* identical regexes */
    const char *same_regex[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"direction\": \"push\", \"topics\": "
                                "null, \"topics_regex\": \"x.*\"}"};
    CU_ASSERT_EQUAL(check_against("{\"direction\": \"push\", \"topics\": null, \"topics_regex\": \"x.*\"}", same_regex,
                                  1, NULL, &err),
                    -1);
    assert_msg(err.msg, "replication 'repl-1' overlaps replication 'other': both push the topics matching 'x.*' to "
                        "peer cluster 'peer1:9092,peer2:9092' (every record would be replicated twice)");
    /* different regexes, or disjoint topics, or another peer: no conflict */
    CU_ASSERT_EQUAL(check_against("{\"direction\": \"push\", \"topics\": null, \"topics_regex\": \"y.*\"}", same_regex,
                                  1, NULL, &err),
                    0);
    CU_ASSERT_EQUAL(check_against("{\"topics\": [\"zzz\"]}", same_flow, 1, NULL, &err), 0);
    const char *other_peer[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"peer_bootstrap_servers\": \"q:9092\"}"};
    CU_ASSERT_EQUAL(check_against(NULL, other_peer, 1, NULL, &err), 0);

    /* opposite flows on one topic loop unless one side renames or adds the header */
    const char *opposite[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"direction\": \"push\", \"topics\": "
                              "[\"orders\"]}"};
    CU_ASSERT_EQUAL(check_against(NULL, opposite, 1, NULL, &err), -1);
    assert_msg(err.msg, "replication 'repl-1' and replication 'other' replicate topic 'orders' in opposite directions "
                        "between this instance and peer cluster 'peer1:9092,peer2:9092' without rename_topics or "
                        "add_source_header: records would be replicated back and forth forever");
    CU_ASSERT_EQUAL(check_against("{\"rename_topics\": true}", opposite, 1, NULL, &err), 0);
    CU_ASSERT_EQUAL(check_against("{\"add_source_header\": true}", opposite, 1, NULL, &err), 0);
    /* a mapping source counts as a selected topic */
    const char *mapped[] = {"{\"name\": \"other\", \"peer_alias\": \"Q\", \"topics\": null, \"topic_mapping\": "
                            "[{\"source\": \"orders\", \"target\": \"o2\"}]}"};
    CU_ASSERT_EQUAL(check_against(NULL, mapped, 1, NULL, &err), -1);
    assert_msg(err.msg, "replication 'repl-1' overlaps replication 'other': both pull topic 'orders' from peer cluster "
                        "'peer1:9092,peer2:9092' (every record would be replicated twice)");
}

/* ---- connectors ------------------------------------------------------------------------------- */

static void assert_common(const kc_props *p, const char *name, const char *cls, const char *src, const char *dst)
{
    assert_key(p, "name", name);
    assert_key(p, "connector.class", cls);
    assert_key(p, "source.cluster.alias", src);
    assert_key(p, "target.cluster.alias", dst);
    assert_key(p, "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    assert_key(p, "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    assert_key(p, "header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
}

static void test_connectors_pull(void)
{
    kc_replication_connectors c;
    build(NULL, &c);
    CU_ASSERT_EQUAL(c.count, 2);
    CU_ASSERT_STRING_EQUAL(c.initial_state, "RUNNING");
    CU_ASSERT_STRING_EQUAL(c.items[0].name, "repl-1-source-P-L");
    CU_ASSERT_EQUAL(c.items[0].kind, KC_REPLICATION_SOURCE_CONNECTOR);
    CU_ASSERT_STRING_EQUAL(c.items[0].flow_source, "P");
    CU_ASSERT_STRING_EQUAL(c.items[0].flow_target, "L");
    CU_ASSERT_STRING_EQUAL(c.items[1].name, "repl-1-heartbeat-P-L");
    CU_ASSERT_EQUAL(c.items[1].kind, KC_REPLICATION_HEARTBEAT_CONNECTOR);

    const kc_props *p = config_of(&c, "repl-1-source-P-L");
    assert_common(p, "repl-1-source-P-L", "org.apache.kafka.connect.mirror.MirrorSourceConnector", "P", "L");
    assert_key(p, "source.cluster.bootstrap.servers", "peer1:9092,peer2:9092");
    assert_key(p, "source.cluster.security.protocol", "PLAINTEXT");
    assert_key(p, "source.cluster.sasl.jaas.config", NULL);
    assert_key(p, "target.cluster.bootstrap.servers", "local1:9092");
    assert_key(p, "target.cluster.security.protocol", "SASL_PLAINTEXT");
    assert_key(p, "target.cluster.sasl.mechanism", "SCRAM-SHA-512");
    assert_key(p, "target.cluster.sasl.jaas.config",
               "x required username=\"w\" password=\"${file:/s/w.properties:pw}\";");
    assert_key(p, "target.cluster.group.id", NULL);
    assert_key(p, "producer.override.bootstrap.servers", NULL); /* the worker's producer writes L */
    assert_key(p, "tasks.max", "2");
    assert_key(p, "topics", "orders,pay\\.ments");
    assert_key(p, "topics.exclude", ".*internal, .*\\.replica, __.*");
    assert_key(p, "replication.policy.class", "org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    assert_key(p, "replication.policy.topic.mapping", NULL);
    assert_key(p, "replication.factor", "3");
    assert_key(p, "offset-syncs.topic.location", "target");
    assert_key(p, "offset-syncs.topic.replication.factor", "3");
    assert_key(p, "emit.offset-syncs.enabled", "true");
    assert_key(p, "sync.topic.acls.enabled", "false");
    assert_key(p, "sync.topic.configs.enabled", "true");
    assert_key(p, "refresh.topics.interval.seconds", "30");
    assert_key(p, "source.consumer.auto.offset.reset", "earliest");
    assert_key(p, "producer.override.compression.type", NULL);
    assert_key(p, "config.properties.exclude", NULL);
    assert_key(p, "kc.provenance.header.enabled", NULL);

    p = config_of(&c, "repl-1-heartbeat-P-L");
    assert_common(p, "repl-1-heartbeat-P-L", "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector", "L", "P");
    assert_key(p, "target.cluster.bootstrap.servers", "peer1:9092,peer2:9092");
    assert_key(p, "source.cluster.bootstrap.servers", "local1:9092");
    assert_key(p, "producer.override.bootstrap.servers", "peer1:9092,peer2:9092"); /* it writes P's heartbeats */
    assert_key(p, "producer.override.security.protocol", "PLAINTEXT");
    assert_key(p, "tasks.max", "1");
    assert_key(p, "emit.heartbeats.enabled", "true");
    assert_key(p, "heartbeats.topic.replication.factor", "3");
    assert_key(p, "topics", NULL);
    kc_replication_connectors_free(&c);
    CU_ASSERT_EQUAL(c.count, 0);

    /* the checklist's item 73: a pull-only task puts mm2-offset-syncs.P.internal on L */
    kc_props *props = kc_props_new();
    kc_props_set(props, "source.cluster.alias", "P");
    kc_props_set(props, "target.cluster.alias", "L");
    kc_config_table t = kc_mirror_source_config_table();
    kc_error err = {0};
    kc_mirror_config *mc = kc_mirror_config_new(props, &t, 1, &err);
    CU_ASSERT_FATAL(mc != NULL);
    char *topic = kc_mirror_offset_syncs_topic_new(mc, false, &err);
    CU_ASSERT_STRING_EQUAL(topic, "mm2-offset-syncs.P.internal");
    free(topic);
    kc_mirror_config_free(mc);
    kc_props_free(props);
}

static void test_connectors_push_sasl(void)
{
    kc_replication_connectors c;
    build("{\"direction\": \"push\", \"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": "
          "\"SCRAM-SHA-512\", \"peer_username\": \"rep\\\"user\", \"peer_password\": \"s3cret\", "
          "\"peer_ca_certificate\": \"/etc/kconnect/peer-ca.pem\", \"start_immediately\": false}",
          &c);
    CU_ASSERT_EQUAL(c.count, 2);
    CU_ASSERT_STRING_EQUAL(c.initial_state, "STOPPED");
    CU_ASSERT_STRING_EQUAL(c.items[0].name, "repl-1-source-L-P");
    CU_ASSERT_STRING_EQUAL(c.items[1].name, "repl-1-heartbeat-L-P");
    const char *jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"rep\\\"user\" "
                       "password=\"${file:/var/lib/kconnect/secrets/repl-1.properties:repl-1.peer.password}\";";
    const kc_props *p = config_of(&c, "repl-1-source-L-P");
    assert_common(p, "repl-1-source-L-P", "org.apache.kafka.connect.mirror.MirrorSourceConnector", "L", "P");
    assert_key(p, "source.cluster.bootstrap.servers", "local1:9092");
    assert_key(p, "target.cluster.bootstrap.servers", "peer1:9092,peer2:9092");
    assert_key(p, "target.cluster.security.protocol", "SASL_SSL");
    assert_key(p, "target.cluster.sasl.mechanism", "SCRAM-SHA-512");
    assert_key(p, "target.cluster.sasl.jaas.config", jaas);
    assert_key(p, "target.cluster.ssl.truststore.type", "PEM");
    assert_key(p, "target.cluster.ssl.truststore.location", "/etc/kconnect/peer-ca.pem");
    assert_key(p, "target.cluster.ssl.truststore.certificates", NULL);
    assert_key(p, "target.cluster.ssl.endpoint.identification.algorithm", "https");
    /* the records go to P: Java Connect needs the producer override, kconnect honours it too */
    assert_key(p, "producer.override.bootstrap.servers", "peer1:9092,peer2:9092");
    assert_key(p, "producer.override.security.protocol", "SASL_SSL");
    assert_key(p, "producer.override.sasl.mechanism", "SCRAM-SHA-512");
    assert_key(p, "producer.override.sasl.jaas.config", jaas);
    assert_key(p, "producer.override.ssl.truststore.location", "/etc/kconnect/peer-ca.pem");
    assert_key(p, "offset-syncs.topic.location", "source");
    assert_key(p, "replication.policy.class", "org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    /* no password anywhere in clear */
    for (size_t i = 0; i < c.count; i++)
        for (size_t k = 0; k < kc_props_count(c.items[i].config); k++)
            CU_ASSERT_PTR_NULL(strstr(kc_props_value_at(c.items[i].config, k), "s3cret"));

    p = config_of(&c, "repl-1-heartbeat-L-P");
    assert_common(p, "repl-1-heartbeat-L-P", "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector", "P", "L");
    assert_key(p, "target.cluster.bootstrap.servers", "local1:9092");
    assert_key(p, "producer.override.bootstrap.servers", NULL);
    kc_replication_connectors_free(&c);

    /* PLAIN, inline PEM */
    build("{\"peer_security_protocol\": \"SASL_SSL\", \"peer_sasl_mechanism\": \"PLAIN\", \"peer_username\": \"u\", "
          "\"peer_password\": \"p\", \"peer_ca_certificate\": \"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END "
          "CERTIFICATE-----\\n\"}",
          &c);
    p = config_of(&c, "repl-1-source-P-L");
    assert_key(p, "source.cluster.sasl.jaas.config",
               "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
               "password=\"${file:/var/lib/kconnect/secrets/repl-1.properties:repl-1.peer.password}\";");
    assert_key(p, "source.cluster.ssl.truststore.type", "PEM");
    assert_key(p, "source.cluster.ssl.truststore.certificates",
               "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    assert_key(p, "source.cluster.ssl.truststore.location", NULL);
    kc_replication_connectors_free(&c);
}

static void test_connectors_both(void)
{
    kc_replication_connectors c;
    build("{\"direction\": \"both\", \"sync_consumer_offsets\": true}", &c);
    CU_ASSERT_EQUAL(c.count, 6);
    const char *names[] = {"repl-1-source-P-L", "repl-1-checkpoint-P-L", "repl-1-heartbeat-P-L",
                           "repl-1-source-L-P", "repl-1-checkpoint-L-P", "repl-1-heartbeat-L-P"};
    for (size_t i = 0; i < 6 && i < c.count; i++)
        CU_ASSERT_STRING_EQUAL(c.items[i].name, names[i]);
    /* both flows keep their offset syncs at their source: never one shared topic (spec 8.3) */
    assert_key(config_of(&c, "repl-1-source-P-L"), "offset-syncs.topic.location", "source");
    assert_key(config_of(&c, "repl-1-checkpoint-P-L"), "offset-syncs.topic.location", "source");
    assert_key(config_of(&c, "repl-1-source-L-P"), "offset-syncs.topic.location", "source");
    assert_key(config_of(&c, "repl-1-checkpoint-L-P"), "offset-syncs.topic.location", "source");
    /* the header is on by default for both */
    assert_key(config_of(&c, "repl-1-source-P-L"), "kc.provenance.header.enabled", "true");
    assert_key(config_of(&c, "repl-1-source-L-P"), "kc.provenance.header.enabled", "true");
    assert_key(config_of(&c, "repl-1-source-L-P"), "tasks.max", "2");
    kc_replication_connectors_free(&c);

    /* the names of every connector a task may have, for deletion */
    kc_replication_spec *s = spec_with("{\"direction\": \"both\"}");
    char **v;
    size_t n;
    kc_error err = {0};
    CU_ASSERT_EQUAL_FATAL(kc_replication_connector_names(s, &v, &n, &err), 0);
    CU_ASSERT_EQUAL_FATAL(n, 6);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_STRING_EQUAL(v[i], names[i]);
    kc_replication_names_free(v, n);
    kc_replication_spec_free(s);
}

static void test_connectors_rename_and_mapping(void)
{
    kc_replication_connectors c;
    build("{\"rename_topics\": true}", &c);
    assert_key(config_of(&c, "repl-1-source-P-L"), "replication.policy.class",
               "org.apache.kafka.connect.mirror.DefaultReplicationPolicy");
    assert_key(config_of(&c, "repl-1-heartbeat-P-L"), "replication.policy.class",
               "org.apache.kafka.connect.mirror.DefaultReplicationPolicy");
    kc_replication_connectors_free(&c);

    build("{\"topics\": [\"orders\", \"x.y\"], \"topic_mapping\": [{\"source\": \"orders\", \"target\": "
          "\"orders_bak\"}, {\"source\": \"a.b\", \"target\": \"c\"}], \"sync_consumer_offsets\": true}",
          &c);
    const kc_props *p = config_of(&c, "repl-1-source-P-L");
    assert_key(p, "replication.policy.class", "io.kconnect.mirror.MappingReplicationPolicy");
    assert_key(p, "replication.policy.topic.mapping", "orders:orders_bak,a.b:c");
    assert_key(p, "topics", "orders,x\\.y,a\\.b");
    p = config_of(&c, "repl-1-checkpoint-P-L");
    assert_key(p, "replication.policy.class", "io.kconnect.mirror.MappingReplicationPolicy");
    assert_key(p, "replication.policy.topic.mapping", "orders:orders_bak,a.b:c");
    assert_key(p, "topics", "orders,x\\.y,a\\.b");
    kc_replication_connectors_free(&c);

    /* a regex with a mapping: the mapping sources are added to the regex */
    build("{\"topics\": null, \"topics_regex\": \"inv.*\", \"topic_mapping\": [{\"source\": \"orders\", \"target\": "
          "\"o2\"}]}",
          &c);
    assert_key(config_of(&c, "repl-1-source-P-L"), "topics", "inv.*,orders");
    kc_replication_connectors_free(&c);
    build("{\"topics\": null, \"topics_regex\": \"inv.*\"}", &c);
    assert_key(config_of(&c, "repl-1-source-P-L"), "topics", "inv.*");
    kc_replication_connectors_free(&c);
}

static void test_connectors_options(void)
{
    kc_replication_connectors c;
    build("{\"compression\": \"zstd\", \"start_offset\": \"latest\", \"tasks\": 5, \"replicas\": 2, "
          "\"add_source_header\": true}",
          &c);
    const kc_props *p = config_of(&c, "repl-1-source-P-L");
    assert_key(p, "producer.override.compression.type", "zstd");
    assert_key(p, "config.properties.exclude",
               "follower.replication.throttled.replicas, leader.replication.throttled.replicas, "
               "message.timestamp.difference.max.ms, log.message.timestamp.before.max.ms, "
               "log.message.timestamp.after.max.ms, message.timestamp.type, unclean.leader.election.enable, "
               "min.insync.replicas, compression\\.type");
    /* "latest" is applied as stored offsets at creation (spec 8.5), the consumer resets to earliest */
    assert_key(p, "source.consumer.auto.offset.reset", "earliest");
    assert_key(p, "tasks.max", "5");
    assert_key(p, "replication.factor", "2");
    assert_key(p, "kc.provenance.header.enabled", "true");
    kc_replication_connectors_free(&c);

    /* sync consumer offsets: a checkpoint connector with the source connector's selection */
    build("{\"sync_consumer_offsets\": true, \"sync_interval_seconds\": 15}", &c);
    CU_ASSERT_EQUAL(c.count, 3);
    p = config_of(&c, "repl-1-checkpoint-P-L");
    assert_common(p, "repl-1-checkpoint-P-L", "org.apache.kafka.connect.mirror.MirrorCheckpointConnector", "P", "L");
    assert_key(p, "source.cluster.bootstrap.servers", "peer1:9092,peer2:9092");
    assert_key(p, "target.cluster.bootstrap.servers", "local1:9092");
    assert_key(p, "tasks.max", "1");
    assert_key(p, "topics", "orders,pay\\.ments");
    assert_key(p, "topics.exclude", ".*internal, .*\\.replica, __.*");
    assert_key(p, "offset-syncs.topic.location", "target");
    assert_key(p, "emit.offset-syncs.enabled", "true");
    assert_key(p, "groups", ".*");
    assert_key(p, "emit.checkpoints.interval.seconds", "15");
    assert_key(p, "sync.group.offsets.enabled", "true");
    assert_key(p, "sync.group.offsets.interval.seconds", "15");
    assert_key(p, "checkpoints.topic.replication.factor", "3");
    assert_key(p, "replication.policy.class", "org.apache.kafka.connect.mirror.IdentityReplicationPolicy");
    kc_replication_connectors_free(&c);

    /* broker counts bound the internal topics' replication factors; a read-only peer gets no heartbeats */
    kc_replication_spec *s = spec_with("{\"direction\": \"both\", \"sync_consumer_offsets\": true}");
    kc_props *local = local_connection();
    kc_replication_env env = {.local_connection = local, .local_brokers = 2, .peer_brokers = 1, .peer_read_only = true};
    kc_error err = {0};
    CU_ASSERT_EQUAL_FATAL(kc_replication_connectors_build(s, &env, &c, &err), 0);
    CU_ASSERT_EQUAL(c.count, 5);
    CU_ASSERT_PTR_NULL(kc_replication_connectors_find(&c, "repl-1-heartbeat-P-L"));
    assert_key(config_of(&c, "repl-1-source-P-L"), "replication.factor", "2");
    assert_key(config_of(&c, "repl-1-source-P-L"), "offset-syncs.topic.replication.factor", "1"); /* on P */
    assert_key(config_of(&c, "repl-1-source-L-P"), "replication.factor", "1");
    assert_key(config_of(&c, "repl-1-source-L-P"), "offset-syncs.topic.replication.factor", "2"); /* on L */
    assert_key(config_of(&c, "repl-1-checkpoint-P-L"), "checkpoints.topic.replication.factor", "2");
    assert_key(config_of(&c, "repl-1-checkpoint-L-P"), "checkpoints.topic.replication.factor", "1");
    assert_key(config_of(&c, "repl-1-heartbeat-L-P"), "heartbeats.topic.replication.factor", "2");
    kc_replication_connectors_free(&c);
    kc_replication_spec_free(s);

    /* the env is checked */
    s = spec_with(SASL);
    env = (kc_replication_env){.local_connection = local};
    CU_ASSERT_EQUAL(kc_replication_connectors_build(s, &env, &c, &err), -1);
    assert_msg(err.msg, "the peer password of replication 'repl-1' must be given as a config provider reference "
                        "${provider:path:key} (it is never stored in clear)");
    CU_ASSERT_EQUAL(c.count, 0);
    env.peer_password_ref = "s3cret";
    CU_ASSERT_EQUAL(kc_replication_connectors_build(s, &env, &c, &err), -1);
    CU_ASSERT_PTR_NULL(strstr(err.msg, "s3cret"));
    env.local_connection = NULL;
    CU_ASSERT_EQUAL(kc_replication_connectors_build(s, &env, &c, &err), -1);
    assert_msg(err.msg, "the local cluster's connection settings (bootstrap.servers at least) are required");
    kc_replication_spec_free(s);
    kc_props_free(local);

    char *key = kc_replication_password_key_new("repl-1");
    char *ref = kc_replication_file_secret_ref_new("/var/lib/kconnect/secrets/repl-1.properties", key);
    CU_ASSERT_STRING_EQUAL(key, "repl-1.peer.password");
    CU_ASSERT_STRING_EQUAL(ref, "${file:/var/lib/kconnect/secrets/repl-1.properties:repl-1.peer.password}");
    free(key);
    free(ref);
}

/* The produced configs parse with kconnect's own MirrorMaker 2 tables (the policy is built too). */
static void test_connectors_parse_as_mirror_configs(void)
{
    kc_replication_connectors c;
    build("{\"direction\": \"both\", \"sync_consumer_offsets\": true, \"compression\": \"gzip\", \"topic_mapping\": "
          "[{\"source\": \"orders\", \"target\": \"orders_bak\"}]}",
          &c);
    kc_config_table t = kc_mirror_source_config_table();
    kc_error err = {0};
    kc_mirror_config *mc = kc_mirror_config_new(config_of(&c, "repl-1-source-P-L"), &t, 1, &err);
    if (!mc)
        fprintf(stderr, "\n%s\n", err.msg);
    CU_ASSERT_FATAL(mc != NULL);
    CU_ASSERT_STRING_EQUAL(kc_mirror_policy_class_name(mc->policy), KC_MIRROR_MAPPING_POLICY_CLASS);
    char *out = NULL;
    CU_ASSERT_EQUAL(kc_mirror_policy_format_remote_topic(mc->policy, "P", "orders", &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out, "orders_bak");
    free(out);
    kc_mirror_source_settings st;
    kc_mirror_source_settings_read(mc, &st);
    CU_ASSERT(st.offset_syncs_at_source);
    CU_ASSERT(st.emit_offset_syncs);
    CU_ASSERT_EQUAL(st.replication_factor, 3);
    CU_ASSERT_EQUAL(st.refresh_topics_interval_ms, 30000);
    kc_mirror_config_free(mc);
    kc_replication_connectors_free(&c);
}

/* ---- MappingReplicationPolicy ----------------------------------------------------------------- */

static kc_mirror_policy *mapping_policy(const char *mapping, kc_error *err)
{
    kc_props *p = kc_props_new();
    kc_props_set(p, "replication.policy.class", "io.kconnect.mirror.MappingReplicationPolicy");
    kc_props_set(p, "source.cluster.alias", "A");
    if (mapping)
        kc_props_set(p, "replication.policy.topic.mapping", mapping);
    kc_mirror_policy *pol = kc_mirror_policy_new(p, err);
    kc_props_free(p);
    return pol;
}

static void assert_op(int rc, char *got, const char *want)
{
    CU_ASSERT_EQUAL(rc, 0);
    bool same = want ? got && strcmp(got, want) == 0 : got == NULL;
    if (!same) {
        fprintf(stderr, "\ngot %s, want %s\n", got ? got : "NULL", want ? want : "NULL");
        CU_FAIL("policy answer differs");
    }
    free(got);
}

static void test_mapping_policy(void)
{
    kc_error err = {0};
    kc_mirror_policy *p = mapping_policy(" orders:orders_bak , a.b:c ", &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_mirror_policy_class_name(p), "io.kconnect.mirror.MappingReplicationPolicy");
    char *out;
    int rc;
    rc = kc_mirror_policy_format_remote_topic(p, "A", "orders", &out, &err), assert_op(rc, out, "orders_bak");
    rc = kc_mirror_policy_format_remote_topic(p, "A", "a.b", &out, &err), assert_op(rc, out, "c");
    rc = kc_mirror_policy_format_remote_topic(p, "A", "x", &out, &err), assert_op(rc, out, "x");
    rc = kc_mirror_policy_format_remote_topic(p, "A", "heartbeats", &out, &err), assert_op(rc, out, "A.heartbeats");
    rc = kc_mirror_policy_upstream_topic(p, "orders_bak", &out, &err), assert_op(rc, out, "orders");
    rc = kc_mirror_policy_upstream_topic(p, "c", &out, &err), assert_op(rc, out, "a.b");
    rc = kc_mirror_policy_upstream_topic(p, "x", &out, &err), assert_op(rc, out, "x");
    rc = kc_mirror_policy_upstream_topic(p, "B.heartbeats", &out, &err), assert_op(rc, out, "heartbeats");
    rc = kc_mirror_policy_topic_source(p, "orders_bak", &out, &err), assert_op(rc, out, "A");
    rc = kc_mirror_policy_topic_source(p, "x", &out, &err), assert_op(rc, out, "A");
    rc = kc_mirror_policy_topic_source(p, "B.heartbeats", &out, &err), assert_op(rc, out, "B");
    rc = kc_mirror_policy_original_topic(p, "orders_bak", &out, &err), assert_op(rc, out, "orders");
    rc = kc_mirror_policy_offset_syncs_topic(p, "B", &out, &err), assert_op(rc, out, "mm2-offset-syncs.B.internal");
    rc = kc_mirror_policy_checkpoints_topic(p, "A", &out, &err), assert_op(rc, out, "A.checkpoints.internal");
    CU_ASSERT_STRING_EQUAL(kc_mirror_policy_heartbeats_topic(p), "heartbeats");
    CU_ASSERT_EQUAL(kc_mirror_policy_is_heartbeats_topic(p, "A.heartbeats", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, "mm2-offset-syncs.B.internal", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, "orders_bak", &err), 0);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_checkpoints_topic(p, "A.checkpoints.internal", &err), 1);
    kc_mirror_policy_free(p);

    /* no mapping: identity; the simple class name works too */
    p = mapping_policy(NULL, &err);
    CU_ASSERT_FATAL(p != NULL);
    rc = kc_mirror_policy_format_remote_topic(p, "A", "orders", &out, &err), assert_op(rc, out, "orders");
    kc_mirror_policy_free(p);
    CU_ASSERT(kc_mirror_policy_class_known("MappingReplicationPolicy"));
    CU_ASSERT(kc_mirror_policy_class_known(KC_MIRROR_MAPPING_POLICY_CLASS));

    /* a pair mapping a topic to itself is allowed */
    p = mapping_policy("a:a", &err);
    CU_ASSERT_FATAL(p != NULL);
    rc = kc_mirror_policy_original_topic(p, "a", &out, &err), assert_op(rc, out, "a");
    kc_mirror_policy_free(p);

    struct {
        const char *value, *msg;
    } bad[] = {
        {"orders", "Invalid value orders for configuration replication.policy.topic.mapping: 'orders' is not a "
                   "source:target pair"},
        {"a:b,:c", "Invalid value a:b,:c for configuration replication.policy.topic.mapping: ':c' is not a "
                   "source:target pair"},
        {"a:b:c", "Invalid value a:b:c for configuration replication.policy.topic.mapping: 'a:b:c' is not a "
                  "source:target pair"},
        {"a:b,a:c", "Invalid value a:b,a:c for configuration replication.policy.topic.mapping: source topic 'a' is "
                    "mapped twice"},
        {"a:c,b:c", "Invalid value a:c,b:c for configuration replication.policy.topic.mapping: target topic 'c' is "
                    "mapped twice"},
        {"a:b,b:c", "Invalid value a:b,b:c for configuration replication.policy.topic.mapping: 'b' is both a target "
                    "and the source of another pair"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_PTR_NULL(mapping_policy(bad[i].value, &err));
        CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
        assert_msg(err.msg, bad[i].msg);
    }
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"defaults", test_defaults},
        {"parse errors", test_parse_errors},
        {"JSON round trip, password masked", test_json_round_trip},
        {"validate: name and aliases", test_validate_names},
        {"validate: peer connection", test_validate_peer},
        {"validate: topics and regex", test_validate_topics},
        {"validate: topic mapping", test_validate_mapping},
        {"validate: tasks, intervals, replicas, both", test_validate_other},
        {"replicas against broker counts", test_resolve_replicas},
        {"update rules", test_update_rules},
        {"rules across tasks", test_cross_task_rules},
        {"connectors: pull", test_connectors_pull},
        {"connectors: push over SASL_SSL", test_connectors_push_sasl},
        {"connectors: both with offset sync", test_connectors_both},
        {"connectors: rename and mapping", test_connectors_rename_and_mapping},
        {"connectors: compression, start offset, sync, brokers, env", test_connectors_options},
        {"connectors parse as MirrorMaker 2 configs", test_connectors_parse_as_mirror_configs},
        {"MappingReplicationPolicy", test_mapping_policy},
        {NULL, NULL},
    };
    return kc_test_run("replication_task", cases);
}
