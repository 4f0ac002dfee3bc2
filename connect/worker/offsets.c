/* Source offsets: bytes, format rules and the per-task writer; see offsets.h (the backing store is in
 * offset_store.c). */
#include "offsets.h"

#include <stdlib.h>
#include <string.h>

#include "connect/worker/json_writer.h"

/* ---- format ---------------------------------------------------------------------------------- */

int kc_offsets_validate_format(const kc_value *map, kc_error *err)
{
    if (!map || kc_value_is_null(map))
        return 0;
    if (kc_value_get_type(map) != KC_VALUE_MAP)
        return kc_error_set(err, KC_ERR_INVALID, "Offsets must be specified as a Map");
    for (size_t i = 0; i < kc_value_map_size(map); i++) {
        const kc_value *k = kc_value_map_key_at(map, i), *v = kc_value_map_value_at(map, i);
        if (kc_value_get_type(k) != KC_VALUE_STRING)
            return kc_error_set(err, KC_ERR_INVALID, "Offsets may only use String keys");
        switch (kc_value_get_type(v)) {
        case KC_VALUE_NULL: case KC_VALUE_INT8: case KC_VALUE_INT16: case KC_VALUE_INT32: case KC_VALUE_INT64:
        case KC_VALUE_FLOAT32: case KC_VALUE_FLOAT64: case KC_VALUE_BOOLEAN: case KC_VALUE_STRING:
        case KC_VALUE_BYTES:
            break;
        case KC_VALUE_ARRAY: case KC_VALUE_MAP: case KC_VALUE_STRUCT: {
            static const char *const names[] = {[KC_VALUE_ARRAY] = "ARRAY", [KC_VALUE_MAP] = "MAP",
                                                [KC_VALUE_STRUCT] = "STRUCT"};
            return kc_error_set(err, KC_ERR_INVALID,
                                "Offsets may only contain primitive types as values, but field %s contains %s",
                                kc_value_get_string(k, NULL), names[kc_value_get_type(v)]);
        }
        default:
            return kc_error_set(err, KC_ERR_INVALID,
                                "Offsets may only contain primitive types as values, but field %s contains %s",
                                kc_value_get_string(k, NULL), kc_value_type_java_class(kc_value_get_type(v)));
        }
    }
    return 0;
}

/* Writes a schemaless value as JsonConverter does (maps in HashMap order). */
static int write_value(kc_json_writer *w, const kc_value *v)
{
    size_t len;
    switch (kc_value_get_type(v)) {
    case KC_VALUE_NULL: return kc_json_write_null(w);
    case KC_VALUE_INT8: return kc_json_write_int64(w, kc_value_get_int8(v));
    case KC_VALUE_INT16: return kc_json_write_int64(w, kc_value_get_int16(v));
    case KC_VALUE_INT32: return kc_json_write_int64(w, kc_value_get_int32(v));
    case KC_VALUE_INT64: return kc_json_write_int64(w, kc_value_get_int64(v));
    case KC_VALUE_FLOAT32: return kc_json_write_float(w, kc_value_get_float32(v));
    case KC_VALUE_FLOAT64: return kc_json_write_double(w, kc_value_get_float64(v));
    case KC_VALUE_BOOLEAN: return kc_json_write_bool(w, kc_value_get_boolean(v));
    case KC_VALUE_STRING: {
        const char *s = kc_value_get_string(v, &len);
        return kc_json_write_string(w, s, len);
    }
    case KC_VALUE_BYTES: {
        const uint8_t *b = kc_value_get_bytes(v, &len);
        return kc_json_write_base64(w, b, len);
    }
    case KC_VALUE_ARRAY:
        kc_json_begin_array(w);
        for (size_t i = 0; i < kc_value_array_size(v); i++)
            write_value(w, kc_value_array_get(v, i));
        return kc_json_end_array(w);
    case KC_VALUE_MAP: {
        /* a map of one entry is in every order: no copy (the offset maps of most connectors) */
        kc_value *ordered = kc_value_map_size(v) > 1 ? kc_value_copy(v) : (kc_value *)v;
        if (!ordered)
            return kc_json_writer_fail(w, KC_ERR_INTERNAL, "out of memory");
        if (ordered != v)
            kc_value_map_to_java_hashmap_order(ordered);
        kc_json_begin_object(w);
        for (size_t i = 0; i < kc_value_map_size(ordered); i++) {
            const kc_value *k = kc_value_map_key_at(ordered, i);
            const char *ks = kc_value_get_string(k, &len);
            if (!ks) {
                if (ordered != v)
                    kc_value_free(ordered);
                return kc_json_writer_fail(w, KC_ERR_INVALID, "Offsets may only use String keys");
            }
            kc_json_write_key(w, ks, len);
            write_value(w, kc_value_map_value_at(ordered, i));
        }
        if (ordered != v)
            kc_value_free(ordered);
        return kc_json_end_object(w);
    }
    default:
        return kc_json_writer_fail(w, KC_ERR_INVALID, "cannot write a %s in an offset",
                                   kc_value_type_java_class(kc_value_get_type(v)));
    }
}

