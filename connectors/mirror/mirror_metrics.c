/*
 * The mirror metrics registries and their arithmetic (mirror_metrics.h).
 * Threads: see the header; every registry access holds that registry's mutex, the arithmetic
 * functions touch only their arguments.
 */
#include "connectors/mirror/mirror_metrics.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- arithmetic ------------------------------------------------------------------------------ */

int64_t kc_mirror_metrics_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kc_mirror_rate_sample(kc_mirror_rate *r, int64_t now_ms, uint64_t total)
{
    if (r->n > 0) {
        if (now_ms < r->ms[r->head] || total < r->total[r->head]) {
            r->n = 0; /* clock or count went back: start over */
        } else if (now_ms - r->ms[r->head] < 1000) {
            return;
        }
    }
    r->head = r->n > 0 ? (r->head + 1) % KC_MIRROR_RATE_SLOTS : 0;
    r->ms[r->head] = now_ms;
    r->total[r->head] = total;
    if (r->n < KC_MIRROR_RATE_SLOTS)
        r->n++;
}

double kc_mirror_rate_per_second(const kc_mirror_rate *r, int64_t now_ms, uint64_t total)
{
    if (r->n == 0)
        return 0;
    int pick = r->head; /* the newest, unless an older one is still inside the window */
    for (int k = 0; k < r->n; k++) {
        int i = (r->head - k + KC_MIRROR_RATE_SLOTS) % KC_MIRROR_RATE_SLOTS;
        if (now_ms - r->ms[i] > KC_MIRROR_RATE_WINDOW_MS)
            break;
        pick = i;
    }
    int64_t dt = now_ms - r->ms[pick];
    if (dt <= 0 || total <= r->total[pick])
        return 0;
    return (double)(total - r->total[pick]) * 1000.0 / (double)dt;
}

int64_t kc_mirror_partition_lag(int64_t high_watermark, int64_t last_acked, int64_t position)
{
    if (high_watermark < 0)
        return 0;
    int64_t next = last_acked >= 0 ? last_acked + 1 : position;
    if (next < 0)
        return 0;
    return high_watermark > next ? high_watermark - next : 0;
}

/* ---- source task registry -------------------------------------------------------------------- */

typedef struct part_entry {
    char *topic, *target_topic;
    int32_t partition;
    uint64_t records;
    int64_t last_acked, position, high_watermark;
} part_entry;

typedef struct task_entry {
    struct task_entry *next;
    char *connector;
    int task;
    part_entry *parts;
    size_t nparts;
    uint64_t total;
    kc_mirror_rate rate;
} task_entry;

static pthread_mutex_t tasks_lock = PTHREAD_MUTEX_INITIALIZER;
static task_entry *tasks;

static void parts_free(part_entry *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].topic);
        free(p[i].target_topic);
    }
    free(p);
}

static void task_entry_free(task_entry *e)
{
    if (!e)
        return;
    free(e->connector);
    parts_free(e->parts, e->nparts);
    free(e);
}

static bool same_partitions(const task_entry *e, const kc_mirror_partition_metrics *parts, size_t n)
{
    if (e->nparts != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (e->parts[i].partition != parts[i].partition || strcmp(e->parts[i].topic, parts[i].topic) != 0)
            return false;
    return true;
}

/* A new copy of the names of parts (numbers zero), or NULL. */
static part_entry *parts_copy(const kc_mirror_partition_metrics *parts, size_t n)
{
    part_entry *p = calloc(n ? n : 1, sizeof *p);
    for (size_t i = 0; p && i < n; i++) {
        p[i].partition = parts[i].partition;
        p[i].topic = strdup(parts[i].topic ? parts[i].topic : "");
        p[i].target_topic = parts[i].target_topic ? strdup(parts[i].target_topic) : NULL;
        if (!p[i].topic || (parts[i].target_topic && !p[i].target_topic)) {
            parts_free(p, i + 1);
            return NULL;
        }
    }
    return p;
}

void kc_mirror_metrics_publish(const char *connector, int task, const kc_mirror_partition_metrics *parts, size_t n,
                               int64_t now_ms)
{
    pthread_mutex_lock(&tasks_lock);
    task_entry *e = tasks;
    while (e && (e->task != task || strcmp(e->connector, connector) != 0))
        e = e->next;
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e || !(e->connector = strdup(connector))) {
            free(e);
            goto out;
        }
        e->task = task;
        e->next = tasks;
        tasks = e;
    }
    if (!e->parts || !same_partitions(e, parts, n)) {
        part_entry *p = parts_copy(parts, n);
        if (!p)
            goto out;
        parts_free(e->parts, e->nparts);
        e->parts = p;
        e->nparts = n;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        e->parts[i].records = parts[i].records;
        e->parts[i].last_acked = parts[i].last_acked;
        e->parts[i].position = parts[i].position;
        e->parts[i].high_watermark = parts[i].high_watermark;
        total += parts[i].records;
    }
    e->total = total;
    kc_mirror_rate_sample(&e->rate, now_ms, total);
