/* The worker's and the connectors' configuration tables: every key checked against Java 4.3.1's
 * ConfigDefs (names in order, types, defaults, valid values, importance, groups, orders, widths,
 * display names: the expectations below were printed by a throwaway Java program from the jars of
 * the test bed — WorkerConfig / StandaloneConfig / DistributedConfig / ConnectorConfig /
 * SinkConnectorConfig / SourceConnectorConfig), Java's start-up messages (captured by constructing
 * StandaloneConfig / DistributedConfig), the REST settings, the client prefixes, the connector
 * validation messages (ConfigDef.validate + SinkConnectorConfig.validate), and the generated docs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connect/worker/connector_config.h"
#include "connect/worker/worker_config.h"
#include "kc_test.h"

/* ---- Java 4.3.1's definitions ------------------------------------------------------------------ */

/* default: NULL = required, JAVA_NULL = a null default, else ConfigDef.convertToString. valid:
 * the validator's toString ("" for none; PluginVersionValidator's Object.toString is left out).
 * Client security keys (ssl.* but ssl.client.auth, sasl.*, security.protocol) are not listed: the
 * client table owns them. */
typedef struct java_key {
    const char *name, *type, *dflt, *importance, *valid, *group;
    int order;
    const char *width, *display;
} java_key;

static const char JAVA_NULL[] = "<null>";

