/*
 * The offset backing store: the standalone worker's offsets file (Java's FileOffsetBackingStore) or
 * distributed mode's offsets topic (Java's KafkaOffsetBackingStore); see offsets.h.
 *
 * Both keep the raw map key bytes -> value bytes (storage/offset_file.h) under one mutex. The file
 * store rewrites the file on every set. The Kafka store's map follows the topic only: the consume
 * callback of its kafka_log applies every record (a tombstone removes the key), and every read
 * first reads the topic to its end; set sends the records and waits for their acknowledgement.
 * Every kafka_log call (and so every callback) runs with the mutex held.
 */
#include "connect/worker/offsets.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "connect/api/log.h"
#include "connect/worker/json_reader.h"
#include "connect/worker/worker_config.h"
#include "storage/kafka_log.h"
#include "storage/store_clients.h"

#define KAFKA_LOGGER "org.apache.kafka.connect.storage.KafkaOffsetBackingStore"
#define SET_SLICE_MS 50                  /* the mutex is released between slices of a set's wait */
#define FLUSH_TIMEOUT_MSG "Timed out waiting to flush offsets to storage; will try again on next flush " \
                          "interval with latest offsets"

typedef enum store_kind { STORE_FILE = 1, STORE_KAFKA } store_kind;

struct kc_offset_store {
    pthread_mutex_t lock;
    int lock_ready;
    store_kind kind;
    kc_offset_map *data;
    /* file */
    char *path;
    /* kafka */
    char *topic;
    kc_kafka_log *log;
    int started;
    int stopped;
    int64_t flush_timeout_ms;   /* offset.flush.timeout.ms: a set's budget */
    int read_timeout_ms;        /* default.api.timeout.ms: a read to end's budget */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static kc_offset_store *store_alloc(store_kind kind, kc_error *err)
{
    kc_offset_store *s = calloc(1, sizeof *s);
    if (!s || !(s->data = kc_offset_map_new())) {
        free(s);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->lock_ready = 1;
    s->kind = kind;
    return s;
}

kc_offset_store *kc_offset_store_file_new(const char *path, kc_error *err)
{
    kc_offset_store *s = store_alloc(STORE_FILE, err);
    if (!s)
        return NULL;
    if (!(s->path = strdup(path))) {
        kc_offset_store_free(s);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    if (kc_offset_file_load(path, s->data, err) != 0) {
        kc_offset_store_free(s);
        return NULL;
    }
    return s;
}

/* ---- Kafka store ------------------------------------------------------------------------------ */

/* KafkaOffsetBackingStore.consumedCallback: the map follows the topic (runs with the lock held). */
static void on_record(void *opaque, const kc_kafka_log_record *r)
{
    kc_offset_store *s = opaque;
    if (!r->key) {
        kc_log(KC_LOG_WARN, KAFKA_LOGGER, "Ignoring offset record with a null key at %s-%d offset %lld",
               s->topic, (int)r->partition, (long long)r->offset);
        return;
    }
    kc_error e;
    kc_error_clear(&e);
    if (kc_offset_map_put(s->data, r->key, r->key_len, r->value, r->value_len, &e) != 0)
        kc_log(KC_LOG_ERROR, KAFKA_LOGGER, "Failed to apply the offset record at %s-%d offset %lld: %s",
               s->topic, (int)r->partition, (long long)r->offset, e.msg);
}

kc_offset_store *kc_offset_store_kafka_new(const kc_worker_config *wc, const char *client_id_base,
                                           kc_error *err)
{
    const char *topic = wc->offset_storage_topic;
    int blank = 1;
    for (const char *p = topic; p && *p; p++)
        blank &= (unsigned char)*p <= ' ';
    if (blank) {
        kc_error_set(err, KC_ERR_INVALID, "Offset storage topic must be specified");
        return NULL;
    }
    kc_offset_store *s = store_alloc(STORE_KAFKA, err);
    if (!s)
        return NULL;
    char id[512], admin_id[512];
    kc_store_client_id(wc, client_id_base, "offsets", id, sizeof id);
    kc_store_client_id(wc, client_id_base, "shared-admin", admin_id, sizeof admin_id);
    kc_props *producer = kc_store_client_props_new(wc, id, err);
    kc_props *consumer = producer ? kc_store_client_props_new(wc, id, err) : NULL;
    kc_props *admin = consumer ? kc_store_client_props_new(wc, admin_id, err) : NULL;
    kc_props *settings = admin ? kc_store_topic_settings_new(wc, "offset.storage.", err) : NULL;
    int failed = !settings; /* err set by the helpers */
    if (!failed && (!(s->topic = strdup(topic)) || kc_props_set(producer, "delivery.timeout.ms", "2147483647") ||
                    kc_props_set(producer, "enable.idempotence", "false")))
        failed = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (!failed && wc->exactly_once_source_support == KC_WORKER_EOS_ENABLED) {
        /* ConnectUtils.ensureProperty: the worker's own value gives way, with a warning */
        const char *iso = kc_props_get(consumer, "isolation.level");
        if (iso && strcasecmp(iso, "read_committed") != 0)
            kc_log(KC_LOG_WARN, KAFKA_LOGGER,
                   "The value '%s' for the 'isolation.level' property will be ignored and 'read_committed' "
                   "will be used instead, for the worker offsets topic consumer when exactly-once source "
                   "support is enabled", iso);
        if (kc_props_set(consumer, "isolation.level", "read_committed"))
            failed = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    if (!failed) {
        kc_kafka_log_topic_spec spec;
        memset(&spec, 0, sizeof spec);
        spec.partitions = wc->offset_storage_partitions;
        spec.replication_factor = wc->offset_storage_replication_factor;
        spec.configs = settings;
        spec.property = "offset.storage.topic";
        spec.purpose = "source connector offsets";
        kc_store_topic_spec_timeouts(wc, &spec);
        s->read_timeout_ms = spec.create_timeout_ms;
        s->flush_timeout_ms = wc->offset_flush_timeout_ms > 0 ? wc->offset_flush_timeout_ms : 5000;
        s->log = kc_kafka_log_new(s->topic, producer, consumer, admin, &spec, on_record, s, err);
        failed = !s->log;
    }
    kc_props_free(producer);
    kc_props_free(consumer);
    kc_props_free(admin);
    kc_props_free(settings);
    if (failed) {
        kc_offset_store_free(s);
        return NULL;
    }
    return s;
}

int kc_offset_store_start(kc_offset_store *s, int timeout_ms, kc_error *err)
{
    if (s->kind != STORE_KAFKA)
        return 0;
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    if (s->started || s->stopped) {
        rc = kc_error_set(err, KC_ERR_INVALID, "The offsets store for topic '%s' was already started", s->topic);
    } else {
        kc_log(KC_LOG_INFO, KAFKA_LOGGER, "Starting KafkaOffsetBackingStore");
        rc = kc_kafka_log_start(s->log, timeout_ms, err);
        if (rc == 0) {
            s->started = 1;
            kc_log(KC_LOG_INFO, KAFKA_LOGGER, "Finished reading offsets topic and starting KafkaOffsetBackingStore");
        } else {
            s->stopped = 1;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void kc_offset_store_stop(kc_offset_store *s)
{
    if (!s || s->kind != STORE_KAFKA)
        return;
    pthread_mutex_lock(&s->lock);
    if (!s->stopped) {
        s->stopped = 1;
        if (s->started)
            kc_log(KC_LOG_INFO, KAFKA_LOGGER, "Stopping KafkaOffsetBackingStore");
        kc_kafka_log_stop(s->log);
        if (s->started)
            kc_log(KC_LOG_INFO, KAFKA_LOGGER, "Stopped KafkaOffsetBackingStore");
    }
    pthread_mutex_unlock(&s->lock);
}

/* With the lock held: fails unless the Kafka store is running. */
static int check_running(kc_offset_store *s, kc_error *err)
{
    if (!s->started || s->stopped)
        return kc_error_set(err, KC_ERR_UNAVAILABLE, "The offsets store for topic '%s' is not running", s->topic);
    return 0;
}

/* With the lock held: brings the Kafka store's map up to date (KafkaOffsetBackingStore.get). */
static int catch_up(kc_offset_store *s, kc_error *err)
{
    if (s->kind != STORE_KAFKA)
        return 0;
    if (check_running(s, err) != 0)
        return -1;
    return kc_kafka_log_read_to_end(s->log, s->read_timeout_ms, err);
}

/* One set's acknowledgements (SetCallbackFuture). Shared by the caller and the callbacks of its
 * records, all under the lock; the last one to let go frees it (a caller that timed out leaves). */
typedef struct set_batch {
    int refs;
    int left;
    int failed;
    kc_error first;
} set_batch;

static void batch_release(set_batch *b)
{
    if (--b->refs == 0)
        free(b);
}

static void on_sent(void *opaque, const kc_error *err, int32_t partition, int64_t offset)
{
    (void)partition;
    (void)offset;
    set_batch *b = opaque;
    if (err && !b->failed) {
        b->failed = 1;
        b->first = *err;
    }
    b->left--;
    batch_release(b);
}

static int send_one(kc_offset_store *s, set_batch *b, const void *key, size_t key_len, const void *value,
                    size_t value_len, kc_error *err)
{
    b->refs++;
    b->left++;
    if (kc_kafka_log_send_async(s->log, key, key_len, value, value_len, -1, on_sent, b, err) != 0) {
        b->refs--;
        b->left--;
        return -1;
    }
    return 0;
}

/* With the lock held (released between wait slices). */
static int kafka_set(kc_offset_store *s, const kc_offset_map *batch, const char *const *removed,
                     const size_t *removed_len, size_t nremoved, kc_error *err)
{
    if (check_running(s, err) != 0)
        return -1;
    set_batch *b = calloc(1, sizeof *b);
    if (!b)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    b->refs = 1;
    int64_t deadline = now_ms() + s->flush_timeout_ms;
    int rc = 0;
    for (size_t i = 0; rc == 0 && batch && i < kc_offset_map_count(batch); i++) {
        const void *k, *v;
        size_t kl, vl;
        kc_offset_map_at(batch, i, &k, &kl, &v, &vl);
        rc = send_one(s, b, k, kl, v, vl, err);
    }
    for (size_t i = 0; rc == 0 && i < nremoved; i++)
        rc = send_one(s, b, removed[i], removed_len[i], NULL, 0, err);
    while (rc == 0 && b->left > 0 && !b->failed) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            break;
        kc_error ignored;
        kc_error_clear(&ignored);
        kc_kafka_log_flush(s->log, left < SET_SLICE_MS ? (int)left : SET_SLICE_MS, &ignored);
        if (b->left > 0 && !b->failed) { /* let the other threads in between slices */
            pthread_mutex_unlock(&s->lock);
            pthread_mutex_lock(&s->lock);
            if (s->stopped) /* stop() ran meanwhile: its flush gave every record its answer */
                break;
        }
    }
    if (rc == 0 && b->failed)
        rc = kc_error_set(err, b->first.code ? b->first.code : KC_ERR_IO, "%s", b->first.msg);
    else if (rc == 0 && b->left > 0)
        rc = kc_error_set(err, KC_ERR_TIMEOUT, FLUSH_TIMEOUT_MSG);
    batch_release(b);
    return rc;
}

void kc_offset_store_free(kc_offset_store *s)
{
    if (!s)
        return;
    kc_offset_store_stop(s);
    kc_kafka_log_free(s->log);
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    kc_offset_map_free(s->data);
    free(s->path);
    free(s->topic);
    free(s);
}

/* ---- both stores ------------------------------------------------------------------------------- */

int kc_offset_store_get(kc_offset_store *s, const void *key, size_t key_len, char **value, size_t *value_len,
                        kc_error *err)
{
    *value = NULL;
    pthread_mutex_lock(&s->lock);
    if (catch_up(s, err) != 0) {
        pthread_mutex_unlock(&s->lock);
        return -1;
    }
    size_t n;
    const void *v = kc_offset_map_get(s->data, key, key_len, &n);
    if (v) {
        *value = malloc(n + 1);
        if (*value) {
            memcpy(*value, v, n);
            (*value)[n] = '\0';
            *value_len = n;
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (v && !*value)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static kc_offset_map *copy_map(const kc_offset_map *m, kc_error *err)
{
    kc_offset_map *c = kc_offset_map_new();
    if (!c) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < kc_offset_map_count(m); i++) {
        const void *k, *v;
        size_t kl, vl;
        kc_offset_map_at(m, i, &k, &kl, &v, &vl);
        if (kc_offset_map_put(c, k, kl, v, vl, err) != 0) {
            kc_offset_map_free(c);
            return NULL;
        }
    }
    return c;
}

static int file_set(kc_offset_store *s, const kc_offset_map *batch, const char *const *removed,
                    const size_t *removed_len, size_t nremoved, kc_error *err)
{
    int rc = -1;
    kc_offset_map *next = copy_map(s->data, err);
    if (!next)
        goto out;
    for (size_t i = 0; batch && i < kc_offset_map_count(batch); i++) {
        const void *k, *v;
        size_t kl, vl;
        kc_offset_map_at(batch, i, &k, &kl, &v, &vl);
        if (kc_offset_map_put(next, k, kl, v, vl, err) != 0)
            goto out;
    }
    for (size_t i = 0; i < nremoved; i++)
        kc_offset_map_put(next, removed[i], removed_len[i], NULL, 0, err);
    if (kc_offset_file_save(s->path, next, err) != 0)
        goto out;
    kc_offset_map_free(s->data);
    s->data = next;
    next = NULL;
    rc = 0;
out:
    kc_offset_map_free(next);
    return rc;
}

int kc_offset_store_set(kc_offset_store *s, const kc_offset_map *batch, const char *const *removed,
                        const size_t *removed_len, size_t nremoved, kc_error *err)
{
    pthread_mutex_lock(&s->lock);
    int rc = s->kind == STORE_KAFKA ? kafka_set(s, batch, removed, removed_len, nremoved, err)
                                    : file_set(s, batch, removed, removed_len, nremoved, err);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

kc_offset_map *kc_offset_store_snapshot(kc_offset_store *s, kc_error *err)
{
    pthread_mutex_lock(&s->lock);
    kc_offset_map *c = catch_up(s, err) == 0 ? copy_map(s->data, err) : NULL;
    pthread_mutex_unlock(&s->lock);
    return c;
}

int kc_offset_store_read(kc_offset_store *s, const char *connector, const kc_value *partition, kc_value **offset,
                         kc_error *err)
{
    *offset = NULL;
    char *key, *value;
    size_t klen, vlen;
    if (kc_offsets_key_bytes(connector, partition, &key, &klen, err) != 0)
        return -1;
    int rc = kc_offset_store_get(s, key, klen, &value, &vlen, err);
    free(key);
    if (rc != 0 || !value)
        return rc;
    rc = kc_json_parse_value(value, vlen, NULL, offset, err);
    free(value);
    if (rc == 0 && kc_offsets_validate_format(*offset, err) != 0) {
        kc_value_free(*offset);
        *offset = NULL;
        return -1;
    }
    return rc;
}
