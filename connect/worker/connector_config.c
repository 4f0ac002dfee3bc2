/*
 * The base connector configuration tables (ConnectorConfig, SinkConnectorConfig,
 * SourceConnectorConfig of Apache Kafka 4.3.1), their validators, and the sink's multi-key rules.
 */
#include "connect/worker/connector_config.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Java regular expressions ------------------------------------------------------------------ */

static void put(char **o, const char *s)
{
    size_t n = strlen(s);
    memcpy(*o, s, n);
    *o += n;
}

/* A Java regex as a POSIX extended one anchored at both ends (Matcher.matches): \d \w \s and their
 * negations become bracket expressions, (?: becomes (, and inside brackets an escaped character
 * stands for itself. New string, NULL when out of memory. */
static char *posix_full_match(const char *re)
{
    char *out = malloc(strlen(re) * 14 + 8);
    if (!out)
        return NULL;
    char *o = out;
    put(&o, "^(");
    bool in_bracket = false;
    for (const char *p = re; *p; p++) {
        if (*p == '\\' && p[1]) {
            char c = *++p;
            const char *cls = NULL;
            switch (c) {
            case 'd': cls = in_bracket ? "0-9" : "[0-9]"; break;
            case 'D': cls = in_bracket ? NULL : "[^0-9]"; break;
            case 'w': cls = in_bracket ? "A-Za-z0-9_" : "[A-Za-z0-9_]"; break;
            case 'W': cls = in_bracket ? NULL : "[^A-Za-z0-9_]"; break;
            case 's': cls = in_bracket ? "[:space:]" : "[[:space:]]"; break;
            case 'S': cls = in_bracket ? NULL : "[^[:space:]]"; break;
            default: break;
            }
            if (cls) {
                put(&o, cls);
            } else if (in_bracket) {
                *o++ = c;
            } else {
                *o++ = '\\';
                *o++ = c;
            }
            continue;
        }
        if (!in_bracket && p[0] == '(' && p[1] == '?' && p[2] == ':') {
            *o++ = '(';
            p += 2;
            continue;
        }
        if (!in_bracket && *p == '[') {
            in_bracket = true;
            *o++ = *p;
            if (p[1] == '^')
                *o++ = *++p;
            if (p[1] == ']')
                *o++ = *++p;
            continue;
        }
        if (in_bracket && *p == ']')
            in_bracket = false;
        *o++ = *p;
    }
    put(&o, ")$");
    *o = '\0';
    return out;
}

static int compile_java_regex(const char *re, regex_t *compiled, kc_error *err)
{
    char *posix = posix_full_match(re);
    if (!posix)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = regcomp(compiled, posix, REG_EXTENDED | REG_NOSUB);
    free(posix);
    if (rc != 0) {
        char reason[256];
        regerror(rc, compiled, reason, sizeof reason);
        return kc_error_set(err, KC_ERR_INVALID, "Invalid regex: %s", reason);
    }
    return 0;
}

int kc_connector_config_regex_matches(const char *regex, const char *topic, kc_error *err)
{
    regex_t compiled;
    if (compile_java_regex(regex, &compiled, err) < 0)
        return -1;
    int match = regexec(&compiled, topic, 0, NULL, 0) == 0;
    regfree(&compiled);
    return match;
}

/* ---- Maven version ranges (ConnectorConfig.PluginVersionValidator) ----------------------------- */

#define MAX_VERSION_ITEMS 32

typedef struct version_item {
    bool number;
    long long n;
    char s[24];  /* a qualifier, lower-cased (truncated) */
} version_item;

/* Splits a version into Maven's items: at '.', '-', and where digits meet letters. */
static size_t version_items(const char *v, size_t len, version_item *items)
{
    size_t count = 0;
    size_t i = 0;
    while (i < len && count < MAX_VERSION_ITEMS) {
        if (v[i] == '.' || v[i] == '-') {
            i++;
            continue;
        }
        version_item *it = &items[count++];
        memset(it, 0, sizeof *it);
        it->number = isdigit((unsigned char)v[i]) != 0;
        size_t o = 0;
        while (i < len && v[i] != '.' && v[i] != '-' && (isdigit((unsigned char)v[i]) != 0) == it->number) {
            if (it->number)
                it->n = it->n < 100000000000000000LL ? it->n * 10 + (v[i] - '0') : it->n;
            else if (o + 1 < sizeof it->s)
                it->s[o++] = (char)tolower((unsigned char)v[i]);
            i++;
        }
    }
    return count;
}