static const java_key java_standalone[] = {
    { "bootstrap.servers", "LIST", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "bootstrap.servers" },
    { "client.dns.lookup", "STRING", "use_all_dns_ips", "MEDIUM",
      "[use_all_dns_ips, resolve_canonical_bootstrap_servers_only]",
      NULL, -1, "NONE", "client.dns.lookup" },
    { "key.converter", "CLASS", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "key.converter" },
    { "key.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "key.converter.plugin.version" },
    { "value.converter", "CLASS", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "value.converter" },
    { "value.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "value.converter.plugin.version" },
    { "task.shutdown.graceful.timeout.ms", "LONG", "5000", "LOW",
      "",
      NULL, -1, "NONE", "task.shutdown.graceful.timeout.ms" },
    { "offset.flush.interval.ms", "LONG", "60000", "LOW",
      "",
      NULL, -1, "NONE", "offset.flush.interval.ms" },
    { "offset.flush.timeout.ms", "LONG", "5000", "LOW",
      "",
      NULL, -1, "NONE", "offset.flush.timeout.ms" },
    { "plugin.path", "LIST", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "plugin.path" },
    { "plugin.discovery", "STRING", "hybrid_warn", "LOW",
      "(case insensitive) [ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL]",
      NULL, -1, "NONE", "plugin.discovery" },
    { "metrics.sample.window.ms", "LONG", "30000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "metrics.sample.window.ms" },
    { "metrics.num.samples", "INT", "2", "LOW",
      "[1,...]",
      NULL, -1, "NONE", "metrics.num.samples" },
    { "metrics.recording.level", "STRING", "INFO", "LOW",
      "[INFO, DEBUG]",
      NULL, -1, "NONE", "metrics.recording.level" },
    { "metric.reporters", "LIST", "org.apache.kafka.common.metrics.JmxReporter", "LOW",
      "",
      NULL, -1, "NONE", "metric.reporters" },
    { "header.converter", "CLASS", "org.apache.kafka.connect.storage.SimpleHeaderConverter", "LOW",
      "",
      NULL, -1, "NONE", "header.converter" },
    { "header.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "header.converter.plugin.version" },
    { "config.providers", "LIST", "", "LOW",
      "",
      NULL, -1, "NONE", "config.providers" },
    { "connector.client.config.override.policy", "STRING", "All", "MEDIUM",
      "",
      NULL, -1, "NONE", "connector.client.config.override.policy" },
    { "topic.creation.enable", "BOOLEAN", "true", "LOW",
      "",
      NULL, -1, "NONE", "topic.creation.enable" },
    { "topic.tracking.enable", "BOOLEAN", "true", "LOW",
      "",
      NULL, -1, "NONE", "topic.tracking.enable" },
    { "topic.tracking.allow.reset", "BOOLEAN", "true", "LOW",
      "",
      NULL, -1, "NONE", "topic.tracking.allow.reset" },
    { "listeners", "LIST", "http://:8083", "LOW",
      "List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443.",
      NULL, -1, "NONE", "listeners" },
    { "rest.advertised.host.name", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "rest.advertised.host.name" },
    { "rest.advertised.port", "INT", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "rest.advertised.port" },
    { "rest.advertised.listener", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "rest.advertised.listener" },
    { "access.control.allow.origin", "STRING", "", "LOW",
      "",
      NULL, -1, "NONE", "access.control.allow.origin" },
    { "access.control.allow.methods", "STRING", "", "LOW",
      "",
      NULL, -1, "NONE", "access.control.allow.methods" },
    { "response.http.headers.config", "STRING", "", "LOW",
      "Comma-separated header rules, where each header rule is of the form '[action] "
        "[header name]:[header value]' and optionally surrounded by double quotes if any "
        "part of a header rule contains a comma",
      NULL, -1, "NONE", "response.http.headers.config" },
    { "ssl.client.auth", "STRING", "none", "LOW",
      "[required, requested, none]",
      NULL, -1, "NONE", "ssl.client.auth" },
    { "rest.extension.classes", "LIST", "", "LOW",
      "",
      NULL, -1, "NONE", "rest.extension.classes" },
    { "admin.listeners", "LIST", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "admin.listeners" },
    { "offset.storage.file.filename", "STRING", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "offset.storage.file.filename" },
};

static const java_key java_distributed[] = {
    { "bootstrap.servers", "LIST", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "bootstrap.servers" },
    { "client.dns.lookup", "STRING", "use_all_dns_ips", "MEDIUM",
      "[use_all_dns_ips, resolve_canonical_bootstrap_servers_only]",
      NULL, -1, "NONE", "client.dns.lookup" },
    { "key.converter", "CLASS", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "key.converter" },
    { "key.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "key.converter.plugin.version" },
    { "value.converter", "CLASS", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "value.converter" },
    { "value.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "value.converter.plugin.version" },
    { "task.shutdown.graceful.timeout.ms", "LONG", "5000", "LOW",
      "",
      NULL, -1, "NONE", "task.shutdown.graceful.timeout.ms" },
    { "offset.flush.interval.ms", "LONG", "60000", "LOW",
      "",
      NULL, -1, "NONE", "offset.flush.interval.ms" },
    { "offset.flush.timeout.ms", "LONG", "5000", "LOW",
      "",
      NULL, -1, "NONE", "offset.flush.timeout.ms" },
    { "plugin.path", "LIST", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "plugin.path" },
    { "plugin.discovery", "STRING", "hybrid_warn", "LOW",
      "(case insensitive) [ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL]",
      NULL, -1, "NONE", "plugin.discovery" },
    { "metrics.sample.window.ms", "LONG", "30000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "metrics.sample.window.ms" },
    { "metrics.num.samples", "INT", "2", "LOW",
      "[1,...]",
      NULL, -1, "NONE", "metrics.num.samples" },
    { "metrics.recording.level", "STRING", "INFO", "LOW",
      "[INFO, DEBUG]",
      NULL, -1, "NONE", "metrics.recording.level" },
    { "metric.reporters", "LIST", "org.apache.kafka.common.metrics.JmxReporter", "LOW",
      "",
      NULL, -1, "NONE", "metric.reporters" },
    { "header.converter", "CLASS", "org.apache.kafka.connect.storage.SimpleHeaderConverter", "LOW",
      "",
      NULL, -1, "NONE", "header.converter" },
    { "header.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "header.converter.plugin.version" },
    { "config.providers", "LIST", "", "LOW",
      "",
      NULL, -1, "NONE", "config.providers" },
    { "connector.client.config.override.policy", "STRING", "All", "MEDIUM",
      "",
      NULL, -1, "NONE", "connector.client.config.override.policy" },
    { "topic.creation.enable", "BOOLEAN", "true", "LOW",
      "",
      NULL, -1, "NONE", "topic.creation.enable" },
    { "topic.tracking.enable", "BOOLEAN", "true", "LOW",
      "",
      NULL, -1, "NONE", "topic.tracking.enable" },
    { "topic.tracking.allow.reset", "BOOLEAN", "true", "LOW",
      "",
      NULL, -1, "NONE", "topic.tracking.allow.reset" },
    { "listeners", "LIST", "http://:8083", "LOW",
      "List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443.",
      NULL, -1, "NONE", "listeners" },
    { "rest.advertised.host.name", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "rest.advertised.host.name" },
    { "rest.advertised.port", "INT", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "rest.advertised.port" },
    { "rest.advertised.listener", "STRING", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "rest.advertised.listener" },
    { "access.control.allow.origin", "STRING", "", "LOW",
      "",
      NULL, -1, "NONE", "access.control.allow.origin" },
    { "access.control.allow.methods", "STRING", "", "LOW",
      "",
      NULL, -1, "NONE", "access.control.allow.methods" },
    { "response.http.headers.config", "STRING", "", "LOW",
      "Comma-separated header rules, where each header rule is of the form '[action] "
        "[header name]:[header value]' and optionally surrounded by double quotes if any "
        "part of a header rule contains a comma",
      NULL, -1, "NONE", "response.http.headers.config" },
    { "ssl.client.auth", "STRING", "none", "LOW",
      "[required, requested, none]",
      NULL, -1, "NONE", "ssl.client.auth" },
    { "rest.extension.classes", "LIST", "", "LOW",
      "",
      NULL, -1, "NONE", "rest.extension.classes" },
    { "admin.listeners", "LIST", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "admin.listeners" },
    { "group.id", "STRING", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "group.id" },
    { "session.timeout.ms", "INT", "10000", "HIGH",
      "",
      NULL, -1, "NONE", "session.timeout.ms" },
    { "rebalance.timeout.ms", "INT", "60000", "HIGH",
      "",
      NULL, -1, "NONE", "rebalance.timeout.ms" },
    { "heartbeat.interval.ms", "INT", "3000", "HIGH",
      "",
      NULL, -1, "NONE", "heartbeat.interval.ms" },
    { "exactly.once.source.support", "STRING", "disabled", "HIGH",
      "(case insensitive) [DISABLED, ENABLED, PREPARING]",
      NULL, -1, "NONE", "exactly.once.source.support" },
    { "metadata.max.age.ms", "LONG", "300000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "metadata.max.age.ms" },
    { "client.id", "STRING", "", "LOW",
      "",
      NULL, -1, "NONE", "client.id" },
    { "send.buffer.bytes", "INT", "131072", "MEDIUM",
      "[-1,...]",
      NULL, -1, "NONE", "send.buffer.bytes" },
    { "receive.buffer.bytes", "INT", "32768", "MEDIUM",
      "[-1,...]",
      NULL, -1, "NONE", "receive.buffer.bytes" },
    { "reconnect.backoff.ms", "LONG", "50", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "reconnect.backoff.ms" },
    { "reconnect.backoff.max.ms", "LONG", "1000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "reconnect.backoff.max.ms" },
    { "socket.connection.setup.timeout.ms", "LONG", "10000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "socket.connection.setup.timeout.ms" },
    { "socket.connection.setup.timeout.max.ms", "LONG", "30000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "socket.connection.setup.timeout.max.ms" },
    { "retry.backoff.ms", "LONG", "100", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "retry.backoff.ms" },
    { "retry.backoff.max.ms", "LONG", "1000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "retry.backoff.max.ms" },
    { "request.timeout.ms", "INT", "40000", "MEDIUM",
      "[0,...]",
      NULL, -1, "NONE", "request.timeout.ms" },
    { "connections.max.idle.ms", "LONG", "540000", "MEDIUM",
      "",
      NULL, -1, "NONE", "connections.max.idle.ms" },
    { "worker.sync.timeout.ms", "INT", "3000", "MEDIUM",
      "",
      NULL, -1, "NONE", "worker.sync.timeout.ms" },
    { "worker.unsync.backoff.ms", "INT", "300000", "MEDIUM",
      "",
      NULL, -1, "NONE", "worker.unsync.backoff.ms" },
    { "offset.storage.topic", "STRING", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "offset.storage.topic" },
    { "offset.storage.partitions", "INT", "25", "LOW",
      "Positive number, or -1 to use the broker's default",
      NULL, -1, "NONE", "offset.storage.partitions" },
    { "offset.storage.replication.factor", "SHORT", "3", "LOW",
      "Positive number not larger than the number of brokers in the Kafka cluster, or "
        "-1 to use the broker's default",
      NULL, -1, "NONE", "offset.storage.replication.factor" },
    { "config.storage.topic", "STRING", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "config.storage.topic" },
    { "config.storage.replication.factor", "SHORT", "3", "LOW",
      "Positive number not larger than the number of brokers in the Kafka cluster, or "
        "-1 to use the broker's default",
      NULL, -1, "NONE", "config.storage.replication.factor" },
    { "status.storage.topic", "STRING", NULL, "HIGH",
      "",
      NULL, -1, "NONE", "status.storage.topic" },
    { "status.storage.partitions", "INT", "5", "LOW",
      "Positive number, or -1 to use the broker's default",
      NULL, -1, "NONE", "status.storage.partitions" },
    { "status.storage.replication.factor", "SHORT", "3", "LOW",
      "Positive number not larger than the number of brokers in the Kafka cluster, or "
        "-1 to use the broker's default",
      NULL, -1, "NONE", "status.storage.replication.factor" },
    { "connect.protocol", "STRING", "sessioned", "LOW",
      "[eager, compatible, sessioned]",
      NULL, -1, "NONE", "connect.protocol" },
    { "scheduled.rebalance.max.delay.ms", "INT", "300000", "LOW",
      "[0,...,2147483647]",
      NULL, -1, "NONE", "scheduled.rebalance.max.delay.ms" },
    { "inter.worker.key.ttl.ms", "INT", "3600000", "LOW",
      "[0,...,2147483647]",
      NULL, -1, "NONE", "inter.worker.key.ttl.ms" },
    { "inter.worker.key.generation.algorithm", "STRING", "HmacSHA256", "LOW",
      "Any KeyGenerator algorithm supported by the worker JVM",
      NULL, -1, "NONE", "inter.worker.key.generation.algorithm" },
    { "inter.worker.key.size", "INT", JAVA_NULL, "LOW",
      "",
      NULL, -1, "NONE", "inter.worker.key.size" },
    { "inter.worker.signature.algorithm", "STRING", "HmacSHA256", "LOW",
      "Any MAC algorithm supported by the worker JVM",
      NULL, -1, "NONE", "inter.worker.signature.algorithm" },
    { "inter.worker.verification.algorithms", "LIST", "HmacSHA256", "LOW",
      "A list of one or more MAC algorithms, each supported by the worker JVM",
      NULL, -1, "NONE", "inter.worker.verification.algorithms" },
    { "metadata.recovery.strategy", "STRING", "rebootstrap", "LOW",
      "(case insensitive) [REBOOTSTRAP, NONE]",
      NULL, -1, "NONE", "metadata.recovery.strategy" },
    { "metadata.recovery.rebootstrap.trigger.ms", "LONG", "300000", "LOW",
      "[0,...]",
      NULL, -1, "NONE", "metadata.recovery.rebootstrap.trigger.ms" },
};

static const java_key java_sink[] = {
    { "name", "STRING", NULL, "HIGH",
      "non-empty string without ISO control characters",
      "Common", 1, "MEDIUM", "Connector name" },
    { "connector.class", "STRING", NULL, "HIGH",
      "",
      "Common", 2, "LONG", "Connector class" },
    { "connector.plugin.version", "STRING", JAVA_NULL, "MEDIUM",
      "",
      "Common", 3, "MEDIUM", "Connector version" },
    { "tasks.max", "INT", "1", "HIGH",
      "[1,...]",
      "Common", 4, "SHORT", "Tasks max" },
    { "tasks.max.enforce", "BOOLEAN", "true", "LOW",
      "",
      "Common", 5, "SHORT", "Enforce tasks max" },
    { "key.converter", "CLASS", JAVA_NULL, "LOW",
      "A concrete subclass of org.apache.kafka.connect.storage.Converter, A class with "
        "a public, no-argument constructor",
      "Common", 6, "SHORT", "Key converter class" },
    { "key.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      "Common", 7, "SHORT", "Key converter version" },
    { "value.converter", "CLASS", JAVA_NULL, "LOW",
      "A concrete subclass of org.apache.kafka.connect.storage.Converter, A class with "
        "a public, no-argument constructor",
      "Common", 8, "SHORT", "Value converter class" },
    { "value.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      "Common", 9, "SHORT", "Value converter version" },
    { "header.converter", "CLASS", JAVA_NULL, "LOW",
      "A concrete subclass of org.apache.kafka.connect.storage.HeaderConverter, A "
        "class with a public, no-argument constructor",
      "Common", 10, "SHORT", "Header converter class" },
    { "header.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      "Common", 11, "SHORT", "Header converter version" },
    { "transforms", "LIST", "", "LOW",
      "non-null string, unique transformation aliases",
      "Transforms", 12, "LONG", "Transforms" },
    { "predicates", "LIST", "", "LOW",
      "non-null string, unique predicate aliases",
      "Predicates", 13, "LONG", "Predicates" },
    { "config.action.reload", "STRING", "restart", "LOW",
      "[none, restart]",
      "Common", 14, "MEDIUM", "Reload Action" },
    { "errors.retry.timeout", "LONG", "0", "MEDIUM",
      "",
      "Error Handling", 1, "MEDIUM", "Retry Timeout for Errors" },
    { "errors.retry.delay.max.ms", "LONG", "60000", "MEDIUM",
      "",
      "Error Handling", 2, "MEDIUM", "Maximum Delay Between Retries for Errors" },
    { "errors.tolerance", "STRING", "none", "MEDIUM",
      "[none, all]",
      "Error Handling", 3, "SHORT", "Error Tolerance" },
    { "errors.log.enable", "BOOLEAN", "false", "MEDIUM",
      "",
      "Error Handling", 4, "SHORT", "Log Errors" },
    { "errors.log.include.messages", "BOOLEAN", "false", "MEDIUM",
      "",
      "Error Handling", 5, "SHORT", "Log Error Details" },
    { "topics", "LIST", "", "HIGH",
      "",
      "Common", 4, "LONG", "Topics" },
    { "topics.regex", "STRING", "", "HIGH",
      "valid regex",
      "Common", 4, "LONG", "Topics regex" },
    { "errors.deadletterqueue.topic.name", "STRING", "", "MEDIUM",
      "",
      "Error Handling", 6, "MEDIUM", "Dead Letter Queue Topic Name" },
    { "errors.deadletterqueue.topic.replication.factor", "SHORT", "3", "MEDIUM",
      "",
      "Error Handling", 7, "MEDIUM", "Dead Letter Queue Topic Replication Factor" },
    { "errors.deadletterqueue.context.headers.enable", "BOOLEAN", "false", "MEDIUM",
      "",
      "Error Handling", 8, "MEDIUM", "Enable Error Context Headers" },
};

static const java_key java_source[] = {
    { "name", "STRING", NULL, "HIGH",
      "non-empty string without ISO control characters",
      "Common", 1, "MEDIUM", "Connector name" },
    { "connector.class", "STRING", NULL, "HIGH",
      "",
      "Common", 2, "LONG", "Connector class" },
    { "connector.plugin.version", "STRING", JAVA_NULL, "MEDIUM",
      "",
      "Common", 3, "MEDIUM", "Connector version" },
    { "tasks.max", "INT", "1", "HIGH",
      "[1,...]",
      "Common", 4, "SHORT", "Tasks max" },
    { "tasks.max.enforce", "BOOLEAN", "true", "LOW",
      "",
      "Common", 5, "SHORT", "Enforce tasks max" },
    { "key.converter", "CLASS", JAVA_NULL, "LOW",
      "A concrete subclass of org.apache.kafka.connect.storage.Converter, A class with "
        "a public, no-argument constructor",
      "Common", 6, "SHORT", "Key converter class" },
    { "key.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      "Common", 7, "SHORT", "Key converter version" },
    { "value.converter", "CLASS", JAVA_NULL, "LOW",
      "A concrete subclass of org.apache.kafka.connect.storage.Converter, A class with "
        "a public, no-argument constructor",
      "Common", 8, "SHORT", "Value converter class" },
    { "value.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      "Common", 9, "SHORT", "Value converter version" },
    { "header.converter", "CLASS", JAVA_NULL, "LOW",
      "A concrete subclass of org.apache.kafka.connect.storage.HeaderConverter, A "
        "class with a public, no-argument constructor",
      "Common", 10, "SHORT", "Header converter class" },
    { "header.converter.plugin.version", "STRING", JAVA_NULL, "LOW",
      "",
      "Common", 11, "SHORT", "Header converter version" },
    { "transforms", "LIST", "", "LOW",
      "non-null string, unique transformation aliases",
      "Transforms", 12, "LONG", "Transforms" },
    { "predicates", "LIST", "", "LOW",
      "non-null string, unique predicate aliases",
      "Predicates", 13, "LONG", "Predicates" },
    { "config.action.reload", "STRING", "restart", "LOW",
      "[none, restart]",
      "Common", 14, "MEDIUM", "Reload Action" },
    { "errors.retry.timeout", "LONG", "0", "MEDIUM",
      "",
      "Error Handling", 1, "MEDIUM", "Retry Timeout for Errors" },
    { "errors.retry.delay.max.ms", "LONG", "60000", "MEDIUM",
      "",
      "Error Handling", 2, "MEDIUM", "Maximum Delay Between Retries for Errors" },
    { "errors.tolerance", "STRING", "none", "MEDIUM",
      "[none, all]",
      "Error Handling", 3, "SHORT", "Error Tolerance" },
    { "errors.log.enable", "BOOLEAN", "false", "MEDIUM",
      "",
      "Error Handling", 4, "SHORT", "Log Errors" },
    { "errors.log.include.messages", "BOOLEAN", "false", "MEDIUM",
      "",
      "Error Handling", 5, "SHORT", "Log Error Details" },
    { "topic.creation.groups", "LIST", "", "LOW",
      "non-null string, unique topic creation groups",
      "Topic Creation", 1, "LONG", "Topic Creation Groups" },
    { "exactly.once.support", "STRING", "requested", "MEDIUM",
      "(case insensitive) [REQUIRED, REQUESTED]",
      "Exactly Once Support", 2, "SHORT", "Exactly once support" },
    { "transaction.boundary", "STRING", "poll", "MEDIUM",
      "(case insensitive) [INTERVAL, POLL, CONNECTOR]",
      "Exactly Once Support", 3, "SHORT", "Transaction Boundary" },
    { "transaction.boundary.interval.ms", "LONG", JAVA_NULL, "LOW",
      "[0,...]",
      "Exactly Once Support", 4, "SHORT", "Transaction boundary interval" },
    { "offsets.storage.topic", "STRING", JAVA_NULL, "LOW",
      "non-empty string",
      "offsets.topic", 1, "LONG", "Offsets topic" },
};

/* ---- helpers ----------------------------------------------------------------------------------- */

#define JSON_CONVERTER "org.apache.kafka.connect.json.JsonConverter"

static const char *const STANDALONE_MIN[] = {
    "bootstrap.servers", "localhost:9092",
    "key.converter", JSON_CONVERTER,
    "value.converter", JSON_CONVERTER,
    "offset.storage.file.filename", "/tmp/connect.offsets",
    NULL,
};

static const char *const DISTRIBUTED_MIN[] = {
    "bootstrap.servers", "localhost:9092",
    "key.converter", JSON_CONVERTER,
    "value.converter", JSON_CONVERTER,
    "group.id", "connect-cluster",
    "config.storage.topic", "connect-configs",
    "offset.storage.topic", "connect-offsets",
    "status.storage.topic", "connect-status",
    NULL,
};

/* base's pairs, then the extra pairs (a NULL value removes the key). */
static kc_props *props_with(const char *const *base, const char *const *extra)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_FATAL(p != NULL);
    for (; base && base[0]; base += 2)
        CU_ASSERT_FATAL(kc_props_set(p, base[0], base[1]) == 0);
    for (; extra && extra[0]; extra += 2) {
        if (extra[1]) {
            CU_ASSERT_FATAL(kc_props_set(p, extra[0], extra[1]) == 0);
        } else {
            kc_props_remove(p, extra[0]);
        }
    }
    return p;
}
#define KV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static bool starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static kc_worker_config *worker(kc_worker_mode mode, const char *const *base, const char *const *extra)
{
    kc_props *p = props_with(base, extra);
    kc_error err;
    kc_worker_config *wc = kc_worker_config_new(mode, p, NULL, &err);
    if (!wc)
        fprintf(stderr, "worker config: %s\n", err.msg);
    kc_props_free(p);
    CU_ASSERT_FATAL(wc != NULL);
    return wc;
}

/* "OK" or the start-up error of mode's minimal properties changed by extra. */
static const char *start(kc_worker_mode mode, const char *const *extra)
{
    static char out[KC_ERROR_MSG_MAX];
    kc_props *p = props_with(mode == KC_WORKER_STANDALONE ? STANDALONE_MIN : DISTRIBUTED_MIN, extra);
    kc_error err;
    kc_worker_config *wc = kc_worker_config_new(mode, p, NULL, &err);
    if (wc)
        snprintf(out, sizeof out, "OK");
    else
        snprintf(out, sizeof out, "%s", err.msg);
    kc_worker_config_free(wc);
    kc_props_free(p);
    return out;
}
#define START_STANDALONE(...) start(KC_WORKER_STANDALONE, KV(__VA_ARGS__))
#define START_DISTRIBUTED(...) start(KC_WORKER_DISTRIBUTED, KV(__VA_ARGS__))

/* Compares a def with Java's keys; `ours` lists the kconnect keys Java does not have. */
static void matches_java(const kc_config_def *def, const java_key *java, size_t n, const char *const *ours)
{
    size_t j = 0;
    for (size_t i = 0; i < kc_config_def_count(def); i++) {
        const kc_config_key *k = kc_config_def_key_at(def, i);
        bool extra = false;
        for (const char *const *o = ours; o && *o; o++)
            extra = extra || strcmp(*o, k->name) == 0;
        if (extra)
            continue;
        CU_ASSERT_FATAL(j < n);
        const java_key *jk = &java[j++];
        if (strcmp(k->name, jk->name) != 0) {
            fprintf(stderr, "key %zu: %s, Java has %s\n", i, k->name, jk->name);
            CU_FAIL("key order");
            return;
        }
        CU_ASSERT_STRING_EQUAL(kc_config_type_name(k->type), jk->type);
        CU_ASSERT_STRING_EQUAL(kc_config_importance_name(k->importance), jk->importance);
        const kc_config_value *d = kc_config_def_default_at(def, i);
        if (!jk->dflt) {
            CU_ASSERT(d == NULL);
        } else if (jk->dflt == JAVA_NULL) {
            CU_ASSERT(d != NULL && d->is_null);
        } else {
            char *text = d ? kc_config_value_text_new(d) : NULL;
            if (!text || strcmp(text, jk->dflt) != 0)
                fprintf(stderr, "%s: default %s, Java %s\n", k->name, text ? text : "(none)", jk->dflt);
            CU_ASSERT(text && strcmp(text, jk->dflt) == 0);
            free(text);
        }
        char *valid = k->validator ? kc_config_validator_describe_new(k->validator) : strdup("");
        if (strcmp(valid, jk->valid) != 0)
            fprintf(stderr, "%s: valid values '%s', Java '%s'\n", k->name, valid, jk->valid);
        CU_ASSERT_STRING_EQUAL(valid, jk->valid);
        free(valid);
        if (jk->group) {
            CU_ASSERT(k->group && strcmp(k->group, jk->group) == 0);
            CU_ASSERT_EQUAL(k->order_in_group, jk->order);
        } else {
            CU_ASSERT(k->group == NULL && k->order_in_group == 0 && jk->order == -1);
        }
        CU_ASSERT_STRING_EQUAL(kc_config_width_name(k->width), jk->width);
        CU_ASSERT_STRING_EQUAL(k->display_name ? k->display_name : k->name, jk->display);
    }
    CU_ASSERT_EQUAL(j, n);
}

static void groups_are(const kc_config_def *def, const char *const *groups)
{
    size_t n = 0;
    for (; groups[n]; n++) {
        CU_ASSERT_FATAL(n < kc_config_def_group_count(def));
        CU_ASSERT_STRING_EQUAL(kc_config_def_group_at(def, n), groups[n]);
    }
    CU_ASSERT_EQUAL(kc_config_def_group_count(def), n);
}

static kc_config_def *connector_def(kc_connector_config_kind kind)
{
    kc_error err;
    kc_config_def *def = kc_connector_config_def_new(kind, NULL, &err);
    if (!def)
        fprintf(stderr, "connector def: %s\n", err.msg);
    CU_ASSERT_FATAL(def != NULL);
    return def;
}

/* Validates props against the base def of kind (plus the sink rules for sinks) and returns every
 * error as "key: message" lines, in the order of the def. */
static char *validation_errors(kc_connector_config_kind kind, const char *const *kv)
{
    kc_config_def *def = connector_def(kind);
    kc_props *p = props_with(kv, NULL);
    kc_error err;
    kc_config_validation *v = kc_config_validate(def, p, NULL, &err);
    CU_ASSERT_FATAL(v != NULL);
    if (kind == KC_CONNECTOR_CONFIG_SINK)
        CU_ASSERT(kc_connector_config_validate_sink(p, v, &err) == 0);
    size_t cap = 8192, len = 0;
    char *out = calloc(1, cap);
    CU_ASSERT_FATAL(out != NULL);
    size_t total = kc_config_def_count(def) + kc_config_validation_extra_count(v);
    for (size_t i = 0; i < total; i++) {
        size_t ndef = kc_config_def_count(def);
        kc_config_result *r = i < ndef ? kc_config_validation_at(v, i) : kc_config_validation_extra_at(v, i - ndef);
        for (size_t e = 0; e < r->errors.count; e++)
            len += (size_t)snprintf(out + len, cap - len, "%s: %s\n", r->name, r->errors.items[e]);
    }
    CU_ASSERT(len < cap);
    kc_config_validation_free(v);
    kc_props_free(p);
    kc_config_def_free(def);
    return out;
}

/* Asserts that validation_errors' text equals want, printing both when not. */
static void errors_equal(char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\n--- got\n%s--- want\n%s", got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

/* ---- definitions against Java ------------------------------------------------------------------ */

static const char *const KCONNECT_KEYS[] = {"replications.max", "replications.topics.max", "replications.topic.mappings.max",
                                            "rest.auth.basic.file", "rest.auth.jaas.config", NULL};

static void test_standalone_def_matches_java(void)
{
    kc_error err;
    kc_config_def *def = kc_worker_config_def_new(KC_WORKER_STANDALONE, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    matches_java(def, java_standalone, sizeof java_standalone / sizeof java_standalone[0], KCONNECT_KEYS);
    CU_ASSERT_EQUAL(kc_config_def_group_count(def), 0);
    kc_config_def_free(def);
}

static void test_distributed_def_matches_java(void)
{
    kc_error err;
    kc_config_def *def = kc_worker_config_def_new(KC_WORKER_DISTRIBUTED, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    matches_java(def, java_distributed, sizeof java_distributed / sizeof java_distributed[0], KCONNECT_KEYS);
    /* the client security keys are the client table's, not redefined here */
    CU_ASSERT_EQUAL(kc_config_def_find(def, "security.protocol"), -1);
    CU_ASSERT_EQUAL(kc_config_def_find(def, "sasl.jaas.config"), -1);
    CU_ASSERT_EQUAL(kc_config_def_find(def, "ssl.truststore.location"), -1);
    CU_ASSERT(kc_config_def_find(def, "ssl.client.auth") >= 0);
    kc_config_def_free(def);
}

static void test_sink_def_matches_java(void)
{
    kc_config_def *def = connector_def(KC_CONNECTOR_CONFIG_SINK);
    matches_java(def, java_sink, sizeof java_sink / sizeof java_sink[0], NULL);
    groups_are(def, KV("Common", "Transforms", "Predicates", "Error Handling"));
    kc_config_def_free(def);
    def = connector_def(KC_CONNECTOR_CONFIG_BASE);
    CU_ASSERT_EQUAL(kc_config_def_count(def), 19);
    groups_are(def, KV("Common", "Transforms", "Predicates", "Error Handling"));
    kc_config_def_free(def);
}

static void test_source_def_matches_java(void)
{
    kc_config_def *def = connector_def(KC_CONNECTOR_CONFIG_SOURCE);
    matches_java(def, java_source, sizeof java_source / sizeof java_source[0], NULL);
    groups_are(def, KV("Common", "Transforms", "Predicates", "Error Handling", "Topic Creation",
                       "Exactly Once Support", "offsets.topic"));
    kc_config_def_free(def);
}

/* ---- start-up: standalone ---------------------------------------------------------------------- */

static void test_standalone_parse(void)
{
    kc_worker_config *wc = worker(KC_WORKER_STANDALONE, STANDALONE_MIN,
                                  KV("bootstrap.servers", " a:1 , b:2 ", "offset.flush.interval.ms", "10000"));
    CU_ASSERT_EQUAL(wc->mode, KC_WORKER_STANDALONE);
    CU_ASSERT_STRING_EQUAL(wc->bootstrap_servers, "a:1,b:2");
    CU_ASSERT_STRING_EQUAL(wc->key_converter, JSON_CONVERTER);
    CU_ASSERT_STRING_EQUAL(wc->header_converter, "org.apache.kafka.connect.storage.SimpleHeaderConverter");
    CU_ASSERT_EQUAL(wc->offset_flush_interval_ms, 10000);
    CU_ASSERT_EQUAL(wc->offset_flush_timeout_ms, 5000);
    CU_ASSERT_EQUAL(wc->task_shutdown_graceful_timeout_ms, 5000);
    CU_ASSERT_STRING_EQUAL(wc->plugin_discovery, "hybrid_warn");
    CU_ASSERT_STRING_EQUAL(wc->connector_client_config_override_policy, "All");
    CU_ASSERT(wc->topic_creation_enable && wc->topic_tracking_enable && wc->topic_tracking_allow_reset);
    CU_ASSERT_STRING_EQUAL(wc->offset_storage_file_filename, "/tmp/connect.offsets");
    CU_ASSERT_PTR_NULL(wc->group_id);
    CU_ASSERT_STRING_EQUAL(wc->listeners, "http://:8083");
    CU_ASSERT_PTR_NULL(wc->admin_listeners);
    CU_ASSERT_EQUAL(wc->rest_advertised_port, -1);
    CU_ASSERT_STRING_EQUAL(kc_config_get_string(wc->parsed, "metrics.recording.level"), "INFO");
    CU_ASSERT_EQUAL(kc_config_get_int(wc->parsed, "metrics.num.samples"), 2);
    kc_worker_config_free(wc);
}

static void test_standalone_required_keys(void)
{
    /* ConfigDef.parse goes in definition order: bootstrap.servers first, the file name last */
    kc_props *empty = kc_props_new();
    kc_error err;
    CU_ASSERT_PTR_NULL(kc_worker_config_new(KC_WORKER_STANDALONE, empty, NULL, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "Missing required configuration \"bootstrap.servers\" which has no default value.");
    kc_props_free(empty);
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("key.converter", NULL),
                           "Missing required configuration \"key.converter\" which has no default value.");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("value.converter", NULL),
                           "Missing required configuration \"value.converter\" which has no default value.");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("offset.storage.file.filename", NULL),
                           "Missing required configuration \"offset.storage.file.filename\" which has no default "
                           "value.");
    /* distributed keys mean nothing in standalone mode */
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("offset.storage.partitions", "0", "connect.protocol", "x"), "OK");
}

static void test_bootstrap_servers_rules(void)
{
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("bootstrap.servers", ""),
                           "Configuration 'bootstrap.servers' must not be empty. Valid values include: any non-empty "
                           "value");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("bootstrap.servers", "a, ,b"),
                           "Configuration 'bootstrap.servers' values must not be empty.");
    /* duplicates are dropped before validation, as in Java */
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("bootstrap.servers", "a:1,a:1"), "OK");
}

static void test_worker_value_errors(void)
{
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("ssl.client.auth", "foo"),
                           "Invalid value foo for configuration ssl.client.auth: String must be one of: required, "
                           "requested, none");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("rest.advertised.port", "x"),
                           "Invalid value x for configuration rest.advertised.port: Not a number of type INT");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("plugin.discovery", "x"),
                           "Invalid value x for configuration plugin.discovery: String must be one of (case "
                           "insensitive): ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("plugin.discovery", "SERVICE_LOAD"), "OK");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("metrics.recording.level", "TRACE"),
                           "Invalid value TRACE for configuration metrics.recording.level: String must be one of: "
                           "INFO, DEBUG");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("client.dns.lookup", "x"),
                           "Invalid value x for configuration client.dns.lookup: String must be one of: "
                           "use_all_dns_ips, resolve_canonical_bootstrap_servers_only");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("plugin.path", ""),
                           "Configuration 'plugin.path' must not be empty. Valid values include: any non-empty value");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("offset.flush.interval.ms", "soon"),
                           "Invalid value soon for configuration offset.flush.interval.ms: Not a number of type LONG");
}

static void test_client_keys_left_to_client_table(void)
{
    /* Java validates these in its worker def; here they belong to the client table and never make
     * the worker's parse fail */
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                                             "ssl.truststore.type", "PEM", "ssl.truststore.location", "/ca.crt",
                                             "producer.security.protocol", "SASL_SSL"),
                           "OK");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("security.protocol", "FOO"), "OK");
}

/* ---- start-up: distributed --------------------------------------------------------------------- */

static void test_distributed_required_keys(void)
{
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("group.id", NULL),
                           "Missing required configuration \"group.id\" which has no default value.");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("config.storage.topic", NULL, "offset.storage.topic", NULL,
                                             "status.storage.topic", NULL),
                           "Missing required configuration \"offset.storage.topic\" which has no default value.");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("config.storage.topic", NULL, "status.storage.topic", NULL),
                           "Missing required configuration \"config.storage.topic\" which has no default value.");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("status.storage.topic", NULL),
                           "Missing required configuration \"status.storage.topic\" which has no default value.");
    /* Java has no validator on these: blank is accepted */
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("group.id", "", "config.storage.topic", " "), "OK");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("offset.storage.file.filename", NULL), "OK");
}

