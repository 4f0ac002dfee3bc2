/*
 * Strict parse (Java's ConfigDef.parse / parseValue), full validation (ConfigDef.validateAll with
 * parseForValidate and the recommender pass), results and typed getters.
 *
 * Java walks the keys that are nobody's dependent in java.util.HashSet order and recurses into
 * dependents; kconnect walks them in definition order. The order is not observable in the output
 * (results are reported in definition order), except through recommenders, which in both run after
 * every key has been parsed. As in Java, a key that is the dependent of two parents is parsed (and
 * its errors recorded) once per parent. Unlike Java, a dependency cycle is cut instead of
 * overflowing the stack, and undefined dependents are reported in order of discovery.
 */
#include "connect/config/config_def_internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsed values --------------------------------------------------------------------------- */

static int parsed_init(kc_config_parsed *p, const kc_config_def *def)
{
    size_t n = def->count ? def->count : 1;
    p->def = def;
    p->values = calloc(n, sizeof *p->values);
    p->set = calloc(n, sizeof *p->set);
    if (!p->values || !p->set)
        return -1;
    for (size_t i = 0; i < def->count; i++)
        kc_config_value_null(&p->values[i], def->keys[i].type);
    return 0;
}

static void parsed_clear(kc_config_parsed *p)
{
    if (p->values)
        for (size_t i = 0; i < p->def->count; i++)
            kc_config_value_clear(&p->values[i]);
    free(p->values);
    free(p->set);
    p->values = NULL;
    p->set = NULL;
}

void kc_config_parsed_free(kc_config_parsed *parsed)
{
    if (!parsed)
        return;
    parsed_clear(parsed);
    free(parsed);
}

const kc_config_value *kc_config_parsed_get(const kc_config_parsed *parsed, const char *name)
{
    long i = kc_config_def_find(parsed->def, name);
    return i >= 0 && parsed->set[i] ? &parsed->values[i] : NULL;
}

/* Removes later duplicates from a list, keeping first occurrences in order. */
static void dedupe(kc_config_strs *l)
{
    size_t out = 0;
    for (size_t i = 0; i < l->count; i++) {
        bool seen = false;
        for (size_t j = 0; j < out && !seen; j++)
            seen = strcmp(l->items[j], l->items[i]) == 0;
        if (seen)
            free(l->items[i]);
        else
            l->items[out++] = l->items[i];
    }
    l->count = out;
}

static int undefined_dependents_error(const kc_config_def *def, kc_error *err)
{
    char joined[KC_ERROR_MSG_MAX] = "";
    size_t len = 0;
    for (size_t i = 0; i < def->undefined.count; i++) {
        int w = snprintf(joined + len, sizeof joined - len, "%s%s", i ? "," : "", def->undefined.items[i]);
        if (w > 0 && (size_t)w < sizeof joined - len)
            len += (size_t)w;
    }
    return kc_error_set(err, KC_ERR_INVALID,
                        "Some configurations in are referred in the dependents, but not defined: %s", joined);
}

static int missing_error(kc_error *err, const char *name)
{
    return kc_error_set(err, KC_ERR_INVALID, "Missing required configuration \"%s\" which has no default value.",
                        name);
}

kc_config_parsed *kc_config_parse(const kc_config_def *def, const kc_props *props, kc_error *err)
{
    if (def->undefined.count) {
        undefined_dependents_error(def, err);
        return NULL;
    }
    kc_config_parsed *p = calloc(1, sizeof *p);
    if (!p || parsed_init(p, def) < 0) {
        if (p)
            parsed_clear(p);
        free(p);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < def->count; i++) {
        const kc_config_key *k = &def->keys[i];
        kc_config_value *v = &p->values[i];
        const char *raw = kc_props_get(props, k->name);
        if (raw) {
            if (kc_config_parse_type(def, k->name, raw, k->type, v, err) < 0)
                goto fail;
        } else if (!def->has_default[i]) {
            missing_error(err, k->name);
            goto fail;
        } else if (kc_config_value_copy(v, &def->defaults[i]) < 0) {
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            goto fail;
        }
        /* Java 4.x: a ValidList-validated list drops its duplicates (with a warning) here. */
        if (k->validator && k->validator->kind == KC_CONFIG_V_LIST_IN && !v->is_null)
            dedupe(&v->list);
        if (k->validator && kc_config_validator_check(k->validator, k->name, v, err) < 0)
            goto fail;
        p->set[i] = true;
    }
    return p;
fail:
    kc_config_parsed_free(p);
    return NULL;
}

static const kc_config_value *typed(const kc_config_parsed *p, const char *name, kc_config_type type)
{
    long i = kc_config_def_find(p->def, name);
    assert(i >= 0 && p->def->keys[i].type == type);
    if (i < 0 || p->def->keys[i].type != type)
        return NULL;
    return &p->values[i];
}

bool kc_config_get_bool(const kc_config_parsed *parsed, const char *name)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_BOOLEAN);
    return v && !v->is_null && v->boolean;
}