/* Maven's qualifier order: alpha < beta < milestone < rc < snapshot < (release) < sp < others. */
static int qualifier_rank(const char *q)
{
    static const char *const known[][3] = {
        { "alpha", "a", NULL }, { "beta", "b", NULL }, { "milestone", "m", NULL }, { "rc", "cr", NULL },
        { "snapshot", NULL, NULL }, { "", "ga", "final" }, { "sp", NULL, NULL },
    };
    for (int r = 0; r < (int)(sizeof known / sizeof known[0]); r++)
        for (int k = 0; k < 3 && known[r][k]; k++)
            if (strcmp(q, known[r][k]) == 0)
                return r;
    return 7;
}

static int item_cmp(const version_item *a, const version_item *b)
{
    static const version_item none = { .number = false, .s = "" };
    if (!a && !b)
        return 0;
    if (!a)
        return b->number ? (b->n == 0 ? 0 : -1) : item_cmp(&none, b);
    if (!b)
        return -item_cmp(b, a);
    if (a->number != b->number)
        return a->number ? 1 : -1;
    if (a->number)
        return a->n < b->n ? -1 : a->n > b->n;
    int ra = qualifier_rank(a->s), rb = qualifier_rank(b->s);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return ra == 7 ? strcmp(a->s, b->s) : 0;
}

static int version_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    version_item ia[MAX_VERSION_ITEMS], ib[MAX_VERSION_ITEMS];
    size_t na = version_items(a, alen, ia), nb = version_items(b, blen, ib);
    for (size_t i = 0; i < na || i < nb; i++) {
        int c = item_cmp(i < na ? &ia[i] : NULL, i < nb ? &ib[i] : NULL);
        if (c)
            return c;
    }
    return 0;
}

/* Trims [*s, *s + *n) of characters <= ' ' (String.trim). */
static void trim(const char **s, size_t *n)
{
    while (*n && (unsigned char)**s <= ' ') {
        (*s)++;
        (*n)--;
    }
    while (*n && (unsigned char)(*s)[*n - 1] <= ' ')
        (*n)--;
}

typedef struct bound {
    const char *v;  /* NULL: unbounded */
    size_t n;
} bound;

/* Restriction.parseRestriction of spec[0, len): "[1.0,2.0)", "[1.0]". */
static int parse_restriction(const char *spec, size_t len, bound *lower, bound *upper, kc_error *err)
{
    bool lower_inclusive = spec[0] == '[', upper_inclusive = spec[len - 1] == ']';
    const char *p = spec + 1;
    size_t n = len >= 2 ? len - 2 : 0;
    trim(&p, &n);
    const char *comma = memchr(p, ',', n);
    if (!comma) {
        if (!lower_inclusive || !upper_inclusive)
            return kc_error_set(err, KC_ERR_INVALID, "Single version must be surrounded by []: %.*s", (int)len, spec);
        *lower = *upper = (bound){ p, n };
        return 0;
    }
    const char *lo = p, *hi = comma + 1;
    size_t lon = (size_t)(comma - p), hin = n - lon - 1;
    trim(&lo, &lon);
    trim(&hi, &hin);
    *lower = (bound){ lon ? lo : NULL, lon };
    *upper = (bound){ hin ? hi : NULL, hin };
    if (lower->v && upper->v) {
        int c = version_cmp(hi, hin, lo, lon);
        if (c < 0 || (c == 0 && (!lower_inclusive || !upper_inclusive)))
            return kc_error_set(err, KC_ERR_INVALID, "Range defies version ordering: %.*s", (int)len, spec);
    }
    return 0;
}

