/* Cast$Key / Cast$Value: every cast Java supports, logical types, schema updates and messages,
 * compared with Apache Kafka 4.3.1's outputs for the same inputs. */
#include <math.h>
#include <string.h>

#include "test_transforms.h"

static kc_record *cast_value(smt s, const kc_schema *schema, kc_value *v)
{
    kc_error err;
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), v);
    r = smt_apply(s, r, &err);
    CU_ASSERT(r != NULL);
    return r;
}

static void test_cast_schemaless_fields(void)
{
    kc_error err;
    smt s = smt_new("Cast$Value", &err, "spec", "a:int32,b:int64,c:string,d:int8,zz:boolean", NULL);
    kc_record *r = cast_value(s, NULL, map_of("a", kc_value_string("42"), "b", kc_value_float64(1.9), "c",
                                              kc_value_boolean(true), "d", kc_value_int32(300), NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{zz=null, a=42, b=1, c=true, d=44}");
    kc_record_free(r);
    smt_free(s);
}

static void test_cast_whole_value_schema(void)
{
    kc_error err;
    kc_schema_builder *b = kc_schema_builder_new(KC_SCHEMA_INT64);
    kc_schema_builder_name(b, "nm");
    kc_schema_builder_optional(b);
    kc_schema_builder_default_new(b, kc_value_int64(7));
    const kc_schema *schema = kc_schema_builder_build(b, &err);
    smt s = smt_new("Cast$Value", &err, "spec", "int32", NULL);
    kc_record *r = cast_value(s, schema, kc_value_int64(5000000000LL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "705032704");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "INT32?(nm)=7");
    kc_record_free(r);
    r = src("t", 0, KC_NO_TIMESTAMP); /* null passes */
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(kc_value_is_null(r->value));
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(schema);

    s = smt_new("Cast$Key", &err, "spec", "string", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_key_new(r, kc_schema_int32(), kc_value_int32(42));
    kc_record_set_value_new(r, NULL, kc_value_string("v"));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "42");
    CU_ASSERT_STRING_EQUAL(sstr(r->key_schema), "STRING");
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "v");
    kc_record_free(r);
    smt_free(s);

    s = smt_new("Cast$Value", &err, "spec", "string", NULL);
    r = cast_value(s, NULL, kc_value_float32(2.5f));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "2.5");
    CU_ASSERT_EQUAL(kc_value_get_type(r->value), KC_VALUE_STRING);
    kc_record_free(r);
    smt_free(s);
}

static const kc_schema *s3_schema(void)
{
    kc_error err;
    kc_schema_builder *b = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_optional(b);
    kc_schema_builder_default_new(b, kc_value_int32(3));
    const kc_schema *i = kc_schema_builder_build(b, &err);
    kc_schema_builder *sb = kc_schema_builder_struct();
    kc_schema_builder_name(sb, "s");
    kc_schema_builder_field(sb, "i", i);
    kc_schema_builder_field(sb, "f", kc_schema_float64());
    kc_schema_builder_field(sb, "s", kc_schema_string());
    kc_schema_builder_field(sb, "k", kc_schema_string());
    kc_schema_unref(i);
    return kc_schema_builder_build(sb, &err);
}

