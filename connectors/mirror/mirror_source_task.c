/*
 * MirrorSourceTask (spec/mirrormaker2.md 2.8-2.10; Kafka 4.3.1): a consumer on the source cluster
 * assigned to task.assigned.partitions (seeking to the committed offset + 1), records as raw bytes
 * (OPTIONAL_BYTES key and value, BYTES headers: the ByteArrayConverter passes them through), and
 * offset syncs through the OffsetSyncWriter and a producer of its own.
 *
 * Owns: the consumer, the offset-syncs producer, the writer, one entry per assigned partition
 * (remote topic name, Connect source partition map), its config.
 * Threads: start, poll, commit and commit_record on the task thread (commit_record from the worker
 * producer's delivery callback, served by the task loop); stop on another thread only sets a flag
 * (a poll waits at most consumer.poll.timeout.ms, capped at 1 s). The offset-syncs producer's
 * delivery reports are served by rd_kafka_poll on the task thread; the writer has its own mutex.
 *
 * kc.provenance.header.enabled (spec 8.4, provenance.h): the cluster ids of both sides are fetched at
 * start (the start fails with KC_ERR_UNREACHABLE when they cannot be; restart the task once the
 * clusters answer) and every polled record is forwarded with its kc.mm2.origin header rewritten or
 * dropped. A dropped record is a deliberate gap: it is never handed to the worker, so the Connect
 * source offset of its partition stays at the last replicated record (the consumer moves on, and a
 * tail of dropped records is read and dropped again after a restart) and, as for any upstream gap,
 * the next replicated record makes the OffsetSyncWriter emit a sync at once (translation of a group
 * inside the dropped range gives the next replicated record's downstream offset). Off, nothing of
 * this runs and records are copied unchanged.
 *
 * Metrics (mirror_metrics.h): per partition the task counts acknowledged records and keeps the last
 * acknowledged source offset (commit_record) and the consumer's position (poll) in its own
 * entries, without locks, and publishes them with the cached high watermarks to the process
 * registry at most every KC_MIRROR_METRICS_PUBLISH_MS from poll; destroy removes them.
 */
#include "connectors/mirror/mirror.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connectors/mirror/mirror_config.h"
#include "connectors/mirror/mirror_metrics.h"
#include "connectors/mirror/mirror_records.h"
#include "connectors/mirror/offset_sync_writer.h"
#include "connectors/mirror/provenance.h"

#define LOGGER "org.apache.kafka.connect.mirror.MirrorSourceTask"
#define MAX_POLL_WAIT_MS 1000
#define CLUSTER_ID_TIMEOUT_MAX_MS 30000
#define PROVENANCE_BUF_INITIAL 256

typedef struct assigned {
    char *topic;             /* source topic */
    int32_t partition;
    char *remote;            /* policy.formatRemoteTopic(source alias, topic) */
    kc_value *source_partition; /* {"cluster","partition","topic"} */
    rd_kafka_topic_t *rkt;   /* consumer topic handle once fetching started */
    /* metrics, task thread only */
    uint64_t acked;          /* records acknowledged by the target */
    int64_t last_acked;      /* source offset of the last one or of a record the provenance filter
                              * dropped (nothing left to copy up to it), -1 none */
    int64_t position;        /* last polled source offset + 1 (or the start offset), -1 unknown */
} assigned;

typedef struct source_task {
    kc_mirror_config *cfg;
    kc_mirror_source_settings settings;
    rd_kafka_t *consumer;
    rd_kafka_queue_t *queue;
    int max_records;
    assigned *parts;         /* sorted by (topic, partition) */
    size_t nparts;
    rd_kafka_t *syncs_producer;
    char *syncs_topic;
    kc_offset_sync_writer_t *writer;
    atomic_bool stopping;
    /* kc.provenance.header.enabled (8.4); all unset when off */
    bool provenance;
    char *id_source, *id_target; /* cluster ids */
    char *prov_buf;              /* the new kc.mm2.origin value of the record being converted */
    size_t prov_cap;
    uint64_t filtered;           /* records dropped because they passed through the target */
    /* metrics (task thread) */
    char *name;                  /* connector name ("null" when absent) */
    assigned **by_remote;        /* parts sorted by (remote, partition): commit_record's lookup */
    assigned *last_acked_part;   /* commit_record's cache: deliveries come in runs per partition */
    kc_mirror_partition_metrics *published; /* nparts entries, strings borrowed from parts */
    int64_t next_publish_ms;     /* monotonic */
} source_task;