static void test_distributed_defaults(void)
{
    kc_worker_config *wc = worker(KC_WORKER_DISTRIBUTED, DISTRIBUTED_MIN, NULL);
    CU_ASSERT_STRING_EQUAL(wc->group_id, "connect-cluster");
    CU_ASSERT_EQUAL(wc->session_timeout_ms, 10000);
    CU_ASSERT_EQUAL(wc->rebalance_timeout_ms, 60000);
    CU_ASSERT_EQUAL(wc->heartbeat_interval_ms, 3000);
    CU_ASSERT_EQUAL(wc->worker_sync_timeout_ms, 3000);
    CU_ASSERT_EQUAL(wc->worker_unsync_backoff_ms, 300000);
    CU_ASSERT_EQUAL(wc->request_timeout_ms, 40000);
    CU_ASSERT_EQUAL(wc->retry_backoff_ms, 100);
    CU_ASSERT_STRING_EQUAL(wc->config_storage_topic, "connect-configs");
    CU_ASSERT_STRING_EQUAL(wc->offset_storage_topic, "connect-offsets");
    CU_ASSERT_STRING_EQUAL(wc->status_storage_topic, "connect-status");
    CU_ASSERT_EQUAL(wc->offset_storage_partitions, 25);
    CU_ASSERT_EQUAL(wc->status_storage_partitions, 5);
    CU_ASSERT_EQUAL(wc->config_storage_replication_factor, 3);
    CU_ASSERT_EQUAL(wc->offset_storage_replication_factor, 3);
    CU_ASSERT_EQUAL(wc->status_storage_replication_factor, 3);
    CU_ASSERT_EQUAL(wc->connect_protocol, KC_WORKER_PROTOCOL_SESSIONED);
    CU_ASSERT_EQUAL(wc->scheduled_rebalance_max_delay_ms, 300000);
    CU_ASSERT_EQUAL(wc->exactly_once_source_support, KC_WORKER_EOS_DISABLED);
    CU_ASSERT_EQUAL(wc->inter_worker_key_ttl_ms, 3600000);
    CU_ASSERT_STRING_EQUAL(wc->inter_worker_key_generation_algorithm, "HmacSHA256");
    CU_ASSERT_STRING_EQUAL(wc->inter_worker_signature_algorithm, "HmacSHA256");
    CU_ASSERT_EQUAL(wc->inter_worker_key_size, -1);
    CU_ASSERT_PTR_NULL(wc->offset_storage_file_filename);
    CU_ASSERT_EQUAL(kc_config_get_long(wc->parsed, "metadata.max.age.ms"), 300000);
    CU_ASSERT_STRING_EQUAL(kc_config_get_string(wc->parsed, "metadata.recovery.strategy"), "rebootstrap");
    char id[128];
    CU_ASSERT_STRING_EQUAL(kc_worker_config_transactional_id(wc, id, sizeof id), "connect-cluster-connect-cluster");
    CU_ASSERT_STRING_EQUAL(kc_worker_config_sink_group_id("s3-sink", id, sizeof id), "connect-s3-sink");
    kc_worker_config_free(wc);
}

