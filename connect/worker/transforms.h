/*
 * The built-in Single Message Transforms and predicates (Apache Kafka's connect-transforms), under
 * Java's class names (including the $Key / $Value variants, e.g.
 * "org.apache.kafka.connect.transforms.InsertField$Value"):
 *   transformations: Cast, DropHeaders, ExtractField, Filter, HeaderFrom, InsertField, InsertHeader,
 *     MaskField, RegexRouter, ReplaceField, TimestampRouter, ValueToKey;
 *   predicates: HasHeaderKey, RecordIsTombstone, TopicNameMatches.
 * Each one declares Java's config keys, defaults, validators and messages, and behaves as Java's
 * (schemaful Struct and schemaless Map paths, schema updates cached per input schema). The
 * deviations from Java are listed in the headers of connect/worker/transforms/ (java_regex.h for
 * regular expressions, smt.h for SimpleDateFormat).
 *
 * Threads: call before any worker thread starts (the registry is not synchronised, see plugin.h).
 * Memory: the descriptors are static.
 */
#ifndef KC_WORKER_TRANSFORMS_H
#define KC_WORKER_TRANSFORMS_H

#include "connect/api/error.h"

/* Registers every built-in transformation (KC_PLUGIN_TRANSFORMATION) and predicate
 * (KC_PLUGIN_PREDICATE) with the plugin registry. 0, or -1 with err (e.g. registered twice). */
int kc_transforms_register_builtins(kc_error *err);

#endif
