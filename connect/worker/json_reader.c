/* JSON reader with Jackson's reader behaviour (see json_reader.h). */
#include "connect/worker/json_reader.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kc_json_limits kc_json_default_limits(void)
{
    kc_json_limits l = {
        .max_bytes = (size_t)64 * 1024 * 1024,
        .max_depth = 1000,
        .max_number_len = 1000,
        .max_string_len = 20000000,
        .max_name_len = 50000,
    };
    return l;
}

typedef struct parser {
    const uint8_t *p;
    size_t len, pos;
    kc_json_limits lim;
    kc_error *err;
    bool failed;
} parser;

static int fail_at(parser *ps, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_at(parser *ps, size_t at, const char *fmt, ...)
{
    if (ps->failed)
        return -1;
    ps->failed = true;
    char what[KC_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    size_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < ps->len; i++) {
        if (ps->p[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return kc_error_set(ps->err, KC_ERR_INVALID, "invalid JSON: %s at line %zu, column %zu (byte offset %zu)",
                        what, line, col, at);
}

static int oom(parser *ps)
{
    if (!ps->failed) {
        ps->failed = true;
        kc_error_set(ps->err, KC_ERR_INTERNAL, "out of memory reading JSON");
    }
    return -1;
}

static const char *char_desc(int c, char *buf, size_t size)
{
    if (c < 0)
        snprintf(buf, size, "end-of-input");
    else if (c < 0x20)
        snprintf(buf, size, "((CTRL-CHAR, code %d))", c);
    else if (c < 0x80)
        snprintf(buf, size, "('%c' (code %d))", c, c);
    else
        snprintf(buf, size, "(byte 0x%02X)", c);
    return buf;
}

static int peek(const parser *ps) { return ps->pos < ps->len ? ps->p[ps->pos] : -1; }

static void skip_ws(parser *ps)
{
    while (ps->pos < ps->len) {
        uint8_t c = ps->p[ps->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        ps->pos++;
    }
}

static int unexpected(parser *ps, const char *expecting)
{
    int c = peek(ps);
    char d[48];
    if (c < 0)
        return fail_at(ps, ps->pos, "Unexpected end-of-input: %s", expecting);
    return fail_at(ps, ps->pos, "Unexpected character %s: %s", char_desc(c, d, sizeof d), expecting);
}

/* ---- Nodes ---------------------------------------------------------------------------------- */

void kc_json_node_free(kc_json_node *n)
{
    if (!n)
        return;
    free(n->text);
    for (size_t i = 0; i < n->count; i++) {
        kc_json_node_free(n->items[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->key_lens);
    free(n);
}

static kc_json_node *node_new(parser *ps, kc_json_type type)
{
    kc_json_node *n = calloc(1, sizeof *n);
    if (!n)
        oom(ps);
    else
        n->type = type;
    return n;
}

/* ---- Strings -------------------------------------------------------------------------------- */

typedef struct strbuf {
    char *data;
    size_t len, cap;
} strbuf;

static int sb_put(parser *ps, strbuf *b, const void *src, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return oom(ps);
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static int sb_put_cp(parser *ps, strbuf *b, uint32_t cp)
{
    uint8_t u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | (cp >> 6));
        u[1] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | (cp >> 12));
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (uint8_t)(0xF0 | (cp >> 18));
        u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return sb_put(ps, b, u, n);
}

static int hex4(parser *ps, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int c = peek(ps);
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return unexpected(ps, "expected a hex-digit for character escape sequence");
        v = (v << 4) | (uint32_t)d;
        ps->pos++;
    }
    *out = v;
    return 0;
}

/* Validates one raw UTF-8 sequence at ps->pos, appends it and counts its UTF-16 units. */
static int raw_utf8(parser *ps, strbuf *b, size_t *units)
{
    const uint8_t *p = ps->p + ps->pos;
    size_t left = ps->len - ps->pos;
    uint8_t c = p[0];
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
        return fail_at(ps, ps->pos, "Invalid UTF-8 start byte 0x%02X", c);
    }
    for (size_t k = 1; k < n; k++) {
        if (k >= left || (p[k] & 0xC0) != 0x80)
            return fail_at(ps, ps->pos + k, "Invalid UTF-8 middle byte 0x%02X", k < left ? p[k] : 0);
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min)
        return fail_at(ps, ps->pos, "Invalid UTF-8: overlong encoding of U+%04X", cp);
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return fail_at(ps, ps->pos, "Invalid UTF-8: Illegal surrogate character 0x%x", cp);
    if (cp > 0x10FFFF)
        return fail_at(ps, ps->pos, "Invalid UTF-8: code point 0x%X beyond U+10FFFF", cp);
    *units += cp >= 0x10000 ? 2 : 1;
    ps->pos += n;
    return sb_put(ps, b, p, n);
}

/* Reads a string whose opening quote is at ps->pos. */
static int parse_string(parser *ps, strbuf *b, size_t max_units, const char *what)
{
    size_t start = ps->pos;
    size_t units = 0;
    ps->pos++;
    for (;;) {
        size_t run = ps->pos;
        while (ps->pos < ps->len) {
            uint8_t c = ps->p[ps->pos];
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                break;
            ps->pos++;
        }
        if (ps->pos > run) {
            units += ps->pos - run;
            if (sb_put(ps, b, ps->p + run, ps->pos - run) != 0)
                return -1;
        }
        if (units > max_units)
            return fail_at(ps, start, "%s length (%zu) exceeds the maximum allowed (%zu)", what,
                           units, max_units);
        int c = peek(ps);
        if (c < 0)
            return fail_at(ps, ps->pos, "Unexpected end-of-input: was expecting closing quote for a "
                                        "string value");
        if (c == '"') {
            ps->pos++;
            if (!b->data && sb_put(ps, b, "", 0) != 0)
                return -1;
            return 0;
        }
        if (c < 0x20) {
            char d[48];
            return fail_at(ps, ps->pos,
                           "Illegal unquoted character %s: has to be escaped using backslash to be "
                           "included in string value",
                           char_desc(c, d, sizeof d));
        }
        if (c >= 0x80) {
            if (raw_utf8(ps, b, &units) != 0)
                return -1;
            continue;
        }
        /* Backslash escape. */
        ps->pos++;
        int e = peek(ps);
        char out;
        switch (e) {
        case '"': out = '"'; break;
        case '\\': out = '\\'; break;
        case '/': out = '/'; break;
        case 'b': out = '\b'; break;
        case 'f': out = '\f'; break;
        case 'n': out = '\n'; break;
        case 'r': out = '\r'; break;
        case 't': out = '\t'; break;
        case 'u': {
            ps->pos++;
            uint32_t cp = 0;
            if (hex4(ps, &cp) != 0)
                return -1;
            units++;
            if (cp >= 0xD800 && cp <= 0xDBFF && ps->pos + 1 < ps->len && ps->p[ps->pos] == '\\' &&
                ps->p[ps->pos + 1] == 'u') {
                size_t save = ps->pos;
                ps->pos += 2;
                uint32_t lo = 0;
                if (hex4(ps, &lo) != 0)
                    return -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    units++;
                } else {
                    ps->pos = save; /* unpaired high surrogate; the next escape stands alone */
                }
            }
            if (sb_put_cp(ps, b, cp) != 0)
                return -1;
            continue;
        }
        default: {
            char d[48];
            if (e < 0)
                return fail_at(ps, ps->pos, "Unexpected end-of-input in character escape sequence");
            if (e >= 0x20 && e < 0x80)
                return fail_at(ps, ps->pos, "Unrecognized character escape '%c' (code %d)", e, e);
            return fail_at(ps, ps->pos, "Unrecognized character escape %s", char_desc(e, d, sizeof d));
        }
        }
        ps->pos++;
        units++;
        if (sb_put(ps, b, &out, 1) != 0)
            return -1;
    }
}

/* ---- Numbers -------------------------------------------------------------------------------- */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

/* Low 64 bits of the integer part of (digits) x 10^(-scale), as BigInteger.longValue. */
static uint64_t low64_of(const char *digits, size_t n, int64_t scale)
{
    size_t keep = n;
    if (scale > 0)
        keep = (uint64_t)scale >= n ? 0 : n - (size_t)scale;
    uint64_t v = 0;
    for (size_t i = 0; i < keep; i++)
        v = v * 10 + (uint64_t)(digits[i] - '0');
    if (scale < 0) {
        if (-scale >= 64)
            return 0; /* 10^64 is a multiple of 2^64 */
        for (int64_t i = 0; i < -scale; i++)
            v *= 10;
    }
    return v;
}

static kc_json_node *parse_number(parser *ps, bool root)
{
    size_t start = ps->pos;
    bool neg = false;
    if (peek(ps) == '-') {
        neg = true;
        ps->pos++;
        if (!is_digit(peek(ps))) {
            unexpected(ps, peek(ps) < 0 ? "in a Number value"
                                        : "expected digit (0-9) to follow minus sign, for valid "
                                          "numeric value");
            return NULL;
        }
    }
    size_t int_start = ps->pos;
    while (is_digit(peek(ps)))
        ps->pos++;
    size_t int_end = ps->pos;
    /* ALLOW_LEADING_ZEROS_FOR_NUMBERS: leading zeros are skipped (and not counted). */
    size_t sig = int_start;
    while (sig + 1 < int_end && ps->p[sig] == '0')
        sig++;
    size_t int_digits = int_end - sig;
    size_t frac_digits = 0, exp_digits = 0;
    int64_t exp = 0;
    bool is_decimal = false;
    if (peek(ps) == '.') {
        is_decimal = true;
        ps->pos++;
        if (!is_digit(peek(ps))) {
            fail_at(ps, ps->pos - 1, "Unexpected character ('.' (code 46)) in numeric value: "
                                     "Decimal point not followed by a digit");
            return NULL;
        }
        while (is_digit(peek(ps))) {
            ps->pos++;
            frac_digits++;
        }
    }
    if (peek(ps) == 'e' || peek(ps) == 'E') {
        is_decimal = true;
        ps->pos++;
        bool eneg = false;
        if (peek(ps) == '+' || peek(ps) == '-')
            eneg = ps->p[ps->pos++] == '-';
        if (!is_digit(peek(ps))) {
            unexpected(ps, peek(ps) < 0 ? "in a Number value" : "Exponent indicator not followed by a digit");
            return NULL;
        }
        while (is_digit(peek(ps))) {
            if (exp < 1000000000)
                exp = exp * 10 + (ps->p[ps->pos] - '0');
            ps->pos++;
            exp_digits++;
        }
        if (eneg)
            exp = -exp;
    }
    size_t counted = int_digits + frac_digits + exp_digits;
    if (counted > ps->lim.max_number_len) {
        fail_at(ps, start, "Number value length (%zu) exceeds the maximum allowed (%zu)", counted,
                ps->lim.max_number_len);
        return NULL;
    }
    if (root) {
        int c = peek(ps);
        if (c >= 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            unexpected(ps, "Expected space separating root-level values");
            return NULL;
        }
    }
    kc_json_node *n = node_new(ps, is_decimal ? KC_JSON_DECIMAL : KC_JSON_INT);
    if (!n)
        return NULL;
    n->text_len = ps->pos - start;
    n->text = malloc(n->text_len + 1);
    /* All significant digits (integer then fraction), for the exact integer part. */
    char *digits = malloc(int_digits + frac_digits + 1);
    if (!n->text || !digits) {
        free(digits);
        kc_json_node_free(n);
        oom(ps);
        return NULL;
    }
    memcpy(n->text, ps->p + start, n->text_len);
    n->text[n->text_len] = '\0';
    memcpy(digits, ps->p + sig, int_digits);
    size_t nd = int_digits;
    bool all_zero = true;
    for (size_t i = 0; i < int_digits; i++)
        all_zero &= digits[i] == '0';
    if (frac_digits) {
        const uint8_t *f = ps->p + int_end + 1;
        for (size_t i = 0; i < frac_digits; i++) {
            digits[nd++] = (char)f[i];
            all_zero &= f[i] == '0';
        }
    }
    uint64_t low = low64_of(digits, nd, (int64_t)frac_digits - exp);
    n->as_long = (int64_t)(neg ? (uint64_t)0 - low : low);
    if (!is_decimal) {
        /* Fits in 64 bits when at most 19 significant digits and within range. */
        if (int_digits < 19) {
            n->is_long = true;
        } else if (int_digits == 19) {
            const char *limit = neg ? "9223372036854775808" : "9223372036854775807";
            n->is_long = memcmp(digits, limit, 19) <= 0;
        }
        n->is_int = n->is_long && n->as_long >= INT32_MIN && n->as_long <= INT32_MAX;
        n->as_double = n->is_long ? (double)n->as_long : strtod(n->text, NULL);
    } else {
        /* BigDecimal.doubleValue: correctly rounded; a zero has no sign. */
        n->as_double = all_zero ? 0.0 : strtod(n->text, NULL);
    }
    free(digits);
    return n;
}

/* ---- Values --------------------------------------------------------------------------------- */

static kc_json_node *parse_value(parser *ps, int depth);

static bool token_end_ok(int c)
{
    /* Jackson: anything below '0', ']' and '}' end a literal; a Java identifier char does not. */
    if (c < 0 || c < '0' || c == ']' || c == '}')
        return true;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
        c >= 0x80)
        return false;
    return true;
}

static kc_json_node *parse_literal(parser *ps)
{
    static const struct {
        const char *text;
        kc_json_type type;
        bool value;
    } lits[] = {{"true", KC_JSON_BOOL, true}, {"false", KC_JSON_BOOL, false}, {"null", KC_JSON_NULL, false}};
    size_t start = ps->pos;
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i].text);
        if (ps->len - ps->pos >= n && memcmp(ps->p + ps->pos, lits[i].text, n) == 0 &&
            token_end_ok(ps->pos + n < ps->len ? ps->p[ps->pos + n] : -1)) {
            ps->pos += n;
            kc_json_node *node = node_new(ps, lits[i].type);
            if (node)
                node->boolean = lits[i].value;
            return node;
        }
    }
    size_t end = start;
    while (end < ps->len && end - start < 64 && !token_end_ok(ps->p[end]))
        end++;
    if (end == start)
        end++;
    fail_at(ps, start,
            "Unrecognized token '%.*s': was expecting (JSON String, Number, Array, Object or token "
            "'null', 'true' or 'false')",
            (int)(end - start), (const char *)ps->p + start);
    return NULL;
}

