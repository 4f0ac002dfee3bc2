/*
 * MirrorCheckpointTask with its CheckpointStore (spec/mirrormaker2.md 3.3-3.7); see
 * mirror_checkpoint.h.
 *
 * Owns: the parsed config, the topic filter, the OffsetSyncStore, the CheckpointStore (the last
 * checkpoint per (group, renamed topic, partition), a hash table guarded by lock), the source admin
 * (ListConsumerGroupOffsets of the assigned groups), the target admin (group offset sync:
 * DescribeConsumerGroups, ListConsumerGroupOffsets, AlterConsumerGroupOffsets -- librdkafka 2.0.2 has
 * it, so no consumer ever commits in a target group) and the reader thread.
 * Threads: start / poll on the task thread (poll also runs the group offset sync, so the two never
 * race); stop on another thread (flag + wake); the reader thread loads the CheckpointStore from the
 * checkpoints topic on the target, then reads the offset-syncs topic partition 0 to its end
 * (OffsetSyncStore start sequence) and keeps tailing it until the task stops.
 * Each group offset sync pass records its outcome per group in the registry of mirror_metrics.h
 * (written, skipped because the group is active on the target, failed); destroy forgets them.
 */
#include "connectors/mirror/mirror_checkpoint.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "connect/api/log.h"
#include "connectors/mirror/checkpoint_logic.h"
#include "connectors/mirror/filters.h"
#include "connectors/mirror/mirror_metrics.h"
#include "connectors/mirror/mirror_records.h"

#define LOGGER "org.apache.kafka.connect.mirror.MirrorCheckpointTask"
#define BUCKETS 1024
#define GROUPS_MAX 100000 /* task.assigned.groups entries */

typedef struct cp_entry {
    struct cp_entry *next;
    char *group, *topic, *metadata;
    int32_t partition;
    int64_t upstream, downstream;
} cp_entry;

typedef struct checkpoint_task {
    kc_mirror_config *mc;
    char *label, *name;
    char **groups;
    size_t ngroups;
    char *checkpoints_topic, *syncs_topic;
    bool syncs_at_source;
    kc_mirror_topic_filter *topics;
    kc_offset_sync_store_t *store;
    rd_kafka_t *source_admin, *target_admin;
    int64_t emit_ms, sync_ms, poll_timeout_ms, admin_timeout_ms;
    bool sync_enabled;
    int64_t next_emit, next_sync; /* monotonic ms */
    pthread_t reader;
    bool reader_started;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* CLOCK_MONOTONIC */
    bool stopping;
    bool store_initialized;     /* CheckpointStore start attempt finished; guarded by lock */
    cp_entry *buckets[BUCKETS]; /* guarded by lock */
} checkpoint_task;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_stopping(checkpoint_task *t)
{
    pthread_mutex_lock(&t->lock);
    bool s = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return s;
}

/* Waits up to ms or until stop. */
static void wait_ms(checkpoint_task *t, int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->lock);
    while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
        ;
    pthread_mutex_unlock(&t->lock);
}

/* ---- CheckpointStore (callers hold lock) ----------------------------------------------------- */

static size_t cp_hash(const char *group, const char *topic, int32_t partition)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = group; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (const char *s = topic; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ (uint32_t)partition) * 1099511628211ULL;
    return (size_t)(h % BUCKETS);
}

static cp_entry *cp_find(checkpoint_task *t, const char *group, const char *topic, int32_t partition)
{
    for (cp_entry *e = t->buckets[cp_hash(group, topic, partition)]; e; e = e->next)
        if (e->partition == partition && strcmp(e->group, group) == 0 && strcmp(e->topic, topic) == 0)
            return e;
    return NULL;
}

static int cp_put(checkpoint_task *t, const char *group, const char *topic, int32_t partition, int64_t upstream,
                  int64_t downstream, const char *metadata)
{
    cp_entry *e = cp_find(t, group, topic, partition);
    char *md = strdup(metadata ? metadata : "");
    if (!md)
        return -1;
    if (!e) {
        if (!(e = calloc(1, sizeof *e)) || !(e->group = strdup(group)) || !(e->topic = strdup(topic))) {
            if (e)
                free(e->group);
            free(e);
            free(md);
            return -1;
        }
        e->partition = partition;
        size_t b = cp_hash(group, topic, partition);
        e->next = t->buckets[b];
        t->buckets[b] = e;
    }
    free(e->metadata);
    e->metadata = md;
    e->upstream = upstream;
    e->downstream = downstream;
    return 0;
}

