/* The transformation chain (ConnectorConfig.transformationStages, TransformationStage,
 * TransformationChain), its configuration errors, and the ConfigDef enrichment used by REST
 * validation, against Apache Kafka 4.3.1's texts, orders and groups (a throwaway program built
 * SinkConnectorConfig / ConnectorConfig.enrich over the same properties). Java's built-in plugins
 * report version 4.3.1 where kconnect's report KC_VERSION. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/version.h"
#include "connect/worker/transformation_chain.h"
#include "connect/worker/transforms.h"
#include "test_transforms.h"

#define T "org.apache.kafka.connect.transforms."
#define CONNECTOR "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector"

static kc_props *config_of(const char *k, ...)
{
    kc_props *p = kc_props_new();
    va_list ap;
    va_start(ap, k);
    for (; k; k = va_arg(ap, const char *))
        kc_props_set(p, k, va_arg(ap, const char *));
    va_end(ap);
    return p;
}

/* The message of building a chain from the config, "" when it builds. */
static const char *chain_error(kc_props *p)
{
    static char msg[KC_ERROR_MSG_MAX];
    kc_error err;
    kc_error_clear(&err);
    kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
    snprintf(msg, sizeof msg, "%s", c ? "" : err.msg);
    kc_transformation_chain_free(c);
    kc_props_free(p);
    return msg;
}

static void test_chain_applies_in_order(void)
{
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "insert, route", "transforms.insert.type", "InsertField$Value",
                            "transforms.insert.topic.field", "from", "transforms.route.type", T "RegexRouter",
                            "transforms.route.regex", "(.*)", "transforms.route.replacement", "$1-routed", NULL);
    kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_EQUAL(kc_transformation_chain_size(c), 2);
    CU_ASSERT_STRING_EQUAL(kc_transformation_chain_stage_class(c, 0), T "InsertField$Value");
    CU_ASSERT_STRING_EQUAL(kc_transformation_chain_stage_class(c, 1), T "RegexRouter");
    CU_ASSERT_PTR_NULL(kc_transformation_chain_stage_class(c, 2));
    kc_record *r = src("orders", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("a", kc_value_int32(1), NULL));
    r = kc_transformation_chain_apply(c, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(r->topic, "orders-routed");
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "{a=1, from=orders}"); /* the topic before routing */
    kc_record_free(r);
    kc_transformation_chain_free(c);
    kc_props_free(p);
}

static void test_chain_predicate_and_negate(void)
{
    for (int negate = 0; negate < 2; negate++) {
        kc_error err;
        kc_props *p = config_of(CONNECTOR, "transforms", "drop", "transforms.drop.type", "Filter",
                                "transforms.drop.predicate", "tomb", "predicates", "tomb", "predicates.tomb.type",
                                "RecordIsTombstone", NULL);
        if (negate)
            kc_props_set(p, "transforms.drop.negate", "TRUE");
        kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
        CU_ASSERT_FATAL(c != NULL);
        kc_record *tomb = src("t", 0, KC_NO_TIMESTAMP), *live = src("t", 0, KC_NO_TIMESTAMP);
        kc_record_set_value_new(live, NULL, kc_value_string("v"));
        tomb = kc_transformation_chain_apply(c, tomb, &err);
        CU_ASSERT_EQUAL(err.code, KC_ERR_NONE);
        live = kc_transformation_chain_apply(c, live, &err);
        CU_ASSERT_EQUAL(err.code, KC_ERR_NONE);
        CU_ASSERT(negate ? tomb != NULL && live == NULL : tomb == NULL && live != NULL);
        kc_record_free(tomb);
        kc_record_free(live);
        kc_transformation_chain_free(c);
        kc_props_free(p);
    }
}

static void test_chain_predicate_per_stage(void)
{
    /* two stages naming one predicate: each has its own instance, negation per stage */
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "a,b", "transforms.a.type", "InsertHeader", "transforms.a.header",
                            "matched", "transforms.a.value.literal", "yes", "transforms.a.predicate", "orders",
                            "transforms.b.type", "InsertHeader", "transforms.b.header", "other",
                            "transforms.b.value.literal", "yes", "transforms.b.predicate", "orders", "transforms.b.negate",
                            "true", "predicates", "orders", "predicates.orders.type", "TopicNameMatches",
                            "predicates.orders.pattern", "orders\\..*", NULL);
    kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
    CU_ASSERT_FATAL(c != NULL);
    kc_record *r = kc_transformation_chain_apply(c, src("orders.eu", 0, KC_NO_TIMESTAMP), &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=matched, value=yes, schema=Schema{STRING})])");
    kc_record_free(r);
    r = kc_transformation_chain_apply(c, src("users", 0, KC_NO_TIMESTAMP), &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(hstr(r), "ConnectHeaders(headers=[ConnectHeader(key=other, value=yes, schema=Schema{STRING})])");
    kc_record_free(r);
    kc_transformation_chain_free(c);
    kc_props_free(p);
}

