/* ReplaceField$Key / ReplaceField$Value: filter (exclude / include) and rename fields of a Struct
 * (schema updated, cached per input schema) or a Map. */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/smt.h"

#define PURPOSE "field replacement"

/* Java's parseRenameMappings: each entry must split into exactly two parts. */
static int check_renames(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    (void)opaque;
    for (size_t i = 0; !value->is_null && i < value->list.count; i++) {
        char *copy, **parts;
        long n = kc_smt_split_colon(value->list.items[i], &copy, &parts);
        free(copy);
        free(parts);
        if (n < 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        if (n != 2)
            return kc_config_error_invalid(err, "renames", value, "Invalid rename mapping: %s", value->list.items[i]);
    }
    return 0;
}

static const kc_config_key replace_field_config[] = {
    KC_CONFIG_KEY("exclude", KC_CONFIG_LIST, .default_value = "", .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Fields to exclude. This takes precedence over the fields to include."),
    KC_CONFIG_KEY("include", KC_CONFIG_LIST, .default_value = "", .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Fields to include. If specified, only these fields will be used."),
    KC_CONFIG_KEY("renames", KC_CONFIG_LIST, .default_value = "",
                  .validator = KC_CONFIG_CHECK(check_renames, NULL,
                                               "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"),
                  .importance = KC_CONFIG_MEDIUM, .documentation = "Field rename mappings."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
};

typedef struct replace_field {
    kc_smt_side side;
    kc_config_strs exclude, include;
    kc_config_strs from, to; /* renames, in order; a later mapping of the same name wins */
    bool replace_null_with_default;
    kc_smt_schema_cache cache;
} replace_field;

static void *create_key(void)
{
    replace_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_KEY;
    return t;
}

static void *create_value(void)
{
    replace_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_VALUE;
    return t;
}

static void reset(replace_field *t)
{
    kc_config_strs_clear(&t->exclude);
    kc_config_strs_clear(&t->include);
    kc_config_strs_clear(&t->from);
    kc_config_strs_clear(&t->to);
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
    replace_field *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, replace_field_config, sizeof replace_field_config / sizeof replace_field_config[0],
                            props, err) < 0)
        return -1;
    int rc = 0;
    kc_config_strs renames = {0};
    if (kc_smt_config_list(&c, "exclude", &t->exclude) || kc_smt_config_list(&c, "include", &t->include) ||
        kc_smt_config_list(&c, "renames", &renames))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < renames.count; i++) {
        char *copy, **parts;
        long n = kc_smt_split_colon(renames.items[i], &copy, &parts);
        if (n != 2 || kc_config_strs_add(&t->from, parts[0]) || kc_config_strs_add(&t->to, parts[1]))
            rc = -1;
        free(copy);
        free(parts);
    }
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    kc_config_strs_clear(&renames);
    kc_smt_config_clear(&c);
    if (rc)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return rc;
}

static bool contains(const kc_config_strs *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

static bool keep(const replace_field *t, const char *name)
{
    return !contains(&t->exclude, name) && (t->include.count == 0 || contains(&t->include, name));
}

static const char *renamed(const replace_field *t, const char *name)
{
    for (size_t i = t->from.count; i-- > 0;)
        if (strcmp(t->from.items[i], name) == 0)
            return t->to.items[i];
    return name;
}

static const char *reverse_renamed(const replace_field *t, const char *name)
{
    for (size_t i = t->to.count; i-- > 0;)
        if (strcmp(t->to.items[i], name) == 0 && strcmp(renamed(t, t->from.items[i]), name) == 0)
            return t->from.items[i];
    return name;
}

static kc_record *fail(kc_record *r)
{
    kc_record_free(r);
    return NULL;
}

static kc_record *apply_schemaless(replace_field *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_map(value, PURPOSE, err) < 0)
        return fail(r);
    kc_value *updated = kc_value_map_new();
    if (!updated)
        goto oom;
    for (size_t i = 0; i < kc_value_map_size(value); i++) {
        const kc_value *k = kc_value_map_key_at(value, i);
        const char *name = kc_value_get_type(k) == KC_VALUE_STRING ? kc_value_get_string(k, NULL) : NULL;
        if (!name) { /* not a String key: kept only when nothing is filtered by name */
            if (t->include.count == 0 && kc_value_map_put(updated, k, kc_value_map_value_at(value, i)) != 0)
                goto oom;
            continue;
        }
        if (keep(t, name) && kc_value_map_put_str(updated, renamed(t, name), kc_value_map_value_at(value, i)) != 0)
            goto oom;
    }
    if (kc_smt_hashmap_order(&updated, KC_SMT_HASHMAP_CAPACITY, kc_value_map_size(value), err) < 0) {
        kc_value_free(updated);
        return fail(r);
    }
    kc_smt_set(r, t->side, NULL, updated);
    return r;
oom:
    kc_value_free(updated);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return fail(r);
}

static const kc_schema *updated_schema(replace_field *t, const kc_schema *schema, kc_error *err)
{
    const kc_schema *cached = kc_smt_cache_get(&t->cache, schema);
    if (cached)
        return cached;
    kc_schema_builder *b = kc_smt_copy_basics(schema, kc_schema_builder_struct());
    for (size_t i = 0; i < kc_schema_field_count(schema); i++) {
        const kc_field *f = kc_schema_field_at(schema, i);
        if (keep(t, kc_field_name(f)))
            kc_schema_builder_field(b, renamed(t, kc_field_name(f)), kc_field_schema(f));
    }
    const kc_schema *built = kc_schema_builder_build(b, err);
    return built ? kc_smt_cache_put(&t->cache, schema, built) : NULL;
}

static kc_record *apply_with_schema(replace_field *t, kc_record *r, kc_error *err)
{
    const kc_value *value = kc_smt_value(r, t->side);
    if (kc_smt_require_struct(value, PURPOSE, err) < 0)
        return fail(r);
    const kc_schema *updated_s = updated_schema(t, kc_value_struct_schema(value), err);
    if (!updated_s)
        return fail(r);
    kc_value *updated = kc_value_struct_new(updated_s, err);
    if (!updated)
        return fail(r);
    for (size_t i = 0; i < kc_schema_field_count(updated_s); i++) {
        const char *name = kc_field_name(kc_schema_field_at(updated_s, i));
        const char *source = reverse_renamed(t, name);
        const kc_value *v = t->replace_null_with_default ? kc_value_struct_get(value, source, err)
                                                         : kc_value_struct_get_without_default(value, source, err);
        kc_value *copy;
        if (!v || kc_smt_copy(v, &copy, err) < 0 || kc_value_struct_put_new(updated, name, copy, err) < 0) {
            kc_value_free(updated);
            return fail(r);
        }
    }
    kc_smt_set(r, t->side, kc_schema_ref(updated_s), updated);
    return r;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    replace_field *t = self;
    if (!kc_smt_value(r, t->side))
        return r;
    if (!kc_smt_schema(r, t->side))
        return apply_schemaless(t, r, err);
    return apply_with_schema(t, r, err);
}

#define REPLACE_FIELD(variant, creator)                                                                        \
    {                                                                                                          \
        .class_name = "org.apache.kafka.connect.transforms.ReplaceField$" variant,                             \
        .config = replace_field_config,                                                                        \
        .config_count = sizeof replace_field_config / sizeof replace_field_config[0], .create = creator,       \
        .configure = configure, .apply = apply, .close = close_,                                               \
    }

const kc_transform_plugin kc_smt_replace_field_key = REPLACE_FIELD("Key", create_key);
const kc_transform_plugin kc_smt_replace_field_value = REPLACE_FIELD("Value", create_value);
