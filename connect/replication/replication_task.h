/*
 * Replication tasks: the operator-facing model of a cloud console's "Copy Kafka data" task (spec
 * section 8, ../reference/smart-connect-replication.txt), and its translation into MirrorMaker 2
 * connectors. Pure: no I/O, no network, no clock. The REST resource, storage and CLI sit on top.
 *
 * Owns: kc_replication_spec (one task, as the REST body describes it), kc_replication_limits, and
 * kc_replication_connectors (the connector configs of one task).
 *
 * ---- The REST body (JSON, snake_case; kc_replication_spec_from_json / _to_json) ----------------
 *   name                    string, required. 4-64 of [A-Za-z0-9_-]
 *   start_immediately       bool, default true (connectors created RUNNING, else STOPPED)
 *   current_alias           string, required. 1-20 of [A-Za-z0-9_-]: alias of the local cluster
 *   peer_alias              string, required. same charset, != current_alias
 *   peer_bootstrap_servers  string, required. "host:port[,host:port...]"
 *   peer_security_protocol  PLAINTEXT (default) | SASL_PLAINTEXT | SASL_SSL
 *   peer_sasl_mechanism     PLAIN | SCRAM-SHA-512 | SCRAM-SHA-256 (SASL only, then required)
 *   peer_username           string (SASL only, then required)
 *   peer_password           string (SASL only, then required); "[hidden]" in responses
 *   peer_ca_certificate     SASL_SSL only, optional (absent: the system trust store). Either PEM
 *                           text (it contains "-----BEGIN CERTIFICATE-----"; becomes
 *                           ssl.truststore.certificates) or an absolute path of a PEM file on the
 *                           workers (becomes ssl.truststore.location); ssl.truststore.type=PEM and
 *                           hostname verification (https) either way.
 *   direction               pull | push | both, required
 *   topics                  array of topic names (at most 20), or
 *   topics_regex            a Java regex (no ','): exactly one of the two, except that with a
 *                           topic_mapping both may be absent (the mapping sources are replicated)
 *   tasks                   int >= 1, default 2 (tasks.max of each source connector)
 *   rename_topics           bool, default false (DefaultReplicationPolicy: A.test)
 *   add_source_header       bool, default true for both, else false (kc.provenance.header.enabled)
 *   sync_consumer_offsets   bool, default false (a MirrorCheckpointConnector per flow)
 *   sync_interval_seconds   int >= 1, default 60 (checkpoint and group-offset sync intervals)
 *   replicas                int 1..32767; absent = automatic: min(3, brokers of the receiving
 *                           cluster(s)), fixed at creation by kc_replication_spec_resolve_replicas
 *   start_offset            earliest (default) | latest
 *   compression             none (default) | gzip | snappy | lz4 | zstd
 *   topic_mapping           array of {"source": "...", "target": "..."} (at most 20)
 * JSON null counts as absent. Unknown fields are refused (a typo must not be silently ignored).
 *
 * Decisions (the product page gives no default for these):
 *   start_offset earliest: MirrorMaker 2's own default, and it loses nothing. "latest" is spec
 *     8.5: at creation (and for topics an update adds) the REST resource stores source offsets
 *     (endOffset - 1 per existing partition, replication_start_offsets.h); this module always
 *     emits source.consumer.auto.offset.reset=earliest, so later partitions lose nothing.
 *   replicas automatic (see above) rather than a fixed 3, which fails on 2-broker instances.
 *
 * ---- Usage -------------------------------------------------------------------------------------
 *   create: from_json -> validate -> check_against(existing) -> resolve_replicas(broker counts)
 *           -> store the password (caller) -> kc_replication_connectors_build
 *   update: from_json -> keep_password(old) -> validate -> check_update(old) ->
 *           check_against(existing, replacing = name) -> resolve_replicas -> connectors_build
 * Every check returns 0, or -1 with a kc_error (KC_ERR_INVALID for a bad body or a refused update,
 * KC_ERR_CONFLICT for a clash with another task, KC_ERR_INTERNAL when out of memory) whose message
 * names the field and the value and is meant to be the HTTP 400/409 body as is. Messages never
 * contain the password.
 *
 * ---- Updates (kc_replication_check_update) -------------------------------------------------------
 *   refused: name, current_alias, peer_alias, peer_bootstrap_servers, peer_security_protocol,
 *            peer_sasl_mechanism, peer_username, direction, rename_topics, topic_mapping,
 *            start_offset (each with the reason in the message)
 *   allowed: start_immediately (stored only; use stop/resume on a live task), peer_password (the
 *            fix when the peer's password was changed), peer_ca_certificate (CA rotation), topics /
 *            topics_regex, tasks, add_source_header, sync_consumer_offsets (offset syncs are always
 *            emitted, so a checkpoint connector can start later), sync_interval_seconds, replicas
 *            (applies to topics created afterwards), compression.
 *
 * ---- Connectors (kc_replication_connectors, spec 8.2-8.7) --------------------------------------
 * Flows: pull P->L, push L->P, both P->L then L->P. Per flow S->T:
 *   <name>-source-<S>-<T>      MirrorSourceConnector, tasks.max = tasks
 *   <name>-checkpoint-<S>-<T>  MirrorCheckpointConnector, tasks.max 1 (sync_consumer_offsets only)
 *   <name>-heartbeat-<S>-<T>   MirrorHeartbeatConnector, aliases swapped (source T, target S): it
 *                              writes S's heartbeats topic, which the source connector carries to T
 *                              (left out for a pull flow when env->peer_read_only)
 * Keys: see replication_task_connectors.c; in short: name, connector.class, source/target aliases,
 * source.cluster.* / target.cluster.* connection keys (local: env->local_connection copied
 * verbatim; peer: bootstrap.servers, security.protocol, sasl.mechanism, sasl.jaas.config whose
 * password is env->peer_password_ref, ssl.truststore.*), ByteArrayConverter x3, replication policy,
 * and for a connector whose target cluster is the peer also producer.override.<connection keys>
 * (so that Java Connect, whose task producer is the worker's, also writes to the peer).
 *
 * Secrets: the peer password never enters a connector config. The caller stores it (for instance
 * in a properties file under the worker's secrets directory, read by Java's FileConfigProvider) and
 * passes the reference, e.g. "${file:/var/lib/kconnect/secrets/<name>.properties:<name>.peer.password}";
 * kc_replication_password_key_new and kc_replication_file_secret_ref_new build those strings.
 * env->local_connection is copied verbatim: its secret values should be references as well.
 *
 * Memory: from_json returns a spec freed with kc_replication_spec_free; _to_json returns a new
 * json_t reference (json_decref); kc_replication_connectors fills a kc_replication_connectors freed
 * with kc_replication_connectors_free; *_new strings are freed with free(). Nothing is retained
 * from arguments.
 * Threads: any; nothing is shared. Limits are plain values.
 */
