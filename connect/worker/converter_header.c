/*
 * org.apache.kafka.connect.storage.SimpleHeaderConverter: header values as the text of
 * Values.convertToString, read back with Values.parseString (connect/api/values.h). Text that
 * Java cannot parse comes back as a string; if parsing fails otherwise, Java logs a warning and
 * returns the raw bytes with a bytes schema, and so does kconnect.
 */
#include <stdlib.h>
#include <string.h>

#include "connect/api/values.h"
#include "connect/worker/converters.h"

static int simple_header_dummy;

static void *simple_header_create(const kc_props *config, kc_converter_type type, kc_error *err)
{
    (void)config;
    (void)type;
    (void)err;
    return &simple_header_dummy; /* no settings, no state */
}

static void simple_header_destroy(void *state) { (void)state; }

static int simple_header_from(void *state, const char *topic, const char *header_key,
                              const kc_schema *schema, const kc_value *value, void **out,
                              size_t *out_len, kc_error *err)
{
    (void)state;
    (void)topic;
    (void)header_key;
    if (kc_value_is_null(value))
        return 0;
    char *text;
    size_t n;
    if (kc_values_convert_to_string(schema, value, &text, &n, err) != 0)
        return -1;
    char *bytes = kc_utf8_encode_java(text, n, out_len);
    free(text);
    if (!bytes)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting a header");
    *out = bytes;
    return 0;
}

static int simple_header_to(void *state, const char *topic, const char *header_key,
                            const void *data, size_t len, kc_schema_and_value *out, kc_error *err)
{
    (void)state;
    out->schema = NULL;
    out->value = NULL;
    if (!data)
        return 0;
    size_t n;
    char *text = kc_utf8_decode_lenient(data, len, &n);
    if (!text)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting a header");
    kc_error e;
    int rc = kc_values_parse_string(text, n, out, &e);
    free(text);
    if (rc == 0)
        return 0;
    if (e.code == KC_ERR_INTERNAL) {
        if (err)
            *err = e;
        return kc_error_prefix(err, "Failed to deserialize value for header '%s' on topic '%s'",
                               header_key ? header_key : "null", topic ? topic : "null");
    }
    /* Java: "Failed to deserialize value for header ..., so using byte array". */
    out->schema = kc_schema_bytes();
    out->value = kc_value_bytes(data, len);
    return out->value ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory converting a header");
}

const kc_converter_ops kc_converter_simple_header_ops = {
    .class_name = "org.apache.kafka.connect.storage.SimpleHeaderConverter",
    .is_converter = false,
    .is_header_converter = true,
    .create = simple_header_create,
    .destroy = simple_header_destroy,
    .from_connect_header = simple_header_from,
    .to_connect_header = simple_header_to,
};
