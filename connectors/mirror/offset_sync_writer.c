/*
 * OffsetSyncWriter (see offset_sync_writer.h): Java's PartitionState rule and its two
 * insertion-ordered queues (pending, delayed) with an in-flight limit, written anew in C.
 *
 * Owns: a chained hash table of partition entries; each entry is linked into the pending and/or
 * the delayed list while it holds such a sync, so both queues keep Java's LinkedHashMap order
 * without allocating per ack. Threads: all entry points take w->mu.
 */
#include "offset_sync_writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Java long subtraction (wraps modulo 2^64). */
static int64_t jsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }

void kc_offset_sync_partition_state_init(kc_offset_sync_partition_state *st, int64_t max_offset_lag)
{
    *st = (kc_offset_sync_partition_state){.previous_upstream = -1, .previous_downstream = -1,
                                           .last_sync_downstream = -1, .max_offset_lag = max_offset_lag};
}

bool kc_offset_sync_partition_state_update(kc_offset_sync_partition_state *st, int64_t up, int64_t down)
{
    bool first = st->last_sync_downstream == -1;
    /* translation from the last sync can only reach lastSyncD + 1 */
    bool stale = jsub(down, jsub(st->last_sync_downstream, -1)) >= st->max_offset_lag;
    bool upstream_gap = jsub(up, st->previous_upstream) != 1;
    bool truncated = down < st->previous_downstream;
    if (first || stale || upstream_gap || truncated) {
        st->last_sync_downstream = down;
        st->should_sync = true;
    }
    st->previous_upstream = up;
    st->previous_downstream = down;
    return st->should_sync;
}

void kc_offset_sync_partition_state_reset(kc_offset_sync_partition_state *st) { st->should_sync = false; }

/* ---- the writer -------------------------------------------------------------------------------- */

typedef struct queue_link {
    struct w_entry *prev, *next;
} queue_link;

typedef struct w_entry {
    struct w_entry *hnext;
    uint32_t hash;
    int32_t partition;
    kc_offset_sync_partition_state st;
    bool in_pending, in_delayed;
    int64_t pending_up, pending_down;
    int64_t delayed_up, delayed_down;
    queue_link pl, dl; /* links in the pending / delayed lists */
    char topic[];
} w_entry;

typedef struct queue {
    w_entry *head, *tail;
    size_t size;
} queue;

struct kc_offset_sync_writer {
    pthread_mutex_t mu;
    int64_t max_offset_lag;
    int max_in_flight;
    int in_flight;
    queue pending, delayed;
    w_entry *last; /* the entry of the previous ack: acks come in runs per partition */
    w_entry **buckets;
    size_t nbuckets;
    size_t count;
};

static void q_append(queue *q, w_entry *e, queue_link *(*link)(w_entry *))
{
    link(e)->prev = q->tail;
    link(e)->next = NULL;
    if (q->tail)
        link(q->tail)->next = e;
    else
        q->head = e;
    q->tail = e;
    q->size++;
}

static void q_remove(queue *q, w_entry *e, queue_link *(*link)(w_entry *))
{
    w_entry *p = link(e)->prev, *n = link(e)->next;
    if (p)
        link(p)->next = n;
    else
        q->head = n;
    if (n)
        link(n)->prev = p;
    else
        q->tail = p;
    q->size--;
}

static queue_link *plink(w_entry *e) { return &e->pl; }
static queue_link *dlink(w_entry *e) { return &e->dl; }

static void set_pending(kc_offset_sync_writer_t *w, w_entry *e, int64_t up, int64_t down)
{
    if (!e->in_pending) {
        q_append(&w->pending, e, plink);
        e->in_pending = true;
    }
    e->pending_up = up;
    e->pending_down = down;
}

static void drop_delayed(kc_offset_sync_writer_t *w, w_entry *e)
{
    if (e->in_delayed) {
        q_remove(&w->delayed, e, dlink);
        e->in_delayed = false;
    }
}

static uint32_t tp_hash(const char *topic, int32_t partition)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)topic; *p; p++)
        h = (h ^ *p) * 16777619u;
    return (h ^ (uint32_t)partition) * 16777619u;
}

static w_entry *find(const kc_offset_sync_writer_t *w, const char *topic, int32_t partition)
{
    if (w->last && w->last->partition == partition && strcmp(w->last->topic, topic) == 0)
        return w->last;
    uint32_t h = tp_hash(topic, partition);
    for (w_entry *e = w->buckets[h & (w->nbuckets - 1)]; e; e = e->hnext)
        if (e->hash == h && e->partition == partition && strcmp(e->topic, topic) == 0)
            return e;
    return NULL;
}