#ifndef KC_REPLICATION_REPLICATION_TASK_H
#define KC_REPLICATION_REPLICATION_TASK_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

typedef enum kc_replication_direction {
    KC_REPLICATION_PULL = 0, /* peer -> local */
    KC_REPLICATION_PUSH,     /* local -> peer */
    KC_REPLICATION_BOTH,
    KC_REPLICATION_DIRECTION_UNSET /* from_json without a direction; refused by validate */
} kc_replication_direction;

typedef enum kc_replication_security {
    KC_REPLICATION_PLAINTEXT = 0,
    KC_REPLICATION_SASL_PLAINTEXT,
    KC_REPLICATION_SASL_SSL
} kc_replication_security;

typedef enum kc_replication_mechanism {
    KC_REPLICATION_MECHANISM_NONE = 0, /* not given */
    KC_REPLICATION_PLAIN,
    KC_REPLICATION_SCRAM_SHA_512,
    KC_REPLICATION_SCRAM_SHA_256
} kc_replication_mechanism;

typedef enum kc_replication_start_offset {
    KC_REPLICATION_EARLIEST = 0,
    KC_REPLICATION_LATEST
} kc_replication_start_offset;

typedef enum kc_replication_compression {
    KC_REPLICATION_COMPRESSION_NONE = 0,
    KC_REPLICATION_GZIP,
    KC_REPLICATION_SNAPPY,
    KC_REPLICATION_LZ4,
    KC_REPLICATION_ZSTD
} kc_replication_compression;

typedef struct kc_replication_mapping {
    char *source;
    char *target;
} kc_replication_mapping;

/* One replication task. Strings are owned by the spec (malloc'd; NULL = absent). */
typedef struct kc_replication_spec {
    char *name;
    bool start_immediately;
    char *current_alias;
    char *peer_alias;
    char *peer_bootstrap_servers;
    kc_replication_security peer_security_protocol;
    kc_replication_mechanism peer_sasl_mechanism;
    char *peer_username;
    char *peer_password;
    char *peer_ca_certificate;
    kc_replication_direction direction;
    char **topics; /* NULL when no list was given (topic_count 0) */
    size_t topic_count;
    char *topics_regex;
    int tasks;
    bool rename_topics;
    bool add_source_header;
    bool sync_consumer_offsets;
    int sync_interval_seconds;
    int replicas; /* 0: automatic (not given) */
    kc_replication_start_offset start_offset;
    kc_replication_compression compression;
    kc_replication_mapping *topic_mapping;
    size_t mapping_count;
} kc_replication_spec;

