/* Helpers shared by the built-in transformations and predicates; see smt.h. */
#include "connect/worker/transforms/smt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- configuration ------------------------------------------------------------------------- */

int kc_smt_config_parse(kc_smt_config *c, const kc_config_key *keys, size_t count, const kc_props *props,
                        kc_error *err)
{
    c->def = NULL;
    c->parsed = NULL;
    kc_config_table t = {keys, count};
    if (!(c->def = kc_config_def_new(&t, 1, NULL, err)))
        return -1;
    if (!(c->parsed = kc_config_parse(c->def, props, err))) {
        kc_config_def_free(c->def);
        c->def = NULL;
        return -1;
    }
    return 0;
}

void kc_smt_config_clear(kc_smt_config *c)
{
    kc_config_parsed_free(c->parsed);
    kc_config_def_free(c->def);
    c->parsed = NULL;
    c->def = NULL;
}

int kc_smt_config_list(const kc_smt_config *c, const char *name, kc_config_strs *out)
{
    size_t n = 0;
    char *const *items = kc_config_get_list(c->parsed, name, &n);
    for (size_t i = 0; items && i < n; i++)
        if (kc_config_strs_add(out, items[i]) < 0)
            return -1;
    return 0;
}

int kc_smt_config_string(const kc_smt_config *c, const char *name, char **out)
{
    const char *s = kc_config_get_string(c->parsed, name);
    *out = NULL;
    return s && !(*out = strdup(s)) ? -1 : 0;
}

long kc_smt_split_colon(const char *s, char **copy, char ***parts)
{
    *parts = NULL;
    if (!(*copy = strdup(s)))
        return -1;
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ':';
    char **v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (char *p = *copy;;) {
        v[k++] = p;
        char *c = strchr(p, ':');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    if (k > 1) /* without any ':' Java returns the input itself, even "" */
        while (k > 0 && v[k - 1][0] == '\0')
            k--;
    *parts = v;
    return (long)k;
}

/* ---- sides ---------------------------------------------------------------------------------- */

const kc_schema *kc_smt_schema(const kc_record *r, kc_smt_side side)
{
    return side == KC_SMT_KEY ? r->key_schema : r->value_schema;
}

kc_value *kc_smt_value(const kc_record *r, kc_smt_side side)
{
    kc_value *v = side == KC_SMT_KEY ? r->key : r->value;
    return kc_value_is_null(v) ? NULL : v;
}

void kc_smt_set(kc_record *r, kc_smt_side side, const kc_schema *schema, kc_value *value)
{
    if (side == KC_SMT_KEY)
        kc_record_set_key_new(r, schema, value);
    else
        kc_record_set_value_new(r, schema, value);
}

kc_value *kc_smt_take(kc_record *r, kc_smt_side side)
{
    kc_value **slot = side == KC_SMT_KEY ? &r->key : &r->value;
    kc_value *v = *slot;
    *slot = NULL;
    return v;
}

/* ---- requirements --------------------------------------------------------------------------- */

const char *kc_smt_class_name(const kc_value *v)
{
    if (kc_value_is_null(v))
        return "null";
    const char *c = kc_value_type_java_class(kc_value_get_type(v));
    return strncmp(c, "class ", 6) == 0 ? c + 6 : c;
}

int kc_smt_require_struct(const kc_value *v, const char *purpose, kc_error *err)
{
    if (kc_value_get_type(v) == KC_VALUE_STRUCT)
        return 0;
    return kc_error_set(err, KC_ERR_INVALID, "Only Struct objects supported for [%s], found: %s", purpose,
                        kc_smt_class_name(v));
}

int kc_smt_require_map(const kc_value *v, const char *purpose, kc_error *err)
{
    if (kc_value_get_type(v) == KC_VALUE_MAP)
        return 0;
    return kc_error_set(err, KC_ERR_INVALID,
                        "Only Map objects supported in absence of schema for [%s], found: %s", purpose,
                        kc_smt_class_name(v));
}

int kc_smt_require_sink_record(const kc_record *r, const char *purpose, kc_error *err)
{
    if (r->kafka_offset >= 0)
        return 0;
    return kc_error_set(err, KC_ERR_INVALID, "Only SinkRecord supported for [%s], found: %s", purpose,
                        "org.apache.kafka.connect.source.SourceRecord");
}

/* ---- schemas -------------------------------------------------------------------------------- */

kc_schema_builder *kc_smt_copy_basics(const kc_schema *source, kc_schema_builder *b)
{
    const char *name = kc_schema_get_name(source);
    const char *doc = kc_schema_get_doc(source);
    int32_t version;
    if (name)
        kc_schema_builder_name(b, name);
    if (kc_schema_get_version(source, &version))
        kc_schema_builder_version(b, version);
    if (doc)
        kc_schema_builder_doc(b, doc);
    for (size_t i = 0; i < kc_schema_parameter_count(source); i++)
        kc_schema_builder_parameter(b, kc_schema_parameter_key_at(source, i),
                                    kc_schema_parameter_value_at(source, i));
    return b;
}

const kc_schema *kc_smt_cache_get(kc_smt_schema_cache *c, const kc_schema *in)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->in[i] == in) {
            c->used[i] = ++c->tick;
            return c->out[i];
        }
    for (size_t i = 0; i < c->count; i++)
        if (kc_schema_equals(c->in[i], in)) {
            c->used[i] = ++c->tick;
            return c->out[i];
        }
    return NULL;
}