static void cp_clear(checkpoint_task *t)
{
    for (size_t b = 0; b < BUCKETS; b++) {
        for (cp_entry *e = t->buckets[b], *next; e; e = next) {
            next = e->next;
            free(e->group);
            free(e->topic);
            free(e->metadata);
            free(e);
        }
        t->buckets[b] = NULL;
    }
}

static bool assigned(checkpoint_task *t, const char *group)
{
    for (size_t i = 0; i < t->ngroups; i++)
        if (strcmp(t->groups[i], group) == 0)
            return true;
    return false;
}

/* ---- reader thread ----------------------------------------------------------------------------- */

/* Assigns partition 0 of topic from the beginning; *high = its end offset. 0, or -1 with err. */
static int assign_from_start(rd_kafka_t *c, const char *topic, int64_t *high, int timeout_ms, kc_error *err)
{
    int64_t low = 0;
    rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(c, topic, 0, &low, high, timeout_ms);
    if (e)
        return kc_error_set(err, KC_ERR_IO, "reading the end offset of %s-0: %s", topic, rd_kafka_err2str(e));
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    e = rd_kafka_assign(c, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    if (e)
        return kc_error_set(err, KC_ERR_IO, "assigning %s-0: %s", topic, rd_kafka_err2str(e));
    return 0;
}

/* CheckpointStore.start: true when the checkpoints topic was read to its end. */
static bool load_checkpoints(checkpoint_task *t)
{
    kc_error err;
    kc_error_clear(&err);
    rd_kafka_t *c = kc_mirror_cp_consumer_new(t->mc, KC_MIRROR_CLUSTER_TARGET, t->label,
                                              KC_MIRROR_ROLE_CHECKPOINTS_TARGET_CONSUMER, &err);
    int64_t high = 0;
    bool ok = c && assign_from_start(c, t->checkpoints_topic, &high, (int)t->admin_timeout_ms, &err) == 0;
    int64_t pos = 0;
    while (ok && pos < high && !is_stopping(t)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 200);
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            pos = high;
        } else if (m->err) {
            kc_error_set(&err, KC_ERR_IO, "%s", rd_kafka_message_errstr(m));
            ok = false;
        } else {
            pos = m->offset + 1;
            kc_mirror_checkpoint cp;
            kc_error derr;
            if (!m->key || !m->payload ||
                kc_mirror_checkpoint_decode(m->key, m->key_len, m->payload, m->len, &cp, &derr) != 0) {
                kc_log(KC_LOG_WARN, LOGGER, "%s Failed to deserialize checkpoint at offset %" PRId64 ": %s", t->label,
                       (int64_t)m->offset, m->key && m->payload ? derr.msg : "null key or value");
            } else {
                if (assigned(t, cp.group)) {
                    pthread_mutex_lock(&t->lock);
                    if (cp_put(t, cp.group, cp.topic, cp.partition, cp.upstream_offset, cp.downstream_offset,
                               cp.metadata) != 0) {
                        kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
                        ok = false;
                    }
                    pthread_mutex_unlock(&t->lock);
                }
                kc_mirror_checkpoint_clear(&cp);
            }
        }
        rd_kafka_message_destroy(m);
    }
    if (c) {
        rd_kafka_consumer_close(c);
        rd_kafka_destroy(c);
    }
    pthread_mutex_lock(&t->lock);
    if (!ok) {
        cp_clear(t);
        kc_log(KC_LOG_WARN, LOGGER, "%s Exception encountered loading checkpoints topic %s, this may degrade offset "
               "translation and only must be fixed if consumer group offsets are not being synced: %s", t->label,
               t->checkpoints_topic, err.msg);
    }
    t->store_initialized = true;
    pthread_mutex_unlock(&t->lock);
    return ok;
}

