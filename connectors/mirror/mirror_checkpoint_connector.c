/*
 * MirrorCheckpointConnector (spec/mirrormaker2.md 3.1, 3.2), the config tables of the checkpoint
 * and heartbeat connectors, the helpers the three MM2 files of this header share (client property
 * lists per spec 6.4, compacted topic creation per 1.7), the replay-bound registry and the
 * registration; see mirror_checkpoint.h.
 *
 * Owns (connector): a copy of its config, the policy and the filters, the source and target admin
 * clients, the known group set (sorted, guarded by lock) and the refresh thread.
 * Threads: start / task_configs / stop / destroy on the connector thread; the refresh thread lists
 * groups on the source and asks the worker for a reconfiguration when the set changed.
 */
#include "connectors/mirror/mirror_checkpoint.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connectors/mirror/filters.h"
#include "connectors/mirror/mirror_records.h"
#include "connectors/mirror/replication_policy.h"

#define LOGGER "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
#define NOT_LOADED "Timeout while loading consumer groups."

/* ---- config tables ------------------------------------------------------------------------- */

static const kc_config_key checkpoint_keys[] = {
    KC_CONFIG_KEY("consumer.poll.timeout.ms", KC_CONFIG_LONG, .default_value = "1000", .importance = KC_CONFIG_LOW,
                  .documentation = "Timeout when polling source cluster."),
    KC_CONFIG_KEY(KC_MIRROR_OFFSET_SYNCS_LOCATION, KC_CONFIG_STRING, .default_value = "source",
                  .validator = KC_CONFIG_IN_ANY_CASE("source", "target"), .importance = KC_CONFIG_LOW,
                  .documentation = "The location (source/target) of the offset-syncs topic."),
    KC_CONFIG_KEY("groups", KC_CONFIG_LIST, .default_value = ".*", .importance = KC_CONFIG_HIGH,
                  .documentation = "Consumer groups to replicate. Supports comma-separated group IDs and regexes."),
    KC_CONFIG_KEY("groups.exclude", KC_CONFIG_LIST, .default_value = "console-consumer-.*, connect-.*, __.*",
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "Exclude groups. Supports comma-separated group IDs and regexes. Excludes take "
                                   "precedence over includes."),
    KC_CONFIG_KEY("topic.filter.class", KC_CONFIG_CLASS, .default_value = "org.apache.kafka.connect.mirror.DefaultTopicFilter",
                  .importance = KC_CONFIG_LOW, .documentation = "TopicFilter to use. Selects topics to replicate."),
    KC_CONFIG_KEY("group.filter.class", KC_CONFIG_CLASS, .default_value = "org.apache.kafka.connect.mirror.DefaultGroupFilter",
                  .importance = KC_CONFIG_LOW, .documentation = "GroupFilter to use. Selects consumer groups to replicate."),
    KC_CONFIG_KEY(KC_MIRROR_REFRESH_GROUPS_ENABLED, KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_LOW, .documentation = "Whether to periodically check for new consumer groups."),
    KC_CONFIG_KEY(KC_MIRROR_REFRESH_GROUPS_INTERVAL, KC_CONFIG_LONG, .default_value = "600",
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of group refresh."),
    KC_CONFIG_KEY(KC_MIRROR_EMIT_CHECKPOINTS_ENABLED, KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Whether to replicate consumer offsets to target cluster."),
    KC_CONFIG_KEY(KC_MIRROR_EMIT_CHECKPOINTS_INTERVAL, KC_CONFIG_LONG, .default_value = "60",
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of checkpoints."),
    KC_CONFIG_KEY(KC_MIRROR_SYNC_GROUP_OFFSETS_ENABLED, KC_CONFIG_BOOLEAN, .default_value = "false",
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Whether to periodically write the translated offsets to __consumer_offsets topic "
                                   "in target cluster, as long as no active consumers in that group are connected "
                                   "to the target cluster"),
    KC_CONFIG_KEY(KC_MIRROR_SYNC_GROUP_OFFSETS_INTERVAL, KC_CONFIG_LONG, .default_value = "60",
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of consumer group offset sync."),
    KC_CONFIG_KEY(KC_MIRROR_CHECKPOINTS_TOPIC_RF, KC_CONFIG_SHORT, .default_value = "3",
                  .importance = KC_CONFIG_LOW, .documentation = "Replication factor for checkpoints topic."),
    KC_CONFIG_KEY("emit.offset-syncs.enabled", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_LOW, .documentation = "Whether to store the new offset of the replicated records in offset-syncs topic or not."),
};

static const kc_config_key heartbeat_keys[] = {
    KC_CONFIG_KEY(KC_MIRROR_EMIT_HEARTBEATS_ENABLED, KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_LOW, .documentation = "Whether to emit heartbeats to target cluster."),
    KC_CONFIG_KEY(KC_MIRROR_EMIT_HEARTBEATS_INTERVAL, KC_CONFIG_LONG, .default_value = "1",
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of heartbeats."),
    KC_CONFIG_KEY(KC_MIRROR_HEARTBEATS_TOPIC_RF, KC_CONFIG_SHORT, .default_value = "3",
                  .importance = KC_CONFIG_LOW, .documentation = "Replication factor for heartbeats topic."),
};

kc_config_table kc_mirror_checkpoint_config_table(void) { return KC_CONFIG_TABLE(checkpoint_keys); }
kc_config_table kc_mirror_heartbeat_config_table(void) { return KC_CONFIG_TABLE(heartbeat_keys); }

/* ---- shared helpers ------------------------------------------------------------------------ */

int64_t kc_mirror_cp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

kc_mirror_config *kc_mirror_cp_config_new(const kc_props *config, kc_config_table own, kc_error *err)
{
    kc_config_table tables[2] = {kc_mirror_connector_config_table(), own};
    return kc_mirror_config_new(config, tables, 2, err);
}

static rd_kafka_t *client_new(const kc_mirror_config *c, kc_mirror_cluster cluster, kc_mirror_client kind,
                              const char *label, const char *role, kc_error *err)
{
    kc_props *props = kc_mirror_client_props_new(c->originals, cluster, kind, label, role, err);
    if (!props)
        return NULL;
    if (!kc_props_get(props, "bootstrap.servers")) {
        kc_props_free(props);
        kc_error_set(err, KC_ERR_INVALID, "Missing required configuration \"%s.cluster.bootstrap.servers\" which "
                     "has no default value.", cluster == KC_MIRROR_CLUSTER_SOURCE ? "source" : "target");
        return NULL;
    }
    /* librdkafka's consumer poll wants a group id even with manual assignment; the consumers here
     * never subscribe nor commit, so the group never exists on the broker */
    if (kind == KC_MIRROR_CLIENT_CONSUMER && !kc_props_get(props, "group.id") &&
        kc_props_set(props, "group.id", label) != 0) {
        kc_props_free(props);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    rd_kafka_conf_t *conf = kc_client_conf_new(props, kind == KC_MIRROR_CLIENT_CONSUMER ? KC_CLIENT_CONSUMER
                                                                                         : KC_CLIENT_ADMIN,
                                               NULL, NULL, err);
    kc_props_free(props);
    if (!conf)
        return NULL;
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(kind == KC_MIRROR_CLIENT_CONSUMER ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf,
                                  errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        kc_error_set(err, KC_ERR_INVALID, "cannot create the client %s|%s: %s", label, role, errstr);
    }
    return rk;
}

rd_kafka_t *kc_mirror_cp_admin_new(const kc_mirror_config *c, kc_mirror_cluster cluster, const char *label,
                                   const char *role, kc_error *err)
{
    return client_new(c, cluster, KC_MIRROR_CLIENT_ADMIN, label, role, err);
}

rd_kafka_t *kc_mirror_cp_consumer_new(const kc_mirror_config *c, kc_mirror_cluster cluster, const char *label,
                                      const char *role, kc_error *err)
{
    return client_new(c, cluster, KC_MIRROR_CLIENT_CONSUMER, label, role, err);
}

int kc_mirror_cp_create_compacted_topic(rd_kafka_t *rk, const char *topic, int partitions, int replication,
                                        int timeout_ms, kc_error *err)
{
    char errstr[512];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, replication, errstr, sizeof errstr);
    if (!nt)
        return kc_error_set(err, KC_ERR_INVALID, "cannot create topic %s: %s", topic, errstr);
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_CreateTopics(rk, &nt, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 5000);
    int rc = 0;
    if (!ev) {
        rc = kc_error_set(err, KC_ERR_TIMEOUT, "Timed out while creating topic %s", topic);
    } else if (rd_kafka_event_error(ev)) {
        rd_kafka_resp_err_t e = rd_kafka_event_error(ev);
        if (e != RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION && e != RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED)
            rc = kc_error_set(err, KC_ERR_IO, "Could not create topic %s: %s", topic, rd_kafka_event_error_string(ev));
    } else {
        size_t n;
        const rd_kafka_topic_result_t **res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
        for (size_t i = 0; i < n; i++) {
            rd_kafka_resp_err_t e = rd_kafka_topic_result_error(res[i]);
            if (e == RD_KAFKA_RESP_ERR_NO_ERROR || e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
                    kc_log(KC_LOG_INFO, LOGGER, "Created topic %s with %d partitions and replication factor %d",
                           topic, partitions, replication);
            } else if (e == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
                       e == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED ||
                       e == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION) {
                kc_log(KC_LOG_DEBUG, LOGGER, "Unable to create topic %s (%s); assuming it exists", topic,
                       rd_kafka_err2str(e));
            } else {
                rc = kc_error_set(err, KC_ERR_IO, "Could not create topic %s: %s", topic,
                                  rd_kafka_topic_result_error_string(res[i]) ? rd_kafka_topic_result_error_string(res[i])
                                                                             : rd_kafka_err2str(e));
            }
        }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    return rc;
}

/* ---- group assignment ------------------------------------------------------------------------ */

int kc_mirror_checkpoint_assign_groups(size_t n, int max_tasks, int *task_of)
{
    if (n == 0 || max_tasks < 1)
        return 0;
    size_t tasks = (size_t)max_tasks < n ? (size_t)max_tasks : n;
    size_t q = n / tasks, r = n % tasks, i = 0;
    for (size_t t = 0; t < tasks; t++) {
        size_t len = q + (t < r ? 1 : 0);
        for (size_t k = 0; k < len; k++)
            task_of[i++] = (int)t;
    }
    return (int)tasks;
}

/* ---- replay-bound registry ------------------------------------------------------------------- */

static pthread_mutex_t bounds_lock = PTHREAD_MUTEX_INITIALIZER;
static kc_mirror_replay_bound *bounds;
static size_t bounds_n, bounds_cap;

static int bound_cmp(const void *a, const void *b)
{
    const kc_mirror_replay_bound *x = a, *y = b;
    int c = strcmp(x->connector, y->connector);
    return c ? c : strcmp(x->group, y->group);
}

void kc_mirror_checkpoint_replay_bound_put(const char *connector, const char *group, int64_t bound, int partitions,
                                           int unknown_partitions, int64_t updated_ms)
{
    pthread_mutex_lock(&bounds_lock);
    kc_mirror_replay_bound *e = NULL;
    for (size_t i = 0; i < bounds_n && !e; i++)
        if (strcmp(bounds[i].connector, connector) == 0 && strcmp(bounds[i].group, group) == 0)
            e = &bounds[i];
    if (!e) {
        if (bounds_n == bounds_cap) {
            size_t cap = bounds_cap ? bounds_cap * 2 : 16;
            kc_mirror_replay_bound *grown = realloc(bounds, cap * sizeof *grown);
            if (!grown)
                goto out;
            bounds = grown;
            bounds_cap = cap;
        }
        char *c = strdup(connector), *g = strdup(group);
        if (!c || !g) {
            free(c);
            free(g);
            goto out;
        }
        e = &bounds[bounds_n++];
        e->connector = c;
        e->group = g;
    }
    e->bound = unknown_partitions > 0 ? -1 : bound;
    e->partitions = partitions;
    e->unknown_partitions = unknown_partitions;
    e->updated_ms = updated_ms;
out:
    pthread_mutex_unlock(&bounds_lock);
}

void kc_mirror_replay_bounds_free(kc_mirror_replay_bound *b, size_t n)
{
    for (size_t i = 0; b && i < n; i++) {
        free(b[i].connector);
        free(b[i].group);
    }
    free(b);
}

int kc_mirror_checkpoint_replay_bounds(const char *connector, kc_mirror_replay_bound **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&bounds_lock);
    kc_mirror_replay_bound *copy = calloc(bounds_n ? bounds_n : 1, sizeof *copy);
    size_t k = 0;
    int rc = copy ? 0 : -1;
    for (size_t i = 0; copy && i < bounds_n; i++) {
        if (connector && strcmp(bounds[i].connector, connector) != 0)
            continue;
        copy[k] = bounds[i];
        copy[k].connector = strdup(bounds[i].connector);
        copy[k].group = strdup(bounds[i].group);
        k++;
        if (!copy[k - 1].connector || !copy[k - 1].group) {
            rc = -1;
            break;
        }
    }
    pthread_mutex_unlock(&bounds_lock);
    if (rc != 0) {
        kc_mirror_replay_bounds_free(copy, k);
        return -1;
    }
    qsort(copy, k, sizeof *copy, bound_cmp);
    *out = copy;
    *n = k;
    return 0;
}

void kc_mirror_checkpoint_replay_bounds_clear(const char *connector)
{
    pthread_mutex_lock(&bounds_lock);
    size_t k = 0;
    for (size_t i = 0; i < bounds_n; i++) {
        if (!connector || strcmp(bounds[i].connector, connector) == 0) {
            free(bounds[i].connector);
            free(bounds[i].group);
        } else {
            bounds[k++] = bounds[i];
        }
    }
    bounds_n = k;
    if (!bounds_n) {
        free(bounds);
        bounds = NULL;
        bounds_cap = 0;
    }
    pthread_mutex_unlock(&bounds_lock);
}

/* ---- the connector ----------------------------------------------------------------------------- */

typedef struct checkpoint_connector {
    kc_connector_context *ctx;
    kc_props *config;
    char label[512];
    bool enabled, emit_enabled;
    kc_mirror_topic_filter *topics;
    kc_mirror_group_filter *groups;
    rd_kafka_t *source_admin;
    int admin_timeout_ms;
    int64_t refresh_ms;
    bool refresh_enabled;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    bool thread_started;
    pthread_t thread;
    bool loaded;          /* guarded by lock */
    char **known;         /* sorted; guarded by lock */
    size_t known_n;
} checkpoint_connector;

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* 1 when group has a committed offset on a topic the topic filter accepts, 0 when not, -1 with err. */
static int group_has_accepted_offsets(checkpoint_connector *c, const char *group, kc_error *err)
{
    char errstr[256];
    rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(group, NULL);
    rd_kafka_queue_t *q = rd_kafka_queue_new(c->source_admin);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(c->source_admin, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
    rd_kafka_AdminOptions_set_request_timeout(opts, c->admin_timeout_ms, errstr, sizeof errstr);
    rd_kafka_ListConsumerGroupOffsets(c->source_admin, &req, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, c->admin_timeout_ms + 5000);
    int rc = 0;
    if (!ev) {
        rc = kc_error_set(err, KC_ERR_TIMEOUT, "Timed out listing the offsets of group %s", group);
    } else if (rd_kafka_event_error(ev)) {
        rc = kc_error_set(err, KC_ERR_IO, "Listing the offsets of group %s: %s", group, rd_kafka_event_error_string(ev));
    } else {
        size_t n;
        const rd_kafka_group_result_t **gr =
            rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
        for (size_t i = 0; i < n && rc == 0; i++) {
            const rd_kafka_error_t *ge = rd_kafka_group_result_error(gr[i]);
            if (ge) {
                rc = kc_error_set(err, KC_ERR_IO, "Listing the offsets of group %s: %s", group, rd_kafka_error_string(ge));
                break;
            }
            const rd_kafka_topic_partition_list_t *parts = rd_kafka_group_result_partitions(gr[i]);
            for (int p = 0; parts && p < parts->cnt && rc == 0; p++) {
                if (parts->elems[p].offset < 0 || parts->elems[p].err)
                    continue;
                int ok = kc_mirror_topic_filter_should_replicate(c->topics, parts->elems[p].topic, err);
                if (ok != 0)
                    rc = ok; /* 1 accepted, -1 error */
            }
        }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    return rc;
}

/* findConsumerGroups: the sorted set of groups to checkpoint. 0 or -1 with err. */
static int find_groups(checkpoint_connector *c, char ***out, size_t *out_n, kc_error *err)
{
    const struct rd_kafka_group_list *list = NULL;
    rd_kafka_resp_err_t e = rd_kafka_list_groups(c->source_admin, NULL, &list, c->admin_timeout_ms);
    if (e)
        return kc_error_set(err, KC_ERR_IO, "Listing the consumer groups of the source cluster: %s", rd_kafka_err2str(e));
    char **v = calloc((size_t)list->group_cnt + 1, sizeof *v);
    size_t n = 0;
    int rc = v ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (int i = 0; rc == 0 && i < list->group_cnt; i++) {
        const struct rd_kafka_group_info *g = &list->groups[i];
        if (g->protocol_type && *g->protocol_type && strcmp(g->protocol_type, "consumer") != 0)
            continue; /* Connect worker groups and other protocols are never listed */
        int ok = kc_mirror_group_filter_should_replicate(c->groups, g->group, err);
        if (ok < 0) {
            rc = -1;
            break;
        }
        if (!ok)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(v[k], g->group) == 0;
        if (dup)
            continue;
        ok = group_has_accepted_offsets(c, g->group, err);
        if (ok < 0) {
            rc = -1;
            break;
        }
        if (ok && !(v[n++] = strdup(g->group)))
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    rd_kafka_group_list_destroy(list);
    if (rc != 0) {
        free_strs(v, n);
        return -1;
    }
    qsort(v, n, sizeof *v, str_cmp);
    *out = v;
    *out_n = n;
    return 0;
}

/* refreshConsumerGroups: 1 when the set changed (or was loaded for the first time), 0, -1. */
static int refresh_groups(checkpoint_connector *c, kc_error *err)
{
    char **v = NULL;
    size_t n = 0;
    if (find_groups(c, &v, &n, err) != 0)
        return -1;
    pthread_mutex_lock(&c->lock);
    bool changed = !c->loaded || n != c->known_n;
    for (size_t i = 0; !changed && i < n; i++)
        changed = strcmp(v[i], c->known[i]) != 0;
    if (changed) {
        free_strs(c->known, c->known_n);
        c->known = v;
        c->known_n = n;
        c->loaded = true;
    } else {
        free_strs(v, n);
    }
    pthread_mutex_unlock(&c->lock);
    if (changed)
        kc_log(KC_LOG_INFO, LOGGER, "%s found %zu consumer groups to checkpoint", c->label, n);
    return changed ? 1 : 0;
}

static void *refresh_thread(void *arg)
{
    checkpoint_connector *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        /* until the first load succeeded retry every 5 s (Java waits a full interval) */
        int64_t wait_ms = c->loaded ? c->refresh_ms : (c->refresh_ms < 5000 ? c->refresh_ms : 5000);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait_ms / 1000;
        until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!c->stopping && pthread_cond_timedwait(&c->wake, &c->lock, &until) == 0)
            ;
        bool stop = c->stopping, loaded = c->loaded;
        pthread_mutex_unlock(&c->lock);
        if (stop)
            break;
        if (loaded && !c->refresh_enabled)
            continue;
        kc_error err;
        kc_error_clear(&err);
        int rc = refresh_groups(c, &err);
        if (rc < 0)
            kc_log(KC_LOG_ERROR, LOGGER, "%s Scheduler caught exception during refreshing consumer groups: %s",
                   c->label, err.msg);
        else if (rc > 0)
            kc_connector_context_request_reconfiguration(c->ctx);
    }
    return NULL;
}

static void *connector_create(void)
{
    checkpoint_connector *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    return c;
}

static int connector_start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err)
{
    checkpoint_connector *c = self;
    c->ctx = ctx;
    if (!(c->config = kc_props_copy(config)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_mirror_config *mc = kc_mirror_cp_config_new(config, kc_mirror_checkpoint_config_table(), err);
    if (!mc)
        return -1;
    int rc = -1;
    char *label = NULL, *topic = NULL;
    c->enabled = mc->enabled;
    c->admin_timeout_ms = (int)mc->admin_timeout_ms;
    c->emit_enabled = kc_config_get_bool(mc->parsed, KC_MIRROR_EMIT_CHECKPOINTS_ENABLED);
    c->refresh_enabled = kc_config_get_bool(mc->parsed, KC_MIRROR_REFRESH_GROUPS_ENABLED);
    c->refresh_ms = kc_config_get_long(mc->parsed, KC_MIRROR_REFRESH_GROUPS_INTERVAL) * 1000;
    if (c->refresh_ms < 1)
        c->refresh_ms = 1;
    int rf = kc_config_get_short(mc->parsed, KC_MIRROR_CHECKPOINTS_TOPIC_RF);
    if (!(label = kc_mirror_entity_label_new(mc, -1))) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    snprintf(c->label, sizeof c->label, "%s", label);
    if (!c->enabled) {
        rc = 0;
        goto out;
    }
    if (!(c->topics = kc_mirror_topic_filter_new(config, err)) || !(c->groups = kc_mirror_group_filter_new(config, err)))
        goto out;
    if (!(c->source_admin = kc_mirror_cp_admin_new(mc, KC_MIRROR_CLUSTER_SOURCE, label,
                                                   KC_MIRROR_ROLE_CHECKPOINT_SOURCE_ADMIN, err)))
        goto out;

    /* 1. the checkpoints topic on the target (failures are logged; Java's scheduler does the same) */
    if (kc_mirror_policy_checkpoints_topic(mc->policy, mc->source_alias, &topic, err) != 0)
        goto out;
    kc_error terr;
    kc_error_clear(&terr);
    rd_kafka_t *target_admin = kc_mirror_cp_admin_new(mc, KC_MIRROR_CLUSTER_TARGET, label,
                                                      KC_MIRROR_ROLE_CHECKPOINT_TARGET_ADMIN, &terr);
    if (!target_admin || kc_mirror_cp_create_compacted_topic(target_admin, topic, 1, rf, c->admin_timeout_ms, &terr) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "%s Scheduler caught exception during creating internal topics: %s", c->label,
               terr.msg);
    if (target_admin)
        rd_kafka_destroy(target_admin);

    /* 2. the initial group set (retried by the refresh thread when it fails) */
    kc_error gerr;
    kc_error_clear(&gerr);
    if (refresh_groups(c, &gerr) < 0)
        kc_log(KC_LOG_ERROR, LOGGER, "%s Scheduler caught exception during loading consumer groups: %s", c->label,
               gerr.msg);
    if (pthread_create(&c->thread, NULL, refresh_thread, c) != 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "cannot start the group refresh thread");
        goto out;
    }
    c->thread_started = true;
    rc = 0;
out:
    free(label);
    free(topic);
    kc_mirror_config_free(mc);
    return rc;
}

static int connector_task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err)
{
    checkpoint_connector *c = self;
    if (!c->enabled)
        return 0; /* KAFKA-18021's behaviour */
    pthread_mutex_lock(&c->lock);
    if (!c->loaded) {
        pthread_mutex_unlock(&c->lock);
        return kc_error_set(err, KC_ERR_UNAVAILABLE, NOT_LOADED);
    }
    if (!c->emit_enabled || c->known_n == 0) {
        pthread_mutex_unlock(&c->lock);
        return 0;
    }
    /* group ids with ',' cannot travel in task.assigned.groups (Java splits them): left out */
    char **groups = calloc(c->known_n, sizeof *groups);
    int *task_of = calloc(c->known_n, sizeof *task_of);
    size_t n = 0;
    int rc = groups && task_of ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < c->known_n; i++) {
        if (strchr(c->known[i], ',')) {
            kc_log(KC_LOG_WARN, LOGGER, "%s consumer group '%s' contains ',' and cannot be assigned to a task; "
                   "it is not checkpointed", c->label, c->known[i]);
            continue;
        }
        if (!(groups[n++] = strdup(c->known[i])))
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    pthread_mutex_unlock(&c->lock);
    int tasks = rc == 0 ? kc_mirror_checkpoint_assign_groups(n, max_tasks, task_of) : 0;
    for (int t = 0; rc == 0 && t < tasks; t++) {
        size_t len = 1;
        for (size_t i = 0; i < n; i++)
            if (task_of[i] == t)
                len += strlen(groups[i]) + 1;
        char *joined = malloc(len), idx[16];
        kc_props *p = kc_props_copy(c->config);
        if (!joined || !p) {
            free(joined);
            kc_props_free(p);
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            break;
        }
        joined[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (task_of[i] != t)
                continue;
            if (joined[0])
                strcat(joined, ",");
            strcat(joined, groups[i]);
        }
        snprintf(idx, sizeof idx, "%d", t);
        int bad = kc_props_set(p, KC_MIRROR_TASK_ASSIGNED_GROUPS, joined) || kc_props_set(p, KC_MIRROR_TASK_INDEX, idx);
        free(joined);
        if (bad) {
            kc_props_free(p);
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            break;
        }
        if (kc_task_configs_add(out, p) != 0)
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    free_strs(groups, n);
    free(task_of);
    return rc;
}

static void connector_stop(void *self)
{
    checkpoint_connector *c = self;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_broadcast(&c->wake);
    pthread_mutex_unlock(&c->lock);
    if (c->thread_started) {
        pthread_join(c->thread, NULL);
        c->thread_started = false;
    }
}

static void connector_destroy(void *self)
{
    checkpoint_connector *c = self;
    if (!c)
        return;
    connector_stop(c);
    if (c->source_admin)
        rd_kafka_destroy(c->source_admin);
    kc_mirror_topic_filter_free(c->topics);
    kc_mirror_group_filter_free(c->groups);
    free_strs(c->known, c->known_n);
    kc_props_free(c->config);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->wake);
    free(c);
}

/* MirrorCheckpointConnector.validate: emit.checkpoints / emit.offset-syncs must stay on. */
/* Boolean.parseBoolean-ish read of a raw property (validation runs before parsing). */
static int prop_bool(const kc_props *config, const char *key, int dflt)
{
    const char *v = kc_props_get(config, key);
    if (!v)
        return dflt;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n == 4 && strncasecmp(v, "true", 4) == 0)
        return 1;
    if (n == 5 && strncasecmp(v, "false", 5) == 0)
        return 0;
    return dflt;
}

static int connector_validate(const kc_props *config, kc_config_validation *v, kc_error *err)
{
    if (!prop_bool(config, "enabled", 1))
        return 0;
    const char *keys[] = {KC_MIRROR_EMIT_CHECKPOINTS_ENABLED, "emit.offset-syncs.enabled"};
    for (size_t i = 0; i < 2; i++) {
        if (prop_bool(config, keys[i], 1))
            continue;
        kc_config_result *r = kc_config_validation_get(v, keys[i], true);
        if (!r || kc_config_result_add_error(r, "MirrorCheckpointConnector can't run with %s set to false", keys[i]) != 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    return 0;
}

/* alterOffsets: group / topic strings, partition, offset exactly 0 (spec 1.5). */
static int connector_alter_offsets(const kc_props *config, const kc_value *offsets, kc_error *err)
{
    (void)config;
    for (size_t i = 0; i < kc_value_array_size(offsets); i++) {
        const kc_value *entry = kc_value_array_get(offsets, i);
        const kc_value *partition = kc_value_map_get_str(entry, "partition");
        const kc_value *offset = kc_value_map_get_str(entry, "offset");
        if (kc_mirror_validate_partition_string(partition, "group", err) != 0 ||
            kc_mirror_validate_partition_string(partition, "topic", err) != 0 ||
            kc_mirror_validate_partition_partition(partition, err) != 0 ||
            kc_mirror_validate_offset(partition, offset, true, err) != 0)
            return -1;
    }
    return 1;
}

kc_connector_plugin kc_mirror_checkpoint_connector = {
    .kind = KC_PLUGIN_SOURCE,
    .class_name = KC_MIRROR_CHECKPOINT_CONNECTOR_CLASS,
    .validate = connector_validate,
    .create = connector_create,
    .start = connector_start,
    .task_configs = connector_task_configs,
    .stop = connector_stop,
    .destroy = connector_destroy,
    .alter_offsets = connector_alter_offsets,
    .source_task = &kc_mirror_checkpoint_task,
};

/* ---- registration ------------------------------------------------------------------------------ */

/* The plugins' tables: the common MM2 keys, then the connector's own (Java's ConfigDef order).
 * Built once and kept for the life of the process. */
static kc_config_key *combined_table(kc_config_table own, size_t *count)
{
    kc_config_table common = kc_mirror_connector_config_table();
    kc_config_key *keys = malloc((common.count + own.count) * sizeof *keys);
    if (!keys)
        return NULL;
    memcpy(keys, common.keys, common.count * sizeof *keys);
    memcpy(keys + common.count, own.keys, own.count * sizeof *keys);
    *count = common.count + own.count;
    /* The worker resolves CLASS values against its plugin registry, which holds no replication
     * policy, filter or admin class: the worker-facing table declares them STRING; start refuses an
     * unknown class (kc_mirror_policy_new, kc_mirror_*_filter_new) with Java's message. */
    for (size_t i = 0; i < *count; i++)
        if (keys[i].type == KC_CONFIG_CLASS)
            keys[i].type = KC_CONFIG_STRING;
    return keys;
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static kc_config_key *checkpoint_table, *heartbeat_table;

static void build_tables(void)
{
    size_t n;
    if ((checkpoint_table = combined_table(kc_mirror_checkpoint_config_table(), &n))) {
        kc_mirror_checkpoint_connector.config = checkpoint_table;
        kc_mirror_checkpoint_connector.config_count = n;
    }
    if ((heartbeat_table = combined_table(kc_mirror_heartbeat_config_table(), &n))) {
        kc_mirror_heartbeat_connector.config = heartbeat_table;
        kc_mirror_heartbeat_connector.config_count = n;
    }
}

static const kc_plugin_desc mirror_plugins[] = {
    {KC_PLUGIN_SOURCE, KC_MIRROR_CHECKPOINT_CONNECTOR_CLASS, NULL, &kc_mirror_checkpoint_connector},
    {KC_PLUGIN_SOURCE, KC_MIRROR_HEARTBEAT_CONNECTOR_CLASS, NULL, &kc_mirror_heartbeat_connector},
};

int kc_mirror_checkpoint_heartbeat_register(kc_error *err)
{
    pthread_once(&tables_once, build_tables);
    if (!checkpoint_table || !heartbeat_table)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < sizeof mirror_plugins / sizeof mirror_plugins[0]; i++)
        if (kc_plugins_register(&mirror_plugins[i], err) != 0)
            return -1;
    return 0;
}
