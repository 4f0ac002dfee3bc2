/*
 * ConfigInfos / ConfigKeyInfo / ConfigValueInfo JSON (jansson) and the Markdown reference.
 *
 * Field order is Java 4.3.1's, checked by serialising AbstractHerder.generateResult's output with
 * Jackson: ConfigKeyInfo is a record whose components are name, type, required, default_value,
 * importance, documentation, group, order_in_group, width, display_name, dependents. (Before Kafka
 * 4.x turned the entities into records, the class's getter named the field "order" and Jackson put
 * it last; spec 9.4 still describes that older shape.)
 *
 * Byte equality with Jackson: objects are built with json_object_set_new in Java's order and dumped
 * with JSON_COMPACT | JSON_PRESERVE_ORDER. jansson 2.14 and Jackson 2.21 escape strings the same
 * way (checked over U+0001..U+001F, '"', '\\', '/', U+007F, U+0080, U+2028, non-ASCII): '/' is
 * not escaped (jansson would only with JSON_ESCAPE_SLASH), \b \t \n \f \r use the short forms,
 * other control characters \u00XX with upper-case hex, everything else raw UTF-8. Differences:
 * U+0000 cannot occur (C strings), and a string that is not valid UTF-8 — which jansson refuses —
 * is written with U+FFFD for each bad byte.
 */
#include "connect/config/config_def_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON helpers ---------------------------------------------------------------------------- */

/* Valid UTF-8 copy of s, one U+FFFD per byte that does not start a well-formed sequence. */
static char *utf8_sanitized(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        bool ok = len > 0;
        for (size_t i = 1; ok && i < len; i++)
            ok = (p[i] & 0xC0) == 0x80;
        if (ok && len > 1) {
            char tmp[5] = { 0 };
            memcpy(tmp, p, len);
            json_t *probe = json_string(tmp); /* rejects overlong forms and surrogates */
            ok = probe != NULL;
            json_decref(probe);
        }
        if (ok) {
            memcpy(out + o, p, len);
            o += len;
            p += len;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    out[o] = '\0';
    return out;
}

/* A JSON string for s, or JSON null for NULL. NULL only when out of memory. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (!j) {
        char *fixed = utf8_sanitized(s);
        j = fixed ? json_string(fixed) : NULL;
        free(fixed);
    }
    return j;
}

/* A JSON string that takes over s (NULL: JSON null). */
static json_t *jstr_take(char *s)
{
    json_t *j = jstr(s);
    free(s);
    return j;
}

static json_t *jstrs(const kc_config_strs *l, bool hidden)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++)
        if (json_array_append_new(a, jstr(hidden ? KC_CONFIG_HIDDEN : l->items[i])) < 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

/* json_object_set_new that remembers a failure (a NULL value counts as one). */
static void put(json_t *o, const char *key, json_t *value, bool *ok)
{
    if (!value || json_object_set_new(o, key, value) < 0)
        *ok = false;
}

static json_t *done(json_t *o, bool ok)
{
    if (ok)
        return o;
    json_decref(o);
    return NULL;
}

static int reported_order(const kc_config_key *k)
{
    return !k->group && k->order_in_group == 0 ? -1 : k->order_in_group;
}

/* ---- entities -------------------------------------------------------------------------------- */

json_t *kc_config_key_info_json_new(const kc_config_def *def, size_t i)
{
    if (i >= def->count)
        return NULL;
    const kc_config_key *k = &def->keys[i];
    json_t *o = json_object();
    json_t *deps = json_array();
    bool ok = o && deps;
    for (const char *const *d = k->dependents; ok && d && *d; d++)
        ok = json_array_append_new(deps, jstr(*d)) == 0;
    if (!ok) {
        json_decref(deps);
        return done(o, false);
    }
    bool required = !def->has_default[i];
    put(o, "name", jstr(k->name), &ok);
    put(o, "type", jstr(kc_config_type_name(k->type)), &ok);
    put(o, "required", json_boolean(required), &ok);
    if (required)
        put(o, "default_value", json_null(), &ok);
    else if (def->defaults[i].is_null)
        put(o, "default_value", json_null(), &ok);
    else
        put(o, "default_value", jstr_take(kc_config_value_text_new(&def->defaults[i])), &ok);
    put(o, "importance", jstr(kc_config_importance_name(k->importance)), &ok);
    put(o, "documentation", jstr(k->documentation), &ok);
    put(o, "group", jstr(k->group), &ok);
    put(o, "order_in_group", json_integer(reported_order(k)), &ok);
    put(o, "width", jstr(kc_config_width_name(k->width)), &ok);
    put(o, "display_name", jstr(k->display_name ? k->display_name : k->name), &ok);
    put(o, "dependents", deps, &ok);
    return done(o, ok);
}

json_t *kc_config_value_info_json_new(const kc_config_validation *v, const kc_config_result *r)
{
    bool password = r->key >= 0 && v->def->keys[r->key].type == KC_CONFIG_PASSWORD;
    json_t *o = json_object();
    bool ok = o != NULL;
    if (!ok)
        return NULL;
    put(o, "name", jstr(r->name), &ok);
    if (r->value.is_null)
        put(o, "value", json_null(), &ok);
    else
        put(o, "value", jstr_take(kc_config_value_text_new(&r->value)), &ok);
    put(o, "recommended_values", jstrs(&r->recommended, password), &ok);
    put(o, "errors", jstrs(&r->errors, false), &ok);
    put(o, "visible", json_boolean(r->visible), &ok);
    return done(o, ok);
}

static json_t *config_info(json_t *definition, json_t *value)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    if (!ok) {
        json_decref(definition);
        json_decref(value);
        return NULL;
    }
    put(o, "definition", definition, &ok);
    put(o, "value", value, &ok);
    return done(o, ok);
}

