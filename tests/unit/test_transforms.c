/* Single Message Transforms: InsertField, ReplaceField, MaskField, ValueToKey, ExtractField,
 * HeaderFrom, InsertHeader, DropHeaders, TimestampRouter, RegexRouter, Filter and the predicates,
 * schemaful and schemaless, key and value variants, with the outputs and messages of Apache Kafka
 * 4.3.1 run on JDK 17 with the same inputs (maps are built in the iteration order Java's HashMap
 * gave them, so that output orders compare). Cast is in test_transforms_cast.c, the chain and the
 * ConfigDef enrichment in test_transforms_chain.c. */
#include "test_transforms.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms.h"
#include "connect/worker/transforms/java_regex.h"

/* ---- helpers ------------------------------------------------------------------------------------ */

#define RING 16
#define RING_SIZE 8192
static char ring[RING][RING_SIZE];
static int ring_next;

static char *slot(void)
{
    char *s = ring[ring_next];
    ring_next = (ring_next + 1) % RING;
    s[0] = '\0';
    return s;
}

static kc_props *vprops(const char *k, va_list ap)
{
    kc_props *p = kc_props_new();
    for (; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        kc_props_set(p, k, v);
    }
    return p;
}

kc_props *props_of(const char *k, ...)
{
    va_list ap;
    va_start(ap, k);
    kc_props *p = vprops(k, ap);
    va_end(ap);
    return p;
}

smt smt_new(const char *cls, kc_error *err, ...)
{
    smt s = {0};
    kc_error_clear(err);
    const kc_plugin_desc *d = kc_plugins_find(KC_PLUGIN_TRANSFORMATION, cls, err);
    CU_ASSERT_FATAL(d != NULL);
    s.p = d->vtable;
    s.t = s.p->create();
    va_list ap;
    va_start(ap, err);
    kc_props *p = vprops(va_arg(ap, const char *), ap);
    va_end(ap);
    if (s.p->configure(s.t, p, err) < 0) {
        s.p->close(s.t);
        s.t = NULL;
    }
    kc_props_free(p);
    return s;
}

const char *smt_config_error(const char *cls, ...)
{
    kc_error err;
    kc_error_clear(&err);
    const kc_plugin_desc *d = kc_plugins_find(KC_PLUGIN_TRANSFORMATION, cls, &err);
    CU_ASSERT_FATAL(d != NULL);
    const kc_transform_plugin *p = d->vtable;
    void *t = p->create();
    va_list ap;
    va_start(ap, cls);
    kc_props *props = vprops(va_arg(ap, const char *), ap);
    va_end(ap);
    char *out = slot();
    if (p->configure(t, props, &err) < 0)
        snprintf(out, RING_SIZE, "%s", err.msg);
    p->close(t);
    kc_props_free(props);
    return out;
}

void smt_free(smt s)
{
    if (s.t)
        s.p->close(s.t);
}

kc_record *smt_apply(smt s, kc_record *r, kc_error *err)
{
    kc_error_clear(err);
    CU_ASSERT_FATAL(s.t != NULL);
    return s.p->apply(s.t, r, err);
}

const char *smt_apply_error(smt s, kc_record *r)
{
    kc_error err;
    kc_record *out = smt_apply(s, r, &err);
    char *msg = slot();
    if (out) {
        kc_record_free(out);
        return msg;
    }
    snprintf(msg, RING_SIZE, "%s", err.msg);
    return msg;
}

pred pred_new(const char *cls, kc_error *err, ...)
{
    pred s = {0};
    kc_error_clear(err);
    const kc_plugin_desc *d = kc_plugins_find(KC_PLUGIN_PREDICATE, cls, err);
    CU_ASSERT_FATAL(d != NULL);
    s.p = d->vtable;
    s.t = s.p->create();
    va_list ap;
    va_start(ap, err);
    kc_props *p = vprops(va_arg(ap, const char *), ap);
    va_end(ap);
    if (s.p->configure(s.t, p, err) < 0) {
        s.p->close(s.t);
        s.t = NULL;
    }
    kc_props_free(p);
    return s;
}

void pred_free(pred p)
{
    if (p.t)
        p.p->close(p.t);
}

kc_value *map_of(const char *k, ...)
{
    kc_value *m = kc_value_map_new();
    va_list ap;
    va_start(ap, k);
    for (; k; k = va_arg(ap, const char *)) {
        kc_value *v = va_arg(ap, kc_value *);
        kc_value_map_put_str_new(m, k, v ? v : kc_value_null());
    }
    va_end(ap);
    return m;
}

kc_record *src(const char *topic, int32_t partition, int64_t timestamp)
{
    kc_record *r = kc_record_new(topic);
    r->kafka_partition = partition;
    r->timestamp = timestamp;
    return r;
}

kc_record *sink(const char *topic, int32_t partition, int64_t offset)
{
    kc_record *r = kc_record_new(topic);
    r->kafka_partition = partition;
    r->kafka_offset = offset;
    r->original_partition = partition;
    r->original_offset = offset;
    return r;
}

const kc_schema *struct_schema(const char *first, ...)
{
    kc_schema_builder *b = kc_schema_builder_struct();
    va_list ap;
    va_start(ap, first);
    for (const char *n = first; n; n = va_arg(ap, const char *))
        kc_schema_builder_field(b, n, va_arg(ap, const kc_schema *));
    va_end(ap);
    kc_error err;
    const kc_schema *s = kc_schema_builder_build(b, &err);
    CU_ASSERT_FATAL(s != NULL);
    return s;
}

kc_value *struct_of(const kc_schema *schema, ...)
{
    kc_error err;
    kc_value *st = kc_value_struct_new(schema, &err);
    va_list ap;
    va_start(ap, schema);
    for (const char *n = va_arg(ap, const char *); n; n = va_arg(ap, const char *))
        CU_ASSERT(kc_value_struct_put_new(st, n, va_arg(ap, kc_value *), &err) == 0);
    va_end(ap);
    return st;
}

const char *jstr(const kc_value *v)
{
    char *out = slot();
    kc_error err;
    size_t len;
    char *s = kc_value_to_java_string(v, false, &len, &err);
    snprintf(out, RING_SIZE, "%s", s ? s : err.msg);
    free(s);
    return out;
}

static void sstr_into(const kc_schema *s, char *out, size_t size)
{
    size_t o = strlen(out);
    if (!s) {
        snprintf(out + o, size - o, "null");
        return;
    }
    const char *name = kc_schema_get_name(s);
    const kc_value *def = kc_schema_get_default(s);
    snprintf(out + o, size - o, "%s%s%s%s%s%s%s", kc_schema_type_name(kc_schema_get_type(s)),
             kc_schema_is_optional(s) ? "?" : "", name ? "(" : "", name ? name : "", name ? ")" : "", def ? "=" : "",
             def ? jstr(def) : "");
    if (kc_schema_get_type(s) == KC_SCHEMA_STRUCT) {
        o = strlen(out);
        snprintf(out + o, size - o, "{");
        for (size_t i = 0; i < kc_schema_field_count(s); i++) {
            const kc_field *f = kc_schema_field_at(s, i);
            o = strlen(out);
            snprintf(out + o, size - o, "%s:", kc_field_name(f));
            sstr_into(kc_field_schema(f), out, size);
            o = strlen(out);
            snprintf(out + o, size - o, ",");
        }
        o = strlen(out);
        snprintf(out + o, size - o, "}");
    }
}

const char *sstr(const kc_schema *s)
{
    char *out = slot();
    sstr_into(s, out, RING_SIZE);
    return out;
}

