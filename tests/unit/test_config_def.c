/* ConfigDef: parsing by type, validators, strict parse, validation, ConfigInfos JSON and docs.
 * Expected texts are Java 4.3.1's (ConfigDef, AbstractHerder.generateResult serialised by
 * Jackson), captured from the jars of the test bed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/config/config_def.h"
#include "kc_test.h"

/* ---- helpers --------------------------------------------------------------------------------- */

static kc_config_def *def_of(const kc_config_key *keys, size_t n)
{
    kc_config_table t = { keys, n };
    kc_error err;
    kc_config_def *def = kc_config_def_new(&t, 1, NULL, &err);
    if (!def)
        fprintf(stderr, "def: %s\n", err.msg);
    CU_ASSERT_FATAL(def != NULL);
    return def;
}
#define DEF(array) def_of((array), sizeof(array) / sizeof((array)[0]))

static kc_props *props_kv(const char *k1, const char *v1, const char *k2, const char *v2)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_FATAL(p != NULL);
    if (k1)
        CU_ASSERT_FATAL(kc_props_set(p, k1, v1) == 0);
    if (k2)
        CU_ASSERT_FATAL(kc_props_set(p, k2, v2) == 0);
    return p;
}

/* Parses raw as the value of key "k" of type (null default, no validator): the JSON text form of
 * the value ("<null>" for null) or the error message. */
static const char *try_parse(kc_config_type type, const char *raw)
{
    static char out[KC_ERROR_MSG_MAX];
    kc_config_key key = { .name = "k", .type = type, .importance = KC_CONFIG_LOW, .default_value = KC_CONFIG_NULL };
    kc_config_def *def = def_of(&key, 1);
    kc_props *p = props_kv("k", raw, NULL, NULL);
    kc_error err;
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    if (!parsed) {
        CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
        snprintf(out, sizeof out, "%s", err.msg);
    } else {
        char *text = kc_config_value_text_new(kc_config_parsed_get(parsed, "k"));
        snprintf(out, sizeof out, "%s", text ? text : "<null>");
        free(text);
    }
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
    return out;
}

/* Runs v on a value for key "k"; "OK" or the message. */
static const char *check(const kc_config_validator *v, const kc_config_value *value)
{
    static char out[KC_ERROR_MSG_MAX];
    kc_error err;
    if (kc_config_validator_check(v, "k", value, &err) == 0)
        return "OK";
    snprintf(out, sizeof out, "%s", err.msg);
    return out;
}

static const char *check_str(const kc_config_validator *v, const char *s)
{
    kc_config_value value = { .type = KC_CONFIG_STRING, .is_null = s == NULL, .string = (char *)s };
    return check(v, &value);
}

static const char *check_int(const kc_config_validator *v, int64_t n)
{
    kc_config_value value = { .type = KC_CONFIG_INT, .integer = n };
    return check(v, &value);
}

/* items: comma-separated, split exactly on ','; NULL for a null list. */
static const char *check_list(const kc_config_validator *v, const char *items)
{
    kc_config_value value = { .type = KC_CONFIG_LIST, .is_null = items == NULL };
    for (const char *p = items; p && *p;) {
        size_t n = strcspn(p, ",");
        char item[64];
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        CU_ASSERT_FATAL(kc_config_strs_add(&value.list, item) == 0);
        p += n + (p[n] == ',');
    }
    const char *r = check(v, &value);
    kc_config_strs_clear(&value.list);
    return r;
}

static void assert_describe(const kc_config_validator *v, const char *expected)
{
    char *d = kc_config_validator_describe_new(v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_STRING_EQUAL(d, expected);
    free(d);
}

static void assert_json(json_t *j, const char *expected)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    char *s = kc_config_json_dumps(j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    if (strcmp(s, expected) != 0)
        fprintf(stderr, "\n got: %s\nwant: %s\n", s, expected);
    CU_ASSERT_STRING_EQUAL(s, expected);
    free(s);
    json_decref(j);
}

/* ---- parseType ------------------------------------------------------------------------------- */

static void test_int_trimmed_and_signed(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, " 42 "), "42");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, "\t-2147483648\n"), "-2147483648");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, "+7"), "7");
}

static void test_int_out_of_range_and_junk(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, "2147483648"),
                           "Invalid value 2147483648 for configuration k: Not a number of type INT");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, ""), "Invalid value  for configuration k: Not a number of type INT");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, " 0x10 "),
                           "Invalid value  0x10  for configuration k: Not a number of type INT"); /* raw value */
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, "1_0"), "Invalid value 1_0 for configuration k: Not a number of type INT");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_INT, "-"), "Invalid value - for configuration k: Not a number of type INT");
}

static void test_short_and_long_ranges(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_SHORT, "40000"), "Invalid value 40000 for configuration k: Not a number of type SHORT");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_SHORT, "-32768"), "-32768");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LONG, "9223372036854775807"), "9223372036854775807");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LONG, "-9223372036854775808"), "-9223372036854775808");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LONG, "9223372036854775808"),
                           "Invalid value 9223372036854775808 for configuration k: Not a number of type LONG");
}

static void test_boolean(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_BOOLEAN, "TRUE"), "true");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_BOOLEAN, " fAlse "), "false");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_BOOLEAN, "yes"),
                           "Invalid value yes for configuration k: Expected value to be either true or false");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_BOOLEAN, ""),
                           "Invalid value  for configuration k: Expected value to be either true or false");
}

static void test_double_grammar_and_text(void)
{
    static const char *const cases[][2] = {
        { "1e3", "1000.0" }, { "1.5d", "1.5" }, { "0x1p3", "8.0" }, { "Infinity", "Infinity" },
        { " NaN", "NaN" }, { "1", "1.0" }, { "0.001", "0.001" }, { "1.0E-4", "1.0E-4" },
        { "12345678", "1.2345678E7" }, { "1234567", "1234567.0" }, { ".5", "0.5" }, { "5.", "5.0" },
        { "1e400", "Infinity" }, { "-0", "-0.0" }, { "100.0f", "100.0" }, { "2e-3", "0.002" },
        { "9999999.0", "9999999.0" }, { "1e7", "1.0E7" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_DOUBLE, cases[i][0]), cases[i][1]);
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_DOUBLE, "abc"), "Invalid value abc for configuration k: Not a number of type DOUBLE");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_DOUBLE, "1e"), "Invalid value 1e for configuration k: Not a number of type DOUBLE");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_DOUBLE, "inf"), "Invalid value inf for configuration k: Not a number of type DOUBLE");
}

