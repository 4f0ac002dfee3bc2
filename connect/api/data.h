/*
 * Kafka Connect's data model: schemas and values (org.apache.kafka.connect.data).
 *
 * Schemas (kc_schema)
 *   Immutable once built and reference-counted (atomic counts), so one schema may be shared by any
 *   number of values, converters and threads. Every function that returns a `const kc_schema *`
 *   says whether the reference is new (the caller releases it with kc_schema_unref) or borrowed.
 *   The predefined schemas (kc_schema_int32(), kc_schema_optional_string(), kc_schema_date(), ...)
 *   are static: ref/unref on them are no-ops, so they can be treated like any other schema.
 *   Schemas are built with a kc_schema_builder (Java's SchemaBuilder). The builder keeps the first
 *   error it meets (Java's SchemaBuilderException text) and kc_schema_builder_build reports it, so a
 *   schema can be written as a sequence of calls with one error check at the end.
 *
 * Values (kc_value)
 *   A tagged value, owned by exactly one owner (the caller, or the container it was put into) and
 *   used by one thread at a time. Every value is a heap node except null: kc_value_null() is a
 *   static singleton that kc_value_free ignores. Wherever a `const kc_value *` is accepted, a NULL
 *   pointer means the null value too. Containers never hold NULL pointers; they hold the null
 *   singleton, so getters return NULL only for "absent" (an index out of range, a missing key).
 *   Values inside a container are borrowed through `const` pointers and cannot be changed in place.
 *   Ownership suffixes follow jansson: a function ending in `_new` takes over the value it is given
 *   (and frees it when it fails); the same function without the suffix copies it.
 *
 *   Type mapping to Java (what ConnectSchema.validateValue expects for each schema):
 *     INT8..INT64, FLOAT32, FLOAT64, BOOLEAN   Byte, Short, Integer, Long, Float, Double, Boolean
 *     STRING   String (UTF-8 here, with its length; may contain NUL)
 *     BYTES    byte[] / ByteBuffer
 *     ARRAY    List            MAP   Map (ordered entries, keys of any type, unique by equality)
 *     STRUCT   Struct (bound to its struct schema)
 *     DECIMAL  java.math.BigDecimal: two's-complement big-endian unscaled value plus a scale; the
 *              value of the logical type Decimal
 *     TIMESTAMP java.util.Date: milliseconds since the epoch (UTC); the value of the logical types
 *              Date, Time and Timestamp
 *
 * Limits: containers and schemas nest at most KC_DATA_MAX_DEPTH levels (Jackson's nesting limit),
 * so every recursive walk is bounded.
 * Errors: where Java throws DataException or SchemaBuilderException, the kc_error message is Java's
 * text (code KC_ERR_INVALID); KC_ERR_INTERNAL means out of memory.
 */
#ifndef KC_API_DATA_H
#define KC_API_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"

#define KC_DATA_MAX_DEPTH 1000

#define KC_DECIMAL_LOGICAL_NAME "org.apache.kafka.connect.data.Decimal"
#define KC_DECIMAL_SCALE_FIELD "scale"
#define KC_DATE_LOGICAL_NAME "org.apache.kafka.connect.data.Date"
#define KC_TIME_LOGICAL_NAME "org.apache.kafka.connect.data.Time"
#define KC_TIMESTAMP_LOGICAL_NAME "org.apache.kafka.connect.data.Timestamp"
#define KC_MILLIS_PER_DAY 86400000LL

/* ---------------------------------------------------------------------------------------------
 * Schemas
 * ------------------------------------------------------------------------------------------- */

typedef enum kc_schema_type {
    KC_SCHEMA_INT8 = 0,
    KC_SCHEMA_INT16,
    KC_SCHEMA_INT32,
    KC_SCHEMA_INT64,
    KC_SCHEMA_FLOAT32,
    KC_SCHEMA_FLOAT64,
    KC_SCHEMA_BOOLEAN,
    KC_SCHEMA_STRING,
    KC_SCHEMA_BYTES,
    KC_SCHEMA_ARRAY,
    KC_SCHEMA_MAP,
    KC_SCHEMA_STRUCT
} kc_schema_type;