const char *hstr(const kc_record *r)
{
    char *out = slot();
    size_t o = (size_t)snprintf(out, RING_SIZE, "ConnectHeaders(headers=%s", r->headers.count ? "[" : "");
    for (size_t i = 0; i < r->headers.count; i++) {
        const kc_header *h = &r->headers.items[i];
        char sb[256], vb[1024];
        snprintf(vb, sizeof vb, "%s", jstr(h->value)); /* another ring slot: copied so gcc sees no overlap */
        o += (size_t)snprintf(out + o, RING_SIZE - o, "%sConnectHeader(key=%s, value=%s, schema=%s)", i ? ", " : "",
                              h->key, vb, kc_schema_to_string(h->schema, sb, sizeof sb));
    }
    snprintf(out + o, RING_SIZE - o, "%s)", r->headers.count ? "]" : "");
    return out;
}

/* ---- InsertField ------------------------------------------------------------------------------------ */

static void test_insert_field_schemaless(void)
{
    kc_error err;
    smt s = smt_new("InsertField$Value", &err, "topic.field", "topic", "partition.field", "part", "timestamp.field",
                    "ts", "static.field", "st", "static.value", "v", NULL);
    kc_record *r = src("t", 3, 1000);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=1, topic=t, st=v, part=3, ts=1000}");
    CU_ASSERT_PTR_NULL(r->value_schema);
    kc_record_free(r);
    smt_free(s);
}

static void test_insert_field_struct_and_cache(void)
{
    kc_error err;
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_name(b, "n");
    kc_schema_builder_version(b, 2);
    kc_schema_builder_doc(b, "d");
    kc_schema_builder_field(b, "a", kc_schema_int32());
    kc_schema_builder_field(b, "b", kc_schema_optional_string());
    const kc_schema *schema = kc_schema_builder_build(b, &err);
    smt s = smt_new("org.apache.kafka.connect.transforms.InsertField$Value", &err, "topic.field", "t!",
                    "partition.field", "p", "timestamp.field", "ts", "static.field", "s", "static.value", "x", NULL);
    const kc_schema *first = NULL;
    for (int i = 0; i < 2; i++) {
        kc_record *r = src("t", 3, 1000);
        kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "a", kc_value_int32(1), NULL));
        r = smt_apply(s, r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{a=1,t=t,p=3,ts=Thu Jan 01 00:00:01 UTC 1970,s=x}");
        CU_ASSERT_STRING_EQUAL(sstr(r->value_schema),
                               "STRUCT(n){a:INT32,b:STRING?,t:STRING,p:INT32?,ts:INT64?(org.apache.kafka.connect.data."
                               "Timestamp),s:STRING?,}");
        int32_t version = 0;
        CU_ASSERT(kc_schema_get_version(r->value_schema, &version) && version == 2);
        CU_ASSERT_STRING_EQUAL(kc_schema_get_doc(r->value_schema), "d");
        if (i == 0)
            first = kc_schema_ref(r->value_schema);
        else
            CU_ASSERT_PTR_EQUAL(r->value_schema, first); /* cached per input schema */
        kc_record_free(r);
    }
    kc_schema_unref(first);
    kc_schema_unref(schema);
    smt_free(s);
}

static void test_insert_field_key_null_and_sink_offset(void)
{
    kc_error err;
    smt k = smt_new("InsertField$Key", &err, "topic.field", "t", NULL);
    kc_record *r = src("t", 3, 1000);
    kc_record_set_value_new(r, NULL, kc_value_string("v"));
    r = smt_apply(k, r, &err); /* a null key passes unchanged */
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_PTR_NULL(r->key);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "v");
    kc_record_free(r);
    smt_free(k);

    smt v = smt_new("InsertField$Value", &err, "offset.field", "o", "partition.field", "p", NULL);
    r = sink("t", 2, 77);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    r = smt_apply(v, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{p=2, a=1, o=77}");
    kc_record_free(r);
    r = src("t", 3, 1000);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(v, r), "Only SinkRecord supported for [field insertion], found: "
                                                  "org.apache.kafka.connect.source.SourceRecord");
    smt_free(v);
}

static void test_insert_field_errors(void)
{
    CU_ASSERT_STRING_EQUAL(smt_config_error("InsertField$Value", NULL), "No field insertion configured");
    CU_ASSERT_STRING_EQUAL(smt_config_error("InsertField$Value", "static.field", "s", NULL),
                           "Invalid value null for configuration static.value: No value specified for static field: s");
    kc_error err;
    smt s = smt_new("InsertField$Value", &err, "topic.field", "t", NULL);
    kc_record *r = src("t", 3, 1000);
    kc_record_set_value_new(r, NULL, kc_value_string("str"));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Only Map objects supported in absence of schema for [field "
                                                  "insertion], found: java.lang.String");
    r = src("t", 3, 1000);
    kc_record_set_value_new(r, kc_schema_string(), kc_value_string("str"));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r),
                           "Only Struct objects supported for [field insertion], found: java.lang.String");
    smt_free(s);
}

static void test_insert_field_defaults_and_duplicates(void)
{
    kc_error err;
    kc_schema_builder *fb = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_optional(fb);
    kc_schema_builder_default_new(fb, kc_value_int32(5));
    const kc_schema *fs = kc_schema_builder_build(fb, &err);
    const kc_schema *schema = struct_schema("a", fs, NULL);
    const char *expected[] = {"Struct{a=5,t=t}", "Struct{t=t}"};
    for (int i = 0; i < 2; i++) {
        smt s = smt_new("InsertField$Value", &err, "topic.field", "t", "replace.null.with.default",
                        i ? "false" : "true", NULL);
        kc_record *r = src("t", 3, 1000);
        kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, NULL));
        r = smt_apply(s, r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(jstr(r->value), expected[i]);
        CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT{a:INT32?=5,t:STRING?,}");
        kc_record_free(r);
        smt_free(s);
    }
    smt s = smt_new("InsertField$Value", &err, "topic.field", "a", NULL);
    kc_record *r = src("t", 3, 1000);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cannot create field because of field name duplication a");
    smt_free(s);
    kc_schema_unref(fs);
    kc_schema_unref(schema);
}

/* ---- ReplaceField ------------------------------------------------------------------------------- */

static const kc_schema *abc_schema(void)
{
    return struct_schema("a", kc_schema_int32(), "b", kc_schema_string(), "c", kc_schema_optional_int64(), NULL);
}

static kc_value *abc_value(const kc_schema *s)
{
    return struct_of(s, "a", kc_value_int32(1), "b", kc_value_string("x"), "c", kc_value_int64(9), NULL);
}

