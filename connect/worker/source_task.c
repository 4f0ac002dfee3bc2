/* The source task loop (WorkerSourceTask / AbstractWorkerSourceTask); see worker.h. */
#include "worker_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connect/worker/topic_creation.h"
#include "connect/worker/transformation_chain.h"

#define LOGGER "kconnect.worker.source"

struct kc_source_task_context {
    kc_worker_task *task;
};

int kc_source_task_context_offset(kc_source_task_context *ctx, const kc_value *partition, kc_value **offset,
                                  kc_error *err)
{
    return kc_offset_store_read(ctx->task->worker->offsets, ctx->task->connector, partition, offset, err);
}

/* One record in flight to Kafka. */
typedef struct inflight {
    kc_submitted *submitted;
    kc_record *original;   /* for commit_record; NULL when the plugin has none */
} inflight;

typedef struct source_loop {
    kc_worker_task *t;
    const kc_source_task_plugin *plugin;
    kc_offset_writer *writer;
    rd_kafka_t *producer;
    kc_error failure;       /* a delivery failure that fails the task */
    uint64_t sent, acked;
    kc_topic_creation *topics;  /* topic.creation.* */
    char *last_topic;           /* the topic of the previous record (checked for creation) */
    /* ByteArrayConverter key / value / header converters: BYTES are produced from the record as
     * they are (librdkafka copies them), without the converter's copy */
    bool raw_key, raw_value, raw_headers;
    bool no_transforms;         /* an empty transformation chain: records are sent as polled */
} source_loop;

#define BYTE_ARRAY_CONVERTER "org.apache.kafka.connect.converters.ByteArrayConverter"

static bool is_byte_array(const kc_converter *c)
{
    const char *name = c ? kc_converter_class_name(c) : NULL;
    return name && strcmp(name, BYTE_ARRAY_CONVERTER) == 0;
}

/* The bytes ByteArrayConverter would write for (schema, v), borrowed from v: 1 with *data / *len
 * (NULL for a null value), 0 when v is no BYTES value (the converter then runs, and fails as Java's). */
static int raw_bytes(const kc_schema *schema, const kc_value *v, const void **data, size_t *len)
{
    if (schema && kc_schema_get_type(schema) != KC_SCHEMA_BYTES)
        return 0;
    if (!v || kc_value_is_null(v)) {
        *data = NULL;
        *len = 0;
        return 1;
    }
    if (kc_value_get_type(v) != KC_VALUE_BYTES)
        return 0;
    *data = kc_value_get_bytes(v, len);
    return 1;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    source_loop *loop = opaque;
    inflight *f = m->_private;
    if (m->err) {
        kc_error e;
        kc_error_set(&e, KC_ERR_IO, "Unrecoverable exception from producer send callback: %s",
                     rd_kafka_err2str(m->err));
        if (!kc_errors_handle(&loop->t->errors, loop->t->name, KC_STAGE_KAFKA_PRODUCE, NULL, 0, 0, &e)) {
            if (loop->failure.code == KC_ERR_NONE)
                loop->failure = e;
            kc_record_free(f->original);
            free(f);
            return; /* not acknowledged: its offset is never committed */
        }
    } else {
        loop->acked++;
    }
    kc_offset_writer_ack(loop->writer, f->submitted);
    if (f->original) {
        loop->plugin->commit_record(loop->t->instance, f->original, m->err ? -1 : m->partition,
                                    m->err ? -1 : m->offset);
        kc_record_free(f->original);
    }
    free(f);
}

