/* Converter registry, the generic converter object, and helpers shared by the implementations. */
#include "connect/worker/converters.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const kc_converter_ops *const registry[] = {
    &kc_converter_json_ops,
    &kc_converter_string_ops,
    &kc_converter_byte_array_ops,
    &kc_converter_simple_header_ops,
};

const kc_converter_ops *const *kc_converter_registry(size_t *count)
{
    if (count)
        *count = sizeof registry / sizeof registry[0];
    return registry;
}

const kc_converter_ops *kc_converter_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
        const char *full = registry[i]->class_name;
        if (strcmp(name, full) == 0)
            return registry[i];
        /* Connect's plugin aliases: the simple class name, and that name minus "Converter". */
        const char *simple = strrchr(full, '.');
        simple = simple ? simple + 1 : full;
        if (strcmp(name, simple) == 0)
            return registry[i];
        size_t n = strlen(simple), suffix = strlen("Converter");
        if (n > suffix && strlen(name) == n - suffix && strncmp(name, simple, n - suffix) == 0)
            return registry[i];
    }
    return NULL;
}

struct kc_converter {
    const kc_converter_ops *ops;
    kc_converter_type type;
    void *state;
};

kc_converter *kc_converter_new(const char *name, const kc_props *config, kc_converter_type type,
                               kc_error *err)
{
    const kc_converter_ops *ops = kc_converter_find(name);
    if (!ops) {
        kc_error_set(err, KC_ERR_NOT_FOUND,
                     "Failed to find any class that implements Converter and which name matches %s; "
                     "kconnect provides org.apache.kafka.connect.json.JsonConverter, "
                     "org.apache.kafka.connect.storage.StringConverter, "
                     "org.apache.kafka.connect.converters.ByteArrayConverter and "
                     "org.apache.kafka.connect.storage.SimpleHeaderConverter",
                     name ? name : "null");
        return NULL;
    }
    if (type == KC_CONVERTER_HEADER && !ops->is_header_converter) {
        kc_error_set(err, KC_ERR_INVALID, "%s is not a HeaderConverter", ops->class_name);
        return NULL;
    }
    if (type != KC_CONVERTER_HEADER && !ops->is_converter) {
        kc_error_set(err, KC_ERR_INVALID,
                     "%s is not a Converter: it converts header values only (use it for "
                     "header.converter)",
                     ops->class_name);
        return NULL;
    }
    kc_converter *c = calloc(1, sizeof *c);
    if (!c) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating a converter");
        return NULL;
    }
    c->ops = ops;
    c->type = type;
    c->state = ops->create(config, type, err);
    if (!c->state) {
        free(c);
        return NULL;
    }
    return c;
}

void kc_converter_free(kc_converter *c)
{
    if (!c)
        return;
    c->ops->destroy(c->state);
    free(c);
}

const char *kc_converter_class_name(const kc_converter *c) { return c->ops->class_name; }
kc_converter_type kc_converter_get_type(const kc_converter *c) { return c->type; }

int kc_converter_from_connect(kc_converter *c, const char *topic, const kc_schema *schema,
                              const kc_value *value, void **out, size_t *out_len, kc_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (!c->ops->from_connect)
        return kc_error_set(err, KC_ERR_INVALID, "%s is not a Converter", c->ops->class_name);
    return c->ops->from_connect(c->state, topic, schema, value, out, out_len, err);
}

int kc_converter_to_connect(kc_converter *c, const char *topic, const void *data, size_t len,
                            kc_schema_and_value *out, kc_error *err)
{
    out->schema = NULL;
    out->value = NULL;
    if (!c->ops->to_connect)
        return kc_error_set(err, KC_ERR_INVALID, "%s is not a Converter", c->ops->class_name);
    return c->ops->to_connect(c->state, topic, data, len, out, err);
}

int kc_converter_from_connect_header(kc_converter *c, const char *topic, const char *header_key,
                                     const kc_schema *schema, const kc_value *value, void **out,
                                     size_t *out_len, kc_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (!c->ops->is_header_converter)
        return kc_error_set(err, KC_ERR_INVALID, "%s is not a HeaderConverter", c->ops->class_name);
    if (c->ops->from_connect_header)
        return c->ops->from_connect_header(c->state, topic, header_key, schema, value, out, out_len,
                                           err);
    return c->ops->from_connect(c->state, topic, schema, value, out, out_len, err);
}

int kc_converter_to_connect_header(kc_converter *c, const char *topic, const char *header_key,
                                   const void *data, size_t len, kc_schema_and_value *out,
                                   kc_error *err)
{
    out->schema = NULL;
    out->value = NULL;
    if (!c->ops->is_header_converter)
        return kc_error_set(err, KC_ERR_INVALID, "%s is not a HeaderConverter", c->ops->class_name);
    if (c->ops->to_connect_header)
        return c->ops->to_connect_header(c->state, topic, header_key, data, len, out, err);
    return c->ops->to_connect(c->state, topic, data, len, out, err);
}

/* ---- Config helpers (ConfigDef.parseType) --------------------------------------------------- */

/* A trimmed copy of the value of key (Java trims config strings), or NULL when absent. */
static const char *trimmed(const char *v, char *buf, size_t size)
{
    while (*v && isspace((unsigned char)*v))
        v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, v, n);
    buf[n] = '\0';
    return buf;
}