static void test_replace_field_schemaless(void)
{
    kc_error err;
    smt s = smt_new("ReplaceField$Value", &err, "exclude", "b", "renames", "a:x", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), "b", kc_value_int32(2), "c", kc_value_int32(3), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{x=1, c=3}");
    kc_record_free(r);
    smt_free(s);
    /* "a:b:" is a valid mapping (String.split drops the trailing empty part) */
    s = smt_new("ReplaceField$Value", &err, "renames", "a:b:", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("zz", kc_value_int32(8), "a", kc_value_int32(1), "q", kc_value_int32(7),
                                            "k1", kc_value_int32(1), "k2", kc_value_int32(2), "k3", kc_value_int32(3),
                                            NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{zz=8, k3=3, q=7, b=1, k1=1, k2=2}");
    kc_record_free(r);
    smt_free(s);
}

static void test_replace_field_struct_and_key(void)
{
    kc_error err;
    const kc_schema *schema = abc_schema();
    smt s = smt_new("ReplaceField$Value", &err, "include", "a,c", "renames", "c:z", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), abc_value(schema));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{a=1,z=9}");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT{a:INT32,z:INT64?,}");
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(schema);

    s = smt_new("ReplaceField$Key", &err, "exclude", "a", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_key_new(r, NULL, map_of("a", kc_value_int32(1), "b", kc_value_int32(2), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "{b=2}");
    CU_ASSERT_PTR_NULL(r->value);
    kc_record_free(r);
    smt_free(s);
}

static void test_replace_field_errors(void)
{
    CU_ASSERT_STRING_EQUAL(smt_config_error("ReplaceField$Value", "renames", "a:b:c", NULL),
                           "Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c");
    CU_ASSERT_STRING_EQUAL(smt_config_error("ReplaceField$Value", "renames", "a:,x:y", NULL),
                           "Invalid value [a:, x:y] for configuration renames: Invalid rename mapping: a:");
    CU_ASSERT_STRING_EQUAL(smt_config_error("ReplaceField$Value", "replace.null.with.default", "maybe", NULL),
                           "Invalid value maybe for configuration replace.null.with.default: Expected value to be "
                           "either true or false");
}

/* ---- MaskField ---------------------------------------------------------------------------------- */

static void test_mask_field_schemaless(void)
{
    kc_error err;
    smt s = smt_new("MaskField$Value", &err, "fields", "i,s,b,l,m,d,absent", NULL);
    kc_value *l = kc_value_array_new();
    kc_value_array_append_new(l, kc_value_int32(1));
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("b", kc_value_boolean(true), "s", kc_value_string("abc"), "d",
                                            kc_value_float64(1.5), "keep", kc_value_string("k"), "i",
                                            kc_value_int32(5), "l", l, "m", map_of("x", kc_value_int32(1), NULL), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{b=false, s=, d=0.0, keep=k, i=0, absent=null, l=[], m={}}");
    kc_record_free(r);
    smt_free(s);

    s = smt_new("MaskField$Key", &err, "fields", "s", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_key_new(r, NULL, map_of("s", kc_value_string("secret"), "o", kc_value_string("x"), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "{s=, o=x}");
    kc_record_free(r);
    smt_free(s);
}

static void test_mask_field_struct_replacement(void)
{
    kc_error err;
    const kc_schema *schema = struct_schema("i", kc_schema_int32(), "s", kc_schema_string(), "l", kc_schema_int64(),
                                            "f", kc_schema_float32(), "k", kc_schema_string(), NULL);
    smt s = smt_new("MaskField$Value", &err, "fields", "i,s,l,f", "replacement", "42", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema),
                            struct_of(schema, "i", kc_value_int32(1), "s", kc_value_string("a"), "l", kc_value_int64(2),
                                      "f", kc_value_float32(1.5f), "k", kc_value_string("kk"), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{i=42,s=42,l=42,f=42.0,k=kk}");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT{i:INT32,s:STRING,l:INT64,f:FLOAT32,k:STRING,}");
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(schema);

    /* logical types: BigDecimal.ZERO and new Date(0) */
    const kc_schema *dec = kc_schema_decimal(2);
    schema = struct_schema("d", dec, "t", kc_schema_timestamp(), NULL);
    s = smt_new("MaskField$Value", &err, "fields", "d,t", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema),
                            struct_of(schema, "d", kc_value_decimal_from_int64(314, 2), "t", kc_value_timestamp(5000), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{d=0,t=Thu Jan 01 00:00:00 UTC 1970}");
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(schema);
    kc_schema_unref(dec);

    s = smt_new("MaskField$Value", &err, "fields", "d,i", "replacement", "1.50", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("d", kc_value_decimal_from_int64(314, 2), "i", kc_value_int8(1), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{d=1.50, i=1}");
    kc_record_free(r);
    smt_free(s);
}

static const char *mask_error(const char *replacement, kc_value *v)
{
    kc_error err;
    smt s = replacement ? smt_new("MaskField$Value", &err, "fields", "x", "replacement", replacement, NULL)
                        : smt_new("MaskField$Value", &err, "fields", "x", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, v ? map_of("x", v, NULL) : NULL);
    const char *msg = smt_apply_error(s, r);
    smt_free(s);
    return msg;
}

static void test_mask_field_errors(void)
{
    CU_ASSERT_STRING_EQUAL(mask_error("42", kc_value_boolean(true)),
                           "Cannot mask value of type class java.lang.Boolean with custom replacement.");
    uint8_t one = 1;
    CU_ASSERT_STRING_EQUAL(mask_error(NULL, kc_value_bytes(&one, 1)), "Cannot mask value of type: class [B");
    CU_ASSERT_STRING_EQUAL(mask_error("abc", kc_value_int32(5)), "Unable to convert abc (class java.lang.String) to a number");
    CU_ASSERT_STRING_EQUAL(mask_error("abc", kc_value_float64(5)), "Unable to convert abc (class java.lang.String) to a number");
    CU_ASSERT_STRING_EQUAL(mask_error("x1", kc_value_decimal_from_int64(314, 2)),
                           "Unable to convert x1 (class java.lang.String) to number");
    CU_ASSERT_STRING_EQUAL(mask_error(NULL, NULL), /* MaskField has no null check */
                           "Only Map objects supported in absence of schema for [mask fields], found: null");
    /* (byte) new BigDecimal("300").longValue() */
    kc_error err;
    smt s = smt_new("MaskField$Value", &err, "fields", "x", "replacement", "300", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("x", kc_value_int8(1), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{x=44}");
    kc_record_free(r);
    smt_free(s);
    CU_ASSERT_STRING_EQUAL(smt_config_error("MaskField$Value", "fields", "i", "replacement", "", NULL),
                           "Invalid value  for configuration replacement: String must be non-empty");
    CU_ASSERT_STRING_EQUAL(smt_config_error("MaskField$Value", NULL),
                           "Missing required configuration \"fields\" which has no default value.");
}

/* ---- ValueToKey --------------------------------------------------------------------------------- */

static void test_value_to_key(void)
{
    kc_error err;
    smt s = smt_new("ValueToKey", &err, "fields", "c,a", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), "b", kc_value_int32(2), "c", kc_value_int32(3), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "{a=1, c=3}");
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=1, b=2, c=3}");
    kc_record_free(r);

    const kc_schema *schema = abc_schema();
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), abc_value(schema));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "Struct{c=9,a=1}");
    CU_ASSERT_STRING_EQUAL(sstr(r->key_schema), "STRUCT{c:INT64?,a:INT32,}");
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{a=1,b=x,c=9}");
    kc_record_free(r);
    smt_free(s);

    s = smt_new("ValueToKey", &err, "fields", "a,id,name,zz", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), "name", kc_value_string("n"), "id",
                                            kc_value_int32(2), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "{name=n, zz=null, a=1, id=2}");
    kc_record_free(r);
    smt_free(s);

    s = smt_new("ValueToKey", &err, "fields", "zz", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), abc_value(schema));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Field does not exist: zz");
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, kc_value_int32(5));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Only Map objects supported in absence of schema for [copying "
                                                  "fields from value to key], found: java.lang.Integer");
    smt_free(s);
    kc_schema_unref(schema);
    CU_ASSERT_STRING_EQUAL(smt_config_error("ValueToKey", "fields", "", NULL),
                           "Configuration 'fields' must not be empty. Valid values include: any non-empty value");
}

/* ---- ExtractField ------------------------------------------------------------------------------- */

static void test_extract_field(void)
{
    kc_error err;
    smt s = smt_new("ExtractField$Value", &err, "field", "a", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "1");
    CU_ASSERT_PTR_NULL(r->value_schema);
    kc_record_free(r);
    r = src("t", 0, KC_NO_TIMESTAMP); /* null passes */
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(kc_value_is_null(r->value));
    kc_record_free(r);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, kc_value_string("str"));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Only Map objects supported in absence of schema for [field "
                                                  "extraction], found: java.lang.String");
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_string(), kc_value_string("x"));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r),
                           "Only Struct objects supported for [field extraction], found: java.lang.String");
    smt_free(s);

    const kc_schema *schema = abc_schema();
    s = smt_new("ExtractField$Value", &err, "field", "c", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), abc_value(schema));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "9");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "INT64?");
    kc_record_free(r);
    r = src("t", 0, KC_NO_TIMESTAMP); /* a null struct keeps the field's schema */
    kc_record_set_value_new(r, kc_schema_ref(schema), NULL);
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(kc_value_is_null(r->value));
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "INT64?");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("ExtractField$Value", &err, "field", "zz", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), abc_value(schema));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Unknown field: zz");
    smt_free(s);
    kc_schema_unref(schema);

    s = smt_new("ExtractField$Key", &err, "field", "id", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_key_new(r, NULL, map_of("id", kc_value_int32(3), NULL));
    kc_record_set_value_new(r, NULL, kc_value_string("v"));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "3");
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "v");
    kc_record_free(r);
    smt_free(s);
}

