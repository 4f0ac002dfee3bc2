/* ExtractField$Key / ExtractField$Value: replace the key or value with one of its fields (nested
 * fields with field.syntax.version=V2, KIP-821's dotted paths with backtick quoting). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/worker/transforms/smt.h"

#define PURPOSE "field extraction"

#define FIELD_SYNTAX_VERSION_DOC                                                                                  \
    "Defines the version of the syntax to access fields. If set to <code>V1</code>, then the field paths are "     \
    "limited to access the elements at the root level of the struct or map. If set to <code>V2</code>, the syntax " \
    "will support accessing nested elements. To access nested elements, dotted notation is used. If dots are "     \
    "already included in the field name, then backtick pairs can be used to wrap field names containing dots. "   \
    "E.g. to access the subfield <code>baz</code> from a field named \"foo.bar\" in a struct/map the following "  \
    "format can be used to access its elements: \"<code>foo.bar</code>.baz\"."

static const kc_config_key extract_field_config[] = {
    KC_CONFIG_KEY("field", KC_CONFIG_STRING, .importance = KC_CONFIG_MEDIUM, .documentation = "Field name to extract."),
    KC_CONFIG_KEY("replace.null.with.default", KC_CONFIG_BOOLEAN, .default_value = "true",
                  .importance = KC_CONFIG_MEDIUM, .documentation = KC_SMT_REPLACE_NULL_DOC),
    KC_CONFIG_KEY("field.syntax.version", KC_CONFIG_STRING, .default_value = "V1",
                  .validator = KC_CONFIG_IN_ANY_CASE("V1", "V2"), .importance = KC_CONFIG_HIGH,
                  .documentation = FIELD_SYNTAX_VERSION_DOC),
};

typedef struct extract_field {
    kc_smt_side side;
    char *original;
    kc_config_strs steps; /* SingleFieldPath: one or more steps */
    bool replace_null_with_default;
} extract_field;

static void *create_key(void)
{
    extract_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_KEY;
    return t;
}

static void *create_value(void)
{
    extract_field *t = calloc(1, sizeof *t);
    if (t)
        t->side = KC_SMT_VALUE;
    return t;
}

static void reset(extract_field *t)
{
    free(t->original);
    t->original = NULL;
    kc_config_strs_clear(&t->steps);
}

static void close_(void *self)
{
    if (!self)
        return;
    reset(self);
    free(self);
}

static int add_step(kc_config_strs *steps, const char *s, size_t n)
{
    char *copy = strndup(s, n);
    int rc = copy ? kc_config_strs_add(steps, copy) : -1;
    free(copy);
    return rc;
}

/* SingleFieldPath's V2 syntax: steps separated by dots; a step in backticks may hold dots, and a
 * backtick inside it is escaped with a backslash when followed by a dot. */
static int parse_v2(const char *path, kc_config_strs *steps, kc_error *err)
{
    size_t n = strlen(path), idx = 0;
    while (idx < n) {
        if (path[idx] != '`') {
            const char *dot = strchr(path + idx, '.');
            size_t end = dot ? (size_t)(dot - path) : n;
            if (add_step(steps, path + idx, end - idx) < 0)
                goto oom;
            idx = dot ? end + 1 : n;
            continue;
        }
        size_t backtick_at = idx, start = ++idx;
        char *field = calloc(1, n + 1);
        size_t flen = 0;
        if (!field)
            goto oom;
        for (;;) {
            const char *bt = idx < n ? strchr(path + idx, '`') : NULL;
            if (!bt) {
                free(field);
                return kc_error_set(err, KC_ERR_INVALID,
                                    "Incomplete backtick pair in path: [%s], consider adding a backslash before "
                                    "backtick at position %zu to escape it", path, backtick_at);
            }
            idx = (size_t)(bt - path);
            bool escaped = path[idx - 1] == '\\';
            if (idx >= n - 1) {
                if (escaped) {
                    free(field);
                    return kc_error_set(err, KC_ERR_INVALID,
                                        "Incomplete backtick pair in path: [%s], consider adding a backslash before "
                                        "backtick at position %zu to escape it", path, backtick_at);
                }
                memcpy(field + flen, path + start, idx - start);
                flen += idx - start;
                idx++;
                break;
            }
            if (path[idx + 1] != '.') {
                idx++;
                continue;
            }
            if (escaped) {
                memcpy(field + flen, path + start, idx - 1 - start);
                flen += idx - 1 - start;
                field[flen++] = '`';
                start = ++idx;
                continue;
            }
            memcpy(field + flen, path + start, idx - start);
            flen += idx - start;
            idx += 2;
            break;
        }
        field[flen] = '\0';
        int rc = kc_config_strs_add(steps, field);
        free(field);
        if (rc < 0)
            goto oom;
    }
    if (n > 0 && path[n - 1] == '.' && add_step(steps, "", 0) < 0)
        goto oom;
    return 0;
oom:
    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
}