/* VersionRange.createFromVersionSpec: only the syntax and order checks. */
static int check_version_spec(const char *spec, kc_error *err)
{
    const char *p = spec;
    size_t n = strlen(spec);
    trim(&p, &n);
    bool any = false, have_upper = false;
    bound prev_upper = { NULL, 0 };
    while (n && (*p == '[' || *p == '(')) {
        const char *close_paren = memchr(p, ')', n), *close_bracket = memchr(p, ']', n);
        const char *end = close_bracket;
        if (!close_bracket || (close_paren && close_paren < close_bracket))
            end = close_paren ? close_paren : close_bracket;
        if (!end)
            return kc_error_set(err, KC_ERR_INVALID, "Unbounded range: %s", spec);
        bound lower = { NULL, 0 }, upper = { NULL, 0 };
        if (parse_restriction(p, (size_t)(end - p) + 1, &lower, &upper, err) < 0)
            return -1;
        if (have_upper && (!lower.v || version_cmp(lower.v, lower.n, prev_upper.v, prev_upper.n) < 0))
            return kc_error_set(err, KC_ERR_INVALID, "Ranges overlap: %s", spec);
        any = true;
        have_upper = upper.v != NULL;
        prev_upper = upper;
        n -= (size_t)(end - p) + 1;
        p = end + 1;
        trim(&p, &n);
        if (n && *p == ',') {
            p++;
            n--;
            trim(&p, &n);
        }
    }
    if (n && any)
        return kc_error_set(err, KC_ERR_INVALID, "Only fully-qualified sets allowed in multiple set scenario: %s",
                            spec);
    return 0;
}

/* ---- validators -------------------------------------------------------------------------------- */

static int check_plugin_version(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    (void)opaque;
    return value->is_null ? 0 : check_version_spec(value->string, err);
}

/* Java's ConcreteSubClassValidator + InstantiableClassValidator: the class itself is resolved by
 * the def's class_exists; the description is Java's. */
static int check_class(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    (void)value;
    (void)opaque;
    (void)err;
    return 0;
}

/* ConnectorConfig.aliasValidator / the topic creation groups' validator. */
static int check_unique_aliases(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    for (size_t i = 0; !value->is_null && i < value->list.count; i++)
        for (size_t j = i + 1; j < value->list.count; j++)
            if (strcmp(value->list.items[i], value->list.items[j]) == 0)
                return kc_config_error_invalid(err, name, value, "Duplicate alias provided.");
    return 0;
}

/* transaction.boundary.interval.ms: null, or Range.atLeast(0). */
static int check_at_least_zero_or_null(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (!value->is_null && value->integer < 0)
        return kc_config_error_invalid(err, name, value, "Value must be at least 0");
    return 0;
}

/* org.apache.kafka.connect.transforms.util.RegexValidator */
static int check_regex(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null)
        return 0;
    regex_t compiled;
    kc_error why;
    if (compile_java_regex(value->string, &compiled, &why) < 0) {
        if (why.code != KC_ERR_INVALID) {
            *err = why;
            return -1;
        }
        return kc_config_error_invalid(err, name, value, "%s", why.msg);
    }
    regfree(&compiled);
    return 0;
}

#define V_PLUGIN_VERSION KC_CONFIG_CHECK(check_plugin_version, NULL, NULL)
#define V_CONVERTER                                                                          \
    KC_CONFIG_CHECK(check_class, NULL,                                                       \
                    "A concrete subclass of org.apache.kafka.connect.storage.Converter, A class " \
                    "with a public, no-argument constructor")
#define V_HEADER_CONVERTER                                                                         \
    KC_CONFIG_CHECK(check_class, NULL,                                                             \
                    "A concrete subclass of org.apache.kafka.connect.storage.HeaderConverter, A class " \
                    "with a public, no-argument constructor")
#define V_ALIASES(what) \
    KC_CONFIG_ALL_OF(KC_CONFIG_NON_NULL, KC_CONFIG_CHECK(check_unique_aliases, NULL, what))
#define V_TRANSFORM_ALIASES V_ALIASES("unique transformation aliases")
#define V_PREDICATE_ALIASES V_ALIASES("unique predicate aliases")
#define V_TOPIC_CREATION_GROUPS V_ALIASES("unique topic creation groups")
#define V_TX_INTERVAL KC_CONFIG_CHECK(check_at_least_zero_or_null, NULL, "[0,...]")
#define V_TOPICS_REGEX KC_CONFIG_CHECK(check_regex, NULL, "valid regex")

/* ---- ConnectorConfig ---------------------------------------------------------------------------- */