typedef struct kc_schema kc_schema;
typedef struct kc_field kc_field;
typedef struct kc_value kc_value;

/* Java's Schema.Type name ("INT8", "FLOAT64", "STRUCT"), as used in messages. Static string. */
const char *kc_schema_type_name(kc_schema_type type);

/* The predefined schemas (Schema.INT8_SCHEMA, Schema.OPTIONAL_INT8_SCHEMA, ..., Date.SCHEMA,
 * Time.SCHEMA, Timestamp.SCHEMA). Static; never NULL. */
const kc_schema *kc_schema_int8(void);
const kc_schema *kc_schema_int16(void);
const kc_schema *kc_schema_int32(void);
const kc_schema *kc_schema_int64(void);
const kc_schema *kc_schema_float32(void);
const kc_schema *kc_schema_float64(void);
const kc_schema *kc_schema_boolean(void);
const kc_schema *kc_schema_string(void);
const kc_schema *kc_schema_bytes(void);
const kc_schema *kc_schema_optional_int8(void);
const kc_schema *kc_schema_optional_int16(void);
const kc_schema *kc_schema_optional_int32(void);
const kc_schema *kc_schema_optional_int64(void);
const kc_schema *kc_schema_optional_float32(void);
const kc_schema *kc_schema_optional_float64(void);
const kc_schema *kc_schema_optional_boolean(void);
const kc_schema *kc_schema_optional_string(void);
const kc_schema *kc_schema_optional_bytes(void);
const kc_schema *kc_schema_date(void);      /* int32 "org.apache.kafka.connect.data.Date" v1 */
const kc_schema *kc_schema_time(void);      /* int32 "org.apache.kafka.connect.data.Time" v1 */
const kc_schema *kc_schema_timestamp(void); /* int64 "org.apache.kafka.connect.data.Timestamp" v1 */
/* The required primitive schema of a primitive type (kc_schema_int8() for INT8, ...); NULL for
 * ARRAY, MAP and STRUCT. */
const kc_schema *kc_schema_of_type(kc_schema_type type, bool optional);

/* Takes one more reference to s and returns it (s may be NULL). */
const kc_schema *kc_schema_ref(const kc_schema *s);
/* Releases one reference; the last one frees the schema. s may be NULL. */
void kc_schema_unref(const kc_schema *s);

/* Accessors. Strings and schemas returned are borrowed from s. */
kc_schema_type kc_schema_get_type(const kc_schema *s);
bool kc_schema_is_optional(const kc_schema *s);
const kc_value *kc_schema_get_default(const kc_schema *s); /* NULL when there is none */
const char *kc_schema_get_name(const kc_schema *s);        /* NULL when unset */
bool kc_schema_get_version(const kc_schema *s, int32_t *version); /* false when unset */
const char *kc_schema_get_doc(const kc_schema *s);         /* NULL when unset */
/* Parameters in insertion order. Java has either no map (count 0) or a non-empty one. */
size_t kc_schema_parameter_count(const kc_schema *s);
const char *kc_schema_parameter_key_at(const kc_schema *s, size_t i);
const char *kc_schema_parameter_value_at(const kc_schema *s, size_t i);
const char *kc_schema_parameter(const kc_schema *s, const char *key); /* NULL when absent */
/* Struct fields in order (0 for other types), a field by position or by name (NULL if none). */
size_t kc_schema_field_count(const kc_schema *s);
const kc_field *kc_schema_field_at(const kc_schema *s, size_t i);
const kc_field *kc_schema_field(const kc_schema *s, const char *name);
const char *kc_field_name(const kc_field *f);
int kc_field_index(const kc_field *f);
const kc_schema *kc_field_schema(const kc_field *f);
/* Key schema of a map, value schema of a map or an array. NULL for other types, and for the
 * schemas Values.parseString makes for a list or map of nulls. */