static void handle_sync(checkpoint_task *t, const rd_kafka_message_t *m)
{
    kc_mirror_offset_sync s;
    kc_error err;
    if (!m->key || !m->payload || kc_mirror_offset_sync_decode(m->key, m->key_len, m->payload, m->len, &s, &err) != 0) {
        kc_log(KC_LOG_WARN, LOGGER, "%s Failed to deserialize offset sync at offset %" PRId64, t->label,
               (int64_t)m->offset);
        return;
    }
    if (kc_offset_sync_store_handle(t->store, s.topic, s.partition, s.upstream_offset, s.downstream_offset, &err) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "%s offset sync dropped: %s", t->label, err.msg);
    kc_mirror_offset_sync_clear(&s);
}

static void *reader_main(void *arg)
{
    checkpoint_task *t = arg;
    bool ok = load_checkpoints(t);
    kc_offset_sync_store_start_load(t->store, !ok);
    kc_error err;
    kc_error_clear(&err);
    rd_kafka_t *c = NULL;
    int64_t high = -1;
    while (!is_stopping(t)) {
        if (!c && !(c = kc_mirror_cp_consumer_new(t->mc,
                                                  t->syncs_at_source ? KC_MIRROR_CLUSTER_SOURCE : KC_MIRROR_CLUSTER_TARGET,
                                                  t->label,
                                                  t->syncs_at_source ? KC_MIRROR_ROLE_OFFSET_SYNCS_SOURCE_CONSUMER
                                                                     : KC_MIRROR_ROLE_OFFSET_SYNCS_TARGET_CONSUMER,
                                                  &err))) {
            kc_log(KC_LOG_ERROR, LOGGER, "%s %s", t->label, err.msg);
            wait_ms(t, 5000);
            continue;
        }
        if (high < 0) {
            if (assign_from_start(c, t->syncs_topic, &high, 10000, &err) != 0) {
                high = -1;
                kc_log(KC_LOG_WARN, LOGGER, "%s offset-syncs topic not readable yet: %s", t->label, err.msg);
                wait_ms(t, 2000);
                continue;
            }
            if (high == 0) {
                kc_offset_sync_store_mark_read_to_end(t->store);
                high = INT64_MAX; /* read to end */
            }
        }
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 200);
        if (!m)
            continue;
        if (!m->err) {
            handle_sync(t, m);
            if (high != INT64_MAX && m->offset + 1 >= high) {
                kc_offset_sync_store_mark_read_to_end(t->store);
                kc_log(KC_LOG_INFO, LOGGER, "%s read the offset-syncs topic %s to its end (%" PRId64 " records)",
                       t->label, t->syncs_topic, high);
                high = INT64_MAX;
            }
        } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            kc_log(KC_LOG_WARN, LOGGER, "%s reading %s: %s", t->label, t->syncs_topic, rd_kafka_message_errstr(m));
        }
        rd_kafka_message_destroy(m);
    }
    if (c) {
        rd_kafka_consumer_close(c);
        rd_kafka_destroy(c);
    }
    return NULL;
}

/* ---- admin helpers ------------------------------------------------------------------------------ */

/* The committed offsets of group on rk's cluster: a new list (rd_kafka_topic_partition_list_destroy;
 * entries with offset < 0 have none), NULL with err. */
static rd_kafka_topic_partition_list_t *list_group_offsets(rd_kafka_t *rk, const char *group, int timeout_ms,
                                                           kc_error *err)
{
    char errstr[256];
    rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(group, NULL);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 5000);
    rd_kafka_topic_partition_list_t *out = NULL;
    if (!ev) {
        kc_error_set(err, KC_ERR_TIMEOUT, "Timed out listing the offsets of group %s", group);
    } else if (rd_kafka_event_error(ev)) {
        kc_error_set(err, KC_ERR_IO, "listing the offsets of group %s: %s", group, rd_kafka_event_error_string(ev));
    } else {
        size_t n;
        const rd_kafka_group_result_t **gr =
            rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
        if (n < 1)
            kc_error_set(err, KC_ERR_IO, "listing the offsets of group %s: no result", group);
        else if (rd_kafka_group_result_error(gr[0]))
            kc_error_set(err, KC_ERR_IO, "listing the offsets of group %s: %s", group,
                         rd_kafka_error_string(rd_kafka_group_result_error(gr[0])));
        else if (rd_kafka_group_result_partitions(gr[0]))
            out = rd_kafka_topic_partition_list_copy(rd_kafka_group_result_partitions(gr[0]));
        else
            out = rd_kafka_topic_partition_list_new(0);
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    return out;
}

