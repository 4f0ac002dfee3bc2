/*
 * ConfigDef core: names, string lists, typed values and their Java text forms, parseType. The
 * def is built in config_def_build.c, validators live in config_def_check.c, parse/validate in
 * config_def_validate.c, JSON and docs in config_def_json.c.
 *
 * Java's parsing rules (ConfigDef.parseType), reproduced on UTF-8 bytes:
 *  - the value is first trimmed as String.trim() does: every leading/trailing char <= U+0020;
 *  - BOOLEAN: "true"/"false" in any case; INT/SHORT/LONG: Integer/Short/Long.parseXxx (optional
 *    sign, decimal digits, range of the type); DOUBLE: Double.parseDouble's grammar (decimal or
 *    hex with 'p' exponent, NaN, Infinity, optional f/F/d/D suffix);
 *  - LIST: empty text is the empty list, else split on the regex \s*,\s* keeping empty items
 *    ("a, b,,c" is [a, b, "", c]);
 *  - error texts name the raw (untrimmed) value: "Invalid value <v> for configuration <k>: <why>".
 * Deliberate differences: Java's parseInt also accepts non-ASCII Unicode decimal digits (e.g.
 * Arabic-Indic); kconnect accepts ASCII digits only. A CLASS value is a name checked by the def's
 * class_exists hook instead of a loaded Class.
 */
#include "connect/config/config_def_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char kc_config_null_default[] = "<null default>";

/* ---- names ----------------------------------------------------------------------------------- */

const char *kc_config_type_name(kc_config_type type)
{
    switch (type) {
    case KC_CONFIG_BOOLEAN: return "BOOLEAN";
    case KC_CONFIG_STRING: return "STRING";
    case KC_CONFIG_INT: return "INT";
    case KC_CONFIG_SHORT: return "SHORT";
    case KC_CONFIG_LONG: return "LONG";
    case KC_CONFIG_DOUBLE: return "DOUBLE";
    case KC_CONFIG_LIST: return "LIST";
    case KC_CONFIG_CLASS: return "CLASS";
    case KC_CONFIG_PASSWORD: return "PASSWORD";
    }
    return NULL;
}

const char *kc_config_importance_name(kc_config_importance importance)
{
    switch (importance) {
    case KC_CONFIG_HIGH: return "HIGH";
    case KC_CONFIG_MEDIUM: return "MEDIUM";
    case KC_CONFIG_LOW: return "LOW";
    }
    return NULL;
}

const char *kc_config_width_name(kc_config_width width)
{
    switch (width) {
    case KC_CONFIG_WIDTH_NONE: return "NONE";
    case KC_CONFIG_WIDTH_SHORT: return "SHORT";
    case KC_CONFIG_WIDTH_MEDIUM: return "MEDIUM";
    case KC_CONFIG_WIDTH_LONG: return "LONG";
    }
    return NULL;
}

/* ---- small helpers --------------------------------------------------------------------------- */

char *kc_config_strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int kc_config_strs_add(kc_config_strs *list, const char *s)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        char **items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return -1;
        list->items = items;
        list->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy)
        return -1;
    list->items[list->count++] = copy;
    return 0;
}

void kc_config_strs_clear(kc_config_strs *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

const char *kc_config_trim(const char *s, size_t *len)
{
    size_t n = strlen(s);
    while (n > 0 && (unsigned char)s[n - 1] <= 0x20)
        n--;
    while (n > 0 && (unsigned char)*s <= 0x20) {
        s++;
        n--;
    }
    *len = n;
    return s;
}

int32_t kc_config_java_hash(const char *s)
{
    uint32_t h = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int extra;
        if (*p < 0x80) { cp = *p; extra = 0; }
        else if ((*p & 0xE0) == 0xC0) { cp = *p & 0x1F; extra = 1; }
        else if ((*p & 0xF0) == 0xE0) { cp = *p & 0x0F; extra = 2; }
        else { cp = *p & 0x07; extra = 3; }
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++, p++)
            cp = (cp << 6) | (*p & 0x3F);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
    }
    return (int32_t)h;
}

/* ---- values ---------------------------------------------------------------------------------- */

void kc_config_value_null(kc_config_value *v, kc_config_type type)
{
    memset(v, 0, sizeof *v);
    v->type = type;
    v->is_null = true;
}

void kc_config_value_clear(kc_config_value *v)
{
    free(v->string);
    kc_config_strs_clear(&v->list);
    kc_config_value_null(v, v->type);
}

int kc_config_value_copy(kc_config_value *dst, const kc_config_value *src)
{
    *dst = *src;
    dst->string = NULL;
    memset(&dst->list, 0, sizeof dst->list);
    if (src->string && !(dst->string = strdup(src->string)))
        goto oom;
    for (size_t i = 0; i < src->list.count; i++)
        if (kc_config_strs_add(&dst->list, src->list.items[i]) < 0)
            goto oom;
    return 0;
oom:
    kc_config_value_clear(dst);
    return -1;
}