static void test_chain_drop_stops_and_errors(void)
{
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "f,bad", "transforms.f.type", "Filter", "transforms.f.predicate",
                            "named", "predicates", "named", "predicates.named.type", "HasHeaderKey",
                            "predicates.named.name", "drop-me", "transforms.bad.type", "InsertField$Value",
                            "transforms.bad.topic.field", "t", NULL);
    kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
    CU_ASSERT_FATAL(c != NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, kc_value_string("not a map"));
    kc_headers_add_new(&r->headers, "drop-me", NULL, NULL);
    CU_ASSERT_PTR_NULL(kc_transformation_chain_apply(c, r, &err)); /* dropped before InsertField runs */
    CU_ASSERT_EQUAL(err.code, KC_ERR_NONE);
    CU_ASSERT_PTR_NULL(kc_transformation_chain_failed_class(c));
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, kc_value_string("not a map"));
    CU_ASSERT_PTR_NULL(kc_transformation_chain_apply(c, r, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "Only Map objects supported in absence of schema for [field insertion], found: "
                                    "java.lang.String");
    CU_ASSERT_STRING_EQUAL(kc_transformation_chain_failed_class(c), T "InsertField$Value");
    kc_transformation_chain_free(c);
    kc_props_free(p);

    p = config_of(CONNECTOR, NULL);
    c = kc_transformation_chain_new(p, &err); /* no transforms: records pass through */
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_EQUAL(kc_transformation_chain_size(c), 0);
    r = src("t", 0, KC_NO_TIMESTAMP);
    CU_ASSERT_PTR_EQUAL(kc_transformation_chain_apply(c, r, &err), r);
    kc_record_free(r);
    kc_transformation_chain_free(c);
    kc_transformation_chain_free(NULL);
    kc_props_free(p);
}

static void test_chain_alias_and_type_errors(void)
{
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a, a", "transforms.a.type", "Filter", NULL)),
                           "Invalid value [a, a] for configuration transforms: Duplicate alias provided.");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", NULL)),
                           "Invalid value null for configuration transforms.a.type: Not a Transformation");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Foo", NULL)),
                           "Invalid value Foo for configuration transforms.a.type: Class Foo could not be found.");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Value", NULL)),
                           "Invalid value Value for configuration transforms.a.type: Class Value could not be found.");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type",
                                                 T "predicates.HasHeaderKey", NULL)),
                           "Class class " T "predicates.HasHeaderKey does not implement the Transformation interface");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "HasHeaderKey", NULL)),
                           "Class class " T "predicates.HasHeaderKey does not implement the Transformation interface");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", T "InsertField", NULL)),
                           "This class is abstract and cannot be created. Did you mean " T "InsertField$Key, " T
                           "InsertField$Value?");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a,,b", "transforms.a.type", "Filter",
                                                 "transforms.b.type", "Filter", NULL)),
                           "Invalid value null for configuration transforms..type: Not a Transformation");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", " Filter ", NULL)),
                           "Invalid value  Filter  for configuration transforms.a.type: Error getting config "
                           "definition from Transformation:  Filter ");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a,b", "transforms.b.type", "Nope",
                                                 "transforms.a.type", "ValueToKey", NULL)),
                           "Invalid value Nope for configuration transforms.b.type: Class Nope could not be found.");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", " a , b ", "transforms.a.type", "Filter",
                                                 "transforms.b.type", "Filter", NULL)), "");
}

