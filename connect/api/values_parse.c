/* Values.parseString: the same tokenizer, the same rewinds and the same fallbacks to a plain
 * string as Java's Values.Parser and Values.ValueParser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/values_internal.h"

/* ---- The tokenizer (Values.Parser) ---------------------------------------------------------- */

static bool is_delim(char c)
{
    return c == ':' || c == ',' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"';
}

static tok consume_token(vparser *p)
{
    bool escaped = false;
    size_t start = p->index;
    while (p->index < p->len) {
        char c = p->s[p->index];
        if (c == '\\') {
            escaped = !escaped;
        } else if (is_delim(c)) {
            if (!escaped) {
                if (start < p->index)
                    return (tok){start, p->index - start};
                p->index++;
                return (tok){start, 1};
            }
            escaped = false;
        } else {
            escaped = false;
        }
        p->index++;
    }
    return (tok){start, p->index - start};
}

static size_t mark(const vparser *p) { return p->index - (p->has_next ? p->next_tok.len : 0); }

static void rewind_to(vparser *p, size_t pos)
{
    p->index = pos;
    p->has_next = false;
    p->has_prev = false;
}

static bool has_next(const vparser *p) { return p->has_next || p->index < p->len; }

static tok next(vparser *p)
{
    if (p->has_next) {
        p->prev_tok = p->next_tok;
        p->has_next = false;
    } else {
        p->prev_tok = consume_token(p);
    }
    p->has_prev = true;
    return p->prev_tok;
}

/* String.trim(): drops characters <= ' ' at both ends. */
static tok trim(const vparser *p, tok t)
{
    while (t.len && (unsigned char)p->s[t.start] <= ' ') {
        t.start++;
        t.len--;
    }
    while (t.len && (unsigned char)p->s[t.start + t.len - 1] <= ' ')
        t.len--;
    return t;
}

static bool blank(const vparser *p, tok t) { return trim(p, t).len == 0; }

static bool tok_is(const vparser *p, tok t, const char *lit)
{
    t = trim(p, t);
    return t.len == strlen(lit) && memcmp(p->s + t.start, lit, t.len) == 0;
}

static bool can_consume(vparser *p, const char *expected)
{
    if (!p->has_next) {
        if (!has_next(p))
            return false;
        p->next_tok = consume_token(p);
        p->has_next = true;
    }
    while (blank(p, p->next_tok) && p->index < p->len)
        p->next_tok = consume_token(p);
    if (tok_is(p, p->next_tok, expected)) {
        p->has_next = false;
        return true;
    }
    return false;
}

/* next(n): the text of the next n tokens, or false (and no move) when there are fewer. */
static bool next_n(vparser *p, int n, tok *out)
{
    size_t current = mark(p);
    for (int i = 0; i < n; i++) {
        if (!has_next(p)) {
            rewind_to(p, current);
            return false;
        }
        next(p);
    }
    *out = (tok){current, p->index - current};
    return true;
}


/* ---- Schema merging (SchemaMerger / mergeSchemas) ------------------------------------------- */

typedef struct merger {
    const kc_schema *common; /* one reference */
    bool compatible;
} merger;

static bool is_numeric(kc_schema_type t)
{
    return t == KC_SCHEMA_INT8 || t == KC_SCHEMA_INT16 || t == KC_SCHEMA_INT32 ||
           t == KC_SCHEMA_INT64 || t == KC_SCHEMA_FLOAT32 || t == KC_SCHEMA_FLOAT64;
}

/* Rank in the widening order int8 < int16 < int32 < int64 < float32 < float64. */
static int rank(kc_schema_type t)
{
    switch (t) {
    case KC_SCHEMA_INT8: return 0;
    case KC_SCHEMA_INT16: return 1;
    case KC_SCHEMA_INT32: return 2;
    case KC_SCHEMA_INT64: return 3;
    case KC_SCHEMA_FLOAT32: return 4;
    default: return 5;
    }
}

/* Borrowed result (one of the inputs) or NULL when there is no common schema. */
static const kc_schema *merge_schemas(const kc_schema *prev, const kc_schema *next_s)
{
    if (prev->type != next_s->type) {
        if (!is_numeric(prev->type) || !is_numeric(next_s->type))
            return NULL;
        return rank(next_s->type) > rank(prev->type) ? next_s : prev;
    }
    if (prev->optional == next_s->optional)
        return prev->optional ? prev : next_s;
    return kc_schema_equals(prev, next_s) ? prev : NULL;
}

