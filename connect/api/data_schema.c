/* Schemas: the predefined ones, accessors, equality and the builder (Java's ConnectSchema and
 * SchemaBuilder). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data_internal.h"

#define STATIC_SCHEMA(var, t, opt, nm)                                                             \
    static kc_schema var = {.refs = 1, .is_static = true, .type = (t), .optional = (opt),          \
                            .depth = 1, .name = (char *)(nm), .has_version = (nm) != NULL,         \
                            .version = 1}

STATIC_SCHEMA(s_int8, KC_SCHEMA_INT8, false, NULL);
STATIC_SCHEMA(s_int16, KC_SCHEMA_INT16, false, NULL);
STATIC_SCHEMA(s_int32, KC_SCHEMA_INT32, false, NULL);
STATIC_SCHEMA(s_int64, KC_SCHEMA_INT64, false, NULL);
STATIC_SCHEMA(s_float32, KC_SCHEMA_FLOAT32, false, NULL);
STATIC_SCHEMA(s_float64, KC_SCHEMA_FLOAT64, false, NULL);
STATIC_SCHEMA(s_boolean, KC_SCHEMA_BOOLEAN, false, NULL);
STATIC_SCHEMA(s_string, KC_SCHEMA_STRING, false, NULL);
STATIC_SCHEMA(s_bytes, KC_SCHEMA_BYTES, false, NULL);
STATIC_SCHEMA(s_oint8, KC_SCHEMA_INT8, true, NULL);
STATIC_SCHEMA(s_oint16, KC_SCHEMA_INT16, true, NULL);
STATIC_SCHEMA(s_oint32, KC_SCHEMA_INT32, true, NULL);
STATIC_SCHEMA(s_oint64, KC_SCHEMA_INT64, true, NULL);
STATIC_SCHEMA(s_ofloat32, KC_SCHEMA_FLOAT32, true, NULL);
STATIC_SCHEMA(s_ofloat64, KC_SCHEMA_FLOAT64, true, NULL);
STATIC_SCHEMA(s_oboolean, KC_SCHEMA_BOOLEAN, true, NULL);
STATIC_SCHEMA(s_ostring, KC_SCHEMA_STRING, true, NULL);
STATIC_SCHEMA(s_obytes, KC_SCHEMA_BYTES, true, NULL);
STATIC_SCHEMA(s_date, KC_SCHEMA_INT32, false, KC_DATE_LOGICAL_NAME);
STATIC_SCHEMA(s_time, KC_SCHEMA_INT32, false, KC_TIME_LOGICAL_NAME);
STATIC_SCHEMA(s_timestamp, KC_SCHEMA_INT64, false, KC_TIMESTAMP_LOGICAL_NAME);

const kc_schema *kc_schema_int8(void) { return &s_int8; }
const kc_schema *kc_schema_int16(void) { return &s_int16; }
const kc_schema *kc_schema_int32(void) { return &s_int32; }
const kc_schema *kc_schema_int64(void) { return &s_int64; }
const kc_schema *kc_schema_float32(void) { return &s_float32; }
const kc_schema *kc_schema_float64(void) { return &s_float64; }
const kc_schema *kc_schema_boolean(void) { return &s_boolean; }
const kc_schema *kc_schema_string(void) { return &s_string; }
const kc_schema *kc_schema_bytes(void) { return &s_bytes; }
const kc_schema *kc_schema_optional_int8(void) { return &s_oint8; }
const kc_schema *kc_schema_optional_int16(void) { return &s_oint16; }
const kc_schema *kc_schema_optional_int32(void) { return &s_oint32; }
const kc_schema *kc_schema_optional_int64(void) { return &s_oint64; }
const kc_schema *kc_schema_optional_float32(void) { return &s_ofloat32; }
const kc_schema *kc_schema_optional_float64(void) { return &s_ofloat64; }
const kc_schema *kc_schema_optional_boolean(void) { return &s_oboolean; }
const kc_schema *kc_schema_optional_string(void) { return &s_ostring; }
const kc_schema *kc_schema_optional_bytes(void) { return &s_obytes; }
const kc_schema *kc_schema_date(void) { return &s_date; }
const kc_schema *kc_schema_time(void) { return &s_time; }
const kc_schema *kc_schema_timestamp(void) { return &s_timestamp; }

const kc_schema *kc_schema_of_type(kc_schema_type type, bool optional)
{
    switch (type) {
    case KC_SCHEMA_INT8: return optional ? &s_oint8 : &s_int8;
    case KC_SCHEMA_INT16: return optional ? &s_oint16 : &s_int16;
    case KC_SCHEMA_INT32: return optional ? &s_oint32 : &s_int32;
    case KC_SCHEMA_INT64: return optional ? &s_oint64 : &s_int64;
    case KC_SCHEMA_FLOAT32: return optional ? &s_ofloat32 : &s_float32;
    case KC_SCHEMA_FLOAT64: return optional ? &s_ofloat64 : &s_float64;
    case KC_SCHEMA_BOOLEAN: return optional ? &s_oboolean : &s_boolean;
    case KC_SCHEMA_STRING: return optional ? &s_ostring : &s_string;
    case KC_SCHEMA_BYTES: return optional ? &s_obytes : &s_bytes;
    default: return NULL;
    }
}

const char *kc_schema_type_name(kc_schema_type type)
{
    static const char *const names[] = {"INT8",    "INT16",   "INT32",  "INT64",
                                        "FLOAT32", "FLOAT64", "BOOLEAN", "STRING",
                                        "BYTES",   "ARRAY",   "MAP",    "STRUCT"};
    if ((unsigned)type < sizeof names / sizeof names[0])
        return names[type];
    return "UNKNOWN";
}

/* ---- Reference counting --------------------------------------------------------------------- */

