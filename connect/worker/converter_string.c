/*
 * org.apache.kafka.connect.storage.StringConverter and
 * org.apache.kafka.connect.converters.ByteArrayConverter.
 *
 * StringConverter writes value.toString() in converter.encoding (UTF-8 by default; kconnect also
 * supports US-ASCII and ISO-8859-1, where Java replaces unmappable characters with '?') and reads
 * bytes as an optional string (malformed input replaced by U+FFFD, as Java's decoder does).
 * Deviation: a bytes value is refused instead of written as Java's meaningless "[B@1b6d3586".
 * ByteArrayConverter passes bytes through with an optional bytes schema.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/worker/converters.h"

typedef enum { ENC_UTF8, ENC_LATIN1, ENC_ASCII } encoding;

typedef struct string_conv {
    encoding enc;
} string_conv;

static void *string_create(const kc_props *config, kc_converter_type type, kc_error *err)
{
    (void)type;
    const char *name = config ? kc_props_get(config, "converter.encoding") : NULL;
    encoding enc = ENC_UTF8;
    if (name) {
        static const struct {
            const char *name;
            encoding enc;
        } known[] = {
            {"UTF-8", ENC_UTF8},           {"UTF8", ENC_UTF8},         {"ISO-8859-1", ENC_LATIN1},
            {"ISO8859-1", ENC_LATIN1},     {"ISO8859_1", ENC_LATIN1},  {"ISO_8859_1", ENC_LATIN1},
            {"latin1", ENC_LATIN1},        {"US-ASCII", ENC_ASCII},    {"ASCII", ENC_ASCII},
        };
        bool found = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            if (strcasecmp(name, known[i].name) == 0) {
                enc = known[i].enc;
                found = true;
            }
        }
        if (!found) {
            kc_error_set(err, KC_ERR_INVALID,
                         "Unsupported encoding %s for converter.encoding (kconnect's "
                         "StringConverter supports UTF-8, US-ASCII and ISO-8859-1)",
                         name);
            return NULL;
        }
    }
    string_conv *sc = calloc(1, sizeof *sc);
    if (!sc) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory creating StringConverter");
        return NULL;
    }
    sc->enc = enc;
    return sc;
}

static void string_destroy(void *state) { free(state); }

/* UTF-8 text to a single-byte charset: code points above max become '?'. */
static char *encode_single_byte(const char *s, size_t n, unsigned max, size_t *out_len)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        unsigned cp = c;
        if (len == 2 && i + 1 < n)
            cp = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
        if (len > 1 && cp <= max && len == 2)
            out[o++] = (char)cp;
        else if (len == 1)
            out[o++] = (char)c;
        else
            out[o++] = '?'; /* Java writes one '?' per unmappable character */
        i += len;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static int string_from_connect(void *state, const char *topic, const kc_schema *schema,
                               const kc_value *value, void **out, size_t *out_len, kc_error *err)
{
    (void)topic;
    (void)schema;
    const string_conv *sc = state;
    if (kc_value_is_null(value))
        return 0;
    size_t n;
    char *text;
    if (kc_value_get_type(value) == KC_VALUE_STRING) {
        const char *s = kc_value_get_string(value, &n);
        text = malloc(n + 1);
        if (text)
            memcpy(text, s, n + 1);
    } else {
        kc_error e;
        text = kc_value_to_java_string(value, true, &n, &e);
        if (!text) {
            if (err)
                *err = e;
            return kc_error_prefix(err, "Failed to serialize to a string");
        }
    }
    if (!text)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting to a string");
    char *bytes;
    if (sc->enc == ENC_UTF8)
        bytes = kc_utf8_encode_java(text, n, out_len);
    else
        bytes = encode_single_byte(text, n, sc->enc == ENC_LATIN1 ? 0xFF : 0x7F, out_len);
    free(text);
    if (!bytes)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting to a string");
    *out = bytes;
    return 0;
}

