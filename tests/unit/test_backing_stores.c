/* The offsets and status stores of distributed mode without a broker: client ids (ConnectUtils.
 * clientIdBase), the clients' settings (the worker's unprefixed originals), the topic settings
 * (DistributedConfig.*StorageTopicSettings), the start-up messages for blank topics, and the status
 * cache's read rules (storage spec §5.5) fed through kc_status_store_apply_record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/config/client_config.h"
#include "connect/worker/offsets.h"
#include "connect/worker/worker_config.h"
#include "kc_test.h"
#include "storage/status_store.h"
#include "storage/store_clients.h"

static kc_worker_config *worker(const char *const *extra)
{
    static const char *const base[] = {
        "bootstrap.servers", "localhost:9092",
        "key.converter", "org.apache.kafka.connect.json.JsonConverter",
        "value.converter", "org.apache.kafka.connect.json.JsonConverter",
        "group.id", "g",
        "config.storage.topic", "connect-configs",
        "offset.storage.topic", "connect-offsets",
        "status.storage.topic", "connect-status",
        NULL,
    };
    kc_props *p = kc_props_new();
    for (const char *const *kv = base; kv[0]; kv += 2)
        kc_props_set(p, kv[0], kv[1]);
    for (const char *const *kv = extra; kv && kv[0]; kv += 2)
        kc_props_set(p, kv[0], kv[1]);
    kc_error err;
    kc_error_clear(&err);
    kc_worker_config *wc = kc_worker_config_new(KC_WORKER_DISTRIBUTED, p, NULL, &err);
    kc_props_free(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wc);
    return wc;
}
#define KV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_client_ids(void)
{
    char buf[256];
    kc_worker_config *wc = worker(NULL);
    CU_ASSERT_STRING_EQUAL(kc_store_client_id_base(wc, buf, sizeof buf), "g-");
    CU_ASSERT_STRING_EQUAL(kc_store_client_id(wc, NULL, "offsets", buf, sizeof buf), "g-offsets");
    CU_ASSERT_STRING_EQUAL(kc_store_client_id(wc, NULL, "statuses", buf, sizeof buf), "g-statuses");
    CU_ASSERT_STRING_EQUAL(kc_store_client_id(wc, "base-", "offsets", buf, sizeof buf), "base-offsets");
    CU_ASSERT_STRING_EQUAL(kc_store_client_id(wc, "connect-cluster-g", "offsets", buf, sizeof buf),
                           "connect-cluster-g-offsets");
    kc_worker_config_free(wc);
    wc = worker(KV("client.id", "w1"));
    CU_ASSERT_STRING_EQUAL(kc_store_client_id_base(wc, buf, sizeof buf), "g-w1-");
    CU_ASSERT_STRING_EQUAL(kc_store_client_id(wc, NULL, "shared-admin", buf, sizeof buf), "g-w1-shared-admin");
    kc_worker_config_free(wc);
    wc = worker(KV("client.id", "  "));  /* blank: Java's trim().isEmpty() */
    CU_ASSERT_STRING_EQUAL(kc_store_client_id_base(wc, buf, sizeof buf), "g-");
    kc_worker_config_free(wc);
}

static void test_client_props(void)
{
    kc_worker_config *wc = worker(KV("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                                     "producer.security.protocol", "PLAINTEXT", "consumer.linger.ms", "7",
                                     "admin.retries", "3", "partitioner.class", "x.Y", "config.providers", "file",
                                     "client.id", "w1"));
    kc_error err;
    kc_props *p = kc_store_client_props_new(wc, "g-w1-offsets", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "bootstrap.servers"), "localhost:9092");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "security.protocol"), "SASL_SSL");  /* unprefixed wins */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "sasl.mechanism"), "SCRAM-SHA-512");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "client.id"), "g-w1-offsets");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "group.id"), "g");  /* as Java; kafka_log replaces it */
    CU_ASSERT_PTR_NULL(kc_props_get(p, "producer.security.protocol"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "consumer.linger.ms"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "admin.retries"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "partitioner.class"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "config.providers"));
    kc_props_free(p);
    kc_worker_config_free(wc);
}

/* A typical distributed worker file: every key of it reaches the internal clients (as in Java), and
 * none of them stops librdkafka from accepting the configuration. */