static int push_item(parser *ps, kc_json_node *arr, size_t *cap, kc_json_node *item)
{
    if (arr->count == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        kc_json_node **items = realloc(arr->items, c * sizeof *items);
        if (!items)
            return oom(ps);
        arr->items = items;
        if (arr->type == KC_JSON_OBJECT) {
            char **keys = realloc(arr->keys, c * sizeof *keys);
            if (!keys)
                return oom(ps);
            arr->keys = keys;
            size_t *lens = realloc(arr->key_lens, c * sizeof *lens);
            if (!lens)
                return oom(ps);
            arr->key_lens = lens;
        }
        *cap = c;
    }
    arr->items[arr->count] = item;
    return 0;
}

static kc_json_node *parse_array(parser *ps, int depth)
{
    kc_json_node *arr = node_new(ps, KC_JSON_ARRAY);
    size_t cap = 0;
    if (!arr)
        return NULL;
    ps->pos++;
    skip_ws(ps);
    if (peek(ps) == ']') {
        ps->pos++;
        return arr;
    }
    for (;;) {
        skip_ws(ps);
        if (peek(ps) == ']') {
            unexpected(ps, "expected a value");
            goto fail;
        }
        kc_json_node *item = parse_value(ps, depth);
        if (!item)
            goto fail;
        if (push_item(ps, arr, &cap, item) != 0) {
            kc_json_node_free(item);
            goto fail;
        }
        arr->count++;
        skip_ws(ps);
        int c = peek(ps);
        if (c == ',') {
            ps->pos++;
            continue;
        }
        if (c == ']') {
            ps->pos++;
            return arr;
        }
        unexpected(ps, c < 0 ? "expected close marker for ARRAY" : "was expecting comma to separate Array entries");
        goto fail;
    }
fail:
    kc_json_node_free(arr);
    return NULL;
}