static void test_chain_predicate_errors(void)
{
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.predicate", "p", NULL)),
                           "Unknown configuration 'predicates.p.plugin.version'");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.predicate", "p", "predicates", "p", NULL)),
                           "Invalid value null for configuration predicates.p.type: Not a Predicate");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "predicates", "p", NULL)),
                           "Invalid value null for configuration predicates.p.type: Not a Predicate");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.predicate", "p", "predicates", "p", "predicates.p.type",
                                                 "Nope", NULL)),
                           "Invalid value Nope for configuration predicates.p.type: Class Nope could not be found.");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.predicate", "p", "predicates", "p", "predicates.p.type",
                                                 "Filter", NULL)),
                           "Class class " T "Filter does not implement the Predicate interface");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.negate", "true", NULL)),
                           "Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' "
                           "defining a predicate to be negated.");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.predicate", "p", "predicates", "p", "predicates.p.type",
                                                 "RecordIsTombstone", "transforms.a.negate", "yes", NULL)),
                           "Invalid value yes for configuration transforms.a.negate: Expected value to be either true "
                           "or false");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.predicate", "p", "predicates", "p", "predicates.p.type",
                                                 "HasHeaderKey", NULL)),
                           "Missing required configuration \"predicates.p.name\" which has no default value.");
}

static void test_chain_plugin_config_errors(void)
{
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "ValueToKey", NULL)),
                           "Missing required configuration \"transforms.a.fields\" which has no default value.");
    /* an embedded validator sees the unprefixed name */
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", T "MaskField$Value",
                                                 "transforms.a.fields", "x", "transforms.a.replacement", "", NULL)),
                           "Invalid value  for configuration replacement: String must be non-empty");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "ValueToKey",
                                                 "transforms.a.fields", "", NULL)),
                           "Configuration 'fields' must not be empty. Valid values include: any non-empty value");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", T "Cast$Value",
                                                 "transforms.a.spec", "a:b:c", NULL)),
                           "Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c");
    /* the plugin's own configure() */
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type",
                                                 T "InsertField$Value", NULL)),
                           "No field insertion configured");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", T "HeaderFrom$Value",
                                                 "transforms.a.fields", "a,b", "transforms.a.headers", "x",
                                                 "transforms.a.operation", "copy", NULL)),
                           "'fields' config must have the same number of elements as 'headers' config.");
}

static void test_chain_plugin_versions(void)
{
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.plugin.version", "1.0", NULL)),
                           "Plugin " T "Filter not found that matches the version range [1.0,1.0], available versions: "
                           "[" KC_VERSION "]");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.plugin.version", KC_VERSION, NULL)), "");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.plugin.version", "[0.0,99.0)", NULL)), "");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.plugin.version", "latest", NULL)), "");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.plugin.version", "[4.0", NULL)), "Unbounded range: [4.0");
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "a", "transforms.a.type", "Filter",
                                                 "transforms.a.plugin.version", "(99.0,)", NULL)),
                           "Plugin " T "Filter not found that matches the version range (99.0,), available versions: "
                           "[" KC_VERSION "]");
}

/* ---- enrichment ------------------------------------------------------------------------------------- */

typedef struct key_expect {
    const char *name, *type, *def, *importance, *group;
    int order;
    const char *width, *display;
} key_expect;

static void check_keys(const kc_transforms_enrichment *e, const key_expect *want, size_t n)
{
    kc_error err;
    kc_config_table t = kc_transforms_enrichment_table(e);
    CU_ASSERT_EQUAL(t.count, n);
    kc_config_def *def = kc_config_def_new(&t, 1, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    for (size_t i = 0; i < n && i < t.count; i++) {
        json_t *info = kc_config_key_info_json_new(def, i);
        const char *dv = json_string_value(json_object_get(info, "default_value"));
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(info, "name")), want[i].name);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(info, "type")), want[i].type);
        bool required = json_is_true(json_object_get(info, "required"));
        CU_ASSERT_STRING_EQUAL(required ? "<req>" : dv ? dv : "<null>", want[i].def);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(info, "importance")), want[i].importance);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(info, "group")), want[i].group);
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(info, "order_in_group")), want[i].order);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(info, "width")), want[i].width);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(info, "display_name")), want[i].display);
        if (strcmp(json_string_value(json_object_get(info, "name")), want[i].name) != 0)
            fprintf(stderr, "key %zu: %s\n", i, json_string_value(json_object_get(info, "name")));
        json_decref(info);
    }
    kc_config_def_free(def);
}