static void test_java_double_to_string(void)
{
    char buf[64];
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(4.9e-324, buf, sizeof buf), "4.9E-324");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(123456.789, buf, sizeof buf), "123456.789");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(9999999.999, buf, sizeof buf), "9999999.999");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(0.00099, buf, sizeof buf), "9.9E-4");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(1.0 / 3, buf, sizeof buf), "0.3333333333333333");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(-2.5e-10, buf, sizeof buf), "-2.5E-10");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(2e22, buf, sizeof buf), "2.0E22");
    CU_ASSERT_STRING_EQUAL(kc_config_java_double(-INFINITY, buf, sizeof buf), "-Infinity");
}

static void test_list_split(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, "a, b,,c"), "a,b,,c");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, ", a"), ",a");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, "a,"), "a,");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, "a\t,\tb"), "a,b");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, " , "), ",");

    kc_config_key key = { .name = "l", .type = KC_CONFIG_LIST, .importance = KC_CONFIG_LOW, .default_value = "" };
    kc_config_def *def = def_of(&key, 1);
    kc_props *p = props_kv("l", " x ,  y,,z ", NULL, NULL);
    kc_error err;
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    size_t n = 0;
    char *const *items = kc_config_get_list(parsed, "l", &n);
    CU_ASSERT_FATAL(items != NULL && n == 4);
    CU_ASSERT_STRING_EQUAL(items[0], "x");
    CU_ASSERT_STRING_EQUAL(items[1], "y");
    CU_ASSERT_STRING_EQUAL(items[2], "");
    CU_ASSERT_STRING_EQUAL(items[3], "z");
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_empty_list(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, ""), "");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_LIST, "   "), "");
    kc_config_key key = { .name = "l", .type = KC_CONFIG_LIST, .importance = KC_CONFIG_LOW, .default_value = "" };
    kc_config_def *def = def_of(&key, 1);
    kc_props *p = kc_props_new();
    kc_error err;
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    size_t n = 7;
    CU_ASSERT_PTR_NOT_NULL(kc_config_get_list(parsed, "l", &n)); /* empty, not null */
    CU_ASSERT_EQUAL(n, 0);
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
}

static int known_class(const char *name, void *opaque)
{
    (void)opaque;
    return strcmp(name, "org.apache.kafka.connect.json.JsonConverter") == 0;
}

static void test_class(void)
{
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_CLASS, ""), "Invalid value  for configuration k: Class  could not be found.");
    CU_ASSERT_STRING_EQUAL(try_parse(KC_CONFIG_CLASS, " any.Name "), "any.Name"); /* no lookup: accepted */

    kc_config_key key = { .name = "c", .type = KC_CONFIG_CLASS, .importance = KC_CONFIG_LOW, .default_value = KC_CONFIG_NULL };
    kc_config_table t = { &key, 1 };
    kc_config_def_opts opts = { .class_exists = known_class };
    kc_error err;
    kc_config_def *def = kc_config_def_new(&t, 1, &opts, &err);
    CU_ASSERT_FATAL(def != NULL);
    kc_props *p = props_kv("c", " no.such.Cls", NULL, NULL);
    CU_ASSERT(kc_config_parse(def, p, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value  no.such.Cls for configuration c: Class  no.such.Cls could not be found.");
    kc_props_set(p, "c", " org.apache.kafka.connect.json.JsonConverter ");
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    CU_ASSERT_STRING_EQUAL(kc_config_get_string(parsed, "c"), "org.apache.kafka.connect.json.JsonConverter");
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_string_and_password_trimmed(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("s", KC_CONFIG_STRING, .importance = KC_CONFIG_LOW, .default_value = "d"),
        KC_CONFIG_KEY("p", KC_CONFIG_PASSWORD, .importance = KC_CONFIG_LOW),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = props_kv("s", "  spaced out \t", "p", " hunter2 ");
    kc_error err;
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    CU_ASSERT_STRING_EQUAL(kc_config_get_string(parsed, "s"), "spaced out");
    CU_ASSERT_STRING_EQUAL(kc_config_get_password(parsed, "p"), "hunter2");
    char *text = kc_config_value_text_new(kc_config_parsed_get(parsed, "p"));
    CU_ASSERT_STRING_EQUAL(text, "[hidden]");
    free(text);
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
}

/* ---- validators ------------------------------------------------------------------------------ */

static void test_range_messages(void)
{
    CU_ASSERT_STRING_EQUAL(check_int(KC_CONFIG_AT_LEAST(1), 0), "Invalid value 0 for configuration k: Value must be at least 1");
    CU_ASSERT_STRING_EQUAL(check_int(KC_CONFIG_AT_LEAST(1), 1), "OK");
    CU_ASSERT_STRING_EQUAL(check_int(KC_CONFIG_BETWEEN(1, 10), 11), "Invalid value 11 for configuration k: Value must be no more than 10");
    kc_config_value null_int = { .type = KC_CONFIG_INT, .is_null = true };
    CU_ASSERT_STRING_EQUAL(check(KC_CONFIG_AT_LEAST(1), &null_int), "Invalid value null for configuration k: Value must be non-null");
    kc_config_value d = { .type = KC_CONFIG_DOUBLE, .dbl = 1.5 };
    CU_ASSERT_STRING_EQUAL(check(KC_CONFIG_BETWEEN_DOUBLE(0.0, 1.0), &d),
                           "Invalid value 1.5 for configuration k: Value must be no more than 1.0");
    assert_describe(KC_CONFIG_AT_LEAST(1), "[1,...]");
    assert_describe(KC_CONFIG_BETWEEN(1, 10), "[1,...,10]");
    assert_describe(KC_CONFIG_BETWEEN_DOUBLE(0.0, 1.0), "[0.0,...,1.0]");
}

static void test_valid_string(void)
{
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN("none", "all"), "some"),
                           "Invalid value some for configuration k: String must be one of: none, all");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN("none", "all"), NULL),
                           "Invalid value null for configuration k: String must be one of: none, all");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN("none", "all"), "all"), "OK");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN("none", "all"), "ALL"),
                           "Invalid value ALL for configuration k: String must be one of: none, all");
    assert_describe(KC_CONFIG_IN("none", "all"), "[none, all]");
}

static void test_case_insensitive_valid_string(void)
{
    /* Java lists the upper-cased strings in java.util.HashSet order */
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN_ANY_CASE("requested", "required"), "maybe"),
                           "Invalid value maybe for configuration k: String must be one of (case insensitive): REQUIRED, REQUESTED");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN_ANY_CASE("poll", "interval", "connector"), "x"),
                           "Invalid value x for configuration k: String must be one of (case insensitive): INTERVAL, POLL, CONNECTOR");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN_ANY_CASE("poll", "interval", "connector"), "Poll"), "OK");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_IN_ANY_CASE("a"), NULL),
                           "Invalid value null for configuration k: String must be one of (case insensitive): A");
    assert_describe(KC_CONFIG_IN_ANY_CASE("poll", "interval", "connector"), "(case insensitive) [INTERVAL, POLL, CONNECTOR]");
}

