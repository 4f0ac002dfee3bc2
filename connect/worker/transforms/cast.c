/* Cast$Key / Cast$Value: cast fields, or the whole key or value, to int8..int64, float32, float64,
 * boolean or string, from those types, bytes (to string only, Base64) and the logical types
 * (Date, Time, Timestamp through their integer encoding, or as ISO text; Decimal as a number or its
 * text). Struct schemas are updated and cached per input schema. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/worker/transforms/smt.h"

#define PURPOSE "cast types"
#define INPUT_TYPES "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]"
#define OUTPUT_TYPES "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]"

typedef struct cast_spec {
    kc_config_strs fields;  /* in the iteration order of Java's HashMap */
    kc_schema_type *types;  /* parallel to fields */
    bool whole;             /* one type for the whole key / value */
    kc_schema_type whole_type;
} cast_spec;

static void spec_clear(cast_spec *s)
{
    kc_config_strs_clear(&s->fields);
    free(s->types);
    s->types = NULL;
    s->whole = false;
}

static const char *const type_names[] = {"INT8",  "INT16",   "INT32",  "INT64", "FLOAT32", "FLOAT64",
                                         "BOOLEAN", "STRING", "BYTES", "ARRAY", "MAP",     "STRUCT"};

/* Schema.Type.valueOf(text.trim().toUpperCase(Locale.ROOT)) then the output check. */
static int parse_type(const char *text, kc_schema_type *out, kc_error *err)
{
    char t[64];
    size_t b = 0, e = strlen(text);
    while (b < e && (unsigned char)text[b] <= ' ')
        b++;
    while (e > b && (unsigned char)text[e - 1] <= ' ')
        e--;
    size_t n = e - b < sizeof t - 1 ? e - b : sizeof t - 1;
    for (size_t i = 0; i < n; i++)
        t[i] = (char)toupper((unsigned char)text[b + i]);
    t[n] = '\0';
    for (int i = 0; i < 12; i++)
        if (e - b == n && strcmp(t, type_names[i]) == 0) {
            if (i > KC_SCHEMA_STRING)
                return kc_error_set(err, KC_ERR_INVALID,
                                    "Cast transformation does not support casting to %s; supported types are "
                                    OUTPUT_TYPES, type_names[i]);
            *out = (kc_schema_type)i;
            return 0;
        }
    /* Java passes the message as the config name: ConfigException(String name, Object value) */
    return kc_error_set(err, KC_ERR_INVALID,
                        "Invalid value java.lang.IllegalArgumentException: No enum constant "
                        "org.apache.kafka.connect.data.Schema.Type.%.*s for configuration Invalid type found in "
                        "casting spec: %.*s", (int)n, t, (int)(e - b), text + b);
}

/* Java's parseFieldTypes. value is the spec list (for the message of a bad mapping). */
static int parse_spec(const kc_config_value *value, cast_spec *s, kc_error *err)
{
    kc_value *order = kc_value_map_new(); /* field -> type index, in HashMap order afterwards */
    int rc = -1;
    if (!order)
        goto oom;
    for (size_t i = 0; i < value->list.count; i++) {
        const char *mapping = value->list.items[i];
        char *copy, **parts;
        long n = kc_smt_split_colon(mapping, &copy, &parts);
        kc_schema_type type;
        int bad = 0;
        if (n < 0) {
            free(copy);
            free(parts);
            goto oom;
        }
        if (n > 2) {
            kc_config_error_invalid(err, "renames", value, "Invalid rename mapping: %s", mapping);
            bad = 1;
        } else if (n == 1) {
            if (parse_type(parts[0], &type, err) < 0)
                bad = 1;
            else {
                s->whole = true;
                s->whole_type = type;
            }
        } else if (n == 0) { /* ":" splits into nothing and Java reads parts[1] */
            kc_error_set(err, KC_ERR_INVALID, "Index 1 out of bounds for length 0");
            bad = 1;
        } else {
            char *field = parts[0];
            size_t fl = strlen(field);
            while (fl && (unsigned char)field[fl - 1] <= ' ')
                field[--fl] = '\0';
            while (*field && (unsigned char)*field <= ' ')
                field++;
            if (parse_type(parts[1], &type, err) < 0)
                bad = 1;
            else if (kc_value_map_put_str_new(order, field, kc_value_int32((int32_t)type)) != 0)
                bad = 2;
        }
        free(copy);
        free(parts);
        if (bad == 2)
            goto oom;
        if (bad)
            goto out;
    }
    if (s->whole && value->list.count > 1) {
        kc_error_set(err, KC_ERR_INVALID, "Cast transformations that specify a type to cast the entire value to "
                                          "may only specify a single cast in their spec");
        goto out;
    }
    if (kc_smt_hashmap_order(&order, KC_SMT_HASHMAP_DEFAULT, 0, err) < 0)
        goto out;
    size_t count = kc_value_map_size(order);
    if (count && !(s->types = calloc(count, sizeof *s->types)))
        goto oom;
    for (size_t i = 0; i < count; i++) {
        if (kc_config_strs_add(&s->fields, kc_value_get_string(kc_value_map_key_at(order, i), NULL)) < 0)
            goto oom;
        s->types[i] = (kc_schema_type)kc_value_get_int32(kc_value_map_value_at(order, i));
    }
    rc = 0;
    goto out;
oom:
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
out:
    kc_value_free(order);
    if (rc)
        spec_clear(s);
    return rc;
}

