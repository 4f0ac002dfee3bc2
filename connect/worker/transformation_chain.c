/* The transformation chain and the transforms / predicates ConfigDef enrichment; see
 * transformation_chain.h. */
#include "connect/worker/transformation_chain.h"
#include "connect/worker/converters.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/api/plugin.h"
#include "connect/api/transform.h"
#include "connect/version.h"

#define CONNECTOR_CLASS "connector.class"
#define MAX_RESTRICTIONS 16

/* ---- an arena: everything an enrichment hands out lives until it is freed -------------------- */

typedef struct arena {
    void **ptrs;
    size_t n, cap;
    bool oom;
} arena;

static void *keep(arena *a, void *p)
{
    if (!p) {
        a->oom = true;
        return NULL;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        void **g = realloc(a->ptrs, cap * sizeof *g);
        if (!g) {
            free(p);
            a->oom = true;
            return NULL;
        }
        a->ptrs = g;
        a->cap = cap;
    }
    a->ptrs[a->n++] = p;
    return p;
}

static char *keep_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *keep_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return keep(a, s);
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->ptrs[i]);
    free(a->ptrs);
    memset(a, 0, sizeof *a);
}

/* ---- plugins ------------------------------------------------------------------------------------ */

static const char *plugin_version(const kc_plugin_desc *d) { return d->version ? d->version : KC_VERSION; }

static const char *kind_interface(kc_plugin_kind kind)
{
    return kind == KC_PLUGIN_TRANSFORMATION ? "Transformation" : "Predicate";
}

/* The abstract classes of the $Key / $Value families: Java loads them, then refuses them. */
static const char *const abstract_families[] = {
    "org.apache.kafka.connect.transforms.Cast",       "org.apache.kafka.connect.transforms.ExtractField",
    "org.apache.kafka.connect.transforms.HeaderFrom", "org.apache.kafka.connect.transforms.InsertField",
    "org.apache.kafka.connect.transforms.MaskField",  "org.apache.kafka.connect.transforms.ReplaceField",
};

static int abstract_family(const char *name)
{
    for (size_t i = 0; i < sizeof abstract_families / sizeof abstract_families[0]; i++)
        if (strcmp(abstract_families[i], name) == 0)
            return (int)i;
    return -1;
}

int kc_transforms_class_exists(const char *name, void *opaque)
{
    (void)opaque;
    /* converters live in their own registry (converters.h) */
    return kc_plugins_find_any(name) != NULL || abstract_family(name) >= 0 || kc_converter_find(name) != NULL ||
           kc_plugins_class_name_known(name);
}

/* String.trim() into a new string. */
static char *trimmed(const char *s)
{
    size_t b = 0, e = strlen(s);
    while (b < e && (unsigned char)s[b] <= ' ')
        b++;
    while (e > b && (unsigned char)s[e - 1] <= ' ')
        e--;
    return strndup(s + b, e - b);
}

/* Resolves name (already trimmed) as a plugin of kind, as Java's class loading plus
 * Utils.ensureConcreteSubclass do. 0 with *out; 1 when no class has that name; -1 with err. */
static int resolve_class(const char *name, kc_plugin_kind kind, const kc_plugin_desc **out, kc_error *err)
{
    kc_error ignored;
    int fam = abstract_family(name);
    if (fam >= 0) {
        if (kind != KC_PLUGIN_TRANSFORMATION)
            return kc_error_set(err, KC_ERR_INVALID, "Class class %s does not implement the %s interface", name,
                                kind_interface(kind));
        return kc_error_set(err, KC_ERR_INVALID,
                            "This class is abstract and cannot be created. Did you mean %s$Key, %s$Value?", name, name);
    }
    if ((*out = kc_plugins_find(kind, name, &ignored)))
        return 0;
    const kc_plugin_desc *any = kc_plugins_find_any(name);
    if (any)
        return kc_error_set(err, KC_ERR_INVALID, "Class class %s does not implement the %s interface",
                            any->class_name, kind_interface(kind));
    return 1;
}

/* ---- version requirements (PluginUtils.connectorVersionRequirement, Maven's VersionRange) ------ */

typedef struct restriction {
    char *lower, *upper; /* NULL: unbounded */
    bool lower_inclusive, upper_inclusive;
} restriction;

typedef struct vrange {
    char *copy;
    restriction r[MAX_RESTRICTIONS];
    size_t count;
    bool any; /* no requirement ("latest" or null) */
} vrange;

/* A simplified Maven version order: items split on '.' and '-', numbers compared as numbers and
 * ranked above words, missing items equal to 0. */