static int string_to_connect(void *state, const char *topic, const void *data, size_t len,
                             kc_schema_and_value *out, kc_error *err)
{
    (void)topic;
    const string_conv *sc = state;
    out->schema = kc_schema_optional_string();
    out->value = NULL;
    if (!data)
        return 0;
    char *text;
    size_t n;
    if (sc->enc == ENC_UTF8) {
        text = kc_utf8_decode_lenient(data, len, &n);
    } else {
        /* Latin-1 maps bytes to U+0000..U+00FF; ASCII maps bytes above 0x7F to U+FFFD. */
        const unsigned char *p = data;
        text = malloc(len * 3 + 1);
        n = 0;
        for (size_t i = 0; text && i < len; i++) {
            if (p[i] < 0x80) {
                text[n++] = (char)p[i];
            } else if (sc->enc == ENC_LATIN1) {
                text[n++] = (char)(0xC0 | (p[i] >> 6));
                text[n++] = (char)(0x80 | (p[i] & 0x3F));
            } else {
                memcpy(text + n, "\xEF\xBF\xBD", 3);
                n += 3;
            }
        }
        if (text)
            text[n] = '\0';
    }
    if (!text)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting from a string");
    out->value = kc_value_string_len(text, n);
    free(text);
    if (!out->value)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting from a string");
    return 0;
}

/* StringConverterConfig and ByteArrayConverter's config of Kafka 4.3.1. */
static const kc_config_key string_keys[] = {
    KC_CONFIG_KEY("converter.type", KC_CONFIG_STRING, .validator = KC_CONFIG_IN("key", "value", "header"),
                  .importance = KC_CONFIG_LOW, .documentation = "How this converter will be used."),
    KC_CONFIG_KEY("converter.encoding", KC_CONFIG_STRING, .default_value = "UTF-8", .importance = KC_CONFIG_HIGH,
                  .documentation = "The name of the Java character set to use for encoding strings as byte arrays.",
                  .width = KC_CONFIG_WIDTH_MEDIUM, .display_name = "Encoding"),
};

static const kc_config_key byte_array_keys[] = {
    KC_CONFIG_KEY("converter.type", KC_CONFIG_STRING, .validator = KC_CONFIG_IN("key", "value", "header"),
                  .importance = KC_CONFIG_LOW, .documentation = "How this converter will be used."),
};

const kc_converter_ops kc_converter_string_ops = {
    .class_name = "org.apache.kafka.connect.storage.StringConverter",
    .config = string_keys,
    .config_count = sizeof string_keys / sizeof string_keys[0],
    .is_converter = true,
    .is_header_converter = true,
    .create = string_create,
    .destroy = string_destroy,
    .from_connect = string_from_connect,
    .to_connect = string_to_connect,
};

/* ---- ByteArrayConverter --------------------------------------------------------------------- */

static int byte_array_dummy;

static void *byte_array_create(const kc_props *config, kc_converter_type type, kc_error *err)
{
    (void)config;
    (void)type;
    (void)err;
    return &byte_array_dummy; /* stateless */
}

static void byte_array_destroy(void *state) { (void)state; }

static int byte_array_from_connect(void *state, const char *topic, const kc_schema *schema,
                                   const kc_value *value, void **out, size_t *out_len,
                                   kc_error *err)
{
    (void)state;
    (void)topic;
    if (schema && kc_schema_get_type(schema) != KC_SCHEMA_BYTES)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid schema type for ByteArrayConverter: %s",
                            kc_schema_type_name(kc_schema_get_type(schema)));
    if (!kc_value_is_null(value) && kc_value_get_type(value) != KC_VALUE_BYTES)
        return kc_error_set(err, KC_ERR_INVALID,
                            "ByteArrayConverter is not compatible with objects of type %s",
                            kc_value_type_java_class(kc_value_get_type(value)));
    if (kc_value_is_null(value))
        return 0;
    size_t n;
    const uint8_t *b = kc_value_get_bytes(value, &n);
    void *copy = malloc(n ? n : 1);
    if (!copy)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory copying bytes");
    if (n)
        memcpy(copy, b, n);
    *out = copy;
    *out_len = n;
    return 0;
}

static int byte_array_to_connect(void *state, const char *topic, const void *data, size_t len,
                                 kc_schema_and_value *out, kc_error *err)
{
    (void)state;
    (void)topic;
    out->schema = kc_schema_optional_bytes();
    out->value = NULL;
    if (!data)
        return 0;
    out->value = kc_value_bytes(data, len);
    return out->value ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory copying bytes");
}

const kc_converter_ops kc_converter_byte_array_ops = {
    .class_name = "org.apache.kafka.connect.converters.ByteArrayConverter",
    .config = byte_array_keys,
    .config_count = sizeof byte_array_keys / sizeof byte_array_keys[0],
    .is_converter = true,
    .is_header_converter = true,
    .create = byte_array_create,
    .destroy = byte_array_destroy,
    .from_connect = byte_array_from_connect,
    .to_connect = byte_array_to_connect,
};