/* Configurable limits (spec 8.9); KC_REPLICATION_LIMITS_DEFAULT holds the product's values. */
typedef struct kc_replication_limits {
    int max_replications; /* replication tasks per instance (a both task counts once) */
    int max_topics;       /* names in a topics list */
    int max_mappings;     /* topic_mapping pairs */
    int name_min, name_max;
    int alias_min, alias_max;
} kc_replication_limits;

#define KC_REPLICATION_LIMITS_DEFAULT ((kc_replication_limits){18, 20, 20, 4, 64, 1, 20})

#define KC_REPLICATION_TASKS_DEFAULT 2
#define KC_REPLICATION_SYNC_INTERVAL_DEFAULT 60
#define KC_REPLICATION_REPLICAS_AUTO_MAX 3
#define KC_REPLICATION_TOPIC_MAX_LEN 249
#define KC_REPLICATION_HIDDEN "[hidden]"
#define KC_REPLICATION_TOPICS_EXCLUDE ".*internal, .*\\.replica, __.*"

/* The names of the enum values as the JSON uses them ("pull", "SASL_SSL", "SCRAM-SHA-512",
 * "latest", "zstd"; NULL for KC_REPLICATION_MECHANISM_NONE). Static strings. */
const char *kc_replication_direction_name(kc_replication_direction d);
const char *kc_replication_security_name(kc_replication_security s);
const char *kc_replication_mechanism_name(kc_replication_mechanism m);
const char *kc_replication_start_offset_name(kc_replication_start_offset o);
const char *kc_replication_compression_name(kc_replication_compression c);

/* ---- the spec ---------------------------------------------------------------------------------- */

/* A spec with every default set and every string absent. NULL when out of memory. */
kc_replication_spec *kc_replication_spec_new(void);

/* Frees s and everything it owns. s may be NULL. */
void kc_replication_spec_free(kc_replication_spec *s);

/* A deep copy. NULL when out of memory. */
kc_replication_spec *kc_replication_spec_copy(const kc_replication_spec *s);

/* Reads a REST body (borrowed). Checks the shape: an object, known fields, JSON types, enum values
 * ("direction 'sideways' is invalid: expected pull, push or both"), duplicate-free and bounded
 * arrays are checked by kc_replication_spec_validate, not here. A password equal to "[hidden]"
 * counts as absent (a body copied from a GET; see kc_replication_spec_keep_password). Fills in the
 * defaults, including add_source_header = (direction == both) when absent. New spec, or NULL with
 * err (KC_ERR_INVALID). */
kc_replication_spec *kc_replication_spec_from_json(const json_t *body, kc_error *err);

/* The REST body of s: every field, defaults included (replicas omitted while automatic, absent
 * strings omitted). peer_password is "[hidden]" unless include_secrets (storage). New reference,
 * NULL when out of memory. */
json_t *kc_replication_spec_to_json(const kc_replication_spec *s, bool include_secrets);

/* Every rule on one spec, first failure wins (messages quote the field and the value; see the
 * tests for each text). limits NULL = the defaults. 0 or -1 with err (KC_ERR_INVALID). */
int kc_replication_spec_validate(const kc_replication_spec *s, const kc_replication_limits *limits, kc_error *err);

/* Update: when upd has no password and old has one, upd takes a copy of old's. 0, -1 on OOM. */
int kc_replication_spec_keep_password(kc_replication_spec *upd, const kc_replication_spec *old, kc_error *err);

/* Refuses a change of a field that cannot change (see the header comment). 0 or -1 with err
 * (KC_ERR_INVALID, "direction cannot be changed: ..."). */
int kc_replication_check_update(const kc_replication_spec *old, const kc_replication_spec *upd, kc_error *err);

/* Rules across the tasks of one instance, for s (validated) against existing[0..n) (borrowed):
 * unique name; at most limits->max_replications tasks; no other task with the same peer alias
 * (spec 8.3: their internal topics would collide); no other task with the same peer cluster (same
 * peer alias or the same set of bootstrap servers) replicating a topic in the same flow, where
 * "a topic" is conservative for regexes (the same regex, or a listed/mapped name the other's regex
 * matches); no pair of opposite flows on one topic with neither rename_topics nor
 * add_source_header (records would loop). replacing: the name of the task s replaces (an update;
 * that entry is skipped and not counted), or NULL. 0 or -1 with err (KC_ERR_CONFLICT naming the
 * other task; KC_ERR_INVALID for the limit). */