static int configure(void *self, const kc_props *props, kc_error *err)
{
    extract_field *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, extract_field_config, sizeof extract_field_config / sizeof extract_field_config[0],
                            props, err) < 0)
        return -1;
    int rc = -1;
    t->replace_null_with_default = kc_config_get_bool(c.parsed, "replace.null.with.default");
    if (kc_smt_config_string(&c, "field", &t->original) < 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    if (strcasecmp(kc_config_get_string(c.parsed, "field.syntax.version"), "V2") == 0) {
        if (parse_v2(t->original, &t->steps, err) < 0)
            goto out;
    } else if (kc_config_strs_add(&t->steps, t->original) < 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    rc = 0;
out:
    kc_smt_config_clear(&c);
    return rc;
}

static kc_record *fail(kc_record *r)
{
    kc_record_free(r);
    return NULL;
}

/* SingleFieldPath.valueFrom(Map): borrowed, NULL for null. */
static const kc_value *value_from_map(const extract_field *t, const kc_value *map, kc_error *err, int *failed)
{
    const kc_value *cur = map;
    for (size_t i = 0; i + 1 < t->steps.count; i++) {
        const kc_value *sub = kc_value_map_get_str(cur, t->steps.items[i]);
        if (kc_value_is_null(sub))
            return NULL;
        if (kc_smt_require_map(sub, "nested field access", err) < 0) {
            *failed = 1;
            return NULL;
        }
        cur = sub;
    }
    return kc_value_map_get_str(cur, t->steps.items[t->steps.count - 1]);
}

/* SingleFieldPath.fieldFrom(Schema) */
static const kc_field *field_from(const extract_field *t, const kc_schema *schema, kc_error *err, int *failed)
{
    const kc_schema *cur = schema;
    for (size_t i = 0; i < t->steps.count; i++) {
        if (kc_schema_get_type(cur) != KC_SCHEMA_STRUCT) {
            *failed = 1;
            kc_error_set(err, KC_ERR_INVALID, "Cannot look up fields on non-struct type");
            return NULL;
        }
        const kc_field *f = kc_schema_field(cur, t->steps.items[i]);
        if (!f || i + 1 == t->steps.count)
            return f;
        cur = kc_field_schema(f);
    }
    return NULL;
}

/* SingleFieldPath.valueFrom(Struct, withDefault) */
static const kc_value *value_from_struct(const extract_field *t, const kc_value *st, kc_error *err, int *failed)
{
    const kc_value *cur = st;
    for (size_t i = 0; i + 1 < t->steps.count; i++) {
        if (!kc_schema_field(kc_value_struct_schema(cur), t->steps.items[i]))
            return NULL;
        const kc_value *sub = kc_smt_struct_get(cur, t->steps.items[i], true);
        if (kc_value_is_null(sub))
            return NULL;
        if (kc_smt_require_struct(sub, "nested field access", err) < 0) {
            *failed = 1;
            return NULL;
        }
        cur = sub;
    }
    const char *last = t->steps.items[t->steps.count - 1];
    if (!kc_schema_field(kc_value_struct_schema(cur), last))
        return NULL;
    return kc_smt_struct_get(cur, last, t->replace_null_with_default);
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    extract_field *t = self;
    const kc_schema *schema = kc_smt_schema(r, t->side);
    const kc_value *value = kc_smt_value(r, t->side);
    int failed = 0;
    const kc_value *found = NULL;
    const kc_schema *new_schema = NULL;
    if (!schema) {
        if (value && kc_smt_require_map(value, PURPOSE, err) < 0)
            return fail(r);
        if (value)
            found = value_from_map(t, value, err, &failed);
    } else {
        if (value && kc_smt_require_struct(value, PURPOSE, err) < 0)
            return fail(r);
        const kc_field *f = field_from(t, schema, err, &failed);
        if (failed)
            return fail(r);
        if (!f) {
            kc_error_set(err, KC_ERR_INVALID, "Unknown field: %s", t->original);
            return fail(r);
        }
        new_schema = kc_field_schema(f);
        if (value)
            found = value_from_struct(t, value, err, &failed);
    }
    if (failed)
        return fail(r);
    kc_value *copy;
    if (kc_smt_copy(found, &copy, err) < 0)
        return fail(r);
    kc_smt_set(r, t->side, new_schema ? kc_schema_ref(new_schema) : NULL, copy);
    return r;
}

#define EXTRACT_FIELD(variant, creator)                                                                        \
    {                                                                                                          \
        .class_name = "org.apache.kafka.connect.transforms.ExtractField$" variant,                             \
        .config = extract_field_config,                                                                        \
        .config_count = sizeof extract_field_config / sizeof extract_field_config[0], .create = creator,       \
        .configure = configure, .apply = apply, .close = close_,                                               \
    }

const kc_transform_plugin kc_smt_extract_field_key = EXTRACT_FIELD("Key", create_key);
const kc_transform_plugin kc_smt_extract_field_value = EXTRACT_FIELD("Value", create_value);