static void test_distributed_value_errors(void)
{
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("offset.storage.partitions", "0"),
                           "Invalid value 0 for configuration offset.storage.partitions: Number of partitions must be "
                           "positive, or -1 to use the broker's default");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("status.storage.partitions", "-2"),
                           "Invalid value -2 for configuration status.storage.partitions: Number of partitions must be "
                           "positive, or -1 to use the broker's default");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("offset.storage.partitions", "-1",
                                             "config.storage.replication.factor", "-1"),
                           "OK");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("config.storage.replication.factor", "0"),
                           "Invalid value 0 for configuration config.storage.replication.factor: Replication factor "
                           "must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to "
                           "use the broker's default");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("status.storage.replication.factor", "40000"),
                           "Invalid value 40000 for configuration status.storage.replication.factor: Not a number of "
                           "type SHORT");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("connect.protocol", "foo"),
                           "Invalid value foo for configuration connect.protocol: Invalid Connect protocol "
                           "compatibility");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("scheduled.rebalance.max.delay.ms", "-1"),
                           "Invalid value -1 for configuration scheduled.rebalance.max.delay.ms: Value must be at "
                           "least 0");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("session.timeout.ms", "x"),
                           "Invalid value x for configuration session.timeout.ms: Not a number of type INT");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("request.timeout.ms", "-1"),
                           "Invalid value -1 for configuration request.timeout.ms: Value must be at least 0");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("metadata.recovery.strategy", "x"),
                           "Invalid value x for configuration metadata.recovery.strategy: String must be one of (case "
                           "insensitive): REBOOTSTRAP, NONE");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("exactly.once.source.support", "on"),
                           "Invalid value on for configuration exactly.once.source.support: String must be one of "
                           "(case insensitive): DISABLED, ENABLED, PREPARING");
}