const kc_schema *kc_schema_ref(const kc_schema *s)
{
    if (s && !s->is_static)
        atomic_fetch_add_explicit(&((kc_schema *)s)->refs, 1, memory_order_relaxed);
    return s;
}

static void schema_destroy(kc_schema *s)
{
    kc_value_free(s->default_value);
    free(s->name);
    free(s->doc);
    for (size_t i = 0; i < s->nparams; i++) {
        free(s->param_keys[i]);
        free(s->param_values[i]);
    }
    free(s->param_keys);
    free(s->param_values);
    for (size_t i = 0; i < s->nfields; i++) {
        free(s->fields[i].name);
        kc_schema_unref(s->fields[i].schema);
    }
    free(s->fields);
    kc_schema_unref(s->key_schema);
    kc_schema_unref(s->value_schema);
    free(s);
}

void kc_schema_unref(const kc_schema *s)
{
    if (!s || s->is_static)
        return;
    kc_schema *m = (kc_schema *)s;
    if (atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1)
        schema_destroy(m);
}

/* ---- Accessors ------------------------------------------------------------------------------ */

kc_schema_type kc_schema_get_type(const kc_schema *s) { return s->type; }
bool kc_schema_is_optional(const kc_schema *s) { return s->optional; }
const kc_value *kc_schema_get_default(const kc_schema *s) { return s ? s->default_value : NULL; }
const char *kc_schema_get_name(const kc_schema *s) { return s ? s->name : NULL; }
const char *kc_schema_get_doc(const kc_schema *s) { return s ? s->doc : NULL; }

bool kc_schema_get_version(const kc_schema *s, int32_t *version)
{
    if (!s || !s->has_version)
        return false;
    if (version)
        *version = s->version;
    return true;
}

size_t kc_schema_parameter_count(const kc_schema *s) { return s ? s->nparams : 0; }

const char *kc_schema_parameter_key_at(const kc_schema *s, size_t i)
{
    return s && i < s->nparams ? s->param_keys[i] : NULL;
}

const char *kc_schema_parameter_value_at(const kc_schema *s, size_t i)
{
    return s && i < s->nparams ? s->param_values[i] : NULL;
}

const char *kc_schema_parameter(const kc_schema *s, const char *key)
{
    for (size_t i = 0; s && i < s->nparams; i++)
        if (strcmp(s->param_keys[i], key) == 0)
            return s->param_values[i];
    return NULL;
}

