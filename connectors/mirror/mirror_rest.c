/*
 * GET /connectors/{connector}/mirror/replay-bounds (kconnect extension; Java has no such view): the
 * replay bound of each consumer group the MirrorCheckpointConnector {connector} translates on this
 * worker — how many records, at most, a consumer starting at the checkpointed (or synced) offsets
 * on the target may read again. Answered from the process-wide registry of mirror_checkpoint.h, so
 * in a cluster only the worker running the checkpoint task knows its groups (others answer []).
 * Threads: the REST thread. Memory: the snapshot is freed before returning.
 */
#include "connectors/mirror/mirror_checkpoint.h"

#include <jansson.h>

#include "rest/server.h"

static void replay_bounds(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    kc_mirror_replay_bound *b = NULL;
    size_t n = 0;
    if (kc_mirror_checkpoint_replay_bounds(kc_rest_request_param(req, 0), &b, &n) != 0) {
        kc_rest_respond_error(req, 500, "out of memory");
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "group", json_string(b[i].group));
        json_object_set_new(o, "replay_bound", b[i].bound >= 0 ? json_integer(b[i].bound) : json_null());
        json_object_set_new(o, "partitions", json_integer(b[i].partitions));
        json_object_set_new(o, "unbounded_partitions", json_integer(b[i].unknown_partitions));
        json_object_set_new(o, "updated_ms", json_integer(b[i].updated_ms));
        json_array_append_new(a, o);
    }
    kc_mirror_replay_bounds_free(b, n);
    kc_rest_respond_json_new(req, 200, a);
}

static const kc_rest_resource resources[] = {
    {{KC_HTTP_GET, "/connectors/{connector}/mirror/replay-bounds"}, replay_bounds, 0, 0, NULL},
};

int kc_mirror_rest_register(kc_rest_server *srv, kc_error *err)
{
    return kc_rest_server_add(srv, resources, sizeof resources / sizeof resources[0], NULL, err);
}
