/* DefaultTopicFilter, DefaultGroupFilter, DefaultConfigPropertyFilter and Java regex lists; see
 * filters.h. */
#include "connectors/mirror/filters.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/log.h"
#include "connect/config/config_def.h"
#include "connect/worker/transforms/java_regex.h"

#define LOGGER "kconnect.mirror.filters"

static int oom(kc_error *err) { return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); }

/* ---- pattern lists -------------------------------------------------------------------------- */

struct kc_mirror_patterns {
    kc_java_regex *re; /* NULL: the empty list, which matches nothing */
};

static char *join(char *const *items, size_t n, const char *sep)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + strlen(sep);
    char *s = malloc(len), *w = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            memcpy(w, sep, strlen(sep));
            w += strlen(sep);
        }
        memcpy(w, items[i], strlen(items[i]));
        w += strlen(items[i]);
    }
    *w = '\0';
    return s;
}

kc_mirror_patterns *kc_mirror_patterns_new(const char *key, char *const *items, size_t n, kc_error *err)
{
    kc_mirror_patterns *p = calloc(1, sizeof *p);
    if (!p)
        return oom(err), NULL;
    if (n == 0)
        return p;
    char *pattern = join(items, n, "|"), *value = join(items, n, ",");
    if (!pattern || !value) {
        free(pattern);
        free(value);
        free(p);
        return oom(err), NULL;
    }
    kc_error why = {0};
    p->re = kc_java_regex_new(pattern, &why);
    if (!p->re) {
        /* the translator's text names the construct and shows the joined pattern with a caret */
        if (n > 1)
            kc_error_set(err, why.code,
                         "Invalid value %s for configuration %s (a comma separates list elements; the %zu elements "
                         "are joined with '|'): %s",
                         value, key, n, why.msg);
        else
            kc_error_set(err, why.code, "Invalid value %s for configuration %s: %s", value, key, why.msg);
        free(p);
        p = NULL;
    }
    free(pattern);
    free(value);
    return p;
}

int kc_mirror_patterns_matches(const kc_mirror_patterns *p, const char *name, kc_error *err)
{
    return p->re ? kc_java_regex_matches(p->re, name, err) : 0;
}

void kc_mirror_patterns_free(kc_mirror_patterns *p)
{
    if (!p)
        return;
    kc_java_regex_free(p->re);
    free(p);
}

/* ---- configuration -------------------------------------------------------------------------- */

/* Each default filter's own ConfigDef (TopicFilterConfig, GroupFilterConfig,
 * ConfigPropertyFilterConfig); the connectors declare these keys again with their own docs. */
static const kc_config_key topic_keys[] = {
    KC_CONFIG_KEY(KC_MIRROR_TOPICS_CONFIG, KC_CONFIG_LIST, .default_value = KC_MIRROR_TOPICS_DEFAULT,
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false), .importance = KC_CONFIG_HIGH,
                  .documentation = "List of topics and/or regexes to replicate."),
    KC_CONFIG_KEY(KC_MIRROR_TOPICS_EXCLUDE_CONFIG, KC_CONFIG_LIST, .default_value = KC_MIRROR_TOPICS_EXCLUDE_DEFAULT,
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false), .importance = KC_CONFIG_HIGH,
                  .documentation = "List of topics and/or regexes that should not be replicated."),
};

static const kc_config_key group_keys[] = {
    KC_CONFIG_KEY(KC_MIRROR_GROUPS_CONFIG, KC_CONFIG_LIST, .default_value = KC_MIRROR_GROUPS_DEFAULT,
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false), .importance = KC_CONFIG_HIGH,
                  .documentation = "List of consumer group names and/or regexes to replicate."),
    KC_CONFIG_KEY(KC_MIRROR_GROUPS_EXCLUDE_CONFIG, KC_CONFIG_LIST, .default_value = KC_MIRROR_GROUPS_EXCLUDE_DEFAULT,
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false), .importance = KC_CONFIG_HIGH,
                  .documentation = "List of consumer group names and/or regexes that should not be replicated."),
};