/* ---- checkpoint emission ---------------------------------------------------------------------- */

/* renameTopicPartition's topic. New string, NULL with err. */
static char *rename_topic(checkpoint_task *t, const char *topic, kc_error *err)
{
    char *source = NULL, *out = NULL;
    if (kc_mirror_policy_topic_source(t->mc->policy, topic, &source, err) != 0)
        return NULL;
    if (source && strcmp(source, t->mc->target_alias) == 0)
        (void)kc_mirror_policy_original_topic(t->mc->policy, topic, &out, err);
    else
        (void)kc_mirror_policy_format_remote_topic(t->mc->policy, t->mc->source_alias, topic, &out, err);
    free(source);
    return out;
}

static kc_record *checkpoint_record(checkpoint_task *t, const kc_checkpoint *cp, int64_t ts, kc_error *err)
{
    kc_mirror_checkpoint mc = {.group = (char *)cp->group, .topic = (char *)cp->topic, .partition = cp->partition,
                               .upstream_offset = cp->upstream_offset, .downstream_offset = cp->downstream_offset,
                               .metadata = (char *)(cp->metadata ? cp->metadata : "")};
    kc_mirror_bytes key = {0}, value = {0};
    if (kc_mirror_checkpoint_encode(&mc, &key, &value, err) != 0)
        return NULL;
    kc_record *r = kc_record_new(t->checkpoints_topic);
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
    r->timestamp = ts;
    r->timestamp_type = KC_TIMESTAMP_CREATE_TIME;
    r->source_partition = kc_mirror_checkpoint_partition_new(cp->group, cp->topic, cp->partition);
    r->source_offset = kc_mirror_offset_new(0);
    if (!r->source_partition || !r->source_offset) {
        kc_record_free(r);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    return r;
}

/* checkpointsForGroup: appends the group's new checkpoints to out. Errors are logged. */
static void emit_group(checkpoint_task *t, const char *group, kc_record_list *out)
{
    int64_t ts = kc_mirror_cp_now_ms();
    kc_error err;
    kc_error_clear(&err);
    rd_kafka_topic_partition_list_t *parts = list_group_offsets(t->source_admin, group, (int)t->admin_timeout_ms, &err);
    if (!parts) {
        kc_log(KC_LOG_ERROR, LOGGER, "%s Error querying offsets for consumer group %s on cluster %s: %s", t->label,
               group, t->mc->source_alias, err.msg);
        return;
    }
    int translated = 0, unknown = 0;
    int64_t bound = 0;
    for (int i = 0; i < parts->cnt; i++) {
        const rd_kafka_topic_partition_t *p = &parts->elems[i];
        if (p->err || p->offset < 0)
            continue;
        int ok = kc_mirror_topic_filter_should_replicate(t->topics, p->topic, &err);
        if (ok <= 0) {
            if (ok < 0)
                kc_log(KC_LOG_ERROR, LOGGER, "%s %s", t->label, err.msg);
            continue;
        }
        char *renamed = rename_topic(t, p->topic, &err);
        if (!renamed) {
            kc_log(KC_LOG_ERROR, LOGGER, "%s renaming %s: %s", t->label, p->topic, err.msg);
            continue;
        }
        char metadata[4096] = "";
        if (p->metadata && p->metadata_size)
            snprintf(metadata, sizeof metadata, "%.*s", (int)p->metadata_size, (const char *)p->metadata);
        int64_t committed = p->offset;
        pthread_mutex_lock(&t->lock);
        cp_entry *e = cp_find(t, group, renamed, p->partition);
        kc_checkpoint last = {0};
        if (e)
            last = (kc_checkpoint){.group = e->group, .topic = e->topic, .partition = e->partition,
                                   .upstream_offset = e->upstream, .downstream_offset = e->downstream,
                                   .metadata = e->metadata};
        kc_checkpoint_result res;
        kc_checkpoint_outcome o = kc_checkpoint_compute(t->store, group, p->topic, p->partition, &committed, metadata,
                                                        renamed, -1, e ? &last : NULL, &res);
        bool emit = kc_checkpoint_outcome_emits(o);
        /* Java stores the checkpoint before producing it */
        if (emit && cp_put(t, group, renamed, p->partition, res.checkpoint.upstream_offset,
                           res.checkpoint.downstream_offset, metadata) != 0)
            emit = false;
        pthread_mutex_unlock(&t->lock);
        if (res.translation.status >= KC_TRANSLATE_EXACT) {
            translated++;
            if (res.translation.replay_kind == KC_REPLAY_UNKNOWN)
                unknown++;
            else if (res.translation.replay_bound > bound)
                bound = res.translation.replay_bound;
            kc_log(KC_LOG_DEBUG, LOGGER, "%s group %s %s-%d: upstream %" PRId64 " -> downstream %" PRId64
                   " (%s), replay bound %" PRId64 "%s", t->label, group, p->topic, (int)p->partition, committed,
                   res.translation.downstream, kc_checkpoint_outcome_name(o), res.translation.replay_bound,
                   res.translation.replay_kind == KC_REPLAY_UNKNOWN ? " (unknown)" : "");
        } else {
            kc_log(KC_LOG_TRACE, LOGGER, "%s group %s %s-%d: %s", t->label, group, p->topic, (int)p->partition,
                   kc_checkpoint_outcome_name(o));
        }
        if (emit) {
            res.checkpoint.group = group;
            res.checkpoint.topic = renamed;
            res.checkpoint.metadata = metadata;
            kc_record *r = checkpoint_record(t, &res.checkpoint, ts, &err);
            if (!r || kc_record_list_add(out, r) != 0)
                kc_log(KC_LOG_ERROR, LOGGER, "%s building a checkpoint: %s", t->label, r ? "out of memory" : err.msg);
        }
        free(renamed);
    }
    rd_kafka_topic_partition_list_destroy(parts);
    if (translated) {
        kc_mirror_checkpoint_replay_bound_put(t->name, group, bound, translated, unknown, ts);
        kc_log(KC_LOG_DEBUG, LOGGER, "%s group %s replay bound %" PRId64 " over %d partitions (%d unbounded)", t->label,
               group, unknown ? (int64_t)-1 : bound, translated, unknown);
    }
}

/* ---- consumer group offset sync --------------------------------------------------------------- */

static kc_target_group_state describe_state(checkpoint_task *t, const char *group)
{
    char errstr[256];
    rd_kafka_queue_t *q = rd_kafka_queue_new(t->target_admin);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(t->target_admin, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
    rd_kafka_AdminOptions_set_request_timeout(opts, (int)t->admin_timeout_ms, errstr, sizeof errstr);
    const char *groups[1] = {group};
    rd_kafka_DescribeConsumerGroups(t->target_admin, groups, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, (int)t->admin_timeout_ms + 5000);
    kc_target_group_state st = KC_TARGET_GROUP_UNKNOWN;
    if (ev && !rd_kafka_event_error(ev)) {
        size_t n;
        const rd_kafka_ConsumerGroupDescription_t **d =
            rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
        if (n == 1 && !rd_kafka_ConsumerGroupDescription_error(d[0])) {
            switch (rd_kafka_ConsumerGroupDescription_state(d[0])) {
            case RD_KAFKA_CONSUMER_GROUP_STATE_DEAD: st = KC_TARGET_GROUP_DEAD; break;
            case RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY: st = KC_TARGET_GROUP_EMPTY; break;
            case RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN: st = KC_TARGET_GROUP_UNKNOWN; break;
            default: st = KC_TARGET_GROUP_ACTIVE; break;
            }
        } else if (n == 1 && rd_kafka_error_code(rd_kafka_ConsumerGroupDescription_error(d[0])) ==
                                 RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND) {
            st = KC_TARGET_GROUP_DEAD;
        }
    } else {
        kc_log(KC_LOG_WARN, LOGGER, "%s describing group %s on the target: %s", t->label, group,
               ev ? rd_kafka_event_error_string(ev) : "timed out");
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    return st;
}

/* 0 when written, else -1 with the reason in problem_out. */
static int alter_offsets(checkpoint_task *t, const char *group, rd_kafka_topic_partition_list_t *writes,
                         char *problem_out, size_t problem_size)
{
    char errstr[256];
    rd_kafka_AlterConsumerGroupOffsets_t *req = rd_kafka_AlterConsumerGroupOffsets_new(group, writes);
    rd_kafka_queue_t *q = rd_kafka_queue_new(t->target_admin);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(t->target_admin, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
    rd_kafka_AdminOptions_set_request_timeout(opts, (int)t->admin_timeout_ms, errstr, sizeof errstr);
    rd_kafka_AlterConsumerGroupOffsets(t->target_admin, &req, 1, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, (int)t->admin_timeout_ms + 5000);
    const char *problem = NULL;
    if (!ev) {
        problem = "timed out";
    } else if (rd_kafka_event_error(ev)) {
        problem = rd_kafka_event_error_string(ev);
    } else {
        size_t n;
        const rd_kafka_group_result_t **gr =
            rd_kafka_AlterConsumerGroupOffsets_result_groups(rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &n);
        if (n == 1 && rd_kafka_group_result_error(gr[0]))
            problem = rd_kafka_error_string(rd_kafka_group_result_error(gr[0]));
        const rd_kafka_topic_partition_list_t *res = n == 1 ? rd_kafka_group_result_partitions(gr[0]) : NULL;
        for (int i = 0; !problem && res && i < res->cnt; i++)
            if (res->elems[i].err)
                problem = rd_kafka_err2str(res->elems[i].err);
    }
    if (problem) {
        kc_log(KC_LOG_WARN, LOGGER, "%s Unable to sync offsets for consumer group %s. This is likely caused by "
               "consumers currently using this group in the target cluster. (%s)", t->label, group, problem);
        snprintf(problem_out, problem_size, "%s", problem);
    } else {
        kc_log(KC_LOG_DEBUG, LOGGER, "%s sync-ed %d offsets for consumer group %s", t->label, writes->cnt, group);
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_AlterConsumerGroupOffsets_destroy(req);
    return problem ? -1 : 0;
}

/* syncGroupOffset for every assigned group with checkpoints: Dead or Empty groups only, forward only. */
static void sync_group_offsets(checkpoint_task *t)
{
    for (size_t g = 0; g < t->ngroups && !is_stopping(t); g++) {
        const char *group = t->groups[g];
        rd_kafka_topic_partition_list_t *converted = rd_kafka_topic_partition_list_new(16);
        pthread_mutex_lock(&t->lock);
        for (size_t b = 0; b < BUCKETS; b++)
            for (cp_entry *e = t->buckets[b]; e; e = e->next)
                if (strcmp(e->group, group) == 0) {
                    rd_kafka_topic_partition_t *p = rd_kafka_topic_partition_list_add(converted, e->topic, e->partition);
                    p->offset = e->downstream;
                    if (e->metadata && *e->metadata) {
                        p->metadata = strdup(e->metadata);
                        p->metadata_size = p->metadata ? strlen(e->metadata) : 0;
                    }
                }
        pthread_mutex_unlock(&t->lock);
        if (converted->cnt == 0) {
            rd_kafka_topic_partition_list_destroy(converted);
            continue;
        }
        kc_target_group_state st = describe_state(t, group);
        rd_kafka_topic_partition_list_t *target = NULL;
        kc_error err;
        kc_error_clear(&err);
        if (st == KC_TARGET_GROUP_EMPTY &&
            !(target = list_group_offsets(t->target_admin, group, (int)t->admin_timeout_ms, &err))) {
            kc_log(KC_LOG_WARN, LOGGER, "%s %s", t->label, err.msg);
            st = KC_TARGET_GROUP_UNKNOWN;
        }
        rd_kafka_topic_partition_list_t *writes = rd_kafka_topic_partition_list_new(converted->cnt);
        for (int i = 0; i < converted->cnt; i++) {
            rd_kafka_topic_partition_t *c = &converted->elems[i];
            const rd_kafka_topic_partition_t *have = target ? rd_kafka_topic_partition_list_find(target, c->topic,
                                                                                                c->partition)
                                                            : NULL;
            int64_t target_offset = have ? have->offset : -1;
            kc_group_sync_decision d = kc_group_offset_sync_decide(true, st, have && have->offset >= 0 ? &target_offset
                                                                                                        : NULL,
                                                                   c->offset);
            kc_log(KC_LOG_TRACE, LOGGER, "%s group %s %s-%d: converted %" PRId64 ", %s", t->label, group, c->topic,
                   (int)c->partition, c->offset, kc_group_sync_decision_name(d));
            if (d != KC_GROUP_SYNC_WRITE)
                continue;
            rd_kafka_topic_partition_t *w = rd_kafka_topic_partition_list_add(writes, c->topic, c->partition);
            w->offset = c->offset;
            if (c->metadata) {
                w->metadata = malloc(c->metadata_size);
                if (w->metadata) {
                    memcpy(w->metadata, c->metadata, c->metadata_size);
                    w->metadata_size = c->metadata_size;
                }
            }
        }
        char problem[512] = "";
        if (writes->cnt && alter_offsets(t, group, writes, problem, sizeof problem) != 0) {
            kc_mirror_group_sync_put(t->name, group, KC_MIRROR_GROUP_SYNC_FAILED, problem, kc_mirror_cp_now_ms());
        } else if (st == KC_TARGET_GROUP_ACTIVE) {
            kc_log(KC_LOG_DEBUG, LOGGER, "%s group %s is active on the target: its offsets are not synced", t->label,
                   group);
            kc_mirror_group_sync_put(t->name, group, KC_MIRROR_GROUP_SKIPPED_ACTIVE,
                                     "the group has members on the target cluster", kc_mirror_cp_now_ms());
        } else if (st == KC_TARGET_GROUP_UNKNOWN) {
            kc_mirror_group_sync_put(t->name, group, KC_MIRROR_GROUP_SYNC_FAILED,
                                     "cannot describe the group or list its offsets on the target cluster",
                                     kc_mirror_cp_now_ms());
        } else {
            kc_mirror_group_sync_put(t->name, group, KC_MIRROR_GROUP_SYNCED, NULL, kc_mirror_cp_now_ms());
        }
        rd_kafka_topic_partition_list_destroy(writes);
        if (target)
            rd_kafka_topic_partition_list_destroy(target);
        rd_kafka_topic_partition_list_destroy(converted);
    }
}

/* ---- the task plugin ---------------------------------------------------------------------------- */

static void *task_create(void)
{
    checkpoint_task *t = calloc(1, sizeof *t);
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

/* Splits task.assigned.groups on ','. */
static int split_groups(checkpoint_task *t, const char *s, kc_error *err)
{
    if (!s || !*s)
        return 0;
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    if (n > GROUPS_MAX)
        return kc_error_set(err, KC_ERR_INVALID, "task.assigned.groups holds more than %d groups", GROUPS_MAX);
    if (!(t->groups = calloc(n, sizeof *t->groups)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    const char *start = s;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        if (!(t->groups[t->ngroups] = strndup(start, len)))
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        t->ngroups++;
        if (!comma)
            break;
        start = comma + 1;
    }
    return 0;
}

static int task_start(void *self, kc_source_task_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    checkpoint_task *t = self;
    if (!(t->mc = kc_mirror_cp_config_new(config, kc_mirror_checkpoint_config_table(), err)))
        return -1;
    const kc_config_parsed *p = t->mc->parsed;
    t->emit_ms = kc_config_get_long(p, KC_MIRROR_EMIT_CHECKPOINTS_INTERVAL) * 1000;
    t->sync_enabled = kc_config_get_bool(p, KC_MIRROR_SYNC_GROUP_OFFSETS_ENABLED);
    t->sync_ms = kc_config_get_long(p, KC_MIRROR_SYNC_GROUP_OFFSETS_INTERVAL) * 1000;
    t->poll_timeout_ms = kc_config_get_long(p, "consumer.poll.timeout.ms");
    t->admin_timeout_ms = t->mc->admin_timeout_ms;
    if (t->poll_timeout_ms < 1 || t->poll_timeout_ms > 1000)
        t->poll_timeout_ms = 1000; /* a poll returns at least every second */
    const char *location = kc_config_get_string(p, KC_MIRROR_OFFSET_SYNCS_LOCATION);
    t->syncs_at_source = !location || strcasecmp(location, "target") != 0;
    const char *name = kc_props_get(config, "name");
    if (!(t->name = strdup(name ? name : "null")) || !(t->label = kc_mirror_entity_label_new(t->mc, t->mc->task_index)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (split_groups(t, kc_props_get(config, KC_MIRROR_TASK_ASSIGNED_GROUPS), err) != 0)
        return -1;
    if (kc_mirror_policy_checkpoints_topic(t->mc->policy, t->mc->source_alias, &t->checkpoints_topic, err) != 0)
        return -1;
    if (!(t->syncs_topic = kc_mirror_offset_syncs_topic_new(t->mc, t->syncs_at_source, err)))
        return -1;
    if (!(t->topics = kc_mirror_topic_filter_new(config, err)) || !(t->store = kc_offset_sync_store_new(err)))
        return -1;
    if (!(t->source_admin = kc_mirror_cp_admin_new(t->mc, KC_MIRROR_CLUSTER_SOURCE, t->label,
                                                   KC_MIRROR_ROLE_CHECKPOINT_SOURCE_ADMIN, err)))
        return -1;
    if (t->sync_enabled && !(t->target_admin = kc_mirror_cp_admin_new(t->mc, KC_MIRROR_CLUSTER_TARGET, t->label,
                                                                      KC_MIRROR_ROLE_CHECKPOINT_TARGET_ADMIN, err)))
        return -1;
    int64_t now = mono_ms();
    t->next_emit = now + t->emit_ms;
    t->next_sync = now + t->sync_ms;
    if (pthread_create(&t->reader, NULL, reader_main, t) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot start the offset-syncs reader thread");
    t->reader_started = true;
    kc_log(KC_LOG_INFO, LOGGER, "%s task started: %zu groups, checkpoints to %s, offset syncs from %s on the %s "
           "cluster, sync.group.offsets.enabled=%s", t->label, t->ngroups, t->checkpoints_topic, t->syncs_topic,
           t->syncs_at_source ? "source" : "target", t->sync_enabled ? "true" : "false");
    return 0;
}

static int task_poll(void *self, kc_record_list *out, kc_error *err)
{
    (void)err;
    checkpoint_task *t = self;
    int64_t now = mono_ms();
    int64_t due = t->next_emit;
    if (t->sync_enabled && t->next_sync < due)
        due = t->next_sync;
    if (now < due)
        wait_ms(t, due - now < t->poll_timeout_ms ? due - now : t->poll_timeout_ms);
    if (is_stopping(t))
        return 0;
    now = mono_ms();
    pthread_mutex_lock(&t->lock);
    bool ready = t->store_initialized;
    pthread_mutex_unlock(&t->lock);
    if (now >= t->next_emit) {
        t->next_emit = now + t->emit_ms;
        if (ready)
            for (size_t g = 0; g < t->ngroups && !is_stopping(t); g++)
                emit_group(t, t->groups[g], out);
    }
    if (t->sync_enabled && mono_ms() >= t->next_sync) {
        t->next_sync = mono_ms() + t->sync_ms;
        if (ready)
            sync_group_offsets(t);
    }
    return 0;
}

static void task_stop(void *self)
{
    checkpoint_task *t = self;
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void task_destroy(void *self)
{
    checkpoint_task *t = self;
    if (!t)
        return;
    task_stop(t);
    if (t->reader_started)
        pthread_join(t->reader, NULL);
    if (t->name) {
        kc_mirror_checkpoint_replay_bounds_clear(t->name);
        kc_mirror_group_syncs_clear(t->name);
    }
    if (t->source_admin)
        rd_kafka_destroy(t->source_admin);
    if (t->target_admin)
        rd_kafka_destroy(t->target_admin);
    kc_offset_sync_store_free(t->store);
    kc_mirror_topic_filter_free(t->topics);
    cp_clear(t);
    for (size_t i = 0; i < t->ngroups; i++)
        free(t->groups[i]);
    free(t->groups);
    free(t->checkpoints_topic);
    free(t->syncs_topic);
    free(t->label);
    free(t->name);
    kc_mirror_config_free(t->mc);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->wake);
    free(t);
}

const kc_source_task_plugin kc_mirror_checkpoint_task = {
    .create = task_create,
    .start = task_start,
    .poll = task_poll,
    .stop = task_stop,
    .destroy = task_destroy,
};
