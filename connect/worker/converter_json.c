/*
 * org.apache.kafka.connect.json.JsonConverter.
 *
 * Settings (JsonConverterConfig): schemas.enable (default true: the {"schema":...,"payload":...}
 * envelope), schemas.cache.size (default 1000; accepted and validated - kconnect writes the schema
 * JSON per record and keeps no cache, which only Java's speed depends on), decimal.format
 * (BASE64 | NUMERIC, case-insensitive), replace.null.with.default (default true).
 * Bytes written are Jackson's (json_writer.h); the schema JSON follows asJsonSchema's field order:
 * type, items | keys, values | fields, optional, name, version, doc, parameters, default (and
 * "field" last inside a struct's field schemas).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/worker/converters.h"
#include "connect/worker/json_reader.h"
#include "connect/worker/json_writer.h"

typedef struct json_conv {
    bool schemas_enable;
    int cache_size;
    bool numeric_decimals;
    bool replace_null_with_default;
} json_conv;

static void *json_create(const kc_props *config, kc_converter_type type, kc_error *err)
{
    (void)type;
    json_conv *jc = calloc(1, sizeof *jc);
    if (!jc) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating JsonConverter");
        return NULL;
    }
    if (kc_converter_config_bool(config, "schemas.enable", true, &jc->schemas_enable, err) != 0 ||
        kc_converter_config_int(config, "schemas.cache.size", 1000, &jc->cache_size, err) != 0 ||
        kc_converter_config_bool(config, "replace.null.with.default", true,
                                 &jc->replace_null_with_default, err) != 0)
        goto fail;
    const char *fmt = config ? kc_props_get(config, "decimal.format") : NULL;
    if (fmt) {
        char buf[32];
        size_t n = strlen(fmt), s = 0;
        while (s < n && (fmt[s] == ' ' || fmt[s] == '\t'))
            s++;
        while (n > s && (fmt[n - 1] == ' ' || fmt[n - 1] == '\t'))
            n--;
        snprintf(buf, sizeof buf, "%.*s", (int)(n - s), fmt + s);
        if (n - s < sizeof buf && strcasecmp(buf, "NUMERIC") == 0) {
            jc->numeric_decimals = true;
        } else if (!(n - s < sizeof buf && strcasecmp(buf, "BASE64") == 0)) {
            kc_error_set(err, KC_ERR_INVALID,
                         "Invalid value %s for configuration decimal.format: String must be one of "
                         "(case insensitive): NUMERIC, BASE64",
                         fmt);
            goto fail;
        }
    }
    return jc;
fail:
    free(jc);
    return NULL;
}

static void json_destroy(void *state) { free(state); }

/* ---- Connect -> JSON ------------------------------------------------------------------------ */

/* Conversion context: errors of the conversion itself (Java's DataException) are told apart from
 * serialization errors (the writer's limits), which Java wraps in another message. */
typedef struct to_json {
    const json_conv *jc;
    kc_json_writer *w;
    bool conversion_error;
} to_json;