static void test_distributed_enums_any_case(void)
{
    kc_worker_config *wc = worker(KC_WORKER_DISTRIBUTED, DISTRIBUTED_MIN,
                                  KV("connect.protocol", "EAGER", "exactly.once.source.support", "Enabled"));
    CU_ASSERT_EQUAL(wc->connect_protocol, KC_WORKER_PROTOCOL_EAGER);
    CU_ASSERT_EQUAL(wc->exactly_once_source_support, KC_WORKER_EOS_ENABLED);
    kc_worker_config_free(wc);
    wc = worker(KC_WORKER_DISTRIBUTED, DISTRIBUTED_MIN,
                KV("connect.protocol", "compatible", "exactly.once.source.support", "preparing"));
    CU_ASSERT_EQUAL(wc->connect_protocol, KC_WORKER_PROTOCOL_COMPATIBLE);
    CU_ASSERT_EQUAL(wc->exactly_once_source_support, KC_WORKER_EOS_PREPARING);
    CU_ASSERT_STRING_EQUAL(kc_worker_protocol_name(wc->connect_protocol), "compatible");
    kc_worker_config_free(wc);
}

static void test_inter_worker_key_settings(void)
{
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("inter.worker.key.size", "8"),
                           "Unable to create key generator with algorithm HmacSHA256 and key size 8: Key length must "
                           "be at least 40 bits");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("inter.worker.key.size", "40"), "OK");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("inter.worker.signature.algorithm", "HmacSHA512"),
                           "Invalid value HmacSHA512 for configuration inter.worker.signature.algorithm: Signature "
                           "algorithm must be present in inter.worker.verification.algorithms list");
    /* the JCA's lookups ignore case, the list membership test does not */
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("inter.worker.signature.algorithm", "hmacsha256"),
                           "Invalid value hmacsha256 for configuration inter.worker.signature.algorithm: Signature "
                           "algorithm must be present in inter.worker.verification.algorithms list");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("inter.worker.key.generation.algorithm", "hmacsha512",
                                             "inter.worker.signature.algorithm", "HmacSHA512",
                                             "inter.worker.verification.algorithms", "HmacSHA256, HmacSHA512"),
                           "OK");
    CU_ASSERT_STRING_EQUAL(START_DISTRIBUTED("inter.worker.verification.algorithms", ""),
                           "Invalid value [] for configuration inter.worker.verification.algorithms: At least one "
                           "signature verification algorithm must be provided");
    const char *msg = START_DISTRIBUTED("inter.worker.key.generation.algorithm", "foo");
    CU_ASSERT(starts_with(msg, "Invalid value foo for configuration inter.worker.key.generation.algorithm: the "
                               "algorithm is not supported by this JVM; the supported algorithms are: [HmacSHA3-384, "));
    msg = START_DISTRIBUTED("inter.worker.verification.algorithms", "HmacSHA256,foo");
    CU_ASSERT(starts_with(msg, "Invalid value foo for configuration inter.worker.verification.algorithms: the "
                               "algorithm is not supported by this JVM; the supported algorithms are: [HmacSHA3-512, "));
    CU_ASSERT_STRING_EQUAL(kc_worker_config_hmac_digest("HmacSHA256"), "SHA256");
    CU_ASSERT_STRING_EQUAL(kc_worker_config_hmac_digest("hmacsha512/256"), "SHA512-256");
    CU_ASSERT_STRING_EQUAL(kc_worker_config_hmac_digest("HmacSHA3-384"), "SHA3-384");
    CU_ASSERT_PTR_NULL(kc_worker_config_hmac_digest("AES"));
}

