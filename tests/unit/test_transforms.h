/*
 * Shared by the unit tests of the Single Message Transforms (test_transforms*.c): building plugin
 * instances, records and values, and printing them the way the Java oracle printed its results
 * (Object.toString of values, a compact schema form). Expected texts come from running Apache
 * Kafka 4.3.1's connect-transforms on JDK 17 with the same inputs.
 * Threads: the test's main thread only. Strings returned by the printers live in a small ring of
 * static buffers (valid for the next few calls).
 */
#ifndef KC_TEST_TRANSFORMS_H
#define KC_TEST_TRANSFORMS_H

#include "connect/api/data.h"
#include "connect/api/plugin.h"
#include "connect/api/record.h"
#include "connect/api/transform.h"
#include "connect/config/properties.h"
#include "kc_test.h"

typedef struct smt {
    const kc_transform_plugin *p;
    void *t;
} smt;

typedef struct pred {
    const kc_predicate_plugin *p;
    void *t;
} pred;

/* A transformation by class name or alias, configured with "key", "value", ..., NULL. On a
 * configure failure .t is NULL and err holds the message. */
smt smt_new(const char *cls, kc_error *err, ...);
/* Only the configure error message of such a transformation ("" when it succeeded). */
const char *smt_config_error(const char *cls, ...);
void smt_free(smt s);
/* apply with a cleared err. */
kc_record *smt_apply(smt s, kc_record *r, kc_error *err);
/* apply, expecting a failure: returns err.msg (record freed). "" when it did not fail. */
const char *smt_apply_error(smt s, kc_record *r);

pred pred_new(const char *cls, kc_error *err, ...);
void pred_free(pred p);

kc_props *props_of(const char *k, ...);

/* A map value from "key", value, ..., NULL (takes the values; NULL value = null). */
kc_value *map_of(const char *k, ...);
/* A source record on topic with partition (KC_NO_PARTITION), timestamp (KC_NO_TIMESTAMP). */
kc_record *src(const char *topic, int32_t partition, int64_t timestamp);
/* A sink record (kafka_offset >= 0). */
kc_record *sink(const char *topic, int32_t partition, int64_t offset);
/* A struct schema from "name", schema, ..., NULL (the schemas are borrowed). New reference. */
const kc_schema *struct_schema(const char *first, ...);
/* A struct of schema from "field", value, ..., NULL (takes the values). */
kc_value *struct_of(const kc_schema *schema, ...);

/* Object.toString of v ("null" for NULL). */
const char *jstr(const kc_value *v);
/* The oracle's compact schema form: TYPE[?][(name)][=default][{f:..,}], "null" for NULL. */
const char *sstr(const kc_schema *s);
/* ConnectHeaders' toString of r's headers. */
const char *hstr(const kc_record *r);

extern const kc_test_case kc_transforms_field_cases[];
extern const kc_test_case kc_transforms_cast_cases[];
extern const kc_test_case kc_transforms_chain_cases[];

#endif
