/*
 * Replication tasks in a running worker: the /replications REST resource, the cluster-wide
 * registry of tasks, and the connectors each task becomes (replication_task.h is the pure model).
 *
 * Storage: distributed mode keeps every task in the config topic as kconnect's own record
 * kc-replication-<name> (value {"replication":{...}}, the body with its secrets; tombstone on
 * delete), written by the leader and read by every worker (kc_replications_apply from the config
 * store's listener), so any worker answers GET and forwards writes to the leader like connector
 * writes. Standalone mode keeps them in memory, as it does connectors created over REST.
 *
 * Connectors: <name>-source-<S>-<T>, <name>-checkpoint-<S>-<T>, <name>-heartbeat-<S>-<T>, created
 * through the herder like any connector (visible under /connectors). Secrets never enter their
 * configs: the peer password and the secret keys of the worker's own connection are written as
 * references ${kc-replication:<name>:peer.password} / ${kc-replication:worker:<key>}, resolved when
 * connectors and tasks start (kc_replications_resolve) — unless the operator gave the password as
 * a ${provider:path:key} reference, which is used as is.
 *
 * REST (all bodies JSON; errors are Java Connect's {"error_code","message"}):
 *   GET    /replications                  [{name, direction, current_alias, peer_alias, state}]
 *   POST   /replications                  create (201 with the body, password "[hidden]")
 *   POST   /replications/check            connectivity check of the peer settings (200 / 400)
 *   GET    /replications/{name}           the body, password "[hidden]", plus "connectors"
 *   PUT    /replications/{name}           update (safe fields only; 400 names an unsafe one)
 *   GET    /replications/{name}/status    per flow: connector and task states, replay bounds
 *   PUT    /replications/{name}/pause     pauses its connectors (202)
 *   PUT    /replications/{name}/resume    resumes them (202)
 *   DELETE /replications/{name}           deletes its connectors, then the task (204)
 *
 * Threads: the REST handlers run on the REST thread; network checks (the peer's and the local
 * cluster's broker count, POST /check) on a detached thread per request; everything that touches
 * the registry or the connectors on the herder thread. kc_replications_resolve may be called from
 * any thread (it takes the herder's status lock).
 * Memory: the registry belongs to the herder and is freed by kc_replications_free.
 */
#ifndef KC_REPLICATION_REPLICATIONS_H
#define KC_REPLICATION_REPLICATIONS_H

#include "connect/api/error.h"

typedef struct kc_herder kc_herder;
struct kc_rest_server;

/* The config provider name of kconnect's internal references. */
#define KC_REPLICATION_PROVIDER "kc-replication"

/* Adds the /replications resources for herder h. Before the server starts. */
int kc_replications_register_rest(kc_herder *h, struct kc_rest_server *srv, kc_error *err);

/* The config store read kc-replication-<name>: value is the record's JSON text, NULL when deleted.
 * Herder thread. */
void kc_replications_apply(kc_herder *h, const char *name, const char *value);

/* Frees the registry (the herder is stopping). */
void kc_replications_free(kc_herder *h);

/* Resolves ${kc-replication:<path>:<key>}: path "worker" reads the worker's own config, any other
 * path names a replication task whose "peer.password" is the key. A new string (free()), or NULL
 * when there is no such value. Any thread. */
char *kc_replications_resolve(kc_herder *h, const char *path, const char *key);
/* The same as the worker's in-process config provider KC_REPLICATION_PROVIDER (opaque: the herder). */
char *kc_replications_provider(void *herder, const char *path, const char *key);

#endif
