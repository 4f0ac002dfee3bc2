/*
 * The distributed herder (Java's DistributedHerder): the worker joins the Connect group of group.id
 * through Kafka's group coordinator with Connect's own protocol (eager, compatible or sessioned),
 * keeps connector configs in the config topic, source offsets in the offsets topic and statuses in
 * the status topic, all with Java Connect's bytes, and runs what the group leader assigns to it.
 *
 * Threads: one herder thread owns the group membership, the config store and every connector and
 * task life cycle (spec connect-group-protocol.md §6.1). REST handlers queue work for it; requests
 * that belong to the leader or to another worker are forwarded over HTTP from their own threads.
 * The worker's status reports (task threads) go straight to the status store, which is thread-safe.
 * Memory: kc_distributed_herder_new returns a herder freed by kc_distributed_herder_free after
 * kc_distributed_herder_stop; the worker config must outlive it. The herder owns its stores.
 */
#ifndef KC_HERDER_DISTRIBUTED_H
#define KC_HERDER_DISTRIBUTED_H

#include <stdbool.h>

#include "connect/api/error.h"
#include "connect/worker/worker_config.h"
#include "rest/server.h"

typedef struct kc_herder kc_herder;

/* Builds the herder and its stores (no network yet). */
kc_herder *kc_distributed_herder_new(const kc_worker_config *wc, kc_error *err);

/* Adds the REST resources (the same as standalone mode, plus the internal endpoints) to srv. */
int kc_distributed_herder_register_rest(kc_herder *h, kc_rest_server *srv, kc_error *err);

/* The advertised REST URL ("http://host:port/"): put in the group metadata and, as host:port, used
 * as the worker id in statuses. Before start only. */
void kc_distributed_herder_set_url(kc_herder *h, const char *url);

/* Starts the stores (creating or checking the three topics, reading them) and the herder thread,
 * which joins the group. 0, or -1 with err (a topic with the wrong settings gives Java's message). */
int kc_distributed_herder_start(kc_herder *h, kc_error *err);

/* PUT /admin/loggers/{ns}?scope=cluster (rest/resources.h set_cluster_level; herder is the
 * kc_herder): queues the logger-cluster-<ns> record for the config topic; every worker, this one
 * included, applies the level when it reads it back. Any thread; does not block. */
int kc_distributed_herder_set_cluster_logger(void *herder, const char *ns, const char *level, kc_error *err);

/* Whether this worker is the group leader of a completed generation. Any thread. */
bool kc_distributed_herder_is_leader(kc_herder *h);

/* Dedicated MirrorMaker (Java's MirrorHerder.maybeConfigureConnector): queues, for the herder thread,
 * "when this worker is the leader and the config topic holds no config or another config for name,
 * write config" (created STARTED, replacing). A follower, or an equal stored config, does nothing;
 * the outcome is logged. name and config are copied. Any thread; does not block. 0, or -1 with err
 * when the herder is stopping or out of memory. */
int kc_distributed_herder_put_connector_if_leader(kc_herder *h, const char *name, const kc_props *config,
                                                  kc_error *err);

/* Stops every connector and task, leaves the group, stops the stores. Idempotent. */
void kc_distributed_herder_stop(kc_herder *h);
void kc_distributed_herder_free(kc_herder *h);

#endif