static const kc_config_key common_keys[] = {
    KC_CONFIG_KEY("name", KC_CONFIG_STRING,
                  .validator = KC_CONFIG_NON_EMPTY_NO_CONTROL, .importance = KC_CONFIG_HIGH,
                  .group = "Common", .order_in_group = 1, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Connector name",
                  .documentation = "Globally unique name to use for this connector."),
    KC_CONFIG_KEY("connector.class", KC_CONFIG_STRING,
                  .importance = KC_CONFIG_HIGH, .group = "Common", .order_in_group = 2,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Connector class",
                  .documentation =
                      "Name or alias of the class for this connector. Must be a subclass of "
                      "org.apache.kafka.connect.connector.Connector. If the connector is "
                      "org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this "
                      "full name,  or use \"FileStreamSink\" or \"FileStreamSinkConnector\" to make the "
                      "configuration a bit shorter"),
    KC_CONFIG_KEY("connector.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_PLUGIN_VERSION,
                  .importance = KC_CONFIG_MEDIUM, .group = "Common", .order_in_group = 3,
                  .width = KC_CONFIG_WIDTH_MEDIUM, .display_name = "Connector version",
                  .documentation = "Version of the connector."),
    KC_CONFIG_KEY("tasks.max", KC_CONFIG_INT,
                  .default_value = "1", .validator = KC_CONFIG_AT_LEAST(1), .importance = KC_CONFIG_HIGH,
                  .group = "Common", .order_in_group = 4, .width = KC_CONFIG_WIDTH_SHORT,
                  .display_name = "Tasks max",
                  .documentation = "Maximum number of tasks to use for this connector."),
    KC_CONFIG_KEY("tasks.max.enforce", KC_CONFIG_BOOLEAN,
                  .default_value = "true", .importance = KC_CONFIG_LOW, .group = "Common",
                  .order_in_group = 5, .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Enforce tasks max",
                  .documentation =
                      "(Deprecated) Whether to enforce that the tasks.max property is respected by the "
                      "connector. By default, connectors that generate too many tasks will fail, and "
                      "existing sets of tasks that exceed the tasks.max property will also be failed. If "
                      "this property is set to false, then connectors will be allowed to generate more "
                      "than the maximum number of tasks, and existing sets of tasks that exceed the "
                      "tasks.max property will be allowed to run. This property is deprecated and will be "
                      "removed in an upcoming major release."),
    KC_CONFIG_KEY("key.converter", KC_CONFIG_CLASS,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_CONVERTER,
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 6,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Key converter class",
                  .documentation =
                      "Converter class used to convert between Kafka Connect format and the serialized "
                      "form that is written to Kafka. This controls the format of the keys in messages "
                      "written to or read from Kafka, and since this is independent of connectors it "
                      "allows any connector to work with any serialization format. Examples of common "
                      "formats include JSON and Avro."),
    KC_CONFIG_KEY("key.converter.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_PLUGIN_VERSION,
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 7,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Key converter version",
                  .documentation = "Version of the key converter."),
    KC_CONFIG_KEY("value.converter", KC_CONFIG_CLASS,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_CONVERTER,
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 8,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Value converter class",
                  .documentation =
                      "Converter class used to convert between Kafka Connect format and the serialized "
                      "form that is written to Kafka. This controls the format of the values in messages "
                      "written to or read from Kafka, and since this is independent of connectors it "
                      "allows any connector to work with any serialization format. Examples of common "
                      "formats include JSON and Avro."),
    KC_CONFIG_KEY("value.converter.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_PLUGIN_VERSION,
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 9,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Value converter version",
                  .documentation = "Version of the value converter."),
    KC_CONFIG_KEY("header.converter", KC_CONFIG_CLASS,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_HEADER_CONVERTER,
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 10,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Header converter class",
                  .documentation =
                      "HeaderConverter class used to convert between Kafka Connect format and the "
                      "serialized form that is written to Kafka. This controls the format of the header "
                      "values in messages written to or read from Kafka, and since this is independent of "
                      "connectors it allows any connector to work with any serialization format. Examples "
                      "of common formats include JSON and Avro. By default, the SimpleHeaderConverter is "
                      "used to serialize header values to strings and deserialize them by inferring the "
                      "schemas."),
    KC_CONFIG_KEY("header.converter.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL,
                  .validator = V_PLUGIN_VERSION,
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 11,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Header converter version",
                  .documentation = "Version of the header converter."),
    KC_CONFIG_KEY("transforms", KC_CONFIG_LIST,
                  .default_value = "",
                  .validator = V_TRANSFORM_ALIASES,
                  .importance = KC_CONFIG_LOW, .group = "Transforms", .order_in_group = 12,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Transforms",
                  .documentation = "Aliases for the transformations to be applied to records."),
    KC_CONFIG_KEY("predicates", KC_CONFIG_LIST,
                  .default_value = "",
                  .validator = V_PREDICATE_ALIASES,
                  .importance = KC_CONFIG_LOW, .group = "Predicates", .order_in_group = 13,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Predicates",
                  .documentation = "Aliases for the predicates used by transformations."),
    KC_CONFIG_KEY("config.action.reload", KC_CONFIG_STRING,
                  .default_value = "restart", .validator = KC_CONFIG_IN("none", "restart"),
                  .importance = KC_CONFIG_LOW, .group = "Common", .order_in_group = 14,
                  .width = KC_CONFIG_WIDTH_MEDIUM, .display_name = "Reload Action",
                  .documentation =
                      "The action that Connect should take on the connector when changes in external "
                      "configuration providers result in a change in the connector's configuration "
                      "properties. A value of 'none' indicates that Connect will do nothing. A value of "
                      "'restart' indicates that Connect should restart/reload the connector with the "
                      "updated configuration properties.The restart may actually be scheduled in the "
                      "future if the external configuration provider indicates that a configuration value "
                      "will expire in the future."),
    KC_CONFIG_KEY("errors.retry.timeout", KC_CONFIG_LONG,
                  .default_value = "0", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 1, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Retry Timeout for Errors",
                  .documentation =
                      "The maximum duration in milliseconds that a failed operation will be reattempted. "
                      "The default is 0, which means no retries will be attempted. Use -1 for infinite "
                      "retries."),
    KC_CONFIG_KEY("errors.retry.delay.max.ms", KC_CONFIG_LONG,
                  .default_value = "60000", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 2, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Maximum Delay Between Retries for Errors",
                  .documentation =
                      "The maximum duration in milliseconds between consecutive retry attempts. Jitter "
                      "will be added to the delay once this limit is reached to prevent thundering herd "
                      "issues."),
    KC_CONFIG_KEY("errors.tolerance", KC_CONFIG_STRING,
                  .default_value = "none", .validator = KC_CONFIG_IN("none", "all"),
                  .importance = KC_CONFIG_MEDIUM, .group = "Error Handling", .order_in_group = 3,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Error Tolerance",
                  .documentation =
                      "Behavior for tolerating errors during connector operation. 'none' is the default "
                      "value and signals that any error will result in an immediate connector task "
                      "failure; 'all' changes the behavior to skip over problematic records."),
    KC_CONFIG_KEY("errors.log.enable", KC_CONFIG_BOOLEAN,
                  .default_value = "false", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 4, .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Log Errors",
                  .documentation =
                      "If true, write each error and the details of the failed operation and problematic "
                      "record to the Connect application log. This is 'false' by default, so that only "
                      "errors that are not tolerated are reported."),
    KC_CONFIG_KEY("errors.log.include.messages", KC_CONFIG_BOOLEAN,
                  .default_value = "false", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 5, .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Log Error Details",
                  .documentation =
                      "Whether to include in the log the Connect record that resulted in a failure. For "
                      "sink records, the topic, partition, offset, and timestamp will be logged. For "
                      "source records, the key and value (and their schemas), all headers, and the "
                      "timestamp, Kafka topic, Kafka partition, source partition, and source offset will "
                      "be logged. This is 'false' by default, which will prevent record keys, values, and "
                      "headers from being written to log files."),
};

