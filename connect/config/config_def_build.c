/*
 * Building a kc_config_def from tables: merge by name (override or keep-first), deep copies of the
 * keys, defaults parsed and validated as Java's ConfigKey constructor does, dependents resolved,
 * groups in order of first definition, a name index for lookups. Threads: the def is private to
 * the building thread until returned; afterwards it is never written.
 */
#include "connect/config/config_def_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- building a def -------------------------------------------------------------------------- */

static void key_clear(kc_config_key *k)
{
    free((char *)k->name);
    free((char *)k->documentation);
    free((char *)k->group);
    free((char *)k->display_name);
    if (k->default_value != kc_config_null_default)
        free((char *)k->default_value);
    if (k->dependents) {
        for (const char *const *d = k->dependents; *d; d++)
            free((char *)*d);
        free((void *)k->dependents);
    }
    memset(k, 0, sizeof *k);
}

static int dup_opt(const char **dst, const char *src)
{
    *dst = NULL;
    return src && !(*dst = strdup(src)) ? -1 : 0;
}

static int key_copy(kc_config_key *dst, const kc_config_key *src)
{
    memset(dst, 0, sizeof *dst);
    dst->type = src->type;
    dst->validator = src->validator;
    dst->importance = src->importance;
    dst->order_in_group = src->order_in_group;
    dst->width = src->width;
    dst->recommender = src->recommender;
    dst->internal = src->internal;
    if (dup_opt(&dst->name, src->name) < 0 || dup_opt(&dst->documentation, src->documentation) < 0 ||
        dup_opt(&dst->group, src->group) < 0 || dup_opt(&dst->display_name, src->display_name) < 0)
        goto oom;
    if (src->default_value == kc_config_null_default)
        dst->default_value = kc_config_null_default;
    else if (dup_opt(&dst->default_value, src->default_value) < 0)
        goto oom;
    if (src->dependents) {
        size_t n = 0;
        while (src->dependents[n])
            n++;
        const char **deps = calloc(n + 1, sizeof *deps);
        if (!deps)
            goto oom;
        dst->dependents = deps;
        for (size_t i = 0; i < n; i++)
            if (!(deps[i] = strdup(src->dependents[i])))
                goto oom;
    }
    return 0;
oom:
    key_clear(dst);
    return -1;
}

void kc_config_def_free(kc_config_def *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->count; i++) {
        key_clear(&def->keys[i]);
        if (def->defaults)
            kc_config_value_clear(&def->defaults[i]);
    }
    free(def->keys);
    free(def->defaults);
    free(def->has_default);
    free(def->has_parent);
    free(def->by_name);
    kc_config_strs_clear(&def->groups);
    kc_config_strs_clear(&def->undefined);
    free(def);
}