int kc_replication_check_against(const kc_replication_spec *s, const kc_replication_spec *const *existing, size_t n,
                                 const kc_replication_limits *limits, const char *replacing, kc_error *err);

/* Replicas: checks s->replicas against the broker counts of the clusters that receive replicated
 * topics (pull: local, push: peer, both: both), or fills it in when automatic with
 * min(3, smallest of those counts). A count <= 0 is unknown (not checked; automatic assumes 3).
 * 0 or -1 with err ("replicas 3 exceeds the 2 brokers of the peer cluster"). */
int kc_replication_spec_resolve_replicas(kc_replication_spec *s, int local_brokers, int peer_brokers,
                                         kc_error *err);

/* 1 when topic is one the product never replicates (name ends with "internal", starts with "__",
 * or ends with ".replica": the topics.exclude of every task), else 0. */
int kc_replication_topic_excluded(const char *topic);

/* 0 when name is a valid Kafka topic name, else -1 with err naming what (e.g. "topic 'a b' is
 * not a valid Kafka topic name: ..."); what names the field in the message, e.g. "topics[2]". */
int kc_replication_check_topic_name(const char *what, const char *name, kc_error *err);

/* ---- secrets --------------------------------------------------------------------------------- */

/* "<name>.peer.password": the key under which the caller stores the peer password. NULL on OOM. */
char *kc_replication_password_key_new(const char *name);

/* "${file:<path>:<key>}": a FileConfigProvider reference. NULL on OOM. */
char *kc_replication_file_secret_ref_new(const char *path, const char *key);

/* ---- connectors -------------------------------------------------------------------------------- */

typedef enum kc_replication_connector_kind {
    KC_REPLICATION_SOURCE_CONNECTOR = 0,
    KC_REPLICATION_CHECKPOINT_CONNECTOR,
    KC_REPLICATION_HEARTBEAT_CONNECTOR
} kc_replication_connector_kind;

/* What the translation needs besides the spec. Zero-initialise and set what applies. */
typedef struct kc_replication_env {
    /* The local cluster's Java client connection keys (bootstrap.servers, security.protocol,
     * sasl.*, ssl.*), borrowed; keys that are not MirrorMaker 2 client connection keys are
     * ignored. Required (at least bootstrap.servers). */
    const kc_props *local_connection;
    /* The reference that stands for the peer password in sasl.jaas.config; required when the peer
     * uses SASL. Refused unless it looks like "${...}". */
    const char *peer_password_ref;
    int local_brokers; /* broker counts, for internal topics' replication factors; <= 0: unknown (3) */
    int peer_brokers;
    bool peer_read_only; /* the peer forbids writes: no heartbeat connector writing to it (pull) */
} kc_replication_env;

typedef struct kc_replication_connector {
    char *name; /* <task>-source-<S>-<T>, ... */
    kc_replication_connector_kind kind;
    char *flow_source; /* S of the flow S->T (for the heartbeat connector too) */
    char *flow_target; /* T */
    kc_props *config;  /* the connector config, "name" and "connector.class" included */
} kc_replication_connector;

typedef struct kc_replication_connectors {
    kc_replication_connector *items; /* per flow: source, checkpoint (if any), heartbeat (if any) */
    size_t count;
    const char *initial_state; /* "RUNNING" or "STOPPED" (Connect's initial_state); static */
} kc_replication_connectors;

/* The connector configs of s (validated, replicas resolved or automatic) under env. Fills *out
 * (cleared first). 0, or -1 with err (KC_ERR_INVALID: env incomplete; KC_ERR_INTERNAL: OOM), and
 * then *out is empty. */
int kc_replication_connectors_build(const kc_replication_spec *s, const kc_replication_env *env,
                                    kc_replication_connectors *out, kc_error *err);

/* Frees what *c owns and empties it. c may be NULL. */
void kc_replication_connectors_free(kc_replication_connectors *c);

/* The connector of *c with that name (borrowed), or NULL. */
const kc_replication_connector *kc_replication_connectors_find(const kc_replication_connectors *c,
                                                               const char *name);

/* The names of s's connectors, whatever its options: all that may exist for the task (source,
 * checkpoint and heartbeat of each flow), so that the caller can delete them. *names is a new
 * array of new strings; free with kc_replication_names_free(*names, *n). 0 or -1 on OOM. */
int kc_replication_connector_names(const kc_replication_spec *s, char ***names, size_t *n, kc_error *err);
void kc_replication_names_free(char **names, size_t n);

#endif
