/*
 * KafkaStatusBackingStore over kc_kafka_log; see status_store.h for the contract.
 *
 * Layout: the cache is an array of connector nodes sorted by name; a node holds the connector's own
 * entry, its task entries (sorted by task id) and its active topics (sorted by topic). An entry is
 * Java's CacheEntry: the status last read back, the write sequence, and an identity (id) that
 * stands for the Java object: a write remembers the id of the entry it was made for, and the entry
 * "is deleted" for that write when the slot is gone or holds another id.
 *
 * Every field below the mutex is touched only with it held, including from the kafka_log
 * callbacks (on_record, on_sent), which run inside kafka_log calls made with it held.
 */
#include "storage/status_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "storage/kafka_log.h"
#include "storage/store_clients.h"

#define LOGGER KC_STATUS_STORE_LOGGER
#define MAX_CHANGES 10000
#define WAIT_SLICE_MS 50

typedef struct status_entry {
    uint64_t id;               /* 0: no entry */
    int sequence;
    bool has_value;
    kc_status_value value;     /* the status last read back */
} status_entry;

typedef struct task_slot {
    int task;
    status_entry e;
} task_slot;

typedef struct topic_slot {
    char *topic;
    kc_topic_status status;
} topic_slot;

typedef struct conn_node {
    char *name;
    status_entry conn;
    task_slot *tasks;          /* sorted by task */
    size_t ntasks, cap_tasks;
    topic_slot *topics;        /* sorted by topic */
    size_t ntopics, cap_topics;
} conn_node;

typedef enum write_kind { W_CONNECTOR, W_TASK, W_TOPIC } write_kind;

/* One write, from send to its final answer (acknowledged, given up, or dropped at stop). */
typedef struct pending_write {
    struct pending_write *next;   /* in the retry queue */
    kc_status_store *store;
    write_kind kind;
    char *key;
    char *value;                  /* NULL: tombstone */
    size_t value_len;
    size_t bytes;                 /* what it counts against the bound */
    char *connector;
    int task;                     /* W_TASK */
    uint64_t entry_id;            /* status writes: the entry it was made for */
    int sequence;
    int32_t generation;
    bool safe;
    char *worker_id;
} pending_write;

typedef struct change {
    char *connector;              /* NULL: many changes */
    int task;
} change;

struct kc_status_store {
    pthread_mutex_t lock;
    pthread_cond_t wake;          /* the store's thread: stop */
    char *topic;
    kc_kafka_log *log;

    conn_node **nodes;            /* sorted by name */
    size_t nnodes, cap_nodes;
    uint64_t next_id;
    int32_t generation;           /* of the last status write (Java's store-wide generation) */

    pending_write *retry_head, *retry_tail;
    size_t pending, pending_bytes;

    kc_status_store_change_cb cb;
    void *cb_opaque;
    change *changes;
    size_t nchanges, cap_changes;
    bool changes_overflow;

