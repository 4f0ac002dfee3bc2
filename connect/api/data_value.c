/* Values: construction, ownership, equality, containers, structs and validation
 * (Java's Struct and ConnectSchema.validateValue). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data_internal.h"

static kc_value null_value = {.type = KC_VALUE_NULL};

kc_value *kc_value_null(void) { return &null_value; }

static kc_value *value_alloc(kc_value_type type)
{
    kc_value *v = calloc(1, sizeof *v);
    if (v)
        v->type = type;
    return v;
}

static kc_value *int_value(kc_value_type type, int64_t i)
{
    kc_value *v = value_alloc(type);
    if (v)
        v->u.i = i;
    return v;
}

kc_value *kc_value_int8(int8_t v) { return int_value(KC_VALUE_INT8, v); }
kc_value *kc_value_int16(int16_t v) { return int_value(KC_VALUE_INT16, v); }
kc_value *kc_value_int32(int32_t v) { return int_value(KC_VALUE_INT32, v); }
kc_value *kc_value_int64(int64_t v) { return int_value(KC_VALUE_INT64, v); }
kc_value *kc_value_timestamp(int64_t epoch_millis) { return int_value(KC_VALUE_TIMESTAMP, epoch_millis); }

kc_value *kc_value_float32(float f)
{
    kc_value *v = value_alloc(KC_VALUE_FLOAT32);
    if (v)
        v->u.f = f;
    return v;
}

kc_value *kc_value_float64(double d)
{
    kc_value *v = value_alloc(KC_VALUE_FLOAT64);
    if (v)
        v->u.d = d;
    return v;
}

kc_value *kc_value_boolean(bool b)
{
    kc_value *v = value_alloc(KC_VALUE_BOOLEAN);
    if (v)
        v->u.b = b;
    return v;
}

static kc_value *blob_value(kc_value_type type, const void *data, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    kc_value *v = value_alloc(type);
    if (!v)
        return NULL;
    v->u.s.data = malloc(len + 1);
    if (!v->u.s.data) {
        free(v);
        return NULL;
    }
    if (len)
        memcpy(v->u.s.data, data, len);
    v->u.s.data[len] = '\0';
    v->u.s.len = len;
    return v;
}

kc_value *kc_value_string(const char *s) { return s ? blob_value(KC_VALUE_STRING, s, strlen(s)) : NULL; }

kc_value *kc_value_string_len(const char *s, size_t len)
{
    return s || len == 0 ? blob_value(KC_VALUE_STRING, s, len) : NULL;
}

kc_value *kc_value_bytes(const void *data, size_t len)
{
    return data || len == 0 ? blob_value(KC_VALUE_BYTES, data, len) : NULL;
}

static kc_value *container_alloc(kc_value_type type)
{
    kc_value *v = value_alloc(type);
    if (v)
        v->depth = 1; /* an empty container is one level deep */
    return v;
}

kc_value *kc_value_array_new(void) { return container_alloc(KC_VALUE_ARRAY); }
kc_value *kc_value_map_new(void) { return container_alloc(KC_VALUE_MAP); }

kc_value *kc_value_struct_new(const kc_schema *schema, kc_error *err)
{
    if (!schema || schema->type != KC_SCHEMA_STRUCT) {
        char buf[256];
        kc_error_set(err, KC_ERR_INVALID, "Not a struct schema: %s",
                     kc_schema_to_string(schema, buf, sizeof buf));
        return NULL;
    }
    kc_value *v = value_alloc(KC_VALUE_STRUCT);
    if (!v)
        goto oom;
    v->u.st.vals = calloc(schema->nfields ? schema->nfields : 1, sizeof *v->u.st.vals);
    if (!v->u.st.vals) {
        free(v);
        goto oom;
    }
    v->u.st.schema = kc_schema_ref(schema);
    v->depth = 1;
    return v;
oom:
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating a struct");
    return NULL;
}

/* Drops redundant leading sign bytes so that equal numbers have equal bytes (BigInteger's
 * toByteArray form). */
static void minimal_twos(const uint8_t **p, size_t *len)
{
    while (*len > 1 && (((*p)[0] == 0x00 && !((*p)[1] & 0x80)) ||
                        ((*p)[0] == 0xFF && ((*p)[1] & 0x80)))) {
        (*p)++;
        (*len)--;
    }
}

