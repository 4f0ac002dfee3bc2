/* InsertField$Key / InsertField$Value: insert the record's topic, partition, offset, timestamp or a
 * static value as fields of a Struct (schema updated, cached per input schema) or a Map. */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/smt.h"

#define OPTIONALITY_DOC \
    "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)."
#define PURPOSE "field insertion"

static const kc_config_key insert_field_config[] = {
    KC_CONFIG_KEY("topic.field", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Field name for Kafka topic. " OPTIONALITY_DOC),
    KC_CONFIG_KEY("partition.field", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL,
                  .importance = KC_CONFIG_MEDIUM, .documentation = "Field name for Kafka partition. " OPTIONALITY_DOC),
    KC_CONFIG_KEY("offset.field", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Field name for Kafka offset - only applicable to sink connectors.<br/>"
                                   OPTIONALITY_DOC),
    KC_CONFIG_KEY("timestamp.field", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL,
                  .importance = KC_CONFIG_MEDIUM, .documentation = "Field name for record timestamp. " OPTIONALITY_DOC),
    KC_CONFIG_KEY("static.field", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Field name for static data field. " OPTIONALITY_DOC),
    KC_CONFIG_KEY("static.value", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Static field value, if field name configured."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
};

/* InsertionSpec: a field name, optional unless it ends with '!'. */
typedef struct spec {
    char *name; /* NULL: not configured */
    bool optional;
} spec;

typedef struct insert_field {
    kc_smt_side side;
    spec topic, partition, offset, timestamp, statik;
    char *static_value;
    bool replace_null_with_default;
    kc_smt_schema_cache cache;
} insert_field;

static void *create_key(void)
{
    insert_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_KEY;
    return t;
}

static void *create_value(void)
{
    insert_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_VALUE;
    return t;
}

static void reset(insert_field *t)
{
    free(t->topic.name);
    free(t->partition.name);
    free(t->offset.name);
    free(t->timestamp.name);
    free(t->statik.name);
    free(t->static_value);
    t->topic.name = t->partition.name = t->offset.name = t->timestamp.name = t->statik.name = NULL;
    t->static_value = NULL;
    kc_smt_cache_clear(&t->cache);
}

static void close_(void *self)
{
    if (!self)
        return;
    reset(self);
    free(self);
}

static int parse_spec(const kc_smt_config *c, const char *key, spec *s)
{
    const char *text = kc_config_get_string(c->parsed, key);
    s->name = NULL;
    s->optional = true;
    if (!text)
        return 0;
    size_t n = strlen(text);
    if (n && (text[n - 1] == '?' || text[n - 1] == '!')) {
        s->optional = text[n - 1] == '?';
        n--;
    }
    if (!(s->name = strndup(text, n)))
        return -1;
    return 0;
}

static int configure(void *self, const kc_props *props, kc_error *err)
{
    insert_field *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, insert_field_config, sizeof insert_field_config / sizeof insert_field_config[0],
                            props, err) < 0)
        return -1;
    int rc = -1;
    if (parse_spec(&c, "topic.field", &t->topic) || parse_spec(&c, "partition.field", &t->partition) ||
        parse_spec(&c, "offset.field", &t->offset) || parse_spec(&c, "timestamp.field", &t->timestamp) ||
        parse_spec(&c, "static.field", &t->statik) || kc_smt_config_string(&c, "static.value", &t->static_value)) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    if (!t->topic.name && !t->partition.name && !t->offset.name && !t->timestamp.name && !t->statik.name) {
        kc_error_set(err, KC_ERR_INVALID, "No field insertion configured");
        goto out;
    }
    if (t->statik.name && !t->static_value) {
        /* Java prints the InsertionSpec object (an identity hash); the field name is more useful */
        kc_error_set(err, KC_ERR_INVALID,
                     "Invalid value null for configuration static.value: No value specified for static field: %s",
                     t->statik.name);
        goto out;
    }
    rc = 0;
out:
    kc_smt_config_clear(&c);
    return rc;
}

static kc_record *fail(kc_record *r) /* err already set */
{
    kc_record_free(r);
    return NULL;
}

static kc_record *oom(kc_record *r, kc_error *err)
{
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return fail(r);
}

static kc_record *apply_schemaless(insert_field *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_map(value, PURPOSE, err) < 0)
        return fail(r);
    size_t original = kc_value_map_size(value);
    kc_value *updated = kc_value_copy(value);
    if (!updated)
        return oom(r, err);
    int bad = 0;
    if (t->topic.name)
        bad |= kc_value_map_put_str_new(updated, t->topic.name, kc_value_string(r->topic));
    if (t->partition.name && r->kafka_partition != KC_NO_PARTITION)
        bad |= kc_value_map_put_str_new(updated, t->partition.name, kc_value_int32(r->kafka_partition));
    if (t->offset.name) {
        if (kc_smt_require_sink_record(r, PURPOSE, err) < 0) {
            kc_value_free(updated);
            return fail(r);
        }
        bad |= kc_value_map_put_str_new(updated, t->offset.name, kc_value_int64(r->kafka_offset));
    }
    if (t->timestamp.name && r->timestamp != KC_NO_TIMESTAMP)
        bad |= kc_value_map_put_str_new(updated, t->timestamp.name, kc_value_int64(r->timestamp));
    if (t->statik.name && t->static_value)
        bad |= kc_value_map_put_str_new(updated, t->statik.name, kc_value_string(t->static_value));
    if (bad || kc_smt_hashmap_order(&updated, KC_SMT_HASHMAP_COPY, original, err) < 0) {
        kc_value_free(updated);
        return oom(r, err);
    }
    kc_smt_set(r, t->side, NULL, updated);
    return r;
}

