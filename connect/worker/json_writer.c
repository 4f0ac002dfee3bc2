/* JSON writer with Jackson's exact output rules (see json_writer.h). */
#include "connect/worker/json_writer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data.h"

void kc_json_writer_init(kc_json_writer *w, size_t max_bytes)
{
    memset(w, 0, sizeof *w);
    w->max = max_bytes ? max_bytes : KC_JSON_DEFAULT_MAX_BYTES;
}

void kc_json_writer_free(kc_json_writer *w)
{
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

int kc_json_writer_fail(kc_json_writer *w, kc_error_code code, const char *fmt, ...)
{
    if (w->failed)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err.msg, sizeof w->err.msg, fmt, ap);
    va_end(ap);
    w->err.code = code;
    w->failed = true;
    return -1;
}

char *kc_json_writer_take(kc_json_writer *w, size_t *len, kc_error *err)
{
    if (!w->failed && (w->depth != 0 || w->after_key))
        kc_json_writer_fail(w, KC_ERR_INTERNAL, "incomplete JSON document (an object or array "
                                                "was not closed)");
    if (!w->failed && !w->buf) {
        w->buf = malloc(1);
        if (!w->buf)
            kc_json_writer_fail(w, KC_ERR_INTERNAL, "out of memory writing JSON");
        else
            w->buf[0] = '\0';
    }
    if (w->failed) {
        if (err)
            *err = w->err;
        kc_json_writer_free(w);
        return NULL;
    }
    char *out = w->buf;
    if (len)
        *len = w->len;
    w->buf = NULL;
    w->len = w->cap = 0;
    return out;
}

static int reserve(kc_json_writer *w, size_t extra)
{
    if (w->failed)
        return -1;
    if (extra > w->max || w->len > w->max - extra)
        return kc_json_writer_fail(w, KC_ERR_INVALID,
                                   "JSON document exceeds the maximum size of %zu bytes", w->max);
    if (w->len + extra + 1 <= w->cap)
        return 0;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + extra + 1)
        cap *= 2;
    if (cap > w->max + 1)
        cap = w->max + 1;
    char *b = realloc(w->buf, cap);
    if (!b)
        return kc_json_writer_fail(w, KC_ERR_INTERNAL, "out of memory writing JSON");
    w->buf = b;
    w->cap = cap;
    return 0;
}

static int put(kc_json_writer *w, const char *s, size_t n)
{
    if (reserve(w, n) != 0)
        return -1;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
    return 0;
}

static int putc_(kc_json_writer *w, char c) { return put(w, &c, 1); }

/* Called before every value: a comma between siblings (not after a key). */
static int before_value(kc_json_writer *w)
{
    if (w->failed)
        return -1;
    if (w->after_key) {
        w->after_key = false;
        return 0;
    }
    if (w->need_comma[w->depth] && putc_(w, ',') != 0)
        return -1;
    w->need_comma[w->depth] = true;
    return 0;
}

int kc_json_write_null(kc_json_writer *w)
{
    return before_value(w) == 0 ? put(w, "null", 4) : -1;
}

int kc_json_write_bool(kc_json_writer *w, bool v)
{
    if (before_value(w) != 0)
        return -1;
    return v ? put(w, "true", 4) : put(w, "false", 5);
}

int kc_json_write_int64(kc_json_writer *w, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    return before_value(w) == 0 ? put(w, num, (size_t)n) : -1;
}

static int write_fp_text(kc_json_writer *w, const char *num, size_t n, bool finite)
{
    if (before_value(w) != 0)
        return -1;
    if (finite)
        return put(w, num, n);
    /* QUOTE_NON_NUMERIC_NUMBERS: NaN and infinities become strings. */
    if (putc_(w, '"') != 0 || put(w, num, n) != 0)
        return -1;
    return putc_(w, '"');
}

int kc_json_write_double(kc_json_writer *w, double v)
{
    char num[40];
    size_t n = kc_java_double_to_string(v, num);
    return write_fp_text(w, num, n, isfinite(v));
}