static int conv_fail(to_json *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int conv_fail(to_json *t, const char *fmt, ...)
{
    if (t->w->failed)
        return -1;
    char msg[KC_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    t->conversion_error = true;
    return kc_json_writer_fail(t->w, KC_ERR_INVALID, "%s", msg);
}

static const char *json_type_name(kc_schema_type type)
{
    static const char *const names[] = {"int8",   "int16",   "int32",  "int64",
                                        "float",  "double",  "boolean", "string",
                                        "bytes",  "array",   "map",    "struct"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}

static kc_value_type value_type_for(kc_schema_type type)
{
    switch (type) {
    case KC_SCHEMA_INT8: return KC_VALUE_INT8;
    case KC_SCHEMA_INT16: return KC_VALUE_INT16;
    case KC_SCHEMA_INT32: return KC_VALUE_INT32;
    case KC_SCHEMA_INT64: return KC_VALUE_INT64;
    case KC_SCHEMA_FLOAT32: return KC_VALUE_FLOAT32;
    case KC_SCHEMA_FLOAT64: return KC_VALUE_FLOAT64;
    case KC_SCHEMA_BOOLEAN: return KC_VALUE_BOOLEAN;
    case KC_SCHEMA_STRING: return KC_VALUE_STRING;
    case KC_SCHEMA_BYTES: return KC_VALUE_BYTES;
    case KC_SCHEMA_ARRAY: return KC_VALUE_ARRAY;
    case KC_SCHEMA_MAP: return KC_VALUE_MAP;
    case KC_SCHEMA_STRUCT: return KC_VALUE_STRUCT;
    }
    return KC_VALUE_NULL;
}

/* ConnectSchema.schemaType(value.getClass()) for schemaless values. */
static bool schemaless_type(kc_value_type vt, kc_schema_type *out)
{
    static const kc_schema_type map[] = {
        [KC_VALUE_INT8] = KC_SCHEMA_INT8,       [KC_VALUE_INT16] = KC_SCHEMA_INT16,
        [KC_VALUE_INT32] = KC_SCHEMA_INT32,     [KC_VALUE_INT64] = KC_SCHEMA_INT64,
        [KC_VALUE_FLOAT32] = KC_SCHEMA_FLOAT32, [KC_VALUE_FLOAT64] = KC_SCHEMA_FLOAT64,
        [KC_VALUE_BOOLEAN] = KC_SCHEMA_BOOLEAN, [KC_VALUE_STRING] = KC_SCHEMA_STRING,
        [KC_VALUE_BYTES] = KC_SCHEMA_BYTES,     [KC_VALUE_ARRAY] = KC_SCHEMA_ARRAY,
        [KC_VALUE_MAP] = KC_SCHEMA_MAP,         [KC_VALUE_STRUCT] = KC_SCHEMA_STRUCT,
    };
    if (vt == KC_VALUE_NULL || vt == KC_VALUE_DECIMAL || vt == KC_VALUE_TIMESTAMP)
        return false;
    *out = map[vt];
    return true;
}

static bool has_name(const kc_schema *s, const char *name)
{
    const char *n = kc_schema_get_name(s);
    return n && strcmp(n, name) == 0;
}

static int write_value(to_json *t, const kc_schema *schema, const kc_value *value);

/* The JsonConverter's logical type conversions (decimal, date, time, timestamp). Returns 1 when
 * schema is not a logical type, 0 when written, -1 on error. */
static int write_logical(to_json *t, const kc_schema *schema, const kc_value *value)
{
    kc_error e;
    const char *cls = kc_value_type_java_class(kc_value_get_type(value));
    if (has_name(schema, KC_DECIMAL_LOGICAL_NAME)) {
        if (kc_value_get_type(value) != KC_VALUE_DECIMAL)
            return conv_fail(t, "Invalid type for Decimal, expected BigDecimal but was %s", cls);
        if (t->jc->numeric_decimals) {
            char *text = kc_value_decimal_to_string(value);
            if (!text)
                return kc_json_writer_fail(t->w, KC_ERR_INTERNAL, "out of memory writing a decimal");
            int rc = kc_json_write_raw(t->w, text, strlen(text));
            free(text);
            return rc;
        }
        const uint8_t *bytes;
        size_t len;
        if (kc_decimal_from_logical(schema, value, &bytes, &len, &e) != 0)
            return conv_fail(t, "%s", e.msg);
        return kc_json_write_base64(t->w, bytes, len);
    }
    if (has_name(schema, KC_DATE_LOGICAL_NAME) || has_name(schema, KC_TIME_LOGICAL_NAME) ||
        has_name(schema, KC_TIMESTAMP_LOGICAL_NAME)) {
        int kind = has_name(schema, KC_DATE_LOGICAL_NAME) ? 0 : has_name(schema, KC_TIME_LOGICAL_NAME) ? 1 : 2;
        static const char *const what[] = {"Date", "Time", "Timestamp"};
        if (kc_value_get_type(value) != KC_VALUE_TIMESTAMP)
            return conv_fail(t, "Invalid type for %s, expected Date but was %s", what[kind], cls);
        int32_t i32 = 0;
        int64_t i64 = 0;
        int rc;
        if (kind == 0)
            rc = kc_date_from_logical(schema, value, &i32, &e);
        else if (kind == 1)
            rc = kc_time_from_logical(schema, value, &i32, &e);
        else
            rc = kc_timestamp_from_logical(schema, value, &i64, &e);
        if (kind != 2)
            i64 = i32;
        if (rc != 0)
            return conv_fail(t, "%s", e.msg);
        return kc_json_write_int64(t->w, i64);
    }
    return 1;
}

/* A map key in object mode: convertToJson(keySchema, key).asText(). */
static int write_object_key(to_json *t, const kc_schema *key_schema, const kc_value *key)
{
    if (kc_value_is_null(key)) {
        const kc_value *def = key_schema ? kc_schema_get_default(key_schema) : NULL;
        if (key_schema && def && t->jc->replace_null_with_default)
            return write_object_key(t, key_schema, def);
        if (!key_schema || kc_schema_is_optional(key_schema))
            return kc_json_write_key(t->w, "null", 4);
        return conv_fail(t, "Conversion error: null value for field that is required and has no "
                            "default value");
    }
    size_t len;
    const char *s = kc_value_get_string(key, &len);
    if (!s)
        return conv_fail(t, "Invalid type for STRING: %s",
                         kc_value_type_java_class(kc_value_get_type(key)));
    return kc_json_write_key(t->w, s, len);
}

static int write_value(to_json *t, const kc_schema *schema, const kc_value *value)
{
    kc_json_writer *w = t->w;
    if (kc_value_is_null(value)) {
        if (!schema)
            return kc_json_write_null(w);
        const kc_value *def = kc_schema_get_default(schema);
        if (def && t->jc->replace_null_with_default)
            return write_value(t, schema, def);
        if (kc_schema_is_optional(schema))
            return kc_json_write_null(w);
        return conv_fail(t, "Conversion error: null value for field that is required and has no "
                            "default value");
    }
    if (schema && kc_schema_get_name(schema)) {
        int rc = write_logical(t, schema, value);
        if (rc <= 0)
            return rc;
    }
    kc_value_type vt = kc_value_get_type(value);
    kc_schema_type type;
    if (schema) {
        type = kc_schema_get_type(schema);
        if (vt != value_type_for(type)) {
            if (type == KC_SCHEMA_BYTES)
                return conv_fail(t, "Invalid type for bytes type: %s", kc_value_type_java_class(vt));
            return conv_fail(t, "Invalid type for %s: %s", kc_schema_type_name(type),
                             kc_value_type_java_class(vt));
        }
    } else if (!schemaless_type(vt, &type)) {
        return conv_fail(t, "Java class %s does not have corresponding schema type.",
                         kc_value_type_java_class(vt));
    }
    switch (type) {
    case KC_SCHEMA_INT8: return kc_json_write_int64(w, kc_value_get_int8(value));
    case KC_SCHEMA_INT16: return kc_json_write_int64(w, kc_value_get_int16(value));
    case KC_SCHEMA_INT32: return kc_json_write_int64(w, kc_value_get_int32(value));
    case KC_SCHEMA_INT64: return kc_json_write_int64(w, kc_value_get_int64(value));
    case KC_SCHEMA_FLOAT32: return kc_json_write_float(w, kc_value_get_float32(value));
    case KC_SCHEMA_FLOAT64: return kc_json_write_double(w, kc_value_get_float64(value));
    case KC_SCHEMA_BOOLEAN: return kc_json_write_bool(w, kc_value_get_boolean(value));
    case KC_SCHEMA_STRING: {
        size_t len;
        const char *s = kc_value_get_string(value, &len);
        return kc_json_write_string(w, s, len);
    }
    case KC_SCHEMA_BYTES: {
        size_t len;
        const uint8_t *b = kc_value_get_bytes(value, &len);
        return kc_json_write_base64(w, b, len);
    }
    case KC_SCHEMA_ARRAY: {
        const kc_schema *vs = schema ? kc_schema_value_schema(schema) : NULL;
        if (kc_json_begin_array(w) != 0)
            return -1;
        for (size_t i = 0; i < kc_value_array_size(value); i++)
            if (write_value(t, vs, kc_value_array_get(value, i)) != 0)
                return -1;
        return kc_json_end_array(w);
    }
    case KC_SCHEMA_MAP: {
        const kc_schema *ks = schema ? kc_schema_key_schema(schema) : NULL;
        const kc_schema *vs = schema ? kc_schema_value_schema(schema) : NULL;
        size_t n = kc_value_map_size(value);
        bool object_mode = true;
        if (schema) {
            if (!ks)
                return conv_fail(t, "Map schema has no key schema");
            object_mode = kc_schema_get_type(ks) == KC_SCHEMA_STRING;
        } else {
            for (size_t i = 0; i < n && object_mode; i++)
                object_mode = kc_value_get_type(kc_value_map_key_at(value, i)) == KC_VALUE_STRING;
        }
        if ((object_mode ? kc_json_begin_object(w) : kc_json_begin_array(w)) != 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            const kc_value *k = kc_value_map_key_at(value, i), *v = kc_value_map_value_at(value, i);
            if (object_mode) {
                if (write_object_key(t, ks, k) != 0 || write_value(t, vs, v) != 0)
                    return -1;
            } else if (kc_json_begin_array(w) != 0 || write_value(t, ks, k) != 0 ||
                       write_value(t, vs, v) != 0 || kc_json_end_array(w) != 0) {
                return -1;
            }
        }
        return object_mode ? kc_json_end_object(w) : kc_json_end_array(w);
    }
    case KC_SCHEMA_STRUCT: {
        const kc_schema *ss = kc_value_struct_schema(value);
        if (!schema || !kc_schema_equals(ss, schema))
            return conv_fail(t, "Mismatching schema.");
        if (kc_json_begin_object(w) != 0)
            return -1;
        for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
            const kc_field *f = kc_schema_field_at(schema, i);
            const char *name = kc_field_name(f);
            if (kc_json_write_key(w, name, strlen(name)) != 0 ||
                write_value(t, kc_field_schema(f), kc_value_struct_get_at(value, i)) != 0)
                return -1;
        }
        return kc_json_end_object(w);
    }
    }
    return conv_fail(t, "Couldn't convert value to JSON.");
}

/* JsonConverter.asJsonSchema; field_name adds the "field" member of a struct field's schema. */
static int write_schema(to_json *t, const kc_schema *s, const char *field_name)
{
    kc_json_writer *w = t->w;
    if (!s)
        return kc_json_write_null(w);
    kc_schema_type type = kc_schema_get_type(s);
    const char *tn = json_type_name(type);
    if (kc_json_begin_object(w) != 0 || kc_json_write_key(w, "type", 4) != 0 ||
        kc_json_write_string(w, tn, strlen(tn)) != 0)
        return -1;
    switch (type) {
    case KC_SCHEMA_ARRAY:
        if (kc_json_write_key(w, "items", 5) != 0 || write_schema(t, kc_schema_value_schema(s), NULL) != 0)
            return -1;
        break;
    case KC_SCHEMA_MAP:
        if (kc_json_write_key(w, "keys", 4) != 0 || write_schema(t, kc_schema_key_schema(s), NULL) != 0 ||
            kc_json_write_key(w, "values", 6) != 0 || write_schema(t, kc_schema_value_schema(s), NULL) != 0)
            return -1;
        break;
    case KC_SCHEMA_STRUCT:
        if (kc_json_write_key(w, "fields", 6) != 0 || kc_json_begin_array(w) != 0)
            return -1;
        for (size_t i = 0; i < kc_schema_field_count(s); i++) {
            const kc_field *f = kc_schema_field_at(s, i);
            if (write_schema(t, kc_field_schema(f), kc_field_name(f)) != 0)
                return -1;
        }
        if (kc_json_end_array(w) != 0)
            return -1;
        break;
    default: break;
    }
    if (kc_json_write_key(w, "optional", 8) != 0 || kc_json_write_bool(w, kc_schema_is_optional(s)) != 0)
        return -1;
    const char *name = kc_schema_get_name(s), *doc = kc_schema_get_doc(s);
    int32_t version;
    if (name && (kc_json_write_key(w, "name", 4) != 0 || kc_json_write_string(w, name, strlen(name)) != 0))
        return -1;
    if (kc_schema_get_version(s, &version) &&
        (kc_json_write_key(w, "version", 7) != 0 || kc_json_write_int64(w, version) != 0))
        return -1;
    if (doc && (kc_json_write_key(w, "doc", 3) != 0 || kc_json_write_string(w, doc, strlen(doc)) != 0))
        return -1;
    size_t np = kc_schema_parameter_count(s);
    if (np) {
        if (kc_json_write_key(w, "parameters", 10) != 0 || kc_json_begin_object(w) != 0)
            return -1;
        for (size_t i = 0; i < np; i++) {
            const char *k = kc_schema_parameter_key_at(s, i), *v = kc_schema_parameter_value_at(s, i);
            if (kc_json_write_key(w, k, strlen(k)) != 0 || kc_json_write_string(w, v, strlen(v)) != 0)
                return -1;
        }
        if (kc_json_end_object(w) != 0)
            return -1;
    }
    const kc_value *def = kc_schema_get_default(s);
    if (def && (kc_json_write_key(w, "default", 7) != 0 || write_value(t, s, def) != 0))
        return -1;
    if (field_name && (kc_json_write_key(w, "field", 5) != 0 ||
                       kc_json_write_string(w, field_name, strlen(field_name)) != 0))
        return -1;
    return kc_json_end_object(w);
}

static int json_from_connect(void *state, const char *topic, const kc_schema *schema,
                             const kc_value *value, void **out, size_t *out_len, kc_error *err)
{
    (void)topic;
    const json_conv *jc = state;
    *out = NULL;
    *out_len = 0;
    if (!schema && kc_value_is_null(value))
        return 0; /* a tombstone */
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    to_json t = {.jc = jc, .w = &w};
    if (jc->schemas_enable) {
        if (kc_json_begin_object(&w) == 0 && kc_json_write_key(&w, "schema", 6) == 0 &&
            write_schema(&t, schema, NULL) == 0 && kc_json_write_key(&w, "payload", 7) == 0 &&
            write_value(&t, schema, value) == 0)
            kc_json_end_object(&w);
    } else {
        write_value(&t, schema, value);
    }
    kc_error e;
    size_t len;
    char *bytes = kc_json_writer_take(&w, &len, &e);
    if (!bytes) {
        if (err)
            *err = e;
        if (!t.conversion_error && e.code != KC_ERR_INTERNAL)
            kc_error_prefix(err, "Converting Kafka Connect data to byte[] failed due to "
                                 "serialization error");
        return -1;
    }
    *out = bytes;
    *out_len = len;
    return 0;
}

/* ---- JSON -> Connect ------------------------------------------------------------------------ */

static int to_value(const json_conv *jc, const kc_schema *schema, const kc_json_node *node,
                    kc_value **out, kc_error *err);

static bool is_null_node(const kc_json_node *n) { return !n || n->type == KC_JSON_NULL; }

static int decode_base64_node(const kc_json_node *n, uint8_t **bytes, size_t *len, kc_error *err)
{
    return kc_base64_decode(n->text, n->text_len, bytes, len, err);
}

/* The logical converters' toConnect. Returns 1 when schema is not logical. */
static int logical_to_value(const kc_schema *schema, const kc_json_node *node, kc_value **out,
                            kc_error *err)
{
    kc_error e;
    if (has_name(schema, KC_DECIMAL_LOGICAL_NAME)) {
        if (node->type == KC_JSON_INT || node->type == KC_JSON_DECIMAL) {
            *out = kc_json_node_decimal_value(node);
            return *out ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory reading a decimal");
        }
        if (node->type == KC_JSON_STRING) {
            uint8_t *bytes;
            size_t len;
            if (decode_base64_node(node, &bytes, &len, &e) != 0)
                return kc_error_set(err, KC_ERR_INVALID, "Invalid bytes for Decimal field: %s", e.msg);
            *out = kc_decimal_to_logical(schema, bytes, len, &e);
            free(bytes);
            if (!*out)
                return kc_error_set(err, e.code, "Invalid bytes for Decimal field: %s", e.msg);
            return 0;
        }
        return kc_error_set(err, KC_ERR_INVALID,
                            "Invalid type for Decimal, underlying representation should be numeric "
                            "or bytes but was %s",
                            kc_json_node_type_name(node));
    }
    if (has_name(schema, KC_DATE_LOGICAL_NAME) || has_name(schema, KC_TIME_LOGICAL_NAME)) {
        bool date = has_name(schema, KC_DATE_LOGICAL_NAME);
        if (node->type != KC_JSON_INT || !node->is_int)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid type for %s, underlying representation should be integer "
                                "but was %s",
                                date ? "Date" : "Time", kc_json_node_type_name(node));
        int32_t v = kc_json_node_int_value(node);
        *out = date ? kc_date_to_logical(schema, v, err) : kc_time_to_logical(schema, v, err);
        return *out ? 0 : -1;
    }
    if (has_name(schema, KC_TIMESTAMP_LOGICAL_NAME)) {
        if (node->type != KC_JSON_INT)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid type for Timestamp, underlying representation should be "
                                "integral but was %s",
                                kc_json_node_type_name(node));
        *out = kc_timestamp_to_logical(schema, node->as_long, err);
        return *out ? 0 : -1;
    }
    return 1;
}

