/*
 * MirrorCheckpointConnector / MirrorHeartbeatConnector without a broker
 * (connectors/mirror/mirror_checkpoint.h): Java's group assignment (ConnectorUtils.groupPartitions),
 * the heartbeat record the task's poll returns (Java's bytes, spec 1.4 / 1.5), the config tables'
 * Java 4.3.1 defaults, registration, and the replay-bound registry.
 */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/offsets.h"
#include "connectors/mirror/mirror_checkpoint.h"
#include "connectors/mirror/mirror_records.h"
#include "kc_test.h"

static void hex(const kc_value *v, char *out, size_t cap)
{
    size_t n;
    const uint8_t *b = kc_value_get_bytes(v, &n);
    out[0] = '\0';
    for (size_t i = 0; i < n && 2 * i + 3 <= cap; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* groupPartitions(elements, numGroups) of Java, written out for the cases below. */
static void check_assignment(size_t n, int max_tasks, const int *expected, int expected_tasks)
{
    int task_of[64];
    memset(task_of, -1, sizeof task_of);
    CU_ASSERT_EQUAL(kc_mirror_checkpoint_assign_groups(n, max_tasks, task_of), expected_tasks);
    for (size_t i = 0; i < n && expected_tasks; i++)
        CU_ASSERT_EQUAL(task_of[i], expected[i]);
}

static void test_assignment(void)
{
    /* spec 3.2: [g1..g5], 3 tasks -> [g1,g2], [g3,g4], [g5] */
    check_assignment(5, 3, (const int[]){0, 0, 1, 1, 2}, 3);
    /* fewer groups than tasks: one group per task */
    check_assignment(3, 5, (const int[]){0, 1, 2}, 3);
    /* 10 over 4: 3, 3, 2, 2 */
    check_assignment(10, 4, (const int[]){0, 0, 0, 1, 1, 1, 2, 2, 3, 3}, 4);
    /* 7 over 7, 7 over 1, 6 over 3 */
    check_assignment(7, 7, (const int[]){0, 1, 2, 3, 4, 5, 6}, 7);
    check_assignment(7, 1, (const int[]){0, 0, 0, 0, 0, 0, 0}, 1);
    check_assignment(6, 3, (const int[]){0, 0, 1, 1, 2, 2}, 3);
    /* no groups, or no tasks */
    check_assignment(0, 3, NULL, 0);
    check_assignment(4, 0, NULL, 0);
}

static void test_heartbeat_record_bytes(void)
{
    kc_error err;
    kc_record *r = kc_mirror_heartbeat_record_new("heartbeats", "A", "B", 1700000000000LL, &err);
    CU_ASSERT_FATAL(r != NULL);
    char k[256], v[256];
    hex(r->key, k, sizeof k);
    hex(r->value, v, sizeof v);
    CU_ASSERT_STRING_EQUAL(k, "000141000142");
    CU_ASSERT_STRING_EQUAL(v, "00000000018bcfe56800");
    CU_ASSERT_STRING_EQUAL(r->topic, "heartbeats");
    CU_ASSERT_EQUAL(r->kafka_partition, 0);
    CU_ASSERT_EQUAL(r->timestamp, 1700000000000LL);
    CU_ASSERT_EQUAL(r->headers.count, 0);
    char *out = NULL;
    size_t len = 0;
    CU_ASSERT_FATAL(kc_offsets_key_bytes("MirrorHeartbeatConnector", r->source_partition, &out, &len, &err) == 0);
    const char *want = "[\"MirrorHeartbeatConnector\",{\"sourceClusterAlias\":\"A\",\"targetClusterAlias\":\"B\"}]";
    CU_ASSERT(len == strlen(want) && memcmp(out, want, len) == 0);
    free(out);
    CU_ASSERT_FATAL(kc_offsets_value_bytes(r->source_offset, &out, &len, &err) == 0);
    CU_ASSERT(len == 12 && memcmp(out, "{\"offset\":0}", 12) == 0);
    free(out);
    kc_record_free(r);

    r = kc_mirror_heartbeat_record_new("heartbeats", "source-1", "target-2", 1234567890, &err);
    CU_ASSERT_FATAL(r != NULL);
    hex(r->key, k, sizeof k);
    hex(r->value, v, sizeof v);
    CU_ASSERT_STRING_EQUAL(k, "0008736f757263652d3100087461726765742d32");
    CU_ASSERT_STRING_EQUAL(v, "000000000000499602d2");
    kc_record_free(r);
}

/* The task itself: start with interval 0, poll once, decode what came out. */
static void test_heartbeat_task_poll(void)
{
    kc_props *config = kc_props_new();
    kc_props_set(config, "name", "hb");
    kc_props_set(config, "source.cluster.alias", "A");
    kc_props_set(config, "target.cluster.alias", "B");
    kc_props_set(config, "emit.heartbeats.interval.seconds", "0");
    const kc_source_task_plugin *p = kc_mirror_heartbeat_connector.source_task;
    void *task = p->create();
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_FATAL(p->start(task, NULL, config, &err) == 0);
    kc_record_list out = {0};
    int64_t before = kc_mirror_cp_now_ms();
    CU_ASSERT_EQUAL(p->poll(task, &out, &err), 0);
    int64_t after = kc_mirror_cp_now_ms();
    CU_ASSERT_FATAL(out.count == 1);
    kc_record *r = out.items[0];
    size_t kl, vl;
    const uint8_t *kb = kc_value_get_bytes(r->key, &kl), *vb = kc_value_get_bytes(r->value, &vl);
    kc_mirror_heartbeat hb;
    CU_ASSERT_FATAL(kc_mirror_heartbeat_decode(kb, kl, vb, vl, &hb, &err) == 0);
    CU_ASSERT_STRING_EQUAL(hb.source_alias, "A");
    CU_ASSERT_STRING_EQUAL(hb.target_alias, "B");
    CU_ASSERT_EQUAL(hb.version, 0);
    CU_ASSERT(hb.timestamp >= before && hb.timestamp <= after);
    CU_ASSERT_EQUAL(r->timestamp, hb.timestamp);
    CU_ASSERT_STRING_EQUAL(r->topic, "heartbeats");
    kc_mirror_heartbeat_clear(&hb);
    kc_record_list_clear(&out);
    /* stop makes the next poll return without a record */
    kc_props_set(config, "emit.heartbeats.interval.seconds", "5");
    p->stop(task);
    CU_ASSERT_EQUAL(p->poll(task, &out, &err), 0);
    CU_ASSERT_EQUAL(out.count, 0);
    p->destroy(task);
    kc_props_free(config);
}

static const kc_config_value *get(const kc_mirror_config *mc, const char *name)
{
    const kc_config_value *v = kc_config_parsed_get(mc->parsed, name);
    CU_ASSERT_PTR_NOT_NULL(v);
    return v;
}

static void test_config_defaults(void)
{
    kc_props *config = kc_props_new();
    kc_props_set(config, "source.cluster.alias", "A");
    kc_error err;
    kc_mirror_config *mc = kc_mirror_cp_config_new(config, kc_mirror_checkpoint_config_table(), &err);
    CU_ASSERT_FATAL(mc != NULL);
    CU_ASSERT_STRING_EQUAL(mc->target_alias, "target");
    CU_ASSERT_TRUE(mc->enabled);
    CU_ASSERT_EQUAL(mc->admin_timeout_ms, 60000);
    CU_ASSERT_TRUE(get(mc, "emit.checkpoints.enabled")->boolean);
    CU_ASSERT_EQUAL(get(mc, "emit.checkpoints.interval.seconds")->integer, 60);
    CU_ASSERT_FALSE(get(mc, "sync.group.offsets.enabled")->boolean);
    CU_ASSERT_EQUAL(get(mc, "sync.group.offsets.interval.seconds")->integer, 60);
    CU_ASSERT_TRUE(get(mc, "refresh.groups.enabled")->boolean);
    CU_ASSERT_EQUAL(get(mc, "refresh.groups.interval.seconds")->integer, 600);
    CU_ASSERT_EQUAL(get(mc, "checkpoints.topic.replication.factor")->integer, 3);
    CU_ASSERT_EQUAL(get(mc, "consumer.poll.timeout.ms")->integer, 1000);
    CU_ASSERT_STRING_EQUAL(get(mc, "offset-syncs.topic.location")->string, "source");
    CU_ASSERT_STRING_EQUAL(get(mc, "group.filter.class")->string, "org.apache.kafka.connect.mirror.DefaultGroupFilter");
    size_t n;
    char *const *groups = kc_config_get_list(mc->parsed, "groups", &n);
    CU_ASSERT(n == 1 && strcmp(groups[0], ".*") == 0);
    char *const *ex = kc_config_get_list(mc->parsed, "groups.exclude", &n);
    CU_ASSERT(n == 3 && strcmp(ex[0], "console-consumer-.*") == 0 && strcmp(ex[1], "connect-.*") == 0 &&
              strcmp(ex[2], "__.*") == 0);
    kc_mirror_config_free(mc);

    mc = kc_mirror_cp_config_new(config, kc_mirror_heartbeat_config_table(), &err);
    CU_ASSERT_FATAL(mc != NULL);
    CU_ASSERT_TRUE(get(mc, "emit.heartbeats.enabled")->boolean);
    CU_ASSERT_EQUAL(get(mc, "emit.heartbeats.interval.seconds")->integer, 1);
    CU_ASSERT_EQUAL(get(mc, "heartbeats.topic.replication.factor")->integer, 3);
    kc_mirror_config_free(mc);

    /* source.cluster.alias is required */
    kc_props *empty = kc_props_new();
    CU_ASSERT_PTR_NULL(kc_mirror_cp_config_new(empty, kc_mirror_checkpoint_config_table(), &err));
    kc_props_free(empty);
    kc_props_free(config);
}

static void test_registration(void)
{
    kc_error err;
    kc_plugins_reset();
    CU_ASSERT_FATAL(kc_mirror_checkpoint_heartbeat_register(&err) == 0);
    const kc_plugin_desc *d = kc_plugins_find(KC_PLUGIN_SOURCE, "MirrorCheckpointConnector", &err);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_STRING_EQUAL(d->class_name, "org.apache.kafka.connect.mirror.MirrorCheckpointConnector");
    const kc_connector_plugin *cp = d->vtable;
    bool has_groups = false, has_alias = false;
    for (size_t i = 0; i < cp->config_count; i++) {
        has_groups |= strcmp(cp->config[i].name, "groups") == 0;
        has_alias |= strcmp(cp->config[i].name, "source.cluster.alias") == 0;
    }
    CU_ASSERT_TRUE(has_groups && has_alias);
    CU_ASSERT_PTR_NOT_NULL(kc_plugins_find(KC_PLUGIN_SOURCE, "MirrorHeartbeat", &err));
    kc_plugins_reset();
}

static void test_heartbeat_task_configs(void)
{
    /* no target cluster: the topic cannot be created (logged), the connector still runs */
    kc_props *config = kc_props_new();
    kc_props_set(config, "name", "hb");
    kc_props_set(config, "source.cluster.alias", "A");
    kc_props_set(config, "tasks.max", "4");
    kc_error err;
    void *c = kc_mirror_heartbeat_connector.create();
    CU_ASSERT_FATAL(kc_mirror_heartbeat_connector.start(c, NULL, config, &err) == 0);
    kc_task_configs tasks = {0};
    CU_ASSERT_EQUAL(kc_mirror_heartbeat_connector.task_configs(c, 4, &tasks, &err), 0);
    CU_ASSERT_EQUAL(tasks.count, 1); /* exactly one, whatever tasks.max says */
    if (tasks.count == 1)
        CU_ASSERT_STRING_EQUAL(kc_props_get(tasks.items[0], "source.cluster.alias"), "A");
    kc_task_configs_clear(&tasks);
    kc_mirror_heartbeat_connector.stop(c);
    kc_mirror_heartbeat_connector.destroy(c);

    kc_props_set(config, "emit.heartbeats.enabled", "false");
    c = kc_mirror_heartbeat_connector.create();
    CU_ASSERT_FATAL(kc_mirror_heartbeat_connector.start(c, NULL, config, &err) == 0);
    CU_ASSERT_EQUAL(kc_mirror_heartbeat_connector.task_configs(c, 4, &tasks, &err), 0);
    CU_ASSERT_EQUAL(tasks.count, 0);
    kc_mirror_heartbeat_connector.destroy(c);
    kc_props_free(config);
}

static void test_checkpoint_disabled_zero_tasks(void)
{
    kc_props *config = kc_props_new();
    kc_props_set(config, "name", "cp");
    kc_props_set(config, "source.cluster.alias", "A");
    kc_props_set(config, "enabled", "false");
    kc_error err;
    void *c = kc_mirror_checkpoint_connector.create();
    CU_ASSERT_FATAL(kc_mirror_checkpoint_connector.start(c, NULL, config, &err) == 0);
    kc_task_configs tasks = {0};
    CU_ASSERT_EQUAL(kc_mirror_checkpoint_connector.task_configs(c, 3, &tasks, &err), 0); /* KAFKA-18021 */
    CU_ASSERT_EQUAL(tasks.count, 0);
    kc_mirror_checkpoint_connector.stop(c);
    kc_mirror_checkpoint_connector.destroy(c);
    kc_props_free(config);
}

static void test_replay_bounds_registry(void)
{
    kc_mirror_checkpoint_replay_bounds_clear(NULL);
    kc_mirror_checkpoint_replay_bound_put("c1", "g2", 10, 3, 0, 100);
    kc_mirror_checkpoint_replay_bound_put("c1", "g1", 50, 2, 1, 100);
    kc_mirror_checkpoint_replay_bound_put("c2", "g1", 7, 1, 0, 100);
    kc_mirror_checkpoint_replay_bound_put("c1", "g2", 4, 3, 0, 200); /* replaces */
    kc_mirror_replay_bound *b;
    size_t n;
    CU_ASSERT_FATAL(kc_mirror_checkpoint_replay_bounds("c1", &b, &n) == 0);
    CU_ASSERT_FATAL(n == 2);
    CU_ASSERT_STRING_EQUAL(b[0].group, "g1");
    CU_ASSERT_EQUAL(b[0].bound, -1); /* one partition unbounded */
    CU_ASSERT_STRING_EQUAL(b[1].group, "g2");
    CU_ASSERT_EQUAL(b[1].bound, 4);
    CU_ASSERT_EQUAL(b[1].updated_ms, 200);
    kc_mirror_replay_bounds_free(b, n);
    kc_mirror_checkpoint_replay_bounds_clear("c1");
    CU_ASSERT_FATAL(kc_mirror_checkpoint_replay_bounds(NULL, &b, &n) == 0);
    CU_ASSERT_EQUAL(n, 1);
    kc_mirror_replay_bounds_free(b, n);
    kc_mirror_checkpoint_replay_bounds_clear(NULL);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"group assignment equals ConnectorUtils.groupPartitions", test_assignment},
        {"heartbeat record: Java's key/value bytes, source partition and offset", test_heartbeat_record_bytes},
        {"heartbeat task poll emits one record per interval and honours stop", test_heartbeat_task_poll},
        {"config tables: Java 4.3.1 defaults", test_config_defaults},
        {"registration under Java's class names with the common MM2 keys", test_registration},
        {"heartbeat connector: one task, none when emit.heartbeats.enabled=false", test_heartbeat_task_configs},
        {"checkpoint connector: enabled=false gives zero tasks", test_checkpoint_disabled_zero_tasks},
        {"replay-bound registry", test_replay_bounds_registry},
        {NULL, NULL},
    };
    return kc_test_run("mirror_checkpoint", cases);
}
