/* ValueToKey: replace the record key with a Struct (key schema cached per value schema) or a Map
 * made of the listed fields of the value. */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/smt.h"

#define PURPOSE "copying fields from value to key"

static const kc_config_key value_to_key_config[] = {
    KC_CONFIG_KEY("fields", KC_CONFIG_LIST, .validator = KC_CONFIG_LIST_NO_DUPLICATES(false, false),
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "Field names on the record value to extract as the record key."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
};

typedef struct value_to_key {
    kc_config_strs fields;
    bool replace_null_with_default;
    kc_smt_schema_cache cache;
} value_to_key;

static void *create(void) { return calloc(1, sizeof(value_to_key)); }

static void reset(value_to_key *t)
{
    kc_config_strs_clear(&t->fields);
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
    value_to_key *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, value_to_key_config, sizeof value_to_key_config / sizeof value_to_key_config[0],
                            props, err) < 0)
        return -1;
    int rc = kc_smt_config_list(&c, "fields", &t->fields);
    if (rc)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    kc_smt_config_clear(&c);
    return rc;
}

static kc_record *fail(kc_record *r)
{
    kc_record_free(r);
    return NULL;
}

static kc_record *apply_schemaless(value_to_key *t, kc_record *r, kc_error *err)
{
    if (kc_smt_require_map(r->value, PURPOSE, err) < 0)
        return fail(r);
    kc_value *key = kc_value_map_new();
    if (!key)
        goto oom;
    for (size_t i = 0; i < t->fields.count; i++) {
        const kc_value *v = kc_value_map_get_str(r->value, t->fields.items[i]);
        if (kc_value_map_put_str(key, t->fields.items[i], v ? v : kc_value_null()) != 0)
            goto oom;
    }
    if (kc_smt_hashmap_order(&key, KC_SMT_HASHMAP_CAPACITY, t->fields.count, err) < 0) {
        kc_value_free(key);
        return fail(r);
    }
    kc_record_set_key_new(r, NULL, key);
    return r;
oom:
    kc_value_free(key);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return fail(r);
}

static const kc_schema *key_schema(value_to_key *t, const kc_schema *value_schema, kc_error *err)
{
    const kc_schema *cached = kc_smt_cache_get(&t->cache, value_schema);
    if (cached)
        return cached;
    kc_schema_builder *b = kc_schema_builder_struct();
    for (size_t i = 0; i < t->fields.count; i++) {
        const kc_field *f = kc_schema_field(value_schema, t->fields.items[i]);
        if (!f) {
            kc_schema_builder_free(b);
            kc_error_set(err, KC_ERR_INVALID, "Field does not exist: %s", t->fields.items[i]);
            return NULL;
        }
        kc_schema_builder_field(b, t->fields.items[i], kc_field_schema(f));
    }
    const kc_schema *built = kc_schema_builder_build(b, err);
    return built ? kc_smt_cache_put(&t->cache, value_schema, built) : NULL;
}

static kc_record *apply_with_schema(value_to_key *t, kc_record *r, kc_error *err)
{
    const kc_value *value = r->value;
    if (kc_smt_require_struct(value, PURPOSE, err) < 0)
        return fail(r);
    const kc_schema *vs = kc_value_struct_schema(value);
    const kc_schema *ks = key_schema(t, vs, err);
    if (!ks)
        return fail(r);
    kc_value *key = kc_value_struct_new(ks, err);
    if (!key)
        return fail(r);
    for (size_t i = 0; i < t->fields.count; i++) {
        kc_value *copy;
        if (kc_smt_copy(kc_smt_struct_get(value, t->fields.items[i], t->replace_null_with_default), &copy, err) < 0 ||
            kc_value_struct_put_new(key, t->fields.items[i], copy, err) < 0) {
            kc_value_free(key);
            return fail(r);
        }
    }
    kc_record_set_key_new(r, kc_schema_ref(ks), key);
    if (r->value_schema != vs) { /* Java's new record carries the value's own schema */
        kc_schema_unref(r->value_schema);
        r->value_schema = kc_schema_ref(vs);
    }
    return r;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    value_to_key *t = self;
    if (!r->value_schema)
        return apply_schemaless(t, r, err);
    return apply_with_schema(t, r, err);
}

const kc_transform_plugin kc_smt_value_to_key = {
    .class_name = "org.apache.kafka.connect.transforms.ValueToKey",
    .config = value_to_key_config,
    .config_count = sizeof value_to_key_config / sizeof value_to_key_config[0],
    .create = create,
    .configure = configure,
    .apply = apply,
    .close = close_,
};