static uint64_t key_hash(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)k[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Member-name index for large objects (duplicate detection without quadratic scans). */
typedef struct key_index {
    size_t *slots; /* position + 1, 0 = empty */
    size_t cap;
} key_index;

static int key_index_add(key_index *ix, const kc_json_node *obj, size_t pos)
{
    size_t mask = ix->cap - 1;
    size_t s = (size_t)key_hash(obj->keys[pos], obj->key_lens[pos]) & mask;
    while (ix->slots[s])
        s = (s + 1) & mask;
    ix->slots[s] = pos + 1;
    return 0;
}

static int key_index_grow(parser *ps, key_index *ix, const kc_json_node *obj)
{
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return oom(ps);
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    for (size_t i = 0; i < obj->count; i++)
        key_index_add(ix, obj, i);
    return 0;
}

static long find_key(const key_index *ix, const kc_json_node *obj, const char *k, size_t n)
{
    if (ix->slots) {
        size_t mask = ix->cap - 1;
        for (size_t s = (size_t)key_hash(k, n) & mask; ix->slots[s]; s = (s + 1) & mask) {
            size_t pos = ix->slots[s] - 1;
            if (obj->key_lens[pos] == n && memcmp(obj->keys[pos], k, n) == 0)
                return (long)pos;
        }
        return -1;
    }
    for (size_t i = 0; i < obj->count; i++)
        if (obj->key_lens[i] == n && memcmp(obj->keys[i], k, n) == 0)
            return (long)i;
    return -1;
}

static kc_json_node *parse_object(parser *ps, int depth)
{
    kc_json_node *obj = node_new(ps, KC_JSON_OBJECT);
    size_t cap = 0;
    key_index ix = {0};
    if (!obj)
        return NULL;
    ps->pos++;
    skip_ws(ps);
    if (peek(ps) == '}') {
        ps->pos++;
        return obj;
    }
    for (;;) {
        skip_ws(ps);
        if (peek(ps) != '"') {
            unexpected(ps, peek(ps) < 0 ? "expected close marker for OBJECT"
                                        : "was expecting double-quote to start field name");
            goto fail;
        }
        strbuf key = {0};
        if (parse_string(ps, &key, ps->lim.max_name_len, "Name") != 0) {
            free(key.data);
            goto fail;
        }
        skip_ws(ps);
        if (peek(ps) != ':') {
            free(key.data);
            unexpected(ps, "was expecting a colon to separate field name and value");
            goto fail;
        }
        ps->pos++;
        skip_ws(ps);
        kc_json_node *value = parse_value(ps, depth);
        if (!value) {
            free(key.data);
            goto fail;
        }
        long dup = find_key(&ix, obj, key.data, key.len);
        if (dup >= 0) {
            /* Duplicate name: the last value wins, the first position stays. */
            kc_json_node_free(obj->items[dup]);
            obj->items[dup] = value;
            free(key.data);
        } else {
            if (push_item(ps, obj, &cap, value) != 0) {
                kc_json_node_free(value);
                free(key.data);
                goto fail;
            }
            obj->keys[obj->count] = key.data;
            obj->key_lens[obj->count] = key.len;
            obj->count++;
            if (obj->count > 16 && (!ix.slots || obj->count * 2 > ix.cap)) {
                if (key_index_grow(ps, &ix, obj) != 0)
                    goto fail;
            } else if (ix.slots) {
                key_index_add(&ix, obj, obj->count - 1);
            }
        }
        skip_ws(ps);
        int c = peek(ps);
        if (c == ',') {
            ps->pos++;
            continue;
        }
        if (c == '}') {
            ps->pos++;
            free(ix.slots);
            return obj;
        }
        unexpected(ps, c < 0 ? "expected close marker for OBJECT" : "was expecting comma to separate Object entries");
        goto fail;
    }
fail:
    free(ix.slots);
    kc_json_node_free(obj);
    return NULL;
}

static kc_json_node *parse_value(parser *ps, int depth)
{
    skip_ws(ps);
    int c = peek(ps);
    if (c == '{' || c == '[') {
        if (depth + 1 > ps->lim.max_depth) {
            fail_at(ps, ps->pos, "Document nesting depth (%d) exceeds the maximum allowed (%d)",
                    depth + 1, ps->lim.max_depth);
            return NULL;
        }
        return c == '{' ? parse_object(ps, depth + 1) : parse_array(ps, depth + 1);
    }
    if (c == '"') {
        strbuf s = {0};
        if (parse_string(ps, &s, ps->lim.max_string_len, "String value") != 0) {
            free(s.data);
            return NULL;
        }
        kc_json_node *n = node_new(ps, KC_JSON_STRING);
        if (!n) {
            free(s.data);
            return NULL;
        }
        n->text = s.data;
        n->text_len = s.len;
        return n;
    }
    if (c == '-' || is_digit(c))
        return parse_number(ps, depth == 0);
    if (c == 't' || c == 'f' || c == 'n')
        return parse_literal(ps);
    if (c < 0) {
        unexpected(ps, "expected a value");
        return NULL;
    }
    if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return parse_literal(ps);
    unexpected(ps, "expected a valid value (JSON String, Number, Array, Object or token 'null', "
                   "'true' or 'false')");
    return NULL;
}

int kc_json_parse(const void *data, size_t len, const kc_json_limits *limits, kc_json_node **out,
                  kc_error *err)
{
    parser ps = {.p = data, .len = len, .lim = limits ? *limits : kc_json_default_limits(), .err = err};
    *out = NULL;
    if (!data && len)
        return kc_error_set(err, KC_ERR_INVALID, "invalid JSON: no data");
    if (len > ps.lim.max_bytes)
        return kc_error_set(err, KC_ERR_INVALID,
                            "JSON document of %zu bytes exceeds the maximum of %zu bytes", len,
                            ps.lim.max_bytes);
    if (len >= 3 && ps.p[0] == 0xEF && ps.p[1] == 0xBB && ps.p[2] == 0xBF)
        ps.pos = 3;
    skip_ws(&ps);
    if (ps.pos >= len)
        return 0; /* no value: Jackson's MissingNode */
    kc_json_node *n = parse_value(&ps, 0);
    if (!n)
        return -1;
    *out = n;
    return 0;
}

/* ---- Accessors ------------------------------------------------------------------------------ */

const kc_json_node *kc_json_object_get(const kc_json_node *node, const char *key)
{
    if (!node || node->type != KC_JSON_OBJECT || !key)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < node->count; i++)
        if (node->key_lens[i] == n && memcmp(node->keys[i], key, n) == 0)
            return node->items[i];
    return NULL;
}