static const kc_config_key config_property_keys[] = {
    KC_CONFIG_KEY(KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_CONFIG, KC_CONFIG_LIST,
                  .default_value = KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_DEFAULT,
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false), .importance = KC_CONFIG_HIGH,
                  .documentation = "List of topic configuration properties and/or regexes that should not be replicated."),
    KC_CONFIG_KEY(KC_MIRROR_USE_DEFAULTS_FROM_CONFIG, KC_CONFIG_STRING,
                  .default_value = KC_MIRROR_USE_DEFAULTS_FROM_DEFAULT, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "Which cluster's defaults (source or target) to use when syncing topic "
                                   "configurations that have default values."),
};

/* Keys of MirrorMaker 2 before Kafka 4.0, which 4.x ignores. */
static void warn_legacy(const kc_props *config, const char *const legacy[][2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (kc_props_get(config, legacy[i][0]))
            kc_log(KC_LOG_WARN, LOGGER,
                   "%s is ignored: it was removed in Kafka 4.0 (Java MirrorMaker 2 ignores it too); use %s",
                   legacy[i][0], legacy[i][1]);
}

/* The class key must name the default filter (FQCN or simple name), or be absent. */
static int check_class(const kc_props *config, const char *key, const char *fqcn, kc_error *err)
{
    const char *raw = kc_props_get(config, key);
    if (!raw)
        return 0;
    size_t start = 0, end = strlen(raw);
    while (start < end && (unsigned char)raw[start] <= ' ')
        start++;
    while (end > start && (unsigned char)raw[end - 1] <= ' ')
        end--;
    const char *simple = strrchr(fqcn, '.') + 1;
    size_t n = end - start;
    if ((n == strlen(fqcn) && memcmp(raw + start, fqcn, n) == 0) ||
        (n == strlen(simple) && memcmp(raw + start, simple, n) == 0))
        return 0;
    return kc_error_set(err, KC_ERR_INVALID,
                        "Invalid value %s for configuration %s: Class %.*s could not be found. kconnect provides %s",
                        raw, key, (int)n, raw + start, fqcn);
}

typedef struct parsed_config {
    kc_config_def *def;
    kc_config_parsed *parsed;
} parsed_config;

static void parsed_config_clear(parsed_config *c)
{
    kc_config_parsed_free(c->parsed);
    kc_config_def_free(c->def);
}

static int parse_config(const kc_config_key *keys, size_t n, const kc_props *config, parsed_config *out,
                        kc_error *err)
{
    kc_config_table table = {keys, n};
    out->parsed = NULL;
    out->def = kc_config_def_new(&table, 1, NULL, err);
    if (!out->def)
        return -1;
    out->parsed = kc_config_parse(out->def, config, err);
    if (!out->parsed) {
        parsed_config_clear(out);
        return -1;
    }
    return 0;
}

static kc_mirror_patterns *compile_key(const parsed_config *c, const char *key, kc_error *err)
{
    size_t n = 0;
    char *const *items = kc_config_get_list(c->parsed, key, &n);
    return kc_mirror_patterns_new(key, items, items ? n : 0, err);
}

/* ---- include / exclude filters (DefaultTopicFilter, DefaultGroupFilter) ---------------------- */

typedef struct include_exclude {
    kc_mirror_patterns *include, *exclude;
} include_exclude;

static void include_exclude_free(void *state)
{
    include_exclude *s = state;
    if (!s)
        return;
    kc_mirror_patterns_free(s->include);
    kc_mirror_patterns_free(s->exclude);
    free(s);
}

static int include_exclude_test(void *state, const char *name, kc_error *err)
{
    include_exclude *s = state;
    int in = kc_mirror_patterns_matches(s->include, name, err);
    if (in <= 0)
        return in;
    int out = kc_mirror_patterns_matches(s->exclude, name, err);
    return out < 0 ? -1 : !out;
}

static include_exclude *include_exclude_new(const kc_config_key *keys, size_t nkeys, const kc_props *config,
                                            kc_error *err)
{
    parsed_config c;
    if (parse_config(keys, nkeys, config, &c, err) < 0)
        return NULL;
    include_exclude *s = calloc(1, sizeof *s);
    if (!s) {
        oom(err);
    } else if (!(s->include = compile_key(&c, keys[0].name, err)) ||
               !(s->exclude = compile_key(&c, keys[1].name, err))) {
        include_exclude_free(s);
        s = NULL;
    }
    parsed_config_clear(&c);
    return s;
}

struct kc_mirror_topic_filter {
    const kc_mirror_topic_filter_ops *ops;
    void *state;
};

static const kc_mirror_topic_filter_ops default_topic_filter_ops = {
    .class_name = KC_MIRROR_DEFAULT_TOPIC_FILTER_CLASS,
    .should_replicate_topic = include_exclude_test,
    .free_state = include_exclude_free,
};

kc_mirror_topic_filter *kc_mirror_topic_filter_new(const kc_props *config, kc_error *err)
{
    static const char *const legacy[][2] = {{"topics.blacklist", KC_MIRROR_TOPICS_EXCLUDE_CONFIG},
                                            {"topics.whitelist", KC_MIRROR_TOPICS_CONFIG}};
    if (check_class(config, KC_MIRROR_TOPIC_FILTER_CLASS_CONFIG, KC_MIRROR_DEFAULT_TOPIC_FILTER_CLASS, err) < 0)
        return NULL;
    warn_legacy(config, legacy, 2);
    include_exclude *s = include_exclude_new(topic_keys, 2, config, err);
    return s ? kc_mirror_topic_filter_new_custom(&default_topic_filter_ops, s, err) : NULL;
}

kc_mirror_topic_filter *kc_mirror_topic_filter_new_custom(const kc_mirror_topic_filter_ops *ops, void *state,
                                                          kc_error *err)
{
    kc_mirror_topic_filter *f = NULL;
    if (!ops || !ops->class_name || !ops->should_replicate_topic)
        kc_error_set(err, KC_ERR_INVALID, "a topic filter needs a class name and should_replicate_topic");
    else if (!(f = malloc(sizeof *f)))
        oom(err);
    if (!f) {
        if (ops && ops->free_state)
            ops->free_state(state);
        return NULL;
    }
    f->ops = ops;
    f->state = state;
    return f;
}

int kc_mirror_topic_filter_should_replicate(const kc_mirror_topic_filter *f, const char *topic, kc_error *err)
{
    return f->ops->should_replicate_topic(f->state, topic, err);
}

void kc_mirror_topic_filter_free(kc_mirror_topic_filter *f)
{
    if (!f)
        return;
    if (f->ops->free_state)
        f->ops->free_state(f->state);
    free(f);
}

struct kc_mirror_group_filter {
    const kc_mirror_group_filter_ops *ops;
    void *state;
};

static const kc_mirror_group_filter_ops default_group_filter_ops = {
    .class_name = KC_MIRROR_DEFAULT_GROUP_FILTER_CLASS,
    .should_replicate_group = include_exclude_test,
    .free_state = include_exclude_free,
};

kc_mirror_group_filter *kc_mirror_group_filter_new(const kc_props *config, kc_error *err)
{
    static const char *const legacy[][2] = {{"groups.blacklist", KC_MIRROR_GROUPS_EXCLUDE_CONFIG},
                                            {"groups.whitelist", KC_MIRROR_GROUPS_CONFIG}};
    if (check_class(config, KC_MIRROR_GROUP_FILTER_CLASS_CONFIG, KC_MIRROR_DEFAULT_GROUP_FILTER_CLASS, err) < 0)
        return NULL;
    warn_legacy(config, legacy, 2);
    include_exclude *s = include_exclude_new(group_keys, 2, config, err);
    return s ? kc_mirror_group_filter_new_custom(&default_group_filter_ops, s, err) : NULL;
}

kc_mirror_group_filter *kc_mirror_group_filter_new_custom(const kc_mirror_group_filter_ops *ops, void *state,
                                                          kc_error *err)
{
    kc_mirror_group_filter *f = NULL;
    if (!ops || !ops->class_name || !ops->should_replicate_group)
        kc_error_set(err, KC_ERR_INVALID, "a group filter needs a class name and should_replicate_group");
    else if (!(f = malloc(sizeof *f)))
        oom(err);
    if (!f) {
        if (ops && ops->free_state)
            ops->free_state(state);
        return NULL;
    }
    f->ops = ops;
    f->state = state;
    return f;
}

int kc_mirror_group_filter_should_replicate(const kc_mirror_group_filter *f, const char *group, kc_error *err)
{
    return f->ops->should_replicate_group(f->state, group, err);
}

void kc_mirror_group_filter_free(kc_mirror_group_filter *f)
{
    if (!f)
        return;
    if (f->ops->free_state)
        f->ops->free_state(f->state);
    free(f);
}

/* ---- DefaultConfigPropertyFilter ------------------------------------------------------------ */

struct kc_mirror_config_filter {
    const kc_mirror_config_filter_ops *ops;
    void *state;
};

typedef struct config_property_state {
    kc_mirror_patterns *exclude;
    bool source_defaults; /* use.defaults.from=source */
} config_property_state;

static void config_property_free(void *state)
{
    config_property_state *s = state;
    if (!s)
        return;
    kc_mirror_patterns_free(s->exclude);
    free(s);
}

static int config_property_test(void *state, const char *prop, kc_error *err)
{
    config_property_state *s = state;
    int excluded = kc_mirror_patterns_matches(s->exclude, prop, err);
    return excluded < 0 ? -1 : !excluded;
}

static int config_property_source_default(void *state, const char *prop, kc_error *err)
{
    (void)prop;
    (void)err;
    return ((config_property_state *)state)->source_defaults;
}

static const kc_mirror_config_filter_ops default_config_filter_ops = {
    .class_name = KC_MIRROR_DEFAULT_CONFIG_FILTER_CLASS,
    .should_replicate_config_property = config_property_test,
    .should_replicate_source_default = config_property_source_default,
    .free_state = config_property_free,
};

kc_mirror_config_filter *kc_mirror_config_filter_new(const kc_props *config, kc_error *err)
{
    static const char *const legacy[][2] = {{"config.properties.blacklist", KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_CONFIG}};
    if (check_class(config, KC_MIRROR_CONFIG_FILTER_CLASS_CONFIG, KC_MIRROR_DEFAULT_CONFIG_FILTER_CLASS, err) < 0)
        return NULL;
    warn_legacy(config, legacy, 1);
    parsed_config c;
    if (parse_config(config_property_keys, 2, config, &c, err) < 0)
        return NULL;
    config_property_state *s = calloc(1, sizeof *s);
    if (!s) {
        oom(err);
    } else if (!(s->exclude = compile_key(&c, KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_CONFIG, err))) {
        config_property_free(s);
        s = NULL;
    } else {
        const char *from = kc_config_get_string(c.parsed, KC_MIRROR_USE_DEFAULTS_FROM_CONFIG);
        s->source_defaults = from && strcmp(from, "source") == 0;
    }
    parsed_config_clear(&c);
    return s ? kc_mirror_config_filter_new_custom(&default_config_filter_ops, s, err) : NULL;
}

kc_mirror_config_filter *kc_mirror_config_filter_new_custom(const kc_mirror_config_filter_ops *ops, void *state,
                                                            kc_error *err)
{
    kc_mirror_config_filter *f = NULL;
    if (!ops || !ops->class_name || !ops->should_replicate_config_property)
        kc_error_set(err, KC_ERR_INVALID,
                     "a config property filter needs a class name and should_replicate_config_property");
    else if (!(f = malloc(sizeof *f)))
        oom(err);
    if (!f) {
        if (ops && ops->free_state)
            ops->free_state(state);
        return NULL;
    }
    f->ops = ops;
    f->state = state;
    return f;
}

int kc_mirror_config_filter_should_replicate(const kc_mirror_config_filter *f, const char *prop, kc_error *err)
{
    return f->ops->should_replicate_config_property(f->state, prop, err);
}

int kc_mirror_config_filter_should_replicate_source_default(const kc_mirror_config_filter *f, const char *prop,
                                                            kc_error *err)
{
    if (!f->ops->should_replicate_source_default)
        return 0;
    return f->ops->should_replicate_source_default(f->state, prop, err);
}

void kc_mirror_config_filter_free(kc_mirror_config_filter *f)
{
    if (!f)
        return;
    if (f->ops->free_state)
        f->ops->free_state(f->state);
    free(f);
}
