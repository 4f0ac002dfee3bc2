/*
 * The base configuration of every connector: Java's ConnectorConfig, SinkConnectorConfig and
 * SourceConnectorConfig (Apache Kafka 4.3.1) as ConfigDef tables — names, types, defaults,
 * validators, importance, documentation, groups and orders exactly as Java defines them (REST spec
 * §9.4 and §12). The same tables serve start-up parsing, PUT /connector-plugins/{p}/config/validate,
 * GET /connector-plugins/{p}/config and the generated reference.
 *
 * Groups, in order: Common, Transforms, Predicates, Error Handling; sources add Topic Creation,
 * Exactly Once Support, offsets.topic. A sink's topics / topics.regex are Common 4 and 4, after
 * 4.3.1's tasks.max (Common 4): Java's orders, duplicates included.
 *
 * What the tables do not do (the callers do, with the plugin registry): enrich the definition with
 * transforms.<alias>.* / predicates.<alias>.* and topic.creation.<group>.* keys; check that a
 * converter class is of the right kind (a CLASS value is resolved through kc_config_def_opts.
 * class_exists only; Java also says "Class X does not implement the Converter interface").
 *
 * Deviations from Java, by necessity: topics.regex and the DLQ rule compile Java regular
 * expressions with POSIX extended regexes after translating \d \w \s (and their negations) and
 * (?:; Java-only constructs such as (?i) or lazy quantifiers are refused, and the reason after
 * "Invalid regex: " is the C library's. The *.plugin.version keys check Maven version range syntax
 * with Maven's messages ("Unbounded range: [1.0") and a simplified version order.
 *
 * Memory: the tables are static; kc_connector_config_def_new returns a def freed with
 * kc_config_def_free. Threads: any.
 */
#ifndef KC_WORKER_CONNECTOR_CONFIG_H
#define KC_WORKER_CONNECTOR_CONFIG_H

#include <stdbool.h>

#include "connect/api/error.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"

typedef enum kc_connector_config_kind {
    KC_CONNECTOR_CONFIG_BASE = 0,  /* ConnectorConfig only */
    KC_CONNECTOR_CONFIG_SINK,      /* + SinkConnectorConfig */
    KC_CONNECTOR_CONFIG_SOURCE     /* + SourceConnectorConfig */
} kc_connector_config_kind;

/* ConnectorConfig.configDef(): name ... errors.log.include.messages (19 keys). */
kc_config_table kc_connector_config_common_table(void);
/* What SinkConnectorConfig adds: topics, topics.regex, errors.deadletterqueue.* (5 keys). */
kc_config_table kc_connector_config_sink_table(void);
/* What SourceConnectorConfig adds: topic.creation.groups, exactly.once.support,
 * transaction.boundary, transaction.boundary.interval.ms, offsets.storage.topic (5 keys). */
kc_config_table kc_connector_config_source_table(void);

/* The base definition of a kind (common + sink or source keys). opts may be NULL. NULL with err
 * only on a bug in the tables or out of memory. */
kc_config_def *kc_connector_config_def_new(kc_connector_config_kind kind, const kc_config_def_opts *opts,
                                           kc_error *err);

/* The Markdown reference of the base connector keys (doc/config-connector.md): the common keys,
 * then what sinks and sources add. New string (free()), NULL when out of memory. */
char *kc_connector_config_docs_new(void);

/* SinkConnectorConfig.validate(props, validatedConfig): the multi-key rules, added as errors to the
 * entries of v (an entry is created, with the raw value, for a key v does not define):
 *   both topics and topics.regex set -> on both:
 *     "topics and topics.regex are mutually exclusive options, but both are set."
 *   neither set (blank) -> on both: "Must configure one of topics or topics.regex"
 *   the DLQ topic in topics -> on topics: "The DLQ topic '<d>' may not be included in the list of
 *     topics ('topics=[a, b]') consumed by the connector"
 *   the DLQ topic matched by topics.regex -> on topics.regex: "The DLQ topic '<d>' may not be
 *     matched by the regex for the topics ('topics.regex=<re>') consumed by the connector"
 * props are the raw connector properties. 0, or -1 with err when out of memory. */
int kc_connector_config_validate_sink(const kc_props *props, kc_config_validation *v, kc_error *err);

/* SinkConnectorConfig.validate(props): the same rules, first failure as a start-up error:
 * "Invalid value null for configuration topics: Must configure one of topics or topics.regex".
 * 0 when valid, -1 with err (KC_ERR_INVALID; KC_ERR_INTERNAL when out of memory). */
int kc_connector_config_check_sink(const kc_props *props, kc_error *err);

/* SinkConnectorConfig.parseTopicsList: the non-empty topics of `topics`, duplicates removed, in
 * order, appended to out (kc_config_strs_clear frees them). 0, or -1 when out of memory. */
int kc_connector_config_sink_topics(const kc_props *props, kc_config_strs *out);

/* Whether topic fully matches the Java regex (as Pattern.matcher(topic).matches()). 1 yes, 0 no,
 * -1 with err (KC_ERR_INVALID "Invalid regex: ...") when the regex cannot be compiled. */
int kc_connector_config_regex_matches(const char *regex, const char *topic, kc_error *err);

#endif
