/* The conversions Values.parseString relies on: temporal and number literals (lenient
 * SimpleDateFormat in UTC, BigDecimal) and Values.convertTo for aligning elements to a common
 * schema. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/values_internal.h"

/* ---- Results -------------------------------------------------------------------------------- */

void kc__vp_sv_clear(sv *r)
{
    kc_schema_unref(r->schema);
    kc_value_free(r->value);
    memset(r, 0, sizeof *r);
}

int kc__vp_fatal(vparser *p)
{
    kc_error_set(p->err, KC_ERR_INTERNAL, "out of memory parsing a header value");
    return VP_FATAL;
}

int kc__vp_make(vparser *p, sv *out, const kc_schema *schema, kc_value *value)
{
    if (!value)
        return kc__vp_fatal(p);
    out->present = true;
    out->schema = schema;
    out->value = value;
    return VP_OK;
}


int kc__vp_data_error(vparser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (p->err) {
        vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
        p->err->code = KC_ERR_INVALID;
    }
    va_end(ap);
    return VP_DATA;
}

/* Number of UTF-16 units in s[0..n) (Java's String.length()). */
size_t kc__vp_utf16_len(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            units += (c >= 0xF0) ? 2 : 1;
    }
    return units;
}

/* ---- Temporal values (lenient SimpleDateFormat, UTC) ---------------------------------------- */

/* Parses text as one of the three ISO patterns the way a lenient SimpleDateFormat does: numeric
 * fields take as many digits as there are (after optional whitespace and minus sign), literals
 * must match, fields out of range roll over. Success even when text is longer than the pattern
 * (Java only checks that the parse position moved). */
static bool parse_temporal_pattern(const char *s, size_t n, int kind, int64_t *millis)
{
    /* Field order: Y M D h m s S; pattern as field codes and literal characters. */
    static const char *const patterns[] = {"Y-M-D", "h:m:s.SZ", "Y-M-DTh:m:s.SZ"};
    const char *pat = patterns[kind];
    int64_t f[7] = {1970, 1, 1, 0, 0, 0, 0};
    size_t i = 0;
    for (const char *c = pat; *c; c++) {
        const char *codes = "YMDhmsS";
        const char *code = strchr(codes, *c);
        if (!code) {
            if (i >= n || s[i] != *c)
                return false;
            i++;
            continue;
        }
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
            i++;
        bool neg = false;
        if (i < n && s[i] == '-') {
            neg = true;
            i++;
        }
        size_t start = i;
        int64_t v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (v < 1000000000000LL)
                v = v * 10 + (s[i] - '0');
            i++;
        }
        if (i == start)
            return false;
        f[code - codes] = (int32_t)(neg ? -v : v);
    }
    int64_t days = kc__days_from_civil(f[0], f[1], f[2]);
    *millis = days * KC_MILLIS_PER_DAY + f[3] * 3600000 + f[4] * 60000 + f[5] * 1000 + f[6];
    return true;
}

/* Values.parseAsTemporal: the token's length picks the pattern (after "\:" becomes ":"). */
int kc__vp_parse_as_temporal(vparser *p, const char *text, size_t n, sv *out, bool *found)
{
    *found = false;
    char *t = malloc(n + 1);
    if (!t)
        return kc__vp_fatal(p);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\\' && i + 1 < n && text[i + 1] == ':')
            continue;
        t[m++] = text[i];
    }
    size_t units = kc__vp_utf16_len(t, m);
    int kind = units == 13 ? 1 : units == 24 ? 2 : units == 10 ? 0 : -1;
    int64_t millis;
    bool ok = kind >= 0 && parse_temporal_pattern(t, m, kind, &millis);
    free(t);
    if (!ok)
        return VP_OK;
    *found = true;
    const kc_schema *schema = kind == 0 ? kc_schema_date() : kind == 1 ? kc_schema_time()
                                                                       : kc_schema_timestamp();
    return kc__vp_make(p, out, schema, kc_value_timestamp(millis));
}

/* ---- Numbers -------------------------------------------------------------------------------- */