static void test_valid_list(void)
{
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_IN("a", "b"), "a,c"),
                           "Invalid value c for configuration k: String must be one of: a, b");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_IN("a", "b"), ""), "OK");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_IN_NON_EMPTY("a", "b"), ""),
                           "Configuration 'k' must not be empty. Valid values include: [a, b]");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_IN("a", "b"), "a,,b"), "Configuration 'k' values must not be empty.");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_IN("a", "b"), "a,a"), "Configuration 'k' values must not be duplicated.");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_IN("a", "b"), NULL), "Configuration 'k' values must not be null.");
    assert_describe(KC_CONFIG_LIST_IN("a", "b"), "[a, b]");
}

static void test_list_no_duplicates(void)
{
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_NO_DUPLICATES(true, false), "x,y,x"),
                           "Configuration 'k' values must not be duplicated.");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_NO_DUPLICATES(false, false), ""),
                           "Configuration 'k' must not be empty. Valid values include: any non-empty value");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_NO_DUPLICATES(true, true), NULL), "OK");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_NO_DUPLICATES(true, false), "anything,else"), "OK");
    assert_describe(KC_CONFIG_LIST_NO_DUPLICATES(true, false), "");
}

static void test_non_empty_string(void)
{
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_EMPTY_STRING, ""), "Invalid value  for configuration k: String must be non-empty");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_EMPTY_STRING, NULL), "OK");
    assert_describe(KC_CONFIG_NON_EMPTY_STRING, "non-empty string");
}

static void test_non_empty_without_control_chars(void)
{
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_EMPTY_NO_CONTROL, ""), "Invalid value  for configuration k: String may not be empty");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_EMPTY_NO_CONTROL, "a\tb\x01" "c\xc2\x85"),
                           "Invalid value a\tb\x01" "c\xc2\x85 for configuration k: String may not contain control "
                           "sequences but had the following ASCII chars: 9, 1, 133");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_EMPTY_NO_CONTROL, NULL), "OK");
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_EMPTY_NO_CONTROL, "caf\xc3\xa9 \xf0\x9f\x98\x80"), "OK");
    assert_describe(KC_CONFIG_NON_EMPTY_NO_CONTROL, "non-empty string without ISO control characters");
}

static void test_non_null_list_size_composite(void)
{
    CU_ASSERT_STRING_EQUAL(check_str(KC_CONFIG_NON_NULL, NULL), "Invalid value null for configuration k: entry must be non null");
    CU_ASSERT_STRING_EQUAL(check_list(KC_CONFIG_LIST_MAX_SIZE(2), "a,b,c"),
                           "Invalid value [a, b, c] for configuration k: exceeds maximum list size of [2].");
    assert_describe(KC_CONFIG_LIST_MAX_SIZE(2), "List containing maximum of 2 elements");
    const kc_config_validator *both = KC_CONFIG_ALL_OF(KC_CONFIG_NON_EMPTY_STRING, KC_CONFIG_IN("x"));
    CU_ASSERT_STRING_EQUAL(check_str(both, "y"), "Invalid value y for configuration k: String must be one of: x");
    CU_ASSERT_STRING_EQUAL(check_str(both, ""), "Invalid value  for configuration k: String must be non-empty");
    assert_describe(both, "non-empty string, [x]");
}

static int even_check(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    int *calls = opaque;
    (*calls)++;
    if (!value->is_null && value->integer % 2 != 0)
        return kc_config_error_invalid(err, name, value, "must be even");
    return 0;
}

static void test_custom_check_with_opaque(void)
{
    static int calls;
    calls = 0;
    const kc_config_validator *v = KC_CONFIG_CHECK(even_check, &calls, "an even number");
    CU_ASSERT_STRING_EQUAL(check_int(v, 3), "Invalid value 3 for configuration k: must be even");
    CU_ASSERT_STRING_EQUAL(check_int(v, 4), "OK");
    CU_ASSERT_EQUAL(calls, 2);
    assert_describe(v, "an even number");
}

/* ---- PASSWORD never echoed ------------------------------------------------------------------- */

static int reject_all(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    return kc_config_error_invalid(err, name, value, "rejected");
}