const kc_schema *kc_schema_key_schema(const kc_schema *s);
const kc_schema *kc_schema_value_schema(const kc_schema *s);

/* ConnectSchema.equals: deep comparison of every attribute (parameters compared as a map). Two
 * NULL schemas are equal. */
bool kc_schema_equals(const kc_schema *a, const kc_schema *b);

/* ConnectSchema.toString into buf: "Schema{name:TYPE}" or "Schema{TYPE}" ("null" for NULL). */
const char *kc_schema_to_string(const kc_schema *s, char *buf, size_t size);

/* ---- Builder (SchemaBuilder) ---------------------------------------------------------------- */

typedef struct kc_schema_builder kc_schema_builder;

/* A new builder, NULL only when out of memory (every builder function accepts NULL and fails, so
 * the out-of-memory error surfaces at build time). The array/map forms take a new reference to
 * the schemas they are given; a NULL schema records Java's "valueSchema cannot be null." error. */
kc_schema_builder *kc_schema_builder_new(kc_schema_type type);
kc_schema_builder *kc_schema_builder_struct(void);
kc_schema_builder *kc_schema_builder_array(const kc_schema *value_schema);
kc_schema_builder *kc_schema_builder_map(const kc_schema *key_schema, const kc_schema *value_schema);
/* Logical types: Decimal.builder(scale) (bytes, name, parameter scale, version 1), Date.builder(),
 * Time.builder(), Timestamp.builder(). */
kc_schema_builder *kc_schema_builder_decimal(int32_t scale);
kc_schema_builder *kc_schema_builder_date(void);
kc_schema_builder *kc_schema_builder_time(void);
kc_schema_builder *kc_schema_builder_timestamp(void);

/* Setters. Each returns 0, or -1 after recording the error in the builder (only the first error is
 * kept; after one, further calls do nothing and return -1). Strings are copied. */
int kc_schema_builder_optional(kc_schema_builder *b);
int kc_schema_builder_required(kc_schema_builder *b);
int kc_schema_builder_name(kc_schema_builder *b, const char *name);
int kc_schema_builder_version(kc_schema_builder *b, int32_t version);
int kc_schema_builder_doc(kc_schema_builder *b, const char *doc);
int kc_schema_builder_parameter(kc_schema_builder *b, const char *key, const char *value);
/* Adds a struct field; takes a new reference to schema. */
int kc_schema_builder_field(kc_schema_builder *b, const char *name, const kc_schema *schema);
/* Sets the default value after validating it against the schema built so far (Java: "Invalid
 * default value"). kc_schema_builder_default copies value; _default_new takes it (freed on error). */
int kc_schema_builder_default(kc_schema_builder *b, const kc_value *value);
int kc_schema_builder_default_new(kc_schema_builder *b, kc_value *value);
/* The first error recorded, or NULL. Borrowed. */
const kc_error *kc_schema_builder_error(const kc_schema_builder *b);

/* Builds the schema and frees the builder (always, also on failure). Returns a new reference, or
 * NULL with err set to the first recorded error. */
const kc_schema *kc_schema_builder_build(kc_schema_builder *b, kc_error *err);
/* Builds a schema from the builder's current state and keeps the builder. New reference or NULL. */
const kc_schema *kc_schema_builder_snapshot(const kc_schema_builder *b, kc_error *err);
/* Frees a builder that will not be built. b may be NULL. */
void kc_schema_builder_free(kc_schema_builder *b);

/* Decimal.schema(scale): a new reference, NULL when out of memory. */
const kc_schema *kc_schema_decimal(int32_t scale);

/* ---------------------------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------------------------- */