/* ---- SinkConnectorConfig ------------------------------------------------------------------------ */

static const kc_config_key sink_keys[] = {
    KC_CONFIG_KEY("topics", KC_CONFIG_LIST,
                  .default_value = "", .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false),
                  .importance = KC_CONFIG_HIGH, .group = "Common", .order_in_group = 4,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Topics",
                  .documentation = "List of topics to consume, separated by commas"),
    KC_CONFIG_KEY("topics.regex", KC_CONFIG_STRING,
                  .default_value = "", .validator = V_TOPICS_REGEX,
                  .importance = KC_CONFIG_HIGH, .group = "Common", .order_in_group = 4,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Topics regex",
                  .documentation =
                      "Regular expression giving topics to consume. Under the hood, the regex is compiled "
                      "to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex "
                      "should be specified."),
    KC_CONFIG_KEY("errors.deadletterqueue.topic.name", KC_CONFIG_STRING,
                  .default_value = "", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 6, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Dead Letter Queue Topic Name",
                  .documentation =
                      "The name of the topic to be used as the dead letter queue (DLQ) for messages that "
                      "result in an error when processed by this sink connector, or its transformations or "
                      "converters. The topic name is blank by default, which means that no messages are to "
                      "be recorded in the DLQ."),
    KC_CONFIG_KEY("errors.deadletterqueue.topic.replication.factor", KC_CONFIG_SHORT,
                  .default_value = "3", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 7, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Dead Letter Queue Topic Replication Factor",
                  .documentation =
                      "Replication factor used to create the dead letter queue topic when it doesn't "
                      "already exist."),
    KC_CONFIG_KEY("errors.deadletterqueue.context.headers.enable", KC_CONFIG_BOOLEAN,
                  .default_value = "false", .importance = KC_CONFIG_MEDIUM, .group = "Error Handling",
                  .order_in_group = 8, .width = KC_CONFIG_WIDTH_MEDIUM,
                  .display_name = "Enable Error Context Headers",
                  .documentation =
                      "If true, add headers containing error context to the messages written to the dead "
                      "letter queue. To avoid clashing with headers from the original record, all error "
                      "context header keys, all error context header keys will start with "
                      "<code>__connect.errors.</code>"),
};

