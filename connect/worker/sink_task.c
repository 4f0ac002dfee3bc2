/* The sink task loop (WorkerSinkTask); see worker.h. */
#include "worker_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connect/worker/topic_creation.h"
#include "connect/worker/transformation_chain.h"

#define LOGGER "kconnect.worker.sink"
#define MAX_ASSIGNED 4096

typedef struct sink_loop sink_loop;

struct kc_sink_task_context {
    sink_loop *loop;
};

/* Consumed positions per assigned partition. */
typedef struct position {
    char *topic;
    int32_t partition;
    int64_t next;          /* offset of the next record to hand to put; -1 = nothing consumed */
    int64_t committed;     /* last committed next-offset */
    int64_t seek_to;       /* -1, or a rewind asked through the context */
    bool paused_by_task;
} position;

struct sink_loop {
    kc_worker_task *t;
    const kc_sink_task_plugin *plugin;
    kc_sink_task_context ctx;
    rd_kafka_t *consumer;
    rd_kafka_queue_t *queue;
    kc_client_settings settings;
    position *pos;
    size_t npos;
    bool commit_requested;
    bool paused;           /* the whole task is paused */
    kc_error failure;      /* from the rebalance callback */
    rd_kafka_t *dlq;       /* producer for the dead letter queue, created when first needed */
    uint64_t consumed, put;
};

static position *find_pos(sink_loop *l, const char *topic, int32_t partition)
{
    for (size_t i = 0; i < l->npos; i++)
        if (l->pos[i].partition == partition && strcmp(l->pos[i].topic, topic) == 0)
            return &l->pos[i];
    return NULL;
}

void kc_sink_task_context_offset(kc_sink_task_context *ctx, const char *topic, int32_t partition, int64_t offset)
{
    position *p = find_pos(ctx->loop, topic, partition);
    if (p)
        p->seek_to = offset;
}

void kc_sink_task_context_request_commit(kc_sink_task_context *ctx) { ctx->loop->commit_requested = true; }

size_t kc_sink_task_context_assignment(kc_sink_task_context *ctx, kc_topic_partition *out, size_t max)
{
    sink_loop *l = ctx->loop;
    for (size_t i = 0; i < l->npos && i < max; i++)
        out[i] = (kc_topic_partition){l->pos[i].topic, l->pos[i].partition};
    return l->npos;
}

static void pause_resume(sink_loop *l, const kc_topic_partition *tps, size_t n, bool pause)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)n);
    for (size_t i = 0; i < n; i++) {
        position *p = find_pos(l, tps[i].topic, tps[i].partition);
        if (!p)
            continue;
        p->paused_by_task = pause;
        rd_kafka_topic_partition_list_add(list, tps[i].topic, tps[i].partition);
    }
    if (!l->paused) /* while the task is paused everything stays paused */
        (pause ? rd_kafka_pause_partitions : rd_kafka_resume_partitions)(l->consumer, list);
    rd_kafka_topic_partition_list_destroy(list);
}

void kc_sink_task_context_pause(kc_sink_task_context *ctx, const kc_topic_partition *tps, size_t n)
{
    pause_resume(ctx->loop, tps, n, true);
}

void kc_sink_task_context_resume(kc_sink_task_context *ctx, const kc_topic_partition *tps, size_t n)
{
    pause_resume(ctx->loop, tps, n, false);
}

/* ---- offsets ---------------------------------------------------------------------------------- */

/* Flushes the task and commits what it consumed (only partitions with something new). */
static int commit(sink_loop *l, bool sync, kc_error *err)
{
    kc_partition_offset *offs = calloc(l->npos + 1, sizeof *offs);
    if (!offs)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < l->npos; i++)
        if (l->pos[i].next >= 0)
            offs[n++] = (kc_partition_offset){l->pos[i].topic, l->pos[i].partition, l->pos[i].next};
    int rc = 0;
    if (l->plugin->flush && l->plugin->flush(l->t->instance, offs, n, err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "%s Commit of offsets threw an unexpected exception: %s", l->t->name, err->msg);
        free(offs);
        return -1;
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)n + 1);
    size_t changed = 0;
    for (size_t i = 0; i < l->npos; i++) {
        position *p = &l->pos[i];
        if (p->next >= 0 && p->next != p->committed) {
            rd_kafka_topic_partition_list_add(list, p->topic, p->partition)->offset = p->next;
            changed++;
        }
    }
    if (changed) {
        rd_kafka_resp_err_t e = rd_kafka_commit(l->consumer, list, sync ? 0 : 1);
        if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET) {
            kc_log(KC_LOG_WARN, LOGGER, "%s Offset commit failed: %s", l->t->name, rd_kafka_err2str(e));
        } else {
            for (size_t i = 0; i < l->npos; i++)
                if (l->pos[i].next >= 0)
                    l->pos[i].committed = l->pos[i].next;
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
    free(offs);
    l->commit_requested = false;
    return rc;
}

