/*
 * The mirror metrics (connectors/mirror/mirror_metrics.h): records/s over the sliding window, lag
 * per partition, the per-topic sums of the source task registry and the group offset sync registry
 * with the JSON views the replication status shows and merges across workers.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "connectors/mirror/mirror_metrics.h"
#include "kc_test.h"

static void test_rate_window(void)
{
    kc_mirror_rate r = {0};
    CU_ASSERT_EQUAL(kc_mirror_rate_per_second(&r, 1000, 500), 0);
    kc_mirror_rate_sample(&r, 0, 0);
    /* 1000 records in 500 ms */
    CU_ASSERT_DOUBLE_EQUAL(kc_mirror_rate_per_second(&r, 500, 1000), 2000, 0.001);
    /* a sample less than a second after the last one is ignored */
    kc_mirror_rate_sample(&r, 500, 1000);
    CU_ASSERT_EQUAL(r.n, 1);
    /* a steady 100 records/s for 30 s: the window covers the last 10 s only */
    for (int s = 1; s <= 30; s++)
        kc_mirror_rate_sample(&r, s * 1000, (uint64_t)s * 100);
    CU_ASSERT_EQUAL(r.n, KC_MIRROR_RATE_SLOTS);
    CU_ASSERT_DOUBLE_EQUAL(kc_mirror_rate_per_second(&r, 30000, 3000), 100, 0.001);
    /* then a burst of 5000 in the last second: (8000 - 2000) / 10 s */
    CU_ASSERT_DOUBLE_EQUAL(kc_mirror_rate_per_second(&r, 30000, 8000), 600, 0.001);
    /* stopped: 10 s later nothing moved inside the window */
    CU_ASSERT_DOUBLE_EQUAL(kc_mirror_rate_per_second(&r, 40000, 3000), 0, 0.001);
    /* no sample inside the window: measured from the newest one */
    CU_ASSERT_DOUBLE_EQUAL(kc_mirror_rate_per_second(&r, 50000, 5000), 100, 0.001);
    /* a count going back (task restarted) restarts the window */
    kc_mirror_rate_sample(&r, 31000, 10);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_DOUBLE_EQUAL(kc_mirror_rate_per_second(&r, 32000, 210), 200, 0.001);
    CU_ASSERT_EQUAL(kc_mirror_rate_per_second(&r, 32000, 5), 0);
}

static void test_lag(void)
{
    /* high watermark 100, last acknowledged 89: 10 records behind (90..99) */
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(100, 89, 95), 10);
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(100, 99, 100), 0);
    /* nothing acknowledged yet: from the consumer's position */
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(100, -1, 40), 60);
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(100, -1, 0), 100);
    /* unknowns and a stale high watermark never give a negative lag */
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(-1, 10, 11), 0);
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(100, -1, -1), 0);
    CU_ASSERT_EQUAL(kc_mirror_partition_lag(50, 80, 81), 0);
}