static void test_enrichment_keys(void)
{
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "a", "transforms.a.type", T "InsertField$Value", "predicates", "p",
                            "predicates.p.type", T "predicates.TopicNameMatches", "predicates.p.pattern", "(", NULL);
    kc_transforms_enrichment *e = kc_transforms_enrichment_new(p, false, &err);
    CU_ASSERT_FATAL(e != NULL);
    static const key_expect want[] = {
        {"transforms.a.type", "CLASS", "<req>", "HIGH", "Transforms: a", 0, "LONG", "Transformation type for a"},
        {"transforms.a.plugin.version", "STRING", KC_VERSION, "HIGH", "Transforms: a", 1, "LONG",
         "Transformation version for a"},
        {"transforms.a.negate", "BOOLEAN", "false", "MEDIUM", "Transforms: a", 2, "NONE", "negate"},
        {"transforms.a.offset.field", "STRING", "<null>", "MEDIUM", "Transforms: a", 3, "NONE", "offset.field"},
        {"transforms.a.partition.field", "STRING", "<null>", "MEDIUM", "Transforms: a", 4, "NONE", "partition.field"},
        {"transforms.a.predicate", "STRING", "<null>", "MEDIUM", "Transforms: a", 5, "NONE", "predicate"},
        {"transforms.a.replace.null.with.default", "BOOLEAN", "true", "MEDIUM", "Transforms: a", 6, "NONE",
         "replace.null.with.default"},
        {"transforms.a.static.field", "STRING", "<null>", "MEDIUM", "Transforms: a", 7, "NONE", "static.field"},
        {"transforms.a.static.value", "STRING", "<null>", "MEDIUM", "Transforms: a", 8, "NONE", "static.value"},
        {"transforms.a.timestamp.field", "STRING", "<null>", "MEDIUM", "Transforms: a", 9, "NONE", "timestamp.field"},
        {"transforms.a.topic.field", "STRING", "<null>", "MEDIUM", "Transforms: a", 10, "NONE", "topic.field"},
        {"predicates.p.type", "CLASS", "<req>", "HIGH", "Predicates: p", 0, "LONG", "Predicate type for p"},
        {"predicates.p.plugin.version", "STRING", KC_VERSION, "HIGH", "Predicates: p", 1, "LONG",
         "Predicate version for p"},
        {"predicates.p.pattern", "STRING", "<req>", "MEDIUM", "Predicates: p", 2, "NONE", "pattern"},
    };
    check_keys(e, want, sizeof want / sizeof want[0]);
    kc_config_table t = kc_transforms_enrichment_table(e);
    CU_ASSERT_STRING_EQUAL(t.keys[0].documentation, "Class for the 'a' transformation.");
    CU_ASSERT_STRING_EQUAL(t.keys[1].documentation, "Version of the 'a' transformation.");
    CU_ASSERT_STRING_EQUAL(t.keys[11].documentation, "Class for the 'p' predicate.");
    char *desc = kc_config_validator_describe_new(t.keys[0].validator);
    CU_ASSERT_STRING_EQUAL(desc, "valid configs for a transformation");
    free(desc);
    desc = kc_config_validator_describe_new(t.keys[13].validator);
    CU_ASSERT_STRING_EQUAL(desc, "non-empty string, valid regex");
    free(desc);

    /* validation: the embedded validator reports the unprefixed name; recommended values */
    kc_config_def_opts opts = {.class_exists = kc_transforms_class_exists};
    kc_config_def *def = kc_config_def_new(&t, 1, &opts, &err);
    CU_ASSERT_FATAL(def != NULL);
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    kc_config_result *pattern = kc_config_validation_get(v, "predicates.p.pattern", false);
    CU_ASSERT_FATAL(pattern != NULL);
    CU_ASSERT_EQUAL(pattern->errors.count, 1);
    if (pattern->errors.count)
        CU_ASSERT_STRING_EQUAL(pattern->errors.items[0], "Invalid value ( for configuration pattern: Invalid regex: "
                                                         "Unclosed group near index 1\n(");
    kc_config_result *type = kc_config_validation_get(v, "transforms.a.type", false);
    CU_ASSERT_EQUAL(type->errors.count, 0);
    CU_ASSERT_EQUAL(type->recommended.count, 18);
    CU_ASSERT_STRING_EQUAL(type->recommended.items[0], T "Cast$Key");
    CU_ASSERT_STRING_EQUAL(type->recommended.items[17], T "ValueToKey");
    kc_config_result *ptype = kc_config_validation_get(v, "predicates.p.type", false);
    CU_ASSERT_EQUAL(ptype->recommended.count, 3);
    kc_config_result *version = kc_config_validation_get(v, "transforms.a.plugin.version", false);
    CU_ASSERT_EQUAL(version->recommended.count, 1);
    if (version->recommended.count)
        CU_ASSERT_STRING_EQUAL(version->recommended.items[0], KC_VERSION);
    CU_ASSERT_EQUAL(kc_config_validation_error_count(v), 1);
    kc_config_validation_free(v);
    kc_config_def_free(def);
    kc_transforms_enrichment_free(e);
    kc_props_free(p);
}