/* ---- REST -------------------------------------------------------------------------------------- */

static void test_listeners_rules(void)
{
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("listeners", ""),
                           "Invalid value for listeners, at least one URL is expected, ex: "
                           "http://localhost:8080,https://localhost:8443.");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("listeners", "http://:1,,http://:2"),
                           "Empty URL found when parsing listeners list.");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("listeners", " , "), "Empty URL found when parsing listeners list.");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("admin.listeners", "http://a:1,,http://b:2"),
                           "Configuration 'admin.listeners' values must not be empty.");
    /* the protocol is checked when the REST server starts, as in Java */
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("listeners", "ftp://:1"), "OK");
}

static void test_response_header_rules(void)
{
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("response.http.headers.config", "foo"),
                           "Invalid format of header config 'foo'. Expected: '[action] [header name]:[header value]'");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("response.http.headers.config", "bad X-A:b"),
                           "Invalid header config action: 'bad'. Expected one of [set, add, setDate, addDate]");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("response.http.headers.config", "add X A:b"),
                           "Invalid header name 'X A'. The '[header name]' cannot contain whitespace");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("response.http.headers.config", "add XA:b:c"),
                           "Invalid format of header name and header value pair 'XA:b:c'. Expected: '[header "
                           "name]:[header value]'");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("response.http.headers.config",
                                            "add X-XSS-Protection: 1; mode=block, \"set Cache-Control: no-cache, "
                                            "no-store\""),
                           "OK");
}

static void test_rest_config_admin_unset(void)
{
    kc_worker_config *wc = worker(KC_WORKER_STANDALONE, STANDALONE_MIN, NULL);
    kc_rest_config rc;
    kc_worker_config_rest(wc, &rc);
    CU_ASSERT_STRING_EQUAL(rc.listeners, "http://:8083");
    CU_ASSERT_PTR_NULL(rc.admin_listeners); /* unset: admin endpoints on the regular listeners */
    CU_ASSERT_PTR_NULL(rc.advertised_host);
    CU_ASSERT_EQUAL(rc.advertised_port, -1);
    CU_ASSERT_PTR_NULL(rc.advertised_listener);
    CU_ASSERT_STRING_EQUAL(rc.cors_allowed_origins, "");
    CU_ASSERT_STRING_EQUAL(rc.cors_allowed_methods, "");
    CU_ASSERT_STRING_EQUAL(rc.response_headers, "");
    CU_ASSERT_PTR_NULL(rc.basic_auth_file);
    CU_ASSERT_PTR_EQUAL(rc.worker, wc->originals);
    kc_worker_config_free(wc);
}

static void test_rest_config_admin_empty(void)
{
    /* empty or blank: admin endpoints disabled everywhere */
    const char *values[] = { "", "  " };
    for (size_t i = 0; i < 2; i++) {
        kc_worker_config *wc = worker(KC_WORKER_STANDALONE, STANDALONE_MIN, KV("admin.listeners", values[i]));
        kc_rest_config rc;
        kc_worker_config_rest(wc, &rc);
        CU_ASSERT_PTR_NOT_NULL(rc.admin_listeners);
        if (rc.admin_listeners) {
            CU_ASSERT_STRING_EQUAL(rc.admin_listeners, "");
        }
        kc_worker_config_free(wc);
    }
}

static void test_rest_config_admin_set(void)
{
    kc_worker_config *wc = worker(KC_WORKER_DISTRIBUTED, DISTRIBUTED_MIN,
                                  KV("listeners", "http://localhost:8083, https://localhost:8443",
                                     "admin.listeners", " https://127.0.0.1:9443 ,http://127.0.0.1:9083",
                                     "rest.advertised.host.name", "worker-1", "rest.advertised.port", "18083",
                                     "rest.advertised.listener", "https", "access.control.allow.origin", "*",
                                     "access.control.allow.methods", "GET,PUT", "response.http.headers.config",
                                     "set X-Frame-Options: DENY"));
    kc_rest_config rc;
    kc_worker_config_rest(wc, &rc);
    CU_ASSERT_STRING_EQUAL(rc.listeners, "http://localhost:8083,https://localhost:8443");
    CU_ASSERT_STRING_EQUAL(rc.admin_listeners, "https://127.0.0.1:9443,http://127.0.0.1:9083");
    CU_ASSERT_STRING_EQUAL(rc.advertised_host, "worker-1");
    CU_ASSERT_EQUAL(rc.advertised_port, 18083);
    CU_ASSERT_STRING_EQUAL(rc.advertised_listener, "https");
    CU_ASSERT_STRING_EQUAL(rc.cors_allowed_origins, "*");
    CU_ASSERT_STRING_EQUAL(rc.cors_allowed_methods, "GET,PUT");
    CU_ASSERT_STRING_EQUAL(rc.response_headers, "set X-Frame-Options: DENY");
    kc_worker_config_free(wc);
}

static void test_rest_basic_auth(void)
{
    kc_worker_config *wc = worker(KC_WORKER_STANDALONE, STANDALONE_MIN,
                                  KV("rest.extension.classes", "basic-auth", "rest.auth.basic.file", "/etc/creds"));
    kc_rest_config rc;
    kc_worker_config_rest(wc, &rc);
    CU_ASSERT_STRING_EQUAL(rc.basic_auth_file, "/etc/creds");
    kc_worker_config_free(wc);
    /* the file alone turns nothing on: the extension does */
    wc = worker(KC_WORKER_STANDALONE, STANDALONE_MIN, KV("rest.auth.basic.file", "/etc/creds"));
    CU_ASSERT_PTR_NULL(wc->rest_basic_auth_file);
    kc_worker_config_free(wc);
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("rest.extension.classes", "com.example.MyRestExtension"),
                           "REST extension class com.example.MyRestExtension is not supported by kconnect");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("rest.extension.classes",
                                            "org.apache.kafka.connect.rest.basic.auth.extension."
                                            "BasicAuthSecurityRestExtension"),
                           "rest.extension.classes names org.apache.kafka.connect.rest.basic.auth.extension."
                           "BasicAuthSecurityRestExtension, but neither rest.auth.basic.file nor "
                           "rest.auth.jaas.config says where its credentials are");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("rest.extension.classes", "a,a"),
                           "REST extension class a is not supported by kconnect");
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("rest.extension.classes", ""), "OK");
}

static void test_rest_basic_auth_jaas_file(void)
{
    char path[] = "/tmp/kc_jaas_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    const char text[] = "// the broker's entries come first\n"
                        "KafkaServer { org.apache.kafka.common.security.plain.PlainLoginModule required "
                        "username=\"a\" password=\"b}\"; };\n"
                        "/* Connect's REST API */\n"
                        "KafkaConnect {\n"
                        "  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n"
                        "  file=\"/opt/connect/credentials.properties\";\n"
                        "};\n";
    CU_ASSERT_FATAL(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    kc_worker_config *wc = worker(KC_WORKER_STANDALONE, STANDALONE_MIN,
                                  KV("rest.extension.classes", "BasicAuthSecurityRestExtension",
                                     "rest.auth.jaas.config", path));
    CU_ASSERT_STRING_EQUAL(wc->rest_basic_auth_file, "/opt/connect/credentials.properties");
    kc_worker_config_free(wc);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("KafkaServer { x required; };\n", f);
    fclose(f);
    char want[256];
    snprintf(want, sizeof want, "rest.auth.jaas.config: %s has no KafkaConnect entry", path);
    CU_ASSERT_STRING_EQUAL(START_STANDALONE("rest.extension.classes", "basic-auth", "rest.auth.jaas.config", path),
                           want);
    unlink(path);
    const char *msg = START_STANDALONE("rest.extension.classes", "basic-auth", "rest.auth.jaas.config", path);
    CU_ASSERT(starts_with(msg, "rest.auth.jaas.config: cannot read "));
}

/* ---- client prefixes --------------------------------------------------------------------------- */

static const char *const CLIENT_WORKER[] = {
    "bootstrap.servers", "b1:9092, b2:9092",
    "key.converter", JSON_CONVERTER,
    "value.converter", JSON_CONVERTER,
    "offset.storage.file.filename", "/tmp/o",
    "security.protocol", "SASL_SSL",
    "config.providers", "file",
    "producer.security.protocol", "SSL",
    "producer.acks", "1",
    "producer.", "ignored",
    "consumer.max.poll.records", "100",
    "consumer.auto.offset.reset", "latest",
    "admin.request.timeout.ms", "5000",
    "admin.client.id", "admin-override",
    NULL,
};

static void test_producer_and_consumer_props(void)
{
    kc_worker_config *wc = worker(KC_WORKER_STANDALONE, CLIENT_WORKER, NULL);
    kc_error err;
    kc_props *p = kc_worker_config_producer_props_new(wc, "connector-producer-c-0", &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "bootstrap.servers"), "b1:9092,b2:9092");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "enable.idempotence"), "false");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "acks"), "1"); /* producer.acks wins over Connect's "all" */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "max.in.flight.requests.per.connection"), "1");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "delivery.timeout.ms"), "2147483647");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "client.id"), "connector-producer-c-0");
    /* only bootstrap.servers + producer.*: the unprefixed security settings do not reach it */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "security.protocol"), "SSL");
    CU_ASSERT_PTR_NULL(kc_props_get(p, "max.poll.records"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, ""));
    CU_ASSERT_EQUAL(kc_props_count(p), 7);
    kc_props_free(p);

    p = kc_worker_config_consumer_props_new(wc, "connect-c", NULL, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "group.id"), "connect-c");
    CU_ASSERT_PTR_NULL(kc_props_get(p, "client.id"));
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "bootstrap.servers"), "b1:9092,b2:9092");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "enable.auto.commit"), "false");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "auto.offset.reset"), "latest");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "max.poll.records"), "100");
    CU_ASSERT_PTR_NULL(kc_props_get(p, "security.protocol"));
    CU_ASSERT_EQUAL(kc_props_count(p), 5);
    kc_props_free(p);
    kc_worker_config_free(wc);
}