const kc_schema *kc_smt_cache_put(kc_smt_schema_cache *c, const kc_schema *in, const kc_schema *out)
{
    size_t slot = c->count;
    if (c->count == KC_SMT_CACHE_SIZE) {
        slot = 0;
        for (size_t i = 1; i < c->count; i++)
            if (c->used[i] < c->used[slot])
                slot = i;
        kc_schema_unref(c->in[slot]);
        kc_schema_unref(c->out[slot]);
    } else {
        c->count++;
    }
    c->in[slot] = kc_schema_ref(in);
    c->out[slot] = out;
    c->used[slot] = ++c->tick;
    return out;
}

void kc_smt_cache_clear(kc_smt_schema_cache *c)
{
    for (size_t i = 0; i < c->count; i++) {
        kc_schema_unref(c->in[i]);
        kc_schema_unref(c->out[i]);
    }
    memset(c, 0, sizeof *c);
}

/* ---- values --------------------------------------------------------------------------------- */

const kc_value *kc_smt_struct_get(const kc_value *st, const char *field, bool with_default)
{
    kc_error ignored;
    const kc_value *v = with_default ? kc_value_struct_get(st, field, &ignored)
                                     : kc_value_struct_get_without_default(st, field, &ignored);
    return v ? v : kc_value_null();
}