static int version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        size_t la = strcspn(a, ".-"), lb = strcspn(b, ".-");
        bool na = la > 0, nb = lb > 0;
        for (size_t i = 0; i < la; i++)
            na = na && isdigit((unsigned char)a[i]);
        for (size_t i = 0; i < lb; i++)
            nb = nb && isdigit((unsigned char)b[i]);
        int c;
        if ((na || !la) && (nb || !lb)) {
            unsigned long long x = la ? strtoull(a, NULL, 10) : 0, y = lb ? strtoull(b, NULL, 10) : 0;
            c = x < y ? -1 : x > y;
        } else if (na != nb) {
            c = na ? 1 : -1;
        } else {
            size_t m = la < lb ? la : lb;
            c = strncmp(a, b, m);
            if (!c)
                c = la < lb ? -1 : la > lb;
        }
        if (c)
            return c;
        a += la + (a[la] != '\0');
        b += lb + (b[lb] != '\0');
    }
    return 0;
}

static char *trim_in_place(char *s)
{
    while (*s && (unsigned char)*s <= ' ')
        s++;
    size_t n = strlen(s);
    while (n && (unsigned char)s[n - 1] <= ' ')
        s[--n] = '\0';
    return s;
}

static void vrange_clear(vrange *v)
{
    free(v->copy);
    memset(v, 0, sizeof *v);
}

