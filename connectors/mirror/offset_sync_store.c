/*
 * OffsetSyncStore (see offset_sync_store.h): the per-partition sparse sync array, its update rule
 * and the translation, following Java's OffsetSyncStore.updateSyncArray / translateDownstream of
 * apache/kafka (connect/mirror), written anew in C.
 *
 * The array of a partition, slots 0..63, newest first. Java keeps four invariants, for slots i < j
 * holding different syncs (in practice: different upstream offsets):
 *   A  slot 0 is the latest sync received;
 *   B  u[i] <= u[j] + 2^j - 2^i            (a slot is not older than its position allows);
 *   C  u[i] >= u[j] + 2^max(i-2, 0)         (neighbours are spread apart);
 *   D  slot 63 is the earliest sync still usable.
 * A new sync goes to slot 0; then, walking up the slots, each slot whose old content violates B
 * against its new predecessor is refilled with the best candidate: the oldest value of the old
 * array that satisfies B and C against the predecessor and C against the successor, or the new
 * sync. The walk stops at the first slot that still satisfies B (all later ones do too).
 * Arithmetic is Java long arithmetic: bounds are computed modulo 2^64 and a bound that wraps
 * negative disables the check, exactly as in Java.
 *
 * Owns: a chained hash table of partition entries; each entry holds its 64 slots by value.
 * Threads: all entry points take store->mu.
 */
#include "offset_sync_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct sync_slot {
    int64_t up;
    int64_t down;
    uint64_t id; /* identity of the received record */
} sync_slot;

typedef struct tp_entry {
    struct tp_entry *next;
    uint32_t hash;
    int32_t partition;
    sync_slot slots[KC_OFFSET_SYNC_SLOTS];
    char topic[]; /* NUL-terminated copy */
} tp_entry;

struct kc_offset_sync_store {
    pthread_mutex_t mu;
    bool read_to_end;
    bool must_read_to_end;
    uint64_t next_id;
    tp_entry **buckets;
    size_t nbuckets; /* power of two */
    size_t count;
};

/* ---- topic-partition table ------------------------------------------------------------------- */

static uint32_t tp_hash(const char *topic, int32_t partition)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)topic; *p; p++)
        h = (h ^ *p) * 16777619u;
    return (h ^ (uint32_t)partition) * 16777619u;
}

