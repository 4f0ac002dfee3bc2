/*
 * Unit tests of connect/mirror/mirror_maker_config: MirrorMaker 2's mm2.properties turned into
 * herders, worker properties and connector configs. The expectations are those of Java's
 * MirrorMakerConfigTest and of spec mirrormaker2.md §6.3 / §9.8; the full-map cases were produced
 * by connect-mirror 4.3.1's MirrorMakerConfig.workerConfig / connectorBaseConfig for the same input.
 */
#include "connect/mirror/mirror_maker_config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kc_test.h"

/* Properties from key, value, ..., NULL. */
static kc_props *make(const char *first, ...)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    va_list ap;
    va_start(ap, first);
    for (const char *k = first; k; k = va_arg(ap, const char *))
        kc_props_set(p, k, va_arg(ap, const char *));
    va_end(ap);
    return p;
}

/* Loads a .properties text (the file syntax of mm2.properties). */
static kc_props *load(const char *text)
{
    kc_props *p = kc_props_new();
    kc_error err;
    CU_ASSERT_EQUAL_FATAL(kc_props_load_string(p, text, strlen(text), "mm2.properties", &err), 0);
    return p;
}

static void assert_value(const kc_props *p, const char *key, const char *expected)
{
    const char *v = kc_props_get(p, key);
    if (!expected) {
        CU_ASSERT_PTR_NULL(v);
        if (v)
            fprintf(stderr, "\n  %s: expected absent, got '%s'\n", key, v);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL(v);
    if (v)
        CU_ASSERT_STRING_EQUAL(v, expected);
    if (!v || strcmp(v, expected) != 0)
        fprintf(stderr, "\n  %s: expected '%s', got '%s'\n", key, expected, v ? v : "(absent)");
}

/* The herder flows of props with the targets, joined with spaces ("" on error: msg gets it). */
static void flows(const kc_props *props, char *const *targets, size_t n, char *out, size_t len, char *msg)
{
    kc_error err;
    kc_error_clear(&err);
    out[0] = msg[0] = '\0';
    kc_mm2_config *c = kc_mirror_maker_config_new(props, targets, n, &err);
    if (!c) {
        snprintf(msg, KC_ERROR_MSG_MAX, "%s", err.msg);
        return;
    }
    for (size_t i = 0; i < c->herder_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", used ? " " : "", c->herders[i].flow);
    }
    kc_mirror_maker_config_free(c);
}

/* MirrorMakerConfigTest.testClusterConfigProperties, and §9.8 (68): unknown top-level key dropped */
static void test_cluster_config_properties(void)
{
    kc_props *p = make("clusters", "a, b", "a.bootstrap.servers", "servers-one", "b.bootstrap.servers", "servers-two",
                       "security.protocol", "SSL", "replication.factor", "4", "xxx", "yyy", NULL);
    kc_props *c = kc_mirror_maker_connector_props(p, "a", "b", KC_MM2_SOURCE);
    assert_value(c, "source.cluster.bootstrap.servers", "servers-one");
    assert_value(c, "target.cluster.bootstrap.servers", "servers-two");
    assert_value(c, "security.protocol", "SSL");
    assert_value(c, "replication.factor", "4");
    assert_value(c, "xxx", NULL);
    assert_value(c, "source.cluster.xxx", NULL);
    kc_props_free(c);
    kc_props_free(p);
}

/* testReplicationConfigProperties */
static void test_replication_config_properties(void)
{
    kc_props *p = make("clusters", "a, b", "a->b.tasks.max", "123", NULL);
    kc_props *c = kc_mirror_maker_connector_props(p, "a", "b", KC_MM2_SOURCE);
    assert_value(c, "tasks.max", "123");
    kc_props_free(c);
    c = kc_mirror_maker_connector_props(p, "b", "a", KC_MM2_SOURCE);
    assert_value(c, "tasks.max", NULL);
    kc_props_free(c);
    kc_props_free(p);
}

/* testIncludesConnectorConfigProperties */
static void test_includes_connector_config_properties(void)
{
    kc_props *p = make("clusters", "a, b", "tasks.max", "100", "topics", "topic-1", "groups", "group-2",
                       "replication.policy.separator", "__", "config.properties.exclude", "property-3",
                       "metric.reporters", "FakeMetricsReporter", "topic.filter.class",
                       "org.apache.kafka.connect.mirror.DefaultTopicFilter", "xxx", "yyy", NULL);
    kc_props *c = kc_mirror_maker_connector_props(p, "source", "target", KC_MM2_SOURCE);
    assert_value(c, "tasks.max", "100");
    assert_value(c, "topics", "topic-1");
    assert_value(c, "groups", "group-2");
    assert_value(c, "config.properties.exclude", "property-3");
    assert_value(c, "metric.reporters", "FakeMetricsReporter");
    assert_value(c, "topic.filter.class", "org.apache.kafka.connect.mirror.DefaultTopicFilter");
    assert_value(c, "replication.policy.separator", "__");
    assert_value(c, "xxx", NULL);
    kc_props_free(c);
    kc_props_free(p);
}

/* testIncludesTopicFilterProperties */
static void test_includes_topic_filter_properties(void)
{
    kc_props *p = make("clusters", "a, b", "source->target.topics", "topic1, topic2", "source->target.topics.exclude",
                       "topic3", NULL);
    kc_props *c = kc_mirror_maker_connector_props(p, "source", "target", KC_MM2_SOURCE);
    assert_value(c, "topics", "topic1, topic2");
    assert_value(c, "topics.exclude", "topic3");
    kc_props_free(c);
    kc_props_free(p);
}

/* testWorkerConfigs (config providers aside: this module leaves ${...} for the worker to resolve) */
static void test_worker_configs(void)
{
    kc_props *p = make("clusters", "a, b", "config.providers", "fake", "config.providers.fake.class", "Fake",
                       "replication.policy.separator", "__", "offset.storage.replication.factor", "123",
                       "b.status.storage.replication.factor", "456", "b.producer.client.id", "client-one",
                       "b.security.protocol", "PLAINTEXT", "b.producer.security.protocol", "SASL",
                       "ssl.truststore.password", "secret1", "b.xxx", "yyy", NULL);
    kc_props *a = kc_mirror_maker_worker_props(p, "b", "a");
    assert_value(a, "client.id", "b->a");
    assert_value(a, "offset.storage.replication.factor", "123");
    assert_value(a, "replication.policy.separator", "__");
    assert_value(a, "config.providers", "fake");
    assert_value(a, "config.providers.fake.class", "Fake");
    assert_value(a, "status.storage.replication.factor", NULL);
    kc_props *b = kc_mirror_maker_worker_props(p, "a", "b");
    assert_value(b, "client.id", "a->b");
    assert_value(b, "status.storage.replication.factor", "456");
    assert_value(b, "producer.client.id", "client-one");
    assert_value(b, "producer.security.protocol", "SASL");
    assert_value(b, "consumer.security.protocol", "PLAINTEXT");
    assert_value(b, "admin.security.protocol", "PLAINTEXT");
    assert_value(b, "ssl.truststore.password", "secret1");
    assert_value(b, "producer.ssl.truststore.password", "secret1");
    assert_value(b, "replication.policy.separator", "__");
    assert_value(b, "xxx", "yyy"); /* every b.* key reaches b's workers */
    kc_props_free(a);
    kc_props_free(b);
    kc_props_free(p);
}

/* §6.3 / §9.8 (67): herder A->B defaults */
static void test_worker_defaults(void)
{
    kc_props *p = make("clusters", "A, B", "A.bootstrap.servers", "a:9092", "B.bootstrap.servers", "b:9092", NULL);
    kc_props *w = kc_mirror_maker_worker_props(p, "A", "B");
    assert_value(w, "bootstrap.servers", "b:9092");
    assert_value(w, "producer.bootstrap.servers", "b:9092");
    assert_value(w, "consumer.bootstrap.servers", "b:9092");
    assert_value(w, "admin.bootstrap.servers", "b:9092");
    assert_value(w, "client.id", "A->B");
    assert_value(w, "group.id", "A-mm2");
    assert_value(w, "offset.storage.topic", "mm2-offsets.A.internal");
    assert_value(w, "config.storage.topic", "mm2-configs.A.internal");
    assert_value(w, "status.storage.topic", "mm2-status.A.internal");
    assert_value(w, "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    assert_value(w, "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    assert_value(w, "header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    CU_ASSERT_EQUAL(kc_props_count(w), 12);
    kc_props_free(w);
    kc_props_free(p);
}

/* Pairs: testClusterPairsWithDefaultSettings, ...GloballyDisabledHeartbeats, ...TwoDisabledHeartbeats,
 * ...CentralLocal, testEmptyClusterPairsWithGloballyDisabledHeartbeats; §9.8 (65, 66). */
static void test_cluster_pairs(void)
{
    char out[512], msg[KC_ERROR_MSG_MAX];
    kc_props *p = make("clusters", "a, b, c", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "a->b a->c b->a b->c c->a c->b");
    kc_props_free(p);

    p = make("clusters", "a, b, c", "emit.heartbeats.enabled", "false", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "");
    CU_ASSERT_STRING_EQUAL(msg, "No source->target replication flows.");
    kc_props_free(p);

    p = make("clusters", "a, b, c", "a->b.emit.heartbeats.enabled", "false", "a->c.emit.heartbeats.enabled", "false",
             NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "b->a b->c c->a c->b");
    kc_props_free(p);

    p = make("clusters", "a, b, c, d, e, f", "emit.heartbeats.enabled", "false", "a->b.enabled", "true", "a->c.enabled",
             "true", "a->d.enabled", "TRUE", "a->e.enabled", "false", "a->f.enabled", "false", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "a->b a->c a->d");
    kc_props_free(p);

    p = make("clusters", "central, local_one, local_two, beats_emitter", "emit.heartbeats.enabled", "false",
             "central->local_one.enabled", "true", "central->local_two.enabled", "true",
             "beats_emitter->central.emit.heartbeats.enabled", "true", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "central->local_one central->local_two beats_emitter->central");
    kc_props_free(p);

    p = make("clusters", "A, B", "emit.heartbeats.enabled", "false", "A->B.enabled", "true", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "A->B");
    kc_props_free(p);
}

/* --clusters keeps the herders whose target is listed (MirrorMaker's constructor) */
static void test_target_filter(void)
{
    char out[512], msg[KC_ERROR_MSG_MAX];
    kc_props *p = make("clusters", "a, b, c", NULL);
    char *b[] = {"b"};
    flows(p, b, 1, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "a->b c->b");
    char *bc[] = {"c", "b"};
    flows(p, bc, 2, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(out, "a->b a->c b->c c->b");
    char *x[] = {"x"};
    flows(p, x, 1, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(msg, "No source->target replication flows.");
    kc_props_free(p);
}

/* §9.8 (65): nothing but clusters: every connector carries enabled=false, a flow's S->T.enabled=true
 * reaches all three; name, connector.class and the aliases are filled in. */
static void test_connector_defaults_and_enabled(void)
{
    kc_props *p = make("clusters", "A, B", "A->B.enabled", "true", NULL);
    kc_error err;
    kc_mm2_config *c = kc_mirror_maker_config_new(p, NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL_FATAL(c->herder_count, 2);
    CU_ASSERT_TRUE(c->herders[0].enabled);
    CU_ASSERT_FALSE(c->herders[1].enabled);
    static const char *names[] = {"MirrorSourceConnector", "MirrorHeartbeatConnector", "MirrorCheckpointConnector"};
    for (int k = 0; k < KC_MM2_CONNECTOR_COUNT; k++) {
        kc_props *ab = c->herders[0].connectors[k], *ba = c->herders[1].connectors[k];
        assert_value(ab, "enabled", "true");
        assert_value(ba, "enabled", "false");
        assert_value(ab, "name", names[k]);
        char cls[128];
        snprintf(cls, sizeof cls, "org.apache.kafka.connect.mirror.%s", names[k]);
        assert_value(ab, "connector.class", cls);
        assert_value(ab, "source.cluster.alias", "A");
        assert_value(ab, "target.cluster.alias", "B");
        assert_value(ba, "source.cluster.alias", "B");
        CU_ASSERT_EQUAL(kc_props_count(ab), 5);
    }
    kc_mirror_maker_config_free(c);
    kc_props_free(p);
}

/* testLazyConfigResolution: connector configs are not transformed */
static void test_lazy_config_resolution(void)
{
    kc_props *p = make("clusters", "a, b", "ssl.key.password", "${fake:secret:password}", "b->a.topics",
                       "${fake:secret:password}", NULL);
    kc_props *c = kc_mirror_maker_connector_props(p, "b", "a", KC_MM2_SOURCE);
    assert_value(c, "ssl.key.password", "${fake:secret:password}");
    assert_value(c, "topics", "${fake:secret:password}");
    kc_props_free(c);
    kc_props_free(p);
}

/* Java's errors at construction (testInvalidSecurityProtocol and ConfigDef's) */
static void test_errors(void)
{
    char out[512], msg[KC_ERROR_MSG_MAX];
    kc_props *p = make("clusters", "a, b, c", "security.protocol", "abc", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "security.protocol"));
    kc_props_free(p);
    p = make("security.protocol", "sasl_ssl", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(msg, "Missing required configuration \"clusters\" which has no default value.");
    kc_props_free(p);
    p = make("clusters", "", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(msg, "No source->target replication flows.");
    kc_props_free(p);
    p = make("clusters", "a, ,b", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(msg, "Configuration 'clusters' values must not be empty.");
    kc_props_free(p);
    p = make("clusters", "a,b", "dedicated.mode.enable.internal.rest", "yes", NULL);
    flows(p, NULL, 0, out, sizeof out, msg);
    CU_ASSERT_STRING_EQUAL(msg, "Invalid value yes for configuration dedicated.mode.enable.internal.rest: Expected "
                                "value to be either true or false");
    kc_props_free(p);
}

/* A whole file against connect-mirror 4.3.1's output for the same properties: cluster keys, client
 * kinds, top-level connection keys as fallback, the copied worker groups ("task" also catches
 * tasks.max), keys starting with "consumer" without a dot, and the flow overrides. */
static const char *MM2_FILE =
    "clusters = a, b\n"
    "a.bootstrap.servers = servers-one\n"
    "b.bootstrap.servers = servers-two\n"
    "security.protocol = SSL\n"
    "sasl.mechanism = PLAIN\n"
    "ssl.truststore.password = secret1\n"
    "b.security.protocol = PLAINTEXT\n"
    "b.producer.security.protocol = SASL\n"
    "b.consumer.max.poll.records = 5\n"
    "a.admin.request.timeout.ms = 9\n"
    "a.xxx = yyy\n"
    "consumerx = 1\n"
    "xxx = zzz\n"
    "tasks.max = 7\n"
    "topics = t1, t2\n"
    "replication.factor = 4\n"
    "replication.policy.separator = __\n"
    "offset.storage.replication.factor = 123\n"
    "key.converter.schemas.enable = false\n"
    "worker.sync.timeout.ms = 100\n"
    "a->b.enabled = true\n"
    "a->b.tasks.max = 123\n";

static void test_golden_connector(void)
{
    static const char *expected[][2] = {
        {"connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector"},
        {"enabled", "true"},
        {"name", "MirrorSourceConnector"},
        {"replication.factor", "4"},
        {"replication.policy.separator", "__"},
        {"sasl.mechanism", "PLAIN"},
        {"security.protocol", "SSL"},
        {"source.admin.bootstrap.servers", "servers-one"},
        {"source.admin.request.timeout.ms", "9"},
        {"source.admin.sasl.mechanism", "PLAIN"},
        {"source.admin.security.protocol", "SSL"},
        {"source.admin.ssl.truststore.password", "secret1"},
        {"source.cluster.alias", "a"},
        {"source.cluster.bootstrap.servers", "servers-one"},
        {"source.cluster.sasl.mechanism", "PLAIN"},
        {"source.cluster.security.protocol", "SSL"},
        {"source.cluster.ssl.truststore.password", "secret1"},
        {"source.cluster.xxx", "yyy"},
        {"source.consumer.bootstrap.servers", "servers-one"},
        {"source.consumer.sasl.mechanism", "PLAIN"},
        {"source.consumer.security.protocol", "SSL"},
        {"source.consumer.ssl.truststore.password", "secret1"},
        {"source.producer.bootstrap.servers", "servers-one"},
        {"source.producer.sasl.mechanism", "PLAIN"},
        {"source.producer.security.protocol", "SSL"},
        {"source.producer.ssl.truststore.password", "secret1"},
        {"ssl.truststore.password", "secret1"},
        {"target.admin.bootstrap.servers", "servers-two"},
        {"target.admin.sasl.mechanism", "PLAIN"},
        {"target.admin.security.protocol", "PLAINTEXT"},
        {"target.admin.ssl.truststore.password", "secret1"},
        {"target.cluster.alias", "b"},
        {"target.cluster.bootstrap.servers", "servers-two"},
        {"target.cluster.sasl.mechanism", "PLAIN"},
        {"target.cluster.security.protocol", "PLAINTEXT"},
        {"target.cluster.ssl.truststore.password", "secret1"},
        {"target.consumer.bootstrap.servers", "servers-two"},
        {"target.consumer.max.poll.records", "5"},
        {"target.consumer.sasl.mechanism", "PLAIN"},
        {"target.consumer.security.protocol", "PLAINTEXT"},
        {"target.consumer.ssl.truststore.password", "secret1"},
        {"target.producer.bootstrap.servers", "servers-two"},
        {"target.producer.sasl.mechanism", "PLAIN"},
        {"target.producer.security.protocol", "SASL"},
        {"target.producer.ssl.truststore.password", "secret1"},
        {"tasks.max", "123"},
        {"topics", "t1, t2"},
    };
    kc_props *p = load(MM2_FILE);
    kc_props *c = kc_mirror_maker_connector_props(p, "a", "b", KC_MM2_SOURCE);
    size_t n = sizeof expected / sizeof expected[0];
    for (size_t i = 0; i < n; i++)
        assert_value(c, expected[i][0], expected[i][1]);
    CU_ASSERT_EQUAL(kc_props_count(c), n);
    kc_props_free(c);
    kc_props_free(p);
}

static void test_golden_worker(void)
{
    static const char *expected[][2] = {
        {"admin.bootstrap.servers", "servers-two"},
        {"admin.sasl.mechanism", "PLAIN"},
        {"admin.security.protocol", "PLAINTEXT"},
        {"admin.ssl.truststore.password", "secret1"},
        {"bootstrap.servers", "servers-two"},
        {"client.id", "a->b"},
        {"config.storage.topic", "mm2-configs.a.internal"},
        {"consumer.bootstrap.servers", "servers-two"},
        {"consumer.max.poll.records", "5"},
        {"consumer.sasl.mechanism", "PLAIN"},
        {"consumer.security.protocol", "PLAINTEXT"},
        {"consumer.ssl.truststore.password", "secret1"},
        {"group.id", "a-mm2"},
        {"header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"},
        {"key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"},
        {"key.converter.schemas.enable", "false"},
        {"offset.storage.replication.factor", "123"},
        {"offset.storage.topic", "mm2-offsets.a.internal"},
        {"producer.bootstrap.servers", "servers-two"},
        {"producer.sasl.mechanism", "PLAIN"},
        {"producer.security.protocol", "SASL"},
        {"producer.ssl.truststore.password", "secret1"},
        {"replication.policy.separator", "__"},
        {"sasl.mechanism", "PLAIN"},
        {"security.protocol", "PLAINTEXT"},
        {"ssl.truststore.password", "secret1"},
        {"status.storage.topic", "mm2-status.a.internal"},
        {"tasks.max", "7"},
        {"value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"},
        {"worker.sync.timeout.ms", "100"},
    };
    kc_props *p = load(MM2_FILE);
    kc_props *w = kc_mirror_maker_worker_props(p, "a", "b");
    size_t n = sizeof expected / sizeof expected[0];
    for (size_t i = 0; i < n; i++)
        assert_value(w, expected[i][0], expected[i][1]);
    CU_ASSERT_EQUAL(kc_props_count(w), n);
    kc_props_free(w);
    kc_props_free(p);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"cluster config properties", test_cluster_config_properties},
        {"replication config properties", test_replication_config_properties},
        {"includes connector config properties", test_includes_connector_config_properties},
        {"includes topic filter properties", test_includes_topic_filter_properties},
        {"worker configs", test_worker_configs},
        {"worker defaults of herder A->B", test_worker_defaults},
        {"cluster pairs", test_cluster_pairs},
        {"--clusters keeps herders by target", test_target_filter},
        {"connector defaults and enabled", test_connector_defaults_and_enabled},
        {"lazy config resolution", test_lazy_config_resolution},
        {"errors", test_errors},
        {"golden connector config (4.3.1)", test_golden_connector},
        {"golden worker config (4.3.1)", test_golden_worker},
        {NULL, NULL},
    };
    return kc_test_run("mirror_maker_config", cases);
}