char *kc_config_java_double(double d, char *buf, size_t size)
{
    if (isnan(d)) {
        snprintf(buf, size, "NaN");
        return buf;
    }
    if (isinf(d)) {
        snprintf(buf, size, "%sInfinity", d < 0 ? "-" : "");
        return buf;
    }
    if (d == 0) {
        snprintf(buf, size, "%s0.0", signbit(d) ? "-" : "");
        return buf;
    }
    /* Java prints as few digits as uniquely distinguish d, but never fewer than two significant
     * digits' worth of choice ("4.9E-324", not "5.0E-324"); trailing zeros then go. JDK 17's
     * FloatingDecimal can print a longer form for rare values; this is the shortest form. */
    char tmp[64];
    for (int prec = 2; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    const char *p = tmp;
    bool neg = *p == '-';
    if (neg)
        p++;
    char digits[32];
    size_t nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    double a = fabs(d);
    char out[64];
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (a >= 1e-3 && a < 1e7) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++)
                out[o++] = (size_t)i < nd ? digits[i] : '0';
            out[o++] = '.';
            if ((size_t)exp + 1 < nd)
                for (size_t i = (size_t)exp + 1; i < nd; i++)
                    out[o++] = digits[i];
            else
                out[o++] = '0';
        } else {
            out[o++] = '0';
            out[o++] = '.';
            for (int i = 0; i < -exp - 1; i++)
                out[o++] = '0';
            for (size_t i = 0; i < nd; i++)
                out[o++] = digits[i];
        }
        out[o] = '\0';
    } else {
        out[o++] = digits[0];
        out[o++] = '.';
        if (nd > 1)
            for (size_t i = 1; i < nd; i++)
                out[o++] = digits[i];
        else
            out[o++] = '0';
        snprintf(out + o, sizeof out - o, "E%d", exp);
    }
    snprintf(buf, size, "%s", out);
    return buf;
}

/* Joins the list with sep, between open and close. */
static char *join_list(const kc_config_strs *list, const char *open, const char *sep, const char *close)
{
    size_t len = strlen(open) + strlen(close) + 1;
    for (size_t i = 0; i < list->count; i++)
        len += strlen(list->items[i]) + strlen(sep);
    char *s = malloc(len);
    if (!s)
        return NULL;
    char *p = stpcpy(s, open);
    for (size_t i = 0; i < list->count; i++) {
        if (i)
            p = stpcpy(p, sep);
        p = stpcpy(p, list->items[i]);
    }
    strcpy(p, close);
    return s;
}

static char *scalar_text(const kc_config_value *v)
{
    char num[64];
    switch (v->type) {
    case KC_CONFIG_BOOLEAN: return strdup(v->boolean ? "true" : "false");
    case KC_CONFIG_INT:
    case KC_CONFIG_SHORT:
    case KC_CONFIG_LONG: return kc_config_strf("%lld", (long long)v->integer);
    case KC_CONFIG_DOUBLE: return strdup(kc_config_java_double(v->dbl, num, sizeof num));
    case KC_CONFIG_PASSWORD: return strdup(KC_CONFIG_HIDDEN);
    case KC_CONFIG_STRING:
    case KC_CONFIG_CLASS: return strdup(v->string ? v->string : "");
    case KC_CONFIG_LIST: break;
    }
    return NULL;
}

char *kc_config_value_text_new(const kc_config_value *value)
{
    if (value->is_null)
        return NULL;
    if (value->type == KC_CONFIG_LIST)
        return join_list(&value->list, "", ",", "");
    return scalar_text(value);
}

char *kc_config_value_display_new(const kc_config_value *value)
{
    if (value->is_null)
        return strdup("null");
    if (value->type == KC_CONFIG_LIST)
        return join_list(&value->list, "[", ", ", "]");
    return scalar_text(value);
}

int kc_config_error_invalid(kc_error *err, const char *name, const kc_config_value *value,
                            const char *reason_fmt, ...)
{
    char reason[KC_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, reason_fmt);
    vsnprintf(reason, sizeof reason, reason_fmt, ap);
    va_end(ap);
    char *shown = kc_config_value_display_new(value);
    kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: %s",
                 shown ? shown : "?", name, reason);
    free(shown);
    return -1;
}

/* ---- parseType ------------------------------------------------------------------------------- */

/* Integer.parseInt / Long.parseLong on s[0..n): optional sign, then ASCII digits, within [lo, hi]. */
static bool parse_java_integer(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return false;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t acc = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (acc > (limit - d) / 10)
            return false;
        acc = acc * 10 + d;
    }
    int64_t v = neg ? (acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc) : (int64_t)acc;
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static size_t span(const char *s, size_t n, size_t i, int (*cls)(int))
{
    size_t j = i;
    while (j < n && cls((unsigned char)s[j]))
        j++;
    return j - i;
}