static void test_enrichment_without_connector_or_type(void)
{
    kc_error err;
    /* no connector.class: only the implicit keys are embedded; the negate rule is reported */
    kc_props *p = config_of("transforms", "a", "transforms.a.type", T "MaskField$Value", "transforms.a.negate", "true",
                            "transforms.a.replacement", "", NULL);
    kc_transforms_enrichment *e = kc_transforms_enrichment_new(p, false, &err);
    CU_ASSERT_FATAL(e != NULL);
    static const key_expect want[] = {
        {"transforms.a.type", "CLASS", "<req>", "HIGH", "Transforms: a", 0, "LONG", "Transformation type for a"},
        {"transforms.a.plugin.version", "STRING", "<null>", "HIGH", "Transforms: a", 1, "LONG",
         "Transformation version for a"},
        {"transforms.a.negate", "BOOLEAN", "false", "MEDIUM", "Transforms: a", 2, "NONE", "negate"},
        {"transforms.a.predicate", "STRING", "<null>", "MEDIUM", "Transforms: a", 3, "NONE", "predicate"},
    };
    check_keys(e, want, sizeof want / sizeof want[0]);
    kc_config_table t = kc_transforms_enrichment_table(e);
    kc_config_def_opts opts = {.class_exists = kc_transforms_class_exists};
    kc_config_def *def = kc_config_def_new(&t, 1, &opts, &err);
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    kc_config_result *type = kc_config_validation_get(v, "transforms.a.type", false);
    CU_ASSERT_EQUAL(type->errors.count, 1);
    if (type->errors.count)
        CU_ASSERT_STRING_EQUAL(type->errors.items[0], "Config 'transforms.a.negate' was provided but there is no config "
                                                      "'transforms.a.predicate' defining a predicate to be negated.");
    kc_config_validation_free(v);
    kc_config_def_free(def);
    kc_transforms_enrichment_free(e);
    kc_props_free(p);

    /* an unknown and a wrong-kind type: no plugin keys, the type key says why */
    p = config_of(CONNECTOR, "transforms", "a,b", "transforms.a.type", "Nope", "transforms.a.negate", "x",
                  "transforms.b.type", T "predicates.HasHeaderKey", NULL);
    e = kc_transforms_enrichment_new(p, false, &err);
    CU_ASSERT_FATAL(e != NULL);
    static const key_expect want2[] = {
        {"transforms.a.type", "CLASS", "<req>", "HIGH", "Transforms: a", 0, "LONG", "Transformation type for a"},
        {"transforms.a.plugin.version", "STRING", "<null>", "HIGH", "Transforms: a", 1, "LONG",
         "Transformation version for a"},
        {"transforms.b.type", "CLASS", "<req>", "HIGH", "Transforms: b", 0, "LONG", "Transformation type for b"},
        {"transforms.b.plugin.version", "STRING", "<null>", "HIGH", "Transforms: b", 1, "LONG",
         "Transformation version for b"},
    };
    check_keys(e, want2, sizeof want2 / sizeof want2[0]);
    t = kc_transforms_enrichment_table(e);
    def = kc_config_def_new(&t, 1, &opts, &err);
    v = kc_config_validate(def, p, NULL, &err);
    type = kc_config_validation_get(v, "transforms.a.type", false);
    CU_ASSERT_EQUAL(type->errors.count, 2);
    if (type->errors.count == 2) {
        CU_ASSERT_STRING_EQUAL(type->errors.items[0],
                               "Invalid value Nope for configuration transforms.a.type: Class Nope could not be found.");
        CU_ASSERT_STRING_EQUAL(type->errors.items[1], "Config 'transforms.a.negate' was provided but there is no config "
                                                      "'transforms.a.predicate' defining a predicate to be negated.");
    }
    kc_config_result *b = kc_config_validation_get(v, "transforms.b.type", false);
    CU_ASSERT_EQUAL(b->errors.count, 1);
    if (b->errors.count)
        CU_ASSERT_STRING_EQUAL(b->errors.items[0], "Class class " T "predicates.HasHeaderKey does not implement the "
                                                   "Transformation interface");
    kc_config_result *bv = kc_config_validation_get(v, "transforms.b.plugin.version", false);
    CU_ASSERT_EQUAL(bv->recommended.count, 0);
    kc_config_validation_free(v);
    kc_config_def_free(def);
    kc_transforms_enrichment_free(e);
    kc_props_free(p);
}