static int check_spec(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    (void)opaque;
    if (value->is_null || value->list.count == 0)
        return kc_error_set(err, KC_ERR_INVALID, "Must specify at least one field to cast.");
    cast_spec s = {0};
    int rc = parse_spec(value, &s, err);
    spec_clear(&s);
    return rc;
}

static const kc_config_key cast_config[] = {
    KC_CONFIG_KEY("spec", KC_CONFIG_LIST,
                  .validator = KC_CONFIG_CHECK(check_spec, NULL,
                                               "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"),
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "List of fields and the type to cast them to of the form field1:type,field2:type "
                                   "to cast fields of Maps or Structs. A single type to cast the entire value. Valid "
                                   "types are int8, int16, int32, int64, float32, float64, boolean, and string. Note "
                                   "that binary fields can only be cast to string."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
};

typedef struct cast {
    kc_smt_side side;
    cast_spec spec;
    bool replace_null_with_default;
    kc_smt_schema_cache cache;
} cast;

static void *create_key(void)
{
    cast *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_KEY;
    return t;
}

static void *create_value(void)
{
    cast *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_VALUE;
    return t;
}

static void close_(void *self)
{
    cast *t = self;
    if (!t)
        return;
    spec_clear(&t->spec);
    kc_smt_cache_clear(&t->cache);
    free(t);
}

static int configure(void *self, const kc_props *props, kc_error *err)
{
    cast *t = self;
    kc_smt_config c;
    spec_clear(&t->spec);
    kc_smt_cache_clear(&t->cache);
    if (kc_smt_config_parse(&c, cast_config, sizeof cast_config / sizeof cast_config[0], props, err) < 0)
        return -1;
    int rc = parse_spec(kc_config_parsed_get(c.parsed, "spec"), &t->spec, err);
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    kc_smt_config_clear(&c);
    return rc;
}

static const kc_schema_type *target_of(const cast *t, const char *field)
{
    for (size_t i = 0; i < t->spec.fields.count; i++)
        if (strcmp(t->spec.fields.items[i], field) == 0)
            return &t->spec.types[i];
    return NULL;
}

/* ---- castValueToType ------------------------------------------------------------------------- */

static int unexpected(const kc_value *v, kc_error *err)
{
    return kc_error_set(err, KC_ERR_INVALID, "Unexpected type in Cast transformation: %s",
                        kc_value_type_java_class(kc_value_get_type(v)));
}

static int out_of_range(const char *s, kc_error *err)
{
    return kc_error_set(err, KC_ERR_INVALID, "Value (%s) was out of range for requested data type", s);
}

static kc_value *to_integer(const kc_value *v, kc_schema_type target, kc_error *err)
{
    int64_t l = 0;
    kc_value_type vt = kc_value_get_type(v);
    if (vt == KC_VALUE_BOOLEAN) {
        l = kc_value_get_boolean(v);
    } else if (vt == KC_VALUE_STRING) {
        static const int64_t lo[] = {INT8_MIN, INT16_MIN, INT32_MIN, INT64_MIN};
        static const int64_t hi[] = {INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX};
        const char *s = kc_value_get_string(v, NULL);
        if (!kc_smt_parse_integer(s, lo[target], hi[target], &l)) {
            out_of_range(s, err);
            return NULL;
        }
    } else if (vt == KC_VALUE_FLOAT32 || vt == KC_VALUE_FLOAT64) {
        /* Float/Double.byteValue() and shortValue() narrow through int */
        double d = vt == KC_VALUE_FLOAT32 ? kc_value_get_float32(v) : kc_value_get_float64(v);
        l = target == KC_SCHEMA_INT64 ? kc_smt_d2l(d) : kc_smt_d2i(d);
    } else if (!kc_smt_number_long(v, &l)) {
        unexpected(v, err);
        return NULL;
    }
    switch (target) {
    case KC_SCHEMA_INT8: return kc_value_int8((int8_t)(uint8_t)(uint64_t)l);
    case KC_SCHEMA_INT16: return kc_value_int16((int16_t)(uint16_t)(uint64_t)l);
    case KC_SCHEMA_INT32: return kc_value_int32((int32_t)(uint32_t)(uint64_t)l);
    default: return kc_value_int64(l);
    }
}

static kc_value *to_float(const kc_value *v, bool single, kc_error *err)
{
    kc_value_type vt = kc_value_get_type(v);
    if (vt == KC_VALUE_BOOLEAN)
        return single ? kc_value_float32(kc_value_get_boolean(v) ? 1.0f : 0.0f)
                      : kc_value_float64(kc_value_get_boolean(v) ? 1.0 : 0.0);
    if (vt == KC_VALUE_STRING) {
        const char *s = kc_value_get_string(v, NULL);
        float f;
        double d;
        if (single ? !kc_smt_parse_float(s, &f) : !kc_smt_parse_double(s, &d)) {
            out_of_range(s, err);
            return NULL;
        }
        return single ? kc_value_float32(f) : kc_value_float64(d);
    }
    float f;
    double d;
    if (single ? !kc_smt_number_float(v, &f) : !kc_smt_number_double(v, &d)) {
        unexpected(v, err);
        return NULL;
    }
    return single ? kc_value_float32(f) : kc_value_float64(d);
}

static kc_value *to_boolean(const kc_value *v, kc_error *err)
{
    kc_value_type vt = kc_value_get_type(v);
    if (vt == KC_VALUE_BOOLEAN)
        return kc_value_boolean(kc_value_get_boolean(v));
    if (vt == KC_VALUE_STRING)
        return kc_value_boolean(strcasecmp(kc_value_get_string(v, NULL), "true") == 0);
    int64_t l;
    if (vt == KC_VALUE_FLOAT32 || vt == KC_VALUE_FLOAT64) {
        double d = vt == KC_VALUE_FLOAT32 ? kc_value_get_float32(v) : kc_value_get_float64(v);
        return kc_value_boolean(kc_smt_d2l(d) != 0);
    }
    if (!kc_smt_number_long(v, &l)) {
        unexpected(v, err);
        return NULL;
    }
    return kc_value_boolean(l != 0);
}

static kc_value *to_string(const kc_value *v, kc_error *err)
{
    char *s = NULL;
    size_t len = 0;
    kc_value *out;
    switch (kc_value_get_type(v)) {
    case KC_VALUE_STRING: return kc_value_copy(v);
    case KC_VALUE_TIMESTAMP: s = kc_smt_iso_date_string(kc_value_get_timestamp(v)); break;
    case KC_VALUE_BYTES: {
        const uint8_t *b = kc_value_get_bytes(v, &len);
        s = kc_smt_base64(b, len);
        break;
    }
    default:
        if (!(s = kc_value_to_java_string(v, true, &len, err)))
            return NULL;
        out = kc_value_string_len(s, len);
        free(s);
        return out;
    }
    out = s ? kc_value_string(s) : NULL;
    free(s);
    return out;
}

/* Java's castValueToType(schema, value, targetType): a new value; NULL with err set on failure,
 * the null singleton for null. */
static kc_value *cast_value(const kc_schema *schema, const kc_value *value, kc_schema_type target, kc_error *err)
{
    if (kc_value_is_null(value))
        return kc_value_null();
    kc_schema_type inferred;
    if (schema) {
        inferred = kc_schema_get_type(schema);
    } else {
        switch (kc_value_get_type(value)) {
        case KC_VALUE_INT8: inferred = KC_SCHEMA_INT8; break;
        case KC_VALUE_INT16: inferred = KC_SCHEMA_INT16; break;
        case KC_VALUE_INT32: inferred = KC_SCHEMA_INT32; break;
        case KC_VALUE_INT64: inferred = KC_SCHEMA_INT64; break;
        case KC_VALUE_FLOAT32: inferred = KC_SCHEMA_FLOAT32; break;
        case KC_VALUE_FLOAT64: inferred = KC_SCHEMA_FLOAT64; break;
        case KC_VALUE_BOOLEAN: inferred = KC_SCHEMA_BOOLEAN; break;
        case KC_VALUE_STRING: inferred = KC_SCHEMA_STRING; break;
        case KC_VALUE_BYTES: inferred = KC_SCHEMA_BYTES; break;
        case KC_VALUE_ARRAY: inferred = KC_SCHEMA_ARRAY; break;
        case KC_VALUE_MAP: inferred = KC_SCHEMA_MAP; break;
        case KC_VALUE_STRUCT: inferred = KC_SCHEMA_STRUCT; break;
        default:
            kc_error_set(err, KC_ERR_INVALID,
                         "Cast transformation was passed a value of type %s which is not supported by Connect's "
                         "data API", kc_value_type_java_class(kc_value_get_type(value)));
            return NULL;
        }
    }
    if (inferred > KC_SCHEMA_BYTES) {
        kc_error_set(err, KC_ERR_INVALID,
                     "Cast transformation does not support casting from %s; supported types are " INPUT_TYPES,
                     kc_schema_type_name(inferred));
        return NULL;
    }
    kc_value *encoded = NULL; /* the logical type's integer form */
    const char *name = schema ? kc_schema_get_name(schema) : NULL;
    if (name && target != KC_SCHEMA_STRING) {
        int32_t i32;
        int64_t i64;
        if (strcmp(name, KC_DATE_LOGICAL_NAME) == 0) {
            if (kc_date_from_logical(schema, value, &i32, err) < 0)
                return NULL;
            encoded = kc_value_int32(i32);
        } else if (strcmp(name, KC_TIME_LOGICAL_NAME) == 0) {
            if (kc_time_from_logical(schema, value, &i32, err) < 0)
                return NULL;
            encoded = kc_value_int32(i32);
        } else if (strcmp(name, KC_TIMESTAMP_LOGICAL_NAME) == 0) {
            if (kc_timestamp_from_logical(schema, value, &i64, err) < 0)
                return NULL;
            encoded = kc_value_int64(i64);
        }
        if ((strcmp(name, KC_DATE_LOGICAL_NAME) == 0 || strcmp(name, KC_TIME_LOGICAL_NAME) == 0 ||
             strcmp(name, KC_TIMESTAMP_LOGICAL_NAME) == 0) && !encoded) {
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            return NULL;
        }
    }
    const kc_value *v = encoded ? encoded : value;
    kc_value *out;
    kc_error local;
    kc_error_clear(&local);
    switch (target) {
    case KC_SCHEMA_INT8:
    case KC_SCHEMA_INT16:
    case KC_SCHEMA_INT32:
    case KC_SCHEMA_INT64: out = to_integer(v, target, &local); break;
    case KC_SCHEMA_FLOAT32: out = to_float(v, true, &local); break;
    case KC_SCHEMA_FLOAT64: out = to_float(v, false, &local); break;
    case KC_SCHEMA_BOOLEAN: out = to_boolean(v, &local); break;
    case KC_SCHEMA_STRING: out = to_string(v, &local); break;
    default:
        kc_error_set(&local, KC_ERR_INVALID, "%s is not supported in the Cast transformation.",
                     kc_schema_type_name(target));
        out = NULL;
    }
    kc_value_free(encoded);
    if (!out) {
        if (local.code == KC_ERR_NONE)
            kc_error_set(&local, KC_ERR_INTERNAL, "out of memory");
        *err = local;
    }
    return out;
}

/* ---- apply ----------------------------------------------------------------------------------- */

static kc_record *fail(kc_record *r)
{
    kc_record_free(r);
    return NULL;
}

static kc_record *apply_schemaless(cast *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (t->spec.whole) {
        kc_value *out = cast_value(NULL, value, t->spec.whole_type, err);
        if (!out)
            return fail(r);
        kc_smt_set(r, t->side, NULL, out);
        return r;
    }
    if (kc_smt_require_map(value, PURPOSE, err) < 0)
        return fail(r);
    kc_value *updated = kc_value_copy(value);
    if (!updated) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return fail(r);
    }
    for (size_t i = 0; i < t->spec.fields.count; i++) {
        kc_value *c = cast_value(NULL, kc_value_map_get_str(value, t->spec.fields.items[i]), t->spec.types[i], err);
        if (!c || kc_value_map_put_str_new(updated, t->spec.fields.items[i], c) != 0) {
            if (c)
                kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            kc_value_free(updated);
            return fail(r);
        }
    }
    if (kc_smt_hashmap_order(&updated, KC_SMT_HASHMAP_COPY, kc_value_map_size(value), err) < 0) {
        kc_value_free(updated);
        return fail(r);
    }
    kc_smt_set(r, t->side, NULL, updated);
    return r;
}