static int is_dec(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Double.parseDouble's grammar on s[0..n); *body_len receives the length without the f/F/d/D
 * suffix (what strtod is given). */
static bool java_double_syntax(const char *s, size_t n, size_t *body_len)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if ((n - i == 3 && memcmp(s + i, "NaN", 3) == 0) || (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0)) {
        *body_len = n;
        return true;
    }
    if (n - i >= 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        i += 2;
        size_t a = span(s, n, i, is_hex);
        i += a;
        size_t b = 0;
        if (i < n && s[i] == '.') {
            i++;
            b = span(s, n, i, is_hex);
            i += b;
        }
        if (a + b == 0 || i >= n || (s[i] != 'p' && s[i] != 'P'))
            return false;
        i++;
    } else {
        size_t a = span(s, n, i, is_dec);
        i += a;
        size_t b = 0;
        if (i < n && s[i] == '.') {
            i++;
            b = span(s, n, i, is_dec);
            i += b;
        }
        if (a + b == 0)
            return false;
        if (i == n || (s[i] != 'e' && s[i] != 'E'))
            goto suffix;
        i++;
    }
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t e = span(s, n, i, is_dec);
    if (e == 0)
        return false;
    i += e;
suffix:
    *body_len = i;
    if (i < n && strchr("fFdD", s[i]))
        i++;
    return i == n;
}

static int is_regex_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int parse_list(const char *s, size_t n, kc_config_strs *out)
{
    if (n == 0)
        return 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',')
            continue;
        size_t a = start, b = i;
        while (a < b && is_regex_space((unsigned char)s[a]))
            a++;
        while (b > a && is_regex_space((unsigned char)s[b - 1]))
            b--;
        char *item = dup_n(s + a, b - a);
        if (!item)
            return -1;
        int rc = kc_config_strs_add(out, item);
        free(item);
        if (rc < 0)
            return -1;
        start = i + 1;
    }
    return 0;
}

static int invalid_raw(kc_error *err, const char *name, const char *raw, const char *reason)
{
    return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: %s", raw, name, reason);
}

int kc_config_parse_type(const kc_config_def *def, const char *name, const char *raw,
                         kc_config_type type, kc_config_value *out, kc_error *err)
{
    kc_config_value_null(out, type);
    size_t n;
    const char *t = kc_config_trim(raw, &n);
    switch (type) {
    case KC_CONFIG_BOOLEAN:
        if (n == 4 && strncasecmp(t, "true", 4) == 0)
            out->boolean = true;
        else if (!(n == 5 && strncasecmp(t, "false", 5) == 0))
            return invalid_raw(err, name, raw, "Expected value to be either true or false");
        break;
    case KC_CONFIG_INT:
    case KC_CONFIG_SHORT:
    case KC_CONFIG_LONG: {
        int64_t lo = type == KC_CONFIG_INT ? INT32_MIN : type == KC_CONFIG_SHORT ? INT16_MIN : INT64_MIN;
        int64_t hi = type == KC_CONFIG_INT ? INT32_MAX : type == KC_CONFIG_SHORT ? INT16_MAX : INT64_MAX;
        if (!parse_java_integer(t, n, lo, hi, &out->integer)) {
            char reason[64];
            snprintf(reason, sizeof reason, "Not a number of type %s", kc_config_type_name(type));
            return invalid_raw(err, name, raw, reason);
        }
        break;
    }
    case KC_CONFIG_DOUBLE: {
        size_t body;
        if (!java_double_syntax(t, n, &body))
            return invalid_raw(err, name, raw, "Not a number of type DOUBLE");
        char *num = dup_n(t, body);
        if (!num)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        const char *p = num + (*num == '+' || *num == '-');
        if (strcmp(p, "NaN") == 0)
            out->dbl = NAN;
        else if (strcmp(p, "Infinity") == 0)
            out->dbl = *num == '-' ? -INFINITY : INFINITY;
        else
            out->dbl = strtod(num, NULL); /* ERANGE: +-Infinity or a subnormal/zero, as in Java */
        free(num);
        break;
    }
    case KC_CONFIG_LIST:
        if (parse_list(t, n, &out->list) < 0) {
            kc_config_value_clear(out);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        break;
    case KC_CONFIG_CLASS:
    case KC_CONFIG_STRING:
    case KC_CONFIG_PASSWORD:
        if (!(out->string = dup_n(t, n)))
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        if (type == KC_CONFIG_CLASS &&
            (n == 0 || (def && def->class_exists && !def->class_exists(out->string, def->class_opaque)))) {
            kc_config_value_clear(out);
            char reason[KC_ERROR_MSG_MAX];
            snprintf(reason, sizeof reason, "Class %s could not be found.", raw);
            return invalid_raw(err, name, raw, reason);
        }
        break;
    default:
        return kc_error_set(err, KC_ERR_INTERNAL, "Unknown type.");
    }
    out->is_null = false;
    return 0;
}