static void merger_add(merger *m, const sv *latest)
{
    if (!latest->present || !latest->schema || !m->compatible)
        return;
    if (!m->common) {
        m->common = kc_schema_ref(latest->schema);
        return;
    }
    const kc_schema *c = merge_schemas(m->common, latest->schema);
    kc_schema_ref(c);
    kc_schema_unref(m->common);
    m->common = c;
    m->compatible = c != NULL;
}

/* ---- The value parser (Values.ValueParser) -------------------------------------------------- */

static int parse(vparser *p, bool embedded, sv *out);

static bool single_literal(vparser *p, bool embedded, const char *lit)
{
    size_t start = mark(p);
    if (can_consume(p, lit) && (embedded || !has_next(p)))
        return true;
    rewind_to(p, start);
    return false;
}

static int parse_quoted(vparser *p, sv *out)
{
    kc_sbuf b = {0};
    while (has_next(p)) {
        if (can_consume(p, "\""))
            break;
        tok t = next(p);
        kc__sbuf_put(&b, p->s + t.start, t.len);
    }
    size_t n;
    char *content = kc__sbuf_take(&b, &n);
    if (!content)
        return kc__vp_fatal(p);
    bool found;
    int rc = kc__vp_parse_as_temporal(p, content, n, out, &found);
    if (rc == VP_OK && !found)
        rc = kc__vp_make(p, out, kc_schema_string(), kc_value_string_len(content, n));
    free(content);
    return rc;
}

static const char *original_for_msg(const vparser *p) { return p->s; }

static int parse_array(vparser *p, sv *out)
{
    kc_value *list = kc_value_array_new();
    merger m = {.compatible = true};
    int rc;
    if (!list)
        return kc__vp_fatal(p);
    while (has_next(p)) {
        if (can_consume(p, "]")) {
            const kc_schema *schema;
            if (m.common) {
                schema = kc_schema_builder_build(kc_schema_builder_array(m.common), NULL);
                if (!schema) {
                    rc = kc__vp_fatal(p);
                    goto fail;
                }
                kc_value *aligned = kc_value_array_new();
                if (!aligned) {
                    kc_schema_unref(schema);
                    rc = kc__vp_fatal(p);
                    goto fail;
                }
                for (size_t i = 0; i < list->u.arr.len; i++) {
                    kc_value *conv;
                    rc = kc__vp_convert_to(p, m.common, list->u.arr.items[i], &conv);
                    if (rc == VP_OK && kc_value_array_append_new(aligned, conv) != 0)
                        rc = kc__vp_fatal(p);
                    if (rc != VP_OK) {
                        kc_value_free(aligned);
                        kc_schema_unref(schema);
                        goto fail;
                    }
                }
                kc_value_free(list);
                list = aligned;
            } else {
                schema = kc__schema_new_raw(KC_SCHEMA_ARRAY, false, NULL, NULL);
                if (!schema) {
                    rc = kc__vp_fatal(p);
                    goto fail;
                }
            }
            kc_schema_unref(m.common);
            out->present = true;
            out->schema = schema;
            out->value = list;
            return VP_OK;
        }
        if (can_consume(p, ",")) {
            rc = kc__vp_data_error(p, "Unable to parse an empty array element: %s", original_for_msg(p));
            goto fail;
        }
        sv element = {0};
        rc = parse(p, true, &element);
        if (rc != VP_OK)
            goto fail;
        merger_add(&m, &element);
        kc_value *item = element.value;
        element.value = NULL;
        kc__vp_sv_clear(&element);
        if (kc_value_array_append_new(list, item) != 0) {
            rc = kc__vp_fatal(p);
            goto fail;
        }
        size_t current = mark(p);
        if (can_consume(p, "]")) {
            rewind_to(p, current);
        } else if (!can_consume(p, ",")) {
            rc = kc__vp_data_error(p, "Array elements missing ',' delimiter");
            goto fail;
        }
    }
    if (p->has_prev && tok_is(p, p->prev_tok, ",") && p->prev_tok.len == 1)
        rc = kc__vp_data_error(p, "Array is missing element after ',': %s", original_for_msg(p));
    else
        rc = kc__vp_data_error(p, "Array is missing terminating ']': %s", original_for_msg(p));
fail:
    kc_schema_unref(m.common);
    kc_value_free(list);
    return rc;
}