static void test_enrichment_version_mismatch(void)
{
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "a", "transforms.a.type", T "MaskField$Value",
                            "transforms.a.fields", "a,a", "transforms.a.plugin.version", "9", NULL);
    kc_transforms_enrichment *e = kc_transforms_enrichment_new(p, false, &err);
    CU_ASSERT_FATAL(e != NULL);
    kc_config_table t = kc_transforms_enrichment_table(e);
    CU_ASSERT_EQUAL(t.count, 2); /* the plugin's keys are not embedded */
    kc_config_def_opts opts = {.class_exists = kc_transforms_class_exists};
    kc_config_def *def = kc_config_def_new(&t, 1, &opts, &err);
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    const char *want = "Plugin " T "MaskField$Value not found that matches the version range [9,9], available "
                       "versions: [" KC_VERSION "]";
    kc_config_result *type = kc_config_validation_get(v, "transforms.a.type", false);
    kc_config_result *version = kc_config_validation_get(v, "transforms.a.plugin.version", false);
    CU_ASSERT(type->errors.count == 1 && strcmp(type->errors.items[0], want) == 0);
    CU_ASSERT(version->errors.count == 1 && strcmp(version->errors.items[0], want) == 0);
    kc_config_validation_free(v);
    kc_config_def_free(def);
    kc_transforms_enrichment_free(e);
    kc_props_free(p);
    /* with require_full (start-up), a bad alias is an error right away */
    p = config_of(CONNECTOR, "transforms", "a", NULL);
    CU_ASSERT_PTR_NULL(kc_transforms_enrichment_new(p, true, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value null for configuration transforms.a.type: Not a Transformation");
    kc_props_free(p);
}

static void test_registration(void)
{
    const kc_plugin_desc *all[256];
    size_t n = kc_plugins_list(all, 256), transforms = 0, predicates = 0;
    for (size_t i = 0; i < n; i++) {
        if (all[i]->kind == KC_PLUGIN_TRANSFORMATION) {
            const kc_transform_plugin *p = all[i]->vtable;
            CU_ASSERT_STRING_EQUAL(p->class_name, all[i]->class_name);
            CU_ASSERT(p->create && p->configure && p->apply && p->close);
            transforms++;
        } else if (all[i]->kind == KC_PLUGIN_PREDICATE) {
            const kc_predicate_plugin *p = all[i]->vtable;
            CU_ASSERT_STRING_EQUAL(p->class_name, all[i]->class_name);
            CU_ASSERT(p->create && p->configure && p->test && p->close);
            predicates++;
        }
    }
    CU_ASSERT_EQUAL(transforms, 18);
    CU_ASSERT_EQUAL(predicates, 3);
    kc_error err;
    CU_ASSERT_EQUAL(kc_transforms_register_builtins(&err), -1); /* twice */
    CU_ASSERT(kc_plugins_find(KC_PLUGIN_TRANSFORMATION, "TimestampRouter", &err) != NULL);
    CU_ASSERT(kc_plugins_find(KC_PLUGIN_PREDICATE, "TopicNameMatches", &err) != NULL);
    CU_ASSERT(kc_transforms_class_exists(T "Cast", NULL));
    CU_ASSERT(!kc_transforms_class_exists("java.lang.String", NULL));
}

static void test_enrichment_groups_and_duplicates(void)
{
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "b,a,b", "transforms.a.type", "Filter", "transforms.b.type", "Filter",
                            "predicates", "p", "predicates.p.type", "RecordIsTombstone", NULL);
    kc_transforms_enrichment *e = kc_transforms_enrichment_new(p, false, &err);
    CU_ASSERT_FATAL(e != NULL);
    kc_config_table t = kc_transforms_enrichment_table(e);
    CU_ASSERT_EQUAL(t.count, 10); /* b and a once each: type, version, negate, predicate; p: type, version */
    CU_ASSERT_STRING_EQUAL(t.keys[0].name, "transforms.b.type");
    CU_ASSERT_STRING_EQUAL(t.keys[4].name, "transforms.a.type");
    CU_ASSERT_STRING_EQUAL(t.keys[8].name, "predicates.p.type");
    kc_config_def *def = kc_config_def_new(&t, 1, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    CU_ASSERT_EQUAL(kc_config_def_group_count(def), 3);
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 0), "Transforms: b");
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 1), "Transforms: a");
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 2), "Predicates: p");
    kc_config_def_free(def);
    kc_transforms_enrichment_free(e);
    kc_props_free(p);
    /* the chain refuses the duplicate */
    CU_ASSERT_STRING_EQUAL(chain_error(config_of(CONNECTOR, "transforms", "b,a,b", "transforms.a.type", "Filter",
                                                 "transforms.b.type", "Filter", NULL)),
                           "Invalid value [b, a, b] for configuration transforms: Duplicate alias provided.");
}