    pthread_t thread;
    bool thread_started;
    bool started, stopping, closing, stopped;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- cache ------------------------------------------------------------------------------------- */

/* Index of name in nodes, or -(insertion point) - 1. */
static long node_index(const kc_status_store *s, const char *name)
{
    size_t lo = 0, hi = s->nnodes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->nodes[mid]->name, name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

static conn_node *node_find(const kc_status_store *s, const char *name)
{
    long i = node_index(s, name);
    return i >= 0 ? s->nodes[i] : NULL;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 4;
    void *p = realloc(*arr, c * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

static conn_node *node_get_or_add(kc_status_store *s, const char *name)
{
    long i = node_index(s, name);
    if (i >= 0)
        return s->nodes[i];
    size_t at = (size_t)(-i - 1);
    if (grow((void **)&s->nodes, &s->cap_nodes, s->nnodes, sizeof *s->nodes) != 0)
        return NULL;
    conn_node *n = calloc(1, sizeof *n);
    if (!n || !(n->name = strdup(name))) {
        free(n);
        return NULL;
    }
    memmove(&s->nodes[at + 1], &s->nodes[at], (s->nnodes - at) * sizeof *s->nodes);
    s->nodes[at] = n;
    s->nnodes++;
    return n;
}

static void entry_clear(status_entry *e)
{
    kc_status_value_clear(&e->value);
    memset(e, 0, sizeof *e);
}

/* Creates the entry when there is none (CacheEntry construction). */
static void entry_ensure(kc_status_store *s, status_entry *e)
{
    if (e->id == 0) {
        memset(e, 0, sizeof *e);
        e->id = ++s->next_id;
    }
}

static void node_free(conn_node *n)
{
    entry_clear(&n->conn);
    for (size_t i = 0; i < n->ntasks; i++)
        entry_clear(&n->tasks[i].e);
    for (size_t i = 0; i < n->ntopics; i++) {
        free(n->topics[i].topic);
        free(n->topics[i].status.topic);
        free(n->topics[i].status.connector);
    }
    free(n->tasks);
    free(n->topics);
    free(n->name);
    free(n);
}

/* Drops a node that holds nothing any more. */
static void node_gc(kc_status_store *s, conn_node *n)
{
    if (n->conn.id || n->ntasks || n->ntopics)
        return;
    long i = node_index(s, n->name);
    if (i < 0)
        return;
    memmove(&s->nodes[i], &s->nodes[i + 1], (s->nnodes - (size_t)i - 1) * sizeof *s->nodes);
    s->nnodes--;
    node_free(n);
}

static long task_index(const conn_node *n, int task)
{
    size_t lo = 0, hi = n->ntasks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->tasks[mid].task == task)
            return (long)mid;
        if (n->tasks[mid].task < task)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

static status_entry *task_find(const conn_node *n, int task)
{
    long i = task_index(n, task);
    return i >= 0 ? &n->tasks[i].e : NULL;
}

static status_entry *task_get_or_add(kc_status_store *s, conn_node *n, int task)
{
    long i = task_index(n, task);
    if (i < 0) {
        size_t at = (size_t)(-i - 1);
        if (grow((void **)&n->tasks, &n->cap_tasks, n->ntasks, sizeof *n->tasks) != 0)
            return NULL;
        memmove(&n->tasks[at + 1], &n->tasks[at], (n->ntasks - at) * sizeof *n->tasks);
        memset(&n->tasks[at], 0, sizeof n->tasks[at]);
        n->tasks[at].task = task;
        n->ntasks++;
        i = (long)at;
    }
    entry_ensure(s, &n->tasks[i].e);
    return &n->tasks[i].e;
}

static void task_remove(conn_node *n, int task)
{
    long i = task_index(n, task);
    if (i < 0)
        return;
    entry_clear(&n->tasks[i].e);
    memmove(&n->tasks[i], &n->tasks[i + 1], (n->ntasks - (size_t)i - 1) * sizeof *n->tasks);
    n->ntasks--;
}

static long topic_index(const conn_node *n, const char *topic)
{
    size_t lo = 0, hi = n->ntopics;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(n->topics[mid].topic, topic);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

/* Stores status (taken over) under topic. -1 when out of memory (status is then left to the
 * caller). */
static int topic_put(conn_node *n, const char *topic, kc_topic_status *status)
{
    long i = topic_index(n, topic);
    if (i < 0) {
        size_t at = (size_t)(-i - 1);
        char *name = strdup(topic);
        if (!name || grow((void **)&n->topics, &n->cap_topics, n->ntopics, sizeof *n->topics) != 0) {
            free(name);
            return -1;
        }
        memmove(&n->topics[at + 1], &n->topics[at], (n->ntopics - at) * sizeof *n->topics);
        memset(&n->topics[at], 0, sizeof n->topics[at]);
        n->topics[at].topic = name;
        n->ntopics++;
        i = (long)at;
    }
    topic_slot *t = &n->topics[i];
    free(t->status.topic);
    free(t->status.connector);
    t->status = *status;
    memset(status, 0, sizeof *status);
    return 0;
}

static void topic_remove(conn_node *n, const char *topic)
{
    long i = topic_index(n, topic);
    if (i < 0)
        return;
    topic_slot *t = &n->topics[i];
    free(t->topic);
    free(t->status.topic);
    free(t->status.connector);
    memmove(&n->topics[i], &n->topics[i + 1], (n->ntopics - (size_t)i - 1) * sizeof *n->topics);
    n->ntopics--;
}

/* The entry of a connector (task < 0) or task, or NULL. */
static status_entry *entry_find(const kc_status_store *s, const char *connector, int task)
{
    conn_node *n = node_find(s, connector);
    if (!n)
        return NULL;
    if (task < 0)
        return n->conn.id ? &n->conn : NULL;
    return task_find(n, task);
}

/* ---- reading ----------------------------------------------------------------------------------- */

static void note_change(kc_status_store *s, const char *connector, int task)
{
    if (!s->cb || !s->started || s->changes_overflow)
        return;
    if (s->nchanges && s->changes[s->nchanges - 1].task == task &&
        strcmp(s->changes[s->nchanges - 1].connector, connector) == 0)
        return;
    char *c = NULL;
    if (s->nchanges >= MAX_CHANGES ||
        grow((void **)&s->changes, &s->cap_changes, s->nchanges, sizeof *s->changes) != 0 ||
        !(c = strdup(connector))) {
        s->changes_overflow = true; /* the listener hears "many changes" instead */
        return;
    }
    s->changes[s->nchanges].connector = c;
    s->changes[s->nchanges].task = task;
    s->nchanges++;
}

static void oom_line(const char *what)
{
    kc_log(KC_LOG_ERROR, LOGGER, "Out of memory while applying a status record (%s); it is skipped", what);
}

/* With the lock held. */
static void apply_record(kc_status_store *s, const void *key, size_t key_len, const void *value, size_t value_len)
{
    kc_status_event ev;
    kc_error err;
    kc_error_clear(&err);
    if (kc_status_record_decode(key, key_len, value, value_len, &ev, &err) != 0) {
        oom_line(err.msg);
        return;
    }
    conn_node *n = NULL;
    status_entry *e;
    switch (ev.kind) {
    case KC_STATUS_EV_IGNORED:
        break;
    case KC_STATUS_EV_CONNECTOR:
        if (!(n = node_get_or_add(s, ev.connector))) {
            oom_line("connector status");
            break;
        }
        entry_ensure(s, &n->conn);
        kc_status_value_clear(&n->conn.value);
        n->conn.value = ev.status;
        n->conn.has_value = true;
        memset(&ev.status, 0, sizeof ev.status);
        note_change(s, ev.connector, -1);
        break;
    case KC_STATUS_EV_CONNECTOR_REMOVED:
        /* remove(connector): the connector's entry and every task entry go, all "deleted" */
        if ((n = node_find(s, ev.connector))) {
            entry_clear(&n->conn);
            while (n->ntasks)
                task_remove(n, n->tasks[n->ntasks - 1].task);
            note_change(s, ev.connector, -1);
            node_gc(s, n);
        }
        break;
    case KC_STATUS_EV_TASK:
        if (!(n = node_get_or_add(s, ev.connector)) || !(e = task_get_or_add(s, n, ev.task))) {
            oom_line("task status");
            break;
        }
        if (!kc_status_task_read_replaces(e->has_value ? &e->value : NULL, &ev.status)) {
            kc_log(KC_LOG_TRACE, LOGGER, "Ignoring stale status UNASSIGNED (generation %d) of task %s-%d in favour "
                   "of RUNNING (generation %d)", (int)ev.status.generation, ev.connector, ev.task,
                   (int)e->value.generation);
            break;
        }
        kc_status_value_clear(&e->value);
        e->value = ev.status;
        e->has_value = true;
        memset(&ev.status, 0, sizeof ev.status);
        note_change(s, ev.connector, ev.task);
        break;
    case KC_STATUS_EV_TASK_REMOVED:
        if ((n = node_find(s, ev.connector)) && task_find(n, ev.task)) {
            task_remove(n, ev.task);
            note_change(s, ev.connector, ev.task);
            node_gc(s, n);
        }
        break;
    case KC_STATUS_EV_TOPIC:
        if (!(n = node_get_or_add(s, ev.connector)) || topic_put(n, ev.topic, &ev.topic_status) != 0)
            oom_line("topic status");
        break;
    case KC_STATUS_EV_TOPIC_REMOVED:
        if ((n = node_find(s, ev.connector))) {
            topic_remove(n, ev.topic);
            node_gc(s, n);
        }
        break;
    }
    kc_status_event_free(&ev);
}

static void on_record(void *opaque, const kc_kafka_log_record *r)
{
    apply_record(opaque, r->key, r->key_len, r->value, r->value_len);
}

void kc_status_store_apply_record(kc_status_store *s, const void *key, size_t key_len, const void *value,
                                  size_t value_len)
{
    pthread_mutex_lock(&s->lock);
    apply_record(s, key, key_len, value, value_len);
    pthread_mutex_unlock(&s->lock);
}

/* ---- writing ----------------------------------------------------------------------------------- */

static void write_free(pending_write *w)
{
    if (!w)
        return;
    free(w->key);
    free(w->value);
    free(w->connector);
    free(w->worker_id);
    free(w);
}

/* The write got its final answer. */
static void write_done(kc_status_store *s, pending_write *w)
{
    s->pending--;
    s->pending_bytes -= w->bytes;
    write_free(w);
}

/* Java's RetriableException family, as librdkafka reports it. kafka_log hands over the error as a
 * kc_error ("Failed to write to topic '<t>': <rd_kafka_err2str>", KC_ERR_TIMEOUT for a message
 * time-out), so the code is recognised by its text. */
static bool retriable(const kc_error *err)
{
    static const rd_kafka_resp_err_t codes[] = {
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
        RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH,
        RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH, RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_CONTROLLER, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
    };
    if (err->code == KC_ERR_TIMEOUT)
        return true;
    size_t n = strlen(err->msg);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *text = rd_kafka_err2str(codes[i]);
        size_t m = strlen(text);
        if (m && n >= m + 2 && strcmp(err->msg + n - m, text) == 0 && err->msg[n - m - 2] == ':')
            return true;
    }
    return false;
}

/* The retry conditions of KafkaStatusBackingStore.send's callback, for a status write. */
static bool still_wanted(const kc_status_store *s, const pending_write *w)
{
    const status_entry *e = entry_find(s, w->connector, w->kind == W_TASK ? w->task : -1);
    if (!e || e->id != w->entry_id) /* entry.isDeleted() */
        return false;
    if (w->generation != s->generation)
        return false;
    if (w->safe && (!kc_status_can_write_safely(e->has_value ? &e->value : NULL, w->worker_id, w->generation) ||
                    e->sequence != w->sequence))
        return false;
    return true;
}

static void on_sent(void *opaque, const kc_error *err, int32_t partition, int64_t offset)
{
    (void)partition;
    (void)offset;
    pending_write *w = opaque;
    kc_status_store *s = w->store;
    if (!err) {
        write_done(s, w);
        return;
    }
    if (s->closing || !retriable(err)) {
        kc_log(s->closing ? KC_LOG_WARN : KC_LOG_ERROR, LOGGER, "Failed to write status update (%s): %s", w->key,
               err->msg);
        write_done(s, w);
        return;
    }
    if (w->kind != W_TOPIC && !still_wanted(s, w)) {
        kc_log(KC_LOG_DEBUG, LOGGER, "Not retrying the status update %s after '%s': superseded", w->key, err->msg);
        write_done(s, w);
        return;
    }
    kc_log(KC_LOG_DEBUG, LOGGER, "Retrying the status update %s after '%s'", w->key, err->msg);
    w->next = NULL;
    if (s->retry_tail)
        s->retry_tail->next = w;
    else
        s->retry_head = w;
    s->retry_tail = w; /* sent again by the next drain_retries, at most every KC_STATUS_STORE_POLL_MS */
}

/* With the lock held: sends w (already counted as pending); on failure it is done. */
static void send_write(kc_status_store *s, pending_write *w)
{
    kc_error err;
    kc_error_clear(&err);
    if (kc_kafka_log_send_async(s->log, w->key, strlen(w->key), w->value, w->value_len, -1, on_sent, w, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update (%s): %s", w->key, err.msg);
        write_done(s, w);
    }
}

/* With the lock held: sends the writes waiting for a retry (sendRetryExecutor). */
static void drain_retries(kc_status_store *s)
{
    pending_write *list = s->retry_head;
    s->retry_head = s->retry_tail = NULL;
    while (list) {
        pending_write *w = list;
        list = w->next;
        w->next = NULL;
        if (s->closing)
            write_done(s, w);
        else
            send_write(s, w);
    }
}

static bool running(const kc_status_store *s)
{
    return s->started && !s->closing && !s->stopped;
}

/* With the lock held (released between wait slices): counts w as pending, waiting for room first,
 * and sends it; w is always taken over. */
static void submit(kc_status_store *s, pending_write *w)
{
    int64_t deadline = -1;
    while (running(s) && s->pending > 0 &&
           (s->pending >= KC_STATUS_STORE_MAX_PENDING ||
            s->pending_bytes + w->bytes > KC_STATUS_STORE_MAX_PENDING_BYTES)) {
        if (deadline < 0)
            deadline = now_ms() + KC_STATUS_STORE_MAX_BLOCK_MS;
        if (now_ms() >= deadline) {
            kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update (%s): %zu status updates (%zu bytes) are "
                   "still pending after %d ms", w->key, s->pending, s->pending_bytes, KC_STATUS_STORE_MAX_BLOCK_MS);
            write_free(w);
            return;
        }
        drain_retries(s);
        kc_error ignored;
        kc_kafka_log_flush(s->log, WAIT_SLICE_MS, &ignored);
        pthread_mutex_unlock(&s->lock);
        pthread_mutex_lock(&s->lock);
    }
    if (!running(s)) {
        kc_log(KC_LOG_WARN, LOGGER, "The status store of topic '%s' is not running; status update %s dropped",
               s->topic, w->key);
        write_free(w);
        return;
    }
    s->pending++;
    s->pending_bytes += w->bytes;
    send_write(s, w);
}

static pending_write *write_new(kc_status_store *s, write_kind kind, char *key, char *value, size_t value_len,
                                const char *connector, int task)
{
    pending_write *w = calloc(1, sizeof *w);
    if (!w || !key || !(w->connector = strdup(connector))) {
        free(w);
        free(key);
        free(value);
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update: out of memory");
        return NULL;
    }
    w->store = s;
    w->kind = kind;
    w->key = key;
    w->value = value;
    w->value_len = value_len;
    w->task = task;
    w->bytes = sizeof *w + strlen(key) + value_len + strlen(connector);
    return w;
}

static void put_status(kc_status_store *s, write_kind kind, const char *connector, int task, kc_state state,
                       const char *trace, const char *worker_id, int32_t generation, bool safe)
{
    if (!s || !connector)
        return;
    kc_error err;
    kc_error_clear(&err);
    char *value = NULL;
    size_t value_len = 0;
    if (!kc_status_is_tombstone(state) &&
        !(value = kc_status_value_encode(state, trace, worker_id, generation, &value_len, &err))) {
        if (kind == W_TASK)
            kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update of task %s-%d: %s", connector, task, err.msg);
        else
            kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update of connector %s: %s", connector, err.msg);
        return;
    }
    char *key = kind == W_TASK ? kc_status_key_task(connector, task) : kc_status_key_connector(connector);
    pending_write *w = write_new(s, kind, key, value, value_len, connector, task);
    if (!w)
        return;
    w->generation = generation;
    w->safe = safe;
    if (worker_id && !(w->worker_id = strdup(worker_id))) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update: out of memory");
        write_free(w);
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->generation = generation;
    conn_node *n = node_get_or_add(s, connector);
    status_entry *e = NULL;
    if (n && kind == W_TASK) {
        e = task_get_or_add(s, n, task);
    } else if (n) {
        entry_ensure(s, &n->conn);
        e = &n->conn;
    }
    if (!e) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update: out of memory");
        write_free(w);
    } else if (safe && !kc_status_can_write_safely(e->has_value ? &e->value : NULL, worker_id, generation)) {
        kc_log(KC_LOG_DEBUG, LOGGER, "Not writing status %s of %s (worker %s, generation %d): the status read back "
               "was written by worker %s in generation %d", kc_state_name(state), w->key, worker_id ? worker_id : "?",
               (int)generation, e->value.worker_id ? e->value.worker_id : "?", (int)e->value.generation);
        write_free(w);
    } else {
        w->sequence = ++e->sequence;
        w->entry_id = e->id;
        submit(s, w);
    }
    pthread_mutex_unlock(&s->lock);
}

void kc_status_store_put_connector(kc_status_store *s, const char *connector, kc_state state, const char *trace,
                                   const char *worker_id, int32_t generation, bool safe)
{
    put_status(s, W_CONNECTOR, connector, -1, state, trace, worker_id, generation, safe);
}

void kc_status_store_put_task(kc_status_store *s, const char *connector, int task, kc_state state,
                              const char *trace, const char *worker_id, int32_t generation, bool safe)
{
    put_status(s, W_TASK, connector, task, state, trace, worker_id, generation, safe);
}

static void put_topic(kc_status_store *s, const char *connector, const char *topic, bool tombstone, int task,
                      int64_t discover_ms)
{
    if (!s || !connector || !topic)
        return;
    kc_error err;
    kc_error_clear(&err);
    char *value = NULL;
    size_t value_len = 0;
    if (!tombstone && !(value = kc_status_topic_value_encode(topic, connector, task, discover_ms, &value_len, &err))) {
        kc_log(KC_LOG_ERROR, LOGGER, "Failed to write status update of topic %s of %s: %s", topic, connector, err.msg);
        return;
    }
    pending_write *w = write_new(s, W_TOPIC, kc_status_key_topic(topic, connector), value, value_len, connector,
                                 task);
    if (!w)
        return;
    pthread_mutex_lock(&s->lock);
    submit(s, w);
    pthread_mutex_unlock(&s->lock);
}

void kc_status_store_put_topic(kc_status_store *s, const char *connector, const char *topic, int task,
                               int64_t discover_ms)
{
    put_topic(s, connector, topic, false, task, discover_ms);
}

void kc_status_store_delete_topic(kc_status_store *s, const char *connector, const char *topic)
{
    put_topic(s, connector, topic, true, -1, 0);
}

/* With the lock held (released between slices): waits for pending to reach 0. */
static int flush_locked(kc_status_store *s, int timeout_ms, kc_error *err)
{
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        drain_retries(s);
        if (s->pending == 0)
            return 0;
        int64_t left = deadline - now_ms();
        if (left <= 0 || !s->started || s->stopped)
            return kc_error_set(err, KC_ERR_TIMEOUT, "Timed out flushing status updates to topic '%s' (%zu still "
                                "pending)", s->topic, s->pending);
        kc_error ignored;
        kc_kafka_log_flush(s->log, left < WAIT_SLICE_MS ? (int)left : WAIT_SLICE_MS, &ignored);
        pthread_mutex_unlock(&s->lock);
        pthread_mutex_lock(&s->lock);
    }
}

int kc_status_store_flush(kc_status_store *s, int timeout_ms, kc_error *err)
{
    pthread_mutex_lock(&s->lock);
    int rc = flush_locked(s, timeout_ms, err);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- reads ------------------------------------------------------------------------------------- */

static int copy_value(const status_entry *e, kc_status_value *out)
{
    memset(out, 0, sizeof *out);
    if (!e || !e->has_value)
        return 0;
    out->state = e->value.state;
    out->generation = e->value.generation;
    out->trace = dup_or_null(e->value.trace);
    out->worker_id = dup_or_null(e->value.worker_id);
    if ((e->value.trace && !out->trace) || (e->value.worker_id && !out->worker_id)) {
        kc_status_value_clear(out);
        return -1;
    }
    return 1;
}

int kc_status_store_get_connector(kc_status_store *s, const char *connector, kc_status_value *out)
{
    pthread_mutex_lock(&s->lock);
    int rc = copy_value(connector ? entry_find(s, connector, -1) : NULL, out);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int kc_status_store_get_task(kc_status_store *s, const char *connector, int task, kc_status_value *out)
{
    pthread_mutex_lock(&s->lock);
    int rc = copy_value(connector && task >= 0 ? entry_find(s, connector, task) : NULL, out);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int kc_status_store_tasks(kc_status_store *s, const char *connector, int **ids, size_t *count)
{
    *ids = NULL;
    *count = 0;
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    conn_node *n = connector ? node_find(s, connector) : NULL;
    size_t k = 0;
    for (size_t i = 0; n && i < n->ntasks; i++)
        k += n->tasks[i].e.has_value;
    if (k && !(*ids = malloc(k * sizeof **ids)))
        rc = -1;
    for (size_t i = 0; *ids && i < n->ntasks; i++)
        if (n->tasks[i].e.has_value)
            (*ids)[(*count)++] = n->tasks[i].task;
    pthread_mutex_unlock(&s->lock);
    return rc;
}

char **kc_status_store_topics(kc_status_store *s, const char *connector, size_t *count)
{
    *count = 0;
    if (!s || !connector)
        return NULL;
    pthread_mutex_lock(&s->lock);
    conn_node *n = node_find(s, connector);
    char **out = n && n->ntopics ? calloc(n->ntopics, sizeof *out) : NULL;
    size_t k = 0;
    for (; out && k < n->ntopics; k++)
        if (!(out[k] = strdup(n->topics[k].topic)))
            break;
    if (out && k < n->ntopics) {
        for (size_t i = 0; i < k; i++)
            free(out[i]);
        free(out);
        out = NULL;
        k = 0;
    }
    pthread_mutex_unlock(&s->lock);
    *count = k;
    return out;
}

/* ---- life cycle -------------------------------------------------------------------------------- */

kc_status_store *kc_status_store_new(const kc_worker_config *wc, const char *client_id_base, kc_error *err)
{
    const char *topic = wc->status_storage_topic;
    int blank = 1;
    for (const char *p = topic; p && *p; p++)
        blank &= (unsigned char)*p <= ' ';
    if (blank) {
        kc_error_set(err, KC_ERR_INVALID, "Must specify topic for connector status.");
        return NULL;
    }
    kc_status_store *s = calloc(1, sizeof *s);
    if (!s || !(s->topic = strdup(topic))) {
        free(s);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &ca);
    pthread_condattr_destroy(&ca);

    char id[512], admin_id[512];
    kc_store_client_id(wc, client_id_base, "statuses", id, sizeof id);
    kc_store_client_id(wc, client_id_base, "shared-admin", admin_id, sizeof admin_id);
    kc_props *producer = kc_store_client_props_new(wc, id, err);
    kc_props *consumer = producer ? kc_store_client_props_new(wc, id, err) : NULL;
    kc_props *admin = consumer ? kc_store_client_props_new(wc, admin_id, err) : NULL;
    kc_props *settings = admin ? kc_store_topic_settings_new(wc, "status.storage.", err) : NULL;
    int failed = !settings; /* err set by the helpers */
    if (!failed && (kc_props_set(producer, "retries", "0") || kc_props_set(producer, "enable.idempotence", "false") ||
                    (!kc_props_get(producer, "delivery.timeout.ms") &&
                     kc_props_set(producer, "delivery.timeout.ms", "120000"))))
        failed = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (!failed) {
        kc_kafka_log_topic_spec spec;
        memset(&spec, 0, sizeof spec);
        spec.partitions = wc->status_storage_partitions;
        spec.replication_factor = wc->status_storage_replication_factor;
        spec.configs = settings;
        spec.property = "status.storage.topic";
        spec.purpose = "connector and task statuses";
        kc_store_topic_spec_timeouts(wc, &spec);
        s->log = kc_kafka_log_new(s->topic, producer, consumer, admin, &spec, on_record, s, err);
        failed = !s->log;
    }
    kc_props_free(producer);
    kc_props_free(consumer);
    kc_props_free(admin);
    kc_props_free(settings);
    if (failed) {
        kc_status_store_free(s);
        return NULL;
    }
    return s;
}

void kc_status_store_set_listener(kc_status_store *s, kc_status_store_change_cb cb, void *opaque)
{
    pthread_mutex_lock(&s->lock);
    s->cb = cb;
    s->cb_opaque = opaque;
    pthread_mutex_unlock(&s->lock);
}

/* With the lock held: hands the changes noted so far to the listener, without the lock. */
static void notify(kc_status_store *s)
{
    if (!s->cb || (!s->nchanges && !s->changes_overflow))
        return;
    change *list = s->changes;
    size_t n = s->nchanges;
    bool overflow = s->changes_overflow;
    s->changes = NULL;
    s->nchanges = s->cap_changes = 0;
    s->changes_overflow = false;
    kc_status_store_change_cb cb = s->cb;
    void *opaque = s->cb_opaque;
    pthread_mutex_unlock(&s->lock);
    if (overflow)
        cb(opaque, NULL, -1);
    for (size_t i = 0; i < n; i++) {
        if (!overflow)
            cb(opaque, list[i].connector, list[i].task);
        free(list[i].connector);
    }
    free(list);
    pthread_mutex_lock(&s->lock);
}

/* The store's thread: KafkaBasedLog's work thread plus the retry executor. */
static void *run(void *arg)
{
    kc_status_store *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        drain_retries(s);
        kc_kafka_log_poll(s->log, 0);
        notify(s);
        if (s->stopping)
            break;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += (long)KC_STATUS_STORE_POLL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->wake, &s->lock, &until);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int kc_status_store_start(kc_status_store *s, int timeout_ms, kc_error *err)
{
    pthread_mutex_lock(&s->lock);
    if (s->started || s->stopped || s->stopping) {
        pthread_mutex_unlock(&s->lock);
        return kc_error_set(err, KC_ERR_INVALID, "The status store for topic '%s' was already started", s->topic);
    }
    kc_log(KC_LOG_INFO, LOGGER, "Starting KafkaStatusBackingStore with topic %s", s->topic);
    if (kc_kafka_log_start(s->log, timeout_ms, err) != 0) {
        s->stopped = true;
        pthread_mutex_unlock(&s->lock);
        return -1;
    }
    s->started = true;
    int rc = pthread_create(&s->thread, NULL, run, s); /* it waits for the lock */
    if (rc == 0) {
        s->thread_started = true;
        pthread_setname_np(s->thread, "kc-status-log");
    }
    pthread_mutex_unlock(&s->lock);
    if (rc != 0) {
        kc_status_store_stop(s);
        return kc_error_set(err, KC_ERR_INTERNAL, "Failed to start the status store's thread: %s", strerror(rc));
    }
    kc_log(KC_LOG_INFO, LOGGER, "Started KafkaStatusBackingStore with topic %s", s->topic);
    return 0;
}

void kc_status_store_stop(kc_status_store *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    if (s->stopped || s->stopping) {
        pthread_mutex_unlock(&s->lock);
        return;
    }
    s->stopping = true;
    bool join = s->thread_started;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    if (join)
        pthread_join(s->thread, NULL);
    pthread_mutex_lock(&s->lock);
    if (s->started) {
        kc_log(KC_LOG_INFO, LOGGER, "Stopping KafkaStatusBackingStore with topic %s", s->topic);
        kc_error err;
        kc_error_clear(&err);
        if (flush_locked(s, KC_STATUS_STORE_STOP_FLUSH_MS, &err) != 0)
            kc_log(KC_LOG_WARN, LOGGER, "%s", err.msg);
    }
    s->closing = true;
    kc_kafka_log_stop(s->log); /* the last answers arrive here; nothing is retried any more */
    drain_retries(s);
    s->stopped = true;
    s->thread_started = false;
    bool was_started = s->started;
    pthread_mutex_unlock(&s->lock);
    if (was_started)
        kc_log(KC_LOG_INFO, LOGGER, "Stopped KafkaStatusBackingStore with topic %s", s->topic);
}

void kc_status_store_free(kc_status_store *s)
{
    if (!s)
        return;
    kc_status_store_stop(s);
    kc_kafka_log_free(s->log);
    for (size_t i = 0; i < s->nnodes; i++)
        node_free(s->nodes[i]);
    free(s->nodes);
    for (size_t i = 0; i < s->nchanges; i++)
        free(s->changes[i].connector);
    free(s->changes);
    while (s->retry_head) { /* only when stop could not drain them */
        pending_write *w = s->retry_head;
        s->retry_head = w->next;
        write_free(w);
    }
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s->topic);
    free(s);
}