static void test_extract_field_nested_v2(void)
{
    kc_error err;
    smt s = smt_new("ExtractField$Value", &err, "field", "`a.b`.c", "field.syntax.version", "v2", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a.b", map_of("c", kc_value_int32(7), NULL), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "7");
    kc_record_free(r);
    const kc_schema *inner = struct_schema("c", kc_schema_int32(), NULL);
    const kc_schema *outer = struct_schema("a.b", inner, NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(outer), struct_of(outer, "a.b", struct_of(inner, "c", kc_value_int32(7), NULL), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "7");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "INT32");
    kc_record_free(r);
    smt_free(s);
    kc_schema_unref(inner);
    kc_schema_unref(outer);

    s = smt_new("ExtractField$Value", &err, "field", "a.x", "field.syntax.version", "V2", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(5), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Only Map objects supported in absence of schema for [nested field "
                                                  "access], found: java.lang.Integer");
    smt_free(s);
    CU_ASSERT_STRING_EQUAL(smt_config_error("ExtractField$Value", "field", "`a", "field.syntax.version", "V2", NULL),
                           "Incomplete backtick pair in path: [`a], consider adding a backslash before backtick at "
                           "position 0 to escape it");
    CU_ASSERT_STRING_EQUAL(smt_config_error("ExtractField$Value", "field", "a", "field.syntax.version", "V3", NULL),
                           "Invalid value V3 for configuration field.syntax.version: String must be one of (case "
                           "insensitive): V1, V2");
    CU_ASSERT_STRING_EQUAL(smt_config_error("ExtractField$Value", NULL),
                           "Missing required configuration \"field\" which has no default value.");
}

/* ---- HeaderFrom, InsertHeader, DropHeaders ------------------------------------------------------- */

static void test_header_from_schemaless_move(void)
{
    kc_error err;
    smt s = smt_new("HeaderFrom$Value", &err, "fields", "a,zz", "headers", "h,hz", "operation", "move", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), "b", kc_value_int32(2), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{b=2}");
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=h, value=1, schema=null), "
                                    "ConnectHeader(key=hz, value=null, schema=null)])");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("HeaderFrom$Key", &err, "fields", "id", "headers", "key_id", "operation", "copy", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_key_new(r, NULL, map_of("id", kc_value_int32(3), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "{id=3}");
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=key_id, value=3, schema=null)])");
    kc_record_free(r);
    smt_free(s);
}

static void test_header_from_struct(void)
{
    kc_error err;
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_name(b, "s");
    kc_schema_builder_field(b, "a", kc_schema_int32());
    kc_schema_builder_field(b, "b", kc_schema_string());
    kc_schema_builder_field(b, "c", kc_schema_optional_int64());
    const kc_schema *schema = kc_schema_builder_build(b, &err);
    smt s = smt_new("HeaderFrom$Value", &err, "fields", "a,c", "headers", "ha,hc", "operation", "copy", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "a", kc_value_int32(1), "b", kc_value_string("x"), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{a=1,b=x}");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT(s){a:INT32,b:STRING,c:INT64?,}");
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=ha, value=1, schema=Schema{INT32}), "
                                    "ConnectHeader(key=hc, value=null, schema=Schema{INT64})])");
    kc_record_free(r);
    smt_free(s);

    s = smt_new("HeaderFrom$Value", &err, "fields", "a", "headers", "ha", "operation", "move", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "a", kc_value_int32(1), "b", kc_value_string("x"), NULL));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{b=x}");
    CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "STRUCT(s){b:STRING,c:INT64?,}");
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=ha, value=1, schema=Schema{INT32})])");
    kc_record_free(r);
    smt_free(s);

    s = smt_new("HeaderFrom$Value", &err, "fields", "a", "headers", "ha", "operation", "copy", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "b", kc_value_string("x"), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "A null value requires an optional schema but was Schema{INT32}");
    smt_free(s);
    s = smt_new("HeaderFrom$Value", &err, "fields", "zz", "headers", "ha", "operation", "copy", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "a", kc_value_int32(1), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r),
                           "Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\" because the return value of "
                           "\"org.apache.kafka.connect.data.Schema.field(String)\" is null");
    smt_free(s);
    kc_schema_unref(schema);
}

static void test_header_from_errors(void)
{
    CU_ASSERT_STRING_EQUAL(smt_config_error("HeaderFrom$Value", "fields", "a,b", "headers", "ha", "operation", "move", NULL),
                           "'fields' config must have the same number of elements as 'headers' config.");
    CU_ASSERT_STRING_EQUAL(smt_config_error("HeaderFrom$Value", "fields", "", "headers", "ha", "operation", "move", NULL),
                           "Invalid value [] for configuration fields: Empty list");
    CU_ASSERT_STRING_EQUAL(smt_config_error("HeaderFrom$Value", "fields", "a", "headers", "ha", "operation", "cut", NULL),
                           "Invalid value cut for configuration operation: String must be one of: move, copy");
}

static void test_insert_header(void)
{
    static const struct {
        const char *literal, *expected;
    } cases[] = {
        {"42", "ConnectHeaders(headers=[ConnectHeader(key=h, value=42, schema=Schema{INT8})])"},
        {"hello world", "ConnectHeaders(headers=[ConnectHeader(key=h, value=hello world, schema=Schema{STRING})])"},
        {"[1,2]", "ConnectHeaders(headers=[ConnectHeader(key=h, value=[1, 2], schema=Schema{ARRAY})])"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_error err;
        smt s = smt_new("InsertHeader", &err, "header", "h", "value.literal", cases[i].literal, NULL);
        kc_record *r = smt_apply(s, src("t", 0, KC_NO_TIMESTAMP), &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(hstr(r), cases[i].expected);
        kc_record_free(r);
        smt_free(s);
    }
    CU_ASSERT_STRING_EQUAL(smt_config_error("InsertHeader", "header", "h", NULL),
                           "Missing required configuration \"value.literal\" which has no default value.");
}

static void test_drop_headers(void)
{
    kc_error err;
    smt s = smt_new("DropHeaders", &err, "headers", "a,c", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_headers_add_new(&r->headers, "a", kc_schema_string(), kc_value_string("1"));
    kc_headers_add_new(&r->headers, "b", kc_schema_string(), kc_value_string("2"));
    kc_headers_add_new(&r->headers, "a", kc_schema_string(), kc_value_string("3"));
    kc_headers_add_new(&r->headers, "c", kc_schema_string(), kc_value_string("4"));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=b, value=2, schema=Schema{STRING})])");
    kc_record_free(r);
    smt_free(s);
    CU_ASSERT_STRING_EQUAL(smt_config_error("DropHeaders", NULL),
                           "Missing required configuration \"headers\" which has no default value.");
}

/* ---- routers and Filter --------------------------------------------------------------------------- */

static const char *routed(smt s, const char *topic, int64_t ts)
{
    kc_error err;
    kc_record *r = src(topic, 0, ts);
    kc_record_set_value_new(r, NULL, kc_value_string("v"));
    r = smt_apply(s, r, &err);
    char *out = slot();
    snprintf(out, RING_SIZE, "%s", r ? r->topic : err.msg);
    kc_record_free(r);
    return out;
}