size_t kc_schema_field_count(const kc_schema *s) { return s ? s->nfields : 0; }

const kc_field *kc_schema_field_at(const kc_schema *s, size_t i)
{
    return s && i < s->nfields ? &s->fields[i] : NULL;
}

const kc_field *kc_schema_field(const kc_schema *s, const char *name)
{
    for (size_t i = 0; s && name && i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return &s->fields[i];
    return NULL;
}

const char *kc_field_name(const kc_field *f) { return f->name; }
int kc_field_index(const kc_field *f) { return f->index; }
const kc_schema *kc_field_schema(const kc_field *f) { return f->schema; }
const kc_schema *kc_schema_key_schema(const kc_schema *s) { return s ? s->key_schema : NULL; }
const kc_schema *kc_schema_value_schema(const kc_schema *s) { return s ? s->value_schema : NULL; }

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool params_equal(const kc_schema *a, const kc_schema *b)
{
    if (a->nparams != b->nparams)
        return false;
    for (size_t i = 0; i < a->nparams; i++)
        if (!str_eq(kc_schema_parameter(b, a->param_keys[i]), a->param_values[i]))
            return false;
    return true;
}

bool kc_schema_equals(const kc_schema *a, const kc_schema *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    if (a->type != b->type || a->optional != b->optional || a->has_version != b->has_version ||
        (a->has_version && a->version != b->version) || !str_eq(a->name, b->name) ||
        !str_eq(a->doc, b->doc) || a->nfields != b->nfields || !params_equal(a, b))
        return false;
    if ((a->default_value == NULL) != (b->default_value == NULL) ||
        (a->default_value && !kc_value_equals(a->default_value, b->default_value)))
        return false;
    for (size_t i = 0; i < a->nfields; i++)
        if (a->fields[i].index != b->fields[i].index ||
            strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
            !kc_schema_equals(a->fields[i].schema, b->fields[i].schema))
            return false;
    return kc_schema_equals(a->key_schema, b->key_schema) &&
           kc_schema_equals(a->value_schema, b->value_schema);
}

const char *kc_schema_to_string(const kc_schema *s, char *buf, size_t size)
{
    if (!s)
        snprintf(buf, size, "null");
    else if (s->name)
        snprintf(buf, size, "Schema{%s:%s}", s->name, kc_schema_type_name(s->type));
    else
        snprintf(buf, size, "Schema{%s}", kc_schema_type_name(s->type));
    return buf;
}

/* ---- Builder -------------------------------------------------------------------------------- */

struct kc_schema_builder {
    kc_schema_type type;
    int optional; /* -1 unset */
    kc_value *default_value;
    char *name;
    bool has_version;
    int32_t version;
    char *doc;
    size_t nparams, params_cap;
    char **param_keys;
    char **param_values;
    size_t nfields, fields_cap;
    kc_field *fields;
    const kc_schema *key_schema;
    const kc_schema *value_schema;
    bool failed;
    kc_error error;
};

static int builder_fail(kc_schema_builder *b, kc_error_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int builder_fail(kc_schema_builder *b, kc_error_code code, const char *fmt, ...)
{
    if (!b || b->failed)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->error.msg, sizeof b->error.msg, fmt, ap);
    va_end(ap);
    b->error.code = code;
    b->failed = true;
    return -1;
}

#define BUILDER_CHECK(b)                                                                           \
    do {                                                                                           \
        if (!(b) || (b)->failed)                                                                   \
            return -1;                                                                             \
    } while (0)

kc_schema_builder *kc_schema_builder_new(kc_schema_type type)
{
    kc_schema_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->type = type;
    b->optional = -1;
    if ((unsigned)type > KC_SCHEMA_STRUCT)
        builder_fail(b, KC_ERR_INVALID, "type cannot be null");
    return b;
}

kc_schema_builder *kc_schema_builder_struct(void) { return kc_schema_builder_new(KC_SCHEMA_STRUCT); }

kc_schema_builder *kc_schema_builder_array(const kc_schema *value_schema)
{
    kc_schema_builder *b = kc_schema_builder_new(KC_SCHEMA_ARRAY);
    if (!b)
        return NULL;
    if (!value_schema)
        builder_fail(b, KC_ERR_INVALID, "valueSchema cannot be null.");
    b->value_schema = kc_schema_ref(value_schema);
    return b;
}

kc_schema_builder *kc_schema_builder_map(const kc_schema *key_schema, const kc_schema *value_schema)
{
    kc_schema_builder *b = kc_schema_builder_new(KC_SCHEMA_MAP);
    if (!b)
        return NULL;
    if (!key_schema)
        builder_fail(b, KC_ERR_INVALID, "keySchema cannot be null.");
    else if (!value_schema)
        builder_fail(b, KC_ERR_INVALID, "valueSchema cannot be null.");
    b->key_schema = kc_schema_ref(key_schema);
    b->value_schema = kc_schema_ref(value_schema);
    return b;
}

static kc_schema_builder *logical_builder(kc_schema_type type, const char *name)
{
    kc_schema_builder *b = kc_schema_builder_new(type);
    kc_schema_builder_name(b, name);
    kc_schema_builder_version(b, 1);
    return b;
}

kc_schema_builder *kc_schema_builder_decimal(int32_t scale)
{
    kc_schema_builder *b = kc_schema_builder_new(KC_SCHEMA_BYTES);
    char text[16];
    snprintf(text, sizeof text, "%d", (int)scale);
    kc_schema_builder_name(b, KC_DECIMAL_LOGICAL_NAME);
    kc_schema_builder_parameter(b, KC_DECIMAL_SCALE_FIELD, text);
    kc_schema_builder_version(b, 1);
    return b;
}

kc_schema_builder *kc_schema_builder_date(void)
{
    return logical_builder(KC_SCHEMA_INT32, KC_DATE_LOGICAL_NAME);
}

kc_schema_builder *kc_schema_builder_time(void)
{
    return logical_builder(KC_SCHEMA_INT32, KC_TIME_LOGICAL_NAME);
}

kc_schema_builder *kc_schema_builder_timestamp(void)
{
    return logical_builder(KC_SCHEMA_INT64, KC_TIMESTAMP_LOGICAL_NAME);
}

static int set_optional(kc_schema_builder *b, int value)
{
    BUILDER_CHECK(b);
    if (b->optional != -1 && b->optional != value)
        return builder_fail(b, KC_ERR_INVALID,
                            "Invalid SchemaBuilder call: optional has already been set.");
    b->optional = value;
    return 0;
}

int kc_schema_builder_optional(kc_schema_builder *b) { return set_optional(b, 1); }
int kc_schema_builder_required(kc_schema_builder *b) { return set_optional(b, 0); }

static int set_string(kc_schema_builder *b, char **slot, const char *value, const char *what)
{
    BUILDER_CHECK(b);
    if (*slot && !str_eq(*slot, value))
        return builder_fail(b, KC_ERR_INVALID,
                            "Invalid SchemaBuilder call: %s has already been set.", what);
    if (*slot || !value)
        return 0;
    *slot = strdup(value);
    if (!*slot)
        return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
    return 0;
}

int kc_schema_builder_name(kc_schema_builder *b, const char *name)
{
    return set_string(b, b ? &b->name : NULL, name, "name");
}

int kc_schema_builder_doc(kc_schema_builder *b, const char *doc)
{
    return set_string(b, b ? &b->doc : NULL, doc, "doc");
}

int kc_schema_builder_version(kc_schema_builder *b, int32_t version)
{
    BUILDER_CHECK(b);
    if (b->has_version && b->version != version)
        return builder_fail(b, KC_ERR_INVALID,
                            "Invalid SchemaBuilder call: version has already been set.");
    b->has_version = true;
    b->version = version;
    return 0;
}

int kc_schema_builder_parameter(kc_schema_builder *b, const char *key, const char *value)
{
    BUILDER_CHECK(b);
    if (!key || !value)
        return builder_fail(b, KC_ERR_INVALID, "schema parameter names and values cannot be null");
    for (size_t i = 0; i < b->nparams; i++) {
        if (strcmp(b->param_keys[i], key) == 0) {
            char *v = strdup(value);
            if (!v)
                return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
            free(b->param_values[i]);
            b->param_values[i] = v;
            return 0;
        }
    }
    if (b->nparams == b->params_cap) {
        size_t cap = b->params_cap ? b->params_cap * 2 : 4;
        char **k = realloc(b->param_keys, cap * sizeof *k);
        if (!k)
            return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
        b->param_keys = k;
        char **v = realloc(b->param_values, cap * sizeof *v);
        if (!v)
            return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
        b->param_values = v;
        b->params_cap = cap;
    }
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
    }
    b->param_keys[b->nparams] = k;
    b->param_values[b->nparams] = v;
    b->nparams++;
    return 0;
}