/* Converts r and hands it to the producer. 1 sent, 0 skipped (tolerated), -1 task failure. */
static int send_record(source_loop *loop, kc_record *r, inflight *f, kc_error *err)
{
    kc_worker_task *t = loop->t;
    void *key = NULL, *value = NULL; /* converted (malloc'd) */
    const void *key_data = NULL, *value_data = NULL; /* what is produced */
    size_t key_len = 0, value_len = 0;
    int value_flags = RD_KAFKA_MSG_F_FREE; /* F_COPY for a value borrowed from r */
    rd_kafka_headers_t *headers = NULL;
    if (!loop->last_topic || strcmp(loop->last_topic, r->topic) != 0) {
        if (kc_topic_creation_ensure(loop->topics, loop->producer, r->topic, err) != 0)
            return -1;
        free(loop->last_topic);
        loop->last_topic = strdup(r->topic);
    }
    kc_error_stage stage = KC_STAGE_KEY_CONVERTER;
    if (!(loop->raw_key && raw_bytes(r->key_schema, r->key, &key_data, &key_len))) {
        if (kc_converter_from_connect(t->key_converter, r->topic, r->key_schema, r->key, &key, &key_len, err) != 0)
            goto convert_failed;
        key_data = key;
    }
    stage = KC_STAGE_VALUE_CONVERTER;
    if (loop->raw_value && raw_bytes(r->value_schema, r->value, &value_data, &value_len)) {
        value_flags = RD_KAFKA_MSG_F_COPY;
    } else {
        if (kc_converter_from_connect(t->value_converter, r->topic, r->value_schema, r->value, &value, &value_len,
                                      err) != 0)
            goto convert_failed;
        value_data = value;
    }
    stage = KC_STAGE_HEADER_CONVERTER;
    if (r->headers.count) {
        headers = rd_kafka_headers_new(r->headers.count);
        for (size_t i = 0; i < r->headers.count; i++) {
            const kc_header *h = &r->headers.items[i];
            const void *hd = NULL;
            void *hv = NULL;
            size_t hl = 0;
            if (!(loop->raw_headers && raw_bytes(h->schema, h->value, &hd, &hl))) {
                if (kc_converter_from_connect_header(t->header_converter, r->topic, h->key, h->schema, h->value, &hv,
                                                     &hl, err) != 0)
                    goto convert_failed;
                hd = hv;
            }
            rd_kafka_header_add(headers, h->key, -1, hd, hd ? (ssize_t)hl : 0);
            free(hv);
        }
    }
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            loop->producer, RD_KAFKA_V_TOPIC(r->topic),
            RD_KAFKA_V_PARTITION(r->kafka_partition >= 0 ? r->kafka_partition : RD_KAFKA_PARTITION_UA),
            RD_KAFKA_V_KEY(key_data, key_len), RD_KAFKA_V_VALUE((void *)value_data, value_len),
            RD_KAFKA_V_MSGFLAGS(value_flags),
            RD_KAFKA_V_TIMESTAMP(r->timestamp == KC_NO_TIMESTAMP ? 0 : r->timestamp),
            RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(f), RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
            free(key); /* librdkafka copies keys; a converted value is freed with the message */
            loop->sent++;
            kc_worker_task_topic(t, r->topic);
            return 1;
        }
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            free(key);
            free(value);
            if (headers)
                rd_kafka_headers_destroy(headers);
            kc_error_set(err, KC_ERR_IO, "Failed to send record to topic %s: %s", r->topic, rd_kafka_err2str(e));
            return -1;
        }
        rd_kafka_poll(loop->producer, 100); /* back pressure: serve delivery reports, then retry */
        if (loop->failure.code != KC_ERR_NONE) {
            free(key);
            free(value);
            if (headers)
                rd_kafka_headers_destroy(headers);
            *err = loop->failure;
            return -1;
        }
    }
convert_failed:
    free(key);
    free(value);
    if (headers)
        rd_kafka_headers_destroy(headers);
    if (kc_errors_handle(&t->errors, t->name, stage, NULL, 0, 0, err))
        return 0;
    kc_error_prefix(err, "Tolerance exceeded in error handler");
    return -1;
}

static int process_batch(source_loop *loop, kc_record_list *batch, kc_error *err)
{
    kc_worker_task *t = loop->t;
    for (size_t i = 0; i < batch->count; i++) {
        kc_record *r = batch->items[i];
        batch->items[i] = NULL;
        kc_submitted *s = kc_offset_writer_submit(loop->writer, r->source_partition, r->source_offset, err);
        if (!s) {
            kc_record_free(r);
            return -1;
        }
        inflight *f = calloc(1, sizeof *f);
        /* commit_record gets the record as polled: without transformations it is the record sent,
         * kept (not copied) until its delivery report */
        bool keep = loop->plugin->commit_record && loop->no_transforms;
        if (!f || (loop->plugin->commit_record && !keep && !(f->original = kc_record_copy(r)))) {
            free(f);
            kc_record_free(r);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        f->submitted = s;
        kc_error_clear(err);
        if (keep)
            f->original = r;
        kc_record *out = loop->no_transforms ? r : kc_transformation_chain_apply(t->chain, r, err);
        if (!out) {
            if (err->code != KC_ERR_NONE &&
                !kc_errors_handle(&t->errors, t->name, KC_STAGE_TRANSFORMATION, NULL, 0, 0, err)) {
                kc_record_free(f->original);
                free(f);
                kc_error_prefix(err, "Tolerance exceeded in error handler");
                return -1;
            }
            /* dropped by a transformation (or tolerated): done, its offset may be committed */
            kc_offset_writer_ack(loop->writer, s);
            if (f->original) {
                loop->plugin->commit_record(t->instance, f->original, -1, -1);
                kc_record_free(f->original);
            }
            free(f);
            continue;
        }
        int rc = send_record(loop, out, f, err);
        if (out != f->original)
            kc_record_free(out);
        if (rc < 0) {
            kc_record_free(f->original);
            free(f);
            return -1;
        }
        if (rc == 1 && keep && loop->plugin->commit_record_metadata_only) {
            /* sent (librdkafka has its own copies): only the metadata waits for the delivery report */
            kc_record_set_key_new(r, NULL, NULL);
            kc_record_set_value_new(r, NULL, NULL);
            kc_headers_clear(&r->headers);
        }
        if (rc == 0) {
            kc_offset_writer_ack(loop->writer, s);
            kc_record_free(f->original);
            free(f);
        }
    }
    return 0;
}

static void commit_offsets(source_loop *loop)
{
    kc_error err;
    kc_error_clear(&err);
    if (kc_offset_writer_commit(loop->writer, loop->t->worker->offsets, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "%s Failed to commit offsets: %s", loop->t->name, err.msg);
        return;
    }
    if (loop->plugin->commit && loop->plugin->commit(loop->t->instance, &err) != 0)
        kc_log(KC_LOG_WARN, LOGGER, "%s Exception thrown while calling task.commit(): %s", loop->t->name, err.msg);
}

static rd_kafka_t *create_producer(source_loop *loop, kc_error *err)
{
    kc_worker_task *t = loop->t;
    kc_props *props = kc_worker_client_props(t->worker, "producer", t->connector_config, t->connector, t->id, err);
    if (!props)
        return NULL;
    rd_kafka_conf_t *conf = kc_client_conf_new(props, KC_CLIENT_PRODUCER, NULL, NULL, err);
    kc_props_free(props);
    if (!conf)
        return NULL;
    rd_kafka_conf_set_opaque(conf, loop);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        kc_error_set(err, KC_ERR_INVALID, "cannot create the producer of %s: %s", t->name, errstr);
    }
    return rk;
}