static int grow(kc_offset_sync_writer_t *w)
{
    size_t n = w->nbuckets * 2;
    w_entry **b = calloc(n, sizeof *b);
    if (!b)
        return -1;
    for (size_t i = 0; i < w->nbuckets; i++) {
        w_entry *e = w->buckets[i];
        while (e) {
            w_entry *next = e->hnext;
            e->hnext = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(w->buckets);
    w->buckets = b;
    w->nbuckets = n;
    return 0;
}

static w_entry *add(kc_offset_sync_writer_t *w, const char *topic, int32_t partition, kc_error *err)
{
    if (w->count >= KC_OFFSET_SYNC_WRITER_MAX_PARTITIONS) {
        kc_error_set(err, KC_ERR_INVALID, "offset sync for %s-%d not recorded: already tracking %u topic-partitions",
                     topic, (int)partition, KC_OFFSET_SYNC_WRITER_MAX_PARTITIONS);
        return NULL;
    }
    size_t len = strlen(topic);
    w_entry *e = calloc(1, sizeof *e + len + 1);
    if (!e || ((w->count + 1) * 4 > w->nbuckets * 3 && grow(w) != 0)) {
        free(e);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory recording an offset sync for %s-%d", topic, (int)partition);
        return NULL;
    }
    memcpy(e->topic, topic, len + 1);
    e->partition = partition;
    e->hash = tp_hash(topic, partition);
    kc_offset_sync_partition_state_init(&e->st, w->max_offset_lag);
    e->hnext = w->buckets[e->hash & (w->nbuckets - 1)];
    w->buckets[e->hash & (w->nbuckets - 1)] = e;
    w->count++;
    return e;
}

kc_offset_sync_writer_t *kc_offset_sync_writer_new(int64_t max_offset_lag, int max_in_flight, kc_error *err)
{
    kc_offset_sync_writer_t *w = calloc(1, sizeof *w);
    if (w) {
        w->nbuckets = 64;
        w->buckets = calloc(w->nbuckets, sizeof *w->buckets);
    }
    if (!w || !w->buckets) {
        free(w);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating the offset sync writer");
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    w->max_offset_lag = max_offset_lag;
    w->max_in_flight = max_in_flight > 0 ? max_in_flight : KC_OFFSET_SYNC_MAX_IN_FLIGHT;
    return w;
}

void kc_offset_sync_writer_free(kc_offset_sync_writer_t *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nbuckets; i++) {
        w_entry *e = w->buckets[i];
        while (e) {
            w_entry *next = e->hnext;
            free(e);
            e = next;
        }
    }
    free(w->buckets);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

int kc_offset_sync_writer_queue(kc_offset_sync_writer_t *w, const char *topic, int32_t partition,
                                int64_t upstream_offset, int64_t downstream_offset, kc_error *err)
{
    int rc;
    pthread_mutex_lock(&w->mu);
    w_entry *e = find(w, topic, partition);
    if (!e)
        e = add(w, topic, partition, err);
    if (!e) {
        rc = -1;
    } else if (kc_offset_sync_partition_state_update(&e->st, upstream_offset, downstream_offset)) {
        drop_delayed(w, e);
        set_pending(w, e, upstream_offset, downstream_offset);
        kc_offset_sync_partition_state_reset(&e->st);
        rc = 1;
    } else {
        if (!e->in_delayed) {
            q_append(&w->delayed, e, dlink);
            e->in_delayed = true;
        }
        e->delayed_up = upstream_offset;
        e->delayed_down = downstream_offset;
        rc = 0;
    }
    if (e)
        w->last = e;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

void kc_offset_sync_writer_promote(kc_offset_sync_writer_t *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->delayed.head) {
        w_entry *e = w->delayed.head;
        set_pending(w, e, e->delayed_up, e->delayed_down);
        drop_delayed(w, e);
    }
    pthread_mutex_unlock(&w->mu);
}

bool kc_offset_sync_writer_next(kc_offset_sync_writer_t *w, kc_offset_sync *out)
{
    bool got = false;
    pthread_mutex_lock(&w->mu);
    w_entry *e = w->pending.head;
    if (e && w->in_flight < w->max_in_flight) {
        q_remove(&w->pending, e, plink);
        e->in_pending = false;
        w->in_flight++;
        *out = (kc_offset_sync){.topic = e->topic, .partition = e->partition, .upstream = e->pending_up,
                                .downstream = e->pending_down};
        got = true;
    }
    pthread_mutex_unlock(&w->mu);
    return got;
}

void kc_offset_sync_writer_sent(kc_offset_sync_writer_t *w)
{
    pthread_mutex_lock(&w->mu);
    if (w->in_flight > 0)
        w->in_flight--;
    pthread_mutex_unlock(&w->mu);
}

int kc_offset_sync_writer_peek(kc_offset_sync_writer_t *w, const char *topic, int32_t partition,
                               kc_offset_sync_writer_view *out)
{
    pthread_mutex_lock(&w->mu);
    w_entry *e = find(w, topic, partition);
    if (e)
        *out = (kc_offset_sync_writer_view){.state = e->st, .has_pending = e->in_pending,
                                            .pending_upstream = e->pending_up, .pending_downstream = e->pending_down,
                                            .has_delayed = e->in_delayed, .delayed_upstream = e->delayed_up,
                                            .delayed_downstream = e->delayed_down};
    pthread_mutex_unlock(&w->mu);
    return e ? 0 : -1;
}

void kc_offset_sync_writer_counts(kc_offset_sync_writer_t *w, size_t *pending, size_t *delayed, int *in_flight)
{
    pthread_mutex_lock(&w->mu);
    if (pending)
        *pending = w->pending.size;
    if (delayed)
        *delayed = w->delayed.size;
    if (in_flight)
        *in_flight = w->in_flight;
    pthread_mutex_unlock(&w->mu);
}