static void test_cast_struct_fields_and_defaults(void)
{
    kc_error err;
    const kc_schema *schema = s3_schema();
    const char *expected[] = {"Struct{i=3,f=-7616,s=2.5,k=x}", "Struct{f=-7616,s=2.5,k=x}"};
    for (int i = 0; i < 2; i++) {
        smt s = smt_new("Cast$Value", &err, "spec", "i:string,f:int16,s:float32", "replace.null.with.default",
                        i ? "false" : "true", NULL);
        kc_record *r = cast_value(s, schema, struct_of(schema, "f", kc_value_float64(123456.7), "s",
                                                       kc_value_string("2.5"), "k", kc_value_string("x"), NULL));
        CU_ASSERT_STRING_EQUAL(jstr(r->value), expected[i]);
        CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT(s){i:STRING?=3,f:INT16,s:FLOAT32,k:STRING,}");
        kc_record_free(r);
        smt_free(s);
    }
    smt s = smt_new("Cast$Value", &err, "spec", "a:int32", NULL); /* no such field: unchanged */
    kc_record *r = cast_value(s, schema, struct_of(schema, "f", kc_value_float64(1.0), "s", kc_value_string("x"), "k",
                                                   kc_value_string("y"), NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{i=3,f=1.0,s=x,k=y}");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT(s){i:INT32?=3,f:FLOAT64,s:STRING,k:STRING,}");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("Cast$Value", &err, "spec", "int8", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "f", kc_value_float64(1.0), "s",
                                                                kc_value_string("x"), "k", kc_value_string("y"), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cast transformation does not support casting from STRUCT; "
                                                  "supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, "
                                                  "BOOLEAN, STRING, BYTES]");
    smt_free(s);
    kc_schema_unref(schema);
}

static const kc_schema *s4_schema(void)
{
    const kc_schema *dec = kc_schema_decimal(3);
    const kc_schema *s = struct_schema("f", kc_schema_float32(), "d", kc_schema_float64(), "b", kc_schema_bytes(),
                                       "ts", kc_schema_timestamp(), "dt", kc_schema_date(), "tm", kc_schema_time(),
                                       "dec", dec, "bo", kc_schema_boolean(), "i8", kc_schema_int8(), NULL);
    kc_schema_unref(dec);
    return s;
}

static kc_value *s4_value(const kc_schema *s)
{
    static const uint8_t bytes[] = {1, 2, 3, 4};
    return struct_of(s, "f", kc_value_float32(1.0E7f), "d", kc_value_float64(0.1), "b", kc_value_bytes(bytes, 4), "ts",
                     kc_value_timestamp(1700000000123LL), "dt", kc_value_timestamp(19675LL * 86400000LL), "tm",
                     kc_value_timestamp(3723004), "dec", kc_value_decimal_from_int64(-12345, 3), "bo",
                     kc_value_boolean(true), "i8", kc_value_int8(-5), NULL);
}

static void test_cast_to_string_all_types(void)
{
    kc_error err;
    const kc_schema *schema = s4_schema();
    smt s = smt_new("Cast$Value", &err, "spec", "f:string,d:string,b:string,ts:string,dt:string,tm:string,dec:string,"
                                                "bo:string,i8:string", NULL);
    kc_record *r = cast_value(s, schema, s4_value(schema));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{f=1.0E7,d=0.1,b=AQIDBA==,ts=2023-11-14T22:13:20.123Z,dt=2023-11-14,"
                                           "tm=01:02:03.004Z,dec=-12.345,bo=true,i8=-5}");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT{f:STRING,d:STRING,b:STRING,ts:STRING,dt:STRING,tm:STRING,"
                                                  "dec:STRING,bo:STRING,i8:STRING,}");
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(schema);
    /* a whole Timestamp below one day prints as a time; the name is copied to the new schema */
    s = smt_new("Cast$Value", &err, "spec", "string", NULL);
    r = cast_value(s, kc_schema_timestamp(), kc_value_timestamp(-1));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "23:59:59.999Z");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRING(org.apache.kafka.connect.data.Timestamp)");
    kc_record_free(r);
    smt_free(s);
}

static void test_cast_logical_to_numbers(void)
{
    kc_error err;
    const kc_schema *schema = s4_schema();
    smt s = smt_new("Cast$Value", &err, "spec", "ts:int64,dt:int32,tm:int64,dec:float64,bo:int32,i8:float32,f:int64", NULL);
    kc_record *r = cast_value(s, schema, s4_value(schema));
    /* (bytes print as an identity hash in Java: compare the other fields) */
    const char *text = jstr(r->value);
    CU_ASSERT(strncmp(text, "Struct{f=10000000,d=0.1,b=", 26) == 0);
    CU_ASSERT(strstr(text, ",ts=1700000000123,dt=19675,tm=3723004,dec=-12.345,bo=1,i8=-5.0}") != NULL);
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT{f:INT64,d:FLOAT64,b:BYTES,ts:INT64,dt:INT32,tm:INT64,"
                                                  "dec:FLOAT64,bo:INT32,i8:FLOAT32,}");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("Cast$Value", &err, "spec", "dec:int32,ts:float64,dt:string,d:boolean", NULL);
    r = cast_value(s, schema, s4_value(schema));
    text = jstr(r->value);
    CU_ASSERT(strncmp(text, "Struct{f=1.0E7,d=false,b=", 25) == 0);
    CU_ASSERT(strstr(text, ",ts=1.700000000123E12,dt=2023-11-14,tm=Thu Jan 01 01:02:03 UTC 1970,dec=-12,bo=true,"
                           "i8=-5}") != NULL);
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT{f:FLOAT32,d:BOOLEAN,b:BYTES,ts:FLOAT64,dt:STRING,"
                                                  "tm:INT32(org.apache.kafka.connect.data.Time),dec:INT32,bo:BOOLEAN,"
                                                  "i8:INT8,}");
    kc_record_free(r);
    smt_free(s);
    /* a big Decimal to int64: BigDecimal.longValue keeps the low 64 bits */
    const kc_schema *dec = kc_schema_decimal(2);
    kc_value *big = kc_value_decimal_parse("-123456789012345678901234.99", 28, &err);
    s = smt_new("Cast$Value", &err, "spec", "int64", NULL);
    r = cast_value(s, dec, big);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "7269072992350064654");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "INT64(org.apache.kafka.connect.data.Decimal)");
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(dec);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), s4_value(schema));
    s = smt_new("Cast$Value", &err, "spec", "b:int8", NULL);
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Unexpected type in Cast transformation: class [B");
    smt_free(s);
    kc_schema_unref(schema);
}