int32_t kc_config_get_int(const kc_config_parsed *parsed, const char *name)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_INT);
    return v && !v->is_null ? (int32_t)v->integer : 0;
}

int16_t kc_config_get_short(const kc_config_parsed *parsed, const char *name)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_SHORT);
    return v && !v->is_null ? (int16_t)v->integer : 0;
}

int64_t kc_config_get_long(const kc_config_parsed *parsed, const char *name)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_LONG);
    return v && !v->is_null ? v->integer : 0;
}

double kc_config_get_double(const kc_config_parsed *parsed, const char *name)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_DOUBLE);
    return v && !v->is_null ? v->dbl : 0.0;
}

const char *kc_config_get_string(const kc_config_parsed *parsed, const char *name)
{
    long i = kc_config_def_find(parsed->def, name);
    kc_config_type t = i >= 0 ? parsed->def->keys[i].type : KC_CONFIG_STRING;
    const kc_config_value *v = typed(parsed, name, t == KC_CONFIG_CLASS ? KC_CONFIG_CLASS : KC_CONFIG_STRING);
    return v && !v->is_null ? v->string : NULL;
}

char *const *kc_config_get_list(const kc_config_parsed *parsed, const char *name, size_t *count)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_LIST);
    *count = v && !v->is_null ? v->list.count : 0;
    if (!v || v->is_null)
        return NULL;
    static char *const empty[1] = { NULL };
    return v->list.count ? v->list.items : empty;
}

const char *kc_config_get_password(const kc_config_parsed *parsed, const char *name)
{
    const kc_config_value *v = typed(parsed, name, KC_CONFIG_PASSWORD);
    return v && !v->is_null ? v->string : NULL;
}

/* ---- results --------------------------------------------------------------------------------- */

int kc_config_result_add_error(kc_config_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return -1;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = kc_config_strs_add(&r->errors, s);
    free(s);
    return rc;
}

static void result_clear(kc_config_result *r)
{
    free(r->name);
    kc_config_value_clear(&r->value);
    kc_config_strs_clear(&r->recommended);
    kc_config_strs_clear(&r->errors);
}

void kc_config_validation_free(kc_config_validation *v)
{
    if (!v)
        return;
    if (v->results)
        for (size_t i = 0; i < v->def->count; i++)
            result_clear(&v->results[i]);
    free(v->results);
    for (size_t i = 0; i < v->extra_count; i++) {
        result_clear(v->extras[i]);
        free(v->extras[i]);
    }
    free(v->extras);
    parsed_clear(&v->parsed);
    free(v);
}

kc_config_result *kc_config_validation_add_extra(kc_config_validation *v, const char *name,
                                                 const char *value_text)
{
    if (v->extra_count == v->extra_cap) {
        size_t cap = v->extra_cap ? v->extra_cap * 2 : 4;
        kc_config_result **extras = realloc(v->extras, cap * sizeof *extras);
        if (!extras)
            return NULL;
        v->extras = extras;
        v->extra_cap = cap;
    }
    kc_config_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->key = -1;
    r->visible = true;
    kc_config_value_null(&r->value, KC_CONFIG_STRING);
    if (!(r->name = strdup(name)) || (value_text && !(r->value.string = strdup(value_text)))) {
        result_clear(r);
        free(r);
        return NULL;
    }
    r->value.is_null = value_text == NULL;
    v->extras[v->extra_count++] = r;
    return r;
}

const kc_config_def *kc_config_validation_def(const kc_config_validation *v)
{
    return v->def;
}

const kc_config_parsed *kc_config_validation_parsed(const kc_config_validation *v)
{
    return &v->parsed;
}

kc_config_result *kc_config_validation_at(kc_config_validation *v, size_t i)
{
    return i < v->def->count ? &v->results[i] : NULL;
}

size_t kc_config_validation_extra_count(const kc_config_validation *v)
{
    return v->extra_count;
}

kc_config_result *kc_config_validation_extra_at(kc_config_validation *v, size_t i)
{
    return i < v->extra_count ? v->extras[i] : NULL;
}

kc_config_result *kc_config_validation_get(kc_config_validation *v, const char *name, bool create)
{
    long i = kc_config_def_find(v->def, name);
    if (i >= 0)
        return &v->results[i];
    for (size_t e = 0; e < v->extra_count; e++)
        if (strcmp(v->extras[e]->name, name) == 0)
            return v->extras[e];
    return create ? kc_config_validation_add_extra(v, name, NULL) : NULL;
}

int kc_config_validation_error_count(const kc_config_validation *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->extra_count; i++)
        n += v->extras[i]->errors.count;
    for (size_t i = 0; i < v->def->count; i++)
        n += v->results[i].errors.count;
    return (int)n;
}

/* ---- validateAll ----------------------------------------------------------------------------- */

typedef struct walk {
    kc_config_validation *v;
    const kc_props *props;
    const kc_props *nulls;
    bool *on_stack;
    int failed;          /* out of memory */
} walk;

