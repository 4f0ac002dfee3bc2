/* MaskField$Key / MaskField$Value: replace fields with the null value of their type (0, false, "",
 * empty list or map, epoch) or with a configured replacement converted to the field's type. */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/smt.h"

#define PURPOSE "mask fields"

static const kc_config_key mask_field_config[] = {
    KC_CONFIG_KEY("fields", KC_CONFIG_LIST, .validator = KC_CONFIG_LIST_NO_DUPLICATES(false, false),
                  .importance = KC_CONFIG_HIGH, .documentation = "Names of fields to mask."),
    KC_CONFIG_KEY("replacement", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL,
                  .validator = KC_CONFIG_NON_EMPTY_STRING, .importance = KC_CONFIG_LOW,
                  .documentation = "Custom value replacement, that will be applied to all 'fields' values (numeric "
                                   "or non-empty string values only)."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
};

typedef struct mask_field {
    kc_smt_side side;
    kc_config_strs fields; /* in the iteration order of Java's HashSet */
    char *replacement;
    bool replace_null_with_default;
} mask_field;

static void *create_key(void)
{
    mask_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_KEY;
    return t;
}

static void *create_value(void)
{
    mask_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_VALUE;
    return t;
}

static void reset(mask_field *t)
{
    kc_config_strs_clear(&t->fields);
    free(t->replacement);
    t->replacement = NULL;
}

static void close_(void *self)
{
    if (!self)
        return;
    reset(self);
    free(self);
}

static int configure(void *self, const kc_props *props, kc_error *err)
{
    mask_field *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, mask_field_config, sizeof mask_field_config / sizeof mask_field_config[0], props,
                            err) < 0)
        return -1;
    int rc = 0;
    if (kc_smt_config_list(&c, "fields", &t->fields) || kc_smt_config_string(&c, "replacement", &t->replacement))
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    else if (kc_smt_hashset_order(&t->fields, err) < 0)
        rc = -1;
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    kc_smt_config_clear(&c);
    return rc;
}

static bool masked_field(const mask_field *t, const char *name)
{
    for (size_t i = 0; i < t->fields.count; i++)
        if (strcmp(t->fields.items[i], name) == 0)
            return true;
    return false;
}

/* Values.convertToX(null, replacement) for a numeric class: (type) new BigDecimal(s).longValue() or
 * doubleValue(), "Unable to convert <s> (class java.lang.String) to a number" otherwise. */
static kc_value *convert_replacement(kc_value_type type, const char *s, kc_error *err)
{
    int64_t l;
    double d;
    switch (type) {
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64:
        if (!kc_smt_bigdecimal_long(s, &l))
            break;
        if (type == KC_VALUE_INT8)
            return kc_value_int8((int8_t)(uint8_t)(uint64_t)l);
        if (type == KC_VALUE_INT16)
            return kc_value_int16((int16_t)(uint16_t)(uint64_t)l);
        if (type == KC_VALUE_INT32)
            return kc_value_int32((int32_t)(uint32_t)(uint64_t)l);
        return kc_value_int64(l);
    case KC_VALUE_FLOAT32:
    case KC_VALUE_FLOAT64:
        if (!kc_smt_bigdecimal_double(s, &d))
            break;
        return type == KC_VALUE_FLOAT32 ? kc_value_float32((float)d) : kc_value_float64(d);
    default: break;
    }
    kc_error_set(err, KC_ERR_INVALID, "Unable to convert %s (class java.lang.String) to a number", s);
    return NULL;
}