static void test_password_never_echoed(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("p", KC_CONFIG_PASSWORD, .importance = KC_CONFIG_HIGH, .documentation = "Secret.",
                      .validator = KC_CONFIG_CHECK(reject_all, NULL, "")),
        KC_CONFIG_KEY("q", KC_CONFIG_PASSWORD, .importance = KC_CONFIG_HIGH, .default_value = KC_CONFIG_NULL),
    };
    kc_config_table t = { keys, 2 };
    kc_error err;
    /* a password default refused by its validator: the message hides it */
    const kc_config_key bad_default[] = {
        KC_CONFIG_KEY("p", KC_CONFIG_PASSWORD, .importance = KC_CONFIG_HIGH, .default_value = "topsecret",
                      .validator = KC_CONFIG_CHECK(reject_all, NULL, "")),
    };
    kc_config_table tb = { bad_default, 1 };
    CU_ASSERT(kc_config_def_new(&tb, 1, NULL, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value [hidden] for configuration p: rejected");

    kc_config_def *def = kc_config_def_new(&t, 1, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    kc_props *p = props_kv("p", "hunter2", "q", "s3cr3t");
    CU_ASSERT(kc_config_parse(def, p, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value [hidden] for configuration p: rejected");

    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    json_t *infos = kc_config_infos_json_new("C", v);
    char *json = kc_config_json_dumps(infos);
    json_decref(infos);
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    CU_ASSERT(strstr(json, "hunter2") == NULL);
    CU_ASSERT(strstr(json, "s3cr3t") == NULL);
    CU_ASSERT(strstr(json, "\"value\":\"[hidden]\"") != NULL);
    free(json);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

/* ---- defaults, strict parse ------------------------------------------------------------------ */

static void test_missing_required_vs_null_default(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("opt", KC_CONFIG_STRING, .importance = KC_CONFIG_LOW, .default_value = KC_CONFIG_NULL),
        KC_CONFIG_KEY("req", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH),
    };
    kc_config_def *def = DEF(keys);
    CU_ASSERT_PTR_NOT_NULL(kc_config_def_default_at(def, 0));
    CU_ASSERT(kc_config_def_default_at(def, 0)->is_null);
    CU_ASSERT_PTR_NULL(kc_config_def_default_at(def, 1));
    kc_props *p = kc_props_new();
    kc_error err;
    CU_ASSERT(kc_config_parse(def, p, &err) == NULL);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "Missing required configuration \"req\" which has no default value.");
    kc_props_set(p, "req", "x");
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    CU_ASSERT_PTR_NULL(kc_config_get_string(parsed, "opt"));
    CU_ASSERT_STRING_EQUAL(kc_config_get_string(parsed, "req"), "x");
    kc_config_parsed_free(parsed);
    assert_json(kc_config_key_info_json_new(def, 0),
                "{\"name\":\"opt\",\"type\":\"STRING\",\"required\":false,\"default_value\":null,\"importance\":\"LOW\","
                "\"documentation\":null,\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\",\"display_name\":\"opt\",\"dependents\":[]}");
    assert_json(kc_config_key_info_json_new(def, 1),
                "{\"name\":\"req\",\"type\":\"STRING\",\"required\":true,\"default_value\":null,\"importance\":\"HIGH\","
                "\"documentation\":null,\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\",\"display_name\":\"req\",\"dependents\":[]}");
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_strict_parse_first_error_in_definition_order(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("a", KC_CONFIG_INT, .importance = KC_CONFIG_HIGH, .default_value = "5", .validator = KC_CONFIG_AT_LEAST(1)),
        KC_CONFIG_KEY("b", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = props_kv("b", "set", "a", "abc");
    kc_error err;
    CU_ASSERT(kc_config_parse(def, p, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value abc for configuration a: Not a number of type INT");
    kc_props_set(p, "a", "0");
    CU_ASSERT(kc_config_parse(def, p, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value 0 for configuration a: Value must be at least 1");
    kc_props_remove(p, "a");
    kc_props_set(p, "unknown.key", "ignored");
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    CU_ASSERT_EQUAL(kc_config_get_int(parsed, "a"), 5);
    CU_ASSERT_PTR_NULL(kc_config_parsed_get(parsed, "unknown.key"));
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_typed_getters(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("b", KC_CONFIG_BOOLEAN, .importance = KC_CONFIG_LOW, .default_value = "true"),
        KC_CONFIG_KEY("s", KC_CONFIG_SHORT, .importance = KC_CONFIG_LOW, .default_value = "-3"),
        KC_CONFIG_KEY("l", KC_CONFIG_LONG, .importance = KC_CONFIG_LOW, .default_value = "60000"),
        KC_CONFIG_KEY("d", KC_CONFIG_DOUBLE, .importance = KC_CONFIG_LOW, .default_value = "0.25"),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = props_kv("l", "9000000000", NULL, NULL);
    kc_error err;
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    CU_ASSERT_TRUE(kc_config_get_bool(parsed, "b"));
    CU_ASSERT_EQUAL(kc_config_get_short(parsed, "s"), -3);
    CU_ASSERT_EQUAL(kc_config_get_long(parsed, "l"), 9000000000LL);
    CU_ASSERT_DOUBLE_EQUAL(kc_config_get_double(parsed, "d"), 0.25, 1e-12);
    kc_config_parsed_free(parsed);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_parse_dedupes_valid_list_validate_reports(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("l", KC_CONFIG_LIST, .importance = KC_CONFIG_LOW, .default_value = "",
                      .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false)),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = props_kv("l", "a,b,a", NULL, NULL);
    kc_error err;
    kc_config_parsed *parsed = kc_config_parse(def, p, &err);
    CU_ASSERT_FATAL(parsed != NULL);
    char *text = kc_config_value_text_new(kc_config_parsed_get(parsed, "l"));
    CU_ASSERT_STRING_EQUAL(text, "a,b"); /* Java 4.x: duplicates removed with a warning */
    free(text);
    kc_config_parsed_free(parsed);
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    kc_config_result *r = kc_config_validation_at(v, 0);
    CU_ASSERT_EQUAL_FATAL(r->errors.count, 1);
    CU_ASSERT_STRING_EQUAL(r->errors.items[0], "Configuration 'l' values must not be duplicated.");
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

/* ---- building defs --------------------------------------------------------------------------- */

static void test_build_refusals(void)
{
    kc_error err;
    const kc_config_key twice[] = {
        KC_CONFIG_KEY("a", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "1"),
        KC_CONFIG_KEY("a", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "2"),
    };
    CU_ASSERT(kc_config_def_new(&KC_CONFIG_TABLE(twice), 1, NULL, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Configuration a is defined twice.");
    const kc_config_key bad_default[] = {
        KC_CONFIG_KEY("n", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "abc"),
    };
    CU_ASSERT(kc_config_def_new(&KC_CONFIG_TABLE(bad_default), 1, NULL, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value abc for configuration n: Not a number of type INT");
    const kc_config_key invalid_default[] = {
        KC_CONFIG_KEY("n", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "0", .validator = KC_CONFIG_AT_LEAST(1)),
    };
    CU_ASSERT(kc_config_def_new(&KC_CONFIG_TABLE(invalid_default), 1, NULL, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value 0 for configuration n: Value must be at least 1");
    const kc_config_key wrong_validator[] = {
        KC_CONFIG_KEY("n", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "1", .validator = KC_CONFIG_IN("a")),
    };
    CU_ASSERT(kc_config_def_new(&KC_CONFIG_TABLE(wrong_validator), 1, NULL, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "ValidString") != NULL);
    const kc_config_key no_importance[] = { KC_CONFIG_KEY("n", KC_CONFIG_INT, .default_value = "1") };
    CU_ASSERT(kc_config_def_new(&KC_CONFIG_TABLE(no_importance), 1, NULL, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "importance") != NULL);
}

static const kc_config_key base_keys[] = {
    KC_CONFIG_KEY("name", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH, .group = "Common", .order_in_group = 1),
    KC_CONFIG_KEY("tasks.max", KC_CONFIG_INT, .importance = KC_CONFIG_HIGH, .default_value = "1", .group = "Common",
                  .order_in_group = 3),
    KC_CONFIG_KEY("errors.tolerance", KC_CONFIG_STRING, .importance = KC_CONFIG_MEDIUM, .default_value = "none",
                  .group = "Error Handling", .order_in_group = 3),
};

static const kc_config_key plugin_keys[] = {
    KC_CONFIG_KEY("file", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH, .default_value = "", .group = "File"),
    KC_CONFIG_KEY("tasks.max", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "2", .group = "Plugin"),
};

static void test_merge_override_keeps_position(void)
{
    kc_config_table tables[] = { KC_CONFIG_TABLE(base_keys), KC_CONFIG_TABLE(plugin_keys) };
    kc_error err;
    kc_config_def *def = kc_config_def_new(tables, 2, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    CU_ASSERT_EQUAL_FATAL(kc_config_def_count(def), 4);
    CU_ASSERT_STRING_EQUAL(kc_config_def_key_at(def, 0)->name, "name");
    CU_ASSERT_STRING_EQUAL(kc_config_def_key_at(def, 1)->name, "tasks.max");
    CU_ASSERT_EQUAL(kc_config_def_key_at(def, 1)->importance, KC_CONFIG_LOW); /* the plugin's definition */
    CU_ASSERT_EQUAL(kc_config_def_default_at(def, 1)->integer, 2);
    CU_ASSERT_STRING_EQUAL(kc_config_def_key_at(def, 2)->name, "errors.tolerance");
    CU_ASSERT_STRING_EQUAL(kc_config_def_key_at(def, 3)->name, "file");
    CU_ASSERT_EQUAL(kc_config_def_find(def, "file"), 3);
    CU_ASSERT_EQUAL(kc_config_def_find(def, "nope"), -1);
    kc_config_def_free(def);
}

static void test_merge_keep_first_for_plugin_config(void)
{
    kc_config_table tables[] = { KC_CONFIG_TABLE(plugin_keys), KC_CONFIG_TABLE(base_keys) };
    kc_config_def_opts opts = { .merge = KC_CONFIG_MERGE_KEEP_FIRST };
    kc_error err;
    kc_config_def *def = kc_config_def_new(tables, 2, &opts, &err);
    CU_ASSERT_FATAL(def != NULL);
    json_t *a = kc_config_key_infos_json_new(def);
    CU_ASSERT_FATAL(a != NULL && json_array_size(a) == 4);
    static const char *const names[] = { "file", "tasks.max", "name", "errors.tolerance" };
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(a, i), "name")), names[i]);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(a, 1), "default_value")), "2");
    json_decref(a);
    kc_config_def_free(def);
}

static void test_groups_in_order_of_first_definition(void)
{
    kc_config_table tables[] = { KC_CONFIG_TABLE(base_keys), KC_CONFIG_TABLE(plugin_keys) };
    kc_error err;
    kc_config_def *def = kc_config_def_new(tables, 2, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    CU_ASSERT_EQUAL_FATAL(kc_config_def_group_count(def), 4);
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 0), "Common");
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 1), "Error Handling");
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 2), "File");
    CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, 3), "Plugin");
    kc_props *p = kc_props_new();
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    json_t *infos = kc_config_infos_json_new("X", v);
    char *groups = kc_config_json_dumps(json_object_get(infos, "groups"));
    CU_ASSERT_STRING_EQUAL(groups, "[\"Common\",\"Error Handling\",\"File\",\"Plugin\"]");
    free(groups);
    json_decref(infos);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

/* ---- validation ------------------------------------------------------------------------------ */

static void test_validate_failed_parse_then_validator(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("r", KC_CONFIG_INT, .importance = KC_CONFIG_LOW),
        KC_CONFIG_KEY("s", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "1", .validator = KC_CONFIG_AT_LEAST(1)),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = props_kv("s", "x", NULL, NULL);
    kc_error err;
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    kc_config_result *r = kc_config_validation_at(v, 0);
    CU_ASSERT_EQUAL_FATAL(r->errors.count, 1);
    CU_ASSERT_STRING_EQUAL(r->errors.items[0], "Missing required configuration \"r\" which has no default value.");
    kc_config_result *s = kc_config_validation_at(v, 1);
    CU_ASSERT_EQUAL_FATAL(s->errors.count, 2);
    CU_ASSERT_STRING_EQUAL(s->errors.items[0], "Invalid value x for configuration s: Not a number of type INT");
    CU_ASSERT_STRING_EQUAL(s->errors.items[1], "Invalid value null for configuration s: Value must be non-null");
    CU_ASSERT(s->value.is_null);
    CU_ASSERT_EQUAL(kc_config_validation_error_count(v), 3);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_validate_null_value_is_not_missing(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("name", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH, .validator = KC_CONFIG_NON_EMPTY_NO_CONTROL),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = kc_props_new();
    kc_props *nulls = props_kv("name", "", "undefined.key", "");
    kc_error err;
    kc_config_validation *v = kc_config_validate(def, p, nulls, &err);
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT_EQUAL(kc_config_validation_at(v, 0)->errors.count, 0);
    /* the herder then adds AbstractHerder's error to each null-valued key, defined or not */
    for (size_t i = 0; i < kc_props_count(nulls); i++) {
        kc_config_result *r = kc_config_validation_get(v, kc_props_key_at(nulls, i), true);
        CU_ASSERT_FATAL(r != NULL);
        CU_ASSERT(kc_config_result_add_error(r, "Null value can not be supplied as the configuration value.") == 0);
    }
    CU_ASSERT_EQUAL(kc_config_validation_extra_count(v), 1);
    CU_ASSERT_EQUAL(kc_config_validation_error_count(v), 2);
    assert_json(kc_config_infos_json_new("C", v),
                "{\"name\":\"C\",\"error_count\":2,\"groups\":[],\"configs\":["
                "{\"definition\":null,\"value\":{\"name\":\"undefined.key\",\"value\":null,\"recommended_values\":[],"
                "\"errors\":[\"Null value can not be supplied as the configuration value.\"],\"visible\":true}},"
                "{\"definition\":{\"name\":\"name\",\"type\":\"STRING\",\"required\":true,\"default_value\":null,"
                "\"importance\":\"HIGH\",\"documentation\":null,\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\","
                "\"display_name\":\"name\",\"dependents\":[]},\"value\":{\"name\":\"name\",\"value\":null,"
                "\"recommended_values\":[],\"errors\":[\"Null value can not be supplied as the configuration value.\"],"
                "\"visible\":true}}]}");
    kc_config_validation_free(v);
    kc_props_free(nulls);
    kc_props_free(p);
    kc_config_def_free(def);
}

static int mode_values(const char *name, const kc_config_parsed *parsed, void *opaque, kc_config_strs *out, kc_error *err)
{
    (void)name;
    (void)opaque;
    (void)err;
    const kc_config_value *mode = kc_config_parsed_get(parsed, "mode");
    if (mode && !mode->is_null && strcmp(mode->string, "advanced") == 0)
        return kc_config_strs_add(out, "x") < 0 || kc_config_strs_add(out, "y") < 0 ? -1 : 0;
    return 0;
}

static int mode_visible(const char *name, const kc_config_parsed *parsed, void *opaque, kc_error *err)
{
    (void)name;
    (void)opaque;
    (void)err;
    const kc_config_value *mode = kc_config_parsed_get(parsed, "mode");
    return mode && !mode->is_null && strcmp(mode->string, "advanced") == 0;
}

static const kc_config_recommender detail_recommender = { mode_values, mode_visible, NULL };

static const kc_config_key mode_keys[] = {
    KC_CONFIG_KEY("mode", KC_CONFIG_STRING, .default_value = "basic", .validator = KC_CONFIG_IN("basic", "advanced"),
                  .importance = KC_CONFIG_HIGH, .documentation = "Mode.", .group = "Main", .order_in_group = 1,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Mode", .dependents = KC_CONFIG_NAMES("detail", "ghost")),
    KC_CONFIG_KEY("detail", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation = "Detail.", .group = "Main", .order_in_group = 2, .width = KC_CONFIG_WIDTH_LONG,
                  .display_name = "Detail", .recommender = &detail_recommender),
};

static const char *mode_json(const char *mode)
{
    static char out[4096];
    kc_config_def *def = DEF(mode_keys);
    kc_props *p = props_kv("mode", mode, NULL, NULL);
    kc_error err;
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    json_t *j = kc_config_infos_json_new("R", v);
    char *s = kc_config_json_dumps(j);
    snprintf(out, sizeof out, "%s", s ? s : "");
    free(s);
    json_decref(j);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
    return out;
}

#define GHOST "{\"definition\":null,\"value\":{\"name\":\"ghost\",\"value\":null,\"recommended_values\":[]," \
              "\"errors\":[\"ghost is referred in the dependents, but not defined.\"],\"visible\":false}}"
#define MODE_DEF "{\"name\":\"mode\",\"type\":\"STRING\",\"required\":false,\"default_value\":\"basic\",\"importance\":\"HIGH\"," \
                 "\"documentation\":\"Mode.\",\"group\":\"Main\",\"order_in_group\":1,\"width\":\"SHORT\",\"display_name\":\"Mode\"," \
                 "\"dependents\":[\"detail\",\"ghost\"]}"
#define DETAIL_DEF "{\"name\":\"detail\",\"type\":\"STRING\",\"required\":false,\"default_value\":null,\"importance\":\"LOW\"," \
                   "\"documentation\":\"Detail.\",\"group\":\"Main\",\"order_in_group\":2,\"width\":\"LONG\"," \
                   "\"display_name\":\"Detail\",\"dependents\":[]}"

static void test_recommender_and_visibility(void)
{
    CU_ASSERT_STRING_EQUAL(mode_json("basic"),
        "{\"name\":\"R\",\"error_count\":1,\"groups\":[\"Main\"],\"configs\":[" GHOST ",{\"definition\":" MODE_DEF ","
        "\"value\":{\"name\":\"mode\",\"value\":\"basic\",\"recommended_values\":[],\"errors\":[],\"visible\":true}},"
        "{\"definition\":" DETAIL_DEF ",\"value\":{\"name\":\"detail\",\"value\":null,\"recommended_values\":[],\"errors\":[],"
        "\"visible\":false}}]}");
    CU_ASSERT_STRING_EQUAL(mode_json("advanced"),
        "{\"name\":\"R\",\"error_count\":1,\"groups\":[\"Main\"],\"configs\":[" GHOST ",{\"definition\":" MODE_DEF ","
        "\"value\":{\"name\":\"mode\",\"value\":\"advanced\",\"recommended_values\":[],\"errors\":[],\"visible\":true}},"
        "{\"definition\":" DETAIL_DEF ",\"value\":{\"name\":\"detail\",\"value\":null,\"recommended_values\":[\"x\",\"y\"],"
        "\"errors\":[],\"visible\":true}}]}");
}

static void test_undefined_dependent_refused_by_strict_parse(void)
{
    kc_config_def *def = DEF(mode_keys);
    kc_props *p = kc_props_new();
    kc_error err;
    CU_ASSERT(kc_config_parse(def, p, &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Some configurations in are referred in the dependents, but not defined: ghost");
    kc_props_free(p);
    kc_config_def_free(def);
}

static int failing_values(const char *name, const kc_config_parsed *parsed, void *opaque, kc_config_strs *out, kc_error *err)
{
    (void)parsed;
    (void)opaque;
    (void)out;
    return kc_error_set(err, KC_ERR_INVALID, "cannot list values for %s", name);
}

static void test_recommender_error_becomes_key_error(void)
{
    static const kc_config_recommender rec = { failing_values, mode_visible, NULL };
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("r", KC_CONFIG_STRING, .importance = KC_CONFIG_LOW, .default_value = "", .recommender = &rec),
    };
    kc_config_def *def = DEF(keys);
    kc_props *p = kc_props_new();
    kc_error err;
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    kc_config_result *r = kc_config_validation_at(v, 0);
    CU_ASSERT_EQUAL_FATAL(r->errors.count, 1);
    CU_ASSERT_STRING_EQUAL(r->errors.items[0], "cannot list values for r");
    CU_ASSERT_TRUE(r->visible); /* Java skips visible() when validValues() throws */
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

static const kc_config_key infos_keys[] = {
    KC_CONFIG_KEY("a.int", KC_CONFIG_INT, .default_value = "5", .validator = KC_CONFIG_AT_LEAST(1), .importance = KC_CONFIG_HIGH,
                  .documentation = "An int.", .group = "G1", .order_in_group = 1, .width = KC_CONFIG_WIDTH_SHORT,
                  .display_name = "A int"),
    KC_CONFIG_KEY("b.req", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH, .documentation = "Required.", .group = "G1",
                  .order_in_group = 2, .width = KC_CONFIG_WIDTH_MEDIUM, .display_name = "B req"),
    KC_CONFIG_KEY("c.pwd", KC_CONFIG_PASSWORD, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Secret.", .group = "G2", .order_in_group = 1, .width = KC_CONFIG_WIDTH_LONG,
                  .display_name = "C pwd"),
    KC_CONFIG_KEY("d.list", KC_CONFIG_LIST, .default_value = "x,y", .importance = KC_CONFIG_LOW,
                  .documentation = "A list/with slash \xc3\xa9 \"q\" <tag>"),
    KC_CONFIG_KEY("e.dbl", KC_CONFIG_DOUBLE, .default_value = "0.5", .importance = KC_CONFIG_LOW),
};

/* Java: ConfigDef.validate + AbstractHerder.generateResult + Jackson, same def and input. */
static const char infos_expected[] =
    "{\"name\":\"MyConn\",\"error_count\":4,\"groups\":[\"G1\",\"G2\"],\"configs\":["
    "{\"definition\":null,\"value\":{\"name\":\"extra\",\"value\":\"v\",\"recommended_values\":[],\"errors\":[\"bad extra\"],\"visible\":true}},"
    "{\"definition\":{\"name\":\"a.int\",\"type\":\"INT\",\"required\":false,\"default_value\":\"5\",\"importance\":\"HIGH\","
    "\"documentation\":\"An int.\",\"group\":\"G1\",\"order_in_group\":1,\"width\":\"SHORT\",\"display_name\":\"A int\",\"dependents\":[]},"
    "\"value\":{\"name\":\"a.int\",\"value\":null,\"recommended_values\":[],\"errors\":[\"Invalid value abc for configuration a.int: "
    "Not a number of type INT\",\"Invalid value null for configuration a.int: Value must be non-null\"],\"visible\":true}},"
    "{\"definition\":{\"name\":\"b.req\",\"type\":\"STRING\",\"required\":true,\"default_value\":null,\"importance\":\"HIGH\","
    "\"documentation\":\"Required.\",\"group\":\"G1\",\"order_in_group\":2,\"width\":\"MEDIUM\",\"display_name\":\"B req\",\"dependents\":[]},"
    "\"value\":{\"name\":\"b.req\",\"value\":null,\"recommended_values\":[],\"errors\":[\"Missing required configuration \\\"b.req\\\" "
    "which has no default value.\"],\"visible\":true}},"
    "{\"definition\":{\"name\":\"c.pwd\",\"type\":\"PASSWORD\",\"required\":false,\"default_value\":null,\"importance\":\"MEDIUM\","
    "\"documentation\":\"Secret.\",\"group\":\"G2\",\"order_in_group\":1,\"width\":\"LONG\",\"display_name\":\"C pwd\",\"dependents\":[]},"
    "\"value\":{\"name\":\"c.pwd\",\"value\":\"[hidden]\",\"recommended_values\":[],\"errors\":[],\"visible\":true}},"
    "{\"definition\":{\"name\":\"d.list\",\"type\":\"LIST\",\"required\":false,\"default_value\":\"x,y\",\"importance\":\"LOW\","
    "\"documentation\":\"A list/with slash \xc3\xa9 \\\"q\\\" <tag>\",\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\","
    "\"display_name\":\"d.list\",\"dependents\":[]},"
    "\"value\":{\"name\":\"d.list\",\"value\":\"x,y\",\"recommended_values\":[],\"errors\":[],\"visible\":true}},"
    "{\"definition\":{\"name\":\"e.dbl\",\"type\":\"DOUBLE\",\"required\":false,\"default_value\":\"0.5\",\"importance\":\"LOW\","
    "\"documentation\":null,\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\",\"display_name\":\"e.dbl\",\"dependents\":[]},"
    "\"value\":{\"name\":\"e.dbl\",\"value\":\"0.5\",\"recommended_values\":[],\"errors\":[],\"visible\":true}}]}";

static kc_config_validation *infos_validation(kc_config_def *def, kc_props **p)
{
    *p = props_kv("a.int", "abc", "c.pwd", " hunter2 ");
    kc_props_set(*p, "zzz", "1"); /* undefined keys are not reported */
    kc_error err;
    kc_config_validation *v = kc_config_validate(def, *p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    kc_config_result *extra = kc_config_validation_add_extra(v, "extra", "v");
    CU_ASSERT_FATAL(extra != NULL);
    CU_ASSERT(kc_config_result_add_error(extra, "bad %s", "extra") == 0);
    return v;
}

static void test_config_infos_exact_bytes(void)
{
    kc_config_def *def = DEF(infos_keys);
    kc_props *p;
    kc_config_validation *v = infos_validation(def, &p);
    assert_json(kc_config_infos_json_new("MyConn", v), infos_expected);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_error_count_counts_messages(void)
{
    kc_config_def *def = DEF(infos_keys);
    kc_props *p;
    kc_config_validation *v = infos_validation(def, &p);
    CU_ASSERT_EQUAL(kc_config_validation_error_count(v), 4); /* 2 on a.int, 1 on b.req, 1 extra */
    CU_ASSERT_EQUAL(kc_config_validation_extra_count(v), 1);
    CU_ASSERT_PTR_NULL(kc_config_validation_get(v, "zzz", false));
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_merge_config_infos(void)
{
    kc_config_def *def = DEF(infos_keys);
    kc_props *p;
    kc_config_validation *v = infos_validation(def, &p);
    json_t *first = kc_config_infos_json_new("MyConn", v);
    json_t *second = json_pack("{s:s,s:i,s:[s,s],s:[{s:n,s:n}]}", "name", "", "error_count", 1, "groups", "G2", "Extra",
                               "configs", "definition", "value");
    json_t *parts[] = { first, NULL, second };
    json_t *merged = kc_config_infos_merge_json_new("MyConn", parts, 3);
    CU_ASSERT_FATAL(merged != NULL);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(merged, "error_count")), 5);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(merged, "configs")), 7);
    char *groups = kc_config_json_dumps(json_object_get(merged, "groups"));
    CU_ASSERT_STRING_EQUAL(groups, "[\"G1\",\"G2\",\"Extra\"]");
    free(groups);
    json_decref(merged);
    json_decref(first);
    json_decref(second);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
}

static void test_json_escapes_like_jackson(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("k", KC_CONFIG_STRING, .importance = KC_CONFIG_LOW, .default_value = "",
                      .documentation = "a/b\x01\b\t\n\f\r\x7f\xe2\x80\xa8\\"),
    };
    kc_config_def *def = DEF(keys);
    json_t *j = kc_config_key_info_json_new(def, 0);
    char *doc = kc_config_json_dumps(json_object_get(j, "documentation"));
    /* Jackson 2.21: '/' and U+007F and U+2028 raw, short escapes for \b \t \n \f \r, \u0001 */
    CU_ASSERT_STRING_EQUAL(doc, "\"a/b\\u0001\\b\\t\\n\\f\\r\x7f\xe2\x80\xa8\\\\\"");
    free(doc);
    json_decref(j);
    kc_config_def_free(def);
    /* jansson refuses ill-formed UTF-8: each bad byte becomes U+FFFD */
    const kc_config_key bad[] = {
        KC_CONFIG_KEY("k", KC_CONFIG_STRING, .importance = KC_CONFIG_LOW, .default_value = "", .documentation = "a\xff" "b\xc3"),
    };
    def = DEF(bad);
    j = kc_config_key_info_json_new(def, 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "documentation")), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
    json_decref(j);
    kc_config_def_free(def);
}

static void test_password_and_list_defaults_in_key_info(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("pw", KC_CONFIG_PASSWORD, .importance = KC_CONFIG_HIGH, .default_value = "s3cret", .documentation = "p"),
        KC_CONFIG_KEY("t", KC_CONFIG_LIST, .importance = KC_CONFIG_HIGH, .default_value = "", .documentation = "p"),
    };
    kc_config_def *def = DEF(keys);
    assert_json(kc_config_key_info_json_new(def, 0),
                "{\"name\":\"pw\",\"type\":\"PASSWORD\",\"required\":false,\"default_value\":\"[hidden]\",\"importance\":\"HIGH\","
                "\"documentation\":\"p\",\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\",\"display_name\":\"pw\",\"dependents\":[]}");
    assert_json(kc_config_key_info_json_new(def, 1),
                "{\"name\":\"t\",\"type\":\"LIST\",\"required\":false,\"default_value\":\"\",\"importance\":\"HIGH\","
                "\"documentation\":\"p\",\"group\":null,\"order_in_group\":-1,\"width\":\"NONE\",\"display_name\":\"t\",\"dependents\":[]}");
    kc_config_def_free(def);
}

/* ---- docs ------------------------------------------------------------------------------------ */

static void test_markdown_order_and_cells(void)
{
    kc_config_def *def = DEF(infos_keys);
    char *md = kc_config_def_markdown_new(def);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_STRING_EQUAL(md,
        "| Name | Type | Default | Valid Values | Importance | Description |\n"
        "|---|---|---|---|---|---|\n"
        "| `d.list` | list | x,y |  | low | A list/with slash \xc3\xa9 \"q\" <tag> |\n"
        "| `e.dbl` | double | 0.5 |  | low | null |\n"
        "| `a.int` | int | 5 | [1,...] | high | An int. |\n"
        "| `b.req` | string |  |  | high | Required. |\n"
        "| `c.pwd` | password | null |  | medium | Secret. |\n");
    free(md);
    kc_config_def_free(def);
}

static void test_markdown_defaults_units_secrets_internal(void)
{
    const kc_config_key keys[] = {
        KC_CONFIG_KEY("x.ms", KC_CONFIG_LONG, .importance = KC_CONFIG_LOW, .default_value = "60000", .documentation = "d"),
        KC_CONFIG_KEY("y.bytes", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "1048576", .documentation = "d"),
        KC_CONFIG_KEY("z.ms", KC_CONFIG_LONG, .importance = KC_CONFIG_LOW, .default_value = "1500", .documentation = "d"),
        KC_CONFIG_KEY("h.ms", KC_CONFIG_LONG, .importance = KC_CONFIG_LOW, .default_value = "7200000", .documentation = "d"),
        KC_CONFIG_KEY("k.bytes", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "3072", .documentation = "d"),
        KC_CONFIG_KEY("e.str", KC_CONFIG_STRING, .importance = KC_CONFIG_LOW, .default_value = "", .documentation = "a|b"),
        KC_CONFIG_KEY("p.pwd", KC_CONFIG_PASSWORD, .importance = KC_CONFIG_LOW, .default_value = "secret", .documentation = "d"),
        KC_CONFIG_KEY("dd.ms", KC_CONFIG_DOUBLE, .importance = KC_CONFIG_LOW, .default_value = "1000.7", .documentation = "d"),
        KC_CONFIG_KEY("hidden.key", KC_CONFIG_INT, .importance = KC_CONFIG_LOW, .default_value = "1", .internal = true),
    };
    kc_config_def *def = DEF(keys);
    char *md = kc_config_def_markdown_new(def);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT(strstr(md, "| `x.ms` | long | 60000 (1 minute) |") != NULL);
    CU_ASSERT(strstr(md, "| `y.bytes` | int | 1048576 (1 mebibyte) |") != NULL);
    CU_ASSERT(strstr(md, "| `z.ms` | long | 1500 |") != NULL);
    CU_ASSERT(strstr(md, "| `h.ms` | long | 7200000 (2 hours) |") != NULL);
    CU_ASSERT(strstr(md, "| `k.bytes` | int | 3072 (3 kibibytes) |") != NULL);
    CU_ASSERT(strstr(md, "| `e.str` | string | \"\" |  | low | a\\|b |") != NULL);
    CU_ASSERT(strstr(md, "| `p.pwd` | password | [hidden] |") != NULL);
    CU_ASSERT(strstr(md, "| `dd.ms` | double | 1000.7 (1 second) |") != NULL);
    CU_ASSERT(strstr(md, "secret") == NULL);
    CU_ASSERT(strstr(md, "hidden.key") == NULL);
    /* no group: ordered by name within the same importance */
    CU_ASSERT(strstr(md, "`dd.ms`") < strstr(md, "`e.str`"));
    CU_ASSERT(strstr(md, "`x.ms`") > strstr(md, "`p.pwd`"));
    free(md);
    kc_config_def_free(def);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"INT: trimmed, signed, extremes", test_int_trimmed_and_signed},
        {"INT: out of range and junk name the raw value", test_int_out_of_range_and_junk},
        {"SHORT and LONG ranges", test_short_and_long_ranges},
        {"BOOLEAN: any case, trimmed, Java's error", test_boolean},
        {"DOUBLE: Java grammar and Double.toString", test_double_grammar_and_text},
        {"Java Double.toString edge values", test_java_double_to_string},
        {"LIST: split on \\s*,\\s* keeping empty items", test_list_split},
        {"LIST: empty text is an empty list", test_empty_list},
        {"CLASS: lookup, trimmed name, not-found text", test_class},
        {"STRING and PASSWORD are trimmed", test_string_and_password_trimmed},
        {"Range messages and toString", test_range_messages},
        {"ValidString", test_valid_string},
        {"CaseInsensitiveValidString in HashSet order", test_case_insensitive_valid_string},
        {"ValidList.in", test_valid_list},
        {"ValidList.anyNonDuplicateValues", test_list_no_duplicates},
        {"NonEmptyString", test_non_empty_string},
        {"NonEmptyStringWithoutControlChars", test_non_empty_without_control_chars},
        {"NonNull, ListSize, Composite", test_non_null_list_size_composite},
        {"custom check with opaque", test_custom_check_with_opaque},
        {"PASSWORD never echoed (errors, JSON)", test_password_never_echoed},
        {"missing required vs null default", test_missing_required_vs_null_default},
        {"strict parse: first error in definition order", test_strict_parse_first_error_in_definition_order},
        {"typed getters", test_typed_getters},
        {"strict parse dedupes ValidList, validate reports", test_parse_dedupes_valid_list_validate_reports},
        {"build refuses twice-defined, bad defaults, wrong validators", test_build_refusals},
        {"merge: override keeps the earlier position", test_merge_override_keeps_position},
        {"merge: keep-first for plugin config", test_merge_keep_first_for_plugin_config},
        {"groups in order of first definition", test_groups_in_order_of_first_definition},
        {"validate: failed parse, then validator on null", test_validate_failed_parse_then_validator},
        {"validate: a null value is not missing", test_validate_null_value_is_not_missing},
        {"recommenders, visibility, dependents", test_recommender_and_visibility},
        {"strict parse refuses undefined dependents", test_undefined_dependent_refused_by_strict_parse},
        {"recommender error becomes a key error", test_recommender_error_becomes_key_error},
        {"ConfigInfos exact bytes", test_config_infos_exact_bytes},
        {"error_count counts messages", test_error_count_counts_messages},
        {"merge of ConfigInfos", test_merge_config_infos},
        {"JSON escapes like Jackson", test_json_escapes_like_jackson},
        {"ConfigKeyInfo: password and empty-list defaults", test_password_and_list_defaults_in_key_info},
        {"Markdown: Java's order and cells", test_markdown_order_and_cells},
        {"Markdown: units, \"\", secrets, internal keys", test_markdown_defaults_units_secrets_internal},
        {NULL, NULL},
    };
    return kc_test_run("config_def", cases);
}