static void test_admin_props(void)
{
    kc_worker_config *wc = worker(KC_WORKER_STANDALONE, CLIENT_WORKER, NULL);
    kc_error err;
    kc_props *p = kc_worker_config_admin_props_new(wc, "connector-adminclient-c", &err);
    CU_ASSERT_FATAL(p != NULL);
    /* Java keeps every unprefixed worker key for admin clients, then admin.* */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "security.protocol"), "SASL_SSL");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "request.timeout.ms"), "5000");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "client.id"), "admin-override");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "bootstrap.servers"), "b1:9092, b2:9092"); /* the original text */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "key.converter"), JSON_CONVERTER);
    CU_ASSERT_PTR_NULL(kc_props_get(p, "config.providers"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "acks"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "producer.acks"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "consumer.max.poll.records"));
    CU_ASSERT_PTR_NULL(kc_props_get(p, "admin.request.timeout.ms"));
    kc_props_free(p);
    kc_worker_config_free(wc);
}

/* ---- connector configs -------------------------------------------------------------------------- */

static void test_connector_missing_keys(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK, KV("tasks.max", "1")),
                 "name: Missing required configuration \"name\" which has no default value.\n"
                 "connector.class: Missing required configuration \"connector.class\" which has no default "
                 "value.\n"
                 "topics: Must configure one of topics or topics.regex\n"
                 "topics.regex: Must configure one of topics or topics.regex\n");
}

static void test_connector_name_rules(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE, KV("name", "", "connector.class", "X")),
                 "name: Invalid value  for configuration name: String may not be empty\n");
    /* trailing control characters are trimmed away first, as String.trim() does */
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE, KV("name", "a\tb\001", "connector.class", "X")),
                 "name: Invalid value a\tb for configuration name: String may not contain control sequences but "
                 "had the following ASCII chars: 9\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE, KV("name", "a\nb\x7f" "c", "connector.class", "X")),
                 "name: Invalid value a\nb\x7f" "c for configuration name: String may not contain control sequences "
                 "but had the following ASCII chars: 10, 127\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE, KV("name", "my-connector", "connector.class", "X")), "");
}

static void test_connector_common_errors(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE,
                                   KV("name", "c", "connector.class", "X", "tasks.max", "0", "errors.tolerance",
                                      "ALL", "config.action.reload", "foo", "errors.retry.timeout", "x",
                                      "tasks.max.enforce", "maybe")),
                 "tasks.max: Invalid value 0 for configuration tasks.max: Value must be at least 1\n"
                 "tasks.max.enforce: Invalid value maybe for configuration tasks.max.enforce: Expected value to be "
                 "either true or false\n"
                 "config.action.reload: Invalid value foo for configuration config.action.reload: String must be "
                 "one of: none, restart\n"
                 "errors.retry.timeout: Invalid value x for configuration errors.retry.timeout: Not a number of "
                 "type LONG\n"
                 "errors.tolerance: Invalid value ALL for configuration errors.tolerance: String must be one of: "
                 "none, all\n");
}

static void test_alias_duplicates(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SOURCE,
                                   KV("name", "c", "connector.class", "X", "transforms", "a, b, a", "predicates",
                                      "p,p", "topic.creation.groups", "g,h,g")),
                 "transforms: Invalid value [a, b, a] for configuration transforms: Duplicate alias provided.\n"
                 "predicates: Invalid value [p, p] for configuration predicates: Duplicate alias provided.\n"
                 "topic.creation.groups: Invalid value [g, h, g] for configuration topic.creation.groups: "
                 "Duplicate alias provided.\n");
}

static void test_sink_topics_rules(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                   KV("name", "c", "connector.class", "X", "topics", "a, b", "topics.regex", "b.*")),
                 "topics: topics and topics.regex are mutually exclusive options, but both are set.\n"
                 "topics.regex: topics and topics.regex are mutually exclusive options, but both are set.\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                   KV("name", "c", "connector.class", "X", "topics", " ", "topics.regex", "")),
                 "topics: Must configure one of topics or topics.regex\n"
                 "topics.regex: Must configure one of topics or topics.regex\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                   KV("name", "c", "connector.class", "X", "topics", "a,a")),
                 "topics: Configuration 'topics' values must not be duplicated.\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK, KV("name", "c", "connector.class", "X", "topics", "a")),
                 "");
}

static void test_sink_dlq_rules(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                   KV("name", "c", "connector.class", "X", "topics", "a, dlq,a",
                                      "errors.deadletterqueue.topic.name", " dlq ")),
                 "topics: Configuration 'topics' values must not be duplicated.\n"
                 "topics: The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') "
                 "consumed by the connector\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                   KV("name", "c", "connector.class", "X", "topics.regex", "d.*",
                                      "errors.deadletterqueue.topic.name", "dlq")),
                 "topics.regex: The DLQ topic 'dlq' may not be matched by the regex for the topics "
                 "('topics.regex=d.*') consumed by the connector\n");
    /* a full match, as Matcher.matches() */
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                   KV("name", "c", "connector.class", "X", "topics.regex", "d",
                                      "errors.deadletterqueue.topic.name", "dlq")),
                 "");
}

static void test_sink_check_startup(void)
{
    kc_error err;
    kc_props *p = props_with(KV("name", "c"), NULL);
    CU_ASSERT_EQUAL(kc_connector_config_check_sink(p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value null for configuration topics: Must configure one of topics or "
                                    "topics.regex");
    kc_props_free(p);
    p = props_with(KV("topics", "a", "topics.regex", "b"), NULL);
    CU_ASSERT_EQUAL(kc_connector_config_check_sink(p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value a for configuration topics: topics and topics.regex are mutually "
                                    "exclusive options, but both are set.");
    kc_props_free(p);
    p = props_with(KV("topics", "a, b", "errors.deadletterqueue.topic.name", " b "), NULL);
    CU_ASSERT_EQUAL(kc_connector_config_check_sink(p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value a, b for configuration topics: The DLQ topic 'b' may not be "
                                    "included in the list of topics ('topics=[a, b]') consumed by the connector");
    kc_props_free(p);
    p = props_with(KV("topics.regex", "b.*", "errors.deadletterqueue.topic.name", "bx"), NULL);
    CU_ASSERT_EQUAL(kc_connector_config_check_sink(p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value b.* for configuration topics.regex: The DLQ topic 'bx' may not be "
                                    "matched by the regex for the topics ('topics.regex=b.*') consumed by the "
                                    "connector");
    kc_props_free(p);
    p = props_with(KV("topics", " ", "topics.regex", " "), NULL);
    CU_ASSERT_EQUAL(kc_connector_config_check_sink(p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value   for configuration topics: Must configure one of topics or "
                                    "topics.regex");
    kc_props_free(p);
    p = props_with(KV("topics", "a,,b,a", "errors.deadletterqueue.topic.name", "c"), NULL);
    CU_ASSERT_EQUAL(kc_connector_config_check_sink(p, &err), 0);
    kc_config_strs topics = { 0 };
    CU_ASSERT(kc_connector_config_sink_topics(p, &topics) == 0);
    CU_ASSERT_EQUAL_FATAL(topics.count, 2);
    CU_ASSERT_STRING_EQUAL(topics.items[0], "a");
    CU_ASSERT_STRING_EQUAL(topics.items[1], "b");
    kc_config_strs_clear(&topics);
    kc_props_free(p);
}

static void test_java_regexes(void)
{
    char *got = validation_errors(KC_CONNECTOR_CONFIG_SINK,
                                  KV("name", "c", "connector.class", "X", "topics.regex", "("));
    CU_ASSERT(starts_with(got, "topics.regex: Invalid value ( for configuration topics.regex: Invalid regex: "));
    free(got);
    kc_error err;
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("orders-\\d+", "orders-12", &err), 1);
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("orders-\\d+", "orders-x", &err), 0);
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("(?:a|b)\\.\\w+", "b.topic_1", &err), 1);
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("[\\w.-]+", "a.b-c", &err), 1);
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("[^\\d]+", "abc", &err), 1);
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("topic", "topic-1", &err), 0);
    CU_ASSERT_EQUAL(kc_connector_config_regex_matches("a(", "a", &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
}

static void test_plugin_version_ranges(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE,
                                   KV("name", "c", "connector.class", "X", "connector.plugin.version", "[1.0",
                                      "key.converter.plugin.version", "(1.0)", "value.converter.plugin.version",
                                      "[1.0,2.0),[1.5,)", "header.converter.plugin.version", "[2.0,1.0]")),
                 "connector.plugin.version: Unbounded range: [1.0\n"
                 "key.converter.plugin.version: Single version must be surrounded by []: (1.0)\n"
                 "value.converter.plugin.version: Ranges overlap: [1.0,2.0),[1.5,)\n"
                 "header.converter.plugin.version: Range defies version ordering: [2.0,1.0]\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE,
                                   KV("name", "c", "connector.class", "X", "connector.plugin.version", "[1.0,1.0)",
                                      "key.converter.plugin.version", "[1.10,1.9]", "value.converter.plugin.version",
                                      "[1.0,2.0),3.0")),
                 "connector.plugin.version: Range defies version ordering: [1.0,1.0)\n"
                 "key.converter.plugin.version: Range defies version ordering: [1.10,1.9]\n"
                 "value.converter.plugin.version: Only fully-qualified sets allowed in multiple set scenario: "
                 "[1.0,2.0),3.0\n");
    /* accepted by Java too */
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_BASE,
                                   KV("name", "c", "connector.class", "X", "connector.plugin.version", "[1.0.0,1.0]",
                                      "key.converter.plugin.version", "[1.0-SNAPSHOT,1.0]",
                                      "value.converter.plugin.version", "1.0,2.0", "header.converter.plugin.version",
                                      "[1.0,2.0),[3.0,)")),
                 "");
}

