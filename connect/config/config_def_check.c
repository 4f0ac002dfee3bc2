/*
 * Validators: Java's ConfigDef.Range, ValidString, CaseInsensitiveValidString, ValidList (4.x:
 * in / anyNonDuplicateValues), ListSize, NonEmptyString, NonEmptyStringWithoutControlChars,
 * NonNullValidator and CompositeValidator, with their exact messages and toString texts.
 *
 * CaseInsensitiveValidString keeps its strings upper-cased in a java.util.HashSet, so its message
 * lists them in HashSet iteration order ("String must be one of (case insensitive): REQUIRED,
 * REQUESTED" for in("requested", "required")). That order is reproduced: bucket index of the
 * spread String.hashCode in a table of the size HashSet grows to, ties in insertion order.
 * Upper-casing is ASCII-only (Java's Locale.ROOT also maps e.g. 'ß' to "SS").
 * ListSize on a null list passes here (Java throws a NullPointerException).
 */
#include "connect/config/config_def_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(kc_config_validator_kind kind)
{
    switch (kind) {
    case KC_CONFIG_V_RANGE: return "Range";
    case KC_CONFIG_V_STRING_IN: return "ValidString";
    case KC_CONFIG_V_STRING_IN_ANY_CASE: return "CaseInsensitiveValidString";
    case KC_CONFIG_V_LIST_IN: return "ValidList";
    case KC_CONFIG_V_LIST_MAX_SIZE: return "ListSize";
    case KC_CONFIG_V_NON_EMPTY_STRING: return "NonEmptyString";
    case KC_CONFIG_V_NON_EMPTY_NO_CONTROL: return "NonEmptyStringWithoutControlChars";
    case KC_CONFIG_V_NON_NULL: return "NonNullValidator";
    case KC_CONFIG_V_ALL_OF: return "CompositeValidator";
    case KC_CONFIG_V_CHECK: return "custom validator";
    }
    return "unknown validator";
}

int kc_config_validator_applies(const kc_config_validator *v, kc_config_type type, const char *name,
                                kc_error *err)
{
    bool ok = false;
    switch (v->kind) {
    case KC_CONFIG_V_RANGE:
        ok = type == KC_CONFIG_INT || type == KC_CONFIG_SHORT || type == KC_CONFIG_LONG || type == KC_CONFIG_DOUBLE;
        break;
    case KC_CONFIG_V_STRING_IN:
    case KC_CONFIG_V_STRING_IN_ANY_CASE:
        ok = type == KC_CONFIG_STRING && v->strings;
        break;
    case KC_CONFIG_V_NON_EMPTY_STRING:
    case KC_CONFIG_V_NON_EMPTY_NO_CONTROL:
        ok = type == KC_CONFIG_STRING;
        break;
    case KC_CONFIG_V_LIST_IN:
    case KC_CONFIG_V_LIST_MAX_SIZE:
        ok = type == KC_CONFIG_LIST;
        break;
    case KC_CONFIG_V_NON_NULL:
        ok = true;
        break;
    case KC_CONFIG_V_CHECK:
        ok = v->check != NULL;
        break;
    case KC_CONFIG_V_ALL_OF:
        if (!v->parts)
            break;
        for (const kc_config_validator *const *p = v->parts; *p; p++)
            if (kc_config_validator_applies(*p, type, name, err) < 0)
                return -1;
        ok = true;
        break;
    }
    if (!ok)
        return kc_error_set(err, KC_ERR_INVALID, "Configuration %s: %s cannot validate a %s value",
                            name, kind_name(v->kind), kc_config_type_name(type));
    return 0;
}

/* ---- helpers --------------------------------------------------------------------------------- */

static char *join(const char *const *items, size_t n, const char *open, const char *close)
{
    size_t len = strlen(open) + strlen(close) + 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    char *p = stpcpy(s, open);
    for (size_t i = 0; i < n; i++)
        p = stpcpy(stpcpy(p, i ? ", " : ""), items[i]);
    strcpy(p, close);
    return s;
}