typedef enum kc_value_type {
    KC_VALUE_NULL = 0,
    KC_VALUE_INT8,
    KC_VALUE_INT16,
    KC_VALUE_INT32,
    KC_VALUE_INT64,
    KC_VALUE_FLOAT32,
    KC_VALUE_FLOAT64,
    KC_VALUE_BOOLEAN,
    KC_VALUE_STRING,
    KC_VALUE_BYTES,
    KC_VALUE_ARRAY,
    KC_VALUE_MAP,
    KC_VALUE_STRUCT,
    KC_VALUE_DECIMAL,
    KC_VALUE_TIMESTAMP
} kc_value_type;

/* The name of the Java class a value of this type stands for, as Class.toString prints it
 * ("class java.lang.Integer", "class [B"). Static string. */
const char *kc_value_type_java_class(kc_value_type type);

/* Constructors: a new value the caller frees with kc_value_free, or NULL when out of memory.
 * kc_value_null() is the static null value (never NULL, freeing it does nothing). */
kc_value *kc_value_null(void);
kc_value *kc_value_int8(int8_t v);
kc_value *kc_value_int16(int16_t v);
kc_value *kc_value_int32(int32_t v);
kc_value *kc_value_int64(int64_t v);
kc_value *kc_value_float32(float v);
kc_value *kc_value_float64(double v);
kc_value *kc_value_boolean(bool v);
kc_value *kc_value_string(const char *s);                 /* copies the NUL-terminated s */
kc_value *kc_value_string_len(const char *s, size_t len); /* copies len bytes (s may hold NUL) */
kc_value *kc_value_bytes(const void *data, size_t len);   /* copies; data may be NULL if len 0 */
kc_value *kc_value_array_new(void);
kc_value *kc_value_map_new(void);
/* A struct with every field null (Java: new Struct(schema)); takes a new reference to schema.
 * NULL with "Not a struct schema: ..." when schema is not a struct. */
kc_value *kc_value_struct_new(const kc_schema *schema, kc_error *err);
/* A BigDecimal from its two's-complement big-endian unscaled value (copied; len >= 1) and scale. */
kc_value *kc_value_decimal(const void *unscaled, size_t len, int32_t scale);
/* A BigDecimal from an int64 unscaled value and a scale (BigDecimal.valueOf(unscaled, scale)). */
kc_value *kc_value_decimal_from_int64(int64_t unscaled, int32_t scale);
/* new BigDecimal(text): "-12.340", "1E+3", "5e-2". NULL with err on a malformed number. */
kc_value *kc_value_decimal_parse(const char *text, size_t len, kc_error *err);
/* A java.util.Date holding epoch milliseconds (the value of Date, Time and Timestamp schemas). */
kc_value *kc_value_timestamp(int64_t epoch_millis);

/* Frees v and everything it contains. v may be NULL or the null singleton. */
void kc_value_free(kc_value *v);
/* A deep copy (structs share their schema by reference). NULL when out of memory. */
kc_value *kc_value_copy(const kc_value *v);
/* Deep equality with Java's equals semantics: types must match (an int32 1 is not an int64 1),
 * floating point compares bit patterns (NaN equals NaN, 0.0 differs from -0.0), a BigDecimal's
 * scale counts (2.0 != 2.00), maps compare as sets of entries, structs by schema and fields. */
bool kc_value_equals(const kc_value *a, const kc_value *b);

/* Accessors. On a value of another type the number getters return 0 and the pointer getters NULL. */
kc_value_type kc_value_get_type(const kc_value *v); /* KC_VALUE_NULL for NULL */
bool kc_value_is_null(const kc_value *v);
int8_t kc_value_get_int8(const kc_value *v);
int16_t kc_value_get_int16(const kc_value *v);
int32_t kc_value_get_int32(const kc_value *v);
int64_t kc_value_get_int64(const kc_value *v);
float kc_value_get_float32(const kc_value *v);
double kc_value_get_float64(const kc_value *v);
bool kc_value_get_boolean(const kc_value *v);
/* String bytes (NUL-terminated; len may be NULL) and bytes. Borrowed from v. */
const char *kc_value_get_string(const kc_value *v, size_t *len);
const uint8_t *kc_value_get_bytes(const kc_value *v, size_t *len);
/* Decimal parts (borrowed) and timestamp milliseconds. */
const uint8_t *kc_value_decimal_unscaled(const kc_value *v, size_t *len);
int32_t kc_value_decimal_scale(const kc_value *v);
int64_t kc_value_get_timestamp(const kc_value *v);
/* BigDecimal.toString() (scientific notation when the exponent is below -6, "1E+3" for negative
 * scales). A new string to free(), NULL when out of memory or v is not a decimal. */