/* ---- rebalances ------------------------------------------------------------------------------- */

static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque)
{
    sink_loop *l = opaque;
    kc_error e;
    kc_error_clear(&e);
    kc_topic_partition *tps = calloc((size_t)parts->cnt + 1, sizeof *tps);
    for (int i = 0; tps && i < parts->cnt; i++)
        tps[i] = (kc_topic_partition){parts->elems[i].topic, parts->elems[i].partition};
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        for (int i = 0; i < parts->cnt && l->npos < MAX_ASSIGNED; i++) {
            if (find_pos(l, parts->elems[i].topic, parts->elems[i].partition))
                continue;
            position *grown = realloc(l->pos, (l->npos + 1) * sizeof *grown);
            if (!grown)
                break;
            l->pos = grown;
            l->pos[l->npos++] = (position){strdup(parts->elems[i].topic), parts->elems[i].partition, -1, -1, -1, false};
            kc_worker_task_topic(l->t, parts->elems[i].topic);
        }
        rd_kafka_assign(rk, parts);
        kc_log(KC_LOG_INFO, LOGGER, "%s partitions assigned: %d", l->t->name, parts->cnt);
        if (l->paused)
            rd_kafka_pause_partitions(rk, parts);
        if (tps && l->plugin->open && l->plugin->open(l->t->instance, tps, (size_t)parts->cnt, &e) != 0 &&
            l->failure.code == KC_ERR_NONE)
            l->failure = e;
    } else {
        /* revoked: flush and commit what was consumed, then close the partitions */
        if (commit(l, true, &e) != 0 && l->failure.code == KC_ERR_NONE)
            l->failure = e;
        if (tps && l->plugin->close && l->plugin->close(l->t->instance, tps, (size_t)parts->cnt, &e) != 0 &&
            l->failure.code == KC_ERR_NONE)
            l->failure = e;
        for (int i = 0; i < parts->cnt; i++) {
            position *p = find_pos(l, parts->elems[i].topic, parts->elems[i].partition);
            if (!p)
                continue;
            free(p->topic);
            *p = l->pos[--l->npos];
        }
        rd_kafka_assign(rk, NULL);
        kc_log(KC_LOG_INFO, LOGGER, "%s partitions revoked: %d", l->t->name, parts->cnt);
    }
    free(tps);
}

/* ---- dead letter queue ------------------------------------------------------------------------ */

static void dlq_header(rd_kafka_headers_t *h, const char *name, const char *value)
{
    rd_kafka_header_add(h, name, -1, value, (ssize_t)strlen(value));
}

/* DeadLetterQueueReporter.createAndSetup: the DLQ topic is created (1 partition, the configured
 * replication factor) when it does not exist. Failures are logged; producing then relies on the
 * broker (auto-creation, or an error per record). */
static void ensure_dlq_topic(sink_loop *l)
{
    kc_worker_task *t = l->t;
    kc_error err;
    int exists = kc_topic_exists(l->dlq, t->errors.dlq_topic, &err);
    if (exists != 0)
        return; /* there, or the cluster cannot be asked now: producing will tell */
    if (kc_topic_create(l->dlq, t->errors.dlq_topic, 1, t->errors.dlq_replication_factor, NULL, &err) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "%s cannot create the dead letter queue topic %s: %s", t->name,
               t->errors.dlq_topic, err.msg);
    else
        kc_log(KC_LOG_INFO, LOGGER, "%s created the dead letter queue topic %s (replication factor %d)", t->name,
               t->errors.dlq_topic, t->errors.dlq_replication_factor);
}