int kc_json_write_float(kc_json_writer *w, float v)
{
    char num[40];
    size_t n = kc_java_float_to_string(v, num);
    return write_fp_text(w, num, n, isfinite(v));
}

int kc_json_write_raw(kc_json_writer *w, const char *json, size_t len)
{
    return before_value(w) == 0 ? put(w, json, len) : -1;
}

static const char HEX[] = "0123456789ABCDEF";

static int put_u_escape(kc_json_writer *w, unsigned unit)
{
    char e[6] = {'\\', 'u', HEX[(unit >> 12) & 0xF], HEX[(unit >> 8) & 0xF], HEX[(unit >> 4) & 0xF],
                 HEX[unit & 0xF]};
    return put(w, e, sizeof e);
}

int kc_json_write_escaped(kc_json_writer *w, const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        /* Copy the longest run that needs no escaping in one go. */
        size_t start = i;
        while (i < len && p[i] >= 0x20 && p[i] != '"' && p[i] != '\\' && p[i] < 0x80)
            i++;
        if (i > start && put(w, s + start, i - start) != 0)
            return -1;
        if (i >= len)
            break;
        uint8_t c = p[i];
        if (c < 0x80) {
            const char *esc = NULL;
            switch (c) {
            case '"': esc = "\\\""; break;
            case '\\': esc = "\\\\"; break;
            case '\b': esc = "\\b"; break;
            case '\t': esc = "\\t"; break;
            case '\n': esc = "\\n"; break;
            case '\f': esc = "\\f"; break;
            case '\r': esc = "\\r"; break;
            default: break;
            }
            if ((esc ? put(w, esc, 2) : put_u_escape(w, c)) != 0)
                return -1;
            i++;
            continue;
        }
        /* Multi-byte UTF-8: validate, then raw for the BMP, escaped surrogates beyond it. */
        size_t n;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            n = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            goto bad;
        }
        if (i + n > len)
            goto bad;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF)
            goto bad;
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            /* A lone surrogate (the reader stores an escaped unpaired surrogate this way):
             * Jackson writes it escaped. */
            if (put_u_escape(w, cp) != 0)
                return -1;
        } else if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000;
            if (put_u_escape(w, 0xD800 + (v >> 10)) != 0 || put_u_escape(w, 0xDC00 + (v & 0x3FF)) != 0)
                return -1;
        } else if (put(w, s + i, n) != 0) {
            return -1;
        }
        i += n;
    }
    return 0;
bad:
    return kc_json_writer_fail(w, KC_ERR_INVALID, "string is not valid UTF-8 (byte 0x%02X at offset %zu)",
                               p[i], i);
}

int kc_json_write_string(kc_json_writer *w, const char *s, size_t len)
{
    if (before_value(w) != 0 || putc_(w, '"') != 0 || kc_json_write_escaped(w, s, len) != 0)
        return -1;
    return putc_(w, '"');
}