const char *kc_json_node_type_name(const kc_json_node *node)
{
    if (!node)
        return "MISSING";
    switch (node->type) {
    case KC_JSON_NULL: return "NULL";
    case KC_JSON_BOOL: return "BOOLEAN";
    case KC_JSON_INT:
    case KC_JSON_DECIMAL: return "NUMBER";
    case KC_JSON_STRING: return "STRING";
    case KC_JSON_ARRAY: return "ARRAY";
    case KC_JSON_OBJECT: return "OBJECT";
    }
    return "MISSING";
}

int32_t kc_json_node_int_value(const kc_json_node *node)
{
    if (!node || (node->type != KC_JSON_INT && node->type != KC_JSON_DECIMAL))
        return 0;
    return (int32_t)(uint32_t)(uint64_t)node->as_long;
}

float kc_json_node_float_value(const kc_json_node *node)
{
    if (!node || (node->type != KC_JSON_INT && node->type != KC_JSON_DECIMAL))
        return 0;
    if (node->type == KC_JSON_INT && node->is_long)
        return (float)node->as_long;
    /* BigDecimal.floatValue: a zero (or a positive underflow) is +0.0; otherwise the literal,
     * correctly rounded. */
    if (node->type == KC_JSON_DECIMAL && node->as_double == 0 && !signbit(node->as_double))
        return 0.0f;
    return strtof(node->text, NULL);
}