/* BigDecimal(text) grammar check and parts. */
typedef struct bigdec {
    bool neg;
    char *digits; /* significant digits without the point, leading zeros removed ("0" for 0) */
    size_t ndigits;
    int64_t scale;
} bigdec;

static int bigdec_parse(const char *s, size_t n, bigdec *d)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (i < n && (s[i] == '+' || s[i] == '-'))
        d->neg = s[i++] == '-';
    d->digits = malloc(n + 2);
    if (!d->digits)
        return VP_FATAL;
    size_t nd = 0, frac = 0;
    bool dot = false, any = false;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            any = true;
            if (nd || s[i] != '0')
                d->digits[nd++] = s[i];
            if (dot)
                frac++;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    int64_t exp = 0;
    if (!any)
        goto bad;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        size_t st = i;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            exp = exp * 10 + (s[i] - '0');
            if (exp > (int64_t)INT32_MAX + 1)
                goto bad;
        }
        if (i == st)
            goto bad;
        if (eneg)
            exp = -exp;
    }
    if (i != n)
        goto bad;
    if (nd == 0)
        d->digits[nd++] = '0';
    d->digits[nd] = '\0';
    d->ndigits = nd;
    d->scale = (int64_t)frac - exp;
    if (d->scale > INT32_MAX || d->scale < INT32_MIN)
        goto bad;
    return VP_OK;
bad:
    free(d->digits);
    d->digits = NULL;
    return VP_DATA; /* NumberFormatException */
}

/* Values.parseAsNumber on a token already checked to start with a digit, '+' or '-'. */
int kc__vp_parse_as_number(vparser *p, const char *text, size_t n, sv *out, bool *found)
{
    *found = false;
    bigdec d;
    int rc = bigdec_parse(text, n, &d);
    if (rc == VP_FATAL)
        return kc__vp_fatal(p);
    if (rc != VP_OK)
        return VP_OK; /* not a number */
    *found = true;
    /* parseAsExactDecimal: an integral value that fits in a long gets the narrowest int type. */
    bool integral = true;
    size_t int_len = d.ndigits;
    if (d.scale > 0) {
        if ((uint64_t)d.scale >= d.ndigits) {
            integral = d.ndigits == 1 && d.digits[0] == '0';
            int_len = 1;
        } else {
            for (size_t k = d.ndigits - (size_t)d.scale; k < d.ndigits; k++)
                integral &= d.digits[k] == '0';
            int_len = d.ndigits - (size_t)d.scale;
        }
    }
    if (integral) {
        bool zero = d.ndigits == 1 && d.digits[0] == '0';
        size_t total = zero ? 1 : int_len + (d.scale < 0 ? (size_t)-d.scale : 0);
        if (total <= 19) {
            uint64_t mag = 0; /* < 10^19 fits */
            for (size_t k = 0; k < int_len && !zero; k++)
                mag = mag * 10 + (uint64_t)(d.digits[k] - '0');
            for (int64_t k = 0; d.scale < 0 && k < -d.scale && !zero; k++)
                mag *= 10;
            uint64_t limit = d.neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
            if (mag <= limit) {
                int64_t v = d.neg ? (int64_t)(0 - (uint64_t)mag) : (int64_t)mag;
                free(d.digits);
                if (v >= INT8_MIN && v <= INT8_MAX)
                    return kc__vp_make(p, out, kc_schema_int8(), kc_value_int8((int8_t)v));
                if (v >= INT16_MIN && v <= INT16_MAX)
                    return kc__vp_make(p, out, kc_schema_int16(), kc_value_int16((int16_t)v));
                if (v >= INT32_MIN && v <= INT32_MAX)
                    return kc__vp_make(p, out, kc_schema_int32(), kc_value_int32((int32_t)v));
                return kc__vp_make(p, out, kc_schema_int64(), kc_value_int64(v));
            }
        }
    }
    /* Not an exact long: float32 if finite (and not an integer literal), then float64, else a
     * Decimal with the literal's scale. */
    char *c = malloc(n + 1);
    if (!c) {
        free(d.digits);
        return kc__vp_fatal(p);
    }
    memcpy(c, text, n);
    c[n] = '\0';
    float fv = strtof(c, NULL);
    double dv = strtod(c, NULL);
    free(c);
    int64_t scale = d.scale;
    free(d.digits);
    if (!isinf(fv) && scale != 0)
        return kc__vp_make(p, out, kc_schema_float32(), kc_value_float32(fv));
    if (!isinf(dv) && scale != 0)
        return kc__vp_make(p, out, kc_schema_float64(), kc_value_float64(dv));
    kc_value *dec = kc_value_decimal_parse(text, n, NULL);
    if (!dec)
        return kc__vp_fatal(p);
    const kc_schema *schema = kc_schema_decimal((int32_t)scale);
    if (!schema) {
        kc_value_free(dec);
        return kc__vp_fatal(p);
    }
    return kc__vp_make(p, out, schema, dec);
}