static int map_to_value(const json_conv *jc, const kc_schema *schema, const kc_json_node *node,
                        kc_value **out, kc_error *err)
{
    const kc_schema *ks = schema ? kc_schema_key_schema(schema) : NULL;
    const kc_schema *vs = schema ? kc_schema_value_schema(schema) : NULL;
    kc_value *map = kc_value_map_new();
    if (!map)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory reading a map");
    if (!schema || (ks && kc_schema_get_type(ks) == KC_SCHEMA_STRING)) {
        if (node->type != KC_JSON_OBJECT) {
            kc_value_free(map);
            return kc_error_set(err, KC_ERR_INVALID,
                                "Maps with string fields should be encoded as JSON objects, but "
                                "found %s",
                                kc_json_node_type_name(node));
        }
        for (size_t i = 0; i < node->count; i++) {
            kc_value *v;
            if (to_value(jc, vs, node->items[i], &v, err) != 0)
                goto fail;
            kc_value *k = kc_value_string_len(node->keys[i], node->key_lens[i]);
            if (!k) {
                kc_value_free(v);
                goto oom;
            }
            if (kc_value_map_put_new(map, k, v) != 0)
                goto oom;
        }
    } else {
        if (node->type != KC_JSON_ARRAY) {
            kc_value_free(map);
            return kc_error_set(err, KC_ERR_INVALID,
                                "Maps with non-string fields should be encoded as JSON array of "
                                "tuples, but found %s",
                                kc_json_node_type_name(node));
        }
        for (size_t i = 0; i < node->count; i++) {
            const kc_json_node *e = node->items[i];
            if (e->type != KC_JSON_ARRAY) {
                kc_error_set(err, KC_ERR_INVALID,
                             "Found invalid map entry instead of array tuple: %s",
                             kc_json_node_type_name(e));
                goto fail;
            }
            if (e->count != 2) {
                kc_error_set(err, KC_ERR_INVALID,
                             "Found invalid map entry, expected length 2 but found :%zu", e->count);
                goto fail;
            }
            kc_value *k, *v;
            if (to_value(jc, ks, e->items[0], &k, err) != 0)
                goto fail;
            if (to_value(jc, vs, e->items[1], &v, err) != 0) {
                kc_value_free(k);
                goto fail;
            }
            if (kc_value_map_put_new(map, k, v) != 0)
                goto oom;
        }
    }
    /* Java collects the entries in a new HashMap: iterate in its order. Keys without a
     * reproducible Java hash (bytes, structs) keep the JSON order. */
    kc_value_map_to_java_hashmap_order(map);
    *out = map;
    return 0;
oom:
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory reading a map");
fail:
    kc_value_free(map);
    return -1;
}