static void test_timestamp_router(void)
{
    kc_error err;
    smt s = smt_new("TimestampRouter", &err, NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "t", 1700000000000LL), "t-20231114");
    smt_free(s);
    s = smt_new("TimestampRouter", &err, "topic.format", "${timestamp}_${topic}/${topic}", "timestamp.format",
                "yyyy-MM-dd'T'HH:mm:ss.SSS 'lit''x' '' EEE EEEE MMM MMMM a hh kk KK D u y yy yyy yyyyy M d H m s S SSSS",
                NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "t", 1700000000123LL),
                           "2023-11-14T22:13:20.123 lit'x ' Tue Tuesday Nov November PM 10 22 10 318 2 2023 23 2023 "
                           "02023 11 14 22 13 20 123 0123_t/t");
    smt_free(s);
    s = smt_new("TimestampRouter", &err, "timestamp.format", "yyyy-MM-dd HH:mm", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "t", -1), "t-1969-12-31 23:59");
    smt_free(s);
    /* ${timestamp} inside the topic is replaced too: Java replaces ${topic} first */
    s = smt_new("TimestampRouter", &err, "topic.format", "x-${topic}-${timestamp}", "timestamp.format", "yyyy", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "a${timestamp}", 0), "x-a1970-1970");
    smt_free(s);
}

static void test_timestamp_router_errors(void)
{
    kc_error err;
    smt s = smt_new("TimestampRouter", &err, NULL);
    kc_record *r = src("t", KC_NO_PARTITION, KC_NO_TIMESTAMP);
    r->source_partition = map_of("f", kc_value_string("x"), NULL);
    r->source_offset = map_of("pos", kc_value_int32(5), NULL);
    kc_record_set_value_new(r, kc_schema_string(), kc_value_string("v"));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r),
                           "Timestamp missing on record: SourceRecord{sourcePartition={f=x}, sourceOffset={pos=5}} "
                           "ConnectRecord{topic='t', kafkaPartition=null, key=null, keySchema=null, value=v, "
                           "valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}");
    r = sink("t", 2, 77);
    kc_record_set_key_new(r, kc_schema_string(), kc_value_string("k"));
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    kc_headers_add_new(&r->headers, "h", kc_schema_string(), kc_value_string("v"));
    kc_headers_add_new(&r->headers, "n", kc_schema_int32(), kc_value_int32(5));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r),
                           "Timestamp missing on record: SinkRecord{kafkaOffset=77, timestampType=NoTimestampType, "
                           "originalTopic=t, originalKafkaPartition=2, originalKafkaOffset=77} ConnectRecord{topic='t', "
                           "kafkaPartition=2, key=k, keySchema=Schema{STRING}, value={a=1}, valueSchema=null, "
                           "timestamp=null, headers=ConnectHeaders(headers=[ConnectHeader(key=h, value=v, "
                           "schema=Schema{STRING}), ConnectHeader(key=n, value=5, schema=Schema{INT32})])}");
    smt_free(s);
    /* Java fails on the first record ("Illegal pattern character 'q'"); kconnect at configure time */
    CU_ASSERT_STRING_EQUAL(smt_config_error("TimestampRouter", "timestamp.format", "yyyyMMdd q", NULL),
                           "Invalid value yyyyMMdd q for configuration timestamp.format: Illegal pattern character 'q'");
    CU_ASSERT_STRING_EQUAL(smt_config_error("TimestampRouter", "timestamp.format", "'abc", NULL),
                           "Invalid value 'abc for configuration timestamp.format: Unterminated quote");
    CU_ASSERT(strstr(smt_config_error("TimestampRouter", "timestamp.format", "yyyy z", NULL),
                     "Pattern letter 'z' of java.text.SimpleDateFormat is not supported by kconnect") != NULL);
}

static void test_regex_router(void)
{
    kc_error err;
    smt s = smt_new("RegexRouter", &err, "regex", "(.*)-(\\d+)", "replacement", "$2_$1", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "orders-42", KC_NO_TIMESTAMP), "42_orders");
    CU_ASSERT_STRING_EQUAL(routed(s, "orders", KC_NO_TIMESTAMP), "orders"); /* no match: unchanged */
    smt_free(s);
    s = smt_new("RegexRouter", &err, "regex", "(?<env>[a-z]+)\\.(?:db)\\.([\\w-]+)", "replacement", "${env}_$2", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "prod.db.user-events", KC_NO_TIMESTAMP), "prod_user-events");
    smt_free(s);
    s = smt_new("RegexRouter", &err, "regex", "mm2\\.(.*)", "replacement", "\\$$1", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "mm2.x", KC_NO_TIMESTAMP), "$x");
    smt_free(s);
    s = smt_new("RegexRouter", &err, "regex", "(a)(b)", "replacement", "$3", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "ab", KC_NO_TIMESTAMP), "No group 3");
    smt_free(s);
    s = smt_new("RegexRouter", &err, "regex", "(?i)ORDERS\\.(\\w+)", "replacement", "o_$1", NULL);
    CU_ASSERT_STRING_EQUAL(routed(s, "orders.eu", KC_NO_TIMESTAMP), "o_eu");
    smt_free(s);
}

static void test_regex_router_errors(void)
{
    CU_ASSERT_STRING_EQUAL(smt_config_error("RegexRouter", "regex", "(", "replacement", "x", NULL),
                           "Invalid value ( for configuration regex: Invalid regex: Unclosed group near index 1\n(");
    CU_ASSERT_STRING_EQUAL(smt_config_error("RegexRouter", "regex", "a", NULL),
                           "Missing required configuration \"replacement\" which has no default value.");
    const char *msg = smt_config_error("RegexRouter", "regex", "(?<=a)b", "replacement", "x", NULL);
    CU_ASSERT(strstr(msg, "Invalid value (?<=a)b for configuration regex: Invalid regex: Lookbehind") == msg);
    CU_ASSERT(strstr(msg, "is not supported") != NULL);
    msg = smt_config_error("RegexRouter", "regex", "(.*?)-(.*)", "replacement", "x", NULL);
    CU_ASSERT(strstr(msg, "reluctant quantifier") != NULL);
    CU_ASSERT(strstr(msg, "near index 3\n(.*?)-(.*)\n   ^") != NULL);
}

