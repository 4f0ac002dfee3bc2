/*
 * MirrorMaker 2's dedicated mode configuration (Java's MirrorMakerConfig): an mm2.properties file
 * turned into the list of herders (one per source->target pair), each with its worker properties
 * and the configs of the three connectors its leader keeps in the config topic. Pure: no I/O.
 *
 * Rules, as Java's MirrorMakerConfig (4.x) applies them:
 *  - `clusters` (required) lists the aliases. A herder exists for every ordered pair S != T whose
 *    `S->T.enabled` is true, or whose heartbeats are on (`S->T.emit.heartbeats.enabled`, else the
 *    top-level `emit.heartbeats.enabled`, else true). Booleans read as Boolean.parseBoolean: only
 *    "true" (any case) is true. The caller's target list (--clusters) keeps the herders whose target
 *    is listed; none left is the error "No source->target replication flows.".
 *  - cluster X's properties: every `X.<k>` key stripped of `X.`; the client connection keys among
 *    them (bootstrap.servers, security.protocol, ssl.*, sasl.* of MirrorClientConfig) are copied to
 *    producer.<k>, consumer.<k>, admin.<k> when absent; top-level connection keys fill in what is
 *    still absent (both as <k> and as the three prefixed copies).
 *  - worker properties of S->T: cluster T's properties, then every top-level key starting with
 *    offset.storage, config.storage, status.storage, key.converter, value.converter,
 *    header.converter, task, worker, replication.policy, config.providers; then, when absent,
 *    client.id=S->T, group.id=S-mm2, offset/status/config.storage.topic=mm2-{offsets,status,
 *    configs}.S.internal and ByteArrayConverter for the key, value and header converters.
 *  - connector config of S->T (connectorBaseConfig, later steps win): the top-level keys that are
 *    names of the three connectors' ConfigDefs; config.providers* and replication.policy* keys;
 *    cluster S's properties as source.cluster.<k> (source.<k> for keys starting with
 *    consumer/producer/admin), cluster T's as target.cluster.<k> / target.<k>; name (the simple
 *    class name), connector.class, source.cluster.alias, target.cluster.alias when absent; every
 *    `S->T.<k>` key stripped of `S->T.`; enabled=false when absent. ${provider:...} references are
 *    left as written here: each herder's worker resolves them with the config.providers it is
 *    given (its worker config at start, connector and task configs when they start).
 *
 * Memory: kc_mirror_maker_config_new returns a config freed with kc_mirror_maker_config_free; the
 * kc_props returned by the kc_mirror_maker_*_props functions are new and freed with kc_props_free.
 * Threads: any; nothing is shared.
 */
#ifndef KC_MIRROR_MAKER_CONFIG_H
#define KC_MIRROR_MAKER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

/* The three connectors of a flow, in Java's MirrorMaker.CONNECTOR_CLASSES order. */
typedef enum kc_mm2_connector {
    KC_MM2_SOURCE = 0,
    KC_MM2_HEARTBEAT,
    KC_MM2_CHECKPOINT,
    KC_MM2_CONNECTOR_COUNT
} kc_mm2_connector;

/* "MirrorSourceConnector", ... (the connector's name) and the full Java class name. Static. */
const char *kc_mirror_maker_connector_name(kc_mm2_connector which);
const char *kc_mirror_maker_connector_class(kc_mm2_connector which);

typedef struct kc_mm2_herder {
    char *source;                              /* alias S */
    char *target;                              /* alias T: the cluster this herder works against */
    char *flow;                                /* "S->T" (worker id, REST namespace) */
    bool enabled;                              /* S->T.enabled */
    kc_props *worker;                          /* worker properties (workerConfig) */
    kc_props *connectors[KC_MM2_CONNECTOR_COUNT]; /* connector configs (connectorBaseConfig) */
} kc_mm2_herder;

typedef struct kc_mm2_config {
    char **clusters;                           /* `clusters`, duplicates dropped, in file order */
    size_t cluster_count;
    bool enable_internal_rest;                 /* dedicated.mode.enable.internal.rest */
    kc_mm2_herder *herders;                    /* source-major, in `clusters` order */
    size_t herder_count;
} kc_mm2_config;

/* Builds the herders of props (the parsed mm2.properties; not kept). targets / ntargets: the
 * --clusters list (NULL / 0: every cluster). NULL with err (KC_ERR_INVALID) on a missing or empty
 * `clusters`, an empty alias, an invalid security.protocol or dedicated.mode.enable.internal.rest,
 * or when no herder is left ("No source->target replication flows."). */
kc_mm2_config *kc_mirror_maker_config_new(const kc_props *props, char *const *targets, size_t ntargets,
                                          kc_error *err);
void kc_mirror_maker_config_free(kc_mm2_config *c);

/* The single steps, for any aliases (also ones not in `clusters`, as Java's tests use them).
 * NULL only when out of memory. */
kc_props *kc_mirror_maker_cluster_props(const kc_props *props, const char *cluster);
kc_props *kc_mirror_maker_worker_props(const kc_props *props, const char *source, const char *target);
kc_props *kc_mirror_maker_connector_props(const kc_props *props, const char *source, const char *target,
                                          kc_mm2_connector which);

/* Whether S->T has a herder (enabled, or heartbeats on for the pair). */
bool kc_mirror_maker_pair_exists(const kc_props *props, const char *source, const char *target);

#endif