int kc_schema_builder_field(kc_schema_builder *b, const char *name, const kc_schema *schema)
{
    BUILDER_CHECK(b);
    if (b->type != KC_SCHEMA_STRUCT)
        return builder_fail(b, KC_ERR_INVALID, "Cannot create fields on type %s",
                            kc_schema_type_name(b->type));
    if (!name || !*name)
        return builder_fail(b, KC_ERR_INVALID, "fieldName cannot be null.");
    if (!schema)
        return builder_fail(b, KC_ERR_INVALID, "fieldSchema for field %s cannot be null.", name);
    for (size_t i = 0; i < b->nfields; i++)
        if (strcmp(b->fields[i].name, name) == 0)
            return builder_fail(b, KC_ERR_INVALID,
                                "Cannot create field because of field name duplication %s", name);
    if (b->nfields == b->fields_cap) {
        size_t cap = b->fields_cap ? b->fields_cap * 2 : 8;
        kc_field *f = realloc(b->fields, cap * sizeof *f);
        if (!f)
            return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
        b->fields = f;
        b->fields_cap = cap;
    }
    char *n = strdup(name);
    if (!n)
        return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
    b->fields[b->nfields].name = n;
    b->fields[b->nfields].index = (int)b->nfields;
    b->fields[b->nfields].schema = kc_schema_ref(schema);
    b->nfields++;
    return 0;
}