/* Sends the consumed bytes of m to the DLQ topic, with the error context in headers. */
static void send_to_dlq(sink_loop *l, const rd_kafka_message_t *m, kc_error_stage stage, const kc_error *err)
{
    kc_worker_task *t = l->t;
    if (!l->dlq) {
        kc_error e;
        kc_props *props = kc_worker_client_props(t->worker, "producer", t->connector_config, t->connector, t->id, &e);
        rd_kafka_conf_t *conf = props ? kc_client_conf_new(props, KC_CLIENT_PRODUCER, NULL, NULL, &e) : NULL;
        kc_props_free(props);
        char errstr[512];
        if (!conf || !(l->dlq = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr))) {
            if (conf)
                rd_kafka_conf_destroy(conf);
            kc_log(KC_LOG_ERROR, LOGGER, "%s cannot create the dead letter queue producer", t->name);
            return;
        }
        ensure_dlq_topic(l);
    }
    rd_kafka_headers_t *h = NULL;
    const rd_kafka_headers_t *orig = NULL;
    if (rd_kafka_message_headers(m, (rd_kafka_headers_t **)&orig) == RD_KAFKA_RESP_ERR_NO_ERROR && orig)
        h = rd_kafka_headers_copy(orig);
    else
        h = rd_kafka_headers_new(10);
    if (t->errors.dlq_context_headers) {
        char buf[64];
        dlq_header(h, "__connect.errors.topic", rd_kafka_topic_name(m->rkt));
        snprintf(buf, sizeof buf, "%d", m->partition);
        dlq_header(h, "__connect.errors.partition", buf);
        snprintf(buf, sizeof buf, "%lld", (long long)m->offset);
        dlq_header(h, "__connect.errors.offset", buf);
        dlq_header(h, "__connect.errors.connector.name", t->connector);
        snprintf(buf, sizeof buf, "%d", t->id);
        dlq_header(h, "__connect.errors.task.id", buf);
        dlq_header(h, "__connect.errors.stage", kc_error_stage_name(stage));
        dlq_header(h, "__connect.errors.class.name", kc_converter_class_name(
            stage == KC_STAGE_KEY_CONVERTER ? t->key_converter
            : stage == KC_STAGE_HEADER_CONVERTER ? t->header_converter : t->value_converter));
        dlq_header(h, "__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException");
        dlq_header(h, "__connect.errors.exception.message", err->msg);
        dlq_header(h, "__connect.errors.exception.stacktrace", err->msg);
    }
    rd_kafka_resp_err_t e = rd_kafka_producev(l->dlq, RD_KAFKA_V_TOPIC(t->errors.dlq_topic),
                                              RD_KAFKA_V_KEY(m->key, m->key_len),
                                              RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                              RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
    if (e) {
        rd_kafka_headers_destroy(h);
        kc_log(KC_LOG_ERROR, LOGGER, "%s cannot send to the dead letter queue %s: %s", t->name, t->errors.dlq_topic,
               rd_kafka_err2str(e));
    }
    rd_kafka_poll(l->dlq, 0);
}

/* ---- conversion ------------------------------------------------------------------------------- */

/* A sink record from a consumed message. NULL with err->code NONE when the record was skipped under
 * errors.tolerance=all; NULL with err set when the task must fail. */
static kc_record *to_record(sink_loop *l, const rd_kafka_message_t *m, kc_error *err)
{
    kc_worker_task *t = l->t;
    const char *topic = rd_kafka_topic_name(m->rkt);
    kc_record *r = kc_record_new(topic);
    if (!r) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    r->kafka_partition = m->partition;
    r->kafka_offset = m->offset;
    r->original_partition = m->partition;
    r->original_offset = m->offset;
    rd_kafka_timestamp_type_t tst;
    int64_t ts = rd_kafka_message_timestamp(m, &tst);
    r->timestamp = ts >= 0 ? ts : KC_NO_TIMESTAMP;
    r->timestamp_type = tst == RD_KAFKA_TIMESTAMP_CREATE_TIME ? KC_TIMESTAMP_CREATE_TIME
                        : tst == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? KC_TIMESTAMP_LOG_APPEND_TIME : KC_TIMESTAMP_NONE;
    kc_schema_and_value sv = {0};
    kc_error_stage stage = KC_STAGE_KEY_CONVERTER;
    if (kc_converter_to_connect(t->key_converter, topic, m->key, m->key_len, &sv, err) != 0)
        goto failed;
    kc_record_set_key_new(r, sv.schema, sv.value);
    sv = (kc_schema_and_value){0};
    stage = KC_STAGE_VALUE_CONVERTER;
    if (kc_converter_to_connect(t->value_converter, topic, m->payload, m->len, &sv, err) != 0)
        goto failed;
    kc_record_set_value_new(r, sv.schema, sv.value);
    sv = (kc_schema_and_value){0};
    stage = KC_STAGE_HEADER_CONVERTER;
    rd_kafka_headers_t *hdrs = NULL;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
        const char *name;
        const void *val;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
            if (kc_converter_to_connect_header(t->header_converter, topic, name, val, size, &sv, err) != 0)
                goto failed;
            if (kc_headers_add_new(&r->headers, name, sv.schema, sv.value) != 0) {
                kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                goto failed;
            }
            sv = (kc_schema_and_value){0};
        }
    }
    return r;
