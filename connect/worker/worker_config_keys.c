/*
 * The worker's configuration tables: Java's WorkerConfig.baseConfigDef() (with RestServerConfig's
 * public keys), StandaloneConfig and DistributedConfig of Apache Kafka 4.3.1, key for key in Java's
 * order, with Java's documentation. See worker_config.h for what is left out and why.
 *
 * The validators Java writes as lambdas are CHECK validators here, with Java's messages and
 * descriptions ("Positive number, or -1 to use the broker's default").
 */
#include "connect/worker/worker_config_internal.h"

#include <stdlib.h>

#include "rest/listeners.h"

/* ---- validators -------------------------------------------------------------------------------- */

/* RestServerConfig.ListenersValidator */
static int check_listeners(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    (void)opaque;
    if (value->is_null)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value type for listeners (expected list of URLs , ex: "
                                                 "http://localhost:8080,https://localhost:8443).");
    if (value->list.count == 0)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value for listeners, at least one URL is expected, ex: "
                                                 "http://localhost:8080,https://localhost:8443.");
    for (size_t i = 0; i < value->list.count; i++)
        if (kc_worker_is_blank(value->list.items[i]))
            return kc_error_set(err, KC_ERR_INVALID, "Empty URL found when parsing listeners list.");
    return 0;
}

/* RestServerConfig.ResponseHttpHeadersValidator: the REST server's own parser, which has Java's
 * messages. */
static int check_header_rules(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)name;
    (void)opaque;
    if (value->is_null)
        return 0;
    kc_header_rule *rules = calloc(KC_REST_MAX_HEADER_RULES, sizeof *rules);
    if (!rules)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int n = kc_rest_header_rules_parse(value->string, rules, KC_REST_MAX_HEADER_RULES, err);
    free(rules);
    return n < 0 ? -1 : 0;
}

/* TopicAdmin.NO_PARTITIONS / NO_REPLICATION_FACTOR: -1 means "the broker's default". */
static int check_partitions(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (!value->is_null && value->integer != -1 && value->integer < 1)
        return kc_config_error_invalid(err, name, value,
                                       "Number of partitions must be positive, or -1 to use the broker's default");
    return 0;
}

static int check_replication_factor(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (!value->is_null && value->integer != -1 && value->integer < 1)
        return kc_config_error_invalid(err, name, value,
                                       "Replication factor must be positive and not larger than the number of "
                                       "brokers in the Kafka cluster, or -1 to use the broker's default");
    return 0;
}

static int check_connect_protocol(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null || kc_worker_protocol_parse(value->string) < 0)
        return kc_config_error_invalid(err, name, value, "Invalid Connect protocol compatibility");
    return 0;
}

/* The supported algorithms, listed as Java lists them (its HashSet order, HMAC entries only). */
static const char KEY_ALGORITHMS[] = "[HmacSHA3-384, HmacSHA3-512, HmacSHA3-256, HmacSHA3-224, HmacSHA512, "
                                     "HmacSHA512/256, HmacSHA512/224, HmacSHA224, HmacMD5, HmacSHA256, "
                                     "HmacSHA384, HmacSHA1]";
static const char MAC_ALGORITHMS[] = "[HmacSHA3-512, HmacSHA3-256, HmacSHA512, HmacSHA512/256, HmacMD5, "
                                     "HmacSHA256, HmacSHA1, HmacSHA3-384, HmacSHA3-224, HmacSHA512/224, "
                                     "HmacSHA224, HmacSHA384]";

static int unsupported_algorithm(kc_error *err, const char *name, const char *algorithm, const char *list)
{
    kc_config_value v = { .type = KC_CONFIG_STRING, .is_null = algorithm == NULL, .string = (char *)algorithm };
    return kc_config_error_invalid(err, name, &v,
                                   "the algorithm is not supported by this JVM; the supported algorithms are: %s",
                                   list);
}

static int check_key_algorithm(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null || !kc_worker_config_hmac_digest(value->string))
        return unsupported_algorithm(err, name, value->is_null ? NULL : value->string, KEY_ALGORITHMS);
    return 0;
}

static int check_mac_algorithm(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null || !kc_worker_config_hmac_digest(value->string))
        return unsupported_algorithm(err, name, value->is_null ? NULL : value->string, MAC_ALGORITHMS);
    return 0;
}

static int check_mac_algorithms(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null)
        return 0;
    if (value->list.count == 0)
        return kc_config_error_invalid(err, name, value,
                                       "At least one signature verification algorithm must be provided");
    for (size_t i = 0; i < value->list.count; i++)
        if (!kc_worker_config_hmac_digest(value->list.items[i]))
            return unsupported_algorithm(err, name, value->list.items[i], MAC_ALGORITHMS);
    return 0;
}