static tp_entry *tp_find(const kc_offset_sync_store_t *s, const char *topic, int32_t partition, uint32_t h)
{
    for (tp_entry *e = s->buckets[h & (s->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && e->partition == partition && strcmp(e->topic, topic) == 0)
            return e;
    return NULL;
}

static int tp_grow(kc_offset_sync_store_t *s)
{
    size_t n = s->nbuckets * 2;
    tp_entry **b = calloc(n, sizeof *b);
    if (!b)
        return -1;
    for (size_t i = 0; i < s->nbuckets; i++) {
        tp_entry *e = s->buckets[i];
        while (e) {
            tp_entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(s->buckets);
    s->buckets = b;
    s->nbuckets = n;
    return 0;
}

/* ---- the sparse array ------------------------------------------------------------------------ */

static bool same_sync(const sync_slot *a, const sync_slot *b) { return a->id == b->id; }

/* y->up + delta in Java long arithmetic (wraps modulo 2^64). */
static int64_t up_plus(const sync_slot *y, uint64_t delta) { return (int64_t)((uint64_t)y->up + delta); }

/* Invariant B for x at slot i before y at slot j (i < j): x is recent enough. */
static bool inv_b(const sync_slot *x, const sync_slot *y, int i, int j)
{
    if (same_sync(x, y))
        return true;
    int64_t bound = up_plus(y, (UINT64_C(1) << j) - (UINT64_C(1) << i));
    return bound < 0 || x->up <= bound;
}

/* Invariant C for x at slot i before y: far enough apart. */
static bool inv_c(const sync_slot *x, const sync_slot *y, int i)
{
    if (same_sync(x, y))
        return true;
    int64_t bound = up_plus(y, UINT64_C(1) << (i > 2 ? i - 2 : 0));
    return bound >= 0 && x->up >= bound;
}

static void fill_all(sync_slot *slots, const sync_slot *s)
{
    for (int i = 0; i < KC_OFFSET_SYNC_SLOTS; i++)
        slots[i] = *s;
}

static void apply_sync(const kc_offset_sync_store_t *s, sync_slot *slots, const sync_slot *sync)
{
    /* During a load that must read to end, only the last sync may survive (the earliest usable
     * sync must be later than any sync an earlier generation could have used); an upstream
     * rewind invalidates every older sync. */
    if ((!s->read_to_end && s->must_read_to_end) || sync->up < slots[0].up) {
        fill_all(slots, sync);
        return;
    }
    sync_slot old[KC_OFFSET_SYNC_SLOTS];
    memcpy(old, slots, sizeof old);
    sync_slot candidate = *sync;
    int from = 0; /* next slot of the old array that may still be promoted */
    slots[0] = *sync;
    for (int cur = 1; cur < KC_OFFSET_SYNC_SLOTS; cur++) {
        const sync_slot *prev = &slots[cur - 1];
        bool skip;
        do {
            const sync_slot *o = &old[from];
            bool recent = inv_b(prev, o, cur - 1, cur);
            bool apart_prev = inv_c(prev, o, cur - 1);
            /* slots[cur + 1] is still the old value here: the walk has not reached it */
            bool apart_next = cur + 1 >= KC_OFFSET_SYNC_SLOTS || inv_c(o, &slots[cur + 1], cur);
            bool repeated = from + 1 < KC_OFFSET_SYNC_SLOTS && same_sync(&old[from + 1], o);
            bool promote = recent && apart_prev && apart_next;
            if (promote)
                candidate = *o;
            /* an old value too close to the predecessor can never be used at a later slot */
            skip = repeated || !apart_prev;
            if (promote || skip)
                from++;
        } while (from < cur && skip);
        if (inv_b(prev, &slots[cur], cur - 1, cur))
            break; /* this slot and, by construction, all later ones are still valid */
        slots[cur] = candidate;
    }
}

/* ---- API -------------------------------------------------------------------------------------- */

kc_offset_sync_store_t *kc_offset_sync_store_new(kc_error *err)
{
    kc_offset_sync_store_t *s = calloc(1, sizeof *s);
    if (s) {
        s->nbuckets = 64;
        s->buckets = calloc(s->nbuckets, sizeof *s->buckets);
    }
    if (!s || !s->buckets) {
        free(s);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating the offset sync store");
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    s->must_read_to_end = true;
    s->next_id = 1;
    return s;
}

void kc_offset_sync_store_free(kc_offset_sync_store_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nbuckets; i++) {
        tp_entry *e = s->buckets[i];
        while (e) {
            tp_entry *next = e->next;
            free(e);
            e = next;
        }
    }
    free(s->buckets);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void kc_offset_sync_store_start_load(kc_offset_sync_store_t *s, bool initialization_must_read_to_end)
{
    pthread_mutex_lock(&s->mu);
    s->must_read_to_end = initialization_must_read_to_end;
    pthread_mutex_unlock(&s->mu);
}

void kc_offset_sync_store_mark_read_to_end(kc_offset_sync_store_t *s)
{
    pthread_mutex_lock(&s->mu);
    s->read_to_end = true;
    pthread_mutex_unlock(&s->mu);
}

int kc_offset_sync_store_handle(kc_offset_sync_store_t *s, const char *topic, int32_t partition,
                                int64_t upstream_offset, int64_t downstream_offset, kc_error *err)
{
    uint32_t h = tp_hash(topic, partition);
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    sync_slot sync = {.up = upstream_offset, .down = downstream_offset, .id = s->next_id++};
    tp_entry *e = tp_find(s, topic, partition, h);
    if (e) {
        apply_sync(s, e->slots, &sync);
    } else if (s->count >= KC_OFFSET_SYNC_MAX_PARTITIONS) {
        rc = kc_error_set(err, KC_ERR_INVALID,
                          "offset sync for %s-%d dropped: the store already holds %u topic-partitions",
                          topic, (int)partition, KC_OFFSET_SYNC_MAX_PARTITIONS);
    } else if ((s->count + 1) * 4 > s->nbuckets * 3 && tp_grow(s) != 0) {
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory storing an offset sync for %s-%d", topic,
                          (int)partition);
    } else {
        size_t len = strlen(topic);
        e = malloc(sizeof *e + len + 1);
        if (!e) {
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory storing an offset sync for %s-%d", topic,
                              (int)partition);
        } else {
            memcpy(e->topic, topic, len + 1);
            e->hash = h;
            e->partition = partition;
            fill_all(e->slots, &sync); /* one sync everywhere satisfies B and C trivially */
            e->next = s->buckets[h & (s->nbuckets - 1)];
            s->buckets[h & (s->nbuckets - 1)] = e;
            s->count++;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static void replay_bound(const tp_entry *e, int found, int64_t downstream_end, kc_offset_translation *out)
{
    if (out->status == KC_TRANSLATE_EXACT) {
        out->replay_kind = KC_REPLAY_EXACT;
        out->replay_bound = 0;
        return;
    }
    int64_t t = out->downstream;
    int64_t limit = -1;
    /* found > 0: the slot before holds the oldest stored sync with an upstream offset past the
     * group (the array never increases with the slot index between rewinds) */
    if (found > 0 && e->slots[found - 1].down >= t)
        limit = e->slots[found - 1].down;
    if (downstream_end >= 0) {
        if (downstream_end < t)
            limit = -1; /* the target partition ends below the translation: no statement */
        else if (limit < 0 || downstream_end < limit)
            limit = downstream_end;
    }
    out->replay_kind = limit >= 0 ? KC_REPLAY_BOUNDED : KC_REPLAY_UNKNOWN;
    out->replay_bound = limit >= 0 ? limit - t : -1;
}

bool kc_offset_sync_store_translate(kc_offset_sync_store_t *s, const char *topic, int32_t partition,
                                    int64_t upstream_offset, int64_t downstream_end, kc_offset_translation *out)
{
    *out = (kc_offset_translation){.status = KC_TRANSLATE_NOT_READY, .downstream = -1, .sync_upstream = -1,
                                   .sync_downstream = -1, .replay_kind = KC_REPLAY_NONE, .replay_bound = -1};
    uint32_t h = tp_hash(topic, partition);
    pthread_mutex_lock(&s->mu);
    tp_entry *e = s->read_to_end ? tp_find(s, topic, partition, h) : NULL;
    if (!s->read_to_end) {
        out->status = KC_TRANSLATE_NOT_READY;
    } else if (!e) {
        out->status = KC_TRANSLATE_NO_SYNCS;
    } else {
        /* newest first: the first slot at or before the group gives the best precision */
        int found = KC_OFFSET_SYNC_SLOTS - 1;
        for (int i = 0; i < KC_OFFSET_SYNC_SLOTS; i++) {
            if (e->slots[i].up <= upstream_offset) {
                found = i;
                break;
            }
        }
        const sync_slot *sync = &e->slots[found];
        out->sync_upstream = sync->up;
        out->sync_downstream = sync->down;
        if (sync->up > upstream_offset) {
            out->status = KC_TRANSLATE_BEFORE_SYNCS;
            out->downstream = -1;
        } else {
            /* past the sync only sync + 1 is safe: how many of the upstream records between the
             * sync and the group were written downstream (filtered, compacted, aborted) is unknown */
            out->status = sync->up == upstream_offset ? KC_TRANSLATE_EXACT : KC_TRANSLATE_AFTER_SYNC;
            out->downstream = out->status == KC_TRANSLATE_EXACT ? sync->down : (int64_t)((uint64_t)sync->down + 1);
            replay_bound(e, found, downstream_end, out);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return out->status >= KC_TRANSLATE_BEFORE_SYNCS;
}

int kc_offset_sync_store_sync_at(kc_offset_sync_store_t *s, const char *topic, int32_t partition, int index,
                                 int64_t *upstream, int64_t *downstream, uint64_t *id)
{
    if (index < 0 || index >= KC_OFFSET_SYNC_SLOTS)
        return -1;
    pthread_mutex_lock(&s->mu);
    tp_entry *e = tp_find(s, topic, partition, tp_hash(topic, partition));
    if (e) {
        if (upstream)
            *upstream = e->slots[index].up;
        if (downstream)
            *downstream = e->slots[index].down;
        if (id)
            *id = e->slots[index].id;
    }
    pthread_mutex_unlock(&s->mu);
    return e ? 0 : -1;
}

int kc_offset_sync_store_distinct(kc_offset_sync_store_t *s, const char *topic, int32_t partition)
{
    int n = 0;
    pthread_mutex_lock(&s->mu);
    tp_entry *e = tp_find(s, topic, partition, tp_hash(topic, partition));
    for (int i = 0; e && i < KC_OFFSET_SYNC_SLOTS; i++)
        if (i == 0 || !same_sync(&e->slots[i], &e->slots[i - 1]))
            n++;
    pthread_mutex_unlock(&s->mu);
    return n;
}

size_t kc_offset_sync_store_partitions(kc_offset_sync_store_t *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->count;
    pthread_mutex_unlock(&s->mu);
    return n;
}