failed:
    kc_schema_and_value_clear(&sv);
    kc_record_free(r);
    if (kc_errors_handle(&t->errors, t->name, stage, topic, m->partition, m->offset, err)) {
        if (t->errors.dlq_topic)
            send_to_dlq(l, m, stage, err);
        kc_error_clear(err);
        return NULL;
    }
    kc_error_prefix(err, "Tolerance exceeded in error handler");
    return NULL;
}

static rd_kafka_t *create_consumer(sink_loop *l, kc_error *err)
{
    kc_worker_task *t = l->t;
    kc_props *props = kc_worker_client_props(t->worker, "consumer", t->connector_config, t->connector, t->id, err);
    if (!props)
        return NULL;
    rd_kafka_conf_t *conf = kc_client_conf_new(props, KC_CLIENT_CONSUMER, &l->settings, NULL, err);
    kc_props_free(props);
    if (!conf)
        return NULL;
    rd_kafka_conf_set_opaque(conf, l);
    rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        kc_error_set(err, KC_ERR_INVALID, "cannot create the consumer of %s: %s", t->name, errstr);
        return NULL;
    }
    rd_kafka_poll_set_consumer(rk);
    return rk;
}

static int subscribe(sink_loop *l, kc_error *err)
{
    const kc_props *cc = l->t->connector_config;
    const char *topics = kc_props_get(cc, "topics");
    const char *regex = kc_props_get(cc, "topics.regex");
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(8);
    if (topics && *topics) {
        char *copy = strdup(topics), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ')
                tok++;
            char *end = tok + strlen(tok);
            while (end > tok && end[-1] == ' ')
                *--end = '\0';
            if (*tok)
                rd_kafka_topic_partition_list_add(list, tok, RD_KAFKA_PARTITION_UA);
        }
        free(copy);
    } else if (regex && *regex) {
        char pattern[1024];
        snprintf(pattern, sizeof pattern, "%s%s", regex[0] == '^' ? "" : "^", regex);
        rd_kafka_topic_partition_list_add(list, pattern, RD_KAFKA_PARTITION_UA);
    }
    int count = list->cnt;
    rd_kafka_resp_err_t e = count ? rd_kafka_subscribe(l->consumer, list) : RD_KAFKA_RESP_ERR__INVALID_ARG;
    rd_kafka_topic_partition_list_destroy(list);
    if (e)
        return kc_error_set(err, KC_ERR_INVALID, "%s cannot subscribe: %s", l->t->name,
                            count ? rd_kafka_err2str(e) : "Must configure one of topics or topics.regex");
    return 0;
}

static void apply_seeks(sink_loop *l)
{
    for (size_t i = 0; i < l->npos; i++) {
        position *p = &l->pos[i];
        if (p->seek_to < 0)
            continue;
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(list, p->topic, p->partition)->offset = p->seek_to;
        rd_kafka_error_t *e = rd_kafka_seek_partitions(l->consumer, list, 5000);
        if (e)
            rd_kafka_error_destroy(e);
        rd_kafka_topic_partition_list_destroy(list);
        p->seek_to = -1;
    }
}