static bool strs_contains(const kc_config_strs *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

static long find_linear(const kc_config_def *def, const char *name)
{
    for (size_t i = 0; i < def->count; i++)
        if (strcmp(def->keys[i].name, name) == 0)
            return (long)i;
    return -1;
}

static int check_key_shape(const kc_config_key *k, kc_error *err)
{
    if (!k->name)
        return kc_error_set(err, KC_ERR_INVALID, "a configuration key has no name");
    if (!kc_config_type_name(k->type))
        return kc_error_set(err, KC_ERR_INVALID, "Configuration %s has no valid type", k->name);
    if (!kc_config_importance_name(k->importance))
        return kc_error_set(err, KC_ERR_INVALID, "Configuration %s has no valid importance", k->name);
    if (!kc_config_width_name(k->width))
        return kc_error_set(err, KC_ERR_INVALID, "Configuration %s has no valid width", k->name);
    return 0;
}

/* Places the keys of the tables in def->keys by the merge rule. */
static int merge_tables(kc_config_def *def, const kc_config_table *tables, size_t ntables,
                        kc_config_merge merge, kc_error *err)
{
    for (size_t t = 0; t < ntables; t++) {
        for (size_t j = 0; j < tables[t].count; j++) {
            const kc_config_key *k = &tables[t].keys[j];
            if (check_key_shape(k, err) < 0)
                return -1;
            for (size_t e = 0; e < j; e++)
                if (strcmp(tables[t].keys[e].name, k->name) == 0)
                    return kc_error_set(err, KC_ERR_INVALID, "Configuration %s is defined twice.", k->name);
            if (k->group && !strs_contains(&def->groups, k->group) && kc_config_strs_add(&def->groups, k->group) < 0)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            long at = find_linear(def, k->name);
            if (at >= 0 && merge == KC_CONFIG_MERGE_KEEP_FIRST)
                continue;
            kc_config_key copy;
            if (key_copy(&copy, k) < 0)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            if (at >= 0) {
                key_clear(&def->keys[at]);
                def->keys[at] = copy;
            } else {
                def->keys[def->count++] = copy;
            }
        }
    }
    return 0;
}

typedef struct name_ref {
    const char *name;
    size_t index;
} name_ref;

static int cmp_name_ref(const void *a, const void *b)
{
    return strcmp(((const name_ref *)a)->name, ((const name_ref *)b)->name);
}

/* def->by_name: key indices in name order, for kc_config_def_find. */
static int index_names(kc_config_def *def)
{
    name_ref *refs = calloc(def->count ? def->count : 1, sizeof *refs);
    if (!refs)
        return -1;
    for (size_t i = 0; i < def->count; i++)
        refs[i] = (name_ref){ def->keys[i].name, i };
    qsort(refs, def->count, sizeof *refs, cmp_name_ref);
    for (size_t i = 0; i < def->count; i++)
        def->by_name[i] = refs[i].index;
    free(refs);
    return 0;
}

/* Parses the defaults, checks validators, records dependents and builds the name index. */
static int finish_def(kc_config_def *def, kc_error *err)
{
    size_t n = def->count ? def->count : 1;
    def->defaults = calloc(n, sizeof *def->defaults);
    def->has_default = calloc(n, sizeof *def->has_default);
    def->has_parent = calloc(n, sizeof *def->has_parent);
    def->by_name = calloc(n, sizeof *def->by_name);
    if (!def->defaults || !def->has_default || !def->has_parent || !def->by_name)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (index_names(def) < 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < def->count; i++) {
        const kc_config_key *k = &def->keys[i];
        kc_config_value_null(&def->defaults[i], k->type);
        if (k->validator && kc_config_validator_applies(k->validator, k->type, k->name, err) < 0)
            return -1;
        if (k->default_value) {
            def->has_default[i] = true;
            if (k->default_value != kc_config_null_default &&
                kc_config_parse_type(def, k->name, k->default_value, k->type, &def->defaults[i], err) < 0)
                return -1;
            if (k->validator && kc_config_validator_check(k->validator, k->name, &def->defaults[i], err) < 0)
                return -1;
        }
    }
    for (size_t i = 0; i < def->count; i++) {
        for (const char *const *d = def->keys[i].dependents; d && *d; d++) {
            long at = kc_config_def_find(def, *d);
            if (at >= 0)
                def->has_parent[at] = true;
            else if (!strs_contains(&def->undefined, *d) && kc_config_strs_add(&def->undefined, *d) < 0)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
    }
    return 0;
}

kc_config_def *kc_config_def_new(const kc_config_table *tables, size_t ntables,
                                 const kc_config_def_opts *opts, kc_error *err)
{
    size_t total = 0;
    for (size_t t = 0; t < ntables; t++)
        total += tables[t].count;
    if (total > KC_CONFIG_MAX_KEYS) {
        kc_error_set(err, KC_ERR_INVALID, "a configuration definition holds at most %d keys", KC_CONFIG_MAX_KEYS);
        return NULL;
    }
    kc_config_def *def = calloc(1, sizeof *def);
    if (!def || !(def->keys = calloc(total ? total : 1, sizeof *def->keys))) {
        free(def);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    if (opts) {
        def->class_exists = opts->class_exists;
        def->class_opaque = opts->class_opaque;
    }
    if (merge_tables(def, tables, ntables, opts ? opts->merge : KC_CONFIG_MERGE_OVERRIDE, err) < 0 ||
        finish_def(def, err) < 0) {
        kc_config_def_free(def);
        return NULL;
    }
    return def;
}

size_t kc_config_def_count(const kc_config_def *def)
{
    return def->count;
}

const kc_config_key *kc_config_def_key_at(const kc_config_def *def, size_t i)
{
    return i < def->count ? &def->keys[i] : NULL;
}

long kc_config_def_find(const kc_config_def *def, const char *name)
{
    size_t lo = 0, hi = def->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(def->keys[def->by_name[mid]].name, name);
        if (c == 0)
            return (long)def->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const kc_config_value *kc_config_def_default_at(const kc_config_def *def, size_t i)
{
    return i < def->count && def->has_default[i] ? &def->defaults[i] : NULL;
}

size_t kc_config_def_group_count(const kc_config_def *def)
{
    return def->groups.count;
}

const char *kc_config_def_group_at(const kc_config_def *def, size_t i)
{
    return i < def->groups.count ? def->groups.items[i] : NULL;
}
