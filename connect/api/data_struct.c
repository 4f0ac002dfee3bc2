/* Structs (Java's Struct), value validation (ConnectSchema.validateValue) and the logical types
 * Decimal, Date, Time and Timestamp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data_internal.h"

/* ---- Structs -------------------------------------------------------------------------------- */

const kc_schema *kc_value_struct_schema(const kc_value *st)
{
    return st && st->type == KC_VALUE_STRUCT ? st->u.st.schema : NULL;
}

static const kc_field *struct_field(const kc_value *st, const char *name, kc_error *err)
{
    if (!st || st->type != KC_VALUE_STRUCT) {
        kc_error_set(err, KC_ERR_INVALID, "not a struct value");
        return NULL;
    }
    const kc_field *f = kc_schema_field(st->u.st.schema, name);
    if (!f)
        kc_error_set(err, KC_ERR_INVALID, "%s is not a valid field name", name ? name : "null");
    return f;
}

const kc_value *kc_value_struct_get_at(const kc_value *st, size_t index)
{
    if (!st || st->type != KC_VALUE_STRUCT || index >= st->u.st.schema->nfields)
        return NULL;
    return st->u.st.vals[index] ? st->u.st.vals[index] : kc_value_null();
}

const kc_value *kc_value_struct_get_without_default(const kc_value *st, const char *field,
                                                    kc_error *err)
{
    const kc_field *f = struct_field(st, field, err);
    return f ? kc_value_struct_get_at(st, (size_t)f->index) : NULL;
}

const kc_value *kc_value_struct_get(const kc_value *st, const char *field, kc_error *err)
{
    const kc_field *f = struct_field(st, field, err);
    if (!f)
        return NULL;
    const kc_value *v = st->u.st.vals[f->index];
    if (kc_value_is_null(v) && f->schema->default_value)
        return f->schema->default_value;
    return v ? v : kc_value_null();
}

int kc_value_struct_put_at_new(kc_value *st, size_t index, kc_value *value, kc_error *err)
{
    if (!st || st->type != KC_VALUE_STRUCT || index >= st->u.st.schema->nfields) {
        kc_value_free(value);
        return kc_error_set(err, KC_ERR_INVALID, "field cannot be null.");
    }
    const kc_field *f = &st->u.st.schema->fields[index];
    if (kc_value_validate(f->schema, value, f->name, err) != 0) {
        kc_value_free(value);
        return -1;
    }
    if (value && kc__value_child_depth(st, value) != 0) {
        kc_value_free(value);
        return kc_error_set(err, KC_ERR_INVALID, "value nests deeper than %d levels",
                            KC_DATA_MAX_DEPTH);
    }
    kc_value_free(st->u.st.vals[index]);
    st->u.st.vals[index] = kc_value_is_null(value) ? NULL : value;
    return 0;
}

int kc_value_struct_put_new(kc_value *st, const char *field, kc_value *value, kc_error *err)
{
    const kc_field *f = struct_field(st, field, err);
    if (!f) {
        kc_value_free(value);
        return -1;
    }
    return kc_value_struct_put_at_new(st, (size_t)f->index, value, err);
}

int kc_value_struct_put(kc_value *st, const char *field, const kc_value *value, kc_error *err)
{
    kc_value *copy = kc_value_copy(value);
    if (!copy)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory copying a value");
    return kc_value_struct_put_new(st, field, copy, err);
}

int kc_value_struct_validate(const kc_value *st, kc_error *err)
{
    if (!st || st->type != KC_VALUE_STRUCT)
        return kc_error_set(err, KC_ERR_INVALID, "not a struct value");
    const kc_schema *s = st->u.st.schema;
    for (size_t i = 0; i < s->nfields; i++) {
        const kc_field *f = &s->fields[i];
        const kc_value *v = st->u.st.vals[i];
        if (kc_value_is_null(v) && (f->schema->optional || f->schema->default_value))
            continue;
        if (kc_value_validate(f->schema, v, f->name, err) != 0)
            return -1;
    }
    return 0;
}

/* ---- Validation (ConnectSchema.validateValue) ----------------------------------------------- */

const char *kc_value_type_java_class(kc_value_type type)
{
    switch (type) {
    case KC_VALUE_NULL: return "null";
    case KC_VALUE_INT8: return "class java.lang.Byte";
    case KC_VALUE_INT16: return "class java.lang.Short";
    case KC_VALUE_INT32: return "class java.lang.Integer";
    case KC_VALUE_INT64: return "class java.lang.Long";
    case KC_VALUE_FLOAT32: return "class java.lang.Float";
    case KC_VALUE_FLOAT64: return "class java.lang.Double";
    case KC_VALUE_BOOLEAN: return "class java.lang.Boolean";
    case KC_VALUE_STRING: return "class java.lang.String";
    case KC_VALUE_BYTES: return "class [B";
    case KC_VALUE_ARRAY: return "class java.util.ArrayList";
    case KC_VALUE_MAP: return "class java.util.HashMap";
    case KC_VALUE_STRUCT: return "class org.apache.kafka.connect.data.Struct";
    case KC_VALUE_DECIMAL: return "class java.math.BigDecimal";
    case KC_VALUE_TIMESTAMP: return "class java.util.Date";
    }
    return "class java.lang.Object";
}