static void test_chain_unconditional_filter(void)
{
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "all", "transforms.all.type", T "Filter", NULL);
    kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
    CU_ASSERT_FATAL(c != NULL);
    for (int i = 0; i < 3; i++) {
        kc_error_set(&err, KC_ERR_INVALID, "stale");
        CU_ASSERT_PTR_NULL(kc_transformation_chain_apply(c, src("t", i, KC_NO_TIMESTAMP), &err));
        CU_ASSERT_EQUAL(err.code, KC_ERR_NONE);
    }
    kc_transformation_chain_free(c);
    kc_props_free(p);
}

static void test_chain_create_key_extract(void)
{
    /* the documentation's classic: ValueToKey then ExtractField$Key, on structs and on maps */
    kc_error err;
    kc_props *p = config_of(CONNECTOR, "transforms", "createKey,extractInt", "transforms.createKey.type",
                            T "ValueToKey", "transforms.createKey.fields", "c1", "transforms.extractInt.type",
                            T "ExtractField$Key", "transforms.extractInt.field", "c1", NULL);
    kc_transformation_chain *c = kc_transformation_chain_new(p, &err);
    CU_ASSERT_FATAL(c != NULL);
    const kc_schema *schema = struct_schema("c1", kc_schema_int64(), "c2", kc_schema_string(), NULL);
    kc_record *r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, kc_schema_ref(schema), struct_of(schema, "c1", kc_value_int64(42), "c2",
                                                                kc_value_string("x"), NULL));
    r = kc_transformation_chain_apply(c, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "42");
    CU_ASSERT_STRING_EQUAL(sstr(r->key_schema), "INT64");
    CU_ASSERT_STRING_EQUAL(jstr(r->value), "Struct{c1=42,c2=x}");
    kc_record_free(r);
    r = src("t", 0, KC_NO_TIMESTAMP);
    kc_record_set_value_new(r, NULL, map_of("c1", kc_value_int64(7), NULL));
    r = kc_transformation_chain_apply(c, r, &err);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(jstr(r->key), "7");
    CU_ASSERT_PTR_NULL(r->key_schema);
    kc_record_free(r);
    kc_schema_unref(schema);
    kc_transformation_chain_free(c);
    kc_props_free(p);
}

const kc_test_case kc_transforms_chain_cases[] = {
    {"chain applies stages in order (aliases resolved)", test_chain_applies_in_order},
    {"chain predicate with and without negate", test_chain_predicate_and_negate},
    {"chain predicate instance per stage", test_chain_predicate_per_stage},
    {"chain drop stops later stages; failures name the class; empty chain", test_chain_drop_stops_and_errors},
    {"chain errors: aliases and types", test_chain_alias_and_type_errors},
    {"chain errors: predicates and negate", test_chain_predicate_errors},
    {"chain errors: the plugins' keys and configure()", test_chain_plugin_config_errors},
    {"chain plugin.version requirements", test_chain_plugin_versions},
    {"enrichment keys, order, groups, validation, recommenders", test_enrichment_keys},
    {"enrichment without connector.class or with a bad type", test_enrichment_without_connector_or_type},
    {"enrichment with an unmatched version; require_full", test_enrichment_version_mismatch},
    {"registration of the built-ins", test_registration},
    {"enrichment groups per alias, duplicates once", test_enrichment_groups_and_duplicates},
    {"chain with an unconditional Filter drops everything", test_chain_unconditional_filter},
    {"chain ValueToKey + ExtractField$Key on structs and maps", test_chain_create_key_extract},
    {NULL, NULL},
};
