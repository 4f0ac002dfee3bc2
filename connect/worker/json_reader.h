/*
 * A JSON reader with the behaviour of Jackson's ObjectMapper.readTree as Kafka Connect's
 * JsonConverter configures it (USE_BIG_DECIMAL_FOR_FLOATS, ALLOW_LEADING_ZEROS_FOR_NUMBERS,
 * default StreamReadConstraints; spec/connect-storage-formats.md §1.5):
 *   - only the first JSON value is read; what follows it is ignored, except that a number at the
 *     top level must be followed by whitespace or the end ("1x" is an error, "[1]x" is not);
 *   - empty or whitespace-only input has no value (*out is NULL, like Jackson's MissingNode);
 *   - a leading UTF-8 BOM is skipped;
 *   - leading zeros are accepted (007 is 7); integers are int64 (wider literals keep their low 64
 *     bits), numbers with '.' or an exponent are exact decimals read as double where a double is
 *     asked for (-0.0 reads as 0.0: BigDecimal has no negative zero);
 *   - strict otherwise: no NaN, comments, single quotes, trailing commas, raw control characters
 *     in strings, unknown escapes; true/false/null followed by a letter, digit or '_' is an error;
 *   - duplicate object keys: the last value wins, at the position of the first;
 *   - escaped surrogate pairs combine into one code point (4-byte UTF-8); an unpaired escaped
 *     surrogate is kept as its 3-byte encoding (the writer escapes it back as Java does);
 *   - raw input must be valid UTF-8 (Jackson 2.21 also rejects raw surrogates; kconnect also
 *     rejects the overlong forms Jackson lets through).
 * Limits (kc_json_limits, defaults in brackets): document size [64 MiB], nesting depth [1000],
 * number length [1000 digits, counted as Jackson does: sign, point, exponent marker and leading
 * zeros excluded], string length [20,000,000 UTF-16 units], member name length [50,000 units].
 * Errors name the line, column (in bytes, 1-based) and byte offset of the problem.
 *
 * Two results: a read-only tree (kc_json_node, what JsonConverter walks with a schema) and a
 * schemaless kc_value (what JsonConverter returns without a schema: objects become maps with
 * string keys in java.util.HashMap iteration order, since Java rebuilds every map as a HashMap).
 * Threads: no shared state; any thread.
 */
#ifndef KC_WORKER_JSON_READER_H
#define KC_WORKER_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"
#include "connect/api/error.h"

typedef struct kc_json_limits {
    size_t max_bytes;
    int max_depth;
    size_t max_number_len;
    size_t max_string_len;
    size_t max_name_len;
} kc_json_limits;

/* The defaults listed above. */
kc_json_limits kc_json_default_limits(void);

typedef enum kc_json_type {
    KC_JSON_NULL = 0,
    KC_JSON_BOOL,
    KC_JSON_INT,     /* integer literal (IntNode / LongNode / BigIntegerNode) */
    KC_JSON_DECIMAL, /* literal with '.' or exponent (DecimalNode) */
    KC_JSON_STRING,
    KC_JSON_ARRAY,
    KC_JSON_OBJECT
} kc_json_type;

/* A parsed node. Read-only for users; owned by the tree root. */
typedef struct kc_json_node kc_json_node;
struct kc_json_node {
    kc_json_type type;
    bool boolean;            /* BOOL */
    /* Numbers: the literal (without leading '+', with any leading zeros) and derived values. */
    char *text;              /* numbers: literal; STRING: UTF-8 content (NUL-terminated) */
    size_t text_len;
    int64_t as_long;         /* JsonNode.longValue(): low 64 bits of the integer part */
    double as_double;        /* JsonNode.doubleValue() */
    bool is_int;             /* JsonNode.isInt(): an integer literal that fits in 32 bits */
    bool is_long;            /* an integer literal that fits in 64 bits */
    /* ARRAY elements / OBJECT member values, and OBJECT member names (unique, in order). */
    kc_json_node **items;
    char **keys;
    size_t *key_lens;
    size_t count;
};

/* Parses data[0..len). *out gets a new tree (free with kc_json_node_free), or NULL when the input
 * holds no value. limits may be NULL for the defaults. -1 with err (KC_ERR_INVALID) on bad input. */
int kc_json_parse(const void *data, size_t len, const kc_json_limits *limits, kc_json_node **out,
                  kc_error *err);
void kc_json_node_free(kc_json_node *node);

/* The value of member key in an object node, NULL when absent or node is not an object. */
const kc_json_node *kc_json_object_get(const kc_json_node *node, const char *key);
/* Jackson's JsonNodeType name for messages: "NULL", "BOOLEAN", "NUMBER", "STRING", "ARRAY",
 * "OBJECT" (and "MISSING" for NULL). */
const char *kc_json_node_type_name(const kc_json_node *node);
/* Jackson's numeric accessors on any node (0 for non-numbers, as JsonNode does). */
int32_t kc_json_node_int_value(const kc_json_node *node);
float kc_json_node_float_value(const kc_json_node *node);
/* JsonNode.decimalValue() of a number node: a new KC_VALUE_DECIMAL, NULL on OOM. */
kc_value *kc_json_node_decimal_value(const kc_json_node *node);

/* The schemaless Connect value of a node (JsonConverter.convertToConnect with no schema): null,
 * boolean, int64, float64, string, array, map (Java HashMap order). *out is new (NULL for null).
 * -1 with err when out of memory. */
int kc_json_node_to_value(const kc_json_node *node, kc_value **out, kc_error *err);

/* Parse and convert in one step. *out is NULL for null or no value. */
int kc_json_parse_value(const void *data, size_t len, const kc_json_limits *limits, kc_value **out,
                        kc_error *err);

#endif
