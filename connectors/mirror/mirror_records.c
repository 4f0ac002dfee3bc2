/* OffsetSync, Checkpoint and Heartbeat bytes, and the Connect partitions / offsets of the MM2
 * connectors; see mirror_records.h. */
#include "connectors/mirror/mirror_records.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int oom(kc_error *err) { return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); }

void kc_mirror_bytes_clear(kc_mirror_bytes *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

/* ---- writing -------------------------------------------------------------------------------- */

typedef struct writer {
    unsigned char *p;
    size_t len;
} writer;

/* Adds the encoded size of a STRING field to *size; refuses what Java's Type.STRING refuses. */
static int string_size(const char *what, const char *field, const char *s, size_t *size, kc_error *err)
{
    if (!s)
        return kc_error_set(err, KC_ERR_INVALID, "Cannot encode %s: field '%s' is null", what, field);
    size_t n = strlen(s);
    if (n > KC_MIRROR_STRING_MAX)
        return kc_error_set(err, KC_ERR_INVALID,
                            "Cannot encode %s: Error writing field '%s': String length %zu is larger than the "
                            "maximum string length.",
                            what, field, n);
    *size += 2 + n;
    return 0;
}

static int writer_init(writer *w, kc_mirror_bytes *out, size_t size, kc_error *err)
{
    out->data = malloc(size ? size : 1);
    out->len = size;
    if (!out->data) {
        out->len = 0;
        return oom(err);
    }
    w->p = out->data;
    w->len = 0;
    return 0;
}

static void put_be(writer *w, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w->p[w->len + i] = (unsigned char)(v >> (8 * (n - 1 - i)));
    w->len += n;
}

static void put_string(writer *w, const char *s)
{
    size_t n = strlen(s);
    put_be(w, (uint64_t)n, 2);
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

/* ---- reading (Schema.read) ------------------------------------------------------------------ */

typedef struct reader {
    const unsigned char *p;
    size_t len, pos;
    const char *what; /* "OffsetSync key" */
    kc_error *err;
} reader;

static int reader_init(reader *r, const char *what, const void *data, size_t len, kc_error *err)
{
    *r = (reader){.p = data, .len = len, .what = what, .err = err};
    if (!data)
        return kc_error_set(err, KC_ERR_INVALID, "Cannot decode %s: the record has none (null)", what);
    return 0;
}

static int read_fail(reader *r, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int read_fail(reader *r, const char *field, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return kc_error_set(r->err, KC_ERR_INVALID, "Cannot decode %s (%zu bytes): Error reading field '%s': %s",
                        r->what, r->len, field, why);
}

static int read_be(reader *r, const char *field, size_t n, uint64_t *v)
{
    if (r->len - r->pos < n)
        return read_fail(r, field, "%zu bytes needed, %zu left (java.nio.BufferUnderflowException)", n,
                         r->len - r->pos);
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = (x << 8) | r->p[r->pos + i];
    r->pos += n;
    *v = x;
    return 0;
}

static int read_i16(reader *r, const char *field, int16_t *v)
{
    uint64_t x = 0;
    if (read_be(r, field, 2, &x) < 0)
        return -1;
    *v = (int16_t)(uint16_t)x;
    return 0;
}

static int read_i32(reader *r, const char *field, int32_t *v)
{
    uint64_t x = 0;
    if (read_be(r, field, 4, &x) < 0)
        return -1;
    *v = (int32_t)(uint32_t)x;
    return 0;
}

static int read_i64(reader *r, const char *field, int64_t *v)
{
    uint64_t x = 0;
    if (read_be(r, field, 8, &x) < 0)
        return -1;
    *v = (int64_t)x;
    return 0;
}

static int read_string(reader *r, const char *field, char **out)
{
    int16_t n;
    if (read_i16(r, field, &n) < 0)
        return -1;
    if (n < 0)
        return read_fail(r, field, "String length %d cannot be negative", n);
    if ((size_t)n > r->len - r->pos)
        return read_fail(r, field, "Error reading string of length %d, only %zu bytes available", n,
                         r->len - r->pos);
    if (memchr(r->p + r->pos, 0, (size_t)n))
        return read_fail(r, field, "the string holds a NUL byte, which kconnect cannot represent");
    *out = strndup((const char *)r->p + r->pos, (size_t)n);
    if (!*out)
        return oom(r->err);
    r->pos += (size_t)n;
    return 0;
}

/* ---- OffsetSync ----------------------------------------------------------------------------- */

int kc_mirror_offset_sync_encode(const kc_mirror_offset_sync *s, kc_mirror_bytes *key, kc_mirror_bytes *value,
                                 kc_error *err)
{
    size_t ksize = 4;
    writer w = {0};
    *key = (kc_mirror_bytes){0};
    *value = (kc_mirror_bytes){0};
    if (string_size("OffsetSync key", "topic", s->topic, &ksize, err) < 0 || writer_init(&w, key, ksize, err) < 0)
        return -1;
    put_string(&w, s->topic);
    put_be(&w, (uint64_t)(uint32_t)s->partition, 4);
    if (writer_init(&w, value, 16, err) < 0) {
        kc_mirror_bytes_clear(key);
        return -1;
    }
    put_be(&w, (uint64_t)s->upstream_offset, 8);
    put_be(&w, (uint64_t)s->downstream_offset, 8);
    return 0;
}

int kc_mirror_offset_sync_decode(const void *key, size_t key_len, const void *value, size_t value_len,
                                 kc_mirror_offset_sync *out, kc_error *err)
{
    reader k, v;
    *out = (kc_mirror_offset_sync){0};
    if (reader_init(&k, "OffsetSync key", key, key_len, err) < 0 || read_string(&k, "topic", &out->topic) < 0 ||
        read_i32(&k, "partition", &out->partition) < 0 ||
        reader_init(&v, "OffsetSync value", value, value_len, err) < 0 ||
        read_i64(&v, "upstreamOffset", &out->upstream_offset) < 0 ||
        read_i64(&v, "offset", &out->downstream_offset) < 0) {
        kc_mirror_offset_sync_clear(out);
        return -1;
    }
    return 0;
}

void kc_mirror_offset_sync_clear(kc_mirror_offset_sync *s)
{
    if (!s)
        return;
    free(s->topic);
    *s = (kc_mirror_offset_sync){0};
}

/* ---- Checkpoint ----------------------------------------------------------------------------- */

int kc_mirror_checkpoint_encode(const kc_mirror_checkpoint *c, kc_mirror_bytes *key, kc_mirror_bytes *value,
                                kc_error *err)
{
    size_t ksize = 4, vsize = 2 + 8 + 8;
    writer w = {0};
    *key = (kc_mirror_bytes){0};
    *value = (kc_mirror_bytes){0};
    if (string_size("Checkpoint key", "group", c->group, &ksize, err) < 0 ||
        string_size("Checkpoint key", "topic", c->topic, &ksize, err) < 0 ||
        string_size("Checkpoint value", "metadata", c->metadata, &vsize, err) < 0 ||
        writer_init(&w, key, ksize, err) < 0)
        return -1;
    put_string(&w, c->group);
    put_string(&w, c->topic);
    put_be(&w, (uint64_t)(uint32_t)c->partition, 4);
    if (writer_init(&w, value, vsize, err) < 0) {
        kc_mirror_bytes_clear(key);
        return -1;
    }
    put_be(&w, KC_MIRROR_CHECKPOINT_VERSION, 2);
    put_be(&w, (uint64_t)c->upstream_offset, 8);
    put_be(&w, (uint64_t)c->downstream_offset, 8);
    put_string(&w, c->metadata);
    return 0;
}

/* Checkpoint.deserializeRecord reads the value first, then the key. */
int kc_mirror_checkpoint_decode(const void *key, size_t key_len, const void *value, size_t value_len,
                                kc_mirror_checkpoint *out, kc_error *err)
{
    reader k, v;
    *out = (kc_mirror_checkpoint){0};
    if (reader_init(&v, "Checkpoint value", value, value_len, err) < 0 || read_i16(&v, "version", &out->version) < 0 ||
        read_i64(&v, "upstreamOffset", &out->upstream_offset) < 0 ||
        read_i64(&v, "offset", &out->downstream_offset) < 0 || read_string(&v, "metadata", &out->metadata) < 0 ||
        reader_init(&k, "Checkpoint key", key, key_len, err) < 0 || read_string(&k, "group", &out->group) < 0 ||
        read_string(&k, "topic", &out->topic) < 0 || read_i32(&k, "partition", &out->partition) < 0) {
        kc_mirror_checkpoint_clear(out);
        return -1;
    }
    return 0;
}

void kc_mirror_checkpoint_clear(kc_mirror_checkpoint *c)
{
    if (!c)
        return;
    free(c->group);
    free(c->topic);
    free(c->metadata);
    *c = (kc_mirror_checkpoint){0};
}

/* ---- Heartbeat ------------------------------------------------------------------------------ */

int kc_mirror_heartbeat_encode(const kc_mirror_heartbeat *h, kc_mirror_bytes *key, kc_mirror_bytes *value,
                               kc_error *err)
{
    size_t ksize = 0;
    writer w = {0};
    *key = (kc_mirror_bytes){0};
    *value = (kc_mirror_bytes){0};
    if (string_size("Heartbeat key", "sourceClusterAlias", h->source_alias, &ksize, err) < 0 ||
        string_size("Heartbeat key", "targetClusterAlias", h->target_alias, &ksize, err) < 0 ||
        writer_init(&w, key, ksize, err) < 0)
        return -1;
    put_string(&w, h->source_alias);
    put_string(&w, h->target_alias);
    if (writer_init(&w, value, 10, err) < 0) {
        kc_mirror_bytes_clear(key);
        return -1;
    }
    put_be(&w, KC_MIRROR_HEARTBEAT_VERSION, 2);
    put_be(&w, (uint64_t)h->timestamp, 8);
    return 0;
}

/* Heartbeat.deserializeRecord reads the value first, then the key. */
int kc_mirror_heartbeat_decode(const void *key, size_t key_len, const void *value, size_t value_len,
                               kc_mirror_heartbeat *out, kc_error *err)
{
    reader k, v;
    *out = (kc_mirror_heartbeat){0};
    if (reader_init(&v, "Heartbeat value", value, value_len, err) < 0 || read_i16(&v, "version", &out->version) < 0 ||
        read_i64(&v, "timestamp", &out->timestamp) < 0 || reader_init(&k, "Heartbeat key", key, key_len, err) < 0 ||
        read_string(&k, "sourceClusterAlias", &out->source_alias) < 0 ||
        read_string(&k, "targetClusterAlias", &out->target_alias) < 0) {
        kc_mirror_heartbeat_clear(out);
        return -1;
    }
    return 0;
}

void kc_mirror_heartbeat_clear(kc_mirror_heartbeat *h)
{
    if (!h)
        return;
    free(h->source_alias);
    free(h->target_alias);
    *h = (kc_mirror_heartbeat){0};
}

/* ---- Connect source partitions and offsets -------------------------------------------------- */

/* A map of n (name, value) entries; the values are taken (all freed when anything fails). */
static kc_value *map_of(size_t n, const char *const *names, kc_value **values)
{
    kc_value *m = kc_value_map_new();
    bool ok = m != NULL;
    for (size_t i = 0; i < n; i++) {
        if (ok && values[i])
            ok = kc_value_map_put_str_new(m, names[i], values[i]) == 0; /* frees the value on failure */
        else {
            kc_value_free(values[i]);
            ok = false;
        }
    }
    if (!ok) {
        kc_value_free(m);
        return NULL;
    }
    return m;
}

kc_value *kc_mirror_source_partition_new(const char *source_alias, const char *topic, int32_t partition)
{
    static const char *const names[] = {"cluster", "partition", "topic"}; /* HashMap order */
    kc_value *values[] = {kc_value_string(source_alias), kc_value_int32(partition), kc_value_string(topic)};
    return map_of(3, names, values);
}

kc_value *kc_mirror_checkpoint_partition_new(const char *group, const char *topic, int32_t partition)
{
    static const char *const names[] = {"partition", "topic", "group"};
    kc_value *values[] = {kc_value_int32(partition), kc_value_string(topic), kc_value_string(group)};
    return map_of(3, names, values);
}

kc_value *kc_mirror_heartbeat_partition_new(const char *source_alias, const char *target_alias)
{
    static const char *const names[] = {"sourceClusterAlias", "targetClusterAlias"};
    kc_value *values[] = {kc_value_string(source_alias), kc_value_string(target_alias)};
    return map_of(2, names, values);
}

kc_value *kc_mirror_offset_new(int64_t offset)
{
    static const char *const names[] = {"offset"};
    kc_value *values[] = {kc_value_int64(offset)};
    return map_of(1, names, values);
}

static bool is_int(const kc_value *v)
{
    kc_value_type t = kc_value_get_type(v);
    return t == KC_VALUE_INT32 || t == KC_VALUE_INT64; /* Java: Integer or Long */
}

static int64_t int_of(const kc_value *v)
{
    return kc_value_get_type(v) == KC_VALUE_INT32 ? kc_value_get_int32(v) : kc_value_get_int64(v);
}

int kc_mirror_source_partition_unwrap(const kc_value *partition, const char **topic, int32_t *partition_out,
                                      kc_error *err)
{
    const kc_value *t = kc_value_map_get_str(partition, "topic");
    const kc_value *p = kc_value_map_get_str(partition, "partition");
    if (kc_value_get_type(t) != KC_VALUE_STRING || !is_int(p) || int_of(p) < INT32_MIN || int_of(p) > INT32_MAX)
        return kc_error_set(err, KC_ERR_INVALID,
                            "not a MirrorSourceConnector source partition: it needs a string 'topic' and an "
                            "integer 'partition'");
    *topic = kc_value_get_string(t, NULL);
    *partition_out = (int32_t)int_of(p);
    return 0;
}

int64_t kc_mirror_offset_unwrap(const kc_value *offset)
{
    const kc_value *o = offset ? kc_value_map_get_str(offset, "offset") : NULL;
    return is_int(o) ? int_of(o) : -1;
}

/* Object.toString of v (a map printed in HashMap order). New string, or NULL. */
static char *java_text(const kc_value *v)
{
    if (!v)
        return strdup("null");
    kc_value *copy = kc_value_copy(v);
    if (!copy)
        return NULL;
    if (kc_value_get_type(copy) == KC_VALUE_MAP)
        kc_value_map_to_java_hashmap_order(copy);
    kc_error ignored;
    size_t len;
    char *s = kc_value_to_java_string(copy, false, &len, &ignored);
    kc_value_free(copy);
    return s;
}

/* "Source partition {...} <fmt with %s = the value's text>", or with the offset prefix. */
static int invalid(kc_error *err, const kc_value *offset, const kc_value *partition, const kc_value *value,
                   const char *key, const char *why)
{
    char *o = offset ? java_text(offset) : NULL, *p = java_text(partition), *v = value ? java_text(value) : NULL;
    if ((offset && !o) || !p || (value && !v))
        oom(err);
    else if (offset && value)
        kc_error_set(err, KC_ERR_INVALID,
                     "Source offset %s for source partition %s has an invalid value %s for the '%s' key%s", o, p, v,
                     key, why);
    else if (offset)
        kc_error_set(err, KC_ERR_INVALID, "Source offset %s for source partition %s is missing the '%s' key%s", o, p,
                     key, why);
    else if (value)
        kc_error_set(err, KC_ERR_INVALID, "Source partition %s has an invalid value %s for the '%s' key%s", p, v, key,
                     why);
    else
        kc_error_set(err, KC_ERR_INVALID, "Source partition %s is missing the '%s' key%s", p, key, why);
    free(o);
    free(p);
    free(v);
    return -1;
}

int kc_mirror_validate_partition_string(const kc_value *partition, const char *key, kc_error *err)
{
    if (!partition || kc_value_is_null(partition))
        return kc_error_set(err, KC_ERR_INVALID, "Source partition may not be null");
    const kc_value *v = kc_value_map_get_str(partition, key);
    if (!v)
        return invalid(err, NULL, partition, NULL, key, ", which is required");
    if (kc_value_get_type(v) != KC_VALUE_STRING)
        return invalid(err, NULL, partition, v, key, ", which must be a string");
    return 0;
}

int kc_mirror_validate_partition_partition(const kc_value *partition, kc_error *err)
{
    if (!partition || kc_value_is_null(partition))
        return kc_error_set(err, KC_ERR_INVALID, "Source partition may not be null");
    const kc_value *v = kc_value_map_get_str(partition, "partition");
    if (!v)
        return invalid(err, NULL, partition, NULL, "partition", ", which is required");
    if (!is_int(v) || int_of(v) > INT32_MAX)
        return invalid(err, NULL, partition, v, "partition", ", which must be an integer");
    if (int_of(v) < 0)
        return invalid(err, NULL, partition, v, "partition", ", which cannot be negative");
    return 0;
}

int kc_mirror_validate_offset(const kc_value *partition, const kc_value *offset, bool only_zero, kc_error *err)
{
    if (!partition || kc_value_is_null(partition))
        return kc_error_set(err, KC_ERR_INVALID, "Source partition may not be null");
    if (!offset || kc_value_is_null(offset))
        return 0;
    const kc_value *v = kc_value_map_get_str(offset, "offset");
    if (!v)
        return invalid(err, offset, partition, NULL, "offset", ", which is required");
    if (!is_int(v))
        return invalid(err, offset, partition, v, "offset", ", which must be an integer");
    if (only_zero && int_of(v) != 0)
        return invalid(err, offset, partition, v, "offset", "; the only accepted value is 0");
    if (!only_zero && int_of(v) < 0)
        return invalid(err, offset, partition, v, "offset", ", which cannot be negative");
    return 0;
}