static void test_cast_booleans_and_narrowing(void)
{
    kc_error err;
    smt s = smt_new("Cast$Value", &err, "spec", "a:boolean,b:boolean,c:boolean,d:int32,e:boolean", NULL);
    kc_record *r = cast_value(s, NULL, map_of("a", kc_value_string("TRUE"), "b", kc_value_string("yes"), "c",
                                              kc_value_float64(0.5), "d", kc_value_boolean(true), "e", kc_value_int64(-1),
                                              NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=true, b=false, c=false, d=1, e=true}");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("Cast$Value", &err, "spec", "a:int8,b:int32,c:int8,d:int16,e:int64", NULL);
    r = cast_value(s, NULL, map_of("a", kc_value_float32(300.7f), "b", kc_value_float64(1e20), "c", kc_value_float32(NAN),
                                   "d", kc_value_float64(-1e10), "e", kc_value_float64(-1e30), NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=44, b=2147483647, c=0, d=0, e=-9223372036854775808}");
    kc_record_free(r);
    smt_free(s);
}

static void test_cast_string_parsing(void)
{
    kc_error err;
    smt s = smt_new("Cast$Value", &err, "spec", "a:float64,b:int32,d:float32,f:float64,g:float32", NULL);
    kc_record *r = cast_value(s, NULL, map_of("a", kc_value_string(" 1.5 "), "b", kc_value_string("+5"), "d",
                                              kc_value_string("1e400"), "f", kc_value_string("0x1p4"), "g",
                                              kc_value_string("1.5f"), NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=1.5, b=5, d=Infinity, f=16.0, g=1.5}");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("Cast$Value", &err, "spec", "a:int32,e:int8", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_string(" 5"), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Value ( 5) was out of range for requested data type");
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("e", kc_value_string("128"), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Value (128) was out of range for requested data type");
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_string("abc"), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Value (abc) was out of range for requested data type");
    smt_free(s);
    /* trimmed field names and types, any case */
    s = smt_new("Cast$Value", &err, "spec", "a : Int32", NULL);
    r = cast_value(s, NULL, map_of("a", kc_value_string("7"), NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=7}");
    CU_ASSERT_EQUAL(kc_value_get_type(kc_value_map_get_str(r->value, "a")), KC_VALUE_INT32);
    kc_record_free(r);
    smt_free(s);
}

static void test_cast_unsupported_inputs(void)
{
    kc_error err;
    smt s = smt_new("Cast$Value", &err, "spec", "a:int32", NULL);
    kc_value *list = kc_value_array_new();
    kc_value_array_append_new(list, kc_value_int32(1));
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", list, NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cast transformation does not support casting from ARRAY; supported "
                                                  "types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, "
                                                  "STRING, BYTES]");
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_decimal_from_int64(15, 1), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cast transformation was passed a value of type class "
                                                  "java.math.BigDecimal which is not supported by Connect's data API");
    smt_free(s);
    s = smt_new("Cast$Value", &err, "spec", "int32", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cast transformation does not support casting from MAP; supported "
                                                  "types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, "
                                                  "STRING, BYTES]");
    smt_free(s);
}

static void test_cast_config_errors(void)
{
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", "spec", "", NULL), "Must specify at least one field to cast.");
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", "spec", "a:foo", NULL),
                           "Invalid value java.lang.IllegalArgumentException: No enum constant "
                           "org.apache.kafka.connect.data.Schema.Type.FOO for configuration Invalid type found in "
                           "casting spec: foo");
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", "spec", "a:bytes", NULL),
                           "Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, "
                           "INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]");
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", "spec", "a:b:c", NULL),
                           "Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c");
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", "spec", "int8,a:int16", NULL),
                           "Cast transformations that specify a type to cast the entire value to may only specify a "
                           "single cast in their spec");
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", NULL),
                           "Missing required configuration \"spec\" which has no default value.");
    CU_ASSERT_STRING_EQUAL(smt_config_error("Cast$Value", "spec", "a : Int32 , :", NULL),
                           "Index 1 out of bounds for length 0");
}