static kc_schema_builder *builder_for(kc_schema_type type) { return kc_schema_builder_new(type); }

/* getOrBuildSchema */
static const kc_schema *updated_schema(cast *t, const kc_schema *schema, kc_error *err)
{
    const kc_schema *cached = kc_smt_cache_get(&t->cache, schema);
    if (cached)
        return cached;
    kc_schema_builder *b;
    kc_schema_type built_type;
    if (t->spec.whole) {
        built_type = t->spec.whole_type;
        b = kc_smt_copy_basics(schema, builder_for(built_type));
    } else {
        if (kc_schema_get_type(schema) != KC_SCHEMA_STRUCT) {
            kc_error_set(err, KC_ERR_INVALID, "Cannot list fields on non-struct type");
            return NULL;
        }
        built_type = KC_SCHEMA_STRUCT;
        b = kc_smt_copy_basics(schema, kc_schema_builder_struct());
        for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
            const kc_field *f = kc_schema_field_at(schema, i);
            const kc_schema *fs = kc_field_schema(f);
            const kc_schema_type *target = target_of(t, kc_field_name(f));
            if (!target) {
                kc_schema_builder_field(b, kc_field_name(f), fs);
                continue;
            }
            kc_schema_builder *fb = builder_for(*target);
            if (kc_schema_is_optional(fs))
                kc_schema_builder_optional(fb);
            const kc_value *def = kc_schema_get_default(fs);
            if (def) {
                kc_value *cd = cast_value(fs, def, *target, err);
                if (!cd) {
                    kc_schema_builder_free(fb);
                    kc_schema_builder_free(b);
                    return NULL;
                }
                kc_schema_builder_default_new(fb, cd);
            }
            const kc_schema *built = kc_schema_builder_build(fb, err);
            if (!built) {
                kc_schema_builder_free(b);
                return NULL;
            }
            kc_schema_builder_field(b, kc_field_name(f), built);
            kc_schema_unref(built);
        }
    }
    if (kc_schema_is_optional(schema))
        kc_schema_builder_optional(b);
    const kc_value *def = kc_schema_get_default(schema);
    if (def) {
        kc_value *cd = cast_value(schema, def, built_type, err);
        if (!cd) {
            kc_schema_builder_free(b);
            return NULL;
        }
        kc_schema_builder_default_new(b, cd);
    }
    const kc_schema *built = kc_schema_builder_build(b, err);
    return built ? kc_smt_cache_put(&t->cache, schema, built) : NULL;
}