static void test_registry_topics(void)
{
    kc_mirror_partition_metrics t0[] = {
        {"orders", "a.orders", 0, 10, 9, 10, 12},
        {"orders", "a.orders", 1, 5, 4, 5, 5},
        {"audit", "a.audit", 0, 7, 6, 7, 7},
    };
    kc_mirror_partition_metrics t1[] = {
        {"orders", "a.orders", 2, 20, 19, 20, 25},
    };
    kc_mirror_metrics_publish("flow-source", 0, t0, 3, 1000);
    kc_mirror_metrics_publish("flow-source", 1, t1, 1, 1000);
    kc_mirror_metrics_publish("other", 0, t1, 1, 1000);
    CU_ASSERT_TRUE(kc_mirror_metrics_has_task("flow-source", 1));
    kc_mirror_topic_metrics *m = NULL;
    size_t n = 0;
    double rate = -1;
    int tasks = 0;
    CU_ASSERT_EQUAL_FATAL(kc_mirror_metrics_topics("flow-source", 1000, &m, &n, &rate, &tasks), 0);
    CU_ASSERT_EQUAL(tasks, 2);
    CU_ASSERT_EQUAL(rate, 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(m[0].topic, "audit");
    CU_ASSERT_EQUAL(m[0].records, 7);
    CU_ASSERT_EQUAL(m[0].lag, 0);
    CU_ASSERT_STRING_EQUAL(m[1].topic, "orders");
    CU_ASSERT_STRING_EQUAL(m[1].target_topic, "a.orders");
    CU_ASSERT_EQUAL(m[1].records, 35);
    CU_ASSERT_EQUAL(m[1].lag, 2 + 0 + 5);
    CU_ASSERT_EQUAL(m[1].partitions, 3);
    kc_mirror_topic_metrics_free(m, n);

    /* two seconds later task 0 acknowledged 400 more: 200 records/s */
    t0[0].records += 400;
    t0[0].last_acked += 400;
    t0[0].high_watermark = t0[0].last_acked + 1;
    kc_mirror_metrics_publish("flow-source", 0, t0, 3, 3000);
    CU_ASSERT_EQUAL_FATAL(kc_mirror_metrics_topics("flow-source", 3000, &m, &n, &rate, &tasks), 0);
    CU_ASSERT_DOUBLE_EQUAL(rate, 200, 0.001);
    CU_ASSERT_EQUAL(m[1].records, 435);
    CU_ASSERT_EQUAL(m[1].lag, 5);
    kc_mirror_topic_metrics_free(m, n);

    /* the JSON view and its merge with another worker's */
    json_t *local = kc_mirror_source_metrics_json_new("flow-source");
    json_t *flow = json_object();
    json_object_set(flow, "records_per_second", json_object_get(local, "records_per_second"));
    json_object_set(flow, "topics", json_object_get(local, "topics"));
    json_t *remote = json_pack("{s:f,s:i,s:[{s:s,s:i,s:i},{s:s,s:s,s:i,s:i}]}", "records_per_second", 50.0, "tasks",
                               1, "topics", "topic", "billing", "lag", 3, "records", 30, "topic", "orders",
                               "target_topic", "a.orders", "lag", 1, "records", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(remote);
    kc_mirror_source_metrics_json_merge(flow, remote);
    json_t *topics = json_object_get(flow, "topics");
    CU_ASSERT_EQUAL_FATAL(json_array_size(topics), 3);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(topics, 1), "topic")), "billing");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(topics, 2), "records")), 436);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(topics, 2), "lag")), 6);
    CU_ASSERT_PTR_NULL(json_object_get(flow, "tasks"));
    CU_ASSERT_TRUE(json_number_value(json_object_get(flow, "records_per_second")) >= 50);
    json_decref(remote);
    json_decref(flow);
    json_decref(local);

    kc_mirror_metrics_remove("flow-source", -1);
    CU_ASSERT_FALSE(kc_mirror_metrics_has_task("flow-source", 0));
    CU_ASSERT_TRUE(kc_mirror_metrics_has_task("other", 0));
    kc_mirror_metrics_remove("other", 0);
    CU_ASSERT_EQUAL_FATAL(kc_mirror_metrics_topics("other", 3000, &m, &n, &rate, &tasks), 0);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(tasks, 0);
    kc_mirror_topic_metrics_free(m, n);
}

static void test_group_sync(void)
{
    kc_mirror_group_sync_put("cp", "g1", KC_MIRROR_GROUP_SKIPPED_ACTIVE, "members", 100);
    kc_mirror_group_sync_put("cp", "g0", KC_MIRROR_GROUP_SYNCED, NULL, 100);
    kc_mirror_group_sync *s = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(kc_mirror_group_syncs("cp", &s, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(s[0].group, "g0");
    CU_ASSERT_EQUAL(s[0].synced_ms, 100);
    CU_ASSERT_EQUAL(s[1].state, KC_MIRROR_GROUP_SKIPPED_ACTIVE);
    CU_ASSERT_EQUAL(s[1].skipped_ms, 100);
    kc_mirror_group_syncs_free(s, n);

    json_t *groups = kc_mirror_checkpoint_groups_json_new("cp");
    CU_ASSERT_EQUAL_FATAL(json_array_size(groups), 2);
    json_t *g1 = json_array_get(groups, 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(g1, "offset_sync")),
                           "skipped: group is active on the target");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(g1, "offset_sync_skipped_ms")), 100);
    json_t *more = json_pack("[{s:s},{s:s}]", "group", "g1", "group", "a-first");
    kc_mirror_checkpoint_groups_json_merge(groups, more);
    CU_ASSERT_EQUAL(json_array_size(groups), 3);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(groups, 0), "group")), "a-first");
    json_decref(more);
    json_decref(groups);

    /* a later written sync clears the skip */
    kc_mirror_group_sync_put("cp", "g1", KC_MIRROR_GROUP_SYNCED, NULL, 200);
    CU_ASSERT_EQUAL_FATAL(kc_mirror_group_syncs("cp", &s, &n), 0);
    CU_ASSERT_EQUAL(s[1].state, KC_MIRROR_GROUP_SYNCED);
    CU_ASSERT_EQUAL(s[1].skipped_ms, -1);
    CU_ASSERT_EQUAL(s[1].synced_ms, 200);
    CU_ASSERT_PTR_NULL(s[1].reason);
    kc_mirror_group_syncs_free(s, n);

    kc_mirror_group_syncs_clear("cp");
    CU_ASSERT_EQUAL_FATAL(kc_mirror_group_syncs(NULL, &s, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    kc_mirror_group_syncs_free(s, n);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"records/s over the last 10 s from samples at most one per second", test_rate_window},
        {"lag: high watermark minus the next offset to replicate, never negative", test_lag},
        {"per-topic sums over partitions and tasks; merge with another worker's view", test_registry_topics},
        {"group offset sync: a skip is shown until a later sync is written", test_group_sync},
        {NULL, NULL},
    };
    return kc_test_run("mirror_metrics", cases);
}