int kc_smt_copy(const kc_value *v, kc_value **out, kc_error *err)
{
    *out = NULL;
    if (kc_value_is_null(v))
        return 0;
    if (!(*out = kc_value_copy(v)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

/* java.util.HashMap: table size from how the map was made, then growth while filling it; the
 * iteration order is bucket by bucket, each bucket in insertion order (splits keep the order). */
static size_t table_size_for(size_t c)
{
    size_t n = 1;
    while (n < c)
        n <<= 1;
    return n;
}

static size_t initial_capacity(kc_smt_hashmap_kind kind, size_t n)
{
    switch (kind) {
    case KC_SMT_HASHMAP_CAPACITY: return table_size_for(n);
    case KC_SMT_HASHMAP_COPY: {
        if (n == 0)
            return 16;
        float ft = (float)n / 0.75f + 1.0f; /* JDK 17's putMapEntries pre-sizing */
        return table_size_for((size_t)ft);
    }
    default: return 16;
    }
}

static void recount(const uint32_t *spread, size_t upto, size_t cap, size_t *counts)
{
    memset(counts, 0, cap * sizeof *counts);
    for (size_t i = 0; i < upto; i++)
        counts[spread[i] & (cap - 1)]++;
}

/* Fills order with the Java iteration order of n keys with the given spread hashes. */
static int java_order(const uint32_t *spread, size_t n, kc_smt_hashmap_kind kind, size_t hint, size_t *order)
{
    size_t cap = initial_capacity(kind, hint);
    size_t *counts = calloc(cap, sizeof *counts);
    if (!counts)
        return -1;
    size_t size = 0;
    for (size_t i = 0; i < n; i++) {
        size_t b = spread[i] & (cap - 1);
        counts[b]++;
        bool grow = counts[b] >= 9 && cap < 64; /* treeifyBin on a small table resizes instead */
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1)
                grow = ++size > (size_t)((double)cap * 0.75);
            if (!grow)
                continue;
            size_t *g = realloc(counts, 2 * cap * sizeof *g);
            if (!g) {
                free(counts);
                return -1;
            }
            counts = g;
            cap <<= 1;
            recount(spread, i + 1, cap, counts);
        }
    }
    /* bucket by bucket, each bucket in insertion order: a stable counting sort */
    memset(counts, 0, cap * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[spread[i] & (cap - 1)]++;
    size_t pos = 0;
    for (size_t b = 0; b < cap; b++) {
        size_t c = counts[b];
        counts[b] = pos;
        pos += c;
    }
    for (size_t i = 0; i < n; i++)
        order[counts[spread[i] & (cap - 1)]++] = i;
    free(counts);
    return 0;
}

static int key_spread(const kc_value *key, uint32_t *out)
{
    int32_t h;
    if (kc_value_is_null(key)) {
        *out = 0;
        return 0;
    }
    if (kc_value_java_hash(key, &h) != 0)
        return -1;
    *out = (uint32_t)h ^ ((uint32_t)h >> 16);
    return 0;
}

int kc_smt_hashmap_order(kc_value **map, kc_smt_hashmap_kind kind, size_t n, kc_error *err)
{
    size_t len = kc_value_map_size(*map);
    if (len < 2)
        return 0;
    uint32_t *spread = malloc(len * sizeof *spread);
    size_t *order = malloc(len * sizeof *order);
    kc_value *out = NULL;
    int rc = -1;
    if (!spread || !order)
        goto oom;
    for (size_t i = 0; i < len; i++)
        if (key_spread(kc_value_map_key_at(*map, i), &spread[i]) != 0) {
            rc = 0; /* no reproducible order: keep ours */
            goto done;
        }
    if (java_order(spread, len, kind, n, order) != 0 || !(out = kc_value_map_new()))
        goto oom;
    for (size_t i = 0; i < len; i++)
        if (kc_value_map_put(out, kc_value_map_key_at(*map, order[i]), kc_value_map_value_at(*map, order[i])) != 0)
            goto oom;
    kc_value_free(*map);
    *map = out;
    out = NULL;
    rc = 0;
    goto done;
oom:
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
done:
    kc_value_free(out);
    free(spread);
    free(order);
    return rc;
}

int kc_smt_hashset_order(kc_config_strs *items, kc_error *err)
{
    size_t n = items->count;
    if (n < 2)
        return 0;
    uint32_t *spread = malloc(n * sizeof *spread);
    size_t *order = malloc(n * sizeof *order);
    char **sorted = malloc(n * sizeof *sorted);
    int rc = -1;
    if (!spread || !order || !sorted)
        goto out;
    for (size_t i = 0; i < n; i++) {
        kc_value *s = kc_value_string(items->items[i]);
        int bad = !s || key_spread(s, &spread[i]) != 0;
        kc_value_free(s);
        if (bad)
            goto out;
    }
    /* new HashSet<>(c): new HashMap<>(max((int)(c.size() / .75f) + 1, 16)) */
    size_t cap = (size_t)((float)n / .75f) + 1;
    if (java_order(spread, n, KC_SMT_HASHMAP_CAPACITY, cap < 16 ? 16 : cap, order) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        sorted[i] = items->items[order[i]];
    memcpy(items->items, sorted, n * sizeof *sorted);
    rc = 0;
out:
    if (rc)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    free(spread);
    free(order);
    free(sorted);
    return rc;
}

/* ---- numbers -------------------------------------------------------------------------------- */

int64_t kc_smt_d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

int32_t kc_smt_d2i(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 2147483647.0)
        return INT32_MAX;
    if (d <= -2147483648.0)
        return INT32_MIN;
    return (int32_t)d;
}

/* BigDecimal.longValue(): the low 64 bits of the integer part (truncated toward zero). */
static int64_t decimal_long(const kc_value *v)
{
    size_t len;
    const uint8_t *bytes = kc_value_decimal_unscaled(v, &len);
    int32_t scale = kc_value_decimal_scale(v);
    if (!bytes || len == 0)
        return 0;
    bool neg = bytes[0] & 0x80;
    uint8_t *mag = malloc(len);
    if (!mag)
        return 0;
    /* magnitude of the two's complement value */
    int carry = 1;
    for (size_t i = len; i-- > 0;) {
        unsigned b = neg ? (uint8_t)~bytes[i] : bytes[i];
        if (neg) {
            b += (unsigned)carry;
            carry = b > 0xff;
        }
        mag[i] = (uint8_t)b;
    }
    uint64_t low;
    if (scale > 0) {
        for (int32_t s = 0; s < scale; s++) { /* divide by ten, stop once zero */
            unsigned rem = 0;
            bool zero = true;
            for (size_t i = 0; i < len; i++) {
                unsigned cur = rem * 256 + mag[i];
                mag[i] = (uint8_t)(cur / 10);
                rem = cur % 10;
                if (mag[i])
                    zero = false;
            }
            if (zero)
                break;
        }
    }
    low = 0;
    for (size_t i = 0; i < len; i++)
        low = (low << 8) | mag[i];
    free(mag);
    if (scale < 0) {
        if (scale <= -64)
            low = 0; /* 10^64 is a multiple of 2^64 */
        else
            for (int32_t s = 0; s < -scale; s++)
                low *= 10;
    }
    if (neg)
        low = (uint64_t)0 - low;
    return (int64_t)low;
}

bool kc_smt_number_long(const kc_value *v, int64_t *out)
{
    switch (kc_value_get_type(v)) {
    case KC_VALUE_INT8: *out = kc_value_get_int8(v); return true;
    case KC_VALUE_INT16: *out = kc_value_get_int16(v); return true;
    case KC_VALUE_INT32: *out = kc_value_get_int32(v); return true;
    case KC_VALUE_INT64: *out = kc_value_get_int64(v); return true;
    case KC_VALUE_FLOAT32: *out = kc_smt_d2l(kc_value_get_float32(v)); return true;
    case KC_VALUE_FLOAT64: *out = kc_smt_d2l(kc_value_get_float64(v)); return true;
    case KC_VALUE_DECIMAL: *out = decimal_long(v); return true;
    default: return false;
    }
}

bool kc_smt_number_double(const kc_value *v, double *out)
{
    switch (kc_value_get_type(v)) {
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64: {
        int64_t l = 0;
        kc_smt_number_long(v, &l);
        *out = (double)l;
        return true;
    }
    case KC_VALUE_FLOAT32: *out = kc_value_get_float32(v); return true;
    case KC_VALUE_FLOAT64: *out = kc_value_get_float64(v); return true;
    case KC_VALUE_DECIMAL: {
        char *s = kc_value_decimal_to_string(v);
        *out = s ? strtod(s, NULL) : 0.0;
        free(s);
        return true;
    }
    default: return false;
    }
}

bool kc_smt_number_float(const kc_value *v, float *out)
{
    switch (kc_value_get_type(v)) {
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64: {
        int64_t l = 0;
        kc_smt_number_long(v, &l);
        *out = (float)l;
        return true;
    }
    case KC_VALUE_FLOAT32: *out = kc_value_get_float32(v); return true;
    case KC_VALUE_FLOAT64: *out = (float)kc_value_get_float64(v); return true;
    case KC_VALUE_DECIMAL: {
        char *s = kc_value_decimal_to_string(v);
        *out = s ? strtof(s, NULL) : 0.0f;
        free(s);
        return true;
    }
    default: return false;
    }
}

bool kc_smt_parse_integer(const char *s, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0, n = strlen(s);
    bool neg = false;
    if (n == 0)
        return false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        if (n == 1)
            return false;
        i = 1;
    }
    /* accumulate negatively, as Java does, so that MIN_VALUE fits */
    int64_t acc = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        int d = s[i] - '0';
        if (acc < (INT64_MIN + d) / 10)
            return false;
        acc = acc * 10 - d;
    }
    if (!neg && acc == INT64_MIN)
        return false;
    int64_t v = neg ? acc : -acc;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Java's FloatingDecimal grammar; on success buf holds a strtod-ready copy. */
static bool java_float_text(const char *s, char *buf, size_t size)
{
    size_t b = 0, e = strlen(s);
    while (b < e && (unsigned char)s[b] <= ' ')
        b++;
    while (e > b && (unsigned char)s[e - 1] <= ' ')
        e--;
    if (e == b || e - b >= size)
        return false;
    memcpy(buf, s + b, e - b);
    buf[e - b] = '\0';
    const char *p = buf;
    if (*p == '+' || *p == '-')
        p++;
    if (strcmp(p, "NaN") == 0 || strcmp(p, "Infinity") == 0)
        return true;
    size_t len = strlen(buf);
    char last = buf[len - 1];
    bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    if (last == 'f' || last == 'F' || last == 'd' || last == 'D')
        buf[--len] = '\0';
    if (hex) {
        const char *q = p + 2;
        size_t digits = 0;
        while (isxdigit((unsigned char)*q))
            q++, digits++;
        if (*q == '.')
            for (q++; isxdigit((unsigned char)*q); q++)
                digits++;
        if (!digits || (*q != 'p' && *q != 'P'))
            return false;
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!isdigit((unsigned char)*q))
            return false;
        while (isdigit((unsigned char)*q))
            q++;
        return *q == '\0';
    }
    const char *q = p;
    size_t digits = 0;
    while (isdigit((unsigned char)*q))
        q++, digits++;
    if (*q == '.')
        for (q++; isdigit((unsigned char)*q); q++)
            digits++;
    if (!digits)
        return false;
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!isdigit((unsigned char)*q))
            return false;
        while (isdigit((unsigned char)*q))
            q++;
    }
    return *q == '\0';
}