static int to_value(const json_conv *jc, const kc_schema *schema, const kc_json_node *node,
                    kc_value **out, kc_error *err)
{
    *out = NULL;
    kc_schema_type type;
    if (schema) {
        type = kc_schema_get_type(schema);
        if (is_null_node(node)) {
            const kc_value *def = kc_schema_get_default(schema);
            if (def && jc->replace_null_with_default) {
                *out = kc_value_copy(def);
                return *out ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            }
            if (kc_schema_is_optional(schema))
                return 0;
            return kc_error_set(err, KC_ERR_INVALID, "Invalid null value for required %s field",
                                kc_schema_type_name(type));
        }
        if (kc_schema_get_name(schema)) {
            int rc = logical_to_value(schema, node, out, err);
            if (rc <= 0)
                return rc;
        }
    } else {
        if (is_null_node(node))
            return 0;
        switch (node->type) {
        case KC_JSON_BOOL: type = KC_SCHEMA_BOOLEAN; break;
        case KC_JSON_INT: type = KC_SCHEMA_INT64; break;
        case KC_JSON_DECIMAL: type = KC_SCHEMA_FLOAT64; break;
        case KC_JSON_ARRAY: type = KC_SCHEMA_ARRAY; break;
        case KC_JSON_OBJECT: type = KC_SCHEMA_MAP; break;
        default: type = KC_SCHEMA_STRING; break;
        }
    }
    kc_value *v = NULL;
    bool number = node->type == KC_JSON_INT || node->type == KC_JSON_DECIMAL;
    switch (type) {
    case KC_SCHEMA_BOOLEAN: v = kc_value_boolean(node->type == KC_JSON_BOOL && node->boolean); break;
    case KC_SCHEMA_INT8: v = kc_value_int8((int8_t)kc_json_node_int_value(node)); break;
    case KC_SCHEMA_INT16: v = kc_value_int16((int16_t)kc_json_node_int_value(node)); break;
    case KC_SCHEMA_INT32: v = kc_value_int32(kc_json_node_int_value(node)); break;
    case KC_SCHEMA_INT64: v = kc_value_int64(number ? node->as_long : 0); break;
    case KC_SCHEMA_FLOAT32: v = kc_value_float32(kc_json_node_float_value(node)); break;
    case KC_SCHEMA_FLOAT64: v = kc_value_float64(number ? node->as_double : 0.0); break;
    case KC_SCHEMA_STRING:
        if (node->type != KC_JSON_STRING)
            return 0; /* textValue() of a non-text node is null */
        v = kc_value_string_len(node->text, node->text_len);
        break;
    case KC_SCHEMA_BYTES: {
        if (node->type != KC_JSON_STRING)
            return 0; /* binaryValue() of a non-text node is null */
        uint8_t *bytes;
        size_t len;
        kc_error e;
        if (decode_base64_node(node, &bytes, &len, &e) != 0)
            return kc_error_set(err, e.code, "Invalid bytes field: %s", e.msg);
        v = kc_value_bytes(bytes, len);
        free(bytes);
        break;
    }
    case KC_SCHEMA_ARRAY: {
        const kc_schema *es = schema ? kc_schema_value_schema(schema) : NULL;
        v = kc_value_array_new();
        /* Iterating a JsonNode: an array's elements, an object's values, nothing otherwise. */
        size_t n = node->type == KC_JSON_ARRAY || node->type == KC_JSON_OBJECT ? node->count : 0;
        for (size_t i = 0; v && i < n; i++) {
            kc_value *item;
            if (to_value(jc, es, node->items[i], &item, err) != 0) {
                kc_value_free(v);
                return -1;
            }
            if (kc_value_array_append_new(v, item) != 0) {
                kc_value_free(v);
                v = NULL;
            }
        }
        break;
    }
    case KC_SCHEMA_MAP: return map_to_value(jc, schema, node, out, err);
    case KC_SCHEMA_STRUCT: {
        if (node->type != KC_JSON_OBJECT)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Structs should be encoded as JSON objects, but found %s",
                                kc_json_node_type_name(node));
        v = kc_value_struct_new(schema, err);
        if (!v)
            return -1;
        for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
            const kc_field *f = kc_schema_field_at(schema, i);
            kc_value *fv;
            if (to_value(jc, kc_field_schema(f), kc_json_object_get(node, kc_field_name(f)), &fv,
                         err) != 0 ||
                kc_value_struct_put_at_new(v, i, fv, err) != 0) {
                kc_value_free(v);
                return -1;
            }
        }
        break;
    }
    }
    if (!v)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory reading JSON");
    *out = v;
    return 0;
}

