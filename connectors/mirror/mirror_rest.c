/*
 * GET /connectors/{connector}/mirror/replay-bounds (kconnect extension; Java has no such view): the
 * replay bound of each consumer group the MirrorCheckpointConnector {connector} translates on this
 * worker — how many records, at most, a consumer starting at the checkpointed (or synced) offsets
 * on the target may read again. Answered from the process-wide registry of mirror_checkpoint.h, so
 * in a cluster only the worker running the checkpoint task knows its groups (others answer []).
 * Threads: the REST thread. Memory: the snapshot is freed before returning.
 *
 * Also the JSON views of mirror_metrics.h (records/s and lag per topic of a MirrorSource connector,
 * the groups of a MirrorCheckpoint connector with their offset sync outcome) that the replication
 * status (connect/replication/replication_rest.c) shows and adds up across workers. Any thread.
 */
#include "connectors/mirror/mirror_checkpoint.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/mirror/mirror_metrics.h"

#include "rest/server.h"

static void replay_bounds(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    kc_mirror_replay_bound *b = NULL;
    size_t n = 0;
    if (kc_mirror_checkpoint_replay_bounds(kc_rest_request_param(req, 0), &b, &n) != 0) {
        kc_rest_respond_error(req, 500, "out of memory");
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "group", json_string(b[i].group));
        json_object_set_new(o, "replay_bound", b[i].bound >= 0 ? json_integer(b[i].bound) : json_null());
        json_object_set_new(o, "partitions", json_integer(b[i].partitions));
        json_object_set_new(o, "unbounded_partitions", json_integer(b[i].unknown_partitions));
        json_object_set_new(o, "updated_ms", json_integer(b[i].updated_ms));
        json_array_append_new(a, o);
    }
    kc_mirror_replay_bounds_free(b, n);
    kc_rest_respond_json_new(req, 200, a);
}

/* ---- JSON views of mirror_metrics.h ---------------------------------------------------------- */

json_t *kc_mirror_source_metrics_json_new(const char *connector)
{
    json_t *o = json_object();
    json_t *topics = json_array();
    kc_mirror_topic_metrics *t = NULL;
    size_t n = 0;
    double rate = 0;
    int tasks = 0;
    if (kc_mirror_metrics_topics(connector, kc_mirror_metrics_now_ms(), &t, &n, &rate, &tasks) == 0) {
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_object();
            json_object_set_new(e, "topic", json_string(t[i].topic));
            if (t[i].target_topic)
                json_object_set_new(e, "target_topic", json_string(t[i].target_topic));
            json_object_set_new(e, "lag", json_integer(t[i].lag));
            json_object_set_new(e, "records", json_integer((json_int_t)t[i].records));
            json_object_set_new(e, "partitions", json_integer(t[i].partitions));
            json_array_append_new(topics, e);
        }
        kc_mirror_topic_metrics_free(t, n);
    }
    json_object_set_new(o, "records_per_second", json_integer((json_int_t)(rate + 0.5)));
    json_object_set_new(o, "tasks", json_integer(tasks));
    json_object_set_new(o, "topics", topics);
    return o;
}