bool kc_smt_parse_double(const char *s, double *out)
{
    char buf[512];
    if (!java_float_text(s, buf, sizeof buf))
        return false;
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    double sign = buf[0] == '-' ? -1.0 : 1.0;
    if (strcmp(p, "NaN") == 0)
        *out = NAN;
    else if (strcmp(p, "Infinity") == 0)
        *out = sign * INFINITY;
    else
        *out = strtod(buf, NULL);
    return true;
}

bool kc_smt_parse_float(const char *s, float *out)
{
    char buf[512];
    if (!java_float_text(s, buf, sizeof buf))
        return false;
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    float sign = buf[0] == '-' ? -1.0f : 1.0f;
    if (strcmp(p, "NaN") == 0)
        *out = NAN;
    else if (strcmp(p, "Infinity") == 0)
        *out = sign * INFINITY;
    else
        *out = strtof(buf, NULL);
    return true;
}

bool kc_smt_bigdecimal_long(const char *s, int64_t *out)
{
    kc_error err;
    kc_value *d = kc_value_decimal_parse(s, strlen(s), &err);
    if (!d)
        return false;
    kc_smt_number_long(d, out);
    kc_value_free(d);
    return true;
}

bool kc_smt_bigdecimal_double(const char *s, double *out)
{
    kc_error err;
    kc_value *d = kc_value_decimal_parse(s, strlen(s), &err);
    if (!d)
        return false;
    kc_smt_number_double(d, out);
    kc_value_free(d);
    return true;
}