/* ---- SourceConnectorConfig ---------------------------------------------------------------------- */

static const kc_config_key source_keys[] = {
    KC_CONFIG_KEY("topic.creation.groups", KC_CONFIG_LIST,
                  .default_value = "",
                  .validator = V_TOPIC_CREATION_GROUPS,
                  .importance = KC_CONFIG_LOW, .group = "Topic Creation", .order_in_group = 1,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Topic Creation Groups",
                  .documentation = "Groups of configurations for topics created by source connectors"),
    KC_CONFIG_KEY("exactly.once.support", KC_CONFIG_STRING,
                  .default_value = "requested", .validator = KC_CONFIG_IN_ANY_CASE("requested", "required"),
                  .importance = KC_CONFIG_MEDIUM, .group = "Exactly Once Support", .order_in_group = 2,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Exactly once support",
                  .documentation =
                      "Permitted values are requested, required. If set to \"required\", forces a "
                      "preflight check for the connector to ensure that it can provide exactly-once "
                      "semantics with the given configuration. Some connectors may be capable of providing "
                      "exactly-once semantics but not signal to Connect that they support this; in that "
                      "case, documentation for the connector should be consulted carefully before creating "
                      "it, and the value for this property should be set to \"requested\". Additionally, "
                      "if the value is set to \"required\" but the worker that performs preflight "
                      "validation does not have exactly-once support enabled for source connectors, "
                      "requests to create or validate the connector will fail."),
    KC_CONFIG_KEY("transaction.boundary", KC_CONFIG_STRING,
                  .default_value = "poll",
                  .validator = KC_CONFIG_IN_ANY_CASE("poll", "interval", "connector"),
                  .importance = KC_CONFIG_MEDIUM, .group = "Exactly Once Support", .order_in_group = 3,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Transaction Boundary",
                  .documentation =
                      "Permitted values are: poll, interval, connector. If set to 'poll', a new producer "
                      "transaction will be started and committed for every batch of records that each task "
                      "from this connector provides to Connect. If set to 'connector', relies on "
                      "connector-defined transaction boundaries; note that not all connectors are capable "
                      "of defining their own transaction boundaries, and in that case, attempts to "
                      "instantiate a connector with this value will fail. Finally, if set to 'interval', "
                      "commits transactions only after a user-defined time interval has passed."),
    KC_CONFIG_KEY("transaction.boundary.interval.ms", KC_CONFIG_LONG,
                  .default_value = KC_CONFIG_NULL, .validator = V_TX_INTERVAL,
                  .importance = KC_CONFIG_LOW, .group = "Exactly Once Support", .order_in_group = 4,
                  .width = KC_CONFIG_WIDTH_SHORT, .display_name = "Transaction boundary interval",
                  .documentation =
                      "If 'transaction.boundary' is set to 'interval', determines the interval for "
                      "producer transaction commits by connector tasks. If unset, defaults to the value of "
                      "the worker-level 'offset.flush.interval.ms' property. It has no effect if a "
                      "different transaction.boundary is specified."),
    KC_CONFIG_KEY("offsets.storage.topic", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .validator = KC_CONFIG_NON_EMPTY_STRING,
                  .importance = KC_CONFIG_LOW, .group = "offsets.topic", .order_in_group = 1,
                  .width = KC_CONFIG_WIDTH_LONG, .display_name = "Offsets topic",
                  .documentation =
                      "The name of a separate offsets topic to use for this connector. If empty or not "
                      "specified, the worker’s global offsets topic name will be used. If specified, the "
                      "offsets topic will be created if it does not already exist on the Kafka cluster "
                      "targeted by this connector (which may be different from the one used for the "
                      "worker's global offsets topic if the bootstrap.servers property of the connector's "
                      "producer has been overridden from the worker's). Only applicable in distributed "
                      "mode; in standalone mode, setting this property will have no effect."),
};