#define V_LISTENERS                              \
    KC_CONFIG_CHECK(check_listeners, NULL,       \
                    "List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443.")
#define V_HEADER_RULES                                                                                          \
    KC_CONFIG_CHECK(check_header_rules, NULL,                                                                   \
                    "Comma-separated header rules, where each header rule is of the form '[action] [header "    \
                    "name]:[header value]' and optionally surrounded by double quotes if any part of a header " \
                    "rule contains a comma")
#define V_PARTITIONS KC_CONFIG_CHECK(check_partitions, NULL, "Positive number, or -1 to use the broker's default")
#define V_REPLICATION_FACTOR                                                                                     \
    KC_CONFIG_CHECK(check_replication_factor, NULL,                                                              \
                    "Positive number not larger than the number of brokers in the Kafka cluster, or -1 to use " \
                    "the broker's default")
#define V_CONNECT_PROTOCOL KC_CONFIG_CHECK(check_connect_protocol, NULL, "[eager, compatible, sessioned]")
#define V_KEY_ALGORITHM \
    KC_CONFIG_CHECK(check_key_algorithm, NULL, "Any KeyGenerator algorithm supported by the worker JVM")
#define V_MAC_ALGORITHM KC_CONFIG_CHECK(check_mac_algorithm, NULL, "Any MAC algorithm supported by the worker JVM")
#define V_MAC_ALGORITHMS                         \
    KC_CONFIG_CHECK(check_mac_algorithms, NULL,  \
                    "A list of one or more MAC algorithms, each supported by the worker JVM")

/* ---- WorkerConfig.baseConfigDef() --------------------------------------------------------------- */