/* The value type a schema expects: its logical type's class first, else its type's. */
static kc_value_type expected_type(const kc_schema *s)
{
    if (s->name) {
        if (strcmp(s->name, KC_DECIMAL_LOGICAL_NAME) == 0)
            return KC_VALUE_DECIMAL;
        if (strcmp(s->name, KC_DATE_LOGICAL_NAME) == 0 || strcmp(s->name, KC_TIME_LOGICAL_NAME) == 0 ||
            strcmp(s->name, KC_TIMESTAMP_LOGICAL_NAME) == 0)
            return KC_VALUE_TIMESTAMP;
    }
    switch (s->type) {
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

int kc__validate_value(const kc_schema *schema, const kc_value *value, const char *location,
                       kc_error *err)
{
    if (kc_value_is_null(value)) {
        if (!schema->optional)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid value: null used for required %s, schema type: %s",
                                location, kc_schema_type_name(schema->type));
        return 0;
    }
    if (value->type != expected_type(schema)) {
        if (schema->name)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid Java object for schema \"%s\" with type %s: %s for %s",
                                schema->name, kc_schema_type_name(schema->type),
                                kc_value_type_java_class(value->type), location);
        return kc_error_set(err, KC_ERR_INVALID, "Invalid Java object for schema with type %s: %s for %s",
                            kc_schema_type_name(schema->type),
                            kc_value_type_java_class(value->type), location);
    }
    char sub[KC_ERROR_MSG_MAX];
    switch (schema->type) {
    case KC_SCHEMA_STRUCT:
        if (!kc_schema_equals(value->u.st.schema, schema))
            return kc_error_set(err, KC_ERR_INVALID, "Struct schemas do not match.");
        return kc_value_struct_validate(value, err);
    case KC_SCHEMA_ARRAY:
        snprintf(sub, sizeof sub, "element of array %s", location);
        if (!schema->value_schema)
            return kc_error_set(err, KC_ERR_INVALID, "No schema defined for %s", sub);
        for (size_t i = 0; i < value->u.arr.len; i++)
            if (kc__validate_value(schema->value_schema, value->u.arr.items[i], sub, err) != 0)
                return -1;
        return 0;
    case KC_SCHEMA_MAP: {
        char vsub[KC_ERROR_MSG_MAX];
        snprintf(sub, sizeof sub, "key of map %s", location);
        snprintf(vsub, sizeof vsub, "value of map %s", location);
        if (!schema->key_schema)
            return kc_error_set(err, KC_ERR_INVALID, "No schema defined for %s", sub);
        if (!schema->value_schema)
            return kc_error_set(err, KC_ERR_INVALID, "No schema defined for %s", vsub);
        for (size_t i = 0; i < value->u.map.len; i++) {
            if (kc__validate_value(schema->key_schema, value->u.map.keys[i], sub, err) != 0 ||
                kc__validate_value(schema->value_schema, value->u.map.vals[i], vsub, err) != 0)
                return -1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

int kc_value_validate(const kc_schema *schema, const kc_value *value, const char *field,
                      kc_error *err)
{
    if (!schema)
        return kc_error_set(err, KC_ERR_INVALID, "No schema defined for %s",
                            field ? field : "value");
    if (!field)
        return kc__validate_value(schema, value, "value", err);
    char loc[KC_ERROR_MSG_MAX];
    snprintf(loc, sizeof loc, "field: \"%s\"", field);
    return kc__validate_value(schema, value, loc, err);
}

void kc_schema_and_value_clear(kc_schema_and_value *sv)
{
    if (!sv)
        return;
    kc_schema_unref(sv->schema);
    kc_value_free(sv->value);
    sv->schema = NULL;
    sv->value = NULL;
}

/* ---- Logical types -------------------------------------------------------------------------- */

static bool named(const kc_schema *s, const char *name)
{
    return s && s->name && strcmp(s->name, name) == 0;
}

int kc_decimal_scale(const kc_schema *schema, int32_t *scale, kc_error *err)
{
    const char *text = kc_schema_parameter(schema, KC_DECIMAL_SCALE_FIELD);
    if (!text)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid Decimal schema: scale parameter not found.");
    /* Integer.parseInt: an optional sign, then decimal digits, within int range. */
    const char *p = text;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    int64_t v = 0;
    if (!*p)
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        v = v * 10 + (*p - '0');
        if (v > (int64_t)INT32_MAX + 1)
            goto bad;
    }
    if (neg)
        v = -v;
    if (v > INT32_MAX || v < INT32_MIN)
        goto bad;
    *scale = (int32_t)v;
    return 0;
bad:
    return kc_error_set(err, KC_ERR_INVALID,
                        "Invalid scale parameter found in Decimal schema: For input string: \"%s\"",
                        text);
}

int kc_decimal_from_logical(const kc_schema *schema, const kc_value *value, const uint8_t **bytes,
                            size_t *len, kc_error *err)
{
    int32_t scale;
    if (kc_decimal_scale(schema, &scale, err) != 0)
        return -1;
    if (kc_value_get_type(value) != KC_VALUE_DECIMAL)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid type for Decimal, expected BigDecimal but was %s",
                            kc_value_type_java_class(kc_value_get_type(value)));
    if (value->u.dec.scale != scale)
        return kc_error_set(err, KC_ERR_INVALID,
                            "Decimal value has mismatching scale for given Decimal schema. Schema "
                            "has scale %d, value has scale %d.",
                            (int)scale, (int)value->u.dec.scale);
    *bytes = value->u.dec.unscaled;
    *len = value->u.dec.len;
    return 0;
}

kc_value *kc_decimal_to_logical(const kc_schema *schema, const void *bytes, size_t len,
                                kc_error *err)
{
    int32_t scale;
    if (kc_decimal_scale(schema, &scale, err) != 0)
        return NULL;
    if (len == 0) {
        kc_error_set(err, KC_ERR_INVALID, "Zero length BigInteger");
        return NULL;
    }
    kc_value *v = kc_value_decimal(bytes, len, scale);
    if (!v)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating a decimal");
    return v;
}

static int date_value(const kc_value *value, int64_t *millis, const char *what, kc_error *err)
{
    if (kc_value_get_type(value) != KC_VALUE_TIMESTAMP)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid type for %s, expected Date but was %s", what,
                            kc_value_type_java_class(kc_value_get_type(value)));
    *millis = value->u.i;
    return 0;
}

int kc_date_from_logical(const kc_schema *schema, const kc_value *value, int32_t *days,
                         kc_error *err)
{
    if (!named(schema, KC_DATE_LOGICAL_NAME))
        return kc_error_set(err, KC_ERR_INVALID,
                            "Requested conversion of Date object but the schema does not match.");
    int64_t millis = 0;
    if (date_value(value, &millis, "Date", err) != 0)
        return -1;
    if (millis % KC_MILLIS_PER_DAY != 0)
        return kc_error_set(err, KC_ERR_INVALID,
                            "Kafka Connect Date type should not have any time fields set to "
                            "non-zero values.");
    *days = (int32_t)(millis / KC_MILLIS_PER_DAY);
    return 0;
}

kc_value *kc_date_to_logical(const kc_schema *schema, int32_t days, kc_error *err)
{
    if (!named(schema, KC_DATE_LOGICAL_NAME)) {
        kc_error_set(err, KC_ERR_INVALID,
                     "Requested conversion of Date object but the schema does not match.");
        return NULL;
    }
    kc_value *v = kc_value_timestamp((int64_t)days * KC_MILLIS_PER_DAY);
    if (!v)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return v;
}

int kc_time_from_logical(const kc_schema *schema, const kc_value *value, int32_t *millis,
                         kc_error *err)
{
    if (!named(schema, KC_TIME_LOGICAL_NAME))
        return kc_error_set(err, KC_ERR_INVALID,
                            "Requested conversion of Time object but the schema does not match.");
    int64_t ms = 0;
    if (date_value(value, &ms, "Time", err) != 0)
        return -1;
    if (ms < 0 || ms > KC_MILLIS_PER_DAY)
        return kc_error_set(err, KC_ERR_INVALID,
                            "Kafka Connect Time type should not have any date fields set to "
                            "non-zero values.");
    *millis = (int32_t)ms;
    return 0;
}

kc_value *kc_time_to_logical(const kc_schema *schema, int32_t millis, kc_error *err)
{
    if (!named(schema, KC_TIME_LOGICAL_NAME)) {
        /* sic: Java's Time.toLogical says "Date object" */
        kc_error_set(err, KC_ERR_INVALID,
                     "Requested conversion of Date object but the schema does not match.");
        return NULL;
    }
    if (millis < 0 || millis > KC_MILLIS_PER_DAY) {
        kc_error_set(err, KC_ERR_INVALID,
                     "Time values must use number of milliseconds greater than 0 and less than "
                     "86400000");
        return NULL;
    }
    kc_value *v = kc_value_timestamp(millis);
    if (!v)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return v;
}

int kc_timestamp_from_logical(const kc_schema *schema, const kc_value *value, int64_t *millis,
                              kc_error *err)
{
    if (!named(schema, KC_TIMESTAMP_LOGICAL_NAME))
        return kc_error_set(err, KC_ERR_INVALID,
                            "Requested conversion of Timestamp object but the schema does not match.");
    return date_value(value, millis, "Timestamp", err);
}

kc_value *kc_timestamp_to_logical(const kc_schema *schema, int64_t millis, kc_error *err)
{
    if (!named(schema, KC_TIMESTAMP_LOGICAL_NAME)) {
        kc_error_set(err, KC_ERR_INVALID,
                     "Requested conversion of Timestamp object but the schema does not match.");
        return NULL;
    }
    kc_value *v = kc_value_timestamp(millis);
    if (!v)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return v;
}
