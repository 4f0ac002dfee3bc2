/* The Java behaviour that Connect's bytes depend on: Double/Float.toString, Object.hashCode and
 * java.util.HashMap iteration order, Object.toString, date formatting; plus the small string
 * buffer the data model uses for text. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data_internal.h"

/* ---- String buffer -------------------------------------------------------------------------- */

int kc__sbuf_put(kc_sbuf *b, const void *data, size_t len)
{
    if (b->failed)
        return -1;
    if (len > KC_SBUF_MAX - b->len - 1) {
        b->failed = true;
        return -1;
    }
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        if (cap > KC_SBUF_MAX)
            cap = KC_SBUF_MAX;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = true;
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int kc__sbuf_puts(kc_sbuf *b, const char *s) { return kc__sbuf_put(b, s, strlen(s)); }
int kc__sbuf_putc(kc_sbuf *b, char c) { return kc__sbuf_put(b, &c, 1); }

int kc__sbuf_printf(kc_sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->failed = true;
        return -1;
    }
    return kc__sbuf_put(b, tmp, (size_t)n);
}

char *kc__sbuf_take(kc_sbuf *b, size_t *len)
{
    if (b->failed || (!b->data && kc__sbuf_put(b, "", 0) != 0)) {
        kc__sbuf_free(b);
        return NULL;
    }
    char *d = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void kc__sbuf_free(kc_sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- Double.toString / Float.toString ------------------------------------------------------- */

/* Reads "d.ddde[+-]xx" (from %.*e) into a digit string and a decimal exponent. */
static void split_e(const char *s, char *digits, int *ndigits, int *exp10)
{
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[n++] = *s;
    *ndigits = n;
    *exp10 = *s == 'e' ? atoi(s + 1) : 0;
}

static bool round_trips(const char *text, double d, bool is_float)
{
    if (is_float)
        return strtof(text, NULL) == (float)d;
    return strtod(text, NULL) == d;
}

/* Adds delta (+1 or -1) to the last digit of a p-digit decimal and rewrites it as text. */
static bool neighbour(const char *digits, int n, int exp10, int delta, char *out, size_t size)
{
    char d[32];
    memcpy(d, digits, (size_t)n);
    int i = n - 1;
    while (i >= 0) {
        int x = d[i] - '0' + delta;
        if (x >= 0 && x <= 9) {
            d[i] = (char)('0' + x);
            break;
        }
        d[i] = delta > 0 ? '0' : '9';
        i--;
    }
    if (i < 0 || d[0] == '0')
        return false; /* the neighbour has another length; the caller moves on */
    snprintf(out, size, "%c.%.*se%d", d[0], n - 1, d + 1, exp10);
    return true;
}

/* Shortest digits that round-trip (JDK 19+ Double/Float.toString), closest to the value among
 * those; when one digit would do, the closest of one or two digits (Java prints 4.9E-324). */
static void shortest(double d, bool is_float, char *digits, int *ndigits, int *exp10)
{
    int max = is_float ? 9 : 17;
    char text[64], alt[64];
    for (int p = 1; p <= max; p++) {
        snprintf(text, sizeof text, "%.*e", p - 1, d);
        bool ok = round_trips(text, d, is_float);
        if (!ok) {
            char dg[32];
            int n, e;
            split_e(text, dg, &n, &e);
            if ((neighbour(dg, n, e, +1, alt, sizeof alt) && round_trips(alt, d, is_float)) ||
                (neighbour(dg, n, e, -1, alt, sizeof alt) && round_trips(alt, d, is_float))) {
                memcpy(text, alt, sizeof text);
                ok = true;
            }
        }
        if (ok) {
            if (p == 1) {
                snprintf(alt, sizeof alt, "%.1e", d);
                if (round_trips(alt, d, is_float))
                    memcpy(text, alt, sizeof text);
            }
            split_e(text, digits, ndigits, exp10);
            while (*ndigits > 1 && digits[*ndigits - 1] == '0')
                (*ndigits)--;
            return;
        }
    }
    snprintf(text, sizeof text, "%.*e", max - 1, d);
    split_e(text, digits, ndigits, exp10);
    while (*ndigits > 1 && digits[*ndigits - 1] == '0')
        (*ndigits)--;
}

static size_t java_fp_to_string(double d, bool is_float, char *buf)
{
    if (isnan(d))
        return (size_t)sprintf(buf, "NaN");
    if (isinf(d))
        return (size_t)sprintf(buf, d > 0 ? "Infinity" : "-Infinity");
    if (d == 0)
        return (size_t)sprintf(buf, signbit(d) ? "-0.0" : "0.0");
    char digits[32] = {0};
    int n, e;
    size_t len = 0;
    if (d < 0) {
        buf[len++] = '-';
        d = -d;
    }
    shortest(d, is_float, digits, &n, &e);
    if (e >= -3 && e < 7) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                buf[len++] = i < n ? digits[i] : '0';
            buf[len++] = '.';
            if (n > e + 1)
                for (int i = e + 1; i < n; i++)
                    buf[len++] = digits[i];
            else
                buf[len++] = '0';
        } else {
            buf[len++] = '0';
            buf[len++] = '.';
            for (int i = 0; i < -e - 1; i++)
                buf[len++] = '0';
            for (int i = 0; i < n; i++)
                buf[len++] = digits[i];
        }
        buf[len] = '\0';
        return len;
    }
    buf[len++] = digits[0];
    buf[len++] = '.';
    if (n > 1)
        for (int i = 1; i < n; i++)
            buf[len++] = digits[i];
    else
        buf[len++] = '0';
    len += (size_t)sprintf(buf + len, "E%d", e);
    return len;
}