static void test_cast_float_text_and_key(void)
{
    kc_error err;
    smt s = smt_new("Cast$Value", &err, "spec", "a:string,b:string,c:string,d:string,e:string,f:float32,g:float64,"
                                                "h:string,i:float32", NULL);
    kc_record *r = cast_value(s, NULL, map_of("a", kc_value_float64(1.0E-5), "b", kc_value_float64(100.0), "c",
                                              kc_value_float64(NAN), "d", kc_value_float32(-INFINITY), "e",
                                              kc_value_float32(1.25E8f), "f", kc_value_int64(16777217), "g",
                                              kc_value_string("-Infinity"), "h", kc_value_int16(-7), "i",
                                              kc_value_string("NaN"), NULL));
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=1.0E-5, b=100.0, c=NaN, d=-Infinity, e=1.25E8, f=1.6777216E7, "
                                           "g=-Infinity, h=-7, i=NaN}");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("Cast$Key", &err, "spec", "id:int64", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_key_new(r, NULL, map_of("id", kc_value_string("12"), NULL));
    kc_record_set_value_new(r, NULL, kc_value_string("v"));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "{id=12}");
    CU_ASSERT_EQUAL(kc_value_get_type(kc_value_map_get_str(r->key, "id")), KC_VALUE_INT64);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "v");
    kc_record_free(r);
    smt_free(s);
}

static void test_cast_schema_cache(void)
{
    kc_error err;
    const kc_schema *a = struct_schema("x", kc_schema_string(), NULL), *b = struct_schema("x", kc_schema_string(), NULL);
    smt s = smt_new("Cast$Value", &err, "spec", "x:int32", NULL);
    kc_record *r1 = cast_value(s, a, struct_of(a, "x", kc_value_string("1"), NULL));
    kc_record *r2 = cast_value(s, b, struct_of(b, "x", kc_value_string("2"), NULL)); /* an equal schema */
    CU_ASSERT_PTR_EQUAL(r1->value_schema, r2->value_schema);
    CU_ASSERT_STRING_EQUAL(jstr(r2->value), "Struct{x=2}");
    kc_record_free(r1);
    kc_record_free(r2);
    smt_free(s);
    kc_schema_unref(a);
    kc_schema_unref(b);
}

const kc_test_case kc_transforms_cast_cases[] = {
    {"Cast schemaless fields (absent fields become null)", test_cast_schemaless_fields},
    {"Cast whole value: schema basics, optional, default; $Key", test_cast_whole_value_schema},
    {"Cast struct fields, cast defaults, replace.null.with.default", test_cast_struct_fields_and_defaults},
    {"Cast to string: floats, bytes (Base64), Date/Time/Timestamp, Decimal", test_cast_to_string_all_types},
    {"Cast logical types to numbers, Decimal narrowing, bytes refused", test_cast_logical_to_numbers},
    {"Cast booleans and Java's float narrowing", test_cast_booleans_and_narrowing},
    {"Cast string parsing as Integer.parseInt / Double.parseDouble", test_cast_string_parsing},
    {"Cast unsupported input types", test_cast_unsupported_inputs},
    {"Cast spec validation messages", test_cast_config_errors},
    {"Cast float text as Java prints it; $Key schemaless", test_cast_float_text_and_key},
    {"Cast schema cache keyed by schema equality", test_cast_schema_cache},
    {NULL, NULL},
};