char *kc_smt_base64(const uint8_t *data, size_t len)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((len + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        out[o++] = tbl[v >> 18];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = tbl[(v >> 6) & 63];
        out[o++] = tbl[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0);
        out[o++] = tbl[v >> 18];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

/* ---- SimpleDateFormat ----------------------------------------------------------------------- */

typedef struct date_token {
    char letter;   /* 0: literal */
    int count;
    char *literal;
} date_token;

struct kc_smt_date_format {
    date_token *tokens;
    size_t count;
};

void kc_smt_date_format_free(kc_smt_date_format *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->count; i++)
        free(f->tokens[i].literal);
    free(f->tokens);
    free(f);
}

static int add_token(kc_smt_date_format *f, char letter, int count, const char *lit, size_t lit_len)
{
    if (!letter && f->count && !f->tokens[f->count - 1].letter) { /* extend the previous literal */
        date_token *t = &f->tokens[f->count - 1];
        size_t old = strlen(t->literal);
        char *grown = realloc(t->literal, old + lit_len + 1);
        if (!grown)
            return -1;
        memcpy(grown + old, lit, lit_len);
        grown[old + lit_len] = '\0';
        t->literal = grown;
        return 0;
    }
    date_token *grown = realloc(f->tokens, (f->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    f->tokens = grown;
    date_token *t = &f->tokens[f->count];
    *t = (date_token){letter, count, NULL};
    if (!letter) {
        if (!(t->literal = malloc(lit_len + 1)))
            return -1;
        memcpy(t->literal, lit, lit_len);
        t->literal[lit_len] = '\0';
    }
    f->count++;
    return 0;
}

kc_smt_date_format *kc_smt_date_format_new(const char *pattern, kc_error *err)
{
    static const char java_letters[] = "GyMdkHmsSEDFwWahKzZYuXL";
    static const char supported[] = "yMdkHmsSEDahKu";
    kc_smt_date_format *f = calloc(1, sizeof *f);
    if (!f) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    bool in_quote = false;
    size_t n = strlen(pattern);
    for (size_t i = 0; i < n;) {
        char c = pattern[i];
        int rc;
        if (c == '\'') {
            if (i + 1 < n && pattern[i + 1] == '\'') {
                rc = add_token(f, 0, 0, "'", 1);
                i += 2;
            } else {
                in_quote = !in_quote;
                i++;
                continue;
            }
        } else if (in_quote || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            rc = add_token(f, 0, 0, &pattern[i], 1);
            i++;
        } else {
            if (!strchr(java_letters, c)) {
                kc_error_set(err, KC_ERR_INVALID, "Illegal pattern character '%c'", c);
                goto fail;
            }
            if (!strchr(supported, c)) {
                kc_error_set(err, KC_ERR_INVALID,
                             "Pattern letter '%c' of java.text.SimpleDateFormat is not supported by kconnect "
                             "(supported: y M d H h k K m s S E a D u and quoted text)", c);
                goto fail;
            }
            size_t j = i;
            while (j < n && pattern[j] == c)
                j++;
            rc = add_token(f, c, (int)(j - i), NULL, 0);
            i = j;
        }
        if (rc < 0) {
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            goto fail;
        }
    }
    if (in_quote) {
        kc_error_set(err, KC_ERR_INVALID, "Unterminated quote");
        goto fail;
    }
    return f;
fail:
    kc_smt_date_format_free(f);
    return NULL;
}

static void civil(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *g = realloc(b->p, cap);
        if (!g) {
            b->oom = true;
            return;
        }
        b->p = g;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_num(sbuf *b, int64_t v, int width)
{
    char tmp[48];
    int n = v < 0 ? snprintf(tmp, sizeof tmp, "-%0*lld", width, (long long)-v)
                  : snprintf(tmp, sizeof tmp, "%0*lld", width, (long long)v);
    sb_put(b, tmp, (size_t)n);
}

static char *sb_take(sbuf *b)
{
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p ? b->p : strdup("");
}

char *kc_smt_date_format_apply(const kc_smt_date_format *f, int64_t ms)
{
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    static const char *const wdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                        "Saturday", "Sunday"};
    int64_t days = ms >= 0 ? ms / KC_MILLIS_PER_DAY : -((-ms + KC_MILLIS_PER_DAY - 1) / KC_MILLIS_PER_DAY);
    int64_t in_day = ms - days * KC_MILLIS_PER_DAY;
    int64_t year;
    int month, mday;
    civil(days, &year, &month, &mday);
    int hour = (int)(in_day / 3600000), minute = (int)(in_day / 60000 % 60), second = (int)(in_day / 1000 % 60);
    int milli = (int)(in_day % 1000);
    int wday = (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday; 0 = Monday */
    static const int cum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int yday = cum[month - 1] + mday + (month > 2 && leap(year));
    sbuf b = {0};
    for (size_t i = 0; i < f->count; i++) {
        const date_token *t = &f->tokens[i];
        int c = t->count;
        switch (t->letter) {
        case 0: sb_str(&b, t->literal); break;
        case 'y': {
            int64_t ye = year > 0 ? year : 1 - year;
            if (c == 2)
                sb_num(&b, ye % 100, 2);
            else
                sb_num(&b, ye, c);
            break;
        }
        case 'M':
            if (c >= 4)
                sb_str(&b, months[month - 1]);
            else if (c == 3)
                sb_put(&b, months[month - 1], 3);
            else
                sb_num(&b, month, c);
            break;
        case 'd': sb_num(&b, mday, c); break;
        case 'H': sb_num(&b, hour, c); break;
        case 'k': sb_num(&b, hour == 0 ? 24 : hour, c); break;
        case 'K': sb_num(&b, hour % 12, c); break;
        case 'h': sb_num(&b, hour % 12 == 0 ? 12 : hour % 12, c); break;
        case 'm': sb_num(&b, minute, c); break;
        case 's': sb_num(&b, second, c); break;
        case 'S': sb_num(&b, milli, c); break;
        case 'E':
            if (c >= 4)
                sb_str(&b, wdays[wday]);
            else
                sb_put(&b, wdays[wday], 3);
            break;
        case 'a': sb_str(&b, hour < 12 ? "AM" : "PM"); break;
        case 'D': sb_num(&b, yday, c); break;
        case 'u': sb_num(&b, wday + 1, c); break;
        default: break;
        }
    }
    return sb_take(&b);
}

char *kc_smt_iso_date_string(int64_t ms)
{
    const char *pattern = ms < KC_MILLIS_PER_DAY ? "HH:mm:ss.SSS'Z'"
                          : ms % KC_MILLIS_PER_DAY == 0 ? "yyyy-MM-dd"
                                                        : "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";
    kc_error err;
    kc_smt_date_format *f = kc_smt_date_format_new(pattern, &err);
    char *s = f ? kc_smt_date_format_apply(f, ms) : NULL;
    kc_smt_date_format_free(f);
    return s;
}

/* ---- record toString ------------------------------------------------------------------------ */

static void sb_value(sbuf *b, const kc_value *v)
{
    if (!v) {
        sb_str(b, "null");
        return;
    }
    kc_error err;
    size_t len;
    char *s = kc_value_to_java_string(v, false, &len, &err);
    if (!s) {
        b->oom = true;
        return;
    }
    sb_put(b, s, len);
    free(s);
}

static void sb_schema(sbuf *b, const kc_schema *s)
{
    char buf[1024];
    sb_str(b, kc_schema_to_string(s, buf, sizeof buf));
}

char *kc_smt_record_to_string(const kc_record *r)
{
    sbuf b = {0};
    char num[64];
    if (r->kafka_offset >= 0) {
        static const char *const types[] = {"NoTimestampType", "CreateTime", "LogAppendTime"};
        snprintf(num, sizeof num, "%lld", (long long)r->kafka_offset);
        sb_str(&b, "SinkRecord{kafkaOffset=");
        sb_str(&b, num);
        sb_str(&b, ", timestampType=");
        sb_str(&b, types[(unsigned)r->timestamp_type < 3 ? r->timestamp_type : 0]);
        sb_str(&b, ", originalTopic=");
        sb_str(&b, r->original_topic ? r->original_topic : r->topic);
        sb_str(&b, ", originalKafkaPartition=");
        if (r->original_partition == KC_NO_PARTITION)
            snprintf(num, sizeof num, "%s", "null");
        else
            snprintf(num, sizeof num, "%d", r->original_partition);
        sb_str(&b, num);
        snprintf(num, sizeof num, "%lld", (long long)r->original_offset);
        sb_str(&b, ", originalKafkaOffset=");
        sb_str(&b, num);
        sb_str(&b, "} ");
    } else {
        sb_str(&b, "SourceRecord{sourcePartition=");
        sb_value(&b, r->source_partition);
        sb_str(&b, ", sourceOffset=");
        sb_value(&b, r->source_offset);
        sb_str(&b, "} ");
    }
    sb_str(&b, "ConnectRecord{topic='");
    sb_str(&b, r->topic);
    sb_str(&b, "', kafkaPartition=");
    if (r->kafka_partition == KC_NO_PARTITION)
        sb_str(&b, "null");
    else {
        snprintf(num, sizeof num, "%d", r->kafka_partition);
        sb_str(&b, num);
    }
    sb_str(&b, ", key=");
    sb_value(&b, r->key);
    sb_str(&b, ", keySchema=");
    sb_schema(&b, r->key_schema);
    sb_str(&b, ", value=");
    sb_value(&b, r->value);
    sb_str(&b, ", valueSchema=");
    sb_schema(&b, r->value_schema);
    sb_str(&b, ", timestamp=");
    if (r->timestamp == KC_NO_TIMESTAMP)
        sb_str(&b, "null");
    else {
        snprintf(num, sizeof num, "%lld", (long long)r->timestamp);
        sb_str(&b, num);
    }
    sb_str(&b, ", headers=ConnectHeaders(headers=");
    if (r->headers.count) {
        sb_str(&b, "[");
        for (size_t i = 0; i < r->headers.count; i++) {
            const kc_header *h = &r->headers.items[i];
            sb_str(&b, i ? ", ConnectHeader(key=" : "ConnectHeader(key=");
            sb_str(&b, h->key);
            sb_str(&b, ", value=");
            sb_value(&b, h->value);
            sb_str(&b, ", schema=");
            sb_schema(&b, h->schema);
            sb_str(&b, ")");
        }
        sb_str(&b, "]");
    }
    sb_str(&b, ")}");
    return sb_take(&b);
}