static void test_filter(void)
{
    kc_error err;
    smt s = smt_new("Filter", &err, NULL);
    kc_error_set(&err, KC_ERR_INVALID, "stale");
    CU_ASSERT_PTR_NULL(s.p->apply(s.t, src("t", 0, KC_NO_TIMESTAMP), &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_NONE); /* dropped, not failed */
    smt_free(s);
}

/* ---- predicates ------------------------------------------------------------------------------------ */

static void test_predicates(void)
{
    kc_error err;
    pred p = pred_new("TopicNameMatches", &err, "pattern", "orders-.*", NULL);
    kc_record *a = src("orders-1", 0, KC_NO_TIMESTAMP), *b = src("xorders-1", 0, KC_NO_TIMESTAMP);
    CU_ASSERT_EQUAL(p.p->test(p.t, a, &err), 1);
    CU_ASSERT_EQUAL(p.p->test(p.t, b, &err), 0);
    pred_free(p);
    p = pred_new("TopicNameMatches", &err, "pattern", "", NULL);
    CU_ASSERT_PTR_NULL(p.t);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value  for configuration pattern: String must be non-empty");
    p = pred_new("TopicNameMatches", &err, "pattern", "[a", NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value [a for configuration pattern: Invalid regex: Unclosed character "
                                    "class near index 1\n[a\n ^");

    p = pred_new("HasHeaderKey", &err, "name", "b", NULL);
    kc_headers_add_new(&a->headers, "b", NULL, NULL);
    CU_ASSERT_EQUAL(p.p->test(p.t, a, &err), 1);
    CU_ASSERT_EQUAL(p.p->test(p.t, b, &err), 0);
    pred_free(p);
    p = pred_new("HasHeaderKey", &err, NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Missing required configuration \"name\" which has no default value.");

    p = pred_new("RecordIsTombstone", &err, NULL);
    kc_record_set_value_new(b, NULL, kc_value_string("v"));
    CU_ASSERT_EQUAL(p.p->test(p.t, a, &err), 1);
    CU_ASSERT_EQUAL(p.p->test(p.t, b, &err), 0);
    pred_free(p);
    kc_record_free(a);
    kc_record_free(b);
}

/* ---- more variants ------------------------------------------------------------------------------ */

static void test_hashmap_order_presized(void)
{
    /* new HashMap<>(map of 12) is pre-sized to 32 buckets on JDK 17: the output order shows it */
    kc_error err;
    smt s = smt_new("InsertField$Value", &err, "topic.field", "topic", "static.field", "zz", "static.value", "v", NULL);
    kc_value *big = map_of("k06", kc_value_int32(6), "k05", kc_value_int32(5), "k08", kc_value_int32(8), "k07",
                           kc_value_int32(7), "k09", kc_value_int32(9), "k11", kc_value_int32(11), "k10",
                           kc_value_int32(10), "k02", kc_value_int32(2), "k01", kc_value_int32(1), "k12",
                           kc_value_int32(12), "k04", kc_value_int32(4), "k03", kc_value_int32(3), NULL);
    kc_record *r = src("t", 3, 1000);
    kc_record_set_value_new(r, NULL, kc_value_copy(big));
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{zz=v, k11=11, k10=10, k02=2, k01=1, k12=12, k04=4, k03=3, k06=6, k05=5, "
                                           "k08=8, k07=7, k09=9, topic=t}");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("ReplaceField$Value", &err, "renames", "k01:a01", NULL);
    r = src("t", 3, 1000);
    kc_record_set_value_new(r, NULL, big);
    r = smt_apply(s, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{k06=6, k05=5, k08=8, k07=7, a01=1, k09=9, k11=11, k10=10, k02=2, k12=12, "
                                           "k04=4, k03=3}");
    kc_record_free(r);
    smt_free(s);
}

static void test_key_struct_variants(void)
{
    kc_error err;
    const kc_schema *schema = struct_schema("ssn", kc_schema_string(), "n", kc_schema_int64(), NULL);
    static const struct {
        const char *cls, *k1, *v1, *k2, *v2, *key, *key_schema;
    } cases[] = {
        {"MaskField$Key", "fields", "ssn,n", NULL, NULL, "Struct{ssn=,n=0}", "STRUCT{ssn:STRING,n:INT64,}"},
        {"ReplaceField$Key", "exclude", "n", "renames", "ssn:id", "Struct{id=123}", "STRUCT{id:STRING,}"},
        {"InsertField$Key", "partition.field", "p!", "timestamp.field", "ts",
         "Struct{ssn=123,n=5,p=4,ts=Fri Jan 02 00:00:00 UTC 1970}",
         "STRUCT{ssn:STRING,n:INT64,p:INT32,ts:INT64?(org.apache.kafka.connect.data.Timestamp),}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smt s = smt_new(cases[i].cls, &err, cases[i].k1, cases[i].v1, cases[i].k2, cases[i].v2, NULL);
        kc_record *r = src("t", 4, 86400000LL);
        kc_record_set_key_new(r, kc_schema_ref(schema),
                              struct_of(schema, "ssn", kc_value_string("123"), "n", kc_value_int64(5), NULL));
        kc_record_set_value_new(r, NULL, kc_value_string("v"));
        r = smt_apply(s, r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(jstr(r->key), cases[i].key);
        CU_ASSERT_STRING_EQUAL(sstr(r->key_schema), cases[i].key_schema);
        CU_ASSERT_STRING_EQUAL(jstr(r->value), "v");
        CU_ASSERT_PTR_NULL(r->value_schema);
        kc_record_free(r);
        smt_free(s);
    }
    kc_schema_unref(schema);
}

static void test_replace_null_with_default_false(void)
{
    kc_error err;
    kc_schema_builder *fb = kc_schema_builder_new(KC_SCHEMA_INT32);
    kc_schema_builder_optional(fb);
    kc_schema_builder_default_new(fb, kc_value_int32(5));
    const kc_schema *fs = kc_schema_builder_build(fb, &err);
    const kc_schema *schema = struct_schema("a", fs, "b", kc_schema_int32(), NULL);
    for (int with_default = 0; with_default < 2; with_default++) {
        const char *flag = with_default ? "true" : "false";
        smt s = smt_new("ValueToKey", &err, "fields", "a", "replace.null.with.default", flag, NULL);
        kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
        kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "b", kc_value_int32(1), NULL));
        r = smt_apply(s, r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(jstr(r->key), with_default ? "Struct{a=5}" : "Struct{}");
        CU_ASSERT_STRING_EQUAL(sstr(r->key_schema), "STRUCT{a:INT32?=5,}");
        kc_record_free(r);
        smt_free(s);
        s = smt_new("ExtractField$Value", &err, "field", "a", "replace.null.with.default", flag, NULL);
        r = src("t", 0, KC_NO_TIMESTAMP);
        kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "b", kc_value_int32(1), NULL));
        r = smt_apply(s, r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(jstr(r->value), with_default ? "5" : "null");
        CU_ASSERT_STRING_EQUAL(sstr(r->value_schema), "INT32?=5");
        kc_record_free(r);
        smt_free(s);
    }
    kc_schema_unref(schema);
    kc_schema_unref(fs);
    smt s = smt_new("HeaderFrom$Value", &err, "fields", "a", "headers", "h", "operation", "move", NULL);
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, src("t", 0, KC_NO_TIMESTAMP)),
                           "Only Map objects supported in absence of schema for [header move], found: null");
    smt_free(s);
}

/* ---- the Java regular expression translation -------------------------------------------------------- */

static const char *regex_error(const char *pattern)
{
    kc_error err;
    kc_java_regex *re = kc_java_regex_new(pattern, &err);
    char *out = slot();
    if (re)
        kc_java_regex_free(re);
    else
        snprintf(out, RING_SIZE, "%s", err.msg);
    return out;
}

static void test_regex_java_syntax_errors(void)
{
    static const struct {
        const char *pattern, *message; /* Pattern.compile's getMessage() */
    } cases[] = {
        {"(", "Unclosed group near index 1\n("},
        {"a)", "Unmatched closing ')' near index 0\na)\n^"},
        {"*a", "Dangling meta character '*' near index 0\n*a\n^"},
        {"a**", "Dangling meta character '*' near index 2\na**\n  ^"},
        {"x{2}*", "Dangling meta character '*' near index 4\nx{2}*\n    ^"},
        {"[a", "Unclosed character class near index 1\n[a\n ^"},
        {"[^]", "Unclosed character class near index 2\n[^]\n  ^"},
        {"a{", "Illegal repetition near index 2\na{"},
        {"{a", "Illegal repetition near index 1\n{a\n ^"},
        {"a{2,1}", "Illegal repetition range near index 5\na{2,1}\n     ^"},
        {"\\q", "Illegal/unsupported escape sequence near index 1\n\\q\n ^"},
        {"[z-a]", "Illegal character range near index 3\n[z-a]\n   ^"},
        {"\\", "Unexpected internal error near index 1\n\\"},
        {"(?<1a>x)", "capturing group name does not start with a Latin letter near index 3\n(?<1a>x)\n   ^"},
        {"(?", "Unknown inline modifier near index 2\n(?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = regex_error(cases[i].pattern);
        CU_ASSERT_STRING_EQUAL(got, cases[i].message);
        if (strcmp(got, cases[i].message) != 0)
            fprintf(stderr, "pattern %s: %s\n", cases[i].pattern, got);
    }
    static const char *const unsupported[] = {"(?=a)", "(?!a)b", "(?<!a)b", "(?>a)", "a+?", "a++", "a{2}?",
                                              "a(?i)b", "(?x)a", "(?i:a)", "\\bword", "\\p{L}", "[a&&b]",
                                              "[a[b]]", "[\\D]", "[é]", "(a)\\2"};
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        CU_ASSERT(strstr(regex_error(unsupported[i]), "is not supported by kconnect's regular expressions") != NULL);
}

static const char *replaced(const char *pattern, const char *text, const char *replacement)
{
    kc_error err;
    kc_java_regex *re = kc_java_regex_new(pattern, &err);
    char *out = slot();
    if (!re) {
        snprintf(out, RING_SIZE, "compile: %s", err.msg);
        return out;
    }
    char *s = NULL;
    int rc = kc_java_regex_replace(re, text, replacement, &s, &err);
    snprintf(out, RING_SIZE, "%s", rc == 1 ? s : rc == 0 ? "<no match>" : err.msg);
    free(s);
    kc_java_regex_free(re);
    return out;
}

static void test_regex_matching_and_replacement(void)
{
    static const struct {
        const char *pattern, *text, *replacement, *expected; /* Matcher.replaceFirst after matches() */
    } cases[] = {
        {"(.*)-(.*)", "a-b-c", "$2_$1", "c_a-b"},
        {"(?<n>a)(b)", "ab", "${n}-$2", "a-b"},
        {"(a)(b)", "ab", "$12", "a2"},
        {"(a)(b)?", "a", "[$2]", "[]"},
        {"(a)(b)", "ab", "\\$1", "$1"},
        {"(a)|(b)", "b", "[$1][$2]", "[][b]"},
        {"(a)(b)", "ab", "$3", "No group 3"},
        {"(a)(b)", "ab", "$", "Illegal group reference: group index is missing"},
        {"(a)(b)", "ab", "\\", "character to be escaped is missing"},
        {"(a)(b)", "ab", "$x", "Illegal group reference"},
        {"(a)(b)", "ab", "${n}", "No group with name {n}"},
        {"(?<n>a)(b)", "ab", "${1n}", "capturing group name {1n} starts with digit character"},
        {"(?<n>a)(b)", "ab", "${}", "named capturing group has 0 length name"},
        {"(?<n>a)(b)", "ab", "${n", "named capturing group is missing trailing '}'"},
        {"[]a-]+", "]-a", "ok", "ok"},
        {"[\\w.-]+", "a.b-c_1", "ok", "ok"},
        {"[\\d-z]", "-", "ok", "ok"},
        {"[^^]", "x", "ok", "ok"},
        {"\\Q.*\\E", ".*", "ok", "ok"},
        {"\\Q.*\\E", "ab", "ok", "<no match>"},
        {"(a)\\1", "aa", "ok", "ok"},
        {"(?<x>a)\\k<x>", "aa", "ok", "ok"},
        {"x{2,3}", "xxx", "ok", "ok"},
        {"\\p{Lower}+\\.\\p{Digit}{2}", "abc.12", "ok", "ok"},
        {"\\x41\\u0042\\t?", "AB", "ok", "ok"},
        {"a.b", "a\nb", "ok", "<no match>"},
        {"(?s)a.b", "a\nb", "ok", "ok"},
        {"é+", "ééé", "Z", "Z"},
        {"(?i)AB", "ab", "ok", "ok"},
        {"()", "", "ok", "ok"},
        {"(|a)", "", "ok", "ok"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = replaced(cases[i].pattern, cases[i].text, cases[i].replacement);
        CU_ASSERT_STRING_EQUAL(got, cases[i].expected);
        if (strcmp(got, cases[i].expected) != 0)
            fprintf(stderr, "pattern %s on %s: %s\n", cases[i].pattern, cases[i].text, got);
    }
}

static const char *extracted(const char *field, const char *version, kc_value *value)
{
    kc_error err;
    smt s = smt_new("ExtractField$Value", &err, "field", field, "field.syntax.version", version, NULL);
    char *out = slot();
    if (!s.t) {
        snprintf(out, RING_SIZE, "configure: %s", err.msg);
        kc_value_free(value);
        return out;
    }
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, value);
    r = smt_apply(s, r, &err);
    snprintf(out, RING_SIZE, "%s", r ? jstr(r->value) : err.msg);
    kc_record_free(r);
    smt_free(s);
    return out;
}

static void test_extract_field_paths(void)
{
    CU_ASSERT_STRING_EQUAL(extracted("a.b", "V2", map_of("a", map_of("b", kc_value_int32(1), NULL), "a.b",
                                                       kc_value_int32(2), NULL)), "1");
    CU_ASSERT_STRING_EQUAL(extracted("a.b", "V1", map_of("a", map_of("b", kc_value_int32(1), NULL), "a.b",
                                                       kc_value_int32(2), NULL)), "2");
    CU_ASSERT_STRING_EQUAL(extracted("`a\\`.b`", "V2", map_of("a`.b", kc_value_int32(3), NULL)), "3");
    CU_ASSERT_STRING_EQUAL(extracted("a.", "V2", map_of("a", map_of("", kc_value_int32(4), NULL), NULL)), "4");
    CU_ASSERT_STRING_EQUAL(extracted("a.zz.c", "V2", map_of("a", map_of("b", kc_value_int32(1), NULL), NULL)), "null");
    CU_ASSERT_STRING_EQUAL(extracted("`a.b`c.d", "V2", map_of("x", kc_value_int32(1), NULL)),
                           "configure: Incomplete backtick pair in path: [`a.b`c.d], consider adding a backslash "
                           "before backtick at position 0 to escape it");
    /* a path step through a non-struct field of a schema */
    kc_error err;
    const kc_schema *inner = struct_schema("c", kc_schema_int32(), NULL);
    const kc_schema *outer = struct_schema("s", inner, "x", kc_schema_int32(), NULL);
    smt s = smt_new("ExtractField$Value", &err, "field", "x.c", "field.syntax.version", "V2", NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(outer), struct_of(outer, "s", struct_of(inner, "c", kc_value_int32(1), NULL),
                                                               "x", kc_value_int32(2), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cannot look up fields on non-struct type");
    smt_free(s);
    /* MaskField cannot mask a struct */
    s = smt_new("MaskField$Value", &err, "fields", "s", NULL);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(outer), struct_of(outer, "s", struct_of(inner, "c", kc_value_int32(1), NULL),
                                                               "x", kc_value_int32(2), NULL));
    CU_ASSERT_STRING_EQUAL(smt_apply_error(s, r), "Cannot mask value of type: class org.apache.kafka.connect.data.Struct");
    smt_free(s);
    kc_schema_unref(inner);
    kc_schema_unref(outer);
}

static void test_insert_header_null_and_empty(void)
{
    kc_error err;
    smt s = smt_new("InsertHeader", &err, "header", "h", "value.literal", "null", NULL);
    kc_record *r = smt_apply(s, src("t", 0, KC_NO_TIMESTAMP), &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=h, value=null, schema=null)])");
    kc_record_free(r);
    smt_free(s);
    s = smt_new("InsertHeader", &err, "header", "h", "value.literal", "", NULL);
    r = smt_apply(s, src("t", 0, KC_NO_TIMESTAMP), &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=h, value=, schema=Schema{STRING})])");
    kc_record_free(r);
    smt_free(s);
    /* DropHeaders accepts a repeated name (ValidList drops duplicates first) */
    CU_ASSERT_STRING_EQUAL(smt_config_error("DropHeaders", "headers", "a,a", NULL), "");
}