size_t kc_base64_encode(const void *data, size_t len, char *out)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *p = data;
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        out[o++] = A[v >> 18];
        out[o++] = A[(v >> 12) & 63];
        out[o++] = A[(v >> 6) & 63];
        out[o++] = A[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        out[o++] = A[v >> 18];
        out[o++] = A[(v >> 12) & 63];
        out[o++] = i + 1 < len ? A[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

int kc_json_write_base64(kc_json_writer *w, const void *data, size_t len)
{
    if (before_value(w) != 0)
        return -1;
    if (len > (w->max / 4) * 3)
        return kc_json_writer_fail(w, KC_ERR_INVALID,
                                   "JSON document exceeds the maximum size of %zu bytes", w->max);
    size_t n = 4 * ((len + 2) / 3);
    if (reserve(w, n + 2) != 0)
        return -1;
    w->buf[w->len++] = '"';
    w->len += kc_base64_encode(data, len, w->buf + w->len);
    w->buf[w->len++] = '"';
    w->buf[w->len] = '\0';
    return 0;
}

static int begin(kc_json_writer *w, char c)
{
    if (before_value(w) != 0)
        return -1;
    if (w->depth >= KC_JSON_MAX_DEPTH)
        return kc_json_writer_fail(w, KC_ERR_INVALID,
                                   "Document nesting depth (%d) exceeds the maximum allowed (%d)",
                                   w->depth + 1, KC_JSON_MAX_DEPTH);
    if (putc_(w, c) != 0)
        return -1;
    w->depth++;
    w->need_comma[w->depth] = false;
    return 0;
}

static int end(kc_json_writer *w, char c)
{
    if (w->failed)
        return -1;
    if (w->depth == 0 || w->after_key)
        return kc_json_writer_fail(w, KC_ERR_INTERNAL, "unbalanced JSON writer calls");
    w->depth--;
    return putc_(w, c);
}

int kc_json_begin_object(kc_json_writer *w) { return begin(w, '{'); }
int kc_json_end_object(kc_json_writer *w) { return end(w, '}'); }
int kc_json_begin_array(kc_json_writer *w) { return begin(w, '['); }
int kc_json_end_array(kc_json_writer *w) { return end(w, ']'); }

int kc_json_write_key(kc_json_writer *w, const char *key, size_t len)
{
    if (before_value(w) != 0 || putc_(w, '"') != 0 || kc_json_write_escaped(w, key, len) != 0 ||
        put(w, "\":", 2) != 0)
        return -1;
    w->after_key = true;
    return 0;
}

/* ---- Base64 decoding (Jackson Base64Variant, MIME-NO-LINEFEEDS, padding required) ----------- */

static int b64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int kc_base64_decode(const char *s, size_t len, uint8_t **out, size_t *out_len, kc_error *err)
{
    const uint8_t *p = (const uint8_t *)s;
    uint8_t *buf = malloc(len / 4 * 3 + 3);
    if (!buf)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory decoding Base64");
    size_t o = 0, i = 0;
    const char *problem = NULL;
    while (i < len) {
        /* Whitespace is allowed between 4-character units only. */
        while (i < len && p[i] <= ' ')
            i++;
        if (i >= len)
            break;
        int v[4];
        int got = 0;
        for (; got < 4; got++) {
            if (i >= len) {
                problem = "Unexpected end of base64-encoded String: base64 variant "
                          "'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) at the end";
                goto fail;
            }
            uint8_t c = p[i];
            if (c == '=' && got >= 2) {
                /* Padding: "xx==" or "xxx=". */
                if (got == 2) {
                    if (i + 1 >= len) {
                        problem = "Unexpected end of base64-encoded String: base64 variant "
                                  "'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) "
                                  "at the end";
                        goto fail;
                    }
                    if (p[i + 1] != '=') {
                        i++;
                        problem = "Illegal character in base64 content: expected padding character '='";
                        goto fail;
                    }
                    i += 2;
                    buf[o++] = (uint8_t)((v[0] << 2) | (v[1] >> 4));
                } else {
                    i += 1;
                    buf[o++] = (uint8_t)((v[0] << 2) | (v[1] >> 4));
                    buf[o++] = (uint8_t)(((v[1] & 15) << 4) | (v[2] >> 2));
                }
                /* Jackson goes on decoding after a padded unit ("AQ==AQ==" is 01 01). */
                goto next_unit;
            }
            v[got] = b64_value(c);
            if (v[got] < 0) {
                if (c == '=')
                    problem = "Unexpected padding character ('='): padding only legal as 3rd or 4th "
                              "character of a 4-char base64 unit";
                else if (c <= ' ')
                    problem = "Illegal white space character as character of 4-char base64 unit: "
                              "can only used between units";
                else
                    problem = "Illegal character in base64 content";
                goto fail;
            }
            i++;
        }
        buf[o++] = (uint8_t)((v[0] << 2) | (v[1] >> 4));
        buf[o++] = (uint8_t)(((v[1] & 15) << 4) | (v[2] >> 2));
        buf[o++] = (uint8_t)(((v[2] & 3) << 6) | v[3]);
    next_unit:;
    }
    *out = buf;
    *out_len = o;
    return 0;
fail:
    free(buf);
    return kc_error_set(err, KC_ERR_INVALID, "broken Base64 encoding: %s (at character %zu)", problem,
                        i);
}
