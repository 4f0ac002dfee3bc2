/*
 * The standalone herder (Java's StandaloneHerder): one worker, connector configs held in memory
 * (from the command line and the REST API), source offsets in the offsets file.
 *
 * Threads: the herder owns its state on one thread. REST handlers hand it requests through a queue
 * and it answers them (kc_rest_respond_*) from that thread; status changes arrive from task threads
 * through the worker's listener and are recorded under a mutex.
 * Memory: kc_standalone_herder_new returns a herder freed by kc_standalone_herder_free after
 * kc_standalone_herder_stop; the worker config and offset store are borrowed and must outlive it.
 */
#ifndef KC_HERDER_STANDALONE_H
#define KC_HERDER_STANDALONE_H

#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "connect/worker/offsets.h"
#include "connect/worker/worker_config.h"
#include "rest/server.h"

typedef struct kc_herder kc_herder;

kc_herder *kc_standalone_herder_new(const kc_worker_config *wc, kc_offset_store *offsets, const char *worker_id,
                                    kc_error *err);

/* Adds the connector, plugin, health and internal resources to srv (before it starts). */
int kc_standalone_herder_register_rest(kc_herder *h, kc_rest_server *srv, kc_error *err);

/* The worker id in statuses: the host:port of url ("http://host:port/"); before start only. */
void kc_standalone_herder_set_worker_id(kc_herder *h, const char *url);

/* Starts the herder thread. */
int kc_standalone_herder_start(kc_herder *h, kc_error *err);

/* Creates or replaces a connector from a config given at start-up (blocking; any thread but the
 * herder's). The config must hold "name". */
int kc_standalone_herder_put_connector(kc_herder *h, const kc_props *config, kc_error *err);

/* Stops every task and connector (committing offsets) and the herder thread. Idempotent. */
void kc_standalone_herder_stop(kc_herder *h);
void kc_standalone_herder_free(kc_herder *h);

#endif