out:
    pthread_mutex_unlock(&tasks_lock);
}

void kc_mirror_metrics_remove(const char *connector, int task)
{
    pthread_mutex_lock(&tasks_lock);
    task_entry **pp = &tasks;
    while (*pp) {
        task_entry *e = *pp;
        if (strcmp(e->connector, connector) == 0 && (task < 0 || e->task == task)) {
            *pp = e->next;
            task_entry_free(e);
        } else {
            pp = &e->next;
        }
    }
    pthread_mutex_unlock(&tasks_lock);
}

int kc_mirror_metrics_has_task(const char *connector, int task)
{
    pthread_mutex_lock(&tasks_lock);
    int found = 0;
    for (task_entry *e = tasks; e && !found; e = e->next)
        found = e->task == task && strcmp(e->connector, connector) == 0;
    pthread_mutex_unlock(&tasks_lock);
    return found;
}

void kc_mirror_topic_metrics_free(kc_mirror_topic_metrics *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++) {
        free(t[i].topic);
        free(t[i].target_topic);
    }
    free(t);
}

static int topic_cmp(const void *a, const void *b)
{
    const kc_mirror_topic_metrics *x = a, *y = b;
    return strcmp(x->topic, y->topic);
}

int kc_mirror_metrics_topics(const char *connector, int64_t now_ms, kc_mirror_topic_metrics **out, size_t *n,
                             double *rate, int *ntasks)
{
    *out = NULL;
    *n = 0;
    *rate = 0;
    *ntasks = 0;
    pthread_mutex_lock(&tasks_lock);
    size_t cap = 0;
    for (task_entry *e = tasks; e; e = e->next)
        if (strcmp(e->connector, connector) == 0)
            cap += e->nparts;
    kc_mirror_topic_metrics *v = calloc(cap ? cap : 1, sizeof *v);
    size_t k = 0;
    int rc = v ? 0 : -1;
    for (task_entry *e = tasks; e && rc == 0; e = e->next) {
        if (strcmp(e->connector, connector) != 0)
            continue;
        (*ntasks)++;
        *rate += kc_mirror_rate_per_second(&e->rate, now_ms, e->total);
        for (size_t i = 0; i < e->nparts && rc == 0; i++) {
            const part_entry *p = &e->parts[i];
            kc_mirror_topic_metrics *t = NULL;
            for (size_t j = 0; j < k && !t; j++)
                if (strcmp(v[j].topic, p->topic) == 0)
                    t = &v[j];
            if (!t) {
                t = &v[k];
                if (!(t->topic = strdup(p->topic)) || (p->target_topic && !(t->target_topic = strdup(p->target_topic)))) {
                    free(t->topic);
                    t->topic = NULL;
                    rc = -1;
                    break;
                }
                k++;
            }
            t->records += p->records;
            t->lag += kc_mirror_partition_lag(p->high_watermark, p->last_acked, p->position);
            t->partitions++;
        }
    }
    pthread_mutex_unlock(&tasks_lock);
    if (rc != 0) {
        kc_mirror_topic_metrics_free(v, k);
        return -1;
    }
    qsort(v, k, sizeof *v, topic_cmp);
    *out = v;
    *n = k;
    return 0;
}

/* ---- group offset sync registry -------------------------------------------------------------- */

static pthread_mutex_t syncs_lock = PTHREAD_MUTEX_INITIALIZER;
static kc_mirror_group_sync *syncs;
static size_t syncs_n, syncs_cap;

