/* Connect records and headers; see record.h. */
#include "record.h"

#include <stdlib.h>
#include <string.h>

kc_record *kc_record_new(const char *topic)
{
    kc_record *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->topic = strdup(topic ? topic : "");
    if (!r->topic) {
        free(r);
        return NULL;
    }
    r->kafka_partition = KC_NO_PARTITION;
    r->timestamp = KC_NO_TIMESTAMP;
    r->kafka_offset = -1;
    r->original_partition = KC_NO_PARTITION;
    r->original_offset = -1;
    return r;
}

void kc_headers_clear(kc_headers *h)
{
    for (size_t i = 0; i < h->count; i++) {
        free(h->items[i].key);
        if (h->items[i].schema)
            kc_schema_unref(h->items[i].schema);
        kc_value_free(h->items[i].value);
    }
    free(h->items);
    h->items = NULL;
    h->count = h->cap = 0;
}

void kc_record_free(kc_record *r)
{
    if (!r)
        return;
    free(r->topic);
    free(r->original_topic);
    if (r->key_schema)
        kc_schema_unref(r->key_schema);
    if (r->value_schema)
        kc_schema_unref(r->value_schema);
    kc_value_free(r->key);
    kc_value_free(r->value);
    kc_value_free(r->source_partition);
    kc_value_free(r->source_offset);
    kc_headers_clear(&r->headers);
    free(r);
}

int kc_headers_add_new(kc_headers *h, const char *key, const kc_schema *schema, kc_value *value)
{
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 4;
        kc_header *grown = realloc(h->items, cap * sizeof *grown);
        if (!grown)
            goto fail;
        h->items = grown;
        h->cap = cap;
    }
    char *k = strdup(key);
    if (!k)
        goto fail;
    h->items[h->count++] = (kc_header){k, schema, value};
    return 0;
fail:
    if (schema)
        kc_schema_unref(schema);
    kc_value_free(value);
    return -1;
}

const kc_header *kc_headers_last(const kc_headers *h, const char *key)
{
    for (size_t i = h->count; i > 0; i--)
        if (strcmp(h->items[i - 1].key, key) == 0)
            return &h->items[i - 1];
    return NULL;
}

size_t kc_headers_remove(kc_headers *h, const char *key)
{
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < h->count; i++) {
        if (strcmp(h->items[i].key, key) == 0) {
            free(h->items[i].key);
            if (h->items[i].schema)
                kc_schema_unref(h->items[i].schema);
            kc_value_free(h->items[i].value);
            removed++;
        } else {
            h->items[kept++] = h->items[i];
        }
    }
    h->count = kept;
    return removed;
}

int kc_headers_copy(kc_headers *dst, const kc_headers *src)
{
    for (size_t i = 0; i < src->count; i++) {
        const kc_header *x = &src->items[i];
        kc_value *v = NULL;
        if (x->value && !(v = kc_value_copy(x->value)))
            return -1;
        if (kc_headers_add_new(dst, x->key, x->schema ? kc_schema_ref(x->schema) : NULL, v) != 0)
            return -1;
    }
    return 0;
}

int kc_record_set_topic(kc_record *r, const char *topic)
{
    char *t = strdup(topic);
    if (!t)
        return -1;
    free(r->topic);
    r->topic = t;
    return 0;
}

void kc_record_set_key_new(kc_record *r, const kc_schema *schema, kc_value *key)
{
    if (r->key_schema)
        kc_schema_unref(r->key_schema);
    kc_value_free(r->key);
    r->key_schema = schema;
    r->key = key;
}

void kc_record_set_value_new(kc_record *r, const kc_schema *schema, kc_value *value)
{
    if (r->value_schema)
        kc_schema_unref(r->value_schema);
    kc_value_free(r->value);
    r->value_schema = schema;
    r->value = value;
}

static int copy_value(kc_value **dst, const kc_value *src)
{
    *dst = NULL;
    return src && !(*dst = kc_value_copy(src)) ? -1 : 0;
}

kc_record *kc_record_copy(const kc_record *r)
{
    kc_record *c = kc_record_new(r->topic);
    if (!c)
        return NULL;
    c->kafka_partition = r->kafka_partition;
    c->timestamp = r->timestamp;
    c->timestamp_type = r->timestamp_type;
    c->kafka_offset = r->kafka_offset;
    c->original_partition = r->original_partition;
    c->original_offset = r->original_offset;
    c->key_schema = r->key_schema ? kc_schema_ref(r->key_schema) : NULL;
    c->value_schema = r->value_schema ? kc_schema_ref(r->value_schema) : NULL;
    if (copy_value(&c->key, r->key) || copy_value(&c->value, r->value) ||
        copy_value(&c->source_partition, r->source_partition) || copy_value(&c->source_offset, r->source_offset) ||
        kc_headers_copy(&c->headers, &r->headers) ||
        (r->original_topic && !(c->original_topic = strdup(r->original_topic)))) {
        kc_record_free(c);
        return NULL;
    }
    return c;
}