static size_t count_strings(const char *const *strings)
{
    size_t n = 0;
    while (strings && strings[n])
        n++;
    return n;
}

static char *upper_ascii(const char *s)
{
    char *u = strdup(s);
    for (char *p = u; p && *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return u;
}

typedef struct hashed {
    char *s;
    uint32_t bucket;
    size_t order;
} hashed;

static int cmp_hashed(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The upper-cased strings of v in HashSet iteration order; *n receives their number. Each string
 * and the array are freed by free_set. NULL when out of memory. */
static hashed *upper_set(const kc_config_validator *v, size_t *n)
{
    size_t total = count_strings(v->strings);
    hashed *set = calloc(total ? total : 1, sizeof *set);
    if (!set)
        return NULL;
    size_t count = 0;
    for (size_t i = 0; i < total; i++) {
        char *u = upper_ascii(v->strings[i]);
        if (!u) {
            for (size_t j = 0; j < count; j++)
                free(set[j].s);
            free(set);
            return NULL;
        }
        bool dup = false;
        for (size_t j = 0; j < count && !dup; j++)
            dup = strcmp(set[j].s, u) == 0;
        if (dup)
            free(u);
        else {
            set[count] = (hashed){ .s = u, .order = count };
            count++;
        }
    }
    uint32_t cap = 16;
    while (count > (size_t)cap * 3 / 4)
        cap *= 2;
    for (size_t i = 0; i < count; i++) {
        uint32_t h = (uint32_t)kc_config_java_hash(set[i].s);
        set[i].bucket = (h ^ (h >> 16)) & (cap - 1);
    }
    qsort(set, count, sizeof *set, cmp_hashed);
    *n = count;
    return set;
}

static void free_set(hashed *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(set[i].s);
    free(set);
}

/* "A, B" of the case-insensitive set, with open/close around it. */
static char *upper_set_text(const kc_config_validator *v, const char *open, const char *close)
{
    size_t n = 0;
    hashed *set = upper_set(v, &n);
    if (!set)
        return NULL;
    const char **items = calloc(n ? n : 1, sizeof *items);
    char *text = NULL;
    if (items) {
        for (size_t i = 0; i < n; i++)
            items[i] = set[i].s;
        text = join(items, n, open, close);
        free(items);
    }
    free_set(set, n);
    return text;
}

static char *bound_text(const kc_config_bound *b)
{
    char num[64];
    if (b->is_double)
        return strdup(kc_config_java_double(b->d, num, sizeof num));
    return kc_config_strf("%lld", (long long)b->i);
}

static double bound_value(const kc_config_bound *b)
{
    return b->is_double ? b->d : (double)b->i;
}

static int oom(kc_error *err)
{
    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
}

/* ---- checks ---------------------------------------------------------------------------------- */

static int check_range(const kc_config_validator *v, const char *name, const kc_config_value *value,
                       kc_error *err)
{
    if (value->is_null)
        return kc_config_error_invalid(err, name, value, "Value must be non-null");
    double n = value->type == KC_CONFIG_DOUBLE ? value->dbl : (double)value->integer;
    const kc_config_bound *b = NULL;
    const char *what = NULL;
    if (v->min.set && n < bound_value(&v->min)) {
        b = &v->min;
        what = "Value must be at least";
    } else if (v->max.set && n > bound_value(&v->max)) {
        b = &v->max;
        what = "Value must be no more than";
    }
    if (!b)
        return 0;
    char *bt = bound_text(b);
    if (!bt)
        return oom(err);
    kc_config_error_invalid(err, name, value, "%s %s", what, bt);
    free(bt);
    return -1;
}

static bool in_strings(const char *const *strings, const char *s)
{
    for (size_t i = 0; strings && strings[i]; i++)
        if (strcmp(strings[i], s) == 0)
            return true;
    return false;
}

static int check_string_in(const kc_config_validator *v, const char *name, const char *s,
                           const kc_config_value *shown, kc_error *err)
{
    if (s && in_strings(v->strings, s))
        return 0;
    char *all = join(v->strings, count_strings(v->strings), "", "");
    if (!all)
        return oom(err);
    kc_config_error_invalid(err, name, shown, "String must be one of: %s", all);
    free(all);
    return -1;
}

static int check_any_case(const kc_config_validator *v, const char *name, const kc_config_value *value,
                          kc_error *err)
{
    if (!value->is_null) {
        char *u = upper_ascii(value->string);
        if (!u)
            return oom(err);
        bool found = false;
        for (size_t i = 0; v->strings[i] && !found; i++) {
            char *w = upper_ascii(v->strings[i]);
            found = w && strcmp(w, u) == 0;
            free(w);
        }
        free(u);
        if (found)
            return 0;
    }
    char *all = upper_set_text(v, "", "");
    if (!all)
        return oom(err);
    kc_config_error_invalid(err, name, value, "String must be one of (case insensitive): %s", all);
    free(all);
    return -1;
}

static int check_list_in(const kc_config_validator *v, const char *name, const kc_config_value *value,
                         kc_error *err)
{
    if (value->is_null) {
        if (v->null_allowed)
            return 0;
        return kc_error_set(err, KC_ERR_INVALID, "Configuration '%s' values must not be null.", name);
    }
    const kc_config_strs *l = &value->list;
    size_t nvalid = count_strings(v->strings);
    if (!v->empty_allowed && l->count == 0) {
        char *valid = nvalid ? join(v->strings, nvalid, "[", "]") : strdup("any non-empty value");
        if (!valid)
            return oom(err);
        kc_error_set(err, KC_ERR_INVALID, "Configuration '%s' must not be empty. Valid values include: %s",
                     name, valid);
        free(valid);
        return -1;
    }
    for (size_t i = 0; i < l->count; i++)
        for (size_t j = i + 1; j < l->count; j++)
            if (strcmp(l->items[i], l->items[j]) == 0)
                return kc_error_set(err, KC_ERR_INVALID, "Configuration '%s' values must not be duplicated.", name);
    for (size_t i = 0; i < l->count; i++) {
        if (l->items[i][0] == '\0')
            return kc_error_set(err, KC_ERR_INVALID, "Configuration '%s' values must not be empty.", name);
        if (nvalid) {
            kc_config_value item = { .type = KC_CONFIG_STRING, .string = l->items[i] };
            if (check_string_in(v, name, l->items[i], &item, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* Decodes one UTF-8 code point at *p (advancing it); ill-formed bytes decode as themselves. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp = *s++;
    int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
    if (cp >= 0x80)
        cp &= 0x3Fu >> extra;
    for (int i = 0; i < extra && (*s & 0xC0) == 0x80; i++)
        cp = (cp << 6) | (*s++ & 0x3F);
    *p = s;
    return cp;
}

static int check_no_control(const char *name, const kc_config_value *value, kc_error *err)
{
    if (value->is_null)
        return 0;
    if (value->string[0] == '\0')
        return kc_config_error_invalid(err, name, value, "String may not be empty");
    char found[KC_ERROR_MSG_MAX] = "";
    size_t len = 0;
    for (const unsigned char *p = (const unsigned char *)value->string; *p;) {
        uint32_t cp = next_code_point(&p);
        if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
            int w = snprintf(found + len, sizeof found - len, "%s%u", len ? ", " : "", cp);
            if (w > 0 && (size_t)w < sizeof found - len)
                len += (size_t)w;
        }
    }
    if (len == 0)
        return 0;
    return kc_config_error_invalid(err, name, value,
                                   "String may not contain control sequences but had the following ASCII chars: %s",
                                   found);
}

int kc_config_validator_check(const kc_config_validator *v, const char *name,
                              const kc_config_value *value, kc_error *err)
{
    switch (v->kind) {
    case KC_CONFIG_V_RANGE:
        return check_range(v, name, value, err);
    case KC_CONFIG_V_STRING_IN:
        return check_string_in(v, name, value->is_null ? NULL : value->string, value, err);
    case KC_CONFIG_V_STRING_IN_ANY_CASE:
        return check_any_case(v, name, value, err);
    case KC_CONFIG_V_LIST_IN:
        return check_list_in(v, name, value, err);
    case KC_CONFIG_V_LIST_MAX_SIZE:
        if (!value->is_null && value->list.count > (size_t)(v->max_size < 0 ? 0 : v->max_size))
            return kc_config_error_invalid(err, name, value, "exceeds maximum list size of [%d].", v->max_size);
        return 0;
    case KC_CONFIG_V_NON_EMPTY_STRING:
        if (!value->is_null && value->string[0] == '\0')
            return kc_config_error_invalid(err, name, value, "String must be non-empty");
        return 0;
    case KC_CONFIG_V_NON_EMPTY_NO_CONTROL:
        return check_no_control(name, value, err);
    case KC_CONFIG_V_NON_NULL:
        if (value->is_null)
            return kc_config_error_invalid(err, name, value, "entry must be non null");
        return 0;
    case KC_CONFIG_V_ALL_OF:
        for (const kc_config_validator *const *p = v->parts; p && *p; p++)
            if (kc_config_validator_check(*p, name, value, err) < 0)
                return -1;
        return 0;
    case KC_CONFIG_V_CHECK:
        return v->check(name, value, v->opaque, err) < 0 ? -1 : 0;
    }
    return kc_error_set(err, KC_ERR_INTERNAL, "unknown validator kind %d", (int)v->kind);
}

char *kc_config_validator_describe_new(const kc_config_validator *v)
{
    switch (v->kind) {
    case KC_CONFIG_V_RANGE: {
        char *lo = v->min.set ? bound_text(&v->min) : NULL;
        char *hi = v->max.set ? bound_text(&v->max) : NULL;
        char *s = NULL;
        if ((v->min.set && !lo) || (v->max.set && !hi))
            s = NULL;
        else if (!lo && !hi)
            s = strdup("[...]");
        else if (!lo)
            s = kc_config_strf("[...,%s]", hi);
        else if (!hi)
            s = kc_config_strf("[%s,...]", lo);
        else
            s = kc_config_strf("[%s,...,%s]", lo, hi);
        free(lo);
        free(hi);
        return s;
    }
    case KC_CONFIG_V_STRING_IN:
        return join(v->strings, count_strings(v->strings), "[", "]");
    case KC_CONFIG_V_STRING_IN_ANY_CASE:
        return upper_set_text(v, "(case insensitive) [", "]");
    case KC_CONFIG_V_LIST_IN:
        return count_strings(v->strings) ? join(v->strings, count_strings(v->strings), "[", "]") : strdup("");
    case KC_CONFIG_V_LIST_MAX_SIZE:
        return kc_config_strf("List containing maximum of %d elements", v->max_size);
    case KC_CONFIG_V_NON_EMPTY_STRING:
        return strdup("non-empty string");
    case KC_CONFIG_V_NON_EMPTY_NO_CONTROL:
        return strdup("non-empty string without ISO control characters");
    case KC_CONFIG_V_NON_NULL:
        return strdup("non-null string");
    case KC_CONFIG_V_ALL_OF: {
        char *acc = strdup("");
        for (const kc_config_validator *const *p = v->parts; acc && p && *p; p++) {
            char *part = kc_config_validator_describe_new(*p);
            char *next = part ? kc_config_strf("%s%s%s", acc, acc[0] ? ", " : "", part) : NULL;
            free(part);
            free(acc);
            acc = next;
        }
        return acc;
    }
    case KC_CONFIG_V_CHECK:
        return strdup(v->description ? v->description : "");
    }
    return strdup("");
}