json_t *kc_config_infos_json_new(const char *name, const kc_config_validation *v)
{
    const kc_config_def *def = v->def;
    json_t *o = json_object();
    json_t *groups = jstrs(&def->groups, false);
    json_t *configs = json_array();
    bool ok = o && groups && configs;
    for (size_t i = 0; ok && i < v->extra_count; i++)
        ok = json_array_append_new(configs, config_info(json_null(), kc_config_value_info_json_new(v, v->extras[i]))) == 0;
    for (size_t i = 0; ok && i < def->count; i++)
        ok = json_array_append_new(configs, config_info(kc_config_key_info_json_new(def, i),
                                                        kc_config_value_info_json_new(v, &v->results[i]))) == 0;
    if (!ok) {
        json_decref(groups);
        json_decref(configs);
        return done(o, false);
    }
    put(o, "name", jstr(name), &ok);
    put(o, "error_count", json_integer(kc_config_validation_error_count(v)), &ok);
    put(o, "groups", groups, &ok);
    put(o, "configs", configs, &ok);
    return done(o, ok);
}

json_t *kc_config_key_infos_json_new(const kc_config_def *def)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < def->count; i++)
        if (json_array_append_new(a, kc_config_key_info_json_new(def, i)) < 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

json_t *kc_config_infos_merge_json_new(const char *name, json_t *const *parts, size_t nparts)
{
    json_t *o = json_object();
    json_t *groups = json_array();
    json_t *configs = json_array();
    bool ok = o && groups && configs;
    json_int_t errors = 0;
    for (size_t p = 0; ok && p < nparts; p++) {
        if (!parts[p])
            continue;
        errors += json_integer_value(json_object_get(parts[p], "error_count"));
        ok = json_array_extend(configs, json_object_get(parts[p], "configs")) == 0;
        size_t gi;
        json_t *g;
        json_array_foreach(json_object_get(parts[p], "groups"), gi, g) {
            bool seen = false;
            size_t si;
            json_t *s;
            json_array_foreach(groups, si, s)
                seen = seen || json_equal(s, g);
            if (ok && !seen)
                ok = json_array_append(groups, g) == 0;
        }
    }
    if (!ok) {
        json_decref(groups);
        json_decref(configs);
        return done(o, false);
    }
    put(o, "name", jstr(name), &ok);
    put(o, "error_count", json_integer(errors), &ok);
    put(o, "groups", groups, &ok);
    put(o, "configs", configs, &ok);
    return done(o, ok);
}

char *kc_config_json_dumps(const json_t *json)
{
    return json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* ---- Markdown -------------------------------------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t len, cap;
    bool failed;
} buf;

static void add_n(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void add(buf *b, const char *s)
{
    add_n(b, s, strlen(s));
}

/* A table cell: '|' escaped, line breaks as spaces. Takes over s (NULL: out of memory). */
static void add_cell(buf *b, char *s)
{
    if (!s) {
        b->failed = true;
        return;
    }
    add(b, " ");
    for (const char *p = s; *p; p++) {
        if (*p == '|')
            add(b, "\\|");
        else if (*p == '\n' || *p == '\r')
            add(b, " ");
        else
            add_n(b, p, 1);
    }
    add(b, " |");
    free(s);
}

static char *lower(const char *s)
{
    char *l = strdup(s);
    for (char *p = l; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return l;
}

/* Java's niceMemoryUnits / niceTimeUnits suffix of a numeric default. */
static char *unit_suffix(const char *name, long long value)
{
    size_t n = strlen(name);
    if (n >= 6 && strcmp(name + n - 6, ".bytes") == 0) {
        static const char *const units[] = { "", "kibibyte", "mebibyte", "gibibyte", "tebibyte" };
        int i = 0;
        while (value != 0 && i < 4 && value % 1024 == 0) {
            value /= 1024;
            i++;
        }
        return i ? kc_config_strf(" (%lld %s%s", value, units[i], value == 1 ? ")" : "s)") : strdup("");
    }
    if (n >= 3 && strcmp(name + n - 3, ".ms") == 0) {
        static const long long div[] = { 1000, 60, 60, 24 };
        static const char *const units[] = { "second", "minute", "hour", "day" };
        int i = 0;
        while (value != 0 && i < 4 && value % div[i] == 0)
            value /= div[i++];
        return i ? kc_config_strf(" (%lld %s%s", value, units[i - 1], value > 1 ? "s)" : ")") : strdup("");
    }
    return strdup("");
}

/* ConfigDef.getConfigValue(key, "Default"). */
static char *default_cell(const kc_config_def *def, size_t i)
{
    if (!def->has_default[i])
        return strdup("");
    const kc_config_value *v = &def->defaults[i];
    if (v->is_null)
        return strdup("null");
    char *text = kc_config_value_text_new(v);
    if (!text || !text[0]) {
        free(text);
        return text ? strdup("\"\"") : NULL;
    }
    kc_config_type t = v->type;
    if (t != KC_CONFIG_INT && t != KC_CONFIG_SHORT && t != KC_CONFIG_LONG && t != KC_CONFIG_DOUBLE)
        return text;
    long long n = t == KC_CONFIG_DOUBLE ? (long long)v->dbl : (long long)v->integer;
    char *suffix = unit_suffix(def->keys[i].name, n);
    char *cell = suffix ? kc_config_strf("%s%s", text, suffix) : NULL;
    free(text);
    free(suffix);
    return cell;
}

typedef struct doc_order {
    const kc_config_def *def;
    size_t index;
    long group_rank; /* -1: no group */
} doc_order;

static int cmp_doc(const void *a, const void *b)
{
    const doc_order *x = a, *y = b;
    const kc_config_key *kx = &x->def->keys[x->index], *ky = &y->def->keys[y->index];
    if (x->group_rank != y->group_rank)
        return x->group_rank < y->group_rank ? -1 : 1;
    int ox = reported_order(kx), oy = reported_order(ky);
    if (ox != oy)
        return ox < oy ? -1 : 1;
    bool rx = !x->def->has_default[x->index], ry = !y->def->has_default[y->index];
    if (rx != ry)
        return rx ? -1 : 1;
    if (kx->importance != ky->importance)
        return kx->importance < ky->importance ? -1 : 1;
    return strcmp(kx->name, ky->name);
}

char *kc_config_def_markdown_new(const kc_config_def *def)
{
    doc_order *order = calloc(def->count ? def->count : 1, sizeof *order);
    if (!order)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < def->count; i++) {
        if (def->keys[i].internal)
            continue;
        long rank = -1;
        for (size_t g = 0; def->keys[i].group && g < def->groups.count; g++)
            if (strcmp(def->groups.items[g], def->keys[i].group) == 0)
                rank = (long)g;
        order[n++] = (doc_order){ def, i, rank };
    }
    qsort(order, n, sizeof *order, cmp_doc);
    buf b = { 0 };
    add(&b, "| Name | Type | Default | Valid Values | Importance | Description |\n");
    add(&b, "|---|---|---|---|---|---|\n");
    for (size_t r = 0; r < n; r++) {
        size_t i = order[r].index;
        const kc_config_key *k = &def->keys[i];
        add(&b, "|");
        add_cell(&b, kc_config_strf("`%s`", k->name));
        add_cell(&b, lower(kc_config_type_name(k->type)));
        add_cell(&b, default_cell(def, i));
        add_cell(&b, k->validator ? kc_config_validator_describe_new(k->validator) : strdup(""));
        add_cell(&b, lower(kc_config_importance_name(k->importance)));
        add_cell(&b, strdup(k->documentation ? k->documentation : "null"));
        add(&b, "\n");
    }
    free(order);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

int kc_config_docs_append(char **doc, const char *title, kc_config_table table)
{
    kc_error err;
    kc_config_def *def = kc_config_def_new(&table, 1, NULL, &err);
    char *md = def ? kc_config_def_markdown_new(def) : NULL;
    kc_config_def_free(def);
    if (!md)
        return -1;
    size_t len = strlen(*doc), add = strlen(title) + strlen(md) + 8;
    char *grown = realloc(*doc, len + add);
    if (grown)
        snprintf(grown + len, add, "\n## %s\n\n%s", title, md);
    free(md);
    if (!grown)
        return -1;
    *doc = grown;
    return 0;
}
