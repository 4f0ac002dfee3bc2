/*
 * The Connect data model (schemas, values, logical types, Java's hashing/ordering/printing), the
 * JSON writer and reader, and Values (SimpleHeaderConverter's text form).
 *
 * Expected texts marked "Java" came from running the Java classes themselves (connect-api and
 * connect-json 4.3.1 with Jackson 2.21, JDK 17, time zone UTC) in a throwaway program outside the
 * repository: Double/Float.toString (only values where JDK 17 already prints the shortest digits),
 * String.hashCode, HashMap iteration order, BigDecimal, DataException/SchemaBuilderException
 * messages, JsonConverter's reader results and Values.parseString.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/data.h"
#include "connect/api/values.h"
#include "connect/worker/json_reader.h"
#include "connect/worker/json_writer.h"
#include "kc_test.h"

static const kc_schema *build(kc_schema_builder *b)
{
    kc_error err;
    const kc_schema *s = kc_schema_builder_build(b, &err);
    if (!s)
        fprintf(stderr, "build: %s\n", err.msg);
    CU_ASSERT_FATAL(s != NULL);
    return s;
}

/* Java's Object.toString of v, for compact expectations. */
static void expect_java_string(const kc_value *v, const char *want)
{
    kc_error err;
    char *s = kc_value_to_java_string(v, false, NULL, &err);
    CU_ASSERT_FATAL(s != NULL);
    if (strcmp(s, want) != 0)
        fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, s);
    CU_ASSERT_STRING_EQUAL(s, want);
    free(s);
}

/* ---- Schemas -------------------------------------------------------------------------------- */

static void test_schema_predefined(void)
{
    CU_ASSERT(kc_schema_get_type(kc_schema_int8()) == KC_SCHEMA_INT8);
    CU_ASSERT(!kc_schema_is_optional(kc_schema_string()));
    CU_ASSERT(kc_schema_is_optional(kc_schema_optional_bytes()));
    CU_ASSERT(kc_schema_of_type(KC_SCHEMA_FLOAT64, true) == kc_schema_optional_float64());
    CU_ASSERT(kc_schema_of_type(KC_SCHEMA_STRUCT, false) == NULL);
    int32_t version = 0;
    CU_ASSERT(kc_schema_get_version(kc_schema_date(), &version) && version == 1);
    CU_ASSERT_STRING_EQUAL(kc_schema_get_name(kc_schema_timestamp()), KC_TIMESTAMP_LOGICAL_NAME);
    CU_ASSERT(!kc_schema_get_version(kc_schema_int32(), NULL));
    /* Built equals predefined (ConnectSchema.equals). */
    const kc_schema *d = build(kc_schema_builder_date());
    CU_ASSERT(kc_schema_equals(d, kc_schema_date()));
    CU_ASSERT(!kc_schema_equals(d, kc_schema_time()));
    kc_schema_unref(d);
    char buf[128];
    CU_ASSERT_STRING_EQUAL(kc_schema_to_string(kc_schema_int32(), buf, sizeof buf), "Schema{INT32}");
    CU_ASSERT_STRING_EQUAL(kc_schema_to_string(kc_schema_date(), buf, sizeof buf),
                           "Schema{org.apache.kafka.connect.data.Date:INT32}");
    CU_ASSERT_STRING_EQUAL(kc_schema_type_name(KC_SCHEMA_FLOAT64), "FLOAT64");
    /* Static schemas ignore reference counting. */
    kc_schema_unref(kc_schema_ref(kc_schema_string()));
}

static void test_schema_builder(void)
{
    const kc_schema *dec = kc_schema_decimal(5);
    CU_ASSERT_STRING_EQUAL(kc_schema_parameter(dec, KC_DECIMAL_SCALE_FIELD), "5");
    int32_t scale = 0;
    kc_error err;
    CU_ASSERT(kc_decimal_scale(dec, &scale, &err) == 0 && scale == 5);

    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_name(b, "com.example.Value");
    kc_schema_builder_doc(b, "a doc");
    kc_schema_builder_version(b, 7);
    kc_schema_builder_parameter(b, "b", "2");
    kc_schema_builder_parameter(b, "a", "1");
    kc_schema_builder_parameter(b, "b", "3"); /* replaced in place */
    kc_schema_builder_field(b, "id", kc_schema_int64());
    kc_schema_builder_field(b, "amount", dec);
    kc_schema_builder_optional(b);
    const kc_schema *s = build(b);
    kc_schema_unref(dec); /* s keeps its own reference */
    CU_ASSERT(kc_schema_get_type(s) == KC_SCHEMA_STRUCT);
    CU_ASSERT(kc_schema_is_optional(s));
    CU_ASSERT_STRING_EQUAL(kc_schema_get_doc(s), "a doc");
    CU_ASSERT(kc_schema_parameter_count(s) == 2);
    CU_ASSERT_STRING_EQUAL(kc_schema_parameter_key_at(s, 0), "b");
    CU_ASSERT_STRING_EQUAL(kc_schema_parameter_value_at(s, 0), "3");
    CU_ASSERT(kc_schema_field_count(s) == 2);
    const kc_field *f = kc_schema_field(s, "amount");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(kc_field_index(f) == 1);
    CU_ASSERT_STRING_EQUAL(kc_schema_get_name(kc_field_schema(f)), KC_DECIMAL_LOGICAL_NAME);
    CU_ASSERT(kc_schema_field(s, "missing") == NULL);
    CU_ASSERT(kc_schema_field_at(s, 2) == NULL);

    /* Parameters compare as a map; field order matters. */
    kc_schema_builder *b2 = kc_schema_builder_struct();
    kc_schema_builder_name(b2, "com.example.Value");
    kc_schema_builder_doc(b2, "a doc");
    kc_schema_builder_version(b2, 7);
    kc_schema_builder_parameter(b2, "a", "1");
    kc_schema_builder_parameter(b2, "b", "3");
    kc_schema_builder_field(b2, "id", kc_schema_int64());
    const kc_schema *dec2 = kc_schema_decimal(5);
    kc_schema_builder_field(b2, "amount", dec2);
    kc_schema_unref(dec2);
    kc_schema_builder_optional(b2);
    const kc_schema *s2 = build(b2);
    CU_ASSERT(kc_schema_equals(s, s2));
    kc_schema_unref(s2);

    /* A snapshot keeps the builder usable. */
    kc_schema_builder *b3 = kc_schema_builder_new(KC_SCHEMA_STRING);
    const kc_schema *snap = kc_schema_builder_snapshot(b3, &err);
    CU_ASSERT(kc_schema_equals(snap, kc_schema_string()));
    kc_schema_builder_optional(b3);
    const kc_schema *final = build(b3);
    CU_ASSERT(kc_schema_equals(final, kc_schema_optional_string()));
    kc_schema_unref(snap);
    kc_schema_unref(final);
    kc_schema_unref(s);
}

static void expect_builder_error(kc_schema_builder *b, const char *want)
{
    kc_error err;
    const kc_schema *s = kc_schema_builder_build(b, &err);
    CU_ASSERT(s == NULL);
    if (s) {
        kc_schema_unref(s);
        return;
    }
    if (strcmp(err.msg, want) != 0)
        fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, err.msg);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
}

