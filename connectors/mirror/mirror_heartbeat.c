/*
 * MirrorHeartbeatConnector / MirrorHeartbeatTask (spec/mirrormaker2.md 1.4, 1.5, 4); see
 * mirror_checkpoint.h.
 *
 * Connector: start creates the heartbeats topic (policy.heartbeatsTopic(), "heartbeats") on the
 * target, 1 partition, compacted, heartbeats.topic.replication.factor (a failure is logged and the
 * connector keeps running, as Java's scheduler does); it ignores `enabled`, as Java does;
 * task_configs gives exactly one task (the connector config unchanged), none when
 * emit.heartbeats.enabled=false.
 * Task: one Heartbeat record every emit.heartbeats.interval.seconds.
 * Owns: the connector a copy of its config; the task its aliases and topic name.
 * Threads: as connector.h says; the task's stop only sets a flag and wakes a waiting poll.
 */
#include "connectors/mirror/mirror_checkpoint.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect/api/log.h"
#include "connectors/mirror/mirror_records.h"

#define LOGGER "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector"
#define MAX_WAIT_MS 1000 /* a poll returns at least this often */

/* ---- the record ------------------------------------------------------------------------------ */

kc_record *kc_mirror_heartbeat_record_new(const char *heartbeats_topic, const char *source_alias,
                                          const char *target_alias, int64_t now_ms, kc_error *err)
{
    kc_mirror_heartbeat hb = {.source_alias = (char *)source_alias, .target_alias = (char *)target_alias,
                              .timestamp = now_ms};
    kc_mirror_bytes key = {0}, value = {0};
    if (kc_mirror_heartbeat_encode(&hb, &key, &value, err) != 0)
        return NULL;
    kc_record *r = kc_record_new(heartbeats_topic);
    kc_value *k = kc_value_bytes(key.data, key.len), *v = kc_value_bytes(value.data, value.len);
    kc_mirror_bytes_clear(&key);
    kc_mirror_bytes_clear(&value);
    if (!r || !k || !v) {
        kc_value_free(k);
        kc_value_free(v);
        kc_record_free(r);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    r->kafka_partition = 0;
    kc_record_set_key_new(r, kc_schema_optional_bytes(), k);
    kc_record_set_value_new(r, kc_schema_bytes(), v);
    r->timestamp = now_ms;
    r->timestamp_type = KC_TIMESTAMP_CREATE_TIME;
    r->source_partition = kc_mirror_heartbeat_partition_new(source_alias, target_alias);
    r->source_offset = kc_mirror_offset_new(0);
    if (!r->source_partition || !r->source_offset) {
        kc_record_free(r);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    return r;
}

/* ---- connector ------------------------------------------------------------------------------- */

typedef struct heartbeat_connector {
    kc_props *config;
    bool emit;
} heartbeat_connector;

static void *connector_create(void) { return calloc(1, sizeof(heartbeat_connector)); }

static int connector_start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    heartbeat_connector *c = self;
    if (!(c->config = kc_props_copy(config)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_mirror_config *mc = kc_mirror_cp_config_new(config, kc_mirror_heartbeat_config_table(), err);
    if (!mc)
        return -1;
    c->emit = kc_config_get_bool(mc->parsed, KC_MIRROR_EMIT_HEARTBEATS_ENABLED);
    int rf = kc_config_get_short(mc->parsed, KC_MIRROR_HEARTBEATS_TOPIC_RF);
    char *label = kc_mirror_entity_label_new(mc, -1);
    kc_error terr;
    kc_error_clear(&terr);
    rd_kafka_t *admin = label ? kc_mirror_cp_admin_new(mc, KC_MIRROR_CLUSTER_TARGET, label,
                                                       KC_MIRROR_ROLE_HEARTBEATS_TARGET_ADMIN, &terr)
                              : NULL;
    if (!label)
        kc_error_set(&terr, KC_ERR_INTERNAL, "out of memory");
    if (!admin || kc_mirror_cp_create_compacted_topic(admin, kc_mirror_policy_heartbeats_topic(mc->policy), 1, rf,
                                                      (int)mc->admin_timeout_ms, &terr) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "%s Scheduler caught exception during creating internal topics: %s",
               label ? label : "", terr.msg);
    if (admin)
        rd_kafka_destroy(admin);
    free(label);
    kc_mirror_config_free(mc);
    return 0;
}

static int connector_task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err)
{
    (void)max_tasks;
    heartbeat_connector *c = self;
    if (!c->emit)
        return 0;
    kc_props *p = kc_props_copy(c->config);
    if (!p || kc_task_configs_add(out, p) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static void connector_stop(void *self) { (void)self; }

static void connector_destroy(void *self)
{
    heartbeat_connector *c = self;
    if (c)
        kc_props_free(c->config);
    free(c);
}

/* alterOffsets: string aliases, offset exactly 0 (spec 1.5). */
static int connector_alter_offsets(const kc_props *config, const kc_value *offsets, kc_error *err)
{
    (void)config;
    for (size_t i = 0; i < kc_value_array_size(offsets); i++) {
        const kc_value *entry = kc_value_array_get(offsets, i);
        const kc_value *partition = kc_value_map_get_str(entry, "partition");
        const kc_value *offset = kc_value_map_get_str(entry, "offset");
        if (kc_mirror_validate_partition_string(partition, "sourceClusterAlias", err) != 0 ||
            kc_mirror_validate_partition_string(partition, "targetClusterAlias", err) != 0 ||
            kc_mirror_validate_offset(partition, offset, true, err) != 0)
            return -1;
    }
    return 1;
}

/* ---- task ------------------------------------------------------------------------------------ */

typedef struct heartbeat_task {
    char *source_alias, *target_alias, *topic;
    int64_t interval_ms;
    int64_t next_ms;         /* monotonic time of the next heartbeat */
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* CLOCK_MONOTONIC */
    bool stopping;
} heartbeat_task;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *task_create(void)
{
    heartbeat_task *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, &attr);
    pthread_condattr_destroy(&attr);
    return t;
}

static int task_start(void *self, kc_source_task_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    heartbeat_task *t = self;
    kc_mirror_config *mc = kc_mirror_cp_config_new(config, kc_mirror_heartbeat_config_table(), err);
    if (!mc)
        return -1;
    t->interval_ms = kc_config_get_long(mc->parsed, KC_MIRROR_EMIT_HEARTBEATS_INTERVAL) * 1000;
    t->source_alias = strdup(mc->source_alias);
    t->target_alias = strdup(mc->target_alias);
    t->topic = strdup(kc_mirror_policy_heartbeats_topic(mc->policy));
    kc_mirror_config_free(mc);
    if (!t->source_alias || !t->target_alias || !t->topic)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    t->next_ms = mono_ms() + t->interval_ms;
    return 0;
}

static int task_poll(void *self, kc_record_list *out, kc_error *err)
{
    heartbeat_task *t = self;
    int64_t now = mono_ms();
    if (now < t->next_ms) {
        int64_t wait = t->next_ms - now < MAX_WAIT_MS ? t->next_ms - now : MAX_WAIT_MS;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += wait / 1000;
        until.tv_nsec += (long)(wait % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&t->lock);
        while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
            ;
        pthread_mutex_unlock(&t->lock);
        if (mono_ms() < t->next_ms)
            return 0;
    }
    pthread_mutex_lock(&t->lock);
    bool stopping = t->stopping;
    pthread_mutex_unlock(&t->lock);
    if (stopping)
        return 0;
    t->next_ms += t->interval_ms;
    if (t->next_ms < mono_ms())
        t->next_ms = mono_ms() + t->interval_ms; /* fell behind: no burst */
    kc_record *r = kc_mirror_heartbeat_record_new(t->topic, t->source_alias, t->target_alias, kc_mirror_cp_now_ms(), err);
    if (!r)
        return -1;
    if (kc_record_list_add(out, r) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static void task_stop(void *self)
{
    heartbeat_task *t = self;
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void task_destroy(void *self)
{
    heartbeat_task *t = self;
    if (!t)
        return;
    free(t->source_alias);
    free(t->target_alias);
    free(t->topic);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->wake);
    free(t);
}

const kc_source_task_plugin kc_mirror_heartbeat_task = {
    .create = task_create,
    .start = task_start,
    .poll = task_poll,
    .stop = task_stop,
    .destroy = task_destroy,
};

kc_connector_plugin kc_mirror_heartbeat_connector = {
    .kind = KC_PLUGIN_SOURCE,
    .class_name = KC_MIRROR_HEARTBEAT_CONNECTOR_CLASS,
    .create = connector_create,
    .start = connector_start,
    .task_configs = connector_task_configs,
    .stop = connector_stop,
    .destroy = connector_destroy,
    .alter_offsets = connector_alter_offsets,
    .source_task = &kc_mirror_heartbeat_task,
};