/* ---- convertTo (the subset parseString's alignment reaches) --------------------------------- */


static int unable(vparser *p, const kc_value *v, const char *target)
{
    char *text = kc_value_to_java_string(v, false, NULL, NULL);
    int rc = kc__vp_data_error(p, "Unable to convert %s (%s) to %s", text ? text : "?",
                        kc_value_type_java_class(kc_value_get_type(v)), target);
    free(text);
    return rc;
}

static int unable_schema(vparser *p, const kc_value *v, const kc_schema *to)
{
    char buf[256];
    return unable(p, v, kc_schema_to_string(to, buf, sizeof buf));
}

/* Values.parseString(value).value() for convertTo's string inputs. */
static int reparse(vparser *p, const kc_value *v, sv *out)
{
    kc_error e;
    kc_schema_and_value r = {0};
    if (kc_values_parse_string(v->u.s.data, v->u.s.len, &r, &e) != 0) {
        if (p->err)
            *p->err = e;
        return VP_FATAL;
    }
    out->present = r.schema || r.value;
    out->schema = r.schema;
    out->value = r.value;
    return VP_OK;
}

/* Java's (long) cast of a double: NaN is 0, out-of-range values saturate. */
static int64_t d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

static int as_long(vparser *p, const kc_value *v, int64_t *out)
{
    switch (kc_value_get_type(v)) {
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64: *out = v->u.i; return VP_OK;
    case KC_VALUE_FLOAT32: *out = d2l(v->u.f); return VP_OK;
    case KC_VALUE_FLOAT64: *out = d2l(v->u.d); return VP_OK;
    case KC_VALUE_DECIMAL:
    case KC_VALUE_STRING: {
        bigdec d;
        char *text = v->type == KC_VALUE_DECIMAL ? kc_value_decimal_to_string(v) : NULL;
        const char *s = v->type == KC_VALUE_DECIMAL ? text : v->u.s.data;
        size_t n = v->type == KC_VALUE_DECIMAL ? (text ? strlen(text) : 0) : v->u.s.len;
        if (v->type == KC_VALUE_DECIMAL && !text)
            return kc__vp_fatal(p);
        int rc = bigdec_parse(s, n, &d);
        free(text);
        if (rc == VP_FATAL)
            return kc__vp_fatal(p);
        if (rc != VP_OK)
            return unable(p, v, "a number");
        /* BigDecimal.longValue: the low 64 bits of the integer part. */
        uint64_t low = 0;
        size_t keep = d.ndigits;
        if (d.scale > 0)
            keep = (uint64_t)d.scale >= d.ndigits ? 0 : d.ndigits - (size_t)d.scale;
        for (size_t k = 0; k < keep; k++)
            low = low * 10 + (uint64_t)(d.digits[k] - '0');
        for (int64_t k = 0; d.scale < 0 && k < -d.scale && k < 64; k++)
            low *= 10;
        if (d.scale <= -64)
            low = 0;
        *out = (int64_t)(d.neg ? 0 - low : low);
        free(d.digits);
        return VP_OK;
    }
    default: return unable(p, v, "a number");
    }
}