static void test_routers_keep_the_rest(void)
{
    kc_error err;
    smt routers[2] = {smt_new("RegexRouter", &err, "regex", ".*", "replacement", "fixed", NULL),
                      smt_new("TimestampRouter", &err, NULL)};
    for (int i = 0; i < 2; i++) {
        kc_record *r = src("t", 7, 86400000LL);
        kc_record_set_key_new(r, kc_schema_string(), kc_value_string("k"));
        kc_record_set_value_new(r, kc_schema_int32(), kc_value_int32(1));
        kc_headers_add_new(&r->headers, "h", NULL, NULL);
        r = smt_apply(routers[i], r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(r->topic, i ? "t-19700102" : "fixed");
        CU_ASSERT_EQUAL(r->kafka_partition, 7);
        CU_ASSERT_EQUAL(r->timestamp, 86400000LL);
        CU_ASSERT_STRING_EQUAL(jstr(r->key), "k");
        CU_ASSERT_PTR_EQUAL(r->value_schema, kc_schema_int32());
        CU_ASSERT_EQUAL(r->headers.count, 1);
        kc_record_free(r);
        smt_free(routers[i]);
    }
    /* TopicNameMatches refuses what POSIX cannot do (Java accepts lookahead) */
    pred p = pred_new("TopicNameMatches", &err, "pattern", "(?=x)y", NULL);
    CU_ASSERT_PTR_NULL(p.t);
    CU_ASSERT(strstr(err.msg, "Invalid value (?=x)y for configuration pattern: Invalid regex: Lookahead") == err.msg);
}

static void test_schema_cache_eviction(void)
{
    /* more input schemas than the cache holds: results stay right after evictions */
    kc_error err;
    smt s = smt_new("ReplaceField$Value", &err, "renames", "a:b", NULL);
    const kc_schema *schemas[20];
    char name[16];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 20; i++) {
            if (round == 0) {
                snprintf(name, sizeof name, "s%d", i);
                kc_schema_builder *b = kc_schema_builder_struct();
                kc_schema_builder_name(b, name);
                kc_schema_builder_field(b, "a", kc_schema_int32());
                schemas[i] = kc_schema_builder_build(b, &err);
            }
            kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
            kc_record_set_value_new(r, kc_schema_ref(schemas[i]), struct_of(schemas[i], "a", kc_value_int32(i), NULL));
            r = smt_apply(s, r, &err);
            CU_ASSERT_FATAL(r != NULL);
            snprintf(name, sizeof name, "Struct{b=%d}", i);
            CU_ASSERT_STRING_EQUAL(jstr(r->value), name);
            CU_ASSERT_STRING_EQUAL(kc_schema_get_name(r->value_schema), kc_schema_get_name(schemas[i]));
            kc_record_free(r);
        }
    for (int i = 0; i < 20; i++)
        kc_schema_unref(schemas[i]);
    smt_free(s);
}