static void builder_clear(kc_schema_builder *b)
{
    kc_value_free(b->default_value);
    free(b->name);
    free(b->doc);
    for (size_t i = 0; i < b->nparams; i++) {
        free(b->param_keys[i]);
        free(b->param_values[i]);
    }
    free(b->param_keys);
    free(b->param_values);
    for (size_t i = 0; i < b->nfields; i++) {
        free(b->fields[i].name);
        kc_schema_unref(b->fields[i].schema);
    }
    free(b->fields);
    kc_schema_unref(b->key_schema);
    kc_schema_unref(b->value_schema);
}

void kc_schema_builder_free(kc_schema_builder *b)
{
    if (!b)
        return;
    builder_clear(b);
    free(b);
}

const kc_error *kc_schema_builder_error(const kc_schema_builder *b)
{
    return b && b->failed ? &b->error : NULL;
}

/* Makes a schema of the builder's state; with_default copies the default too. */
static kc_schema *builder_make(const kc_schema_builder *b, bool with_default, kc_error *err)
{
    kc_schema *s = calloc(1, sizeof *s);
    if (!s)
        goto oom;
    atomic_init(&s->refs, 1);
    s->type = b->type;
    s->optional = b->optional == 1;
    s->has_version = b->has_version;
    s->version = b->version;
    s->depth = 1;
    if ((b->name && !(s->name = strdup(b->name))) || (b->doc && !(s->doc = strdup(b->doc))))
        goto oom;
    if (b->nparams) {
        s->param_keys = calloc(b->nparams, sizeof *s->param_keys);
        s->param_values = calloc(b->nparams, sizeof *s->param_values);
        if (!s->param_keys || !s->param_values)
            goto oom;
        s->nparams = b->nparams;
        for (size_t i = 0; i < b->nparams; i++) {
            s->param_keys[i] = strdup(b->param_keys[i]);
            s->param_values[i] = strdup(b->param_values[i]);
            if (!s->param_keys[i] || !s->param_values[i])
                goto oom;
        }
    }
    if (b->type == KC_SCHEMA_STRUCT && b->nfields) {
        s->fields = calloc(b->nfields, sizeof *s->fields);
        if (!s->fields)
            goto oom;
        for (size_t i = 0; i < b->nfields; i++) {
            s->fields[i].name = strdup(b->fields[i].name);
            if (!s->fields[i].name)
                goto oom;
            s->fields[i].index = (int)i;
            s->fields[i].schema = kc_schema_ref(b->fields[i].schema);
            s->nfields = i + 1;
            if (b->fields[i].schema->depth + 1 > s->depth)
                s->depth = b->fields[i].schema->depth + 1;
        }
    }
    s->key_schema = kc_schema_ref(b->key_schema);
    s->value_schema = kc_schema_ref(b->value_schema);
    if (s->key_schema && s->key_schema->depth + 1 > s->depth)
        s->depth = s->key_schema->depth + 1;
    if (s->value_schema && s->value_schema->depth + 1 > s->depth)
        s->depth = s->value_schema->depth + 1;
    if (s->depth > KC_DATA_MAX_DEPTH) {
        kc_schema_unref(s);
        kc_error_set(err, KC_ERR_INVALID, "schema nests deeper than %d levels", KC_DATA_MAX_DEPTH);
        return NULL;
    }
    if (with_default && b->default_value) {
        s->default_value = kc_value_copy(b->default_value);
        if (!s->default_value)
            goto oom;
    }
    return s;
oom:
    if (s)
        kc_schema_unref(s);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory building a schema");
    return NULL;
}