kc_config_table kc_connector_config_common_table(void)
{
    return KC_CONFIG_TABLE(common_keys);
}

kc_config_table kc_connector_config_sink_table(void)
{
    return KC_CONFIG_TABLE(sink_keys);
}

kc_config_table kc_connector_config_source_table(void)
{
    return KC_CONFIG_TABLE(source_keys);
}

kc_config_def *kc_connector_config_def_new(kc_connector_config_kind kind, const kc_config_def_opts *opts,
                                           kc_error *err)
{
    kc_config_table tables[2] = { kc_connector_config_common_table() };
    size_t n = 1;
    if (kind == KC_CONNECTOR_CONFIG_SINK)
        tables[n++] = kc_connector_config_sink_table();
    else if (kind == KC_CONNECTOR_CONFIG_SOURCE)
        tables[n++] = kc_connector_config_source_table();
    return kc_config_def_new(tables, n, opts, err);
}

/* ---- SinkConnectorConfig.validate --------------------------------------------------------------- */

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s > ' ')
            return false;
    return true;
}

int kc_connector_config_sink_topics(const kc_props *props, kc_config_strs *out)
{
    const char *s = kc_props_get(props, "topics");
    size_t n = s ? strlen(s) : 0;
    trim(&s, &n);
    while (n) {
        const char *comma = memchr(s, ',', n);
        const char *item = s;
        size_t len = comma ? (size_t)(comma - s) : n;
        trim(&item, &len);
        bool seen = len == 0;
        for (size_t i = 0; !seen && i < out->count; i++)
            seen = strlen(out->items[i]) == len && memcmp(out->items[i], item, len) == 0;
        if (!seen) {
            char *copy = strndup(item, len);
            int rc = copy ? kc_config_strs_add(out, copy) : -1;
            free(copy);
            if (rc < 0)
                return -1;
        }
        if (!comma)
            break;
        n -= (size_t)(comma - s) + 1;
        s = comma + 1;
    }
    return 0;
}

/* Where the rules report: into a validation (every error), or the first error as a start-up error. */
typedef struct sink_sink {
    kc_config_validation *v;  /* NULL: first error into err */
    kc_error *err;
    bool failed;
} sink_sink;

