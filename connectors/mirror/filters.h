/*
 * MirrorMaker 2 filters: which topics (TopicFilter), consumer groups (GroupFilter) and topic
 * config properties (ConfigPropertyFilter) are replicated, with Java's default implementations
 * DefaultTopicFilter, DefaultGroupFilter and DefaultConfigPropertyFilter of Kafka 4.3.1.
 *
 * Owns: the three filter handles (a vtable plus state, so a plug-in filter fits later) and
 * kc_mirror_patterns, a compiled Java regex list.
 * Config (read from all the connector's properties, as Java's configure(originals()) does, and
 * parsed with each filter's own ConfigDef: a LIST is trimmed and split on \s*,\s*, duplicates are
 * dropped, an empty element is refused with Java's "Configuration 'topics' values must not be
 * empty."):
 *   topics                    default ".*"
 *   topics.exclude            default "mm2.*\.internal, .*\.replica, __.*"
 *   groups                    default ".*"
 *   groups.exclude            default "console-consumer-.*, connect-.*, __.*"
 *   config.properties.exclude default the eight names of KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_DEFAULT
 *                             (4.3.1 writes them with unescaped dots, so '.' matches any character)
 *   use.defaults.from         default "target"; "source" (after trimming, exact case) makes
 *                             shouldReplicateSourceDefault true
 * A name is replicated when it fully matches the include list and does not fully match the
 * exclude list. A list is one pattern: its elements joined with '|' (MirrorUtils.compilePatternList),
 * so "a(, )b" is the valid pattern "a(|)b"; an empty list matches nothing (an empty `topics`
 * replicates nothing, an empty `topics.exclude` excludes nothing).
 * The legacy keys topics.blacklist / topics.whitelist / groups.blacklist / groups.whitelist /
 * config.properties.blacklist were removed in Kafka 4.0: Java 4.3.1 ignores them, and so does
 * kconnect, with a WARN line naming the key that replaced each one.
 *
 * Regular expressions: Java's java.util.regex, run on POSIX <regex.h> through the translator of
 * connect/worker/transforms/java_regex.h (which lists what it supports: literals and escapes,
 * \Q..\E, \d \w \s and their negations, classes, groups, alternation, greedy quantifiers, anchors,
 * leading inline flags). A construct it cannot express the same way (lookaround, possessive or
 * reluctant quantifiers, \b, Unicode classes, ...) fails creation with an error that names the key,
 * its value and the construct, never a silently different match. Known differences: none for the
 * yes/no answer on ASCII names (Kafka topic names are [a-zA-Z0-9._-]), back references inside
 * repeated groups aside; on non-ASCII text '.' and classes work on bytes, and '.' matches
 * U+0085/U+2028/U+2029, which Java's does not. (The translator lives with the transforms, which
 * use it for RegexRouter; it would belong in a shared place now that MM2 uses it too.)
 *
 * Class keys: topic.filter.class, group.filter.class, config.property.filter.class accept Java's
 * default class names (FQCN or simple name); any other class is refused with Java's "Class X could
 * not be found." message. Custom filters come in through kc_mirror_*_filter_new_custom.
 *
 * config is never NULL (an empty kc_props gives every default).
 * Results: predicates return 1 (yes) / 0 (no), or -1 with err (a regex engine failure, or a custom
 * filter's error). Memory: every _new returns a handle freed with the matching _free (which frees a
 * custom state through its ops->free_state, also when _new_custom fails). Nothing is retained from
 * config. Threads: a filter is immutable after creation; any thread may call it concurrently.
 */
#ifndef KC_CONNECTORS_MIRROR_FILTERS_H
#define KC_CONNECTORS_MIRROR_FILTERS_H

#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_MIRROR_TOPICS_CONFIG "topics"
#define KC_MIRROR_TOPICS_DEFAULT ".*"
#define KC_MIRROR_TOPICS_EXCLUDE_CONFIG "topics.exclude"
#define KC_MIRROR_TOPICS_EXCLUDE_DEFAULT "mm2.*\\.internal, .*\\.replica, __.*"
#define KC_MIRROR_GROUPS_CONFIG "groups"
#define KC_MIRROR_GROUPS_DEFAULT ".*"
#define KC_MIRROR_GROUPS_EXCLUDE_CONFIG "groups.exclude"
#define KC_MIRROR_GROUPS_EXCLUDE_DEFAULT "console-consumer-.*, connect-.*, __.*"
#define KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_CONFIG "config.properties.exclude"
#define KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_DEFAULT                                                  \
    "follower.replication.throttled.replicas, leader.replication.throttled.replicas, "                \
    "message.timestamp.difference.max.ms, log.message.timestamp.before.max.ms, "                      \
    "log.message.timestamp.after.max.ms, message.timestamp.type, unclean.leader.election.enable, "     \
    "min.insync.replicas"
