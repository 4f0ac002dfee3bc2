/*
 * ReplicationPolicy: how MirrorMaker 2 names remote topics and its own internal topics, and how it
 * recognises them (Java's org.apache.kafka.connect.mirror.ReplicationPolicy of Kafka 4.3.1, module
 * connect/mirror-client).
 *
 * Owns: a kc_mirror_policy, i.e. a vtable (kc_mirror_policy_ops) plus the policy's own state.
 * Built in, selected by `replication.policy.class` (Java's fully qualified name, or the simple
 * name as a kconnect convenience):
 *   org.apache.kafka.connect.mirror.DefaultReplicationPolicy (the default): remote topic =
 *     <source alias><separator><topic>. Keys: `replication.policy.separator` (default "."), and
 *     `replication.policy.internal.topic.separator.enabled` (default true; read only when a
 *     separator is configured; "false" makes the internal topic names use "." again).
 *   org.apache.kafka.connect.mirror.IdentityReplicationPolicy: remote topic = the topic itself,
 *     except names ending with "heartbeats", which are renamed as the default policy does; key
 *     `source.cluster.alias` is what topicSource answers for every other topic.
 *   io.kconnect.mirror.MappingReplicationPolicy (kconnect's own, spec 8.3): Identity naming except
 *     for the topics named in `replication.policy.topic.mapping` ("src1:dst1,src2:dst2", elements
 *     trimmed, empty = no mapping): formatRemoteTopic maps a mapping source to its target and leaves
 *     any other topic unchanged; heartbeat-like names, topicSource and the internal topic names are
 *     Identity's; upstreamTopic turns a mapping target back into its source. Creation fails
 *     (KC_ERR_INVALID naming the key) on an element that is not "source:target" with two non-empty
 *     names, a source or target given twice, or a target that is another pair's source.
 * As in Java the policy reads the connector's raw properties (AbstractConfig.originals()): the
 * separator and the alias are used exactly as written (not trimmed), the boolean is Java's
 * Boolean.parseBoolean (only "true" in any case is true, " true" is false); the class name is
 * trimmed (ConfigDef CLASS parsing). config is never NULL (an empty kc_props gives the defaults).
 *
 * Rules of Kafka 4.3.1 (they changed after 4.0; see the tests for Java's answers):
 *   isMM2InternalTopic(t)  = (t starts with "mm2" and ends with <isep>"internal") or
 *                            isCheckpointsTopic(t)
 *   isInternalTopic(t)     = t starts with "__" or "." or isMM2InternalTopic(t)
 *   isCheckpointsTopic(t)  = t ends with <isep>"checkpoints"<isep>"internal"
 * where isep is the separator, or "." when internal-separator is disabled (the interface default
 * used by custom policies has isep ".").
 * topicSource follows Java's Pattern.split(quote(sep)): trailing empty pieces are dropped, so
 * "a." and "a.." are local; an empty separator splits between characters (source = first
 * character).
 *
 * Custom policies (a plug-in): fill a kc_mirror_policy_ops, give
 * format_remote_topic, topic_source and upstream_topic, leave any other op NULL to get Java's
 * interface default (which dispatches through this policy's ops, as Java's default methods call
 * the overridden ones), and create the policy with kc_mirror_policy_new_custom. To extend a
 * built-in policy, keep one (kc_mirror_policy_new) in the custom state and delegate to it.
 * A new built-in class name is one row in the factory table of replication_policy.c.
 *
 * Results: every op returns 0 or -1 (err set: out of memory, or a custom policy's failure). A
 * string result is stored in *out as a new string the caller frees with free(); *out NULL stands
 * for Java's null ("not a remote topic"). Predicates return 1 / 0, or -1 with err.
 * Memory: kc_mirror_policy_new* return a policy freed with kc_mirror_policy_free, which also
 * frees the custom state through ops->free_state. Nothing else is retained from the arguments.
 * Threads: a policy is immutable after creation; any number of threads (connector, tasks) may
 * call it concurrently. Custom ops must be thread-safe the same way.
 */
#ifndef KC_CONNECTORS_MIRROR_REPLICATION_POLICY_H
#define KC_CONNECTORS_MIRROR_REPLICATION_POLICY_H

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_MIRROR_POLICY_CLASS_CONFIG "replication.policy.class"
#define KC_MIRROR_POLICY_SEPARATOR_CONFIG "replication.policy.separator"
#define KC_MIRROR_POLICY_SEPARATOR_DEFAULT "."
#define KC_MIRROR_POLICY_INTERNAL_SEPARATOR_CONFIG "replication.policy.internal.topic.separator.enabled"
#define KC_MIRROR_POLICY_SOURCE_ALIAS_CONFIG "source.cluster.alias"
#define KC_MIRROR_DEFAULT_POLICY_CLASS "org.apache.kafka.connect.mirror.DefaultReplicationPolicy"
#define KC_MIRROR_IDENTITY_POLICY_CLASS "org.apache.kafka.connect.mirror.IdentityReplicationPolicy"
#define KC_MIRROR_MAPPING_POLICY_CLASS "io.kconnect.mirror.MappingReplicationPolicy"
#define KC_MIRROR_POLICY_TOPIC_MAPPING_CONFIG "replication.policy.topic.mapping"

