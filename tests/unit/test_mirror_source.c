/*
 * MirrorSourceConnector configuration and task assignment (connectors/mirror/mirror_config.h,
 * mirror.h). Expected client properties were printed by Kafka 4.3.1's MirrorSourceConfig
 * (sourceConsumerConfig / sourceAdminConfig / targetAdminConfig / MirrorSourceTaskConfig) on Java 17;
 * the t0/t1/t2 assignment is Java's MirrorSourceConnectorTest.testMirrorSourceConnectorTaskConfig.
 */
#include <stdlib.h>
#include <string.h>

#include "connectors/mirror/mirror.h"
#include "connectors/mirror/mirror_config.h"
#include "kc_test.h"

static kc_props *props_of(const char *const *kv)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_FATAL(p != NULL);
    for (size_t i = 0; kv && kv[i]; i += 2)
        CU_ASSERT_FATAL(kc_props_set(p, kv[i], kv[i + 1]) == 0);
    return p;
}
#define PROPS(...) props_of((const char *const[]){__VA_ARGS__, NULL})

/* p equals exactly the NULL-terminated key/value pairs (any order). */
static void assert_props(const kc_props *p, const char *const *kv)
{
    size_t n = 0;
    for (; kv[n]; n += 2) {
        const char *got = kc_props_get(p, kv[n]);
        if (!got || strcmp(got, kv[n + 1]) != 0) {
            fprintf(stderr, "\n%s: got %s, want %s\n", kv[n], got ? got : "(absent)", kv[n + 1]);
            CU_FAIL("client property differs from Java's");
        }
    }
    if (kc_props_count(p) != n / 2) {
        for (size_t i = 0; i < kc_props_count(p); i++)
            fprintf(stderr, "\n  have %s=%s", kc_props_key_at(p, i), kc_props_value_at(p, i));
        CU_FAIL("client property count differs from Java's");
    }
}
#define ASSERT_PROPS(p, ...) assert_props((p), (const char *const[]){__VA_ARGS__, NULL})

static void test_defaults(void)
{
    kc_props *p = PROPS("name", "MirrorSourceConnector", "source.cluster.alias", "A");
    kc_config_table t = kc_mirror_source_config_table();
    kc_error err;
    kc_mirror_config *c = kc_mirror_config_new(p, &t, 1, &err);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_STRING_EQUAL(c->source_alias, "A");
    CU_ASSERT_STRING_EQUAL(c->target_alias, "target");
    CU_ASSERT(c->enabled);
    CU_ASSERT_EQUAL(c->admin_timeout_ms, 60000);
    CU_ASSERT_EQUAL(c->task_index, -1);
    kc_mirror_source_settings s;
    kc_mirror_source_settings_read(c, &s);
    CU_ASSERT_EQUAL(s.consumer_poll_timeout_ms, 1000);
    CU_ASSERT_EQUAL(s.refresh_topics_interval_ms, 600000);
    CU_ASSERT_EQUAL(s.sync_topic_configs_interval_ms, 600000);
    CU_ASSERT_EQUAL(s.sync_topic_acls_interval_ms, 600000);
    CU_ASSERT_EQUAL(s.replication_factor, 2);
    CU_ASSERT_EQUAL(s.offset_syncs_replication_factor, 3);
    CU_ASSERT_EQUAL(s.offset_lag_max, 100);
    CU_ASSERT(s.offset_syncs_at_source);
    CU_ASSERT(s.emit_offset_syncs);
    CU_ASSERT(s.heartbeats_replication);
    size_t n = 0;
    char *const *ex = kc_config_get_list(c->parsed, "topics.exclude", &n);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_STRING_EQUAL(ex[0], "mm2.*\\.internal");
    CU_ASSERT_STRING_EQUAL(ex[1], ".*\\.replica");
    CU_ASSERT_STRING_EQUAL(ex[2], "__.*");
    char *topic = kc_mirror_offset_syncs_topic_new(c, true, &err);
    CU_ASSERT_STRING_EQUAL(topic, "mm2-offset-syncs.target.internal");
    free(topic);
    topic = kc_mirror_offset_syncs_topic_new(c, false, &err);
    CU_ASSERT_STRING_EQUAL(topic, "mm2-offset-syncs.A.internal");
    free(topic);
    kc_mirror_config_free(c);
    kc_props_free(p);

    /* disabled intervals, location target, a required alias */
    p = PROPS("source.cluster.alias", "A", "refresh.topics.enabled", "false", "offset-syncs.topic.location", "target",
              "replication.factor", "-1");
    c = kc_mirror_config_new(p, &t, 1, &err);
    CU_ASSERT_FATAL(c != NULL);
    kc_mirror_source_settings_read(c, &s);
    CU_ASSERT_EQUAL(s.refresh_topics_interval_ms, -1);
    CU_ASSERT(!s.offset_syncs_at_source);
    CU_ASSERT_EQUAL(s.replication_factor, -1);
    kc_mirror_config_free(c);
    kc_props_free(p);
    p = PROPS("target.cluster.alias", "B");
    CU_ASSERT(kc_mirror_config_new(p, &t, 1, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "source.cluster.alias") != NULL);
    kc_props_free(p);
    p = PROPS("source.cluster.alias", "A", "offset-syncs.topic.location", "elsewhere");
    CU_ASSERT(kc_mirror_config_new(p, &t, 1, &err) == NULL);
    kc_props_free(p);
}