kc_value *kc_value_decimal(const void *unscaled, size_t len, int32_t scale)
{
    if (!unscaled || len == 0)
        return NULL;
    const uint8_t *p = unscaled;
    minimal_twos(&p, &len);
    kc_value *v = value_alloc(KC_VALUE_DECIMAL);
    if (!v)
        return NULL;
    v->u.dec.unscaled = malloc(len);
    if (!v->u.dec.unscaled) {
        free(v);
        return NULL;
    }
    memcpy(v->u.dec.unscaled, p, len);
    v->u.dec.len = len;
    v->u.dec.scale = scale;
    return v;
}

kc_value *kc_value_decimal_from_int64(int64_t unscaled, int32_t scale)
{
    uint8_t be[8];
    uint64_t u = (uint64_t)unscaled;
    for (int i = 7; i >= 0; i--) {
        be[i] = (uint8_t)(u & 0xFF);
        u >>= 8;
    }
    return kc_value_decimal(be, sizeof be, scale);
}

kc_value *kc_value_decimal_parse(const char *text, size_t len, kc_error *err)
{
    kc_value *out = NULL;
    if (kc__decimal_parse(text, len, &out, err) != 0)
        return NULL;
    return out;
}

/* ---- Free, copy, equality ------------------------------------------------------------------- */

static void map_free_index(kc_value_map *m)
{
    free(m->index);
    m->index = NULL;
    m->index_cap = 0;
}

void kc_value_free(kc_value *v)
{
    if (!v || v == &null_value)
        return;
    switch (v->type) {
    case KC_VALUE_STRING:
    case KC_VALUE_BYTES:
        free(v->u.s.data);
        break;
    case KC_VALUE_ARRAY:
        for (size_t i = 0; i < v->u.arr.len; i++)
            kc_value_free(v->u.arr.items[i]);
        free(v->u.arr.items);
        break;
    case KC_VALUE_MAP:
        for (size_t i = 0; i < v->u.map.len; i++) {
            kc_value_free(v->u.map.keys[i]);
            kc_value_free(v->u.map.vals[i]);
        }
        free(v->u.map.keys);
        free(v->u.map.vals);
        map_free_index(&v->u.map);
        break;
    case KC_VALUE_STRUCT:
        for (size_t i = 0; i < v->u.st.schema->nfields; i++)
            kc_value_free(v->u.st.vals[i]);
        free(v->u.st.vals);
        kc_schema_unref(v->u.st.schema);
        break;
    case KC_VALUE_DECIMAL:
        free(v->u.dec.unscaled);
        break;
    default:
        break;
    }
    free(v);
}

kc_value *kc_value_copy(const kc_value *v)
{
    if (!v || v->type == KC_VALUE_NULL)
        return &null_value;
    kc_value *c;
    switch (v->type) {
    case KC_VALUE_STRING:
    case KC_VALUE_BYTES:
        return blob_value(v->type, v->u.s.data, v->u.s.len);
    case KC_VALUE_DECIMAL:
        return kc_value_decimal(v->u.dec.unscaled, v->u.dec.len, v->u.dec.scale);
    case KC_VALUE_ARRAY:
        c = kc_value_array_new();
        if (!c)
            return NULL;
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (kc_value_array_append(c, v->u.arr.items[i]) != 0) {
                kc_value_free(c);
                return NULL;
            }
        }
        return c;
    case KC_VALUE_MAP:
        c = kc_value_map_new();
        if (!c)
            return NULL;
        for (size_t i = 0; i < v->u.map.len; i++) {
            if (kc_value_map_put(c, v->u.map.keys[i], v->u.map.vals[i]) != 0) {
                kc_value_free(c);
                return NULL;
            }
        }
        return c;
    case KC_VALUE_STRUCT:
        c = kc_value_struct_new(v->u.st.schema, NULL);
        if (!c)
            return NULL;
        for (size_t i = 0; i < v->u.st.schema->nfields; i++) {
            if (!v->u.st.vals[i])
                continue;
            c->u.st.vals[i] = kc_value_copy(v->u.st.vals[i]);
            if (!c->u.st.vals[i]) {
                kc_value_free(c);
                return NULL;
            }
        }
        c->depth = v->depth;
        return c;
    default:
        c = value_alloc(v->type);
        if (c)
            c->u = v->u;
        return c;
    }
}