static int assigned_cmp(const void *a, const void *b)
{
    const assigned *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static assigned *find_assigned(const source_task *t, const char *topic, int32_t partition)
{
    assigned key = {.topic = (char *)topic, .partition = partition};
    return bsearch(&key, t->parts, t->nparts, sizeof key, assigned_cmp);
}

static int remote_cmp(const void *a, const void *b)
{
    const assigned *x = *(assigned *const *)a, *y = *(assigned *const *)b;
    int c = strcmp(x->remote, y->remote);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

/* The entry of a record as polled (its remote topic and partition), or NULL. */
static assigned *find_by_remote(source_task *t, const char *remote, int32_t partition)
{
    assigned *c = t->last_acked_part;
    if (c && c->partition == partition && strcmp(c->remote, remote) == 0)
        return c;
    if (!t->by_remote)
        return NULL;
    assigned key = {.remote = (char *)remote, .partition = partition}, *kp = &key;
    assigned **found = bsearch(&kp, t->by_remote, t->nparts, sizeof *t->by_remote, remote_cmp);
    if (found)
        t->last_acked_part = *found;
    return found ? *found : NULL;
}

/* Publishes the partitions' counters and cached high watermarks (no network call) when due. */
static void publish_metrics(source_task *t, bool force)
{
    if (!t->published || !t->name)
        return;
    int64_t now = kc_mirror_metrics_now_ms();
    if (!force && now < t->next_publish_ms)
        return;
    t->next_publish_ms = now + KC_MIRROR_METRICS_PUBLISH_MS;
    for (size_t i = 0; i < t->nparts; i++) {
        const assigned *a = &t->parts[i];
        kc_mirror_partition_metrics *m = &t->published[i];
        int64_t lo = -1, hi = -1;
        if (!t->consumer ||
            rd_kafka_get_watermark_offsets(t->consumer, a->topic, a->partition, &lo, &hi) != RD_KAFKA_RESP_ERR_NO_ERROR)
            lo = hi = -1;
        m->topic = a->topic;
        m->target_topic = a->remote;
        m->partition = a->partition;
        m->records = a->acked;
        m->last_acked = a->last_acked;
        m->position = a->position >= 0 ? a->position : lo;
        m->high_watermark = hi;
    }
    kc_mirror_metrics_publish(t->name, t->cfg->task_index < 0 ? 0 : t->cfg->task_index, t->published, t->nparts,
                              now);
}

static void *task_create(void) { return calloc(1, sizeof(source_task)); }

static void on_sync_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    source_task *t = opaque;
    if (m->err)
        kc_log(KC_LOG_ERROR, LOGGER, "Failure sending offset sync: %s", rd_kafka_err2str(m->err));
    kc_offset_sync_writer_sent(t->writer);
}

/* The consumer's prefetch is librdkafka's default (queued.min.messages 100000 / queued.max.messages
 * .kbytes 65536 per partition with the per-partition API used here), settable with
 * source.consumer.librdkafka.queued.*. A Java-like bound (a few max.partition.fetch.bytes per
 * partition) was measured and dropped: librdkafka 2.0.2 backs a partition off for a fetch-error
 * backoff whenever its queue is at the bound, which capped bench/run at 62k records/s for 100-byte
 * and 7.6k records/s for 1 KiB records (unbounded: 125k and 69k) for ~20% less peak RSS. */
static rd_kafka_t *client_new(source_task *t, kc_mirror_cluster cluster, kc_mirror_client kind, const char *role,
                              kc_client_settings *settings, kc_error *err)
{
    char *label = kc_mirror_entity_label_new(t->cfg, t->cfg->task_index < 0 ? 0 : t->cfg->task_index);
    if (!label) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    kc_props *props = kc_mirror_client_props_new(t->cfg->originals, cluster, kind, label, role, err);
    free(label);
    if (!props)
        return NULL;
    rd_kafka_conf_t *conf = kc_client_conf_new(props,
                                               kind == KC_MIRROR_CLIENT_CONSUMER ? KC_CLIENT_CONSUMER
                                               : kind == KC_MIRROR_CLIENT_ADMIN  ? KC_CLIENT_ADMIN
                                                                                 : KC_CLIENT_PRODUCER,
                                               settings, NULL, err);
    kc_props_free(props);
    if (!conf)
        return NULL;
    if (kind == KC_MIRROR_CLIENT_PRODUCER) {
        rd_kafka_conf_set_opaque(conf, t);
        rd_kafka_conf_set_dr_msg_cb(conf, on_sync_delivery);
    }
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(kind == KC_MIRROR_CLIENT_CONSUMER ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf,
                                  errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        kc_error_set(err, KC_ERR_INVALID, "cannot create the %s client: %s", role, errstr);
    }
    return rk;
}

/* The cluster id of rk's cluster as a new string (free()), or NULL with err. */
static char *cluster_id_new(rd_kafka_t *rk, const char *alias, int timeout_ms, kc_error *err)
{
    char *id = rd_kafka_clusterid(rk, timeout_ms);
    char *copy = id && *id && !strchr(id, ',') ? strdup(id) : NULL;
    if (!copy) {
        if (id && (!*id || strchr(id, ',')))
            kc_error_set(err, KC_ERR_INVALID,
                         "cluster %s reports the cluster id '%s', which cannot go in the %s header", alias, id,
                         KC_PROVENANCE_HEADER);
        else if (id)
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        else
            kc_error_set(err, KC_ERR_UNREACHABLE,
                         "cannot fetch the cluster id of cluster %s within %d ms (needed by %s=true); restart the "
                         "task once the cluster is reachable",
                         alias, timeout_ms, KC_PROVENANCE_ENABLED_CONFIG);
    }
    if (id)
        rd_kafka_mem_free(rk, id);
    return copy;
}

/* 8.4: the cluster ids of both sides (the source through the consumer, the target through an admin
 * client of its own, closed afterwards) and the buffer of the new header values. */
static int provenance_start(source_task *t, kc_error *err)
{
    int64_t timeout = t->cfg->admin_timeout_ms;
    if (timeout <= 0 || timeout > CLUSTER_ID_TIMEOUT_MAX_MS)
        timeout = CLUSTER_ID_TIMEOUT_MAX_MS;
    if (!(t->id_source = cluster_id_new(t->consumer, t->cfg->source_alias, (int)timeout, err)))
        return -1;
    rd_kafka_t *target = client_new(t, KC_MIRROR_CLUSTER_TARGET, KC_MIRROR_CLIENT_ADMIN, KC_MIRROR_ROLE_TARGET_ADMIN,
                                    NULL, err);
    if (!target)
        return -1;
    t->id_target = cluster_id_new(target, t->cfg->target_alias, (int)timeout, err);
    rd_kafka_destroy(target);
    if (!t->id_target)
        return -1;
    if (!(t->prov_buf = malloc(PROVENANCE_BUF_INITIAL)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    t->prov_cap = PROVENANCE_BUF_INITIAL;
    kc_log(KC_LOG_INFO, LOGGER, "%s->%s source task: %s header on (cluster ids %s -> %s).", t->cfg->source_alias,
           t->cfg->target_alias, KC_PROVENANCE_HEADER, t->id_source, t->id_target);
    return 0;
}

static int task_start(void *self, kc_source_task_context *ctx, const kc_props *config, kc_error *err)
{
    source_task *t = self;
    kc_config_table table = kc_mirror_source_config_table();
    if (!(t->cfg = kc_mirror_config_new(config, &table, 1, err)))
        return -1;
    kc_mirror_source_settings_read(t->cfg, &t->settings);
    kc_topic_partition *tps = NULL;
    size_t n = 0;
    if (kc_mirror_decode_topic_partitions(kc_props_get(config, KC_MIRROR_TASK_PARTITIONS_CONFIG), &tps, &n, err) != 0)
        return -1;
    t->parts = calloc(n + 1, sizeof *t->parts);
    if (!t->parts) {
        kc_mirror_topic_partitions_free(tps, n);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    int failed = 0;
    for (size_t i = 0; i < n && !failed; i++) {
        assigned *a = &t->parts[t->nparts++];
        a->last_acked = a->position = -1;
        a->topic = (char *)tps[i].topic; /* taken */
        tps[i].topic = NULL;
        a->partition = tps[i].partition;
        if (kc_mirror_policy_format_remote_topic(t->cfg->policy, t->cfg->source_alias, a->topic, &a->remote, err) != 0)
            failed = 1;
        else if (!a->remote || !(a->source_partition = kc_mirror_source_partition_new(t->cfg->source_alias, a->topic,
                                                                                      a->partition)))
            failed = kc_error_set(err, KC_ERR_INTERNAL, "cannot build the partition of %s-%d", a->topic,
                                  (int)a->partition);
    }
    kc_mirror_topic_partitions_free(tps, n);
    if (failed)
        return -1;
    qsort(t->parts, t->nparts, sizeof *t->parts, assigned_cmp);
    const char *name = kc_props_get(config, "name");
    t->by_remote = calloc(t->nparts + 1, sizeof *t->by_remote);
    t->published = calloc(t->nparts + 1, sizeof *t->published);
    if (!t->by_remote || !t->published || !(t->name = strdup(name ? name : "null")))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < t->nparts; i++)
        t->by_remote[i] = &t->parts[i];
    qsort(t->by_remote, t->nparts, sizeof *t->by_remote, remote_cmp);

    kc_client_settings cs;
    kc_client_settings_init(&cs);
    if (!(t->consumer = client_new(t, KC_MIRROR_CLUSTER_SOURCE, KC_MIRROR_CLIENT_CONSUMER, KC_MIRROR_ROLE_CONSUMER, &cs,
                                   err)))
        return -1;
    t->max_records = cs.max_poll_records > 0 ? cs.max_poll_records : 500;
    t->provenance = kc_config_get_bool(t->cfg->parsed, KC_PROVENANCE_ENABLED_CONFIG);
    if (t->provenance && provenance_start(t, err) != 0)
        return -1;
    char *label = kc_mirror_entity_label_new(t->cfg, 0);
    kc_props *cprops = label ? kc_mirror_client_props_new(t->cfg->originals, KC_MIRROR_CLUSTER_SOURCE,
                                                          KC_MIRROR_CLIENT_CONSUMER, label, KC_MIRROR_ROLE_CONSUMER, err)
                             : NULL;
    free(label);
    const char *reset = cprops ? kc_props_get(cprops, "auto.offset.reset") : NULL;
    int64_t default_offset = reset && strcmp(reset, "latest") == 0 ? RD_KAFKA_OFFSET_END
                             : reset && strcmp(reset, "none") == 0 ? RD_KAFKA_OFFSET_INVALID
                                                                    : RD_KAFKA_OFFSET_BEGINNING;
    kc_props_free(cprops);

    /* Java assigns without a group (no commits, no JoinGroup); librdkafka 2.0.2 refuses assign()
     * without group.id, so the partitions are fetched with the group-less per-partition API into
     * one queue. */
    if (!(t->queue = rd_kafka_queue_new(t->consumer)))
        return kc_error_set(err, KC_ERR_INTERNAL, "no consumer queue");
    for (size_t i = 0; i < t->nparts; i++) {
        assigned *a = &t->parts[i];
        kc_value *off = NULL;
        if (kc_source_task_context_offset(ctx, a->source_partition, &off, err) != 0)
            return -1;
        int64_t o = kc_mirror_offset_unwrap(off);
        kc_value_free(off);
        int64_t start = o >= 0 ? o + 1 : default_offset;
        a->position = o >= 0 ? o + 1 : -1;
        if (!(a->rkt = rd_kafka_topic_new(t->consumer, a->topic, NULL)))
            return kc_error_set(err, KC_ERR_INTERNAL, "cannot open topic %s: %s", a->topic,
                                rd_kafka_err2str(rd_kafka_last_error()));
        if (rd_kafka_consume_start_queue(a->rkt, a->partition, start, t->queue) != 0) {
            rd_kafka_resp_err_t e = rd_kafka_last_error();
            rd_kafka_topic_destroy(a->rkt);
            a->rkt = NULL;
            return kc_error_set(err, KC_ERR_INVALID, "cannot fetch %s-%d: %s", a->topic, (int)a->partition,
                                rd_kafka_err2str(e));
        }
        if (o >= 0)
            kc_log(KC_LOG_DEBUG, LOGGER, "Seeking %s-%d to %lld", a->topic, (int)a->partition, (long long)start);
    }

    if (t->settings.emit_offset_syncs) {
        if (!(t->syncs_topic = kc_mirror_offset_syncs_topic_new(t->cfg, t->settings.offset_syncs_at_source, err)) ||
            !(t->writer = kc_offset_sync_writer_new(t->settings.offset_lag_max, 0, err)))
            return -1;
        if (!(t->syncs_producer = client_new(
                  t, t->settings.offset_syncs_at_source ? KC_MIRROR_CLUSTER_SOURCE : KC_MIRROR_CLUSTER_TARGET,
                  KC_MIRROR_CLIENT_PRODUCER,
                  t->settings.offset_syncs_at_source ? KC_MIRROR_ROLE_OFFSET_SYNCS_SOURCE_PRODUCER
                                                     : KC_MIRROR_ROLE_OFFSET_SYNCS_TARGET_PRODUCER,
                  NULL, err)))
            return -1;
    }
    kc_log(KC_LOG_INFO, LOGGER, "%s->%s source task replicating %zu topic-partitions.", t->cfg->source_alias,
           t->cfg->target_alias, t->nparts);
    publish_metrics(t, true);
    return 0;
}

/* firePendingOffsetSyncs. The sync producer's delivery reports are served first: they free the
 * in-flight slots (Java's producer callbacks free them at once, on its I/O thread), else syncs wait
 * in the pending slot behind the in-flight limit and are overwritten by later ones, and a group
 * between two written syncs can lose its translation until the next commit. */
static void fire_pending(source_task *t)
{
    kc_offset_sync s;
    rd_kafka_poll(t->syncs_producer, 0);
    while (kc_offset_sync_writer_next(t->writer, &s)) {
        kc_mirror_offset_sync rec = {(char *)s.topic, s.partition, s.upstream, s.downstream};
        kc_mirror_bytes k = {0}, v = {0};
        kc_error err;
        if (kc_mirror_offset_sync_encode(&rec, &k, &v, &err) != 0) {
            kc_log(KC_LOG_ERROR, LOGGER, "Cannot encode an offset sync: %s", err.msg);
            kc_offset_sync_writer_sent(t->writer);
            continue;
        }
        rd_kafka_resp_err_t e = rd_kafka_producev(t->syncs_producer, RD_KAFKA_V_TOPIC(t->syncs_topic),
                                                  RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_KEY(k.data, k.len),
                                                  RD_KAFKA_V_VALUE(v.data, v.len),
                                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        kc_mirror_bytes_clear(&k);
        kc_mirror_bytes_clear(&v);
        if (e) {
            kc_log(KC_LOG_ERROR, LOGGER, "Failure sending offset sync: %s", rd_kafka_err2str(e));
            kc_offset_sync_writer_sent(t->writer);
        }
    }
}

/* prov: the new kc.mm2.origin value (prov_len bytes) when provenance is on, else NULL. */
static kc_record *convert(const assigned *a, const rd_kafka_message_t *m, const char *prov, size_t prov_len)
{
    kc_record *r = kc_record_new(a->remote);
    if (!r)
        return NULL;
    r->kafka_partition = a->partition;
    kc_record_set_key_new(r, kc_schema_optional_bytes(), m->key ? kc_value_bytes(m->key, m->key_len) : NULL);
    kc_record_set_value_new(r, kc_schema_optional_bytes(), m->payload ? kc_value_bytes(m->payload, m->len) : NULL);
    if ((m->key && !r->key) || (m->payload && !r->value))
        goto fail;
    rd_kafka_timestamp_type_t tst;
    int64_t ts = rd_kafka_message_timestamp(m, &tst);
    r->timestamp = ts >= 0 ? ts : KC_NO_TIMESTAMP;
    r->timestamp_type = tst == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? KC_TIMESTAMP_LOG_APPEND_TIME
                        : tst == RD_KAFKA_TIMESTAMP_CREATE_TIME   ? KC_TIMESTAMP_CREATE_TIME
                                                                  : KC_TIMESTAMP_NONE;
    rd_kafka_headers_t *hdrs = NULL;
    if (prov) {
        if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
            hdrs = NULL;
        if (kc_provenance_copy_headers(hdrs, prov, prov_len, &r->headers) != 0)
            goto fail;
    } else if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
        const char *name;
        const void *val;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
            kc_value *hv = val ? kc_value_bytes(val, size) : NULL;
            if ((val && !hv) || kc_headers_add_new(&r->headers, name, kc_schema_bytes(), hv) != 0)
                goto fail;
        }
    }
    r->source_partition = kc_value_copy(a->source_partition);
    r->source_offset = kc_mirror_offset_new(m->offset);
    if (!r->source_partition || !r->source_offset)
        goto fail;
    return r;
fail:
    kc_record_free(r);
    return NULL;
}

/* 8.4 for one record: 1 drop, 0 forward with the new header value in t->prov_buf (*len bytes), -1
 * out of memory. */
static int provenance_of(source_task *t, const rd_kafka_message_t *m, size_t *len)
{
    rd_kafka_headers_t *hdrs = NULL;
    if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
        hdrs = NULL;
    if (kc_provenance_decide(hdrs, t->id_source, t->id_target, t->prov_buf, t->prov_cap, len) == KC_PROVENANCE_DROP)
        return 1;
    if (*len > t->prov_cap) { /* a long chain: grow once, keep the buffer */
        char *grown = realloc(t->prov_buf, *len * 2);
        if (!grown)
            return -1;
        t->prov_buf = grown;
        t->prov_cap = *len * 2;
        kc_provenance_decide(hdrs, t->id_source, t->id_target, t->prov_buf, t->prov_cap, len);
    }
    return 0;
}

static int task_poll(void *self, kc_record_list *out, kc_error *err)
{
    source_task *t = self;
    if (t->syncs_producer && t->writer)
        fire_pending(t); /* syncs held back by the in-flight limit go out now, not at the next commit */
    else if (t->syncs_producer)
        rd_kafka_poll(t->syncs_producer, 0);
    if (atomic_load(&t->stopping) || !t->queue)
        return 0;
    int64_t wait = t->settings.consumer_poll_timeout_ms;
    if (wait > MAX_POLL_WAIT_MS || wait < 0)
        wait = MAX_POLL_WAIT_MS;
    rd_kafka_message_t **msgs = malloc(sizeof *msgs * (size_t)t->max_records);
    if (!msgs)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    ssize_t n = rd_kafka_consume_batch_queue(t->queue, (int)wait, msgs, (size_t)t->max_records);
    int rc = 0;
    for (ssize_t i = 0; i < n; i++) {
        rd_kafka_message_t *m = msgs[i];
        if (rc == 0) {
            if (m->err) {
                /* as Java's KafkaException during poll: logged, retried on the next poll */
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    kc_log(KC_LOG_WARN, LOGGER, "Failure during poll: %s", rd_kafka_message_errstr(m));
            } else {
                assigned *a = find_assigned(t, rd_kafka_topic_name(m->rkt), m->partition);
                if (a)
                    a->position = m->offset + 1;
                size_t prov_len = 0;
                int drop = a && t->provenance ? provenance_of(t, m, &prov_len) : 0;
                if (drop > 0) {
                    t->filtered++; /* a deliberate gap (see the header comment) */
                    if (m->offset > a->last_acked)
                        a->last_acked = m->offset; /* done: not lag (a record acknowledged before it may
                                                    * still be in flight; the next ack settles that) */
                } else {
                    kc_record *r = a && drop == 0 ? convert(a, m, t->provenance ? t->prov_buf : NULL, prov_len) : NULL;
                    if (a && (!r || kc_record_list_add(out, r) != 0))
                        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting a record");
                }
            }
        }
        rd_kafka_message_destroy(m);
    }
    free(msgs);
    publish_metrics(t, false);
    return rc;
}

static void task_commit_record(void *self, const kc_record *record, int32_t partition, int64_t offset)
{
    source_task *t = self;
    if (partition < 0 || offset < 0)
        return;
    int64_t upstream = -1;
    assigned *a = record->topic ? find_by_remote(t, record->topic, record->kafka_partition) : NULL;
    if (a) {
        upstream = kc_mirror_offset_unwrap(record->source_offset);
        a->acked++;
        if (upstream > a->last_acked)
            a->last_acked = upstream;
    }
    if (!t->writer || !record->source_partition)
        return;
    const char *topic = NULL;
    int32_t p = -1;
    kc_error err;
    if (kc_mirror_source_partition_unwrap(record->source_partition, &topic, &p, &err) != 0)
        return;
    if (!a)
        upstream = kc_mirror_offset_unwrap(record->source_offset);
    if (kc_offset_sync_writer_queue(t->writer, topic, p, upstream, offset, &err) < 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Cannot queue an offset sync: %s", err.msg);
        return;
    }
    fire_pending(t);
}

static int task_commit(void *self, kc_error *err)
{
    (void)err;
    source_task *t = self;
    if (t->writer) {
        kc_offset_sync_writer_promote(t->writer);
        fire_pending(t);
        rd_kafka_poll(t->syncs_producer, 0);
    }
    return 0;
}

static void task_stop(void *self)
{
    source_task *t = self;
    atomic_store(&t->stopping, true);
}

static void task_destroy(void *self)
{
    source_task *t = self;
    if (!t)
        return;
    if (t->name && t->cfg)
        kc_mirror_metrics_remove(t->name, t->cfg->task_index < 0 ? 0 : t->cfg->task_index);
    free(t->name);
    free(t->by_remote);
    free(t->published);
    for (size_t i = 0; i < t->nparts; i++)
        if (t->parts[i].rkt) {
            rd_kafka_consume_stop(t->parts[i].rkt, t->parts[i].partition);
            rd_kafka_topic_destroy(t->parts[i].rkt);
        }
    if (t->queue)
        rd_kafka_queue_destroy(t->queue);
    if (t->consumer)
        rd_kafka_destroy(t->consumer);
    if (t->syncs_producer) {
        rd_kafka_flush(t->syncs_producer, 5000);
        rd_kafka_destroy(t->syncs_producer);
    }
    kc_offset_sync_writer_free(t->writer);
    free(t->syncs_topic);
    if (t->provenance && t->filtered)
        kc_log(KC_LOG_INFO, LOGGER, "%s->%s source task dropped %llu records that had passed through %s (%s).",
               t->cfg->source_alias, t->cfg->target_alias, (unsigned long long)t->filtered, t->cfg->target_alias,
               KC_PROVENANCE_HEADER);
    free(t->id_source);
    free(t->id_target);
    free(t->prov_buf);
    for (size_t i = 0; i < t->nparts; i++) {
        free(t->parts[i].topic);
        free(t->parts[i].remote);
        kc_value_free(t->parts[i].source_partition);
    }
    free(t->parts);
    kc_mirror_config_free(t->cfg);
    free(t);
}

const kc_source_task_plugin kc_mirror_source_task = {
    .create = task_create,
    .start = task_start,
    .poll = task_poll,
    .commit = task_commit,
    .commit_record = task_commit_record,
    .commit_record_metadata_only = true, /* reads source_partition and source_offset */
    .stop = task_stop,
    .destroy = task_destroy,
};