static void test_client_props(void)
{
    kc_props *p = PROPS("name", "MirrorSourceConnector", "connector.class", "MirrorSourceConnector",
                        "source.cluster.alias", "A", "target.cluster.alias", "B",
                        "source.cluster.bootstrap.servers", "a:9092", "source.cluster.security.protocol", "SASL_SSL",
                        "source.cluster.isolation.level", "read_committed", "source.cluster.max.poll.records", "7",
                        "source.cluster.client.id", "cid", "target.cluster.bootstrap.servers", "b:9092",
                        "target.cluster.acks", "1", "consumer.fetch.min.bytes", "5", "consumer.auto.offset.reset",
                        "latest", "source.consumer.fetch.min.bytes", "6", "source.consumer.enable.auto.commit", "true",
                        "admin.request.timeout.ms", "1", "source.admin.request.timeout.ms", "2",
                        "target.admin.retries", "3", "producer.linger.ms", "9", "source.producer.batch.size", "10",
                        "producer.override.acks", "all", "bootstrap.servers", "top:1");
    kc_config_table t = kc_mirror_source_config_table();
    kc_error err;
    kc_mirror_config *c = kc_mirror_config_new(p, &t, 1, &err);
    CU_ASSERT_FATAL(c != NULL);
    char *label = kc_mirror_entity_label_new(c, -1);
    CU_ASSERT_STRING_EQUAL(label, "A->B|MirrorSourceConnector");
    kc_props *q = kc_mirror_client_props_new(c->originals, KC_MIRROR_CLUSTER_SOURCE, KC_MIRROR_CLIENT_CONSUMER, label,
                                             KC_MIRROR_ROLE_CONSUMER, &err);
    ASSERT_PROPS(q, "auto.offset.reset", "latest", "bootstrap.servers", "a:9092", "client.id",
                 "A->B|MirrorSourceConnector|replication-consumer", "enable.auto.commit", "false", "fetch.min.bytes",
                 "6", "security.protocol", "SASL_SSL");
    kc_props_free(q);
    q = kc_mirror_client_props_new(c->originals, KC_MIRROR_CLUSTER_SOURCE, KC_MIRROR_CLIENT_ADMIN, label,
                                   KC_MIRROR_ROLE_SOURCE_ADMIN, &err);
    ASSERT_PROPS(q, "bootstrap.servers", "a:9092", "client.id", "A->B|MirrorSourceConnector|replication-source-admin",
                 "request.timeout.ms", "2", "security.protocol", "SASL_SSL");
    kc_props_free(q);
    q = kc_mirror_client_props_new(c->originals, KC_MIRROR_CLUSTER_TARGET, KC_MIRROR_CLIENT_ADMIN, label,
                                   KC_MIRROR_ROLE_TARGET_ADMIN, &err);
    ASSERT_PROPS(q, "bootstrap.servers", "b:9092", "client.id", "A->B|MirrorSourceConnector|replication-target-admin",
                 "request.timeout.ms", "1", "retries", "3");
    kc_props_free(q);
    q = kc_mirror_client_props_new(c->originals, KC_MIRROR_CLUSTER_SOURCE, KC_MIRROR_CLIENT_PRODUCER, label,
                                   KC_MIRROR_ROLE_OFFSET_SYNCS_SOURCE_PRODUCER, &err);
    ASSERT_PROPS(q, "batch.size", "10", "bootstrap.servers", "a:9092", "client.id",
                 "A->B|MirrorSourceConnector|offset-syncs-source-producer", "linger.ms", "9", "override.acks", "all",
                 "security.protocol", "SASL_SSL");
    kc_props_free(q);
    free(label);
    label = kc_mirror_entity_label_new(c, 0);
    CU_ASSERT_STRING_EQUAL(label, "A->B|MirrorSourceConnector-0");
    free(label);
    kc_mirror_config_free(c);
    kc_props_free(p);

    /* a configured client.id is kept in front; defaults of a consumer */
    p = PROPS("name", "n", "source.cluster.alias", "A", "consumer.client.id", "cc", "source.admin.client.id", "sa");
    c = kc_mirror_config_new(p, &t, 1, &err);
    CU_ASSERT_FATAL(c != NULL);
    label = kc_mirror_entity_label_new(c, -1);
    q = kc_mirror_client_props_new(c->originals, KC_MIRROR_CLUSTER_SOURCE, KC_MIRROR_CLIENT_CONSUMER, label,
                                   KC_MIRROR_ROLE_CONSUMER, &err);
    ASSERT_PROPS(q, "auto.offset.reset", "earliest", "client.id", "cc|A->target|n|replication-consumer",
                 "enable.auto.commit", "false");
    kc_props_free(q);
    q = kc_mirror_client_props_new(c->originals, KC_MIRROR_CLUSTER_SOURCE, KC_MIRROR_CLIENT_ADMIN, label,
                                   KC_MIRROR_ROLE_SOURCE_ADMIN, &err);
    ASSERT_PROPS(q, "client.id", "sa|A->target|n|replication-source-admin");
    kc_props_free(q);
    free(label);
    kc_mirror_config_free(c);
    kc_props_free(p);
}

