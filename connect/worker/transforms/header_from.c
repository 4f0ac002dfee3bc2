/* HeaderFrom$Key / HeaderFrom$Value: move or copy fields of the key or value into headers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/smt.h"

/* NonEmptyListValidator */
static int check_non_empty(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null || value->list.count == 0)
        return kc_config_error_invalid(err, name, value, "Empty list");
    return 0;
}

static const kc_config_key header_from_config[] = {
    KC_CONFIG_KEY("fields", KC_CONFIG_LIST, .validator = KC_CONFIG_CHECK(check_non_empty, NULL, "non-empty list"),
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "Field names in the record whose values are to be copied or moved to headers."),
    KC_CONFIG_KEY("headers", KC_CONFIG_LIST, .validator = KC_CONFIG_CHECK(check_non_empty, NULL, "non-empty list"),
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "Header names, in the same order as the field names listed in the fields "
                                   "configuration property."),
    KC_CONFIG_KEY("operation", KC_CONFIG_STRING, .validator = KC_CONFIG_IN("move", "copy"),
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "Either <code>move</code> if the fields are to be moved to the headers (removed "
                                   "from the key/value), or <code>copy</code> if the fields are to be copied to the "
                                   "headers (retained in the key/value)."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
};

typedef struct header_from {
    kc_smt_side side;
    kc_config_strs fields, headers;
    bool move;
    bool replace_null_with_default;
    kc_smt_schema_cache cache;
} header_from;

static void *create_key(void)
{
    header_from *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_KEY;
    return t;
}

static void *create_value(void)
{
    header_from *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_VALUE;
    return t;
}

static void reset(header_from *t)
{
    kc_config_strs_clear(&t->fields);
    kc_config_strs_clear(&t->headers);
    kc_smt_cache_clear(&t->cache);
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
    header_from *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, header_from_config, sizeof header_from_config / sizeof header_from_config[0], props,
                            err) < 0)
        return -1;
    int rc = 0;
    if (kc_smt_config_list(&c, "fields", &t->fields) || kc_smt_config_list(&c, "headers", &t->headers))
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    else if (t->fields.count != t->headers.count)
        rc = kc_error_set(err, KC_ERR_INVALID,
                          "'fields' config must have the same number of elements as 'headers' config.");
    t->move = strcmp(kc_config_get_string(c.parsed, "operation"), "move") == 0;
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    kc_smt_config_clear(&c);
    return rc;
}

static bool is_listed(const header_from *t, const char *name)
{
    for (size_t i = 0; i < t->fields.count; i++)
        if (strcmp(t->fields.items[i], name) == 0)
            return true;
    return false;
}

static kc_record *fail(kc_record *r)
{
    kc_record_free(r);
    return NULL;
}

static kc_record *oom(kc_record *r, kc_error *err)
{
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return fail(r);
}

static kc_record *apply_schemaless(header_from *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_map(value, t->move ? "header move" : "header copy", err) < 0)
        return fail(r);
    kc_value *copy = kc_value_copy(value);
    if (!copy || kc_smt_hashmap_order(&copy, KC_SMT_HASHMAP_COPY, kc_value_map_size(value), err) < 0) {
        kc_value_free(copy);
        return oom(r, err);
    }
    for (size_t i = 0; i < t->fields.count; i++) {
        kc_value *v;
        if (kc_smt_copy(kc_value_map_get_str(value, t->fields.items[i]), &v, err) < 0 ||
            kc_headers_add_new(&r->headers, t->headers.items[i], NULL, v) < 0) {
            kc_value_free(copy);
            return oom(r, err);
        }
    }
    kc_value *updated = copy;
    if (t->move) { /* HashMap.remove keeps the order of the other entries */
        if (!(updated = kc_value_map_new())) {
            kc_value_free(copy);
            return oom(r, err);
        }
        for (size_t i = 0; i < kc_value_map_size(copy); i++) {
            const kc_value *k = kc_value_map_key_at(copy, i);
            if (kc_value_get_type(k) == KC_VALUE_STRING && is_listed(t, kc_value_get_string(k, NULL)))
                continue;
            if (kc_value_map_put(updated, k, kc_value_map_value_at(copy, i)) != 0) {
                kc_value_free(copy);
                kc_value_free(updated);
                return oom(r, err);
            }
        }
        kc_value_free(copy);
    }
    kc_smt_set(r, t->side, NULL, updated);
    return r;
}