int kc_converter_config_bool(const kc_props *config, const char *key, bool def, bool *out,
                             kc_error *err)
{
    const char *raw = config ? kc_props_get(config, key) : NULL;
    *out = def;
    if (!raw)
        return 0;
    char buf[64];
    const char *v = trimmed(raw, buf, sizeof buf);
    if (strcasecmp(v, "true") == 0)
        *out = true;
    else if (strcasecmp(v, "false") == 0)
        *out = false;
    else
        return kc_error_set(err, KC_ERR_INVALID,
                            "Invalid value %s for configuration %s: Expected value to be either "
                            "true or false",
                            raw, key);
    return 0;
}

int kc_converter_config_int(const kc_props *config, const char *key, int def, int *out,
                            kc_error *err)
{
    const char *raw = config ? kc_props_get(config, key) : NULL;
    *out = def;
    if (!raw)
        return 0;
    char buf[64];
    const char *v = trimmed(raw, buf, sizeof buf);
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < INT32_MIN || n > INT32_MAX || isspace((unsigned char)*v))
        return kc_error_set(err, KC_ERR_INVALID,
                            "Invalid value %s for configuration %s: Not a number of type INT", raw,
                            key);
    *out = (int)n;
    return 0;
}

/* ---- Lenient UTF-8 decoding (java.lang.String(byte[], UTF_8)) ------------------------------- */

static bool cont(uint8_t b) { return (b & 0xC0) == 0x80; }

char *kc_utf8_decode_lenient(const void *data, size_t len, size_t *out_len)
{
    static const uint8_t REPL[3] = {0xEF, 0xBF, 0xBD};
    const uint8_t *s = data;
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    uint8_t *out = malloc(len * 3 + 1); /* each input byte becomes at most one U+FFFD */
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
#define EMIT_REPL()                                                                                \
    do {                                                                                           \
        memcpy(out + o, REPL, 3);                                                                  \
        o += 3;                                                                                    \
    } while (0)
    while (i < len) {
        uint8_t b1 = s[i];
        if (b1 < 0x80) {
            out[o++] = b1;
            i++;
        } else if ((b1 & 0xE0) == 0xC0 && (b1 & 0x1E) != 0) {
            if (i + 1 < len && cont(s[i + 1])) {
                out[o++] = b1;
                out[o++] = s[i + 1];
                i += 2;
            } else {
                EMIT_REPL();
                i++;
            }
        } else if ((b1 & 0xF0) == 0xE0) {
            if (i + 2 < len) {
                uint8_t b2 = s[i + 1], b3 = s[i + 2];
                bool bad2 = (b1 == 0xE0 && (b2 & 0xE0) == 0x80) || !cont(b2);
                if (bad2 || !cont(b3)) {
                    EMIT_REPL();
                    i += bad2 ? 1 : 2;
                } else {
                    uint32_t cp = ((uint32_t)(b1 & 0x0F) << 12) | ((uint32_t)(b2 & 0x3F) << 6) | (b3 & 0x3F);
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        EMIT_REPL();
                    } else {
                        memcpy(out + o, s + i, 3);
                        o += 3;
                    }
                    i += 3;
                }
            } else {
                if (i + 1 < len && ((b1 == 0xE0 && (s[i + 1] & 0xE0) == 0x80) || !cont(s[i + 1]))) {
                    EMIT_REPL();
                    i++;
                } else {
                    EMIT_REPL();
                    i = len;
                }
            }
        } else if ((b1 & 0xF8) == 0xF0) {
            if (i + 3 < len) {
                uint8_t b2 = s[i + 1], b3 = s[i + 2], b4 = s[i + 3];
                uint32_t cp = ((uint32_t)(b1 & 0x07) << 18) | ((uint32_t)(b2 & 0x3F) << 12) |
                              ((uint32_t)(b3 & 0x3F) << 6) | (b4 & 0x3F);
                if (!cont(b2) || !cont(b3) || !cont(b4) || cp < 0x10000 || cp > 0x10FFFF) {
                    EMIT_REPL();
                    if (b1 > 0xF4 || (b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF)) ||
                        (b1 == 0xF4 && (b2 & 0xF0) != 0x80) || !cont(b2))
                        i += 1;
                    else if (!cont(b3))
                        i += 2;
                    else
                        i += 3;
                } else {
                    memcpy(out + o, s + i, 4);
                    o += 4;
                    i += 4;
                }
            } else {
                uint8_t b2 = i + 1 < len ? s[i + 1] : 0;
                if (b1 > 0xF4 || (i + 1 < len && ((b1 == 0xF0 && (b2 < 0x90 || b2 > 0xBF)) ||
                                                  (b1 == 0xF4 && (b2 & 0xF0) != 0x80) || !cont(b2)))) {
                    EMIT_REPL();
                    i++;
                } else if (i + 2 < len && !cont(s[i + 2])) {
                    EMIT_REPL();
                    i += 2;
                } else {
                    EMIT_REPL();
                    i = len;
                }
            }
        } else {
            EMIT_REPL();
            i++;
        }
    }
#undef EMIT_REPL
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return (char *)out;
}

char *kc_utf8_encode_java(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        const uint8_t *p = (const uint8_t *)s + i;
        if (p[0] == 0xED && i + 2 < len && p[1] >= 0xA0 && p[1] <= 0xBF && cont(p[2])) {
            out[o++] = '?';
            i += 3;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}