int kc_offsets_key_bytes(const char *connector, const kc_value *partition, char **out, size_t *len, kc_error *err)
{
    if (kc_offsets_validate_format(partition, err))
        return -1;
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_array(&w);
    kc_json_write_string(&w, connector, strlen(connector));
    write_value(&w, partition);
    kc_json_end_array(&w);
    *out = kc_json_writer_take(&w, len, err);
    kc_json_writer_free(&w);
    return *out ? 0 : -1;
}

int kc_offsets_value_bytes(const kc_value *offset, char **out, size_t *len, kc_error *err)
{
    *out = NULL;
    *len = 0;
    if (kc_offsets_validate_format(offset, err))
        return -1;
    if (!offset || kc_value_is_null(offset))
        return 0;
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    write_value(&w, offset);
    *out = kc_json_writer_take(&w, len, err);
    kc_json_writer_free(&w);
    return *out ? 0 : -1;
}

/* ---- per-task writer -------------------------------------------------------------------------- */

struct kc_submitted {
    struct kc_submitted *next;
    struct source_partition *owner;
    char *value;                 /* offset bytes; NULL = tombstone / no offset */
    size_t value_len;
    int acked;
};

typedef struct source_partition {
    kc_value *identity;          /* the partition map these key bytes were written from (a copy) */
    char *key;
    size_t key_len;
    kc_submitted *head, *tail;   /* in submission order */
    int has_committable;
    char *committable;           /* the value to commit next */
    size_t committable_len;
} source_partition;

struct kc_offset_writer {
    char *connector;
    source_partition *parts;
    size_t count, cap;
    size_t last;                 /* the partition found last (a hint) */
    size_t pending;
};

kc_offset_writer *kc_offset_writer_new(const char *connector)
{
    kc_offset_writer *w = calloc(1, sizeof *w);
    if (w && !(w->connector = strdup(connector))) {
        free(w);
        return NULL;
    }
    return w;
}

void kc_offset_writer_free(kc_offset_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++) {
        for (kc_submitted *s = w->parts[i].head, *n; s; s = n) {
            n = s->next;
            free(s->value);
            free(s);
        }
        kc_value_free(w->parts[i].identity);
        free(w->parts[i].key);
        free(w->parts[i].committable);
    }
    free(w->parts);
    free(w->connector);
    free(w);
}

static source_partition *find_partition(kc_offset_writer *w, const char *key, size_t len)
{
    for (size_t i = w->count; i > 0; i--) /* the most recent partitions are the likely ones */
        if (w->parts[i - 1].key_len == len && memcmp(w->parts[i - 1].key, key, len) == 0)
            return &w->parts[i - 1];
    return NULL;
}

/* The partition whose key bytes were written from a map equal to partition (a source task usually
 * has few partitions and polls them in runs: the last one found is tried first). */