kc_value *kc_json_node_decimal_value(const kc_json_node *node)
{
    if (!node || (node->type != KC_JSON_INT && node->type != KC_JSON_DECIMAL))
        return NULL;
    return kc_value_decimal_parse(node->text, node->text_len, NULL);
}

int kc_json_node_to_value(const kc_json_node *node, kc_value **out, kc_error *err)
{
    *out = NULL;
    if (!node || node->type == KC_JSON_NULL)
        return 0;
    kc_value *v = NULL;
    switch (node->type) {
    case KC_JSON_BOOL: v = kc_value_boolean(node->boolean); break;
    case KC_JSON_INT: v = kc_value_int64(node->as_long); break;
    case KC_JSON_DECIMAL: v = kc_value_float64(node->as_double); break;
    case KC_JSON_STRING: v = kc_value_string_len(node->text, node->text_len); break;
    case KC_JSON_ARRAY:
        v = kc_value_array_new();
        for (size_t i = 0; v && i < node->count; i++) {
            kc_value *item;
            if (kc_json_node_to_value(node->items[i], &item, err) != 0) {
                kc_value_free(v);
                return -1;
            }
            if (kc_value_array_append_new(v, item) != 0) {
                kc_value_free(v);
                v = NULL;
            }
        }
        break;
    case KC_JSON_OBJECT:
        v = kc_value_map_new();
        for (size_t i = 0; v && i < node->count; i++) {
            kc_value *item, *key;
            if (kc_json_node_to_value(node->items[i], &item, err) != 0) {
                kc_value_free(v);
                return -1;
            }
            key = kc_value_string_len(node->keys[i], node->key_lens[i]);
            if (!key || kc_value_map_put_new(v, key, item) != 0) {
                if (!key)
                    kc_value_free(item);
                kc_value_free(v);
                v = NULL;
            }
        }
        if (v && kc_value_map_to_java_hashmap_order(v) != 0) {
            kc_value_free(v);
            v = NULL;
        }
        break;
    default: break;
    }
    if (!v)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting JSON to a value");
    *out = v;
    return 0;
}

int kc_json_parse_value(const void *data, size_t len, const kc_json_limits *limits, kc_value **out,
                        kc_error *err)
{
    kc_json_node *n;
    *out = NULL;
    if (kc_json_parse(data, len, limits, &n, err) != 0)
        return -1;
    int rc = kc_json_node_to_value(n, out, err);
    kc_json_node_free(n);
    return rc;
}