/* Java compares Float/Double with floatToIntBits/doubleToLongBits: every NaN is one value. */
static uint64_t double_bits(double d)
{
    uint64_t u;
    if (isnan(d))
        return 0x7ff8000000000000ULL;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint32_t float_bits(float f)
{
    uint32_t u;
    if (isnan(f))
        return 0x7fc00000U;
    memcpy(&u, &f, sizeof u);
    return u;
}

bool kc_value_equals(const kc_value *a, const kc_value *b)
{
    kc_value_type ta = kc_value_get_type(a), tb = kc_value_get_type(b);
    if (ta != tb)
        return false;
    if (a == b || ta == KC_VALUE_NULL)
        return true;
    switch (ta) {
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64:
    case KC_VALUE_TIMESTAMP:
        return a->u.i == b->u.i;
    case KC_VALUE_FLOAT32:
        return float_bits(a->u.f) == float_bits(b->u.f);
    case KC_VALUE_FLOAT64:
        return double_bits(a->u.d) == double_bits(b->u.d);
    case KC_VALUE_BOOLEAN:
        return a->u.b == b->u.b;
    case KC_VALUE_STRING:
    case KC_VALUE_BYTES:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.data, b->u.s.data, a->u.s.len) == 0;
    case KC_VALUE_DECIMAL:
        return a->u.dec.scale == b->u.dec.scale && a->u.dec.len == b->u.dec.len &&
               memcmp(a->u.dec.unscaled, b->u.dec.unscaled, a->u.dec.len) == 0;
    case KC_VALUE_ARRAY:
        if (a->u.arr.len != b->u.arr.len)
            return false;
        for (size_t i = 0; i < a->u.arr.len; i++)
            if (!kc_value_equals(a->u.arr.items[i], b->u.arr.items[i]))
                return false;
        return true;
    case KC_VALUE_MAP:
        if (a->u.map.len != b->u.map.len)
            return false;
        for (size_t i = 0; i < a->u.map.len; i++) {
            const kc_value *other = kc_value_map_get(b, a->u.map.keys[i]);
            if (!other || !kc_value_equals(a->u.map.vals[i], other))
                return false;
        }
        return true;
    case KC_VALUE_STRUCT:
        if (!kc_schema_equals(a->u.st.schema, b->u.st.schema))
            return false;
        for (size_t i = 0; i < a->u.st.schema->nfields; i++)
            if (!kc_value_equals(a->u.st.vals[i], b->u.st.vals[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* A hash consistent with kc_value_equals, for the map index (not Java's hashCode). */
static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

static uint64_t bytes_hash(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t value_hash(const kc_value *v)
{
    kc_value_type t = kc_value_get_type(v);
    uint64_t h = (uint64_t)t * 0x100000001b3ULL;
    switch (t) {
    case KC_VALUE_NULL: return h;
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64:
    case KC_VALUE_TIMESTAMP: return mix(h, (uint64_t)v->u.i);
    case KC_VALUE_FLOAT32: return mix(h, float_bits(v->u.f));
    case KC_VALUE_FLOAT64: return mix(h, double_bits(v->u.d));
    case KC_VALUE_BOOLEAN: return mix(h, v->u.b);
    case KC_VALUE_STRING:
    case KC_VALUE_BYTES: return mix(h, bytes_hash(v->u.s.data, v->u.s.len));
    case KC_VALUE_DECIMAL:
        return mix(mix(h, bytes_hash(v->u.dec.unscaled, v->u.dec.len)), (uint64_t)v->u.dec.scale);
    case KC_VALUE_ARRAY:
        for (size_t i = 0; i < v->u.arr.len; i++)
            h = mix(h, value_hash(v->u.arr.items[i]));
        return h;
    case KC_VALUE_MAP: {
        uint64_t sum = 0;
        for (size_t i = 0; i < v->u.map.len; i++)
            sum += value_hash(v->u.map.keys[i]) ^ (value_hash(v->u.map.vals[i]) * 31);
        return mix(h, sum);
    }
    case KC_VALUE_STRUCT:
        for (size_t i = 0; i < v->u.st.schema->nfields; i++)
            h = mix(h, value_hash(v->u.st.vals[i]));
        return h;
    }
    return h;
}

/* ---- Accessors ------------------------------------------------------------------------------ */

kc_value_type kc_value_get_type(const kc_value *v) { return v ? v->type : KC_VALUE_NULL; }
bool kc_value_is_null(const kc_value *v) { return !v || v->type == KC_VALUE_NULL; }

#define INT_GETTER(fn, ctype, tag)                                                                 \
    ctype fn(const kc_value *v) { return v && v->type == (tag) ? (ctype)v->u.i : 0; }
INT_GETTER(kc_value_get_int8, int8_t, KC_VALUE_INT8)
INT_GETTER(kc_value_get_int16, int16_t, KC_VALUE_INT16)
INT_GETTER(kc_value_get_int32, int32_t, KC_VALUE_INT32)
INT_GETTER(kc_value_get_int64, int64_t, KC_VALUE_INT64)
INT_GETTER(kc_value_get_timestamp, int64_t, KC_VALUE_TIMESTAMP)

float kc_value_get_float32(const kc_value *v) { return v && v->type == KC_VALUE_FLOAT32 ? v->u.f : 0; }
double kc_value_get_float64(const kc_value *v) { return v && v->type == KC_VALUE_FLOAT64 ? v->u.d : 0; }
bool kc_value_get_boolean(const kc_value *v) { return v && v->type == KC_VALUE_BOOLEAN && v->u.b; }

const char *kc_value_get_string(const kc_value *v, size_t *len)
{
    if (!v || v->type != KC_VALUE_STRING)
        return NULL;
    if (len)
        *len = v->u.s.len;
    return v->u.s.data;
}

const uint8_t *kc_value_get_bytes(const kc_value *v, size_t *len)
{
    if (!v || v->type != KC_VALUE_BYTES)
        return NULL;
    if (len)
        *len = v->u.s.len;
    return (const uint8_t *)v->u.s.data;
}

const uint8_t *kc_value_decimal_unscaled(const kc_value *v, size_t *len)
{
    if (!v || v->type != KC_VALUE_DECIMAL)
        return NULL;
    if (len)
        *len = v->u.dec.len;
    return v->u.dec.unscaled;
}

int32_t kc_value_decimal_scale(const kc_value *v)
{
    return v && v->type == KC_VALUE_DECIMAL ? v->u.dec.scale : 0;
}

/* ---- Arrays --------------------------------------------------------------------------------- */

size_t kc_value_array_size(const kc_value *arr)
{
    return arr && arr->type == KC_VALUE_ARRAY ? arr->u.arr.len : 0;
}

const kc_value *kc_value_array_get(const kc_value *arr, size_t i)
{
    if (!arr || arr->type != KC_VALUE_ARRAY || i >= arr->u.arr.len)
        return NULL;
    return arr->u.arr.items[i];
}

int kc__value_child_depth(kc_value *parent, const kc_value *child)
{
    int d = child ? child->depth + 1 : 1;
    if (d > KC_DATA_MAX_DEPTH)
        return -1;
    if (d > parent->depth)
        parent->depth = d;
    return 0;
}

int kc_value_array_append_new(kc_value *arr, kc_value *item)
{
    if (!item)
        item = &null_value;
    if (!arr || arr->type != KC_VALUE_ARRAY || kc__value_child_depth(arr, item) != 0)
        goto fail;
    if (arr->u.arr.len == arr->u.arr.cap) {
        size_t cap = arr->u.arr.cap ? arr->u.arr.cap * 2 : 4;
        kc_value **items = realloc(arr->u.arr.items, cap * sizeof *items);
        if (!items)
            goto fail;
        arr->u.arr.items = items;
        arr->u.arr.cap = cap;
    }
    arr->u.arr.items[arr->u.arr.len++] = item;
    return 0;
fail:
    kc_value_free(item);
    return -1;
}

int kc_value_array_append(kc_value *arr, const kc_value *item)
{
    kc_value *copy = kc_value_copy(item);
    if (!copy)
        return -1;
    return kc_value_array_append_new(arr, copy);
}

/* ---- Maps ----------------------------------------------------------------------------------- */

#define MAP_INDEX_MIN 8

size_t kc_value_map_size(const kc_value *map)
{
    return map && map->type == KC_VALUE_MAP ? map->u.map.len : 0;
}

const kc_value *kc_value_map_key_at(const kc_value *map, size_t i)
{
    return i < kc_value_map_size(map) ? map->u.map.keys[i] : NULL;
}

const kc_value *kc_value_map_value_at(const kc_value *map, size_t i)
{
    return i < kc_value_map_size(map) ? map->u.map.vals[i] : NULL;
}

static void index_insert(kc_value_map *m, size_t pos)
{
    size_t mask = m->index_cap - 1;
    size_t slot = (size_t)value_hash(m->keys[pos]) & mask;
    while (m->index[slot])
        slot = (slot + 1) & mask;
    m->index[slot] = (uint32_t)(pos + 1);
}

static int index_rebuild(kc_value_map *m, size_t want)
{
    size_t cap = 16;
    while (cap < want * 2)
        cap *= 2;
    uint32_t *idx = calloc(cap, sizeof *idx);
    if (!idx)
        return -1;
    free(m->index);
    m->index = idx;
    m->index_cap = cap;
    for (size_t i = 0; i < m->len; i++)
        index_insert(m, i);
    return 0;
}

/* Position of key in the map, or -1. */
static long map_find(const kc_value_map *m, const kc_value *key)
{
    if (m->index) {
        size_t mask = m->index_cap - 1;
        size_t slot = (size_t)value_hash(key) & mask;
        while (m->index[slot]) {
            size_t pos = m->index[slot] - 1;
            if (kc_value_equals(m->keys[pos], key))
                return (long)pos;
            slot = (slot + 1) & mask;
        }
        return -1;
    }
    for (size_t i = 0; i < m->len; i++)
        if (kc_value_equals(m->keys[i], key))
            return (long)i;
    return -1;
}

const kc_value *kc_value_map_get(const kc_value *map, const kc_value *key)
{
    if (!map || map->type != KC_VALUE_MAP)
        return NULL;
    long pos = map_find(&map->u.map, key);
    return pos < 0 ? NULL : map->u.map.vals[pos];
}

const kc_value *kc_value_map_get_str(const kc_value *map, const char *key)
{
    if (!key)
        return NULL;
    kc_value k = {.type = KC_VALUE_STRING};
    k.u.s.data = (char *)key;
    k.u.s.len = strlen(key);
    return kc_value_map_get(map, &k);
}

int kc_value_map_put_new(kc_value *map, kc_value *key, kc_value *value)
{
    if (!key)
        key = &null_value;
    if (!value)
        value = &null_value;
    if (!map || map->type != KC_VALUE_MAP || kc__value_child_depth(map, key) != 0 ||
        kc__value_child_depth(map, value) != 0)
        goto fail;
    kc_value_map *m = &map->u.map;
    long pos = map_find(m, key);
    if (pos >= 0) {
        kc_value_free(m->vals[pos]);
        m->vals[pos] = value;
        kc_value_free(key);
        return 0;
    }
    if (m->len >= UINT32_MAX - 1)
        goto fail;
    if (m->len == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        kc_value **k = realloc(m->keys, cap * sizeof *k);
        if (!k)
            goto fail;
        m->keys = k;
        kc_value **v = realloc(m->vals, cap * sizeof *v);
        if (!v)
            goto fail;
        m->vals = v;
        m->cap = cap;
    }
    m->keys[m->len] = key;
    m->vals[m->len] = value;
    m->len++;
    if (m->len > MAP_INDEX_MIN) {
        if (!m->index || m->len * 2 > m->index_cap) {
            if (index_rebuild(m, m->len) != 0) {
                map_free_index(m); /* still correct, only slower */
            }
        } else {
            index_insert(m, m->len - 1);
        }
    }
    return 0;
fail:
    kc_value_free(key);
    kc_value_free(value);
    return -1;
}

int kc_value_map_put(kc_value *map, const kc_value *key, const kc_value *value)
{
    kc_value *k = kc_value_copy(key);
    kc_value *v = kc_value_copy(value);
    if (!k || !v) {
        kc_value_free(k);
        kc_value_free(v);
        return -1;
    }
    return kc_value_map_put_new(map, k, v);
}

int kc_value_map_put_str_new(kc_value *map, const char *key, kc_value *value)
{
    kc_value *k = kc_value_string(key);
    if (!k) {
        kc_value_free(value);
        return -1;
    }
    return kc_value_map_put_new(map, k, value);
}

int kc_value_map_put_str(kc_value *map, const char *key, const kc_value *value)
{
    kc_value *v = kc_value_copy(value);
    if (!v)
        return -1;
    return kc_value_map_put_str_new(map, key, v);
}

/* Reorders a map's entries by the permutation order[] (new position i holds old order[i]). Used by
 * the Java HashMap ordering in data_java.c. */
int kc__map_permute(kc_value *map, const size_t *order)
{
    kc_value_map *m = &map->u.map;
    kc_value **k = malloc((m->len ? m->len : 1) * sizeof *k);
    kc_value **v = malloc((m->len ? m->len : 1) * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    for (size_t i = 0; i < m->len; i++) {
        k[i] = m->keys[order[i]];
        v[i] = m->vals[order[i]];
    }
    memcpy(m->keys, k, m->len * sizeof *k);
    memcpy(m->vals, v, m->len * sizeof *v);
    free(k);
    free(v);
    if (m->index && index_rebuild(m, m->len) != 0)
        map_free_index(m);
    return 0;
}