/* JsonConverter.asConnectSchema: a new reference, NULL for a JSON null schema (ok = 0). */
static int to_schema(const json_conv *jc, const kc_json_node *node, const kc_schema **out,
                     kc_error *err)
{
    *out = NULL;
    if (is_null_node(node))
        return 0;
    const kc_json_node *type = kc_json_object_get(node, "type");
    if (!type || type->type != KC_JSON_STRING)
        return kc_error_set(err, KC_ERR_INVALID, "Schema must contain 'type' field");
    static const struct {
        const char *name;
        kc_schema_type type;
    } primitives[] = {
        {"boolean", KC_SCHEMA_BOOLEAN}, {"int8", KC_SCHEMA_INT8},     {"int16", KC_SCHEMA_INT16},
        {"int32", KC_SCHEMA_INT32},     {"int64", KC_SCHEMA_INT64},   {"float", KC_SCHEMA_FLOAT32},
        {"double", KC_SCHEMA_FLOAT64},  {"bytes", KC_SCHEMA_BYTES},   {"string", KC_SCHEMA_STRING},
    };
    kc_schema_builder *b = NULL;
    const char *tn = type->text;
    bool known = false;
    for (size_t i = 0; i < sizeof primitives / sizeof primitives[0]; i++) {
        if (strlen(primitives[i].name) == type->text_len && strcmp(tn, primitives[i].name) == 0) {
            b = kc_schema_builder_new(primitives[i].type);
            known = true;
        }
    }
    if (!known && strcmp(tn, "array") == 0 && type->text_len == 5) {
        const kc_json_node *items = kc_json_object_get(node, "items");
        if (is_null_node(items))
            return kc_error_set(err, KC_ERR_INVALID, "Array schema did not specify the element type");
        const kc_schema *es;
        if (to_schema(jc, items, &es, err) != 0)
            return -1;
        b = kc_schema_builder_array(es);
        kc_schema_unref(es);
        known = true;
    } else if (!known && strcmp(tn, "map") == 0 && type->text_len == 3) {
        const kc_json_node *keys = kc_json_object_get(node, "keys");
        if (!keys)
            return kc_error_set(err, KC_ERR_INVALID, "Map schema did not specify the key type");
        const kc_json_node *values = kc_json_object_get(node, "values");
        if (!values)
            return kc_error_set(err, KC_ERR_INVALID, "Map schema did not specify the value type");
        const kc_schema *ks, *vs;
        if (to_schema(jc, keys, &ks, err) != 0)
            return -1;
        if (to_schema(jc, values, &vs, err) != 0) {
            kc_schema_unref(ks);
            return -1;
        }
        b = kc_schema_builder_map(ks, vs);
        kc_schema_unref(ks);
        kc_schema_unref(vs);
        known = true;
    } else if (!known && strcmp(tn, "struct") == 0 && type->text_len == 6) {
        b = kc_schema_builder_struct();
        known = true;
        const kc_json_node *fields = kc_json_object_get(node, "fields");
        if (!fields || fields->type != KC_JSON_ARRAY) {
            kc_schema_builder_free(b);
            return kc_error_set(err, KC_ERR_INVALID,
                                "Struct schema's \"fields\" argument is not an array.");
        }
        for (size_t i = 0; i < fields->count; i++) {
            const kc_json_node *fname = kc_json_object_get(fields->items[i], "field");
            if (!fname || fname->type != KC_JSON_STRING) {
                kc_schema_builder_free(b);
                return kc_error_set(err, KC_ERR_INVALID,
                                    "Struct schema's field name not specified properly");
            }
            const kc_schema *fs;
            if (to_schema(jc, fields->items[i], &fs, err) != 0) {
                kc_schema_builder_free(b);
                return -1;
            }
            kc_schema_builder_field(b, fname->text, fs);
            kc_schema_unref(fs);
        }
    }
    if (!known)
        return kc_error_set(err, KC_ERR_INVALID, "Unknown schema type: %s", tn);

    const kc_json_node *n = kc_json_object_get(node, "optional");
    if (n && n->type == KC_JSON_BOOL && n->boolean)
        kc_schema_builder_optional(b);
    else
        kc_schema_builder_required(b);
    if ((n = kc_json_object_get(node, "name")) && n->type == KC_JSON_STRING)
        kc_schema_builder_name(b, n->text);
    if ((n = kc_json_object_get(node, "version")) && n->type == KC_JSON_INT)
        kc_schema_builder_version(b, kc_json_node_int_value(n));
    if ((n = kc_json_object_get(node, "doc")) && n->type == KC_JSON_STRING)
        kc_schema_builder_doc(b, n->text);
    if ((n = kc_json_object_get(node, "parameters")) && n->type == KC_JSON_OBJECT) {
        for (size_t i = 0; i < n->count; i++) {
            if (n->items[i]->type != KC_JSON_STRING) {
                kc_schema_builder_free(b);
                return kc_error_set(err, KC_ERR_INVALID, "Schema parameters must have string values.");
            }
            kc_schema_builder_parameter(b, n->keys[i], n->items[i]->text);
        }
    }
    if ((n = kc_json_object_get(node, "default"))) {
        /* convertToConnect(builder, default): the schema as built so far. */
        const kc_schema *now = kc_schema_builder_snapshot(b, err);
        kc_value *def = NULL;
        int rc = now ? to_value(jc, now, n, &def, err) : -1;
        kc_schema_unref(now);
        if (rc != 0) {
            kc_schema_builder_free(b);
            return -1;
        }
        kc_schema_builder_default_new(b, def);
    }
    *out = kc_schema_builder_build(b, err);
    return *out ? 0 : -1;
}