char *kc_value_decimal_to_string(const kc_value *v);

/* ---- Arrays --------------------------------------------------------------------------------- */

size_t kc_value_array_size(const kc_value *arr);
const kc_value *kc_value_array_get(const kc_value *arr, size_t i); /* NULL when out of range */
/* Appends item (NULL pointer = null). 0, or -1 when out of memory, arr is not an array, or the
 * result would nest deeper than KC_DATA_MAX_DEPTH. _new takes item (freed on failure). */
int kc_value_array_append(kc_value *arr, const kc_value *item);
int kc_value_array_append_new(kc_value *arr, kc_value *item);

/* ---- Maps ----------------------------------------------------------------------------------- */

/* Entries keep insertion order; putting a key that is already present replaces its value in place
 * (LinkedHashMap). Lookups are hashed once a map grows past a few entries. */
size_t kc_value_map_size(const kc_value *map);
const kc_value *kc_value_map_key_at(const kc_value *map, size_t i);
const kc_value *kc_value_map_value_at(const kc_value *map, size_t i);
const kc_value *kc_value_map_get(const kc_value *map, const kc_value *key); /* NULL if absent */
const kc_value *kc_value_map_get_str(const kc_value *map, const char *key); /* string key */
/* Put key -> value. 0, or -1 (out of memory, not a map, too deep); _new takes both (freed on
 * failure), the plain form copies both. _str makes a string key from a C string. */
int kc_value_map_put(kc_value *map, const kc_value *key, const kc_value *value);
int kc_value_map_put_new(kc_value *map, kc_value *key, kc_value *value);
int kc_value_map_put_str(kc_value *map, const char *key, const kc_value *value);
int kc_value_map_put_str_new(kc_value *map, const char *key, kc_value *value);

/* ---- Structs -------------------------------------------------------------------------------- */

const kc_schema *kc_value_struct_schema(const kc_value *st); /* borrowed */
/* Struct.get: the field's value, or its schema default when the value is null. Returns the null
 * singleton for null, NULL when the name is not a field (err: "x is not a valid field name"). */
const kc_value *kc_value_struct_get(const kc_value *st, const char *field, kc_error *err);
const kc_value *kc_value_struct_get_without_default(const kc_value *st, const char *field,
                                                    kc_error *err);
const kc_value *kc_value_struct_get_at(const kc_value *st, size_t index); /* without default */
/* Struct.put: validates value against the field's schema (ConnectSchema.validateValue, Java's
 * messages) and stores it. _new takes value (freed on failure); the plain form copies it. */
int kc_value_struct_put(kc_value *st, const char *field, const kc_value *value, kc_error *err);
int kc_value_struct_put_new(kc_value *st, const char *field, kc_value *value, kc_error *err);
int kc_value_struct_put_at_new(kc_value *st, size_t index, kc_value *value, kc_error *err);
/* Struct.validate: every required field without default has a valid value. */
int kc_value_struct_validate(const kc_value *st, kc_error *err);

/* ConnectSchema.validateValue(field, schema, value): field names the location in messages (NULL
 * means "value"). 0 or -1 with Java's message. */
int kc_value_validate(const kc_schema *schema, const kc_value *value, const char *field,
                      kc_error *err);

/* ---- Schema and value (SchemaAndValue) ------------------------------------------------------ */