static const kc_config_key base_keys[] = {
    KC_CONFIG_KEY("bootstrap.servers", KC_CONFIG_LIST,
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(false, false), .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "A list of host/port pairs used to establish the initial connection to the Kafka "
                      "cluster. Clients use this list to bootstrap and discover the full set of Kafka "
                      "brokers. While the order of servers in the list does not matter, we recommend "
                      "including more than one server to ensure resilience if any servers are down. This "
                      "list does not need to contain the entire set of brokers, as Kafka clients "
                      "automatically manage and update connections to the cluster efficiently. This list "
                      "must be in the form <code>host1:port1,host2:port2,...</code>."),
    KC_CONFIG_KEY("client.dns.lookup", KC_CONFIG_STRING,
                  .default_value = "use_all_dns_ips",
                  .validator = KC_CONFIG_IN("use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "Controls how the client uses DNS lookups. If set to <code>use_all_dns_ips</code>, "
                      "connect to each returned IP address in sequence until a successful connection is "
                      "established. After a disconnection, the next IP is used. Once all IPs have been "
                      "used once, the client resolves the IP(s) from the hostname again (both the JVM and "
                      "the OS cache DNS name lookups, however). If set to "
                      "<code>resolve_canonical_bootstrap_servers_only</code>, resolve each bootstrap "
                      "address into a list of canonical names. After the bootstrap phase, this behaves the "
                      "same as <code>use_all_dns_ips</code>."),
    KC_CONFIG_KEY("key.converter", KC_CONFIG_CLASS,
                  .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "Converter class used to convert between Kafka Connect format and the serialized "
                      "form that is written to Kafka. This controls the format of the keys in messages "
                      "written to or read from Kafka, and since this is independent of connectors it "
                      "allows any connector to work with any serialization format. Examples of common "
                      "formats include JSON and Avro."),
    KC_CONFIG_KEY("key.converter.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation = "Version of the key converter."),
    KC_CONFIG_KEY("value.converter", KC_CONFIG_CLASS,
                  .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "Converter class used to convert between Kafka Connect format and the serialized "
                      "form that is written to Kafka. This controls the format of the values in messages "
                      "written to or read from Kafka, and since this is independent of connectors it "
                      "allows any connector to work with any serialization format. Examples of common "
                      "formats include JSON and Avro."),
    KC_CONFIG_KEY("value.converter.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation = "Version of the value converter."),
    KC_CONFIG_KEY("task.shutdown.graceful.timeout.ms", KC_CONFIG_LONG,
                  .default_value = "5000", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Amount of time to wait for tasks to shutdown gracefully. This is the total amount "
                      "of time, not per task. All task have shutdown triggered, then they are waited on "
                      "sequentially."),
    KC_CONFIG_KEY("offset.flush.interval.ms", KC_CONFIG_LONG,
                  .default_value = "60000", .importance = KC_CONFIG_LOW,
                  .documentation = "Interval at which to try committing offsets for tasks."),
    KC_CONFIG_KEY("offset.flush.timeout.ms", KC_CONFIG_LONG,
                  .default_value = "5000", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Maximum number of milliseconds to wait for records to flush and partition offset "
                      "data to be committed to offset storage before cancelling the process and restoring "
                      "the offset data to be committed in a future attempt. This property has no effect "
                      "for source connectors running with exactly-once support."),
    /* kconnect: limits of the replication tasks (/replications); defaults are the product's */
    KC_CONFIG_KEY("replications.max", KC_CONFIG_INT,
                  .default_value = "18", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation = "kconnect: the most replication tasks (/replications) a Connect cluster accepts; "
                                   "a task replicating both ways counts once."),
    KC_CONFIG_KEY("replications.topics.max", KC_CONFIG_INT,
                  .default_value = "20", .validator = KC_CONFIG_AT_LEAST(1), .importance = KC_CONFIG_LOW,
                  .documentation = "kconnect: the most topic names one replication task may list."),
    KC_CONFIG_KEY("replications.topic.mappings.max", KC_CONFIG_INT,
                  .default_value = "20", .validator = KC_CONFIG_AT_LEAST(1), .importance = KC_CONFIG_LOW,
                  .documentation = "kconnect: the most topic mappings (source -> target) of one replication task."),
    KC_CONFIG_KEY("plugin.path", KC_CONFIG_LIST,
                  .default_value = KC_CONFIG_NULL, .validator = KC_CONFIG_LIST_NO_DUPLICATES(false, true),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "List of paths separated by commas (,) that contain plugins (connectors, converters, "
                      "transformations). The list should consist of top level directories that include any "
                      "combination of: \na) directories immediately containing jars with plugins and their "
                      "dependencies\nb) uber-jars with plugins and their dependencies\nc) directories "
                      "immediately containing the package directory structure of classes of plugins and "
                      "their dependencies\nNote: symlinks will be followed to discover dependencies or "
                      "plugins.\nExamples: "
                      "plugin.path=/usr/local/share/java,/usr/local/share/kafka/plugins,/opt/connectors\nDo "
                      "not use config provider variables in this property, since the raw path is used by "
                      "the worker's scanner before config providers are initialized and used to replace "
                      "variables."),
    KC_CONFIG_KEY("plugin.discovery", KC_CONFIG_STRING,
                  .default_value = "hybrid_warn",
                  .validator = KC_CONFIG_IN_ANY_CASE("only_scan", "hybrid_warn", "hybrid_fail",
                                                     "service_load"),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Method to use to discover plugins present in the classpath and plugin.path "
                      "configuration. This can be one of multiple values with the following meanings:\n* "
                      "only_scan: Discover plugins only by reflection. Plugins which are not discoverable "
                      "by ServiceLoader will not impact worker startup.\n* hybrid_warn: Discover plugins "
                      "reflectively and by ServiceLoader. Plugins which are not discoverable by "
                      "ServiceLoader will print warnings during worker startup.\n* hybrid_fail: Discover "
                      "plugins reflectively and by ServiceLoader. Plugins which are not discoverable by "
                      "ServiceLoader will cause worker startup to fail.\n* service_load: Discover plugins "
                      "only by ServiceLoader. Faster startup than other modes. Plugins which are not "
                      "discoverable by ServiceLoader may not be usable."),
    KC_CONFIG_KEY("metrics.sample.window.ms", KC_CONFIG_LONG,
                  .default_value = "30000", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation = "The window of time a metrics sample is computed over."),
    KC_CONFIG_KEY("metrics.num.samples", KC_CONFIG_INT,
                  .default_value = "2", .validator = KC_CONFIG_AT_LEAST(1), .importance = KC_CONFIG_LOW,
                  .documentation = "The number of samples maintained to compute metrics."),
    KC_CONFIG_KEY("metrics.recording.level", KC_CONFIG_STRING,
                  .default_value = "INFO", .validator = KC_CONFIG_IN("INFO", "DEBUG"),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The highest recording level for metrics. It has three levels for recording metrics "
                      "- info, debug, and trace.\n \nINFO level records only essential metrics necessary "
                      "for monitoring system performance and health. It collects vital data without "
                      "gathering too much detail, making it suitable for production environments where "
                      "minimal overhead is desired.\n\nDEBUG level records most metrics, providing more "
                      "detailed information about the system's operation. It's useful for development and "
                      "testing environments where you need deeper insights to debug and fine-tune the "
                      "application.\n\nTRACE level records all possible metrics, capturing every detail "
                      "about the system's performance and operation. It's best for controlled environments "
                      "where in-depth analysis is required, though it can introduce significant overhead."),
    KC_CONFIG_KEY("metric.reporters", KC_CONFIG_LIST,
                  .default_value = "org.apache.kafka.common.metrics.JmxReporter",
                  .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "A list of classes to use as metrics reporters. Implementing the "
                      "<code>org.apache.kafka.common.metrics.MetricsReporter</code> interface allows "
                      "plugging in classes that will be notified of new metric creation. When custom "
                      "reporters are set and <code>org.apache.kafka.common.metrics.JmxReporter</code> is "
                      "needed, it has to be explicitly added to the list."),
    KC_CONFIG_KEY("header.converter", KC_CONFIG_CLASS,
                  .default_value = "org.apache.kafka.connect.storage.SimpleHeaderConverter",
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "HeaderConverter class used to convert between Kafka Connect format and the "
                      "serialized form that is written to Kafka. This controls the format of the header "
                      "values in messages written to or read from Kafka, and since this is independent of "
                      "connectors it allows any connector to work with any serialization format. Examples "
                      "of common formats include JSON and Avro. By default, the SimpleHeaderConverter is "
                      "used to serialize header values to strings and deserialize them by inferring the "
                      "schemas."),
    KC_CONFIG_KEY("header.converter.plugin.version", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation = "Version of the header converter."),
    KC_CONFIG_KEY("config.providers", KC_CONFIG_LIST,
                  .default_value = "", .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Comma-separated alias names for classes implementing the "
                      "<code>ConfigProvider</code> interface. This enables loading configuration data "
                      "(such as passwords, API keys, and other credentials) from external sources. For "
                      "example, see <a "
                      "href=\"https://kafka.apache.org/documentation/#config_providers\">Configuration "
                      "Providers</a>."),
    KC_CONFIG_KEY("connector.client.config.override.policy", KC_CONFIG_STRING,
                  .default_value = "All", .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "Class name or alias of implementation of "
                      "<code>ConnectorClientConfigOverridePolicy</code>. Defines what client "
                      "configurations can be overridden by the connector. The default policy is "
                      "<code>All</code>, meaning connector configurations can override all client "
                      "properties. The other possible policies in the framework include "
                      "<code>Allowlist</code> to specify allowed configurations via "
                      "<code>connector.client.config.override.allowlist</code>, <code>None</code> to "
                      "disallow connectors from overriding client properties, and <code>Principal</code> "
                      "(now deprecated) to allow connectors to override only client principals."),
    KC_CONFIG_KEY("topic.creation.enable", KC_CONFIG_BOOLEAN,
                  .default_value = "true", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Whether to allow automatic creation of topics used by source connectors, when "
                      "source connectors are configured with <code>topic.creation.</code> properties. Each "
                      "task will use an admin client to create its topics and will not depend on the Kafka "
                      "brokers to create topics automatically."),
    KC_CONFIG_KEY("topic.tracking.enable", KC_CONFIG_BOOLEAN,
                  .default_value = "true", .importance = KC_CONFIG_LOW,
                  .documentation = "Enable tracking the set of active topics per connector during runtime."),
    KC_CONFIG_KEY("topic.tracking.allow.reset", KC_CONFIG_BOOLEAN,
                  .default_value = "true", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "If set to true, it allows user requests to reset the set of active topics per "
                      "connector."),
    KC_CONFIG_KEY("listeners", KC_CONFIG_LIST,
                  .default_value = "http://:8083",
                  .validator = V_LISTENERS,
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "List of comma-separated URIs the REST API will listen on. The supported protocols "
                      "are HTTP and HTTPS.\n Specify hostname as 0.0.0.0 to bind to all interfaces.\n "
                      "Leave hostname empty to bind to default interface.\n Examples of legal listener "
                      "lists: HTTP://myhost:8083,HTTPS://myhost:8084"),
    KC_CONFIG_KEY("rest.advertised.host.name", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation =
                      "If this is set, this is the hostname that will be given out to other workers to "
                      "connect to."),
    KC_CONFIG_KEY("rest.advertised.port", KC_CONFIG_INT,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation =
                      "If this is set, this is the port that will be given out to other workers to connect "
                      "to."),
    KC_CONFIG_KEY("rest.advertised.listener", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Sets the advertised listener (HTTP or HTTPS) which will be given to other workers "
                      "to use."),
    KC_CONFIG_KEY("access.control.allow.origin", KC_CONFIG_STRING,
                  .default_value = "", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Value to set the Access-Control-Allow-Origin header to for REST API requests.To "
                      "enable cross origin access, set this to the domain of the application that should "
                      "be permitted to access the API, or '*' to allow access from any domain. The default "
                      "value only allows access from the domain of the REST API."),
    KC_CONFIG_KEY("access.control.allow.methods", KC_CONFIG_STRING,
                  .default_value = "", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Sets the methods supported for cross origin requests by setting the "
                      "Access-Control-Allow-Methods header. The default value of the "
                      "Access-Control-Allow-Methods header allows cross origin requests for GET, POST and "
                      "HEAD."),
    KC_CONFIG_KEY("response.http.headers.config", KC_CONFIG_STRING,
                  .default_value = "",
                  .validator = V_HEADER_RULES,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Rules for REST API HTTP response headers"),
    KC_CONFIG_KEY("ssl.client.auth", KC_CONFIG_STRING,
                  .default_value = "none", .validator = KC_CONFIG_IN("required", "requested", "none"),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Configures kafka broker to request client authentication. The following settings "
                      "are common:  <ul> <li><code>ssl.client.auth=required</code> If set to required "
                      "client authentication is required. <li><code>ssl.client.auth=requested</code> This "
                      "means client authentication is optional. unlike required, if this option is set "
                      "client can choose not to provide authentication information about itself "
                      "<li><code>ssl.client.auth=none</code> This means client authentication is not "
                      "needed.</ul>"),
    KC_CONFIG_KEY("rest.extension.classes", KC_CONFIG_LIST,
                  .default_value = "", .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, false),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Comma-separated names of <code>ConnectRestExtension</code> classes, loaded and "
                      "called in the order specified. Implementing the interface  "
                      "<code>ConnectRestExtension</code> allows you to inject into Connect's REST API user "
                      "defined resources like filters. Typically used to add custom capability like "
                      "logging, security, etc. "),
    KC_CONFIG_KEY("admin.listeners", KC_CONFIG_LIST,
                  .default_value = KC_CONFIG_NULL, .validator = KC_CONFIG_LIST_NO_DUPLICATES(true, true),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "List of comma-separated URIs the Admin REST API will listen on. The supported "
                      "protocols are HTTP and HTTPS. An empty or blank string will disable this feature. "
                      "The default behavior is to use the regular listener (specified by the 'listeners' "
                      "property). A comma-separated list of valid URLs, e.g., "
                      "http://localhost:8080,https://localhost:8443."),
    /* kconnect: REST basic authentication without Java's JAAS extension (REST spec §1.6) */
    KC_CONFIG_KEY("rest.auth.basic.file", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation =
                      "kconnect: the credentials file of REST basic authentication, one "
                      "<code>user: password</code> line per user (the format of Kafka's "
                      "PropertyFileLoginModule). Read when <code>rest.extension.classes</code> names "
                      "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension "
                      "(or <code>basic-auth</code>)."),
    KC_CONFIG_KEY("rest.auth.jaas.config", KC_CONFIG_STRING,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation =
                      "kconnect: a JAAS login configuration file (what Java reads from "
                      "<code>-Djava.security.auth.login.config</code>) whose <code>KafkaConnect</code> entry "
                      "names the credentials file in its <code>file</code> option. Used when "
                      "<code>rest.auth.basic.file</code> is not set."),
};

/* ---- StandaloneConfig --------------------------------------------------------------------------- */

static const kc_config_key standalone_keys[] = {
    KC_CONFIG_KEY("offset.storage.file.filename", KC_CONFIG_STRING,
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "File to store source connector offsets"),
};

/* ---- DistributedConfig -------------------------------------------------------------------------- */

static const kc_config_key distributed_keys[] = {
    KC_CONFIG_KEY("group.id", KC_CONFIG_STRING,
                  .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "A unique string that identifies the Connect cluster group this worker belongs to."),
    KC_CONFIG_KEY("session.timeout.ms", KC_CONFIG_INT,
                  .default_value = "10000", .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "The timeout used to detect worker failures. The worker sends periodic heartbeats to "
                      "indicate its liveness to the broker. If no heartbeats are received by the broker "
                      "before the expiration of this session timeout, then the broker will remove the "
                      "worker from the group and initiate a rebalance. Note that the value must be in the "
                      "allowable range as configured in the broker configuration by "
                      "<code>group.min.session.timeout.ms</code> and "
                      "<code>group.max.session.timeout.ms</code>."),
    KC_CONFIG_KEY("rebalance.timeout.ms", KC_CONFIG_INT,
                  .default_value = "60000", .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "The maximum allowed time for each worker to join the group once a rebalance has "
                      "begun. This is basically a limit on the amount of time needed for all tasks to "
                      "flush any pending data and commit offsets. If the timeout is exceeded, then the "
                      "worker will be removed from the group, which will cause offset commit failures."),
    KC_CONFIG_KEY("heartbeat.interval.ms", KC_CONFIG_INT,
                  .default_value = "3000", .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "The expected time between heartbeats to the group coordinator when using Kafka's "
                      "group management facilities. Heartbeats are used to ensure that the worker's "
                      "session stays active and to facilitate rebalancing when new members join or leave "
                      "the group. The value must be set lower than <code>session.timeout.ms</code>, but "
                      "typically should be set no higher than 1/3 of that value. It can be adjusted even "
                      "lower to control the expected time for normal rebalances."),
    KC_CONFIG_KEY("exactly.once.source.support", KC_CONFIG_STRING,
                  .default_value = "disabled",
                  .validator = KC_CONFIG_IN_ANY_CASE("disabled", "preparing", "enabled"),
                  .importance = KC_CONFIG_HIGH,
                  .documentation =
                      "Whether to enable exactly-once support for source connectors in the cluster by "
                      "using transactions to write source records and their source offsets, and by "
                      "proactively fencing out old task generations before bringing up new ones.\nTo "
                      "enable exactly-once source support on a new cluster, set this property to "
                      "'enabled'. To enable support on an existing cluster, first set to 'preparing' on "
                      "every worker in the cluster, then set to 'enabled'. A rolling upgrade may be used "
                      "for both changes. For more information on this feature, see the <a "
                      "href=\"https://kafka.apache.org/documentation.html#connect_exactlyoncesource\">"
                      "exactly-once "
                      "source support documentation</a>."),
    KC_CONFIG_KEY("metadata.max.age.ms", KC_CONFIG_LONG,
                  .default_value = "300000", .validator = KC_CONFIG_AT_LEAST(0),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The period of time in milliseconds after which we force a refresh of metadata even "
                      "if we haven't seen any partition leadership changes to proactively discover any new "
                      "brokers or partitions."),
    KC_CONFIG_KEY("client.id", KC_CONFIG_STRING,
                  .default_value = "", .importance = KC_CONFIG_LOW,
                  .documentation =
                      "An id string to pass to the server when making requests. The purpose of this is to "
                      "be able to track the source of requests beyond just ip/port by allowing a logical "
                      "application name to be included in server-side request logging."),
    KC_CONFIG_KEY("send.buffer.bytes", KC_CONFIG_INT,
                  .default_value = "131072", .validator = KC_CONFIG_AT_LEAST(-1),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "The size of the TCP send buffer (SO_SNDBUF) to use when sending data. If the value "
                      "is -1, the OS default will be used."),
    KC_CONFIG_KEY("receive.buffer.bytes", KC_CONFIG_INT,
                  .default_value = "32768", .validator = KC_CONFIG_AT_LEAST(-1),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "The size of the TCP receive buffer (SO_RCVBUF) to use when reading data. If the "
                      "value is -1, the OS default will be used."),
    KC_CONFIG_KEY("reconnect.backoff.ms", KC_CONFIG_LONG,
                  .default_value = "50", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The base amount of time to wait before attempting to reconnect to a given host. "
                      "This avoids repeatedly connecting to a host in a tight loop. This backoff applies "
                      "to all connection attempts by the client to a broker. This value is the initial "
                      "backoff value and will increase exponentially for each consecutive connection "
                      "failure, up to the <code>reconnect.backoff.max.ms</code> value."),
    KC_CONFIG_KEY("reconnect.backoff.max.ms", KC_CONFIG_LONG,
                  .default_value = "1000", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The maximum amount of time in milliseconds to wait when reconnecting to a broker "
                      "that has repeatedly failed to connect. If provided, the backoff per host will "
                      "increase exponentially for each consecutive connection failure, up to this maximum. "
                      "After calculating the backoff increase, 20% random jitter is added to avoid "
                      "connection storms."),
    KC_CONFIG_KEY("socket.connection.setup.timeout.ms", KC_CONFIG_LONG,
                  .default_value = "10000", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The amount of time the client will wait for the socket connection to be "
                      "established. If the connection is not built before the timeout elapses, clients "
                      "will close the socket channel. This value is the initial backoff value and will "
                      "increase exponentially for each consecutive connection failure, up to the "
                      "<code>socket.connection.setup.timeout.max.ms</code> value."),
    KC_CONFIG_KEY("socket.connection.setup.timeout.max.ms", KC_CONFIG_LONG,
                  .default_value = "30000", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The maximum amount of time the client will wait for the socket connection to be "
                      "established. The connection setup timeout will increase exponentially for each "
                      "consecutive connection failure up to this maximum. To avoid connection storms, a "
                      "randomization factor of 0.2 will be applied to the timeout resulting in a random "
                      "range between 20% below and 20% above the computed value."),
    KC_CONFIG_KEY("retry.backoff.ms", KC_CONFIG_LONG,
                  .default_value = "100", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The amount of time to wait before attempting to retry a failed request to a given "
                      "topic partition. This avoids repeatedly sending requests in a tight loop under some "
                      "failure scenarios. This value is the initial backoff value and will increase "
                      "exponentially for each failed request, up to the <code>retry.backoff.max.ms</code> "
                      "value."),
    KC_CONFIG_KEY("retry.backoff.max.ms", KC_CONFIG_LONG,
                  .default_value = "1000", .validator = KC_CONFIG_AT_LEAST(0), .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The maximum amount of time in milliseconds to wait when retrying a request to the "
                      "broker that has repeatedly failed. If provided, the backoff per client will "
                      "increase exponentially for each failed request, up to this maximum. To prevent all "
                      "clients from being synchronized upon retry, a randomized jitter with a factor of "
                      "0.2 will be applied to the backoff, resulting in the backoff falling within a range "
                      "between 20% below and 20% above the computed value. If "
                      "<code>retry.backoff.ms</code> is set to be higher than "
                      "<code>retry.backoff.max.ms</code>, then <code>retry.backoff.max.ms</code> will be "
                      "used as a constant backoff from the beginning without any exponential increase"),
    KC_CONFIG_KEY("request.timeout.ms", KC_CONFIG_INT,
                  .default_value = "40000", .validator = KC_CONFIG_AT_LEAST(0),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "The configuration controls the maximum amount of time the client will wait for the "
                      "response of a request. If the response is not received before the timeout elapses "
                      "the client will resend the request if necessary or fail the request if retries are "
                      "exhausted."),
    KC_CONFIG_KEY("connections.max.idle.ms", KC_CONFIG_LONG,
                  .default_value = "540000", .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "Close idle connections after the number of milliseconds specified by this config."),
    KC_CONFIG_KEY("worker.sync.timeout.ms", KC_CONFIG_INT,
                  .default_value = "3000", .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "When the worker is out of sync with other workers and needs to resynchronize "
                      "configurations, wait up to this amount of time before giving up, leaving the group, "
                      "and waiting a backoff period before rejoining."),
    KC_CONFIG_KEY("worker.unsync.backoff.ms", KC_CONFIG_INT,
                  .default_value = "300000", .importance = KC_CONFIG_MEDIUM,
                  .documentation =
                      "When the worker is out of sync with other workers and  fails to catch up within the "
                      "<code>worker.sync.timeout.ms</code>, leave the Connect cluster for this long before "
                      "rejoining."),
    KC_CONFIG_KEY("offset.storage.topic", KC_CONFIG_STRING,
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "The name of the Kafka topic where source connector offsets are stored"),
    KC_CONFIG_KEY("offset.storage.partitions", KC_CONFIG_INT,
                  .default_value = "25",
                  .validator = V_PARTITIONS,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "The number of partitions used when creating the offset storage topic"),
    KC_CONFIG_KEY("offset.storage.replication.factor", KC_CONFIG_SHORT,
                  .default_value = "3",
                  .validator = V_REPLICATION_FACTOR,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Replication factor used when creating the offset storage topic"),
    KC_CONFIG_KEY("config.storage.topic", KC_CONFIG_STRING,
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "The name of the Kafka topic where connector configurations are stored"),
    KC_CONFIG_KEY("config.storage.replication.factor", KC_CONFIG_SHORT,
                  .default_value = "3",
                  .validator = V_REPLICATION_FACTOR,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Replication factor used when creating the configuration storage topic"),
    KC_CONFIG_KEY("status.storage.topic", KC_CONFIG_STRING,
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "The name of the Kafka topic where connector and task status are stored"),
    KC_CONFIG_KEY("status.storage.partitions", KC_CONFIG_INT,
                  .default_value = "5",
                  .validator = V_PARTITIONS,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "The number of partitions used when creating the status storage topic"),
    KC_CONFIG_KEY("status.storage.replication.factor", KC_CONFIG_SHORT,
                  .default_value = "3",
                  .validator = V_REPLICATION_FACTOR,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Replication factor used when creating the status storage topic"),
    KC_CONFIG_KEY("connect.protocol", KC_CONFIG_STRING,
                  .default_value = "sessioned",
                  .validator = V_CONNECT_PROTOCOL,
                  .importance = KC_CONFIG_LOW,
                  .documentation = "Compatibility mode for Kafka Connect Protocol"),
    KC_CONFIG_KEY("scheduled.rebalance.max.delay.ms", KC_CONFIG_INT,
                  .default_value = "300000", .validator = KC_CONFIG_BETWEEN(0, 2147483647),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The maximum delay that is scheduled in order to wait for the return of one or more "
                      "departed workers before rebalancing and reassigning their connectors and tasks to "
                      "the group. During this period the connectors and tasks of the departed workers "
                      "remain unassigned"),
    KC_CONFIG_KEY("inter.worker.key.ttl.ms", KC_CONFIG_INT,
                  .default_value = "3600000", .validator = KC_CONFIG_BETWEEN(0, 2147483647),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The TTL of generated session keys used for internal request validation (in "
                      "milliseconds)"),
    KC_CONFIG_KEY("inter.worker.key.generation.algorithm", KC_CONFIG_STRING,
                  .default_value = "HmacSHA256",
                  .validator = V_KEY_ALGORITHM,
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The algorithm to use for generating internal request keys. The algorithm "
                      "'HmacSHA256' will be used as a default on JVMs that support it; on other JVMs, no "
                      "default is used and a value for this property must be manually specified in the "
                      "worker config."),
    KC_CONFIG_KEY("inter.worker.key.size", KC_CONFIG_INT,
                  .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The size of the key to use for signing internal requests, in bits. If null, the "
                      "default key size for the key generation algorithm will be used."),
    KC_CONFIG_KEY("inter.worker.signature.algorithm", KC_CONFIG_STRING,
                  .default_value = "HmacSHA256",
                  .validator = V_MAC_ALGORITHM,
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "The algorithm used to sign internal requests. The algorithm 'HmacSHA256' will be "
                      "used as a default on JVMs that support it; on other JVMs, no default is used and a "
                      "value for this property must be manually specified in the worker config."),
    KC_CONFIG_KEY("inter.worker.verification.algorithms", KC_CONFIG_LIST,
                  .default_value = "HmacSHA256",
                  .validator = V_MAC_ALGORITHMS,
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "A list of permitted algorithms for verifying internal requests, which must include "
                      "the algorithm used for the <code>inter.worker.signature.algorithm</code> property. "
                      "The algorithm(s) '[HmacSHA256]' will be used as a default on JVMs that provide "
                      "them; on other JVMs, no default is used and a value for this property must be "
                      "manually specified in the worker config."),
    KC_CONFIG_KEY("metadata.recovery.strategy", KC_CONFIG_STRING,
                  .default_value = "rebootstrap", .validator = KC_CONFIG_IN_ANY_CASE("none", "rebootstrap"),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "Controls how the client recovers when none of the brokers known to it is available. "
                      "If set to <code>none</code>, the client fails. If set to <code>rebootstrap</code>, "
                      "the client repeats the bootstrap process using <code>bootstrap.servers</code>. "
                      "Rebootstrapping is useful when a client communicates with brokers so infrequently "
                      "that the set of brokers may change entirely before the client refreshes metadata. "
                      "Metadata recovery is triggered when all last-known brokers appear unavailable "
                      "simultaneously. Brokers appear unavailable when disconnected and no current retry "
                      "attempt is in-progress. Consider increasing <code>reconnect.backoff.ms</code> and "
                      "<code>reconnect.backoff.max.ms</code> and decreasing "
                      "<code>socket.connection.setup.timeout.ms</code> and "
                      "<code>socket.connection.setup.timeout.max.ms</code> for the client. Rebootstrap is "
                      "also triggered if connection cannot be established to any of the brokers for "
                      "<code>metadata.recovery.rebootstrap.trigger.ms</code> milliseconds or if server "
                      "requests rebootstrap."),
    KC_CONFIG_KEY("metadata.recovery.rebootstrap.trigger.ms", KC_CONFIG_LONG,
                  .default_value = "300000", .validator = KC_CONFIG_AT_LEAST(0),
                  .importance = KC_CONFIG_LOW,
                  .documentation =
                      "If a client configured to rebootstrap using "
                      "<code>metadata.recovery.strategy=rebootstrap</code> is unable to obtain metadata "
                      "from any of the brokers in the last known metadata for this interval, client "
                      "repeats the bootstrap process using <code>bootstrap.servers</code> configuration."),
};

kc_config_table kc_worker_config_base_table(void)
{
    return KC_CONFIG_TABLE(base_keys);
}

kc_config_table kc_worker_config_standalone_table(void)
{
    return KC_CONFIG_TABLE(standalone_keys);
}

kc_config_table kc_worker_config_distributed_table(void)
{
    return KC_CONFIG_TABLE(distributed_keys);
}
