/*
 * Config providers (KIP-297, KIP-421, KIP-887, KIP-993): ${provider:[path:]key} references in
 * worker and connector configs, resolved by the providers the worker config declares:
 *
 *   config.providers=file,env,dir
 *   config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
 *   config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
 *   config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
 *   config.providers.<name>.param.allowed.paths=/etc/secrets     (file, directory; KIP-993)
 *   config.providers.<name>.param.allowlist.pattern=KC_.*        (env; KIP-887)
 *
 * Java's behaviour (Apache Kafka 4.x), which this module keeps:
 *  - ConfigTransformer: the pattern \$\{([^}]*?):(([^}]*?):)?([^}]*?)\} is found anywhere in a value,
 *    any number of times: provider = up to the first ':', then path = up to the next ':' when there
 *    is one before the first '}', key = the rest up to the first '}' (it may hold ':'). A reference
 *    to a provider that is not configured, or to a key the provider does not have, stays as written
 *    (no error). Every (provider, path) is asked once per transform, with the keys asked of it; an
 *    error of a provider fails the whole transform.
 *  - FileConfigProvider: the path is a properties file; a file that cannot be read fails with
 *    "Could not read properties from file <path>". A path outside allowed.paths is refused with a
 *    warning ("The path <path> is not allowed to be accessed") and gives no keys.
 *  - DirectoryConfigProvider: key = the name of a regular file in the directory, value = its whole
 *    content (nothing trimmed). Not a directory: a warning, no keys. A requested file that cannot be
 *    read fails with "Could not read file <dir>/<key> for property <key>".
 *  - EnvVarConfigProvider: the environment as it was when the provider was configured, filtered by
 *    allowlist.pattern (whole-name match, default ".*"; kconnect uses POSIX extended regular
 *    expressions). A non-empty path fails with "Path is not supported for EnvVarConfigProvider,
 *    invalid value '<path>'".
 *  - allowed.paths (AllowedPaths): a comma-separated list (split on ",", not trimmed); each entry,
 *    normalised, must be absolute ("Path <p> is not absolute") and exist ("Path <p> does not
 *    exist"). A path is allowed when its normalised form starts (by whole components) with one of
 *    them. Unset or empty: every path is allowed.
 *  - TTLs (ConfigData.ttl, config.action.reload): the built-in providers return none; not kept.
 *
 * Two sets of rules choose the providers, as Java has two places that build them:
 *  - KC_PROVIDERS_WORKER_CONFIG: AbstractConfig's constructor, which resolves the worker config
 *    itself. config.providers is split on "," without trimming; a name without a .class key is
 *    skipped; an unknown class fails with "Invalid value <class> for configuration
 *    config.providers.<name>.class: Could not load config provider class or one of its
 *    dependencies". Only full Java class names are known (Class.forName, no aliases).
 *  - KC_PROVIDERS_CONNECT: Worker.initConfigTransformer, used for connector and task configs.
 *    config.providers is parsed as a LIST (trimmed); a name without a .class key is skipped (its
 *    references stay as written); an unknown class fails with "Failed to find any class that
 *    implements ConfigProvider and which name matches <class>, ...".
 *
 * Memory: _new functions return objects the caller frees (kc_config_providers_free, kc_props_free,
 * free). Threads: a kc_config_providers is immutable once built; any thread may use it.
 * Secrets: resolved values are never logged here; warnings name the path, never a value.
 */
#ifndef KC_CONFIG_CONFIG_PROVIDERS_H
#define KC_CONFIG_CONFIG_PROVIDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_FILE_CONFIG_PROVIDER "org.apache.kafka.common.config.provider.FileConfigProvider"
#define KC_DIRECTORY_CONFIG_PROVIDER "org.apache.kafka.common.config.provider.DirectoryConfigProvider"
#define KC_ENV_VAR_CONFIG_PROVIDER "org.apache.kafka.common.config.provider.EnvVarConfigProvider"

typedef enum kc_config_providers_rules {
    KC_PROVIDERS_WORKER_CONFIG = 0, /* AbstractConfig.instantiateConfigProviders */
    KC_PROVIDERS_CONNECT            /* Worker.initConfigTransformer */
} kc_config_providers_rules;

typedef struct kc_config_providers kc_config_providers;

/* The providers declared by the worker properties (config.providers*), configured with their
 * config.providers.<name>.param.* keys. An empty set when none is declared. NULL with err
 * (KC_ERR_INVALID, Java's message) when a class is unknown, allowed.paths is invalid or
 * allowlist.pattern does not compile; KC_ERR_INTERNAL when out of memory. */
kc_config_providers *kc_config_providers_new(const kc_props *worker, kc_config_providers_rules rules,
                                             kc_error *err);
void kc_config_providers_free(kc_config_providers *p);

/* A provider implemented in the process: returns the value of key under path as a new string
 * (free()), or NULL when there is none (the reference then stays as written). Any thread. */
typedef char *(*kc_config_provider_fn)(void *opaque, const char *path, const char *key);

/* Adds kconnect's own provider name (e.g. "kc-replication", replications.h) before the set is used;
 * it needs no config.providers declaration. 0, or -1 with err when out of memory. */
int kc_config_providers_add_callback(kc_config_providers *ps, const char *name, kc_config_provider_fn fn, void *opaque,
                                     kc_error *err);

/* Number of providers configured (names with a known class). p may be NULL (0). */
size_t kc_config_providers_count(const kc_config_providers *p);

/* 1 when value holds at least one ${provider:[path:]key} reference (any provider), else 0. */
int kc_config_has_reference(const char *value);

/* ConfigTransformer.transform of one value: every reference replaced as Java does. New string
 * (free()), NULL with err when a provider fails (KC_ERR_INVALID, Java's ConfigException message)
 * or out of memory. p may be NULL (the value is copied unchanged). */
char *kc_config_providers_resolve_new(const kc_config_providers *p, const char *value, kc_error *err);

/* ConfigTransformer.transform of a whole config: a new kc_props (same keys, same order) with every
 * value resolved; each (provider, path) is asked once. NULL with err as above. p may be NULL. */
kc_props *kc_config_providers_transform_new(const kc_config_providers *p, const kc_props *config,
                                            kc_error *err);

/* AbstractHerder.reverseTransform for one task config: every key whose value in raw_connector
 * (the connector config as stored, unresolved) holds a reference, and which task_config has too,
 * gets raw_connector's value back, so that resolved secrets never reach the config topic. 0, or
 * -1 with err when out of memory. */
int kc_config_providers_reverse_transform(const kc_props *raw_connector, kc_props *task_config, kc_error *err);

/* What AbstractConfig's constructor does to the worker properties: builds the providers with
 * KC_PROVIDERS_WORKER_CONFIG rules and, when there is at least one, resolves every value. New list
 * (an unchanged copy without providers), NULL with err on failure. */
kc_props *kc_config_providers_resolve_worker_new(const kc_props *worker, kc_error *err);

#endif