static json_int_t int_of(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static int by_key_cmp(const json_t *a, const json_t *b, const char *key)
{
    const char *x = json_string_value(json_object_get(a, key)), *y = json_string_value(json_object_get(b, key));
    return strcmp(x ? x : "", y ? y : "");
}

/* Inserts e (stolen) into array a kept sorted by key. */
static void insert_sorted_new(json_t *a, json_t *e, const char *key)
{
    size_t i = 0;
    while (i < json_array_size(a) && by_key_cmp(json_array_get(a, i), e, key) < 0)
        i++;
    json_array_insert_new(a, i, e);
}

static json_t *find_by(json_t *a, const char *key, const char *value)
{
    for (size_t i = 0; value && i < json_array_size(a); i++) {
        const char *v = json_string_value(json_object_get(json_array_get(a, i), key));
        if (v && strcmp(v, value) == 0)
            return json_array_get(a, i);
    }
    return NULL;
}

void kc_mirror_source_metrics_json_merge(json_t *into, const json_t *more)
{
    if (!json_is_object(into) || !json_is_object(more))
        return;
    double rate = json_number_value(json_object_get(into, "records_per_second")) +
                  json_number_value(json_object_get(more, "records_per_second"));
    json_object_set_new(into, "records_per_second", json_integer((json_int_t)(rate + 0.5)));
    if (json_object_get(into, "tasks"))
        json_object_set_new(into, "tasks", json_integer(int_of(into, "tasks") + int_of(more, "tasks")));
    json_t *topics = json_object_get(into, "topics");
    if (!json_is_array(topics)) {
        topics = json_array();
        json_object_set_new(into, "topics", topics);
    }
    const json_t *add = json_object_get(more, "topics");
    for (size_t i = 0; i < json_array_size(add); i++) {
        const json_t *e = json_array_get(add, i);
        json_t *have = find_by(topics, "topic", json_string_value(json_object_get(e, "topic")));
        if (!have) {
            if (json_is_string(json_object_get(e, "topic")))
                insert_sorted_new(topics, json_deep_copy(e), "topic");
            continue;
        }
        json_object_set_new(have, "lag", json_integer(int_of(have, "lag") + int_of(e, "lag")));
        json_object_set_new(have, "records", json_integer(int_of(have, "records") + int_of(e, "records")));
        if (json_object_get(have, "partitions") || json_object_get(e, "partitions"))
            json_object_set_new(have, "partitions", json_integer(int_of(have, "partitions") + int_of(e, "partitions")));
        if (!json_object_get(have, "target_topic") && json_object_get(e, "target_topic"))
            json_object_set(have, "target_topic", json_object_get(e, "target_topic"));
    }
}

json_t *kc_mirror_checkpoint_groups_json_new(const char *connector)
{
    json_t *groups = json_array();
    kc_mirror_replay_bound *b = NULL;
    size_t nb = 0;
    if (kc_mirror_checkpoint_replay_bounds(connector, &b, &nb) == 0) {
        for (size_t k = 0; k < nb; k++) {
            json_t *g = json_object();
            json_object_set_new(g, "group", json_string(b[k].group));
            json_object_set_new(g, "replay_bound", b[k].bound >= 0 ? json_integer(b[k].bound) : json_null());
            json_object_set_new(g, "last_checkpoint_ms", json_integer(b[k].updated_ms));
            json_array_append_new(groups, g);
        }
        kc_mirror_replay_bounds_free(b, nb);
    }
    kc_mirror_group_sync *s = NULL;
    size_t ns = 0;
    if (kc_mirror_group_syncs(connector, &s, &ns) == 0) {
        for (size_t k = 0; k < ns; k++) {
            json_t *g = find_by(groups, "group", s[k].group);
            if (!g) {
                g = json_object();
                json_object_set_new(g, "group", json_string(s[k].group));
                insert_sorted_new(groups, g, "group");
            }
            json_object_set_new(g, "offset_sync", json_string(kc_mirror_group_sync_state_text(s[k].state)));
            if (s[k].reason)
                json_object_set_new(g, "offset_sync_reason", json_string(s[k].reason));
            if (s[k].synced_ms >= 0)
                json_object_set_new(g, "offset_sync_ms", json_integer(s[k].synced_ms));
            if (s[k].skipped_ms >= 0)
                json_object_set_new(g, "offset_sync_skipped_ms", json_integer(s[k].skipped_ms));
        }
        kc_mirror_group_syncs_free(s, ns);
    }
    return groups;
}

void kc_mirror_checkpoint_groups_json_merge(json_t *groups, const json_t *more)
{
    for (size_t i = 0; json_is_array(groups) && i < json_array_size(more); i++) {
        const json_t *g = json_array_get(more, i);
        const char *name = json_string_value(json_object_get(g, "group"));
        if (name && !find_by(groups, "group", name))
            insert_sorted_new(groups, json_deep_copy(g), "group");
    }
}

static const kc_rest_resource resources[] = {
    {{KC_HTTP_GET, "/connectors/{connector}/mirror/replay-bounds"}, replay_bounds, 0, 0, NULL},
};

int kc_mirror_rest_register(kc_rest_server *srv, kc_error *err)
{
    return kc_rest_server_add(srv, resources, sizeof resources / sizeof resources[0], NULL, err);
}
