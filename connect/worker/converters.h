/*
 * Converters: Kafka Connect's Converter and HeaderConverter (org.apache.kafka.connect.storage),
 * turning Connect data (schema + value) into record bytes and back.
 *
 * Registered implementations, by their Java class names:
 *   org.apache.kafka.connect.json.JsonConverter            Converter + HeaderConverter
 *   org.apache.kafka.connect.storage.StringConverter       Converter + HeaderConverter
 *   org.apache.kafka.connect.converters.ByteArrayConverter Converter + HeaderConverter
 *   org.apache.kafka.connect.storage.SimpleHeaderConverter HeaderConverter only
 * A name may also be given as Connect's plugin aliases accept it: the simple class name
 * ("JsonConverter") or that name without its "Converter" suffix ("Json").
 *
 * Ownership: kc_converter_new returns a converter the caller frees with kc_converter_free. The
 * config is read during kc_converter_new and not kept. Output bytes are malloc'd and belong to the
 * caller (free()); a NULL output means a Kafka null (tombstone). Output schema/value pairs belong
 * to the caller (kc_schema_and_value_clear). Input schemas and values are borrowed.
 * Threads: a converter instance is used by one task thread at a time; it keeps no per-record state
 * and there is no global mutable state, so separate instances run in parallel freely.
 * Errors: conversion failures carry Java's DataException text (KC_ERR_INVALID); configuration
 * errors Java's ConfigException text; KC_ERR_INTERNAL means out of memory.
 */
#ifndef KC_WORKER_CONVERTERS_H
#define KC_WORKER_CONVERTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "connect/api/data.h"
#include "connect/api/error.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"

/* ConverterType: what the instance converts (Java's converter.type). */
typedef enum kc_converter_type {
    KC_CONVERTER_KEY = 0,
    KC_CONVERTER_VALUE,
    KC_CONVERTER_HEADER
} kc_converter_type;

/* The vtable of one converter class. State is private to the implementation. Unset functions mean
 * "not implemented" (a header-only or data-only class); header functions default to the data ones
 * (as JsonConverter/StringConverter/ByteArrayConverter do in Java). */
typedef struct kc_converter_ops {
    const char *class_name;
    /* The class's ConfigDef (Converter.config()), for GET /connector-plugins/{p}/config. */
    const kc_config_key *config;
    size_t config_count;
    bool is_converter;        /* implements Converter (keys and values) */
    bool is_header_converter; /* implements HeaderConverter */
    /* New state configured from config, or NULL with err. */
    void *(*create)(const kc_props *config, kc_converter_type type, kc_error *err);
    void (*destroy)(void *state);
    int (*from_connect)(void *state, const char *topic, const kc_schema *schema,
                        const kc_value *value, void **out, size_t *out_len, kc_error *err);
    int (*to_connect)(void *state, const char *topic, const void *data, size_t len,
                      kc_schema_and_value *out, kc_error *err);
    int (*from_connect_header)(void *state, const char *topic, const char *header_key,
                               const kc_schema *schema, const kc_value *value, void **out,
                               size_t *out_len, kc_error *err);
    int (*to_connect_header)(void *state, const char *topic, const char *header_key,
                             const void *data, size_t len, kc_schema_and_value *out, kc_error *err);
} kc_converter_ops;

/* The implementations (static tables). */
extern const kc_converter_ops kc_converter_json_ops;
extern const kc_converter_ops kc_converter_string_ops;
extern const kc_converter_ops kc_converter_byte_array_ops;
extern const kc_converter_ops kc_converter_simple_header_ops;

/* The registered classes, in a fixed order; *count gets their number. Static table. */
const kc_converter_ops *const *kc_converter_registry(size_t *count);
/* The class registered under name (full class name or alias), NULL when unknown. */
const kc_converter_ops *kc_converter_find(const char *name);

typedef struct kc_converter kc_converter;

/* Creates and configures a converter of class name for type. config may be NULL (all defaults);
 * keys a class does not know are ignored, as Java does. Fails for an unknown class, for a
 * header-only class used for keys/values and vice versa, and for invalid settings. */
kc_converter *kc_converter_new(const char *name, const kc_props *config, kc_converter_type type,
                               kc_error *err);
void kc_converter_free(kc_converter *c);
/* The Java class name of c. Static string. */
const char *kc_converter_class_name(const kc_converter *c);
kc_converter_type kc_converter_get_type(const kc_converter *c);

/* Converter.fromConnectData: *out gets new bytes (free()) or NULL for a Kafka null. schema and
 * value may be NULL (no schema / null). topic may be NULL. */
int kc_converter_from_connect(kc_converter *c, const char *topic, const kc_schema *schema,
                              const kc_value *value, void **out, size_t *out_len, kc_error *err);
/* Converter.toConnectData: data NULL is a Kafka null. *out gets a new schema and value. */
int kc_converter_to_connect(kc_converter *c, const char *topic, const void *data, size_t len,
                            kc_schema_and_value *out, kc_error *err);
/* HeaderConverter.fromConnectHeader / toConnectHeader, the same contracts plus the header key. */
int kc_converter_from_connect_header(kc_converter *c, const char *topic, const char *header_key,
                                     const kc_schema *schema, const kc_value *value, void **out,
                                     size_t *out_len, kc_error *err);
int kc_converter_to_connect_header(kc_converter *c, const char *topic, const char *header_key,
                                   const void *data, size_t len, kc_schema_and_value *out,
                                   kc_error *err);

/* ---- Helpers shared by the implementations ------------------------------------------------- */

/* Java ConfigDef parsing of a BOOLEAN / INT setting (trimmed, case-insensitive booleans), with
 * Java's "Invalid value X for configuration K: ..." messages. An absent key gives def. */
int kc_converter_config_bool(const kc_props *config, const char *key, bool def, bool *out,
                             kc_error *err);
int kc_converter_config_int(const kc_props *config, const char *key, int def, int *out,
                            kc_error *err);

/* new String(bytes, UTF_8): a copy of data in which every malformed UTF-8 sequence is replaced by
 * U+FFFD the way Java's decoder does (maximal subparts). New buffer (free()), NUL-terminated. */
char *kc_utf8_decode_lenient(const void *data, size_t len, size_t *out_len);

/* String.getBytes(UTF_8) of a kconnect string: a copy of s in which an encoded lone surrogate (the
 * JSON reader keeps an unpaired \uD800 escape as its 3-byte form) becomes '?', as Java's encoder
 * replaces it. New buffer (free()), NUL-terminated; NULL when out of memory. */
char *kc_utf8_encode_java(const char *s, size_t len, size_t *out_len);

#endif