const char *kc_mirror_group_sync_state_text(kc_mirror_group_sync_state state)
{
    switch (state) {
    case KC_MIRROR_GROUP_SYNCED: return "synced";
    case KC_MIRROR_GROUP_SKIPPED_ACTIVE: return "skipped: group is active on the target";
    case KC_MIRROR_GROUP_SYNC_FAILED: return "failed";
    }
    return "unknown";
}

void kc_mirror_group_sync_put(const char *connector, const char *group, kc_mirror_group_sync_state state,
                              const char *reason, int64_t now_ms)
{
    char *r = reason ? strdup(reason) : NULL;
    if (reason && !r)
        return;
    pthread_mutex_lock(&syncs_lock);
    kc_mirror_group_sync *e = NULL;
    for (size_t i = 0; i < syncs_n && !e; i++)
        if (strcmp(syncs[i].connector, connector) == 0 && strcmp(syncs[i].group, group) == 0)
            e = &syncs[i];
    if (!e) {
        if (syncs_n == syncs_cap) {
            size_t cap = syncs_cap ? syncs_cap * 2 : 16;
            kc_mirror_group_sync *grown = realloc(syncs, cap * sizeof *grown);
            if (!grown)
                goto fail;
            syncs = grown;
            syncs_cap = cap;
        }
        char *c = strdup(connector), *g = strdup(group);
        if (!c || !g) {
            free(c);
            free(g);
            goto fail;
        }
        e = &syncs[syncs_n++];
        memset(e, 0, sizeof *e);
        e->connector = c;
        e->group = g;
        e->skipped_ms = -1;
        e->synced_ms = -1;
    }
    free(e->reason);
    e->reason = r;
    e->state = state;
    e->updated_ms = now_ms;
    if (state == KC_MIRROR_GROUP_SYNCED) {
        e->skipped_ms = -1;
        e->synced_ms = now_ms;
    } else if (state == KC_MIRROR_GROUP_SKIPPED_ACTIVE) {
        e->skipped_ms = now_ms;
    }
    pthread_mutex_unlock(&syncs_lock);
    return;
fail:
    pthread_mutex_unlock(&syncs_lock);
    free(r);
}

void kc_mirror_group_syncs_free(kc_mirror_group_sync *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].connector);
        free(s[i].group);
        free(s[i].reason);
    }
    free(s);
}

static int sync_cmp(const void *a, const void *b)
{
    const kc_mirror_group_sync *x = a, *y = b;
    int c = strcmp(x->connector, y->connector);
    return c ? c : strcmp(x->group, y->group);
}

int kc_mirror_group_syncs(const char *connector, kc_mirror_group_sync **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&syncs_lock);
    kc_mirror_group_sync *copy = calloc(syncs_n ? syncs_n : 1, sizeof *copy);
    size_t k = 0;
    int rc = copy ? 0 : -1;
    for (size_t i = 0; copy && i < syncs_n; i++) {
        if (connector && strcmp(syncs[i].connector, connector) != 0)
            continue;
        copy[k] = syncs[i];
        copy[k].connector = strdup(syncs[i].connector);
        copy[k].group = strdup(syncs[i].group);
        copy[k].reason = syncs[i].reason ? strdup(syncs[i].reason) : NULL;
        k++;
        if (!copy[k - 1].connector || !copy[k - 1].group || (syncs[i].reason && !copy[k - 1].reason)) {
            rc = -1;
            break;
        }
    }
    pthread_mutex_unlock(&syncs_lock);
    if (rc != 0) {
        kc_mirror_group_syncs_free(copy, k);
        return -1;
    }
    qsort(copy, k, sizeof *copy, sync_cmp);
    *out = copy;
    *n = k;
    return 0;
}

void kc_mirror_group_syncs_clear(const char *connector)
{
    pthread_mutex_lock(&syncs_lock);
    size_t k = 0;
    for (size_t i = 0; i < syncs_n; i++) {
        if (!connector || strcmp(syncs[i].connector, connector) == 0) {
            free(syncs[i].connector);
            free(syncs[i].group);
            free(syncs[i].reason);
        } else {
            syncs[k++] = syncs[i];
        }
    }
    syncs_n = k;
    if (!syncs_n) {
        free(syncs);
        syncs = NULL;
        syncs_cap = 0;
    }
    pthread_mutex_unlock(&syncs_lock);
}