static int json_to_connect(void *state, const char *topic, const void *data, size_t len,
                           kc_schema_and_value *out, kc_error *err)
{
    (void)topic;
    const json_conv *jc = state;
    out->schema = NULL;
    out->value = NULL;
    if (!data)
        return 0; /* a tombstone */
    kc_json_node *root;
    if (kc_json_parse(data, len, NULL, &root, err) != 0)
        return kc_error_prefix(err, "Converting byte[] to Kafka Connect data failed due to "
                                    "serialization error");
    const kc_json_node *schema_node = NULL, *payload = root;
    if (jc->schemas_enable) {
        if (!root || root->type != KC_JSON_OBJECT || root->count != 2 ||
            !kc_json_object_get(root, "schema") || !kc_json_object_get(root, "payload")) {
            kc_json_node_free(root);
            return kc_error_set(err, KC_ERR_INVALID,
                                "JsonConverter with schemas.enable requires \"schema\" and "
                                "\"payload\" fields and may not contain additional fields. If you "
                                "are trying to deserialize plain JSON data, set schemas.enable=false "
                                "in your converter configuration.");
        }
        schema_node = kc_json_object_get(root, "schema");
        payload = kc_json_object_get(root, "payload");
    }
    const kc_schema *schema;
    int rc = to_schema(jc, schema_node, &schema, err);
    kc_value *value = NULL;
    if (rc == 0 && to_value(jc, schema, payload, &value, err) != 0) {
        kc_schema_unref(schema);
        rc = -1;
    }
    kc_json_node_free(root);
    if (rc != 0)
        return -1;
    out->schema = schema;
    out->value = value;
    return 0;
}

