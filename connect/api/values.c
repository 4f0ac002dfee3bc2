/* Values.convertToString (see values.h); parsing is in values_parse.c and values_convert.c. */
#include "connect/api/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data_internal.h"

/* ---- convertToString ------------------------------------------------------------------------ */

static size_t base64_len(size_t n) { return 4 * ((n + 2) / 3); }

static int b64_append(kc_sbuf *b, const uint8_t *p, size_t n)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *tmp = malloc(base64_len(n) + 1);
    if (!tmp) {
        b->failed = true;
        return -1;
    }
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        tmp[o++] = A[v >> 18];
        tmp[o++] = A[(v >> 12) & 63];
        tmp[o++] = A[(v >> 6) & 63];
        tmp[o++] = A[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        tmp[o++] = A[v >> 18];
        tmp[o++] = A[(v >> 12) & 63];
        tmp[o++] = i + 1 < n ? A[(v >> 6) & 63] : '=';
        tmp[o++] = '=';
    }
    int rc = kc__sbuf_put(b, tmp, o);
    free(tmp);
    return rc;
}

static void append(kc_sbuf *b, const kc_value *v, bool embedded);

static void append_string(kc_sbuf *b, const char *s, size_t n, bool embedded)
{
    if (!embedded) {
        kc__sbuf_put(b, s, n);
        return;
    }
    kc__sbuf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' || s[i] == '"')
            kc__sbuf_putc(b, '\\');
        kc__sbuf_putc(b, s[i]);
    }
    kc__sbuf_putc(b, '"');
}

static void append(kc_sbuf *b, const kc_value *v, bool embedded)
{
    char num[40];
    switch (kc_value_get_type(v)) {
    case KC_VALUE_NULL: kc__sbuf_puts(b, "null"); return;
    case KC_VALUE_INT8:
    case KC_VALUE_INT16:
    case KC_VALUE_INT32:
    case KC_VALUE_INT64: kc__sbuf_printf(b, "%lld", (long long)v->u.i); return;
    case KC_VALUE_FLOAT32: kc_java_float_to_string(v->u.f, num); kc__sbuf_puts(b, num); return;
    case KC_VALUE_FLOAT64: kc_java_double_to_string(v->u.d, num); kc__sbuf_puts(b, num); return;
    case KC_VALUE_BOOLEAN: kc__sbuf_puts(b, v->u.b ? "true" : "false"); return;
    case KC_VALUE_DECIMAL: {
        char *s = kc_value_decimal_to_string(v);
        if (!s)
            b->failed = true;
        else
            kc__sbuf_puts(b, s);
        free(s);
        return;
    }
    case KC_VALUE_STRING: append_string(b, v->u.s.data, v->u.s.len, embedded); return;
    case KC_VALUE_BYTES:
        if (embedded)
            kc__sbuf_putc(b, '"');
        b64_append(b, (const uint8_t *)v->u.s.data, v->u.s.len);
        if (embedded)
            kc__sbuf_putc(b, '"');
        return;
    case KC_VALUE_ARRAY:
        kc__sbuf_putc(b, '[');
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (i)
                kc__sbuf_putc(b, ',');
            append(b, v->u.arr.items[i], true);
        }
        kc__sbuf_putc(b, ']');
        return;
    case KC_VALUE_MAP:
        kc__sbuf_putc(b, '{');
        for (size_t i = 0; i < v->u.map.len; i++) {
            if (i)
                kc__sbuf_putc(b, ',');
            append(b, v->u.map.keys[i], true);
            kc__sbuf_putc(b, ':');
            append(b, v->u.map.vals[i], true);
        }
        kc__sbuf_putc(b, '}');
        return;
    case KC_VALUE_STRUCT: {
        const kc_schema *s = v->u.st.schema;
        kc__sbuf_putc(b, '{');
        for (size_t i = 0; i < s->nfields; i++) {
            if (i)
                kc__sbuf_putc(b, ',');
            append_string(b, s->fields[i].name, strlen(s->fields[i].name), true);
            kc__sbuf_putc(b, ':');
            const kc_value *fv = v->u.st.vals[i];
            if (kc_value_is_null(fv) && s->fields[i].schema->default_value)
                fv = s->fields[i].schema->default_value; /* Struct.get applies defaults */
            append(b, fv, true);
        }
        kc__sbuf_putc(b, '}');
        return;
    }
    case KC_VALUE_TIMESTAMP: {
        /* Values.dateFormatFor: a time before one day, a date at midnight, else a timestamp. */
        int64_t ms = v->u.i;
        int kind = ms < KC_MILLIS_PER_DAY ? 1 : (ms % KC_MILLIS_PER_DAY == 0 ? 0 : 2);
        kc__format_millis(b, ms, kind);
        return;
    }
    }
}

int kc_values_convert_to_string(const kc_schema *schema, const kc_value *value, char **out,
                                size_t *len, kc_error *err)
{
    (void)schema;
    *out = NULL;
    if (len)
        *len = 0;
    if (kc_value_is_null(value))
        return 0;
    kc_sbuf b = {0};
    append(&b, value, false);
    *out = kc__sbuf_take(&b, len);
    if (!*out)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory (or text over %zu bytes) "
                                                  "converting a value to a string",
                            (size_t)KC_SBUF_MAX);
    return 0;
}