const kc_schema *kc_schema_builder_snapshot(const kc_schema_builder *b, kc_error *err)
{
    if (!b) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory building a schema");
        return NULL;
    }
    if (b->failed) {
        if (err)
            *err = b->error;
        return NULL;
    }
    return builder_make(b, true, err);
}

const kc_schema *kc_schema_builder_build(kc_schema_builder *b, kc_error *err)
{
    const kc_schema *s = kc_schema_builder_snapshot(b, err);
    kc_schema_builder_free(b);
    return s;
}

int kc_schema_builder_default_new(kc_schema_builder *b, kc_value *value)
{
    if (!b || b->failed) {
        kc_value_free(value);
        return -1;
    }
    if (b->default_value && !kc_value_equals(b->default_value, value)) {
        kc_value_free(value);
        return builder_fail(b, KC_ERR_INVALID,
                            "Invalid SchemaBuilder call: default has already been set.");
    }
    kc_error err;
    kc_schema *now = builder_make(b, false, &err);
    if (!now) {
        kc_value_free(value);
        return builder_fail(b, err.code, "%s", err.msg);
    }
    int rc = kc_value_validate(now, value, NULL, &err);
    kc_schema_unref(now);
    if (rc != 0) {
        kc_value_free(value);
        return builder_fail(b, KC_ERR_INVALID, "Invalid default value: %s", err.msg);
    }
    if (kc_value_is_null(value)) {
        kc_value_free(value);
        return 0;
    }
    kc_value_free(b->default_value);
    b->default_value = value;
    return 0;
}

int kc_schema_builder_default(kc_schema_builder *b, const kc_value *value)
{
    BUILDER_CHECK(b);
    kc_value *copy = kc_value_copy(value);
    if (!copy)
        return builder_fail(b, KC_ERR_INTERNAL, "out of memory building a schema");
    return kc_schema_builder_default_new(b, copy);
}

const kc_schema *kc_schema_decimal(int32_t scale)
{
    return kc_schema_builder_build(kc_schema_builder_decimal(scale), NULL);
}

const kc_schema *kc__schema_new_raw(kc_schema_type type, bool optional, const kc_schema *key,
                                    const kc_schema *value)
{
    kc_schema_builder *b = kc_schema_builder_new(type);
    if (!b)
        return NULL;
    b->optional = optional ? 1 : 0;
    b->key_schema = kc_schema_ref(key);
    b->value_schema = kc_schema_ref(value);
    return kc_schema_builder_build(b, NULL);
}