static int as_double(vparser *p, const kc_value *v, double *out)
{
    switch (kc_value_get_type(v)) {
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64: *out = (double)v->u.i; return VP_OK;
    case KC_VALUE_FLOAT32: *out = v->u.f; return VP_OK;
    case KC_VALUE_FLOAT64: *out = v->u.d; return VP_OK;
    case KC_VALUE_DECIMAL:
    case KC_VALUE_STRING: {
        char *text = v->type == KC_VALUE_DECIMAL ? kc_value_decimal_to_string(v)
                                                 : strndup(v->u.s.data, v->u.s.len);
        if (!text)
            return kc__vp_fatal(p);
        bigdec d;
        int rc = bigdec_parse(text, strlen(text), &d);
        if (rc == VP_OK) {
            bool zero = d.ndigits == 1 && d.digits[0] == '0';
            *out = zero ? 0.0 : strtod(text, NULL);
            free(d.digits);
        }
        free(text);
        if (rc == VP_FATAL)
            return kc__vp_fatal(p);
        if (rc != VP_OK)
            return unable(p, v, "a number");
        return VP_OK;
    }
    default: {
        int64_t l;
        int rc = as_long(p, v, &l);
        *out = (double)l;
        return rc;
    }
    }
}

/* convertToDate / convertToTime / convertToTimestamp with no source schema. */
static int convert_temporal(vparser *p, const kc_schema *to, const kc_value *v, kc_value **out)
{
    sv parsed = {0};
    if (kc_value_get_type(v) == KC_VALUE_STRING) {
        int rc = reparse(p, v, &parsed);
        if (rc != VP_OK)
            return rc;
        v = parsed.value;
    }
    int rc = VP_OK;
    if (kc_value_get_type(v) == KC_VALUE_TIMESTAMP) {
        *out = kc_value_copy(v);
        if (!*out)
            rc = kc__vp_fatal(p);
    } else {
        int64_t n;
        rc = as_long(p, v, &n);
        if (rc == VP_OK) {
            kc_error e;
            const char *name = to->name;
            if (strcmp(name, KC_DATE_LOGICAL_NAME) == 0)
                *out = kc_date_to_logical(to, (int32_t)n, &e);
            else if (strcmp(name, KC_TIME_LOGICAL_NAME) == 0)
                *out = kc_time_to_logical(to, (int32_t)n, &e);
            else
                *out = kc_timestamp_to_logical(to, n, &e);
            if (!*out)
                rc = e.code == KC_ERR_INTERNAL ? kc__vp_fatal(p) : kc__vp_data_error(p, "%s", e.msg);
        }
    }
    kc__vp_sv_clear(&parsed);
    return rc;
}

static bool named(const kc_schema *s, const char *name)
{
    return s->name && strcmp(s->name, name) == 0;
}

