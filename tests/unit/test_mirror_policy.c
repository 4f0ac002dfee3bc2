/*
 * MirrorMaker 2 replication policies and filters (connectors/mirror/replication_policy.h,
 * filters.h). Every expected value below was printed by Kafka 4.3.1's own classes
 * (DefaultReplicationPolicy, IdentityReplicationPolicy, DefaultTopicFilter, DefaultGroupFilter,
 * DefaultConfigPropertyFilter from connect-mirror(-client)-4.3.1.jar) on Java 17, except the
 * refusals of Java regex constructs kconnect cannot run, which are kconnect's own.
 */
#include <stdlib.h>
#include <string.h>

#include "connectors/mirror/filters.h"
#include "connectors/mirror/replication_policy.h"
#include "kc_test.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

/* A kc_props from NULL-terminated key, value pairs. */
static kc_props *props_of(const char *const *kv)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_FATAL(p != NULL);
    for (size_t i = 0; kv && kv[i]; i += 2)
        CU_ASSERT_FATAL(kc_props_set(p, kv[i], kv[i + 1]) == 0);
    return p;
}

#define PROPS(...) props_of((const char *const[]){__VA_ARGS__, NULL})

static void assert_str(const char *got, const char *want, const char *what, const char *topic)
{
    if ((got == NULL) != (want == NULL) || (got && want && strcmp(got, want) != 0)) {
        fprintf(stderr, "\n%s(\"%s\"): got %s%s%s, want %s%s%s\n", what, topic, got ? "\"" : "",
                got ? got : "NULL", got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
        CU_FAIL("policy answer differs from Java's");
    }
}

/* ---- Java's answers (Kafka 4.3.1) --------------------------------------------------------- */

typedef struct policy_config {
    const char *class_name; /* simple name; created with the FQCN */
    const char *props[6];   /* key, value pairs */
    const char *names[6];   /* heartbeatsTopic(), offsetSyncsTopic("B"), checkpointsTopic("A"),
                               formatRemoteTopic("A", "test" / "heartbeats" / "myheartbeats") */
} policy_config;

typedef struct policy_row {
    int config;
    const char *topic, *source, *upstream, *original;
    int internal, mm2_internal, checkpoints, heartbeats;
} policy_row;

static const policy_config policy_configs[] = {
    {"DefaultReplicationPolicy", {NULL}, {"heartbeats", "mm2-offset-syncs.B.internal", "A.checkpoints.internal", "A.test", "A.heartbeats", "A.myheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.separator", "__", NULL}, {"heartbeats", "mm2-offset-syncs__B__internal", "A__checkpoints__internal", "A__test", "A__heartbeats", "A__myheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.separator", "__", "replication.policy.internal.topic.separator.enabled", "false", NULL}, {"heartbeats", "mm2-offset-syncs.B.internal", "A.checkpoints.internal", "A__test", "A__heartbeats", "A__myheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.separator", "aa", NULL}, {"heartbeats", "mm2-offset-syncsaaBaainternal", "Aaacheckpointsaainternal", "Aaatest", "Aaaheartbeats", "Aaamyheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.separator", "", NULL}, {"heartbeats", "mm2-offset-syncsBinternal", "Acheckpointsinternal", "Atest", "Aheartbeats", "Amyheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.internal.topic.separator.enabled", "false", NULL}, {"heartbeats", "mm2-offset-syncs.B.internal", "A.checkpoints.internal", "A.test", "A.heartbeats", "A.myheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.separator", "-", "replication.policy.internal.topic.separator.enabled", " TRUE ", NULL}, {"heartbeats", "mm2-offset-syncs.B.internal", "A.checkpoints.internal", "A-test", "A-heartbeats", "A-myheartbeats"}},
    {"DefaultReplicationPolicy", {"replication.policy.separator", ".*", "replication.policy.internal.topic.separator.enabled", "TRUE", NULL}, {"heartbeats", "mm2-offset-syncs.*B.*internal", "A.*checkpoints.*internal", "A.*test", "A.*heartbeats", "A.*myheartbeats"}},
    {"IdentityReplicationPolicy", {NULL}, {"heartbeats", "mm2-offset-syncs.B.internal", "A.checkpoints.internal", "test", "A.heartbeats", "A.myheartbeats"}},
    {"IdentityReplicationPolicy", {"source.cluster.alias", "primary", NULL}, {"heartbeats", "mm2-offset-syncs.B.internal", "A.checkpoints.internal", "test", "A.heartbeats", "A.myheartbeats"}},
    {"IdentityReplicationPolicy", {"source.cluster.alias", "primary", "replication.policy.separator", "_", NULL}, {"heartbeats", "mm2-offset-syncs_B_internal", "A_checkpoints_internal", "test", "A_heartbeats", "A_myheartbeats"}},
};

static const policy_row policy_rows[] = {
    {0, "A.test", "A", "test", "test", 0, 0, 0, 0},
    {0, "B.A.test", "B", "A.test", "test", 0, 0, 0, 0},
    {0, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {0, "my.topic.name", "my", "topic.name", "name", 0, 0, 0, 0},
    {0, ".hidden", "", "hidden", "hidden", 1, 0, 0, 0},
    {0, "a.", NULL, NULL, "a.", 0, 0, 0, 0},
    {0, "a..b", "a", ".b", "b", 0, 0, 0, 0},
    {0, "..a", "", ".a", "a", 1, 0, 0, 0},
    {0, "", NULL, NULL, "", 0, 0, 0, 0},
    {0, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {0, "A.heartbeats", "A", "heartbeats", "heartbeats", 0, 0, 0, 1},
    {0, "x.heartbeats.y", "x", "heartbeats.y", "y", 0, 0, 0, 0},
    {0, "myheartbeats", NULL, NULL, "myheartbeats", 0, 0, 0, 0},
    {0, "A__B__t", NULL, NULL, "A__B__t", 0, 0, 0, 0},
    {0, "a___b", NULL, NULL, "a___b", 0, 0, 0, 0},
    {0, "xaaaaa", NULL, NULL, "xaaaaa", 0, 0, 0, 0},
    {0, "__consumer_offsets", NULL, NULL, "__consumer_offsets", 1, 0, 0, 0},
    {0, "mm2-offsets.CLUSTER.internal", "mm2-offsets", "CLUSTER.internal", "internal", 1, 1, 0, 0},
    {0, "mm2-offsets-CLUSTER-internal", NULL, NULL, "mm2-offsets-CLUSTER-internal", 0, 0, 0, 0},
    {0, "orders.internal", "orders", "internal", "internal", 0, 0, 0, 0},
    {0, "mm2-offset-syncs__B__internal", NULL, NULL, "mm2-offset-syncs__B__internal", 0, 0, 0, 0},
    {0, "A.checkpoints.internal", "A", "checkpoints.internal", "internal", 1, 1, 1, 0},
    {0, "A__checkpoints__internal", NULL, NULL, "A__checkpoints__internal", 0, 0, 0, 0},
    {0, "mm2x.internal", "mm2x", "internal", "internal", 1, 1, 0, 0},
    {0, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {0, "B.orders", "B", "orders", "orders", 0, 0, 0, 0},
    {1, "A.test", NULL, NULL, "A.test", 0, 0, 0, 0},
    {1, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {1, ".hidden", NULL, NULL, ".hidden", 1, 0, 0, 0},
    {1, "..a", NULL, NULL, "..a", 1, 0, 0, 0},
    {1, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {1, "A.heartbeats", NULL, NULL, "A.heartbeats", 0, 0, 0, 0},
    {1, "A__B__t", "A", "B__t", "t", 0, 0, 0, 0},
    {1, "a___b", "a", "_b", "_b", 0, 0, 0, 0},
    {1, "xaaaaa", NULL, NULL, "xaaaaa", 0, 0, 0, 0},
    {1, "mm2-offsets.CLUSTER.internal", NULL, NULL, "mm2-offsets.CLUSTER.internal", 0, 0, 0, 0},
    {1, "A__checkpoints__internal", "A", "checkpoints__internal", "internal", 1, 1, 1, 0},
    {1, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {2, "A.test", NULL, NULL, "A.test", 0, 0, 0, 0},
    {2, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {2, ".hidden", NULL, NULL, ".hidden", 1, 0, 0, 0},
    {2, "..a", NULL, NULL, "..a", 1, 0, 0, 0},
    {2, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {2, "A.heartbeats", NULL, NULL, "A.heartbeats", 0, 0, 0, 0},
    {2, "A__B__t", "A", "B__t", "t", 0, 0, 0, 0},
    {2, "a___b", "a", "_b", "_b", 0, 0, 0, 0},
    {2, "xaaaaa", NULL, NULL, "xaaaaa", 0, 0, 0, 0},
    {2, "mm2-offsets.CLUSTER.internal", NULL, NULL, "mm2-offsets.CLUSTER.internal", 1, 1, 0, 0},
    {2, "A__checkpoints__internal", "A", "checkpoints__internal", "internal", 0, 0, 0, 0},
    {2, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {3, "A.test", NULL, NULL, "A.test", 0, 0, 0, 0},
    {3, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {3, ".hidden", NULL, NULL, ".hidden", 1, 0, 0, 0},
    {3, "..a", NULL, NULL, "..a", 1, 0, 0, 0},
    {3, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {3, "A.heartbeats", NULL, NULL, "A.heartbeats", 0, 0, 0, 0},
    {3, "A__B__t", NULL, NULL, "A__B__t", 0, 0, 0, 0},
    {3, "a___b", NULL, NULL, "a___b", 0, 0, 0, 0},
    {3, "xaaaaa", "x", "aaa", "a", 0, 0, 0, 0},
    {3, "mm2-offsets.CLUSTER.internal", NULL, NULL, "mm2-offsets.CLUSTER.internal", 0, 0, 0, 0},
    {3, "A__checkpoints__internal", NULL, NULL, "A__checkpoints__internal", 0, 0, 0, 0},
    {3, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {4, "A.test", "A", ".test", "t", 0, 0, 0, 0},
    {4, "test", "t", "est", "t", 0, 0, 0, 0},
    {4, ".hidden", ".", "hidden", "n", 1, 0, 0, 0},
    {4, "..a", ".", ".a", "a", 1, 0, 0, 0},
    {4, "heartbeats", "h", "eartbeats", "s", 0, 0, 0, 0},
    {4, "A.heartbeats", "A", ".heartbeats", "s", 0, 0, 0, 0},
    {4, "A__B__t", "A", "__B__t", "t", 0, 0, 0, 0},
    {4, "a___b", "a", "___b", "b", 0, 0, 0, 0},
    {4, "xaaaaa", "x", "aaaaa", "a", 0, 0, 0, 0},
    {4, "mm2-offsets.CLUSTER.internal", "m", "m2-offsets.CLUSTER.internal", "l", 1, 1, 0, 0},
    {4, "A__checkpoints__internal", "A", "__checkpoints__internal", "l", 0, 0, 0, 0},
    {4, "source1-heartbeats", "s", "ource1-heartbeats", "s", 0, 0, 0, 0},
    {5, "A.test", "A", "test", "test", 0, 0, 0, 0},
    {5, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {5, ".hidden", "", "hidden", "hidden", 1, 0, 0, 0},
    {5, "..a", "", ".a", "a", 1, 0, 0, 0},
    {5, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {5, "A.heartbeats", "A", "heartbeats", "heartbeats", 0, 0, 0, 1},
    {5, "A__B__t", NULL, NULL, "A__B__t", 0, 0, 0, 0},
    {5, "a___b", NULL, NULL, "a___b", 0, 0, 0, 0},
    {5, "xaaaaa", NULL, NULL, "xaaaaa", 0, 0, 0, 0},
    {5, "mm2-offsets.CLUSTER.internal", "mm2-offsets", "CLUSTER.internal", "internal", 1, 1, 0, 0},
    {5, "A__checkpoints__internal", NULL, NULL, "A__checkpoints__internal", 0, 0, 0, 0},
    {5, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {6, "A.test", NULL, NULL, "A.test", 0, 0, 0, 0},
    {6, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {6, ".hidden", NULL, NULL, ".hidden", 1, 0, 0, 0},
    {6, "..a", NULL, NULL, "..a", 1, 0, 0, 0},
    {6, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {6, "A.heartbeats", NULL, NULL, "A.heartbeats", 0, 0, 0, 0},
    {6, "A__B__t", NULL, NULL, "A__B__t", 0, 0, 0, 0},
    {6, "a___b", NULL, NULL, "a___b", 0, 0, 0, 0},
    {6, "xaaaaa", NULL, NULL, "xaaaaa", 0, 0, 0, 0},
    {6, "mm2-offsets.CLUSTER.internal", "mm2", "offsets.CLUSTER.internal", "offsets.CLUSTER.internal", 1, 1, 0, 0},
    {6, "A__checkpoints__internal", NULL, NULL, "A__checkpoints__internal", 0, 0, 0, 0},
    {6, "source1-heartbeats", "source1", "heartbeats", "heartbeats", 0, 0, 0, 1},
    {7, "A.test", NULL, NULL, "A.test", 0, 0, 0, 0},
    {7, "test", NULL, NULL, "test", 0, 0, 0, 0},
    {7, ".hidden", NULL, NULL, ".hidden", 1, 0, 0, 0},
    {7, "..a", NULL, NULL, "..a", 1, 0, 0, 0},
    {7, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {7, "A.heartbeats", NULL, NULL, "A.heartbeats", 0, 0, 0, 0},
    {7, "A__B__t", NULL, NULL, "A__B__t", 0, 0, 0, 0},
    {7, "a___b", NULL, NULL, "a___b", 0, 0, 0, 0},
    {7, "xaaaaa", NULL, NULL, "xaaaaa", 0, 0, 0, 0},
    {7, "mm2-offsets.CLUSTER.internal", NULL, NULL, "mm2-offsets.CLUSTER.internal", 0, 0, 0, 0},
    {7, "A__checkpoints__internal", NULL, NULL, "A__checkpoints__internal", 0, 0, 0, 0},
    {7, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {8, "A.test", NULL, "A.test", "A.test", 0, 0, 0, 0},
    {8, "test", NULL, "test", "test", 0, 0, 0, 0},
    {8, ".hidden", NULL, ".hidden", ".hidden", 1, 0, 0, 0},
    {8, "..a", NULL, "..a", "..a", 1, 0, 0, 0},
    {8, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {8, "A.heartbeats", "A", "heartbeats", "heartbeats", 0, 0, 0, 1},
    {8, "A__B__t", NULL, "A__B__t", "A__B__t", 0, 0, 0, 0},
    {8, "a___b", NULL, "a___b", "a___b", 0, 0, 0, 0},
    {8, "xaaaaa", NULL, "xaaaaa", "xaaaaa", 0, 0, 0, 0},
    {8, "mm2-offsets.CLUSTER.internal", NULL, "mm2-offsets.CLUSTER.internal", "mm2-offsets.CLUSTER.internal", 1, 1, 0, 0},
    {8, "A__checkpoints__internal", NULL, "A__checkpoints__internal", "A__checkpoints__internal", 0, 0, 0, 0},
    {8, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {9, "A.test", "primary", "A.test", "A.test", 0, 0, 0, 0},
    {9, "test", "primary", "test", "test", 0, 0, 0, 0},
    {9, ".hidden", "primary", ".hidden", ".hidden", 1, 0, 0, 0},
    {9, "..a", "primary", "..a", "..a", 1, 0, 0, 0},
    {9, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {9, "A.heartbeats", "A", "heartbeats", "heartbeats", 0, 0, 0, 1},
    {9, "A__B__t", "primary", "A__B__t", "A__B__t", 0, 0, 0, 0},
    {9, "a___b", "primary", "a___b", "a___b", 0, 0, 0, 0},
    {9, "xaaaaa", "primary", "xaaaaa", "xaaaaa", 0, 0, 0, 0},
    {9, "mm2-offsets.CLUSTER.internal", "primary", "mm2-offsets.CLUSTER.internal", "mm2-offsets.CLUSTER.internal", 1, 1, 0, 0},
    {9, "A__checkpoints__internal", "primary", "A__checkpoints__internal", "A__checkpoints__internal", 0, 0, 0, 0},
    {9, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
    {10, "A.test", "primary", "A.test", "A.test", 0, 0, 0, 0},
    {10, "test", "primary", "test", "test", 0, 0, 0, 0},
    {10, ".hidden", "primary", ".hidden", ".hidden", 1, 0, 0, 0},
    {10, "..a", "primary", "..a", "..a", 1, 0, 0, 0},
    {10, "heartbeats", NULL, NULL, "heartbeats", 0, 0, 0, 1},
    {10, "A.heartbeats", NULL, NULL, "A.heartbeats", 0, 0, 0, 0},
    {10, "A__B__t", "primary", "A__B__t", "A__B__t", 0, 0, 0, 0},
    {10, "a___b", "primary", "a___b", "a___b", 0, 0, 0, 0},
    {10, "xaaaaa", "primary", "xaaaaa", "xaaaaa", 0, 0, 0, 0},
    {10, "mm2-offsets.CLUSTER.internal", "primary", "mm2-offsets.CLUSTER.internal", "mm2-offsets.CLUSTER.internal", 0, 0, 0, 0},
    {10, "A__checkpoints__internal", "primary", "A__checkpoints__internal", "A__checkpoints__internal", 0, 0, 0, 0},
    {10, "source1-heartbeats", NULL, NULL, "source1-heartbeats", 0, 0, 0, 0},
};

static void test_policy_java_answers(void)
{
    kc_error err;
    size_t nconfigs = sizeof policy_configs / sizeof policy_configs[0];
    for (size_t c = 0; c < nconfigs; c++) {
        const policy_config *pc = &policy_configs[c];
        kc_props *props = props_of(pc->props);
        char cls[128];
        snprintf(cls, sizeof cls, "org.apache.kafka.connect.mirror.%s", pc->class_name);
        CU_ASSERT_FATAL(kc_props_set(props, KC_MIRROR_POLICY_CLASS_CONFIG, cls) == 0);
        kc_mirror_policy *p = kc_mirror_policy_new(props, &err);
        kc_props_free(props);
        CU_ASSERT_FATAL(p != NULL);
        CU_ASSERT_STRING_EQUAL(kc_mirror_policy_class_name(p), cls);

        char *s = NULL;
        assert_str(kc_mirror_policy_heartbeats_topic(p), pc->names[0], "heartbeatsTopic", "");
        CU_ASSERT_FATAL(kc_mirror_policy_offset_syncs_topic(p, "B", &s, &err) == 0);
        assert_str(s, pc->names[1], "offsetSyncsTopic", "B");
        free(s);
        CU_ASSERT_FATAL(kc_mirror_policy_checkpoints_topic(p, "A", &s, &err) == 0);
        assert_str(s, pc->names[2], "checkpointsTopic", "A");
        free(s);
        static const char *const fmt_topics[] = {"test", "heartbeats", "myheartbeats"};
        for (int i = 0; i < 3; i++) {
            CU_ASSERT_FATAL(kc_mirror_policy_format_remote_topic(p, "A", fmt_topics[i], &s, &err) == 0);
            assert_str(s, pc->names[3 + i], "formatRemoteTopic", fmt_topics[i]);
            free(s);
        }

        for (size_t r = 0; r < sizeof policy_rows / sizeof policy_rows[0]; r++) {
            const policy_row *row = &policy_rows[r];
            if (row->config != (int)c)
                continue;
            CU_ASSERT_FATAL(kc_mirror_policy_topic_source(p, row->topic, &s, &err) == 0);
            assert_str(s, row->source, "topicSource", row->topic);
            free(s);
            CU_ASSERT_FATAL(kc_mirror_policy_upstream_topic(p, row->topic, &s, &err) == 0);
            assert_str(s, row->upstream, "upstreamTopic", row->topic);
            free(s);
            CU_ASSERT_FATAL(kc_mirror_policy_original_topic(p, row->topic, &s, &err) == 0);
            assert_str(s, row->original, "originalTopic", row->topic);
            free(s);
            CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, row->topic, &err), row->internal);
            CU_ASSERT_EQUAL(kc_mirror_policy_is_mm2_internal_topic(p, row->topic, &err), row->mm2_internal);
            CU_ASSERT_EQUAL(kc_mirror_policy_is_checkpoints_topic(p, row->topic, &err), row->checkpoints);
            CU_ASSERT_EQUAL(kc_mirror_policy_is_heartbeats_topic(p, row->topic, &err), row->heartbeats);
        }
        kc_mirror_policy_free(p);
    }
}

/* The checklist items of spec §9.2 as Kafka 4.3.1 answers them (item 21 changed since 4.0:
 * "-internal" and plain ".internal" names are no longer internal). */
static void test_policy_checklist(void)
{
    kc_error err;
    kc_props *props = kc_props_new();
    kc_mirror_policy *p = kc_mirror_policy_new(props, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_mirror_policy_class_name(p), KC_MIRROR_DEFAULT_POLICY_CLASS);
    static const struct { const char *topic; int yes; } hb[] = {
        {"heartbeats", 1}, {"source1.heartbeats", 1}, {"source2.source1.heartbeats", 1}, {"heartbeats!", 0},
        {"!heartbeats", 0}, {"source1heartbeats", 0}, {"source1-heartbeats", 0}};
    for (size_t i = 0; i < sizeof hb / sizeof hb[0]; i++)
        CU_ASSERT_EQUAL(kc_mirror_policy_is_heartbeats_topic(p, hb[i].topic, &err), hb[i].yes);
    static const struct { const char *topic; int yes; } cp[] = {
        {"source1.checkpoints.internal", 1}, {"checkpoints.internal", 0}, {"checkpoints-internal", 0},
        {"checkpoints.internal!", 0}, {"!checkpoints.internal", 0}, {"source1checkpointsinternal", 0}};
    for (size_t i = 0; i < sizeof cp / sizeof cp[0]; i++)
        CU_ASSERT_EQUAL(kc_mirror_policy_is_checkpoints_topic(p, cp[i].topic, &err), cp[i].yes);
    static const struct { const char *topic; int yes; } in[] = {
        {"__consumer_offsets", 1}, {".hiddentopic", 1}, {"mm2-offsets.CLUSTER.internal", 1},
        {"mm2-offsets-CLUSTER-internal", 0}, {"mm2-offsets_CLUSTER_internal", 0}, {"ordersinternal", 0},
        {"mm2-configs.A.internal", 1}, {"connect-offsets.internal", 0}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, in[i].topic, &err), in[i].yes);
    kc_mirror_policy_free(p);

    /* Identity with alias "primary" (item 24) */
    CU_ASSERT_FATAL(kc_props_set(props, KC_MIRROR_POLICY_CLASS_CONFIG, "IdentityReplicationPolicy") == 0);
    CU_ASSERT_FATAL(kc_props_set(props, KC_MIRROR_POLICY_SOURCE_ALIAS_CONFIG, "primary") == 0);
    p = kc_mirror_policy_new(props, &err);
    CU_ASSERT_FATAL(p != NULL);
    char *s;
    CU_ASSERT(kc_mirror_policy_format_remote_topic(p, "primary", "topic1", &s, &err) == 0);
    assert_str(s, "topic1", "formatRemoteTopic", "topic1");
    free(s);
    CU_ASSERT(kc_mirror_policy_topic_source(p, "topic1", &s, &err) == 0);
    assert_str(s, "primary", "topicSource", "topic1");
    free(s);
    CU_ASSERT(kc_mirror_policy_format_remote_topic(p, "backup", "heartbeats", &s, &err) == 0);
    assert_str(s, "backup.heartbeats", "formatRemoteTopic", "heartbeats");
    free(s);
    CU_ASSERT(kc_mirror_policy_topic_source(p, "backup.heartbeats", &s, &err) == 0);
    assert_str(s, "backup", "topicSource", "backup.heartbeats");
    free(s);
    kc_mirror_policy_free(p);

    /* an empty separator splits between characters: the source is the first one */
    CU_ASSERT_FATAL(kc_props_set(props, KC_MIRROR_POLICY_CLASS_CONFIG, "DefaultReplicationPolicy") == 0);
    CU_ASSERT_FATAL(kc_props_set(props, KC_MIRROR_POLICY_SEPARATOR_CONFIG, "") == 0);
    p = kc_mirror_policy_new(props, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT(kc_mirror_policy_topic_source(p, "\xc3\xa9x", &s, &err) == 0);
    assert_str(s, "\xc3\xa9", "topicSource", "\xc3\xa9x");
    free(s);
    CU_ASSERT(kc_mirror_policy_topic_source(p, "\xc3\xa9", &s, &err) == 0);
    assert_str(s, NULL, "topicSource", "\xc3\xa9");
    CU_ASSERT(kc_mirror_policy_upstream_topic(p, "ab", &s, &err) == 0);
    assert_str(s, "b", "upstreamTopic", "ab");
    free(s);
    kc_mirror_policy_free(p);
    kc_props_free(props);
}

static void test_policy_class_names(void)
{
    kc_error err;
    kc_props *props = PROPS(KC_MIRROR_POLICY_CLASS_CONFIG, " \tIdentityReplicationPolicy ",
                            KC_MIRROR_POLICY_SOURCE_ALIAS_CONFIG, "A");
    kc_mirror_policy *p = kc_mirror_policy_new(props, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_mirror_policy_class_name(p), KC_MIRROR_IDENTITY_POLICY_CLASS);
    kc_mirror_policy_free(p);
    kc_props_free(props);

    props = PROPS(KC_MIRROR_POLICY_CLASS_CONFIG, "com.example.MyPolicy");
    CU_ASSERT(kc_mirror_policy_new(props, &err) == NULL);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value com.example.MyPolicy for configuration replication.policy.class: "
                                    "Class com.example.MyPolicy could not be found. kconnect provides "
                                    "org.apache.kafka.connect.mirror.DefaultReplicationPolicy, "
                                    "org.apache.kafka.connect.mirror.IdentityReplicationPolicy and "
                                    "io.kconnect.mirror.MappingReplicationPolicy");
    kc_props_free(props);

    CU_ASSERT(kc_mirror_policy_class_known(KC_MIRROR_DEFAULT_POLICY_CLASS));
    CU_ASSERT(kc_mirror_policy_class_known("IdentityReplicationPolicy"));
    CU_ASSERT(!kc_mirror_policy_class_known("org.apache.kafka.connect.mirror.ReplicationPolicy"));
    CU_ASSERT(!kc_mirror_policy_class_known(NULL));
}

/* ---- a custom policy: explicit topic mapping over a default policy -------------------------- */

typedef struct mapping_state {
    kc_mirror_policy *inner; /* DefaultReplicationPolicy */
    const char *source_alias, *from, *to;
} mapping_state;

static int mapping_frees;

static void mapping_free(void *state)
{
    mapping_state *m = state;
    mapping_frees++;
    if (m)
        kc_mirror_policy_free(m->inner);
    free(m);
}

static int mapping_format(const kc_mirror_policy *p, const char *alias, const char *topic, char **out, kc_error *err)
{
    const mapping_state *m = kc_mirror_policy_state(p);
    if (strcmp(alias, m->source_alias) == 0 && strcmp(topic, m->from) == 0)
        return (*out = strdup(m->to)) ? 0 : -1;
    return kc_mirror_policy_format_remote_topic(m->inner, alias, topic, out, err);
}

static int mapping_source(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    const mapping_state *m = kc_mirror_policy_state(p);
    if (strcmp(topic, m->to) == 0)
        return (*out = strdup(m->source_alias)) ? 0 : -1;
    return kc_mirror_policy_topic_source(m->inner, topic, out, err);
}

static int mapping_upstream(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    const mapping_state *m = kc_mirror_policy_state(p);
    if (strcmp(topic, m->to) == 0)
        return (*out = strdup(m->from)) ? 0 : -1;
    return kc_mirror_policy_upstream_topic(m->inner, topic, out, err);
}

static const char *mapping_heartbeats(const kc_mirror_policy *p)
{
    (void)p;
    return "hb";
}

static const kc_mirror_policy_ops mapping_ops = {
    .class_name = "com.example.MappingPolicy",
    .format_remote_topic = mapping_format,
    .topic_source = mapping_source,
    .upstream_topic = mapping_upstream,
    .heartbeats_topic = mapping_heartbeats,
    .free_state = mapping_free,
};

static int endless_upstream(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    (void)p;
    (void)err;
    size_t n = strlen(topic);
    *out = malloc(n + 2);
    memcpy(*out, topic, n);
    memcpy(*out + n, "x", 2);
    return 0;
}

static void test_custom_policy(void)
{
    kc_error err;
    kc_props *empty = kc_props_new();
    mapping_state *m = calloc(1, sizeof *m);
    m->inner = kc_mirror_policy_new(empty, &err);
    m->source_alias = "A";
    m->from = "orders";
    m->to = "orders-dr";
    kc_mirror_policy *p = kc_mirror_policy_new_custom(&mapping_ops, m, &err);
    CU_ASSERT_FATAL(p != NULL);
    char *s;
    CU_ASSERT(kc_mirror_policy_format_remote_topic(p, "A", "orders", &s, &err) == 0);
    assert_str(s, "orders-dr", "formatRemoteTopic", "orders");
    free(s);
    CU_ASSERT(kc_mirror_policy_format_remote_topic(p, "A", "payments", &s, &err) == 0);
    assert_str(s, "A.payments", "formatRemoteTopic", "payments");
    free(s);
    /* the interface defaults dispatch through the custom ops */
    CU_ASSERT(kc_mirror_policy_original_topic(p, "orders-dr", &s, &err) == 0);
    assert_str(s, "orders", "originalTopic", "orders-dr");
    free(s);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_heartbeats_topic(p, "B.hb", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_heartbeats_topic(p, "B.heartbeats", &err), 0);
    CU_ASSERT(kc_mirror_policy_offset_syncs_topic(p, "B", &s, &err) == 0);
    assert_str(s, "mm2-offset-syncs.B.internal", "offsetSyncsTopic", "B");
    free(s);
    CU_ASSERT(kc_mirror_policy_checkpoints_topic(p, "A", &s, &err) == 0);
    assert_str(s, "A.checkpoints.internal", "checkpointsTopic", "A");
    free(s);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, "mm2-status.A.internal", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, "A.checkpoints.internal", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_policy_is_internal_topic(p, "orders.internal", &err), 0);
    mapping_frees = 0;
    kc_mirror_policy_free(p);
    CU_ASSERT_EQUAL(mapping_frees, 1);

    /* a required op missing: refused, state freed */
    static const kc_mirror_policy_ops incomplete = {.class_name = "x", .topic_source = mapping_source,
                                                    .free_state = mapping_free};
    mapping_frees = 0;
    CU_ASSERT(kc_mirror_policy_new_custom(&incomplete, NULL, &err) == NULL);
    CU_ASSERT_EQUAL(mapping_frees, 1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);

    /* upstream names that never end: an error, not an endless loop */
    static const kc_mirror_policy_ops endless = {.class_name = "com.example.Endless",
                                                 .format_remote_topic = mapping_format,
                                                 .topic_source = mapping_source,
                                                 .upstream_topic = endless_upstream};
    p = kc_mirror_policy_new_custom(&endless, NULL, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT(kc_mirror_policy_original_topic(p, "t", &s, &err) == -1);
    CU_ASSERT(s == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "replication policy com.example.Endless: the upstream topics of 't' do not end after 10000 hops");
    kc_mirror_policy_free(p);
    kc_props_free(empty);
}

/* ---- filters ------------------------------------------------------------------------------------ */

/* The names every filter case is asked about, and Java's answers as the names it rejects (or, for
 * a narrow include list, accepts). */
static const char *const names[] = {
    "orders", "orders.internal", "orders-internal", "x.replica", "__x", "ordersinternal", "mm2-offsets.A.internal",
    "mm2.internal", "mm2-offsets-A-internal", "a", "abc", "ba", "b", "app", "console-consumer-123", "connect-sink1",
    "connect", "", "A.test", "heartbeats", "mm2x.internal", "x.mm2.internal", "min.insync.replicas",
    "minXinsyncXreplicas", "cleanup.policy", "retention.ms", "message.timestamp.type",
    "log.message.timestamp.before.max.ms", "follower.replication.throttled.replicas", "a,b", "a\nb", NULL};

typedef enum { TOPICS, GROUPS, CONFIGS } filter_kind;

typedef struct filter_case {
    filter_kind kind;
    const char *props[6];
    int listed_are_accepted; /* 0: `listed` holds the rejected names, 1: the accepted ones */
    const char *listed[12];
    int source_defaults; /* CONFIGS: shouldReplicateSourceDefault */
} filter_case;

static const filter_case filter_cases[] = {
    {TOPICS, {NULL}, 0, {"x.replica", "__x", "mm2-offsets.A.internal", "mm2.internal", "mm2x.internal", "a\nb"}, 0},
    {TOPICS, {"topics", "", NULL}, 1, {NULL}, 0},
    {TOPICS, {"topics", "a, b", NULL}, 1, {"a", "b"}, 0},
    {TOPICS, {"topics", "a.*", NULL}, 1, {"a", "abc", "app", "a,b"}, 0},
    {TOPICS, {"topics", " a.* , b ", NULL}, 1, {"a", "abc", "b", "app", "a,b"}, 0},
    {TOPICS, {"topics", "a,a", NULL}, 1, {"a"}, 0},
    {TOPICS, {"topics.exclude", "", NULL}, 0, {"a\nb"}, 0},
    {TOPICS, {"topics.exclude", ".*internal", NULL}, 0,
     {"orders.internal", "orders-internal", "ordersinternal", "mm2-offsets.A.internal", "mm2.internal",
      "mm2-offsets-A-internal", "mm2x.internal", "x.mm2.internal", "a\nb"}, 0},
    {TOPICS, {"topics", "[ab]|c", "topics.exclude", "b", NULL}, 1, {"a"}, 0},
    {TOPICS, {"topics.exclude", "mm2.*\\.internal,mm2.*\\.internal", "topics", ".*", NULL}, 0,
     {"mm2-offsets.A.internal", "mm2.internal", "mm2x.internal", "a\nb"}, 0},
    /* removed in Kafka 4.0: ignored, as Java 4.3.1 ignores it */
    {TOPICS, {"topics.blacklist", "orders", NULL}, 0,
     {"x.replica", "__x", "mm2-offsets.A.internal", "mm2.internal", "mm2x.internal", "a\nb"}, 0},
    {GROUPS, {NULL}, 0, {"__x", "console-consumer-123", "connect-sink1", "a\nb"}, 0},
    {GROUPS, {"groups", "", NULL}, 1, {NULL}, 0},
    {GROUPS, {"groups", "app,connect", NULL}, 1, {"app", "connect"}, 0},
    {GROUPS, {"groups.exclude", "", NULL}, 0, {"a\nb"}, 0},
    {CONFIGS, {NULL}, 0,
     {"min.insync.replicas", "minXinsyncXreplicas", "message.timestamp.type", "log.message.timestamp.before.max.ms",
      "follower.replication.throttled.replicas"}, 0},
    {CONFIGS, {"config.properties.exclude", "", NULL}, 0, {NULL}, 0},
    {CONFIGS, {"config.properties.exclude", "retention\\..*", NULL}, 0, {"retention.ms"}, 0},
    {CONFIGS, {"use.defaults.from", "source", NULL}, 0,
     {"min.insync.replicas", "minXinsyncXreplicas", "message.timestamp.type", "log.message.timestamp.before.max.ms",
      "follower.replication.throttled.replicas"}, 1},
    {CONFIGS, {"use.defaults.from", " source ", "config.properties.exclude", "", NULL}, 0, {NULL}, 1},
    {CONFIGS, {"use.defaults.from", "SOURCE", "config.properties.exclude", "", NULL}, 0, {NULL}, 0},
};

static int listed(const filter_case *fc, const char *name)
{
    for (size_t i = 0; i < sizeof fc->listed / sizeof fc->listed[0] && fc->listed[i]; i++)
        if (strcmp(fc->listed[i], name) == 0)
            return 1;
    return 0;
}

/* Answers of the filter kind for every name in names[] (1/0), or -1 when it cannot be created. */
static int run_filter(filter_kind kind, kc_props *props, int *answers, int *source_default, kc_error *err)
{
    kc_mirror_topic_filter *t = NULL;
    kc_mirror_group_filter *g = NULL;
    kc_mirror_config_filter *c = NULL;
    if (kind == TOPICS && !(t = kc_mirror_topic_filter_new(props, err)))
        return -1;
    if (kind == GROUPS && !(g = kc_mirror_group_filter_new(props, err)))
        return -1;
    if (kind == CONFIGS && !(c = kc_mirror_config_filter_new(props, err)))
        return -1;
    for (size_t i = 0; names[i]; i++)
        answers[i] = t   ? kc_mirror_topic_filter_should_replicate(t, names[i], err)
                     : g ? kc_mirror_group_filter_should_replicate(g, names[i], err)
                         : kc_mirror_config_filter_should_replicate(c, names[i], err);
    if (c)
        *source_default = kc_mirror_config_filter_should_replicate_source_default(c, "retention.ms", err);
    kc_mirror_topic_filter_free(t);
    kc_mirror_group_filter_free(g);
    kc_mirror_config_filter_free(c);
    return 0;
}

static void test_filters_java_answers(void)
{
    for (size_t k = 0; k < sizeof filter_cases / sizeof filter_cases[0]; k++) {
        const filter_case *fc = &filter_cases[k];
        kc_props *props = props_of(fc->props);
        int answers[sizeof names / sizeof names[0]], source_default = 0;
        kc_error err;
        if (run_filter(fc->kind, props, answers, &source_default, &err) < 0) {
            fprintf(stderr, "\ncase %zu: %s\n", k, err.msg);
            CU_FAIL("filter not created");
        } else {
            for (size_t i = 0; names[i]; i++) {
                int want = fc->listed_are_accepted ? listed(fc, names[i]) : !listed(fc, names[i]);
                if (answers[i] != want) {
                    fprintf(stderr, "\ncase %zu: '%s' answered %d, Java %d\n", k, names[i], answers[i], want);
                    CU_FAIL("filter answer differs from Java's");
                }
            }
            if (fc->kind == CONFIGS)
                CU_ASSERT_EQUAL(source_default, fc->source_defaults);
        }
        kc_props_free(props);
    }
}

/* Java regex features operators use, with Java's answers (joined lists included). */
static void test_filter_regex_features(void)
{
    static const char *const probe[] = {"ab", "a", "b", "a.b", "axb", "c1", "cx", "orders", "ORDERS",
                                        "x-1", "x.1", "a\nb", "heartbeats", "a,b", "a|b", NULL};
    static const struct { const char *topics; const char *accepted[16]; } cases[] = {
        {"a(, )b", {"ab"}}, /* the list is one pattern: a(|)b */
        {"a\\.b|c\\d", {"a.b", "c1"}},
        {"(?i)orders", {"orders", "ORDERS"}},
        {"[^.]*", {"ab", "a", "b", "axb", "c1", "cx", "orders", "ORDERS", "x-1", "a\nb", "heartbeats", "a,b", "a|b"}},
        {"x[\\-\\.]\\d", {"x-1", "x.1"}},
        {"a\\,b", {"a|b"}}, /* split at the comma: a\ and b, joined a\|b */
        {"\\Qa.b\\E", {"a.b"}},
        {"a|", {"a"}},
        {"(a|b)+", {"ab", "a", "b"}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        kc_error err;
        kc_props *props = PROPS("topics", cases[k].topics, "topics.exclude", "");
        kc_mirror_topic_filter *f = kc_mirror_topic_filter_new(props, &err);
        kc_props_free(props);
        if (!f) {
            fprintf(stderr, "\n%s: %s\n", cases[k].topics, err.msg);
            CU_FAIL("pattern refused");
            continue;
        }
        for (size_t i = 0; probe[i]; i++) {
            int want = 0;
            for (size_t j = 0; j < 16 && cases[k].accepted[j]; j++)
                want |= strcmp(cases[k].accepted[j], probe[i]) == 0;
            if (kc_mirror_topic_filter_should_replicate(f, probe[i], &err) != want) {
                fprintf(stderr, "\ntopics=%s, '%s': want %d\n", cases[k].topics, probe[i], want);
                CU_FAIL("regex answer differs from Java's");
            }
        }
        kc_mirror_topic_filter_free(f);
    }
}

static void expect_error(filter_kind kind, const char *key, const char *value, const char *want_prefix,
                         const char *want_part)
{
    kc_props *props = PROPS(key, value);
    int answers[sizeof names / sizeof names[0]], source_default;
    kc_error err = {0};
    CU_ASSERT_EQUAL(run_filter(kind, props, answers, &source_default, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    if (strncmp(err.msg, want_prefix, strlen(want_prefix)) != 0 || (want_part && !strstr(err.msg, want_part))) {
        fprintf(stderr, "\n%s=%s: got \"%s\"\n", key, value, err.msg);
        CU_FAIL("unexpected error text");
    }
    kc_props_free(props);
}

static void test_filter_errors(void)
{
    /* Java's ConfigException texts (ConfigDef.ValidList of 4.3.1) */
    expect_error(TOPICS, "topics", "a,", "Configuration 'topics' values must not be empty.", NULL);
    expect_error(TOPICS, "topics", "a , , b", "Configuration 'topics' values must not be empty.", NULL);
    expect_error(TOPICS, "topics.exclude", ",a", "Configuration 'topics.exclude' values must not be empty.", NULL);
    expect_error(GROUPS, "groups.exclude", "x,,y", "Configuration 'groups.exclude' values must not be empty.", NULL);
    /* Java's PatternSyntaxException texts, after the key and value */
    expect_error(TOPICS, "topics", "a{1,2}",
                 "Invalid value a{1,2} for configuration topics (a comma separates list elements; the 2 elements "
                 "are joined with '|'): ",
                 "Unclosed counted closure near index 3\na{1|2}\n   ^");
    expect_error(TOPICS, "topics", "a(", "Invalid value a( for configuration topics: ", "Unclosed group");
    /* Java constructs POSIX cannot run the same way: refused, never approximated */
    static const char *const refused[] = {"(?!x).*", "a*+", "a*?", "(?<=a)b", "\\bfoo", "\\p{L}+", "(?>a)b", NULL};
    for (size_t i = 0; refused[i]; i++) {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "Invalid value %s for configuration topics.exclude: ", refused[i]);
        expect_error(TOPICS, "topics.exclude", refused[i], prefix, "not supported");
    }
    expect_error(GROUPS, "groups", "app,(?=x)", "Invalid value app,(?=x) for configuration groups (", "app|(?=x)");
    expect_error(CONFIGS, "config.properties.exclude", "x++", "Invalid value x++ for configuration config.properties.exclude: ",
                 "not supported");
    /* class keys: only the default classes */
    expect_error(TOPICS, "topic.filter.class", "com.example.MyFilter",
                 "Invalid value com.example.MyFilter for configuration topic.filter.class: Class com.example.MyFilter "
                 "could not be found. kconnect provides org.apache.kafka.connect.mirror.DefaultTopicFilter", NULL);
    expect_error(GROUPS, "group.filter.class", "x", "Invalid value x for configuration group.filter.class", NULL);
    expect_error(CONFIGS, "config.property.filter.class", "x",
                 "Invalid value x for configuration config.property.filter.class", NULL);

    kc_error err;
    kc_props *props = PROPS("topic.filter.class", " DefaultTopicFilter", "group.filter.class",
                            KC_MIRROR_DEFAULT_GROUP_FILTER_CLASS, "config.property.filter.class",
                            "DefaultConfigPropertyFilter");
    kc_mirror_topic_filter *t = kc_mirror_topic_filter_new(props, &err);
    kc_mirror_group_filter *g = kc_mirror_group_filter_new(props, &err);
    kc_mirror_config_filter *c = kc_mirror_config_filter_new(props, &err);
    CU_ASSERT(t && g && c);
    kc_mirror_topic_filter_free(t);
    kc_mirror_group_filter_free(g);
    kc_mirror_config_filter_free(c);
    kc_props_free(props);
}

static int custom_frees;
static void custom_free(void *state) { custom_frees++, free(state); }
static int only_prefixed(void *state, const char *name, kc_error *err)
{
    (void)err;
    return strncmp(name, state, strlen(state)) == 0;
}

static void test_custom_filters(void)
{
    kc_error err;
    static const kc_mirror_topic_filter_ops topic_ops = {"com.example.T", only_prefixed, custom_free};
    static const kc_mirror_group_filter_ops group_ops = {"com.example.G", only_prefixed, custom_free};
    static const kc_mirror_config_filter_ops config_ops = {"com.example.C", only_prefixed, NULL, custom_free};
    kc_mirror_topic_filter *t = kc_mirror_topic_filter_new_custom(&topic_ops, strdup("eu-"), &err);
    kc_mirror_group_filter *g = kc_mirror_group_filter_new_custom(&group_ops, strdup("app-"), &err);
    kc_mirror_config_filter *c = kc_mirror_config_filter_new_custom(&config_ops, strdup("retention."), &err);
    CU_ASSERT_FATAL(t && g && c);
    CU_ASSERT_EQUAL(kc_mirror_topic_filter_should_replicate(t, "eu-orders", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_topic_filter_should_replicate(t, "us-orders", &err), 0);
    CU_ASSERT_EQUAL(kc_mirror_group_filter_should_replicate(g, "app-1", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_config_filter_should_replicate(c, "retention.ms", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_config_filter_should_replicate_source_default(c, "retention.ms", &err), 0);
    custom_frees = 0;
    kc_mirror_topic_filter_free(t);
    kc_mirror_group_filter_free(g);
    kc_mirror_config_filter_free(c);
    CU_ASSERT_EQUAL(custom_frees, 3);

    static const kc_mirror_topic_filter_ops no_predicate = {"com.example.Bad", NULL, custom_free};
    CU_ASSERT(kc_mirror_topic_filter_new_custom(&no_predicate, strdup("x"), &err) == NULL);
    CU_ASSERT_EQUAL(custom_frees, 4);
}

static void test_pattern_lists(void)
{
    kc_error err;
    kc_mirror_patterns *none = kc_mirror_patterns_new("k", NULL, 0, &err);
    CU_ASSERT_FATAL(none != NULL);
    CU_ASSERT_EQUAL(kc_mirror_patterns_matches(none, "", &err), 0); /* empty list: matches nothing */
    CU_ASSERT_EQUAL(kc_mirror_patterns_matches(none, "anything", &err), 0);
    kc_mirror_patterns_free(none);
    char *items[] = {"a.*", "b"};
    kc_mirror_patterns *p = kc_mirror_patterns_new("k", items, 2, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_EQUAL(kc_mirror_patterns_matches(p, "abc", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_patterns_matches(p, "b", &err), 1);
    CU_ASSERT_EQUAL(kc_mirror_patterns_matches(p, "ba", &err), 0); /* whole-name match */
    kc_mirror_patterns_free(p);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"policies: Java's answers for Default/Identity and custom separators", test_policy_java_answers},
        {"policies: checklist items (Kafka 4.3.1 internal-topic rules)", test_policy_checklist},
        {"policies: class names (FQCN, simple, trimmed, unknown)", test_policy_class_names},
        {"policies: custom vtable (topic mapping), interface defaults, hop limit", test_custom_policy},
        {"filters: Java's answers for defaults and include/exclude lists", test_filters_java_answers},
        {"filters: Java regex features and joined lists", test_filter_regex_features},
        {"filters: config errors and refused regex constructs", test_filter_errors},
        {"filters: custom vtables", test_custom_filters},
        {"filters: pattern lists", test_pattern_lists},
        {NULL, NULL},
    };
    return kc_test_run("mirror_policy", cases);
}