static source_partition *find_identity(kc_offset_writer *w, const kc_value *partition)
{
    if (w->last < w->count && kc_value_equals(w->parts[w->last].identity, partition))
        return &w->parts[w->last];
    for (size_t i = w->count; i > 0; i--)
        if (kc_value_equals(w->parts[i - 1].identity, partition)) {
            w->last = i - 1;
            return &w->parts[i - 1];
        }
    return NULL;
}

kc_submitted *kc_offset_writer_submit(kc_offset_writer *w, const kc_value *partition, const kc_value *offset,
                                      kc_error *err)
{
    char *key = NULL, *value;
    size_t klen, vlen;
    /* the key bytes are written once per partition; an equal map finds them again */
    source_partition *p = find_identity(w, partition);
    if (!p && kc_offsets_key_bytes(w->connector, partition, &key, &klen, err) != 0)
        return NULL;
    if (kc_offsets_value_bytes(offset, &value, &vlen, err) != 0) {
        free(key);
        return NULL;
    }
    if (!p)
        p = find_partition(w, key, klen);
    if (!p) {
        if (w->count == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 8;
            source_partition *grown = realloc(w->parts, cap * sizeof *grown);
            if (!grown)
                goto oom;
            /* fix the owner pointers of queued records after the move */
            for (size_t i = 0; i < w->count; i++)
                for (kc_submitted *s = grown[i].head; s; s = s->next)
                    s->owner = &grown[i];
            w->parts = grown;
            w->cap = cap;
        }
        p = &w->parts[w->count];
        memset(p, 0, sizeof *p);
        if (partition && !(p->identity = kc_value_copy(partition)))
            goto oom;
        w->count++;
        p->key = key;
        p->key_len = klen;
        key = NULL;
    }
    free(key);
    kc_submitted *s = calloc(1, sizeof *s);
    if (!s) {
        free(value);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    s->owner = p;
    s->value = value;
    s->value_len = vlen;
    if (p->tail)
        p->tail->next = s;
    else
        p->head = s;
    p->tail = s;
    w->pending++;
    return s;
oom:
    free(key);
    free(value);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return NULL;
}

void kc_offset_writer_ack(kc_offset_writer *w, kc_submitted *h)
{
    if (!h || h->acked)
        return;
    h->acked = 1;
    w->pending--;
    source_partition *p = h->owner;
    /* move the acknowledged prefix of the queue into the committable offset */
    while (p->head && p->head->acked) {
        kc_submitted *s = p->head;
        p->head = s->next;
        if (!p->head)
            p->tail = NULL;
        free(p->committable);
        p->committable = s->value;
        p->committable_len = s->value_len;
        p->has_committable = 1;
        free(s);
    }
}

size_t kc_offset_writer_pending(const kc_offset_writer *w) { return w->pending; }

int kc_offset_writer_commit(kc_offset_writer *w, kc_offset_store *store, kc_error *err)
{
    kc_offset_map *batch = kc_offset_map_new();
    const char **removed = calloc(w->count + 1, sizeof *removed);
    size_t *removed_len = calloc(w->count + 1, sizeof *removed_len);
    size_t nremoved = 0, changes = 0;
    int rc = -1;
    if (!batch || !removed || !removed_len) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < w->count; i++) {
        source_partition *p = &w->parts[i];
        if (!p->has_committable)
            continue;
        changes++;
        if (p->committable) {
            if (kc_offset_map_put(batch, p->key, p->key_len, p->committable, p->committable_len, err) != 0)
                goto out;
        } else {
            removed[nremoved] = p->key;
            removed_len[nremoved++] = p->key_len;
        }
    }
    if (changes == 0) {
        rc = 0;
        goto out;
    }
    if (kc_offset_store_set(store, batch, removed, removed_len, nremoved, err) != 0)
        goto out;
    for (size_t i = 0; i < w->count; i++) {
        free(w->parts[i].committable);
        w->parts[i].committable = NULL;
        w->parts[i].has_committable = 0;
    }
    rc = 0;
out:
    kc_offset_map_free(batch);
    free(removed);
    free(removed_len);
    return rc;
}