static void add_error(walk *w, kc_config_result *r, const char *msg)
{
    if (kc_config_strs_add(&r->errors, msg) < 0)
        w->failed = 1;
}

static void parse_for_validate(walk *w, size_t i, int depth)
{
    const kc_config_def *def = w->v->def;
    const kc_config_key *k = &def->keys[i];
    kc_config_result *r = &w->v->results[i];
    kc_config_value value;
    kc_config_value_null(&value, k->type);
    kc_error e;
    const char *raw = kc_props_get(w->props, k->name);
    bool null_given = !raw && w->nulls && kc_props_get(w->nulls, k->name);
    if (raw) {
        if (kc_config_parse_type(def, k->name, raw, k->type, &value, &e) < 0)
            add_error(w, r, e.msg);
    } else if (null_given) {
        /* present with a null value: parses to null, not "missing" */
    } else if (!def->has_default[i]) {
        missing_error(&e, k->name);
        add_error(w, r, e.msg);
    } else if (kc_config_value_copy(&value, &def->defaults[i]) < 0) {
        w->failed = 1;
    }
    if (k->validator && kc_config_validator_check(k->validator, k->name, &value, &e) < 0)
        add_error(w, r, e.msg);
    kc_config_value_clear(&r->value);
    if (kc_config_value_copy(&r->value, &value) < 0)
        w->failed = 1;
    kc_config_value_clear(&w->v->parsed.values[i]);
    w->v->parsed.values[i] = value;
    w->v->parsed.set[i] = true;
    if (depth >= KC_CONFIG_MAX_DEPTH)
        return;
    w->on_stack[i] = true;
    for (const char *const *d = k->dependents; d && *d; d++) {
        long j = kc_config_def_find(def, *d);
        if (j >= 0 && !w->on_stack[j])
            parse_for_validate(w, (size_t)j, depth + 1);
    }
    w->on_stack[i] = false;
}

static void recommend(walk *w, size_t i, int depth)
{
    const kc_config_def *def = w->v->def;
    const kc_config_key *k = &def->keys[i];
    kc_config_result *r = &w->v->results[i];
    const kc_config_recommender *rec = k->recommender;
    if (rec) {
        kc_error e;
        kc_error_clear(&e);
        bool ok = true;
        if (rec->valid_values) {
            kc_config_strs values = { 0 };
            if (rec->valid_values(k->name, &w->v->parsed, rec->opaque, &values, &e) < 0) {
                add_error(w, r, e.msg);
                kc_config_strs_clear(&values);
                ok = false;
            } else {
                kc_config_strs_clear(&r->recommended);
                r->recommended = values;
            }
        }
        if (ok && rec->visible) {
            int vis = rec->visible(k->name, &w->v->parsed, rec->opaque, &e);
            if (vis < 0)
                add_error(w, r, e.msg);
            else
                r->visible = vis != 0;
        }
    }
    if (depth >= KC_CONFIG_MAX_DEPTH)
        return;
    w->on_stack[i] = true;
    for (const char *const *d = k->dependents; d && *d; d++) {
        long j = kc_config_def_find(def, *d);
        if (j >= 0 && !w->on_stack[j])
            recommend(w, (size_t)j, depth + 1);
    }
    w->on_stack[i] = false;
}

kc_config_validation *kc_config_validate(const kc_config_def *def, const kc_props *props,
                                         const kc_props *null_keys, kc_error *err)
{
    kc_config_validation *v = calloc(1, sizeof *v);
    walk w = { .v = v, .props = props, .nulls = null_keys };
    if (!v)
        goto oom;
    v->def = def;
    v->results = calloc(def->count ? def->count : 1, sizeof *v->results);
    w.on_stack = calloc(def->count ? def->count : 1, sizeof *w.on_stack);
    if (parsed_init(&v->parsed, def) < 0 || !v->results || !w.on_stack)
        goto oom;
    for (size_t i = 0; i < def->count; i++) {
        kc_config_result *r = &v->results[i];
        r->key = (long)i;
        r->visible = true;
        kc_config_value_null(&r->value, def->keys[i].type);
        if (!(r->name = strdup(def->keys[i].name)))
            goto oom;
    }
    for (size_t i = 0; i < def->undefined.count; i++) {
        const char *name = def->undefined.items[i];
        kc_config_result *r = kc_config_validation_add_extra(v, name, NULL);
        if (!r || kc_config_result_add_error(r, "%s is referred in the dependents, but not defined.", name) < 0)
            goto oom;
        r->visible = false;
    }
    for (size_t i = 0; i < def->count && !w.failed; i++)
        if (!def->has_parent[i])
            parse_for_validate(&w, i, 0);
    for (size_t i = 0; i < def->count && !w.failed; i++)
        if (!def->has_parent[i])
            recommend(&w, i, 0);
    if (w.failed)
        goto oom;
    free(w.on_stack);
    return v;
oom:
    free(w.on_stack);
    kc_config_validation_free(v);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return NULL;
}