size_t kc_java_double_to_string(double d, char *buf) { return java_fp_to_string(d, false, buf); }
size_t kc_java_float_to_string(float f, char *buf) { return java_fp_to_string(f, true, buf); }

/* ---- Object.hashCode ------------------------------------------------------------------------ */

/* String.hashCode over the UTF-16 units of UTF-8 text (3-byte surrogate encodings count as one
 * unit, as the JSON reader stores lone escaped surrogates that way). */
static int32_t string_hash(const char *s, size_t len)
{
    uint32_t h = 0;
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        uint8_t c = p[i];
        if (c < 0x80) {
            cp = c;
            i += 1;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < len) {
            cp = ((uint32_t)(c & 0x1F) << 6) | (p[i + 1] & 0x3F);
            i += 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < len) {
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            i += 3;
        } else if ((c & 0xF8) == 0xF0 && i + 3 < len) {
            cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[i + 1] & 0x3F) << 12) |
                 ((uint32_t)(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
            i += 4;
        } else {
            cp = 0xFFFD;
            i += 1;
        }
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

static int32_t long_hash(int64_t v)
{
    uint64_t u = (uint64_t)v;
    return (int32_t)(uint32_t)(u ^ (u >> 32));
}

int kc_value_java_hash(const kc_value *v, int32_t *hash)
{
    uint32_t h;
    switch (kc_value_get_type(v)) {
    case KC_VALUE_NULL: *hash = 0; return 0;
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32: *hash = (int32_t)v->u.i; return 0;
    case KC_VALUE_INT64:
    case KC_VALUE_TIMESTAMP: *hash = long_hash(v->u.i); return 0;
    case KC_VALUE_BOOLEAN: *hash = v->u.b ? 1231 : 1237; return 0;
    case KC_VALUE_FLOAT32: {
        float f = v->u.f;
        uint32_t bits = 0x7fc00000U;
        if (!isnan(f))
            memcpy(&bits, &f, sizeof bits);
        *hash = (int32_t)bits;
        return 0;
    }
    case KC_VALUE_FLOAT64: {
        double d = v->u.d;
        uint64_t bits = 0x7ff8000000000000ULL;
        if (!isnan(d))
            memcpy(&bits, &d, sizeof bits);
        *hash = (int32_t)(uint32_t)(bits ^ (bits >> 32));
        return 0;
    }
    case KC_VALUE_STRING: *hash = string_hash(v->u.s.data, v->u.s.len); return 0;
    case KC_VALUE_ARRAY:
        h = 1;
        for (size_t i = 0; i < v->u.arr.len; i++) {
            int32_t e;
            if (kc_value_java_hash(v->u.arr.items[i], &e) != 0)
                return -1;
            h = 31 * h + (uint32_t)e;
        }
        *hash = (int32_t)h;
        return 0;
    case KC_VALUE_MAP:
        h = 0;
        for (size_t i = 0; i < v->u.map.len; i++) {
            int32_t k, x;
            if (kc_value_java_hash(v->u.map.keys[i], &k) != 0 ||
                kc_value_java_hash(v->u.map.vals[i], &x) != 0)
                return -1;
            h += (uint32_t)(k ^ x);
        }
        *hash = (int32_t)h;
        return 0;
    case KC_VALUE_DECIMAL: {
        /* BigDecimal: 31 * BigInteger.hashCode() + scale; BigInteger hashes its magnitude's
         * big-endian 32-bit words and multiplies by the signum. */
        const uint8_t *p = v->u.dec.unscaled;
        size_t len = v->u.dec.len;
        bool neg = p[0] & 0x80;
        uint8_t *mag = malloc(len);
        if (!mag)
            return -1;
        memcpy(mag, p, len);
        if (neg) {
            unsigned carry = 1;
            for (size_t i = len; i-- > 0;) {
                unsigned x = (unsigned)(uint8_t)~mag[i] + carry;
                mag[i] = (uint8_t)x;
                carry = x >> 8;
            }
        }
        size_t start = 0;
        while (start < len && mag[start] == 0)
            start++;
        h = 0;
        size_t n = len - start;
        size_t first = n % 4 ? n % 4 : 4;
        size_t i = start;
        bool zero = n == 0;
        while (i < len) {
            size_t take = i == start ? first : 4;
            uint32_t word = 0;
            for (size_t k = 0; k < take; k++)
                word = (word << 8) | mag[i + k];
            h = 31 * h + word;
            i += take;
        }
        free(mag);
        uint32_t signed_h = zero ? 0 : (neg ? 0u - h : h); /* hashCode * signum, wrapping */
        *hash = (int32_t)(31u * signed_h + (uint32_t)v->u.dec.scale);
        return 0;
    }
    case KC_VALUE_BYTES:
    case KC_VALUE_STRUCT:
        return -1;
    }
    return -1;
}


/* A simulated java.util.HashMap table: per bucket a singly linked list of entry positions. */
typedef struct jhm {
    size_t cap;
    size_t *head, *tail, *count;
    size_t *next;          /* per entry */
    const uint32_t *spread; /* per entry: h ^ (h >>> 16) */
} jhm;

#define JHM_NONE ((size_t)-1)

static void jhm_link(size_t *head, size_t *tail, size_t *count, size_t *next, size_t b, size_t e)
{
    next[e] = JHM_NONE;
    if (tail[b] == JHM_NONE)
        head[b] = e;
    else
        next[tail[b]] = e;
    tail[b] = e;
    count[b]++;
}

/* Allocates a table of newcap buckets and moves the entries over bucket by bucket, which keeps
 * each new bucket in the old relative order (as HashMap.resize's lo/hi split does). */
static int jhm_resize(jhm *t, size_t newcap)
{
    size_t *nh = malloc(newcap * sizeof *nh), *nt = malloc(newcap * sizeof *nt);
    size_t *nc = calloc(newcap, sizeof *nc);
    if (!nh || !nt || !nc) {
        free(nh);
        free(nt);
        free(nc);
        return -1;
    }
    for (size_t b = 0; b < newcap; b++)
        nh[b] = nt[b] = JHM_NONE;
    for (size_t b = 0; t->head && b < t->cap; b++) {
        for (size_t e = t->head[b]; e != JHM_NONE;) {
            size_t after = t->next[e];
            jhm_link(nh, nt, nc, t->next, t->spread[e] & (newcap - 1), e);
            e = after;
        }
    }
    free(t->head);
    free(t->tail);
    free(t->count);
    t->head = nh;
    t->tail = nt;
    t->count = nc;
    t->cap = newcap;
    return 0;
}


/* java.util.HashMap: 16 buckets on the first put; doubled when the size exceeds 3/4 of the table,
 * and when a bucket reaches 9 entries while the table has fewer than 64 buckets (treeifyBin
 * resizes instead). Iteration walks the buckets in order, each bucket in insertion order. */
int kc_value_map_to_java_hashmap_order(kc_value *map)
{
    size_t n = kc_value_map_size(map);
    if (n < 2)
        return 0;
    uint32_t *spread = malloc(n * sizeof *spread);
    size_t *order = malloc(n * sizeof *order);
    jhm t = {.next = malloc(n * sizeof(size_t)), .spread = spread};
    int rc = -1;
    if (!spread || !order || !t.next)
        goto out;
    for (size_t i = 0; i < n; i++) {
        int32_t h;
        if (kc_value_java_hash(map->u.map.keys[i], &h) != 0)
            goto out;
        spread[i] = (uint32_t)h ^ ((uint32_t)h >> 16);
    }
    if (jhm_resize(&t, 16) != 0)
        goto out;
    for (size_t i = 0, size = 0; i < n; i++) {
        size_t b = spread[i] & (t.cap - 1);
        jhm_link(t.head, t.tail, t.count, t.next, b, i);
        if (t.count[b] >= 9 && t.cap < 64 && jhm_resize(&t, t.cap * 2) != 0)
            goto out;
        if (++size > t.cap / 4 * 3 && jhm_resize(&t, t.cap * 2) != 0)
            goto out;
    }
    size_t k = 0;
    for (size_t b = 0; b < t.cap; b++)
        for (size_t e = t.head[b]; e != JHM_NONE; e = t.next[e])
            order[k++] = e;
    rc = kc__map_permute(map, order);
out:
    free(spread);
    free(order);
    free(t.next);
    free(t.head);
    free(t.tail);
    free(t.count);
    return rc;
}

/* ---- Dates ---------------------------------------------------------------------------------- */

int64_t kc__days_from_civil(int64_t y, int64_t m, int64_t d)
{
    /* Normalise the month first (lenient calendars roll months into years). */
    int64_t m0 = m - 1;
    y += m0 >= 0 ? m0 / 12 : -((-m0 + 11) / 12);
    m0 = ((m0 % 12) + 12) % 12;
    m = m0 + 1;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + (d - 1);
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int kc__format_millis(kc_sbuf *b, int64_t millis, int kind)
{
    int64_t days = millis >= 0 ? millis / KC_MILLIS_PER_DAY
                               : -((-(millis + 1)) / KC_MILLIS_PER_DAY) - 1;
    int64_t ms = millis - days * KC_MILLIS_PER_DAY;
    int64_t y;
    int mo, d;
    civil_from_days(days, &y, &mo, &d);
    int hh = (int)(ms / 3600000), mi = (int)(ms / 60000 % 60), ss = (int)(ms / 1000 % 60);
    int sss = (int)(ms % 1000);
    switch (kind) {
    case 0: return kc__sbuf_printf(b, "%04lld-%02d-%02d", (long long)y, mo, d);
    case 1: return kc__sbuf_printf(b, "%02d:%02d:%02d.%03dZ", hh, mi, ss, sss);
    case 2:
        return kc__sbuf_printf(b, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, mo, d, hh,
                               mi, ss, sss);
    default: {
        static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
        static const char *const mn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        int w = (int)(((days % 7) + 7) % 7);
        return kc__sbuf_printf(b, "%s %s %02d %02d:%02d:%02d UTC %lld", wd[w], mn[mo - 1], d, hh,
                               mi, ss, (long long)y);
    }
    }
}

/* ---- Object.toString ------------------------------------------------------------------------ */

static int java_string(kc_sbuf *b, const kc_value *v, bool strict, kc_error *err)
{
    char num[40];
    switch (kc_value_get_type(v)) {
    case KC_VALUE_NULL: return kc__sbuf_puts(b, "null");
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64: return kc__sbuf_printf(b, "%lld", (long long)v->u.i);
    case KC_VALUE_FLOAT32: kc_java_float_to_string(v->u.f, num); return kc__sbuf_puts(b, num);
    case KC_VALUE_FLOAT64: kc_java_double_to_string(v->u.d, num); return kc__sbuf_puts(b, num);
    case KC_VALUE_BOOLEAN: return kc__sbuf_puts(b, v->u.b ? "true" : "false");
    case KC_VALUE_STRING: return kc__sbuf_put(b, v->u.s.data, v->u.s.len);
    case KC_VALUE_BYTES:
        if (strict)
            return kc_error_set(err, KC_ERR_INVALID,
                                "a bytes value has no text form (Java would write its identity "
                                "hash, e.g. [B@1b6d3586); use ByteArrayConverter for bytes");
        return kc__sbuf_printf(b, "[B@%zx", v->u.s.len);
    case KC_VALUE_DECIMAL: {
        char *s = kc_value_decimal_to_string(v);
        if (!s)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        int rc = kc__sbuf_puts(b, s);
        free(s);
        return rc;
    }
    case KC_VALUE_TIMESTAMP: return kc__format_millis(b, v->u.i, 3);
    case KC_VALUE_ARRAY:
        kc__sbuf_putc(b, '[');
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (i)
                kc__sbuf_puts(b, ", ");
            if (java_string(b, v->u.arr.items[i], strict, err) != 0 && !b->failed)
                return -1;
        }
        return kc__sbuf_putc(b, ']');
    case KC_VALUE_MAP:
        kc__sbuf_putc(b, '{');
        for (size_t i = 0; i < v->u.map.len; i++) {
            if (i)
                kc__sbuf_puts(b, ", ");
            if ((java_string(b, v->u.map.keys[i], strict, err) != 0 && !b->failed) ||
                kc__sbuf_putc(b, '=') != 0 ||
                (java_string(b, v->u.map.vals[i], strict, err) != 0 && !b->failed))
                return -1;
        }
        return kc__sbuf_putc(b, '}');
    case KC_VALUE_STRUCT: {
        kc__sbuf_puts(b, "Struct{");
        bool first = true;
        const kc_schema *s = v->u.st.schema;
        for (size_t i = 0; i < s->nfields; i++) {
            if (kc_value_is_null(v->u.st.vals[i]))
                continue;
            if (!first)
                kc__sbuf_putc(b, ',');
            first = false;
            kc__sbuf_puts(b, s->fields[i].name);
            kc__sbuf_putc(b, '=');
            if (java_string(b, v->u.st.vals[i], strict, err) != 0 && !b->failed)
                return -1;
        }
        return kc__sbuf_putc(b, '}');
    }
    }
    return -1;
}

char *kc_value_to_java_string(const kc_value *v, bool strict, size_t *len, kc_error *err)
{
    kc_sbuf b = {0};
    if (java_string(&b, v, strict, err) != 0 && !b.failed) {
        kc__sbuf_free(&b);
        return NULL;
    }
    char *s = kc__sbuf_take(&b, len);
    if (!s)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory (or text over %zu bytes) printing a value",
                     (size_t)KC_SBUF_MAX);
    return s;
}