/* Assigns tps to max tasks and compares task.assigned.partitions of each task with want. */
static void check_assign(const kc_topic_partition *tps, size_t n, int max, const char *const *want, size_t nwant)
{
    kc_props *orig = PROPS("name", "m", "source.cluster.alias", "A");
    kc_task_configs out = {0};
    kc_error err;
    CU_ASSERT_FATAL(kc_mirror_source_assign_tasks(orig, tps, n, max, &out, &err) == 0);
    CU_ASSERT_EQUAL_FATAL(out.count, nwant);
    for (size_t i = 0; i < out.count; i++) {
        CU_ASSERT_STRING_EQUAL(kc_props_get(out.items[i], "task.assigned.partitions"), want[i]);
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        CU_ASSERT_STRING_EQUAL(kc_props_get(out.items[i], "task.index"), idx);
        CU_ASSERT_STRING_EQUAL(kc_props_get(out.items[i], "source.cluster.alias"), "A");
    }
    kc_task_configs_clear(&out);
    kc_props_free(orig);
}

static void test_assignment(void)
{
    kc_topic_partition tps[16];
    size_t n = 0;
    for (int p = 0; p < 8; p++)
        tps[n++] = (kc_topic_partition){"t0", p};
    for (int p = 0; p < 2; p++)
        tps[n++] = (kc_topic_partition){"t1", p};
    for (int p = 0; p < 2; p++)
        tps[n++] = (kc_topic_partition){"t2", p};
    const char *const java[] = {"t0-0,t0-3,t0-6,t1-1", "t0-1,t0-4,t0-7,t2-0", "t0-2,t0-5,t1-0,t2-1"};
    check_assign(tps, n, 3, java, 3);
    const char *const twenty[] = {"t0-0", "t0-1", "t0-2", "t0-3", "t0-4", "t0-5",
                                  "t0-6", "t0-7", "t1-0", "t1-1", "t2-0", "t2-1"};
    check_assign(tps, n, 20, twenty, 12);
    check_assign(tps, 0, 3, NULL, 0);
    const char *const one[] = {"t0-0,t0-1,t0-2,t0-3,t0-4,t0-5,t0-6,t0-7,t1-0,t1-1,t2-0,t2-1"};
    check_assign(tps, n, 1, one, 1);
    const char *const five[] = {"t0-0,t0-5,t2-0", "t0-1,t0-6,t2-1", "t0-2,t0-7", "t0-3,t1-0", "t0-4,t1-1"};
    check_assign(tps, n, 5, five, 5);
}

static void test_topic_partition_codec(void)
{
    kc_topic_partition *tps;
    size_t n;
    kc_error err;
    CU_ASSERT_FATAL(kc_mirror_decode_topic_partitions("my-topic-12,a-0,x.y--1", &tps, &n, &err) == 0);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_STRING_EQUAL(tps[0].topic, "my-topic");
    CU_ASSERT_EQUAL(tps[0].partition, 12);
    CU_ASSERT_STRING_EQUAL(tps[1].topic, "a");
    CU_ASSERT_EQUAL(tps[2].partition, 1);
    CU_ASSERT_STRING_EQUAL(tps[2].topic, "x.y-");
    char *enc = kc_mirror_encode_topic_partitions(tps, n);
    CU_ASSERT_STRING_EQUAL(enc, "my-topic-12,a-0,x.y--1");
    free(enc);
    kc_mirror_topic_partitions_free(tps, n);
    CU_ASSERT(kc_mirror_decode_topic_partitions("", &tps, &n, &err) == 0 && n == 0);
    CU_ASSERT(kc_mirror_decode_topic_partitions("nodash", &tps, &n, &err) == -1);
    CU_ASSERT(kc_mirror_decode_topic_partitions("t-x", &tps, &n, &err) == -1);
}

static void test_tables(void)
{
    kc_error err;
    kc_config_table t = kc_mirror_source_config_table();
    kc_config_def *def = kc_config_def_new(&t, 1, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    kc_config_def_free(def);
    t = kc_mirror_connector_config_table();
    def = kc_config_def_new(&t, 1, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    CU_ASSERT(kc_config_def_find(def, "source.cluster.alias") >= 0);
    CU_ASSERT(kc_config_def_find(def, "topics") < 0);
    kc_config_def_free(def);
    CU_ASSERT(kc_mirror_is_client_connection_key("sasl.jaas.config"));
    CU_ASSERT(!kc_mirror_is_client_connection_key("client.id"));
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"MirrorSourceConfig defaults (4.3.1)", test_defaults},
        {"client properties as Java assembles them", test_client_props},
        {"task assignment round robin", test_assignment},
        {"task.assigned.partitions encoding", test_topic_partition_codec},
        {"config tables build", test_tables},
        {NULL, NULL},
    };
    return kc_test_run("mirror_source", cases);
}