static const kc_schema *move_schema(header_from *t, const kc_schema *schema, kc_error *err)
{
    const kc_schema *cached = kc_smt_cache_get(&t->cache, schema);
    if (cached)
        return cached;
    kc_schema_builder *b = kc_smt_copy_basics(schema, kc_schema_builder_struct());
    for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
        const kc_field *f = kc_schema_field_at(schema, i);
        if (!is_listed(t, kc_field_name(f)))
            kc_schema_builder_field(b, kc_field_name(f), kc_field_schema(f));
    }
    const kc_schema *built = kc_schema_builder_build(b, err);
    return built ? kc_smt_cache_put(&t->cache, schema, built) : NULL;
}

/* ConnectHeaders.checkSchemaMatches for a value read from a struct field of that schema. */
static int check_header(const kc_schema *schema, const kc_value *v, kc_error *err)
{
    if (kc_value_is_null(v) && !kc_schema_is_optional(schema)) {
        char buf[512];
        return kc_error_set(err, KC_ERR_INVALID, "A null value requires an optional schema but was %s",
                            kc_schema_to_string(schema, buf, sizeof buf));
    }
    return 0;
}

static kc_record *apply_with_schema(header_from *t, kc_record *r, kc_error *err)
{
    const kc_schema *schema = kc_smt_schema(r, t->side);
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_struct(value, t->move ? "header move" : "header copy", err) < 0)
        return fail(r);
    const kc_schema *vs = kc_value_struct_schema(value);
    const kc_schema *updated_s = NULL;
    kc_value *updated = NULL;
    if (t->move) {
        if (!(updated_s = move_schema(t, schema, err)) || !(updated = kc_value_struct_new(updated_s, err)))
            return fail(r);
        for (size_t i = 0; i < kc_schema_field_count(updated_s); i++) {
            const char *name = kc_field_name(kc_schema_field_at(updated_s, i));
            kc_value *v;
            if (kc_smt_copy(kc_smt_struct_get(value, name, t->replace_null_with_default), &v, err) < 0 ||
                kc_value_struct_put_new(updated, name, v, err) < 0)
                goto failed;
        }
    }
    for (size_t i = 0; i < t->fields.count; i++) {
        const char *name = t->fields.items[i];
        const kc_value *fv = kc_schema_field(vs, name) ? kc_smt_struct_get(value, name, t->replace_null_with_default)
                                                       : NULL;
        const kc_field *sf = kc_schema_field(schema, name);
        if (!sf) {
            kc_error_set(err, KC_ERR_INVALID,
                         "Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\" because the return value of "
                         "\"org.apache.kafka.connect.data.Schema.field(String)\" is null");
            goto failed;
        }
        kc_value *v;
        if (check_header(kc_field_schema(sf), fv, err) < 0 || kc_smt_copy(fv, &v, err) < 0)
            goto failed;
        if (kc_headers_add_new(&r->headers, t->headers.items[i], kc_schema_ref(kc_field_schema(sf)), v) < 0) {
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            goto failed;
        }
    }
    if (t->move)
        kc_smt_set(r, t->side, kc_schema_ref(updated_s), updated);
    return r;
failed:
    kc_value_free(updated);
    return fail(r);
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    header_from *t = self;
    if (!kc_smt_schema(r, t->side))
        return apply_schemaless(t, r, err);
    return apply_with_schema(t, r, err);
}

#define HEADER_FROM(variant, creator)                                                                         \
    {                                                                                                         \
        .class_name = "org.apache.kafka.connect.transforms.HeaderFrom$" variant, .config = header_from_config, \
        .config_count = sizeof header_from_config / sizeof header_from_config[0], .create = creator,          \
        .configure = configure, .apply = apply, .close = close_,                                              \
    }

const kc_transform_plugin kc_smt_header_from_key = HEADER_FROM("Key", create_key);
const kc_transform_plugin kc_smt_header_from_value = HEADER_FROM("Value", create_value);