/* originalTopic follows upstreamTopic at most this many hops (Java recurses until its stack
 * overflows); a custom policy whose upstream names never converge gets an error instead. */
#define KC_MIRROR_POLICY_MAX_HOPS 10000

typedef struct kc_mirror_policy kc_mirror_policy;

typedef struct kc_mirror_policy_ops {
    const char *class_name; /* reported by kc_mirror_policy_class_name; required */
    /* required */
    int (*format_remote_topic)(const kc_mirror_policy *p, const char *source_alias, const char *topic,
                               char **out, kc_error *err);
    int (*topic_source)(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err);
    int (*upstream_topic)(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err);
    /* optional: NULL is Java's interface default */
    int (*original_topic)(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err);
    const char *(*heartbeats_topic)(const kc_mirror_policy *p); /* borrowed, lives as long as p */
    int (*offset_syncs_topic)(const kc_mirror_policy *p, const char *cluster_alias, char **out, kc_error *err);
    int (*checkpoints_topic)(const kc_mirror_policy *p, const char *cluster_alias, char **out, kc_error *err);
    int (*is_heartbeats_topic)(const kc_mirror_policy *p, const char *topic, kc_error *err);
    int (*is_checkpoints_topic)(const kc_mirror_policy *p, const char *topic, kc_error *err);
    int (*is_mm2_internal_topic)(const kc_mirror_policy *p, const char *topic, kc_error *err);
    int (*is_internal_topic)(const kc_mirror_policy *p, const char *topic, kc_error *err);
    void (*free_state)(void *state); /* optional */
} kc_mirror_policy_ops;

/* The policy `replication.policy.class` names (default DefaultReplicationPolicy), configured from
 * config (the connector's or MirrorClient's properties, all of them). NULL with err
 * (KC_ERR_INVALID "Invalid value X for configuration replication.policy.class: Class X could not
 * be found. ..." naming the classes kconnect provides; KC_ERR_INTERNAL when out of memory). */
kc_mirror_policy *kc_mirror_policy_new(const kc_props *config, kc_error *err);

/* A policy over caller-supplied ops (borrowed: static in practice) and state (taken: freed by
 * ops->free_state, also when this fails). NULL with err when a required op is missing or OOM. */
kc_mirror_policy *kc_mirror_policy_new_custom(const kc_mirror_policy_ops *ops, void *state, kc_error *err);

/* Frees p and its state. p may be NULL. */
void kc_mirror_policy_free(kc_mirror_policy *p);

/* The state given to kc_mirror_policy_new_custom (borrowed), for the ops. */
void *kc_mirror_policy_state(const kc_mirror_policy *p);

/* The Java class name of the policy (borrowed). */
const char *kc_mirror_policy_class_name(const kc_mirror_policy *p);

/* 1 when name (already trimmed) is a class kc_mirror_policy_new knows, FQCN or simple name. */
int kc_mirror_policy_class_known(const char *name);

/* ---- the operations (dispatch through the ops; see the header comment for results) ---------- */

int kc_mirror_policy_format_remote_topic(const kc_mirror_policy *p, const char *source_alias, const char *topic,
                                         char **out, kc_error *err);
int kc_mirror_policy_topic_source(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err);
int kc_mirror_policy_upstream_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err);
/* Never null on success: the topic itself when it is local. */
int kc_mirror_policy_original_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err);
const char *kc_mirror_policy_heartbeats_topic(const kc_mirror_policy *p);
int kc_mirror_policy_offset_syncs_topic(const kc_mirror_policy *p, const char *cluster_alias, char **out,
                                        kc_error *err);
int kc_mirror_policy_checkpoints_topic(const kc_mirror_policy *p, const char *cluster_alias, char **out,
                                       kc_error *err);
int kc_mirror_policy_is_heartbeats_topic(const kc_mirror_policy *p, const char *topic, kc_error *err);
int kc_mirror_policy_is_checkpoints_topic(const kc_mirror_policy *p, const char *topic, kc_error *err);
int kc_mirror_policy_is_mm2_internal_topic(const kc_mirror_policy *p, const char *topic, kc_error *err);
int kc_mirror_policy_is_internal_topic(const kc_mirror_policy *p, const char *topic, kc_error *err);

#endif