#define KC_MIRROR_USE_DEFAULTS_FROM_CONFIG "use.defaults.from"
#define KC_MIRROR_USE_DEFAULTS_FROM_DEFAULT "target"
#define KC_MIRROR_TOPIC_FILTER_CLASS_CONFIG "topic.filter.class"
#define KC_MIRROR_GROUP_FILTER_CLASS_CONFIG "group.filter.class"
#define KC_MIRROR_CONFIG_FILTER_CLASS_CONFIG "config.property.filter.class"
#define KC_MIRROR_DEFAULT_TOPIC_FILTER_CLASS "org.apache.kafka.connect.mirror.DefaultTopicFilter"
#define KC_MIRROR_DEFAULT_GROUP_FILTER_CLASS "org.apache.kafka.connect.mirror.DefaultGroupFilter"
#define KC_MIRROR_DEFAULT_CONFIG_FILTER_CLASS "org.apache.kafka.connect.mirror.DefaultConfigPropertyFilter"

/* ---- a Java regex list (MirrorUtils.compilePatternList) -------------------------------------- */

typedef struct kc_mirror_patterns kc_mirror_patterns;

/* Compiles items[0..n) joined with '|'. n == 0 gives a list that matches nothing. key names the
 * config in errors: KC_ERR_INVALID "Invalid value <items joined by ','> for configuration <key>:
 * <why>" (with a note on comma splitting when n > 1; <why> is Java's PatternSyntaxException text
 * or the construct kconnect refuses, over the joined pattern with a caret). NULL with err. */
kc_mirror_patterns *kc_mirror_patterns_new(const char *key, char *const *items, size_t n, kc_error *err);
/* Matcher.matches() of the joined pattern on name: 1, 0, or -1 with err. */
int kc_mirror_patterns_matches(const kc_mirror_patterns *p, const char *name, kc_error *err);
void kc_mirror_patterns_free(kc_mirror_patterns *p);

/* ---- TopicFilter ------------------------------------------------------------------------------ */

typedef struct kc_mirror_topic_filter kc_mirror_topic_filter;

typedef struct kc_mirror_topic_filter_ops {
    const char *class_name;
    int (*should_replicate_topic)(void *state, const char *topic, kc_error *err); /* required */
    void (*free_state)(void *state);                                            /* optional */
} kc_mirror_topic_filter_ops;

/* The filter topic.filter.class names (DefaultTopicFilter unless set), configured from config. */
kc_mirror_topic_filter *kc_mirror_topic_filter_new(const kc_props *config, kc_error *err);
kc_mirror_topic_filter *kc_mirror_topic_filter_new_custom(const kc_mirror_topic_filter_ops *ops, void *state,
                                                          kc_error *err);
int kc_mirror_topic_filter_should_replicate(const kc_mirror_topic_filter *f, const char *topic, kc_error *err);
void kc_mirror_topic_filter_free(kc_mirror_topic_filter *f);

/* ---- GroupFilter ------------------------------------------------------------------------------ */

typedef struct kc_mirror_group_filter kc_mirror_group_filter;

typedef struct kc_mirror_group_filter_ops {
    const char *class_name;
    int (*should_replicate_group)(void *state, const char *group, kc_error *err); /* required */
    void (*free_state)(void *state);                                            /* optional */
} kc_mirror_group_filter_ops;

/* The filter group.filter.class names (DefaultGroupFilter unless set), configured from config. */
kc_mirror_group_filter *kc_mirror_group_filter_new(const kc_props *config, kc_error *err);
kc_mirror_group_filter *kc_mirror_group_filter_new_custom(const kc_mirror_group_filter_ops *ops, void *state,
                                                          kc_error *err);
int kc_mirror_group_filter_should_replicate(const kc_mirror_group_filter *f, const char *group, kc_error *err);
void kc_mirror_group_filter_free(kc_mirror_group_filter *f);

/* ---- ConfigPropertyFilter --------------------------------------------------------------------- */

typedef struct kc_mirror_config_filter kc_mirror_config_filter;

typedef struct kc_mirror_config_filter_ops {
    const char *class_name;
    int (*should_replicate_config_property)(void *state, const char *prop, kc_error *err); /* required */
    /* optional: NULL answers 0 (Java's interface default: use the target cluster's default) */
    int (*should_replicate_source_default)(void *state, const char *prop, kc_error *err);
    void (*free_state)(void *state); /* optional */
} kc_mirror_config_filter_ops;

/* The filter config.property.filter.class names (DefaultConfigPropertyFilter unless set). */
kc_mirror_config_filter *kc_mirror_config_filter_new(const kc_props *config, kc_error *err);
kc_mirror_config_filter *kc_mirror_config_filter_new_custom(const kc_mirror_config_filter_ops *ops, void *state,
                                                            kc_error *err);
int kc_mirror_config_filter_should_replicate(const kc_mirror_config_filter *f, const char *prop, kc_error *err);
/* For a property whose source value is a default: 1 = copy the source default explicitly, 0 =
 * leave (or reset) the target topic at the target cluster's default. */
int kc_mirror_config_filter_should_replicate_source_default(const kc_mirror_config_filter *f, const char *prop,
                                                            kc_error *err);
void kc_mirror_config_filter_free(kc_mirror_config_filter *f);

#endif