/* Parses spec (NULL = no requirement). 0, or -1 with Maven's message. */
static int vrange_parse(const char *spec, vrange *v, kc_error *err)
{
    memset(v, 0, sizeof *v);
    if (!spec || strcmp(spec, "latest") == 0) {
        v->any = true;
        return 0;
    }
    if (!(v->copy = strdup(spec)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    char *p = trim_in_place(v->copy);
    if (*p != '[' && *p != '(') { /* a plain version is a hard requirement: [v] */
        v->r[0] = (restriction){p, p, true, true};
        v->count = 1;
        return 0;
    }
    while (*p == '[' || *p == '(') {
        char *end = strpbrk(p, "])");
        if (!end) {
            kc_error_set(err, KC_ERR_INVALID, "Unbounded range: %s", spec);
            goto fail;
        }
        if (v->count == MAX_RESTRICTIONS) {
            kc_error_set(err, KC_ERR_INVALID, "Too many version ranges: %s", spec);
            goto fail;
        }
        restriction *r = &v->r[v->count];
        r->lower_inclusive = *p == '[';
        r->upper_inclusive = *end == ']';
        char saved = end[1];
        int text_len = (int)(end - p) + 1;
        char text[256];
        snprintf(text, sizeof text, "%.*s", text_len, p);
        *end = '\0';
        char *inner = p + 1, *comma = strchr(inner, ',');
        if (!comma) {
            if (!r->lower_inclusive || !r->upper_inclusive) {
                kc_error_set(err, KC_ERR_INVALID, "Single version must be surrounded by []: %s", text);
                goto fail;
            }
            r->lower = r->upper = trim_in_place(inner);
        } else {
            *comma = '\0';
            char *lo = trim_in_place(inner), *hi = trim_in_place(comma + 1);
            r->lower = *lo ? lo : NULL;
            r->upper = *hi ? hi : NULL;
            if (r->lower && r->upper) {
                int c = version_cmp(r->upper, r->lower);
                if (c < 0 || (c == 0 && (!r->lower_inclusive || !r->upper_inclusive))) {
                    kc_error_set(err, KC_ERR_INVALID, "Range defies version ordering: %s", text);
                    goto fail;
                }
            }
        }
        v->count++;
        p = end + 1;
        *p = saved;
        while (*p && (unsigned char)*p <= ' ')
            p++;
        if (*p == ',')
            p++;
        while (*p && (unsigned char)*p <= ' ')
            p++;
    }
    if (*p) {
        kc_error_set(err, KC_ERR_INVALID, "Only fully-qualified sets allowed in multiple set scenario: %s", spec);
        goto fail;
    }
    return 0;
fail:
    vrange_clear(v);
    return -1;
}

static bool vrange_contains(const vrange *v, const char *version)
{
    if (v->any)
        return true;
    for (size_t i = 0; i < v->count; i++) {
        const restriction *r = &v->r[i];
        if (r->lower) {
            int c = version_cmp(version, r->lower);
            if (c < 0 || (c == 0 && !r->lower_inclusive))
                continue;
        }
        if (r->upper) {
            int c = version_cmp(version, r->upper);
            if (c > 0 || (c == 0 && !r->upper_inclusive))
                continue;
        }
        return true;
    }
    return false;
}

/* "Plugin <cls> not found that matches the version range [1.0,1.0], available versions: [0.1.0]" */
static int version_mismatch(const vrange *v, const kc_plugin_desc *d, kc_error *err)
{
    char text[KC_ERROR_MSG_MAX] = "";
    size_t o = 0;
    for (size_t i = 0; i < v->count && o < sizeof text; i++) {
        const restriction *r = &v->r[i];
        int n = snprintf(text + o, sizeof text - o, "%s%c%s,%s%c", i ? "," : "", r->lower_inclusive ? '[' : '(',
                         r->lower ? r->lower : "", r->upper ? r->upper : "", r->upper_inclusive ? ']' : ')');
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return kc_error_set(err, KC_ERR_INVALID, "Plugin %s not found that matches the version range %s, available "
                                             "versions: [%s]", d->class_name, text, plugin_version(d));
}

/* ---- the enrichment ------------------------------------------------------------------------------ */

struct kc_transforms_enrichment {
    kc_props *props;
    arena a;
    kc_config_key *keys;
    size_t count, cap;
};

typedef struct alias_ctx {
    const struct kc_transforms_enrichment *e;
    kc_plugin_kind kind;
    const char *alias, *prefix, *type_key, *version_key, *negate_key, *predicate_key;
} alias_ctx;

typedef struct embedded_ctx {
    const kc_config_validator *base;
    size_t prefix_len;
} embedded_ctx;

/* EnrichablePlugin.getConfigDefFromPlugin's checks, in Java's order: the version requirement's
 * syntax, the class (raw text, trimmed for the lookup), its kind, then the version. Returns 0 with
 * *out, 1 when the class is not found (err says so), -1 with err, 2 when connector.class is unset
 * (Java returns an empty definition then). */
static int plugin_for(const alias_ctx *c, const char *class_name, const char *version, const kc_plugin_desc **out,
                      kc_error *err)
{
    const kc_props *props = c->e->props;
    if (!kc_props_get(props, CONNECTOR_CLASS))
        return 2;
    vrange v;
    if (vrange_parse(version, &v, err) < 0)
        return -1;
    char *name = trimmed(class_name);
    int rc = name ? resolve_class(name, c->kind, out, err) : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (rc == 1)
        kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: Class %s could not be found.",
                     class_name, c->type_key, class_name);
    if (rc == 0 && !vrange_contains(&v, plugin_version(*out)))
        rc = version_mismatch(&v, *out, err);
    free(name);
    vrange_clear(&v);
    return rc;
}

/* The validator of <kind>s.<alias>.type (Java's typeValidator). */
static int check_type(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    const alias_ctx *c = opaque;
    const kc_props *props = c->e->props;
    if (c->kind == KC_PLUGIN_TRANSFORMATION && kc_props_get(props, c->negate_key) &&
        !kc_props_get(props, c->predicate_key))
        return kc_error_set(err, KC_ERR_INVALID,
                            "Config '%s' was provided but there is no config '%s' defining a predicate to be negated.",
                            c->negate_key, c->predicate_key);
    if (value->is_null)
        return 0;
    const char *version = kc_props_get(props, c->version_key);
    const kc_plugin_desc *d = NULL;
    if (!version) { /* the default version: the plugin's own */
        kc_error ignored;
        if (resolve_class(value->string, c->kind, &d, &ignored) == 0 && kc_props_get(props, CONNECTOR_CLASS))
            version = plugin_version(d);
    }
    int rc = plugin_for(c, value->string, version, &d, err);
    return rc == 0 || rc == 2 ? 0 : -1;
}

/* The validator of <kind>s.<alias>.plugin.version: only version problems count. */
static int check_version(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    const alias_ctx *c = opaque;
    const char *raw = kc_props_get(c->e->props, c->type_key);
    if (value->is_null || !raw || !kc_props_get(c->e->props, CONNECTOR_CLASS))
        return 0;
    vrange v;
    if (vrange_parse(value->string, &v, err) < 0)
        return -1;
    const kc_plugin_desc *d = NULL;
    kc_error ignored;
    int rc = 0;
    if (resolve_class(raw, c->kind, &d, &ignored) == 0 && !vrange_contains(&v, plugin_version(d)))
        rc = version_mismatch(&v, d, err);
    vrange_clear(&v);
    return rc;
}

/* ConfigDef.embed's validator: the plugin's validator sees the unprefixed name. */
static int check_embedded(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    const embedded_ctx *c = opaque;
    return kc_config_validator_check(c->base, strlen(name) >= c->prefix_len ? name + c->prefix_len : name, value, err);
}

/* ClassRecommender: every installed transformation / predicate. */
static int recommend_types(const char *name, const kc_config_parsed *parsed, void *opaque, kc_config_strs *out,
                           kc_error *err)
{
    (void)name;
    (void)parsed;
    const alias_ctx *c = opaque;
    const kc_plugin_desc *all[512];
    size_t n = kc_plugins_list(all, sizeof all / sizeof all[0]);
    for (size_t i = 0; i < n && i < sizeof all / sizeof all[0]; i++)
        if (all[i]->kind == c->kind && kc_config_strs_add(out, all[i]->class_name) < 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

/* PluginsRecommenders' SMT version recommender: the versions of the class the type names. */
static int recommend_versions(const char *name, const kc_config_parsed *parsed, void *opaque, kc_config_strs *out,
                              kc_error *err)
{
    (void)name;
    const alias_ctx *c = opaque;
    const kc_config_value *type = kc_config_parsed_get(parsed, c->type_key);
    const kc_plugin_desc *d;
    kc_error ignored;
    if (!type || type->is_null || resolve_class(type->string, c->kind, &d, &ignored) != 0)
        return 0;
    return kc_config_strs_add(out, plugin_version(d)) < 0 ? kc_error_set(err, KC_ERR_INTERNAL, "out of memory") : 0;
}

static kc_config_key *add_key(kc_transforms_enrichment *e)
{
    if (e->count == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        kc_config_key *g = realloc(e->keys, cap * sizeof *g);
        if (!g)
            return NULL;
        e->keys = g;
        e->cap = cap;
    }
    kc_config_key *k = &e->keys[e->count++];
    memset(k, 0, sizeof *k);
    return k;
}

/* ConfigDef.sortedConfigs: group, order in group, required first, importance, name. */
static size_t sort_group_rank(const kc_config_key *k, const kc_config_key *const *all, size_t n)
{
    if (!k->group)
        return 0;
    for (size_t i = 0, rank = 1; i < n; i++) {
        if (!all[i]->group)
            continue;
        bool first = true;
        for (size_t j = 0; j < i; j++)
            if (all[j]->group && strcmp(all[j]->group, all[i]->group) == 0)
                first = false;
        if (!first)
            continue;
        if (strcmp(all[i]->group, k->group) == 0)
            return rank;
        rank++;
    }
    return 0;
}

typedef struct sort_item {
    const kc_config_key *key;
    size_t group_rank;
} sort_item;

static int order_of(const kc_config_key *k) { return !k->group && k->order_in_group == 0 ? -1 : k->order_in_group; }

static int compare_keys(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    if (a->group_rank != b->group_rank)
        return a->group_rank < b->group_rank ? -1 : 1;
    int oa = order_of(a->key), ob = order_of(b->key);
    if (oa != ob)
        return oa < ob ? -1 : 1;
    bool da = a->key->default_value != NULL, db = b->key->default_value != NULL;
    if (da != db)
        return da ? 1 : -1;
    if (a->key->importance != b->key->importance)
        return a->key->importance < b->key->importance ? -1 : 1;
    return strcmp(a->key->name, b->key->name);
}

static const kc_config_key implicit_transform_keys[] = {
    KC_CONFIG_KEY("predicate", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "The alias of a predicate used to determine whether to apply this transformation."),
    KC_CONFIG_KEY("negate", KC_CONFIG_BOOLEAN, .default_value = "false", .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Whether the configured predicate should be negated."),
};

/* Embeds the plugin's keys (and the implicit ones) under the alias's prefix and group. */
static int embed(kc_transforms_enrichment *e, const alias_ctx *c, const char *group, const kc_plugin_desc *d)
{
    const kc_config_key *pkeys = NULL;
    size_t npkeys = 0;
    if (d && d->kind == KC_PLUGIN_TRANSFORMATION) {
        const kc_transform_plugin *p = d->vtable;
        pkeys = p->config;
        npkeys = p->config_count;
    } else if (d) {
        const kc_predicate_plugin *p = d->vtable;
        pkeys = p->config;
        npkeys = p->config_count;
    }
    size_t nimplicit = c->kind == KC_PLUGIN_TRANSFORMATION ? 2 : 0;
    const kc_config_key **child = calloc(npkeys + nimplicit + 1, sizeof *child);
    sort_item *items = calloc(npkeys + nimplicit + 1, sizeof *items);
    size_t n = 0;
    if (!child || !items) {
        free(child);
        free(items);
        return -1;
    }
    for (size_t i = 0; i < nimplicit; i++)
        child[n++] = &implicit_transform_keys[i];
    for (size_t i = 0; i < npkeys; i++) {
        /* the implicit keys mask a transformation's keys of the same name */
        if (nimplicit && (strcmp(pkeys[i].name, "predicate") == 0 || strcmp(pkeys[i].name, "negate") == 0))
            continue;
        child[n++] = &pkeys[i];
    }
    for (size_t i = 0; i < n; i++)
        items[i] = (sort_item){child[i], sort_group_rank(child[i], child, n)};
    qsort(items, n, sizeof *items, compare_keys);
    int order = 2, rc = 0;
    size_t plen = strlen(c->prefix);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const kc_config_key *src = items[i].key;
        kc_config_key *k = add_key(e);
        if (!k) {
            rc = -1;
            break;
        }
        *k = *src;
        k->name = keep_printf(&e->a, "%s%s", c->prefix, src->name);
        k->group = src->group ? keep_printf(&e->a, "%s: %s", group, src->group) : group;
        k->order_in_group = order++;
        k->display_name = src->display_name ? src->display_name : src->name;
        if (src->validator) {
            embedded_ctx *ec = keep(&e->a, calloc(1, sizeof *ec));
            kc_config_validator *v = keep(&e->a, calloc(1, sizeof *v));
            char *desc = keep(&e->a, kc_config_validator_describe_new(src->validator));
            if (ec && v && desc) {
                *ec = (embedded_ctx){src->validator, plen};
                *v = (kc_config_validator){.kind = KC_CONFIG_V_CHECK, .check = check_embedded, .opaque = ec,
                                           .description = desc};
            }
            k->validator = v;
        }
        if (src->dependents) {
            size_t nd = 0;
            while (src->dependents[nd])
                nd++;
            const char **deps = keep(&e->a, calloc(nd + 1, sizeof *deps));
            for (size_t j = 0; deps && j < nd; j++)
                deps[j] = keep_printf(&e->a, "%s%s", c->prefix, src->dependents[j]);
            k->dependents = deps;
        }
        /* no built-in plugin has a recommender; a plugin's would see prefixed names */
        if (e->a.oom)
            rc = -1;
    }
    free(child);
    free(items);
    return rc;
}

/* EnrichablePlugin.populateConfigDef's decision for one alias: -1 error (err), 0 nothing to
 * embed, 1 embed (with *d the plugin, or NULL for the implicit keys only). */
static int populate(const alias_ctx *c, const kc_plugin_desc **d, kc_error *err)
{
    const kc_props *props = c->e->props;
    const char *raw = kc_props_get(props, c->type_key);
    *d = NULL;
    if (!raw)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value null for configuration %s: Not a %s", c->type_key,
                            kind_interface(c->kind));
    int rc = plugin_for(c, raw, kc_props_get(props, c->version_key), d, err);
    if (rc == 2)
        return 1;
    if (rc != 0)
        return -1;
    char *name = trimmed(raw);
    bool exact = name && strcmp(name, raw) == 0;
    free(name);
    if (!exact) /* Java instantiates the untrimmed name */
        return kc_error_set(err, KC_ERR_INVALID,
                            "Invalid value %s for configuration %s: Error getting config definition from %s: %s", raw,
                            c->type_key, kind_interface(c->kind), raw);
    return 1;
}

/* The LIST value of key (Java's ConfigDef.parseType(key, value, LIST)): NULL list when absent. */
static int parse_aliases(const kc_props *props, const char *key, kc_config_strs *out, kc_error *err)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY(key, KC_CONFIG_LIST, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW),
    };
    kc_config_table t = {keys, 1};
    kc_config_def *def = kc_config_def_new(&t, 1, NULL, err);
    if (!def)
        return -1;
    kc_config_parsed *parsed = kc_config_parse(def, props, err);
    int rc = parsed ? 0 : -1;
    size_t n = 0;
    char *const *items = parsed ? kc_config_get_list(parsed, key, &n) : NULL;
    for (size_t i = 0; rc == 0 && items && i < n; i++) {
        bool seen = false; /* LinkedHashSet */
        for (size_t j = 0; j < out->count; j++)
            seen = seen || strcmp(out->items[j], items[i]) == 0;
        if (!seen && kc_config_strs_add(out, items[i]) < 0)
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    kc_config_parsed_free(parsed);
    kc_config_def_free(def);
    return rc;
}

static int enrich_kind(kc_transforms_enrichment *e, kc_plugin_kind kind, bool require_full, kc_error *err)
{
    bool transform = kind == KC_PLUGIN_TRANSFORMATION;
    const char *list_key = transform ? "transforms" : "predicates";
    const char *kind_lower = transform ? "transformation" : "predicate";
    const char *kind_title = transform ? "Transformation" : "Predicate";
    kc_config_strs aliases = {0};
    if (parse_aliases(e->props, list_key, &aliases, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < aliases.count; i++) {
        const char *alias_name = aliases.items[i];
        alias_ctx *c = keep(&e->a, calloc(1, sizeof *c));
        char *alias = keep(&e->a, strdup(alias_name));
        char *prefix = keep_printf(&e->a, "%s.%s.", list_key, alias_name);
        char *group = keep_printf(&e->a, "%s: %s", transform ? "Transforms" : "Predicates", alias_name);
        if (!c || !alias || !prefix || !group) {
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            break;
        }
        *c = (alias_ctx){
            .e = e,
            .kind = kind,
            .alias = alias,
            .prefix = prefix,
            .type_key = keep_printf(&e->a, "%stype", prefix),
            .version_key = keep_printf(&e->a, "%splugin.version", prefix),
            .negate_key = keep_printf(&e->a, "%snegate", prefix),
            .predicate_key = keep_printf(&e->a, "%spredicate", prefix),
        };
        /* the default version: the plugin's, when the raw type resolves */
        const char *default_version = KC_CONFIG_NULL;
        const char *raw = kc_props_get(e->props, c->type_key);
        const kc_plugin_desc *d;
        kc_error ignored;
        if (raw && kc_props_get(e->props, CONNECTOR_CLASS) && resolve_class(raw, kind, &d, &ignored) == 0)
            default_version = keep(&e->a, strdup(plugin_version(d)));
        kc_config_validator *tv = keep(&e->a, calloc(1, sizeof *tv));
        kc_config_validator *vv = keep(&e->a, calloc(1, sizeof *vv));
        kc_config_recommender *tr = keep(&e->a, calloc(1, sizeof *tr));
        kc_config_recommender *vr = keep(&e->a, calloc(1, sizeof *vr));
        char *tv_desc = keep_printf(&e->a, "valid configs for %s %s", alias_name, kind_lower);
        kc_config_key *tk = add_key(e);
        kc_config_key *vk = tk ? add_key(e) : NULL;
        if (e->a.oom || !tk || !vk || !default_version) {
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            break;
        }
        *tv = (kc_config_validator){.kind = KC_CONFIG_V_CHECK, .check = check_type, .opaque = c, .description = tv_desc};
        *vv = (kc_config_validator){.kind = KC_CONFIG_V_CHECK, .check = check_version, .opaque = c, .description = ""};
        *tr = (kc_config_recommender){.valid_values = recommend_types, .opaque = c};
        *vr = (kc_config_recommender){.valid_values = recommend_versions, .opaque = c};
        tk = &e->keys[e->count - 2]; /* add_key may have moved the array */
        vk = &e->keys[e->count - 1];
        *tk = (kc_config_key){
            .name = c->type_key,
            .type = KC_CONFIG_CLASS,
            .validator = tv,
            .importance = KC_CONFIG_HIGH,
            .documentation = keep_printf(&e->a, "Class for the '%s' %s.", alias_name, kind_lower),
            .group = group,
            .order_in_group = 0,
            .width = KC_CONFIG_WIDTH_LONG,
            .display_name = keep_printf(&e->a, "%s type for %s", kind_title, alias_name),
            .recommender = tr,
        };
        *vk = (kc_config_key){
            .name = c->version_key,
            .type = KC_CONFIG_STRING,
            .default_value = default_version,
            .validator = vv,
            .importance = KC_CONFIG_HIGH,
            .documentation = keep_printf(&e->a, "Version of the '%s' %s.", alias_name, kind_lower),
            .group = group,
            .order_in_group = 1,
            .width = KC_CONFIG_WIDTH_LONG,
            .display_name = keep_printf(&e->a, "%s version for %s", kind_title, alias_name),
            .recommender = vr,
        };
        if (e->a.oom) {
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            break;
        }
        kc_error perr;
        int p = populate(c, &d, &perr);
        if (p < 0) {
            if (require_full || perr.code == KC_ERR_INTERNAL) {
                *err = perr;
                rc = -1;
            }
            continue;
        }
        if (embed(e, c, group, d) < 0)
            rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    kc_config_strs_clear(&aliases);
    return rc;
}

kc_transforms_enrichment *kc_transforms_enrichment_new(const kc_props *connector_config, bool require_full,
                                                       kc_error *err)
{
    kc_transforms_enrichment *e = calloc(1, sizeof *e);
    if (!e || !(e->props = kc_props_copy(connector_config))) {
        free(e);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    if (enrich_kind(e, KC_PLUGIN_TRANSFORMATION, require_full, err) < 0 ||
        enrich_kind(e, KC_PLUGIN_PREDICATE, require_full, err) < 0) {
        kc_transforms_enrichment_free(e);
        return NULL;
    }
    return e;
}

kc_config_table kc_transforms_enrichment_table(const kc_transforms_enrichment *e)
{
    return (kc_config_table){e->keys, e->count};
}

void kc_transforms_enrichment_free(kc_transforms_enrichment *e)
{
    if (!e)
        return;
    arena_free(&e->a);
    free(e->keys);
    kc_props_free(e->props);
    free(e);
}

/* ---- the chain ----------------------------------------------------------------------------------- */

typedef struct stage {
    const kc_transform_plugin *transform;
    void *t;
    const kc_predicate_plugin *predicate; /* NULL: unconditional */
    void *p;
    bool negate;
} stage;

struct kc_transformation_chain {
    stage *stages;
    size_t count;
    const char *failed_class;
};

/* ConnectorConfig's aliasValidator */
static int check_unique_aliases(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null)
        return kc_config_error_invalid(err, name, value, "entry must be non null");
    for (size_t i = 0; i < value->list.count; i++)
        for (size_t j = i + 1; j < value->list.count; j++)
            if (strcmp(value->list.items[i], value->list.items[j]) == 0)
                return kc_config_error_invalid(err, name, value, "Duplicate alias provided.");
    return 0;
}

static const kc_config_key alias_keys[] = {
    KC_CONFIG_KEY("transforms", KC_CONFIG_LIST, .default_value = "",
                  .validator = KC_CONFIG_CHECK(check_unique_aliases, NULL, "unique transformation aliases"),
                  .importance = KC_CONFIG_LOW, .documentation = "Aliases for the transformations to be applied to records.",
                  .group = "Transforms", .order_in_group = 8, .width = KC_CONFIG_WIDTH_LONG, .display_name = "Transforms"),
    KC_CONFIG_KEY("predicates", KC_CONFIG_LIST, .default_value = "",
                  .validator = KC_CONFIG_CHECK(check_unique_aliases, NULL, "unique predicate aliases"),
                  .importance = KC_CONFIG_LOW, .documentation = "Aliases for the predicates used by transformations.",
                  .group = "Predicates", .order_in_group = 9, .width = KC_CONFIG_WIDTH_LONG, .display_name = "Predicates"),
};

void kc_transformation_chain_free(kc_transformation_chain *chain)
{
    if (!chain)
        return;
    for (size_t i = 0; i < chain->count; i++) {
        stage *s = &chain->stages[i];
        if (s->t)
            s->transform->close(s->t);
        if (s->p)
            s->predicate->close(s->p);
    }
    free(chain->stages);
    free(chain);
}

static bool listed(const kc_config_strs *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

/* Resolves the (validated) type of a prefix to its plugin. */
static const kc_plugin_desc *stage_plugin(const kc_props *config, const char *prefix, kc_plugin_kind kind,
                                          kc_error *err)
{
    char key[1024];
    snprintf(key, sizeof key, "%stype", prefix);
    const char *raw = kc_props_get(config, key);
    char *name = raw ? trimmed(raw) : NULL;
    const kc_plugin_desc *d = NULL;
    if (!name || resolve_class(name, kind, &d, err) != 0) {
        if (err->code == KC_ERR_NONE || !name)
            kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: Class %s could not be found.",
                         raw ? raw : "null", key, raw ? raw : "null");
        d = NULL;
    }
    free(name);
    return d;
}

static int build_stage(const kc_props *config, const char *alias, const kc_config_strs *predicates, stage *s,
                       kc_error *err)
{
    char prefix[1024];
    snprintf(prefix, sizeof prefix, "transforms.%s.", alias);
    kc_error_clear(err);
    const kc_plugin_desc *d = stage_plugin(config, prefix, KC_PLUGIN_TRANSFORMATION, err);
    if (!d)
        return -1;
    s->transform = d->vtable;
    kc_props *sub = kc_props_subset(config, prefix, 1);
    char *predicate = NULL, *negate = NULL;
    int rc = -1;
    if (!sub)
        goto oom;
    if (kc_props_get(sub, "predicate") && !(predicate = strdup(kc_props_get(sub, "predicate"))))
        goto oom;
    if (kc_props_get(sub, "negate") && !(negate = strdup(kc_props_get(sub, "negate"))))
        goto oom;
    kc_props_remove(sub, "predicate");
    kc_props_remove(sub, "negate");
    if (!(s->t = s->transform->create()))
        goto oom;
    if (s->transform->configure(s->t, sub, err) < 0)
        goto out;
    if (predicate) {
        char pprefix[1024];
        snprintf(pprefix, sizeof pprefix, "predicates.%s.", predicate);
        if (!listed(predicates, predicate)) {
            kc_error_set(err, KC_ERR_INVALID, "Unknown configuration '%splugin.version'", pprefix);
            goto out;
        }
        kc_error_clear(err);
        const kc_plugin_desc *pd = stage_plugin(config, pprefix, KC_PLUGIN_PREDICATE, err);
        if (!pd)
            goto out;
        s->predicate = pd->vtable;
        kc_props_free(sub);
        if (!(sub = kc_props_subset(config, pprefix, 1)) || !(s->p = s->predicate->create()))
            goto oom;
        if (s->predicate->configure(s->p, sub, err) < 0)
            goto out;
        s->negate = negate && strcasecmp(negate, "true") == 0;
    }
    rc = 0;
    goto out;
oom:
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
out:
    kc_props_free(sub);
    free(predicate);
    free(negate);
    return rc;
}

kc_transformation_chain *kc_transformation_chain_new(const kc_props *config, kc_error *err)
{
    kc_transformation_chain *chain = calloc(1, sizeof *chain);
    kc_config_def *base_def = NULL, *def = NULL;
    kc_config_parsed *base = NULL, *parsed = NULL;
    kc_transforms_enrichment *e = NULL;
    kc_config_strs predicates = {0};
    kc_config_def_opts opts = {.class_exists = kc_transforms_class_exists};
    kc_config_table tables[2] = {KC_CONFIG_TABLE(alias_keys), {0}};
    if (!chain) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    /* ConnectorConfig: the alias lists, then the enriched definition as a whole */
    if (!(base_def = kc_config_def_new(tables, 1, &opts, err)) || !(base = kc_config_parse(base_def, config, err)) ||
        !(e = kc_transforms_enrichment_new(config, true, err)))
        goto fail;
    tables[1] = kc_transforms_enrichment_table(e);
    if (!(def = kc_config_def_new(tables, 2, &opts, err)) || !(parsed = kc_config_parse(def, config, err)))
        goto fail;
    size_t n = 0, np = 0;
    char *const *aliases = kc_config_get_list(base, "transforms", &n);
    char *const *preds = kc_config_get_list(base, "predicates", &np);
    for (size_t i = 0; i < np; i++)
        if (kc_config_strs_add(&predicates, preds[i]) < 0) {
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            goto fail;
        }
    if (n && !(chain->stages = calloc(n, sizeof *chain->stages))) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = build_stage(config, aliases[i], &predicates, &chain->stages[i], err);
        chain->count = i + 1; /* a half-built stage is closed with the chain */
        if (rc < 0)
            goto fail;
    }
    kc_config_strs_clear(&predicates);
    kc_config_parsed_free(parsed);
    kc_config_def_free(def);
    kc_config_parsed_free(base);
    kc_config_def_free(base_def);
    kc_transforms_enrichment_free(e);
    return chain;
fail:
    kc_config_strs_clear(&predicates);
    kc_config_parsed_free(parsed);
    kc_config_def_free(def);
    kc_config_parsed_free(base);
    kc_config_def_free(base_def);
    kc_transforms_enrichment_free(e);
    kc_transformation_chain_free(chain);
    return NULL;
}

kc_record *kc_transformation_chain_apply(kc_transformation_chain *chain, kc_record *record, kc_error *err)
{
    kc_error_clear(err);
    chain->failed_class = NULL;
    for (size_t i = 0; i < chain->count && record; i++) {
        stage *s = &chain->stages[i];
        bool run = true;
        if (s->p) {
            int t = s->predicate->test(s->p, record, err);
            if (t < 0) {
                chain->failed_class = s->transform->class_name;
                kc_record_free(record);
                return NULL;
            }
            run = s->negate ^ (t != 0);
        }
        if (!run)
            continue;
        record = s->transform->apply(s->t, record, err);
        if (!record && err->code != KC_ERR_NONE)
            chain->failed_class = s->transform->class_name;
    }
    return record;
}

size_t kc_transformation_chain_size(const kc_transformation_chain *chain) { return chain ? chain->count : 0; }

const char *kc_transformation_chain_stage_class(const kc_transformation_chain *chain, size_t i)
{
    return chain && i < chain->count ? chain->stages[i].transform->class_name : NULL;
}

const char *kc_transformation_chain_failed_class(const kc_transformation_chain *chain)
{
    return chain ? chain->failed_class : NULL;
}