int kc__vp_convert_to(vparser *p, const kc_schema *to, const kc_value *v, kc_value **out)
{
    *out = NULL;
    if (kc_value_is_null(v)) {
        if (to->optional) {
            *out = kc_value_null();
            return VP_OK;
        }
        return kc__vp_data_error(p, "Unable to convert a null value to a schema that requires a value");
    }
    kc_value_type t = v->type;
    int64_t l;
    double d;
    int rc;
    switch (to->type) {
    case KC_SCHEMA_BYTES:
        if (named(to, KC_DECIMAL_LOGICAL_NAME)) {
            if (t == KC_VALUE_DECIMAL) {
                *out = kc_value_copy(v);
            } else if (t == KC_VALUE_BYTES) {
                kc_error e;
                *out = kc_decimal_to_logical(to, v->u.s.data, v->u.s.len, &e);
                if (!*out)
                    return e.code == KC_ERR_INTERNAL ? kc__vp_fatal(p) : kc__vp_data_error(p, "%s", e.msg);
            } else if (t == KC_VALUE_STRING || t <= KC_VALUE_FLOAT64) {
                char num[40];
                const char *s = num;
                size_t n;
                if (t == KC_VALUE_STRING) {
                    s = v->u.s.data;
                    n = v->u.s.len;
                } else {
                    if ((rc = as_double(p, v, &d)) != VP_OK)
                        return rc;
                    n = kc_java_double_to_string(d, num); /* BigDecimal.valueOf(double) */
                }
                *out = kc_value_decimal_parse(s, n, NULL);
                if (!*out)
                    return kc__vp_data_error(p, "Character array is not a valid decimal number");
            } else {
                return unable_schema(p, v, to);
            }
        } else if (t == KC_VALUE_BYTES) {
            *out = kc_value_copy(v);
        } else {
            return unable_schema(p, v, to);
        }
        break;
    case KC_SCHEMA_STRING: {
        char *s;
        size_t n;
        kc_error e;
        if (kc_values_convert_to_string(NULL, v, &s, &n, &e) != 0)
            return kc__vp_fatal(p);
        *out = kc_value_string_len(s, n);
        free(s);
        break;
    }
    case KC_SCHEMA_BOOLEAN:
        if (t == KC_VALUE_BOOLEAN) {
            *out = kc_value_copy(v);
            break;
        }
        if (t == KC_VALUE_STRING) {
            sv parsed = {0};
            if ((rc = reparse(p, v, &parsed)) != VP_OK)
                return rc;
            if (kc_value_get_type(parsed.value) == KC_VALUE_BOOLEAN) {
                *out = kc_value_boolean(parsed.value->u.b);
                kc__vp_sv_clear(&parsed);
                break;
            }
            kc__vp_sv_clear(&parsed);
        }
        if ((rc = as_long(p, v, &l)) != VP_OK)
            return rc;
        *out = kc_value_boolean(l != 0);
        break;
    case KC_SCHEMA_INT8:
    case KC_SCHEMA_INT16:
    case KC_SCHEMA_INT32:
    case KC_SCHEMA_INT64:
        if (named(to, KC_DATE_LOGICAL_NAME) || named(to, KC_TIME_LOGICAL_NAME) ||
            named(to, KC_TIMESTAMP_LOGICAL_NAME))
            return convert_temporal(p, to, v, out);
        if ((rc = as_long(p, v, &l)) != VP_OK)
            return rc;
        switch (to->type) {
        case KC_SCHEMA_INT8: *out = t == KC_VALUE_INT8 ? kc_value_copy(v) : kc_value_int8((int8_t)l); break;
        case KC_SCHEMA_INT16: *out = t == KC_VALUE_INT16 ? kc_value_copy(v) : kc_value_int16((int16_t)l); break;
        case KC_SCHEMA_INT32: *out = t == KC_VALUE_INT32 ? kc_value_copy(v) : kc_value_int32((int32_t)l); break;
        default: *out = kc_value_int64(l); break;
        }
        break;
    case KC_SCHEMA_FLOAT32:
        if (t == KC_VALUE_FLOAT32) {
            *out = kc_value_copy(v);
            break;
        }
        if ((rc = as_double(p, v, &d)) != VP_OK)
            return rc;
        *out = kc_value_float32((float)d);
        break;
    case KC_SCHEMA_FLOAT64:
        if ((rc = as_double(p, v, &d)) != VP_OK)
            return rc;
        *out = kc_value_float64(d);
        break;
    case KC_SCHEMA_ARRAY:
    case KC_SCHEMA_MAP: {
        kc_value_type want = to->type == KC_SCHEMA_ARRAY ? KC_VALUE_ARRAY : KC_VALUE_MAP;
        if (t == KC_VALUE_STRING) {
            sv parsed = {0};
            if ((rc = reparse(p, v, &parsed)) != VP_OK)
                return rc;
            if (kc_value_get_type(parsed.value) == want) {
                *out = parsed.value;
                parsed.value = NULL;
                kc__vp_sv_clear(&parsed);
                break;
            }
            rc = unable_schema(p, parsed.value, to);
            kc__vp_sv_clear(&parsed);
            return rc;
        }
        if (t != want)
            return unable_schema(p, v, to);
        *out = kc_value_copy(v);
        break;
    }
    case KC_SCHEMA_STRUCT:
        if (t != KC_VALUE_STRUCT)
            return unable_schema(p, v, to);
        *out = kc_value_copy(v);
        break;
    }
    return *out ? VP_OK : kc__vp_fatal(p);
}