void *kc_source_task_run(void *arg)
{
    kc_worker_task *t = arg;
    source_loop loop = {.t = t, .plugin = t->plugin->source_task};
    kc_source_task_context ctx = {t};
    kc_error err;
    kc_error_clear(&err);
    kc_error_clear(&loop.failure);
    int failed = 1;
    kc_record_list batch = {0};

    if (!(loop.writer = kc_offset_writer_new(t->connector))) {
        kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (!(loop.topics = kc_topic_creation_new(t->connector_config, t->worker->settings.topic_creation_enable, &err)))
        goto done;
    if (!(loop.producer = create_producer(&loop, &err)))
        goto done;
    loop.raw_key = is_byte_array(t->key_converter);
    loop.raw_value = is_byte_array(t->value_converter);
    loop.raw_headers = is_byte_array(t->header_converter);
    loop.no_transforms = kc_transformation_chain_size(t->chain) == 0;
    if (loop.plugin->start(t->instance, &ctx, t->task_config, &err) != 0)
        goto done;
    kc_worker_task_report(t, KC_STATE_RUNNING, NULL);
    int64_t interval = t->worker->settings.offset_flush_interval_ms;
    int64_t next_commit = kc_now_ms() + interval;
    for (;;) {
        if (kc_worker_task_await_running(t))
            break;
        if (loop.plugin->poll(t->instance, &batch, &err) != 0) {
            kc_error_prefix(&err, "%s threw an uncaught and unrecoverable exception", t->name);
            goto done;
        }
        if (process_batch(&loop, &batch, &err) != 0)
            goto done;
        kc_record_list_clear(&batch);
        rd_kafka_poll(loop.producer, 0);
        if (loop.failure.code != KC_ERR_NONE) {
            err = loop.failure;
            goto done;
        }
        if (kc_now_ms() >= next_commit) {
            commit_offsets(&loop);
            next_commit = kc_now_ms() + interval;
        }
    }
    failed = 0;
done:
    kc_record_list_clear(&batch);
    if (loop.producer) {
        /* what was sent gets its chance to be acknowledged, then those offsets are committed */
        rd_kafka_flush(loop.producer, (int)t->worker->settings.offset_flush_timeout_ms);
        if (loop.writer)
            commit_offsets(&loop);
        /* whatever is still queued fails (and is never committed); its reports free the in-flight state */
        rd_kafka_purge(loop.producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(loop.producer, 5000);
        rd_kafka_destroy(loop.producer);
    }
    if (failed) {
        kc_worker_task_report(t, KC_STATE_FAILED, err.msg);
        /* a failed task stays FAILED until it is stopped or restarted */
        while (!kc_worker_task_stopping(t))
            kc_worker_task_sleep(t, 1000);
    } else {
        kc_worker_task_report(t, KC_STATE_UNASSIGNED, NULL);
    }
    kc_offset_writer_free(loop.writer);
    kc_topic_creation_free(loop.topics);
    free(loop.last_topic);
    pthread_mutex_lock(&t->lock);
    t->finished = true;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    return NULL;
}