static kc_record *apply_with_schema(cast *t, kc_record *r, kc_error *err)
{
    const kc_schema *schema = kc_smt_schema(r, t->side);
    const kc_value *value = kc_smt_value(r, t->side);
    const kc_schema *updated_s = updated_schema(t, schema, err);
    if (!updated_s)
        return fail(r);
    if (t->spec.whole) {
        kc_value *out = cast_value(schema, value, t->spec.whole_type, err);
        if (!out)
            return fail(r);
        kc_smt_set(r, t->side, kc_schema_ref(updated_s), out);
        return r;
    }
    if (kc_smt_require_struct(value, PURPOSE, err) < 0)
        return fail(r);
    const kc_schema *vs = kc_value_struct_schema(value);
    kc_value *updated = kc_value_struct_new(updated_s, err);
    if (!updated)
        return fail(r);
    for (size_t i = 0; i < kc_schema_field_count(vs); i++) {
        const kc_field *f = kc_schema_field_at(vs, i);
        const char *name = kc_field_name(f);
        const kc_value *orig = kc_smt_struct_get(value, name, t->replace_null_with_default);
        const kc_schema_type *target = target_of(t, name);
        kc_value *nv = NULL;
        if (target) {
            if (!(nv = cast_value(kc_field_schema(f), orig, *target, err)))
                goto failed;
        } else if (kc_smt_copy(orig, &nv, err) < 0) {
            goto failed;
        }
        if (kc_value_struct_put_new(updated, name, nv, err) < 0)
            goto failed;
    }
    kc_smt_set(r, t->side, kc_schema_ref(updated_s), updated);
    return r;
failed:
    kc_value_free(updated);
    return fail(r);
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    cast *t = self;
    if (!kc_smt_value(r, t->side))
        return r;
    if (!kc_smt_schema(r, t->side))
        return apply_schemaless(t, r, err);
    return apply_with_schema(t, r, err);
}

#define CAST(variant, creator)                                                                              \
    {                                                                                                       \
        .class_name = "org.apache.kafka.connect.transforms.Cast$" variant, .config = cast_config,           \
        .config_count = sizeof cast_config / sizeof cast_config[0], .create = creator,                      \
        .configure = configure, .apply = apply, .close = close_,                                            \
    }

const kc_transform_plugin kc_smt_cast_key = CAST("Key", create_key);
const kc_transform_plugin kc_smt_cast_value = CAST("Value", create_value);