static void test_header_from_move_cache_and_key(void)
{
    kc_error err;
    const kc_schema *schema = struct_schema("id", kc_schema_int32(), "name", kc_schema_string(), NULL);
    smt s = smt_new("HeaderFrom$Key", &err, "fields", "name", "headers", "key_name", "operation", "move", NULL);
    const kc_schema *first = NULL;
    for (int i = 0; i < 2; i++) {
        kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
        kc_record_set_key_new(r, kc_schema_ref(schema), struct_of(schema, "id", kc_value_int32(i), "name",
                                                                  kc_value_string("n"), NULL));
        kc_record_set_value_new(r, NULL, kc_value_string("v"));
        r = smt_apply(s, r, &err);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT_STRING_EQUAL(jstr(r->key), i ? "Struct{id=1}" : "Struct{id=0}");
        CU_ASSERT_STRING_EQUAL(sstr(r->key_schema), "STRUCT{id:INT32,}");
        CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=key_name, value=n, "
                                        "schema=Schema{STRING})])");
        CU_ASSERT_STRING_EQUAL(jstr(r->value), "v");
        if (i == 0)
            first = kc_schema_ref(r->key_schema);
        else
            CU_ASSERT_PTR_EQUAL(first, r->key_schema);
        kc_record_free(r);
    }
    kc_schema_unref(first);
    kc_schema_unref(schema);
    smt_free(s);
}

const kc_test_case kc_transforms_field_cases[] = {
    {"InsertField$Value schemaless: topic, partition, timestamp, static", test_insert_field_schemaless},
    {"InsertField$Value struct: schema basics copied, optionality, cache", test_insert_field_struct_and_cache},
    {"InsertField$Key null passes; offset on a SinkRecord only", test_insert_field_key_null_and_sink_offset},
    {"InsertField configure and Requirements messages", test_insert_field_errors},
    {"InsertField replace.null.with.default and a duplicate field", test_insert_field_defaults_and_duplicates},
    {"ReplaceField$Value schemaless exclude/renames (a:b: is valid)", test_replace_field_schemaless},
    {"ReplaceField struct include/renames and $Key", test_replace_field_struct_and_key},
    {"ReplaceField invalid renames", test_replace_field_errors},
    {"MaskField schemaless null values of every type, $Key", test_mask_field_schemaless},
    {"MaskField struct with replacement, logical types", test_mask_field_struct_replacement},
    {"MaskField messages", test_mask_field_errors},
    {"ValueToKey schemaless and struct, messages", test_value_to_key},
    {"ExtractField V1: schemaless, struct, null, $Key, messages", test_extract_field},
    {"ExtractField V2 nested paths with backticks", test_extract_field_nested_v2},
    {"HeaderFrom schemaless move, $Key copy", test_header_from_schemaless_move},
    {"HeaderFrom struct copy and move, null and missing fields", test_header_from_struct},
    {"HeaderFrom configure messages", test_header_from_errors},
    {"HeaderFrom$Key struct move: schema cached", test_header_from_move_cache_and_key},
    {"InsertHeader literal parsed as Values.parseString", test_insert_header},
    {"DropHeaders removes every header of the keys", test_drop_headers},
    {"TimestampRouter formats (SimpleDateFormat letters, quoting)", test_timestamp_router},
    {"TimestampRouter missing timestamp and bad patterns", test_timestamp_router_errors},
    {"RegexRouter $n, ${name}, escapes, (?i), bad group", test_regex_router},
    {"RegexRouter regex errors and unsupported constructs", test_regex_router_errors},
    {"Filter drops with no error", test_filter},
    {"TopicNameMatches, HasHeaderKey, RecordIsTombstone", test_predicates},
    {"schemaless output order: JDK 17 HashMap pre-sizing", test_hashmap_order_presized},
    {"$Key variants on structs: MaskField, ReplaceField, InsertField", test_key_struct_variants},
    {"replace.null.with.default=false: ValueToKey, ExtractField; HeaderFrom on null", test_replace_null_with_default_false},
    {"Java regex syntax errors and unsupported constructs", test_regex_java_syntax_errors},
    {"Java regex matching and Matcher replacement syntax", test_regex_matching_and_replacement},
    {"ExtractField V1/V2 paths, escapes, non-struct steps; MaskField on a struct", test_extract_field_paths},
    {"InsertHeader null and empty literals; DropHeaders duplicates", test_insert_header_null_and_empty},
    {"routers change only the topic; TopicNameMatches refuses lookahead", test_routers_keep_the_rest},
    {"schema cache eviction keeps results right", test_schema_cache_eviction},
    {NULL, NULL},
};

int main(void)
{
    kc_error err;
    kc_plugins_reset();
    if (kc_transforms_register_builtins(&err) < 0) {
        fprintf(stderr, "register: %s\n", err.msg);
        return 1;
    }
    static kc_test_case all[128];
    size_t n = 0;
    const kc_test_case *groups[] = {kc_transforms_field_cases, kc_transforms_cast_cases, kc_transforms_chain_cases};
    for (size_t g = 0; g < 3; g++)
        for (const kc_test_case *c = groups[g]; c->name && n + 1 < sizeof all / sizeof all[0]; c++)
            all[n++] = *c;
    all[n] = (kc_test_case){NULL, NULL};
    int rc = kc_test_run("transforms", all);
    kc_plugins_reset();
    return rc;
}