/* masked(value): a new value (NULL pointer with err set on failure; the null singleton for null). */
static kc_value *masked(const mask_field *t, const kc_value *v, kc_error *err)
{
    if (kc_value_is_null(v))
        return kc_value_null();
    kc_value_type type = kc_value_get_type(v);
    kc_value *out = NULL;
    if (t->replacement) {
        switch (type) {
        case KC_VALUE_INT8:
        case KC_VALUE_INT16:
        case KC_VALUE_INT32:
        case KC_VALUE_INT64:
        case KC_VALUE_FLOAT32:
        case KC_VALUE_FLOAT64: return convert_replacement(type, t->replacement, err);
        case KC_VALUE_STRING: out = kc_value_string(t->replacement); break;
        case KC_VALUE_DECIMAL: {
            kc_error ignored;
            out = kc_value_decimal_parse(t->replacement, strlen(t->replacement), &ignored);
            if (!out) {
                kc_error_set(err, KC_ERR_INVALID, "Unable to convert %s (class java.lang.String) to number",
                             t->replacement);
                return NULL;
            }
            return out;
        }
        default:
            kc_error_set(err, KC_ERR_INVALID, "Cannot mask value of type %s with custom replacement.",
                         kc_value_type_java_class(type));
            return NULL;
        }
    } else {
        switch (type) {
        case KC_VALUE_BOOLEAN: out = kc_value_boolean(false); break;
        case KC_VALUE_INT8: out = kc_value_int8(0); break;
        case KC_VALUE_INT16: out = kc_value_int16(0); break;
        case KC_VALUE_INT32: out = kc_value_int32(0); break;
        case KC_VALUE_INT64: out = kc_value_int64(0); break;
        case KC_VALUE_FLOAT32: out = kc_value_float32(0.0f); break;
        case KC_VALUE_FLOAT64: out = kc_value_float64(0.0); break;
        case KC_VALUE_DECIMAL: out = kc_value_decimal_from_int64(0, 0); break;
        case KC_VALUE_TIMESTAMP: out = kc_value_timestamp(0); break;
        case KC_VALUE_STRING: out = kc_value_string(""); break;
        case KC_VALUE_ARRAY: out = kc_value_array_new(); break;
        case KC_VALUE_MAP: out = kc_value_map_new(); break;
        default:
            kc_error_set(err, KC_ERR_INVALID, "Cannot mask value of type: %s", kc_value_type_java_class(type));
            return NULL;
        }
    }
    if (!out)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return out;
}

static kc_record *fail(kc_record *r)
{
    kc_record_free(r);
    return NULL;
}

static kc_record *apply_schemaless(mask_field *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_map(value, PURPOSE, err) < 0)
        return fail(r);
    kc_value *updated = kc_value_copy(value);
    if (!updated) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return fail(r);
    }
    for (size_t i = 0; i < t->fields.count; i++) {
        kc_value *m = masked(t, kc_value_map_get_str(value, t->fields.items[i]), err);
        if (!m || kc_value_map_put_str_new(updated, t->fields.items[i], m) != 0) {
            if (m)
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

static kc_record *apply_with_schema(mask_field *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_struct(value, PURPOSE, err) < 0)
        return fail(r);
    const kc_schema *schema = kc_value_struct_schema(value);
    kc_value *updated = kc_value_struct_new(schema, err);
    if (!updated)
        return fail(r);
    for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
        const char *name = kc_field_name(kc_schema_field_at(schema, i));
        const kc_value *orig = kc_smt_struct_get(value, name, t->replace_null_with_default);
        kc_value *v = NULL;
        if (masked_field(t, name)) {
            if (!(v = masked(t, orig, err)))
                goto failed;
        } else if (kc_smt_copy(orig, &v, err) < 0) {
            goto failed;
        }
        if (kc_value_struct_put_new(updated, name, v, err) < 0)
            goto failed;
    }
    kc_smt_set(r, t->side, kc_schema_ref(kc_smt_schema(r, t->side)), updated);
    return r;
failed:
    kc_value_free(updated);
    return fail(r);
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    mask_field *t = self;
    if (!kc_smt_schema(r, t->side))
        return apply_schemaless(t, r, err);
    return apply_with_schema(t, r, err);
}

#define MASK_FIELD(variant, creator)                                                                         \
    {                                                                                                        \
        .class_name = "org.apache.kafka.connect.transforms.MaskField$" variant, .config = mask_field_config, \
        .config_count = sizeof mask_field_config / sizeof mask_field_config[0], .create = creator,           \
        .configure = configure, .apply = apply, .close = close_,                                             \
    }

const kc_transform_plugin kc_smt_mask_field_key = MASK_FIELD("Key", create_key);
const kc_transform_plugin kc_smt_mask_field_value = MASK_FIELD("Value", create_value);
