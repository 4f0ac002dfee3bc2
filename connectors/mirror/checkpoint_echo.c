/*
 * Checkpoint echo guard (checkpoint_echo.h).
 */
#include "connectors/mirror/checkpoint_echo.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connectors/mirror/mirror_records.h"

#define ECHO_BUCKETS 1024

typedef struct echo_entry {
    struct echo_entry *next;
    char *group, *topic;
    int32_t partition;
    int64_t recent[KC_CHECKPOINT_ECHO_KEEP]; /* ring of the last downstream offsets */
    int count, head;
} echo_entry;

struct kc_checkpoint_echo {
    rd_kafka_t *consumer;
    char *topic;
    bool assigned;
    int64_t next; /* next offset of partition 0 to read */
    echo_entry *buckets[ECHO_BUCKETS];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t echo_hash(const char *group, const char *topic, int32_t partition)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = group; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (const char *s = topic; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ (uint32_t)partition) * 1099511628211ULL;
    return (size_t)(h % ECHO_BUCKETS);
}

static echo_entry *find(const kc_checkpoint_echo *e, const char *group, const char *topic, int32_t partition)
{
    for (echo_entry *x = e->buckets[echo_hash(group, topic, partition)]; x; x = x->next)
        if (x->partition == partition && strcmp(x->group, group) == 0 && strcmp(x->topic, topic) == 0)
            return x;
    return NULL;
}

kc_checkpoint_echo *kc_checkpoint_echo_new(rd_kafka_t *consumer, const char *topic, kc_error *err)
{
    kc_checkpoint_echo *e = calloc(1, sizeof *e);
    if (!e || !(e->topic = strdup(topic))) {
        free(e);
        if (consumer)
            rd_kafka_destroy(consumer);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    e->consumer = consumer;
    return e;
}

int kc_checkpoint_echo_add(kc_checkpoint_echo *e, const char *group, const char *topic, int32_t partition,
                           int64_t downstream)
{
    echo_entry *x = find(e, group, topic, partition);
    if (!x) {
        if (!(x = calloc(1, sizeof *x)) || !(x->group = strdup(group)) || !(x->topic = strdup(topic))) {
            if (x)
                free(x->group);
            free(x);
            return -1;
        }
        x->partition = partition;
        size_t b = echo_hash(group, topic, partition);
        x->next = e->buckets[b];
        e->buckets[b] = x;
    }
    if (x->count > 0 && x->recent[x->head] == downstream)
        return 0; /* the same checkpoint again */
    x->head = x->count > 0 ? (x->head + 1) % KC_CHECKPOINT_ECHO_KEEP : 0;
    x->recent[x->head] = downstream;
    if (x->count < KC_CHECKPOINT_ECHO_KEEP)
        x->count++;
    return 0;
}

bool kc_checkpoint_echo_matches(const kc_checkpoint_echo *e, const char *group, const char *topic, int32_t partition,
                                int64_t offset)
{
    const echo_entry *x = e ? find(e, group, topic, partition) : NULL;
    for (int i = 0; x && i < x->count; i++)
        if (x->recent[i] == offset)
            return true;
    return false;
}

int kc_checkpoint_echo_refresh(kc_checkpoint_echo *e, int timeout_ms, kc_error *err)
{
    int64_t deadline = now_ms() + timeout_ms, low = 0, high = 0;
    rd_kafka_resp_err_t r = rd_kafka_query_watermark_offsets(e->consumer, e->topic, 0, &low, &high, timeout_ms);
    if (r == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || r == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
        r == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        return 0; /* the reverse flow has not checkpointed anything yet */
    if (r)
        return kc_error_set(err, KC_ERR_IO, "reading the end offset of %s-0: %s", e->topic, rd_kafka_err2str(r));
    if (high <= e->next)
        return 0;
    if (!e->assigned) {
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, e->topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
        r = rd_kafka_assign(e->consumer, parts);
        rd_kafka_topic_partition_list_destroy(parts);
        if (r)
            return kc_error_set(err, KC_ERR_IO, "assigning %s-0: %s", e->topic, rd_kafka_err2str(r));
        e->assigned = true;
    }
    while (e->next < high) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return kc_error_set(err, KC_ERR_TIMEOUT, "reading %s-0 up to offset %lld timed out at %lld", e->topic,
                                (long long)high, (long long)e->next);
        rd_kafka_message_t *m = rd_kafka_consumer_poll(e->consumer, (int)(left < 200 ? left : 200));
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            e->next = m->offset > e->next ? m->offset : e->next;
            if (e->next < high) /* compaction removed the tail we waited for */
                e->next = high;
        } else if (m->err) {
            kc_error_set(err, KC_ERR_IO, "reading %s: %s", e->topic, rd_kafka_message_errstr(m));
            rd_kafka_message_destroy(m);
            return -1;
        } else {
            e->next = m->offset + 1;
            kc_mirror_checkpoint cp;
            kc_error derr;
            if (m->key && m->payload &&
                kc_mirror_checkpoint_decode(m->key, m->key_len, m->payload, m->len, &cp, &derr) == 0) {
                int rc = kc_checkpoint_echo_add(e, cp.group, cp.topic, cp.partition, cp.downstream_offset);
                kc_mirror_checkpoint_clear(&cp);
                if (rc != 0) {
                    rd_kafka_message_destroy(m);
                    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                }
            }
        }
        rd_kafka_message_destroy(m);
    }
    return 0;
}

void kc_checkpoint_echo_free(kc_checkpoint_echo *e)
{
    if (!e)
        return;
    for (size_t b = 0; b < ECHO_BUCKETS; b++)
        for (echo_entry *x = e->buckets[b], *next; x; x = next) {
            next = x->next;
            free(x->group);
            free(x->topic);
            free(x);
        }
    if (e->consumer) {
        if (e->assigned)
            rd_kafka_consumer_close(e->consumer);
        rd_kafka_destroy(e->consumer);
    }
    free(e->topic);
    free(e);
}