/* Both members owned by the holder: schema is a reference (NULL = no schema), value a value
 * (NULL = null). */
typedef struct kc_schema_and_value {
    const kc_schema *schema;
    kc_value *value;
} kc_schema_and_value;

/* Releases the schema reference and frees the value; leaves both NULL. sv may be NULL. */
void kc_schema_and_value_clear(kc_schema_and_value *sv);

/* ---- Logical types (Decimal, Date, Time, Timestamp) ----------------------------------------- */

/* The scale parameter of a Decimal schema ("Invalid Decimal schema: scale parameter not found."). */
int kc_decimal_scale(const kc_schema *schema, int32_t *scale, kc_error *err);
/* Decimal.fromLogical: checks the value's scale against the schema and returns the unscaled
 * two's-complement bytes, borrowed from value. */
int kc_decimal_from_logical(const kc_schema *schema, const kc_value *value, const uint8_t **bytes,
                            size_t *len, kc_error *err);
/* Decimal.toLogical: a new BigDecimal from unscaled bytes ("Zero length BigInteger" when empty). */
kc_value *kc_decimal_to_logical(const kc_schema *schema, const void *bytes, size_t len,
                                kc_error *err);
/* Date/Time/Timestamp fromLogical (a java.util.Date to days / millis of day / epoch millis) and
 * toLogical (the reverse, a new value), with Java's checks and messages. */
int kc_date_from_logical(const kc_schema *schema, const kc_value *value, int32_t *days,
                         kc_error *err);
kc_value *kc_date_to_logical(const kc_schema *schema, int32_t days, kc_error *err);
int kc_time_from_logical(const kc_schema *schema, const kc_value *value, int32_t *millis,
                         kc_error *err);
kc_value *kc_time_to_logical(const kc_schema *schema, int32_t millis, kc_error *err);
int kc_timestamp_from_logical(const kc_schema *schema, const kc_value *value, int64_t *millis,
                              kc_error *err);
kc_value *kc_timestamp_to_logical(const kc_schema *schema, int64_t millis, kc_error *err);

/* ---- Java behaviour that bytes depend on ---------------------------------------------------- */

/* Object.hashCode of v as Java computes it (String.hashCode over UTF-16 units, Long.hashCode,
 * List/Map/BigDecimal/Date hash codes). Returns -1 for values whose Java hash is an identity hash
 * (bytes) or not reproduced (structs). */
int kc_value_java_hash(const kc_value *v, int32_t *hash);
/* Reorders map's entries into the iteration order of a java.util.HashMap built by putting them,
 * in their current order, into an empty HashMap (what JsonConverter does when it reads a map).
 * Writers of offsets keys call it before converting a partition map, so that the key bytes equal
 * what a Java worker writes (spec/connect-storage-formats.md §1.4).
 * Leaves the order alone and returns -1 when a key has no reproducible hash (see above); 0 else.
 * Not reproduced: the order inside a bin that Java turned into a tree (9+ colliding keys in a
 * table of 64+ buckets); such bins keep insertion order. */
int kc_value_map_to_java_hashmap_order(kc_value *map);
/* Object.toString of v: "42", "1.0E7", "[1, 2]", "{a=1}", "Struct{a=1}", BigDecimal and
 * Date.toString (in UTC). A new string to free() (*len gets its length), or NULL with err.
 * Bytes have no meaningful Java text (an identity hash "[B@1b6d3586"): with strict set they are
 * an error, otherwise they print as "[B@" plus their length in hex. */
char *kc_value_to_java_string(const kc_value *v, bool strict, size_t *len, kc_error *err);
/* Java's Float.toString / Double.toString (shortest digits that round-trip, JDK 19+ rules; see
 * spec/connect-storage-formats.md §1.3) into buf, which needs 32 bytes. Returns the length. */
size_t kc_java_double_to_string(double d, char *buf);
size_t kc_java_float_to_string(float f, char *buf);

#endif