static void test_schema_builder_errors(void)
{
    /* Java's SchemaBuilderException messages (the default-value ones add Java's cause). */
    kc_schema_builder *b = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_default_new(b, kc_value_string("x"));
    expect_builder_error(b, "Invalid default value: Invalid Java object for schema with type INT32: "
                            "class java.lang.String for value");
    b = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_default_new(b, NULL);
    expect_builder_error(b, "Invalid default value: Invalid value: null used for required value, "
                            "schema type: INT32");
    b = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_optional(b);
    CU_ASSERT(kc_schema_builder_required(b) == -1);
    CU_ASSERT(kc_schema_builder_error(b) != NULL);
    CU_ASSERT(kc_schema_builder_name(b, "later") == -1); /* sticky: nothing after the first error */
    expect_builder_error(b, "Invalid SchemaBuilder call: optional has already been set.");
    b = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_name(b, "a");
    kc_schema_builder_name(b, "b");
    expect_builder_error(b, "Invalid SchemaBuilder call: name has already been set.");
    b = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_field(b, "f", kc_schema_int32());
    expect_builder_error(b, "Cannot create fields on type INT32");
    b = kc_schema_builder_struct();
    kc_schema_builder_field(b, "f", kc_schema_int32());
    kc_schema_builder_field(b, "f", kc_schema_int32());
    expect_builder_error(b, "Cannot create field because of field name duplication f");
    b = kc_schema_builder_struct();
    kc_schema_builder_field(b, "", kc_schema_int32());
    expect_builder_error(b, "fieldName cannot be null.");
    expect_builder_error(kc_schema_builder_array(NULL), "valueSchema cannot be null.");
    kc_error err;
    CU_ASSERT(kc_value_struct_new(kc_schema_string(), &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Not a struct schema: Schema{STRING}");
    kc_schema_builder_free(kc_schema_builder_struct());
}

/* Schemas are immutable and reference-counted atomically: many threads may take and drop
 * references to one schema at once. */
static void *ref_worker(void *arg)
{
    const kc_schema *s = arg;
    for (int i = 0; i < 20000; i++) {
        const kc_schema *r = kc_schema_ref(s);
        CU_ASSERT(kc_schema_get_type(r) == KC_SCHEMA_STRUCT);
        kc_schema_unref(r);
    }
    return NULL;
}

static void test_schema_shared_across_threads(void)
{
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_field(b, "a", kc_schema_int32());
    const kc_schema *s = build(b);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        CU_ASSERT_FATAL(pthread_create(&t[i], NULL, ref_worker, (void *)s) == 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    /* Still alive: the creator's reference is the last one. */
    CU_ASSERT(kc_schema_field_count(s) == 1);
    kc_schema_unref(s);
}

/* ---- Values --------------------------------------------------------------------------------- */

static void test_struct_validation(void)
{
    /* Struct.put / ConnectSchema.validateValue messages, checked against Java. */
    const kc_schema *l = build(kc_schema_builder_array(kc_schema_string()));
    kc_schema_builder *mb = kc_schema_builder_map(kc_schema_string(), kc_schema_int64());
    kc_schema_builder_optional(mb);
    const kc_schema *m = build(mb);
    const kc_schema *d = kc_schema_decimal(2);
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_name(b, "s");
    kc_schema_builder_field(b, "a", kc_schema_int32());
    kc_schema_builder_field(b, "l", l);
    kc_schema_builder_field(b, "m", m);
    kc_schema_builder_field(b, "d", d);
    const kc_schema *s = build(b);
    kc_schema_unref(l);
    kc_schema_unref(m);
    kc_schema_unref(d);
    kc_error err;
    kc_value *st = kc_value_struct_new(s, &err);
    CU_ASSERT(kc_value_struct_put_new(st, "a", kc_value_string("x"), &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid Java object for schema with type INT32: class "
                                    "java.lang.String for field: \"a\"");
    CU_ASSERT(kc_value_struct_put_new(st, "a", NULL, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value: null used for required field: \"a\", schema "
                                    "type: INT32");
    CU_ASSERT(kc_value_struct_put_new(st, "nope", kc_value_int32(1), &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "nope is not a valid field name");
    kc_value *arr = kc_value_array_new();
    kc_value_array_append_new(arr, kc_value_string("a"));
    kc_value_array_append_new(arr, kc_value_int32(1));
    CU_ASSERT(kc_value_struct_put_new(st, "l", arr, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid Java object for schema with type STRING: class "
                                    "java.lang.Integer for element of array field: \"l\"");
    kc_value *map = kc_value_map_new();
    kc_value_map_put_str_new(map, "k", kc_value_string("v"));
    CU_ASSERT(kc_value_struct_put_new(st, "m", map, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid Java object for schema with type INT64: class "
                                    "java.lang.String for value of map field: \"m\"");
    CU_ASSERT(kc_value_struct_put_new(st, "d", kc_value_bytes("\x01", 1), &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid Java object for schema \"org.apache.kafka.connect.data."
                                    "Decimal\" with type BYTES: class [B for field: \"d\"");
    CU_ASSERT(kc_value_struct_put_new(st, "d", kc_value_float64(1.5), &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid Java object for schema \"org.apache.kafka.connect.data."
                                    "Decimal\" with type BYTES: class java.lang.Double for field: \"d\"");
    CU_ASSERT(kc_value_struct_validate(st, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value: null used for required field: \"a\", schema "
                                    "type: INT32");
    CU_ASSERT(kc_value_struct_get(st, "zz", &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "zz is not a valid field name");
    /* A correct struct validates; the optional map may stay null. */
    CU_ASSERT(kc_value_struct_put_new(st, "a", kc_value_int32(7), &err) == 0);
    CU_ASSERT(kc_value_struct_put_new(st, "l", kc_value_array_new(), &err) == 0);
    CU_ASSERT(kc_value_struct_put_new(st, "d", kc_value_decimal_from_int64(150, 2), &err) == 0);
    CU_ASSERT(kc_value_struct_validate(st, &err) == 0);
    CU_ASSERT(kc_value_is_null(kc_value_struct_get(st, "m", &err)));
    CU_ASSERT(kc_value_get_int32(kc_value_struct_get_at(st, 0)) == 7);
    expect_java_string(st, "Struct{a=7,l=[],d=1.50}");
    kc_value_free(st);
    kc_schema_unref(s);
}

static void test_struct_defaults(void)
{
    kc_schema_builder *fb = kc_schema_builder_new(KC_SCHEMA_STRING);
    kc_schema_builder_default_new(fb, kc_value_string("dflt"));
    const kc_schema *fs = build(fb);
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_field(b, "f", fs);
    const kc_schema *s = build(b);
    kc_schema_unref(fs);
    kc_error err;
    kc_value *st = kc_value_struct_new(s, &err);
    /* Struct.get applies the default, getWithoutDefault does not; validate accepts null. */
    CU_ASSERT_STRING_EQUAL(kc_value_get_string(kc_value_struct_get(st, "f", &err), NULL), "dflt");
    CU_ASSERT(kc_value_is_null(kc_value_struct_get_without_default(st, "f", &err)));
    CU_ASSERT(kc_value_struct_validate(st, &err) == 0);
    kc_value_free(st);
    kc_schema_unref(s);
}

static void test_value_copy_equals(void)
{
    kc_value *m = kc_value_map_new();
    kc_value_map_put_str_new(m, "n", kc_value_float64(NAN));
    kc_value_map_put_str_new(m, "z", kc_value_float64(0.0));
    kc_value *arr = kc_value_array_new();
    kc_value_array_append_new(arr, kc_value_bytes("\x00\x01", 2));
    kc_value_array_append_new(arr, NULL);
    kc_value_array_append_new(arr, kc_value_string_len("a\0b", 3));
    kc_value_map_put_new(m, kc_value_int32(5), arr);
    kc_value *c = kc_value_copy(m);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT(c != m);
    CU_ASSERT(kc_value_equals(m, c)); /* NaN equals NaN, as Double.equals */
    /* Maps compare as sets of entries. */
    kc_value *r = kc_value_map_new();
    kc_value_map_put_new(r, kc_value_int32(5), kc_value_copy(arr));
    kc_value_map_put_str_new(r, "z", kc_value_float64(0.0));
    kc_value_map_put_str_new(r, "n", kc_value_float64(NAN));
    CU_ASSERT(kc_value_equals(m, r));
    /* Java types must match: int32 5 is not int64 5; 0.0 is not -0.0. */
    kc_value *i64 = kc_value_int64(5), *i32 = kc_value_int32(5);
    CU_ASSERT(kc_value_map_get(m, i64) == NULL);
    CU_ASSERT(kc_value_map_get(m, i32) != NULL);
    kc_value_map_put_str_new(r, "z", kc_value_float64(-0.0));
    CU_ASSERT(!kc_value_equals(m, r));
    /* The copy is deep: the string with an inner NUL is intact. */
    const kc_value *arr2 = kc_value_map_get(c, i32);
    size_t n;
    const char *s = kc_value_get_string(kc_value_array_get(arr2, 2), &n);
    CU_ASSERT(n == 3 && memcmp(s, "a\0b", 3) == 0);
    CU_ASSERT(kc_value_is_null(kc_value_array_get(arr2, 1)));
    CU_ASSERT(kc_value_array_get(arr2, 3) == NULL);
    /* Decimals: scale counts (2.0 != 2.00), redundant sign bytes do not. */
    kc_value *d1 = kc_value_decimal("\x00\x00\x14", 3, 1), *d2 = kc_value_decimal_from_int64(20, 1);
    kc_value *d3 = kc_value_decimal_from_int64(200, 2);
    CU_ASSERT(kc_value_equals(d1, d2));
    CU_ASSERT(!kc_value_equals(d2, d3));
    kc_value_free(d1);
    kc_value_free(d2);
    kc_value_free(d3);
    kc_value_free(i64);
    kc_value_free(i32);
    kc_value_free(r);
    kc_value_free(c);
    kc_value_free(m);
    /* The null singleton: never allocated, freeing it is harmless. */
    CU_ASSERT(kc_value_null() == kc_value_copy(NULL));
    kc_value_free(kc_value_null());
    CU_ASSERT(kc_value_is_null(NULL));
}

static void test_map_many_keys(void)
{
    /* Puts replace in place (LinkedHashMap); lookups stay correct past the hashed threshold. */
    kc_value *m = kc_value_map_new();
    char key[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        CU_ASSERT_FATAL(kc_value_map_put_str_new(m, key, kc_value_int32(i)) == 0);
    }
    for (int i = 0; i < 2000; i += 2) {
        snprintf(key, sizeof key, "key-%d", i);
        CU_ASSERT_FATAL(kc_value_map_put_str_new(m, key, kc_value_int32(-i)) == 0);
    }
    CU_ASSERT(kc_value_map_size(m) == 2000);
    CU_ASSERT(kc_value_get_int32(kc_value_map_get_str(m, "key-1998")) == -1998);
    CU_ASSERT(kc_value_get_int32(kc_value_map_get_str(m, "key-1999")) == 1999);
    CU_ASSERT_STRING_EQUAL(kc_value_get_string(kc_value_map_key_at(m, 10), NULL), "key-10");
    CU_ASSERT(kc_value_map_get_str(m, "key-2000") == NULL);
    kc_value_free(m);
}

static void test_value_depth_limit(void)
{
    /* Containers nest at most KC_DATA_MAX_DEPTH levels (Jackson's limit), so every walk is
     * bounded. */
    kc_value *v = kc_value_array_new();
    for (int i = 1; i < KC_DATA_MAX_DEPTH; i++) {
        kc_value *outer = kc_value_array_new();
        CU_ASSERT_FATAL(kc_value_array_append_new(outer, v) == 0);
        v = outer;
    }
    kc_value *outer = kc_value_array_new();
    CU_ASSERT(kc_value_array_append(outer, v) == -1);
    kc_value *copy = kc_value_copy(v);
    CU_ASSERT(kc_value_equals(copy, v));
    kc_value_free(copy);
    kc_value_free(outer);
    kc_value_free(v);
}

/* ---- Logical types -------------------------------------------------------------------------- */

static void test_decimal_text(void)
{
    /* new BigDecimal(text): toString, scale, unscaledValue().toByteArray(), hashCode (Java). */
    static const struct {
        const char *in, *text;
        int32_t scale;
        const char *hex;
        int32_t hash;
    } cases[] = {
    {"1E+3", "1E+3", -3, "01", 28},
    {"0.00000001", "1E-8", 8, "01", 39},
    {"-0.0", "0.0", 1, "00", 1},
    {"123.4500", "123.4500", 4, "12d644", 38269504},
    {"1E-7", "1E-7", 7, "01", 38},
    {"0E-8", "0E-8", 8, "00", 8},
    {"-1.5E+10", "-1.5E+10", -9, "f1", -474},
    {"12345678901234567890.123", "12345678901234567890.123", 3, "029d42b64e76714244cb", 647166417},
    {"0.000001", "0.000001", 6, "01", 37},
    {"-0.0000001", "-1E-7", 7, "ff", -24},
    {"100", "100", 0, "64", 3100},
    {"1.0", "1.0", 1, "0a", 311},
    {"+5", "5", 0, "05", 155},
    {".5", "0.5", 1, "05", 156},
    {"5.", "5", 0, "05", 155},
    {"1e2147483647", "1E+2147483647", -2147483647, "01", -2147483616},
    {"-128", "-128", 0, "80", -3968},
    {"255", "255", 0, "00ff", 7905},
    {"-129", "-129", 0, "ff7f", -3999},
    {"32768", "32768", 0, "008000", 1015808},
    {"-9223372036854775808", "-9223372036854775808", 0, "8000000000000000", -2147483648},
    {"18446744073709551616", "18446744073709551616", 0, "010000000000000000", 29791},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_error err;
        kc_value *d = kc_value_decimal_parse(cases[i].in, strlen(cases[i].in), &err);
        CU_ASSERT_FATAL(d != NULL);
        char *text = kc_value_decimal_to_string(d);
        if (strcmp(text, cases[i].text) != 0)
            fprintf(stderr, "\n%s: want %s got %s\n", cases[i].in, cases[i].text, text);
        CU_ASSERT_STRING_EQUAL(text, cases[i].text);
        free(text);
        CU_ASSERT(kc_value_decimal_scale(d) == cases[i].scale);
        size_t n;
        const uint8_t *u = kc_value_decimal_unscaled(d, &n);
        char hex[64] = "";
        for (size_t k = 0; k < n && k < 30; k++)
            sprintf(hex + 2 * k, "%02x", u[k]);
        CU_ASSERT_STRING_EQUAL(hex, cases[i].hex);
        int32_t h;
        CU_ASSERT(kc_value_java_hash(d, &h) == 0 && h == cases[i].hash);
        kc_value_free(d);
    }
    kc_error err;
    CU_ASSERT(kc_value_decimal_parse("1.2.3", 5, &err) == NULL);
    CU_ASSERT(kc_value_decimal_parse("e5", 2, &err) == NULL);
    CU_ASSERT(kc_value_decimal_parse("", 0, &err) == NULL);
}

static void test_logical_conversions(void)
{
    kc_error err;
    const kc_schema *d2 = kc_schema_decimal(2);
    kc_value *v = kc_value_decimal_parse("1.5", 3, &err);
    const uint8_t *bytes;
    size_t n;
    CU_ASSERT(kc_decimal_from_logical(d2, v, &bytes, &n, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Decimal value has mismatching scale for given Decimal schema. "
                                    "Schema has scale 2, value has scale 1.");
    kc_value_free(v);
    v = kc_value_decimal_parse("-1.28", 5, &err);
    CU_ASSERT(kc_decimal_from_logical(d2, v, &bytes, &n, &err) == 0);
    CU_ASSERT(n == 1 && bytes[0] == 0x80);
    kc_value *back = kc_decimal_to_logical(d2, bytes, n, &err);
    CU_ASSERT(kc_value_equals(back, v));
    kc_value_free(back);
    kc_value_free(v);
    CU_ASSERT(kc_decimal_to_logical(d2, "", 0, &err) == NULL);
    kc_schema_unref(d2);

    v = kc_value_timestamp(1);
    int32_t i32;
    int64_t i64;
    CU_ASSERT(kc_date_from_logical(kc_schema_date(), v, &i32, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Kafka Connect Date type should not have any time fields set to "
                                    "non-zero values.");
    CU_ASSERT(kc_timestamp_from_logical(kc_schema_date(), v, &i64, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Requested conversion of Timestamp object but the schema does "
                                    "not match.");
    kc_value_free(v);
    v = kc_value_timestamp(-1);
    CU_ASSERT(kc_time_from_logical(kc_schema_time(), v, &i32, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Kafka Connect Time type should not have any date fields set to "
                                    "non-zero values.");
    kc_value_free(v);
    CU_ASSERT(kc_time_to_logical(kc_schema_time(), 86400001, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Time values must use number of milliseconds greater than 0 and "
                                    "less than 86400000");
    v = kc_date_to_logical(kc_schema_date(), -1, &err);
    CU_ASSERT(kc_value_get_timestamp(v) == -KC_MILLIS_PER_DAY);
    CU_ASSERT(kc_date_from_logical(kc_schema_date(), v, &i32, &err) == 0 && i32 == -1);
    kc_value_free(v);
    /* java.util.Date.toString in UTC (Java). */
    v = kc_value_timestamp(-1);
    expect_java_string(v, "Wed Dec 31 23:59:59 UTC 1969");
    kc_value_free(v);
    v = kc_value_timestamp(253402300799999LL);
    expect_java_string(v, "Fri Dec 31 23:59:59 UTC 9999");
    kc_value_free(v);
    v = kc_value_timestamp(951782400000LL);
    expect_java_string(v, "Tue Feb 29 00:00:00 UTC 2000");
    kc_value_free(v);
}

/* ---- Java behaviour: Double.toString, hashCode, HashMap order ------------------------------- */

static void test_java_double_to_string(void)
{
    /* Double.toString on JDK 17 for values where it prints the shortest round-trip digits (the
     * JDK 19+ rule kconnect follows; spec §1.3), from random bit patterns and log-uniform values. */
    static const struct {
        uint64_t bits;
        const char *text;
    } cases[] = {
    {0x416312d000000000ULL, "1.0E7"},
    {0x3f50624dd2f1a9fcULL, "0.001"},
    {0x3f50624dd2f1a9fbULL, "9.999999999999998E-4"},
    {0x1ULL, "4.9E-324"},
    {0x10000000000000ULL, "2.2250738585072014E-308"},
    {0x3fd3333333333333ULL, "0.3"},
    {0x3fe5555555555555ULL, "0.6666666666666666"},
    {0x3ee4f8b588e368f1ULL, "1.0E-5"},
    {0x419d6f3454000000ULL, "1.23456789E8"},
    {0x1aa74fe1c1e8908ULL, "1.2345678901234568E-300"},
    {0x4340000000000000ULL, "9.007199254740992E15"},
    {0x4011666666666666ULL, "4.35"},
    {0x3fd3333333333334ULL, "0.30000000000000004"},
    {0x4341c37937e08000ULL, "1.0E16"},
    {0x430c6bf526340000ULL, "1.0E15"},
    {0x40c81cd6c8b43958ULL, "12345.678"},
    {0xba419d350dfe8af7ULL, "-4.446421636188976E-28"},
    {0xaee7bbe10c45c028ULL, "-9.773730481407064E-83"},
    {0x4f083ce3f12bbb4bULL, "5.353072455204317E72"},
    {0x46ee9d82b52c856dULL, "4.967612493611081E33"},
    {0xaa616abe17610c9aULL, "-1.518811735223662E-104"},
    {0xe74367bd738597dcULL, "-2.70188080721057E189"},
    {0x5e688e9961b35c88ULL, "6.132869304281319E146"},
    {0x46976cf7b0bfbe20ULL, "1.1878217972734457E32"},
    {0x76b20010c3185754ULL, "5.668065954393482E263"},
    {0xc86c400eff88a1e3ULL, "-7.690443792409689E40"},
    {0xeb5910f126e6bc6fULL, "-1.2876124188040096E209"},
    {0x6fbddf557096b883ULL, "1.8116186528812876E230"},
    {0xbff9d9d5ee3dd852ULL, "-1.6156825357734488"},
    {0x62f60bdbcc5c8305ULL, "5.200124569960912E168"},
    {0x2d68ad16268a478cULL, "6.056868785630053E-90"},
    {0x982750f4569b5949ULL, "-2.555236359312043E-192"},
    {0x35b353dd402b571aULL, "5.165811322465727E-50"},
    {0xd3727ff25d7b347fULL, "-9.647293889165647E93"},
    {0x2c167999289d95faULL, "2.6305161135860186E-96"},
    {0x9661a43246302cd9ULL, "-7.202209566664596E-201"},
    {0xc053e996a4c46c02ULL, "-79.64981955701663"},
    {0x922fb35e148d9e82ULL, "-4.3849174499425896E-221"},
    {0x947c82ee1735c9edULL, "-5.4202868535839066E-210"},
    {0xc0a47deecc7229ceULL, "-2622.966403548816"},
    {0x80b069b510846b6ULL, "6.394588115485262E-270"},
    {0x5ba0a3f332f702b1ULL, "2.362286850704562E133"},
    {0xd15b23ed02d53e28ULL, "-8.238232034121643E83"},
    {0x6aed9210c5004375ULL, "1.1867157621731928E207"},
    {0xf95a672314a5c4b6ULL, "-3.65651469328019E276"},
    {0xb6a1cac9887336a7ULL, "-1.558255947845137E-45"},
    {0x7b06ee52df9a8487ULL, "4.26233917795445E284"},
    {0x4aaa00013832cc52ULL, "4.863880930166066E51"},
    {0xf32a088b988bd7d5ULL, "-5.688228380815148E246"},
    {0xd20bc0bc3051ae6fULL, "-1.7252684862688197E87"},
    {0xa2fb233f60e0b477ULL, "-3.5606955320134227E-140"},
    {0x5e7ebf2c22eca89bULL, "1.5357388158539992E147"},
    {0x5c39a9da6fb03cbbULL, "1.8653217840622902E136"},
    {0x6f45f2e9a617570aULL, "1.0399178995150088E228"},
    {0x7512bbb4b22b0979ULL, "8.790000568126636E255"},
    {0x79021b82f37050bbULL, "7.836529244073078E274"},
    {0x7811dc308c868164ULL, "2.3588503753624405E270"},
    {0xd3cb6736099140edULL, "-4.572875954765833E95"},
    {0x26aa011e0d75d1a3ULL, "1.9668807214276304E-122"},
    {0xd57841fac9e2a3d1ULL, "-5.433112990038016E103"},
    {0x75d6a35cc2e15b9fULL, "4.350878036141683E259"},
    {0x47d390c6a1a21a80ULL, "1.0402820556218685E38"},
    {0x322ab5c65846ac1eULL, "4.953655524927778E-67"},
    {0x2de4dd0df6658a2eULL, "1.3109867972423422E-87"},
    {0xdd9da64b7b384f91ULL, "-9.03892209668785E142"},
    {0x7c9134888c547aa0ULL, "1.0730890242895463E292"},
    {0x6bc4cd5d021617a9ULL, "1.3677800171847552E211"},
    {0xa203c138c1f467dbULL, "-7.910139135321069E-145"},
    {0xb329ef8da18ba62fULL, "-3.152316382561985E-62"},
    {0x50b95daa11fbfb1dULL, "7.519149603776616E80"},
    {0x9255b57757ec5114ULL, "-2.402260200810779E-220"},
    {0x5efaa97c4a6c5f10ULL, "3.4091919196718454E149"},
    {0xdf2f3ddb2760b3c7ULL, "-3.1958138356391172E150"},
    {0xce44621f406f233dULL, "-1.0990647882570156E69"},
    {0x9dc02e0c624b81c6ULL, "-2.1950660386120596E-165"},
    {0x5fd603dd1d6a62beULL, "4.6120958503696624E153"},
    {0xb27ee48d25906e78ULL, "-1.833402957930867E-65"},
    {0xe89af71d4aa42237ULL, "-7.873762404684694E195"},
    {0x3236b1f82bc13e38ULL, "8.418114960640147E-67"},
    {0xcf22cde548e91907ULL, "-1.661214333663281E73"},
    {0xa0c03c21c7e254b4ULL, "-6.199569650692614E-151"},
    {0x76a1559fa83a59b9ULL, "2.7292085708915604E263"},
    {0x4e3a6f7bffb95478ULL, "7.126992879188004E68"},
    {0x8a378120cbc88dc0ULL, "-1.910878346129041E-259"},
    {0xa296a2bab1ada3c5ULL, "-4.640611807979249E-142"},
    {0x20526ee717bab863ULL, "5.499247540230354E-153"},
    {0x7f50d0baca6beaa7ULL, "1.845021949151605E305"},
    {0x6fe0fa1aba9b4f6ULL, "5.426605761239898E-275"},
    {0x9570ca077fade46ULL, "1.1437259934714608E-263"},
    {0x7bdd30f57598e44aULL, "4.444966452034803E288"},
    {0xa7b1943e4400ed7bULL, "-1.742760552858273E-117"},
    {0x6550f07d78c7bd66ULL, "1.0982869436467603E180"},
    {0xf0af24ba22dfa2a6ULL, "-6.188901529693432E234"},
    {0x6275db11d13f3576ULL, "2.013738864067224E166"},
    {0xa56f7570fa42cebeULL, "-2.2692032316576603E-128"},
    {0xc53d3c4bb3b93303ULL, "-3.5343587214040244E25"},
    {0xe4dffd18650ed1a9ULL, "-8.1016489051082325E177"},
    {0x994d624948af8064ULL, "-8.441557689496284E-187"},
    {0xf9dd65229d7a93cdULL, "-1.0421502686976482E279"},
    {0x13bbd9ac5c42f173ULL, "1.2926255939835135E-213"},
    {0xc66e4f6a5dd704e6ULL, "-1.9211382243897451E31"},
    {0x4760e5e7fa82b084ULL, "7.019184061646452E35"},
    {0xe632520a2e4f3419ULL, "-1.946139304065601E184"},
    {0x5fb3b9bceba6e693ULL, "1.0331103028646072E153"},
    {0x6e6a4d8947095549ULL, "7.606240133494751E223"},
    {0x55133401cd5132bcULL, "6.72033747462546E101"},
    {0x50ad813ccbc247aaULL, "4.373025743955946E80"},
    {0x715724a52018a4efULL, "9.418873431615556E237"},
    {0x18b101ed65827193ULL, "9.542978627153895E-190"},
    {0xbec25defe2ce2fe3ULL, "-2.189510061650553E-6"},
    {0x2bbd76b7e9a40597ULL, "5.38827002329931E-98"},
    {0xce2e160d4a41c64aULL, "-4.0556036882366383E68"},
    {0x23c94034f05004d5ULL, "2.7141087725959983E-136"},
    {0x17cb5ccc4c1f9747ULL, "4.6854192579431287E-194"},
    {0x6eb6ddaa918928fULL, "2.4757444544033535E-275"},
    {0x8c5fa9a241001e1cULL, "-4.422324560784863E-249"},
    {0x483e25a367ac6cf9ULL, "1.0258500890609296E40"},
    {0xf7adc5f3fc3cf928ULL, "-3.072079560993446E268"},
    {0xe78d61eae6089f53ULL, "-6.545696688717219E190"},
    {0x580c9794bac7bc0fULL, "1.4082332760426383E116"},
    {0x399299d024ac139ULL, "2.5214995304271937E-291"},
    {0xcf418f8d045f313aULL, "-6.205430328342531E73"},
    {0x8580a6904d975739ULL, "-3.583149979369462E-282"},
    {0xd5ccc11b8f52be82ULL, "-2.060875271054214E105"},
    {0x955dbe2e6cad28a6ULL, "-9.264163802038926E-206"},
    {0xb030e4fdddcae127ULL, "-1.4590373837085323E-76"},
    {0x8e6f10567af79eabULL, "-3.726904900757791E-239"},
    {0x1da1ccef4f88f506ULL, "6.037334629230045E-166"},
    {0x96a88082137f80a2ULL, "-1.6004943658208592E-199"},
    {0xe5280b6fe37fbb0bULL, "-1.9487062023112996E179"},
    {0xa060ad2ba93aa1a6ULL, "-9.950290190254685E-153"},
    {0x61f0d3cab4c952e3ULL, "6.056370014964235E163"},
    {0xe753f96c97305366ULL, "-5.562232537959779E189"},
    {0xd56d565525969bf6ULL, "-3.2853960866430215E103"},
    {0x429c0ce701f1b23cULL, "7.710435212396559E12"},
    {0xf6551cf2a3ff3194ULL, "-1.0387900589855483E262"},
    {0x65c4ede4d4421e7dULL, "1.7369268753334238E182"},
    {0x92d32bde6f58766dULL, "-5.430954129321305E-218"},
    {0x421719bff1bd7712ULL, "2.480406436736628E10"},
    {0xd25deaa9e42d6346ULL, "-5.951299042193491E88"},
    {0xa8c03f84210ee947ULL, "-2.1113220015733305E-112"},
    {0x9d361982b0580ceaULL, "-5.855821525446552E-168"},
    {0x7cfa80d2352469e2ULL, "1.0579233977372578E294"},
    {0x5c8956ba3359155eULL, "5.893505786282381E137"},
    {0xbcec5d06fef82b77ULL, "-3.1489686414083094E-15"},
    {0xdaf8f87ef8187c57ULL, "-1.7308867045422134E130"},
    {0x56f9aa9c814aa5faULL, "9.644600340776992E110"},
    {0xc20e3ef017fe82f0ULL, "-1.6238117631813934E10"},
    {0xb9e042d0823d0396ULL, "-6.413831259184156E-30"},
    {0x82312251db0a9697ULL, "-4.093592640449421E-298"},
    {0xc6814385c56506bcULL, "-4.376883128653876E31"},
    {0x6047419ca8797748ULL, "6.23631917637333E155"},
    {0xdce20b6920f0bd7eULL, "-2.686053240238576E139"},
    {0xb274b53d66eb0cfeULL, "-1.228961966502121E-65"},
    {0x28fe54540301961cULL, "3.1528661285602882E-111"},
    {0xccd0ca16850ba065ULL, "-1.079181417613661E62"},
    {0xb9b70ff76ecba8dfULL, "-1.137062593917608E-30"},
    {0xcb7ce8c8c3cb6ad3ULL, "-4.4303393918026975E55"},
    {0xd2bfeab4a47f4b25ULL, "-4.06348177016415E90"},
    {0xd9ac2d366c6ab179ULL, "-9.313158667906397E123"},
    {0xfc2798ca88d03fbdULL, "-1.149793098341559E290"},
    {0x210e72413e4fdfd5ULL, "1.860230671031499E-149"},
    {0x9d3551b70a4f1874ULL, "-5.649022651270531E-168"},
    {0x8af9d5d72600556bULL, "-8.603148931873911E-256"},
    {0x27181dd698fe9cefULL, "2.3348394702911304E-120"},
    {0x88d9f932beebdab3ULL, "-5.0344630382103495E-266"},
    {0xc056c9804ac94c03ULL, "-91.14845533044722"},
    {0xbf0109b44327cd68ULL, "-3.2497228307360956E-5"},
    {0x3f7b98d0d6a3b492ULL, "0.006737533354891261"},
    {0xbca48ee7eb52ca75ULL, "-1.4265135119429788E-16"},
    {0xbf9528f95f3913feULL, "-0.02066411632246811"},
    {0x3f429c9a37960213ULL, "5.679848683684561E-4"},
    {0xbf7312553e545b62ULL, "-0.004656155569384564"},
    {0xbf4bc428e9f06ec6ULL, "-8.473586821113536E-4"},
    {0x3d1159f19cd0a4bcULL, "1.5411088374388312E-14"},
    {0xbd28f475bc979bbaULL, "-4.432884551749188E-14"},
    {0xbbd0b013b89af7f8ULL, "-1.413511719673868E-20"},
    {0x4013ae9c51f8b312ULL, "4.92051818924371"},
    {0x42d92fa94cc4e823ULL, "1.1076997815184055E14"},
    {0x3e9ab6452d7e63b3ULL, "3.980397145164261E-7"},
    {0x3ed93dd2c9efdb04ULL, "6.01804199983655E-6"},
    {0xbbe7843b75dc9babULL, "-3.983855531580367E-20"},
    {0x43e15bfebbfedefdULL, "1.0006987239310486E19"},
    {0x41367a85fabe92c8ULL, "1473157.9794704188"},
    {0x3f63d6e7b06d4370ULL, "0.0024218106440589346"},
    {0x3d964854e88d05b6ULL, "5.0664642911654375E-12"},
    {0x41d2d297b8e7cb3dULL, "1.2631651556217797E9"},
    {0xbf9384d71fef9a32ULL, "-0.019061433147635927"},
    {0xc31fda38d3246d9dULL, "-2.2414154683585032E15"},
    {0x427e86deb7649519ULL, "2.0977881882333186E12"},
    {0xc2c241ae4241e1e9ULL, "-4.014661150406782E13"},
    {0xbdeca4de87bf2eacULL, "-2.084126793656616E-10"},
    {0x40e0cf62b611dbb0ULL, "34427.08472531231"},
    {0x41195f6a5aca5d45ULL, "415706.5886625837"},
    {0x44151584896944eaULL, "9.723303520121091E19"},
    {0xc109557c0a5f326fULL, "-207535.50506438638"},
    {0xc0140276bb3fc49eULL, "-5.002406049506275"},
    {0xc0e38bd2f39143c9ULL, "-40030.592232353585"},
    {0xbd3e7a08b1bc6c03ULL, "-1.0827497179450426E-13"},
    {0xc11f98fd0963e7cbULL, "-517695.2591701715"},
    {0xc133cba776525d5bULL, "-1297319.4621942851"},
    {0x3fa788fb8e3b8b64ULL, "0.04596696959722271"},
    {0x42268a003752906cULL, "4.8402275241282074E10"},
    {0xbdb1e2461a982624ULL, "-1.6265296108376866E-11"},
    {0x41b303b03387ffc3ULL, "3.1900881953124636E8"},
    {0x42967284cbd12b01ULL, "6.170277508170751E12"},
    {0xbe984821d8868590ULL, "-3.618265158826577E-7"},
    {0xbe4178e65ca17300ULL, "-8.136157431966634E-9"},
    {0xc1a2e686619e5e40ULL, "-1.5854878480931282E8"},
    {0xbf600a631246f8fdULL, "-0.001958077906436205"},
    {0x407ad471faff695fULL, "429.2778272606865"},
    {0x3c39b435fb94636dULL, "1.3934138517034553E-18"},
    {0xbdf8f4c2ff423dccULL, "-3.631590577378748E-10"},
    {0x3e7f5efb2ca5fcd7ULL, "1.1686615689585384E-7"},
    {0xbf0beebde63bfe78ULL, "-5.3277178066577066E-5"},
    {0x3cd040c0b17a9cfaULL, "9.022194250624245E-16"},
    {0xbfc960b5e5cc7d4cULL, "-0.1982638713898076"},
    {0x3f6a3e87887d4d3fULL, "0.003203644478995265"},
    {0xbd1e7e65aabd2e2fULL, "-2.708388075103933E-14"},
    {0xbd959aaee7689a58ULL, "-4.912233480882737E-12"},
    {0x3dd6126d282fe19eULL, "8.029738857054996E-11"},
    {0x3c7698dc67e38bddULL, "1.959987131435949E-17"},
    {0x4139ae6597cac98cULL, "1683045.5929380385"},
    {0x3fdc7d00663ddcaeULL, "0.44512948975120536"},
    {0x4001a1000c65d2b8ULL, "2.20361337362041"},
    {0x3c99afbf4b538af3ULL, "8.911799308408204E-17"},
    {0x41210d87d122820bULL, "558787.9084664"},
    {0xc00b1d71bcaffe8fULL, "-3.3893770924767703"},
    {0xc1f8adb0d840f018ULL, "-6.624578948058617E9"},
    {0xc1cb335634acac77ULL, "-9.126984733490132E8"},
    {0x3cf6605bc2de607dULL, "4.968558934255614E-15"},
    {0x3bde0601b5e4b8a2ULL, "2.5430862860299388E-20"},
    {0x41cea2e39fd6d1ddULL, "1.0279831676782795E9"},
    {0xbbe9c758feba6aa4ULL, "-4.367081936555808E-20"},
    {0xbfc552365f6811f5ULL, "-0.16657142313501053"},
    {0x41cfeb14c9b3f059ULL, "1.0709999554057723E9"},
    {0xc250cdbef80c2cf1ULL, "-2.886852854247022E11"},
    {0xc36056ef17bb5b01ULL, "-3.6793476181579784E16"},
    {0x3f48f3190f2f77ceULL, "7.614014015151439E-4"},
    {0x3e558f4d6afc5b1fULL, "2.0079105211055237E-8"},
    {0x42a9d63596e36c5eULL, "1.4203906388406184E13"},
    {0xbf41c75b5643a97fULL, "-5.425640088366073E-4"},
    {0x3ea4b12189de0d54ULL, "6.166672112815357E-7"},
    {0x3f8f55cd74c765a8ULL, "0.01530037415152459"},
    {0x40c5276bb22f2de8ULL, "10830.84137525312"},
    {0x3cbf37556582a78eULL, "4.332110614341218E-16"},
    {0xc0f40948f091820fULL, "-82068.55873251728"},
    {0x41903b450a47ce25ULL, "6.807993857012232E7"},
    {0xbc44954fdada9e92ULL, "-2.2316404083889483E-18"},
    {0xc136dcea7bc9350aULL, "-1498346.483538928"},
    {0x3c9e1a06a736f2d1ULL, "1.0443612648119906E-16"},
    {0xbe9f7139f2033fcfULL, "-4.685266379424501E-7"},
    {0x4074ad5665c8e461ULL, "330.83359316323737"},
    {0xbdc0fb29ef862319ULL, "-3.088845667133299E-11"},
    {0x3f3f07b677be049eULL, "4.734821775330219E-4"},
    {0xc39582ec6a4e0663ULL, "-3.8751529077215046E17"},
    {0x40da7e68a2cb8c93ULL, "27129.634936225204"},
    {0x42408397e191f153ULL, "1.4185449142788535E11"},
    {0x3d45285bfbc2cc69ULL, "1.5033417039891774E-13"},
    {0xbd00e024adebea13ULL, "-7.49425396537346E-15"},
    {0xbc4f11120e5ccf81ULL, "-3.3682563860745247E-18"},
    {0xc1a530db152dc540ULL, "-1.7776167458939552E8"},
    {0xc1d2ffd2e451c829ULL, "-1.2750222252778418E9"},
    {0xbecd2aa49934bb3dULL, "-3.476926573895739E-6"},
    {0x3ef969852cab0820ULL, "2.423495133530723E-5"},
    {0xbdb1c50b79bee2d3ULL, "-1.6161453780374198E-11"},
    {0x4287d7e7b622a1f1ULL, "3.2770091101002427E12"},
    {0xc32a460b083e2591ULL, "-3.6976812956761045E15"},
    {0xbbe22b7f6e43245aULL, "-3.078103023857352E-20"},
    {0x3d039aedf3b28db3ULL, "8.706454827538056E-15"},
    {0x4162c0e5c3dc0900ULL, "9832238.12060976"},
    {0x3e3a261ad70823abULL, "6.088252888389243E-9"},
    {0x3f2fe74bc1cdd090ULL, "2.434043862212837E-4"},
    {0x3e601811bc995709ULL, "2.997744947818951E-8"},
    {0xbcfab3ecd8e8c121ULL, "-5.929219949022264E-15"},
    {0xbdf4045d832357f9ULL, "-2.912864421351749E-10"},
    {0xc1e7e56fbc2cb143ULL, "-3.2072985293966384E9"},
    {0xc359537af4459b35ULL, "-2.8514647868337364E16"},
    {0x4315b00814ad6657ULL, "1.5261308160147418E15"},
    {0x3e6279d730151e9fULL, "3.441411956323065E-8"},
    {0xbbf9f1c16b99ac49ULL, "-8.790290276327796E-20"},
    {0x4304f95157476df2ULL, "7.379534107724142E14"},
    {0x3d12a0b427718da6ULL, "1.654476460992801E-14"},
    {0x41d905eff50e7fd8ULL, "1.679278036226553E9"},
    {0x41702d7445118db0ULL, "1.6963396316785514E7"},
    {0x3da595e667e498ebULL, "9.815970299308561E-12"},
    {0x41a9690084542f7cULL, "2.1315590616442478E8"},
    {0xc3dca518db41739cULL, "-8.256333336776962E18"},
    {0xc18ce434e32f6e57ULL, "-6.0589724398159675E7"},
    {0x3db1fe68cd2c97dfULL, "1.6365253617002375E-11"},
    {0x40ad7dc8525e26deULL, "3774.8912534162946"},
    {0xbd2391575cb04a68ULL, "-3.475928751818746E-14"},
    {0x404ffe8896dbc461ULL, "63.988543374355466"},
    {0xc26dd3f509bbe6eeULL, "-1.0248808237752166E12"},
    {0x3e846a0a81859177ULL, "1.5209781235447955E-7"},
    {0xc0710569ed289177ULL, "-272.3383609375664"},
    {0xbe3fe4e42613f6ffULL, "-7.425925292431185E-9"},
    {0x3c085cfed4095a23ULL, "1.6509189422150344E-19"},
    {0xc12ca3cd88129373ULL, "-938470.7657667234"},
    {0xbfac6b905dcac460ULL, "-0.055508147668100305"},
    {0x3efea061690a7a5eULL, "2.920769344660412E-5"},
    {0x3d0a5ca3890db33fULL, "1.1707022174631085E-14"},
    {0xc0cb4a1f03238558ULL, "-13972.242283287153"},
    {0xbcafe86f91a83e29ULL, "-2.214058964460885E-16"},
    {0xc13bcc61dae2e494ULL, "-1821793.8550246106"},
    {0xbe01b97efbb9f441ULL, "-5.158535746590796E-10"},
    {0xbd5a27ec862cb8ceULL, "-3.7169844548619973E-13"},
    {0xc0c254c0fcc4f418ULL, "-9385.507713908373"},
    {0xc073d37e563abd3dULL, "-317.2183439535618"},
    {0x4304f0ca3aa40e89ULL, "7.367813615129131E14"},
    {0xc274c736dc6fc5c8ULL, "-1.4278657164763613E12"},
    {0x3d6ee800f83bb0ecULL, "8.784088776067683E-13"},
    {0x3e2cf2517f1ace5cULL, "3.369822636938797E-9"},
    {0x3e8127678b82561eULL, "1.278066912343008E-7"},
    };
    char buf[40];
    size_t bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d;
        memcpy(&d, &cases[i].bits, sizeof d);
        kc_java_double_to_string(d, buf);
        if (strcmp(buf, cases[i].text) != 0) {
            if (bad++ < 10)
                fprintf(stderr, "\n%016llx: want %s got %s", (unsigned long long)cases[i].bits,
                        cases[i].text, buf);
        }
    }
    CU_ASSERT(bad == 0);
    CU_ASSERT(sizeof cases / sizeof cases[0] > 300);
    /* JDK 19+ shortest digits where JDK 17 prints longer ones (spec §1.3). */
    kc_java_double_to_string(2.0e23, buf);
    CU_ASSERT_STRING_EQUAL(buf, "2.0E23");
    kc_java_double_to_string(-0.0, buf);
    CU_ASSERT_STRING_EQUAL(buf, "-0.0");
    kc_java_double_to_string(-INFINITY, buf);
    CU_ASSERT_STRING_EQUAL(buf, "-Infinity");
}

static void test_java_float_to_string(void)
{
    static const struct {
        uint32_t bits;
        const char *text;
    } cases[] = {
    {0x3f8ccccdU, "1.1"},
    {0x3dcccccdU, "0.1"},
    {0x501502f9U, "1.0E10"},
    {0x7f7fffffU, "3.4028235E38"},
    {0x1U, "1.4E-45"},
    {0x4b800000U, "1.6777216E7"},
    {0x4b800000U, "1.6777216E7"},
    {0x3a83126fU, "0.001"},
    {0x3a83126eU, "9.999999E-4"},
    {0x4b189680U, "1.0E7"},
    {0x4b18967fU, "9999999.0"},
    {0x40490fdbU, "3.1415927"},
    {0x659a0ef8U, "9.094007E22"},
    {0x49ce9d84U, "1692592.5"},
    {0x7a272748U, "2.1697757E35"},
    {0x5b0c8308U, "3.9550567E16"},
    {0xe43f4fa7U, "-1.4116271E22"},
    {0x4c2ee132U, "4.5843656E7"},
    {0x7c2a5b6bU, "3.5381786E36"},
    {0x6096af13U, "8.6863345E19"},
    {0x83f7218aU, "-1.4525055E-36"},
    {0x68ed51d8U, "8.965685E24"},
    {0x5ef45277U, "8.8026324E18"},
    {0x126af28U, "3.0615053E-38"},
    {0xa469d3f6U, "-5.070336E-17"},
    {0xb6b1053U, "4.5271635E-32"},
    {0x30a9439cU, "1.2315584E-9"},
    {0xf417fcb8U, "-4.816666E31"},
    {0x2051651cU, "1.7736443E-19"},
    {0x6fc11c56U, "1.1952973E29"},
    {0xedde10b5U, "-8.590734E27"},
    {0x25494748U, "1.7458122E-16"},
    {0x602da952U, "5.0054493E19"},
    {0xa80947cU, "1.2381805E-32"},
    {0xa6e7a756U, "-1.6074201E-15"},
    {0x97a7a416U, "-1.0833543E-24"},
    {0x77e36052U, "9.2234765E33"},
    {0x46acfc23U, "22142.068"},
    {0xb7e96148U, "-2.7821065E-5"},
    {0x38d31287U, "1.0064715E-4"},
    {0xa833c02aU, "-9.978165E-15"},
    {0xbd699d4bU, "-0.057034772"},
    {0x39ca8aa0U, "3.8631726E-4"},
    {0x828e8ab3U, "-2.0944634E-37"},
    {0xa22d3b75U, "-2.3477348E-18"},
    {0xf00a4c4U, "6.34262E-30"},
    {0xf6b5b50eU, "-1.8427304E33"},
    {0xa343f027U, "-1.06218254E-17"},
    {0x1825f6cfU, "2.1450357E-24"},
    {0x81fd5c88U, "-9.30703E-38"},
    {0x44e96c72U, "1867.3889"},
    {0xfb8dece5U, "-1.4738373E36"},
    {0x6be3a185U, "5.5037783E26"},
    {0x1d55f8afU, "2.8318882E-21"},
    {0xf39ba58cU, "-2.46632E31"},
    {0x96b128dfU, "-2.8621686E-25"},
    {0x968658d4U, "-2.1704926E-25"},
    {0xbd351084U, "-0.044205204"},
    {0x4ab1e2b4U, "5828954.0"},
    {0x9164a853U, "-1.8037898E-28"},
    {0xf8bf833fU, "-3.107471E34"},
    {0x84a9e26bU, "-3.993964E-36"},
    {0x583ab65fU, "8.2116976E14"},
    {0x8262f764U, "-1.6674855E-37"},
    {0xc39f716eU, "-318.88617"},
    {0xac679581U, "-3.2910066E-12"},
    {0xbd65fc87U, "-0.056149032"},
    {0x3deb75e9U, "0.11497099"},
    {0x7ebbbd33U, "1.2477401E38"},
    {0x9f10defeU, "-3.067764E-20"},
    {0x3bb8e9d5U, "0.0056431093"},
    {0xe167f03eU, "-2.6740682E20"},
    {0xf1698104U, "-1.15625564E30"},
    {0x2ab6b3b7U, "3.2454397E-13"},
    {0xd660127dU, "-6.1592503E13"},
    {0x13fc66f1U, "6.371525E-27"},
    {0x440cfb12U, "563.923"},
    {0x92cf63aaU, "-1.3088106E-27"},
    {0x9fc02d83U, "-8.1390456E-20"},
    {0xf4a77c97U, "-1.0615729E32"},
    {0x9bf4edcfU, "-4.0520094E-22"},
    {0x21142beU, "1.0672072E-37"},
    {0x3a32af72U, "6.8163045E-4"},
    {0xb9aec9d9U, "-3.3338254E-4"},
    {0xf0e89a7fU, "-5.7589837E29"},
    {0xb2ec1cb8U, "-2.7487076E-8"},
    {0xe9ca0b18U, "-3.0531926E25"},
    {0xc8056107U, "-136580.11"},
    {0x96026e41U, "-1.0536106E-25"},
    {0x15c4e9f2U, "7.953287E-26"},
    {0x24ff3101U, "1.1067164E-16"},
    {0xb41565d2U, "-1.3913748E-7"},
    {0x2155bd97U, "7.2418127E-19"},
    {0x2cca109U, "3.0067536E-37"},
    {0x77374ad8U, "3.7176107E33"},
    {0xaa384bf7U, "-1.6368839E-13"},
    {0xa21de3deU, "-2.13981E-18"},
    {0x6010b8f0U, "4.1713395E19"},
    {0xebb5a8b1U, "-4.392244E26"},
    {0xf73e9407U, "-3.8653858E33"},
    {0x8724b510U, "-1.2391198E-34"},
    {0xfa30b76dU, "-2.2939114E35"},
    {0x4b4e3598U, "1.3514136E7"},
    {0x3bd80fecU, "0.006593695"},
    {0x2f0dcf31U, "1.2897484E-10"},
    {0x330745a7U, "3.1495485E-8"},
    {0x41eb4e24U, "29.413155"},
    {0x3980404aU, "2.4461962E-4"},
    {0x454d8a51U, "3288.6448"},
    {0x49bc10a6U, "1540628.8"},
    {0x3f47c7eeU, "0.78039443"},
    {0x48286eb9U, "172474.89"},
    {0x49576e30U, "882403.0"},
    {0x3f4f38a5U, "0.8094581"},
    {0x3815afd6U, "3.568813E-5"},
    {0x466f6233U, "15320.55"},
    {0x35053d20U, "4.963531E-7"},
    {0x3950b84eU, "1.9905085E-4"},
    {0x3a276ae2U, "6.386471E-4"},
    {0x33062937U, "3.123679E-8"},
    {0x470a9bd1U, "35483.816"},
    {0x3f3ef840U, "0.7459755"},
    {0x38293c9dU, "4.034919E-5"},
    {0x3b7b2ec1U, "0.0038327428"},
    {0x46ca6f91U, "25911.783"},
    {0x398a5ac3U, "2.6389034E-4"},
    {0x47074f4fU, "34639.31"},
    {0x33f3cbd1U, "1.1352643E-7"},
    {0x3e157a69U, "0.14597477"},
    {0x46d3c204U, "27105.008"},
    {0x3659acb5U, "3.2436049E-6"},
    {0x3b820363U, "0.003967689"},
    {0x35321fa2U, "6.63562E-7"},
    {0x37def5a1U, "2.6578842E-5"},
    {0x4339f222U, "185.94583"},
    {0x3ec44755U, "0.38335672"},
    {0x331839cfU, "3.5442834E-8"},
    {0x3d9d3602U, "0.07676317"},
    {0x3ad57f31U, "0.0016288516"},
    {0x3ffe06a5U, "1.9845778"},
    {0x3944504dU, "1.8721931E-4"},
    {0x328ac1f8U, "1.6153521E-8"},
    {0x471e11faU, "40465.977"},
    {0x355f4b6bU, "8.318372E-7"},
    {0x360ef092U, "2.129968E-6"},
    {0x4197e57dU, "18.987055"},
    {0x3a5bc104U, "8.3829486E-4"},
    {0x3bf6b0f0U, "0.007528417"},
    {0x44ff7d6bU, "2043.9193"},
    {0x34273150U, "1.5571027E-7"},
    {0x4c7fea03U, "6.7086348E7"},
    {0x4081c7abU, "4.0556235"},
    {0x3b036f47U, "0.002005534"},
    {0x40be5655U, "5.9480386"},
    {0x316e7280U, "3.4698644E-9"},
    {0x4996d699U, "1235667.1"},
    {0x2fbc84c9U, "3.429135E-10"},
    {0x42176428U, "37.84781"},
    {0x3ab6f035U, "0.0013957085"},
    {0x3ae9095aU, "0.0017779276"},
    {0x33852a1aU, "6.200953E-8"},
    {0x4054afacU, "3.3232222"},
    {0x446d0bcbU, "948.18427"},
    {0x368c1318U, "4.174548E-6"},
    {0x4a6e80a8U, "3907626.0"},
    {0x4a83fd8cU, "4325062.0"},
    {0x45bf2e54U, "6117.791"},
    {0x3382414bU, "6.0654735E-8"},
    {0x401f5537U, "2.489576"},
    {0x41ad10d9U, "21.633226"},
    {0x461894e9U, "9765.228"},
    {0x449b81ebU, "1244.0599"},
    {0x40e61ef1U, "7.191277"},
    {0x3316d0ceU, "3.5114503E-8"},
    {0x3b6a73fbU, "0.0035774696"},
    {0x3c72a641U, "0.014810146"},
    {0x30c92a86U, "1.4636761E-9"},
    {0x43930741U, "294.05667"},
    {0x33b1ff64U, "8.28866E-8"},
    {0x37899ca7U, "1.640462E-5"},
    {0x481c0799U, "159774.39"},
    {0x3a86959fU, "0.0010267979"},
    {0x37c675fcU, "2.365838E-5"},
    {0x487220c5U, "247939.08"},
    {0x46059e5bU, "8551.589"},
    {0x429b7338U, "77.72504"},
    {0x41a43c91U, "20.529573"},
    {0x46b38b97U, "22981.795"},
    {0x460c9c77U, "8999.116"},
    {0x45fdd668U, "8122.801"},
    {0x4aa219f1U, "5311736.5"},
    {0x3f8acc9dU, "1.0843693"},
    {0x48e4d261U, "468627.03"},
    };
    char buf[40];
    size_t bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        float f;
        memcpy(&f, &cases[i].bits, sizeof f);
        kc_java_float_to_string(f, buf);
        if (strcmp(buf, cases[i].text) != 0 && bad++ < 10)
            fprintf(stderr, "\n%08x: want %s got %s", cases[i].bits, cases[i].text, buf);
    }
    CU_ASSERT(bad == 0);
}

static void test_java_hash(void)
{
    static const struct {
        const char *s;
        int32_t hash;
    } strings[] = {
    {"", 0},
    {"a", 97},
    {"filename", -734768633},
    {"kafka_topic", -37997866},
    {"h\xc3\xa9llo", 103094734},
    {"\xf0\x9f\x98\x80", 1772899},
    {"\xe4\xb8\xad\xe6\x96\x87", 646394},
    {"the quick brown fox jumps over the lazy dog", -2082818701},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        kc_value *v = kc_value_string(strings[i].s);
        int32_t h;
        CU_ASSERT(kc_value_java_hash(v, &h) == 0 && h == strings[i].hash);
        kc_value_free(v);
    }
    int32_t h;
    kc_value *v = kc_value_int64(-1);
    CU_ASSERT(kc_value_java_hash(v, &h) == 0 && h == 0);
    kc_value_free(v);
    v = kc_value_boolean(true);
    CU_ASSERT(kc_value_java_hash(v, &h) == 0 && h == 1231);
    kc_value_free(v);
    v = kc_value_bytes("x", 1);
    CU_ASSERT(kc_value_java_hash(v, &h) == -1); /* identity hash in Java */
    kc_value_free(v);
}

static kc_value *map_of_keys(const char *csv)
{
    kc_value *m = kc_value_map_new();
    char *copy = strdup(csv), *save = NULL;
    for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save))
        kc_value_map_put_str_new(m, k, kc_value_int32(0));
    free(copy);
    return m;
}

static void test_java_hashmap_order(void)
{
    /* Keys put in the first order into an empty java.util.HashMap iterate in the second (Java),
     * including the spec's examples and tables resized because one bucket reached 9 entries. */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"position,file", "file,position"},
        {"kafka_topic,kafka_partition", "kafka_partition,kafka_topic"},
        {"b,a,c", "a,b,c"},
        {"server,database,table", "server,database,table"},
    {"k2paaao53,fn9lf", "fn9lf,k2paaao53"},
    {"21401e,rs7sp0qx0,h8yvgiwr7f", "21401e,h8yvgiwr7f,rs7sp0qx0"},
    {"3d730km,6jtta3b0rt,g2j_c6dui2jz,ulwt5oxlhx,8vv", "g2j_c6dui2jz,ulwt5oxlhx,3d730km,6jtta3b0rt,8vv"},
    {"6p77b,2iepnk07,eu,euimls,4yqyhlla7dtj,_boy,m,p0i", "eu,euimls,4yqyhlla7dtj,_boy,6p77b,2iepnk07,p0i,m"},
    {"ve_647olmj,xd8wr_ecu1,ppnp,6kz,5kr37,b,j,vrtkqrx,7kn04pah,q8ezq7kjyj_2,ml7as9,y4x", "xd8wr_ecu1,ve_647olmj,b,ml7as9,6kz,ppnp,7kn04pah,vrtkqrx,j,y4x,5kr37,q8ezq7kjyj_2"},
    {"m2z570_,bl_9i_p2cmu,b3d5uburs,bqqumm6,el_26y9qah,ugsblkfda2bd,m2,c2tic,v,3i5ftj,xux,hdht7ss0rf,x5l", "m2,bqqumm6,b3d5uburs,ugsblkfda2bd,x5l,m2z570_,bl_9i_p2cmu,c2tic,3i5ftj,el_26y9qah,v,hdht7ss0rf,xux"},
    {"x,1k9ange8,u8pjk,rtxwd45szj,qa,lqo,g577w0,_nuem,emj,ke,15317,ewlx_j_og,mil,z2ifiyyxj2,c_,f3x2s,qv6_c1cegfb,76gtgwz2e8,furf,5cziv4857", "g577w0,_nuem,emj,5cziv4857,u8pjk,lqo,1k9ange8,76gtgwz2e8,z2ifiyyxj2,qa,ewlx_j_og,qv6_c1cegfb,mil,furf,x,ke,f3x2s,rtxwd45szj,c_,15317"},
    {"ee7bqs31i,wxv8j04,n5kpw,ukv0pxmq36wd,njh8s3s5nrg,xl7j1l9wqru,8szlx9yez,urodxof,gx,ds_czw,3z9hyvz,5htsr4pf8_,9yo,q_,rwrrl6en,oa_r966rj4,vlzyetoz9vg,jon4,4,dwlb,vb61pir3,o8gc35kjld,aa_0j6engy,gj1l59dnm9h", "5htsr4pf8_,xl7j1l9wqru,3z9hyvz,dwlb,o8gc35kjld,ee7bqs31i,njh8s3s5nrg,n5kpw,q_,wxv8j04,9yo,urodxof,gx,rwrrl6en,4,ds_czw,vlzyetoz9vg,gj1l59dnm9h,8szlx9yez,ukv0pxmq36wd,jon4,oa_r966rj4,vb61pir3,aa_0j6engy"},
    {"z7kjp7ex6u9e,06hh8r,s,x17,cx_lxnmf_6,xuf9r5cl1,t_en,5vq,i,blmu,4shubbdvhzlf,s5noil,3fa5vote0,z5ypg7fp_uh,3q,k07jsn,kiyo14dxv_,3dwh,e4b333hs5y2p,4b,4gd5,u0l,_y,up6auz,bo", "up6auz,k07jsn,bo,06hh8r,cx_lxnmf_6,blmu,s5noil,4gd5,3q,x17,t_en,3fa5vote0,e4b333hs5y2p,xuf9r5cl1,i,4b,5vq,u0l,s,4shubbdvhzlf,3dwh,_y,kiyo14dxv_,z7kjp7ex6u9e,z5ypg7fp_uh"},
    {"6zig,aj2o80ny,tjtb,d1,r3rjlysn5nxx,th1q5ee,2tf,mh_61lt6,e7sbwi,fvl9nikj8x6x,f4,7tiylqo31l,r4tuy3,v2j4zs52c,y35dgqoe42d,m7opdnoeiuz,jkt6nk4_qfiu,6vp67c,6m74eyktfj,o1hi_m,13,w9kl,t,sykzluyapk,2zvv_5p7b0,hlwh,o1s,fe0_8rs34l,mgjl,k3n16r,zinnmdnr,1t66yoyevf,x,d_9yq_rony7,m,64nat92,elmx,vit4kwdsaq,3,il926mi2", "sykzluyapk,m7opdnoeiuz,e7sbwi,v2j4zs52c,1t66yoyevf,aj2o80ny,r4tuy3,y35dgqoe42d,il926mi2,2zvv_5p7b0,6vp67c,d1,f4,6m74eyktfj,o1s,r3rjlysn5nxx,tjtb,vit4kwdsaq,fvl9nikj8x6x,o1hi_m,d_9yq_rony7,13,2tf,hlwh,m,jkt6nk4_qfiu,mgjl,th1q5ee,k3n16r,3,t,64nat92,w9kl,fe0_8rs34l,6zig,x,zinnmdnr,mh_61lt6,elmx,7tiylqo31l"},
    {"636,wwu5,j4tq9,f9y3hrc3md,vfjcb2x5i,f9w9,64_c0g1k60f,t,uihs4lrwqu,v7j7kl,6,7f8sgkqqw5ad,sl,lq,llwz9wawhv9,uq_or,u,atvxh9nzhkj,d6ndyp8q4uu,mzh,vm28swk,t9t,vz0cysvlt,zjh5vx_rxwc,9f_pik6,fzijeq1qko,kpzytd2izx,ql,xqrijv,jo7qvmpvn5_3,j,d,4zj7wlwvb8,5vtgf,b18tkf2uf,ojh19xdrvn3,mkh,j9oiih,hp,nkc,sj7kc,a5k8u,dup5r,bs1,p9s3pj67th5,yetyfqpsa0ew,ab77pch704,ovep,rssn331f2", "bs1,a5k8u,lq,f9y3hrc3md,kpzytd2izx,hp,mkh,xqrijv,ab77pch704,636,ql,fzijeq1qko,sj7kc,dup5r,uihs4lrwqu,j9oiih,6,v7j7kl,jo7qvmpvn5_3,uq_or,nkc,yetyfqpsa0ew,t9t,vm28swk,9f_pik6,d6ndyp8q4uu,sl,vz0cysvlt,f9w9,mzh,7f8sgkqqw5ad,d,ovep,4zj7wlwvb8,rssn331f2,j,llwz9wawhv9,p9s3pj67th5,64_c0g1k60f,atvxh9nzhkj,5vtgf,ojh19xdrvn3,b18tkf2uf,t,zjh5vx_rxwc,u,wwu5,vfjcb2x5i,j4tq9"},
    {"nq22y0bzkzwu,hbstrua,6h,rh6b4py,bmi147,h95ggwyxp67,oxxi3sm3efah,7yedsodl19,_8z,z3nq_eh_8is,9qra00aw,ej_riz,e20mvjst,2030p,qsqynjlk64,zfs_epm,2px4v5e2,oetaz4e4f_,8g,4uo,m5rs6wu0tn5,a,mms__1gq8b,_baazjsp,h33,xqo4vykag,r,nge0v3z,ru1x5r,8qxvh7t7,sk5wgj9_2,5hmv0tx93q9r,i2trt,pfu9b0ld,wrzvld1g3,glwo89w,qh6w,mam_n4,9t,xk51rhdw,jb3t2o1l,7,42op,395hvr,j_9007780a,5,5qtfabk2p,564,f9lov9sn5o1w,66pnkv,ius97,hp6_0,d,ag,m_p,j6xv,q9h2zu_8nl,g85bp,nu8zk41a4zs,8ik6_w8_28m,ho7,g_65bo261ur7,_gxs00kjoe,wf1ex,btpnny6j87f,h3oh0,s8hgpfs8k,l,uank6_7w,_069,gn0syd,c593zbts7oyn,f6gvsqyo,s8if,sv88_8oas4o,bulcotld9l,lbdr_t3i,1_uv,d7ri8cjr7x,touf1q,1i7txh,6w9,fy5ccxc_1,9,cf543b2yf06t,eipniyj,pq1u,u7d,i1xtfne,ld2mm,wb,fabjealwav4,zl,9dkcqdult,9_147t8,1,guekp", "9dkcqdult,nq22y0bzkzwu,btpnny6j87f,jb3t2o1l,ho7,pq1u,d7ri8cjr7x,9_147t8,gn0syd,h3oh0,m_p,_069,ag,8g,xqo4vykag,1,zl,f6gvsqyo,5,7,g85bp,s8if,eipniyj,9,j6xv,guekp,j_9007780a,u7d,uank6_7w,glwo89w,ru1x5r,6w9,sv88_8oas4o,1i7txh,9t,bmi147,a,2030p,d,h95ggwyxp67,wrzvld1g3,s8hgpfs8k,2px4v5e2,qh6w,l,nge0v3z,395hvr,r,1_uv,rh6b4py,9qra00aw,fy5ccxc_1,hbstrua,e20mvjst,fabjealwav4,_baazjsp,_gxs00kjoe,sk5wgj9_2,qsqynjlk64,8qxvh7t7,mam_n4,5qtfabk2p,oetaz4e4f_,hp6_0,564,5hmv0tx93q9r,cf543b2yf06t,xk51rhdw,g_65bo261ur7,q9h2zu_8nl,42op,m5rs6wu0tn5,h33,wf1ex,wb,mms__1gq8b,i2trt,4uo,8ik6_w8_28m,bulcotld9l,ej_riz,pfu9b0ld,oxxi3sm3efah,nu8zk41a4zs,ius97,_8z,7yedsodl19,i1xtfne,touf1q,zfs_epm,6h,z3nq_eh_8is,lbdr_t3i,f9lov9sn5o1w,66pnkv,ld2mm,c593zbts7oyn"},
    {"k0,k70,k81,k92,k120,k131,k142,k153,k164,zz", "zz,k0,k70,k81,k92,k120,k131,k142,k153,k164"},
    {"k0,k70,k81,k92,k120,k131,k142,k153,k164,k175,k186,zz", "zz,k0,k70,k81,k92,k120,k131,k142,k153,k164,k175,k186"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_value *m = map_of_keys(cases[i].in);
        CU_ASSERT_FATAL(kc_value_map_to_java_hashmap_order(m) == 0);
        char got[4096] = "";
        for (size_t k = 0; k < kc_value_map_size(m); k++) {
            if (k)
                strcat(got, ",");
            strcat(got, kc_value_get_string(kc_value_map_key_at(m, k), NULL));
        }
        if (strcmp(got, cases[i].out) != 0)
            fprintf(stderr, "\n  want: %s\n  got:  %s\n", cases[i].out, got);
        CU_ASSERT_STRING_EQUAL(got, cases[i].out);
        kc_value_free(m);
    }
    /* Long keys (Java: [-1, 16, 17, 65536, 8589934592, 3, -100, 100]). */
    const int64_t keys[] = {100, -1, 17, 1LL << 33, 3, -100, 65536, 16};
    kc_value *m = kc_value_map_new();
    for (size_t i = 0; i < 8; i++)
        kc_value_map_put_new(m, kc_value_int64(keys[i]), NULL);
    CU_ASSERT_FATAL(kc_value_map_to_java_hashmap_order(m) == 0);
    expect_java_string(m, "{-1=null, 16=null, 17=null, 65536=null, 8589934592=null, 3=null, "
                          "-100=null, 100=null}");
    kc_value_free(m);
}

/* ---- JSON writer ---------------------------------------------------------------------------- */

static void test_json_writer(void)
{
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    kc_json_write_key(&w, "a", 1);
    kc_json_begin_array(&w);
    kc_json_write_int64(&w, -1);
    kc_json_write_double(&w, 0.5);
    kc_json_write_float(&w, INFINITY);
    kc_json_write_bool(&w, false);
    kc_json_write_null(&w);
    kc_json_write_base64(&w, "ab", 2);
    kc_json_write_raw(&w, "1E+3", 4);
    kc_json_end_array(&w);
    kc_json_write_key(&w, "k\"\xe2\x80\xa8", 5);
    kc_json_write_string(&w, "/\x7f", 2);
    kc_json_end_object(&w);
    size_t n;
    kc_error err;
    char *out = kc_json_writer_take(&w, &n, &err);
    CU_ASSERT_FATAL(out != NULL);
    CU_ASSERT_STRING_EQUAL(out, "{\"a\":[-1,0.5,\"Infinity\",false,null,\"YWI=\",1E+3],"
                                "\"k\\\"\xe2\x80\xa8\":\"/\x7f\"}");
    free(out);
    kc_json_writer_free(&w);

    /* Nesting: 1000 levels are written, the 1001st is refused (Jackson's write limit). */
    kc_json_writer_init(&w, 0);
    for (int i = 0; i < 1000; i++)
        CU_ASSERT(kc_json_begin_array(&w) == 0);
    CU_ASSERT(kc_json_begin_array(&w) == -1);
    out = kc_json_writer_take(&w, &n, &err);
    CU_ASSERT(out == NULL);
    CU_ASSERT(strstr(err.msg, "Document nesting depth (1001) exceeds the maximum allowed (1000)") != NULL);
    kc_json_writer_free(&w);

    /* The size bound, and unclosed documents. */
    kc_json_writer_init(&w, 8);
    kc_json_write_string(&w, "0123456789", 10);
    CU_ASSERT(kc_json_writer_take(&w, &n, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "exceeds the maximum size of 8 bytes") != NULL);
    kc_json_writer_init(&w, 0);
    kc_json_begin_object(&w);
    CU_ASSERT(kc_json_writer_take(&w, &n, &err) == NULL);
    kc_json_writer_free(&w);

    /* Invalid UTF-8 is refused: overlong, truncated, beyond U+10FFFF. */
    const char *bad[] = {"\xc0\x80", "\xe2\x82", "\xf4\x90\x80\x80", "\x80", "\xff"};
    for (size_t i = 0; i < 5; i++) {
        kc_json_writer_init(&w, 0);
        CU_ASSERT(kc_json_write_string(&w, bad[i], strlen(bad[i])) == -1);
        CU_ASSERT(kc_json_writer_take(&w, &n, &err) == NULL);
        CU_ASSERT(strstr(err.msg, "not valid UTF-8") != NULL);
    }
}

static void test_base64(void)
{
    char out[16];
    CU_ASSERT(kc_base64_encode("", 0, out) == 0 && out[0] == '\0');
    kc_base64_encode("f", 1, out);
    CU_ASSERT_STRING_EQUAL(out, "Zg==");
    kc_base64_encode("fo", 2, out);
    CU_ASSERT_STRING_EQUAL(out, "Zm8=");
    kc_base64_encode("foo", 3, out);
    CU_ASSERT_STRING_EQUAL(out, "Zm9v");
    /* Jackson's decoder (MIME-NO-LINEFEEDS), behaviour checked with Java. */
    static const struct {
        const char *in;
        const char *want; /* NULL = error */
        size_t n;
    } cases[] = {
        {"AQ==AQ==", "\x01\x01", 2}, {"AQ== ", "\x01", 1}, {" AQ==", "\x01", 1},
        {"AQID\nAQID", "\x01\x02\x03\x01\x02\x03", 6}, {"AQI=AQ==", "\x01\x02\x01", 3},
        {"AQI", NULL, 0}, {"AQ=", NULL, 0}, {"AQ=x", NULL, 0}, {"AQ==x", NULL, 0},
        {"A===", NULL, 0}, {"AQ I=", NULL, 0}, {"", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *bytes = NULL;
        size_t n = 0;
        kc_error err;
        int rc = kc_base64_decode(cases[i].in, strlen(cases[i].in), &bytes, &n, &err);
        if (cases[i].want) {
            CU_ASSERT(rc == 0 && n == cases[i].n && memcmp(bytes, cases[i].want, n) == 0);
        } else {
            CU_ASSERT(rc == -1);
        }
        free(bytes);
    }
}

/* ---- JSON reader (spec §1.5; results checked against JsonConverter 4.3.1) ------------------- */

static void test_json_reader_values(void)
{
    static const struct {
        const char *in;
        size_t len; /* 0 = strlen */
        kc_value_type type;
        const char *text; /* Java's toString of the value read */
    } cases[] = {
        {"007", 0, KC_VALUE_INT64, "7"},
        {"-007", 0, KC_VALUE_INT64, "-7"},
        {"00", 0, KC_VALUE_INT64, "0"},
        {"-0", 0, KC_VALUE_INT64, "0"},
        {"00.5", 0, KC_VALUE_FLOAT64, "0.5"},
        {"01.5", 0, KC_VALUE_FLOAT64, "1.5"},
        {"-0.0", 0, KC_VALUE_FLOAT64, "0.0"},
        {"1e400", 0, KC_VALUE_FLOAT64, "Infinity"},
        {"0.1e-400", 0, KC_VALUE_FLOAT64, "0.0"},
        {"1E5", 0, KC_VALUE_FLOAT64, "100000.0"},
        {"1.5E+2", 0, KC_VALUE_FLOAT64, "150.0"},
        {"1E-2", 0, KC_VALUE_FLOAT64, "0.01"},
        {"123456789012345678901234567890.5", 0, KC_VALUE_FLOAT64, "1.2345678901234568E29"},
        {"18446744073709551621", 0, KC_VALUE_INT64, "5"},
        {"-9223372036854775809", 0, KC_VALUE_INT64, "9223372036854775807"},
        {"9223372036854775808", 0, KC_VALUE_INT64, "-9223372036854775808"},
        {"{\"a\":1,\"a\":2}", 0, KC_VALUE_MAP, "{a=2}"},
        {"{\"a\":1} x", 0, KC_VALUE_MAP, "{a=1}"},
        {"{\"a\":1}{\"b\":2}", 0, KC_VALUE_MAP, "{a=1}"},
        {"[1,2]]", 0, KC_VALUE_ARRAY, "[1, 2]"},
        {"[1]//", 0, KC_VALUE_ARRAY, "[1]"},
        {"[1]x", 0, KC_VALUE_ARRAY, "[1]"},
        {"\"a\"x", 0, KC_VALUE_STRING, "a"},
        {"\"a\"1", 0, KC_VALUE_STRING, "a"},
        {"{}x", 0, KC_VALUE_MAP, "{}"},
        {"1 x", 0, KC_VALUE_INT64, "1"},
        {"\t\r\n 5", 0, KC_VALUE_INT64, "5"},
        {"[1,\n2]", 0, KC_VALUE_ARRAY, "[1, 2]"},
        {"[01]", 0, KC_VALUE_ARRAY, "[1]"},
        {"true]", 0, KC_VALUE_BOOLEAN, "true"},
        {"true$", 0, KC_VALUE_BOOLEAN, "true"},
        {"true.", 0, KC_VALUE_BOOLEAN, "true"},
        {"\xef\xbb\xbf[1]", 0, KC_VALUE_ARRAY, "[1]"},
        {"\"\\ud83d\\ude00\"", 0, KC_VALUE_STRING, "\xf0\x9f\x98\x80"},
        {"\"\\u00e9\\/\"", 0, KC_VALUE_STRING, "\xc3\xa9/"},
        {"\"NaN\"", 0, KC_VALUE_STRING, "NaN"},
        {"{\"\":1}", 0, KC_VALUE_MAP, "{=1}"},
        {"{\"kafka_topic\":\"t\",\"kafka_partition\":1}", 0, KC_VALUE_MAP, "{kafka_partition=1, kafka_topic=t}"},
        {"{\"position\":1,\"file\":\"f\"}", 0, KC_VALUE_MAP, "{file=f, position=1}"},
        {"{\"n\":{\"b\":1,\"a\":2}}", 0, KC_VALUE_MAP, "{n={a=2, b=1}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_value *v;
        kc_error err;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        int rc = kc_json_parse_value(cases[i].in, len, NULL, &v, &err);
        if (rc != 0)
            fprintf(stderr, "\n%s: %s\n", cases[i].in, err.msg);
        CU_ASSERT_FATAL(rc == 0);
        CU_ASSERT(kc_value_get_type(v) == cases[i].type);
        expect_java_string(v, cases[i].text);
        kc_value_free(v);
    }
    /* No value at all (Jackson's MissingNode), and null. */
    const char *none[] = {"", "  ", "\xef\xbb\xbf", "null"};
    for (size_t i = 0; i < 4; i++) {
        kc_value *v = (kc_value *)1;
        kc_error err;
        CU_ASSERT(kc_json_parse_value(none[i], strlen(none[i]), NULL, &v, &err) == 0);
        CU_ASSERT(v == NULL);
    }
    /* Escaped unpaired surrogates are kept, and written back escaped as Java does. */
    kc_json_node *n;
    kc_error err;
    CU_ASSERT_FATAL(kc_json_parse("[\"\\uD83D\",\"\\ude00\\ud800x\"]", 27, NULL, &n, &err) == 0);
    CU_ASSERT(n->count == 2);
    kc_json_writer w;
    kc_json_writer_init(&w, 0);
    kc_json_write_string(&w, n->items[0]->text, n->items[0]->text_len);
    kc_json_write_string(&w, n->items[1]->text, n->items[1]->text_len);
    kc_json_node_free(n);
    size_t len;
    char *out = kc_json_writer_take(&w, &len, &err);
    if (strcmp(out, "\"\\uD83D\",\"\\uDE00\\uD800x\"") != 0)
        fprintf(stderr, "\n  got: %s\n", out);
    CU_ASSERT_STRING_EQUAL(out, "\"\\uD83D\",\"\\uDE00\\uD800x\"");
    free(out);
}

static void test_json_reader_numbers_and_limits(void)
{
    kc_value *v;
    kc_error err;
    /* 1000 digits are accepted (sign, point, exponent marker and leading zeros not counted). */
    char *big = malloc(1200);
    big[0] = '-';
    memset(big + 1, '9', 1000);
    CU_ASSERT(kc_json_parse_value(big, 1001, NULL, &v, &err) == 0);
    expect_java_string(v, "1"); /* low 64 bits of -(10^1000 - 1), Java */
    kc_value_free(v);
    memset(big, '9', 1001);
    CU_ASSERT(kc_json_parse_value(big, 1001, NULL, &v, &err) == -1);
    CU_ASSERT(strstr(err.msg, "Number value length (1001) exceeds the maximum allowed (1000)") != NULL);
    memset(big, '0', 1000);
    big[1000] = '1';
    CU_ASSERT(kc_json_parse_value(big, 1001, NULL, &v, &err) == 0);
    expect_java_string(v, "1");
    kc_value_free(v);
    memcpy(big, "1.", 2);
    memset(big + 2, '0', 999);
    CU_ASSERT(kc_json_parse_value(big, 1001, NULL, &v, &err) == 0);
    expect_java_string(v, "1.0");
    kc_value_free(v);
    memset(big + 2, '0', 1000);
    CU_ASSERT(kc_json_parse_value(big, 1002, NULL, &v, &err) == -1);
    big[0] = '1';
    memset(big + 1, '0', 997);
    memcpy(big + 998, "e1", 2);
    CU_ASSERT(kc_json_parse_value(big, 1000, NULL, &v, &err) == 0);
    expect_java_string(v, "Infinity");
    kc_value_free(v);
    free(big);

    /* Nesting: 1000 levels read, 1001 refused. */
    char *deep = malloc(2004);
    memset(deep, '[', 1000);
    memset(deep + 1000, ']', 1000);
    CU_ASSERT(kc_json_parse_value(deep, 2000, NULL, &v, &err) == 0);
    kc_value_free(v);
    memset(deep, '[', 1001);
    memset(deep + 1001, ']', 1001);
    CU_ASSERT(kc_json_parse_value(deep, 2002, NULL, &v, &err) == -1);
    CU_ASSERT(strstr(err.msg, "Document nesting depth (1001) exceeds the maximum allowed (1000)") != NULL);
    free(deep);

    /* Document, string and name limits. */
    kc_json_limits lim = kc_json_default_limits();
    lim.max_bytes = 4;
    CU_ASSERT(kc_json_parse_value("[1,2]", 5, &lim, &v, &err) == -1);
    CU_ASSERT(strstr(err.msg, "exceeds the maximum of 4 bytes") != NULL);
    lim = kc_json_default_limits();
    lim.max_string_len = 3;
    CU_ASSERT(kc_json_parse_value("\"abc\"", 5, &lim, &v, &err) == 0);
    kc_value_free(v);
    CU_ASSERT(kc_json_parse_value("\"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"", 10, &lim, &v, &err) == -1);
    lim.max_name_len = 1;
    CU_ASSERT(kc_json_parse_value("{\"ab\":1}", 8, &lim, &v, &err) == -1);
    CU_ASSERT(strstr(err.msg, "Name length (2) exceeds the maximum allowed (1)") != NULL);
}

static void test_json_reader_errors(void)
{
    static const struct {
        const char *in;
        const char *want; /* a part of the message (Jackson's wording where it has one) */
    } cases[] = {
        {"1.", "Decimal point not followed by a digit"},
        {"1e", "end-of-input"},
        {"1e+", "end-of-input"},
        {"-", "end-of-input"},
        {"-x", "expected digit (0-9) to follow minus sign"},
        {"[-]", "expected digit (0-9) to follow minus sign"},
        {"+1", "Unexpected character ('+' (code 43))"},
        {".5", "Unexpected character ('.' (code 46))"},
        {"NaN", "Unrecognized token 'NaN'"},
        {"'a'", "Unexpected character (''' (code 39))"},
        {"[1,]", "expected a value"},
        {"{\"a\":1,}", "was expecting double-quote to start field name"},
        {"\"a\x01\"", "Illegal unquoted character ((CTRL-CHAR, code 1))"},
        {"\"\\x\"", "Unrecognized character escape 'x' (code 120)"},
        {"\"\\u12\"", "expected a hex-digit for character escape sequence"},
        {"tru", "Unrecognized token 'tru'"},
        {"nulll", "Unrecognized token 'nulll'"},
        {"truex", "Unrecognized token 'truex'"},
        {"true1", "Unrecognized token 'true1'"},
        {"[true1]", "Unrecognized token 'true1'"},
        {"true_", "Unrecognized token 'true_'"},
        {"[1 2]", "was expecting comma to separate Array entries"},
        {"[1x]", "was expecting comma to separate Array entries"},
        {"{\"a\" 1}", "was expecting a colon to separate field name and value"},
        {"{1:2}", "was expecting double-quote to start field name"},
        {"1x", "Expected space separating root-level values"},
        {"1]", "Expected space separating root-level values"},
        {"1,2", "Expected space separating root-level values"},
        {"0x10", "Expected space separating root-level values"},
        {"1.5.5", "Expected space separating root-level values"},
        {"[1", "expected close marker for ARRAY"},
        {"{\"a\":1", "expected close marker for OBJECT"},
        {"\"abc", "closing quote"},
        {"//c\n1", "Unexpected character ('/' (code 47))"},
        {"\xff", "Unrecognized token"},
        {"\"\xed\xa0\x80\"", "Illegal surrogate character 0xd800"},
        {"\"\xe2\x82\"", "Invalid UTF-8 middle byte 0x22"},
        {"\"\xc0\x80\"", "overlong"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_value *v = NULL;
        kc_error err;
        int rc = kc_json_parse_value(cases[i].in, strlen(cases[i].in), NULL, &v, &err);
        CU_ASSERT(rc == -1);
        if (rc == 0) {
            fprintf(stderr, "\n%s: no error\n", cases[i].in);
            kc_value_free(v);
            continue;
        }
        if (!strstr(err.msg, cases[i].want))
            fprintf(stderr, "\n%s: want ...%s...\n  got: %s\n", cases[i].in, cases[i].want, err.msg);
        CU_ASSERT(strstr(err.msg, cases[i].want) != NULL);
    }
    /* The position of the first error is in the message. */
    kc_value *v;
    kc_error err;
    CU_ASSERT(kc_json_parse_value("[1,\n 2 x]", 9, NULL, &v, &err) == -1);
    CU_ASSERT(strstr(err.msg, "at line 2, column 4 (byte offset 7)") != NULL);
}

static void test_json_tree_accessors(void)
{
    kc_json_node *n;
    kc_error err;
    const char *doc = "{\"i\":2147483648,\"s\":\"x\",\"d\":-1.5e1,\"b\":00000000001,\"n\":null}";
    CU_ASSERT_FATAL(kc_json_parse(doc, strlen(doc), NULL, &n, &err) == 0);
    const kc_json_node *i = kc_json_object_get(n, "i");
    CU_ASSERT(i->type == KC_JSON_INT && !i->is_int && i->is_long);
    CU_ASSERT(kc_json_node_int_value(i) == INT32_MIN);
    const kc_json_node *d = kc_json_object_get(n, "d");
    CU_ASSERT(d->type == KC_JSON_DECIMAL && d->as_long == -15 && d->as_double == -15.0);
    kc_value *dec = kc_json_node_decimal_value(d);
    expect_java_string(dec, "-15");
    CU_ASSERT(kc_value_decimal_scale(dec) == -0 || kc_value_decimal_scale(dec) == 0);
    kc_value_free(dec);
    CU_ASSERT(kc_json_object_get(n, "b")->is_int); /* leading zeros are not digits */
    CU_ASSERT_STRING_EQUAL(kc_json_node_type_name(kc_json_object_get(n, "s")), "STRING");
    CU_ASSERT_STRING_EQUAL(kc_json_node_type_name(kc_json_object_get(n, "n")), "NULL");
    CU_ASSERT_STRING_EQUAL(kc_json_node_type_name(kc_json_object_get(n, "zz")), "MISSING");
    CU_ASSERT(kc_json_node_float_value(kc_json_object_get(n, "s")) == 0.0f);
    kc_json_node_free(n);
}

/* ---- Values (SimpleHeaderConverter's text form) --------------------------------------------- */

/* "Schema{ARRAY} of Schema{INT8}" as the Java oracle printed parse results. */
static void describe(const kc_schema *s, char *buf, size_t size)
{
    char a[128], b[128], c[128];
    if (!s) {
        snprintf(buf, size, "null");
        return;
    }
    kc_schema_to_string(s, a, sizeof a);
    if (kc_schema_get_type(s) == KC_SCHEMA_ARRAY)
        snprintf(buf, size, "%s of %s", a, kc_schema_to_string(kc_schema_value_schema(s), b, sizeof b));
    else if (kc_schema_get_type(s) == KC_SCHEMA_MAP)
        snprintf(buf, size, "%s of %s->%s", a, kc_schema_to_string(kc_schema_key_schema(s), b, sizeof b),
                 kc_schema_to_string(kc_schema_value_schema(s), c, sizeof c));
    else
        snprintf(buf, size, "%s", a);
}

static void test_values_parse_string(void)
{
    /* Values.parseString(text), then Values.convertToString of the result (Java 4.3.1). */
    static const struct {
        const char *in, *schema, *back;
    } cases[] = {
        {"[\"a\\\"b\",\"c\\\\d\",1]", "Schema{ARRAY} of null", "[\"a\\\\\\\"b\",\"c\\\\\\\\d\",1]"},
        {"[1,2.5]", "Schema{ARRAY} of Schema{FLOAT32}", "[1.0,2.5]"},
        {"{\"a\":0.001,\"b\":1.0E-4}", "Schema{MAP} of Schema{STRING}->Schema{FLOAT32}", "{\"a\":0.001,\"b\":1.0E-4}"},
        {"[1,null]", "Schema{STRING}", "[1,null]"},
        {"[null]", "Schema{ARRAY} of null", "[null]"},
        {"{\"a\":1,\"b\":null}", "Schema{STRING}", "{\"a\":1,\"b\":null}"},
        {"{}", "Schema{MAP} of null->null", "{}"},
        {"[]", "Schema{ARRAY} of null", "[]"},
        {"[2023-01-01, 5]", "Schema{ARRAY} of Schema{org.apache.kafka.connect.data.Date:INT32}", "[2023-01-01,1970-01-06]"},
        {"[1.5, 2023-01-01]", "Schema{STRING}", "[1.5, 2023-01-01]"},
        {"[\"x\", 1]", "Schema{ARRAY} of null", "[\"x\",1]"},
        {"{1:2,3:4.5}", "Schema{MAP} of Schema{INT8}->Schema{FLOAT32}", "{1:2.0,3:4.5}"},
        {"[[1],[2,3]]", "Schema{ARRAY} of Schema{ARRAY}", "[[1],[2,3]]"},
        {"12:34", "Schema{INT8}", "12"},
        {"  padded  ", "Schema{STRING}", "  padded  "},
        {"[ 1 , 2 ]", "Schema{ARRAY} of Schema{INT8}", "[1,2]"},
        {"true", "Schema{BOOLEAN}", "true"},
        {"-5", "Schema{INT8}", "-5"},
        {"1e2", "Schema{INT8}", "100"},
        {"{\"a\" 1}", "Schema{STRING}", "{\"a\" 1}"},
        {"{\"a\":1 \"b\":2}", "Schema{MAP} of Schema{STRING}->Schema{INT8}", "{\"a\":1,\"b\":2}"},
        {"2023-01-01T12:34:56.789Z", "Schema{org.apache.kafka.connect.data.Timestamp:INT64}", "2023-01-01T12:34:56.789Z"},
        {"\"2023-01-01\"", "Schema{STRING}", "\"2023-01-01\""},
        {"[\"2023-01-01\"]", "Schema{ARRAY} of Schema{org.apache.kafka.connect.data.Date:INT32}", "[2023-01-01]"},
        {"[\"a\",\" \",\"b\"]", "Schema{ARRAY} of Schema{STRING}", "[\"a\",\"\",\"b\"]"},
        {"9223372036854775808", "Schema{org.apache.kafka.connect.data.Decimal:BYTES}", "9223372036854775808"},
        {"-9223372036854775808", "Schema{INT64}", "-9223372036854775808"},
        {"32768", "Schema{INT32}", "32768"},
        {"1.5e40", "Schema{FLOAT64}", "1.5E40"},
        {"[true,false]", "Schema{ARRAY} of Schema{BOOLEAN}", "[true,false]"},
        {"abc:def", "Schema{STRING}", "abc:def"},
        {"[1,\"2\"]", "Schema{ARRAY} of null", "[1,\"2\"]"},
        {"{\"k\":[1,2],\"j\":[3]}", "Schema{MAP} of Schema{STRING}->Schema{ARRAY}", "{\"k\":[1,2],\"j\":[3]}"},
        {"1:2", "Schema{INT8}", "1"},
        {"true}", "Schema{STRING}", "true}"},
        {"12:34:56.789Z", "Schema{org.apache.kafka.connect.data.Time:INT32}", "12:34:56.789Z"},
        {"2023-13-45", "Schema{org.apache.kafka.connect.data.Date:INT32}", "2024-02-14"},
        {"2023-01-0x", "Schema{org.apache.kafka.connect.data.Date:INT32}", "2022-12-31"},
        {"[1,2", "Schema{STRING}", "[1,2"},
        {"1.5", "Schema{FLOAT32}", "1.5"},
        {"3.14159265358979", "Schema{FLOAT32}", "3.1415927"},
        {"123456789012345678901234567890", "Schema{org.apache.kafka.connect.data.Decimal:BYTES}", "123456789012345678901234567890"},
        {"1E+40", "Schema{FLOAT64}", "1.0E40"},
        {" x ", "Schema{STRING}", " x "},
        {"{a:1}", "Schema{STRING}", "{a:1}"},
        {"[a,b]", "Schema{STRING}", "[a,b]"},
        {"1.", "Schema{INT8}", "1"},
        {".5", "Schema{STRING}", ".5"},
        {"[1,,2]", "Schema{STRING}", "[1,,2]"},
        {"{1:2,3:}", "Schema{STRING}", "{1:2,3:}"},
        {"+5", "Schema{INT8}", "5"},
        {"1.0", "Schema{INT8}", "1"},
        {"[300,1]", "Schema{ARRAY} of Schema{INT16}", "[300,1]"},
        {"", "Schema{STRING}", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_schema_and_value sv;
        kc_error err;
        int rc = kc_values_parse_string(cases[i].in, strlen(cases[i].in), &sv, &err);
        if (rc != 0)
            fprintf(stderr, "\n%s: %s\n", cases[i].in, err.msg);
        CU_ASSERT_FATAL(rc == 0);
        char desc[512];
        describe(sv.schema, desc, sizeof desc);
        char *back;
        size_t n;
        CU_ASSERT_FATAL(kc_values_convert_to_string(sv.schema, sv.value, &back, &n, &err) == 0);
        if (strcmp(desc, cases[i].schema) != 0 || strcmp(back, cases[i].back) != 0)
            fprintf(stderr, "\n%s:\n  want %s => %s\n  got  %s => %s\n", cases[i].in, cases[i].schema,
                    cases[i].back, desc, back);
        CU_ASSERT_STRING_EQUAL(desc, cases[i].schema);
        CU_ASSERT_STRING_EQUAL(back, cases[i].back);
        free(back);
        kc_schema_and_value_clear(&sv);
    }
    /* The literal null parses to no schema and no value. */
    kc_schema_and_value sv;
    kc_error err;
    CU_ASSERT(kc_values_parse_string("null", 4, &sv, &err) == 0);
    CU_ASSERT(sv.schema == NULL && sv.value == NULL);
}

static void test_values_convert_to_string(void)
{
    char *s;
    size_t n;
    kc_error err;
    CU_ASSERT(kc_values_convert_to_string(NULL, NULL, &s, &n, &err) == 0 && s == NULL);
    kc_value *m = kc_value_map_new();
    kc_value_map_put_new(m, kc_value_int32(1), kc_value_bytes("\xff", 1));
    kc_value_map_put_str_new(m, "q\"", kc_value_timestamp(1));
    CU_ASSERT(kc_values_convert_to_string(NULL, m, &s, &n, &err) == 0);
    CU_ASSERT_STRING_EQUAL(s, "{1:\"/w==\",\"q\\\"\":00:00:00.001Z}");
    free(s);
    kc_value_free(m);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"schemas: predefined and logical", test_schema_predefined},
        {"schemas: builder", test_schema_builder},
        {"schemas: builder errors (Java messages)", test_schema_builder_errors},
        {"schemas: shared across threads", test_schema_shared_across_threads},
        {"structs: validation (Java messages)", test_struct_validation},
        {"structs: defaults", test_struct_defaults},
        {"values: deep copy and equality", test_value_copy_equals},
        {"values: maps with many keys", test_map_many_keys},
        {"values: depth limit", test_value_depth_limit},
        {"decimal: BigDecimal text, bytes, hash (Java)", test_decimal_text},
        {"logical types: conversions and errors", test_logical_conversions},
        {"java: Double.toString", test_java_double_to_string},
        {"java: Float.toString", test_java_float_to_string},
        {"java: hashCode", test_java_hash},
        {"java: HashMap iteration order", test_java_hashmap_order},
        {"json writer", test_json_writer},
        {"base64", test_base64},
        {"json reader: values and quirks", test_json_reader_values},
        {"json reader: numbers and limits", test_json_reader_numbers_and_limits},
        {"json reader: errors", test_json_reader_errors},
        {"json reader: tree accessors", test_json_tree_accessors},
        {"values: parseString (Java)", test_values_parse_string},
        {"values: convertToString", test_values_convert_to_string},
        {NULL, NULL},
    };
    return kc_test_run("data", cases);
}