static void test_client_props_accepted(void)
{
    kc_worker_config *wc = worker(KV("session.timeout.ms", "10000", "heartbeat.interval.ms", "3000",
                                     "rebalance.timeout.ms", "60000", "request.timeout.ms", "40000",
                                     "metric.reporters", "org.apache.kafka.common.metrics.JmxReporter",
                                     "listeners", "http://:8083", "rest.advertised.host.name", "w1",
                                     "plugin.path", "/opt/plugins", "offset.flush.interval.ms", "10000",
                                     "config.providers", "file", "config.providers.file.class",
                                     "org.apache.kafka.common.config.provider.FileConfigProvider",
                                     "offset.storage.partitions", "25", "status.storage.partitions", "5",
                                     "connect.protocol", "sessioned", "client.id", "w1"));
    kc_error err;
    kc_props *p = kc_store_client_props_new(wc, "g-w1-statuses", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    static const kc_client_kind kinds[] = {KC_CLIENT_PRODUCER, KC_CLIENT_CONSUMER, KC_CLIENT_ADMIN};
    for (size_t i = 0; i < 3; i++) {
        kc_error_clear(&err);
        rd_kafka_conf_t *conf = kc_client_conf_new(p, kinds[i], NULL, NULL, &err);
        CU_ASSERT_PTR_NOT_NULL(conf);
        if (!conf)
            printf("\n    kind %d: %s\n", (int)kinds[i], err.msg);
        else
            rd_kafka_conf_destroy(conf);
    }
    kc_props_free(p);
    kc_worker_config_free(wc);
}

static void test_topic_settings(void)
{
    kc_worker_config *wc = worker(KV("offset.storage.partitions", "7", "offset.storage.replication.factor", "1",
                                     "offset.storage.cleanup.policy", "delete", "offset.storage.min.insync.replicas",
                                     "1", "offset.storage.segment.ms", "60000", "status.storage.retention.ms", "5"));
    kc_error err;
    kc_props *t = kc_store_topic_settings_new(wc, "offset.storage.", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(kc_props_count(t), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(t, "min.insync.replicas"), "1");
    CU_ASSERT_STRING_EQUAL(kc_props_get(t, "segment.ms"), "60000");
    CU_ASSERT_PTR_NULL(kc_props_get(t, "cleanup.policy"));
    CU_ASSERT_PTR_NULL(kc_props_get(t, "topic"));
    kc_props_free(t);
    t = kc_store_topic_settings_new(wc, "status.storage.", &err);
    CU_ASSERT_EQUAL(kc_props_count(t), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(t, "retention.ms"), "5");
    kc_props_free(t);
    kc_kafka_log_topic_spec spec;
    memset(&spec, 0, sizeof spec);
    kc_store_topic_spec_timeouts(wc, &spec);
    CU_ASSERT_EQUAL(spec.create_timeout_ms, 60000);
    CU_ASSERT_EQUAL(spec.retry_backoff_ms, 100);
    kc_worker_config_free(wc);
    wc = worker(KV("default.api.timeout.ms", "12000", "retry.backoff.ms", "250"));
    kc_store_topic_spec_timeouts(wc, &spec);
    CU_ASSERT_EQUAL(spec.create_timeout_ms, 12000);
    CU_ASSERT_EQUAL(spec.retry_backoff_ms, 250);
    kc_worker_config_free(wc);
}

static void test_blank_topics(void)
{
    kc_worker_config *wc = worker(NULL);
    kc_error err;
    kc_error_clear(&err);
    wc->offset_storage_topic = " ";
    CU_ASSERT_PTR_NULL(kc_offset_store_kafka_new(wc, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Offset storage topic must be specified");
    wc->status_storage_topic = "";
    CU_ASSERT_PTR_NULL(kc_status_store_new(wc, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Must specify topic for connector status.");
    kc_worker_config_free(wc);
}

/* ---- status cache ------------------------------------------------------------------------------ */

static void rec(kc_status_store *s, const char *key, const char *value)
{
    kc_status_store_apply_record(s, key, key ? strlen(key) : 0, value, value ? strlen(value) : 0);
}

#define ST(state, worker, gen) "{\"state\":\"" state "\",\"trace\":null,\"worker_id\":\"" worker "\",\"generation\":" #gen "}"

static void expect_task(kc_status_store *s, const char *c, int task, int found, kc_state state, int32_t gen)
{
    kc_status_value v;
    CU_ASSERT_EQUAL(kc_status_store_get_task(s, c, task, &v), found);
    if (found) {
        CU_ASSERT_EQUAL(v.state, state);
        CU_ASSERT_EQUAL(v.generation, gen);
    }
    kc_status_value_clear(&v);
}

static void test_status_cache(void)
{
    kc_worker_config *wc = worker(NULL);
    kc_error err;
    kc_status_store *s = kc_status_store_new(wc, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    kc_status_value v;

    rec(s, "status-connector-my-src", ST("RUNNING", "10.0.0.5:8083", 7));
    CU_ASSERT_EQUAL(kc_status_store_get_connector(s, "my-src", &v), 1);
    CU_ASSERT_EQUAL(v.state, KC_STATE_RUNNING);
    CU_ASSERT_STRING_EQUAL(v.worker_id, "10.0.0.5:8083");
    CU_ASSERT_PTR_NULL(v.trace);
    CU_ASSERT_EQUAL(v.generation, 7);
    kc_status_value_clear(&v);
    CU_ASSERT_EQUAL(kc_status_store_get_connector(s, "other", &v), 0);

    rec(s, "status-task-my-src-1", "{\"state\":\"FAILED\",\"trace\":\"boom\\n\\tat x\",\"worker_id\":\"w2\",\"generation\":7}");
    rec(s, "status-task-my-src-0", ST("RUNNING", "w2", 7));
    CU_ASSERT_EQUAL(kc_status_store_get_task(s, "my-src", 1, &v), 1);
    CU_ASSERT_EQUAL(v.state, KC_STATE_FAILED);
    CU_ASSERT_STRING_EQUAL(v.trace, "boom\n\tat x");
    kc_status_value_clear(&v);
    /* stale UNASSIGNED (generation <= the cached RUNNING one) is ignored; a newer one is not */
    rec(s, "status-task-my-src-0", ST("UNASSIGNED", "w1", 7));
    expect_task(s, "my-src", 0, 1, KC_STATE_RUNNING, 7);
    rec(s, "status-task-my-src-0", ST("UNASSIGNED", "w1", 8));
    expect_task(s, "my-src", 0, 1, KC_STATE_UNASSIGNED, 8);
    /* a connector name with dashes; a malformed record changes nothing */
    rec(s, "status-task-a-b-c-12", ST("PAUSED", "w1", 1));
    expect_task(s, "a-b-c", 12, 1, KC_STATE_PAUSED, 1);
    rec(s, "status-task-my-src-0", "{\"state\":\"running\",\"worker_id\":\"w\",\"generation\":9}");
    rec(s, "status-task-my-src-x", ST("RUNNING", "w1", 9));
    rec(s, "bogus", ST("RUNNING", "w1", 9));
    rec(s, NULL, ST("RUNNING", "w1", 9));
    expect_task(s, "my-src", 0, 1, KC_STATE_UNASSIGNED, 8);

    int *ids = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(kc_status_store_tasks(s, "my-src", &ids, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(ids[0], 0);
    CU_ASSERT_EQUAL(ids[1], 1);
    free(ids);

    rec(s, "status-topic-lines:connector-my-src",
        "{\"topic\":{\"name\":\"lines\",\"connector\":\"my-src\",\"task\":0,\"discoverTimestamp\":1700000000123}}");
    rec(s, "status-topic-audit:connector-my-src",
        "{\"topic\":{\"name\":\"audit\",\"connector\":\"my-src\",\"task\":1,\"discoverTimestamp\":1}}");
    char **topics = kc_status_store_topics(s, "my-src", &n);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(topics[0], "audit");
    CU_ASSERT_STRING_EQUAL(topics[1], "lines");
    for (size_t i = 0; i < n; i++)
        free(topics[i]);
    free(topics);
    rec(s, "status-topic-audit:connector-my-src", NULL);
    topics = kc_status_store_topics(s, "my-src", &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_STRING_EQUAL(topics[0], "lines");
    free(topics[0]);
    free(topics);

    /* a task tombstone drops the task */
    rec(s, "status-task-my-src-1", NULL);
    expect_task(s, "my-src", 1, 0, KC_STATE_UNASSIGNED, 0);
    /* a connector tombstone drops the connector and every task of it, not its active topics */
    rec(s, "status-connector-my-src", NULL);
    CU_ASSERT_EQUAL(kc_status_store_get_connector(s, "my-src", &v), 0);
    expect_task(s, "my-src", 0, 0, KC_STATE_UNASSIGNED, 0);
    CU_ASSERT_EQUAL(kc_status_store_tasks(s, "my-src", &ids, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(ids);
    topics = kc_status_store_topics(s, "my-src", &n);
    CU_ASSERT_EQUAL(n, 1);
    for (size_t i = 0; i < n; i++)
        free(topics[i]);
    free(topics);
    expect_task(s, "a-b-c", 12, 1, KC_STATE_PAUSED, 1);
    CU_ASSERT_PTR_NULL(kc_status_store_topics(s, "none", &n));
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_PTR_NULL(kc_status_store_topics(NULL, "none", &n));

    /* writes before start are dropped (a warning), the cache is untouched */
    kc_status_store_put_connector(s, "x", KC_STATE_RUNNING, NULL, "w1", 1, false);
    kc_status_store_put_topic(s, "x", "t", 0, 1);
    CU_ASSERT_EQUAL(kc_status_store_get_connector(s, "x", &v), 0);
    CU_ASSERT_EQUAL(kc_status_store_flush(s, 100, &err), 0);
    kc_status_store_free(s);
    kc_worker_config_free(wc);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"client ids: <group.id>[-<client.id>]-offsets / statuses / shared-admin", test_client_ids},
        {"internal clients get the worker's unprefixed originals", test_client_props},
        {"a typical worker file's keys are accepted by all three internal clients", test_client_props_accepted},
        {"topic settings: prefix stripped, topic/partitions/replication.factor/cleanup.policy dropped",
         test_topic_settings},
        {"blank topics fail with Java's messages", test_blank_topics},
        {"status cache: read rules (stale UNASSIGNED, tombstones, topics)", test_status_cache},
        {NULL, NULL},
    };
    return kc_test_run("unit_backing_stores", cases);
}