static int parse_map(vparser *p, sv *out)
{
    kc_value *map = kc_value_map_new();
    merger km = {.compatible = true}, vm = {.compatible = true};
    int rc;
    if (!map)
        return kc__vp_fatal(p);
    while (has_next(p)) {
        if (can_consume(p, "}")) {
            const kc_schema *schema = NULL;
            if (km.common) {
                schema = vm.common ? kc_schema_builder_build(kc_schema_builder_map(km.common, vm.common), NULL)
                                   : kc__schema_new_raw(KC_SCHEMA_MAP, false, km.common, NULL);
                if (!schema) {
                    rc = kc__vp_fatal(p);
                    goto fail;
                }
                kc_value *aligned = kc_value_map_new();
                if (!aligned) {
                    kc_schema_unref(schema);
                    rc = kc__vp_fatal(p);
                    goto fail;
                }
                for (size_t i = 0; i < map->u.map.len; i++) {
                    kc_value *k = NULL, *v = NULL;
                    rc = kc__vp_convert_to(p, km.common, map->u.map.keys[i], &k);
                    if (rc == VP_OK) {
                        if (vm.common) {
                            rc = kc__vp_convert_to(p, vm.common, map->u.map.vals[i], &v);
                        } else {
                            v = kc_value_copy(map->u.map.vals[i]);
                            rc = v ? VP_OK : kc__vp_fatal(p);
                        }
                    }
                    if (rc == VP_OK && kc_value_map_put_new(aligned, k, v) != 0)
                        rc = kc__vp_fatal(p);
                    else if (rc != VP_OK) {
                        kc_value_free(k);
                        kc_value_free(v);
                    }
                    if (rc != VP_OK) {
                        kc_value_free(aligned);
                        kc_schema_unref(schema);
                        goto fail;
                    }
                }
                kc_value_free(map);
                map = aligned;
            } else {
                schema = kc__schema_new_raw(KC_SCHEMA_MAP, false, NULL, NULL);
                if (!schema) {
                    rc = kc__vp_fatal(p);
                    goto fail;
                }
            }
            kc_schema_unref(km.common);
            kc_schema_unref(vm.common);
            out->present = true;
            out->schema = schema;
            out->value = map;
            return VP_OK;
        }
        if (can_consume(p, ",")) {
            rc = kc__vp_data_error(p, "Unable to parse a map entry with no key or value: %s", original_for_msg(p));
            goto fail;
        }
        sv key = {0}, value = {0};
        rc = parse(p, true, &key);
        if (rc != VP_OK)
            goto fail;
        if (!key.present || kc_value_is_null(key.value)) {
            kc__vp_sv_clear(&key);
            rc = kc__vp_data_error(p, "Map entry may not have a null key: %s", original_for_msg(p));
            goto fail;
        }
        if (!can_consume(p, ":")) {
            kc__vp_sv_clear(&key);
            rc = kc__vp_data_error(p, "Map entry is missing ':' at %zu in %s", kc__vp_utf16_len(p->s, p->index),
                            original_for_msg(p));
            goto fail;
        }
        rc = parse(p, true, &value);
        if (rc != VP_OK) {
            kc__vp_sv_clear(&key);
            goto fail;
        }
        kc_value *k = kc_value_copy(key.value), *v = kc_value_copy(value.value);
        if (!k || !v || kc_value_map_put_new(map, k, v) != 0) {
            if (!k || !v) {
                kc_value_free(k);
                kc_value_free(v);
            }
            kc__vp_sv_clear(&key);
            kc__vp_sv_clear(&value);
            rc = kc__vp_fatal(p);
            goto fail;
        }
        can_consume(p, ",");
        merger_add(&km, &key);
        merger_add(&vm, &value);
        kc__vp_sv_clear(&key);
        kc__vp_sv_clear(&value);
    }
    if (p->has_prev && tok_is(p, p->prev_tok, ",") && p->prev_tok.len == 1)
        rc = kc__vp_data_error(p, "Map is missing element after ',': %s", original_for_msg(p));
    else
        rc = kc__vp_data_error(p, "Map is missing terminating '}': %s", original_for_msg(p));
fail:
    kc_schema_unref(km.common);
    kc_schema_unref(vm.common);
    kc_value_free(map);
    return rc;
}