/* JsonConverterConfig of Kafka 4.3.1 (ConverterConfig's converter.type first), as Java lists it. */
static const kc_config_key json_keys[] = {
    KC_CONFIG_KEY("converter.type", KC_CONFIG_STRING, .validator = KC_CONFIG_IN("key", "value", "header"),
                  .importance = KC_CONFIG_LOW, .documentation = "How this converter will be used."),
    KC_CONFIG_KEY("schemas.enable", KC_CONFIG_BOOLEAN, .default_value = "true", .importance = KC_CONFIG_HIGH,
                  .documentation = "Include schemas within each of the serialized values and keys.",
                  .group = "Schemas", .order_in_group = 0, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Enable Schemas"),
    KC_CONFIG_KEY("schemas.cache.size", KC_CONFIG_INT, .default_value = "1000", .importance = KC_CONFIG_HIGH,
                  .documentation = "The maximum number of schemas that can be cached in this converter instance.",
                  .group = "Schemas", .order_in_group = 1, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Schema Cache Size"),
    KC_CONFIG_KEY("schema.content", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_HIGH,
                  .documentation = "When set, this is used as the schema for all messages, and the schemas within each "
                                   "of the message will be ignored.Otherwise, the schema will be included in the "
                                   "content of each message. This configuration applies only 'schemas.enable' is true, "
                                   "and it exclusively affects the sink connector.",
                  .group = "Schemas", .order_in_group = 2, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Schema Content"),
    KC_CONFIG_KEY("decimal.format", KC_CONFIG_STRING, .default_value = "BASE64",
                  .validator = KC_CONFIG_IN_ANY_CASE("BASE64", "NUMERIC"), .importance = KC_CONFIG_LOW,
                  .documentation = "Controls which format this converter will serialize decimals in. This value is "
                                   "case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
                  .group = "Serialization", .order_in_group = 0, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Decimal Format"),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true", .importance = KC_CONFIG_LOW,
                  .documentation = "Whether to replace fields that have a default value and that are null to the "
                                   "default value. When set to true, the default value is used, otherwise null is used.",
                  .group = "Serialization", .order_in_group = 1, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Replace null with default"),
};

const kc_converter_ops kc_converter_json_ops = {
    .class_name = "org.apache.kafka.connect.json.JsonConverter",
    .config = json_keys,
    .config_count = sizeof json_keys / sizeof json_keys[0],
    .is_converter = true,
    .is_header_converter = true,
    .create = json_create,
    .destroy = json_destroy,
    .from_connect = json_from_connect,
    .to_connect = json_to_connect,
};
