/*
 * Connect records: what source tasks return from poll, what sink tasks receive in put, and what
 * transformations and predicates see (Java's ConnectRecord, SourceRecord, SinkRecord, Headers).
 *
 * A record owns everything it points to: its strings, its values (kc_value), its headers, and one
 * reference to each schema (kc_schema_ref / kc_schema_unref). Schemas are immutable and shared;
 * values belong to the record.
 * Threads: a record belongs to one task thread at a time (it is handed over, never shared).
 * Memory: kc_record_new returns a record freed with kc_record_free; kc_record_copy is a deep copy
 * (schemas shared by reference). Setters ending in _new take ownership of their argument.
 */
#ifndef KC_API_RECORD_H
#define KC_API_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"

#define KC_NO_PARTITION (-1)
#define KC_NO_TIMESTAMP INT64_MIN

typedef enum kc_timestamp_type {
    KC_TIMESTAMP_NONE = 0,      /* NO_TIMESTAMP_TYPE */
    KC_TIMESTAMP_CREATE_TIME,   /* CreateTime */
    KC_TIMESTAMP_LOG_APPEND_TIME
} kc_timestamp_type;

/* One header: a key and a value with an optional schema. */
typedef struct kc_header {
    char *key;
    const kc_schema *schema;    /* reference or NULL */
    kc_value *value;            /* NULL = null */
} kc_header;

/* Headers in order; keys may repeat (Kafka allows it). */
typedef struct kc_headers {
    kc_header *items;
    size_t count, cap;
} kc_headers;

typedef struct kc_record {
    char *topic;
    int32_t kafka_partition;        /* KC_NO_PARTITION when unset */
    const kc_schema *key_schema;    /* reference or NULL */
    kc_value *key;                  /* NULL = null */
    const kc_schema *value_schema;
    kc_value *value;
    int64_t timestamp;              /* epoch ms, KC_NO_TIMESTAMP when unset */
    kc_timestamp_type timestamp_type;
    kc_headers headers;

    /* source records: where in the source system this record came from (schemaless maps with
     * string keys and primitive values; NULL when not given) */
    kc_value *source_partition;
    kc_value *source_offset;

    /* sink records: the Kafka coordinates the record was consumed at */
    int64_t kafka_offset;           /* -1 for source records */
    char *original_topic;           /* before transformations; NULL = topic */
    int32_t original_partition;
    int64_t original_offset;
} kc_record;

/* A record with topic (copied) and every other field unset. NULL when out of memory. */
kc_record *kc_record_new(const char *topic);
void kc_record_free(kc_record *r);
kc_record *kc_record_copy(const kc_record *r);

/* Replace a field (the previous one is released). 0, or -1 when out of memory. */
int kc_record_set_topic(kc_record *r, const char *topic);
void kc_record_set_key_new(kc_record *r, const kc_schema *schema, kc_value *key);     /* takes both */
void kc_record_set_value_new(kc_record *r, const kc_schema *schema, kc_value *value); /* takes both */

/* Headers: add (copies key; takes schema reference and value), find the last header with key
 * (Java's lastWithName), remove every header with key. */
int kc_headers_add_new(kc_headers *h, const char *key, const kc_schema *schema, kc_value *value);
const kc_header *kc_headers_last(const kc_headers *h, const char *key);
size_t kc_headers_remove(kc_headers *h, const char *key);
void kc_headers_clear(kc_headers *h);
int kc_headers_copy(kc_headers *dst, const kc_headers *src);

#endif