static int parse_multiple_tokens_as_temporal(vparser *p, tok token, sv *out, bool *found)
{
    size_t position = mark(p);
    tok rest;
    *found = false;
    if (next_n(p, 4, &rest)) {
        size_t n = token.len + rest.len;
        char *joined = malloc(n + 1);
        if (!joined)
            return kc__vp_fatal(p);
        memcpy(joined, p->s + token.start, token.len);
        memcpy(joined + token.len, p->s + rest.start, rest.len);
        int rc = kc__vp_parse_as_temporal(p, joined, n, out, found);
        free(joined);
        if (rc != VP_OK || *found)
            return rc;
    }
    rewind_to(p, position);
    return kc__vp_parse_as_temporal(p, p->s + token.start, token.len, out, found);
}

static int parse_next_token(vparser *p, bool embedded, tok token, sv *out)
{
    char first = p->s[token.start];
    bool digit = first >= '0' && first <= '9';
    bool found;
    int rc;
    if (digit) {
        rc = parse_multiple_tokens_as_temporal(p, token, out, &found);
        if (rc != VP_OK || found)
            return rc;
    }
    if (digit || first == '+' || first == '-') {
        rc = kc__vp_parse_as_number(p, p->s + token.start, token.len, out, &found);
        if (rc != VP_OK || found)
            return rc;
    }
    if (embedded)
        return kc__vp_data_error(p, "Failed to parse embedded value");
    return kc__vp_make(p, out, kc_schema_string(), kc_value_string_len(p->s, p->len));
}

static int parse(vparser *p, bool embedded, sv *out)
{
    memset(out, 0, sizeof *out);
    if (!has_next(p))
        return VP_OK;
    if (embedded && can_consume(p, "\""))
        return parse_quoted(p, out);
    if (single_literal(p, embedded, "null"))
        return VP_OK;
    if (single_literal(p, embedded, "true"))
        return kc__vp_make(p, out, kc_schema_boolean(), kc_value_boolean(true));
    if (single_literal(p, embedded, "false"))
        return kc__vp_make(p, out, kc_schema_boolean(), kc_value_boolean(false));
    size_t start = mark(p);
    bool tried = true;
    int rc = VP_OK;
    bool open_array = can_consume(p, "[");
    bool open_map = !open_array && can_consume(p, "{");
    if ((open_array || open_map) && p->depth >= KC_DATA_MAX_DEPTH) {
        /* Java recurses until a StackOverflowError, which SimpleHeaderConverter catches like any
         * other failure; kconnect stops at the value depth limit and fails the same way. */
        kc_error_set(p->err, KC_ERR_INVALID, "value nests deeper than %d levels", KC_DATA_MAX_DEPTH);
        return VP_TOO_DEEP;
    }
    p->depth++;
    if (open_array)
        rc = parse_array(p, out);
    else if (open_map)
        rc = parse_map(p, out);
    else
        tried = false;
    p->depth--;
    if (tried && rc != VP_DATA)
        return rc;
    if (tried)
        rewind_to(p, start); /* not an array or map after all: treat as a token */
    tok token = next(p);
    if (blank(p, token))
        return kc__vp_make(p, out, kc_schema_string(), kc_value_string_len(p->s + token.start, token.len));
    return parse_next_token(p, embedded, trim(p, token), out);
}

int kc_values_parse_string(const char *text, size_t len, kc_schema_and_value *out, kc_error *err)
{
    out->schema = NULL;
    out->value = NULL;
    if (len == 0) {
        out->schema = kc_schema_string();
        out->value = kc_value_string_len("", 0);
        return out->value ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    /* The tokenizer's messages quote the original text; keep a NUL-terminated copy. */
    char *copy = malloc(len + 1);
    if (!copy)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory parsing a header value");
    memcpy(copy, text, len);
    copy[len] = '\0';
    kc_error scratch;
    vparser p = {.s = copy, .len = len, .err = &scratch};
    sv r = {0};
    int rc = parse(&p, false, &r);
    free(copy);
    if (rc == VP_FATAL || rc == VP_TOO_DEEP) {
        if (err)
            *err = scratch;
        return -1;
    }
    if (rc != VP_OK) {
        /* A DataException escaping parseString (Java throws it to the caller). */
        if (err)
            *err = scratch;
        return -1;
    }
    out->schema = r.schema;
    out->value = r.value;
    return 0;
}