static int add_field(kc_schema_builder *b, const spec *s, const kc_schema *required, const kc_schema *optional)
{
    return s->name ? kc_schema_builder_field(b, s->name, s->optional ? optional : required) : 0;
}

static const kc_schema *updated_schema(insert_field *t, const kc_schema *schema, kc_error *err)
{
    const kc_schema *cached = kc_smt_cache_get(&t->cache, schema);
    if (cached)
        return cached;
    kc_error ignored;
    const kc_schema *opt_ts;
    kc_schema_builder *tb = kc_schema_builder_timestamp();
    kc_schema_builder_optional(tb);
    if (!(opt_ts = kc_schema_builder_build(tb, &ignored))) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    kc_schema_builder *b = kc_smt_copy_basics(schema, kc_schema_builder_struct());
    for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
        const kc_field *f = kc_schema_field_at(schema, i);
        kc_schema_builder_field(b, kc_field_name(f), kc_field_schema(f));
    }
    add_field(b, &t->topic, kc_schema_string(), kc_schema_optional_string());
    add_field(b, &t->partition, kc_schema_int32(), kc_schema_optional_int32());
    add_field(b, &t->offset, kc_schema_int64(), kc_schema_optional_int64());
    add_field(b, &t->timestamp, kc_schema_timestamp(), opt_ts);
    add_field(b, &t->statik, kc_schema_string(), kc_schema_optional_string());
    kc_schema_unref(opt_ts);
    const kc_schema *built = kc_schema_builder_build(b, err);
    return built ? kc_smt_cache_put(&t->cache, schema, built) : NULL;
}

static kc_record *apply_with_schema(insert_field *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_struct(value, PURPOSE, err) < 0)
        return fail(r);
    const kc_schema *schema = kc_value_struct_schema(value);
    const kc_schema *updated_s = updated_schema(t, schema, err);
    if (!updated_s)
        return fail(r);
    kc_value *updated = kc_value_struct_new(updated_s, err);
    if (!updated)
        return fail(r);
    for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
        const char *name = kc_field_name(kc_schema_field_at(schema, i));
        kc_value *copy;
        if (kc_smt_copy(kc_smt_struct_get(value, name, t->replace_null_with_default), &copy, err) < 0 ||
            kc_value_struct_put_new(updated, name, copy, err) < 0)
            goto failed;
    }
    if (t->topic.name && kc_value_struct_put_new(updated, t->topic.name, kc_value_string(r->topic), err) < 0)
        goto failed;
    if (t->partition.name && r->kafka_partition != KC_NO_PARTITION &&
        kc_value_struct_put_new(updated, t->partition.name, kc_value_int32(r->kafka_partition), err) < 0)
        goto failed;
    if (t->offset.name && (kc_smt_require_sink_record(r, PURPOSE, err) < 0 ||
                           kc_value_struct_put_new(updated, t->offset.name, kc_value_int64(r->kafka_offset), err) < 0))
        goto failed;
    if (t->timestamp.name && r->timestamp != KC_NO_TIMESTAMP &&
        kc_value_struct_put_new(updated, t->timestamp.name, kc_value_timestamp(r->timestamp), err) < 0)
        goto failed;
    if (t->statik.name && t->static_value &&
        kc_value_struct_put_new(updated, t->statik.name, kc_value_string(t->static_value), err) < 0)
        goto failed;
    kc_smt_set(r, t->side, kc_schema_ref(updated_s), updated);
    return r;
failed:
    kc_value_free(updated);
    return fail(r);
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    insert_field *t = self;
    if (!kc_smt_value(r, t->side))
        return r;
    if (!kc_smt_schema(r, t->side))
        return apply_schemaless(t, r, err);
    return apply_with_schema(t, r, err);
}

#define INSERT_FIELD(variant, creator)                                                                      \
    {                                                                                                       \
        .class_name = "org.apache.kafka.connect.transforms.InsertField$" variant, .config = insert_field_config, \
        .config_count = sizeof insert_field_config / sizeof insert_field_config[0], .create = creator,      \
        .configure = configure, .apply = apply, .close = close_,                                            \
    }

const kc_transform_plugin kc_smt_insert_field_key = INSERT_FIELD("Key", create_key);
const kc_transform_plugin kc_smt_insert_field_value = INSERT_FIELD("Value", create_value);