static void test_source_key_errors(void)
{
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SOURCE,
                                   KV("name", "c", "connector.class", "X", "exactly.once.support", "foo",
                                      "transaction.boundary", "bar", "transaction.boundary.interval.ms", "-1",
                                      "offsets.storage.topic", " ")),
                 "exactly.once.support: Invalid value foo for configuration exactly.once.support: String must be "
                 "one of (case insensitive): REQUIRED, REQUESTED\n"
                 "transaction.boundary: Invalid value bar for configuration transaction.boundary: String must be "
                 "one of (case insensitive): INTERVAL, POLL, CONNECTOR\n"
                 "transaction.boundary.interval.ms: Invalid value -1 for configuration "
                 "transaction.boundary.interval.ms: Value must be at least 0\n"
                 "offsets.storage.topic: Invalid value  for configuration offsets.storage.topic: String must be "
                 "non-empty\n");
    errors_equal(validation_errors(KC_CONNECTOR_CONFIG_SOURCE,
                                   KV("name", "c", "connector.class", "X", "exactly.once.support", "REQUIRED",
                                      "transaction.boundary", "Connector", "transaction.boundary.interval.ms", "0")),
                 "");
}

/* ---- JSON and docs ----------------------------------------------------------------------------- */

/* ConfigKeyInfo as GET /connector-plugins/{p}/config serialises it (4.3.1's record: order_in_group). */
static void test_key_info_json(void)
{
    kc_config_def *def = connector_def(KC_CONNECTOR_CONFIG_SINK);
    const char *want[][2] = {
        { "name", "{\"name\":\"name\",\"type\":\"STRING\",\"required\":true,\"default_value\":null,\"importance\":"
                  "\"HIGH\",\"documentation\":\"Globally unique name to use for this connector.\",\"group\":"
                  "\"Common\",\"order_in_group\":1,\"width\":\"MEDIUM\",\"display_name\":\"Connector name\","
                  "\"dependents\":[]}" },
        { "tasks.max", "{\"name\":\"tasks.max\",\"type\":\"INT\",\"required\":false,\"default_value\":\"1\","
                       "\"importance\":\"HIGH\",\"documentation\":\"Maximum number of tasks to use for this "
                       "connector.\",\"group\":\"Common\",\"order_in_group\":4,\"width\":\"SHORT\","
                       "\"display_name\":\"Tasks max\",\"dependents\":[]}" },
        { "topics.regex", "{\"name\":\"topics.regex\",\"type\":\"STRING\",\"required\":false,\"default_value\":"
                          "\"\",\"importance\":\"HIGH\",\"documentation\":\"Regular expression giving topics to "
                          "consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. "
                          "Only one of topics or topics.regex should be specified.\",\"group\":\"Common\","
                          "\"order_in_group\":4,\"width\":\"LONG\",\"display_name\":\"Topics regex\","
                          "\"dependents\":[]}" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        long at = kc_config_def_find(def, want[i][0]);
        CU_ASSERT_FATAL(at >= 0);
        json_t *j = kc_config_key_info_json_new(def, (size_t)at);
        char *text = kc_config_json_dumps(j);
        if (strcmp(text, want[i][1]) != 0)
            fprintf(stderr, "\n%s\n", text);
        CU_ASSERT_STRING_EQUAL(text, want[i][1]);
        free(text);
        json_decref(j);
    }
    kc_config_def_free(def);
}

static void test_markdown_rows(void)
{
    kc_error err;
    kc_config_def *def = kc_worker_config_def_new(KC_WORKER_DISTRIBUTED, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    char *md = kc_config_def_markdown_new(def);
    CU_ASSERT_FATAL(md != NULL);
    const char *head = "| Name | Type | Default | Valid Values | Importance | Description |\n"
                       "|---|---|---|---|---|---|\n";
    CU_ASSERT(starts_with(md, head));
    /* required keys first, then by importance, then by name (ConfigDef.sortedConfigs) */
    CU_ASSERT(strstr(md, "\n| `bootstrap.servers` | list |  |  | high | A list of host/port pairs") != NULL);
    CU_ASSERT(strstr(md, "\n| `group.id` | string |  |  | high | A unique string that identifies the Connect "
                         "cluster group this worker belongs to. |\n") != NULL);
    CU_ASSERT(strstr(md, "\n| `offset.storage.partitions` | int | 25 | Positive number, or -1 to use the broker's "
                         "default | low | The number of partitions used when creating the offset storage topic "
                         "|\n") != NULL);
    CU_ASSERT(strstr(md, "\n| `offset.flush.interval.ms` | long | 60000 (1 minute) |  | low | Interval at which to "
                         "try committing offsets for tasks. |\n") != NULL);
    CU_ASSERT(strstr(md, "\n| `admin.listeners` | list | null |  | low | List of comma-separated URIs the Admin REST "
                         "API will listen on.") != NULL);
    CU_ASSERT(strstr(md, "\n| `connect.protocol` | string | sessioned | [eager, compatible, sessioned] | low | "
                         "Compatibility mode for Kafka Connect Protocol |\n") != NULL);
    CU_ASSERT(strstr(md, "`security.protocol`") == NULL);
    const char *bootstrap = strstr(md, "`bootstrap.servers`"), *group = strstr(md, "`group.id`");
    const char *session = strstr(md, "`session.timeout.ms`"), *flush = strstr(md, "`offset.flush.interval.ms`");
    CU_ASSERT(bootstrap && group && session && flush && bootstrap < group && group < session && session < flush);
    free(md);
    kc_config_def_free(def);
}

/* doc/config-*.md are generated (`cmake --build <dir> --target kc_docs`) and must be current. */
static void test_docs_are_current(void)
{
    const char *data = getenv("KC_TEST_DATA");
    CU_ASSERT_FATAL(data != NULL);
    const char *names[] = { "config-worker.md", "config-connector.md" };
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/../../../doc/%s", data, names[i]);
        FILE *f = fopen(path, "rb");
        CU_ASSERT_FATAL(f != NULL);
        static char text[1 << 20];
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        char *want = i == 0 ? kc_worker_config_docs_new() : kc_connector_config_docs_new();
        CU_ASSERT_FATAL(want != NULL);
        if (strcmp(text, want) != 0)
            fprintf(stderr, "%s is stale: run the kc_docs build target\n", path);
        CU_ASSERT_STRING_EQUAL(text, want);
        free(want);
    }
}

int main(void)
{
    static const kc_test_case cases[] = {
        { "standalone def matches Java", test_standalone_def_matches_java },
        { "distributed def matches Java", test_distributed_def_matches_java },
        { "sink def matches Java", test_sink_def_matches_java },
        { "source def matches Java", test_source_def_matches_java },
        { "standalone parse", test_standalone_parse },
        { "standalone required keys", test_standalone_required_keys },
        { "bootstrap.servers rules", test_bootstrap_servers_rules },
        { "worker value errors", test_worker_value_errors },
        { "client keys left to the client table", test_client_keys_left_to_client_table },
        { "distributed required keys", test_distributed_required_keys },
        { "distributed defaults", test_distributed_defaults },
        { "distributed value errors", test_distributed_value_errors },
        { "distributed enums in any case", test_distributed_enums_any_case },
        { "inter-worker key settings", test_inter_worker_key_settings },
        { "listeners rules", test_listeners_rules },
        { "response header rules", test_response_header_rules },
        { "REST config, admin.listeners unset", test_rest_config_admin_unset },
        { "REST config, admin.listeners empty", test_rest_config_admin_empty },
        { "REST config, admin.listeners set", test_rest_config_admin_set },
        { "REST basic auth", test_rest_basic_auth },
        { "REST basic auth from a JAAS file", test_rest_basic_auth_jaas_file },
        { "producer and consumer props", test_producer_and_consumer_props },
        { "admin props", test_admin_props },
        { "connector missing keys", test_connector_missing_keys },
        { "connector name rules", test_connector_name_rules },
        { "connector common errors", test_connector_common_errors },
        { "alias duplicates", test_alias_duplicates },
        { "sink topics rules", test_sink_topics_rules },
        { "sink DLQ rules", test_sink_dlq_rules },
        { "sink start-up check", test_sink_check_startup },
        { "Java regexes", test_java_regexes },
        { "plugin version ranges", test_plugin_version_ranges },
        { "source key errors", test_source_key_errors },
        { "key info JSON", test_key_info_json },
        { "markdown rows", test_markdown_rows },
        { "docs are current", test_docs_are_current },
        { NULL, NULL },
    };
    return kc_test_run("worker_config", cases);
}