static void set_paused(sink_loop *l, bool paused)
{
    if (l->paused == paused)
        return;
    l->paused = paused;
    rd_kafka_topic_partition_list_t *list = NULL;
    if (rd_kafka_assignment(l->consumer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR && list) {
        if (paused) {
            rd_kafka_pause_partitions(l->consumer, list);
        } else {
            rd_kafka_resume_partitions(l->consumer, list);
            for (size_t i = 0; i < l->npos; i++) /* the task's own pauses stay */
                if (l->pos[i].paused_by_task) {
                    rd_kafka_topic_partition_list_t *one = rd_kafka_topic_partition_list_new(1);
                    rd_kafka_topic_partition_list_add(one, l->pos[i].topic, l->pos[i].partition);
                    rd_kafka_pause_partitions(l->consumer, one);
                    rd_kafka_topic_partition_list_destroy(one);
                }
        }
        rd_kafka_topic_partition_list_destroy(list);
    }
    kc_worker_task_report(l->t, paused ? KC_STATE_PAUSED : KC_STATE_RUNNING, NULL);
}

void *kc_sink_task_run(void *arg)
{
    kc_worker_task *t = arg;
    sink_loop l = {.t = t, .plugin = t->plugin->sink_task};
    l.ctx.loop = &l;
    kc_error err;
    kc_error_clear(&err);
    kc_error_clear(&l.failure);
    int failed = 1;
    rd_kafka_message_t **msgs = NULL;
    kc_record **records = NULL;
    size_t nrecords = 0;

    if (!(l.consumer = create_consumer(&l, &err)))
        goto done;
    l.queue = rd_kafka_queue_get_consumer(l.consumer);
    size_t batch = (size_t)(l.settings.max_poll_records > 0 ? l.settings.max_poll_records : 500);
    msgs = calloc(batch, sizeof *msgs);
    records = calloc(batch, sizeof *records);
    if (!msgs || !records) {
        kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (l.plugin->start(t->instance, &l.ctx, t->task_config, &err) != 0 || subscribe(&l, &err) != 0)
        goto done;
    kc_worker_task_report(t, KC_STATE_RUNNING, NULL);
    int64_t interval = t->worker->settings.offset_flush_interval_ms;
    int64_t next_commit = kc_now_ms() + interval;
    while (!kc_worker_task_stopping(t)) {
        pthread_mutex_lock(&t->lock);
        bool want_paused = t->target == KC_TARGET_PAUSED;
        pthread_mutex_unlock(&t->lock);
        set_paused(&l, want_paused);
        apply_seeks(&l);
        ssize_t n = rd_kafka_consume_batch_queue(l.queue, 500, msgs, batch);
        if (l.failure.code != KC_ERR_NONE) {
            err = l.failure;
            for (ssize_t i = 0; i < n; i++)
                rd_kafka_message_destroy(msgs[i]);
            goto done;
        }
        nrecords = 0;
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = msgs[i];
            if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    kc_log(KC_LOG_WARN, LOGGER, "%s consumer error: %s", t->name, rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
                continue;
            }
            position *p = find_pos(&l, rd_kafka_topic_name(m->rkt), m->partition);
            if (p)
                p->next = m->offset + 1;
            l.consumed++;
            kc_error_clear(&err);
            kc_record *r = to_record(&l, m, &err);
            if (r) {
                r = kc_transformation_chain_apply(t->chain, r, &err);
                if (!r && err.code != KC_ERR_NONE) {
                    if (!kc_errors_handle(&t->errors, t->name, KC_STAGE_TRANSFORMATION, rd_kafka_topic_name(m->rkt),
                                          m->partition, m->offset, &err)) {
                        kc_error_prefix(&err, "Tolerance exceeded in error handler");
                        for (ssize_t j = i; j < n; j++)
                            rd_kafka_message_destroy(msgs[j]);
                        goto done;
                    }
                    if (t->errors.dlq_topic)
                        send_to_dlq(&l, m, KC_STAGE_TRANSFORMATION, &err);
                }
            } else if (err.code != KC_ERR_NONE) {
                for (ssize_t j = i; j < n; j++)
                    rd_kafka_message_destroy(msgs[j]);
                goto done;
            }
            rd_kafka_message_destroy(m);
            if (r)
                records[nrecords++] = r;
        }
        {   /* put is called after every poll, even with no record, as Java does */
            int rc = l.plugin->put(t->instance, records, nrecords, &err);
            for (size_t i = 0; i < nrecords; i++)
                kc_record_free(records[i]);
            l.put += nrecords;
            nrecords = 0;
            if (rc != 0) {
                kc_error_prefix(&err, "%s threw an uncaught and unrecoverable exception. Task is being killed and "
                                      "will not recover until manually restarted", t->name);
                goto done;
            }
        }
        if (l.dlq)
            rd_kafka_poll(l.dlq, 0);
        if (l.commit_requested || kc_now_ms() >= next_commit) {
            if (commit(&l, false, &err) != 0)
                goto done;
            next_commit = kc_now_ms() + interval;
        }
    }
    failed = 0;
done:
    for (size_t i = 0; i < nrecords; i++)
        kc_record_free(records[i]);
    if (l.consumer) {
        if (!failed) {
            kc_error e;
            commit(&l, true, &e);
        }
        if (l.queue)
            rd_kafka_queue_destroy(l.queue);
        rd_kafka_consumer_close(l.consumer);
        rd_kafka_destroy(l.consumer);
    }
    if (l.dlq) {
        rd_kafka_flush(l.dlq, 10000);
        rd_kafka_destroy(l.dlq);
    }
    if (l.plugin->stop && t->instance)
        l.plugin->stop(t->instance);
    for (size_t i = 0; i < l.npos; i++)
        free(l.pos[i].topic);
    free(l.pos);
    free(msgs);
    free(records);
    if (failed) {
        kc_worker_task_report(t, KC_STATE_FAILED, err.msg);
        while (!kc_worker_task_stopping(t))
            kc_worker_task_sleep(t, 1000);
    } else {
        kc_worker_task_report(t, KC_STATE_UNASSIGNED, NULL);
    }
    pthread_mutex_lock(&t->lock);
    t->finished = true;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    return NULL;
}
