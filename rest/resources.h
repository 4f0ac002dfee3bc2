/*
 * REST resources that need no herder: the root (`GET /`) and the admin loggers. Each register
 * function adds its routes to a server before it starts; the ctx structs are owned by the caller
 * and must outlive the server. Handlers run on the REST thread.
 */
#ifndef KC_REST_RESOURCES_H
#define KC_REST_RESOURCES_H

#include "rest/server.h"

typedef struct kc_rest_root_ctx {
    char kafka_cluster_id[128];   /* the cluster that holds the worker's internal topics */
} kc_rest_root_ctx;

/* GET / -> {"version":..,"commit":..,"kafka_cluster_id":..} */
int kc_rest_root_register(kc_rest_server *srv, kc_rest_root_ctx *ctx, kc_error *err);

typedef struct kc_rest_loggers_ctx {
    /* scope=cluster: hands the change to the herder (distributed: a config-topic record that every
     * worker applies). NULL = apply on this worker only, as the standalone herder does. Called on
     * the REST thread; must not block. */
    int (*set_cluster_level)(void *opaque, const char *ns, const char *level, kc_error *err);
    void *opaque;
} kc_rest_loggers_ctx;

/* GET /admin/loggers, GET /admin/loggers/{logger}, PUT /admin/loggers/{logger} */
int kc_rest_loggers_register(kc_rest_server *srv, kc_rest_loggers_ctx *ctx, kc_error *err);

#endif