/* 0 to go on, 1 to stop (first error reported), -1 out of memory. */
static int report(sink_sink *s, const char *name, const char *raw, const char *msg)
{
    if (!s->v) {
        kc_error_set(s->err, KC_ERR_INVALID, "Invalid value %s for configuration %s: %s", raw ? raw : "null", name,
                     msg);
        s->failed = true;
        return 1;
    }
    kc_config_result *r = kc_config_validation_get(s->v, name, false);
    if (!r)
        r = kc_config_validation_add_extra(s->v, name, raw);
    if (!r || kc_config_result_add_error(r, "%s", msg) < 0)
        return kc_error_set(s->err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static int sink_rules(const kc_props *props, sink_sink *s)
{
    const char *topics = kc_props_get(props, "topics");
    const char *regex = kc_props_get(props, "topics.regex");
    const char *dlq_raw = kc_props_get(props, "errors.deadletterqueue.topic.name");
    bool has_topics = !blank(topics), has_regex = !blank(regex);
    int rc;
    if (has_topics && has_regex) {
        const char *msg = "topics and topics.regex are mutually exclusive options, but both are set.";
        if ((rc = report(s, "topics", topics, msg)) || (rc = report(s, "topics.regex", regex, msg)))
            return rc;
    }
    if (!has_topics && !has_regex) {
        const char *msg = "Must configure one of topics or topics.regex";
        if ((rc = report(s, "topics", topics, msg)) || (rc = report(s, "topics.regex", regex, msg)))
            return rc;
    }
    if (blank(dlq_raw))
        return 0;
    size_t dlq_len = strlen(dlq_raw);
    const char *dlq_start = dlq_raw;
    trim(&dlq_start, &dlq_len);
    char *dlq = strndup(dlq_start, dlq_len);
    if (!dlq)
        return kc_error_set(s->err, KC_ERR_INTERNAL, "out of memory");
    rc = 0;
    if (has_topics) {
        kc_config_strs list = { 0 };
        bool found = false;
        size_t len = 3;
        if (kc_connector_config_sink_topics(props, &list) < 0) {
            rc = kc_error_set(s->err, KC_ERR_INTERNAL, "out of memory");
        } else {
            for (size_t i = 0; i < list.count; i++) {
                found = found || strcmp(list.items[i], dlq) == 0;
                len += strlen(list.items[i]) + 2;
            }
        }
        char *shown = found ? malloc(len) : NULL;
        if (found && !shown)
            rc = kc_error_set(s->err, KC_ERR_INTERNAL, "out of memory");
        if (shown) {
            strcpy(shown, "[");
            for (size_t i = 0; i < list.count; i++) {
                if (i)
                    strcat(shown, ", ");
                strcat(shown, list.items[i]);
            }
            strcat(shown, "]");
            char msg[KC_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg,
                     "The DLQ topic '%s' may not be included in the list of topics ('topics=%s') consumed by the "
                     "connector",
                     dlq, shown);
            rc = report(s, "topics", topics, msg);
            free(shown);
        }
        kc_config_strs_clear(&list);
    }
    if (rc == 0 && has_regex) {
        kc_error ignored;
        if (kc_connector_config_regex_matches(regex, dlq, &ignored) == 1) {
            char msg[KC_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg,
                     "The DLQ topic '%s' may not be matched by the regex for the topics ('topics.regex=%s') consumed "
                     "by the connector",
                     dlq, regex);
            rc = report(s, "topics.regex", regex, msg);
        }
    }
    free(dlq);
    return rc;
}

int kc_connector_config_validate_sink(const kc_props *props, kc_config_validation *v, kc_error *err)
{
    sink_sink s = { .v = v, .err = err };
    return sink_rules(props, &s) < 0 ? -1 : 0;
}

int kc_connector_config_check_sink(const kc_props *props, kc_error *err)
{
    sink_sink s = { .err = err };
    return sink_rules(props, &s) != 0 ? -1 : 0;
}

/* ---- generated reference ----------------------------------------------------------------------- */

static const char CONNECTOR_DOCS_HEAD[] =
    "# Connector configuration (every connector)\n"
    "\n"
    "Generated from the tables of `connect/worker/connector_config.c` by the `kc_docs` build target;\n"
    "do not edit. The keys are those of Apache Kafka 4.3.1's `ConnectorConfig`, `SinkConnectorConfig`\n"
    "and `SourceConnectorConfig`, grouped and ordered as Java's generated documentation. A connector's\n"
    "own keys, `transforms.<alias>.*`, `predicates.<alias>.*`, `topic.creation.<group>.*` and the\n"
    "client overrides (`producer.override.*`, `consumer.override.*`, `admin.override.*`) come on top.\n";

char *kc_connector_config_docs_new(void)
{
    char *doc = strdup(CONNECTOR_DOCS_HEAD);
    if (!doc || kc_config_docs_append(&doc, "Every connector", kc_connector_config_common_table()) < 0 ||
        kc_config_docs_append(&doc, "Sink connectors add", kc_connector_config_sink_table()) < 0 ||
        kc_config_docs_append(&doc, "Source connectors add", kc_connector_config_source_table()) < 0) {
        free(doc);
        return NULL;
    }
    return doc;
}
